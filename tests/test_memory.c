/*
 * Memory of a push (peak resident memory): SQLite's page cache while a
 * database is introspected, on a real file.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ss/buf.h"
#include "ss/dialect.h"
#include "ss/url.h"

static char dir[64];
static char path[128];

static void
setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/ss-mem-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
}

static void
teardown(void)
{
	char cmd[160];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

/* NTABLES tables whose CREATE texts fill about 1.2 MB of sqlite_schema. */
#define NTABLES 400

static void
make_db(void)
{
	struct ss_buf sql = SS_BUF_INIT;
	sqlite3 *db;
	char *msg = NULL;
	int i, j;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	ss_buf_adds(&sql, "BEGIN;");
	for (i = 0; i < NTABLES; i++) {
		ss_buf_addf(&sql, "CREATE TABLE t%d (id INTEGER PRIMARY KEY", i);
		for (j = 0; j < 40; j++)
			ss_buf_addf(&sql, ", column_number_%d TEXT NOT NULL "
			    "DEFAULT 'x' CHECK (length(column_number_%d) < 100)",
			    j, j);
		ss_buf_adds(&sql, ");");
	}
	ss_buf_adds(&sql, "COMMIT;");
	cr_assert_eq(sqlite3_exec(db, sql.s, NULL, NULL, &msg), SQLITE_OK,
	    "%s", msg ? msg : "");
	sqlite3_close(db);
	ss_buf_release(&sql);
}

/*
 * The pages SQLite reads to parse the schema are not kept: the page
 * cache never holds more than a fraction of sqlite_schema (1.2 MB here;
 * the default cache would keep all of it), and introspection still sees
 * every table.
 */
TestSuite(memory, .init = setup, .fini = teardown);

Test(memory, introspection_keeps_no_schema_pages)
{
	const struct ss_dialect *dl = &ss_dialect_sqlite;
	struct ss_err err = SS_ERR_INIT;
	struct ss_url url;
	struct ss_conn *conn;
	struct ss_schema s;
	char u[160];
	sqlite3_int64 cur, hi, used;

	make_db();
	snprintf(u, sizeof u, "sqlite:%s", path);
	cr_assert_eq(ss_url_parse(u, &url, &err), 0, "%s", err.msg.s);
	/* Page cache memory comes from malloc here: no static buffer. */
	cr_assert_eq(sqlite3_status64(SQLITE_STATUS_PAGECACHE_OVERFLOW, &cur,
	    &hi, 1), SQLITE_OK);
	cr_assert_eq(dl->connect(&url, NULL, &conn, &err), 0, "%s", err.msg.s);
	ss_schema_init(&s);
	cr_assert_eq(dl->introspect(conn, &s, &err), 0, "%s", err.msg.s);
	cr_assert_eq(s.ntables, NTABLES);
	cr_assert_eq(sqlite3_status64(SQLITE_STATUS_PAGECACHE_OVERFLOW, &cur,
	    &hi, 0), SQLITE_OK);
	used = sqlite3_memory_used();
	cr_assert_gt(used, 0, "SQLite's memory statistics are off");
	cr_expect_lt(hi, 256 * 1024, "the page cache took %lld bytes at most",
	    (long long)hi);
	cr_expect_lt(cur, 256 * 1024, "the page cache holds %lld bytes",
	    (long long)cur);
	ss_schema_release(&s);
	dl->close(conn);
	ss_url_release(&url);
	ss_err_release(&err);
}

/*
 * Arena arrays: what an array grew out of is handed to the next array
 * of the same arena that needs that much, zeroed; never memory of
 * another arena.
 */
struct item {
	long a, b, c, d, e, f, g, h;	/* 64 bytes */
};

struct list {
	struct item *v;
	size_t n, alloc;
};

Test(memory, arena_arrays_reuse_what_others_grew_out_of)
{
	struct ss_arena a = SS_ARENA_INIT;
	struct list one = { NULL, 0, 0 }, two = { NULL, 0, 0 };
	struct item *first, *p;
	size_t i;

	for (i = 0; i < 4; i++)
		memset(SS_ARENA_PUSH(&a, one.v, one.n, one.alloc), 0x5a,
		    sizeof *one.v);
	first = one.v;
	/* Something else in between: one.v cannot grow where it is. */
	ss_arena_strdup(&a, "x");
	SS_ARENA_PUSH(&a, one.v, one.n, one.alloc)->a = 5;
	cr_assert_neq(one.v, first, "one grew where it was");
	for (i = 0; i < 5; i++)
		cr_assert_eq(one.v[i].a, i < 4 ? 0x5a5a5a5a5a5a5a5aL : 5);
	/* The next array of 4 takes the chunk one left, cleared. */
	p = SS_ARENA_PUSH(&a, two.v, two.n, two.alloc);
	cr_assert_eq(two.v, first, "the chunk one grew out of was not reused");
	cr_assert_eq(p->a, 0);
	cr_assert_eq(memcmp(&two.v[1], &(struct item){ 0 }, sizeof *p), 0);
	/* Only once. */
	two.v = NULL, two.n = two.alloc = 0;
	SS_ARENA_PUSH(&a, two.v, two.n, two.alloc);
	cr_assert_neq(two.v, first);
	ss_arena_release(&a);
}

Test(memory, arena_arrays_never_take_another_arenas_memory)
{
	struct ss_arena a = SS_ARENA_INIT, b = SS_ARENA_INIT;
	struct list one = { NULL, 0, 0 }, two = { NULL, 0, 0 };
	struct item *first;
	size_t i;

	for (i = 0; i < 4; i++)
		SS_ARENA_PUSH(&a, one.v, one.n, one.alloc);
	first = one.v;
	/* Grown in b: what it leaves is a's, not b's to hand out. */
	SS_ARENA_PUSH(&b, one.v, one.n, one.alloc);
	SS_ARENA_PUSH(&b, two.v, two.n, two.alloc);
	cr_assert_neq(two.v, first);
	ss_arena_release(&a);
	/* a's blocks are gone; b still works and owns its arrays. */
	for (i = 0; i < 100; i++)
		SS_ARENA_PUSH(&b, two.v, two.n, two.alloc)->a = (long)i;
	cr_assert_eq(two.n, 101);
	cr_assert_eq(two.v[100].a, 99);
	cr_assert_eq(one.n, 5);
	ss_arena_release(&b);
}
