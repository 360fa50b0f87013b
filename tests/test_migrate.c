/* Migration files (src/migrate.c): names, numbering, parsing, checksums. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ss/migrate.h"

Test(migrate, file_names)
{
	unsigned n = 0;

	cr_assert(ss_migration_file_name("0001_init.sql", &n));
	cr_assert_eq(n, 1);
	cr_assert(ss_migration_file_name("0042_add-users.sql", &n));
	cr_assert_eq(n, 42);
	cr_assert(!ss_migration_file_name("0000_zero.sql", &n));
	cr_assert(!ss_migration_file_name("001_short.sql", &n));
	cr_assert(!ss_migration_file_name("0001init.sql", &n));
	cr_assert(!ss_migration_file_name("0001_.sql", &n));
	cr_assert(!ss_migration_file_name("0001_init.yaml", &n));
	cr_assert(ss_migration_name_ok("add_users-2"));
	cr_assert(!ss_migration_name_ok("add users"));
	cr_assert(!ss_migration_name_ok("../x"));
	cr_assert(!ss_migration_name_ok(""));
}

Test(migrate, numbering_and_snapshot_names)
{
	struct ss_migrations m;
	char *p;

	ss_migrations_init(&m);
	p = ss_migration_next("migrations", &m, "init");
	cr_assert_str_eq(p, "migrations/0001_init.sql");
	free(p);
	ss_migrations_add(&m, "migrations", "0001_init.sql");
	ss_migrations_add(&m, "migrations", "0009_more.sql");
	p = ss_migration_next("migrations", &m, "next");
	cr_assert_str_eq(p, "migrations/0010_next.sql");
	free(p);
	cr_assert_str_eq(m.v[1].id, "0009_more");
	p = ss_migration_snapshot_path(&m.v[1]);
	cr_assert_str_eq(p, "migrations/0009_more.snapshot.yaml");
	free(p);
	ss_migrations_release(&m);
}

static void
touch(const char *dir, const char *file)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	fp = fopen(path, "w");
	cr_assert_not_null(fp);
	fputs("-- schemasync:up\n", fp);
	fclose(fp);
}

Test(migrate, listing_sorts_and_refuses_a_shared_number)
{
	char dir[] = "/tmp/ss-migrate-XXXXXX";
	struct ss_migrations m;
	struct ss_err err = SS_ERR_INIT;

	cr_assert_not_null(mkdtemp(dir));
	touch(dir, "0002_b.sql");
	touch(dir, "0001_a.sql");
	touch(dir, "0001_a.snapshot.yaml");
	touch(dir, "0010_c.sql");
	cr_assert_eq(ss_migrations_list(dir, &m, &err), 0);
	cr_assert_eq(m.n, 3);
	cr_assert_str_eq(m.v[0].file, "0001_a.sql");
	cr_assert_str_eq(m.v[1].file, "0002_b.sql");
	cr_assert_str_eq(m.v[2].file, "0010_c.sql");
	ss_migrations_release(&m);

	touch(dir, "0002_other.sql");
	cr_assert_eq(ss_migrations_list(dir, &m, &err), -SS_EUSAGE);
	cr_assert(strstr(err.msg.s, "0002_b.sql") != NULL, "%s", err.msg.s);
	cr_assert(strstr(err.msg.s, "0002_other.sql") != NULL, "%s", err.msg.s);
	cr_assert(strstr(err.msg.s, "share the number 0002") != NULL, "%s",
	    err.msg.s);
	cr_assert(strstr(err.msg.s, "it becomes 0011_other") != NULL, "%s",
	    err.msg.s);
	ss_migrations_release(&m);
	ss_err_release(&err);

	ss_err_init(&err);
	touch(dir, "badname.sql");
	cr_assert_eq(ss_migrations_list(dir, &m, &err), -SS_EUSAGE);
	cr_assert(strstr(err.msg.s, "badname.sql") != NULL, "%s", err.msg.s);
	ss_migrations_release(&m);
	ss_err_release(&err);
	{
		char cmd[600];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		cr_assert_eq(system(cmd), 0);
	}
}

Test(migrate, missing_folder_is_empty)
{
	struct ss_migrations m;
	struct ss_err err = SS_ERR_INIT;

	cr_assert_eq(ss_migrations_list("/nonexistent/ss-migrations", &m,
	    &err), 0);
	cr_assert_eq(m.n, 0);
	ss_migrations_release(&m);
}

Test(migrate, parse_sections_and_lines)
{
	static const char text[] =
	    "-- plan:\n"				/* 1 */
	    "--   + create table users\n"		/* 2 */
	    "\n"					/* 3 */
	    "-- schemasync:up\n"			/* 4 */
	    "CREATE TABLE \"a;b\" (x text DEFAULT 'it''s; here');\n" /* 5 */
	    "-- a comment; with a semicolon\n"		/* 6 */
	    "/* block; comment\n"			/* 7 */
	    "   over lines */\n"			/* 8 */
	    "INSERT INTO t\n"				/* 9 */
	    "  VALUES (1);\n"				/* 10 */
	    "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n" /* 11 */
	    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"	/* 12 */
	    "  UPDATE t SET x = CASE WHEN 1 THEN 2 END;\n"	/* 13 */
	    "  DELETE FROM u;\n"			/* 14 */
	    "END;\n"					/* 15 */
	    "SELECT $1;\n"				/* 16 */
	    "-- schemasync:down\n"			/* 17 */
	    "-- data in t cannot come back\n"		/* 18 */
	    "DROP TABLE t;\n"				/* 19 */
	    "DROP TABLE u;\n"				/* 20 */
	    "INSERT INTO v VALUES (E'it\\'s; ok\\\\', e'\\\n');\n" /* 21 */
	    "SELECT 'E\\';\n"				/* 23 */
	    "DROP TABLE w\n";				/* 24: no ';' */
	struct ss_mig_file f;
	struct ss_err err = SS_ERR_INIT;

	ss_mig_file_init(&f);
	cr_assert_eq(ss_migration_parse("m.sql", text, &f, &err), 0, "%s",
	    err.msg.s);
	cr_assert(f.has_up && f.has_down);
	cr_assert_eq(f.nup, 5);
	cr_assert_str_eq(f.up[0].sql,
	    "CREATE TABLE \"a;b\" (x text DEFAULT 'it''s; here')");
	cr_assert_eq(f.up[0].line, 5);
	cr_assert_str_eq(f.up[1].sql, "INSERT INTO t\n  VALUES (1)");
	cr_assert_eq(f.up[1].line, 9);
	cr_assert_eq(f.up[2].line, 11);
	cr_assert(strstr(f.up[2].sql, "SELECT 1; $body$ LANGUAGE sql") != NULL);
	cr_assert_eq(f.up[3].line, 12);
	cr_assert(strstr(f.up[3].sql, "DELETE FROM u;\nEND") != NULL,
	    "%s", f.up[3].sql);
	cr_assert_eq(f.up[4].line, 16);
	cr_assert_eq(f.ndown, 5);
	cr_assert_str_eq(f.down[0].sql, "DROP TABLE t");
	cr_assert_eq(f.down[0].line, 19);
	cr_assert_str_eq(f.down[1].sql, "DROP TABLE u");
	cr_assert_eq(f.down[1].line, 20);
	/* E'...' escapes with backslashes; '...' does not. */
	cr_assert_str_eq(f.down[2].sql,
	    "INSERT INTO v VALUES (E'it\\'s; ok\\\\', e'\\\n')");
	cr_assert_eq(f.down[2].line, 21);
	cr_assert_str_eq(f.down[3].sql, "SELECT 'E\\'");
	cr_assert_eq(f.down[3].line, 23);
	cr_assert_str_eq(f.down[4].sql, "DROP TABLE w");
	cr_assert_eq(f.down[4].line, 24);
	ss_mig_file_release(&f);
}

