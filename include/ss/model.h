#ifndef SS_MODEL_H
#define SS_MODEL_H
/*
 * The schema model: what the loader builds from YAML files (the desired
 * state) and what introspection builds from a database (the current
 * state). The differ compares two of them.
 *
 * Invariants:
 *  1. Every node lives in its schema's arena; ss_schema_release() frees
 *     them all. Nothing points from one schema into another.
 *  2. Names are kept exactly as written (case and all); comparisons are
 *     byte-wise.
 *  3. Types are canonical (struct ss_type): 'int', 'int4' and 'integer'
 *     are one value; enum references have kind SS_TYPE_ENUM.
 *  4. Column-level shorthands are normalised into table-level objects:
 *     `primary_key: true` fills table->pk, `unique: true` adds to
 *     table->uniques, `references:` adds to table->fks; the column keeps
 *     the flag only so `pull` can write the short form back. Every
 *     constraint and index has a name, generated as PostgreSQL would when
 *     the file gives none (ss_make_object_name()).
 *  5. Lists keep the order of the source (file order, key order), so
 *     output is stable.
 *  6. loc is where the node was written (1-based); introspected nodes
 *     have loc.file == NULL.
 *  7. autoincrement (ids from a sequence) may be on any integer column,
 *     which is then NOT NULL: a PostgreSQL identity column (BY DEFAULT,
 *     or ALWAYS when always is set) or serial, anywhere in a table;
 *     SQLite's AUTOINCREMENT, only on the INTEGER PRIMARY KEY (its
 *     dialect refuses the others when it is asked to push them).
 *
 * This header is pure: no libyaml, libpq, sqlite3 or libuv types.
 */
#include <stdbool.h>
#include <stddef.h>

#include "ss/buf.h"
#include "ss/err.h"
#include "ss/map.h"
#include "ss/mem.h"

/* PostgreSQL's NAMEDATALEN - 1: the longest identifier it keeps. */
#define SS_MAX_IDENT 63

/*
 * The bytes of name an identifier keeps: all of it up to SS_MAX_IDENT
 * bytes, else SS_MAX_IDENT cut back to a UTF-8 character boundary, as
 * PostgreSQL cuts names (and generated names are cut here the same way).
 */
size_t ss_ident_len(const char *name);

enum ss_type_kind {
	SS_TYPE_SMALLINT,
	SS_TYPE_INTEGER,
	SS_TYPE_BIGINT,
	SS_TYPE_REAL,
	SS_TYPE_DOUBLE,
	SS_TYPE_NUMERIC,	/* numeric and decimal */
	SS_TYPE_BOOLEAN,
	SS_TYPE_TEXT,
	SS_TYPE_VARCHAR,
	SS_TYPE_CHAR,
	SS_TYPE_DATE,
	SS_TYPE_TIME,
	SS_TYPE_TIMESTAMP,
	SS_TYPE_TIMESTAMPTZ,
	SS_TYPE_UUID,
	SS_TYPE_JSON,
	SS_TYPE_JSONB,
	SS_TYPE_BYTES,		/* bytea and blob */
	SS_TYPE_ENUM,		/* name is the enum's */
	SS_TYPE_OTHER		/* name is passed to the database verbatim */
};

struct ss_type {
	enum ss_type_kind kind;
	int len;		/* varchar(N)/char(N) N, numeric precision; -1 if none */
	int scale;		/* numeric scale; -1 if none */
	const char *name;	/* SS_TYPE_ENUM / SS_TYPE_OTHER only */
};

enum ss_default_kind {
	SS_DEFAULT_NONE,	/* no default clause */
	SS_DEFAULT_NULL,	/* default: null */
	SS_DEFAULT_BOOL,	/* value is "true" or "false" */
	SS_DEFAULT_NUMBER,	/* value is the number as written */
	SS_DEFAULT_STRING,	/* value is the string, unquoted */
	SS_DEFAULT_SQL		/* value is an SQL expression, verbatim */
};

struct ss_default {
	enum ss_default_kind kind;
	const char *value;	/* NULL for NONE and NULL */
};

enum ss_fk_action {
	SS_FK_NO_ACTION,
	SS_FK_RESTRICT,
	SS_FK_CASCADE,
	SS_FK_SET_NULL,
	SS_FK_SET_DEFAULT
};

/* A name in a list (columns of a key, values of an enum) and where. */
struct ss_name {
	const char *name;
	struct ss_loc loc;
};

