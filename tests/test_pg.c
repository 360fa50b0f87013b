/*
 * Tests for src/pg.c and src/pgddl.c against the throwaway server:
 * a model emitted and executed introspects back to the same model, and
 * every real schema of the corpus introspects with the expected counts
 * and the same small number of queries.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pg_helper.h"
#include "ss/load.h"
#include "ss/pg.h"
#include "ss/pgddl.h"
#include "ss/pgexpr.h"

/* Loads a fixture (tests/fixtures/NAME); fails the test if it is wrong. */
static void
load(struct ss_schema *s, const char *name)
{
	char path[256];
	const char *paths[] = { path };
	struct ss_diags d = SS_DIAGS_INIT;
	struct ss_buf msg = SS_BUF_INIT;
	size_t i;

	snprintf(path, sizeof path, "tests/fixtures/%s", name);
	ss_schema_init(s);
	if (ss_load_paths(s, paths, 1, &d) != 0) {
		for (i = 0; i < d.n; i++) {
			ss_diag_format(&msg, &d.v[i], 0);
			ss_buf_addc(&msg, '\n');
		}
		cr_assert_fail("the test schema does not load:\n%s", msg.s);
	}
	ss_diags_release(&d);
	ss_buf_release(&msg);
}

/* Loads a fixture, emits it, runs it, introspects, compares. */
static void
roundtrip(const char *fixture)
{
	struct ss_schema want, got;
	struct ss_testdb db;
	struct ss_buf sql = SS_BUF_INIT, why = SS_BUF_INIT;
	struct ss_err err = SS_ERR_INIT;
	size_t n;

	load(&want, fixture);
	ss_pg_emit_schema(&sql, &want);
	ss_testdb_open(&db);
	ss_testdb_exec(&db, sql.s, "running the emitted schema");
	ss_schema_init(&got);
	cr_assert_eq(ss_pg_introspect(db.conn, "public", &got, &err), 0, "%s",
	    err.msg.s);
	n = ss_test_compare_pg(&want, &got, &why);
	cr_expect_eq(n, 0, "%zu differences after a round trip:\n%s\nSQL:\n%s",
	    n, why.s, sql.s);
	cr_expect_eq(got.nothers, 0, "unexpected others: %zu (first: %s %s)",
	    got.nothers, got.nothers ? got.others[0].kind : "",
	    got.nothers ? got.others[0].name : "");
	/* The odd table is still there, and so is users. */
	cr_expect_not_null(ss_schema_table(&got, "users"));
	ss_schema_release(&want);
	ss_schema_release(&got);
	ss_buf_release(&sql);
	ss_buf_release(&why);
	ss_err_release(&err);
	ss_testdb_close(&db);
}

Test(pg, roundtrip_everything)
{
	roundtrip("pg_odd.yaml");
}

Test(pg, roundtrip_spec_example)
{
	roundtrip("pg_blog.yaml");
}

/* The comparison helper itself must see differences. */
Test(pg, roundtrip_detects_differences)
{
	struct ss_schema want, got;
	struct ss_testdb db;
	struct ss_buf sql = SS_BUF_INIT, why = SS_BUF_INIT;
	struct ss_err err = SS_ERR_INIT;

	load(&want, "pg_odd.yaml");
	ss_pg_emit_schema(&sql, &want);
	ss_testdb_open(&db);
	ss_testdb_exec(&db, sql.s, "running the emitted schema");
	ss_testdb_exec(&db, "ALTER TABLE users ALTER COLUMN karma SET DEFAULT 1;"
	    "ALTER TABLE users DROP CONSTRAINT users_karma_positive;"
	    "ALTER TABLE users ADD CONSTRAINT users_karma_positive CHECK (karma > 0);"
	    "ALTER TABLE posts ALTER COLUMN title TYPE varchar(100);"
	    "ALTER TABLE posts ALTER COLUMN body SET NOT NULL;"
	    "DROP INDEX users_live_email;"
	    "CREATE UNIQUE INDEX users_live_email ON users (email) WHERE status <> 'gone';"
	    "ALTER TYPE post_status ADD VALUE 'hidden'", "changing the database");
	ss_schema_init(&got);
	cr_assert_eq(ss_pg_introspect(db.conn, "public", &got, &err), 0, "%s",
	    err.msg.s);
	cr_expect_eq(ss_test_compare_pg(&want, &got, &why), 6, "%s", why.s);
	cr_expect(strstr(why.s, "users.karma: default") != NULL, "%s", why.s);
	cr_expect(strstr(why.s, "check users_karma_positive") != NULL, "%s", why.s);
	cr_expect(strstr(why.s, "posts.title: type") != NULL, "%s", why.s);
	cr_expect(strstr(why.s, "posts.body: nullable") != NULL, "%s", why.s);
	cr_expect(strstr(why.s, "index users_live_email where") != NULL, "%s", why.s);
	cr_expect(strstr(why.s, "enum post_status values") != NULL, "%s", why.s);
	ss_schema_release(&want);
	ss_schema_release(&got);
	ss_buf_release(&sql);
	ss_buf_release(&why);
	ss_err_release(&err);
	ss_testdb_close(&db);
}

