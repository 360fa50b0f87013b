/*
 * Tests for src/plan.c: count requests, classification, holding,
 * ordering and rendering, on plans diffed from loader-built models.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "plan_fixture.h"

static struct fx f;

static void
setup(void)
{
	fx_init(&f);
}

static void
teardown(void)
{
	fx_release(&f);
}

TestSuite(plan, .init = setup, .fini = teardown);

#define COUNTS(...) \
	static const struct fx_count counts_[] = { __VA_ARGS__ }
#define NCOUNTS (sizeof counts_ / sizeof counts_[0])

static const char *
describe(const struct ss_change *c)
{
	static char out[512];
	struct ss_buf b = SS_BUF_INIT;

	ss_change_describe(&b, c);
	snprintf(out, sizeof out, "%s", b.s);
	ss_buf_release(&b);
	return out;
}

/* Classification: drops. */

static const char legacy[] =
"tables:\n  legacy:\n    columns:\n      id: integer\n";

Test(plan, drop_table_with_rows_is_destructive)
{
	struct ss_change *c;
	COUNTS({ SS_COUNT_ROWS, "legacy", NULL, NULL, 1204 });

	fx_diff(&f, "", legacy);
	fx_classify(&f, counts_, NCOUNTS, -1);
	c = f.p.v[0];
	cr_assert_eq(c->class, SS_CLASS_DESTRUCTIVE);
	cr_assert_eq(c->count, 1204);
	cr_assert_str_eq(describe(c), "drop table legacy (1,204 rows)");
	cr_assert_str_eq(ss_change_sign(c), "!");
}

Test(plan, drop_empty_table_is_safe)
{
	struct ss_change *c;
	COUNTS({ SS_COUNT_ROWS, "legacy", NULL, NULL, 0 });

	fx_diff(&f, "", legacy);
	fx_classify(&f, counts_, NCOUNTS, -1);
	c = f.p.v[0];
	cr_assert_eq(c->class, SS_CLASS_SAFE);
	cr_assert_eq(c->count, 0);
	cr_assert_str_eq(describe(c), "drop table legacy (no rows)");
	cr_assert_str_eq(ss_change_sign(c), "-");
}

Test(plan, unknown_count_is_taken_as_data)
{
	fx_diff(&f, "", legacy);
	fx_classify(&f, NULL, 0, -1);
	cr_assert_eq(f.p.v[0]->class, SS_CLASS_DESTRUCTIVE);
	cr_assert_eq(f.p.v[0]->count, -1);
	cr_assert_str_eq(f.p.v[0]->detail, "row count unknown");
}

static const char users_legacy[] =
"tables:\n  users:\n    columns:\n      id: integer\n      legacy: bytea\n";
static const char users_only[] =
"tables:\n  users:\n    columns:\n      id: integer\n";

Test(plan, drop_column_boundary)
{
	struct ss_count_request *reqs;
	COUNTS({ SS_COUNT_NONNULL, "users", "legacy", NULL, 42 });

	fx_diff(&f, users_only, users_legacy);
	cr_assert_eq(ss_plan_count_requests(&f.p, &reqs), 1);
	cr_assert_eq(reqs[0].kind, SS_COUNT_NONNULL);
	cr_assert_str_eq(reqs[0].table, "users");
	cr_assert_str_eq(reqs[0].column, "legacy");
	cr_assert_eq(reqs[0].change, f.p.v[0]);
	fx_classify(&f, counts_, NCOUNTS, -1);
	cr_assert_eq(f.p.v[0]->class, SS_CLASS_DESTRUCTIVE);
	cr_assert_str_eq(describe(f.p.v[0]),
	    "drop column users.legacy (42 non-null values)");
	fx_classify(&f, NULL, 0, 0);
	cr_assert_eq(f.p.v[0]->class, SS_CLASS_SAFE);
	cr_assert_str_eq(describe(f.p.v[0]), "drop column users.legacy (no data)");
	fx_classify(&f, NULL, 0, 1);
	cr_assert_str_eq(describe(f.p.v[0]),
	    "drop column users.legacy (1 non-null value)");
}

/* Classification: adds. */

Test(plan, add_not_null_column_without_default)
{
	static const char want[] =
	    "tables:\n  users:\n    columns:\n      id: integer\n"
	    "      age: { type: integer, nullable: false }\n";
	struct ss_change *c;

	fx_diff(&f, want, users_only);
	fx_classify(&f, NULL, 0, 12);
	c = f.p.v[0];
	cr_assert_eq(c->class, SS_CLASS_UNEXECUTABLE);
	cr_assert_eq(c->count, 12);
	cr_assert_str_eq(describe(c), "add column users.age (NOT NULL without a "
	    "default, and the table has 12 rows)");
	cr_assert_str_eq(ss_change_sign(c), "✗");
	fx_classify(&f, NULL, 0, 0);
	cr_assert_eq(c->class, SS_CLASS_SAFE);
	cr_assert_str_eq(describe(c), "add column users.age");
	cr_assert_str_eq(ss_change_sign(c), "+");
}

Test(plan, add_column_that_needs_no_count)
{
	struct ss_count_request *reqs;

	fx_diff(&f,
	    "tables:\n  users:\n    columns:\n      id: integer\n"
	    "      a: integer\n"
	    "      b: { type: integer, nullable: false, default: 0 }\n"
	    "  fresh:\n    columns:\n      c: { type: integer, nullable: false }\n",
	    users_only);
	cr_assert_eq(ss_plan_count_requests(&f.p, &reqs), 0);
	fx_classify(&f, NULL, 0, 99);
	cr_assert_eq(ss_plan_worst(&f.p), SS_CLASS_SAFE, "%s", fx_render(&f));
}

/* Classification: type changes. */

struct type_case {
	const char *from, *to;
	bool widening;
};

static const struct type_case type_cases[] = {
	{ "integer", "bigint", true },
	{ "smallint", "integer", true },
	{ "smallint", "bigint", true },
	{ "varchar(50)", "varchar(200)", true },
	{ "varchar(50)", "text", true },
	{ "char(3)", "text", true },
	{ "real", "double", true },
	{ "numeric(10,2)", "numeric(12,2)", true },
	{ "numeric(10,2)", "numeric", true },
	{ "bigint", "integer", false },
	{ "integer", "smallint", false },
	{ "varchar(200)", "varchar(50)", false },
	{ "text", "varchar(10)", false },
	{ "double", "real", false },
	{ "numeric(10,2)", "numeric(12,3)", false },
	{ "numeric(12,2)", "numeric(10,2)", false },
	{ "text", "integer", false },
	{ "integer", "text", false },	/* 007 would not come back */
	{ "varchar(10)", "char(10)", false },
};

static void
type_change(const char *from, const char *to)
{
	char d[256], c[256];

	snprintf(d, sizeof d, "tables:\n  t:\n    columns:\n      v: \"%s\"\n",
	    to);
	snprintf(c, sizeof c, "tables:\n  t:\n    columns:\n      v: \"%s\"\n",
	    from);
	fx_release(&f);
	fx_init(&f);
	fx_diff(&f, d, c);
	cr_assert_eq(f.p.n, 1, "%s -> %s:\n%s", from, to, fx_render(&f));
}

Test(plan, widening_and_narrowing_type_changes)
{
	struct ss_count_request *reqs;
	size_t i;

	for (i = 0; i < sizeof type_cases / sizeof type_cases[0]; i++) {
		const struct type_case *tc = &type_cases[i];
		type_change(tc->from, tc->to);
		if (tc->widening) {
			cr_assert_eq(ss_plan_count_requests(&f.p, &reqs), 0,
			    "%s -> %s asks for counts", tc->from, tc->to);
			fx_classify(&f, NULL, 0, 1000);
			cr_assert_eq(f.p.v[0]->class, SS_CLASS_SAFE,
			    "%s -> %s", tc->from, tc->to);
			continue;
		}
		/* Narrowing: destructive on a non-empty column only. */
		fx_classify(&f, NULL, 0, 0);
		cr_assert_eq(f.p.v[0]->class, SS_CLASS_SAFE, "%s -> %s empty",
		    tc->from, tc->to);
		fx_classify(&f, NULL, 0, 5);
		cr_assert_eq(f.p.v[0]->class, SS_CLASS_DESTRUCTIVE,
		    "%s -> %s", tc->from, tc->to);
	}
}

Test(plan, narrowing_counts_values_not_kept)
{
	struct ss_count_request *reqs;
	struct ss_change *c;
	size_t n;
	COUNTS({ SS_COUNT_NONNULL, "t", "v", NULL, 40 },
	    { SS_COUNT_LOSSY, "t", "v", NULL, 3 });

	type_change("varchar(200)", "varchar(50)");
	n = ss_plan_count_requests(&f.p, &reqs);
	cr_assert_eq(n, 2);
	cr_assert_eq(reqs[1].kind, SS_COUNT_LOSSY);
	cr_assert_eq(reqs[1].from->len, 200);
	cr_assert_eq(reqs[1].to->len, 50);
	fx_classify(&f, counts_, NCOUNTS, -1);
	c = f.p.v[0];
	cr_assert_eq(c->class, SS_CLASS_DESTRUCTIVE);
	cr_assert_eq(c->count, 3);
	cr_assert_str_eq(describe(c), "alter column t.v: type varchar(200) → "
	    "varchar(50) (40 non-null values, 3 would not survive the type "
	    "change)");
	cr_assert_str_eq(ss_change_sign(c), "!");
}

