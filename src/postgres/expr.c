/*
 * PostgreSQL comparison hooks (src/postgres/expr.h).
 *
 * Design notes:
 *  1. An expression is tokenised the way PostgreSQL's scanner does it
 *     (operators are maximal runs of operator characters, with a trailing
 *     + or - given back unless the run holds one of ~!@#%^&|`?), then
 *     parsed by precedence climbing over PostgreSQL's precedence table
 *     into a small tree in a scratch arena, then printed in one
 *     canonical form. Two spellings are equal when their prints are.
 *  2. The parser applies the rewrites PostgreSQL's own parser does (IN,
 *     BETWEEN, LIKE, SIMILAR TO, IS NOT DISTINCT FROM), so the written
 *     form and the stored form meet in the middle.
 *  3. Anything the parser does not know makes it give up; the caller
 *     then compares a token form (casts and parentheses left out) of
 *     both sides, which is right for most of what is left.
 *  4. Nothing here allocates outside the scratch arena and the output
 *     buffer; no globals.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"

enum tk { T_END, T_IDENT, T_QIDENT, T_STR, T_NUM, T_OP, T_LPAREN, T_RPAREN,
	T_LBRACK, T_RBRACK, T_COMMA, T_DOT, T_CAST, T_BAD };

struct tok {
	enum tk k;
	const char *s;		/* IDENT lower case; QIDENT/STR unescaped */
};

struct toks {
	struct tok *v;
	size_t n, alloc;
};

enum nk { N_STR, N_NUM, N_KW, N_NAME, N_FUNC, N_BIN, N_UN, N_NOT, N_AND,
	N_OR, N_IS, N_ANY, N_ARRAY, N_ROW, N_CASE, N_COLLATE, N_AT, N_SUB,
	N_EXTRACT, N_SORT };

struct node {
	enum nk k;
	const char *s;		/* operator, name, literal, keyword, suffix */
	const char *raw;	/* N_NUM: the number as written */
	bool quoted;		/* N_NUM: written as a string literal */
	struct node **v;	/* operands; N_CASE may hold NULLs */
	size_t n, alloc;
};

struct parser {
	struct ss_arena *a;
	struct toks t;
	size_t i;
	bool bad;
};

/* Tokens. */

static bool
is_opchar(int c)
{
	return c != '\0' && strchr("+-*/<>=~!@#%^&|`?", c) != NULL;
}

static void
push_tok(struct parser *P, enum tk k, const char *s)
{
	struct tok *t = SS_ARENA_PUSH(P->a, P->t.v, P->t.n, P->t.alloc);

	t->k = k;
	t->s = s;
}

/*
 * The canonical spelling of a number literal, or NULL when s is not one:
 * sign, significant digits and exponent, so 1e3, 1000 and 1000.0 print
 * alike ("1e3").
 */
static char *
canon_number(struct ss_arena *a, const char *s)
{
	struct ss_buf d = SS_BUF_INIT;
	bool neg = false, dot = false, seen = false;
	long exp = 0, e = 0;
	int esign = 1, edigits = 0;
	char *r = NULL;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (;; s++) {
		if (isdigit((unsigned char)*s)) {
			seen = true;
			if (dot)
				exp--;
			if (d.len == 0 && *s == '0')
				continue;
			ss_buf_addc(&d, *s);
		} else if (*s == '.' && !dot)
			dot = true;
		else
			break;
	}
	if (!seen)
		goto out;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			esign = *s++ == '-' ? -1 : 1;
		while (isdigit((unsigned char)*s)) {
			if (e < 100000)
				e = e * 10 + (*s - '0');
			s++;
			edigits++;
		}
		if (edigits == 0)
			goto out;
		exp += esign * e;
	}
	if (*s != '\0')
		goto out;
	while (d.len > 0 && d.s[d.len - 1] == '0') {
		ss_buf_truncate(&d, d.len - 1);
		exp++;
	}
	if (d.len == 0)
		r = ss_arena_strdup(a, "0");
	else
		r = ss_arena_printf(a, "%s%se%ld", neg ? "-" : "", d.s, exp);
out:
	ss_buf_release(&d);
	return r;
}

static void
tokenize(struct parser *P, const char *p)
{
	struct ss_buf b = SS_BUF_INIT;
	const char *q;
	bool esc;

	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		if (p[0] == '/' && p[1] == '*') {
			q = strstr(p + 2, "*/");
			if (q == NULL) {
				push_tok(P, T_BAD, "");
				break;
			}
			p = q + 2;
			continue;
		}
		if (*p == '\0')
			break;
		ss_buf_reset(&b);
		esc = false;
		if ((p[0] == 'e' || p[0] == 'E') && p[1] == '\'') {
			esc = true;
			p++;
		}
		if (*p == '\'') {
			for (p++;; p++) {
				if (*p == '\0') {
					push_tok(P, T_BAD, "");
					goto out;
				}
				if (*p == '\'' && p[1] == '\'') {
					ss_buf_addc(&b, '\'');
					p++;
				} else if (*p == '\'') {
					p++;
					break;
				} else if (esc && *p == '\\' && p[1] != '\0') {
					p++;
					switch (*p) {
					case 'n': ss_buf_addc(&b, '\n'); break;
					case 't': ss_buf_addc(&b, '\t'); break;
					case 'r': ss_buf_addc(&b, '\r'); break;
					case 'b': ss_buf_addc(&b, '\b'); break;
					case 'f': ss_buf_addc(&b, '\f'); break;
					default: ss_buf_addc(&b, *p); break;
					}
				} else
					ss_buf_addc(&b, *p);
			}
			push_tok(P, T_STR, ss_arena_strndup(P->a, b.s, b.len));
		} else if (*p == '"') {
			for (p++;; p++) {
				if (*p == '\0') {
					push_tok(P, T_BAD, "");
					goto out;
				}
				if (*p == '"' && p[1] == '"') {
					ss_buf_addc(&b, '"');
					p++;
				} else if (*p == '"') {
					p++;
					break;
				} else
					ss_buf_addc(&b, *p);
			}
			push_tok(P, T_QIDENT, ss_arena_strndup(P->a, b.s, b.len));
		} else if (isdigit((unsigned char)*p) ||
		    (*p == '.' && isdigit((unsigned char)p[1]))) {
			q = p;
			while (isdigit((unsigned char)*p))
				p++;
			if (*p == '.' && p[1] != '.')
				for (p++; isdigit((unsigned char)*p); p++)
					;
			if ((*p == 'e' || *p == 'E') &&
			    (isdigit((unsigned char)p[1]) ||
			    ((p[1] == '+' || p[1] == '-') &&
			    isdigit((unsigned char)p[2])))) {
				p += 2;
				while (isdigit((unsigned char)*p))
					p++;
			}
			push_tok(P, T_NUM, ss_arena_strndup(P->a, q, (size_t)(p - q)));
		} else if (isalpha((unsigned char)*p) || *p == '_' ||
		    (unsigned char)*p >= 0x80) {
			while (isalnum((unsigned char)*p) || *p == '_' ||
			    *p == '$' || (unsigned char)*p >= 0x80)
				ss_buf_addc(&b, (char)tolower((unsigned char)*p++));
			push_tok(P, T_IDENT, ss_arena_strndup(P->a, b.s, b.len));
		} else if (p[0] == ':' && p[1] == ':') {
			push_tok(P, T_CAST, "::");
			p += 2;
		} else if (is_opchar(*p)) {
			size_t n = 0, k;
			bool special = false;
			while (is_opchar(p[n]) &&
			    !(p[n] == '-' && p[n + 1] == '-' && n > 0) &&
			    !(p[n] == '/' && p[n + 1] == '*' && n > 0))
				n++;
			for (k = 0; k < n; k++)
				if (strchr("~!@#%^&|`?", p[k]) != NULL)
					special = true;
			while (n > 1 && !special &&
			    (p[n - 1] == '+' || p[n - 1] == '-'))
				n--;
			if (n == 2 && p[0] == '!' && p[1] == '=')
				push_tok(P, T_OP, "<>");
			else
				push_tok(P, T_OP, ss_arena_strndup(P->a, p, n));
			p += n;
		} else {
			enum tk k = T_BAD;
			switch (*p) {
			case '(': k = T_LPAREN; break;
			case ')': k = T_RPAREN; break;
			case '[': k = T_LBRACK; break;
			case ']': k = T_RBRACK; break;
			case ',': k = T_COMMA; break;
			case '.': k = T_DOT; break;
			}
			push_tok(P, k, ss_arena_strndup(P->a, p, 1));
			p++;
		}
	}
