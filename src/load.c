/*
 * The schema loader: YAML files -> struct ss_schema (include/ss/load.h).
 *
 * Design notes:
 *  1. Two phases. Phase one reads each document on its own and records
 *     what it says, reporting what one node can tell is wrong (an
 *     unknown key, a malformed type). Phase two, once every file is in,
 *     checks what needs the whole schema: references between tables,
 *     enum types and defaults, renamed_from clashes, generated names.
 *     So a foreign key may point at a table in a file read later.
 *  2. Every problem becomes one diagnostic and loading goes on, so a
 *     user sees all errors at once, as from a compiler.
 *  3. Generated names follow PostgreSQL (model.h, invariant 4) and are
 *     chosen after all explicit names are known, so a generated name
 *     never takes a name that a later file sets explicitly; a clash
 *     gets a number appended, as PostgreSQL's ChooseRelationName() does.
 *  4. Facts the model does not keep but phase two needs (where
 *     `autoincrement` or `renamed_from` was written) are kept in a side
 *     list of struct pending.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "ss/load.h"
#include "ss/schemakeys.h"
#include "ss/sqlparse.h"
#include "ss/util.h"
#include "ss/walk.h"
#include "ss/ydoc.h"

enum pending_kind { P_AUTOINCREMENT, P_TABLE_RENAME, P_COLUMN_RENAME,
    P_TABLE_PK, P_NULLABLE };

struct pending {
	enum pending_kind kind;
	struct ss_table *t;
	size_t col;		/* column index, for column kinds */
	struct ss_loc loc;
};

struct loader {
	struct ss_schema *s;
	struct ss_diags *d;
	struct ss_ydoc *y;	/* the document being read */
	struct pending *pend;
	size_t npend, apend;
	struct ss_map tloc;	/* table name -> struct ss_loc * (first definition) */
	bool unreadable;	/* a file did not parse: no checks across files */
	struct ss_ypairs colpairs;	/* column()'s, kept from call to call */
	const char *file;	/* the file being read, as locations hold it */
	/* What only the load needs (names' keys, first definitions): not
	 * the model's, released with the loader. */
	struct ss_arena scratch;
};

/* An unknown key of ctx (a "did you mean" from the key table). */
static void
unknown_key(struct loader *L, const struct ss_ypair *p, const char *what,
    enum ss_key_ctx ctx)
{
	const char *names[SS_KEY_MAX + 1];

	ss_skey_names(ctx, names);
	ss_yunknown_key(L->y, p, what, names);
}

#define KEY(ctx, k) ss_skey_find(SS_KCTX_##ctx, (k))

static struct ss_loc
loc_of(struct loader *L, struct ss_ynode *n)
{
	struct ss_loc l = ss_yloc(L->y, n);

	return l;
}

static void
error_at(struct loader *L, const struct ss_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
error_at(struct loader *L, const struct ss_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ss_diag_vadd(L->d, SS_SEV_ERROR, loc, fmt, ap);
	va_end(ap);
}

static void
add_pending(struct loader *L, enum pending_kind kind, struct ss_table *t,
    size_t col, const struct ss_loc *loc)
{
	struct pending *p;

	SS_ALLOC_GROW(L->pend, L->npend, L->apend);
	p = &L->pend[L->npend++];
	p->kind = kind;
	p->t = t;
	p->col = col;
	p->loc = *loc;
}

static const char *
str(struct loader *L, struct ss_ynode *n, const char *what)
{
	const char *s = ss_ystr(L->y, n, what);

	if (s != NULL && *s == '\0') {
		ss_yerror(L->y, n, "'%s' must not be empty", what);
		return NULL;
	}
	return s;
}

/* s for a message: the first 40 characters, then "...". */
static const char *
excerpt(struct loader *L, const char *s)
{
	size_t i, chars = 0;

	for (i = 0; s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > 40)
			return ss_arena_printf(&L->s->arena, "%.*s...", (int)i, s);
	return s;
}

/*
 * Verbatim SQL: s is written into schemasync's own statements, so it
 * must be one expression there (include/ss/sqlparse.h). Reports it at
 * loc as `what` when it is not, and returns NULL; otherwise returns the
 * text to keep, in the arena. Text with a -- comment is kept with a
 * newline at its end, so that the comment ends before whatever a
 * statement puts after it, in every dialect.
 */
static const char *
verbatim(struct loader *L, const struct ss_loc *loc, const char *s,
    const char *what)
{
	struct ss_buf why = SS_BUF_INIT;
	struct ss_sqlfrag f;
	const char *r = NULL;
	size_t len = strlen(s);

	if (ss_sql_check_expr(s, len, SS_SQLREAD_ALL, &f, &why) < 0)
		error_at(L, loc, "%s is not one SQL expression: %s", what, why.s);
	else if (f.line_comment && s[len - 1] != '\n')
		r = ss_arena_printf(&L->s->arena, "%s\n", s);
	else
		r = ss_arena_strdup(&L->s->arena, s);
	ss_buf_release(&why);
	return r;
}

/*
 * Whether the key of p is empty ('"": ...'), which no database takes as
 * a name; reported.
 */
static bool
empty_name(struct loader *L, const struct ss_ypair *p, const char *what)
{
	if (*p->key != '\0')
		return false;
	ss_yerror(L->y, p->knode, "%s name must not be empty", what);
	return true;
}

/* A list of names: a YAML list of strings, or one string. */
static int
names(struct loader *L, struct ss_ynode *n, const char *what, struct ss_names *out)
{
	struct ss_ynode **it;
	struct ss_ynode *item;
	struct ss_loc l;
	const char *s;
	size_t i;

	if (n->type == SS_YSCALAR && !ss_yis_null(n)) {
		if ((s = str(L, n, what)) == NULL)
			return -1;
		l = loc_of(L, n);
		ss_names_add(L->s, out, s, &l);
		return 0;
	}
	if (n->type != SS_YSEQUENCE) {
		ss_yerror(L->y, n, "expected a list of column names for '%s'",
		    what);
		return -1;
	}
	if (n->n == 0) {
		ss_yerror(L->y, n, "'%s' must name at least one column", what);
		return -1;
	}
	for (it = n->items; it < n->items + n->n;
	    it++) {
		item = *it;
		if ((s = str(L, item, what)) == NULL)
			return -1;
		l = loc_of(L, item);
		for (i = 0; i < out->n; i++) {
			if (strcmp(out->v[i].name, s) == 0) {
				ss_yerror(L->y, item, "'%s' is listed twice "
				    "in '%s'", s, what);
				return -1;
			}
		}
		ss_names_add(L->s, out, s, &l);
	}
	return 0;
}

static int
fk_action(struct loader *L, struct ss_ynode *n, const char *what,
    enum ss_fk_action *out)
{
	const char *s = str(L, n, what), *hint;
	int a;

	if (s == NULL)
		return -1;
	if ((a = ss_fk_action_parse(s)) < 0) {
		hint = ss_suggest(s, ss_fk_action_names);
		if (hint != NULL)
			ss_yerror(L->y, n, "unknown action '%s' for '%s' "
			    "(did you mean '%s'?)", s, what, hint);
		else
			ss_yerror(L->y, n, "unknown action '%s' for '%s' "
			    "(expected cascade, restrict, set null, set default "
			    "or no action)", s, what);
		return -1;
	}
	*out = (enum ss_fk_action)a;
	return 0;
}

/*
 * `autoincrement: { always: BOOL, start: N, increment: N }`, the long
 * form: an autoincrement column with identity options (each key may be
 * left out; `{}` is `true`).
 */
static int
autoincrement_options(struct loader *L, struct ss_column *c, struct ss_ynode *v)
{
	struct ss_ypairs pairs = { NULL, 0, 0 };
	enum ss_skey key;
	long n;
	bool b;
	size_t i;
	int r = 0;

	c->autoincrement = true;
	c->always = false;
	ss_ymap(L->y, v, &pairs);
	for (i = 0; i < pairs.n; i++) {
		struct ss_ynode *val = pairs.v[i].value;
		key = KEY(AUTOINCREMENT, pairs.v[i].key);
		if (key == SS_KEY_AUTOINCREMENT_ALWAYS) {
			if (ss_ybool(L->y, val, "always", &b) == 0)
				c->always = b;
			else
				r = -1;
		} else if (key == SS_KEY_AUTOINCREMENT_START) {
			if (ss_yint(L->y, val, "start", LONG_MIN, LONG_MAX,
			    &n) == 0) {
				c->has_start = true;
				c->start = n;
			} else
				r = -1;
		} else if (key == SS_KEY_AUTOINCREMENT_INCREMENT) {
			if (ss_yint(L->y, val, "increment", LONG_MIN, LONG_MAX,
			    &n) < 0)
				r = -1;
			else if (n == 0) {
				ss_yerror(L->y, val, "'increment' must not be 0");
				r = -1;
			} else
				c->increment = n;
		} else {
			unknown_key(L, &pairs.v[i], "autoincrement",
			    SS_KCTX_AUTOINCREMENT);
			r = -1;
		}
	}
	ss_ypairs_release(&pairs);
	return r;
}

/* `autoincrement: true | false | always` (GENERATED ALWAYS), or the
 * long form with identity options. */
static int
autoincrement(struct loader *L, struct ss_column *c, struct ss_ynode *v)
{
	const char *s;
	bool b;

	if (v->type == SS_YSCALAR && ss_yis_plain(v) &&
	    ss_yscalar_is_bool(v->s, &b)) {
		c->autoincrement = b;
		c->always = false;
		return 0;
	}
	if (v->type == SS_YMAPPING)
		return autoincrement_options(L, c, v);
	s = v->type == SS_YSCALAR ? v->s :
	    NULL;
	if (s != NULL && ss_streq_icase(s, "always")) {
		c->autoincrement = c->always = true;
		return 0;
	}
	if (s != NULL && !ss_yis_null(v))
		ss_yerror(L->y, v, "expected true, false, always or { always, "
		    "start, increment } for 'autoincrement', got '%s'", s);
	else
		ss_yerror(L->y, v, "expected true, false, always or { always, "
		    "start, increment } for 'autoincrement', got %s",
		    ss_ykind(v));
	return -1;
}

/*
 * A plain scalar that YAML reads as a number. Octal and hex are written
 * in decimal, as every database reads that. Infinity, not-a-number and
 * YAML 1.1's forms are refused: the databases spell the first two
 * differently (PostgreSQL 'Infinity', SQLite 9e999), and '1_000' is
 * 1000 to a YAML 1.1 tool but text to YAML 1.2, so either reading would
 * surprise someone.
 */
static void
number_default(struct loader *L, struct ss_column *c, struct ss_ynode *v,
    const char *s)
{
	struct ss_buf b = SS_BUF_INIT;

	switch (ss_yscalar_number(s)) {
	case SS_YNUM_NONE:
	case SS_YNUM_DECIMAL:
		c->def.kind = SS_DEFAULT_NUMBER;
		c->def.value = ss_arena_strdup(&L->s->arena, s);
		break;
	case SS_YNUM_OCTAL:
	case SS_YNUM_HEX:
		ss_ynumber_decimal(s, &b);
		c->def.kind = SS_DEFAULT_NUMBER;
		c->def.value = ss_arena_strdup(&L->s->arena, b.s);
		break;
	case SS_YNUM_INF:
		ss_yerror(L->y, v, "default '%s' is YAML's infinity, which "
		    "databases spell differently: write { sql: \"'%sInfinity'\" "
		    "} for PostgreSQL or { sql: \"%s9e999\" } for SQLite, or "
		    "quote it for the text", s, *s == '-' ? "-" : "",
		    *s == '-' ? "-" : "");
		break;
	case SS_YNUM_NAN:
		ss_yerror(L->y, v, "default '%s' is YAML's not-a-number, which "
		    "databases spell differently: write { sql: \"'NaN'\" } for "
		    "PostgreSQL, or quote it for the text", s);
		break;
	case SS_YNUM_YAML11:
		ss_ynumber_decimal(s, &b);
		ss_yerror(L->y, v, "default '%s' is %s in YAML 1.1 but text in "
		    "YAML 1.2: write %s, or quote it for the text", s, b.s, b.s);
		break;
	}
	ss_buf_release(&b);
}

static void
column_default(struct loader *L, struct ss_column *c, struct ss_ynode *v)
{
	struct ss_ypairs pairs = { NULL, 0, 0 };
	const char *s;
	bool b;
	size_t i;

	c->default_loc = ss_pos_of(loc_of(L, v));
	if (v->type == SS_YSCALAR) {
		s = v->s;
		if (ss_yis_null(v))
			c->def.kind = SS_DEFAULT_NULL;
		else if (ss_yis_plain(v) && ss_yscalar_is_bool(s, &b)) {
			c->def.kind = SS_DEFAULT_BOOL;
			c->def.value = b ? "true" : "false";
		} else if (ss_yis_plain(v) && ss_yscalar_is_number(s))
			number_default(L, c, v, s);
		else {
			c->def.kind = SS_DEFAULT_STRING;
			c->def.value = ss_arena_strdup(&L->s->arena, s);
		}
		return;
	}
	if (v->type != SS_YMAPPING) {
		ss_yerror(L->y, v, "expected a value or { sql: EXPRESSION } "
		    "for 'default', got %s", ss_ykind(v));
		return;
	}
	ss_ymap(L->y, v, &pairs);
	for (i = 0; i < pairs.n; i++) {
		if (KEY(DEFAULT, pairs.v[i].key) != SS_KEY_DEFAULT_SQL) {
			unknown_key(L, &pairs.v[i], "default", SS_KCTX_DEFAULT);
			continue;
		}
		if ((s = str(L, pairs.v[i].value, "sql")) != NULL) {
			struct ss_loc l = loc_of(L, pairs.v[i].value);
			c->def.kind = SS_DEFAULT_SQL;
			c->def.value = verbatim(L, &l, s, ss_arena_printf(
			    &L->s->arena, "default of column '%s'", c->name));
			if (c->def.value == NULL)
				c->def.value = "NULL";	/* reported */
		}
	}
	if (c->def.kind != SS_DEFAULT_SQL && pairs.n == 0)
		ss_yerror(L->y, v, "expected { sql: EXPRESSION } for 'default'");
	ss_ypairs_release(&pairs);
}

/*
 * `generated: { sql: EXPR, stored: BOOL }`: a generated column, its
 * expression verbatim SQL (one expression, as a {sql:} default is);
 * VIRTUAL unless `stored: true`.
 */
static void
column_generated(struct loader *L, struct ss_column *c, struct ss_ynode *v)
{
	struct ss_ypairs pairs = { NULL, 0, 0 };
	const char *s;
	struct ss_loc l;
	bool b, have_sql = false;
	size_t i;

	if (v->type != SS_YMAPPING) {
		ss_yerror(L->y, v, "expected { sql: EXPRESSION, stored: "
		    "true|false } for 'generated', got %s", ss_ykind(v));
		return;
	}
	ss_ymap(L->y, v, &pairs);
	for (i = 0; i < pairs.n; i++) {
		struct ss_ynode *val = pairs.v[i].value;
		enum ss_skey key = KEY(GENERATED, pairs.v[i].key);
		if (key == SS_KEY_GENERATED_SQL) {
			have_sql = true;
			if ((s = str(L, val, "sql")) == NULL)
				continue;
			l = loc_of(L, val);
			c->generated = verbatim(L, &l, s, ss_arena_printf(
			    &L->s->arena, "generation expression of column "
			    "'%s'", c->name));
			if (c->generated == NULL)
				c->generated = "NULL";	/* reported */
		} else if (key == SS_KEY_GENERATED_STORED) {
			if (ss_ybool(L->y, val, "stored", &b) == 0)
				c->stored = b;
		} else
			unknown_key(L, &pairs.v[i], "generated",
			    SS_KCTX_GENERATED);
	}
	if (!have_sql)
		ss_yerror(L->y, v, "'generated' needs 'sql', the expression");
	ss_ypairs_release(&pairs);
}

static void
column_type(struct loader *L, struct ss_column *c, struct ss_ynode *v)
{
	struct ss_buf why = SS_BUF_INIT;
	const char *s;

	c->type_loc = ss_pos_of(loc_of(L, v));
	if ((s = str(L, v, "type")) == NULL)
		goto out;
	if (ss_type_parse(L->s, s, &c->type, &why) < 0) {
		/* `{ type: numeric(10,2) }`: YAML ends the value at ','. */
		if (ss_yis_plain(v) && strchr(s, '(') != NULL &&
		    strchr(s, ')') == NULL)
			ss_buf_adds(&why, " (inside { } a ',' ends the value: "
			    "put the type in quotes)");
		ss_yerror(L->y, v, "%s", why.s);
	}
out:
	ss_buf_release(&why);
}

static void
column(struct loader *L, struct ss_table *t, struct ss_ypair *cp)
{
	struct ss_ypairs pairs = L->colpairs;
	struct ss_ynode *v = cp->value, *refs = NULL, *ondel = NULL, *onupd = NULL;
	struct ss_column *c;
	struct ss_fk *fk;
	const char *s, *dot, *k;
	enum ss_skey key;
	struct ss_loc l;
	bool b, have_type = false;
	size_t i, ci;

	if (ss_table_column(t, cp->key) != NULL)
		return;		/* ss_ymap reported the duplicate key */
	if (empty_name(L, cp, "column"))
		return;
	ci = t->ncolumns;
	c = ss_table_add_column(L->s, t, cp->key);
	c->loc = loc_of(L, cp->knode);

	if (v->type == SS_YSCALAR) {
		if (ss_yis_null(v)) {
			ss_yerror(L->y, cp->knode, "column '%s' has no 'type'",
			    cp->key);
			return;
		}
		column_type(L, c, v);
		return;
	}
	if (v->type != SS_YMAPPING) {
		ss_yerror(L->y, v, "expected a type or a mapping for column "
		    "'%s', got %s", cp->key, ss_ykind(v));
		return;
	}
	ss_ymap(L->y, v, &pairs);
	for (i = 0; i < pairs.n; i++) {
		k = pairs.v[i].key;
		v = pairs.v[i].value;
		key = KEY(COLUMN, k);
		if (key == SS_KEY_COLUMN_TYPE) {
			column_type(L, c, v);
			have_type = true;
		} else if (key == SS_KEY_COLUMN_NULLABLE) {
			if (ss_ybool(L->y, v, k, &b) == 0) {
				c->nullable = b;
				if (b) {
					/* Checked once the primary key is known. */
					l = loc_of(L, v);
					add_pending(L, P_NULLABLE, t, ci, &l);
				}
			}
		} else if (key == SS_KEY_COLUMN_DEFAULT)
			column_default(L, c, v);
		else if (key == SS_KEY_COLUMN_PRIMARY_KEY) {
			if (ss_ybool(L->y, v, k, &b) == 0)
				c->primary_key = b;
		} else if (key == SS_KEY_COLUMN_AUTOINCREMENT) {
			if (autoincrement(L, c, v) == 0 && c->autoincrement) {
				l = loc_of(L, pairs.v[i].knode);
				c->autoincrement_loc = ss_pos_of(l);
				add_pending(L, P_AUTOINCREMENT, t, ci, &l);
			}
		} else if (key == SS_KEY_COLUMN_UNIQUE) {
			if (ss_ybool(L->y, v, k, &b) == 0)
				c->unique = b;
		} else if (key == SS_KEY_COLUMN_REFERENCES)
			refs = v;
		else if (key == SS_KEY_COLUMN_ON_DELETE)
			ondel = v;
		else if (key == SS_KEY_COLUMN_ON_UPDATE)
			onupd = v;
		else if (key == SS_KEY_COLUMN_RENAMED_FROM) {
			if ((s = str(L, v, k)) != NULL) {
				c->renamed_from = ss_arena_strdup(&L->s->arena, s);
				l = loc_of(L, v);
				c->renamed_loc = ss_pos_of(l);
				add_pending(L, P_COLUMN_RENAME, t, ci, &l);
			}
		} else if (key == SS_KEY_COLUMN_COMMENT) {
			if ((s = ss_ystr(L->y, v, k)) != NULL)
				c->comment = ss_arena_strdup(&L->s->arena, s);
		} else if (key == SS_KEY_COLUMN_GENERATED) {
			c->generated_loc = ss_pos_of(loc_of(L,
			    pairs.v[i].knode));
			column_generated(L, c, v);
		} else if (key == SS_KEY_COLUMN_COLLATION) {
			if ((s = str(L, v, k)) != NULL) {
				c->collation = ss_arena_strdup(&L->s->arena, s);
				c->collation_loc = ss_pos_of(loc_of(L, v));
			}
		} else
			unknown_key(L, &pairs.v[i], "column", SS_KCTX_COLUMN);
	}
	if (!have_type)
		ss_yerror(L->y, cp->knode, "column '%s' has no 'type'", cp->key);
	/* A generated column's values come from its expression alone. */
	if (c->generated != NULL && c->def.kind != SS_DEFAULT_NONE)
		error_at(L, ss_column_loc(c, c->generated_loc, &l),
		    "generated column '%s' cannot have a 'default'", c->name);
	if (c->generated != NULL && c->autoincrement)
		error_at(L, ss_column_loc(c, c->generated_loc, &l),
		    "generated column '%s' cannot be 'autoincrement'", c->name);
	if (c->unique) {
		struct ss_key *u = ss_table_add_unique(L->s, t);
		u->loc = c->loc;
		ss_names_add(L->s, &u->columns, c->name, &c->loc);
	}
	if (refs != NULL) {
		if ((s = str(L, refs, "references")) == NULL)
			goto out;
		fk = ss_table_add_fk(L->s, t);
		fk->loc = loc_of(L, refs);
		fk->from_column = true;
		ss_names_add(L->s, &fk->columns, c->name, &c->loc);
		/* "users.id"; a bare "users" means users' primary key. */
		if ((dot = strchr(s, '.')) != NULL) {
			if (dot == s || dot[1] == '\0') {
				ss_yerror(L->y, refs, "expected 'table.column' "
				    "for 'references', got '%s'", s);
				fk->ref_table = "";
				goto out;
			}
			fk->ref_table = ss_arena_strndup(&L->s->arena, s,
			    (size_t)(dot - s));
			ss_names_add(L->s, &fk->ref_columns, dot + 1, &fk->loc);
		} else
			fk->ref_table = ss_arena_strdup(&L->s->arena, s);
		if (ondel != NULL)
			fk_action(L, ondel, "on_delete", &fk->on_delete);
		if (onupd != NULL)
			fk_action(L, onupd, "on_update", &fk->on_update);
	} else {
		if (ondel != NULL)
			ss_yerror(L->y, ondel, "'on_delete' needs 'references' "
			    "on column '%s'", c->name);
		if (onupd != NULL)
			ss_yerror(L->y, onupd, "'on_update' needs 'references' "
			    "on column '%s'", c->name);
	}
out:
	L->colpairs = pairs;
}

/*
 * indexes / foreign_keys may be a mapping (name -> definition) or a list
 * of definitions whose names are generated. Calls fn for each.
 */
typedef void (*item_fn)(struct loader *, struct ss_table *, const char *name,
    const struct ss_loc *loc, struct ss_ynode *def);

static void
named_items(struct loader *L, struct ss_table *t, struct ss_ynode *v,
    const char *what, item_fn fn)
{
	struct ss_ypairs pairs = { NULL, 0, 0 };
	struct ss_ynode **it;
	struct ss_ynode *item;
	struct ss_loc l;
	size_t i;

	if (v->type == SS_YMAPPING) {
		ss_ymap(L->y, v, &pairs);
		for (i = 0; i < pairs.n; i++) {
			if (empty_name(L, &pairs.v[i], strcmp(what, "indexes")
			    == 0 ? "index" : "foreign key"))
				continue;
			l = loc_of(L, pairs.v[i].knode);
			fn(L, t, pairs.v[i].key, &l, pairs.v[i].value);
		}
		ss_ypairs_release(&pairs);
	} else if (v->type == SS_YSEQUENCE) {
		for (it = v->items;
		    it < v->items + v->n; it++) {
			item = *it;
			l = loc_of(L, item);
			fn(L, t, NULL, &l, item);
		}
	} else if (!ss_yis_null(v))
		ss_yerror(L->y, v, "expected a mapping of names to "
		    "definitions for '%s', got %s", what, ss_ykind(v));
}

/*
 * Index methods and options. A name the SQL takes unquoted (an index
 * method, an operator class, optionally schema-qualified): letters,
 * digits, '_' and '$', not starting with a digit. Returns it in lower
 * case (the database folds it), or NULL after reporting.
 */
static const char *
sql_word(struct loader *L, struct ss_ynode *v, const char *k, bool dotted)
{
	const char *s = str(L, v, k);
	char *r;
	size_t i;
	bool start = true;

	if (s == NULL)
		return NULL;
	for (i = 0; s[i] != '\0'; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '.' && dotted && !start && s[i + 1] != '\0') {
			start = true;
			continue;
		}
		if (!(isalpha(ch) || ch == '_' || ch >= 0x80 ||
		    (!start && (isdigit(ch) || ch == '$'))))
			break;
		start = false;
	}
	if (s[i] != '\0') {
		ss_yerror(L->y, v, "'%s' of an index must be a name, got '%s'",
		    k, excerpt(L, s));
		return NULL;
	}
	r = ss_arena_strdup(&L->s->arena, s);
	for (i = 0; r[i]; i++)
		r[i] = (char)tolower((unsigned char)r[i]);
	return r;
}

