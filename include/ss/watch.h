#ifndef SS_WATCH_H
#define SS_WATCH_H
/*
 * schemasync watch (SPEC section 6): push once, then again on every save
 * of a schema file, until SIGINT or SIGTERM.
 *
 * Guarantees:
 *  - The event loop never waits on the database. A run (load,
 *    introspect, diff, apply: the engine in partial mode) goes to
 *    libuv's thread pool, one at a time; file events, signals and the
 *    terminal stay live while it runs.
 *  - Saves within the debounce time are one run. A save during a run
 *    queues exactly one more run after it, which reads the files as
 *    they are then: a burst of saves ends in the state of the last one.
 *  - Every schema folder and every sub-folder is watched (Linux
 *    watches are not recursive): sub-folders are added as they appear
 *    and dropped when they go. Only names ending in .yaml or .yml and
 *    not starting with '.' count, like the loader's.
 *  - Held changes are asked about on a terminal (stdin and stdout, text
 *    output); `y` applies them only if the plan made in the applying
 *    transaction is the one the question showed (ss_plan_digest()).
 *  - A database that cannot be reached is reported once; the watcher
 *    retries on the next save and every few seconds (backoff), and says
 *    so when it is back.
 *  - SIGINT and SIGTERM let the run in flight finish (its transaction
 *    commits or rolls back), then the watcher exits 0.
 */
#include <stdbool.h>

#include "ss/cli.h"
#include "ss/session.h"

/* What the watch command was told (its options). */
struct ss_watch_opts {
	bool accept_data_loss;		/* destructive changes need no question */
	long debounce_ms;		/* --debounce, or -1 */
	const struct ss_answers *answers; /* --rename / --no-rename */
	bool no_undo;			/* --no-undo: keep no undo points */
};

/* Runs the watcher; returns the exit status (0 after a signal, 2 when
 * a schema path cannot be watched). */
int ss_watch_run(struct ss_ctx *ctx, const struct ss_watch_opts *o);

/* Whether a file of this name is a schema file: *.yaml or *.yml, not
 * starting with '.' (editor swap files, backups and temp files are not). */
bool ss_watch_is_schema_name(const char *name);

/* Whether rename answers (--rename OLD=NEW forms) compete: two of one
 * source, or two onto one target; they cannot all be yes. */
bool ss_watch_renames_compete(const char *const *v, size_t n);

/* The debounce in milliseconds: --debounce (flag_ms, -1 when not
 * given), then the config's watch.debounce_ms, then 20. */
long ss_watch_debounce_ms(const struct ss_ctx *ctx, long flag_ms);

#endif
