/*
 * Loading again only the files that changed (ss_load_paths_cached):
 * a warm load must give what a cold load of the same files gives, the
 * schema and the diagnostics, whatever was edited, added or deleted.
 * Real folders under mkdtemp().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "ss/diff.h"
#include "ss/load.h"
#include "ss/plan.h"
#include "ss/yamlout.h"

static char *dir;
static struct ss_load_cache cache;

static void
setup(void)
{
	char tmpl[] = "/tmp/ss-loadcache-XXXXXX";

	cr_assert_not_null(mkdtemp(tmpl));
	dir = strdup(tmpl);
	memset(&cache, 0, sizeof cache);
}

static void
teardown(void)
{
	char cmd[256];

	ss_load_cache_release(&cache);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
	free(dir);
}

TestSuite(loadcache, .init = setup, .fini = teardown);

static void
put(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	cr_assert_not_null(f = fopen(path, "wb"), "%s", path);
	cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	cr_assert_eq(fclose(f), 0);
}

static void
rm(const char *rel)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	cr_assert_eq(unlink(path), 0, "%s", path);
}

struct loaded {
	struct ss_schema s;
	struct ss_diags d;
	int rc;
	struct ss_buf yaml;	/* the schema written back */
	struct ss_buf diags;	/* the diagnostics, one a line */
};

static void
load(struct loaded *l, struct ss_load_cache *c)
{
	const char *paths[1] = { dir };
	struct ss_err err = SS_ERR_INIT;
	size_t i;

	memset(l, 0, sizeof *l);
	ss_schema_init(&l->s);
	ss_buf_init(&l->yaml);
	ss_buf_init(&l->diags);
	l->rc = ss_load_paths_cached(&l->s, paths, 1, &l->d, c);
	for (i = 0; i < l->d.n; i++) {
		ss_diag_format(&l->diags, &l->d.v[i], 0);
		ss_buf_addc(&l->diags, '\n');
	}
	if (l->rc == 0)
		cr_assert_eq(ss_yaml_write(&l->s, NULL, &l->yaml, &err), 0,
		    "%s", err.msg.s);
	ss_err_release(&err);
}

static void
loaded_release(struct loaded *l)
{
	ss_schema_release(&l->s);
	ss_diags_release(&l->d);
	ss_buf_release(&l->yaml);
	ss_buf_release(&l->diags);
}

/* No change either way by the model's own diff. */
static size_t
changes(const struct ss_schema *desired, const struct ss_schema *current)
{
	struct ss_diff_opts o;
	struct ss_plan p;
	struct ss_err err = SS_ERR_INIT;
	size_t n;

	memset(&o, 0, sizeof o);
	o.enum_types = true;
	o.comments = true;
	o.unique_constraints = true;
	ss_plan_init(&p);
	cr_assert_eq(ss_diff(desired, current, &o, &p, &err), 0, "%s",
	    err.msg.s);
	n = p.n;
	ss_plan_release(&p);
	ss_err_release(&err);
	return n;
}

/* What a location says, for comparing two loads' nodes. */
static void
same_locs(const struct ss_schema *a, const struct ss_schema *b)
{
	size_t i, j;

	cr_assert_eq(a->ntables, b->ntables);
	cr_assert_eq(a->nenums, b->nenums);
	cr_assert_eq(a->nviews, b->nviews);
	cr_assert_eq(a->nfiles, b->nfiles);
	for (i = 0; i < a->ntables; i++) {
		const struct ss_table *x = a->tables[i], *y = b->tables[i];
		cr_assert_str_eq(x->name, y->name);
		cr_assert_str_eq(x->loc.file, y->loc.file);
		cr_assert_eq(x->loc.line, y->loc.line);
		cr_assert_eq(x->ncolumns, y->ncolumns);
		for (j = 0; j < x->ncolumns; j++) {
			cr_assert_str_eq(x->columns[j].loc.file,
			    y->columns[j].loc.file);
			cr_assert_eq(x->columns[j].loc.line,
			    y->columns[j].loc.line);
			cr_assert_eq(x->columns[j].loc.col,
			    y->columns[j].loc.col);
			cr_assert_eq(x->columns[j].type_loc.line,
			    y->columns[j].type_loc.line);
		}
	}
	for (i = 0; i < a->nenums; i++)
		cr_assert_str_eq(a->enums[i]->loc.file, b->enums[i]->loc.file);
	for (i = 0; i < a->nviews; i++)
		cr_assert_eq(a->views[i]->sql_loc.line, b->views[i]->sql_loc.line);
}

