/*
 * PostgreSQL introspection (src/postgres/introspect.h).
 *
 * Design notes:
 *  1. One query per kind of object, each over the whole schema, and
 *     the rows are sorted into tables in C by the table's oid: the
 *     number of round trips does not grow with the schema (six catalog
 *     queries, one for what is not modelled, plus one to open and one
 *     to close the snapshot).
 *  2. Every query takes the schema name as a parameter ($1); nothing is
 *     pasted into SQL but the search_path, which is quoted by libpq.
 *  3. Which objects are managed is decided in SQL (the WHERE clauses)
 *     so the C side only copies rows; what is not managed goes to
 *     ss_schema_add_other() from the same rows.
 *  4. Every statement goes through query(), which counts it.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "pq.h"
#include "introspect.h"
#include "ddl.h"
#include "expr.h"
#include "ss/sqlparse.h"

static atomic_ulong nqueries;

unsigned long
ss_pg_query_count(void)
{
	return atomic_load(&nqueries);
}

/* The managed tables of the schema: ordinary and partitioned, not
 * partitions, not extension members. */
#define MANAGED_REL \
	"c.relkind IN ('r','p') AND NOT c.relispartition AND NOT EXISTS (" \
	"SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = " \
	"'pg_catalog.pg_class'::pg_catalog.regclass AND e.objid = c.oid AND " \
	"e.deptype = 'e')"

static const char q_relations[] =
	"SELECT c.oid, c.relname, c.relkind, c.relispartition, ds.description, "
	"c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
	"WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND "
	"d.objid = c.oid AND d.refclassid = "
	"'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjsubid > 0 AND "
	"d.deptype IN ('a','i')), "
	"(SELECT p.relname FROM pg_catalog.pg_inherits i JOIN "
	"pg_catalog.pg_class p ON p.oid = i.inhparent WHERE i.inhrelid = c.oid "
	"LIMIT 1), "
	"CASE WHEN c.relkind IN ('v','m') THEN "
	"pg_catalog.pg_get_viewdef(c.oid) END "
	"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON "
	"n.oid = c.relnamespace "
	"LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = c.oid AND "
	"ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND "
	"ds.objsubid = 0 "
	"WHERE n.nspname = $1 AND c.relkind IN ('r','p','v','m','S','f','c') "
	"AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = "
	"'pg_catalog.pg_class'::pg_catalog.regclass AND e.objid = c.oid AND "
	"e.deptype = 'e') "
	"ORDER BY c.relname";

static const char q_columns[] =
	"SELECT a.attrelid, a.attname, "
	"pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
	/* A default cannot name a column, so it is deparsed without its
	 * table: pg_get_expr() with a relation opens and locks it, once a
	 * row (40% of this query at 1,000 tables). A generated column's
	 * expression names columns: deparsed with its table. */
	"CASE WHEN a.attgenerated = '' THEN "
	"pg_catalog.pg_get_expr(ad.adbin, 0) ELSE "
	"pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END, a.attidentity, "
	"a.attgenerated, t.typtype = 'e' AND t.typnamespace = c.relnamespace, "
	"t.typname, ds.description, "
	"EXISTS (SELECT 1 FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class s "
	"ON s.oid = d.objid AND s.relkind = 'S' WHERE d.classid = "
	"'pg_catalog.pg_class'::pg_catalog.regclass AND d.refclassid = "
	"'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = a.attrelid "
	"AND d.refobjsubid = a.attnum AND d.deptype = 'a'), "
	/* Collations: only one that is not the type's own. */
	"CASE WHEN a.attcollation <> t.typcollation THEN "
	"(SELECT co.collname FROM pg_catalog.pg_collation co WHERE co.oid = "
	"a.attcollation) END, "
	/* An identity column's sequence options. */
	"CASE WHEN a.attidentity <> '' THEN (SELECT s.seqstart || ',' || "
	"s.seqincrement FROM pg_catalog.pg_depend d JOIN "
	"pg_catalog.pg_sequence s ON s.seqrelid = d.objid WHERE d.classid = "
	"'pg_catalog.pg_class'::pg_catalog.regclass AND d.refclassid = "
	"'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = a.attrelid "
	"AND d.refobjsubid = a.attnum AND d.deptype = 'i' LIMIT 1) END "
	/* refclassid too, so pg_depend_reference_index serves the lookup
	 * instead of a scan of pg_depend for every column. */
	"FROM pg_catalog.pg_attribute a "
	"JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
	"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
	"LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND "
	"ad.adnum = a.attnum "
	/* A join, not col_description(): that is a SQL function, called
	 * (and planned) once a row. */
	"LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = a.attrelid AND "
	"ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND "
	"ds.objsubid = a.attnum "
	"WHERE n.nspname = $1 AND " MANAGED_REL " AND a.attnum > 0 AND "
	"NOT a.attisdropped "
	"ORDER BY a.attrelid, a.attnum";

/* The names of the columns numbered in the array keys of table rel, in
 * order: one index lookup each. */
#define KEY_NAMES(keys, rel) \
	"ARRAY(SELECT (SELECT a.attname FROM pg_catalog.pg_attribute a " \
	"WHERE a.attrelid = " rel " AND a.attnum = u.n) FROM " \
	"pg_catalog.unnest(" keys ") WITH ORDINALITY u(n, o) ORDER BY u.o)"

static const char q_constraints[] =
	"SELECT k.conrelid, k.conname, k.contype, "
	KEY_NAMES("k.conkey", "k.conrelid") ", "
	"f.relname, fn.nspname, "
	KEY_NAMES("k.confkey", "k.confrelid") ", "
	"k.confdeltype, k.confupdtype, "
	"CASE WHEN k.contype = 'c' THEN "
	"pg_catalog.pg_get_expr(k.conbin, k.conrelid) END, "
	/* Deparsing is slow: only for what is shown whole (left alone). */
	"CASE WHEN k.contype = 'x' THEN "
	"pg_catalog.pg_get_constraintdef(k.oid) END, "
	/* Deferrable foreign keys, MATCH FULL, NO INHERIT: 11 to 14. */
	"k.condeferrable, k.condeferred, k.confmatchtype, k.connoinherit "
	"FROM pg_catalog.pg_constraint k "
	"JOIN pg_catalog.pg_class c ON c.oid = k.conrelid "
	"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	"LEFT JOIN pg_catalog.pg_class f ON f.oid = k.confrelid "
	"LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = f.relnamespace "
	"WHERE n.nspname = $1 AND " MANAGED_REL " AND "
	"k.contype IN ('p','u','c','f','x') AND k.conparentid = 0 "
	"ORDER BY k.conrelid, k.contype, k.conname";

