/*
 * PostgreSQL: the plan as statements (emit.h). Pure: no connection.
 *
 * Design notes (the dialect's other notes are in dialect.c):
 *  1. A type change is ALTER COLUMN ... TYPE t USING col::t (through
 *     text when an enum is on either side, since enums have no casts to
 *     each other). The column's default is dropped first and set again
 *     after, because the server cannot always cast the old default.
 *     The LOSSY count is the number of values whose cast fails or does
 *     not give back an equal value when cast back (the same text, for
 *     types without equality): as one query, and when that fails (some
 *     value does not cast) row by row through a temporary function that
 *     catches the error; that pass also counts the values the cast
 *     refuses (LOSSY's failing), which the plan makes unexecutable in
 *     a NOT NULL column without a default. When the LOSSY count is not
 *     0 the change was destructive and accepted, and the column is
 *     converted through a temporary function that gives what the cast
 *     gives, and NULL (then the column's default) for a value the cast
 *     refuses, so the push does not fail on it. Between types with no
 *     cast at all the server refuses col::t even over no rows: a
 *     column with no value is converted USING NULL. NOT NULL is
 *     dropped before the conversion, set after it.
 *  2. Enum values are added with ALTER TYPE ... ADD VALUE, unless the
 *     plan uses a new value in the same transaction (a default, SQL or
 *     an array's too, a generation expression, a check, an index
 *     predicate or expression, a view), which the server refuses
 *     ("unsafe use of new value"). Such an enum, and every enum that
 *     loses a value, is recreated in one step: rename the old type,
 *     create the new one, convert every column that uses it (USING
 *     col::text::new), drop the old type; a value the enum lost becomes
 *     the column's default, or NULL. A generated column that reads a
 *     converted one is dropped before and added again after (the server
 *     cannot retype a column a generation expression reads), and so is
 *     a foreign key whose columns or referenced ones use the enum. An enum
 *     whose values come in another order (the order its values sort
 *     in) is recreated too: ALTER TYPE cannot move a value. A
 *     recreation for a used new value stands where the enum's first
 *     added value stood (before the tables that use it); one for a
 *     removed value or a new order stands where that change stood
 *     (after the columns that stop using a value are changed). An
 *     early recreation of an enum that also loses a value keeps every
 *     value (a column the plan changes after keeps its own), and a
 *     second recreation, where the removal stands, drops them: a value
 *     is only ever lost as the files have the tables.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss/dialect.h"
#include "ddl.h"
#include "emit.h"

/* The name an enum has while it is being replaced. */
#define OLD_ENUM "schemasync_old_enum"
/* The temporary function that casts what can be cast (casts_cleanly()). */
#define SAFE_CAST "schemasync_cast"

struct recreate {
	const char *name;		/* the enum */
	bool early;			/* before the tables: a new value is used */
	bool loses;			/* a value goes */
	struct ss_step *step;
	struct ss_step *late;		/* early, and a value goes: the second
					 * recreation, where the removal stands */
};

struct emitter {
	const struct ss_plan *p;
	struct ss_steps *out;
	struct recreate *rc;
	size_t nrc, arc;
	struct ss_buf restore;		/* foreign keys to add back at the end */
	struct ss_buf b;
};

static struct ss_step *
step(struct emitter *E, struct ss_change *c)
{
	struct ss_step *st = ss_steps_add(E->out);

	ss_step_change(E->out, st, c);
	return st;
}

static void
sql(struct emitter *E, struct ss_step *st)
{
	ss_step_sql(E->out, st, E->b.s);
	ss_buf_reset(&E->b);
}

static void
alter_table(struct emitter *E, const char *table)
{
	ss_buf_adds(&E->b, "ALTER TABLE ");
	ss_pg_quote_ident(&E->b, table);
	ss_buf_addc(&E->b, ' ');
}

static void
alter_column(struct emitter *E, const char *table, const char *col)
{
	alter_table(E, table);
	ss_buf_adds(&E->b, "ALTER COLUMN ");
	ss_pg_quote_ident(&E->b, col);
	ss_buf_addc(&E->b, ' ');
}

/* Keys and foreign keys. */

/* The name current table cur has once the plan's renames have run. */
static const char *
renamed_table(const struct ss_plan *p, const char *cur)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->v[i]->op == SS_OP_RENAME_TABLE && !p->v[i]->held &&
		    !p->v[i]->candidate && strcmp(p->v[i]->old_name, cur) == 0)
			return p->v[i]->table;
	return cur;
}

static bool
fk_dropped_in_plan(const struct ss_plan *p, const struct ss_fk *fk)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if ((p->v[i]->op == SS_OP_DROP_FOREIGN_KEY && p->v[i]->c_fk == fk &&
		    !p->v[i]->held) || (p->v[i]->op == SS_OP_DROP_TABLE &&
		    !p->v[i]->held && p->v[i]->c_table != NULL &&
		    fk >= p->v[i]->c_table->fks &&
		    fk < p->v[i]->c_table->fks + p->v[i]->c_table->nfks))
			return true;
	return false;
}

/*
 * A foreign key depends on the unique index it references, so the
 * server refuses to drop a key that one uses. Before the drop of key
 * cols of current table ctab, the foreign keys that reference exactly
 * those columns (and that the plan keeps) are dropped, and added back
 * at the end of the plan, once the new key exists.
 */
static void
unhook_fks(struct emitter *E, struct ss_step *st, const char *ctab,
    const struct ss_names *cols)
{
	const struct ss_schema *cur = E->p->current;
	const struct ss_table *t, *dt;
	const struct ss_fk *fk, *dfk;
	size_t i, j, k;

	for (i = 0; cur != NULL && i < cur->ntables; i++) {
		t = cur->tables[i];
		for (j = 0; j < t->nfks; j++) {
			fk = &t->fks[j];
			if (strcmp(fk->ref_table, ctab) != 0 ||
			    !ss_names_same_set(&fk->ref_columns, cols) ||
			    fk_dropped_in_plan(E->p, fk))
				continue;
			alter_table(E, renamed_table(E->p, t->name));
			ss_buf_adds(&E->b, "DROP CONSTRAINT ");
			ss_pg_quote_ident(&E->b, fk->name);
			sql(E, st);
			/* Back as the files define it, or as it was. */
			dt = ss_schema_table(E->p->desired,
			    renamed_table(E->p, t->name));
			dfk = NULL;
			for (k = 0; dt != NULL && k < dt->nfks; k++)
				if (strcmp(dt->fks[k].name, fk->name) == 0)
					dfk = &dt->fks[k];
			if (dt == NULL)
				continue;
			if (E->restore.len == 0)
				ss_buf_adds(&E->restore, "-- foreign keys that "
				    "used a dropped key, added back");
			ss_buf_addc(&E->restore, '\n');
			ss_pg_emit_add_fk(&E->restore, dt, dfk != NULL ? dfk : fk);
		}
	}
}

static void
emit_create_table(struct emitter *E, struct ss_change *c)
{
	const struct ss_table *t = c->d_table;
	struct ss_step *st = step(E, c);
	size_t i;

	ss_pg_emit_create_table(&E->b, t);
	sql(E, st);
	for (i = 0; i < t->nfks; i++) {
		if (ss_change_defers(c, &t->fks[i]))
			continue;
		ss_pg_emit_add_fk(&E->b, t, &t->fks[i]);
		sql(E, st);
	}
	if (t->comment != NULL) {
		ss_pg_emit_comment_table(&E->b, t);
		sql(E, st);
	}
	for (i = 0; i < t->ncolumns; i++) {
		if (t->columns[i].comment == NULL)
			continue;
		ss_pg_emit_comment_column(&E->b, t, &t->columns[i]);
		sql(E, st);
	}
}

/* Sets the identity sequence of t.col past the values already there
 * (and not below its start). */
