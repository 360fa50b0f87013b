/*
 * schemasync rollback: run the down sections of the newest applied
 * migrations, newest first, each in its own transaction with the
 * removal of its journal row (migcmd.h).
 *
 * Before anything runs: every migration to roll back must have its
 * file, with the checksum the journal has, and a down section (else
 * exit 2). Then the data the whole rollback would lose is planned as
 * push plans it: the database against the snapshot the rollback ends
 * at (the one before the oldest migration rolled back, or the empty
 * schema), with the counts of the data there. A data loss is asked
 * about on a terminal, and otherwise needs --accept-data-loss (exit 3,
 * the plan printed, nothing run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss/cli.h"
#include "ss/migcmd.h"
#include "ss/present.h"
#include "ss/prompt.h"

static const char *dir_opt, *to_opt, *steps_opt;
static bool dry_run, accept_data_loss;

/* "0003", "3", "0003_name" or "0" -> the number; -1 when not one. */
static long
number_arg(const char *s)
{
	char *end;
	unsigned long n = strtoul(s, &end, 10);

	if (end == s || *s == '-' || *s == '+' ||
	    (*end != '\0' && *end != '_') || n > 9999)
		return -1;
	return (long)n;
}

/*
 * What the rollback may lose: the destructive changes of the plan, and
 * the ones that cannot run on the data there as push would (the down
 * section's own SQL may still, and lose what they stand for).
 */
static size_t
losses(const struct ss_engine *e)
{
	return ss_engine_count_class(e, SS_CLASS_DESTRUCTIVE) +
	    ss_engine_count_class(e, SS_CLASS_UNEXECUTABLE);
}

/* Those changes, one line each, with counts. */
static void
show_loss(struct ss_buf *b, const struct ss_ctx *ctx, const struct ss_engine *e)
{
	size_t i, k;

	for (i = 0; i < e->nplans; i++)
		for (k = 0; k < e->plans[i].n; k++)
			if (e->plans[i].v[k]->class == SS_CLASS_DESTRUCTIVE ||
			    e->plans[i].v[k]->class == SS_CLASS_UNEXECUTABLE)
				ss_present_change(b, ctx, e, e->plans[i].v[k],
				    false);
}

/*
 * JSON: the run's object, with the changes the roll back makes to the
 * database as push reports them (the data it loses among them); on a
 * failure an "error" event that still lists what was rolled back.
 */
static void
json_report(const struct ss_ctx *ctx, const struct ss_engine *e,
    const struct ss_buf *done, const struct ss_err *err, int status)
{
	struct ss_buf b = SS_BUF_INIT;

	ss_mig_json_open(&b, ctx, err);
	ss_buf_addf(&b, "\"migrations\":[%s],\"dry_run\":%s,\"changes\":",
	    done->s, dry_run ? "true" : "false");
	ss_present_json_changes(&b, e);
	ss_buf_addf(&b, ",\"exit\":%d}\n", status);
	fputs(b.s, stdout);
	ss_buf_release(&b);
}

/* The migrations to roll back, newest first, read and checked. */
struct picked {
	size_t *idx;			/* into the migrations */
	struct ss_mig_file *files;
	char (*sums)[17];
	size_t n;
};

static void
picked_release(struct picked *pk)
{
	size_t k;

	for (k = 0; pk->files != NULL && k < pk->n; k++)
		ss_mig_file_release(&pk->files[k]);
	free(pk->files);
	free(pk->sums);
	free(pk->idx);
}

/* Bad --to or --steps: says so and returns -1. */
static int
parse_range(long *to, long *steps)
{
	*to = *steps = -1;
	if ((to_opt && (*to = number_arg(to_opt)) < 0) ||
	    (steps_opt && (*steps = number_arg(steps_opt)) <= 0) ||
	    (to_opt && steps_opt)) {
		if (to_opt && steps_opt)
			fprintf(stderr, "schemasync: error: --to and --steps "
			    "go one without the other\n");
		else
			fprintf(stderr, "schemasync: error: --%s '%s': "
			    "expected %s\n", to_opt && *to < 0 ? "to" : "steps",
			    to_opt && *to < 0 ? to_opt : steps_opt, to_opt &&
			    *to < 0 ? "a migration number such as 0003" :
			    "a number of migrations, 1 or more");
		return -1;
	}
	return 0;
}

