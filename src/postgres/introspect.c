/*
 * PostgreSQL introspection (src/postgres/introspect.h).
 *
 * Design notes:
 *  1. One query per kind of object, each over the whole schema, and
 *     the rows are sorted into tables in C by the table's oid: the
 *     number of queries does not grow with the schema. They go to the
 *     server as one string (the simple protocol runs them in order and
 *     sends each result as it is done), so the whole catalog is one
 *     round trip, and the rows of one query are read while the server
 *     runs the next; a second one reads back what the first found it
 *     needs (the definitions of indexes kept whole) and closes the
 *     snapshot.
 *  2. The schema name is pasted into the queries as a literal quoted by
 *     libpq (PQescapeLiteral), where $1 stands in the texts below.
 *  3. Each catalog row is read once, with no subquery a row where C
 *     can do the work: the queries return key numbers (conkey, indkey,
 *     indclass, indoption, indcollation) and C names them from the
 *     columns it read; what the model has no place for comes from the
 *     same rows (the unmodelled_rules). Deparsing an expression that
 *     names columns (pg_get_expr with a table, pg_get_constraintdef,
 *     pg_get_indexdef) opens the table and builds its cache entry on
 *     the server: only where the model needs the text.
 *  4. Which tables are managed is decided by the tables query (kind,
 *     partition, extension member); the others only read the schema's
 *     ordinary and partitioned tables, and their rows for a table C
 *     does not manage are skipped.
 *  5. Every round trip is counted (ss_pg_query_count()).
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
/* The schema, by name ($1): an InitPlan, one lookup. */
#define NSP \
	"(SELECT ns.oid FROM pg_catalog.pg_namespace ns WHERE ns.nspname = $1)"

/* The schema's ordinary and partitioned tables, not partitions; the
 * extension members among them are skipped in C (not in byoid). */
#define SCHEMA_REL \
	"c.relnamespace = " NSP " AND c.relkind IN ('r','p') AND " \
	"NOT c.relispartition"

/* The pg_class objects that belong to an extension: a hashed subplan,
 * read once through pg_depend_reference_index. */
#define EXT_MEMBERS \
	"(SELECT e.objid FROM pg_catalog.pg_depend e WHERE e.refclassid = " \
	"'pg_catalog.pg_extension'::pg_catalog.regclass AND e.classid = " \
	"'pg_catalog.pg_class'::pg_catalog.regclass AND e.deptype = 'e')"

/* Operator classes that are not their type's default, by oid: an index
 * key's is named when it is one of these. */
static const char q_opclasses[] =
	"SELECT o.oid, CASE WHEN on_.nspname IN ('pg_catalog', $1) THEN "
	"o.opcname::pg_catalog.text ELSE on_.nspname || '.' || o.opcname END "
	"FROM pg_catalog.pg_opclass o JOIN pg_catalog.pg_namespace on_ ON "
	"on_.oid = o.opcnamespace WHERE NOT o.opcdefault";

static const char q_relations[] =
	"SELECT c.oid, c.relname, c.relkind, c.relispartition, "
	/* 4: the comment is q_descriptions' */
	"NULL, "
	/* A sequence owned by a column: one lookup a sequence (a hashed
	 * IN would read every column dependency of the database). */
	"c.relkind = 'S' AND (SELECT true FROM pg_catalog.pg_depend d WHERE "
	"d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND "
	"d.objid = c.oid AND d.refclassid = "
	"'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjsubid > 0 AND "
	"d.deptype IN ('a','i') LIMIT 1) IS NOT NULL, "
	"CASE WHEN c.relispartition THEN (SELECT p.relname FROM "
	"pg_catalog.pg_inherits i JOIN pg_catalog.pg_class p ON "
	"p.oid = i.inhparent WHERE i.inhrelid = c.oid LIMIT 1) END, "
	"CASE WHEN c.relkind IN ('v','m') THEN "
	"pg_catalog.pg_get_viewdef(c.oid) END, "
	/* 8 to 13: the unmodelled_rules of a table. */
	"c.relpersistence = 'u', "
	"pg_catalog.array_to_string(c.reloptions, ', '), "
	"CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) "
	"END, "
	"CASE WHEN c.relkind IN ('r','p') AND c.oid IN (SELECT i.inhrelid "
	"FROM pg_catalog.pg_inherits i) THEN (SELECT pg_catalog.string_agg("
	"i.inhparent::pg_catalog.regclass::pg_catalog.text, ', ' ORDER BY i.inhseqno) "
	"FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid) END, "
	"c.relrowsecurity, "
	"CASE WHEN c.reltablespace <> 0 THEN (SELECT t.spcname FROM "
	"pg_catalog.pg_tablespace t WHERE t.oid = c.reltablespace) END "
	"FROM pg_catalog.pg_class c "
	"WHERE c.relnamespace = " NSP " AND "
	"c.relkind IN ('r','p','v','m','S','f','c') AND "
	"c.oid NOT IN " EXT_MEMBERS " "
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
	"t.typname, NULL, "	/* 9: the comment is q_descriptions' */
	"NULL, "		/* 10: a serial's sequence is q_serials' */
	/* Collations: only one that is not the type's own. */
	"CASE WHEN a.attcollation <> t.typcollation THEN "
	"(SELECT co.collname FROM pg_catalog.pg_collation co WHERE co.oid = "
	"a.attcollation) END, "
	/* An identity column's sequence options. */
	"CASE WHEN a.attidentity <> '' THEN (SELECT s.seqstart || ',' || "
	"s.seqincrement || ',' || s.seqmin || ',' || s.seqmax || ',' || "
	"s.seqcache || ',' || s.seqcycle::pg_catalog.text FROM "
	"pg_catalog.pg_depend d JOIN pg_catalog.pg_sequence s ON "
	"s.seqrelid = d.objid WHERE d.classid = "
	"'pg_catalog.pg_class'::pg_catalog.regclass AND d.refclassid = "
	"'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = a.attrelid "
	"AND d.refobjsubid = a.attnum AND d.deptype = 'i' LIMIT 1) END, "
	/* 13, 14: what constraints and indexes name columns by. */
	"a.attnum, a.attcollation, "
	/* 15 to 18: the unmodelled_rules of a column. */
	"CASE WHEN a.attstorage <> t.typstorage THEN CASE a.attstorage "
	"WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' "
	"ELSE 'EXTENDED' END END, "
	"CASE WHEN a.attcompression <> '' THEN CASE a.attcompression WHEN 'l' "
	"THEN 'lz4' ELSE 'pglz' END END, "
	"CASE WHEN a.attstattarget >= 0 THEN a.attstattarget::pg_catalog.text END, "
	"pg_catalog.array_to_string(a.attoptions, ', ') "
	"FROM pg_catalog.pg_attribute a "
	"JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
	"JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
	"LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND "
	"ad.adnum = a.attnum "
	/* Not sorted: C sorts the rows (by table, then number), which
	 * costs the server a sort of every row. */
	"WHERE " SCHEMA_REL " AND a.attnum > 0 AND NOT a.attisdropped";

