/*
 * PostgreSQL test helper (tests/pg_helper.h). Not a test file of its own;
 * the Makefile links it into the unit-test binary.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pg_helper.h"

static unsigned counter;

const char *
ss_test_pg(void)
{
	const char *ci = getenv("SS_TEST_PG");

	if (ci == NULL || *ci == '\0')
		cr_fatal("SS_TEST_PG is not set: the PostgreSQL tests need the "
		    "throwaway server; run them through make test");
	return ci;
}

static void
quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static PGconn *
connect_to(const char *conninfo)
{
	PGconn *c = PQconnectdb(conninfo);

	if (PQstatus(c) != CONNECTION_OK) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", PQerrorMessage(c));
		PQfinish(c);
		cr_fatal("cannot connect to the test server (%s): %s", conninfo,
		    msg);
	}
	PQsetNoticeProcessor(c, quiet, NULL);
	return c;
}

static void
admin_exec(const char *sql)
{
	PGconn *c = connect_to(ss_test_pg());
	PGresult *r = PQexec(c, sql);

	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", PQerrorMessage(c));
		PQclear(r);
		PQfinish(c);
		cr_fatal("%s: %s", sql, msg);
	}
	PQclear(r);
	PQfinish(c);
}

void
ss_testdb_conninfo(const struct ss_testdb *db, char *buf, size_t n)
{
	/* A later keyword overrides an earlier one in a conninfo string. */
	snprintf(buf, n, "%s dbname=%s", ss_test_pg(), db->name);
}

PGconn *
ss_testdb_open(struct ss_testdb *db)
{
	char sql[160], ci[1024];

	memset(db, 0, sizeof *db);
	snprintf(db->name, sizeof db->name, "ss_t_%ld_%u", (long)getpid(),
	    ++counter);
	/* A crashed earlier process with the same pid may have left it. */
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", db->name);
	admin_exec(sql);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", db->name);
	admin_exec(sql);
	ss_testdb_conninfo(db, ci, sizeof ci);
	db->conn = connect_to(ci);
	return db->conn;
}

void
ss_testdb_close(struct ss_testdb *db)
{
	char sql[160];

	if (db->name[0] == '\0')
		return;
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)",
	    db->name);
	db->name[0] = '\0';
	admin_exec(sql);
}

void
ss_testdb_exec(struct ss_testdb *db, const char *sql, const char *what)
{
	PGresult *r = PQexec(db->conn, sql);
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		char msg[1024];
		snprintf(msg, sizeof msg, "%s", PQerrorMessage(db->conn));
		PQclear(r);
		cr_fatal("%s: %s", what, msg);
	}
	PQclear(r);
}
