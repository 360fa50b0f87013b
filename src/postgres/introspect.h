#ifndef SS_PG_H
#define SS_PG_H
/*
 * PostgreSQL introspection: the live catalog into the model
 * (include/ss/model.h), the current state the differ compares the
 * schema files against. This module talks to the server; the pure parts
 * of the dialect are in ss/pgexpr.h (comparison hooks) and ss/pgddl.h
 * (emission).
 *
 * What is managed: the ordinary and partitioned tables of one schema
 * (not partitions), with their columns, primary keys, unique
 * constraints, checks, foreign keys, btree indexes with default
 * operator classes, comments, and the schema's enums. Everything else
 * in that schema is recorded with ss_schema_add_other() and is never
 * managed, but views and materialized views, which are read into
 * out->views (the caller turns those the files do not declare into
 * others, "view" and "materialized view"), and
 * partitions ("partition", table = the parent), functions, procedures
 * and aggregates, triggers (table = its table), domains (sql = what
 * follows AS in CREATE DOMAIN), composite and
 * range types ("type"), sequences not owned by a column, foreign
 * tables, extensions installed in the schema, exclusion constraints,
 * indexes that use another access method, a non-default operator class
 * or INCLUDE columns ("index", sql = its definition), and generated
 * columns ("generated column", name = table.column, sql = expression;
 * the column itself is kept, without a default). Objects that belong
 * to an extension are left out entirely. Tables of other schemas are
 * ignored.
 *
 * Normalisation, so that a database schemasync created introspects to
 * the model that created it:
 *  - types through format_type() and ss_type_parse(): "character
 *    varying(200)" is varchar(200), "timestamp without time zone"
 *    timestamp; what ss_type_parse() does not know stays SS_TYPE_OTHER,
 *    spelled as format_type() spells it; enums of the schema are
 *    SS_TYPE_ENUM;
 *  - identity columns (BY DEFAULT or ALWAYS, which sets always) and
 *    serial columns (a nextval() default on a sequence the column owns,
 *    which sets serial) are autoincrement with no default, on any
 *    column; a serial column is the same as BY DEFAULT (both take
 *    explicit values), so push leaves it serial unless the files ask
 *    for ALWAYS;
 *  - defaults through ss_pg_default_parse(): 'active'::text is a
 *    string, 0 a number, true a boolean, NULL::text null, the rest SQL
 *    verbatim (now() stays now(); ss_pg_same_default() equates it with
 *    CURRENT_TIMESTAMP);
 *  - a partitioned table is managed as a table (its columns, keys,
 *    indexes, checks and foreign keys); its PARTITION BY clause is not
 *    in the model, so schemasync never creates or changes
 *    partitioning, and its partitions are others;
 *  - a foreign key to a table of another schema names it
 *    "schema.table";
 *  - deferrability, NOT VALID, collations and storage options are not
 *    read.
 *
 * The catalog is read with a fixed number of queries whatever the size
 * of the schema, sent together: two round trips (a snapshot:
 * REPEATABLE READ when the connection is idle, a savepoint inside the
 * caller's transaction otherwise), with
 * search_path set to the schema for the duration so names in it print
 * unqualified.
 */
#include <libpq-fe.h>

#include "ss/err.h"
#include "ss/model.h"

/*
 * Fills out (initialised by the caller, empty) from the schema
 * schema_name. On failure returns -SS_EDB with err saying what was being
 * read; out must then only be released. The connection is left as it
 * was found (idle, or in the caller's transaction).
 *
 * prepared, when not NULL, belongs to the connection (false when it is
 * made): the queries are then prepared statements of its session,
 * made by the first reading and executed by every one after, which
 * then plans nothing (a watcher reads its model after every applied
 * save). A session that lost them gets them again.
 */
int ss_pg_introspect(PGconn *conn, const char *schema_name,
    struct ss_schema *out, struct ss_err *err, bool *prepared);

/*
 * Asking the server. For the expressions the pure normaliser cannot
 * match (ss/pgexpr.h lists why: constants folded with type knowledge,
 * such as '2020-01-01' compared with a timestamp column), the server is
 * asked how it would store each written expression; the answer then
 * compares with what introspection read by ss_pg_same_expr().
 *
 * Each request names a table of the desired model (its columns give the
 * expression's column types), the expression as written, and, for a
 * default, the column. ss_pg_server_canon() builds the desired enums and
 * those tables as temporary objects, adds every expression as a CHECK
 * constraint (or sets it as the column's default), reads them all back
 * and rolls everything back: two round trips for any number of
 * requests, inside the caller's transaction (a savepoint) or in one of
 * its own. A request whose expression the server rejects gets
 * stored == NULL; it does not fail the others. Answers live in arena.
 */
struct ss_pg_canon_req {
	const struct ss_table *table;	/* desired table */
	const char *column;	/* a default for this column, or NULL: CHECK */
	const char *expr;	/* as written */
	const char *stored;	/* out: as the server stores it, or NULL */
};

int ss_pg_server_canon(PGconn *conn, const struct ss_schema *desired,
    struct ss_pg_canon_req *reqs, size_t n, struct ss_arena *arena,
    struct ss_err *err);

/*
 * Declared views. pg_get_viewdef()'s text as the model keeps a view's
 * query: without the white space around it and the ';' at its end.
 */
char *ss_pg_view_query(struct ss_arena *a, const char *def);

/*
 * How the server would keep each of n view queries (the normalised text
 * pg_get_viewdef() gives back, through ss_pg_view_query()): each is
 * created as a temporary view, read back and rolled back, inside the
 * caller's transaction (a savepoint) or one of its own, in two round
 * trips, with search_path as introspection sets it (schema_name, then
 * pg_catalog), so names print alike. out[i] is NULL where the server refuses the query (it reads a
 * table or column the plan has yet to create). Answers live in arena.
 */
int ss_pg_view_canon(PGconn *conn, const char *schema_name,
    const char *const *queries, size_t n, const char **out,
    struct ss_arena *arena, struct ss_err *err);

/*
 * Round trips this module has made to any server since the process
 * started (a string of statements sent at once is one; for --verbose
 * and for tests: read it before and after).
 */
unsigned long ss_pg_query_count(void);

#endif