/*
 * The columns that own a sequence (a serial's): one pass over pg_depend,
 * read before the columns and matched in C, rather than a lookup a
 * column (a quarter of the columns query at 1,000 tables).
 */
static const char q_serials[] =
	"SELECT d.refobjid, d.refobjsubid FROM pg_catalog.pg_depend d "
	"JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S' "
	"WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND "
	"d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND "
	"d.deptype = 'a' AND d.refobjsubid > 0 AND d.refobjid IN ("
	"SELECT c.oid FROM pg_catalog.pg_class c WHERE " SCHEMA_REL ")";

/*
 * The comments of the schema's tables (objsubid 0) and their columns:
 * one pass over pg_description, matched in C (a join on each column
 * planned as a nested loop when the catalog's statistics are old).
 */
static const char q_descriptions[] =
	"SELECT d.objoid, d.objsubid, d.description "
	"FROM pg_catalog.pg_description d WHERE d.classoid = "
	"'pg_catalog.pg_class'::pg_catalog.regclass AND d.objoid IN ("
	"SELECT c.oid FROM pg_catalog.pg_class c WHERE " SCHEMA_REL ")";

/* The names of the columns numbered in the array keys of table rel, in
 * order: one index lookup each. Only for a foreign key to a table C has
 * not read. */
#define KEY_NAMES(keys, rel) \
	"ARRAY(SELECT (SELECT a.attname FROM pg_catalog.pg_attribute a " \
	"WHERE a.attrelid = " rel " AND a.attnum = u.n) FROM " \
	"pg_catalog.unnest(" keys ") WITH ORDINALITY u(n, o) ORDER BY u.o)"

static const char q_constraints[] =
	"SELECT k.conrelid, k.conname, k.contype, k.conkey, "
	"f.relname, fn.nspname, "
	"CASE WHEN k.contype = 'f' AND (f.relnamespace <> c.relnamespace OR "
	"f.relkind NOT IN ('r','p') OR f.relispartition OR f.oid IN "
	EXT_MEMBERS ") THEN " KEY_NAMES("k.confkey", "k.confrelid") " END, "
	"k.confdeltype, k.confupdtype, "
	"CASE WHEN k.contype = 'c' THEN "
	"pg_catalog.pg_get_expr(k.conbin, k.conrelid) END, "
	/* Deparsing is slow: only for what is shown whole (left alone). */
	"CASE WHEN k.contype = 'x' THEN "
	"pg_catalog.pg_get_constraintdef(k.oid) END, "
	/* Deferrable foreign keys, MATCH FULL, NO INHERIT: 11 to 14. */
	"k.condeferrable, k.condeferred, k.confmatchtype, k.connoinherit, "
	"k.confrelid, k.confkey, k.convalidated, "
	/* 18: a foreign key that sets NULL or the default on delete, whole:
	 * PostgreSQL 15 can name the columns it sets (rare, so the
	 * deparse is cheap). */
	"CASE WHEN k.contype = 'f' AND k.confdeltype IN ('n','d') THEN "
	"pg_catalog.pg_get_constraintdef(k.oid) END "
	"FROM pg_catalog.pg_constraint k "
	"JOIN pg_catalog.pg_class c ON c.oid = k.conrelid "
	"LEFT JOIN pg_catalog.pg_class f ON f.oid = k.confrelid "
	"LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = f.relnamespace "
	"WHERE " SCHEMA_REL " AND "
	"k.contype IN ('p','u','c','f','x') AND k.conparentid = 0";
	/* Sorted in C: by table, type, name. */

/*
 * Every index of the schema's tables, those of primary keys and
 * exclusion constraints too (for what is not modelled): the key
 * numbers, options, operator classes and collations as the catalog
 * keeps them (int2vector, oidvector), named in C; an expression key
 * deparsed (pg_get_indexdef(oid, k)), '' for a column; the index of a
 * unique constraint names it, for what only the index knows (INCLUDE,
 * NULLS NOT DISTINCT). NULLS NOT DISTINCT is PostgreSQL 15's: NND is
 * the column, or false.
 */
#define Q_INDEXES(NND) \
	"SELECT x.indrelid, i.relname, x.indisunique, " \
	"pg_catalog.pg_get_expr(x.indpred, x.indrelid), " \
	"CASE WHEN x.indexprs IS NOT NULL THEN ARRAY(SELECT CASE WHEN " \
	"u.a = 0 THEN pg_catalog.pg_get_indexdef(x.indexrelid, " \
	"u.k::pg_catalog.int4, false) ELSE '' END FROM pg_catalog.unnest(" \
	"x.indkey::pg_catalog.int2[]) WITH ORDINALITY u(a, k) WHERE " \
	"u.k <= x.indnkeyatts ORDER BY u.k) END, " \
	"x.indkey, x.indnkeyatts, NULLIF(am.amname, 'btree'), " \
	"x.indoption, x.indclass, x.indcollation, " \
	NND ", k.conname, k.condeferrable, k.condeferred, k.contype, " \
	"x.indexrelid, pg_catalog.array_to_string(i.reloptions, ', '), " \
	"CASE WHEN i.reltablespace <> 0 THEN (SELECT t.spcname FROM " \
	"pg_catalog.pg_tablespace t WHERE t.oid = i.reltablespace) END " \
	"FROM pg_catalog.pg_index x " \
	"JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid " \
	"JOIN pg_catalog.pg_class c ON c.oid = x.indrelid " \
	"JOIN pg_catalog.pg_am am ON am.oid = i.relam " \
	"LEFT JOIN pg_catalog.pg_constraint k ON k.conindid = x.indexrelid " \
	"AND k.contype IN ('p','u','x') " \
	"WHERE " SCHEMA_REL	/* sorted in C: by table, name */

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
	"NULL::pg_catalog.name, NULL::pg_catalog.text "
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
 * attribute, found in the rows of the queries above (the column given
 * with each). Each becomes an ss_unmodelled that pull and diff -v name,
 * sorted by table, then rule, then object. A new detection is one entry
 * here and its value in a query.
 */
