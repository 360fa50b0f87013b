/*
 * The plan (include/ss/plan.h): counts, classes, order and holds.
 *
 * Ordering rules. The plan is ordered so that every statement is valid
 * when it runs; the rules are dependencies between changes, and every
 * dependency is also a hold (a change waits for what it depends on):
 *
 *  1. Dependencies come from names. Each change provides names (a
 *     create_table provides its table, its columns, its keys), removes
 *     names (drops, and the old name of a rename), modifies names (an
 *     alter_column modifies its column), requires names (everything on
 *     a table requires the table; an index requires its columns; a
 *     foreign key requires its referenced table, columns and their key;
 *     a column of an enum type requires the enum and the value of its
 *     default) and, for drops, used names in the database now (a
 *     dropped foreign key used its referenced table; a dropped index
 *     used its columns). Names of the database now are mapped through
 *     the plan's renames first.
 *  2. A change that requires a name runs after every change that
 *     provides it: enums and enum values before the tables and columns
 *     that use them, referenced tables before referencing ones, a
 *     renamed table or column before any change to it (and an
 *     unanswered rename holds everything on its new name), a column
 *     added before its indexes and keys.
 *  3. A change that provides a name runs after every change that removes
 *     it: a column added under the name of a dropped or renamed-away
 *     one, an object re-created under its old name.
 *  4. A change that removes or modifies a name (other than a rename)
 *     runs after every drop that used it: foreign keys dropped before
 *     the tables and columns they touch, indexes and checks dropped
 *     before their columns are altered or dropped, referencing tables
 *     dropped before referenced ones, enums and enum values dropped
 *     after the columns stop using them.
 *  5. Among changes whose dependencies are met, phases decide, then
 *     model order (the diff's, so ties are deterministic): enums; renames;
 *     drops of foreign keys, checks, indexes, keys; creates, adds and
 *     alters of tables and columns; adds of keys, indexes, checks,
 *     foreign keys and comments; drops of columns and tables; drops of
 *     enum values and enums.
 *  6. Where CREATE TABLE may name a table not created yet (SQLite,
 *     ss_diff_opts.forward_fks), new tables do not wait for the tables
 *     they reference. Elsewhere a cycle of new tables through foreign
 *     keys is broken at the first such table in model order: it is
 *     created without its foreign keys to tables not yet created, which
 *     are appended as add_foreign_key changes after both tables. A
 *     cycle of dropped tables is broken the same way, by dropping the
 *     cyclic foreign keys first. Any other cycle is a bug in the diff
 *     and an error.
 *
 * PostgreSQL cannot use an enum value added in the same transaction
 * ("unsafe use of new value"); rule 2 orders add_enum_value first, but
 * running it apart (or committing first) is the executor's business.
 *  7. A drop and the re-create of one object (a pair) are held
 *     together, so an index is never dropped while its replacement waits.
 *  8. Declared views: every drop_view runs first (before enums, in an
 *     order of its own: a view before the views it reads) and every
 *     create_view last (a view after the views it reads), so no change
 *     of a table runs while a view that the plan re-creates reads it.
 *     What a view reads is what its SQL mentions by name (tables,
 *     their columns, other declared views): a create_view requires
 *     them, so it is held with a held change of them. A view re-created
 *     only because a change of its table breaks it (because_of) is
 *     created after that change, which runs after the view's drop.
 *
 * Classification (SPEC section 4) is pure: the numbers come from the
 * caller through count requests, in the database's current names.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss/plan.h"
#include "ss/util.h"
#include "ss/sqlparse.h"

const char *const ss_op_names[] = {
#define X(N, n) #n,
	SS_OP_MAP(X)
#undef X
	NULL
};

const char *const ss_class_names[] = {
#define X(N, n) #n,
	SS_CLASS_MAP(X)
#undef X
	NULL
};

const char *
ss_op_name(enum ss_op op)
{
	return op < SS_OP_MAX ? ss_op_names[op] : "?";
}

const char *
ss_class_name(enum ss_class c)
{
	return c < SS_CLASS_MAX ? ss_class_names[c] : "?";
}

void
ss_plan_init(struct ss_plan *p)
{
	memset(p, 0, sizeof *p);
	ss_arena_init(&p->arena);
}

void
ss_plan_release(struct ss_plan *p)
{
	ss_arena_release(&p->arena);
	memset(p, 0, sizeof *p);
}

struct ss_change *
ss_plan_add(struct ss_plan *p, enum ss_op op)
{
	struct ss_change *c = ss_arena_alloc(&p->arena, sizeof *c);

	c->op = op;
	c->count = -1;
	c->rows = -1;
	c->seq = p->n;
	*SS_ARENA_PUSH(&p->arena, p->v, p->n, p->alloc) = c;
	p->deps_built = false;
	return c;
}

void
ss_count_format(struct ss_buf *b, long n)
{
	char digits[32];
	size_t len, i;

	if (n < 0) {
		ss_buf_addc(b, '-');
		n = -n;
	}
	len = (size_t)snprintf(digits, sizeof digits, "%ld", n);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			ss_buf_addc(b, ',');
		ss_buf_addc(b, digits[i]);
	}
}

/* Helpers on models and names. */

static bool
is_ident_char(unsigned char ch, bool first)
{
	return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' &&
	    ch <= 'Z') || ch >= 0x80 || (!first && ((ch >= '0' && ch <= '9') ||
	    ch == '$'));
}

/*
 * Whether SQL expression expr mentions identifier name: a bare word or a
 * "quoted" one, outside 'string literals'. Names are compared as written
 * (bare words case-insensitively for ASCII, as SQL folds them).
 */
static bool
expr_mentions(const char *expr, const char *name);

bool
ss_expr_mentions(const char *expr, const char *name)
{
	return expr != NULL && expr_mentions(expr, name);
}

static bool
expr_mentions(const char *expr, const char *name)
{
	const char *p = expr, *start;
	size_t n = strlen(name), len;
	struct ss_buf q = SS_BUF_INIT;
	bool found = false;

	while (*p && !found) {
		if (*p == '\'') {
			for (p++; *p; p++)
				if (*p == '\'' && *++p != '\'')
					break;
			continue;
		}
		if (*p == '"') {
			ss_buf_reset(&q);
			for (p++; *p; p++) {
				if (*p == '"' && *++p != '"')
					break;
				ss_buf_addc(&q, *p);
			}
			found = strcmp(q.s, name) == 0;
			continue;
		}
		if (is_ident_char((unsigned char)*p, true)) {
			start = p;
			while (*p && is_ident_char((unsigned char)*p, false))
				p++;
			len = (size_t)(p - start);
			if (len == n) {
				size_t i;
				for (i = 0; i < n; i++) {
					char a = start[i], b = name[i];
					if (a >= 'A' && a <= 'Z')
						a = (char)(a - 'A' + 'a');
					if (b >= 'A' && b <= 'Z')
						b = (char)(b - 'A' + 'a');
					if (a != b)
						break;
				}
				found = i == n;
			}
			continue;
		}
		if (*p >= '0' && *p <= '9') {
			while (*p && is_ident_char((unsigned char)*p, false))
				p++;
			continue;
		}
		p++;
	}
	ss_buf_release(&q);
	return found;
}

/*
 * The identifier at p, bare or "quoted", into out (the last part of a
 * qualified one): past it, or NULL when none starts at p.
 */
static const char *
read_ident(const char *p, struct ss_buf *out, bool *quoted)
{
	for (;;) {
		ss_buf_reset(out);
		*quoted = *p == '"';
		if (*quoted) {
			for (p++; *p; p++) {
				if (*p == '"' && *++p != '"')
					break;
				ss_buf_addc(out, *p);
			}
		} else if (is_ident_char((unsigned char)*p, true)) {
			while (*p && is_ident_char((unsigned char)*p, false))
				ss_buf_addc(out, *p++);
		} else
			return NULL;
		if (*p != '.' || !(p[1] == '"' ||
		    is_ident_char((unsigned char)p[1], true)))
			return p;
		p++;
	}
}

bool
ss_expr_casts_to(const char *expr, const char *type)
{
	struct ss_buf id = SS_BUF_INIT;
	const char *p = expr, *q;
	bool cast = false, quoted, found = false;

	while (p != NULL && *p && !found) {
		if (*p == '\'') {
			for (p++; *p; p++)
				if (*p == '\'' && *++p != '\'')
					break;
			cast = false;
		} else if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			p++;
		} else if (p[0] == ':' && p[1] == ':') {
			cast = true;
			p += 2;
		} else if ((q = read_ident(p, &id, &quoted)) != NULL) {
			bool same = quoted ? strcmp(id.s, type) == 0 :
			    ss_streq_icase(id.s, type);
			p = q;
			while (*q == ' ' || *q == '\t' || *q == '\n')
				q++;
			/* x::type, CAST(x AS type), or type 'literal' */
			found = same && (cast || *q == '\'');
			cast = !quoted && ss_streq_icase(id.s, "as");
		} else if (*p >= '0' && *p <= '9') {
			while (*p && is_ident_char((unsigned char)*p, false))
				p++;
			cast = false;
		} else {
			p++;
			cast = false;
		}
	}
	ss_buf_release(&id);
	return found;
}

/* The table a current table name has after the plan's renames. */
static const char *
new_table_name(const struct ss_plan *p, const char *cur)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->v[i]->op == SS_OP_RENAME_TABLE &&
		    strcmp(p->v[i]->old_name, cur) == 0)
			return p->v[i]->table;
	return cur;
}

/* The name current column col of (renamed) table t has after the plan. */
static const char *
new_column_name(const struct ss_plan *p, const char *t, const char *col)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->v[i]->op == SS_OP_RENAME_COLUMN &&
		    strcmp(p->v[i]->table, t) == 0 &&
		    strcmp(p->v[i]->old_name, col) == 0)
			return p->v[i]->column;
	return col;
}

/* The current name of desired column col of table t, or NULL when the
 * plan adds it (or the table is new). */
static const char *
cur_column_name(const struct ss_plan *p, const struct ss_change *c,
    const char *col)
{
	size_t i;

	if (c->c_table == NULL)
		return NULL;
	for (i = 0; i < p->n; i++) {
		const struct ss_change *o = p->v[i];
		if (o->table == NULL || strcmp(o->table, c->table) != 0)
			continue;
		if (o->op == SS_OP_RENAME_COLUMN && strcmp(o->column, col) == 0)
			return o->old_name;
		if (o->op == SS_OP_ADD_COLUMN && strcmp(o->column, col) == 0)
			return NULL;
	}
	return ss_table_column(c->c_table, col) ? col : NULL;
}

static const struct ss_enum *
column_enum(const struct ss_schema *s, const struct ss_column *col)
{
	if (col == NULL || col->type.kind != SS_TYPE_ENUM || s == NULL)
		return NULL;
	return ss_schema_enum(s, col->type.name);
}

/* Count requests. */

static void qident(struct ss_buf *b, const char *name);
static void qliteral(struct ss_buf *b, const char *s);

/*
 * The desired column that current column col of table t becomes, and
 * its table (*dt), or NULL when the plan drops or renames it away.
 */
static const struct ss_column *
desired_column(const struct ss_plan *p, const char *t, const char *col,
    const struct ss_table **dt)
{
	const char *nt = new_table_name(p, t);

	if (p->desired == NULL || (*dt = ss_schema_table(p->desired, nt)) ==
	    NULL)
		return NULL;
	return ss_table_column(*dt, new_column_name(p, nt, col));
}

/* Whether a removed value of enum want (have before) becomes d's
 * default: a value want keeps and have has (not one the push adds, or
 * undo would find it in use); else NULL (postgres/emit.c,
 * convert_column()). */
static bool
kept_default(const struct ss_column *d, const struct ss_enum *want,
    const struct ss_enum *have)
{
	return d->def.kind == SS_DEFAULT_STRING &&
	    ss_names_has(&want->values, d->def.value) &&
	    (have == NULL || ss_names_has(&have->values, d->def.value));
}

