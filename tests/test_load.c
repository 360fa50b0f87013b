/*
 * Tests for the schema loader (src/load.c, src/ydoc.c): what it accepts
 * and the model it builds, and every error it reports, each asserted as
 * the exact line a user sees, FILE:LINE:COLUMN included.
 *
 * Most tests load YAML from memory with ss_load_buffers(); the
 * ss_load_paths() tests build real folders under mkdtemp().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "ss/load.h"

static struct ss_schema S;
static struct ss_diags D;
static struct ss_buf OUT;
static int RC;

static void
setup(void)
{
	ss_schema_init(&S);
	memset(&D, 0, sizeof D);
	ss_buf_init(&OUT);
	RC = 1;
}

static void
teardown(void)
{
	ss_buf_release(&OUT);
	ss_diags_release(&D);
	ss_schema_release(&S);
}

TestSuite(load, .init = setup, .fini = teardown);

/* The diagnostics as a user sees them (no colour), one a line. */
static const char *
diags(void)
{
	size_t i;

	ss_buf_reset(&OUT);
	for (i = 0; i < D.n; i++) {
		if (i > 0)
			ss_buf_addc(&OUT, '\n');
		ss_diag_format(&OUT, &D.v[i], 0);
	}
	return OUT.s;
}

/* Loads texts[i] as names[i] into a fresh S; returns diags(). */
static const char *
loadv(size_t n, const char *const *names, const char *const *texts)
{
	teardown();
	setup();
	RC = ss_load_buffers(&S, names, texts, n, &D);
	cr_assert_eq(RC == 0, D.errors == 0, "rc %d with %zu errors", RC,
	    D.errors);
	cr_assert(RC == 0 || RC == -SS_ESCHEMA, "rc %d", RC);
	return diags();
}

static const char *
load1(const char *text)
{
	return loadv(1, (const char *const[]){ "a.yaml" },
	    (const char *const[]){ text });
}

static const char *
load2(const char *a, const char *b)
{
	return loadv(2, (const char *const[]){ "a.yaml", "b.yaml" },
	    (const char *const[]){ a, b });
}

/* Loads text, which must be valid. */
#define LOAD_OK(text) do { \
	cr_assert_str_eq(load1(text), ""); \
	cr_assert_eq(RC, 0); \
} while (0)

/* Loads text and expects exactly these diagnostics. */
#define LOAD_ERR(text, expected) do { \
	cr_assert_str_eq(load1(text), expected); \
	cr_assert_eq(RC, -SS_ESCHEMA); \
} while (0)

static struct ss_table *
tbl(const char *name)
{
	struct ss_table *t = ss_schema_table(&S, name);

	cr_assert_not_null(t, "no table '%s'", name);
	return t;
}

static struct ss_column *
col(const struct ss_table *t, const char *name)
{
	struct ss_column *c = ss_table_column(t, name);

	cr_assert_not_null(c, "no column '%s.%s'", t->name, name);
	return c;
}

static const char *
type_of(const struct ss_column *c)
{
	struct ss_buf b = SS_BUF_INIT;
	char *r;

	ss_type_format(&b, &c->type);
	r = ss_arena_strdup(&S.arena, b.s);
	ss_buf_release(&b);
	return r;
}

/* "a,b,c" */
static const char *
names_str(const struct ss_names *l)
{
	struct ss_buf b = SS_BUF_INIT;
	char *r;
	size_t i;

	for (i = 0; i < l->n; i++)
		ss_buf_addf(&b, "%s%s", i ? "," : "", l->v[i].name);
	r = ss_arena_strdup(&S.arena, b.s);
	ss_buf_release(&b);
	return r;
}

/* The column names of t in model order: "id,name". */
static const char *
columns_str(const struct ss_table *t)
{
	struct ss_buf b = SS_BUF_INIT;
	char *r;
	size_t i;

	for (i = 0; i < t->ncolumns; i++)
		ss_buf_addf(&b, "%s%s", i ? "," : "", t->columns[i].name);
	r = ss_arena_strdup(&S.arena, b.s);
	ss_buf_release(&b);
	return r;
}

static void
expect_default(const struct ss_column *c, enum ss_default_kind kind,
    const char *value)
{
	cr_expect_eq(c->def.kind, kind, "default kind of '%s'", c->name);
	if (value == NULL)
		cr_expect_null(c->def.value, "default of '%s'", c->name);
	else
		cr_expect_str_eq(c->def.value, value, "default of '%s'",
		    c->name);
}

/* The fixtures folder, found from this file's own path. */
static const char *
fixture(const char *name)
{
	const char *slash = strrchr(__FILE__, '/');
	int dirlen = slash ? (int)(slash - __FILE__) : 1;

	return ss_arena_printf(&S.arena, "%.*s/fixtures/%s", dirlen,
	    slash ? __FILE__ : ".", name);
}

/* Accepted input. */

Test(load, spec_example)
{
	const char *path = fixture("blog.yaml");
	struct ss_table *u, *p;
	struct ss_column *c;
	struct ss_enum *e;

	RC = ss_load_paths(&S, &path, 1, &D);
	cr_assert_str_eq(diags(), "");
	cr_assert_eq(RC, 0);
	cr_assert_eq(S.nfiles, 1);
	cr_assert_eq(S.nenums, 1);
	e = ss_schema_enum(&S, "post_status");
	cr_assert_not_null(e);
	cr_assert_str_eq(names_str(&e->values), "draft,published,archived");
	cr_assert_eq(e->loc.line, 3);
	cr_assert_eq(e->loc.col, 3);

	cr_assert_eq(S.ntables, 2);
	cr_assert_str_eq(S.tables[0]->name, "users");
	cr_assert_str_eq(S.tables[1]->name, "posts");

	u = tbl("users");
	cr_assert_str_eq(columns_str(u),
	    "id,email,name,status,karma,created_at");
	cr_assert_str_eq(u->loc.file, path);
	cr_assert_eq(u->loc.line, 6);
	cr_assert_eq(u->loc.col, 3);
	c = col(u, "id");
	cr_assert_str_eq(type_of(c), "bigint");
	cr_assert_eq(c->type.kind, SS_TYPE_BIGINT);
	cr_assert_not(c->nullable);
	cr_assert(c->primary_key);
	cr_assert(c->autoincrement);
	expect_default(c, SS_DEFAULT_NONE, NULL);
	c = col(u, "email");
	cr_assert_str_eq(type_of(c), "text");
	cr_assert_not(c->nullable);
	cr_assert(c->unique);
	c = col(u, "name");
	cr_assert_str_eq(type_of(c), "text");
	cr_assert(c->nullable);
	cr_assert_not(c->unique);
	cr_assert_not(c->primary_key);
	expect_default(c, SS_DEFAULT_NONE, NULL);
	cr_assert_eq(c->loc.line, 10);
	cr_assert_eq(c->loc.col, 7);
	cr_assert_eq(c->type_loc.line, 10);
	cr_assert_eq(c->type_loc.col, 19);
	c = col(u, "status");
	cr_assert_not(c->nullable);
	expect_default(c, SS_DEFAULT_STRING, "active");
	c = col(u, "karma");
	cr_assert_str_eq(type_of(c), "integer");
	expect_default(c, SS_DEFAULT_NUMBER, "0");
	c = col(u, "created_at");
	cr_assert_str_eq(type_of(c), "timestamp");
	expect_default(c, SS_DEFAULT_SQL, "CURRENT_TIMESTAMP");

	cr_assert_not_null(u->pk);
	cr_assert_str_eq(u->pk->name, "users_pkey");
	cr_assert_str_eq(names_str(&u->pk->columns), "id");
	cr_assert_eq(u->nuniques, 1);
	cr_assert_str_eq(u->uniques[0].name, "users_email_key");
	cr_assert_str_eq(names_str(&u->uniques[0].columns), "email");
	cr_assert_eq(u->nindexes, 2);
	cr_assert_str_eq(u->indexes[0].name, "users_name_idx");
	cr_assert_str_eq(names_str(&u->indexes[0].columns), "name");
	cr_assert_not(u->indexes[0].unique);
	cr_assert_null(u->indexes[0].where);
	cr_assert_str_eq(u->indexes[1].name, "users_live_email");
	cr_assert(u->indexes[1].unique);
	cr_assert_str_eq(u->indexes[1].where, "status <> 'deleted'");
	cr_assert_eq(u->nchecks, 1);
	cr_assert_str_eq(u->checks[0].name, "users_karma_positive");
	cr_assert_str_eq(u->checks[0].expr, "karma >= 0");
	cr_assert_eq(u->nfks, 0);
	cr_assert_null(u->renamed_from);

	p = tbl("posts");
	cr_assert_str_eq(columns_str(p), "id,user_id,title,status,body");
	cr_assert_str_eq(p->renamed_from, "articles");
	cr_assert_not_null(p->pk);
	cr_assert_str_eq(p->pk->name, "posts_pkey");
	cr_assert_str_eq(names_str(&p->pk->columns), "id");
	cr_assert_not(col(p, "id")->nullable);
	cr_assert(col(p, "id")->autoincrement);
	c = col(p, "title");
	cr_assert_str_eq(type_of(c), "varchar(200)");
	cr_assert_eq(c->type.kind, SS_TYPE_VARCHAR);
	cr_assert_eq(c->type.len, 200);
	cr_assert_str_eq(c->renamed_from, "headline");
	cr_assert_not(c->nullable);
	c = col(p, "status");
	cr_assert_eq(c->type.kind, SS_TYPE_ENUM);
	cr_assert_str_eq(c->type.name, "post_status");
	expect_default(c, SS_DEFAULT_STRING, "draft");
	cr_assert(col(p, "body")->nullable);
	cr_assert_eq(p->nfks, 2);
	cr_assert_str_eq(p->fks[0].name, "posts_user_id_fkey");
	cr_assert(p->fks[0].from_column);
	cr_assert_str_eq(names_str(&p->fks[0].columns), "user_id");
	cr_assert_str_eq(p->fks[0].ref_table, "users");
	cr_assert_str_eq(names_str(&p->fks[0].ref_columns), "id");
	cr_assert_eq(p->fks[0].on_delete, SS_FK_CASCADE);
	cr_assert_eq(p->fks[0].on_update, SS_FK_NO_ACTION);
	cr_assert_str_eq(p->fks[1].name, "posts_author_fk");
	cr_assert_not(p->fks[1].from_column);
	cr_assert_str_eq(names_str(&p->fks[1].columns), "user_id");
	cr_assert_str_eq(p->fks[1].ref_table, "users");
	cr_assert_str_eq(names_str(&p->fks[1].ref_columns), "id");
	cr_assert_eq(p->fks[1].on_delete, SS_FK_CASCADE);
	cr_assert_eq(p->nuniques, 0);
	cr_assert_eq(p->nindexes, 0);
}

Test(load, column_short_form)
{
	struct ss_column *c;

	LOAD_OK(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: text\n"
	    "      b: VARCHAR(20)\n");
	c = col(tbl("t"), "a");
	cr_assert_str_eq(type_of(c), "text");
	cr_assert(c->nullable);
	cr_assert_not(c->primary_key);
	cr_assert_not(c->unique);
	cr_assert_not(c->autoincrement);
	expect_default(c, SS_DEFAULT_NONE, NULL);
	cr_assert_null(c->renamed_from);
	cr_assert_null(c->comment);
	cr_assert_str_eq(type_of(col(tbl("t"), "b")), "varchar(20)");
	cr_assert_null(tbl("t")->pk);
}

Test(load, defaults_are_typed)
{
	struct ss_table *t;

	LOAD_OK(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: { type: boolean, default: true }\n"
	    "      b: { type: text, default: \"true\" }\n"
	    "      c: { type: integer, default: 0 }\n"
	    "      d: { type: text, default: \"0\" }\n"
	    "      e: { type: text, default: null }\n"
	    "      f: { type: text, default: \"null\" }\n"
	    "      g: { type: text, default: ~ }\n"
	    "      h: { type: \"numeric(5,2)\", default: -1.5 }\n"
	    "      i: { type: boolean, default: False }\n"
	    "      j: { type: text, default: 'it''s' }\n"
	    "      k: { type: timestamp, default: { sql: now() } }\n"
	    "      l: { type: text, default: \"x'); DROP TABLE t; --\" }\n"
	    "      m: { type: text, default: '' }\n"
	    "      n: { type: integer, default: 1e3 }\n"
	    "      o: { type: text, default: 12abc }\n");
	t = tbl("t");
	expect_default(col(t, "a"), SS_DEFAULT_BOOL, "true");
	expect_default(col(t, "b"), SS_DEFAULT_STRING, "true");
	expect_default(col(t, "c"), SS_DEFAULT_NUMBER, "0");
	expect_default(col(t, "d"), SS_DEFAULT_STRING, "0");
	expect_default(col(t, "e"), SS_DEFAULT_NULL, NULL);
	expect_default(col(t, "f"), SS_DEFAULT_STRING, "null");
	expect_default(col(t, "g"), SS_DEFAULT_NULL, NULL);
	expect_default(col(t, "h"), SS_DEFAULT_NUMBER, "-1.5");
	expect_default(col(t, "i"), SS_DEFAULT_BOOL, "false");
	expect_default(col(t, "j"), SS_DEFAULT_STRING, "it's");
	expect_default(col(t, "k"), SS_DEFAULT_SQL, "now()");
	expect_default(col(t, "l"), SS_DEFAULT_STRING,
	    "x'); DROP TABLE t; --");
	expect_default(col(t, "m"), SS_DEFAULT_STRING, "");
	expect_default(col(t, "n"), SS_DEFAULT_NUMBER, "1e3");
	expect_default(col(t, "o"), SS_DEFAULT_STRING, "12abc");
	cr_assert_eq(col(t, "k")->default_loc.line, 14);
	cr_assert_eq(col(t, "k")->default_loc.col, 38);
}