enum {
	UM_UNLOGGED, UM_WITH, UM_PARTITION, UM_INHERITS, UM_RLS,
	UM_TABLESPACE, UM_STORAGE, UM_COMPRESSION, UM_STATISTICS,
	UM_OPTIONS, UM_IDENTITY, UM_NOT_VALID, UM_FK_SET_COLUMNS,
	UM_FK_UNMANAGED,
	UM_INDEX_WITH, UM_INDEX_TABLESPACE
};

static const struct unmodelled_rule {
	const char *kind;	/* what the object names, or "table" */
	const char *what;	/* the attribute; %s is the detail */
	const char *effect;	/* what a pushed copy does instead */
} unmodelled_rules[] = {
	/* q_relations */
	[UM_UNLOGGED] = { "table", "UNLOGGED",
	  "pushed copies will be logged" },
	[UM_WITH] = { "table", "WITH (%s)", "pushed copies will have the "
	  "default storage parameters" },
	[UM_PARTITION] = { "table", "PARTITION BY %s", "pushed copies will "
	  "be plain tables (the partitions are left alone)" },
	[UM_INHERITS] = { "table", "INHERITS (%s)",
	  "pushed copies will not inherit" },
	[UM_RLS] = { "table", "ROW LEVEL SECURITY", "pushed copies will not "
	  "have it enabled (nor its policies)" },
	[UM_TABLESPACE] = { "table", "TABLESPACE %s", "pushed copies will be "
	  "in the default tablespace" },
	/* q_columns */
	[UM_STORAGE] = { "column", "STORAGE %s", "pushed copies will have "
	  "the type's default storage" },
	[UM_COMPRESSION] = { "column", "COMPRESSION %s", "pushed copies will "
	  "use the default compression" },
	[UM_STATISTICS] = { "column", "STATISTICS %s", "pushed copies will "
	  "use default_statistics_target" },
	[UM_OPTIONS] = { "column", "SET (%s)", "pushed copies will not have "
	  "these options" },
	[UM_IDENTITY] = { "column", "identity %s", "pushed copies will have "
	  "the defaults (no cycle, cache 1, the type's range)" },
	/* q_constraints */
	[UM_NOT_VALID] = { "constraint", "NOT VALID", "pushed copies will "
	  "check the rows that are there" },
	[UM_FK_SET_COLUMNS] = { "constraint", "ON DELETE SET %s",
	  "pushed copies will set every column of the key" },
	[UM_FK_UNMANAGED] = { "constraint", "REFERENCES %s (a table of "
	  "another schema, a partition or an extension's, which the files "
	  "cannot name)", "pushed copies will not have it; this one is left "
	  "alone" },
	/* q_indexes */
	[UM_INDEX_WITH] = { "index", "WITH (%s)", "pushed copies will have "
	  "the default storage parameters" },
	[UM_INDEX_TABLESPACE] = { "index", "TABLESPACE %s", "pushed copies "
	  "will be in the default tablespace" },
};

/* An unmodelled attribute found, before sorting. */
struct um {
	const char *table;
	size_t rule;
	const char *object;	/* NULL: the table itself */
	const char *detail;	/* NULL: none */
};

/*
 * A managed table as read: its model, and its columns' numbers and
 * collations (parallel to t->columns), which name the keys of its
 * constraints and indexes.
 */
struct tinfo {
	struct ss_table *t;
	long *attnum;
	unsigned long *coll;
	size_t n, alloc;
};

/* An index kept whole (an other) whose definition is read after. */
struct pending_def {
	size_t other;		/* index in s->others */
	const char *oid;
};

struct ctx {
	PGconn *conn;
	const char *schema;
	struct ss_schema *s;
	struct ss_err *err;
	struct ss_arena scratch;
	struct ss_map byoid;	/* oid text -> struct tinfo * */
	struct ss_map opclass;	/* oid text -> non-default class's name */
	struct um *ums;
	size_t nums, aums;
	struct pending_def *defs;
	size_t ndefs, adefs;
	struct rowkey *serials;	/* q_serials' (table oid, column number) */
	size_t nserials;
	bool lost;		/* a prepared statement was not there */
};

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

/*
 * The whole numbers of an int2vector or oidvector ("1 3") or of an
 * int2[] ({1,3}), into a scratch array; *n their count.
 */
static unsigned long *
parse_numbers(struct ctx *C, const char *p, size_t *n)
{
	unsigned long *v;
	const char *q;
	char *end;
	size_t max = 1;

	*n = 0;
	if (p == NULL)
		return NULL;
	for (q = p; *q; q++)
		max += *q == ' ' || *q == ',';
	v = ss_arena_alloc(&C->scratch, max * sizeof *v);
	while (*p) {
		if ((*p >= '0' && *p <= '9') || *p == '-') {
			v[(*n)++] = (unsigned long)strtol(p, &end, 10);
			p = end;
			continue;
		}
		p++;
	}
	return v;
}

static struct tinfo *
tinfo_of(struct ctx *C, PGresult *r, int row)
{
	return ss_map_get(&C->byoid, PQgetvalue(r, row, 0));
}

/* The name of column number num of a table, or NULL. */
static const char *
column_named(const struct tinfo *ti, long num)
{
	size_t i;

	for (i = 0; i < ti->n; i++)
		if (ti->attnum[i] == num)
			return ti->t->columns[i].name;
	return NULL;
}

/* A row of a result and what it is sorted by. */
struct rowkey {
	int row;
	unsigned long a;	/* an oid */
	long b;			/* a number, or a "char" */
	const char *s;		/* a name, compared as the type name is (C) */
};

static int
rowkey_order(const void *x, const void *y)
{
	const struct rowkey *p = x, *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	if (p->b != q->b)
		return p->b < q->b ? -1 : 1;
	if (p->s != NULL && q->s != NULL)
		return strcmp(p->s, q->s);
	return p->row - q->row;
}

/*
 * The rows of r in the order of ORDER BY column a (an oid), then b (a
 * number, or a "char" when b_char), then s (a name), each -1 for none:
 * the server need not sort what C sorts cheaply. In scratch.
 */
