/*
 * Tests for src/diff.c: models in (through the real loader), changes
 * out, compared as "op table.object class" lines in model order.
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

TestSuite(diff, .init = setup, .fini = teardown);

/*
 * SPEC section 3's example, but for posts.id: the loader rejects
 * `primary_key: true` on a column next to the table's `primary_key`,
 * which the SPEC writes both (reported to the loader's owner).
 */
static const char spec_example[] =
"enums:\n"
"  post_status: [draft, published, archived]\n"
"tables:\n"
"  users:\n"
"    columns:\n"
"      id:         { type: bigint, primary_key: true, autoincrement: true }\n"
"      email:      { type: text, nullable: false, unique: true }\n"
"      name:       text\n"
"      status:     { type: text, nullable: false, default: active }\n"
"      karma:      { type: integer, nullable: false, default: 0 }\n"
"      created_at: { type: timestamp, nullable: false, default: { sql: CURRENT_TIMESTAMP } }\n"
"    indexes:\n"
"      users_name_idx: { columns: [name] }\n"
"      users_live_email: { columns: [email], unique: true, where: \"status <> 'deleted'\" }\n"
"    checks:\n"
"      users_karma_positive: \"karma >= 0\"\n"
"  posts:\n"
"    renamed_from: articles\n"
"    columns:\n"
"      id:       { type: bigint, autoincrement: true }\n"
"      user_id:  { type: bigint, nullable: false, references: users.id, on_delete: cascade }\n"
"      title:    { type: varchar(200), nullable: false, renamed_from: headline }\n"
"      status:   { type: post_status, nullable: false, default: draft }\n"
"      body:     text\n"
"    foreign_keys:\n"
"      posts_author_fk: { columns: [user_id], references: { table: users, columns: [id] }, on_delete: cascade }\n"
"    primary_key: [id]\n";

Test(diff, identical_spec_example_is_empty)
{
	fx_diff(&f, spec_example, spec_example);
	FX_EXPECT_EMPTY(&f);
}

Test(diff, identical_without_enum_types_is_empty)
{
	f.o.enum_types = false;
	fx_diff(&f, spec_example, spec_example);
	FX_EXPECT_EMPTY(&f);
}

Test(diff, empty_against_empty)
{
	fx_diff(&f, "", "");
	FX_EXPECT_EMPTY(&f);
}

Test(diff, everything_new)
{
	fx_diff(&f, spec_example, "");
	FX_EXPECT(&f,
	    "create_enum post_status safe",
	    "create_table users safe",
	    "create_index users.users_name_idx safe",
	    "create_index users.users_live_email safe",
	    "create_table posts safe");
}

Test(diff, everything_gone)
{
	fx_diff(&f, "", spec_example);
	FX_EXPECT(&f,
	    "drop_table users safe",
	    "drop_table posts safe",
	    "drop_enum post_status safe");
}

static const char users_v1[] =
"tables:\n"
"  users:\n"
"    columns:\n"
"      id: { type: integer, primary_key: true }\n"
"      email: { type: varchar(50), nullable: false }\n"
"      age: integer\n"
"      legacy: text\n";

Test(diff, columns_added_dropped_altered)
{
	fx_diff(&f,
	    "tables:\n"
	    "  users:\n"
	    "    columns:\n"
	    "      id: { type: bigint, primary_key: true }\n"
	    "      email: { type: varchar(50), nullable: true, default: x }\n"
	    "      age: { type: integer, nullable: false }\n"
	    "      nick: boolean\n",
	    users_v1);
	FX_EXPECT(&f,
	    "alter_column users.id safe",
	    "alter_column users.email safe",
	    "alter_column users.age safe",
	    "add_column users.nick safe",
	    "drop_column users.legacy safe");
	cr_assert_eq(fx_find(&f, "alter_column users.id")->alter, SS_ALTER_TYPE);
	cr_assert_eq(fx_find(&f, "alter_column users.email")->alter,
	    SS_ALTER_NULLABLE | SS_ALTER_DEFAULT);
	cr_assert_eq(fx_find(&f, "alter_column users.age")->alter,
	    SS_ALTER_NULLABLE);
}

Test(diff, autoincrement_change)
{
	fx_diff(&f,
	    "tables:\n  t:\n    columns:\n"
	    "      id: { type: integer, primary_key: true, autoincrement: true }\n",
	    "tables:\n  t:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n");
	FX_EXPECT(&f, "alter_column t.id safe");
	cr_assert_eq(f.p.v[0]->alter, SS_ALTER_AUTOINCREMENT);
}

Test(diff, change_nodes_and_names)
{
	struct ss_change *c;

	fx_diff(&f,
	    "tables:\n  users:\n    columns:\n"
	    "      id: { type: bigint, primary_key: true }\n",
	    "tables:\n  users:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n");
	c = fx_find(&f, "alter_column users.id");
	cr_assert_eq(c->d_table, ss_schema_table(&f.d, "users"));
	cr_assert_eq(c->c_table, ss_schema_table(&f.c, "users"));
	cr_assert_eq(c->d_column, ss_table_column(c->d_table, "id"));
	cr_assert_eq(c->c_column, ss_table_column(c->c_table, "id"));
	cr_assert_str_eq(c->cur_table, "users");
	cr_assert_str_eq(c->cur_column, "id");
	cr_assert_eq(c->count, -1);
	cr_assert_eq(f.p.desired, &f.d);
	cr_assert_eq(f.p.current, &f.c);
}

static const char keys_current[] =
"tables:\n"
"  users:\n"
"    columns:\n"
"      id: { type: integer, primary_key: true }\n"
"      email: { type: text, unique: true }\n"
"      name: text\n"
"      team: integer\n"
"    indexes:\n"
"      users_name_idx: { columns: [name] }\n"
"      users_gone_idx: { columns: [team] }\n"
"    checks:\n"
"      users_id_pos: \"id > 0\"\n"
"      users_gone_chk: \"team > 0\"\n"
"  teams:\n"
"    columns:\n"
"      id: { type: integer, primary_key: true }\n";

Test(diff, keys_indexes_checks_unchanged)
{
	fx_diff(&f, keys_current, keys_current);
	FX_EXPECT_EMPTY(&f);
}

Test(diff, keys_indexes_checks_changed)
{
	fx_diff(&f,
	    "tables:\n"
	    "  users:\n"
	    "    columns:\n"
	    "      id: { type: integer }\n"
	    "      email: text\n"
	    "      name: { type: text, unique: true }\n"
	    "      team: { type: integer, references: teams.id }\n"
	    "    primary_key: [id, name]\n"
	    "    indexes:\n"
	    "      users_name_idx: { columns: [name, email] }\n"
	    "      users_new_idx: { columns: [email], unique: true }\n"
	    "    checks:\n"
	    "      users_id_pos: \"id >= 0\"\n"
	    "      users_new_chk: \"team < 100\"\n"
	    "  teams:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n",
	    keys_current);
	FX_EXPECT(&f,
	    "alter_column users.name safe",	/* pk columns are NOT NULL */
	    "drop_primary_key users.users_pkey safe",
	    "add_primary_key users.users_pkey safe",
	    "drop_unique users.users_email_key safe",
	    "add_unique users.users_name_key safe",
	    "drop_index users.users_name_idx safe",
	    "create_index users.users_name_idx safe",
	    "drop_index users.users_gone_idx safe",
	    "create_index users.users_new_idx safe",
	    "add_foreign_key users.users_team_fkey safe",
	    "drop_check users.users_id_pos safe",
	    "add_check users.users_id_pos safe",
	    "drop_check users.users_gone_chk safe",
	    "add_check users.users_new_chk safe");
	/* A changed object is a drop and a re-create, paired. */
	cr_assert_eq(fx_find(&f, "drop_index users.users_name_idx")->pair,
	    fx_find(&f, "create_index users.users_name_idx"));
	cr_assert_eq(fx_find(&f, "add_check users.users_id_pos")->pair,
	    fx_find(&f, "drop_check users.users_id_pos"));
	cr_assert_null(fx_find(&f, "drop_index users.users_gone_idx")->pair);
}

