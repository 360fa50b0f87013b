/*
 * Tests for src/postgres/dialect.c's emit, which is pure: two models,
 * the plan between them (every count 0, every class accepted), and the
 * SQL of its steps, compared as text. What the SQL does to a real
 * database is tested by tests/cli/t-push-pg.sh.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "plan_fixture.h"
#include "ss/dialect.h"

/* The LOSSY counts say this: the database has no cast (0 values). */
static bool no_cast;
/* The LOSSY counts (and NONNULL) are this, not 0, when set. */
static long lossy;
/* Rows using a removed enum value, and what is accepted (0: every
 * class): watch holds what it is not given. */
static long used;
static unsigned accept;
/* The caller writes the values the plan adds (undo's refill). */
static bool values_used;

/* The SQL of every step, one statement a line. */
static void
emit(struct fx *f, struct ss_buf *out)
{
	struct ss_count_request *reqs;
	struct ss_steps steps;
	struct ss_err err = SS_ERR_INIT;
	size_t i, j, n;

	f->o.same_type = ss_dialect_postgres.same_type;
	f->o.same_default = ss_dialect_postgres.same_default;
	f->o.same_expr = ss_dialect_postgres.same_expr;
	f->o.enum_types = true;
	f->o.comments = ss_dialect_postgres.comments;
	f->o.identity_always = ss_dialect_postgres.identity_always;
	f->o.default_collation = ss_dialect_postgres.default_collation;
	f->o.breaks_views = ss_dialect_postgres.breaks_views;
	f->o.values_used = values_used;
	cr_assert_eq(ss_diff(&f->d, &f->c, &f->o, &f->p, &err), 0, "%s",
	    err.msg.s);
	n = ss_plan_count_requests(&f->p, &reqs);
	for (i = 0; i < n; i++) {
		reqs[i].count = reqs[i].kind == SS_COUNT_LOSSY ||
		    reqs[i].kind == SS_COUNT_NONNULL ? lossy :
		    reqs[i].kind == SS_COUNT_ENUM_VALUE ? used : 0;
		reqs[i].no_cast = no_cast && reqs[i].kind == SS_COUNT_LOSSY;
	}
	ss_plan_classify(&f->p);
	cr_assert_eq(ss_plan_order(&f->p, &err), 0, "%s", err.msg.s);
	ss_plan_hold(&f->p, accept != 0 ? accept : SS_ACCEPT(SS_CLASS_SAFE) |
	    SS_ACCEPT(SS_CLASS_DESTRUCTIVE));
	ss_steps_init(&steps);
	cr_assert_eq(ss_dialect_postgres.emit(&f->p, &steps, &err), 0, "%s",
	    err.msg.s);
	for (i = 0; i < steps.n; i++)
		for (j = 0; j < steps.v[i]->nsql; j++) {
			ss_buf_adds(out, steps.v[i]->sql[j]);
			ss_buf_addc(out, '\n');
		}
	ss_steps_release(&steps);
	ss_err_release(&err);
}

static void
expect_sql(const char *desired, const char *current, const char *want)
{
	struct fx f;
	struct ss_buf got = SS_BUF_INIT;

	fx_init(&f);
	fx_load(&f.d, "desired.yaml", desired);
	fx_load(&f.c, "current.yaml", current);
	emit(&f, &got);
	cr_expect_str_eq(got.s, want, "got:\n%s\nwant:\n%s", got.s, want);
	ss_buf_release(&got);
	fx_release(&f);
}

Test(dialect_postgres, enum_value_added_in_place)
{
	expect_sql(
	    "enums:\n  m: [a, b, c, d]\n"
	    "tables:\n  t:\n    columns:\n      x: m\n",
	    "enums:\n  m: [a, c]\n"
	    "tables:\n  t:\n    columns:\n      x: m\n",
	    "ALTER TYPE \"m\" ADD VALUE 'b' BEFORE 'c'\n"
	    "ALTER TYPE \"m\" ADD VALUE 'd'\n");
}

/* Values the caller writes after the plan (undo's refill) must be
 * usable in the transaction: the enum is recreated, not ADD VALUE. */
Test(dialect_postgres, enum_values_used_after_the_plan_recreate_the_type)
{
	values_used = true;
	expect_sql(
	    "enums:\n  m: [a, c]\n"
	    "tables:\n  t:\n    columns:\n      x: m\n",
	    "enums:\n  m: [a]\n"
	    "tables:\n  t:\n    columns:\n      x: m\n",
	    "ALTER TYPE \"m\" RENAME TO \"schemasync_old_enum\"\n"
	    "CREATE TYPE \"m\" AS ENUM ('a', 'c')\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"x\" TYPE \"m\" USING "
	    "\"x\"::text::\"m\"\n"
	    "DROP TYPE \"schemasync_old_enum\"\n");
	values_used = false;
}

Test(dialect_postgres, enum_value_used_as_a_default_recreates_the_type)
{
	expect_sql(
	    "enums:\n  m: [a, b]\n"
	    "tables:\n  t:\n    columns:\n      x: { type: m, default: b }\n",
	    "enums:\n  m: [a]\n"
	    "tables:\n  t:\n    columns:\n      x: { type: m, default: a }\n",
	    "ALTER TYPE \"m\" RENAME TO \"schemasync_old_enum\"\n"
	    "CREATE TYPE \"m\" AS ENUM ('a', 'b')\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"x\" DROP DEFAULT, ALTER COLUMN "
	    "\"x\" TYPE \"m\" USING \"x\"::text::\"m\", ALTER COLUMN \"x\" "
	    "SET DEFAULT 'a'\n"
	    "DROP TYPE \"schemasync_old_enum\"\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"x\" SET DEFAULT 'b'\n");
}