/* A warm load with the cache, then a cold one: the same in every way. */
static void
warm_is_cold(size_t want_parsed, size_t want_reused)
{
	struct loaded warm, cold;

	load(&warm, &cache);
	load(&cold, NULL);
	cr_expect_eq(cache.parsed, want_parsed, "parsed %zu files, want %zu",
	    cache.parsed, want_parsed);
	cr_expect_eq(cache.reused, want_reused, "kept %zu files, want %zu",
	    cache.reused, want_reused);
	cr_assert_eq(warm.rc, cold.rc);
	cr_assert_str_eq(warm.diags.s, cold.diags.s);
	cr_assert_str_eq(warm.yaml.s, cold.yaml.s);
	if (warm.rc == 0) {
		cr_assert_eq(changes(&warm.s, &cold.s), 0);
		cr_assert_eq(changes(&cold.s, &warm.s), 0);
		same_locs(&warm.s, &cold.s);
	}
	loaded_release(&warm);
	loaded_release(&cold);
}

static const char a_yaml[] =
    "enums:\n"
    "  mood: [happy, sad]\n"
    "x-id: &id { type: bigint, autoincrement: true, primary_key: true }\n"
    "tables:\n"
    "  users:\n"
    "    columns:\n"
    "      id: *id\n"
    "      email: { type: text, unique: true, nullable: true }\n"
    "      mood: { type: mood, default: happy }\n"
    "      Name: { type: varchar(20), renamed_from: name }\n"
    "      seq: { type: integer, autoincrement: true }\n"
    "    indexes:\n"
    "      - columns: [email DESC, lower(Name)]\n"
    "    checks:\n"
    "      email_at: \"email LIKE '%@%'\"\n";

static const char b_yaml[] =
    "tables:\n"
    "  posts:\n"
    "    columns:\n"
    "      id: { type: integer, primary_key: true }\n"
    "      user_id: { type: bigint, references: users, on_delete: cascade }\n"
    "      title: { type: text, comment: the title }\n"
    "    indexes:\n"
    "      by_title: { columns: [title], unique: true, where: \"title <> ''\" }\n"
    "    foreign_keys:\n"
    "      - { columns: [user_id], references: { table: users, columns: [id] } }\n"
    "views:\n"
    "  recent: SELECT id, title FROM posts\n";

static const char c_yaml[] =
    "tables:\n"
    "  tags:\n"
    "    primary_key: [name]\n"
    "    columns:\n"
    "      name: text\n"
    "      post_id: { type: integer, references: posts.id }\n";

Test(loadcache, warm_after_edit_delete_add_is_cold)
{
	put("a.yaml", a_yaml);
	put("b.yaml", b_yaml);
	put("c.yaml", c_yaml);
	warm_is_cold(3, 0);	/* the first load fills the cache */
	warm_is_cold(0, 3);	/* nothing changed: nothing parsed */

	/* Edit one, delete one, add one. */
	put("b.yaml", "tables:\n"
	    "  posts:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      user_id: { type: bigint, references: users.id }\n"
	    "      body: text\n");
	rm("c.yaml");
	put("d.yaml", "tables:\n"
	    "  likes:\n"
	    "    columns:\n"
	    "      post_id: { type: integer, references: posts }\n"
	    "      mood: { type: mood, nullable: true }\n");
	warm_is_cold(2, 1);
	cr_expect_eq(cache.n, 3, "a, b and d are kept, got %zu", cache.n);
}

Test(loadcache, bytes_changed_back_and_forth_are_read_again)
{
	struct loaded l;

	put("a.yaml", a_yaml);
	put("b.yaml", b_yaml);
	warm_is_cold(2, 0);
	/* The same size, other bytes: read again. */
	put("b.yaml", "tables:\n  posts:\n    columns: { id: integer }\n");
	warm_is_cold(1, 1);
	put("b.yaml", "tables:\n  posts:\n    columns: { ix: integer }\n");
	warm_is_cold(1, 1);
	load(&l, &cache);
	cr_assert_not_null(ss_table_column(l.s.tables[1], "ix"));
	loaded_release(&l);
	/* And back: the kept entry is the last bytes, so it is read. */
	put("b.yaml", b_yaml);
	warm_is_cold(1, 1);
	warm_is_cold(0, 2);
}

