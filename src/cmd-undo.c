/*
 * schemasync undo: restore what the last data-losing run removed
 * (undo.h). `undo` restores the newest undo point, `undo ID` a given
 * one, `undo --list` shows them, `undo --purge [--keep N]` removes old
 * ones; an older ID restores the newer points first. A conflict (the
 * data moved since) restores nothing: exit 3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss/cli.h"
#include "ss/migcmd.h"
#include "ss/present.h"
#include "ss/undo.h"

static bool list, purge;
static const char *keep_opt;

static bool
json(const struct ss_ctx *ctx)
{
	return ctx->args.format == SS_FORMAT_JSON;
}

/* A whole number from 0 up, or -1. */
static long
count_arg(const char *s)
{
	char *end;
	long n;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	n = strtol(s, &end, 10);
	return *end == '\0' ? n : -1;
}

static int
do_list(struct ss_ctx *ctx, struct ss_engine *e)
{
	struct ss_undo_points pts;
	struct ss_buf b = SS_BUF_INIT;
	size_t i;
	int status = 0;

	if (ss_undo_list(e, &pts) < 0) {
		ss_print_error(ctx, &e->err);
		return ss_err_exit_status(e->err.code);
	}
	if (json(ctx))
		ss_buf_adds(&b, "{\"points\":[");
	else if (pts.n == 0)
		ss_buf_adds(&b, "no undo points\n");
	else
		ss_buf_addf(&b, "%-4s  %-19s  %-7s  %8s  %10s  %s\n", "id",
		    "when (UTC)", "command", "rows", "bytes", "what");
	for (i = 0; i < pts.n; i++) {
		const struct ss_undo_point *p = &pts.v[i];
		if (json(ctx)) {
			ss_buf_addf(&b, "%s{\"id\":%ld,\"created_at\":",
			    i ? "," : "", p->id);
			ss_json_string(&b, p->created_at);
			ss_buf_adds(&b, ",\"command\":");
			ss_json_string(&b, p->command);
			ss_buf_adds(&b, ",\"what\":");
			ss_json_string(&b, p->summary);
			ss_buf_addf(&b, ",\"rows\":%ld,\"bytes\":%ld}", p->rows,
			    p->bytes);
		} else
			ss_buf_addf(&b, "%-4ld  %-19s  %-7s  %8ld  %10ld  %s\n",
			    p->id, p->created_at, p->command, p->rows, p->bytes,
			    p->summary);
	}
	if (json(ctx))
		ss_buf_adds(&b, "],\"exit\":0}\n");
	fputs(b.s, stdout);
	ss_buf_release(&b);
	ss_undo_points_release(&pts);
	return status;
}

static int
do_purge(struct ss_ctx *ctx, struct ss_engine *e, long keep)
{
	size_t removed;

	if (ss_undo_purge(e, keep, &removed) < 0) {
		ss_print_error(ctx, &e->err);
		return ss_err_exit_status(e->err.code);
	}
	if (json(ctx))
		printf("{\"purged\":%zu,\"kept\":%ld,\"exit\":0}\n", removed,
		    keep);
	else if (ctx->args.verbosity >= 0)
		printf("removed %zu undo point%s; kept at most %ld\n", removed,
		    removed == 1 ? "" : "s", keep);
	return 0;
}

/* "3, 2 and 1" */
static void
ids_text(struct ss_buf *b, const struct ss_undo_restored *r, bool json)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		ss_buf_addf(b, "%s%ld", i == 0 ? "" : json ? "," :
		    i + 1 == r->n ? " and " : ", ", r->v[i]);
}

