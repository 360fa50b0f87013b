/*
 * schemasync watch: push once, then again on every save of a schema
 * file (SPEC section 6; the watcher is src/watch.c).
 */
#include "ss/cli.h"
#include "ss/watch.h"

static int
watch_exec(struct ss_ctx *ctx)
{
	return ss_watch_run(ctx);
}

static const struct ss_opt watch_opts[] = {
	{ SS_OPT_ACCEPT_DATA_LOSS, "accept-data-loss", 0, NULL, "apply destructive changes without asking" },
	{ SS_OPT_RENAME, "rename", 0, "OLD=NEW", "resolve a rename: users=people or users.email=user_email (repeatable)" },
	{ SS_OPT_DEBOUNCE, "debounce", 0, "MS", "coalesce saves within MS milliseconds (default: 20)" },
	{ 0, NULL, 0, NULL, NULL }
};

const struct ss_cmd ss_cmd_watch = {
	.name = "watch",
	.summary = "push once, then re-diff and push on every save of a schema file",
	.usage = "watch [--accept-data-loss] [--rename OLD=NEW]... [--debounce MS]",
	.description = "Applies the safe part of every plan at once and holds changes that\n"
	    "would lose data or need an answer; on a terminal it asks (y applies\n"
	    "them if the plan is still the same). Ctrl-C or SIGTERM lets the run in\n"
	    "flight finish, then exits 0.",
	.flags = SS_CMD_NEEDS_DB | SS_CMD_CREATES_DB,
	.opts = watch_opts,
	.exec = watch_exec,
};