Test(diff, foreign_key_changes)
{
	static const char cur[] =
	    "tables:\n"
	    "  a:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "  b:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "  c:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      x: { type: integer, references: a.id }\n"
	    "      y: { type: integer, references: a.id }\n"
	    "      z: { type: integer, references: a.id }\n";

	fx_diff(&f,
	    "tables:\n"
	    "  a:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "  b:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "  c:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      x: { type: integer, references: a.id }\n"
	    "      y: { type: integer, references: b.id }\n"
	    "      z: { type: integer, references: a.id, on_delete: cascade }\n",
	    cur);
	FX_EXPECT(&f,
	    "drop_foreign_key c.c_y_fkey safe",
	    "add_foreign_key c.c_y_fkey safe",
	    "drop_foreign_key c.c_z_fkey safe",
	    "add_foreign_key c.c_z_fkey safe");
}

Test(diff, unique_constraint_equals_unique_index_of_same_name)
{
	fx_diff(&f,
	    "tables:\n  u:\n    columns:\n"
	    "      e: { type: text, unique: true }\n",
	    "tables:\n  u:\n    columns:\n      e: text\n"
	    "    indexes:\n      u_e_key: { columns: [e], unique: true }\n");
	FX_EXPECT_EMPTY(&f);
}

Test(diff, generated_key_names_drift_with_table_renames)
{
	/* users_pkey and users_email_key stay after the rename; foreign
	 * keys elsewhere may need them, so they are not re-created. */
	fx_diff(&f,
	    "tables:\n  people:\n    renamed_from: users\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      email: { type: text, unique: true }\n",
	    "tables:\n  users:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      email: { type: text, unique: true }\n");
	FX_EXPECT(&f, "rename_table people safe");
}

Test(diff, unique_constraint_moved_to_other_columns)
{
	fx_diff(&f,
	    "tables:\n  u:\n    columns:\n      a: text\n      b: { type: text, unique: true }\n",
	    "tables:\n  u:\n    columns:\n      a: { type: text, unique: true }\n      b: text\n");
	FX_EXPECT(&f, "drop_unique u.u_a_key safe", "add_unique u.u_b_key safe");
}

/* SQLite's foreign keys and checks may have no names. */
Test(diff, unnamed_foreign_keys_and_checks_match_by_definition)
{
	static const char y[] =
	    "tables:\n"
	    "  a:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "  b:\n    columns:\n"
	    "      r: { type: integer, references: a.id }\n"
	    "      s: { type: integer, references: a.id }\n"
	    "    checks:\n      b_r: \"r > 0\"\n      b_s: \"s > 0\"\n";
	struct ss_table *b;
	struct ss_buf text = SS_BUF_INIT;

	fx_diff(&f, y, y);
	FX_EXPECT_EMPTY(&f);
	b = ss_schema_table(&f.c, "b");
	b->fks[0].name = b->fks[1].name = NULL;
	b->checks[0].name = b->checks[1].name = NULL;
	fx_rediff(&f);
	FX_EXPECT_EMPTY(&f);
	/* One of them changed: the unnamed one goes, the named one comes. */
	b->fks[1].on_delete = SS_FK_CASCADE;
	b->checks[1].expr = "s > 1";
	fx_rediff(&f);
	FX_EXPECT(&f,
	    "drop_foreign_key b safe",
	    "add_foreign_key b.b_s_fkey safe",
	    "drop_check b safe",
	    "add_check b.b_s safe");
	ss_change_describe(&text, f.p.v[0]);
	cr_assert_str_eq(text.s, "drop foreign key (unnamed) on b");
	ss_buf_release(&text);
	fx_order(&f);
	cr_assert_eq(f.p.n, 4);
}

/* Enums. */

Test(diff, enum_values_added_and_dropped)
{
	fx_diff(&f,
	    "enums:\n  mood: [happy, sad, meh]\n  fresh: [a]\n"
	    "tables:\n  t:\n    columns:\n      m: mood\n",
	    "enums:\n  mood: [happy, angry, sad]\n  stale: [b]\n"
	    "tables:\n  t:\n    columns:\n      m: mood\n");
	FX_EXPECT(&f,
	    "add_enum_value mood.meh safe",
	    "drop_enum_value mood.angry safe",
	    "create_enum fresh safe",
	    "drop_enum stale safe");
}

/* The order is what an enum sorts by: values kept in another order are
 * a change; values added in place are not a new order. */
Test(diff, enum_order_is_a_change)
{
	fx_diff(&f, "enums:\n  mood: [sad, happy]\n",
	    "enums:\n  mood: [happy, sad]\n");
	FX_EXPECT(&f, "reorder_enum mood safe");
}

Test(diff, enum_values_added_in_place_keep_the_order)
{
	fx_diff(&f, "enums:\n  mood: [new, happy, meh, sad, last]\n",
	    "enums:\n  mood: [happy, gone, sad]\n");
	FX_EXPECT(&f,
	    "add_enum_value mood.new safe",
	    "add_enum_value mood.meh safe",
	    "add_enum_value mood.last safe",
	    "drop_enum_value mood.gone safe");
}

/* Without enum types (SQLite) the values are a CHECK's list: a set. */
Test(diff, enum_order_without_enum_types_is_no_change)
{
	f.o.enum_types = false;
	fx_diff(&f, "enums:\n  mood: [sad, happy]\n"
	    "tables:\n  t:\n    columns:\n      m: mood\n",
	    "enums:\n  mood: [happy, sad]\n"
	    "tables:\n  t:\n    columns:\n      m: mood\n");
	FX_EXPECT_EMPTY(&f);
}

Test(diff, column_type_to_enum)
{
	fx_diff(&f,
	    "enums:\n  mood: [happy, sad]\n"
	    "tables:\n  t:\n    columns:\n      m: mood\n",
	    "tables:\n  t:\n    columns:\n      m: text\n");
	FX_EXPECT(&f, "create_enum mood safe", "alter_column t.m safe");
}

