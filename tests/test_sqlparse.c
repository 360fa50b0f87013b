/*
 * Tokenizer and CREATE TABLE / CREATE INDEX parser (src/sqlparse.c).
 */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "pg_helper.h"
#include "ss/sqlparse.h"

static struct ss_arena A;
static struct ss_buf why;

static void
setup(void)
{
	ss_arena_init(&A);
	ss_buf_init(&why);
}

static void
teardown(void)
{
	ss_arena_release(&A);
	ss_buf_release(&why);
}

TestSuite(sqlparse, .init = setup, .fini = teardown);

/* The kinds and texts of every token of s, "KIND:text" joined by ' '. */
static char *
tokens(const char *s)
{
	static const char *const kinds[] = { "END", "WORD", "QUOTED",
		"STRING", "NUMBER", "BLOB", "VAR", "PUNCT", "ERROR" };
	struct ss_buf b = SS_BUF_INIT;
	struct ss_sqllex lx;
	struct ss_sqltok t;
	char *r;

	ss_sqllex_init(&lx, s, strlen(s));
	for (;;) {
		ss_sqllex_next(&lx, &t);
		if (t.kind == SS_TOK_END)
			break;
		ss_buf_addf(&b, "%s%s:%.*s", b.len ? " " : "", kinds[t.kind],
		    (int)t.len, t.p);
		if (t.kind == SS_TOK_ERROR)
			break;
	}
	r = ss_arena_strdup(&A, b.s);
	ss_buf_release(&b);
	return r;
}

Test(sqlparse, tokens_of_every_kind)
{
	cr_assert_str_eq(tokens("a \"b\"\"c\" [d e] `f``g` 'h''i' 12 1.5e3 .5 "
	    "0x1F x'00ff' ?1 :n || <= -> ->> ("),
	    "WORD:a QUOTED:\"b\"\"c\" QUOTED:[d e] QUOTED:`f``g` "
	    "STRING:'h''i' NUMBER:12 NUMBER:1.5e3 NUMBER:.5 NUMBER:0x1F "
	    "BLOB:x'00ff' VAR:?1 VAR::n PUNCT:|| PUNCT:<= PUNCT:-> "
	    "PUNCT:->> PUNCT:(");
}

Test(sqlparse, comments_are_skipped)
{
	cr_assert_str_eq(tokens("a -- one ) two\n/* three ) */b/* to the end"),
	    "WORD:a WORD:b");
	cr_assert_str_eq(tokens("a-b"), "WORD:a PUNCT:- WORD:b");
	cr_assert_str_eq(tokens("a/b"), "WORD:a PUNCT:/ WORD:b");
}

Test(sqlparse, unterminated_quotes_are_errors)
{
	cr_assert_str_eq(tokens("a 'oops"), "WORD:a ERROR:'oops");
	cr_assert_str_eq(tokens("\"oops"), "ERROR:\"oops");
	cr_assert_str_eq(tokens("[oops"), "ERROR:[oops");
	cr_assert_str_eq(tokens("12abc"), "ERROR:12abc");
}

Test(sqlparse, token_values_are_unquoted)
{
	struct ss_sqllex lx;
	struct ss_sqltok t;
	const char *s = "\"x\"\"y\" [a\"b] `c``d` 'it''s' Bare";
	const char *want[] = { "x\"y", "a\"b", "c`d", "it's", "Bare" };
	size_t i;

	ss_sqllex_init(&lx, s, strlen(s));
	for (i = 0; i < 5; i++) {
		ss_sqllex_next(&lx, &t);
		cr_assert_str_eq(ss_sqltok_value(&A, &t), want[i]);
	}
}

Test(sqlparse, same_expr_ignores_space_comments_case_quoting)
{
	cr_assert(ss_sql_same_expr("karma >= 0", "karma>=0 -- positive"));
	cr_assert(ss_sql_same_expr("\"karma\" >= 0", "[karma] >= 0"));
	cr_assert(ss_sql_same_expr("a IS NOT NULL", "a is not null"));
	cr_assert(!ss_sql_same_expr("karma >= 0", "karma > 0"));
	cr_assert(!ss_sql_same_expr("a = 'x'", "a = 'X'"));
	cr_assert(!ss_sql_same_expr("a = 'x'", "a = \"x\""));
	cr_assert(!ss_sql_same_expr("a", "a b"));
}

