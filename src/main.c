/*
 * schemasync's entry point: parse the command line, read the config
 * file, resolve the database and the schema paths, and hand a prepared
 * struct ss_ctx to the command found in ss_cmd_table[].
 *
 * Order of precedence (SPEC section 1): the database comes from --db,
 * SCHEMASYNC_DATABASE_URL, DATABASE_URL, then the config's `database`;
 * schema paths from --schema, then the config's `schemas`, then
 * "schemas". Relative paths are relative to the working directory.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>
#include <uv.h>
#include <yaml.h>

#include "ss/cli.h"
#include "ss/dialect.h"

static void
version(void)
{
	/* libpq is loaded only to say which one a PostgreSQL run uses. */
	int pq = ss_pg_libversion();
	char pqv[32];

	if (pq > 0)
		snprintf(pqv, sizeof pqv, "libpq %d", pq);
	else
		snprintf(pqv, sizeof pqv, "libpq not found");
	printf("schemasync %s (sqlite %s, %s, libyaml %s, libuv %s)\n",
	    SS_VERSION, sqlite3_libversion(), pqv,
	    yaml_get_version_string(), uv_version_string());
}

static const char *const default_schemas[] = { "schemas" };

int
main(int argc, char **argv)
{
	struct ss_err err = SS_ERR_INIT;
	struct ss_diags diags = SS_DIAGS_INIT;
	struct ss_ctx ctx;
	const struct ss_cmd *cmd = NULL;
	const char *cfg;
	int status = 0, r;

	memset(&ctx, 0, sizeof ctx);
	ss_config_init(&ctx.config);
	r = ss_args_parse(argc - 1, argv + 1, &ctx.args, &cmd, &err);
	ctx.cmd = cmd;
	ctx.color_out = ss_color_enabled(ctx.args.color, STDOUT_FILENO);
	ctx.color_err = ss_color_enabled(ctx.args.color, STDERR_FILENO);
	ctx.stdin_tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	if (r < 0) {
		ss_print_error(&ctx, &err);
		fprintf(stderr, "run 'schemasync %s--help' for usage\n",
		    cmd ? "help " : "");
		if (cmd != NULL)
			fprintf(stderr, "(or 'schemasync %s --help')\n",
			    cmd->name);
		status = 2;
		goto out;
	}
	if (ctx.args.version) {
		version();
		goto out;
	}
	if (cmd == NULL) {
		if (ctx.args.help) {
			ss_usage(stdout);
			goto out;
		}
		ss_usage(stderr);
		status = 2;
		goto out;
	}
	if (ctx.args.help) {
		ss_cmd_usage(stdout, cmd);
		goto out;
	}
	if ((cmd->flags & SS_CMD_MAX_ARGS_1) ? ctx.args.npositional > 1 :
	    ctx.args.npositional > 0) {
		ss_err_set(&err, SS_EUSAGE, "unexpected argument '%s' for %s",
		    ctx.args.positional[ctx.args.npositional - 1], cmd->name);
		ss_print_error(&ctx, &err);
		status = 2;
		goto out;
	}

	cfg = ctx.args.config ? ctx.args.config : "schemasync.yaml";
	if (ss_config_load(&ctx.config, cfg, ctx.args.config != NULL,
	    &diags) < 0) {
		ss_print_diags(&ctx, &diags);
		status = 2;
		goto out;
	}
	if (ctx.args.nschemas > 0) {
		ctx.schema_paths = ctx.args.schemas;
		ctx.nschema_paths = ctx.args.nschemas;
	} else if (ctx.config.nschemas > 0) {
		ctx.schema_paths = ctx.config.schemas;
		ctx.nschema_paths = ctx.config.nschemas;
	} else {
		ctx.schema_paths = default_schemas;
		ctx.nschema_paths = 1;
	}
	if ((cmd->flags & SS_CMD_NEEDS_DB) && ss_resolve_db(&ctx, &err) < 0) {
		ss_print_error(&ctx, &err);
		status = ss_err_exit_status(err.code);
		goto out;
	}
	if (ctx.have_url)
		ctx.url.create = (cmd->flags & SS_CMD_CREATES_DB) != 0;
	status = cmd->exec(&ctx);
out:
	fflush(stdout);
	if (ctx.have_url)
		ss_url_release(&ctx.url);
	ss_config_release(&ctx.config);
	if (ctx.cmd != NULL)
		ss_opts_reset(ctx.cmd->opts);	/* frees its lists */
	ss_args_release(&ctx.args);
	ss_diags_release(&diags);
	ss_err_release(&err);
	return status;
}
