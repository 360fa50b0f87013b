/*
 * SQLite introspection (src/sqlite/introspect.h): a database ->
 * struct ss_schema, inverting the convention of src/sqlite/ddl.c.
 *
 * Design notes:
 *  1. Four statements read everything, whatever the table count:
 *     sqlite_schema; sqlite_schema x pragma_table_xinfo (columns);
 *     sqlite_schema x pragma_index_list x pragma_index_xinfo (index
 *     keys); sqlite_schema x pragma_foreign_key_list (foreign keys).
 *     The rows are gathered per table first and the model is built only
 *     once all are in, so nothing depends on the order rows come in.
 *  2. The pragmas are the authority on what SQLite itself resolved:
 *     column names, declared types, NOT NULL, DEFAULT text, primary key
 *     order, foreign key columns and actions, which index key is a
 *     column. The parsed CREATE text adds the names and what SQLite does
 *     not report: CHECKs, AUTOINCREMENT, partial-index predicates,
 *     expression index entries, UNIQUE constraints' names.
 *  3. Types invert the convention: INTEGER, REAL, NUMERIC, TEXT and BLOB
 *     (exactly those words) become integer, double, numeric, text and
 *     bytea; INTEGER with an unnamed column CHECK ("c" IN (0, 1)) is a
 *     boolean; TEXT with a named column CHECK ("c" IN ('a', ...)) is the
 *     enum of that name (added to the schema once; a second list under
 *     the same name, or a name that is a table's, stays a plain CHECK).
 *     Any other declared type is SS_TYPE_OTHER, verbatim as SQLite
 *     reports it (pragma table_xinfo, quotes removed): 'NVARCHAR(160)'
 *     or 'TIMESTAMP' stay what the database says rather than being
 *     parsed into a builtin whose convention would declare another
 *     storage class (ss_sqlite_same_type() still knows that TIMESTAMP
 *     names `timestamp`). A column declared without a type is bytea:
 *     its affinity is BLOB's, and the files cannot say "no type".
 *  4. Unnamed constraints get the names the loader would generate
 *     (PostgreSQL's: t_pkey, t_a_b_key, t_a_fkey, t_a_check / t_check),
 *     chosen in the loader's order within the same name spaces, so the
 *     files `pull` writes load back to the same model.
 *  5. Primary key columns are never nullable in the model, as in the
 *     files (the loader makes them NOT NULL) and in PostgreSQL. SQLite
 *     itself lets a key column other than a rowid alias hold NULL unless
 *     NOT NULL is written (a legacy quirk); reporting that as nullable
 *     would make every pulled schema with a TEXT key differ from its own
 *     database. A table schemasync rebuilds gets NOT NULL written.
 *  6. Shadow tables are the tables named V_suffix for a virtual table V
 *     and one of the suffixes FTS3/4/5 and R*Tree use; they are recorded
 *     as "shadow table" others that depend on V.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ddl.h"
#include "introspect.h"
#include "ss/sqlparse.h"
#include "ss/util.h"

enum role { R_SKIP, R_TABLE, R_VIRTUAL, R_SHADOW, R_VIEW, R_TRIGGER,
    R_INDEX };

struct obj {				/* one row of sqlite_schema */
	const char *type, *name, *tbl, *sql;	/* sql may be NULL */
	enum role role;
	struct tinfo *ti;		/* R_TABLE only */
};

struct colrow {
	const char *name, *type, *dflt;	/* dflt NULL: no default */
	bool notnull;
	int pk;				/* 1-based position in the key, 0 */
	int hidden;			/* 2, 3: generated */
};

struct idxkey {
	int cid;			/* -1 rowid, -2 expression */
	const char *name;
	bool desc;			/* index_xinfo's desc */
};

struct idxinfo {
	const char *name;
	struct idxkey *keys;
	size_t nkeys, akeys;
};

struct fkinfo {
	int id;
	const char *ref_table;
	struct ss_sqlp_names from, to;	/* to entries may be NULL */
	const char *on_update, *on_delete;
};

struct tinfo {
	struct obj *o;
	struct ss_sqlp_table p;		/* the parsed CREATE TABLE */
	struct colrow *cols;
	size_t ncols, acols;
	struct fkinfo *fks;		/* in declaration order */
	size_t nfks, afks;
	struct ss_table *t;
	/* Per t->checks[i]: the column its generated name uses, or NULL. */
	const char **check_col;
	size_t ncheck_col, acheck_col;
};

struct ctx {
	sqlite3 *db;
	struct ss_schema *out;
	struct ss_err *err;
	struct ss_arena a;		/* scratch */
	struct obj *objs;
	size_t nobjs, aobjs;
	struct ss_map tables;		/* name -> struct tinfo * */
	struct ss_map table_names;	/* lower-cased table name -> obj, built
					   on first use by is_table_name() */
	int nvirtual;			/* virtual tables; -1 until counted */
	struct ss_map lc_tables;	/* lower-case name -> struct tinfo * */
	struct ss_map indexes;		/* index name -> struct idxinfo * */
};

/*
 * What the CREATE text says and the model cannot keep (the parser
 * lists what it reads past: ON CONFLICT clauses; MATCH), recorded for
 * pull and diff -v. object is NULL for the table itself.
 */
