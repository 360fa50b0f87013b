#ifndef SS_WALK_H
#define SS_WALK_H
/*
 * The one walk of a schema folder, shared by the loader (which reads the
 * files it finds) and the watcher (which watches or polls the folders).
 *
 * Invariants:
 *  - Every folder is entered at most once and every file reported at
 *    most once per struct ss_walk, told apart by device and inode, not
 *    by spelling: a link back up the tree (`ln -s . schemas/again`) or
 *    several links to one folder cannot make a walk loop or multiply.
 *    A walk is bounded by the number of distinct folders and files.
 *  - A folder's entries are taken in byte order of their names, and
 *    symbolic links are followed only after every folder reached
 *    without one: a folder or file reached both directly and through a
 *    link is reported under its own path, and which spelling is kept
 *    never depends on the file system's order.
 *  - Names starting with '.' are skipped (editor swap files, .git);
 *    files are reported when they are regular files (after following
 *    links) named *.yaml or *.yml. Entries that cannot be stat()ed (a
 *    dangling link) are skipped.
 *  - No folder is held open while another is read: the depth of a tree
 *    is not bounded by the number of open files.
 *
 * The walk is re-entrant (no globals): the loader runs it in libuv's
 * thread pool while the watcher's loop runs it too.
 */
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

struct ss_walk_id {
	dev_t dev;
	ino_t ino;
};

struct ss_walk {
	/* Called for each folder found under a root (not for the root
	 * itself); the folder is entered only when it returns true. */
	bool (*folder)(void *arg, const char *path, const struct stat *st);
	/* Called for each schema file found. */
	void (*file)(void *arg, const char *path, const struct stat *st);
	/* Called for a folder that cannot be read (opendir failed); may be
	 * NULL. */
	void (*error)(void *arg, const char *path, int errnum);
	void *arg;
	struct ss_walk_id *seen;	/* a hash set, open addressing */
	bool *used;		/* which slots of seen hold an id */
	size_t cap, n;		/* slots (a power of two, or 0), ids held */
};

/* Whether a file of this name is a schema file: *.yaml or *.yml, not
 * starting with '.'. */
bool ss_walk_is_schema_name(const char *name);

/* Clears the callbacks and the set of folders and files seen. */
void ss_walk_init(struct ss_walk *wk);
void ss_walk_release(struct ss_walk *wk);

/* Adds st's (device, inode) to the set; false when it was there. */
bool ss_walk_mark(struct ss_walk *wk, const struct stat *st);

/*
 * Walks the folder root and everything under it, calling back as above.
 * The root is marked first: a root already seen (given twice, or under
 * a root walked before with the same wk) is not walked again. Returns
 * false, calling error, when root cannot be stat()ed or read.
 */
bool ss_walk_tree(struct ss_walk *wk, const char *root);

#endif