struct ss_names {
	struct ss_name *v;
	size_t n, alloc;
};

/*
 * A place in the column's own file (its loc's): a column is one mapping
 * of one file, so its places need no file of their own (a column is
 * 168 bytes rather than 224: 1.3 MB less at the peak of a no-op push at
 * 1,000 tables, where the files' model and the database's are both
 * held). line 0: none.
 */
struct ss_pos {
	int line;
	int col;
};

struct ss_column {
	const char *name;
	struct ss_type type;
	struct ss_default def;
	const char *renamed_from; /* NULL when no hint */
	const char *comment;
	/* Generated columns, identity options and collations. */
	const char *generated;	/* GENERATED ALWAYS AS (this): the expression,
				 * verbatim; NULL for a column that holds
				 * the values written into it */
	const char *collation;	/* COLLATE name, or NULL for the type's
				 * default collation */
	long long start;	/* autoincrement's first value, when has_start */
	long long increment;	/* autoincrement's step; 0 is the default, 1 */
	struct ss_loc loc;	/* the column's key */
	struct ss_pos type_loc;
	struct ss_pos default_loc;
	struct ss_pos renamed_loc;	/* renamed_from's value */
	struct ss_pos autoincrement_loc; /* the `autoincrement` key */
	struct ss_pos generated_loc;	/* the `generated` key */
	struct ss_pos collation_loc;	/* collation's value */
	bool nullable;		/* false whenever autoincrement (invariant 7) */
	bool autoincrement;
	bool always;		/* autoincrement: always, PostgreSQL's GENERATED
				 * ALWAYS, which refuses explicit values */
	bool serial;		/* introspected: autoincrement from a serial's
				 * nextval() default, not an identity */
	bool primary_key;	/* written on the column (see invariant 4) */
	bool unique;		/* written on the column (see invariant 4) */
	bool stored;		/* generated: STORED, else VIRTUAL */
	bool has_start;		/* autoincrement: a start value is given */
};

/* The place p of column c as a full place (its file is c's): out. */
const struct ss_loc *ss_column_loc(const struct ss_column *c, struct ss_pos p,
    struct ss_loc *out);
struct ss_pos ss_pos_of(struct ss_loc l);

/* A primary key or a unique constraint. */
struct ss_key {
	const char *name;
	struct ss_names columns;
	struct ss_loc loc;
	/* Unique constraints as constraints (PostgreSQL keeps them apart
	 * from unique indexes; ON CONFLICT ON CONSTRAINT needs one). */
	struct ss_names include;	/* INCLUDE columns */
	bool nulls_not_distinct;	/* NULLS NOT DISTINCT (PostgreSQL 15) */
	bool deferrable;
	bool initially_deferred;	/* only with deferrable */
};

/* Index methods and options: where NULLs sort in an index entry. */
enum ss_nulls {
	SS_NULLS_DEFAULT,	/* the database's own for the entry's order */
	SS_NULLS_FIRST,
	SS_NULLS_LAST
};

/* Index methods and options: how one entry of an index is kept. */
struct ss_index_key {
	bool desc;		/* DESC; ASC is the default */
	enum ss_nulls nulls;	/* never the default for the order on
				 * PostgreSQL (ss_index_key_normalize()) */
	const char *opclass;	/* operator class, lower case; NULL for the
				 * default of the entry's type */
	bool as_written;	/* loader: written as { column: … }, so the
				 * text is not read for order words */
};

/*
 * An index. A column entry that names no column of the table is an
 * expression ("lower(email)"), kept verbatim; its order (DESC, NULLS
 * LAST) and operator class are in keys, never in the entry's text.
 */
struct ss_index {
	const char *name;
	struct ss_names columns;
	bool unique;
	const char *where;	/* partial index predicate, or NULL */
	struct ss_loc loc;
	/* Index methods and options. */
	struct ss_index_key *keys;	/* one per entry of columns, or NULL
					 * when every entry has the defaults */
	const char *method;	/* "gin", "gist", ... lower case; NULL for
				 * the default (btree) */
	struct ss_names include;	/* INCLUDE columns (PostgreSQL) */
	bool nulls_not_distinct;	/* NULLS NOT DISTINCT (PostgreSQL 15) */
};

