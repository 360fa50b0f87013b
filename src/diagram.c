/*
 * Schema -> entity-relationship diagram text (include/ss/diagram.h).
 *
 * Design notes:
 *  1. One pass over the model for the entities, one for the edges; the
 *     facts both formats need (keys of a column, cardinality of a foreign
 *     key) are computed by the same helpers, so mermaid and DOT never
 *     disagree about the schema.
 *  2. Mermaid reads a bare entity name that is one of its keywords
 *     ("to", "u", "end", "style", "one", ... case-insensitively) as that
 *     keyword, and the list grows from version to version. So entity
 *     names are always quoted, never bare.
 *  3. Mermaid replaces #name; and #123; anywhere in the text by the HTML
 *     entity before parsing and puts it back in the picture, so #N; is
 *     how a quoted string carries a character that would end or confuse
 *     it. '#' itself is escaped, so the escaping is one-to-one: two
 *     different names never draw as the same entity. ':' is escaped
 *     because mermaid drops the ';' of a line holding "style...:...#...;"
 *     before parsing.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ss/diagram.h"

int
ss_diagram_format_parse(const char *name)
{
	if (strcmp(name, "mermaid") == 0)
		return SS_DIAGRAM_MERMAID;
	if (strcmp(name, "dot") == 0)
		return SS_DIAGRAM_DOT;
	return -1;
}

/* The facts shared by both formats. */

static bool
in_pk(const struct ss_table *t, const char *col)
{
	return t->pk != NULL && ss_names_has(&t->pk->columns, col);
}

static bool
not_null(const struct ss_table *t, const struct ss_column *c)
{
	return !c->nullable || in_pk(t, c->name);
}

static bool
is_fk(const struct ss_table *t, const char *col)
{
	size_t i;

	for (i = 0; i < t->nfks; i++)
		if (ss_names_has(&t->fks[i].columns, col))
			return true;
	return false;
}

/* A unique index counts when it holds on every row: no `where`, and
 * every entry a column (not an expression). */
static bool
index_is_key(const struct ss_table *t, const struct ss_index *x)
{
	size_t i;

	if (!x->unique || x->where != NULL)
		return false;
	for (i = 0; i < x->columns.n; i++)
		if (ss_table_column(t, x->columns.v[i].name) == NULL)
			return false;
	return true;
}

/* Unique by itself: a one-column unique constraint or unique index. */
static bool
is_uk(const struct ss_table *t, const char *col)
{
	size_t i;

	for (i = 0; i < t->nuniques; i++)
		if (t->uniques[i].columns.n == 1 &&
		    strcmp(t->uniques[i].columns.v[0].name, col) == 0)
			return true;
	for (i = 0; i < t->nindexes; i++)
		if (t->indexes[i].columns.n == 1 &&
		    index_is_key(t, &t->indexes[i]) &&
		    strcmp(t->indexes[i].columns.v[0].name, col) == 0)
			return true;
	return false;
}

/* Every name of key is in cols (so cols are unique when key is). */
static bool
covers(const struct ss_names *cols, const struct ss_names *key)
{
	size_t i;

	if (key->n == 0)
		return false;
	for (i = 0; i < key->n; i++)
		if (!ss_names_has(cols, key->v[i].name))
			return false;
	return true;
}

/* At most one referencing row per referenced row. */
static bool
fk_unique(const struct ss_table *t, const struct ss_fk *fk)
{
	size_t i;

	if (t->pk != NULL && covers(&fk->columns, &t->pk->columns))
		return true;
	for (i = 0; i < t->nuniques; i++)
		if (covers(&fk->columns, &t->uniques[i].columns))
			return true;
	for (i = 0; i < t->nindexes; i++)
		if (index_is_key(t, &t->indexes[i]) &&
		    covers(&fk->columns, &t->indexes[i].columns))
			return true;
	return false;
}