static void
identity_restart(struct emitter *E, const char *table, const char *col,
    const struct ss_column *d)
{
	struct ss_buf qt = SS_BUF_INIT;

	ss_pg_quote_ident(&qt, table);
	ss_buf_adds(&E->b, "SELECT pg_catalog.setval(pg_catalog."
	    "pg_get_serial_sequence(");
	ss_pg_quote_literal(&E->b, qt.s);
	ss_buf_adds(&E->b, ", ");
	ss_pg_quote_literal(&E->b, col);
	ss_buf_adds(&E->b, "), GREATEST(max(");
	ss_pg_quote_ident(&E->b, col);
	if (ss_identity_default(d)) {
		ss_buf_adds(&E->b, "), 1), max(");
		ss_pg_quote_ident(&E->b, col);
		ss_buf_adds(&E->b, ") IS NOT NULL) FROM ");
	} else
		ss_buf_addf(&E->b, ") + %lld, %lld), false) FROM ",
		    ss_identity_increment(d), ss_identity_start(d));
	ss_pg_quote_ident(&E->b, table);
	ss_buf_release(&qt);
}

/*
 * Drops the sequence of serial column t.col (its default dropped
 * first), so that an identity can take its place as the column's only
 * sequence. Its name is the server's: a DO block asks for it.
 */
static void
drop_serial_sequence(struct emitter *E, const char *table, const char *col)
{
	struct ss_buf qt = SS_BUF_INIT, body = SS_BUF_INIT, tag = SS_BUF_INIT;
	int i;

	ss_pg_quote_ident(&qt, table);
	ss_buf_adds(&body, "BEGIN EXECUTE 'DROP SEQUENCE ' || pg_catalog."
	    "pg_get_serial_sequence(");
	ss_pg_quote_literal(&body, qt.s);
	ss_buf_adds(&body, ", ");
	ss_pg_quote_literal(&body, col);
	ss_buf_adds(&body, "); END");
	/* A dollar-quote tag the names cannot close. */
	for (i = 0;; i++) {
		ss_buf_reset(&tag);
		if (i == 0)
			ss_buf_adds(&tag, "$ss_serial$");
		else
			ss_buf_addf(&tag, "$ss_serial%d$", i);
		if (strstr(body.s, tag.s) == NULL)
			break;
	}
	ss_buf_addf(&E->b, "DO %s%s%s", tag.s, body.s, tag.s);
	ss_buf_release(&qt);
	ss_buf_release(&body);
	ss_buf_release(&tag);
}

/*
 * Whether every value of c's column casts to its new type (the LOSSY
 * count is 0). When some do not, or nobody knows, the change was
 * destructive and accepted: the values that do not cast are the data
 * lost, so the column is converted through a function that gives NULL
 * for them (then the column's default, if it has one), instead of a
 * cast that would fail the whole push.
 */
static const struct ss_count_request *
lossy_request(const struct ss_plan *p, const struct ss_change *c)
{
	size_t i;

	for (i = 0; i < p->nreqs; i++)
		if (p->reqs[i].change == c && p->reqs[i].kind == SS_COUNT_LOSSY)
			return &p->reqs[i];
	return NULL;
}

static bool
casts_cleanly(const struct ss_plan *p, const struct ss_change *c)
{
	const struct ss_count_request *q = lossy_request(p, c);

	return q == NULL || q->count == 0;
}

/*
 * Whether the change goes to a type that the old one has no cast to
 * while the column holds no value: the server refuses col::type even
 * then (it plans the cast before it reads a row), so the column is
 * converted as the NULLs it holds.
 */
static bool
no_cast_needed(const struct ss_plan *p, const struct ss_change *c)
{
	const struct ss_count_request *q = lossy_request(p, c);

	return q != NULL && q->no_cast && q->count == 0;
}

/* CREATE FUNCTION pg_temp.SAFE_CAST(from) RETURNS to: the cast, or
 * NULL where it fails. */
static void
safe_cast_function(struct emitter *E, const struct ss_type *from,
    const struct ss_type *to)
{
	ss_buf_addf(&E->b, "CREATE FUNCTION pg_temp.%s(v ", SAFE_CAST);
	ss_pg_type_sql(&E->b, from);
	ss_buf_adds(&E->b, ") RETURNS ");
	ss_pg_type_sql(&E->b, to);
	ss_buf_adds(&E->b, " LANGUAGE plpgsql AS $ss_cast$BEGIN RETURN v");
	if (ss_pg_is_enum(from) || ss_pg_is_enum(to))
		ss_buf_adds(&E->b, "::text");
	ss_buf_adds(&E->b, "::");
	ss_pg_type_sql(&E->b, to);
	ss_buf_adds(&E->b, "; EXCEPTION WHEN OTHERS THEN RETURN NULL; "
	    "END$ss_cast$");
}

/*
 * Generated columns, identity options and collations.
 *
 * A generated column whose expression changes (or a column that becomes
 * one) is dropped and added again: PostgreSQL before 17 cannot change a
 * generation expression. The server drops the column's indexes and
 * constraints with it, so those of the files are made again here,
 * except the ones the plan creates itself.
 */
static bool
plan_creates(const struct ss_plan *p, enum ss_op op, const char *table,
    const char *object)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!p->v[i]->held && p->v[i]->op == op && p->v[i]->object &&
		    strcmp(p->v[i]->table, table) == 0 &&
		    strcmp(p->v[i]->object, object) == 0)
			return true;
	return false;
}

static bool
index_uses(const struct ss_index *ix, const char *col)
{
	size_t i;

	for (i = 0; i < ix->columns.n; i++)
		if (strcmp(ix->columns.v[i].name, col) == 0 ||
		    ss_expr_mentions(ix->columns.v[i].name, col))
			return true;
	return ss_expr_mentions(ix->where, col);
}

/*
 * Which objects of a column dropped and added again the caller makes
 * itself: skip(E, op, name, arg).
 */
typedef bool made_elsewhere(struct emitter *E, enum ss_op op,
    const struct ss_table *t, const char *name, void *arg);

/* The plan creates it (regenerate()): after this step. */
static bool
plan_makes(struct emitter *E, enum ss_op op, const struct ss_table *t,
    const char *name, void *arg)
{
	(void)arg;
	return plan_creates(E->p, op, t->name, name);
}

/* Whether any of the n columns cols is in list l. */
static bool
names_any(const struct ss_names *l, const char *const *cols, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ss_names_has(l, cols[i]))
			return true;
	return false;
}

/*
 * The primary key, unique constraints, indexes, checks and foreign keys
 * of table dt that use any of the n columns cols, which were dropped and
 * added again (the server dropped them with the columns), each once and
 * after every column is back; but those skip() says are made elsewhere.
 */
static void
readd_objects(struct emitter *E, struct ss_step *st, const struct ss_table *dt,
    const char *const *cols, size_t n, made_elsewhere *skip, void *arg)
{
	const char *t = dt->name;
	size_t i, j;

	if (dt->pk != NULL && names_any(&dt->pk->columns, cols, n) &&
	    !skip(E, SS_OP_ADD_PRIMARY_KEY, dt, dt->pk->name, arg)) {
		alter_table(E, t);
		ss_buf_adds(&E->b, "ADD CONSTRAINT ");
		ss_pg_quote_ident(&E->b, dt->pk->name);
		ss_buf_adds(&E->b, " PRIMARY KEY ");
		ss_pg_name_list(&E->b, &dt->pk->columns);
		sql(E, st);
	}
	for (i = 0; i < dt->nuniques; i++) {
		const struct ss_key *k = &dt->uniques[i];
		if (!names_any(&k->columns, cols, n) ||
		    skip(E, SS_OP_ADD_UNIQUE, dt, k->name, arg))
			continue;
		alter_table(E, t);
		ss_buf_adds(&E->b, "ADD CONSTRAINT ");
		ss_pg_quote_ident(&E->b, k->name);
		ss_buf_adds(&E->b, " UNIQUE ");
		ss_pg_name_list(&E->b, &k->columns);
		sql(E, st);
	}
	for (i = 0; i < dt->nindexes; i++) {
		const struct ss_index *ix = &dt->indexes[i];
		for (j = 0; j < n && !index_uses(ix, cols[j]); j++)
			;
		if (j == n || skip(E, SS_OP_CREATE_INDEX, dt, ix->name, arg))
			continue;
		ss_pg_emit_create_index(&E->b, dt, ix);
		sql(E, st);
	}
	for (i = 0; i < dt->nchecks; i++) {
		const struct ss_check *k = &dt->checks[i];
		for (j = 0; j < n && !ss_expr_mentions(k->expr, cols[j]); j++)
			;
		if (j == n || skip(E, SS_OP_ADD_CHECK, dt, k->name, arg))
			continue;
		alter_table(E, t);
		ss_buf_adds(&E->b, "ADD CONSTRAINT ");
		ss_pg_quote_ident(&E->b, k->name);
		ss_buf_addf(&E->b, " CHECK (%s)", k->expr);
		sql(E, st);
	}
	for (i = 0; i < dt->nfks; i++) {
		const struct ss_fk *fk = &dt->fks[i];
		if (!names_any(&fk->columns, cols, n) ||
		    skip(E, SS_OP_ADD_FOREIGN_KEY, dt, fk->name, arg))
			continue;
		ss_pg_emit_add_fk(&E->b, dt, fk);
		sql(E, st);
	}
}

