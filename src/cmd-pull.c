/*
 * schemasync pull: introspect the database and write the schema file
 * that describes it, OUT/schema.yaml (one file for the whole schema, so
 * a pull is one file to review). What schemasync does not manage is
 * named in the file's header and on stdout, never written as tables.
 * pull followed by diff must find nothing to do.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ss/cli.h"
#include "ss/dialect.h"
#include "ss/util.h"
#include "ss/yamlout.h"

static const char *out_dir;
static bool force;

static const struct ss_opt pull_opts[] = {
	SS_OPT_STRING_("out", "DIR", &out_dir, "where to write schema.yaml (default: schemas/)"),
	{ .name = "force", .short_name = 'f', .help = "overwrite an existing schema.yaml",
	  .type = SS_OPT_FLAG, .value = &force },
	SS_OPT_END_
};

static int
mkdirs(const char *path, struct ss_err *err)
{
	char *p = ss_xstrdup(path), *q;
	int r = 0;

	for (q = p + 1; ; q++) {
		if (*q == '/' || *q == '\0') {
			char c = *q;
			*q = '\0';
			if (mkdir(p, 0777) != 0 && errno != EEXIST) {
				r = ss_err_set(err, SS_EIO, "cannot create folder "
				    "'%s': %s", p, strerror(errno));
				break;
			}
			*q = c;
			if (c == '\0')
				break;
		}
	}
	free(p);
	return r;
}

static int
pull_exec(struct ss_ctx *ctx)
{
	const struct ss_dialect *dl = ss_dialect_for(&ctx->url);
	const char *dir = out_dir ? out_dir : "schemas";
	struct ss_buf path = SS_BUF_INIT, text = SS_BUF_INIT, hdr = SS_BUF_INIT;
	struct ss_buf alone = SS_BUF_INIT;
	struct ss_err err = SS_ERR_INIT;
	struct ss_conn *conn = NULL;
	struct ss_schema s;
	struct stat st;
	FILE *f;
	int status = 0;

	ss_schema_init(&s);
	ss_buf_addf(&path, "%s%sschema.yaml", dir,
	    dir[strlen(dir) - 1] == '/' ? "" : "/");
	if (!force && stat(path.s, &st) == 0) {
		ss_err_set(&err, SS_EUSAGE, "'%s' exists; pass --force to "
		    "overwrite it, or --out DIR to write elsewhere", path.s);
		goto fail;
	}
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
	if (ss_yaml_write(&s, hdr.s, &text, &err) < 0 || mkdirs(dir, &err) < 0)
		goto fail;
	if ((f = fopen(path.s, "w")) == NULL ||
	    fwrite(text.s, 1, text.len, f) != text.len || fclose(f) != 0) {
		ss_err_set(&err, SS_EIO, "cannot write '%s': %s", path.s,
		    strerror(errno));
		goto fail;
	}
	if (ctx->args.format == SS_FORMAT_JSON) {
		ss_buf_reset(&text);
		ss_buf_adds(&text, "{\"event\":\"pulled\",\"database\":");
		ss_json_string(&text, ctx->url.display);
		ss_buf_adds(&text, ",\"file\":");
		ss_json_string(&text, path.s);
		ss_buf_addf(&text, ",\"tables\":%zu,\"enums\":%zu,\"left_alone\":",
		    s.ntables, s.nenums);
		ss_json_string(&text, alone.s);
		ss_buf_adds(&text, ",\"exit\":0}\n");
		fputs(text.s, stdout);
	} else if (ctx->args.verbosity >= 0) {
		printf("wrote %s: %zu table%s, %zu enum%s\n", path.s, s.ntables,
		    s.ntables == 1 ? "" : "s", s.nenums, s.nenums == 1 ? "" : "s");
		if (alone.len > 0)
			printf("left alone: %s\n", alone.s);
		if (ctx->args.verbosity > 0) {
			size_t i;
			for (i = 0; i < s.nothers; i++)
				printf("  %s '%s'\n", s.others[i].kind,
				    s.others[i].name);
		}
	}
	goto out;
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
	ss_err_release(&err);
	return status;
}

const struct ss_cmd ss_cmd_pull = {
	.name = "pull",
	.summary = "introspect the database and write schema files for it",
	.usage = "pull [--out DIR] [--force]",
	.description = "Writes DIR/schema.yaml (default schemas/schema.yaml), "
	    "which loads back to exactly\nthe database's schema: 'pull' then "
	    "'diff' finds nothing to do. Views, triggers\nand other objects "
	    "schemasync does not manage are named, not written.",
	.flags = SS_CMD_NEEDS_DB,
	.opts = pull_opts,
	.exec = pull_exec,
};
