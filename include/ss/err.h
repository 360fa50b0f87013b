#ifndef SS_ERR_H
#define SS_ERR_H
/*
 * Errors and diagnostics.
 *
 * Functions that can fail return int: 0 on success, a negative SS_E* code
 * on failure, and fill the caller's struct ss_err (the last parameter) with
 * the code, an optional source location and a message. The message is
 * lower case, names what is wrong first and quotes the subject:
 *     unknown type 'jsonbb' (did you mean 'jsonb'?)
 *
 * Validation that should report every problem, not only the first (the
 * schema loader, the config reader) collects them in a struct ss_diags.
 *
 * Each code maps to one exit status (SPEC section 2) through
 * ss_err_exit_status().
 */
#include <stdarg.h>
#include <stdio.h>

#include "ss/buf.h"

/* X(name, exit status, description) */
#define SS_ERRNO_MAP(X) \
	X(USAGE, 2, "usage error") \
	X(SCHEMA, 2, "invalid schema") \
	X(CONFIG, 2, "invalid configuration") \
	X(IO, 1, "i/o error") \
	X(DB, 1, "database error") \
	X(BLOCKED, 3, "blocked") \
	X(DIFFERS, 4, "database differs") \
	X(INTERNAL, 1, "internal error")

enum ss_errno {
	SS_OK = 0,
#define X(name, status, desc) SS_E##name,
	SS_ERRNO_MAP(X)
#undef X
	SS_ERRNO_MAX
};

/* A place in a schema or config file; line and column are 1-based. */
struct ss_loc {
	const char *file;	/* NULL when there is no file */
	int line;		/* 0 when unknown */
	int col;		/* 0 when unknown */
};

struct ss_err {
	int code;		/* enum ss_errno, positive; 0 when none */
	struct ss_loc loc;
	struct ss_buf msg;
};

#define SS_ERR_INIT { 0, { NULL, 0, 0 }, SS_BUF_INIT }

void ss_err_init(struct ss_err *err);
void ss_err_release(struct ss_err *err);
/* Both return -code, so callers can write `return ss_err_set(err, ...)`. */
int ss_err_set(struct ss_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ss_err_setloc(struct ss_err *err, int code, const struct ss_loc *loc,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Prefix the message with context: "connecting to x: " + old message. */
void ss_err_prefix(struct ss_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *ss_strerror(int code);
int ss_err_exit_status(int code);

enum ss_severity { SS_SEV_ERROR, SS_SEV_WARNING, SS_SEV_NOTE };

struct ss_diag {
	enum ss_severity sev;
	struct ss_loc loc;
	char *msg;		/* heap */
};

struct ss_diags {
	struct ss_diag *v;
	size_t n, alloc;
	size_t errors;		/* how many have SS_SEV_ERROR */
};

#define SS_DIAGS_INIT { NULL, 0, 0, 0 }

void ss_diags_release(struct ss_diags *d);
void ss_diag_add(struct ss_diags *d, enum ss_severity sev,
    const struct ss_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void ss_diag_vadd(struct ss_diags *d, enum ss_severity sev,
    const struct ss_loc *loc, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
/* Sorts by file, line, column (stable), so output is in reading order. */
void ss_diags_sort(struct ss_diags *d);
/* "FILE:LINE:COLUMN: error: MSG" into buf; the location parts are left
 * out when unknown. */
void ss_diag_format(struct ss_buf *buf, const struct ss_diag *dg, int color);

#endif