Test(migrate, parse_errors)
{
	struct ss_mig_file f;
	struct ss_err err = SS_ERR_INIT;

	ss_mig_file_init(&f);
	cr_assert_eq(ss_migration_parse("m.sql", "DROP TABLE x;\n", &f, &err),
	    -SS_EUSAGE);
	cr_assert_eq(err.loc.line, 1);
	ss_mig_file_release(&f);
	ss_err_release(&err);

	ss_err_init(&err);
	ss_mig_file_init(&f);
	cr_assert_eq(ss_migration_parse("m.sql", "-- only a comment\n", &f,
	    &err), -SS_EUSAGE);
	cr_assert(strstr(err.msg.s, "schemasync:up") != NULL);
	ss_mig_file_release(&f);
	ss_err_release(&err);

	ss_err_init(&err);
	ss_mig_file_init(&f);
	cr_assert_eq(ss_migration_parse("m.sql", "-- schemasync:up\n"
	    "-- schemasync:down\n-- schemasync:down\n", &f, &err), -SS_EUSAGE);
	cr_assert_eq(err.loc.line, 3);
	ss_mig_file_release(&f);
	ss_err_release(&err);

	/* A line that looks like a marker and is not one is refused: read
	 * as a comment, it would put the down statements into up. */
	{
		static const char *const near[] = { "-- schemasync: down",
			"--schemasync:down", "-- schemasync:Down",
			"-- schemasync:downn", "  -- SchemaSync : up" };
		size_t i;
		char text[128];

		for (i = 0; i < sizeof near / sizeof near[0]; i++) {
			snprintf(text, sizeof text, "-- schemasync:up\n"
			    "CREATE TABLE b (x int);\n%s\nDROP TABLE b;\n",
			    near[i]);
			ss_err_init(&err);
			ss_mig_file_init(&f);
			cr_expect_eq(ss_migration_parse("m.sql", text, &f,
			    &err), -SS_EUSAGE, "%s", near[i]);
			cr_expect_eq(err.loc.line, 3, "%s", near[i]);
			cr_expect(strstr(err.msg.s, "not a section marker") !=
			    NULL, "%s: %s", near[i], err.msg.s);
			ss_mig_file_release(&f);
			ss_err_release(&err);
		}
		/* Other comments are comments. */
		ss_err_init(&err);
		ss_mig_file_init(&f);
		cr_expect_eq(ss_migration_parse("m.sql", "-- schemasync "
		    "generate wrote this\n-- schemasync:up\n-- schemasync is "
		    "nice\n", &f, &err), 0, "%s", err.msg.s);
		ss_mig_file_release(&f);
		ss_err_release(&err);
		ss_err_init(&err);
	}

	/* Empty sections are fine: --empty writes them. */
	ss_mig_file_init(&f);
	cr_assert_eq(ss_migration_parse("m.sql", "-- schemasync:up\n\n"
	    "-- schemasync:down\n", &f, &err), 0);
	cr_assert_eq(f.nup + f.ndown, 0);
	ss_mig_file_release(&f);
}