Test(load, column_primary_key)
{
	struct ss_table *t;

	LOAD_OK(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      id: { type: int, primary_key: true }\n"
	    "      x: text\n");
	t = tbl("t");
	cr_assert_not_null(t->pk);
	cr_assert_str_eq(t->pk->name, "t_pkey");
	cr_assert_str_eq(names_str(&t->pk->columns), "id");
	cr_assert_eq(t->pk->loc.line, 4);
	cr_assert_eq(t->pk->loc.col, 7);
	cr_assert_not(col(t, "id")->nullable);
	cr_assert(col(t, "id")->primary_key);
	cr_assert_str_eq(type_of(col(t, "id")), "integer");
	cr_assert(col(t, "x")->nullable);
}

Test(load, table_primary_key_composite)
{
	struct ss_table *t;

	LOAD_OK(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: integer\n"
	    "      b: text\n"
	    "      c: text\n"
	    "    primary_key: [b, a]\n"
	    "  u:\n"
	    "    columns:\n"
	    "      k: text\n"
	    "    primary_key: k\n");
	t = tbl("t");
	cr_assert_str_eq(t->pk->name, "t_pkey");
	cr_assert_str_eq(names_str(&t->pk->columns), "b,a");
	cr_assert_eq(t->pk->loc.line, 7);
	cr_assert_eq(t->pk->loc.col, 5);
	cr_assert_not(col(t, "a")->nullable);
	cr_assert_not(col(t, "b")->nullable);
	cr_assert(col(t, "c")->nullable);
	/* The flag says where the key was written, not that it is one. */
	cr_assert_not(col(t, "a")->primary_key);
	t = tbl("u");
	cr_assert_str_eq(names_str(&t->pk->columns), "k");
	cr_assert_not(col(t, "k")->nullable);
}

Test(load, column_primary_key_on_several_columns)
{
	struct ss_table *t;

	LOAD_OK(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: { type: integer, primary_key: true }\n"
	    "      b: { type: integer, primary_key: true }\n");
	t = tbl("t");
	cr_assert_str_eq(names_str(&t->pk->columns), "a,b");
}

Test(load, table_and_column_primary_key_agreeing)
{
	struct ss_table *t;

	LOAD_OK(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      id: { type: bigint, primary_key: true, autoincrement: true }\n"
	    "    primary_key: [id]\n");
	t = tbl("t");
	cr_assert_str_eq(names_str(&t->pk->columns), "id");
	cr_assert(col(t, "id")->autoincrement);
}

Test(load, autoincrement)
{
	LOAD_OK(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      id: { type: smallint, primary_key: true, autoincrement: true }\n"
	    "      n: { type: integer, autoincrement: false }\n");
	cr_assert(col(tbl("t"), "id")->autoincrement);
	cr_assert_not(col(tbl("t"), "n")->autoincrement);
}

Test(load, unique_column)
{
	struct ss_table *t;

	LOAD_OK(
	    "tables:\n"
	    "  users:\n"
	    "    columns:\n"
	    "      email: { type: text, unique: true }\n"
	    "      name: { type: text, unique: false }\n");
	t = tbl("users");
	cr_assert_eq(t->nuniques, 1);
	cr_assert_str_eq(t->uniques[0].name, "users_email_key");
	cr_assert_str_eq(names_str(&t->uniques[0].columns), "email");
	cr_assert_eq(t->uniques[0].loc.line, 4);
	cr_assert_eq(t->uniques[0].loc.col, 7);
	cr_assert(col(t, "email")->unique);
	cr_assert(col(t, "email")->nullable);
	cr_assert_not(col(t, "name")->unique);
}

Test(load, references_column)
{
	struct ss_table *t;

	LOAD_OK(
	    "tables:\n"
	    "  users:\n"
	    "    columns:\n"
	    "      id: { type: bigint, primary_key: true }\n"
	    "      email: { type: text, unique: true }\n"
	    "  posts:\n"
	    "    columns:\n"
	    "      user_id: { type: bigint, references: users.id }\n"
	    "      author: { type: bigint, references: users, on_delete: set null, on_update: CASCADE }\n"
	    "      email: { type: text, references: users.email, on_delete: restrict }\n");
	t = tbl("posts");
	cr_assert_eq(t->nfks, 3);
	cr_assert_str_eq(t->fks[0].name, "posts_user_id_fkey");
	cr_assert_str_eq(names_str(&t->fks[0].columns), "user_id");
	cr_assert_str_eq(t->fks[0].ref_table, "users");
	cr_assert_str_eq(names_str(&t->fks[0].ref_columns), "id");
	cr_assert(t->fks[0].from_column);
	cr_assert_eq(t->fks[0].on_delete, SS_FK_NO_ACTION);
	cr_assert_eq(t->fks[0].on_update, SS_FK_NO_ACTION);
	cr_assert_eq(t->fks[0].loc.line, 8);
	cr_assert_eq(t->fks[0].loc.col, 44);
	/* `references: users` means users' primary key. */
	cr_assert_str_eq(t->fks[1].name, "posts_author_fkey");
	cr_assert_str_eq(t->fks[1].ref_table, "users");
	cr_assert_str_eq(names_str(&t->fks[1].ref_columns), "id");
	cr_assert_eq(t->fks[1].on_delete, SS_FK_SET_NULL);
	cr_assert_eq(t->fks[1].on_update, SS_FK_CASCADE);
	/* A unique column is a valid target too. */
	cr_assert_str_eq(t->fks[2].name, "posts_email_fkey");
	cr_assert_str_eq(names_str(&t->fks[2].ref_columns), "email");
	cr_assert_eq(t->fks[2].on_delete, SS_FK_RESTRICT);
	cr_assert_null(t->pk);
}

Test(load, foreign_keys_long_form)
{
	struct ss_table *t;

	LOAD_OK(
	    "tables:\n"
	    "  orgs:\n"
	    "    columns:\n"
	    "      region: text\n"
	    "      id: integer\n"
	    "    primary_key: [region, id]\n"
	    "  members:\n"
	    "    columns:\n"
	    "      org_region: { type: text, nullable: false }\n"
	    "      org_id: { type: integer, nullable: false }\n"
	    "    foreign_keys:\n"
	    "      members_org_fk:\n"
	    "        columns: [org_region, org_id]\n"
	    "        references: { table: orgs, columns: [region, id] }\n"
	    "        on_delete: set default\n"
	    "        on_update: no action\n"
	    "  badges:\n"
	    "    columns:\n"
	    "      r: text\n"
	    "      i: integer\n"
	    "    foreign_keys:\n"
	    "      - { columns: [r, i], references: { table: orgs }, on_delete: cascade }\n"
	    "      - { columns: [i, r], references: { table: orgs, columns: [id, region] } }\n");
	t = tbl("members");
	cr_assert_eq(t->nfks, 1);
	cr_assert_str_eq(t->fks[0].name, "members_org_fk");
	cr_assert_str_eq(names_str(&t->fks[0].columns), "org_region,org_id");
	cr_assert_str_eq(t->fks[0].ref_table, "orgs");
	cr_assert_str_eq(names_str(&t->fks[0].ref_columns), "region,id");
	cr_assert_eq(t->fks[0].on_delete, SS_FK_SET_DEFAULT);
	cr_assert_eq(t->fks[0].on_update, SS_FK_NO_ACTION);
	cr_assert_not(t->fks[0].from_column);
	cr_assert_eq(t->fks[0].loc.line, 12);
	cr_assert_eq(t->fks[0].loc.col, 7);
	t = tbl("badges");
	cr_assert_eq(t->nfks, 2);
	cr_assert_str_eq(t->fks[0].name, "badges_r_i_fkey");
	cr_assert_str_eq(names_str(&t->fks[0].ref_columns), "region,id");
	cr_assert_eq(t->fks[0].on_delete, SS_FK_CASCADE);
	cr_assert_str_eq(t->fks[1].name, "badges_i_r_fkey");
	cr_assert_str_eq(names_str(&t->fks[1].ref_columns), "id,region");
}

Test(load, indexes_map_and_list_forms)
{
	struct ss_table *t;

	LOAD_OK(
	    "tables:\n"
	    "  users:\n"
	    "    columns:\n"
	    "      name: text\n"
	    "      email: text\n"
	    "      org: integer\n"
	    "    indexes:\n"
	    "      by_org: { columns: [org, name] }\n"
	    "  posts:\n"
	    "    columns:\n"
	    "      title: text\n"
	    "      slug: text\n"
	    "      a: integer\n"
	    "      b: integer\n"
	    "    indexes:\n"
	    "      - { columns: [title] }\n"
	    "      - { columns: [slug], unique: true }\n"
	    "      - { columns: [a, b] }\n"
	    "      - columns: b\n");
	t = tbl("users");
	cr_assert_eq(t->nindexes, 1);
	cr_assert_str_eq(t->indexes[0].name, "by_org");
	cr_assert_str_eq(names_str(&t->indexes[0].columns), "org,name");
	cr_assert_not(t->indexes[0].unique);
	cr_assert_eq(t->indexes[0].loc.line, 8);
	cr_assert_eq(t->indexes[0].loc.col, 7);
	t = tbl("posts");
	cr_assert_eq(t->nindexes, 4);
	cr_assert_str_eq(t->indexes[0].name, "posts_title_idx");
	cr_assert_str_eq(t->indexes[1].name, "posts_slug_idx");
	cr_assert(t->indexes[1].unique);
	cr_assert_str_eq(t->indexes[2].name, "posts_a_b_idx");
	cr_assert_str_eq(names_str(&t->indexes[2].columns), "a,b");
	cr_assert_str_eq(t->indexes[3].name, "posts_b_idx");
	cr_assert_eq(t->indexes[1].loc.line, 17);
	cr_assert_eq(t->indexes[1].loc.col, 9);
	/* A unique index is not a unique constraint. */
	cr_assert_eq(t->nuniques, 0);
}

Test(load, partial_and_expression_indexes)
{
	struct ss_table *t;

	LOAD_OK(
	    "tables:\n"
	    "  users:\n"
	    "    columns:\n"
	    "      email: text\n"
	    "      deleted: boolean\n"
	    "      created_at: timestamptz\n"
	    "    indexes:\n"
	    "      live: { columns: [email], unique: true, where: \"deleted = false\" }\n"
	    "      by_lower: { columns: [\"lower(email)\"] }\n"
	    "  logs:\n"
	    "    columns:\n"
	    "      at: timestamptz\n"
	    "      msg: text\n"
	    "    indexes:\n"
	    "      - { columns: [\"lower(msg)\", at] }\n"
	    "      - { columns: [at DESC] }\n"
	    "      - { columns: [\"(msg || 'x')\"], where: \"at > '2020-01-01'\" }\n"
	    "      - { columns: [\"(msg::varchar)\"] }\n");
	t = tbl("users");
	cr_assert_str_eq(t->indexes[0].where, "deleted = false");
	cr_assert(t->indexes[0].unique);
	cr_assert_str_eq(names_str(&t->indexes[1].columns), "lower(email)");
	cr_assert_null(t->indexes[1].where);
	/* Unnamed expression indexes are named as PostgreSQL names them:
	 * a function call by the function, a column with options by the
	 * column, anything else "expr". */
	t = tbl("logs");
	cr_assert_eq(t->nindexes, 4);
	cr_assert_str_eq(names_str(&t->indexes[0].columns), "lower(msg),at");
	cr_assert_str_eq(t->indexes[0].name, "logs_lower_at_idx");
	/* The order is the entry's option, not part of its text. */
	cr_assert_str_eq(names_str(&t->indexes[1].columns), "at");
	cr_assert(ss_index_key(&t->indexes[1], 0)->desc);
	cr_assert_str_eq(t->indexes[1].name, "logs_at_idx");
	cr_assert_str_eq(t->indexes[2].name, "logs_expr_idx");
	cr_assert_str_eq(t->indexes[2].where, "at > '2020-01-01'");
	cr_assert_str_eq(t->indexes[3].name, "logs_msg_idx");
}

