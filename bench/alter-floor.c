/*
 * bench/alter-floor: what SQLite itself takes for the change a watch
 * save makes, the floor of `watch` after its debounce. Not part of
 * schemasync; built by `make bench`.
 *
 *   alter-floor DB TABLE COLUMN SAVES
 *
 * Opens DB as schemasync does (foreign keys off), has SQLite read its
 * schema once, then SAVES times, alternately, adds COLUMN (text) to
 * TABLE and drops it again, each in its own BEGIN IMMEDIATE ... COMMIT,
 * as the watch bench's saves alternately add and drop one column. The
 * column is dropped two ways, in turn: by ALTER TABLE DROP COLUMN, and
 * by copying the rows into a TEMP table, dropping the table, creating it
 * again as it was before the column and copying the rows back (how
 * schemasync rebuilds a small table; SQLite re-parses the whole schema
 * for an ALTER, not for a CREATE or DROP). Each transaction is timed
 * from BEGIN to the end of COMMIT. Prints "alter_ms p50 X add_p50 Y
 * drop_p50 Z drop_temp_p50 W saves N", X over the adds and the drops of
 * the cheaper way. Exits non-zero on any SQLite error.
 */
#define _GNU_SOURCE
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void
run(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "alter-floor: %s: %s\n", sql, msg ? msg : "?");
		exit(1);
	}
}

static int
has_column(sqlite3 *db, const char *table, const char *column)
{
	sqlite3_stmt *st;
	int found = 0;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?1) "
	    "WHERE name = ?2", -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "alter-floor: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* The one text sql selects (bound to ?1 = arg), malloc'd. */
static char *
text(sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	char *v = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "alter-floor: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (v == NULL)
		v = strdup("");
	return v;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int
main(int argc, char **argv)
{
	sqlite3 *db;
	char add[512], drop[512], *create, *indexes, *cols, *drop_temp;
	double *all, *adds, *drops, *temps, t, m_drop, m_temp;
	int n, i, na = 0, nd = 0, nt = 0;

	if (argc != 5 || (n = atoi(argv[4])) < 2) {
		fprintf(stderr, "usage: alter-floor DB TABLE COLUMN SAVES\n");
		return 2;
	}
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr, "alter-floor: cannot open %s\n", argv[1]);
		return 1;
	}
	snprintf(add, sizeof add, "BEGIN IMMEDIATE; ALTER TABLE \"%s\" ADD "
	    "COLUMN \"%s\" TEXT; COMMIT", argv[2], argv[3]);
	snprintf(drop, sizeof drop, "BEGIN IMMEDIATE; ALTER TABLE \"%s\" DROP "
	    "COLUMN \"%s\"; COMMIT", argv[2], argv[3]);
	run(db, "PRAGMA foreign_keys = OFF; SELECT count(*) FROM sqlite_schema");
	if (has_column(db, argv[2], argv[3]))
		run(db, drop);	/* the watcher may have left it there */
	/* The table as it is without the column, to create it again. */
	create = text(db, "SELECT sql FROM sqlite_schema WHERE type = "
	    "'table' AND name = ?1", argv[2]);
	indexes = text(db, "SELECT group_concat(sql, '; ') FROM sqlite_schema "
	    "WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL",
	    argv[2]);
	cols = text(db, "SELECT group_concat('\"' || replace(name, '\"', "
	    "'\"\"') || '\"', ', ') FROM pragma_table_info(?1)", argv[2]);
	drop_temp = sqlite3_mprintf("BEGIN IMMEDIATE; CREATE TEMP TABLE "
	    "floor_old (%s); INSERT INTO temp.floor_old SELECT %s FROM \"%w\"; "
	    "DROP TABLE \"%w\"; %s; INSERT INTO \"%w\" (%s) SELECT * FROM "
	    "temp.floor_old; DROP TABLE temp.floor_old; %s%s COMMIT", cols,
	    cols, argv[2], argv[2], create, argv[2], cols, indexes,
	    *indexes ? ";" : "");
	all = calloc((size_t)n, sizeof *all);
	adds = calloc((size_t)n, sizeof *adds);
	drops = calloc((size_t)n, sizeof *drops);
	temps = calloc((size_t)n, sizeof *temps);
	if (all == NULL || adds == NULL || drops == NULL || temps == NULL ||
	    drop_temp == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		t = now_ms();
		run(db, i % 2 == 0 ? add : i % 4 == 1 ? drop : drop_temp);
		t = now_ms() - t;
		if (i % 2 == 0)
			adds[na++] = t;
		else if (i % 4 == 1)
			drops[nd++] = t;
		else
			temps[nt++] = t;
	}
	if (n % 2 == 1)
		run(db, drop);	/* leave the table as it was */
	/* The saves of the cheaper way, and the adds. */
	m_drop = median(drops, nd);
	m_temp = nt > 0 ? median(temps, nt) : m_drop;
	memcpy(all, adds, (size_t)na * sizeof *all);
	memcpy(all + na, m_temp < m_drop ? temps : drops,
	    (size_t)(m_temp < m_drop ? nt : nd) * sizeof *all);
	printf("alter_ms p50 %.1f add_p50 %.1f drop_p50 %.1f drop_temp_p50 "
	    "%.1f saves %d\n", median(all, na + (m_temp < m_drop ? nt : nd)),
	    median(adds, na), m_drop, m_temp, n);
	sqlite3_close(db);
	sqlite3_free(drop_temp);
	free(create);
	free(indexes);
	free(cols);
	free(all);
	free(adds);
	free(drops);
	free(temps);
	return 0;
}