Test(dialect_postgres, enum_value_removed_maps_to_null)
{
	expect_sql(
	    "enums:\n  m: [a]\n"
	    "tables:\n  t:\n    columns:\n      x: m\n",
	    "enums:\n  m: [a, b]\n"
	    "tables:\n  t:\n    columns:\n      x: m\n",
	    "ALTER TYPE \"m\" RENAME TO \"schemasync_old_enum\"\n"
	    "CREATE TYPE \"m\" AS ENUM ('a')\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"x\" TYPE \"m\" USING CASE WHEN "
	    "\"x\"::text IN ('a') THEN \"x\"::text::\"m\" END\n"
	    "DROP TYPE \"schemasync_old_enum\"\n");
}

/* PostgreSQL cannot convert a column a generated column reads: that one
 * is dropped before and added again after (computed anew), with its
 * comment and index; an index of the converted column too is made
 * again once, by the generated column's side. */
Test(dialect_postgres, enum_recreation_regenerates_what_reads_the_column)
{
	static const char table[] =
	    "tables:\n  t:\n    columns:\n      x: m\n"
	    "      live: { type: boolean, generated: { sql: \"x = 'a'\", "
	    "stored: true }, comment: derived }\n"
	    "    indexes:\n      t_live: { columns: [live] }\n"
	    "      t_both: { columns: [live, x] }\n";
	char desired[512], current[512];

	snprintf(desired, sizeof desired, "enums:\n  m: [a]\n%s", table);
	snprintf(current, sizeof current, "enums:\n  m: [a, b]\n%s", table);
	expect_sql(desired, current,
	    "ALTER TYPE \"m\" RENAME TO \"schemasync_old_enum\"\n"
	    "CREATE TYPE \"m\" AS ENUM ('a')\n"
	    "ALTER TABLE \"t\" DROP COLUMN \"live\"\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"x\" TYPE \"m\" USING CASE WHEN "
	    "\"x\"::text IN ('a') THEN \"x\"::text::\"m\" END\n"
	    "ALTER TABLE \"t\" ADD COLUMN \"live\" boolean GENERATED ALWAYS AS "
	    "(x = 'a') STORED\n"
	    "COMMENT ON COLUMN \"t\".\"live\" IS 'derived'\n"
	    "CREATE INDEX \"t_live\" ON \"t\" (\"live\")\n"
	    "CREATE INDEX \"t_both\" ON \"t\" (\"live\", \"x\")\n"
	    "DROP TYPE \"schemasync_old_enum\"\n");
}

/* A generated column of the enum, and one that casts to it, read no
 * converted column: both are still dropped and added again (no USING on
 * a generated column; a cast would keep the old type). */
Test(dialect_postgres, enum_recreation_regenerates_columns_of_the_enum)
{
	static const char table[] =
	    "tables:\n  t:\n    columns:\n      n: integer\n"
	    "      g: { type: m, generated: { sql: \"CASE WHEN n > 0 THEN "
	    "'a'::m END\", stored: true } }\n"
	    "      h: { type: boolean, generated: { sql: \"n > 0 AND "
	    "'a'::m IS NOT NULL\", stored: true } }\n";
	char desired[512], current[512];

	snprintf(desired, sizeof desired, "enums:\n  m: [a]\n%s", table);
	snprintf(current, sizeof current, "enums:\n  m: [a, b]\n%s", table);
	expect_sql(desired, current,
	    "ALTER TYPE \"m\" RENAME TO \"schemasync_old_enum\"\n"
	    "CREATE TYPE \"m\" AS ENUM ('a')\n"
	    "ALTER TABLE \"t\" DROP COLUMN \"g\"\n"
	    "ALTER TABLE \"t\" DROP COLUMN \"h\"\n"
	    "ALTER TABLE \"t\" ADD COLUMN \"g\" \"m\" GENERATED ALWAYS AS "
	    "(CASE WHEN n > 0 THEN 'a'::m END) STORED\n"
	    "ALTER TABLE \"t\" ADD COLUMN \"h\" boolean GENERATED ALWAYS AS "
	    "(n > 0 AND 'a'::m IS NOT NULL) STORED\n"
	    "DROP TYPE \"schemasync_old_enum\"\n");
}

/* Two regenerated columns in one index: the index once, after both
 * are back; a column that only shares the enum's name is not made
 * again. */
