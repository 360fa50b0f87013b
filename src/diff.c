/*
 * The differ (include/ss/diff.h): two models in, plan changes out.
 *
 * Design notes:
 *  1. Three passes. Pass one matches tables (by name, then by rename
 *     hint or answer, then as rename candidates; renames that
 *     statements made, renames_first, before names), pass two matches
 *     the columns of every matched table the same way, pass three emits
 *     changes. Foreign keys need every match before they can be
 *     compared (a key may point at a renamed table's renamed column),
 *     hence the passes.
 *  2. Changes are emitted in model order: enums, then desired tables in
 *     source order (each table's rename first, then its contents), then
 *     vanished tables in database order, then enum drops. That order is
 *     the tie-breaker ss_plan_order() keeps.
 *  3. Renames are never guessed. A candidate that is the only one for
 *     both its objects is matched provisionally so that its contents can
 *     be shown; every change on it names the candidate's new name, so it
 *     depends on the candidate and is held while the candidate is.
 *  4. No I/O and no globals: everything the differ keeps lives in a
 *     struct differ on the stack, freed before ss_diff() returns.
 *  5. Every name of the two models is compared through name_eq() and
 *     looked up through cur_table(), des_table() and table_column(), so
 *     that a dialect whose names fold case (SQLite) is one flag: the
 *     maps are then keyed by the folded name. A pair matched by name
 *     under another spelling is renamed to the files' spelling.
 */
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "ss/buf.h"

#include "ss/diff.h"
#include "ss/sqlparse.h"

enum match { M_NAME, M_RENAME, M_PROVISIONAL };

struct cpair {
	const struct ss_column *d, *c;
	enum match how;
};

struct cand {
	const void *old, *new;	/* tables or columns */
	int nold, nnew;		/* candidates sharing old / new */
};

struct cands {
	struct cand *v;		/* heap */
	size_t n, alloc;
};

struct tpair {
	const struct ss_table *d, *c;
	enum match how;
	struct cpair *cols;
	size_t ncols;
	const struct ss_column **added;		/* appeared, no candidate */
	size_t nadded;
	const struct ss_column **dropped;	/* vanished, no candidate */
	size_t ndropped;
	struct cands cands;			/* column candidates */
};

struct differ {
	const struct ss_schema *d, *c;
	const struct ss_diff_opts *o;
	struct ss_plan *p;
	struct tpair *pairs;	/* one per desired table matched; heap */
	size_t npairs;
	struct ss_map by_cur;	/* current name (key()) -> pair index + 1 */
	struct ss_map by_des;	/* desired name (key()) -> pair index + 1 */
	struct cands cands;	/* table candidates */
	/* fold_case only: */
	struct ss_map cur_tables;	/* folded name -> current table */
	struct ss_map des_tables;	/* folded name -> desired table */
	struct ss_arena keys;		/* the maps' folded keys */
	struct ss_buf *scratch;		/* a folded key to look up */
};

/* Names (note 5). */

static char
lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

static bool
name_eq(const struct differ *D, const char *a, const char *b)
{
	if (!D->o->fold_case)
		return strcmp(a, b) == 0;
	for (; *a != '\0' && lower(*a) == lower(*b); a++, b++)
		;
	return lower(*a) == lower(*b);
}

/* The key of name in the differ's maps: name itself, or folded into the
 * scratch buffer (valid until the next call). */
static const char *
key(const struct differ *D, const char *name)
{
	size_t i;

	if (!D->o->fold_case)
		return name;
	ss_buf_reset(D->scratch);
	for (i = 0; name[i] != '\0'; i++)
		ss_buf_addc(D->scratch, lower(name[i]));
	return D->scratch->s;
}

/* The same, kept as long as the differ. */
static const char *
kept_key(struct differ *D, const char *name)
{
	return D->o->fold_case ? ss_arena_strdup(&D->keys, key(D, name)) : name;
}

static struct ss_table *
cur_table(const struct differ *D, const char *name)
{
	if (!D->o->fold_case)
		return ss_schema_table(D->c, name);
	return ss_map_get(&D->cur_tables, key(D, name));
}

static struct ss_table *
des_table(const struct differ *D, const char *name)
{
	if (!D->o->fold_case)
		return ss_schema_table(D->d, name);
	return ss_map_get(&D->des_tables, key(D, name));
}

static const struct ss_column *
table_column(const struct differ *D, const struct ss_table *t,
    const char *name)
{
	size_t i;

	if (!D->o->fold_case)
		return ss_table_column(t, name);
	for (i = 0; i < t->ncolumns; i++)
		if (name_eq(D, t->columns[i].name, name))
			return &t->columns[i];
	return NULL;
}

/* Comparisons. */

static bool
same_expr(const struct differ *D, const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	if (D->o->same_expr != NULL)
		return D->o->same_expr(a, b, D->o->ctx);
	return strcmp(a, b) == 0;
}

static bool
same_values(const struct ss_enum *a, const struct ss_enum *b)
{
	size_t i;

	if (a == NULL || b == NULL || a->values.n != b->values.n)
		return false;
	for (i = 0; i < a->values.n; i++)
		if (!ss_names_has(&b->values, a->values.v[i].name))
			return false;
	return true;
}

static bool
same_type(const struct differ *D, const struct ss_type *d,
    const struct ss_type *c)
{
	/* Without enum types an enum is its list of values. */
	if (!D->o->enum_types && d->kind == SS_TYPE_ENUM &&
	    c->kind == SS_TYPE_ENUM)
		return same_values(ss_schema_enum(D->d, d->name),
		    ss_schema_enum(D->c, c->name));
	if (D->o->same_type != NULL)
		return D->o->same_type(d, c, D->o->ctx);
	return ss_type_equal(d, c);
}

static bool
same_default(const struct differ *D, const struct ss_column *d,
    const struct ss_column *c)
{
	if (D->o->same_default != NULL)
		return D->o->same_default(d, c, D->o->ctx);
	return ss_default_equal(&d->def, &c->def);
}

/*
 * Collations: NULL is the type's default, and so is the dialect's name
 * for that default (ss_diff_opts.default_collation) written out.
 * Compared as names are (fold_case: SQLite's are case-insensitive).
 */
static bool
same_collation(const struct differ *D, const char *d, const char *c)
{
	const char *dflt = D->o->default_collation;

	if (d != NULL && dflt != NULL && name_eq(D, d, dflt))
		d = NULL;
	if (c != NULL && dflt != NULL && name_eq(D, c, dflt))
		c = NULL;
	if (d == NULL || c == NULL)
		return d == c;
	return name_eq(D, d, c);
}

/* Generated columns: both hold values, or both compute them the same
 * way (the expression as the dialect compares expressions). */
static bool
same_generated(const struct differ *D, const struct ss_column *d,
    const struct ss_column *c)
{
	if (d->generated == NULL || c->generated == NULL)
		return d->generated == c->generated;
	return d->stored == c->stored && same_expr(D, d->generated,
	    c->generated);
}

