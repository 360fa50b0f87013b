/*
 * schemasync generate: write the next migration file from the schema
 * files, with no database. The files are diffed against the snapshot of
 * the last migration (an empty schema before the first) by the engine
 * without a connection (engine.h, guarantee 5), so every change that
 * could lose data is destructive, its count unknown. up is that plan's
 * SQL; down is the inverse plan's (the new snapshot back to the old),
 * with the data it cannot bring back said above its statements.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss/cli.h"
#include "ss/load.h"
#include "ss/migcmd.h"
#include "ss/prompt.h"
#include "ss/yamlout.h"

static const char *name, *dir_opt, *dialect_opt;
static bool empty;
static struct {
	struct ss_strv yes, no;
} answers;

/* The plan as comment lines: sign and description, losses called out. */
static void
plan_comments(struct ss_buf *b, const struct ss_engine *e, const char *title)
{
	size_t i, j;

	ss_buf_addf(b, "-- %s:\n", title);
	for (i = 0; i < e->nplans; i++)
		for (j = 0; j < e->plans[i].n; j++) {
			const struct ss_change *c = e->plans[i].v[j];
			ss_buf_addf(b, "--   %s ", ss_change_sign(c));
			ss_change_describe(b, c);
			if (c->class == SS_CLASS_DESTRUCTIVE)
				ss_buf_adds(b, "  [destructive: may lose data]");
			else if (c->class == SS_CLASS_UNEXECUTABLE)
				ss_buf_adds(b, "  [may fail on the data there]");
			ss_buf_addc(b, '\n');
		}
}

/* The steps' SQL; above a step, what it loses (down: cannot come back). */
static void
section_sql(struct ss_buf *b, const struct ss_engine *e, bool down)
{
	size_t i, j, k;

	for (i = 0; i < e->steps.n; i++) {
		const struct ss_step *st = e->steps.v[i];
		for (k = 0; k < st->nchanges; k++) {
			const struct ss_change *c = st->changes[k];
			if (c->class != SS_CLASS_DESTRUCTIVE &&
			    c->class != SS_CLASS_UNEXECUTABLE)
				continue;
			ss_buf_adds(b, "-- ");
			ss_change_describe(b, c);
			ss_buf_adds(b, c->class == SS_CLASS_UNEXECUTABLE ?
			    ": may fail on the data there\n" : down ?
			    ": the data it drops cannot come back\n" :
			    ": data is lost\n");
		}
		for (j = 0; j < st->nsql; j++) {
			ss_buf_adds(b, st->sql[j]);
			ss_buf_adds(b, strncmp(st->sql[j], "--", 2) == 0 ?
			    "\n" : ";\n");
		}
	}
}

/* The candidates still open, answered on a terminal; how many are left. */
static size_t
open_candidates(struct ss_ctx *ctx, struct ss_engine *e,
    const struct ss_engine_opts *o)
{
	struct ss_buf q = SS_BUF_INIT, h = SS_BUF_INIT;
	struct ss_rename rn;
	double waited = 0;
	size_t i, j, left = 0;
	bool again = true;
	int k;

	while (again && ctx->stdin_tty && ctx->args.format == SS_FORMAT_TEXT) {
		again = false;
		for (i = 0; i < e->nplans && !again; i++)
			for (j = 0; j < e->plans[i].n && !again; j++) {
				const struct ss_change *c = e->plans[i].v[j];
				if (!c->candidate)
					continue;
				ss_buf_reset(&q);
				ss_change_choice(&q, c);
				k = ss_prompt_choice(q.s, "rcs", 's', &waited);
				if (k == 's')
					goto count;
				ss_rename_of_change(c, &rn);
				ss_engine_answer(e, &rn, k == 'r');
				if (ss_engine_plan(e, o) < 0)
					goto count;
				again = true;
			}
	}
count:
	for (i = 0; i < e->nplans; i++)
		for (j = 0; j < e->plans[i].n; j++) {
			const struct ss_change *c = e->plans[i].v[j];
			if (!c->candidate)
				continue;
			left++;
			ss_buf_reset(&h);
			ss_change_rename_hint(&h, c);
			fprintf(stderr, "schemasync: ? ");
			ss_buf_reset(&q);
			ss_change_describe(&q, c);
			fprintf(stderr, "%s: %s\n", q.s, h.s);
		}
	ss_buf_release(&q);
	ss_buf_release(&h);
	return left;
}

