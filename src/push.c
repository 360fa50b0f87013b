/*
 * One run of the pipeline (include/ss/push.h).
 *
 * Design notes:
 *  1. The plan that is applied is always made inside the applying
 *     transaction (BEGIN IMMEDIATE on SQLite, an advisory lock on
 *     PostgreSQL), so the counts that classified it are the counts of
 *     the data it runs on. When a question was asked first, the answer
 *     was given for a plan made outside the transaction; if the plan
 *     made inside differs, nothing is applied and the run starts over.
 *  2. Questions (renames, data loss, --force-reset) are only asked on a
 *     terminal; elsewhere the change is held and the run ends with
 *     exit 3, saying how to answer it without a terminal.
 *  3. --force-reset is two plans in one transaction: everything managed
 *     against an empty schema (drops), then the files against an empty
 *     database (creates).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ss/load.h"
#include "ss/push.h"

#define MAX_ATTEMPTS 3

struct run {
	struct ss_ctx *ctx;
	const struct ss_push_opts *o;
	const struct ss_dialect *dl;
	struct ss_conn *conn;
	struct ss_schema desired;
	struct ss_schema current;
	struct ss_schema empty;
	struct ss_schema approved_current; /* what approved plans borrow */
	struct ss_plan plans[2];	/* [1] only for --force-reset */
	size_t nplans;
	struct ss_steps steps;
	struct ss_arena arena;		/* rename answers */
	struct ss_rename *yes;
	size_t nyes, ayes;
	struct ss_rename *no;
	size_t nno, ano;
	unsigned accept;		/* classes applied */
	bool applied;
	bool failed;			/* the plan failed to apply: err says why */
	struct ss_buf notices;		/* JSON, push and diff: the database's notices, as array elements */
	struct timespec t0;
	struct ss_err err;
};

static double
elapsed_ms(const struct run *r)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - r->t0.tv_sec) * 1e3 +
	    (double)(t.tv_nsec - r->t0.tv_nsec) / 1e6;
}

static bool
ask(struct run *r, const char *question)
{
	char line[64];

	printf("%s [y/N] ", question);
	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL) {
		printf("\n");
		return false;
	}
	(void)r;
	return line[0] == 'y' || line[0] == 'Y';
}

static void
reset_plans(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nplans; i++)
		ss_plan_release(&r->plans[i]);
	r->nplans = 0;
	ss_steps_release(&r->steps);
	ss_steps_init(&r->steps);
}

/* Introspects, diffs, counts and classifies into the plans. */
static int
plan(struct run *r)
{
	struct ss_diff_opts d;
	struct ss_count_request *reqs;
	size_t i, n, k;
	int rc;

	reset_plans(r);
	ss_schema_release(&r->current);
	ss_schema_init(&r->current);
	if ((rc = ss_introspect(r->dl, r->conn, &r->ctx->config, &r->current, &r->err)) < 0)
		return rc;
	if (r->dl->prepare != NULL && (rc = r->dl->prepare(r->conn,
	    &r->desired, &r->current, &r->err)) < 0)
		return rc;
	memset(&d, 0, sizeof d);
	d.same_type = r->dl->same_type;
	d.same_default = r->dl->same_default;
	d.same_expr = r->dl->same_expr;
	d.enum_types = r->dl->enum_types;
	d.forward_fks = r->dl->forward_fks;
	d.fold_case = r->dl->names_fold_case;
	d.affinity_types = r->dl->affinity_types;
	d.comments = r->dl->comments;
	d.identity_always = r->dl->identity_always;
	d.renames = r->yes;
	d.nrenames = r->nyes;
	d.rejected = r->no;
	d.nrejected = r->nno;
	for (k = 0; k < (r->o->force_reset ? 2u : 1u); k++) {
		const struct ss_schema *want = &r->desired, *have = &r->current;
		if (r->o->force_reset)
			want = k == 0 ? &r->empty : &r->desired,
			have = k == 0 ? &r->current : &r->empty;
		ss_plan_init(&r->plans[k]);
		r->nplans = k + 1;
		if ((rc = ss_diff(want, have, &d, &r->plans[k], &r->err)) < 0)
			return rc;
		n = ss_plan_count_requests(&r->plans[k], &reqs);
		/* Nothing to count in an empty database. */
		for (i = 0; i < n && have == &r->current; i++)
			if ((rc = r->dl->count(r->conn, &reqs[i], &r->err)) < 0)
				return rc;
		for (i = 0; i < n && have != &r->current; i++)
			reqs[i].count = 0;
		ss_plan_classify(&r->plans[k]);
		if ((rc = ss_plan_order(&r->plans[k], &r->err)) < 0)
			return rc;
	}
	return 0;
}

