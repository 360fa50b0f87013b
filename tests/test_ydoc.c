/*
 * Tests for src/ydoc.c on its own: the parser loop, 1-based locations,
 * merge keys, duplicate keys, and how plain scalars are classified. The
 * loader's tests (test_load.c) cover the same code through schema files;
 * these pin the module's promises independently of the schema format.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "ss/ydoc.h"

struct doc {
	struct ss_yparser p;
	struct ss_ydoc y;
	struct ss_diags diags;
	int rc;
};

static void
doc_open(struct doc *d, const char *text)
{
	memset(d, 0, sizeof *d);
	ss_yparser_init(&d->p, "f.yaml", text, strlen(text), &d->diags);
	d->rc = ss_yparser_next(&d->p, &d->y);
}

static void
doc_close(struct doc *d)
{
	if (d->rc == 1)
		ss_ydoc_release(&d->y);
	ss_yparser_release(&d->p);
	ss_diags_release(&d->diags);
}

/* The value of key k in the root mapping's pairs, or NULL. */
static struct ss_ynode *
pair_value(const struct ss_ypairs *pairs, const char *k)
{
	size_t i;

	for (i = 0; i < pairs->n; i++)
		if (strcmp(pairs->v[i].key, k) == 0)
			return pairs->v[i].value;
	return NULL;
}

Test(ydoc, documents_in_order_then_end)
{
	struct ss_yparser p;
	struct ss_ydoc y;
	struct ss_diags diags = SS_DIAGS_INIT;
	const char *text = "a: 1\n---\nb: 2\n";

	ss_yparser_init(&p, "f.yaml", text, strlen(text), &diags);
	cr_assert_eq(ss_yparser_next(&p, &y), 1);
	cr_expect_not_null(ss_yroot(&y));
	ss_ydoc_release(&y);
	cr_assert_eq(ss_yparser_next(&p, &y), 1, "a second document");
	ss_ydoc_release(&y);
	cr_expect_eq(ss_yparser_next(&p, &y), 0, "then no more");
	cr_expect_eq(diags.n, 0);
	ss_yparser_release(&p);
	ss_diags_release(&diags);
}

Test(ydoc, syntax_error_is_reported_once_with_a_1_based_place)
{
	struct doc d;

	doc_open(&d, "a: [1, 2\nb: 3\n");
	cr_expect_eq(d.rc, -1);
	cr_assert_eq(d.diags.n, 1, "one diagnostic, got %zu", d.diags.n);
	cr_expect_eq(d.diags.errors, 1);
	cr_expect_str_eq(d.diags.v[0].loc.file, "f.yaml");
	cr_expect_geq(d.diags.v[0].loc.line, 1);
	cr_expect_geq(d.diags.v[0].loc.col, 1);
	doc_close(&d);
}

Test(ydoc, locations_are_1_based)
{
	struct doc d;
	struct ss_ypairs pairs = { 0 };
	struct ss_loc loc;

	doc_open(&d, "first: 1\n  \nsecond:\n  inner: x\n");
	cr_assert_eq(d.rc, 1);
	ss_ymap(&d.y, ss_yroot(&d.y), &pairs);
	cr_assert_eq(pairs.n, 2);
	loc = ss_yloc(&d.y, pairs.v[0].knode);
	cr_expect_eq(loc.line, 1);
	cr_expect_eq(loc.col, 1);
	loc = ss_yloc(&d.y, pairs.v[1].knode);
	cr_expect_eq(loc.line, 3, "second is on line 3, got %d", loc.line);
	cr_expect_eq(loc.col, 1);
	loc = ss_yloc(&d.y, pairs.v[1].value);
	cr_expect_eq(loc.line, 4, "the nested mapping starts at its key");
	cr_expect_eq(loc.col, 3);
	ss_ypairs_release(&pairs);
	doc_close(&d);
}

Test(ydoc, merge_keys_explicit_wins_then_first_merged)
{
	struct doc d;
	struct ss_ypairs pairs = { 0 };
	struct ss_ynode *v;

	doc_open(&d,
	    "base: &b {x: 1, y: 1}\n"
	    "other: &o {y: 2, z: 2}\n"
	    "m:\n"
	    "  <<: [*b, *o]\n"
	    "  x: 9\n");
	cr_assert_eq(d.rc, 1);
	ss_ymap(&d.y, ss_yroot(&d.y), &pairs);
	v = pair_value(&pairs, "m");
	cr_assert_not_null(v);
	ss_ymap(&d.y, v, &pairs);
	cr_expect_eq(d.diags.n, 0, "merging is not a problem");
	cr_assert_eq(pairs.n, 3, "x, y and z, got %zu", pairs.n);
	cr_expect_str_eq(ss_ystr(&d.y, pair_value(&pairs, "x"), "x"), "9",
	    "the explicit key wins");
	cr_expect_str_eq(ss_ystr(&d.y, pair_value(&pairs, "y"), "y"), "1",
	    "the first merged mapping wins");
	cr_expect_str_eq(ss_ystr(&d.y, pair_value(&pairs, "z"), "z"), "2");
	ss_ypairs_release(&pairs);
	doc_close(&d);
}

