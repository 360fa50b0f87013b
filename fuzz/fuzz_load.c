/*
 * libFuzzer target for the schema loader (src/load.c, src/ydoc.c) and
 * the YAML writer (src/yamlout.c): any bytes are loaded as a schema
 * file; when they load, the model is written out as YAML, which must
 * load again, give the same YAML again (a fixpoint), and diff as no
 * change against the first model. And the SQLite statements that create
 * the model must each be one statement to SQLite itself: a schema file
 * that makes one of them two has smuggled SQL past the loader. Anything
 * else aborts.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss/diff.h"
#include "ss/load.h"
#include "ss/sqlite-ddl.h"
#include "ss/sqlparse.h"
#include "ss/yamlout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *db;

static void
die(const char *what, const struct ss_diags *d, const char *text)
{
	struct ss_buf b = SS_BUF_INIT;
	size_t i;

	for (i = 0; d != NULL && i < d->n; i++) {
		ss_diag_format(&b, &d->v[i], 0);
		ss_buf_addc(&b, '\n');
	}
	fprintf(stderr, "fuzz_load: %s\n%s--- YAML ---\n%s\n", what, b.s,
	    text ? text : "");
	ss_buf_release(&b);
	abort();
}

/* SQLite prepares sql as one statement, or fails: never one and more. */
static void
one_statement(const char *sql, const char *yaml)
{
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	struct ss_sqllex lx;
	struct ss_sqltok t;

	if (db == NULL && sqlite3_open(":memory:", &db) != SQLITE_OK)
		abort();
	if (sqlite3_prepare_v2(db, sql, -1, &st, &tail) == SQLITE_OK &&
	    tail != NULL) {
		ss_sqllex_init(&lx, tail, strlen(tail));
		ss_sqllex_next(&lx, &t);
		if (t.kind != SS_TOK_END) {
			fprintf(stderr, "fuzz_load: SQLite reads more than one "
			    "statement in\n%s\n", sql);
			die("smuggled SQL", NULL, yaml);
		}
	}
	sqlite3_finalize(st);
}

static void
sqlite_statements(const struct ss_schema *s, const char *yaml)
{
	struct ss_buf b = SS_BUF_INIT;
	size_t i, j;

	for (i = 0; i < s->ntables; i++) {
		ss_buf_reset(&b);
		ss_sqlite_create_table(&b, s, s->tables[i]);
		one_statement(b.s, yaml);
		for (j = 0; j < s->tables[i]->nindexes; j++) {
			ss_buf_reset(&b);
			ss_sqlite_create_index(&b, s->tables[i],
			    &s->tables[i]->indexes[j]);
			one_statement(b.s, yaml);
		}
	}
	ss_buf_release(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *names[] = { "fuzz.yaml" };
	struct ss_diags d1 = SS_DIAGS_INIT, d2 = SS_DIAGS_INIT;
	struct ss_buf y1 = SS_BUF_INIT, y2 = SS_BUF_INIT;
	struct ss_err err = SS_ERR_INIT;
	struct ss_diff_opts opts;
	struct ss_schema a, b;
	struct ss_plan plan;
	const char *text;
	char *in;

	in = malloc(size + 1);
	memcpy(in, data, size);
	in[size] = '\0';
	ss_schema_init(&a);
	ss_schema_init(&b);
	ss_plan_init(&plan);
	text = in;
	if (ss_load_buffers(&a, names, &text, 1, &d1) < 0)
		goto out;
	sqlite_statements(&a, in);
	if (ss_yaml_write(&a, NULL, &y1, &err) < 0)
		die(err.msg.s, NULL, in);
	text = y1.s;
	if (ss_load_buffers(&b, names, &text, 1, &d2) < 0)
		die("what yamlout wrote does not load", &d2, y1.s);
	if (ss_yaml_write(&b, NULL, &y2, &err) < 0)
		die(err.msg.s, NULL, y1.s);
	if (strcmp(y1.s, y2.s) != 0)
		die("writing the reloaded model gives other YAML", NULL, y2.s);
	memset(&opts, 0, sizeof opts);
	opts.enum_types = true;
	if (ss_diff(&b, &a, &opts, &plan, &err) < 0)
		die(err.msg.s, NULL, y1.s);
	if (plan.n != 0)
		die("the reloaded model differs from the first", NULL, y1.s);
out:
	ss_plan_release(&plan);
	ss_buf_release(&y1);
	ss_buf_release(&y2);
	ss_err_release(&err);
	ss_diags_release(&d1);
	ss_diags_release(&d2);
	ss_schema_release(&a);
	ss_schema_release(&b);
	free(in);
	return 0;
}