/*
 * Each key of an index: its column, or its expression; then, key by
 * key, its options (indoption: 1 DESC, 2 NULLS FIRST) and its operator
 * class when not the default of its type; the INCLUDE columns; the
 * method. The key numbers come from unnest() (about ten rows, as the
 * planner guesses) so that each column is one index lookup. The index
 * of a unique constraint comes too, for what only the index knows
 * (INCLUDE, NULLS NOT DISTINCT); the other constraints' do not.
 * NULLS NOT DISTINCT is PostgreSQL 15's: NND is the column, or false.
 */
#define Q_INDEXES(NND) \
	"SELECT x.indrelid, i.relname, x.indisunique, " \
	"pg_catalog.pg_get_expr(x.indpred, x.indrelid), " \
	"ARRAY(SELECT CASE WHEN u.a <> 0 THEN (SELECT a.attname FROM " \
	"pg_catalog.pg_attribute a WHERE a.attrelid = x.indrelid AND " \
	"a.attnum = u.a) ELSE " \
	"pg_catalog.pg_get_indexdef(x.indexrelid, u.k::integer, false) END " \
	"FROM pg_catalog.unnest(x.indkey::pg_catalog.int2[]) WITH ORDINALITY " \
	"u(a, k) WHERE u.k <= x.indnkeyatts ORDER BY u.k), " \
	"f.unmodelled, " \
	/* Deparsing is slow: only for what is shown whole (left alone). */ \
	"CASE WHEN f.unmodelled OR x.indexprs IS NOT NULL OR " \
	"x.indpred IS NOT NULL THEN " \
	"pg_catalog.pg_get_indexdef(x.indexrelid) END, " \
	"NULLIF(am.amname, 'btree'), " \
	"ARRAY(SELECT x.indoption[u.k - 1] FROM pg_catalog.unnest(" \
	"x.indkey::pg_catalog.int2[]) WITH ORDINALITY u(a, k) WHERE " \
	"u.k <= x.indnkeyatts ORDER BY u.k), " \
	"ARRAY(SELECT COALESCE((SELECT CASE WHEN o.opcdefault THEN '' " \
	"WHEN on_.nspname IN ('pg_catalog', $1) THEN o.opcname::text ELSE " \
	"on_.nspname || '.' || o.opcname END FROM pg_catalog.pg_opclass o " \
	"JOIN pg_catalog.pg_namespace on_ ON on_.oid = o.opcnamespace " \
	"WHERE o.oid = u.c), '') FROM pg_catalog.unnest(" \
	"x.indclass::pg_catalog.oid[]) WITH ORDINALITY u(c, k) " \
	"ORDER BY u.k), " \
	"ARRAY(SELECT (SELECT a.attname FROM pg_catalog.pg_attribute a " \
	"WHERE a.attrelid = x.indrelid AND a.attnum = u.a) FROM " \
	"pg_catalog.unnest(x.indkey::pg_catalog.int2[]) WITH ORDINALITY " \
	"u(a, k) WHERE u.k > x.indnkeyatts ORDER BY u.k), " \
	NND ", k.conname, k.condeferrable, k.condeferred " \
	"FROM pg_catalog.pg_index x " \
	"JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid " \
	"JOIN pg_catalog.pg_class c ON c.oid = x.indrelid " \
	"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " \
	"JOIN pg_catalog.pg_am am ON am.oid = i.relam " \
	"LEFT JOIN pg_catalog.pg_constraint k ON k.conindid = x.indexrelid " \
	"AND k.contype IN ('p','u','x') " \
	/* An index the model has no words for: left alone, shown whole. \
	 * Storage parameters, and a key collation that is not its \
	 * column's, are not modelled. */ \
	"CROSS JOIN LATERAL (SELECT i.reloptions IS NOT NULL OR EXISTS (" \
	"SELECT 1 FROM ROWS FROM (pg_catalog.unnest(" \
	"x.indkey::pg_catalog.int2[]), pg_catalog.unnest(" \
	"x.indcollation::pg_catalog.oid[])) u(a, coll) JOIN " \
	"pg_catalog.pg_attribute a ON a.attrelid = x.indrelid AND " \
	"a.attnum = u.a WHERE u.coll <> a.attcollation) AS unmodelled) f " \
	"WHERE n.nspname = $1 AND " MANAGED_REL " AND (k.oid IS NULL OR " \
	"k.contype = 'u') " \
	"ORDER BY x.indrelid, i.relname"

static const char q_indexes[] = Q_INDEXES("x.indnullsnotdistinct");
static const char q_indexes14[] = Q_INDEXES("false");

static const char q_enums[] =
	"SELECT t.typname, ARRAY(SELECT e.enumlabel FROM pg_catalog.pg_enum e "
	"WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) "
	"FROM pg_catalog.pg_type t "
	"JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
	"WHERE n.nspname = $1 AND t.typtype = 'e' AND NOT EXISTS ("
	"SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = "
	"'pg_catalog.pg_type'::pg_catalog.regclass AND e.objid = t.oid AND "
	"e.deptype = 'e') "
	"ORDER BY t.typname";

#define NOT_EXT(cls, oid) \
	"NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = " \
	"'pg_catalog." cls "'::pg_catalog.regclass AND e.objid = " oid \
	" AND e.deptype = 'e')"