/* Introspection inside the caller's transaction leaves it open. */
Test(pg, introspect_in_transaction)
{
	struct ss_testdb db;
	struct ss_schema s;
	struct ss_err err = SS_ERR_INIT;
	PGresult *r;

	ss_testdb_open(&db);
	ss_testdb_exec(&db, "BEGIN; CREATE TABLE t (id integer PRIMARY KEY)",
	    "begin");
	ss_schema_init(&s);
	cr_assert_eq(ss_pg_introspect(db.conn, "public", &s, &err), 0, "%s",
	    err.msg.s);
	cr_expect_not_null(ss_schema_table(&s, "t"));
	cr_expect_eq(PQtransactionStatus(db.conn), PQTRANS_INTRANS);
	r = PQexec(db.conn, "SHOW search_path");
	cr_expect_str_eq(PQgetvalue(r, 0, 0), "\"$user\", public");
	PQclear(r);
	ss_testdb_exec(&db, "COMMIT", "commit");
	ss_schema_release(&s);
	ss_err_release(&err);
	ss_testdb_close(&db);
}

/* Serial columns, identity ALWAYS, unowned sequences, views, triggers,
 * generated columns, partitions: what becomes managed and what not. */
Test(pg, unmanaged_objects)
{
	struct ss_testdb db;
	struct ss_schema s;
	struct ss_err err = SS_ERR_INIT;
	struct ss_table *t;
	size_t i;
	int views = 0, partitions = 0, seqs = 0, funcs = 0, triggers = 0;
	int domains = 0, gens = 0, idx = 0, excl = 0;

	ss_testdb_open(&db);
	ss_testdb_exec(&db,
	    "CREATE TABLE s (id serial PRIMARY KEY, n bigint GENERATED ALWAYS AS IDENTITY, "
	    "  twice integer GENERATED ALWAYS AS (id * 2) STORED, r int4range, "
	    "  EXCLUDE USING gist (r WITH &&));"
	    "CREATE SEQUENCE free_seq;"
	    "CREATE VIEW v AS SELECT id FROM s;"
	    "CREATE MATERIALIZED VIEW mv AS SELECT id FROM s;"
	    "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;"
	    "CREATE TRIGGER trg BEFORE INSERT ON s FOR EACH ROW EXECUTE FUNCTION f();"
	    "CREATE DOMAIN posint AS integer CHECK (VALUE > 0);"
	    "CREATE INDEX s_gin ON s USING hash (id);"
	    "CREATE TABLE p (id integer, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);"
	    "CREATE TABLE p_2020 PARTITION OF p FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');"
	    "CREATE TABLE p_2021 PARTITION OF p FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');"
	    "CREATE SCHEMA other; CREATE TABLE other.hidden (id integer);",
	    "creating objects");
	ss_schema_init(&s);
	cr_assert_eq(ss_pg_introspect(db.conn, "public", &s, &err), 0, "%s",
	    err.msg.s);
	cr_expect_eq(s.ntables, 2, "tables: %zu", s.ntables);
	t = ss_schema_table(&s, "s");
	cr_assert_not_null(t);
	cr_expect(t->columns[0].autoincrement, "serial is autoincrement");
	cr_expect_eq(t->columns[0].def.kind, SS_DEFAULT_NONE);
	cr_expect(t->columns[1].autoincrement, "identity is autoincrement");
	cr_expect_eq(t->columns[2].def.kind, SS_DEFAULT_NONE);
	cr_expect_not_null(ss_schema_table(&s, "p"), "partitioned parent managed");
	cr_expect_null(ss_schema_table(&s, "p_2020"));
	cr_expect_null(ss_schema_table(&s, "hidden"));
	for (i = 0; i < s.nothers; i++) {
		const char *k = s.others[i].kind;
		views += strcmp(k, "view") == 0 || strcmp(k, "materialized view") == 0;
		partitions += strcmp(k, "partition") == 0;
		seqs += strcmp(k, "sequence") == 0;
		funcs += strcmp(k, "function") == 0;
		triggers += strcmp(k, "trigger") == 0;
		domains += strcmp(k, "domain") == 0;
		gens += strcmp(k, "generated column") == 0;
		idx += strcmp(k, "index") == 0;
		excl += strcmp(k, "exclusion constraint") == 0;
		if (strcmp(k, "partition") == 0)
			cr_expect_str_eq(s.others[i].table, "p");
	}
	cr_expect_eq(views, 2);
	cr_expect_eq(partitions, 2);
	cr_expect_eq(seqs, 1, "only free_seq: owned sequences are columns'");
	cr_expect_eq(funcs, 1);
	cr_expect_eq(triggers, 1);
	cr_expect_eq(domains, 1);
	cr_expect_eq(gens, 1);
	cr_expect_eq(idx, 1, "the hash index is not managed");
	cr_expect_eq(excl, 1);
	ss_schema_release(&s);
	ss_err_release(&err);
	ss_testdb_close(&db);
}

