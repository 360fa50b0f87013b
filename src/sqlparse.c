/*
 * Tokenizer and parser for SQLite's CREATE TABLE / CREATE INDEX
 * (include/ss/sqlparse.h).
 *
 * Design notes:
 *  1. The scanner follows SQLite's own tokenize.c closely enough that any
 *     text SQLite stored in sqlite_schema splits the same way: the same
 *     quotes, the same comments (a block comment may run to the end of
 *     the text), numbers with a leading dot, x'..' blobs, and 2- and
 *     3-byte operators.
 *  2. The parser is a recursive-descent walk over the token stream with
 *     one token of lookahead plus cheap copies of the scanner state for
 *     the few places that need two (NOT NULL vs NOT DEFERRABLE).
 *  3. Expressions are never parsed, only skipped with their parentheses
 *     balanced, and returned as the slice of source text they span: that
 *     is exactly what SQLite itself stores and what the emitter wrote.
 *  4. Keywords are recognised only as bare words and only where the
 *     grammar allows one, so a column named "primary" or [check] is a
 *     column, as it is to SQLite.
 *  5. A syntax error unwinds with longjmp() to the entry point, which
 *     returns -1. That is safe because the parser allocates only in the
 *     caller's arena and holds no other resource, and it keeps every
 *     grammar rule free of error plumbing.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ss/util.h"
#include "ss/sqlparse.h"

void
ss_sqllex_init(struct ss_sqllex *lx, const char *s, size_t len)
{
	lx->s = s;
	lx->len = len;
	lx->pos = 0;
	lx->saw_line_comment = false;
}

/* ASCII classes, without the locale tables: SQLite's own are ASCII. */
static inline bool
is_alpha(unsigned char c)
{
	return (unsigned char)((c | 0x20) - 'a') < 26;
}

static inline bool
is_digit(unsigned char c)
{
	return (unsigned char)(c - '0') < 10;
}

static inline bool
is_word_start(unsigned char c)
{
	return is_alpha(c) || c == '_' || c >= 0x80;
}

static inline bool
is_word_char(unsigned char c)
{
	return is_word_start(c) || is_digit(c) || c == '$';
}

static inline bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

/* Skips white space and comments. */
static void
skip_space(struct ss_sqllex *lx)
{
	const char *s = lx->s;
	size_t n = lx->len, i = lx->pos;

	for (;;) {
		while (i < n && is_space((unsigned char)s[i]))
			i++;
		if (i + 1 < n && s[i] == '-' && s[i + 1] == '-') {
			lx->saw_line_comment = true;
			while (i < n && s[i] != '\n')
				i++;
			continue;
		}
		if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
			i += 2;
			while (i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'))
				i++;
			i = i + 1 < n ? i + 2 : n;	/* may run to the end */
			continue;
		}
		break;
	}
	lx->pos = i;
}

/* Scans a quoted run ending at q, where qq inside stands for one q. */
static size_t
scan_quoted(const char *s, size_t n, size_t i, char q, bool doubled, bool *ok)
{
	for (i++; i < n; i++) {
		if (s[i] != q)
			continue;
		if (doubled && i + 1 < n && s[i + 1] == q) {
			i++;
			continue;
		}
		*ok = true;
		return i + 1;
	}
	*ok = false;
	return n;
}

void
ss_sqllex_next(struct ss_sqllex *lx, struct ss_sqltok *t)
{
	const char *s;
	size_t n, i, start;
	unsigned char c;
	bool ok = true;

	skip_space(lx);
	s = lx->s;
	n = lx->len;
	i = start = lx->pos;
	t->p = s + i;
	if (i >= n) {
		t->kind = SS_TOK_END;
		t->len = 0;
		return;
	}
	c = (unsigned char)s[i];
	if ((c == 'x' || c == 'X') && i + 1 < n && s[i + 1] == '\'') {
		t->kind = SS_TOK_BLOB;
		i = scan_quoted(s, n, i + 1, '\'', false, &ok);
	} else if (is_word_start(c)) {
		t->kind = SS_TOK_WORD;
		while (i < n && is_word_char((unsigned char)s[i]))
			i++;
	} else if (c == '\'') {
		t->kind = SS_TOK_STRING;
		i = scan_quoted(s, n, i, '\'', true, &ok);
	} else if (c == '"' || c == '`') {
		t->kind = SS_TOK_QUOTED;
		i = scan_quoted(s, n, i, (char)c, true, &ok);
	} else if (c == '[') {
		t->kind = SS_TOK_QUOTED;
		i = scan_quoted(s, n, i, ']', false, &ok);
	} else if (is_digit(c) || (c == '.' && i + 1 < n &&
	    is_digit((unsigned char)s[i + 1]))) {
		t->kind = SS_TOK_NUMBER;
		if (c == '0' && i + 2 < n && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
		    isxdigit((unsigned char)s[i + 2])) {
			i += 2;
			while (i < n && isxdigit((unsigned char)s[i]))
				i++;
		} else {
			while (i < n && (is_digit((unsigned char)s[i]) || s[i] == '_'))
				i++;
			if (i < n && s[i] == '.')
				for (i++; i < n && is_digit((unsigned char)s[i]); i++)
					;
			if (i + 1 < n && (s[i] == 'e' || s[i] == 'E') &&
			    (is_digit((unsigned char)s[i + 1]) ||
			    ((s[i + 1] == '+' || s[i + 1] == '-') && i + 2 < n &&
			    is_digit((unsigned char)s[i + 2])))) {
				i += 2;
				while (i < n && is_digit((unsigned char)s[i]))
					i++;
			}
		}
		/* "12abc" is one bad token to SQLite. */
		if (i < n && is_word_char((unsigned char)s[i])) {
			while (i < n && is_word_char((unsigned char)s[i]))
				i++;
			ok = false;
		}
	} else if (c == '?' || c == ':' || c == '@' || c == '$') {
		t->kind = SS_TOK_VARIABLE;
		for (i++; i < n && is_word_char((unsigned char)s[i]); i++)
			;
	} else {
		/* ->> || <= >= == != <> << >> -> */
		char d = i + 1 < n ? s[i + 1] : '\0';
		t->kind = SS_TOK_PUNCT;
		i++;
		switch (c) {
		case '-':
			if (d == '>')
				i += i + 1 < n && s[i + 1] == '>' ? 2 : 1;
			break;
		case '|':
			i += d == '|';
			break;
		case '<':
			i += d == '=' || d == '>' || d == '<';
			break;
		case '>':
			i += d == '=' || d == '>';
			break;
		case '=':
		case '!':
			i += d == '=';
			break;
		}
		if (c < 0x20 || c == 0x7f)
			ok = false;
	}
	if (!ok)
		t->kind = SS_TOK_ERROR;
	t->len = i - start;
	lx->pos = i;
}