static const char q_others[] =
	"SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' WHEN 'p' THEN "
	"'procedure' ELSE 'function' END, p.proname || '(' || "
	"pg_catalog.pg_get_function_identity_arguments(p.oid) || ')', "
	"NULL::name, NULL::text "
	"FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON "
	"n.oid = p.pronamespace WHERE n.nspname = $1 AND "
	NOT_EXT("pg_proc", "p.oid") " "
	"UNION ALL "
	"SELECT 'trigger', tg.tgname, c.relname, "
	"pg_catalog.pg_get_triggerdef(tg.oid) "
	"FROM pg_catalog.pg_trigger tg JOIN pg_catalog.pg_class c ON "
	"c.oid = tg.tgrelid JOIN pg_catalog.pg_namespace n ON "
	"n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT tg.tgisinternal "
	"AND tg.tgparentid = 0 AND " NOT_EXT("pg_class", "c.oid") " "
	"UNION ALL "
	"SELECT CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END, "
	"t.typname, NULL, CASE WHEN t.typtype = 'd' THEN "
	"pg_catalog.format_type(t.typbasetype, t.typtypmod) || "
	"CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END || "
	"COALESCE(' DEFAULT ' || t.typdefault, '') || COALESCE((SELECT "
	"pg_catalog.string_agg(' ' || pg_catalog.pg_get_constraintdef(k.oid), "
	"'' ORDER BY k.conname) FROM pg_catalog.pg_constraint k WHERE "
	"k.contypid = t.oid), '') END "
	"FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON "
	"n.oid = t.typnamespace WHERE n.nspname = $1 AND "
	"t.typtype IN ('d','r','m','b') AND t.typelem = 0 AND "
	NOT_EXT("pg_type", "t.oid") " "
	"AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_range r WHERE "
	"r.rngmultitypid = t.oid) "
	"UNION ALL "
	"SELECT 'extension', x.extname, NULL, NULL "
	"FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON "
	"n.oid = x.extnamespace WHERE n.nspname = $1 "
	"ORDER BY 1, 2";

/*
 * What PostgreSQL keeps and the model has no place for: one entry per
 * attribute, each a query over the schema ($1) giving the managed
 * table, the object's name within it (a column, constraint or index;
 * NULL for the table itself) and a detail for what (its %s), or NULL.
 * They run as one statement (UNION ALL), and each row becomes an
 * ss_unmodelled that pull and diff -v name. A new detection is one
 * entry here.
 */
#define UM_TABLES \
	"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON " \
	"n.oid = c.relnamespace WHERE n.nspname = $1 AND " MANAGED_REL

static const struct unmodelled_rule {
	const char *kind;	/* what the second value names, or "table" */
	const char *what;	/* the attribute; %s is the detail */
	const char *effect;	/* what a pushed copy does instead */
	const char *sql;	/* table, object, detail */
} unmodelled_rules[] = {
	{ "table", "UNLOGGED", "pushed copies will be logged",
	  "SELECT c.relname, NULL::text, NULL::text " UM_TABLES
	  " AND c.relpersistence = 'u'" },
	{ "table", "WITH (%s)", "pushed copies will have the default "
	  "storage parameters",
	  "SELECT c.relname, NULL, pg_catalog.array_to_string(c.reloptions, "
	  "', ') " UM_TABLES " AND c.reloptions IS NOT NULL" },
	{ "table", "PARTITION BY %s", "pushed copies will be plain tables "
	  "(the partitions are left alone)",
	  "SELECT c.relname, NULL, pg_catalog.pg_get_partkeydef(c.oid) "
	  UM_TABLES " AND c.relkind = 'p'" },
	{ "table", "INHERITS (%s)", "pushed copies will not inherit",
	  "SELECT c.relname, NULL, (SELECT pg_catalog.string_agg("
	  "i.inhparent::pg_catalog.regclass::text, ', ' ORDER BY i.inhseqno) "
	  "FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid) " UM_TABLES
	  " AND EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE "
	  "i.inhrelid = c.oid)" },
	{ "table", "ROW LEVEL SECURITY", "pushed copies will not have it "
	  "enabled (nor its policies)",
	  "SELECT c.relname, NULL, NULL " UM_TABLES " AND c.relrowsecurity" },
	{ "table", "TABLESPACE %s", "pushed copies will be in the default "
	  "tablespace",
	  "SELECT c.relname, NULL, (SELECT t.spcname FROM "
	  "pg_catalog.pg_tablespace t WHERE t.oid = c.reltablespace) "
	  UM_TABLES " AND c.reltablespace <> 0" },
	{ "column", "STORAGE %s", "pushed copies will have the type's "
	  "default storage",
	  "SELECT c.relname, a.attname, CASE a.attstorage WHEN 'p' THEN "
	  "'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' ELSE "
	  "'EXTENDED' END FROM pg_catalog.pg_attribute a JOIN "
	  "pg_catalog.pg_class c ON c.oid = a.attrelid JOIN "
	  "pg_catalog.pg_namespace n ON n.oid = c.relnamespace JOIN "
	  "pg_catalog.pg_type ty ON ty.oid = a.atttypid WHERE n.nspname = $1 "
	  "AND " MANAGED_REL " AND a.attnum > 0 AND NOT a.attisdropped AND "
	  "a.attstorage <> ty.typstorage" },
	{ "column", "COMPRESSION %s", "pushed copies will use the default "
	  "compression",
	  "SELECT c.relname, a.attname, CASE a.attcompression WHEN 'l' THEN "
	  "'lz4' ELSE 'pglz' END FROM pg_catalog.pg_attribute a JOIN "
	  "pg_catalog.pg_class c ON c.oid = a.attrelid JOIN "
	  "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
	  "n.nspname = $1 AND " MANAGED_REL " AND a.attnum > 0 AND NOT "
	  "a.attisdropped AND a.attcompression <> ''" },
	{ "column", "STATISTICS %s", "pushed copies will use "
	  "default_statistics_target",
	  "SELECT c.relname, a.attname, a.attstattarget::text FROM "
	  "pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = "
	  "a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = "
	  "c.relnamespace WHERE n.nspname = $1 AND " MANAGED_REL " AND "
	  "a.attnum > 0 AND NOT a.attisdropped AND a.attstattarget >= 0" },
	{ "column", "SET (%s)", "pushed copies will not have these options",
	  "SELECT c.relname, a.attname, pg_catalog.array_to_string("
	  "a.attoptions, ', ') FROM pg_catalog.pg_attribute a JOIN "
	  "pg_catalog.pg_class c ON c.oid = a.attrelid JOIN "
	  "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
	  "n.nspname = $1 AND " MANAGED_REL " AND a.attnum > 0 AND NOT "
	  "a.attisdropped AND a.attoptions IS NOT NULL" },
	{ "constraint", "NOT VALID", "pushed copies will check the rows "
	  "that are there",
	  "SELECT c.relname, k.conname, NULL FROM pg_catalog.pg_constraint k "
	  "JOIN pg_catalog.pg_class c ON c.oid = k.conrelid JOIN "
	  "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
	  "n.nspname = $1 AND " MANAGED_REL " AND k.contype IN ('c','f') AND "
	  "NOT k.convalidated AND k.conparentid = 0" },
	{ "index", "WITH (%s)", "pushed copies will have the default "
	  "storage parameters",
	  "SELECT c.relname, i.relname, pg_catalog.array_to_string("
	  "i.reloptions, ', ') FROM pg_catalog.pg_index x JOIN "
	  "pg_catalog.pg_class i ON i.oid = x.indexrelid JOIN "
	  "pg_catalog.pg_class c ON c.oid = x.indrelid JOIN "
	  "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
	  "n.nspname = $1 AND " MANAGED_REL " AND i.reloptions IS NOT NULL" },
	{ "index", "TABLESPACE %s", "pushed copies will be in the default "
	  "tablespace",
	  "SELECT c.relname, i.relname, (SELECT t.spcname FROM "
	  "pg_catalog.pg_tablespace t WHERE t.oid = i.reltablespace) FROM "
	  "pg_catalog.pg_index x JOIN pg_catalog.pg_class i ON i.oid = "
	  "x.indexrelid JOIN pg_catalog.pg_class c ON c.oid = x.indrelid "
	  "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
	  "n.nspname = $1 AND " MANAGED_REL " AND i.reltablespace <> 0" },
};