static void
unmodelled(struct ctx *C, const struct ss_table *t, const char *object,
    const char *what, const char *effect)
{
	const char *obj = ss_arena_printf(&C->a, "%s%stable \"%s\"",
	    object ? object : "", object ? " of " : "", t->name);

	ss_schema_add_unmodelled(C->out, t->name, obj, what, effect);
}

static const char *
dup(struct ctx *C, const unsigned char *s)
{
	return s ? ss_arena_strdup(&C->a, (const char *)s) : NULL;
}

static char *
lower(struct ss_arena *a, const char *s)
{
	char *r = ss_arena_strdup(a, s), *p;

	for (p = r; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return r;
}

static int
db_error(struct ctx *C, const char *what)
{
	return ss_err_set(C->err, SS_EDB, "introspecting %s: %s", what,
	    sqlite3_errmsg(C->db));
}

/* The WHERE that keeps the managed tables, for the pragma joins. */
#define MANAGED_TABLES \
	" m.type = 'table' AND lower(substr(m.name, 1, 7)) <> 'sqlite_'" \
	" AND m.sql NOT LIKE 'CREATE VIRTUAL %'"

static const char *const shadow_suffixes[] = { "content", "segments",
	"segdir", "docsize", "stat", "data", "idx", "config", "node", "rowid",
	"parent", NULL };

static bool
is_shadow(struct ctx *C, const char *name, const char **owner)
{
	size_t i, j, n;

	/* Most databases have no virtual table: answer without a scan. */
	if (C->nvirtual < 0)
		for (C->nvirtual = 0, i = 0; i < C->nobjs; i++)
			C->nvirtual += C->objs[i].role == R_VIRTUAL;
	if (C->nvirtual == 0)
		return false;
	for (i = 0; i < C->nobjs; i++) {
		if (C->objs[i].role != R_VIRTUAL)
			continue;
		n = strlen(C->objs[i].name);
		if (strncmp(name, C->objs[i].name, n) != 0 || name[n] != '_')
			continue;
		for (j = 0; shadow_suffixes[j] != NULL; j++) {
			if (strcmp(name + n + 1, shadow_suffixes[j]) == 0) {
				*owner = C->objs[i].name;
				return true;
			}
		}
	}
	return false;
}

static int
read_objects(struct ctx *C)
{
	sqlite3_stmt *st = NULL;
	struct obj *o;
	const char *owner;
	size_t i;
	int rc;

	if (sqlite3_prepare_v2(C->db, "SELECT type, name, tbl_name, sql "
	    "FROM sqlite_schema ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
		return db_error(C, "the schema");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		o = SS_ARENA_PUSH(&C->a, C->objs, C->nobjs, C->aobjs);
		memset(o, 0, sizeof *o);
		o->type = dup(C, sqlite3_column_text(st, 0));
		o->name = dup(C, sqlite3_column_text(st, 1));
		o->tbl = dup(C, sqlite3_column_text(st, 2));
		o->sql = dup(C, sqlite3_column_text(st, 3));
		if (o->type == NULL || o->name == NULL)
			o->role = R_SKIP;
		else if (strcmp(o->type, "table") == 0) {
			if (strncasecmp(o->name, "sqlite_", 7) == 0)
				o->role = R_SKIP;
			else if (o->sql != NULL &&
			    strncasecmp(o->sql, "CREATE VIRTUAL ", 15) == 0)
				o->role = R_VIRTUAL;
			else
				o->role = R_TABLE;
		} else if (strcmp(o->type, "view") == 0)
			o->role = R_VIEW;
		else if (strcmp(o->type, "trigger") == 0)
			o->role = R_TRIGGER;
		else if (strcmp(o->type, "index") == 0 && o->sql != NULL)
			o->role = R_INDEX;
	}
	if (rc != SQLITE_DONE) {
		db_error(C, "the schema");
		sqlite3_finalize(st);
		return -SS_EDB;
	}
	sqlite3_finalize(st);

	for (i = 0; i < C->nobjs; i++) {
		o = &C->objs[i];
		if (o->role == R_TABLE && is_shadow(C, o->name, &owner)) {
			o->role = R_SHADOW;
			o->tbl = owner;
		}
		if (o->role == R_TABLE) {
			o->ti = ss_arena_alloc(&C->a, sizeof *o->ti);
			o->ti->o = o;
			ss_map_put(&C->tables, o->name, o->ti);
			ss_map_put(&C->lc_tables, lower(&C->a, o->name), o->ti);
		}
	}
	return 0;
}

static int
read_columns(struct ctx *C)
{
	sqlite3_stmt *st = NULL;
	struct tinfo *ti;
	struct colrow *c;
	int rc;

	if (sqlite3_prepare_v2(C->db, "SELECT m.name, c.name, c.type, "
	    "c.\"notnull\", c.dflt_value, c.pk, c.hidden "
	    "FROM sqlite_schema AS m, pragma_table_xinfo(m.name) AS c "
	    "WHERE" MANAGED_TABLES " ORDER BY m.rowid, c.cid", -1, &st,
	    NULL) != SQLITE_OK)
		return db_error(C, "columns");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ti = ss_map_get(&C->tables,
		    (const char *)sqlite3_column_text(st, 0));
		if (ti == NULL)
			continue;	/* a shadow table */
		c = SS_ARENA_PUSH(&C->a, ti->cols, ti->ncols, ti->acols);
		c->name = dup(C, sqlite3_column_text(st, 1));
		c->type = dup(C, sqlite3_column_text(st, 2));
		if (c->type == NULL)
			c->type = "";
		c->notnull = sqlite3_column_int(st, 3) != 0;
		c->dflt = dup(C, sqlite3_column_text(st, 4));
		c->pk = sqlite3_column_int(st, 5);
		c->hidden = sqlite3_column_int(st, 6);
	}
	if (rc != SQLITE_DONE) {
		db_error(C, "columns");
		sqlite3_finalize(st);
		return -SS_EDB;
	}
	sqlite3_finalize(st);
	return 0;
}

static int
read_indexes(struct ctx *C)
{
	sqlite3_stmt *st = NULL;
	struct idxinfo *ix;
	struct idxkey *k;
	const char *name;
	int rc;

	if (sqlite3_prepare_v2(C->db, "SELECT l.name, x.cid, x.name, x.desc "
	    "FROM sqlite_schema AS m, pragma_index_list(m.name) AS l, "
	    "pragma_index_xinfo(l.name) AS x "
	    "WHERE" MANAGED_TABLES " AND l.origin = 'c' AND x.key = 1 "
	    "ORDER BY m.rowid, l.name, x.seqno", -1, &st, NULL) != SQLITE_OK)
		return db_error(C, "indexes");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		name = (const char *)sqlite3_column_text(st, 0);
		if (name == NULL)
			continue;
		if ((ix = ss_map_get(&C->indexes, name)) == NULL) {
			ix = ss_arena_alloc(&C->a, sizeof *ix);
			ix->name = dup(C, (const unsigned char *)name);
			ss_map_put(&C->indexes, ix->name, ix);
		}
		k = SS_ARENA_PUSH(&C->a, ix->keys, ix->nkeys, ix->akeys);
		k->cid = sqlite3_column_int(st, 1);
		k->name = dup(C, sqlite3_column_text(st, 2));
		k->desc = sqlite3_column_int(st, 3) != 0;
	}
	if (rc != SQLITE_DONE) {
		db_error(C, "indexes");
		sqlite3_finalize(st);
		return -SS_EDB;
	}
	sqlite3_finalize(st);
	return 0;
}