/* The corpus. */

struct corpus_case {
	const char *file;
	const char *schema;
	size_t tables, fks, enums, indexes, checks, uniques, pks;
	/* others by kind; -1: not checked */
	int views, partitions, triggers, functions, domains, sequences;
};

static size_t
count_other(const struct ss_schema *s, const char *kind)
{
	size_t i, n = 0;

	for (i = 0; i < s->nothers; i++)
		if (strcmp(s->others[i].kind, kind) == 0)
			n++;
	return n;
}

static void
corpus(const struct corpus_case *cc, unsigned long *queries)
{
	struct ss_testdb db;
	struct ss_schema s;
	struct ss_err err = SS_ERR_INIT;
	char path[1024], ci[1024], cmd[4096];
	size_t i, fks = 0, idx = 0, checks = 0, uniques = 0, pks = 0;
	unsigned long q0;
	int rc;

	snprintf(path, sizeof path, "%s/postgres/%s", ss_test_corpus(), cc->file);
	cr_assert(access(path, R_OK) == 0, "corpus file %s is missing", path);
	ss_testdb_open(&db);
	ss_testdb_conninfo(&db, ci, sizeof ci);
	snprintf(cmd, sizeof cmd, "psql -X -q -v ON_ERROR_STOP=1 -d '%s' -f '%s' "
	    ">/dev/null 2>&1", ci, path);
	rc = system(cmd);
	cr_assert_eq(rc, 0, "psql could not load %s (exit %d)", path, rc);
	ss_schema_init(&s);
	q0 = ss_pg_query_count();
	cr_assert_eq(ss_pg_introspect(db.conn, cc->schema, &s, &err), 0,
	    "%s: %s", cc->file, err.msg.s);
	*queries = ss_pg_query_count() - q0;
	for (i = 0; i < s.ntables; i++) {
		fks += s.tables[i]->nfks;
		idx += s.tables[i]->nindexes;
		checks += s.tables[i]->nchecks;
		uniques += s.tables[i]->nuniques;
		pks += s.tables[i]->pk != NULL;
	}
	cr_expect_eq(s.ntables, cc->tables, "%s: %zu tables", cc->file, s.ntables);
	cr_expect_eq(fks, cc->fks, "%s: %zu foreign keys", cc->file, fks);
	cr_expect_eq(s.nenums, cc->enums, "%s: %zu enums", cc->file, s.nenums);
	cr_expect_eq(idx, cc->indexes, "%s: %zu managed indexes", cc->file, idx);
	cr_expect_eq(checks, cc->checks, "%s: %zu checks", cc->file, checks);
	cr_expect_eq(uniques, cc->uniques, "%s: %zu uniques", cc->file, uniques);
	cr_expect_eq(pks, cc->pks, "%s: %zu primary keys", cc->file, pks);
#define OTHER(field, kind) \
	if (cc->field >= 0) \
		cr_expect_eq(count_other(&s, kind), (size_t)cc->field, \
		    "%s: %zu %s", cc->file, count_other(&s, kind), kind)
	OTHER(views, "view");
	OTHER(partitions, "partition");
	OTHER(triggers, "trigger");
	OTHER(functions, "function");
	OTHER(domains, "domain");
	OTHER(sequences, "sequence");
#undef OTHER
	ss_schema_release(&s);
	ss_err_release(&err);
	ss_testdb_close(&db);
}

