/*
 * The SQLite DDL convention both ways (src/sqlite/ddl.c and
 * src/sqlite/introspect.c): golden CREATE text, the comparisons, the
 * load -> emit -> execute -> introspect round trip, and the corpus of
 * real-world schemas (../shared/corpus/sqlite, or $SS_CORPUS).
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ss/load.h"
#include "sqlite/ddl.h"
#include "sqlite/introspect.h"
#include "ss/sqlparse.h"

/* Helpers. */

static char *
read_all(const char *path)
{
	struct ss_err err = SS_ERR_INIT;
	char *text = NULL;
	size_t len;

	if (ss_read_file(path, &text, &len, &err) < 0)
		cr_assert_fail("%s", err.msg.s);
	ss_err_release(&err);
	return text;
}

static void
load_yaml(struct ss_schema *s, const char *name, const char *yaml)
{
	struct ss_diags d = SS_DIAGS_INIT;
	struct ss_buf msg = SS_BUF_INIT;
	size_t i;

	ss_schema_init(s);
	if (ss_load_buffers(s, &name, &yaml, 1, &d) < 0) {
		for (i = 0; i < d.n; i++) {
			ss_diag_format(&msg, &d.v[i], 0);
			ss_buf_addc(&msg, '\n');
		}
		cr_assert_fail("loading %s:\n%s", name, msg.s);
	}
	ss_diags_release(&d);
	ss_buf_release(&msg);
}

/* Every CREATE statement of the schema, each followed by ";\n". */
static void
emit_all(struct ss_buf *b, const struct ss_schema *s)
{
	size_t i, j;

	for (i = 0; i < s->ntables; i++) {
		ss_sqlite_create_table(b, s, s->tables[i]);
		ss_buf_adds(b, ";\n");
		for (j = 0; j < s->tables[i]->nindexes; j++) {
			ss_sqlite_create_index(b, s->tables[i],
			    &s->tables[i]->indexes[j]);
			ss_buf_adds(b, ";\n");
		}
	}
}

static sqlite3 *
open_db(void)
{
	sqlite3 *db = NULL;

	cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	return db;
}

static void
exec_sql(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		cr_assert_fail("executing SQL: %s", msg ? msg : "?");
}

static void
introspect(sqlite3 *db, struct ss_schema *s)
{
	struct ss_err err = SS_ERR_INIT;

	ss_schema_init(s);
	if (ss_sqlite_introspect(db, s, &err) < 0)
		cr_assert_fail("introspect: %s", err.msg.s);
	ss_err_release(&err);
}

/*
 * The model compare: whether got (introspected) is want (loaded) under
 * the SQLite comparisons. The first difference goes to diff.
 */
static bool
fail_diff(struct ss_buf *diff, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool
fail_diff(struct ss_buf *diff, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ss_buf_vaddf(diff, fmt, ap);
	va_end(ap);
	return false;
}

static bool
same_expr_list(const struct ss_names *a, const struct ss_names *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, b->v[i].name) != 0 &&
		    !ss_sql_same_expr(a->v[i].name, b->v[i].name))
			return false;
	return true;
}

static bool
enum_used(const struct ss_schema *s, const char *name)
{
	size_t i, j;

	for (i = 0; i < s->ntables; i++)
		for (j = 0; j < s->tables[i]->ncolumns; j++)
			if (s->tables[i]->columns[j].type.kind == SS_TYPE_ENUM &&
			    strcmp(s->tables[i]->columns[j].type.name, name) == 0)
				return true;
	return false;
}

static bool
same_table(const struct ss_table *w, const struct ss_table *g,
    struct ss_buf *diff)
{
	struct ss_buf a = SS_BUF_INIT, b = SS_BUF_INIT;
	size_t i;
	bool ok = true;

	if (w->ncolumns != g->ncolumns)
		return fail_diff(diff, "%s: %zu columns, got %zu", w->name,
		    w->ncolumns, g->ncolumns);
	for (i = 0; i < w->ncolumns && ok; i++) {
		const struct ss_column *wc = &w->columns[i], *gc = &g->columns[i];
		ss_buf_reset(&a);
		ss_buf_reset(&b);
		ss_type_format(&a, &wc->type);
		ss_type_format(&b, &gc->type);
		if (strcmp(wc->name, gc->name) != 0)
			ok = fail_diff(diff, "%s: column %zu is '%s', got '%s'",
			    w->name, i, wc->name, gc->name);
		else if (!ss_sqlite_same_type(&wc->type, &gc->type))
			ok = fail_diff(diff, "%s.%s: type %s, got %s", w->name,
			    wc->name, a.s, b.s);
		else if (wc->nullable != gc->nullable)
			ok = fail_diff(diff, "%s.%s: nullable %d, got %d",
			    w->name, wc->name, wc->nullable, gc->nullable);
		else if (!ss_sqlite_same_default(wc, gc))
			ok = fail_diff(diff, "%s.%s: default %d '%s', got %d "
			    "'%s'", w->name, wc->name, wc->def.kind,
			    wc->def.value ? wc->def.value : "",
			    gc->def.kind, gc->def.value ? gc->def.value : "");
		else if (wc->autoincrement != gc->autoincrement)
			ok = fail_diff(diff, "%s.%s: autoincrement %d, got %d",
			    w->name, wc->name, wc->autoincrement,
			    gc->autoincrement);
	}
	ss_buf_release(&a);
	ss_buf_release(&b);
	if (!ok)
		return false;
	if ((w->pk == NULL) != (g->pk == NULL))
		return fail_diff(diff, "%s: primary key presence differs",
		    w->name);
	if (w->pk != NULL && (strcmp(w->pk->name, g->pk->name) != 0 ||
	    !ss_names_equal(&w->pk->columns, &g->pk->columns)))
		return fail_diff(diff, "%s: primary key '%s' differs from "
		    "'%s'", w->name, w->pk->name, g->pk->name);
	if (w->nuniques != g->nuniques)
		return fail_diff(diff, "%s: %zu uniques, got %zu", w->name,
		    w->nuniques, g->nuniques);
	for (i = 0; i < w->nuniques; i++)
		if (strcmp(w->uniques[i].name, g->uniques[i].name) != 0 ||
		    !ss_names_equal(&w->uniques[i].columns,
		    &g->uniques[i].columns))
			return fail_diff(diff, "%s: unique '%s' differs from "
			    "'%s'", w->name, w->uniques[i].name,
			    g->uniques[i].name);
	if (w->nindexes != g->nindexes)
		return fail_diff(diff, "%s: %zu indexes, got %zu", w->name,
		    w->nindexes, g->nindexes);
	for (i = 0; i < w->nindexes; i++) {
		const struct ss_index *wi = &w->indexes[i], *gi = &g->indexes[i];
		if (strcmp(wi->name, gi->name) != 0 || wi->unique != gi->unique ||
		    !same_expr_list(&wi->columns, &gi->columns) ||
		    (wi->where == NULL) != (gi->where == NULL) ||
		    (wi->where && !ss_sql_same_expr(wi->where, gi->where)))
			return fail_diff(diff, "%s: index '%s' differs from "
			    "'%s'", w->name, wi->name, gi->name);
	}
	if (w->nfks != g->nfks)
		return fail_diff(diff, "%s: %zu foreign keys, got %zu", w->name,
		    w->nfks, g->nfks);
	for (i = 0; i < w->nfks; i++) {
		const struct ss_fk *wf = &w->fks[i], *gf = &g->fks[i];
		if (strcmp(wf->name, gf->name) != 0 ||
		    !ss_names_equal(&wf->columns, &gf->columns) ||
		    strcmp(wf->ref_table, gf->ref_table) != 0 ||
		    !ss_names_equal(&wf->ref_columns, &gf->ref_columns) ||
		    wf->on_delete != gf->on_delete ||
		    wf->on_update != gf->on_update)
			return fail_diff(diff, "%s: foreign key '%s' differs "
			    "from '%s'", w->name, wf->name, gf->name);
	}
	if (w->nchecks != g->nchecks)
		return fail_diff(diff, "%s: %zu checks, got %zu", w->name,
		    w->nchecks, g->nchecks);
	for (i = 0; i < w->nchecks; i++)
		if (strcmp(w->checks[i].name, g->checks[i].name) != 0 ||
		    !ss_sql_same_expr(w->checks[i].expr, g->checks[i].expr))
			return fail_diff(diff, "%s: check '%s' (%s) differs "
			    "from '%s' (%s)", w->name, w->checks[i].name,
			    w->checks[i].expr, g->checks[i].name,
			    g->checks[i].expr);
	return true;
}