/* Drops column dc of table dt (unless dropped already) and adds it again
 * as dt has it, with its comment. */
static void
add_again(struct emitter *E, struct ss_step *st, const struct ss_table *dt,
    const struct ss_column *dc, bool dropped)
{
	alter_table(E, dt->name);
	if (!dropped) {
		ss_buf_adds(&E->b, "DROP COLUMN ");
		ss_pg_quote_ident(&E->b, dc->name);
		ss_buf_adds(&E->b, ", ");
	}
	ss_buf_adds(&E->b, "ADD COLUMN ");
	ss_pg_column_sql(&E->b, dc);
	sql(E, st);
	if (dc->comment != NULL) {
		ss_pg_emit_comment_column(&E->b, dt, dc);
		sql(E, st);
	}
}

/* add_again(), then what the server dropped with the column
 * (readd_objects()). */
static void
readd_column(struct emitter *E, struct ss_step *st, const struct ss_table *dt,
    const struct ss_column *dc, bool dropped, made_elsewhere *skip, void *arg)
{
	add_again(E, st, dt, dc, dropped);
	readd_objects(E, st, dt, &dc->name, 1, skip, arg);
}

static void
regenerate(struct emitter *E, struct ss_change *c, struct ss_step *st)
{
	const struct ss_table *dt = c->d_table;
	const char *t = c->table, *col = c->column;
	const struct ss_column *y, *dy;
	size_t i;

	/* A generated column that uses this one and is made plain by the
	 * plan would stop the drop: it is made plain first (its own change
	 * says IF EXISTS). */
	for (i = 0; c->c_table != NULL && i < c->c_table->ncolumns; i++) {
		y = &c->c_table->columns[i];
		dy = ss_table_column(dt, y->name);
		if (y->generated == NULL || strcmp(y->name, col) == 0 ||
		    !ss_expr_mentions(y->generated, col) || dy == NULL ||
		    dy->generated != NULL)
			continue;
		alter_column(E, t, y->name);
		ss_buf_adds(&E->b, "DROP EXPRESSION IF EXISTS");
		sql(E, st);
	}
	readd_column(E, st, dt, c->d_column, false, plan_makes, NULL);
}

/* Whether alter_column c is a drop and add of a generated column. */
static bool
regenerates(const struct ss_change *c)
{
	return (c->alter & SS_ALTER_GENERATED) && c->d_column->generated !=
	    NULL;
}

static void
emit_alter_more(struct emitter *E, struct ss_change *c, struct ss_step *st)
{
	const struct ss_column *d = c->d_column, *cur = c->c_column;

	if ((c->alter & SS_ALTER_IDENTITY) && d->autoincrement &&
	    cur->autoincrement && !cur->serial) {
		alter_column(E, c->table, c->column);
		ss_buf_addf(&E->b, "SET START WITH %lld SET INCREMENT BY %lld",
		    ss_identity_start(d), ss_identity_increment(d));
		sql(E, st);
	}
	/* A type change without COLLATE gives the new type's default. */
	if ((c->alter & SS_ALTER_COLLATION) || ((c->alter & SS_ALTER_TYPE) &&
	    d->collation != NULL)) {
		alter_column(E, c->table, c->column);
		ss_buf_adds(&E->b, "TYPE ");
		ss_pg_type_sql(&E->b, &d->type);
		ss_buf_adds(&E->b, " COLLATE ");
		ss_pg_quote_ident(&E->b, d->collation != NULL ? d->collation : "default");
		sql(E, st);
	}
}

static void
emit_alter_column(struct emitter *E, struct ss_change *c)
{
	const struct ss_column *d = c->d_column, *cur = c->c_column;
	const char *t = c->table, *col = c->column;
	struct ss_step *st = step(E, c);
	bool d_ident = d->autoincrement && ss_type_is_integer(&d->type);
	bool c_ident = cur->autoincrement;
	/* A serial column asked to be ALWAYS, or to have identity options,
	 * becomes an identity column; a serial is what BY DEFAULT is, so
	 * that alone is no change. */
	bool from_serial = (c->alter & (SS_ALTER_AUTOINCREMENT |
	    SS_ALTER_IDENTITY)) && d_ident && cur->serial;
	bool dropped_default = false;

	if (regenerates(c)) {
		regenerate(E, c, st);
		return;
	}
	if ((c->alter & SS_ALTER_GENERATED) && cur->generated != NULL) {
		/* Generated no more: the values computed stay. */
		alter_column(E, t, col);
		ss_buf_adds(&E->b, "DROP EXPRESSION IF EXISTS");
		sql(E, st);
	}
	/* Off with what stands in the way: identity, old default. */
	if ((c->alter & SS_ALTER_AUTOINCREMENT) && c_ident && !d_ident) {
		alter_column(E, t, col);
		ss_buf_adds(&E->b, "DROP IDENTITY IF EXISTS");
		sql(E, st);
		alter_column(E, t, col);	/* a serial's nextval() */
		ss_buf_adds(&E->b, "DROP DEFAULT");
		sql(E, st);
		dropped_default = true;
	}
	if (from_serial) {
		alter_column(E, t, col);
		ss_buf_adds(&E->b, "DROP DEFAULT");
		sql(E, st);
		drop_serial_sequence(E, t, col);
		sql(E, st);
		dropped_default = true;
	}
	if (!dropped_default && ss_pg_has_default(cur) &&
	    ((c->alter & SS_ALTER_TYPE) ||
	    ((c->alter & SS_ALTER_DEFAULT) && !ss_pg_has_default(d)) ||
	    ((c->alter & SS_ALTER_AUTOINCREMENT) && d_ident))) {
		alter_column(E, t, col);
		ss_buf_adds(&E->b, "DROP DEFAULT");
		sql(E, st);
		dropped_default = true;
	}
	if ((c->alter & SS_ALTER_DEFAULT) && !ss_pg_has_default(d) &&
	    !dropped_default && !c_ident && !d_ident) {
		alter_column(E, t, col);
		ss_buf_adds(&E->b, "DROP DEFAULT");
		sql(E, st);
		dropped_default = true;
	}
	/* NOT NULL off first: a value the cast refuses becomes NULL. */
	if ((c->alter & SS_ALTER_NULLABLE) && d->nullable) {
		alter_column(E, t, col);
		ss_buf_adds(&E->b, "DROP NOT NULL");
		sql(E, st);
	}
	if ((c->alter & SS_ALTER_TYPE) && no_cast_needed(E->p, c)) {
		alter_column(E, t, col);
		ss_buf_adds(&E->b, "TYPE ");
		ss_pg_type_sql(&E->b, &d->type);
		ss_buf_adds(&E->b, " USING NULL");
		sql(E, st);
	} else if ((c->alter & SS_ALTER_TYPE) && !casts_cleanly(E->p, c)) {
		safe_cast_function(E, &cur->type, &d->type);
		sql(E, st);
		alter_column(E, t, col);
		ss_buf_adds(&E->b, "TYPE ");
		ss_pg_type_sql(&E->b, &d->type);
		ss_buf_adds(&E->b, " USING ");
		if (ss_pg_has_default(d)) {
			ss_buf_adds(&E->b, "CASE WHEN ");
			ss_pg_quote_ident(&E->b, col);
			ss_buf_adds(&E->b, " IS NULL THEN NULL ELSE COALESCE(");
		}
		ss_buf_addf(&E->b, "pg_temp.%s(", SAFE_CAST);
		ss_pg_quote_ident(&E->b, col);
		ss_buf_addc(&E->b, ')');
		if (ss_pg_has_default(d)) {
			ss_buf_adds(&E->b, ", ");
			ss_pg_default_sql(&E->b, d);
			ss_buf_adds(&E->b, ") END");
		}
		sql(E, st);
		ss_buf_addf(&E->b, "DROP FUNCTION pg_temp.%s", SAFE_CAST);
		sql(E, st);
	} else if (c->alter & SS_ALTER_TYPE) {
		alter_column(E, t, col);
		ss_buf_adds(&E->b, "TYPE ");
		ss_pg_type_sql(&E->b, &d->type);
		ss_buf_adds(&E->b, " USING ");
		ss_pg_using_expr(&E->b, col, &cur->type, &d->type);
		sql(E, st);
	}
	if ((c->alter & SS_ALTER_NULLABLE) && !d->nullable) {
		alter_column(E, t, col);
		ss_buf_adds(&E->b, "SET NOT NULL");
		sql(E, st);
	}
	if (ss_pg_has_default(d) && ((c->alter & SS_ALTER_DEFAULT) ||
	    dropped_default)) {
		alter_column(E, t, col);
		ss_buf_adds(&E->b, "SET DEFAULT ");
		ss_pg_default_sql(&E->b, d);
		sql(E, st);
	}
	if (((c->alter & SS_ALTER_AUTOINCREMENT) && d_ident && !c_ident) ||
	    from_serial) {
		alter_column(E, t, col);
		ss_buf_addf(&E->b, "ADD GENERATED %s AS IDENTITY", d->always ?
		    "ALWAYS" : "BY DEFAULT");
		if (!ss_identity_default(d)) {
			ss_buf_adds(&E->b, " (");
			ss_pg_identity_options(&E->b, d);
			ss_buf_addc(&E->b, ')');
		}
		sql(E, st);
		if (ss_identity_increment(d) > 0) {
			identity_restart(E, t, col, d);
			sql(E, st);
		}
	} else if ((c->alter & SS_ALTER_AUTOINCREMENT) && d_ident) {
		alter_column(E, t, col);	/* ALWAYS <-> BY DEFAULT */
		ss_buf_addf(&E->b, "SET GENERATED %s", d->always ? "ALWAYS" :
		    "BY DEFAULT");
		sql(E, st);
	}
	emit_alter_more(E, c, st);
}

