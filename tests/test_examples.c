/*
 * The bundled example under schemas/ (the one the README walks through
 * and `make run` pushes) must load with no diagnostics at all, and must
 * keep showing what it is there to show: the counts below and the
 * generated names the README quotes. Paths are relative to the
 * repository root, where `make unit` runs.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "ss/load.h"

static struct ss_schema schema;
static struct ss_diags diags = SS_DIAGS_INIT;
static int load_status;

static void
load_examples(void)
{
	const char *paths[] = { "schemas" };
	struct ss_buf b = SS_BUF_INIT;
	size_t i;

	ss_schema_init(&schema);
	load_status = ss_load_paths(&schema, paths, 1, &diags);
	for (i = 0; i < diags.n; i++) {
		ss_buf_reset(&b);
		ss_diag_format(&b, &diags.v[i], 0);
		cr_log_error("%s", b.s);
	}
	ss_buf_release(&b);
}

static void
release_examples(void)
{
	ss_diags_release(&diags);
	ss_schema_release(&schema);
}

TestSuite(examples, .init = load_examples, .fini = release_examples);

static struct ss_table *
table(const char *name)
{
	struct ss_table *t = ss_schema_table(&schema, name);

	cr_assert_not_null(t, "table '%s' is missing", name);
	return t;
}

static bool
has_index(const struct ss_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nindexes; i++)
		if (strcmp(t->indexes[i].name, name) == 0)
			return true;
	return false;
}

static const struct ss_fk *
fk(const struct ss_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nfks; i++)
		if (strcmp(t->fks[i].name, name) == 0)
			return &t->fks[i];
	cr_assert_fail("foreign key '%s' of '%s' is missing", name, t->name);
	return NULL;
}

static const struct ss_column *
column(const char *tname, const char *cname)
{
	const struct ss_column *c = ss_table_column(table(tname), cname);

	cr_assert_not_null(c, "column '%s.%s' is missing", tname, cname);
	return c;
}

Test(examples, loads_without_diagnostics)
{
	cr_assert_eq(load_status, 0);
	cr_assert_eq(diags.n, 0, "%zu diagnostics (see above)", diags.n);
}

Test(examples, counts)
{
	size_t i, fks = 0, indexes = 0, checks = 0, uniques = 0;

	cr_assert_eq(schema.nfiles, 3);
	cr_assert_eq(schema.ntables, 6);
	cr_assert_eq(schema.nenums, 1);
	for (i = 0; i < schema.ntables; i++) {
		fks += schema.tables[i]->nfks;
		indexes += schema.tables[i]->nindexes;
		checks += schema.tables[i]->nchecks;
		uniques += schema.tables[i]->nuniques;
	}
	cr_assert_eq(fks, 9);
	cr_assert_eq(indexes, 6);
	cr_assert_eq(checks, 5);
	cr_assert_eq(uniques, 1);
	/* Files are read in path order, tables in source order. */
	cr_assert_str_eq(schema.tables[0]->name, "organisations");
	cr_assert_str_eq(schema.tables[5]->name, "post_tags");
}

Test(examples, composite_primary_key)
{
	struct ss_table *t = table("post_tags");

	cr_assert_not_null(t->pk);
	cr_assert_eq(t->pk->columns.n, 2);
	cr_assert_str_eq(t->pk->columns.v[0].name, "post_id");
	cr_assert_str_eq(t->pk->columns.v[1].name, "tag_id");
	cr_assert_str_eq(t->pk->name, "post_tags_pkey");
}

Test(examples, generated_names)
{
	struct ss_table *users = table("users");

	cr_assert_eq(users->nuniques, 1);
	cr_assert_str_eq(users->uniques[0].name, "users_email_key");
	cr_assert_str_eq(users->pk->name, "users_pkey");
	cr_assert(has_index(users, "users_organisation_id_idx"));
	cr_assert(has_index(table("post_tags"), "post_tags_tag_id_idx"));
	fk(table("post_tags"), "post_tags_post_id_fkey");
	fk(table("post_tags"), "post_tags_tag_id_fkey");
	fk(users, "users_organisation_id_fkey");
}

