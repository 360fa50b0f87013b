/*
 * SQLite introspection (src/sqlite/introspect.h): a database ->
 * struct ss_schema, inverting the convention of src/sqlite/ddl.c.
 *
 * Design notes:
 *  1. One statement reads everything, whatever the table count:
 *     sqlite_schema. Columns, primary keys, foreign keys and index keys
 *     come from the CREATE texts (note 7). A foreign key's referenced
 *     columns and the indexes are filled in once every table is built,
 *     so nothing depends on the order of the rows.
 *  2. The facts are what SQLite itself resolved, as the pragmas report
 *     them: column names, declared types, NOT NULL, DEFAULT text,
 *     primary key order, foreign key columns and actions, which index
 *     key is a column. The parsed CREATE text adds the names and what
 *     SQLite does not report: CHECKs, AUTOINCREMENT, partial-index
 *     predicates, expression index entries, UNIQUE constraints' names.
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
 *  7. The pragmas' facts are derived from the CREATE text, not queried:
 *     the text in sqlite_schema is exactly what SQLite parses to build
 *     its schema (ALTER TABLE rewrites it), and asking the pragmas made
 *     SQLite prepare and run one PRAGMA per table and per index, half of
 *     a no-op push. The derivation copies SQLite's rules (text_rows(),
 *     text_index_key()); what they are not copied for makes the text
 *     untrusted, and that table or index alone is read from the
 *     pragmas. With SCHEMASYNC_VERIFY_INTROSPECT=1 (the test suite sets
 *     it) every table and index is read both ways and any difference is
 *     an internal error naming the table and the field.
 *     Autoindexes (sqlite_autoindex_T_N) never enter the model: UNIQUE
 *     and PRIMARY KEY constraints are read from the text, so their
 *     names and numbering need no deriving.
 *  8. SQLite keeps foreign keys it cannot use: to a table that is not
 *     there, a bare REFERENCES t to a table without a primary key, to
 *     columns t does not have or that are neither its primary key nor
 *     unique (with foreign keys enforced, SQLite refuses to write to
 *     the table: "foreign key mismatch"). The files cannot say such a
 *     key (the loader refuses it), so it is left out of the model and
 *     recorded as not modelled: pull writes no key the files cannot
 *     load, and says what it left out.
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
	/* Rows and parse live only while the table is built
	 * (build_table_scoped()); then the model's table says it all. */
	struct colrow *cols;
	size_t ncols, acols;
	struct fkinfo *fks;		/* in declaration order */
	size_t nfks, afks;
	struct ss_table *t;
	/* Per t->checks[i]: the column its generated name uses, or NULL. */
	const char **check_col;
	size_t ncheck_col, acheck_col;
};

/* A table's columns and foreign keys, as the pragmas report them. */
struct trows {
	struct colrow *cols;
	size_t ncols, acols;
	struct fkinfo *fks;		/* in declaration order */
	size_t nfks, afks;
};

