/*
 * The config file (include/ss/config.h). It is YAML and is read with the
 * same helpers as the schema files, so its errors look the same.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ss/config.h"
#include "ss/load.h"
#include "ss/ydoc.h"

static const char *const config_keys[] = { "database", "schemas",
	"postgres_schema", "ignore_tables", "watch", "migrations", "undo",
	NULL };
static const char *const watch_keys[] = { "debounce_ms", NULL };
static const char *const migrations_keys[] = { "dir", NULL };
static const char *const undo_keys[] = { "keep", NULL };

void
ss_config_init(struct ss_config *c)
{
	memset(c, 0, sizeof *c);
	ss_arena_init(&c->arena);
	c->postgres_schema = "public";
	c->debounce_ms = -1;
	c->undo_keep = -1;
}

void
ss_config_release(struct ss_config *c)
{
	ss_arena_release(&c->arena);
	memset(c, 0, sizeof *c);
}

int
ss_config_expand(struct ss_arena *a, const char *in, char **out,
    const char **bad)
{
	struct ss_buf b = SS_BUF_INIT, name = SS_BUF_INIT;
	const char *p = in, *end, *dflt, *val;
	int r = 0;

	while (*p) {
		if (p[0] != '$' || p[1] != '{' ||
		    (end = strchr(p + 2, '}')) == NULL) {
			ss_buf_addc(&b, *p++);
			continue;
		}
		ss_buf_reset(&name);
		ss_buf_add(&name, p + 2, (size_t)(end - p - 2));
		dflt = NULL;
		{
			char *sep = strstr(name.s, ":-");
			if (sep != NULL) {
				*sep = '\0';
				dflt = sep + 2;
			}
		}
		val = getenv(name.s);
		if (val == NULL || (*val == '\0' && dflt != NULL))
			val = dflt;
		if (val == NULL) {
			*bad = ss_arena_strdup(a, name.s);
			r = -1;
			goto out;
		}
		ss_buf_adds(&b, val);
		p = end + 1;
	}
	*out = ss_arena_strndup(a, b.s, b.len);
out:
	ss_buf_release(&b);
	ss_buf_release(&name);
	return r;
}

/* A string value, with ${VAR} expanded. */
static const char *
value(struct ss_config *c, struct ss_ydoc *y, struct ss_ynode *n, const char *what)
{
	const char *s = ss_ystr(y, n, what), *bad;
	char *out;

	if (s == NULL)
		return NULL;
	if (ss_config_expand(&c->arena, s, &out, &bad) < 0) {
		ss_yerror(y, n, "environment variable '%s' is not set "
		    "(in '%s')", bad, what);
		return NULL;
	}
	return out;
}

static void
strings(struct ss_config *c, struct ss_ydoc *y, struct ss_ynode *n,
    const char *what, const char ***out, size_t *nout)
{
	struct ss_ynode **it;
	const char *s;
	size_t cap;

	if (n->type == SS_YSCALAR) {
		if ((s = value(c, y, n, what)) == NULL)
			return;
		*out = ss_arena_alloc(&c->arena, sizeof **out);
		(*out)[0] = s;
		*nout = 1;
		return;
	}
	if (n->type != SS_YSEQUENCE) {
		ss_yerror(y, n, "expected a list of strings for '%s', got %s",
		    what, ss_ykind(n));
		return;
	}
	cap = (size_t)(n->n);
	*out = ss_arena_alloc(&c->arena, (cap + 1) * sizeof **out);
	*nout = 0;
	for (it = n->items; it < n->items + n->n;
	    it++)
		if ((s = value(c, y, *it, what)) != NULL)
			(*out)[(*nout)++] = s;
}

