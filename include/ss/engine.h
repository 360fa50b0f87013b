#ifndef SS_ENGINE_H
#define SS_ENGINE_H
/*
 * The engine: plans the way from the database (or a given schema) to
 * the desired schema, and applies the part it is told to apply. It
 * prints nothing, asks nothing and does not know which command calls
 * it; presenters (present.h) turn what it leaves in struct ss_engine
 * into output, the prompter (prompt.h) asks, and the commands (push,
 * diff, watch) compose the three.
 *
 * Guarantees:
 *  1. All or nothing: ss_engine_apply() runs in one transaction (the
 *     dialect's begin: BEGIN IMMEDIATE on SQLite, an advisory lock on
 *     PostgreSQL) that commits everything applied or nothing. With
 *     `partial` (watch) the changes that are not held are that
 *     transaction; otherwise anything held means nothing runs.
 *  2. Counts re-taken: the plan that is applied is made again inside
 *     the applying transaction, so the counts that classified it are
 *     those of the data it runs on.
 *  3. Re-plan on change: when the caller approved a plan (a question
 *     answered about it: ss_engine_approve(), or a digest the user saw:
 *     opts.expect_digest), every data loss of the plan made inside the
 *     transaction must have been shown, with at least its count (a
 *     drop chosen instead of a rename is shown by the rename
 *     candidate's count); with a digest, the plan must be the same
 *     plan. If not, nothing is applied and the outcome is
 *     SS_OUTCOME_STALE: the caller plans again and asks again.
 *  4. A rename answer never brings a data loss the approved plan did
 *     not show (expect_digest with renames answered yes).
 *  5. Without a connection (conn NULL) the engine plans between two
 *     schemas (the files against a snapshot): nothing is counted, so a
 *     change that would lose data if there were any is destructive and
 *     says the count is unknown.
 *
 * Ownership: the engine owns desired, current and the plans; a plan
 * borrows from the schemas (plan.h), so they live as long as it does.
 * The connection is the caller's (ss_engine_init() borrows it).
 */
#include <stdbool.h>
#include <stddef.h>

#include "ss/buf.h"
#include "ss/config.h"
#include "ss/diff.h"
#include "ss/dialect.h"
#include "ss/err.h"
#include "ss/mem.h"
#include "ss/model.h"
#include "ss/plan.h"

struct ss_engine {
	const struct ss_dialect *dl;
	struct ss_conn *conn;		/* borrowed; NULL: no database */
	const struct ss_config *config;	/* borrowed: ignore_tables */
	struct ss_schema desired;	/* the files */
	struct ss_schema current;	/* introspected, or given when conn is NULL */
	struct ss_schema empty;		/* --force-reset's other side */
	struct ss_plan plans[2];	/* [1] only for --force-reset: drops, then creates */
	size_t nplans;
	struct ss_steps steps;		/* emitted for the plans (apply or preview) */
	bool applied;			/* a transaction committed */
	bool failed_applying;		/* ss_engine_apply() failed running the
					 * plan (emit, a statement, COMMIT): the
					 * plans are what was being applied */
	struct ss_diags warnings;	/* about the files, from the last plan
					 * (a renamed_from that names nothing) */
	struct ss_err err;		/* why the last call failed */

	/* Private to engine.c. */
	struct ss_arena arena;		/* rename answers */
	struct ss_rename *yes, *no;
	size_t nyes, ayes, nno, ano;
	/* Tables and columns statements dropped (rollback; with
	 * fit_answers): never matched to the files', always dropped. */
	struct ss_rename *gone;
	size_t ngone, agone;
	size_t lit0;			/* 1 + the first of no[] that reading the
					 * files literally added; 0: none */
	struct ss_plan approved[2];	/* ss_engine_approve()'s */
	size_t napproved;
	struct ss_schema approved_current; /* what approved borrows */