Test(dialect_postgres, enum_recreation_readds_objects_after_the_columns)
{
	static const char table[] =
	    "tables:\n  t:\n    columns:\n      n: integer\n      m: text\n"
	    "      g: { type: m, generated: { sql: \"CASE WHEN n > 0 THEN "
	    "'a'::m END\", stored: true } }\n"
	    "      h: { type: boolean, generated: { sql: \"'a'::m IS NOT "
	    "NULL\", stored: true } }\n"
	    "      label: { type: text, generated: { sql: \"upper(m)\", "
	    "stored: true } }\n"
	    "    indexes:\n      t_gh: { columns: [g, h] }\n";
	char desired[640], current[640];

	snprintf(desired, sizeof desired, "enums:\n  m: [a]\n%s", table);
	snprintf(current, sizeof current, "enums:\n  m: [a, b]\n%s", table);
	expect_sql(desired, current,
	    "ALTER TYPE \"m\" RENAME TO \"schemasync_old_enum\"\n"
	    "CREATE TYPE \"m\" AS ENUM ('a')\n"
	    "ALTER TABLE \"t\" DROP COLUMN \"g\"\n"
	    "ALTER TABLE \"t\" DROP COLUMN \"h\"\n"
	    "ALTER TABLE \"t\" ADD COLUMN \"g\" \"m\" GENERATED ALWAYS AS "
	    "(CASE WHEN n > 0 THEN 'a'::m END) STORED\n"
	    "ALTER TABLE \"t\" ADD COLUMN \"h\" boolean GENERATED ALWAYS AS "
	    "('a'::m IS NOT NULL) STORED\n"
	    "CREATE INDEX \"t_gh\" ON \"t\" (\"g\", \"h\")\n"
	    "DROP TYPE \"schemasync_old_enum\"\n");
}

/* Values kept in another order: ALTER TYPE cannot move one, so the type
 * is recreated and its columns converted, every value kept. */
Test(dialect_postgres, enum_order_recreates_the_type)
{
	expect_sql(
	    "enums:\n  m: [c, a, b]\n"
	    "tables:\n  t:\n    columns:\n      x: { type: m, default: a }\n",
	    "enums:\n  m: [a, b, c]\n"
	    "tables:\n  t:\n    columns:\n      x: { type: m, default: a }\n",
	    "ALTER TYPE \"m\" RENAME TO \"schemasync_old_enum\"\n"
	    "CREATE TYPE \"m\" AS ENUM ('c', 'a', 'b')\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"x\" DROP DEFAULT, ALTER COLUMN "
	    "\"x\" TYPE \"m\" USING \"x\"::text::\"m\", ALTER COLUMN \"x\" "
	    "SET DEFAULT 'a'\n"
	    "DROP TYPE \"schemasync_old_enum\"\n");
}

/* watch: the removal of a used value is held; a new order waits with it
 * (nothing runs), and a recreation for a new value used at once keeps
 * the held value, after the one it follows. */
Test(dialect_postgres, a_held_removal_keeps_its_value)
{
	used = 1;
	accept = SS_ACCEPT(SS_CLASS_SAFE);
	expect_sql(
	    "enums:\n  m: [c, a]\n"
	    "tables:\n  t:\n    columns:\n      x: m\n",
	    "enums:\n  m: [a, b, c]\n"
	    "tables:\n  t:\n    columns:\n      x: m\n",
	    "");
	expect_sql(
	    "enums:\n  m: [a, c, d]\n"
	    "tables:\n  t:\n    columns:\n      x: { type: m, default: d }\n",
	    "enums:\n  m: [a, b, c]\n"
	    "tables:\n  t:\n    columns:\n      x: m\n",
	    "ALTER TYPE \"m\" RENAME TO \"schemasync_old_enum\"\n"
	    "CREATE TYPE \"m\" AS ENUM ('a', 'b', 'c', 'd')\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"x\" TYPE \"m\" USING "
	    "\"x\"::text::\"m\"\n"
	    "DROP TYPE \"schemasync_old_enum\"\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"x\" SET DEFAULT 'd'\n");
	used = 0;
	accept = 0;
}

/* watch: a held type change of a column of the enum holds the enum's
 * recreation too, which would convert a column left as it was. */
Test(dialect_postgres, a_held_type_change_holds_the_recreation)
{
	lossy = 1;
	accept = SS_ACCEPT(SS_CLASS_SAFE);
	expect_sql(
	    "enums:\n  m: [c, b, a]\n"
	    "tables:\n  t:\n    columns:\n      x: varchar(1)\n",
	    "enums:\n  m: [a, b, c]\n"
	    "tables:\n  t:\n    columns:\n      x: m\n",
	    "");
	lossy = 0;
	accept = 0;
}

/* A value used as the new default replaces a removed one in one run:
 * the early recreation does not set the old default back. */
/* A value used at once and one removed: the early recreation keeps every
 * value, so the columns the plan changes after keep theirs; the value
 * goes in a second recreation, after the tables, where the rows holding
 * it take the files' default, unless that is a value the push adds
 * (undo would find it in use): NULL. */
