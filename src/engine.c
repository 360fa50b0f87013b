/*
 * The engine (include/ss/engine.h): plan, re-plan inside the
 * transaction, apply.
 *
 * Design notes:
 *  1. The plan that is applied is always made inside the applying
 *     transaction (BEGIN IMMEDIATE on SQLite, an advisory lock on
 *     PostgreSQL), so the counts that classified it are the counts of
 *     the data it runs on. A plan the caller approved outside (a
 *     question answered) is kept and compared with the one made inside.
 *  2. --force-reset is two plans in one transaction: everything managed
 *     against an empty schema (drops), then the files against an empty
 *     database (creates).
 *  3. Reading the files literally (--accept-data-loss off a terminal)
 *     rejects every rename candidate: the plan then drops the old
 *     column or table and adds the new one, and those changes carry a
 *     hint saying how to keep the data instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ss/engine.h"
#include "ss/mem.h"
#include "ss/util.h"

void
ss_engine_init(struct ss_engine *e, const struct ss_dialect *dl,
    struct ss_conn *conn, const struct ss_config *config)
{
	memset(e, 0, sizeof *e);
	e->dl = dl;
	e->conn = conn;
	e->config = config;
	ss_schema_init(&e->desired);
	ss_schema_init(&e->current);
	ss_schema_init(&e->empty);
	ss_schema_init(&e->approved_current);
	ss_steps_init(&e->steps);
	ss_arena_init(&e->arena);
	ss_err_init(&e->err);
	ss_buf_init(&e->fp);
}

static void
release_plans(struct ss_plan *v, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++)
		ss_plan_release(&v[i]);
	*n = 0;
}

static void
reset_plans(struct ss_engine *e)
{
	release_plans(e->plans, &e->nplans);
	ss_steps_release(&e->steps);
	ss_steps_init(&e->steps);
}

void
ss_engine_release(struct ss_engine *e)
{
	reset_plans(e);
	release_plans(e->approved, &e->napproved);
	ss_steps_release(&e->steps);
	ss_schema_release(&e->desired);
	ss_schema_release(&e->current);
	ss_schema_release(&e->empty);
	ss_schema_release(&e->approved_current);
	ss_arena_release(&e->arena);
	ss_diags_release(&e->warnings);
	ss_err_release(&e->err);
	ss_buf_release(&e->fp);
}

void
ss_engine_answer(struct ss_engine *e, const struct ss_rename *rn, bool yes)
{
	struct ss_rename *slot;

	if (yes)
		slot = SS_ARENA_PUSH(&e->arena, e->yes, e->nyes, e->ayes);
	else
		slot = SS_ARENA_PUSH(&e->arena, e->no, e->nno, e->ano);
	slot->table = ss_arena_strdup(&e->arena, rn->table);
	slot->column = ss_arena_strdup(&e->arena, rn->column);
	slot->to = ss_arena_strdup(&e->arena, rn->to);
}

void
ss_engine_gone(struct ss_engine *e, const struct ss_rename *rn)
{
	struct ss_rename *slot;

	slot = SS_ARENA_PUSH(&e->arena, e->gone, e->ngone, e->agone);
	slot->table = ss_arena_strdup(&e->arena, rn->table);
	slot->column = ss_arena_strdup(&e->arena, rn->column);
	slot->to = NULL;
}

int
ss_engine_answer_arg(struct ss_engine *e, const char *arg, bool yes)
{
	struct ss_rename rn;
	int rc;

	if ((rc = ss_rename_parse(arg, &rn, &e->arena, &e->err)) < 0)
		return rc;
	ss_engine_answer(e, &rn, yes);
	return 0;
}

/* Diffs, counts, classifies and orders: plans[k] from want and have. */
static int
plan_one(struct ss_engine *e, const struct ss_diff_opts *d, size_t k,
    const struct ss_schema *want, const struct ss_schema *have)
{
	struct ss_count_request *reqs;
	size_t i, n;
	int rc;

	ss_plan_init(&e->plans[k]);
	e->nplans = k + 1;
	if ((rc = ss_diff(want, have, d, &e->plans[k], &e->err)) < 0)
		return rc;
	n = ss_plan_count_requests(&e->plans[k], &reqs);
	for (i = 0; i < n; i++) {
		if (have != &e->current)	/* an empty database */
			reqs[i].count = 0;
		else if (e->conn == NULL)	/* no database: unknown */
			reqs[i].count = -1;
		else if ((rc = e->dl->count(e->conn, &reqs[i], &e->err)) < 0)
			return rc;
		else if (e->narrow != NULL) {
			struct ss_count_request q = reqs[i];
			q.unless = NULL;
			q.count = q.failing = -1;
			q.no_cast = false;
			e->narrow(e, &q, e->narrow_arg);
			if (q.unless != NULL) {
				if ((rc = e->dl->count(e->conn, &q,
				    &e->err)) < 0)
					return rc;
				reqs[i].narrowed = q.count;
			}
		}
	}
	ss_plan_classify(&e->plans[k]);
	if (have == &e->current && e->conn != NULL && e->dl->measure != NULL &&
	    (rc = e->dl->measure(e->conn, &e->plans[k], &e->err)) < 0)
		return rc;
	return ss_plan_order(&e->plans[k], &e->err);
}

