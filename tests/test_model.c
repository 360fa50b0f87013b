/*
 * Tests for src/model.c: type parsing, formatting and equality, foreign
 * key actions, and the PostgreSQL name generators (makeObjectName(),
 * ChooseIndexNameAddition()).
 */
#include <string.h>

#include <criterion/criterion.h>

#include "ss/model.h"

static struct ss_schema S;
static struct ss_buf B;

static void
setup(void)
{
	ss_schema_init(&S);
	ss_buf_init(&B);
}

static void
teardown(void)
{
	ss_buf_release(&B);
	ss_schema_release(&S);
}

TestSuite(model, .init = setup, .fini = teardown);

/* Parses text, which must be valid, and returns its canonical spelling. */
static const char *
canon(const char *text)
{
	struct ss_buf why = SS_BUF_INIT;
	struct ss_type t;
	int r;

	r = ss_type_parse(&S, text, &t, &why);
	cr_assert_eq(r, 0, "'%s' rejected: %s", text, why.s);
	ss_buf_release(&why);
	ss_buf_reset(&B);
	ss_type_format(&B, &t);
	return B.s;
}

/* Parses text, which must be malformed, and returns why. */
static const char *
why_bad(const char *text)
{
	struct ss_type t;
	int r;

	ss_buf_reset(&B);
	r = ss_type_parse(&S, text, &t, &B);
	cr_assert_eq(r, -1, "'%s' accepted", text);
	return B.s;
}

static struct ss_type
parse(const char *text)
{
	struct ss_buf why = SS_BUF_INIT;
	struct ss_type t;

	cr_assert_eq(ss_type_parse(&S, text, &t, &why), 0, "'%s': %s", text,
	    why.s);
	ss_buf_release(&why);
	return t;
}