/* Whether a and b are the same byte, ASCII letters compared without case. */
static inline bool
same_fold(unsigned char a, unsigned char b)
{
	return a == b || ((a ^ b) == 0x20 && is_alpha(a));
}

bool
ss_sqltok_is(const struct ss_sqltok *t, const char *w)
{
	size_t i;

	if ((t->kind != SS_TOK_WORD && t->kind != SS_TOK_PUNCT) ||
	    t->len == 0 || !same_fold((unsigned char)t->p[0],
	    (unsigned char)w[0]))
		return false;
	for (i = 1; i < t->len; i++)
		if (w[i] == '\0' || !same_fold((unsigned char)t->p[i],
		    (unsigned char)w[i]))
			return false;
	return w[i] == '\0';
}

char *
ss_sqltok_value(struct ss_arena *a, const struct ss_sqltok *t)
{
	char q, close, *r, *o;
	size_t i;

	if (t->kind != SS_TOK_QUOTED && t->kind != SS_TOK_STRING)
		return ss_arena_strndup(a, t->p, t->len);
	q = t->p[0];
	close = q == '[' ? ']' : q;
	if (t->len < 2)
		return ss_arena_strdup(a, "");
	/* Most names hold no quote: one copy. */
	if (q == '[' || memchr(t->p + 1, close, t->len - 2) == NULL)
		return ss_arena_strndup(a, t->p + 1, t->len - 2);
	r = o = ss_arena_alloc(a, t->len);
	for (i = 1; i + 1 < t->len; i++) {
		*o++ = t->p[i];
		if (t->p[i] == close && i + 2 < t->len && t->p[i + 1] == close)
			i++;
	}
	*o = '\0';
	return r;
}

/* Whether two tokens are the same, by the rules of ss_sql_same_expr(). */
static bool
same_token(struct ss_arena *a, const struct ss_sqltok *x,
    const struct ss_sqltok *y)
{
	size_t i;

	if ((x->kind == SS_TOK_WORD || x->kind == SS_TOK_QUOTED) &&
	    (y->kind == SS_TOK_WORD || y->kind == SS_TOK_QUOTED)) {
		char *xv, *yv;
		if (x->kind == SS_TOK_WORD && y->kind == SS_TOK_WORD) {
			if (x->len != y->len)
				return false;
			for (i = 0; i < x->len; i++)
				if (tolower((unsigned char)x->p[i]) !=
				    tolower((unsigned char)y->p[i]))
					return false;
			return true;
		}
		xv = ss_sqltok_value(a, x);
		yv = ss_sqltok_value(a, y);
		return strcmp(xv, yv) == 0;
	}
	return x->kind == y->kind && x->len == y->len &&
	    memcmp(x->p, y->p, x->len) == 0;
}

bool
ss_sql_same_expr(const char *a, const char *b)
{
	struct ss_arena ar = SS_ARENA_INIT;
	struct ss_sqllex la, lb;
	struct ss_sqltok ta, tb;
	bool same = true;

	ss_sqllex_init(&la, a, strlen(a));
	ss_sqllex_init(&lb, b, strlen(b));
	do {
		ss_sqllex_next(&la, &ta);
		ss_sqllex_next(&lb, &tb);
		if (!same_token(&ar, &ta, &tb)) {
			same = false;
			break;
		}
	} while (ta.kind != SS_TOK_END);
	ss_arena_release(&ar);
	return same;
}

bool
ss_sql_mentions(const char *query, const char *name)
{
	struct ss_arena ar = SS_ARENA_INIT;
	struct ss_sqllex lx;
	struct ss_sqltok t;
	size_t n = strlen(name);
	bool found = false;

	ss_sqllex_init(&lx, query, strlen(query));
	for (;;) {
		ss_sqllex_next(&lx, &t);
		if (t.kind == SS_TOK_END)
			break;
		if (t.kind == SS_TOK_WORD)
			found = t.len == n && strncasecmp(t.p, name, n) == 0;
		else if (t.kind == SS_TOK_QUOTED)
			found = strcasecmp(ss_sqltok_value(&ar, &t), name) == 0;
		if (found || (t.kind == SS_TOK_ERROR && lx.pos >= lx.len))
			break;
	}
	ss_arena_release(&ar);
	return found;
}

int
ss_sqlp_create_view(struct ss_arena *a, const char *sql, const char **name,
    const char **query, bool *columns, struct ss_buf *why)
{
	struct ss_sqllex lx;
	struct ss_sqltok t;
	size_t start, end;

	*columns = false;
	ss_sqllex_init(&lx, sql, strlen(sql));
	ss_sqllex_next(&lx, &t);
	if (!ss_sqltok_is(&t, "CREATE"))
		goto bad;
	ss_sqllex_next(&lx, &t);
	if (ss_sqltok_is(&t, "TEMP") || ss_sqltok_is(&t, "TEMPORARY"))
		ss_sqllex_next(&lx, &t);
	if (!ss_sqltok_is(&t, "VIEW"))
		goto bad;
	ss_sqllex_next(&lx, &t);
	if (ss_sqltok_is(&t, "IF")) {
		ss_sqllex_next(&lx, &t);	/* NOT */
		ss_sqllex_next(&lx, &t);	/* EXISTS */
		ss_sqllex_next(&lx, &t);
	}
	if (t.kind != SS_TOK_WORD && t.kind != SS_TOK_QUOTED &&
	    t.kind != SS_TOK_STRING)
		goto bad;
	*name = ss_sqltok_value(a, &t);
	ss_sqllex_next(&lx, &t);
	if (ss_sqltok_is(&t, ".")) {	/* schema.name */
		ss_sqllex_next(&lx, &t);
		*name = ss_sqltok_value(a, &t);
		ss_sqllex_next(&lx, &t);
	}
	if (ss_sqltok_is(&t, "(")) {
		int depth = 1;
		*columns = true;
		while (depth > 0) {
			ss_sqllex_next(&lx, &t);
			if (t.kind == SS_TOK_END || t.kind == SS_TOK_ERROR)
				goto bad;
			depth += ss_sqltok_is(&t, "(") - ss_sqltok_is(&t, ")");
		}
		ss_sqllex_next(&lx, &t);
	}
	if (!ss_sqltok_is(&t, "AS"))
		goto bad;
	start = lx.pos;
	end = strlen(sql);
	while (start < end && strchr(" \t\r\n", sql[start]) != NULL)
		start++;
	while (end > start && strchr(" \t\r\n", sql[end - 1]) != NULL)
		end--;
	if (end > start && sql[end - 1] == ';')
		end--;
	while (end > start && strchr(" \t\r\n", sql[end - 1]) != NULL)
		end--;
	if (end == start)
		goto bad;
	*query = ss_arena_strndup(a, sql + start, end - start);
	return 0;
bad:
	ss_buf_adds(why, "not a CREATE VIEW ... AS statement");
	return -1;
}

