/*
 * Undo points (include/ss/undo.h): keeping what a run destroys, and
 * putting it back.
 *
 * Design notes:
 *  1. The store is tables in the database the change runs on, written
 *     in the applying transaction (the engine's keep hook), so a point
 *     and its change commit or roll back together whatever the journal
 *     mode. An ATTACHed side file would not be atomic with the main
 *     file in WAL mode, and ATTACH is refused inside a transaction.
 *     PostgreSQL keeps the store in a schema of its own
 *     (dl->undo_schema), outside what schemasync introspects.
 *  2. Values are copied (CREATE TABLE ... AS SELECT) rather than the
 *     doomed table moved aside: the plan's statements run unchanged
 *     after the copy, whichever dialect emitted them. Enum values are
 *     kept as text where enums are types of their own, so the store
 *     never holds on to a type the plan drops or recreates.
 *  3. A column's values are keyed by its table's primary key, kept as
 *     columns k0..kN of the data table, the value as v; a dropped
 *     table's rows keep their column names.
 *  4. Restoring plans from the database to the saved schema with the
 *     engine (literally: no renames guessed) in two passes inside one
 *     transaction: first a relaxed schema (a restored column nullable,
 *     whether dropped, retyped or losing enum values, and in no unique
 *     constraint or index,
 *     no foreign keys to or from a restored table, on PostgreSQL a
 *     lost enum value as the column's default so that the enum is
 *     recreated and its value usable at once), then the values, then
 *     the saved schema exactly. Anything that would lose data that
 *     exists now, or that finds the data moved (a name taken, a key
 *     changed, rows deleted), is a conflict: nothing is changed.
 *  5. Where a column stays (a type change, an enum value lost), the
 *     values the change left are kept too, in a table of their own
 *     beside the data table (its name and "_w": keys k0..kN and w, the
 *     column's own type), written after the plan's statements ran (the
 *     engine's kept hook). A row whose value differs from its w now
 *     was changed since: restoring would overwrite it, a conflict.
 *     "Differs" is by value: 7 and 7.0 (a later change to REAL), one
 *     instant in two time zones are the same, 5.123457 and the real
 *     5.1234570 are not; where the values cannot be compared (no
 *     equality for the type, a type changed since), by text. A key, a
 *     value and w of a type kept as text (as_text()) are matched as
 *     text. A column, table or key renamed in the same run has its w
 *     read under the new names (note 7), and compared under the names
 *     it has when restoring. A run whose retyped keys no longer compare
 *     gets no w (w is made under a savepoint), nor does a point made
 *     before w was kept. undo ID restores the newer points first, in
 *     the same transaction: each point's schema is the one before its
 *     run, so an older one alone would leave the newer ones stranded.
 *  6. A dropped table's autoincrement counter (the last value handed
 *     out, which deleted rows may have left above the rows kept; an
 *     empty table's too, when the point keeps something else) is an
 *     item of its own, kind "counter" (dl->undo_counter); restoring
 *     moves the counter past it (dl->undo_reseed), so no id is handed
 *     out twice.
 *  7. The tables and columns the run renamed are items too (kinds
 *     rename_table and rename_column, no store): restoring answers
 *     each rename back, so a name the run changed comes back as a
 *     rename, never as a drop of what is there now and an add.
 *  8. A column whose type goes back: the rows the point keeps get
 *     their values back, so its LOSSY count is taken again, narrowed
 *     (the engine's narrow hook, narrow_kept()) to the rows the point
 *     keeps nothing of (written since, or NULL when the run ran), and
 *     what the type going back would take from those is a conflict
 *     (the whole column's count still chooses the SQL). A type going
 *     back that keeps every value (one the run widened) is none. Once
 *     the values are back, every kept value must have found its row:
 *     a key the run retyped may read another way back ('007', 7, then
 *     '7'), a conflict too.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ss/load.h"
#include "ss/undo.h"
#include "ss/yamlout.h"

#define PREFIX_LEN (sizeof SS_UNDO_TABLE - 1)
/* A store table in a query: a name no user table has (invariant 2). */
#define ALIAS SS_UNDO_TABLE "_s"

bool
ss_undo_hidden(const char *table)
{
	return strncasecmp(table, SS_UNDO_TABLE, PREFIX_LEN) == 0 &&
	    (table[PREFIX_LEN] == '\0' || table[PREFIX_LEN] == '_');
}

static bool
in_key(const struct ss_table *t, const char *col)
{
	return t != NULL && t->pk != NULL && ss_names_has(&t->pk->columns, col);
}

static bool
is_generated(const struct ss_table *t, const char *col)
{
	const struct ss_column *c = ss_table_column(t, col);

	return c != NULL && c->generated != NULL;
}

/* Whether t's primary key has a column of enum e, or one generated
 * from such a column: the value lost changes the key of the rows that
 * held it (their default, or NULL), so they cannot be found by it
 * again. */
static bool
key_of_enum(const struct ss_table *t, const char *e)
{
	const struct ss_column *c;
	size_t i, j;

	for (i = 0; t->pk != NULL && i < t->pk->columns.n; i++) {
		if ((c = ss_table_column(t, t->pk->columns.v[i].name)) == NULL)
			continue;
		if (ss_type_uses_enum(&c->type, e))
			return true;
		/* A generated key column that reads one of the enum. */
		for (j = 0; c->generated != NULL && j < t->ncolumns; j++)
			if (ss_type_uses_enum(&t->columns[j].type, e) &&
			    ss_expr_mentions(c->generated, t->columns[j].name))
				return true;
	}
	return false;
}

/* Whether column c of t loses values of enum e that undo can key
 * (note 3): not generated (its values come back from its expression). */
static bool
enum_kept(const struct ss_table *t, const struct ss_column *c, const char *e)
{
	return c->type.kind == SS_TYPE_ENUM && strcmp(c->type.name, e) == 0 &&
	    c->generated == NULL && t->pk != NULL && !key_of_enum(t, e);
}

/* How many columns of enum e in cur can be keyed (note 3), in *all how
 * many there are, and in *in_pk how many are in their table's key, or
 * share their table with a key column of e. */
static size_t
enum_keyed(const struct ss_schema *cur, const char *e, size_t *all,
    size_t *in_pk)
{
	size_t i, j, n = 0;

	*all = *in_pk = 0;
	for (i = 0; i < cur->ntables; i++) {
		const struct ss_table *t = cur->tables[i];
		for (j = 0; j < t->ncolumns; j++) {
			const struct ss_column *c = &t->columns[j];
			if (c->type.kind != SS_TYPE_ENUM ||
			    strcmp(c->type.name, e) != 0 || c->generated != NULL)
				continue;
			(*all)++;
			if (key_of_enum(t, e))
				(*in_pk)++;
			else
				n += enum_kept(t, c, e);
		}
	}
	return n;
}

bool
ss_undo_keeps(const struct ss_change *c, const struct ss_schema *cur)
{
	size_t all, in_pk;

	if (c->class != SS_CLASS_DESTRUCTIVE)
		return false;
	switch (c->op) {
	case SS_OP_DROP_TABLE:
		return c->c_table != NULL;
	case SS_OP_DROP_COLUMN:
		break;
	case SS_OP_ALTER_COLUMN:
		if (!(c->alter & SS_ALTER_TYPE))
			return false;
		break;
	case SS_OP_DROP_ENUM_VALUE:
		/* The columns that lose it, where keyed. */
		return cur == NULL || (c->c_enum != NULL &&
		    enum_keyed(cur, c->c_enum->name, &all, &in_pk) > 0);
	default:
		return false;
	}
	/* A generated column's values come back from its expression. */
	return c->c_table != NULL && c->c_table->pk != NULL &&
	    c->cur_column != NULL && !in_key(c->c_table, c->cur_column) &&
	    !is_generated(c->c_table, c->cur_column);
}

void
ss_undo_describe(struct ss_buf *b, const struct ss_change *c,
    const struct ss_schema *cur)
{
	const char *say;
	bool paren = b->len > 0 && b->s[b->len - 1] == ')';
	size_t all = 0, in_pk = 0;

	if (c->class != SS_CLASS_DESTRUCTIVE)
		return;
	if (ss_undo_keeps(c, cur))
		say = c->op == SS_OP_DROP_TABLE ? "undo keeps its rows" :
		    c->op == SS_OP_DROP_ENUM_VALUE && cur != NULL &&
		    c->c_enum != NULL && enum_keyed(cur, c->c_enum->name,
		    &all, &in_pk) < all ? "undo keeps those of tables with a "
		    "primary key apart from the column" : "undo keeps them";
	else if (c->op == SS_OP_DROP_ENUM_VALUE && cur != NULL &&
	    c->c_enum != NULL && (enum_keyed(cur, c->c_enum->name, &all,
	    &in_pk), in_pk > 0))
		say = "no primary key apart from the column: undo cannot keep "
		    "them";
	else if (((c->op == SS_OP_DROP_COLUMN || (c->op == SS_OP_ALTER_COLUMN &&
	    (c->alter & SS_ALTER_TYPE))) && c->c_table != NULL &&
	    c->c_table->pk == NULL) || c->op == SS_OP_DROP_ENUM_VALUE)
		say = "no primary key: undo cannot keep them";
	else
		return;
	if (paren) {
		ss_buf_truncate(b, b->len - 1);
		ss_buf_addf(b, "; %s)", say);
	} else
		ss_buf_addf(b, " (%s)", say);
}

