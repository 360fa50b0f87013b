/*
 * Sessions (include/ss/session.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss/load.h"
#include "ss/present.h"
#include "ss/session.h"
#include "ss/thread.h"
#include "ss/url.h"

/* Loading while introspecting (session.h). */

struct ss_overlap {
	struct ss_thread thread;
	bool running;		/* started, not joined yet */
	/* The loader thread's until the join. */
	const char *const *paths;
	size_t npaths;
	struct ss_schema schema;
	struct ss_diags d;
	int rc;
	/* After the join. */
	bool settled;
	int status;		/* 0, or the exit status of the files' errors */
	bool sort;		/* the check's errors: sorted before printing */
	bool printed;
};

static void
overlap_load(void *arg)
{
	struct ss_overlap *ov = arg;

	ov->rc = ss_load_paths(&ov->schema, ov->paths, ov->npaths, &ov->d);
}

/* Starts loading the files on another thread; false: it could not. */
static bool
overlap_start(struct ss_session *s)
{
	struct ss_overlap *ov = ss_xcalloc(1, sizeof *ov);

	ov->paths = s->ctx->schema_paths;
	ov->npaths = s->ctx->nschema_paths;
	ss_schema_init(&ov->schema);
	if (ss_thread_start(&ov->thread, overlap_load, ov) < 0) {
		ss_schema_release(&ov->schema);
		free(ov);
		return false;
	}
	ov->running = true;
	s->overlap = ov;
	return true;
}

/*
 * Waits for the files and takes them as e.desired; the dialect's check
 * then. Returns 0, or the exit status of their errors (printed by
 * overlap_first()).
 */
static int
overlap_settle(struct ss_session *s)
{
	struct ss_overlap *ov = s->overlap;
	const struct ss_dialect *dl = s->e.dl;

	if (ov == NULL)
		return 0;
	if (ov->settled)
		return ov->status;
	ov->settled = true;
	s->e.desired_ready = NULL;
	ss_thread_join(&ov->thread);
	ov->running = false;
	ss_schema_release(&s->e.desired);
	s->e.desired = ov->schema;
	ss_schema_init(&ov->schema);
	if (ov->rc < 0)
		ov->status = 2;
	else if (ss_dialect_check(dl, &s->e.desired, &ov->d) > 0) {
		/* What this database cannot do, before any change. */
		ov->sort = true;
		ov->status = 2;
	}
	return ov->status;
}

/*
 * Before an error of the session's own: the files' errors, which come
 * first, as when the files were read before anything else. Returns
 * their exit status (printed, once), or 0.
 */
static int
overlap_first(struct ss_session *s)
{
	struct ss_overlap *ov = s->overlap;
	int status = overlap_settle(s);

	if (status != 0 && !ov->printed) {
		if (ov->sort)
			ss_diags_sort(&ov->d);
		ss_print_diags(s->ctx, &ov->d);
		ov->printed = true;
	}
	return status;
}

/* The engine's desired_ready: the files are wanted now. */
static int
overlap_ready(struct ss_engine *e, void *arg)
{
	if (overlap_settle(arg) != 0)	/* reported by ss_session_fail() */
		return ss_err_set(&e->err, SS_ESCHEMA, "invalid schema files");
	return 0;
}

static void
overlap_release(struct ss_session *s)
{
	struct ss_overlap *ov = s->overlap;

	if (ov == NULL)
		return;
	if (ov->running)
		ss_thread_join(&ov->thread);
	ss_schema_release(&ov->schema);
	ss_diags_release(&ov->d);
	free(ov);
	s->overlap = NULL;
}