struct ss_fk {
	const char *name;
	struct ss_names columns;
	const char *ref_table;
	struct ss_names ref_columns;
	enum ss_fk_action on_delete;
	enum ss_fk_action on_update;
	bool from_column;	/* written as a column's `references:` */
	struct ss_loc loc;
	/* Deferrable foreign keys and MATCH FULL. */
	bool deferrable;	/* DEFERRABLE */
	bool initially_deferred; /* INITIALLY DEFERRED (implies deferrable) */
	bool match_full;	/* MATCH FULL (PostgreSQL); false is MATCH SIMPLE */
	struct ss_loc match_loc;	/* the `match` key, or none */
};

struct ss_check {
	const char *name;
	const char *expr;
	struct ss_loc loc;
	/* CHECK ... NO INHERIT (PostgreSQL). */
	bool no_inherit;
	struct ss_loc no_inherit_loc;	/* the `no_inherit` key, or none */
};

struct ss_table {
	const char *name;
	struct ss_column *columns;
	size_t ncolumns, acolumns;
	struct ss_key *pk;	/* NULL when the table has none */
	struct ss_key *uniques;
	size_t nuniques, auniques;
	struct ss_index *indexes;
	size_t nindexes, aindexes;
	struct ss_fk *fks;
	size_t nfks, afks;
	struct ss_check *checks;
	size_t nchecks, achecks;
	const char *renamed_from;
	const char *comment;
	struct ss_loc loc;
	struct ss_loc renamed_loc;	/* renamed_from's value */
	/* SQLite's table options. */
	bool strict;		/* STRICT */
	bool without_rowid;	/* WITHOUT ROWID */
	struct ss_loc strict_loc;	/* the `strict` key, or none */
	struct ss_loc without_rowid_loc; /* the `without_rowid` key, or none */
};

struct ss_enum {
	const char *name;
	struct ss_names values;	/* in declaration order */
	struct ss_loc loc;
};

/*
 * An object schemasync does not manage (view, trigger, virtual table,
 * function, ...): reported, recreated around SQLite rebuilds, never
 * dropped.
 */
struct ss_other {
	const char *kind;	/* "view", "trigger", ... (singular) */
	const char *name;
	const char *table;	/* the table it depends on, or NULL */
	const char *sql;	/* its definition, or NULL */
};

/*
 * An attribute of a managed object that the database has and the model
 * cannot keep (a table's UNLOGGED, a column's STORAGE, a constraint's
 * NOT VALID): a pushed copy of the object will lack it. Introspection
 * records one for each it sees; the dialects keep their detections in
 * one table each (src/postgres/introspect.c, src/sqlite/introspect.c).
 */
struct ss_unmodelled {
	const char *table;	/* the managed table it belongs to */
	const char *object;	/* how the object is named: table "t",
				 * column "t"."c", index "i" of table "t" */
	const char *what;	/* the attribute as SQL says it: "UNLOGGED" */
	const char *effect;	/* what a pushed copy does instead, or NULL:
				 * "pushed copies will be logged" */
};

/*
 * A view (declared views). From the files: a `views:` entry, its SELECT
 * verbatim; with drop set, the files ask that no view of that name be
 * there (a view the files do not name is never touched, so a declared
 * view that is no longer wanted says so). From a database: every view,
 * its SELECT as the database keeps it; ss_schema_unmanage_views() then
 * turns those the files do not declare into others.
 */
struct ss_view {
	const char *name;
	const char *sql;	/* the SELECT, without a trailing ';'; NULL when drop */
	bool materialized;	/* PostgreSQL's MATERIALIZED VIEW */
	bool drop;		/* `drop: true`: the view must not be there */
	const char *canon;	/* sql as the database would keep it, when a
				 * dialect's prepare hook asked it; compared
				 * instead of sql. NULL: compare sql */
	struct ss_loc loc;	/* the view's key */
	struct ss_loc sql_loc;
	struct ss_loc materialized_loc;	/* the `materialized` key */
};

struct ss_schema {
	struct ss_arena arena;
	struct ss_table **tables;	/* source order */
	size_t ntables, atables;
	struct ss_enum **enums;
	size_t nenums, aenums;
	struct ss_other *others;
	size_t nothers, aothers;
	struct ss_map table_map;	/* name -> struct ss_table * */
	struct ss_map enum_map;		/* name -> struct ss_enum * */
	size_t nfiles;			/* schema files read (loader only) */
	/* Attributes of managed objects that the model has no place for
	 * (introspection only): named by pull and diff -v, never dropped
	 * without a word. */
	struct ss_unmodelled *unmodelled;
	size_t nunmodelled, aunmodelled;
	/* Declared views. */
	struct ss_view **views;		/* source order */
	size_t nviews, aviews;
};

