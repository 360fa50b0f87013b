/*
 * The prompter (include/ss/prompt.h): the questions, and the dialogue
 * of a push on a terminal — the plan first, a choice for each rename
 * candidate (planning again between answers, so that an answer settles
 * the candidates that compete with it), then one confirmation of the
 * data loss shown.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ss/mem.h"
#include "ss/present.h"
#include "ss/prompt.h"
#include "ss/util.h"

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Reads one answer line; its first letter, lower-cased, or 0. */
static int
answer(double *waited_ms)
{
	char line[64];
	double t0 = now_ms();
	int c = 0;

	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL)
		printf("\n");
	else
		c = tolower((unsigned char)line[0]);
	if (waited_ms != NULL)
		*waited_ms += now_ms() - t0;
	return c;
}

bool
ss_prompt_yes(const char *question, double *waited_ms)
{
	printf("%s [y/N] ", question);
	return answer(waited_ms) == 'y';
}

int
ss_prompt_choice(const char *question, const char *keys, int def,
    double *waited_ms)
{
	const char *k;
	int c;

	printf("%s [", question);
	for (k = keys; *k != '\0'; k++)
		printf("%s%c", k == keys ? "" : "/",
		    *k == def ? toupper((unsigned char)*k) : *k);
	printf("] ");
	c = answer(waited_ms);
	return c != 0 && c != '\n' && strchr(keys, c) != NULL ? c : def;
}

/* The dialogue of a push on a terminal. */

/* A rename candidate answered "create": what its drop was shown to lose. */
struct chosen_drop {
	enum ss_op op;		/* SS_OP_DROP_TABLE or SS_OP_DROP_COLUMN */
	char *table;		/* the table's name in the database */
	char *column;		/* the column dropped, or NULL */
	long count;		/* as shown; -1 unknown */
};

struct answers {
	struct ss_buf asked;	/* the candidates asked, as OLD=NEW lines */
	struct chosen_drop *v;
	size_t n;
	size_t skipped;
};

static void
answers_release(struct answers *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		free(a->v[i].table);
		free(a->v[i].column);
	}
	free(a->v);
	ss_buf_release(&a->asked);
}

/* The first candidate of the plan not asked about yet, or NULL. */
static const struct ss_change *
next_candidate(const struct ss_engine *e, struct answers *a,
    struct ss_buf *arg)
{
	size_t i, j;

	for (i = 0; i < e->nplans; i++)
		for (j = 0; j < e->plans[i].n; j++) {
			const struct ss_change *c = e->plans[i].v[j];
			if (!c->candidate)
				continue;
			ss_buf_reset(arg);
			ss_change_rename_arg(arg, c);
			ss_buf_addc(arg, '\n');
			if (!ss_line_in(a->asked.s, arg->s))
				return c;
		}
	return NULL;
}

/*
 * Offers each rename candidate's choice: r renames, c creates the new
 * one and drops the old (that loss, named in the choice, is accepted),
 * s leaves it unanswered. An answer settles the candidates that compete
 * with it, so the plan is made again after each.
 */
static int
ask_renames(struct ss_session *s, const struct ss_engine_opts *o,
    struct answers *a)
{
	struct ss_buf q = SS_BUF_INIT, arg = SS_BUF_INIT;
	const struct ss_change *c;
	struct ss_rename rn;
	struct chosen_drop *d;
	int k, rc = 0;

	while ((c = next_candidate(&s->e, a, &arg)) != NULL) {
		ss_buf_adds(&a->asked, arg.s);
		ss_buf_reset(&q);
		ss_change_choice(&q, c);
		k = ss_prompt_choice(q.s, "rcs", 's', &s->waited_ms);
		if (k == 's') {
			a->skipped++;
			continue;
		}
		ss_rename_of_change(c, &rn);
		if (k == 'c') {
			a->v = ss_xrealloc(a->v, (a->n + 1) * sizeof *a->v);
			d = &a->v[a->n++];
			d->op = c->op == SS_OP_RENAME_TABLE ? SS_OP_DROP_TABLE :
			    SS_OP_DROP_COLUMN;
			d->table = ss_xstrdup(c->op == SS_OP_RENAME_TABLE ?
			    c->old_name : c->cur_table);
			d->column = c->op == SS_OP_RENAME_TABLE ? NULL :
			    ss_xstrdup(c->old_name);
			d->count = c->count;
		}
		ss_engine_answer(&s->e, &rn, k == 'r');
		if ((rc = ss_engine_plan(&s->e, o)) < 0)
			break;
	}
	ss_buf_release(&q);
	ss_buf_release(&arg);
	return rc;
}

/* Whether y drops what a "create" answer chose to drop, as shown. */
static bool
chosen(const struct answers *a, const struct ss_change *y)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		const struct chosen_drop *d = &a->v[i];
		if (d->op != y->op || strcmp(d->table, y->op ==
		    SS_OP_DROP_TABLE ? y->table : y->cur_table) != 0 ||
		    (d->column != NULL && strcmp(d->column, y->column) != 0))
			continue;
		return d->count < 0 ? y->count < 0 :
		    y->count >= 0 && y->count <= d->count;
	}
	return false;
}