/* A tiny schema takes as many queries as the biggest. */
static unsigned long
tiny_queries(void)
{
	struct ss_testdb db;
	struct ss_schema s;
	struct ss_err err = SS_ERR_INIT;
	unsigned long q0, n;

	ss_testdb_open(&db);
	ss_testdb_exec(&db, "CREATE TABLE t (id integer PRIMARY KEY)", "tiny");
	ss_schema_init(&s);
	q0 = ss_pg_query_count();
	cr_assert_eq(ss_pg_introspect(db.conn, "public", &s, &err), 0, "%s",
	    err.msg.s);
	n = ss_pg_query_count() - q0;
	ss_schema_release(&s);
	ss_err_release(&err);
	ss_testdb_close(&db);
	return n;
}

#define CORPUS_TEST(id, ...) \
	Test(pg_corpus, id, .timeout = 120) \
	{ \
		static const struct corpus_case cc = __VA_ARGS__; \
		unsigned long q, tiny = tiny_queries(); \
		corpus(&cc, &q); \
		cr_expect_eq(q, tiny, "%s took %lu queries, a tiny schema %lu", \
		    cc.file, q, tiny); \
		cr_expect_leq(q, 10); \
	}

/*
 * Counts for the managed schema, checked against SOURCES.md and against
 * the catalog queries in the commit that added them:
 *  - tables leave out partitions (pagila: 70 - 55 = 15; musicbrainz:
 *    371 of its 519 tables are in schema musicbrainz);
 *  - FKs are those declared on managed tables: pagila's 36 are 18 on
 *    tables plus 18 on partitions; musicbrainz schema: 762 of 889;
 *  - managed indexes are SOURCES' "not backing a constraint" less those
 *    on partitions and materialized views and those kept as others
 *    (not btree, another operator class, INCLUDE): pagila 14 (film's
 *    GiST full-text index is an other), synapse 159 - 2 GIN = 157,
 *    musicbrainz schema 566 - 44 = 522;
 *  - others: pagila's 13 sequences are not owned by their columns (the
 *    columns keep nextval() defaults); synapse has 12 sequences, one
 *    owned by a serial column; pagila has 9 functions and 1 aggregate.
 * Fields: tables, fks, enums, indexes, checks, uniques, pks, then
 * views, partitions, triggers, functions, domains, sequences.
 */
CORPUS_TEST(chinook, { "chinook.sql", "public", 11, 11, 0, 11, 0, 0, 11,
	0, 0, 0, 0, 0, 0 })
CORPUS_TEST(pagila, { "pagila.sql", "public", 15, 18, 1, 14, 0, 0, 15,
	7, 55, 15, 9, 2, 13 })
CORPUS_TEST(pagila_2022, { "pagila-2022.sql", "public", 15, 18, 1, 14, 0,
	0, 15, 7, 7, 15, 9, 2, 13 })