bool
ss_sql_has_line_comment(const char *text)
{
	struct ss_sqllex lx;
	struct ss_sqltok t;

	ss_sqllex_init(&lx, text, strlen(text));
	do
		ss_sqllex_next(&lx, &t);
	while (t.kind != SS_TOK_END);
	return lx.saw_line_comment;
}

bool
ss_sql_is_decimal(const char *s)
{
	return ss_is_decimal(s);
}

char *
ss_sql_unparen(struct ss_arena *a, const char *s)
{
	struct ss_sqllex lx;
	struct ss_sqltok t, first, last;
	int depth = 0;

	ss_sqllex_init(&lx, s, strlen(s));
	ss_sqllex_next(&lx, &first);
	if (!ss_sqltok_is(&first, "("))
		return NULL;
	depth = 1;
	last = first;
	for (;;) {
		ss_sqllex_next(&lx, &t);
		if (t.kind == SS_TOK_END || t.kind == SS_TOK_ERROR)
			return NULL;
		if (ss_sqltok_is(&t, "("))
			depth++;
		else if (ss_sqltok_is(&t, ")") && --depth == 0)
			break;
		last = t;
	}
	ss_sqllex_next(&lx, &t);
	if (t.kind != SS_TOK_END || last.p == first.p)
		return NULL;	/* more after the group, or "()" */
	ss_sqllex_init(&lx, first.p + 1, (size_t)(last.p + last.len -
	    (first.p + 1)));
	ss_sqllex_next(&lx, &first);
	return ss_arena_strndup(a, first.p, (size_t)(last.p + last.len -
	    first.p));
}

/* The parser. */

struct parser {
	struct ss_arena *a;
	struct ss_buf *why;
	const char *src;
	struct ss_sqllex lx;
	struct ss_sqltok tok;	/* the current token */
	struct ss_sqltok prev;	/* the one before, for ends of slices */
	jmp_buf fail;
	struct ss_sqlp_names *skipped;	/* CREATE TABLE: what is read past */
	/* The current token once upper-cased, when it is a word or
	 * punctuation short enough to be a keyword; "" otherwise. Every
	 * keyword test compares with it rather than folding case again. */
	char up[24];
};

static void
advance(struct parser *P)
{
	size_t i;

	P->prev = P->tok;
	ss_sqllex_next(&P->lx, &P->tok);
	P->up[0] = '\0';
	if ((P->tok.kind == SS_TOK_WORD || P->tok.kind == SS_TOK_PUNCT) &&
	    P->tok.len < sizeof P->up) {
		for (i = 0; i < P->tok.len; i++)
			P->up[i] = (char)(is_alpha((unsigned char)P->tok.p[i]) ?
			    P->tok.p[i] & ~0x20 : P->tok.p[i]);
		P->up[i] = '\0';
	}
}

/* Whether the current token is the keyword or punctuation w (upper case). */
static inline bool
is(const struct parser *P, const char *w)
{
	return P->up[0] == w[0] && strcmp(P->up, w) == 0;
}

static void
fail(struct parser *P, const char *what) __attribute__((noreturn));

static void
fail(struct parser *P, const char *what)
{
	if (P->tok.kind == SS_TOK_END)
		ss_buf_addf(P->why, "expected %s at the end of the statement",
		    what);
	else if (P->tok.kind == SS_TOK_ERROR)
		ss_buf_addf(P->why, "malformed token '%.*s' at offset %zu",
		    (int)(P->tok.len > 20 ? 20 : P->tok.len), P->tok.p,
		    (size_t)(P->tok.p - P->src));
	else
		ss_buf_addf(P->why, "expected %s at offset %zu, found '%.*s'",
		    what, (size_t)(P->tok.p - P->src),
		    (int)(P->tok.len > 20 ? 20 : P->tok.len), P->tok.p);
	longjmp(P->fail, 1);
}

static bool
accept(struct parser *P, const char *w)
{
	if (!is(P, w))
		return false;
	advance(P);
	return true;
}

static void
expect(struct parser *P, const char *w)
{
	if (!accept(P, w))
		fail(P, ss_arena_printf(P->a, "'%s'", w));
}

/* Whether the token after the current one is the word w. */
static bool
peek_is(struct parser *P, const char *w)
{
	struct ss_sqllex save = P->lx;
	struct ss_sqltok t;

	ss_sqllex_next(&save, &t);
	return ss_sqltok_is(&t, w);
}

static bool
is_name_token(const struct ss_sqltok *t)
{
	return t->kind == SS_TOK_WORD || t->kind == SS_TOK_QUOTED ||
	    t->kind == SS_TOK_STRING;
}

static char *
name(struct parser *P, const char *what)
{
	char *v;

	if (!is_name_token(&P->tok))
		fail(P, what);
	v = ss_sqltok_value(P->a, &P->tok);
	advance(P);
	return v;
}

/* [schema .] name */
static char *
qualified_name(struct parser *P, const char *what)
{
	char *v = name(P, what);

	if (accept(P, "."))
		v = name(P, what);
	return v;
}

static char *
slice(struct parser *P, const char *from, const char *to)
{
	return ss_arena_strndup(P->a, from, (size_t)(to - from));
}

/* The text in [from, to) with white space trimmed at both ends. */
static char *
trimmed(struct parser *P, const char *from, const char *to)
{
	while (from < to && isspace((unsigned char)*from))
		from++;
	while (to > from && isspace((unsigned char)to[-1]))
		to--;
	return slice(P, from, to);
}

/*
 * With the current token just after an opening parenthesis, skips to
 * the matching ')' and consumes it; returns the text inside, verbatim
 * with comments, trimmed of white space ("" when empty).
 */
