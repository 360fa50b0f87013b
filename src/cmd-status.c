/*
 * schemasync status: the migrations applied, pending, edited (checksum
 * differs from the journal's) and missing (in the journal, no file),
 * and whether the database drifts from the snapshot of the last one
 * applied: that snapshot planned against the database, as diff would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss/cli.h"
#include "ss/migcmd.h"
#include "ss/present.h"

static const char *dir_opt;
static bool exit_code;

/* One migration's line, or in JSON its element of "migrations". */
static void
entry(struct ss_buf *out, bool json, const char *state, const char *id,
    const char *file, const char *applied_at)
{
	if (!json) {
		if (file != NULL)
			ss_buf_addf(out, "%-8s %s%s%s\n", state, file,
			    applied_at ? "  " : "", applied_at ? applied_at : "");
		else
			ss_buf_addf(out, "%-8s %s.sql  %s (in the journal, no "
			    "file)\n", state, id, applied_at);
		return;
	}
	if (out->len > 0)
		ss_buf_addc(out, ',');
	ss_buf_adds(out, "{\"id\":");
	ss_json_string(out, id);
	ss_buf_adds(out, ",\"file\":");
	if (file != NULL)
		ss_json_string(out, file);
	else
		ss_buf_adds(out, "null");
	ss_buf_addf(out, ",\"state\":\"%s\",\"applied_at\":", state);
	if (applied_at != NULL)
		ss_json_string(out, applied_at);
	else
		ss_buf_adds(out, "null");
	ss_buf_addc(out, '}');
}

static int
status_exec(struct ss_ctx *ctx)
{
	const char *dir = ss_mig_dir(ctx, dir_opt);
	struct ss_migrations migs;
	struct ss_journal j;
	struct ss_engine e;
	struct ss_engine_opts o;
	struct ss_conn *conn = NULL;
	struct ss_err err = SS_ERR_INIT;
	struct ss_mig_file f;
	struct ss_buf out = SS_BUF_INIT, drift = SS_BUF_INIT;
	bool json = ctx->args.format == SS_FORMAT_JSON;
	char sum[17], *snap = NULL;
	size_t i, k, pending = 0, edited = 0, last = (size_t)-1;
	int status;

	memset(&j, 0, sizeof j);
	ss_migrations_init(&migs);
	if ((status = ss_mig_open(ctx, dir, &e, &conn, &migs, &j)) != 0)
		goto out;
	for (i = 0; i < migs.n; i++) {
		const struct ss_journal_row *r = ss_journal_find(&j, migs.v[i].id);
		const char *what = "pending";
		if (ss_mig_read(&migs.v[i], &f, sum, &err) < 0) {
			ss_mig_file_release(&f);
			goto failed;
		}
		if (r != NULL) {
			last = i;
			what = ss_mig_applied_as(&f, sum, r->checksum) ?
			    "applied" : "edited";
			edited += what[0] == 'e';
		} else
			pending++;
		ss_mig_file_release(&f);
		entry(&out, json, what, migs.v[i].id, migs.v[i].file,
		    r ? r->applied_at : NULL);
	}
	for (k = 0; k < j.n; k++) {
		for (i = 0; i < migs.n; i++)
			if (strcmp(migs.v[i].id, j.v[k].name) == 0)
				break;
		if (i == migs.n)
			entry(&out, json, "missing", j.v[k].name, NULL,
			    j.v[k].applied_at);
	}
	if (last != (size_t)-1) {
		snap = ss_migration_snapshot_path(&migs.v[last]);
		ss_schema_release(&e.desired);
		if (ss_mig_load_snapshot(snap, &e.desired, &err) < 0)
			goto failed;
		memset(&o, 0, sizeof o);
		o.accept = SS_ACCEPT(SS_CLASS_SAFE);
		o.literal = true;
		if (ss_engine_plan(&e, &o) < 0) {
			ss_err_set(&err, e.err.code, "%s", e.err.msg.s);
			goto failed;
		}
		if (json) {
			ss_buf_adds(&drift, "{\"snapshot\":");
			ss_json_string(&drift, snap);
			ss_buf_adds(&drift, ",\"changes\":");
			ss_present_json_changes(&drift, &e);
			ss_buf_addc(&drift, '}');
		} else if (ss_engine_changes(&e) > 0) {
			ss_buf_addf(&drift, "drift: the database differs from %s "
			    "(pushed, or changed by hand):\n", snap);
			for (i = 0; i < e.nplans; i++)
				for (k = 0; k < e.plans[i].n; k++)
					ss_present_change(&drift, ctx, &e,
					    e.plans[i].v[k], false);
		} else
			ss_buf_addf(&drift, "no drift: the database is as %s "
			    "describes\n", snap);
	}
	status = exit_code && (pending || edited || (last != (size_t)-1 &&
	    ss_engine_changes(&e) > 0)) ? 4 : 0;
	if (json)
		printf("{\"migrations\":[%s],\"drift\":%s,\"exit\":%d}\n",
		    out.s, drift.len > 0 ? drift.s : "null", status);
	else
		printf("%s%s", out.s, drift.s);
	goto out;
failed:
	ss_print_error(ctx, &err);
	status = ss_err_exit_status(err.code);
out:
	ss_buf_release(&out);
	ss_buf_release(&drift);
	free(snap);
	ss_mig_close(&e, conn, &migs, &j);
	ss_err_release(&err);
	return status;
}

static const struct ss_opt status_opts[] = {
	SS_OPT_FLAG_("exit-code", &exit_code, "exit 4 when anything is pending, edited or drifting"),
	SS_OPT_STRING_("dir", "DIR", &dir_opt, "the migrations folder (default: config migrations.dir, or migrations)"),
	SS_OPT_END_
};

const struct ss_cmd ss_cmd_status = {
	.name = "status",
	.summary = "list applied/pending/edited migrations and drift",
	.usage = "status [--exit-code] [--dir DIR]",
	.description = "Lists each migration as applied, pending, edited (changed since it was\n"
	    "applied) or missing (in the journal, no file), and whether the database\n"
	    "drifts from the snapshot of the last one applied, naming the differences.",
	.flags = SS_CMD_NEEDS_DB,
	.opts = status_opts,
	.exec = status_exec,
};