/*
 * The operator class written after an entry ("name text_pattern_ops",
 * "lower(x) text_pattern_ops"): split off *text (its length in *n) when
 * the entry is a name or ends in ')' before it. Returns it, or NULL.
 */
static const char *
entry_opclass(struct loader *L, const char *text, size_t *n)
{
	size_t w = *n, e, i;
	char *r;

	while (w > 0 && (isalnum((unsigned char)text[w - 1]) ||
	    text[w - 1] == '_' || text[w - 1] == '.' || text[w - 1] == '$' ||
	    (unsigned char)text[w - 1] >= 0x80))
		w--;
	if (w == *n || w == 0 || !isspace((unsigned char)text[w - 1]) ||
	    isdigit((unsigned char)text[w]) || text[w] == '.' ||
	    text[*n - 1] == '.')
		return NULL;
	for (e = w; e > 0 && isspace((unsigned char)text[e - 1]); e--)
		;
	if (e == 0)
		return NULL;
	if (text[e - 1] != ')') {
		for (i = 0; i < e; i++)
			if (!(isalnum((unsigned char)text[i]) || text[i] == '_' ||
			    (unsigned char)text[i] >= 0x80))
				return NULL;
		if (isdigit((unsigned char)text[0]))
			return NULL;
	}
	r = ss_arena_strndup(&L->s->arena, text + w, *n - w);
	for (i = 0; r[i]; i++)
		r[i] = (char)tolower((unsigned char)r[i]);
	*n = e;
	return r;
}

/*
 * One entry of an index's columns: a string ("email", "lower(email)",
 * "created_at DESC NULLS LAST", "name text_pattern_ops") or a mapping
 * { column: …, opclass: …, order: asc|desc, nulls: first|last }. Adds
 * its column or expression to ix->columns and its options to *key.
 */
static int
index_entry(struct loader *L, struct ss_ynode *item, struct ss_index *ix,
    struct ss_index_key *key)
{
	struct ss_ypairs pairs = { NULL, 0, 0 };
	struct ss_ynode *colv = NULL;
	const char *s, *text = NULL;
	struct ss_loc l = loc_of(L, item);
	size_t i;
	int rc = 0;

	memset(key, 0, sizeof *key);
	if (item->type == SS_YMAPPING) {
		ss_ymap(L->y, item, &pairs);
		for (i = 0; i < pairs.n; i++) {
			const char *k = pairs.v[i].key;
			struct ss_ynode *v = pairs.v[i].value;
			switch (KEY(ENTRY, k)) {
			case SS_KEY_ENTRY_COLUMN:
				colv = v;
				break;
			case SS_KEY_ENTRY_OPCLASS:
				if ((s = sql_word(L, v, k, true)) == NULL)
					rc = -1;
				key->opclass = s;
				break;
			case SS_KEY_ENTRY_ORDER:
				if ((s = str(L, v, k)) == NULL)
					rc = -1;
				else if (strcasecmp(s, "desc") == 0)
					key->desc = true;
				else if (strcasecmp(s, "asc") != 0) {
					ss_yerror(L->y, v, "'order' must be asc or "
					    "desc, got '%s'", excerpt(L, s));
					rc = -1;
				}
				break;
			case SS_KEY_ENTRY_NULLS:
				if ((s = str(L, v, k)) == NULL)
					rc = -1;
				else if (strcasecmp(s, "first") == 0)
					key->nulls = SS_NULLS_FIRST;
				else if (strcasecmp(s, "last") == 0)
					key->nulls = SS_NULLS_LAST;
				else {
					ss_yerror(L->y, v, "'nulls' must be first or "
					    "last, got '%s'", excerpt(L, s));
					rc = -1;
				}
				break;
			default:
				unknown_key(L, &pairs.v[i], "index entry",
				    SS_KCTX_ENTRY);
				rc = -1;
				break;
			}
		}
		if (colv == NULL) {
			ss_yerror(L->y, item, "an index entry written as a "
			    "mapping needs 'column'");
			rc = -1;
		} else if ((text = str(L, colv, "column")) == NULL)
			rc = -1;
		else
			l = loc_of(L, colv);
		ss_ypairs_release(&pairs);
		if (rc < 0)
			return rc;
		/* A mapping's column is taken as written (entry_options()). */
		key->as_written = true;
	} else if ((text = str(L, item, "columns")) == NULL)
		return -1;
	for (i = 0; i < ix->columns.n; i++) {
		if (strcmp(ix->columns.v[i].name, text) == 0) {
			ss_yerror(L->y, item, "'%s' is listed twice in "
			    "'columns'", excerpt(L, text));
			return -1;
		}
	}
	ss_names_add(L->s, &ix->columns, text, &l);
	return 0;
}