Test(ydoc, duplicate_key_is_an_error_at_the_second)
{
	struct doc d;
	struct ss_ypairs pairs = { 0 };

	doc_open(&d, "a: 1\nb: 2\na: 3\n");
	cr_assert_eq(d.rc, 1);
	ss_ymap(&d.y, ss_yroot(&d.y), &pairs);
	cr_assert_eq(d.diags.errors, 1);
	cr_expect_eq(d.diags.v[0].loc.line, 3);
	cr_expect(strstr(d.diags.v[0].msg, "'a'") != NULL, "%s",
	    d.diags.v[0].msg);
	cr_expect_geq(pairs.n, 2, "the pairs that are fine are kept");
	ss_ypairs_release(&pairs);
	doc_close(&d);
}

Test(ydoc, non_scalar_key_is_an_error)
{
	struct doc d;
	struct ss_ypairs pairs = { 0 };

	doc_open(&d, "? [a, b]\n: 1\nc: 2\n");
	cr_assert_eq(d.rc, 1);
	ss_ymap(&d.y, ss_yroot(&d.y), &pairs);
	cr_expect_eq(d.diags.errors, 1);
	cr_expect_not_null(pair_value(&pairs, "c"), "c is still read");
	ss_ypairs_release(&pairs);
	doc_close(&d);
}

Test(ydoc, quoted_true_is_a_string_plain_true_a_bool)
{
	struct doc d;
	struct ss_ypairs pairs = { 0 };
	bool b = false;

	doc_open(&d, "p: true\nq: \"true\"\nr: maybe\n");
	cr_assert_eq(d.rc, 1);
	ss_ymap(&d.y, ss_yroot(&d.y), &pairs);
	cr_expect(ss_yis_plain(pair_value(&pairs, "p")));
	cr_expect_not(ss_yis_plain(pair_value(&pairs, "q")));
	cr_expect_eq(ss_ybool(&d.y, pair_value(&pairs, "p"), "p", &b), 0);
	cr_expect(b);
	cr_expect_eq(ss_ybool(&d.y, pair_value(&pairs, "q"), "q", &b), -1,
	    "a quoted true is not a bool");
	cr_expect_eq(ss_ybool(&d.y, pair_value(&pairs, "r"), "r", &b), -1);
	cr_expect_eq(d.diags.errors, 2);
	ss_ypairs_release(&pairs);
	doc_close(&d);
}

Test(ydoc, integers_in_range_only)
{
	struct doc d;
	struct ss_ypairs pairs = { 0 };
	long v = 0;

	doc_open(&d, "a: 42\nb: 4000\nc: '7'\nd: 1.5\n");
	cr_assert_eq(d.rc, 1);
	ss_ymap(&d.y, ss_yroot(&d.y), &pairs);
	cr_expect_eq(ss_yint(&d.y, pair_value(&pairs, "a"), "a", 0, 100, &v),
	    0);
	cr_expect_eq(v, 42);
	cr_expect_eq(ss_yint(&d.y, pair_value(&pairs, "b"), "b", 0, 100, &v),
	    -1, "out of range");
	cr_expect_eq(ss_yint(&d.y, pair_value(&pairs, "c"), "c", 0, 100, &v),
	    -1, "quoted");
	cr_expect_eq(ss_yint(&d.y, pair_value(&pairs, "d"), "d", 0, 100, &v),
	    -1, "not an integer");
	cr_expect_eq(d.diags.errors, 3);
	ss_ypairs_release(&pairs);
	doc_close(&d);
}