static bool
rejected(const struct differ *D, const char *table, const char *column,
    const char *to, const char *table2)
{
	const struct ss_rename *r;
	size_t i;

	for (i = 0; i < D->o->nrejected; i++) {
		r = &D->o->rejected[i];
		if ((r->column == NULL) != (column == NULL) ||
		    !name_eq(D, r->to, to))
			continue;
		if (column == NULL && name_eq(D, r->table, table))
			return true;
		if (column != NULL && name_eq(D, r->column, column) &&
		    (name_eq(D, r->table, table) ||
		    (table2 && name_eq(D, r->table, table2))))
			return true;
	}
	return false;
}

/* Name mapping: what a current table or column is called after the plan. */

static const struct tpair *
pair_by_current(const struct differ *D, const char *cur)
{
	uintptr_t i = (uintptr_t)ss_map_get(&D->by_cur, key(D, cur));

	return i ? &D->pairs[i - 1] : NULL;
}

static const struct tpair *
pair_by_desired(const struct differ *D, const struct ss_table *t)
{
	uintptr_t i = (uintptr_t)ss_map_get(&D->by_des, key(D, t->name));

	return i && D->pairs[i - 1].d == t ? &D->pairs[i - 1] : NULL;
}

static const char *
map_table(const struct differ *D, const char *cur)
{
	const struct tpair *tp = pair_by_current(D, cur);

	return tp ? tp->d->name : cur;
}

static const char *
map_column(const struct differ *D, const struct tpair *tp, const char *cur)
{
	size_t i;

	if (tp == NULL)
		return cur;
	for (i = 0; i < tp->ncols; i++)
		if (name_eq(D, tp->cols[i].c->name, cur))
			return tp->cols[i].d->name;
	return cur;
}

/* Whether desired names d equal current names c once c is mapped by tp. */
static bool
same_names(const struct differ *D, const struct ss_names *d,
    const struct ss_names *c, const struct tpair *tp)
{
	size_t i;

	if (d->n != c->n)
		return false;
	/* Byte-wise: a column maps to its desired name, and an entry that
	 * is an expression keeps its case ('A' is not 'a'). */
	for (i = 0; i < d->n; i++)
		if (strcmp(d->v[i].name, map_column(D, tp, c->v[i].name)) != 0)
			return false;
	return true;
}

/* Whether name is one of table t's columns. */
static bool
is_column(const struct differ *D, const struct ss_table *t, const char *name)
{
	size_t i;

	for (i = 0; t != NULL && i < t->ncolumns; i++)
		if (name_eq(D, t->columns[i].name, name))
			return true;
	return false;
}

/*
 * An index's entries: as same_names(), but two entries that are both
 * expressions (neither is a column of its table) are the same when the
 * dialect reads them as the same expression: PostgreSQL gives "n + 1"
 * back as "((n + 1))", and a byte-wise comparison dropped and created
 * the index on every push.
 */
static bool
same_entries(const struct differ *D, const struct ss_names *d,
    const struct ss_names *c, const struct tpair *tp)
{
	const char *de, *ce;
	size_t i;

	if (d->n != c->n)
		return false;
	for (i = 0; i < d->n; i++) {
		de = d->v[i].name;
		ce = c->v[i].name;
		if (strcmp(de, map_column(D, tp, ce)) == 0)
			continue;
		if (tp == NULL || is_column(D, tp->d, de) ||
		    is_column(D, tp->c, ce) || !same_expr(D, de, ce))
			return false;
	}
	return true;
}

/* Pass one: tables. */

static bool
claimed_table(const struct differ *D, const struct ss_table *c)
{
	size_t i;

	for (i = 0; i < D->npairs; i++)
		if (D->pairs[i].c == c)
			return true;
	return false;
}

/* Whether a statement dropped current table c, or its column col
 * (renames_first): it is never matched, and its data counts as lost. */
static bool
gone(const struct differ *D, const struct ss_table *c, const char *col)
{
	size_t i;

	for (i = 0; i < D->o->ngone; i++)
		if ((D->o->gone[i].column == NULL) == (col == NULL) &&
		    name_eq(D, D->o->gone[i].table, c->name) &&
		    (col == NULL || name_eq(D, D->o->gone[i].column, col)))
			return true;
	return false;
}

/* An old table for desired table t from a hint or an answer, or NULL. */
static const struct ss_table *
renamed_table(const struct differ *D, const struct ss_table *t)
{
	const struct ss_table *old;
	size_t i;

	if (t->renamed_from != NULL &&
	    des_table(D, t->renamed_from) == NULL &&
	    (old = cur_table(D, t->renamed_from)) != NULL &&
	    !claimed_table(D, old) && !gone(D, old, NULL))
		return old;
	for (i = 0; i < D->o->nrenames; i++) {
		const struct ss_rename *r = &D->o->renames[i];
		if (r->column != NULL || !name_eq(D, r->to, t->name))
			continue;
		if (des_table(D, r->table) == NULL &&
		    (old = cur_table(D, r->table)) != NULL &&
		    !claimed_table(D, old) && !gone(D, old, NULL))
			return old;
	}
	return NULL;
}

/* Same shape: the same column names, each of the same type. */
static bool
same_shape(const struct differ *D, const struct ss_table *d,
    const struct ss_table *c)
{
	const struct ss_column *cc;
	size_t i;

	if (d->ncolumns != c->ncolumns)
		return false;
	for (i = 0; i < d->ncolumns; i++) {
		cc = table_column(D, c, d->columns[i].name);
		if (cc == NULL || !same_type(D, &d->columns[i].type, &cc->type))
			return false;
	}
	return true;
}

static void
add_cand(struct cands *l, const void *old, const void *new)
{
	struct cand *c;

	SS_ALLOC_GROW(l->v, l->n, l->alloc);
	c = &l->v[l->n++];
	memset(c, 0, sizeof *c);
	c->old = old;
	c->new = new;
}

/* Counts, for each candidate, the candidates sharing its old and new. */
static void
count_cands(struct cands *l)
{
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		l->v[i].nold = l->v[i].nnew = 0;
		for (j = 0; j < l->n; j++) {
			l->v[i].nold += l->v[j].old == l->v[i].old;
			l->v[i].nnew += l->v[j].new == l->v[i].new;
		}
	}
}

static bool
in_cands(const struct cands *l, const void *x)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].old == x || l->v[i].new == x)
			return true;
	return false;
}

static struct tpair *
add_pair(struct differ *D, const struct ss_table *d, const struct ss_table *c,
    enum match how)
{
	struct tpair *tp;

	D->pairs = ss_xrealloc(D->pairs, (D->npairs + 1) * sizeof *D->pairs);
	tp = &D->pairs[D->npairs++];
	memset(tp, 0, sizeof *tp);
	tp->d = d;
	tp->c = c;
	/* Lookups by either name: maps, so pairing n tables is not n^2. */
	ss_map_put(&D->by_cur, kept_key(D, c->name),
	    (void *)(uintptr_t)D->npairs);
	ss_map_put(&D->by_des, kept_key(D, d->name),
	    (void *)(uintptr_t)D->npairs);
	tp->how = how;
	return tp;
}

/*
 * Whether renames[i] (of a table, or of a column of table) is on a
 * cycle of the renames: a -> b, b -> a. The plan cannot order a swap
 * (each rename waits for the other's name), so a cycle is left to the
 * names: its tables or columns compared by name, whose drops then
 * count data the renames keep, and never too little.
 */
