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

/* Spare chunks are poisoned under AddressSanitizer: a pointer kept into
 * an array that grew is reported where it is used. */
#if defined(__SANITIZE_ADDRESS__)
#define SS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SS_ASAN 1
#endif
#endif
#ifdef SS_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/*
 * The first block is small (many arenas live for one call and hold a few
 * strings); each next one doubles, up to BLOCK_SIZE_MAX.
 */
#define BLOCK_SIZE (4 * 1024 - 64)
#define BLOCK_SIZE_MAX (1024 * 1024 - 64)
#define MAP_MIN (128 * 1024)
#define ALIGN (sizeof(max_align_t))

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
	memset(a->spare, 0, sizeof a->spare);
}

/*
 * Spare chunks: what an array moved out of is handed to the next array
 * of the arena that grows to that size. Arrays double from 4 elements,
 * so the tables of a schema, each growing its columns, indexes and
 * names through the same sizes, take each other's chunks instead of
 * each leaving one of every size behind (at 1,000 PostgreSQL tables,
 * 2.7 MB of columns arrays). A chunk keeps the next chunk of its class
 * and its size in its first bytes; spare[k] holds chunks of at least
 * SPARE_MIN << k bytes.
 */
#define SPARE_MIN 32

struct spare {
	struct spare *next;
	size_t size;
};

/* The k with SPARE_MIN << k <= size (size >= SPARE_MIN), at most the last. */
static int
spare_class(size_t size)
{
	int k = 0;

	while (k < SS_ARENA_SPARE - 1 && (size_t)SPARE_MIN << (k + 1) <= size)
		k++;
	return k;
}

/* Whether p is in one of a's blocks: an array may have been grown in
 * another arena before, whose memory a must not hand out. */
static bool
owned(const struct ss_arena *a, const void *p)
{
	const struct ss_arena_block *b;
	uintptr_t q = (uintptr_t)p;

	for (b = a->head; b != NULL; b = b->next)
		if (q >= (uintptr_t)b->data && q < (uintptr_t)b->data + b->size)
			return true;
	return false;
}

static void
spare_put(struct ss_arena *a, void *p, size_t size)
{
	struct spare *c = p;
	int k;

	if (size < SPARE_MIN || !owned(a, p))
		return;
	k = spare_class(size);
	c->size = size;
	c->next = a->spare[k];
	a->spare[k] = c;
	POISON((char *)c + sizeof *c, size - sizeof *c);
}

/* A zeroed chunk of at least size bytes, or NULL. */
static void *
spare_take(struct ss_arena *a, size_t size)
{
	struct spare *c;
	int k;

	/* The first chunk of size's own class if it is large enough (the
	 * arrays of one type come in the same sizes), else any of the next
	 * class, which all are. */
	k = spare_class(size < SPARE_MIN ? SPARE_MIN : size);
	if ((c = a->spare[k]) == NULL || c->size < size) {
		if (++k >= SS_ARENA_SPARE || (c = a->spare[k]) == NULL ||
		    c->size < size)
			return NULL;
	}
	a->spare[k] = c->next;
	UNPOISON(c, c->size);
	memset(c, 0, size);
	return c;
}

static void
spare_unpoison(struct ss_arena *a)
{
	struct spare *c;
	int k;

	for (k = 0; k < SS_ARENA_SPARE; k++)
		for (c = a->spare[k]; c != NULL; c = c->next)
			UNPOISON(c, c->size);
}

void
ss_arena_release(struct ss_arena *a)
{
	struct ss_arena_block *b, *next;

	spare_unpoison(a);
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

char *
ss_arena_strndup(struct ss_arena *a, const char *s, size_t n)
{
	char *p = ss_arena_alloc(a, n + 1);

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
	p = ss_arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
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
	na = *alloc ? *alloc * 2 : 4;
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
	more = (na * elem + ALIGN - 1) & ~(ALIGN - 1);
	if ((nv = spare_take(a, more)) == NULL)
		nv = ss_arena_alloc(a, more);
	if (n)
		memcpy(nv, v, n * elem);
	if (v != NULL)
		spare_put(a, v, (*alloc * elem + ALIGN - 1) & ~(ALIGN - 1));
	*alloc = na;
	return nv;
}
