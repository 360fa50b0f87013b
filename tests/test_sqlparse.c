/*
 * Tokenizer and CREATE TABLE / CREATE INDEX parser (src/sqlparse.c).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

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