static bool
made_cycle(const struct differ *D, size_t i, const char *table)
{
	const struct ss_rename *v = D->o->renames, *r = &v[i];
	const char *name = r->to;
	size_t j, steps;

	for (steps = 0; steps < D->o->nrenames; steps++) {
		for (j = 0; j < D->o->nrenames; j++)
			if ((v[j].column == NULL) == (r->column == NULL) &&
			    (r->column == NULL || name_eq(D, v[j].table, table)) &&
			    name_eq(D, r->column == NULL ? v[j].table :
			    v[j].column, name))
				break;
		if (j == D->o->nrenames)
			return false;
		if (j == i)
			return true;
		name = v[j].to;
	}
	return false;
}

/*
 * Renames that statements made (renames_first), before names: the
 * table renamed onto a name takes it from the table there, which a
 * statement before dropped or renamed away.
 */
static void
match_made_renames(struct differ *D)
{
	const struct ss_table *t, *c;
	size_t i;

	for (i = 0; i < D->o->nrenames; i++) {
		const struct ss_rename *r = &D->o->renames[i];
		if (r->column != NULL || (t = des_table(D, r->to)) == NULL ||
		    (c = cur_table(D, r->table)) == NULL ||
		    pair_by_desired(D, t) != NULL || claimed_table(D, c) ||
		    made_cycle(D, i, NULL))
			continue;
		add_pair(D, t, c, M_RENAME);
	}
}

static void
match_tables(struct differ *D)
{
	const struct ss_table *t, *c;
	size_t i, j;

	if (D->o->renames_first)
		match_made_renames(D);
	/* Names first, so a hint cannot take a table kept by name. */
	for (i = 0; i < D->d->ntables; i++) {
		t = D->d->tables[i];
		if ((c = cur_table(D, t->name)) != NULL &&
		    !(D->o->renames_first && (pair_by_desired(D, t) != NULL ||
		    claimed_table(D, c) || gone(D, c, NULL))))
			add_pair(D, t, c, M_NAME);
	}
	for (i = 0; i < D->d->ntables; i++) {
		t = D->d->tables[i];
		if (cur_table(D, t->name) != NULL ||
		    pair_by_desired(D, t) != NULL)
			continue;
		if ((c = renamed_table(D, t)) != NULL)
			add_pair(D, t, c, M_RENAME);
	}
	for (i = 0; i < D->c->ntables; i++) {
		c = D->c->tables[i];
		if (claimed_table(D, c) || gone(D, c, NULL))
			continue;
		for (j = 0; j < D->d->ntables; j++) {
			t = D->d->tables[j];
			/* Kept by name or by a rename: no candidate. */
			if (cur_table(D, t->name) != NULL ||
			    pair_by_desired(D, t) != NULL)
				continue;
			if (same_shape(D, t, c) &&
			    !rejected(D, c->name, NULL, t->name, NULL))
				add_cand(&D->cands, c, t);
		}
	}
	count_cands(&D->cands);
	for (i = 0; i < D->cands.n; i++)
		if (D->cands.v[i].nold == 1 && D->cands.v[i].nnew == 1)
			add_pair(D, D->cands.v[i].new, D->cands.v[i].old,
			    M_PROVISIONAL);
}

/* Pass two: columns of one matched table. */

static bool
claimed_column(const struct tpair *tp, const struct ss_column *c)
{
	size_t i;

	for (i = 0; i < tp->ncols; i++)
		if (tp->cols[i].c == c)
			return true;
	return false;
}

static const struct ss_column *
renamed_column(const struct differ *D, const struct tpair *tp,
    const struct ss_column *col)
{
	const struct ss_column *old;
	size_t i;

	if (col->renamed_from != NULL &&
	    table_column(D, tp->d, col->renamed_from) == NULL &&
	    (old = table_column(D, tp->c, col->renamed_from)) != NULL &&
	    !claimed_column(tp, old) && !gone(D, tp->c, old->name))
		return old;
	for (i = 0; i < D->o->nrenames; i++) {
		const struct ss_rename *r = &D->o->renames[i];
		if (r->column == NULL || !name_eq(D, r->to, col->name) ||
		    (!name_eq(D, r->table, tp->d->name) &&
		    !name_eq(D, r->table, tp->c->name)))
			continue;
		if (table_column(D, tp->d, r->column) == NULL &&
		    (old = table_column(D, tp->c, r->column)) != NULL &&
		    !claimed_column(tp, old) && !gone(D, tp->c, old->name))
			return old;
	}
	return NULL;
}

static void
add_cpair(struct tpair *tp, const struct ss_column *d,
    const struct ss_column *c, enum match how)
{
	tp->cols = ss_xrealloc(tp->cols, (tp->ncols + 1) * sizeof *tp->cols);
	tp->cols[tp->ncols].d = d;
	tp->cols[tp->ncols].c = c;
	tp->cols[tp->ncols].how = how;
	tp->ncols++;
}

static bool
paired_desired(const struct tpair *tp, const struct ss_column *d)
{
	size_t i;

	for (i = 0; i < tp->ncols; i++)
		if (tp->cols[i].d == d)
			return true;
	return false;
}

/* The column renames that statements made (renames_first), as
 * match_made_renames() does tables'; keyed by the table's name before
 * them. */
static void
match_made_column_renames(struct differ *D, struct tpair *tp)
{
	const struct ss_column *d, *c;
	size_t i;

	for (i = 0; i < D->o->nrenames; i++) {
		const struct ss_rename *r = &D->o->renames[i];
		if (r->column == NULL || !name_eq(D, r->table, tp->c->name) ||
		    (d = table_column(D, tp->d, r->to)) == NULL ||
		    (c = table_column(D, tp->c, r->column)) == NULL ||
		    paired_desired(tp, d) || claimed_column(tp, c) ||
		    made_cycle(D, i, r->table))
			continue;
		add_cpair(tp, d, c, M_RENAME);
	}
}

static void
match_columns(struct differ *D, struct tpair *tp)
{
	const struct ss_column *d, *c;
	size_t i, j;

	if (D->o->renames_first)
		match_made_column_renames(D, tp);
	for (i = 0; i < tp->d->ncolumns; i++) {
		d = &tp->d->columns[i];
		if ((c = table_column(D, tp->c, d->name)) != NULL &&
		    !(D->o->renames_first && (paired_desired(tp, d) ||
		    claimed_column(tp, c) || gone(D, tp->c, c->name))))
			add_cpair(tp, d, c, M_NAME);
	}
	for (i = 0; i < tp->d->ncolumns; i++) {
		d = &tp->d->columns[i];
		if (paired_desired(tp, d))
			continue;
		if ((c = renamed_column(D, tp, d)) != NULL)
			add_cpair(tp, d, c, M_RENAME);
	}
	for (i = 0; i < tp->c->ncolumns; i++) {
		c = &tp->c->columns[i];
		if (claimed_column(tp, c) || gone(D, tp->c, c->name))
			continue;
		for (j = 0; j < tp->d->ncolumns; j++) {
			d = &tp->d->columns[j];
			if (paired_desired(tp, d) ||
			    table_column(D, tp->c, d->name) != NULL)
				continue;
			if (same_type(D, &d->type, &c->type) &&
			    !rejected(D, tp->c->name, c->name, d->name,
			    tp->d->name))
				add_cand(&tp->cands, c, d);
		}
	}
	count_cands(&tp->cands);
	for (i = 0; i < tp->cands.n; i++)
		if (tp->cands.v[i].nold == 1 && tp->cands.v[i].nnew == 1)
			add_cpair(tp, tp->cands.v[i].new, tp->cands.v[i].old,
			    M_PROVISIONAL);
	for (i = 0; i < tp->d->ncolumns; i++) {
		d = &tp->d->columns[i];
		if (!paired_desired(tp, d) && !in_cands(&tp->cands, d)) {
			tp->added = ss_xrealloc(tp->added,
			    (tp->nadded + 1) * sizeof *tp->added);
			tp->added[tp->nadded++] = d;
		}
	}
	for (i = 0; i < tp->c->ncolumns; i++) {
		c = &tp->c->columns[i];
		if (!claimed_column(tp, c) && !in_cands(&tp->cands, c)) {
			tp->dropped = ss_xrealloc(tp->dropped,
			    (tp->ndropped + 1) * sizeof *tp->dropped);
			tp->dropped[tp->ndropped++] = c;
		}
	}
}

