/*
 * Tests for the engine's gate (ss_engine.gate), on a real SQLite file:
 * watch prepares a save's run while the debounce runs and lets the gate
 * decide, just before COMMIT, whether it commits. The gate is called
 * once the statements ran, while nothing is visible to another
 * connection; a no rolls everything back, undo point included, and
 * leaves the database free for others.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss/config.h"
#include "ss/dialect.h"
#include "ss/engine.h"
#include "ss/undo.h"
#include "ss/url.h"
#include "plan_fixture.h"

static char dir[64];
static char path[128];
static struct ss_config cfg;
static struct ss_engine e;
static struct ss_url url;
static struct ss_conn *conn;

/* What the gate saw, and what it answers. */
static struct {
	bool answer;
	int calls;
	int other_saw;		/* columns of users another connection saw */
} g;

/* Columns of users, through a connection of its own. */
static int
columns_seen(void)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int n = 0;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM "
	    "pragma_table_info('users')", -1, &st, NULL), SQLITE_OK,
	    "%s", sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* Whether another connection can write now. */
static bool
others_can_write(void)
{
	sqlite3 *db;
	int rc;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	rc = sqlite3_exec(db, "BEGIN IMMEDIATE; ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	return rc == SQLITE_OK;
}

static bool
gate(void *arg)
{
	(void)arg;
	g.calls++;
	g.other_saw = columns_seen();
	return g.answer;
}

static void
setup(void)
{
	struct ss_err err = SS_ERR_INIT;
	char u[160];
	sqlite3 *db;

	snprintf(dir, sizeof dir, "/tmp/ss-gate-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "CREATE TABLE users (id INTEGER "
	    "PRIMARY KEY NOT NULL, phone TEXT); INSERT INTO users VALUES "
	    "(1, '555')", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	snprintf(u, sizeof u, "sqlite:%s", path);
	cr_assert_eq(ss_url_parse(u, &url, &err), 0, "%s", err.msg.s);
	ss_config_init(&cfg);
	cr_assert_eq(ss_dialect_sqlite.connect(&url, &cfg, &conn, &err), 0,
	    "%s", err.msg.s);
	ss_engine_init(&e, &ss_dialect_sqlite, conn, &cfg);
	e.gate = gate;
	memset(&g, 0, sizeof g);
	ss_err_release(&err);
}

static void
teardown(void)
{
	char cmd[160];

	ss_engine_release(&e);
	ss_dialect_sqlite.close(conn);
	ss_config_release(&cfg);
	ss_url_release(&url);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

static void
want(const char *yaml)
{
	ss_schema_release(&e.desired);
	fx_load(&e.desired, "desired.yaml", yaml);
}

static enum ss_outcome
apply(unsigned accept)
{
	struct ss_engine_opts o;
	enum ss_outcome out = SS_OUTCOME_NOTHING;

	memset(&o, 0, sizeof o);
	o.accept = accept;
	o.partial = true;
	cr_assert_eq(ss_engine_apply(&e, &o, &out), 0, "%s", e.err.msg.s);
	return out;
}

#define USERS "tables:\n  users:\n    columns:\n" \
	"      id: { type: integer, primary_key: true }\n"
#define PHONE "      phone: text\n"
#define BIO "      bio: text\n"

TestSuite(gate, .init = setup, .fini = teardown);

Test(gate, a_no_rolls_back_what_ran_and_frees_the_database)
{
	want(USERS PHONE BIO);
	g.answer = false;
	cr_assert_eq(apply(SS_ACCEPT(SS_CLASS_SAFE)), SS_OUTCOME_SUPERSEDED);
	cr_expect_eq(g.calls, 1);
	cr_expect_eq(g.other_saw, 2, "another connection saw %d columns "
	    "before the commit", g.other_saw);
	cr_expect(!e.applied);
	cr_expect_eq(columns_seen(), 2, "the column stayed");
	cr_expect(others_can_write(), "the transaction is still open");
}

Test(gate, a_yes_commits)
{
	want(USERS PHONE BIO);
	g.answer = true;
	cr_assert_eq(apply(SS_ACCEPT(SS_CLASS_SAFE)), SS_OUTCOME_APPLIED);
	cr_expect_eq(g.calls, 1);
	cr_expect_eq(g.other_saw, 2, "visible before the gate said yes");
	cr_expect(e.applied);
	cr_expect_eq(columns_seen(), 3);
}

Test(gate, nothing_to_commit_asks_nothing)
{
	want(USERS PHONE);
	g.answer = false;
	cr_assert_eq(apply(SS_ACCEPT(SS_CLASS_SAFE)), SS_OUTCOME_NOTHING);
	want(USERS);	/* dropping phone: destructive, held */
	cr_assert_eq(apply(SS_ACCEPT(SS_CLASS_SAFE)), SS_OUTCOME_HELD);
	cr_expect_eq(g.calls, 0);
}

/* The point a destructive run keeps goes with the rest. */
Test(gate, a_no_keeps_no_undo_point)
{
	struct ss_undo_points pts = { NULL, 0, 0 };

	want(USERS);
	ss_undo_attach(&e, "test", 5);
	g.answer = false;
	cr_assert_eq(apply(SS_ACCEPT(SS_CLASS_SAFE) |
	    SS_ACCEPT(SS_CLASS_DESTRUCTIVE)), SS_OUTCOME_SUPERSEDED);
	cr_expect_eq(e.undo_point, 0);
	cr_expect_eq(g.other_saw, 2);
	cr_expect_eq(columns_seen(), 2, "phone was dropped");
	cr_assert_eq(ss_undo_list(&e, &pts), 0, "%s", e.err.msg.s);
	cr_expect_eq(pts.n, 0, "a point of a run rolled back");
	ss_undo_points_release(&pts);
	g.answer = true;
	cr_assert_eq(apply(SS_ACCEPT(SS_CLASS_SAFE) |
	    SS_ACCEPT(SS_CLASS_DESTRUCTIVE)), SS_OUTCOME_APPLIED);
	cr_expect_eq(columns_seen(), 1);
	cr_assert_eq(ss_undo_list(&e, &pts), 0, "%s", e.err.msg.s);
	cr_expect_eq(pts.n, 1);
	ss_undo_points_release(&pts);
}