void ss_schema_init(struct ss_schema *s);
void ss_schema_release(struct ss_schema *s);

/* Adding nodes: the name is copied into the arena; the node is zeroed
 * apart from its name. Adding a table or enum whose name exists already
 * returns NULL (the caller reports it). */
struct ss_table *ss_schema_add_table(struct ss_schema *s, const char *name);
struct ss_enum *ss_schema_add_enum(struct ss_schema *s, const char *name);
struct ss_column *ss_table_add_column(struct ss_schema *s, struct ss_table *t,
    const char *name);
struct ss_key *ss_table_add_unique(struct ss_schema *s, struct ss_table *t);
struct ss_index *ss_table_add_index(struct ss_schema *s, struct ss_table *t);
struct ss_fk *ss_table_add_fk(struct ss_schema *s, struct ss_table *t);
struct ss_check *ss_table_add_check(struct ss_schema *s, struct ss_table *t);
struct ss_other *ss_schema_add_other(struct ss_schema *s, const char *kind,
    const char *name);
void ss_names_add(struct ss_schema *s, struct ss_names *l, const char *name,
    const struct ss_loc *loc);

/* Declared views. Adding a view whose name exists already returns NULL. */
struct ss_view *ss_schema_add_view(struct ss_schema *s, const char *name);
struct ss_view *ss_schema_view(const struct ss_schema *s, const char *name);
/*
 * current's views that declared does not name become others of kind
 * "view" or "materialized view" (their SQL kept): unmanaged, reported,
 * never dropped, put before the other others (as the summary counts
 * them). Called on an introspected schema before diffing it.
 * fold_case: names that differ only in ASCII letter case are one name
 * (SQLite).
 */
void ss_schema_unmanage_views(struct ss_schema *current,
    const struct ss_schema *declared, bool fold_case);

/*
 * The unmanaged objects as one phrase, kinds in the order met:
 * "5 views, 30 triggers, 2 indexes". Nothing when there are none.
 */
void ss_schema_others_summary(struct ss_buf *b, const struct ss_schema *s);

/* Records an attribute introspection saw but the model cannot keep;
 * the strings are copied into the arena (effect may be NULL). */
void ss_schema_add_unmodelled(struct ss_schema *s, const char *table,
    const char *object, const char *what, const char *effect);
/* One line, without "warning: ": 'table "t": UNLOGGED is not modelled;
 * pushed copies will be logged'. */
void ss_unmodelled_describe(struct ss_buf *b, const struct ss_unmodelled *u);

/*
 * Keeps the tables for which keep() is true; the others become
 * ss_other nodes of kind "ignored table" (config ignore_tables).
 */
void ss_schema_filter_tables(struct ss_schema *s,
    bool (*keep)(const char *name, void *ctx), void *ctx);

struct ss_table *ss_schema_table(const struct ss_schema *s, const char *name);
struct ss_enum *ss_schema_enum(const struct ss_schema *s, const char *name);
struct ss_column *ss_table_column(const struct ss_table *t, const char *name);
/* The same with ASCII letters folded, as SQLite compares names; NULL
 * for a NULL name. */
struct ss_column *ss_table_column_icase(const struct ss_table *t,
    const char *name);
bool ss_names_has(const struct ss_names *l, const char *name);
bool ss_names_equal(const struct ss_names *a, const struct ss_names *b);
/* The same names, in any order. */
bool ss_names_same_set(const struct ss_names *a, const struct ss_names *b);

/*
 * Types. ss_type_parse() accepts every spelling SPEC section 3 lists and
 * the common aliases (int, int4, int8, float8, bool, character varying,
 * timestamp with time zone, decimal, blob, ...), case-insensitively.
 * Returns 0 with *t filled (name copied into the schema's arena), or -1
 * with why filled for a malformed parameterised type ('varchar(abc)').
 * Any other string is SS_TYPE_OTHER; the loader resolves enum names.
 */
int ss_type_parse(struct ss_schema *s, const char *text, struct ss_type *t,
    struct ss_buf *why);
