/*
 * schemasync diagram: draw the schema as a mermaid erDiagram (the
 * default) or a Graphviz digraph, on stdout (include/ss/diagram.h says
 * what is drawn).
 *
 * Where the schema comes from: `--from files` (the schema files, no
 * database needed, as for check) or `--from db` (introspected, as for
 * pull). Without --from, a --db on the command line means the database;
 * otherwise the files. A database that only the environment or the
 * config file names does not switch to it: DATABASE_URL is often set
 * for other reasons, and the files are what a diagram usually shows.
 */
#include <stdio.h>
#include <string.h>

#include "ss/cli.h"
#include "ss/diagram.h"
#include "ss/dialect.h"
#include "ss/load.h"

static int format;		/* enum ss_diagram_format; 0 is mermaid */
static const char *from;	/* "files", "db", or NULL */

static int
parse_format(const struct ss_opt *o, const char *val, struct ss_err *err)
{
	if ((*(int *)o->value = ss_diagram_format_parse(val)) < 0)
		return ss_err_set(err, SS_EUSAGE, "invalid value '%s' for "
		    "--format (expected mermaid or dot)", val);
	return 0;
}

static int
parse_from(const struct ss_opt *o, const char *val, struct ss_err *err)
{
	if (strcmp(val, "files") != 0 && strcmp(val, "db") != 0)
		return ss_err_set(err, SS_EUSAGE, "invalid value '%s' for "
		    "--from (expected files or db)", val);
	*(const char **)o->value = val;
	return 0;
}

static const struct ss_opt diagram_opts[] = {
	SS_OPT_PARSE_("format", "mermaid|dot", &format, parse_format, "what to draw (default: mermaid)"),
	SS_OPT_PARSE_("from", "files|db", &from, parse_from, "the schema files (default) or the database (default with --db)"),
	SS_OPT_END_
};

static int
from_db(struct ss_ctx *ctx, struct ss_schema *s, struct ss_err *err)
{
	const struct ss_dialect *dl;
	struct ss_conn *conn = NULL;
	int r;

	if ((r = ss_resolve_db(ctx, err)) < 0)
		return r;
	if ((dl = ss_dialect_for(&ctx->url)) == NULL)
		return ss_err_set(err, SS_EINTERNAL, "%s: this build cannot "
		    "talk to this kind of database yet", ctx->url.display);
	if ((r = dl->connect(&ctx->url, &ctx->config, &conn, err)) == 0)
		r = ss_introspect(dl, conn, &ctx->config, s, err);
	if (conn != NULL)
		dl->close(conn);
	return r;
}

static int
diagram_exec(struct ss_ctx *ctx)
{
	struct ss_err err = SS_ERR_INIT;
	struct ss_diags d = SS_DIAGS_INIT;
	struct ss_buf out = SS_BUF_INIT;
	struct ss_schema s;
	const char *src = from;
	int status = 0;

	if (src == NULL)
		src = ctx->args.db != NULL ? "db" : "files";
	ss_schema_init(&s);
	if (strcmp(src, "db") == 0) {
		if (from_db(ctx, &s, &err) < 0) {
			ss_print_error(ctx, &err);
			status = ss_err_exit_status(err.code);
			goto out;
		}
	} else if (ss_load_paths(&s, ctx->schema_paths, ctx->nschema_paths,
	    &d) < 0) {
		ss_print_diags(ctx, &d);
		status = 2;
		goto out;
	} else if (d.n > 0)
		ss_print_diags(ctx, &d);	/* warnings */
	ss_diagram_write(&out, &s, format);
	fwrite(out.s, 1, out.len, stdout);
out:
	ss_buf_release(&out);
	ss_diags_release(&d);
	ss_schema_release(&s);
	ss_err_release(&err);
	return status;
}

const struct ss_cmd ss_cmd_diagram = {
	.name = "diagram",
	.summary = "draw the schema (mermaid, dot) from the files or the database",
	.usage = "diagram [--format mermaid|dot] [--from files|db]",
	.description = "Prints an entity-relationship diagram on stdout: every "
	    "table with its columns,\ntypes, PK/FK/UK and nullability, and "
	    "every foreign key as an edge with its\ncardinality. mermaid "
	    "renders in GitHub and GitLab markdown (```mermaid);\ndot is for "
	    "Graphviz (schemasync diagram --format dot | dot -Tsvg >er.svg).\n"
	    "The schema comes from the files, or from the database with "
	    "--from db;\na --db given on the command line means --from db "
	    "unless --from files.\n--format after the word 'diagram' is the "
	    "diagram's; --format text|json\nbefore it still sets the format "
	    "of error messages.",
	.flags = 0,
	.opts = diagram_opts,
	.exec = diagram_exec,
};
