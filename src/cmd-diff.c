/*
 * schemasync diff: print the plan and its SQL; change nothing.
 */
#include <string.h>

#include "ss/cli.h"
#include "ss/session.h"

static int
diff_exec(struct ss_ctx *ctx)
{
	struct ss_session s;
	struct ss_engine_opts o;
	int status;

	memset(&o, 0, sizeof o);
	o.accept = SS_ACCEPT(SS_CLASS_SAFE);
	if ((status = ss_session_open(&s, ctx, NULL, NULL, NULL)) == 0)
		status = ss_session_show_plan(&s, &o, ctx->args.exit_code);
	ss_session_close(&s, NULL);
	return status;
}

static const struct ss_opt diff_opts[] = {
	{ SS_OPT_EXIT_CODE, "exit-code", 0, NULL, "exit 4 when the database differs from the files" },
	{ SS_OPT_RENAME, "rename", 0, "OLD=NEW", "resolve a rename: users=people or users.email=user_email (repeatable)" },
	{ SS_OPT_NO_RENAME, "no-rename", 0, "OLD=NEW", "not a rename: show it as a drop and an add (repeatable)" },
	{ 0, NULL, 0, NULL, NULL }
};

const struct ss_cmd ss_cmd_diff = {
	.name = "diff",
	.summary = "print the plan and its SQL; change nothing (push --dry-run)",
	.usage = "diff [--exit-code] [--rename OLD=NEW]... [--no-rename OLD=NEW]...",
	.description = NULL,
	.flags = SS_CMD_NEEDS_DB,
	.opts = diff_opts,
	.exec = diff_exec,
};
