/*
 * String-keyed hash map. FNV-1a hashing; the table doubles when it is
 * more than half full, so probe sequences stay short.
 */
#include <stdlib.h>
#include <string.h>

#include "ss/map.h"
#include "ss/mem.h"

size_t
ss_hash_str(const char *s)
{
	size_t h = (size_t)14695981039346656037ULL;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= (size_t)1099511628211ULL;
	}
	return h;
}

void
ss_map_release(struct ss_map *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}

void
ss_map_clear(struct ss_map *m)
{
	if (m->cap > 256)
		ss_map_release(m);	/* clearing would cost more */
	else if (m->n > 0)
		memset(m->slots, 0, m->cap * sizeof *m->slots);
	m->n = 0;
}

static struct ss_map_slot *
find(const struct ss_map *m, const char *key, size_t h)
{
	size_t i = h & (m->cap - 1);

	for (;;) {
		struct ss_map_slot *s = &m->slots[i];
		if (s->key == NULL || (s->hash == h && strcmp(s->key, key) == 0))
			return s;
		i = (i + 1) & (m->cap - 1);
	}
}

void *
ss_map_get(const struct ss_map *m, const char *key)
{
	struct ss_map_slot *s;

	if (m->cap == 0)
		return NULL;
	s = find(m, key, ss_hash_str(key));
	return s->key ? s->value : NULL;
}

static void
rehash(struct ss_map *m, size_t cap)
{
	struct ss_map_slot *old = m->slots;
	size_t oldcap = m->cap, i;

	m->slots = ss_xcalloc(cap, sizeof *m->slots);
	m->cap = cap;
	for (i = 0; i < oldcap; i++)
		if (old[i].key != NULL)
			*find(m, old[i].key, old[i].hash) = old[i];
	free(old);
}

void *
ss_map_put(struct ss_map *m, const char *key, void *value)
{
	struct ss_map_slot *s;
	size_t h = ss_hash_str(key);
	void *prev;

	if ((m->n + 1) * 2 > m->cap)
		rehash(m, m->cap ? m->cap * 2 : 16);
	s = find(m, key, h);
	if (s->key != NULL) {
		prev = s->value;
		s->value = value;
		return prev;
	}
	s->key = key;
	s->hash = h;
	s->value = value;
	m->n++;
	return NULL;
}