struct ctx {
	PGconn *conn;
	const char *schema;
	struct ss_schema *s;
	struct ss_err *err;
	struct ss_arena scratch;
	struct ss_map byoid;	/* oid text -> struct ss_table * */
};

/* Runs sql with the schema name as $1 (when params is 1); counts it. */
static PGresult *
query(struct ctx *C, const char *sql, int params, const char *what)
{
	const char *values[1] = { C->schema };
	PGresult *r;
	ExecStatusType st;

	atomic_fetch_add(&nqueries, 1);
	if (params)
		r = PQexecParams(C->conn, sql, 1, NULL, values, NULL, NULL, 0);
	else
		r = PQexec(C->conn, sql);
	st = PQresultStatus(r);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return r;
	ss_err_set(C->err, SS_EDB, "introspecting schema '%s': reading %s: %s",
	    C->schema, what, PQerrorMessage(C->conn));
	/* Drop libpq's trailing newline. */
	while (C->err->msg.len > 0 && C->err->msg.s[C->err->msg.len - 1] == '\n')
		ss_buf_truncate(&C->err->msg, C->err->msg.len - 1);
	PQclear(r);
	return NULL;
}

static const char *
val(PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static bool
truth(PGresult *r, int row, int col)
{
	const char *v = val(r, row, col);

	return v != NULL && v[0] == 't';
}

/*
 * Parses a one-dimensional text[] in PostgreSQL's output form
 * ({a,"b c","x\"y",NULL}) into l; NULL elements are skipped.
 */
static void
parse_array(struct ss_schema *s, const char *p, struct ss_names *l)
{
	struct ss_buf b = SS_BUF_INIT;
	bool quoted;

	if (p == NULL || *p++ != '{')
		return;
	while (*p && *p != '}') {
		ss_buf_reset(&b);
		quoted = false;
		if (*p == '"') {
			quoted = true;
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1] != '\0')
					p++;
				ss_buf_addc(&b, *p);
			}
			if (*p == '"')
				p++;
		} else {
			while (*p && *p != ',' && *p != '}')
				ss_buf_addc(&b, *p++);
		}
		if (quoted || strcmp(b.s, "NULL") != 0)
			ss_names_add(s, l, b.s, NULL);
		if (*p == ',')
			p++;
	}
	ss_buf_release(&b);
}

static struct ss_table *
table_of(struct ctx *C, PGresult *r, int row)
{
	return ss_map_get(&C->byoid, PQgetvalue(r, row, 0));
}

char *
ss_pg_view_query(struct ss_arena *a, const char *def)
{
	size_t n;

	while (*def == ' ' || *def == '\t' || *def == '\n' || *def == '\r')
		def++;
	n = strlen(def);
	while (n > 0 && strchr(" \t\r\n", def[n - 1]) != NULL)
		n--;
	if (n > 0 && def[n - 1] == ';')
		n--;
	while (n > 0 && strchr(" \t\r\n", def[n - 1]) != NULL)
		n--;
	return ss_arena_strndup(a, def, n);
}

static void
read_relations(struct ctx *C, PGresult *r)
{
	struct ss_table *t;
	struct ss_view *v;
	struct ss_other *o;
	const char *name, *kind, *comment, *parent;
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		name = PQgetvalue(r, i, 1);
		kind = PQgetvalue(r, i, 2);
		comment = val(r, i, 4);
		parent = val(r, i, 6);
		switch (kind[0]) {
		case 'r':
		case 'p':
			if (truth(r, i, 3)) {
				o = ss_schema_add_other(C->s, "partition", name);
				if (parent != NULL)
					o->table = ss_arena_strdup(&C->s->arena,
					    parent);
				break;
			}
			t = ss_schema_add_table(C->s, name);
			if (t == NULL)
				break;
			if (comment != NULL)
				t->comment = ss_arena_strdup(&C->s->arena, comment);
			ss_map_put(&C->byoid, ss_arena_strdup(&C->scratch,
			    PQgetvalue(r, i, 0)), t);
			break;
		case 'v':
		case 'm':
			/* Every view, as a declared view would be; the
			 * caller leaves alone those the files do not
			 * declare (ss_schema_unmanage_views()). */
			if (val(r, i, 7) == NULL ||
			    (v = ss_schema_add_view(C->s, name)) == NULL) {
				o = ss_schema_add_other(C->s, kind[0] == 'v' ?
				    "view" : "materialized view", name);
				if (val(r, i, 7) != NULL)
					o->sql = ss_arena_strdup(&C->s->arena,
					    val(r, i, 7));
				break;
			}
			v->materialized = kind[0] == 'm';
			v->sql = ss_pg_view_query(&C->s->arena, val(r, i, 7));
			break;
		case 'S':
			if (!truth(r, i, 5))
				ss_schema_add_other(C->s, "sequence", name);
			break;
		case 'f':
			ss_schema_add_other(C->s, "foreign table", name);
			break;
		case 'c':
			ss_schema_add_other(C->s, "type", name);
			break;
		}
	}
}

/* "start,increment" of an identity column's sequence into c, where
 * they are not the defaults. */
static void
identity_options(struct ss_column *c, const char *v)
{
	long long start, inc;

	if (v == NULL || sscanf(v, "%lld,%lld", &start, &inc) != 2)
		return;
	c->increment = inc == 1 ? 0 : inc;
	c->has_start = start != ss_identity_start(c);
	c->start = c->has_start ? start : 0;
}