static char *
balanced(struct parser *P)
{
	const char *start = P->prev.p + P->prev.len;
	int depth = 1;

	for (;;) {
		if (P->tok.kind == SS_TOK_END || P->tok.kind == SS_TOK_ERROR)
			fail(P, "')'");
		if (is(P, "("))
			depth++;
		else if (is(P, ")") && --depth == 0)
			break;
		advance(P);
	}
	advance(P);
	return trimmed(P, start, P->prev.p);
}

static void
names_add(struct parser *P, struct ss_sqlp_names *l, char *v)
{
	*SS_ARENA_PUSH(P->a, l->v, l->n, l->alloc) = v;
}

/* ( name [COLLATE c] [ASC|DESC], ... ) as in a PRIMARY KEY or UNIQUE. */
static void
key_columns(struct parser *P, struct ss_sqlp_key *k)
{
	expect(P, "(");
	do {
		names_add(P, &k->columns, name(P, "a column name"));
		if (accept(P, "COLLATE"))
			name(P, "a collation name");
		if (!accept(P, "ASC"))
			accept(P, "DESC");
	} while (accept(P, ","));
	if (accept(P, "AUTOINCREMENT"))
		k->autoincrement = true;
	expect(P, ")");
}

static void
conflict_clause(struct parser *P)
{
	if (is(P, "ON") && peek_is(P, "CONFLICT")) {
		advance(P);
		advance(P);
		if (!is_name_token(&P->tok))
			fail(P, "a conflict resolution");
		if (P->skipped != NULL)
			names_add(P, P->skipped, ss_arena_printf(P->a,
			    "ON CONFLICT %s", ss_sqltok_value(P->a, &P->tok)));
		advance(P);
	}
}

static enum ss_sqlp_action
action(struct parser *P)
{
	if (accept(P, "SET")) {
		if (accept(P, "NULL"))
			return SS_SQLP_SET_NULL;
		expect(P, "DEFAULT");
		return SS_SQLP_SET_DEFAULT;
	}
	if (accept(P, "CASCADE"))
		return SS_SQLP_CASCADE;
	if (accept(P, "RESTRICT"))
		return SS_SQLP_RESTRICT;
	expect(P, "NO");
	expect(P, "ACTION");
	return SS_SQLP_NO_ACTION;
}

/* After REFERENCES: table [(cols)] {ON DELETE|UPDATE a | MATCH n}* [deferrable]. */
static void
fk_clause(struct parser *P, struct ss_sqlp_fk *fk)
{
	fk->ref_table = name(P, "a table name");
	if (accept(P, "(")) {
		do
			names_add(P, &fk->ref_columns, name(P, "a column name"));
		while (accept(P, ","));
		expect(P, ")");
	}
	for (;;) {
		if (is(P, "ON") && !peek_is(P, "CONFLICT")) {
			advance(P);
			if (accept(P, "DELETE"))
				fk->on_delete = action(P);
			else {
				expect(P, "UPDATE");
				fk->on_update = action(P);
			}
		} else if (accept(P, "MATCH"))
			fk->match = name(P, "a match type");
		else
			break;
	}
	if (is(P, "NOT") && peek_is(P, "DEFERRABLE"))
		advance(P);
	else if (is(P, "DEFERRABLE"))
		fk->deferrable = true;
	if (accept(P, "DEFERRABLE")) {
		if (accept(P, "INITIALLY")) {
			if (accept(P, "DEFERRED"))
				fk->initially_deferred = true;
			else
				expect(P, "IMMEDIATE");
		}
	}
}

static const char *const column_keywords[] = { "CONSTRAINT", "PRIMARY",
	"NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES",
	"GENERATED", "AS", NULL };

static bool
is_column_keyword(const struct parser *P)
{
	size_t i;

	for (i = 0; column_keywords[i] != NULL; i++)
		if (is(P, column_keywords[i]))
			return true;
	return false;
}

/* DEFAULT's value: (expr), [+-] number, a literal, or a name. */
static char *
default_value(struct parser *P)
{
	const char *start = P->tok.p;

	if (accept(P, "(")) {
		balanced(P);
		return slice(P, start, P->prev.p + P->prev.len);
	}
	if (is(P, "+") || is(P, "-")) {
		advance(P);
		if (P->tok.kind != SS_TOK_NUMBER)
			fail(P, "a number");
	} else if (P->tok.kind != SS_TOK_NUMBER &&
	    P->tok.kind != SS_TOK_BLOB && !is_name_token(&P->tok))
		fail(P, "a default value");
	advance(P);
	return slice(P, start, P->prev.p + P->prev.len);
}