/* Enums. */

static bool
default_is(const struct ss_column *col, const char *ename, const char *v)
{
	return col != NULL && col->type.kind == SS_TYPE_ENUM &&
	    strcmp(col->type.name, ename) == 0 && col->def.value != NULL &&
	    col->def.kind != SS_DEFAULT_SQL && strcmp(col->def.value, v) == 0;
}

static bool
mentions(const char *expr, const char *lit)
{
	return expr != NULL && strstr(expr, lit) != NULL;
}

/* Whether array literal a ({x,"y z"}) has the element v. */
static bool
array_has(const char *a, const char *v)
{
	size_t n = strlen(v);
	const char *p;

	if (a == NULL || a[0] != '{')
		return false;
	for (p = a + 1; *p != '\0'; p++) {
		if (*p == '"')
			p++;
		if (strncmp(p, v, n) == 0 && (p[n] == ',' || p[n] == '}' ||
		    p[n] == '"'))
			return true;
		while (*p != '\0' && *p != ',')
			p++;
		if (*p == '\0')
			break;
	}
	return false;
}

/* Whether expr reads a column of enum ename of table t, or casts to the
 * enum: a literal in it may then be a value of the enum. */
static bool
reads_enum(const char *expr, const struct ss_table *t, const char *ename)
{
	size_t j;

	if (expr == NULL)
		return false;
	if (t == NULL || ss_expr_mentions(expr, ename))
		return true;	/* not known, or a cast to the enum */
	for (j = 0; j < t->ncolumns; j++)
		if (ss_type_uses_enum(&t->columns[j].type, ename) &&
		    ss_expr_mentions(expr, t->columns[j].name))
			return true;
	return false;
}

/*
 * Whether column col of table t, as the plan makes it, uses value v
 * (lit: quoted) of enum ename: its default (a value, an array of them,
 * SQL that names it) or its generation expression, where that reads a
 * column of the enum.
 */
static bool
column_uses(const struct ss_table *t, const struct ss_column *col,
    const char *ename, const char *v, const char *lit)
{
	if (col == NULL)
		return false;
	if (default_is(col, ename, v) || (mentions(col->generated, lit) &&
	    reads_enum(col->generated, t, ename)))
		return true;
	if (!ss_type_uses_enum(&col->type, ename) || col->def.value == NULL)
		return false;
	return col->def.kind == SS_DEFAULT_SQL ? mentions(col->def.value, lit) :
	    col->type.kind != SS_TYPE_ENUM && array_has(col->def.value, v);
}

/* Whether index ix of t names lit in its predicate (as before) or in
 * an expression that reads a column of enum ename. */
static bool
index_names(const struct ss_table *t, const struct ss_index *ix,
    const char *ename, const char *lit)
{
	size_t k;

	if (mentions(ix->where, lit))
		return true;
	for (k = 0; k < ix->columns.n; k++)
		if (mentions(ix->columns.v[k].name, lit) &&
		    reads_enum(ix->columns.v[k].name, t, ename))
			return true;
	return false;
}

/* Whether the plan uses value v of enum ename in its transaction. */
bool
ss_pg_enum_value_used(const struct ss_plan *p, const char *ename,
    const char *v)
{
	struct ss_buf lit = SS_BUF_INIT;
	const struct ss_table *t;
	bool used = false;
	size_t i, j;

	if (p->values_used)
		return true;	/* by the caller, after the plan */
	ss_pg_quote_literal(&lit, v);
	for (i = 0; i < p->n && !used; i++) {
		const struct ss_change *c = p->v[i];
		if (c->held)
			continue;
		switch (c->op) {
		case SS_OP_CREATE_TABLE:
			t = c->d_table;
			for (j = 0; j < t->ncolumns && !used; j++)
				used = column_uses(t, &t->columns[j], ename, v,
				    lit.s);
			for (j = 0; j < t->nchecks && !used; j++)
				used = mentions(t->checks[j].expr, lit.s);
			for (j = 0; j < t->nindexes && !used; j++)
				used = index_names(t, &t->indexes[j], ename,
				    lit.s);
			break;
		case SS_OP_ADD_COLUMN:
			used = column_uses(c->d_table, c->d_column, ename, v,
			    lit.s);
			break;
		case SS_OP_ALTER_COLUMN:
			used = (c->alter & (SS_ALTER_DEFAULT | SS_ALTER_TYPE |
			    SS_ALTER_GENERATED)) && column_uses(c->d_table,
			    c->d_column, ename, v, lit.s);
			break;
		case SS_OP_ADD_CHECK:
			used = mentions(c->d_check->expr, lit.s);
			break;
		case SS_OP_CREATE_INDEX:
			used = index_names(c->d_table, c->d_index, ename,
			    lit.s);
			break;
		case SS_OP_CREATE_VIEW:
			/* A view may read the enum through another's alias:
			 * the literal is enough. */
			used = c->d_view != NULL && mentions(c->d_view->sql,
			    lit.s);
			break;
		default:
			break;
		}
	}
	ss_buf_release(&lit);
	return used;
}

static struct recreate *
find_recreate(struct emitter *E, const char *name)
{
	size_t i;

	for (i = 0; i < E->nrc; i++)
		if (strcmp(E->rc[i].name, name) == 0)
			return &E->rc[i];
	return NULL;
}