/* The renames of e's plan, the other way round (down). */
static void
answer_inverse(struct ss_engine *down, const struct ss_engine *up)
{
	struct ss_rename rn;
	size_t i, j;

	for (i = 0; i < up->nplans; i++)
		for (j = 0; j < up->plans[i].n; j++) {
			const struct ss_change *c = up->plans[i].v[j];
			if (c->op == SS_OP_RENAME_TABLE) {
				rn.table = c->table;
				rn.column = NULL;
				rn.to = c->old_name;
			} else if (c->op == SS_OP_RENAME_COLUMN) {
				rn.table = c->cur_table;
				rn.column = c->column;
				rn.to = c->old_name;
			} else
				continue;
			ss_engine_answer(down, &rn, true);
		}
}

static int
load_text(struct ss_schema *s, const char *name_, const char *text,
    struct ss_err *err)
{
	struct ss_diags d = SS_DIAGS_INIT;
	int rc = 0;

	ss_schema_init(s);
	if (ss_load_buffers(s, &name_, &text, 1, &d) < 0)
		rc = ss_err_set(err, SS_EINTERNAL, "%s: the snapshot written "
		    "does not load back: %s", name_, d.n ? d.v[0].msg : "");
	ss_diags_release(&d);
	return rc;
}

/*
 * JSON: the run's object. "file" and "snapshot" are null when nothing
 * was written; "changes" is the up plan as push would show it.
 */
static void
json_report(const struct ss_engine *up, const char *path,
    const char *snap_path, const char *reason, int status)
{
	struct ss_buf b = SS_BUF_INIT;

	ss_buf_adds(&b, "{\"file\":");
	if (path != NULL)
		ss_json_string(&b, path);
	else
		ss_buf_adds(&b, "null");
	ss_buf_adds(&b, ",\"snapshot\":");
	if (snap_path != NULL)
		ss_json_string(&b, snap_path);
	else
		ss_buf_adds(&b, "null");
	ss_buf_adds(&b, ",\"changes\":");
	ss_present_json_changes(&b, up);
	if (reason != NULL) {
		ss_buf_adds(&b, ",\"reason\":");
		ss_json_string(&b, reason);
	}
	ss_buf_addf(&b, ",\"exit\":%d}\n", status);
	fputs(b.s, stdout);
	ss_buf_release(&b);
}

/* --dialect, or the configured URL's kind (not connected to); NULL
 * with err set when neither says. */
static const struct ss_dialect *
which_dialect(struct ss_ctx *ctx, struct ss_err *err)
{
	if (dialect_opt == NULL) {
		if (ss_resolve_db(ctx, err) < 0) {
			ss_err_prefix(err, "which SQL to write: pass --dialect "
			    "sqlite|postgres, or ");
			return NULL;
		}
		return ss_dialect_for(&ctx->url);
	}
	if (strcmp(dialect_opt, "sqlite") == 0)
		return &ss_dialect_sqlite;
	if (strcmp(dialect_opt, "postgres") == 0 ||
	    strcmp(dialect_opt, "postgresql") == 0)
		return &ss_dialect_postgres;
	ss_err_set(err, SS_EUSAGE, "--dialect '%s': expected sqlite or "
	    "postgres", dialect_opt);
	return NULL;
}

/*
 * down: from the new snapshot (snap, as written to snap_path) back to
 * the previous one (prev_text; an empty schema before the first), with
 * up's renames the other way round and any other rename a drop and an
 * add.
 */
static int
plan_down(struct ss_engine *down, const struct ss_engine *up,
    struct ss_engine_opts *o, const char *snap_path, const char *snap,
    const char *prev_snap, const char *prev_text, struct ss_err *err)
{
	if (load_text(&down->current, snap_path, snap, err) < 0 ||
	    (prev_text != NULL &&
	    load_text(&down->desired, prev_snap, prev_text, err) < 0))
		return -1;
	answer_inverse(down, up);
	o->literal = true;
	if (ss_engine_plan(down, o) < 0)
		return ss_err_set(err, down->err.code, "%s", down->err.msg.s);
	ss_engine_preview(down, o);
	return 0;
}

/* "wrote FILE (N changes, N destructive)" and the plan's lines. */
static void
text_report(const struct ss_engine *up, const char *path)
{
	struct ss_buf b = SS_BUF_INIT;
	size_t n = ss_engine_changes(up);
	size_t loss = ss_engine_count_class(up, SS_CLASS_DESTRUCTIVE);

	if (empty) {
		printf("wrote %s (empty: write its up and down sections)\n",
		    path);
		return;
	}
	printf("wrote %s (%zu change%s", path, n, n == 1 ? "" : "s");
	if (loss > 0)
		printf(", %zu destructive", loss);
	printf(")\n");
	plan_comments(&b, up, "plan");
	fputs(strchr(b.s, '\n') + 1, stdout);
	ss_buf_release(&b);
}