static int
read_fks(struct ctx *C)
{
	sqlite3_stmt *st = NULL;
	struct tinfo *ti;
	struct fkinfo *fk = NULL;
	int rc, id;
	const char *to;

	/* SQLite numbers a table's foreign keys last-declared first. */
	if (sqlite3_prepare_v2(C->db, "SELECT m.name, f.id, f.\"table\", "
	    "f.\"from\", f.\"to\", f.on_update, f.on_delete "
	    "FROM sqlite_schema AS m, pragma_foreign_key_list(m.name) AS f "
	    "WHERE" MANAGED_TABLES " ORDER BY m.rowid, f.id DESC, f.seq", -1,
	    &st, NULL) != SQLITE_OK)
		return db_error(C, "foreign keys");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ti = ss_map_get(&C->tables,
		    (const char *)sqlite3_column_text(st, 0));
		if (ti == NULL)
			continue;
		id = sqlite3_column_int(st, 1);
		if (ti->nfks == 0 || ti->fks[ti->nfks - 1].id != id) {
			fk = SS_ARENA_PUSH(&C->a, ti->fks, ti->nfks, ti->afks);
			memset(fk, 0, sizeof *fk);
			fk->id = id;
			fk->ref_table = dup(C, sqlite3_column_text(st, 2));
			fk->on_update = dup(C, sqlite3_column_text(st, 5));
			fk->on_delete = dup(C, sqlite3_column_text(st, 6));
		} else
			fk = &ti->fks[ti->nfks - 1];
		*SS_ARENA_PUSH(&C->a, fk->from.v, fk->from.n, fk->from.alloc) =
		    (char *)dup(C, sqlite3_column_text(st, 3));
		to = dup(C, sqlite3_column_text(st, 4));
		*SS_ARENA_PUSH(&C->a, fk->to.v, fk->to.n, fk->to.alloc) =
		    (char *)to;
	}
	if (rc != SQLITE_DONE) {
		db_error(C, "foreign keys");
		sqlite3_finalize(st);
		return -SS_EDB;
	}
	sqlite3_finalize(st);
	return 0;
}

/* Building the model. */

/* The table column named n (SQLite names are case-insensitive). */
static struct ss_column *
find_column(struct ss_table *t, const char *n)
{
	size_t i;

	if (n == NULL)
		return NULL;
	for (i = 0; i < t->ncolumns; i++)
		if (ss_streq_icase(t->columns[i].name, n))
			return &t->columns[i];
	return NULL;
}

static const char *
canon_column(struct ss_table *t, const char *n)
{
	struct ss_column *c = find_column(t, n);

	return c != NULL ? c->name : n;
}

/* The referenced table's own spelling of column n, when it is known. */
static const char *
ref_column(const struct tinfo *rt, const char *n)
{
	size_t i;

	for (i = 0; rt != NULL && i < rt->ncols; i++)
		if (ss_streq_icase(rt->cols[i].name, n))
			return rt->cols[i].name;
	return n;
}

static struct ss_sqlp_column *
parsed_column(struct tinfo *ti, const char *n)
{
	size_t i;

	for (i = 0; i < ti->p.ncolumns; i++)
		if (ss_streq_icase(ti->p.columns[i].name, n))
			return &ti->p.columns[i];
	return NULL;
}

/*
 * Whether expr is exactly `col IN (v, ...)` with every v a token of the
 * kind given; the values (unquoted) go to vals.
 */
