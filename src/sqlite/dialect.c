/*
 * The SQLite dialect (include/ss/dialect.h).
 *
 * Design notes:
 *  1. Emit uses ALTER TABLE where SQLite can: RENAME TO, RENAME COLUMN,
 *     ADD COLUMN (a nullable column, or NOT NULL with a literal default,
 *     no key, no CURRENT_* or expression default), DROP COLUMN (a column
 *     no key, index, foreign key or check uses), and CREATE/DROP INDEX.
 *     Everything else on a table is done by one 12-step rebuild of that
 *     table to its desired shape (sqlite-db.h), which carries out every
 *     other change of the table too: its indexes are recreated from the
 *     desired model, its renamed columns are copied from their old
 *     names.
 *  2. The rebuild step stands where the first change it carries out
 *     stood in the plan's order; renames of the table come before it.
 *  3. A rebuild makes the table exactly the desired one, so it must not
 *     run while a change of that table is held (watch's partial
 *     applies): emit refuses that with an error naming the table.
 *  4. Foreign keys need no order here: they are off for the connection
 *     and checked before COMMIT (sqlite-db.h), so a create_table carries
 *     all its foreign keys and a deferred add_foreign_key rides along
 *     with its create_table.
 *  5. Counts are plain aggregate queries. A count that fails on a
 *     user's expression (a check or an index predicate) is unknown (-1),
 *     which the classifier treats conservatively.
 *  6. Triggers are not managed, but SQLite drops a table's triggers
 *     with the table. The triggers of every table a statement drops (a
 *     step's, or a migration file's) are kept, and at commit those
 *     whose table exists again (--force-reset drops and re-creates
 *     every table; a migration file rebuilds a table as a push does)
 *     are recreated as they were, unless a trigger of the same name
 *     exists by then.
 *  7. Opening a file that does not exist creates it only for the
 *     commands that apply a schema (url->create: push, watch); for the
 *     others (pull, diff) it is an error. A connection that wrote
 *     nothing to a file it created (push --dry-run, an empty plan)
 *     removes it on close: looking changes nothing.
 *  8. SQLite takes names that differ only in ASCII letter case for one
 *     (names_fold_case). RENAME COLUMN to another spelling works, but
 *     RENAME TO another spelling of the table's own name is refused
 *     ("there is already another table"), so it goes through a free
 *     temporary name. Temporary names (that one, a rebuild's new table)
 *     are chosen free of every name of the database and of the files.
 *  9. A rebuild renames a new table over the old one, and SQLite
 *     re-parses the whole schema for every RENAME (twice: to rewrite
 *     references, then to reload), 6 ms at 100 tables and 60 ms at
 *     1,000 for each table rebuilt. A table of at most COPY_ROWS rows
 *     (counted in the transaction, sq_measure) in a file of at most
 *     COPY_BYTES is instead copied into a TEMP table, dropped, created
 *     again under its own name and filled back: two copies of a few
 *     rows and no RENAME (2-4 ms at any schema size). The temporary
 *     table's columns have no type, so values pass through it as they
 *     are; both ways insert the same values in the same order into the
 *     same new table. A bigger table, one in a bigger file (a few rows
 *     may be large), or one not counted (generate writes files for any
 *     size), is renamed: one copy, and no large temporary file.
 * 10. A rebuild changes nothing the plan does not name. A column whose
 *     type the plan leaves alone keeps the type its database declares:
 *     the files' type is "the same" (ss_sqlite_same_type()) but may be
 *     written otherwise by the convention (BOOLEAN is INTEGER with a
 *     CHECK there, TIMESTAMP is TEXT), and writing it would add a CHECK
 *     that rows may not pass, or an affinity that converts values
 *     (1700000000 in a TIMESTAMP column would become text); but a
 *     STRICT table takes only the convention's names. Primary
 *     key columns get NOT NULL (introspect.c, note 5): sq_measure finds
 *     a rebuild whose key holds NULL unexecutable.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ss/countsql.h"
#include "ss/dialect.h"
#include "db.h"
#include "ddl.h"
#include "introspect.h"
#include "ss/sqlparse.h"
#include "ss/util.h"

struct sqlite_conn {
	sqlite3 *db;
	char *created;		/* the file, when opening created it (note 7) */
	char *path;		/* the file, NULL for :memory: */
	dev_t dev;		/* ...and which file it was when opened */
	ino_t ino;
	/* Triggers of the tables dropped in this transaction (note 6). */
	struct kept_trigger {
		char *table, *name, *sql;
	} *trig;
	size_t ntrig, atrig;
};

#define CONN(c) ((struct sqlite_conn *)(void *)(c))

#define COPY_ROWS 1000		/* note 9 */
#define COPY_BYTES (256L << 20)	/* ...in a file of at most this size */

static bool
same_type(const struct ss_type *d, const struct ss_type *c, void *ctx)
{
	(void)ctx;
	return ss_sqlite_same_type(d, c);
}

static bool
same_default(const struct ss_column *d, const struct ss_column *c, void *ctx)
{
	(void)ctx;
	return ss_sqlite_same_default(d, c);
}

static bool
same_expr(const char *d, const char *c, void *ctx)
{
	(void)ctx;
	return ss_sql_same_expr(d, c);
}

static void
quote(struct ss_buf *b, const char *name)
{
	ss_sqlite_quote_ident(b, name);
}

/* Connection. */

static int
sq_connect(const struct ss_url *url, const struct ss_config *cfg,
    struct ss_conn **out, struct ss_err *err)
{
	struct sqlite_conn *c;
	struct stat st;

	/*
	 * Only the commands that apply a schema (push, watch) may create
	 * the file: a mistyped path given to pull or diff is an error, not
	 * an empty database that pulls to an empty schema.
	 */
	if (!url->create && strcmp(url->target, ":memory:") != 0 &&
	    *url->target != '\0' && stat(url->target, &st) != 0 &&
	    errno == ENOENT)
		return ss_err_set(err, SS_EDB, "opening SQLite database '%s': "
		    "no such file (only push, watch and migrate create one)",
		    url->target);
	c = ss_xcalloc(1, sizeof *c);
	if (strcmp(url->target, ":memory:") != 0 && *url->target != '\0' &&
	    stat(url->target, &st) != 0)
		c->created = ss_xstrdup(url->target);
	if (ss_sqlite_open(url->target, &c->db, err) < 0) {
		free(c->created);
		free(c);
		return -SS_EDB;
	}
	(void)cfg;	/* nothing in the config concerns the SQLite connection */
	if (strcmp(url->target, ":memory:") != 0 && *url->target != '\0' &&
	    stat(url->target, &st) == 0) {
		c->path = ss_xstrdup(url->target);
		c->dev = st.st_dev;
		c->ino = st.st_ino;
	}
	*out = (struct ss_conn *)(void *)c;
	return 0;
}

/*
 * Kept for another run while no transaction is open and the path still
 * names the file that was opened: a database moved away or replaced is
 * opened again (and found missing), not written through an old handle.
 */
static bool
sq_reusable(struct ss_conn *conn)
{
	struct sqlite_conn *c = CONN(conn);
	struct stat st;

	if (!sqlite3_get_autocommit(c->db))
		return false;
	if (c->path == NULL)
		return true;	/* :memory: lives as long as its connection */
	return stat(c->path, &st) == 0 && st.st_dev == c->dev &&
	    st.st_ino == c->ino;
}

static void
triggers_forget(struct sqlite_conn *c)
{
	size_t i;

	for (i = 0; i < c->ntrig; i++) {
		free(c->trig[i].table);
		free(c->trig[i].name);
		free(c->trig[i].sql);
	}
	c->ntrig = 0;
}

/*
 * Keeps the text of table's triggers before the table is dropped. A
 * trigger's tbl_name is the table as its CREATE TRIGGER wrote it, which
 * SQLite matches without case.
 */