/*
 * Which: the journal's rows, newest first (it is sorted by name), down
 * to --to or --steps of them (one by default). Each must have its file,
 * unedited, with a down section.
 */
static int
pick(const struct ss_engine *e, const char *dir,
    const struct ss_migrations *migs, const struct ss_journal *j, long to,
    long steps, struct picked *pk, struct ss_err *err)
{
	size_t i, k;

	pk->idx = ss_xcalloc(j->n + 1, sizeof *pk->idx);
	pk->files = ss_xcalloc(j->n + 1, sizeof *pk->files);
	pk->sums = ss_xcalloc(j->n + 1, sizeof *pk->sums);
	if (steps > 0 && (size_t)steps > j->n)
		return ss_err_set(err, SS_EUSAGE, "--steps %ld: only %zu "
		    "migration%s applied; nothing was rolled back", steps,
		    j->n, j->n == 1 ? " is" : "s are");
	for (k = j->n; k-- > 0; ) {
		const struct ss_journal_row *row = &j->v[k];
		if (to >= 0 ? strtol(row->name, NULL, 10) <= to :
		    pk->n == (size_t)(steps > 0 ? steps : 1))
			break;
		for (i = 0; i < migs->n; i++)
			if (strcmp(migs->v[i].id, row->name) == 0)
				break;
		if (i == migs->n)
			return ss_err_set(err, SS_EUSAGE, "%s/%s.sql is applied "
			    "(in the journal) but its file is missing; nothing "
			    "was rolled back: restore it", dir, row->name);
		ss_mig_file_release(&pk->files[pk->n]);
		if (ss_mig_read(&migs->v[i], &pk->files[pk->n],
		    pk->sums[pk->n], err) < 0) {
			pk->n++;
			return -1;
		}
		pk->idx[pk->n++] = i;
		if (!ss_mig_applied_as(&pk->files[pk->n - 1],
		    pk->sums[pk->n - 1], row->checksum))
			return ss_err_set(err, SS_EUSAGE, "%s was edited after "
			    "it was applied (checksum %s, applied as %s); "
			    "nothing was rolled back: restore it",
			    migs->v[i].path, pk->sums[pk->n - 1],
			    row->checksum);
		if (ss_mig_check_dialect(&migs->v[i], &pk->files[pk->n - 1],
		    e, "rolled back", err) < 0)
			return -1;
		if (!pk->files[pk->n - 1].has_down)
			return ss_err_set(err, SS_EUSAGE, "%s has no "
			    "'-- schemasync:down' section; nothing was rolled "
			    "back", migs->v[i].path);
	}
	return 0;
}

/* --dry-run: what would run and what it would lose. */
static void
show_dry_run(const struct ss_ctx *ctx, const struct ss_engine *e,
    const struct ss_migrations *migs, const struct picked *pk,
    struct ss_buf *done_json)
{
	struct ss_buf b = SS_BUF_INIT;
	size_t i, k;

	if (ctx->args.format == SS_FORMAT_JSON) {
		for (k = 0; k < pk->n; k++)
			ss_mig_json_entry(done_json, &migs->v[pk->idx[k]],
			    pk->files[k].down, pk->files[k].ndown, NULL, true);
		json_report(ctx, e, done_json, NULL, 0);
		return;
	}
	for (k = 0; k < pk->n; k++) {
		printf("would roll back %s:\n", migs->v[pk->idx[k]].path);
		for (i = 0; i < pk->files[k].ndown; i++)
			printf("  %s;\n", pk->files[k].down[i].sql);
	}
	if (losses(e) > 0) {
		show_loss(&b, ctx, e);
		printf("it would lose data:\n%s", b.s);
	}
	ss_buf_release(&b);
}

/*
 * A data loss without --accept-data-loss: asked on a terminal (0 when
 * confirmed), otherwise refused with exit 3 and the plan printed.
 * Returns the exit status when nothing is to run.
 */