CORPUS_TEST(synapse, { "synapse.sql", "public", 138, 14, 0, 157, 5, 55, 28,
	0, 0, 1, 1, 0, 11 })
CORPUS_TEST(musicbrainz, { "large-musicbrainz.sql", "musicbrainz", 371,
	762, 7, 522, 663, 3, 366, 10, 4, 448, 131, 0, 0 })

/*
 * Faithfulness for real schemas, the way `pull` then `push` to a fresh
 * database would go: the introspected model, emitted and run on an
 * empty database, introspects back to itself. Sequences the columns
 * use but do not own, and domains, are created first (they are others,
 * not emitted).
 */
static void
reemit(const char *file, const char *schema)
{
	struct ss_testdb a, b;
	struct ss_schema s1, s2;
	struct ss_err err = SS_ERR_INIT;
	struct ss_buf sql = SS_BUF_INIT, why = SS_BUF_INIT;
	char path[1024], ci[1024], cmd[4096];
	size_t i, n;

	snprintf(path, sizeof path, "%s/postgres/%s", ss_test_corpus(), file);
	ss_testdb_open(&a);
	ss_testdb_conninfo(&a, ci, sizeof ci);
	snprintf(cmd, sizeof cmd, "psql -X -q -v ON_ERROR_STOP=1 -d '%s' -f '%s' "
	    ">/dev/null 2>&1", ci, path);
	cr_assert_eq(system(cmd), 0, "psql could not load %s", path);
	ss_schema_init(&s1);
	cr_assert_eq(ss_pg_introspect(a.conn, schema, &s1, &err), 0, "%s",
	    err.msg.s);
	for (i = 0; i < s1.nothers; i++) {
		if (strcmp(s1.others[i].kind, "sequence") == 0) {
			ss_buf_adds(&sql, "CREATE SEQUENCE ");
			ss_pg_quote_ident(&sql, s1.others[i].name);
			ss_buf_adds(&sql, ";\n");
		} else if (strcmp(s1.others[i].kind, "domain") == 0) {
			ss_buf_adds(&sql, "CREATE DOMAIN ");
			ss_pg_quote_ident(&sql, s1.others[i].name);
			ss_buf_addf(&sql, " AS %s;\n", s1.others[i].sql);
		}
	}
	ss_pg_emit_schema(&sql, &s1);
	ss_testdb_open(&b);
	ss_testdb_exec(&b, sql.s, "running the emitted schema");
	ss_schema_init(&s2);
	cr_assert_eq(ss_pg_introspect(b.conn, "public", &s2, &err), 0, "%s",
	    err.msg.s);
	n = ss_test_compare_pg(&s1, &s2, &why);
	cr_expect_eq(n, 0, "%s: %zu differences after re-emitting:\n%s", file,
	    n, why.s);
	ss_schema_release(&s1);
	ss_schema_release(&s2);
	ss_buf_release(&sql);
	ss_buf_release(&why);
	ss_err_release(&err);
	ss_testdb_close(&a);
	ss_testdb_close(&b);
}

Test(pg_corpus, reemit_chinook, .timeout = 120)
{
	reemit("chinook.sql", "public");
}

Test(pg_corpus, reemit_synapse, .timeout = 120)
{
	reemit("synapse.sql", "public");
}
Test(pg_corpus, reemit_pagila, .timeout = 120)
{
	reemit("pagila.sql", "public");
}

/* What the normaliser cannot match, the server can: in two round trips,
 * changing nothing. */