out:
	push_tok(P, T_END, "");
	ss_buf_release(&b);
}

/* Parsing. */

static const struct tok *
peek(struct parser *P, size_t ahead)
{
	size_t i = P->i + ahead;

	return &P->t.v[i < P->t.n ? i : P->t.n - 1];
}

static const struct tok *
next(struct parser *P)
{
	const struct tok *t = peek(P, 0);

	if (P->i < P->t.n - 1)
		P->i++;
	return t;
}

static bool
is_kw(const struct tok *t, const char *kw)
{
	return t->k == T_IDENT && strcmp(t->s, kw) == 0;
}

static bool
accept_kw(struct parser *P, const char *kw)
{
	if (!is_kw(peek(P, 0), kw))
		return false;
	next(P);
	return true;
}

static bool
expect(struct parser *P, enum tk k)
{
	if (peek(P, 0)->k != k) {
		P->bad = true;
		return false;
	}
	next(P);
	return true;
}

static struct node *
mk(struct parser *P, enum nk k, const char *s)
{
	struct node *n = ss_arena_alloc(P->a, sizeof *n);

	n->k = k;
	n->s = s;
	return n;
}

static void
add(struct parser *P, struct node *n, struct node *kid)
{
	*SS_ARENA_PUSH(P->a, n->v, n->n, n->alloc) = kid;
}

static struct node *junction(struct parser *P, enum nk k, struct node *l,
    struct node *r);

static struct node *
bin(struct parser *P, const char *op, struct node *l, struct node *r)
{
	struct node *n;
	size_t i;

	/* (a, b) = (1, 2) is stored as a = 1 AND b = 2; <> as OR. */
	if (l->k == N_ROW && r->k == N_ROW && l->n == r->n && l->n > 1 &&
	    (strcmp(op, "=") == 0 || strcmp(op, "<>") == 0)) {
		n = bin(P, op, l->v[0], r->v[0]);
		for (i = 1; i < l->n; i++)
			n = junction(P, op[0] == '=' ? N_AND : N_OR, n,
			    bin(P, op, l->v[i], r->v[i]));
		return n;
	}
	n = mk(P, N_BIN, op);

	add(P, n, l);
	add(P, n, r);
	return n;
}

static struct node *
junction(struct parser *P, enum nk k, struct node *l, struct node *r)
{
	struct node *n = mk(P, k, NULL);
	size_t i;

	if (l->k == k)
		for (i = 0; i < l->n; i++)
			add(P, n, l->v[i]);
	else
		add(P, n, l);
	if (r->k == k)
		for (i = 0; i < r->n; i++)
			add(P, n, r->v[i]);
	else
		add(P, n, r);
	return n;
}

/* An identifier as printed: bare when it needs no quotes. */
static const char *
canon_ident(struct parser *P, const char *s)
{
	struct ss_buf b = SS_BUF_INIT;
	const char *p;
	bool simple = (*s >= 'a' && *s <= 'z') || *s == '_' ||
	    (unsigned char)*s >= 0x80;
	char *r;

	for (p = s; *p && simple; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '_' || *p == '$' || (unsigned char)*p >= 0x80))
			simple = false;
	if (simple)
		return s;
	ss_buf_addc(&b, '"');
	for (p = s; *p; p++) {
		if (*p == '"')
			ss_buf_addc(&b, '"');
		ss_buf_addc(&b, *p);
	}
	ss_buf_addc(&b, '"');
	r = ss_arena_strndup(P->a, b.s, b.len);
	ss_buf_release(&b);
	return r;
}

/* Skips a type name after :: or AS. */
static void
skip_type(struct parser *P)
{
	static const char *const words[] = { "precision", "varying",
		"without", "with", "time", "zone", NULL };
	const struct tok *t = peek(P, 0);
	size_t i;
	int depth;

	if (t->k != T_IDENT && t->k != T_QIDENT) {
		P->bad = true;
		return;
	}
	next(P);
	while (peek(P, 0)->k == T_DOT && (peek(P, 1)->k == T_IDENT ||
	    peek(P, 1)->k == T_QIDENT)) {
		next(P);
		next(P);
	}
	for (;;) {
		t = peek(P, 0);
		if (t->k == T_IDENT) {
			for (i = 0; words[i] != NULL; i++)
				if (strcmp(t->s, words[i]) == 0)
					break;
			if (words[i] == NULL)
				break;
			next(P);
		} else if (t->k == T_LPAREN || t->k == T_LBRACK) {
			enum tk open = t->k, close = open == T_LPAREN ?
			    T_RPAREN : T_RBRACK;
			depth = 0;
			do {
				t = next(P);
				if (t->k == open)
					depth++;
				else if (t->k == close)
					depth--;
				else if (t->k == T_END) {
					P->bad = true;
					return;
				}
			} while (depth > 0);
		} else
			break;
	}
}