static bool
same_model(const struct ss_schema *w, const struct ss_schema *g,
    struct ss_buf *diff)
{
	const struct ss_enum *we, *ge;
	size_t i, j;

	if (w->ntables != g->ntables)
		return fail_diff(diff, "%zu tables, got %zu", w->ntables,
		    g->ntables);
	for (i = 0; i < w->ntables; i++) {
		if (strcmp(w->tables[i]->name, g->tables[i]->name) != 0)
			return fail_diff(diff, "table %zu is '%s', got '%s'", i,
			    w->tables[i]->name, g->tables[i]->name);
		if (!same_table(w->tables[i], g->tables[i], diff))
			return false;
	}
	/* SQLite keeps an enum only in the CHECKs of the columns using it. */
	for (i = 0; i < w->nenums; i++) {
		we = w->enums[i];
		ge = ss_schema_enum(g, we->name);
		if (!enum_used(w, we->name))
			continue;
		if (ge == NULL || ge->values.n != we->values.n)
			return fail_diff(diff, "enum '%s' missing or differs",
			    we->name);
		for (j = 0; j < we->values.n; j++)
			if (strcmp(we->values.v[j].name, ge->values.v[j].name))
				return fail_diff(diff, "enum '%s' value %zu",
				    we->name, j);
	}
	for (i = 0; i < g->nenums; i++)
		if (ss_schema_enum(w, g->enums[i]->name) == NULL)
			return fail_diff(diff, "unexpected enum '%s'",
			    g->enums[i]->name);
	return true;
}

/* Golden SQL. */

static void
check_golden(const char *golden, const char *got)
{
	FILE *f;
	char *want;

	if (getenv("SS_UPDATE_GOLDEN") != NULL) {
		f = fopen(golden, "wb");
		cr_assert_not_null(f, "cannot write %s", golden);
		fputs(got, f);
		fclose(f);
	}
	want = read_all(golden);
	cr_assert_str_eq(got, want, "%s differs; got:\n%s", golden, got);
	free(want);
}

Test(sqlite_ddl, golden_every_type_and_default)
{
	struct ss_schema s;
	struct ss_buf b = SS_BUF_INIT;
	char *yaml = read_all("tests/fixtures/sqlite_all.yaml");

	load_yaml(&s, "sqlite_all.yaml", yaml);
	emit_all(&b, &s);
	check_golden("tests/golden/sqlite_all.sql", b.s);
	ss_buf_release(&b);
	ss_schema_release(&s);
	free(yaml);
}

Test(sqlite_ddl, golden_spec_example)
{
	struct ss_schema s;
	struct ss_buf b = SS_BUF_INIT;
	char *yaml = read_all("tests/fixtures/blog.yaml");

	load_yaml(&s, "blog.yaml", yaml);
	emit_all(&b, &s);
	check_golden("tests/golden/blog_sqlite.sql", b.s);
	ss_buf_release(&b);
	ss_schema_release(&s);
	free(yaml);
}

Test(sqlite_ddl, quoting_cannot_be_escaped)
{
	struct ss_buf b = SS_BUF_INIT;

	ss_sqlite_quote_ident(&b, "x\"; DROP TABLE users; --");
	cr_assert_str_eq(b.s, "\"x\"\"; DROP TABLE users; --\"");
	ss_buf_reset(&b);
	ss_sqlite_quote_string(&b, "'); DROP TABLE users; --");
	cr_assert_str_eq(b.s, "'''); DROP TABLE users; --'");
	ss_buf_release(&b);
}

static void
default_sql(const struct ss_default *d, const char *want)
{
	struct ss_buf b = SS_BUF_INIT;

	ss_sqlite_default_sql(&b, d);
	cr_assert_str_eq(b.s, want);
	ss_buf_release(&b);
}

Test(sqlite_ddl, defaults_render_by_kind)
{
	default_sql(&(struct ss_default){ SS_DEFAULT_NONE, NULL }, "");
	default_sql(&(struct ss_default){ SS_DEFAULT_NULL, NULL }, "NULL");
	default_sql(&(struct ss_default){ SS_DEFAULT_BOOL, "true" }, "1");
	default_sql(&(struct ss_default){ SS_DEFAULT_BOOL, "false" }, "0");
	default_sql(&(struct ss_default){ SS_DEFAULT_NUMBER, "-4.5e2" },
	    "-4.5e2");
	default_sql(&(struct ss_default){ SS_DEFAULT_NUMBER, "1; DROP" },
	    "'1; DROP'");
	default_sql(&(struct ss_default){ SS_DEFAULT_STRING, "it's" },
	    "'it''s'");
	default_sql(&(struct ss_default){ SS_DEFAULT_SQL, "CURRENT_TIMESTAMP" },
	    "CURRENT_TIMESTAMP");
	default_sql(&(struct ss_default){ SS_DEFAULT_SQL, " current_date " },
	    "current_date");
	default_sql(&(struct ss_default){ SS_DEFAULT_SQL, "datetime('now')" },
	    "(datetime('now'))");
	default_sql(&(struct ss_default){ SS_DEFAULT_SQL, "1 -- one" },
	    "(1 -- one\n)");
}

static struct ss_default
parse_default(struct ss_arena *a, const char *text)
{
	struct ss_default d;

	ss_sqlite_default_parse(a, text, &d);
	return d;
}

Test(sqlite_ddl, defaults_parse_back_to_typed_literals)
{
	struct ss_arena a = SS_ARENA_INIT;
	struct ss_default d;

	d = parse_default(&a, NULL);
	cr_assert_eq(d.kind, SS_DEFAULT_NONE);
	d = parse_default(&a, "'it''s'");
	cr_assert_eq(d.kind, SS_DEFAULT_STRING);
	cr_assert_str_eq(d.value, "it's");
	d = parse_default(&a, "- 12");
	cr_assert_eq(d.kind, SS_DEFAULT_NUMBER);
	cr_assert_str_eq(d.value, "-12");
	d = parse_default(&a, "4.99");
	cr_assert_eq(d.kind, SS_DEFAULT_NUMBER);
	d = parse_default(&a, "0x1F");
	cr_assert_eq(d.kind, SS_DEFAULT_SQL);
	d = parse_default(&a, "null");
	cr_assert_eq(d.kind, SS_DEFAULT_NULL);
	d = parse_default(&a, "FALSE");
	cr_assert_eq(d.kind, SS_DEFAULT_BOOL);
	cr_assert_str_eq(d.value, "false");
	d = parse_default(&a, "abc");
	cr_assert_eq(d.kind, SS_DEFAULT_STRING);
	cr_assert_str_eq(d.value, "abc");
	d = parse_default(&a, "[r]");
	cr_assert_eq(d.kind, SS_DEFAULT_STRING);
	cr_assert_str_eq(d.value, "r");
	d = parse_default(&a, "CURRENT_TIMESTAMP");
	cr_assert_eq(d.kind, SS_DEFAULT_SQL);
	cr_assert_str_eq(d.value, "CURRENT_TIMESTAMP");
	d = parse_default(&a, "(datetime('now'))");
	cr_assert_eq(d.kind, SS_DEFAULT_SQL);
	cr_assert_str_eq(d.value, "datetime('now')");
	d = parse_default(&a, "((1 + 2))");
	cr_assert_str_eq(d.value, "(1 + 2)");
	d = parse_default(&a, "(0)");
	cr_assert_eq(d.kind, SS_DEFAULT_SQL);
	cr_assert_str_eq(d.value, "0");
	ss_arena_release(&a);
}

