/*
 * schemasync diff: print the plan and its SQL; change nothing.
 */
#include <string.h>

#include "ss/cli.h"
#include "ss/session.h"
#include "ss/undo.h"

static bool exit_code;
static struct ss_answers answers;

static int
diff_exec(struct ss_ctx *ctx)
{
	struct ss_session s;
	struct ss_engine_opts o;
	int status;

	memset(&o, 0, sizeof o);
	o.accept = SS_ACCEPT(SS_CLASS_SAFE);
	if ((status = ss_session_open(&s, ctx, NULL, NULL, NULL,
	    &answers)) == 0) {
		/* The plan as push would apply it: with its undo point. */
		ss_undo_attach(&s.e, "push", ctx->config.undo_keep);
		status = ss_session_show_plan(&s, &o, exit_code);
	}
	ss_session_close(&s, NULL);
	return status;
}

static const struct ss_opt diff_opts[] = {
	SS_OPT_FLAG_("exit-code", &exit_code, "exit 4 when the database differs from the files"),
	SS_OPT_RENAME_(&answers.yes),
	SS_OPT_NO_RENAME_(&answers.no, "not a rename: show it as a drop and an add (repeatable)"),
	SS_OPT_END_
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
