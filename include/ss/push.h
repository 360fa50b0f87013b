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
 *  - In partial mode, a SQLite rebuild that emit refuses because a
 *    change of its table is held (SS_EBLOCKED) holds the whole run
 *    (exit 3, nothing applied); it is not an error.
 */
#include <stdbool.h>

#include "ss/buf.h"
#include "ss/cli.h"
#include "ss/dialect.h"

struct timespec;

/*
 * What a run did, for a caller that goes on (watch). Owned by the
 * caller: ss_push_result_init() before the run, ss_push_result_release()
 * after. Counts are of the last plan made (the one in the transaction).
 */
struct ss_push_result {
	size_t changes;		/* changes in the plan */
	size_t held;		/* changes not applied (all of them when nothing ran) */
	size_t askable;		/* held destructive or ambiguous changes: a yes may apply them */
	bool applied;		/* a transaction committed */
	bool reported;		/* the plan was printed (not an error, not stale) */
	bool stale;		/* expect_digest differed: nothing applied or printed */
	bool connect_failed;	/* the database could not be reached, or the
				 * connection broke mid-run (dialect lost()) */
	struct ss_buf digest;	/* what is left to apply, as ss_plan_digest() lines: the
				 * held changes, or the whole plan when nothing ran */
	struct ss_buf renames;	/* held rename candidates as --rename OLD=NEW args, one a line */
};

void ss_push_result_init(struct ss_push_result *res);
void ss_push_result_release(struct ss_push_result *res);

struct ss_push_opts {
	bool dry_run;		/* plan and print only */
	bool exit_code;		/* with dry_run: status 4 when not empty */
	bool accept_data_loss;	/* destructive changes need no question */
	bool force_reset;	/* drop every managed object, recreate all */
	bool partial;		/* apply what is not held (watch) */
	bool interactive;	/* may ask on the terminal */

	/* For watch; all zero for push and diff. */
	bool no_header;		/* text: leave out the "DB: N files, N tables" line */
	bool json_event;	/* JSON: start the line with "event": plan, applied or held */
	const struct timespec *since; /* CLOCK_MONOTONIC time the elapsed time counts from (the save) */
	/*
	 * Apply only if the plan made in the transaction (before the
	 * answers below) has this digest; otherwise nothing is applied or
	 * printed and result->stale is set. Then confirm_renames are
	 * answered yes and the plan is made again in the same transaction.
	 */
	const char *expect_digest;
	const char *const *confirm_renames; /* OLD=NEW, as --rename */
	size_t nconfirm_renames;
	struct ss_push_result *result; /* filled when not NULL */
	/*
	 * watch: a connection kept between runs. Used when *keep is set
	 * and the dialect finds it reusable, else a new one is made; left
	 * in *keep after the run unless it broke. ss_push_drop() closes it.
	 */
	struct ss_conn **keep;
	/*
	 * watch: the schema files, loaded already (while the debounce ran)
	 * and without errors; ss_push_run() takes it over and leaves an
	 * empty schema behind. NULL: the run loads the files itself.
	 */
	struct ss_schema *desired;
};

/* Closes a connection kept by ss_push_run() (opts.keep); *keep = NULL. */
void ss_push_drop(const struct ss_ctx *ctx, struct ss_conn **keep);

/* Runs once and prints the report; returns the exit status. */
int ss_push_run(struct ss_ctx *ctx, const struct ss_push_opts *opts);

#endif