/* The candidates of the plans, answered no (note 3); how many. */
static size_t
reject_candidates(struct ss_engine *e)
{
	struct ss_rename rn;
	size_t i, j, n = 0;

	if (e->lit0 == 0)
		e->lit0 = e->nno + 1;
	for (i = 0; i < e->nplans; i++)
		for (j = 0; j < e->plans[i].n; j++) {
			if (!e->plans[i].v[j]->candidate)
				continue;
			ss_rename_of_change(e->plans[i].v[j], &rn);
			ss_engine_answer(e, &rn, false);
			n++;
		}
	return n;
}

/* The desired table an answer's table names (its new or old name). */
static const struct ss_table *
desired_table(const struct ss_engine *e, const char *name)
{
	const struct ss_table *t = ss_schema_table(&e->desired, name);
	size_t i;

	for (i = 0; t == NULL && i < e->desired.ntables; i++)
		if (e->desired.tables[i]->renamed_from != NULL &&
		    strcmp(e->desired.tables[i]->renamed_from, name) == 0)
			t = e->desired.tables[i];
	for (i = 0; t == NULL && i < e->nyes; i++)
		if (e->yes[i].column == NULL && strcmp(e->yes[i].table, name) == 0)
			t = ss_schema_table(&e->desired, e->yes[i].to);
	return t;
}

/* The table of the database that becomes t (by name or by a rename). */
static const struct ss_table *
current_table(const struct ss_engine *e, const struct ss_table *t,
    const char *name)
{
	const struct ss_table *c = ss_schema_table(&e->current, name);
	size_t i;

	if (c == NULL)
		c = ss_schema_table(&e->current, t->name);
	if (c == NULL && t->renamed_from != NULL)
		c = ss_schema_table(&e->current, t->renamed_from);
	for (i = 0; c == NULL && i < e->nyes; i++)
		if (e->yes[i].column == NULL && strcmp(e->yes[i].to, t->name) == 0)
			c = ss_schema_table(&e->current, e->yes[i].table);
	return c;
}

static const char *
suggest_table(const struct ss_schema *s, const char *name)
{
	size_t i;
	const char **v = ss_xmalloc((s->ntables + 1) * sizeof *v);
	const char *hit;

	for (i = 0; i < s->ntables; i++)
		v[i] = s->tables[i]->name;
	v[i] = NULL;
	hit = ss_suggest(name, v);
	free(v);
	return hit;
}

static const char *
suggest_column(const struct ss_table *t, const char *name)
{
	return t == NULL ? NULL : ss_suggest_n(name, &t->columns[0].name,
	    t->ncolumns, sizeof t->columns[0]);
}

/* ", did you mean 'x'?" or nothing. */
static void
mean(struct ss_buf *b, const char *hit)
{
	if (hit != NULL)
		ss_buf_addf(b, " (did you mean '%s'?)", hit);
}

/*
 * Whether the files keep the old name old (the database's spelling) of
 * rename rn beside the new one: a table, or a column of desired table
 * t. Where the dialect folds case (SQLite), in any case, but for a
 * rename that changes the case alone.
 */
static bool
kept_beside(const struct ss_engine *e, const struct ss_rename *rn,
    const char *old, const struct ss_table *t)
{
	size_t i;

	if (!e->dl->names_fold_case)
		return t != NULL ? ss_table_column(t, old) != NULL :
		    ss_schema_table(&e->desired, old) != NULL;
	if (strcasecmp(old, rn->to) == 0)
		return false;
	if (t != NULL)
		return ss_table_column_icase(t, old) != NULL;
	for (i = 0; i < e->desired.ntables; i++)
		if (strcasecmp(e->desired.tables[i]->name, old) == 0)
			return true;
	return false;
}

/*
 * An answer given on the command line must name something: the new
 * name in the files, and the old name in the database (or the new one
 * there already: the rename was made before). A typed one (not read
 * from SQL, where the statements drop and rename in one go) must not
 * find both names in the database while the files drop the old one: it
 * would be read as made before, and the old one dropped. Nor may the
 * files keep the old name beside the new one while the database lacks
 * the new one: nothing would be renamed, and the new name, made empty
 * beside the old, would put the rename out of reach.
 */
