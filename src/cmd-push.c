/*
 * schemasync push: diff the schema files against the database and apply
 * the plan in one transaction (SPEC sections 1, 2, 4).
 */
#include <stdio.h>
#include <string.h>

#include "ss/cli.h"
#include "ss/push.h"

static int
push_exec(struct ss_ctx *ctx)
{
	struct ss_push_opts o;

	memset(&o, 0, sizeof o);
	o.dry_run = ctx->args.dry_run;
	o.exit_code = ctx->args.exit_code;
	o.accept_data_loss = ctx->args.accept_data_loss;
	o.force_reset = ctx->args.force_reset;
	o.interactive = ctx->stdin_tty && ctx->args.format == SS_FORMAT_TEXT;
	if (o.exit_code && !o.dry_run) {
		fprintf(stderr, "schemasync: error: --exit-code goes with "
		    "--dry-run\n");
		return 2;
	}
	return ss_push_run(ctx, &o);
}

static const struct ss_opt push_opts[] = {
	{ SS_OPT_DRY_RUN, "dry-run", 0, NULL, "print the plan and SQL, change nothing" },
	{ SS_OPT_ACCEPT_DATA_LOSS, "accept-data-loss", 0, NULL, "apply destructive changes without asking" },
	{ SS_OPT_FORCE_RESET, "force-reset", 0, NULL, "drop every managed object and recreate the schema (loses all data)" },
	{ SS_OPT_RENAME, "rename", 0, "OLD=NEW", "resolve a rename: users=people or users.email=user_email (repeatable)" },
	{ SS_OPT_EXIT_CODE, "exit-code", 0, NULL, "with --dry-run: exit 4 when the plan is not empty" },
	{ 0, NULL, 0, NULL, NULL }
};

const struct ss_cmd ss_cmd_push = {
	.name = "push",
	.summary = "diff the schema files against the database and apply the plan",
	.usage = "push [--dry-run [--exit-code]] [--accept-data-loss] [--force-reset] [--rename OLD=NEW]...",
	.description = "Applies every change at once in one transaction, or none. Changes that\n"
	    "would lose data are held (exit 3) unless confirmed on a terminal or\n"
	    "--accept-data-loss is given; changes that would fail on the data there\n"
	    "are never applied.",
	.flags = SS_CMD_NEEDS_DB | SS_CMD_CREATES_DB,
	.opts = push_opts,
	.exec = push_exec,
};
