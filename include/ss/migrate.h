#ifndef SS_MIGRATE_H
#define SS_MIGRATE_H
/*
 * Migration files (generate, migrate, status, rollback): a folder of
 * NNNN_name.sql files, four digits from 0001, each with two sections:
 *
 *	-- schemasync:up
 *	CREATE TABLE ...;
 *	-- schemasync:down
 *	DROP TABLE ...;
 *
 * Beside each file, NNNN_name.snapshot.yaml is the schema as of that
 * migration (written by ss_yaml_write(), read back by the loader):
 * what the next `generate` diffs the files against, and what `status`
 * compares the database with.
 *
 * Pure but for ss_migrations_list() and ss_migration_read(), which
 * read the folder and a file. Every string is the caller's to free
 * through the release functions.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ss/diff.h"
#include "ss/err.h"
#include "ss/mem.h"

/* The journal table: push, diff, pull and watch never see it. */
#define SS_JOURNAL_TABLE "schemasync_migrations"

struct ss_migration {
	unsigned number;	/* 1 for 0001 */
	char *id;		/* "0001_add_users": the journal's name */
	char *file;		/* "0001_add_users.sql" */
	char *path;		/* DIR/0001_add_users.sql */
};

struct ss_migrations {
	struct ss_migration *v;	/* sorted by number, then name */
	size_t n, alloc;
};

void ss_migrations_init(struct ss_migrations *m);
void ss_migrations_release(struct ss_migrations *m);

/*
 * Lists DIR's *.sql files (a folder that does not exist is empty).
 * A .sql file whose name is not NNNN_name.sql, or two files with one
 * number (two branches merged), is an error (-SS_EUSAGE) whose message
 * names them and says how to renumber.
 */
int ss_migrations_list(const char *dir, struct ss_migrations *out,
    struct ss_err *err);

/* The same check on a list already made (tests, and the listing). */
int ss_migrations_check(const char *dir, const struct ss_migrations *m,
    struct ss_err *err);

/* Adds one entry (listing, tests); the strings are copied. */
void ss_migrations_add(struct ss_migrations *m, const char *dir,
    const char *file);

/* Whether file is NNNN_name.sql; *number set when it is. */
bool ss_migration_file_name(const char *file, unsigned *number);

/* Whether NAME suits --name: letters, digits, '_' and '-', not empty. */
bool ss_migration_name_ok(const char *name);

/* "DIR/NNNN_name.sql" for the migration after the last one of m. */
char *ss_migration_next(const char *dir, const struct ss_migrations *m,
    const char *name);

/* "DIR/NNNN_name.snapshot.yaml" beside the file (heap). */
char *ss_migration_snapshot_path(const struct ss_migration *m);
char *ss_migration_snapshot_of(const char *sql_path);

/* One statement of a section, with the 1-based line it starts on. */
struct ss_mig_stmt {
	const char *sql;	/* without leading comments or the ';' */
	int line;
};

struct ss_mig_file {
	struct ss_arena arena;
	struct ss_mig_stmt *up, *down;
	size_t nup, aup, ndown, adown;
	bool has_up, has_down;	/* the section markers were found */
	/* The dialect its header names ("-- NAME, written by 'schemasync
	 * generate' for DIALECT"), or NULL for a file without one. */
	const char *dialect;
	char raw_sum[17];	/* ss_mig_read(): the bytes' own checksum, */
	char crlf_sum[17];	/* ...and with every line ending in CRLF */
};

void ss_mig_file_init(struct ss_mig_file *f);
void ss_mig_file_release(struct ss_mig_file *f);

/*
 * Splits text into the statements of its sections. Statements end at a
 * `;` outside quotes ('..', "..", $tag$..$tag$), comments (-- and
 * / * * /) and a trigger's BEGIN ... END; statements that are only
 * comments are left out. Anything but comments before the first marker,
 * or no `-- schemasync:up` marker, is an error at its FILE:LINE.
 */
int ss_migration_parse(const char *file, const char *text,
    struct ss_mig_file *f, struct ss_err *err);

/*
 * What a run of statements does to the tables and columns there before
 * it, for rollback: which the down sections rename, composed (users ->
 * people then people -> members is users -> members), and which they
 * drop, so that the data a rename keeps is not counted as dropped, nor
 * the data a drop loses as kept when another table or column takes the
 * name (DROP TABLE a; ALTER TABLE b RENAME TO a). Each table and column
 * is followed by what holds its data: ALTER TABLE ... RENAME [COLUMN],
 * ALTER TABLE ... DROP [COLUMN] and ADD [COLUMN], DROP TABLE, CREATE
 * TABLE (a table new to the run), and INSERT INTO a new table ... SELECT
 * ... FROM another (a copy, as a SQLite table rebuild makes, which keeps
 * the data when the old table is dropped); other statements are
 * ignored. After ss_mig_renames_finish(): v, the renames (column NULL:
 * table -> to; else table.column -> to), every name as before the run,
 * leaving out what came back to its own name; gone, the tables (column
 * NULL) and columns the run dropped with no copy kept, to NULL. Names
 * compare as the database compares them: exactly once PostgreSQL has
 * folded bare ones (lower), else in any ASCII letter case (SQLite). A
 * name neither the database nor the files have, such as a copy's
 * temporary table, is left out at rollback (ss_engine_opts.fit_answers).
 */
struct ss_mig_table;

struct ss_mig_renames {
	struct ss_arena arena;
	struct ss_rename *v;
	size_t n, alloc;
	struct ss_rename *gone;
	size_t ngone, agone;
	/* The run so far: every table it touched. */
	struct ss_mig_table *t;
	size_t nt, at;
	bool icase;
};

void ss_mig_renames_init(struct ss_mig_renames *r);
void ss_mig_renames_release(struct ss_mig_renames *r);
/* Follows statement sql; a bare name in lower case when lower
 * (PostgreSQL folds it so; else names compare in any case). */
void ss_mig_renames_add(struct ss_mig_renames *r, const char *sql,
    bool lower);
/* Fills v and gone from the statements added. */
void ss_mig_renames_finish(struct ss_mig_renames *r);

/* FNV-1a 64 of the bytes, as 16 lower-case hex digits and a NUL. */
uint64_t ss_fnv1a64(const void *data, size_t len);
void ss_checksum_hex(const void *data, size_t len, char out[17]);
/* The same of text whose every CRLF is read as LF, or when crlf whose
 * every line ends in CRLF. */
void ss_checksum_text_hex(const char *text, size_t len, char out[17],
    bool crlf);

#endif