static struct node *parse_expr(struct parser *P, int minbp);

/* expr, expr, ... up to (not including) the closing token. */
static void
parse_list(struct parser *P, struct node *n, enum tk close)
{
	if (peek(P, 0)->k == close)
		return;
	for (;;) {
		struct node *e = parse_expr(P, 0);
		if (e == NULL)
			return;
		add(P, n, e);
		if (peek(P, 0)->k != T_COMMA)
			return;
		next(P);
	}
}

static struct node *
parse_array(struct parser *P)
{
	struct node *n = mk(P, N_ARRAY, NULL);

	if (!expect(P, T_LBRACK))
		return NULL;
	if (peek(P, 0)->k == T_LBRACK) {
		/* ARRAY[[1,2],[3,4]]: inner lists are arrays too. */
		for (;;) {
			struct node *e = parse_array(P);
			if (e == NULL)
				return NULL;
			add(P, n, e);
			if (peek(P, 0)->k != T_COMMA)
				break;
			next(P);
		}
	} else
		parse_list(P, n, T_RBRACK);
	if (P->bad || !expect(P, T_RBRACK))
		return NULL;
	return n;
}

static struct node *
parse_case(struct parser *P)
{
	struct node *n = mk(P, N_CASE, NULL), *e;

	if (!is_kw(peek(P, 0), "when")) {
		if ((e = parse_expr(P, 0)) == NULL)
			return NULL;
		add(P, n, e);
	} else
		add(P, n, NULL);
	while (accept_kw(P, "when")) {
		if ((e = parse_expr(P, 0)) == NULL)
			return NULL;
		add(P, n, e);
		if (!accept_kw(P, "then") || (e = parse_expr(P, 0)) == NULL) {
			P->bad = true;
			return NULL;
		}
		add(P, n, e);
	}
	if (accept_kw(P, "else")) {
		if ((e = parse_expr(P, 0)) == NULL)
			return NULL;
		/* ELSE NULL is no ELSE: PostgreSQL stores a CASE without
		 * one with ELSE NULL::type. */
		add(P, n, e->k == N_KW && strcmp(e->s, "NULL") == 0 ? NULL : e);
	} else
		add(P, n, NULL);
	if (!accept_kw(P, "end") || n->n < 4) {
		P->bad = true;
		return NULL;
	}
	return n;
}

static struct node *
literal_string(struct parser *P, const char *s)
{
	struct node *n;
	char *num = canon_number(P->a, s);

	if (num != NULL) {
		n = mk(P, N_NUM, num);
		n->raw = s;
		n->quoted = true;
		return n;
	}
	return mk(P, N_STR, s);
}

static struct node *
parse_name_or_call(struct parser *P)
{
	struct ss_buf b = SS_BUF_INIT;
	const struct tok *t = next(P);
	const char *last = t->s;
	struct node *n;

	ss_buf_adds(&b, canon_ident(P, t->s));
	while (peek(P, 0)->k == T_DOT && (peek(P, 1)->k == T_IDENT ||
	    peek(P, 1)->k == T_QIDENT)) {
		next(P);
		last = next(P)->s;
		ss_buf_addc(&b, '.');
		ss_buf_adds(&b, canon_ident(P, last));
	}
	if (peek(P, 0)->k != T_LPAREN) {
		n = mk(P, N_NAME, ss_arena_strndup(P->a, b.s, b.len));
		ss_buf_release(&b);
		return n;
	}
	ss_buf_release(&b);
	next(P);
	n = mk(P, N_FUNC, canon_ident(P, last));
	if (peek(P, 0)->k == T_OP && strcmp(peek(P, 0)->s, "*") == 0 &&
	    peek(P, 1)->k == T_RPAREN) {
		next(P);
		add(P, n, mk(P, N_KW, "*"));
	} else if (is_kw(peek(P, 0), "distinct") ||
	    is_kw(peek(P, 0), "variadic")) {
		P->bad = true;
		return NULL;
	} else
		parse_list(P, n, T_RPAREN);
	if (P->bad || !expect(P, T_RPAREN))
		return NULL;
	if (is_kw(peek(P, 0), "filter") || is_kw(peek(P, 0), "over") ||
	    is_kw(peek(P, 0), "within")) {
		P->bad = true;
		return NULL;
	}
	if (n->n == 0 && (strcmp(n->s, "now") == 0 ||
	    strcmp(n->s, "transaction_timestamp") == 0))
		return mk(P, N_KW, "now()");
	return n;
}

static struct node *
parse_primary(struct parser *P)
{
	static const char *const kws[] = { "current_date", "current_time",
		"localtime", "localtimestamp", "current_user", "session_user",
		"current_role", "current_catalog", "current_schema", "user",
		NULL };
	const struct tok *t = peek(P, 0);
	struct node *n, *e;
	size_t i;

	switch (t->k) {
	case T_NUM:
		next(P);
		n = mk(P, N_NUM, canon_number(P->a, t->s));
		n->raw = t->s;
		if (n->s == NULL)
			P->bad = true;
		return n;
	case T_STR:
		next(P);
		return literal_string(P, t->s);
	case T_LPAREN:
		next(P);
		if ((e = parse_expr(P, 0)) == NULL)
			return NULL;
		if (peek(P, 0)->k == T_COMMA) {
			n = mk(P, N_ROW, NULL);
			add(P, n, e);
			next(P);
			parse_list(P, n, T_RPAREN);
			e = n;
		}
		if (P->bad || !expect(P, T_RPAREN))
			return NULL;
		return e;
	case T_QIDENT:
		return parse_name_or_call(P);
	case T_IDENT:
		break;
	default:
		P->bad = true;
		return NULL;
	}
	if (is_kw(t, "true") || is_kw(t, "false") || is_kw(t, "null")) {
		next(P);
		return mk(P, N_KW, is_kw(t, "true") ? "TRUE" :
		    is_kw(t, "false") ? "FALSE" : "NULL");
	}
	if (is_kw(t, "current_timestamp") && peek(P, 1)->k != T_LPAREN) {
		next(P);
		return mk(P, N_KW, "now()");
	}
	for (i = 0; kws[i] != NULL; i++) {
		if (is_kw(t, kws[i]) && peek(P, 1)->k != T_LPAREN &&
		    peek(P, 1)->k != T_DOT) {
			next(P);
			n = mk(P, N_KW, kws[i]);
			return n;
		}
	}
	if (is_kw(t, "array") && peek(P, 1)->k == T_LBRACK) {
		next(P);
		return parse_array(P);
	}
	if (is_kw(t, "case")) {
		next(P);
		return parse_case(P);
	}
	if (is_kw(t, "row") && peek(P, 1)->k == T_LPAREN) {
		next(P);
		next(P);
		n = mk(P, N_ROW, NULL);
		parse_list(P, n, T_RPAREN);
		if (P->bad || !expect(P, T_RPAREN))
			return NULL;
		return n;
	}
	if (is_kw(t, "cast") && peek(P, 1)->k == T_LPAREN) {
		next(P);
		next(P);
		if ((e = parse_expr(P, 0)) == NULL || !accept_kw(P, "as")) {
			P->bad = true;
			return NULL;
		}
		skip_type(P);
		if (P->bad || !expect(P, T_RPAREN))
			return NULL;
		return e;
	}
	if (is_kw(t, "extract") && peek(P, 1)->k == T_LPAREN) {
		next(P);
		next(P);
		t = next(P);
		if ((t->k != T_IDENT && t->k != T_STR) ||
		    !accept_kw(P, "from")) {
			P->bad = true;
			return NULL;
		}
		n = mk(P, N_EXTRACT, canon_ident(P, t->s));
		if ((e = parse_expr(P, 0)) == NULL || !expect(P, T_RPAREN))
			return NULL;
		add(P, n, e);
		return n;
	}
	/* A typed literal: date '2020-01-01', interval '1 day'. */
	if (peek(P, 1)->k == T_STR) {
		next(P);
		return literal_string(P, next(P)->s);
	}
	return parse_name_or_call(P);
}

