/*
 * schemasync check: load and validate the schema files. No database.
 */
#include <stdio.h>

#include "ss/cli.h"
#include "ss/load.h"
#include "ss/migcmd.h"
#include "ss/migrate.h"

static const struct ss_opt check_opts[] = {
	SS_OPT_END_
};

static const char *
plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* Warnings as a JSON list of the ok object (no schema_error: exit 0). */
static void
json_warnings(struct ss_buf *b, const struct ss_diags *d)
{
	size_t i;

	ss_buf_adds(b, ",\"warnings\":[");
	for (i = 0; i < d->n; i++) {
		ss_buf_adds(b, i ? ",{\"file\":" : "{\"file\":");
		if (d->v[i].loc.file != NULL)
			ss_json_string(b, d->v[i].loc.file);
		else
			ss_buf_adds(b, "null");
		ss_buf_addf(b, ",\"line\":%d,\"column\":%d,\"message\":",
		    d->v[i].loc.line, d->v[i].loc.col);
		ss_json_string(b, d->v[i].msg);
		ss_buf_adds(b, "}");
	}
	ss_buf_adds(b, "]");
}

static int
check_exec(struct ss_ctx *ctx)
{
	struct ss_schema s;
	struct ss_diags d = SS_DIAGS_INIT;
	struct ss_buf w = SS_BUF_INIT;
	struct ss_migrations migs;
	struct ss_err err = SS_ERR_INIT;
	int status = 0;

	ss_schema_init(&s);
	ss_migrations_init(&migs);
	if (ss_load_paths(&s, ctx->schema_paths, ctx->nschema_paths, &d) < 0) {
		ss_print_diags(ctx, &d);
		status = 2;
		goto out;
	}
	/* Migration files too: two branches that each added NNNN. */
	if (ss_migrations_list(ss_mig_dir(ctx, NULL), &migs, &err) < 0) {
		ss_print_error(ctx, &err);
		status = 2;
		goto out;
	}
	if (d.n > 0 && ctx->args.format == SS_FORMAT_JSON)
		json_warnings(&w, &d);
	else if (d.n > 0)
		ss_print_diags(ctx, &d);	/* warnings */
	if (ctx->args.format == SS_FORMAT_JSON)
		printf("{\"event\":\"ok\",\"files\":%zu,\"tables\":%zu,"
		    "\"enums\":%zu%s,\"exit\":0}\n", s.nfiles, s.ntables,
		    s.nenums, w.s);
	else if (ctx->args.verbosity >= 0)
		printf("ok: %zu %s, %zu %s, %zu %s\n", s.nfiles,
		    plural(s.nfiles, "file", "files"), s.ntables,
		    plural(s.ntables, "table", "tables"), s.nenums,
		    plural(s.nenums, "enum", "enums"));
out:
	ss_buf_release(&w);
	ss_diags_release(&d);
	ss_schema_release(&s);
	ss_migrations_release(&migs);
	ss_err_release(&err);
	return status;
}

const struct ss_cmd ss_cmd_check = {
	.name = "check",
	.summary = "validate the schema files; no database needed",
	.usage = "check",
	.description = "Loads every schema file and reports every problem as "
	    "FILE:LINE:COLUMN: error: MESSAGE\non stderr (exit 2), or prints "
	    "a one-line summary (exit 0).",
	.flags = 0,
	.opts = check_opts,
	.exec = check_exec,
};