Test(dialect_postgres, an_early_recreation_keeps_every_value)
{
	expect_sql(
	    "enums:\n  m: [a, x]\n"
	    "tables:\n  t:\n    columns:\n      y: { type: m, default: x }\n",
	    "enums:\n  m: [a, b]\n"
	    "tables:\n  t:\n    columns:\n      y: { type: m, default: b }\n",
	    "ALTER TYPE \"m\" RENAME TO \"schemasync_old_enum\"\n"
	    "CREATE TYPE \"m\" AS ENUM ('a', 'b', 'x')\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"y\" DROP DEFAULT, ALTER COLUMN "
	    "\"y\" TYPE \"m\" USING \"y\"::text::\"m\", ALTER COLUMN \"y\" "
	    "SET DEFAULT 'b'\n"
	    "DROP TYPE \"schemasync_old_enum\"\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"y\" SET DEFAULT 'x'\n"
	    "ALTER TYPE \"m\" RENAME TO \"schemasync_old_enum\"\n"
	    "CREATE TYPE \"m\" AS ENUM ('a', 'x')\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"y\" DROP DEFAULT, ALTER COLUMN "
	    "\"y\" TYPE \"m\" USING CASE WHEN \"y\"::text IN ('a', 'x') THEN "
	    "\"y\"::text::\"m\" END, ALTER COLUMN \"y\" SET DEFAULT 'x'\n"
	    "DROP TYPE \"schemasync_old_enum\"\n");
	/* A column the plan takes off the enum keeps its values. */
	expect_sql(
	    "enums:\n  m: [a, x]\n"
	    "tables:\n  t:\n    columns:\n      y: text\n"
	    "      z: { type: m, default: x }\n",
	    "enums:\n  m: [a, b]\n"
	    "tables:\n  t:\n    columns:\n      y: m\n"
	    "      z: { type: m, default: a }\n",
	    "ALTER TYPE \"m\" RENAME TO \"schemasync_old_enum\"\n"
	    "CREATE TYPE \"m\" AS ENUM ('a', 'b', 'x')\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"y\" TYPE \"m\" USING "
	    "\"y\"::text::\"m\"\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"z\" DROP DEFAULT, ALTER COLUMN "
	    "\"z\" TYPE \"m\" USING \"z\"::text::\"m\", ALTER COLUMN \"z\" "
	    "SET DEFAULT 'a'\n"
	    "DROP TYPE \"schemasync_old_enum\"\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"y\" TYPE text USING "
	    "\"y\"::text::text\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"z\" SET DEFAULT 'x'\n"
	    "ALTER TYPE \"m\" RENAME TO \"schemasync_old_enum\"\n"
	    "CREATE TYPE \"m\" AS ENUM ('a', 'x')\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"z\" DROP DEFAULT, ALTER COLUMN "
	    "\"z\" TYPE \"m\" USING CASE WHEN \"z\"::text IN ('a', 'x') THEN "
	    "\"z\"::text::\"m\" END, ALTER COLUMN \"z\" SET DEFAULT 'x'\n"
	    "DROP TYPE \"schemasync_old_enum\"\n");
}

Test(dialect_postgres, type_change_uses_a_cast_and_keeps_the_default)
{
	expect_sql(
	    "tables:\n  t:\n    columns:\n      x: { type: integer, default: 1 }\n",
	    "tables:\n  t:\n    columns:\n      x: { type: text, default: '1' }\n",
	    "ALTER TABLE \"t\" ALTER COLUMN \"x\" DROP DEFAULT\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"x\" TYPE integer USING "
	    "\"x\"::integer\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"x\" SET DEFAULT 1\n");
}

/* The server refuses "x"::uuid from bigint even over no rows. */
Test(dialect_postgres, type_change_without_a_cast_on_an_empty_column)
{
	no_cast = true;
	expect_sql(
	    "tables:\n  t:\n    columns:\n      x: uuid\n",
	    "tables:\n  t:\n    columns:\n      x: bigint\n",
	    "ALTER TABLE \"t\" ALTER COLUMN \"x\" TYPE uuid USING NULL\n");
	no_cast = false;
}

/* A value the cast refuses becomes NULL: NOT NULL goes first. */
Test(dialect_postgres, type_change_made_nullable_drops_not_null_first)
{
	lossy = 1;
	expect_sql(
	    "tables:\n  t:\n    columns:\n      x: integer\n",
	    "tables:\n  t:\n    columns:\n      x: { type: text, nullable: false }\n",
	    "ALTER TABLE \"t\" ALTER COLUMN \"x\" DROP NOT NULL\n"
	    "CREATE FUNCTION pg_temp.schemasync_cast(v text) RETURNS integer "
	    "LANGUAGE plpgsql AS $ss_cast$BEGIN RETURN v::integer; EXCEPTION "
	    "WHEN OTHERS THEN RETURN NULL; END$ss_cast$\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"x\" TYPE integer USING "
	    "pg_temp.schemasync_cast(\"x\")\n"
	    "DROP FUNCTION pg_temp.schemasync_cast\n");
	lossy = 0;
}

Test(dialect_postgres, nullability_and_defaults)
{
	expect_sql(
	    "tables:\n  t:\n    columns:\n"
	    "      a: { type: text, nullable: false }\n"
	    "      b: { type: text, default: x }\n"
	    "      c: text\n",
	    "tables:\n  t:\n    columns:\n"
	    "      a: text\n"
	    "      b: text\n"
	    "      c: { type: text, nullable: false, default: y }\n",
	    "ALTER TABLE \"t\" ALTER COLUMN \"a\" SET NOT NULL\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"b\" SET DEFAULT 'x'\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"c\" DROP DEFAULT\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"c\" DROP NOT NULL\n");
}

Test(dialect_postgres, identity_added_starts_after_the_rows)
{
	expect_sql(
	    "tables:\n  t:\n    columns:\n"
	    "      id: { type: integer, primary_key: true, autoincrement: true }\n",
	    "tables:\n  t:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n",
	    "ALTER TABLE \"t\" ALTER COLUMN \"id\" ADD GENERATED BY DEFAULT "
	    "AS IDENTITY\n"
	    "SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence("
	    "'\"t\"', 'id'), GREATEST(max(\"id\"), 1), max(\"id\") IS NOT "
	    "NULL) FROM \"t\"\n");
	expect_sql(
	    "tables:\n  t:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n",
	    "tables:\n  t:\n    columns:\n"
	    "      id: { type: integer, primary_key: true, autoincrement: true }\n",
	    "ALTER TABLE \"t\" ALTER COLUMN \"id\" DROP IDENTITY IF EXISTS\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"id\" DROP DEFAULT\n");
}