static int
op_bp(const char *op)
{
	if (strcmp(op, "^") == 0)
		return 10;
	if (strcmp(op, "*") == 0 || strcmp(op, "/") == 0 ||
	    strcmp(op, "%") == 0)
		return 9;
	if (strcmp(op, "+") == 0 || strcmp(op, "-") == 0)
		return 8;
	if (strcmp(op, "<") == 0 || strcmp(op, ">") == 0 ||
	    strcmp(op, "=") == 0 || strcmp(op, "<=") == 0 ||
	    strcmp(op, ">=") == 0 || strcmp(op, "<>") == 0)
		return 5;
	return 7;
}

static struct node *
parse_prefix(struct parser *P)
{
	const struct tok *t = peek(P, 0);
	struct node *n, *e;

	if (is_kw(t, "not")) {
		next(P);
		if ((e = parse_expr(P, 3)) == NULL)
			return NULL;
		n = mk(P, N_NOT, NULL);
		add(P, n, e);
		return n;
	}
	if (t->k == T_OP) {
		next(P);
		if ((e = parse_expr(P, 13)) == NULL)
			return NULL;
		if (e->k == N_NUM && !e->quoted && strcmp(t->s, "-") == 0) {
			n = mk(P, N_NUM, e->s[0] == '-' ? e->s + 1 :
			    strcmp(e->s, "0") == 0 ? e->s :
			    ss_arena_printf(P->a, "-%s", e->s));
			n->raw = ss_arena_printf(P->a, "-%s", e->raw);
			return n;
		}
		if (e->k == N_NUM && !e->quoted && strcmp(t->s, "+") == 0)
			return e;
		n = mk(P, N_UN, t->s);
		add(P, n, e);
		return n;
	}
	return parse_primary(P);
}

/* After IN: ( list ) into = / = ANY (ARRAY[...]). */
static struct node *
parse_in(struct parser *P, struct node *lhs, bool neg)
{
	struct node *list = mk(P, N_ARRAY, NULL), *n;

	if (!expect(P, T_LPAREN))
		return NULL;
	parse_list(P, list, T_RPAREN);
	if (P->bad || list->n == 0 || !expect(P, T_RPAREN)) {
		P->bad = true;
		return NULL;
	}
	if (list->n == 1)
		return bin(P, neg ? "<>" : "=", lhs, list->v[0]);
	n = mk(P, N_ANY, neg ? "<> ALL" : "= ANY");
	add(P, n, lhs);
	add(P, n, list);
	return n;
}

