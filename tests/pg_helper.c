/*
 * PostgreSQL test helper (tests/pg_helper.h). Not a test file of its own;
 * the Makefile links it into the unit-test binary.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pg_helper.h"
#include "postgres/expr.h"
/* The unit tests link libpq; the code under test calls it through the
 * table src/postgres/pq.c fills, loaded here (the same library). */
#define SS_PQ_TABLE_ONLY
#include "postgres/pq.h"

static unsigned counter;

const char *
ss_test_pg(void)
{
	const char *ci = getenv("SS_TEST_PG");

	if (ci == NULL || *ci == '\0')
		cr_assert_fail("SS_TEST_PG is not set: the PostgreSQL tests need the "
		    "throwaway server; run them through make test");
	return ci;
}

static void
quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static PGconn *
connect_to(const char *conninfo)
{
	PGconn *c;

	cr_assert_eq(ss_pq_load(NULL), 0, "cannot load libpq through the table");
	c = PQconnectdb(conninfo);

	if (PQstatus(c) != CONNECTION_OK) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", PQerrorMessage(c));
		PQfinish(c);
		cr_assert_fail("cannot connect to the test server (%s): %s", conninfo,
		    msg);
	}
	PQsetNoticeProcessor(c, quiet, NULL);
	return c;
}

static void
admin_exec(const char *sql)
{
	PGconn *c = connect_to(ss_test_pg());
	PGresult *r = PQexec(c, sql);

	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", PQerrorMessage(c));
		PQclear(r);
		PQfinish(c);
		cr_assert_fail("%s: %s", sql, msg);
	}
	PQclear(r);
	PQfinish(c);
}

void
ss_testdb_conninfo(const struct ss_testdb *db, char *buf, size_t n)
{
	/* A later keyword overrides an earlier one in a conninfo string. */
	snprintf(buf, n, "%s dbname=%s", ss_test_pg(), db->name);
}

PGconn *
ss_testdb_open(struct ss_testdb *db)
{
	char sql[160], ci[1024];

	memset(db, 0, sizeof *db);
	snprintf(db->name, sizeof db->name, "ss_t_%ld_%u", (long)getpid(),
	    ++counter);
	/* A crashed earlier process with the same pid may have left it. */
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", db->name);
	admin_exec(sql);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", db->name);
	admin_exec(sql);
	ss_testdb_conninfo(db, ci, sizeof ci);
	db->conn = connect_to(ci);
	return db->conn;
}

void
ss_testdb_close(struct ss_testdb *db)
{
	char sql[160];

	if (db->name[0] == '\0')
		return;
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)",
	    db->name);
	db->name[0] = '\0';
	admin_exec(sql);
}

void
ss_testdb_exec(struct ss_testdb *db, const char *sql, const char *what)
{
	PGresult *r = PQexec(db->conn, sql);
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		char msg[1024];
		snprintf(msg, sizeof msg, "%s", PQerrorMessage(db->conn));
		PQclear(r);
		cr_assert_fail("%s: %s", what, msg);
	}
	PQclear(r);
}

const char *
ss_test_corpus(void)
{
	static const char *const tries[] = { "../shared/corpus",
		"/work/shared/corpus", NULL };
	const char *env = getenv("SS_CORPUS");
	struct stat st;
	size_t i;

	if (env != NULL && *env != '\0') {
		if (stat(env, &st) != 0 || !S_ISDIR(st.st_mode))
			cr_assert_fail("SS_CORPUS=%s is not a folder", env);
		return env;
	}
	for (i = 0; tries[i] != NULL; i++)
		if (stat(tries[i], &st) == 0 && S_ISDIR(st.st_mode))
			return tries[i];
	cr_assert_fail("the schema corpus is missing: set SS_CORPUS to the "
	    "folder holding postgres/*.sql (tried ../shared/corpus and "
	    "/work/shared/corpus)");
	return NULL;
}

#define DIFF(...) do { ss_buf_addf(why, __VA_ARGS__); ss_buf_addc(why, '\n'); \
	n++; } while (0)

static const struct ss_table *
find_table(const struct ss_schema *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->ntables; i++)
		if (ss_pg_same_name(name, s->tables[i]->name))
			return s->tables[i];
	return NULL;
}

static bool
same_names(const struct ss_names *a, const struct ss_names *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (!ss_pg_same_name(a->v[i].name, b->v[i].name))
			return false;
	return true;
}

