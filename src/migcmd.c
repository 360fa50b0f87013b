/*
 * What the migration commands share (include/ss/migcmd.h).
 *
 * The journal is written in the transaction of the migration it
 * records: the row and the migration's statements commit together or
 * not at all. Its values are names checked by ss_migration_file_name()
 * and hex checksums, so they are written as literals.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ss/load.h"
#include "ss/migcmd.h"
#include "ss/util.h"

const char *
ss_mig_dir(const struct ss_ctx *ctx, const char *opt)
{
	if (opt != NULL)
		return opt;
	if (ctx->config.migrations_dir != NULL)
		return ctx->config.migrations_dir;
	return "migrations";
}

int
ss_mig_load_snapshot(const char *path, struct ss_schema *out,
    struct ss_err *err)
{
	struct ss_diags d = SS_DIAGS_INIT;
	char *text = NULL;
	size_t len;
	int rc = 0;

	ss_schema_init(out);
	if (path == NULL)
		return 0;
	if ((rc = ss_read_file(path, &text, &len, err)) < 0) {
		ss_err_prefix(err, "reading the snapshot (it is written by "
		    "'schemasync generate' beside its migration): ");
		return rc;
	}
	if (ss_load_buffers(out, &path, (const char *const *)&text, 1, &d) < 0)
		rc = ss_err_set(err, SS_EUSAGE, "%s: the snapshot does not load "
		    "(%s): it is written by 'schemasync generate'; restore it",
		    path, d.n > 0 ? d.v[0].msg : "invalid");
	free(text);
	ss_diags_release(&d);
	return rc;
}

int
ss_mig_write(const char *path, const char *text, struct ss_err *err)
{
	char *dir = ss_xstrdup(path), *slash = strrchr(dir, '/');
	FILE *f;
	int rc = 0;

	if (slash != NULL && slash != dir) {
		*slash = '\0';
		rc = ss_mkdirs(dir, err);
	}
	free(dir);
	if (rc < 0)
		return rc;
	if ((f = fopen(path, "w")) == NULL ||
	    fputs(text, f) == EOF || fclose(f) != 0)
		return ss_err_set(err, SS_EIO, "cannot write '%s': %s", path,
		    strerror(errno));
	return 0;
}

void
ss_journal_release(struct ss_journal *j)
{
	size_t i;

	for (i = 0; i < j->n; i++) {
		free(j->v[i].name);
		free(j->v[i].checksum);
		free(j->v[i].applied_at);
	}
	free(j->v);
	memset(j, 0, sizeof *j);
}

static void
journal_row(void *arg, size_t n, const char *const *v)
{
	struct ss_journal *j = arg;
	struct ss_journal_row *r;

	if (n < 4)
		return;
	SS_ALLOC_GROW(j->v, j->n, j->alloc);
	r = &j->v[j->n++];
	r->name = ss_xstrdup(v[0] ? v[0] : "");
	r->checksum = ss_xstrdup(v[1] ? v[1] : "");
	r->applied_at = ss_xstrdup(v[2] ? v[2] : "");
	r->duration_ms = v[3] ? atol(v[3]) : 0;
}

int
ss_journal_read(struct ss_engine *e, struct ss_journal *j,
    struct ss_schema *cur, struct ss_err *err)
{
	struct ss_schema tmp;
	int rc;

	memset(j, 0, sizeof *j);
	ss_schema_init(&tmp);
	if ((rc = ss_introspect_journal(e->dl, e->conn, e->config,
	    cur != NULL ? cur : &tmp, &j->exists, err)) < 0)
		goto out;
	if (j->exists && (rc = e->dl->select(e->conn, "SELECT name, checksum, "
	    "applied_at, duration_ms FROM " SS_JOURNAL_TABLE " ORDER BY name",
	    journal_row, j, err)) < 0)
		ss_err_prefix(err, "reading the migration journal: ");
out:
	ss_schema_release(&tmp);
	return rc;
}

const struct ss_journal_row *
ss_journal_find(const struct ss_journal *j, const char *name)
{
	size_t i;

	for (i = 0; i < j->n; i++)
		if (strcmp(j->v[i].name, name) == 0)
			return &j->v[i];
	return NULL;
}

int
ss_mig_read(const struct ss_migration *m, struct ss_mig_file *f,
    char checksum[17], struct ss_err *err)
{
	char *text = NULL;
	size_t len;
	int rc;

	ss_mig_file_init(f);
	if ((rc = ss_read_file(m->path, &text, &len, err)) < 0)
		return rc;
	ss_checksum_text_hex(text, len, checksum, false);
	ss_checksum_hex(text, len, f->raw_sum);
	ss_checksum_text_hex(text, len, f->crlf_sum, true);
	rc = ss_migration_parse(m->path, text, f, err);
	free(text);
	return rc;
}

bool
ss_mig_applied_as(const struct ss_mig_file *f, const char *sum,
    const char *journal)
{
	return strcmp(journal, sum) == 0 || strcmp(journal, f->raw_sum) == 0 ||
	    strcmp(journal, f->crlf_sum) == 0;
}

int
ss_mig_check_dialect(const struct ss_migration *m,
    const struct ss_mig_file *f, const struct ss_engine *e,
    const char *what, struct ss_err *err)
{
	const char *db = e->dl != NULL ? e->dl->name : NULL;

	if (f->dialect == NULL || db == NULL || strcmp(f->dialect, db) == 0)
		return 0;
	return ss_err_set(err, SS_EUSAGE, "%s was written for %s, and this "
	    "database is %s; nothing was %s: generate the migrations for %s "
	    "('schemasync generate --dialect %s', in a folder of their own)",
	    m->path, f->dialect, db, what, db, db);
}

static void
count_row(void *arg, size_t n, const char *const *v)
{
	if (n > 0 && v[0] != NULL)
		*(long *)arg = atol(v[0]);
}

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int
ss_mig_run(struct ss_engine *e, const struct ss_journal *j,
    const struct ss_migration *m, const struct ss_mig_stmt *stmts, size_t n,
    bool up, const char *checksum, bool run, struct ss_err *err)
{
	struct ss_buf b = SS_BUF_INIT;
	const char **sql = ss_xcalloc(n + 1, sizeof *sql);
	const char *tail[2];
	char when[32];
	time_t t = time(NULL);
	struct tm tm;
	double t0 = now_ms();
	size_t i, failed = 0;
	int rc;

	for (i = 0; i < n; i++)
		sql[i] = stmts[i].sql;
	if ((rc = ss_engine_exec_begin(e)) < 0)
		goto failed_db;
	/* The journal as it is now that the lock is held: two runs that
	 * read it at once queue on the lock, and the second must not run
	 * a migration again, nor a down section twice. (A journal table
	 * made since it was read is left to its primary key.) */
	if (j != NULL && j->exists) {
		long rows = 0;
		ss_buf_addf(&b, "SELECT count(*) FROM " SS_JOURNAL_TABLE
		    " WHERE name = '%s'", m->id);
		if ((rc = e->dl->select(e->conn, b.s, count_row, &rows,
		    &e->err)) < 0) {
			ss_err_prefix(&e->err, "reading the migration journal: ");
			ss_engine_exec_rollback(e);
			goto failed_db;
		}
		ss_buf_reset(&b);
		if ((up && rows > 0) || (!up && rows == 0)) {
			ss_engine_exec_rollback(e);
			rc = SS_MIG_DONE_ELSEWHERE;
			goto out;
		}
	}
	if (run && (rc = ss_engine_exec_run(e, sql, n, &failed)) < 0) {
		rc = ss_err_set(err, SS_EDB, "%s:%d: %s; %s was rolled back: "
		    "nothing of it applied", m->path, stmts[failed].line,
		    e->err.msg.s, m->id);
		goto out;
	}
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	tail[0] = "CREATE TABLE IF NOT EXISTS " SS_JOURNAL_TABLE " (name text "
	    "PRIMARY KEY, checksum text NOT NULL, applied_at text NOT NULL, "
	    "duration_ms integer NOT NULL)";
	if (up)
		ss_buf_addf(&b, "INSERT INTO " SS_JOURNAL_TABLE " (name, "
		    "checksum, applied_at, duration_ms) VALUES ('%s', '%s', "
		    "'%s', %ld)", m->id, checksum, when,
		    run ? (long)(now_ms() - t0 + 0.5) : 0L);
	else
		ss_buf_addf(&b, "DELETE FROM " SS_JOURNAL_TABLE " WHERE name = "
		    "'%s'", m->id);
	tail[1] = b.s;
	if ((rc = ss_engine_exec_run(e, tail, 2, &failed)) < 0 ||
	    (rc = ss_engine_exec_commit(e)) < 0)
		goto failed_db;
	goto out;
