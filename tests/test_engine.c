/*
 * Tests for src/engine.c without a database: the engine plans between
 * the files and a given schema (what generate does), counts nothing
 * (a loss is "unknown", so destructive), answers renames, reads the
 * files literally, and refuses an answer that names nothing. Applying
 * is covered end to end by tests/cli (t-cases.sh, t-push-*.sh).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "ss/config.h"
#include "ss/engine.h"
#include "plan_fixture.h"

static struct ss_config cfg;
static struct ss_engine e;

static void
open_engine(const char *desired, const char *current)
{
	ss_config_init(&cfg);
	ss_engine_init(&e, &ss_dialect_sqlite, NULL, &cfg);
	ss_schema_release(&e.desired);
	ss_schema_release(&e.current);
	fx_load(&e.desired, "desired.yaml", desired);
	fx_load(&e.current, "current.yaml", current);
}

static void
close_engine(void)
{
	ss_engine_release(&e);
	ss_config_release(&cfg);
}

static const char *
digest(void)
{
	static struct ss_buf b;

	ss_buf_release(&b);
	ss_buf_init(&b);
	ss_engine_digest(&e, &b, false);
	return b.s;
}

#define BIO "tables:\n  users:\n    columns:\n      id: { type: integer, primary_key: true }\n      bio: text\n"
#define PHONE "tables:\n  users:\n    columns:\n      id: { type: integer, primary_key: true }\n      phone: text\n"
#define ID "tables:\n  users:\n    columns:\n      id: { type: integer, primary_key: true }\n"

Test(engine, plans_without_a_database_counts_unknown)
{
	struct ss_engine_opts o = { .accept = SS_ACCEPT(SS_CLASS_SAFE) };

	open_engine(ID, BIO);
	cr_assert_eq(ss_engine_plan(&e, &o), 0, "%s", e.err.msg.s);
	cr_expect_str_eq(digest(), "destructive ! drop column users.bio "
	    "(count of values unknown)\n");
	cr_expect_eq(ss_engine_held(&e), 1);
	ss_engine_preview(&e, &o);
	cr_expect_not_null(ss_engine_step_of(&e, e.plans[0].v[0]),
	    "the preview has the drop's SQL");
	cr_expect_eq(ss_engine_held(&e), 1, "the preview leaves holds as they were");
	close_engine();
}

Test(engine, a_candidate_until_answered)
{
	struct ss_engine_opts o = { .accept = SS_ACCEPT(SS_CLASS_SAFE) };
	struct ss_rename rn = { "users", "bio", "phone" };

	open_engine(PHONE, BIO);
	cr_assert_eq(ss_engine_plan(&e, &o), 0, "%s", e.err.msg.s);
	cr_expect_str_eq(digest(), "ambiguous ? rename column users.bio → "
	    "users.phone\n");
	ss_engine_answer(&e, &rn, true);
	cr_assert_eq(ss_engine_plan(&e, &o), 0, "%s", e.err.msg.s);
	cr_expect_str_eq(digest(), "safe ~ rename column users.bio → "
	    "users.phone\n");
	close_engine();
}

Test(engine, literal_reading_drops_and_adds_and_says_so)
{
	struct ss_engine_opts o = { .accept = SS_ACCEPT(SS_CLASS_SAFE),
	    .literal = true };
	size_t i;
	bool dropped = false;

	open_engine(PHONE, BIO);
	cr_assert_eq(ss_engine_plan(&e, &o), 0, "%s", e.err.msg.s);
	cr_expect_eq(ss_engine_count_class(&e, SS_CLASS_AMBIGUOUS), 0);
	for (i = 0; i < e.plans[0].n; i++)
		if (e.plans[0].v[i]->op == SS_OP_DROP_COLUMN) {
			dropped = true;
			cr_expect_str_eq(e.plans[0].v[i]->literal_to, "phone");
		}
	cr_expect(dropped, "%s", digest());
	close_engine();
}

Test(engine, an_answer_that_names_nothing_is_a_usage_error)
{
	struct ss_engine_opts o = { .accept = SS_ACCEPT(SS_CLASS_SAFE) };

	open_engine(PHONE, BIO);
	cr_assert_eq(ss_engine_answer_arg(&e, "users.boi=phone", true), 0);
	cr_expect_eq(ss_engine_plan(&e, &o), -SS_EUSAGE);
	cr_expect_str_eq(e.err.msg.s, "--rename users.boi=phone: table "
	    "'users' of the database has no column 'boi' (did you mean "
	    "'bio'?)");
	close_engine();
}
