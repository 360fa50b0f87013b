/*
 * YAML documents with 1-based locations, merge keys and duplicate-key
 * checks (see include/ss/ydoc.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ss/map.h"
#include "ss/util.h"
#include "ss/ydoc.h"

void
ss_yparser_init(struct ss_yparser *p, const char *file, const char *text,
    size_t len, struct ss_diags *diags)
{
	memset(p, 0, sizeof *p);
	yaml_parser_initialize(&p->parser);
	p->file = file;
	p->text = (const unsigned char *)text;
	p->len = len;
	p->diags = diags;
	yaml_parser_set_input_string(&p->parser, p->text, len);
}

void
ss_yparser_release(struct ss_yparser *p)
{
	yaml_parser_delete(&p->parser);
}

/* A reader error has only a byte offset; turn it into line and column. */
static struct ss_loc
offset_loc(const struct ss_yparser *p, size_t off)
{
	struct ss_loc loc = { p->file, 1, 1 };
	size_t i;

	for (i = 0; i < off && i < p->len; i++) {
		if (p->text[i] == '\n') {
			loc.line++;
			loc.col = 1;
		} else if ((p->text[i] & 0xC0) != 0x80)
			loc.col++;
	}
	return loc;
}

/*
 * The offset of the first byte of text that does not start a well-formed
 * UTF-8 character (overlong forms, surrogates and code points above
 * U+10FFFF included), or len when there is none.
 */
static size_t
utf8_invalid(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xC2 && s[i] <= 0xDF)
			n = 1;
		else if (s[i] >= 0xE0 && s[i] <= 0xEF)
			n = 2;
		else if (s[i] >= 0xF0 && s[i] <= 0xF4)
			n = 3;
		else
			return i;
		if (len - i <= n)
			return i;
		for (k = 1; k <= n; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
		if ((s[i] == 0xE0 && s[i + 1] < 0xA0) ||
		    (s[i] == 0xED && s[i + 1] >= 0xA0) ||
		    (s[i] == 0xF0 && s[i + 1] < 0x90) ||
		    (s[i] == 0xF4 && s[i + 1] >= 0x90))
			return i;
		i += n + 1;
	}
	return len;
}

static bool
utf16_bom(const unsigned char *s, size_t len)
{
	return len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) ||
	    (s[0] == 0xFE && s[1] == 0xFF));
}

/* Whether line (0-based) of the text starts with blanks holding a tab. */
static bool
tab_indented(const struct ss_yparser *p, size_t line)
{
	size_t i = 0;

	for (; line > 0 && i < p->len; i++)
		if (p->text[i] == '\n')
			line--;
	for (; i < p->len && (p->text[i] == ' ' || p->text[i] == '\t'); i++)
		if (p->text[i] == '\t')
			return true;
	return false;
}

int
ss_yparser_next(struct ss_yparser *p, struct ss_ydoc *y)
{
	size_t bad;
	yaml_parser_t *ps = &p->parser;
	struct ss_loc loc;
	yaml_node_t *n;
	bool nul = false;

	memset(y, 0, sizeof *y);
	y->file = p->file;
	y->diags = p->diags;
	if (!yaml_parser_load(ps, &y->doc)) {
		if (ps->error == YAML_READER_ERROR) {
			/*
			 * libyaml points at the byte where it noticed, which
			 * may be the one after a Latin-1 letter ("invalid
			 * trailing UTF-8 octet" 0x20); say which byte starts
			 * the bad sequence, and where.
			 */
			if (!utf16_bom(p->text, p->len) &&
			    (bad = utf8_invalid(p->text, p->len)) < p->len) {
				loc = offset_loc(p, bad);
				ss_diag_add(p->diags, SS_SEV_ERROR, &loc,
				    "file is not valid UTF-8 (byte 0x%02x)",
				    (unsigned)p->text[bad]);
				return -1;
			}
			loc = offset_loc(p, ps->problem_offset);
			if (ps->problem_value >= 0 &&
			    strstr(ps->problem, "UTF-8") != NULL)
				ss_diag_add(p->diags, SS_SEV_ERROR, &loc,
				    "file is not valid UTF-8 (byte 0x%02x)",
				    (unsigned)ps->problem_value);
			else
				ss_diag_add(p->diags, SS_SEV_ERROR, &loc,
				    "cannot read file: %s", ps->problem);
		} else if (ps->error == YAML_MEMORY_ERROR) {
			ss_diag_add(p->diags, SS_SEV_ERROR, NULL,
			    "%s: out of memory parsing YAML", p->file);
		} else {
			const char *tabs = tab_indented(p,
			    ps->problem_mark.line) ? " (a tab in the indentation: "
			    "YAML allows only spaces there)" : "";
			loc.file = p->file;
			loc.line = (int)ps->problem_mark.line + 1;
			loc.col = (int)ps->problem_mark.column + 1;
			if (ps->context != NULL)
				ss_diag_add(p->diags, SS_SEV_ERROR, &loc,
				    "YAML syntax error: %s %s that starts at "
				    "line %d%s", ps->problem, ps->context,
				    (int)ps->context_mark.line + 1, tabs);
			else
				ss_diag_add(p->diags, SS_SEV_ERROR, &loc,
				    "YAML syntax error: %s%s", ps->problem, tabs);
		}
		return -1;
	}
	y->loaded = true;
	if (yaml_document_get_root_node(&y->doc) == NULL) {
		/* The end of the stream. */
		ss_ydoc_release(y);
		return 0;
	}
	/*
	 * "x\0y" is three bytes to YAML but "x" to every C string that
	 * carries it on, so it would be cut short without a word.
	 */
	for (n = y->doc.nodes.start; n < y->doc.nodes.top; n++) {
		if (n->type == YAML_SCALAR_NODE && memchr(n->data.scalar.value,
		    '\0', n->data.scalar.length) != NULL) {
			ss_yerror(y, n, "a string must not hold a NUL character "
			    "(\\0)");
			nul = true;
		}
	}
	if (nul) {
		ss_ydoc_release(y);
		return -1;
	}
	return 1;
}

