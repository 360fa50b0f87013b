/* Tests for src/yamlout.c: what pull writes loads back to the same model. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ss/load.h"
#include "ss/yamlout.h"

static const char example[] =
	"enums:\n"
	"  post_status: [draft, published, \"true\"]\n"
	"tables:\n"
	"  users:\n"
	"    comment: people who log in\n"
	"    columns:\n"
	"      id: { type: bigint, primary_key: true, autoincrement: true }\n"
	"      email: { type: text, nullable: false, unique: true }\n"
	"      name: text\n"
	"      status: { type: text, nullable: false, default: active }\n"
	"      flag: { type: text, default: \"true\" }\n"
	"      zero: { type: text, default: \"0\" }\n"
	"      empty: { type: text, default: \"\" }\n"
	"      quote: { type: text, default: \"it's: #1\" }\n"
	"      karma: { type: integer, nullable: false, default: 0 }\n"
	"      ratio: { type: double, default: -1.5e3 }\n"
	"      ok: { type: boolean, default: false }\n"
	"      gone: { type: text, default: null }\n"
	"      created_at: { type: timestamp, nullable: false, default: { sql: CURRENT_TIMESTAMP } }\n"
	"      odd\"name: { type: varchar(20), comment: \"x: y\" }\n"
	"    indexes:\n"
	"      users_name_idx: { columns: [name] }\n"
	"      users_live_email: { columns: [email], unique: true, where: \"status <> 'deleted'\" }\n"
	"      users_lower: { columns: [\"lower(email)\"] }\n"
	"    checks:\n"
	"      users_karma_positive: \"karma >= 0\"\n"
	"  posts:\n"
	"    columns:\n"
	"      id: { type: bigint, primary_key: true, autoincrement: true }\n"
	"      user_id: { type: bigint, nullable: false, references: users.id, on_delete: cascade }\n"
	"      editor_id: { type: bigint, references: users.id, on_delete: set null, on_update: restrict }\n"
	"      status: { type: post_status, nullable: false, default: draft }\n"
	"    foreign_keys:\n"
	"      posts_author_fk: { columns: [user_id], references: { table: users, columns: [id] }, on_delete: cascade }\n"
	"  post_tags:\n"
	"    columns:\n"
	"      post_id: { type: bigint, references: posts }\n"
	"      tag: text\n"
	"    primary_key: [post_id, tag]\n";

static void
load(struct ss_schema *s, const char *text)
{
	struct ss_diags d = SS_DIAGS_INIT;
	const char *names[] = { "a.yaml" };
	struct ss_buf b = SS_BUF_INIT;

	ss_schema_init(s);
	if (ss_load_buffers(s, names, &text, 1, &d) < 0) {
		ss_diag_format(&b, &d.v[0], 0);
		cr_assert_fail("load failed: %s\n%s", b.s, text);
	}
	ss_buf_release(&b);
	ss_diags_release(&d);
}

static char *
write(const struct ss_schema *s, const char *header)
{
	struct ss_err err = SS_ERR_INIT;
	struct ss_buf b = SS_BUF_INIT;

	cr_assert_eq(ss_yaml_write(s, header, &b, &err), 0, "%s", err.msg.s);
	ss_err_release(&err);
	return ss_buf_detach(&b);
}

Test(yamlout, round_trip_is_a_fixpoint)
{
	struct ss_schema a, b;
	char *ta, *tb;

	load(&a, example);
	ta = write(&a, "pulled from sqlite:dev.db\nleft alone: 1 view");
	cr_expect(strncmp(ta, "# pulled from sqlite:dev.db\n# left alone: 1 view\n", 48) == 0, "%s", ta);
	load(&b, ta);
	tb = write(&b, "pulled from sqlite:dev.db\nleft alone: 1 view");
	cr_expect_str_eq(ta, tb);
	cr_expect_eq(b.ntables, 3);
	cr_expect_eq(b.nenums, 1);
	free(ta);
	free(tb);
	ss_schema_release(&a);
	ss_schema_release(&b);
}

Test(yamlout, typed_defaults_survive)
{
	struct ss_schema a, b;
	struct ss_table *t;
	char *text;

	load(&a, example);
	text = write(&a, NULL);
	load(&b, text);
	t = ss_schema_table(&b, "users");
	cr_assert_not_null(t);
	cr_expect_eq(ss_table_column(t, "flag")->def.kind, SS_DEFAULT_STRING);
	cr_expect_str_eq(ss_table_column(t, "flag")->def.value, "true");
	cr_expect_eq(ss_table_column(t, "zero")->def.kind, SS_DEFAULT_STRING);
	cr_expect_eq(ss_table_column(t, "empty")->def.kind, SS_DEFAULT_STRING);
	cr_expect_str_eq(ss_table_column(t, "quote")->def.value, "it's: #1");
	cr_expect_eq(ss_table_column(t, "karma")->def.kind, SS_DEFAULT_NUMBER);
	cr_expect_str_eq(ss_table_column(t, "ratio")->def.value, "-1.5e3");
	cr_expect_eq(ss_table_column(t, "ok")->def.kind, SS_DEFAULT_BOOL);
	cr_expect_eq(ss_table_column(t, "gone")->def.kind, SS_DEFAULT_NULL);
	cr_expect_eq(ss_table_column(t, "created_at")->def.kind, SS_DEFAULT_SQL);
	cr_expect_not_null(ss_table_column(t, "odd\"name"));
	cr_expect_str_eq(ss_table_column(t, "odd\"name")->comment, "x: y");
	cr_expect_str_eq(t->comment, "people who log in");
	cr_expect_str_eq(ss_schema_enum(&b, "post_status")->values.v[2].name, "true");
	free(text);
	ss_schema_release(&a);
	ss_schema_release(&b);
}

Test(yamlout, names_that_shorthands_cannot_say_are_kept)
{
	struct ss_schema a, b;
	struct ss_table *t;
	char *text;

	load(&a, example);
	text = write(&a, NULL);
	cr_expect(strstr(text, "posts_author_fk: {columns: [user_id], references: {table: users, columns: [id]}, on_delete: cascade}") != NULL, "%s", text);
	cr_expect(strstr(text, "references: users.id, on_delete: set null, on_update: restrict") != NULL, "%s", text);
	cr_expect(strstr(text, "primary_key: [post_id, tag]") != NULL, "%s", text);
	load(&b, text);
	t = ss_schema_table(&b, "posts");
	cr_assert_eq(t->nfks, 3);
	cr_expect_str_eq(t->fks[0].name, "posts_user_id_fkey");
	cr_expect_str_eq(t->fks[2].name, "posts_author_fk");
	cr_expect_eq(t->fks[1].on_delete, SS_FK_SET_NULL);
	cr_expect_eq(t->fks[1].on_update, SS_FK_RESTRICT);
	t = ss_schema_table(&b, "users");
	cr_expect_str_eq(t->uniques[0].name, "users_email_key");
	cr_expect_str_eq(t->indexes[1].where, "status <> 'deleted'");
	cr_expect_str_eq(t->indexes[2].columns.v[0].name, "lower(email)");
	free(text);
	ss_schema_release(&a);
	ss_schema_release(&b);
}

/* A unique constraint stays a constraint (not a unique index): written
 * with the indexes, under its own name, with constraint: true. */