static struct node *
parse_expr(struct parser *P, int minbp)
{
	struct node *lhs, *rhs, *n;
	const struct tok *t;
	bool neg;
	int bp;

	if ((lhs = parse_prefix(P)) == NULL)
		return NULL;
	while (!P->bad) {
		t = peek(P, 0);
		if (t->k == T_CAST) {
			if (15 < minbp)
				break;
			next(P);
			skip_type(P);
			continue;	/* casts are dropped */
		}
		if (t->k == T_LBRACK) {
			if (14 < minbp)
				break;
			next(P);
			if ((rhs = parse_expr(P, 0)) == NULL ||
			    !expect(P, T_RBRACK))
				return NULL;
			n = mk(P, N_SUB, NULL);
			add(P, n, lhs);
			add(P, n, rhs);
			lhs = n;
			continue;
		}
		if (is_kw(t, "collate")) {
			if (12 < minbp)
				break;
			next(P);
			t = next(P);
			if (t->k != T_IDENT && t->k != T_QIDENT) {
				P->bad = true;
				return NULL;
			}
			n = mk(P, N_COLLATE, canon_ident(P, t->s));
			add(P, n, lhs);
			lhs = n;
			continue;
		}
		if (is_kw(t, "at") && is_kw(peek(P, 1), "time") &&
		    is_kw(peek(P, 2), "zone")) {
			if (11 < minbp)
				break;
			next(P);
			next(P);
			next(P);
			if ((rhs = parse_expr(P, 12)) == NULL)
				return NULL;
			n = mk(P, N_AT, NULL);
			add(P, n, lhs);
			add(P, n, rhs);
			lhs = n;
			continue;
		}
		if (t->k == T_OP) {
			bp = op_bp(t->s);
			if (bp < minbp)
				break;
			next(P);
			if ((is_kw(peek(P, 0), "any") || is_kw(peek(P, 0), "all") ||
			    is_kw(peek(P, 0), "some")) &&
			    peek(P, 1)->k == T_LPAREN) {
				bool all = is_kw(peek(P, 0), "all");
				next(P);
				next(P);
				if ((rhs = parse_expr(P, 0)) == NULL ||
				    !expect(P, T_RPAREN))
					return NULL;
				n = mk(P, N_ANY, ss_arena_printf(P->a, "%s %s",
				    t->s, all ? "ALL" : "ANY"));
				add(P, n, lhs);
				add(P, n, rhs);
				lhs = n;
				continue;
			}
			if ((rhs = parse_expr(P, bp + 1)) == NULL)
				return NULL;
			lhs = bin(P, t->s, lhs, rhs);
			continue;
		}
		if (t->k != T_IDENT)
			break;
		neg = false;
		if (is_kw(t, "not") && (is_kw(peek(P, 1), "in") ||
		    is_kw(peek(P, 1), "between") || is_kw(peek(P, 1), "like") ||
		    is_kw(peek(P, 1), "ilike") || is_kw(peek(P, 1), "similar"))) {
			if (6 < minbp)
				break;
			neg = true;
			next(P);
			t = peek(P, 0);
		}
		if (is_kw(t, "in")) {
			if (6 < minbp)
				break;
			next(P);
			if ((lhs = parse_in(P, lhs, neg)) == NULL)
				return NULL;
		} else if (is_kw(t, "between")) {
			struct node *lo, *hi;
			if (6 < minbp)
				break;
			next(P);
			if (is_kw(peek(P, 0), "symmetric") ||
			    is_kw(peek(P, 0), "asymmetric")) {
				P->bad = true;
				return NULL;
			}
			if ((lo = parse_expr(P, 7)) == NULL ||
			    !accept_kw(P, "and") ||
			    (hi = parse_expr(P, 7)) == NULL) {
				P->bad = true;
				return NULL;
			}
			lhs = junction(P, neg ? N_OR : N_AND,
			    bin(P, neg ? "<" : ">=", lhs, lo),
			    bin(P, neg ? ">" : "<=", lhs, hi));
		} else if (is_kw(t, "like") || is_kw(t, "ilike")) {
			bool i = is_kw(t, "ilike");
			if (6 < minbp)
				break;
			next(P);
			if ((rhs = parse_expr(P, 7)) == NULL)
				return NULL;
			if (is_kw(peek(P, 0), "escape")) {
				P->bad = true;
				return NULL;
			}
			lhs = bin(P, neg ? (i ? "!~~*" : "!~~") :
			    (i ? "~~*" : "~~"), lhs, rhs);
		} else if (is_kw(t, "similar")) {
			if (6 < minbp)
				break;
			next(P);
			if (!accept_kw(P, "to") ||
			    (rhs = parse_expr(P, 7)) == NULL ||
			    is_kw(peek(P, 0), "escape")) {
				P->bad = true;
				return NULL;
			}
			n = mk(P, N_FUNC, "similar_to_escape");
			add(P, n, rhs);
			lhs = bin(P, neg ? "!~" : "~", lhs, n);
		} else if (is_kw(t, "is")) {
			bool isnot;
			const struct tok *w;
			if (4 < minbp)
				break;
			next(P);
			isnot = accept_kw(P, "not");
			w = next(P);
			if (is_kw(w, "null") || is_kw(w, "true") ||
			    is_kw(w, "false") || is_kw(w, "unknown")) {
				struct ss_buf b = SS_BUF_INIT;
				const char *p;
				ss_buf_adds(&b, isnot ? "IS NOT " : "IS ");
				for (p = w->s; *p; p++)
					ss_buf_addc(&b, (char)toupper((unsigned char)*p));
				n = mk(P, N_IS, ss_arena_strdup(P->a, b.s));
				ss_buf_release(&b);
				add(P, n, lhs);
				lhs = n;
			} else if (is_kw(w, "distinct") && accept_kw(P, "from")) {
				if ((rhs = parse_expr(P, 5)) == NULL)
					return NULL;
				lhs = bin(P, "IS DISTINCT FROM", lhs, rhs);
				if (isnot) {
					n = mk(P, N_NOT, NULL);
					add(P, n, lhs);
					lhs = n;
				}
			} else {
				P->bad = true;
				return NULL;
			}
		} else if (neg) {
			P->bad = true;
			return NULL;
		} else if (is_kw(t, "isnull") || is_kw(t, "notnull")) {
			if (4 < minbp)
				break;
			next(P);
			n = mk(P, N_IS, is_kw(t, "isnull") ? "IS NULL" :
			    "IS NOT NULL");
			add(P, n, lhs);
			lhs = n;
		} else if (is_kw(t, "and")) {
			if (2 < minbp)
				break;
			next(P);
			if ((rhs = parse_expr(P, 3)) == NULL)
				return NULL;
			lhs = junction(P, N_AND, lhs, rhs);
		} else if (is_kw(t, "or")) {
			if (1 < minbp)
				break;
			next(P);
			if ((rhs = parse_expr(P, 2)) == NULL)
				return NULL;
			lhs = junction(P, N_OR, lhs, rhs);
		} else
			break;
	}
	return P->bad ? NULL : lhs;
}

/* Printing. */

static void
print_str(struct ss_buf *b, const char *s)
{
	ss_buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			ss_buf_addc(b, '\'');
		ss_buf_addc(b, *s);
	}
	ss_buf_addc(b, '\'');
}

static void print(struct ss_buf *b, const struct node *n);

static void
print_list(struct ss_buf *b, const struct node *n, const char *sep)
{
	size_t i;

	for (i = 0; i < n->n; i++) {
		if (i > 0)
			ss_buf_adds(b, sep);
		print(b, n->v[i]);
	}
}