Test(migrate, checksum)
{
	char a[17], b[17];

	/* FNV-1a 64's published test values. */
	cr_assert_eq(ss_fnv1a64("", 0), 0xcbf29ce484222325ULL);
	cr_assert_eq(ss_fnv1a64("a", 1), 0xaf63dc4c8601ec8cULL);
	ss_checksum_hex("abc", 3, a);
	ss_checksum_hex("abd", 3, b);
	cr_assert_eq(strlen(a), 16);
	cr_assert_str_neq(a, b);
	/* Text: a CRLF is an LF, a lone CR stays a byte of its own. */
	ss_checksum_text_hex("x;\r\ny;\r\n", 8, a, false);
	ss_checksum_hex("x;\ny;\n", 6, b);
	cr_assert_str_eq(a, b);
	ss_checksum_text_hex("x;\ry;\n", 6, a, false);
	ss_checksum_hex("x;y;\n", 5, b);
	cr_assert_str_neq(a, b);
	ss_checksum_hex("x;\ry;\n", 6, b);
	cr_assert_str_eq(a, b);
	/* ...or every line ends in CRLF, whichever it ended in. */
	ss_checksum_text_hex("x;\ny;\r\n", 7, a, true);
	ss_checksum_hex("x;\r\ny;\r\n", 8, b);
	cr_assert_str_eq(a, b);
}

/* "table>to" or "table.column>to", one line an entry. */
static void
renames_text(const struct ss_mig_renames *r, char *out, size_t n)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < r->n; i++)
		len += (size_t)snprintf(out + len, n - len, "%s%s%s>%s\n",
		    r->v[i].table, r->v[i].column ? "." : "",
		    r->v[i].column ? r->v[i].column : "", r->v[i].to);
}

Test(migrate, renames_compose)
{
	static const char *const sql[] = {
		"ALTER TABLE \"members\" RENAME TO \"people\"",
		"ALTER TABLE people RENAME COLUMN \"mail\" TO email",
		"alter table if exists only public.people rename to users",
		"ALTER TABLE users RENAME email TO e_mail",
		"ALTER TABLE \"t__ss_new\" RENAME TO \"t\"",
		"ALTER TABLE t RENAME TO t2",
		"ALTER TABLE t2 RENAME TO t",
		"ALTER TABLE x RENAME CONSTRAINT a TO b",
		"ALTER TABLE x RENAME TO y, ADD COLUMN z integer",
		"ALTER INDEX i RENAME TO j",
		"DROP TABLE x",
	};
	struct ss_mig_renames r;
	char got[512];
	size_t i;

	ss_mig_renames_init(&r);
	for (i = 0; i < sizeof sql / sizeof *sql; i++)
		ss_mig_renames_add(&r, sql[i], false);
	ss_mig_renames_finish(&r);
	renames_text(&r, got, sizeof got);
	cr_expect_str_eq(got, "members>users\n"
	    "members.mail>e_mail\n"
	    "t__ss_new>t\n");
	ss_mig_renames_release(&r);
	/* PostgreSQL folds a bare name; a quoted one keeps its case. */
	ss_mig_renames_init(&r);
	ss_mig_renames_add(&r, "ALTER TABLE People RENAME TO \"Users\"", true);
	ss_mig_renames_add(&r, "ALTER TABLE \"Users\" RENAME Mail TO eMail",
	    true);
	ss_mig_renames_finish(&r);
	renames_text(&r, got, sizeof got);
	cr_expect_str_eq(got, "people>Users\npeople.mail>email\n");
	ss_mig_renames_release(&r);
}