static int
triggers_keep(struct sqlite_conn *c, const char *table, struct ss_err *err)
{
	static const char q[] = "SELECT name, sql FROM sqlite_schema WHERE "
	    "type = 'trigger' AND tbl_name = ?1 COLLATE NOCASE AND sql IS NOT "
	    "NULL ORDER BY rowid";
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(c->db, q, -1, &st, NULL) != SQLITE_OK)
		return ss_err_set(err, SS_EDB, "reading the triggers of '%s': %s",
		    table, sqlite3_errmsg(c->db));
	sqlite3_bind_text(st, 1, table, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		SS_ALLOC_GROW(c->trig, c->ntrig, c->atrig);
		c->trig[c->ntrig].table = ss_xstrdup(table);
		c->trig[c->ntrig].name = ss_xstrdup(
		    (const char *)sqlite3_column_text(st, 0));
		c->trig[c->ntrig++].sql = ss_xstrdup(
		    (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ss_err_set(err, SS_EDB, "reading the triggers of '%s': %s",
		    table, sqlite3_errmsg(c->db));
	return 0;
}

/*
 * Recreates the kept triggers whose table exists again, unless a
 * trigger of that name exists already (a migration file made it again).
 * Then the triggers of each such table must compile: SQLite takes one
 * whose body names a column that is gone, and would refuse every write
 * of the table after the commit.
 */
static int
triggers_restore(struct sqlite_conn *c, struct ss_err *err)
{
	static const char q[] = "SELECT count(*) FROM sqlite_schema WHERE "
	    "type = 'table' AND name = ?1 COLLATE NOCASE AND NOT EXISTS ("
	    "SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND "
	    "name = ?2 COLLATE NOCASE)";
	sqlite3_stmt *st = NULL;
	struct ss_buf msg = SS_BUF_INIT;
	bool *back;
	size_t i, j;
	int r = 0;

	if (c->ntrig == 0)
		return 0;
	if (sqlite3_prepare_v2(c->db, q, -1, &st, NULL) != SQLITE_OK)
		return ss_err_set(err, SS_EDB, "recreating triggers: %s",
		    sqlite3_errmsg(c->db));
	back = ss_xcalloc(c->ntrig, sizeof *back);
	for (i = 0; r == 0 && i < c->ntrig; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, c->trig[i].table, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, c->trig[i].name, -1, SQLITE_TRANSIENT);
		back[i] = sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_int(st, 0) > 0;
		if (back[i] && (r = ss_sqlite_exec(c->db, c->trig[i].sql,
		    err)) < 0)
			ss_err_prefix(err, "recreating a trigger of '%s': ",
			    c->trig[i].table);
	}
	sqlite3_finalize(st);
	/* Once a table has all its triggers back. */
	for (i = 0; r == 0 && i < c->ntrig; i++) {
		if (!back[i])
			continue;
		for (j = 0; j < i; j++)
			if (back[j] && ss_streq_icase(c->trig[j].table,
			    c->trig[i].table))
				break;
		if (j < i || ss_sqlite_triggers_compile(c->db,
		    c->trig[i].table, &msg))
			continue;
		r = ss_err_set(err, SS_EDB, "'%s' was dropped and made again, "
		    "and a trigger on it no longer compiles: %s; drop or "
		    "change the trigger first (DROP TRIGGER); nothing was "
		    "changed", c->trig[i].table, msg.s);
	}
	free(back);
	ss_buf_release(&msg);
	return r;
}

static void
sq_close(struct ss_conn *conn)
{
	struct stat st;

	ss_sqlite_close(CONN(conn)->db);
	if (CONN(conn)->created != NULL &&
	    stat(CONN(conn)->created, &st) == 0 && st.st_size == 0)
		unlink(CONN(conn)->created);
	free(CONN(conn)->created);
	free(CONN(conn)->path);
	triggers_forget(CONN(conn));
	free(CONN(conn)->trig);
	free(conn);
}

/*
 * A small page cache while introspecting. SQLite parses the schema from
 * every page of sqlite_schema the first time a statement needs it, and
 * with the default cache (2 MB) those pages stay in memory for the run:
 * 1.3 MB at 1,000 tables, for pages read once. The schema is read here
 * with SQLite's soft heap limit at its lowest, under which the page
 * cache reuses its pages instead of taking more (the PRAGMA needs the
 * schema, so it is what reads it); introspection then runs on 64 KiB,
 * and the default is back for applying. An error is left to the
 * statements that follow, which say it as they always did.
 */
#define INTROSPECT_CACHE "PRAGMA cache_size = -64"
#define DEFAULT_CACHE "PRAGMA cache_size = -2000"

static int
sq_introspect(struct ss_conn *conn, struct ss_schema *out, struct ss_err *err)
{
	sqlite3 *db = CONN(conn)->db;
	sqlite3_int64 limit;
	int r;

	limit = sqlite3_soft_heap_limit64(1);
	sqlite3_exec(db, INTROSPECT_CACHE, NULL, NULL, NULL);
	sqlite3_soft_heap_limit64(limit);
	r = ss_sqlite_introspect(db, out, err);
	sqlite3_exec(db, DEFAULT_CACHE, NULL, NULL, NULL);
	return r;
}

/*
 * The schema cookie: SQLite adds one to it with every change of the
 * schema, by any connection, and a transaction reads the value its own
 * snapshot has. (Only PRAGMA schema_version = N or writing sqlite_schema
 * under writable_schema can change the schema without it, both of which
 * SQLite documents as corrupting.)
 */
static int
sq_fingerprint(struct ss_conn *conn, struct ss_buf *out, struct ss_err *err)
{
	sqlite3 *db = CONN(conn)->db;
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA schema_version", -1, &st,
	    NULL) != SQLITE_OK ||
	    (rc = sqlite3_step(st)) != SQLITE_ROW) {
		ss_err_set(err, SS_EDB, "reading the schema version: %s",
		    sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return -SS_EDB;
	}
	ss_buf_addf(out, "schema_version %lld",
	    (long long)sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	return 0;
}

static bool
is_ident(const char *s)
{
	if (*s == '\0' || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') ||
		    (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

/* A column name quoted, an expression verbatim. */
static void
term(struct ss_buf *b, const char *s)
{
	if (is_ident(s))
		quote(b, s);
	else
		ss_buf_adds(b, s);
}

static const struct ss_sql_names names = { quote, term };

/*
 * The LOSSY count on SQLite: the non-null values that a change of the
 * column's type would not keep as they are. A column's affinity
 * converts a value only when SQLite finds the conversion lossless and
 * reversible, and keeps it as it was otherwise ('abc' stays text in an
 * INTEGER column), so most values survive; what does not is text that
 * reads as a number but is not written the way the number is ('007'
 * becomes 7, '1.50' 1.5), a number that the new affinity cannot hold
 * exactly (a REAL as TEXT, an INTEGER beyond 2^53 as REAL), and, for a
 * boolean or an enum, a value outside its CHECK (which the rebuild
 * cannot copy). Rather than imitate SQLite's rules, the values go
 * through a temporary column of the new affinity, and those that come
 * back changed are counted: text compared as text, numbers as numbers.
 */
static int
lossy_count(struct sqlite_conn *c, const struct ss_count_request *q,
    long *count, struct ss_err *err)
{
	const char *aff = ss_sqlite_affinity(ss_sqlite_type_name(q->to));
	struct ss_err scratch = SS_ERR_INIT;
	struct ss_buf b = SS_BUF_INIT;
	size_t i;
	int r;

	*count = 0;
	if (strcmp(aff, "BLOB") == 0)
		return 0;	/* no affinity: nothing is converted */
	ss_buf_addf(&b, "DROP TABLE IF EXISTS temp.ss_affinity; "
	    "CREATE TEMP TABLE ss_affinity (was, now %s); "
	    "INSERT INTO temp.ss_affinity SELECT ", aff);
	quote(&b, q->column);
	ss_buf_adds(&b, ", ");
	quote(&b, q->column);
	ss_buf_adds(&b, " FROM ");
	quote(&b, q->table);
	ss_buf_adds(&b, " WHERE ");
	quote(&b, q->column);
	ss_buf_adds(&b, " IS NOT NULL");
	if (q->unless != NULL)
		ss_buf_addf(&b, " AND NOT (%s)", q->unless);
	if ((r = ss_sqlite_exec(c->db, b.s, err)) < 0)
		goto out;
	ss_buf_reset(&b);
	ss_buf_adds(&b, "SELECT count(*) FROM temp.ss_affinity WHERE "
	    "CASE typeof(was) "
	    "WHEN 'text' THEN typeof(now) <> 'text' AND CAST(now AS TEXT) <> was "
	    "WHEN 'blob' THEN 0 "
	    "ELSE CASE WHEN typeof(now) = 'text' "
	    "THEN CAST(now AS NUMERIC) <> was ELSE now <> was END END");
	if (q->to->kind == SS_TYPE_BOOLEAN)
		ss_buf_adds(&b, " OR now NOT IN (0, 1)");
	if (q->to_enum != NULL && q->to_enum->values.n > 0) {
		ss_buf_adds(&b, " OR now NOT IN (");
		for (i = 0; i < q->to_enum->values.n; i++) {
			if (i)
				ss_buf_adds(&b, ", ");
			ss_sqlite_quote_string(&b, q->to_enum->values.v[i].name);
		}
		ss_buf_adds(&b, ")");
	}
	r = ss_sqlite_count(c->db, b.s, count, err);
out:
	ss_buf_release(&b);
	(void)ss_sqlite_exec(c->db, "DROP TABLE IF EXISTS temp.ss_affinity",
	    &scratch);
	ss_err_release(&scratch);
	return r;
}

/*
 * The STRICT count: rows holding a value that a STRICT column of its
 * new type would refuse. STRICT takes what the column's affinity turns
 * into the column's own storage class ('5' into 5 for INTEGER, 1 into
 * 1.0 for REAL) and refuses the rest, so the values go through a
 * temporary table of those affinities and the rows whose values come
 * back in another class are counted. ANY takes everything.
 */
static int
strict_count(struct sqlite_conn *c, const struct ss_count_request *q,
    long *count, struct ss_err *err)
{
	struct ss_err scratch = SS_ERR_INIT;
	struct ss_buf b = SS_BUF_INIT, cols = SS_BUF_INIT, where = SS_BUF_INIT;
	const char *decl, *class;
	size_t i;
	int r = 0;

	*count = 0;
	ss_buf_adds(&b, "DROP TABLE IF EXISTS temp.ss_strict; "
	    "CREATE TEMP TABLE ss_strict (");
	for (i = 0; i < q->ncolumns; i++) {
		decl = ss_sqlite_type_name(q->types[i]);
		class = ss_streq_icase(decl, "INT") ||
		    ss_streq_icase(decl, "INTEGER") ? "integer" :
		    ss_streq_icase(decl, "REAL") ? "real" :
		    ss_streq_icase(decl, "TEXT") ? "text" :
		    ss_streq_icase(decl, "BLOB") ? "blob" : NULL;
		ss_buf_addf(&b, "%sc%zu %s", i ? ", " : "", i,
		    class ? decl : "ANY");
		ss_buf_addf(&cols, "%s", i ? ", " : "");
		quote(&cols, q->columns[i]);
		if (class != NULL)
			ss_buf_addf(&where, "%s(c%zu IS NOT NULL AND "
			    "typeof(c%zu) <> '%s')", where.len ? " OR " : "",
			    i, i, class);
		/* The boolean's CHECK comes with the rebuild too (a pulled
		 * BOOLEAN column may have had none). */
		if (q->types[i]->kind == SS_TYPE_BOOLEAN)
			ss_buf_addf(&where, "%sc%zu NOT IN (0, 1)",
			    where.len ? " OR " : "", i);
	}
	if (where.len == 0)
		goto out;	/* every column takes anything */
	ss_buf_addf(&b, "); INSERT INTO temp.ss_strict SELECT %s FROM ",
	    cols.s);
	quote(&b, q->table);
	if ((r = ss_sqlite_exec(c->db, b.s, err)) < 0)
		goto out;
	ss_buf_reset(&b);
	ss_buf_addf(&b, "SELECT count(*) FROM temp.ss_strict WHERE %s",
	    where.s);
	r = ss_sqlite_count(c->db, b.s, count, err);
out:
	ss_buf_release(&b);
	ss_buf_release(&cols);
	ss_buf_release(&where);
	(void)ss_sqlite_exec(c->db, "DROP TABLE IF EXISTS temp.ss_strict",
	    &scratch);
	ss_err_release(&scratch);
	return r;
}

static int
sq_count(struct ss_conn *conn, struct ss_count_request *q, struct ss_err *err)
{
	struct ss_buf b = SS_BUF_INIT;
	bool tolerant = ss_count_tolerant(q->kind);
	int r = 0;

	switch (q->kind) {
	case SS_COUNT_LOSSY:
		if (lossy_count(CONN(conn), q, &q->count, err) < 0) {
			if (tolerant) {
				q->count = -1;
				ss_err_release(err);
			} else {
				ss_err_prefix(err, "counting what the plan would "
				    "change: ");
				r = -SS_EDB;
			}
		}
		goto out;
	case SS_COUNT_STRICT:
		if (strict_count(CONN(conn), q, &q->count, err) < 0) {
			ss_err_prefix(err, "counting what the plan would "
			    "change: ");
			r = -SS_EDB;
		}
		goto out;
	case SS_COUNT_ENUM_VALUE:
		ss_buf_adds(&b, "SELECT count(*) FROM ");
		quote(&b, q->table);
		ss_buf_adds(&b, " WHERE ");
		quote(&b, q->column);
		ss_buf_adds(&b, " = ");
		ss_sqlite_quote_string(&b, q->value);
		break;
	case SS_COUNT_ENUM_IN_ARRAY:
		q->count = -1;	/* no arrays, no enum types: never asked */
		goto out;
	default:	/* the kinds every dialect writes alike */
		ss_count_sql(&b, q, &names);
		break;
	}
	if (ss_sqlite_count(CONN(conn)->db, b.s, &q->count, err) < 0) {
		if (tolerant) {
			q->count = -1;
			ss_err_release(err);
		} else {
			ss_err_prefix(err, "counting what the plan would change: ");
			r = -SS_EDB;
		}
	}
out:
	ss_buf_release(&b);
	return r;
}

static int
sq_begin(struct ss_conn *conn, struct ss_err *err)
{
	triggers_forget(CONN(conn));
	return ss_sqlite_begin(CONN(conn)->db, err);
}

static int
sq_commit(struct ss_conn *conn, struct ss_err *err)
{
	int r;

	if ((r = triggers_restore(CONN(conn), err)) < 0)
		return r;
	triggers_forget(CONN(conn));
	return ss_sqlite_commit(CONN(conn)->db, err);
}

static void
sq_rollback(struct ss_conn *conn)
{
	triggers_forget(CONN(conn));
	ss_sqlite_rollback(CONN(conn)->db);
}

/* The tables of the main schema a statement drops, as SQLite sees it. */
struct drops {
	char **v;
	size_t n, alloc;
};

static int
see_drops(void *arg, int action, const char *a1, const char *a2,
    const char *db, const char *inner)
{
	struct drops *d = arg;

	(void)a2;
	(void)inner;
	if (action == SQLITE_DROP_TABLE && a1 != NULL && db != NULL &&
	    strcmp(db, "main") == 0) {
		SS_ALLOC_GROW(d->v, d->n, d->alloc);
		d->v[d->n++] = ss_xstrdup(a1);
	}
	return SQLITE_OK;
}

/*
 * Runs sql, a step's or a migration file's, statement by statement. The
 * triggers of every table a statement drops are kept first (note 6):
 * SQLite names those tables as it prepares the statement (its
 * authorizer), whoever wrote the SQL.
 */
static int
exec_keeping_triggers(struct sqlite_conn *c, const char *sql,
    struct ss_err *err)
{
	struct drops d = { NULL, 0, 0 };
	sqlite3_stmt *st;
	const char *p = sql;
	size_t i;
	int rc = SQLITE_OK, r = 0;

	while (r == 0 && rc == SQLITE_OK && *p != '\0') {
		st = NULL;
		sqlite3_set_authorizer(c->db, see_drops, &d);
		rc = sqlite3_prepare_v2(c->db, p, -1, &st, &p);
		sqlite3_set_authorizer(c->db, NULL, NULL);
		for (i = 0; i < d.n; i++) {
			if (r == 0 && rc == SQLITE_OK)
				r = triggers_keep(c, d.v[i], err);
			free(d.v[i]);
		}
		d.n = 0;
		if (r < 0 || rc != SQLITE_OK || st == NULL)
			goto next;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
next:
		if (rc != SQLITE_OK && r == 0)
			r = ss_err_set(err, SS_EDB, "statement failed: %s\n"
			    "  statement: %s", sqlite3_errmsg(c->db), sql);
		sqlite3_finalize(st);
	}
	free(d.v);
	return r;
}

static int
sq_exec_step(struct ss_conn *conn, const struct ss_step *st,
    struct ss_err *err)
{
	size_t i;

	if (st->rebuild)
		return ss_sqlite_rebuild(CONN(conn)->db, st->priv, err);
	for (i = 0; i < st->nsql; i++)
		if (exec_keeping_triggers(CONN(conn), st->sql[i], err) < 0)
			return -SS_EDB;
	return 0;
}

static int
sq_select(struct ss_conn *conn, const char *sql,
    void (*fn)(void *, size_t, const char *const *), void *arg,
    struct ss_err *err)
{
	sqlite3 *db = CONN(conn)->db;
	sqlite3_stmt *st = NULL;
	const char **v = NULL;
	int i, nf, r;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return ss_err_set(err, SS_EDB, "%s", sqlite3_errmsg(db));
	nf = sqlite3_column_count(st);
	v = ss_xcalloc((size_t)nf + 1, sizeof *v);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < nf; i++)
			v[i] = (const char *)sqlite3_column_text(st, i);
		fn(arg, (size_t)nf, v);
	}
	free(v);
	if (r != SQLITE_DONE) {
		r = ss_err_set(err, SS_EDB, "%s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return r;
	}
	sqlite3_finalize(st);
	return 0;
}

/* Emit. */

static bool
key_has(const struct ss_key *k, const char *col)
{
	return k != NULL && ss_names_has(&k->columns, col);
}

/* Whether the current table uses col in a key, index, fk or check. */
static bool
column_in_use(const struct ss_table *t, const char *col)
{
	size_t i;

	if (t == NULL)
		return true;
	if (key_has(t->pk, col))
		return true;
	for (i = 0; i < t->nuniques; i++)
		if (key_has(&t->uniques[i], col))
			return true;
	for (i = 0; i < t->nindexes; i++)
		if (ss_names_has(&t->indexes[i].columns, col) ||
		    t->indexes[i].where != NULL)
			return true;
	for (i = 0; i < t->nfks; i++)
		if (ss_names_has(&t->fks[i].columns, col))
			return true;
	/* A generation expression may use any column (and DROP COLUMN
	 * refuses a column one uses). */
	for (i = 0; i < t->ncolumns; i++)
		if (t->columns[i].generated != NULL &&
		    strcmp(t->columns[i].name, col) != 0)
			return true;
	/* A check's expression may use any column. */
	return t->nchecks > 0;
}

/* What ALTER TABLE ADD COLUMN accepts (SQLite's documented limits). */
static bool
addable(const struct ss_table *t, const struct ss_column *c)
{
	size_t i;

	if (c == NULL || t == NULL || c->autoincrement || key_has(t->pk, c->name))
		return false;
	for (i = 0; i < t->nuniques; i++)
		if (key_has(&t->uniques[i], c->name))
			return false;
	if (c->def.kind == SS_DEFAULT_SQL)
		return false;
	/* ADD COLUMN takes a VIRTUAL generated column, not a STORED one. */
	if (c->generated != NULL && c->stored)
		return false;
	if (!c->nullable && (c->def.kind == SS_DEFAULT_NONE ||
	    c->def.kind == SS_DEFAULT_NULL))
		return false;
	return true;
}

static const struct ss_change *
created_in_plan(const struct ss_plan *p, const char *table)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->v[i]->op == SS_OP_CREATE_TABLE &&
		    strcmp(p->v[i]->table, table) == 0)
			return p->v[i];
	return NULL;
}

static bool
needs_rebuild(const struct ss_plan *p, const struct ss_change *c)
{
	switch (c->op) {
	case SS_OP_ALTER_COLUMN:
	case SS_OP_ADD_PRIMARY_KEY:
	case SS_OP_DROP_PRIMARY_KEY:
	case SS_OP_ADD_UNIQUE:
	case SS_OP_DROP_UNIQUE:
	case SS_OP_ADD_CHECK:
	case SS_OP_DROP_CHECK:
	case SS_OP_DROP_FOREIGN_KEY:
	case SS_OP_ALTER_FOREIGN_KEY:
	case SS_OP_ALTER_TABLE:
		return true;
	case SS_OP_ADD_FOREIGN_KEY:
		return created_in_plan(p, c->table) == NULL;
	case SS_OP_ADD_COLUMN:
		return !addable(c->d_table, c->d_column);
	case SS_OP_DROP_COLUMN:
		return column_in_use(c->c_table,
		    c->cur_column ? c->cur_column : c->column);
	default:
		return false;
	}
}

struct rebuild {
	const char *table;
	const struct ss_table *d_table;
	const struct ss_table *c_table;
	struct ss_step *step;
	long rows;		/* the table's rows up to COPY_ROWS + 1, or -1 */
};

struct emitter {
	const struct ss_plan *p;
	struct ss_steps *out;
	struct rebuild *rb;
	size_t nrb, arb;
	struct ss_buf b;
	struct ss_step *shown;	/* show_sql()'s */
};

/* ss_sqlite_rebuild_swap()'s statements, shown by the step. */
static int
show_sql(void *arg, const char *s)
{
	struct emitter *E = arg;

	ss_step_sql(E->out, E->shown, s);
	return 0;
}

static struct rebuild *
find_rebuild(struct emitter *E, const char *table)
{
	size_t i;

	for (i = 0; i < E->nrb; i++)
		if (strcmp(E->rb[i].table, table) == 0)
			return &E->rb[i];
	return NULL;
}

static struct ss_step *
step(struct emitter *E, struct ss_change *c)
{
	struct ss_step *st = ss_steps_add(E->out);

	ss_step_change(E->out, st, c);
	return st;
}

/*
 * Whether the plan drops table and does not create it again: then its
 * other changes (a foreign key of it dropped because the table it
 * references goes too) are carried out by that DROP TABLE, and never
 * rebuild a table that is going away.
 */
static bool
dropped_in_plan(const struct ss_plan *p, const char *table)
{
	bool dropped = false, created = false;
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct ss_change *c = p->v[i];
		if (c->held || c->table == NULL ||
		    !ss_streq_icase(c->table, table))
			continue;
		dropped |= c->op == SS_OP_DROP_TABLE;
		created |= c->op == SS_OP_CREATE_TABLE ||
		    c->op == SS_OP_RENAME_TABLE;
	}
	return dropped && !created;
}