/* An index's columns: one entry, or a non-empty list of them. */
static void
index_entries(struct loader *L, struct ss_ynode *v, struct ss_index *ix)
{
	struct ss_index_key *keys = NULL, key;
	size_t nkeys = 0, akeys = 0, i;
	struct ss_ynode **it;
	bool plain = true;

	if (v->type == SS_YSEQUENCE) {
		if (v->n == 0) {
			ss_yerror(L->y, v, "'columns' must name at least one "
			    "column");
			return;
		}
		for (it = v->items;
		    it < v->items + v->n; it++) {
			if (index_entry(L, *it, ix, &key) < 0)
				return;
			*SS_ARENA_PUSH(&L->s->arena, keys, nkeys, akeys) = key;
			plain = plain && !key.as_written;
		}
	} else if ((v->type == SS_YSCALAR && !ss_yis_null(v)) ||
	    v->type == SS_YMAPPING) {
		if (index_entry(L, v, ix, &key) < 0)
			return;
		*SS_ARENA_PUSH(&L->s->arena, keys, nkeys, akeys) = key;
		plain = !key.as_written;
	} else {
		ss_yerror(L->y, v, "expected a list of column names for "
		    "'columns'");
		return;
	}
	if (plain)
		return;
	for (i = 0; i < nkeys; i++)
		*ss_index_key_set(L->s, ix, i) = keys[i];
}