Test(sqlparse, unparen_takes_one_whole_group_only)
{
	cr_assert_str_eq(ss_sql_unparen(&A, "(datetime('now'))"),
	    "datetime('now')");
	cr_assert_str_eq(ss_sql_unparen(&A, " ( (1 + 2) ) "), "(1 + 2)");
	cr_assert_null(ss_sql_unparen(&A, "(a) + (b)"));
	cr_assert_null(ss_sql_unparen(&A, "a"));
	cr_assert_null(ss_sql_unparen(&A, "()"));
	cr_assert_str_eq(ss_sql_unparen(&A, "(')')"), "')'");
}

Test(sqlparse, line_comment_and_decimal)
{
	cr_assert(ss_sql_has_line_comment("a > 0 -- why"));
	cr_assert(!ss_sql_has_line_comment("a > 0 /* why */"));
	cr_assert(!ss_sql_has_line_comment("a = '--'"));
	cr_assert(ss_sql_is_decimal("-1.5e3"));
	cr_assert(ss_sql_is_decimal("+7"));
	cr_assert(!ss_sql_is_decimal("0x1F"));
	cr_assert(!ss_sql_is_decimal("1; DROP"));
	cr_assert(!ss_sql_is_decimal(""));
}

Test(sqlparse, create_table_columns_and_constraints)
{
	struct ss_sqlp_table t;
	const char *sql =
	    "CREATE TABLE IF NOT EXISTS main.[My Table] (\n"
	    "  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
	    "  `name` VARCHAR (45) NOT NULL COLLATE NOCASE UNIQUE,\n"
	    "  'price' DECIMAL(5, 2) DEFAULT -4.99 CHECK (price > (0)),\n"
	    "  kind TEXT CONSTRAINT kinds CHECK (kind IN ('a', 'b')),\n"
	    "  note BLOB SUB_TYPE TEXT DEFAULT (lower('X')), -- a comment )\n"
	    "  at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,\n"
	    "  owner INT REFERENCES users ON DELETE SET NULL NOT NULL,\n"
	    "  untyped,\n"
	    "  CONSTRAINT \"u\"\"q\" UNIQUE (name, kind),\n"
	    "  CHECK (length(name) > 0),\n"
	    "  CONSTRAINT fk FOREIGN KEY (owner, kind) REFERENCES [Users] "
	    "(id, k) ON UPDATE CASCADE ON DELETE NO ACTION "
	    "DEFERRABLE INITIALLY DEFERRED\n"
	    ");";

	cr_assert_eq(ss_sqlp_create_table(&A, sql, &t, &why), 0, "%s", why.s);
	cr_assert_str_eq(t.name, "My Table");
	cr_assert_eq(t.ncolumns, 8);
	cr_assert_str_eq(t.columns[0].name, "id");
	cr_assert_str_eq(t.columns[0].type, "INTEGER");
	cr_assert(t.columns[0].not_null && t.columns[0].primary_key &&
	    t.columns[0].autoincrement);
	cr_assert_str_eq(t.columns[1].name, "name");
	cr_assert_str_eq(t.columns[1].type, "VARCHAR (45)");
	cr_assert_str_eq(t.columns[1].collate, "NOCASE");
	cr_assert(t.columns[1].unique);
	cr_assert_str_eq(t.columns[2].name, "price");
	cr_assert_str_eq(t.columns[2].type, "DECIMAL(5, 2)");
	cr_assert_str_eq(t.columns[2].default_expr, "-4.99");
	cr_assert_eq(t.columns[2].nchecks, 1);
	cr_assert_str_eq(t.columns[2].checks[0].expr, "price > (0)");
	cr_assert_null(t.columns[2].checks[0].name);
	cr_assert_str_eq(t.columns[3].checks[0].name, "kinds");
	cr_assert_str_eq(t.columns[3].checks[0].expr, "kind IN ('a', 'b')");
	cr_assert_str_eq(t.columns[4].type, "BLOB SUB_TYPE TEXT");
	cr_assert_str_eq(t.columns[4].default_expr, "(lower('X'))");
	cr_assert_str_eq(t.columns[5].default_expr, "CURRENT_TIMESTAMP");
	cr_assert(t.columns[6].not_null);
	cr_assert_str_eq(t.columns[7].name, "untyped");
	cr_assert_str_eq(t.columns[7].type, "");

	cr_assert_not_null(t.pk);
	cr_assert(t.pk->autoincrement && t.pk->from_column);
	cr_assert_eq(t.nuniques, 2);
	cr_assert(t.uniques[0].from_column);
	cr_assert_str_eq(t.uniques[1].name, "u\"q");
	cr_assert_eq(t.uniques[1].columns.n, 2);
	cr_assert_eq(t.nchecks, 1);
	cr_assert_null(t.checks[0].name);
	cr_assert_str_eq(t.checks[0].expr, "length(name) > 0");

	cr_assert_eq(t.nfks, 2);
	cr_assert_str_eq(t.fks[0].columns.v[0], "owner");
	cr_assert_str_eq(t.fks[0].ref_table, "users");
	cr_assert_eq(t.fks[0].ref_columns.n, 0);
	cr_assert_eq(t.fks[0].on_delete, SS_SQLP_SET_NULL);
	cr_assert_str_eq(t.fks[1].name, "fk");
	cr_assert_str_eq(t.fks[1].ref_table, "Users");
	cr_assert_eq(t.fks[1].ref_columns.n, 2);
	cr_assert_eq(t.fks[1].on_update, SS_SQLP_CASCADE);
	cr_assert_eq(t.fks[1].on_delete, SS_SQLP_NO_ACTION);
}