/* Every referencing row has a referenced one. */
static bool
fk_required(const struct ss_table *t, const struct ss_fk *fk)
{
	const struct ss_column *c;
	size_t i;

	for (i = 0; i < fk->columns.n; i++) {
		c = ss_table_column(t, fk->columns.v[i].name);
		if (c == NULL || !not_null(t, c))
			return false;
	}
	return true;
}

static void
column_keys(struct ss_buf *b, const struct ss_table *t, const char *col,
    const char *sep)
{
	size_t start = b->len;

	if (in_pk(t, col))
		ss_buf_adds(b, "PK");
	if (is_fk(t, col))
		ss_buf_addf(b, "%sFK", b->len > start ? sep : "");
	if (is_uk(t, col))
		ss_buf_addf(b, "%sUK", b->len > start ? sep : "");
}

static void
fk_label(struct ss_buf *b, const struct ss_fk *fk)
{
	size_t i;

	for (i = 0; i < fk->columns.n; i++)
		ss_buf_addf(b, "%s%s", i ? ", " : "", fk->columns.v[i].name);
}

/* Mermaid. */

/* The inside of a quoted string (design note 3). */
static void
mm_text(struct ss_buf *b, const char *s)
{
	unsigned char c;

	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if (c < 0x20 || c == 0x7f || strchr("\"%\\#:~<>&", c) != NULL)
			ss_buf_addf(b, "#%u;", c);
		else
			ss_buf_addc(b, (char)c);
	}
}

static void
mm_quoted(struct ss_buf *b, const char *s)
{
	ss_buf_addc(b, '"');
	mm_text(b, s);
	ss_buf_addc(b, '"');
}

/*
 * A bare attribute word: what every mermaid version since brackets were
 * allowed in types reads as one word. Each character outside the set
 * (one UTF-8 sequence, not each of its bytes) becomes '_'. Returns
 * whether the word is the text unchanged.
 */
static bool
mm_word(struct ss_buf *b, const char *s, bool type)
{
	size_t start = b->len;
	unsigned char c;
	bool same = true;
	const char *w;

	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if ((c & 0xc0) == 0x80) {
			/* Replaced with its lead byte (or stray: dropped). */
			same = false;
			continue;
		}
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '_' ||
		    (type && strchr("()[]", c) != NULL))
			ss_buf_addc(b, (char)c);
		else {
			ss_buf_addc(b, '_');
			same = false;
		}
	}
	if (b->len == start || !((b->s[start] >= 'A' && b->s[start] <= 'Z') ||
	    (b->s[start] >= 'a' && b->s[start] <= 'z') || b->s[start] == '_')) {
		/* Words start with a letter or '_'. */
		ss_buf_grow(b, 1);
		memmove(b->s + start + 1, b->s + start, b->len - start + 1);
		b->s[start] = '_';
		b->len++;
		same = false;
	}
	w = b->s + start;
	if (b->len - start == 2 && (strcasecmp(w, "PK") == 0 ||
	    strcasecmp(w, "FK") == 0 || strcasecmp(w, "UK") == 0)) {
		/* Mermaid would read the word as a key marker. */
		ss_buf_addc(b, '_');
		same = false;
	}
	return same;
}

