/*
 * The SQLite connection and the table rebuild (src/sqlite/db.h).
 *
 * Design notes:
 *  1. foreign_keys is switched off when the connection opens and never
 *     switched back on: DROP TABLE of a rebuilt parent would otherwise
 *     run an implicit DELETE that fires ON DELETE CASCADE and empties the
 *     children. Integrity is checked once, before COMMIT.
 *  2. The rebuild renames the new table over the old name with
 *     legacy_alter_table ON for that one statement. Since SQLite 3.26 a
 *     rename otherwise re-parses every view and trigger in the schema,
 *     and one that mentions the (just dropped) old table fails it. The
 *     two PRAGMAs are among the rebuild's statements, so a migration
 *     file written from a plan has them too.
 *  3. The AUTOINCREMENT counter lives in sqlite_sequence under the
 *     table's name; copying rows sets it to the largest id copied, which
 *     would hand out again the ids of rows deleted at the end of the
 *     table. Renaming a new table into place, the rebuild's own
 *     statements carry the old counter over, so that a migration file
 *     written from the plan keeps it as push does; through a TEMP copy
 *     (push only) it is read first and written back, inserted when no
 *     row was copied.
 *  4. Column collations, generated columns and the table options
 *     (WITHOUT ROWID, STRICT) are in the model, so the new table's
 *     CREATE TABLE has them as the files say; generated columns are
 *     left out of the copy (their values are computed, and SQLite
 *     refuses to write one).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "ss/buf.h"
#include "ss/mem.h"
#include "db.h"
#include "ddl.h"
#include "ss/sqlparse.h"

static int
fail(sqlite3 *db, struct ss_err *err, const char *doing, const char *sql)
{
	if (sql != NULL)
		return ss_err_set(err, SS_EDB, "%s: %s\n  statement: %s", doing,
		    sqlite3_errmsg(db), sql);
	return ss_err_set(err, SS_EDB, "%s: %s", doing, sqlite3_errmsg(db));
}

int
ss_sqlite_open(const char *path, sqlite3 **out, struct ss_err *err)
{
	sqlite3 *db = NULL;
	int rc;

	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		/* SQLite says only "unable to open database file". */
		const char *slash = strrchr(path, '/');
		struct ss_buf dir = SS_BUF_INIT;
		struct stat st;

		if (slash != NULL && slash != path)
			ss_buf_addf(&dir, "%.*s", (int)(slash - path), path);
		if (dir.len > 0 && stat(dir.s, &st) != 0 && errno == ENOENT)
			ss_err_set(err, SS_EDB, "opening SQLite database '%s': "
			    "folder '%s' does not exist", path, dir.s);
		else
			ss_err_set(err, SS_EDB, "opening SQLite database '%s': %s",
			    path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		ss_buf_release(&dir);
		sqlite3_close(db);
		return -SS_EDB;
	}
	sqlite3_busy_timeout(db, SS_SQLITE_BUSY_MS);
	sqlite3_extended_result_codes(db, 1);
	if (ss_sqlite_exec(db, "PRAGMA foreign_keys = OFF", err) < 0) {
		ss_err_prefix(err, "opening '%s': ", path);
		sqlite3_close(db);
		return -SS_EDB;
	}
	*out = db;
	return 0;
}

void
ss_sqlite_close(sqlite3 *db)
{
	sqlite3_close(db);
}

int
ss_sqlite_exec(sqlite3 *db, const char *sql, struct ss_err *err)
{
	char *msg = NULL;
	int r;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	r = ss_err_set(err, SS_EDB, "statement failed: %s\n  statement: %s",
	    msg ? msg : sqlite3_errmsg(db), sql);
	sqlite3_free(msg);
	return r;
}

int
ss_sqlite_count(sqlite3 *db, const char *sql, long *out, struct ss_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(db, err, "counting", sql);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = (long)sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		*out = 0;
	else {
		fail(db, err, "counting", sql);
		sqlite3_finalize(st);
		return -SS_EDB;
	}
	sqlite3_finalize(st);
	return 0;
}