static int
check_answer(struct ss_engine *e, const struct ss_rename *rn, bool yes,
    bool typed)
{
	const struct ss_table *t, *c;
	struct ss_buf m = SS_BUF_INIT;
	int rc = 0;

	ss_buf_addf(&m, "--%s %s%s%s=%s: ", yes ? "rename" : "no-rename",
	    rn->table, rn->column ? "." : "", rn->column ? rn->column : "",
	    rn->to);
	if (rn->column == NULL) {
		const struct ss_table *from = ss_schema_table(&e->current,
		    rn->table), *to = ss_schema_table(&e->current, rn->to);
		if (ss_schema_table(&e->desired, rn->to) == NULL) {
			ss_buf_addf(&m, "the schema files define no table '%s'",
			    rn->to);
			mean(&m, suggest_table(&e->desired, rn->to));
		} else if (from == NULL && to == NULL) {
			ss_buf_addf(&m, "the database has no table '%s'",
			    rn->table);
			mean(&m, suggest_table(&e->current, rn->table));
		} else if (yes && typed && from != NULL && to != NULL &&
		    from != to && ss_schema_table(&e->desired,
		    rn->table) == NULL) {
			/* Read as made before, the old one would be dropped:
			 * the answer said otherwise. */
			ss_buf_addf(&m, "the database has both tables '%s' and "
			    "'%s': a rename needs '%s' free (drop or rename it "
			    "first)", from->name, to->name, to->name);
		} else if (yes && typed && from != NULL && to == NULL &&
		    kept_beside(e, rn, from->name, NULL)) {
			/* Nothing would be renamed: the new one made beside
			 * the old, and the rename then out of reach. */
			ss_buf_addf(&m, "the schema files keep table '%s' beside "
			    "'%s', so nothing would be renamed (a rename needs "
			    "the files to drop '%s')", from->name, rn->to,
			    from->name);
		} else
			goto out;
	} else if ((t = desired_table(e, rn->table)) == NULL) {
		ss_buf_addf(&m, "the schema files define no table '%s'",
		    rn->table);
		mean(&m, suggest_table(&e->desired, rn->table));
	} else if (ss_table_column(t, rn->to) == NULL) {
		ss_buf_addf(&m, "table '%s' of the schema files has no column "
		    "'%s'", t->name, rn->to);
		mean(&m, suggest_column(t, rn->to));
	} else if ((c = current_table(e, t, rn->table)) == NULL) {
		ss_buf_addf(&m, "the database has no table '%s'", rn->table);
		mean(&m, suggest_table(&e->current, rn->table));
	} else if (ss_table_column(c, rn->column) == NULL &&
	    ss_table_column(c, rn->to) == NULL) {
		ss_buf_addf(&m, "table '%s' of the database has no column '%s'",
		    c->name, rn->column);
		mean(&m, suggest_column(c, rn->column));
	} else if (yes && typed && ss_table_column(c, rn->column) != NULL &&
	    ss_table_column(c, rn->to) != NULL &&
	    ss_table_column(c, rn->column) != ss_table_column(c, rn->to) &&
	    ss_table_column(t, rn->column) == NULL) {
		ss_buf_addf(&m, "table '%s' of the database has both columns "
		    "'%s' and '%s': a rename needs '%s' free (drop or rename "
		    "it first)", c->name, ss_table_column(c, rn->column)->name,
		    ss_table_column(c, rn->to)->name,
		    ss_table_column(c, rn->to)->name);
	} else if (yes && typed && ss_table_column(c, rn->column) != NULL &&
	    ss_table_column(c, rn->to) == NULL &&
	    kept_beside(e, rn, rn->column, t)) {
		ss_buf_addf(&m, "table '%s' of the schema files keeps column "
		    "'%s' beside '%s', so nothing would be renamed (a rename "
		    "needs the files to drop '%s')", t->name, rn->column,
		    rn->to, rn->column);
	} else
		goto out;
	rc = ss_err_set(&e->err, SS_EUSAGE, "%s", m.s);
out:
	ss_buf_release(&m);
	return rc;
}

/* The spelling s has of a table named like name in any letter case
 * (in e's arena: answers outlive the schemas). */
static const char *
table_icase(struct ss_engine *e, const struct ss_schema *s, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < s->ntables; i++)
		if (strcasecmp(s->tables[i]->name, name) == 0)
			return ss_arena_strdup(&e->arena, s->tables[i]->name);
	return name;
}

/* Where names that differ in case are one (SQLite), an answer read from
 * SQL takes the spellings of the database and the files. */
static void
fit_case(struct ss_engine *e, struct ss_rename *rn)
{
	const struct ss_table *t;
	const struct ss_column *c;

	if (!e->dl->names_fold_case)
		return;
	if (rn->column == NULL) {
		rn->table = table_icase(e, &e->current, rn->table);
		rn->to = table_icase(e, &e->desired, rn->to);
		return;
	}
	rn->table = table_icase(e, &e->current, rn->table);
	if ((t = ss_schema_table(&e->current, rn->table)) != NULL &&
	    (c = ss_table_column_icase(t, rn->column)) != NULL)
		rn->column = ss_arena_strdup(&e->arena, c->name);
	if ((t = desired_table(e, rn->table)) != NULL &&
	    (c = ss_table_column_icase(t, rn->to)) != NULL)
		rn->to = ss_arena_strdup(&e->arena, c->name);
}