static struct ss_count_request *
request(struct ss_plan *p, struct ss_change *c, enum ss_count_kind kind)
{
	struct ss_count_request *r;

	r = SS_ARENA_PUSH(&p->arena, p->reqs, p->nreqs, p->areqs);
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->table = c->cur_table;
	r->change = c;
	r->count = -1;
	r->failing = -1;
	r->narrowed = -1;
	c->req_n++;
	return r;
}

static bool
is_widening(const struct ss_plan *p, const struct ss_column *d,
    const struct ss_column *c)
{
	const struct ss_type *to = &d->type, *from = &c->type;
	const struct ss_enum *de, *ce;
	size_t i;

	switch (from->kind) {
	case SS_TYPE_SMALLINT:
		return to->kind == SS_TYPE_INTEGER || to->kind == SS_TYPE_BIGINT;
	case SS_TYPE_INTEGER:
		return to->kind == SS_TYPE_BIGINT;
	case SS_TYPE_REAL:
		return to->kind == SS_TYPE_DOUBLE;
	case SS_TYPE_VARCHAR:
	case SS_TYPE_CHAR:
		if (to->kind == SS_TYPE_TEXT)
			return true;
		return from->kind == SS_TYPE_VARCHAR &&
		    to->kind == SS_TYPE_VARCHAR && (to->len < 0 ||
		    (from->len >= 0 && to->len >= from->len));
	case SS_TYPE_NUMERIC:
		if (to->kind != SS_TYPE_NUMERIC)
			return false;
		if (to->len < 0)
			return true;	/* unconstrained numeric keeps all */
		return from->len >= 0 && to->scale == from->scale &&
		    to->len >= from->len;
	case SS_TYPE_ENUM:
		if (to->kind == SS_TYPE_TEXT)
			return true;
		if (to->kind != SS_TYPE_ENUM || p->enum_types)
			return false;
		/* Without enum types: widening when no value goes. */
		de = column_enum(p->desired, d);
		ce = column_enum(p->current, c);
		if (de == NULL || ce == NULL)
			return false;
		for (i = 0; i < ce->values.n; i++)
			if (!ss_names_has(&de->values, ce->values.v[i].name))
				return false;
		return true;
	default:
		return false;
	}
}

/* The columns of a key or index, in current names, or false when one is
 * new (its values cannot be counted before it exists). */
static bool
cur_columns(struct ss_plan *p, const struct ss_change *c,
    const struct ss_names *cols, const char *const **out, size_t *n)
{
	const char **v;
	size_t i;

	v = ss_arena_alloc(&p->arena, (cols->n + 1) * sizeof *v);
	for (i = 0; i < cols->n; i++) {
		const char *name = cols->v[i].name;
		if (ss_table_column(c->d_table, name) == NULL) {
			v[i] = name;	/* an expression, verbatim */
			continue;
		}
		if ((v[i] = cur_column_name(p, c, name)) == NULL)
			return false;
	}
	*out = v;
	*n = cols->n;
	return true;
}

/* Whether every column of c's table that expr mentions exists now under
 * the same name (so the expression can be evaluated before the plan). */
static bool
expr_countable(struct ss_plan *p, const struct ss_change *c, const char *expr)
{
	size_t i;

	for (i = 0; i < c->d_table->ncolumns; i++) {
		const char *name = c->d_table->columns[i].name, *cur;
		if (!expr_mentions(expr, name))
			continue;
		cur = cur_column_name(p, c, name);
		if (cur == NULL || strcmp(cur, name) != 0)
			return false;
	}
	return true;
}

static void
request_duplicates(struct ss_plan *p, struct ss_change *c,
    const struct ss_names *cols, const char *where)
{
	struct ss_count_request *r;
	struct ss_buf b = SS_BUF_INIT;
	const char *const *v;
	const char **q;
	size_t n, i;

	if (c->cur_table == NULL || !cur_columns(p, c, cols, &v, &n))
		return;
	/* A predicate or an expression entry over a column the plan adds
	 * cannot be evaluated before the plan runs: nothing to count, and
	 * CREATE UNIQUE INDEX itself refuses duplicates (the push rolls
	 * back). */
	if (where != NULL && !expr_countable(p, c, where))
		return;
	for (i = 0; i < n; i++)
		if ((c->c_table == NULL || ss_table_column(c->c_table, v[i]) ==
		    NULL) && !expr_countable(p, c, v[i]))
			return;
	/* A column's name quoted: one that is not a plain identifier
	 * ("grp id") would be read as an expression. */
	q = ss_arena_alloc(&p->arena, n * sizeof *q);
	for (i = 0; i < n; i++) {
		ss_buf_reset(&b);
		if (c->c_table != NULL && ss_table_column(c->c_table, v[i])) {
			qident(&b, v[i]);
			q[i] = ss_arena_strdup(&p->arena, b.s);
		} else
			q[i] = v[i];
	}
	ss_buf_release(&b);
	r = request(p, c, SS_COUNT_DUPLICATES);
	r->columns = q;
	r->ncolumns = n;
	r->where = where;
}

static void
request_fk(struct ss_plan *p, struct ss_change *c)
{
	const struct ss_fk *fk = c->d_fk;
	const struct ss_table *rt;
	struct ss_count_request *r;
	const char *const *v;
	const char **rv;
	size_t n, i;

	if (c->cur_table == NULL || p->current == NULL)
		return;
	/* The referenced table must be there now, unrenamed, with the
	 * referenced columns. */
	rt = ss_schema_table(p->current, fk->ref_table);
	if (rt == NULL || strcmp(new_table_name(p, rt->name), rt->name) != 0)
		return;
	rv = ss_arena_alloc(&p->arena, (fk->ref_columns.n + 1) * sizeof *rv);
	for (i = 0; i < fk->ref_columns.n; i++) {
		rv[i] = fk->ref_columns.v[i].name;
		if (ss_table_column(rt, rv[i]) == NULL ||
		    strcmp(new_column_name(p, rt->name, rv[i]), rv[i]) != 0)
			return;
	}
	if (!cur_columns(p, c, &fk->columns, &v, &n))
		return;
	r = request(p, c, SS_COUNT_FK);
	r->columns = v;
	r->ncolumns = n;
	r->ref_table = rt->name;
	r->ref_columns = rv;
}

/*
 * Becoming STRICT: the values of the columns the rebuild copies (a
 * desired column and the current one of its name or renamed_from) that
 * their new declared types would refuse.
 */
static void
request_strict(struct ss_plan *p, struct ss_change *c)
{
	const struct ss_table *d = c->d_table, *cur = c->c_table;
	const struct ss_column *cc;
	struct ss_count_request *r;
	const char **cols;
	const struct ss_type **types;
	size_t i, n = 0;

	cols = ss_arena_alloc(&p->arena, (d->ncolumns + 1) * sizeof *cols);
	types = ss_arena_alloc(&p->arena, (d->ncolumns + 1) * sizeof *types);
	for (i = 0; i < d->ncolumns; i++) {
		cc = ss_table_column(cur, d->columns[i].name);
		if (cc == NULL && d->columns[i].renamed_from != NULL)
			cc = ss_table_column(cur, d->columns[i].renamed_from);
		if (cc == NULL)
			continue;
		cols[n] = cc->name;
		types[n++] = &d->columns[i].type;
	}
	r = request(p, c, SS_COUNT_STRICT);
	r->columns = cols;
	r->types = types;
	r->ncolumns = n;
}

/*
 * Whether alter_column c makes a column that holds values a generated
 * one: its values are replaced by what the expression computes.
 */
static bool
replaces_values(const struct ss_change *c)
{
	return (c->alter & SS_ALTER_GENERATED) && c->d_column->generated !=
	    NULL && c->c_column->generated == NULL;
}

/*
 * Whether the plan drops table.column of the database now, or changes
 * its type: its values stop using an enum by the plan's own changes,
 * whose drops count them.
 */
static bool
leaves_enum(const struct ss_plan *p, const char *table, const char *column)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct ss_change *c = p->v[i];
		const char *t = c->cur_table != NULL ? c->cur_table : c->table;
		if (c->candidate || t == NULL || strcmp(t, table) != 0)
			continue;
		if (c->op == SS_OP_DROP_TABLE)
			return true;
		if ((c->op == SS_OP_DROP_COLUMN || (c->op == SS_OP_ALTER_COLUMN &&
		    (c->alter & SS_ALTER_TYPE))) && c->cur_column != NULL &&
		    strcmp(c->cur_column, column) == 0)
			return true;
	}
	return false;
}

/*
 * A key over cols (desired names) of desired table dt, counted as the
 * rows of current table t will be once the values enum want lost hold
 * their column's default: one DUPLICATES count, the entry of each
 * column of the enum (col, and any other) a CASE (NULL stays NULL; no
 * default kept, NULL), of the groups that hold a row with c's value
 * in col. Left out
 * when a column of the key is not there under its own name, and for a
 * partial index (its predicate is over the desired table; the server
 * refuses duplicates at COMMIT, and nothing is applied).
 */
static void
request_key_after(struct ss_plan *p, struct ss_change *c,
    const struct ss_table *t, const struct ss_table *dt,
    const struct ss_names *cols, const char *where,
    const struct ss_column *col, const struct ss_enum *want)
{
	struct ss_count_request *r;
	struct ss_buf b = SS_BUF_INIT;
	const char **v;
	size_t i, k;
	bool has = false;

	if (where != NULL)
		return;
	for (i = 0; i < cols->n; i++) {
		const char *n = cols->v[i].name;
		if (ss_table_column(t, n) == NULL ||
		    strcmp(new_column_name(p, dt->name, n), n) != 0)
			return;
		has |= strcmp(n, col->name) == 0;
	}
	if (!has)
		return;
	v = ss_arena_alloc(&p->arena, cols->n * sizeof *v);
	for (i = 0; i < cols->n; i++) {
		const char *n = cols->v[i].name;
		const struct ss_column *cc = ss_table_column(t, n);
		const struct ss_column *dc = ss_table_column(dt, n);
		ss_buf_reset(&b);
		if (!ss_type_uses_enum(&cc->type, want->name) ||
		    cc->type.kind != SS_TYPE_ENUM || dc == NULL) {
			/* Quoted: an entry that is not a plain name is
			 * read as an expression. */
			qident(&b, n);
			v[i] = ss_arena_strdup(&p->arena, b.s);
			continue;
		}
		/* A column of the enum, this one or another: a lost value
		 * becomes its default, or NULL. */
		ss_buf_adds(&b, "(CASE WHEN ");
		qident(&b, n);
		ss_buf_adds(&b, " IS NULL OR ");
		qident(&b, n);
		ss_buf_adds(&b, "::text IN (");
		for (k = 0; k < want->values.n; k++) {
			ss_buf_adds(&b, k ? ", " : "");
			qliteral(&b, want->values.v[k].name);
		}
		ss_buf_adds(&b, ") THEN ");
		qident(&b, n);
		ss_buf_adds(&b, "::text ELSE ");
		if (kept_default(dc, want, c->c_enum))
			qliteral(&b, dc->def.value);
		else
			ss_buf_adds(&b, "NULL");
		ss_buf_adds(&b, " END)");
		v[i] = ss_arena_strdup(&p->arena, b.s);
	}
	/* Once for a key, whichever of its columns of the enum asks. */
	for (i = c->req_first; i < c->req_first + c->req_n; i++) {
		const struct ss_count_request *o = &p->reqs[i];
		if (o->kind != SS_COUNT_DUPLICATES || o->ncolumns != cols->n ||
		    strcmp(o->table, t->name) != 0)
			continue;
		for (k = 0; k < cols->n && strcmp(o->columns[k], v[k]) == 0;
		    k++)
			;
		if (k == cols->n) {
			ss_buf_release(&b);
			return;
		}
	}
	/* The groups holding a row with c's value in one of them. */
	ss_buf_reset(&b);
	ss_buf_adds(&b, "max(CASE WHEN ");
	for (i = k = 0; i < cols->n; i++) {
		const struct ss_column *cc = ss_table_column(t,
		    cols->v[i].name);
		if (cc->type.kind != SS_TYPE_ENUM ||
		    !ss_type_uses_enum(&cc->type, want->name) ||
		    ss_table_column(dt, cols->v[i].name) == NULL)
			continue;
		ss_buf_adds(&b, k++ ? " OR " : "");
		qident(&b, cols->v[i].name);
		ss_buf_adds(&b, "::text = ");
		qliteral(&b, c->object);
	}
	ss_buf_adds(&b, " THEN 1 ELSE 0 END) = 1");
	r = request(p, c, SS_COUNT_DUPLICATES);
	r->table = t->name;
	r->columns = v;
	r->ncolumns = cols->n;
	r->having = ss_arena_strdup(&p->arena, b.s);
	ss_buf_release(&b);
}

