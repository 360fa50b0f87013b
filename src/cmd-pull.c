/*
 * schemasync pull: introspect the database and write schema files.
 */
#include "ss/cli.h"

static const struct ss_opt pull_opts[] = {
	{ SS_OPT_OUT, "out", 0, "DIR", "where to write the files (default: schemas/)" },
	{ SS_OPT_FORCE, "force", 'f', NULL, "overwrite existing files" },
	{ 0, NULL, 0, NULL, NULL }
};

const struct ss_cmd ss_cmd_pull = {
	.name = "pull",
	.summary = "introspect the database and write schema files for it",
	.usage = "pull [--out DIR] [--force]",
	.description = NULL,
	.flags = SS_CMD_NEEDS_DB,
	.opts = pull_opts,
	.exec = ss_cmd_pending,
};