Test(sqlite_ddl, affinity_follows_sqlites_rules)
{
	cr_assert_str_eq(ss_sqlite_affinity("BIGINT"), "INTEGER");
	cr_assert_str_eq(ss_sqlite_affinity("point"), "INTEGER");	/* "INT" */
	cr_assert_str_eq(ss_sqlite_affinity("NVARCHAR(160)"), "TEXT");
	cr_assert_str_eq(ss_sqlite_affinity("BLOB SUB_TYPE TEXT"), "TEXT");
	cr_assert_str_eq(ss_sqlite_affinity("blob"), "BLOB");
	cr_assert_str_eq(ss_sqlite_affinity(""), "BLOB");
	cr_assert_str_eq(ss_sqlite_affinity("DOUBLE PRECISION"), "REAL");
	cr_assert_str_eq(ss_sqlite_affinity("floating point"), "INTEGER");
	cr_assert_str_eq(ss_sqlite_affinity("TIMESTAMP"), "NUMERIC");
	cr_assert_str_eq(ss_sqlite_affinity("DECIMAL(4,2)"), "NUMERIC");
}

static struct ss_type
ty(struct ss_schema *s, const char *text)
{
	struct ss_buf why = SS_BUF_INIT;
	struct ss_type t;

	cr_assert_eq(ss_type_parse(s, text, &t, &why), 0, "%s", why.s);
	ss_buf_release(&why);
	return t;
}

/* A pointer to a temporary copy of a type value. */
#define P(x) (&(struct ss_type[]){ x }[0])

static struct ss_type
other(const char *name)
{
	struct ss_type t = { SS_TYPE_OTHER, -1, -1, name };
	return t;
}

Test(sqlite_ddl, same_type_by_affinity_and_markers)
{
	struct ss_schema s;
	struct ss_type e1 = { SS_TYPE_ENUM, -1, -1, "mood" };
	struct ss_type e2 = { SS_TYPE_ENUM, -1, -1, "status" };
	struct ss_type t;

	ss_schema_init(&s);
	/* Same storage class: no diff. */
	t = ty(&s, "varchar(50)");
	cr_assert(ss_sqlite_same_type(&t, P(ty(&s, "text"))));
	cr_assert(ss_sqlite_same_type(&t, P(ty(&s, "timestamp"))));
	t = ty(&s, "integer");
	cr_assert(ss_sqlite_same_type(&t, P(ty(&s, "bigint"))));
	t = ty(&s, "numeric(10,2)");
	cr_assert(ss_sqlite_same_type(&t, P(ty(&s, "numeric"))));
	cr_assert(ss_sqlite_same_type(&t, P(other("DECIMAL(4,2)"))));
	t = ty(&s, "varchar(45)");
	cr_assert(ss_sqlite_same_type(&t, P(other("NVARCHAR(160)"))));
	/* Different storage class. */
	t = ty(&s, "text");
	cr_assert(!ss_sqlite_same_type(&t, P(ty(&s, "integer"))));
	cr_assert(!ss_sqlite_same_type(&t, P(ty(&s, "bytea"))));
	t = ty(&s, "double");
	cr_assert(!ss_sqlite_same_type(&t, P(ty(&s, "numeric"))));
	/* A declared type that names the desired type is that type. */
	t = ty(&s, "timestamp");
	cr_assert(ss_sqlite_same_type(&t, P(other("TIMESTAMP"))));
	cr_assert(!ss_sqlite_same_type(&t, P(other("DATETIME"))));
	t = ty(&s, "date");
	cr_assert(!ss_sqlite_same_type(&t, P(other("TIMESTAMP"))));
	/* Booleans and enums carry their CHECK. */
	t = ty(&s, "boolean");
	cr_assert(ss_sqlite_same_type(&t, &t));
	cr_assert(!ss_sqlite_same_type(&t, P(ty(&s, "integer"))));
	cr_assert(!ss_sqlite_same_type(P(ty(&s, "integer")), &t));
	cr_assert(ss_sqlite_same_type(&t, P(other("BOOL"))));
	cr_assert(ss_sqlite_same_type(&e1, &e1));
	cr_assert(!ss_sqlite_same_type(&e1, &e2));
	cr_assert(!ss_sqlite_same_type(&e1, P(ty(&s, "text"))));
	cr_assert(!ss_sqlite_same_type(P(ty(&s, "text")), &e1));
	/* Other types compare by affinity. */
	cr_assert(ss_sqlite_same_type(P(other("DATETIME")),
	    P(other("datetime"))));
	cr_assert(!ss_sqlite_same_type(P(other("DATETIME")),
	    P(ty(&s, "text"))));
	ss_schema_release(&s);
}

Test(sqlite_ddl, same_default_compares_rendered_sql)
{
	struct ss_column a, b;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.def = (struct ss_default){ SS_DEFAULT_BOOL, "true" };
	b.def = (struct ss_default){ SS_DEFAULT_NUMBER, "1" };
	cr_assert(ss_sqlite_same_default(&a, &b));
	b.def = (struct ss_default){ SS_DEFAULT_NUMBER, "0" };
	cr_assert(!ss_sqlite_same_default(&a, &b));
	a.def = (struct ss_default){ SS_DEFAULT_NONE, NULL };
	b.def = (struct ss_default){ SS_DEFAULT_NULL, NULL };
	cr_assert(ss_sqlite_same_default(&a, &b));
	a.def = (struct ss_default){ SS_DEFAULT_SQL, "datetime('now')" };
	b.def = (struct ss_default){ SS_DEFAULT_SQL, "datetime( 'now' )" };
	cr_assert(ss_sqlite_same_default(&a, &b));
	a.def = (struct ss_default){ SS_DEFAULT_NUMBER, "0" };
	b.def = (struct ss_default){ SS_DEFAULT_SQL, "0" };
	cr_assert(ss_sqlite_same_default(&a, &b));
	a.def = (struct ss_default){ SS_DEFAULT_STRING, "5" };
	b.def = (struct ss_default){ SS_DEFAULT_NUMBER, "5" };
	cr_assert(!ss_sqlite_same_default(&a, &b));
	a.def = (struct ss_default){ SS_DEFAULT_SQL, "CURRENT_TIMESTAMP" };
	b.def = (struct ss_default){ SS_DEFAULT_SQL, "current_timestamp" };
	cr_assert(ss_sqlite_same_default(&a, &b));
	b.def = (struct ss_default){ SS_DEFAULT_STRING, "CURRENT_TIMESTAMP" };
	cr_assert(!ss_sqlite_same_default(&a, &b));
	/* The same default, even one that does not tokenize cleanly. */
	a.def = (struct ss_default){ SS_DEFAULT_SQL, "'open" };
	b.def = (struct ss_default){ SS_DEFAULT_SQL, "'open" };
	cr_assert(ss_sqlite_same_default(&a, &b));
}

