#ifndef SS_UNDO_H
#define SS_UNDO_H
/*
 * Undo points: what a run that loses data destroys, kept so that
 * `schemasync undo` brings it back.
 *
 * Invariants:
 *  1. A point commits or rolls back with the change it is for: it is
 *     written by the engine's keep hook (engine.h) inside the applying
 *     transaction, before the plan's statements run. Never a point for
 *     a change that did not happen, never a kept change without its
 *     point, in every journal mode (the store is in the same database:
 *     SQLite's main file, PostgreSQL's schema dl->undo_schema).
 *  2. The store is hidden: its tables' names start with
 *     SS_UNDO_TABLE, which introspection leaves out (ss_undo_hidden()),
 *     so it is never in pull, diff or a plan, and --force-reset keeps
 *     it.
 *  3. A point holds the schema as it was before the run (the model as
 *     the schema-file writer writes it) and one data table a kept
 *     change: a dropped table's rows (kind drop_table), or a column's
 *     old values keyed by the table's primary key (drop_column,
 *     alter_column, drop_enum_value).
 *  4. Restoring is one transaction: the saved schema, relaxed where the
 *     values are not back yet (a restored column nullable, foreign keys
 *     of restored tables left out), the values, then the saved schema
 *     exactly; or nothing, when anything conflicts.
 */
#include <stdbool.h>

#include "ss/buf.h"
#include "ss/engine.h"
#include "ss/plan.h"

/* The points table; data tables are SS_UNDO_TABLE "_<point>_<n>". */
#define SS_UNDO_TABLE "schemasync_undo"
#define SS_UNDO_ITEMS "schemasync_undo_items"
/* Points kept unless the config's undo.keep says otherwise. */
#define SS_UNDO_KEEP 10

/* Whether a table of that name belongs to the undo store (invariant 2). */
bool ss_undo_hidden(const char *table);

/*
 * Whether an undo point keeps what c destroys: a destructive drop of a
 * table, of a column, a type change or an enum value removed, where
 * the values can be found again (a column needs a primary key of its
 * table that it is not part of; an enum value, such a column of the
 * enum in cur, the database now: NULL takes one for granted). Pure.
 */
bool ss_undo_keeps(const struct ss_change *c, const struct ss_schema *cur);

/*
 * Appends what the plan line of c says about undo ("undo keeps them",
 * or why it cannot) to a description that ends in ")" or not: the
 * text goes inside the parentheses when there are some. Only for a
 * destructive change. Pure.
 */
void ss_undo_describe(struct ss_buf *b, const struct ss_change *c,
    const struct ss_schema *cur);

/*
 * Turns undo points on for the runs of e: e->keep. command names the
 * command in the point ("push", "watch"); keep: how many points to
 * keep (older ones are removed in the same transaction).
 */
void ss_undo_attach(struct ss_engine *e, const char *command, long keep);

/* One point, as `undo --list` shows it. */
struct ss_undo_point {
	long id;
	char *created_at;	/* UTC, "2024-05-01 12:00:00" */
	char *command;
	char *summary;		/* what it holds, "drop column users.bio, ..." */
	long rows, bytes;
};

struct ss_undo_points {
	struct ss_undo_point *v;
	size_t n, alloc;
};

void ss_undo_points_release(struct ss_undo_points *p);

/* Reads the points, oldest first (none when the store is missing). */
int ss_undo_list(struct ss_engine *e, struct ss_undo_points *out);

/*
 * Removes every point but the newest keep ones, in one transaction;
 * *removed says how many went.
 */
int ss_undo_purge(struct ss_engine *e, long keep, size_t *removed);

/* The points a restore went through, newest first. */
struct ss_undo_restored {
	long *v;
	size_t n;
};

/*
 * Restores point id (0: the newest), and every newer point before it,
 * newest first, in one transaction, removing each (invariant 4): a
 * point's schema is the one before its run, so an older point alone
 * would strand the newer ones. Returns 0 with out the points restored;
 * -SS_EBLOCKED when something conflicts, each conflict a line of
 * conflicts, out ending with the point that conflicts, and nothing
 * changed; -SS_EUSAGE when there is no such point; another negative
 * code with e->err set. The caller frees out->v.
 */
int ss_undo_restore(struct ss_engine *e, long id, struct ss_undo_restored *out,
    struct ss_buf *conflicts);

#endif