static bool
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static size_t
compare_table(const struct ss_schema *ds, const struct ss_table *d,
    const struct ss_table *c, struct ss_buf *why)
{
	size_t n = 0, i, j;
	struct ss_buf a = SS_BUF_INIT, b = SS_BUF_INIT;

	if (!same_str(d->comment, c->comment))
		DIFF("%s: comment %s vs %s", d->name, d->comment ? d->comment :
		    "(none)", c->comment ? c->comment : "(none)");
	if (d->ncolumns != c->ncolumns)
		DIFF("%s: %zu columns vs %zu", d->name, d->ncolumns, c->ncolumns);
	for (i = 0; i < d->ncolumns && i < c->ncolumns; i++) {
		const struct ss_column *dc = &d->columns[i], *cc = &c->columns[i];
		if (!ss_pg_same_name(dc->name, cc->name)) {
			DIFF("%s: column %zu is %s vs %s", d->name, i, dc->name,
			    cc->name);
			continue;
		}
		ss_buf_reset(&a);
		ss_buf_reset(&b);
		ss_type_format(&a, &dc->type);
		ss_type_format(&b, &cc->type);
		if (!ss_pg_same_type(&dc->type, &cc->type))
			DIFF("%s.%s: type %s vs %s", d->name, dc->name, a.s, b.s);
		if (dc->nullable != cc->nullable)
			DIFF("%s.%s: nullable %d vs %d", d->name, dc->name,
			    dc->nullable, cc->nullable);
		if (dc->autoincrement != cc->autoincrement)
			DIFF("%s.%s: autoincrement %d vs %d", d->name, dc->name,
			    dc->autoincrement, cc->autoincrement);
		else if (dc->autoincrement && dc->always != cc->always)
			DIFF("%s.%s: always %d vs %d", d->name, dc->name,
			    dc->always, cc->always);
		if (!ss_pg_same_default(dc, cc))
			DIFF("%s.%s: default %d:%s vs %d:%s", d->name, dc->name,
			    dc->def.kind, dc->def.value ? dc->def.value : "-",
			    cc->def.kind, cc->def.value ? cc->def.value : "-");
		if (!same_str(dc->comment, cc->comment))
			DIFF("%s.%s: comment differs", d->name, dc->name);
	}
	if ((d->pk == NULL) != (c->pk == NULL))
		DIFF("%s: primary key %s vs %s", d->name, d->pk ? "yes" : "no",
		    c->pk ? "yes" : "no");
	else if (d->pk != NULL && (!ss_pg_same_name(d->pk->name, c->pk->name) ||
	    !same_names(&d->pk->columns, &c->pk->columns)))
		DIFF("%s: primary key %s vs %s", d->name, d->pk->name,
		    c->pk->name);
	if (d->nuniques != c->nuniques)
		DIFF("%s: %zu unique constraints vs %zu", d->name, d->nuniques,
		    c->nuniques);
	for (i = 0; i < d->nuniques; i++) {
		for (j = 0; j < c->nuniques; j++)
			if (ss_pg_same_name(d->uniques[i].name, c->uniques[j].name))
				break;
		if (j == c->nuniques)
			DIFF("%s: unique %s missing", d->name, d->uniques[i].name);
		else if (!same_names(&d->uniques[i].columns, &c->uniques[j].columns))
			DIFF("%s: unique %s columns differ", d->name,
			    d->uniques[i].name);
	}
	if (d->nindexes != c->nindexes)
		DIFF("%s: %zu indexes vs %zu", d->name, d->nindexes, c->nindexes);
	for (i = 0; i < d->nindexes; i++) {
		const struct ss_index *di = &d->indexes[i], *ci = NULL;
		for (j = 0; j < c->nindexes; j++)
			if (ss_pg_same_name(di->name, c->indexes[j].name))
				ci = &c->indexes[j];
		if (ci == NULL) {
			DIFF("%s: index %s missing", d->name, di->name);
			continue;
		}
		if (di->unique != ci->unique)
			DIFF("%s: index %s unique %d vs %d", d->name, di->name,
			    di->unique, ci->unique);
		if ((di->where == NULL) != (ci->where == NULL) ||
		    (di->where != NULL && !ss_pg_same_expr(di->where, ci->where)))
			DIFF("%s: index %s where %s vs %s", d->name, di->name,
			    di->where ? di->where : "-", ci->where ? ci->where : "-");
		if (di->columns.n != ci->columns.n)
			DIFF("%s: index %s has %zu columns vs %zu", d->name,
			    di->name, di->columns.n, ci->columns.n);
		for (j = 0; j < di->columns.n && j < ci->columns.n; j++)
			if (!ss_pg_same_name(di->columns.v[j].name,
			    ci->columns.v[j].name) &&
			    !ss_pg_same_expr(di->columns.v[j].name,
			    ci->columns.v[j].name))
				DIFF("%s: index %s column %s vs %s", d->name,
				    di->name, di->columns.v[j].name,
				    ci->columns.v[j].name);
	}
	if (d->nfks != c->nfks)
		DIFF("%s: %zu foreign keys vs %zu", d->name, d->nfks, c->nfks);
	for (i = 0; i < d->nfks; i++) {
		const struct ss_fk *df = &d->fks[i], *cf = NULL;
		const struct ss_names *refcols = &df->ref_columns;
		for (j = 0; j < c->nfks; j++)
			if (ss_pg_same_name(df->name, c->fks[j].name))
				cf = &c->fks[j];
		if (cf == NULL) {
			DIFF("%s: foreign key %s missing", d->name, df->name);
			continue;
		}
		if (refcols->n == 0) {
			const struct ss_table *rt = find_table(ds, df->ref_table);
			if (rt != NULL && rt->pk != NULL)
				refcols = &rt->pk->columns;
		}
		if (!same_names(&df->columns, &cf->columns) ||
		    !ss_pg_same_name(df->ref_table, cf->ref_table) ||
		    !same_names(refcols, &cf->ref_columns))
			DIFF("%s: foreign key %s target differs (%s vs %s)",
			    d->name, df->name, df->ref_table, cf->ref_table);
		if (df->on_delete != cf->on_delete || df->on_update != cf->on_update)
			DIFF("%s: foreign key %s actions %d/%d vs %d/%d", d->name,
			    df->name, df->on_delete, df->on_update, cf->on_delete,
			    cf->on_update);
		if (df->deferrable != cf->deferrable ||
		    df->initially_deferred != cf->initially_deferred ||
		    df->match_full != cf->match_full)
			DIFF("%s: foreign key %s deferrable/deferred/match full "
			    "%d/%d/%d vs %d/%d/%d", d->name, df->name,
			    df->deferrable, df->initially_deferred,
			    df->match_full, cf->deferrable,
			    cf->initially_deferred, cf->match_full);
	}
	if (d->nchecks != c->nchecks)
		DIFF("%s: %zu checks vs %zu", d->name, d->nchecks, c->nchecks);
	for (i = 0; i < d->nchecks; i++) {
		const struct ss_check *dk = &d->checks[i], *ck = NULL;
		for (j = 0; j < c->nchecks; j++)
			if (ss_pg_same_name(dk->name, c->checks[j].name))
				ck = &c->checks[j];
		if (ck == NULL)
			DIFF("%s: check %s missing", d->name, dk->name);
		else if (!ss_pg_same_expr(dk->expr, ck->expr))
			DIFF("%s: check %s: %s vs %s", d->name, dk->name,
			    dk->expr, ck->expr);
		else if (dk->no_inherit != ck->no_inherit)
			DIFF("%s: check %s: no inherit %d vs %d", d->name,
			    dk->name, dk->no_inherit, ck->no_inherit);
	}
	ss_buf_release(&a);
	ss_buf_release(&b);
	return n;
}

size_t
ss_test_compare_pg(const struct ss_schema *desired,
    const struct ss_schema *current, struct ss_buf *why)
{
	size_t n = 0, i, j;
	const struct ss_table *c;
	const struct ss_enum *ce;

	if (desired->nenums != current->nenums)
		DIFF("%zu enums vs %zu", desired->nenums, current->nenums);
	for (i = 0; i < desired->nenums; i++) {
		const struct ss_enum *de = desired->enums[i];
		ce = NULL;
		for (j = 0; j < current->nenums; j++)
			if (ss_pg_same_name(de->name, current->enums[j]->name))
				ce = current->enums[j];
		if (ce == NULL)
			DIFF("enum %s missing", de->name);
		else if (!ss_names_equal(&de->values, &ce->values))
			DIFF("enum %s values differ", de->name);
	}
	if (desired->ntables != current->ntables)
		DIFF("%zu tables vs %zu", desired->ntables, current->ntables);
	for (i = 0; i < desired->ntables; i++) {
		if ((c = find_table(current, desired->tables[i]->name)) == NULL)
			DIFF("table %s missing", desired->tables[i]->name);
		else
			n += compare_table(desired, desired->tables[i], c, why);
	}
	return n;
}
