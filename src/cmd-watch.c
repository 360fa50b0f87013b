/*
 * schemasync watch: push once, then again on every save of a schema
 * file (SPEC section 6; the watcher is src/watch.c).
 */
#include "ss/cli.h"
#include "ss/watch.h"

static bool accept_data_loss, no_undo;
static long debounce_ms;
static struct ss_answers answers;

static int
watch_exec(struct ss_ctx *ctx)
{
	struct ss_watch_opts o;

	o.accept_data_loss = accept_data_loss;
	o.debounce_ms = debounce_ms;
	o.answers = &answers;
	o.no_undo = no_undo;
	return ss_watch_run(ctx, &o);
}

static const struct ss_opt watch_opts[] = {
	SS_OPT_FLAG_("accept-data-loss", &accept_data_loss, "apply destructive changes without asking; unanswered renames are read literally (drop and add)"),
	SS_OPT_RENAME_(&answers.yes),
	SS_OPT_NO_RENAME_(&answers.no, "not a rename: drop OLD and add NEW (repeatable)"),
	SS_OPT_MS_("debounce", &debounce_ms, "coalesce saves within MS milliseconds (default: 20)"),
	SS_OPT_FLAG_("no-undo", &no_undo, "keep no undo point of what destructive changes remove"),
	SS_OPT_END_
};

const struct ss_cmd ss_cmd_watch = {
	.name = "watch",
	.summary = "push once, then re-diff and push on every save of a schema file",
	.usage = "watch [--accept-data-loss] [--rename OLD=NEW]... [--no-rename OLD=NEW]... [--debounce MS] [--no-undo]",
	.description = "Applies the safe part of every plan at once and holds changes that\n"
	    "would lose data or need an answer; on a terminal it asks (y applies\n"
	    "them if the plan is still the same). Ctrl-C or SIGTERM lets the run in\n"
	    "flight finish, then exits 0.",
	.flags = SS_CMD_NEEDS_DB | SS_CMD_CREATES_DB,
	.opts = watch_opts,
	.exec = watch_exec,
};