static void
print(struct ss_buf *b, const struct node *n)
{
	size_t i;

	switch (n->k) {
	case N_STR:
		print_str(b, n->s);
		break;
	case N_NUM:
	case N_KW:
	case N_NAME:
		ss_buf_adds(b, n->s);
		break;
	case N_FUNC:
		ss_buf_addf(b, "%s(", n->s);
		print_list(b, n, ", ");
		ss_buf_addc(b, ')');
		break;
	case N_BIN:
		ss_buf_addc(b, '(');
		print(b, n->v[0]);
		ss_buf_addf(b, " %s ", n->s);
		print(b, n->v[1]);
		ss_buf_addc(b, ')');
		break;
	case N_UN:
		ss_buf_addf(b, "(%s ", n->s);
		print(b, n->v[0]);
		ss_buf_addc(b, ')');
		break;
	case N_NOT:
		ss_buf_adds(b, "(NOT ");
		print(b, n->v[0]);
		ss_buf_addc(b, ')');
		break;
	case N_AND:
	case N_OR:
		ss_buf_addc(b, '(');
		print_list(b, n, n->k == N_AND ? " AND " : " OR ");
		ss_buf_addc(b, ')');
		break;
	case N_IS:
		ss_buf_addc(b, '(');
		print(b, n->v[0]);
		ss_buf_addf(b, " %s)", n->s);
		break;
	case N_ANY:
		ss_buf_addc(b, '(');
		print(b, n->v[0]);
		ss_buf_addf(b, " %s (", n->s);
		print(b, n->v[1]);
		ss_buf_adds(b, "))");
		break;
	case N_ARRAY:
		ss_buf_adds(b, "ARRAY[");
		print_list(b, n, ", ");
		ss_buf_addc(b, ']');
		break;
	case N_ROW:
		ss_buf_adds(b, "ROW(");
		print_list(b, n, ", ");
		ss_buf_addc(b, ')');
		break;
	case N_CASE:
		ss_buf_adds(b, "CASE");
		if (n->v[0] != NULL) {
			ss_buf_addc(b, ' ');
			print(b, n->v[0]);
		}
		for (i = 1; i + 2 < n->n; i += 2) {
			ss_buf_adds(b, " WHEN ");
			print(b, n->v[i]);
			ss_buf_adds(b, " THEN ");
			print(b, n->v[i + 1]);
		}
		if (n->v[n->n - 1] != NULL) {
			ss_buf_adds(b, " ELSE ");
			print(b, n->v[n->n - 1]);
		}
		ss_buf_adds(b, " END");
		break;
	case N_COLLATE:
		ss_buf_addc(b, '(');
		print(b, n->v[0]);
		ss_buf_addf(b, " COLLATE %s)", n->s);
		break;
	case N_AT:
		ss_buf_addc(b, '(');
		print(b, n->v[0]);
		ss_buf_adds(b, " AT TIME ZONE ");
		print(b, n->v[1]);
		ss_buf_addc(b, ')');
		break;
	case N_SUB:
		print(b, n->v[0]);
		ss_buf_addc(b, '[');
		print(b, n->v[1]);
		ss_buf_addc(b, ']');
		break;
	case N_EXTRACT:
		ss_buf_addf(b, "EXTRACT(%s FROM ", n->s);
		print(b, n->v[0]);
		ss_buf_addc(b, ')');
		break;
	case N_SORT:
		print(b, n->v[0]);
		ss_buf_adds(b, n->s);
		break;
	}
}

/* The fallback: tokens with casts and parentheses left out. */
static void
print_tokens(struct parser *P, struct ss_buf *out)
{
	const struct tok *t;
	char *num;

	P->i = 0;
	P->bad = false;
	for (;;) {
		t = next(P);
		if (t->k == T_END)
			break;
		if (t->k == T_CAST) {
			skip_type(P);
			continue;
		}
		if (t->k == T_LPAREN || t->k == T_RPAREN)
			continue;
		if (out->len > 0)
			ss_buf_addc(out, ' ');
		switch (t->k) {
		case T_STR:
			if ((num = canon_number(P->a, t->s)) != NULL)
				ss_buf_adds(out, num);
			else
				print_str(out, t->s);
			break;
		case T_NUM:
			num = canon_number(P->a, t->s);
			ss_buf_adds(out, num ? num : t->s);
			break;
		case T_QIDENT:
		case T_IDENT:
			ss_buf_adds(out, canon_ident(P, t->s));
			break;
		default:
			ss_buf_adds(out, t->s);
			break;
		}
	}
}

/* Parses the whole of expr, with an optional sort order at the end. */
static struct node *
parse_all(struct parser *P, const char *expr)
{
	struct node *n, *s;
	bool desc = false, nulls_first;
	const char *suffix = "";

	tokenize(P, expr);
	if ((n = parse_expr(P, 0)) == NULL)
		return NULL;
	if (accept_kw(P, "desc"))
		desc = true;
	else
		accept_kw(P, "asc");
	nulls_first = desc;
	if (accept_kw(P, "nulls")) {
		if (accept_kw(P, "first"))
			nulls_first = true;
		else if (accept_kw(P, "last"))
			nulls_first = false;
		else
			return NULL;
	}
	if (peek(P, 0)->k != T_END)
		return NULL;
	if (desc)
		suffix = nulls_first ? " DESC" : " DESC NULLS LAST";
	else if (nulls_first)
		suffix = " NULLS FIRST";
	if (*suffix == '\0')
		return n;
	s = mk(P, N_SORT, suffix);
	add(P, s, n);
	return s;
}

int
ss_pg_expr_canon(struct ss_buf *out, const char *expr)
{
	struct ss_arena a = SS_ARENA_INIT;
	struct parser P;
	struct node *n;
	int r = 0;
	size_t i;

	memset(&P, 0, sizeof P);
	P.a = &a;
	n = parse_all(&P, expr);
	for (i = 0; i < P.t.n; i++)
		if (P.t.v[i].k == T_BAD)
			n = NULL;
	if (n != NULL)
		print(out, n);
	else {
		print_tokens(&P, out);
		r = -1;
	}
	ss_arena_release(&a);
	return r;
}

bool
ss_pg_same_expr(const char *desired, const char *current)
{
	struct ss_buf a = SS_BUF_INIT, b = SS_BUF_INIT;
	bool same;
	int ra, rb;

	if (desired == NULL || current == NULL)
		return desired == current;
	if (strcmp(desired, current) == 0)
		return true;
	ra = ss_pg_expr_canon(&a, desired);
	rb = ss_pg_expr_canon(&b, current);
	if (ra != rb) {
		/* Compare both in the fallback form. */
		struct parser P;
		struct ss_arena ar = SS_ARENA_INIT;
		ss_buf_reset(&a);
		ss_buf_reset(&b);
		memset(&P, 0, sizeof P);
		P.a = &ar;
		tokenize(&P, desired);
		print_tokens(&P, &a);
		memset(&P, 0, sizeof P);
		P.a = &ar;
		tokenize(&P, current);
		print_tokens(&P, &b);
		ss_arena_release(&ar);
	}
	same = strcmp(a.s, b.s) == 0;
	ss_buf_release(&a);
	ss_buf_release(&b);
	return same;
}

/* Types. */

/*
 * The canonical spelling of a type name PostgreSQL would accept: lower
 * case, builtin aliases folded (int4 -> integer), an array's brackets
 * one pair however many there were and whatever sizes they gave
 * (PostgreSQL keeps neither: integer[3][] is integer[]),
 * timestamp(3) with/without time zone folded to timestamptz(3) /
 * timestamp(3).
 */
/*
 * Whether the quoted identifier at p ("...") holds [a-z_][a-z0-9_]* and
 * names no builtin type of the model: "char" is PostgreSQL's one-byte
 * type, not char(1).
 */
