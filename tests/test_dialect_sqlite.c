/*
 * Golden SQL for the SQLite emitter (src/sqlite/dialect.c): two models
 * from YAML, diffed and planned as push does, emitted, and compared with
 * tests/golden/sqlite_emit_*.sql byte for byte. Pure: no database.
 * SS_UPDATE_GOLDEN=1 rewrites the files (review the diff before commit).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss/dialect.h"
#include "ss/load.h"

static void
load(struct ss_schema *s, const char *text)
{
	struct ss_diags d = SS_DIAGS_INIT;
	const char *names[] = { "t.yaml" };

	ss_schema_init(s);
	cr_assert_eq(ss_load_buffers(s, names, &text, 1, &d), 0, "%s",
	    d.n ? d.v[0].msg : "?");
	ss_diags_release(&d);
}

/*
 * The plan's SQL as --dry-run would run it: every change accepted, each
 * table holding rows rows as sq_measure counts them (-1: not counted).
 */
static char *
emit_models(struct ss_schema *c, struct ss_schema *d, long rows)
{
	const struct ss_dialect *dl = &ss_dialect_sqlite;
	struct ss_diff_opts o;
	struct ss_plan p;
	struct ss_steps st;
	struct ss_err err = SS_ERR_INIT;
	struct ss_count_request *reqs;
	struct ss_buf out = SS_BUF_INIT;
	size_t i, j, n;

	memset(&o, 0, sizeof o);
	o.same_type = dl->same_type;
	o.same_default = dl->same_default;
	o.same_expr = dl->same_expr;
	o.forward_fks = dl->forward_fks;
	o.fold_case = dl->names_fold_case;
	o.default_collation = dl->default_collation;
	o.breaks_views = dl->breaks_views;
	ss_plan_init(&p);
	cr_assert_eq(ss_diff(d, c, &o, &p, &err), 0, "%s", err.msg.s);
	n = ss_plan_count_requests(&p, &reqs);
	for (i = 0; i < n; i++)
		reqs[i].count = 0;	/* empty tables: everything is safe */
	ss_plan_classify(&p);
	cr_assert_eq(ss_plan_order(&p, &err), 0, "%s", err.msg.s);
	ss_plan_hold(&p, SS_ACCEPT(SS_CLASS_SAFE));
	for (i = 0; i < p.n; i++)
		if (p.v[i]->c_table != NULL)
			p.v[i]->rows = rows;
	ss_steps_init(&st);
	cr_assert_eq(dl->emit(&p, &st, &err), 0, "%s", err.msg.s);
	for (i = 0; i < st.n; i++)
		for (j = 0; j < st.v[i]->nsql; j++)
			ss_buf_addf(&out, "%s;\n", st.v[i]->sql[j]);
	ss_steps_release(&st);
	ss_plan_release(&p);
	ss_err_release(&err);
	return ss_buf_detach(&out);
}

static char *
emit_rows(const char *current, const char *desired, long rows)
{
	struct ss_schema c, d;
	char *sql;

	load(&c, current);
	load(&d, desired);
	sql = emit_models(&c, &d, rows);
	ss_schema_release(&c);
	ss_schema_release(&d);
	return sql;
}

static char *
emit(const char *current, const char *desired)
{
	return emit_rows(current, desired, -1);
}

static void
golden(const char *name, const char *got)
{
	char path[256], *want = NULL;
	size_t len = 0;
	struct ss_err err = SS_ERR_INIT;
	FILE *f;

	snprintf(path, sizeof path, "tests/golden/sqlite_emit_%s.sql", name);
	if (getenv("SS_UPDATE_GOLDEN") != NULL) {
		cr_assert_not_null(f = fopen(path, "w"));
		fputs(got, f);
		fclose(f);
	}
	cr_assert_eq(ss_read_file(path, &want, &len, &err), 0, "%s", err.msg.s);
	cr_expect_str_eq(got, want, "%s differs", path);
	free(want);
	ss_err_release(&err);
}

