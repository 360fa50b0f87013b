/*
 * Database URL parsing and password masking (include/ss/url.h).
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ss/buf.h"
#include "ss/mem.h"
#include "ss/url.h"
#include "ss/util.h"

static int
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* libpq's key/value form starts with "word =". */
static int
is_conninfo(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	if (!isalpha((unsigned char)*s))
		return 0;
	while (isalnum((unsigned char)*s) || *s == '_')
		s++;
	while (isspace((unsigned char)*s))
		s++;
	return *s == '=';
}

/* Masks "password=VALUE" in a conninfo string; VALUE may be quoted. */
static void
mask_conninfo(struct ss_buf *b, const char *s)
{
	const char *p = s, *key;

	while (*p) {
		key = p;
		if ((p == s || isspace((unsigned char)p[-1])) &&
		    strncmp(p, "password", 8) == 0) {
			const char *q = p + 8;
			while (isspace((unsigned char)*q))
				q++;
			if (*q == '=') {
				q++;
				while (isspace((unsigned char)*q))
					q++;
				ss_buf_add(b, key, (size_t)(q - key));
				ss_buf_adds(b, "***");
				if (*q == '\'') {
					for (q++; *q && *q != '\''; q++)
						if (*q == '\\' && q[1])
							q++;
					if (*q)
						q++;
				} else
					/* Unquoted: to a space, and a backslash
					 * takes the next character into it. */
					for (; *q && !isspace((unsigned char)*q); q++)
						if (*q == '\\' && q[1])
							q++;
				p = q;
				continue;
			}
		}
		ss_buf_addc(b, *p++);
	}
}

/* Appends s[0..n) percent-decoded (%XX; anything else as it is). */
static void
add_decoded(struct ss_buf *b, const char *s, size_t n)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			hi = isdigit((unsigned char)s[i + 1]) ? s[i + 1] - '0' :
			    (tolower((unsigned char)s[i + 1]) - 'a' + 10);
			lo = isdigit((unsigned char)s[i + 2]) ? s[i + 2] - '0' :
			    (tolower((unsigned char)s[i + 2]) - 'a' + 10);
			ss_buf_addc(b, (char)(hi * 16 + lo));
			i += 2;
		} else
			ss_buf_addc(b, s[i]);
	}
}

/*
 * Whether the query parameter at q (just after '?' or '&') is the
 * password: libpq percent-decodes a parameter's name as it does its
 * value, so ?passwo%72d= is one too. Its value then starts at *value.
 */
static bool
password_param(const char *q, const char **value)
{
	struct ss_buf key = SS_BUF_INIT;
	size_t n = strcspn(q, "=&#");
	bool yes;

	if (q[n] != '=')
		return false;
	add_decoded(&key, q, n);
	yes = key.len == 8 && memcmp(key.s, "password", 8) == 0;
	ss_buf_release(&key);
	*value = q + n + 1;
	return yes;
}

/* Masks the password of scheme://user:password@host and ?password=. */
static void
mask_uri(struct ss_buf *b, const char *s)
{
	const char *auth = strstr(s, "://"), *end, *at, *colon, *q;

	if (auth == NULL) {
		ss_buf_adds(b, s);
		return;
	}
	auth += 3;
	end = auth + strcspn(auth, "/?#");
	/* The last '@' before the host: passwords may contain '@'. */
	at = NULL;
	for (q = auth; q < end; q++)
		if (*q == '@')
			at = q;
	ss_buf_add(b, s, (size_t)(auth - s));
	if (at != NULL && (colon = memchr(auth, ':', (size_t)(at - auth))) != NULL) {
		ss_buf_add(b, auth, (size_t)(colon - auth) + 1);
		ss_buf_adds(b, "***");
		ss_buf_add(b, at, (size_t)(end - at));
	} else
		ss_buf_add(b, auth, (size_t)(end - auth));
	/* Query parameters: password=... until & or #. */
	for (q = end; *q; ) {
		const char *v;
		if ((q[-1] == '?' || q[-1] == '&') && password_param(q, &v)) {
			ss_buf_add(b, q, (size_t)(v - q));
			ss_buf_adds(b, "***");
			q = v + strcspn(v, "&#");
			continue;
		}
		ss_buf_addc(b, *q++);
	}
}

char *
ss_url_mask(const char *text)
{
	struct ss_buf b = SS_BUF_INIT;

	if (strstr(text, "://") != NULL)
		mask_uri(&b, text);
	else
		mask_conninfo(&b, text);
	return ss_buf_detach(&b);
}

#define MAX_SECRETS 8

struct secrets {
	char *v[MAX_SECRETS];
	size_t n;
};

static void
secret_add(struct secrets *S, const char *s, size_t n)
{
	size_t i;

	if (n == 0 || S->n == MAX_SECRETS)
		return;
	for (i = 0; i < S->n; i++)
		if (strlen(S->v[i]) == n && memcmp(S->v[i], s, n) == 0)
			return;
	S->v[S->n++] = ss_xstrndup(s, n);
}

/* A password as written and percent-decoded: libpq quotes the first
 * when it cannot decode it, and may echo the second. */
static void
secret_add_uri(struct secrets *S, const char *s, size_t n)
{
	struct ss_buf b = SS_BUF_INIT;

	secret_add(S, s, n);
	add_decoded(&b, s, n);
	secret_add(S, b.s, b.len);
	ss_buf_release(&b);
}