/* Without enum types (SQLite) an enum is its list of values. */
Test(diff, enums_without_enum_types_are_column_types)
{
	f.o.enum_types = false;
	fx_diff(&f,
	    "enums:\n  mood: [happy, sad, meh]\n"
	    "tables:\n  t:\n    columns:\n      m: mood\n      n: mood\n",
	    /* The introspector names its enums as it likes. */
	    "enums:\n  t_m: [happy, sad]\n  t_n: [sad, meh, happy]\n"
	    "tables:\n  t:\n    columns:\n      m: t_m\n      n: t_n\n");
	FX_EXPECT(&f, "alter_column t.m safe");
	cr_assert_eq(f.p.v[0]->alter, SS_ALTER_TYPE);
}

/* Hooks: what the dialect stores alike is no change. */

static bool
sqlite_same_type(const struct ss_type *d, const struct ss_type *c, void *ctx)
{
	(void)ctx;
	/* SQLite keeps timestamps as TEXT. */
	if ((d->kind == SS_TYPE_TIMESTAMP || d->kind == SS_TYPE_TEXT) &&
	    c->kind == SS_TYPE_TEXT)
		return true;
	return ss_type_equal(d, c);
}

static bool
lenient_default(const struct ss_column *d, const struct ss_column *c,
    void *ctx)
{
	(void)ctx;
	/* The database reports numbers back as SQL text. */
	if (d->def.kind == SS_DEFAULT_NUMBER && c->def.kind == SS_DEFAULT_SQL)
		return strcmp(d->def.value, c->def.value) == 0;
	return ss_default_equal(&d->def, &c->def);
}

static void
strip(char *out, const char *in)
{
	for (; *in; in++)
		if (*in != ' ' && *in != '(' && *in != ')')
			*out++ = *in;
	*out = '\0';
}

static bool
normalised_expr(const char *a, const char *b, void *ctx)
{
	char x[256], y[256];

	(void)ctx;
	strip(x, a);
	strip(y, b);
	return strcmp(x, y) == 0;
}

static const char hooks_desired[] =
"tables:\n"
"  t:\n"
"    columns:\n"
"      at: timestamp\n"
"      n: { type: integer, default: 5 }\n"
"    indexes:\n"
"      t_n_idx: { columns: [n], where: \"n > 0\" }\n"
"    checks:\n"
"      t_n_chk: \"n < 10\"\n";

static const char hooks_current[] =
"tables:\n"
"  t:\n"
"    columns:\n"
"      at: text\n"
"      n: { type: integer, default: { sql: \"5\" } }\n"
"    indexes:\n"
"      t_n_idx: { columns: [n], where: \"(n > 0)\" }\n"
"    checks:\n"
"      t_n_chk: \"((n < 10))\"\n";

Test(diff, without_hooks_model_equality_decides)
{
	fx_diff(&f, hooks_desired, hooks_current);
	FX_EXPECT(&f,
	    "alter_column t.at safe",
	    "alter_column t.n safe",
	    "drop_index t.t_n_idx safe",
	    "create_index t.t_n_idx safe",
	    "drop_check t.t_n_chk safe",
	    "add_check t.t_n_chk safe");
}

Test(diff, hooks_say_same)
{
	f.o.same_type = sqlite_same_type;
	f.o.same_default = lenient_default;
	f.o.same_expr = normalised_expr;
	fx_diff(&f, hooks_desired, hooks_current);
	FX_EXPECT_EMPTY(&f);
}

/*
 * Index entries that are expressions on both sides are compared by the
 * dialect's same_expr (PostgreSQL gives "n + 1" back as "((n + 1))");
 * an entry that is a column is compared as a name, never as an
 * expression (here "(n)" is an expression, n the column).
 */
Test(diff, index_expressions_compared_as_expressions)
{
	static const char desired[] =
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      n: integer\n"
	    "    indexes:\n"
	    "      t_e: { columns: [\"n + 1\", n] }\n"
	    "      t_c: { columns: [n] }\n";
	static const char current[] =
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      n: integer\n"
	    "    indexes:\n"
	    "      t_e: { columns: [\"((n + 1))\", n] }\n"
	    "      t_c: { columns: [\"(n)\"] }\n";

	f.o.same_expr = normalised_expr;
	fx_diff(&f, desired, current);
	FX_EXPECT(&f,
	    "drop_index t.t_c safe",
	    "create_index t.t_c safe");
}

/* Renames. */

static const char articles[] =
"tables:\n"
"  users:\n"
"    columns:\n"
"      id: { type: integer, primary_key: true }\n"
"  articles:\n"
"    columns:\n"
"      id: { type: integer, primary_key: true }\n"
"      headline: text\n"
"      author: { type: integer, references: users.id }\n";

Test(diff, rename_table_by_hint)
{
	struct ss_change *c;

	fx_diff(&f,
	    "tables:\n"
	    "  users:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "  posts:\n"
	    "    renamed_from: articles\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      headline: text\n"
	    "      author: { type: integer, references: users.id }\n"
	    "      extra: boolean\n",
	    articles);
	/* The primary key keeps its old name; other generated names
	 * follow the new table name: re-created. */
	FX_EXPECT(&f,
	    "rename_table posts safe",
	    "add_column posts.extra safe",
	    "drop_foreign_key posts.articles_author_fkey safe",
	    "add_foreign_key posts.posts_author_fkey safe");
	c = f.p.v[0];
	cr_assert_str_eq(c->old_name, "articles");
	cr_assert_str_eq(c->cur_table, "articles");
	cr_assert_not(c->candidate);
	c = fx_find(&f, "add_column posts.extra");
	cr_assert_str_eq(c->cur_table, "articles");
}

Test(diff, rename_column_by_hint)
{
	struct ss_change *c;

	fx_diff(&f,
	    "tables:\n  t:\n    columns:\n"
	    "      title: { type: varchar(200), renamed_from: headline }\n",
	    "tables:\n  t:\n    columns:\n      headline: varchar(100)\n");
	FX_EXPECT(&f, "rename_column t.title safe", "alter_column t.title safe");
	c = f.p.v[0];
	cr_assert_str_eq(c->old_name, "headline");
	c = f.p.v[1];
	cr_assert_str_eq(c->cur_column, "headline");
	cr_assert_str_eq(c->column, "title");
}

Test(diff, rename_already_done_is_empty)
{
	/* The hint stays in the file after the push: idempotent. */
	fx_diff(&f, spec_example, spec_example);
	FX_EXPECT_EMPTY(&f);
	fx_release(&f);
	fx_init(&f);
	fx_diff(&f,
	    "tables:\n  posts:\n    renamed_from: articles\n    columns:\n"
	    "      title: { type: text, renamed_from: headline }\n",
	    "tables:\n  posts:\n    columns:\n      title: text\n");
	FX_EXPECT_EMPTY(&f);
}

Test(diff, rename_hint_whose_old_name_is_gone_creates)
{
	fx_diff(&f,
	    "tables:\n  posts:\n    renamed_from: articles\n    columns:\n"
	    "      title: { type: text, renamed_from: headline }\n",
	    "");
	FX_EXPECT(&f, "create_table posts safe");
}