Test(dialect_postgres, identity_always_and_by_default)
{
	expect_sql(
	    "tables:\n  t:\n    columns:\n"
	    "      k: { type: text, primary_key: true }\n"
	    "      n: { type: bigint, autoincrement: always }\n",
	    "tables:\n  t:\n    columns:\n"
	    "      k: { type: text, primary_key: true }\n"
	    "      n: { type: bigint, autoincrement: true }\n",
	    "ALTER TABLE \"t\" ALTER COLUMN \"n\" SET GENERATED ALWAYS\n");
	expect_sql(
	    "tables:\n  t:\n    columns:\n"
	    "      n: { type: bigint, autoincrement: true }\n",
	    "tables:\n  t:\n    columns:\n"
	    "      n: { type: bigint, autoincrement: always }\n",
	    "ALTER TABLE \"t\" ALTER COLUMN \"n\" SET GENERATED BY DEFAULT\n");
	/* A new column: NOT NULL without saying so. */
	expect_sql(
	    "tables:\n  t:\n    columns:\n"
	    "      k: text\n"
	    "      n: { type: integer, autoincrement: always }\n",
	    "tables:\n  t:\n    columns:\n"
	    "      k: text\n",
	    "ALTER TABLE \"t\" ADD COLUMN \"n\" integer GENERATED ALWAYS AS "
	    "IDENTITY NOT NULL\n");
}

/* A serial column is what `true` is; asked to be ALWAYS, its sequence
 * makes way for an identity that continues after the rows. */
Test(dialect_postgres, serial_to_always)
{
	static const char cur[] = "tables:\n  t:\n    columns:\n"
	    "      id: { type: integer, primary_key: true, autoincrement: true }\n";
	struct fx f;
	struct ss_buf got = SS_BUF_INIT;

	fx_init(&f);
	fx_load(&f.d, "desired.yaml", cur);
	fx_load(&f.c, "current.yaml", cur);
	ss_table_column(ss_schema_table(&f.c, "t"), "id")->serial = true;
	emit(&f, &got);
	cr_expect_str_eq(got.s, "", "serial and true are the same: %s", got.s);
	ss_buf_reset(&got);
	fx_release(&f);

	fx_init(&f);
	fx_load(&f.d, "desired.yaml", "tables:\n  t:\n    columns:\n"
	    "      id: { type: integer, primary_key: true, autoincrement: always }\n");
	fx_load(&f.c, "current.yaml", cur);
	ss_table_column(ss_schema_table(&f.c, "t"), "id")->serial = true;
	emit(&f, &got);
	cr_expect_str_eq(got.s,
	    "ALTER TABLE \"t\" ALTER COLUMN \"id\" DROP DEFAULT\n"
	    "DO $ss_serial$BEGIN EXECUTE 'DROP SEQUENCE ' || pg_catalog."
	    "pg_get_serial_sequence('\"t\"', 'id'); END$ss_serial$\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"id\" ADD GENERATED ALWAYS AS "
	    "IDENTITY\n"
	    "SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence("
	    "'\"t\"', 'id'), GREATEST(max(\"id\"), 1), max(\"id\") IS NOT "
	    "NULL) FROM \"t\"\n", "got:\n%s", got.s);
	ss_buf_release(&got);
	fx_release(&f);
}

Test(dialect_postgres, comments_set_and_dropped)
{
	expect_sql(
	    "tables:\n  t:\n    columns:\n"
	    "      a: { type: text, comment: \"It's new.\" }\n"
	    "      b: text\n",
	    "tables:\n  t:\n    comment: Old.\n    columns:\n"
	    "      a: text\n"
	    "      b: { type: text, comment: Old. }\n",
	    "COMMENT ON TABLE \"t\" IS NULL\n"
	    "COMMENT ON COLUMN \"t\".\"a\" IS 'It''s new.'\n"
	    "COMMENT ON COLUMN \"t\".\"b\" IS NULL\n");
}

Test(dialect_postgres, renames)
{
	expect_sql(
	    "tables:\n  people:\n    renamed_from: users\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      mail: { type: text, renamed_from: email }\n",
	    "tables:\n  users:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      email: text\n",
	    "ALTER TABLE \"users\" RENAME TO \"people\"\n"
	    "ALTER TABLE \"people\" RENAME COLUMN \"email\" TO \"mail\"\n");
}

/* A kept foreign key that uses a dropped key is added back at the end. */
Test(dialect_postgres, foreign_key_over_a_replaced_key)
{
	expect_sql(
	    "tables:\n"
	    "  u:\n    columns:\n"
	    "      id: { type: integer, unique: true }\n"
	    "      k: { type: integer, primary_key: true }\n"
	    "  p:\n    columns:\n"
	    "      u_id: { type: integer, references: u.id }\n",
	    "tables:\n"
	    "  u:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      k: { type: integer, nullable: false }\n"
	    "  p:\n    columns:\n"
	    "      u_id: { type: integer, references: u.id }\n",
	    "ALTER TABLE \"p\" DROP CONSTRAINT \"p_u_id_fkey\"\n"
	    "ALTER TABLE \"u\" DROP CONSTRAINT \"u_pkey\"\n"
	    "ALTER TABLE \"u\" ALTER COLUMN \"id\" DROP NOT NULL\n"
	    "ALTER TABLE \"u\" ADD CONSTRAINT \"u_pkey\" PRIMARY KEY (\"k\")\n"
	    "ALTER TABLE \"u\" ADD CONSTRAINT \"u_id_key\" UNIQUE (\"id\")\n"
	    "-- foreign keys that used a dropped key, added back\n"
	    "ALTER TABLE \"p\" ADD CONSTRAINT \"p_u_id_fkey\" FOREIGN KEY "
	    "(\"u_id\") REFERENCES \"u\" (\"id\")\n");
}