static bool
plain_quoted(const char *p)
{
	struct ss_buf why = SS_BUF_INIT;
	struct ss_schema tmp;
	struct ss_type t;
	char name[64];
	const char *q = p + 1;
	size_t n = 0;
	bool other;

	if (!(*q == '_' || (*q >= 'a' && *q <= 'z')))
		return false;
	for (; *q != '"'; q++) {
		if (!(*q == '_' || (*q >= 'a' && *q <= 'z') ||
		    (*q >= '0' && *q <= '9')) || n + 1 >= sizeof name)
			return false;
		name[n++] = *q;
	}
	if (q[1] == '"')
		return false;
	name[n] = '\0';
	ss_schema_init(&tmp);
	other = ss_type_parse(&tmp, name, &t, &why) == 0 &&
	    t.kind == SS_TYPE_OTHER;
	ss_schema_release(&tmp);
	ss_buf_release(&why);
	return other;
}

static void
canon_type(struct ss_buf *out, const char *name)
{
	struct ss_buf b = SS_BUF_INIT, why = SS_BUF_INIT;
	struct ss_schema tmp;
	struct ss_type t;
	size_t dims = 0;
	bool quoted = false;
	const char *p;
	char *paren;

	for (p = name; *p; p++) {
		if (*p == '"' && !quoted && plain_quoted(p)) {
			/* "mood" is mood: the catalog quotes only where it
			 * must (and keywords, which are quoted both ways). */
			for (p++; *p != '"'; p++)
				ss_buf_addc(&b, *p);
			continue;
		}
		if (*p == '"')
			quoted = !quoted;
		if (!quoted && isspace((unsigned char)*p)) {
			if (b.len > 0 && b.s[b.len - 1] != ' ')
				ss_buf_addc(&b, ' ');
		} else
			ss_buf_addc(&b, quoted ? *p :
			    (char)tolower((unsigned char)*p));
	}
	while (b.len > 0 && b.s[b.len - 1] == ' ')
		ss_buf_truncate(&b, b.len - 1);
	for (;;) {
		size_t open = ss_type_array_suffix(b.s, b.len);
		if (open < b.len) {
			ss_buf_truncate(&b, open);
			dims++;
		} else if (b.len >= 6 && strcmp(b.s + b.len - 6, " array") == 0) {
			ss_buf_truncate(&b, b.len - 6);
			dims++;
		} else
			break;
		while (b.len > 0 && b.s[b.len - 1] == ' ')
			ss_buf_truncate(&b, b.len - 1);
	}
	/* timestamp(3) without time zone -> timestamp(3), and the like. */
	if ((strncmp(b.s, "timestamp", 9) == 0 || strncmp(b.s, "time", 4) == 0) &&
	    (paren = strchr(b.s, ')')) != NULL && paren[1] == ' ') {
		bool tz = strcmp(paren + 2, "with time zone") == 0;
		if (tz || strcmp(paren + 2, "without time zone") == 0) {
			struct ss_buf c = SS_BUF_INIT;
			const char *open = strchr(b.s, '(');
			ss_buf_add(&c, b.s, (size_t)(open - b.s));
			if (tz)
				ss_buf_adds(&c, "tz");
			ss_buf_add(&c, open, (size_t)(paren - open + 1));
			ss_buf_reset(&b);
			ss_buf_adds(&b, c.s);
			ss_buf_release(&c);
		}
	}
	if (strcmp(b.s, "time with time zone") == 0) {
		ss_buf_reset(&b);
		ss_buf_adds(&b, "timetz");
	}
	ss_schema_init(&tmp);
	if (ss_type_parse(&tmp, b.s, &t, &why) == 0 && t.kind != SS_TYPE_OTHER) {
		if (t.kind == SS_TYPE_NUMERIC && t.len >= 0 && t.scale < 0)
			t.scale = 0;
		ss_type_format(out, &t);
	} else
		ss_buf_adds(out, b.s);
	ss_schema_release(&tmp);
	if (dims > 0)	/* PostgreSQL keeps no number of dimensions or size */
		ss_buf_adds(out, "[]");
	ss_buf_release(&b);
	ss_buf_release(&why);
}

bool
ss_pg_same_type(const struct ss_type *desired, const struct ss_type *current)
{
	struct ss_buf a = SS_BUF_INIT, b = SS_BUF_INIT;
	bool same;

	if (ss_type_equal(desired, current))
		return true;
	if (desired->kind == SS_TYPE_NUMERIC && current->kind == SS_TYPE_NUMERIC)
		return desired->len == current->len &&
		    (desired->scale < 0 ? 0 : desired->scale) ==
		    (current->scale < 0 ? 0 : current->scale);
	if (desired->kind == SS_TYPE_ENUM || current->kind == SS_TYPE_ENUM)
		return desired->kind == current->kind &&
		    strcmp(desired->name, current->name) == 0;
	if (desired->kind == SS_TYPE_OTHER)
		canon_type(&a, desired->name);
	else
		ss_type_format(&a, desired);
	if (current->kind == SS_TYPE_OTHER)
		canon_type(&b, current->name);
	else
		ss_type_format(&b, current);
	same = strcmp(a.s, b.s) == 0;
	ss_buf_release(&a);
	ss_buf_release(&b);
	return same;
}

/* Defaults. */

/* The SQL a default stands for, "" for none. */
static void
default_sql(struct ss_buf *b, const struct ss_column *c)
{
	if (c->autoincrement)
		return;
	switch (c->def.kind) {
	case SS_DEFAULT_NONE:
	case SS_DEFAULT_NULL:
		break;
	case SS_DEFAULT_STRING:
		print_str(b, c->def.value);
		break;
	case SS_DEFAULT_BOOL:
	case SS_DEFAULT_NUMBER:
	case SS_DEFAULT_SQL:
		ss_buf_adds(b, c->def.value);
		break;
	}
}

/* The index of the token closing the parenthesis opened at open. */
static size_t
closing(const struct parser *P, size_t open)
{
	size_t i;
	int depth = 0;

	for (i = open; i < P->t.n; i++) {
		if (P->t.v[i].k == T_LPAREN)
			depth++;
		else if (P->t.v[i].k == T_RPAREN && --depth == 0)
			return i;
	}
	return P->t.n;
}

/* Tokens [from, to) as type text for canon_type(). */
static void
type_text(const struct parser *P, size_t from, size_t to, struct ss_buf *out)
{
	struct ss_buf b = SS_BUF_INIT;
	const struct tok *t;
	size_t i;

	for (i = from; i < to; i++) {
		t = &P->t.v[i];
		if ((t->k == T_IDENT || t->k == T_QIDENT) && b.len > 0 &&
		    b.s[b.len - 1] != '.' && b.s[b.len - 1] != '(')
			ss_buf_addc(&b, ' ');
		if (t->k == T_QIDENT)
			ss_buf_addf(&b, "\"%s\"", t->s);
		else
			ss_buf_adds(&b, t->s);
	}
	canon_type(out, b.s);
	ss_buf_release(&b);
}