/*
 * Enum value removal, column col of current table t: the rows holding
 * a value the enum loses take the column's default (when the enum
 * keeps it), which may give two rows one key. The value goes in a
 * recreation after the tables change (postgres/emit.c, design note 2),
 * so with the files' default.
 */
static void
request_enum_keys(struct ss_plan *p, struct ss_change *c,
    const struct ss_table *t, const struct ss_column *col)
{
	const struct ss_enum *want = ss_schema_enum(p->desired,
	    c->c_enum->name);
	const struct ss_table *dt;
	const struct ss_column *d = desired_column(p, t->name, col->name, &dt);
	size_t i;

	if (d == NULL || want == NULL || !kept_default(d, want, c->c_enum) ||
	    strcmp(d->name, col->name) != 0)
		return;
	if (dt->pk != NULL)
		request_key_after(p, c, t, dt, &dt->pk->columns, NULL, d, want);
	for (i = 0; i < dt->nuniques; i++)
		request_key_after(p, c, t, dt, &dt->uniques[i].columns, NULL,
		    d, want);
	for (i = 0; i < dt->nindexes; i++)
		if (dt->indexes[i].unique)
			request_key_after(p, c, t, dt, &dt->indexes[i].columns,
			    dt->indexes[i].where, d, want);
}

static void
build_requests(struct ss_plan *p, struct ss_change *c)
{
	struct ss_count_request *r;
	const struct ss_column *d = c->d_column, *cc = c->c_column;
	const struct ss_enum *de, *ce;
	size_t i, j;

	c->req_first = p->nreqs;
	c->req_n = 0;
	if (c->candidate) {
		/* What the other answer, drop and add, would lose. */
		if (c->op == SS_OP_RENAME_TABLE)
			request(p, c, SS_COUNT_ROWS);
		else if (c->c_column != NULL)
			request(p, c, SS_COUNT_NONNULL)->column =
			    c->c_column->name;
		return;
	}
	switch (c->op) {
	case SS_OP_DROP_TABLE:
		request(p, c, SS_COUNT_ROWS);
		break;
	case SS_OP_DROP_COLUMN:
		/* A generated column holds no values of its own. */
		if (c->c_column == NULL || c->c_column->generated == NULL)
			request(p, c, SS_COUNT_NONNULL)->column = c->cur_column;
		break;
	case SS_OP_ADD_COLUMN:
		if (c->cur_table != NULL && !d->nullable && !d->autoincrement &&
		    (d->def.kind == SS_DEFAULT_NONE ||
		    d->def.kind == SS_DEFAULT_NULL))
			request(p, c, SS_COUNT_ROWS);
		break;
	case SS_OP_ALTER_COLUMN:
		if (replaces_values(c)) {
			request(p, c, SS_COUNT_NONNULL)->column = c->cur_column;
			break;
		}
		/* A generated column's values are computed again in
		 * the new type: nothing to lose. */
		if ((c->alter & SS_ALTER_TYPE) && !is_widening(p, d, cc) &&
		    d->generated == NULL) {
			de = column_enum(p->desired, d);
			ce = column_enum(p->current, cc);
			if (!p->enum_types && de != NULL && ce != NULL) {
				for (i = 0; i < ce->values.n; i++) {
					if (ss_names_has(&de->values,
					    ce->values.v[i].name))
						continue;
					r = request(p, c, SS_COUNT_ENUM_VALUE);
					r->column = c->cur_column;
					r->value = ce->values.v[i].name;
				}
			} else {
				request(p, c, SS_COUNT_NONNULL)->column =
				    c->cur_column;
				r = request(p, c, SS_COUNT_LOSSY);
				r->column = c->cur_column;
				r->from = &cc->type;
				r->to = &d->type;
				r->to_enum = column_enum(p->desired, d);
			}
		}
		if ((c->alter & SS_ALTER_NULLABLE) && !d->nullable)
			request(p, c, SS_COUNT_NULLS)->column = c->cur_column;
		break;
	case SS_OP_CREATE_INDEX:
		if (c->d_index->unique)
			request_duplicates(p, c, &c->d_index->columns,
			    c->d_index->where);
		break;
	case SS_OP_ADD_UNIQUE:
	case SS_OP_ADD_PRIMARY_KEY:
		request_duplicates(p, c, &c->d_key->columns, NULL);
		break;
	case SS_OP_ADD_CHECK:
		if (c->cur_table != NULL && expr_countable(p, c, c->d_check->expr))
			request(p, c, SS_COUNT_CHECK)->expr = c->d_check->expr;
		break;
	case SS_OP_ADD_FOREIGN_KEY:
		request_fk(p, c);
		break;
	case SS_OP_ALTER_TABLE:
		if (c->d_table->strict && !c->c_table->strict)
			request_strict(p, c);
		break;
	case SS_OP_DROP_ENUM_VALUE:
		if (p->current == NULL)
			break;
		for (i = 0; i < p->current->ntables; i++) {
			const struct ss_table *t = p->current->tables[i];
			for (j = 0; j < t->ncolumns; j++) {
				const struct ss_type *ty = &t->columns[j].type;
				if (!ss_type_uses_enum(ty, c->c_enum->name) ||
				    leaves_enum(p, t->name, t->columns[j].name))
					continue;
				r = request(p, c, ty->kind == SS_TYPE_ENUM ?
				    SS_COUNT_ENUM_VALUE : SS_COUNT_ENUM_IN_ARRAY);
				r->table = t->name;
				r->column = t->columns[j].name;
				r->value = c->object;
				if (ty->kind == SS_TYPE_ENUM)
					request_enum_keys(p, c, t,
					    &t->columns[j]);
			}
		}
		break;
	default:
		break;
	}
}

size_t
ss_plan_count_requests(struct ss_plan *p, struct ss_count_request **reqs)
{
	size_t i;

	if (!p->reqs_built) {
		p->nreqs = 0;
		for (i = 0; i < p->n; i++)
			build_requests(p, p->v[i]);
		p->reqs_built = true;
	}
	*reqs = p->reqs;
	return p->nreqs;
}

/* Classification. */

struct verdict {
	enum ss_class class;
	long count;
	struct ss_buf detail;
};