static void
index_item(struct loader *L, struct ss_table *t, const char *name,
    const struct ss_loc *loc, struct ss_ynode *def)
{
	struct ss_ypairs pairs = { NULL, 0, 0 };
	struct ss_index tmp, *ix = &tmp;
	struct ss_key *u;
	const char *s;
	bool b, have_columns = false, constraint = false, deferrable = false,
	    deferred = false;
	struct ss_ynode *knode[SS_KEY_MAX];
	size_t i;

	if (def->type != SS_YMAPPING) {
		ss_yerror(L->y, def, "expected { columns: [...] } for an "
		    "index, got %s", ss_ykind(def));
		return;
	}
	memset(&tmp, 0, sizeof tmp);
	memset(knode, 0, sizeof knode);
	ix->name = name ? ss_arena_strdup(&L->s->arena, name) : NULL;
	ix->loc = *loc;
	ss_ymap(L->y, def, &pairs);
	for (i = 0; i < pairs.n; i++) {
		const char *k = pairs.v[i].key;
		struct ss_ynode *v = pairs.v[i].value;
		enum ss_skey key = KEY(INDEX, k);
		if (key < SS_KEY_MAX)
			knode[key] = pairs.v[i].knode;
		if (key == SS_KEY_INDEX_COLUMNS) {
			index_entries(L, v, ix);
			have_columns = true;
		} else if (key == SS_KEY_INDEX_UNIQUE) {
			if (ss_ybool(L->y, v, k, &b) == 0)
				ix->unique = b;
		} else if (key == SS_KEY_INDEX_WHERE) {
			struct ss_loc l = loc_of(L, v);
			if ((s = str(L, v, k)) != NULL)
				ix->where = verbatim(L, &l, s, name ?
				    ss_arena_printf(&L->s->arena, "'where' of "
				    "index '%s'", name) : "'where' of an index");
		} else if (key == SS_KEY_INDEX_USING) {
			if ((s = sql_word(L, v, k, false)) != NULL)
				ix->method = strcmp(s, "btree") == 0 ? NULL : s;
		} else if (key == SS_KEY_INDEX_INCLUDE) {
			names(L, v, k, &ix->include);
		} else if (key == SS_KEY_INDEX_NULLS_NOT_DISTINCT) {
			if (ss_ybool(L->y, v, k, &b) == 0)
				ix->nulls_not_distinct = b;
		} else if (key == SS_KEY_INDEX_CONSTRAINT) {
			if (ss_ybool(L->y, v, k, &b) == 0)
				constraint = b;
		} else if (key == SS_KEY_INDEX_DEFERRABLE) {
			if (ss_ybool(L->y, v, k, &b) == 0)
				deferrable = b;
		} else if (key == SS_KEY_INDEX_INITIALLY_DEFERRED) {
			if (ss_ybool(L->y, v, k, &b) == 0)
				deferred = b;
		} else
			unknown_key(L, &pairs.v[i], "index", SS_KCTX_INDEX);
	}
	ss_ypairs_release(&pairs);
	if (!have_columns) {
		error_at(L, loc, "index %s%s%shas no 'columns'",
		    name ? "'" : "", name ? name : "", name ? "' " : "");
		return;
	}
#define REFUSE(K, why) do { \
	struct ss_loc kl_ = loc_of(L, knode[SS_KEY_INDEX_##K]); \
	error_at(L, &kl_, "'%s' %s", ss_skey_name(SS_KEY_INDEX_##K), why); \
	return; \
} while (0)
	if (knode[SS_KEY_INDEX_NULLS_NOT_DISTINCT] && ix->nulls_not_distinct &&
	    !ix->unique)
		REFUSE(NULLS_NOT_DISTINCT, "needs 'unique: true'");
	if (knode[SS_KEY_INDEX_CONSTRAINT] && constraint && !ix->unique)
		REFUSE(CONSTRAINT, "needs 'unique: true'");
	if (knode[SS_KEY_INDEX_DEFERRABLE] && deferrable && !constraint)
		REFUSE(DEFERRABLE, "needs 'constraint: true' (an index "
		    "cannot be deferred)");
	if (knode[SS_KEY_INDEX_INITIALLY_DEFERRED] && deferred && !deferrable)
		REFUSE(INITIALLY_DEFERRED, "needs 'deferrable: true'");
	if (!constraint) {
		*ss_table_add_index(L->s, t) = tmp;
		return;
	}
	/* A unique constraint: plain columns, the default method. */
	if (knode[SS_KEY_INDEX_WHERE] && ix->where != NULL)
		REFUSE(WHERE, "cannot go with 'constraint: true': a unique "
		    "constraint is never partial (leave 'constraint' out for "
		    "a partial unique index)");
	if (knode[SS_KEY_INDEX_USING] && ix->method != NULL)
		REFUSE(USING, "cannot go with 'constraint: true': a unique "
		    "constraint is a btree index");
	for (i = 0; i < ix->columns.n; i++)
		if (!ss_index_key_plain(ix, i) ||
		    strpbrk(ix->columns.v[i].name, " \t\n") != NULL) {
			error_at(L, &ix->columns.v[i].loc, "index entry '%s' "
			    "of a unique constraint cannot have an order or "
			    "an operator class", excerpt(L,
			    ix->columns.v[i].name));
			return;
		}
#undef REFUSE
	u = ss_table_add_unique(L->s, t);
	u->name = ix->name;
	u->columns = ix->columns;
	u->loc = *loc;
	u->include = ix->include;
	u->nulls_not_distinct = ix->nulls_not_distinct;
	u->deferrable = deferrable;
	u->initially_deferred = deferred;
}

static void
fk_references(struct loader *L, struct ss_fk *fk, struct ss_ynode *v)
{
	struct ss_ypairs pairs = { NULL, 0, 0 };
	const char *s;
	size_t i;

	if (v->type != SS_YMAPPING) {
		ss_yerror(L->y, v, "expected { table: T, columns: [...] } for "
		    "'references', got %s", ss_ykind(v));
		return;
	}
	ss_ymap(L->y, v, &pairs);
	for (i = 0; i < pairs.n; i++) {
		const char *k = pairs.v[i].key;
		enum ss_skey key = KEY(REF, k);
		if (key == SS_KEY_REF_TABLE) {
			if ((s = str(L, pairs.v[i].value, k)) != NULL)
				fk->ref_table = ss_arena_strdup(&L->s->arena, s);
		} else if (key == SS_KEY_REF_COLUMNS)
			names(L, pairs.v[i].value, k, &fk->ref_columns);
		else
			unknown_key(L, &pairs.v[i], "references", SS_KCTX_REF);
	}
	if (fk->ref_table == NULL)
		ss_yerror(L->y, v, "'references' has no 'table'");
	ss_ypairs_release(&pairs);
}

/* `match: full | simple` (MATCH SIMPLE is the default, not kept). */
static void
fk_match(struct loader *L, struct ss_fk *fk, const struct ss_ypair *p)
{
	const char *s = str(L, p->value, p->key);

	if (s == NULL)
		return;
	if (ss_streq_icase(s, "full"))
		fk->match_full = true;
	else if (ss_streq_icase(s, "simple"))
		fk->match_full = false;
	else {
		ss_yerror(L->y, p->value, "unknown match type '%s' for "
		    "'match' (expected full or simple)", s);
		return;
	}
	fk->match_loc = loc_of(L, p->knode);
}

static void
fk_item(struct loader *L, struct ss_table *t, const char *name,
    const struct ss_loc *loc, struct ss_ynode *def)
{
	struct ss_ypairs pairs = { NULL, 0, 0 };
	struct ss_fk *fk;
	struct ss_loc deferred_loc = { NULL, 0, 0 };
	bool b, deferrable_set = false;
	size_t i;

	if (def->type != SS_YMAPPING) {
		ss_yerror(L->y, def, "expected { columns: [...], references: "
		    "{...} } for a foreign key, got %s", ss_ykind(def));
		return;
	}
	fk = ss_table_add_fk(L->s, t);
	fk->name = name ? ss_arena_strdup(&L->s->arena, name) : NULL;
	fk->loc = *loc;
	ss_ymap(L->y, def, &pairs);
	for (i = 0; i < pairs.n; i++) {
		const char *k = pairs.v[i].key;
		struct ss_ynode *v = pairs.v[i].value;
		enum ss_skey key = KEY(FK, k);
		if (key == SS_KEY_FK_COLUMNS)
			names(L, v, k, &fk->columns);
		else if (key == SS_KEY_FK_REFERENCES)
			fk_references(L, fk, v);
		else if (key == SS_KEY_FK_ON_DELETE)
			fk_action(L, v, k, &fk->on_delete);
		else if (key == SS_KEY_FK_ON_UPDATE)
			fk_action(L, v, k, &fk->on_update);
		else if (key == SS_KEY_FK_DEFERRABLE) {
			if (ss_ybool(L->y, v, k, &b) == 0) {
				fk->deferrable = b;
				deferrable_set = true;
			}
		} else if (key == SS_KEY_FK_INITIALLY_DEFERRED) {
			if (ss_ybool(L->y, v, k, &b) == 0)
				fk->initially_deferred = b;
			deferred_loc = loc_of(L, pairs.v[i].knode);
		} else if (key == SS_KEY_FK_MATCH)
			fk_match(L, fk, &pairs.v[i]);
		else
			unknown_key(L, &pairs.v[i], "foreign key", SS_KCTX_FK);
	}
	/* INITIALLY DEFERRED makes a key deferrable, as in PostgreSQL and
	 * SQLite; saying it is not is a contradiction. */
	if (fk->initially_deferred) {
		if (deferrable_set && !fk->deferrable)
			error_at(L, &deferred_loc, "'initially_deferred: true' "
			    "needs a deferrable foreign key, but 'deferrable' "
			    "is false");
		fk->deferrable = true;
	}
	if (fk->columns.n == 0)
		error_at(L, loc, "foreign key has no 'columns'");
	if (fk->ref_table == NULL) {
		error_at(L, loc, "foreign key has no 'references'");
		fk->ref_table = "";
	}
	ss_ypairs_release(&pairs);
}

/*
 * A check's long form, { sql: EXPR, no_inherit: true }: the sql node,
 * or NULL (reported) when there is none.
 */
static struct ss_ynode *
check_long(struct loader *L, const struct ss_ypair *cp, bool *no_inherit,
    struct ss_loc *ni_loc)
{
	struct ss_ypairs pairs = { NULL, 0, 0 };
	struct ss_ynode *sql = NULL;
	size_t i;
	bool b;

	ss_ymap(L->y, cp->value, &pairs);
	for (i = 0; i < pairs.n; i++) {
		enum ss_skey key = KEY(CHECK, pairs.v[i].key);
		if (key == SS_KEY_CHECK_SQL)
			sql = pairs.v[i].value;
		else if (key == SS_KEY_CHECK_NO_INHERIT) {
			if (ss_ybool(L->y, pairs.v[i].value, pairs.v[i].key,
			    &b) == 0)
				*no_inherit = b;
			*ni_loc = loc_of(L, pairs.v[i].knode);
		} else
			unknown_key(L, &pairs.v[i], "check", SS_KCTX_CHECK);
	}
	if (sql == NULL)
		ss_yerror(L->y, cp->knode, "check '%s' has no 'sql'", cp->key);
	ss_ypairs_release(&pairs);
	return sql;
}

static void
checks(struct loader *L, struct ss_table *t, struct ss_ynode *v)
{
	struct ss_ypairs pairs = { NULL, 0, 0 };
	struct ss_check *ck;
	const char *s;
	size_t i;

	if (v->type != SS_YMAPPING) {
		if (!ss_yis_null(v))
			ss_yerror(L->y, v, "expected a mapping of names to SQL "
			    "expressions for 'checks', got %s", ss_ykind(v));
		return;
	}
	ss_ymap(L->y, v, &pairs);
	for (i = 0; i < pairs.n; i++) {
		struct ss_ynode *ev = pairs.v[i].value;
		bool no_inherit = false;
		struct ss_loc ni_loc = { NULL, 0, 0 };
		if (empty_name(L, &pairs.v[i], "check"))
			continue;
		if (ev->type == SS_YMAPPING &&
		    (ev = check_long(L, &pairs.v[i], &no_inherit,
		    &ni_loc)) == NULL)
			continue;
		if ((s = str(L, ev, pairs.v[i].key)) == NULL)
			continue;
		ck = ss_table_add_check(L->s, t);
		ck->name = ss_arena_strdup(&L->s->arena, pairs.v[i].key);
		ck->no_inherit = no_inherit;
		ck->no_inherit_loc = ni_loc;
		ck->loc = loc_of(L, ev);
		ck->expr = verbatim(L, &ck->loc, s, ss_arena_printf(
		    &L->s->arena, "check '%s'", ck->name));
		if (ck->expr == NULL)
			ck->expr = "true";	/* reported */
		ck->loc = loc_of(L, pairs.v[i].knode);	/* the name's place */
	}
	ss_ypairs_release(&pairs);
}

static void
table(struct loader *L, struct ss_ypair *tp)
{
	struct ss_ypairs pairs = { NULL, 0, 0 }, cols = { NULL, 0, 0 };
	struct ss_ynode *v = tp->value;
	struct ss_table *t;
	struct ss_loc *first, l;
	const char *s;
	size_t i, j;
	bool b;

	if (empty_name(L, tp, "table"))
		return;
	l = loc_of(L, tp->knode);
	t = ss_schema_add_table(L->s, tp->key);
	if (t == NULL) {
		first = ss_map_get(&L->tloc, tp->key);
		error_at(L, &l, "table '%s' is defined twice (first at "
		    "%s:%d:%d)", tp->key, first->file, first->line, first->col);
		return;
	}
	t->loc = l;
	first = ss_arena_alloc(&L->scratch, sizeof *first);
	*first = l;
	ss_map_put(&L->tloc, t->name, first);
	if (ss_schema_enum(L->s, tp->key) != NULL) {
		struct ss_enum *e = ss_schema_enum(L->s, tp->key);
		error_at(L, &l, "table '%s' has the name of an enum (at "
		    "%s:%d:%d)", tp->key, e->loc.file, e->loc.line, e->loc.col);
	}
	if (v->type != SS_YMAPPING) {
		ss_yerror(L->y, v->type == SS_YSCALAR ? tp->knode : v,
		    "expected a mapping with 'columns' for table '%s', got %s",
		    tp->key, ss_ykind(v));
		return;
	}
	ss_ymap(L->y, v, &pairs);
	for (i = 0; i < pairs.n; i++) {
		const char *k = pairs.v[i].key;
		struct ss_ynode *pv = pairs.v[i].value;
		enum ss_skey key = KEY(TABLE, k);
		if (key == SS_KEY_TABLE_COLUMNS) {
			if (pv->type != SS_YMAPPING) {
				ss_yerror(L->y, pv, "expected a mapping of "
				    "column names for 'columns', got %s",
				    ss_ykind(pv));
				continue;
			}
			ss_ymap(L->y, pv, &cols);
			ss_table_reserve_columns(L->s, t, t->ncolumns + cols.n);
			for (j = 0; j < cols.n; j++)
				column(L, t, &cols.v[j]);
		} else if (key == SS_KEY_TABLE_PRIMARY_KEY) {
			t->pk = ss_arena_alloc(&L->s->arena, sizeof *t->pk);
			t->pk->loc = loc_of(L, pairs.v[i].knode);
			add_pending(L, P_TABLE_PK, t, 0, &t->pk->loc);
			names(L, pv, k, &t->pk->columns);
		} else if (key == SS_KEY_TABLE_INDEXES)
			named_items(L, t, pv, k, index_item);
		else if (key == SS_KEY_TABLE_FOREIGN_KEYS)
			named_items(L, t, pv, k, fk_item);
		else if (key == SS_KEY_TABLE_CHECKS)
			checks(L, t, pv);
		else if (key == SS_KEY_TABLE_RENAMED_FROM) {
			if ((s = str(L, pv, k)) != NULL) {
				t->renamed_from = ss_arena_strdup(&L->s->arena, s);
				l = t->renamed_loc = loc_of(L, pv);
				add_pending(L, P_TABLE_RENAME, t, 0, &l);
			}
		} else if (key == SS_KEY_TABLE_COMMENT) {
			if ((s = ss_ystr(L->y, pv, k)) != NULL)
				t->comment = ss_arena_strdup(&L->s->arena, s);
		} else if (key == SS_KEY_TABLE_STRICT) {
			if (ss_ybool(L->y, pv, k, &b) == 0)
				t->strict = b;
			t->strict_loc = loc_of(L, pairs.v[i].knode);
		} else if (key == SS_KEY_TABLE_WITHOUT_ROWID) {
			if (ss_ybool(L->y, pv, k, &b) == 0)
				t->without_rowid = b;
			t->without_rowid_loc = loc_of(L, pairs.v[i].knode);
		} else
			unknown_key(L, &pairs.v[i], "table", SS_KCTX_TABLE);
	}
	if (t->ncolumns == 0 && cols.n == 0)
		ss_yerror(L->y, tp->knode, "table '%s' has no columns", t->name);
	ss_ypairs_release(&cols);
	ss_ypairs_release(&pairs);
}

static void
enum_def(struct loader *L, struct ss_ypair *ep)
{
	struct ss_ynode *v = ep->value, *item;
	struct ss_ynode **it;
	struct ss_enum *e;
	struct ss_table *t;
	struct ss_loc l;
	const char *s;

	if (empty_name(L, ep, "enum"))
		return;
	l = loc_of(L, ep->knode);
	e = ss_schema_add_enum(L->s, ep->key);
	if (e == NULL) {
		e = ss_schema_enum(L->s, ep->key);
		error_at(L, &l, "enum '%s' is defined twice (first at "
		    "%s:%d:%d)", ep->key, e->loc.file, e->loc.line, e->loc.col);
		return;
	}
	e->loc = l;
	if ((t = ss_schema_table(L->s, ep->key)) != NULL)
		error_at(L, &l, "enum '%s' has the name of a table (at "
		    "%s:%d:%d)", ep->key, t->loc.file, t->loc.line, t->loc.col);
	if (v->type != SS_YSEQUENCE) {
		ss_yerror(L->y, v->type == SS_YSCALAR ? ep->knode : v,
		    "expected a list of values for enum '%s'", ep->key);
		return;
	}
	if (v->n == 0) {
		ss_yerror(L->y, v, "enum '%s' has no values", ep->key);
		return;
	}
	for (it = v->items; it < v->items + v->n;
	    it++) {
		item = *it;
		if ((s = str(L, item, "enum value")) == NULL)
			continue;
		if (ss_names_has(&e->values, s)) {
			ss_yerror(L->y, item, "value '%s' is listed twice in "
			    "enum '%s'", s, e->name);
			continue;
		}
		l = loc_of(L, item);
		ss_names_add(L->s, &e->values, s, &l);
	}
}

/* Declared views. */

/*
 * A view's SQL is written after CREATE VIEW "name" AS, so it must be
 * one query and nothing more: a trailing ';' (and white space) is
 * dropped, then the rest must be one balanced fragment for every
 * reading (no ';' outside quotes and comments: no second statement)
 * whose first word, past opening parentheses, is SELECT, WITH or
 * VALUES. Returns the text to keep (a -- comment ends with a newline,
 * as verbatim() keeps it), or NULL after reporting it.
 */
static const char *
view_sql(struct loader *L, const struct ss_loc *loc, const char *s,
    const char *view)
{
	struct ss_buf why = SS_BUF_INIT, text = SS_BUF_INIT;
	struct ss_sqlfrag f;
	struct ss_sqllex lx;
	struct ss_sqltok t;
	const char *r = NULL;
	size_t len = strlen(s);

	while (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL)
		len--;
	if (len > 0 && s[len - 1] == ';')
		len--;
	ss_buf_add(&text, s, len);
	if (ss_sql_check_expr(text.s, text.len, SS_SQLREAD_ALL, &f, &why) < 0) {
		error_at(L, loc, "view '%s' is not one SELECT statement: %s",
		    view, why.s);
		goto out;
	}
	ss_sqllex_init(&lx, text.s, text.len);
	do
		ss_sqllex_next(&lx, &t);
	while (ss_sqltok_is(&t, "("));
	if (!ss_sqltok_is(&t, "SELECT") && !ss_sqltok_is(&t, "WITH") &&
	    !ss_sqltok_is(&t, "VALUES")) {
		error_at(L, loc, "view '%s' is not one SELECT statement: it "
		    "starts with '%.*s', not SELECT, WITH or VALUES", view,
		    (int)(t.len > 20 ? 20 : t.len), t.len ? t.p : "");
		goto out;
	}
	if (f.line_comment)
		ss_buf_addc(&text, '\n');
	r = ss_arena_strdup(&L->s->arena, text.s);
out:
	ss_buf_release(&why);
	ss_buf_release(&text);
	return r;
}

static void
view_def(struct loader *L, struct ss_ypair *vp)
{
	struct ss_ypairs pairs = { NULL, 0, 0 };
	struct ss_ynode *v = vp->value, *sqln = NULL;
	struct ss_view *w;
	struct ss_loc l;
	const char *s;
	bool b;
	size_t i;

	if (empty_name(L, vp, "view"))
		return;
	l = loc_of(L, vp->knode);
	w = ss_schema_add_view(L->s, vp->key);
	if (w == NULL) {
		w = ss_schema_view(L->s, vp->key);
		error_at(L, &l, "view '%s' is defined twice (first at "
		    "%s:%d:%d)", vp->key, w->loc.file, w->loc.line, w->loc.col);
		return;
	}
	w->loc = l;
	if (v->type == SS_YSCALAR && !ss_yis_null(v))
		sqln = v;	/* the short form: the SELECT alone */
	else if (v->type == SS_YMAPPING) {
		ss_ymap(L->y, v, &pairs);
		for (i = 0; i < pairs.n; i++) {
			const char *k = pairs.v[i].key;
			struct ss_ynode *pv = pairs.v[i].value;
			enum ss_skey key = KEY(VIEW, k);
			if (key == SS_KEY_VIEW_SQL)
				sqln = pv;
			else if (key == SS_KEY_VIEW_MATERIALIZED) {
				if (ss_ybool(L->y, pv, k, &b) == 0)
					w->materialized = b;
				w->materialized_loc = loc_of(L,
				    pairs.v[i].knode);
			} else if (key == SS_KEY_VIEW_DROP) {
				if (ss_ybool(L->y, pv, k, &b) == 0)
					w->drop = b;
			} else
				unknown_key(L, &pairs.v[i], "view",
				    SS_KCTX_VIEW);
		}
	} else {
		ss_yerror(L->y, v->type == SS_YSCALAR ? vp->knode : v,
		    "expected a SELECT or a mapping with 'sql' for view '%s', "
		    "got %s", vp->key, ss_ykind(v));
		goto out;
	}
	if (w->drop) {
		if (sqln != NULL)
			ss_yerror(L->y, sqln, "view '%s' has 'drop: true' and "
			    "'sql': a view to drop takes no SQL", vp->key);
		goto out;
	}
	if (sqln == NULL) {
		error_at(L, &l, "view '%s' has no 'sql'", vp->key);
		goto out;
	}
	if ((s = str(L, sqln, "sql")) == NULL)
		goto out;
	w->sql_loc = loc_of(L, sqln);
	w->sql = view_sql(L, &w->sql_loc, s, w->name);
out:
	if (w->sql == NULL && !w->drop)
		w->sql = "SELECT 1";	/* reported */
	ss_ypairs_release(&pairs);
}

static void
document(struct loader *L, struct ss_ynode *root)
{
	struct ss_ypairs top = { NULL, 0, 0 }, items = { NULL, 0, 0 };
	struct ss_ynode *v;
	size_t i, j;

	if (ss_yis_null(root))
		return;		/* an empty document */
	if (root->type != SS_YMAPPING) {
		ss_yerror(L->y, root, "expected a mapping with 'tables' and "
		    "'enums' at the top of the file, got %s", ss_ykind(root));
		return;
	}
	ss_ymap(L->y, root, &top);
	/* Enums first, so a table in the same file can use one. */
	for (i = 0; i < top.n; i++) {
		if (KEY(FILE, top.v[i].key) != SS_KEY_FILE_ENUMS)
			continue;
		v = top.v[i].value;
		if (ss_yis_null(v))
			continue;
		if (v->type != SS_YMAPPING) {
			ss_yerror(L->y, v, "expected a mapping of enum names "
			    "for 'enums', got %s", ss_ykind(v));
			continue;
		}
		ss_ymap(L->y, v, &items);
		for (j = 0; j < items.n; j++)
			enum_def(L, &items.v[j]);
	}
	for (i = 0; i < top.n; i++) {
		const char *k = top.v[i].key;
		v = top.v[i].value;
		if (KEY(FILE, k) == SS_KEY_FILE_ENUMS || strncmp(k, "x-", 2) == 0)
			continue;
		if (KEY(FILE, k) == SS_KEY_FILE_VIEWS) {
			if (ss_yis_null(v))
				continue;
			if (v->type != SS_YMAPPING) {
				ss_yerror(L->y, v, "expected a mapping of view "
				    "names for 'views', got %s", ss_ykind(v));
				continue;
			}
			ss_ymap(L->y, v, &items);
			for (j = 0; j < items.n; j++)
				view_def(L, &items.v[j]);
			continue;
		}
		if (KEY(FILE, k) != SS_KEY_FILE_TABLES) {
			unknown_key(L, &top.v[i], "schema file", SS_KCTX_FILE);
			continue;
		}
		if (ss_yis_null(v))
			continue;
		if (v->type != SS_YMAPPING) {
			ss_yerror(L->y, v, "expected a mapping of table names "
			    "for 'tables', got %s", ss_ykind(v));
			continue;
		}
		ss_ymap(L->y, v, &items);
		for (j = 0; j < items.n; j++)
			table(L, &items.v[j]);
	}
	ss_ypairs_release(&items);
	ss_ypairs_release(&top);
}

static void
load_buffer(struct loader *L, const char *name, const char *text, size_t len)
{
	struct ss_yparser p;
	struct ss_ydoc y;
	const char *file = ss_arena_strdup(&L->s->arena, name);
	int r;

	L->s->nfiles++;
	L->file = file;
	ss_yparser_init(&p, file, text, len, L->d);
	while ((r = ss_yparser_next(&p, &y)) == 1) {
		L->y = &y;
		document(L, ss_yroot(&y));
		L->y = NULL;
		ss_ydoc_release(&y);
	}
	if (r < 0)
		L->unreadable = true;
	ss_yparser_release(&p);
}

/* Phase two. */

static bool
is_identifier(const char *s)
{
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') ||
		    (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    (unsigned char)*s >= 0x80))
			return false;
	return true;
}

static void
unknown_column(struct loader *L, struct ss_table *t, const struct ss_name *n,
    const char *what)
{
	const char *hint = ss_suggest_n(n->name, t->columns, t->ncolumns,
	    sizeof t->columns[0]);

	if (hint != NULL)
		error_at(L, &n->loc, "%s names unknown column '%s' of table "
		    "'%s' (did you mean '%s'?)", what, n->name, t->name, hint);
	else
		error_at(L, &n->loc, "%s names unknown column '%s' of table "
		    "'%s'", what, n->name, t->name);
}

/* Past the ')' that matches the '(' at p, or NULL; quotes are skipped. */
static const char *
skip_parens(const char *p, const char *end)
{
	int depth = 0;
	char quote = 0;

	for (; p < end; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"')
			quote = *p;
		else if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p + 1;
	}
	return NULL;
}

static size_t
ident_len(const char *p, const char *end)
{
	size_t n = 0;

	if (p < end && isdigit((unsigned char)*p))
		return 0;
	while (p + n < end && (p[n] == '_' || isalnum((unsigned char)p[n]) ||
	    (unsigned char)p[n] >= 0x80))
		n++;
	return n;
}

/*
 * What may follow the name in an index entry: at the top, nothing or
 * options after a space ("DESC", "NULLS LAST", "COLLATE \"C\"",
 * "text_pattern_ops"); inside parentheses, nothing or a cast ("::text").
 */
static bool
rest_ok(const char *p, const char *end, bool top)
{
	if (p == end)
		return true;
	if (!top) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		return p == end || (end - p > 2 && p[0] == ':' && p[1] == ':');
	}
	if (!isspace((unsigned char)*p))
		return false;
	for (; p < end; p++) {
		if (*p == '"') {
			while (++p < end && *p != '"')
				;
			if (p == end)
				return false;
		} else if (!isspace((unsigned char)*p) && *p != '_' &&
		    *p != '.' && !isalnum((unsigned char)*p) &&
		    (unsigned char)*p < 0x80)
			return false;
	}
	return true;
}

enum entry_kind { E_EXPR, E_COLUMN, E_FUNCTION };

/*
 * How PostgreSQL's FigureIndexColname() names an index entry, which it
 * uses to choose the index's name: a column by its name, options and
 * all ("at DESC"), a function call by the function ("lower(email)"),
 * "(x::type)" by x, and anything else not at all ("expr"). Sets *name
 * and *len to the name's bytes in [p, end).
 */
static enum entry_kind
figure_entry(const char *p, const char *end, bool top, const char **name,
    size_t *len)
{
	const char *close;
	enum entry_kind k;
	size_t n;

	while (p < end && isspace((unsigned char)*p))
		p++;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	if (p < end && *p == '(') {
		if ((close = skip_parens(p, end)) == NULL ||
		    !rest_ok(close, end, top))
			return E_EXPR;
		k = figure_entry(p + 1, close - 1, false, name, len);
		return k == E_COLUMN ? E_FUNCTION : k;	/* not checked */
	}
	if ((n = ident_len(p, end)) == 0)
		return E_EXPR;
	*name = p;
	*len = n;
	for (p += n; p < end && *p == ' '; p++)
		;
	if (p < end && *p == '(') {
		if ((close = skip_parens(p, end)) == NULL ||
		    !rest_ok(close, end, top))
			return E_EXPR;
		return E_FUNCTION;
	}
	return rest_ok(*name + n, end, top) ? E_COLUMN : E_EXPR;
}

/*
 * An index entry that is not a column is verbatim SQL. A -- comment is
 * refused there: the PostgreSQL emitter reads order words (DESC) off
 * the entry's end, where a newline would not help.
 */
static bool
entry_ok(struct loader *L, const struct ss_name *n)
{
	struct ss_buf why = SS_BUF_INIT;
	struct ss_sqlfrag f;
	bool ok = true;

	if (ss_sql_check_expr(n->name, strlen(n->name), SS_SQLREAD_ALL, &f,
	    &why) < 0) {
		error_at(L, &n->loc, "index entry '%s' is not one SQL "
		    "expression: %s", excerpt(L, n->name), why.s);
		ok = false;
	} else if (f.line_comment) {
		error_at(L, &n->loc, "index entry '%s' holds a -- comment, "
		    "which would swallow the rest of the statement",
		    excerpt(L, n->name));
		ok = false;
	}
	ss_buf_release(&why);
	return ok;
}

static void
check_columns(struct loader *L, struct ss_table *t, const struct ss_names *l,
    const char *what, bool expressions)
{
	struct ss_name n;
	const char *s;
	size_t i, len;

	for (i = 0; i < l->n; i++) {
		if (ss_table_column(t, l->v[i].name) != NULL)
			continue;
		n = l->v[i];
		if (expressions) {
			/* An expression; check the column of "at DESC". */
			s = n.name;
			if (!entry_ok(L, &n))
				continue;
			if (figure_entry(s, s + strlen(s), true, &s, &len) !=
			    E_COLUMN)
				continue;
			n.name = ss_arena_strndup(&L->s->arena, s, len);
			if (ss_table_column(t, n.name) != NULL)
				continue;
		}
		unknown_column(L, t, &n, what);
	}
}

/*
 * Index methods and options. An entry written as a string that is not
 * a column of t may end in options: "created_at DESC NULLS LAST",
 * "name text_pattern_ops", "lower(name) DESC". They are taken off the
 * text into the entry's options, once the table's columns are known
 * (a column may be called "a desc"), and only off text that is one
 * SQL expression without a -- comment (anything else is reported as
 * written).
 */
static void
entry_options(struct loader *L, struct ss_table *t, struct ss_index *ix)
{
	struct ss_buf why = SS_BUF_INIT;
	struct ss_sqlfrag f;
	struct ss_index_key *k;
	const char *text, *opc;
	enum ss_nulls nulls;
	bool desc;
	size_t i, n, m;

	for (i = 0; i < ix->columns.n; i++) {
		text = ix->columns.v[i].name;
		if (ss_index_key(ix, i)->as_written ||
		    ss_table_column(t, text) != NULL)
			continue;
		ss_buf_reset(&why);
		if (ss_sql_check_expr(text, strlen(text), SS_SQLREAD_ALL, &f,
		    &why) < 0 || f.line_comment)
			continue;
		n = m = ss_index_entry_split(text, &desc, &nulls);
		if (ss_table_column(t, ss_arena_strndup(&L->s->arena, text,
		    n)) == NULL)
			opc = entry_opclass(L, text, &m);
		else
			opc = NULL;
		if (n == strlen(text) && opc == NULL)
			continue;
		if (opc != NULL && text[m - 1] != ')' && ss_table_column(t,
		    ss_arena_strndup(&L->s->arena, text, m)) == NULL)
			opc = NULL, m = n;	/* "x collate c": verbatim */
		if (n == strlen(text) && opc == NULL)
			continue;
		k = ss_index_key_set(L->s, ix, i);
		k->desc = desc;
		k->nulls = nulls;
		k->opclass = opc;
		ix->columns.v[i].name = ss_arena_strndup(&L->s->arena, text,
		    opc != NULL ? m : n);
	}
	ss_buf_release(&why);
}

/* An index's column names as PostgreSQL's ChooseIndexColumnNames(). */
static char *
index_addition(struct loader *L, const struct ss_index *ix)
{
	struct ss_names l = { NULL, 0, 0 };
	const char *s, *name;
	size_t i, len;
	char *r, *q;

	for (i = 0; i < ix->columns.n; i++) {
		s = ix->columns.v[i].name;
		switch (figure_entry(s, s + strlen(s), true, &name, &len)) {
		case E_COLUMN:
			ss_names_add(L->s, &l, ss_arena_strndup(&L->s->arena,
			    name, len), NULL);
			break;
		case E_FUNCTION:
			r = ss_arena_strndup(&L->s->arena, name, len);
			for (q = r; *q; q++)	/* unquoted: PostgreSQL folds it */
				*q = (char)tolower((unsigned char)*q);
			ss_names_add(L->s, &l, r, NULL);
			break;
		case E_EXPR:
			ss_names_add(L->s, &l, "expr", NULL);
			break;
		}
	}
	return ss_names_addition(&L->s->arena, &l);
}

/*
 * Real types of some database that are one letter from a builtin: never
 * typos. Names are compared without case, as databases do.
 */
static const char *const real_types[] = {
	"nvarchar", "nchar", "varchar2", "nvarchar2", "datetime",
	"smallserial", "bigserial", "serial", "serial4", "serial8",
	NULL
};

static bool
is_real_type(const char *base)
{
	size_t i;

	for (i = 0; real_types[i] != NULL; i++)
		if (ss_streq_icase(base, real_types[i]))
			return true;
	return false;
}

/* The files' enum that type is an array of (E[], E[][]...), or NULL. */
static const struct ss_enum *
array_of_enum(const struct ss_schema *s, const char *type)
{
	size_t n = strlen(type), end = n, k;
	const struct ss_enum *e;
	char *base;

	while ((k = ss_type_array_suffix(type, end)) < end)
		end = k;
	if (end == n || end == 0)
		return NULL;
	base = ss_xstrndup(type, end);
	e = ss_schema_enum(s, base);
	free(base);
	return e;
}

static void
resolve_type(struct loader *L, struct ss_column *c)
{
	struct ss_schema *s = L->s;
	struct ss_buf why = SS_BUF_INIT;
	struct ss_sqlfrag frag;
	const char *hint = NULL, *params;
	struct ss_loc l;
	char *base;
	size_t i;

	if (c->type.kind != SS_TYPE_OTHER || c->type.name == NULL)
		return;
	if (ss_schema_enum(s, c->type.name) != NULL) {
		c->type.kind = SS_TYPE_ENUM;
		return;
	}
	/* Any other type is written into statements verbatim. */
	if (ss_sql_check_type(c->type.name, strlen(c->type.name),
	    SS_SQLREAD_ALL, &frag, &why) < 0) {
		const struct ss_enum *e = array_of_enum(s, c->type.name);
		if (e != NULL) {
			/* An array of an enum whose name is no word: its
			 * name quoted, as pull writes it ('"' doubled). */
			struct ss_buf q = SS_BUF_INIT;
			const char *p;
			ss_buf_addc(&q, '"');
			for (p = e->name; *p != '\0'; p++) {
				if (*p == '"')
					ss_buf_addc(&q, '"');
				ss_buf_addc(&q, *p);
			}
			ss_buf_addc(&q, '"');
			error_at(L, ss_column_loc(c, c->type_loc, &l),
			    "type '%s' is an array of enum '%s', whose name "
			    "must be quoted in a type: write '%s%s'",
			    excerpt(L, c->type.name), e->name, q.s,
			    c->type.name + strlen(e->name));
			ss_buf_release(&q);
		} else
			error_at(L, ss_column_loc(c, c->type_loc, &l),
			    "type '%s' is not a type name: %s",
			    excerpt(L, c->type.name), why.s);
		ss_buf_release(&why);
		return;
	}
	/*
	 * Any other type goes to the database verbatim, but one letter away
	 * from a builtin or an enum is far likelier a typo than a type
	 * ('jsonbb', 'intger', 'timestampz'). Short names are spared:
	 * 'inet' is a real type one letter from 'int', and so are the real
	 * types listed in real_types[] ('NVARCHAR(160)' comes from a real
	 * SQLite schema and must load back after a pull).
	 */
	/* 'varchr(20)', 'varchr (20)': the name before the parameters. */
	params = strchr(c->type.name, '(');
	i = params ? (size_t)(params - c->type.name) : strlen(c->type.name);
	while (i > 0 && c->type.name[i - 1] == ' ')
		i--;
	base = ss_arena_strndup(&s->arena, c->type.name, i);
	if (strlen(base) < 5 || !is_identifier(base) || is_real_type(base))
		return;
	/* Of two as close, the longer: 'timestampz' lacks a letter of
	 * 'timestamptz' more likely than it has one 'timestamp' lacks. */
	for (i = 0; ss_type_names[i] != NULL; i++)
		if (ss_edit_distance(base, ss_type_names[i]) == 1 &&
		    (hint == NULL || strlen(ss_type_names[i]) > strlen(hint)))
			hint = ss_type_names[i];
	for (i = 0; i < s->nenums && params == NULL; i++)
		if (ss_edit_distance(base, s->enums[i]->name) == 1 &&
		    (hint == NULL || strlen(s->enums[i]->name) > strlen(hint)))
			hint = s->enums[i]->name;
	if (hint != NULL)
		error_at(L, ss_column_loc(c, c->type_loc, &l),
		    "unknown type '%s' (did you mean "
		    "'%s%s'?)", c->type.name, hint, params ? params : "");
}

/* The built-in kind name is a spelling of (any case), or OTHER. */
static enum ss_type_kind
builtin_kind(struct ss_schema *s, const char *name)
{
	struct ss_buf why = SS_BUF_INIT;
	struct ss_type t;

	if (ss_type_parse(s, name, &t, &why) < 0)
		t.kind = SS_TYPE_OTHER;
	ss_buf_release(&why);
	return t.kind;
}

/*
 * An enum named as a built-in type is spelled ("numeric", "text")
 * cannot type a column: a column typed so gets the built-in type, and a
 * database's column of that enum would be read as a change to it.
 * Refused at the first column of that type, which may have meant
 * either. The enum itself, its arrays ('"numeric"[]'), and an enum
 * whose name spells a built-in another way ("Date", "Int4": date and
 * integer are the built-ins, as PostgreSQL reads them unquoted) are
 * fine.
 */
static void
check_enum_shadows(struct loader *L)
{
	struct ss_schema *s = L->s;
	struct ss_buf ty = SS_BUF_INIT;
	const struct ss_column *c;
	enum ss_type_kind k;
	struct ss_loc l;
	size_t i, j, n;
	bool done;

	for (n = 0; n < s->nenums; n++) {
		if ((k = builtin_kind(s, s->enums[n]->name)) == SS_TYPE_OTHER)
			continue;
		for (i = 0, done = false; i < s->ntables && !done; i++)
			for (j = 0; j < s->tables[i]->ncolumns && !done; j++) {
				c = &s->tables[i]->columns[j];
				if (c->type.kind != k)
					continue;
				ss_buf_reset(&ty);
				ss_type_format(&ty, &c->type);
				if (strcmp(ty.s, s->enums[n]->name) != 0)
					continue;
				error_at(L, ss_column_loc(c, c->type_loc, &l),
				    "column '%s' has the built-in type '%s', which "
				    "enum '%s' (at %s:%d:%d) is named after: no "
				    "column can be of that enum; name the enum "
				    "otherwise", c->name, ty.s, s->enums[n]->name,
				    s->enums[n]->loc.file, s->enums[n]->loc.line,
				    s->enums[n]->loc.col);
				done = true;
			}
	}
	ss_buf_release(&ty);
}

static void
check_enum_default(struct loader *L, struct ss_column *c)
{
	struct ss_enum *e;
	struct ss_buf vals = SS_BUF_INIT;
	struct ss_loc l;
	size_t i;

	if (c->type.kind != SS_TYPE_ENUM || c->def.kind == SS_DEFAULT_NONE ||
	    c->def.kind == SS_DEFAULT_NULL || c->def.kind == SS_DEFAULT_SQL)
		return;
	e = ss_schema_enum(L->s, c->type.name);
	if (ss_names_has(&e->values, c->def.value))
		return;
	for (i = 0; i < e->values.n; i++)
		ss_buf_addf(&vals, "%s%s", i ? ", " : "", e->values.v[i].name);
	error_at(L, ss_column_loc(c, c->default_loc, &l),
	    "default '%s' is not a value of enum "
	    "'%s' (values: %s)", c->def.value, e->name, vals.s);
	ss_buf_release(&vals);
}

/* Tables are held by pointer, so ss_suggest_n() cannot walk them. */
static const char *
table_hint(const struct ss_schema *s, const char *name)
{
	const char **names = ss_xcalloc(s->ntables + 1, sizeof *names);
	const char *hint;
	size_t i;

	for (i = 0; i < s->ntables; i++)
		names[i] = s->tables[i]->name;
	hint = ss_suggest(name, names);
	free(names);
	return hint;
}

static void
check_fk(struct loader *L, struct ss_table *t, struct ss_fk *fk)
{
	struct ss_table *rt;
	struct ss_buf cols = SS_BUF_INIT;
	const char *hint;
	size_t i;

	check_columns(L, t, &fk->columns, "foreign key", false);
	if (fk->ref_table == NULL || *fk->ref_table == '\0')
		return;
	rt = ss_schema_table(L->s, fk->ref_table);
	if (rt == NULL) {
		hint = table_hint(L->s, fk->ref_table);
		if (hint != NULL)
			error_at(L, &fk->loc, "foreign key references unknown "
			    "table '%s' (did you mean '%s'?)", fk->ref_table, hint);
		else
			error_at(L, &fk->loc, "foreign key references unknown "
			    "table '%s'", fk->ref_table);
		return;
	}
	if (fk->ref_columns.n == 0) {
		/* `references: users` means users' primary key. */
		if (rt->pk == NULL) {
			error_at(L, &fk->loc, "foreign key references table "
			    "'%s', which has no primary key; name the columns",
			    rt->name);
			return;
		}
		for (i = 0; i < rt->pk->columns.n; i++)
			ss_names_add(L->s, &fk->ref_columns,
			    rt->pk->columns.v[i].name, &fk->loc);
	}
	for (i = 0; i < fk->ref_columns.n; i++) {
		if (ss_table_column(rt, fk->ref_columns.v[i].name) == NULL) {
			unknown_column(L, rt, &fk->ref_columns.v[i],
			    "foreign key");
			return;
		}
	}
	if (fk->ref_columns.n != fk->columns.n) {
		error_at(L, &fk->loc, "foreign key has %zu column%s but "
		    "references %zu column%s of '%s'", fk->columns.n,
		    fk->columns.n == 1 ? "" : "s", fk->ref_columns.n,
		    fk->ref_columns.n == 1 ? "" : "s", rt->name);
		return;
	}
	if (!ss_table_is_key(rt, &fk->ref_columns)) {
		for (i = 0; i < fk->ref_columns.n; i++)
			ss_buf_addf(&cols, "%s%s", i ? ", " : "",
			    fk->ref_columns.v[i].name);
		error_at(L, &fk->loc, "foreign key references '%s(%s)', which "
		    "is neither the primary key nor unique", rt->name, cols.s);
	}
	ss_buf_release(&cols);
}

/*
 * Names. PostgreSQL keeps index names (and so primary key and unique
 * constraint names) in one namespace with tables; other constraint
 * names need only be unique within their table.
 *
 * Two names are one name to a database when they are equal once cut to
 * the 63 bytes PostgreSQL keeps (on a UTF-8 character boundary), and
 * once ASCII letters are folded, as SQLite compares names. Both are
 * refused whatever the database, so that the files mean the same on
 * either: the lookups below are keyed by the name cut and folded.
 */
struct claimed {
	const char *name;	/* as written */
	const struct ss_loc *loc;
	const char *what;	/* "table", "index", ... */
};

struct names_ctx {
	struct ss_map rel;	/* schema-wide: table, index, pk, unique names */
	struct ss_map con;	/* this table's constraint names */
	struct ss_buf key;	/* name_key()'s result */
};

/* name cut and folded into out, which has room for n + 1 bytes. */
static void
fold_name(char *out, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = name[i] >= 'A' && name[i] <= 'Z' ?
		    (char)(name[i] - 'A' + 'a') : name[i];
	out[n] = '\0';
}

/* name cut and folded, in b (valid until the next call on b). */
static const char *
name_key(struct ss_buf *b, const char *name)
{
	size_t n = ss_ident_len(name);

	ss_buf_reset(b);
	ss_buf_grow(b, n);
	fold_name(b->s, name, n);
	b->len = n;
	return b->s;
}

/* name cut and folded, in the schema's arena (a map's key). */
static const char *
arena_name_key(struct loader *L, const char *name)
{
	size_t n = ss_ident_len(name);
	char *k = ss_arena_alloc(&L->scratch, n + 1);

	fold_name(k, name, n);
	return k;
}

/* Why a and b, which differ, are one name to a database. */
static const char *
clash_reason(const char *a, const char *b)
{
	size_t n = ss_ident_len(a);

	if (n == ss_ident_len(b) && memcmp(a, b, n) == 0)
		return "PostgreSQL keeps only the first 63 bytes of a name, "
		    "and those are the same";
	return "the names differ only in letter case, which SQLite does "
	    "not tell apart";
}

/* For ss_choose_object_name(): one kind of name's space. */
struct taken_in {
	struct names_ctx *nc;
	bool relation;
};

static bool
name_taken(const char *name, void *arg)
{
	struct taken_in *in = arg;
	struct names_ctx *nc = in->nc;

	name_key(&nc->key, name);
	return ss_map_get(&nc->con, nc->key.s) != NULL ||
	    (in->relation && ss_map_get(&nc->rel, nc->key.s) != NULL);
}

/* Puts name into m, and into m2 too unless it is NULL (one key). */
static void
put_name2(struct loader *L, struct ss_map *m, struct ss_map *m2,
    const char *name, const struct ss_loc *loc, const char *what)
{
	struct claimed *c = ss_arena_alloc(&L->scratch, sizeof *c);
	const char *key = arena_name_key(L, name);

	c->name = name;
	c->loc = loc;
	c->what = what;
	ss_map_put(m, key, c);
	if (m2 != NULL)
		ss_map_put(m2, key, c);
}

static void
put_name(struct loader *L, struct ss_map *m, const char *name,
    const struct ss_loc *loc, const char *what)
{
	put_name2(L, m, NULL, name, loc, what);
}

static bool
loc_before(const struct ss_loc *a, const struct ss_loc *b)
{
	int c;

	if (a->file != NULL && b->file != NULL &&
	    (c = strcmp(a->file, b->file)) != 0)
		return c < 0;
	return a->line < b->line || (a->line == b->line && a->col < b->col);
}

static void
claim(struct loader *L, struct names_ctx *nc, const char *name,
    const struct ss_loc *loc, bool relation, const char *what)
{
	const struct claimed *first;
	const struct ss_loc *at = loc;
	const char *n1 = name, *w1 = what;

	first = ss_map_get(&nc->con, name_key(&nc->key, name));
	if (first == NULL && relation)
		first = ss_map_get(&nc->rel, nc->key.s);
	if (first != NULL && strcmp(first->name, name) == 0 &&
	    strcmp(first->what, "table") == 0) {
		error_at(L, loc, "name '%s' is already used by a table (at "
		    "%s:%d:%d)", name, first->loc->file, first->loc->line,
		    first->loc->col);
		return;
	}
	if (first != NULL) {
		const struct ss_loc *fl = first->loc;
		const char *n2 = first->name, *w2 = first->what;
		/* Names are claimed by kind, not in reading order: blame
		 * the one written later. */
		if (loc_before(loc, fl)) {
			at = fl, fl = loc;
			n1 = first->name, n2 = name;
			w1 = first->what, w2 = what;
		}
		if (strcmp(n1, n2) == 0)
			error_at(L, at, "name '%s' is already used (at "
			    "%s:%d:%d)", n1, fl->file ? fl->file : "?",
			    fl->line, fl->col);
		else
			error_at(L, at, "%s '%s' clashes with %s '%s' (at "
			    "%s:%d:%d): %s", w1, n1, w2, n2,
			    fl->file ? fl->file : "?", fl->line, fl->col,
			    clash_reason(n1, n2));
		return;
	}
	put_name2(L, &nc->con, relation ? &nc->rel : NULL, name, loc, what);
}

/* PostgreSQL's ChooseRelationName(): add 1, 2, ... until it is free. */
static const char *
choose(struct loader *L, struct names_ctx *nc, const char *name1,
    const char *name2, const char *label, const struct ss_loc *loc,
    bool relation, const char *what)
{
	struct taken_in in = { nc, relation };
	char *name = ss_choose_object_name(&L->s->arena, name1, name2, label,
	    name_taken, &in);

	claim(L, nc, name, loc, relation, what);
	return name;
}

static void
assign_names(struct loader *L)
{
	struct names_ctx nc = { SS_MAP_INIT, SS_MAP_INIT, SS_BUF_INIT };
	struct ss_schema *s = L->s;
	struct ss_table *t;
	size_t i, j;

	/* Tables are distinct already; claiming them finds the names
	 * that are one name to a database. */
	for (i = 0; i < s->ntables; i++) {
		claim(L, &nc, s->tables[i]->name, &s->tables[i]->loc, true,
		    "table");
		ss_map_clear(&nc.con);
	}
	/* Explicit index names first: they are schema-wide. */
	for (i = 0; i < s->ntables; i++) {
		t = s->tables[i];
		for (j = 0; j < t->nindexes; j++)
			if (t->indexes[j].name != NULL)
				claim(L, &nc, t->indexes[j].name,
				    &t->indexes[j].loc, true, "index");
		/* Unique constraints written under indexes: with a name. */
		for (j = 0; j < t->nuniques; j++)
			if (t->uniques[j].name != NULL)
				claim(L, &nc, t->uniques[j].name,
				    &t->uniques[j].loc, true,
				    "unique constraint");
		ss_map_clear(&nc.con);
	}
	for (i = 0; i < s->ntables; i++) {
		t = s->tables[i];
		for (j = 0; j < t->nindexes; j++)
			if (t->indexes[j].name != NULL)
				put_name(L, &nc.con, t->indexes[j].name,
				    &t->indexes[j].loc, "index");
		for (j = 0; j < t->nuniques; j++)
			if (t->uniques[j].name != NULL)
				put_name(L, &nc.con, t->uniques[j].name,
				    &t->uniques[j].loc, "unique constraint");
		for (j = 0; j < t->nfks; j++)
			if (t->fks[j].name != NULL)
				claim(L, &nc, t->fks[j].name, &t->fks[j].loc,
				    false, "foreign key");
		for (j = 0; j < t->nchecks; j++)
			claim(L, &nc, t->checks[j].name, &t->checks[j].loc,
			    false, "check");
		if (t->pk != NULL)
			t->pk->name = choose(L, &nc, t->name, NULL, "pkey",
			    &t->pk->loc, true, "primary key");
		for (j = 0; j < t->nuniques; j++)
			if (t->uniques[j].name == NULL)
				t->uniques[j].name = choose(L, &nc, t->name,
				    ss_names_addition(&s->arena,
				    &t->uniques[j].columns), "key",
				    &t->uniques[j].loc, true,
				    "unique constraint");
		for (j = 0; j < t->nindexes; j++)
			if (t->indexes[j].name == NULL)
				t->indexes[j].name = choose(L, &nc, t->name,
				    index_addition(L, &t->indexes[j]), "idx",
				    &t->indexes[j].loc, true, "index");
		for (j = 0; j < t->nfks; j++)
			if (t->fks[j].name == NULL)
				t->fks[j].name = choose(L, &nc, t->name,
				    ss_names_addition(&s->arena,
				    &t->fks[j].columns), "fkey",
				    &t->fks[j].loc, false, "foreign key");
		ss_map_clear(&nc.con);
	}
	ss_map_release(&nc.rel);
	ss_map_release(&nc.con);
	ss_buf_release(&nc.key);
}

/* Columns of table t that are one name to a database (see Names). */
static void
check_column_names(struct loader *L, const struct ss_table *t)
{
	struct ss_map seen = SS_MAP_INIT;
	struct ss_buf key = SS_BUF_INIT;
	const struct ss_column *c, *first, *later;
	size_t i;

	for (i = 0; i < t->ncolumns; i++) {
		c = &t->columns[i];
		first = ss_map_get(&seen, name_key(&key, c->name));
		if (first == NULL) {
			ss_map_put(&seen, arena_name_key(L, c->name), (void *)c);
			continue;
		}
		if (strcmp(first->name, c->name) == 0)
			continue;	/* a duplicate key, reported by YAML */
		later = c;
		if (loc_before(&c->loc, &first->loc))
			later = first, first = c;
		error_at(L, &later->loc, "column '%s' clashes with column '%s' "
		    "(at %s:%d:%d) in table '%s': %s", later->name, first->name,
		    first->loc.file ? first->loc.file : "?", first->loc.line,
		    first->loc.col, t->name, clash_reason(later->name,
		    first->name));
	}
	ss_map_release(&seen);
	ss_buf_release(&key);
}

/*
 * A name written longer than PostgreSQL keeps works (both sides are cut
 * alike), but the database will show it cut: a warning, not an error.
 */
static void
warn_long(struct loader *L, const char *name, const struct ss_loc *loc)
{
	size_t n;

	if (name == NULL || (n = ss_ident_len(name)) == strlen(name))
		return;
	ss_diag_add(L->d, SS_SEV_WARNING, loc, "name '%s' is longer than 63 "
	    "bytes; PostgreSQL keeps only '%.*s'", name, (int)n, name);
}

static void
warn_long_names(struct loader *L)
{
	const struct ss_schema *s = L->s;
	const struct ss_table *t;
	size_t i, j;

	for (i = 0; i < s->nenums; i++)
		warn_long(L, s->enums[i]->name, &s->enums[i]->loc);
	for (i = 0; i < s->ntables; i++) {
		t = s->tables[i];
		warn_long(L, t->name, &t->loc);
		for (j = 0; j < t->ncolumns; j++)
			warn_long(L, t->columns[j].name, &t->columns[j].loc);
		/* Written names only: generated ones are cut already. */
		for (j = 0; j < t->nindexes; j++)
			warn_long(L, t->indexes[j].name, &t->indexes[j].loc);
		for (j = 0; j < t->nfks; j++)
			warn_long(L, t->fks[j].name, &t->fks[j].loc);
		for (j = 0; j < t->nchecks; j++)
			warn_long(L, t->checks[j].name, &t->checks[j].loc);
	}
}

/* A table-level primary_key must agree with columns' primary_key flags. */
static void
check_pk_flags(struct loader *L, struct ss_table *t, const struct ss_loc *loc)
{
	struct ss_buf key = SS_BUF_INIT, flagged = SS_BUF_INIT;
	size_t i, nflagged = 0;
	bool same = true;

	for (i = 0; i < t->ncolumns; i++) {
		if (!t->columns[i].primary_key)
			continue;
		ss_buf_addf(&flagged, "%s%s", nflagged ? ", " : "",
		    t->columns[i].name);
		nflagged++;
		if (!ss_names_has(&t->pk->columns, t->columns[i].name))
			same = false;
	}
	if (nflagged == 0 || t->pk->columns.n == 0 ||
	    (same && nflagged == t->pk->columns.n))
		goto out;
	for (i = 0; i < t->pk->columns.n; i++)
		ss_buf_addf(&key, "%s%s", i ? ", " : "",
		    t->pk->columns.v[i].name);
	error_at(L, loc, "'primary_key' of table '%s' (%s) does not match the "
	    "columns with 'primary_key: true' (%s)", t->name, key.s,
	    flagged.s);
out:
	ss_buf_release(&key);
	ss_buf_release(&flagged);
}

/* WITHOUT ROWID: the rows are kept in primary key order, so the table
 * needs one, and it has no rowid for AUTOINCREMENT to count. */
static void
check_without_rowid(struct loader *L, const struct ss_table *t)
{
	size_t j;

	if (!t->without_rowid)
		return;
	if (t->pk == NULL) {
		error_at(L, &t->without_rowid_loc, "'without_rowid' needs a "
		    "primary key, and table '%s' has none", t->name);
		return;
	}
	for (j = 0; j < t->ncolumns; j++)
		if (t->columns[j].autoincrement)
			error_at(L, &t->without_rowid_loc, "'without_rowid' "
			    "and 'autoincrement' (on column '%s') do not go "
			    "together: SQLite's AUTOINCREMENT counts rowids",
			    t->columns[j].name);
}

static void
finish(struct loader *L)
{
	struct ss_schema *s = L->s;
	struct ss_table *t, *other;
	struct ss_column *c;
	struct pending *p;
	size_t i, j;

	warn_long_names(L);	/* first: before an error at the same place */
	for (i = 0; i < s->ntables; i++) {
		t = s->tables[i];
		for (j = 0; j < t->ncolumns; j++) {
			resolve_type(L, &t->columns[j]);
			check_enum_default(L, &t->columns[j]);
		}
		check_column_names(L, t);
	}
	check_enum_shadows(L);
	/*
	 * Primary keys: the table's own `primary_key`, or columns' flags.
	 * Both may be written (SPEC section 3 does) as long as they name
	 * the same columns.
	 */
	for (i = 0; i < L->npend; i++) {
		p = &L->pend[i];
		if (p->kind == P_TABLE_PK)
			check_pk_flags(L, p->t, &p->loc);
	}
	for (i = 0; i < s->ntables; i++) {
		t = s->tables[i];
		if (t->pk == NULL) {
			for (j = 0; j < t->ncolumns; j++) {
				c = &t->columns[j];
				if (!c->primary_key)
					continue;
				if (t->pk == NULL) {
					t->pk = ss_arena_alloc(&s->arena,
					    sizeof *t->pk);
					t->pk->loc = c->loc;
				}
				ss_names_add(s, &t->pk->columns, c->name, &c->loc);
			}
		}
		if (t->pk != NULL) {
			check_columns(L, t, &t->pk->columns, "primary key",
			    false);
			for (j = 0; j < t->pk->columns.n; j++)
				if ((c = ss_table_column(t,
				    t->pk->columns.v[j].name)) != NULL)
					c->nullable = false;
		}
		for (j = 0; j < t->nindexes; j++) {
			entry_options(L, t, &t->indexes[j]);
			check_columns(L, t, &t->indexes[j].columns, "index",
			    true);
			check_columns(L, t, &t->indexes[j].include, "include",
			    false);
		}
		check_without_rowid(L, t);
	}
	for (i = 0; i < L->npend; i++) {
		p = &L->pend[i];
		t = p->t;
		switch (p->kind) {
		case P_NULLABLE:
			c = &t->columns[p->col];
			if (t->pk != NULL && ss_names_has(&t->pk->columns,
			    c->name))
				error_at(L, &p->loc, "primary key column '%s' "
				    "cannot be nullable", c->name);
			else if (c->autoincrement)
				error_at(L, &p->loc, "autoincrement column '%s' "
				    "cannot be nullable", c->name);
			break;
		case P_AUTOINCREMENT:
			c = &t->columns[p->col];
			if (!ss_type_is_integer(&c->type)) {
				struct ss_buf ty = SS_BUF_INIT;
				ss_type_format(&ty, &c->type);
				error_at(L, &p->loc, "'autoincrement' needs an "
				    "integer column, but '%s' is '%s'", c->name,
				    ty.s);
				ss_buf_release(&ty);
			}
			/* Ids are never NULL: PostgreSQL makes an identity
			 * column NOT NULL whatever the files say. */
			c->nullable = false;
			break;
		case P_TABLE_RENAME:
			other = ss_schema_table(s, t->renamed_from);
			if (other != NULL)
				error_at(L, &p->loc, "renamed_from names table "
				    "'%s', which is also defined (at %s:%d:%d)",
				    other->name, other->loc.file,
				    other->loc.line, other->loc.col);
			break;
		case P_COLUMN_RENAME:
			c = ss_table_column(t, t->columns[p->col].renamed_from);
			if (c != NULL)
				error_at(L, &p->loc, "renamed_from names column "
				    "'%s', which is also defined (at %s:%d:%d)",
				    c->name, c->loc.file, c->loc.line, c->loc.col);
			break;
		case P_TABLE_PK:
			break;
		}
	}
	for (i = 0; i < s->ntables; i++) {
		t = s->tables[i];
		for (j = 0; j < t->nuniques; j++) {
			check_columns(L, t, &t->uniques[j].columns, "unique",
			    false);
			check_columns(L, t, &t->uniques[j].include, "include",
			    false);
		}
		for (j = 0; j < t->nfks; j++)
			check_fk(L, t, &t->fks[j]);
	}
	/* Declared views share the tables' namespace (and, on PostgreSQL,
	 * the types'). */
	for (i = 0; i < s->nviews; i++) {
		const struct ss_view *w = s->views[i];
		const struct ss_enum *e;
		if ((t = ss_schema_table(s, w->name)) != NULL)
			error_at(L, &w->loc, "view '%s' has the name of a table "
			    "(at %s:%d:%d)", w->name, t->loc.file, t->loc.line,
			    t->loc.col);
		else if ((e = ss_schema_enum(s, w->name)) != NULL)
			error_at(L, &w->loc, "view '%s' has the name of an enum "
			    "(at %s:%d:%d)", w->name, e->loc.file, e->loc.line,
			    e->loc.col);
	}
	assign_names(L);
}

/*
 * Loading again only what changed (struct ss_load_cache). A file's
 * entry keeps its exact bytes and what its phase one added to the
 * schema, copied into the entry's own arena before phase two touched
 * it: tables, enums, views and the pending facts. A later load whose
 * file has the same bytes copies those back instead of parsing, which
 * gives what parsing would give provided that
 *  - phase one of the file reported nothing (files with diagnostics
 *    are never kept, so their diagnostics come on every load), and
 *  - none of its names meets one that an earlier file defined: those
 *    are the only facts of other files phase one reads (a table or
 *    enum defined twice, a table with an enum's name, a view defined
 *    twice). When one does, the file is parsed again.
 * Phase two (types, keys, references, names) runs on the whole schema
 * every time.
 */
struct cpend {
	enum pending_kind kind;
	size_t table;		/* index in the entry's tables */
	size_t col;
	struct ss_loc loc;
};

struct ss_load_cfile {
	char *path;		/* heap */
	char *text;		/* the file's bytes (heap) */
	size_t len;
	struct ss_arena arena;	/* everything below */
	const char *file;	/* the file's name, as locations hold it */
	struct ss_table **tables;
	size_t ntables;
	struct ss_enum **enums;
	size_t nenums;
	struct ss_view **views;
	size_t nviews;
	struct cpend *pend;
	size_t npend;
	bool used;		/* read or kept by the current load */
};

/*
 * The copies below copy every pointer of the model's nodes. A field
 * added to one of them must be copied too: these sizes say when one
 * was (on the 64-bit targets the project builds on).
 */
#if defined(__x86_64__) || defined(__aarch64__)
_Static_assert(sizeof(struct ss_table) == 224 &&
    sizeof(struct ss_column) == 168 && sizeof(struct ss_key) == 80 &&
    sizeof(struct ss_index) == 112 && sizeof(struct ss_index_key) == 24 &&
    sizeof(struct ss_fk) == 120 && sizeof(struct ss_check) == 56 &&
    sizeof(struct ss_enum) == 48 && sizeof(struct ss_view) == 80 &&
    sizeof(struct ss_name) == 24,
    "a model node has a new field: copy it in src/load.c (cache)");
#endif

struct copier {
	struct ss_arena *a;
	const char *from, *to;	/* the file name in locations, before/after */
};

static const char *
cp_str(struct copier *c, const char *s)
{
	return s != NULL ? ss_arena_strdup(c->a, s) : NULL;
}

static void
cp_loc(struct copier *c, struct ss_loc *l)
{
	if (l->file == c->from)
		l->file = c->to;
	else if (l->file != NULL)
		l->file = ss_arena_strdup(c->a, l->file);
}

static void *
cp_mem(struct copier *c, const void *p, size_t n)
{
	void *q;

	if (p == NULL || n == 0)
		return NULL;
	q = ss_arena_alloc(c->a, n);
	memcpy(q, p, n);
	return q;
}

static void
cp_names(struct copier *c, struct ss_names *l)
{
	size_t i;

	l->v = cp_mem(c, l->v, l->n * sizeof *l->v);
	l->alloc = l->v != NULL ? l->n : 0;
	for (i = 0; i < l->n; i++) {
		l->v[i].name = cp_str(c, l->v[i].name);
		cp_loc(c, &l->v[i].loc);
	}
}

static void
cp_key(struct copier *c, struct ss_key *k)
{
	k->name = cp_str(c, k->name);
	cp_names(c, &k->columns);
	cp_loc(c, &k->loc);
	cp_names(c, &k->include);
}

/* Copies what *t points at (t itself was copied by the caller). */
static void
cp_table(struct copier *c, struct ss_table *t)
{
	struct ss_column *col;
	struct ss_index *ix;
	struct ss_fk *fk;
	struct ss_check *ck;
	size_t i, j;

	t->columns = cp_mem(c, t->columns, t->ncolumns * sizeof *t->columns);
	t->acolumns = t->columns != NULL ? t->ncolumns : 0;
	for (i = 0; i < t->ncolumns; i++) {
		col = &t->columns[i];
		col->name = cp_str(c, col->name);
		col->type.name = cp_str(c, col->type.name);
		col->def.value = cp_str(c, col->def.value);
		col->renamed_from = cp_str(c, col->renamed_from);
		col->comment = cp_str(c, col->comment);
		col->generated = cp_str(c, col->generated);
		col->collation = cp_str(c, col->collation);
		cp_loc(c, &col->loc);
	}
	if ((t->pk = cp_mem(c, t->pk, sizeof *t->pk)) != NULL)
		cp_key(c, t->pk);
	t->uniques = cp_mem(c, t->uniques, t->nuniques * sizeof *t->uniques);
	t->auniques = t->uniques != NULL ? t->nuniques : 0;
	for (i = 0; i < t->nuniques; i++)
		cp_key(c, &t->uniques[i]);
	t->indexes = cp_mem(c, t->indexes, t->nindexes * sizeof *t->indexes);
	t->aindexes = t->indexes != NULL ? t->nindexes : 0;
	for (i = 0; i < t->nindexes; i++) {
		ix = &t->indexes[i];
		ix->name = cp_str(c, ix->name);
		ix->keys = cp_mem(c, ix->keys, ix->columns.n * sizeof *ix->keys);
		for (j = 0; ix->keys != NULL && j < ix->columns.n; j++)
			ix->keys[j].opclass = cp_str(c, ix->keys[j].opclass);
		cp_names(c, &ix->columns);
		ix->where = cp_str(c, ix->where);
		cp_loc(c, &ix->loc);
		ix->method = cp_str(c, ix->method);
		cp_names(c, &ix->include);
	}
	t->fks = cp_mem(c, t->fks, t->nfks * sizeof *t->fks);
	t->afks = t->fks != NULL ? t->nfks : 0;
	for (i = 0; i < t->nfks; i++) {
		fk = &t->fks[i];
		fk->name = cp_str(c, fk->name);
		cp_names(c, &fk->columns);
		fk->ref_table = cp_str(c, fk->ref_table);
		cp_names(c, &fk->ref_columns);
		cp_loc(c, &fk->loc);
		cp_loc(c, &fk->match_loc);
	}
	t->checks = cp_mem(c, t->checks, t->nchecks * sizeof *t->checks);
	t->achecks = t->checks != NULL ? t->nchecks : 0;
	for (i = 0; i < t->nchecks; i++) {
		ck = &t->checks[i];
		ck->name = cp_str(c, ck->name);
		ck->expr = cp_str(c, ck->expr);
		cp_loc(c, &ck->loc);
		cp_loc(c, &ck->no_inherit_loc);
	}
	t->renamed_from = cp_str(c, t->renamed_from);
	t->comment = cp_str(c, t->comment);
	cp_loc(c, &t->loc);
	cp_loc(c, &t->renamed_loc);
	cp_loc(c, &t->strict_loc);
	cp_loc(c, &t->without_rowid_loc);
}

static void
cp_enum(struct copier *c, struct ss_enum *e)
{
	cp_names(c, &e->values);
	cp_loc(c, &e->loc);
}

static void
cp_view(struct copier *c, struct ss_view *w)
{
	w->sql = cp_str(c, w->sql);
	w->canon = cp_str(c, w->canon);
	cp_loc(c, &w->loc);
	cp_loc(c, &w->sql_loc);
	cp_loc(c, &w->materialized_loc);
}

static void
cfile_free(struct ss_load_cfile *f)
{
	if (f == NULL)
		return;
	ss_arena_release(&f->arena);
	free(f->path);
	free(f->text);
	free(f);
}

void
ss_load_cache_release(struct ss_load_cache *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		cfile_free(c->v[i]);
	free(c->v);
	memset(c, 0, sizeof *c);
}

static struct ss_load_cfile *
cache_find(struct ss_load_cache *c, const char *path, size_t *at)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i]->path, path) == 0) {
			*at = i;
			return c->v[i];
		}
	return NULL;
}