/* Which enums are recreated, and where (design note 2). */
static void
plan_recreates(struct emitter *E)
{
	const struct ss_plan *p = E->p;
	struct recreate *r;
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct ss_change *c = p->v[i];
		bool early;
		if (c->held || (c->op != SS_OP_ADD_ENUM_VALUE &&
		    c->op != SS_OP_DROP_ENUM_VALUE &&
		    c->op != SS_OP_REORDER_ENUM))
			continue;
		if (c->op == SS_OP_ADD_ENUM_VALUE)
			early = ss_pg_enum_value_used(p, c->d_enum->name,
			    c->object);
		else
			early = false;
		if (c->op == SS_OP_ADD_ENUM_VALUE && !early)
			continue;
		if ((r = find_recreate(E, c->c_enum->name)) == NULL) {
			SS_ALLOC_GROW(E->rc, E->nrc, E->arc);
			r = &E->rc[E->nrc++];
			memset(r, 0, sizeof *r);
			r->name = c->c_enum->name;
		}
		r->early |= early;
		r->loses |= c->op == SS_OP_DROP_ENUM_VALUE;
	}
}

/*
 * Whether the plan holds (watch) the creation or rename of table t, or
 * a change of its column col that leaves it not as the files have it:
 * its addition, rename or type; with any, every change of it.
 */
static bool
held_in_plan(const struct ss_plan *p, const char *t, const char *col,
    bool any)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct ss_change *c = p->v[i];
		if (!c->held || c->table == NULL || strcmp(c->table, t) != 0)
			continue;
		if (c->op == SS_OP_CREATE_TABLE || c->op == SS_OP_RENAME_TABLE)
			return true;
		if (c->column != NULL && strcmp(c->column, col) == 0 && (any ||
		    c->op == SS_OP_ADD_COLUMN || c->op == SS_OP_RENAME_COLUMN ||
		    (c->op == SS_OP_ALTER_COLUMN && (c->alter & SS_ALTER_TYPE))))
			return true;
	}
	return false;
}

/*
 * Converts a column to the recreated enum. A value the enum lost (the
 * data loss the plan classified and the user accepted) becomes the
 * column's default when that is a value of the enum, and one it had
 * before the push (before: a value the push adds, undo would find in
 * use), else NULL, as on SQLite.
 */
/* Whether the files give column col of table the default it has. */
static bool
same_default_desired(const struct emitter *E, const char *table,
    const struct ss_column *col)
{
	const struct ss_table *t = ss_schema_table(E->p->desired, table);
	const struct ss_column *d = t != NULL ? ss_table_column(t, col->name) :
	    NULL;

	return d != NULL && ss_default_equal(&d->def, &col->def);
}

static void
convert_column(struct emitter *E, struct ss_step *st, const char *table,
    const struct ss_column *col, const struct ss_enum *want,
    const struct ss_enum *before, bool lost)
{
	const char *ename = want->name;
	struct ss_type to = { SS_TYPE_ENUM, -1, -1, ename };
	bool array = col->type.kind != SS_TYPE_ENUM;	/* ename[] */
	size_t i;

	alter_table(E, table);
	if (ss_pg_has_default(col)) {
		ss_buf_adds(&E->b, "ALTER COLUMN ");
		ss_pg_quote_ident(&E->b, col->name);
		ss_buf_adds(&E->b, " DROP DEFAULT, ");
	}
	ss_buf_adds(&E->b, "ALTER COLUMN ");
	ss_pg_quote_ident(&E->b, col->name);
	ss_buf_adds(&E->b, " TYPE ");
	ss_pg_quote_ident(&E->b, ename);
	ss_buf_adds(&E->b, array ? "[] USING " : " USING ");
	if (array) {
		/* Through text; an element the enum lost fails the cast. */
		ss_pg_quote_ident(&E->b, col->name);
		ss_buf_adds(&E->b, "::text::");
		ss_pg_quote_ident(&E->b, ename);
		ss_buf_adds(&E->b, "[]");
	} else if (lost) {
		ss_buf_adds(&E->b, "CASE WHEN ");
		ss_pg_quote_ident(&E->b, col->name);
		ss_buf_adds(&E->b, "::text IN (");
		for (i = 0; i < want->values.n; i++) {
			if (i)
				ss_buf_adds(&E->b, ", ");
			ss_pg_quote_literal(&E->b, want->values.v[i].name);
		}
		ss_buf_adds(&E->b, ") THEN ");
		ss_pg_using_expr(&E->b, col->name, &col->type, &to);
		if (ss_pg_has_default(col) && col->def.kind == SS_DEFAULT_STRING &&
		    ss_names_has(&want->values, col->def.value) &&
		    (before == NULL ||
		    ss_names_has(&before->values, col->def.value))) {
			/* NULL stays NULL. */
			ss_buf_adds(&E->b, " WHEN ");
			ss_pg_quote_ident(&E->b, col->name);
			ss_buf_adds(&E->b, " IS NOT NULL THEN ");
			ss_pg_quote_literal(&E->b, col->def.value);
			ss_buf_adds(&E->b, "::");
			ss_pg_quote_ident(&E->b, ename);
		}
		ss_buf_adds(&E->b, " END");
	} else
		ss_pg_using_expr(&E->b, col->name, &col->type, &to);
	/* A default the new type has no value for is the plan's to
	 * replace (an early recreation, before the default changes); an
	 * array's may hold one: set back only when no value is lost, or
	 * the files keep it. */
	if (ss_pg_has_default(col) && (array ? !lost ||
	    same_default_desired(E, table, col) :
	    col->def.kind != SS_DEFAULT_STRING ||
	    ss_names_has(&want->values, col->def.value))) {
		ss_buf_adds(&E->b, ", ALTER COLUMN ");
		ss_pg_quote_ident(&E->b, col->name);
		ss_buf_adds(&E->b, " SET DEFAULT ");
		ss_pg_default_sql(&E->b, col);
	}
	sql(E, st);
}

/* Whether the plan holds (watch) the creation of table t, or of its
 * object name by a change of kind op (add_check, create_index, ...). */
static bool
object_held(const struct ss_plan *p, const char *t, enum ss_op op,
    const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct ss_change *c = p->v[i];
		if (c->held && c->table != NULL && strcmp(c->table, t) == 0 &&
		    (c->op == SS_OP_CREATE_TABLE || (c->op == op &&
		    c->object != NULL && strcmp(c->object, name) == 0)))
			return true;
	}
	return false;
}

static bool
mentions_any(const char *expr, const struct ss_column **cols, size_t n)
{
	size_t i;

	for (i = 0; expr != NULL && i < n; i++)
		if (strstr(expr, cols[i]->name) != NULL)
			return true;
	return false;
}

static bool
index_mentions(const struct ss_table *t, const struct ss_index *ix,
    const struct ss_column **cols, size_t n)
{
	size_t i;

	if (mentions_any(ix->where, cols, n))
		return true;
	for (i = 0; i < ix->columns.n; i++)
		if (ss_table_column(t, ix->columns.v[i].name) == NULL &&
		    mentions_any(ix->columns.v[i].name, cols, n))
			return true;
	return false;
}

/* Whether check k mentions one of cols or casts to enum e. */
static bool
check_detaches(const struct ss_check *k, const struct ss_column **cols,
    size_t n, const char *e)
{
	return mentions_any(k->expr, cols, n) || ss_expr_casts_to(k->expr, e);
}

/* Whether index ix of t mentions one of cols, or casts to enum e in its
 * predicate or an expression entry. */
static bool
index_detaches(const struct ss_table *t, const struct ss_index *ix,
    const struct ss_column **cols, size_t n, const char *e)
{
	size_t k;

	if (index_mentions(t, ix, cols, n) || ss_expr_casts_to(ix->where, e))
		return true;
	for (k = 0; k < ix->columns.n; k++)
		if (ss_table_column(t, ix->columns.v[k].name) == NULL &&
		    ss_expr_casts_to(ix->columns.v[k].name, e))
			return true;
	return false;
}

/*
 * The server rebuilds a check or an index predicate over a column whose
 * type changes by parsing it again, and a literal of the old enum type
 * then compares with the new one: no such operator; one that casts to
 * the enum holds on to the old type, which then cannot be dropped. So
 * the checks and the expression or partial indexes of t that mention a
 * converted column or cast to the enum e are dropped before the
 * conversion (back = false) and made again after it (back = true), from
 * the model the columns came from.
 */