static void
column_def(struct parser *P, struct ss_sqlp_table *t)
{
	struct ss_sqlp_column *c;
	const char *tstart = NULL, *tend = NULL, *cname = NULL;

	c = SS_ARENA_PUSH(P->a, t->columns, t->ncolumns, t->acolumns);
	memset(c, 0, sizeof *c);
	c->name = name(P, "a column name");
	/* The type: names, then an optional (n) or (n, m). */
	while (is_name_token(&P->tok) && !(P->tok.kind == SS_TOK_WORD &&
	    is_column_keyword(P))) {
		if (tstart == NULL)
			tstart = P->tok.p;
		tend = P->tok.p + P->tok.len;
		advance(P);
	}
	if (tstart != NULL && accept(P, "(")) {
		balanced(P);
		tend = P->prev.p + P->prev.len;
	}
	c->type = tstart ? slice(P, tstart, tend) : ss_arena_strdup(P->a, "");

	for (;;) {
		if (accept(P, "CONSTRAINT")) {
			cname = name(P, "a constraint name");
			continue;
		}
		if (accept(P, "PRIMARY")) {
			expect(P, "KEY");
			if (!accept(P, "ASC"))
				c->pk_desc = accept(P, "DESC");
			conflict_clause(P);
			c->primary_key = true;
			if (accept(P, "AUTOINCREMENT"))
				c->autoincrement = true;
			if (t->pk == NULL) {
				t->pk = ss_arena_alloc(P->a, sizeof *t->pk);
				t->pk->name = cname;
				t->pk->from_column = true;
				t->pk->autoincrement = c->autoincrement;
				names_add(P, &t->pk->columns,
				    ss_arena_strdup(P->a, c->name));
			}
		} else if (is(P, "NOT") && peek_is(P, "NULL")) {
			advance(P);
			advance(P);
			conflict_clause(P);
			c->not_null = true;
		} else if (accept(P, "NULL")) {
			conflict_clause(P);
		} else if (accept(P, "UNIQUE")) {
			struct ss_sqlp_key *k;
			conflict_clause(P);
			c->unique = true;
			k = SS_ARENA_PUSH(P->a, t->uniques, t->nuniques,
			    t->auniques);
			memset(k, 0, sizeof *k);
			k->name = cname;
			k->from_column = true;
			names_add(P, &k->columns, ss_arena_strdup(P->a, c->name));
		} else if (accept(P, "CHECK")) {
			struct ss_sqlp_check *ck;
			expect(P, "(");
			ck = SS_ARENA_PUSH(P->a, c->checks, c->nchecks,
			    c->achecks);
			ck->name = cname;
			ck->expr = balanced(P);
		} else if (accept(P, "DEFAULT")) {
			c->default_expr = default_value(P);
		} else if (accept(P, "COLLATE")) {
			c->collate = name(P, "a collation name");
		} else if (accept(P, "REFERENCES")) {
			struct ss_sqlp_fk *fk = SS_ARENA_PUSH(P->a, t->fks,
			    t->nfks, t->afks);
			memset(fk, 0, sizeof *fk);
			fk->name = cname;
			names_add(P, &fk->columns, ss_arena_strdup(P->a, c->name));
			fk_clause(P, fk);
		} else if (is(P, "GENERATED") ||
		    is(P, "AS")) {
			if (accept(P, "GENERATED"))
				expect(P, "ALWAYS");
			expect(P, "AS");
			expect(P, "(");
			c->generated_expr = balanced(P);
			if (accept(P, "STORED"))
				c->stored = true;
			else
				accept(P, "VIRTUAL");
			c->generated = true;
		} else
			break;
		cname = NULL;
	}
}

static bool
starts_table_constraint(const struct parser *P)
{
	return is(P, "CONSTRAINT") || is(P, "PRIMARY") || is(P, "UNIQUE") ||
	    is(P, "CHECK") || is(P, "FOREIGN");
}

static void
table_constraint(struct parser *P, struct ss_sqlp_table *t)
{
	const char *cname = NULL;

	if (accept(P, "CONSTRAINT"))
		cname = name(P, "a constraint name");
	if (accept(P, "PRIMARY")) {
		struct ss_sqlp_key *k = ss_arena_alloc(P->a, sizeof *k);
		expect(P, "KEY");
		k->name = cname;
		key_columns(P, k);
		conflict_clause(P);
		if (t->pk != NULL) {
			ss_buf_addf(P->why, "table '%s' has more than one "
			    "primary key", t->name);
			longjmp(P->fail, 1);
		}
		t->pk = k;
	} else if (accept(P, "UNIQUE")) {
		struct ss_sqlp_key *k = SS_ARENA_PUSH(P->a, t->uniques,
		    t->nuniques, t->auniques);
		memset(k, 0, sizeof *k);
		k->name = cname;
		key_columns(P, k);
		conflict_clause(P);
	} else if (accept(P, "CHECK")) {
		struct ss_sqlp_check *ck = SS_ARENA_PUSH(P->a, t->checks,
		    t->nchecks, t->achecks);
		expect(P, "(");
		ck->name = cname;
		ck->expr = balanced(P);
	} else if (accept(P, "FOREIGN")) {
		struct ss_sqlp_fk *fk = SS_ARENA_PUSH(P->a, t->fks, t->nfks,
		    t->afks);
		memset(fk, 0, sizeof *fk);
		fk->name = cname;
		expect(P, "KEY");
		expect(P, "(");
		do
			names_add(P, &fk->columns, name(P, "a column name"));
		while (accept(P, ","));
		expect(P, ")");
		expect(P, "REFERENCES");
		fk_clause(P, fk);
	} else
		fail(P, "PRIMARY KEY, UNIQUE, CHECK or FOREIGN KEY");
}

static void
statement_end(struct parser *P)
{
	accept(P, ";");
	if (P->tok.kind != SS_TOK_END)
		fail(P, "the end of the statement");
}

/* CREATE [TEMP|TEMPORARY] [UNIQUE] <what> [IF NOT EXISTS] */
static void
create_prefix(struct parser *P, const char *what, bool *unique, bool *virt)
{
	expect(P, "CREATE");
	if (!accept(P, "TEMP"))
		accept(P, "TEMPORARY");
	if (unique != NULL && accept(P, "UNIQUE"))
		*unique = true;
	if (virt != NULL && accept(P, "VIRTUAL"))
		*virt = true;
	expect(P, what);
	if (accept(P, "IF")) {
		expect(P, "NOT");
		expect(P, "EXISTS");
	}
}

static void
parser_init(struct parser *P, struct ss_arena *a, const char *sql,
    struct ss_buf *why)
{
	memset(P, 0, sizeof *P);
	P->a = a;
	P->why = why;
	P->src = sql;
	ss_sqllex_init(&P->lx, sql, strlen(sql));
	advance(P);
}

int
ss_sqlp_create_table(struct ss_arena *a, const char *sql,
    struct ss_sqlp_table *out, struct ss_buf *why)
{
	struct parser P;

	memset(out, 0, sizeof *out);
	parser_init(&P, a, sql, why);
	P.skipped = &out->skipped;
	if (setjmp(P.fail) != 0)
		return -1;
	create_prefix(&P, "TABLE", NULL, &out->is_virtual);
	out->name = qualified_name(&P, "a table name");
	if (out->is_virtual) {
		expect(&P, "USING");
		out->module = name(&P, "a module name");
		if (accept(&P, "("))
			balanced(&P);
		statement_end(&P);
		return 0;
	}
	if (is(&P, "AS")) {
		ss_buf_adds(why, "CREATE TABLE ... AS SELECT is not supported");
		return -1;
	}
	expect(&P, "(");
	do {
		if (P.tok.kind == SS_TOK_WORD && starts_table_constraint(&P)) {
			/* SQLite lets table constraints go without commas. */
			do
				table_constraint(&P, out);
			while (starts_table_constraint(&P));
		} else
			column_def(&P, out);
	} while (accept(&P, ","));
	expect(&P, ")");
	if (is_name_token(&P.tok)) {
		do {
			if (accept(&P, "WITHOUT")) {
				expect(&P, "ROWID");
				out->without_rowid = true;
			} else {
				expect(&P, "STRICT");
				out->strict = true;
			}
		} while (accept(&P, ","));
	}
	statement_end(&P);
	if (out->ncolumns == 0) {
		ss_buf_addf(why, "table '%s' has no columns", out->name);
		return -1;
	}
	return 0;
}