void
ss_ydoc_release(struct ss_ydoc *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = false;
}

yaml_node_t *
ss_yroot(struct ss_ydoc *y)
{
	return yaml_document_get_root_node(&y->doc);
}

yaml_node_t *
ss_ynode(struct ss_ydoc *y, int index)
{
	return yaml_document_get_node(&y->doc, index);
}

struct ss_loc
ss_yloc(const struct ss_ydoc *y, const yaml_node_t *n)
{
	struct ss_loc loc;

	loc.file = y->file;
	loc.line = (int)n->start_mark.line + 1;
	loc.col = (int)n->start_mark.column + 1;
	return loc;
}

void
ss_yerror(struct ss_ydoc *y, const yaml_node_t *n, const char *fmt, ...)
{
	struct ss_loc loc = ss_yloc(y, n);
	va_list ap;

	va_start(ap, fmt);
	ss_diag_vadd(y->diags, SS_SEV_ERROR, &loc, fmt, ap);
	va_end(ap);
}

const char *
ss_ykind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_SCALAR_NODE:
		return ss_yis_null(n) ? "nothing" : "a scalar";
	default:
		return "nothing";
	}
}

bool
ss_yis_plain(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE &&
	    n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

bool
ss_yis_null(const yaml_node_t *n)
{
	const char *s;

	if (!ss_yis_plain(n))
		return false;
	s = (const char *)n->data.scalar.value;
	return *s == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	    strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

bool
ss_yscalar_is_bool(const char *s, bool *value)
{
	if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 ||
	    strcmp(s, "TRUE") == 0) {
		*value = true;
		return true;
	}
	if (strcmp(s, "false") == 0 || strcmp(s, "False") == 0 ||
	    strcmp(s, "FALSE") == 0) {
		*value = false;
		return true;
	}
	return false;
}

/* Whether s is one or more of the characters in set. */
static bool
all_of(const char *s, const char *set)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (strchr(set, *s) == NULL)
			return false;
	return true;
}

/*
 * YAML 1.2's core schema: decimal numbers, 0o octal, 0x hex, .inf and
 * .nan. YAML 1.1 read more as numbers, of which '_' between digits and
 * 0b binary are the forms a YAML 1.1 tool (PyYAML, for one) still
 * writes; they are told apart so that they are never taken as text by
 * surprise. YAML 1.1's 017 (octal) and 1:30 (base 60) are left to YAML
 * 1.2: 17 and the text '1:30' (a time).
 */