/* Pass three: emitting. */

static struct ss_change *
change(struct differ *D, enum ss_op op, const struct tpair *tp)
{
	struct ss_change *ch = ss_plan_add(D->p, op);

	if (tp != NULL) {
		ch->table = tp->d->name;
		ch->cur_table = tp->c->name;
		ch->d_table = tp->d;
		ch->c_table = tp->c;
	}
	return ch;
}

static void
pair_up(struct ss_change *drop, struct ss_change *add)
{
	drop->pair = add;
	add->pair = drop;
}

static void
emit_column_rename(struct differ *D, const struct tpair *tp,
    const struct ss_column *d, const struct ss_column *c, bool candidate)
{
	struct ss_change *ch = change(D, SS_OP_RENAME_COLUMN, tp);

	ch->column = d->name;
	ch->old_name = c->name;
	ch->cur_column = c->name;
	ch->d_column = d;
	ch->c_column = c;
	ch->candidate = candidate;
	if (candidate)
		ch->class = SS_CLASS_AMBIGUOUS;
}

static void
emit_alter(struct differ *D, const struct tpair *tp, const struct ss_column *d,
    const struct ss_column *c)
{
	struct ss_change *ch;
	unsigned flags = 0;

	if (!same_type(D, &d->type, &c->type))
		flags |= SS_ALTER_TYPE;
	if (d->nullable != c->nullable)
		flags |= SS_ALTER_NULLABLE;
	if (!same_default(D, d, c))
		flags |= SS_ALTER_DEFAULT;
	if (d->autoincrement != c->autoincrement || (d->autoincrement &&
	    D->o->identity_always && d->always != c->always))
		flags |= SS_ALTER_AUTOINCREMENT;
	if (d->autoincrement && c->autoincrement && !ss_identity_equal(d, c))
		flags |= SS_ALTER_IDENTITY;
	if (!same_generated(D, d, c))
		flags |= SS_ALTER_GENERATED;
	if (!same_collation(D, d->collation, c->collation))
		flags |= SS_ALTER_COLLATION;
	if (flags == 0)
		return;
	ch = change(D, SS_OP_ALTER_COLUMN, tp);
	ch->alter = flags;
	ch->column = d->name;
	ch->cur_column = c->name;
	ch->d_column = d;
	ch->c_column = c;
}

static void
emit_columns(struct differ *D, const struct tpair *tp)
{
	struct ss_change *ch;
	size_t i, j;

	/* Renames and candidates first, in desired column order. */
	for (i = 0; i < tp->d->ncolumns; i++) {
		const struct ss_column *d = &tp->d->columns[i];
		for (j = 0; j < tp->ncols; j++)
			if (tp->cols[j].d == d && (tp->cols[j].how == M_RENAME ||
			    (tp->cols[j].how == M_NAME &&
			    strcmp(d->name, tp->cols[j].c->name) != 0)))
				emit_column_rename(D, tp, d, tp->cols[j].c,
				    false);
		for (j = 0; j < tp->cands.n; j++)
			if (tp->cands.v[j].new == d)
				emit_column_rename(D, tp, d, tp->cands.v[j].old,
				    true);
	}
	for (i = 0; i < tp->d->ncolumns; i++) {
		const struct ss_column *d = &tp->d->columns[i];
		for (j = 0; j < tp->ncols; j++)
			if (tp->cols[j].d == d)
				emit_alter(D, tp, d, tp->cols[j].c);
		for (j = 0; j < tp->nadded; j++) {
			if (tp->added[j] != d)
				continue;
			ch = change(D, SS_OP_ADD_COLUMN, tp);
			ch->column = d->name;
			ch->d_column = d;
		}
	}
	for (i = 0; i < tp->ndropped; i++) {
		ch = change(D, SS_OP_DROP_COLUMN, tp);
		ch->column = ch->cur_column = tp->dropped[i]->name;
		ch->c_column = tp->dropped[i];
	}
}

/*
 * Primary keys compare by columns only: the name is PostgreSQL's
 * TABLE_pkey, which a table rename leaves behind (and SQLite has none);
 * dropping a key that foreign keys need to give it a new name would fail.
 */
static bool
same_key(const struct differ *D, const struct ss_key *d,
    const struct ss_key *c, const struct tpair *tp)
{
	return same_names(D, &d->columns, &c->columns, tp);
}

static void
emit_pk(struct differ *D, const struct tpair *tp)
{
	const struct ss_key *d = tp->d->pk, *c = tp->c->pk;
	struct ss_change *drop = NULL, *add = NULL;

	if (d == NULL && c == NULL)
		return;
	if (d != NULL && c != NULL && same_key(D, d, c, tp))
		return;
	if (c != NULL) {
		drop = change(D, SS_OP_DROP_PRIMARY_KEY, tp);
		drop->object = c->name;
		drop->c_key = c;
	}
	if (d != NULL) {
		add = change(D, SS_OP_ADD_PRIMARY_KEY, tp);
		add->object = d->name;
		add->d_key = d;
	}
	if (drop && add)
		pair_up(drop, add);
}

/*
 * A unique index without WHERE standing for unique constraint k, where
 * the database does not keep the two apart (SQLite). With the default
 * method and plain entries only: anything else is an index.
 */
static const struct ss_index *
index_as_unique(const struct differ *D, const struct ss_table *t,
    const char *name)
{
	size_t i, e;
	bool plain;

	if (D->o->unique_constraints)
		return NULL;
	for (i = 0; i < t->nindexes; i++) {
		for (e = 0, plain = t->indexes[i].method == NULL &&
		    t->indexes[i].include.n == 0 &&
		    !t->indexes[i].nulls_not_distinct;
		    plain && e < t->indexes[i].columns.n; e++)
			plain = ss_index_key_plain(&t->indexes[i], e);
		if (!plain)
			continue;
		if (t->indexes[i].unique && t->indexes[i].where == NULL &&
		    t->indexes[i].name != NULL &&
		    name_eq(D, t->indexes[i].name, name))
			return &t->indexes[i];
	}
	return NULL;
}

static const struct ss_key *
unique_named(const struct differ *D, const struct ss_table *t,
    const char *name)
{
	size_t i;

	for (i = 0; i < t->nuniques; i++)
		if (t->uniques[i].name != NULL &&
		    name_eq(D, t->uniques[i].name, name))
			return &t->uniques[i];
	return NULL;
}