static void
read_columns(struct ctx *C, PGresult *r)
{
	struct ss_buf why = SS_BUF_INIT;
	struct ss_table *t;
	struct ss_column *c;
	const char *type, *def, *identity, *generated;
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		if ((t = table_of(C, r, i)) == NULL)
			continue;
		c = ss_table_add_column(C->s, t, PQgetvalue(r, i, 1));
		type = PQgetvalue(r, i, 2);
		if (truth(r, i, 7)) {
			c->type.kind = SS_TYPE_ENUM;
			c->type.name = ss_arena_strdup(&C->s->arena,
			    PQgetvalue(r, i, 8));
		} else {
			ss_buf_reset(&why);
			if (ss_type_parse(C->s, type, &c->type, &why) < 0) {
				c->type.kind = SS_TYPE_OTHER;
				c->type.len = c->type.scale = -1;
				c->type.name = ss_arena_strdup(&C->s->arena,
				    type);
			}
		}
		c->nullable = !truth(r, i, 3);
		def = val(r, i, 4);
		identity = PQgetvalue(r, i, 5);
		generated = PQgetvalue(r, i, 6);
		if (identity[0] == 'a' || identity[0] == 'd') {
			c->autoincrement = true;
			c->always = identity[0] == 'a';
			identity_options(c, val(r, i, 12));
		} else if (generated[0] != '\0') {
			/* attgenerated 's' (PostgreSQL 18: 'v' too); the
			 * expression is pg_attrdef's. */
			c->generated = ss_arena_strdup(&C->s->arena,
			    def != NULL ? def : "NULL");
			c->stored = generated[0] == 's';
		} else if (def != NULL && truth(r, i, 10) &&
		    strncmp(def, "nextval(", 8) == 0)
			c->autoincrement = c->serial = true;
		else if (def != NULL)
			ss_pg_default_parse(C->s, def, &c->def);
		if (val(r, i, 9) != NULL)
			c->comment = ss_arena_strdup(&C->s->arena, val(r, i, 9));
		if (val(r, i, 11) != NULL)
			c->collation = ss_arena_strdup(&C->s->arena,
			    val(r, i, 11));
	}
	ss_buf_release(&why);
}

static enum ss_fk_action
fk_action(const char *code)
{
	switch (code[0]) {
	case 'r': return SS_FK_RESTRICT;
	case 'c': return SS_FK_CASCADE;
	case 'n': return SS_FK_SET_NULL;
	case 'd': return SS_FK_SET_DEFAULT;
	default: return SS_FK_NO_ACTION;
	}
}

static void
read_constraints(struct ctx *C, PGresult *r)
{
	struct ss_table *t;
	struct ss_key *k;
	struct ss_fk *fk;
	struct ss_check *ck;
	struct ss_other *o;
	const char *name, *ref, *refschema;
	size_t j;
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		if ((t = table_of(C, r, i)) == NULL)
			continue;
		name = PQgetvalue(r, i, 1);
		switch (PQgetvalue(r, i, 2)[0]) {
		case 'p':
			k = ss_arena_alloc(&C->s->arena, sizeof *k);
			k->name = ss_arena_strdup(&C->s->arena, name);
			parse_array(C->s, val(r, i, 3), &k->columns);
			t->pk = k;
			for (j = 0; j < k->columns.n; j++) {
				struct ss_column *c = ss_table_column(t,
				    k->columns.v[j].name);
				if (c != NULL)
					c->primary_key = k->columns.n == 1;
			}
			break;
		case 'u':
			k = ss_table_add_unique(C->s, t);
			k->name = ss_arena_strdup(&C->s->arena, name);
			parse_array(C->s, val(r, i, 3), &k->columns);
			break;
		case 'c':
			ck = ss_table_add_check(C->s, t);
			ck->name = ss_arena_strdup(&C->s->arena, name);
			ck->expr = ss_arena_strdup(&C->s->arena,
			    val(r, i, 9) ? val(r, i, 9) : "");
			ck->no_inherit = truth(r, i, 14);
			break;
		case 'f':
			fk = ss_table_add_fk(C->s, t);
			fk->name = ss_arena_strdup(&C->s->arena, name);
			parse_array(C->s, val(r, i, 3), &fk->columns);
			ref = val(r, i, 4);
			refschema = val(r, i, 5);
			if (ref == NULL)
				ref = "";
			if (refschema != NULL && strcmp(refschema, C->schema) != 0)
				fk->ref_table = ss_arena_printf(&C->s->arena,
				    "%s.%s", refschema, ref);
			else
				fk->ref_table = ss_arena_strdup(&C->s->arena, ref);
			parse_array(C->s, val(r, i, 6), &fk->ref_columns);
			fk->on_delete = fk_action(PQgetvalue(r, i, 7));
			fk->on_update = fk_action(PQgetvalue(r, i, 8));
			fk->deferrable = truth(r, i, 11);
			fk->initially_deferred = truth(r, i, 12);
			fk->match_full = PQgetvalue(r, i, 13)[0] == 'f';
			break;
		case 'x':
			o = ss_schema_add_other(C->s, "exclusion constraint",
			    name);
			o->table = t->name;
			o->sql = ss_arena_strdup(&C->s->arena,
			    PQgetvalue(r, i, 10));
			break;
		}
	}
}

/* Index methods and options: the int2[] or text[] of the keys' options. */
static void
read_index_keys(struct ctx *C, struct ss_index *ix, const char *opts,
    const char *opclasses)
{
	struct ss_names o = { NULL, 0, 0 }, oc = { NULL, 0, 0 };
	struct ss_index_key *k;
	size_t i;
	int v;

	parse_array(C->s, opts, &o);
	parse_array(C->s, opclasses, &oc);
	for (i = 0; i < ix->columns.n; i++) {
		v = i < o.n ? atoi(o.v[i].name) : 0;
		if (v == 0 && (i >= oc.n || oc.v[i].name[0] == '\0'))
			continue;
		k = ss_index_key_set(C->s, ix, i);
		k->desc = (v & 1) != 0;
		/* PostgreSQL's defaults: NULLS LAST ascending, FIRST
		 * descending; only the others are kept. */
		if (!k->desc && (v & 2))
			k->nulls = SS_NULLS_FIRST;
		else if (k->desc && !(v & 2))
			k->nulls = SS_NULLS_LAST;
		if (i < oc.n && oc.v[i].name[0] != '\0')
			k->opclass = oc.v[i].name;
	}
}