static void
verdict(struct verdict *v, enum ss_class class, long count, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

/* Adds one aspect's finding; the worst class sets the count. */
static void
verdict(struct verdict *v, enum ss_class class, long count, const char *fmt,
    ...)
{
	va_list ap;

	if (v->detail.len == 0 || class > v->class) {
		v->class = class;
		v->count = count;
	}
	if (v->detail.len > 0)
		ss_buf_adds(&v->detail, "; ");
	va_start(ap, fmt);
	ss_buf_vaddf(&v->detail, fmt, ap);
	va_end(ap);
}

/* Appends "1,204 rows" or "1 row". */
static void
counted(struct ss_buf *b, long n, const char *one, const char *many)
{
	ss_count_format(b, n);
	ss_buf_addc(b, ' ');
	ss_buf_adds(b, n == 1 ? one : many);
}

/* The sum of c's requests' counts; -1 when any is unknown. */
static long
sum_counts(const struct ss_plan *p, const struct ss_change *c,
    enum ss_count_kind kind, size_t *nreq)
{
	long sum = 0;
	size_t i;

	*nreq = 0;
	for (i = c->req_first; i < c->req_first + c->req_n; i++) {
		if (p->reqs[i].kind != kind)
			continue;
		(*nreq)++;
		if (p->reqs[i].count < 0)
			return -1;
		sum += p->reqs[i].count;
	}
	return sum;
}

/* Of c's values that a type change would not keep, those the cast
 * refuses; -1 when unknown. */
static long
refused(const struct ss_plan *p, const struct ss_change *c)
{
	size_t i;

	for (i = c->req_first; i < c->req_first + c->req_n; i++)
		if (p->reqs[i].kind == SS_COUNT_LOSSY)
			return p->reqs[i].count < 0 ? -1 : p->reqs[i].failing;
	return 0;
}

/* Whether d has a default to stand in for a value the cast refuses
 * (an identity column has none). */
static bool
has_value_default(const struct ss_column *d)
{
	return d->def.kind != SS_DEFAULT_NONE &&
	    d->def.kind != SS_DEFAULT_NULL && !d->autoincrement;
}

/* Whether column d can take a value the cast refuses: its default, or
 * NULL. */
static bool
takes_null(const struct ss_column *d)
{
	return d->nullable || has_value_default(d);
}

/* "1,204 rows" in the caller's scratch buffer tmp. */
#define COUNTED(n, one, many) \
    (ss_buf_reset(&tmp), counted(&tmp, (n), (one), (many)), tmp.s)

/*
 * A column type change over the values it holds: destructive for what
 * the change rewrites or loses, unexecutable when a value the cast
 * refuses has nowhere to go (NOT NULL, no default).
 */
static void
classify_type_change(struct ss_plan *p, struct ss_change *c,
    struct verdict *v)
{
	struct ss_buf tmp = SS_BUF_INIT, type = SS_BUF_INIT;
	size_t nreq;
	long n, lossy, failing;

	n = sum_counts(p, c, SS_COUNT_NONNULL, &nreq);
	if (nreq == 0)
		goto out;
	lossy = sum_counts(p, c, SS_COUNT_LOSSY, &nreq);
	failing = lossy > 0 ? refused(p, c) : 0;
	if (n < 0)
		verdict(v, SS_CLASS_DESTRUCTIVE, -1, "count of "
		    "values unknown");
	else if (n > 0 && failing > 0 &&
	    !takes_null(c->d_column)) {
		/* A refused value becomes NULL (or the
		 * default): nowhere to go. */
		ss_buf_reset(&type);
		ss_type_format(&type, &c->d_column->type);
		verdict(v, SS_CLASS_UNEXECUTABLE, failing,
		    "%s not cast to %s and would be NULL in a "
		    "NOT NULL column without a default: fix or "
		    "delete %s, or give the column a default",
		    COUNTED(failing, "value does", "values do"),
		    type.s, failing == 1 ? "that row" :
		    "those rows");
	} else if (n > 0 && lossy > 0) {
		verdict(v, SS_CLASS_DESTRUCTIVE, lossy, "%s",
		    COUNTED(n, "non-null value",
		    "non-null values"));
		ss_buf_addf(&v->detail, ", %s",
		    COUNTED(lossy, "would not survive the type "
		    "change", "would not survive the type "
		    "change"));
		/* What becomes of them, when the dialect
		 * knows: what the cast gives, or NULL (the
		 * default) for a value it refuses. */
		if (failing >= 0 && failing < lossy)
			ss_buf_addf(&v->detail, ": %ld changed by "
			    "the cast", lossy - failing);
		if (failing > 0)
			ss_buf_addf(&v->detail, "%s%ld set to %s",
			    failing < lossy ? ", " : ": ",
			    failing, has_value_default(c->d_column) ?
			    "the default" : "NULL");
	} else if (n > 0 && (lossy < 0 || !p->affinity_types))
		/* A type change is destructive on a non-empty
		 * column, but where values keep their storage
		 * class (SQLite) only for what it rewrites. */
		verdict(v, SS_CLASS_DESTRUCTIVE, n, "%s",
		    COUNTED(n, "non-null value",
		    "non-null values"));
out:
	ss_buf_release(&tmp);
	ss_buf_release(&type);
}

/* An altered column: generation, enum values removed, type, NOT NULL. */
static void
classify_alter_column(struct ss_plan *p, struct ss_change *c,
    struct verdict *v)
{
	struct ss_buf tmp = SS_BUF_INIT;
	size_t nreq;
	long n;

	if (replaces_values(c)) {
		n = sum_counts(p, c, SS_COUNT_NONNULL, &nreq);
		if (n < 0)
			verdict(v, SS_CLASS_DESTRUCTIVE, -1, "count of "
			    "values unknown");
		else if (n > 0)
			verdict(v, SS_CLASS_DESTRUCTIVE, n, "%s "
			    "replaced by the generation expression",
			    COUNTED(n, "non-null value",
			    "non-null values"));
		goto out;
	}
	if ((c->alter & SS_ALTER_GENERATED) &&
	    c->d_column->generated == NULL)
		verdict(v, SS_CLASS_SAFE, -1, "the computed values "
		    "stay, as plain values");
	else if ((c->alter & (SS_ALTER_GENERATED | SS_ALTER_TYPE)) &&
	    c->d_column->generated != NULL)
		verdict(v, SS_CLASS_SAFE, -1, "generated: its values "
		    "are computed again, no data is lost");
	n = sum_counts(p, c, SS_COUNT_ENUM_VALUE, &nreq);
	if (nreq > 0) {
		if (n < 0)
			verdict(v, SS_CLASS_DESTRUCTIVE, -1, "count of "
			    "rows using removed values unknown");
		else if (n > 0)
			verdict(v, SS_CLASS_DESTRUCTIVE, n, "%s "
			    "removed values", COUNTED(n, "row uses",
			    "rows use"));
	}
	classify_type_change(p, c, v);
	n = sum_counts(p, c, SS_COUNT_NULLS, &nreq);
	if (nreq > 0) {
		if (n < 0)
			verdict(v, SS_CLASS_UNEXECUTABLE, -1,
			    "count of NULLs unknown");
		else if (n > 0)
			verdict(v, SS_CLASS_UNEXECUTABLE, n, "%s NULL",
			    COUNTED(n, "row has", "rows have"));
	}
out:
	ss_buf_release(&tmp);
}

/*
 * Rows holding the value enum change c removes that have nowhere to go:
 * NULL, in a column that stays NOT NULL with no default the enum keeps;
 * -1 when a count is unknown. *where names the first such column.
 */
static long
lost_nowhere(struct ss_plan *p, const struct ss_change *c,
    const char **where)
{
	const struct ss_enum *want = p->desired == NULL ? NULL :
	    ss_schema_enum(p->desired, c->c_enum->name);
	const struct ss_table *dt;
	const struct ss_column *d;
	long sum = 0;
	size_t i;

	*where = NULL;
	for (i = c->req_first; want != NULL && i < c->req_first + c->req_n;
	    i++) {
		const struct ss_count_request *r = &p->reqs[i];
		if (r->kind != SS_COUNT_ENUM_VALUE || r->count == 0 ||
		    (d = desired_column(p, r->table, r->column, &dt)) == NULL ||
		    d->nullable || kept_default(d, want, c->c_enum))
			continue;
		if (r->count < 0)
			return -1;
		sum += r->count;
		if (*where == NULL)
			*where = ss_arena_printf(&p->arena, "%s.%s",
			    dt->name, d->name);
	}
	return sum;
}

static void
classify_one(struct ss_plan *p, struct ss_change *c)
{
	struct verdict v = { SS_CLASS_SAFE, -1, SS_BUF_INIT };
	struct ss_buf tmp = SS_BUF_INIT;
	const char *where;
	size_t nreq;
	long n;

	if (c->candidate) {
		c->class = SS_CLASS_AMBIGUOUS;
		c->count = sum_counts(p, c, c->op == SS_OP_RENAME_TABLE ?
		    SS_COUNT_ROWS : SS_COUNT_NONNULL, &nreq);
		c->detail = NULL;
		return;
	}
	switch (c->op) {
	case SS_OP_DROP_TABLE:
		n = sum_counts(p, c, SS_COUNT_ROWS, &nreq);
		if (n == 0)
			verdict(&v, SS_CLASS_SAFE, 0, "no rows");
		else if (n < 0)
			verdict(&v, SS_CLASS_DESTRUCTIVE, -1, "row count unknown");
		else
			verdict(&v, SS_CLASS_DESTRUCTIVE, n, "%s",
			    COUNTED(n, "row", "rows"));
		break;
	case SS_OP_DROP_COLUMN:
		n = sum_counts(p, c, SS_COUNT_NONNULL, &nreq);
		if (c->c_column != NULL && c->c_column->generated != NULL)
			verdict(&v, SS_CLASS_SAFE, 0, "generated: no data of "
			    "its own");
		else if (n == 0)
			verdict(&v, SS_CLASS_SAFE, 0, "no data");
		else if (n < 0)
			verdict(&v, SS_CLASS_DESTRUCTIVE, -1,
			    "count of values unknown");
		else
			verdict(&v, SS_CLASS_DESTRUCTIVE, n, "%s",
			    COUNTED(n, "non-null value", "non-null values"));
		break;
	case SS_OP_ADD_COLUMN:
		n = sum_counts(p, c, SS_COUNT_ROWS, &nreq);
		if (nreq == 0 || n == 0)
			break;
		if (n < 0)
			verdict(&v, SS_CLASS_UNEXECUTABLE, -1, "NOT NULL without "
			    "a default, and the row count is unknown");
		else
			verdict(&v, SS_CLASS_UNEXECUTABLE, n, "NOT NULL without "
			    "a default, and the table has %s",
			    COUNTED(n, "row", "rows"));
		break;
	case SS_OP_ALTER_COLUMN:
		classify_alter_column(p, c, &v);
		break;
	case SS_OP_CREATE_INDEX:
	case SS_OP_ADD_UNIQUE:
	case SS_OP_ADD_PRIMARY_KEY:
		n = sum_counts(p, c, SS_COUNT_DUPLICATES, &nreq);
		if (nreq == 0 || n == 0)
			break;
		if (n < 0)
			verdict(&v, SS_CLASS_UNEXECUTABLE, -1,
			    "count of duplicates unknown");
		else
			verdict(&v, SS_CLASS_UNEXECUTABLE, n, "%s",
			    COUNTED(n, "row shares its value with another",
			    "rows share their values with others"));
		break;
	case SS_OP_ADD_CHECK:
		n = sum_counts(p, c, SS_COUNT_CHECK, &nreq);
		if (n > 0)
			verdict(&v, SS_CLASS_UNEXECUTABLE, n, "%s the check",
			    COUNTED(n, "row violates", "rows violate"));
		break;
	case SS_OP_ADD_FOREIGN_KEY:
		n = sum_counts(p, c, SS_COUNT_FK, &nreq);
		if (n > 0)
			verdict(&v, SS_CLASS_UNEXECUTABLE, n, "%s no row of %s",
			    COUNTED(n, "row references", "rows reference"),
			    c->d_fk->ref_table);
		break;
	case SS_OP_ALTER_TABLE:
		n = sum_counts(p, c, SS_COUNT_STRICT, &nreq);
		if (nreq == 0 || n == 0)
			break;
		if (n < 0)
			verdict(&v, SS_CLASS_UNEXECUTABLE, -1, "count of values "
			    "STRICT would refuse unknown");
		else
			verdict(&v, SS_CLASS_UNEXECUTABLE, n, "%s a value that "
			    "STRICT column types refuse", COUNTED(n, "row holds",
			    "rows hold"));
		break;
	case SS_OP_DROP_ENUM_VALUE:
		n = sum_counts(p, c, SS_COUNT_ENUM_IN_ARRAY, &nreq);
		if (nreq > 0 && n != 0) {
			/* An array's element has no NULL to become. */
			if (n < 0)
				verdict(&v, SS_CLASS_UNEXECUTABLE, -1, "count "
				    "of arrays holding it unknown");
			else
				verdict(&v, SS_CLASS_UNEXECUTABLE, n, "%s it "
				    "in an array", COUNTED(n, "row holds",
				    "rows hold"));
			break;
		}
		if ((n = lost_nowhere(p, c, &where)) != 0) {
			/* NULL, and NOT NULL refuses it. */
			if (n < 0)
				verdict(&v, SS_CLASS_UNEXECUTABLE, -1, "count "
				    "of rows using it unknown");
			else
				verdict(&v, SS_CLASS_UNEXECUTABLE, n, "%s it in "
				    "NOT NULL column %s, which has no default "
				    "the enum keeps and has before this push",
				    COUNTED(n, "row holds", "rows hold"), where);
			c->fix = "give the column a default the enum keeps "
			    "(one it gains: add the value in a push of its "
			    "own first) or make it nullable, or change those "
			    "rows first";
			break;
		}
		n = sum_counts(p, c, SS_COUNT_DUPLICATES, &nreq);
		if (nreq > 0 && n != 0) {
			/* The default, and a key already holds it. */
			if (n < 0)
				verdict(&v, SS_CLASS_UNEXECUTABLE, -1, "count "
				    "of rows sharing a key unknown");
			else
				verdict(&v, SS_CLASS_UNEXECUTABLE, n, "%s one "
				    "key value once the rows holding it take "
				    "the default", COUNTED(n, "row would share",
				    "rows would share"));
			c->fix = "change the rows that hold it first, or keep "
			    "it";
			break;
		}
		n = sum_counts(p, c, SS_COUNT_ENUM_VALUE, &nreq);
		if (n < 0)
			verdict(&v, SS_CLASS_DESTRUCTIVE, -1,
			    "count of rows using it unknown");
		else if (n > 0)
			verdict(&v, SS_CLASS_DESTRUCTIVE, n, "%s it",
			    COUNTED(n, "row uses", "rows use"));
		else
			verdict(&v, SS_CLASS_SAFE, 0, "not used");
		break;
	default:
		break;
	}
#undef COUNTED
	c->class = v.class;
	c->count = v.count;
	c->detail = v.detail.len ? ss_arena_strdup(&p->arena, v.detail.s) : NULL;
	ss_buf_release(&v.detail);
	ss_buf_release(&tmp);
}

void
ss_plan_classify(struct ss_plan *p)
{
	struct ss_count_request *reqs;
	size_t i;

	ss_plan_count_requests(p, &reqs);
	for (i = 0; i < p->n; i++)
		classify_one(p, p->v[i]);
}

enum ss_class
ss_plan_worst(const struct ss_plan *p)
{
	enum ss_class w = SS_CLASS_SAFE;
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->v[i]->class > w)
			w = p->v[i]->class;
	return w;
}

/* Dependencies (notes 1-4). */

enum rkind { RK_PROVIDES, RK_REMOVES, RK_MODIFIES, RK_REQUIRES, RK_USES };

struct res {
	const char *key;
	enum rkind kind;
	size_t change;		/* index into p->v */
};

struct deps {
	struct ss_plan *p;
	struct res *v;
	size_t n, alloc;
	size_t cur;		/* the change whose names are being listed */
	struct ss_buf key;
};

/* Keys: a kind letter, then the parts, separated by \037. */
static void
res(struct deps *x, enum rkind kind, char letter, const char *a, const char *b)
{
	struct res *r;

	/* An unnamed object (SQLite) has no name to depend on. */
	if (a == NULL || (b == NULL && letter != 't' && letter != 'e' &&
	    letter != 'i' && letter != 'w'))
		return;
	ss_buf_reset(&x->key);
	ss_buf_addc(&x->key, letter);
	ss_buf_addc(&x->key, '\037');
	ss_buf_adds(&x->key, a);
	if (b != NULL) {
		ss_buf_addc(&x->key, '\037');
		ss_buf_adds(&x->key, b);
	}
	SS_ALLOC_GROW(x->v, x->n, x->alloc);
	r = &x->v[x->n++];
	r->key = ss_arena_strdup(&x->p->arena, x->key.s);
	r->kind = kind;
	r->change = x->cur;
}

static int
cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A key's name ("u" table cols): its columns sorted, joined by \036. */
static void
res_key(struct deps *x, enum rkind kind, const char *table,
    const struct ss_names *cols, const char *map_table)
{
	struct ss_buf b = SS_BUF_INIT;
	const char **v = ss_xcalloc(cols->n + 1, sizeof *v);
	size_t i;

	for (i = 0; i < cols->n; i++)
		v[i] = map_table ? new_column_name(x->p, map_table,
		    cols->v[i].name) : cols->v[i].name;
	qsort(v, cols->n, sizeof *v, cmp_cstr);
	for (i = 0; i < cols->n; i++) {
		if (i > 0)
			ss_buf_addc(&b, '\036');
		ss_buf_adds(&b, v[i]);
	}
	res(x, kind, 'u', table, b.s);
	free(v);
	ss_buf_release(&b);
}

