#ifndef SS_TEST_PG_HELPER_H
#define SS_TEST_PG_HELPER_H
/*
 * PostgreSQL test helper: a fresh database per test on the throwaway
 * server that `make test` starts (tests/pg/with-server.sh).
 *
 * The server is found through SS_TEST_PG, a libpq connection string for
 * its maintenance database. When SS_TEST_PG is unset the test FAILS
 * (it is never skipped) and says to run it through `make test`.
 *
 * Database names are ss_t_<pid>_<counter>: Criterion runs each test in
 * a forked worker, so the pid keeps names apart across workers and the
 * counter within one.
 */
#include <libpq-fe.h>
#include <stddef.h>

#include "ss/buf.h"
#include "ss/model.h"

struct ss_testdb {
	PGconn *conn;		/* connected to the new database */
	char name[64];		/* its name */
};

/* Creates the database and connects to it; fails the test on error. */
PGconn *ss_testdb_open(struct ss_testdb *db);
/* Disconnects and drops the database (safe to call twice). */
void ss_testdb_close(struct ss_testdb *db);
/* Runs SQL (any number of statements); fails the test on error, naming
 * what. */
void ss_testdb_exec(struct ss_testdb *db, const char *sql, const char *what);
/* The connection string for another connection to the database, in
 * buf (for psql): "<SS_TEST_PG> dbname=<name>". */
void ss_testdb_conninfo(const struct ss_testdb *db, char *buf, size_t n);
/* SS_TEST_PG; fails the test when it is unset. */
const char *ss_test_pg(void);

/*
 * Compares a loaded model (desired) with an introspected one (current)
 * under the PostgreSQL hooks of ss/pgexpr.h: enums, tables, columns
 * (type, nullability, autoincrement, default, comment), primary keys,
 * unique constraints, indexes (unique, columns, predicate), foreign
 * keys (columns, target, actions), checks and comments. Each
 * difference is one line in why; returns how many there are.
 */
size_t ss_test_compare_pg(const struct ss_schema *desired,
    const struct ss_schema *current, struct ss_buf *why);

/* The corpus folder: $SS_CORPUS, else ../shared/corpus, else
 * /work/shared/corpus; fails the test when none exists. */
const char *ss_test_corpus(void);

#endif