static void
detach(struct emitter *E, struct ss_step *st, const struct ss_table *t,
    const struct ss_column **cols, size_t n, const char *e, bool late,
    bool back)
{
	size_t i;

	for (i = 0; i < t->nchecks; i++) {
		const struct ss_check *k = &t->checks[i];
		if (!check_detaches(k, cols, n, e) ||
		    (late && object_held(E->p, t->name, SS_OP_ADD_CHECK,
		    k->name)))
			continue;
		alter_table(E, t->name);
		ss_buf_adds(&E->b, back ? "ADD CONSTRAINT " : "DROP CONSTRAINT ");
		ss_pg_quote_ident(&E->b, k->name);
		if (back)
			ss_buf_addf(&E->b, " CHECK (%s)", k->expr);
		sql(E, st);
	}
	for (i = 0; i < t->nindexes; i++) {
		const struct ss_index *ix = &t->indexes[i];
		if (!index_detaches(t, ix, cols, n, e) ||
		    (late && object_held(E->p, t->name, SS_OP_CREATE_INDEX,
		    ix->name)))
			continue;
		if (back)
			ss_pg_emit_create_index(&E->b, t, ix);
		else {
			ss_buf_adds(&E->b, "DROP INDEX ");
			ss_pg_quote_ident(&E->b, ix->name);
		}
		sql(E, st);
	}
}

/* Whether the plan holds the removal of value v of enum e (watch). */
static bool
removal_held(const struct ss_plan *p, const char *e, const char *v)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct ss_change *c = p->v[i];
		if (c->op == SS_OP_DROP_ENUM_VALUE && c->held &&
		    strcmp(c->c_enum->name, e) == 0 && strcmp(c->object, v) == 0)
			return true;
	}
	return false;
}

/* Whether column y is generated from one of cols (not itself). */
static bool
reads_any(const struct ss_column *y, const struct ss_column **cols, size_t n)
{
	size_t i;

	if (y->generated == NULL)
		return false;
	for (i = 0; i < n; i++)
		if (cols[i] != y && ss_expr_mentions(y->generated, cols[i]->name))
			return true;
	return false;
}

/*
 * Whether generated column y is dropped and added again around the
 * conversion of columns cols to the recreated enum e: it reads one of
 * them, or it is of e itself (the server takes no USING for it), or its
 * expression casts to e (the cast would hold on to the old type, which
 * then cannot be dropped). A column that only shares e's name is none.
 */
static bool
regenerates_for(const struct ss_column *y, const struct ss_column **cols,
    size_t n, const char *e)
{
	return y->generated != NULL && (reads_any(y, cols, n) ||
	    ss_type_uses_enum(&y->type, e) || ss_expr_casts_to(y->generated, e));
}

/* What a column dropped by a recreation need not make again. */
struct recreated_cols {
	const struct ss_column **cols;
	size_t n;
	const char *e;		/* the enum */
	bool late;
};

static bool names_enum(const struct ss_schema *s, const char *t,
    const struct ss_names *l, const char *e);

/* Made again by detach() or detach_fks(), or held by the plan (late:
 * watch). */
static bool
detached(struct emitter *E, enum ss_op op, const struct ss_table *t,
    const char *name, void *arg)
{
	const struct recreated_cols *rc = arg;
	size_t i;

	if (rc->late && object_held(E->p, t->name, op, name))
		return true;
	if (op == SS_OP_ADD_CHECK) {
		for (i = 0; i < t->nchecks; i++)
			if (strcmp(t->checks[i].name, name) == 0)
				return check_detaches(&t->checks[i], rc->cols,
				    rc->n, rc->e);
	} else if (op == SS_OP_CREATE_INDEX) {
		for (i = 0; i < t->nindexes; i++)
			if (strcmp(t->indexes[i].name, name) == 0)
				return index_detaches(t, &t->indexes[i],
				    rc->cols, rc->n, rc->e);
	} else if (op == SS_OP_ADD_FOREIGN_KEY) {
		/* Between columns of the enum: detach_fks() makes it. */
		const struct ss_schema *s = rc->late ? E->p->desired :
		    E->p->current;
		for (i = 0; i < t->nfks; i++)
			if (strcmp(t->fks[i].name, name) == 0)
				return names_enum(s, t->name, &t->fks[i].columns,
				    rc->e) || names_enum(s, t->fks[i].ref_table,
				    &t->fks[i].ref_columns, rc->e);
	}
	return false;
}

/*
 * PostgreSQL cannot change the type of a column a generated column
 * reads, nor of a generated column with USING: the generated columns of
 * t that regenerates_for() the enum e are dropped before the conversion
 * (back = false) and added again after it (back = true), computed anew,
 * with what the server dropped with them.
 */
static void
regenerated(struct emitter *E, struct ss_step *st, const struct ss_table *t,
    const struct ss_column **cols, size_t n, const char *e, bool late,
    bool back)
{
	struct recreated_cols rc = { cols, n, e, late };
	const char **names = ss_xcalloc(t->ncolumns + 1, sizeof *names);
	size_t i, k = 0;

	for (i = 0; i < t->ncolumns; i++) {
		const struct ss_column *y = &t->columns[i];
		if (!regenerates_for(y, cols, n, e) ||
		    (late && held_in_plan(E->p, t->name, y->name, true)))
			continue;
		if (back) {
			add_again(E, st, t, y, true);
			names[k++] = y->name;
		} else {
			alter_table(E, t->name);
			ss_buf_adds(&E->b, "DROP COLUMN ");
			ss_pg_quote_ident(&E->b, y->name);
			sql(E, st);
		}
	}
	/* Once every column is back: an index may read two of them. */
	if (k > 0)
		readd_objects(E, st, t, names, k, detached, &rc);
	free(names);
}

/*
 * The values a recreated enum gets: the desired ones, in their order,
 * and each value whose removal is held (watch applies what is not held),
 * or every value that goes when keep, after the value it follows now, so
 * that no held removal happens by the way. Heap array in out->values;
 * the caller frees it.
 */
static void
recreated_values(const struct ss_plan *p, const struct ss_enum *want,
    const struct ss_enum *have, bool keep, struct ss_enum *out)
{
	size_t i, j, k, at;

	*out = *want;
	out->values.v = ss_xcalloc(want->values.n +
	    (have != NULL ? have->values.n : 0) + 1, sizeof *out->values.v);
	memcpy(out->values.v, want->values.v,
	    want->values.n * sizeof *out->values.v);
	out->values.n = want->values.n;
	for (i = 0; have != NULL && i < have->values.n; i++) {
		const struct ss_name *v = &have->values.v[i];
		if (ss_names_has(&out->values, v->name) ||
		    (!keep && !removal_held(p, have->name, v->name)))
			continue;
		/* After the nearest value before it that is there. */
		for (at = 0, j = i; j-- > 0 && at == 0; )
			for (k = 0; k < out->values.n; k++)
				if (strcmp(out->values.v[k].name,
				    have->values.v[j].name) == 0) {
					at = k + 1;
					break;
				}
		memmove(&out->values.v[at + 1], &out->values.v[at],
		    (out->values.n - at) * sizeof *out->values.v);
		out->values.v[at] = *v;
		out->values.n++;
	}
}

/* Converts columns cols of table t to the recreated enum want, with
 * what must go around them (detach(), regenerated()). */
static void
convert_table(struct emitter *E, struct ss_step *st, const struct ss_table *t,
    const struct ss_column **cols, size_t n, bool late,
    const struct ss_enum *want, const struct ss_enum *before, bool lost)
{
	size_t j;

	detach(E, st, t, cols, n, want->name, late, false);
	regenerated(E, st, t, cols, n, want->name, late, false);
	for (j = 0; j < n; j++)
		if (!regenerates_for(cols[j], cols, n, want->name))
			convert_column(E, st, t->name, cols[j], want, before,
			    lost);
	regenerated(E, st, t, cols, n, want->name, late, true);
	detach(E, st, t, cols, n, want->name, late, true);
}

/* Whether any of columns l of table t (model s) is of enum e. */
static bool
names_enum(const struct ss_schema *s, const char *t, const struct ss_names *l,
    const char *e)
{
	const struct ss_table *tt = ss_schema_table(s, t);
	const struct ss_column *c;
	size_t i;

	for (i = 0; tt != NULL && i < l->n; i++)
		if ((c = ss_table_column(tt, l->v[i].name)) != NULL &&
		    ss_type_uses_enum(&c->type, e))
			return true;
	return false;
}