static const struct ss_index *
index_named(const struct differ *D, const struct ss_table *t,
    const char *name)
{
	size_t i;

	for (i = 0; i < t->nindexes; i++)
		if (t->indexes[i].name != NULL &&
		    name_eq(D, t->indexes[i].name, name))
			return &t->indexes[i];
	return NULL;
}

/* Index methods: NULL is btree, names without case. */
static bool
same_method(const char *a, const char *b)
{
	if (a == NULL)
		a = "btree";
	if (b == NULL)
		b = "btree";
	return strcasecmp(a, b) == 0;
}

/* The same index, under the same spelling: SQLite, which folds case,
 * cannot rename an index, so another spelling is a drop and a create. */
static bool
same_index(const struct differ *D, const struct ss_index *d,
    const struct ss_index *c, const struct tpair *tp)
{
	return d->unique == c->unique && strcmp(d->name, c->name) == 0 &&
	    same_entries(D, &d->columns, &c->columns, tp) &&
	    same_expr(D, d->where, c->where) &&
	    /* Index methods and options. */
	    same_method(d->method, c->method) &&
	    ss_index_keys_equal(d, c) &&
	    same_names(D, &d->include, &c->include, tp) &&
	    d->nulls_not_distinct == c->nulls_not_distinct;
}

/* Unique constraints: what besides the columns makes one another. */
static bool
same_unique(const struct differ *D, const struct ss_key *d,
    const struct ss_key *c, const struct tpair *tp)
{
	return same_names(D, &d->columns, &c->columns, tp) &&
	    same_names(D, &d->include, &c->include, tp) &&
	    d->nulls_not_distinct == c->nulls_not_distinct &&
	    d->deferrable == c->deferrable &&
	    d->initially_deferred == c->initially_deferred;
}

static bool
unique_name_in(const struct differ *D, const struct ss_table *t,
    const char *name)
{
	return name != NULL && (unique_named(D, t, name) != NULL ||
	    index_as_unique(D, t, name) != NULL);
}

/*
 * Unique constraints match by name; one whose name the other side does
 * not use matches one of the same columns (a generated name drifts when
 * its table is renamed, and SQLite's have none). Re-creating it instead
 * would fail while a foreign key needs it.
 */
static bool
key_plain(const struct ss_key *k)
{
	return k->include.n == 0 && !k->nulls_not_distinct && !k->deferrable;
}

static void
emit_unique_pair(struct differ *D, const struct tpair *tp,
    const struct ss_key *c, const struct ss_key *d)
{
	struct ss_change *drop, *add;

	drop = change(D, SS_OP_DROP_UNIQUE, tp);
	drop->object = c->name;
	drop->c_key = c;
	if (d != NULL) {
		add = change(D, SS_OP_ADD_UNIQUE, tp);
		add->object = d->name;
		add->d_key = d;
		pair_up(drop, add);
	}
}

/*
 * Where the database keeps unique constraints by name (PostgreSQL), one
 * matched by its columns under another name (its column or table was
 * renamed, or its name changed) takes the files' name: ON CONFLICT ON
 * CONSTRAINT names it.
 */
static void
emit_unique_rename(struct differ *D, const struct tpair *tp,
    const struct ss_key *c, const struct ss_key *d)
{
	struct ss_change *ch = change(D, SS_OP_RENAME_UNIQUE, tp);

	ch->old_name = c->name;
	ch->object = d->name;
	ch->c_key = c;
	ch->d_key = d;
}

static void
emit_uniques(struct differ *D, const struct tpair *tp)
{
	const struct ss_key *d, *c;
	const struct ss_index *ix;
	struct ss_change *add;
	size_t *taken = ss_xcalloc(tp->c->nuniques + 1, sizeof *taken);
	bool *partnered = ss_xcalloc(tp->d->nuniques + 1, sizeof *partnered);
	size_t i, j;

	for (i = 0; i < tp->d->nuniques; i++) {
		d = &tp->d->uniques[i];
		if (unique_name_in(D, tp->c, d->name))
			continue;
		for (j = 0; j < tp->c->nuniques && !partnered[i]; j++) {
			c = &tp->c->uniques[j];
			if (taken[j] || unique_name_in(D, tp->d, c->name) ||
			    !same_names(D, &d->columns, &c->columns, tp))
				continue;
			taken[j] = i + 1;
			partnered[i] = true;
		}
	}
	for (i = 0; i < tp->c->nuniques; i++) {
		c = &tp->c->uniques[i];
		if (taken[i]) {
			/* Matched by columns: the same but for its name. */
			d = &tp->d->uniques[taken[i] - 1];
			if (!same_unique(D, d, c, tp))
				emit_unique_pair(D, tp, c, d);
			else if (D->o->unique_constraints && c->name != NULL &&
			    d->name != NULL && strcmp(c->name, d->name) != 0)
				emit_unique_rename(D, tp, c, d);
			continue;
		}
		d = c->name ? unique_named(D, tp->d, c->name) : NULL;
		if (d != NULL && same_unique(D, d, c, tp))
			continue;
		if (d == NULL && c->name != NULL && key_plain(c) &&
		    (ix = index_as_unique(D, tp->d, c->name)) != NULL &&
		    same_names(D, &ix->columns, &c->columns, tp))
			continue;
		emit_unique_pair(D, tp, c, d);
	}
	for (i = 0; i < tp->d->nuniques; i++) {
		d = &tp->d->uniques[i];
		if (partnered[i] || unique_named(D, tp->c, d->name) != NULL)
			continue;	/* same, or dropped and re-added above */
		if (key_plain(d) &&
		    (ix = index_as_unique(D, tp->c, d->name)) != NULL &&
		    same_names(D, &d->columns, &ix->columns, tp))
			continue;
		add = change(D, SS_OP_ADD_UNIQUE, tp);
		add->object = d->name;
		add->d_key = d;
	}
	free(taken);
	free(partnered);
}

static void
emit_index(struct differ *D, const struct tpair *tp, const struct ss_index *d)
{
	struct ss_change *ch = change(D, SS_OP_CREATE_INDEX, tp);

	ch->object = d->name;
	ch->d_index = d;
}

static void
emit_indexes(struct differ *D, const struct tpair *tp)
{
	const struct ss_index *d, *c;
	const struct ss_key *k;
	struct ss_change *drop, *add;
	size_t i;

	for (i = 0; i < tp->c->nindexes; i++) {
		c = &tp->c->indexes[i];
		d = index_named(D, tp->d, c->name);
		if (d != NULL && same_index(D, d, c, tp))
			continue;
		if (d == NULL && c->unique && c->where == NULL &&
		    (k = unique_named(D, tp->d, c->name)) != NULL &&
		    index_as_unique(D, tp->c, c->name) == c && key_plain(k) &&
		    same_names(D, &k->columns, &c->columns, tp))
			continue;
		drop = change(D, SS_OP_DROP_INDEX, tp);
		drop->object = c->name;
		drop->c_index = c;
		if (d != NULL) {
			add = change(D, SS_OP_CREATE_INDEX, tp);
			add->object = d->name;
			add->d_index = d;
			pair_up(drop, add);
		}
	}
	for (i = 0; i < tp->d->nindexes; i++) {
		d = &tp->d->indexes[i];
		if (index_named(D, tp->c, d->name) != NULL)
			continue;
		if (d->unique && d->where == NULL &&
		    (k = unique_named(D, tp->c, d->name)) != NULL &&
		    index_as_unique(D, tp->d, d->name) == d && key_plain(k) &&
		    same_names(D, &d->columns, &k->columns, tp))
			continue;
		emit_index(D, tp, d);
	}
}

