/*
 * Suggestions and string helpers (see include/ss/util.h).
 *
 * A suggestion is offered when the edit distance is at most a third of the
 * word's length (at least 1, at most 3): close enough to be a typo, far
 * enough that unrelated short names are not offered. A word that is the
 * start of a candidate is offered it as well.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ss/err.h"
#include "ss/mem.h"
#include "ss/util.h"

int
ss_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int *d, r;

	d = ss_xmalloc((la + 1) * (lb + 1) * sizeof *d);
#define D(i, j) d[(i) * (lb + 1) + (j)]
	for (i = 0; i <= la; i++)
		D(i, 0) = (int)i;
	for (j = 0; j <= lb; j++)
		D(0, j) = (int)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			int cost = tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]);
			int v = D(i - 1, j) + 1;
			if (D(i, j - 1) + 1 < v)
				v = D(i, j - 1) + 1;
			if (D(i - 1, j - 1) + cost < v)
				v = D(i - 1, j - 1) + cost;
			if (i > 1 && j > 1 &&
			    tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == tolower((unsigned char)b[j - 1]) &&
			    D(i - 2, j - 2) + 1 < v)
				v = D(i - 2, j - 2) + 1;
			D(i, j) = v;
		}
	}
	r = D(la, lb);
#undef D
	free(d);
	return r;
}

const char *
ss_suggest_n(const char *word, const void *base, size_t n, size_t stride)
{
	const char *best = NULL;
	int bestd, limit;
	size_t i, len = strlen(word);

	limit = (int)(len / 3);
	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	bestd = limit + 1;
	for (i = 0; i < n; i++) {
		const char *c = *(const char *const *)((const char *)base + i * stride);
		int dist;
		if (c == NULL)
			continue;
		dist = ss_edit_distance(word, c);
		/* A cut-short name ('debounce' for 'debounce_ms') is a typo
		 * too, however many letters are missing. */
		if (dist > limit && len >= 3 && strncmp(c, word, len) == 0)
			dist = limit;
		if (dist < bestd && dist < (int)strlen(c)) {
			bestd = dist;
			best = c;
		}
	}
	return best;
}

const char *
ss_suggest(const char *word, const char *const *candidates)
{
	size_t n = 0;

	while (candidates[n] != NULL)
		n++;
	return ss_suggest_n(word, candidates, n, sizeof *candidates);
}

int
ss_streq_icase(const char *a, const char *b)
{
	while (*a && *b) {
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++, b++;
	}
	return *a == *b;
}

int
ss_ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

bool
ss_is_decimal(const char *s)
{
	int digits = 0;

	if (*s == '-' || *s == '+')
		s++;
	while (isdigit((unsigned char)*s))
		s++, digits++;
	if (*s == '.') {
		s++;
		while (isdigit((unsigned char)*s))
			s++, digits++;
	}
	if (digits == 0)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == '\0';
}

bool
ss_line_in(const char *text, const char *line)
{
	const char *p;

	for (p = text; (p = strstr(p, line)) != NULL; p++)
		if (p == text || p[-1] == '\n')
			return true;
	return false;
}

int
ss_mkdirs(const char *path, struct ss_err *err)
{
	char *p = ss_xstrdup(path), *q;
	int r = 0;

	for (q = p + 1; ; q++) {
		if (*q == '/' || *q == '\0') {
			char c = *q;
			*q = '\0';
			if (mkdir(p, 0777) != 0 && errno != EEXIST) {
				r = ss_err_set(err, SS_EIO, "cannot create folder "
				    "'%s': %s", p, strerror(errno));
				break;
			}
			*q = c;
			if (c == '\0')
				break;
		}
	}
	free(p);
	return r;
}