static int
check_answers(struct ss_engine *e, const struct ss_engine_opts *o)
{
	size_t i, n;
	int rc;

	if (o->fit_answers) {
		/* Answers read from SQL, not typed: one that names nothing
		 * here is no answer, and no error. */
		for (i = n = 0; i < e->nyes; i++) {
			fit_case(e, &e->yes[i]);
			if (check_answer(e, &e->yes[i], true, false) == 0)
				e->yes[n++] = e->yes[i];
			ss_err_release(&e->err);
			ss_err_init(&e->err);
		}
		e->nyes = n;
	}
	for (i = 0; i < e->nyes; i++)
		if ((rc = check_answer(e, &e->yes[i], true,
		    !o->fit_answers)) < 0)
			return rc;
	for (i = 0; i < e->nno; i++)
		if ((rc = check_answer(e, &e->no[i], false, true)) < 0)
			return rc;
	return 0;
}

/*
 * A renamed_from that names nothing in the database, while the new name
 * is not there either, is a warning (left in the files after the rename
 * was applied, it says nothing).
 */
static void
check_hints(struct ss_engine *e)
{
	const struct ss_table *t, *c;
	size_t i, j;

	ss_diags_release(&e->warnings);
	for (i = 0; i < e->desired.ntables; i++) {
		t = e->desired.tables[i];
		c = ss_schema_table(&e->current, t->name);
		if (t->renamed_from != NULL && c != NULL &&
		    ss_schema_table(&e->current, t->renamed_from) != NULL &&
		    ss_schema_table(&e->current, t->renamed_from) != c &&
		    ss_schema_table(&e->desired, t->renamed_from) == NULL)
			ss_diag_add(&e->warnings, SS_SEV_WARNING, &t->renamed_loc,
			    "renamed_from '%s': the database has both tables "
			    "'%s' and '%s', so no rename: '%s' is read as one "
			    "the files drop", t->renamed_from, t->renamed_from,
			    c->name, t->renamed_from);
		if (t->renamed_from != NULL && c == NULL &&
		    ss_schema_table(&e->current, t->renamed_from) == NULL) {
			const char *hit = suggest_table(&e->current,
			    t->renamed_from);
			ss_diag_add(&e->warnings, SS_SEV_WARNING, &t->renamed_loc,
			    "renamed_from names no table of the database: "
			    "'%s'%s%s%s", t->renamed_from, hit ? " (did you "
			    "mean '" : "", hit ? hit : "", hit ? "'?)" : "");
		}
		if ((c = current_table(e, t, t->name)) == NULL)
			continue;
		for (j = 0; j < t->ncolumns; j++) {
			const struct ss_column *col = &t->columns[j];
			const char *hit;
			struct ss_loc l;
			if (col->renamed_from != NULL &&
			    ss_table_column(c, col->renamed_from) != NULL &&
			    ss_table_column(c, col->name) != NULL &&
			    ss_table_column(c, col->renamed_from) !=
			    ss_table_column(c, col->name) &&
			    ss_table_column(t, col->renamed_from) == NULL) {
				ss_diag_add(&e->warnings, SS_SEV_WARNING,
				    ss_column_loc(col, col->renamed_loc, &l),
				    "renamed_from '%s': table '%s' of the "
				    "database has both columns '%s' and '%s', so "
				    "no rename: '%s' is read as one the files "
				    "drop", col->renamed_from, c->name,
				    col->renamed_from, col->name,
				    col->renamed_from);
				continue;
			}
			if (col->renamed_from == NULL ||
			    ss_table_column(c, col->renamed_from) != NULL ||
			    ss_table_column(c, col->name) != NULL)
				continue;
			hit = suggest_column(c, col->renamed_from);
			ss_diag_add(&e->warnings, SS_SEV_WARNING,
			    ss_column_loc(col, col->renamed_loc, &l),
			    "renamed_from names no column of "
			    "table '%s' in the database: '%s'%s%s%s", c->name,
			    col->renamed_from, hit ? " (did you mean '" : "",
			    hit ? hit : "", hit ? "'?)" : "");
		}
	}
}

