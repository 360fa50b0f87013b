/*
 * schemasync diff: print the plan and its SQL; change nothing.
 */
#include <stdio.h>
#include <string.h>

#include "ss/cli.h"
#include "ss/push.h"

static int
diff_exec(struct ss_ctx *ctx)
{
	struct ss_push_opts o;

	memset(&o, 0, sizeof o);
	o.dry_run = true;
	o.exit_code = ctx->args.exit_code;
	return ss_push_run(ctx, &o);
}

static const struct ss_opt diff_opts[] = {
	{ SS_OPT_EXIT_CODE, "exit-code", 0, NULL, "exit 4 when the database differs from the files" },
	{ SS_OPT_RENAME, "rename", 0, "OLD=NEW", "resolve a rename: users=people or users.email=user_email (repeatable)" },
	{ 0, NULL, 0, NULL, NULL }
};

const struct ss_cmd ss_cmd_diff = {
	.name = "diff",
	.summary = "print the plan and its SQL; change nothing (push --dry-run)",
	.usage = "diff [--exit-code]",
	.description = NULL,
	.flags = SS_CMD_NEEDS_DB,
	.opts = diff_opts,
	.exec = diff_exec,
};