Test(load, checks)
{
	struct ss_table *t;

	LOAD_OK(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: integer\n"
	    "      b: integer\n"
	    "    checks:\n"
	    "      a_positive: \"a > 0\"\n"
	    "      a_below_b: a < b\n");
	t = tbl("t");
	cr_assert_eq(t->nchecks, 2);
	cr_assert_str_eq(t->checks[0].name, "a_positive");
	cr_assert_str_eq(t->checks[0].expr, "a > 0");
	cr_assert_str_eq(t->checks[1].name, "a_below_b");
	cr_assert_str_eq(t->checks[1].expr, "a < b");
	cr_assert_eq(t->checks[1].loc.line, 8);
	cr_assert_eq(t->checks[1].loc.col, 7);
}

Test(load, enums)
{
	struct ss_enum *e;
	struct ss_column *c;

	LOAD_OK(
	    "enums:\n"
	    "  mood: [happy, sad, \"so-so\"]\n"
	    "  level:\n"
	    "    - low\n"
	    "    - high\n"
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      m: { type: mood, default: sad }\n"
	    "      l: { type: level, default: null }\n"
	    "      k: { type: level, default: { sql: \"'low'::level\" } }\n");
	cr_assert_eq(S.nenums, 2);
	cr_assert_str_eq(S.enums[0]->name, "mood");
	cr_assert_str_eq(S.enums[1]->name, "level");
	e = ss_schema_enum(&S, "mood");
	cr_assert_str_eq(names_str(&e->values), "happy,sad,so-so");
	cr_assert_eq(e->values.v[2].loc.line, 2);
	cr_assert_eq(e->values.v[2].loc.col, 22);
	cr_assert_str_eq(names_str(&ss_schema_enum(&S, "level")->values),
	    "low,high");
	c = col(tbl("t"), "m");
	cr_assert_eq(c->type.kind, SS_TYPE_ENUM);
	cr_assert_str_eq(c->type.name, "mood");
	expect_default(c, SS_DEFAULT_STRING, "sad");
	cr_assert_eq(col(tbl("t"), "l")->type.kind, SS_TYPE_ENUM);
}

Test(load, renamed_from_and_comments)
{
	struct ss_table *t;

	LOAD_OK(
	    "tables:\n"
	    "  people:\n"
	    "    renamed_from: users\n"
	    "    comment: \"everyone we know\"\n"
	    "    columns:\n"
	    "      full_name: { type: text, renamed_from: name, comment: as written }\n"
	    "      email: { type: text, comment: \"\" }\n");
	t = tbl("people");
	cr_assert_str_eq(t->renamed_from, "users");
	cr_assert_str_eq(t->comment, "everyone we know");
	cr_assert_str_eq(col(t, "full_name")->renamed_from, "name");
	cr_assert_str_eq(col(t, "full_name")->comment, "as written");
	cr_assert_str_eq(col(t, "email")->comment, "");
	cr_assert_null(col(t, "email")->renamed_from);
}

Test(load, anchors_and_aliases)
{
	LOAD_OK(
	    "x-id: &id { type: bigint, primary_key: true, autoincrement: true }\n"
	    "x-ts: &ts timestamptz\n"
	    "tables:\n"
	    "  a:\n"
	    "    columns:\n"
	    "      id: *id\n"
	    "      at: *ts\n"
	    "  b:\n"
	    "    columns:\n"
	    "      id: *id\n"
	    "      at: { type: *ts, nullable: false }\n");
	cr_assert_str_eq(type_of(col(tbl("a"), "id")), "bigint");
	cr_assert(col(tbl("a"), "id")->autoincrement);
	cr_assert_str_eq(tbl("a")->pk->name, "a_pkey");
	cr_assert_str_eq(tbl("b")->pk->name, "b_pkey");
	cr_assert_str_eq(type_of(col(tbl("a"), "at")), "timestamptz");
	cr_assert_str_eq(type_of(col(tbl("b"), "at")), "timestamptz");
	cr_assert_not(col(tbl("b"), "at")->nullable);
}

Test(load, merge_keys)
{
	struct ss_table *t;

	LOAD_OK(
	    "x-base: &base\n"
	    "  id: { type: bigint, primary_key: true }\n"
	    "  created_at: timestamp\n"
	    "x-audit: &audit\n"
	    "  updated_at: timestamp\n"
	    "  created_at: date\n"
	    "x-col: &col { type: text, nullable: false }\n"
	    "tables:\n"
	    "  a:\n"
	    "    columns:\n"
	    "      <<: *base\n"
	    "      name: text\n"
	    "  b:\n"
	    "    columns:\n"
	    "      name: text\n"
	    "      <<: [*base, *audit]\n"
	    "  c:\n"
	    "    columns:\n"
	    "      <<: *base\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      note: { <<: *col, nullable: true }\n");
	/* Merged keys come at the place of '<<'. */
	t = tbl("a");
	cr_assert_str_eq(columns_str(t), "id,created_at,name");
	cr_assert_str_eq(type_of(col(t, "id")), "bigint");
	cr_assert_str_eq(t->pk->name, "a_pkey");
	t = tbl("b");
	cr_assert_str_eq(columns_str(t), "name,id,created_at,updated_at");
	/* Among merged mappings, the first wins. */
	cr_assert_str_eq(type_of(col(t, "created_at")), "timestamp");
	/* An explicit key wins over a merged one, and stays where it is. */
	t = tbl("c");
	cr_assert_str_eq(columns_str(t), "created_at,id,note");
	cr_assert_str_eq(type_of(col(t, "id")), "integer");
	cr_assert_str_eq(type_of(col(t, "note")), "text");
	cr_assert(col(t, "note")->nullable);
}

