/* Tests for src/countsql.c: the count queries both dialects share. */
#include <criterion/criterion.h>
#include <string.h>

#include "ss/countsql.h"

static void
ident(struct ss_buf *b, const char *name)
{
	ss_buf_addf(b, "\"%s\"", name);
}

static void
term(struct ss_buf *b, const char *entry)
{
	ss_buf_adds(b, entry);
}

static const struct ss_sql_names names = { ident, term };

static const char *
sql_of(const struct ss_count_request *q)
{
	static struct ss_buf b;

	ss_buf_release(&b);
	ss_buf_init(&b);
	cr_assert(ss_count_sql(&b, q, &names), "kind %d has shared SQL", q->kind);
	return b.s;
}

Test(countsql, rows_nulls_and_values)
{
	struct ss_count_request q;

	memset(&q, 0, sizeof q);
	q.kind = SS_COUNT_ROWS;
	q.table = "users";
	cr_expect(strstr(sql_of(&q), "count(*)") != NULL, "%s", sql_of(&q));
	cr_expect(strstr(sql_of(&q), "FROM \"users\"") != NULL, "%s", sql_of(&q));
	q.kind = SS_COUNT_NULLS;
	q.column = "email";
	cr_expect(strstr(sql_of(&q), "\"email\" IS NULL") != NULL, "%s", sql_of(&q));
	q.kind = SS_COUNT_NONNULL;
	cr_expect(strstr(sql_of(&q), "\"email\" IS NOT NULL") != NULL, "%s", sql_of(&q));
}

Test(countsql, dialect_kinds_have_none)
{
	struct ss_count_request q;
	struct ss_buf b = SS_BUF_INIT;

	memset(&q, 0, sizeof q);
	q.kind = SS_COUNT_LOSSY;
	q.table = "t";
	q.column = "c";
	cr_expect(!ss_count_sql(&b, &q, &names));
	cr_expect_eq(b.len, 0, "nothing appended");
	q.kind = SS_COUNT_ENUM_VALUE;
	cr_expect(!ss_count_sql(&b, &q, &names));
	/* Counts over the user's own expressions may fail: tolerated. */
	cr_expect(ss_count_tolerant(SS_COUNT_CHECK));
	cr_expect(!ss_count_tolerant(SS_COUNT_ROWS));
	ss_buf_release(&b);
}