/* The round trip. */

static void
round_trip(const char *fixture)
{
	struct ss_schema want, got;
	struct ss_buf sql = SS_BUF_INIT, diff = SS_BUF_INIT;
	char *yaml = read_all(fixture);
	sqlite3 *db = open_db();

	load_yaml(&want, fixture, yaml);
	emit_all(&sql, &want);
	exec_sql(db, sql.s);
	introspect(db, &got);
	cr_assert(same_model(&want, &got, &diff), "%s: %s", fixture, diff.s);

	/* And the introspected model emits the very same SQL. */
	ss_buf_reset(&diff);
	emit_all(&diff, &got);
	cr_assert_str_eq(diff.s, sql.s);

	sqlite3_close(db);
	ss_schema_release(&got);
	ss_schema_release(&want);
	ss_buf_release(&sql);
	ss_buf_release(&diff);
	free(yaml);
}

Test(sqlite_ddl, round_trip_every_type)
{
	round_trip("tests/fixtures/sqlite_all.yaml");
}

Test(sqlite_ddl, round_trip_spec_example)
{
	round_trip("tests/fixtures/blog.yaml");
}

Test(sqlite_ddl, round_trip_colliding_generated_names)
{
	struct ss_schema s;
	char *yaml = read_all("tests/fixtures/sqlite_names.yaml");

	/* The fixture is only a test if the names do collide. */
	load_yaml(&s, "sqlite_names.yaml", yaml);
	cr_assert_str_eq(ss_schema_table(&s, "a")->pk->name, "a_pkey1");
	cr_assert_str_eq(ss_schema_table(&s, "a")->uniques[0].name,
	    "a_code_key1");
	ss_schema_release(&s);
	free(yaml);
	round_trip("tests/fixtures/sqlite_names.yaml");
}

Test(sqlite_ddl, introspected_details_of_the_round_trip)
{
	struct ss_schema want, got;
	struct ss_buf sql = SS_BUF_INIT;
	char *yaml = read_all("tests/fixtures/sqlite_all.yaml");
	sqlite3 *db = open_db();
	struct ss_table *t;
	struct ss_column *c;

	load_yaml(&want, "sqlite_all.yaml", yaml);
	emit_all(&sql, &want);
	exec_sql(db, sql.s);
	introspect(db, &got);

	t = ss_schema_table(&got, "users");
	cr_assert_not_null(t);
	c = ss_table_column(t, "active");
	cr_assert_eq(c->type.kind, SS_TYPE_BOOLEAN);
	cr_assert_eq(c->def.kind, SS_DEFAULT_BOOL);
	cr_assert_str_eq(c->def.value, "true");
	c = ss_table_column(t, "mood");
	cr_assert_eq(c->type.kind, SS_TYPE_ENUM);
	cr_assert_str_eq(c->type.name, "mood");
	c = ss_table_column(t, "sneaky");
	cr_assert_eq(c->def.kind, SS_DEFAULT_STRING);
	cr_assert_str_eq(c->def.value, "'); DROP TABLE users; --");
	c = ss_table_column(t, "seen");
	cr_assert_eq(c->type.kind, SS_TYPE_OTHER);
	cr_assert_str_eq(c->type.name, "DATETIME");
	c = ss_table_column(t, "id");
	cr_assert(c->autoincrement && c->primary_key && !c->nullable);
	cr_assert(ss_table_column(t, "email")->unique);
	cr_assert_eq(got.nenums, 2);
	cr_assert_eq(ss_schema_enum(&got, "post_status")->values.n, 3);
	cr_assert_str_eq(ss_schema_enum(&got, "post_status")->values.v[2].name,
	    "it's archived");
	cr_assert_not_null(ss_schema_table(&got, "x\"; DROP TABLE users; --"));
	cr_assert_not_null(ss_schema_table(&got, "plain"));
	cr_assert_eq(got.nothers, 0);

	sqlite3_close(db);
	ss_schema_release(&got);
	ss_schema_release(&want);
	ss_buf_release(&sql);
	free(yaml);
}

/* Shapes schemasync never writes but real databases have. */
Test(sqlite_ddl, introspect_real_world_shapes)
{
	struct ss_schema s;
	sqlite3 *db = open_db();
	struct ss_table *t;
	struct ss_column *c;
	struct ss_enum *e;

	exec_sql(db,
	    "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE, "
	    "  a INT, b INT, CHECK (a > 0), CHECK (a < b), CHECK (\"b\" > 0),"
	    "  UNIQUE (a, b));\n"
	    "CREATE TABLE posts (id INTEGER PRIMARY KEY AUTOINCREMENT,"
	    "  user_id INT REFERENCES users, x [weird type], y,"
	    "  owner INT REFERENCES USERS (ID) ON UPDATE SET DEFAULT,"
	    "  z TEXT DEFAULT (0) /* ) */);\n"
	    "CREATE TABLE kv (k TEXT, v TEXT, PRIMARY KEY (k DESC)) "
	    "  WITHOUT ROWID;\n"
	    "CREATE INDEX posts_expr ON posts (lower(x), [USER_ID]);\n"
	    "CREATE VIEW v AS SELECT * FROM users;\n"
	    "CREATE TRIGGER trg AFTER INSERT ON posts BEGIN SELECT 1; END;\n"
	    "CREATE TABLE bools (flag INTEGER CHECK (flag IN (0,1)),"
	    "  other BOOLEAN CHECK (other IN (0, 1)),"
	    "  st TEXT CONSTRAINT st CHECK (st IN ('a','b')),"
	    "  st2 TEXT CONSTRAINT st CHECK (st2 IN ('a','c')),"
	    "  st3 TEXT CONSTRAINT users CHECK (st3 IN ('z')));\n"
	    "ALTER TABLE bools ADD COLUMN added INTEGER NOT NULL DEFAULT -1;\n"
	    "INSERT INTO posts (x) VALUES (1); ANALYZE;\n");
	introspect(db, &s);

	t = ss_schema_table(&s, "users");
	cr_assert_str_eq(t->pk->name, "users_pkey");
	cr_assert(!ss_table_column(t, "id")->nullable, "a rowid alias");
	cr_assert_eq(t->nuniques, 2);
	cr_assert_str_eq(t->uniques[0].name, "users_email_key");
	cr_assert_str_eq(t->uniques[1].name, "users_a_b_key");
	cr_assert_eq(t->nchecks, 3);
	cr_assert_str_eq(t->checks[0].name, "users_a_check");
	cr_assert_str_eq(t->checks[1].name, "users_check");
	cr_assert_str_eq(t->checks[2].name, "users_b_check");
	cr_assert_str_eq(t->checks[2].expr, "\"b\" > 0");

	t = ss_schema_table(&s, "posts");
	cr_assert(ss_table_column(t, "id")->autoincrement);
	cr_assert_str_eq(t->fks[0].name, "posts_user_id_fkey");
	cr_assert_str_eq(t->fks[0].ref_columns.v[0].name, "id");
	cr_assert_str_eq(t->fks[1].name, "posts_owner_fkey");
	cr_assert_str_eq(t->fks[1].ref_table, "users");
	cr_assert_str_eq(t->fks[1].ref_columns.v[0].name, "id");
	cr_assert_eq(t->fks[1].on_update, SS_FK_SET_DEFAULT);
	c = ss_table_column(t, "x");
	cr_assert_eq(c->type.kind, SS_TYPE_OTHER);
	cr_assert_str_eq(c->type.name, "weird type");
	cr_assert_eq(ss_table_column(t, "y")->type.kind, SS_TYPE_BYTES);
	c = ss_table_column(t, "z");
	cr_assert_eq(c->def.kind, SS_DEFAULT_SQL);
	cr_assert_str_eq(c->def.value, "0");
	cr_assert_str_eq(t->indexes[0].columns.v[0].name, "lower(x)");
	cr_assert_str_eq(t->indexes[0].columns.v[1].name, "user_id");

	t = ss_schema_table(&s, "kv");
	cr_assert(!ss_table_column(t, "k")->nullable);

	t = ss_schema_table(&s, "bools");
	cr_assert_eq(ss_table_column(t, "flag")->type.kind, SS_TYPE_BOOLEAN);
	c = ss_table_column(t, "other");
	cr_assert_eq(c->type.kind, SS_TYPE_OTHER);
	cr_assert_eq(ss_table_column(t, "st")->type.kind, SS_TYPE_ENUM);
	cr_assert_eq(ss_table_column(t, "st2")->type.kind, SS_TYPE_TEXT);
	cr_assert_eq(ss_table_column(t, "st3")->type.kind, SS_TYPE_TEXT);
	cr_assert_eq(t->nchecks, 3);
	cr_assert_str_eq(t->checks[0].name, "bools_other_check");
	cr_assert_str_eq(t->checks[1].name, "st");
	cr_assert_str_eq(t->checks[2].name, "users");
	c = ss_table_column(t, "added");
	cr_assert_str_eq(c->def.value, "-1");
	cr_assert(!c->nullable);
	cr_assert_eq(s.nenums, 1);
	e = ss_schema_enum(&s, "st");
	cr_assert_eq(e->values.n, 2);

	/* sqlite_sequence and sqlite_stat1 exist, and are SQLite's own. */
	cr_assert_eq(s.ntables, 4);
	cr_assert_null(ss_schema_table(&s, "sqlite_sequence"));
	cr_assert_null(ss_schema_table(&s, "sqlite_stat1"));
	/* Views are read as declared views would be (their query). */
	cr_assert_eq(s.nviews, 1);
	cr_assert_str_eq(s.views[0]->name, "v");
	cr_assert_str_eq(s.views[0]->sql, "SELECT * FROM users");
	cr_assert_eq(s.nothers, 1);
	cr_assert_str_eq(s.others[0].kind, "trigger");
	cr_assert_str_eq(s.others[0].table, "posts");
	cr_assert(strstr(s.others[0].sql, "SELECT 1") != NULL);

	sqlite3_close(db);
	ss_schema_release(&s);
}