/* SQL helpers. */

/*
 * A string literal in the dialect's SQL: its own quoting where it has
 * one (PostgreSQL's E'' for a backslash, right whatever
 * standard_conforming_strings is), the standard doubling otherwise.
 */
static void
lit(const struct ss_engine *e, struct ss_buf *b, const char *s)
{
	if (e->dl->quote_literal != NULL) {
		e->dl->quote_literal(b, s);
		return;
	}
	ss_buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			ss_buf_addc(b, '\'');
		ss_buf_addc(b, *s);
	}
	ss_buf_addc(b, '\'');
}

static void
qid(const struct ss_engine *e, struct ss_buf *b, const char *name)
{
	e->dl->quote_ident(b, name);
}

/* A store table's name, qualified with the store's schema. */
static void
store(const struct ss_engine *e, struct ss_buf *b, const char *name)
{
	if (e->dl->undo_schema != NULL) {
		qid(e, b, e->dl->undo_schema);
		ss_buf_addc(b, '.');
	}
	qid(e, b, name);
}

/* The table of the values a change left (note 5), qualified. */
static void
store_w(const struct ss_engine *e, struct ss_buf *b, const char *name)
{
	struct ss_buf w = SS_BUF_INIT;

	ss_buf_addf(&w, "%s_w", name);
	store(e, b, w.s);
	ss_buf_release(&w);
}

/* Runs one statement inside the caller's transaction. */
static int
run(struct ss_engine *e, const char *sql)
{
	struct ss_steps steps;
	struct ss_step *st;
	int rc;

	ss_steps_init(&steps);
	st = ss_steps_add(&steps);
	ss_step_sql(&steps, st, sql);
	rc = e->dl->exec_step(e->conn, st, &e->err);
	ss_steps_release(&steps);
	return rc;
}

/* Rows of a query, every value a heap string (NULL for NULL). */
struct rows {
	char ***v;
	size_t n, alloc, ncols;
};

static void
row_fn(void *arg, size_t n, const char *const *v)
{
	struct rows *r = arg;
	char **row = ss_xcalloc(n + 1, sizeof *row);
	size_t i;

	for (i = 0; i < n; i++)
		row[i] = v[i] != NULL ? ss_xstrdup(v[i]) : NULL;
	r->ncols = n;
	SS_ALLOC_GROW(r->v, r->n, r->alloc);
	r->v[r->n++] = row;
}

static void
rows_release(struct rows *r)
{
	size_t i, j;

	for (i = 0; i < r->n; i++) {
		for (j = 0; j < r->ncols; j++)
			free(r->v[i][j]);
		free(r->v[i]);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}

static int
query(struct ss_engine *e, const char *sql, struct rows *out)
{
	rows_release(out);
	if (e->dl->select(e->conn, sql, row_fn, out, &e->err) < 0) {
		ss_err_prefix(&e->err, "undo store: ");
		return -SS_EDB;
	}
	return 0;
}

/* The first value of the first row as a number (0 when none). */
static int
query_long(struct ss_engine *e, const char *sql, long *out)
{
	struct rows r = { 0 };
	int rc;

	*out = 0;
	if ((rc = query(e, sql, &r)) == 0 && r.n > 0 && r.ncols > 0 &&
	    r.v[0][0] != NULL)
		*out = strtol(r.v[0][0], NULL, 10);
	rows_release(&r);
	return rc;
}

/*
 * Runs sql (a query of one number into *count, when count is not NULL)
 * under a savepoint: a failure rolls back to it and clears the error,
 * with *ok false, rather than ending the transaction (PostgreSQL).
 */
static int
attempt(struct ss_engine *e, const char *sql, long *count, bool *ok)
{
	int rc;

	if ((rc = run(e, "SAVEPOINT " ALIAS)) < 0)
		return rc;
	*ok = (count != NULL ? query_long(e, sql, count) : run(e, sql)) == 0;
	if (!*ok) {
		ss_err_release(&e->err);
		ss_err_init(&e->err);
		if ((rc = run(e, "ROLLBACK TO SAVEPOINT " ALIAS)) < 0)
			return rc;
	}
	return run(e, "RELEASE SAVEPOINT " ALIAS);
}

/*
 * Whether the store has table name. A probe that fails when the table
 * is missing would end a PostgreSQL transaction, so this asks the
 * catalog.
 */
static int
store_has(struct ss_engine *e, const char *name, bool *yes)
{
	struct ss_buf b = SS_BUF_INIT;
	long n;
	int rc;

	if (e->dl->undo_schema != NULL) {
		ss_buf_adds(&b, "SELECT COUNT(*) FROM information_schema.tables "
		    "WHERE table_schema = ");
		lit(e, &b, e->dl->undo_schema);
		ss_buf_adds(&b, " AND table_name = ");
	} else
		ss_buf_adds(&b, "SELECT COUNT(*) FROM sqlite_master WHERE "
		    "type = 'table' AND name = ");
	lit(e, &b, name);
	rc = query_long(e, b.s, &n);
	*yes = rc == 0 && n > 0;
	ss_buf_release(&b);
	return rc;
}

/* Whether the store's points table is there. */
static int
store_exists(struct ss_engine *e, bool *yes)
{
	return store_has(e, SS_UNDO_TABLE, yes);
}

static int
create_store(struct ss_engine *e)
{
	struct ss_buf b = SS_BUF_INIT;
	int rc = 0;

	if (e->dl->undo_schema != NULL) {
		ss_buf_adds(&b, "CREATE SCHEMA IF NOT EXISTS ");
		qid(e, &b, e->dl->undo_schema);
		if ((rc = run(e, b.s)) < 0)
			goto out;
	}
	ss_buf_reset(&b);
	ss_buf_adds(&b, "CREATE TABLE IF NOT EXISTS ");
	store(e, &b, SS_UNDO_TABLE);
	ss_buf_adds(&b, " (id bigint PRIMARY KEY, created_at text NOT NULL, "
	    "command text NOT NULL, summary text NOT NULL, nrows bigint NOT "
	    "NULL, nbytes bigint NOT NULL, schema text NOT NULL)");
	if ((rc = run(e, b.s)) < 0)
		goto out;
	ss_buf_reset(&b);
	ss_buf_adds(&b, "CREATE TABLE IF NOT EXISTS ");
	store(e, &b, SS_UNDO_ITEMS);
	ss_buf_adds(&b, " (point bigint NOT NULL, seq integer NOT NULL, "
	    "kind text NOT NULL, tbl text NOT NULL, col text, keys text, "
	    "store text NOT NULL, nrows bigint NOT NULL, nbytes bigint NOT "
	    "NULL, PRIMARY KEY (point, seq))");
	rc = run(e, b.s);
out:
	ss_buf_release(&b);
	return rc;
}

/* Keeping (the engine's hook). */

struct keeper {
	const char *command;
	long keep;
};

/* One thing a point keeps. */
struct spec {
	const char *kind;		/* the op's name */
	const char *table;		/* its name in the database now */
	const struct ss_table *t;	/* current */
	const struct ss_column *col;	/* column kinds; NULL: drop_table */
	const char *value;		/* drop_enum_value: the value lost */
	const struct ss_change *c;
};

/*
 * Whether the store keeps values of type t as text (note 2): where types
 * are objects of the schema (PostgreSQL), an enum and any type that is
 * not a builtin of the model (an enum's array, a domain), so that the
 * store never holds on to a type the plan drops or recreates.
 */
static bool
as_text(const struct ss_engine *e, const struct ss_type *t)
{
	return e->dl->enum_types && (t->kind == SS_TYPE_ENUM ||
	    t->kind == SS_TYPE_OTHER);
}

/* A value as the store keeps it (note 2). */
static void
kept_value(const struct ss_engine *e, struct ss_buf *b,
    const struct ss_column *col)
{
	if (as_text(e, &col->type)) {
		ss_buf_adds(b, "CAST(");
		qid(e, b, col->name);
		ss_buf_adds(b, " AS text)");
	} else
		qid(e, b, col->name);
}

static bool
table_dropped(const struct spec *v, size_t n, const char *table)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].col == NULL && strcmp(v[i].table, table) == 0)
			return true;
	return false;
}