int
ss_sqlp_create_index(struct ss_arena *a, const char *sql,
    struct ss_sqlp_index *out, struct ss_buf *why)
{
	struct parser P;
	struct ss_sqlp_entry *e;
	const char *start, *end;
	struct ss_sqltok first;
	int depth, ntok;

	memset(out, 0, sizeof *out);
	parser_init(&P, a, sql, why);
	if (setjmp(P.fail) != 0)
		return -1;
	create_prefix(&P, "INDEX", &out->unique, NULL);
	out->name = qualified_name(&P, "an index name");
	expect(&P, "ON");
	out->table = name(&P, "a table name");
	expect(&P, "(");
	for (;;) {
		/* One entry: tokens up to a ',' or ')' at depth 0. */
		start = end = NULL;
		depth = ntok = 0;
		first = P.tok;
		while (!(depth == 0 && (is(&P, ",") ||
		    is(&P, ")")))) {
			if (P.tok.kind == SS_TOK_END || P.tok.kind == SS_TOK_ERROR)
				fail(&P, "')'");
			if (is(&P, "("))
				depth++;
			else if (is(&P, ")"))
				depth--;
			if (start == NULL)
				start = P.tok.p;
			end = P.tok.p + P.tok.len;
			ntok++;
			advance(&P);
		}
		if (start == NULL)
			fail(&P, "an indexed column");
		e = SS_ARENA_PUSH(a, out->entries, out->nentries, out->aentries);
		e->text = slice(&P, start, end);
		e->column = ntok == 1 && is_name_token(&first) ?
		    ss_sqltok_value(a, &first) : NULL;
		if (accept(&P, ")"))
			break;
		advance(&P);	/* the ',' */
	}
	if (accept(&P, "WHERE")) {
		start = P.prev.p + P.prev.len;
		if (P.tok.kind == SS_TOK_END || is(&P, ";"))
			fail(&P, "an expression after WHERE");
		while (P.tok.kind != SS_TOK_END && !is(&P, ";")) {
			if (P.tok.kind == SS_TOK_ERROR)
				fail(&P, "an expression");
			advance(&P);
		}
		out->where = trimmed(&P, start, P.tok.kind == SS_TOK_END ?
		    P.src + strlen(P.src) : P.tok.p);
	}
	statement_end(&P);
	return 0;
}

/*
 * Verbatim fragments (ss_sql_check_expr, ss_sql_check_type).
 *
 * Each reading is a scan from left to right that tracks only what can
 * end a statement early: quotes, comments and parentheses. It follows
 * the database's own tokenizer where that matters (SQLite's
 * tokenize.c, PostgreSQL's scan.l):
 *  - SQLite: '...', "..." and `...` with the quote doubled inside,
 *    [...] up to the first ']', x'...' (the same as '...' here: a doubled
 *    quote ends one literal and starts the next at the same byte),
 *    comments that do not nest, and variables $a @a :a #a, where
 *    "$a(...)" is one token that runs to the first ')' or space (Tcl
 *    syntax) and so may hide a '(' or ';'.
 *  - PostgreSQL: '...', E'...' (backslash escapes), B'...', X'...',
 *    U&'...', N'...', "...", $tag$...$tag$ where a '$' starts a token
 *    (in a name it is a letter), $1 parameters, and nested comments.
 *    With standard_conforming_strings off, '...' and N'...' take
 *    backslash escapes as E'...' does; that is the third reading.
 *    A number or a parameter run straight into a letter or a '$'
 *    ("1$$", "0x1F$$", "$1a") is refused: PostgreSQL versions split
 *    such text differently (one sees a dollar quote where another sees
 *    a name), and no expression needs it.
 * A fragment is accepted only when every reading accepts it.
 */
enum reading { RD_SQLITE, RD_PG, RD_PG_BACKSLASH };

struct fragscan {
	const unsigned char *s;
	size_t n;
	enum reading rd;
	bool type;		/* the type grammar applies at depth 0 */
	size_t off;		/* the problem */
	const char *why;
	bool line_comment;
};

static const char *const type_stop_words[] = { "constraint", "not", "null",
	"primary", "unique", "check", "default", "references", "generated",
	"collate", "as", "autoincrement", NULL };

static bool
frag_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

static bool
frag_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    c >= 0x80;
}

static bool
frag_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* SQLite's IdChar(): letters, digits, '_', '$' and bytes >= 0x80. */
static bool
sqlite_idchar(unsigned char c)
{
	return frag_alpha(c) || frag_digit(c) || c == '$';
}

static int
frag_fail(struct fragscan *f, size_t off, const char *why)
{
	f->off = off;
	f->why = why;
	return -1;
}

/* A quoted run from s[i] (the opening q); past its end, or n. */
static size_t
frag_quoted(const struct fragscan *f, size_t i, unsigned char q,
    bool backslash)
{
	const unsigned char *s = f->s;
	size_t n = f->n;

	for (i++; i < n; i++) {
		if (backslash && s[i] == '\\') {
			i++;
			continue;
		}
		if (s[i] != q)
			continue;
		if (q != ']' && i + 1 < n && s[i + 1] == q) {
			i++;
			continue;
		}
		return i + 1;
	}
	return n + 1;		/* unterminated */
}

/* SQLite's variable at s[i] ('$', '@', ':' or '#'); past its end. */
static size_t
sqlite_variable(struct fragscan *f, size_t i, bool *bad)
{
	const unsigned char *s = f->s;
	size_t n = f->n, k = i + 1, nid = 0;

	while (k < n) {
		if (sqlite_idchar(s[k])) {
			nid++;
			k++;
		} else if (s[k] == '(' && nid > 0) {
			do
				k++;
			while (k < n && !frag_space(s[k]) && s[k] != ')');
			if (k < n && s[k] == ')')
				return k + 1;
			*bad = true;
			return k;
		} else if (s[k] == ':' && k + 1 < n && s[k + 1] == ':')
			k += 2;
		else
			break;
	}
	return k;
}