static const struct ss_fk *
fk_named(const struct differ *D, const struct ss_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nfks; i++)
		if (t->fks[i].name != NULL && name_eq(D, t->fks[i].name, name))
			return &t->fks[i];
	return NULL;
}

static bool
same_fk(const struct differ *D, const struct ss_fk *d, const struct ss_fk *c,
    const struct tpair *tp)
{
	const struct tpair *rp = pair_by_current(D, c->ref_table);

	return d->on_delete == c->on_delete && d->on_update == c->on_update &&
	    d->match_full == c->match_full &&
	    same_names(D, &d->columns, &c->columns, tp) &&
	    name_eq(D, d->ref_table, map_table(D, c->ref_table)) &&
	    same_names(D, &d->ref_columns, &c->ref_columns, rp);
}

/* Unnamed foreign keys (SQLite) match a desired one of the same definition. */
/* DEFERRABLE and INITIALLY DEFERRED, which a named key changes in place
 * (alter_foreign_key). */
static bool
same_deferral(const struct ss_fk *d, const struct ss_fk *c)
{
	return d->deferrable == c->deferrable &&
	    d->initially_deferred == c->initially_deferred;
}

static const struct ss_fk *
unnamed_fk_for(const struct differ *D, const struct tpair *tp,
    const struct ss_fk *d)
{
	size_t i;

	for (i = 0; i < tp->c->nfks; i++)
		if (tp->c->fks[i].name == NULL &&
		    same_fk(D, d, &tp->c->fks[i], tp) &&
		    same_deferral(d, &tp->c->fks[i]))
			return &tp->c->fks[i];
	return NULL;
}

static bool
unnamed_fk_kept(const struct differ *D, const struct tpair *tp,
    const struct ss_fk *c)
{
	size_t i;

	for (i = 0; i < tp->d->nfks; i++)
		if (unnamed_fk_for(D, tp, &tp->d->fks[i]) == c)
			return true;
	return false;
}

static void
emit_fks(struct differ *D, const struct tpair *tp)
{
	const struct ss_fk *d, *c;
	struct ss_change *drop, *add;
	size_t i;

	for (i = 0; i < tp->c->nfks; i++) {
		c = &tp->c->fks[i];
		if (c->name == NULL) {
			if (unnamed_fk_kept(D, tp, c))
				continue;
			d = NULL;
		} else
			d = fk_named(D, tp->d, c->name);
		if (d != NULL && same_fk(D, d, c, tp)) {
			if (!same_deferral(d, c)) {
				add = change(D, SS_OP_ALTER_FOREIGN_KEY, tp);
				add->object = d->name;
				add->d_fk = d;
				add->c_fk = c;
			}
			continue;
		}
		drop = change(D, SS_OP_DROP_FOREIGN_KEY, tp);
		drop->object = c->name;
		drop->c_fk = c;
		if (d != NULL) {
			add = change(D, SS_OP_ADD_FOREIGN_KEY, tp);
			add->object = d->name;
			add->d_fk = d;
			pair_up(drop, add);
		}
	}
	for (i = 0; i < tp->d->nfks; i++) {
		d = &tp->d->fks[i];
		if (fk_named(D, tp->c, d->name) != NULL ||
		    unnamed_fk_for(D, tp, d) != NULL)
			continue;
		add = change(D, SS_OP_ADD_FOREIGN_KEY, tp);
		add->object = d->name;
		add->d_fk = d;
	}
}

static const struct ss_check *
check_named(const struct differ *D, const struct ss_table *t,
    const char *name)
{
	size_t i;

	for (i = 0; i < t->nchecks; i++)
		if (t->checks[i].name != NULL &&
		    name_eq(D, t->checks[i].name, name))
			return &t->checks[i];
	return NULL;
}

static const struct ss_check *
unnamed_check_for(const struct differ *D, const struct tpair *tp,
    const struct ss_check *d)
{
	size_t i;

	for (i = 0; i < tp->c->nchecks; i++)
		if (tp->c->checks[i].name == NULL &&
		    same_expr(D, d->expr, tp->c->checks[i].expr) &&
		    d->no_inherit == tp->c->checks[i].no_inherit)
			return &tp->c->checks[i];
	return NULL;
}

static bool
unnamed_check_kept(const struct differ *D, const struct tpair *tp,
    const struct ss_check *c)
{
	size_t i;

	for (i = 0; i < tp->d->nchecks; i++)
		if (unnamed_check_for(D, tp, &tp->d->checks[i]) == c)
			return true;
	return false;
}

static void
emit_checks(struct differ *D, const struct tpair *tp)
{
	const struct ss_check *d, *c;
	struct ss_change *drop, *add;
	size_t i;

	for (i = 0; i < tp->c->nchecks; i++) {
		c = &tp->c->checks[i];
		if (c->name == NULL) {
			if (unnamed_check_kept(D, tp, c))
				continue;
			d = NULL;
		} else
			d = check_named(D, tp->d, c->name);
		if (d != NULL && same_expr(D, d->expr, c->expr) &&
		    d->no_inherit == c->no_inherit)
			continue;
		drop = change(D, SS_OP_DROP_CHECK, tp);
		drop->object = c->name;
		drop->c_check = c;
		if (d != NULL) {
			add = change(D, SS_OP_ADD_CHECK, tp);
			add->object = d->name;
			add->d_check = d;
			pair_up(drop, add);
		}
	}
	for (i = 0; i < tp->d->nchecks; i++) {
		d = &tp->d->checks[i];
		if (check_named(D, tp->c, d->name) != NULL ||
		    unnamed_check_for(D, tp, d) != NULL)
			continue;
		add = change(D, SS_OP_ADD_CHECK, tp);
		add->object = d->name;
		add->d_check = d;
	}
}

/* NULL and "" are both no comment. */
static bool
same_comment(const char *d, const char *c)
{
	if (d == NULL || d[0] == '\0' || c == NULL || c[0] == '\0')
		return (d == NULL || d[0] == '\0') == (c == NULL || c[0] == '\0');
	return strcmp(d, c) == 0;
}

/* Comments of the table and of its columns on both sides. */
static void
emit_comments(struct differ *D, const struct tpair *tp)
{
	struct ss_change *ch;
	size_t i, j;

	if (!D->o->comments)
		return;
	if (!same_comment(tp->d->comment, tp->c->comment))
		change(D, SS_OP_SET_COMMENT, tp);
	for (i = 0; i < tp->d->ncolumns; i++) {
		const struct ss_column *d = &tp->d->columns[i];
		for (j = 0; j < tp->ncols; j++) {
			if (tp->cols[j].d != d ||
			    same_comment(d->comment, tp->cols[j].c->comment))
				continue;
			ch = change(D, SS_OP_SET_COMMENT, tp);
			ch->column = d->name;
			ch->cur_column = tp->cols[j].c->name;
			ch->d_column = d;
			ch->c_column = tp->cols[j].c;
		}
	}
}