/* The renames, then "-" and what is gone, of the statements sql. */
static void
follow(const char *const *sql, size_t n, bool lower, char *out, size_t size)
{
	struct ss_mig_renames r;
	size_t i, len;

	ss_mig_renames_init(&r);
	for (i = 0; i < n; i++)
		ss_mig_renames_add(&r, sql[i], lower);
	ss_mig_renames_finish(&r);
	renames_text(&r, out, size);
	len = strlen(out);
	for (i = 0; i < r.ngone; i++)
		len += (size_t)snprintf(out + len, size - len, "-%s%s%s\n",
		    r.gone[i].table, r.gone[i].column ? "." : "",
		    r.gone[i].column ? r.gone[i].column : "");
	ss_mig_renames_release(&r);
}

#define FOLLOW(lower, want, ...) do { \
	static const char *const sql_[] = { __VA_ARGS__ }; \
	char got_[512]; \
	follow(sql_, sizeof sql_ / sizeof *sql_, lower, got_, sizeof got_); \
	cr_expect_str_eq(got_, want, "%s", sql_[0]); \
} while (0)

Test(migrate, renames_follow_drops_and_copies)
{
	/* A rename onto a dropped name: the dropped table is gone. */
	FOLLOW(false, "b>a\n-a\n", "DROP TABLE a", "ALTER TABLE b RENAME TO a");
	/* ...and dropped again: both are gone, whatever is made after. */
	FOLLOW(false, "-a\n-b\n", "DROP TABLE a", "ALTER TABLE b RENAME TO a",
	    "DROP TABLE a", "CREATE TABLE a (id integer)");
	/* The same with columns, and a column of a renamed table. */
	FOLLOW(false, "t.y>x\n-t.x\n", "ALTER TABLE t DROP COLUMN x",
	    "ALTER TABLE t RENAME COLUMN y TO x");
	FOLLOW(false, "-t.x\n-t.y\n", "ALTER TABLE t DROP COLUMN x",
	    "ALTER TABLE t RENAME COLUMN y TO x", "ALTER TABLE t DROP x",
	    "ALTER TABLE t ADD COLUMN x text");
	FOLLOW(true, "t>u\n-t.a\n", "ALTER TABLE t RENAME TO u",
	    "ALTER TABLE u DROP COLUMN IF EXISTS a, ADD COLUMN b integer, "
	    "DROP CONSTRAINT k");
	/* A SQLite rebuild copies the rows: nothing is gone. */
	FOLLOW(false, "", "CREATE TABLE \"a__ss_new\" (\"id\" INTEGER)",
	    "INSERT INTO \"a__ss_new\" (\"id\") SELECT \"id\" FROM \"a\"",
	    "DROP TABLE \"a\"", "PRAGMA legacy_alter_table = ON",
	    "ALTER TABLE \"a__ss_new\" RENAME TO \"a\"");
	/* A column renamed before a rebuild: the copy has it renamed. */
	FOLLOW(false, "t.aa>a\n-t.x\n", "ALTER TABLE \"t\" RENAME COLUMN \"aa\" TO \"a\"",
	    "ALTER TABLE t DROP COLUMN x",
	    "CREATE TABLE \"t__ss_new\" (\"id\" INTEGER, \"a\" TEXT)",
	    "INSERT INTO \"t__ss_new\" (\"id\", \"a\") SELECT \"id\", \"a\" FROM \"t\"",
	    "DROP TABLE \"t\"", "ALTER TABLE \"t__ss_new\" RENAME TO \"t\"");
	/* A copy under another name keeps the data; an emptied one not. */
	FOLLOW(false, "a>c\n", "CREATE TABLE c (id integer)",
	    "INSERT INTO c SELECT * FROM a", "DROP TABLE a");
	FOLLOW(false, "-a\n", "CREATE TABLE c (id integer)",
	    "INSERT INTO c VALUES (1)", "DROP TABLE a");
	/* A swap through a third name, that name in another case (SQLite
	 * compares names in any case). */
	FOLLOW(false, "a>b\nb>a\n", "ALTER TABLE a RENAME TO t",
	    "ALTER TABLE b RENAME TO a", "ALTER TABLE T RENAME TO b");
	/* A name left by a rename refers to no table of before. */
	FOLLOW(false, "a>t\n", "ALTER TABLE a RENAME TO t",
	    "ALTER TABLE a RENAME TO z");
	/* Several tables dropped at once. */
	FOLLOW(true, "-a\n-b\n", "DROP TABLE IF EXISTS a, b CASCADE");
}