static size_t
collect(const struct ss_engine *e, struct spec **out)
{
	struct spec *v = NULL;
	size_t n = 0, alloc = 0, i, j, k, pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < e->nplans; i++)
			for (j = 0; j < e->plans[i].n; j++) {
				const struct ss_change *c = e->plans[i].v[j];
				if (c->held || !ss_undo_keeps(c, &e->current) ||
				    (pass == 0) != (c->op == SS_OP_DROP_TABLE))
					continue;
				if (c->op == SS_OP_DROP_ENUM_VALUE) {
					for (k = 0; k < e->current.ntables; k++) {
						const struct ss_table *t =
						    e->current.tables[k];
						size_t m;
						if (t->pk == NULL ||
						    table_dropped(v, n, t->name))
							continue;
						for (m = 0; m < t->ncolumns; m++) {
							const struct ss_column *col =
							    &t->columns[m];
							if (!enum_kept(t, col,
							    c->c_enum->name))
								continue;
							SS_ALLOC_GROW(v, n, alloc);
							v[n++] = (struct spec){
							    ss_op_name(c->op), t->name,
							    t, col, c->object, c };
						}
					}
					continue;
				}
				if (c->op != SS_OP_DROP_TABLE &&
				    table_dropped(v, n, c->cur_table))
					continue;
				SS_ALLOC_GROW(v, n, alloc);
				if (c->op == SS_OP_DROP_TABLE)
					v[n++] = (struct spec){ ss_op_name(c->op),
					    c->c_table->name, c->c_table, NULL,
					    NULL, c };
				else
					v[n++] = (struct spec){ ss_op_name(c->op),
					    c->cur_table, c->c_table,
					    ss_table_column(c->c_table,
					    c->cur_column), NULL, c };
				if (v[n - 1].col == NULL && c->op !=
				    SS_OP_DROP_TABLE)
					n--;
			}
	*out = v;
	return n;
}

/* CREATE TABLE store AS SELECT what sp keeps (note 3). */
static void
save_sql(const struct ss_engine *e, struct ss_buf *b, const char *name,
    const struct spec *sp)
{
	const struct ss_table *t = sp->t;
	size_t i;

	ss_buf_adds(b, "CREATE TABLE ");
	store(e, b, name);
	ss_buf_adds(b, " AS SELECT ");
	if (sp->col == NULL) {
		for (i = 0; i < t->ncolumns; i++) {
			if (i)
				ss_buf_adds(b, ", ");
			kept_value(e, b, &t->columns[i]);
			ss_buf_adds(b, " AS ");
			qid(e, b, t->columns[i].name);
		}
		ss_buf_adds(b, " FROM ");
		qid(e, b, sp->table);
		return;
	}
	for (i = 0; i < t->pk->columns.n; i++) {
		kept_value(e, b, ss_table_column(t, t->pk->columns.v[i].name));
		ss_buf_addf(b, " AS k%zu, ", i);
	}
	kept_value(e, b, sp->col);
	ss_buf_adds(b, " AS v FROM ");
	qid(e, b, sp->table);
	/* A row whose key is NULL (SQLite lets a key hold it) cannot be
	 * found again: not kept. */
	ss_buf_adds(b, " WHERE ");
	for (i = 0; i < t->pk->columns.n; i++) {
		qid(e, b, t->pk->columns.v[i].name);
		ss_buf_adds(b, " IS NOT NULL AND ");
	}
	if (sp->value != NULL) {
		ss_buf_adds(b, "CAST(");
		qid(e, b, sp->col->name);
		ss_buf_adds(b, " AS text) = ");
		lit(e, b, sp->value);
	} else {
		qid(e, b, sp->col->name);
		ss_buf_adds(b, " IS NOT NULL");
	}
}

/* SELECT COUNT(*), bytes FROM store. */
static void
size_sql(const struct ss_engine *e, struct ss_buf *b, const char *name,
    const struct spec *sp)
{
	size_t i;

	ss_buf_adds(b, "SELECT COUNT(*), COALESCE(SUM(");
	if (sp->col == NULL) {
		for (i = 0; i < sp->t->ncolumns; i++) {
			if (i)
				ss_buf_adds(b, " + ");
			ss_buf_adds(b, "COALESCE(LENGTH(CAST(");
			qid(e, b, sp->t->columns[i].name);
			ss_buf_adds(b, " AS text)), 0)");
		}
	} else
		ss_buf_adds(b, "LENGTH(CAST(v AS text))");
	ss_buf_adds(b, "), 0) FROM ");
	store(e, b, name);
}

static void
created_now(char *out, size_t n)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Removes point id: its data tables and its rows. */
static int
drop_point(struct ss_engine *e, long id)
{
	struct ss_buf b = SS_BUF_INIT;
	struct rows r = { 0 };
	size_t i;
	int rc;

	/* A rename has no store (note 7). */
	ss_buf_adds(&b, "SELECT store FROM ");
	store(e, &b, SS_UNDO_ITEMS);
	ss_buf_addf(&b, " WHERE point = %ld AND store <> ''", id);
	if ((rc = query(e, b.s, &r)) < 0)
		goto out;
	for (i = 0; i < r.n; i++) {
		ss_buf_reset(&b);
		ss_buf_adds(&b, "DROP TABLE IF EXISTS ");
		store(e, &b, r.v[i][0]);
		if ((rc = run(e, b.s)) < 0)
			goto out;
		ss_buf_reset(&b);
		ss_buf_adds(&b, "DROP TABLE IF EXISTS ");
		store_w(e, &b, r.v[i][0]);
		if ((rc = run(e, b.s)) < 0)
			goto out;
	}
	ss_buf_reset(&b);
	ss_buf_adds(&b, "DELETE FROM ");
	store(e, &b, SS_UNDO_ITEMS);
	ss_buf_addf(&b, " WHERE point = %ld", id);
	if ((rc = run(e, b.s)) < 0)
		goto out;
	ss_buf_reset(&b);
	ss_buf_adds(&b, "DELETE FROM ");
	store(e, &b, SS_UNDO_TABLE);
	ss_buf_addf(&b, " WHERE id = %ld", id);
	rc = run(e, b.s);
out:
	rows_release(&r);
	ss_buf_release(&b);
	return rc;
}

/* Removes every point but the newest keep ones. */
static int
trim(struct ss_engine *e, long keep, size_t *removed)
{
	struct ss_buf b = SS_BUF_INIT;
	struct rows r = { 0 };
	size_t i;
	int rc;

	*removed = 0;
	ss_buf_adds(&b, "SELECT id FROM ");
	store(e, &b, SS_UNDO_TABLE);
	ss_buf_adds(&b, " ORDER BY id DESC");
	if ((rc = query(e, b.s, &r)) < 0)
		goto out;
	for (i = (size_t)keep; i < r.n; i++) {
		if ((rc = drop_point(e, strtol(r.v[i][0], NULL, 10))) < 0)
			goto out;
		(*removed)++;
	}
out:
	rows_release(&r);
	ss_buf_release(&b);
	return rc;
}

/* One row of the items table (note 3). */
static int
add_item(struct ss_engine *e, long id, size_t seq, const char *kind,
    const char *table, const char *col, const char *keys, const char *name,
    long rows, long bytes)
{
	struct ss_buf b = SS_BUF_INIT;
	int rc;

	ss_buf_adds(&b, "INSERT INTO ");
	store(e, &b, SS_UNDO_ITEMS);
	ss_buf_addf(&b, " (point, seq, kind, tbl, col, keys, store, "
	    "nrows, nbytes) VALUES (%ld, %zu, ", id, seq);
	lit(e, &b, kind);
	ss_buf_adds(&b, ", ");
	lit(e, &b, table);
	ss_buf_adds(&b, ", ");
	if (col != NULL)
		lit(e, &b, col);
	else
		ss_buf_adds(&b, "NULL");
	ss_buf_adds(&b, ", ");
	lit(e, &b, keys);
	ss_buf_adds(&b, ", ");
	lit(e, &b, name);
	ss_buf_addf(&b, ", %ld, %ld)", rows, bytes);
	rc = run(e, b.s);
	ss_buf_release(&b);
	return rc;
}

/* A dropped table's autoincrement counter, as item seq (note 6). */
static int
keep_counter(struct ss_engine *e, long id, size_t *seq,
    const struct ss_table *t)
{
	struct ss_buf b = SS_BUF_INIT, name = SS_BUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; e->dl->undo_counter != NULL && i < t->ncolumns; i++) {
		if (!t->columns[i].autoincrement)
			continue;
		ss_buf_reset(&name);
		ss_buf_addf(&name, SS_UNDO_TABLE "_%ld_%zu", id, ++*seq);
		ss_buf_reset(&b);
		ss_buf_adds(&b, "CREATE TABLE ");
		store(e, &b, name.s);
		ss_buf_adds(&b, " AS ");
		e->dl->undo_counter(&b, t->name, t->columns[i].name);
		if ((rc = run(e, b.s)) < 0 ||
		    (rc = add_item(e, id, *seq, "counter", t->name,
		    t->columns[i].name, "", name.s, 0, 0)) < 0)
			break;
	}
	ss_buf_release(&b);
	ss_buf_release(&name);
	return rc;
}

/*
 * The run's renames, as restoring answers them (note 7): table and
 * column the names after, to the name before. Heap array; *n set.
 */
static struct ss_rename *
run_renames(const struct ss_engine *e, size_t *n)
{
	struct ss_rename *v = NULL;
	size_t alloc = 0, i, j;

	*n = 0;
	for (i = 0; i < e->nplans; i++)
		for (j = 0; j < e->plans[i].n; j++) {
			const struct ss_change *c = e->plans[i].v[j];
			if (c->held || (c->op != SS_OP_RENAME_TABLE &&
			    c->op != SS_OP_RENAME_COLUMN))
				continue;
			SS_ALLOC_GROW(v, *n, alloc);
			v[(*n)++] = (struct ss_rename){ c->table,
			    c->op == SS_OP_RENAME_COLUMN ? c->column : NULL,
			    c->old_name };
		}
	return v;
}

