#ifndef SS_SQLITE_INTROSPECT_H
#define SS_SQLITE_INTROSPECT_H
/*
 * Reading a SQLite database into a struct ss_schema (the current state),
 * by inverting the convention of src/sqlite/ddl.c.
 *
 * The whole database is read in one statement, sqlite_schema, whatever
 * the number of tables: columns, keys, foreign keys and index keys come
 * from the stored CREATE texts (ss/sqlparse.h), which are what SQLite
 * itself builds its schema from, by SQLite's own rules; a text those
 * rules are not copied for is read from the pragmas (pragma_table_xinfo,
 * pragma_foreign_key_list, pragma_index_xinfo) instead. The text also
 * gives what the pragmas do not say: constraint names, CHECKs,
 * AUTOINCREMENT, partial-index predicates, the boolean and enum CHECKs.
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
/*
 * The self-check: ss_sqlite_introspect() reading the pragmas as well for
 * every table and index whose columns, keys and foreign keys it takes
 * from the CREATE text, -SS_EINTERNAL naming the table (or index) and
 * the field on any difference. ss_sqlite_introspect() does the same
 * when SCHEMASYNC_VERIFY_INTROSPECT is set (and not "0"); the test
 * suite sets it. *fallback (may be NULL): how many tables and indexes
 * the text could not be trusted for and were read from the pragmas.
 */
int ss_sqlite_introspect_verified(sqlite3 *db, struct ss_schema *out,
    size_t *fallback, struct ss_err *err);

#endif
