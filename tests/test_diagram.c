/*
 * Tests for src/diagram.c: whole fixtures drawn in both formats and
 * compared byte for byte with tests/golden/diagram_*.{mmd,dot}, and the
 * rules one at a time (cardinality, key markers, escaping) on small
 * models. Set SS_UPDATE_GOLDEN=1 to rewrite the golden files after a
 * deliberate change (and read the diff before committing it).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss/diagram.h"
#include "ss/load.h"

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
	ss_diags_release(&d);
}

/* The diagram of text, in format f; the caller frees it. */
static char *
draw(const char *text, enum ss_diagram_format f)
{
	struct ss_schema s;
	struct ss_buf b = SS_BUF_INIT;

	load(&s, text);
	ss_diagram_write(&b, &s, f);
	ss_schema_release(&s);
	return ss_buf_detach(&b);
}

static void
golden(const char *fixture, const char *name, enum ss_diagram_format f)
{
	char path[256], gold[256];
	const char *paths[] = { path };
	struct ss_diags d = SS_DIAGS_INIT;
	struct ss_err err = SS_ERR_INIT;
	struct ss_schema s;
	struct ss_buf got = SS_BUF_INIT;
	char *want = NULL;
	size_t len;
	FILE *fp;

	snprintf(path, sizeof path, "tests/fixtures/%s.yaml", fixture);
	snprintf(gold, sizeof gold, "tests/golden/diagram_%s.%s", name,
	    f == SS_DIAGRAM_DOT ? "dot" : "mmd");
	ss_schema_init(&s);
	cr_assert_eq(ss_load_paths(&s, paths, 1, &d), 0, "%s does not load",
	    path);
	ss_diagram_write(&got, &s, f);
	if (getenv("SS_UPDATE_GOLDEN") != NULL) {
		cr_assert_not_null(fp = fopen(gold, "w"));
		fwrite(got.s, 1, got.len, fp);
		fclose(fp);
	}
	cr_assert_eq(ss_read_file(gold, &want, &len, &err), 0, "%s", err.msg.s);
	cr_expect(len == got.len && memcmp(want, got.s, len) == 0,
	    "%s differs from the diagram drawn:\n%s", gold, got.s);
	free(want);
	ss_buf_release(&got);
	ss_err_release(&err);
	ss_diags_release(&d);
	ss_schema_release(&s);
}

Test(diagram, golden_blog_mermaid)
{
	golden("blog", "blog", SS_DIAGRAM_MERMAID);
}

Test(diagram, golden_blog_dot)
{
	golden("blog", "blog", SS_DIAGRAM_DOT);
}

Test(diagram, golden_odd_names_mermaid)
{
	golden("diagram_odd", "odd", SS_DIAGRAM_MERMAID);
}

Test(diagram, golden_odd_names_dot)
{
	golden("diagram_odd", "odd", SS_DIAGRAM_DOT);
}

Test(diagram, format_names)
{
	cr_expect_eq(ss_diagram_format_parse("mermaid"), SS_DIAGRAM_MERMAID);
	cr_expect_eq(ss_diagram_format_parse("dot"), SS_DIAGRAM_DOT);
	cr_expect_eq(ss_diagram_format_parse("text"), -1);
	cr_expect_eq(ss_diagram_format_parse("Mermaid"), -1);
	cr_expect_eq(ss_diagram_format_parse(""), -1);
}

#define PARENT \
	"tables:\n" \
	"  users:\n" \
	"    columns:\n" \
	"      id: { type: integer, primary_key: true }\n"

/* The edge line of a mermaid diagram that ends with label. */
static void
expect_edge(const char *text, const char *edge)
{
	char *m = draw(text, SS_DIAGRAM_MERMAID);

	cr_expect(strstr(m, edge) != NULL, "no '%s' in:\n%s", edge, m);
	free(m);
}

Test(diagram, required_fk_is_exactly_one_many)
{
	expect_edge(PARENT
	    "  posts:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      user_id: { type: integer, nullable: false, references: users.id }\n",
	    "\n    \"users\" ||--o{ \"posts\" : \"user_id\"\n");
}

Test(diagram, nullable_fk_is_zero_or_one)
{
	expect_edge(PARENT
	    "  posts:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      user_id: { type: integer, references: users.id }\n",
	    "\n    \"users\" |o--o{ \"posts\" : \"user_id\"\n");
}

Test(diagram, unique_fk_is_one_to_one)
{
	expect_edge(PARENT
	    "  profiles:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      user_id: { type: integer, nullable: false, unique: true, references: users.id }\n",
	    "\n    \"users\" ||--o| \"profiles\" : \"user_id\"\n");
}

Test(diagram, fk_that_is_the_primary_key_is_one_to_one)
{
	expect_edge(PARENT
	    "  settings:\n"
	    "    columns:\n"
	    "      user_id: { type: integer, primary_key: true, references: users.id }\n",
	    "\n    \"users\" ||--o| \"settings\" : \"user_id\"\n");
}