enum ss_ynumber
ss_yscalar_number(const char *s)
{
	struct ss_buf b = SS_BUF_INIT;
	const char *p = s;
	bool dec;

	if (ss_is_decimal(s))
		return SS_YNUM_DECIMAL;
	if (strncmp(s, "0o", 2) == 0 && all_of(s + 2, "01234567"))
		return SS_YNUM_OCTAL;
	if (strncmp(s, "0x", 2) == 0 && all_of(s + 2,
	    "0123456789abcdefABCDEF"))
		return SS_YNUM_HEX;
	if (*p == '-' || *p == '+')
		p++;
	if (strcmp(p, ".inf") == 0 || strcmp(p, ".Inf") == 0 ||
	    strcmp(p, ".INF") == 0)
		return SS_YNUM_INF;
	if (strcmp(s, ".nan") == 0 || strcmp(s, ".NaN") == 0 ||
	    strcmp(s, ".NAN") == 0)
		return SS_YNUM_NAN;
	if (strncmp(p, "0b", 2) == 0 && all_of(p + 2, "01_"))
		return SS_YNUM_YAML11;
	if (strchr(s, '_') == NULL)
		return SS_YNUM_NONE;
	/* 1_000, 1_000.5, 0x_FF: a number once the '_' are gone. */
	for (; *s; s++)
		if (*s != '_')
			ss_buf_addc(&b, *s);
	p = b.s;
	if (*p == '-' || *p == '+')
		p++;
	dec = ss_is_decimal(b.s) || (strncmp(p, "0x", 2) == 0 &&
	    all_of(p + 2, "0123456789abcdefABCDEF"));
	ss_buf_release(&b);
	return dec ? SS_YNUM_YAML11 : SS_YNUM_NONE;
}

bool
ss_yscalar_is_number(const char *s)
{
	return ss_yscalar_number(s) != SS_YNUM_NONE;
}

void
ss_ynumber_decimal(const char *s, struct ss_buf *b)
{
	unsigned base = 10, carry, d;
	unsigned char *dig;	/* decimal digits, least significant first */
	size_t n = 1, i, max = strlen(s) * 2 + 2;

	if (*s == '-' || *s == '+') {
		if (*s == '-')
			ss_buf_addc(b, '-');
		s++;
	}
	if (s[0] == '0' && (s[1] == 'o' || s[1] == 'x' || s[1] == 'b')) {
		base = s[1] == 'o' ? 8 : s[1] == 'x' ? 16 : 2;
		s += 2;
	} else {
		for (; *s; s++)		/* a decimal: only the '_' go */
			if (*s != '_')
				ss_buf_addc(b, *s);
		return;
	}
	dig = ss_xcalloc(max, 1);
	for (; *s; s++) {
		if (*s == '_')
			continue;
		carry = isdigit((unsigned char)*s) ? (unsigned)(*s - '0') :
		    (unsigned)(tolower((unsigned char)*s) - 'a' + 10);
		for (i = 0; i < n; i++) {
			d = dig[i] * base + carry;
			dig[i] = (unsigned char)(d % 10);
			carry = d / 10;
		}
		while (carry > 0) {
			dig[n++] = (unsigned char)(carry % 10);
			carry /= 10;
		}
	}
	while (n > 1 && dig[n - 1] == 0)
		n--;
	while (n > 0)
		ss_buf_addc(b, (char)('0' + dig[--n]));
	free(dig);
}