Test(dialect_postgres, new_tables_carry_their_foreign_keys_and_comments)
{
	expect_sql(
	    "tables:\n"
	    "  a:\n    comment: the a\n    columns:\n"
	    "      id: { type: integer, primary_key: true, comment: key }\n"
	    "  b:\n    columns:\n"
	    "      a_id: { type: integer, references: a.id, on_delete: cascade }\n",
	    "tables: {}\n",
	    "CREATE TABLE \"a\" (\n    \"id\" integer NOT NULL,\n"
	    "    CONSTRAINT \"a_pkey\" PRIMARY KEY (\"id\")\n)\n"
	    "COMMENT ON TABLE \"a\" IS 'the a'\n"
	    "COMMENT ON COLUMN \"a\".\"id\" IS 'key'\n"
	    "CREATE TABLE \"b\" (\n    \"a_id\" integer\n)\n"
	    "ALTER TABLE \"b\" ADD CONSTRAINT \"b_a_id_fkey\" FOREIGN KEY "
	    "(\"a_id\") REFERENCES \"a\" (\"id\") ON DELETE CASCADE\n");
}

Test(dialect_postgres, enum_value_removed_becomes_the_default)
{
	expect_sql(
	    "enums:\n  m: [a]\n"
	    "tables:\n  t:\n    columns:\n      x: { type: m, default: a }\n",
	    "enums:\n  m: [a, b]\n"
	    "tables:\n  t:\n    columns:\n      x: { type: m, default: a }\n",
	    "ALTER TYPE \"m\" RENAME TO \"schemasync_old_enum\"\n"
	    "CREATE TYPE \"m\" AS ENUM ('a')\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"x\" DROP DEFAULT, ALTER COLUMN "
	    "\"x\" TYPE \"m\" USING CASE WHEN \"x\"::text IN ('a') THEN "
	    "\"x\"::text::\"m\" WHEN \"x\" IS NOT NULL THEN 'a'::\"m\" END, "
	    "ALTER COLUMN \"x\" SET DEFAULT 'a'\n"
	    "DROP TYPE \"schemasync_old_enum\"\n");
}

/* Deferrable foreign keys, MATCH FULL and NO INHERIT. */
#define DEFER_T(fk, ck) \
	"tables:\n" \
	"  p:\n    columns:\n" \
	"      a: { type: integer, nullable: false }\n" \
	"      b: { type: integer, nullable: false }\n" \
	"    primary_key: [a, b]\n" \
	"    checks:\n      p_pos: " ck "\n" \
	"  k:\n    columns:\n      a: integer\n      b: integer\n" \
	"    foreign_keys:\n      k_fk: { columns: [a, b], " \
	"references: { table: p }" fk " }\n"

Test(dialect_postgres, new_foreign_key_deferrable_match_full_no_inherit)
{
	expect_sql(DEFER_T(", match: full, deferrable: true, "
	    "initially_deferred: true", "{ sql: \"a > 0\", no_inherit: true }"),
	    "tables: {}\n",
	    "CREATE TABLE \"p\" (\n    \"a\" integer NOT NULL,\n"
	    "    \"b\" integer NOT NULL,\n"
	    "    CONSTRAINT \"p_pkey\" PRIMARY KEY (\"a\", \"b\"),\n"
	    "    CONSTRAINT \"p_pos\" CHECK (a > 0) NO INHERIT\n)\n"
	    "CREATE TABLE \"k\" (\n    \"a\" integer,\n    \"b\" integer\n)\n"
	    "ALTER TABLE \"k\" ADD CONSTRAINT \"k_fk\" FOREIGN KEY (\"a\", "
	    "\"b\") REFERENCES \"p\" (\"a\", \"b\") MATCH FULL DEFERRABLE "
	    "INITIALLY DEFERRED\n");
}

Test(dialect_postgres, deferrable_changed_in_place)
{
	expect_sql(DEFER_T(", deferrable: true", "\"a > 0\""),
	    DEFER_T(", deferrable: true, initially_deferred: true", "\"a > 0\""),
	    "ALTER TABLE \"k\" ALTER CONSTRAINT \"k_fk\" DEFERRABLE "
	    "INITIALLY IMMEDIATE\n");
	expect_sql(DEFER_T("", "\"a > 0\""),
	    DEFER_T(", deferrable: true", "\"a > 0\""),
	    "ALTER TABLE \"k\" ALTER CONSTRAINT \"k_fk\" NOT DEFERRABLE\n");
	expect_sql(DEFER_T(", initially_deferred: true", "\"a > 0\""),
	    DEFER_T("", "\"a > 0\""),
	    "ALTER TABLE \"k\" ALTER CONSTRAINT \"k_fk\" DEFERRABLE "
	    "INITIALLY DEFERRED\n");
}