static size_t
hold(struct run *r)
{
	size_t i, held = 0;

	for (i = 0; i < r->nplans; i++)
		held += ss_plan_hold(&r->plans[i], r->accept);
	return held;
}

static size_t
nchanges(const struct run *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nplans; i++)
		n += r->plans[i].n;
	return n;
}

static size_t
count_class(const struct run *r, enum ss_class cls)
{
	size_t i, j, n = 0;

	for (i = 0; i < r->nplans; i++)
		for (j = 0; j < r->plans[i].n; j++)
			n += r->plans[i].v[j]->class == cls;
	return n;
}

/*
 * Asks about the first rename candidate; 1 when it was answered. One at
 * a time: an answer settles the other candidates of its two objects
 * (users.email → user_email answered yes, users.legacy → user_email
 * is no longer a question), so the caller plans again before the next.
 */
static int
ask_renames(struct run *r)
{
	struct ss_buf q = SS_BUF_INIT;
	struct ss_rename rn, *slot;
	size_t i, j;
	int asked = 0;

	for (i = 0; i < r->nplans && !asked; i++) {
		for (j = 0; j < r->plans[i].n && !asked; j++) {
			struct ss_change *c = r->plans[i].v[j];
			if (!c->candidate)
				continue;
			ss_buf_reset(&q);
			ss_change_describe(&q, c);
			ss_buf_addc(&q, '?');
			ss_rename_of_change(c, &rn);
			rn.table = ss_arena_strdup(&r->arena, rn.table);
			rn.column = ss_arena_strdup(&r->arena, rn.column);
			rn.to = ss_arena_strdup(&r->arena, rn.to);
			if (ask(r, q.s))
				slot = SS_ARENA_PUSH(&r->arena, r->yes, r->nyes, r->ayes);
			else
				slot = SS_ARENA_PUSH(&r->arena, r->no, r->nno, r->ano);
			*slot = rn;
			asked = 1;
			goto out;
		}
	}
out:
	ss_buf_release(&q);
	return asked;
}

/* Same changes, same classes, no count grown: what was approved. */
static bool
same_plans(const struct ss_plan *a, const struct ss_plan *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		const struct ss_change *x = a->v[i], *y = b->v[i];
#define SAME(f) ((x->f == NULL) == (y->f == NULL) && \
	(x->f == NULL || strcmp(x->f, y->f) == 0))
		if (x->op != y->op || x->class != y->class || !SAME(table) ||
		    !SAME(column) || !SAME(object) || y->count > x->count)
			return false;
#undef SAME
	}
	return true;
}

/* Report. */

static const char *
color_of(const struct ss_change *c)
{
	if (c->held && c->class == SS_CLASS_SAFE)
		return "\033[2m";
	switch (c->class) {
	case SS_CLASS_SAFE:
		return c->op == SS_OP_DROP_TABLE || c->op == SS_OP_DROP_COLUMN ||
		    c->op == SS_OP_DROP_INDEX ? "\033[36m" :
		    strncmp(ss_op_name(c->op), "create", 6) == 0 ||
		    strncmp(ss_op_name(c->op), "add", 3) == 0 ? "\033[32m" :
		    "\033[33m";
	case SS_CLASS_DESTRUCTIVE:
		return "\033[1;31m";
	case SS_CLASS_UNEXECUTABLE:
		return "\033[1;31m";
	default:
		return "\033[1;35m";
	}
}

static const struct ss_step *
step_of(const struct run *r, const struct ss_change *c)
{
	size_t i, j;

	for (i = 0; i < r->steps.n; i++)
		for (j = 0; j < r->steps.v[i]->nchanges; j++)
			if (r->steps.v[i]->changes[j] == c)
				return r->steps.v[i];
	return NULL;
}