static void
sql(struct emitter *E, struct ss_step *st)
{
	ss_step_sql(E->out, st, E->b.s);
	ss_buf_reset(&E->b);
}

/*
 * Whether name is in use, as SQLite compares names: tables, indexes,
 * views and triggers share one namespace, and the files may create any
 * of their tables and indexes.
 */
static bool
name_used(const struct ss_schema *s, const char *name)
{
	const struct ss_table *t;
	size_t i, j;

	for (i = 0; s != NULL && i < s->ntables; i++) {
		t = s->tables[i];
		if (ss_streq_icase(t->name, name))
			return true;
		for (j = 0; j < t->nindexes; j++)
			if (t->indexes[j].name != NULL &&
			    ss_streq_icase(t->indexes[j].name, name))
				return true;
	}
	for (i = 0; s != NULL && i < s->nothers; i++)
		if (s->others[i].name != NULL &&
		    ss_streq_icase(s->others[i].name, name))
			return true;
	for (i = 0; s != NULL && i < s->nviews; i++)
		if (ss_streq_icase(s->views[i]->name, name))
			return true;
	return false;
}

/* base + suffix, with a number after it if that is taken (note 8). */
static const char *
free_name(struct emitter *E, const char *base, const char *suffix)
{
	struct ss_buf b = SS_BUF_INIT;
	const char *name;
	int n = 1;

	ss_buf_addf(&b, "%s%s", base, suffix);
	while (name_used(E->p->current, b.s) || name_used(E->p->desired, b.s)) {
		ss_buf_reset(&b);
		ss_buf_addf(&b, "%s%s%d", base, suffix, ++n);
	}
	name = ss_arena_strdup(&E->out->arena, b.s);
	ss_buf_release(&b);
	return name;
}