/*
 * The tables and columns the run renames, as items of their own (note
 * 7): rename_table and rename_column, tbl and col the names after the
 * run, keys the name before; no store.
 */
static int
keep_renames(struct ss_engine *e, long id, size_t *seq)
{
	struct ss_rename *v;
	size_t n, i;
	int rc = 0;

	v = run_renames(e, &n);
	for (i = 0; i < n && rc == 0; i++)
		rc = add_item(e, id, ++*seq, v[i].column == NULL ?
		    "rename_table" : "rename_column", v[i].table, v[i].column,
		    v[i].to, "", 0, 0);
	free(v);
	return rc;
}

static int
keep_hook(struct ss_engine *e, void *arg)
{
	const struct keeper *k = arg;
	struct ss_buf b = SS_BUF_INIT, name = SS_BUF_INIT, yaml = SS_BUF_INIT,
	    summary = SS_BUF_INIT, keys = SS_BUF_INIT;
	struct rows r = { 0 };
	struct spec *v = NULL;
	char when[32];
	long id, rows = 0, bytes = 0, n1, b1;
	size_t n, i, j, removed, seq = 0;
	int rc = 0;

	if ((n = collect(e, &v)) == 0)
		goto out;
	if ((rc = create_store(e)) < 0)
		goto out;
	ss_buf_adds(&b, "SELECT COALESCE(MAX(id), 0) + 1 FROM ");
	store(e, &b, SS_UNDO_TABLE);
	if ((rc = query_long(e, b.s, &id)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		const struct spec *sp = &v[i];
		ss_buf_reset(&name);
		ss_buf_addf(&name, SS_UNDO_TABLE "_%ld_%zu", id, ++seq);
		ss_buf_reset(&b);
		save_sql(e, &b, name.s, sp);
		if ((rc = run(e, b.s)) < 0)
			goto out;
		ss_buf_reset(&b);
		size_sql(e, &b, name.s, sp);
		if ((rc = query(e, b.s, &r)) < 0)
			goto out;
		n1 = r.n > 0 && r.v[0][0] ? strtol(r.v[0][0], NULL, 10) : 0;
		b1 = r.n > 0 && r.v[0][1] ? strtol(r.v[0][1], NULL, 10) : 0;
		rows += n1;
		bytes += b1;
		ss_buf_reset(&keys);
		for (j = 0; sp->col != NULL && j < sp->t->pk->columns.n; j++)
			ss_buf_addf(&keys, "%s%s", j ? "\n" : "",
			    sp->t->pk->columns.v[j].name);
		if ((rc = add_item(e, id, seq, sp->kind, sp->table,
		    sp->col != NULL ? sp->col->name : NULL, keys.s, name.s,
		    n1, b1)) < 0 ||
		    (sp->col == NULL && (rc = keep_counter(e, id, &seq,
		    sp->t)) < 0))
			goto out;
		if (i == 0 || sp->c != v[i - 1].c) {
			if (summary.len > 0)
				ss_buf_adds(&summary, "; ");
			ss_change_describe(&summary, sp->c);
		}
	}
	/* An empty table dropped with them keeps no rows, but its counter
	 * still says which ids went out (note 6). */
	for (i = 0; i < e->nplans; i++)
		for (j = 0; j < e->plans[i].n; j++) {
			const struct ss_change *c = e->plans[i].v[j];
			if (c->op == SS_OP_DROP_TABLE && !c->held &&
			    c->c_table != NULL && !ss_undo_keeps(c, &e->current) &&
			    (rc = keep_counter(e, id, &seq, c->c_table)) < 0)
				goto out;
		}
	if ((rc = keep_renames(e, id, &seq)) < 0 ||
	    (rc = ss_yaml_write(&e->current, NULL, &yaml, &e->err)) < 0)
		goto out;
	created_now(when, sizeof when);
	ss_buf_reset(&b);
	ss_buf_adds(&b, "INSERT INTO ");
	store(e, &b, SS_UNDO_TABLE);
	ss_buf_addf(&b, " (id, created_at, command, summary, nrows, nbytes, "
	    "schema) VALUES (%ld, '%s', ", id, when);
	lit(e, &b, k->command);
	ss_buf_adds(&b, ", ");
	lit(e, &b, summary.s);
	ss_buf_addf(&b, ", %ld, %ld, ", rows, bytes);
	lit(e, &b, yaml.s);
	ss_buf_addc(&b, ')');
	if ((rc = run(e, b.s)) < 0 || (rc = trim(e, k->keep, &removed)) < 0)
		goto out;
	e->undo_point = id;
out:
	free(v);
	rows_release(&r);
	ss_buf_release(&b);
	ss_buf_release(&name);
	ss_buf_release(&yaml);
	ss_buf_release(&summary);
	ss_buf_release(&keys);
	return rc;
}

static int kept_hook(struct ss_engine *e, void *arg);

void
ss_undo_attach(struct ss_engine *e, const char *command, long keep)
{
	struct keeper *k;

	if (keep == 0)
		return;		/* undo: { keep: 0 } turns points off */
	k = ss_arena_alloc(&e->arena, sizeof *k);
	k->command = ss_arena_strdup(&e->arena, command);
	k->keep = keep < 0 ? SS_UNDO_KEEP : keep;
	e->keep = keep_hook;
	e->kept = kept_hook;
	e->keep_arg = k;
}

/* Listing and purging. */

void
ss_undo_points_release(struct ss_undo_points *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].created_at);
		free(p->v[i].command);
		free(p->v[i].summary);
	}
	free(p->v);
	memset(p, 0, sizeof *p);
}

int
ss_undo_list(struct ss_engine *e, struct ss_undo_points *out)
{
	struct ss_buf b = SS_BUF_INIT;
	struct rows r = { 0 };
	struct ss_undo_point *pt;
	bool there;
	size_t i;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = store_exists(e, &there)) < 0 || !there)
		goto out;
	ss_buf_adds(&b, "SELECT id, created_at, command, summary, nrows, "
	    "nbytes FROM ");
	store(e, &b, SS_UNDO_TABLE);
	ss_buf_adds(&b, " ORDER BY id");
	if ((rc = query(e, b.s, &r)) < 0)
		goto out;
	for (i = 0; i < r.n; i++) {
		SS_ALLOC_GROW(out->v, out->n, out->alloc);
		pt = &out->v[out->n++];
		pt->id = strtol(r.v[i][0], NULL, 10);
		pt->created_at = ss_xstrdup(r.v[i][1] ? r.v[i][1] : "");
		pt->command = ss_xstrdup(r.v[i][2] ? r.v[i][2] : "");
		pt->summary = ss_xstrdup(r.v[i][3] ? r.v[i][3] : "");
		pt->rows = r.v[i][4] ? strtol(r.v[i][4], NULL, 10) : 0;
		pt->bytes = r.v[i][5] ? strtol(r.v[i][5], NULL, 10) : 0;
	}
out:
	rows_release(&r);
	ss_buf_release(&b);
	return rc;
}

int
ss_undo_purge(struct ss_engine *e, long keep, size_t *removed)
{
	bool there;
	int rc;

	*removed = 0;
	if ((rc = ss_engine_exec_begin(e)) < 0)
		return rc;
	if ((rc = store_exists(e, &there)) < 0 ||
	    (there && (rc = trim(e, keep, removed)) < 0)) {
		ss_engine_exec_rollback(e);
		return rc;
	}
	return ss_engine_exec_commit(e);
}

/* Restoring. */

struct item {
	char *kind, *table, *column, *store;
	char *value;		/* drop_enum_value: a value it lost, or NULL */
	char **keys;		/* the primary key's columns */
	size_t nkeys;
	long rows;
};

static void
items_release(struct item *v, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		free(v[i].kind);
		free(v[i].table);
		free(v[i].column);
		free(v[i].store);
		free(v[i].value);
		for (j = 0; j < v[i].nkeys; j++)
			free(v[i].keys[j]);
		free(v[i].keys);
	}
	free(v);
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? ss_xstrdup(s) : NULL;
}

static void
split_keys(struct item *it, const char *s)
{
	size_t alloc = 0;
	const char *nl;

	while (s != NULL && *s != '\0') {
		nl = strchr(s, '\n');
		SS_ALLOC_GROW(it->keys, it->nkeys, alloc);
		it->keys[it->nkeys++] = nl ? strndup(s, (size_t)(nl - s)) :
		    ss_xstrdup(s);
		s = nl ? nl + 1 : NULL;
	}
}

static bool
is_table_item(const struct item *it)
{
	return it->column == NULL;
}

/* A dropped table's counter (note 6): no values of a column. */
static bool
is_counter(const struct item *it)
{
	return strcmp(it->kind, "counter") == 0;
}

/*
 * No unique constraint or index over column col of t (schema s), nor a
 * foreign key referencing one, until its values are back (note 4): the
 * rows the run gave one value hold it until then.
 */