/*
 * The foreign keys of model s whose columns, or the ones they
 * reference, are of enum e: the server cannot keep one while its two
 * sides have different types, so they are dropped before a recreation
 * converts the columns (back = false) and added again after (back =
 * true); late, not one whose creation the plan holds.
 */
static void
detach_fks(struct emitter *E, struct ss_step *st, const struct ss_schema *s,
    const char *e, bool late, bool back)
{
	size_t i, k;

	for (i = 0; s != NULL && i < s->ntables; i++) {
		const struct ss_table *t = s->tables[i];
		for (k = 0; k < t->nfks; k++) {
			const struct ss_fk *fk = &t->fks[k];
			if ((!names_enum(s, t->name, &fk->columns, e) &&
			    !names_enum(s, fk->ref_table, &fk->ref_columns, e)) ||
			    (late && object_held(E->p, t->name,
			    SS_OP_ADD_FOREIGN_KEY, fk->name)))
				continue;
			if (back)
				ss_pg_emit_add_fk(&E->b, t, fk);
			else {
				alter_table(E, t->name);
				ss_buf_adds(&E->b, "DROP CONSTRAINT ");
				ss_pg_quote_ident(&E->b, fk->name);
			}
			sql(E, st);
		}
	}
}

static void
fill_recreate(struct emitter *E, struct recreate *r, bool second)
{
	const struct ss_plan *p = E->p;
	bool early = r->early && !second;
	const struct ss_schema *s = early ? p->current : p->desired;
	const struct ss_enum *cur = ss_schema_enum(p->current, r->name);
	const struct ss_enum *d = ss_schema_enum(p->desired, r->name);
	const struct ss_enum *have = cur;
	struct ss_enum values, *want = &values, first = { 0 };
	struct ss_step *st = second ? r->late : r->step;
	bool lost = false;
	size_t i, j;

	/* An early recreation that a second follows keeps every value;
	 * the second has them. */
	recreated_values(p, d, cur, r->late != NULL && !second, want);
	if (second) {
		recreated_values(p, d, cur, true, &first);
		have = &first;
	}
	for (i = 0; have != NULL && i < have->values.n; i++)
		lost |= !ss_names_has(&want->values, have->values.v[i].name);

	ss_buf_adds(&E->b, "ALTER TYPE ");
	ss_pg_quote_ident(&E->b, r->name);
	ss_buf_adds(&E->b, " RENAME TO ");
	ss_pg_quote_ident(&E->b, OLD_ENUM);
	sql(E, st);
	ss_pg_emit_create_enum(&E->b, want);
	sql(E, st);
	detach_fks(E, st, s, r->name, !early, false);
	/* Early: the columns as they are now; late: as the plan left them.
	 * A column whose drop watch holds is left as it is: converting it
	 * would take values no plan line counts from it (DROP TYPE then
	 * fails, nothing applied). */
	for (i = 0; s != NULL && i < s->ntables; i++) {
		const struct ss_table *t = s->tables[i];
		const struct ss_column **cols;
		size_t n = 0;

		cols = ss_xcalloc(t->ncolumns + 1, sizeof *cols);
		for (j = 0; j < t->ncolumns; j++) {
			const struct ss_column *col = &t->columns[j];
			if (!ss_type_uses_enum(&col->type, r->name))
				continue;
			if (!early && held_in_plan(p, t->name, col->name, false))
				continue;
			cols[n++] = col;
		}
		/* With none, what casts to the enum is still made again. */
		convert_table(E, st, t, cols, n, !early, want, cur, lost);
		free(cols);
	}
	detach_fks(E, st, s, r->name, !early, true);
	ss_buf_adds(&E->b, "DROP TYPE ");
	ss_pg_quote_ident(&E->b, OLD_ENUM);
	sql(E, st);
	free(values.values.v);
	free(first.values.v);
}

static void
emit_add_value(struct emitter *E, struct ss_change *c)
{
	const struct ss_enum *d = c->d_enum, *cur = c->c_enum;
	size_t i;

	ss_buf_adds(&E->b, "ALTER TYPE ");
	ss_pg_quote_ident(&E->b, d->name);
	ss_buf_adds(&E->b, " ADD VALUE ");
	ss_pg_quote_literal(&E->b, c->object);
	/* In the desired place: before the next value that exists. */
	for (i = 0; i < d->values.n; i++)
		if (strcmp(d->values.v[i].name, c->object) == 0)
			break;
	for (i++; i < d->values.n; i++) {
		if (ss_names_has(&cur->values, d->values.v[i].name)) {
			ss_buf_adds(&E->b, " BEFORE ");
			ss_pg_quote_literal(&E->b, d->values.v[i].name);
			break;
		}
	}
	sql(E, step(E, c));
}

/*
 * An enum value added or removed: ALTER TYPE, or its enum's recreation
 * (design note 2). False for an added value that waits for the late
 * recreation step.
 */
static bool
enum_value(struct emitter *E, struct ss_change *c)
{
	struct recreate *r = find_recreate(E, c->c_enum->name);

	if (r == NULL)
		emit_add_value(E, c);
	else if (r->early && r->loses && c->op == SS_OP_DROP_ENUM_VALUE) {
		/* Early, the enum keeps every value: the columns the plan
		 * changes after keep theirs. The removal is a second
		 * recreation, where it stands. */
		if (r->late != NULL)
			ss_step_change(E->out, r->late, c);
		else
			r->late = step(E, c);
	} else if (r->step != NULL)
		ss_step_change(E->out, r->step, c);
	else if (r->early || c->op != SS_OP_ADD_ENUM_VALUE)
		r->step = step(E, c);
	else
		return false;
	return true;
}

/* A column added, dropped, renamed or altered. */
static void
emit_column(struct emitter *E, struct ss_change *c)
{
	switch (c->op) {
	case SS_OP_ADD_COLUMN: {
		struct ss_step *st = step(E, c);
		alter_table(E, c->table);
		ss_buf_adds(&E->b, "ADD COLUMN ");
		ss_pg_column_sql(&E->b, c->d_column);
		sql(E, st);
		if (c->d_column->comment != NULL) {
			ss_pg_emit_comment_column(&E->b, c->d_table,
			    c->d_column);
			sql(E, st);
		}
		break;
	}
	case SS_OP_DROP_COLUMN:
		alter_table(E, c->table);
		ss_buf_adds(&E->b, "DROP COLUMN ");
		ss_pg_quote_ident(&E->b, c->cur_column ? c->cur_column : c->column);
		sql(E, step(E, c));
		break;
	case SS_OP_RENAME_COLUMN:
		alter_table(E, c->table);
		ss_buf_adds(&E->b, "RENAME COLUMN ");
		ss_pg_quote_ident(&E->b, c->old_name);
		ss_buf_adds(&E->b, " TO ");
		ss_pg_quote_ident(&E->b, c->column);
		sql(E, step(E, c));
		break;
	case SS_OP_ALTER_COLUMN:
		emit_alter_column(E, c);
		break;
	default:
		break;
	}
}