/* The rename of column col (its new name) of table, or NULL. */
static const struct ss_change *
column_rename(const struct ss_plan *p, const char *table, const char *col)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct ss_change *c = p->v[i];
		if (c->op == SS_OP_RENAME_COLUMN && !c->held && !c->candidate &&
		    strcmp(c->table, table) == 0 && strcmp(c->column, col) == 0)
			return c;
	}
	return NULL;
}

/* Whether step st carries out change c. */
static bool
step_has(const struct ss_step *st, const struct ss_change *c)
{
	size_t i;

	for (i = 0; st != NULL && i < st->nchanges; i++)
		if (st->changes[i] == c)
			return true;
	return false;
}

/*
 * What the rebuild copies into column d from column src of the current
 * table. An enum column whose current values are not all values of the
 * desired enum (a value removed, or text becoming an enum) would fail
 * the new CHECK on every row holding one: such a value becomes the
 * column's default when that is a value of the enum, NULL otherwise.
 * That is the loss --accept-data-loss accepted ("3 rows use removed
 * values"); a NOT NULL column without a default still fails.
 */
static void
copy_expr(struct emitter *E, struct ss_buf *b, const struct ss_column *d,
    const struct ss_column *cc, const char *src)
{
	const struct ss_enum *de = NULL, *ce = NULL;
	size_t i;
	bool subset = true;

	if (d->type.kind == SS_TYPE_ENUM)
		de = ss_schema_enum(E->p->desired, d->type.name);
	if (de != NULL && cc != NULL && cc->type.kind == SS_TYPE_ENUM)
		ce = ss_schema_enum(E->p->current, cc->type.name);
	if (ce == NULL)
		subset = false;
	for (i = 0; ce != NULL && i < ce->values.n && subset; i++)
		subset = ss_names_has(&de->values, ce->values.v[i].name);
	if (de == NULL || subset) {
		quote(b, src);
		return;
	}
	ss_buf_adds(b, "CASE WHEN ");
	quote(b, src);
	ss_buf_adds(b, " IN (");
	for (i = 0; i < de->values.n; i++) {
		if (i)
			ss_buf_adds(b, ", ");
		ss_sqlite_quote_string(b, de->values.v[i].name);
	}
	ss_buf_adds(b, ") THEN ");
	quote(b, src);
	ss_buf_adds(b, " ELSE ");
	if (d->def.kind == SS_DEFAULT_STRING &&
	    ss_names_has(&de->values, d->def.value))
		ss_sqlite_quote_string(b, d->def.value);
	else
		ss_buf_adds(b, "NULL");
	ss_buf_adds(b, " END");
}