/*
 * A database written by hand, with no constraint names, introspects to
 * the model its schema files (what `pull` would write) load to: the
 * generated names are the loader's.
 */
Test(sqlite_ddl, unnamed_constraints_get_the_loaders_names)
{
	struct ss_schema want, got;
	struct ss_buf diff = SS_BUF_INIT;
	sqlite3 *db = open_db();

	exec_sql(db,
	    "CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY,"
	    "  email TEXT NOT NULL UNIQUE, nick TEXT UNIQUE);\n"
	    "CREATE TABLE posts (id INTEGER NOT NULL,"
	    "  user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,"
	    "  rank INTEGER DEFAULT 0 CHECK (rank >= 0),"
	    "  PRIMARY KEY (id),"
	    "  FOREIGN KEY (user_id) REFERENCES users ON UPDATE CASCADE);\n"
	    "CREATE INDEX posts_rank ON posts (rank DESC) WHERE rank > 0;\n");
	introspect(db, &got);
	load_yaml(&want, "pulled.yaml",
	    "tables:\n"
	    "  users:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      email: { type: text, nullable: false, unique: true }\n"
	    "      nick: { type: text, unique: true }\n"
	    "  posts:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      user_id: { type: integer, references: users.id, "
	    "on_delete: cascade }\n"
	    "      rank: { type: integer, default: 0 }\n"
	    "    foreign_keys:\n"
	    "      - { columns: [user_id], references: { table: users, "
	    "columns: [id] }, on_update: cascade }\n"
	    "    indexes:\n"
	    "      posts_rank: { columns: [rank DESC], where: rank > 0 }\n"
	    "    checks:\n"
	    "      posts_rank_check: rank >= 0\n");
	cr_assert(same_model(&want, &got, &diff), "%s", diff.s);
	cr_assert_str_eq(ss_schema_table(&got, "posts")->fks[1].name,
	    "posts_user_id_fkey1");
	sqlite3_close(db);
	ss_schema_release(&want);
	ss_schema_release(&got);
	ss_buf_release(&diff);
}

/* The compare helper must see differences, or the round trip proves
 * nothing. */
Test(sqlite_ddl, model_compare_sees_differences)
{
	static const char *const variants[] = {
		"tables: { t: { columns: { a: integer, b: text } } }",
		"tables: { t: { columns: { a: text, b: text } } }",
		"tables: { t: { columns: { a: { type: integer, nullable: false }, b: text } } }",
		"tables: { t: { columns: { a: { type: integer, default: 1 }, b: text } } }",
		"tables: { t: { columns: { a: boolean, b: text } } }",
		"tables: { t: { columns: { a: { type: integer, primary_key: true }, b: text } } }",
		"tables: { t: { columns: { a: { type: integer, unique: true }, b: text } } }",
		"tables: { t: { columns: { a: integer, b: text }, indexes: { i: { columns: [b] } } } }",
		"tables: { t: { columns: { a: integer, b: text }, indexes: { i: { columns: [b], where: \"a > 0\" } } } }",
		"tables: { t: { columns: { a: integer, b: text }, checks: { c: \"a > 0\" } } }",
		"tables: { t: { columns: { a: integer, b: text }, checks: { c: \"a > 1\" } } }",
		"enums: { e: [x] }\ntables: { t: { columns: { a: integer, b: e } } }",
		"enums: { e: [x, y] }\ntables: { t: { columns: { a: integer, b: e } } }",
		"tables: { t: { columns: { a: { type: integer, primary_key: true, autoincrement: true }, b: text } } }",
		"tables: { u: { columns: { id: { type: integer, primary_key: true } } },\n"
		"          t: { columns: { a: { type: integer, references: u.id }, b: text } } }",
		"tables: { u: { columns: { id: { type: integer, primary_key: true } } },\n"
		"          t: { columns: { a: { type: integer, references: u.id, on_delete: cascade }, b: text } } }",
	};
	size_t n = sizeof variants / sizeof variants[0], i, j;
	struct ss_schema *loaded = calloc(n, sizeof *loaded);
	struct ss_buf diff = SS_BUF_INIT;

	for (i = 0; i < n; i++)
		load_yaml(&loaded[i], "v.yaml", variants[i]);
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			ss_buf_reset(&diff);
			cr_assert_eq(same_model(&loaded[i], &loaded[j], &diff),
			    i == j, "variants %zu and %zu: %s", i, j, diff.s);
		}
	for (i = 0; i < n; i++)
		ss_schema_release(&loaded[i]);
	free(loaded);
	ss_buf_release(&diff);
}

Test(sqlite_ddl, introspect_errors_say_what)
{
	struct ss_schema s;
	struct ss_err err = SS_ERR_INIT;
	sqlite3 *db = open_db();

	/* CREATE TABLE ... AS SELECT is stored as a plain CREATE TABLE. */
	exec_sql(db, "CREATE TABLE src (x INT); CREATE TABLE copy AS "
	    "SELECT x, x + 1 AS y FROM src");
	introspect(db, &s);
	cr_assert_eq(ss_schema_table(&s, "copy")->ncolumns, 2);
	ss_schema_release(&s);

	/* Text SQLite once accepted but this parser cannot read (made
	 * with writable_schema) is reported with the table's name. */
	exec_sql(db, "CREATE TABLE users (a INTEGER)");
	exec_sql(db, "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET "
	    "sql = 'CREATE TABLE users (a INTEGER CHECK (a >)' WHERE "
	    "name = 'users'; PRAGMA writable_schema = OFF;");
	ss_schema_init(&s);
	cr_assert_lt(ss_sqlite_introspect(db, &s, &err), 0);
	cr_assert(strstr(err.msg.s, "introspecting 'users': cannot parse") !=
	    NULL, "%s", err.msg.s);
	cr_assert_eq(err.code, SS_EDB);
	ss_schema_release(&s);
	ss_err_release(&err);
	sqlite3_close(db);
}