Test(diff, renamed_table_keeps_foreign_keys_pointing_at_it)
{
	/* c's key references a, renamed to b: the database follows
	 * renames, so the key is unchanged. */
	fx_diff(&f,
	    "tables:\n"
	    "  b:\n    renamed_from: a\n    columns:\n"
	    "      key: { type: integer, renamed_from: id }\n"
	    "    primary_key: [key]\n"
	    "  c:\n    columns:\n"
	    "      r: integer\n"
	    "    foreign_keys:\n"
	    "      c_r_fkey: { columns: [r], references: { table: b, columns: [key] } }\n",
	    "tables:\n"
	    "  a:\n    columns:\n      id: integer\n"
	    "    primary_key: [id]\n"
	    "  c:\n    columns:\n"
	    "      r: integer\n"
	    "    foreign_keys:\n"
	    "      c_r_fkey: { columns: [r], references: { table: a, columns: [id] } }\n");
	FX_EXPECT(&f,
	    "rename_table b safe",
	    "rename_column b.key safe");
}

static const char people[] =
"tables:\n"
"  people:\n"
"    columns:\n"
"      id: { type: integer, primary_key: true }\n"
"      email: text\n";

static const char users[] =
"tables:\n"
"  users:\n"
"    columns:\n"
"      id: { type: integer, primary_key: true }\n"
"      email: { type: text, nullable: false }\n";

Test(diff, table_candidate_is_ambiguous)
{
	struct ss_change *c;

	fx_diff(&f, people, users);
	/* Contents diffed as if renamed, waiting for the answer. */
	FX_EXPECT(&f,
	    "rename_table people ambiguous",
	    "alter_column people.email safe");
	c = f.p.v[0];
	cr_assert(c->candidate);
	cr_assert_str_eq(c->old_name, "users");
}

Test(diff, table_candidate_answered_by_rename)
{
	struct ss_rename r = { "users", NULL, "people" };

	f.o.renames = &r;
	f.o.nrenames = 1;
	fx_diff(&f, people, users);
	FX_EXPECT(&f,
	    "rename_table people safe",
	    "alter_column people.email safe");
	cr_assert_not(f.p.v[0]->candidate);
}

/*
 * Renames that statements made in order (a rollback's down section:
 * DROP TABLE a; ALTER TABLE b RENAME TO a): the rename takes the name
 * from the table there, which is dropped. Without renames_first, the
 * name wins and the rows of b are the ones counted as lost.
 */
static const char swap_cur[] =
    "tables:\n"
    "  a:\n    columns:\n      id: integer\n      z: text\n"
    "  b:\n    columns:\n      id: integer\n      x: text\n";
static const char swap_des[] =
    "tables:\n  a:\n    columns:\n      id: integer\n      x: text\n";

Test(diff, made_rename_onto_a_name_takes_it)
{
	struct ss_rename r = { "b", NULL, "a" };

	f.o.renames = &r;
	f.o.nrenames = 1;
	f.o.renames_first = true;
	fx_diff(&f, swap_des, swap_cur);
	FX_EXPECT(&f, "rename_table a safe", "drop_table a safe");
	cr_assert_str_eq(f.p.v[0]->old_name, "b");
	fx_release(&f);
	fx_init(&f);
	f.o.renames = &r;
	f.o.nrenames = 1;
	fx_diff(&f, swap_des, swap_cur);
	FX_EXPECT(&f, "rename_column a.x ambiguous", "drop_table b safe");
}

Test(diff, made_column_rename_onto_a_name_takes_it)
{
	/* ALTER TABLE t DROP COLUMN a; ALTER TABLE t RENAME COLUMN b TO a;
	 * and the table renamed too, keyed by its name before. */
	struct ss_rename r[] = { { "t", "b", "a" }, { "t", NULL, "u" } };

	f.o.renames = r;
	f.o.nrenames = 2;
	f.o.renames_first = true;
	fx_diff(&f,
	    "tables:\n  u:\n    columns:\n      id: integer\n      a: integer\n",
	    "tables:\n  t:\n    columns:\n      id: integer\n      a: text\n"
	    "      b: integer\n");
	FX_EXPECT(&f, "rename_table u safe", "rename_column u.a safe",
	    "drop_column u.a safe");
	cr_assert_str_eq(f.p.v[1]->old_name, "b");
}

Test(diff, made_renames_in_a_cycle_are_left_to_names)
{
	/* A swap (a -> b, b -> a) cannot be ordered: compared by name,
	 * so the drops count data the renames keep, never too little. */
	struct ss_rename r[] = { { "a", NULL, "b" }, { "b", NULL, "a" } };
	struct ss_err err = SS_ERR_INIT;

	f.o.renames = r;
	f.o.nrenames = 2;
	f.o.renames_first = true;
	fx_diff(&f,
	    "tables:\n  a:\n    columns:\n      id: integer\n      y: integer\n"
	    "  b:\n    columns:\n      id: integer\n      x: text\n",
	    swap_cur);
	FX_EXPECT(&f, "add_column a.y safe", "drop_column a.z safe");
	cr_assert_eq(ss_plan_order(&f.p, &err), 0, "%s", err.msg.s);
	fx_release(&f);
	fx_init(&f);
	r[0] = (struct ss_rename){ "t", "p", "q" };
	r[1] = (struct ss_rename){ "t", "q", "p" };
	f.o.renames = r;
	f.o.nrenames = 2;
	f.o.renames_first = true;
	fx_diff(&f,
	    "tables:\n  t:\n    columns:\n      p: text\n      q: integer\n",
	    "tables:\n  t:\n    columns:\n      p: integer\n      q: text\n");
	FX_EXPECT(&f, "alter_column t.p safe", "alter_column t.q safe");
	cr_assert_eq(ss_plan_order(&f.p, &err), 0, "%s", err.msg.s);
	ss_err_release(&err);
}

Test(diff, table_candidate_rejected_is_drop_and_create)
{
	struct ss_rename r = { "users", NULL, "people" };

	f.o.rejected = &r;
	f.o.nrejected = 1;
	fx_diff(&f, people, users);
	FX_EXPECT(&f, "create_table people safe", "drop_table users safe");
}

Test(diff, table_of_other_shape_is_no_candidate)
{
	fx_diff(&f,
	    "tables:\n  people:\n    columns:\n      id: integer\n      name: text\n",
	    "tables:\n  users:\n    columns:\n      id: integer\n      email: text\n");
	FX_EXPECT(&f, "create_table people safe", "drop_table users safe");
	fx_release(&f);
	fx_init(&f);
	fx_diff(&f,
	    "tables:\n  people:\n    columns:\n      id: bigint\n",
	    "tables:\n  users:\n    columns:\n      id: integer\n");
	FX_EXPECT(&f, "create_table people safe", "drop_table users safe");
}

Test(diff, several_table_candidates)
{
	static const char two[] =
	    "tables:\n"
	    "  b:\n    columns:\n      id: integer\n"
	    "  c:\n    columns:\n      id: integer\n";
	static const char one[] =
	    "tables:\n  a:\n    columns:\n      id: integer\n";
	struct ss_rename no = { "a", NULL, "b" }, yes = { "a", NULL, "c" };

	fx_diff(&f, two, one);
	FX_EXPECT(&f, "rename_table b ambiguous", "rename_table c ambiguous");
	f.o.rejected = &no;
	f.o.nrejected = 1;
	fx_rediff(&f);
	/* One candidate left, for both of its tables. */
	FX_EXPECT(&f, "create_table b safe", "rename_table c ambiguous");
	f.o.renames = &yes;
	f.o.nrenames = 1;
	fx_rediff(&f);
	FX_EXPECT(&f, "create_table b safe", "rename_table c safe");
}

