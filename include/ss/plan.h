#ifndef SS_PLAN_H
#define SS_PLAN_H
/*
 * The plan: the changes that take the current model to the desired one
 * (SPEC section 4), their classes, which are held, and their order.
 *
 * Life of a plan (every step pure; only step 2 needs the database):
 *
 *   1. ss_diff() (diff.h) fills a plan with changes, in model order.
 *   2. ss_plan_count_requests() lists the counts classification needs
 *      (rows in a table, NULLs in a column, ...); the database layer
 *      fills in each request's count.
 *   3. ss_plan_classify() sets class, count and detail of every change.
 *   4. ss_plan_order() puts the changes in an order in which every
 *      statement is valid when it runs; it may append add_foreign_key
 *      changes to break a cycle of new tables.
 *   5. ss_plan_hold() marks what must not run now: classes not
 *      accepted, and every change that depends on a held one.
 *
 * Invariants:
 *  1. A plan borrows from both models: every node pointer and most names
 *     point into the desired or the current schema, which must outlive
 *     the plan. Everything else lives in the plan's arena;
 *     ss_plan_release() frees it all.
 *  2. Names in a change are the names the statement uses when it runs,
 *     after every rename of the plan: `table` is the table's desired
 *     name when the table is in the desired model (it has been renamed
 *     by then), its current name otherwise. `cur_table`/`cur_column` are
 *     the names in the database now (used to count data).
 *  3. Unanswered rename candidates are changes of op rename_table or
 *     rename_column with class SS_CLASS_AMBIGUOUS (`candidate` is set);
 *     they are never applied. The caller asks the user, then diffs
 *     again with the answers (struct ss_diff_opts).
 *  4. Changes are allocated one by one, so a struct ss_change pointer
 *     stays valid while the plan grows or is reordered.
 *  5. A create_table carries its columns, primary key, unique
 *     constraints, checks and foreign keys (less deferred_fks); its
 *     indexes follow as create_index changes. A drop_table takes
 *     everything of its table with it; foreign keys of other tables
 *     that point at it are drop_foreign_key changes of their own.
 *  6. Unique constraints (table->uniques, `unique: true`) are
 *     add_unique / drop_unique; unique indexes (indexes with `unique:
 *     true`, possibly partial or on expressions) are create_index /
 *     drop_index. The differ treats a constraint and a plain unique
 *     index of one name and columns as the same object.
 *
 * Asking about candidates (watch, push on a terminal):
 *
 *     for each change c with c->candidate:
 *         ss_change_describe(&b, c)      "rename column users.email → users.user_email"
 *         yes -> ss_rename_of_change(c, &r), add r to opts.renames
 *         no  -> ss_rename_of_change(c, &r), add r to opts.rejected
 *     then diff again. Without a terminal, exit 3 with
 *     ss_change_rename_hint() for each: both ways to answer.
 */
#include <stdbool.h>
#include <stddef.h>

#include "ss/buf.h"
#include "ss/err.h"
#include "ss/mem.h"
#include "ss/model.h"

/* X(NAME, name): the ops of SPEC section 4, plus add_unique/drop_unique
 * for unique constraints (table->uniques), which the model keeps apart
 * from unique indexes, and set_comment: a table's comment (column NULL)
 * or a column's, added, changed or removed (d_ / c_ nodes give both);
 * alter_foreign_key: a foreign key's DEFERRABLE / INITIALLY DEFERRED
 * (d_fk and c_fk); alter_table: SQLite's table options, STRICT and
 * WITHOUT ROWID (d_table and c_table), which only a rebuild changes. */
#define SS_OP_MAP(X) \
	X(CREATE_TABLE, create_table) \
	X(DROP_TABLE, drop_table) \
	X(RENAME_TABLE, rename_table) \
	X(ADD_COLUMN, add_column) \
	X(DROP_COLUMN, drop_column) \
	X(RENAME_COLUMN, rename_column) \
	X(ALTER_COLUMN, alter_column) \
	X(CREATE_INDEX, create_index) \
	X(DROP_INDEX, drop_index) \
	X(ADD_FOREIGN_KEY, add_foreign_key) \
	X(DROP_FOREIGN_KEY, drop_foreign_key) \
	X(ADD_CHECK, add_check) \
	X(DROP_CHECK, drop_check) \
	X(ADD_PRIMARY_KEY, add_primary_key) \
	X(DROP_PRIMARY_KEY, drop_primary_key) \
	X(ADD_UNIQUE, add_unique) \
	X(DROP_UNIQUE, drop_unique) \
	X(CREATE_ENUM, create_enum) \
	X(ADD_ENUM_VALUE, add_enum_value) \
	X(DROP_ENUM_VALUE, drop_enum_value) \
	X(DROP_ENUM, drop_enum) \
	/* PostgreSQL: the enum's values, all kept, in another order. */ \
	X(REORDER_ENUM, reorder_enum) \
	X(SET_COMMENT, set_comment) \
	X(ALTER_FOREIGN_KEY, alter_foreign_key) \
	X(ALTER_TABLE, alter_table) \
	/* Unique constraints as constraints: a new name, kept in step. */ \
	X(RENAME_UNIQUE, rename_unique) \
	/* Declared views: object is the view, table NULL. */ \
	X(CREATE_VIEW, create_view) \
	X(DROP_VIEW, drop_view)