static int
do_restore(struct ss_ctx *ctx, struct ss_engine *e, long id)
{
	struct ss_buf conflicts = SS_BUF_INIT, b = SS_BUF_INIT;
	struct ss_undo_restored r;
	const char *p, *nl;
	long last;
	int rc, status;

	rc = ss_undo_restore(e, id, &r, &conflicts);
	last = r.n > 0 ? r.v[r.n - 1] : id;
	if (rc == -SS_EBLOCKED) {
		if (json(ctx)) {
			ss_buf_addf(&b, "{\"undo_point\":%ld,\"restored\":false,"
			    "\"conflicts\":[", last);
			for (p = conflicts.s; *p; p = nl + 1) {
				nl = strchr(p, '\n');
				struct ss_buf one = SS_BUF_INIT;
				ss_buf_add(&one, p, (size_t)(nl - p));
				if (p != conflicts.s)
					ss_buf_addc(&b, ',');
				ss_json_string(&b, one.s);
				ss_buf_release(&one);
			}
			ss_buf_adds(&b, "],\"exit\":3}\n");
			fputs(b.s, stdout);
		} else {
			for (p = conflicts.s; *p; p = nl + 1) {
				nl = strchr(p, '\n');
				fprintf(stderr, "schemasync: conflict: %.*s\n",
				    (int)(nl - p), p);
			}
			if (r.n > 1)
				ss_buf_addf(&b, " (undo %ld restores the newer "
				    "points first)", id);
			fprintf(stderr, "schemasync: undo point %ld not restored%s: "
			    "the database changed since; nothing was changed\n",
			    last, b.s);
		}
		status = 3;
	} else if (rc < 0) {
		ss_print_error(ctx, &e->err);
		status = ss_err_exit_status(e->err.code);
	} else {
		if (json(ctx)) {
			ss_buf_addf(&b, "{\"undo_point\":%ld,\"restored\":true,"
			    "\"points\":[", last);
			ids_text(&b, &r, true);
			ss_buf_adds(&b, "],\"exit\":0}\n");
			fputs(b.s, stdout);
		} else if (ctx->args.verbosity >= 0) {
			ids_text(&b, &r, false);
			printf("%s: restored undo point%s %s: the schema and the "
			    "values %s kept are back\n", ctx->url.display,
			    r.n > 1 ? "s" : "", b.s, r.n > 1 ? "they" : "it");
		}
		status = 0;
	}
	free(r.v);
	ss_buf_release(&conflicts);
	ss_buf_release(&b);
	return status;
}

static int
undo_exec(struct ss_ctx *ctx)
{
	struct ss_engine e;
	struct ss_conn *conn = NULL;
	long id = 0, keep = 0;
	int status;

	if (ctx->args.npositional > 0 &&
	    (id = count_arg(ctx->args.positional[0])) <= 0) {
		fprintf(stderr, "schemasync: error: undo: not an undo point "
		    "id: '%s' (undo --list shows them)\n",
		    ctx->args.positional[0]);
		return 2;
	}
	if (keep_opt != NULL && ((keep = count_arg(keep_opt)) < 0 || !purge)) {
		fprintf(stderr, "schemasync: error: undo: --keep takes a "
		    "number and goes with --purge\n");
		return 2;
	}
	if ((list && purge) || ((list || purge) && id > 0)) {
		fprintf(stderr, "schemasync: error: undo: give one of ID, "
		    "--list and --purge\n");
		return 2;
	}
	if ((status = ss_mig_connect(ctx, &e, &conn)) != 0)
		goto out;
	if (list)
		status = do_list(ctx, &e);
	else if (purge)
		status = do_purge(ctx, &e, keep);
	else
		status = do_restore(ctx, &e, id);
out:
	if (conn != NULL)
		e.dl->close(conn);
	ss_engine_release(&e);
	return status;
}

static const struct ss_opt undo_opts[] = {
	SS_OPT_FLAG_("list", &list, "list the undo points: when, which command, what they hold, rows and bytes"),
	SS_OPT_FLAG_("purge", &purge, "remove undo points (all but the newest --keep N)"),
	SS_OPT_STRING_("keep", "N", &keep_opt, "with --purge: keep the newest N points"),
	SS_OPT_END_
};

const struct ss_cmd ss_cmd_undo = {
	.name = "undo",
	.summary = "restore what the last data-losing run removed",
	.usage = "undo [ID] | undo --list | undo --purge [--keep N]",
	.description = "push, watch and push --force-reset keep what an applied destructive\n"
	    "change removes (a dropped table's rows, a dropped column's values, the\n"
	    "old values of a lossy type change or a removed enum value) in an undo\n"
	    "point, in the same transaction. undo restores the newest point (or ID)\n"
	    "in one transaction: the schema as it was before that run and the kept\n"
	    "values, then removes the point; an older ID restores the newer points\n"
	    "first. If the database changed since in a way that conflicts (the name\n"
	    "taken, the primary key changed, rows deleted, a value written since\n"
	    "that restoring would overwrite, data restoring would lose), it names\n"
	    "each conflict and changes nothing (exit 3). Points are kept in the\n"
	    "database, hidden from pull, diff and push; the config's\n"
	    "undo: { keep: N } says how many (default 10).",
	.flags = SS_CMD_NEEDS_DB | SS_CMD_MAX_ARGS_1,
	.opts = undo_opts,
	.exec = undo_exec,
};
