/*
 * Allocation that never returns NULL, and arenas.
 *
 * An arena is a list of blocks; allocations are bumped out of the newest
 * block, and a request larger than a block gets a block of its own.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ss/mem.h"

/*
 * The first block is small (many arenas live for one call and hold a few
 * strings); each next one doubles, up to BLOCK_SIZE_MAX.
 */
#define BLOCK_SIZE (4 * 1024 - 64)
#define BLOCK_SIZE_MAX (1024 * 1024 - 64)
#define MAP_MIN (128 * 1024)
#define ALIGN _Alignof(max_align_t)

struct ss_arena_block {
	struct ss_arena_block *next;
	size_t size;			/* bytes of data, for munmap */
	bool mapped;			/* from mmap: zero, never cleared */
	max_align_t data[];
};

static void
oom(size_t n)
{
	fprintf(stderr, "schemasync: fatal: out of memory allocating %zu bytes\n", n);
	abort();
}

void *
ss_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *
ss_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom(n * size);
	return p;
}

void *
ss_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom(n);
	return q;
}

char *
ss_xstrdup(const char *s)
{
	return ss_xstrndup(s, strlen(s));
}

char *
ss_xstrndup(const char *s, size_t n)
{
	char *p = ss_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
ss_arena_init(struct ss_arena *a)
{
	a->head = NULL;
	a->used = 0;
	a->cap = 0;
}

void
ss_arena_release(struct ss_arena *a)
{
	struct ss_arena_block *b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		if (b->mapped)
			munmap(b, sizeof *b + b->size);
		else
			free(b);
	}
	ss_arena_init(a);
}

/*
 * A block of size bytes of data. From MAP_MIN up it is mapped: the
 * kernel's pages are zero, so what is handed out from it is never
 * cleared, and each page is written once, by whoever uses it. A smaller
 * block comes from malloc (a short-lived arena holding a few strings
 * must not cost a page-sized clear) and each allocation is cleared.
 */
static struct ss_arena_block *
new_block(size_t size)
{
	struct ss_arena_block *b;
	void *p;

	if (sizeof *b + size >= MAP_MIN) {
		p = mmap(NULL, sizeof *b + size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			oom(size);
		b = p;
		b->mapped = true;
	} else {
		b = ss_xmalloc(sizeof *b + size);
		b->mapped = false;
	}
	b->size = size;
	return b;
}

/*
 * Blocks double from BLOCK_SIZE up to BLOCK_SIZE_MAX: a short-lived
 * arena takes one small block, a big schema a few dozen mapped ones
 * rather than hundreds of 64 KiB blocks.
 */
void *
ss_arena_alloc(struct ss_arena *a, size_t n)
{
	struct ss_arena_block *b;
	size_t size;
	void *p;

	n = (n + ALIGN - 1) & ~(ALIGN - 1);
	if (n == 0)
		n = ALIGN;
	/* After a string (text_room()); cap is a multiple of ALIGN. */
	a->used = (a->used + ALIGN - 1) & ~(ALIGN - 1);
	if (a->head == NULL || a->cap - a->used < n) {
		if (n > BLOCK_SIZE_MAX / 4) {
			/* A big request gets its own block behind the head. */
			b = new_block(n);
			if (!b->mapped)
				memset(b->data, 0, n);
			if (a->head != NULL) {
				b->next = a->head->next;
				a->head->next = b;
			} else {
				b->next = NULL;
				a->head = b;
				a->used = a->cap = n;
			}
			return b->data;
		}
		size = a->head == NULL || a->cap < BLOCK_SIZE ? BLOCK_SIZE :
		    a->cap >= BLOCK_SIZE_MAX / 2 ? BLOCK_SIZE_MAX : a->cap * 2;
		while (size < n)
			size *= 2;
		b = new_block(size);
		b->next = a->head;
		a->head = b;
		a->used = 0;
		a->cap = size;
	}
	p = (char *)a->head->data + a->used;
	a->used += n;
	if (!a->head->mapped)
		memset(p, 0, n);
	return p;
}

/*
 * n bytes for text: not aligned and not cleared, since text needs
 * neither and every byte is written (a string costs its length, not
 * its length rounded up to ALIGN: 1 MB less in a 1,000-table model).
 */
static char *
text_room(struct ss_arena *a, size_t n)
{
	size_t r = (n + ALIGN - 1) & ~(ALIGN - 1);
	char *p;

	if (a->head == NULL || a->cap - a->used < n) {
		p = ss_arena_alloc(a, n);
		/* In the head (not a block of its own): unround the end. */
		if (p + r == (char *)a->head->data + a->used)
			a->used -= r - n;
		return p;
	}
	p = (char *)a->head->data + a->used;
	a->used += n;
	return p;
}

char *
ss_arena_strndup(struct ss_arena *a, const char *s, size_t n)
{
	char *p = text_room(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
ss_arena_strdup(struct ss_arena *a, const char *s)
{
	return s ? ss_arena_strndup(a, s, strlen(s)) : NULL;
}

char *
ss_arena_printf(struct ss_arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	p = text_room(a, (size_t)(n < 0 ? 0 : n) + 1);
	*p = '\0';
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/*
 * When v is the newest allocation of the head block and the block has
 * room, the array grows where it is: no copy, nothing abandoned.
 */
void *
ss_arena_grow(struct ss_arena *a, void *v, size_t elem, size_t n,
    size_t *alloc)
{
	void *nv;
	size_t na, old, more;

	if (n < *alloc)
		return v;
	na = *alloc ? *alloc * 2 : 1;
	if (v != NULL && a->head != NULL) {
		old = (*alloc * elem + ALIGN - 1) & ~(ALIGN - 1);
		more = (na * elem + ALIGN - 1) & ~(ALIGN - 1);
		if ((char *)v + old == (char *)a->head->data + a->used &&
		    more - old <= a->cap - a->used) {
			a->used += more - old;
			*alloc = na;
			return v;
		}
	}
	nv = ss_arena_alloc(a, na * elem);
	if (n)
		memcpy(nv, v, n * elem);
	*alloc = na;
	return nv;
}
