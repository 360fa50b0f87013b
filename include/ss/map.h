#ifndef SS_MAP_H
#define SS_MAP_H
/*
 * A string-keyed hash map (open addressing, linear probing) used for name
 * lookups: tables by name, columns by name. Keys are borrowed: the caller
 * keeps them alive as long as the map. Insertion order is not kept; use
 * the owner's arrays when order matters.
 */
#include <stddef.h>

struct ss_map_slot {
	const char *key;	/* NULL: empty slot */
	size_t hash;
	void *value;
};

struct ss_map {
	struct ss_map_slot *slots;
	size_t cap;		/* a power of two, or 0 */
	size_t n;
};

#define SS_MAP_INIT { NULL, 0, 0 }

void ss_map_release(struct ss_map *m);
void *ss_map_get(const struct ss_map *m, const char *key);
/* Inserts or replaces; returns the previous value or NULL. */
void *ss_map_put(struct ss_map *m, const char *key, void *value);
size_t ss_hash_str(const char *s);
/* Empties m, keeping its slots for the next puts (a map filled and
 * emptied in a loop allocates once). */
void ss_map_clear(struct ss_map *m);

#endif