Test(yamlout, renamed_unique_constraint_stays_a_named_constraint)
{
	struct ss_schema a, b;
	struct ss_key *u;
	char *text;

	load(&a, "tables:\n  t:\n    columns:\n      a: { type: text, unique: true }\n");
	u = &ss_schema_table(&a, "t")->uniques[0];
	u->name = "t_a_uq";	/* as introspection would find it */
	text = write(&a, NULL);
	cr_expect(strstr(text, "t_a_uq: {columns: [a], unique: true, constraint: true}") != NULL, "%s", text);
	load(&b, text);
	cr_assert_eq(ss_schema_table(&b, "t")->nindexes, 0);
	cr_assert_eq(ss_schema_table(&b, "t")->nuniques, 1);
	cr_expect_str_eq(ss_schema_table(&b, "t")->uniques[0].name, "t_a_uq");
	free(text);
	ss_schema_release(&a);
	ss_schema_release(&b);
}

/* Identity columns wherever PostgreSQL has them, as pull finds them: the
 * file says always where it is ALWAYS, and loads back the same. */
Test(yamlout, autoincrement_anywhere_and_always)
{
	struct ss_schema a, b;
	struct ss_table *t;
	struct ss_column *c;
	char *text;

	load(&a, "tables:\n  t:\n    columns:\n"
	    "      k: integer\n      m: integer\n      n: bigint\n"
	    "      s: integer\n"
	    "    primary_key: [k, m]\n");
	t = ss_schema_table(&a, "t");
	c = ss_table_column(t, "n");	/* GENERATED ALWAYS AS IDENTITY */
	c->autoincrement = c->always = true;
	c->nullable = false;
	c = ss_table_column(t, "s");	/* serial, no key */
	c->autoincrement = c->serial = true;
	c->nullable = false;
	text = write(&a, NULL);
	cr_expect(strstr(text, "n: {type: bigint, autoincrement: always}") != NULL,
	    "%s", text);
	cr_expect(strstr(text, "s: {type: integer, autoincrement: true}") != NULL,
	    "%s", text);
	load(&b, text);
	t = ss_schema_table(&b, "t");
	c = ss_table_column(t, "n");
	cr_expect(c->autoincrement && c->always && !c->nullable);
	c = ss_table_column(t, "s");
	cr_expect(c->autoincrement && !c->always && !c->nullable);
	free(text);
	ss_schema_release(&a);
	ss_schema_release(&b);
}