Test(model, type_builtin_spellings_are_canonical)
{
	static const char *const cases[][2] = {
		{ "smallint", "smallint" }, { "int2", "smallint" },
		{ "integer", "integer" }, { "int", "integer" },
		{ "int4", "integer" }, { "INTEGER", "integer" },
		{ "bigint", "bigint" }, { "int8", "bigint" },
		{ "real", "real" }, { "float4", "real" },
		{ "double", "double" }, { "double precision", "double" },
		{ "DOUBLE   PRECISION", "double" }, { "float8", "double" },
		{ "float", "double" },
		{ "numeric", "numeric" }, { "decimal", "numeric" },
		{ "numeric(10,2)", "numeric(10,2)" },
		{ "decimal(10, 2)", "numeric(10,2)" },
		{ "numeric(5)", "numeric(5)" }, { "numeric(5,0)", "numeric(5,0)" },
		{ "boolean", "boolean" }, { "bool", "boolean" },
		{ "text", "text" },
		{ "varchar", "varchar" }, { "varchar(200)", "varchar(200)" },
		{ "VARCHAR (200)", "varchar(200)" },
		{ "character varying(200)", "varchar(200)" },
		{ "char", "char(1)" }, { "character", "char(1)" },
		{ "char(3)", "char(3)" },
		{ "date", "date" }, { "time", "time" },
		{ "time without time zone", "time" },
		{ "timestamp", "timestamp" },
		{ "timestamp without time zone", "timestamp" },
		{ "timestamptz", "timestamptz" },
		{ "timestamp with time zone", "timestamptz" },
		{ "uuid", "uuid" }, { "json", "json" }, { "jsonb", "jsonb" },
		{ "bytea", "bytea" }, { "blob", "bytea" },
		{ "  text  ", "text" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		cr_expect_str_eq(canon(cases[i][0]), cases[i][1], "'%s'",
		    cases[i][0]);
}

Test(model, type_kinds_and_parameters)
{
	struct ss_type t;

	t = parse("numeric(10,2)");
	cr_assert_eq(t.kind, SS_TYPE_NUMERIC);
	cr_assert_eq(t.len, 10);
	cr_assert_eq(t.scale, 2);
	t = parse("varchar(200)");
	cr_assert_eq(t.kind, SS_TYPE_VARCHAR);
	cr_assert_eq(t.len, 200);
	cr_assert_eq(t.scale, -1);
	t = parse("text");
	cr_assert_eq(t.kind, SS_TYPE_TEXT);
	cr_assert_eq(t.len, -1);
	cr_assert_null(t.name);
	t = parse("blob");
	cr_assert_eq(t.kind, SS_TYPE_BYTES);
}

Test(model, other_types_pass_verbatim)
{
	static const char *const cases[] = { "text[]", "inet", "citext",
		"Geography(Point, 4326)", "integer[]", "tsvector" };
	struct ss_type t;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t = parse(cases[i]);
		cr_expect_eq(t.kind, SS_TYPE_OTHER, "'%s'", cases[i]);
		cr_expect_str_eq(t.name, cases[i]);
		cr_expect_str_eq(canon(cases[i]), cases[i]);
	}
	t = parse("  inet ");
	cr_assert_str_eq(t.name, "inet");
}

Test(model, malformed_types)
{
	cr_assert_str_eq(why_bad("varchar(abc)"), "malformed type "
	    "'varchar(abc)': expected a length such as varchar(255)");
	cr_assert_str_eq(why_bad("varchar(0)"), "malformed type "
	    "'varchar(0)': expected a length such as varchar(255)");
	cr_assert_str_eq(why_bad("varchar(10"), "malformed type "
	    "'varchar(10': expected a length such as varchar(255)");
	cr_assert_str_eq(why_bad("char(2)x"), "malformed type "
	    "'char(2)x': expected a length such as char(255)");
	cr_assert_str_eq(why_bad("varchar(9999999999)"), "malformed type "
	    "'varchar(9999999999)': expected a length such as varchar(255)");
	cr_assert_str_eq(why_bad("numeric(2,5)"), "malformed type "
	    "'numeric(2,5)': expected numeric(P) or numeric(P,S) with "
	    "1 <= P <= 1000 and 0 <= S <= P");
	cr_assert_str_eq(why_bad("decimal(0)"), "malformed type "
	    "'decimal(0)': expected decimal(P) or decimal(P,S) with "
	    "1 <= P <= 1000 and 0 <= S <= P");
	cr_assert_str_eq(why_bad("numeric(1001)"), "malformed type "
	    "'numeric(1001)': expected numeric(P) or numeric(P,S) with "
	    "1 <= P <= 1000 and 0 <= S <= P");
	cr_assert_str_eq(why_bad("numeric(10,)"), "malformed type "
	    "'numeric(10,)': expected numeric(P) or numeric(P,S) with "
	    "1 <= P <= 1000 and 0 <= S <= P");
	cr_assert_str_eq(why_bad("integer(5)"),
	    "type 'integer' takes no parameters");
	cr_assert_str_eq(why_bad("Text(5)"), "type 'text' takes no parameters");
}

Test(model, type_equality)
{
	struct ss_type a, b;

	a = parse("int");
	b = parse("integer");
	cr_assert(ss_type_equal(&a, &b));
	b = parse("int4");
	cr_assert(ss_type_equal(&a, &b));
	b = parse("bigint");
	cr_assert_not(ss_type_equal(&a, &b));
	a = parse("varchar(200)");
	b = parse("character varying(200)");
	cr_assert(ss_type_equal(&a, &b));
	b = parse("varchar(100)");
	cr_assert_not(ss_type_equal(&a, &b));
	b = parse("varchar");
	cr_assert_not(ss_type_equal(&a, &b));
	b = parse("text");
	cr_assert_not(ss_type_equal(&a, &b));
	a = parse("numeric(10,2)");
	b = parse("decimal(10,2)");
	cr_assert(ss_type_equal(&a, &b));
	b = parse("numeric(10,3)");
	cr_assert_not(ss_type_equal(&a, &b));
	a = parse("bytea");
	b = parse("blob");
	cr_assert(ss_type_equal(&a, &b));
	a = parse("inet");
	b = parse("inet");
	cr_assert(ss_type_equal(&a, &b));
	b = parse("cidr");
	cr_assert_not(ss_type_equal(&a, &b));
	a = parse("char");
	b = parse("char(1)");
	cr_assert(ss_type_equal(&a, &b));
}

Test(model, type_is_integer)
{
	struct ss_type t;

	t = parse("smallint");
	cr_assert(ss_type_is_integer(&t));
	t = parse("int8");
	cr_assert(ss_type_is_integer(&t));
	t = parse("numeric(10)");
	cr_assert_not(ss_type_is_integer(&t));
	t = parse("text");
	cr_assert_not(ss_type_is_integer(&t));
}

Test(model, default_equality)
{
	struct ss_default a = { SS_DEFAULT_NUMBER, "0" };
	struct ss_default b = { SS_DEFAULT_STRING, "0" };
	struct ss_default n1 = { SS_DEFAULT_NULL, NULL };
	struct ss_default n2 = { SS_DEFAULT_NULL, NULL };
	struct ss_default none = { SS_DEFAULT_NONE, NULL };

	cr_assert_not(ss_default_equal(&a, &b));
	b.kind = SS_DEFAULT_NUMBER;
	cr_assert(ss_default_equal(&a, &b));
	b.value = "1";
	cr_assert_not(ss_default_equal(&a, &b));
	cr_assert(ss_default_equal(&n1, &n2));
	cr_assert_not(ss_default_equal(&n1, &none));
}

Test(model, fk_actions)
{
	cr_assert_eq(ss_fk_action_parse("cascade"), SS_FK_CASCADE);
	cr_assert_eq(ss_fk_action_parse("CASCADE"), SS_FK_CASCADE);
	cr_assert_eq(ss_fk_action_parse("restrict"), SS_FK_RESTRICT);
	cr_assert_eq(ss_fk_action_parse("no action"), SS_FK_NO_ACTION);
	cr_assert_eq(ss_fk_action_parse("set null"), SS_FK_SET_NULL);
	cr_assert_eq(ss_fk_action_parse("SET NULL"), SS_FK_SET_NULL);
	cr_assert_eq(ss_fk_action_parse("set_null"), SS_FK_SET_NULL);
	cr_assert_eq(ss_fk_action_parse("set default"), SS_FK_SET_DEFAULT);
	cr_assert_eq(ss_fk_action_parse("cascde"), -1);
	cr_assert_eq(ss_fk_action_parse(""), -1);
	cr_assert_eq(ss_fk_action_parse("setnull"), -1);
	cr_assert_eq(ss_fk_action_parse("cascade cascade cascade cascade "
	    "cascade"), -1);
	cr_assert_str_eq(ss_fk_action_name(SS_FK_NO_ACTION), "no action");
	cr_assert_str_eq(ss_fk_action_name(SS_FK_SET_DEFAULT), "set default");
	cr_assert_str_eq(ss_fk_action_name(SS_FK_CASCADE), "cascade");
}

Test(model, object_name_short)
{
	cr_assert_str_eq(ss_make_object_name(&S.arena, "users", "email", "key"),
	    "users_email_key");
	cr_assert_str_eq(ss_make_object_name(&S.arena, "users", NULL, "pkey"),
	    "users_pkey");
	cr_assert_str_eq(ss_make_object_name(&S.arena, "a", "b", NULL), "a_b");
}

static char *
rep(const char *unit, size_t n)
{
	char *s = ss_arena_alloc(&S.arena, strlen(unit) * n + 1);
	size_t i;

	for (i = 0; i < n; i++)
		strcat(s, unit);
	return s;
}

Test(model, object_name_truncates_the_longer_name_first)
{
	char *r;

	/* 40 + 40 does not fit 63 - strlen("__key"); both end at 29. */
	r = ss_make_object_name(&S.arena, rep("a", 40), rep("b", 40), "key");
	cr_assert_eq(strlen(r), SS_MAX_IDENT);
	cr_assert_str_eq(r, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaa_"
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbb_key");
	/* Only the long one is cut. */
	r = ss_make_object_name(&S.arena, rep("t", 70), "id", "fkey");
	cr_assert_eq(strlen(r), SS_MAX_IDENT);
	cr_assert_str_eq(r, ss_arena_printf(&S.arena, "%s_id_fkey",
	    rep("t", 55)));
	r = ss_make_object_name(&S.arena, rep("t", 70), NULL, "pkey");
	cr_assert_str_eq(r, ss_arena_printf(&S.arena, "%s_pkey",
	    rep("t", 58)));
	/* Exactly 63 is left alone. */
	r = ss_make_object_name(&S.arena, rep("t", 58), NULL, "pkey");
	cr_assert_eq(strlen(r), 63);
	cr_assert_str_eq(r, ss_arena_printf(&S.arena, "%s_pkey",
	    rep("t", 58)));
}

/* Whether s is well-formed UTF-8. */
static bool
utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int need;

	while (*p) {
		need = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 :
		    (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : -1;
		if (need < 0)
			return false;
		p++;
		while (need-- > 0)
			if ((*p++ & 0xC0) != 0x80)
				return false;
	}
	return true;
}

Test(model, object_name_never_splits_utf8)
{
	char *r;

	/* 'é' is two bytes: 57 bytes would end inside one, so 56. */
	r = ss_make_object_name(&S.arena, rep("\xc3\xa9", 40), "b", "key");
	cr_assert(utf8_ok(r), "%s", r);
	cr_assert_str_eq(r, ss_arena_printf(&S.arena, "%s_b_key",
	    rep("\xc3\xa9", 28)));
	/* '€' is three bytes; both names are cut to 29 bytes, then back
	 * to a character boundary: 27 bytes. */
	r = ss_make_object_name(&S.arena, rep("\xe2\x82\xac", 20),
	    rep("\xe2\x82\xac", 20), "key");
	cr_assert(utf8_ok(r), "%s", r);
	cr_assert_str_eq(r, ss_arena_printf(&S.arena, "%s_%s_key",
	    rep("\xe2\x82\xac", 9), rep("\xe2\x82\xac", 9)));
	cr_assert_leq(strlen(r), SS_MAX_IDENT);
	/* A four-byte character at the cut. */
	r = ss_make_object_name(&S.arena, rep("\xf0\x9f\x90\x98", 20), NULL,
	    "pkey");
	cr_assert(utf8_ok(r), "%s", r);
	cr_assert_str_eq(r, ss_arena_printf(&S.arena, "%s_pkey",
	    rep("\xf0\x9f\x90\x98", 14)));
}

static void
names_of(struct ss_names *l, const char *const *v)
{
	memset(l, 0, sizeof *l);
	for (; *v != NULL; v++)
		ss_names_add(&S, l, *v, NULL);
}

Test(model, names_addition)
{
	struct ss_names l;
	char *r;

	names_of(&l, (const char *const[]){ "a", NULL });
	cr_assert_str_eq(ss_names_addition(&S.arena, &l), "a");
	names_of(&l, (const char *const[]){ "user_id", "org_id", NULL });
	cr_assert_str_eq(ss_names_addition(&S.arena, &l), "user_id_org_id");
	/* Each name is cut at 63 bytes ... */
	names_of(&l, (const char *const[]){ rep("x", 70), NULL });
	r = ss_names_addition(&S.arena, &l);
	cr_assert_str_eq(r, rep("x", 63));
	/* ... and names stop after the one that reaches 64 bytes. */
	names_of(&l, (const char *const[]){ rep("a", 40), rep("b", 40),
	    "c", NULL });
	r = ss_names_addition(&S.arena, &l);
	cr_assert_str_eq(r, ss_arena_printf(&S.arena, "%s_%s", rep("a", 40),
	    rep("b", 40)));
	names_of(&l, (const char *const[]){ rep("a", 30), rep("b", 30),
	    "c", NULL });
	r = ss_names_addition(&S.arena, &l);
	cr_assert_str_eq(r, ss_arena_printf(&S.arena, "%s_%s_c", rep("a", 30),
	    rep("b", 30)));
}

Test(model, names_helpers)
{
	struct ss_names a, b;

	names_of(&a, (const char *const[]){ "x", "y", NULL });
	names_of(&b, (const char *const[]){ "x", "y", NULL });
	cr_assert(ss_names_equal(&a, &b));
	cr_assert(ss_names_has(&a, "y"));
	cr_assert_not(ss_names_has(&a, "z"));
	names_of(&b, (const char *const[]){ "y", "x", NULL });
	cr_assert_not(ss_names_equal(&a, &b));
}

Test(model, duplicate_table_and_enum_names)
{
	cr_assert_not_null(ss_schema_add_table(&S, "users"));
	cr_assert_null(ss_schema_add_table(&S, "users"));
	cr_assert_not_null(ss_schema_add_enum(&S, "users"));
	cr_assert_null(ss_schema_add_enum(&S, "users"));
	cr_assert_eq(S.ntables, 1);
	cr_assert_eq(S.nenums, 1);
	cr_assert_str_eq(ss_schema_table(&S, "users")->name, "users");
	cr_assert_null(ss_schema_table(&S, "Users"));
}

/* Fractional-seconds precision, in both spellings PostgreSQL accepts:
 * what `pull` writes from format_type() must load back. */
Test(model, time_precision)
{
	struct { const char *text; enum ss_type_kind kind; int len; const char *canon; } ok[] = {
		{ "timestamp(3)", SS_TYPE_TIMESTAMP, 3, "timestamp(3)" },
		{ "timestamp(3) without time zone", SS_TYPE_TIMESTAMP, 3, "timestamp(3)" },
		{ "TIMESTAMP(6) WITH TIME ZONE", SS_TYPE_TIMESTAMPTZ, 6, "timestamptz(6)" },
		{ "timestamptz(0)", SS_TYPE_TIMESTAMPTZ, 0, "timestamptz(0)" },
		{ "time(2)", SS_TYPE_TIME, 2, "time(2)" },
		{ "time(2) without time zone", SS_TYPE_TIME, 2, "time(2)" },
		{ "timestamp", SS_TYPE_TIMESTAMP, -1, "timestamp" },
	};
	const char *bad[] = { "timestamp(7)", "timestamp(-1)", "time(x)",
		"timestamptz(3,1)" };
	struct ss_schema s;
	struct ss_buf why = SS_BUF_INIT, fmt = SS_BUF_INIT;
	struct ss_type t;
	size_t i;

	ss_schema_init(&s);
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		ss_buf_reset(&why);
		cr_expect_eq(ss_type_parse(&s, ok[i].text, &t, &why), 0, "%s: %s",
		    ok[i].text, why.s);
		cr_expect_eq(t.kind, ok[i].kind, "%s", ok[i].text);
		cr_expect_eq(t.len, ok[i].len, "%s", ok[i].text);
		ss_buf_reset(&fmt);
		ss_type_format(&fmt, &t);
		cr_expect_str_eq(fmt.s, ok[i].canon);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ss_buf_reset(&why);
		cr_expect_eq(ss_type_parse(&s, bad[i], &t, &why), -1, "%s", bad[i]);
		cr_expect(strstr(why.s, "fractional-seconds precision 0 to 6") != NULL,
		    "%s: %s", bad[i], why.s);
	}
	ss_buf_release(&why);
	ss_buf_release(&fmt);
	ss_schema_release(&s);
}

static bool
keep_not_b(const char *name, void *ctx)
{
	(void)ctx;
	return strcmp(name, "b") != 0;
}

/* What is not modelled: one line each; an ignored table's go with it. */
Test(model, unmodelled_described_and_filtered_with_their_table)
{
	struct ss_schema s;
	struct ss_buf b = SS_BUF_INIT;

	ss_schema_init(&s);
	ss_schema_add_table(&s, "a");
	ss_schema_add_table(&s, "b");
	ss_schema_add_unmodelled(&s, "a", "table \"a\"", "UNLOGGED",
	    "pushed copies will be logged");
	ss_schema_add_unmodelled(&s, "b", "column \"b\".\"x\"", "STORAGE MAIN",
	    NULL);
	ss_schema_add_unmodelled(&s, "a", "index \"i\" of table \"a\"",
	    "WITH (fillfactor=50)", NULL);
	cr_assert_eq(s.nunmodelled, 3);
	ss_unmodelled_describe(&b, &s.unmodelled[0]);
	cr_expect_str_eq(b.s, "table \"a\": UNLOGGED is not modelled; pushed "
	    "copies will be logged");
	ss_buf_reset(&b);
	ss_unmodelled_describe(&b, &s.unmodelled[1]);
	cr_expect_str_eq(b.s, "column \"b\".\"x\": STORAGE MAIN is not modelled");
	ss_schema_filter_tables(&s, keep_not_b, NULL);
	cr_assert_eq(s.nunmodelled, 2);
	cr_expect_str_eq(s.unmodelled[1].what, "WITH (fillfactor=50)");
	ss_buf_release(&b);
	ss_schema_release(&s);
}

Test(model, type_uses_enum)
{
	struct ss_type e = { SS_TYPE_ENUM, -1, -1, "mood" };
	struct ss_type a = { SS_TYPE_OTHER, -1, -1, "mood[]" };
	struct ss_type q = { SS_TYPE_OTHER, -1, -1, "\"My\"\"Mood\"[]" };
	struct ss_type o = { SS_TYPE_OTHER, -1, -1, "moods[]" };
	struct ss_type t = { SS_TYPE_TEXT, -1, -1, NULL };
	struct ss_type m = { SS_TYPE_OTHER, -1, -1, "mood[][3]" };
	struct ss_type mq = { SS_TYPE_OTHER, -1, -1, "\"My\"\"Mood\"[2][]" };
	struct ss_type bare = { SS_TYPE_OTHER, -1, -1, "mood" };
	struct ss_type bad = { SS_TYPE_OTHER, -1, -1, "mood[x]" };

	cr_expect(ss_type_uses_enum(&e, "mood"));
	cr_expect(!ss_type_uses_enum(&e, "moo"));
	cr_expect(ss_type_uses_enum(&a, "mood"));
	cr_expect(ss_type_uses_enum(&q, "My\"Mood"));
	cr_expect(!ss_type_uses_enum(&q, "MyMood"));
	cr_expect(!ss_type_uses_enum(&o, "mood"));
	cr_expect(!ss_type_uses_enum(&t, "mood"));
	cr_expect(ss_type_uses_enum(&m, "mood"));
	cr_expect(ss_type_uses_enum(&mq, "My\"Mood"));
	cr_expect(!ss_type_uses_enum(&mq, "My\"Moo"));
	cr_expect(!ss_type_uses_enum(&bare, "mood"));
	cr_expect(!ss_type_uses_enum(&bad, "mood"));
}