static bool
in_list(struct ss_arena *a, const char *expr, const char *col,
    enum ss_sqltok_kind kind, struct ss_sqlp_names *vals)
{
	struct ss_sqllex lx;
	struct ss_sqltok t;

	ss_sqllex_init(&lx, expr, strlen(expr));
	ss_sqllex_next(&lx, &t);
	if ((t.kind != SS_TOK_WORD && t.kind != SS_TOK_QUOTED) ||
	    !ss_streq_icase(ss_sqltok_value(a, &t), col))
		return false;
	ss_sqllex_next(&lx, &t);
	if (!ss_sqltok_is(&t, "IN"))
		return false;
	ss_sqllex_next(&lx, &t);
	if (!ss_sqltok_is(&t, "("))
		return false;
	do {
		ss_sqllex_next(&lx, &t);
		if (t.kind != kind)
			return false;
		*SS_ARENA_PUSH(a, vals->v, vals->n, vals->alloc) =
		    ss_sqltok_value(a, &t);
		ss_sqllex_next(&lx, &t);
	} while (ss_sqltok_is(&t, ","));
	if (!ss_sqltok_is(&t, ")"))
		return false;
	ss_sqllex_next(&lx, &t);
	return t.kind == SS_TOK_END;
}

static bool
enum_values_equal(const struct ss_enum *e, const struct ss_sqlp_names *v)
{
	size_t i;

	if (e->values.n != v->n)
		return false;
	for (i = 0; i < v->n; i++)
		if (strcmp(e->values.v[i].name, v->v[i]) != 0)
			return false;
	return true;
}

static bool
has_duplicates(const struct ss_sqlp_names *v)
{
	size_t i, j;

	for (i = 0; i < v->n; i++)
		for (j = i + 1; j < v->n; j++)
			if (strcmp(v->v[i], v->v[j]) == 0)
				return true;
	return false;
}

/* Whether name is a table's, without case: one map, not a scan per call. */
static bool
is_table_name(struct ctx *C, const char *name)
{
	size_t i;

	if (C->table_names.cap == 0)
		for (i = 0; i < C->nobjs; i++)
			if (C->objs[i].type != NULL &&
			    strcmp(C->objs[i].type, "table") == 0)
				ss_map_put(&C->table_names,
				    lower(&C->a, C->objs[i].name), &C->objs[i]);
	return ss_map_get(&C->table_names, lower(&C->a, name)) != NULL;
}

/*
 * The column's type, by convention 3; marks the CHECK it consumed (the
 * boolean's or the enum's) in *used.
 */
static void
column_type(struct ctx *C, struct ss_column *c, const char *declared,
    const struct ss_sqlp_column *pc, size_t *used)
{
	struct ss_schema *s = C->out;
	struct ss_sqlp_names vals;
	struct ss_enum *e;
	size_t i, j;

	*used = (size_t)-1;
	c->type.len = c->type.scale = -1;
	c->type.name = NULL;
	for (i = 0; pc != NULL && i < pc->nchecks; i++) {
		const struct ss_sqlp_check *ck = &pc->checks[i];
		memset(&vals, 0, sizeof vals);
		if (ck->name == NULL && ss_streq_icase(declared, "INTEGER") &&
		    in_list(&C->a, ck->expr, c->name, SS_TOK_NUMBER, &vals) &&
		    vals.n == 2 && strcmp(vals.v[0], "0") == 0 &&
		    strcmp(vals.v[1], "1") == 0) {
			c->type.kind = SS_TYPE_BOOLEAN;
			*used = i;
			return;
		}
		memset(&vals, 0, sizeof vals);
		if (ck->name != NULL && *ck->name != '\0' &&
		    ss_streq_icase(declared, "TEXT") &&
		    in_list(&C->a, ck->expr, c->name, SS_TOK_STRING, &vals) &&
		    !has_duplicates(&vals) && !is_table_name(C, ck->name)) {
			e = ss_schema_enum(s, ck->name);
			if (e != NULL && !enum_values_equal(e, &vals))
				continue;
			if (e == NULL) {
				e = ss_schema_add_enum(s, ck->name);
				for (j = 0; j < vals.n; j++)
					ss_names_add(s, &e->values, vals.v[j],
					    NULL);
			}
			c->type.kind = SS_TYPE_ENUM;
			c->type.name = e->name;
			*used = i;
			return;
		}
	}
	if (ss_streq_icase(declared, "INTEGER"))
		c->type.kind = SS_TYPE_INTEGER;
	else if (ss_streq_icase(declared, "REAL"))
		c->type.kind = SS_TYPE_DOUBLE;
	else if (ss_streq_icase(declared, "NUMERIC"))
		c->type.kind = SS_TYPE_NUMERIC;
	else if (ss_streq_icase(declared, "TEXT"))
		c->type.kind = SS_TYPE_TEXT;
	else if (ss_streq_icase(declared, "BLOB") || *declared == '\0')
		c->type.kind = SS_TYPE_BYTES;
	else {
		c->type.kind = SS_TYPE_OTHER;
		c->type.name = ss_arena_strdup(&s->arena, declared);
	}
}