Test(yamlout, text_that_yaml_reads_as_a_number_is_quoted)
{
	static const char *const texts[] = { "0o17", "0x1F", ".inf", "-.Inf",
		".nan", "1_000", "0b101", NULL };
	struct ss_buf y = SS_BUF_INIT;
	struct ss_schema a, b;
	struct ss_table *t;
	char *text, col[8];
	size_t i;

	ss_buf_adds(&y, "tables:\n  t:\n    columns:\n");
	for (i = 0; texts[i] != NULL; i++)
		ss_buf_addf(&y, "      c%zu: { type: text, default: \"%s\" }\n", i,
		    texts[i]);
	load(&a, y.s);
	text = write(&a, NULL);
	load(&b, text);
	t = ss_schema_table(&b, "t");
	for (i = 0; texts[i] != NULL; i++) {
		snprintf(col, sizeof col, "c%zu", i);
		cr_expect_eq(ss_table_column(t, col)->def.kind,
		    SS_DEFAULT_STRING, "%s:\n%s", texts[i], text);
		cr_expect_str_eq(ss_table_column(t, col)->def.value, texts[i]);
	}
	free(text);
	ss_buf_release(&y);
	ss_schema_release(&a);
	ss_schema_release(&b);
}

/* Deferrable/MATCH FULL keys take the long form; NO INHERIT checks the
 * mapping form; table options are written; all load back the same. */
Test(yamlout, deferral_match_no_inherit_and_table_options)
{
	struct ss_schema a, b;
	struct ss_table *t;
	char *text;

	load(&a, "tables:\n  p:\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "  k:\n    strict: true\n    without_rowid: true\n    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      p_id: { type: integer, references: p.id }\n"
	    "    checks:\n      k_pos: { sql: \"id > 0\", no_inherit: true }\n");
	t = ss_schema_table(&a, "k");
	t->fks[0].deferrable = t->fks[0].initially_deferred = true;
	t->fks[0].match_full = true;
	text = write(&a, NULL);
	cr_expect(strstr(text, "strict: true\n    without_rowid: true\n") !=
	    NULL, "%s", text);
	cr_expect(strstr(text, "k_p_id_fkey: {columns: [p_id], references: "
	    "{table: p, columns: [id]}, deferrable: true, initially_deferred: "
	    "true, match: full}") != NULL, "%s", text);
	cr_expect(strstr(text, "k_pos: {sql: id > 0, no_inherit: true}") !=
	    NULL, "%s", text);
	load(&b, text);
	t = ss_schema_table(&b, "k");
	cr_expect(t->strict && t->without_rowid);
	cr_expect(t->fks[0].deferrable && t->fks[0].initially_deferred &&
	    t->fks[0].match_full);
	cr_expect(t->checks[0].no_inherit);
	cr_expect_str_eq(t->checks[0].expr, "id > 0");
	free(text);
	ss_schema_release(&a);
	ss_schema_release(&b);
}