Test(sqlite_ddl, introspect_wraps_sqlite_errors)
{
	struct ss_schema s;
	struct ss_err err = SS_ERR_INIT;
	char path[] = "/tmp/ss-not-a-db-XXXXXX";
	sqlite3 *db = NULL;
	FILE *f;
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	f = fdopen(fd, "wb");
	fputs("this is not a database, but it is long enough to be read as "
	    "one and rejected by SQLite's header check.....................",
	    f);
	fclose(f);
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	ss_schema_init(&s);
	cr_assert_eq(ss_sqlite_introspect(db, &s, &err), -SS_EDB);
	cr_assert(strstr(err.msg.s, "introspecting the schema: ") == err.msg.s,
	    "%s", err.msg.s);
	cr_assert(strstr(err.msg.s, "not a database") != NULL, "%s",
	    err.msg.s);
	ss_schema_release(&s);
	ss_err_release(&err);
	sqlite3_close(db);
	unlink(path);
}

/* The corpus of real-world schemas. */

static const char *
corpus_dir(void)
{
	static char buf[4096];
	const char *env = getenv("SS_CORPUS");
	struct stat st;

	snprintf(buf, sizeof buf, "%s/sqlite", env && *env ? env :
	    "../shared/corpus");
	if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
		return buf;
	snprintf(buf, sizeof buf, "/work/shared/corpus/sqlite");
	if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
		return buf;
	cr_assert_fail("the SQLite corpus is missing: set SS_CORPUS to the folder "
	    "holding sqlite/*.sql (tried %s/sqlite and "
	    "/work/shared/corpus/sqlite)", env && *env ? env :
	    "../shared/corpus");
	return NULL;
}

static sqlite3 *
corpus_db(const char *name, struct ss_schema *s)
{
	char path[4200];
	char *sql;
	sqlite3 *db = open_db();

	snprintf(path, sizeof path, "%s/%s.sql", corpus_dir(), name);
	sql = read_all(path);
	exec_sql(db, sql);
	free(sql);
	introspect(db, s);
	return db;
}

static size_t
count_fks(const struct ss_schema *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->ntables; i++)
		n += s->tables[i]->nfks;
	return n;
}

static size_t
count_others(const struct ss_schema *s, const char *kind)
{
	size_t i, n = 0;

	for (i = 0; i < s->nothers; i++)
		if (strcmp(s->others[i].kind, kind) == 0)
			n++;
	return n;
}

static const struct ss_index *
index_named(const struct ss_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nindexes; i++)
		if (strcmp(t->indexes[i].name, name) == 0)
			return &t->indexes[i];
	return NULL;
}

static const struct ss_fk *
fk_named(const struct ss_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nfks; i++)
		if (strcmp(t->fks[i].name, name) == 0)
			return &t->fks[i];
	return NULL;
}

static const struct ss_check *
check_named(const struct ss_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nchecks; i++)
		if (strcmp(t->checks[i].name, name) == 0)
			return &t->checks[i];
	return NULL;
}

Test(sqlite_corpus, chinook)
{
	struct ss_schema s;
	sqlite3 *db = corpus_db("chinook", &s);
	struct ss_table *t;
	struct ss_column *c;
	const struct ss_fk *fk;
	const struct ss_index *ix;

	cr_assert_eq(s.ntables, 11);
	cr_assert_eq(count_fks(&s), 11);
	cr_assert_eq(s.nothers, 0);
	cr_assert_eq(s.nenums, 0);
	t = ss_schema_table(&s, "Album");
	cr_assert_not_null(t);
	cr_assert_str_eq(t->pk->name, "PK_Album");
	cr_assert_str_eq(t->pk->columns.v[0].name, "AlbumId");
	c = ss_table_column(t, "Title");
	cr_assert_eq(c->type.kind, SS_TYPE_OTHER);
	cr_assert_str_eq(c->type.name, "NVARCHAR(160)");
	cr_assert(!c->nullable);
	fk = fk_named(t, "Album_ArtistId_fkey");
	cr_assert_not_null(fk, "generated fk name");
	cr_assert_str_eq(fk->ref_table, "Artist");
	cr_assert_str_eq(fk->ref_columns.v[0].name, "ArtistId");
	cr_assert_eq(fk->on_delete, SS_FK_NO_ACTION);
	ix = index_named(t, "IFK_AlbumArtistId");
	cr_assert_not_null(ix);
	cr_assert_str_eq(ix->columns.v[0].name, "ArtistId");
	cr_assert(!ix->unique && ix->where == NULL);
	t = ss_schema_table(&s, "PlaylistTrack");
	cr_assert_eq(t->pk->columns.n, 2);
	cr_assert_eq(t->nfks, 2);
	c = ss_table_column(ss_schema_table(&s, "Track"), "UnitPrice");
	cr_assert_str_eq(c->type.name, "NUMERIC(10,2)");
	sqlite3_close(db);
	ss_schema_release(&s);
}

Test(sqlite_corpus, sakila)
{
	struct ss_schema s;
	sqlite3 *db = corpus_db("sakila", &s);
	struct ss_table *t;
	struct ss_column *c;
	const struct ss_fk *fk;
	const struct ss_index *ix;
	const struct ss_check *ck;
	size_t i;

	cr_assert_eq(s.ntables, 16);
	cr_assert_eq(count_fks(&s), 22);
	cr_assert_eq(s.nviews, 5);
	cr_assert_eq(count_others(&s, "trigger"), 30);
	cr_assert_eq(s.nothers, 30);
	for (i = 0; i < s.nothers; i++)
		if (strcmp(s.others[i].kind, "trigger") == 0)
			cr_assert_not_null(ss_schema_table(&s,
			    s.others[i].table), "%s", s.others[i].name);
	t = ss_schema_table(&s, "film");
	c = ss_table_column(t, "rental_rate");
	cr_assert_eq(c->def.kind, SS_DEFAULT_NUMBER);
	cr_assert_str_eq(c->def.value, "4.99");
	cr_assert_str_eq(c->type.name, "DECIMAL(4,2)");
	c = ss_table_column(t, "description");
	cr_assert_str_eq(c->type.name, "BLOB SUB_TYPE TEXT");
	cr_assert_eq(c->def.kind, SS_DEFAULT_NULL);
	c = ss_table_column(t, "rating");
	cr_assert_eq(c->def.kind, SS_DEFAULT_STRING);
	cr_assert_str_eq(c->def.value, "G");
	ck = check_named(t, "CHECK_special_rating");
	cr_assert_not_null(ck);
	cr_assert_str_eq(ck->expr, "rating in ('G','PG','PG-13','R','NC-17')");
	cr_assert_not_null(check_named(t, "CHECK_special_features"));
	cr_assert_str_eq(t->pk->name, "film_pkey");
	cr_assert(!ss_table_column(t, "film_id")->nullable);
	c = ss_table_column(ss_schema_table(&s, "customer"), "active");
	cr_assert_str_eq(c->def.value, "Y");
	t = ss_schema_table(&s, "rental");
	ix = index_named(t, "idx_rental_uq");
	cr_assert(ix->unique);
	cr_assert_eq(ix->columns.n, 3);
	cr_assert_str_eq(ix->columns.v[2].name, "customer_id");
	fk = fk_named(ss_schema_table(&s, "payment"), "fk_payment_rental");
	cr_assert_not_null(fk);
	cr_assert_eq(fk->on_delete, SS_FK_SET_NULL);
	cr_assert_eq(fk->on_update, SS_FK_CASCADE);
	cr_assert_null(ss_schema_table(&s, "customer_list"));
	sqlite3_close(db);
	ss_schema_release(&s);
}