enum ss_op {
#define X(N, n) SS_OP_##N,
	SS_OP_MAP(X)
#undef X
	SS_OP_MAX
};

/* "create_table", ... (SPEC section 5's JSON "op"). */
extern const char *const ss_op_names[];
const char *ss_op_name(enum ss_op op);

/* X(NAME, name), mildest first: a plan's worst class is the maximum. */
#define SS_CLASS_MAP(X) \
	X(SAFE, safe) \
	X(DESTRUCTIVE, destructive) \
	X(UNEXECUTABLE, unexecutable) \
	X(AMBIGUOUS, ambiguous)

enum ss_class {
#define X(N, n) SS_CLASS_##N,
	SS_CLASS_MAP(X)
#undef X
	SS_CLASS_MAX
};

extern const char *const ss_class_names[];
const char *ss_class_name(enum ss_class c);

/* What an alter_column changes. */
enum ss_alter_flags {
	SS_ALTER_TYPE = 1 << 0,
	SS_ALTER_NULLABLE = 1 << 1,	/* set or drop NOT NULL */
	SS_ALTER_DEFAULT = 1 << 2,	/* set, change or drop the default */
	SS_ALTER_AUTOINCREMENT = 1 << 3,	/* identity / autoincrement on or off,
					 * or always <-> true */
	/* Generated columns, identity options and collations. */
	SS_ALTER_GENERATED = 1 << 4,	/* generated or not, its expression, or
					 * stored <-> virtual */
	SS_ALTER_IDENTITY = 1 << 5,	/* autoincrement's start or increment */
	SS_ALTER_COLLATION = 1 << 6	/* the column's collation */
};

struct ss_change {
	enum ss_op op;
	enum ss_class class;
	unsigned alter;		/* enum ss_alter_flags, alter_column only */
	const char *table;	/* name when it runs (invariant 2); NULL for enum ops */
	const char *column;	/* column ops: name when it runs */
	const char *object;	/* index, key, fk, check or enum name; enum value for *_enum_value */
	const char *old_name;	/* renames: the table's or column's old name */
	const char *cur_table;	/* the table's name in the database now, or NULL if new */
	const char *cur_column;	/* the column's name in the database now, or NULL */

	/* Nodes (NULL where the side has none). d_ from desired, c_ from current. */
	const struct ss_table *d_table, *c_table;
	const struct ss_column *d_column, *c_column;
	const struct ss_index *d_index, *c_index;
	const struct ss_key *d_key, *c_key;	/* primary key or unique constraint */
	const struct ss_fk *d_fk, *c_fk;
	const struct ss_check *d_check, *c_check;
	const struct ss_enum *d_enum, *c_enum;

	bool candidate;		/* an unanswered rename candidate (invariant 3) */
	const char *literal_to;	/* a drop that a rename candidate to this name
				 * would have avoided: the files were read
				 * literally (--accept-data-loss) */
	bool held;		/* set by ss_plan_hold(): not applied now */
	const struct ss_change *held_by; /* the held change this one waits for, or NULL */
	struct ss_change *pair;	/* the other half of a drop + re-create of one object */

	/* create_table: foreign keys left out of CREATE TABLE because
	 * ss_plan_order() adds them afterwards (a cycle of new tables). */
	const struct ss_fk **deferred_fks;	/* ss_change_defers() */
	size_t ndeferred_fks;

	long count;		/* the count the class rests on (a candidate: what
				 * its drop would lose); -1 unknown or none */
	const char *detail;	/* "42 non-null values", or NULL */
	const char *fix;	/* unexecutable for the dialect's own reason
				 * (dialect.h, measure): how to fix it; else
				 * NULL and ss_change_fix() goes by op */
	long rows;		/* rows of the table now, counted up to a bound
				 * by the dialect's measure (SQLite: how a
				 * rebuild copies them); -1 not counted */

	/* Private to plan.c. */
	size_t seq;		/* model order: position when added */
	int mark;		/* scratch for ss_plan_order() */
	size_t req_first, req_n; /* this change's count requests */
	struct ss_change **deps; /* changes that must run before this one */
	size_t ndeps, adeps;

