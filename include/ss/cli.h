#ifndef SS_CLI_H
#define SS_CLI_H
/*
 * The command line (SPEC section 1): the command table, option parsing,
 * and the context every command runs with.
 *
 * Each command lives in src/cmd-<name>.c and exports one
 * `const struct ss_cmd ss_cmd_<name>`; ss_cmd_table[] in main.c lists
 * them and is the only place commands are named. Options are described
 * by tables, so --help, parsing and "did you mean" all come from one
 * description. Global options are accepted before or after the command.
 * A command's own option may have a global one's name (diagram's
 * --format mermaid|dot): after the command the command's wins; before
 * it, a value the global option refuses is handed to the command's.
 */
#include <stdbool.h>
#include <stdio.h>

#include "ss/config.h"
#include "ss/err.h"
#include "ss/url.h"

/* Every option schemasync knows; a command's table picks from these. */
enum ss_opt_id {
	SS_OPT_DB = 1,
	SS_OPT_SCHEMA,
	SS_OPT_CONFIG,
	SS_OPT_FORMAT,
	SS_OPT_COLOR,
	SS_OPT_QUIET,
	SS_OPT_VERBOSE,
	SS_OPT_HELP,
	SS_OPT_VERSION,
	SS_OPT_DRY_RUN,
	SS_OPT_ACCEPT_DATA_LOSS,
	SS_OPT_FORCE_RESET,
	SS_OPT_RENAME,
	SS_OPT_EXIT_CODE,
	SS_OPT_DEBOUNCE,
	SS_OPT_OUT,
	SS_OPT_FORCE,
	SS_OPT_DIAGRAM_FORMAT,	/* diagram's own --format mermaid|dot */
	SS_OPT_FROM
};

struct ss_opt {
	enum ss_opt_id id;
	const char *name;	/* long name, without "--" */
	char short_name;	/* 0 when none */
	const char *arg;	/* metavariable, NULL for a flag */
	const char *help;
};

enum ss_format { SS_FORMAT_TEXT, SS_FORMAT_JSON };
enum ss_color_mode { SS_COLOR_AUTO, SS_COLOR_ALWAYS, SS_COLOR_NEVER };

/* What the command line said. Strings point into argv. */
struct ss_args {
	const char *db;
	const char **schemas;
	size_t nschemas;
	const char *config;
	enum ss_format format;
	enum ss_color_mode color;
	int verbosity;		/* -1 quiet, 0 normal, 1+ verbose */
	bool help;
	bool version;
	bool dry_run;
	bool accept_data_loss;
	bool force_reset;
	bool exit_code;
	bool force;
	const char **renames;	/* OLD=NEW */
	size_t nrenames;
	long debounce_ms;	/* -1 when not given */
	const char *out;
	int diagram_format;	/* enum ss_diagram_format; 0 is mermaid */
	const char *from;	/* diagram --from: "files", "db" or NULL */
	const char **positional;
	size_t npositional;
};

struct ss_cmd;

/* The context a command runs in, prepared by main(). */
struct ss_ctx {
	const struct ss_cmd *cmd;
	struct ss_args args;
	struct ss_config config;
	struct ss_url url;		/* valid when have_url */
	bool have_url;
	const char *const *schema_paths; /* --schema, config, or "schemas" */
	size_t nschema_paths;
	bool color_out;			/* colour on stdout */
	bool color_err;			/* colour on stderr */
	bool stdin_tty;			/* may ask questions */
};

enum ss_cmd_flags {
	SS_CMD_NEEDS_DB = 1 << 0,	/* resolve a database or exit 2 */
	SS_CMD_MAX_ARGS_1 = 1 << 1,	/* takes at most one positional */
	SS_CMD_CREATES_DB = 1 << 2	/* may create a missing SQLite file
					   (ss_url.create); others never do */
};

struct ss_cmd {
	const char *name;
	const char *summary;		/* one line, for the command list */
	const char *usage;		/* after "schemasync [GLOBAL OPTIONS] " */
	const char *description;	/* paragraph(s) for --help, or NULL */
	enum ss_cmd_flags flags;
	const struct ss_opt *opts;	/* the command's own; {0} ends it */
	int (*exec)(struct ss_ctx *ctx);	/* returns the exit status */
};

extern const struct ss_cmd *const ss_cmd_table[];
extern const struct ss_opt ss_global_opts[];

const struct ss_cmd *ss_cmd_find(const char *name);
/*
 * Parses argv (without argv[0]) into args and finds the command (NULL
 * when none was named). Returns 0, or -SS_EUSAGE with err set.
 */
int ss_args_parse(int argc, char **argv, struct ss_args *args,
    const struct ss_cmd **cmd, struct ss_err *err);
void ss_args_release(struct ss_args *args);

/*
 * Resolves ctx->url as SPEC section 1 says (--db, SCHEMASYNC_DATABASE_URL,
 * DATABASE_URL, the config's `database`), for a command flagged
 * SS_CMD_NEEDS_DB before it runs, or by a command that needs a database
 * only sometimes. Returns 0, or -SS_EUSAGE when none is given.
 */
int ss_resolve_db(struct ss_ctx *ctx, struct ss_err *err);

void ss_usage(FILE *fp);
void ss_cmd_usage(FILE *fp, const struct ss_cmd *cmd);

/* Output helpers every command shares. */
void ss_print_diags(const struct ss_ctx *ctx, const struct ss_diags *d);
void ss_json_string(struct ss_buf *b, const char *s);
/* Prints "schemasync: error: MESSAGE" (or the JSON error event). */
void ss_print_error(const struct ss_ctx *ctx, const struct ss_err *err);
bool ss_color_enabled(enum ss_color_mode mode, int fd);


#endif