Test(sqlparse, odd_table_name_is_just_a_name)
{
	struct ss_sqlp_table t;
	struct ss_sqlp_index ix;

	cr_assert_eq(ss_sqlp_create_table(&A, "CREATE TABLE \"x\"\"; DROP "
	    "TABLE users; --\" (\"a\"\"b\" TEXT, [c]] INT)", &t, &why), -1);
	ss_buf_reset(&why);
	cr_assert_eq(ss_sqlp_create_table(&A, "CREATE TABLE \"x\"\"; DROP "
	    "TABLE users; --\" (\"a\"\"b\" TEXT)", &t, &why), 0, "%s", why.s);
	cr_assert_str_eq(t.name, "x\"; DROP TABLE users; --");
	cr_assert_str_eq(t.columns[0].name, "a\"b");
	cr_assert_eq(ss_sqlp_create_index(&A, "CREATE INDEX \"i\" ON "
	    "\"x\"\"; DROP TABLE users; --\" (\"a\"\"b\")", &ix, &why), 0);
	cr_assert_str_eq(ix.table, "x\"; DROP TABLE users; --");
	cr_assert_str_eq(ix.entries[0].column, "a\"b");
}

Test(sqlparse, keywords_in_quotes_are_columns)
{
	struct ss_sqlp_table t;

	cr_assert_eq(ss_sqlp_create_table(&A, "CREATE TABLE t (\"primary\" "
	    "INT, [check] TEXT, `unique` BLOB, key TEXT, Lock CHAR(1) NOT NULL "
	    "DEFAULT 'X' UNIQUE, CHECK (Lock='X')) WITHOUT ROWID, STRICT",
	    &t, &why), 0, "%s", why.s);
	cr_assert_eq(t.ncolumns, 5);
	cr_assert_str_eq(t.columns[0].name, "primary");
	cr_assert_str_eq(t.columns[1].name, "check");
	cr_assert_str_eq(t.columns[2].name, "unique");
	cr_assert_str_eq(t.columns[3].name, "key");
	cr_assert_str_eq(t.columns[4].default_expr, "'X'");
	cr_assert(t.without_rowid && t.strict);
	cr_assert_eq(t.nchecks, 1);
}

Test(sqlparse, table_primary_key_with_autoincrement_and_order)
{
	struct ss_sqlp_table t;

	cr_assert_eq(ss_sqlp_create_table(&A, "CREATE TABLE t (a INTEGER, "
	    "b INT, CONSTRAINT [PK_t] PRIMARY KEY (a DESC AUTOINCREMENT) ON "
	    "CONFLICT REPLACE)", &t, &why), 0, "%s", why.s);
	cr_assert_str_eq(t.pk->name, "PK_t");
	cr_assert(t.pk->autoincrement);
	cr_assert(!t.pk->from_column);
}

Test(sqlparse, table_constraints_without_commas)
{
	struct ss_sqlp_table t;

	cr_assert_eq(ss_sqlp_create_table(&A, "CREATE TABLE t (a INT, b INT, "
	    "UNIQUE (a) CHECK (a > 0) CONSTRAINT f FOREIGN KEY (b) "
	    "REFERENCES u, PRIMARY KEY (a, b))", &t, &why), 0, "%s", why.s);
	cr_assert_eq(t.nuniques, 1);
	cr_assert_eq(t.nchecks, 1);
	cr_assert_eq(t.nfks, 1);
	cr_assert_str_eq(t.fks[0].name, "f");
	cr_assert_eq(t.pk->columns.n, 2);
}