static void
emit_pair(struct differ *D, const struct tpair *tp)
{
	struct ss_change *ch;

	if (tp->how != M_NAME || strcmp(tp->d->name, tp->c->name) != 0) {
		ch = change(D, SS_OP_RENAME_TABLE, tp);
		ch->old_name = tp->c->name;
		if (tp->how == M_PROVISIONAL) {
			ch->candidate = true;
			ch->class = SS_CLASS_AMBIGUOUS;
		}
	}
	emit_columns(D, tp);
	emit_pk(D, tp);
	emit_uniques(D, tp);
	emit_indexes(D, tp);
	emit_fks(D, tp);
	emit_checks(D, tp);
	emit_comments(D, tp);
	/* SQLite's table options. */
	if (tp->d->strict != tp->c->strict ||
	    tp->d->without_rowid != tp->c->without_rowid)
		change(D, SS_OP_ALTER_TABLE, tp);
}

static void
emit_create(struct differ *D, const struct ss_table *t)
{
	struct ss_change *ch = ss_plan_add(D->p, SS_OP_CREATE_TABLE);
	size_t i;

	ch->table = t->name;
	ch->d_table = t;
	/* CREATE TABLE carries keys, checks and foreign keys; indexes are
	 * statements of their own. */
	for (i = 0; i < t->nindexes; i++) {
		struct ss_change *ix = ss_plan_add(D->p, SS_OP_CREATE_INDEX);
		ix->table = t->name;
		ix->d_table = t;
		ix->object = t->indexes[i].name;
		ix->d_index = &t->indexes[i];
	}
}

static void
emit_table_candidates(struct differ *D, const struct ss_table *t)
{
	struct ss_change *ch;
	const struct ss_table *old;
	size_t i;

	for (i = 0; i < D->cands.n; i++) {
		if (D->cands.v[i].new != t ||
		    D->cands.v[i].nold * D->cands.v[i].nnew == 1)
			continue;	/* a provisional pair emits its own */
		old = D->cands.v[i].old;
		ch = ss_plan_add(D->p, SS_OP_RENAME_TABLE);
		ch->table = t->name;
		ch->d_table = t;
		ch->cur_table = ch->old_name = old->name;
		ch->c_table = old;
		ch->candidate = true;
		ch->class = SS_CLASS_AMBIGUOUS;
	}
}

/*
 * Whether the values both enums have come in another order in d than
 * in c: the order is what the type sorts by, and ADD VALUE ... BEFORE
 * keeps it for the values added, so only the kept ones can differ.
 */
static bool
reordered(const struct ss_enum *d, const struct ss_enum *c)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < d->values.n &&
		    !ss_names_has(&c->values, d->values.v[i].name))
			i++;
		while (j < c->values.n &&
		    !ss_names_has(&d->values, c->values.v[j].name))
			j++;
		if (i == d->values.n || j == c->values.n)
			return false;
		if (strcmp(d->values.v[i].name, c->values.v[j].name) != 0)
			return true;
		i++;
		j++;
	}
}

static void
emit_enums(struct differ *D, bool drops)
{
	const struct ss_enum *d, *c;
	struct ss_change *ch;
	size_t i, j;

	if (!D->o->enum_types)
		return;
	if (drops) {
		for (i = 0; i < D->c->nenums; i++) {
			c = D->c->enums[i];
			if (ss_schema_enum(D->d, c->name) != NULL)
				continue;
			ch = ss_plan_add(D->p, SS_OP_DROP_ENUM);
			ch->object = c->name;
			ch->c_enum = c;
		}
		return;
	}
	for (i = 0; i < D->d->nenums; i++) {
		d = D->d->enums[i];
		c = ss_schema_enum(D->c, d->name);
		if (c == NULL) {
			ch = ss_plan_add(D->p, SS_OP_CREATE_ENUM);
			ch->object = d->name;
			ch->d_enum = d;
			continue;
		}
		for (j = 0; j < d->values.n; j++) {
			if (ss_names_has(&c->values, d->values.v[j].name))
				continue;
			ch = ss_plan_add(D->p, SS_OP_ADD_ENUM_VALUE);
			ch->object = d->values.v[j].name;
			ch->d_enum = d;
			ch->c_enum = c;
		}
		for (j = 0; j < c->values.n; j++) {
			if (ss_names_has(&d->values, c->values.v[j].name))
				continue;
			ch = ss_plan_add(D->p, SS_OP_DROP_ENUM_VALUE);
			ch->object = c->values.v[j].name;
			ch->d_enum = d;
			ch->c_enum = c;
		}
		if (!reordered(d, c))
			continue;
		ch = ss_plan_add(D->p, SS_OP_REORDER_ENUM);
		ch->object = d->name;
		ch->d_enum = d;
		ch->c_enum = c;
	}
}

/*
 * Declared views (note in diff.h). A view is dropped before the changes
 * of the tables it reads and created after them, so a change under it
 * never fails on it: it is re-created (a drop and a create, a pair)
 * when its SQL or kind changes, when the dialect says a change of a
 * table it mentions breaks views over that table, and when a view it
 * mentions is re-created or dropped.
 */
static const struct ss_view *
view_named(const struct differ *D, const struct ss_schema *s,
    const char *name)
{
	size_t i;

	for (i = 0; i < s->nviews; i++)
		if (name_eq(D, s->views[i]->name, name))
			return s->views[i];
	return NULL;
}

static bool
same_view(const struct ss_view *d, const struct ss_view *c)
{
	const char *ds = d->canon != NULL ? d->canon : d->sql;

	return d->materialized == c->materialized && ds != NULL &&
	    c->sql != NULL && ss_sql_same_expr(ds, c->sql);
}

static struct ss_change *
drop_view(struct differ *D, const struct ss_view *c)
{
	struct ss_change *ch = ss_plan_add(D->p, SS_OP_DROP_VIEW);

	ch->object = c->name;
	ch->c_view = c;
	return ch;
}

static struct ss_change *
create_view(struct differ *D, const struct ss_view *d)
{
	struct ss_change *ch = ss_plan_add(D->p, SS_OP_CREATE_VIEW);

	ch->object = d->name;
	ch->d_view = d;
	return ch;
}

/* A table of the database that view c reads and that has a column of
 * enum e (or an array of it), or NULL. */
static const char *
enum_table_read(const struct differ *D, const struct ss_view *c,
    const char *e)
{
	size_t i, j;

	for (i = 0; i < D->c->ntables; i++) {
		const struct ss_table *t = D->c->tables[i];
		if (!ss_sql_mentions(c->sql, t->name))
			continue;
		for (j = 0; j < t->ncolumns; j++)
			if (ss_type_uses_enum(&t->columns[j].type, e))
				return t->name;
	}
	return NULL;
}

/* Why the unchanged view c must be re-created, or NULL. gone[] are the
 * views re-created (made[] true) or dropped so far. */
static const char *
view_broken(struct differ *D, const struct ss_view *c,
    const struct ss_view **gone, const bool *made, size_t ngone,
    struct ss_change **by)
{
	struct ss_plan *p = D->p;
	size_t i;