struct ctx {
	sqlite3 *db;
	struct ss_schema *out;
	struct ss_err *err;
	struct ss_arena a;		/* scratch */
	struct ss_arena text;		/* the objects' CREATE texts, until
					   every object is built */
	struct obj *objs;
	size_t nobjs, aobjs;
	struct ss_map tables;		/* name -> struct tinfo * */
	struct ss_map table_names;	/* lower-cased table name -> obj, built
					   on first use by is_table_name() */
	int nvirtual;			/* virtual tables; -1 until counted */
	struct ss_map lc_tables;	/* lower-case name -> struct tinfo * */
	/* Design note 7. */
	bool verify;			/* SCHEMASYNC_VERIFY_INTROSPECT */
	size_t nfallback;		/* tables and indexes read from the
					   pragmas */
	sqlite3_stmt *st_cols, *st_fks, *st_index;
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

static const char *
adup(struct ss_arena *a, const unsigned char *s)
{
	return s ? ss_arena_strdup(a, (const char *)s) : NULL;
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
		o->sql = adup(&C->text, sqlite3_column_text(st, 3));
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

/*
 * The pragmas, one table or index at a time (design note 7): for what
 * the CREATE text cannot be trusted to say, and for the self-check.
 * Each statement is prepared once and bound per table.
 */
static int
pragma_stmt(struct ctx *C, sqlite3_stmt **st, const char *sql,
    const char *arg, const char *what)
{
	if (*st == NULL && sqlite3_prepare_v2(C->db, sql, -1, st, NULL) !=
	    SQLITE_OK)
		return db_error(C, what);
	sqlite3_reset(*st);
	if (sqlite3_bind_text(*st, 1, arg, -1, SQLITE_TRANSIENT) != SQLITE_OK)
		return db_error(C, what);
	return 0;
}

static int
pragma_rows(struct ctx *C, struct ss_arena *a, const char *table,
    struct trows *r)
{
	struct colrow *c;
	struct fkinfo *fk = NULL;
	sqlite3_stmt *st;
	int rc, id;

	memset(r, 0, sizeof *r);
	if (pragma_stmt(C, &C->st_cols, "SELECT name, type, \"notnull\", "
	    "dflt_value, pk, hidden FROM pragma_table_xinfo(?1) ORDER BY cid",
	    table, "columns") < 0)
		return -SS_EDB;
	st = C->st_cols;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c = SS_ARENA_PUSH(a, r->cols, r->ncols, r->acols);
		c->name = adup(a, sqlite3_column_text(st, 0));
		c->type = adup(a, sqlite3_column_text(st, 1));
		if (c->type == NULL)
			c->type = "";
		c->notnull = sqlite3_column_int(st, 2) != 0;
		c->dflt = adup(a, sqlite3_column_text(st, 3));
		c->pk = sqlite3_column_int(st, 4);
		c->hidden = sqlite3_column_int(st, 5);
	}
	if (rc != SQLITE_DONE)
		return db_error(C, "columns");
	/* SQLite numbers a table's foreign keys last-declared first. */
	if (pragma_stmt(C, &C->st_fks, "SELECT id, \"table\", \"from\", "
	    "\"to\", on_update, on_delete FROM pragma_foreign_key_list(?1) "
	    "ORDER BY id DESC, seq", table, "foreign keys") < 0)
		return -SS_EDB;
	st = C->st_fks;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int(st, 0);
		if (r->nfks == 0 || r->fks[r->nfks - 1].id != id) {
			fk = SS_ARENA_PUSH(a, r->fks, r->nfks, r->afks);
			memset(fk, 0, sizeof *fk);
			fk->id = id;
			fk->ref_table = adup(a, sqlite3_column_text(st, 1));
			fk->on_update = adup(a, sqlite3_column_text(st, 4));
			fk->on_delete = adup(a, sqlite3_column_text(st, 5));
		} else
			fk = &r->fks[r->nfks - 1];
		*SS_ARENA_PUSH(a, fk->from.v, fk->from.n, fk->from.alloc) =
		    (char *)adup(a, sqlite3_column_text(st, 2));
		*SS_ARENA_PUSH(a, fk->to.v, fk->to.n, fk->to.alloc) =
		    (char *)adup(a, sqlite3_column_text(st, 3));
	}
	if (rc != SQLITE_DONE)
		return db_error(C, "foreign keys");
	return 0;
}

static int
pragma_index(struct ctx *C, struct ss_arena *a, const char *index,
    struct idxinfo *ix)
{
	sqlite3_stmt *st;
	struct idxkey *k;
	int rc;

	memset(ix, 0, sizeof *ix);
	ix->name = index;
	if (pragma_stmt(C, &C->st_index, "SELECT cid, name, desc FROM "
	    "pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno", index,
	    "indexes") < 0)
		return -SS_EDB;
	st = C->st_index;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		k = SS_ARENA_PUSH(a, ix->keys, ix->nkeys, ix->akeys);
		k->cid = sqlite3_column_int(st, 0);
		k->name = adup(a, sqlite3_column_text(st, 1));
		k->desc = sqlite3_column_int(st, 2) != 0;
	}
	if (rc != SQLITE_DONE)
		return db_error(C, "indexes");
	return 0;
}

/*
 * The same facts from the parsed CREATE text (design note 7). SQLite
 * builds its own schema from that text, so they follow from it by
 * SQLite's rules, copied here from its build.c: sqlite3AddColumn(),
 * sqlite3AddDefaultValue(), sqlite3AddPrimaryKey(),
 * sqlite3CreateForeignKey(), sqlite3CreateIndex(). Where a rule is not
 * copied (a name that resolves to no column, a key column written
 * twice, rowid or a qualified name in an index, DESC after COLLATE),
 * the text is not trusted: false, and the caller asks the pragmas.
 */