/*
 * Where types are affinities (SQLite), a column keeps what the LOSSY
 * count does not count: destructive only when it counts something.
 */
Test(plan, affinity_types_lose_only_what_lossy_counts)
{
	struct ss_change *c;
	struct fx_count counts_[] = {
		{ SS_COUNT_NONNULL, "t", "v", NULL, 40 },
		{ SS_COUNT_LOSSY, "t", "v", NULL, 0 },
	};

	type_change("text", "integer");
	f.p.affinity_types = true;
	fx_classify(&f, counts_, NCOUNTS, -1);
	c = f.p.v[0];
	cr_assert_eq(c->class, SS_CLASS_SAFE, "%s", describe(c));
	cr_assert_str_eq(ss_change_sign(c), "~");
	/* Unknown: held, as anywhere. */
	counts_[1].count = -1;
	fx_classify(&f, counts_, NCOUNTS, -1);
	cr_assert_eq(f.p.v[0]->class, SS_CLASS_DESTRUCTIVE);
	counts_[1].count = 2;
	fx_classify(&f, counts_, NCOUNTS, -1);
	cr_assert_eq(f.p.v[0]->class, SS_CLASS_DESTRUCTIVE);
	cr_assert_str_eq(describe(f.p.v[0]), "alter column t.v: type text → "
	    "integer (40 non-null values, 2 would not survive the type change)");
	/* Without affinity types every value is cast: destructive. */
	f.p.affinity_types = false;
	counts_[1].count = 0;
	fx_classify(&f, counts_, NCOUNTS, -1);
	cr_assert_eq(f.p.v[0]->class, SS_CLASS_DESTRUCTIVE);
}

/* A type change of column v to integer (NOT NULL when notnull, with
 * default dflt when not NULL), classified with 2 non-null values of
 * which lossy do not survive and failing the cast refuses. */
static struct ss_change *
refused_values(bool notnull, const char *dflt, long lossy, long failing)
{
	char d[256];
	struct ss_count_request *reqs;
	size_t n, i;

	snprintf(d, sizeof d, "tables:\n  t:\n    columns:\n      v: "
	    "{ type: integer, nullable: %s%s%s }\n", notnull ? "false" : "true",
	    dflt ? ", default: " : "", dflt ? dflt : "");
	fx_release(&f);
	fx_init(&f);
	fx_diff(&f, d, "tables:\n  t:\n    columns:\n      v: "
	    "{ type: text, nullable: false }\n");
	n = ss_plan_count_requests(&f.p, &reqs);
	for (i = 0; i < n; i++) {
		reqs[i].count = reqs[i].kind == SS_COUNT_LOSSY ? lossy :
		    reqs[i].kind == SS_COUNT_NONNULL ? 2 : 0;
		if (reqs[i].kind == SS_COUNT_LOSSY)
			reqs[i].failing = failing;
	}
	ss_plan_classify(&f.p);
	return f.p.v[0];
}

Test(plan, a_refused_value_in_a_not_null_column_is_unexecutable)
{
	struct ss_change *c = refused_values(true, NULL, 1, 1);

	cr_assert_eq(c->class, SS_CLASS_UNEXECUTABLE);
	cr_assert_eq(c->count, 1);
	cr_assert_str_eq(describe(c), "alter column t.v: type text → integer "
	    "(1 value does not cast to integer and would be NULL in a NOT "
	    "NULL column without a default: fix or delete that row, or give "
	    "the column a default)");
	cr_assert_str_eq(ss_change_sign(c), "✗");
	/* With a default, or nullable, it has a place to go. */
	c = refused_values(true, "-1", 1, 1);
	cr_assert_eq(c->class, SS_CLASS_DESTRUCTIVE);
	cr_assert(strstr(describe(c), "(2 non-null values, 1 would not "
	    "survive the type change: 1 set to the default)") != NULL, "%s",
	    describe(c));
	c = refused_values(false, NULL, 2, 1);
	cr_assert_eq(c->class, SS_CLASS_DESTRUCTIVE);
	cr_assert(strstr(describe(c), "(2 non-null values, 2 would not "
	    "survive the type change: 1 changed by the cast, 1 set to NULL)")
	    != NULL, "%s", describe(c));
	/* Values the cast changes but does not refuse: NOT NULL holds. */
	c = refused_values(true, NULL, 1, 0);
	cr_assert_eq(c->class, SS_CLASS_DESTRUCTIVE);
	cr_assert(strstr(describe(c), "1 changed by the cast)") != NULL,
	    "%s", describe(c));
	/* A dialect that does not say (failing -1): as before. */
	c = refused_values(true, NULL, 1, -1);
	cr_assert_eq(c->class, SS_CLASS_DESTRUCTIVE);
	cr_assert(strstr(describe(c), "1 would not survive the type "
	    "change)") != NULL, "%s", describe(c));
}

Test(plan, widening_is_a_change_sign)
{
	type_change("integer", "bigint");
	fx_classify(&f, NULL, 0, 0);
	cr_assert_str_eq(ss_change_sign(f.p.v[0]), "~");
	cr_assert_str_eq(describe(f.p.v[0]),
	    "alter column t.v: type integer → bigint");
}

/* Classification: nullability and defaults. */

Test(plan, set_not_null_over_nulls_is_unexecutable)
{
	struct ss_change *c;
	COUNTS({ SS_COUNT_NULLS, "u", "x", NULL, 3 });

	fx_diff(&f, "tables:\n  u:\n    columns:\n      x: { type: integer, nullable: false }\n",
	    "tables:\n  u:\n    columns:\n      x: integer\n");
	fx_classify(&f, counts_, NCOUNTS, -1);
	c = f.p.v[0];
	cr_assert_eq(c->class, SS_CLASS_UNEXECUTABLE);
	cr_assert_eq(c->count, 3);
	cr_assert_str_eq(describe(c),
	    "alter column u.x: set not null (3 rows have NULL)");
	fx_classify(&f, NULL, 0, 0);
	cr_assert_eq(c->class, SS_CLASS_SAFE);
}

Test(plan, drop_not_null_and_defaults_are_safe)
{
	struct ss_count_request *reqs;

	fx_diff(&f, "tables:\n  u:\n    columns:\n"
	    "      x: { type: integer, default: 1 }\n"
	    "      y: { type: text, default: hi }\n"
	    "      z: integer\n",
	    "tables:\n  u:\n    columns:\n"
	    "      x: { type: integer, nullable: false }\n"
	    "      y: { type: text, default: ho }\n"
	    "      z: { type: integer, default: { sql: \"1 + 1\" } }\n");
	cr_assert_eq(ss_plan_count_requests(&f.p, &reqs), 0);
	fx_classify(&f, NULL, 0, 7);
	cr_assert_eq(ss_plan_worst(&f.p), SS_CLASS_SAFE);
	cr_assert_str_eq(describe(f.p.v[0]),
	    "alter column u.x: drop not null, set default 1");
	cr_assert_str_eq(describe(f.p.v[1]),
	    "alter column u.y: default 'ho' → 'hi'");
	cr_assert_str_eq(describe(f.p.v[2]), "alter column u.z: drop default");
}

Test(plan, type_and_not_null_together_take_the_worst)
{
	struct ss_change *c;
	COUNTS({ SS_COUNT_NONNULL, "u", "x", NULL, 10 },
	    { SS_COUNT_NULLS, "u", "x", NULL, 2 });

	fx_diff(&f, "tables:\n  u:\n    columns:\n      x: { type: smallint, nullable: false }\n",
	    "tables:\n  u:\n    columns:\n      x: integer\n");
	fx_classify(&f, counts_, NCOUNTS, -1);
	c = f.p.v[0];
	cr_assert_eq(c->alter, SS_ALTER_TYPE | SS_ALTER_NULLABLE);
	cr_assert_eq(c->class, SS_CLASS_UNEXECUTABLE);
	cr_assert_eq(c->count, 2);
	cr_assert_str_eq(c->detail, "10 non-null values; 2 rows have NULL");
}

/* Classification: keys over duplicates, checks, foreign keys. */