/* PostgreSQL's $tag$ at s[i]: the delimiter's length, or 0. */
static size_t
pg_dollar_tag(const struct fragscan *f, size_t i)
{
	size_t k = i + 1;

	if (k < f->n && frag_alpha(f->s[k]))
		for (k++; k < f->n && (frag_alpha(f->s[k]) ||
		    frag_digit(f->s[k])); k++)
			;
	return k < f->n && f->s[k] == '$' ? k + 1 - i : 0;
}

/* Past PostgreSQL's number at s[i]; *bad when a name runs into it. */
static size_t
pg_number(const struct fragscan *f, size_t i, bool *bad)
{
	const unsigned char *s = f->s;
	size_t n = f->n, k;
	const char *digits = NULL;

	if (s[i] == '0' && i + 1 < n) {
		if (s[i + 1] == 'x' || s[i + 1] == 'X')
			digits = "0123456789abcdefABCDEF_";
		else if (s[i + 1] == 'o' || s[i + 1] == 'O')
			digits = "01234567_";
		else if (s[i + 1] == 'b' || s[i + 1] == 'B')
			digits = "01_";
	}
	if (digits != NULL) {
		for (i += 2; i < n && s[i] != '\0' && strchr(digits, s[i]); i++)
			;
	} else {
		while (i < n && (frag_digit(s[i]) || s[i] == '_'))
			i++;
		if (i < n && s[i] == '.')
			for (i++; i < n && (frag_digit(s[i]) || s[i] == '_'); i++)
				;
		if (i + 1 < n && (s[i] == 'e' || s[i] == 'E')) {
			k = i + 1;
			if (s[k] == '+' || s[k] == '-')
				k++;
			if (k < n && frag_digit(s[k]))
				for (i = k; i < n && frag_digit(s[i]); i++)
					;
		}
	}
	if (i < n && (frag_alpha(s[i]) || frag_digit(s[i]) || s[i] == '$'))
		*bad = true;
	return i;
}

/* Past SQLite's number at s[i], as sqlite3GetToken() scans one. */
static size_t
sqlite_number(const struct fragscan *f, size_t i)
{
	const unsigned char *s = f->s;
	size_t n = f->n;

	if (s[i] == '0' && i + 2 < n && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
	    isxdigit(s[i + 2])) {
		for (i += 2; i < n && (isxdigit(s[i]) || s[i] == '_'); i++)
			;
	} else {
		while (i < n && (frag_digit(s[i]) || s[i] == '_'))
			i++;
		if (i < n && s[i] == '.')
			for (i++; i < n && (frag_digit(s[i]) || s[i] == '_'); i++)
				;
		if (i + 1 < n && (s[i] == 'e' || s[i] == 'E') &&
		    (frag_digit(s[i + 1]) || (i + 2 < n && (s[i + 1] == '+' ||
		    s[i + 1] == '-') && frag_digit(s[i + 2]))))
			for (i += 2; i < n && frag_digit(s[i]); i++)
				;
	}
	while (i < n && sqlite_idchar(s[i]))
		i++;
	return i;
}

/* Past the comment at s[i] ("--" or slash-star), or n + 1. */
static size_t
frag_comment(struct fragscan *f, size_t i)
{
	const unsigned char *s = f->s;
	size_t n = f->n;
	int depth = 1;

	if (s[i] == '-') {
		f->line_comment = true;
		while (i < n && s[i] != '\n' && !(f->rd != RD_SQLITE &&
		    s[i] == '\r'))
			i++;
		return i;
	}
	for (i += 2; i + 1 < n; i++) {
		if (s[i] == '*' && s[i + 1] == '/') {
			i++;
			if (f->rd == RD_SQLITE || --depth == 0)
				return i + 1;
		} else if (f->rd != RD_SQLITE && s[i] == '/' &&
		    s[i + 1] == '*') {
			i++;
			depth++;
		}
	}
	return n + 1;
}

static bool
stop_word(const unsigned char *w, size_t len)
{
	size_t i, k;

	for (i = 0; type_stop_words[i] != NULL; i++) {
		if (strlen(type_stop_words[i]) != len)
			continue;
		for (k = 0; k < len; k++)
			if (tolower(w[k]) != type_stop_words[i][k])
				break;
		if (k == len)
			return true;
	}
	return false;
}

/*
 * One token of a type outside its parentheses, the same in every
 * reading: a name, "a name", '.', or [N]. Past its end, or 0 when the
 * byte at i cannot be part of a type.
 */
static size_t
type_token(struct fragscan *f, size_t i, bool *name)
{
	const unsigned char *s = f->s;
	size_t n = f->n, k;

	*name = false;
	if (frag_alpha(s[i])) {
		for (k = i; k < n && (frag_alpha(s[k]) || frag_digit(s[k])); k++)
			;
		if (k < n && (s[k] == '$' || s[k] == '\'' || s[k] == '&'))
			return 0;
		if (stop_word(s + i, k - i)) {
			frag_fail(f, i, "a column constraint is not part of a "
			    "type");
			return 0;
		}
		*name = true;
		return k;
	}
	if (s[i] == '"') {
		k = frag_quoted(f, i, '"', false);
		if (k > n) {
			frag_fail(f, i, "a quoted name is not closed");
			return 0;
		}
		*name = true;
		return k;
	}
	if (s[i] == '.')
		return i + 1;
	if (s[i] == '[') {
		for (k = i + 1; k < n && frag_digit(s[k]); k++)
			;
		return k < n && s[k] == ']' ? k + 1 : 0;
	}
	return 0;
}