/* What a load marks as the file it is in (what phase one saw). */
struct mark {
	size_t ntables, nenums, nviews, npend, ndiags;
};

static void
mark_now(const struct loader *L, struct mark *m)
{
	m->ntables = L->s->ntables;
	m->nenums = L->s->nenums;
	m->nviews = L->s->nviews;
	m->npend = L->npend;
	m->ndiags = L->d->n;
}

/* The entry for a file phase one just read without a word (from m on). */
static struct ss_load_cfile *
cache_keep(struct loader *L, const struct mark *m, const char *path,
    const char *file, const char *text, size_t len)
{
	struct ss_load_cfile *f = ss_xcalloc(1, sizeof *f);
	struct ss_schema *s = L->s;
	struct copier c;
	size_t i, j;

	f->path = ss_xstrdup(path);
	f->text = ss_xmalloc(len + 1);
	memcpy(f->text, text, len);
	f->text[len] = '\0';
	f->len = len;
	ss_arena_init(&f->arena);
	f->file = ss_arena_strdup(&f->arena, file);
	c.a = &f->arena;
	c.from = file;
	c.to = f->file;
	f->ntables = s->ntables - m->ntables;
	f->tables = ss_arena_alloc(&f->arena, (f->ntables + 1) *
	    sizeof *f->tables);
	for (i = 0; i < f->ntables; i++) {
		f->tables[i] = cp_mem(&c, s->tables[m->ntables + i],
		    sizeof **f->tables);
		f->tables[i]->name = cp_str(&c, f->tables[i]->name);
		cp_table(&c, f->tables[i]);
	}
	f->nenums = s->nenums - m->nenums;
	f->enums = ss_arena_alloc(&f->arena, (f->nenums + 1) *
	    sizeof *f->enums);
	for (i = 0; i < f->nenums; i++) {
		f->enums[i] = cp_mem(&c, s->enums[m->nenums + i],
		    sizeof **f->enums);
		f->enums[i]->name = cp_str(&c, f->enums[i]->name);
		cp_enum(&c, f->enums[i]);
	}
	f->nviews = s->nviews - m->nviews;
	f->views = ss_arena_alloc(&f->arena, (f->nviews + 1) *
	    sizeof *f->views);
	for (i = 0; i < f->nviews; i++) {
		f->views[i] = cp_mem(&c, s->views[m->nviews + i],
		    sizeof **f->views);
		f->views[i]->name = cp_str(&c, f->views[i]->name);
		cp_view(&c, f->views[i]);
	}
	f->npend = L->npend - m->npend;
	f->pend = ss_arena_alloc(&f->arena, (f->npend + 1) * sizeof *f->pend);
	for (i = 0; i < f->npend; i++) {
		const struct pending *p = &L->pend[m->npend + i];
		for (j = m->ntables; j < s->ntables; j++)
			if (s->tables[j] == p->t)
				break;
		if (j == s->ntables) {
			/* Not one of the file's tables: cannot happen; such
			 * a file is simply not kept. */
			cfile_free(f);
			return NULL;
		}
		f->pend[i].kind = p->kind;
		f->pend[i].table = j - m->ntables;
		f->pend[i].col = p->col;
		f->pend[i].loc = p->loc;
		cp_loc(&c, &f->pend[i].loc);
	}
	return f;
}

