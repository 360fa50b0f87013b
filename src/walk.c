/*
 * The walk of a schema folder (include/ss/walk.h).
 *
 * Design notes:
 *  1. Breadth first, from two queues: folders reached without a
 *     symbolic link, and entries that are links. A link is looked at
 *     only when no plain folder is left, so the plain spelling of
 *     anything reached both ways is the one that is marked first.
 *  2. Marking happens when a folder or file is found, before it is
 *     queued, so nothing is queued twice and the queues hold at most
 *     one entry per distinct folder plus one per link.
 *  3. A folder's names are read, sorted and the folder closed before
 *     any of them is looked at.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ss/buf.h"
#include "ss/mem.h"
#include "ss/walk.h"

bool
ss_walk_is_schema_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || name[0] == '.')
		return false;
	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	    (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

void
ss_walk_init(struct ss_walk *wk)
{
	memset(wk, 0, sizeof *wk);
}

void
ss_walk_release(struct ss_walk *wk)
{
	free(wk->seen);
	free(wk->used);
	wk->seen = NULL;
	wk->used = NULL;
	wk->cap = wk->n = 0;
}

static size_t
hash_id(dev_t dev, ino_t ino)
{
	uint64_t h = (uint64_t)dev * UINT64_C(0x9e3779b97f4a7c15);

	h ^= (uint64_t)ino + UINT64_C(0x632be59bd9b4e019) + (h << 6) + (h >> 2);
	h *= UINT64_C(0xff51afd7ed558ccd);
	return (size_t)(h ^ (h >> 33));
}

/* The slot holding (dev, ino), or the empty one where it would go. */
static size_t
slot(const struct ss_walk *wk, dev_t dev, ino_t ino)
{
	size_t i = hash_id(dev, ino) & (wk->cap - 1);

	while (wk->used[i] && (wk->seen[i].dev != dev || wk->seen[i].ino != ino))
		i = (i + 1) & (wk->cap - 1);
	return i;
}

static void
grow(struct ss_walk *wk)
{
	struct ss_walk_id *old = wk->seen;
	bool *oldused = wk->used;
	size_t oldcap = wk->cap, i, j;

	wk->cap = oldcap ? oldcap * 2 : 64;
	wk->seen = ss_xcalloc(wk->cap, sizeof *wk->seen);
	wk->used = ss_xcalloc(wk->cap, sizeof *wk->used);
	for (i = 0; i < oldcap; i++) {
		if (!oldused[i])
			continue;
		j = slot(wk, old[i].dev, old[i].ino);
		wk->seen[j] = old[i];
		wk->used[j] = true;
	}
	free(old);
	free(oldused);
}

bool
ss_walk_mark(struct ss_walk *wk, const struct stat *st)
{
	size_t i;

	if (2 * (wk->n + 1) > wk->cap)
		grow(wk);
	i = slot(wk, st->st_dev, st->st_ino);
	if (wk->used[i])
		return false;
	wk->used[i] = true;
	wk->seen[i].dev = st->st_dev;
	wk->seen[i].ino = st->st_ino;
	wk->n++;
	return true;
}

/* A first-in, first-out queue of heap paths. */
struct queue {
	char **v;
	size_t head, n, alloc;	/* v[head..n) are waiting */
};

static void
push(struct queue *q, char *path)
{
	SS_ALLOC_GROW(q->v, q->n, q->alloc);
	q->v[q->n++] = path;
}

static char *
pop(struct queue *q)
{
	return q->head < q->n ? q->v[q->head++] : NULL;
}

static void
queue_release(struct queue *q)
{
	size_t i;

	for (i = q->head; i < q->n; i++)
		free(q->v[i]);
	free(q->v);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
join(const char *dir, const char *name)
{
	struct ss_buf b = SS_BUF_INIT;

	ss_buf_adds(&b, dir);
	if (b.len == 0 || b.s[b.len - 1] != '/')
		ss_buf_addc(&b, '/');
	ss_buf_adds(&b, name);
	return ss_buf_detach(&b);
}

/*
 * What was found at path (st from stat(), links followed): a folder is
 * reported and, when the callback wants it entered, queued; a schema
 * file is reported. Either only the first time it is found.
 */
static void
found(struct ss_walk *wk, struct queue *dirs, char *path, const char *name,
    const struct stat *st)
{
	if (S_ISDIR(st->st_mode)) {
		if (ss_walk_mark(wk, st) && wk->folder(wk->arg, path, st)) {
			push(dirs, path);
			return;
		}
	} else if (S_ISREG(st->st_mode) && ss_walk_is_schema_name(name) &&
	    ss_walk_mark(wk, st)) {
		wk->file(wk->arg, path, st);
	}
	free(path);
}

/* Reads the folder dir: its names, sorted, each found or queued as a link. */
static bool
read_folder(struct ss_walk *wk, const char *dir, struct queue *dirs,
    struct queue *links)
{
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	struct dirent *de;
	struct stat st;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		if (wk->error != NULL)
			wk->error(wk->arg, dir, errno);
		return false;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		SS_ALLOC_GROW(names, n, alloc);
		names[n++] = ss_xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, cmp_str);
	for (i = 0; i < n; i++) {
		char *path = join(dir, names[i]);
		if (lstat(path, &st) != 0)
			free(path);
		else if (S_ISLNK(st.st_mode))
			push(links, path);
		else
			found(wk, dirs, path, names[i], &st);
		free(names[i]);
	}
	free(names);
	return true;
}

bool
ss_walk_tree(struct ss_walk *wk, const char *root)
{
	struct queue dirs = { NULL, 0, 0, 0 }, links = { NULL, 0, 0, 0 };
	struct stat st;
	char *path;
	bool ok = true;

	if (stat(root, &st) != 0) {
		if (wk->error != NULL)
			wk->error(wk->arg, root, errno);
		return false;
	}
	if (!S_ISDIR(st.st_mode) || !ss_walk_mark(wk, &st))
		return true;
	ok = read_folder(wk, root, &dirs, &links);
	for (;;) {
		if ((path = pop(&dirs)) != NULL) {
			(void)read_folder(wk, path, &dirs, &links);
			free(path);
		} else if ((path = pop(&links)) != NULL) {
			const char *slash = strrchr(path, '/');
			if (stat(path, &st) != 0)
				free(path);	/* a dangling link */
			else
				found(wk, &dirs, path, slash ? slash + 1 : path,
				    &st);
		} else {
			break;
		}
	}
	queue_release(&dirs);
	queue_release(&links);
	return ok;
}