/* The one column of t that expr names, or NULL (none, or several). */
static const char *
only_column(struct ctx *C, struct ss_table *t, const char *expr)
{
	struct ss_sqllex lx;
	struct ss_sqltok tok;
	struct ss_column *c;
	const char *found = NULL;

	ss_sqllex_init(&lx, expr, strlen(expr));
	for (ss_sqllex_next(&lx, &tok); tok.kind != SS_TOK_END;
	    ss_sqllex_next(&lx, &tok)) {
		if (tok.kind != SS_TOK_WORD && tok.kind != SS_TOK_QUOTED)
			continue;
		c = find_column(t, ss_sqltok_value(&C->a, &tok));
		if (c == NULL)
			continue;
		if (found != NULL && found != c->name)
			return NULL;
		found = c->name;
	}
	return found;
}

static void
add_check(struct ctx *C, struct tinfo *ti, const char *name,
    const char *expr, const char *col)
{
	struct ss_schema *s = C->out;
	struct ss_check *ck = ss_table_add_check(s, ti->t);

	ck->name = name ? ss_arena_strdup(&s->arena, name) : NULL;
	ck->expr = ss_arena_strdup(&s->arena, expr);
	*SS_ARENA_PUSH(&C->a, ti->check_col, ti->ncheck_col,
	    ti->acheck_col) = col;
}

static enum ss_fk_action
fk_action(const char *s)
{
	int a = s ? ss_fk_action_parse(s) : -1;

	return a < 0 ? SS_FK_NO_ACTION : (enum ss_fk_action)a;
}

static bool
same_names_icase(const struct ss_sqlp_names *a, const struct ss_sqlp_names *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (!ss_streq_icase(a->v[i], b->v[i]))
			return false;
	return true;
}

/* The parsed FOREIGN KEY that pragma row fk came from, for its name. */
static const struct ss_sqlp_fk *
parsed_fk(struct tinfo *ti, const struct fkinfo *fk, size_t idx, bool *used)
{
	size_t i;

	if (ti->nfks == ti->p.nfks && !used[idx] &&
	    same_names_icase(&ti->p.fks[idx].columns, &fk->from)) {
		used[idx] = true;
		return &ti->p.fks[idx];
	}
	for (i = 0; i < ti->p.nfks; i++) {
		if (!used[i] && same_names_icase(&ti->p.fks[i].columns,
		    &fk->from) && ss_streq_icase(ti->p.fks[i].ref_table,
		    fk->ref_table)) {
			used[i] = true;
			return &ti->p.fks[i];
		}
	}
	return NULL;
}

