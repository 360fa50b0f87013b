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
	free(p->kids);
	free(p->frames);
	free(p->nuls);
	ss_map_release(&p->anchors);
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

/* Reports the parser's error (libyaml's, or one of ours set alike). */
static void
report(struct ss_yparser *p)
{
	yaml_parser_t *ps = &p->parser;
	struct ss_loc loc;
	size_t bad;

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
			return;
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
}

/*
 * What libyaml's loader (yaml_parser_load) says about aliases, set as
 * it sets them so that report() words them alike.
 */
static void
composer_error(struct ss_yparser *p, const char *context,
    const struct ss_ynode *first, const char *problem, yaml_mark_t mark)
{
	yaml_parser_t *ps = &p->parser;

	ps->error = YAML_COMPOSER_ERROR;
	ps->context = context;
	if (first != NULL) {
		ps->context_mark.line = (size_t)first->line - 1;
		ps->context_mark.column = (size_t)first->col - 1;
	}
	ps->problem = problem;
	ps->problem_mark = mark;
}

/* An open collection: its node and where its children start in kids. */
struct ss_yframe {
	struct ss_ynode *node;
	size_t base;
};

/* A node with room for extra bytes after it (a scalar's text). */
static struct ss_ynode *
new_node(struct ss_ydoc *y, enum ss_ytype type, const yaml_mark_t *m,
    size_t extra)
{
	struct ss_ynode *n = ss_arena_alloc(&y->arena, sizeof *n + extra);

	n->type = type;
	n->line = (int)m->line + 1;
	n->col = (int)m->column + 1;
	return n;
}

/* Adds n to the open collection (or makes it the root). */
static void
add_kid(struct ss_yparser *p, struct ss_ydoc *y, struct ss_ynode *n)
{
	if (p->nframes == 0) {
		y->root = n;
		return;
	}
	SS_ALLOC_GROW(p->kids, p->nkids, p->akids);
	p->kids[p->nkids++] = n;
}

/* Anchors name nodes from where they are defined on (libyaml's rule:
 * a second anchor of one name is an error). 0, or -1 on that error. */
static int
anchor(struct ss_yparser *p, struct ss_ydoc *y, const yaml_char_t *name,
    struct ss_ynode *n, const yaml_mark_t *mark)
{
	const struct ss_ynode *first;
	char *key;

	if (name == NULL)
		return 0;
	if ((first = ss_map_get(&p->anchors, (const char *)name)) != NULL) {
		composer_error(p, "found duplicate anchor; first occurrence",
		    first, "second occurrence", *mark);
		return -1;
	}
	key = ss_arena_strdup(&y->arena, (const char *)name);
	ss_map_put(&p->anchors, key, n);
	return 0;
}

/*
 * Reads the events of one document (its DOCUMENT-START is read) into
 * y's tree, as yaml_parser_load() would. 0, or -1 on an error left in
 * the parser for report().
 */