/*
 * Whether the expressions (a text[] of index entries, or one predicate
 * when not an array) are SQL that a schema file may hold: one
 * expression as every dialect reads it (ss_sql_check_expr), or the
 * loader would refuse what pull wrote ("ARRAY[...]" reads otherwise
 * in SQLite). Such an index is left alone, shown whole.
 */
static bool
neutral_sql(struct ctx *C, const char *v)
{
	struct ss_names l = { NULL, 0, 0 };
	struct ss_buf why = SS_BUF_INIT;
	struct ss_sqlfrag f;
	bool ok = true;
	size_t i;

	if (v == NULL)
		return true;
	if (v[0] == '{')
		parse_array(C->s, v, &l);
	else
		ss_names_add(C->s, &l, v, NULL);
	for (i = 0; i < l.n && ok; i++)
		ok = ss_sql_check_expr(l.v[i].name, strlen(l.v[i].name),
		    SS_SQLREAD_ALL, &f, &why) == 0 && !f.line_comment;
	ss_buf_release(&why);
	return ok;
}

static void
read_indexes(struct ctx *C, PGresult *r)
{
	struct ss_table *t;
	struct ss_index *ix;
	struct ss_other *o;
	struct ss_key *u;
	size_t j;
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		if ((t = table_of(C, r, i)) == NULL)
			continue;
		if (val(r, i, 12) != NULL) {
			/* The index of a unique constraint read before. */
			for (j = 0; j < t->nuniques; j++) {
				u = &t->uniques[j];
				if (strcmp(u->name, PQgetvalue(r, i, 12)) != 0)
					continue;
				parse_array(C->s, val(r, i, 10), &u->include);
				u->nulls_not_distinct = truth(r, i, 11);
				u->deferrable = truth(r, i, 13);
				u->initially_deferred = truth(r, i, 14);
			}
			continue;
		}
		if (truth(r, i, 5) || !neutral_sql(C, val(r, i, 4)) ||
		    !neutral_sql(C, val(r, i, 3))) {
			o = ss_schema_add_other(C->s, "index",
			    PQgetvalue(r, i, 1));
			o->table = t->name;
			o->sql = ss_arena_strdup(&C->s->arena,
			    PQgetvalue(r, i, 6));
			continue;
		}
		ix = ss_table_add_index(C->s, t);
		ix->name = ss_arena_strdup(&C->s->arena, PQgetvalue(r, i, 1));
		ix->unique = truth(r, i, 2);
		if (val(r, i, 3) != NULL)
			ix->where = ss_arena_strdup(&C->s->arena, val(r, i, 3));
		parse_array(C->s, val(r, i, 4), &ix->columns);
		if (val(r, i, 7) != NULL)
			ix->method = ss_arena_strdup(&C->s->arena, val(r, i, 7));
		read_index_keys(C, ix, val(r, i, 8), val(r, i, 9));
		parse_array(C->s, val(r, i, 10), &ix->include);
		ix->nulls_not_distinct = truth(r, i, 11);
	}
}

static void
read_enums(struct ctx *C, PGresult *r)
{
	struct ss_enum *e;
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		if ((e = ss_schema_add_enum(C->s, PQgetvalue(r, i, 0))) != NULL)
			parse_array(C->s, val(r, i, 1), &e->values);
	}
}

static void
read_others(struct ctx *C, PGresult *r)
{
	struct ss_other *o;
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		o = ss_schema_add_other(C->s, PQgetvalue(r, i, 0),
		    PQgetvalue(r, i, 1));
		if (val(r, i, 2) != NULL)
			o->table = ss_arena_strdup(&C->s->arena, val(r, i, 2));
		if (val(r, i, 3) != NULL)
			o->sql = ss_arena_strdup(&C->s->arena, val(r, i, 3));
	}
}

/* The detections of unmodelled_rules as one statement. */
static void
unmodelled_sql(struct ss_buf *b)
{
	size_t i;

	for (i = 0; i < sizeof unmodelled_rules / sizeof unmodelled_rules[0];
	    i++)
		ss_buf_addf(b, "%sSELECT %zu, q.* FROM (%s) q", i ? " UNION ALL "
		    : "", i, unmodelled_rules[i].sql);
	ss_buf_adds(b, " ORDER BY 2, 1, 3");
}

static void
read_unmodelled(struct ctx *C, PGresult *r)
{
	const struct unmodelled_rule *u;
	const char *table, *obj, *detail, *label;
	size_t rule;
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		rule = (size_t)strtoul(PQgetvalue(r, i, 0), NULL, 10);
		if (rule >= sizeof unmodelled_rules / sizeof unmodelled_rules[0])
			continue;
		u = &unmodelled_rules[rule];
		table = PQgetvalue(r, i, 1);
		obj = val(r, i, 2);
		detail = val(r, i, 3);
		if (obj == NULL)
			label = ss_arena_printf(&C->scratch, "table \"%s\"",
			    table);
		else if (strcmp(u->kind, "column") == 0)
			label = ss_arena_printf(&C->scratch, "column "
			    "\"%s\".\"%s\"", table, obj);
		else
			label = ss_arena_printf(&C->scratch, "%s \"%s\" of "
			    "table \"%s\"", u->kind, obj, table);
		ss_schema_add_unmodelled(C->s, table, label,
		    ss_arena_printf(&C->scratch, u->what, detail ? detail : ""),
		    u->effect);
	}
}

/*
 * Whether a statement of ours runs in a transaction of its own (the
 * connection is idle: BEGIN) or in the caller's (SAVEPOINT); -1 when the
 * connection can run neither (a failed transaction, not connected).
 */
static int
own_transaction(PGconn *conn, bool *own)
{
	switch (PQtransactionStatus(conn)) {
	case PQTRANS_IDLE:
		*own = true;
		return 0;
	case PQTRANS_INTRANS:
		*own = false;
		return 0;
	default:
		return -1;
	}
}

int
ss_pg_introspect(PGconn *conn, const char *schema_name, struct ss_schema *out,
    struct ss_err *err)
{
	static const struct {
		const char *sql;
		const char *what;
		void (*read)(struct ctx *, PGresult *);
	} steps[] = {
		{ q_relations, "tables", read_relations },
		{ q_columns, "columns", read_columns },
		{ q_constraints, "constraints", read_constraints },
		{ q_indexes, "indexes", read_indexes },
		{ q_enums, "enums", read_enums },
		{ q_others, "other objects", read_others },
	};
	struct ss_buf sql = SS_BUF_INIT;
	struct ctx C;
	PGresult *r;
	char *ident = NULL, *lit = NULL;
	bool own_tx;
	size_t i;
	int rc = 0;