/* Whether copying f back gives what parsing its bytes would (above). */
static bool
cache_fits(const struct loader *L, const struct ss_load_cfile *f)
{
	const struct ss_schema *s = L->s;
	size_t i;

	for (i = 0; i < f->ntables; i++)
		if (ss_schema_table(s, f->tables[i]->name) != NULL ||
		    ss_schema_enum(s, f->tables[i]->name) != NULL)
			return false;
	for (i = 0; i < f->nenums; i++)
		if (ss_schema_enum(s, f->enums[i]->name) != NULL ||
		    ss_schema_table(s, f->enums[i]->name) != NULL)
			return false;
	for (i = 0; i < f->nviews; i++)
		if (ss_schema_view(s, f->views[i]->name) != NULL)
			return false;
	return true;
}

/* Phase one of a kept file: its copy, as load_buffer() would leave it. */
static void
cache_replay(struct loader *L, const struct ss_load_cfile *f)
{
	struct ss_schema *s = L->s;
	struct ss_table *t, **tables;
	struct ss_enum *e;
	struct ss_view *w;
	struct ss_loc *first;
	struct copier c;
	const char *name;
	size_t i;

	s->nfiles++;
	c.a = &s->arena;
	c.from = f->file;
	c.to = ss_arena_strdup(&s->arena, f->file);
	tables = ss_xcalloc(f->ntables + 1, sizeof *tables);
	for (i = 0; i < f->nenums; i++) {
		e = ss_schema_add_enum(s, f->enums[i]->name);
		name = e->name;
		*e = *f->enums[i];
		e->name = name;
		cp_enum(&c, e);
	}
	for (i = 0; i < f->ntables; i++) {
		t = tables[i] = ss_schema_add_table(s, f->tables[i]->name);
		name = t->name;
		*t = *f->tables[i];
		t->name = name;
		cp_table(&c, t);
		first = ss_arena_alloc(&L->scratch, sizeof *first);
		*first = t->loc;
		ss_map_put(&L->tloc, t->name, first);
	}
	for (i = 0; i < f->nviews; i++) {
		w = ss_schema_add_view(s, f->views[i]->name);
		name = w->name;
		*w = *f->views[i];
		w->name = name;
		cp_view(&c, w);
	}
	for (i = 0; i < f->npend; i++) {
		struct ss_loc l = f->pend[i].loc;
		cp_loc(&c, &l);
		add_pending(L, f->pend[i].kind, tables[f->pend[i].table],
		    f->pend[i].col, &l);
	}
	free(tables);
}