static void
unique_later(struct ss_schema *s, struct ss_table *t, const char *col)
{
	size_t i, j, m;

	for (i = m = 0; i < t->nuniques; i++)
		if (!ss_names_has(&t->uniques[i].columns, col))
			t->uniques[m++] = t->uniques[i];
	t->nuniques = m;
	for (i = m = 0; i < t->nindexes; i++) {
		const struct ss_index *ix = &t->indexes[i];
		for (j = 0; ix->unique && j < ix->columns.n; j++)
			if (ss_expr_mentions(ix->columns.v[j].name, col))
				break;
		if (!ix->unique || j == ix->columns.n)
			t->indexes[m++] = t->indexes[i];
	}
	t->nindexes = m;
	/* Nor the foreign keys that reference such a key. */
	for (i = 0; i < s->ntables; i++) {
		struct ss_table *o = s->tables[i];
		for (j = m = 0; j < o->nfks; j++)
			if (strcmp(o->fks[j].ref_table, t->name) != 0 ||
			    !ss_names_has(&o->fks[j].ref_columns, col))
				o->fks[m++] = o->fks[j];
		o->nfks = m;
	}
}

/* The saved schema, with the relaxations of note 4 when relax. */
static int
load_saved(struct ss_engine *e, const char *yaml, const struct item *v,
    size_t n, bool relax, struct ss_schema *out)
{
	struct ss_diags d = SS_DIAGS_INIT;
	const char *names[] = { "undo point" };
	const char *texts[] = { yaml };
	struct ss_table *t;
	struct ss_column *col;
	size_t i, j, k, m;

	ss_schema_init(out);
	if (ss_load_buffers(out, names, texts, 1, &d) < 0) {
		ss_err_set(&e->err, SS_EINTERNAL, "the undo point's schema "
		    "does not load: %s", d.n > 0 ? d.v[0].msg : "?");
		ss_diags_release(&d);
		return -SS_EINTERNAL;
	}
	ss_diags_release(&d);
	for (i = 0; relax && i < n; i++) {
		if (is_counter(&v[i]) ||
		    (t = ss_schema_table(out, v[i].table)) == NULL)
			continue;
		if (is_table_item(&v[i])) {
			/* No foreign keys to or from it until its rows are back. */
			for (j = 0; j < out->ntables; j++) {
				struct ss_table *o = out->tables[j];
				for (k = 0, m = 0; k < o->nfks; k++)
					if (o != t && strcmp(o->fks[k].ref_table,
					    t->name) != 0)
						o->fks[m++] = o->fks[k];
				o->nfks = m;
			}
			continue;
		}
		if ((col = ss_table_column(t, v[i].column)) == NULL)
			continue;
		/* Nullable until the values are back: a NOT NULL column
		 * whose lost values went to a default of the run (SQLite
		 * converts them to NULL on the way back) as much as a
		 * dropped one. The exact schema comes in pass two. */
		if (!col->autoincrement && !in_key(t, col->name))
			col->nullable = true;
		unique_later(out, t, col->name);
		if (strcmp(v[i].kind, "drop_enum_value") == 0 &&
		    e->dl->enum_types && v[i].value != NULL) {
			/* Note 4: the value is used, so the enum is recreated. */
			col->def.kind = SS_DEFAULT_STRING;
			col->def.value = ss_arena_strdup(&out->arena,
			    v[i].value);
		}
	}
	return 0;
}

static void
conflict(struct ss_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
conflict(struct ss_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ss_buf_vaddf(b, fmt, ap);
	va_end(ap);
	ss_buf_addc(b, '\n');
}

/*
 * "s.k0 = "t"."id" AND ...", or with all_text both sides as text: for
 * a key whose type changed since so that the two do not compare
 * (integer = text), where a key that reads otherwise finds no row.
 */
static void
key_match_as(const struct ss_engine *e, struct ss_buf *b,
    const struct item *it, const struct ss_table *t, bool all_text)
{
	const struct ss_column *c;
	size_t i;
	bool text;

	for (i = 0; i < it->nkeys; i++) {
		c = t != NULL ? ss_table_column(t, it->keys[i]) : NULL;
		text = all_text || (c != NULL && as_text(e, &c->type));
		if (i)
			ss_buf_adds(b, " AND ");
		if (text)
			ss_buf_adds(b, "CAST(");
		qid(e, b, it->table);
		ss_buf_addc(b, '.');
		qid(e, b, it->keys[i]);
		if (all_text)
			ss_buf_addf(b, " AS text) = CAST(" ALIAS ".k%zu AS text)",
			    i);
		else
			ss_buf_addf(b, "%s = " ALIAS ".k%zu", text ?
			    " AS text)" : "", i);
	}
}

static void
key_match(const struct ss_engine *e, struct ss_buf *b, const struct item *it,
    const struct ss_table *t)
{
	key_match_as(e, b, it, t, false);
}

static bool
refilled(const struct item *v, size_t n, const struct ss_change *c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_table_item(&v[i]) && c->op == SS_OP_ALTER_COLUMN &&
		    strcmp(v[i].table, c->table) == 0 &&
		    strcmp(v[i].column, c->column) == 0)
			return true;
	return false;
}

/* "a" and "b" hold the same value, NULL the same as NULL; by value
 * (a = b) unless text, by text (CAST(a AS text) = ...) otherwise. */
static void
same_sql(struct ss_buf *b, const char *x, const char *y, bool text)
{
	if (text)
		ss_buf_addf(b, "COALESCE(CAST(%s AS text) = CAST(%s AS text), "
		    "%s IS NULL AND %s IS NULL)", x, y, x, y);
	else
		ss_buf_addf(b, "COALESCE(%s = %s, %s IS NULL AND %s IS NULL)",
		    x, y, x, y);
}

/* The rows of a column item whose value now differs from w (note 5),
 * by value, or by text when by_value is false. */
static void
differ_sql(const struct ss_engine *e, struct ss_buf *b, const struct item *it,
    const struct ss_table *t, bool by_value)
{
	struct ss_buf col = SS_BUF_INIT;

	qid(e, &col, it->table);
	ss_buf_addc(&col, '.');
	qid(e, &col, it->column);
	ss_buf_adds(b, "SELECT COUNT(*) FROM ");
	store_w(e, b, it->store);
	ss_buf_adds(b, " AS " ALIAS " JOIN ");
	qid(e, b, it->table);
	ss_buf_adds(b, " ON ");
	key_match_as(e, b, it, t, !by_value);
	ss_buf_adds(b, " WHERE NOT ");
	same_sql(b, col.s, ALIAS ".w", !by_value);
	ss_buf_release(&col);
}

/*
 * Rows of a column item whose value is no longer what the change left
 * (note 5): restoring would overwrite a value written since. Compared
 * by value under a savepoint: where the type has no equality (json) or
 * changed since so that the two do not compare, that fails, and text
 * decides.
 */
static int
changed_since(struct ss_engine *e, const struct ss_table *t,
    const struct item *it, struct ss_buf *out)
{
	struct ss_buf b = SS_BUF_INIT, w = SS_BUF_INIT;
	bool has_w, ok;
	long count;
	int rc;

	if (strcmp(it->kind, "drop_column") == 0 ||
	    ss_table_column(t, it->column) == NULL)
		return 0;
	ss_buf_addf(&w, "%s_w", it->store);
	rc = store_has(e, w.s, &has_w);
	ss_buf_release(&w);
	if (rc < 0 || !has_w)
		return rc;
	differ_sql(e, &b, it, t, true);
	if ((rc = attempt(e, b.s, &count, &ok)) == 0 && !ok) {
		ss_buf_reset(&b);
		differ_sql(e, &b, it, t, false);
		rc = query_long(e, b.s, &count);
	}
	if (rc == 0 && count > 0)
		conflict(out, "table %s: %ld row%s whose %s value%s changed "
		    "since; restoring would overwrite %s", it->table, count,
		    count == 1 ? "" : "s", it->column, count == 1 ? "" : "s",
		    count == 1 ? "it" : "them");
	ss_buf_release(&b);
	return rc;
}

/*
 * Names after a run, through its renames v[0..n) (note 7: table and
 * column the names after, to the name before): the name of table
 * before, ...
 */
static const char *
table_now(const struct ss_rename *v, size_t n, const char *before)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].column == NULL && strcmp(v[i].to, before) == 0)
			return v[i].table;
	return before;
}

/* ... and of column before of table (its name now or before). */
static char *
column_now(const struct ss_rename *v, size_t n, const char *table,
    const char *before, char *col)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].column != NULL && strcmp(v[i].to, before) == 0 &&
		    (strcmp(v[i].table, table) == 0 ||
		    strcmp(v[i].table, table_now(v, n, table)) == 0))
			return (char *)v[i].column;
	return col;
}

/*
 * it under the names the renames v[0..n) give: its table, column and
 * keys. The names are borrowed; only m->keys is m's own.
 */
static void
item_now(const struct ss_rename *v, size_t n, const struct item *it,
    struct item *m)
{
	size_t i;

	*m = *it;
	m->table = (char *)table_now(v, n, it->table);
	if (it->column != NULL)
		m->column = column_now(v, n, it->table, it->column, it->column);
	m->keys = ss_xcalloc(it->nkeys + 1, sizeof *m->keys);
	for (i = 0; i < it->nkeys; i++)
		m->keys[i] = column_now(v, n, it->table, it->keys[i],
		    it->keys[i]);
}

/*
 * The enum of the saved column of item before (names before the run),
 * whose values come back: NULL when it is of none.
 */