static struct rowkey *
sort_rows(struct ctx *C, PGresult *r, int a, int b, bool b_char, int s)
{
	int i, n = PQntuples(r);
	struct rowkey *k = ss_arena_alloc(&C->scratch,
	    ((size_t)n + 1) * sizeof *k);

	for (i = 0; i < n; i++) {
		k[i].row = i;
		k[i].a = a < 0 ? 0 : strtoul(PQgetvalue(r, i, a), NULL, 10);
		k[i].b = b < 0 ? 0 : b_char ?
		    (long)(unsigned char)PQgetvalue(r, i, b)[0] :
		    strtol(PQgetvalue(r, i, b), NULL, 10);
		k[i].s = s < 0 ? NULL : PQgetvalue(r, i, s);
	}
	if (n > 1)
		qsort(k, (size_t)n, sizeof *k, rowkey_order);
	return k;
}

/* Appends the names of columns keys[0..n) of ti to l (those that are
 * not there are left out, as the NULL of a subquery would be). */
static void
name_keys(struct ctx *C, const struct tinfo *ti, const unsigned long *keys,
    size_t n, struct ss_names *l)
{
	const char *name;
	size_t i;

	for (i = 0; i < n; i++)
		if ((name = column_named(ti, (long)keys[i])) != NULL)
			ss_names_add(C->s, l, name, NULL);
}