/*
 * Phase one of one file: from the cache when its bytes are the kept
 * ones (and the copy fits), else parsed, and then kept when it can be.
 */
static void
load_one(struct loader *L, const char *name, const char *text, size_t len,
    struct ss_load_cache *cache)
{
	struct ss_load_cfile *f = NULL;
	struct mark m;
	size_t at = 0;
	bool unreadable = L->unreadable;

	if (cache != NULL && (f = cache_find(cache, name, &at)) != NULL &&
	    f->len == len && memcmp(f->text, text, len) == 0 &&
	    cache_fits(L, f)) {
		cache_replay(L, f);
		f->used = true;
		cache->reused++;
		return;
	}
	if (cache != NULL && getenv("SCHEMASYNC_DEBUG_LOAD") != NULL)
		fprintf(stderr, "schemasync: read %s\n", name);
	mark_now(L, &m);
	L->unreadable = false;
	load_buffer(L, name, text, len);
	if (cache == NULL) {
		L->unreadable |= unreadable;
		return;
	}
	cache->parsed++;
	if (f != NULL) {	/* the old bytes' entry goes */
		cfile_free(f);
		cache->v[at] = cache->v[--cache->n];
	}
	if (!L->unreadable && L->d->n == m.ndiags &&
	    (f = cache_keep(L, &m, name, L->file, text, len)) != NULL) {
		f->used = true;
		SS_ALLOC_GROW(cache->v, cache->n, cache->alloc);
		cache->v[cache->n++] = f;
	}
	L->unreadable |= unreadable;
}