Test(diff, column_candidate_is_ambiguous)
{
	struct ss_change *c;

	fx_diff(&f,
	    "tables:\n  users:\n    columns:\n"
	    "      id: integer\n      user_email: { type: text, nullable: false }\n"
	    "      age: integer\n",
	    "tables:\n  users:\n    columns:\n"
	    "      id: integer\n      email: text\n      legacy: bytea\n");
	FX_EXPECT(&f,
	    "rename_column users.user_email ambiguous",
	    "alter_column users.user_email safe",
	    "add_column users.age safe",
	    "drop_column users.legacy safe");
	c = f.p.v[0];
	cr_assert(c->candidate);
	cr_assert_str_eq(c->old_name, "email");
	cr_assert_str_eq(c->cur_column, "email");
}

Test(diff, column_candidate_answered_and_rejected)
{
	static const char d[] =
	    "tables:\n  users:\n    columns:\n      user_email: text\n";
	static const char c[] =
	    "tables:\n  users:\n    columns:\n      email: text\n";
	struct ss_rename r = { "users", "email", "user_email" };

	fx_diff(&f, d, c);
	FX_EXPECT(&f, "rename_column users.user_email ambiguous");
	f.o.renames = &r;
	f.o.nrenames = 1;
	fx_rediff(&f);
	FX_EXPECT(&f, "rename_column users.user_email safe");
	f.o.renames = NULL;
	f.o.nrenames = 0;
	f.o.rejected = &r;
	f.o.nrejected = 1;
	fx_rediff(&f);
	FX_EXPECT(&f, "add_column users.user_email safe",
	    "drop_column users.email safe");
}

Test(diff, column_answer_names_new_table)
{
	/* --rename people.email=mail after people was renamed from users. */
	struct ss_rename r[] = { { "users", NULL, "people" },
		{ "people", "email", "mail" } };

	f.o.renames = r;
	f.o.nrenames = 2;
	fx_diff(&f,
	    "tables:\n  people:\n    columns:\n      mail: text\n      x: integer\n",
	    "tables:\n  users:\n    columns:\n      email: text\n");
	FX_EXPECT(&f, "rename_table people safe",
	    "rename_column people.mail safe", "add_column people.x safe");
}

Test(diff, several_column_candidates)
{
	fx_diff(&f,
	    "tables:\n  t:\n    columns:\n      c: text\n      d: text\n",
	    "tables:\n  t:\n    columns:\n      a: text\n      b: text\n");
	FX_EXPECT(&f,
	    "rename_column t.c ambiguous",
	    "rename_column t.c ambiguous",
	    "rename_column t.d ambiguous",
	    "rename_column t.d ambiguous");
}

Test(diff, rename_parse)
{
	struct ss_arena a = SS_ARENA_INIT;
	struct ss_err err = SS_ERR_INIT;
	struct ss_rename r;

	cr_assert_eq(ss_rename_parse("users=people", &r, &a, &err), 0);
	cr_assert_str_eq(r.table, "users");
	cr_assert_null(r.column);
	cr_assert_str_eq(r.to, "people");
	cr_assert_eq(ss_rename_parse("users.email=user_email", &r, &a, &err), 0);
	cr_assert_str_eq(r.table, "users");
	cr_assert_str_eq(r.column, "email");
	cr_assert_str_eq(r.to, "user_email");
	cr_assert_eq(ss_rename_parse("users", &r, &a, &err), -SS_EUSAGE);
	cr_assert_eq(ss_rename_parse("=x", &r, &a, &err), -SS_EUSAGE);
	cr_assert_eq(ss_rename_parse("a.=x", &r, &a, &err), -SS_EUSAGE);
	cr_assert_eq(ss_rename_parse("a.b=c.d", &r, &a, &err), -SS_EUSAGE);
	cr_assert(strstr(err.msg.s, "TABLE.OLD=NEW") != NULL, "%s", err.msg.s);
	ss_err_release(&err);
	ss_arena_release(&a);
}

Test(diff, rename_of_change_round_trips)
{
	struct ss_rename r;
	struct ss_buf b = SS_BUF_INIT;

	fx_diff(&f, "tables:\n  users:\n    columns:\n      user_email: text\n",
	    "tables:\n  users:\n    columns:\n      email: text\n");
	FX_EXPECT(&f, "rename_column users.user_email ambiguous");
	ss_rename_of_change(f.p.v[0], &r);
	cr_assert_str_eq(r.table, "users");
	cr_assert_str_eq(r.column, "email");
	cr_assert_str_eq(r.to, "user_email");
	ss_change_rename_arg(&b, f.p.v[0]);
	cr_assert_str_eq(b.s, "users.email=user_email");
	ss_buf_release(&b);
	/* Answering with it settles the candidate. */
	f.o.renames = &r;
	f.o.nrenames = 1;
	fx_rediff(&f);
	FX_EXPECT(&f, "rename_column users.user_email safe");
}

/* Letter case: one name when the dialect folds case (SQLite). */
static const char upper_case[] =
"tables:\n"
"  USERS:\n"
"    columns:\n"
"      ID: { type: integer, primary_key: true }\n"
"      Email: text\n"
"    indexes:\n"
"      USERS_EMAIL_IDX: { columns: [Email] }\n"
"  posts:\n"
"    columns:\n"
"      id: { type: integer, primary_key: true }\n"
"      user_id: { type: integer, references: USERS.ID }\n";

static const char lower_case[] =
"tables:\n"
"  users:\n"
"    columns:\n"
"      id: { type: integer, primary_key: true }\n"
"      email: text\n"
"    indexes:\n"
"      users_email_idx: { columns: [email] }\n"
"  posts:\n"
"    columns:\n"
"      id: { type: integer, primary_key: true }\n"
"      user_id: { type: integer, references: users.id }\n";

Test(diff, case_kept_apart_without_folding)
{
	fx_diff(&f, lower_case, upper_case);
	FX_EXPECT(&f,
	    "create_table users safe",
	    "create_index users.users_email_idx safe",
	    "drop_foreign_key posts.posts_user_id_fkey safe",
	    "add_foreign_key posts.posts_user_id_fkey safe",
	    "drop_table USERS safe");
}

Test(diff, case_folded_is_a_rename_to_the_files_spelling)
{
	const struct ss_change *c;

	f.o.fold_case = true;
	fx_diff(&f, lower_case, upper_case);
	FX_EXPECT(&f,
	    "rename_table users safe",
	    "rename_column users.id safe",
	    "rename_column users.email safe",
	    "drop_index users.USERS_EMAIL_IDX safe",
	    "create_index users.users_email_idx safe");
	c = fx_find(&f, "rename_table users");
	cr_assert_str_eq(c->old_name, "USERS");
	cr_assert(!c->candidate);
	cr_assert_str_eq(fx_find(&f, "rename_column users.email")->old_name,
	    "Email");
	cr_assert_eq(fx_find(&f, "drop_index users.USERS_EMAIL_IDX")->pair,
	    fx_find(&f, "create_index users.users_email_idx"));
}