/* Every form of every password target holds, and PGPASSWORD's. */
static void
find_secrets(struct secrets *S, const char *target)
{
	const char *p, *auth, *end, *at, *colon, *q, *v;
	struct ss_buf b = SS_BUF_INIT;

	if (target != NULL && (auth = strstr(target, "://")) != NULL) {
		auth += 3;
		end = auth + strcspn(auth, "/?#");
		at = NULL;
		for (q = auth; q < end; q++)
			if (*q == '@')
				at = q;
		if (at != NULL && (colon = memchr(auth, ':',
		    (size_t)(at - auth))) != NULL)
			secret_add_uri(S, colon + 1, (size_t)(at - colon - 1));
		for (q = end; *q; q++)
			if ((q[-1] == '?' || q[-1] == '&') &&
			    password_param(q, &v))
				secret_add_uri(S, v, strcspn(v, "&#"));
	} else if (target != NULL) {
		for (p = target; *p; p++) {
			if ((p != target && !isspace((unsigned char)p[-1])) ||
			    strncmp(p, "password", 8) != 0)
				continue;
			q = p + 8;
			while (isspace((unsigned char)*q))
				q++;
			if (*q != '=')
				continue;
			q++;
			while (isspace((unsigned char)*q))
				q++;
			ss_buf_reset(&b);
			if (*q == '\'') {
				v = q;
				for (q++; *q && *q != '\''; q++) {
					if (*q == '\\' && q[1])
						q++;
					ss_buf_addc(&b, *q);
				}
				secret_add(S, v + 1, (size_t)(q - v - 1));
			} else {
				/* As libpq reads it: a backslash takes the
				 * next character, a space included. */
				v = q;
				for (; *q && !isspace((unsigned char)*q); q++) {
					if (*q == '\\' && q[1])
						q++;
					ss_buf_addc(&b, *q);
				}
				secret_add(S, v, (size_t)(q - v));
			}
			secret_add(S, b.s, b.len);
		}
	}
	if ((v = getenv("PGPASSWORD")) != NULL)
		secret_add(S, v, strlen(v));
	ss_buf_release(&b);
}

static bool
is_word(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

char *
ss_url_mask_message(const char *msg, const char *target)
{
	struct secrets S;
	struct ss_buf b = SS_BUF_INIT;
	const char *p;
	char *cur, *out;
	size_t i, j, n;

	/* Not ss_url_mask(): a message is not a URL, and the URL it may
	 * quote (display) is masked already. */
	memset(&S, 0, sizeof S);
	find_secrets(&S, target);
	/* Longest first: a password may contain another form of itself. */
	for (i = 0; i < S.n; i++)
		for (j = i + 1; j < S.n; j++)
			if (strlen(S.v[j]) > strlen(S.v[i])) {
				cur = S.v[i];
				S.v[i] = S.v[j];
				S.v[j] = cur;
			}
	cur = ss_xstrdup(msg != NULL ? msg : "");
	for (i = 0; i < S.n; i++) {
		n = strlen(S.v[i]);
		ss_buf_reset(&b);
		for (p = cur; *p; ) {
			/* A password of a few characters is masked only where
			 * it stands alone, or every "a" of a message would go. */
			if (strncmp(p, S.v[i], n) == 0 && (n >= 4 ||
			    ((p == cur || !is_word(p[-1])) && !is_word(p[n])))) {
				ss_buf_adds(&b, "***");
				p += n;
			} else
				ss_buf_addc(&b, *p++);
		}
		free(cur);
		cur = ss_buf_detach(&b);
	}
	out = cur;
	for (i = 0; i < S.n; i++)
		free(S.v[i]);
	ss_buf_release(&b);
	return out;
}

int
ss_url_parse(const char *text, struct ss_url *url, struct ss_err *err)
{
	const char *path;

	memset(url, 0, sizeof *url);
	while (isspace((unsigned char)*text))
		text++;
	if (*text == '\0')
		return ss_err_set(err, SS_EUSAGE, "empty database URL");
	if (has_prefix(text, "sqlite:")) {
		path = text + 7;
		if (has_prefix(path, "//"))
			path += 2;
		if (*path == '\0')
			return ss_err_set(err, SS_EUSAGE, "database URL '%s' "
			    "names no file (expected sqlite:PATH)", text);
		url->kind = SS_URL_SQLITE;
		url->target = ss_xstrdup(path);
		url->display = ss_xstrdup(text);
		return 0;
	}
	if (has_prefix(text, "postgres://") || has_prefix(text, "postgresql://") ||
	    is_conninfo(text)) {
		url->kind = SS_URL_POSTGRES;
		url->target = ss_xstrdup(text);
		url->display = ss_url_mask(text);
		return 0;
	}
	if (ss_ends_with(text, ".db") || ss_ends_with(text, ".sqlite") ||
	    ss_ends_with(text, ".sqlite3")) {
		url->kind = SS_URL_SQLITE;
		url->target = ss_xstrdup(text);
		url->display = ss_xstrdup(text);
		return 0;
	}
	{
		char *masked = ss_url_mask(text);
		int r = ss_err_set(err, SS_EUSAGE, "unrecognised database URL "
		    "'%s' (expected sqlite:PATH, a file ending in .db, "
		    ".sqlite or .sqlite3, or postgres://...)", masked);
		free(masked);
		return r;
	}
}

void
ss_url_release(struct ss_url *url)
{
	free(url->target);
	free(url->display);
	memset(url, 0, sizeof *url);
}