	memset(&C, 0, sizeof C);
	C.conn = conn;
	C.schema = schema_name;
	C.s = out;
	C.err = err;
	ss_arena_init(&C.scratch);

	if (own_transaction(conn, &own_tx) < 0) {
		rc = ss_err_set(err, SS_EDB, "introspecting schema '%s': the "
		    "connection is not ready (%s)", schema_name,
		    PQstatus(conn) == CONNECTION_OK ? "in a failed transaction"
		    : "not connected");
		goto out;
	}

	/* Open a snapshot and name the schema first in search_path, so its
	 * types and sequences print unqualified. One round trip. */
	ident = PQescapeIdentifier(conn, schema_name, strlen(schema_name));
	if (ident != NULL)
		lit = PQescapeLiteral(conn, ident, strlen(ident));
	if (ident == NULL || lit == NULL) {
		rc = ss_err_set(err, SS_EDB, "introspecting schema '%s': %s",
		    schema_name, PQerrorMessage(conn));
		goto out;
	}
	ss_buf_addf(&sql, "%s; SELECT pg_catalog.set_config('search_path', "
	    "%s || ', pg_catalog', true)", own_tx ?
	    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" :
	    "SAVEPOINT ss_introspect", lit);
	if ((r = query(&C, sql.s, 0, "the catalog")) == NULL) {
		rc = -SS_EDB;
		goto end;
	}
	PQclear(r);

	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		const char *q = steps[i].sql;
		if (q == q_indexes && PQserverVersion(conn) < 150000)
			q = q_indexes14;
		if ((r = query(&C, q, 1, steps[i].what)) == NULL) {
			rc = -SS_EDB;
			goto end;
		}
		steps[i].read(&C, r);
		PQclear(r);
	}
	ss_buf_reset(&sql);
	unmodelled_sql(&sql);
	if ((r = query(&C, sql.s, 1, "attributes that are not modelled")) ==
	    NULL) {
		rc = -SS_EDB;
		goto end;
	}
	read_unmodelled(&C, r);
	PQclear(r);
end:
	/* Leave the connection as it was found, even after an error. */
	atomic_fetch_add(&nqueries, 1);
	r = PQexec(conn, own_tx ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT "
	    "ss_introspect; RELEASE SAVEPOINT ss_introspect");
	if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == 0)
		rc = ss_err_set(err, SS_EDB, "introspecting schema '%s': "
		    "closing the snapshot: %s", schema_name,
		    PQerrorMessage(conn));
	PQclear(r);
out:
	PQfreemem(ident);
	PQfreemem(lit);
	ss_buf_release(&sql);
	ss_map_release(&C.byoid);
	ss_arena_release(&C.scratch);
	return rc;
}

/* Appends "BEGIN EXECUTE <stmt>; EXCEPTION WHEN OTHERS THEN NULL; END;" */
static void
guarded(struct ss_buf *b, const char *stmt)
{
	ss_buf_adds(b, "BEGIN EXECUTE ");
	ss_pg_quote_literal(b, stmt);
	ss_buf_adds(b, "; EXCEPTION WHEN OTHERS THEN NULL; END;\n");
}

static bool
names_table(const struct ss_table *const *v, size_t n, const struct ss_table *t)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == t)
			return true;
	return false;
}

int
ss_pg_server_canon(PGconn *conn, const struct ss_schema *desired,
    struct ss_pg_canon_req *reqs, size_t n, struct ss_arena *arena,
    struct ss_err *err)
{
	struct ss_buf body = SS_BUF_INIT, stmt = SS_BUF_INIT, sql = SS_BUF_INIT;
	const struct ss_table **tables = NULL;
	size_t ntables = 0, atables = 0, i, j;
	const struct ss_table *t;
	char tag[32];
	unsigned tagn = 0;
	PGresult *r = NULL;
	bool own_tx;
	int rc = 0;

	for (i = 0; i < n; i++)
		reqs[i].stored = NULL;
	if (n == 0)
		return 0;
	if (own_transaction(conn, &own_tx) < 0)
		return ss_err_set(err, SS_EDB, "asking the server to "
		    "canonicalise expressions: the connection is not ready");

	/* The enums, then each table the requests use, in pg_temp. */
	for (i = 0; i < desired->nenums; i++) {
		ss_buf_reset(&stmt);
		ss_buf_adds(&stmt, "CREATE TYPE pg_temp.");
		ss_pg_quote_ident(&stmt, desired->enums[i]->name);
		ss_buf_adds(&stmt, " AS ENUM (");
		for (j = 0; j < desired->enums[i]->values.n; j++) {
			if (j > 0)
				ss_buf_adds(&stmt, ", ");
			ss_pg_quote_literal(&stmt,
			    desired->enums[i]->values.v[j].name);
		}
		ss_buf_addc(&stmt, ')');
		guarded(&body, stmt.s);
	}
	for (i = 0; i < n; i++) {
		t = reqs[i].table;
		if (names_table(tables, ntables, t))
			continue;
		SS_ALLOC_GROW(tables, ntables, atables);
		tables[ntables++] = t;
		ss_buf_reset(&stmt);
		ss_buf_adds(&stmt, "CREATE TEMP TABLE ");
		ss_pg_quote_ident(&stmt, t->name);
		ss_buf_adds(&stmt, " (");
		for (j = 0; j < t->ncolumns; j++) {
			if (j > 0)
				ss_buf_adds(&stmt, ", ");
			ss_pg_quote_ident(&stmt, t->columns[j].name);
			ss_buf_addc(&stmt, ' ');
			ss_pg_type_sql(&stmt, &t->columns[j].type);
		}
		ss_buf_addc(&stmt, ')');
		guarded(&body, stmt.s);
	}
	for (i = 0; i < n; i++) {
		ss_buf_reset(&stmt);
		ss_buf_adds(&stmt, "ALTER TABLE pg_temp.");
		ss_pg_quote_ident(&stmt, reqs[i].table->name);
		if (reqs[i].column != NULL) {
			ss_buf_adds(&stmt, " ALTER COLUMN ");
			ss_pg_quote_ident(&stmt, reqs[i].column);
			ss_buf_addf(&stmt, " SET DEFAULT (%s)", reqs[i].expr);
		} else
			ss_buf_addf(&stmt, " ADD CONSTRAINT ss_canon_%zu CHECK "
			    "(%s) NOT VALID", i, reqs[i].expr);
		guarded(&body, stmt.s);
	}
	/* A dollar-quote tag that the body does not contain. */
	do
		snprintf(tag, sizeof tag, "$ss%u$", tagn++);
	while (strstr(body.s, tag) != NULL);

