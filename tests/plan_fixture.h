#ifndef SS_TESTS_PLAN_FIXTURE_H
#define SS_TESTS_PLAN_FIXTURE_H
/*
 * Shared by tests/test_diff.c and tests/test_plan.c: models from YAML
 * through the real loader, a plan between them, and the plan rendered
 * as "op table.object class" lines for golden comparisons.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "ss/diff.h"
#include "ss/load.h"
#include "ss/plan.h"

struct fx {
	struct ss_schema d, c;
	struct ss_plan p;
	struct ss_diff_opts o;
	struct ss_buf out;
};

static inline void
fx_load(struct ss_schema *s, const char *name, const char *yaml)
{
	struct ss_diags dg = SS_DIAGS_INIT;
	struct ss_buf b = SS_BUF_INIT;
	size_t i;
	int r;

	ss_schema_init(s);
	r = ss_load_buffers(s, &name, &yaml, 1, &dg);
	for (i = 0; i < dg.n; i++) {
		ss_diag_format(&b, &dg.v[i], 0);
		ss_buf_addc(&b, '\n');
	}
	cr_assert_eq(r, 0, "loading %s failed:\n%s", name, b.s);
	ss_buf_release(&b);
	ss_diags_release(&dg);
}

static inline void
fx_init(struct fx *f)
{
	memset(f, 0, sizeof *f);
	ss_plan_init(&f->p);
	ss_buf_init(&f->out);
	f->o.enum_types = true;
}

static inline void
fx_release(struct fx *f)
{
	ss_plan_release(&f->p);
	ss_schema_release(&f->d);
	ss_schema_release(&f->c);
	ss_buf_release(&f->out);
}

/* Loads both sides and diffs them (desired, current). */
static inline void
fx_diff(struct fx *f, const char *desired, const char *current)
{
	struct ss_err err = SS_ERR_INIT;

	fx_load(&f->d, "desired.yaml", desired);
	fx_load(&f->c, "current.yaml", current);
	cr_assert_eq(ss_diff(&f->d, &f->c, &f->o, &f->p, &err), 0, "%s",
	    err.msg.s);
	ss_err_release(&err);
}

/* Re-diffs the loaded models (after changing f->o). */
static inline void
fx_rediff(struct fx *f)
{
	struct ss_err err = SS_ERR_INIT;

	ss_plan_release(&f->p);
	ss_plan_init(&f->p);
	cr_assert_eq(ss_diff(&f->d, &f->c, &f->o, &f->p, &err), 0, "%s",
	    err.msg.s);
	ss_err_release(&err);
}

static inline void
fx_line(struct ss_buf *b, const struct ss_change *c)
{
	ss_buf_addf(b, "%s ", ss_op_name(c->op));
	if (c->table != NULL) {
		ss_buf_adds(b, c->table);
		if (c->column != NULL)
			ss_buf_addf(b, ".%s", c->column);
		else if (c->object != NULL)
			ss_buf_addf(b, ".%s", c->object);
	} else if (c->op == SS_OP_ADD_ENUM_VALUE)
		ss_buf_addf(b, "%s.%s", c->d_enum->name, c->object);
	else if (c->op == SS_OP_DROP_ENUM_VALUE)
		ss_buf_addf(b, "%s.%s", c->c_enum->name, c->object);
	else
		ss_buf_adds(b, c->object);
	ss_buf_addf(b, " %s", ss_class_name(c->class));
	if (c->held)
		ss_buf_adds(b, " held");
}

/* The plan as lines "op table.object class[ held]". */
static inline const char *
fx_render(struct fx *f)
{
	size_t i;

	ss_buf_reset(&f->out);
	for (i = 0; i < f->p.n; i++) {
		fx_line(&f->out, f->p.v[i]);
		ss_buf_addc(&f->out, '\n');
	}
	return f->out.s;
}

static inline void
fx_expect_lines(struct fx *f, const char *const *lines, size_t n)
{
	struct ss_buf want = SS_BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		ss_buf_adds(&want, lines[i]);
		ss_buf_addc(&want, '\n');
	}
	cr_assert_str_eq(fx_render(f), want.s, "plan:\n%s\nwanted:\n%s",
	    f->out.s, want.s);
	ss_buf_release(&want);
}

#define FX_EXPECT(f, ...) do { \
	static const char *const fx_lines_[] = { __VA_ARGS__ }; \
	fx_expect_lines((f), fx_lines_, sizeof fx_lines_ / sizeof fx_lines_[0]); \
} while (0)

#define FX_EXPECT_EMPTY(f) \
	cr_assert_eq((f)->p.n, 0, "plan not empty:\n%s", fx_render(f))

/* Counts the database would report: kind, table, column (or NULL),
 * value (ENUM_VALUE, or NULL), count. */
struct fx_count {
	enum ss_count_kind kind;
	const char *table, *column, *value;
	long count;
};

static inline bool
fx_streq(const char *a, const char *b)
{
	return a == NULL || (b != NULL && strcmp(a, b) == 0);
}

/* Fills every request from counts (first match), others with dflt;
 * then classifies. */
static inline void
fx_classify(struct fx *f, const struct fx_count *counts, size_t n, long dflt)
{
	struct ss_count_request *reqs;
	size_t nreqs, i, j;

	nreqs = ss_plan_count_requests(&f->p, &reqs);
	for (i = 0; i < nreqs; i++) {
		reqs[i].count = dflt;
		for (j = 0; j < n; j++) {
			if (counts[j].kind == reqs[i].kind &&
			    strcmp(counts[j].table, reqs[i].table) == 0 &&
			    fx_streq(counts[j].column, reqs[i].column) &&
			    fx_streq(counts[j].value, reqs[i].value)) {
				reqs[i].count = counts[j].count;
				break;
			}
		}
	}
	ss_plan_classify(&f->p);
}

static inline void
fx_order(struct fx *f)
{
	struct ss_err err = SS_ERR_INIT;

	cr_assert_eq(ss_plan_order(&f->p, &err), 0, "%s", err.msg.s);
	ss_err_release(&err);
}

/* The first change whose line starts with prefix. */
static inline struct ss_change *
fx_find(struct fx *f, const char *prefix)
{
	struct ss_buf b = SS_BUF_INIT;
	struct ss_change *r = NULL;
	size_t i;

	for (i = 0; i < f->p.n && r == NULL; i++) {
		ss_buf_reset(&b);
		fx_line(&b, f->p.v[i]);
		if (strncmp(b.s, prefix, strlen(prefix)) == 0)
			r = f->p.v[i];
	}
	ss_buf_release(&b);
	cr_assert_not_null(r, "no change '%s' in:\n%s", prefix, fx_render(f));
	return r;
}

#endif