/* The schema files into up's desired schema, checked for the dialect;
 * -1 when they do not check (said, in the output format). */
static int
load_files(struct ss_ctx *ctx, struct ss_engine *up)
{
	struct ss_diags d = SS_DIAGS_INIT;
	int rc = 0;

	if (ss_load_paths(&up->desired, ctx->schema_paths,
	    ctx->nschema_paths, &d) < 0) {
		ss_print_diags(ctx, &d);
		fprintf(stderr, "schemasync: error: no migration written: the "
		    "schema files do not check\n");
		rc = -1;
	} else if (ss_dialect_check(up->dl, &up->desired, &d) > 0) {
		ss_diags_sort(&d);
		ss_print_diags(ctx, &d);
		rc = -1;
	}
	ss_diags_release(&d);
	return rc;
}

/* --rename and --no-rename, as answers to up's candidates. */
static int
answer_args(struct ss_engine *up, struct ss_err *err)
{
	size_t i, n = answers.yes.n + answers.no.n;

	for (i = 0; i < n; i++)
		if (ss_engine_answer_arg(up, i < answers.yes.n ?
		    answers.yes.v[i] : answers.no.v[i - answers.yes.n],
		    i < answers.yes.n) < 0)
			return ss_err_set(err, SS_EUSAGE, "%s", up->err.msg.s);
	return 0;
}

/* The migration file: a header, the plan as comments, up, then down. */
static void
migration_text(struct ss_buf *file, const char *name_,
    const struct ss_engine *up, const struct ss_engine *down)
{
	ss_buf_addf(file, "-- %s, written by 'schemasync generate' for %s\n",
	    name_, up->dl->name);
	plan_comments(file, up, "plan");
	ss_buf_adds(file, "\n-- schemasync:up\n");
	section_sql(file, up, false);
	ss_buf_adds(file, "\n-- schemasync:down\n");
	plan_comments(file, down, "inverse plan");
	section_sql(file, down, true);
}

/* No file: renames left unanswered (3), or nothing to do (0). */
static int
nothing_written(const struct ss_ctx *ctx, const struct ss_engine *up)
{
	bool open = ss_engine_changes(up) > 0;

	if (ctx->args.format == SS_FORMAT_JSON)
		json_report(up, NULL, NULL, open ? "renames not answered" :
		    NULL, open ? 3 : 0);
	else if (!open)
		printf("no changes\n");
	if (open)
		fprintf(stderr, "schemasync: no migration written: renames not "
		    "answered (answer on a terminal, or with --rename / "
		    "--no-rename / renamed_from)\n");
	return open ? 3 : 0;
}