	ss_buf_addf(&sql, "%s; DO %s BEGIN\n%sEND %s; ", own_tx ? "BEGIN" :
	    "SAVEPOINT ss_canon", tag, body.s, tag);
	/* One row per request: the CHECK's or the default's stored form. */
	ss_buf_adds(&sql, "SELECT k.conname, pg_catalog.pg_get_expr(k.conbin, "
	    "k.conrelid), NULL::name FROM pg_catalog.pg_constraint k WHERE "
	    "k.connamespace = pg_catalog.pg_my_temp_schema() AND k.conname "
	    "LIKE 'ss\\_canon\\_%' UNION ALL SELECT c.relname, "
	    "pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attname FROM "
	    "pg_catalog.pg_attrdef d JOIN pg_catalog.pg_class c ON c.oid = "
	    "d.adrelid JOIN pg_catalog.pg_attribute a ON a.attrelid = "
	    "d.adrelid AND a.attnum = d.adnum WHERE c.relnamespace = "
	    "pg_catalog.pg_my_temp_schema()");
	atomic_fetch_add(&nqueries, 1);
	r = PQexec(conn, sql.s);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = ss_err_set(err, SS_EDB, "asking the server to canonicalise "
		    "expressions: %s", PQerrorMessage(conn));
		goto end;
	}
	for (i = 0; i < (size_t)PQntuples(r); i++) {
		const char *name = PQgetvalue(r, (int)i, 0);
		const char *expr = PQgetvalue(r, (int)i, 1);
		if (PQgetisnull(r, (int)i, 2)) {
			j = (size_t)strtoul(name + strlen("ss_canon_"), NULL, 10);
			if (j < n && reqs[j].column == NULL)
				reqs[j].stored = ss_arena_strdup(arena, expr);
			continue;
		}
		for (j = 0; j < n; j++)
			if (reqs[j].column != NULL &&
			    ss_pg_same_name(reqs[j].table->name, name) &&
			    ss_pg_same_name(reqs[j].column,
			    PQgetvalue(r, (int)i, 2)))
				reqs[j].stored = ss_arena_strdup(arena, expr);
	}
end:
	PQclear(r);
	atomic_fetch_add(&nqueries, 1);
	r = PQexec(conn, own_tx ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT ss_canon; "
	    "RELEASE SAVEPOINT ss_canon");
	if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == 0)
		rc = ss_err_set(err, SS_EDB, "asking the server to canonicalise "
		    "expressions: rolling back: %s", PQerrorMessage(conn));
	PQclear(r);
	free(tables);
	ss_buf_release(&body);
	ss_buf_release(&stmt);
	ss_buf_release(&sql);
	return rc;
}

int
ss_pg_view_canon(PGconn *conn, const char *schema_name,
    const char *const *queries, size_t n, const char **out,
    struct ss_arena *arena, struct ss_err *err)
{
	struct ss_buf body = SS_BUF_INIT, stmt = SS_BUF_INIT, sql = SS_BUF_INIT;
	char tag[32], *ident = NULL, *lit = NULL;
	unsigned tagn = 0;
	PGresult *r = NULL;
	bool own_tx;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < n; i++)
		out[i] = NULL;
	if (n == 0)
		return 0;
	if (own_transaction(conn, &own_tx) < 0)
		return ss_err_set(err, SS_EDB, "asking the server to "
		    "normalise views: the connection is not ready");
	ident = PQescapeIdentifier(conn, schema_name, strlen(schema_name));
	if (ident != NULL)
		lit = PQescapeLiteral(conn, ident, strlen(ident));
	if (ident == NULL || lit == NULL) {
		rc = ss_err_set(err, SS_EDB, "asking the server to normalise "
		    "views: %s", PQerrorMessage(conn));
		goto out;
	}
	for (i = 0; i < n; i++) {
		ss_buf_reset(&stmt);
		ss_buf_addf(&stmt, "CREATE VIEW pg_temp.ss_view_%zu AS %s", i,
		    queries[i]);
		guarded(&body, stmt.s);
	}
	do
		snprintf(tag, sizeof tag, "$ss%u$", tagn++);
	while (strstr(body.s, tag) != NULL);
	ss_buf_addf(&sql, "%s; SELECT pg_catalog.set_config('search_path', "
	    "%s || ', pg_catalog', true); DO %s BEGIN\n%sEND %s; ",
	    own_tx ? "BEGIN" : "SAVEPOINT ss_vcanon", lit, tag, body.s, tag);
	ss_buf_adds(&sql, "SELECT c.relname, pg_catalog.pg_get_viewdef(c.oid) "
	    "FROM pg_catalog.pg_class c WHERE c.relnamespace = "
	    "pg_catalog.pg_my_temp_schema() AND c.relkind = 'v' AND "
	    "c.relname LIKE 'ss\\_view\\_%'");
	atomic_fetch_add(&nqueries, 1);
	r = PQexec(conn, sql.s);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = ss_err_set(err, SS_EDB, "asking the server to normalise "
		    "views: %s", PQerrorMessage(conn));
		goto end;
	}
	for (i = 0; i < (size_t)PQntuples(r); i++) {
		j = (size_t)strtoul(PQgetvalue(r, (int)i, 0) +
		    strlen("ss_view_"), NULL, 10);
		if (j < n)
			out[j] = ss_pg_view_query(arena, PQgetvalue(r, (int)i,
			    1));
	}
end:
	PQclear(r);
	atomic_fetch_add(&nqueries, 1);
	r = PQexec(conn, own_tx ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT "
	    "ss_vcanon; RELEASE SAVEPOINT ss_vcanon");
	if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == 0)
		rc = ss_err_set(err, SS_EDB, "asking the server to normalise "
		    "views: rolling back: %s", PQerrorMessage(conn));
	PQclear(r);
out:
	PQfreemem(ident);
	PQfreemem(lit);
	ss_buf_release(&body);
	ss_buf_release(&stmt);
	ss_buf_release(&sql);
	return rc;
}