static void
document(struct ss_config *c, struct ss_ydoc *y, struct ss_ynode *root)
{
	struct ss_ypairs pairs = { NULL, 0, 0 }, wp = { NULL, 0, 0 };
	size_t i, j;

	if (ss_yis_null(root))
		return;
	if (root->type != SS_YMAPPING) {
		ss_yerror(y, root, "expected a mapping at the top of the "
		    "config file, got %s", ss_ykind(root));
		return;
	}
	ss_ymap(y, root, &pairs);
	for (i = 0; i < pairs.n; i++) {
		const char *k = pairs.v[i].key;
		struct ss_ynode *v = pairs.v[i].value;
		if (strcmp(k, "database") == 0)
			c->database = value(c, y, v, k);
		else if (strcmp(k, "schemas") == 0)
			strings(c, y, v, k, &c->schemas, &c->nschemas);
		else if (strcmp(k, "postgres_schema") == 0) {
			const char *s = value(c, y, v, k);
			if (s != NULL)
				c->postgres_schema = s;
		} else if (strcmp(k, "ignore_tables") == 0)
			strings(c, y, v, k, &c->ignore_tables, &c->nignore);
		else if (strcmp(k, "watch") == 0) {
			if (v->type != SS_YMAPPING) {
				ss_yerror(y, v, "expected a mapping for 'watch', "
				    "got %s", ss_ykind(v));
				continue;
			}
			ss_ymap(y, v, &wp);
			for (j = 0; j < wp.n; j++) {
				if (strcmp(wp.v[j].key, "debounce_ms") == 0)
					ss_yint(y, wp.v[j].value, "debounce_ms",
					    0, 60000, &c->debounce_ms);
				else
					ss_yunknown_key(y, &wp.v[j], "watch",
					    watch_keys);
			}
		} else if (strcmp(k, "migrations") == 0) {
			if (v->type != SS_YMAPPING) {
				ss_yerror(y, v, "expected a mapping for "
				    "'migrations', got %s", ss_ykind(v));
				continue;
			}
			ss_ypairs_release(&wp);
			ss_ymap(y, v, &wp);
			for (j = 0; j < wp.n; j++) {
				if (strcmp(wp.v[j].key, "dir") == 0)
					c->migrations_dir = value(c, y,
					    wp.v[j].value, "dir");
				else
					ss_yunknown_key(y, &wp.v[j],
					    "migrations", migrations_keys);
			}
		} else if (strcmp(k, "undo") == 0) {
			/* Undo points: how many are kept. */
			if (v->type != SS_YMAPPING) {
				ss_yerror(y, v, "expected a mapping for 'undo', "
				    "got %s", ss_ykind(v));
				continue;
			}
			ss_ypairs_release(&wp);
			ss_ymap(y, v, &wp);
			for (j = 0; j < wp.n; j++) {
				if (strcmp(wp.v[j].key, "keep") == 0)
					ss_yint(y, wp.v[j].value, "keep",
					    0, 1000000, &c->undo_keep);
				else
					ss_yunknown_key(y, &wp.v[j], "undo",
					    undo_keys);
			}
		} else
			ss_yunknown_key(y, &pairs.v[i], "config file",
			    config_keys);
	}
	ss_ypairs_release(&wp);
	ss_ypairs_release(&pairs);
}

int
ss_config_load_buffer(struct ss_config *c, const char *name, const char *text,
    struct ss_diags *d)
{
	struct ss_yparser p;
	struct ss_ydoc y;
	size_t before = d->errors;

	c->path = ss_arena_strdup(&c->arena, name);
	ss_yparser_init(&p, c->path, text, strlen(text), d);
	while (ss_yparser_next(&p, &y) == 1) {
		document(c, &y, ss_yroot(&y));
		ss_ydoc_release(&y);
	}
	ss_yparser_release(&p);
	return d->errors > before ? -SS_ECONFIG : 0;
}

int
ss_config_load(struct ss_config *c, const char *path, bool must_exist,
    struct ss_diags *d)
{
	struct ss_err err = SS_ERR_INIT;
	struct ss_loc loc = { NULL, 0, 0 };
	struct stat st;
	char *text;
	size_t len;
	int r;

	if (!must_exist && stat(path, &st) != 0 && errno == ENOENT)
		return 0;
	if (ss_read_file(path, &text, &len, &err) < 0) {
		loc.file = ss_arena_strdup(&c->arena, path);
		ss_diag_add(d, SS_SEV_ERROR, &loc, "%s", err.msg.s);
		ss_err_release(&err);
		return -SS_ECONFIG;
	}
	r = ss_config_load_buffer(c, path, text, d);
	free(text);
	return r;
}

bool
ss_config_ignored(const struct ss_config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nignore; i++)
		if (fnmatch(c->ignore_tables[i], name, 0) == 0)
			return true;
	return false;
}