Test(sqlparse, virtual_table)
{
	struct ss_sqlp_table t;

	cr_assert_eq(ss_sqlp_create_table(&A, "CREATE VIRTUAL TABLE s USING "
	    "fts4 ( a, b, key )\n/* s(a,b,\"key\") */", &t, &why), 0, "%s",
	    why.s);
	cr_assert(t.is_virtual);
	cr_assert_str_eq(t.module, "fts4");
}

Test(sqlparse, malformed_tables_say_where)
{
	struct ss_sqlp_table t;

	cr_assert_eq(ss_sqlp_create_table(&A, "CREATE TABLE t (a INT", &t,
	    &why), -1);
	cr_assert(strstr(why.s, "')'") != NULL, "%s", why.s);
	ss_buf_reset(&why);
	cr_assert_eq(ss_sqlp_create_table(&A, "CREATE TABLE t (a INT "
	    "CHECK (a > 0)", &t, &why), -1);
	ss_buf_reset(&why);
	cr_assert_eq(ss_sqlp_create_table(&A, "CREATE TABLE t (a 'x)", &t,
	    &why), -1);
	cr_assert(strstr(why.s, "malformed") != NULL, "%s", why.s);
	ss_buf_reset(&why);
	cr_assert_eq(ss_sqlp_create_table(&A, "CREATE TABLE t (a) x", &t,
	    &why), -1);
	ss_buf_reset(&why);
	cr_assert_eq(ss_sqlp_create_table(&A, "CREATE TABLE t (a INT, "
	    "PRIMARY KEY (a), PRIMARY KEY (a))", &t, &why), -1);
	ss_buf_reset(&why);
	cr_assert_eq(ss_sqlp_create_table(&A, "", &t, &why), -1);
}

Test(sqlparse, create_index_entries_and_where)
{
	struct ss_sqlp_index ix;

	cr_assert_eq(ss_sqlp_create_index(&A, "CREATE UNIQUE INDEX IF NOT "
	    "EXISTS \"ix\" ON [t] ( [a] , lower( b ) , c DESC, \"d\" COLLATE "
	    "nocase ) WHERE c IS NOT NULL AND (d <> ',') -- tail\n;", &ix,
	    &why), 0, "%s", why.s);
	cr_assert(ix.unique);
	cr_assert_str_eq(ix.name, "ix");
	cr_assert_str_eq(ix.table, "t");
	cr_assert_eq(ix.nentries, 4);
	cr_assert_str_eq(ix.entries[0].column, "a");
	cr_assert_str_eq(ix.entries[0].text, "[a]");
	cr_assert_null(ix.entries[1].column);
	cr_assert_str_eq(ix.entries[1].text, "lower( b )");
	cr_assert_null(ix.entries[2].column);
	cr_assert_str_eq(ix.entries[2].text, "c DESC");
	cr_assert_str_eq(ix.entries[3].text, "\"d\" COLLATE nocase");
	cr_assert_str_eq(ix.where, "c IS NOT NULL AND (d <> ',') -- tail");
}

Test(sqlparse, create_index_malformed)
{
	struct ss_sqlp_index ix;

	cr_assert_eq(ss_sqlp_create_index(&A, "CREATE INDEX i ON t (a,)",
	    &ix, &why), -1);
	ss_buf_reset(&why);
	cr_assert_eq(ss_sqlp_create_index(&A, "CREATE INDEX i ON t (a) "
	    "WHERE", &ix, &why), -1);
	ss_buf_reset(&why);
	cr_assert_eq(ss_sqlp_create_index(&A, "CREATE INDEX i t (a)", &ix,
	    &why), -1);
}

/* Every prefix of a valid statement is either valid or an error with a
 * message: never a crash or a read past the end (run under ASan). */