static int
confirm_loss(const struct ss_ctx *ctx, const struct ss_engine *e,
    const struct ss_migrations *migs, const struct picked *pk)
{
	struct ss_buf b = SS_BUF_INIT;
	struct ss_report r;
	size_t k;
	bool yes;

	if (!ctx->stdin_tty || ctx->args.format != SS_FORMAT_TEXT) {
		memset(&r, 0, sizeof r);
		r.status = 3;
		r.why = "rolling back would lose data: confirm it on a "
		    "terminal or pass --accept-data-loss";
		return ss_present(ctx, e, &r);
	}
	show_loss(&b, ctx, e);
	printf("rolling back ");
	for (k = 0; k < pk->n; k++)
		printf("%s%s", k > 0 ? ", " : "", migs->v[pk->idx[k]].id);
	printf(" would lose data:\n%s", b.s);
	fflush(stdout);
	ss_buf_release(&b);
	yes = ss_prompt_yes("apply the changes marked ! and lose that data?",
	    NULL);
	if (yes)
		return 0;
	printf("blocked: the data loss was not confirmed; nothing was "
	    "rolled back\n");
	return 3;
}

/*
 * The renames the down sections make, in the order they run, are the
 * answers of the plan that counts the loss: a table they rename keeps
 * its rows, which a drop and a create would lose, even onto the name of
 * a table a statement before dropped (renames_first); the tables and
 * columns they drop are lost whatever takes their names (gone). Any
 * other candidate is planned literally, drop and add (rollback takes no
 * --rename). What the plan cannot see stays unseen: data the statements
 * delete or change in place.
 */
static void
answer_renames(struct ss_engine *e, const struct picked *pk)
{
	struct ss_mig_renames r;
	size_t i, k;

	/* Where names that differ in case are two (PostgreSQL), the
	 * server folds a bare name to lower case. */
	ss_mig_renames_init(&r);
	for (k = 0; k < pk->n; k++)
		for (i = 0; i < pk->files[k].ndown; i++)
			ss_mig_renames_add(&r, pk->files[k].down[i].sql,
			    !e->dl->names_fold_case);
	ss_mig_renames_finish(&r);
	for (i = 0; i < r.n; i++)
		ss_engine_answer(e, &r.v[i], true);
	for (i = 0; i < r.ngone; i++)
		ss_engine_gone(e, &r.gone[i]);
	ss_mig_renames_release(&r);
}