int
ss_session_open(struct ss_session *s, struct ss_ctx *ctx,
    struct ss_schema *pre, struct ss_conn **keep,
    const struct timespec *since, const struct ss_answers *answers)
{
	const struct ss_dialect *dl = ss_dialect_for(&ctx->url);
	struct ss_diags d = SS_DIAGS_INIT;
	size_t i;
	int status = 0;

	memset(s, 0, sizeof *s);
	s->ctx = ctx;
	ss_buf_init(&s->notices);
	if (since != NULL)
		s->t0 = *since;
	else
		clock_gettime(CLOCK_MONOTONIC, &s->t0);
	ss_engine_init(&s->e, dl, NULL, &ctx->config);
	if (pre != NULL) {
		s->e.desired = *pre;
		ss_schema_init(pre);
	} else if (dl != NULL && overlap_start(s)) {
		/* Loading while this thread connects (session.h). */
	} else if (ss_load_paths(&s->e.desired, ctx->schema_paths,
	    ctx->nschema_paths, &d) < 0) {
		ss_print_diags(ctx, &d);
		status = 2;
		goto out;
	}
	for (i = 0; answers != NULL && i < answers->yes.n + answers->no.n; i++)
		if (ss_engine_answer_arg(&s->e, i < answers->yes.n ?
		    answers->yes.v[i] : answers->no.v[i - answers->yes.n],
		    i < answers->yes.n) < 0) {
			if ((status = overlap_first(s)) != 0)
				goto out;
			ss_print_error(ctx, &s->e.err);
			status = 2;
			goto out;
		}
	if (dl != NULL && s->overlap == NULL &&
	    ss_dialect_check(dl, &s->e.desired, &d) > 0) {
		/* What this database cannot do, before connecting. */
		ss_diags_sort(&d);
		ss_print_diags(ctx, &d);
		status = 2;
		goto out;
	}
	if (dl == NULL) {
		ss_err_set(&s->e.err, SS_EINTERNAL, "%s: this build cannot "
		    "talk to this kind of database yet; nothing was changed",
		    ctx->url.display);
		ss_print_error(ctx, &s->e.err);
		status = 1;
		goto out;
	}
	if (keep != NULL && *keep != NULL) {
		s->conn = *keep;
		*keep = NULL;
		if (dl->reusable == NULL || !dl->reusable(s->conn)) {
			dl->close(s->conn);
			s->conn = NULL;
		} else
			s->reused = true;
	}
	if (s->conn == NULL &&
	    dl->connect(&ctx->url, &ctx->config, &s->conn, &s->e.err) < 0) {
		s->conn = NULL;
		if ((status = overlap_first(s)) != 0)
			goto out;
		s->connect_failed = true;
		ss_print_error(ctx, &s->e.err);
		status = ss_err_exit_status(s->e.err.code);
		goto out;
	}
	s->e.conn = s->conn;
	if (s->overlap != NULL) {
		s->e.desired_ready = overlap_ready;
		s->e.desired_arg = s;
	}
out:
	ss_diags_release(&d);
	return status;
}

void
ss_session_close(struct ss_session *s, struct ss_conn **keep)
{
	const struct ss_dialect *dl = s->e.dl;

	/* Bad files: a connection made for them goes, as if never made
	 * (loading while introspecting; a new SQLite file is removed). */
	if (s->overlap != NULL && s->overlap->status != 0 && !s->reused)
		keep = NULL;
	/* Kept unless it broke; the next session asks reusable() first. */
	if (s->conn != NULL && keep != NULL && dl->reusable != NULL &&
	    !(dl->lost != NULL && dl->lost(s->conn)))
		*keep = s->conn;
	else if (s->conn != NULL)
		dl->close(s->conn);
	s->conn = NULL;
	overlap_release(s);
	ss_engine_release(&s->e);
	ss_buf_release(&s->notices);
}

double
ss_session_elapsed(const struct ss_session *s)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - s->t0.tv_sec) * 1e3 +
	    (double)(t.tv_nsec - s->t0.tv_nsec) / 1e6 - s->waited_ms;
}