/*
 * The current column a rebuild copies desired column name from (its
 * old name when this rebuild renames it), with that rename in *rn.
 */
static const struct ss_column *
copied_from(const struct emitter *E, const struct rebuild *r,
    const char *name, const struct ss_change **rn)
{
	*rn = column_rename(E->p, r->table, name);
	return r->c_table == NULL ? NULL : ss_table_column(r->c_table,
	    *rn != NULL ? (*rn)->old_name : name);
}

/* The table a rebuild creates: the desired one, with the types of the
 * columns whose type the plan leaves alone as declared now (note 10). */
static const struct ss_table *
rebuilt_table(struct emitter *E, const struct rebuild *r)
{
	const struct ss_table *d = r->d_table;
	const struct ss_change *rn;
	const struct ss_column *dc, *cc;
	struct ss_column *cols = NULL;
	struct ss_table *t;
	size_t i;

	/* STRICT takes only its own type names: the files' types. */
	if (d->strict)
		return d;
	for (i = 0; i < d->ncolumns; i++) {
		dc = &d->columns[i];
		cc = copied_from(E, r, dc->name, &rn);
		if (cc == NULL || dc->autoincrement || dc->generated != NULL ||
		    !ss_sqlite_same_type(&dc->type, &cc->type) ||
		    (dc->type.kind == cc->type.kind &&
		    strcmp(ss_sqlite_type_name(&dc->type),
		    ss_sqlite_type_name(&cc->type)) == 0))
			continue;
		if (cols == NULL) {
			cols = ss_arena_alloc(&E->out->arena,
			    d->ncolumns * sizeof *cols);
			memcpy(cols, d->columns, d->ncolumns * sizeof *cols);
		}
		cols[i].type = cc->type;
	}
	if (cols == NULL)
		return d;
	t = ss_arena_alloc(&E->out->arena, sizeof *t);
	*t = *d;
	t->columns = cols;
	return t;
}

static int
fill_rebuild(struct emitter *E, struct rebuild *r, struct ss_err *err)
{
	struct ss_sqlite_rebuild *rb;
	struct ss_buf into = SS_BUF_INIT, from = SS_BUF_INIT;
	struct ss_buf want = SS_BUF_INIT;
	const struct ss_table *d = r->d_table;
	const char **ixs;
	size_t i;
	int rc = 0;

	rb = ss_arena_alloc(&E->out->arena, sizeof *rb);
	rb->table = ss_arena_strdup(&E->out->arena, r->table);
	rb->via_temp = r->rows >= 0 && r->rows <= COPY_ROWS;
	rb->tmp = free_name(E, r->table, rb->via_temp ? "__ss_old" :
	    "__ss_new");
	for (i = 0; i < d->ncolumns; i++)
		rb->counter |= d->columns[i].autoincrement;

	/* CREATE TABLE under the temporary name. */
	ss_sqlite_create_table(&E->b, E->p->desired, rebuilt_table(E, r));
	ss_buf_adds(&want, "CREATE TABLE ");
	quote(&want, d->name);
	if (strncmp(E->b.s, want.s, want.len) != 0) {
		rc = ss_err_set(err, SS_EINTERNAL, "rebuilding '%s': unexpected "
		    "CREATE TABLE text", r->table);
		goto out;
	}
	rb->create = ss_arena_strdup(&E->out->arena, E->b.s);
	/* Same text, the temporary name in place of the table's. */
	{
		size_t skip = want.len;
		ss_buf_reset(&want);
		ss_buf_adds(&want, "CREATE TABLE ");
		quote(&want, rb->tmp);
		ss_buf_adds(&want, E->b.s + skip);
	}
	ss_buf_reset(&E->b);
	rb->create_tmp = ss_arena_strdup(&E->out->arena, want.s);

	for (i = 0; i < d->ncolumns; i++) {
		/* A column renamed in this rebuild is copied from its old
		 * name; one renamed by ALTER TABLE before it, from its new. */
		const char *name = d->columns[i].name, *src = name;
		const struct ss_change *rn;
		const struct ss_column *cc = copied_from(E, r, name, &rn);

		if (rn != NULL && step_has(r->step, rn))
			src = rn->old_name;
		/* A generated column computes its values: nothing to copy
		 * (SQLite refuses an INSERT into one). */
		if (cc == NULL || d->columns[i].generated != NULL)
			continue;
		if (into.len) {
			ss_buf_adds(&into, ", ");
			ss_buf_adds(&from, ", ");
		}
		quote(&into, name);
		copy_expr(E, &from, &d->columns[i], cc, src);
	}
	/* No column to copy: the rows are still kept, each by its rowid,
	 * with the new columns' defaults (one that has none and may not be
	 * NULL fails the rebuild), under a name for the rowid that no
	 * column of either table takes. */
	if (into.len == 0 && r->c_table != NULL && !r->c_table->without_rowid &&
	    !d->without_rowid) {
		static const char *const alias[] = { "rowid", "_rowid_", "oid" };
		for (i = 0; i < 3; i++)
			if (ss_table_column_icase(d, alias[i]) == NULL &&
			    ss_table_column_icase(r->c_table, alias[i]) == NULL)
				break;
		if (i < 3) {
			quote(&into, alias[i]);
			quote(&from, alias[i]);
		}
	}
	rb->copy_into = ss_arena_strdup(&E->out->arena, into.s);
	rb->copy_from = ss_arena_strdup(&E->out->arena, from.s);
	ixs = ss_arena_alloc(&E->out->arena, (d->nindexes + 1) * sizeof *ixs);
	for (i = 0; i < d->nindexes; i++) {
		ss_sqlite_create_index(&E->b, d, &d->indexes[i]);
		ixs[i] = ss_arena_strdup(&E->out->arena, E->b.s);
		ss_buf_reset(&E->b);
	}
	rb->indexes = ixs;
	rb->nindexes = d->nindexes;

	/* What --dry-run shows: the statements the rebuild runs. */
	r->step->rebuild = true;
	r->step->priv = rb;
	E->shown = r->step;
	ss_sqlite_rebuild_swap(rb, show_sql, E);
	for (i = 0; i < rb->nindexes; i++)
		ss_step_sql(E->out, r->step, rb->indexes[i]);
	ss_buf_adds(&E->b, "-- triggers kept "
	    "as they were; foreign keys are off, so no ON DELETE action fires");
	sql(E, r->step);
out:
	ss_buf_release(&into);
	ss_buf_release(&from);
	ss_buf_release(&want);
	return rc;
}

/* The step that carries out change c, or NULL. */
static struct ss_step *
step_of(const struct ss_steps *out, const struct ss_change *c)
{
	size_t i, j;

	for (i = 0; i < out->n; i++)
		for (j = 0; j < out->v[i]->nchanges; j++)
			if (out->v[i]->changes[j] == c)
				return out->v[i];
	return NULL;
}