Test(dialect_postgres, match_and_no_inherit_changed_by_drop_and_add)
{
	expect_sql(DEFER_T(", match: full", "{ sql: \"a > 0\", no_inherit: true }"),
	    DEFER_T("", "\"a > 0\""),
	    "ALTER TABLE \"p\" DROP CONSTRAINT \"p_pos\"\n"
	    "ALTER TABLE \"k\" DROP CONSTRAINT \"k_fk\"\n"
	    "ALTER TABLE \"p\" ADD CONSTRAINT \"p_pos\" CHECK (a > 0) NO INHERIT\n"
	    "ALTER TABLE \"k\" ADD CONSTRAINT \"k_fk\" FOREIGN KEY (\"a\", "
	    "\"b\") REFERENCES \"p\" (\"a\", \"b\") MATCH FULL\n");
}

/* SQLite's table options are refused at their keys. */
Test(dialect_postgres, sqlite_table_options_refused)
{
	struct fx f;
	struct ss_diags d = SS_DIAGS_INIT;

	fx_init(&f);
	fx_load(&f.d, "t.yaml", "tables:\n  t:\n    strict: true\n"
	    "    without_rowid: true\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n");
	cr_assert_eq(ss_dialect_postgres.check(&f.d, &d), 2);
	cr_expect_eq(d.v[0].loc.line, 3);
	cr_expect_eq(d.v[0].loc.col, 5);
	cr_expect_not_null(strstr(d.v[0].msg, "'strict' on table 't' is "
	    "SQLite's"));
	cr_expect_eq(d.v[1].loc.line, 4);
	ss_diags_release(&d);
	fx_release(&f);
}

/* Generated columns, identity options and collations. */

Test(dialect_postgres, generated_column_created_and_added)
{
	expect_sql(
	    "tables:\n  t:\n    columns:\n      a: integer\n"
	    "      b: { type: integer, generated: { sql: \"a * 2\", stored: true } }\n"
	    "  n:\n    columns:\n      a: integer\n"
	    "      g: { type: text, nullable: false, generated: { sql: \"'x' || a -- why\", stored: true } }\n",
	    "tables:\n  t:\n    columns:\n      a: integer\n",
	    "ALTER TABLE \"t\" ADD COLUMN \"b\" integer GENERATED ALWAYS AS (a * 2) STORED\n"
	    "CREATE TABLE \"n\" (\n"
	    "    \"a\" integer,\n"
	    "    \"g\" text GENERATED ALWAYS AS ('x' || a -- why\n) STORED NOT NULL\n"
	    ")\n");
}

/* A new expression: drop and add, and what the server dropped with the
 * column (its index, check and unique constraint) made again, but not
 * what the plan makes itself. */
Test(dialect_postgres, generated_expression_changed_drops_and_adds)
{
	expect_sql(
	    "tables:\n  t:\n    columns:\n      a: integer\n"
	    "      b: { type: integer, unique: true, generated: { sql: \"a * 3\", stored: true } }\n"
	    "    indexes:\n      t_b: { columns: [b] }\n      t_a: { columns: [a] }\n"
	    "      t_lower: { columns: [\"(b + 1)\"] }\n"
	    "    checks:\n      t_b_pos: \"b > 0\"\n      t_a_pos: \"a > 0\"\n",
	    "tables:\n  t:\n    columns:\n      a: integer\n"
	    "      b: { type: integer, unique: true, generated: { sql: \"a * 2\", stored: true } }\n"
	    "    indexes:\n      t_b: { columns: [b] }\n      t_a: { columns: [a] }\n"
	    "    checks:\n      t_b_pos: \"b > 0\"\n      t_a_pos: \"a > 0\"\n",
	    "ALTER TABLE \"t\" DROP COLUMN \"b\", ADD COLUMN \"b\" integer GENERATED ALWAYS AS (a * 3) STORED\n"
	    "ALTER TABLE \"t\" ADD CONSTRAINT \"t_b_key\" UNIQUE (\"b\")\n"
	    "CREATE INDEX \"t_b\" ON \"t\" (\"b\")\n"
	    "ALTER TABLE \"t\" ADD CONSTRAINT \"t_b_pos\" CHECK (b > 0)\n"
	    "CREATE INDEX \"t_lower\" ON \"t\" (((b + 1)))\n");
}

Test(dialect_postgres, generated_made_plain_keeps_its_values)
{
	expect_sql(
	    "tables:\n  t:\n    columns:\n      a: integer\n      b: integer\n",
	    "tables:\n  t:\n    columns:\n      a: integer\n"
	    "      b: { type: integer, generated: { sql: \"a * 2\", stored: true } }\n",
	    "ALTER TABLE \"t\" ALTER COLUMN \"b\" DROP EXPRESSION IF EXISTS\n");
}

Test(dialect_postgres, identity_options)
{
	expect_sql(
	    "tables:\n  t:\n    columns:\n"
	    "      id: { type: bigint, autoincrement: { start: 1000, increment: 10 } }\n"
	    "      n: { type: integer, autoincrement: { always: true, start: 5 } }\n"
	    "  u:\n    columns:\n"
	    "      id: { type: integer, autoincrement: { increment: -1 } }\n",
	    "tables:\n  t:\n    columns:\n"
	    "      id: { type: bigint, autoincrement: true }\n"
	    "      n: { type: integer, nullable: false }\n",
	    "ALTER TABLE \"t\" ALTER COLUMN \"id\" SET START WITH 1000 SET INCREMENT BY 10\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"n\" ADD GENERATED ALWAYS AS IDENTITY (START WITH 5 INCREMENT BY 1)\n"
	    "SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('\"t\"', 'n'), GREATEST(max(\"n\") + 1, 5), false) FROM \"t\"\n"
	    "CREATE TABLE \"u\" (\n"
	    "    \"id\" integer GENERATED BY DEFAULT AS IDENTITY (START WITH -1 INCREMENT BY -1) NOT NULL\n"
	    ")\n");
}

