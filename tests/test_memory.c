/*
 * Memory of a push (peak resident memory): SQLite's page cache while a
 * database is introspected, on a real file.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ss/buf.h"
#include "ss/dialect.h"
#include "ss/mem.h"
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
 * Text in an arena costs its bytes: strings are packed one after the
 * other, not rounded up to the alignment of the structures, and what
 * follows them is aligned again for any type.
 */
Test(arena, text_is_packed_and_structures_aligned)
{
	struct ss_arena a = SS_ARENA_INIT;
	const size_t align = _Alignof(max_align_t);
	char *x, *y, *z;
	long long *n;
	size_t i;

	x = ss_arena_strdup(&a, "abc");
	y = ss_arena_strndup(&a, "defgh", 2);
	z = ss_arena_printf(&a, "%d", 42);
	cr_assert_str_eq(x, "abc");
	cr_assert_str_eq(y, "de");
	cr_assert_str_eq(z, "42");
	cr_expect_eq(y, x + 4, "the second string is %td bytes after the "
	    "first, not 4", y - x);
	cr_expect_eq(z, y + 3);
	n = ss_arena_alloc(&a, sizeof *n * 3);
	cr_assert_eq((uintptr_t)n % align, 0, "an allocation after text is "
	    "not aligned");
	for (i = 0; i < 3; i++)
		cr_expect_eq(n[i], 0, "an allocation after text is not zeroed");
	/* Text that does not fit the block starts a new one, aligned. */
	for (i = 0; i < 5000; i++) {
		x = ss_arena_strdup(&a, "0123456789");
		cr_assert_str_eq(x, "0123456789");
	}
	n = ss_arena_alloc(&a, sizeof *n);
	cr_assert_eq((uintptr_t)n % align, 0);
	ss_arena_release(&a);
}