static int
build_table(struct ctx *C, struct tinfo *ti)
{
	struct ss_schema *s = C->out;
	struct ss_buf why = SS_BUF_INIT;
	struct ss_table *t;
	struct ss_column *c;
	struct ss_sqlp_column *pc;
	size_t i, j, used, npk = 0;
	bool *fk_used;
	int r = 0;

	if (ss_sqlp_create_table(&C->a, ti->o->sql ? ti->o->sql : "",
	    &ti->p, &why) < 0) {
		r = ss_err_set(C->err, SS_EDB, "introspecting '%s': cannot "
		    "parse its CREATE TABLE: %s", ti->o->name, why.s);
		goto out;
	}
	t = ti->t = ss_schema_add_table(s, ti->o->name);
	if (t == NULL) {
		r = ss_err_set(C->err, SS_EDB, "introspecting '%s': the "
		    "table is listed twice", ti->o->name);
		goto out;
	}
	ss_table_reserve_columns(s, t, ti->ncols);
	for (i = 0; i < ti->ncols; i++) {
		ss_table_add_column(s, t, ti->cols[i].name);
		if (ti->cols[i].pk > 0)
			npk++;
	}

	/* Columns. */
	for (i = 0; i < ti->ncols; i++) {
		const struct colrow *cr = &ti->cols[i];
		c = &t->columns[i];
		pc = parsed_column(ti, cr->name);
		column_type(C, c, cr->type, pc, &used);
		c->nullable = !cr->notnull && cr->pk == 0;	/* note 5 */
		/* The CREATE text, not the pragma: SQLite keeps only the
		 * inside of DEFAULT (...), and (0) is not 0 to the model. */
		ss_sqlite_default_parse(&s->arena, pc != NULL &&
		    pc->default_expr != NULL ? pc->default_expr : cr->dflt,
		    &c->def);
		if (c->type.kind == SS_TYPE_BOOLEAN &&
		    c->def.kind == SS_DEFAULT_NUMBER &&
		    (strcmp(c->def.value, "0") == 0 ||
		    strcmp(c->def.value, "1") == 0)) {
			c->def.kind = SS_DEFAULT_BOOL;
			c->def.value = c->def.value[0] == '1' ? "true" : "false";
		}
		if (pc != NULL && (pc->autoincrement ||
		    (ti->p.pk != NULL && ti->p.pk->autoincrement && cr->pk > 0)))
			c->autoincrement = true;
		/* Generated columns and collations: from the CREATE text
		 * (the pragma gives only hidden = 2 or 3, and no COLLATE). */
		if (pc != NULL && pc->generated && cr->hidden >= 2) {
			c->generated = ss_arena_strdup(&s->arena,
			    pc->generated_expr);
			c->stored = pc->stored;
		}
		if (pc != NULL && pc->collate != NULL &&
		    !ss_streq_icase(pc->collate, "BINARY"))
			c->collation = ss_arena_strdup(&s->arena, pc->collate);
		for (j = 0; pc != NULL && j < pc->nchecks; j++)
			if (j != used)
				add_check(C, ti, pc->checks[j].name,
				    pc->checks[j].expr, c->name);
	}
	for (i = 0; i < ti->p.nchecks; i++)
		add_check(C, ti, ti->p.checks[i].name, ti->p.checks[i].expr,
		    only_column(C, t, ti->p.checks[i].expr));

	/* The primary key, in the pragma's order. */
	if (npk > 0) {
		t->pk = ss_arena_alloc(&s->arena, sizeof *t->pk);
		for (j = 1; j <= npk; j++)
			for (i = 0; i < ti->ncols; i++)
				if (ti->cols[i].pk == (int)j) {
					ss_names_add(s, &t->pk->columns,
					    t->columns[i].name, NULL);
					t->columns[i].primary_key = true;
				}
		if (ti->p.pk != NULL && ti->p.pk->name != NULL)
			t->pk->name = ss_arena_strdup(&s->arena,
			    ti->p.pk->name);
	}

	for (i = 0; i < ti->p.nuniques; i++) {
		struct ss_key *k = ss_table_add_unique(s, t);
		const struct ss_sqlp_key *pk = &ti->p.uniques[i];
		k->name = pk->name ? ss_arena_strdup(&s->arena, pk->name) : NULL;
		for (j = 0; j < pk->columns.n; j++)
			ss_names_add(s, &k->columns,
			    canon_column(t, pk->columns.v[j]), NULL);
	}

	fk_used = ss_arena_alloc(&C->a, (ti->p.nfks + 1) * sizeof *fk_used);
	for (i = 0; i < ti->nfks; i++) {
		const struct fkinfo *fi = &ti->fks[i];
		const struct ss_sqlp_fk *pf = parsed_fk(ti, fi, i, fk_used);
		struct ss_fk *fk = ss_table_add_fk(s, t);
		struct tinfo *rt;
		fk->name = pf && pf->name ? ss_arena_strdup(&s->arena, pf->name) :
		    NULL;
		/* SQLite resolves names case-insensitively: the model keeps
		 * the referenced table's and columns' own spelling. */
		rt = ss_map_get(&C->lc_tables, lower(&C->a, fi->ref_table));
		fk->ref_table = ss_arena_strdup(&s->arena, rt != NULL ?
		    rt->o->name : fi->ref_table);
		fk->on_delete = fk_action(fi->on_delete);
		fk->on_update = fk_action(fi->on_update);
		/* The pragma does not say; the CREATE text does. */
		if (pf != NULL) {
			fk->deferrable = pf->deferrable;
			fk->initially_deferred = pf->initially_deferred;
			if (pf->match != NULL)
				unmodelled(C, t, ss_arena_printf(&C->a,
				    "foreign key %s%s%s", pf->name ? "\"" : "(",
				    pf->name ? pf->name : fi->from.v[0],
				    pf->name ? "\"" : ")"), ss_arena_printf(
				    &C->a, "MATCH %s", pf->match),
				    "SQLite ignores it, and pushed copies will "
				    "not have it");
		}
		for (j = 0; j < fi->from.n; j++)
			ss_names_add(s, &fk->columns,
			    canon_column(t, fi->from.v[j]), NULL);
		for (j = 0; j < fi->to.n && fi->to.v[j] != NULL; j++)
			ss_names_add(s, &fk->ref_columns,
			    ref_column(rt, fi->to.v[j]), NULL);
		if (fk->ref_columns.n == 0 && rt != NULL) {
			/* REFERENCES t alone: t's primary key, in its order. */
			int k;
			for (k = 1; k <= (int)rt->ncols; k++)
				for (j = 0; j < rt->ncols; j++)
					if (rt->cols[j].pk == k)
						ss_names_add(s, &fk->ref_columns,
						    rt->cols[j].name, NULL);
		}
	}
	t->strict = ti->p.strict;
	t->without_rowid = ti->p.without_rowid;
	for (i = 0; i < ti->p.skipped.n; i++)
		unmodelled(C, t, NULL, ti->p.skipped.v[i], "pushed copies "
		    "will not have it");
out:
	ss_buf_release(&why);
	return r;
}

/* Whether entry text e is the name col alone, quoted or not. */
static bool
names_column(const char *e, const char *col)
{
	size_t n = strlen(e), m = strlen(col);
	char close;

	if (n == m)
		return strcasecmp(e, col) == 0;
	if (n != m + 2)
		return false;
	close = e[0] == '[' ? ']' : e[0];
	if ((e[0] != '"' && e[0] != '`' && e[0] != '[') || e[n - 1] != close ||
	    strchr(col, close) != NULL)
		return false;
	return strncasecmp(e + 1, col, m) == 0;
}

