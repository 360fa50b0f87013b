/*
 * Tests for src/postgres/ddl.c: quoting, and the CREATE script of whole
 * fixtures compared byte for byte with tests/golden/pg_*.sql. Set
 * SS_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate
 * change (and read the diff before committing it).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss/load.h"
#include "postgres/ddl.h"

Test(pgddl, quote_ident)
{
	struct ss_buf b = SS_BUF_INIT;
	char longname[100];

	ss_pg_quote_ident(&b, "x\"; DROP TABLE users; --");
	cr_expect_str_eq(b.s, "\"x\"\"; DROP TABLE users; --\"");
	ss_buf_reset(&b);
	memset(longname, 'n', 70);
	longname[70] = '\0';
	ss_pg_quote_ident(&b, longname);
	cr_expect_eq(b.len, 63 + 2, "cut to 63 bytes as the server does");
	ss_buf_release(&b);
}

Test(pgddl, quote_literal)
{
	struct ss_buf b = SS_BUF_INIT;

	ss_pg_quote_literal(&b, "it's");
	cr_expect_str_eq(b.s, "'it''s'");
	ss_buf_reset(&b);
	ss_pg_quote_literal(&b, "a\\'); DROP TABLE t; --");
	cr_expect_str_eq(b.s, "E'a\\\\''); DROP TABLE t; --'");
	ss_buf_release(&b);
}

Test(pgddl, defaults_never_inject)
{
	struct ss_column c;
	struct ss_buf b = SS_BUF_INIT;

	memset(&c, 0, sizeof c);
	c.def.kind = SS_DEFAULT_NUMBER;
	c.def.value = "1; DROP TABLE users";
	ss_pg_default_sql(&b, &c);
	cr_expect_str_eq(b.s, "'1; DROP TABLE users'");
	ss_buf_reset(&b);
	c.def.kind = SS_DEFAULT_BOOL;
	c.def.value = "true); DROP TABLE users; --";
	ss_pg_default_sql(&b, &c);
	cr_expect_str_eq(b.s, "false");
	ss_buf_release(&b);
}

Test(pgddl, index_entries)
{
	struct ss_schema s;
	struct ss_table *t;
	struct ss_buf b = SS_BUF_INIT;

	ss_schema_init(&s);
	t = ss_schema_add_table(&s, "t");
	ss_table_add_column(&s, t, "created_at");
	ss_table_add_column(&s, t, "Odd Name");
	ss_pg_index_entry_sql(&b, t, "created_at desc  nulls last");
	cr_expect_str_eq(b.s, "\"created_at\" DESC NULLS LAST");
	ss_buf_reset(&b);
	ss_pg_index_entry_sql(&b, t, "Odd Name");
	cr_expect_str_eq(b.s, "\"Odd Name\"");
	ss_buf_reset(&b);
	ss_pg_index_entry_sql(&b, t, "lower(\"Odd Name\") DESC");
	cr_expect_str_eq(b.s, "(lower(\"Odd Name\")) DESC");
	ss_buf_release(&b);
	ss_schema_release(&s);
}

static void
golden(const char *name)
{
	char fixture[256], gold[256];
	const char *paths[] = { fixture };
	struct ss_diags d = SS_DIAGS_INIT;
	struct ss_err err = SS_ERR_INIT;
	struct ss_schema s;
	struct ss_buf sql = SS_BUF_INIT;
	char *want = NULL;
	size_t len;
	FILE *f;

	snprintf(fixture, sizeof fixture, "tests/fixtures/pg_%s.yaml", name);
	snprintf(gold, sizeof gold, "tests/golden/pg_%s.sql", name);
	ss_schema_init(&s);
	cr_assert_eq(ss_load_paths(&s, paths, 1, &d), 0, "%s does not load",
	    fixture);
	ss_pg_emit_schema(&sql, &s);
	if (getenv("SS_UPDATE_GOLDEN") != NULL) {
		f = fopen(gold, "w");
		cr_assert_not_null(f);
		fwrite(sql.s, 1, sql.len, f);
		fclose(f);
	}
	cr_assert_eq(ss_read_file(gold, &want, &len, &err), 0, "%s", err.msg.s);
	cr_expect(len == sql.len && memcmp(want, sql.s, len) == 0,
	    "%s differs from the emitted SQL:\n%s", gold, sql.s);
	free(want);
	ss_buf_release(&sql);
	ss_err_release(&err);
	ss_diags_release(&d);
	ss_schema_release(&s);
}

Test(pgddl, golden_spec_example)
{
	golden("blog");
}

Test(pgddl, golden_odd_names_and_types)
{
	golden("odd");
}

Test(pgddl, golden_index_methods_and_unique_constraints)
{
	golden("indexes");
}