	/* Introspection cache (watch): set by the caller, or NULL. */
	struct ss_icache *icache;
	bool in_apply;			/* plan() runs inside ss_engine_apply()'s
					 * transaction: the cache may serve */
	bool fp_ok;			/* fp was read before e->current was */
	struct ss_buf fp;		/* the fingerprint e->current was read at */
	/* Undo points (undo.h): when keep is set, ss_engine_apply() calls
	 * it inside the applying transaction with the plan made there,
	 * before the plan's statements run, so that what they destroy is
	 * kept in the same transaction; a negative return rolls all back. */
	int (*keep)(struct ss_engine *e, void *arg);
	/* And, when set, once the statements ran, before the commit: what
	 * the change left in place of what keep kept. */
	int (*kept)(struct ss_engine *e, void *arg);
	void *keep_arg;
	long undo_point;		/* the point the applied run made; 0: none */
	/*
	 * When set, ss_engine_apply() calls it with everything done but
	 * the COMMIT, and rolls back when it returns false (outcome
	 * SS_OUTCOME_SUPERSEDED): watch prepares a save's run while its
	 * debounce runs, and commits it only if no save came since.
	 */
	bool (*gate)(void *arg);
	void *gate_arg;
	/* When set, called with a copy of each count request of a plan;
	 * when it sets the copy's unless, the copy is counted too, into
	 * the request's narrowed (undo: the rows whose values come back
	 * left out). The request's own count is the whole column's. */
	void (*narrow)(struct ss_engine *e, struct ss_count_request *q,
	    void *arg);
	void *narrow_arg;
	/*
	 * Loading while introspecting (session.c): when set, the files are
	 * still being loaded on another thread and e->desired is not
	 * filled yet. The first plan calls it once e->current is read and
	 * before anything reads e->desired; it fills e->desired (or fails:
	 * the plan fails, rolled back like any other failure) and is
	 * cleared. Until then the engine touches nothing of the loader's:
	 * it reads the database on this thread only (the connection is
	 * never shared), and e->desired, e->warnings and the diagnostics
	 * are not read or written. ss_engine_apply() tries the lock first
	 * when the dialect can (try_begin): when another transaction holds
	 * it, the files are awaited before waiting for the lock, so their
	 * errors come at once, as when they were read before connecting.
	 */
	int (*desired_ready)(struct ss_engine *e, void *arg);
	void *desired_arg;
};

/*
 * Introspection cache (watch): the database's model kept between runs
 * with the dialect's fingerprint it was read at. ss_engine_apply() reads
 * the fingerprint inside its transaction and takes the kept model when
 * the texts are equal (the schema provably did not change since), else
 * introspects; the data-loss counts are queries of every run either
 * way. ss_engine_keep_current() fills it after a run. A cache belongs to
 * one connection: forget it when the connection is new.
 */
struct ss_icache {
	struct ss_schema model;		/* valid: the database when fp was read */
	struct ss_buf fp;
	bool valid;
	unsigned long hits, misses;	/* runs that took the model, or not */
};

void ss_icache_init(struct ss_icache *c);
void ss_icache_forget(struct ss_icache *c);
void ss_icache_release(struct ss_icache *c);

/*
 * After ss_engine_apply() with e->icache set: keeps the model for the
 * next run. When nothing was committed, the model the run used (read
 * inside its transaction, after the fingerprint); else the fingerprint
 * then the model are read again. On failure the cache is left empty.
 */
int ss_engine_keep_current(struct ss_engine *e);

struct ss_engine_opts {
	unsigned accept;	/* classes applied: SS_ACCEPT(SS_CLASS_SAFE) | ... */
	bool force_reset;	/* drop every managed object, recreate all */
	bool partial;		/* apply what is not held (watch) */
	bool literal;		/* read the files literally: an unanswered
				 * rename candidate is a drop and an add */
	bool fit_answers;	/* answers read from SQL that ran in order:
				 * a yes answer that names no table or column
				 * of the database and the files is left out,
				 * not an error; one onto a name the database
				 * has takes it (ss_diff_opts.renames_first) */
	bool values_used;	/* ss_diff_opts.values_used */
	const char *expect_digest; /* apply only this plan (guarantee 3) */
	/* With expect_digest: renames answered yes to the question about
	 * that plan ("OLD=NEW"), applied once the plan is found unchanged;
	 * the plan they make may lose no data the digest did not show. */
	const char *const *confirm_renames;
	size_t nconfirm_renames;
};

