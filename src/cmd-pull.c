/*
 * schemasync pull: introspect the database and write the schema file
 * that describes it, OUT/schema.yaml (one file for the whole schema, so
 * a pull is one file to review). What schemasync does not manage is
 * named in the file's header and on stdout, never written as tables.
 * pull followed by diff must find nothing to do.
 *
 * OUT must hold no schema files (found by the loader's own walk): the
 * pulled file beside them would define every table twice, and the next
 * check, push or running watcher would fail. --force replaces them: the
 * new file is written under a dot name (which the loader and watcher
 * skip), the old files are removed, and the new one renamed into place.
 * Nothing is touched until the database has been read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ss/cli.h"
#include "ss/dialect.h"
#include "ss/util.h"
#include "ss/walk.h"
#include "ss/yamlout.h"

static const char *out_dir;
static bool force;

static const struct ss_opt pull_opts[] = {
	SS_OPT_STRING_("out", "DIR", &out_dir, "where to write schema.yaml (default: schemas/)"),
	{ .name = "force", .short_name = 'f', .help = "replace the schema files already in DIR with schema.yaml",
	  .type = SS_OPT_FLAG, .value = &force },
	SS_OPT_END_
};

struct found {
	char **v;
	size_t n, alloc;
};

static bool
found_folder(void *arg, const char *path, const struct stat *st)
{
	(void)arg;
	(void)path;
	(void)st;
	return true;
}

static void
found_file(void *arg, const char *path, const struct stat *st)
{
	struct found *f = arg;

	(void)st;
	SS_ALLOC_GROW(f->v, f->n, f->alloc);
	f->v[f->n++] = ss_xstrdup(path);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
found_release(struct found *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->v[i]);
	free(f->v);
}

/*
 * The schema files under dir, as check would read them, sorted; none
 * when dir does not exist. A dir that is not a folder is an error.
 */
static int
existing(const char *dir, struct found *f, struct ss_err *err)
{
	struct ss_walk wk;
	struct stat st;

	if (stat(dir, &st) != 0)
		return 0;
	if (!S_ISDIR(st.st_mode))
		return ss_err_set(err, SS_EUSAGE, "'%s' is not a folder; pass "
		    "--out DIR to name one", dir);
	ss_walk_init(&wk);
	wk.folder = found_folder;
	wk.file = found_file;
	wk.arg = f;
	(void)ss_walk_tree(&wk, dir);
	ss_walk_release(&wk);
	if (f->n > 0)
		qsort(f->v, f->n, sizeof *f->v, cmp_str);
	return 0;
}

/* "a.yaml, b.yaml and 3 more" */
static void
name_some(struct ss_buf *b, const struct found *f)
{
	size_t i, shown = f->n > 3 ? 2 : f->n;

	for (i = 0; i < shown; i++)
		ss_buf_addf(b, "%s'%s'", i == 0 ? "" : i + 1 == f->n ?
		    " and " : ", ", f->v[i]);
	if (shown < f->n)
		ss_buf_addf(b, " and %zu more", f->n - shown);
}

/*
 * --force removes only what is inside dir: a file reached through a
 * link to a folder elsewhere would be removed there, so it stops the
 * pull instead.
 */
static int
all_inside(const char *dir, const struct found *f, struct ss_err *err)
{
	char *root = realpath(dir, NULL), *real = NULL, *parent;
	size_t i, n;
	int r = 0;

	if (root == NULL)
		return ss_err_set(err, SS_EIO, "cannot resolve '%s': %s", dir,
		    strerror(errno));
	n = strlen(root);
	for (i = 0; r == 0 && i < f->n; i++) {
		/* The folder the entry is in, links followed; the entry
		 * itself may be a link, and unlink() removes only it. */
		parent = ss_xstrdup(f->v[i]);
		*strrchr(parent, '/') = '\0';
		real = realpath(parent, NULL);
		if (real == NULL || strncmp(real, root, n) != 0 ||
		    (real[n] != '\0' && real[n] != '/' && n > 1))
			r = ss_err_set(err, SS_EUSAGE, "'%s' is in a folder "
			    "outside '%s' (through a link), which --force does "
			    "not remove; remove it yourself, or pass --out DIR "
			    "to write to a new folder", f->v[i], dir);
		free(real);
		free(parent);
	}
	free(root);
	return r;
}