Test(diagram, fk_in_a_composite_key_is_many)
{
	expect_edge(PARENT
	    "  tags:\n"
	    "    columns:\n"
	    "      user_id: { type: integer, references: users.id }\n"
	    "      tag: text\n"
	    "    primary_key: [user_id, tag]\n",
	    "\n    \"users\" ||--o{ \"tags\" : \"user_id\"\n");
}

Test(diagram, unique_index_counts_unless_partial_or_expression)
{
	const char *base = PARENT
	    "  a:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      user_id: { type: integer, references: users.id }\n"
	    "      state: text\n"
	    "    indexes:\n";
	char text[1024];

	snprintf(text, sizeof text, "%s%s", base,
	    "      a_u: { columns: [user_id], unique: true }\n");
	expect_edge(text, "\"users\" |o--o| \"a\"");
	snprintf(text, sizeof text, "%s%s", base,
	    "      a_u: { columns: [user_id], unique: true, where: \"state = 'x'\" }\n");
	expect_edge(text, "\"users\" |o--o{ \"a\"");
	snprintf(text, sizeof text, "%s%s", base,
	    "      a_u: { columns: [\"abs(user_id)\"], unique: true }\n");
	expect_edge(text, "\"users\" |o--o{ \"a\"");
	snprintf(text, sizeof text, "%s%s", base,
	    "      a_u: { columns: [user_id] }\n");
	expect_edge(text, "\"users\" |o--o{ \"a\"");
}

Test(diagram, composite_fk_covering_a_unique_key_is_one_to_one)
{
	expect_edge(
	    "tables:\n"
	    "  parent:\n"
	    "    columns:\n"
	    "      a: integer\n"
	    "      b: integer\n"
	    "    primary_key: [a, b]\n"
	    "  child:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      a: { type: integer, nullable: false }\n"
	    "      b: integer\n"
	    "    foreign_keys:\n"
	    "      child_fk: { columns: [a, b], references: { table: parent, columns: [a, b] } }\n"
	    "    indexes:\n"
	    "      child_ab: { columns: [b, a], unique: true }\n",
	    "\n    \"parent\" |o--o| \"child\" : \"a, b\"\n");
}

Test(diagram, self_reference)
{
	expect_edge(
	    "tables:\n"
	    "  employees:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      manager_id: { type: integer, references: employees.id }\n",
	    "\n    \"employees\" |o--o{ \"employees\" : \"manager_id\"\n");
}

Test(diagram, key_markers_and_nullability)
{
	char *m = draw(PARENT
	    "  posts:\n"
	    "    columns:\n"
	    "      user_id: { type: integer, references: users.id, unique: true }\n"
	    "      slug: { type: varchar(20), nullable: false }\n"
	    "      n: integer\n"
	    "    primary_key: [user_id, slug]\n"
	    "    indexes:\n"
	    "      posts_n: { columns: [n, slug], unique: true }\n",
	    SS_DIAGRAM_MERMAID);

	cr_expect(strstr(m, "        integer user_id PK, FK, UK \"not null\"\n"),
	    "%s", m);
	cr_expect(strstr(m, "        varchar(20) slug PK \"not null\"\n"), "%s", m);
	cr_expect(strstr(m, "        integer n \"nullable\"\n"),
	    "a column of a composite unique key is not unique by itself:\n%s", m);
	free(m);
}

Test(diagram, words_that_mermaid_would_misread)
{
	char *m = draw(
	    "tables:\n"
	    "  t:\n"
	    "    columns:\n"
	    "      PK: text\n"
	    "      fk: text\n"
	    "      Uk: text\n"
	    "      pkx: text\n"
	    "      \"-\": text\n"
	    "      \"9lives\": { type: \"numeric(5,1)\" }\n"
	    "      \"naïve\": text\n",
	    SS_DIAGRAM_MERMAID);

	cr_expect(strstr(m, " text PK_ \"nullable; name PK\"\n"), "%s", m);
	cr_expect(strstr(m, " text fk_ \"nullable; name fk\"\n"), "%s", m);
	cr_expect(strstr(m, " text Uk_ \"nullable; name Uk\"\n"), "%s", m);
	cr_expect(strstr(m, " text pkx \"nullable\"\n"), "%s", m);
	cr_expect(strstr(m, " text _ \"nullable; name -\"\n"), "%s", m);
	cr_expect(strstr(m, " numeric(5_1) _9lives \"nullable; type "
	    "numeric(5,1); name 9lives\"\n"), "%s", m);
	cr_expect(strstr(m, " text na_ve \"nullable; name naïve\"\n"),
	    "one '_' for a two-byte character:\n%s", m);
	free(m);
}

/* Names from a database need not be UTF-8: a stray continuation byte
 * is dropped from the word, and the name goes into the comment. */