static int
build(struct ss_yparser *p, struct ss_ydoc *y)
{
	yaml_parser_t *ps = &p->parser;
	struct ss_yframe *f;
	struct ss_ynode *n;
	yaml_event_t ev;
	size_t k;
	char *s;

	for (;;) {
		if (!yaml_parser_parse(ps, &ev))
			return -1;
		switch (ev.type) {
		case YAML_DOCUMENT_END_EVENT:
			yaml_event_delete(&ev);
			return 0;
		case YAML_ALIAS_EVENT:
			n = ss_map_get(&p->anchors,
			    (const char *)ev.data.alias.anchor);
			if (n == NULL) {
				composer_error(p, NULL, NULL,
				    "found undefined alias", ev.start_mark);
				yaml_event_delete(&ev);
				return -1;
			}
			add_kid(p, y, n);
			break;
		case YAML_SCALAR_EVENT:
			n = new_node(y, SS_YSCALAR, &ev.start_mark,
			    ev.data.scalar.length + 1);
			n->plain = ev.data.scalar.style ==
			    YAML_PLAIN_SCALAR_STYLE;
			n->n = ev.data.scalar.length;
			s = (char *)(n + 1);	/* zeroed: NUL-terminated */
			memcpy(s, ev.data.scalar.value, n->n);
			n->s = s;
			/* "x\0y" is three bytes to YAML but "x" to every C
			 * string that carries it on: refused (below). */
			if (memchr(s, '\0', n->n) != NULL) {
				SS_ALLOC_GROW(p->nuls, p->nnuls, p->anuls);
				p->nuls[p->nnuls++] = n;
			}
			if (anchor(p, y, ev.data.scalar.anchor, n,
			    &ev.start_mark) < 0) {
				yaml_event_delete(&ev);
				return -1;
			}
			add_kid(p, y, n);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			n = new_node(y, ev.type == YAML_SEQUENCE_START_EVENT ?
			    SS_YSEQUENCE : SS_YMAPPING, &ev.start_mark, 0);
			if (anchor(p, y, ev.type == YAML_SEQUENCE_START_EVENT ?
			    ev.data.sequence_start.anchor :
			    ev.data.mapping_start.anchor, n,
			    &ev.start_mark) < 0) {
				yaml_event_delete(&ev);
				return -1;
			}
			add_kid(p, y, n);
			SS_ALLOC_GROW(p->frames, p->nframes, p->aframes);
			p->frames[p->nframes].node = n;
			p->frames[p->nframes++].base = p->nkids;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			f = &p->frames[--p->nframes];
			n = f->node;
			k = p->nkids - f->base;
			n->n = n->type == SS_YMAPPING ? k / 2 : k;
			if (k > 0) {
				n->items = ss_arena_alloc(&y->arena,
				    k * sizeof *n->items);
				memcpy(n->items, p->kids + f->base,
				    k * sizeof *n->items);
			}
			p->nkids = f->base;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
}

int
ss_yparser_next(struct ss_yparser *p, struct ss_ydoc *y)
{
	yaml_parser_t *ps = &p->parser;
	yaml_event_t ev;
	size_t i;
	int r;

	memset(y, 0, sizeof *y);
	ss_arena_init(&y->arena);
	y->file = p->file;
	y->diags = p->diags;
	if (!ps->stream_start_produced) {
		if (!yaml_parser_parse(ps, &ev))
			goto fail;
		yaml_event_delete(&ev);	/* STREAM-START */
	}
	if (ps->stream_end_produced)
		return 0;
	if (!yaml_parser_parse(ps, &ev))
		goto fail;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		return 0;
	}
	yaml_event_delete(&ev);	/* DOCUMENT-START */
	p->nkids = p->nframes = p->nnuls = 0;
	r = build(p, y);
	ss_map_release(&p->anchors);	/* their names are in y's arena */
	if (r < 0)
		goto fail;
	for (i = 0; i < p->nnuls; i++)
		ss_yerror(y, p->nuls[i], "a string must not hold a NUL "
		    "character (\\0)");
	if (p->nnuls > 0) {
		ss_ydoc_release(y);
		return -1;
	}
	return 1;
fail:
	report(p);
	ss_ydoc_release(y);
	return -1;
}

void
ss_ydoc_release(struct ss_ydoc *y)
{
	ss_arena_release(&y->arena);
	y->root = NULL;
	free(y->raw);
	free(y->done);
	y->raw = NULL;
	y->done = NULL;
	y->araw = y->adone = 0;
}

struct ss_ynode *
ss_yroot(struct ss_ydoc *y)
{
	return y->root;
}

struct ss_loc
ss_yloc(const struct ss_ydoc *y, const struct ss_ynode *n)
{
	struct ss_loc loc;

	loc.file = y->file;
	loc.line = n->line;
	loc.col = n->col;
	return loc;
}

void
ss_yerror(struct ss_ydoc *y, const struct ss_ynode *n, const char *fmt, ...)
{
	struct ss_loc loc = ss_yloc(y, n);
	va_list ap;

	va_start(ap, fmt);
	ss_diag_vadd(y->diags, SS_SEV_ERROR, &loc, fmt, ap);
	va_end(ap);
}

const char *
ss_ykind(const struct ss_ynode *n)
{
	switch (n->type) {
	case SS_YMAPPING:
		return "a mapping";
	case SS_YSEQUENCE:
		return "a list";
	case SS_YSCALAR:
		return ss_yis_null(n) ? "nothing" : "a scalar";
	default:
		return "nothing";
	}
}

bool
ss_yis_plain(const struct ss_ynode *n)
{
	return n->type == SS_YSCALAR && n->plain;
}

bool
ss_yis_null(const struct ss_ynode *n)
{
	const char *s;

	if (!ss_yis_plain(n))
		return false;
	s = n->s;
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
ss_ystr(struct ss_ydoc *y, struct ss_ynode *n, const char *what)
{
	if (n->type != SS_YSCALAR || ss_yis_null(n)) {
		ss_yerror(y, n, "expected a string for '%s', got %s", what,
		    ss_ykind(n));
		return NULL;
	}
	return n->s;
}

int
ss_ybool(struct ss_ydoc *y, struct ss_ynode *n, const char *what, bool *out)
{
	if (n->type == SS_YSCALAR && ss_yis_plain(n) &&
	    ss_yscalar_is_bool(n->s, out))
		return 0;
	if (n->type == SS_YSCALAR && !ss_yis_null(n))
		ss_yerror(y, n, "expected true or false for '%s', got '%s'",
		    what, n->s);
	else
		ss_yerror(y, n, "expected true or false for '%s', got %s",
		    what, ss_ykind(n));
	return -1;
}

int
ss_yint(struct ss_ydoc *y, struct ss_ynode *n, const char *what, long min,
    long max, long *out)
{
	const char *s;
	char *end;
	long v;

	if (n->type == SS_YSCALAR && ss_yis_plain(n)) {
		s = n->s;
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
	const struct ss_ynode **done;	/* mappings merged in full already */
	size_t ndone, adone;
};

/*
 * Merging a mapping a second time adds nothing (its keys are taken
 * already, and the first wins), so each is merged once. Without this,
 * mappings that merge the one before ten times over, eight deep, expand
 * to 10^8 keys: a "billion laughs" made of merge keys.
 */
static bool
merged_already(const struct rawpairs *out, const struct ss_ynode *map)
{
	size_t i;

	for (i = 0; i < out->ndone; i++)
		if (out->done[i] == map)
			return true;
	return false;
}

static void
collect(struct ss_ydoc *y, const struct ss_ynode *map, bool merged, int depth,
    struct rawpairs *out)
{
	struct ss_ynode *k, *v, *item;
	size_t i, j;

	if (depth > 32) {
		ss_yerror(y, map, "merge keys nested too deeply");
		return;
	}
	if (merged && merged_already(out, map))
		return;
	for (i = 0; i < map->n; i++) {
		k = map->items[2 * i];
		v = map->items[2 * i + 1];
		if (k->type != SS_YSCALAR) {
			ss_yerror(y, k, "a key must be a string, not %s",
			    ss_ykind(k));
			continue;
		}
		if (k->plain && k->n == 2 && k->s[0] == '<' && k->s[1] == '<') {
			if (v->type == SS_YMAPPING)
				collect(y, v, true, depth + 1, out);
			else if (v->type == SS_YSEQUENCE) {
				for (j = 0; j < v->n; j++) {
					item = v->items[j];
					if (item->type == SS_YMAPPING)
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
		out->v[out->n].p.key = k->s;
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

/*
 * The pair of raw[0..n) whose key is key, or NULL: a mapping of a
 * schema file has a handful of keys, so a scan beats hashing; a big
 * one (the tables) is hashed.
 */
#define YMAP_SCAN 16

static struct rawpair *
scan(struct rawpair **seen, size_t nseen, const char *key)
{
	size_t i;

	for (i = 0; i < nseen; i++)
		if (strcmp(seen[i]->p.key, key) == 0)
			return seen[i];
	return NULL;
}

void
ss_ymap(struct ss_ydoc *y, struct ss_ynode *map, struct ss_ypairs *out)
{
	struct rawpairs raw;
	struct ss_map seen = SS_MAP_INIT;
	struct rawpair *first, *few[YMAP_SCAN];
	struct ss_loc l;
	size_t i, nfew = 0;
	bool hash;

	/* The scratch arrays of the last call, grown as needed. */
	raw.v = y->raw;
	raw.alloc = y->araw;
	raw.n = 0;
	raw.done = y->done;
	raw.adone = y->adone;
	raw.ndone = 0;
	out->n = 0;
	collect(y, map, false, 0, &raw);
	hash = raw.n > YMAP_SCAN;
	/*
	 * Pass 1: explicit keys claim their names; a second explicit key is
	 * an error. Pass 2: merged keys fill in names nobody claimed, the
	 * first merged one winning.
	 */
	for (i = 0; i < raw.n; i++) {
		if (raw.v[i].merged)
			continue;
		if (hash)
			first = ss_map_put(&seen, raw.v[i].p.key, &raw.v[i]);
		else if ((first = scan(few, nfew, raw.v[i].p.key)) == NULL)
			few[nfew++] = &raw.v[i];
		if (first != NULL) {
			if (hash)
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
		if (hash) {
			if (ss_map_get(&seen, raw.v[i].p.key) != NULL)
				raw.v[i].p.key = NULL;
			else
				ss_map_put(&seen, raw.v[i].p.key, &raw.v[i]);
		} else if (scan(few, nfew, raw.v[i].p.key) != NULL)
			raw.v[i].p.key = NULL;
		else
			few[nfew++] = &raw.v[i];
	}
	if (out->alloc < raw.n) {
		out->alloc = raw.n;
		out->v = ss_xrealloc(out->v, out->alloc * sizeof *out->v);
	}
	for (i = 0; i < raw.n; i++)
		if (raw.v[i].p.key != NULL)
			out->v[out->n++] = raw.v[i].p;
	ss_map_release(&seen);
	y->raw = raw.v;
	y->araw = raw.alloc;
	y->done = raw.done;
	y->adone = raw.adone;
}
