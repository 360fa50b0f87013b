#ifndef SS_BUF_H
#define SS_BUF_H
/*
 * A growable byte buffer, the only way strings are built in schemasync
 * (curl's dynbuf, git's strbuf).
 *
 * Invariants:
 *  - b->s is never NULL once initialised: it points at ss_buf_empty or at
 *    heap memory, and b->s[b->len] == '\0' always holds.
 *  - b->alloc == 0 means b->s is the shared empty string and must not be
 *    written to or freed.
 *
 * Allocation failure aborts (see mem.h), so no function here fails.
 */
#include <stdarg.h>
#include <stddef.h>

extern char ss_buf_empty[];

struct ss_buf {
	char *s;	/* NUL-terminated contents */
	size_t len;	/* bytes before the NUL */
	size_t alloc;	/* bytes allocated, 0 for the static empty string */
};

#define SS_BUF_INIT { ss_buf_empty, 0, 0 }

void ss_buf_init(struct ss_buf *b);
void ss_buf_release(struct ss_buf *b);
void ss_buf_reset(struct ss_buf *b);
void ss_buf_grow(struct ss_buf *b, size_t extra);
void ss_buf_add(struct ss_buf *b, const void *data, size_t len);
void ss_buf_adds(struct ss_buf *b, const char *s);
void ss_buf_addc(struct ss_buf *b, char c);
void ss_buf_addf(struct ss_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ss_buf_vaddf(struct ss_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Hands the contents to the caller (who frees them) and resets b. */
char *ss_buf_detach(struct ss_buf *b);
void ss_buf_truncate(struct ss_buf *b, size_t len);

#endif