Test(sqlparse, every_prefix_fails_cleanly)
{
	static const char *const stmts[] = {
		"CREATE TABLE \"t\" (\n  \"id\" INTEGER NOT NULL PRIMARY KEY "
		"AUTOINCREMENT,\n  [b] VARCHAR(5, 2) DEFAULT -1 CHECK (b IN "
		"('x', 'y')) REFERENCES u (id) ON DELETE SET NULL NOT "
		"DEFERRABLE,\n  c DEFAULT (lower('a)')) /* ) */ COLLATE nocase,"
		"\n  CONSTRAINT k UNIQUE (b, c) ON CONFLICT IGNORE,\n  CHECK "
		"(c <> '' -- x\n)\n) WITHOUT ROWID;",
		"CREATE UNIQUE INDEX IF NOT EXISTS main.i ON t (a, lower(b), "
		"c COLLATE x DESC) WHERE a > 0 AND b = 'q';",
	};
	struct ss_sqlp_table t;
	struct ss_sqlp_index ix;
	size_t i, n;
	char *buf;
	int r;

	for (i = 0; i < 2; i++) {
		for (n = 0; n <= strlen(stmts[i]); n++) {
			buf = strndup(stmts[i], n);	/* exact-size heap copy */
			ss_buf_reset(&why);
			r = i == 0 ? ss_sqlp_create_table(&A, buf, &t, &why) :
			    ss_sqlp_create_index(&A, buf, &ix, &why);
			cr_assert(r == 0 || (r == -1 && why.len > 0),
			    "prefix %zu of statement %zu", n, i);
			free(buf);
		}
		cr_assert_eq(r, 0, "statement %zu: %s", i, why.s);
	}
}

/* Verbatim fragments. */

static int
expr_in(const char *s, unsigned readings)
{
	struct ss_sqlfrag f;

	ss_buf_reset(&why);
	return ss_sql_check_expr(s, strlen(s), readings, &f, &why);
}

static int
expr(const char *s)
{
	return expr_in(s, SS_SQLREAD_ALL);
}

static int
type(const char *s)
{
	struct ss_sqlfrag f;

	ss_buf_reset(&why);
	return ss_sql_check_type(s, strlen(s), SS_SQLREAD_ALL, &f, &why);
}

Test(sqlparse, fragment_accepts_real_expressions)
{
	static const char *const ok[] = {
		/* From schemas/ and tests/fixtures/. */
		"status IN ('a','b')", "plan IN ('free', 'team', 'enterprise')",
		"seats > 0", "lower(email)", "now()", "CURRENT_TIMESTAMP",
		"status <> 'published' OR published_at IS NOT NULL",
		"length(body) > 0", "a BETWEEN 1 AND 100 OR b LIKE 'x%'",
		"\"Mixed Case\" <> 13", "\"select\" > 0",
		"length(code) <= 20 -- short codes", "datetime('now')",
		"lower(hex(randomblob(16)))", "(1 + 2)", "'[]'::jsonb",
		"gen_random_uuid()", "1 + 2", "LOCALTIMESTAMP",
		"status IN ('published') AND body IS NOT NULL",
		/* Quotes that hold what would otherwise end the statement. */
		"'it''s'", "'a;b'", "'(' || ')'", "\"a;b\" > 0", "x /* ; ) */ + 1",
		"'x'::varchar(10)", "email ~ '^[^@]+@[^@]+$'", "E'it''s'",
		"1.5e3 + .5 - 0x1F", "a -- one\n+ b", "[odd name] > 0",
		"ARRAY['a', 'b']", "$1", "-1",
		NULL
	};
	size_t i;

	for (i = 0; ok[i] != NULL; i++)
		cr_expect_eq(expr(ok[i]), 0, "%s: %s", ok[i], why.s);
}

Test(sqlparse, fragment_refuses_what_would_end_the_statement)
{
	static const char *const bad[] = {
		"1)); DELETE FROM victim; CREATE TABLE zz (x int DEFAULT (1",
		"1; DELETE FROM victim", "(1; 2)", "a)", ") OR (1 = 1",
		"(a", "lower(a", "'unterminated", "\"unterminated",
		"1 /* unterminated", "1 /* nested /* */ in PostgreSQL",
		"[unterminated", "`unterminated", "$$unterminated",
		"", "   ", "-- only a comment", "/* only */",
		/* PostgreSQL with standard_conforming_strings off: the
		 * backslash escapes the quote, so the ';' is outside. */
		"'\\'; DELETE FROM victim; SELECT '",
		/* E'' always escapes; SQLite never. */
		"E'it\\'s'",
		"E'\\'' ; DELETE FROM victim; SELECT 1",
		/* B'' never does, even then. */
		"'\\'' || B'\\' ; DELETE FROM v; SELECT '",
		/* A dollar quote in PostgreSQL is a variable in SQLite. */
		"$$x;y$$", "$a$ ) $a$",
		/* SQLite's Tcl variable hides the ')' from a plain scan. */
		"$a(x ) ; DELETE FROM victim", "f($a(()))",
		/* A number run into a dollar quote. */
		"0x1F$$ ; DELETE FROM v; SELECT $$",
		"1$$;$$", "$1$$;$$",
		NULL
	};
	size_t i;

	for (i = 0; bad[i] != NULL; i++) {
		cr_expect_eq(expr(bad[i]), -1, "accepted: %s", bad[i]);
		cr_expect_neq(why.len, 0, "%s: no reason", bad[i]);
	}
}

