#ifndef SS_LOAD_H
#define SS_LOAD_H
/*
 * Loading schema files (SPEC section 3) into a struct ss_schema.
 *
 * Every problem in every file is reported, not only the first, each at
 * its 1-based FILE:LINE:COLUMN, sorted in reading order. When anything
 * is wrong the call returns -SS_ESCHEMA and the schema must not be used
 * (it is still safe to release).
 *
 * Files: a path that is a folder is searched recursively for *.yaml and
 * *.yml (names starting with '.' are skipped: editor swap files, .git);
 * the files found are read in byte order of their paths, so the model's
 * order does not depend on the file system. A path that is a file is
 * read whatever its name. A file given twice is read once, and a folder
 * reached twice (through symbolic links, even ones that make a cycle)
 * is read once (ss_walk, include/ss/walk.h).
 *
 * Top-level keys: `tables`, `enums`, and any key starting with `x-`,
 * which is ignored (a place to keep YAML anchors for merge keys).
 *
 * Threads: push, diff and watch load on a second thread while the
 * database is read (session.h). A load writes only its schema and
 * diagnostics, prints nothing and keeps no static mutable state (no
 * cache, buffer or counter shared between calls), so two loads, or a
 * load and introspection, may run at once.
 */
#include <stddef.h>

#include "ss/err.h"
#include "ss/model.h"

int ss_load_paths(struct ss_schema *s, const char *const *paths, size_t n,
    struct ss_diags *d);
/* The same from memory (tests, stdin): names[i] names texts[i]. */
int ss_load_buffers(struct ss_schema *s, const char *const *names,
    const char *const *texts, size_t n, struct ss_diags *d);
/*
 * Loading again only the files that changed (watch). The cache belongs
 * to the caller, who keeps it from one load to the next and releases it
 * with ss_load_cache_release(); it holds, for each file read without a
 * problem, its exact bytes and what the file declared. A load with a
 * cache parses only the files whose bytes differ from the kept ones
 * (compared byte for byte, never by time), drops the files that are
 * gone, and builds the schema from the kept and the parsed files; the
 * checks across files run on the whole schema every time, so the
 * result (schema and diagnostics) is the one ss_load_paths() gives. A
 * file with a diagnostic is never kept: it is parsed, and its problems
 * reported, on every load. One cache must not be used by two loads at
 * once; the loader itself has no shared state.
 *
 * SCHEMASYNC_DEBUG_LOAD set in the environment makes a load with a
 * cache print "schemasync: read FILE" on stderr for each file it parses
 * (tests).
 */
struct ss_load_cfile;
struct ss_load_cache {
	struct ss_load_cfile **v;
	size_t n, alloc;
	size_t parsed, reused;	/* files, by the last load */
};
#define SS_LOAD_CACHE_INIT { NULL, 0, 0, 0, 0 }

int ss_load_paths_cached(struct ss_schema *s, const char *const *paths,
    size_t n, struct ss_diags *d, struct ss_load_cache *cache);
void ss_load_cache_release(struct ss_load_cache *c);

/* Reads a whole file into a NUL-terminated heap buffer. */
int ss_read_file(const char *path, char **out, size_t *len,
    struct ss_err *err);

#endif