Test(examples, foreign_keys)
{
	const struct ss_fk *f;

	f = fk(table("users"), "users_organisation_id_fkey");
	cr_assert_eq(f->on_delete, SS_FK_RESTRICT);
	cr_assert(f->from_column);
	cr_assert_str_eq(f->ref_table, "organisations");
	f = fk(table("posts"), "posts_author_id_fkey");
	cr_assert_eq(f->on_delete, SS_FK_SET_NULL);
	f = fk(table("comments"), "comments_parent_fk");
	cr_assert_eq(f->on_delete, SS_FK_CASCADE);
	cr_assert_not(f->from_column);
	cr_assert_str_eq(f->ref_table, "comments");
	cr_assert_str_eq(f->ref_columns.v[0].name, "id");
}

Test(examples, indexes)
{
	struct ss_table *posts = table("posts");
	size_t i;

	for (i = 0; i < posts->nindexes; i++)
		if (strcmp(posts->indexes[i].name, "posts_published_idx") == 0)
			break;
	cr_assert_lt(i, posts->nindexes);
	cr_assert_not(posts->indexes[i].unique);
	cr_assert_str_eq(posts->indexes[i].where, "status = 'published'");
	cr_assert(has_index(table("organisations"), "organisations_slug_uniq"));
	cr_assert(table("organisations")->indexes[0].unique);
}

Test(examples, defaults)
{
	const struct ss_column *c;

	c = column("organisations", "plan");
	cr_assert_eq(c->def.kind, SS_DEFAULT_STRING);
	cr_assert_str_eq(c->def.value, "free");
	c = column("organisations", "seats");
	cr_assert_eq(c->def.kind, SS_DEFAULT_NUMBER);
	cr_assert_str_eq(c->def.value, "5");
	c = column("users", "is_active");
	cr_assert_eq(c->def.kind, SS_DEFAULT_BOOL);
	cr_assert_str_eq(c->def.value, "true");
	c = column("users", "bio");
	cr_assert_eq(c->def.kind, SS_DEFAULT_NULL);
	c = column("tags", "colour");
	cr_assert_eq(c->def.kind, SS_DEFAULT_STRING);
	cr_assert_str_eq(c->def.value, "#888888");
	c = column("posts", "status");
	cr_assert_eq(c->type.kind, SS_TYPE_ENUM);
	cr_assert_str_eq(c->def.value, "draft");
	c = column("users", "display_name");
	cr_assert_eq(c->type.kind, SS_TYPE_TEXT);
	cr_assert(c->nullable);
	cr_assert_eq(c->def.kind, SS_DEFAULT_NONE);
}

Test(examples, merged_timestamps)
{
	const char *tables[] = { "organisations", "users", "posts", "comments" };
	const struct ss_column *c;
	size_t i;

	for (i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		c = column(tables[i], "created_at");
		cr_assert_eq(c->type.kind, SS_TYPE_TIMESTAMP);
		cr_assert_not(c->nullable);
		cr_assert_eq(c->def.kind, SS_DEFAULT_SQL);
		cr_assert_str_eq(c->def.value, "CURRENT_TIMESTAMP");
		column(tables[i], "updated_at");
	}
	/* The anchor's own key is not a table or a column. */
	cr_assert_null(ss_schema_table(&schema, "x-timestamps"));
}

Test(examples, autoincrement_and_comments)
{
	cr_assert(column("users", "id")->autoincrement);
	cr_assert_not(column("users", "id")->nullable);
	cr_assert_not_null(table("posts")->comment);
	cr_assert_str_eq(column("users", "email")->comment,
	    "Stored lower-cased; the sign-in name.");
}