	*by = NULL;
	for (i = 0; i < ngone; i++)
		if (gone[i] != c && ss_sql_mentions(c->sql, gone[i]->name))
			return ss_arena_printf(&p->arena, "view %s is %s",
			    gone[i]->name, made[i] ? "re-created" : "dropped");
	if (D->o->breaks_views == NULL)
		return NULL;
	for (i = 0; i < p->n; i++) {
		struct ss_change *ch = p->v[i];
		const char *t = ch->cur_table != NULL ? ch->cur_table :
		    ch->table;
		if (ch->candidate || !D->o->breaks_views(p, ch, D->o->ctx))
			continue;
		/* An enum's change breaks what reads a table using it. */
		if (t == NULL && ch->c_enum != NULL &&
		    (t = enum_table_read(D, c, ch->c_enum->name)) != NULL) {
			*by = ch;
			return ss_arena_printf(&p->arena, "enum %s changes "
			    "under table %s", ch->c_enum->name, t);
		}
		if (t == NULL || (!ss_sql_mentions(c->sql, t) &&
		    !ss_sql_mentions(c->sql, ch->table)))
			continue;
		*by = ch;
		return ss_arena_printf(&p->arena, "table %s changes",
		    ch->table);
	}
	return NULL;
}

static void
emit_views(struct differ *D)
{
	const struct ss_view **gone = NULL, *d, *c;
	bool *made;
	size_t ngone = 0, i;
	struct ss_change *drop, *add, *by;
	const char *why;
	bool again;

	gone = ss_xcalloc(D->c->nviews + 1, sizeof *gone);
	made = ss_xcalloc(D->c->nviews + 1, sizeof *made);
	for (i = 0; i < D->c->nviews; i++) {
		c = D->c->views[i];
		d = view_named(D, D->d, c->name);
		if (d != NULL && !d->drop && same_view(d, c))
			continue;
		drop = drop_view(D, c);
		if (d != NULL && !d->drop)
			pair_up(drop, create_view(D, d));
		else if (d != NULL)
			drop->d_view = d;	/* `drop: true`: where it says so */
		made[ngone] = d != NULL && !d->drop;
		gone[ngone++] = c;
	}
	for (i = 0; i < D->d->nviews; i++) {
		d = D->d->views[i];
		if (!d->drop && view_named(D, D->c, d->name) == NULL)
			create_view(D, d);
	}
	/* Unchanged views that a change breaks, until none is left. */
	do {
		again = false;
		for (i = 0; i < D->c->nviews; i++) {
			size_t k;
			c = D->c->views[i];
			for (k = 0; k < ngone && gone[k] != c; k++)
				;
			if (k < ngone || (why = view_broken(D, c, gone, made,
			    ngone, &by)) == NULL)
				continue;
			d = view_named(D, D->d, c->name);
			drop = drop_view(D, c);
			add = create_view(D, d);
			pair_up(drop, add);
			drop->because = add->because = why;
			add->because_of = by;
			made[ngone] = true;
			gone[ngone++] = c;
			again = true;
		}
	} while (again);
	free(gone);
	free(made);
}

int
ss_diff(const struct ss_schema *desired, const struct ss_schema *current,
    const struct ss_diff_opts *opts, struct ss_plan *out, struct ss_err *err)
{
	static const struct ss_diff_opts none;
	struct ss_buf scratch = SS_BUF_INIT;
	struct differ D;
	const struct tpair *tp;
	struct ss_change *ch;
	size_t i;

	(void)err;
	memset(&D, 0, sizeof D);
	D.d = desired;
	D.c = current;
	D.o = opts ? opts : &none;
	D.p = out;
	out->desired = desired;
	out->current = current;
	out->enum_types = D.o->enum_types;
	out->values_used = D.o->values_used;
	out->forward_fks = D.o->forward_fks;
	out->affinity_types = D.o->affinity_types;
	ss_arena_init(&D.keys);
	D.scratch = &scratch;
	for (i = 0; D.o->fold_case && i < current->ntables; i++)
		ss_map_put(&D.cur_tables, kept_key(&D, current->tables[i]->name),
		    current->tables[i]);
	for (i = 0; D.o->fold_case && i < desired->ntables; i++)
		ss_map_put(&D.des_tables, kept_key(&D, desired->tables[i]->name),
		    desired->tables[i]);

	match_tables(&D);
	for (i = 0; i < D.npairs; i++)
		match_columns(&D, &D.pairs[i]);

	emit_enums(&D, false);
	for (i = 0; i < desired->ntables; i++) {
		const struct ss_table *t = desired->tables[i];
		emit_table_candidates(&D, t);
		if ((tp = pair_by_desired(&D, t)) != NULL)
			emit_pair(&D, tp);
		else if (!in_cands(&D.cands, t))
			emit_create(&D, t);
	}
	for (i = 0; i < current->ntables; i++) {
		const struct ss_table *c = current->tables[i];
		if (pair_by_current(&D, c->name) != NULL ||
		    in_cands(&D.cands, c))
			continue;
		ch = ss_plan_add(out, SS_OP_DROP_TABLE);
		ch->table = ch->cur_table = c->name;
		ch->c_table = c;
	}
	emit_enums(&D, true);
	emit_views(&D);

	for (i = 0; i < D.npairs; i++) {
		free(D.pairs[i].cols);
		free(D.pairs[i].added);
		free(D.pairs[i].dropped);
		free(D.pairs[i].cands.v);
	}
	free(D.pairs);
	ss_map_release(&D.by_cur);
	ss_map_release(&D.by_des);
	ss_map_release(&D.cur_tables);
	ss_map_release(&D.des_tables);
	ss_arena_release(&D.keys);
	ss_buf_release(&scratch);
	free(D.cands.v);
	return 0;
}

/* Rename answers. */

int
ss_rename_parse(const char *arg, struct ss_rename *out, struct ss_arena *a,
    struct ss_err *err)
{
	const char *eq = strchr(arg, '='), *dot;

	memset(out, 0, sizeof *out);
	if (eq == NULL || eq == arg || eq[1] == '\0' || strchr(eq + 1, '.'))
		return ss_err_set(err, SS_EUSAGE, "malformed rename '%s': "
		    "expected OLD=NEW (users=people) or TABLE.OLD=NEW "
		    "(users.email=user_email)", arg);
	dot = memchr(arg, '.', (size_t)(eq - arg));
	if (dot != NULL && (dot == arg || dot + 1 == eq))
		return ss_err_set(err, SS_EUSAGE, "malformed rename '%s': "
		    "expected TABLE.OLD=NEW", arg);
	if (dot != NULL) {
		out->table = ss_arena_strndup(a, arg, (size_t)(dot - arg));
		out->column = ss_arena_strndup(a, dot + 1,
		    (size_t)(eq - dot - 1));
	} else
		out->table = ss_arena_strndup(a, arg, (size_t)(eq - arg));
	out->to = ss_arena_strdup(a, eq + 1);
	return 0;
}

void
ss_rename_of_change(const struct ss_change *c, struct ss_rename *out)
{
	memset(out, 0, sizeof *out);
	if (c->op == SS_OP_RENAME_TABLE) {
		out->table = c->old_name;
		out->to = c->table;
	} else if (c->op == SS_OP_RENAME_COLUMN) {
		out->table = c->cur_table;
		out->column = c->old_name;
		out->to = c->column;
	}
}