static void
mm_entity(struct ss_buf *b, const struct ss_table *t)
{
	struct ss_buf type = SS_BUF_INIT, keys = SS_BUF_INIT;
	const struct ss_column *c;
	size_t i;
	bool type_same, name_same;

	ss_buf_adds(b, "    ");
	mm_quoted(b, t->name);
	if (t->ncolumns == 0) {
		ss_buf_adds(b, " {\n    }\n");
		return;
	}
	ss_buf_adds(b, " {\n");
	for (i = 0; i < t->ncolumns; i++) {
		c = &t->columns[i];
		ss_buf_reset(&type);
		ss_buf_reset(&keys);
		ss_type_format(&type, &c->type);
		ss_buf_adds(b, "        ");
		type_same = mm_word(b, type.s, true);
		ss_buf_addc(b, ' ');
		name_same = mm_word(b, c->name, false);
		column_keys(&keys, t, c->name, ", ");
		if (keys.len > 0)
			ss_buf_addf(b, " %s", keys.s);
		ss_buf_adds(b, " \"");
		ss_buf_adds(b, not_null(t, c) ? "not null" : "nullable");
		if (!type_same) {
			ss_buf_adds(b, "; type ");
			mm_text(b, type.s);
		}
		if (!name_same) {
			ss_buf_adds(b, "; name ");
			mm_text(b, c->name);
		}
		ss_buf_adds(b, "\"\n");
	}
	ss_buf_adds(b, "    }\n");
	ss_buf_release(&type);
	ss_buf_release(&keys);
}

static void
mm_edge(struct ss_buf *b, const struct ss_table *t, const struct ss_fk *fk)
{
	struct ss_buf label = SS_BUF_INIT;

	fk_label(&label, fk);
	ss_buf_adds(b, "    ");
	mm_quoted(b, fk->ref_table);
	ss_buf_addf(b, " %s--%s ", fk_required(t, fk) ? "||" : "|o",
	    fk_unique(t, fk) ? "o|" : "o{");
	mm_quoted(b, t->name);
	ss_buf_adds(b, " : ");
	mm_quoted(b, label.s);
	ss_buf_addc(b, '\n');
	ss_buf_release(&label);
}

static void
write_mermaid(struct ss_buf *b, const struct ss_schema *s)
{
	size_t i, j;

	ss_buf_adds(b, "erDiagram\n");
	for (i = 0; i < s->ntables; i++)
		mm_entity(b, s->tables[i]);
	for (i = 0; i < s->ntables; i++)
		for (j = 0; j < s->tables[i]->nfks; j++)
			mm_edge(b, s->tables[i], &s->tables[i]->fks[j]);
}

/* DOT. */

static void
html(struct ss_buf *b, const char *s)
{
	unsigned char c;

	for (; (c = (unsigned char)*s) != '\0'; s++) {
		switch (c) {
		case '&':
			ss_buf_adds(b, "&amp;");
			break;
		case '<':
			ss_buf_adds(b, "&lt;");
			break;
		case '>':
			ss_buf_adds(b, "&gt;");
			break;
		case '"':
			ss_buf_adds(b, "&quot;");
			break;
		default:
			/* XML allows no other control character at all. */
			ss_buf_addc(b, c < 0x20 || c == 0x7f ? '?' : (char)c);
		}
	}
}

static size_t
table_index(const struct ss_schema *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->ntables; i++)
		if (strcmp(s->tables[i]->name, name) == 0)
			return i;
	return (size_t)-1;
}

static size_t
column_index(const struct ss_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncolumns; i++)
		if (strcmp(t->columns[i].name, name) == 0)
			return i;
	return (size_t)-1;
}

static void
dot_node(struct ss_buf *b, size_t n, const struct ss_table *t)
{
	struct ss_buf type = SS_BUF_INIT;
	const struct ss_column *c;
	size_t i;

	ss_buf_addf(b, "\tt%zu [label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" "
	    "CELLSPACING=\"0\" CELLPADDING=\"4\">\n"
	    "\t\t<TR><TD COLSPAN=\"4\" BGCOLOR=\"#dddddd\"><B>", n);
	html(b, t->name);
	ss_buf_adds(b, "</B></TD></TR>\n");
	for (i = 0; i < t->ncolumns; i++) {
		c = &t->columns[i];
		ss_buf_reset(&type);
		ss_type_format(&type, &c->type);
		ss_buf_addf(b, "\t\t<TR><TD PORT=\"c%zu\" ALIGN=\"LEFT\">", i);
		html(b, c->name);
		ss_buf_adds(b, "</TD><TD ALIGN=\"LEFT\">");
		html(b, type.s);
		ss_buf_addf(b, "</TD><TD ALIGN=\"LEFT\">%s</TD><TD ALIGN=\"LEFT\">",
		    not_null(t, c) ? "not null" : "nullable");
		column_keys(b, t, c->name, " ");
		ss_buf_adds(b, "</TD></TR>\n");
	}
	ss_buf_adds(b, "\t\t</TABLE>>];\n");
	ss_buf_release(&type);
}

