#ifndef SS_SESSION_H
#define SS_SESSION_H
/*
 * What push, diff and watch do around the engine before and after it:
 * read the files, find the dialect, connect, record the --rename
 * answers, and measure the time the run takes (the time spent answering
 * questions left out). A session is one run; watch keeps its connection
 * and its preloaded files between sessions.
 *
 * Loading while introspecting: without preloaded files, the files are
 * loaded on a second thread while this one connects, takes the lock
 * and reads the database; the first plan waits for them (engine.h,
 * desired_ready). What the user sees is what loading them first gave:
 *  - errors in the same order: the files' errors, then a bad --rename,
 *    then what the dialect's check refuses in the files, and only then
 *    the database's (connecting, the lock, reading it). Whatever the
 *    database did, bad files exit 2 with their FILE:LINE:COLUMN
 *    errors alone, and the database was not written: the transaction
 *    begun is rolled back, the connection closed with the session.
 *  - the check still refuses before any change is made (at the
 *    first plan, before it diffs; what the dialect's begin did is
 *    rolled back), the lock is still taken before the database is
 *    read, and the counts are still taken inside the transaction.
 *  - a lock another transaction holds is waited for only once the
 *    files are loaded (engine.h), so bad files are reported at once.
 *    A connection attempt is not cut short: one that takes long to
 *    fail (a host that does not answer: up to connect_timeout) delays
 *    the files' errors by as much, and they are then printed alone.
 * The two threads share nothing mutable: the loader writes only its
 * own schema and diagnostics (handed over at the join), reads the
 * context's paths, which nothing changes meanwhile, and keeps no
 * static state (nor do the model, arena, buffer, error and SQL parsing
 * code it shares with introspection); it prints nothing. The
 * connection is used on this thread only.
 */
#include <stdbool.h>
#include <time.h>

#include "ss/cli.h"
#include "ss/engine.h"
#include "ss/model.h"
#include "ss/present.h"

/* The rename answers of the command line: --rename and --no-rename. */
struct ss_answers {
	struct ss_strv yes;
	struct ss_strv no;
};

struct ss_overlap;

struct ss_session {
	struct ss_ctx *ctx;
	struct ss_engine e;
	struct ss_conn *conn;	/* owned until ss_session_close() */
	struct timespec t0;	/* when the run started (watch: the save) */
	double waited_ms;	/* time spent waiting for answers */
	bool connect_failed;	/* unreachable, or the connection broke */
	bool json_events;	/* JSON: the database's notices are events of
				 * their own (watch), not kept for the report */
	struct ss_buf notices;	/* JSON: kept notices, as array elements */
	bool reused;		/* the kept connection serves this session */
	struct ss_overlap *overlap; /* the files loading on another thread
				 * (session.c); NULL: loaded already */
};

/*
 * Opens a session: takes *pre (loaded files) when not NULL, else loads
 * the files; takes *keep (a kept connection) when the dialect finds it
 * reusable, else connects. since: when the run counts from, or NULL
 * for now. answers (may be NULL): recorded before the first plan. Returns 0, or the exit status to end with (its error
 * printed already: 2 for invalid files or a bad --rename, 1 when the
 * database cannot be reached, with connect_failed set).
 */
int ss_session_open(struct ss_session *s, struct ss_ctx *ctx,
    struct ss_schema *pre, struct ss_conn **keep,
    const struct timespec *since, const struct ss_answers *answers);

/*
 * Ends the session. With keep, a connection that still serves is left
 * there for the next session (the dialect decides); else it is closed.
 */
void ss_session_close(struct ss_session *s, struct ss_conn **keep);

/* Milliseconds since t0, less the time spent answering. */
double ss_session_elapsed(const struct ss_session *s);

/*
 * After an engine call failed: prints e.err and returns its exit
 * status; marks connect_failed when the connection broke mid-run. When
 * the plan itself failed to apply (e.failed_applying), the plan is
 * reported first as r describes it (r->failed set here), then the
 * error: never an error without the plan that was being applied.
 */
int ss_session_fail(struct ss_session *s, const struct ss_report *r);

/*
 * What the database said since the last call (dialect notices): in
 * text on stderr at once ("schemasync: warning: the database says:
 * …"); in JSON a "notice" event (json_events) or kept in s->notices
 * for the report. Called before every report.
 */
void ss_session_notices(struct ss_session *s);

/* Prints the report, the database's notices first; returns r->status. */
int ss_session_report(struct ss_session *s, struct ss_report *r);

/*
 * A dry run (push --dry-run, diff): plans, and prints the plan with its
 * SQL. Returns the exit status: 0, or 4 with exit_code when the plan is
 * not empty.
 */
int ss_session_show_plan(struct ss_session *s,
    const struct ss_engine_opts *o, bool exit_code);

/* Closes a connection kept by ss_session_close(); *keep = NULL. */
void ss_session_drop(const struct ss_ctx *ctx, struct ss_conn **keep);

#endif