#define BASE \
	"tables:\n" \
	"  users:\n" \
	"    columns:\n" \
	"      id: { type: integer, primary_key: true, autoincrement: true }\n" \
	"      email: { type: text, nullable: false }\n" \
	"      name: text\n" \
	"      legacy: text\n"

Test(dialect_sqlite, alter_where_sqlite_can)
{
	char *sql = emit(BASE,
	    "tables:\n"
	    "  users:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true, autoincrement: true }\n"
	    "      email: { type: text, nullable: false }\n"
	    "      full_name: { type: text, renamed_from: name }\n"
	    "      age: { type: integer, nullable: false, default: 0 }\n"
	    "    indexes:\n"
	    "      users_email_idx: { columns: [email] }\n"
	    "  tags:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      user_id: { type: integer, references: users.id, on_delete: cascade }\n");

	golden("alter", sql);
	free(sql);
}

/* A rebuild of users: a new unique key, a column renamed, a NOT NULL
 * column added, a check. */
#define REBUILT \
	"tables:\n" \
	"  users:\n" \
	"    columns:\n" \
	"      id: { type: integer, primary_key: true, autoincrement: true }\n" \
	"      email: { type: text, unique: true }\n" \
	"      name: { type: text, renamed_from: legacy_name }\n" \
	"      flag: { type: boolean, nullable: false, default: false }\n" \
	"    checks:\n" \
	"      users_email_at: \"email LIKE '%@%'\"\n"

Test(dialect_sqlite, one_rebuild_carries_every_change_of_its_table)
{
	char *sql = emit(BASE, REBUILT);

	golden("rebuild", sql);
	free(sql);
}

/* The same of a table counted at 1,000 rows or fewer: through a TEMP
 * copy, no RENAME (src/sqlite/dialect.c note 9); at 1,001, renamed. */
Test(dialect_sqlite, a_small_table_is_rebuilt_through_a_temp_copy)
{
	static const char desired[] = REBUILT;
	char *sql = emit_rows(BASE, desired, 1000);
	char *big = emit_rows(BASE, desired, 1001);
	char *uncounted = emit(BASE, desired);

	golden("rebuild_temp", sql);
	cr_expect_str_eq(big, uncounted);
	free(sql);
	free(big);
	free(uncounted);
}

/*
 * A rebuild keeps the declared type of a column whose type the plan
 * leaves alone (src/sqlite/dialect.c note 10): a pulled TIMESTAMP or
 * BOOLEAN is "the same" as the files' timestamp and boolean, but the
 * convention's TEXT would turn numbers into text and its CHECK would
 * refuse a 2. The column whose type changes gets the files' type.
 */
Test(dialect_sqlite, a_rebuild_keeps_the_declared_types_it_does_not_change)
{
	static const char *const cols =
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      at: timestamp\n"
	    "      b: boolean\n";
	struct ss_schema c, d;
	struct ss_buf y = SS_BUF_INIT;
	char *sql;

	ss_buf_adds(&y, cols);
	ss_buf_adds(&y, "      n: integer\n");
	load(&c, y.s);
	ss_buf_reset(&y);
	ss_buf_adds(&y, cols);
	ss_buf_adds(&y, "      n: text\n");
	/* As introspection reads a table schemasync did not create. */
	c.tables[0]->columns[1].type.kind = SS_TYPE_OTHER;
	c.tables[0]->columns[1].type.name = "TIMESTAMP";
	c.tables[0]->columns[2].type.kind = SS_TYPE_OTHER;
	c.tables[0]->columns[2].type.name = "BOOLEAN";
	load(&d, y.s);
	sql = emit_models(&c, &d, -1);
	cr_expect(strstr(sql, "\"at\" TIMESTAMP,\n") != NULL, "%s", sql);
	cr_expect(strstr(sql, "\"b\" BOOLEAN,\n") != NULL, "%s", sql);
	cr_expect(strstr(sql, "CHECK") == NULL, "%s", sql);
	free(sql);
	/* A type change of at itself writes the files' type. */
	ss_schema_release(&d);
	ss_buf_reset(&y);
	ss_buf_adds(&y, "tables:\n  t:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      at: integer\n      b: boolean\n      n: integer\n");
	load(&d, y.s);
	sql = emit_models(&c, &d, -1);
	cr_expect(strstr(sql, "\"at\" INTEGER,\n") != NULL, "%s", sql);
	cr_expect(strstr(sql, "\"b\" BOOLEAN,\n") != NULL, "%s", sql);
	free(sql);
	ss_buf_release(&y);
	ss_schema_release(&c);
	ss_schema_release(&d);
}