/* A port on table t's row for column col, or nothing when unknown. */
static void
dot_end(struct ss_buf *b, const struct ss_schema *s, size_t ti,
    const struct ss_names *cols)
{
	size_t ci;

	ss_buf_addf(b, "t%zu", ti);
	if (ti < s->ntables && cols->n > 0 &&
	    (ci = column_index(s->tables[ti], cols->v[0].name)) != (size_t)-1)
		ss_buf_addf(b, ":c%zu", ci);
}

static void
write_dot(struct ss_buf *b, const struct ss_schema *s)
{
	const char **missing = NULL;	/* referenced, not in the model */
	struct ss_buf label = SS_BUF_INIT;
	size_t nmissing = 0, i, j, k, ref;
	const struct ss_table *t;
	const struct ss_fk *fk;

	ss_buf_adds(b, "digraph schema {\n"
	    "\tgraph [rankdir=LR];\n"
	    "\tnode [shape=plaintext, fontname=\"Helvetica\"];\n"
	    "\tedge [dir=both, fontname=\"Helvetica\", fontsize=10];\n");
	for (i = 0; i < s->ntables; i++)
		dot_node(b, i, s->tables[i]);
	/* Design note in diagram.h, 3: a bare node per missing table. */
	for (i = 0; i < s->ntables; i++) {
		for (j = 0; j < s->tables[i]->nfks; j++) {
			fk = &s->tables[i]->fks[j];
			if (table_index(s, fk->ref_table) != (size_t)-1)
				continue;
			for (k = 0; k < nmissing; k++)
				if (strcmp(missing[k], fk->ref_table) == 0)
					break;
			if (k < nmissing)
				continue;
			missing = ss_xrealloc(missing,
			    (nmissing + 1) * sizeof *missing);
			missing[nmissing++] = fk->ref_table;
			ss_buf_addf(b, "\tt%zu [shape=box, style=dashed, "
			    "label=<", s->ntables + k);
			html(b, fk->ref_table);
			ss_buf_adds(b, ">];\n");
		}
	}
	for (i = 0; i < s->ntables; i++) {
		t = s->tables[i];
		for (j = 0; j < t->nfks; j++) {
			fk = &t->fks[j];
			ref = table_index(s, fk->ref_table);
			if (ref == (size_t)-1) {
				for (k = 0; strcmp(missing[k], fk->ref_table) != 0; k++)
					;
				ref = s->ntables + k;
			}
			ss_buf_addc(b, '\t');
			dot_end(b, s, i, &fk->columns);
			ss_buf_adds(b, " -> ");
			dot_end(b, s, ref, &fk->ref_columns);
			ss_buf_reset(&label);
			fk_label(&label, fk);
			ss_buf_adds(b, " [label=<");
			html(b, label.s);
			ss_buf_addf(b, ">, arrowtail=%s, arrowhead=%s];\n",
			    fk_unique(t, fk) ? "teeodot" : "crowodot",
			    fk_required(t, fk) ? "teetee" : "teeodot");
		}
	}
	ss_buf_adds(b, "}\n");
	free(missing);
	ss_buf_release(&label);
}

void
ss_diagram_write(struct ss_buf *out, const struct ss_schema *s,
    enum ss_diagram_format format)
{
	switch (format) {
	case SS_DIAGRAM_MERMAID:
		write_mermaid(out, s);
		break;
	case SS_DIAGRAM_DOT:
		write_dot(out, s);
		break;
	}
}
