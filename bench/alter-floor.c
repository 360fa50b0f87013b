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
 * as the watch bench's saves alternately add and drop one column. Each
 * transaction is timed from BEGIN to the end of COMMIT. Prints
 * "alter_ms p50 X add_p50 Y drop_p50 Z saves N". Exits non-zero on any
 * SQLite error.
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
	char add[512], drop[512];
	double *all, *adds, *drops, t;
	int n, i, na = 0, nd = 0;

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
	all = calloc((size_t)n, sizeof *all);
	adds = calloc((size_t)n, sizeof *adds);
	drops = calloc((size_t)n, sizeof *drops);
	if (all == NULL || adds == NULL || drops == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		t = now_ms();
		run(db, i % 2 == 0 ? add : drop);
		all[i] = now_ms() - t;
		if (i % 2 == 0)
			adds[na++] = all[i];
		else
			drops[nd++] = all[i];
	}
	if (n % 2 == 1)
		run(db, drop);	/* leave the table as it was */
	printf("alter_ms p50 %.1f add_p50 %.1f drop_p50 %.1f saves %d\n",
	    median(all, n), median(adds, na), median(drops, nd), n);
	sqlite3_close(db);
	free(all);
	free(adds);
	free(drops);
	return 0;
}