int
ss_sqlite_begin(sqlite3 *db, struct ss_err *err)
{
	if (ss_sqlite_exec(db, "BEGIN IMMEDIATE", err) < 0) {
		ss_err_prefix(err, "starting the transaction: ");
		return -SS_EDB;
	}
	return 0;
}

/* The first violation PRAGMA foreign_key_check finds, as a sentence. */
static int
fk_check(sqlite3 *db, struct ss_err *err)
{
	static const char sql[] = "SELECT \"table\", rowid, parent, "
	    "(SELECT count(*) FROM pragma_foreign_key_check) "
	    "FROM pragma_foreign_key_check LIMIT 1";
	sqlite3_stmt *st = NULL;
	int rc, r = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(db, err, "checking foreign keys", NULL);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		r = ss_err_set(err, SS_EDB, "foreign key check failed: %lld "
		    "row%s would reference missing rows (first: %s rowid %lld "
		    "-> %s); nothing was changed",
		    (long long)sqlite3_column_int64(st, 3),
		    sqlite3_column_int64(st, 3) == 1 ? "" : "s",
		    (const char *)sqlite3_column_text(st, 0),
		    (long long)sqlite3_column_int64(st, 1),
		    (const char *)sqlite3_column_text(st, 2));
	else if (rc != SQLITE_DONE)
		r = fail(db, err, "checking foreign keys", NULL);
	sqlite3_finalize(st);
	return r;
}

int
ss_sqlite_commit(sqlite3 *db, struct ss_err *err)
{
	int r;

	if ((r = fk_check(db, err)) < 0)
		return r;
	if (ss_sqlite_exec(db, "COMMIT", err) < 0) {
		ss_err_prefix(err, "committing: ");
		return -SS_EDB;
	}
	return 0;
}

void
ss_sqlite_rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

static void
quote(struct ss_buf *b, const char *name)
{
	ss_sqlite_quote_ident(b, name);
}

struct strs {
	char **v;
	size_t n, alloc;
};

