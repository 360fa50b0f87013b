#ifndef SS_MEM_H
#define SS_MEM_H
/*
 * Memory: out of memory is fatal, as in tmux's xmalloc.c, so no call site
 * carries an allocation-failure path.
 *
 * An arena hands out memory that lives until the arena is released; one
 * arena backs each loaded schema and each plan, so freeing the owner frees
 * every node in it at once.
 */
#include <stddef.h>

void *ss_xmalloc(size_t n);
void *ss_xcalloc(size_t n, size_t size);
void *ss_xrealloc(void *p, size_t n);
char *ss_xstrdup(const char *s);
char *ss_xstrndup(const char *s, size_t n);

struct ss_arena_block;

struct ss_arena {
	struct ss_arena_block *head;	/* newest block first */
	size_t used;			/* bytes used in head */
	size_t cap;			/* bytes usable in head */
};

#define SS_ARENA_INIT { NULL, 0, 0 }

void ss_arena_init(struct ss_arena *a);
void ss_arena_release(struct ss_arena *a);
/* Zeroed memory, aligned for any type. */
void *ss_arena_alloc(struct ss_arena *a, size_t n);
char *ss_arena_strdup(struct ss_arena *a, const char *s);
char *ss_arena_strndup(struct ss_arena *a, const char *s, size_t n);
char *ss_arena_printf(struct ss_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Growable arrays whose storage lives in an arena: T *v; size_t n, alloc.
 * Growing copies into a new block and abandons the old one; doubling keeps
 * the waste under the array's own size. The first growth makes room for
 * one element: most lists of a model (a key's columns, a table's foreign
 * keys) hold one or two, and a first room of four made the lists of a
 * 1,000-table model 2.6 MB larger than what they held.
 */
void *ss_arena_grow(struct ss_arena *a, void *v, size_t elem, size_t n,
    size_t *alloc);
#define SS_ARENA_PUSH(a, v, n, alloc) \
	((v) = ss_arena_grow((a), (v), sizeof *(v), (n), &(alloc)), &(v)[(n)++])

/* Heap arrays (freed by the owner): same shape, realloc. */
#define SS_ALLOC_GROW(v, nr, alloc) do { \
	if ((nr) >= (alloc)) { \
		(alloc) = (alloc) ? (alloc) * 2 : 8; \
		if ((alloc) <= (nr)) (alloc) = (nr) + 1; \
		(v) = ss_xrealloc((v), (alloc) * sizeof *(v)); \
	} \
} while (0)

#endif
