/*
 * schemasync migrate: apply the pending migration files in order, each
 * up section in its own transaction with its journal row (migcmd.h).
 *
 * Before anything runs: every file applied must still have the
 * checksum the journal has (an edited file stops with exit 2), no
 * pending file may come before one applied (two branches merged: exit
 * 2, saying how to renumber), and every pending file must parse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss/cli.h"
#include "ss/migcmd.h"

static const char *dir_opt, *to_opt, *fake_opt;
static bool dry_run;

/* JSON: the run's object; on failure an "error" event that still says
 * which migrations were applied before it. */
static void
json_report(const struct ss_ctx *ctx, const struct ss_buf *done,
    const struct ss_err *err, size_t applied, int status)
{
	struct ss_buf b = SS_BUF_INIT;

	ss_mig_json_open(&b, ctx, err);
	ss_buf_addf(&b, "\"migrations\":[%s],\"dry_run\":%s,"
	    "\"already_applied\":%zu,\"exit\":%d}\n", done->s,
	    dry_run ? "true" : "false", applied, status);
	fputs(b.s, stdout);
	ss_buf_release(&b);
}

/* "0003", "3" or "0003_name" -> 3; 0 when not a number. */
static unsigned
number_arg(const char *s)
{
	char *end;
	unsigned long n = strtoul(s, &end, 10);

	return end == s || (*end != '\0' && *end != '_') ? 0 : (unsigned)n;
}

/*
 * Reads every file (files[i], sums[i]) and counts in *npending those to
 * run (up to --to or --fake). Refused before anything runs: a file
 * applied whose checksum changed, or one pending that comes before one
 * applied.
 */
static int
read_pending(const struct ss_engine *e, const struct ss_migrations *migs,
    const struct ss_journal *j, struct ss_mig_file *files, char (*sums)[17],
    unsigned to, unsigned fake, size_t *npending, struct ss_err *err)
{
	const struct ss_migration *m;
	const struct ss_journal_row *r;
	unsigned top = 0;
	size_t i;

	for (i = 0; i < migs->n; i++) {
		m = &migs->v[i];
		ss_mig_file_release(&files[i]);
		if (ss_mig_read(m, &files[i], sums[i], err) < 0)
			return -1;
		if ((r = ss_journal_find(j, m->id)) == NULL)
			continue;
		if (!ss_mig_applied_as(&files[i], sums[i], r->checksum))
			return ss_err_set(err, SS_EUSAGE, "%s was edited after "
			    "it was applied (checksum %s, applied as %s); "
			    "nothing was run: restore it, and put new SQL in a "
			    "new migration", m->path, sums[i], r->checksum);
		if (m->number > top)
			top = m->number;
	}
	for (i = 0; i < migs->n; i++) {
		m = &migs->v[i];
		if (ss_journal_find(j, m->id) != NULL)
			continue;
		if (m->number < top)
			return ss_err_set(err, SS_EUSAGE, "%s is pending but "
			    "comes before %04u, applied already (two branches "
			    "merged?); nothing was run: renumber it to come "
			    "last (remove it and its .snapshot.yaml, then "
			    "'schemasync generate' again)", m->path, top);
		if ((to && m->number > to) || (fake && m->number > fake))
			continue;
		if (!fake && ss_mig_check_dialect(m, &files[i], e, "run",
		    err) < 0)
			return -1;
		(*npending)++;
	}
	return 0;
}