/*
 * Which tables are rebuilt, and from what; a held change to one of them
 * blocks the plan (the rebuild would apply it).
 */
static int
plan_rebuilds(struct emitter *E, struct ss_err *err)
{
	const struct ss_plan *p = E->p;
	struct rebuild *r;
	size_t i;

	for (i = 0; i < p->n; i++) {
		struct ss_change *c = p->v[i];
		if (c->held || c->table == NULL || !needs_rebuild(p, c) ||
		    dropped_in_plan(p, c->table))
			continue;
		if ((r = find_rebuild(E, c->table)) == NULL) {
			SS_ALLOC_GROW(E->rb, E->nrb, E->arb);
			r = &E->rb[E->nrb++];
			memset(r, 0, sizeof *r);
			r->table = c->table;
			r->rows = -1;
		}
		if (c->rows >= 0)
			r->rows = c->rows;
		if (c->d_table != NULL)
			r->d_table = c->d_table;
		if (c->c_table != NULL)
			r->c_table = c->c_table;
	}
	for (i = 0; i < p->n; i++) {
		struct ss_change *c = p->v[i];
		if (!c->held || c->table == NULL || find_rebuild(E, c->table) == NULL)
			continue;
		return ss_err_set(err, SS_EBLOCKED, "table '%s' must be rebuilt, "
		    "and a change to it is held; confirm the held change first",
		    c->table);
	}
	return 0;
}

/* One change outside a rebuild: its statements, as its own step. */
static int
emit_one(struct emitter *E, struct ss_change *c, struct ss_err *err)
{
	const struct ss_change *cr;
	struct ss_step *st;
	const char *from, *tmp;

	switch (c->op) {
	case SS_OP_CREATE_TABLE:
		ss_sqlite_create_table(&E->b, E->p->desired, c->d_table);
		sql(E, step(E, c));
		break;
	case SS_OP_DROP_TABLE:
		ss_buf_adds(&E->b, "DROP TABLE ");
		quote(&E->b, c->table);
		sql(E, step(E, c));
		break;
	case SS_OP_RENAME_TABLE:
		st = step(E, c);
		from = c->old_name;
		if (ss_streq_icase(from, c->table)) {	/* note 8 */
			tmp = free_name(E, c->table, "__ss_case");
			ss_buf_adds(&E->b, "ALTER TABLE ");
			quote(&E->b, from);
			ss_buf_adds(&E->b, " RENAME TO ");
			quote(&E->b, tmp);
			sql(E, st);
			from = tmp;
		}
		ss_buf_adds(&E->b, "ALTER TABLE ");
		quote(&E->b, from);
		ss_buf_adds(&E->b, " RENAME TO ");
		quote(&E->b, c->table);
		sql(E, st);
		break;
	case SS_OP_ADD_COLUMN:
		ss_buf_adds(&E->b, "ALTER TABLE ");
		quote(&E->b, c->table);
		ss_buf_adds(&E->b, " ADD COLUMN ");
		ss_sqlite_column_def(&E->b, E->p->desired, c->d_table,
		    c->d_column);
		sql(E, step(E, c));
		break;
	case SS_OP_DROP_COLUMN:
		ss_buf_adds(&E->b, "ALTER TABLE ");
		quote(&E->b, c->table);
		ss_buf_adds(&E->b, " DROP COLUMN ");
		quote(&E->b, c->cur_column ? c->cur_column : c->column);
		sql(E, step(E, c));
		break;
	case SS_OP_RENAME_COLUMN:
		ss_buf_adds(&E->b, "ALTER TABLE ");
		quote(&E->b, c->table);
		ss_buf_adds(&E->b, " RENAME COLUMN ");
		quote(&E->b, c->old_name);
		ss_buf_adds(&E->b, " TO ");
		quote(&E->b, c->column);
		sql(E, step(E, c));
		break;
	case SS_OP_CREATE_INDEX:
		ss_sqlite_create_index(&E->b, c->d_table, c->d_index);
		sql(E, step(E, c));
		break;
	case SS_OP_DROP_INDEX:
		ss_buf_adds(&E->b, "DROP INDEX ");
		quote(&E->b, c->object);
		sql(E, step(E, c));
		break;
	case SS_OP_ADD_FOREIGN_KEY:
		/* Of a table created in this plan: in its CREATE. */
		cr = created_in_plan(E->p, c->table);
		st = cr != NULL ? step_of(E->out, cr) : NULL;
		if (st == NULL)
			return ss_err_set(err, SS_EINTERNAL, "foreign key "
			    "'%s' of '%s' has no step", c->object, c->table);
		ss_step_change(E->out, st, c);
		break;
	case SS_OP_CREATE_VIEW:
		ss_buf_adds(&E->b, "CREATE VIEW ");
		quote(&E->b, c->object);
		ss_buf_addf(&E->b, " AS %s", c->d_view->sql);
		sql(E, step(E, c));
		break;
	case SS_OP_DROP_VIEW:
		ss_buf_adds(&E->b, "DROP VIEW ");
		quote(&E->b, c->object);
		sql(E, step(E, c));
		break;
	default:
		return ss_err_set(err, SS_EINTERNAL, "SQLite cannot %s "
		    "on '%s' outside a rebuild", ss_op_name(c->op),
		    c->table ? c->table : c->object);
	}
	return 0;
}

static int
sq_emit(const struct ss_plan *p, struct ss_steps *out, struct ss_err *err)
{
	struct emitter E;
	struct rebuild *r;
	size_t i;
	int rc = 0;

	memset(&E, 0, sizeof E);
	E.p = p;
	E.out = out;
	ss_buf_init(&E.b);

	if ((rc = plan_rebuilds(&E, err)) < 0)
		goto out;
	for (i = 0; i < p->n; i++) {
		struct ss_change *c = p->v[i];
		if (c->held)
			continue;
		if (c->table != NULL && c->op != SS_OP_DROP_TABLE &&
		    dropped_in_plan(p, c->table)) {
			step(&E, c);	/* its table's DROP TABLE does it */
			continue;
		}
		/*
		 * A rename of a column before the rebuild starts is an ALTER
		 * TABLE of its own, so that SQLite renames the column in the
		 * views, triggers and indexes that use it too.
		 */
		if (c->table != NULL && c->op != SS_OP_CREATE_TABLE &&
		    c->op != SS_OP_DROP_TABLE && c->op != SS_OP_RENAME_TABLE &&
		    (r = find_rebuild(&E, c->table)) != NULL &&
		    !(c->op == SS_OP_RENAME_COLUMN && r->step == NULL)) {
			if (r->step == NULL)
				r->step = step(&E, c);
			else
				ss_step_change(out, r->step, c);
			continue;
		}
		if ((rc = emit_one(&E, c, err)) < 0)
			goto out;
	}
	for (i = 0; i < E.nrb; i++)
		if (E.rb[i].step != NULL && (rc = fill_rebuild(&E, &E.rb[i],
		    err)) < 0)
			goto out;
out:
	free(E.rb);
	ss_buf_release(&E.b);
	return rc;
}

/*
 * What only PostgreSQL keeps: SQLite parses MATCH but does not enforce
 * it, and has no table inheritance for NO INHERIT to be about.
 */
static size_t
check_pg_only(const struct ss_table *t, struct ss_diags *d)
{
	size_t j, n = 0;

	for (j = 0; j < t->nfks; j++) {
		if (!t->fks[j].match_full)
			continue;
		ss_diag_add(d, SS_SEV_ERROR, &t->fks[j].match_loc, "'match: "
		    "full' on foreign key '%s' is PostgreSQL's: SQLite "
		    "ignores MATCH", t->fks[j].name);
		n++;
	}
	for (j = 0; j < t->nchecks; j++) {
		if (!t->checks[j].no_inherit)
			continue;
		ss_diag_add(d, SS_SEV_ERROR, &t->checks[j].no_inherit_loc,
		    "'no_inherit' on check '%s' is PostgreSQL's: SQLite has "
		    "no table inheritance", t->checks[j].name);
		n++;
	}
	return n;
}

/*
 * A STRICT table takes only the column types INT, INTEGER, REAL, TEXT,
 * BLOB and ANY; a type the convention declares otherwise (NUMERIC for
 * numeric, a verbatim type) would make CREATE TABLE fail.
 */