static const struct ss_enum *
saved_enum(const struct ss_engine *e, const struct item *before)
{
	const struct ss_table *t = ss_schema_table(&e->desired, before->table);
	const struct ss_column *c = t != NULL && before->column != NULL ?
	    ss_table_column(t, before->column) : NULL;

	if (c == NULL || c->type.kind != SS_TYPE_ENUM)
		return NULL;
	return ss_schema_enum(&e->desired, c->type.name);
}

static void
without_row_sql(const struct ss_engine *e, struct ss_buf *b,
    const struct item *it, const struct ss_table *t, bool text)
{
	ss_buf_adds(b, "SELECT COUNT(*) FROM ");
	store(e, b, it->store);
	ss_buf_adds(b, " AS " ALIAS " WHERE NOT EXISTS (SELECT 1 FROM ");
	qid(e, b, it->table);
	ss_buf_adds(b, " WHERE ");
	key_match_as(e, b, it, t, text);
	ss_buf_addc(b, ')');
}

/*
 * How many of item it's kept values find no row of t by their key: by
 * value under a savepoint; where the keys do not compare (a key the
 * run retyped, integer = text), by text.
 */
static int
kept_without_row(struct ss_engine *e, const struct item *it,
    const struct ss_table *t, long *count)
{
	struct ss_buf b = SS_BUF_INIT;
	bool ok;
	int rc;

	without_row_sql(e, &b, it, t, false);
	if ((rc = attempt(e, b.s, count, &ok)) == 0 && !ok) {
		ss_buf_reset(&b);
		without_row_sql(e, &b, it, t, true);
		rc = query_long(e, b.s, count);
	}
	ss_buf_release(&b);
	return rc;
}

/*
 * Rows of the column of item it (names now) that hold a value enum en
 * lacks and that the point keeps nothing of: written since, they would
 * lose it when the column goes back to en (its own values come back
 * only to the rows kept).
 */
static int
lost_since(struct ss_engine *e, const struct item *it,
    const struct ss_enum *en, long *count)
{
	struct ss_buf b = SS_BUF_INIT;
	size_t i;
	int rc;

	ss_buf_adds(&b, "SELECT COUNT(*) FROM ");
	qid(e, &b, it->table);
	ss_buf_adds(&b, " WHERE ");
	qid(e, &b, it->column);
	ss_buf_adds(&b, " IS NOT NULL AND CAST(");
	qid(e, &b, it->column);
	ss_buf_adds(&b, " AS text) NOT IN (");
	for (i = 0; i < en->values.n; i++) {
		if (i)
			ss_buf_adds(&b, ", ");
		lit(e, &b, en->values.v[i].name);
	}
	if (en->values.n == 0)
		ss_buf_adds(&b, "NULL");
	ss_buf_adds(&b, ") AND NOT EXISTS (SELECT 1 FROM ");
	store(e, &b, it->store);
	ss_buf_adds(&b, " AS " ALIAS " WHERE ");
	key_match(e, &b, it, ss_schema_table(&e->current, it->table));
	ss_buf_addc(&b, ')');
	rc = query_long(e, b.s, count);
	ss_buf_release(&b);
	return rc;
}

/*
 * What stands in the way of item before (names before the run), it as
 * the database names it now.
 */
static int
conflicts_of(struct ss_engine *e, const struct item *before,
    const struct item *it, struct ss_buf *out)
{
	struct ss_buf b = SS_BUF_INIT;
	const struct ss_table *t = ss_schema_table(&e->current, it->table);
	const struct ss_enum *en;
	size_t j;
	long count;
	int rc = 0;

	if (is_table_item(it)) {
		if (t == NULL)
			goto out;
		ss_buf_reset(&b);
		ss_buf_adds(&b, "SELECT COUNT(*) FROM ");
		qid(e, &b, it->table);
		if ((rc = query_long(e, b.s, &count)) < 0)
			goto out;
		if (count > 0)
			conflict(out, "table %s: the name is taken by a "
			    "table with %ld rows", it->table, count);
		goto out;
	}
	if (t == NULL) {
		conflict(out, "table %s is gone: %ld kept values of "
		    "column %s have no row to go back to", it->table,
		    it->rows, it->column);
		goto out;
	}
	if (t->pk == NULL || t->pk->columns.n != it->nkeys) {
		conflict(out, "table %s: its primary key changed since",
		    it->table);
		goto out;
	}
	for (j = 0; j < it->nkeys; j++)
		if (strcmp(t->pk->columns.v[j].name, it->keys[j]) != 0)
			break;
	if (j < it->nkeys) {
		conflict(out, "table %s: its primary key changed since",
		    it->table);
		goto out;
	}
	if (strcmp(it->kind, "drop_column") == 0 &&
	    ss_table_column(t, it->column) != NULL) {
		ss_buf_reset(&b);
		ss_buf_adds(&b, "SELECT COUNT(*) FROM ");
		qid(e, &b, it->table);
		ss_buf_adds(&b, " WHERE ");
		qid(e, &b, it->column);
		ss_buf_adds(&b, " IS NOT NULL");
		if ((rc = query_long(e, b.s, &count)) < 0)
			goto out;
		if (count > 0)
			conflict(out, "column %s.%s: the name is taken by "
			    "a column with %ld values", it->table,
			    it->column, count);
	}
	if ((rc = changed_since(e, t, it, out)) < 0)
		goto out;
	if (strcmp(it->kind, "drop_column") != 0 &&
	    ss_table_column(t, it->column) != NULL &&
	    (en = saved_enum(e, before)) != NULL) {
		if ((rc = lost_since(e, it, en, &count)) < 0)
			goto out;
		if (count > 0)
			conflict(out, "table %s: %ld row%s written since "
			    "hold%s %s value%s the enum %s lacks; restoring "
			    "would lose %s", it->table, count, count == 1 ?
			    "" : "s", count == 1 ? "s" : "", it->column,
			    count == 1 ? "" : "s", en->name, count == 1 ?
			    "it" : "them");
	}
	if ((rc = kept_without_row(e, it, t, &count)) < 0)
		goto out;
	if (count > 0)
		conflict(out, "table %s: %ld row%s whose %s values are "
		    "kept %s deleted since (or %s key reads otherwise now)",
		    it->table, count, count == 1 ? "" : "s", it->column,
		    count == 1 ? "was" : "were", count == 1 ? "its" :
		    "their");
out:
	ss_buf_release(&b);
	return rc;
}

/* Whether change c asked for a LOSSY count. */
static bool
has_lossy(struct ss_plan *p, const struct ss_change *c)
{
	struct ss_count_request *reqs;
	size_t i, nreqs = ss_plan_count_requests(p, &reqs);

	for (i = 0; i < nreqs; i++)
		if (reqs[i].change == c && reqs[i].kind == SS_COUNT_LOSSY)
			return true;
	return false;
}

/* The sum of change c's LOSSY counts, the whole column's or the
 * narrowed ones; -1 when one is unknown, or there is none. */
static long
lossy_sum(struct ss_plan *p, const struct ss_change *c, bool narrowed)
{
	struct ss_count_request *reqs;
	size_t i, nreqs = ss_plan_count_requests(p, &reqs), n = 0;
	long sum = 0, v;

	for (i = 0; i < nreqs; i++) {
		if (reqs[i].change != c || reqs[i].kind != SS_COUNT_LOSSY)
			continue;
		if ((v = narrowed ? reqs[i].narrowed : reqs[i].count) < 0)
			return -1;
		sum += v;
		n++;
	}
	return n > 0 ? sum : -1;
}

/*
 * The values of c's column that its type going back would not keep,
 * among the rows the point keeps nothing of (narrow_kept()); -1 when a
 * count is unknown. 0 without a LOSSY count: what makes c destructive
 * is then no cast (an enum's values, which lost_since() checks).
 */
static long
lossy_unkept(struct ss_plan *p, const struct ss_change *c)
{
	return has_lossy(p, c) ? lossy_sum(p, c, true) : 0;
}

/*
 * Whether change c, destructive, only changes its column's type back in
 * a way that keeps every value (PostgreSQL counts any type change of a
 * non-empty column destructive: a type the run widened, going back).
 */
static bool
keeps_every_value(struct ss_plan *p, const struct ss_change *c)
{
	return c->op == SS_OP_ALTER_COLUMN &&
	    (c->alter & ~SS_ALTER_DEFAULT) == SS_ALTER_TYPE &&
	    lossy_sum(p, c, false) == 0;
}

/*
 * The engine's narrow hook while restoring (note 8): a LOSSY count of a
 * column whose kept values come back leaves out the rows they come back
 * to, so that it counts what the rows written since would lose.
 */
struct narrowing {
	const struct item *v;
	size_t n;
};