static void
text_change(const struct run *r, struct ss_buf *b, const struct ss_change *c,
    bool sql)
{
	const struct ss_step *st;
	bool color = r->ctx->color_out;
	size_t i;

	ss_buf_addf(b, "  %s%s ", color ? color_of(c) : "", ss_change_sign(c));
	ss_change_describe(b, c);
	if (c->held && c->class == SS_CLASS_SAFE && c->held_by != NULL)
		ss_buf_adds(b, " (held: waits for a held change)");
	if (color)
		ss_buf_adds(b, "\033[0m");
	ss_buf_addc(b, '\n');
	if (c->candidate) {
		ss_buf_adds(b, "      answer it: ");
		ss_change_rename_hint(b, c);
		ss_buf_addc(b, '\n');
	}
	/* A step's SQL is printed under the last change it carries out. */
	if (!sql || (st = step_of(r, c)) == NULL ||
	    st->changes[st->nchanges - 1] != c)
		return;
	for (i = 0; i < st->nsql; i++) {
		const char *p = st->sql[i], *nl;
		for (;;) {
			nl = strchr(p, '\n');
			ss_buf_addf(b, "      %s%.*s%s\n", color ? "\033[2m" : "",
			    nl ? (int)(nl - p) : (int)strlen(p), p,
			    color ? "\033[0m" : "");
			if (nl == NULL)
				break;
			p = nl + 1;
		}
	}
}

static void
json_change(const struct run *r, struct ss_buf *b, const struct ss_change *c)
{
	const struct ss_step *st = step_of(r, c);
	struct ss_buf d = SS_BUF_INIT;
	size_t i;

	ss_buf_addf(b, "{\"op\":\"%s\"", ss_op_name(c->op));
	if (c->table != NULL) {
		ss_buf_adds(b, ",\"table\":");
		ss_json_string(b, c->table);
	}
	if (c->column != NULL) {
		ss_buf_adds(b, ",\"column\":");
		ss_json_string(b, c->column);
	}
	if (c->object != NULL) {
		ss_buf_adds(b, ",\"object\":");
		ss_json_string(b, c->object);
	}
	if (c->old_name != NULL) {
		ss_buf_adds(b, ",\"from\":");
		ss_json_string(b, c->old_name);
	}
	ss_buf_addf(b, ",\"class\":\"%s\"", ss_class_name(c->class));
	ss_change_describe(&d, c);
	ss_buf_adds(b, ",\"summary\":");
	ss_json_string(b, d.s);
	if (c->detail != NULL) {
		ss_buf_adds(b, ",\"detail\":");
		ss_json_string(b, c->detail);
	}
	if (c->count >= 0)
		ss_buf_addf(b, ",\"count\":%ld", c->count);
	ss_buf_addf(b, ",\"held\":%s,\"sql\":[", c->held ? "true" : "false");
	for (i = 0; st != NULL && i < st->nsql; i++) {
		if (i)
			ss_buf_addc(b, ',');
		ss_json_string(b, st->sql[i]);
	}
	ss_buf_adds(b, "]}");
	ss_buf_release(&d);
}

static void
plural(struct ss_buf *b, size_t n, const char *one, const char *many)
{
	ss_buf_addf(b, "%zu %s", n, n == 1 ? one : many);
}

/*
 * The plans' digests, one after the other (ss_plan_digest()'s lines);
 * with held_only, of the held changes only: what a partial run leaves
 * for the next plan to find.
 */