Test(sqlparse, fragment_readings_differ)
{
	/* PostgreSQL alone takes dollar quotes; SQLite alone [names]. */
	cr_expect_eq(expr_in("$$x;y$$", SS_SQLREAD_PG), 0, "%s", why.s);
	cr_expect_eq(expr_in("$tag$it's (;$tag$", SS_SQLREAD_PG), 0, "%s",
	    why.s);
	cr_expect_eq(expr_in("$$x;y$$", SS_SQLREAD_SQLITE), -1);
	cr_expect_eq(expr_in("[a;b] > 0", SS_SQLREAD_SQLITE), 0, "%s", why.s);
	cr_expect_eq(expr_in("[a;b] > 0", SS_SQLREAD_PG), -1);
	/* "$a(()" is one token to SQLite: the last ')' closes nothing. */
	cr_expect_eq(expr_in("f($a(()))", SS_SQLREAD_PG), 0, "%s", why.s);
	cr_expect_eq(expr_in("f($a(()))", SS_SQLREAD_SQLITE), -1);
	/* One reading refuses: the message says which. */
	cr_expect_eq(expr("$$x;y$$"), -1);
	cr_expect_str_eq(why.s, "';' outside quotes would end the statement "
	    "(at character 4, as SQLite reads it)");
	cr_expect_eq(expr("'\\'' ; x '"), -1);
	cr_expect_str_eq(why.s, "';' outside quotes would end the statement "
	    "(at character 6, as PostgreSQL with standard_conforming_strings "
	    "off reads it)");
	/* Every reading refuses: no note. */
	cr_expect_eq(expr("1)); DELETE FROM victim"), -1);
	cr_expect_str_eq(why.s, "')' closes a parenthesis that is not open "
	    "(at character 2)");
	cr_expect_eq(expr("f(a, (b)"), -1);
	cr_expect_str_eq(why.s, "'(' is never closed (at character 2)");
	cr_expect_eq(expr("'é' ;"), -1);
	cr_expect_str_eq(why.s, "';' outside quotes would end the statement "
	    "(at character 5)");
}

Test(sqlparse, fragment_nul_and_line_comment)
{
	struct ss_sqlfrag f;

	cr_expect_eq(ss_sql_check_expr("1\0; x", 5, SS_SQLREAD_ALL, &f, &why),
	    -1);
	cr_expect_eq(f.off, 1);
	ss_buf_reset(&why);
	cr_expect_eq(ss_sql_check_expr("a > 0 -- c", 10, SS_SQLREAD_ALL, &f,
	    &why), 0);
	cr_expect(f.line_comment);
	cr_expect_eq(ss_sql_check_expr("'--'", 4, SS_SQLREAD_ALL, &f, &why), 0);
	cr_expect(!f.line_comment);
	/* PostgreSQL ends a -- comment at \r, SQLite only at \n. */
	cr_expect_eq(ss_sql_check_expr("a -- c\r; b", 10, SS_SQLREAD_ALL, &f,
	    &why), -1);
}