Test(load, x_keys_are_ignored)
{
	LOAD_OK(
	    "x-anything: { whatever: [1, 2], tables: 3 }\n"
	    "x-: 1\n"
	    "x-list: [a, b]\n"
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: text\n");
	cr_assert_eq(S.ntables, 1);
}

Test(load, several_documents_in_one_file)
{
	LOAD_OK(
	    "tables:\n"
	    "  a:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "---\n"
	    "# nothing here\n"
	    "---\n"
	    "enums:\n"
	    "  e: [x]\n"
	    "tables:\n"
	    "  b:\n"
	    "    columns:\n"
	    "      a_id: { type: integer, references: a.id }\n"
	    "      e: e\n"
	    "...\n");
	cr_assert_eq(S.ntables, 2);
	cr_assert_str_eq(S.tables[1]->name, "b");
	cr_assert_eq(S.tables[1]->loc.line, 11);
	cr_assert_eq(col(tbl("b"), "e")->type.kind, SS_TYPE_ENUM);
	cr_assert_eq(S.nfiles, 1);
}

Test(load, empty_and_comment_only_files)
{
	cr_assert_str_eq(loadv(3,
	    (const char *const[]){ "a.yaml", "b.yaml", "c.yaml" },
	    (const char *const[]){ "", "# just a comment\n\n# another\n",
	    "---\n" }), "");
	cr_assert_eq(RC, 0);
	cr_assert_eq(S.ntables, 0);
	cr_assert_eq(S.nenums, 0);
	cr_assert_eq(S.nfiles, 3);
	LOAD_OK("tables:\nenums:\n");
	LOAD_OK("tables: {}\nenums: {}\n");
}

Test(load, later_files_complete_earlier_ones)
{
	cr_assert_str_eq(load2(
	    "tables:\n"
	    "  posts:\n"
	    "    columns:\n"
	    "      user_id: { type: bigint, references: users.id }\n"
	    "      status: { type: status, default: open }\n"
	    "      owner: { type: bigint, references: users }\n",
	    "enums:\n"
	    "  status: [open, closed]\n"
	    "tables:\n"
	    "  users:\n"
	    "    columns:\n"
	    "      id: { type: bigint, primary_key: true }\n"), "");
	cr_assert_eq(RC, 0);
	cr_assert_str_eq(S.tables[0]->name, "posts");
	cr_assert_str_eq(S.tables[0]->loc.file, "a.yaml");
	cr_assert_str_eq(S.tables[1]->loc.file, "b.yaml");
	cr_assert_str_eq(names_str(&tbl("posts")->fks[1].ref_columns), "id");
	cr_assert_eq(col(tbl("posts"), "status")->type.kind, SS_TYPE_ENUM);
	cr_assert_eq(S.nfiles, 2);
}

Test(load, type_aliases)
{
	static const char *const others[] = { "text[]", "inet", "citext" };
	struct ss_table *t;
	size_t i;

	LOAD_OK(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: int\n"
	    "      b: int4\n"
	    "      c: integer\n"
	    "      d: varchar(200)\n"
	    "      e: character varying(200)\n"
	    "      f: numeric(10,2)\n"
	    "      g: decimal(10,2)\n"
	    "      h: text[]\n"
	    "      i: inet\n"
	    "      j: citext\n"
	    "      k: double precision\n"
	    "      l: timestamp with time zone\n");
	t = tbl("t");
	cr_assert(ss_type_equal(&col(t, "a")->type, &col(t, "b")->type));
	cr_assert(ss_type_equal(&col(t, "a")->type, &col(t, "c")->type));
	cr_assert_str_eq(type_of(col(t, "a")), "integer");
	cr_assert(ss_type_equal(&col(t, "d")->type, &col(t, "e")->type));
	cr_assert_str_eq(type_of(col(t, "e")), "varchar(200)");
	cr_assert(ss_type_equal(&col(t, "f")->type, &col(t, "g")->type));
	cr_assert_str_eq(type_of(col(t, "g")), "numeric(10,2)");
	for (i = 7; i <= 9; i++) {
		cr_assert_eq(t->columns[i].type.kind, SS_TYPE_OTHER);
		cr_assert_str_eq(t->columns[i].type.name, others[i - 7]);
	}
	cr_assert_str_eq(type_of(col(t, "k")), "double");
	cr_assert_str_eq(type_of(col(t, "l")), "timestamptz");
}

Test(load, utf8_names_and_columns_count_characters)
{
	/* libyaml counts characters: 'é' is one column wide. */
	LOAD_ERR(
	    "tables:\n"
	    "  café:\n"
	    "    columns:\n"
	    "      é: { type: jsonbb }\n",
	    "a.yaml:4:18: error: unknown type 'jsonbb' (did you mean 'jsonb'?)");
	cr_assert_not_null(ss_schema_table(&S, "café"));
}

/* Errors. */

Test(load, yaml_syntax_errors)
{
	LOAD_ERR(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: text\n"
	    "     b: text\n",
	    "a.yaml:5:6: error: YAML syntax error: did not find expected key "
	    "while parsing a block mapping that starts at line 3");
	LOAD_ERR(
	    "tables:\n"
	    "  t: { columns: [a\n",
	    "a.yaml:3:1: error: YAML syntax error: did not find expected ',' "
	    "or ']' while parsing a flow sequence that starts at line 2");
	LOAD_ERR("tables: \"open\n",
	    "a.yaml:2:1: error: YAML syntax error: found unexpected end of "
	    "stream while scanning a quoted scalar that starts at line 1");
	LOAD_ERR("x: *nowhere\n",
	    "a.yaml:1:4: error: YAML syntax error: found undefined alias");
}

Test(load, not_utf8)
{
	/* Latin-1 'é' in the middle of a line and at the end of one. */
	LOAD_ERR(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: { type: text, comment: caf\xe9 au lait }\n",
	    "a.yaml:4:36: error: file is not valid UTF-8 (byte 0xe9)");
	LOAD_ERR(
	    "tables:\n"
	    "  t:\n"
	    "    comment: caf\xe9\n",
	    "a.yaml:3:17: error: file is not valid UTF-8 (byte 0xe9)");
	/* A lone continuation byte, and an overlong '/'. */
	LOAD_ERR("x-a: \x80\n",
	    "a.yaml:1:6: error: file is not valid UTF-8 (byte 0x80)");
	LOAD_ERR("x-a: \xc0\xaf\n",
	    "a.yaml:1:6: error: file is not valid UTF-8 (byte 0xc0)");
	cr_assert_eq(S.ntables, 0);
}

Test(load, top_level_not_a_mapping)
{
	LOAD_ERR("- tables\n",
	    "a.yaml:1:1: error: expected a mapping with 'tables' and 'enums' "
	    "at the top of the file, got a list");
	LOAD_ERR("hello\n",
	    "a.yaml:1:1: error: expected a mapping with 'tables' and 'enums' "
	    "at the top of the file, got a scalar");
	LOAD_ERR("tables: [a, b]\n",
	    "a.yaml:1:9: error: expected a mapping of table names for "
	    "'tables', got a list");
	LOAD_ERR("enums: nope\n",
	    "a.yaml:1:8: error: expected a mapping of enum names for 'enums', "
	    "got a scalar");
}

Test(load, unknown_keys_at_every_level)
{
	LOAD_ERR(
	    "tabels: {}\n"
	    "tables:\n"
	    "  t:\n"
	    "    colums: {}\n"
	    "    columns:\n"
	    "      id: {type: integer, primary_key: true, nulable: false}\n"
	    "      b: {type: integer, default: {sqll: 1}}\n"
	    "      c: {type: integer, references: t.id, on_delte: cascade}\n"
	    "    indexes:\n"
	    "      i: {columns: [b], uniqe: true}\n"
	    "    foreign_keys:\n"
	    "      f: {columns: [c], references: {table: t, colums: [id]}, on_updat: cascade}\n"
	    "    primry_key: [id]\n"
	    "    zzz: 1\n",
	    "a.yaml:1:1: error: unknown key 'tabels' in schema file (did you mean 'tables'?)\n"
	    "a.yaml:4:5: error: unknown key 'colums' in table (did you mean 'columns'?)\n"
	    "a.yaml:6:46: error: unknown key 'nulable' in column (did you mean 'nullable'?)\n"
	    "a.yaml:7:36: error: unknown key 'sqll' in default (did you mean 'sql'?)\n"
	    "a.yaml:8:44: error: unknown key 'on_delte' in column (did you mean 'on_delete'?)\n"
	    "a.yaml:10:25: error: unknown key 'uniqe' in index (did you mean 'unique'?)\n"
	    "a.yaml:12:48: error: unknown key 'colums' in references (did you mean 'columns'?)\n"
	    "a.yaml:12:63: error: unknown key 'on_updat' in foreign key (did you mean 'on_update'?)\n"
	    "a.yaml:13:5: error: unknown key 'primry_key' in table (did you mean 'primary_key'?)\n"
	    "a.yaml:14:5: error: unknown key 'zzz' in table");
}

Test(load, duplicate_keys)
{
	LOAD_ERR(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: text\n"
	    "      a: integer\n"
	    "  t:\n"
	    "    columns: { b: text }\n",
	    "a.yaml:5:7: error: duplicate key 'a' (first defined at line 4, column 7)\n"
	    "a.yaml:6:3: error: duplicate key 't' (first defined at line 2, column 3)");
	cr_assert_str_eq(columns_str(tbl("t")), "a");
	cr_assert_str_eq(type_of(col(tbl("t"), "a")), "text");
	LOAD_ERR("tables: {}\ntables: {}\n",
	    "a.yaml:2:1: error: duplicate key 'tables' (first defined at line 1, column 1)");
}

Test(load, table_defined_twice_in_two_files)
{
	cr_assert_str_eq(load2(
	    "tables:\n"
	    "  users:\n"
	    "    columns: { id: integer }\n",
	    "# more users\n"
	    "tables:\n"
	    "  users:\n"
	    "    columns: { id: integer }\n"),
	    "b.yaml:3:3: error: table 'users' is defined twice (first at a.yaml:2:3)");
	cr_assert_eq(RC, -SS_ESCHEMA);
}

Test(load, enum_defined_twice)
{
	cr_assert_str_eq(load2(
	    "enums:\n"
	    "  mood: [a]\n",
	    "enums:\n"
	    "  other: [b]\n"
	    "  mood: [c]\n"),
	    "b.yaml:3:3: error: enum 'mood' is defined twice (first at a.yaml:2:3)");
}

Test(load, table_and_enum_name_clash)
{
	LOAD_ERR(
	    "enums:\n"
	    "  status: [a, b]\n"
	    "tables:\n"
	    "  status:\n"
	    "    columns: { id: integer }\n",
	    "a.yaml:4:3: error: table 'status' has the name of an enum (at a.yaml:2:3)");
	cr_assert_str_eq(load2(
	    "tables:\n"
	    "  status:\n"
	    "    columns: { id: integer }\n",
	    "enums:\n"
	    "  status: [a, b]\n"),
	    "b.yaml:2:3: error: enum 'status' has the name of a table (at a.yaml:2:3)");
}

/*
 * An enum named as a built-in type is spelled cannot type a column: a
 * column typed so gets the built-in type. Refused at the first column
 * of that type; the enum alone, in an array, or spelled otherwise is
 * fine (a database can have one).
 */
Test(load, enum_named_as_a_builtin_type)
{
	LOAD_ERR(
	    "enums:\n"
	    "  numeric: [a, b]\n"
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      id: integer\n"
	    "      n: numeric\n",
	    "a.yaml:7:10: error: column 'n' has the built-in type 'numeric', "
	    "which enum 'numeric' (at a.yaml:2:3) is named after: no column "
	    "can be of that enum; name the enum otherwise");
	/* An alias is the built-in too. */
	LOAD_ERR(
	    "enums:\n"
	    "  integer: [b]\n"
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      id: int4\n",
	    "a.yaml:6:11: error: column 'id' has the built-in type 'integer', "
	    "which enum 'integer' (at a.yaml:2:3) is named after: no column "
	    "can be of that enum; name the enum otherwise");
	/* The enum alone, in an array, or spelled otherwise than the
	 * built-in (PostgreSQL reads date, int4 unquoted as its own). */
	LOAD_OK(
	    "enums:\n"
	    "  Date: [d1, d2]\n"
	    "  Int4: [x]\n"
	    "  numeric: [x]\n"
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      id: integer\n"
	    "      d: date\n"
	    "      n: numeric(12,2)\n"
	    "      ds: '\"Date\"[]'\n");
	/* A name the model does not know is the enum's. */
	LOAD_OK(
	    "enums:\n"
	    "  inet: [a, b]\n"
	    "tables:\n"
	    "  t:\n"
	    "    columns: { id: integer, n: inet }\n");
}

/* An array of an enum whose name is no word: quoted, as pull writes it. */
Test(load, array_of_an_enum_named_with_a_dash)
{
	LOAD_ERR(
	    "enums:\n"
	    "  my-mood: [a, b]\n"
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      m: my-mood\n"
	    "      ms: my-mood[][]\n",
	    "a.yaml:7:11: error: type 'my-mood[][]' is an array of enum "
	    "'my-mood', whose name must be quoted in a type: write "
	    "'\"my-mood\"[][]'");
	LOAD_OK(
	    "enums:\n"
	    "  my-mood: [a, b]\n"
	    "tables:\n"
	    "  t:\n"
	    "    columns: { id: integer, m: my-mood, ms: '\"my-mood\"[]' }\n");
	/* A '"' in the name is doubled, as in SQL. */
	LOAD_ERR(
	    "enums:\n"
	    "  a\"b: [x]\n"
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      ms: a\"b[]\n",
	    "a.yaml:6:11: error: type 'a\"b[]' is an array of enum 'a\"b', "
	    "whose name must be quoted in a type: write '\"a\"\"b\"[]'");
	/* Not an enum's array: the plain error. */
	LOAD_ERR(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      ms: my-mood[]\n",
	    "a.yaml:4:11: error: type 'my-mood[]' is not a type name: this "
	    "cannot be part of a type name (at character 3)");
}

#define USERS \
	"tables:\n" \
	"  users:\n" \
	"    columns:\n" \
	"      id: { type: bigint, primary_key: true }\n" \
	"      name: text\n" \
	"      email: { type: text, unique: true }\n"

Test(load, fk_to_unknown_table)
{
	LOAD_ERR(USERS
	    "  posts:\n"
	    "    columns:\n"
	    "      user_id: { type: bigint, references: user.id }\n"
	    "      x: { type: bigint, references: zebras }\n"
	    "    foreign_keys:\n"
	    "      - { columns: [x], references: { table: Users } }\n",
	    "a.yaml:9:44: error: foreign key references unknown table 'user' (did you mean 'users'?)\n"
	    "a.yaml:10:38: error: foreign key references unknown table 'zebras'\n"
	    "a.yaml:12:9: error: foreign key references unknown table 'Users' (did you mean 'users'?)");
}

Test(load, fk_to_unknown_column)
{
	LOAD_ERR(USERS
	    "  posts:\n"
	    "    columns:\n"
	    "      user_id: { type: bigint, references: users.idd }\n"
	    "    foreign_keys:\n"
	    "      - { columns: [usr_id], references: { table: users, columns: [id] } }\n"
	    "      - { columns: [user_id], references: { table: users, columns: [emial] } }\n",
	    "a.yaml:9:44: error: foreign key names unknown column 'idd' of table 'users' (did you mean 'id'?)\n"
	    "a.yaml:11:21: error: foreign key names unknown column 'usr_id' of table 'posts' (did you mean 'user_id'?)\n"
	    "a.yaml:12:69: error: foreign key names unknown column 'emial' of table 'users' (did you mean 'email'?)");
}

Test(load, fk_column_count_mismatch)
{
	LOAD_ERR(USERS
	    "  posts:\n"
	    "    columns:\n"
	    "      a: bigint\n"
	    "      b: text\n"
	    "    foreign_keys:\n"
	    "      fk_ab: { columns: [a, b], references: { table: users } }\n"
	    "      fk_a: { columns: [a], references: { table: users, columns: [id, email] } }\n",
	    "a.yaml:12:7: error: foreign key has 2 columns but references 1 column of 'users'\n"
	    "a.yaml:13:7: error: foreign key has 1 column but references 2 columns of 'users'");
}

Test(load, fk_target_not_a_key)
{
	LOAD_ERR(USERS
	    "  posts:\n"
	    "    columns:\n"
	    "      author: { type: text, references: users.name }\n"
	    "  nokey:\n"
	    "    columns: { id: integer }\n"
	    "  refs:\n"
	    "    columns:\n"
	    "      n: { type: integer, references: nokey }\n",
	    "a.yaml:9:41: error: foreign key references 'users(name)', which is neither the primary key nor unique\n"
	    "a.yaml:14:39: error: foreign key references table 'nokey', which has no primary key; name the columns");
}

Test(load, unknown_columns_in_keys_and_indexes)
{
	LOAD_ERR(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      name: text\n"
	    "      email: text\n"
	    "    primary_key: [nmae]\n"
	    "    indexes:\n"
	    "      by_x: { columns: [email, x] }\n"
	    "      uniq: { columns: [emails], unique: true }\n"
	    "  u:\n"
	    "    columns:\n"
	    "      name: text\n"
	    "    indexes:\n"
	    "      - { columns: [\"nme DESC\"] }\n"
	    "      - { columns: [\"lower(nme)\"] }\n",
	    "a.yaml:6:19: error: primary key names unknown column 'nmae' of table 't' (did you mean 'name'?)\n"
	    "a.yaml:8:32: error: index names unknown column 'x' of table 't'\n"
	    "a.yaml:9:25: error: index names unknown column 'emails' of table 't' (did you mean 'email'?)\n"
	    "a.yaml:14:21: error: index names unknown column 'nme' of table 'u' (did you mean 'name'?)");
}

Test(load, enum_default_not_a_member)
{
	LOAD_ERR(
	    "enums:\n"
	    "  mood: [happy, sad]\n"
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      m: { type: mood, default: angry }\n"
	    "      n: { type: mood, default: \"happy\" }\n",
	    "a.yaml:6:33: error: default 'angry' is not a value of enum 'mood' (values: happy, sad)");
}

Test(load, autoincrement_errors)
{
	LOAD_ERR(
	    "tables:\n"
	    "  a:\n"
	    "    columns:\n"
	    "      id: { type: text, primary_key: true, autoincrement: true }\n"
	    "  b:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      n: { type: integer, autoincrement: yes please }\n"
	    "  c:\n"
	    "    columns:\n"
	    "      x: { type: bigint, autoincrement: always, nullable: true }\n"
	    "      y: { type: integer, autoincrement: [always] }\n"
	    "  d:\n"
	    "    columns:\n"
	    "      id: { type: numeric(10), primary_key: true, autoincrement: true }\n",
	    "a.yaml:4:44: error: 'autoincrement' needs an integer column, but 'id' is 'text'\n"
	    "a.yaml:8:42: error: expected true, false, always or { always, start, increment } for 'autoincrement', got 'yes please'\n"
	    "a.yaml:11:59: error: autoincrement column 'x' cannot be nullable\n"
	    "a.yaml:12:42: error: expected true, false, always or { always, start, increment } for 'autoincrement', got a list\n"
	    "a.yaml:15:51: error: 'autoincrement' needs an integer column, but 'id' is 'numeric(10)'");
}

/* PostgreSQL's identity columns may be any integer column; SQLite's
 * narrower rule is its dialect's check (test_dialect_sqlite.c). */
Test(load, autoincrement_anywhere)
{
	struct ss_table *t;

	LOAD_OK(
	    "tables:\n"
	    "  b:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      n: { type: integer, autoincrement: true }\n"
	    "  c:\n"
	    "    columns:\n"
	    "      x: { type: bigint, autoincrement: ALWAYS }\n"
	    "      y: integer\n"
	    "    primary_key: [x, y]\n"
	    "  d:\n"
	    "    columns:\n"
	    "      seq: { type: smallint, autoincrement: \"always\", nullable: false }\n"
	    "      v: { type: integer, autoincrement: false }\n");
	t = tbl("b");
	cr_assert(col(t, "n")->autoincrement && !col(t, "n")->always);
	cr_assert_not(col(t, "n")->nullable, "ids are never NULL");
	cr_assert_eq(col(t, "n")->autoincrement_loc.line, 5);
	cr_assert_eq(col(t, "n")->autoincrement_loc.col, 27);
	t = tbl("c");
	cr_assert(col(t, "x")->autoincrement && col(t, "x")->always);
	t = tbl("d");
	cr_assert(col(t, "seq")->autoincrement && col(t, "seq")->always);
	cr_assert_not(col(t, "seq")->nullable);
	cr_assert_not(col(t, "v")->autoincrement);
	cr_assert(col(t, "v")->nullable);
}

Test(load, malformed_types)
{
	LOAD_ERR(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: varchar(abc)\n"
	    "      b: { type: varchar(0) }\n"
	    "      c: { type: \"numeric(2,5)\" }\n"
	    "      d: integer(5)\n"
	    "      e: { type: [text] }\n"
	    "      f: { type: \"\" }\n",
	    "a.yaml:4:10: error: malformed type 'varchar(abc)': expected a length such as varchar(255)\n"
	    "a.yaml:5:18: error: malformed type 'varchar(0)': expected a length such as varchar(255)\n"
	    "a.yaml:6:18: error: malformed type 'numeric(2,5)': expected numeric(P) or numeric(P,S) with 1 <= P <= 1000 and 0 <= S <= P\n"
	    "a.yaml:7:10: error: type 'integer' takes no parameters\n"
	    "a.yaml:8:18: error: expected a string for 'type', got a list\n"
	    "a.yaml:9:18: error: 'type' must not be empty");
}

Test(load, unquoted_comma_in_a_flow_mapping)
{
	/* YAML ends the value at the ','; say how to write it. */
	LOAD_ERR(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: { type: numeric(10,2), nullable: false }\n",
	    "a.yaml:4:18: error: malformed type 'numeric(10': expected numeric(P) or numeric(P,S) with 1 <= P <= 1000 and 0 <= S <= P (inside { } a ',' ends the value: put the type in quotes)\n"
	    "a.yaml:4:29: error: unknown key '2)' in column");
}

Test(load, typo_types)
{
	LOAD_ERR(
	    "enums:\n"
	    "  post_status: [draft]\n"
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: jsonbb\n"
	    "      b: { type: intger }\n"
	    "      c: timestampz\n"
	    "      d: post_statuss\n"
	    "      e: Integr\n"
	    "      f: inet\n"
	    "      g: citext\n"
	    "      h: text[]\n"
	    "      i: varchr(20)\n"
	    "      j: Numerc(10, 2)\n"
	    "      k: inet(4)\n"
	    "      l: varchr (5)\n",
	    "a.yaml:6:10: error: unknown type 'jsonbb' (did you mean 'jsonb'?)\n"
	    "a.yaml:7:18: error: unknown type 'intger' (did you mean 'integer'?)\n"
	    "a.yaml:8:10: error: unknown type 'timestampz' (did you mean 'timestamptz'?)\n"
	    "a.yaml:9:10: error: unknown type 'post_statuss' (did you mean 'post_status'?)\n"
	    "a.yaml:10:10: error: unknown type 'Integr' (did you mean 'integer'?)\n"
	    "a.yaml:14:10: error: unknown type 'varchr(20)' (did you mean 'varchar(20)'?)\n"
	    "a.yaml:15:10: error: unknown type 'Numerc(10, 2)' (did you mean 'numeric(10, 2)'?)\n"
	    "a.yaml:17:10: error: unknown type 'varchr (5)' (did you mean 'varchar(5)'?)");
}

Test(load, renamed_from_naming_a_defined_object)
{
	LOAD_ERR(
	    "tables:\n"
	    "  users:\n"
	    "    columns: { id: integer }\n"
	    "  people:\n"
	    "    renamed_from: users\n"
	    "    columns:\n"
	    "      name: text\n"
	    "      full_name: { type: text, renamed_from: name }\n",
	    "a.yaml:5:19: error: renamed_from names table 'users', which is also defined (at a.yaml:2:3)\n"
	    "a.yaml:8:46: error: renamed_from names column 'name', which is also defined (at a.yaml:7:7)");
}

Test(load, table_and_column_primary_key_disagreeing)
{
	LOAD_ERR(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: integer\n"
	    "      b: { type: integer, primary_key: true }\n"
	    "    primary_key: [a, b]\n"
	    "  u:\n"
	    "    columns:\n"
	    "      a: { type: integer, primary_key: true }\n"
	    "      b: integer\n"
	    "    primary_key: b\n",
	    "a.yaml:6:5: error: 'primary_key' of table 't' (a, b) does not match the columns with 'primary_key: true' (b)\n"
	    "a.yaml:11:5: error: 'primary_key' of table 'u' (b) does not match the columns with 'primary_key: true' (a)");
}

Test(load, nullable_primary_key)
{
	LOAD_ERR(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true, nullable: true }\n"
	    "  u:\n"
	    "    columns:\n"
	    "      a: { type: integer, nullable: true }\n"
	    "      b: { type: integer, nullable: false }\n"
	    "      c: { type: integer, nullable: true }\n"
	    "    primary_key: [a, b]\n",
	    "a.yaml:4:57: error: primary key column 'id' cannot be nullable\n"
	    "a.yaml:7:37: error: primary key column 'a' cannot be nullable");
}