/* Marks the drops that the literal answers from first on made. */
static void
mark_literal(struct ss_engine *e, size_t first)
{
	const struct ss_rename *rn;
	struct ss_change *c;
	size_t i, j, k;

	for (k = first; k < e->nno; k++) {
		rn = &e->no[k];
		for (i = 0; i < e->nplans; i++)
			for (j = 0; j < e->plans[i].n; j++) {
				c = e->plans[i].v[j];
				if (rn->column == NULL ?
				    c->op == SS_OP_DROP_TABLE &&
				    strcmp(c->table, rn->table) == 0 :
				    c->op == SS_OP_DROP_COLUMN &&
				    strcmp(c->column, rn->column) == 0 &&
				    c->cur_table != NULL &&
				    strcmp(c->cur_table, rn->table) == 0)
					c->literal_to = rn->to;
			}
	}
}

/* Introspection cache. */

void
ss_icache_init(struct ss_icache *c)
{
	memset(c, 0, sizeof *c);
	ss_schema_init(&c->model);
	ss_buf_init(&c->fp);
}

void
ss_icache_forget(struct ss_icache *c)
{
	ss_schema_release(&c->model);
	ss_schema_init(&c->model);
	ss_buf_reset(&c->fp);
	c->valid = false;
}

void
ss_icache_release(struct ss_icache *c)
{
	ss_schema_release(&c->model);
	ss_buf_release(&c->fp);
}

/*
 * e->current from the database, or from the cache when the fingerprint
 * read now, inside the applying transaction, is the one the cached
 * model was read at: no schema change can have committed in between,
 * and none can commit until the transaction ends.
 */
static int
introspect_current(struct ss_engine *e)
{
	struct ss_icache *c = e->in_apply ? e->icache : NULL;
	int rc;

	e->fp_ok = false;
	if (c != NULL && e->dl->fingerprint != NULL) {
		ss_buf_reset(&e->fp);
		if ((rc = e->dl->fingerprint(e->conn, &e->fp, &e->err)) < 0)
			return rc;
		e->fp_ok = true;
		if (c->valid && c->fp.len == e->fp.len &&
		    memcmp(c->fp.s, e->fp.s, e->fp.len) == 0) {
			e->current = c->model;
			ss_schema_init(&c->model);
			c->valid = false;
			c->hits++;
			return 0;
		}
		c->misses++;
	}
	return ss_introspect(e->dl, e->conn, e->config, &e->current, &e->err);
}

int
ss_engine_keep_current(struct ss_engine *e)
{
	struct ss_icache *c = e->icache;
	struct ss_buf t;
	int rc;

	if (c == NULL || e->conn == NULL || e->dl->fingerprint == NULL)
		return 0;
	ss_icache_forget(c);
	if (!e->applied && e->fp_ok) {
		/* Rolled back: the database is as the run read it. */
		c->model = e->current;
		ss_schema_init(&e->current);
		t = c->fp;
		c->fp = e->fp;
		e->fp = t;
		e->fp_ok = false;
		c->valid = true;
		return 0;
	}
	/*
	 * The fingerprint first: a change committed between the two reads
	 * makes the next run's fingerprint differ from this one, so a model
	 * that saw it, or did not, is never taken for a schema it is not.
	 */
	if ((rc = e->dl->fingerprint(e->conn, &c->fp, &e->err)) < 0 ||
	    (rc = ss_introspect(e->dl, e->conn, e->config, &c->model,
	    &e->err)) < 0) {
		ss_icache_forget(c);
		return rc;
	}
	c->valid = true;
	return 0;
}

/*
 * Loading while introspecting (engine.h, desired_ready): the files,
 * once; nothing before this reads e->desired.
 */
static int
await_desired(struct ss_engine *e)
{
	int (*fn)(struct ss_engine *, void *) = e->desired_ready;

	if (fn == NULL)
		return 0;
	e->desired_ready = NULL;
	return fn(e, e->desired_arg);
}

/*
 * The applying transaction's lock. While the files are still loading,
 * a lock someone else holds is waited for only once they are loaded
 * (their errors first, at once); else as the dialect's begin does.
 */
static int
begin_locked(struct ss_engine *e)
{
	int rc;

	if (e->desired_ready != NULL && e->dl->try_begin != NULL) {
		if ((rc = e->dl->try_begin(e->conn, &e->err)) <= 0)
			return rc;
		if ((rc = await_desired(e)) < 0)
			return rc;
	}
	return e->dl->begin(e->conn, &e->err);
}