static int
pull_exec(struct ss_ctx *ctx)
{
	const struct ss_dialect *dl = ss_dialect_for(&ctx->url);
	const char *dir = out_dir ? out_dir : "schemas";
	struct ss_buf path = SS_BUF_INIT, text = SS_BUF_INIT, hdr = SS_BUF_INIT;
	struct ss_buf alone = SS_BUF_INIT, tmp = SS_BUF_INIT, um = SS_BUF_INIT;
	struct ss_err err = SS_ERR_INIT;
	struct found old = { NULL, 0, 0 }, removed = { NULL, 0, 0 };
	struct ss_conn *conn = NULL;
	struct ss_schema s;
	size_t i;
	FILE *f;
	int status = 0;

	ss_schema_init(&s);
	ss_buf_addf(&path, "%s%sschema.yaml", dir,
	    dir[strlen(dir) - 1] == '/' ? "" : "/");
	ss_buf_addf(&tmp, "%s%s.schema.yaml.pull-%ld", dir,
	    dir[strlen(dir) - 1] == '/' ? "" : "/", (long)getpid());
	if (existing(dir, &old, &err) < 0)
		goto fail;
	if (old.n > 0 && !force) {
		struct ss_buf names = SS_BUF_INIT;
		name_some(&names, &old);
		ss_err_set(&err, SS_EUSAGE, "'%s' already holds schema files "
		    "(%s): the pulled schema.yaml would define their tables "
		    "a second time; pass --out DIR to write to a new folder, "
		    "or --force to replace %s with the pulled file", dir,
		    names.s, old.n == 1 ? "it" : "them");
		ss_buf_release(&names);
		goto fail;
	}
	if (old.n > 0 && all_inside(dir, &old, &err) < 0)
		goto fail;
	if (dl == NULL) {
		ss_err_set(&err, SS_EINTERNAL, "%s: this build cannot talk to "
		    "this kind of database yet", ctx->url.display);
		goto fail;
	}
	if (dl->connect(&ctx->url, &ctx->config, &conn, &err) < 0 ||
	    ss_introspect(dl, conn, &ctx->config, &s, &err) < 0)
		goto fail;
	ss_schema_others_summary(&alone, &s);
	ss_buf_addf(&hdr, "pulled from %s by schemasync %s", ctx->url.display,
	    SS_VERSION);
	if (alone.len > 0)
		ss_buf_addf(&hdr, "\nleft alone (not managed): %s", alone.s);
	for (i = 0; i < s.nunmodelled; i++) {
		ss_buf_adds(&hdr, "\nwarning: ");
		ss_unmodelled_describe(&hdr, &s.unmodelled[i]);
	}
	if (ss_yaml_write(&s, hdr.s, &text, &err) < 0 || ss_mkdirs(dir, &err) < 0)
		goto fail;
	/* Written aside first: a failed write leaves the old files. */
	if ((f = fopen(tmp.s, "w")) == NULL)
		goto write_failed;
	if (fwrite(text.s, 1, text.len, f) != text.len) {
		fclose(f);
		goto write_failed;
	}
	if (fclose(f) != 0)
		goto write_failed;
	for (i = 0; i < old.n; i++) {
		if (strcmp(old.v[i], path.s) == 0)
			continue;	/* replaced by the rename */
		if (unlink(old.v[i]) != 0 && errno != ENOENT) {
			ss_err_set(&err, SS_EIO, "cannot remove '%s': %s",
			    old.v[i], strerror(errno));
			unlink(tmp.s);
			goto fail;
		}
		SS_ALLOC_GROW(removed.v, removed.n, removed.alloc);
		removed.v[removed.n++] = ss_xstrdup(old.v[i]);
	}
	if (rename(tmp.s, path.s) != 0) {
		ss_err_set(&err, SS_EIO, "cannot write '%s': %s", path.s,
		    strerror(errno));
		unlink(tmp.s);
		goto fail;
	}
	if (ctx->args.format == SS_FORMAT_JSON) {
		ss_buf_reset(&text);
		ss_buf_adds(&text, "{\"event\":\"pulled\",\"database\":");
		ss_json_string(&text, ctx->url.display);
		ss_buf_adds(&text, ",\"file\":");
		ss_json_string(&text, path.s);
		ss_buf_addf(&text, ",\"tables\":%zu,\"enums\":%zu,\"views\":%zu,"
		    "\"left_alone\":", s.ntables, s.nenums, s.nviews);
		ss_json_string(&text, alone.s);
		/* Only when there is something to name: the object of a
		 * database that has none is as it was. */
		if (s.nunmodelled > 0)
			ss_buf_adds(&text, ",\"not_modelled\":[");
		for (i = 0; i < s.nunmodelled; i++) {
			ss_buf_reset(&um);
			ss_unmodelled_describe(&um, &s.unmodelled[i]);
			if (i > 0)
				ss_buf_addc(&text, ',');
			ss_json_string(&text, um.s);
		}
		if (s.nunmodelled > 0)
			ss_buf_adds(&text, "]");
		ss_buf_adds(&text, ",\"removed\":[");
		for (i = 0; i < removed.n; i++) {
			if (i > 0)
				ss_buf_addc(&text, ',');
			ss_json_string(&text, removed.v[i]);
		}
		ss_buf_adds(&text, "],\"exit\":0}\n");
		fputs(text.s, stdout);
	} else {
		/* Never silently: what pushed copies will lack. */
		for (i = 0; i < s.nunmodelled; i++) {
			ss_buf_reset(&um);
			ss_unmodelled_describe(&um, &s.unmodelled[i]);
			fprintf(stderr, "schemasync: warning: %s\n", um.s);
		}
	}
	if (ctx->args.format != SS_FORMAT_JSON && ctx->args.verbosity >= 0) {
		for (i = 0; i < removed.n; i++)
			printf("removed %s\n", removed.v[i]);
		printf("wrote %s: %zu table%s, %zu enum%s", path.s, s.ntables,
		    s.ntables == 1 ? "" : "s", s.nenums, s.nenums == 1 ? "" : "s");
		if (s.nviews > 0)
			printf(", %zu view%s", s.nviews, s.nviews == 1 ? "" : "s");
		putchar('\n');
		if (alone.len > 0)
			printf("left alone: %s\n", alone.s);
		if (ctx->args.verbosity > 0) {
			for (i = 0; i < s.nothers; i++)
				printf("  %s '%s'\n", s.others[i].kind,
				    s.others[i].name);
		}
	}
	goto out;
write_failed:
	ss_err_set(&err, SS_EIO, "cannot write '%s': %s", tmp.s,
	    strerror(errno));
	unlink(tmp.s);
fail:
	ss_print_error(ctx, &err);
	status = ss_err_exit_status(err.code);
out:
	if (conn != NULL)
		dl->close(conn);
	ss_schema_release(&s);
	ss_buf_release(&path);
	ss_buf_release(&text);
	ss_buf_release(&hdr);
	ss_buf_release(&alone);
	ss_buf_release(&tmp);
	ss_buf_release(&um);
	found_release(&old);
	found_release(&removed);
	ss_err_release(&err);
	return status;
}

const struct ss_cmd ss_cmd_pull = {
	.name = "pull",
	.summary = "introspect the database and write schema files for it",
	.usage = "pull [--out DIR] [--force]",
	.description = "Writes DIR/schema.yaml (default schemas/schema.yaml), "
	    "which loads back to exactly\nthe database's schema: 'pull' then "
	    "'diff' finds nothing to do. Views are written\nunder 'views:'; "
	    "triggers and other objects schemasync does not manage\nare named, "
	    "not written.\nA DIR that "
	    "already holds schema files is refused (their tables would be\n"
	    "defined twice); --force removes them, naming each, and writes "
	    "schema.yaml.\nA SQLite file that does not exist is an error, "
	    "never created.",
	.flags = SS_CMD_NEEDS_DB,
	.opts = pull_opts,
	.exec = pull_exec,
};