Test(diagram, stray_continuation_byte)
{
	struct ss_schema s;
	struct ss_buf b = SS_BUF_INIT;
	struct ss_table *t;
	struct ss_column *c;

	ss_schema_init(&s);
	t = ss_schema_add_table(&s, "t");
	c = ss_table_add_column(&s, t, "a\x80" "b");
	c->type.kind = SS_TYPE_TEXT;
	c->nullable = false;
	ss_diagram_write(&b, &s, SS_DIAGRAM_MERMAID);
	cr_expect(strstr(b.s, "        text ab \"not null; name a\x80" "b\"\n"),
	    "%s", b.s);
	ss_buf_release(&b);
	ss_schema_release(&s);
}

Test(diagram, quoted_strings_escape_what_mermaid_reads)
{
	char *m = draw(
	    "tables:\n"
	    "  'a\"b%c\\d#e:f~g<h>i&j k':\n"
	    "    columns:\n"
	    "      id: integer\n",
	    SS_DIAGRAM_MERMAID);

	cr_expect(strstr(m, "\n    \"a#34;b#37;c#92;d#35;e#58;f#126;g#60;h#62;"
	    "i#38;j k\" {\n"), "%s", m);
	free(m);
}

Test(diagram, entity_without_columns)
{
	struct ss_schema s;
	struct ss_buf b = SS_BUF_INIT;

	ss_schema_init(&s);
	ss_schema_add_table(&s, "empty");
	ss_diagram_write(&b, &s, SS_DIAGRAM_MERMAID);
	cr_expect_str_eq(b.s, "erDiagram\n    \"empty\" {\n    }\n");
	ss_buf_release(&b);
	ss_schema_release(&s);
}

/* An introspected database can hold a foreign key to a table that is
 * not in the model (config ignore_tables): still an edge. */
Test(diagram, fk_to_a_table_outside_the_model)
{
	struct ss_schema s;
	struct ss_buf b = SS_BUF_INIT;
	struct ss_table *t;
	struct ss_column *c;
	struct ss_fk *fk;
	int i;

	ss_schema_init(&s);
	t = ss_schema_add_table(&s, "posts");
	c = ss_table_add_column(&s, t, "user_id");
	c->type.kind = SS_TYPE_INTEGER;
	c->nullable = true;
	c = ss_table_add_column(&s, t, "org_id");
	c->type.kind = SS_TYPE_INTEGER;
	c->nullable = false;
	for (i = 0; i < 2; i++) {
		fk = ss_table_add_fk(&s, t);
		fk->name = i ? "posts_org_fk" : "posts_user_fk";
		ss_names_add(&s, &fk->columns, i ? "org_id" : "user_id", NULL);
		fk->ref_table = i ? "orgs" : "users";
		ss_names_add(&s, &fk->ref_columns, "id", NULL);
	}
	fk = ss_table_add_fk(&s, t);
	fk->name = "posts_user2_fk";
	ss_names_add(&s, &fk->columns, "user_id", NULL);
	fk->ref_table = "users";
	ss_names_add(&s, &fk->ref_columns, "id", NULL);

	ss_diagram_write(&b, &s, SS_DIAGRAM_MERMAID);
	cr_expect(strstr(b.s, "\n    \"users\" |o--o{ \"posts\" : \"user_id\"\n"),
	    "%s", b.s);
	cr_expect(strstr(b.s, "\n    \"orgs\" ||--o{ \"posts\" : \"org_id\"\n"),
	    "%s", b.s);
	ss_buf_reset(&b);
	ss_diagram_write(&b, &s, SS_DIAGRAM_DOT);
	cr_expect(strstr(b.s, "\tt1 [shape=box, style=dashed, label=<users>];\n"),
	    "one node for users, however many keys name it:\n%s", b.s);
	cr_expect(strstr(b.s, "\tt2 [shape=box, style=dashed, label=<orgs>];\n"),
	    "%s", b.s);
	cr_expect(strstr(b.s, "\tt0:c0 -> t1 [label=<user_id>, "
	    "arrowtail=crowodot, arrowhead=teeodot];\n"), "%s", b.s);
	cr_expect(strstr(b.s, "\tt0:c1 -> t2 [label=<org_id>, "
	    "arrowtail=crowodot, arrowhead=teetee];\n"), "%s", b.s);
	cr_expect(strstr(strstr(b.s, "t0:c1 -> t2"), "\tt0:c0 -> t1 "),
	    "the second key to users reuses its node:\n%s", b.s);
	ss_buf_release(&b);
	ss_schema_release(&s);
}

Test(diagram, dot_escapes_html)
{
	char *d = draw(
	    "tables:\n"
	    "  'a<b>&\"c':\n"
	    "    columns:\n"
	    "      \"x\\ty\": { type: \"numeric(5,1)\" }\n",
	    SS_DIAGRAM_DOT);

	cr_expect(strstr(d, "<B>a&lt;b&gt;&amp;&quot;c</B>"), "%s", d);
	cr_expect(strstr(d, "ALIGN=\"LEFT\">x?y</TD><TD ALIGN=\"LEFT\">"
	    "numeric(5,1)</TD>"), "%s", d);
	free(d);
}