Test(dialect_sqlite, names_are_quoted_and_literals_escaped)
{
	char *sql = emit("tables:\n  \"x\\\"; DROP TABLE users; --\":\n"
	    "    columns:\n      id: integer\n",
	    "tables:\n  \"x\\\"; DROP TABLE users; --\":\n"
	    "    columns:\n      id: integer\n"
	    "      \"it's\": { type: text, default: \"'); DROP TABLE x; --\" }\n");

	golden("quoting", sql);
	free(sql);
}

/* Deferrable foreign keys and the table options: a rebuild whose new
 * table is made with the files' DEFERRABLE, WITHOUT ROWID and STRICT. */
Test(dialect_sqlite, rebuild_writes_deferral_and_table_options)
{
	char *sql = emit(
	    "tables:\n"
	    "  p:\n    columns:\n      id: { type: integer, primary_key: true }\n"
	    "  k:\n    columns:\n      id: { type: text, primary_key: true }\n"
	    "      p_id: integer\n"
	    "    foreign_keys:\n      k_p_fk: { columns: [p_id], references: "
	    "{ table: p } }\n",
	    "tables:\n"
	    "  p:\n    strict: true\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "  k:\n    strict: true\n    without_rowid: true\n    columns:\n"
	    "      id: { type: text, primary_key: true }\n"
	    "      p_id: integer\n"
	    "    foreign_keys:\n      k_p_fk: { columns: [p_id], references: "
	    "{ table: p }, initially_deferred: true }\n");

	golden("options", sql);
	free(sql);
}

/* SQLite's AUTOINCREMENT is only for the INTEGER PRIMARY KEY: the
 * dialect refuses it elsewhere, at the key, before anything runs. */
Test(dialect_sqlite, autoincrement_only_on_the_primary_key)
{
	struct ss_schema s;
	struct ss_diags d = SS_DIAGS_INIT;
	struct ss_buf b = SS_BUF_INIT;
	size_t i;

	load(&s,
	    "tables:\n"
	    "  a:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true, autoincrement: always }\n"
	    "  b:\n"
	    "    columns:\n"
	    "      x: integer\n"
	    "      n: { type: integer, autoincrement: true }\n"
	    "    primary_key: [x, n]\n"
	    "  c:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      seq: { type: bigint, autoincrement: true }\n");
	cr_assert_not_null(ss_dialect_sqlite.check);
	cr_assert_eq(ss_dialect_sqlite.check(&s, &d), 2);
	for (i = 0; i < d.n; i++) {
		ss_diag_format(&b, &d.v[i], 0);
		ss_buf_addc(&b, '\n');
	}
	cr_expect_str_eq(b.s,
	    "t.yaml:8:27: error: 'autoincrement' needs 'n' to be the table's "
	    "only primary key column: SQLite has AUTOINCREMENT only for the "
	    "INTEGER PRIMARY KEY\n"
	    "t.yaml:13:28: error: 'autoincrement' needs 'seq' to be the table's "
	    "only primary key column: SQLite has AUTOINCREMENT only for the "
	    "INTEGER PRIMARY KEY\n");
	ss_diags_release(&d);
	{
		struct ss_diags none = SS_DIAGS_INIT;
		d = none;
	}
	cr_expect_eq(ss_dialect_postgres.check(&s, &d), 0,
	    "PostgreSQL has them anywhere");
	ss_buf_release(&b);
	ss_diags_release(&d);
	ss_schema_release(&s);
}

