/*
 * schemasync help [COMMAND]: the same text as --help.
 */
#include <stdio.h>

#include "ss/cli.h"

static int
help_exec(struct ss_ctx *ctx)
{
	const struct ss_cmd *cmd;
	struct ss_err err = SS_ERR_INIT;

	if (ctx->args.npositional == 0) {
		ss_usage(stdout);
		return 0;
	}
	if ((cmd = ss_cmd_find(ctx->args.positional[0])) == NULL) {
		ss_err_set(&err, SS_EUSAGE, "no help for unknown command '%s'",
		    ctx->args.positional[0]);
		ss_print_error(ctx, &err);
		ss_err_release(&err);
		return 2;
	}
	ss_cmd_usage(stdout, cmd);
	return 0;
}

const struct ss_cmd ss_cmd_help = {
	.name = "help",
	.summary = "show help for schemasync or a command",
	.usage = "help [COMMAND]",
	.description = NULL,
	.flags = SS_CMD_MAX_ARGS_1,
	.opts = NULL,
	.exec = help_exec,
};