Test(pg, server_canon)
{
	static const char yaml[] =
	    "enums:\n"
	    "  mood: [happy, sad]\n"
	    "tables:\n"
	    "  ev:\n"
	    "    columns:\n"
	    "      id: { type: integer, primary_key: true }\n"
	    "      at: { type: timestamp, default: \"2020-01-01\" }\n"
	    "      m: { type: mood }\n"
	    "      n: { type: integer }\n"
	    "    checks:\n"
	    "      ev_after: \"at > '2020-01-01'\"\n"
	    "      ev_mood: \"m <> 'sad'\"\n"
	    "      ev_n: \"n > '5'\"\n";
	const char *names[] = { "canon.yaml" }, *texts[] = { yaml };
	struct ss_diags d = SS_DIAGS_INIT;
	struct ss_schema want, got;
	struct ss_testdb db;
	struct ss_buf sql = SS_BUF_INIT;
	struct ss_err err = SS_ERR_INIT;
	struct ss_arena a = SS_ARENA_INIT;
	struct ss_pg_canon_req reqs[5];
	const struct ss_table *wt, *gt;
	unsigned long q0;
	size_t i;
	PGresult *r;

	ss_schema_init(&want);
	cr_assert_eq(ss_load_buffers(&want, names, texts, 1, &d), 0);
	ss_pg_emit_schema(&sql, &want);
	ss_testdb_open(&db);
	ss_testdb_exec(&db, sql.s, "running the emitted schema");
	ss_schema_init(&got);
	cr_assert_eq(ss_pg_introspect(db.conn, "public", &got, &err), 0, "%s",
	    err.msg.s);
	wt = ss_schema_table(&want, "ev");
	gt = ss_schema_table(&got, "ev");
	/* The pure normaliser's documented limit. */
	cr_expect(!ss_pg_same_expr(wt->checks[0].expr, gt->checks[0].expr));
	cr_expect(!ss_pg_same_default(&wt->columns[1], &gt->columns[1]));

	memset(reqs, 0, sizeof reqs);
	for (i = 0; i < 3; i++) {
		reqs[i].table = wt;
		reqs[i].expr = wt->checks[i].expr;
	}
	reqs[3].table = wt;
	reqs[3].column = "at";
	reqs[3].expr = "'2020-01-01'";
	reqs[4].table = wt;
	reqs[4].expr = "no_such_column > 0";
	q0 = ss_pg_query_count();
	cr_assert_eq(ss_pg_server_canon(db.conn, &want, reqs, 5, &a, &err), 0,
	    "%s", err.msg.s);
	cr_expect_eq(ss_pg_query_count() - q0, 2);
	for (i = 0; i < 3; i++) {
		cr_assert_not_null(reqs[i].stored, "%s", reqs[i].expr);
		cr_expect(ss_pg_same_expr(reqs[i].stored, gt->checks[i].expr),
		    "%s -> %s vs %s", reqs[i].expr, reqs[i].stored,
		    gt->checks[i].expr);
	}
	cr_assert_not_null(reqs[3].stored);
	cr_expect_str_eq(reqs[3].stored,
	    "'2020-01-01 00:00:00'::timestamp without time zone");
	cr_expect_null(reqs[4].stored, "a bad expression has no answer");
	cr_expect_eq(PQtransactionStatus(db.conn), PQTRANS_IDLE);
	r = PQexec(db.conn, "SELECT count(*) FROM pg_class WHERE relpersistence = 't'");
	cr_expect_str_eq(PQgetvalue(r, 0, 0), "0", "nothing is left behind");
	PQclear(r);

	ss_arena_release(&a);
	ss_diags_release(&d);
	ss_schema_release(&want);
	ss_schema_release(&got);
	ss_buf_release(&sql);
	ss_err_release(&err);
	ss_testdb_close(&db);
}

/* A connection in a failed transaction is an error that says so. */
Test(pg, introspect_failed_transaction)
{
	struct ss_testdb db;
	struct ss_schema s;
	struct ss_err err = SS_ERR_INIT;
	PGresult *r;

	ss_testdb_open(&db);
	r = PQexec(db.conn, "BEGIN; SELECT 1/0");
	PQclear(r);
	ss_schema_init(&s);
	cr_expect_eq(ss_pg_introspect(db.conn, "public", &s, &err), -SS_EDB);
	cr_expect(strstr(err.msg.s, "introspecting schema 'public'") != NULL,
	    "%s", err.msg.s);
	cr_expect(strstr(err.msg.s, "failed transaction") != NULL, "%s",
	    err.msg.s);
	r = PQexec(db.conn, "ROLLBACK");
	PQclear(r);
	ss_schema_release(&s);
	ss_err_release(&err);
	ss_testdb_close(&db);
}