Test(load, on_delete_errors)
{
	LOAD_ERR(
	    "tables:\n"
	    "  u:\n"
	    "    columns: { id: { type: integer, primary_key: true } }\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: { type: integer, references: u.id, on_delete: cascde }\n"
	    "      b: { type: integer, references: u.id, on_update: explode }\n"
	    "      c: { type: integer, on_delete: cascade }\n"
	    "      d: { type: integer, on_update: set null }\n"
	    "    foreign_keys:\n"
	    "      - { columns: [a], references: { table: u }, on_delete: setnull }\n",
	    "a.yaml:6:56: error: unknown action 'cascde' for 'on_delete' (did you mean 'cascade'?)\n"
	    "a.yaml:7:56: error: unknown action 'explode' for 'on_update' (expected cascade, restrict, set null, set default or no action)\n"
	    "a.yaml:8:38: error: 'on_delete' needs 'references' on column 'c'\n"
	    "a.yaml:9:38: error: 'on_update' needs 'references' on column 'd'\n"
	    "a.yaml:11:62: error: unknown action 'setnull' for 'on_delete' (did you mean 'set null'?)");
}

Test(load, booleans_must_be_true_or_false)
{
	LOAD_ERR(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: { type: text, nullable: yes }\n"
	    "      b: { type: text, unique: \"true\" }\n"
	    "      c: { type: text, primary_key: [true] }\n"
	    "      d: { type: text, nullable: }\n"
	    "      e: { type: text, nullable: ~ }\n",
	    "a.yaml:4:34: error: expected true or false for 'nullable', got 'yes'\n"
	    "a.yaml:5:32: error: expected true or false for 'unique', got 'true'\n"
	    "a.yaml:6:37: error: expected true or false for 'primary_key', got a list\n"
	    "a.yaml:7:34: error: expected true or false for 'nullable', got nothing\n"
	    "a.yaml:8:34: error: expected true or false for 'nullable', got nothing");
}

Test(load, column_without_type)
{
	LOAD_ERR(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: { nullable: false }\n"
	    "      b:\n"
	    "      c: { type: ~ }\n"
	    "      d: [text]\n",
	    "a.yaml:4:7: error: column 'a' has no 'type'\n"
	    "a.yaml:5:7: error: column 'b' has no 'type'\n"
	    "a.yaml:6:18: error: expected a string for 'type', got nothing\n"
	    "a.yaml:7:10: error: expected a type or a mapping for column 'd', got a list");
}

Test(load, table_without_columns)
{
	LOAD_ERR(
	    "tables:\n"
	    "  a:\n"
	    "    columns: {}\n"
	    "  b:\n"
	    "    comment: nothing\n"
	    "  c:\n"
	    "  d: text\n",
	    "a.yaml:2:3: error: table 'a' has no columns\n"
	    "a.yaml:4:3: error: table 'b' has no columns\n"
	    "a.yaml:6:3: error: expected a mapping with 'columns' for table 'c', got nothing\n"
	    "a.yaml:7:3: error: expected a mapping with 'columns' for table 'd', got a scalar");
}

Test(load, enum_errors)
{
	LOAD_ERR(
	    "enums:\n"
	    "  empty: []\n"
	    "  dup: [a, b, a]\n"
	    "  scalar: a\n"
	    "  nested: [a, [b]]\n",
	    "a.yaml:2:10: error: enum 'empty' has no values\n"
	    "a.yaml:3:15: error: value 'a' is listed twice in enum 'dup'\n"
	    "a.yaml:4:3: error: expected a list of values for enum 'scalar'\n"
	    "a.yaml:5:15: error: expected a string for 'enum value', got a list");
}

Test(load, empty_column_lists)
{
	LOAD_ERR(
	    "tables:\n"
	    "  t:\n"
	    "    columns: { a: integer }\n"
	    "    primary_key: []\n"
	    "    indexes:\n"
	    "      i: { columns: [] }\n"
	    "      j: { unique: true }\n"
	    "      k: { columns: [a, a] }\n",
	    "a.yaml:4:18: error: 'primary_key' must name at least one column\n"
	    "a.yaml:6:21: error: 'columns' must name at least one column\n"
	    "a.yaml:7:7: error: index 'j' has no 'columns'\n"
	    "a.yaml:8:25: error: 'a' is listed twice in 'columns'");
}

Test(load, duplicate_explicit_names)
{
	LOAD_ERR(
	    "tables:\n"
	    "  a:\n"
	    "    columns: { x: integer, y: integer }\n"
	    "    indexes:\n"
	    "      by_x: { columns: [x] }\n"
	    "      b: { columns: [y] }\n"
	    "  b:\n"
	    "    columns: { x: { type: integer, primary_key: true } }\n"
	    "    indexes:\n"
	    "      by_x: { columns: [x] }\n"
	    "    checks:\n"
	    "      same: \"x > 0\"\n"
	    "    foreign_keys:\n"
	    "      same: { columns: [x], references: { table: b } }\n",
	    "a.yaml:6:7: error: name 'b' is already used by a table (at a.yaml:7:3)\n"
	    "a.yaml:10:7: error: name 'by_x' is already used (at a.yaml:5:7)\n"
	    "a.yaml:14:7: error: name 'same' is already used (at a.yaml:12:7)");
}

Test(load, generated_name_collisions_get_a_number)
{
	struct ss_table *t;

	LOAD_OK(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: { type: integer, unique: true }\n"
	    "    indexes:\n"
	    "      t_a_key: { columns: [a] }\n"
	    "  u:\n"
	    "    columns:\n"
	    "      a: { type: integer, unique: true }\n"
	    "    checks:\n"
	    "      u_a_key: \"a > 0\"\n"
	    "  v:\n"
	    "    columns:\n"
	    "      a: integer\n"
	    "      b: integer\n"
	    "    indexes:\n"
	    "      - { columns: [a] }\n"
	    "      - { columns: [a], where: \"a > 0\" }\n"
	    "      - { columns: [a, b] }\n"
	    "  v_a_b_idx:\n"
	    "    columns: { z: integer }\n"
	    "  w:\n"
	    "    columns:\n"
	    "      a: { type: integer, references: t.a }\n"
	    "    foreign_keys:\n"
	    "      - { columns: [a], references: { table: t, columns: [a] } }\n");
	t = tbl("t");
	cr_assert_str_eq(t->indexes[0].name, "t_a_key");
	cr_assert_str_eq(t->uniques[0].name, "t_a_key1");
	cr_assert_str_eq(tbl("u")->uniques[0].name, "u_a_key1");
	t = tbl("v");
	cr_assert_str_eq(t->indexes[0].name, "v_a_idx");
	cr_assert_str_eq(t->indexes[1].name, "v_a_idx1");
	cr_assert_str_eq(t->indexes[2].name, "v_a_b_idx1");
	t = tbl("w");
	cr_assert_str_eq(t->fks[0].name, "w_a_fkey");
	cr_assert_str_eq(t->fks[1].name, "w_a_fkey1");
}

