#ifndef SS_CONFIG_H
#define SS_CONFIG_H
/*
 * The config file, schemasync.yaml (SPEC section 3). Every key is
 * optional. ${VAR} (and ${VAR:-default}) in string values is expanded
 * from the environment; an unset variable without a default is an
 * error. Problems are reported like schema errors, FILE:LINE:COLUMN.
 */
#include <stdbool.h>

#include "ss/err.h"
#include "ss/mem.h"

struct ss_config {
	struct ss_arena arena;		/* owns every string below */
	const char *path;		/* the file read, or NULL */
	const char *database;		/* NULL when not set */
	const char **schemas;		/* NULL when not set */
	size_t nschemas;
	const char *postgres_schema;	/* "public" unless set */
	const char **ignore_tables;	/* glob patterns */
	size_t nignore;
	long debounce_ms;		/* -1 when not set */
	const char *migrations_dir;	/* migrations.dir; NULL when not set */
	long undo_keep;			/* undo.keep: undo points kept; -1 when not set */
};

void ss_config_init(struct ss_config *c);
void ss_config_release(struct ss_config *c);
/*
 * Reads path into c. When must_exist is false and the file does not
 * exist, c is left at its defaults and 0 is returned. Otherwise returns
 * -SS_ECONFIG with the problems in d.
 */
int ss_config_load(struct ss_config *c, const char *path, bool must_exist,
    struct ss_diags *d);
/* The same from memory (tests). */
int ss_config_load_buffer(struct ss_config *c, const char *name,
    const char *text, struct ss_diags *d);
/* Expands ${VAR} and ${VAR:-default}; -1 with *bad set to the name of an
 * unset variable (arena memory). */
int ss_config_expand(struct ss_arena *a, const char *in, char **out,
    const char **bad);
/* Whether name matches any of the ignore_tables globs (fnmatch). */
bool ss_config_ignored(const struct ss_config *c, const char *name);

#endif