/* Columns: desired names (map NULL) or current names mapped through the
 * renames of table t. */
static void
res_columns(struct deps *x, enum rkind kind, const char *t,
    const struct ss_names *cols, bool current)
{
	size_t i;

	for (i = 0; i < cols->n; i++)
		res(x, kind, 'c', t, current ? new_column_name(x->p, t,
		    cols->v[i].name) : cols->v[i].name);
}

/* Columns of table tab (named t) that an expression mentions. */
static void
res_mentions(struct deps *x, enum rkind kind, const char *t,
    const struct ss_table *tab, const char *expr, bool current)
{
	size_t i;

	if (expr == NULL || tab == NULL)
		return;
	for (i = 0; i < tab->ncolumns; i++)
		if (expr_mentions(expr, tab->columns[i].name))
			res(x, kind, 'c', t, current ? new_column_name(x->p, t,
			    tab->columns[i].name) : tab->columns[i].name);
}

/* Index columns: names of columns, and columns named in expressions. */
static void
res_index_columns(struct deps *x, enum rkind kind, const char *t,
    const struct ss_table *tab, const struct ss_index *ix, bool current)
{
	size_t i;

	for (i = 0; i < ix->columns.n; i++) {
		const char *e = ix->columns.v[i].name;
		if (ss_table_column(tab, e) != NULL)
			res(x, kind, 'c', t, current ? new_column_name(x->p, t,
			    e) : e);
		else
			res_mentions(x, kind, t, tab, e, current);
	}
	res_mentions(x, kind, t, tab, ix->where, current);
}

static void
res_enum_column(struct deps *x, enum rkind kind, const struct ss_column *col)
{
	if (!x->p->enum_types || col->type.kind != SS_TYPE_ENUM)
		return;
	res(x, kind, 'e', col->type.name, NULL);
	if (col->def.kind == SS_DEFAULT_STRING)
		res(x, kind, 'v', col->type.name, col->def.value);
}

bool
ss_change_defers(const struct ss_change *c, const struct ss_fk *fk)
{
	size_t i;

	for (i = 0; i < c->ndeferred_fks; i++)
		if (c->deferred_fks[i] == fk)
			return true;
	return false;
}

static void
res_fk_target(struct deps *x, enum rkind kind, const struct ss_fk *fk,
    bool current)
{
	const char *rt = current ? new_table_name(x->p, fk->ref_table) :
	    fk->ref_table;

	res(x, kind, 't', rt, NULL);
	res_columns(x, kind, rt, &fk->ref_columns, current);
	res_key(x, kind, rt, &fk->ref_columns, current ? rt : NULL);
}

/*
 * Declared views: what a view's SQL reads, by name (note 8): the tables
 * of s it mentions and their columns it mentions ('w' keys for the
 * views). current: s is the database now, names mapped through the
 * plan's renames.
 */
static void
res_view_reads(struct deps *x, enum rkind kind, const struct ss_view *v,
    const struct ss_schema *s, bool current)
{
	const char *t;
	size_t i;

	if (v == NULL || v->sql == NULL || s == NULL)
		return;
	for (i = 0; i < s->ntables; i++) {
		if (!ss_sql_mentions(v->sql, s->tables[i]->name))
			continue;
		t = current ? new_table_name(x->p, s->tables[i]->name) :
		    s->tables[i]->name;
		res(x, kind, 't', t, NULL);
		res_mentions(x, kind, t, s->tables[i], v->sql, current);
	}
	for (i = 0; i < s->nviews; i++)
		if (s->views[i] != v && !s->views[i]->drop &&
		    ss_sql_mentions(v->sql, s->views[i]->name))
			res(x, kind, 'w', s->views[i]->name, NULL);
}

static void
list_names(struct deps *x, const struct ss_change *c)
{
	const struct ss_table *t;
	const char *T = c->table;
	size_t i;

	if (T != NULL && c->op != SS_OP_CREATE_TABLE &&
	    c->op != SS_OP_DROP_TABLE && c->op != SS_OP_RENAME_TABLE)
		res(x, RK_REQUIRES, 't', T, NULL);
	switch (c->op) {
	case SS_OP_CREATE_TABLE:
		t = c->d_table;
		res(x, RK_PROVIDES, 't', T, NULL);
		for (i = 0; i < t->ncolumns; i++) {
			res(x, RK_PROVIDES, 'c', T, t->columns[i].name);
			res_enum_column(x, RK_REQUIRES, &t->columns[i]);
		}
		if (t->pk != NULL) {
			res(x, RK_PROVIDES, 'i', t->pk->name, NULL);
			res_key(x, RK_PROVIDES, T, &t->pk->columns, NULL);
		}
		for (i = 0; i < t->nuniques; i++) {
			res(x, RK_PROVIDES, 'i', t->uniques[i].name, NULL);
			res_key(x, RK_PROVIDES, T, &t->uniques[i].columns, NULL);
		}
		for (i = 0; i < t->nchecks; i++)
			res(x, RK_PROVIDES, 'k', T, t->checks[i].name);
		for (i = 0; i < t->nfks; i++) {
			if (ss_change_defers(c, &t->fks[i]))
				continue;
			res(x, RK_PROVIDES, 'k', T, t->fks[i].name);
			if (strcmp(t->fks[i].ref_table, T) != 0 &&
			    !x->p->forward_fks)
				res_fk_target(x, RK_REQUIRES, &t->fks[i], false);
		}
		break;
	case SS_OP_DROP_TABLE:
		t = c->c_table;
		res(x, RK_REMOVES, 't', T, NULL);
		for (i = 0; i < t->ncolumns; i++) {
			res(x, RK_REMOVES, 'c', T, t->columns[i].name);
			res_enum_column(x, RK_USES, &t->columns[i]);
		}
		if (t->pk != NULL) {
			res(x, RK_REMOVES, 'i', t->pk->name, NULL);
			res_key(x, RK_REMOVES, T, &t->pk->columns, NULL);
		}
		for (i = 0; i < t->nuniques; i++) {
			res(x, RK_REMOVES, 'i', t->uniques[i].name, NULL);
			res_key(x, RK_REMOVES, T, &t->uniques[i].columns, NULL);
		}
		for (i = 0; i < t->nindexes; i++) {
			res(x, RK_REMOVES, 'i', t->indexes[i].name, NULL);
			if (t->indexes[i].unique && t->indexes[i].where == NULL)
				res_key(x, RK_REMOVES, T,
				    &t->indexes[i].columns, NULL);
		}
		for (i = 0; i < t->nchecks; i++)
			res(x, RK_REMOVES, 'k', T, t->checks[i].name);
		for (i = 0; i < t->nfks; i++) {
			res(x, RK_REMOVES, 'k', T, t->fks[i].name);
			if (strcmp(t->fks[i].ref_table, T) != 0)
				res_fk_target(x, RK_USES, &t->fks[i], true);
		}
		break;
	case SS_OP_RENAME_TABLE:
		res(x, RK_REMOVES, 't', c->old_name, NULL);
		res(x, RK_PROVIDES, 't', T, NULL);
		break;
	case SS_OP_ADD_COLUMN:
		res(x, RK_PROVIDES, 'c', T, c->column);
		res_enum_column(x, RK_REQUIRES, c->d_column);
		break;
	case SS_OP_DROP_COLUMN:
		res(x, RK_REMOVES, 'c', T, c->column);
		res_enum_column(x, RK_USES, c->c_column);
		break;
	case SS_OP_RENAME_COLUMN:
		res(x, RK_REMOVES, 'c', T, c->old_name);
		res(x, RK_PROVIDES, 'c', T, c->column);
		break;
	case SS_OP_ALTER_COLUMN:
		res(x, RK_REQUIRES, 'c', T, c->column);
		res(x, RK_PROVIDES, 'c', T, c->column);
		res(x, RK_MODIFIES, 'c', T, c->column);
		res_enum_column(x, RK_REQUIRES, c->d_column);
		res_enum_column(x, RK_USES, c->c_column);
		break;
	case SS_OP_CREATE_INDEX:
		res_index_columns(x, RK_REQUIRES, T, c->d_table, c->d_index,
		    false);
		res(x, RK_PROVIDES, 'i', c->object, NULL);
		if (c->d_index->unique && c->d_index->where == NULL)
			res_key(x, RK_PROVIDES, T, &c->d_index->columns, NULL);
		break;
	case SS_OP_DROP_INDEX:
		res_index_columns(x, RK_USES, T, c->c_table, c->c_index, true);
		res(x, RK_REMOVES, 'i', c->object, NULL);
		if (c->c_index->unique && c->c_index->where == NULL)
			res_key(x, RK_REMOVES, T, &c->c_index->columns, T);
		break;
	case SS_OP_ADD_PRIMARY_KEY:
	case SS_OP_ADD_UNIQUE:
		res_columns(x, RK_REQUIRES, T, &c->d_key->columns, false);
		res(x, RK_PROVIDES, 'i', c->object, NULL);
		res_key(x, RK_PROVIDES, T, &c->d_key->columns, NULL);
		break;
	case SS_OP_DROP_PRIMARY_KEY:
	case SS_OP_DROP_UNIQUE:
		res_columns(x, RK_USES, T, &c->c_key->columns, true);
		res(x, RK_REMOVES, 'i', c->object, NULL);
		res_key(x, RK_REMOVES, T, &c->c_key->columns, T);
		break;
	case SS_OP_ADD_FOREIGN_KEY:
		res_columns(x, RK_REQUIRES, T, &c->d_fk->columns, false);
		res_fk_target(x, RK_REQUIRES, c->d_fk, false);
		res(x, RK_PROVIDES, 'k', T, c->object);
		break;
	case SS_OP_DROP_FOREIGN_KEY:
		res_columns(x, RK_USES, T, &c->c_fk->columns, true);
		res_fk_target(x, RK_USES, c->c_fk, true);
		res(x, RK_REMOVES, 'k', T, c->object);
		break;
	case SS_OP_ADD_CHECK:
		res_mentions(x, RK_REQUIRES, T, c->d_table, c->d_check->expr,
		    false);
		res(x, RK_PROVIDES, 'k', T, c->object);
		break;
	case SS_OP_DROP_CHECK:
		res_mentions(x, RK_USES, T, c->c_table, c->c_check->expr, true);
		res(x, RK_REMOVES, 'k', T, c->object);
		break;
	case SS_OP_CREATE_ENUM:
		res(x, RK_PROVIDES, 'e', c->object, NULL);
		for (i = 0; i < c->d_enum->values.n; i++)
			res(x, RK_PROVIDES, 'v', c->object,
			    c->d_enum->values.v[i].name);
		break;
	case SS_OP_ADD_ENUM_VALUE:
		res(x, RK_REQUIRES, 'e', c->d_enum->name, NULL);
		res(x, RK_PROVIDES, 'v', c->d_enum->name, c->object);
		break;
	case SS_OP_DROP_ENUM_VALUE:
		res(x, RK_REQUIRES, 'e', c->c_enum->name, NULL);
		res(x, RK_REMOVES, 'v', c->c_enum->name, c->object);
		break;
	case SS_OP_REORDER_ENUM:
		res(x, RK_REQUIRES, 'e', c->c_enum->name, NULL);
		break;
	case SS_OP_DROP_ENUM:
		res(x, RK_REMOVES, 'e', c->object, NULL);
		for (i = 0; i < c->c_enum->values.n; i++)
			res(x, RK_REMOVES, 'v', c->object,
			    c->c_enum->values.v[i].name);
		break;
	case SS_OP_SET_COMMENT:
		if (c->column != NULL)
			res(x, RK_REQUIRES, 'c', T, c->column);
		break;
	case SS_OP_ALTER_FOREIGN_KEY:
		res(x, RK_REQUIRES, 'k', T, c->object);
		break;
	case SS_OP_ALTER_TABLE:
		break;
	case SS_OP_RENAME_UNIQUE:
		res(x, RK_REMOVES, 'i', c->old_name, NULL);
		res(x, RK_PROVIDES, 'i', c->object, NULL);
		break;
	case SS_OP_CREATE_VIEW:
		res(x, RK_PROVIDES, 'w', c->object, NULL);
		res_view_reads(x, RK_REQUIRES, c->d_view, x->p->desired, false);
		break;
	case SS_OP_DROP_VIEW:
		res(x, RK_REMOVES, 'w', c->object, NULL);
		res_view_reads(x, RK_USES, c->c_view, x->p->current, true);
		break;
	case SS_OP_MAX:
		break;
	}
}

