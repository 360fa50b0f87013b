/*
 * Growable byte buffers (see include/ss/buf.h for the invariants).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss/buf.h"
#include "ss/mem.h"

char ss_buf_empty[1];

void
ss_buf_init(struct ss_buf *b)
{
	b->s = ss_buf_empty;
	b->len = 0;
	b->alloc = 0;
}

void
ss_buf_release(struct ss_buf *b)
{
	if (b->alloc)
		free(b->s);
	ss_buf_init(b);
}

void
ss_buf_reset(struct ss_buf *b)
{
	ss_buf_truncate(b, 0);
}

void
ss_buf_truncate(struct ss_buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	if (b->alloc)
		b->s[len] = '\0';
}

void
ss_buf_grow(struct ss_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	size_t n;

	if (need <= b->alloc)
		return;
	n = b->alloc ? b->alloc : 64;
	while (n < need)
		n *= 2;
	if (b->alloc)
		b->s = ss_xrealloc(b->s, n);
	else {
		b->s = ss_xmalloc(n);
		b->s[0] = '\0';
	}
	b->alloc = n;
}

void
ss_buf_add(struct ss_buf *b, const void *data, size_t len)
{
	if (len == 0)
		return;
	ss_buf_grow(b, len);
	memcpy(b->s + b->len, data, len);
	b->len += len;
	b->s[b->len] = '\0';
}

void
ss_buf_adds(struct ss_buf *b, const char *s)
{
	ss_buf_add(b, s, strlen(s));
}

void
ss_buf_addc(struct ss_buf *b, char c)
{
	if (b->len + 1 >= b->alloc)
		ss_buf_grow(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

void
ss_buf_vaddf(struct ss_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n <= 0)
		return;
	ss_buf_grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
ss_buf_addf(struct ss_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ss_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

char *
ss_buf_detach(struct ss_buf *b)
{
	char *s = b->alloc ? b->s : ss_xstrdup("");

	ss_buf_init(b);
	return s;
}