static int
plan(struct ss_engine *e, const struct ss_engine_opts *o)
{
	struct ss_diff_opts d;
	size_t k;
	int rc;

	reset_plans(e);
	if (e->conn != NULL) {
		ss_schema_release(&e->current);
		ss_schema_init(&e->current);
		if ((rc = introspect_current(e)) < 0)
			return rc;
	}
	if ((rc = await_desired(e)) < 0)
		return rc;
	/* Declared views only: the others are left alone. */
	if (e->conn != NULL)
		ss_schema_unmanage_views(&e->current, &e->desired,
		    e->dl->names_fold_case);
	if ((rc = check_answers(e, o)) < 0)
		return rc;
	check_hints(e);
	if (e->dl->prepare != NULL && e->conn != NULL &&
	    (rc = e->dl->prepare(e->conn, &e->desired, &e->current,
	    &e->err)) < 0)
		return rc;
	memset(&d, 0, sizeof d);
	d.same_type = e->dl->same_type;
	d.same_default = e->dl->same_default;
	d.same_expr = e->dl->same_expr;
	d.enum_types = e->dl->enum_types;
	d.forward_fks = e->dl->forward_fks;
	d.fold_case = e->dl->names_fold_case;
	d.affinity_types = e->dl->affinity_types;
	d.comments = e->dl->comments;
	d.identity_always = e->dl->identity_always;
	d.unique_constraints = e->dl->unique_constraints;
	d.default_collation = e->dl->default_collation;
	d.breaks_views = e->dl->breaks_views;
	for (;;) {
		d.renames = e->yes;
		d.nrenames = e->nyes;
		d.rejected = e->no;
		d.nrejected = e->nno;
		d.renames_first = o->fit_answers;
		d.values_used = o->values_used;
		d.gone = o->fit_answers ? e->gone : NULL;
		d.ngone = o->fit_answers ? e->ngone : 0;
		for (k = 0; k < (o->force_reset ? 2u : 1u); k++) {
			const struct ss_schema *want = &e->desired;
			const struct ss_schema *have = &e->current;
			if (o->force_reset && k == 0)
				want = &e->empty;
			else if (o->force_reset)
				have = &e->empty;
			if ((rc = plan_one(e, &d, k, want, have)) < 0)
				return rc;
		}
		if (!o->literal || reject_candidates(e) == 0)
			break;
		reset_plans(e);
	}
	if (e->lit0 > 0)
		mark_literal(e, e->lit0 - 1);
	ss_engine_hold(e, o->accept);
	return 0;
}

size_t
ss_engine_hold(struct ss_engine *e, unsigned accept)
{
	size_t i, held = 0;

	for (i = 0; i < e->nplans; i++)
		held += ss_plan_hold(&e->plans[i], accept);
	return held;
}

int
ss_engine_plan(struct ss_engine *e, const struct ss_engine_opts *o)
{
	e->in_apply = false;	/* no transaction: the cache never serves */
	return plan(e, o);
}

size_t
ss_engine_changes(const struct ss_engine *e)
{
	size_t i, n = 0;

	for (i = 0; i < e->nplans; i++)
		n += e->plans[i].n;
	return n;
}

size_t
ss_engine_held(const struct ss_engine *e)
{
	size_t i, j, n = 0;

	for (i = 0; i < e->nplans; i++)
		for (j = 0; j < e->plans[i].n; j++)
			n += e->plans[i].v[j]->held;
	return n;
}

size_t
ss_engine_count_class(const struct ss_engine *e, enum ss_class cls)
{
	size_t i, j, n = 0;

	for (i = 0; i < e->nplans; i++)
		for (j = 0; j < e->plans[i].n; j++)
			n += e->plans[i].v[j]->class == cls;
	return n;
}

const struct ss_step *
ss_engine_step_of(const struct ss_engine *e, const struct ss_change *c)
{
	size_t i, j;

	for (i = 0; i < e->steps.n; i++)
		for (j = 0; j < e->steps.v[i]->nchanges; j++)
			if (e->steps.v[i]->changes[j] == c)
				return e->steps.v[i];
	return NULL;
}

void
ss_engine_digest(const struct ss_engine *e, struct ss_buf *b, bool held_only)
{
	size_t i, j;

	ss_buf_reset(b);
	for (i = 0; i < e->nplans; i++) {
		if (i)
			ss_buf_adds(b, "--\n");
		for (j = 0; j < e->plans[i].n; j++) {
			const struct ss_change *c = e->plans[i].v[j];
			if (held_only && !c->held)
				continue;
			ss_buf_addf(b, "%s %s ", ss_class_name(c->class),
			    ss_change_sign(c));
			ss_change_describe(b, c);
			ss_buf_addc(b, '\n');
		}
	}
}

/* Whether every destructive change of the plan is a line of shown. */
static bool
loss_shown(const struct ss_engine *e, const char *shown)
{
	struct ss_buf line = SS_BUF_INIT;
	size_t i, j;
	bool ok = true;

	for (i = 0; i < e->nplans && ok; i++)
		for (j = 0; j < e->plans[i].n && ok; j++) {
			const struct ss_change *c = e->plans[i].v[j];
			if (c->class != SS_CLASS_DESTRUCTIVE)
				continue;
			ss_buf_reset(&line);
			ss_buf_addf(&line, "%s %s ", ss_class_name(c->class),
			    ss_change_sign(c));
			ss_change_describe(&line, c);
			ss_buf_addc(&line, '\n');
			ok = ss_line_in(shown, line.s);
		}
	ss_buf_release(&line);
	return ok;
}