Test(sqlite_corpus, synapse)
{
	struct ss_schema s;
	sqlite3 *db = corpus_db("synapse", &s);
	struct ss_table *t;
	struct ss_column *c;
	const struct ss_index *ix;
	const struct ss_check *ck;
	const struct ss_fk *fk;
	size_t i;

	cr_assert_eq(s.ntables, 134);
	cr_assert_eq(count_fks(&s), 14);
	cr_assert_eq(count_others(&s, "virtual table"), 2);
	cr_assert_eq(count_others(&s, "trigger"), 1);
	cr_assert_eq(count_others(&s, "shadow table"), 10);
	cr_assert_eq(count_others(&s, "view"), 0);
	cr_assert_null(ss_schema_table(&s, "event_search"));
	cr_assert_null(ss_schema_table(&s, "event_search_content"));
	for (i = 0; i < s.nothers; i++)
		if (strcmp(s.others[i].kind, "shadow table") == 0)
			cr_assert(strncmp(s.others[i].name,
			    s.others[i].table, strlen(s.others[i].table)) == 0);
	cr_assert_eq(s.nenums, 0);

	t = ss_schema_table(&s, "events");
	cr_assert_str_eq(t->pk->columns.v[0].name, "stream_ordering");
	cr_assert(!ss_table_column(t, "stream_ordering")->nullable);
	cr_assert_str_eq(t->uniques[0].name, "events_event_id_key");
	cr_assert(ss_table_column(t, "event_id")->unique);
	ix = index_named(t, "event_contains_url_index");
	cr_assert_str_eq(ix->where, "contains_url = true AND outlier = false");
	cr_assert_eq(ix->columns.n, 3);
	/* SQLite lets a TEXT primary key hold NULL, but a key column is
	 * never nullable in the model (introspection note 5), or every pull
	 * of this schema would differ from its own database. */
	c = ss_table_column(ss_schema_table(&s, "destinations"), "destination");
	cr_assert(!c->nullable && c->primary_key);
	t = ss_schema_table(&s, "appservice_stream_position");
	ck = check_named(t, "appservice_stream_position_Lock_check");
	cr_assert_not_null(ck);
	cr_assert_str_eq(ck->expr, "Lock='X'");
	cr_assert_str_eq(t->uniques[0].name, "appservice_stream_position_Lock_key");
	cr_assert_str_eq(ss_table_column(t, "Lock")->def.value, "X");
	cr_assert_str_eq(ss_schema_table(&s, "background_updates")->uniques[0].name,
	    "background_updates_uniqueness");
	c = ss_table_column(ss_schema_table(&s, "redactions"), "have_censored");
	cr_assert_eq(c->def.kind, SS_DEFAULT_BOOL);
	cr_assert_str_eq(c->def.value, "false");
	cr_assert_eq(c->type.kind, SS_TYPE_OTHER);
	cr_assert_str_eq(c->type.name, "BOOL");
	t = ss_schema_table(&s, "refresh_tokens");
	fk = fk_named(t, "refresh_tokens_next_token_id_fkey");
	cr_assert_not_null(fk);
	cr_assert_eq(fk->on_delete, SS_FK_CASCADE);
	cr_assert(fk->from_column);
	ix = index_named(ss_schema_table(&s, "receipts_graph"),
	    "receipts_graph_unique_index");
	cr_assert(ix->unique);
	cr_assert_str_eq(ix->where, "thread_id IS NULL");
	for (i = 0; i < s.nothers; i++)
		if (strcmp(s.others[i].kind, "trigger") == 0)
			cr_assert_str_eq(s.others[i].table,
			    "partial_state_events");
	sqlite3_close(db);
	ss_schema_release(&s);
}

/*
 * Introspection reads every table in a constant number of statements.
 * The table-valued pragmas run a PRAGMA of their own per row they join,
 * inside SQLite (traced as "-- PRAGMA ..."); those are not statements
 * introspection issues.
 */
static int
count_stmt(unsigned type, void *ctx, void *p, void *x)
{
	(void)p;
	if (type == SQLITE_TRACE_STMT &&
	    strncmp((const char *)x, "--", 2) != 0)
		(*(int *)ctx)++;
	return 0;
}

Test(sqlite_corpus, constant_number_of_statements)
{
	struct ss_schema a, b;
	sqlite3 *db1 = corpus_db("chinook", &a), *db2 = corpus_db("synapse", &b);
	struct ss_schema s1, s2;
	int n1 = 0, n2 = 0;

	sqlite3_trace_v2(db1, SQLITE_TRACE_STMT, count_stmt, &n1);
	sqlite3_trace_v2(db2, SQLITE_TRACE_STMT, count_stmt, &n2);
	introspect(db1, &s1);
	introspect(db2, &s2);
	cr_assert_gt(n1, 0);
	cr_assert_eq(n1, n2, "chinook took %d statements, synapse %d", n1, n2);
	sqlite3_close(db1);
	sqlite3_close(db2);
	ss_schema_release(&a);
	ss_schema_release(&b);
	ss_schema_release(&s1);
	ss_schema_release(&s2);
}

/*
 * Random schemas: every combination the fixtures do not spell out. Each
 * is loaded, emitted, executed, introspected and compared, so that no
 * mix of types, defaults, keys and odd names leaves a phantom diff.
 */
static unsigned long rng_state;

static unsigned
rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)((rng_state >> 33) % n);
}

/* A YAML double-quoted scalar. */
static void
yq(struct ss_buf *b, const char *s)
{
	ss_buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			ss_buf_addc(b, '\\');
		ss_buf_addc(b, *s);
	}
	ss_buf_addc(b, '"');
}

/* An SQL-quoted identifier inside a YAML double-quoted scalar. */
static void
yq_ident_expr(struct ss_buf *b, const char *ident, const char *tail)
{
	struct ss_buf sql = SS_BUF_INIT;

	ss_sqlite_quote_ident(&sql, ident);
	ss_buf_adds(&sql, tail);
	yq(b, sql.s);
	ss_buf_release(&sql);
}

static const char *const rnd_names[] = { "id", "a", "b_c", "a\"b", "it's",
	"[x]", "sp ace", "ünï", "select", "`t`", "x\"; DROP TABLE t; --",
	"n1", "n2", "n3" };
static const char *const rnd_types[] = { "smallint", "integer", "bigint",
	"real", "double", "numeric(8,3)", "decimal", "boolean", "text",
	"varchar(30)", "char(2)", "date", "time", "timestamp", "timestamptz",
	"uuid", "json", "jsonb", "bytea", "blob", "e1", "e2", "DATETIME",
	"NVARCHAR(20)", "weird type" };