static int
build_index(struct ctx *C, struct obj *o)
{
	struct ss_schema *s = C->out;
	struct ss_buf why = SS_BUF_INIT;
	struct ss_sqlp_index pi;
	struct tinfo *ti = ss_map_get(&C->tables, o->tbl);
	struct idxinfo *info;
	struct ss_index *ix;
	bool *descs;
	size_t i;
	int r = 0;

	if (ti == NULL || ti->t == NULL)
		goto out;	/* an index on a table schemasync leaves alone */
	if (ss_sqlp_create_index(&C->a, o->sql, &pi, &why) < 0) {
		r = ss_err_set(C->err, SS_EDB, "introspecting '%s': cannot "
		    "parse the CREATE INDEX of '%s': %s", o->tbl, o->name,
		    why.s);
		goto out;
	}
	info = ss_map_get(&C->indexes, o->name);
	descs = ss_arena_alloc(&C->a, (pi.nentries + 1) * sizeof *descs);
	ix = ss_table_add_index(s, ti->t);
	ix->name = ss_arena_strdup(&s->arena, o->name);
	ix->unique = pi.unique;
	ix->where = pi.where ? ss_arena_strdup(&s->arena, pi.where) : NULL;
	for (i = 0; i < pi.nentries; i++) {
		const struct idxkey *k = info && i < info->nkeys ?
		    &info->keys[i] : NULL;
		const char *e = pi.entries[i].text;
		bool desc;
		enum ss_nulls nulls;
		size_t n;
		/* The order is an option, not part of the entry. */
		n = ss_index_entry_split(e, &desc, &nulls);
		if (k != NULL)
			desc = k->desc;
		if (n != strlen(e))
			e = ss_arena_strndup(&C->a, e, n);
		/* A lone name that SQLite resolved to a column is that
		 * column; anything else is an expression, verbatim. */
		if (pi.entries[i].column != NULL && k != NULL && k->cid >= 0 &&
		    k->name != NULL)
			e = k->name;
		else if (pi.entries[i].column != NULL && k == NULL &&
		    find_column(ti->t, pi.entries[i].column) != NULL)
			e = find_column(ti->t, pi.entries[i].column)->name;
		else if (k != NULL && k->cid >= 0 && k->name != NULL &&
		    names_column(e, k->name))
			e = k->name;	/* "a DESC", "\"a\" DESC" */
		ss_names_add(s, &ix->columns, e, NULL);
		descs[i] = desc;
	}
	/* Options once every entry is in (keys are one per entry). */
	for (i = 0; i < pi.nentries; i++)
		if (descs[i])
			ss_index_key_set(s, ix, i)->desc = true;
out:
	ss_buf_release(&why);
	return r;
}

/*
 * Generated names (design note 4): the loader's name spaces and order.
 * Relation names (tables, indexes, primary keys, unique constraints) are
 * schema-wide; other constraint names are per table.
 */
struct names_ctx {
	struct ss_map rel;
	struct ss_map con;
};

static void
claim(struct names_ctx *nc, const char *name, bool relation)
{
	if (relation)
		ss_map_put(&nc->rel, name, (void *)name);
	ss_map_put(&nc->con, name, (void *)name);
}

static const char *
choose(struct ss_schema *s, struct names_ctx *nc, const char *name1,
    const char *name2, const char *label, bool relation)
{
	char mod[32];
	char *name;
	int pass = 0;

	name = ss_make_object_name(&s->arena, name1, name2, label);
	while (ss_map_get(&nc->con, name) != NULL ||
	    (relation && ss_map_get(&nc->rel, name) != NULL)) {
		snprintf(mod, sizeof mod, "%s%d", label, ++pass);
		name = ss_make_object_name(&s->arena, name1, name2, mod);
	}
	claim(nc, name, relation);
	return name;
}

static void
assign_names(struct ctx *C)
{
	struct names_ctx nc = { SS_MAP_INIT, SS_MAP_INIT };
	struct ss_schema *s = C->out;
	struct ss_table *t;
	struct tinfo *ti;
	size_t i, j;
	const char *gen;

	for (i = 0; i < s->ntables; i++)
		claim(&nc, s->tables[i]->name, true);
	for (i = 0; i < s->ntables; i++)
		for (j = 0; j < s->tables[i]->nindexes; j++)
			claim(&nc, s->tables[i]->indexes[j].name, true);
	ss_map_release(&nc.con);
	for (i = 0; i < s->ntables; i++) {
		t = s->tables[i];
		ti = ss_map_get(&C->tables, t->name);
		for (j = 0; j < t->nindexes; j++)
			claim(&nc, t->indexes[j].name, false);
		if (t->pk != NULL && t->pk->name != NULL)
			claim(&nc, t->pk->name, true);
		for (j = 0; j < t->nuniques; j++)
			if (t->uniques[j].name != NULL)
				claim(&nc, t->uniques[j].name, true);
		for (j = 0; j < t->nfks; j++)
			if (t->fks[j].name != NULL)
				claim(&nc, t->fks[j].name, false);
		for (j = 0; j < t->nchecks; j++)
			if (t->checks[j].name != NULL)
				claim(&nc, t->checks[j].name, false);
		if (t->pk != NULL && t->pk->name == NULL)
			t->pk->name = choose(s, &nc, t->name, NULL, "pkey", true);
		for (j = 0; j < t->nuniques; j++)
			if (t->uniques[j].name == NULL)
				t->uniques[j].name = choose(s, &nc, t->name,
				    ss_names_addition(&s->arena,
				    &t->uniques[j].columns), "key", true);
		for (j = 0; j < t->nfks; j++)
			if (t->fks[j].name == NULL)
				t->fks[j].name = choose(s, &nc, t->name,
				    ss_names_addition(&s->arena,
				    &t->fks[j].columns), "fkey", false);
		for (j = 0; j < t->nchecks; j++)
			if (t->checks[j].name == NULL)
				t->checks[j].name = choose(s, &nc, t->name,
				    ti->check_col[j], "check", false);
		ss_map_release(&nc.con);

		/* The short forms `pull` can write back losslessly. */
		if (t->pk != NULL && strcmp(t->pk->name, ss_make_object_name(
		    &C->a, t->name, NULL, "pkey")) != 0)
			for (j = 0; j < t->ncolumns; j++)
				t->columns[j].primary_key = false;
		for (j = 0; j < t->nuniques; j++) {
			struct ss_column *c;
			if (t->uniques[j].columns.n != 1)
				continue;
			c = ss_table_column(t, t->uniques[j].columns.v[0].name);
			gen = ss_make_object_name(&C->a, t->name,
			    t->uniques[j].columns.v[0].name, "key");
			if (c != NULL && strcmp(gen, t->uniques[j].name) == 0)
				c->unique = true;
		}
		for (j = 0; j < t->nfks; j++) {
			if (t->fks[j].columns.n != 1)
				continue;
			gen = ss_make_object_name(&C->a, t->name,
			    t->fks[j].columns.v[0].name, "fkey");
			t->fks[j].from_column = strcmp(gen, t->fks[j].name) == 0;
		}
	}
	ss_map_release(&nc.rel);
	ss_map_release(&nc.con);
}

