#ifndef SS_PRESENT_H
#define SS_PRESENT_H
/*
 * Presenters: what an engine planned and did (engine.h), as output.
 *
 * Text: a header (the database, password hidden; files and tables
 * read), one line a change with its sign, the SQL under --verbose or a
 * dry run, and a last line saying what happened and the time taken.
 * A question (prompt.h) goes between the plan and the last line, so a
 * text report can be printed in those two parts.
 *
 * A run whose plan failed to apply reports that plan, then "failed:
 * nothing was applied" (the caller prints the error after it, on
 * stderr); in JSON one "error" object that carries the plan.
 *
 * JSON: one object a run on stdout, with "database", "changes",
 * "applied", "blocked", "exit" (and "summary", "count", "held", "hint"
 * per change, "warnings", "elapsed_ms"); watch's lines start with an
 * "event".
 *
 * Presenters only print: they change nothing in the engine.
 */
#include <stdbool.h>

#include "ss/buf.h"
#include "ss/cli.h"
#include "ss/engine.h"

struct ss_report {
	int status;		/* the exit status the report states */
	const char *why;	/* held or blocked: why, in one phrase; or NULL */
	bool sql;		/* show each change's SQL */
	bool dry_run;		/* nothing is applied, by request */
	bool no_header;		/* text: leave out the "DB: N files, N tables" line */
	bool json_event;	/* JSON: an "event" of plan, applied or held */
	double elapsed_ms;	/* the time the run took, answering excluded */
	bool outcome_only;	/* text: the plan is on the screen already
				 * (shown before a question): the last line only */
	bool failed;		/* the plan failed to apply: error says why */
	const char *error;	/* failed: the message (password masked) */
	const char *notices;	/* JSON: what the database said, as array
				 * elements ({"severity":…,"message":…}), or NULL */
};

/* Text: the header and the plan's lines (with SQL when r->sql). */
void ss_present_plan(struct ss_buf *b, const struct ss_ctx *ctx,
    const struct ss_engine *e, const struct ss_report *r);
/* Text: the last line (and a "held:" line), from the outcome. */
void ss_present_outcome(struct ss_buf *b, const struct ss_ctx *ctx,
    const struct ss_engine *e, const struct ss_report *r);
/* JSON: the run's object, one line. */
void ss_present_json(struct ss_buf *b, const struct ss_ctx *ctx,
    const struct ss_engine *e, const struct ss_report *r);

/* JSON: the plan's changes as an array, as "changes" has them. */
void ss_present_json_changes(struct ss_buf *b, const struct ss_engine *e);

/*
 * The whole report on stdout in the context's format (text: plan, then
 * outcome; nothing with -q on success). Returns r->status.
 */
int ss_present(const struct ss_ctx *ctx, const struct ss_engine *e,
    const struct ss_report *r);

/* Text: the engine's warnings about the files, on stderr, as
 * FILE:LINE:COLUMN: warning: …. (JSON carries them in the run's object.) */
void ss_present_warnings(const struct ss_ctx *ctx, const struct ss_engine *e);

/*
 * Text: the held changes that are not safe, on stderr at their place in
 * the files (FILE:LINE:COLUMN: warning: … for a data loss or a rename
 * not answered, error: … for a change that cannot run), so that editors
 * and compilation buffers can jump there. ss_present() calls it when
 * the run is held.
 */
void ss_present_held(const struct ss_ctx *ctx, const struct ss_engine *e);

/* One change as a text line ("  ! drop column users.bio (3 values)"). */
void ss_present_change(struct ss_buf *b, const struct ss_ctx *ctx,
    const struct ss_engine *e, const struct ss_change *c, bool sql);

/*
 * Why a held plan is blocked, in one phrase (appended to b), or false
 * when nothing is held for a reason worth saying. The advice fits where
 * the run happens (enum ss_advice).
 */
enum ss_advice {
	SS_ADVICE_SCRIPT,	/* no terminal to ask on */
	SS_ADVICE_TERMINAL,	/* a terminal that was asked */
	SS_ADVICE_JSON,		/* JSON output: never asks */
	SS_ADVICE_WATCH		/* watch: asks on a terminal, or restart it */
};
bool ss_present_why(struct ss_buf *b, const struct ss_engine *e,
    unsigned accept, enum ss_advice where);

/* "3 changes", "1 change". */
void ss_plural(struct ss_buf *b, size_t n, const char *one, const char *many);

#endif