static void
add_um(struct ctx *C, const char *table, size_t rule, const char *object,
    const char *detail)
{
	struct um *u;

	SS_ALLOC_GROW(C->ums, C->nums, C->aums);
	u = &C->ums[C->nums++];
	u->table = ss_arena_strdup(&C->scratch, table);
	u->rule = rule;
	u->object = object ? ss_arena_strdup(&C->scratch, object) : NULL;
	u->detail = detail ? ss_arena_strdup(&C->scratch, detail) : NULL;
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
read_opclasses(struct ctx *C, PGresult *r)
{
	int i;

	for (i = 0; i < PQntuples(r); i++)
		ss_map_put(&C->opclass, ss_arena_strdup(&C->scratch,
		    PQgetvalue(r, i, 0)), ss_arena_strdup(&C->scratch,
		    PQgetvalue(r, i, 1)));
}

static void
read_relations(struct ctx *C, PGresult *r)
{
	struct ss_table *t;
	struct ss_view *v;
	struct ss_other *o;
	struct tinfo *ti;
	const char *name, *kind, *parent;
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		name = PQgetvalue(r, i, 1);
		kind = PQgetvalue(r, i, 2);
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
			ti = ss_arena_alloc(&C->scratch, sizeof *ti);
			memset(ti, 0, sizeof *ti);
			ti->t = t;
			ss_map_put(&C->byoid, ss_arena_strdup(&C->scratch,
			    PQgetvalue(r, i, 0)), ti);
			if (truth(r, i, 8))
				add_um(C, name, UM_UNLOGGED, NULL, NULL);
			if (val(r, i, 9) != NULL)
				add_um(C, name, UM_WITH, NULL, val(r, i, 9));
			if (kind[0] == 'p')
				add_um(C, name, UM_PARTITION, NULL,
				    val(r, i, 10));
			if (val(r, i, 11) != NULL)
				add_um(C, name, UM_INHERITS, NULL,
				    val(r, i, 11));
			if (truth(r, i, 12))
				add_um(C, name, UM_RLS, NULL, NULL);
			if (val(r, i, 13) != NULL)
				add_um(C, name, UM_TABLESPACE, NULL,
				    val(r, i, 13));
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

/*
 * "start,increment,min,max,cache,cycle" of an identity column's
 * sequence: start and increment into c, where they are not the
 * defaults; the others, which the model has no place for, recorded as
 * not modelled where they are not the defaults for the column's type
 * (format_type's name) and direction.
 */
static void
identity_options(struct ctx *C, const struct ss_table *t, struct ss_column *c,
    const char *type, const char *v)
{
	long long start, inc, min, max, cache, dmin, dmax;
	char cycle[8] = "";
	struct ss_buf b = SS_BUF_INIT;
	int n;

	if (v == NULL || (n = sscanf(v, "%lld,%lld,%lld,%lld,%lld,%7s", &start,
	    &inc, &min, &max, &cache, cycle)) < 2)
		return;
	c->increment = inc == 1 ? 0 : inc;
	c->has_start = start != ss_identity_start(c);
	c->start = c->has_start ? start : 0;
	if (n < 6)
		return;
	dmax = strcmp(type, "smallint") == 0 ? 32767 :
	    strcmp(type, "integer") == 0 ? 2147483647 : 9223372036854775807LL;
	dmin = inc > 0 ? 1 : -dmax - 1;
	if (inc < 0)
		dmax = -1;
	if (min != dmin)
		ss_buf_addf(&b, " MINVALUE %lld", min);
	if (max != dmax)
		ss_buf_addf(&b, " MAXVALUE %lld", max);
	if (cache != 1)
		ss_buf_addf(&b, " CACHE %lld", cache);
	if (strcmp(cycle, "true") == 0)
		ss_buf_adds(&b, " CYCLE");
	if (b.len > 0)
		add_um(C, t->name, UM_IDENTITY, c->name, b.s + 1);
	ss_buf_release(&b);
}

static void
read_serials(struct ctx *C, PGresult *r)
{
	C->serials = sort_rows(C, r, 0, 1, false, -1);
	C->nserials = (size_t)PQntuples(r);
}

static int
serial_order(const void *x, const void *y)
{
	const struct rowkey *p = x, *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return p->b < q->b ? -1 : p->b > q->b;
}

/* Whether column attnum of table oid owns a sequence (q_serials). */
static bool
owns_sequence(const struct ctx *C, PGresult *r, int row)
{
	struct rowkey k;

	k.a = strtoul(PQgetvalue(r, row, 0), NULL, 10);
	k.b = strtol(PQgetvalue(r, row, 13), NULL, 10);
	return C->nserials > 0 && bsearch(&k, C->serials, C->nserials,
	    sizeof *C->serials, serial_order) != NULL;
}

static void
read_columns(struct ctx *C, PGresult *r)
{
	static const size_t rules[] = { UM_STORAGE, UM_COMPRESSION,
		UM_STATISTICS, UM_OPTIONS };
	struct ss_buf why = SS_BUF_INIT;
	struct rowkey *order = sort_rows(C, r, 0, 13, false, -1);
	struct tinfo *ti;
	struct ss_table *t;
	struct ss_column *c;
	const char *type, *def, *identity, *generated;
	size_t k, m;
	int i, o;

	for (o = 0; o < PQntuples(r); o++) {
		i = order[o].row;
		if ((ti = tinfo_of(C, r, i)) == NULL)
			continue;
		t = ti->t;
		/* A table's rows are together: room for all of its columns
		 * at once, rather than arrays that double and leave their
		 * old copies behind in the model's arena (3 MB at 1,000
		 * tables). */
		m = ti->n;
		if (o == 0 || order[o - 1].a != order[o].a) {
			for (m = 1; o + (int)m < PQntuples(r) &&
			    order[o + (int)m].a == order[o].a; m++)
				;
			ss_table_reserve_columns(C->s, t, t->ncolumns + m);
			m += ti->n;
		}
		c = ss_table_add_column(C->s, t, PQgetvalue(r, i, 1));
		if (ti->n == ti->alloc || m > ti->alloc) {
			size_t a = m > ti->alloc ? m : ti->alloc * 2 + 16;
			long *an = ss_arena_alloc(&C->scratch, a * sizeof *an);
			unsigned long *co = ss_arena_alloc(&C->scratch,
			    a * sizeof *co);
			if (ti->n > 0) {
				memcpy(an, ti->attnum, ti->n * sizeof *an);
				memcpy(co, ti->coll, ti->n * sizeof *co);
			}
			ti->attnum = an;
			ti->coll = co;
			ti->alloc = a;
		}
		ti->attnum[ti->n] = strtol(PQgetvalue(r, i, 13), NULL, 10);
		ti->coll[ti->n++] = strtoul(PQgetvalue(r, i, 14), NULL, 10);
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
			identity_options(C, t, c, type, val(r, i, 12));
		} else if (generated[0] != '\0') {
			/* attgenerated 's' (PostgreSQL 18: 'v' too); the
			 * expression is pg_attrdef's. */
			c->generated = ss_arena_strdup(&C->s->arena,
			    def != NULL ? def : "NULL");
			c->stored = generated[0] == 's';
		} else if (def != NULL && strncmp(def, "nextval(", 8) == 0 &&
		    owns_sequence(C, r, i))
			c->autoincrement = c->serial = true;
		else if (def != NULL)
			ss_pg_default_parse(C->s, def, &c->def);
		if (val(r, i, 11) != NULL)
			c->collation = ss_arena_strdup(&C->s->arena,
			    val(r, i, 11));
		for (k = 0; k < sizeof rules / sizeof rules[0]; k++)
			if (val(r, i, 15 + (int)k) != NULL)
				add_um(C, t->name, rules[k], c->name,
				    val(r, i, 15 + (int)k));
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

/*
 * ON DELETE SET NULL (a) / SET DEFAULT (a): PostgreSQL 15 sets only the
 * columns named; the model's action sets them all.
 */
static void
set_columns(struct ctx *C, const struct ss_table *t, const char *name,
    const char *def)
{
	const char *p;
	size_t n;

	if (def == NULL || (p = strstr(def, "ON DELETE SET ")) == NULL)
		return;
	p += strlen("ON DELETE SET ");
	n = strcspn(p, "(");
	if (p[n] != '(' || (n != 5 && n != 8) ||
	    (strncmp(p, "NULL ", 5) != 0 && strncmp(p, "DEFAULT ", 8) != 0))
		return;
	n += strcspn(p + n, ")");
	if (p[n] == ')')
		n++;
	add_um(C, t->name, UM_FK_SET_COLUMNS, name,
	    ss_arena_strndup(&C->scratch, p, n));
}

/* A foreign key to a table not managed here, as not modelled. */
static void
unmanaged_fk(struct ctx *C, const struct ss_table *t, const char *name,
    const char *refschema, const char *ref, const char *refcols)
{
	struct ss_buf b = SS_BUF_INIT;
	struct ss_names cols;
	size_t j;

	memset(&cols, 0, sizeof cols);
	parse_array(C->s, refcols, &cols);
	if (refschema != NULL && strcmp(refschema, C->schema) != 0)
		ss_buf_addf(&b, "%s.", refschema);
	ss_buf_adds(&b, ref);
	ss_buf_adds(&b, " (");
	for (j = 0; j < cols.n; j++)
		ss_buf_addf(&b, "%s%s", j ? ", " : "", cols.v[j].name);
	ss_buf_addc(&b, ')');
	add_um(C, t->name, UM_FK_UNMANAGED, name, b.s);
	ss_buf_release(&b);
}

static void
read_constraints(struct ctx *C, PGresult *r)
{
	struct tinfo *ti, *ref_ti;
	struct ss_table *t;
	struct ss_key *k;
	struct ss_fk *fk;
	struct ss_check *ck;
	struct ss_other *o;
	const char *name, *ref, *refschema;
	struct rowkey *order = sort_rows(C, r, 0, 2, true, 1);
	unsigned long *keys;
	size_t j, n;
	int i, q;

	for (q = 0; q < PQntuples(r); q++) {
		i = order[q].row;
		if ((ti = tinfo_of(C, r, i)) == NULL)
			continue;
		t = ti->t;
		name = PQgetvalue(r, i, 1);
		keys = parse_numbers(C, val(r, i, 3), &n);
		switch (PQgetvalue(r, i, 2)[0]) {
		case 'p':
			k = ss_arena_alloc(&C->s->arena, sizeof *k);
			k->name = ss_arena_strdup(&C->s->arena, name);
			name_keys(C, ti, keys, n, &k->columns);
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
			name_keys(C, ti, keys, n, &k->columns);
			break;
		case 'c':
			ck = ss_table_add_check(C->s, t);
			ck->name = ss_arena_strdup(&C->s->arena, name);
			ck->expr = ss_arena_strdup(&C->s->arena,
			    val(r, i, 9) ? val(r, i, 9) : "");
			ck->no_inherit = truth(r, i, 14);
			break;
		case 'f':
			ref = val(r, i, 4);
			refschema = val(r, i, 5);
			if (ref == NULL)
				ref = "";
			if (val(r, i, 6) != NULL) {
				/* A table not managed here: the files cannot
				 * name it (pull would write a key the loader
				 * refuses). Left alone, and said. */
				unmanaged_fk(C, t, name, refschema, ref,
				    val(r, i, 6));
				break;
			}
			fk = ss_table_add_fk(C->s, t);
			fk->name = ss_arena_strdup(&C->s->arena, name);
			name_keys(C, ti, keys, n, &fk->columns);
			if (refschema != NULL && strcmp(refschema, C->schema) != 0)
				fk->ref_table = ss_arena_printf(&C->s->arena,
				    "%s.%s", refschema, ref);
			else
				fk->ref_table = ss_arena_strdup(&C->s->arena, ref);
			/* A table read here names its own columns; another's
			 * came named. */
			if (val(r, i, 6) != NULL ||
			    (ref_ti = ss_map_get(&C->byoid,
			    PQgetvalue(r, i, 15))) == NULL)
				parse_array(C->s, val(r, i, 6), &fk->ref_columns);
			else {
				keys = parse_numbers(C, val(r, i, 16), &n);
				name_keys(C, ref_ti, keys, n, &fk->ref_columns);
			}
			fk->on_delete = fk_action(PQgetvalue(r, i, 7));
			set_columns(C, t, name, val(r, i, 18));
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
		if (strchr("cf", PQgetvalue(r, i, 2)[0]) != NULL &&
		    !truth(r, i, 17))
			add_um(C, t->name, UM_NOT_VALID, name, NULL);
	}
}

/* Index methods and options: each key's indoption (1 DESC, 2 NULLS
 * FIRST) and operator class (by oid; named when not the default). */
static void
read_index_keys(struct ctx *C, struct ss_index *ix, const unsigned long *opts,
    size_t nopts, const unsigned long *classes, size_t nclasses)
{
	struct ss_index_key *k;
	const char *oc;
	char oid[24];
	size_t i;
	int v;

	for (i = 0; i < ix->columns.n; i++) {
		v = i < nopts ? (int)opts[i] : 0;
		oc = NULL;
		if (i < nclasses) {
			snprintf(oid, sizeof oid, "%lu", classes[i]);
			oc = ss_map_get(&C->opclass, oid);
		}
		if (v == 0 && oc == NULL)
			continue;
		k = ss_index_key_set(C->s, ix, i);
		k->desc = (v & 1) != 0;
		/* PostgreSQL's defaults: NULLS LAST ascending, FIRST
		 * descending; only the others are kept. */
		if (!k->desc && (v & 2))
			k->nulls = SS_NULLS_FIRST;
		else if (k->desc && !(v & 2))
			k->nulls = SS_NULLS_LAST;
		if (oc != NULL)
			k->opclass = ss_arena_strdup(&C->s->arena, oc);
	}
}

/*
 * Whether the expressions (index entries, or one predicate) are SQL
 * that a schema file may hold: one expression as every dialect reads
 * it (ss_sql_check_expr), or the loader would refuse what pull wrote
 * ("ARRAY[...]" reads otherwise in SQLite). Such an index is left
 * alone, shown whole.
 */
static bool
neutral_sql(const struct ss_names *l)
{
	struct ss_buf why = SS_BUF_INIT;
	struct ss_sqlfrag f;
	bool ok = true;
	size_t i;

	for (i = 0; i < l->n && ok; i++)
		ok = ss_sql_check_expr(l->v[i].name, strlen(l->v[i].name),
		    SS_SQLREAD_ALL, &f, &why) == 0 && !f.line_comment;
	ss_buf_release(&why);
	return ok;
}

/* Whether a key column's collation is not its column's. */
static bool
other_collation(const struct tinfo *ti, const unsigned long *keys,
    size_t nkeys, const unsigned long *colls, size_t ncolls)
{
	size_t i, j;

	for (i = 0; i < nkeys && i < ncolls; i++)
		for (j = 0; keys[i] != 0 && j < ti->n; j++)
			if (ti->attnum[j] == (long)keys[i] &&
			    ti->coll[j] != colls[i])
				return true;
	return false;
}

static void
read_indexes(struct ctx *C, PGresult *r)
{
	/* exprs_used: the entries that are expressions (the others are
	 * columns' names, not SQL: "o'brien" is a column). */
	struct ss_names cols, exprs, exprs_used, pred;
	unsigned long *keys, *opts, *classes, *colls;
	size_t nkeys, nopts, nclasses, ncolls, nkey, j;
	struct pending_def *pd;
	struct tinfo *ti;
	struct ss_table *t;
	struct ss_index *ix;
	struct ss_other *o;
	struct ss_key *u;
	const char *name, *contype, *e;
	struct rowkey *order = sort_rows(C, r, 0, -1, false, 1);
	int i, q;

	for (q = 0; q < PQntuples(r); q++) {
		i = order[q].row;
		if ((ti = tinfo_of(C, r, i)) == NULL)
			continue;
		t = ti->t;
		name = PQgetvalue(r, i, 1);
		contype = val(r, i, 15);
		if (val(r, i, 17) != NULL)
			add_um(C, t->name, UM_INDEX_WITH, name,
			    val(r, i, 17));
		if (val(r, i, 18) != NULL)
			add_um(C, t->name, UM_INDEX_TABLESPACE, name,
			    val(r, i, 18));
		if (contype != NULL && contype[0] != 'u')
			continue;	/* a primary key's, an exclusion's */
		keys = parse_numbers(C, PQgetvalue(r, i, 5), &nkeys);
		nkey = (size_t)strtoul(PQgetvalue(r, i, 6), NULL, 10);
		if (nkey > nkeys)
			nkey = nkeys;
		if (contype != NULL) {
			/* The index of a unique constraint read before. */
			for (j = 0; j < t->nuniques; j++) {
				u = &t->uniques[j];
				if (strcmp(u->name, PQgetvalue(r, i, 12)) != 0)
					continue;
				name_keys(C, ti, keys + nkey, nkeys - nkey,
				    &u->include);
				u->nulls_not_distinct = truth(r, i, 11);
				u->deferrable = truth(r, i, 13);
				u->initially_deferred = truth(r, i, 14);
			}
			continue;
		}
		/* The entries: a column's name, or an expression. */
		memset(&cols, 0, sizeof cols);
		memset(&exprs, 0, sizeof exprs);
		memset(&pred, 0, sizeof pred);
		parse_array(C->s, val(r, i, 4), &exprs);
		memset(&exprs_used, 0, sizeof exprs_used);
		for (j = 0; j < nkey; j++) {
			if (keys[j] != 0)
				e = column_named(ti, (long)keys[j]);
			else if ((e = j < exprs.n ? exprs.v[j].name : NULL) !=
			    NULL)
				ss_names_add(C->s, &exprs_used, e, NULL);
			if (e != NULL)
				ss_names_add(C->s, &cols, e, NULL);
		}
		if (val(r, i, 3) != NULL)
			ss_names_add(C->s, &pred, val(r, i, 3), NULL);
		colls = parse_numbers(C, PQgetvalue(r, i, 10), &ncolls);
		if (val(r, i, 17) != NULL ||
		    other_collation(ti, keys, nkeys, colls, ncolls) ||
		    !neutral_sql(&exprs_used) || !neutral_sql(&pred)) {
			o = ss_schema_add_other(C->s, "index", name);
			o->table = t->name;
			SS_ALLOC_GROW(C->defs, C->ndefs, C->adefs);
			pd = &C->defs[C->ndefs++];
			pd->other = (size_t)(o - C->s->others);
			pd->oid = ss_arena_strdup(&C->scratch,
			    PQgetvalue(r, i, 16));
			continue;
		}
		ix = ss_table_add_index(C->s, t);
		ix->name = ss_arena_strdup(&C->s->arena, name);
		ix->unique = truth(r, i, 2);
		if (val(r, i, 3) != NULL)
			ix->where = ss_arena_strdup(&C->s->arena, val(r, i, 3));
		ix->columns = cols;
		if (val(r, i, 7) != NULL)
			ix->method = ss_arena_strdup(&C->s->arena, val(r, i, 7));
		opts = parse_numbers(C, PQgetvalue(r, i, 8), &nopts);
		classes = parse_numbers(C, PQgetvalue(r, i, 9), &nclasses);
		read_index_keys(C, ix, opts, nopts < nkey ? nopts : nkey,
		    classes, nclasses);
		name_keys(C, ti, keys + nkey, nkeys - nkey, &ix->include);
		ix->nulls_not_distinct = truth(r, i, 11);
	}
}

static void
read_descriptions(struct ctx *C, PGresult *r)
{
	struct tinfo *ti;
	const char **to;
	long sub;
	size_t j;
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		if ((ti = tinfo_of(C, r, i)) == NULL)
			continue;
		sub = strtol(PQgetvalue(r, i, 1), NULL, 10);
		to = sub == 0 ? &ti->t->comment : NULL;
		for (j = 0; to == NULL && j < ti->n; j++)
			if (ti->attnum[j] == sub)
				to = &ti->t->columns[j].comment;
		if (to != NULL)
			*to = ss_arena_strdup(&C->s->arena, PQgetvalue(r, i, 2));
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

/* The definitions of the indexes kept whole: one row an oid. */
static void
read_defs(struct ctx *C, PGresult *r)
{
	size_t j;
	int i;

	for (i = 0; i < PQntuples(r); i++)
		for (j = 0; j < C->ndefs; j++)
			if (strcmp(C->defs[j].oid, PQgetvalue(r, i, 0)) == 0)
				C->s->others[C->defs[j].other].sql =
				    ss_arena_strdup(&C->s->arena,
				    PQgetvalue(r, i, 1));
}

/* By table, then rule, then object (the table's own first). */
static int
um_order(const void *a, const void *b)
{
	const struct um *x = a, *y = b;
	int c;

	if ((c = strcmp(x->table, y->table)) != 0)
		return c;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	if (x->object == NULL || y->object == NULL)
		return (x->object == NULL) - (y->object == NULL);
	return strcmp(x->object, y->object);
}

static void
add_unmodelled(struct ctx *C)
{
	const struct unmodelled_rule *u;
	const struct um *m;
	const char *label;
	size_t i;

	if (C->nums > 1)
		qsort(C->ums, C->nums, sizeof *C->ums, um_order);
	for (i = 0; i < C->nums; i++) {
		m = &C->ums[i];
		u = &unmodelled_rules[m->rule];
		if (m->object == NULL)
			label = ss_arena_printf(&C->scratch, "table \"%s\"",
			    m->table);
		else if (strcmp(u->kind, "column") == 0)
			label = ss_arena_printf(&C->scratch, "column "
			    "\"%s\".\"%s\"", m->table, m->object);
		else
			label = ss_arena_printf(&C->scratch, "%s \"%s\" of "
			    "table \"%s\"", u->kind, m->object, m->table);
		ss_schema_add_unmodelled(C->s, m->table, label,
		    ss_arena_printf(&C->scratch, u->what, m->detail ?
		    m->detail : ""), u->effect);
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

/* Appends sql to b with each $1 replaced by lit. */
static void
add_query(struct ss_buf *b, const char *sql, const char *lit)
{
	const char *p;

	while ((p = strstr(sql, "$1")) != NULL) {
		ss_buf_add(b, sql, (size_t)(p - sql));
		ss_buf_adds(b, lit);
		sql = p + 2;
	}
	ss_buf_adds(b, sql);
	ss_buf_adds(b, ";\n");
}

/*
 * Sends sql (statements separated by ';') and hands each statement's
 * result, in order, to step[i].read (NULL: a command, nothing to
 * read). All results are drained, so the connection is ready after.
 * On an error, err names steps[i].what.
 */
struct step {
	const char *what;
	void (*read)(struct ctx *, PGresult *);
};

static int
run_batch(struct ctx *C, const char *sql, const struct step *steps,
    size_t nsteps)
{
	PGresult *r;
	ExecStatusType st;
	size_t i = 0;
	int rc = 0;

	atomic_fetch_add(&nqueries, 1);
	if (!PQsendQuery(C->conn, sql)) {
		ss_err_set(C->err, SS_EDB, "introspecting schema '%s': "
		    "reading %s: %s", C->schema, steps[0].what,
		    PQerrorMessage(C->conn));
		rc = -SS_EDB;
		goto trim;
	}
	while ((r = PQgetResult(C->conn)) != NULL) {
		st = PQresultStatus(r);
		if (rc == 0 && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
			const char *code = PQresultErrorField(r,
			    PG_DIAG_SQLSTATE);
			C->lost = code != NULL && strcmp(code, "26000") == 0;
			ss_err_set(C->err, SS_EDB, "introspecting schema '%s': "
			    "reading %s: %s", C->schema,
			    steps[i < nsteps ? i : nsteps - 1].what,
			    PQresultErrorMessage(r));
			rc = -SS_EDB;
		} else if (rc == 0 && i < nsteps && steps[i].read != NULL)
			steps[i].read(C, r);
		PQclear(r);
		i++;
	}
	if (rc == 0 && i != nsteps) {
		ss_err_set(C->err, SS_EDB, "introspecting schema '%s': %zu "
		    "answers to %zu statements: %s", C->schema, i, nsteps,
		    PQerrorMessage(C->conn));
		rc = -SS_EDB;
	}
trim:
	/* Drop libpq's trailing newline. */
	while (rc < 0 && C->err->msg.len > 0 &&
	    C->err->msg.s[C->err->msg.len - 1] == '\n')
		ss_buf_truncate(&C->err->msg, C->err->msg.len - 1);
	return rc;
}

/*
 * One reading, with the queries as prepared statements of the session
 * when prepared is not NULL (*prepared: made already). *lost: failed
 * for want of one (SQLSTATE 26000).
 */
static int
introspect_once(PGconn *conn, const char *schema_name, struct ss_schema *out,
    struct ss_err *err, bool *prepared, bool *lost)
{
	static const struct {
		const char *sql;
		struct step step;
	} queries[] = {
		{ q_opclasses, { "operator classes", read_opclasses } },
		{ q_relations, { "tables", read_relations } },
		{ q_serials, { "serial columns", read_serials } },
		{ q_columns, { "columns", read_columns } },
		{ q_descriptions, { "comments", read_descriptions } },
		{ q_constraints, { "constraints", read_constraints } },
		{ q_indexes, { "indexes", read_indexes } },
		{ q_enums, { "enums", read_enums } },
		{ q_others, { "other objects", read_others } },
	};
	/* BEGIN, set_config, DEALLOCATE, then PREPARE and EXECUTE each. */
	struct step steps[3 + 2 * (sizeof queries / sizeof queries[0])];
	struct ss_buf sql = SS_BUF_INIT;
	struct ctx C;
	PGresult *r;
	char *ident = NULL, *lit = NULL, *slit = NULL;
	bool own_tx;
	size_t i, n;
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
	 * types and sequences print unqualified; then every catalog query.
	 * One round trip. JIT off: the catalogs' statistics lag behind a
	 * push that made many tables (autovacuum has not analyzed them
	 * yet), the planner then overestimates the columns query past
	 * jit_above_cost, and compiling it costs more than running it
	 * (40 of 150 ms at 1,000 tables; 60 ms without JIT). */
	ident = PQescapeIdentifier(conn, schema_name, strlen(schema_name));
	if (ident != NULL)
		lit = PQescapeLiteral(conn, ident, strlen(ident));
	slit = PQescapeLiteral(conn, schema_name, strlen(schema_name));
	if (ident == NULL || lit == NULL || slit == NULL) {
		rc = ss_err_set(err, SS_EDB, "introspecting schema '%s': %s",
		    schema_name, PQerrorMessage(conn));
		goto out;
	}
	ss_buf_addf(&sql, "%s;\nSELECT pg_catalog.set_config('search_path', "
	    "%s || ', pg_catalog', true), "
	    "pg_catalog.set_config('jit', 'off', true);\n", own_tx ?
	    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" :
	    "SAVEPOINT ss_introspect", lit);
	steps[0].what = steps[1].what = "the catalog";
	steps[0].read = steps[1].read = NULL;
	n = 2;
	if (prepared != NULL && !*prepared) {
		/* What a failed reading may have left, and the rest. */
		ss_buf_adds(&sql, "DEALLOCATE ALL;\n");
		steps[n].what = "the catalog";
		steps[n++].read = NULL;
	}
	for (i = 0; i < sizeof queries / sizeof queries[0]; i++) {
		const char *q = queries[i].sql == q_indexes &&
		    PQserverVersion(conn) < 150000 ? q_indexes14 :
		    queries[i].sql;
		if (prepared == NULL) {
			add_query(&sql, q, slit);
			steps[n++] = queries[i].step;
			continue;
		}
		if (!*prepared) {
			ss_buf_addf(&sql, "PREPARE ss_introspect_%zu AS ", i);
			add_query(&sql, q, slit);
			steps[n].what = queries[i].step.what;
			steps[n++].read = NULL;
		}
		ss_buf_addf(&sql, "EXECUTE ss_introspect_%zu;\n", i);
		steps[n++] = queries[i].step;
	}
	if ((rc = run_batch(&C, sql.s, steps, n)) < 0) {
		*lost = C.lost;
		goto end;
	}
	if (prepared != NULL)
		*prepared = true;
	add_unmodelled(&C);
	if (C.ndefs > 0) {
		/* The indexes kept whole, shown as the server prints them;
		 * the oids are the server's (digits). */
		ss_buf_reset(&sql);
		ss_buf_adds(&sql, "SELECT u.oid, pg_catalog.pg_get_indexdef(u.oid) "
		    "FROM pg_catalog.unnest('{");
		for (i = 0; i < C.ndefs; i++)
			ss_buf_addf(&sql, "%s%s", i ? "," : "",
			    C.defs[i].oid);
		ss_buf_adds(&sql, "}'::pg_catalog.oid[]) u(oid);\n");
		steps[0].what = "index definitions";
		steps[0].read = read_defs;
		steps[1].what = steps[2].what = "the catalog";
		steps[1].read = steps[2].read = NULL;
		ss_buf_adds(&sql, own_tx ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT "
		    "ss_introspect; RELEASE SAVEPOINT ss_introspect");
		rc = run_batch(&C, sql.s, steps, own_tx ? 2 : 3);
		if (rc == 0)
			goto out;
	}
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
	PQfreemem(slit);
	ss_buf_release(&sql);
	ss_map_release(&C.byoid);
	ss_map_release(&C.opclass);
	free(C.ums);
	free(C.defs);
	ss_arena_release(&C.scratch);
	return rc;
}

int
ss_pg_introspect(PGconn *conn, const char *schema_name, struct ss_schema *out,
    struct ss_err *err, bool *prepared)
{
	bool lost = false;
	int rc;

	rc = introspect_once(conn, schema_name, out, err, prepared, &lost);
	if (rc < 0 && lost && prepared != NULL && *prepared) {
		/* The session lost them (DISCARD ALL, a pooler's other
		 * session): made again, once, from nothing read. */
		*prepared = false;
		ss_schema_release(out);
		ss_schema_init(out);
		ss_buf_reset(&err->msg);
		err->code = 0;
		rc = introspect_once(conn, schema_name, out, err, prepared,
		    &lost);
	}
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
	    "k.conrelid), NULL::pg_catalog.name FROM pg_catalog.pg_constraint "
	    "k WHERE k.connamespace = pg_catalog.pg_my_temp_schema() AND k.conname "
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