Test(ydoc, scalar_numbers_as_yaml_reads_them)
{
	static const struct {
		const char *s;
		enum ss_ynumber want;
	} cases[] = {
		{ "-12", SS_YNUM_DECIMAL }, { "3.5", SS_YNUM_DECIMAL },
		{ "1e10", SS_YNUM_DECIMAL }, { ".5", SS_YNUM_DECIMAL },
		{ "017", SS_YNUM_DECIMAL }, { "0o17", SS_YNUM_OCTAL },
		{ "0x1F", SS_YNUM_HEX }, { ".inf", SS_YNUM_INF },
		{ "-.Inf", SS_YNUM_INF }, { ".NaN", SS_YNUM_NAN },
		{ "1_000", SS_YNUM_YAML11 }, { "0b101", SS_YNUM_YAML11 },
		{ "abc", SS_YNUM_NONE }, { "1.2.3", SS_YNUM_NONE },
		{ "0x", SS_YNUM_NONE }, { "", SS_YNUM_NONE },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		cr_expect_eq(ss_yscalar_number(cases[i].s), cases[i].want,
		    "'%s': got %d, want %d", cases[i].s,
		    (int)ss_yscalar_number(cases[i].s), (int)cases[i].want);
	cr_expect(ss_yscalar_is_number("0b101"), "YAML 1.1 still counts");
	cr_expect_not(ss_yscalar_is_number("users"));
}

Test(ydoc, numbers_in_decimal)
{
	static const char *const in[] = { "0o17", "0x1F", "1_000", "0b101" };
	static const char *const out[] = { "15", "31", "1000", "5" };
	size_t i;

	for (i = 0; i < 4; i++) {
		struct ss_buf b = SS_BUF_INIT;

		ss_ynumber_decimal(in[i], &b);
		cr_expect_str_eq(b.s, out[i], "%s", in[i]);
		ss_buf_release(&b);
	}
}

/* The tree is built from libyaml's events: aliases are shared nodes and
 * the loader's own errors are worded as libyaml's loader words them. */
Test(ydoc, alias_is_the_anchored_node)
{
	struct doc d;
	struct ss_ypairs pairs = { 0 };
	struct ss_ynode *a, *b;

	doc_open(&d, "a: &x [1, 2]\nb: *x\n");
	cr_assert_eq(d.rc, 1);
	ss_ymap(&d.y, ss_yroot(&d.y), &pairs);
	a = pair_value(&pairs, "a");
	b = pair_value(&pairs, "b");
	cr_assert_not_null(a);
	cr_expect_eq(a, b, "an alias is the node it names");
	cr_expect_eq(a->type, SS_YSEQUENCE);
	cr_expect_eq(a->n, 2);
	cr_expect_str_eq(a->items[1]->s, "2");
	cr_expect_eq(a->line, 1);
	cr_expect_eq(a->col, 4, "the node starts at its anchor, got %d",
	    a->col);
	ss_ypairs_release(&pairs);
	doc_close(&d);
}

Test(ydoc, undefined_alias_and_duplicate_anchor_are_syntax_errors)
{
	struct doc d;

	doc_open(&d, "a: 1\nb: *nope\n");
	cr_expect_eq(d.rc, -1);
	cr_assert_eq(d.diags.n, 1);
	cr_expect_str_eq(d.diags.v[0].msg,
	    "YAML syntax error: found undefined alias");
	cr_expect_eq(d.diags.v[0].loc.line, 2);
	cr_expect_eq(d.diags.v[0].loc.col, 4);
	doc_close(&d);

	doc_open(&d, "a: &x 1\nb: &y 2\nc: &x 3\n");
	cr_expect_eq(d.rc, -1);
	cr_assert_eq(d.diags.n, 1);
	cr_expect_str_eq(d.diags.v[0].msg, "YAML syntax error: second "
	    "occurrence found duplicate anchor; first occurrence that starts "
	    "at line 1");
	cr_expect_eq(d.diags.v[0].loc.line, 3);
	cr_expect_eq(d.diags.v[0].loc.col, 4);
	doc_close(&d);
}

Test(ydoc, nul_is_refused_only_once_the_document_parses)
{
	struct doc d;

	doc_open(&d, "a: \"x\\0y\"\nb: \"\\0\"\n");
	cr_expect_eq(d.rc, -1);
	cr_assert_eq(d.diags.n, 2, "each string with a NUL, got %zu",
	    d.diags.n);
	cr_expect_eq(d.diags.v[0].loc.line, 1);
	cr_expect_eq(d.diags.v[1].loc.line, 2);
	doc_close(&d);

	doc_open(&d, "a: \"x\\0y\"\nb: [\n");
	cr_expect_eq(d.rc, -1);
	cr_assert_eq(d.diags.n, 1, "the syntax error alone");
	cr_expect(strstr(d.diags.v[0].msg, "YAML syntax error") != NULL);
	doc_close(&d);
}

Test(ydoc, plain_and_quoted_and_block_scalars)
{
	struct doc d;
	struct ss_ypairs pairs = { 0 };

	doc_open(&d, "p: x\nq: 'x'\nr: |\n  x\ne:\n");
	cr_assert_eq(d.rc, 1);
	ss_ymap(&d.y, ss_yroot(&d.y), &pairs);
	cr_expect(pair_value(&pairs, "p")->plain);
	cr_expect_not(pair_value(&pairs, "q")->plain);
	cr_expect_not(pair_value(&pairs, "r")->plain);
	cr_expect_str_eq(pair_value(&pairs, "r")->s, "x\n");
	cr_expect(ss_yis_null(pair_value(&pairs, "e")));
	ss_ypairs_release(&pairs);
	doc_close(&d);
}