Test(plan, unique_over_duplicates_is_unexecutable)
{
	struct ss_count_request *reqs;
	size_t n, i;

	fx_diff(&f,
	    "tables:\n  u:\n    columns:\n"
	    "      id: integer\n      e: { type: text, unique: true }\n"
	    "      n: text\n"
	    "    primary_key: [id]\n"
	    "    indexes:\n"
	    "      u_n_live: { columns: [n, lower(e)], unique: true, where: \"n <> ''\" }\n"
	    "      u_plain: { columns: [n] }\n",
	    "tables:\n  u:\n    columns:\n"
	    "      id: { type: integer, nullable: false }\n      e: text\n      n: text\n");
	n = ss_plan_count_requests(&f.p, &reqs);
	cr_assert_eq(n, 3, "%s", fx_render(&f));
	for (i = 0; i < n; i++)
		cr_assert_eq(reqs[i].kind, SS_COUNT_DUPLICATES);
	cr_assert_eq(reqs[2].ncolumns, 2);
	cr_assert_str_eq(reqs[2].columns[0], "\"n\"");
	cr_assert_str_eq(reqs[2].columns[1], "lower(e)");
	cr_assert_str_eq(reqs[2].where, "n <> ''");
	fx_classify(&f, NULL, 0, 2);
	FX_EXPECT(&f,
	    "add_primary_key u.u_pkey unexecutable",
	    "add_unique u.u_e_key unexecutable",
	    "create_index u.u_n_live unexecutable",
	    "create_index u.u_plain safe");
	cr_assert_str_eq(describe(f.p.v[1]),
	    "add unique u_e_key on u (e) (2 rows share their values with others)");
	fx_classify(&f, NULL, 0, 0);
	cr_assert_eq(ss_plan_worst(&f.p), SS_CLASS_SAFE);
}

Test(plan, unique_over_new_columns_is_not_counted)
{
	struct ss_count_request *reqs;

	fx_diff(&f,
	    "tables:\n  u:\n    columns:\n      id: integer\n"
	    "      e: { type: text, unique: true }\n"
	    "  v:\n    columns:\n      f: { type: text, unique: true }\n",
	    "tables:\n  u:\n    columns:\n      id: integer\n");
	cr_assert_eq(ss_plan_count_requests(&f.p, &reqs), 0, "%s",
	    fx_render(&f));
}

Test(plan, checks_and_foreign_keys_over_violating_rows)
{
	struct ss_count_request *reqs;
	size_t n;
	COUNTS({ SS_COUNT_CHECK, "u", NULL, NULL, 4 },
	    { SS_COUNT_FK, "u", NULL, NULL, 6 });

	fx_diff(&f,
	    "tables:\n"
	    "  t:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "  u:\n    columns:\n      k: { type: integer, references: t.id }\n"
	    "    checks:\n      u_k_pos: \"k > 0\"\n",
	    "tables:\n"
	    "  t:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "  u:\n    columns:\n      k: integer\n");
	n = ss_plan_count_requests(&f.p, &reqs);
	cr_assert_eq(n, 2);
	cr_assert_eq(reqs[0].kind, SS_COUNT_FK);
	cr_assert_str_eq(reqs[0].ref_table, "t");
	cr_assert_str_eq(reqs[0].ref_columns[0], "id");
	cr_assert_str_eq(reqs[0].columns[0], "k");
	cr_assert_eq(reqs[1].kind, SS_COUNT_CHECK);
	cr_assert_str_eq(reqs[1].expr, "k > 0");
	fx_classify(&f, counts_, NCOUNTS, -1);
	FX_EXPECT(&f,
	    "add_foreign_key u.u_k_fkey unexecutable",
	    "add_check u.u_k_pos unexecutable");
	cr_assert_str_eq(f.p.v[0]->detail, "6 rows reference no row of t");
	cr_assert_str_eq(f.p.v[1]->detail, "4 rows violate the check");
	/* Unknown: left to the transaction. */
	fx_classify(&f, NULL, 0, -1);
	cr_assert_eq(ss_plan_worst(&f.p), SS_CLASS_SAFE);
}

/* Classification: enums. */

Test(plan, removing_an_enum_value_in_use)
{
	struct ss_count_request *reqs;
	size_t n;
	COUNTS({ SS_COUNT_ENUM_VALUE, "posts", "status", "archived", 7 },
	    { SS_COUNT_ENUM_VALUE, "drafts", "status", "archived", 0 });

	fx_diff(&f,
	    "enums:\n  st: [draft, published]\n"
	    "tables:\n  posts:\n    columns:\n      status: st\n"
	    "  drafts:\n    columns:\n      status: st\n",
	    "enums:\n  st: [draft, published, archived]\n"
	    "tables:\n  posts:\n    columns:\n      status: st\n"
	    "  drafts:\n    columns:\n      status: st\n");
	n = ss_plan_count_requests(&f.p, &reqs);
	cr_assert_eq(n, 2);
	fx_classify(&f, counts_, NCOUNTS, -1);
	cr_assert_eq(f.p.v[0]->class, SS_CLASS_DESTRUCTIVE);
	cr_assert_eq(f.p.v[0]->count, 7);
	cr_assert_str_eq(describe(f.p.v[0]),
	    "drop enum value st.archived (7 rows use it)");
	fx_classify(&f, NULL, 0, 0);
	cr_assert_eq(f.p.v[0]->class, SS_CLASS_SAFE);
}

Test(plan, removing_an_enum_value_without_enum_types)
{
	struct ss_count_request *reqs;
	size_t n;
	COUNTS({ SS_COUNT_ENUM_VALUE, "posts", "status", "archived", 7 });

	f.o.enum_types = false;
	fx_diff(&f,
	    "enums:\n  st: [draft, published]\n"
	    "tables:\n  posts:\n    columns:\n      status: st\n",
	    "enums:\n  posts_status: [draft, published, archived]\n"
	    "tables:\n  posts:\n    columns:\n      status: posts_status\n");
	FX_EXPECT(&f, "alter_column posts.status safe");
	n = ss_plan_count_requests(&f.p, &reqs);
	cr_assert_eq(n, 1);
	cr_assert_eq(reqs[0].kind, SS_COUNT_ENUM_VALUE);
	cr_assert_str_eq(reqs[0].value, "archived");
	fx_classify(&f, counts_, NCOUNTS, -1);
	cr_assert_eq(f.p.v[0]->class, SS_CLASS_DESTRUCTIVE);
	cr_assert_str_eq(f.p.v[0]->detail, "7 rows use removed values");
	fx_classify(&f, NULL, 0, 0);
	cr_assert_eq(f.p.v[0]->class, SS_CLASS_SAFE);
}

Test(plan, adding_an_enum_value_without_enum_types_is_widening)
{
	struct ss_count_request *reqs;

	f.o.enum_types = false;
	fx_diff(&f,
	    "enums:\n  st: [draft, published, archived]\n"
	    "tables:\n  posts:\n    columns:\n      status: st\n",
	    "enums:\n  x: [draft, published]\n"
	    "tables:\n  posts:\n    columns:\n      status: x\n");
	cr_assert_eq(ss_plan_count_requests(&f.p, &reqs), 0);
	fx_classify(&f, NULL, 0, 9);
	cr_assert_eq(f.p.v[0]->class, SS_CLASS_SAFE);
}

/* Count requests use the database's names now. */

Test(plan, requests_use_current_names)
{
	struct ss_count_request *reqs;
	size_t n;

	fx_diff(&f,
	    "tables:\n  people:\n    renamed_from: users\n    columns:\n"
	    "      mail: { type: text, nullable: false, renamed_from: email }\n"
	    "    indexes:\n      people_mail: { columns: [mail], unique: true }\n",
	    "tables:\n  users:\n    columns:\n      email: text\n      gone: text\n");
	n = ss_plan_count_requests(&f.p, &reqs);
	cr_assert_eq(n, 3, "%s", fx_render(&f));
	cr_assert_eq(reqs[0].kind, SS_COUNT_NULLS);
	cr_assert_str_eq(reqs[0].table, "users");
	cr_assert_str_eq(reqs[0].column, "email");
	cr_assert_eq(reqs[1].kind, SS_COUNT_NONNULL);
	cr_assert_str_eq(reqs[1].table, "users");
	cr_assert_str_eq(reqs[1].column, "gone");
	cr_assert_eq(reqs[2].kind, SS_COUNT_DUPLICATES);
	cr_assert_str_eq(reqs[2].columns[0], "\"email\"");
	/* Asking again gives the same requests. */
	cr_assert_eq(ss_plan_count_requests(&f.p, &reqs), 3);
}

Test(plan, candidates_stay_ambiguous)
{
	fx_diff(&f, "tables:\n  users:\n    columns:\n      user_email: text\n",
	    "tables:\n  users:\n    columns:\n      email: text\n");
	fx_classify(&f, NULL, 0, 0);
	cr_assert_eq(f.p.v[0]->class, SS_CLASS_AMBIGUOUS);
	cr_assert_eq(ss_plan_worst(&f.p), SS_CLASS_AMBIGUOUS);
	cr_assert_str_eq(ss_change_sign(f.p.v[0]), "?");
	cr_assert_str_eq(describe(f.p.v[0]),
	    "rename column users.email → users.user_email");
}

/* Rendering. */

Test(plan, describe_every_op)
{
	static const char *const want[] = {
		"create enum mood (happy, sad)",
		"add enum value st.c",
		"rename table posts → articles",
		"rename column articles.headline → articles.title",
		"drop primary key posts_pkey on articles",
		"drop unique posts_k_key on articles",
		"drop index posts_k_idx on articles",
		"drop foreign key posts_k_fkey on articles",
		"drop check posts_k_chk on articles",
		"alter column articles.title: drop not null",
		"alter column articles.k: set not null",
		"create table t",
		"add column u.y",
		"add primary key articles_pkey on articles (k)",
		"create unique index t_x_idx on t (x) where x > 0",
		"add unique u_x_key on u (x)",
		"add foreign key u_x_fkey on u (x) → t (x)",
		"add check u_x_chk on u",
		"drop column u.z",
		"drop table gone",
		"drop enum value st.a",
		"drop enum old",
	};
	struct ss_buf b = SS_BUF_INIT;
	size_t i;

	fx_diff(&f,
	    "enums:\n  mood: [happy, sad]\n  st: [b, c]\n"
	    "tables:\n"
	    "  articles:\n    renamed_from: posts\n    columns:\n"
	    "      title: { type: text, renamed_from: headline }\n"
	    "      k: integer\n"
	    "    primary_key: [k]\n"
	    "  t:\n    columns:\n      x: { type: integer, primary_key: true }\n"
	    "    indexes:\n      t_x_idx: { columns: [x], unique: true, where: \"x > 0\" }\n"
	    "  u:\n    columns:\n      x: { type: integer, unique: true, references: t.x }\n"
	    "      y: boolean\n"
	    "    checks:\n      u_x_chk: \"x > 1\"\n",
	    "enums:\n  st: [a, b]\n  old: [z]\n"
	    "tables:\n"
	    "  posts:\n    columns:\n"
	    "      headline: text\n"
	    "      k: { type: integer, unique: true, references: gone.id }\n"
	    "    primary_key: [headline]\n"
	    "    indexes:\n      posts_k_idx: { columns: [k] }\n"
	    "    checks:\n      posts_k_chk: \"k > 0\"\n"
	    "  u:\n    columns:\n      x: integer\n      z: bytea\n"
	    "  gone:\n    columns:\n      id: { type: integer, primary_key: true }\n");
	fx_order(&f);
	for (i = 0; i < f.p.n; i++) {
		ss_buf_reset(&b);
		ss_change_describe(&b, f.p.v[i]);
		cr_assert(i < sizeof want / sizeof want[0], "extra: %s", b.s);
		cr_assert_str_eq(b.s, want[i], "change %zu of:\n%s", i,
		    fx_render(&f));
	}
	cr_assert_eq(f.p.n, sizeof want / sizeof want[0], "%s", fx_render(&f));
	ss_buf_release(&b);
}

Test(plan, rename_hint_names_both_ways)
{
	struct ss_buf b = SS_BUF_INIT;

	fx_diff(&f, "tables:\n  people:\n    columns:\n      id: integer\n",
	    "tables:\n  users:\n    columns:\n      id: integer\n");
	cr_assert_eq(f.p.n, 1);
	ss_change_rename_hint(&b, f.p.v[0]);
	cr_assert_str_eq(b.s, "add 'renamed_from: users' to table people, or "
	    "pass --rename users=people; to drop table users (row count "
	    "unknown) and create the new one instead, pass --no-rename "
	    "users=people");
	ss_buf_reset(&b);
	fx_release(&f);
	fx_init(&f);
	fx_diff(&f, "tables:\n  users:\n    columns:\n      user_email: text\n",
	    "tables:\n  users:\n    columns:\n      email: text\n");
	cr_assert_eq(f.p.n, 1);
	ss_change_rename_hint(&b, f.p.v[0]);
	cr_assert_str_eq(b.s, "add 'renamed_from: email' to column "
	    "users.user_email, or pass --rename users.email=user_email; to "
	    "drop column users.email (count unknown) and create the new one "
	    "instead, pass --no-rename users.email=user_email");
	ss_buf_release(&b);
}

/* A candidate is counted as its drop would be, and the choice says so. */
Test(plan, candidate_choice_names_what_the_drop_loses)
{
	static const struct fx_count counts[] = {
		{ SS_COUNT_NONNULL, "users", "email", NULL, 3 },
	};
	struct ss_buf b = SS_BUF_INIT;

	fx_diff(&f, "tables:\n  users:\n    columns:\n      user_email: text\n",
	    "tables:\n  users:\n    columns:\n      email: text\n");
	fx_classify(&f, counts, 1, -1);
	cr_assert_eq(f.p.v[0]->class, SS_CLASS_AMBIGUOUS);
	cr_assert_eq(f.p.v[0]->count, 3);
	ss_change_choice(&b, f.p.v[0]);
	cr_assert_str_eq(b.s, "column users.email → users.user_email: r = "
	    "rename it (keeps its values), c = add user_email and drop email "
	    "(3 non-null values lost), s = skip (hold the column)?");
	ss_buf_release(&b);
}

/* Unexecutable changes say how to make them run; a change points into the files. */
Test(plan, unexecutable_says_how_to_fix_and_where)
{
	static const struct fx_count counts[] = {
		{ SS_COUNT_NULLS, "users", "email", NULL, 2 },
	};
	struct ss_buf b = SS_BUF_INIT;
	const struct ss_loc *l;

	fx_diff(&f, "tables:\n  users:\n    columns:\n      email: { type: text, nullable: false, default: x }\n",
	    "tables:\n  users:\n    columns:\n      email: text\n");
	fx_classify(&f, counts, 1, 0);
	cr_assert_eq(f.p.v[0]->class, SS_CLASS_UNEXECUTABLE);
	ss_change_fix(&b, f.p.v[0]);
	cr_assert_str_eq(b.s, "fill the NULLs first (UPDATE \"users\" SET "
	    "\"email\" = … WHERE \"email\" IS NULL; a default does not fill "
	    "rows that are there), or keep it nullable");
	l = ss_change_loc(f.p.v[0]);
	cr_assert_not_null(l);
	cr_assert_eq(l->line, 4);
	cr_assert_eq(l->col, 7);
	ss_buf_release(&b);
}

Test(plan, lossy_into_an_enum_names_its_values)
{
	struct ss_count_request *reqs;
	size_t n;

	fx_diff(&f, "enums:\n  st: [a, b]\n"
	    "tables:\n  t:\n    columns:\n      s: st\n",
	    "enums:\n  st: [a, b]\n"
	    "tables:\n  t:\n    columns:\n      s: text\n");
	n = ss_plan_count_requests(&f.p, &reqs);
	cr_assert_eq(n, 2);
	cr_assert_eq(reqs[1].kind, SS_COUNT_LOSSY);
	cr_assert_not_null(reqs[1].to_enum);
	cr_assert_str_eq(reqs[1].to_enum->name, "st");
	cr_assert_eq(reqs[1].from->kind, SS_TYPE_TEXT);
}

Test(plan, digest_changes_with_the_plan)
{
	struct ss_buf a = SS_BUF_INIT, b = SS_BUF_INIT;

	fx_diff(&f, users_only, users_legacy);
	fx_classify(&f, NULL, 0, 42);
	ss_plan_digest(&a, &f.p);
	cr_assert_str_eq(a.s,
	    "destructive ! drop column users.legacy (42 non-null values)\n");
	fx_classify(&f, NULL, 0, 43);
	ss_plan_digest(&b, &f.p);
	cr_assert_str_neq(a.s, b.s);
	ss_buf_release(&a);
	ss_buf_release(&b);
}

Test(plan, count_format)
{
	static const struct { long n; const char *s; } cases[] = {
		{ 0, "0" }, { 7, "7" }, { 999, "999" }, { 1000, "1,000" },
		{ 1204, "1,204" }, { 1234567, "1,234,567" }, { -4200, "-4,200" },
	};
	struct ss_buf b = SS_BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ss_buf_reset(&b);
		ss_count_format(&b, cases[i].n);
		cr_assert_str_eq(b.s, cases[i].s);
	}
	ss_buf_release(&b);
}