static bool
same_name(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/* Whether x's count (shown) covers y's (found now): not grown. */
static bool
not_grown(const struct ss_change *x, const struct ss_change *y)
{
	return x->count < 0 ? y->count < 0 : y->count >= 0 &&
	    y->count <= x->count;
}

/*
 * Whether the destructive change y was shown in an approved plan, with
 * at least its count: the same change, or a rename candidate whose
 * "create" answer drops what y drops.
 */
static bool
shown_loss(const struct ss_engine *e, const struct ss_change *y)
{
	size_t i, j;

	for (i = 0; i < e->napproved; i++)
		for (j = 0; j < e->approved[i].n; j++) {
			const struct ss_change *x = e->approved[i].v[j];
			if (x->class == SS_CLASS_DESTRUCTIVE && x->op == y->op &&
			    same_name(x->table, y->table) &&
			    same_name(x->column, y->column) &&
			    same_name(x->object, y->object) && not_grown(x, y))
				return true;
			if (x->candidate && not_grown(x, y) &&
			    ((x->op == SS_OP_RENAME_TABLE &&
			    y->op == SS_OP_DROP_TABLE &&
			    same_name(x->old_name, y->table)) ||
			    (x->op == SS_OP_RENAME_COLUMN &&
			    y->op == SS_OP_DROP_COLUMN &&
			    same_name(x->cur_table, y->cur_table) &&
			    same_name(x->old_name, y->column))))
				return true;
		}
	return false;
}

void
ss_engine_approve(struct ss_engine *e)
{
	size_t i;

	release_plans(e->approved, &e->napproved);
	for (i = 0; i < e->nplans; i++) {
		e->approved[i] = e->plans[i];
		ss_plan_init(&e->plans[i]);
	}
	e->napproved = e->nplans;
	e->nplans = 0;
	ss_steps_release(&e->steps);
	ss_steps_init(&e->steps);
	/* The approved plans borrow from this introspection. */
	ss_schema_release(&e->approved_current);
	e->approved_current = e->current;
	ss_schema_init(&e->current);
}

/* Whether c waits, directly or not, for an unanswered rename. */
static bool
waits_for_answer(const struct ss_change *c)
{
	for (; c != NULL; c = c->held_by)
		if (c->class == SS_CLASS_AMBIGUOUS)
			return true;
	return false;
}

/* Holds every change of a table that has a held change. */
static void
hold_tables(struct ss_plan *p)
{
	size_t i, j;

	for (i = 0; i < p->n; i++) {
		if (!p->v[i]->held || p->v[i]->table == NULL)
			continue;
		for (j = 0; j < p->n; j++)
			if (p->v[j]->table != NULL &&
			    strcmp(p->v[j]->table, p->v[i]->table) == 0)
				p->v[j]->held = true;
	}
}

/*
 * Emit refuses a rebuild around a change that stays held; then the
 * tables with such a change are left without SQL and the rest is shown.
 */
void
ss_engine_preview(struct ss_engine *e, const struct ss_engine_opts *o)
{
	struct ss_err err = SS_ERR_INIT;
	size_t i, j;
	int rc = 0, pass;

	ss_engine_hold(e, o->accept | SS_ACCEPT(SS_CLASS_DESTRUCTIVE));
	for (i = 0; i < e->nplans; i++)
		for (j = 0; j < e->plans[i].n; j++)
			if (!waits_for_answer(e->plans[i].v[j]))
				e->plans[i].v[j]->held = false;
	for (pass = 0; pass < 2; pass++) {
		ss_steps_release(&e->steps);
		ss_steps_init(&e->steps);
		for (i = 0, rc = 0; i < e->nplans && rc == 0; i++) {
			if (pass > 0)
				hold_tables(&e->plans[i]);
			rc = e->dl->emit(&e->plans[i], &e->steps, &err);
		}
		ss_err_release(&err);
		if (rc == 0)
			break;
	}
	ss_engine_hold(e, o->accept);
}

static int
emit_and_exec(struct ss_engine *e)
{
	size_t i;
	int rc;

	ss_steps_release(&e->steps);
	ss_steps_init(&e->steps);
	for (i = 0; i < e->nplans; i++)
		if ((rc = e->dl->emit(&e->plans[i], &e->steps, &e->err)) < 0)
			return rc;
	for (i = 0; i < e->steps.n; i++)
		if ((rc = e->dl->exec_step(e->conn, e->steps.v[i], &e->err)) < 0)
			return rc;
	return 0;
}

/* Whether the plan made in the transaction is the one approved. */
static bool
is_approved(struct ss_engine *e, const struct ss_engine_opts *o)
{
	struct ss_buf shown = SS_BUF_INIT;
	size_t i, j;
	bool ok = true;

	if (o->expect_digest != NULL) {
		ss_engine_digest(e, &shown, false);
		ok = strcmp(shown.s, o->expect_digest) == 0;
	}
	for (i = 0; ok && e->napproved > 0 && i < e->nplans; i++)
		for (j = 0; ok && j < e->plans[i].n; j++)
			ok = e->plans[i].v[j]->class != SS_CLASS_DESTRUCTIVE ||
			    shown_loss(e, e->plans[i].v[j]);
	ss_buf_release(&shown);
	return ok;
}

int
ss_engine_apply(struct ss_engine *e, const struct ss_engine_opts *o,
    enum ss_outcome *out)
{
	size_t i, held;
	int rc;

	e->applied = false;
	e->failed_applying = false;
	e->in_apply = false;
	e->undo_point = 0;
	if ((rc = begin_locked(e)) < 0)
		return rc;
	e->in_apply = true;
	if ((rc = plan(e, o)) < 0)
		goto failed;
	if (!is_approved(e, o))
		goto stale;
	if (o->nconfirm_renames > 0) {
		/* Renames answered yes to a question about the plan just
		 * compared: plan with them, and show no new data loss. */
		for (i = 0; i < o->nconfirm_renames; i++)
			if ((rc = ss_engine_answer_arg(e,
			    o->confirm_renames[i], true)) < 0)
				goto failed;
		if ((rc = plan(e, o)) < 0)
			goto failed;
		if (o->expect_digest != NULL &&
		    !loss_shown(e, o->expect_digest))
			goto stale;
	}
	held = ss_engine_hold(e, o->accept);
	if (ss_engine_changes(e) == 0) {
		e->dl->rollback(e->conn);
		*out = SS_OUTCOME_NOTHING;
		return 0;
	}
	if (held > 0 && (!o->partial || held == ss_engine_changes(e))) {
		e->dl->rollback(e->conn);
		ss_engine_preview(e, o);
		*out = SS_OUTCOME_HELD;
		return 0;
	}
	if (e->keep != NULL && (rc = e->keep(e, e->keep_arg)) < 0)
		goto failed;
	if ((rc = emit_and_exec(e)) == -SS_EBLOCKED && o->partial) {
		/* A SQLite rebuild cannot leave a change of its table
		 * behind: the whole run is held (watch). */
		e->dl->rollback(e->conn);
		e->undo_point = 0;	/* rolled back with the rest */
		*out = SS_OUTCOME_REFUSED;
		return 0;
	}
	if (rc == 0 && e->kept != NULL && e->undo_point > 0)
		rc = e->kept(e, e->keep_arg);
	if (rc == 0 && e->gate != NULL && !e->gate(e->gate_arg)) {
		e->dl->rollback(e->conn);
		e->undo_point = 0;
		*out = SS_OUTCOME_SUPERSEDED;
		return 0;
	}
	if (rc < 0 || (rc = e->dl->commit(e->conn, &e->err)) < 0) {
		e->failed_applying = true;
		goto failed;
	}
	e->applied = true;
	*out = SS_OUTCOME_APPLIED;
	return 0;
stale:
	e->dl->rollback(e->conn);
	*out = SS_OUTCOME_STALE;
	return 0;
failed:
	e->dl->rollback(e->conn);
	e->undo_point = 0;
	return rc;
}

int
ss_engine_run_plans(struct ss_engine *e)
{
	return emit_and_exec(e);
}

int
ss_engine_exec_begin(struct ss_engine *e)
{
	return e->dl->begin(e->conn, &e->err);
}

int
ss_engine_exec_run(struct ss_engine *e, const char *const *sql, size_t n,
    size_t *failed)
{
	struct ss_steps steps;
	struct ss_step *st;
	size_t i;
	int rc = 0;

	*failed = 0;
	ss_steps_init(&steps);
	st = ss_steps_add(&steps);
	for (i = 0; i < n; i++) {
		st->nsql = 0;
		ss_step_sql(&steps, st, sql[i]);
		if ((rc = e->dl->exec_step(e->conn, st, &e->err)) < 0) {
			*failed = i;
			e->dl->rollback(e->conn);
			break;
		}
	}
	ss_steps_release(&steps);
	return rc;
}

int
ss_engine_exec_commit(struct ss_engine *e)
{
	int rc;

	if ((rc = e->dl->commit(e->conn, &e->err)) < 0)
		e->dl->rollback(e->conn);
	return rc;
}

void
ss_engine_exec_rollback(struct ss_engine *e)
{
	e->dl->rollback(e->conn);
}

int
ss_engine_exec_sql(struct ss_engine *e, const char *const *sql, size_t n,
    size_t *failed)
{
	int rc;

	*failed = 0;
	if ((rc = ss_engine_exec_begin(e)) < 0 ||
	    (rc = ss_engine_exec_run(e, sql, n, failed)) < 0)
		return rc;
	return ss_engine_exec_commit(e);
}