Test(load, generated_names_fit_63_bytes)
{
	const char *tn = "customer_subscription_billing_history_entries";
	const char *cn = "external_payment_provider_reference_code";
	struct ss_buf yaml = SS_BUF_INIT;
	struct ss_table *t;
	char *want;

	cr_assert_eq(strlen(tn), 45);
	cr_assert_eq(strlen(cn), 40);
	ss_buf_addf(&yaml,
	    "tables:\n"
	    "  %s:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      %s: { type: text, unique: true, references: %s.id }\n"
	    "    indexes:\n"
	    "      - { columns: [%s, id] }\n", tn, cn, tn, cn);
	cr_assert_str_eq(loadv(1, (const char *const[]){ "a.yaml" },
	    (const char *const[]){ yaml.s }), "");
	ss_buf_release(&yaml);
	t = tbl(tn);
	cr_assert_str_eq(t->pk->name,
	    "customer_subscription_billing_history_entries_pkey");
	/* 63 - strlen("__key") = 58 bytes for the names: 29 each. */
	want = ss_arena_printf(&S.arena, "%.29s_%.29s_key", tn, cn);
	cr_assert_str_eq(t->uniques[0].name, want);
	cr_assert_eq(strlen(t->uniques[0].name), 63);
	cr_assert_str_eq(t->uniques[0].name, "customer_subscription_billing_"
	    "external_payment_provider_ref_key");
	want = ss_arena_printf(&S.arena, "%.29s_%.28s_fkey", tn, cn);
	cr_assert_str_eq(t->fks[0].name, want);
	cr_assert_eq(strlen(t->fks[0].name), 63);
	/* The addition is "external_..._code_id" (43 bytes): cut to 29. */
	want = ss_arena_printf(&S.arena, "%.29s_%.29s_idx", tn, cn);
	cr_assert_str_eq(t->indexes[0].name, want);
	cr_assert_eq(strlen(t->indexes[0].name), 63);
}

Test(load, all_errors_are_reported_in_line_order)
{
	LOAD_ERR(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: { type: integer, references: nowhere.id }\n"
	    "      b: jsonbb\n"
	    "      c: { type: text, nullable: maybe }\n",
	    "a.yaml:4:39: error: foreign key references unknown table 'nowhere'\n"
	    "a.yaml:5:10: error: unknown type 'jsonbb' (did you mean 'jsonb'?)\n"
	    "a.yaml:6:34: error: expected true or false for 'nullable', got 'maybe'");
	cr_assert_eq(D.errors, 3);
	/* And in every file, sorted by file name. */
	cr_assert_str_eq(loadv(2, (const char *const[]){ "b.yaml", "a.yaml" },
	    (const char *const[]){
	    "tables:\n  t:\n    columns: { a: intger }\n",
	    "tables:\n  u:\n    colums: {}\n" }),
	    "a.yaml:2:3: error: table 'u' has no columns\n"
	    "a.yaml:3:5: error: unknown key 'colums' in table (did you mean 'columns'?)\n"
	    "b.yaml:3:19: error: unknown type 'intger' (did you mean 'integer'?)");
}