Test(sqlparse, fragment_types)
{
	static const char *const ok[] = {
		"integer", "double precision", "numeric(10, 2)", "varchar(20)",
		"character varying(20)[]", "int[3][3]", "text[]",
		"timestamp(3) with time zone", "public.citext", "\"MyType\"",
		"geometry(Point, 4326)", "NVARCHAR(160)", "UNSIGNED BIG INT",
		"Odd Enum", "VARCHAR (20)", "interval day to second(3)",
		"numeric(10, -2)",
		NULL
	};
	static const char *const bad[] = {
		"integer); DELETE FROM victim; CREATE TABLE zz (x int",
		"int; DELETE FROM victim", "int)", "numeric(10", "text -- c",
		"text /* c */", "'text'", "(10)", "", "int $$", "int[;]",
		"integer PRIMARY KEY", "text NOT NULL", "text DEFAULT 'x'",
		"int REFERENCES victim ON DELETE CASCADE", "text COLLATE \"C\"",
		"int CHECK (1)", "int, b int", "numeric($$)$$)", "x.$a(;)",
		"\"unterminated", "E'x'", "int4 + 1",
		NULL
	};
	size_t i;

	for (i = 0; ok[i] != NULL; i++)
		cr_expect_eq(type(ok[i]), 0, "%s: %s", ok[i], why.s);
	for (i = 0; bad[i] != NULL; i++)
		cr_expect_eq(type(bad[i]), -1, "accepted: %s", bad[i]);
	cr_expect_eq(type("integer PRIMARY KEY"), -1);
	cr_expect_str_eq(why.s, "a column constraint is not part of a type "
	    "(at character 9)");
}

/*
 * The databases themselves agree. Each fragment here is an attack: a
 * statement-ending core (close the parenthesis, ';', a DELETE, reopen)
 * between two pieces that one tokenizer or another reads as a quote, a
 * comment or a variable that would hide it (every pair of them, and
 * each doubled). Taking out any one reading of the check (SQLite's,
 * PostgreSQL's, or PostgreSQL's with standard_conforming_strings off)
 * or its E'' strings makes this fail. Every fragment the check accepts must be one statement
 * to PostgreSQL (PQprepare refuses "multiple commands", which it says
 * only when every statement parses), with standard_conforming_strings
 * on and off, and to SQLite (no text left after the first statement).
 */
Test(sqlparse, fragments_accepted_are_one_statement_to_the_databases)
{
	static const char *const hide[] = { "", "'", "'\\'", "'\\''",
		"''", "E'", "E'\\'", "E'\\''", "B'", "B'\\''", "U&'", "N'",
		"N'\\''", "\"", "$$", "$a$", "$1", "$a(", "$a(x", "--",
		"1 --\r", "\n", "\r", "/*", "*/", "/* /* */", "[", "]", "`",
		"x'", "::text", "1$$", "0x1F$$", " ", NULL };
	static const char *const core[] = {
		") ; DELETE FROM t ; SELECT (",
		"1) ; DELETE FROM t ; SELECT (1",
		") ; DELETE FROM t ; SELECT ('",
		NULL };
	struct ss_buf frag = SS_BUF_INIT, q = SS_BUF_INIT;
	size_t a, b, k, m;
	struct ss_sqlfrag f;
	sqlite3_stmt *st;
	const char *tail;
	sqlite3 *db;
	PGconn *c;
	PGresult *r;
	int scs, accepted = 0;

	c = PQconnectdb(ss_test_pg());
	cr_assert_eq(PQstatus(c), CONNECTION_OK, "%s", PQerrorMessage(c));
	PQclear(PQexec(c, "SET client_min_messages = error"));
	PQclear(PQexec(c, "CREATE TEMP TABLE t (x int)"));
	cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "CREATE TABLE t (x int)", NULL, NULL,
	    NULL), SQLITE_OK);
	for (a = 0; hide[a] != NULL; a++)
	for (b = 0; hide[b] != NULL; b++)
	for (k = 0; core[k] != NULL; k++)
	for (m = 1; m <= 2; m++) {
		ss_buf_reset(&frag);
		ss_buf_adds(&frag, hide[a]);
		if (m == 2)
			ss_buf_adds(&frag, hide[a]);
		ss_buf_adds(&frag, core[k]);
		ss_buf_adds(&frag, hide[b]);
		if (m == 2)
			ss_buf_adds(&frag, hide[b]);
		ss_buf_reset(&why);
		if (ss_sql_check_expr(frag.s, frag.len, SS_SQLREAD_ALL, &f,
		    &why) < 0)
			continue;
		accepted++;
		ss_buf_reset(&q);
		ss_buf_addf(&q, "SELECT (%s%s)", frag.s,
		    f.line_comment ? "\n" : "");
		for (scs = 0; scs < 2; scs++) {
			PQclear(PQexec(c, scs ? "SET standard_conforming_strings"
			    " = off" : "SET standard_conforming_strings = on"));
			r = PQprepare(c, "", q.s, 0, NULL);
			cr_expect(strstr(PQresultErrorMessage(r),
			    "multiple commands") == NULL, "PostgreSQL (scs %s) "
			    "reads two statements in: %s", scs ? "off" : "on",
			    q.s);
			PQclear(r);
		}
		if (sqlite3_prepare_v2(db, q.s, -1, &st, &tail) == SQLITE_OK)
			cr_expect(tail == NULL || *tail == '\0', "SQLite reads "
			    "two statements in: %s", q.s);
		sqlite3_finalize(st);
	}
	cr_expect_gt(accepted, 50);
	ss_buf_release(&frag);
	ss_buf_release(&q);
	sqlite3_close(db);
	PQfinish(c);
}