/* Drops the entries of files the load did not read (gone, or errors). */
static void
cache_sweep(struct ss_load_cache *cache)
{
	size_t i = 0;

	while (i < cache->n) {
		if (cache->v[i]->used) {
			cache->v[i++]->used = false;
			continue;
		}
		cfile_free(cache->v[i]);
		cache->v[i] = cache->v[--cache->n];
	}
}

static bool
same_diag(const struct ss_diag *a, const struct ss_diag *b)
{
	return a->sev == b->sev && a->loc.line == b->loc.line &&
	    a->loc.col == b->loc.col && strcmp(a->msg, b->msg) == 0 &&
	    (a->loc.file == b->loc.file || (a->loc.file != NULL &&
	    b->loc.file != NULL && strcmp(a->loc.file, b->loc.file) == 0));
}

/*
 * A node reached through several aliases is read once for each, so its
 * problems would be reported as many times, word for word. Keep one.
 * d is sorted, so copies sit among the diagnostics at the same place.
 */
static void
drop_repeats(struct ss_diags *d)
{
	size_t i, j, n = 0, run = 0;

	for (i = 0; i < d->n; i++) {
		if (n > 0 && (d->v[n - 1].loc.line != d->v[i].loc.line ||
		    d->v[n - 1].loc.col != d->v[i].loc.col))
			run = n;	/* the first kept at this place */
		for (j = run; j < n && !same_diag(&d->v[j], &d->v[i]); j++)
			;
		if (j < n) {
			if (d->v[i].sev == SS_SEV_ERROR)
				d->errors--;
			free(d->v[i].msg);
			continue;
		}
		d->v[n++] = d->v[i];
	}
	d->n = n;
}

static int
run(struct ss_schema *s, struct ss_diags *d, const char *const *names,
    const char *const *texts, const size_t *lens, size_t n,
    struct ss_load_cache *cache)
{
	struct ss_diags pd = SS_DIAGS_INIT;
	struct ss_err err = SS_ERR_INIT;
	struct loader L;
	struct ss_loc loc;
	bool failed = d->errors > 0;	/* a folder could not be read */
	char *text;
	size_t i, len;
	int r;

	memset(&L, 0, sizeof L);
	L.s = s;
	/*
	 * texts NULL: each file is read just before it is parsed, and freed
	 * after, so one file's bytes are in memory at a time. A file that
	 * cannot be read is reported alone, as are folders that could not:
	 * the other files' problems (kept aside in pd) are dropped.
	 */
	L.d = texts != NULL ? d : &pd;
	if (cache != NULL)
		cache->parsed = cache->reused = 0;
	for (i = 0; i < n; i++) {
		if (texts != NULL) {
			load_one(&L, names[i], texts[i], lens[i], cache);
			continue;
		}
		if (ss_read_file(names[i], &text, &len, &err) < 0) {
			loc.file = names[i];
			loc.line = loc.col = 0;
			ss_diag_add(d, SS_SEV_ERROR, &loc, "%s", err.msg.s);
			failed = true;
			continue;
		}
		if (!failed)
			load_one(&L, names[i], text, len, cache);
		free(text);
	}
	ss_err_release(&err);
	if (failed) {
		ss_diags_release(&pd);
		ss_diags_sort(d);
		r = -SS_ESCHEMA;
		goto out;
	}
	if (cache != NULL)
		cache_sweep(cache);
	/* What a file that could not be read defines is unknown: checks
	 * across files would only report its absence, file by file. */
	if (!L.unreadable)
		finish(&L);
	for (i = 0; i < pd.n; i++) {	/* into d, after what it had */
		SS_ALLOC_GROW(d->v, d->n, d->alloc);
		d->v[d->n++] = pd.v[i];
	}
	d->errors += pd.errors;
	free(pd.v);
	ss_diags_sort(d);
	drop_repeats(d);
	r = d->errors ? -SS_ESCHEMA : 0;
out:
	free(L.pend);
	ss_map_release(&L.tloc);
	ss_ypairs_release(&L.colpairs);
	ss_arena_release(&L.scratch);
	return r;
}

int
ss_load_buffers(struct ss_schema *s, const char *const *names,
    const char *const *texts, size_t n, struct ss_diags *d)
{
	size_t *lens = ss_xcalloc(n, sizeof *lens), i;
	int r;

	for (i = 0; i < n; i++)
		lens[i] = strlen(texts[i]);
	r = run(s, d, names, texts, lens, n, NULL);
	free(lens);
	return r;
}

int
ss_read_file(const char *path, char **out, size_t *len, struct ss_err *err)
{
	struct ss_buf b = SS_BUF_INIT;
	struct stat st;
	char chunk[65536];
	size_t n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		return ss_err_set(err, SS_EIO, "cannot read '%s': %s", path,
		    strerror(errno));
	/* Room for the whole file at once (and a byte to see its end). */
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size > 0) {
		b.alloc = (size_t)st.st_size + 2;
		b.s = ss_xmalloc(b.alloc);
		b.s[0] = '\0';
		while (b.len + 1 < b.alloc &&
		    (n = fread(b.s + b.len, 1, b.alloc - 1 - b.len, f)) > 0)
			b.len += n;
		b.s[b.len] = '\0';
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		ss_buf_add(&b, chunk, n);
	if (ferror(f)) {
		fclose(f);
		ss_buf_release(&b);
		return ss_err_set(err, SS_EIO, "cannot read '%s': %s", path,
		    strerror(errno));
	}
	fclose(f);
	*len = b.len;
	*out = ss_buf_detach(&b);
	return 0;
}

struct pathlist {
	char **v;
	size_t n, alloc;
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct walking {
	struct ss_arena *a;
	struct pathlist *out;
	struct ss_diags *d;
};

static bool
walk_folder(void *arg, const char *path, const struct stat *st)
{
	(void)arg;
	(void)path;
	(void)st;
	return true;
}

static void
walk_file(void *arg, const char *path, const struct stat *st)
{
	struct walking *wg = arg;

	(void)st;
	SS_ALLOC_GROW(wg->out->v, wg->out->n, wg->out->alloc);
	wg->out->v[wg->out->n++] = ss_arena_strdup(wg->a, path);
}

static void
walk_error(void *arg, const char *path, int errnum)
{
	struct walking *wg = arg;
	struct ss_loc loc = { NULL, 0, 0 };

	loc.file = ss_arena_strdup(wg->a, path);
	ss_diag_add(wg->d, SS_SEV_ERROR, &loc, "cannot read folder: %s",
	    strerror(errnum));
}

struct fileid {
	dev_t dev;
	ino_t ino;
	size_t i;		/* index in the path list */
	bool ok;		/* stat() worked */
};

static int
cmp_fileid(const void *a, const void *b)
{
	const struct fileid *x = a, *y = b;

	if (x->ok != y->ok)
		return x->ok ? -1 : 1;
	if (x->ok && x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ok && x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Drops every path that names a file named earlier in the list: a file
 * inside a folder also given, or one file spelt two ways ('./a.yaml',
 * 'dir//a.yaml', a link). Files are told apart by device and inode, not
 * by spelling. The first mention keeps its place.
 */
static void
drop_twice_named(struct pathlist *files)
{
	struct fileid *ids = ss_xcalloc(files->n + 1, sizeof *ids);
	bool *drop = ss_xcalloc(files->n + 1, sizeof *drop);
	struct stat st;
	size_t i, j;

	for (i = 0; i < files->n; i++) {
		ids[i].i = i;
		if (stat(files->v[i], &st) == 0) {
			ids[i].ok = true;
			ids[i].dev = st.st_dev;
			ids[i].ino = st.st_ino;
		}
	}
	qsort(ids, files->n, sizeof *ids, cmp_fileid);
	for (i = 1; i < files->n; i++)
		if (ids[i].ok && ids[i - 1].ok && ids[i].dev == ids[i - 1].dev &&
		    ids[i].ino == ids[i - 1].ino)
			drop[ids[i].i] = true;
	for (i = 0, j = 0; i < files->n; i++)
		if (!drop[i])
			files->v[j++] = files->v[i];
	files->n = j;
	free(drop);
	free(ids);
}

int
ss_load_paths(struct ss_schema *s, const char *const *paths, size_t n,
    struct ss_diags *d)
{
	return ss_load_paths_cached(s, paths, n, d, NULL);
}

int
ss_load_paths_cached(struct ss_schema *s, const char *const *paths, size_t n,
    struct ss_diags *d, struct ss_load_cache *cache)
{
	struct pathlist files = { NULL, 0, 0 };
	struct walking wg = { &s->arena, &files, d };
	struct ss_walk wk;
	struct ss_loc loc;
	struct stat st;
	size_t i, before;
	int r;

	/* One walk for every path: a folder reached twice is read once. */
	ss_walk_init(&wk);
	wk.folder = walk_folder;
	wk.file = walk_file;
	wk.error = walk_error;
	wk.arg = &wg;
	for (i = 0; i < n; i++) {
		loc.file = ss_arena_strdup(&s->arena, paths[i]);
		loc.line = loc.col = 0;
		if (stat(paths[i], &st) != 0) {
			ss_diag_add(d, SS_SEV_ERROR, &loc, "cannot read "
			    "schemas: %s", strerror(errno));
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			before = files.n;
			ss_walk_tree(&wk, loc.file);
			if (files.n > before)	/* files.v may be NULL */
				qsort(files.v + before, files.n - before,
				    sizeof *files.v, cmp_str);
		} else {
			SS_ALLOC_GROW(files.v, files.n, files.alloc);
			files.v[files.n++] = (char *)loc.file;
		}
	}
	ss_walk_release(&wk);
	drop_twice_named(&files);
	if (files.n == 0 && d->errors == 0) {
		loc.file = n ? paths[0] : NULL;
		loc.line = loc.col = 0;
		ss_diag_add(d, SS_SEV_ERROR, &loc, "no schema files (*.yaml, "
		    "*.yml) found");
	}
	r = run(s, d, (const char *const *)files.v, NULL, NULL, files.n,
	    cache);
	free(files.v);
	return r;
}