/* The canonical schema-file spelling: "integer", "varchar(200)", ... */
void ss_type_format(struct ss_buf *b, const struct ss_type *t);
bool ss_type_equal(const struct ss_type *a, const struct ss_type *b);
/* Whether t is enum e, or an array of it (e[], e[][], e[3] or "E"[]:
 * an SS_TYPE_OTHER). */
bool ss_type_uses_enum(const struct ss_type *t, const char *e);
/*
 * Where the last array bracket of the type text s[0..n) begins, "[]"
 * or "[N]"; n when it ends in none.
 */
size_t ss_type_array_suffix(const char *s, size_t n);
bool ss_type_is_integer(const struct ss_type *t);
/* The builtin canonical names, NULL-terminated (for suggestions). */
extern const char *const ss_type_names[];

bool ss_default_equal(const struct ss_default *a, const struct ss_default *b);

/*
 * Identity options: the first value and the step of an autoincrement
 * column as the database keeps them, defaults filled in (increment 1;
 * start 1, or -1 for a descending sequence, as PostgreSQL starts one).
 * Two columns' options are equal when both pairs are.
 */
long long ss_identity_start(const struct ss_column *c);
long long ss_identity_increment(const struct ss_column *c);
bool ss_identity_equal(const struct ss_column *a, const struct ss_column *b);
/* Whether the options are the defaults (nothing to write or emit). */
bool ss_identity_default(const struct ss_column *c);

const char *ss_fk_action_name(enum ss_fk_action a);	/* "cascade", ... */
/* Parses "cascade", "set null", ... (case-insensitive); -1 if unknown. */
int ss_fk_action_parse(const char *s);
extern const char *const ss_fk_action_names[];

/*
 * PostgreSQL's makeObjectName(): name1_name2_label, with name1 and name2
 * shortened (the longer first, never splitting a UTF-8 character) so the
 * whole fits SS_MAX_IDENT bytes. name2 may be NULL. Result in the arena.
 */
char *ss_make_object_name(struct ss_arena *a, const char *name1,
    const char *name2, const char *label);
/*
 * PostgreSQL's ChooseRelationName(): ss_make_object_name(), then with
 * label1, label2, ... in place of label, until taken(name, arg) says the
 * name is free. Result in the arena; the caller claims it.
 */
char *ss_choose_object_name(struct ss_arena *a, const char *name1,
    const char *name2, const char *label,
    bool (*taken)(const char *name, void *arg), void *arg);
/* PostgreSQL's ChooseIndexNameAddition(): names joined by '_', cut after
 * the one that reaches NAMEDATALEN. */
char *ss_names_addition(struct ss_arena *a, const struct ss_names *l);

/* Whether cols are, as a set, the primary key or a unique key of t (a
 * unique constraint, or a unique index that is not partial). */
bool ss_table_is_key(const struct ss_table *t, const struct ss_names *cols);

/*
 * Room for n columns in all (perf): callers that know how many columns
 * a table will have add them without the doubling array leaving its
 * smaller copies behind in the arena.
 */
void ss_table_reserve_columns(struct ss_schema *s, struct ss_table *t,
    size_t n);

/*
 * Index methods and options. ss_index_key() is entry i's options (the
 * defaults when ix->keys is NULL); ss_index_key_set() makes ix->keys
 * (one per entry, defaults) and returns entry i's for writing: call it
 * only once every entry is in ix->columns.
 */
const struct ss_index_key *ss_index_key(const struct ss_index *ix, size_t i);
struct ss_index_key *ss_index_key_set(struct ss_schema *s,
    struct ss_index *ix, size_t i);
/* Whether entry i has only default options. */
bool ss_index_key_plain(const struct ss_index *ix, size_t i);
/* The same options, entry by entry (opclass without case). */
bool ss_index_keys_equal(const struct ss_index *a, const struct ss_index *b);
/*
 * Splits a trailing "[ASC|DESC] [NULLS FIRST|LAST]" off an index entry
 * written as text ("created_at DESC"): returns the length of the rest
 * (trailing white space cut) and sets *desc and *nulls. The words are
 * matched without case and must follow white space.
 */
size_t ss_index_entry_split(const char *entry, bool *desc,
    enum ss_nulls *nulls);
/*
 * Sets to SS_NULLS_DEFAULT every entry's nulls that is where the
 * database puts NULLs anyway for its order: last in ascending order
 * when asc_nulls_last (PostgreSQL), first otherwise (SQLite).
 */
void ss_index_nulls_normalize(struct ss_index *ix, bool asc_nulls_last);

#endif
