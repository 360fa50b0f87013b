/*
 * schemasync watch: push once, then again on every save of a schema
 * file (SPEC section 6).
 */
#include "ss/cli.h"

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
	.description = NULL,
	.flags = SS_CMD_NEEDS_DB,
	.opts = watch_opts,
	.exec = ss_cmd_pending,
};