/*
 * The data loss to confirm once the renames are answered: the
 * destructive changes not chosen in a rename's answer. Lines that were
 * not in the plan shown (shown: its digest) are printed now. Returns
 * how many there are.
 */
static size_t
loss_to_confirm(struct ss_session *s, const struct answers *a,
    const char *shown)
{
	struct ss_buf line = SS_BUF_INIT, out = SS_BUF_INIT;
	size_t i, j, n = 0;

	for (i = 0; i < s->e.nplans; i++)
		for (j = 0; j < s->e.plans[i].n; j++) {
			const struct ss_change *y = s->e.plans[i].v[j];
			if (y->class != SS_CLASS_DESTRUCTIVE || chosen(a, y))
				continue;
			n++;
			ss_buf_reset(&line);
			ss_buf_addf(&line, "%s %s ", ss_class_name(y->class),
			    ss_change_sign(y));
			ss_change_describe(&line, y);
			ss_buf_addc(&line, '\n');
			if (!ss_line_in(shown, line.s))
				ss_present_change(&out, s->ctx, &s->e, y, false);
		}
	fputs(out.s, stdout);
	ss_buf_release(&line);
	ss_buf_release(&out);
	return n;
}

int
ss_prompt_plan(struct ss_session *s, struct ss_engine_opts *o, bool *asked)
{
	struct ss_report r;
	struct ss_buf b = SS_BUF_INIT, why = SS_BUF_INIT, shown = SS_BUF_INIT;
	struct answers a;
	bool loss;
	int status = -1;

	*asked = false;
	memset(&a, 0, sizeof a);
	ss_buf_init(&a.asked);
	memset(&r, 0, sizeof r);
	r.sql = s->ctx->args.verbosity > 0;
	if (ss_engine_plan(&s->e, o) < 0)
		goto failed;
	loss = ss_engine_count_class(&s->e, SS_CLASS_DESTRUCTIVE) > 0 &&
	    !(o->accept & SS_ACCEPT(SS_CLASS_DESTRUCTIVE));
	if (ss_engine_count_class(&s->e, SS_CLASS_UNEXECUTABLE) > 0 ||
	    (!loss && !o->force_reset &&
	    ss_engine_count_class(&s->e, SS_CLASS_AMBIGUOUS) == 0))
		goto out;	/* nothing to ask: apply (or refuse) */
	if (o->force_reset && (o->accept & SS_ACCEPT(SS_CLASS_DESTRUCTIVE)))
		goto out;
	ss_engine_preview(&s->e, o);	/* its SQL, and which are rebuilds */
	ss_present_warnings(s->ctx, &s->e);
	ss_present_plan(&b, s->ctx, &s->e, &r);
	fputs(b.s, stdout);
	ss_engine_digest(&s->e, &shown, false);
	*asked = true;
	if (o->force_reset) {
		if (!ss_prompt_yes("--force-reset drops every managed table "
		    "and all their data; continue?", &s->waited_ms)) {
			ss_buf_adds(&why, "--force-reset was not confirmed");
			goto refused;
		}
		o->accept |= SS_ACCEPT(SS_CLASS_DESTRUCTIVE);
		goto approve;
	}
	if (ask_renames(s, o, &a) < 0)
		goto failed;
	if (a.skipped > 0) {
		ss_plural(&why, a.skipped, "rename was", "renames were");
		ss_buf_adds(&why, " not answered");
		goto refused;
	}
	if (ss_engine_count_class(&s->e, SS_CLASS_UNEXECUTABLE) > 0)
		goto out;	/* the answers made it impossible: refused */
	if (loss_to_confirm(s, &a, shown.s) > 0 && !ss_prompt_yes("apply the "
	    "changes marked ! and lose that data?", &s->waited_ms)) {
		ss_buf_adds(&why, "the data loss was not confirmed");
		goto refused;
	}
	if (ss_engine_count_class(&s->e, SS_CLASS_DESTRUCTIVE) > 0)
		o->accept |= SS_ACCEPT(SS_CLASS_DESTRUCTIVE);
approve:
	ss_engine_approve(&s->e);
	goto out;
failed:
	status = ss_session_fail(s, NULL);
	goto out;
refused:
	r.status = 3;
	r.why = why.s;
	r.elapsed_ms = ss_session_elapsed(s);
	ss_buf_reset(&b);
	ss_present_outcome(&b, s->ctx, &s->e, &r);
	fputs(b.s, stdout);
	status = 3;
out:
	fflush(stdout);
	answers_release(&a);
	ss_buf_release(&b);
	ss_buf_release(&why);
	ss_buf_release(&shown);
	return status;
}