	/* Declared views: create_view's d_view, drop_view's c_view (and its
	 * d_view when the files say `drop: true`). */
	const struct ss_view *d_view, *c_view;
	const char *because;	/* a view re-created with its SQL unchanged:
				 * why ("table users changes") */
	struct ss_change *because_of; /* ...and the table's change that
				 * breaks it: it runs between the two, and
				 * is held with them */
};

/*
 * A number classification needs from the database. Table and column
 * names are those in the database now (before the plan runs).
 */
enum ss_count_kind {
	SS_COUNT_ROWS,		/* rows in table */
	SS_COUNT_NONNULL,	/* rows where column IS NOT NULL */
	SS_COUNT_NULLS,		/* rows where column IS NULL */
	SS_COUNT_DUPLICATES,	/* rows (all of columns non-null, matching
				 * where) whose columns' values another such
				 * row has too */
	SS_COUNT_LOSSY,		/* non-null values of column that a change from
				 * type from to type to would not keep */
	SS_COUNT_ENUM_VALUE,	/* rows where column = value */
	SS_COUNT_CHECK,		/* rows where NOT (expr) */
	SS_COUNT_FK,		/* rows whose columns are all non-null and
				 * match no row of ref_table(ref_columns) */
	SS_COUNT_STRICT,	/* rows of table holding a value in one of
				 * columns that a STRICT column of type
				 * types[i] would refuse (SQLite) */
	SS_COUNT_ENUM_IN_ARRAY	/* rows whose array column holds value
				 * (PostgreSQL: an array of an enum) */
};

struct ss_count_request {
	enum ss_count_kind kind;
	const char *table;
	const char *column;	/* NONNULL, NULLS, LOSSY, ENUM_VALUE,
				 * ENUM_IN_ARRAY */
	const char *const *columns; /* DUPLICATES, FK: ncolumns names or expressions */
	size_t ncolumns;
	const char *where;	/* DUPLICATES: partial index predicate, or NULL */
	const char *having;	/* DUPLICATES: only the groups where this
				 * aggregate condition holds, or NULL */
	const struct ss_type *from, *to; /* LOSSY */
	const struct ss_enum *to_enum;	/* LOSSY into an enum: the values kept */
	const char *value;	/* ENUM_VALUE, ENUM_IN_ARRAY */
	const char *expr;	/* CHECK */
	const char *ref_table;	/* FK */
	const char *const *ref_columns;	/* FK: ncolumns names */
	struct ss_change *change; /* the change that asks */
	long count;		/* filled by the caller; -1 (the default) unknown */
	long failing;		/* LOSSY, filled with count: of those values, how
				 * many the cast refuses ('abc' to integer), which
				 * become NULL (or the default); -1 (the default)
				 * when the dialect does not say */
	bool no_cast;		/* LOSSY, filled with count: the database has no
				 * cast from -> to at all (bigint to uuid) */
	const struct ss_type *const *types; /* STRICT: ncolumns desired types */
	const char *unless;	/* LOSSY, or NULL: an SQL condition on a row
				 * of the table (named by the table's name);
				 * the rows where it holds are not counted
				 * (undo: those whose values come back) */
	long narrowed;		/* LOSSY counted again with the engine's
				 * narrow hook's unless (engine.h); -1 (the
				 * default) not counted so, or unknown. count
				 * stays the whole column's: the SQL goes by it */
};

struct ss_plan {
	struct ss_arena arena;
	struct ss_change **v;	/* the changes: model order, then ss_plan_order()'s */
	size_t n, alloc;
	struct ss_count_request *reqs;	/* built by ss_plan_count_requests() */
	size_t nreqs, areqs;
	const struct ss_schema *desired, *current; /* borrowed */
	bool enum_types;	/* the dialect has enum types (from ss_diff_opts) */
	bool forward_fks;	/* CREATE TABLE may reference later tables (ditto) */
	bool affinity_types;	/* a type change keeps what LOSSY does not count (ditto) */
	bool values_used;	/* the enum values it adds are written after
				 * it, in its transaction (ditto): PostgreSQL
				 * makes them usable at once */
	bool reqs_built, deps_built;
};

void ss_plan_init(struct ss_plan *p);
/* Whether create_table c leaves foreign key fk to ss_plan_order() (it
 * is among c's deferred_fks). */
bool ss_change_defers(const struct ss_change *c, const struct ss_fk *fk);
void ss_plan_release(struct ss_plan *p);
/* A zeroed change (count -1) appended to the plan. */
struct ss_change *ss_plan_add(struct ss_plan *p, enum ss_op op);