/* Deferrable foreign keys, MATCH, and what the parser reads past. */
Test(sqlparse, foreign_key_timing_match_and_skipped_clauses)
{
	struct ss_sqlp_table t;

	cr_assert_eq(ss_sqlp_create_table(&A, "CREATE TABLE t (id INTEGER "
	    "PRIMARY KEY ON CONFLICT REPLACE, a INT REFERENCES p MATCH FULL "
	    "DEFERRABLE INITIALLY DEFERRED, b INT REFERENCES p DEFERRABLE, "
	    "c INT REFERENCES p NOT DEFERRABLE INITIALLY IMMEDIATE, d INT "
	    "UNIQUE ON CONFLICT IGNORE, FOREIGN KEY (d) REFERENCES p (x) "
	    "DEFERRABLE INITIALLY IMMEDIATE)", &t, &why), 0, "%s", why.s);
	cr_assert_eq(t.nfks, 4);
	cr_expect(t.fks[0].deferrable && t.fks[0].initially_deferred);
	cr_expect_str_eq(t.fks[0].match, "FULL");
	cr_expect(t.fks[1].deferrable && !t.fks[1].initially_deferred);
	cr_expect_null(t.fks[1].match);
	cr_expect(!t.fks[2].deferrable && !t.fks[2].initially_deferred);
	cr_expect(t.fks[3].deferrable && !t.fks[3].initially_deferred);
	cr_assert_eq(t.skipped.n, 2);
	cr_expect_str_eq(t.skipped.v[0], "ON CONFLICT REPLACE");
	cr_expect_str_eq(t.skipped.v[1], "ON CONFLICT IGNORE");
}

/* Declared views. */

Test(sqlparse, a_query_mentions_names_as_words_or_quoted)
{
	const char *q = "SELECT u.email FROM \"Users\" u JOIN posts ON "
	    "posts.user_id = u.id WHERE u.note <> 'orders' -- audit\n";

	cr_expect(ss_sql_mentions(q, "users"));
	cr_expect(ss_sql_mentions(q, "Users"));
	cr_expect(ss_sql_mentions(q, "POSTS"));
	cr_expect(ss_sql_mentions(q, "email"));
	/* Not in a string, a comment or part of another name. */
	cr_expect(!ss_sql_mentions(q, "orders"));
	cr_expect(!ss_sql_mentions(q, "audit"));
	cr_expect(!ss_sql_mentions(q, "post"));
	cr_expect(!ss_sql_mentions(q, "user"));
	cr_expect(ss_sql_mentions("SELECT * FROM [odd name]", "odd name"));
	cr_expect(!ss_sql_mentions("", "x"));
}

Test(sqlparse, create_view_gives_its_query)
{
	const char *name, *query;
	bool cols;

	cr_assert_eq(ss_sqlp_create_view(&A, "CREATE VIEW \"a b\" AS\n"
	    "  SELECT 1 AS x ;\n", &name, &query, &cols, &why), 0, "%s", why.s);
	cr_expect_str_eq(name, "a b");
	cr_expect_str_eq(query, "SELECT 1 AS x");
	cr_expect(!cols);
	cr_assert_eq(ss_sqlp_create_view(&A, "create temp view if not exists "
	    "main.v (a, b) as select 1, (2)", &name, &query, &cols, &why), 0,
	    "%s", why.s);
	cr_expect_str_eq(name, "v");
	cr_expect_str_eq(query, "select 1, (2)");
	cr_expect(cols);
	cr_expect_eq(ss_sqlp_create_view(&A, "CREATE TABLE t (a)", &name,
	    &query, &cols, &why), -1);
	cr_expect_eq(ss_sqlp_create_view(&A, "CREATE VIEW v AS", &name,
	    &query, &cols, &why), -1);
}