Test(plan, names_tables)
{
	cr_assert_str_eq(ss_op_name(SS_OP_CREATE_TABLE), "create_table");
	cr_assert_str_eq(ss_op_name(SS_OP_DROP_ENUM), "drop_enum");
	cr_assert_str_eq(ss_op_name(SS_OP_ADD_UNIQUE), "add_unique");
	cr_assert_str_eq(ss_class_name(SS_CLASS_UNEXECUTABLE), "unexecutable");
	cr_assert_null(ss_op_names[SS_OP_MAX]);
	cr_assert_null(ss_class_names[SS_CLASS_MAX]);
}

/* Holding. */

#define SAFE_ONLY SS_ACCEPT(SS_CLASS_SAFE)
#define DATA_LOSS (SS_ACCEPT(SS_CLASS_SAFE) | SS_ACCEPT(SS_CLASS_DESTRUCTIVE))

Test(plan, hold_by_class)
{
	COUNTS({ SS_COUNT_NONNULL, "u", "legacy", NULL, 42 },
	    { SS_COUNT_NULLS, "u", "x", NULL, 3 });

	fx_diff(&f,
	    "tables:\n  u:\n    columns:\n"
	    "      x: { type: integer, nullable: false }\n      y: integer\n",
	    "tables:\n  u:\n    columns:\n      x: integer\n      legacy: bytea\n");
	fx_classify(&f, counts_, NCOUNTS, 0);
	cr_assert_eq(ss_plan_hold(&f.p, SAFE_ONLY), 2);
	FX_EXPECT(&f,
	    "alter_column u.x unexecutable held",
	    "add_column u.y safe",
	    "drop_column u.legacy destructive held");
	cr_assert_eq(ss_plan_hold(&f.p, DATA_LOSS), 1);
	FX_EXPECT(&f,
	    "alter_column u.x unexecutable held",
	    "add_column u.y safe",
	    "drop_column u.legacy destructive");
	/* Unexecutable never runs, whatever is accepted. */
	cr_assert_eq(ss_plan_hold(&f.p, ~0u), 1);
}

