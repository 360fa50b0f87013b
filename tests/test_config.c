/* Tests for src/config.c: keys, ${VAR} expansion, errors with places. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "ss/config.h"

static char *
first_diag(const struct ss_diags *d)
{
	static struct ss_buf b = SS_BUF_INIT;

	ss_buf_reset(&b);
	if (d->n > 0)
		ss_diag_format(&b, &d->v[0], 0);
	return b.s;
}

Test(config, every_key)
{
	struct ss_config c;
	struct ss_diags d = SS_DIAGS_INIT;

	ss_config_init(&c);
	cr_assert_eq(ss_config_load_buffer(&c, "c.yaml",
	    "database: sqlite:dev.db\n"
	    "schemas: [schemas, more]\n"
	    "postgres_schema: app\n"
	    "ignore_tables: [spatial_ref_sys, \"_*\"]\n"
	    "watch: { debounce_ms: 50 }\n", &d), 0, "%s", first_diag(&d));
	cr_expect_str_eq(c.database, "sqlite:dev.db");
	cr_assert_eq(c.nschemas, 2);
	cr_expect_str_eq(c.schemas[1], "more");
	cr_expect_str_eq(c.postgres_schema, "app");
	cr_expect_eq(c.debounce_ms, 50);
	cr_expect(ss_config_ignored(&c, "_prisma_migrations"));
	cr_expect(ss_config_ignored(&c, "spatial_ref_sys"));
	cr_expect(!ss_config_ignored(&c, "users"));
	ss_config_release(&c);
	ss_diags_release(&d);
}

Test(config, defaults)
{
	struct ss_config c;
	struct ss_diags d = SS_DIAGS_INIT;

	ss_config_init(&c);
	cr_assert_eq(ss_config_load_buffer(&c, "c.yaml", "# nothing\n", &d), 0);
	cr_expect_null(c.database);
	cr_expect_str_eq(c.postgres_schema, "public");
	cr_expect_eq(c.debounce_ms, -1);
	cr_expect_eq(c.nschemas, 0);
	ss_config_release(&c);
	ss_diags_release(&d);
}

Test(config, missing_optional_file_is_fine)
{
	struct ss_config c;
	struct ss_diags d = SS_DIAGS_INIT;

	ss_config_init(&c);
	cr_expect_eq(ss_config_load(&c, "/nonexistent/schemasync.yaml", false, &d), 0);
	cr_expect_eq(ss_config_load(&c, "/nonexistent/schemasync.yaml", true, &d),
	    -SS_ECONFIG);
	cr_expect_str_eq(first_diag(&d), "/nonexistent/schemasync.yaml: error: "
	    "cannot read '/nonexistent/schemasync.yaml': No such file or directory");
	ss_config_release(&c);
	ss_diags_release(&d);
}

Test(config, expansion)
{
	struct ss_arena a = SS_ARENA_INIT;
	const char *bad = NULL;
	char *out;

	setenv("SS_T_USER", "app", 1);
	setenv("SS_T_EMPTY", "", 1);
	unsetenv("SS_T_UNSET");
	cr_assert_eq(ss_config_expand(&a, "postgres://${SS_T_USER}@h/${SS_T_UNSET:-dev}", &out, &bad), 0);
	cr_expect_str_eq(out, "postgres://app@h/dev");
	cr_assert_eq(ss_config_expand(&a, "${SS_T_EMPTY:-x}|${SS_T_EMPTY}|$HOME|${", &out, &bad), 0);
	cr_expect_str_eq(out, "x||$HOME|${");
	cr_expect_eq(ss_config_expand(&a, "a${SS_T_UNSET}b", &out, &bad), -1);
	cr_expect_str_eq(bad, "SS_T_UNSET");
	ss_arena_release(&a);
}

Test(config, errors_have_places)
{
	struct { const char *text, *diag; } cases[] = {
		{ "databse: x.db\n", "c.yaml:1:1: error: unknown key 'databse' in config file (did you mean 'database'?)" },
		{ "watch: { debounce: 5 }\n", "c.yaml:1:10: error: unknown key 'debounce' in watch (did you mean 'debounce_ms'?)" },
		{ "watch: { debounce_ms: fast }\n", "c.yaml:1:23: error: expected a whole number from 0 to 60000 for 'debounce_ms'" },
		{ "database: ${SS_T_UNSET}\n", "c.yaml:1:11: error: environment variable 'SS_T_UNSET' is not set (in 'database')" },
		{ "schemas: { a: b }\n", "c.yaml:1:10: error: expected a list of strings for 'schemas', got a mapping" },
		{ "- a\n", "c.yaml:1:1: error: expected a mapping at the top of the config file, got a list" },
		{ "database: [\n", "c.yaml:2:1: error: YAML syntax error: did not find expected node content while parsing a flow node that starts at line 2" },
	};
	size_t i;

	unsetenv("SS_T_UNSET");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ss_config c;
		struct ss_diags d = SS_DIAGS_INIT;
		ss_config_init(&c);
		cr_expect_eq(ss_config_load_buffer(&c, "c.yaml", cases[i].text, &d),
		    -SS_ECONFIG, "%s", cases[i].text);
		cr_expect_str_eq(first_diag(&d), cases[i].diag);
		ss_config_release(&c);
		ss_diags_release(&d);
	}
}