static size_t
check_strict(const struct ss_schema *s, const struct ss_table *t,
    struct ss_diags *d)
{
	static const char *const ok[] = { "INT", "INTEGER", "REAL", "TEXT",
		"BLOB", "ANY", NULL };
	const struct ss_column *c;
	const char *decl;
	struct ss_buf ty = SS_BUF_INIT;
	struct ss_loc at;
	size_t j, k, n = 0;

	(void)s;
	if (!t->strict)
		return 0;
	for (j = 0; j < t->ncolumns; j++) {
		c = &t->columns[j];
		decl = ss_sqlite_type_name(&c->type);
		for (k = 0; ok[k] != NULL && !ss_streq_icase(decl, ok[k]); k++)
			;
		if (ok[k] != NULL)
			continue;
		ss_buf_reset(&ty);
		ss_type_format(&ty, &c->type);
		ss_diag_add(d, SS_SEV_ERROR, c->type_loc.line != 0 ?
		    ss_column_loc(c, c->type_loc, &at) : &c->loc, "column "
		    "'%s' of STRICT table '%s' is '%s', which SQLite declares "
		    "%s: a STRICT table takes only INT, INTEGER, REAL, TEXT, "
		    "BLOB or ANY", c->name, t->name, ty.s,
		    *decl ? decl : "without a type");
		n++;
	}
	ss_buf_release(&ty);
	return n;
}

/*
 * What SQLite cannot keep for a column, beyond autoincrement's place:
 * identity options (AUTOINCREMENT has no start or step), a generated
 * column in the primary key, a collation other than the three built in
 * (a connection of schemasync's has no other).
 */
static size_t
check_columns(const struct ss_table *t, struct ss_diags *d)
{
	static const char *const colls[] = { "BINARY", "NOCASE", "RTRIM",
		NULL };
	const struct ss_column *c;
	struct ss_loc at;
	size_t j, k, n = 0;

	for (j = 0; j < t->ncolumns; j++) {
		c = &t->columns[j];
		if (c->autoincrement && !ss_identity_default(c)) {
			ss_diag_add(d, SS_SEV_ERROR,
			    ss_column_loc(c, c->autoincrement_loc, &at),
			    "'autoincrement' of '%s' has a start or increment: "
			    "SQLite's AUTOINCREMENT has neither", c->name);
			n++;
		}
		if (c->generated != NULL && t->pk != NULL &&
		    ss_names_has(&t->pk->columns, c->name)) {
			ss_diag_add(d, SS_SEV_ERROR,
			    ss_column_loc(c, c->generated_loc, &at),
			    "generated column '%s' cannot be in the primary "
			    "key on SQLite", c->name);
			n++;
		}
		if (c->collation == NULL)
			continue;
		for (k = 0; colls[k] != NULL; k++)
			if (ss_streq_icase(c->collation, colls[k]))
				break;
		if (colls[k] == NULL) {
			ss_diag_add(d, SS_SEV_ERROR,
			    ss_column_loc(c, c->collation_loc, &at),
			    "unknown collation '%s' for SQLite (it has BINARY, "
			    "NOCASE and RTRIM)", c->collation);
			n++;
		}
	}
	return n;
}

/*
 * SQLite has AUTOINCREMENT only on the INTEGER PRIMARY KEY; anywhere
 * else the files would ask for what no SQLite table can be, and every
 * push would plan it again.
 */
static size_t check_indexes(const struct ss_table *t, struct ss_diags *d);

static size_t
sq_check(const struct ss_schema *s, struct ss_diags *d)
{
	const struct ss_table *t;
	const struct ss_column *c;
	struct ss_loc at;
	size_t i, j, n = 0;

	for (i = 0; i < s->ntables; i++) {
		t = s->tables[i];
		n += check_columns(t, d);
		for (j = 0; j < t->ncolumns; j++) {
			c = &t->columns[j];
			if (!c->autoincrement || (t->pk != NULL &&
			    t->pk->columns.n == 1 &&
			    strcmp(t->pk->columns.v[0].name, c->name) == 0))
				continue;
			ss_diag_add(d, SS_SEV_ERROR,
			    ss_column_loc(c, c->autoincrement_loc, &at),
			    "'autoincrement' needs '%s' to be the table's only "
			    "primary key column: SQLite has AUTOINCREMENT only "
			    "for the INTEGER PRIMARY KEY", c->name);
			n++;
		}
		n += check_pg_only(t, d);
		n += check_strict(s, t, d);
		n += check_indexes(t, d);
	}
	for (i = 0; i < s->nviews; i++) {
		if (!s->views[i]->materialized || s->views[i]->drop)
			continue;
		ss_diag_add(d, SS_SEV_ERROR, &s->views[i]->materialized_loc,
		    "view '%s' is materialized, and SQLite has no materialized "
		    "views: remove 'materialized: true'", s->views[i]->name);
		n++;
	}
	return n;
}

/*
 * Index methods and options: SQLite has one kind of index, entries
 * ascending or descending with NULLs smallest, and unique constraints
 * that are never deferred. NULLs where SQLite puts them anyway are no
 * change (sq_prepare); elsewhere they cannot be.
 */
static size_t
check_indexes(const struct ss_table *t, struct ss_diags *d)
{
	const struct ss_index *ix;
	const struct ss_index_key *k;
	const struct ss_key *u;
	size_t j, e, n = 0;

	for (j = 0; j < t->nindexes; j++) {
		ix = &t->indexes[j];
		if (ix->method != NULL || ix->include.n > 0 ||
		    ix->nulls_not_distinct) {
			ss_diag_add(d, SS_SEV_ERROR, &ix->loc, "index '%s' has "
			    "'%s', which SQLite does not have", ix->name,
			    ix->method != NULL ? "using" : ix->include.n > 0 ?
			    "include" : "nulls_not_distinct");
			n++;
			continue;
		}
		for (e = 0; e < ix->columns.n; e++) {
			k = ss_index_key(ix, e);
			if (k->opclass == NULL && (k->nulls == SS_NULLS_DEFAULT ||
			    (k->nulls == SS_NULLS_FIRST) == !k->desc))
				continue;
			ss_diag_add(d, SS_SEV_ERROR, ix->columns.v[e].loc.file ?
			    &ix->columns.v[e].loc : &ix->loc, "index entry '%s' "
			    "of '%s' has %s, which SQLite does not have",
			    ix->columns.v[e].name, ix->name, k->opclass != NULL ?
			    "an operator class" : k->desc ? "NULLS FIRST "
			    "(SQLite puts NULLs last in descending order)" :
			    "NULLS LAST (SQLite puts NULLs first in ascending "
			    "order)");
			n++;
			break;
		}
	}
	for (j = 0; j < t->nuniques; j++) {
		u = &t->uniques[j];
		if (u->include.n == 0 && !u->nulls_not_distinct &&
		    !u->deferrable)
			continue;
		ss_diag_add(d, SS_SEV_ERROR, &u->loc, "unique constraint '%s' "
		    "has '%s', which SQLite does not have", u->name,
		    u->include.n > 0 ? "include" : u->nulls_not_distinct ?
		    "nulls_not_distinct" : "deferrable");
		n++;
	}
	return n;
}

/* The desired name of column col of the table now: its new name when
 * the plan renames it, else col. */
static const char *
renamed_to(const struct ss_plan *p, const char *table, const char *col)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct ss_change *c = p->v[i];
		if (c->op == SS_OP_RENAME_COLUMN && !c->candidate &&
		    strcmp(c->cur_table, table) == 0 &&
		    strcmp(c->old_name, col) == 0)
			return c->column;
	}
	return col;
}

/*
 * NULL in a key column that the rebuild of c's table writes NOT NULL
 * (note 10): SQLite lets a key column hold NULL unless it is a rowid
 * alias, in a WITHOUT ROWID table, or declared NOT NULL, while the
 * model's key columns are never nullable. Such a rebuild would fail
 * on its copy: c becomes unexecutable, counted.
 */