static void
narrow_kept(struct ss_engine *e, struct ss_count_request *q, void *arg)
{
	const struct narrowing *w = arg;
	struct ss_buf b = SS_BUF_INIT;
	struct item now;
	size_t i;

	for (i = 0; q->kind == SS_COUNT_LOSSY && q->column != NULL &&
	    q->unless == NULL && i < w->n; i++) {
		const struct item *it = &w->v[i];
		if (is_table_item(it) || is_counter(it) ||
		    strcmp(it->kind, "drop_column") == 0)
			continue;
		item_now(e->yes, e->nyes, it, &now);
		if (strcmp(now.table, q->table) == 0 &&
		    strcmp(now.column, q->column) == 0) {
			ss_buf_adds(&b, "EXISTS (SELECT 1 FROM ");
			store(e, &b, it->store);
			ss_buf_adds(&b, " AS " ALIAS " WHERE ");
			key_match(e, &b, &now,
			    ss_schema_table(&e->current, now.table));
			ss_buf_addc(&b, ')');
			q->unless = ss_arena_strdup(&e->arena, b.s);
		}
		free(now.keys);
	}
	ss_buf_release(&b);
}

/* What in the database now stands in the way (note 4). */
static int
check_conflicts(struct ss_engine *e, const struct item *v, size_t n,
    struct ss_buf *out)
{
	struct ss_buf d = SS_BUF_INIT;
	struct item now;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < e->nplans; i++)
		for (j = 0; j < e->plans[i].n; j++) {
			const struct ss_change *c = e->plans[i].v[j];
			long unkept;
			if (c->class == SS_CLASS_SAFE ||
			    (c->class == SS_CLASS_DESTRUCTIVE &&
			    keeps_every_value(&e->plans[i], c)))
				continue;
			if (c->class == SS_CLASS_DESTRUCTIVE &&
			    refilled(v, n, c)) {
				/* The kept rows get their values back; the
				 * others must keep theirs (narrow_kept()). */
				if ((unkept = lossy_unkept(&e->plans[i], c)) == 0)
					continue;
				ss_buf_reset(&d);
				ss_change_describe(&d, c);
				conflict(out, "restoring would lose data written "
				    "since: %s; %s", d.s, unkept > 0 ?
				    "the point keeps nothing of those rows" :
				    "the values the point does not keep could "
				    "not be counted");
				continue;
			}
			ss_buf_reset(&d);
			ss_change_describe(&d, c);
			conflict(out, "restoring would %s: %s", c->class ==
			    SS_CLASS_DESTRUCTIVE ? "lose data that exists now" :
			    "fail on the data there", d.s);
		}
	for (i = 0; i < n && rc == 0; i++) {
		if (is_counter(&v[i]))
			continue;
		item_now(e->yes, e->nyes, &v[i], &now);
		rc = conflicts_of(e, &v[i], &now, out);
		free(now.keys);
	}
	ss_buf_release(&d);
	return rc;
}


/* A restored value: enums back from text (note 2). */
static void
restored_value(const struct ss_engine *e, struct ss_buf *b,
    const struct ss_column *col, const char *ref)
{
	if (as_text(e, &col->type)) {
		/* An enum by its name; any other as the catalog spells it
		 * (format_type: "mood[]", "numeric(5,2)[]"). */
		ss_buf_addf(b, "CAST(%s AS ", ref);
		if (col->type.kind == SS_TYPE_ENUM)
			qid(e, b, col->type.name);
		else
			ss_buf_adds(b, col->type.name);
		ss_buf_addc(b, ')');
	} else
		ss_buf_adds(b, ref);
}

/* The counter of table.column past its rows and the kept value. */
static int
reseed(struct ss_engine *e, const char *table, const char *column,
    const char *kept)
{
	struct ss_buf b = SS_BUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; e->dl->undo_reseed != NULL && rc == 0; i++) {
		ss_buf_reset(&b);
		if (!e->dl->undo_reseed(&b, i, table, column, kept))
			break;
		rc = run(e, b.s);
	}
	ss_buf_release(&b);
	return rc;
}

/*
 * Puts the kept rows and values back (pass one done); a kept value
 * that finds no row is a line of conflicts (note 8).
 */
static int
refill(struct ss_engine *e, const struct item *v, size_t n,
    struct ss_buf *conflicts)
{
	struct ss_buf b = SS_BUF_INIT, ref = SS_BUF_INIT;
	const struct ss_table *t;
	const struct ss_column *col;
	bool always;
	size_t i, j, k;
	long lost;
	int rc = 0;

	for (i = 0; i < n; i++) {
		const struct item *it = &v[i];
		if ((t = ss_schema_table(&e->desired, it->table)) == NULL)
			continue;
		if (is_counter(it)) {
			ss_buf_reset(&ref);
			store(e, &ref, it->store);
			if ((rc = reseed(e, t->name, it->column, ref.s)) < 0)
				goto out;
			continue;
		}
		if (it->rows == 0)
			continue;
		ss_buf_reset(&b);
		if (is_table_item(it)) {
			/* Generated columns are computed again, and refuse
			 * a value. */
			ss_buf_adds(&b, "INSERT INTO ");
			qid(e, &b, it->table);
			ss_buf_adds(&b, " (");
			for (j = 0, k = 0, always = false; j < t->ncolumns;
			    j++) {
				if (t->columns[j].generated != NULL)
					continue;
				if (k++)
					ss_buf_adds(&b, ", ");
				qid(e, &b, t->columns[j].name);
				always |= t->columns[j].always;
			}
			ss_buf_adds(&b, always ? ") OVERRIDING SYSTEM VALUE "
			    "SELECT " : ") SELECT ");
			for (j = 0, k = 0; j < t->ncolumns; j++) {
				if (t->columns[j].generated != NULL)
					continue;
				if (k++)
					ss_buf_adds(&b, ", ");
				ss_buf_reset(&ref);
				qid(e, &ref, t->columns[j].name);
				restored_value(e, &b, &t->columns[j], ref.s);
			}
			ss_buf_adds(&b, " FROM ");
			store(e, &b, it->store);
			if ((rc = run(e, b.s)) < 0)
				goto out;
			for (j = 0; j < t->ncolumns; j++)
				if (t->columns[j].autoincrement &&
				    (rc = reseed(e, t->name,
				    t->columns[j].name, NULL)) < 0)
					goto out;
			continue;
		}
		if ((col = ss_table_column(t, it->column)) == NULL)
			continue;
		/* An index on the kept keys: one lookup a row. */
		/* Unqualified: an index goes in its table's schema. */
		ss_buf_reset(&ref);
		ss_buf_addf(&ref, "%s_k", it->store);
		ss_buf_adds(&b, "CREATE INDEX ");
		qid(e, &b, ref.s);
		ss_buf_adds(&b, " ON ");
		store(e, &b, it->store);
		ss_buf_adds(&b, " (");
		for (j = 0; j < it->nkeys; j++)
			ss_buf_addf(&b, "%sk%zu", j ? ", " : "", j);
		ss_buf_addc(&b, ')');
		if ((rc = run(e, b.s)) < 0)
			goto out;
		ss_buf_reset(&b);
		ss_buf_adds(&b, "UPDATE ");
		qid(e, &b, it->table);
		ss_buf_adds(&b, " SET ");
		qid(e, &b, it->column);
		ss_buf_adds(&b, " = ");
		restored_value(e, &b, col, ALIAS ".v");
		ss_buf_adds(&b, " FROM ");
		store(e, &b, it->store);
		ss_buf_adds(&b, " AS " ALIAS " WHERE ");
		key_match(e, &b, it, t);
		if ((rc = run(e, b.s)) < 0)
			goto out;
		/* Every kept value found its row: a key that the run
		 * retyped may read another way back ('007', 7, '7'). */
		if ((rc = kept_without_row(e, it, t, &lost)) < 0)
			goto out;
		if (lost > 0)
			conflict(conflicts, "table %s: %ld kept value%s of "
			    "column %s found no row to go back to (its key "
			    "reads otherwise now)", it->table, lost,
			    lost == 1 ? "" : "s", it->column);
	}
out:
	ss_buf_release(&b);
	ss_buf_release(&ref);
	return rc;
}

/* An item of keep_renames(). */
static bool
is_rename(const char *kind)
{
	return strcmp(kind, "rename_table") == 0 ||
	    strcmp(kind, "rename_column") == 0;
}

/*
 * The items of point id, in order, but its renames (note 7): each is
 * answered to e, reversed, when answer is set, and is no item of out.
 */
static int
read_items(struct ss_engine *e, long id, struct item **out, size_t *nout,
    bool answer)
{
	struct ss_buf b = SS_BUF_INIT;
	struct rows r = { 0 };
	struct item *v = NULL;
	size_t i, n;
	int rc;

	*out = NULL;
	*nout = 0;
	ss_buf_adds(&b, "SELECT kind, tbl, col, keys, store, nrows FROM ");
	store(e, &b, SS_UNDO_ITEMS);
	ss_buf_addf(&b, " WHERE point = %ld ORDER BY seq", id);
	if ((rc = query(e, b.s, &r)) < 0)
		goto out;
	v = ss_xcalloc(r.n + 1, sizeof *v);
	for (i = n = 0; i < r.n; i++) {
		if (is_rename(r.v[i][0])) {
			struct ss_rename rn;
			rn.table = r.v[i][1];
			rn.column = r.v[i][2];
			rn.to = r.v[i][3] != NULL ? r.v[i][3] : "";
			if (answer)
				ss_engine_answer(e, &rn, true);
			continue;
		}
		v[n].kind = ss_xstrdup(r.v[i][0]);
		v[n].table = ss_xstrdup(r.v[i][1]);
		v[n].column = dup_or_null(r.v[i][2]);
		split_keys(&v[n], r.v[i][3]);
		v[n].rows = r.v[i][5] ? strtol(r.v[i][5], NULL, 10) : 0;
		v[n].store = ss_xstrdup(r.v[i][4]);
		n++;
	}
	*out = v;
	*nout = n;
out:
	rows_release(&r);
	ss_buf_release(&b);
	return rc;
}

