#ifndef SS_PUSH_H
#define SS_PUSH_H
/*
 * One run of the pipeline against a database: load, introspect, diff,
 * classify, ask, apply, report (SPEC sections 2, 4 and 5). push, diff
 * and watch are thin callers of ss_push_run().
 *
 * Guarantees:
 *  - All or nothing: the applied changes commit in one transaction or
 *    none do. In `partial` mode (watch) the part that is not held is
 *    that transaction; otherwise anything held means nothing runs
 *    (exit 3).
 *  - Counts that decided a class are taken again inside the applying
 *    transaction; a plan that changed (or a count that grew) in between
 *    is not applied: the run starts over, at most a few times.
 *  - Questions are asked only when ctx->stdin_tty and the output is
 *    text; otherwise an unanswered question is a held change.
 */
#include <stdbool.h>

#include "ss/cli.h"
#include "ss/dialect.h"

struct ss_push_opts {
	bool dry_run;		/* plan and print only */
	bool exit_code;		/* with dry_run: status 4 when not empty */
	bool accept_data_loss;	/* destructive changes need no question */
	bool force_reset;	/* drop every managed object, recreate all */
	bool partial;		/* apply what is not held (watch) */
	bool interactive;	/* may ask on the terminal */
};

/* Runs once and prints the report; returns the exit status. */
int ss_push_run(struct ss_ctx *ctx, const struct ss_push_opts *opts);

#endif
