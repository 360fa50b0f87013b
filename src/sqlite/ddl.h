#ifndef SS_SQLITE_DDL_H
#define SS_SQLITE_DDL_H
/*
 * The SQLite side of the model <-> DDL mapping: CREATE TABLE / CREATE
 * INDEX text for a model table, and the comparisons that decide whether a
 * desired column and an introspected one differ in any way SQLite can
 * tell. The convention both directions keep is written at the top of
 * src/sqlite/ddl.c; src/sqlite/introspect.c inverts it.
 *
 * Pure: models in, text out; no sqlite3 types. Statements are written
 * without a trailing ';'.
 */
#include <stdbool.h>

#include "ss/buf.h"
#include "ss/model.h"

/* "name" with " doubled inside: any string is a safe identifier. */
void ss_sqlite_quote_ident(struct ss_buf *b, const char *name);
/* 'text' with ' doubled inside: any string is a safe literal. */
void ss_sqlite_quote_string(struct ss_buf *b, const char *text);

/* The declared type the convention writes for t: "INTEGER", "TEXT", ...,
 * or an SS_TYPE_OTHER name verbatim. */
const char *ss_sqlite_type_name(const struct ss_type *t);
/* SQLite's affinity of a declared type (its five documented rules):
 * "INTEGER", "TEXT", "BLOB", "REAL" or "NUMERIC". */
const char *ss_sqlite_affinity(const char *declared);

/* The default clause's value as written after DEFAULT, or nothing at
 * all for SS_DEFAULT_NONE. */
void ss_sqlite_default_sql(struct ss_buf *b, const struct ss_default *d);

/*
 * The inverse of ss_sqlite_default_sql() for a DEFAULT clause's text as
 * SQLite keeps it (pragma table_info's dflt_value): 'x' -> string, a
 * decimal number (signed) -> number, NULL -> null, TRUE/FALSE -> bool,
 * a lone name (abc, "abc", [abc]: SQLite's string 'abc') -> string,
 * anything else -> sql, with one outer pair of parentheses removed. A
 * NULL text is no default. Strings are copied into the arena.
 */
void ss_sqlite_default_parse(struct ss_arena *a, const char *text,
    struct ss_default *out);

/* One column definition, as it appears inside CREATE TABLE. s resolves
 * enum values; an enum it does not know gets a bare TEXT column. */
void ss_sqlite_column_def(struct ss_buf *b, const struct ss_schema *s,
    const struct ss_table *t, const struct ss_column *c);
/* CREATE TABLE, multi-line, two-space indent (see the convention). */
void ss_sqlite_create_table(struct ss_buf *b, const struct ss_schema *s,
    const struct ss_table *t);
/* CREATE [UNIQUE] INDEX "name" ON "t" (...) [WHERE expr], one line. */
void ss_sqlite_create_index(struct ss_buf *b, const struct ss_table *t,
    const struct ss_index *ix);

/*
 * Whether a column of type desired, written by the convention, would be
 * the same to SQLite as the current column of type current. Compares by
 * affinity, except that boolean and enum carry a CHECK constraint of
 * their own and so only match a column that has it (the rules are in
 * src/sqlite/ddl.c, "Comparing types").
 */
bool ss_sqlite_same_type(const struct ss_type *desired,
    const struct ss_type *current);
/* Whether the two columns' defaults render to the same SQL (token for
 * token, one outer pair of parentheses ignored); no default and DEFAULT
 * NULL are the same. */
bool ss_sqlite_same_default(const struct ss_column *desired,
    const struct ss_column *current);

#endif