Test(load, merge_key_bomb_is_cheap, .timeout = 120)
{
	struct ss_buf y = SS_BUF_INIT;
	int i;

	/* Each level merges the one before ten times: 10^10 keys if each
	 * merge were expanded anew, far beyond the 120 s limit on any
	 * machine, while the loader takes milliseconds (a limit shorter
	 * than a minute would depend on the machine's speed). */
	ss_buf_adds(&y, "x-0: &a0 {k0: text, k1: text, k2: text, k3: text}\n");
	for (i = 1; i <= 10; i++)
		ss_buf_addf(&y, "x-%d: &a%d {<<: [*a%d, *a%d, *a%d, *a%d, *a%d, "
		    "*a%d, *a%d, *a%d, *a%d, *a%d]}\n", i, i, i - 1, i - 1,
		    i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
	ss_buf_adds(&y, "tables:\n  t:\n    columns:\n      <<: *a10\n");
	cr_assert_str_eq(load1(y.s), "");
	cr_assert_str_eq(columns_str(tbl("t")), "k0,k1,k2,k3");
	ss_buf_release(&y);
}

Test(load, merge_key_cycles)
{
	LOAD_ERR(
	    "tables:\n"
	    "  t:\n"
	    "    columns: &c\n"
	    "      a: text\n"
	    "      <<: *c\n",
	    "a.yaml:3:14: error: merge keys nested too deeply");
	LOAD_ERR(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: { type: text, <<: [text] }\n",
	    "a.yaml:4:29: error: '<<' merges mappings, not a scalar");
}

Test(load, an_alias_used_twice_reports_its_error_once)
{
	LOAD_ERR(
	    "x-col: &c { type: text, nulable: true }\n"
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: *c\n"
	    "      b: *c\n",
	    "a.yaml:1:25: error: unknown key 'nulable' in column (did you mean 'nullable'?)");
	cr_assert_eq(D.errors, 1);
}

/* ss_load_paths() over real folders. */

static char *tmpdir;

/* Writes text to tmpdir/rel, making the folders it needs. */
static const char *
put(const char *rel, const char *text)
{
	char *path = ss_arena_printf(&S.arena, "%s/%s", tmpdir, rel);
	char *p;
	FILE *f;

	for (p = path + strlen(tmpdir) + 1; (p = strchr(p, '/')) != NULL;
	    p++) {
		*p = '\0';
		cr_assert(mkdir(path, 0700) == 0 || errno == EEXIST, "%s", path);
		*p = '/';
	}
	cr_assert_not_null(f = fopen(path, "wb"), "%s", path);
	cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	cr_assert_eq(fclose(f), 0);
	return path;
}

static const char *
at(const char *rel)
{
	return ss_arena_printf(&S.arena, "%s/%s", tmpdir, rel);
}

/* Loads the given paths; returns the diagnostics with tmpdir as "T". */
static const char *
loadp(size_t n, const char *const *paths)
{
	struct ss_buf b = SS_BUF_INIT;
	const char *s, *hit;
	size_t len = strlen(tmpdir);

	RC = ss_load_paths(&S, paths, n, &D);
	cr_assert_eq(RC == 0, D.errors == 0, "rc %d with %zu errors", RC,
	    D.errors);
	for (s = diags(); (hit = strstr(s, tmpdir)) != NULL; s = hit + len) {
		ss_buf_add(&b, s, (size_t)(hit - s));
		ss_buf_addc(&b, 'T');
	}
	ss_buf_adds(&b, s);
	ss_buf_reset(&OUT);
	ss_buf_adds(&OUT, b.s);
	ss_buf_release(&b);
	return OUT.s;
}

static void
paths_setup(void)
{
	char tmpl[] = "/tmp/ss-load-XXXXXX";

	setup();
	cr_assert_not_null(mkdtemp(tmpl));
	tmpdir = ss_xstrdup(tmpl);
}

static void
paths_teardown(void)
{
	char *cmd = ss_arena_printf(&S.arena, "rm -rf '%s'", tmpdir);

	cr_expect_eq(system(cmd), 0);
	free(tmpdir);
	teardown();
}

TestSuite(paths, .init = paths_setup, .fini = paths_teardown);

#define TABLE(name) "tables:\n  " name ":\n    columns: { id: integer }\n"

Test(paths, folders_recursively_sorted_yaml_only)
{
	const char *dir;
	size_t i;

	put("b.yaml", TABLE("b"));
	put("a.yml", TABLE("a"));
	put("a-z.yaml", TABLE("a_z"));
	put("sub/c.yaml", TABLE("c"));
	put("sub/deeper/d.YML.yaml", TABLE("d"));
	put("notes.txt", "not: [yaml\n");
	put("schema.yaml.bak", "not: [yaml\n");
	put("README", "not: [yaml\n");
	put(".hidden.yaml", "not: [yaml\n");
	put(".git/x.yaml", "not: [yaml\n");
	put("sub/.c.yaml.swp", "not: [yaml\n");
	put("sub/.c.yaml", "not: [yaml\n");
	dir = tmpdir;
	cr_assert_str_eq(loadp(1, &dir), "");
	cr_assert_eq(RC, 0);
	cr_assert_eq(S.nfiles, 5);
	cr_assert_eq(S.ntables, 5);
	/* Byte order of the paths: '-' < '.' < '/'. */
	for (i = 0; i < 5; i++)
		cr_assert_str_eq(S.tables[i]->name,
		    ((const char *[]){ "a_z", "a", "b", "c", "d" })[i]);
	cr_assert_str_eq(S.tables[3]->loc.file, at("sub/c.yaml"));
}

Test(paths, a_trailing_slash_makes_no_double_slash)
{
	const char *dir;

	put("a.yaml", "tables:\n  t:\n    columns: { a: jsonbb }\n");
	dir = ss_arena_printf(&S.arena, "%s/", tmpdir);
	cr_assert_str_eq(loadp(1, &dir),
	    "T/a.yaml:3:19: error: unknown type 'jsonbb' (did you mean 'jsonb'?)");
}

Test(paths, a_missing_path)
{
	const char *paths[2];
	char *want;

	put("a.yaml", TABLE("a"));
	paths[0] = at("a.yaml");
	paths[1] = at("nope");
	want = ss_arena_printf(&S.arena, "T/nope: error: cannot read schemas: "
	    "%s", strerror(ENOENT));
	cr_assert_str_eq(loadp(2, paths), want);
	cr_assert_eq(RC, -SS_ESCHEMA);
}

Test(paths, an_empty_folder)
{
	const char *dir;

	put("sub/notes.txt", "hello\n");
	dir = tmpdir;
	cr_assert_str_eq(loadp(1, &dir),
	    "T: error: no schema files (*.yaml, *.yml) found");
	cr_assert_eq(RC, -SS_ESCHEMA);
	cr_assert_eq(S.ntables, 0);
}

Test(paths, a_file_not_in_utf8)
{
	const char *dir;

	put("a.yaml", TABLE("a"));
	put("b.yaml", "tables:\n  b:\n    comment: \"na\xefve\"\n"
	    "    columns: { id: integer }\n");
	dir = tmpdir;
	cr_assert_str_eq(loadp(1, &dir),
	    "T/b.yaml:3:17: error: file is not valid UTF-8 (byte 0xef)");
	cr_assert_eq(RC, -SS_ESCHEMA);
}

Test(paths, a_file_given_twice_is_read_once)
{
	const char *paths[4];

	put("a.yaml", TABLE("a"));
	put("sub/b.yaml", TABLE("b"));
	paths[0] = at("sub/b.yaml");
	paths[1] = tmpdir;
	paths[2] = at("a.yaml");
	paths[3] = at("./sub//b.yaml");
	cr_assert_str_eq(loadp(4, paths), "");
	cr_assert_eq(RC, 0);
	cr_assert_eq(S.nfiles, 2);
	/* In the order first given. */
	cr_assert_str_eq(S.tables[0]->name, "b");
	cr_assert_str_eq(S.tables[1]->name, "a");
}

Test(paths, a_file_given_by_name_is_read_whatever_its_name)
{
	const char *path;

	path = put("schema.txt", TABLE("t"));
	cr_assert_str_eq(loadp(1, &path), "");
	cr_assert_eq(S.ntables, 1);
}

Test(paths, the_same_table_in_two_files)
{
	const char *dir;

	put("b.yaml", TABLE("users"));
	put("a/users.yaml", "# users\n" TABLE("users"));
	dir = tmpdir;
	cr_assert_str_eq(loadp(1, &dir), "T/b.yaml:2:3: error: table 'users' "
	    "is defined twice (first at T/a/users.yaml:3:3)");
}

Test(load, empty_names)
{
	LOAD_ERR(
	    "enums:\n"
	    "  \"\": [a]\n"
	    "tables:\n"
	    "  \"\":\n"
	    "    columns: { a: text }\n"
	    "  t:\n"
	    "    columns:\n"
	    "      \"\": text\n"
	    "      a: text\n"
	    "    indexes:\n"
	    "      '': { columns: [a] }\n"
	    "    foreign_keys:\n"
	    "      '': { columns: [a], references: { table: t, columns: [\"\"] } }\n"
	    "    checks:\n"
	    "      '': a <> ''\n",
	    "a.yaml:2:3: error: enum name must not be empty\n"
	    "a.yaml:4:3: error: table name must not be empty\n"
	    "a.yaml:8:7: error: column name must not be empty\n"
	    "a.yaml:11:7: error: index name must not be empty\n"
	    "a.yaml:13:7: error: foreign key name must not be empty\n"
	    "a.yaml:15:7: error: check name must not be empty");
}

/*
 * Names a database would take for one: equal but for letter case
 * (SQLite), or in their first 63 bytes (PostgreSQL). Refused on any
 * database, at the later of the two, naming the other.
 */
Test(load, names_equal_but_for_case_are_refused)
{
	LOAD_ERR(
	    "tables:\n"
	    "  users:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      Email: text\n"
	    "      email: text\n"
	    "  Users:\n"
	    "    columns: { id: integer }\n"
	    "    indexes:\n"
	    "      USERS_ID: { columns: [id] }\n"
	    "      users_id: { columns: [id] }\n",
	    "a.yaml:6:7: error: column 'email' clashes with column 'Email' "
	    "(at a.yaml:5:7) in table 'users': the names differ only in "
	    "letter case, which SQLite does not tell apart\n"
	    "a.yaml:7:3: error: table 'Users' clashes with table 'users' "
	    "(at a.yaml:2:3): the names differ only in letter case, which "
	    "SQLite does not tell apart\n"
	    "a.yaml:11:7: error: index 'users_id' clashes with index "
	    "'USERS_ID' (at a.yaml:10:7): the names differ only in letter "
	    "case, which SQLite does not tell apart");
}

#define NAME60 "abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcde"

Test(load, names_equal_in_63_bytes_are_refused)
{
	cr_assert_eq(strlen(NAME60), 60);
	LOAD_ERR(
	    "tables:\n"
	    "  " NAME60 "_t_one:\n"
	    "    columns:\n"
	    "      " NAME60 "_c_a: text\n"
	    "      " NAME60 "_c_b: text\n"
	    "  " NAME60 "_t_two:\n"
	    "    columns: { id: integer }\n",
	    "a.yaml:2:3: warning: name '" NAME60 "_t_one' is longer than 63 "
	    "bytes; PostgreSQL keeps only '" NAME60 "_t_'\n"
	    "a.yaml:4:7: warning: name '" NAME60 "_c_a' is longer than 63 "
	    "bytes; PostgreSQL keeps only '" NAME60 "_c_'\n"
	    "a.yaml:5:7: warning: name '" NAME60 "_c_b' is longer than 63 "
	    "bytes; PostgreSQL keeps only '" NAME60 "_c_'\n"
	    "a.yaml:5:7: error: column '" NAME60 "_c_b' clashes with column '"
	    NAME60 "_c_a' (at a.yaml:4:7) in table '" NAME60 "_t_one': "
	    "PostgreSQL keeps only the first 63 bytes of a name, and those "
	    "are the same\n"
	    "a.yaml:6:3: warning: name '" NAME60 "_t_two' is longer than 63 "
	    "bytes; PostgreSQL keeps only '" NAME60 "_t_'\n"
	    "a.yaml:6:3: error: table '" NAME60 "_t_two' clashes with table '"
	    NAME60 "_t_one' (at a.yaml:2:3): PostgreSQL keeps only the first "
	    "63 bytes of a name, and those are the same");
}

Test(load, index_clashing_in_63_bytes_with_a_table)
{
	LOAD_ERR(
	    "tables:\n"
	    "  " NAME60 "_xyz:\n"
	    "    columns: { id: integer }\n"
	    "    indexes:\n"
	    "      " NAME60 "_xyz_idx: { columns: [id] }\n",
	    "a.yaml:2:3: warning: name '" NAME60 "_xyz' is longer than 63 "
	    "bytes; PostgreSQL keeps only '" NAME60 "_xy'\n"
	    "a.yaml:5:7: warning: name '" NAME60 "_xyz_idx' is longer than "
	    "63 bytes; PostgreSQL keeps only '" NAME60 "_xy'\n"
	    "a.yaml:5:7: error: index '" NAME60 "_xyz_idx' clashes with "
	    "table '" NAME60 "_xyz' (at a.yaml:2:3): PostgreSQL keeps only "
	    "the first 63 bytes of a name, and those are the same");
}

Test(load, long_names_alone_are_a_warning)
{
	cr_assert_str_eq(load1(
	    "tables:\n"
	    "  " NAME60 "_table:\n"
	    "    columns: { id: integer }\n"),
	    "a.yaml:2:3: warning: name '" NAME60 "_table' is longer than 63 "
	    "bytes; PostgreSQL keeps only '" NAME60 "_ta'");
	cr_assert_eq(RC, 0);
	/* Cut on a character boundary: 'é' is two bytes, at 63 and 64. */
	cr_assert_str_eq(load1(
	    "tables:\n"
	    "  " NAME60 "_x\xc3\xa9:\n"
	    "    columns: { id: integer }\n"),
	    "a.yaml:2:3: warning: name '" NAME60 "_x\xc3\xa9' is longer "
	    "than 63 bytes; PostgreSQL keeps only '" NAME60 "_x'");
}

Test(load, generated_names_avoid_other_spellings)
{
	LOAD_OK(
	    "tables:\n"
	    "  users:\n"
	    "    columns: { id: { type: integer, primary_key: true } }\n"
	    "    indexes:\n"
	    "      Users_pkey: { columns: [id] }\n");
	cr_assert_str_eq(tbl("users")->pk->name, "users_pkey1");
}

/* Verbatim SQL: one expression, or an error at its place. */

Test(load, verbatim_sql_that_ends_the_statement_is_refused)
{
	LOAD_ERR("tables:\n"
	    "  t2:\n"
	    "    columns:\n"
	    "      id: integer\n"
	    "      n: { type: integer, default: { sql: \"1)); DELETE FROM "
	    "victim; CREATE TABLE zz (x int DEFAULT (1\" } }\n"
	    "      m: \"integer); DELETE FROM victim; CREATE TABLE zz (x int\"\n"
	    "      o: { type: text, default: { sql: \"'a' || $$;$$\" } }\n"
	    "    checks:\n"
	    "      t2_c: \"id > 0; DELETE FROM victim\"\n"
	    "      t2_d: \"(id > 0\"\n"
	    "    indexes:\n"
	    "      t2_w: { columns: [id], where: \"id > 0 /* open\" }\n"
	    "      t2_e: { columns: [\"lower(m)) ; DELETE FROM victim; "
	    "SELECT ((1\"] }\n"
	    "      t2_f: { columns: [\"lower(m) -- desc\"] }\n"
	    "      t2_g: { columns: [id], where: \"\" }\n",
	    "a.yaml:5:43: error: default of column 'n' is not one SQL "
	    "expression: ')' closes a parenthesis that is not open (at "
	    "character 2)\n"
	    "a.yaml:6:10: error: type 'integer); DELETE FROM victim; CREATE "
	    "TAB...' is not a type name: ')' closes a parenthesis that is not "
	    "open (at character 8)\n"
	    "a.yaml:7:40: error: default of column 'o' is not one SQL "
	    "expression: ';' outside quotes would end the statement (at "
	    "character 10, as SQLite reads it)\n"
	    "a.yaml:9:13: error: check 't2_c' is not one SQL expression: ';' "
	    "outside quotes would end the statement (at character 7)\n"
	    "a.yaml:10:13: error: check 't2_d' is not one SQL expression: '(' "
	    "is never closed (at character 1)\n"
	    "a.yaml:12:37: error: 'where' of index 't2_w' is not one SQL "
	    "expression: a comment is not closed (at character 8)\n"
	    "a.yaml:13:25: error: index entry 'lower(m)) ; DELETE FROM victim; "
	    "SELECT (...' is not one SQL expression: ')' closes a parenthesis "
	    "that is not open (at character 9)\n"
	    "a.yaml:14:25: error: index entry 'lower(m) -- desc' holds a -- "
	    "comment, which would swallow the rest of the statement\n"
	    "a.yaml:15:37: error: 'where' must not be empty");
}

Test(load, verbatim_sql_expressions_are_kept)
{
	struct ss_table *t;

	LOAD_OK("enums:\n"
	    "  \"odd;enum\": [a, b]\n"
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: { type: text, default: { sql: \"'it''s; (not) SQL'\" } }\n"
	    "      b: { type: integer, default: { sql: \"(1 + 2) * 3\" } }\n"
	    "      c: { type: \"timestamp(3) with time zone\", default: { sql: "
	    "now() } }\n"
	    "      d: { type: \"odd;enum\" }\n"
	    "      e: { type: \"geometry(Point, 4326)[]\" }\n"
	    "      f: { type: int, default: { sql: \"1 -- one\" } }\n"
	    "    checks:\n"
	    "      t_a: \"a IN ('x', 'y')\"\n"
	    "      t_b: \"b > 0 -- positive\"\n"
	    "    indexes:\n"
	    "      t_l: { columns: [\"lower(a)\"], where: \"a <> ';'\" }\n");
	t = tbl("t");
	expect_default(col(t, "a"), SS_DEFAULT_SQL, "'it''s; (not) SQL'");
	expect_default(col(t, "b"), SS_DEFAULT_SQL, "(1 + 2) * 3");
	cr_assert_eq(col(t, "d")->type.kind, SS_TYPE_ENUM);
	cr_assert_str_eq(type_of(col(t, "e")), "geometry(Point, 4326)[]");
	/* A -- comment is ended, so it cannot swallow what follows. */
	expect_default(col(t, "f"), SS_DEFAULT_SQL, "1 -- one\n");
	cr_assert_str_eq(t->checks[0].expr, "a IN ('x', 'y')");
	cr_assert_str_eq(t->checks[1].expr, "b > 0 -- positive\n");
	cr_assert_str_eq(t->indexes[0].where, "a <> ';'");
	/* A check is still placed at its name. */
	cr_assert_eq(t->checks[0].loc.line, 13);
	cr_assert_eq(t->checks[0].loc.col, 7);
}

/* Defaults that YAML reads as numbers other than decimals. */

Test(load, yaml_numbers_octal_and_hex_become_decimal)
{
	struct ss_table *t;

	LOAD_OK("tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: { type: integer, default: 0o17 }\n"
	    "      b: { type: bigint, default: 0x1F }\n"
	    "      c: { type: numeric, default: 0xFFFFFFFFFFFFFFFFFFFF }\n"
	    "      d: { type: integer, default: 017 }\n"
	    "      e: { type: text, default: \"0o17\" }\n"
	    "      g: { type: time, default: 12:30 }\n"
	    "      h: { type: text, default: 0o19 }\n");
	t = tbl("t");
	expect_default(col(t, "a"), SS_DEFAULT_NUMBER, "15");
	expect_default(col(t, "b"), SS_DEFAULT_NUMBER, "31");
	expect_default(col(t, "c"), SS_DEFAULT_NUMBER,
	    "1208925819614629174706175");
	/* YAML 1.2: 017 is seventeen, 1:30 a string. */
	expect_default(col(t, "d"), SS_DEFAULT_NUMBER, "017");
	expect_default(col(t, "e"), SS_DEFAULT_STRING, "0o17");
	expect_default(col(t, "g"), SS_DEFAULT_STRING, "12:30");
	expect_default(col(t, "h"), SS_DEFAULT_STRING, "0o19");
}

Test(load, yaml_numbers_inf_nan_and_yaml11_are_refused)
{
	LOAD_ERR("tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: { type: double, default: .inf }\n"
	    "      b: { type: double, default: -.Inf }\n"
	    "      c: { type: double, default: .NaN }\n"
	    "      d: { type: integer, default: 1_000 }\n"
	    "      e: { type: integer, default: 0b101 }\n"
	    "      f: { type: integer, default: \".inf\" }\n",
	    "a.yaml:4:35: error: default '.inf' is YAML's infinity, which "
	    "databases spell differently: write { sql: \"'Infinity'\" } for "
	    "PostgreSQL or { sql: \"9e999\" } for SQLite, or quote it for the "
	    "text\n"
	    "a.yaml:5:35: error: default '-.Inf' is YAML's infinity, which "
	    "databases spell differently: write { sql: \"'-Infinity'\" } for "
	    "PostgreSQL or { sql: \"-9e999\" } for SQLite, or quote it for the "
	    "text\n"
	    "a.yaml:6:35: error: default '.NaN' is YAML's not-a-number, which "
	    "databases spell differently: write { sql: \"'NaN'\" } for "
	    "PostgreSQL, or quote it for the text\n"
	    "a.yaml:7:36: error: default '1_000' is 1000 in YAML 1.1 but text "
	    "in YAML 1.2: write 1000, or quote it for the text\n"
	    "a.yaml:8:36: error: default '0b101' is 5 in YAML 1.1 but text in "
	    "YAML 1.2: write 5, or quote it for the text");
}

/* A NUL in a string would cut it short wherever C reads it: refused. */
Test(load, nul_in_a_string_is_refused)
{
	LOAD_ERR("tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: { type: text, default: \"x\\0y\" }\n"
	    "      \"b\\x00c\": text\n"
	    "    checks:\n"
	    "      t_a: \"a <> 'x\\u0000'\"\n",
	    "a.yaml:4:33: error: a string must not hold a NUL character (\\0)\n"
	    "a.yaml:5:7: error: a string must not hold a NUL character (\\0)\n"
	    "a.yaml:7:12: error: a string must not hold a NUL character (\\0)");
}

/* Deferrable foreign keys, MATCH, NO INHERIT, SQLite's table options. */
Test(load, foreign_key_timing_match_and_check_long_form_errors)
{
	LOAD_ERR("tables:\n"
	    "  p:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "  k:\n"
	    "    columns:\n"
	    "      a: integer\n"
	    "    foreign_keys:\n"
	    "      - { columns: [a], references: { table: p }, match: partial }\n"
	    "      - { columns: [a], references: { table: p }, deferrable: no }\n"
	    "    checks:\n"
	    "      k_a: { no_inherit: true }\n"
	    "      k_b: { sql: \"a > 0\", no_inherit: 1, inherit: true }\n",
	    "a.yaml:9:58: error: unknown match type 'partial' for 'match' "
	    "(expected full or simple)\n"
	    "a.yaml:10:63: error: expected true or false for 'deferrable', got 'no'\n"
	    "a.yaml:12:7: error: check 'k_a' has no 'sql'\n"
	    "a.yaml:13:40: error: expected true or false for 'no_inherit', got '1'\n"
	    "a.yaml:13:43: error: unknown key 'inherit' in check");
}

Test(load, without_rowid_needs_a_primary_key)
{
	LOAD_ERR("tables:\n"
	    "  t:\n"
	    "    without_rowid: true\n"
	    "    strict: yes\n"
	    "    columns:\n"
	    "      a: integer\n",
	    "a.yaml:3:5: error: 'without_rowid' needs a primary key, and table "
	    "'t' has none\n"
	    "a.yaml:4:13: error: expected true or false for 'strict', got 'yes'");
}

Test(load, deferral_and_table_options_kept)
{
	struct ss_table *t;

	LOAD_OK("tables:\n"
	    "  p:\n    without_rowid: true\n    strict: true\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "  k:\n    columns:\n      a: integer\n"
	    "    foreign_keys:\n"
	    "      k_fk: { columns: [a], references: { table: p }, "
	    "initially_deferred: true, match: FULL }\n");
	t = ss_schema_table(&S, "p");
	cr_expect(t->strict && t->without_rowid);
	t = ss_schema_table(&S, "k");
	cr_expect(t->fks[0].deferrable, "initially deferred implies it");
	cr_expect(t->fks[0].initially_deferred && t->fks[0].match_full);
	cr_expect_eq(t->fks[0].match_loc.line, 11);
}

/* Index methods and options: both spellings of an entry, what goes
 * into the model, and unique constraints written as indexes. */
Test(load, index_methods_and_options)
{
	struct ss_table *t;
	const struct ss_index_key *k;

	LOAD_OK(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: text\n"
	    "      b: jsonb\n"
	    "      \"c desc\": text\n"
	    "      d: integer\n"
	    "    indexes:\n"
	    "      t_a: { columns: [\"a DESC NULLS LAST\", \"c desc\", \"lower(a) text_pattern_ops\"] }\n"
	    "      t_b: { columns: [{ column: b, opclass: JSONB_PATH_OPS }], using: GIN }\n"
	    "      t_c: { columns: [{ column: a, order: desc, nulls: first }], unique: true, include: [d], nulls_not_distinct: true, using: btree }\n"
	    "      t_k: { columns: [a, d], unique: true, constraint: true, deferrable: true, initially_deferred: true, include: [b] }\n"
	    "  u:\n"
	    "    columns:\n"
	    "      d: integer\n"
	    "      a: text\n"
	    "    indexes:\n"
	    "      - { columns: [d, a], unique: true, constraint: true }\n");
	t = tbl("t");
	cr_assert_eq(t->nindexes, 3);
	cr_expect_str_eq(names_str(&t->indexes[0].columns),
	    "a,c desc,lower(a)");
	k = ss_index_key(&t->indexes[0], 0);
	cr_expect(k->desc && k->nulls == SS_NULLS_LAST && k->opclass == NULL);
	cr_expect(ss_index_key_plain(&t->indexes[0], 1), "a column's name");
	cr_expect_str_eq(ss_index_key(&t->indexes[0], 2)->opclass,
	    "text_pattern_ops");
	cr_expect_str_eq(t->indexes[1].method, "gin");
	cr_expect_str_eq(ss_index_key(&t->indexes[1], 0)->opclass,
	    "jsonb_path_ops");
	cr_expect_null(t->indexes[2].method, "btree is the default");
	cr_expect(ss_index_key(&t->indexes[2], 0)->desc);
	cr_expect_eq(ss_index_key(&t->indexes[2], 0)->nulls, SS_NULLS_FIRST);
	cr_expect_str_eq(names_str(&t->indexes[2].include), "d");
	cr_expect(t->indexes[2].nulls_not_distinct);
	cr_assert_eq(t->nuniques, 1);
	cr_expect_str_eq(t->uniques[0].name, "t_k");
	cr_expect(t->uniques[0].deferrable && t->uniques[0].initially_deferred);
	cr_expect_str_eq(names_str(&t->uniques[0].include), "b");
	t = tbl("u");
	cr_assert_eq(t->nuniques, 1);
	cr_expect_eq(t->nindexes, 0);
	cr_expect_str_eq(t->uniques[0].name, "u_d_a_key", "generated");
}

Test(load, index_options_refused)
{
	LOAD_ERR(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: text\n"
	    "    indexes:\n"
	    "      t_1: { columns: [a], using: \"gin; drop\" }\n"
	    "      t_2: { columns: [{ column: a, opclass: \"x y\" }] }\n"
	    "      t_3: { columns: [{ column: a, order: up }] }\n"
	    "      t_4: { columns: [{ column: a, nulls: middle }] }\n"
	    "      t_5: { columns: [{ opclass: x }] }\n"
	    "      t_6: { columns: [{ column: a, colum: b }] }\n"
	    "      t_7: { columns: [a], nulls_not_distinct: true }\n"
	    "      t_8: { columns: [a], constraint: true }\n"
	    "      t_9: { columns: [a], unique: true, deferrable: true }\n"
	    "      t_10: { columns: [a], unique: true, constraint: true, initially_deferred: true }\n"
	    "      t_11: { columns: [a], unique: true, constraint: true, where: \"a > ''\" }\n"
	    "      t_12: { columns: [a], unique: true, constraint: true, using: hash }\n"
	    "      t_13: { columns: [\"a DESC\"], unique: true, constraint: true }\n"
	    "      t_14: { columns: [a], include: [nope] }\n",
	    "a.yaml:6:35: error: 'using' of an index must be a name, got 'gin; drop'\n"
	    "a.yaml:7:46: error: 'opclass' of an index must be a name, got 'x y'\n"
	    "a.yaml:8:44: error: 'order' must be asc or desc, got 'up'\n"
	    "a.yaml:9:44: error: 'nulls' must be first or last, got 'middle'\n"
	    "a.yaml:10:24: error: an index entry written as a mapping needs 'column'\n"
	    "a.yaml:11:37: error: unknown key 'colum' in index entry (did you mean 'column'?)\n"
	    "a.yaml:12:28: error: 'nulls_not_distinct' needs 'unique: true'\n"
	    "a.yaml:13:28: error: 'constraint' needs 'unique: true'\n"
	    "a.yaml:14:42: error: 'deferrable' needs 'constraint: true' (an index cannot be deferred)\n"
	    "a.yaml:15:61: error: 'initially_deferred' needs 'deferrable: true'\n"
	    "a.yaml:16:61: error: 'where' cannot go with 'constraint: true': a unique constraint is never partial (leave 'constraint' out for a partial unique index)\n"
	    "a.yaml:17:61: error: 'using' cannot go with 'constraint: true': a unique constraint is a btree index\n"
	    "a.yaml:18:25: error: index entry 'a DESC' of a unique constraint cannot have an order or an operator class\n"
	    "a.yaml:19:39: error: include names unknown column 'nope' of table 't'");
}

Test(load, generated_identity_collation)
{
	struct ss_column *c;

	LOAD_OK(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      id: { type: bigint, primary_key: true, autoincrement: { always: true, start: 1000, increment: -10 } }\n"
	    "      n: { type: integer, autoincrement: {} }\n"
	    "      a: integer\n"
	    "      b: { type: integer, generated: { sql: \"a * 2 -- twice\", stored: true } }\n"
	    "      v: { type: integer, generated: { sql: \"a + 1\" } }\n"
	    "      e: { type: text, collation: NOCASE }\n");
	c = col(tbl("t"), "id");
	cr_expect(c->autoincrement && c->always && c->has_start);
	cr_expect_eq(c->start, 1000);
	cr_expect_eq(c->increment, -10);
	cr_expect(!ss_identity_default(c));
	c = col(tbl("t"), "n");
	cr_expect(c->autoincrement && !c->always && !c->nullable);
	cr_expect(ss_identity_default(c));
	c = col(tbl("t"), "b");
	cr_expect_str_eq(c->generated, "a * 2 -- twice\n");
	cr_expect(c->stored);
	c = col(tbl("t"), "v");
	cr_expect_str_eq(c->generated, "a + 1");
	cr_expect_not(c->stored);
	cr_expect_str_eq(col(tbl("t"), "e")->collation, "NOCASE");
	cr_expect_null(col(tbl("t"), "a")->collation);
	cr_expect_null(col(tbl("t"), "a")->generated);
}

Test(load, generated_identity_collation_errors)
{
	LOAD_ERR(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      a: { type: integer, autoincrement: { increment: 0, step: 2, start: x } }\n"
	    "      b: { type: integer, generated: \"a * 2\" }\n"
	    "      c: { type: integer, generated: { stored: true } }\n"
	    "      d: { type: integer, default: 1, generated: { sql: \"a\", stored: yes please } }\n"
	    "      e: { type: integer, generated: { sql: \"a); DROP TABLE t; --\", virtual: true } }\n"
	    "      f: { type: integer, autoincrement: true, generated: { sql: \"a\" } }\n"
	    "      g: { type: text, collation: \"\" }\n",
	    "a.yaml:4:55: error: 'increment' must not be 0\n"
	    "a.yaml:4:58: error: unknown key 'step' in autoincrement\n"
	    "a.yaml:4:74: error: expected a whole number from -9223372036854775808 to 9223372036854775807 for 'start'\n"
	    "a.yaml:5:38: error: expected { sql: EXPRESSION, stored: true|false } for 'generated', got a scalar\n"
	    "a.yaml:6:38: error: 'generated' needs 'sql', the expression\n"
	    "a.yaml:7:39: error: generated column 'd' cannot have a 'default'\n"
	    "a.yaml:7:70: error: expected true or false for 'stored', got 'yes please'\n"
	    "a.yaml:8:45: error: generation expression of column 'e' is not one SQL expression: ')' closes a parenthesis that is not open (at character 2)\n"
	    "a.yaml:8:69: error: unknown key 'virtual' in generated\n"
	    "a.yaml:9:48: error: generated column 'f' cannot be 'autoincrement'\n"
	    "a.yaml:10:35: error: 'collation' must not be empty");
}

/* Declared views. */

Test(load, views_short_and_long)
{
	const struct ss_view *v;

	LOAD_OK("tables:\n  t:\n    columns:\n      id: integer\n"
	    "views:\n"
	    "  a: \"SELECT id FROM t;\"\n"
	    "  b:\n    sql: |\n      WITH x AS (SELECT 1) -- one\n      SELECT * FROM x\n"
	    "    materialized: true\n"
	    "  c: { drop: true }\n"
	    "  d: { sql: \"(VALUES (1), (2))\", materialized: false }\n");
	cr_assert_eq(S.nviews, 4);
	v = ss_schema_view(&S, "a");
	cr_assert_not_null(v);
	cr_expect_str_eq(v->sql, "SELECT id FROM t");	/* the ';' goes */
	cr_expect(!v->materialized && !v->drop);
	cr_expect_eq(v->loc.line, 6);
	v = ss_schema_view(&S, "b");
	/* A -- comment keeps its newline. */
	cr_expect_str_eq(v->sql, "WITH x AS (SELECT 1) -- one\nSELECT * FROM x\n");
	cr_expect(v->materialized);
	cr_expect_eq(v->materialized_loc.line, 11);
	cr_expect_eq(v->materialized_loc.col, 5);
	v = ss_schema_view(&S, "c");
	cr_expect(v->drop);
	cr_expect_null(v->sql);
	cr_expect_str_eq(ss_schema_view(&S, "d")->sql, "(VALUES (1), (2))");
}

Test(load, view_errors)
{
	LOAD_ERR("views:\n  v: \"SELECT 1; DROP TABLE t\"\n",
	    "a.yaml:2:6: error: view 'v' is not one SELECT statement: ';' "
	    "outside quotes would end the statement (at character 9)");
	LOAD_ERR("views:\n  v: { sql: \"UPDATE t SET a = 1\" }\n",
	    "a.yaml:2:13: error: view 'v' is not one SELECT statement: it "
	    "starts with 'UPDATE', not SELECT, WITH or VALUES");
	LOAD_ERR("views:\n  v: { materialized: true }\n",
	    "a.yaml:2:3: error: view 'v' has no 'sql'");
	LOAD_ERR("views:\n  v: { sql: SELECT 1, drop: true }\n",
	    "a.yaml:2:13: error: view 'v' has 'drop: true' and 'sql': a view "
	    "to drop takes no SQL");
	LOAD_ERR("views:\n  v: { sql: SELECT 1, materialised: true }\n",
	    "a.yaml:2:23: error: unknown key 'materialised' in view (did you mean "
	    "'materialized'?)");
	LOAD_ERR("views:\n  v: [SELECT 1]\n",
	    "a.yaml:2:6: error: expected a SELECT or a mapping with 'sql' for "
	    "view 'v', got a list");
	cr_assert_str_eq(load2("views:\n  v: SELECT 1\n",
	    "views:\n  v: SELECT 2\n"),
	    "b.yaml:2:3: error: view 'v' is defined twice (first at a.yaml:2:3)");
	LOAD_ERR("tables:\n  v:\n    columns:\n      id: integer\n"
	    "views:\n  v: SELECT 1\n",
	    "a.yaml:6:3: error: view 'v' has the name of a table (at a.yaml:2:3)");
}