static void
strs_release(struct strs *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

/* Rows of a one-text-column query bound to one parameter. */
static int
texts(sqlite3 *db, const char *sql, const char *param, struct strs *out,
    struct ss_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(db, err, "reading the schema", sql);
	if (param != NULL)
		sqlite3_bind_text(st, 1, param, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		SS_ALLOC_GROW(out->v, out->n, out->alloc);
		out->v[out->n++] = ss_xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(db, err, "reading the schema", sql);
	return 0;
}

/* Whether the view compiles now; *msg gets SQLite's message if not. */
static bool
view_compiles(sqlite3 *db, const char *view, struct ss_buf *msg)
{
	struct ss_buf sql = SS_BUF_INIT;
	sqlite3_stmt *st = NULL;
	bool ok;

	ss_buf_adds(&sql, "SELECT * FROM ");
	quote(&sql, view);
	ss_buf_adds(&sql, " LIMIT 0");
	ok = sqlite3_prepare_v2(db, sql.s, -1, &st, NULL) == SQLITE_OK;
	if (!ok)
		ss_buf_adds(msg, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	ss_buf_release(&sql);
	return ok;
}

/*
 * Whether the triggers on table compile: SQLite compiles a table's
 * triggers into every INSERT, UPDATE and DELETE of it when the statement
 * is prepared, so preparing one of each (never run) finds a trigger that
 * names a column or table that is gone. *msg gets SQLite's message.
 */
bool
ss_sqlite_triggers_compile(sqlite3 *db, const char *table, struct ss_buf *msg)
{
	struct strs cols = { NULL, 0, 0 };
	struct ss_buf sql = SS_BUF_INIT;
	struct ss_err e = SS_ERR_INIT;
	sqlite3_stmt *st;
	size_t i, k;
	bool ok = true;

	if (texts(db, "SELECT name FROM pragma_table_info(?1)", table, &cols,
	    &e) < 0) {
		ss_buf_adds(msg, e.msg.s);
		ss_err_release(&e);
		return false;
	}
	for (k = 0; k < 3 && ok; k++) {
		ss_buf_reset(&sql);
		if (k == 0) {
			ss_buf_adds(&sql, "INSERT INTO ");
			quote(&sql, table);
			ss_buf_adds(&sql, " DEFAULT VALUES");
		} else if (k == 1) {
			if (cols.n == 0)
				continue;
			ss_buf_adds(&sql, "UPDATE ");
			quote(&sql, table);
			ss_buf_adds(&sql, " SET ");
			for (i = 0; i < cols.n; i++) {
				if (i)
					ss_buf_adds(&sql, ", ");
				quote(&sql, cols.v[i]);
				ss_buf_adds(&sql, " = ");
				quote(&sql, cols.v[i]);
			}
			ss_buf_adds(&sql, " WHERE 0");
		} else {
			ss_buf_adds(&sql, "DELETE FROM ");
			quote(&sql, table);
			ss_buf_adds(&sql, " WHERE 0");
		}
		st = NULL;
		if (sqlite3_prepare_v2(db, sql.s, -1, &st, NULL) != SQLITE_OK) {
			ok = false;
			ss_buf_adds(msg, sqlite3_errmsg(db));
		}
		sqlite3_finalize(st);
	}
	ss_buf_release(&sql);
	strs_release(&cols);
	return ok;
}

/*
 * Views and triggers are checked alike: what compiled before a rebuild
 * must compile after it, and what was already broken (a view over a
 * table long gone) is not the rebuild's doing. names_sql lists the
 * names to try (views, or tables that have triggers); compiles tries one.
 */
typedef bool (*compiles_fn)(sqlite3 *db, const char *name,
    struct ss_buf *msg);

static int
working(sqlite3 *db, const char *names_sql, compiles_fn compiles,
    struct strs *out, struct ss_err *err)
{
	struct strs names = { NULL, 0, 0 };
	struct ss_buf msg = SS_BUF_INIT;
	size_t i;
	int r;

	r = texts(db, names_sql, NULL, &names, err);
	for (i = 0; r == 0 && i < names.n; i++) {
		ss_buf_reset(&msg);
		if (!compiles(db, names.v[i], &msg))
			continue;
		SS_ALLOC_GROW(out->v, out->n, out->alloc);
		out->v[out->n++] = ss_xstrdup(names.v[i]);
	}
	ss_buf_release(&msg);
	strs_release(&names);
	return r;
}

/* what: "view 'v'" or "a trigger on 't'", for the message. */
static int
still_working(sqlite3 *db, const char *table, const struct strs *names,
    compiles_fn compiles, const char *what, struct ss_err *err)
{
	struct ss_buf msg = SS_BUF_INIT;
	size_t i;
	int r = 0;

	for (i = 0; r == 0 && i < names->n; i++) {
		ss_buf_reset(&msg);
		if (!compiles(db, names->v[i], &msg))
			r = ss_err_set(err, SS_EDB, "rebuilding '%s' breaks %s "
			    "'%s': %s; change or drop it first", table, what,
			    names->v[i], msg.s);
	}
	ss_buf_release(&msg);
	return r;
}

#define VIEWS_SQL "SELECT name FROM sqlite_schema WHERE type = 'view' " \
	"ORDER BY rowid"
#define TRIGGER_TABLES_SQL "SELECT DISTINCT tbl_name FROM sqlite_schema " \
	"WHERE type = 'trigger' ORDER BY tbl_name"

/* The table's AUTOINCREMENT counter, or -1 when it has none. */
static int
seq_read(sqlite3 *db, const char *table, long *seq, struct ss_err *err)
{
	static const char sql[] = "SELECT seq FROM sqlite_sequence "
	    "WHERE name = ?1";
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(db, err, "reading the AUTOINCREMENT counter", sql);
	sqlite3_bind_text(st, 1, table, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	*seq = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(db, err, "reading the AUTOINCREMENT counter", sql);
	return 0;
}

/* INSERT INTO [into_db.]"into" (cols) SELECT exprs FROM [from_db.]"from" */
static void
copy_rows(struct ss_buf *b, const char *into_db, const char *into,
    const char *cols, const char *exprs, const char *from_db,
    const char *from)
{
	ss_buf_addf(b, "INSERT INTO %s", into_db);
	quote(b, into);
	ss_buf_addf(b, " (%s) SELECT %s FROM %s", cols, exprs, from_db);
	quote(b, from);
}

/* DROP TABLE [db.]"name" */
static void
drop_table(struct ss_buf *b, const char *db, const char *name)
{
	ss_buf_addf(b, "DROP TABLE %s", db);
	quote(b, name);
}

int
ss_sqlite_rebuild_swap(const struct ss_sqlite_rebuild *rb,
    int (*fn)(void *arg, const char *sql), void *arg)
{
	struct ss_buf s[8];		/* the most either way has */
	bool rows = *rb->copy_into != '\0';
	size_t i, n = 0;
	int r = 0;

	for (i = 0; i < 8; i++)
		ss_buf_init(&s[i]);
	if (!rb->via_temp) {
		/* A new table under tmp, filled, renamed over the old; the
		 * RENAME only renames (note 2): references to the table in
		 * triggers and views already name it. */
		ss_buf_adds(&s[n++], rb->create_tmp);
		if (rows)
			copy_rows(&s[n++], "", rb->tmp, rb->copy_into,
			    rb->copy_from, "", rb->table);
		if (rb->counter) {
			/* The old table's counter, not the copied rows'
			 * highest id (note 3): statements, so that a
			 * migration file carries it too. RENAME moves it. */
			ss_buf_adds(&s[n], "DELETE FROM sqlite_sequence WHERE "
			    "name = ");
			ss_sqlite_quote_string(&s[n], rb->tmp);
			ss_buf_adds(&s[n], " AND EXISTS (SELECT 1 FROM "
			    "sqlite_sequence WHERE name = ");
			ss_sqlite_quote_string(&s[n], rb->table);
			ss_buf_addc(&s[n++], ')');
			ss_buf_adds(&s[n], "INSERT INTO sqlite_sequence (name, "
			    "seq) SELECT ");
			ss_sqlite_quote_string(&s[n], rb->tmp);
			ss_buf_adds(&s[n], ", seq FROM sqlite_sequence WHERE "
			    "name = ");
			ss_sqlite_quote_string(&s[n], rb->table);
			n++;
		}
		drop_table(&s[n++], "", rb->table);
		ss_buf_adds(&s[n++], "PRAGMA legacy_alter_table = ON");
		ss_buf_adds(&s[n], "ALTER TABLE ");
		quote(&s[n], rb->tmp);
		ss_buf_adds(&s[n], " RENAME TO ");
		quote(&s[n++], rb->table);
		ss_buf_adds(&s[n++], "PRAGMA legacy_alter_table = OFF");
	} else {
		/* The rows aside as they are (columns without a type), the
		 * table dropped and created again, the rows back. */
		if (rows) {
			ss_buf_adds(&s[n], "CREATE TEMP TABLE ");
			quote(&s[n], rb->tmp);
			ss_buf_addf(&s[n++], " (%s)", rb->copy_into);
			copy_rows(&s[n++], "temp.", rb->tmp, rb->copy_into,
			    rb->copy_from, "", rb->table);
		}
		drop_table(&s[n++], "", rb->table);
		ss_buf_adds(&s[n++], rb->create);
		if (rows) {
			copy_rows(&s[n++], "", rb->table, rb->copy_into,
			    rb->copy_into, "temp.", rb->tmp);
			drop_table(&s[n++], "temp.", rb->tmp);
		}
	}
	for (i = 0; i < n && r == 0; i++)
		r = fn(arg, s[i].s);
	for (i = 0; i < 8; i++)
		ss_buf_release(&s[i]);
	return r;
}

struct exec_ctx {
	sqlite3 *db;
	struct ss_err *err;
};

static int
exec_one(void *arg, const char *sql)
{
	struct exec_ctx *ex = arg;

	return ss_sqlite_exec(ex->db, sql, ex->err);
}

int
ss_sqlite_rebuild(sqlite3 *db, const struct ss_sqlite_rebuild *rb,
    struct ss_err *err)
{
	struct strs triggers = { NULL, 0, 0 };
	struct strs views = { NULL, 0, 0 };
	struct strs trig_tables = { NULL, 0, 0 };
	struct exec_ctx ex;
	long seq = -1, has_seq = 0;
	size_t i;
	int r;

	/* Triggers go with the old table; keep their text to recreate.
	 * A trigger's tbl_name is the table as its CREATE TRIGGER wrote
	 * it, which SQLite matches without case ("ON users" for "Users"). */
	if ((r = texts(db, "SELECT sql FROM sqlite_schema WHERE type = "
	    "'trigger' AND tbl_name = ?1 COLLATE NOCASE AND sql IS NOT NULL "
	    "ORDER BY rowid",
	    rb->table, &triggers, err)) < 0)
		goto out;
	if ((r = ss_sqlite_count(db, "SELECT count(*) FROM sqlite_schema "
	    "WHERE name = 'sqlite_sequence'", &has_seq, err)) < 0)
		goto out;
	if (has_seq && (r = seq_read(db, rb->table, &seq, err)) < 0)
		goto out;
	if ((r = working(db, VIEWS_SQL, view_compiles, &views, err)) < 0 ||
	    (r = working(db, TRIGGER_TABLES_SQL, ss_sqlite_triggers_compile,
	    &trig_tables, err)) < 0)
		goto out;

	ex.db = db;
	ex.err = err;
	r = ss_sqlite_rebuild_swap(rb, exec_one, &ex);
	if (r < 0) {
		/* Failed between the two PRAGMAs (note 2). */
		sqlite3_exec(db, "PRAGMA legacy_alter_table = OFF", NULL, NULL,
		    NULL);
		goto out;
	}
	for (i = 0; i < rb->nindexes; i++)
		if ((r = ss_sqlite_exec(db, rb->indexes[i], err)) < 0)
			goto out;
	for (i = 0; i < triggers.n; i++) {
		if ((r = ss_sqlite_exec(db, triggers.v[i], err)) < 0) {
			ss_err_prefix(err, "recreating a trigger of '%s': ",
			    rb->table);
			goto out;
		}
	}
	if (seq >= 0 && rb->counter && rb->via_temp) {
		/* Through a TEMP copy (a rename's statements carry it):
		 * updated, or inserted when no row was copied (an empty
		 * table keeps its counter too). */
		static const char *const sql[] = {
			"UPDATE sqlite_sequence SET seq = max(seq, ?2) "
			"WHERE name = ?1",
			"INSERT INTO sqlite_sequence (name, seq) SELECT ?1, ?2 "
			"WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence "
			"WHERE name = ?1)",
		};
		sqlite3_stmt *st = NULL;
		for (i = 0; i < 2 && r == 0; i++) {
			if (sqlite3_prepare_v2(db, sql[i], -1, &st, NULL) !=
			    SQLITE_OK) {
				r = fail(db, err, "keeping the AUTOINCREMENT "
				    "counter", sql[i]);
				break;
			}
			sqlite3_bind_text(st, 1, rb->table, -1,
			    SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 2, seq);
			if (sqlite3_step(st) != SQLITE_DONE)
				r = fail(db, err, "keeping the AUTOINCREMENT "
				    "counter", sql[i]);
			sqlite3_finalize(st);
			st = NULL;
		}
		if (r < 0)
			goto out;
	}
	if ((r = still_working(db, rb->table, &views, view_compiles, "view",
	    err)) < 0)
		goto out;
	r = still_working(db, rb->table, &trig_tables,
	    ss_sqlite_triggers_compile, "a trigger on", err);
out:
	strs_release(&triggers);
	strs_release(&views);
	strs_release(&trig_tables);
	return r;
}