Test(loadcache, a_file_with_a_problem_is_reported_every_time)
{
	put("a.yaml", a_yaml);
	put("b.yaml", "tables:\n  posts:\n    colums: { id: integer }\n");
	warm_is_cold(2, 0);
	warm_is_cold(1, 1);	/* b is never kept */
	/* A problem found across files is found again from the copy. */
	put("b.yaml", "tables:\n  posts:\n    columns: { id: intger }\n");
	warm_is_cold(1, 1);
	warm_is_cold(0, 2);
	/* Problems found from facts kept aside for the checks. */
	put("b.yaml", "tables:\n  posts:\n    columns:\n"
	    "      id: { type: integer, primary_key: true, nullable: true }\n"
	    "      n: { type: text, autoincrement: true }\n"
	    "      m: { type: text, renamed_from: id }\n"
	    "    primary_key: [n]\n"
	    "    renamed_from: users\n");
	warm_is_cold(1, 1);
	warm_is_cold(0, 2);
	put("b.yaml", "tables:\n  posts: [\n");	/* a syntax error */
	warm_is_cold(1, 1);
	/* A warning (checks across files) is given every time too. */
	put("b.yaml", "tables:\n  posts:\n    columns: { id: integer }\n"
	    "  a_table_name_that_is_longer_than_the_sixty_three_bytes_postgres_keeps:\n"
	    "    columns: { id: integer }\n");
	warm_is_cold(1, 1);
	warm_is_cold(0, 2);
}

/*
 * A kept file whose names meet an earlier file's: read again, so that
 * "defined twice" is reported where a cold load reports it.
 */
Test(loadcache, names_met_across_files_are_checked_again)
{
	put("a.yaml", "tables:\n  t:\n    columns: { id: integer }\n");
	put("b.yaml", "tables:\n  u:\n    columns: { id: integer }\n"
	    "enums:\n  e: [x]\nviews:\n  v: SELECT 1\n");
	warm_is_cold(2, 0);
	put("a.yaml", "tables:\n  u:\n    columns: { id: integer }\n");
	warm_is_cold(2, 0);	/* b's u is defined twice now */
	put("a.yaml", "enums:\n  u: [a]\n");
	warm_is_cold(2, 0);	/* a table with an enum's name */
	put("a.yaml", "tables:\n  e:\n    columns: { id: integer }\n");
	warm_is_cold(2, 0);	/* an enum with a table's name */
	put("a.yaml", "views:\n  v: SELECT 2\n");
	warm_is_cold(2, 0);	/* a view defined twice */
	put("a.yaml", "tables:\n  t:\n    columns: { id: integer }\n");
	warm_is_cold(2, 0);	/* b had errors: read, and kept again */
	warm_is_cold(0, 2);
	/* Checks across files run every time: b keeps, a breaks them. */
	put("b.yaml", "tables:\n  u:\n    columns:\n"
	    "      id: integer\n      t_id: { type: integer, references: t }\n");
	warm_is_cold(1, 1);
	put("a.yaml", "tables:\n  t0:\n    columns: { id: integer }\n");
	warm_is_cold(1, 1);
}

Test(loadcache, many_documents_and_aliases)
{
	put("a.yaml", "x-c: &c { type: text, nullable: false }\n"
	    "tables:\n  t:\n    columns: { a: *c, b: { <<: *c, unique: true } }\n"
	    "---\n"
	    "enums:\n  e: [x, y]\n"
	    "tables:\n  u:\n    columns: { e: e, t: { type: text, references: t.b } }\n");
	put("b.yaml", "---\n...\n");
	warm_is_cold(2, 0);
	warm_is_cold(0, 2);
}

/*
 * A schema owes nothing to the cache (model invariant 1): one built
 * from kept files outlives their entries.
 */
Test(loadcache, a_schema_outlives_the_entries_it_was_copied_from)
{
	struct loaded first, l;
	struct ss_buf again = SS_BUF_INIT;
	struct ss_err err = SS_ERR_INIT;

	put("a.yaml", a_yaml);
	put("b.yaml", b_yaml);
	put("c.yaml", c_yaml);
	warm_is_cold(3, 0);
	load(&first, &cache);	/* all three copied from the cache */
	cr_assert_eq(cache.reused, 3);
	rm("a.yaml");
	rm("b.yaml");
	rm("c.yaml");
	put("d.yaml", "tables:\n  z:\n    columns: { id: integer }\n");
	load(&l, &cache);	/* the three entries go */
	cr_assert_eq(cache.n, 1);
	loaded_release(&l);
	cr_assert_eq(ss_yaml_write(&first.s, NULL, &again, &err), 0);
	cr_expect_str_eq(again.s, first.yaml.s);
	cr_expect(strstr(first.s.tables[0]->loc.file, "a.yaml") != NULL);
	ss_buf_release(&again);
	ss_err_release(&err);
	loaded_release(&first);
}