Test(plan, unanswered_table_rename_holds_everything_on_it)
{
	fx_diff(&f,
	    "tables:\n"
	    "  people:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      email: { type: text, nullable: false }\n"
	    "  posts:\n    columns:\n"
	    "      a: { type: integer, references: people.id }\n"
	    "      b: boolean\n",
	    "tables:\n"
	    "  users:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      email: text\n"
	    "  posts:\n    columns:\n"
	    "      a: integer\n");
	fx_classify(&f, NULL, 0, 0);
	cr_assert_eq(ss_plan_hold(&f.p, ~0u), 3, "%s", fx_render(&f));
	FX_EXPECT(&f,
	    "rename_table people ambiguous held",
	    "alter_column people.email safe held",
	    "add_column posts.b safe",
	    "add_foreign_key posts.posts_a_fkey safe held");
	cr_assert_eq(fx_find(&f, "alter_column people.email")->held_by, f.p.v[0]);
}

Test(plan, unanswered_column_rename_holds_what_uses_the_new_name)
{
	fx_diff(&f,
	    "tables:\n  u:\n    columns:\n"
	    "      mail: text\n      other: boolean\n"
	    "    indexes:\n      u_mail_idx: { columns: [mail] }\n",
	    "tables:\n  u:\n    columns:\n      email: text\n");
	fx_classify(&f, NULL, 0, 0);
	ss_plan_hold(&f.p, ~0u);
	FX_EXPECT(&f,
	    "rename_column u.mail ambiguous held",
	    "add_column u.other safe",
	    "create_index u.u_mail_idx safe held");
}

Test(plan, index_on_held_column_is_held)
{
	COUNTS({ SS_COUNT_NONNULL, "u", "code", NULL, 5 });

	fx_diff(&f,
	    "tables:\n  u:\n    columns:\n      code: varchar(3)\n      n: text\n"
	    "    indexes:\n      u_code_idx: { columns: [code] }\n"
	    "      u_n_idx: { columns: [n] }\n",
	    "tables:\n  u:\n    columns:\n      code: text\n      n: text\n");
	fx_classify(&f, counts_, NCOUNTS, -1);
	ss_plan_hold(&f.p, SAFE_ONLY);
	FX_EXPECT(&f,
	    "alter_column u.code destructive held",
	    "create_index u.u_code_idx safe held",
	    "create_index u.u_n_idx safe");
}

Test(plan, replaced_object_is_held_as_a_pair)
{
	fx_diff(&f,
	    "tables:\n  u:\n    columns:\n      e: text\n"
	    "    indexes:\n      u_e: { columns: [e], unique: true }\n",
	    "tables:\n  u:\n    columns:\n      e: text\n"
	    "    indexes:\n      u_e: { columns: [e] }\n");
	fx_classify(&f, NULL, 0, 4);
	ss_plan_hold(&f.p, SAFE_ONLY);
	FX_EXPECT(&f,
	    "drop_index u.u_e safe held",
	    "create_index u.u_e unexecutable held");
	cr_assert_eq(f.p.v[0]->held_by, f.p.v[1]);
}

Test(plan, drops_wait_for_held_drops_that_use_them)
{
	COUNTS({ SS_COUNT_ROWS, "a", NULL, NULL, 10 });

	/* a references b and uses enum mood; a has rows, b has none. */
	fx_diff(&f, "",
	    "enums:\n  mood: [x]\n"
	    "tables:\n"
	    "  b:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "  a:\n    columns:\n"
	    "      r: { type: integer, references: b.id }\n"
	    "      m: mood\n");
	fx_classify(&f, counts_, NCOUNTS, 0);
	fx_order(&f);
	ss_plan_hold(&f.p, SAFE_ONLY);
	FX_EXPECT(&f,
	    "drop_table a destructive held",
	    "drop_table b safe held",
	    "drop_enum mood safe held");
	cr_assert_eq(ss_plan_hold(&f.p, DATA_LOSS), 0);
}

/*
 * A column added under the name of a dropped one. The differ never
 * makes this pair (one name in both models is one column), so the plan
 * is put together by hand, as a future diff rule or a caller might.
 */
Test(plan, add_under_a_dropped_name_waits_for_the_drop)
{
	struct ss_change *drop, *add;

	fx_load(&f.d, "d.yaml", "tables:\n  u:\n    columns:\n      a: boolean\n");
	fx_load(&f.c, "c.yaml", "tables:\n  u:\n    columns:\n      a: text\n");
	f.p.desired = &f.d;
	f.p.current = &f.c;
	add = ss_plan_add(&f.p, SS_OP_ADD_COLUMN);
	add->table = add->cur_table = "u";
	add->column = "a";
	add->d_table = ss_schema_table(&f.d, "u");
	add->c_table = ss_schema_table(&f.c, "u");
	add->d_column = &add->d_table->columns[0];
	drop = ss_plan_add(&f.p, SS_OP_DROP_COLUMN);
	drop->table = drop->cur_table = "u";
	drop->column = drop->cur_column = "a";
	drop->c_table = add->c_table;
	drop->c_column = &drop->c_table->columns[0];
	fx_classify(&f, NULL, 0, 42);
	fx_order(&f);
	FX_EXPECT(&f, "drop_column u.a destructive", "add_column u.a safe");
	ss_plan_hold(&f.p, SAFE_ONLY);
	cr_assert(add->held);
	cr_assert_eq(add->held_by, drop);
	ss_plan_hold(&f.p, DATA_LOSS);
	cr_assert_not(add->held);
}

/* Ordering. */

Test(plan, referenced_tables_first)
{
	fx_diff(&f,
	    "tables:\n"
	    "  c:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "      b: { type: integer, references: b.id }\n"
	    "  b:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "      a: { type: integer, references: a.id }\n"
	    "  a:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "      self: { type: integer, references: a.id }\n",
	    "");
	fx_order(&f);
	FX_EXPECT(&f, "create_table a safe", "create_table b safe",
	    "create_table c safe");
	cr_assert_eq(f.p.v[0]->ndeferred_fks, 0);
}

Test(plan, foreign_key_cycle_is_broken)
{
	struct ss_change *a;

	fx_diff(&f,
	    "tables:\n"
	    "  a:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "      b: { type: integer, references: b.id }\n"
	    "  b:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "      a: { type: integer, references: a.id }\n"
	    "  c:\n    columns:\n      a: { type: integer, references: a.id }\n",
	    "");
	fx_order(&f);
	FX_EXPECT(&f,
	    "create_table a safe",
	    "create_table b safe",
	    "create_table c safe",
	    "add_foreign_key a.a_b_fkey safe");
	a = f.p.v[0];
	cr_assert_eq(a->ndeferred_fks, 1);
	cr_assert_str_eq(a->deferred_fks[0]->name, "a_b_fkey");
	cr_assert_eq(f.p.v[3]->d_fk, a->deferred_fks[0]);
	cr_assert_eq(f.p.v[1]->ndeferred_fks, 0);
	/* Ordering again changes nothing. */
	fx_order(&f);
	cr_assert_eq(f.p.n, 4);
	cr_assert_str_eq(ss_op_name(f.p.v[3]->op), "add_foreign_key");
	/* The appended change is classified and held like any other. */
	fx_classify(&f, NULL, 0, 0);
	cr_assert_eq(ss_plan_hold(&f.p, SAFE_ONLY), 0);
}

Test(plan, forward_references_need_no_cycle_breaking)
{
	f.o.forward_fks = true;
	fx_diff(&f,
	    "tables:\n"
	    "  a:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "      b: { type: integer, references: b.id }\n"
	    "  b:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "      a: { type: integer, references: a.id }\n",
	    "");
	fx_order(&f);
	FX_EXPECT(&f, "create_table a safe", "create_table b safe");
	cr_assert_eq(f.p.v[0]->ndeferred_fks, 0);
}

Test(plan, dropped_referenced_table_after_its_foreign_keys)
{
	fx_diff(&f,
	    "tables:\n  kept:\n    columns:\n      id: integer\n",
	    "tables:\n"
	    "  gone:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "  kept:\n    columns:\n      id: integer\n"
	    "      g: { type: integer, references: gone.id }\n"
	    "    indexes:\n      kept_g_idx: { columns: [g] }\n");
	fx_order(&f);
	FX_EXPECT(&f,
	    "drop_index kept.kept_g_idx safe",
	    "drop_foreign_key kept.kept_g_fkey safe",
	    "drop_column kept.g safe",
	    "drop_table gone safe");
}