Test(diff, case_folded_same_spelling_is_empty)
{
	f.o.fold_case = true;
	fx_diff(&f, lower_case, lower_case);
	FX_EXPECT_EMPTY(&f);
}

Test(diff, case_folded_renamed_from)
{
	f.o.fold_case = true;
	fx_diff(&f,
	    "tables:\n"
	    "  users:\n"
	    "    renamed_from: Users\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n",
	    "tables:\n"
	    "  Users:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n");
	FX_EXPECT(&f, "rename_table users safe");
}

static const char comments_v1[] =
"tables:\n"
"  users:\n"
"    comment: People.\n"
"    columns:\n"
"      id: { type: integer, primary_key: true }\n"
"      email: { type: text, comment: Lower-cased. }\n"
"      name: text\n"
"      age: { type: integer, comment: Years. }\n";

static const char comments_v2[] =
"tables:\n"
"  users:\n"
"    columns:\n"
"      id: { type: integer, primary_key: true, comment: \"\" }\n"
"      email: text\n"
"      name: { type: text, comment: What they are called. }\n"
"      years: { type: integer, renamed_from: age, comment: Years. }\n"
"      nick: { type: text, comment: New. }\n";

Test(diff, comments_compared_where_the_dialect_keeps_them)
{
	struct ss_change *c;

	f.o.comments = true;
	fx_diff(&f, comments_v2, comments_v1);
	/* Added, changed and removed; none for an empty one, none for an
	 * unchanged one under a column's new name, none for a new column
	 * (its add_column carries it). */
	FX_EXPECT(&f,
	    "rename_column users.years safe",
	    "add_column users.nick safe",
	    "set_comment users safe",
	    "set_comment users.email safe",
	    "set_comment users.name safe");
	c = fx_find(&f, "set_comment users.name");
	cr_assert_str_eq(c->cur_column, "name");
	cr_assert_str_eq(c->d_column->comment, "What they are called.");
	cr_assert_null(fx_find(&f, "set_comment users safe")->d_table->comment);
}

Test(diff, comments_ignored_where_the_dialect_has_none)
{
	fx_diff(&f, comments_v2, comments_v1);
	FX_EXPECT(&f,
	    "rename_column users.years safe",
	    "add_column users.nick safe");
}

Test(diff, comment_of_a_renamed_column)
{
	f.o.comments = true;
	fx_diff(&f, "tables:\n  t:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      b: { type: text, renamed_from: a, comment: Now. }\n",
	    "tables:\n  t:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      a: { type: text, comment: Before. }\n");
	FX_EXPECT(&f,
	    "rename_column t.b safe",
	    "set_comment t.b safe");
	cr_assert_str_eq(fx_find(&f, "set_comment t.b")->cur_column, "a");
}

Test(diff, autoincrement_always_where_the_dialect_has_it)
{
	static const char always[] = "tables:\n  t:\n    columns:\n"
	    "      id: { type: integer, primary_key: true, autoincrement: always }\n";
	static const char by_default[] = "tables:\n  t:\n    columns:\n"
	    "      id: { type: integer, primary_key: true, autoincrement: true }\n";

	/* SQLite: AUTOINCREMENT takes explicit ids; always is true. */
	fx_diff(&f, always, by_default);
	FX_EXPECT_EMPTY(&f);
	f.o.identity_always = true;
	fx_rediff(&f);
	FX_EXPECT(&f, "alter_column t.id safe");
	cr_assert_eq(f.p.v[0]->alter, SS_ALTER_AUTOINCREMENT);
}

/* Deferrable foreign keys, MATCH FULL, NO INHERIT, table options. */
/* A fresh fixture for the next diff of one test. */
static void
again(void)
{
	fx_release(&f);
	fx_init(&f);
}

#define FKT(fk) \
	"tables:\n  p:\n    columns:\n      id: { type: integer, primary_key: true }\n" \
	"  k:\n    columns:\n      p_id: integer\n" \
	"    foreign_keys:\n      k_fk: { columns: [p_id], references: { table: p }" \
	fk " }\n"

Test(diff, foreign_key_deferral_is_altered_in_place)
{
	fx_diff(&f, FKT(", deferrable: true"), FKT(""));
	FX_EXPECT(&f, "alter_foreign_key k.k_fk safe");
	again();
	fx_diff(&f, FKT(", initially_deferred: true"), FKT(", deferrable: true"));
	FX_EXPECT(&f, "alter_foreign_key k.k_fk safe");
	again();
	fx_diff(&f, FKT(", initially_deferred: true"),
	    FKT(", deferrable: true, initially_deferred: true"));
	FX_EXPECT_EMPTY(&f);
}

Test(diff, match_full_and_no_inherit_recreate)
{
	fx_diff(&f, FKT(", match: full"), FKT(""));
	FX_EXPECT(&f, "drop_foreign_key k.k_fk safe",
	    "add_foreign_key k.k_fk safe");
	again();
	fx_diff(&f, FKT(", match: simple"), FKT(""));
	FX_EXPECT_EMPTY(&f);
	again();
	fx_diff(&f, "tables:\n  t:\n    columns:\n      a: integer\n"
	    "    checks:\n      t_a: { sql: \"a > 0\", no_inherit: true }\n",
	    "tables:\n  t:\n    columns:\n      a: integer\n"
	    "    checks:\n      t_a: \"a > 0\"\n");
	FX_EXPECT(&f, "drop_check t.t_a safe", "add_check t.t_a safe");
}

/* An unnamed key (SQLite) matches only with the same timing. */
Test(diff, unnamed_foreign_key_with_other_timing_is_replaced)
{
	struct ss_table *t;

	fx_load(&f.d, "d.yaml", FKT(", deferrable: true"));
	fx_load(&f.c, "c.yaml", FKT(""));
	t = ss_schema_table(&f.c, "k");
	t->fks[0].name = NULL;
	fx_rediff(&f);
	FX_EXPECT(&f, "drop_foreign_key k safe", "add_foreign_key k.k_fk safe");
}

Test(diff, table_options)
{
	static const char plain[] = "tables:\n  t:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n";

	fx_diff(&f, "tables:\n  t:\n    strict: true\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n", plain);
	FX_EXPECT(&f, "alter_table t safe");
	again();
	fx_diff(&f, plain, "tables:\n  t:\n    without_rowid: true\n"
	    "    columns:\n      id: { type: integer, primary_key: true }\n");
	FX_EXPECT(&f, "alter_table t safe");
	again();
	fx_diff(&f, plain, plain);
	FX_EXPECT_EMPTY(&f);
}

