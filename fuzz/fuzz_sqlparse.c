/*
 * libFuzzer target for src/sqlparse.c: the tokenizer, the CREATE
 * TABLE / CREATE INDEX parsers, ss_sql_same_expr, ss_sql_unparen and
 * the verbatim-fragment checks, on any bytes. Besides crashes it
 * checks what must hold:
 *  - ss_sql_same_expr(s, s) for every s;
 *  - a fragment accepted as an expression, ended with a newline when it
 *    has a -- comment (as the loader stores it), stays one expression
 *    inside parentheses, and adding ')' or ';' makes it not one;
 *  - SQLite itself agrees: "SELECT (fragment)" prepares as exactly one
 *    statement, or not at all, never as one with more after it.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss/sqlparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *db;

static void
die(const char *what, const char *text)
{
	fprintf(stderr, "fuzz_sqlparse: %s\n--- text ---\n%s\n", what, text);
	abort();
}

static int
expr(const char *s, size_t len, unsigned readings, struct ss_sqlfrag *f)
{
	struct ss_buf why = SS_BUF_INIT;
	int r = ss_sql_check_expr(s, len, readings, f, &why);

	if (r < 0 && why.len == 0)
		die("refused without a reason", s);
	ss_buf_release(&why);
	return r;
}

/* Whether what follows SQLite's first statement is only space or
 * comments. */
static bool
rest_is_empty(const char *tail)
{
	struct ss_sqllex lx;
	struct ss_sqltok t;

	ss_sqllex_init(&lx, tail, strlen(tail));
	ss_sqllex_next(&lx, &t);
	return t.kind == SS_TOK_END;
}

static void
fragment(const char *s, size_t len)
{
	struct ss_buf b = SS_BUF_INIT;
	struct ss_sqlfrag f, g;
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	struct ss_buf why = SS_BUF_INIT;

	(void)ss_sql_check_type(s, len, SS_SQLREAD_ALL, &g, &why);
	ss_buf_release(&why);
	if (expr(s, len, SS_SQLREAD_SQLITE, &f) == 0) {
		ss_buf_add(&b, s, len);
		if (f.line_comment)
			ss_buf_addc(&b, '\n');
		if (db != NULL) {
			struct ss_buf q = SS_BUF_INIT;
			ss_buf_addf(&q, "SELECT (%s)", b.s);
			if (sqlite3_prepare_v2(db, q.s, (int)q.len, &st,
			    &tail) == SQLITE_OK && tail != NULL &&
			    !rest_is_empty(tail))
				die("SQLite reads more than one statement", q.s);
			sqlite3_finalize(st);
			ss_buf_release(&q);
		}
	}
	if (expr(s, len, SS_SQLREAD_ALL, &f) == 0) {
		ss_buf_reset(&b);
		ss_buf_addc(&b, '(');
		ss_buf_add(&b, s, len);
		if (f.line_comment)
			ss_buf_addc(&b, '\n');
		ss_buf_addc(&b, ')');
		if (expr(b.s, b.len, SS_SQLREAD_ALL, &g) < 0)
			die("accepted, but not inside parentheses", b.s);
		ss_buf_addc(&b, ')');
		if (expr(b.s, b.len, SS_SQLREAD_ALL, &g) == 0)
			die("accepted with a ')' too many", b.s);
		b.s[b.len - 1] = ';';
		if (expr(b.s, b.len, SS_SQLREAD_ALL, &g) == 0)
			die("accepted with a ';' after it", b.s);
	}
	ss_buf_release(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ss_arena a = SS_ARENA_INIT;
	struct ss_buf why = SS_BUF_INIT;
	struct ss_sqlp_table t;
	struct ss_sqlp_index ix;
	struct ss_sqllex lx;
	struct ss_sqltok tok;
	char *s;

	if (db == NULL && sqlite3_open(":memory:", &db) != SQLITE_OK)
		db = NULL;
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	fragment(s, size);	/* the bytes as they are, NUL and all */
	ss_sqllex_init(&lx, s, size);
	do {
		ss_sqllex_next(&lx, &tok);
		if (tok.kind != SS_TOK_END)
			(void)ss_sqltok_value(&a, &tok);
	} while (tok.kind != SS_TOK_END);
	if (!ss_sql_same_expr(s, s))
		die("an expression is not the same as itself", s);
	(void)ss_sql_unparen(&a, s);
	(void)ss_sql_has_line_comment(s);
	memset(&t, 0, sizeof t);
	(void)ss_sqlp_create_table(&a, s, &t, &why);
	ss_buf_reset(&why);
	memset(&ix, 0, sizeof ix);
	(void)ss_sqlp_create_index(&a, s, &ix, &why);
	ss_buf_release(&why);
	ss_arena_release(&a);
	free(s);
	return 0;
}