failed_db:
	ss_err_set(err, SS_EDB, "%s: %s", m->id, e->err.msg.s);
out:
	free(sql);
	ss_buf_release(&b);
	return rc;
}

int
ss_mig_connect(struct ss_ctx *ctx, struct ss_engine *e, struct ss_conn **conn)
{
	const struct ss_dialect *dl;
	struct ss_err err = SS_ERR_INIT;
	int status = 0;

	*conn = NULL;
	ss_engine_init(e, NULL, NULL, &ctx->config);
	if (!ctx->have_url && ss_resolve_db(ctx, &err) < 0) {
		ss_print_error(ctx, &err);
		status = 2;
		goto out;
	}
	if ((dl = ss_dialect_for(&ctx->url)) == NULL) {
		ss_err_set(&err, SS_EUSAGE, "%s: no dialect for this database",
		    ctx->url.display);
		ss_print_error(ctx, &err);
		status = 2;
		goto out;
	}
	e->dl = dl;
	if (dl->connect(&ctx->url, &ctx->config, conn, &err) < 0) {
		*conn = NULL;
		ss_print_error(ctx, &err);
		status = ss_err_exit_status(err.code);
		goto out;
	}
	e->conn = *conn;
out:
	ss_err_release(&err);
	return status;
}

int
ss_mig_open(struct ss_ctx *ctx, const char *dir, struct ss_engine *e,
    struct ss_conn **conn, struct ss_migrations *migs, struct ss_journal *j)
{
	struct ss_err err = SS_ERR_INIT;
	int status;