static void
add_dep(struct ss_plan *p, struct ss_change *c, struct ss_change *on)
{
	size_t i;

	if (c == on)
		return;
	for (i = 0; i < c->ndeps; i++)
		if (c->deps[i] == on)
			return;
	*SS_ARENA_PUSH(&p->arena, c->deps, c->ndeps, c->adeps) = on;
}

static int
cmp_res(const void *a, const void *b)
{
	const struct res *x = a, *y = b;
	int r = strcmp(x->key, y->key);

	if (r != 0)
		return r;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->change < y->change ? -1 : x->change > y->change;
}

static bool
is_rename(const struct ss_change *c)
{
	return c->op == SS_OP_RENAME_TABLE || c->op == SS_OP_RENAME_COLUMN;
}

/* Whether a column of t (NULL: none) is of enum e, or an array of it. */
static bool
table_uses_enum(const struct ss_table *t, const char *e)
{
	size_t i;

	for (i = 0; t != NULL && i < t->ncolumns; i++)
		if (ss_type_uses_enum(&t->columns[i].type, e))
			return true;
	return false;
}

static void
build_deps(struct ss_plan *p)
{
	struct deps x;
	size_t i, j, k, start, end;

	if (p->deps_built)
		return;
	memset(&x, 0, sizeof x);
	x.p = p;
	ss_buf_init(&x.key);
	for (i = 0; i < p->n; i++) {
		p->v[i]->ndeps = 0;
		x.cur = i;
		list_names(&x, p->v[i]);
	}
	/*
	 * An enum's recreation (a removed value, a new order) carries out
	 * every change of the enum, and converts the columns that use it
	 * then: a new order waits for its values' changes, a removal for
	 * the removals before it, and both for the type changes of columns
	 * of the enum. Held with any of them (watch), the recreation never
	 * takes a value away by the way, nor runs around a column or a
	 * view left as it was.
	 */
	for (i = 0; i < p->n; i++) {
		struct ss_change *c = p->v[i];
		if (c->op != SS_OP_REORDER_ENUM &&
		    c->op != SS_OP_DROP_ENUM_VALUE)
			continue;
		for (j = 0; j < p->n; j++) {
			struct ss_change *o = p->v[j];
			if (o->op == SS_OP_ALTER_COLUMN &&
			    (o->alter & SS_ALTER_TYPE) && o->c_column != NULL &&
			    ss_type_uses_enum(&o->c_column->type,
			    c->c_enum->name))
				add_dep(p, c, o);
			/* A column of the enum that goes, or its table: held,
			 * it stays of the old type, which then cannot go. */
			if ((o->op == SS_OP_DROP_COLUMN && o->c_column != NULL &&
			    ss_type_uses_enum(&o->c_column->type,
			    c->c_enum->name)) || (o->op == SS_OP_DROP_TABLE &&
			    table_uses_enum(o->c_table, c->c_enum->name)))
				add_dep(p, c, o);
			if (o == c || o->c_enum == NULL ||
			    strcmp(o->c_enum->name, c->c_enum->name) != 0)
				continue;
			if ((c->op == SS_OP_REORDER_ENUM &&
			    (o->op == SS_OP_ADD_ENUM_VALUE ||
			    o->op == SS_OP_DROP_ENUM_VALUE)) ||
			    (c->op == SS_OP_DROP_ENUM_VALUE &&
			    o->op == SS_OP_DROP_ENUM_VALUE && j < i))
				add_dep(p, c, o);
		}
	}
	/* Note 8: a view re-created around a change of its table. */
	for (i = 0; i < p->n; i++) {
		struct ss_change *c = p->v[i];
		if (c->because_of == NULL)
			continue;
		add_dep(p, c, c->because_of);
		if (c->pair != NULL)
			add_dep(p, c->because_of, c->pair);
	}
	if (x.n > 0)	/* qsort(NULL, 0, ...) is undefined */
		qsort(x.v, x.n, sizeof *x.v, cmp_res);
	for (start = 0; start < x.n; start = end) {
		for (end = start; end < x.n &&
		    strcmp(x.v[end].key, x.v[start].key) == 0; end++)
			;
		for (j = start; j < end; j++) {
			struct ss_change *a = p->v[x.v[j].change];
			for (k = start; k < end; k++) {
				struct ss_change *b = p->v[x.v[k].change];
				/* Note 2: requirers after providers. */
				if (x.v[j].kind == RK_REQUIRES &&
				    x.v[k].kind == RK_PROVIDES)
					add_dep(p, a, b);
				/* Note 3: providers after removers. */
				if (x.v[j].kind == RK_PROVIDES &&
				    x.v[k].kind == RK_REMOVES)
					add_dep(p, a, b);
				/* Note 4: removers after the drops that used it. */
				if ((x.v[j].kind == RK_REMOVES ||
				    x.v[j].kind == RK_MODIFIES) && !is_rename(a) &&
				    x.v[k].kind == RK_USES)
					add_dep(p, a, b);
			}
		}
	}
	free(x.v);
	ss_buf_release(&x.key);
	p->deps_built = true;
}

/* Ordering (notes 5 and 6). */

static int
phase(enum ss_op op)
{
	switch (op) {
	case SS_OP_DROP_VIEW:
		return -1;	/* note 8 */
	case SS_OP_CREATE_VIEW:
		return 7;
	case SS_OP_CREATE_ENUM:
	case SS_OP_ADD_ENUM_VALUE:
		return 0;
	case SS_OP_RENAME_TABLE:
	case SS_OP_RENAME_COLUMN:
	case SS_OP_RENAME_UNIQUE:
		return 1;
	case SS_OP_DROP_FOREIGN_KEY:
	case SS_OP_DROP_CHECK:
	case SS_OP_DROP_INDEX:
	case SS_OP_DROP_UNIQUE:
	case SS_OP_DROP_PRIMARY_KEY:
		return 2;
	case SS_OP_CREATE_TABLE:
	case SS_OP_ADD_COLUMN:
	case SS_OP_ALTER_COLUMN:
	case SS_OP_ALTER_TABLE:
		return 3;
	case SS_OP_ADD_PRIMARY_KEY:
	case SS_OP_ADD_UNIQUE:
	case SS_OP_CREATE_INDEX:
	case SS_OP_ADD_CHECK:
	case SS_OP_ADD_FOREIGN_KEY:
	case SS_OP_SET_COMMENT:
	case SS_OP_ALTER_FOREIGN_KEY:
		return 4;
	case SS_OP_DROP_COLUMN:
	case SS_OP_DROP_TABLE:
		return 5;
	default:
		return 6;
	}
}

static bool
in_list(struct ss_change **v, size_t n, const struct ss_change *c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == c)
			return true;
	return false;
}

static void
remove_dep(struct ss_change *c, const struct ss_change *on)
{
	size_t i, j;

	for (i = 0, j = 0; i < c->ndeps; i++)
		if (c->deps[i] != on)
			c->deps[j++] = c->deps[i];
	c->ndeps = j;
}

/*
 * Note 6 for new tables: c, a create_table waiting for other new tables,
 * is created without its foreign keys to the tables in wait[]; they are
 * appended as add_foreign_key changes. Returns whether it broke anything.
 */
static bool
defer_create(struct ss_plan *p, struct ss_change *c, struct ss_change **left,
    size_t nleft)
{
	const struct ss_table *t = c->d_table;
	const struct ss_fk **fks;
	struct ss_change *o, *add;
	size_t i, j;
	bool broke = false;

	fks = ss_arena_alloc(&p->arena, (t->nfks + 1) * sizeof *fks);
	for (i = 0; i < c->ndeferred_fks; i++)
		fks[i] = c->deferred_fks[i];
	for (i = 0; i < c->ndeps; ) {
		o = c->deps[i];
		if (o->op != SS_OP_CREATE_TABLE || !in_list(left, nleft, o)) {
			i++;
			continue;
		}
		for (j = 0; j < t->nfks; j++) {
			if (strcmp(t->fks[j].ref_table, o->table) != 0 ||
			    ss_change_defers(c, &t->fks[j]))
				continue;
			fks[c->ndeferred_fks++] = &t->fks[j];
			c->deferred_fks = fks;
			add = ss_plan_add(p, SS_OP_ADD_FOREIGN_KEY);
			add->table = t->name;
			add->d_table = t;
			add->object = t->fks[j].name;
			add->d_fk = &t->fks[j];
			add->class = SS_CLASS_SAFE;
			add_dep(p, add, c);
			add_dep(p, add, o);
		}
		remove_dep(c, o);
		broke = true;
	}
	p->deps_built = true;	/* edges patched by hand above */
	return broke;
}

/* Note 6 for dropped tables: c waits for dropped tables whose foreign
 * keys reference it; those keys are dropped first instead. */
static bool
defer_drop(struct ss_plan *p, struct ss_change *c, struct ss_change **left,
    size_t nleft)
{
	struct ss_change *o, *drop;
	size_t i, j;
	bool broke = false;

	for (i = 0; i < c->ndeps; ) {
		o = c->deps[i];
		if (o->op != SS_OP_DROP_TABLE || !in_list(left, nleft, o)) {
			i++;
			continue;
		}
		for (j = 0; j < o->c_table->nfks; j++) {
			const struct ss_fk *fk = &o->c_table->fks[j];
			if (strcmp(fk->ref_table, c->table) != 0)
				continue;
			drop = ss_plan_add(p, SS_OP_DROP_FOREIGN_KEY);
			drop->table = drop->cur_table = o->table;
			drop->c_table = o->c_table;
			drop->object = fk->name;
			drop->c_fk = fk;
			add_dep(p, c, drop);
			add_dep(p, o, drop);
		}
		remove_dep(c, o);
		broke = true;
	}
	p->deps_built = true;
	return broke;
}

enum { MARK_LEFT, MARK_DONE, MARK_SEEN };

static bool
ready(const struct ss_change *c)
{
	size_t i;

	for (i = 0; i < c->ndeps; i++)
		if (c->deps[i]->mark != MARK_DONE)
			return false;
	return true;
}

/* Whether c can reach target through dependencies not yet done. */
static bool
reaches(struct ss_change *c, const struct ss_change *target)
{
	size_t i;

	for (i = 0; i < c->ndeps; i++) {
		struct ss_change *d = c->deps[i];
		if (d == target)
			return true;
		if (d->mark != MARK_LEFT)
			continue;
		d->mark = MARK_SEEN;
		if (reaches(d, target))
			return true;
	}
	return false;
}

static bool
on_cycle(struct ss_plan *p, struct ss_change *c)
{
	size_t i;
	bool r = reaches(c, c);

	for (i = 0; i < p->n; i++)
		if (p->v[i]->mark == MARK_SEEN)
			p->v[i]->mark = MARK_LEFT;
	return r;
}

/* Note 6: breaks one cycle; false when none can be broken. */
static bool
break_cycle(struct ss_plan *p, struct ss_change **left, size_t nleft)
{
	size_t i;

	for (i = 0; i < nleft; i++) {
		struct ss_change *c = left[i];
		if (c->op != SS_OP_CREATE_TABLE && c->op != SS_OP_DROP_TABLE)
			continue;
		if (!on_cycle(p, c))
			continue;
		if (c->op == SS_OP_CREATE_TABLE && defer_create(p, c, left, nleft))
			return true;
		if (c->op == SS_OP_DROP_TABLE && defer_drop(p, c, left, nleft))
			return true;
	}
	return false;
}