static int
generate_exec(struct ss_ctx *ctx)
{
	const struct ss_dialect *dl = NULL;
	const char *dir = ss_mig_dir(ctx, dir_opt);
	struct ss_migrations migs;
	struct ss_engine up, down;
	struct ss_engine_opts o;
	struct ss_err err = SS_ERR_INIT;
	struct ss_buf file = SS_BUF_INIT, snap = SS_BUF_INIT, hdr = SS_BUF_INIT;
	char *path = NULL, *snap_path = NULL, *prev_snap = NULL, *prev_text = NULL;
	size_t len;
	int status = 2;

	ss_migrations_init(&migs);
	ss_engine_init(&up, NULL, NULL, &ctx->config);
	ss_engine_init(&down, NULL, NULL, &ctx->config);
	if (name == NULL || !ss_migration_name_ok(name)) {
		ss_err_set(&err, SS_EUSAGE, name == NULL ? "generate needs "
		    "--name NAME (letters, digits, '_' and '-')" : "--name "
		    "'%s': use letters, digits, '_' and '-'", name);
		goto failed;
	}
	if ((dl = which_dialect(ctx, &err)) == NULL)
		goto failed;
	up.dl = down.dl = dl;
	if (ss_migrations_list(dir, &migs, &err) < 0)
		goto failed;
	if (migs.n > 0) {
		prev_snap = ss_migration_snapshot_path(&migs.v[migs.n - 1]);
		if (ss_read_file(prev_snap, &prev_text, &len, &err) < 0) {
			ss_err_prefix(&err, "the snapshot of the last "
			    "migration: ");
			goto failed;
		}
	}
	path = ss_migration_next(dir, &migs, name);
	snap_path = ss_migration_snapshot_of(path);
	if (load_files(ctx, &up) < 0)
		goto out;
	ss_buf_addf(&hdr, "schemasync snapshot: the schema as of %s; written "
	    "by 'schemasync generate', do not edit", path + strlen(dir) + 1);
	if (empty) {
		/* Carry the snapshot forward. */
		struct ss_schema prev;
		int rc = ss_mig_load_snapshot(prev_snap, &prev, &err);
		if (rc == 0)
			rc = ss_yaml_write(&prev, hdr.s, &snap, &err);
		ss_schema_release(&prev);
		if (rc < 0)
			goto failed;
		ss_buf_adds(&file, "-- schemasync:up\n\n-- schemasync:down\n\n");
		goto write;
	}
	if (ss_mig_load_snapshot(prev_snap, &up.current, &err) < 0)
		goto failed;
	if (answer_args(&up, &err) < 0)
		goto failed;
	memset(&o, 0, sizeof o);
	o.accept = SS_ACCEPT(SS_CLASS_SAFE) | SS_ACCEPT(SS_CLASS_DESTRUCTIVE);
	if (ss_engine_plan(&up, &o) < 0)
		goto engine_failed;
	if (open_candidates(ctx, &up, &o) > 0 || ss_engine_changes(&up) == 0) {
		status = nothing_written(ctx, &up);
		goto out;
	}
	ss_engine_preview(&up, &o);

	/* The new snapshot, and down: it back to the old one. */
	if (ss_yaml_write(&up.desired, hdr.s, &snap, &err) < 0 ||
	    plan_down(&down, &up, &o, snap_path, snap.s, prev_snap, prev_text,
	    &err) < 0)
		goto failed;

	migration_text(&file, path + strlen(dir) + 1, &up, &down);
write:
	if (ss_mig_write(path, file.s, &err) < 0 ||
	    ss_mig_write(snap_path, snap.s, &err) < 0)
		goto failed;
	if (ctx->args.format == SS_FORMAT_JSON)
		json_report(&up, path, snap_path, NULL, 0);
	else if (ctx->args.verbosity >= 0)
		text_report(&up, path);
	status = 0;
	goto out;
engine_failed:
	ss_err_set(&err, up.err.code, "%s", up.err.msg.s);
failed:
	ss_print_error(ctx, &err);
	status = ss_err_exit_status(err.code);
out:
	ss_migrations_release(&migs);
	ss_engine_release(&up);
	ss_engine_release(&down);
	ss_err_release(&err);
	ss_buf_release(&file);
	ss_buf_release(&snap);
	ss_buf_release(&hdr);
	free(path);
	free(snap_path);
	free(prev_snap);
	free(prev_text);
	return status;
}

static const struct ss_opt generate_opts[] = {
	SS_OPT_STRING_("name", "NAME", &name, "the migration's name: migrations/NNNN_NAME.sql"),
	SS_OPT_FLAG_("empty", &empty, "write empty up and down sections for hand-written SQL"),
	SS_OPT_STRING_("dir", "DIR", &dir_opt, "the migrations folder (default: config migrations.dir, or migrations)"),
	SS_OPT_STRING_("dialect", "sqlite|postgres", &dialect_opt, "the SQL to write (default: the database URL's kind; not connected to)"),
	SS_OPT_RENAME_(&answers.yes),
	SS_OPT_NO_RENAME_(&answers.no, "not a rename: drop OLD and add NEW (repeatable)"),
	SS_OPT_END_
};

const struct ss_cmd ss_cmd_generate = {
	.name = "generate",
	.summary = "write the next migration file from the files (no database needed)",
	.usage = "generate --name NAME [--empty] [--dir DIR] [--dialect sqlite|postgres] [--rename OLD=NEW]... [--no-rename OLD=NEW]...",
	.description = "Diffs the schema files against the snapshot of the last migration and\n"
	    "writes DIR/NNNN_NAME.sql: the plan as comments, then an up section with\n"
	    "the SQL and a down section with the inverse plan's, and the new snapshot\n"
	    "beside it (NNNN_NAME.snapshot.yaml). Connects to no database. Nothing to\n"
	    "do: no file, \"no changes\". Rename candidates are answered as in push\n"
	    "(exit 3 when unanswered).",
	.flags = 0,
	.opts = generate_opts,
	.exec = generate_exec,
};