	if ((status = ss_mig_connect(ctx, e, conn)) != 0)
		return status;
	if (ss_migrations_list(dir, migs, &err) < 0 ||
	    ss_journal_read(e, j, NULL, &err) < 0) {
		ss_print_error(ctx, &err);
		status = ss_err_exit_status(err.code);
	}
	ss_err_release(&err);
	return status;
}

void
ss_mig_close(struct ss_engine *e, struct ss_conn *conn,
    struct ss_migrations *migs, struct ss_journal *j)
{
	ss_journal_release(j);
	ss_migrations_release(migs);
	if (conn != NULL)
		e->dl->close(conn);
	ss_engine_release(e);
}

void
ss_mig_json_entry(struct ss_buf *b, const struct ss_migration *m,
    const struct ss_mig_stmt *st, size_t n, const char *run, bool with_sql)
{
	size_t k;

	if (b->len > 0)
		ss_buf_addc(b, ',');
	ss_buf_adds(b, "{\"id\":");
	ss_json_string(b, m->id);
	ss_buf_adds(b, ",\"file\":");
	ss_json_string(b, m->path);
	ss_buf_addf(b, ",\"statements\":%zu", n);
	if (run != NULL)
		ss_buf_addf(b, ",\"run\":%s", run);
	if (with_sql) {
		ss_buf_adds(b, ",\"sql\":[");
		for (k = 0; k < n; k++) {
			if (k > 0)
				ss_buf_addc(b, ',');
			ss_json_string(b, st[k].sql);
		}
		ss_buf_addc(b, ']');
	}
	ss_buf_addc(b, '}');
}

void
ss_mig_json_open(struct ss_buf *b, const struct ss_ctx *ctx,
    const struct ss_err *err)
{
	char *msg;

	if (err == NULL) {
		ss_buf_addc(b, '{');
		return;
	}
	msg = ss_url_mask_message(err->msg.s, ctx->have_url ?
	    ctx->url.target : NULL);
	ss_buf_adds(b, "{\"event\":\"error\",\"error\":");
	ss_json_string(b, msg);
	ss_buf_addc(b, ',');
	free(msg);
}