static int
cmp_seq(const void *a, const void *b)
{
	const struct ss_change *x = *(struct ss_change *const *)a;
	const struct ss_change *y = *(struct ss_change *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int
ss_plan_order(struct ss_plan *p, struct ss_err *err)
{
	struct ss_change **left = NULL, **out = NULL, *best;
	size_t nleft = 0, aleft = 0, nout = 0, aout = 0, i, j, before;
	int r = 0;

	build_deps(p);
	for (i = 0; i < p->n; i++) {
		p->v[i]->mark = MARK_LEFT;
		SS_ALLOC_GROW(left, nleft, aleft);
		left[nleft++] = p->v[i];
	}
	/* Model order, whatever order an earlier call left. */
	if (nleft > 0)
		qsort(left, nleft, sizeof *left, cmp_seq);
	while (nleft > 0) {
		best = NULL;
		j = 0;
		for (i = 0; i < nleft; i++) {
			struct ss_change *c = left[i];
			if (!ready(c))
				continue;
			if (best == NULL || phase(c->op) < phase(best->op) ||
			    (phase(c->op) == phase(best->op) &&
			    c->seq < best->seq)) {
				best = c;
				j = i;
			}
		}
		if (best == NULL) {
			before = p->n;
			if (!break_cycle(p, left, nleft)) {
				r = ss_err_set(err, SS_EINTERNAL, "cannot order "
				    "the plan: %s on '%s' is in a dependency "
				    "cycle", ss_op_name(left[0]->op),
				    left[0]->table ? left[0]->table :
				    left[0]->object);
				goto out;
			}
			for (i = before; i < p->n; i++) {
				p->v[i]->mark = MARK_LEFT;
				SS_ALLOC_GROW(left, nleft, aleft);
				left[nleft++] = p->v[i];
			}
			continue;
		}
		best->mark = MARK_DONE;
		SS_ALLOC_GROW(out, nout, aout);
		out[nout++] = best;
		memmove(&left[j], &left[j + 1], (nleft - j - 1) * sizeof *left);
		nleft--;
	}
	if (nout > 0)
		memcpy(p->v, out, nout * sizeof *out);
out:
	free(left);
	free(out);
	return r;
}

/* Holding (notes 2-4, 7). */

size_t
ss_plan_hold(struct ss_plan *p, unsigned accept)
{
	struct ss_change *c;
	size_t i, j, held = 0;
	bool again;

	build_deps(p);
	for (i = 0; i < p->n; i++) {
		c = p->v[i];
		c->held_by = NULL;
		c->held = c->class >= SS_CLASS_UNEXECUTABLE ||
		    !(accept & SS_ACCEPT(c->class));
	}
	do {
		again = false;
		for (i = 0; i < p->n; i++) {
			c = p->v[i];
			if (c->held)
				continue;
			for (j = 0; j < c->ndeps && !c->held; j++)
				if (c->deps[j]->held) {
					c->held = true;
					c->held_by = c->deps[j];
				}
			if (!c->held && c->pair != NULL && c->pair->held) {
				c->held = true;
				c->held_by = c->pair;
			}
			again |= c->held;
		}
	} while (again);
	for (i = 0; i < p->n; i++)
		held += p->v[i]->held;
	return held;
}

/* Rendering. */

static void
add_names(struct ss_buf *b, const struct ss_names *l)
{
	size_t i;

	ss_buf_adds(b, " (");
	for (i = 0; i < l->n; i++)
		ss_buf_addf(b, "%s%s", i ? ", " : "", l->v[i].name);
	ss_buf_addc(b, ')');
}

/* Index methods and options: "using gin (a desc, b text_pattern_ops)". */
static void
add_entries(struct ss_buf *b, const struct ss_index *ix)
{
	const struct ss_index_key *k;
	size_t i;

	if (ix->method != NULL)
		ss_buf_addf(b, " using %s", ix->method);
	ss_buf_adds(b, " (");
	for (i = 0; i < ix->columns.n; i++) {
		k = ss_index_key(ix, i);
		ss_buf_addf(b, "%s%s", i ? ", " : "", ix->columns.v[i].name);
		if (k->opclass != NULL)
			ss_buf_addf(b, " %s", k->opclass);
		if (k->desc)
			ss_buf_adds(b, " desc");
		if (k->nulls != SS_NULLS_DEFAULT)
			ss_buf_adds(b, k->nulls == SS_NULLS_FIRST ?
			    " nulls first" : " nulls last");
	}
	ss_buf_addc(b, ')');
	if (ix->include.n > 0) {
		ss_buf_adds(b, " include");
		add_names(b, &ix->include);
	}
	if (ix->nulls_not_distinct)
		ss_buf_adds(b, " nulls not distinct");
}

static void
add_default(struct ss_buf *b, const struct ss_default *d)
{
	switch (d->kind) {
	case SS_DEFAULT_NONE:
		ss_buf_adds(b, "none");
		break;
	case SS_DEFAULT_NULL:
		ss_buf_adds(b, "null");
		break;
	case SS_DEFAULT_STRING:
		ss_buf_addf(b, "'%s'", d->value);
		break;
	default:
		ss_buf_adds(b, d->value);
		break;
	}
}

/* An expression for a plan line: without the newline the loader ends
 * a -- comment with. */
static void
add_expr_text(struct ss_buf *b, const char *e)
{
	int n = (int)strlen(e);

	while (n > 0 && e[n - 1] == '\n')
		n--;
	ss_buf_addf(b, "%.*s", n, e);
}

/* The generated-column, identity-option and collation parts. */
static void
describe_alter_more(struct ss_buf *b, const struct ss_change *c,
    const char *sep)
{
	const struct ss_column *d = c->d_column, *cc = c->c_column;

	if (c->alter & SS_ALTER_GENERATED) {
		ss_buf_adds(b, sep);
		if (d->generated == NULL)
			ss_buf_adds(b, "drop generated");
		else {
			ss_buf_adds(b, "generated ");
			if (cc->generated != NULL) {
				ss_buf_addf(b, "%s (", cc->stored ? "stored" :
				    "virtual");
				add_expr_text(b, cc->generated);
				ss_buf_adds(b, ") → ");
			}
			ss_buf_addf(b, "%s (", d->stored ? "stored" : "virtual");
			add_expr_text(b, d->generated);
			ss_buf_addc(b, ')');
		}
		sep = ", ";
	}
	if (c->alter & SS_ALTER_IDENTITY) {
		ss_buf_addf(b, "%sautoincrement start %lld increment %lld → "
		    "start %lld increment %lld", sep, ss_identity_start(cc),
		    ss_identity_increment(cc), ss_identity_start(d),
		    ss_identity_increment(d));
		sep = ", ";
	}
	if (c->alter & SS_ALTER_COLLATION)
		ss_buf_addf(b, "%scollation %s → %s", sep, cc->collation ?
		    cc->collation : "default", d->collation ? d->collation :
		    "default");
}

static void
describe_alter(struct ss_buf *b, const struct ss_change *c)
{
	const struct ss_column *d = c->d_column, *cc = c->c_column;
	const char *sep = ": ";

	ss_buf_addf(b, "alter column %s.%s", c->table, c->column);
	if (c->alter & SS_ALTER_TYPE) {
		ss_buf_addf(b, "%stype ", sep);
		ss_type_format(b, &cc->type);
		ss_buf_adds(b, " → ");
		ss_type_format(b, &d->type);
		sep = ", ";
	}
	if (c->alter & SS_ALTER_NULLABLE) {
		ss_buf_addf(b, "%s%s not null", sep, d->nullable ? "drop" :
		    "set");
		sep = ", ";
	}
	if (c->alter & SS_ALTER_DEFAULT) {
		ss_buf_adds(b, sep);
		if (d->def.kind == SS_DEFAULT_NONE)
			ss_buf_adds(b, "drop default");
		else if (cc->def.kind == SS_DEFAULT_NONE) {
			ss_buf_adds(b, "set default ");
			add_default(b, &d->def);
		} else {
			ss_buf_adds(b, "default ");
			add_default(b, &cc->def);
			ss_buf_adds(b, " → ");
			add_default(b, &d->def);
		}
		sep = ", ";
	}
	if ((c->alter & SS_ALTER_AUTOINCREMENT) && d->autoincrement &&
	    cc->autoincrement)
		ss_buf_addf(b, "%sautoincrement %s → %s", sep, cc->always ?
		    "always" : "true", d->always ? "always" : "true");
	else if (c->alter & SS_ALTER_AUTOINCREMENT)
		ss_buf_addf(b, "%s%s autoincrement%s", sep, d->autoincrement ?
		    "add" : "drop", d->autoincrement && d->always ?
		    " always" : "");
	if (c->alter & (SS_ALTER_AUTOINCREMENT | SS_ALTER_NULLABLE |
	    SS_ALTER_DEFAULT | SS_ALTER_TYPE))
		sep = ", ";
	describe_alter_more(b, c, sep);
}

/* SQLite's foreign keys and checks may have no name. */
static const char *
oname(const struct ss_change *c)
{
	return c->object ? c->object : "(unnamed)";
}

/* What a drop of c's old object would lose: "3 non-null values". */
static void
lost_by_drop(struct ss_buf *b, const struct ss_change *c)
{
	bool table = c->op == SS_OP_RENAME_TABLE;

	if (c->count < 0)
		ss_buf_adds(b, table ? "row count unknown" : "count unknown");
	else if (c->count == 0)
		ss_buf_adds(b, table ? "no rows" : "no data");
	else
		counted(b, c->count, table ? "row" : "non-null value",
		    table ? "rows" : "non-null values");
}

void
ss_change_choice(struct ss_buf *b, const struct ss_change *c)
{
	const char *what = c->op == SS_OP_RENAME_TABLE ? "table" : "column";

	if (c->op == SS_OP_RENAME_TABLE)
		ss_buf_addf(b, "table %s → %s: r = rename it (keeps its rows), "
		    "c = create %s and drop %s (", c->old_name, c->table,
		    c->table, c->old_name);
	else
		ss_buf_addf(b, "column %s.%s → %s.%s: r = rename it (keeps its "
		    "values), c = add %s and drop %s (", c->table, c->old_name,
		    c->table, c->column, c->column, c->old_name);
	lost_by_drop(b, c);
	ss_buf_addf(b, " lost), s = skip (hold the %s)?", what);
}

void
ss_change_describe(struct ss_buf *b, const struct ss_change *c)
{
	size_t i;

	switch (c->op) {
	case SS_OP_CREATE_TABLE:
	case SS_OP_DROP_TABLE:
		ss_buf_addf(b, "%s table %s", c->op == SS_OP_CREATE_TABLE ?
		    "create" : "drop", c->table);
		break;
	case SS_OP_RENAME_TABLE:
		ss_buf_addf(b, "rename table %s → %s", c->old_name, c->table);
		break;
	case SS_OP_ADD_COLUMN:
	case SS_OP_DROP_COLUMN:
		ss_buf_addf(b, "%s column %s.%s", c->op == SS_OP_ADD_COLUMN ?
		    "add" : "drop", c->table, c->column);
		break;
	case SS_OP_RENAME_COLUMN:
		ss_buf_addf(b, "rename column %s.%s → %s.%s", c->table,
		    c->old_name, c->table, c->column);
		break;
	case SS_OP_ALTER_COLUMN:
		describe_alter(b, c);
		break;
	case SS_OP_CREATE_INDEX:
		ss_buf_addf(b, "create %sindex %s on %s",
		    c->d_index->unique ? "unique " : "", oname(c), c->table);
		add_entries(b, c->d_index);
		if (c->d_index->where) {
			/* Without the newline the loader ends a -- comment with. */
			int n = (int)strlen(c->d_index->where);
			while (n > 0 && c->d_index->where[n - 1] == '\n')
				n--;
			ss_buf_addf(b, " where %.*s", n, c->d_index->where);
		}
		break;
	case SS_OP_DROP_INDEX:
		ss_buf_addf(b, "drop index %s on %s", oname(c), c->table);
		break;
	case SS_OP_ADD_FOREIGN_KEY:
		ss_buf_addf(b, "add foreign key %s on %s", oname(c), c->table);
		add_names(b, &c->d_fk->columns);
		ss_buf_addf(b, " → %s", c->d_fk->ref_table);
		add_names(b, &c->d_fk->ref_columns);
		break;
	case SS_OP_DROP_FOREIGN_KEY:
		ss_buf_addf(b, "drop foreign key %s on %s", oname(c), c->table);
		break;
	case SS_OP_ADD_CHECK:
		ss_buf_addf(b, "add check %s on %s", oname(c), c->table);
		break;
	case SS_OP_DROP_CHECK:
		ss_buf_addf(b, "drop check %s on %s", oname(c), c->table);
		break;
	case SS_OP_ADD_PRIMARY_KEY:
	case SS_OP_ADD_UNIQUE:
		ss_buf_addf(b, "add %s %s on %s", c->op == SS_OP_ADD_UNIQUE ?
		    "unique" : "primary key", oname(c), c->table);
		add_names(b, &c->d_key->columns);
		if (c->d_key->include.n > 0) {
			ss_buf_adds(b, " include");
			add_names(b, &c->d_key->include);
		}
		if (c->d_key->nulls_not_distinct)
			ss_buf_adds(b, " nulls not distinct");
		if (c->d_key->deferrable)
			ss_buf_adds(b, c->d_key->initially_deferred ?
			    " deferrable initially deferred" : " deferrable");
		break;
	case SS_OP_DROP_PRIMARY_KEY:
	case SS_OP_DROP_UNIQUE:
		ss_buf_addf(b, "drop %s%s%s on %s", c->op == SS_OP_DROP_UNIQUE ?
		    "unique" : "primary key", c->object ? " " : "",
		    c->object ? c->object : "", c->table);
		break;
	case SS_OP_CREATE_ENUM:
	case SS_OP_REORDER_ENUM:
		ss_buf_addf(b, "%s enum %s (", c->op == SS_OP_CREATE_ENUM ?
		    "create" : "reorder", c->object);
		for (i = 0; i < c->d_enum->values.n; i++)
			ss_buf_addf(b, "%s%s", i ? ", " : "",
			    c->d_enum->values.v[i].name);
		ss_buf_addc(b, ')');
		break;
	case SS_OP_ADD_ENUM_VALUE:
		ss_buf_addf(b, "add enum value %s.%s", c->d_enum->name,
		    c->object);
		break;
	case SS_OP_DROP_ENUM_VALUE:
		ss_buf_addf(b, "drop enum value %s.%s", c->c_enum->name,
		    c->object);
		break;
	case SS_OP_DROP_ENUM:
		ss_buf_addf(b, "drop enum %s", c->object);
		break;
	case SS_OP_CREATE_VIEW:
		ss_buf_addf(b, "create %sview %s", c->d_view->materialized ?
		    "materialized " : "", c->object);
		if (c->because != NULL)
			ss_buf_addf(b, " (again: %s)", c->because);
		if (c->d_view->materialized)
			ss_buf_adds(b, " (runs its query and stores every row: "
			    "may be slow)");
		break;
	case SS_OP_DROP_VIEW:
		ss_buf_addf(b, "drop %sview %s", c->c_view->materialized ?
		    "materialized " : "", c->object);
		if (c->because != NULL)
			ss_buf_addf(b, " (%s; created again after)", c->because);
		else if (c->pair != NULL)
			ss_buf_adds(b, " (its definition changed; created again "
			    "after)");
		break;
	case SS_OP_SET_COMMENT: {
		const char *to = c->column ? c->d_column->comment :
		    c->d_table->comment;
		ss_buf_adds(b, to != NULL && to[0] != '\0' ? "set" : "drop");
		if (c->column != NULL)
			ss_buf_addf(b, " comment on column %s.%s", c->table,
			    c->column);
		else
			ss_buf_addf(b, " comment on table %s", c->table);
		break;
	}
	case SS_OP_ALTER_FOREIGN_KEY:
		ss_buf_addf(b, "alter foreign key %s on %s: %s", oname(c),
		    c->table, !c->d_fk->deferrable ? "not deferrable" :
		    c->d_fk->initially_deferred ? "deferrable initially "
		    "deferred" : "deferrable initially immediate");
		break;
	case SS_OP_ALTER_TABLE:
		ss_buf_addf(b, "alter table %s:", c->table);
		if (c->d_table->strict != c->c_table->strict)
			ss_buf_addf(b, " %sstrict", c->d_table->strict ? "" :
			    "not ");
		if (c->d_table->without_rowid != c->c_table->without_rowid)
			ss_buf_addf(b, "%s %s", c->d_table->strict !=
			    c->c_table->strict ? "," : "",
			    c->d_table->without_rowid ? "without rowid" :
			    "with rowid");
		break;
	case SS_OP_RENAME_UNIQUE:
		ss_buf_addf(b, "rename unique %s → %s on %s", c->old_name,
		    c->object, c->table);
		break;
	case SS_OP_MAX:
		break;
	}
	if (c->detail != NULL)
		ss_buf_addf(b, " (%s)", c->detail);
}

const char *
ss_change_sign(const struct ss_change *c)
{
	switch (c->class) {
	case SS_CLASS_AMBIGUOUS:
		return "?";
	case SS_CLASS_UNEXECUTABLE:
		return "✗";
	case SS_CLASS_DESTRUCTIVE:
		return "!";
	default:
		break;
	}
	switch (c->op) {
	case SS_OP_DROP_TABLE:
	case SS_OP_DROP_COLUMN:
	case SS_OP_DROP_INDEX:
	case SS_OP_DROP_FOREIGN_KEY:
	case SS_OP_DROP_CHECK:
	case SS_OP_DROP_PRIMARY_KEY:
	case SS_OP_DROP_UNIQUE:
	case SS_OP_DROP_ENUM_VALUE:
	case SS_OP_DROP_ENUM:
	case SS_OP_DROP_VIEW:
		return "-";
	case SS_OP_ALTER_COLUMN:
	case SS_OP_RENAME_TABLE:
	case SS_OP_RENAME_COLUMN:
	case SS_OP_SET_COMMENT:
	case SS_OP_ALTER_FOREIGN_KEY:
	case SS_OP_ALTER_TABLE:
	case SS_OP_RENAME_UNIQUE:
	case SS_OP_REORDER_ENUM:
		return "~";
	default:
		return "+";
	}
}

void
ss_plan_digest(struct ss_buf *b, const struct ss_plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		ss_buf_addf(b, "%s %s ", ss_class_name(p->v[i]->class),
		    ss_change_sign(p->v[i]));
		ss_change_describe(b, p->v[i]);
		ss_buf_addc(b, '\n');
	}
}

void
ss_change_rename_arg(struct ss_buf *b, const struct ss_change *c)
{
	if (c->op == SS_OP_RENAME_TABLE)
		ss_buf_addf(b, "%s=%s", c->old_name, c->table);
	else if (c->op == SS_OP_RENAME_COLUMN)
		ss_buf_addf(b, "%s.%s=%s", c->cur_table, c->old_name, c->column);
}

void
ss_change_rename_hint(struct ss_buf *b, const struct ss_change *c)
{
	if (c->op == SS_OP_RENAME_TABLE)
		ss_buf_addf(b, "add 'renamed_from: %s' to table %s, or pass "
		    "--rename ", c->old_name, c->table);
	else if (c->op == SS_OP_RENAME_COLUMN)
		ss_buf_addf(b, "add 'renamed_from: %s' to column %s.%s, or "
		    "pass --rename ", c->old_name, c->table, c->column);
	else
		return;
	ss_change_rename_arg(b, c);
	if (!c->candidate)
		return;
	if (c->op == SS_OP_RENAME_TABLE)
		ss_buf_addf(b, "; to drop table %s (", c->old_name);
	else
		ss_buf_addf(b, "; to drop column %s.%s (", c->table, c->old_name);
	lost_by_drop(b, c);
	ss_buf_adds(b, ") and create the new one instead, pass --no-rename ");
	ss_change_rename_arg(b, c);
}

const struct ss_loc *
ss_change_loc(const struct ss_change *c)
{
	const struct ss_loc *l = NULL;

	if (c->op == SS_OP_ALTER_TABLE)	/* the option's key, if written */
		l = c->d_table->strict != c->c_table->strict &&
		    c->d_table->strict_loc.file != NULL ?
		    &c->d_table->strict_loc :
		    c->d_table->without_rowid != c->c_table->without_rowid &&
		    c->d_table->without_rowid_loc.file != NULL ?
		    &c->d_table->without_rowid_loc : &c->d_table->loc;
	else if (c->d_column != NULL)
		l = &c->d_column->loc;
	else if (c->d_index != NULL)
		l = &c->d_index->loc;
	else if (c->d_key != NULL)
		l = &c->d_key->loc;
	else if (c->d_fk != NULL)
		l = &c->d_fk->loc;
	else if (c->d_check != NULL)
		l = &c->d_check->loc;
	else if (c->d_enum != NULL)
		l = &c->d_enum->loc;
	else if (c->d_view != NULL)
		l = &c->d_view->loc;
	else if (c->d_table != NULL)
		l = &c->d_table->loc;	/* a drop in a table of the files */
	return l != NULL && l->file != NULL ? l : NULL;
}

/* "name" with " doubled: both dialects read it. */
static void
qident(struct ss_buf *b, const char *name)
{
	ss_buf_addc(b, '"');
	for (; *name != '\0'; name++) {
		if (*name == '"')
			ss_buf_addc(b, '"');
		ss_buf_addc(b, *name);
	}
	ss_buf_addc(b, '"');
}

/*
 * A PostgreSQL string literal (enums are PostgreSQL's): E'' with ' and
 * \ doubled, read alike whatever standard_conforming_strings is.
 */
static void
qliteral(struct ss_buf *b, const char *s)
{
	ss_buf_adds(b, "E'");
	for (; *s != '\0'; s++) {
		if (*s == '\'' || *s == '\\')
			ss_buf_addc(b, *s);
		ss_buf_addc(b, *s);
	}
	ss_buf_addc(b, '\'');
}

void
ss_change_fix(struct ss_buf *b, const struct ss_change *c)
{
	if (c->fix != NULL) {
		ss_buf_adds(b, c->fix);
		return;
	}
	switch (c->op) {
	case SS_OP_ADD_COLUMN:
		ss_buf_adds(b, "give it a default, or make it nullable; or add "
		    "it nullable, fill it (UPDATE ");
		qident(b, c->table);
		ss_buf_adds(b, " SET ");
		qident(b, c->column);
		ss_buf_adds(b, " = …), then make it NOT NULL");
		break;
	case SS_OP_ALTER_COLUMN:
		if (c->alter & SS_ALTER_NULLABLE) {
			ss_buf_adds(b, "fill the NULLs first (UPDATE ");
			qident(b, c->table);
			ss_buf_adds(b, " SET ");
			qident(b, c->column);
			ss_buf_adds(b, " = … WHERE ");
			qident(b, c->column);
			ss_buf_adds(b, " IS NULL; a default does not fill rows "
			    "that are there), or keep it nullable");
		} else
			ss_buf_adds(b, "change the values the new type cannot "
			    "hold first, or keep the type");
		break;
	case SS_OP_CREATE_INDEX:
	case SS_OP_ADD_UNIQUE:
	case SS_OP_ADD_PRIMARY_KEY:
		ss_buf_adds(b, "remove or change the rows that share their "
		    "values first, or make it not unique");
		break;
	case SS_OP_ADD_CHECK:
		ss_buf_adds(b, "change the rows that violate it first (SELECT * "
		    "FROM ");
		qident(b, c->table);
		ss_buf_addf(b, " WHERE NOT (%s))", c->d_check->expr);
		break;
	case SS_OP_ADD_FOREIGN_KEY:
		ss_buf_adds(b, "delete or correct the rows that reference "
		    "nothing first, or add the rows they reference");
		break;
	case SS_OP_DROP_ENUM_VALUE:
		ss_buf_adds(b, "take the value out of those arrays first, or "
		    "keep it");
		break;
	case SS_OP_ALTER_TABLE:
		ss_buf_adds(b, "change the values that do not fit their "
		    "column's type first (in a STRICT table an INTEGER column "
		    "takes only integers, TEXT only text, BLOB only blobs), "
		    "or leave the table not strict");
		break;
	default:
		ss_buf_adds(b, "change the data first so that the statement "
		    "can run");
		break;
	}
}