static int
null_keys(struct sqlite_conn *cn, struct ss_plan *p, struct ss_change *c)
{
	const struct ss_table *cur = c->c_table, *d;
	const struct ss_column *dc;
	const struct ss_key *pk = cur->pk;
	struct ss_buf q = SS_BUF_INIT, cols = SS_BUF_INIT, where = SS_BUF_INIT;
	struct ss_err failed = SS_ERR_INIT;
	size_t i, n = 0;
	long count;

	/* Every key but a WITHOUT ROWID table's: an INTEGER PRIMARY KEY is
	 * a rowid alias, never NULL, but INTEGER PRIMARY KEY DESC is not
	 * one, and the model does not tell them apart. */
	if (pk == NULL || cur->without_rowid ||
	    (d = ss_schema_table(p->desired, c->table)) == NULL)
		return 0;
	for (i = 0; i < pk->columns.n; i++) {
		const char *name = pk->columns.v[i].name;
		dc = ss_table_column(d, renamed_to(p, cur->name, name));
		if (dc == NULL || dc->nullable || dc->generated != NULL)
			continue;
		if (n++ > 0) {
			ss_buf_adds(&where, " OR ");
			ss_buf_adds(&cols, ", ");
		}
		quote(&where, name);
		ss_buf_adds(&where, " IS NULL");
		ss_buf_adds(&cols, name);
	}
	if (n == 0)
		goto out;
	ss_buf_adds(&q, "SELECT count(*) FROM ");
	quote(&q, cur->name);
	ss_buf_addf(&q, " WHERE %s", where.s);
	if (ss_sqlite_count(cn->db, q.s, &count, &failed) == 0 && count > 0) {
		ss_buf_reset(&q);
		ss_buf_addf(&q, "%ld row%s NULL in the primary key (%s), which "
		    "SQLite allowed; the table's rebuild makes its key NOT NULL",
		    count, count == 1 ? " has" : "s have", cols.s);
		c->class = SS_CLASS_UNEXECUTABLE;
		c->count = count;
		c->detail = ss_arena_strdup(&p->arena, q.s);
		ss_buf_reset(&q);
		ss_buf_addf(&q, "give %s a key or delete %s first (SELECT * "
		    "FROM ", count == 1 ? "that row" : "those rows",
		    count == 1 ? "it" : "them");
		quote(&q, cur->name);
		ss_buf_addf(&q, " WHERE %s)", where.s);
		c->fix = ss_arena_strdup(&p->arena, q.s);
	}
out:
	ss_err_release(&failed);
	ss_buf_release(&q);
	ss_buf_release(&cols);
	ss_buf_release(&where);
	return 0;
}

/*
 * How many rows each table a plan rebuilds holds, up to COPY_ROWS + 1
 * (note 9), and whether its key holds NULL (note 10). A count that
 * fails leaves the rename, which works at any size.
 */
static int
sq_measure(struct ss_conn *conn, struct ss_plan *p, struct ss_err *err)
{
	struct ss_buf q = SS_BUF_INIT;
	struct ss_err failed = SS_ERR_INIT;
	bool sized = false, sized_out = false;
	size_t i, j;
	long n;

	(void)err;
	for (i = 0; i < p->n; i++) {
		struct ss_change *c = p->v[i];
		if (c->table == NULL || c->c_table == NULL ||
		    !needs_rebuild(p, c) || dropped_in_plan(p, c->table))
			continue;
		for (j = 0; j < i; j++)
			if (p->v[j]->c_table == c->c_table &&
			    needs_rebuild(p, p->v[j]))
				break;
		if (j == i)
			null_keys(CONN(conn), p, c);
		if (sized_out)
			continue;
		/* Rows are not bytes: in a big file, a few rows may be
		 * large. Asked once, and only of a plan that rebuilds. */
		if (!sized && (ss_sqlite_count(CONN(conn)->db, "SELECT "
		    "page_count * page_size FROM pragma_page_count, "
		    "pragma_page_size", &n, &failed) < 0 || n > COPY_BYTES)) {
			sized_out = true;
			continue;
		}
		sized = true;
		for (j = 0; j < i; j++)
			if (p->v[j]->rows >= 0 && p->v[j]->c_table == c->c_table)
				break;
		if (j < i) {
			c->rows = p->v[j]->rows;
			continue;
		}
		ss_buf_reset(&q);
		ss_buf_adds(&q, "SELECT count(*) FROM (SELECT 1 FROM ");
		quote(&q, c->c_table->name);
		ss_buf_addf(&q, " LIMIT %d)", COPY_ROWS + 1);
		if (ss_sqlite_count(CONN(conn)->db, q.s, &n, &failed) == 0)
			c->rows = n;
		ss_err_release(&failed);
		ss_err_init(&failed);
	}
	ss_buf_release(&q);
	ss_err_release(&failed);
	return 0;
}

/* Undo (dialect.h): AUTOINCREMENT's counter is its sqlite_sequence row. */
static void
sq_undo_counter(struct ss_buf *b, const char *table, const char *column)
{
	(void)column;
	ss_buf_adds(b, "SELECT seq AS v FROM sqlite_sequence WHERE name = ");
	ss_sqlite_quote_string(b, table);
}

/*
 * Undo (dialect.h): inserting the rows moved the row past them by
 * itself; the kept value moves it further, or makes the row when no
 * row went back.
 */
static bool
sq_undo_reseed(struct ss_buf *b, size_t i, const char *table,
    const char *column, const char *kept)
{
	(void)column;
	if (kept == NULL || i > 1)
		return false;
	if (i == 0) {
		ss_buf_addf(b, "UPDATE sqlite_sequence SET seq = MAX(seq, "
		    "COALESCE((SELECT MAX(v) FROM %s), 0)) WHERE name = ", kept);
		ss_sqlite_quote_string(b, table);
		return true;
	}
	ss_buf_adds(b, "INSERT INTO sqlite_sequence (name, seq) SELECT ");
	ss_sqlite_quote_string(b, table);
	ss_buf_addf(b, ", MAX(v) FROM %s WHERE v IS NOT NULL AND NOT EXISTS "
	    "(SELECT 1 FROM sqlite_sequence WHERE name = ", kept);
	ss_sqlite_quote_string(b, table);
	ss_buf_adds(b, ") HAVING MAX(v) IS NOT NULL");
	return true;
}

/* NULLS FIRST ascending and NULLS LAST descending are SQLite's own. */
static int
sq_prepare(struct ss_conn *conn, struct ss_schema *desired,
    const struct ss_schema *current, struct ss_err *err)
{
	size_t i, j;

	(void)conn;
	(void)current;
	(void)err;
	for (i = 0; i < desired->ntables; i++)
		for (j = 0; j < desired->tables[i]->nindexes; j++)
			ss_index_nulls_normalize(&desired->tables[i]->indexes[j],
			    false);
	return 0;
}

/*
 * Declared views: a rebuild drops the table a view reads and renames
 * another over its name, and ALTER TABLE DROP COLUMN refuses a column a
 * view uses; views over such a table are dropped first and created
 * again after.
 */
static bool
breaks_views(const struct ss_plan *p, const struct ss_change *c, void *ctx)
{
	(void)ctx;
	return c->op == SS_OP_DROP_COLUMN || (c->op != SS_OP_CREATE_TABLE &&
	    c->op != SS_OP_DROP_TABLE && needs_rebuild(p, c));
}

/*
 * Loading while introspecting (dialect.h, try_begin): sq_begin, but
 * without waiting when another connection holds the write lock.
 */
static int
sq_try_begin(struct ss_conn *conn, struct ss_err *err)
{
	sqlite3 *db = CONN(conn)->db;
	int rc;

	sqlite3_busy_timeout(db, 0);
	rc = sq_begin(conn, err);
	sqlite3_busy_timeout(db, SS_SQLITE_BUSY_MS);
	if (rc < 0 && (sqlite3_errcode(db) & 0xff) == SQLITE_BUSY &&
	    sqlite3_get_autocommit(db)) {
		ss_err_release(err);
		ss_err_init(err);
		return 1;
	}
	return rc;
}

const struct ss_dialect ss_dialect_sqlite = {
	.name = "sqlite",
	.enum_types = false,
	.forward_fks = true,
	.names_fold_case = true,
	.affinity_types = true,
	.comments = false,	/* SQLite has no place to keep one */
	.identity_always = false, /* AUTOINCREMENT takes explicit ids */
	.same_type = same_type,
	.same_default = same_default,
	.same_expr = same_expr,
	.check = sq_check,
	.prepare = sq_prepare,
	.measure = sq_measure,
	.undo_counter = sq_undo_counter,
	.undo_reseed = sq_undo_reseed,
	.emit = sq_emit,
	.quote_ident = quote,
	.connect = sq_connect,
	.close = sq_close,
	.reusable = sq_reusable,
	.select = sq_select,
	.introspect = sq_introspect,
	.count = sq_count,
	.begin = sq_begin,
	.exec_step = sq_exec_step,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.queries = NULL,
	.fingerprint = sq_fingerprint,
	.default_collation = "BINARY",
	.breaks_views = breaks_views,
	.try_begin = sq_try_begin,
};