Test(plan, dropped_tables_referencing_ones_first)
{
	fx_diff(&f, "",
	    "tables:\n"
	    "  b:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "  a:\n    columns:\n      r: { type: integer, references: b.id }\n");
	fx_order(&f);
	FX_EXPECT(&f, "drop_table a safe", "drop_table b safe");
}

Test(plan, dropped_table_cycle_is_broken)
{
	fx_diff(&f, "",
	    "tables:\n"
	    "  a:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "      b: { type: integer, references: b.id }\n"
	    "  b:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "      a: { type: integer, references: a.id }\n");
	fx_order(&f);
	FX_EXPECT(&f,
	    "drop_foreign_key b.b_a_fkey safe",
	    "drop_table a safe",
	    "drop_table b safe");
}

Test(plan, enums_before_tables_and_after_their_last_use)
{
	fx_diff(&f,
	    "enums:\n  mood: [happy, sad]\n  st: [a, b, c]\n"
	    "tables:\n"
	    "  t:\n    columns:\n      m: mood\n"
	    "      s: { type: st, default: c }\n"
	    "      old: text\n",
	    "enums:\n  gone: [x]\n  st: [a, b, z]\n"
	    "tables:\n"
	    "  t:\n    columns:\n      s: { type: st, default: z }\n"
	    "      old: gone\n");
	fx_order(&f);
	FX_EXPECT(&f,
	    "create_enum mood safe",
	    "add_enum_value st.c safe",
	    "add_column t.m safe",
	    "alter_column t.s safe",
	    "alter_column t.old safe",
	    "drop_enum_value st.z safe",
	    "drop_enum gone safe");
}

/*
 * An enum's recreation (a removed value) converts the columns the files
 * keep; a held drop of another column of the enum (or of a table with
 * one) leaves that column of the old type, which then cannot be
 * dropped: the recreation waits for the drop, held with it (watch).
 */
Test(plan, an_enum_recreation_waits_for_the_drops_of_its_columns)
{
	static const struct fx_count counts[] = {
		{ SS_COUNT_NONNULL, "t", "n", NULL, 1 },
		{ SS_COUNT_ROWS, "u", NULL, NULL, 2 },
	};

	f.o.enum_types = true;
	fx_diff(&f,
	    "enums:\n  mood: [a, b]\n"
	    "tables:\n  t:\n    columns:\n      id: integer\n      m: mood\n",
	    "enums:\n  mood: [a, b, c]\n"
	    "tables:\n  t:\n    columns:\n      id: integer\n      m: mood\n"
	    "      n: mood\n"
	    "  u:\n    columns:\n      id: integer\n      k: mood[]\n");
	fx_classify(&f, counts, 2, 0);
	fx_order(&f);
	cr_assert_eq(ss_plan_hold(&f.p, SS_ACCEPT(SS_CLASS_SAFE)), 3, "%s",
	    fx_render(&f));
	cr_assert(fx_find(&f, "drop_enum_value mood.c")->held);
	cr_assert_not_null(fx_find(&f, "drop_enum_value mood.c")->held_by);
	/* Accepted, all of it runs: the drops first. */
	cr_assert_eq(ss_plan_hold(&f.p, ~0u), 0);
	FX_EXPECT(&f,
	    "drop_column t.n destructive",
	    "drop_table u destructive",
	    "drop_enum_value mood.c safe");
}

Test(plan, renames_then_drops_then_changes_then_adds_then_drops_of_columns)
{
	fx_diff(&f,
	    "tables:\n  t:\n    renamed_from: old_t\n    columns:\n"
	    "      id: { type: bigint, primary_key: true }\n"
	    "      code: varchar(10)\n"
	    "      fresh: boolean\n"
	    "    indexes:\n      t_fresh_idx: { columns: [fresh] }\n",
	    "tables:\n  old_t:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      code: text\n"
	    "      legacy: bytea\n"
	    "    indexes:\n      old_t_code_idx: { columns: [code] }\n");
	fx_order(&f);
	FX_EXPECT(&f,
	    "rename_table t safe",
	    "drop_index t.old_t_code_idx safe",
	    "alter_column t.id safe",
	    "alter_column t.code safe",
	    "add_column t.fresh safe",
	    "create_index t.t_fresh_idx safe",
	    "drop_column t.legacy safe");
}

Test(plan, ordering_is_deterministic)
{
	struct ss_buf first = SS_BUF_INIT;

	fx_diff(&f,
	    "enums:\n  e: [x, y]\n"
	    "tables:\n"
	    "  d:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "      c: { type: integer, references: c.id }\n      e: e\n"
	    "    indexes:\n      d_e: { columns: [e] }\n"
	    "  c:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "      a: { type: integer, references: a.id }\n"
	    "  b:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "  a:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "      b: { type: integer, references: b.id }\n"
	    "      d: { type: integer, references: d.id }\n",
	    "");
	fx_order(&f);
	ss_buf_adds(&first, fx_render(&f));
	FX_EXPECT(&f,
	    "create_enum e safe",
	    "create_table b safe",
	    "create_table d safe",
	    "create_table a safe",
	    "create_table c safe",
	    "create_index d.d_e safe",
	    "add_foreign_key d.d_c_fkey safe");
	fx_rediff(&f);
	fx_order(&f);
	cr_assert_str_eq(fx_render(&f), first.s);
	ss_buf_release(&first);
}

Test(plan, unbreakable_cycle_is_an_error)
{
	struct ss_err err = SS_ERR_INIT;
	struct ss_change *ab, *ba;

	/* Swapping two columns' names by renames needs a temporary name,
	 * which the differ never plans; put together by hand. */
	ab = ss_plan_add(&f.p, SS_OP_RENAME_COLUMN);
	ab->table = ab->cur_table = "u";
	ab->old_name = ab->cur_column = "a";
	ab->column = "b";
	ba = ss_plan_add(&f.p, SS_OP_RENAME_COLUMN);
	ba->table = ba->cur_table = "u";
	ba->old_name = ba->cur_column = "b";
	ba->column = "a";
	cr_assert_eq(ss_plan_order(&f.p, &err), -SS_EINTERNAL);
	cr_assert(strstr(err.msg.s, "dependency cycle") != NULL, "%s",
	    err.msg.s);
	/* The plan is left as it was. */
	cr_assert_eq(f.p.v[0], ab);
	cr_assert_eq(f.p.v[1], ba);
	ss_err_release(&err);
}

Test(plan, comments_are_safe_changes_after_renames)
{
	f.o.comments = true;
	fx_diff(&f,
	    "tables:\n  people:\n    renamed_from: users\n"
	    "    comment: Everyone.\n    columns:\n"
	    "      id: { type: integer, primary_key: true, comment: \"\" }\n"
	    "      mail: { type: text, renamed_from: email, comment: Lower. }\n",
	    "tables:\n  users:\n    columns:\n"
	    "      id: { type: integer, primary_key: true, comment: Key. }\n"
	    "      email: text\n");
	fx_classify(&f, NULL, 0, 0);
	fx_order(&f);
	FX_EXPECT(&f,
	    "rename_table people safe",
	    "rename_column people.mail safe",
	    "set_comment people safe",
	    "set_comment people.id safe",
	    "set_comment people.mail safe");
	cr_assert_str_eq(describe(f.p.v[2]), "set comment on table people");
	cr_assert_str_eq(describe(f.p.v[3]), "drop comment on column people.id");
	cr_assert_str_eq(describe(f.p.v[4]), "set comment on column people.mail");
	cr_assert_str_eq(ss_change_sign(f.p.v[3]), "~");
	cr_assert_str_eq(ss_change_sign(f.p.v[4]), "~");
}

Test(plan, comment_waits_for_an_unanswered_rename)
{
	f.o.comments = true;
	fx_diff(&f,
	    "tables:\n  t:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      b: { type: text, comment: New. }\n",
	    "tables:\n  t:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      a: text\n");
	fx_classify(&f, NULL, 0, 0);
	fx_order(&f);
	cr_assert_eq(ss_plan_hold(&f.p, SS_ACCEPT(SS_CLASS_SAFE)), 2);
	FX_EXPECT(&f,
	    "rename_column t.b ambiguous held",
	    "set_comment t.b safe held");
}

Test(plan, autoincrement_lines)
{
	f.o.identity_always = true;
	fx_diff(&f,
	    "tables:\n  t:\n    columns:\n"
	    "      a: { type: integer, autoincrement: always }\n"
	    "      b: { type: integer, autoincrement: true }\n"
	    "      c: { type: integer, autoincrement: always }\n"
	    "      d: { type: integer, nullable: false }\n",
	    "tables:\n  t:\n    columns:\n"
	    "      a: { type: integer, autoincrement: true }\n"
	    "      b: { type: integer, autoincrement: always }\n"
	    "      c: { type: integer, nullable: false }\n"
	    "      d: { type: integer, autoincrement: true }\n");
	cr_assert_eq(f.p.n, 4, "%s", fx_render(&f));
	cr_assert_str_eq(describe(f.p.v[0]),
	    "alter column t.a: autoincrement true → always");
	cr_assert_str_eq(describe(f.p.v[1]),
	    "alter column t.b: autoincrement always → true");
	cr_assert_str_eq(describe(f.p.v[2]),
	    "alter column t.c: add autoincrement always");
	cr_assert_str_eq(describe(f.p.v[3]),
	    "alter column t.d: drop autoincrement");
}

/* SQLite's table options: becoming STRICT over values it refuses. */
static const char plain_t[] = "tables:\n  t:\n    columns:\n"
    "      id: { type: integer, primary_key: true }\n      v: text\n";
static const char strict_t[] = "tables:\n  t:\n    strict: true\n"
    "    columns:\n      id: { type: integer, primary_key: true }\n"
    "      w: { type: text, renamed_from: v }\n";

Test(plan, becoming_strict_over_misfits_is_unexecutable)
{
	struct ss_change *c;
	struct ss_count_request *reqs;
	size_t n;
	COUNTS({ SS_COUNT_STRICT, "t", NULL, NULL, 3 });

	fx_diff(&f, strict_t, plain_t);
	n = ss_plan_count_requests(&f.p, &reqs);
	cr_assert_eq(n, 1);
	cr_assert_eq(reqs[0].kind, SS_COUNT_STRICT);
	cr_assert_eq(reqs[0].ncolumns, 2);
	cr_expect_str_eq(reqs[0].columns[1], "v", "the current name");
	cr_expect_eq(reqs[0].types[1]->kind, SS_TYPE_TEXT);
	fx_classify(&f, counts_, NCOUNTS, 0);
	c = fx_find(&f, "alter_table");
	cr_assert_not_null(c);
	cr_assert_eq(c->class, SS_CLASS_UNEXECUTABLE);
	cr_assert_eq(c->count, 3);
	cr_assert_str_eq(describe(c), "alter table t: strict (3 rows hold a "
	    "value that STRICT column types refuse)");
	cr_assert_str_eq(ss_change_loc(c)->file, "desired.yaml");
	cr_assert_eq(ss_change_loc(c)->line, 3);
}

Test(plan, becoming_strict_over_fitting_values_is_safe)
{
	struct ss_change *c;

	fx_diff(&f, strict_t, plain_t);
	fx_classify(&f, NULL, 0, 0);
	c = fx_find(&f, "alter_table");
	cr_assert_eq(c->class, SS_CLASS_SAFE);
	cr_assert_str_eq(ss_change_sign(c), "~");
}

Test(plan, leaving_strict_counts_nothing)
{
	struct ss_count_request *reqs;

	fx_diff(&f, plain_t, "tables:\n  t:\n    strict: true\n"
	    "    without_rowid: true\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n      v: text\n");
	cr_assert_eq(ss_plan_count_requests(&f.p, &reqs), 0);
	fx_classify(&f, NULL, 0, 0);
	cr_assert_str_eq(describe(fx_find(&f, "alter_table")),
	    "alter table t: not strict, with rowid");
}

Test(plan, foreign_key_timing_described)
{
	fx_diff(&f, "tables:\n  p:\n    columns:\n      id: { type: integer, "
	    "primary_key: true }\n  k:\n    columns:\n      p_id: integer\n"
	    "    foreign_keys:\n      k_fk: { columns: [p_id], references: "
	    "{ table: p }, initially_deferred: true }\n",
	    "tables:\n  p:\n    columns:\n      id: { type: integer, "
	    "primary_key: true }\n  k:\n    columns:\n      p_id: integer\n"
	    "    foreign_keys:\n      k_fk: { columns: [p_id], references: "
	    "{ table: p } }\n");
	fx_classify(&f, NULL, 0, 0);
	cr_assert_str_eq(describe(f.p.v[0]), "alter foreign key k_fk on k: "
	    "deferrable initially deferred");
	cr_assert_eq(f.p.v[0]->class, SS_CLASS_SAFE);
}

/* Index methods and options, and unique constraints, on their lines. */
Test(plan, describe_index_options_and_unique_rename)
{
	static const char *const want[] = {
		"rename column u.mail → u.mail2",
		"rename unique u_mail_key → u_mail2_key on u",
		"add unique u_a_b_key on u (a, b) include (c) nulls not distinct deferrable initially deferred",
		"create index u_a_idx on u using gin (a jsonb_path_ops, b desc nulls last) include (c)",
		"create unique index u_b_idx on u (b nulls first) nulls not distinct",
	};
	struct ss_buf b = SS_BUF_INIT;
	size_t i;

	f.o.unique_constraints = true;
	fx_diff(&f,
	    "tables:\n  u:\n    columns:\n"
	    "      mail2: { type: text, unique: true, renamed_from: mail }\n"
	    "      a: jsonb\n      b: text\n      c: text\n"
	    "    indexes:\n"
	    "      u_a_idx: { columns: [\"a jsonb_path_ops\", \"b DESC NULLS LAST\"], using: gin, include: [c] }\n"
	    "      u_b_idx: { columns: [{ column: b, nulls: first }], unique: true, nulls_not_distinct: true }\n"
	    "      u_a_b_key: { columns: [a, b], unique: true, constraint: true, include: [c], nulls_not_distinct: true, deferrable: true, initially_deferred: true }\n",
	    "tables:\n  u:\n    columns:\n"
	    "      mail: { type: text, unique: true }\n"
	    "      a: jsonb\n      b: text\n      c: text\n");
	fx_order(&f);
	for (i = 0; i < f.p.n; i++) {
		ss_buf_reset(&b);
		ss_change_describe(&b, f.p.v[i]);
		cr_assert(i < sizeof want / sizeof want[0], "extra: %s", b.s);
		cr_assert_str_eq(b.s, want[i], "change %zu of:\n%s", i,
		    fx_render(&f));
	}
	cr_assert_eq(f.p.n, sizeof want / sizeof want[0], "%s", fx_render(&f));
	ss_buf_release(&b);
}

/*
 * Generated columns: a new expression recomputes derived values (safe);
 * a column that holds values made generated loses them (destructive,
 * counted); one made plain keeps what it computed; dropping one loses
 * no data of its own, whatever is in it. Identity options and
 * collations are safe changes, described.
 */
Test(plan, generated_identity_collation)
{
	f.o.identity_always = true;
	f.o.default_collation = "default";
	fx_diff(&f,
	    "tables:\n  t:\n    columns:\n"
	    "      a: integer\n"
	    "      b: { type: integer, generated: { sql: \"a * 3\", stored: true } }\n"
	    "      c: { type: integer, generated: { sql: \"a + 1\", stored: true } }\n"
	    "      d: integer\n"
	    "      e: { type: text, collation: C }\n"
	    "      f: { type: text, collation: default }\n"
	    "      id: { type: bigint, autoincrement: { start: 100, increment: 5 } }\n",
	    "tables:\n  t:\n    columns:\n"
	    "      a: integer\n"
	    "      b: { type: integer, generated: { sql: \"a * 2\", stored: true } }\n"
	    "      c: integer\n"
	    "      d: { type: bigint, generated: { sql: \"a - 1\" } }\n"
	    "      e: { type: text, collation: und-x-icu }\n"
	    "      f: text\n"
	    "      g: { type: integer, generated: { sql: \"a\", stored: true } }\n"
	    "      id: { type: bigint, autoincrement: true }\n");
	fx_classify(&f, NULL, 0, 3);
	FX_EXPECT(&f,
	    "alter_column t.b safe",
	    "alter_column t.c destructive",
	    "alter_column t.d destructive",
	    "alter_column t.e safe",
	    "alter_column t.id safe",
	    "drop_column t.g safe");
	cr_expect_str_eq(describe(f.p.v[0]), "alter column t.b: generated "
	    "stored (a * 2) → stored (a * 3) (generated: its values are "
	    "computed again, no data is lost)");
	cr_expect_str_eq(f.p.v[0]->detail, "generated: its values are "
	    "computed again, no data is lost");
	cr_expect_str_eq(describe(f.p.v[1]), "alter column t.c: generated "
	    "stored (a + 1) (3 non-null values replaced by the generation "
	    "expression)");
	cr_expect_str_eq(f.p.v[1]->detail, "3 non-null values replaced by "
	    "the generation expression");
	cr_expect_eq(f.p.v[1]->count, 3);
	/* Made plain, its values stay: a narrowing type change counts. */
	cr_expect_str_eq(describe(f.p.v[2]), "alter column t.d: type bigint "
	    "→ integer, drop generated (the computed values stay, as plain "
	    "values; 3 non-null values, 3 would not survive the type change)");
	cr_expect_str_eq(describe(f.p.v[3]), "alter column t.e: collation "
	    "und-x-icu → C");
	cr_expect_str_eq(describe(f.p.v[4]), "alter column t.id: "
	    "autoincrement start 1 increment 1 → start 100 increment 5");
	cr_expect_str_eq(f.p.v[5]->detail, "generated: no data of its own");
}

/* Declared views (note 8). */

static bool
type_breaks(const struct ss_plan *p, const struct ss_change *c, void *ctx)
{
	(void)p;
	(void)ctx;
	return c->op == SS_OP_ALTER_COLUMN && (c->alter & SS_ALTER_TYPE);
}

static const char views_current[] =
"tables:\n  t:\n    columns:\n      id: integer\n      a: integer\n"
"views:\n  top: SELECT * FROM mid\n  mid: SELECT id, a FROM t\n"
"  old: SELECT a FROM t\n";

Test(plan, views_drop_first_and_create_last_in_dependency_order)
{
	f.o.breaks_views = type_breaks;
	fx_diff(&f,
	    "tables:\n  t:\n    columns:\n      id: integer\n      a: bigint\n"
	    "  n:\n    columns:\n      id: integer\n"
	    /* top reads mid, which is written after it. */
	    "views:\n  top: SELECT * FROM mid\n  mid: SELECT id, a FROM t\n"
	    "  nv: SELECT * FROM n JOIN mid ON mid.id = n.id\n"
	    "  old: { drop: true }\n",
	    views_current);
	fx_order(&f);
	FX_EXPECT(&f,
	    "drop_view old safe",
	    "drop_view top safe",
	    "drop_view mid safe",
	    "alter_column t.a safe",
	    "create_table n safe",
	    "create_view mid safe",
	    "create_view nv safe",
	    "create_view top safe");
}

Test(plan, a_view_re_created_around_a_held_change_is_held_with_it)
{
	f.o.breaks_views = type_breaks;
	fx_diff(&f,
	    "tables:\n  t:\n    columns:\n      id: integer\n      a: smallint\n"
	    "views:\n  top: SELECT * FROM mid\n  mid: SELECT * FROM t\n"
	    "  old: SELECT a FROM t\n",
	    "tables:\n  t:\n    columns:\n      id: integer\n      a: integer\n"
	    "views:\n  top: SELECT * FROM mid\n  mid: SELECT * FROM t\n"
	    "  old: SELECT a FROM t\n");
	fx_classify(&f, NULL, 0, 5);
	fx_order(&f);
	ss_plan_hold(&f.p, SS_ACCEPT(SS_CLASS_SAFE));
	FX_EXPECT(&f,
	    "drop_view old safe held",
	    "drop_view top safe held",
	    "drop_view mid safe held",
	    "alter_column t.a destructive held",
	    "create_view mid safe held",
	    "create_view old safe held",
	    "create_view top safe held");
}

Test(plan, describe_views)
{
	static const char *const want[] = {
		"drop view v (its definition changed; created again after)",
		"drop view gone",
		"drop materialized view m (table t changes; created again after)",
		"alter column t.a: type integer → bigint",
		"create view v",
		"create materialized view m (again: table t changes) (runs its "
		    "query and stores every row: may be slow)",
	};
	size_t i;

	f.o.breaks_views = type_breaks;
	fx_diff(&f,
	    "tables:\n  t:\n    columns:\n      a: bigint\n"
	    "views:\n  v: SELECT 2\n  m: { sql: SELECT a FROM t, materialized: true }\n"
	    "  gone: { drop: true }\n",
	    "tables:\n  t:\n    columns:\n      a: integer\n"
	    "views:\n  v: SELECT 1\n  m: { sql: SELECT a FROM t, materialized: true }\n"
	    "  gone: SELECT 3\n");
	fx_order(&f);
	cr_assert_eq(f.p.n, sizeof want / sizeof want[0], "%s", fx_render(&f));
	for (i = 0; i < f.p.n; i++)
		cr_expect_str_eq(describe(f.p.v[i]), want[i], "change %zu of:\n%s",
		    i, fx_render(&f));
	cr_expect_str_eq(ss_change_sign(fx_find(&f, "drop_view gone")), "-");
	cr_expect_str_eq(ss_change_sign(fx_find(&f, "create_view v")), "+");
	cr_expect_eq(ss_change_loc(fx_find(&f, "create_view v"))->line, 6);
	cr_expect_eq(ss_change_loc(fx_find(&f, "drop_view gone"))->line, 8);
	cr_expect_null(ss_change_loc(fx_find(&f, "drop_view m")));
}

/*
 * A removed enum value: rows holding it take the column's default when
 * the enum keeps it, else NULL. In a key, the default may be a value
 * another row holds (a DUPLICATES count over the values as they will
 * be); NULL in a NOT NULL column has nowhere to go. Either is
 * unexecutable, with its own fix.
 */
Test(plan, enum_value_removal_counts_keys_and_not_null)
{
	struct ss_count_request *reqs;
	struct ss_buf fix = SS_BUF_INIT;
	struct ss_change *c;
	size_t n, i, dup = 0;
	struct fx_count counts_[] = {
		{ SS_COUNT_ENUM_VALUE, "t", "k", "a", 1 },
		{ SS_COUNT_DUPLICATES, "t", NULL, NULL, 2 },
	};

	fx_diff(&f,
	    "enums:\n  st: [b, c]\n"
	    "tables:\n  t:\n    columns:\n"
	    "      k: { type: st, primary_key: true, default: b }\n",
	    "enums:\n  st: [a, b, c]\n"
	    "tables:\n  t:\n    columns:\n"
	    "      k: { type: st, primary_key: true, default: b }\n");
	n = ss_plan_count_requests(&f.p, &reqs);
	for (i = 0; i < n; i++)
		if (reqs[i].kind == SS_COUNT_DUPLICATES) {
			dup++;
			cr_assert_eq(reqs[i].ncolumns, 1);
			cr_expect_str_eq(reqs[i].columns[0], "(CASE WHEN "
			    "\"k\" IS NULL OR \"k\"::text IN (E'b', E'c') "
			    "THEN \"k\"::text ELSE E'b' END)");
			cr_expect_str_eq(reqs[i].having, "max(CASE WHEN "
			    "\"k\"::text = E'a' THEN 1 ELSE 0 END) = 1");
		}
	cr_assert_eq(dup, 1, "one count for the primary key");
	fx_classify(&f, counts_, NCOUNTS, 0);
	c = f.p.v[0];
	cr_assert_eq(c->op, SS_OP_DROP_ENUM_VALUE);
	cr_expect_eq(c->class, SS_CLASS_UNEXECUTABLE);
	cr_expect_str_eq(describe(c), "drop enum value st.a (2 rows would "
	    "share one key value once the rows holding it take the default)");
	ss_change_fix(&fix, c);
	cr_expect_str_eq(fix.s, "change the rows that hold it first, or keep "
	    "it");
	/* Apart: destructive, as any used value. */
	counts_[1].count = 0;
	fx_classify(&f, counts_, NCOUNTS, 0);
	cr_expect_eq(f.p.v[0]->class, SS_CLASS_DESTRUCTIVE);
	ss_buf_release(&fix);

	/* NOT NULL with no default the enum keeps. */
	fx_release(&f);
	fx_init(&f);
	fx_diff(&f,
	    "enums:\n  st: [b]\n"
	    "tables:\n  t:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      k: { type: st, nullable: false }\n",
	    "enums:\n  st: [a, b]\n"
	    "tables:\n  t:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      k: { type: st, nullable: false }\n");
	fx_classify(&f, counts_, NCOUNTS, 0);
	c = f.p.v[0];
	cr_expect_eq(c->class, SS_CLASS_UNEXECUTABLE);
	cr_expect_str_eq(describe(c), "drop enum value st.a (1 row holds it "
	    "in NOT NULL column t.k, which has no default the enum keeps and "
	    "has before this push)");
	/* Nullable: NULL is where it goes. */
	fx_release(&f);
	fx_init(&f);
	fx_diff(&f,
	    "enums:\n  st: [b]\n"
	    "tables:\n  t:\n    columns:\n      k: st\n",
	    "enums:\n  st: [a, b]\n"
	    "tables:\n  t:\n    columns:\n      k: st\n");
	fx_classify(&f, counts_, NCOUNTS, 0);
	cr_expect_eq(f.p.v[0]->class, SS_CLASS_DESTRUCTIVE);
}

/* Casts to a type, as an enum recreation must find them; a column or
 * a string that only spells the name is none. */
Test(plan, expr_casts_to)
{
	cr_expect(ss_expr_casts_to("'a'::e", "e"));
	cr_expect(ss_expr_casts_to("CASE WHEN n > 0 THEN 'a'::e END", "e"));
	cr_expect(ss_expr_casts_to("x :: e", "e"));
	cr_expect(ss_expr_casts_to("'{a}'::e[]", "e"));
	cr_expect(ss_expr_casts_to("x::public.e", "e"));
	cr_expect(ss_expr_casts_to("x::\"public\".\"e\"", "e"));
	cr_expect(ss_expr_casts_to("CAST(x AS e)", "e"));
	cr_expect(ss_expr_casts_to("cast(x as E)", "e"));
	cr_expect(ss_expr_casts_to("'a'::\"Mood\"", "Mood"));
	cr_expect(ss_expr_casts_to("n > 0 OR e 'z' IS NULL", "e"));
	cr_expect(ss_expr_casts_to("\"Mood\" 'z'", "Mood"));
	cr_expect(!ss_expr_casts_to("text 'z' || e", "e"));
	cr_expect(!ss_expr_casts_to("'a'::\"Mood\"", "mood"));
	cr_expect(!ss_expr_casts_to("upper(e) || id::text", "e"));
	cr_expect(!ss_expr_casts_to("e::text", "e"));
	cr_expect(!ss_expr_casts_to("'x::e'", "e"));
	cr_expect(!ss_expr_casts_to("x::text || e", "e"));
	cr_expect(!ss_expr_casts_to("x::ee", "e"));
	cr_expect(!ss_expr_casts_to("2::integer", "e"));
}