Test(dialect_postgres, identity_always_alone_keeps_the_options)
{
	expect_sql(
	    "tables:\n  t:\n    columns:\n"
	    "      id: { type: bigint, autoincrement: { always: true, start: 7 } }\n",
	    "tables:\n  t:\n    columns:\n"
	    "      id: { type: bigint, autoincrement: { start: 7 } }\n",
	    "ALTER TABLE \"t\" ALTER COLUMN \"id\" SET GENERATED ALWAYS\n");
}

Test(dialect_postgres, collations)
{
	expect_sql(
	    "tables:\n  t:\n    columns:\n"
	    "      a: { type: text, collation: C }\n"
	    "      b: text\n"
	    "      c: { type: \"varchar(20)\", collation: und-x-icu }\n"
	    "      d: { type: text, collation: default }\n"
	    "  n:\n    columns:\n      x: { type: text, collation: C }\n",
	    "tables:\n  t:\n    columns:\n"
	    "      a: text\n"
	    "      b: { type: text, collation: C }\n"
	    "      c: { type: \"varchar(10)\", collation: und-x-icu }\n"
	    "      d: text\n",
	    "ALTER TABLE \"t\" ALTER COLUMN \"a\" TYPE text COLLATE \"C\"\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"b\" TYPE text COLLATE \"default\"\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"c\" TYPE varchar(20) USING \"c\"::varchar(20)\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"c\" TYPE varchar(20) COLLATE \"und-x-icu\"\n"
	    "CREATE TABLE \"n\" (\n"
	    "    \"x\" text COLLATE \"C\"\n"
	    ")\n");
}

/* Declared views: dropped before a type change of a column they read,
 * created after it; a materialized view as one. */
Test(dialect_postgres, views_around_a_type_change)
{
	expect_sql(
	    "tables:\n  t:\n    columns:\n      id: integer\n      a: bigint\n"
	    "views:\n  v: SELECT id, a FROM t\n"
	    "  m: { sql: SELECT count(*) FROM v, materialized: true }\n"
	    "  \"x\\\"y\": SELECT 1\n",
	    "tables:\n  t:\n    columns:\n      id: integer\n      a: integer\n"
	    "views:\n  v: SELECT id, a FROM t\n"
	    "  m: { sql: SELECT count(*) FROM v, materialized: true }\n",
	    "DROP MATERIALIZED VIEW \"m\"\n"
	    "DROP VIEW \"v\"\n"
	    "ALTER TABLE \"t\" ALTER COLUMN \"a\" TYPE bigint USING \"a\"::bigint\n"
	    "CREATE VIEW \"x\"\"y\" AS SELECT 1\n"
	    "CREATE VIEW \"v\" AS SELECT id, a FROM t\n"
	    "CREATE MATERIALIZED VIEW \"m\" AS SELECT count(*) FROM v\n");
}

/* An array of an enum the files declare, bare (Mood[], m[]), is spelled
 * with the enum's quoted name; any other type stays as written. */
Test(dialect_postgres, spell_quotes_arrays_of_mixed_case_enums)
{
	struct ss_diags d = SS_DIAGS_INIT;
	struct ss_schema s;
	const struct ss_table *t;

	fx_load(&s, "desired.yaml",
	    "enums:\n  Mood: [a, b]\n  m: [a]\n"
	    "tables:\n  t:\n    columns:\n"
	    "      x: Mood[]\n      y: Mood[][]\n      z: Mood[3]\n"
	    "      w: m[]\n      v: Moody[]\n      u: Mood\n"
	    "      q: '\"Mood\"[]'\n");
	cr_assert_eq(ss_dialect_check(&ss_dialect_postgres, &s, &d), 0);
	t = ss_schema_table(&s, "t");
	/* The catalog leaves a lowercase name bare: the same type. */
	cr_expect(ss_dialect_postgres.same_type(&t->columns[3].type,
	    &(struct ss_type){ SS_TYPE_OTHER, -1, -1, "m[]" }, NULL));
	cr_expect(!ss_dialect_postgres.same_type(&t->columns[0].type,
	    &(struct ss_type){ SS_TYPE_OTHER, -1, -1, "mood[]" }, NULL));
	cr_assert_not_null(t);
	cr_expect_str_eq(t->columns[0].type.name, "\"Mood\"[]");
	cr_expect_str_eq(t->columns[1].type.name, "\"Mood\"[][]");
	cr_expect_str_eq(t->columns[2].type.name, "\"Mood\"[3]");
	cr_expect_str_eq(t->columns[3].type.name, "\"m\"[]");
	cr_expect_str_eq(t->columns[4].type.name, "Moody[]");
	cr_expect_eq(t->columns[5].type.kind, SS_TYPE_ENUM);
	cr_expect_str_eq(t->columns[6].type.name, "\"Mood\"[]");
	ss_diags_release(&d);
	ss_schema_release(&s);
}