static int
migrate_exec(struct ss_ctx *ctx)
{
	const char *dir = ss_mig_dir(ctx, dir_opt);
	struct ss_migrations migs;
	struct ss_journal j;
	struct ss_engine e;
	struct ss_conn *conn = NULL;
	struct ss_err err = SS_ERR_INIT;
	struct ss_mig_file *files = NULL;
	char (*sums)[17] = NULL;
	struct ss_buf done_json = SS_BUF_INIT;
	bool json = ctx->args.format == SS_FORMAT_JSON;
	unsigned to = 0, fake = 0;
	size_t i, k, npending = 0, done = 0, meanwhile = 0;
	int status, rc;

	memset(&j, 0, sizeof j);
	ss_migrations_init(&migs);
	if ((to_opt && (to = number_arg(to_opt)) == 0) ||
	    (fake_opt && (fake = number_arg(fake_opt)) == 0)) {
		fprintf(stderr, "schemasync: error: --%s '%s': expected a "
		    "migration number such as 0003\n", to_opt && !to ? "to" :
		    "fake", to_opt && !to ? to_opt : fake_opt);
		ss_engine_init(&e, NULL, NULL, &ctx->config);
		status = 2;
		goto out;
	}
	if ((status = ss_mig_open(ctx, dir, &e, &conn, &migs, &j)) != 0)
		goto out;
	files = ss_xcalloc(migs.n + 1, sizeof *files);
	sums = ss_xcalloc(migs.n + 1, sizeof *sums);
	for (i = 0; i < migs.n; i++)
		ss_mig_file_init(&files[i]);
	if (read_pending(&e, &migs, &j, files, sums, to, fake, &npending,
	    &err) < 0)
		goto failed;
	if (npending == 0) {
		if (json)
			json_report(ctx, &done_json, NULL, j.n, 0);
		else
			printf("nothing to migrate: %zu applied, up to date\n",
			    j.n);
		status = 0;
		goto out;
	}
	for (i = 0; i < migs.n; i++) {
		const struct ss_migration *m = &migs.v[i];
		if (ss_journal_find(&j, m->id) != NULL ||
		    (to && m->number > to) || (fake && m->number > fake))
			continue;
		if (json && dry_run) {
			ss_mig_json_entry(&done_json, m, files[i].up, files[i].nup,
			    fake ? "false" : "true", dry_run && !fake);
			continue;
		}
		if (dry_run) {
			printf("would %s %s:\n", fake ? "record (not run)" :
			    "apply", m->path);
			for (k = 0; !fake && k < files[i].nup; k++)
				printf("  %s;\n", files[i].up[k].sql);
			continue;
		}
		if ((rc = ss_mig_run(&e, &j, m, files[i].up, files[i].nup,
		    true, sums[i], fake == 0, &err)) == SS_MIG_DONE_ELSEWHERE) {
			meanwhile++;	/* JSON: among already_applied */
			if (!json && ctx->args.verbosity >= 0)
				printf("%s was applied meanwhile, by another "
				    "run: not run again\n", m->id);
			continue;
		}
		if (rc < 0) {
			if (json)
				goto failed;
			if (done > 0)
				fprintf(stderr, "schemasync: %zu migration%s "
				    "applied before it stay applied\n", done,
				    done == 1 ? "" : "s");
			goto failed;
		}
		done++;
		if (json)
			ss_mig_json_entry(&done_json, m, files[i].up, files[i].nup,
			    fake ? "false" : "true", dry_run && !fake);
		else if (ctx->args.verbosity >= 0)
			printf("%s %s (%zu statement%s)\n", fake ? "recorded" :
			    "applied", m->id, files[i].nup,
			    files[i].nup == 1 ? "" : "s");
	}
	status = 0;
	if (json)
		json_report(ctx, &done_json, NULL, j.n + meanwhile, 0);
	goto out;
failed:
	status = ss_err_exit_status(err.code);
	if (json)
		json_report(ctx, &done_json, &err, j.n + meanwhile, status);
	else
		ss_print_error(ctx, &err);
out:
	ss_buf_release(&done_json);
	for (i = 0; files != NULL && i < migs.n; i++)
		ss_mig_file_release(&files[i]);
	free(files);
	free(sums);
	ss_mig_close(&e, conn, &migs, &j);
	ss_err_release(&err);
	return status;
}

static const struct ss_opt migrate_opts[] = {
	SS_OPT_FLAG_("dry-run", &dry_run, "print what would run, change nothing"),
	SS_OPT_STRING_("to", "NNNN", &to_opt, "apply the pending migrations up to this number only"),
	SS_OPT_STRING_("fake", "NNNN", &fake_opt, "record the pending migrations up to NNNN as applied without running them (adopting a database)"),
	SS_OPT_STRING_("dir", "DIR", &dir_opt, "the migrations folder (default: config migrations.dir, or migrations)"),
	SS_OPT_END_
};

const struct ss_cmd ss_cmd_migrate = {
	.name = "migrate",
	.summary = "apply pending migration files, each in its own transaction",
	.usage = "migrate [--dry-run] [--to NNNN] [--fake NNNN] [--dir DIR]",
	.description = "Applies the pending migrations in order, each up section in its own\n"
	    "transaction (PostgreSQL: under push's advisory lock; SQLite: BEGIN\n"
	    "IMMEDIATE), recording each in the table schemasync_migrations. A failing\n"
	    "statement rolls its migration back and names FILE:LINE (exit 1). A file\n"
	    "edited after it was applied stops everything before it runs (exit 2).",
	.flags = SS_CMD_NEEDS_DB | SS_CMD_CREATES_DB,
	.opts = migrate_opts,
	.exec = migrate_exec,
};