/* Index methods and options: any difference re-creates the index. */
Test(diff, index_methods_and_options_recreate)
{
	static const char *const variants[] = {
		"{ columns: [a] }",
		"{ columns: [a], using: gin }",
		"{ columns: [a], using: hash }",
		"{ columns: [\"a DESC\"] }",
		"{ columns: [{ column: a, nulls: first }] }",
		"{ columns: [\"a text_pattern_ops\"] }",
		"{ columns: [a], include: [b] }",
		"{ columns: [a], unique: true }",
		"{ columns: [a], unique: true, nulls_not_distinct: true }",
	};
	char d[512], c[512];
	size_t i, j;

	for (i = 0; i < sizeof variants / sizeof variants[0]; i++)
		for (j = 0; j < sizeof variants / sizeof variants[0]; j++) {
			snprintf(d, sizeof d, "tables:\n  t:\n    columns:\n"
			    "      a: text\n      b: text\n    indexes:\n"
			    "      t_ix: %s\n", variants[i]);
			snprintf(c, sizeof c, "tables:\n  t:\n    columns:\n"
			    "      a: text\n      b: text\n    indexes:\n"
			    "      t_ix: %s\n", variants[j]);
			fx_release(&f);
			fx_init(&f);
			fx_diff(&f, d, c);
			if (i == j)
				FX_EXPECT_EMPTY(&f);
			else
				FX_EXPECT(&f, "drop_index t.t_ix safe",
				    "create_index t.t_ix safe");
		}
}

/* The two spellings of an order are one index; btree is the default;
 * method names and operator classes compare without case. */
Test(diff, index_option_spellings_are_one_index)
{
	fx_diff(&f,
	    "tables:\n  t:\n    columns:\n      a: text\n      b: text\n"
	    "    indexes:\n"
	    "      t_a: { columns: [\"a DESC NULLS LAST\", b], using: btree }\n"
	    "      t_b: { columns: [{ column: b, opclass: Text_Pattern_Ops }], using: GIN }\n",
	    "tables:\n  t:\n    columns:\n      a: text\n      b: text\n"
	    "    indexes:\n"
	    "      t_a: { columns: [{ column: a, order: desc, nulls: last }, { column: b, order: asc }] }\n"
	    "      t_b: { columns: [\"b text_pattern_ops\"], using: gin }\n");
	FX_EXPECT_EMPTY(&f);
}

/* Where the database keeps unique constraints apart (PostgreSQL), one
 * is not a unique index of the same name and columns. */
Test(diff, unique_constraint_is_not_a_unique_index_where_kept_apart)
{
	f.o.unique_constraints = true;
	fx_diff(&f,
	    "tables:\n  u:\n    columns:\n"
	    "      e: { type: text, unique: true }\n",
	    "tables:\n  u:\n    columns:\n      e: text\n"
	    "    indexes:\n      u_e_key: { columns: [e], unique: true }\n");
	FX_EXPECT(&f, "add_unique u.u_e_key safe", "drop_index u.u_e_key safe");
	fx_release(&f);
	fx_init(&f);
	f.o.unique_constraints = true;
	fx_diff(&f,
	    "tables:\n  u:\n    columns:\n      e: text\n"
	    "    indexes:\n      u_e_key: { columns: [e], unique: true }\n",
	    "tables:\n  u:\n    columns:\n"
	    "      e: { type: text, unique: true }\n");
	FX_EXPECT(&f, "drop_unique u.u_e_key safe", "create_index u.u_e_key safe");
	fx_release(&f);
	fx_init(&f);
	f.o.unique_constraints = true;
	fx_diff(&f,
	    "tables:\n  u:\n    columns:\n      e: text\n"
	    "    indexes:\n      u_e_key: { columns: [e], unique: true, constraint: true }\n",
	    "tables:\n  u:\n    columns:\n"
	    "      e: { type: text, unique: true }\n");
	FX_EXPECT_EMPTY(&f);
}

/* Elsewhere (SQLite) a unique index with options is still no constraint. */
Test(diff, unique_index_with_options_is_not_a_constraint)
{
	fx_diff(&f,
	    "tables:\n  u:\n    columns:\n"
	    "      e: { type: text, unique: true }\n",
	    "tables:\n  u:\n    columns:\n      e: text\n"
	    "    indexes:\n      u_e_key: { columns: [\"e DESC\"], unique: true }\n");
	FX_EXPECT(&f, "add_unique u.u_e_key safe", "drop_index u.u_e_key safe");
}

/* A unique constraint's own options re-create it. */
Test(diff, unique_constraint_options_recreate)
{
	static const char *const variants[] = {
		"{ columns: [a, b], unique: true, constraint: true }",
		"{ columns: [a, b], unique: true, constraint: true, deferrable: true }",
		"{ columns: [a, b], unique: true, constraint: true, deferrable: true, initially_deferred: true }",
		"{ columns: [a, b], unique: true, constraint: true, nulls_not_distinct: true }",
		"{ columns: [a, b], unique: true, constraint: true, include: [c] }",
	};
	char d[512], c[512];
	size_t i, j;

	for (i = 0; i < sizeof variants / sizeof variants[0]; i++)
		for (j = 0; j < sizeof variants / sizeof variants[0]; j++) {
			snprintf(d, sizeof d, "tables:\n  t:\n    columns:\n"
			    "      a: text\n      b: text\n      c: text\n"
			    "    indexes:\n      t_k: %s\n", variants[i]);
			snprintf(c, sizeof c, "tables:\n  t:\n    columns:\n"
			    "      a: text\n      b: text\n      c: text\n"
			    "    indexes:\n      t_k: %s\n", variants[j]);
			fx_release(&f);
			fx_init(&f);
			f.o.unique_constraints = true;
			fx_diff(&f, d, c);
			if (i == j)
				FX_EXPECT_EMPTY(&f);
			else
				FX_EXPECT(&f, "drop_unique t.t_k safe",
				    "add_unique t.t_k safe");
		}
}

/* A constraint matched by its columns under another name takes the
 * files' name where names are kept (PostgreSQL); elsewhere nothing. */
Test(diff, unique_constraint_renamed_with_its_column)
{
	f.o.unique_constraints = true;
	fx_diff(&f,
	    "tables:\n  u:\n    columns:\n"
	    "      mail: { type: text, unique: true, renamed_from: email }\n",
	    "tables:\n  u:\n    columns:\n"
	    "      email: { type: text, unique: true }\n");
	FX_EXPECT(&f, "rename_column u.mail safe", "rename_unique u.u_mail_key safe");
	cr_expect_str_eq(f.p.v[1]->old_name, "u_email_key");
	fx_release(&f);
	fx_init(&f);
	fx_diff(&f,
	    "tables:\n  u:\n    columns:\n"
	    "      mail: { type: text, unique: true, renamed_from: email }\n",
	    "tables:\n  u:\n    columns:\n"
	    "      email: { type: text, unique: true }\n");
	FX_EXPECT(&f, "rename_column u.mail safe");
}

/*
 * Collations: none and the dialect's name for the default are the same;
 * names compare as the dialect compares names (SQLite: any case).
 * Generated columns compare their expression (as the dialect compares
 * expressions) and stored; identity options their effective values.
 */
