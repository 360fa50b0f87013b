/*
 * Error values and diagnostic lists (see include/ss/err.h).
 */
#include <stdlib.h>
#include <string.h>

#include "ss/err.h"
#include "ss/mem.h"

void
ss_err_init(struct ss_err *err)
{
	err->code = 0;
	err->loc.file = NULL;
	err->loc.line = err->loc.col = 0;
	ss_buf_init(&err->msg);
}

void
ss_err_release(struct ss_err *err)
{
	ss_buf_release(&err->msg);
	ss_err_init(err);
}

static int
vset(struct ss_err *err, int code, const struct ss_loc *loc, const char *fmt,
    va_list ap)
{
	struct ss_buf b = SS_BUF_INIT;

	if (err == NULL)
		return -code;
	err->code = code;
	if (loc != NULL)
		err->loc = *loc;
	else {
		err->loc.file = NULL;
		err->loc.line = err->loc.col = 0;
	}
	/* Formatted aside first: an argument may be err's own message
	 * ("undo store: %s", err->msg.s). */
	ss_buf_vaddf(&b, fmt, ap);
	ss_buf_release(&err->msg);
	err->msg = b;
	return -code;
}

int
ss_err_set(struct ss_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vset(err, code, NULL, fmt, ap);
	va_end(ap);
	return r;
}

int
ss_err_setloc(struct ss_err *err, int code, const struct ss_loc *loc,
    const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vset(err, code, loc, fmt, ap);
	va_end(ap);
	return r;
}

void
ss_err_prefix(struct ss_err *err, const char *fmt, ...)
{
	struct ss_buf b = SS_BUF_INIT;
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	ss_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	ss_buf_add(&b, err->msg.s, err->msg.len);
	ss_buf_release(&err->msg);
	err->msg = b;
}

const char *
ss_strerror(int code)
{
	if (code < 0)
		code = -code;
	switch (code) {
	case SS_OK:
		return "success";
#define X(name, status, desc) case SS_E##name: return desc;
	SS_ERRNO_MAP(X)
#undef X
	}
	return "unknown error";
}

int
ss_err_exit_status(int code)
{
	if (code < 0)
		code = -code;
	switch (code) {
	case SS_OK:
		return 0;
#define X(name, status, desc) case SS_E##name: return status;
	SS_ERRNO_MAP(X)
#undef X
	}
	return 1;
}

void
ss_diags_release(struct ss_diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->v[i].msg);
	free(d->v);
	d->v = NULL;
	d->n = d->alloc = d->errors = 0;
}

void
ss_diag_vadd(struct ss_diags *d, enum ss_severity sev,
    const struct ss_loc *loc, const char *fmt, va_list ap)
{
	struct ss_buf b = SS_BUF_INIT;
	struct ss_diag *dg;

	ss_buf_vaddf(&b, fmt, ap);
	SS_ALLOC_GROW(d->v, d->n, d->alloc);
	dg = &d->v[d->n++];
	dg->sev = sev;
	if (loc != NULL)
		dg->loc = *loc;
	else {
		dg->loc.file = NULL;
		dg->loc.line = dg->loc.col = 0;
	}
	dg->msg = ss_buf_detach(&b);
	if (sev == SS_SEV_ERROR)
		d->errors++;
}

void
ss_diag_add(struct ss_diags *d, enum ss_severity sev,
    const struct ss_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ss_diag_vadd(d, sev, loc, fmt, ap);
	va_end(ap);
}

static int
loc_cmp(const struct ss_loc *a, const struct ss_loc *b)
{
	int c;

	if (a->file != b->file) {
		if (a->file == NULL)
			return -1;
		if (b->file == NULL)
			return 1;
		if ((c = strcmp(a->file, b->file)) != 0)
			return c;
	}
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return 0;
}

void
ss_diags_sort(struct ss_diags *d)
{
	size_t i, j;
	struct ss_diag t;

	/* Insertion sort: stable, and diagnostic lists are short. */
	for (i = 1; i < d->n; i++) {
		t = d->v[i];
		for (j = i; j > 0 && loc_cmp(&d->v[j - 1].loc, &t.loc) > 0; j--)
			d->v[j] = d->v[j - 1];
		d->v[j] = t;
	}
}

void
ss_diag_format(struct ss_buf *buf, const struct ss_diag *dg, int color)
{
	static const char *names[] = { "error", "warning", "note" };
	static const char *colors[] = { "\033[1;31m", "\033[1;35m", "\033[1;36m" };

	if (dg->loc.file != NULL) {
		if (color)
			ss_buf_adds(buf, "\033[1m");
		ss_buf_adds(buf, dg->loc.file);
		if (dg->loc.line > 0) {
			ss_buf_addf(buf, ":%d", dg->loc.line);
			if (dg->loc.col > 0)
				ss_buf_addf(buf, ":%d", dg->loc.col);
		}
		ss_buf_adds(buf, color ? ":\033[0m " : ": ");
	}
	if (color)
		ss_buf_addf(buf, "%s%s:\033[0m ", colors[dg->sev], names[dg->sev]);
	else
		ss_buf_addf(buf, "%s: ", names[dg->sev]);
	ss_buf_adds(buf, dg->msg);
}
