#ifndef SS_SCHEMAKEYS_H
#define SS_SCHEMAKEYS_H
/*
 * The keys of the schema-file format, written down once. The loader
 * reads by this table (unknown keys and "did you mean" come from it),
 * the writer (pull) writes its names, and tests/test_contrib.c checks
 * that contrib/schemasync.schema.json offers exactly these keys in
 * each place. A new key is one line here, then its meaning in load.c
 * and yamlout.c.
 *
 * X(CONTEXT, KEY, "name"): CONTEXT is where the key may stand.
 */
#define SS_SCHEMA_KEYS(X) \
	X(FILE, TABLES, "tables") \
	X(FILE, ENUMS, "enums") \
	X(TABLE, COLUMNS, "columns") \
	X(TABLE, PRIMARY_KEY, "primary_key") \
	X(TABLE, INDEXES, "indexes") \
	X(TABLE, FOREIGN_KEYS, "foreign_keys") \
	X(TABLE, CHECKS, "checks") \
	X(TABLE, RENAMED_FROM, "renamed_from") \
	X(TABLE, COMMENT, "comment") \
	X(COLUMN, TYPE, "type") \
	X(COLUMN, NULLABLE, "nullable") \
	X(COLUMN, DEFAULT, "default") \
	X(COLUMN, PRIMARY_KEY, "primary_key") \
	X(COLUMN, AUTOINCREMENT, "autoincrement") \
	X(COLUMN, UNIQUE, "unique") \
	X(COLUMN, REFERENCES, "references") \
	X(COLUMN, ON_DELETE, "on_delete") \
	X(COLUMN, ON_UPDATE, "on_update") \
	X(COLUMN, RENAMED_FROM, "renamed_from") \
	X(COLUMN, COMMENT, "comment") \
	/* Generated columns, identity options and collations. */ \
	X(COLUMN, GENERATED, "generated") \
	X(COLUMN, COLLATION, "collation") \
	X(GENERATED, SQL, "sql") \
	X(GENERATED, STORED, "stored") \
	X(AUTOINCREMENT, ALWAYS, "always") \
	X(AUTOINCREMENT, START, "start") \
	X(AUTOINCREMENT, INCREMENT, "increment") \
	X(INDEX, COLUMNS, "columns") \
	X(INDEX, UNIQUE, "unique") \
	X(INDEX, WHERE, "where") \
	X(FK, COLUMNS, "columns") \
	X(FK, REFERENCES, "references") \
	X(FK, ON_DELETE, "on_delete") \
	X(FK, ON_UPDATE, "on_update") \
	X(REF, TABLE, "table") \
	X(REF, COLUMNS, "columns") \
	X(DEFAULT, SQL, "sql") \
	/* Deferrable foreign keys, MATCH FULL, NO INHERIT, SQLite's table \
	 * options. */ \
	X(FK, DEFERRABLE, "deferrable") \
	X(FK, INITIALLY_DEFERRED, "initially_deferred") \
	X(FK, MATCH, "match") \
	X(CHECK, SQL, "sql") \
	X(CHECK, NO_INHERIT, "no_inherit") \
	X(TABLE, STRICT, "strict") \
	X(TABLE, WITHOUT_ROWID, "without_rowid") \
	/* Index methods and options; unique constraints as constraints. */ \
	X(INDEX, USING, "using") \
	X(INDEX, INCLUDE, "include") \
	X(INDEX, NULLS_NOT_DISTINCT, "nulls_not_distinct") \
	X(INDEX, CONSTRAINT, "constraint") \
	X(INDEX, DEFERRABLE, "deferrable") \
	X(INDEX, INITIALLY_DEFERRED, "initially_deferred") \
	X(ENTRY, COLUMN, "column") \
	X(ENTRY, OPCLASS, "opclass") \
	X(ENTRY, ORDER, "order") \
	X(ENTRY, NULLS, "nulls") \
	/* Declared views. */ \
	X(FILE, VIEWS, "views") \
	X(VIEW, SQL, "sql") \
	X(VIEW, MATERIALIZED, "materialized") \
	X(VIEW, DROP, "drop")

/* Where a key may stand: a file's top, a table, a column, ... */
enum ss_key_ctx {
	SS_KCTX_FILE,
	SS_KCTX_TABLE,
	SS_KCTX_COLUMN,
	SS_KCTX_INDEX,
	SS_KCTX_FK,
	SS_KCTX_REF,		/* a foreign key's references: { table, columns } */
	SS_KCTX_DEFAULT,	/* default: { sql: … } */
	SS_KCTX_CHECK,		/* a check's long form: { sql: …, no_inherit: … } */
	SS_KCTX_ENTRY,		/* an index entry: { column: …, order: … } */
	SS_KCTX_GENERATED,	/* generated: { sql: …, stored: … } */
	SS_KCTX_AUTOINCREMENT,	/* autoincrement: { always, start, increment } */
	SS_KCTX_VIEW,		/* a view of views: */
	SS_KCTX_MAX
};

enum ss_skey {
#define X(C, K, n) SS_KEY_##C##_##K,
	SS_SCHEMA_KEYS(X)
#undef X
	SS_KEY_MAX		/* also: no such key */
};

/* The name of a key: ss_skey_name(SS_KEY_COLUMN_TYPE) is "type". */
const char *ss_skey_name(enum ss_skey k);
/* The key name names in ctx, or SS_KEY_MAX. */
enum ss_skey ss_skey_find(enum ss_key_ctx ctx, const char *name);
/* The names of ctx's keys into out (SS_KEY_MAX + 1 slots), NULL-terminated
 * (for "did you mean"). */
void ss_skey_names(enum ss_key_ctx ctx, const char **out);

#endif
