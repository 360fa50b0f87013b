#ifndef SS_SQLITE_DB_H
#define SS_SQLITE_DB_H
/*
 * The SQLite connection: opening, statements, counts, transactions and
 * the 12-step table rebuild (https://www.sqlite.org/lang_altertable.html,
 * "Making Other Kinds Of Table Schema Changes").
 *
 * Invariants of a connection opened here:
 *  - PRAGMA foreign_keys is OFF for its whole life (the pragma is a no-op
 *    inside a transaction, so it is set once, before any BEGIN). Nothing
 *    schemasync runs can fire an ON DELETE action; ss_sqlite_commit()
 *    runs PRAGMA foreign_key_check instead and refuses to commit a
 *    violation.
 *  - A busy timeout is set, so a push waits for another writer instead of
 *    failing at once.
 *  - Every error message names what was being done and, for a failed
 *    statement, the statement itself.
 */
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "ss/buf.h"
#include "ss/err.h"

#define SS_SQLITE_BUSY_MS 5000

/* Opens (creating it if needed) the database at path (":memory:" too). */
int ss_sqlite_open(const char *path, sqlite3 **db, struct ss_err *err);
void ss_sqlite_close(sqlite3 *db);
/* Runs one or more statements that return no rows. */
int ss_sqlite_exec(sqlite3 *db, const char *sql, struct ss_err *err);
/* Runs a query whose first row's first column is an integer. */
int ss_sqlite_count(sqlite3 *db, const char *sql, long *out,
    struct ss_err *err);
int ss_sqlite_begin(sqlite3 *db, struct ss_err *err);	/* BEGIN IMMEDIATE */
/* foreign_key_check, then COMMIT; on a violation nothing is committed
 * and the caller must roll back. */
int ss_sqlite_commit(sqlite3 *db, struct ss_err *err);
void ss_sqlite_rollback(sqlite3 *db);

/*
 * One table rebuilt to a new shape, inside the caller's transaction:
 * create the new table under a temporary name, copy the rows, drop the
 * old table, rename the new one (or, via_temp: copy the rows into a
 * TEMP table, drop the old table, create the new one under its own
 * name and copy them back; sqlite/dialect.c note 9), recreate its
 * indexes and triggers, and keep its AUTOINCREMENT counter. Views are
 * left as they are (they are stored as text and see the new table
 * under the old name); one that no longer compiles (it used a dropped
 * column) fails the rebuild, naming the view.
 */
struct ss_sqlite_rebuild {
	const char *table;		/* the table rebuilt */
	const char *tmp;		/* temporary name, free in the database:
					 * the new table's, or via_temp the
					 * TEMP copy's */
	const char *create_tmp;		/* CREATE TABLE for tmp, the new shape */
	const char *create;		/* via_temp: the same under table */
	const char *copy_into;		/* column list of tmp to fill: "a", "b" */
	const char *copy_from;		/* matching expressions over table */
	const char *const *indexes;	/* CREATE INDEX statements, the new set */
	size_t nindexes;
	bool via_temp;
	bool counter;			/* the new table is AUTOINCREMENT: its
					 * counter is carried over (sqlite_sequence
					 * exists then) */
};

int ss_sqlite_rebuild(sqlite3 *db, const struct ss_sqlite_rebuild *rb,
    struct ss_err *err);

/*
 * The statements of rb that copy the rows and put the new table in the
 * old one's place, in order, each handed to fn until fn returns
 * non-zero (which is returned): what ss_sqlite_rebuild() runs between
 * reading the triggers and creating the indexes, and what a plan shows.
 */
int ss_sqlite_rebuild_swap(const struct ss_sqlite_rebuild *rb,
    int (*fn)(void *arg, const char *sql), void *arg);

/*
 * Whether the triggers on table compile (SQLite takes a CREATE TRIGGER
 * whose body names a column that is gone, and then refuses every
 * write of the table); *msg gets SQLite's message.
 */
bool ss_sqlite_triggers_compile(sqlite3 *db, const char *table,
    struct ss_buf *msg);

#endif