/*
 * Whether the column of it (names before the run) comes out of it with
 * its table and key, under the names of after (note 5).
 */
static bool
stays(const struct ss_engine *e, const struct item *it,
    const struct item *after)
{
	const struct ss_table *cur = ss_schema_table(&e->current, it->table);
	const struct ss_table *des = ss_schema_table(&e->desired, after->table);
	size_t i;

	if (cur == NULL || des == NULL || des->pk == NULL ||
	    ss_table_column(des, after->column) == NULL ||
	    des->pk->columns.n != after->nkeys)
		return false;
	for (i = 0; i < after->nkeys; i++)
		if (strcmp(des->pk->columns.v[i].name, after->keys[i]) != 0)
			return false;
	return true;
}

/*
 * The engine's kept hook: w beside the kept values (note 5), read under
 * the names the run gave the table, column and key.
 */
static int
kept_hook(struct ss_engine *e, void *arg)
{
	struct ss_buf b = SS_BUF_INIT;
	const struct ss_table *dt;
	struct ss_rename *rv;
	struct item *v = NULL, m;
	size_t n = 0, nrv, i, j;
	bool text, ok;
	int rc;

	(void)arg;
	rv = run_renames(e, &nrv);
	if ((rc = read_items(e, e->undo_point, &v, &n, false)) < 0)
		goto out;
	for (i = 0; i < n && rc == 0; i++) {
		const struct item *it = &v[i];
		if (is_table_item(it) || is_counter(it) ||
		    strcmp(it->kind, "drop_column") == 0)
			continue;
		item_now(rv, nrv, it, &m);
		if (!stays(e, it, &m)) {
			free(m.keys);
			continue;
		}
		ss_buf_reset(&b);
		ss_buf_adds(&b, "CREATE TABLE ");
		store_w(e, &b, it->store);
		ss_buf_adds(&b, " AS SELECT ");
		for (j = 0; j < m.nkeys; j++)
			ss_buf_addf(&b, ALIAS ".k%zu, ", j);
		/* Kept as text where the data table keeps it so (note 2). */
		dt = ss_schema_table(&e->desired, m.table);
		text = as_text(e, &ss_table_column(dt, m.column)->type);
		if (text)
			ss_buf_adds(&b, "CAST(");
		qid(e, &b, m.table);
		ss_buf_addc(&b, '.');
		qid(e, &b, m.column);
		ss_buf_adds(&b, text ? " AS text) AS w FROM " : " AS w FROM ");
		store(e, &b, it->store);
		ss_buf_adds(&b, " AS " ALIAS " JOIN ");
		qid(e, &b, m.table);
		ss_buf_adds(&b, " ON ");
		key_match(e, &b, &m, dt);
		/* Keys retyped so that they no longer compare: no w. */
		rc = attempt(e, b.s, NULL, &ok);
		free(m.keys);
	}
out:
	items_release(v, n);
	free(rv);
	ss_buf_release(&b);
	return rc;
}

/* The enum values the items of kind drop_enum_value lost (note 4). */
static int
lost_values(struct ss_engine *e, struct item *v, size_t n)
{
	struct ss_buf b = SS_BUF_INIT;
	struct rows r = { 0 };
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i].kind, "drop_enum_value") != 0 || v[i].rows == 0)
			continue;
		ss_buf_reset(&b);
		ss_buf_adds(&b, "SELECT v FROM ");
		store(e, &b, v[i].store);
		ss_buf_adds(&b, " LIMIT 1");
		if ((rc = query(e, b.s, &r)) < 0)
			goto out;
		if (r.n == 0 || r.v[0][0] == NULL)
			continue;
		v[i].value = ss_xstrdup(r.v[0][0]);
	}
out:
	rows_release(&r);
	ss_buf_release(&b);
	return rc;
}

/*
 * Restores point id, whose saved schema is yaml, inside the caller's
 * transaction and removes it (invariant 4). -SS_EBLOCKED with each
 * conflict a line of conflicts.
 */
static int
restore_one(struct ss_engine *e, long id, const char *yaml,
    struct ss_buf *conflicts)
{
	struct ss_engine_opts o;
	struct ss_buf b = SS_BUF_INIT;
	struct narrowing narrowing;
	struct item *v = NULL;
	size_t n = 0, i, j;
	int rc;

	e->nyes = 0;	/* a newer point's renames are done */
	if ((rc = read_items(e, id, &v, &n, true)) < 0 ||
	    (rc = lost_values(e, v, n)) < 0)
		goto out;
	memset(&o, 0, sizeof o);
	o.accept = SS_ACCEPT(SS_CLASS_SAFE) | SS_ACCEPT(SS_CLASS_DESTRUCTIVE);
	o.literal = true;
	/* The run's renames, back (note 7); one that names nothing now
	 * (renamed again since) is no answer. */
	o.fit_answers = true;
	/* Refilled in this transaction: an enum value it adds back must be
	 * usable at once (PostgreSQL recreates the enum). */
	o.values_used = true;
	/* Pass one: the relaxed schema. */
	ss_schema_release(&e->desired);
	narrowing.v = v;
	narrowing.n = n;
	e->narrow = narrow_kept;
	e->narrow_arg = &narrowing;
	rc = load_saved(e, yaml, v, n, true, &e->desired);
	if (rc == 0)
		rc = ss_engine_plan(e, &o);
	e->narrow = NULL;
	e->narrow_arg = NULL;
	if (rc < 0 || (rc = check_conflicts(e, v, n, conflicts)) < 0)
		goto out;
	if (conflicts->len > 0) {
		rc = -SS_EBLOCKED;
		goto out;
	}
	if ((rc = ss_engine_run_plans(e)) < 0 ||
	    (rc = refill(e, v, n, conflicts)) < 0)
		goto out;
	if (conflicts->len > 0) {
		rc = -SS_EBLOCKED;
		goto out;
	}
	/* Pass two: exactly the saved schema. */
	ss_schema_release(&e->desired);
	if ((rc = load_saved(e, yaml, v, n, false, &e->desired)) < 0 ||
	    (rc = ss_engine_plan(e, &o)) < 0)
		goto out;
	for (i = 0; i < e->nplans; i++)
		for (j = 0; j < e->plans[i].n; j++) {
			const struct ss_change *c = e->plans[i].v[j];
			if (c->class == SS_CLASS_SAFE)
				continue;
			ss_buf_reset(&b);
			ss_change_describe(&b, c);
			conflict(conflicts, "with the values back, restoring "
			    "would %s: %s", c->class == SS_CLASS_DESTRUCTIVE ?
			    "lose data that exists now" :
			    "fail on the data there", b.s);
		}
	if (conflicts->len > 0) {
		rc = -SS_EBLOCKED;
		goto out;
	}
	if ((rc = ss_engine_run_plans(e)) == 0)
		rc = drop_point(e, id);
out:
	items_release(v, n);
	ss_buf_release(&b);
	return rc;
}

int
ss_undo_restore(struct ss_engine *e, long id, struct ss_undo_restored *out,
    struct ss_buf *conflicts)
{
	struct ss_buf b = SS_BUF_INIT;
	struct rows r = { 0 };
	bool there;
	size_t i;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = ss_engine_exec_begin(e)) < 0)
		return rc;
	if ((rc = store_exists(e, &there)) < 0)
		goto fail;
	if (there) {
		/* Newest first, down to id (note 5). */
		ss_buf_adds(&b, "SELECT id, schema FROM ");
		store(e, &b, SS_UNDO_TABLE);
		if (id > 0)
			ss_buf_addf(&b, " WHERE id >= %ld", id);
		ss_buf_adds(&b, " ORDER BY id DESC");
		if (id <= 0)
			ss_buf_adds(&b, " LIMIT 1");
		if ((rc = query(e, b.s, &r)) < 0)
			goto fail;
	}
	if (r.n == 0 || (id > 0 && strtol(r.v[r.n - 1][0], NULL, 10) != id)) {
		if (id > 0)
			rc = ss_err_set(&e->err, SS_EUSAGE, "there is no undo "
			    "point %ld (undo --list shows them)", id);
		else
			rc = ss_err_set(&e->err, SS_EUSAGE, "there is no undo "
			    "point: nothing to undo");
		goto fail;
	}
	out->v = ss_xcalloc(r.n, sizeof *out->v);
	for (i = 0; i < r.n; i++) {
		out->v[out->n++] = strtol(r.v[i][0], NULL, 10);
		if ((rc = restore_one(e, out->v[i], r.v[i][1], conflicts)) < 0)
			goto fail;
	}
	if ((rc = ss_engine_exec_commit(e)) < 0)
		goto out;
	goto out;
fail:
	ss_engine_exec_rollback(e);
	if (rc != -SS_EBLOCKED)
		out->n = 0;
out:
	rows_release(&r);
	ss_buf_release(&b);
	return rc;
}