/*
 * build_table() with its scratch in an arena of its own, released once
 * the table is built: the parsed CREATE text, token copies and value
 * lists are needed only while one table is built, and at 1,000 tables
 * they were most of the introspection's memory. What outlives the call
 * is copied to the long-lived scratch: the CHECKs' columns, which
 * assign_names() reads (the strings themselves are the model's). The
 * parse is cleared so nothing can read it afterwards. The lower-cased
 * table names is_table_name() keeps are built before, in the long-lived
 * scratch.
 */
static int
build_table_scoped(struct ctx *C, struct tinfo *ti)
{
	struct ss_arena keep;
	const char **cols;
	int r;

	(void)is_table_name(C, "");	/* before keep is taken: it allocates */
	keep = C->a;
	ss_arena_init(&C->a);
	ti->check_col = NULL;
	ti->ncheck_col = ti->acheck_col = 0;
	r = build_table(C, ti);
	cols = ti->ncheck_col == 0 ? NULL :
	    ss_arena_alloc(&keep, ti->ncheck_col * sizeof *cols);
	if (cols != NULL)
		memcpy(cols, ti->check_col, ti->ncheck_col * sizeof *cols);
	ti->check_col = cols;
	ti->acheck_col = ti->ncheck_col;
	memset(&ti->p, 0, sizeof ti->p);
	ss_arena_release(&C->a);
	C->a = keep;
	return r;
}

static void
add_other(struct ctx *C, struct obj *o, const char *kind, const char *table)
{
	struct ss_schema *s = C->out;
	struct ss_other *x = ss_schema_add_other(s, kind, o->name);

	x->table = table ? ss_arena_strdup(&s->arena, table) : NULL;
	x->sql = o->sql ? ss_arena_strdup(&s->arena, o->sql) : NULL;
}

/*
 * A view is read as a declared view would be written: its query, the
 * text after AS, as SQLite keeps it. One with a column list after its
 * name (CREATE VIEW v(a, b) AS ...) has what a view of the files cannot
 * say, so it stays an other, left alone.
 */
static void
add_view(struct ctx *C, struct obj *o)
{
	struct ss_schema *s = C->out;
	struct ss_buf why = SS_BUF_INIT;
	struct ss_view *v;
	const char *name, *query;
	bool columns;

	if (o->sql == NULL || ss_sqlp_create_view(&C->a, o->sql, &name, &query,
	    &columns, &why) < 0 || columns ||
	    (v = ss_schema_add_view(s, o->name)) == NULL)
		add_other(C, o, "view", NULL);
	else
		v->sql = ss_arena_strdup(&s->arena, query);
	ss_buf_release(&why);
}

int
ss_sqlite_introspect(sqlite3 *db, struct ss_schema *out, struct ss_err *err)
{
	struct ctx C;
	struct obj *o;
	size_t i;
	int r;

	memset(&C, 0, sizeof C);
	C.nvirtual = -1;
	C.db = db;
	C.out = out;
	C.err = err;
	ss_arena_init(&C.a);
	if ((r = read_objects(&C)) < 0 || (r = read_columns(&C)) < 0 ||
	    (r = read_indexes(&C)) < 0 || (r = read_fks(&C)) < 0)
		goto out;
	for (i = 0; i < C.nobjs; i++) {
		o = &C.objs[i];
		switch (o->role) {
		case R_TABLE:
			r = build_table_scoped(&C, o->ti);
			break;
		case R_VIRTUAL:
			add_other(&C, o, "virtual table", NULL);
			break;
		case R_SHADOW:
			add_other(&C, o, "shadow table", o->tbl);
			break;
		case R_VIEW:
			add_view(&C, o);
			break;
		case R_TRIGGER:
			add_other(&C, o, "trigger", o->tbl);
			break;
		case R_INDEX:
		case R_SKIP:
			break;
		}
		if (r < 0)
			goto out;
	}
	/* Indexes once every table is in: an index may come before its
	 * table in sqlite_schema after a rebuild renamed the table. */
	for (i = 0; i < C.nobjs; i++)
		if (C.objs[i].role == R_INDEX &&
		    (r = build_index(&C, &C.objs[i])) < 0)
			goto out;
	assign_names(&C);
	r = 0;
out:
	ss_map_release(&C.tables);
	ss_map_release(&C.lc_tables);
	ss_map_release(&C.table_names);
	ss_map_release(&C.indexes);
	ss_arena_release(&C.a);
	return r;
}
