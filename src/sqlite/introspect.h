#ifndef SS_SQLITE_INTROSPECT_H
#define SS_SQLITE_INTROSPECT_H
/*
 * Reading a SQLite database into a struct ss_schema (the current state),
 * by inverting the convention of src/sqlite/ddl.c.
 *
 * The whole database is read in a constant number of statements,
 * whatever the number of tables: sqlite_schema once, then sqlite_schema
 * joined with pragma_table_xinfo, pragma_index_list + pragma_index_xinfo
 * and pragma_foreign_key_list. What the pragmas do not say (constraint
 * names, CHECKs, AUTOINCREMENT, partial-index predicates, the boolean and
 * enum CHECKs) comes from the stored CREATE text (ss/sqlparse.h).
 *
 * Managed tables become ss_table nodes; sqlite_* tables are skipped;
 * views, triggers, virtual tables and the shadow tables of virtual tables
 * are recorded with ss_schema_add_other() (kinds "view", "trigger",
 * "virtual table", "shadow table") and never become tables.
 *
 * out must be a freshly initialised schema; on failure it may hold part
 * of the database and must only be released. Returns 0, or -SS_EDB with
 * err saying what was being introspected ("introspecting 'users': ...").
 */
#include <sqlite3.h>

#include "ss/err.h"
#include "ss/model.h"

int ss_sqlite_introspect(sqlite3 *db, struct ss_schema *out,
    struct ss_err *err);

#endif