/*
 * Generated columns and collations: a VIRTUAL column is added by ALTER
 * TABLE; a STORED one, a changed expression or collation rebuild the
 * table, whose copy leaves the generated columns out. BINARY is the
 * default collation, and names compare without case.
 */
Test(dialect_sqlite, generated_columns_and_collations)
{
	char *sql = emit(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      a: integer\n"
	    "      b: { type: integer, generated: { sql: \"a * 2\", stored: true } }\n"
	    "      e: { type: text, collation: nocase }\n"
	    "      f: { type: text, collation: BINARY }\n"
	    "  v:\n"
	    "    columns:\n"
	    "      a: integer\n",
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      a: integer\n"
	    "      b: { type: integer, generated: { sql: \"a * 3\", stored: true } }\n"
	    "      e: { type: text, collation: RTRIM }\n"
	    "      f: text\n"
	    "      s: { type: integer, generated: { sql: \"a + 1\", stored: true } }\n"
	    "  v:\n"
	    "    columns:\n"
	    "      a: integer\n"
	    "      h: { type: integer, generated: { sql: \"a / 2\" } }\n"
	    "      n: { type: text, collation: NOCASE }\n");

	golden("generated", sql);
	free(sql);
}

/* SQLite keeps no identity options, no generated column in the primary
 * key and no collation it does not have: refused at their place. */
Test(dialect_sqlite, refuses_what_it_cannot_keep)
{
	struct ss_schema s;
	struct ss_diags d = SS_DIAGS_INIT;
	struct ss_buf b = SS_BUF_INIT;
	size_t i;

	load(&s,
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true, autoincrement: { start: 10 } }\n"
	    "      g: { type: integer, primary_key: true, generated: { sql: \"id + 1\", stored: true } }\n"
	    "      c: { type: text, collation: und-x-icu }\n"
	    "      ok: { type: text, collation: nocase }\n");
	cr_assert_eq(ss_dialect_sqlite.check(&s, &d), 4);
	for (i = 0; i < d.n; i++) {
		ss_diag_format(&b, &d.v[i], 0);
		ss_buf_addc(&b, '\n');
	}
	cr_expect_str_eq(b.s,
	    "t.yaml:4:47: error: 'autoincrement' of 'id' has a start or "
	    "increment: SQLite's AUTOINCREMENT has neither\n"
	    "t.yaml:5:46: error: generated column 'g' cannot be in the primary "
	    "key on SQLite\n"
	    "t.yaml:6:35: error: unknown collation 'und-x-icu' for SQLite (it "
	    "has BINARY, NOCASE and RTRIM)\n"
	    "t.yaml:4:47: error: 'autoincrement' needs 'id' to be the table's "
	    "only primary key column: SQLite has AUTOINCREMENT only for the "
	    "INTEGER PRIMARY KEY\n");
	ss_buf_release(&b);
	ss_diags_release(&d);
	ss_schema_release(&s);
}

/* Declared views: dropped before the rebuild of the table they read,
 * created after it, a view after the view it reads. */
Test(dialect_sqlite, views_around_a_rebuild)
{
	char *sql = emit(BASE
	    "views:\n"
	    "  names: SELECT id, name FROM users\n"
	    "  top: SELECT * FROM names\n"
	    "  spare: SELECT 1\n",
	    "tables:\n"
	    "  users:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true, autoincrement: true }\n"
	    "      email: { type: text, nullable: false }\n"
	    "      name: text\n"
	    "      legacy: text\n"
	    "    checks:\n"
	    "      users_name_ok: \"name <> ''\"\n"
	    "views:\n"
	    "  top: SELECT * FROM names\n"
	    "  names: SELECT id, name FROM users\n"
	    "  spare: SELECT 2 -- changed\n"
	    "  \"odd \\\"name\": SELECT 3\n");

	golden("views", sql);
	free(sql);
}