/*
 * The counts classification needs, one request per number; *reqs points
 * into the plan (valid until the plan is released). Fill each count
 * (leave -1 when it cannot be had) before ss_plan_classify(). Calling
 * it again returns the same requests.
 */
size_t ss_plan_count_requests(struct ss_plan *p, struct ss_count_request **reqs);

/*
 * Sets class, count and detail of every change from the counts (SPEC
 * section 4). An unknown count (-1) where data would be lost or a
 * statement would fail is taken as "there may be data": the change is
 * destructive or unexecutable, detail says the count is unknown. An
 * unknown count of rows violating a new check or foreign key is taken
 * as none (the transaction fails and rolls back if there are some).
 */
void ss_plan_classify(struct ss_plan *p);

/*
 * Orders the plan (rules: the notes opening src/plan.c). Fails only on
 * a dependency cycle it cannot break (a bug in the diff), with
 * -SS_EINTERNAL.
 */
int ss_plan_order(struct ss_plan *p, struct ss_err *err);

/* A set of classes: 1 << SS_CLASS_SAFE | 1 << SS_CLASS_DESTRUCTIVE. */
#define SS_ACCEPT(c) (1u << (c))

/*
 * Marks held every change whose class is not in accept (unexecutable
 * and ambiguous changes are always held, whatever accept says) and every
 * change that depends on a held one (a column added under the name of a
 * dropped one, an index on a held column, anything on a table whose
 * rename is unanswered, the re-create of an object whose drop is
 * held and the other way round). Clears earlier holds first. Returns how
 * many changes are held.
 */
size_t ss_plan_hold(struct ss_plan *p, unsigned accept);

/* The worst class among the changes (SS_CLASS_SAFE for an empty plan). */
enum ss_class ss_plan_worst(const struct ss_plan *p);

/*
 * One line for a change, without its sign:
 *   "add column users.age", "drop table legacy (1,204 rows)",
 *   "rename column users.email → users.user_email",
 *   "alter column users.age: type integer → bigint, set not null (3 rows have NULL)".
 */
void ss_change_describe(struct ss_buf *b, const struct ss_change *c);
/* SPEC section 5: "+" safe add, "~" change, "-" safe drop, "!"
 * destructive, "✗" unexecutable, "?" ambiguous. */
const char *ss_change_sign(const struct ss_change *c);

/*
 * For a candidate: the question that offers both answers, r (rename),
 * c (create the new, drop the old, with what that loses) and s (skip):
 * "column users.bio → users.phone: r = rename it (keeps its values),
 * c = add phone and drop bio (3 non-null values lost), s = skip (hold
 * the column)?".
 */
void ss_change_choice(struct ss_buf *b, const struct ss_change *c);

/* For a rename change: the --rename argument that answers it,
 * "users=people" or "users.email=user_email". */
void ss_change_rename_arg(struct ss_buf *b, const struct ss_change *c);
/* For a candidate: how to answer it without a terminal, naming both ways:
 * "add 'renamed_from: email' to column users.user_email, or pass
 * --rename users.email=user_email". */
void ss_change_rename_hint(struct ss_buf *b, const struct ss_change *c);

/*
 * The plan as text, one line per change in plan order: class, sign and
 * description. Two plans with the same digest ask the same question, so
 * watch can tell whether the plan a user answered is still the plan.
 */
void ss_plan_digest(struct ss_buf *b, const struct ss_plan *p);

/*
 * For an unexecutable change: how to make it run, one phrase:
 * "fill the NULLs first (UPDATE "users" SET "email" = … WHERE "email"
 * IS NULL; a default does not fill rows that are there), or keep it
 * nullable".
 */
void ss_change_fix(struct ss_buf *b, const struct ss_change *c);

/*
 * Where in the schema files a change comes from: the column, index,
 * key, foreign key, check or enum it creates or changes, or for a drop
 * the table of the files it is dropped from; NULL when the files say
 * nothing of it (a dropped table).
 */
const struct ss_loc *ss_change_loc(const struct ss_change *c);

/*
 * Whether SQL expression expr mentions identifier name (a bare word,
 * case-insensitively, or a "quoted" one), outside string literals.
 * Used for generated columns: what drops with a column.
 */
bool ss_expr_mentions(const char *expr, const char *name);
/*
 * Whether SQL expression expr casts to type (x::type, x::schema.type,
 * x::type[], CAST(x AS type), type 'literal'), outside string literals;
 * a bare name compares case-insensitively, a "quoted" one as written.
 */
bool ss_expr_casts_to(const char *expr, const char *type);

/* Appends n with thousands separators: "1,204". */
void ss_count_format(struct ss_buf *b, long n);

#endif