static int
rollback_exec(struct ss_ctx *ctx)
{
	const char *dir = ss_mig_dir(ctx, dir_opt);
	struct ss_migrations migs;
	struct ss_journal j;
	struct ss_engine e;
	struct ss_engine_opts o;
	struct ss_conn *conn = NULL;
	struct ss_err err = SS_ERR_INIT;
	struct ss_buf done_json = SS_BUF_INIT;
	bool json = ctx->args.format == SS_FORMAT_JSON;
	struct picked pk;
	char *snap = NULL;
	long to, steps;
	size_t i, k, done = 0;
	int status, rc;

	memset(&j, 0, sizeof j);
	memset(&pk, 0, sizeof pk);
	ss_migrations_init(&migs);
	if (parse_range(&to, &steps) < 0) {
		ss_engine_init(&e, NULL, NULL, &ctx->config);
		status = 2;
		goto out;
	}
	if ((status = ss_mig_open(ctx, dir, &e, &conn, &migs, &j)) != 0)
		goto out;
	if (pick(&e, dir, &migs, &j, to, steps, &pk, &err) < 0)
		goto failed;
	if (pk.n == 0) {
		if (json)
			json_report(ctx, &e, &done_json, NULL, 0);
		else
			printf("nothing to roll back: %s\n", j.n == 0 ?
			    "no migration is applied" :
			    "nothing applied after it");
		status = 0;
		goto out;
	}

	/* What it would lose: the database against where it ends. */
	i = pk.idx[pk.n - 1];
	snap = i > 0 ? ss_migration_snapshot_path(&migs.v[i - 1]) : NULL;
	ss_schema_release(&e.desired);
	if (ss_mig_load_snapshot(snap, &e.desired, &err) < 0)
		goto failed;
	answer_renames(&e, &pk);
	memset(&o, 0, sizeof o);
	o.accept = SS_ACCEPT(SS_CLASS_SAFE);
	if (accept_data_loss)
		o.accept |= SS_ACCEPT(SS_CLASS_DESTRUCTIVE);
	o.literal = true;
	o.fit_answers = true;
	if (ss_engine_plan(&e, &o) < 0) {
		ss_err_set(&err, e.err.code, "%s", e.err.msg.s);
		goto failed;
	}
	/* The down sections run, not the files: no renamed_from hint. */
	for (i = 0; i < e.nplans; i++)
		for (k = 0; k < e.plans[i].n; k++)
			e.plans[i].v[k]->literal_to = NULL;
	if (dry_run) {
		show_dry_run(ctx, &e, &migs, &pk, &done_json);
		status = 0;
		goto out;
	}
	if (losses(&e) > 0 && !accept_data_loss &&
	    (status = confirm_loss(ctx, &e, &migs, &pk)) != 0)
		goto out;

	for (k = 0; k < pk.n; k++) {
		const struct ss_migration *m = &migs.v[pk.idx[k]];
		const struct ss_mig_file *f = &pk.files[k];
		if ((rc = ss_mig_run(&e, &j, m, f->down, f->ndown, false,
		    pk.sums[k], true, &err)) == SS_MIG_DONE_ELSEWHERE) {
			if (!json && ctx->args.verbosity >= 0)
				printf("%s was rolled back meanwhile, by another "
				    "run: nothing more was rolled back\n", m->id);
			break;
		}
		if (rc < 0) {
			if (done > 0 && !json)
				fprintf(stderr, "schemasync: %zu migration%s "
				    "rolled back before it stay%s rolled back\n",
				    done, done == 1 ? "" : "s",
				    done == 1 ? "s" : "");
			goto failed;
		}
		done++;
		if (json)
			ss_mig_json_entry(&done_json, m, f->down, f->ndown,
			    NULL, false);
		else if (ctx->args.verbosity >= 0)
			printf("rolled back %s (%zu statement%s)\n", m->id,
			    f->ndown, f->ndown == 1 ? "" : "s");
	}
	status = 0;
	if (json)
		json_report(ctx, &e, &done_json, NULL, 0);
	goto out;
failed:
	status = ss_err_exit_status(err.code);
	if (json)
		json_report(ctx, &e, &done_json, &err, status);
	else
		ss_print_error(ctx, &err);
out:
	ss_buf_release(&done_json);
	picked_release(&pk);
	free(snap);
	ss_mig_close(&e, conn, &migs, &j);
	ss_err_release(&err);
	return status;
}

static const struct ss_opt rollback_opts[] = {
	SS_OPT_STRING_("steps", "K", &steps_opt, "roll back the K newest applied migrations (default 1)"),
	SS_OPT_STRING_("to", "NNNN", &to_opt, "roll back every migration applied after NNNN (0000: all of them)"),
	SS_OPT_FLAG_("accept-data-loss", &accept_data_loss, "run down sections that lose data without asking"),
	SS_OPT_FLAG_("dry-run", &dry_run, "print what would run and the data it would lose, change nothing"),
	SS_OPT_STRING_("dir", "DIR", &dir_opt, "the migrations folder (default: config migrations.dir, or migrations)"),
	SS_OPT_END_
};

const struct ss_cmd ss_cmd_rollback = {
	.name = "rollback",
	.summary = "run the down sections of the newest applied migrations",
	.usage = "rollback [--steps K | --to NNNN] [--accept-data-loss] [--dry-run] [--dir DIR]",
	.description = "Runs the down sections of the newest applied migrations, newest first,\n"
	    "each in its own transaction with the removal of its journal row. The\n"
	    "database is left as the snapshot before them describes. Data it would\n"
	    "lose (counted as push counts it; what the down sections rename keeps\n"
	    "its data) is asked about on a terminal, and otherwise needs\n"
	    "--accept-data-loss (exit 3, nothing run). A file missing or edited\n"
	    "since it was applied stops it before anything runs (exit 2).",
	.flags = SS_CMD_NEEDS_DB,
	.opts = rollback_opts,
	.exec = rollback_exec,
};