static void
rnd_default(struct ss_buf *y, const char *type)
{
	static const char *const strs[] = { "it's", "a\"b", "--", ";", "" };
	static const char *const sqls[] = { "CURRENT_TIMESTAMP",
		"current_date", "1 + 2", "lower('X')", "(0)" };

	switch (rnd(6)) {
	case 0:
		return;
	case 1:
		ss_buf_adds(y, ", default: null");
		return;
	case 2:
		ss_buf_adds(y, ", default: { sql: ");
		yq(y, sqls[rnd(5)]);
		ss_buf_adds(y, " }");
		return;
	}
	if (strcmp(type, "boolean") == 0)
		ss_buf_adds(y, rnd(2) ? ", default: true" : ", default: false");
	else if (strcmp(type, "e1") == 0)
		ss_buf_adds(y, ", default: \"it's\"");
	else if (strcmp(type, "e2") == 0)
		ss_buf_adds(y, ", default: z");
	else if (rnd(2))
		ss_buf_adds(y, rnd(2) ? ", default: -12" : ", default: 3.5e2");
	else {
		ss_buf_adds(y, ", default: ");
		yq(y, strs[rnd(5)]);
	}
}

static void
rnd_schema(struct ss_buf *y)
{
	size_t ntables = 1 + rnd(4), t, c, ncols;
	char used[14];
	const char *cols[8];
	const char *types[8];
	bool pk, composite, autoinc, t0_has_pk = false;

	ss_buf_adds(y, "enums:\n  e1: [\"it's\", b]\n  e2: [z]\ntables:\n");
	for (t = 0; t < ntables; t++) {
		ncols = 1 + rnd(6);
		memset(used, 0, sizeof used);
		for (c = 0; c < ncols; c++) {
			unsigned k;
			do
				k = rnd(sizeof rnd_names / sizeof *rnd_names);
			while (used[k]);
			used[k] = 1;
			cols[c] = rnd_names[k];
			types[c] = rnd_types[rnd(sizeof rnd_types /
			    sizeof *rnd_types)];
		}
		pk = rnd(3) != 0;
		composite = pk && ncols > 1 && rnd(3) == 0;
		autoinc = pk && !composite && rnd(2);
		if (t == 0)
			t0_has_pk = pk && !composite;
		if (autoinc)
			types[0] = rnd(2) ? "integer" : "bigint";
		ss_buf_addf(y, "  \"t%zu %s\":\n    columns:\n", t,
		    t % 2 ? "x\\\"y" : "it's");
		for (c = 0; c < ncols; c++) {
			ss_buf_adds(y, "      ");
			yq(y, cols[c]);
			ss_buf_adds(y, ": { type: ");
			yq(y, types[c]);
			if (c == 0 && pk && !composite)
				ss_buf_adds(y, ", primary_key: true");
			if (c == 0 && autoinc)
				ss_buf_adds(y, ", autoincrement: true");
			if (rnd(3) == 0)
				ss_buf_adds(y, ", nullable: false");
			if (c > 0 && rnd(5) == 0)
				ss_buf_adds(y, ", unique: true");
			if (c > 0 && t > 0 && t0_has_pk && rnd(4) == 0) {
				ss_buf_addf(y, ", references: \"t0 it's\"");
				ss_buf_adds(y, rnd(2) ? ", on_delete: cascade" :
				    ", on_update: set null");
			}
			rnd_default(y, types[c]);
			ss_buf_adds(y, " }\n");
		}
		if (composite) {
			ss_buf_adds(y, "    primary_key: [");
			yq(y, cols[1]);
			ss_buf_adds(y, ", ");
			yq(y, cols[0]);
			ss_buf_adds(y, "]\n");
		}
		if (rnd(2)) {
			ss_buf_adds(y, "    indexes:\n      - { columns: [");
			yq(y, cols[ncols - 1]);
			if (rnd(2)) {
				ss_buf_adds(y, ", ");
				yq(y, "lower('a') || 1");
			}
			ss_buf_adds(y, "]");
			if (rnd(2))
				ss_buf_adds(y, ", unique: true");
			if (rnd(2)) {
				ss_buf_adds(y, ", where: ");
				yq_ident_expr(y, cols[ncols - 1], " IS NOT NULL");
			}
			ss_buf_adds(y, " }\n");
		}
		if (rnd(2)) {
			ss_buf_adds(y, "    checks:\n      ");
			yq(y, cols[0]);
			ss_buf_adds(y, ": ");
			yq_ident_expr(y, cols[0], " IS NOT NULL OR 1 -- c");
			ss_buf_addc(y, '\n');
		}
	}
}

Test(sqlite_ddl, random_schemas_round_trip)
{
	struct ss_buf y = SS_BUF_INIT, sql = SS_BUF_INIT, again = SS_BUF_INIT,
	    diff = SS_BUF_INIT, msg = SS_BUF_INIT;
	struct ss_diags d = SS_DIAGS_INIT;
	struct ss_schema want, got;
	const char *name = "random.yaml", *text;
	int round, loaded = 0;
	size_t i;

	for (round = 0; round < 300; round++) {
		rng_state = (unsigned long)round * 7919UL + 1;
		ss_buf_reset(&y);
		rnd_schema(&y);
		text = y.s;
		ss_schema_init(&want);
		if (ss_load_buffers(&want, &name, &text, 1, &d) < 0) {
			/* The generator may draw what the loader refuses
			 * (an enum default on a composite key, ...). */
			ss_buf_reset(&msg);
			for (i = 0; i < d.n; i++)
				ss_diag_format(&msg, &d.v[i], 0);
			ss_diags_release(&d);
			memset(&d, 0, sizeof d);
			ss_schema_release(&want);
			continue;
		}
		loaded++;
		ss_buf_reset(&sql);
		emit_all(&sql, &want);
		{
			sqlite3 *db = open_db();
			char *err = NULL;
			if (sqlite3_exec(db, sql.s, NULL, NULL, &err) != SQLITE_OK)
				cr_assert_fail("round %d: %s\n%s\n%s", round,
				    err, y.s, sql.s);
			introspect(db, &got);
			sqlite3_close(db);
		}
		ss_buf_reset(&diff);
		cr_assert(same_model(&want, &got, &diff), "round %d: %s\n%s\n%s",
		    round, diff.s, y.s, sql.s);
		ss_buf_reset(&again);
		emit_all(&again, &got);
		cr_assert_str_eq(again.s, sql.s, "round %d", round);
		ss_schema_release(&got);
		ss_schema_release(&want);
	}
	cr_assert_gt(loaded, 270, "only %d of 300 random schemas loaded; "
	    "last error: %s", loaded, msg.s);
	ss_buf_release(&y);
	ss_buf_release(&sql);
	ss_buf_release(&again);
	ss_buf_release(&diff);
	ss_buf_release(&msg);
}

/* Views are read as declared views (their query); one with a column
 * list, which a declared view cannot say, stays an other. */
Test(sqlite_ddl, introspect_views)
{
	struct ss_schema s;
	sqlite3 *db = open_db();

	exec_sql(db,
	    "CREATE TABLE t (a INT, b INT);\n"
	    "CREATE VIEW \"odd \"\"v\" AS\n  SELECT a FROM t -- first\n;\n"
	    "CREATE VIEW named (x, y) AS SELECT a, b FROM t;\n"
	    "CREATE VIEW IF NOT EXISTS later AS SELECT x FROM named;\n");
	introspect(db, &s);
	cr_assert_eq(s.nviews, 2);
	cr_assert_str_eq(s.views[0]->name, "odd \"v");
	cr_assert_str_eq(s.views[0]->sql, "SELECT a FROM t -- first");
	cr_assert(!s.views[0]->materialized);
	cr_assert_str_eq(s.views[1]->name, "later");
	cr_assert_str_eq(s.views[1]->sql, "SELECT x FROM named");
	cr_assert_eq(s.nothers, 1);
	cr_assert_str_eq(s.others[0].kind, "view");
	cr_assert_str_eq(s.others[0].name, "named");
	sqlite3_close(db);
	ss_schema_release(&s);
}
