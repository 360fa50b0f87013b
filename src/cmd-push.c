/*
 * schemasync push: diff the schema files against the database and apply
 * the plan in one transaction.
 *
 * On a terminal (text output) the prompter shows the plan and asks
 * (ss_prompt_plan()); the plan made again inside the transaction is
 * applied if it is the plan answered (engine.h, guarantee 3), and the
 * last line says what happened. Elsewhere nothing is asked: what needs
 * an answer is held.
 */
#include <stdio.h>
#include <string.h>

#include "ss/cli.h"
#include "ss/present.h"
#include "ss/prompt.h"
#include "ss/session.h"
#include "ss/undo.h"

#define MAX_ATTEMPTS 3

static bool dry_run, accept_data_loss, force_reset, exit_code, no_undo;
static struct ss_answers answers;

static int
push_once(struct ss_session *s, const struct ss_engine_opts *base,
    bool interactive, bool *again)
{
	struct ss_engine_opts opts = *base, *o = &opts;
	struct ss_report r;
	struct ss_buf b = SS_BUF_INIT, why = SS_BUF_INIT;
	enum ss_outcome out;
	bool asked = false;
	int status;

	*again = false;
	memset(&r, 0, sizeof r);
	r.sql = s->ctx->args.verbosity > 0;
	if (interactive && (status = ss_prompt_plan(s, o, &asked)) >= 0)
		goto done;
	/* The plan is on the screen already, above the answers. */
	r.outcome_only = asked;
	if (!interactive && o->force_reset &&
	    !(o->accept & SS_ACCEPT(SS_CLASS_DESTRUCTIVE))) {
		/* Show what it would drop, then refuse. */
		if (ss_engine_plan(&s->e, o) < 0) {
			status = ss_session_fail(s, NULL);
			goto done;
		}
		ss_buf_adds(&why, "--force-reset needs --accept-data-loss "
		    "when there is no terminal to ask");
		out = SS_OUTCOME_HELD;
		goto report;
	}
	if (ss_engine_apply(&s->e, o, &out) < 0) {
		status = ss_session_fail(s, &r);
		goto done;
	}
	if (out == SS_OUTCOME_STALE) {
		fprintf(stderr, "the database changed while you answered; "
		    "planning again\n");
		*again = true;
		status = 3;
		goto done;
	}
	if (out == SS_OUTCOME_HELD)
		ss_present_why(&why, &s->e, o->accept, s->ctx->args.format ==
		    SS_FORMAT_JSON ? SS_ADVICE_JSON : interactive ?
		    SS_ADVICE_TERMINAL : SS_ADVICE_SCRIPT);
report:
	r.status = out == SS_OUTCOME_HELD ? 3 : 0;
	r.why = why.len > 0 ? why.s : r.status == 3 ? "changes are held" : NULL;
	r.elapsed_ms = ss_session_elapsed(s);
	status = ss_session_report(s, &r);
done:
	ss_buf_release(&b);
	ss_buf_release(&why);
	return status;
}

static int
push_exec(struct ss_ctx *ctx)
{
	struct ss_session s;
	struct ss_engine_opts o;
	struct ss_report r;
	bool again = false;
	int status, attempt;

	if (exit_code && !dry_run) {
		fprintf(stderr, "schemasync: error: --exit-code goes with "
		    "--dry-run\n");
		return 2;
	}
	memset(&o, 0, sizeof o);
	o.accept = SS_ACCEPT(SS_CLASS_SAFE);
	if (accept_data_loss)
		o.accept |= SS_ACCEPT(SS_CLASS_DESTRUCTIVE);
	o.literal = accept_data_loss;
	o.force_reset = force_reset;
	if ((status = ss_session_open(&s, ctx, NULL, NULL, NULL,
	    &answers)) != 0)
		goto out;
	if (!no_undo)
		ss_undo_attach(&s.e, "push", ctx->config.undo_keep);
	if (dry_run) {
		status = ss_session_show_plan(&s, &o, exit_code);
		goto out;
	}
	for (attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
		status = push_once(&s, &o, ctx->stdin_tty &&
		    ctx->args.format == SS_FORMAT_TEXT, &again);
		if (!again)
			break;
	}
	if (again) {	/* every answer was for a plan that had changed */
		memset(&r, 0, sizeof r);
		r.status = 3;
		r.why = "the database changed each time while you answered";
		r.elapsed_ms = ss_session_elapsed(&s);
		status = ss_session_report(&s, &r);
	}
out:
	ss_session_close(&s, NULL);
	return status;
}

static const struct ss_opt push_opts[] = {
	SS_OPT_FLAG_("dry-run", &dry_run, "print the plan and SQL, change nothing"),
	SS_OPT_FLAG_("accept-data-loss", &accept_data_loss, "apply destructive changes without asking; unanswered renames are read literally (drop and add)"),
	SS_OPT_FLAG_("force-reset", &force_reset, "drop every managed object and recreate the schema (loses all data)"),
	SS_OPT_RENAME_(&answers.yes),
	SS_OPT_NO_RENAME_(&answers.no, "not a rename: drop OLD and add NEW (repeatable)"),
	SS_OPT_FLAG_("exit-code", &exit_code, "with --dry-run: exit 4 when the plan is not empty"),
	SS_OPT_FLAG_("no-undo", &no_undo, "keep no undo point of what destructive changes remove"),
	SS_OPT_END_
};

const struct ss_cmd ss_cmd_push = {
	.name = "push",
	.summary = "diff the schema files against the database and apply the plan",
	.usage = "push [--dry-run [--exit-code]] [--accept-data-loss] [--force-reset] [--rename OLD=NEW]... [--no-rename OLD=NEW]... [--no-undo]",
	.description = "Applies every change at once in one transaction, or none. Changes that\n"
	    "would lose data are held (exit 3) unless confirmed on a terminal or\n"
	    "--accept-data-loss is given; changes that would fail on the data there\n"
	    "are never applied. A column or table that vanished while one of the\n"
	    "same shape appeared is a rename candidate: on a terminal you choose\n"
	    "(rename it, or create the new one and drop the old); elsewhere it is\n"
	    "held unless --rename, --no-rename or --accept-data-loss answers it.\n"
	    "What an applied destructive change removes is kept in an undo point\n"
	    "in the same transaction; `schemasync undo` brings it back.",
	.flags = SS_CMD_NEEDS_DB | SS_CMD_CREATES_DB,
	.opts = push_opts,
	.exec = push_exec,
};