Test(diff, generated_identity_collation)
{
	static const char desired[] = "tables:\n  t:\n    columns:\n"
	    "      a: { type: text, collation: nocase }\n"
	    "      b: { type: text, collation: BINARY }\n"
	    "      c: text\n"
	    "      g: { type: integer, generated: { sql: \"length(a)\", stored: true } }\n"
	    "      h: { type: integer, generated: { sql: \"1\", stored: true } }\n"
	    "      id: { type: integer, autoincrement: { start: 1, increment: 1 } }\n"
	    "      k: { type: integer, autoincrement: { increment: -1 } }\n";
	static const char current[] = "tables:\n  t:\n    columns:\n"
	    "      a: { type: text, collation: NOCASE }\n"
	    "      b: text\n"
	    "      c: { type: text, collation: RTRIM }\n"
	    "      g: { type: integer, generated: { sql: \"length(a)\", stored: true } }\n"
	    "      h: { type: integer, generated: { sql: \"1\" } }\n"
	    "      id: { type: integer, autoincrement: true }\n"
	    "      k: { type: integer, autoincrement: { start: -1, increment: -1 } }\n";

	f.o.fold_case = true;
	f.o.default_collation = "BINARY";
	fx_diff(&f, desired, current);
	FX_EXPECT(&f,
	    "alter_column t.c safe",
	    "alter_column t.h safe");
	cr_expect_eq(f.p.v[0]->alter, SS_ALTER_COLLATION);
	cr_expect_eq(f.p.v[1]->alter, SS_ALTER_GENERATED);
	/* Names that differ in case differ where they are case-sensitive. */
	f.o.fold_case = false;
	fx_rediff(&f);
	FX_EXPECT(&f,
	    "alter_column t.a safe",
	    "alter_column t.c safe",
	    "alter_column t.h safe");
}

/* Declared views. */

Test(diff, views_compare_token_for_token)
{
	fx_diff(&f, "tables:\n  t:\n    columns:\n      id: integer\n"
	    "      a: integer\n"
	    "views:\n  v: \"select  ID,\\n a from \\\"t\\\" -- note\"\n",
	    "tables:\n  t:\n    columns:\n      id: integer\n      a: integer\n"
	    "views:\n  v: SELECT id, a FROM t\n");
	FX_EXPECT_EMPTY(&f);
}

Test(diff, a_changed_view_is_dropped_and_created_again)
{
	struct ss_change *drop, *add;

	fx_diff(&f, "tables:\n  t:\n    columns:\n      id: integer\n"
	    "      a: integer\n"
	    "views:\n  v: SELECT id FROM t\n"
	    "  m: { sql: SELECT a FROM t, materialized: true }\n"
	    "  fresh: SELECT 1\n",
	    "tables:\n  t:\n    columns:\n      id: integer\n      a: integer\n"
	    "views:\n  v: SELECT id, a FROM t\n  m: SELECT a FROM t\n");
	FX_EXPECT(&f,
	    "drop_view v safe",
	    "create_view v safe",
	    "drop_view m safe",
	    "create_view m safe",
	    "create_view fresh safe");
	drop = fx_find(&f, "drop_view v");
	add = fx_find(&f, "create_view v");
	cr_assert_eq(drop->pair, add);
	cr_assert_eq(add->pair, drop);
	cr_assert_null(add->because);
	cr_assert(add->d_view->materialized == false);
	cr_assert(fx_find(&f, "create_view m")->d_view->materialized);
}

Test(diff, views_are_dropped_by_drop_true_or_when_not_named)
{
	fx_diff(&f, "tables:\n  t:\n    columns:\n      id: integer\n"
	    "views:\n  gone: { drop: true }\n  never: { drop: true }\n",
	    "tables:\n  t:\n    columns:\n      id: integer\n"
	    "views:\n  gone: SELECT 1\n  other: SELECT 2\n");
	/* The differ manages every view of current: the caller leaves the
	 * undeclared ones out (ss_schema_unmanage_views()). */
	FX_EXPECT(&f, "drop_view gone safe", "drop_view other safe");
	ss_schema_unmanage_views(&f.c, &f.d, false);
	cr_assert_eq(f.c.nviews, 1);
	cr_assert_eq(f.c.nothers, 1);
	cr_assert_str_eq(f.c.others[0].kind, "view");
	cr_assert_str_eq(f.c.others[0].name, "other");
	cr_assert_str_eq(f.c.others[0].sql, "SELECT 2");
	fx_rediff(&f);
	FX_EXPECT(&f, "drop_view gone safe");
}

Test(diff, unmanage_views_folds_case_where_asked)
{
	fx_load(&f.d, "d.yaml", "views:\n  Report: SELECT 1\n");
	fx_load(&f.c, "c.yaml", "views:\n  report: SELECT 1\n"
	    "  m: { sql: SELECT 2, materialized: true }\n");
	ss_schema_unmanage_views(&f.c, &f.d, true);
	cr_assert_eq(f.c.nviews, 1);
	cr_assert_str_eq(f.c.views[0]->name, "report");
	cr_assert_str_eq(f.c.others[0].kind, "materialized view");
	ss_schema_unmanage_views(&f.c, &f.d, false);
	cr_assert_eq(f.c.nviews, 0);
}

/* PostgreSQL's rule, written here: a type change breaks views. */
static bool
type_breaks(const struct ss_plan *p, const struct ss_change *c, void *ctx)
{
	(void)p;
	(void)ctx;
	return c->op == SS_OP_ALTER_COLUMN && (c->alter & SS_ALTER_TYPE);
}

Test(diff, views_over_a_broken_table_are_created_again)
{
	struct ss_change *add;

	f.o.breaks_views = type_breaks;
	fx_diff(&f, "tables:\n  t:\n    columns:\n      id: integer\n"
	    "      a: bigint\n      b: text\n"
	    "  u:\n    columns:\n      id: integer\n"
	    "views:\n  top: SELECT * FROM mid\n  mid: SELECT * FROM t\n"
	    "  beside: SELECT * FROM u\n",
	    "tables:\n  t:\n    columns:\n      id: integer\n      a: integer\n"
	    "  u:\n    columns:\n      id: integer\n"
	    "views:\n  top: SELECT * FROM mid\n  mid: SELECT * FROM t\n"
	    "  beside: SELECT * FROM u\n");
	FX_EXPECT(&f,
	    "alter_column t.a safe",
	    "add_column t.b safe",
	    "drop_view mid safe",
	    "create_view mid safe",
	    "drop_view top safe",
	    "create_view top safe");
	add = fx_find(&f, "create_view mid");
	cr_assert_str_eq(add->because, "table t changes");
	cr_assert_eq(add->because_of, fx_find(&f, "alter_column t.a"));
	cr_assert_str_eq(fx_find(&f, "drop_view top")->because,
	    "view mid is re-created");
	/* Without the dialect's rule nothing breaks them. */
	f.o.breaks_views = NULL;
	fx_rediff(&f);
	FX_EXPECT(&f, "alter_column t.a safe", "add_column t.b safe");
}

Test(diff, a_view_over_a_dropped_view_says_so)
{
	fx_diff(&f, "views:\n  base: { drop: true }\n"
	    "  reader: SELECT * FROM base\n",
	    "views:\n  base: SELECT 1 AS x\n  reader: SELECT * FROM base\n");
	FX_EXPECT(&f,
	    "drop_view base safe",
	    "drop_view reader safe",
	    "create_view reader safe");
	cr_assert_str_eq(fx_find(&f, "drop_view reader")->because,
	    "view base is dropped");
}