static void
on_notice(void *arg, const char *severity, const char *message)
{
	struct ss_session *s = arg;
	struct ss_buf b = SS_BUF_INIT;

	if (s->ctx->args.format != SS_FORMAT_JSON) {
		fprintf(stderr, "schemasync: %s: the database says: %s\n",
		    strcmp(severity, "warning") == 0 ? "warning" : "note",
		    message);
		return;
	}
	if (s->json_events) {
		ss_buf_adds(&b, "{\"event\":\"notice\",\"severity\":");
		ss_json_string(&b, severity);
		ss_buf_adds(&b, ",\"message\":");
		ss_json_string(&b, message);
		ss_buf_adds(&b, "}\n");
		fputs(b.s, stdout);
		fflush(stdout);
		ss_buf_release(&b);
		return;
	}
	if (s->notices.len > 0)
		ss_buf_addc(&s->notices, ',');
	ss_buf_adds(&s->notices, "{\"severity\":");
	ss_json_string(&s->notices, severity);
	ss_buf_adds(&s->notices, ",\"message\":");
	ss_json_string(&s->notices, message);
	ss_buf_addc(&s->notices, '}');
}

void
ss_session_notices(struct ss_session *s)
{
	if (s->conn != NULL && s->e.dl != NULL && s->e.dl->notices != NULL)
		s->e.dl->notices(s->conn, on_notice, s);
}

int
ss_session_report(struct ss_session *s, struct ss_report *r)
{
	ss_session_notices(s);
	r->notices = s->notices.s;
	return ss_present(s->ctx, &s->e, r);
}

int
ss_session_fail(struct ss_session *s, const struct ss_report *base)
{
	const struct ss_dialect *dl = s->e.dl;
	struct ss_buf b = SS_BUF_INIT;
	struct ss_report r;
	char *msg;
	int status = overlap_first(s);

	if (status != 0)
		return status;	/* bad files: their errors alone */
	status = ss_err_exit_status(s->e.err.code);
	ss_session_notices(s);
	if (s->e.failed_applying && base != NULL) {
		/* The plan that was being applied, then why it failed. */
		msg = ss_url_mask_message(s->e.err.msg.s, s->ctx->have_url ?
		    s->ctx->url.target : NULL);
		r = *base;
		r.status = status;
		r.failed = true;
		r.error = msg;
		r.notices = s->notices.s;
		r.elapsed_ms = ss_session_elapsed(s);
		ss_present(s->ctx, &s->e, &r);
		if (s->ctx->args.format != SS_FORMAT_JSON)
			ss_print_error(s->ctx, &s->e.err);
		free(msg);
	} else if (s->ctx->args.format == SS_FORMAT_JSON &&
	    s->notices.len > 0) {
		/* The error object, with the notices that came before it. */
		msg = ss_url_mask_message(s->e.err.msg.s, s->ctx->have_url ?
		    s->ctx->url.target : NULL);
		ss_buf_adds(&b, "{\"event\":\"error\",\"error\":");
		ss_json_string(&b, msg);
		ss_buf_addf(&b, ",\"notices\":[%s],\"exit\":%d}\n",
		    s->notices.s, status);
		fputs(b.s, stdout);
		fflush(stdout);
		free(msg);
	} else
		ss_print_error(s->ctx, &s->e.err);
	ss_buf_reset(&s->notices);
	ss_buf_release(&b);
	/* The server went away mid-run: as unreachable as a failed connect
	 * (watch retries on its timer, not only on the next save). */
	if (s->conn != NULL && dl->lost != NULL && dl->lost(s->conn))
		s->connect_failed = true;
	return status;
}

void
ss_session_drop(const struct ss_ctx *ctx, struct ss_conn **keep)
{
	const struct ss_dialect *dl;

	if (*keep != NULL && (dl = ss_dialect_for(&ctx->url)) != NULL)
		dl->close(*keep);
	*keep = NULL;
}

/* A dry run (push --dry-run, diff): the plan and its SQL. */
int
ss_session_show_plan(struct ss_session *s, const struct ss_engine_opts *o,
    bool exit_code)
{
	struct ss_report r;

	if (ss_engine_plan(&s->e, o) < 0)
		return ss_session_fail(s, NULL);
	ss_engine_preview(&s->e, o);
	memset(&r, 0, sizeof r);
	r.status = exit_code && ss_engine_changes(&s->e) > 0 ? 4 : 0;
	r.sql = r.dry_run = true;
	r.elapsed_ms = ss_session_elapsed(s);
	return ss_session_report(s, &r);
}

