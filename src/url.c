/*
 * Database URL parsing and password masking (include/ss/url.h).
 */
#include <ctype.h>
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
					while (*q && !isspace((unsigned char)*q))
						q++;
				p = q;
				continue;
			}
		}
		ss_buf_addc(b, *p++);
	}
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
		if ((q[-1] == '?' || q[-1] == '&') && has_prefix(q, "password=")) {
			ss_buf_adds(b, "password=***");
			q += 9;
			while (*q && *q != '&' && *q != '#')
				q++;
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