/*
 * The type of the cast that gives expr its value, canonical, into out:
 * when the whole of expr is OPERAND::TYPE (or CAST(OPERAND AS TYPE))
 * and OPERAND is not a literal. A literal's cast is how PostgreSQL
 * prints every constant ('x'::text), so it tells nothing; a cast of
 * anything else changes the value (now()::timestamp drops the time
 * zone). Nothing is written otherwise.
 */
static void
value_cast(const char *expr, struct ss_buf *out)
{
	struct ss_arena a = SS_ARENA_INIT;
	struct parser P;
	const struct tok *op;
	size_t start = 0, end, tstart = 0, tend = 0;

	memset(&P, 0, sizeof P);
	P.a = &a;
	tokenize(&P, expr);
	end = P.t.n - 1;	/* T_END */
	while (end - start >= 2 && P.t.v[start].k == T_LPAREN &&
	    closing(&P, start) == end - 1) {
		start++;
		end--;
	}
	P.i = start;
	if (is_kw(peek(&P, 0), "cast") && peek(&P, 1)->k == T_LPAREN &&
	    closing(&P, start + 1) == end - 1) {
		P.i = start + 2;
		op = peek(&P, 0);
		if (parse_expr(&P, 0) == NULL || P.bad || !accept_kw(&P, "as"))
			goto out;
		tstart = P.i;
		skip_type(&P);
		tend = P.i;
		if (P.bad || tend != end - 1)
			goto out;
	} else {
		op = peek(&P, 0);
		if (parse_primary(&P) == NULL || P.bad)
			goto out;
		while (peek(&P, 0)->k == T_CAST && P.i < end) {
			next(&P);
			tstart = P.i;
			skip_type(&P);
			tend = P.i;
			if (P.bad)
				goto out;
		}
		if (P.i != end || tstart == 0)
			goto out;
	}
	if (op->k == T_STR || op->k == T_NUM || is_kw(op, "null") ||
	    is_kw(op, "true") || is_kw(op, "false"))
		goto out;
	type_text(&P, tstart, tend, out);
out:
	ss_arena_release(&a);
}

/*
 * value_cast() of c's default, or nothing when it casts to the column's
 * own type: storing the value casts it there anyway.
 */
static void
default_cast(const struct ss_column *c, struct ss_buf *out)
{
	struct ss_buf col = SS_BUF_INIT, ty = SS_BUF_INIT;

	if (c->def.kind != SS_DEFAULT_SQL || c->autoincrement)
		return;
	value_cast(c->def.value, out);
	if (out->len == 0)
		return;
	ss_type_format(&ty, &c->type);
	canon_type(&col, ty.s);
	if (strcmp(col.s, out->s) == 0)
		ss_buf_reset(out);
	ss_buf_release(&col);
	ss_buf_release(&ty);
}

bool
ss_pg_same_default(const struct ss_column *desired,
    const struct ss_column *current)
{
	struct ss_buf a = SS_BUF_INIT, b = SS_BUF_INIT;
	struct ss_buf ca = SS_BUF_INIT, cb = SS_BUF_INIT;
	bool same;

	/* Casts are left out of the comparison below, but not the one
	 * that gives the default its value. */
	default_cast(desired, &a);
	default_cast(current, &b);
	same = strcmp(a.s, b.s) == 0;
	ss_buf_reset(&a);
	ss_buf_reset(&b);
	if (!same)
		goto out;

	default_sql(&a, desired);
	default_sql(&b, current);
	/* The same text is the same default (canonicalising is a function
	 * of the text): the common case, without the work. */
	if (strcmp(a.s, b.s) == 0)
		goto out;
	if (a.len > 0)
		ss_pg_expr_canon(&ca, a.s);
	if (b.len > 0)
		ss_pg_expr_canon(&cb, b.s);
	/* DEFAULT NULL is stored as no default. */
	if (strcmp(ca.s, "NULL") == 0)
		ss_buf_reset(&ca);
	if (strcmp(cb.s, "NULL") == 0)
		ss_buf_reset(&cb);
	same = strcmp(ca.s, cb.s) == 0 ||
	    (a.len > 0 && b.len > 0 && ss_pg_same_expr(a.s, b.s));
out:
	ss_buf_release(&a);
	ss_buf_release(&b);
	ss_buf_release(&ca);
	ss_buf_release(&cb);
	return same;
}

void
ss_pg_default_parse(struct ss_schema *s, const char *expr,
    struct ss_default *out)
{
	static const char *const numeric_types[] = { "smallint", "integer",
		"bigint", "numeric", "double precision", "real", NULL };
	struct ss_arena a = SS_ARENA_INIT;
	struct parser P;
	struct node *n;
	const char *cast;
	size_t i;

	out->kind = SS_DEFAULT_SQL;
	out->value = NULL;
	memset(&P, 0, sizeof P);
	P.a = &a;
	tokenize(&P, expr);
	n = parse_expr(&P, 0);
	if (n == NULL || peek(&P, 0)->k != T_END)
		goto sql;
	for (i = 0; i < P.t.n; i++)
		if (P.t.v[i].k == T_BAD)
			goto sql;
	switch (n->k) {
	case N_STR:
		out->kind = SS_DEFAULT_STRING;
		out->value = ss_arena_strdup(&s->arena, n->s);
		goto done;
	case N_NUM:
		if (n->quoted) {
			/* '-1'::integer is a number, '0'::text a string. */
			cast = strstr(expr, "'::");
			out->kind = SS_DEFAULT_STRING;
			for (i = 0; cast != NULL && numeric_types[i]; i++)
				if (strncmp(cast + 3, numeric_types[i],
				    strlen(numeric_types[i])) == 0)
					out->kind = SS_DEFAULT_NUMBER;
		} else
			out->kind = SS_DEFAULT_NUMBER;
		out->value = ss_arena_strdup(&s->arena, n->raw);
		goto done;
	case N_KW:
		if (strcmp(n->s, "TRUE") == 0 || strcmp(n->s, "FALSE") == 0) {
			out->kind = SS_DEFAULT_BOOL;
			out->value = n->s[0] == 'T' ? "true" : "false";
			goto done;
		}
		if (strcmp(n->s, "NULL") == 0) {
			out->kind = SS_DEFAULT_NULL;
			goto done;
		}
		break;
	default:
		break;
	}
sql:
	out->kind = SS_DEFAULT_SQL;
	out->value = ss_arena_strdup(&s->arena, expr);
done:
	ss_arena_release(&a);
}

/* Names. */

bool
ss_pg_same_name(const char *desired, const char *current)
{
	size_t a = ss_ident_len(desired), b = ss_ident_len(current);

	return a == b && memcmp(desired, current, a) == 0;
}