static void
digest(const struct run *r, struct ss_buf *b, bool held_only)
{
	size_t i, j;

	ss_buf_reset(b);
	for (i = 0; i < r->nplans; i++) {
		if (i)
			ss_buf_adds(b, "--\n");
		for (j = 0; j < r->plans[i].n; j++) {
			const struct ss_change *c = r->plans[i].v[j];
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
loss_shown(const struct run *r, const char *shown)
{
	struct ss_buf line = SS_BUF_INIT;
	const char *p;
	size_t i, j;
	bool ok = true;

	for (i = 0; i < r->nplans && ok; i++)
		for (j = 0; j < r->plans[i].n && ok; j++) {
			const struct ss_change *c = r->plans[i].v[j];
			if (c->class != SS_CLASS_DESTRUCTIVE)
				continue;
			ss_buf_reset(&line);
			ss_buf_addf(&line, "%s %s ", ss_class_name(c->class),
			    ss_change_sign(c));
			ss_change_describe(&line, c);
			ss_buf_addc(&line, '\n');
			for (p = shown; (p = strstr(p, line.s)) != NULL; p++)
				if (p == shown || p[-1] == '\n')
					break;
			ok = p != NULL;
		}
	ss_buf_release(&line);
	return ok;
}

/* What the report states, for a caller that goes on (watch). */
static void
fill_result(const struct run *r, int status, size_t held)
{
	struct ss_push_result *res = r->o->result;
	size_t i, j;

	if (res == NULL)
		return;
	res->changes = nchanges(r);
	res->held = r->applied || status != 3 ? held : res->changes;
	res->applied = r->applied;
	res->reported = true;
	res->askable = 0;
	digest(r, &res->digest, r->applied);
	ss_buf_reset(&res->renames);
	for (i = 0; i < r->nplans; i++)
		for (j = 0; j < r->plans[i].n; j++) {
			const struct ss_change *c = r->plans[i].v[j];
			if (!c->held)
				continue;
			if (c->class == SS_CLASS_DESTRUCTIVE ||
			    c->class == SS_CLASS_AMBIGUOUS)
				res->askable++;
			if (c->candidate) {
				ss_change_rename_arg(&res->renames, c);
				ss_buf_addc(&res->renames, '\n');
			}
		}
}

/* SPEC 3: "left alone: 5 views, 30 triggers", kinds in order met. */
static void
left_alone(struct ss_buf *b, const struct ss_schema *s)
{
	size_t i, j, n;

	ss_buf_adds(b, "left alone:");
	for (i = 0; i < s->nothers; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(s->others[j].kind, s->others[i].kind) == 0)
				break;
		if (j < i)
			continue;	/* kind counted already */
		for (n = 0, j = i; j < s->nothers; j++)
			n += strcmp(s->others[j].kind, s->others[i].kind) == 0;
		ss_buf_addf(b, "%s %zu %s%s", i ? "," : "", n,
		    s->others[i].kind, n == 1 ? "" : "s");
	}
	ss_buf_addc(b, '\n');
}

/*
 * What the database said besides results (notices.h): on stderr in
 * text, prefixed like every diagnostic; in JSON, an event of its own
 * in watch, else kept for the report's "notices".
 */
static void
on_notice(void *arg, const char *severity, const char *message)
{
	struct run *r = arg;
	struct ss_buf b = SS_BUF_INIT;

	if (r->ctx->args.format != SS_FORMAT_JSON) {
		fprintf(stderr, "schemasync: %s: the database says: %s\n",
		    strcmp(severity, "warning") == 0 ? "warning" : "note",
		    message);
		return;
	}
	if (r->o->json_event) {
		ss_buf_adds(&b, "{\"event\":\"notice\",\"severity\":");
		ss_json_string(&b, severity);
		ss_buf_adds(&b, ",\"message\":");
		ss_json_string(&b, message);
		ss_buf_adds(&b, "}\n");
		fputs(b.s, stdout);
		fflush(stdout);
	} else {
		if (r->notices.len > 0)
			ss_buf_addc(&r->notices, ',');
		ss_buf_adds(&r->notices, "{\"severity\":");
		ss_json_string(&r->notices, severity);
		ss_buf_adds(&r->notices, ",\"message\":");
		ss_json_string(&r->notices, message);
		ss_buf_addc(&r->notices, '}');
	}
	ss_buf_release(&b);
}

static void
take_notices(struct run *r)
{
	if (r->conn != NULL && r->dl != NULL && r->dl->notices != NULL)
		r->dl->notices(r->conn, on_notice, r);
}

/* The JSON report's "notices", when there are any. */
static void
json_notices(struct run *r, struct ss_buf *b)
{
	if (r->notices.len == 0)
		return;
	ss_buf_adds(b, ",\"notices\":[");
	ss_buf_add(b, r->notices.s, r->notices.len);
	ss_buf_addc(b, ']');
	ss_buf_reset(&r->notices);
}

/*
 * Prints the report; returns the exit status it states. A run whose
 * plan failed to apply (r->failed) reports that plan, then the error:
 * in text the plan on stdout and the error on stderr, in JSON one
 * "error" object that carries the plan.
 */
static int
report(struct run *r, int status, const char *why)
{
	struct ss_ctx *ctx = r->ctx;
	struct ss_buf b = SS_BUF_INIT;
	bool sql = r->o->dry_run || ctx->args.verbosity > 0;
	size_t i, j, n = nchanges(r), held = 0;
	char *msg;

	take_notices(r);
	for (i = 0; i < r->nplans; i++)
		for (j = 0; j < r->plans[i].n; j++)
			held += r->plans[i].v[j]->held;
	fill_result(r, status, held);
	if (r->failed && r->o->result != NULL)
		r->o->result->reported = false;
	if (ctx->args.format == SS_FORMAT_JSON) {
		if (r->failed) {
			msg = ss_url_mask_message(r->err.msg.s,
			    ctx->url.target);
			ss_buf_adds(&b, "{\"event\":\"error\",\"error\":");
			ss_json_string(&b, msg);
			ss_buf_addc(&b, ',');
			free(msg);
		} else if (r->o->json_event)
			ss_buf_addf(&b, "{\"event\":\"%s\",", status == 3 ?
			    "held" : n == 0 ? "plan" : "applied");
		else
			ss_buf_addc(&b, '{');
		ss_buf_adds(&b, "\"database\":");
		ss_json_string(&b, ctx->url.display);
		ss_buf_adds(&b, ",\"changes\":[");
		for (i = 0, n = 0; i < r->nplans; i++)
			for (j = 0; j < r->plans[i].n; j++, n++) {
				if (n)
					ss_buf_addc(&b, ',');
				json_change(r, &b, r->plans[i].v[j]);
			}
		if (r->o->json_event && status == 3 && why != NULL) {
			ss_buf_adds(&b, "],\"reason\":");
			ss_json_string(&b, why);
			ss_buf_adds(&b, ",\"applied\":");
		} else
			ss_buf_adds(&b, "],\"applied\":");
		ss_buf_addf(&b, "%s,\"blocked\":%zu",
		    r->applied ? "true" : "false", status == 3 ? held : 0);
		json_notices(r, &b);
		ss_buf_addf(&b, ",\"elapsed_ms\":%.1f,\"exit\":%d}\n",
		    elapsed_ms(r), status);
		fputs(b.s, stdout);
		goto out;
	}
	if (ctx->args.verbosity < 0 && status == 0)
		goto out;
	if (!r->o->no_header) {
		ss_buf_addf(&b, "%s: ", ctx->url.display);
		plural(&b, r->desired.nfiles, "file", "files");
		ss_buf_adds(&b, ", ");
		plural(&b, r->desired.ntables, "table", "tables");
		ss_buf_addc(&b, '\n');
	}
	if (ctx->args.verbosity > 0 && r->current.nothers > 0) {
		left_alone(&b, &r->current);
		for (i = 0; i < r->current.nothers; i++)
			ss_buf_addf(&b, "  %s '%s'\n", r->current.others[i].kind,
			    r->current.others[i].name);
	}
	if (ctx->args.verbosity > 0 && r->dl->queries != NULL && r->conn)
		ss_buf_addf(&b, "introspection: %d queries\n",
		    r->dl->queries(r->conn));
	for (i = 0; i < r->nplans; i++)
		for (j = 0; j < r->plans[i].n; j++)
			text_change(r, &b, r->plans[i].v[j], sql);
	if (r->failed)
		ss_buf_addf(&b, "failed: nothing was applied (%.0f ms)\n",
		    elapsed_ms(r));
	else if (status == 3 && why != NULL && !r->applied)
		ss_buf_addf(&b, "blocked: %s; nothing was applied (%.0f ms)\n",
		    why, elapsed_ms(r));
	else if (n == 0)
		ss_buf_addf(&b, "in sync: nothing to do (%.0f ms)\n",
		    elapsed_ms(r));
	else if (r->o->dry_run) {
		ss_buf_adds(&b, "dry run: ");
		plural(&b, n, "change", "changes");
		ss_buf_addf(&b, ", nothing applied (%.0f ms)\n", elapsed_ms(r));
	} else if (r->applied) {
		ss_buf_adds(&b, "applied ");
		plural(&b, n - held, "change", "changes");
		if (held > 0) {
			ss_buf_adds(&b, ", held ");
			plural(&b, held, "change", "changes");
		}
		ss_buf_addf(&b, " (%.0f ms)\n", elapsed_ms(r));
		/* Partial mode (watch): the safe part ran, this did not. */
		if (held > 0 && why != NULL)
			ss_buf_addf(&b, "held: %s\n", why);
	}
	fputs(b.s, stdout);
	fflush(stdout);
	if (r->failed)
		ss_print_error(ctx, &r->err);
out:
	fflush(stdout);
	ss_buf_release(&b);
	return status;
}

/* Why a held plan is blocked, in one sentence, or NULL. */
static const char *
blocked_why(struct run *r, struct ss_buf *b)
{
	size_t amb = count_class(r, SS_CLASS_AMBIGUOUS);
	size_t des = count_class(r, SS_CLASS_DESTRUCTIVE);
	size_t unx = count_class(r, SS_CLASS_UNEXECUTABLE);

	if (amb > 0) {
		plural(b, amb, "rename is", "renames are");
		ss_buf_adds(b, " not answered (add renamed_from, pass --rename "
		    "OLD=NEW, or run on a terminal)");
	} else if (unx > 0) {
		plural(b, unx, "change", "changes");
		ss_buf_adds(b, unx == 1 ? " cannot run" : " cannot run");
		ss_buf_adds(b, " on the data there");
	} else if (des > 0 && !(r->accept & SS_ACCEPT(SS_CLASS_DESTRUCTIVE))) {
		plural(b, des, "change", "changes");
		ss_buf_adds(b, " would lose data (pass --accept-data-loss, or "
		    "answer y on a terminal)");
	} else
		return NULL;
	return b->s;
}

static int
emit_and_exec(struct run *r)
{
	size_t i;
	int rc;

	ss_steps_release(&r->steps);
	ss_steps_init(&r->steps);
	for (i = 0; i < r->nplans; i++)
		if ((rc = r->dl->emit(&r->plans[i], &r->steps, &r->err)) < 0)
			return rc;
	if (r->o->dry_run)
		return 0;
	for (i = 0; i < r->steps.n; i++)
		if ((rc = r->dl->exec_step(r->conn, r->steps.v[i], &r->err)) < 0)
			return rc;
	return 0;
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
 * The SQL a plan would run if its data loss were accepted and the data
 * allowed it, for the report of a dry run or a blocked push: every
 * change but those waiting for a rename answer (which has no SQL until
 * it is answered). Emit refuses a rebuild around a change that stays
 * held; then the tables with such a change are left without SQL and
 * the rest is shown. Holds are put back as they were.
 */
static void
preview(struct run *r)
{
	struct ss_err e = SS_ERR_INIT;
	unsigned accept = r->accept;
	size_t i, j;
	int rc = 0, pass;

	r->accept |= SS_ACCEPT(SS_CLASS_DESTRUCTIVE);
	hold(r);
	for (i = 0; i < r->nplans; i++)
		for (j = 0; j < r->plans[i].n; j++)
			if (!waits_for_answer(r->plans[i].v[j]))
				r->plans[i].v[j]->held = false;
	for (pass = 0; pass < 2; pass++) {
		ss_steps_release(&r->steps);
		ss_steps_init(&r->steps);
		for (i = 0, rc = 0; i < r->nplans && rc == 0; i++) {
			if (pass > 0)
				hold_tables(&r->plans[i]);
			rc = r->dl->emit(&r->plans[i], &r->steps, &e);
		}
		ss_err_release(&e);
		if (rc == 0)
			break;
	}
	r->accept = accept;
	hold(r);
}

static int
fail(struct run *r)
{
	struct ss_buf b = SS_BUF_INIT;
	char *msg;

	if (r->conn != NULL)
		r->dl->rollback(r->conn);
	take_notices(r);
	if (r->ctx->args.format == SS_FORMAT_JSON && r->notices.len > 0) {
		/* The error object, with the notices that came before it. */
		msg = ss_url_mask_message(r->err.msg.s, r->ctx->url.target);
		ss_buf_adds(&b, "{\"event\":\"error\",\"error\":");
		ss_json_string(&b, msg);
		json_notices(r, &b);
		ss_buf_addf(&b, ",\"exit\":%d}\n",
		    ss_err_exit_status(r->err.code));
		fputs(b.s, stdout);
		fflush(stdout);
		free(msg);
	} else
		ss_print_error(r->ctx, &r->err);
	ss_buf_release(&b);
	return ss_err_exit_status(r->err.code);
}

/* The plan failed to apply: rolled back; the plan, then why. */
static int
fail_applying(struct run *r)
{
	r->dl->rollback(r->conn);
	r->failed = true;
	return report(r, ss_err_exit_status(r->err.code), NULL);
}

static int
run_once(struct run *r, bool *again)
{
	struct ss_plan approved[2];
	struct ss_buf why = SS_BUF_INIT;
	struct ss_buf shown = SS_BUF_INIT;	/* expect_digest: the plan now */
	bool asked = false, confirmed = false;
	size_t i, held;
	int rc, status = 0;

	*again = false;
	memset(approved, 0, sizeof approved);
	r->accept = SS_ACCEPT(SS_CLASS_SAFE);
	if (r->o->accept_data_loss)
		r->accept |= SS_ACCEPT(SS_CLASS_DESTRUCTIVE);

	if (r->o->dry_run || r->o->interactive) {
		/* Plan outside any transaction; ask; then apply inside. */
		for (;;) {
			if ((rc = plan(r)) < 0)
				return fail(r);
			if (r->o->dry_run || !r->o->interactive ||
			    !ask_renames(r))
				break;
			asked = true;
		}
		if (r->o->dry_run) {
			preview(r);
			status = r->o->exit_code && nchanges(r) > 0 ? 4 : 0;
			return report(r, status, NULL);
		}
		if (nchanges(r) == 0)
			return report(r, 0, NULL);
		if (r->o->force_reset && !r->o->accept_data_loss) {
			if (!ask(r, "--force-reset drops every managed table and "
			    "all their data; continue?"))
				return report(r, 3, "--force-reset was not "
				    "confirmed");
			confirmed = true;
			r->accept |= SS_ACCEPT(SS_CLASS_DESTRUCTIVE);
		}
		if (count_class(r, SS_CLASS_DESTRUCTIVE) > 0 &&
		    !(r->accept & SS_ACCEPT(SS_CLASS_DESTRUCTIVE)) &&
		    count_class(r, SS_CLASS_UNEXECUTABLE) == 0 &&
		    count_class(r, SS_CLASS_AMBIGUOUS) == 0 && !r->o->partial) {
			struct ss_buf b = SS_BUF_INIT;
			size_t j;

			hold(r);
			for (i = 0; i < r->nplans; i++)
				for (j = 0; j < r->plans[i].n; j++)
					text_change(r, &b, r->plans[i].v[j], false);
			fputs(b.s, stdout);
			ss_buf_release(&b);
			if (ask(r, "apply the changes marked ! and lose that "
			    "data?")) {
				confirmed = true;
				r->accept |= SS_ACCEPT(SS_CLASS_DESTRUCTIVE);
			}
		}
		/* Keep what was approved, and the schema it borrows from,
		 * to compare with the plan made in the transaction. */
		for (i = 0; i < r->nplans; i++) {
			approved[i] = r->plans[i];
			ss_plan_init(&r->plans[i]);
		}
		ss_schema_release(&r->approved_current);
		r->approved_current = r->current;
		ss_schema_init(&r->current);
	} else if (r->o->force_reset && !r->o->accept_data_loss) {
		return report(r, 3, "--force-reset needs --accept-data-loss "
		    "when there is no terminal to ask");
	}

	if ((rc = r->dl->begin(r->conn, &r->err)) < 0)
		goto failed;
	if ((rc = plan(r)) < 0)
		goto failed;
	if (r->o->expect_digest != NULL) {
		/* A confirmation from watch: the question was asked about
		 * a plan; only that plan may be applied. */
		digest(r, &shown, false);
		if (strcmp(shown.s, r->o->expect_digest) != 0) {
			r->dl->rollback(r->conn);
			if (r->o->result != NULL)
				r->o->result->stale = true;
			status = 3;
			goto out;
		}
		for (i = 0; i < r->o->nconfirm_renames; i++) {
			struct ss_rename *rn = SS_ARENA_PUSH(&r->arena, r->yes,
			    r->nyes, r->ayes);
			if ((rc = ss_rename_parse(r->o->confirm_renames[i], rn,
			    &r->arena, &r->err)) < 0)
				goto failed;
		}
		if (r->o->nconfirm_renames > 0 && (rc = plan(r)) < 0)
			goto failed;
		if (r->o->nconfirm_renames > 0 && !loss_shown(r, shown.s)) {
			/* The answers made data loss the question did not show. */
			r->dl->rollback(r->conn);
			if (r->o->result != NULL)
				r->o->result->stale = true;
			status = 3;
			goto out;
		}
	}
	if (confirmed || asked) {
		for (i = 0; i < r->nplans; i++) {
			if (!same_plans(&approved[i], &r->plans[i])) {
				r->dl->rollback(r->conn);
				fprintf(stderr, "the database changed while you "
				    "answered; planning again\n");
				*again = true;
				goto out;
			}
		}
	}
	held = hold(r);
	if (nchanges(r) == 0) {
		r->dl->rollback(r->conn);
		status = report(r, 0, NULL);
		goto out;
	}
	if (held > 0 && (!r->o->partial || held == nchanges(r))) {
		r->dl->rollback(r->conn);
		preview(r);
		status = report(r, 3, blocked_why(r, &why) ? why.s :
		    "changes are held");
		goto out;
	}
	if ((rc = emit_and_exec(r)) < 0 && rc == -SS_EBLOCKED &&
	    r->o->partial) {
		/* A SQLite rebuild cannot leave a change of its table
		 * behind: the whole run is held (watch). */
		r->dl->rollback(r->conn);
		status = report(r, 3, r->err.msg.s);
		goto out;
	}
	if (rc < 0 || (rc = r->dl->commit(r->conn, &r->err)) < 0) {
		status = fail_applying(r);
		goto out;
	}
	r->applied = true;
	status = report(r, held > 0 ? 3 : 0, held > 0 && blocked_why(r, &why) ?
	    why.s : NULL);
	goto out;
failed:
	status = fail(r);
out:
	for (i = 0; i < 2; i++)
		if (approved[i].arena.head != NULL || approved[i].v != NULL)
			ss_plan_release(&approved[i]);
	ss_buf_release(&why);
	ss_buf_release(&shown);
	return status;
}

void
ss_push_drop(const struct ss_ctx *ctx, struct ss_conn **keep)
{
	const struct ss_dialect *dl;

	if (*keep != NULL && (dl = ss_dialect_for(&ctx->url)) != NULL)
		dl->close(*keep);
	*keep = NULL;
}

void
ss_push_result_init(struct ss_push_result *res)
{
	memset(res, 0, sizeof *res);
	ss_buf_init(&res->digest);
	ss_buf_init(&res->renames);
}

void
ss_push_result_release(struct ss_push_result *res)
{
	ss_buf_release(&res->digest);
	ss_buf_release(&res->renames);
}

int
ss_push_run(struct ss_ctx *ctx, const struct ss_push_opts *o)
{
	struct ss_diags d = SS_DIAGS_INIT;
	struct run r;
	bool again;
	size_t i;
	int status = 0, attempt;

	memset(&r, 0, sizeof r);
	clock_gettime(CLOCK_MONOTONIC, &r.t0);
	if (o->since != NULL)
		r.t0 = *o->since;
	r.ctx = ctx;
	r.o = o;
	ss_err_init(&r.err);
	ss_buf_init(&r.notices);
	ss_arena_init(&r.arena);
	ss_schema_init(&r.desired);
	ss_schema_init(&r.current);
	ss_schema_init(&r.empty);
	ss_schema_init(&r.approved_current);
	ss_steps_init(&r.steps);

	if (o->desired != NULL) {
		r.desired = *o->desired;
		ss_schema_init(o->desired);
	} else if (ss_load_paths(&r.desired, ctx->schema_paths,
	    ctx->nschema_paths, &d) < 0) {
		ss_print_diags(ctx, &d);
		status = 2;
		goto out;
	}
	for (i = 0; i < ctx->args.nrenames; i++) {
		struct ss_rename *rn = SS_ARENA_PUSH(&r.arena, r.yes, r.nyes,
		    r.ayes);
		if (ss_rename_parse(ctx->args.renames[i], rn, &r.arena,
		    &r.err) < 0) {
			ss_print_error(ctx, &r.err);
			status = 2;
			goto out;
		}
	}
	if ((r.dl = ss_dialect_for(&ctx->url)) == NULL) {
		ss_err_set(&r.err, SS_EINTERNAL, "%s: this build cannot talk to "
		    "this kind of database yet; nothing was changed",
		    ctx->url.display);
		ss_print_error(ctx, &r.err);
		status = 1;
		goto out;
	}
	if (r.dl->check != NULL && r.dl->check(&r.desired, &d) > 0) {
		ss_diags_sort(&d);
		ss_print_diags(ctx, &d);
		status = 2;
		goto out;
	}
	if (o->keep != NULL && *o->keep != NULL) {
		r.conn = *o->keep;
		*o->keep = NULL;
		if (r.dl->reusable == NULL || !r.dl->reusable(r.conn)) {
			r.dl->close(r.conn);
			r.conn = NULL;
		}
	}
	if (r.conn == NULL &&
	    r.dl->connect(&ctx->url, &ctx->config, &r.conn, &r.err) < 0) {
		if (o->result != NULL)
			o->result->connect_failed = true;
		status = fail(&r);
		goto out;
	}
	for (attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
		status = run_once(&r, &again);
		if (!again)
			break;
	}
	if (again)	/* every answer was for a plan that had changed */
		status = report(&r, 3, "the database changed each time while "
		    "you answered");
	/* The server went away mid-run: as unreachable as a failed connect
	 * (watch retries on its timer, not only on the next save). */
	if (status == 1 && o->result != NULL && r.dl->lost != NULL &&
	    r.dl->lost(r.conn))
		o->result->connect_failed = true;
out:
	reset_plans(&r);
	/* Kept unless it broke; the next run asks reusable() first. */
	if (r.conn != NULL && o->keep != NULL && r.dl->reusable != NULL &&
	    !(r.dl->lost != NULL && r.dl->lost(r.conn)))
		*o->keep = r.conn;
	else if (r.conn != NULL)
		r.dl->close(r.conn);
	ss_steps_release(&r.steps);
	ss_schema_release(&r.desired);
	ss_schema_release(&r.current);
	ss_schema_release(&r.empty);
	ss_schema_release(&r.approved_current);
	ss_arena_release(&r.arena);
	ss_diags_release(&d);
	ss_err_release(&r.err);
	ss_buf_release(&r.notices);
	return status;
}
