/*
 * The command table: the one place that names every command. main()
 * dispatches from it; --help, suggestions and tests read it.
 */
#include "ss/cli.h"

extern const struct ss_cmd ss_cmd_push, ss_cmd_watch, ss_cmd_diff,
    ss_cmd_check, ss_cmd_pull, ss_cmd_help;
extern const struct ss_cmd ss_cmd_diagram;
extern const struct ss_cmd ss_cmd_generate, ss_cmd_migrate,
    ss_cmd_status, ss_cmd_rollback;
extern const struct ss_cmd ss_cmd_undo;

const struct ss_cmd *const ss_cmd_table[] = {
	&ss_cmd_push,
	&ss_cmd_watch,
	&ss_cmd_diff,
	&ss_cmd_check,
	&ss_cmd_pull,
	&ss_cmd_diagram,
	&ss_cmd_generate,
	&ss_cmd_migrate,
	&ss_cmd_status,
	&ss_cmd_rollback,
	&ss_cmd_undo,
	&ss_cmd_help,
	NULL
};