const char *
ss_ystr(struct ss_ydoc *y, yaml_node_t *n, const char *what)
{
	if (n->type != YAML_SCALAR_NODE || ss_yis_null(n)) {
		ss_yerror(y, n, "expected a string for '%s', got %s", what,
		    ss_ykind(n));
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

int
ss_ybool(struct ss_ydoc *y, yaml_node_t *n, const char *what, bool *out)
{
	if (n->type == YAML_SCALAR_NODE && ss_yis_plain(n) &&
	    ss_yscalar_is_bool((const char *)n->data.scalar.value, out))
		return 0;
	if (n->type == YAML_SCALAR_NODE && !ss_yis_null(n))
		ss_yerror(y, n, "expected true or false for '%s', got '%s'",
		    what, (const char *)n->data.scalar.value);
	else
		ss_yerror(y, n, "expected true or false for '%s', got %s",
		    what, ss_ykind(n));
	return -1;
}

int
ss_yint(struct ss_ydoc *y, yaml_node_t *n, const char *what, long min,
    long max, long *out)
{
	const char *s;
	char *end;
	long v;

	if (n->type == YAML_SCALAR_NODE && ss_yis_plain(n)) {
		s = (const char *)n->data.scalar.value;
		v = strtol(s, &end, 10);
		if (*s != '\0' && *end == '\0' && v >= min && v <= max) {
			*out = v;
			return 0;
		}
	}
	ss_yerror(y, n, "expected a whole number from %ld to %ld for '%s'",
	    min, max, what);
	return -1;
}

void
ss_yunknown_key(struct ss_ydoc *y, const struct ss_ypair *p,
    const char *where, const char *const *known)
{
	const char *hint = ss_suggest(p->key, known);

	if (hint != NULL)
		ss_yerror(y, p->knode, "unknown key '%s' in %s (did you mean '%s'?)",
		    p->key, where, hint);
	else
		ss_yerror(y, p->knode, "unknown key '%s' in %s", p->key, where);
}

void
ss_ypairs_release(struct ss_ypairs *p)
{
	free(p->v);
	p->v = NULL;
	p->n = p->alloc = 0;
}

struct rawpair {
	struct ss_ypair p;
	bool merged;
};

struct rawpairs {
	struct rawpair *v;
	size_t n, alloc;
	yaml_node_t **done;	/* mappings merged in full already */
	size_t ndone, adone;
};

/*
 * Merging a mapping a second time adds nothing (its keys are taken
 * already, and the first wins), so each is merged once. Without this,
 * mappings that merge the one before ten times over, eight deep, expand
 * to 10^8 keys: a "billion laughs" made of merge keys.
 */
static bool
merged_already(const struct rawpairs *out, const yaml_node_t *map)
{
	size_t i;

	for (i = 0; i < out->ndone; i++)
		if (out->done[i] == map)
			return true;
	return false;
}

static void
collect(struct ss_ydoc *y, yaml_node_t *map, bool merged, int depth,
    struct rawpairs *out)
{
	yaml_node_pair_t *pr;
	yaml_node_t *k, *v, *item;
	yaml_node_item_t *it;

	if (depth > 32) {
		ss_yerror(y, map, "merge keys nested too deeply");
		return;
	}
	if (merged && merged_already(out, map))
		return;
	for (pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top;
	    pr++) {
		k = ss_ynode(y, pr->key);
		v = ss_ynode(y, pr->value);
		if (k->type != YAML_SCALAR_NODE) {
			ss_yerror(y, k, "a key must be a string, not %s",
			    ss_ykind(k));
			continue;
		}
		if (ss_yis_plain(k) &&
		    strcmp((const char *)k->data.scalar.value, "<<") == 0) {
			if (v->type == YAML_MAPPING_NODE)
				collect(y, v, true, depth + 1, out);
			else if (v->type == YAML_SEQUENCE_NODE) {
				for (it = v->data.sequence.items.start;
				    it < v->data.sequence.items.top; it++) {
					item = ss_ynode(y, *it);
					if (item->type == YAML_MAPPING_NODE)
						collect(y, item, true, depth + 1, out);
					else
						ss_yerror(y, item, "'<<' merges "
						    "mappings, not %s", ss_ykind(item));
				}
			} else
				ss_yerror(y, v, "'<<' merges mappings, not %s",
				    ss_ykind(v));
			continue;
		}
		SS_ALLOC_GROW(out->v, out->n, out->alloc);
		out->v[out->n].p.key = (const char *)k->data.scalar.value;
		out->v[out->n].p.knode = k;
		out->v[out->n].p.value = v;
		out->v[out->n].merged = merged;
		out->n++;
	}
	if (merged) {
		SS_ALLOC_GROW(out->done, out->ndone, out->adone);
		out->done[out->ndone++] = map;
	}
}

void
ss_ymap(struct ss_ydoc *y, yaml_node_t *map, struct ss_ypairs *out)
{
	struct rawpairs raw = { NULL, 0, 0, NULL, 0, 0 };
	struct ss_map seen = SS_MAP_INIT;
	struct rawpair *first;
	struct ss_loc l;
	size_t i;

	out->n = 0;
	collect(y, map, false, 0, &raw);
	/*
	 * Pass 1: explicit keys claim their names; a second explicit key is
	 * an error. Pass 2: merged keys fill in names nobody claimed, the
	 * first merged one winning.
	 */
	for (i = 0; i < raw.n; i++) {
		if (raw.v[i].merged)
			continue;
		first = ss_map_put(&seen, raw.v[i].p.key, &raw.v[i]);
		if (first != NULL) {
			ss_map_put(&seen, raw.v[i].p.key, first);
			l = ss_yloc(y, first->p.knode);
			ss_yerror(y, raw.v[i].p.knode,
			    "duplicate key '%s' (first defined at line %d, "
			    "column %d)", raw.v[i].p.key, l.line, l.col);
			raw.v[i].p.key = NULL;
		}
	}
	for (i = 0; i < raw.n; i++) {
		if (!raw.v[i].merged)
			continue;
		if (ss_map_get(&seen, raw.v[i].p.key) != NULL)
			raw.v[i].p.key = NULL;
		else
			ss_map_put(&seen, raw.v[i].p.key, &raw.v[i]);
	}
	for (i = 0; i < raw.n; i++) {
		if (raw.v[i].p.key == NULL)
			continue;
		SS_ALLOC_GROW(out->v, out->n, out->alloc);
		out->v[out->n++] = raw.v[i].p;
	}
	ss_map_release(&seen);
	free(raw.v);
	free(raw.done);
}