enum ss_outcome {
	SS_OUTCOME_NOTHING,	/* in sync: nothing to do */
	SS_OUTCOME_APPLIED,	/* committed (partial: maybe with changes held) */
	SS_OUTCOME_HELD,	/* held changes, nothing applied */
	SS_OUTCOME_REFUSED,	/* partial: emit refused a SQLite rebuild around a
				 * held change; err.msg says why; nothing applied */
	SS_OUTCOME_STALE,	/* not the approved plan (guarantee 3); nothing applied */
	SS_OUTCOME_SUPERSEDED	/* the gate said no: rolled back, nothing applied */
};

void ss_engine_init(struct ss_engine *e, const struct ss_dialect *dl,
    struct ss_conn *conn, const struct ss_config *config);
void ss_engine_release(struct ss_engine *e);

/*
 * Records an answer to a rename candidate, yes (rename) or no (drop and
 * add); the strings are copied. Answers hold for every later plan.
 * ss_engine_gone() records a table (column NULL) or column a statement
 * dropped (rollback): with fit_answers, it is dropped, whatever takes
 * its name.
 */
void ss_engine_answer(struct ss_engine *e, const struct ss_rename *rn,
    bool yes);
void ss_engine_gone(struct ss_engine *e, const struct ss_rename *rn);
/* Parses "OLD=NEW" (--rename) and records it as a yes or a no. */
int ss_engine_answer_arg(struct ss_engine *e, const char *arg, bool yes);

/*
 * Plans outside any transaction: introspects (when there is a
 * connection), diffs, counts, classifies, orders and holds what
 * opts->accept leaves out. For a question or a dry run.
 */
int ss_engine_plan(struct ss_engine *e, const struct ss_engine_opts *o);

/*
 * Marks held what accept leaves out, and what depends on it
 * (ss_plan_hold() on every plan); returns how many are held.
 */
size_t ss_engine_hold(struct ss_engine *e, unsigned accept);

/*
 * The SQL the plan would run if its data loss were accepted, into
 * e->steps, for a dry run or a held plan's report: every change but
 * those waiting for a rename answer. Holds are left as they were.
 */
void ss_engine_preview(struct ss_engine *e, const struct ss_engine_opts *o);

/* Keeps the plan made last as the approved one (guarantee 3). */
void ss_engine_approve(struct ss_engine *e);

/*
 * Begins the transaction, plans again inside it, and applies what is
 * not held (guarantees 1 to 4). Returns 0 with *out set, or a negative
 * SS_E... with e->err set and everything rolled back.
 */
int ss_engine_apply(struct ss_engine *e, const struct ss_engine_opts *o,
    enum ss_outcome *out);

/*
 * Runs the given statements in one transaction with the dialect's
 * locking (migration files): all commit or none do. On failure,
 * *failed is the index of the statement that failed.
 */
int ss_engine_exec_sql(struct ss_engine *e, const char *const *sql,
    size_t n, size_t *failed);
/*
 * ss_engine_exec_sql() in parts, for a caller that adds statements made
 * after the first ones ran (a migration's journal row, with the time
 * they took): begin, run any number of times, then commit (or
 * rollback). A failing run or commit has rolled back already.
 */
int ss_engine_exec_begin(struct ss_engine *e);
int ss_engine_exec_run(struct ss_engine *e, const char *const *sql,
    size_t n, size_t *failed);
int ss_engine_exec_commit(struct ss_engine *e);
void ss_engine_exec_rollback(struct ss_engine *e);

/*
 * Emits and runs the plans made last (ss_engine_plan()) inside a
 * transaction the caller began (ss_engine_exec_begin()): undo runs two
 * plans and refills values between them in one transaction.
 */
int ss_engine_run_plans(struct ss_engine *e);

/* Plan queries. */
size_t ss_engine_changes(const struct ss_engine *e);
size_t ss_engine_held(const struct ss_engine *e);
size_t ss_engine_count_class(const struct ss_engine *e, enum ss_class cls);
/* The step that carries out c, or NULL (no SQL for it). */
const struct ss_step *ss_engine_step_of(const struct ss_engine *e,
    const struct ss_change *c);
/*
 * The plans as ss_plan_digest()-style lines ("class sign description"),
 * the plans separated by "--"; with held_only, the held changes alone:
 * what a partial run leaves for the next plan to find.
 */
void ss_engine_digest(const struct ss_engine *e, struct ss_buf *b,
    bool held_only);

#endif