static bool
sqlite_isspace(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool
sqlite_isquote(char c)
{
	return c == '"' || c == '\'' || c == '`' || c == '[';
}

/* sqlite3Dequote() of s[0..n), in the arena. */
static char *
sqlite_dequote(struct ss_arena *a, const char *s, size_t n)
{
	char q, *r, *o;
	size_t i;

	if (n == 0 || !sqlite_isquote(s[0]))
		return ss_arena_strndup(a, s, n);
	q = s[0] == '[' ? ']' : s[0];
	r = o = ss_arena_alloc(a, n + 1);
	for (i = 1; i < n; i++) {
		if (s[i] != q)
			*o++ = s[i];
		else if (i + 1 < n && s[i + 1] == q)
			*o++ = s[i++];
		else
			break;
	}
	*o = '\0';
	return r;
}

/*
 * The declared type as pragma table_xinfo reports it (sqlite3AddColumn):
 * a trailing "generated always" that the grammar let into the type is
 * dropped; since SQLite 3.37 the standard names (ANY, BLOB, INT,
 * INTEGER, REAL, TEXT, unquoted first) come back in upper case; any
 * other type is dequoted.
 */
static const char *
text_type(struct ss_arena *a, const char *z)
{
	static const char *const std[] = { "ANY", "BLOB", "INT", "INTEGER",
		"REAL", "TEXT", NULL };
	size_t n = strlen(z), m, k;
	const char *t;

	if (n >= 16 && strncasecmp(z + n - 6, "always", 6) == 0) {
		n -= 6;
		while (n > 0 && sqlite_isspace(z[n - 1]))
			n--;
		if (n >= 9 && strncasecmp(z + n - 9, "generated", 9) == 0) {
			n -= 9;
			while (n > 0 && sqlite_isspace(z[n - 1]))
				n--;
		}
	}
	if (n >= 3 && sqlite3_libversion_number() >= 3037000) {
		t = z;
		m = n;
		if (sqlite_isquote(t[0])) {	/* sqlite3DequoteToken() */
			for (k = 1; k < n - 1 && !sqlite_isquote(t[k]); k++)
				;
			if (k == n - 1) {
				t++;
				m -= 2;
			}
		}
		for (k = 0; std[k] != NULL; k++)
			if (strlen(std[k]) == m && strncasecmp(t, std[k], m) == 0)
				return std[k];
	}
	return sqlite_dequote(a, z, n);
}

static const char *
action_name(enum ss_sqlp_action x)
{
	switch (x) {
	case SS_SQLP_RESTRICT:
		return "RESTRICT";
	case SS_SQLP_CASCADE:
		return "CASCADE";
	case SS_SQLP_SET_NULL:
		return "SET NULL";
	case SS_SQLP_SET_DEFAULT:
		return "SET DEFAULT";
	case SS_SQLP_NO_ACTION:
		break;
	}
	return "NO ACTION";
}

/* Whether two names are the same to SQLite: ASCII letters without case. */
static bool
same_name(const char *a, const char *b)
{
	return ((*a ^ *b) & ~0x20) == 0 && ss_streq_icase(a, b);
}

/* The position of column n in p (SQLite compares without case), or -1. */
static int
text_column(const struct ss_sqlp_table *p, const char *n)
{
	size_t i;

	for (i = 0; i < p->ncolumns; i++)
		if (same_name(p->columns[i].name, n))
			return (int)i;
	return -1;
}

/*
 * Whether the key is the rowid under another name: one column declared
 * exactly INTEGER (any case), in a rowid table, and not PRIMARY KEY DESC
 * on the column (SQLite's documented quirk).
 */
static bool
rowid_alias(const struct ss_sqlp_table *p)
{
	int k;

	if (p->without_rowid || p->pk == NULL || p->pk->columns.n != 1 ||
	    (k = text_column(p, p->pk->columns.v[0])) < 0)
		return false;
	return strcasecmp(p->columns[k].type, "INTEGER") == 0 &&
	    !p->columns[k].pk_desc;
}

static bool
text_rows(struct ss_arena *a, const struct ss_sqlp_table *p, struct trows *r)
{
	const struct ss_sqlp_column *pc;
	const struct ss_sqlp_fk *pf;
	struct colrow *c;
	struct fkinfo *fk;
	const char *d;
	size_t i, j, n;
	int k;

	memset(r, 0, sizeof *r);
	for (i = 0; i < p->ncolumns; i++) {
		pc = &p->columns[i];
		/* A name twice is an error to SQLite; __hidden__ columns
		 * are hidden in some builds of it. */
		if (text_column(p, pc->name) != (int)i ||
		    strncasecmp(pc->name, "__hidden__", 10) == 0)
			return false;
		c = SS_ARENA_PUSH(a, r->cols, r->ncols, r->acols);
		c->name = ss_arena_strdup(a, pc->name);
		c->type = text_type(a, pc->type);
		c->notnull = pc->not_null;
		c->hidden = pc->generated ? (pc->stored ? 3 : 2) : 0;
		if (pc->default_expr == NULL || pc->generated)
			continue;
		/* DEFAULT (x): SQLite keeps the inside, trimmed. */
		d = pc->default_expr;
		n = strlen(d);
		if (d[0] == '(') {
			d++;
			n -= 2;
			while (n > 0 && sqlite_isspace(*d))
				d++, n--;
			while (n > 0 && sqlite_isspace(d[n - 1]))
				n--;
		}
		c->dflt = ss_arena_strndup(a, d, n);
	}
	for (j = 0; p->pk != NULL && j < p->pk->columns.n; j++) {
		k = text_column(p, p->pk->columns.v[j]);
		if (k < 0 || r->cols[k].pk != 0)
			return false;
		r->cols[k].pk = (int)j + 1;
		/* WITHOUT ROWID makes every key column NOT NULL, and so
		 * does STRICT, but for a rowid alias. */
		if (p->without_rowid || (p->strict && !rowid_alias(p)))
			r->cols[k].notnull = true;
	}
	for (i = 0; i < p->nfks; i++) {
		pf = &p->fks[i];
		if (pf->ref_columns.n != 0 &&
		    pf->ref_columns.n != pf->columns.n)
			return false;
		fk = SS_ARENA_PUSH(a, r->fks, r->nfks, r->afks);
		memset(fk, 0, sizeof *fk);
		fk->id = (int)(p->nfks - 1 - i);
		fk->ref_table = ss_arena_strdup(a, pf->ref_table);
		fk->on_update = action_name(pf->on_update);
		fk->on_delete = action_name(pf->on_delete);
		for (j = 0; j < pf->columns.n; j++) {
			if ((k = text_column(p, pf->columns.v[j])) < 0)
				return false;
			*SS_ARENA_PUSH(a, fk->from.v, fk->from.n,
			    fk->from.alloc) = (char *)r->cols[k].name;
			*SS_ARENA_PUSH(a, fk->to.v, fk->to.n, fk->to.alloc) =
			    pf->ref_columns.n == 0 ? NULL :
			    ss_arena_strdup(a, pf->ref_columns.v[j]);
		}
	}
	return true;
}

/*
 * One index entry, verbatim: a column when, once its ASC or DESC, its
 * COLLATEs and its enclosing parentheses are taken off, it is one name
 * of a column (sqlite3ExprSkipCollate() gives a TK_COLUMN); otherwise an
 * expression.
 */
static bool
text_index_key(struct ss_arena *a, const struct tinfo *ti, const char *e,
    struct idxkey *k)
{
	struct ss_sqllex lx;
	struct ss_sqltok *t = NULL, tok;
	size_t n = 0, at = 0, b = 0, i;
	const char *v;
	int depth;

	ss_sqllex_init(&lx, e, strlen(e));
	for (ss_sqllex_next(&lx, &tok); tok.kind != SS_TOK_END;
	    ss_sqllex_next(&lx, &tok)) {
		if (tok.kind == SS_TOK_ERROR)
			return false;
		*SS_ARENA_PUSH(a, t, n, at) = tok;
	}
	k->cid = -2;
	k->name = NULL;
	k->desc = false;
	if (n > 0 && (ss_sqltok_is(&t[n - 1], "DESC") ||
	    ss_sqltok_is(&t[n - 1], "ASC"))) {
		if (n >= 2 && ss_sqltok_is(&t[n - 2], "COLLATE"))
			return false;	/* COLLATE desc: which one? */
		k->desc = ss_sqltok_is(&t[n - 1], "DESC");
		n--;
	}
	for (;;) {
		if (n >= 2 && ss_sqltok_is(&t[b + n - 2], "COLLATE")) {
			n -= 2;
			continue;
		}
		if (n >= 2 && ss_sqltok_is(&t[b], "(")) {
			for (depth = 0, i = b; i < b + n; i++) {
				depth += ss_sqltok_is(&t[i], "(") -
				    ss_sqltok_is(&t[i], ")");
				if (depth == 0)
					break;
			}
			if (i == b + n - 1) {
				b++;
				n -= 2;
				continue;
			}
		}
		break;
	}
	if (n == 0)
		return false;
	if (n == 1 && (t[b].kind == SS_TOK_WORD || t[b].kind == SS_TOK_QUOTED ||
	    t[b].kind == SS_TOK_STRING)) {
		v = ss_sqltok_value(a, &t[b]);
		for (i = 0; ti->t != NULL && i < ti->t->ncolumns; i++)
			if (ss_streq_icase(ti->t->columns[i].name, v)) {
				k->cid = (int)i;
				k->name = ti->t->columns[i].name;
				return true;
			}
		return false;	/* rowid, a "string", or unknown */
	}
	for (i = b; i < b + n; i++)
		if (ss_sqltok_is(&t[i], "."))
			return false;	/* t.a is a column */
	return true;
}

static bool
text_index(struct ss_arena *a, const struct tinfo *ti,
    const struct ss_sqlp_index *pi, const char *name, struct idxinfo *ix)
{
	size_t i;

	memset(ix, 0, sizeof *ix);
	ix->name = name;
	for (i = 0; i < pi->nentries; i++)
		if (!text_index_key(a, ti, pi->entries[i].text,
		    SS_ARENA_PUSH(a, ix->keys, ix->nkeys, ix->akeys)))
			return false;
	return true;
}

/*
 * The self-check: with SCHEMASYNC_VERIFY_INTROSPECT set, the pragmas are
 * read for every table and index as well, and any difference from what
 * the text says is an internal error naming the table and the field.
 */
static bool
same_str(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static const char *
show(struct ctx *C, const char *s)
{
	return s == NULL ? "NULL" : ss_arena_printf(&C->a, "'%s'", s);
}

static int
differ(struct ctx *C, const char *object, const char *field,
    const char *text, const char *pragma)
{
	return ss_err_set(C->err, SS_EINTERNAL, "introspecting '%s': the "
	    "CREATE text and the pragmas differ on %s: the text gives %s, "
	    "the pragma %s (a bug in schemasync: please report it)", object,
	    field, text, pragma);
}

static const char *
num(struct ctx *C, long v)
{
	return ss_arena_printf(&C->a, "%ld", v);
}

static int
verify_rows(struct ctx *C, const char *table, const struct trows *t,
    const struct trows *p)
{
	const struct colrow *a, *b;
	const struct fkinfo *f, *g;
	const char *w;
	size_t i, j;

	if (t->ncols != p->ncols)
		return differ(C, table, "the number of columns",
		    num(C, (long)t->ncols), num(C, (long)p->ncols));
	for (i = 0; i < t->ncols; i++) {
		a = &t->cols[i];
		b = &p->cols[i];
		w = ss_arena_printf(&C->a, "column %zu ('%s')", i + 1, b->name);
		if (!same_str(a->name, b->name))
			return differ(C, table, ss_arena_printf(&C->a,
			    "%s name", w), show(C, a->name), show(C, b->name));
		if (!same_str(a->type, b->type))
			return differ(C, table, ss_arena_printf(&C->a,
			    "%s type", w), show(C, a->type), show(C, b->type));
		if (a->notnull != b->notnull)
			return differ(C, table, ss_arena_printf(&C->a,
			    "%s notnull", w), num(C, a->notnull),
			    num(C, b->notnull));
		if (!same_str(a->dflt, b->dflt))
			return differ(C, table, ss_arena_printf(&C->a,
			    "%s dflt_value", w), show(C, a->dflt),
			    show(C, b->dflt));
		if (a->pk != b->pk)
			return differ(C, table, ss_arena_printf(&C->a,
			    "%s pk", w), num(C, a->pk), num(C, b->pk));
		if (a->hidden != b->hidden)
			return differ(C, table, ss_arena_printf(&C->a,
			    "%s hidden", w), num(C, a->hidden),
			    num(C, b->hidden));
	}
	if (t->nfks != p->nfks)
		return differ(C, table, "the number of foreign keys",
		    num(C, (long)t->nfks), num(C, (long)p->nfks));
	for (i = 0; i < t->nfks; i++) {
		f = &t->fks[i];
		g = &p->fks[i];
		w = ss_arena_printf(&C->a, "foreign key %zu", i + 1);
		if (!same_str(f->ref_table, g->ref_table))
			return differ(C, table, ss_arena_printf(&C->a,
			    "%s table", w), show(C, f->ref_table),
			    show(C, g->ref_table));
		if (!same_str(f->on_update, g->on_update))
			return differ(C, table, ss_arena_printf(&C->a,
			    "%s on_update", w), show(C, f->on_update),
			    show(C, g->on_update));
		if (!same_str(f->on_delete, g->on_delete))
			return differ(C, table, ss_arena_printf(&C->a,
			    "%s on_delete", w), show(C, f->on_delete),
			    show(C, g->on_delete));
		if (f->from.n != g->from.n)
			return differ(C, table, ss_arena_printf(&C->a,
			    "%s column count", w), num(C, (long)f->from.n),
			    num(C, (long)g->from.n));
		for (j = 0; j < f->from.n; j++) {
			if (!same_str(f->from.v[j], g->from.v[j]))
				return differ(C, table, ss_arena_printf(&C->a,
				    "%s from %zu", w, j + 1),
				    show(C, f->from.v[j]), show(C, g->from.v[j]));
			if (!same_str(f->to.v[j], g->to.v[j]))
				return differ(C, table, ss_arena_printf(&C->a,
				    "%s to %zu", w, j + 1),
				    show(C, f->to.v[j]), show(C, g->to.v[j]));
		}
	}
	return 0;
}

static int
verify_index(struct ctx *C, const char *index, const struct idxinfo *t,
    const struct idxinfo *p)
{
	size_t i;

	if (t->nkeys != p->nkeys)
		return differ(C, index, "the number of keys",
		    num(C, (long)t->nkeys), num(C, (long)p->nkeys));
	for (i = 0; i < t->nkeys; i++) {
		if (t->keys[i].cid != p->keys[i].cid)
			return differ(C, index, ss_arena_printf(&C->a,
			    "key %zu cid", i + 1), num(C, t->keys[i].cid),
			    num(C, p->keys[i].cid));
		if (!same_str(t->keys[i].name, p->keys[i].name))
			return differ(C, index, ss_arena_printf(&C->a,
			    "key %zu name", i + 1), show(C, t->keys[i].name),
			    show(C, p->keys[i].name));
		if (t->keys[i].desc != p->keys[i].desc)
			return differ(C, index, ss_arena_printf(&C->a,
			    "key %zu desc", i + 1), num(C, t->keys[i].desc),
			    num(C, p->keys[i].desc));
	}
	return 0;
}

/* ti's columns and foreign keys: from the text when it can be trusted. */
static int
table_rows(struct ctx *C, struct tinfo *ti)
{
	struct trows tr, pr;
	bool trusted = text_rows(&C->a, &ti->p, &tr);
	int r;

	if (!trusted || C->verify) {
		if ((r = pragma_rows(C, &C->a, ti->o->name, &pr)) < 0)
			return r;
		if (trusted && (r = verify_rows(C, ti->o->name, &tr, &pr)) < 0)
			return r;
		if (!trusted) {
			tr = pr;
			C->nfallback++;
		}
	}
	ti->cols = tr.cols;
	ti->ncols = tr.ncols;
	ti->acols = tr.acols;
	ti->fks = tr.fks;
	ti->nfks = tr.nfks;
	ti->afks = tr.afks;
	return 0;
}

/* The same for an index's keys. */
static int
index_keys(struct ctx *C, const struct tinfo *ti,
    const struct ss_sqlp_index *pi, const char *name, struct idxinfo **out)
{
	struct idxinfo *tx = ss_arena_alloc(&C->a, sizeof *tx), *px;
	bool trusted = text_index(&C->a, ti, pi, name, tx);
	int r;

	if (!trusted || C->verify) {
		px = ss_arena_alloc(&C->a, sizeof *px);
		if ((r = pragma_index(C, &C->a, name, px)) < 0)
			return r;
		if (trusted && (r = verify_index(C, name, tx, px)) < 0)
			return r;
		if (!trusted) {
			tx = px;
			C->nfallback++;
		}
	}
	*out = tx;
	return 0;
}

/* Building the model. */

static const char *
canon_column(struct ss_table *t, const char *n)
{
	struct ss_column *c = ss_table_column_icase(t, n);

	return c != NULL ? c->name : n;
}

/* The referenced table's own spelling of column n, when it is known. */
static const char *
ref_column(const struct tinfo *rt, const char *n)
{
	size_t i;

	for (i = 0; rt != NULL && rt->t != NULL && i < rt->t->ncolumns; i++)
		if (ss_streq_icase(rt->t->columns[i].name, n))
			return rt->t->columns[i].name;
	return n;
}

static struct ss_sqlp_column *
parsed_column(struct tinfo *ti, const char *n, size_t hint)
{
	size_t i;

	/* Read from the text, column i is the text's column i. */
	if (hint < ti->p.ncolumns && ss_streq_icase(ti->p.columns[hint].name, n))
		return &ti->p.columns[hint];
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
		c = ss_table_column_icase(t, ss_sqltok_value(&C->a, &tok));
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
	if ((r = table_rows(C, ti)) < 0)
		goto out;
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
		pc = parsed_column(ti, cr->name, i);
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
		/* The referenced columns as written; resolve_refs() spells
		 * them as their table does once every table is known. */
		for (j = 0; j < fi->to.n && fi->to.v[j] != NULL; j++)
			ss_names_add(s, &fk->ref_columns, fi->to.v[j], NULL);
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

/*
 * The referenced columns of every foreign key, in the referenced
 * table's own spelling: once every table's columns are known, as a key
 * may refer to a table that comes later.
 */
static void
resolve_refs(struct ctx *C)
{
	struct ss_schema *s = C->out;
	struct ss_table *t;
	struct tinfo *rt;
	struct ss_fk *fk;
	size_t i, f, j;

	for (i = 0; i < s->ntables; i++) {
		t = s->tables[i];
		for (f = 0; f < t->nfks; f++) {
			fk = &t->fks[f];
			rt = ss_map_get(&C->lc_tables, lower(&C->a,
			    fk->ref_table));
			for (j = 0; j < fk->ref_columns.n; j++)
				fk->ref_columns.v[j].name = ref_column(rt,
				    fk->ref_columns.v[j].name);
			if (fk->ref_columns.n != 0 || rt == NULL ||
			    rt->t == NULL || rt->t->pk == NULL)
				continue;
			/* REFERENCES t alone: t's primary key, in its order. */
			for (j = 0; j < rt->t->pk->columns.n; j++)
				ss_names_add(s, &fk->ref_columns,
				    rt->t->pk->columns.v[j].name, NULL);
		}
	}
}

/*
 * Entry text e that SQLite resolved to column col ("T COLLATE NOCASE"
 * for a column t), with its leading name spelled as the column is: the
 * files name columns as the table does, and an entry written in another
 * case would not load back.
 */
static const char *
respell_column(struct ctx *C, const char *e, const char *col)
{
	struct ss_sqllex lx;
	struct ss_sqltok tok;
	struct ss_buf b = SS_BUF_INIT;
	const char *v, *r;

	ss_sqllex_init(&lx, e, strlen(e));
	ss_sqllex_next(&lx, &tok);
	if (tok.kind != SS_TOK_WORD && tok.kind != SS_TOK_QUOTED)
		return e;
	v = ss_sqltok_value(&C->a, &tok);
	if (strcmp(v, col) == 0 || !ss_streq_icase(v, col))
		return e;
	ss_buf_add(&b, e, (size_t)(tok.p - e));
	if (tok.kind == SS_TOK_QUOTED)
		ss_sqlite_quote_ident(&b, col);
	else
		ss_buf_adds(&b, col);
	ss_buf_adds(&b, tok.p + tok.len);
	r = ss_arena_strndup(&C->a, b.s, b.len);
	ss_buf_release(&b);
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
	if ((r = index_keys(C, ti, &pi, o->name, &info)) < 0)
		goto out;
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
		    ss_table_column_icase(ti->t, pi.entries[i].column) != NULL)
			e = ss_table_column_icase(ti->t,
			    pi.entries[i].column)->name;
		else if (k != NULL && k->cid >= 0 && k->name != NULL &&
		    names_column(e, k->name))
			e = k->name;	/* "a DESC", "\"a\" DESC" */
		else if (k != NULL && k->cid >= 0 && k->name != NULL)
			e = respell_column(C, e, k->name);
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

/* Why fk cannot be said in the files (design note 8), or NULL. */
static const char *
unusable_fk(const struct ss_schema *s, const struct ss_fk *fk)
{
	const struct ss_table *rt = ss_schema_table(s, fk->ref_table);
	size_t i;

	if (rt == NULL)
		return "there is no such table";
	if (fk->ref_columns.n == 0)
		return "it has no primary key";
	if (fk->ref_columns.n != fk->columns.n)
		return "not as many columns";
	for (i = 0; i < fk->ref_columns.n; i++)
		if (ss_table_column(rt, fk->ref_columns.v[i].name) == NULL)
			return "it has no such column";
	if (!ss_table_is_key(rt, &fk->ref_columns))
		return "they are neither its primary key nor unique";
	return NULL;
}

/* Foreign keys the files cannot say, out of the model (note 8). */
static void
drop_unusable_fks(struct ctx *C)
{
	struct ss_schema *s = C->out;
	struct ss_buf what = SS_BUF_INIT;
	struct ss_table *t;
	const char *why;
	size_t i, j, k, n;

	for (i = 0; i < s->ntables; i++) {
		t = s->tables[i];
		for (j = n = 0; j < t->nfks; j++) {
			const struct ss_fk *fk = &t->fks[j];
			if ((why = unusable_fk(s, fk)) == NULL) {
				t->fks[n++] = *fk;
				continue;
			}
			ss_buf_reset(&what);
			ss_buf_addf(&what, "REFERENCES %s", fk->ref_table);
			for (k = 0; k < fk->ref_columns.n; k++)
				ss_buf_addf(&what, "%s%s", k ? ", " : " (",
				    fk->ref_columns.v[k].name);
			ss_buf_addf(&what, "%s (%s)", fk->ref_columns.n ? ")" :
			    "", why);
			unmodelled(C, t, ss_arena_printf(&C->a, "foreign key "
			    "%s%s%s", fk->name ? "\"" : "(", fk->name ?
			    fk->name : fk->columns.v[0].name, fk->name ? "\"" :
			    ")"), what.s, "pushed copies will not have it");
		}
		t->nfks = n;
	}
	ss_buf_release(&what);
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

struct taken_in {
	struct names_ctx *nc;
	bool relation;
};

static bool
name_taken(const char *name, void *arg)
{
	const struct taken_in *in = arg;

	return ss_map_get(&in->nc->con, name) != NULL ||
	    (in->relation && ss_map_get(&in->nc->rel, name) != NULL);
}

/* The loader's choice (ss_choose_object_name()), names compared as
 * they are. */
static const char *
choose(struct ss_schema *s, struct names_ctx *nc, const char *name1,
    const char *name2, const char *label, bool relation)
{
	struct taken_in in = { nc, relation };
	char *name = ss_choose_object_name(&s->arena, name1, name2, label,
	    name_taken, &in);

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
 * parse and the table's rows (columns, foreign keys) are cleared so
 * nothing can read them afterwards: what the indexes and the other
 * tables' foreign keys need of them, the model's table says (2 MB less
 * at the peak of a 1,000-table introspection). The lower-cased
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
	ti->cols = NULL;	/* the model's columns say the rest */
	ti->ncols = ti->acols = 0;
	ti->fks = NULL;
	ti->nfks = ti->afks = 0;
	ss_arena_release(&C->a);
	C->a = keep;
	return r;
}

/*
 * build_index() with its scratch in an arena of its own, as tables are
 * built (above): the parsed CREATE INDEX and the keys are needed only
 * while the index is built.
 */
static int
build_index_scoped(struct ctx *C, struct obj *o)
{
	struct ss_arena keep;
	int r;

	(void)is_table_name(C, "");	/* before keep is taken: it allocates */
	keep = C->a;
	ss_arena_init(&C->a);
	r = build_index(C, o);
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

static int
introspect(sqlite3 *db, struct ss_schema *out, bool verify, size_t *fallback,
    struct ss_err *err)
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
	C.verify = verify;
	ss_arena_init(&C.a);
	ss_arena_init(&C.text);
	if ((r = read_objects(&C)) < 0)
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
	resolve_refs(&C);
	/* Indexes once every table is in: an index may come before its
	 * table in sqlite_schema after a rebuild renamed the table. */
	for (i = 0; i < C.nobjs; i++)
		if (C.objs[i].role == R_INDEX &&
		    (r = build_index_scoped(&C, &C.objs[i])) < 0)
			goto out;
	/* Every object is built: the texts go before the names are
	 * assigned (1 MB of a 1,000-table schema, at the peak). */
	for (i = 0; i < C.nobjs; i++)
		C.objs[i].sql = NULL;
	ss_arena_release(&C.text);
	drop_unusable_fks(&C);
	assign_names(&C);
	if (fallback != NULL)
		*fallback = C.nfallback;
	r = 0;
out:
	sqlite3_finalize(C.st_cols);
	sqlite3_finalize(C.st_fks);
	sqlite3_finalize(C.st_index);
	ss_map_release(&C.tables);
	ss_map_release(&C.lc_tables);
	ss_map_release(&C.table_names);
	ss_arena_release(&C.a);
	ss_arena_release(&C.text);
	return r;
}

int
ss_sqlite_introspect(sqlite3 *db, struct ss_schema *out, struct ss_err *err)
{
	const char *v = getenv("SCHEMASYNC_VERIFY_INTROSPECT");

	return introspect(db, out, v != NULL && *v != '\0' &&
	    strcmp(v, "0") != 0, NULL, err);
}

int
ss_sqlite_introspect_verified(sqlite3 *db, struct ss_schema *out,
    size_t *fallback, struct ss_err *err)
{
	return introspect(db, out, true, fallback, err);
}