/* Index methods and options are written in the form the loader reads
 * back to the same model: options as mappings, a column whose name
 * ends in a word after a space too. */
Test(yamlout, index_methods_and_options_round_trip)
{
	struct ss_schema a, b;
	char *text, *again;

	load(&a, "tables:\n  t:\n    columns:\n      a: text\n"
	    "      \"b desc\": text\n      j: jsonb\n"
	    "    indexes:\n"
	    "      t_a: { columns: [\"a DESC NULLS LAST\", \"b desc\"] }\n"
	    "      t_j: { columns: [\"j jsonb_path_ops\"], using: gin }\n"
	    "      t_u: { columns: [a], unique: true, include: [j], nulls_not_distinct: true }\n"
	    "      t_k: { columns: [a, j], unique: true, constraint: true, deferrable: true }\n");
	text = write(&a, NULL);
	cr_expect(strstr(text, "t_a: {columns: [{column: a, order: desc, nulls: last}, {column: b desc}]}") != NULL, "%s", text);
	cr_expect(strstr(text, "t_j: {columns: [{column: j, opclass: jsonb_path_ops}], using: gin}") != NULL, "%s", text);
	cr_expect(strstr(text, "t_u: {columns: [a], unique: true, include: [j], nulls_not_distinct: true}") != NULL, "%s", text);
	cr_expect(strstr(text, "t_k: {columns: [a, j], unique: true, constraint: true, deferrable: true}") != NULL, "%s", text);
	load(&b, text);
	again = write(&b, NULL);
	cr_expect_str_eq(again, text);
	free(text);
	free(again);
	ss_schema_release(&a);
	ss_schema_release(&b);
}

/* Generated columns, identity options and collations: written in the
 * short form where they are the defaults, read back the same. */
Test(yamlout, generated_identity_collation)
{
	struct ss_schema a, b;
	struct ss_table *t;
	struct ss_column *c;
	char *text, *again;

	load(&a, "tables:\n  t:\n    columns:\n"
	    "      id: { type: bigint, primary_key: true, autoincrement: { always: true, start: 1000, increment: 10 } }\n"
	    "      n: { type: integer, autoincrement: { start: -1, increment: -1 } }\n"
	    "      m: { type: integer, autoincrement: { start: 1 } }\n"
	    "      a: integer\n"
	    "      b: { type: integer, generated: { sql: \"a * 2\", stored: true } }\n"
	    "      v: { type: integer, generated: { sql: \"a + 1\" } }\n"
	    "      e: { type: text, collation: und-x-icu }\n");
	text = write(&a, NULL);
	cr_expect(strstr(text, "id: {type: bigint, primary_key: true, "
	    "autoincrement: {always: true, start: 1000, increment: 10}}") !=
	    NULL, "%s", text);
	cr_expect(strstr(text, "n: {type: integer, autoincrement: "
	    "{increment: -1}}") != NULL, "%s", text);
	cr_expect(strstr(text, "m: {type: integer, autoincrement: true}") !=
	    NULL, "%s", text);
	cr_expect(strstr(text, "b: {type: integer, generated: {sql: a * 2, "
	    "stored: true}}") != NULL, "%s", text);
	cr_expect(strstr(text, "v: {type: integer, generated: {sql: a + 1, "
	    "stored: false}}") != NULL, "%s", text);
	cr_expect(strstr(text, "e: {type: text, collation: und-x-icu}") != NULL,
	    "%s", text);
	load(&b, text);
	t = ss_schema_table(&b, "t");
	c = ss_table_column(t, "id");
	cr_expect(c->always && ss_identity_start(c) == 1000 &&
	    ss_identity_increment(c) == 10);
	c = ss_table_column(t, "n");
	cr_expect(ss_identity_start(c) == -1 && ss_identity_increment(c) == -1);
	c = ss_table_column(t, "b");
	cr_expect(c->stored && strcmp(c->generated, "a * 2") == 0);
	c = ss_table_column(t, "v");
	cr_expect(!c->stored && strcmp(c->generated, "a + 1") == 0);
	cr_expect_str_eq(ss_table_column(t, "e")->collation, "und-x-icu");
	again = write(&b, NULL);
	cr_expect_str_eq(again, text);
	free(again);
	free(text);
	ss_schema_release(&a);
	ss_schema_release(&b);
}