/* A key, unique constraint, check or foreign key. */
static void
emit_constraint(struct emitter *E, struct ss_change *c)
{
	switch (c->op) {
	case SS_OP_RENAME_UNIQUE:
		/* The index is renamed with it. */
		alter_table(E, c->table);
		ss_buf_adds(&E->b, "RENAME CONSTRAINT ");
		ss_pg_quote_ident(&E->b, c->old_name);
		ss_buf_adds(&E->b, " TO ");
		ss_pg_quote_ident(&E->b, c->object);
		sql(E, step(E, c));
		break;
	case SS_OP_ADD_FOREIGN_KEY:
		ss_pg_emit_add_fk(&E->b, c->d_table, c->d_fk);
		sql(E, step(E, c));
		break;
	case SS_OP_ADD_CHECK:
		alter_table(E, c->table);
		ss_buf_adds(&E->b, "ADD CONSTRAINT ");
		ss_pg_quote_ident(&E->b, c->d_check->name);
		ss_buf_addf(&E->b, " CHECK (%s)", c->d_check->expr);
		if (c->d_check->no_inherit)
			ss_buf_adds(&E->b, " NO INHERIT");
		sql(E, step(E, c));
		break;
	case SS_OP_ALTER_FOREIGN_KEY:
		/* Only its timing differs: changed in place. An
		 * immediate key that was deferred says so, since
		 * DEFERRABLE alone keeps INITIALLY DEFERRED. */
		alter_table(E, c->table);
		ss_buf_adds(&E->b, "ALTER CONSTRAINT ");
		ss_pg_quote_ident(&E->b, c->c_fk->name);
		ss_pg_deferral_sql(&E->b, c->d_fk);
		if (c->d_fk->deferrable && !c->d_fk->initially_deferred)
			ss_buf_adds(&E->b, " INITIALLY IMMEDIATE");
		sql(E, step(E, c));
		break;
	case SS_OP_ADD_PRIMARY_KEY:
	case SS_OP_ADD_UNIQUE:
		alter_table(E, c->table);
		ss_buf_adds(&E->b, "ADD CONSTRAINT ");
		ss_pg_quote_ident(&E->b, c->d_key->name);
		if (c->op == SS_OP_ADD_UNIQUE)
			ss_pg_unique_sql(&E->b, c->d_key);
		else {
			ss_buf_adds(&E->b, " PRIMARY KEY ");
			ss_pg_name_list(&E->b, &c->d_key->columns);
		}
		sql(E, step(E, c));
		break;
	case SS_OP_DROP_FOREIGN_KEY:
	case SS_OP_DROP_CHECK:
	case SS_OP_DROP_PRIMARY_KEY:
	case SS_OP_DROP_UNIQUE: {
		struct ss_step *st = step(E, c);
		if ((c->op == SS_OP_DROP_PRIMARY_KEY ||
		    c->op == SS_OP_DROP_UNIQUE) && c->cur_table != NULL)
			unhook_fks(E, st, c->cur_table,
			    &c->c_key->columns);
		alter_table(E, c->table);
		ss_buf_adds(&E->b, "DROP CONSTRAINT ");
		ss_pg_quote_ident(&E->b, c->op == SS_OP_DROP_FOREIGN_KEY ?
		    c->c_fk->name : c->op == SS_OP_DROP_CHECK ?
		    c->c_check->name : c->c_key->name);
		sql(E, st);
		break;
	}
	default:
		break;
	}
}

/*
 * After the changes: the added values that wait for their enum's late
 * recreation, the recreations' statements, and the foreign keys taken
 * off for a dropped key, added back at the end.
 */
static int
emit_finish(struct emitter *E, struct ss_change **late, size_t nlate,
    struct ss_err *err)
{
	struct recreate *r;
	size_t i;

	for (i = 0; i < nlate; i++) {
		r = find_recreate(E, late[i]->c_enum->name);
		if (r->step == NULL)
			return ss_err_set(err, SS_EINTERNAL, "enum '%s' is "
			    "recreated by no step", r->name);
		ss_step_change(E->out, r->step, late[i]);
	}
	for (i = 0; i < E->nrc; i++) {
		if (E->rc[i].step != NULL)
			fill_recreate(E, &E->rc[i], false);
		if (E->rc[i].late != NULL)
			fill_recreate(E, &E->rc[i], true);
	}
	if (E->restore.len > 0 && E->out->n > 0) {
		/* One statement per line after the comment. */
		char *line = E->restore.s, *nl;
		for (; line != NULL; line = nl != NULL ? nl + 1 : NULL) {
			nl = strchr(line, '\n');
			if (nl != NULL)
				*nl = '\0';
			ss_step_sql(E->out, E->out->v[E->out->n - 1], line);
		}
	}
	return 0;
}

int
ss_pg_emit(const struct ss_plan *p, struct ss_steps *out, struct ss_err *err)
{
	struct emitter E;
	struct ss_change **late = NULL;
	size_t nlate = 0, alate = 0, i;
	int rc = 0;

	memset(&E, 0, sizeof E);
	E.p = p;
	E.out = out;
	ss_buf_init(&E.b);
	ss_buf_init(&E.restore);
	plan_recreates(&E);

	for (i = 0; i < p->n; i++) {
		struct ss_change *c = p->v[i];
		if (c->held)
			continue;
		switch (c->op) {
		case SS_OP_ADD_ENUM_VALUE:
		case SS_OP_DROP_ENUM_VALUE:
		case SS_OP_REORDER_ENUM:
			if (!enum_value(&E, c)) {
				/* An added value waits for the late step. */
				SS_ALLOC_GROW(late, nlate, alate);
				late[nlate++] = c;
			}
			break;
		case SS_OP_CREATE_ENUM:
			ss_pg_emit_create_enum(&E.b, c->d_enum);
			sql(&E, step(&E, c));
			break;
		case SS_OP_DROP_ENUM:
			ss_buf_adds(&E.b, "DROP TYPE ");
			ss_pg_quote_ident(&E.b, c->object);
			sql(&E, step(&E, c));
			break;
		case SS_OP_CREATE_TABLE:
			emit_create_table(&E, c);
			break;
		case SS_OP_DROP_TABLE:
			ss_buf_adds(&E.b, "DROP TABLE ");
			ss_pg_quote_ident(&E.b, c->table);
			sql(&E, step(&E, c));
			break;
		case SS_OP_RENAME_TABLE:
			alter_table(&E, c->old_name);
			ss_buf_adds(&E.b, "RENAME TO ");
			ss_pg_quote_ident(&E.b, c->table);
			sql(&E, step(&E, c));
			break;
		case SS_OP_ADD_COLUMN:
		case SS_OP_DROP_COLUMN:
		case SS_OP_RENAME_COLUMN:
		case SS_OP_ALTER_COLUMN:
			emit_column(&E, c);
			break;
		case SS_OP_SET_COMMENT:
			if (c->column != NULL)
				ss_pg_emit_comment_column(&E.b, c->d_table,
				    c->d_column);
			else
				ss_pg_emit_comment_table(&E.b, c->d_table);
			sql(&E, step(&E, c));
			break;
		case SS_OP_CREATE_INDEX:
			ss_pg_emit_create_index(&E.b, c->d_table, c->d_index);
			sql(&E, step(&E, c));
			break;
		case SS_OP_DROP_INDEX: {
			struct ss_step *st = step(&E, c);
			if (c->c_index != NULL && c->c_index->unique &&
			    c->c_index->where == NULL && c->cur_table != NULL)
				unhook_fks(&E, st, c->cur_table,
				    &c->c_index->columns);
			ss_buf_adds(&E.b, "DROP INDEX ");
			ss_pg_quote_ident(&E.b, c->object);
			sql(&E, st);
			break;
		}
		case SS_OP_RENAME_UNIQUE:
		case SS_OP_ADD_FOREIGN_KEY:
		case SS_OP_ADD_CHECK:
		case SS_OP_ALTER_FOREIGN_KEY:
		case SS_OP_ADD_PRIMARY_KEY:
		case SS_OP_ADD_UNIQUE:
		case SS_OP_DROP_FOREIGN_KEY:
		case SS_OP_DROP_CHECK:
		case SS_OP_DROP_PRIMARY_KEY:
		case SS_OP_DROP_UNIQUE:
			emit_constraint(&E, c);
			break;
		case SS_OP_CREATE_VIEW:
			ss_buf_addf(&E.b, "CREATE %sVIEW ",
			    c->d_view->materialized ? "MATERIALIZED " : "");
			ss_pg_quote_ident(&E.b, c->object);
			ss_buf_addf(&E.b, " AS %s", c->d_view->sql);
			sql(&E, step(&E, c));
			break;
		case SS_OP_DROP_VIEW:
			ss_buf_addf(&E.b, "DROP %sVIEW ",
			    c->c_view->materialized ? "MATERIALIZED " : "");
			ss_pg_quote_ident(&E.b, c->object);
			sql(&E, step(&E, c));
			break;
		default:
			rc = ss_err_set(err, SS_EINTERNAL, "PostgreSQL cannot "
			    "%s yet", ss_op_name(c->op));
			goto out;
		}
	}
	rc = emit_finish(&E, late, nlate, err);
out:
	free(late);
	free(E.rc);
	ss_buf_release(&E.restore);
	ss_buf_release(&E.b);
	return rc;
}

