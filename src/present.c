/*
 * Presenters (include/ss/present.h): text and JSON from an engine.
 */
#include <stdio.h>
#include <string.h>

#include "ss/present.h"
#include "ss/undo.h"
#include "ss/util.h"

void
ss_plural(struct ss_buf *b, size_t n, const char *one, const char *many)
{
	ss_buf_addf(b, "%zu %s", n, n == 1 ? one : many);
}

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
	case SS_CLASS_UNEXECUTABLE:
		return "\033[1;31m";
	default:
		return "\033[1;35m";
	}
}

/* How to answer a candidate, or to keep what a literal drop loses. */
static void
hint(struct ss_buf *b, const struct ss_change *c)
{
	if (c->candidate)
		ss_change_rename_hint(b, c);
	else if (c->op == SS_OP_DROP_TABLE)
		ss_buf_addf(b, "not a rename (--accept-data-loss reads the files "
		    "literally); to keep the rows, add 'renamed_from: %s' to "
		    "table %s", c->table, c->literal_to);
	else
		ss_buf_addf(b, "not a rename (--accept-data-loss reads the files "
		    "literally); to keep the values, add 'renamed_from: %s' to "
		    "column %s.%s", c->column, c->table, c->literal_to);
}

void
ss_present_change(struct ss_buf *b, const struct ss_ctx *ctx,
    const struct ss_engine *e, const struct ss_change *c, bool sql)
{
	const struct ss_step *st;
	bool color = ctx->color_out;
	size_t i;

	st = ss_engine_step_of(e, c);
	if (st != NULL && st->rebuild && st->changes[0] == c) {
		ss_buf_addf(b, "  %s~ rebuild table %s: ", color ? "\033[33m" : "",
		    c->table);
		ss_plural(b, st->nchanges, "change", "changes");
		ss_buf_addf(b, " in one rebuild (a new table, its rows copied "
		    "in; no ON DELETE action fires)%s\n", color ? "\033[0m" :
		    "");
		/* What the new table will lack is said here, -v or not:
		 * the rebuild is when it goes. */
		for (i = 0; i < e->current.nunmodelled; i++) {
			const struct ss_unmodelled *u =
			    &e->current.unmodelled[i];
			if (u->table == NULL || !(e->dl->names_fold_case ?
			    ss_streq_icase(u->table, c->table) :
			    strcmp(u->table, c->table) == 0))
				continue;
			ss_buf_adds(b, "      warning: ");
			ss_unmodelled_describe(b, u);
			ss_buf_addc(b, '\n');
		}
	}
	ss_buf_addf(b, "  %s%s ", color ? color_of(c) : "", ss_change_sign(c));
	ss_change_describe(b, c);
	if (e->keep != NULL)
		ss_undo_describe(b, c, &e->current);
	if (c->held && c->class == SS_CLASS_SAFE && c->held_by != NULL)
		ss_buf_adds(b, " (held: waits for a held change)");
	if (color)
		ss_buf_adds(b, "\033[0m");
	ss_buf_addc(b, '\n');
	if (c->candidate || c->literal_to != NULL) {
		ss_buf_adds(b, c->candidate ? "      answer it: " : "      ");
		hint(b, c);
		ss_buf_addc(b, '\n');
	}
	if (c->class == SS_CLASS_UNEXECUTABLE) {
		ss_buf_adds(b, "      fix: ");
		ss_change_fix(b, c);
		ss_buf_addc(b, '\n');
	}
	/* A step's SQL is printed under the last change it carries out. */
	if (!sql || st == NULL || st->changes[st->nchanges - 1] != c)
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
json_change(struct ss_buf *b, const struct ss_engine *e,
    const struct ss_change *c)
{
	const struct ss_step *st = ss_engine_step_of(e, c);
	const struct ss_loc *l;
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
	ss_buf_addc(b, ']');
	/* Last, so that the keys before keep their places. */
	if (st != NULL && st->rebuild)
		ss_buf_adds(b, ",\"rebuild\":true");
	if (e->keep != NULL && ss_undo_keeps(c, &e->current))
		ss_buf_adds(b, ",\"undo\":true");
	if (c->candidate || c->literal_to != NULL ||
	    c->class == SS_CLASS_UNEXECUTABLE) {
		ss_buf_reset(&d);
		if (c->class == SS_CLASS_UNEXECUTABLE)
			ss_change_fix(&d, c);
		else
			hint(&d, c);
		ss_buf_adds(b, ",\"hint\":");
		ss_json_string(b, d.s);
	}
	if ((l = ss_change_loc(c)) != NULL) {
		ss_buf_adds(b, ",\"file\":");
		ss_json_string(b, l->file);
		ss_buf_addf(b, ",\"line\":%d,\"column\":%d", l->line, l->col);
	}
	ss_buf_addc(b, '}');
	ss_buf_release(&d);
}

void
ss_present_json_changes(struct ss_buf *b, const struct ss_engine *e)
{
	size_t i, j, n = 0;

	ss_buf_addc(b, '[');
	for (i = 0; i < e->nplans; i++)
		for (j = 0; j < e->plans[i].n; j++, n++) {
			if (n)
				ss_buf_addc(b, ',');
			json_change(b, e, e->plans[i].v[j]);
		}
	ss_buf_addc(b, ']');
}

void
ss_present_json(struct ss_buf *b, const struct ss_ctx *ctx,
    const struct ss_engine *e, const struct ss_report *r)
{
	size_t n = ss_engine_changes(e);

	if (r->failed) {
		ss_buf_adds(b, "{\"event\":\"error\",\"error\":");
		ss_json_string(b, r->error);
		ss_buf_addc(b, ',');
	} else if (r->json_event)
		ss_buf_addf(b, "{\"event\":\"%s\",", r->status == 3 ?
		    "held" : n == 0 ? "plan" : "applied");
	else
		ss_buf_addc(b, '{');
	ss_buf_adds(b, "\"database\":");
	ss_json_string(b, ctx->url.display);
	ss_buf_adds(b, ",\"changes\":");
	ss_present_json_changes(b, e);
	/* What only some reports have goes between the changes and the
	 * keys every report ends with (applied, blocked, elapsed_ms, exit). */
	if (r->status == 3 && r->why != NULL) {
		ss_buf_adds(b, ",\"reason\":");
		ss_json_string(b, r->why);
	}
	if (e->warnings.n > 0) {
		ss_buf_adds(b, ",\"warnings\":");
		ss_json_diags(b, &e->warnings);
	}
	if (e->applied && e->undo_point > 0)
		ss_buf_addf(b, ",\"undo_point\":%ld", e->undo_point);
	ss_buf_addf(b, ",\"applied\":%s,\"blocked\":%zu",
	    e->applied ? "true" : "false",
	    r->status == 3 ? ss_engine_held(e) : 0);
	if (r->notices != NULL && *r->notices != '\0')
		ss_buf_addf(b, ",\"notices\":[%s]", r->notices);
	ss_buf_addf(b, ",\"elapsed_ms\":%.1f,\"exit\":%d}\n", r->elapsed_ms,
	    r->status);
}

void
ss_present_plan(struct ss_buf *b, const struct ss_ctx *ctx,
    const struct ss_engine *e, const struct ss_report *r)
{
	size_t i, j;

	if (!r->no_header) {
		ss_buf_addf(b, "%s: ", ctx->url.display);
		ss_plural(b, e->desired.nfiles, "file", "files");
		ss_buf_adds(b, ", ");
		ss_plural(b, e->desired.ntables, "table", "tables");
		ss_buf_addc(b, '\n');
	}
	if (ctx->args.verbosity > 0 && e->current.nothers > 0) {
		ss_buf_adds(b, "left alone: ");
		ss_schema_others_summary(b, &e->current);
		ss_buf_addc(b, '\n');
		for (i = 0; i < e->current.nothers; i++)
			ss_buf_addf(b, "  %s '%s'\n", e->current.others[i].kind,
			    e->current.others[i].name);
	}
	if (ctx->args.verbosity > 0) {
		for (i = 0; i < e->current.nunmodelled; i++) {
			ss_buf_adds(b, "warning: ");
			ss_unmodelled_describe(b, &e->current.unmodelled[i]);
			ss_buf_addc(b, '\n');
		}
	}
	if (ctx->args.verbosity > 0 && e->dl->queries != NULL &&
	    e->conn != NULL)
		ss_buf_addf(b, "introspection: %d queries\n",
		    e->dl->queries(e->conn));
	for (i = 0; i < e->nplans; i++)
		for (j = 0; j < e->plans[i].n; j++)
			ss_present_change(b, ctx, e, e->plans[i].v[j], r->sql);
}

void
ss_present_outcome(struct ss_buf *b, const struct ss_ctx *ctx,
    const struct ss_engine *e, const struct ss_report *r)
{
	size_t n = ss_engine_changes(e), held = ss_engine_held(e);
	bool color = ctx->color_out;
	const char *off = color ? "\033[0m" : "";

	/* Coloured as the plan: red what is held back, green what ran. */
	if (r->failed)
		ss_buf_addf(b, "%sfailed: nothing was applied (%.0f ms)%s\n",
		    color ? "\033[1;31m" : "", r->elapsed_ms, off);
	else if (r->status == 3 && r->why != NULL && !e->applied)
		ss_buf_addf(b, "%sblocked: %s; nothing was applied (%.0f ms)%s\n",
		    color ? "\033[1;31m" : "", r->why, r->elapsed_ms, off);
	else if (n == 0)
		ss_buf_addf(b, "in sync: nothing to do (%.0f ms)\n",
		    r->elapsed_ms);
	else if (r->dry_run) {
		ss_buf_adds(b, "dry run: ");
		ss_plural(b, n, "change", "changes");
		ss_buf_addf(b, ", nothing applied (%.0f ms)\n", r->elapsed_ms);
	} else if (e->applied) {
		ss_buf_addf(b, "%sapplied ", color ? "\033[32m" : "");
		ss_plural(b, n - held, "change", "changes");
		if (held > 0) {
			ss_buf_adds(b, ", held ");
			ss_plural(b, held, "change", "changes");
		}
		ss_buf_addf(b, " (%.0f ms)", r->elapsed_ms);
		if (e->undo_point > 0)
			ss_buf_addf(b, "; undo point %ld keeps what it removed "
			    "(schemasync undo)", e->undo_point);
		ss_buf_addf(b, "%s\n", off);
		/* Partial mode (watch): the safe part ran, this did not. */
		if (held > 0 && r->why != NULL)
			ss_buf_addf(b, "%sheld: %s%s\n", color ? "\033[1;31m" :
			    "", r->why, off);
	}
}

void
ss_present_warnings(const struct ss_ctx *ctx, const struct ss_engine *e)
{
	struct ss_buf b = SS_BUF_INIT;
	size_t i;

	if (ctx->args.format == SS_FORMAT_JSON)
		return;		/* in the run's object */
	for (i = 0; i < e->warnings.n; i++) {
		ss_diag_format(&b, &e->warnings.v[i], ctx->color_err);
		ss_buf_addc(&b, '\n');
	}
	fputs(b.s, stderr);
	ss_buf_release(&b);
}

void
ss_present_held(const struct ss_ctx *ctx, const struct ss_engine *e)
{
	struct ss_buf b = SS_BUF_INIT, m = SS_BUF_INIT;
	struct ss_diag dg;
	size_t i, j;

	if (ctx->args.format == SS_FORMAT_JSON)
		return;		/* each change has its file, line, column */
	for (i = 0; i < e->nplans; i++)
		for (j = 0; j < e->plans[i].n; j++) {
			const struct ss_change *c = e->plans[i].v[j];
			const struct ss_loc *l = ss_change_loc(c);
			if (!c->held || c->class == SS_CLASS_SAFE || l == NULL)
				continue;
			ss_buf_reset(&m);
			ss_change_describe(&m, c);
			ss_buf_adds(&m, c->class == SS_CLASS_UNEXECUTABLE ?
			    ": cannot run on the data there" :
			    c->class == SS_CLASS_AMBIGUOUS ?
			    ": a rename or a drop and an add? held until answered" :
			    ": would lose data; held");
			dg.sev = c->class == SS_CLASS_UNEXECUTABLE ?
			    SS_SEV_ERROR : SS_SEV_WARNING;
			dg.loc = *l;
			dg.msg = m.s;
			ss_diag_format(&b, &dg, ctx->color_err);
			ss_buf_addc(&b, '\n');
		}
	fputs(b.s, stderr);
	ss_buf_release(&b);
	ss_buf_release(&m);
}

int
ss_present(const struct ss_ctx *ctx, const struct ss_engine *e,
    const struct ss_report *r)
{
	struct ss_buf b = SS_BUF_INIT;

	ss_present_warnings(ctx, e);
	if (r->status == 3)
		ss_present_held(ctx, e);
	if (ctx->args.format == SS_FORMAT_JSON)
		ss_present_json(&b, ctx, e, r);
	else if (ctx->args.verbosity >= 0 || (r->status != 0 &&
	    r->status != 4)) {	/* diff -q --exit-code: the status says it */
		if (!r->outcome_only)
			ss_present_plan(&b, ctx, e, r);
		ss_present_outcome(&b, ctx, e, r);
	}
	fputs(b.s, stdout);
	fflush(stdout);
	ss_buf_release(&b);
	return r->status;
}

bool
ss_present_why(struct ss_buf *b, const struct ss_engine *e, unsigned accept,
    enum ss_advice where)
{
	size_t amb = ss_engine_count_class(e, SS_CLASS_AMBIGUOUS);
	size_t des = ss_engine_count_class(e, SS_CLASS_DESTRUCTIVE);
	size_t unx = ss_engine_count_class(e, SS_CLASS_UNEXECUTABLE);

	if (amb > 0) {
		ss_plural(b, amb, "rename is", "renames are");
		ss_buf_adds(b, " not answered (");
		switch (where) {
		case SS_ADVICE_WATCH:
			ss_buf_adds(b, "add renamed_from to the files, or restart "
			    "watch with --rename OLD=NEW or --no-rename OLD=NEW");
			break;
		case SS_ADVICE_TERMINAL:
			ss_buf_adds(b, "add renamed_from to the files, or answer "
			    "the question");
			break;
		default:
			ss_buf_adds(b, "add renamed_from, or pass --rename OLD=NEW "
			    "to rename or --no-rename OLD=NEW to drop and add");
			if (where == SS_ADVICE_SCRIPT)
				ss_buf_adds(b, ", or run on a terminal to choose");
			break;
		}
		ss_buf_addc(b, ')');
	} else if (unx > 0) {
		ss_plural(b, unx, "change", "changes");
		ss_buf_adds(b, " cannot run on the data there");
	} else if (des > 0 && !(accept & SS_ACCEPT(SS_CLASS_DESTRUCTIVE))) {
		ss_plural(b, des, "change", "changes");
		ss_buf_adds(b, " would lose data (");
		switch (where) {
		case SS_ADVICE_WATCH:
			ss_buf_adds(b, "answer y on the terminal, or restart watch "
			    "with --accept-data-loss");
			break;
		case SS_ADVICE_JSON:
			ss_buf_adds(b, "pass --accept-data-loss");
			break;
		case SS_ADVICE_TERMINAL:
			ss_buf_adds(b, "not confirmed");
			break;
		default:
			ss_buf_adds(b, "pass --accept-data-loss, or answer y on a "
			    "terminal");
			break;
		}
		ss_buf_addc(b, ')');
	} else
		return false;
	return true;
}