/* One reading of f->s; 0, or -1 with f->off and f->why set. */
static int
frag_scan(struct fragscan *f)
{
	const unsigned char *s = f->s;
	size_t n = f->n, i = 0, k, open0 = 0;
	bool any = false, name, bad;
	unsigned char c;
	int depth = 0;

	while (i < n) {
		c = s[i];
		if (frag_space(c)) {
			i++;
			continue;
		}
		if ((c == '-' && i + 1 < n && s[i + 1] == '-') ||
		    (c == '/' && i + 1 < n && s[i + 1] == '*')) {
			if (f->type)
				return frag_fail(f, i, "a type cannot hold a "
				    "comment");
			if ((k = frag_comment(f, i)) > n)
				return frag_fail(f, i, "a comment is not closed");
			i = k;
			continue;
		}
		if (f->type && depth == 0 && c != '(') {
			if ((k = type_token(f, i, &name)) == 0) {
				if (f->why != NULL)
					return -1;
				return frag_fail(f, i, c == ')' ?
				    "')' closes a parenthesis that is not open" :
				    c == ';' ? "';' outside quotes would end the "
				    "statement" : "this cannot be part of a type "
				    "name");
			}
			if (!any && !name)
				return frag_fail(f, i, "a type starts with its "
				    "name");
			any = true;
			i = k;
			continue;
		}
		if (f->type && !any)
			return frag_fail(f, i, "a type starts with its name");
		any = true;
		bad = false;
		if (c == ';') {
			return frag_fail(f, i, "';' outside quotes would end "
			    "the statement");
		} else if (c == '(') {
			if (depth++ == 0)
				open0 = i;
			i++;
		} else if (c == ')') {
			if (depth-- == 0)
				return frag_fail(f, i, "')' closes a parenthesis "
				    "that is not open");
			i++;
		} else if (c == '\'') {
			k = frag_quoted(f, i, '\'', f->rd == RD_PG_BACKSLASH);
			if (k > n)
				return frag_fail(f, i, "a string is not closed");
			i = k;
		} else if (c == '"' || (f->rd == RD_SQLITE &&
		    (c == '`' || c == '['))) {
			k = frag_quoted(f, i, c == '[' ? ']' : c, false);
			if (k > n)
				return frag_fail(f, i, "a quoted name is not "
				    "closed");
			i = k;
		} else if (f->rd == RD_SQLITE && (c == '$' || c == '@' ||
		    c == ':' || c == '#')) {
			i = sqlite_variable(f, i, &bad);
			if (bad)
				return frag_fail(f, i, "SQLite reads '$name(' "
				    "as a variable up to the next ')'");
		} else if (f->rd != RD_SQLITE && c == '$') {
			if (i + 1 < n && frag_digit(s[i + 1])) {
				for (k = i + 1; k < n && (frag_digit(s[k]) ||
				    s[k] == '_'); k++)
					;
				if (k < n && (frag_alpha(s[k]) || s[k] == '$'))
					return frag_fail(f, i, "a parameter "
					    "runs into a name");
				i = k;
			} else if ((k = pg_dollar_tag(f, i)) > 0) {
				const unsigned char *end = NULL;
				size_t j;
				for (j = i + k; j + k <= n; j++)
					if (memcmp(s + j, s + i, k) == 0) {
						end = s + j;
						break;
					}
				if (end == NULL)
					return frag_fail(f, i, "a dollar-quoted "
					    "string is not closed");
				i = (size_t)(end - s) + k;
			} else
				i++;
		} else if (frag_digit(c) || (c == '.' && i + 1 < n &&
		    frag_digit(s[i + 1]))) {
			if (f->rd == RD_SQLITE)
				i = sqlite_number(f, i);
			else {
				i = pg_number(f, i, &bad);
				if (bad)
					return frag_fail(f, i, "a number runs "
					    "into a name (write a space "
					    "between them)");
			}
		} else if (frag_alpha(c)) {
			for (k = i; k < n && (f->rd == RD_SQLITE ?
			    sqlite_idchar(s[k]) : (frag_alpha(s[k]) ||
			    frag_digit(s[k]) || s[k] == '$')); k++)
				;
			if (f->rd != RD_SQLITE && k < n && s[k] == '\'' &&
			    k == i + 1 && strchr("eEbBxXnN", c) != NULL) {
				/* E'..' escapes; B'', X'' never; N'' as ''. */
				k = frag_quoted(f, k, '\'', c == 'e' || c == 'E' ||
				    ((c == 'n' || c == 'N') &&
				    f->rd == RD_PG_BACKSLASH));
				if (k > n)
					return frag_fail(f, i, "a string is not "
					    "closed");
			} else if (f->rd != RD_SQLITE && k == i + 1 &&
			    (c == 'u' || c == 'U') && k + 1 < n &&
			    s[k] == '&' && s[k + 1] == '\'') {
				k = frag_quoted(f, k + 1, '\'', false);
				if (k > n)
					return frag_fail(f, i, "a string is not "
					    "closed");
			}
			i = k;
		} else
			i++;	/* an operator or other punctuation */
	}
	if (depth > 0)
		return frag_fail(f, open0, "'(' is never closed");
	if (!any)
		return frag_fail(f, 0, f->type ? "no type in it" :
		    "no SQL in it");
	return 0;
}

/* The character (not byte) number of s[off], from 1. */
static size_t
frag_char(const char *s, size_t off)
{
	size_t i, c = 1;

	for (i = 0; i < off; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

static int
frag_check(const char *s, size_t len, unsigned readings, bool type,
    struct ss_sqlfrag *out, struct ss_buf *why)
{
	static const char *const names[] = { "SQLite",
		"PostgreSQL", "PostgreSQL with standard_conforming_strings off" };
	struct fragscan f[3];
	const void *nul;
	int fails = 0, first = -1, r, asked = 0;

	out->off = 0;
	out->line_comment = false;
	if ((nul = memchr(s, '\0', len)) != NULL) {
		out->off = (size_t)((const char *)nul - s);
		ss_buf_addf(why, "a NUL byte at character %zu",
		    frag_char(s, out->off));
		return -1;
	}
	for (r = RD_SQLITE; r <= RD_PG_BACKSLASH; r++) {
		memset(&f[r], 0, sizeof f[r]);
		if (!(readings & (r == RD_SQLITE ? SS_SQLREAD_SQLITE :
		    SS_SQLREAD_PG)))
			continue;
		asked++;
		f[r].s = (const unsigned char *)s;
		f[r].n = len;
		f[r].rd = (enum reading)r;
		f[r].type = type;
		if (frag_scan(&f[r]) < 0) {
			fails++;
			if (first < 0)
				first = r;
		}
		out->line_comment |= f[r].line_comment;
	}
	if (first < 0)
		return 0;
	out->off = f[first].off;
	ss_buf_addf(why, "%s (at character %zu", f[first].why,
	    frag_char(s, out->off));
	if (fails < asked)
		ss_buf_addf(why, ", as %s reads it", names[first]);
	ss_buf_addc(why, ')');
	return -1;
}

int
ss_sql_check_expr(const char *s, size_t len, unsigned readings,
    struct ss_sqlfrag *f, struct ss_buf *why)
{
	return frag_check(s, len, readings, false, f, why);
}

int
ss_sql_check_type(const char *s, size_t len, unsigned readings,
    struct ss_sqlfrag *f, struct ss_buf *why)
{
	return frag_check(s, len, readings, true, f, why);
}
