#ifndef SS_DIFF_H
#define SS_DIFF_H
/*
 * The differ: desired model + current model -> the changes of a plan
 * (plan.h), in model order, unclassified (every change safe except
 * rename candidates, which are ambiguous).
 *
 * What it compares:
 *  - Tables and columns by name, after renames: a `renamed_from` hint or
 *    an answer (struct ss_rename) whose old name is in the database and
 *    whose new name is not makes a rename; when the new name is there
 *    already the rename was done before and nothing is planned (so a
 *    push stays idempotent). Renames are never guessed: a table that
 *    vanished while one with the same columns (names and types)
 *    appeared, or in one table a column that vanished while one of the
 *    same type appeared, is a rename candidate, an ambiguous change the
 *    caller must have answered. A rejected candidate is a drop and an
 *    add. When a candidate is the only one for both of its objects, the
 *    contents are diffed as if it were accepted (those changes wait for
 *    it); otherwise they appear once it is answered.
 *  - Columns: type, nullability, default, autoincrement (one
 *    alter_column with the set of what changed). autoincrement: always
 *    differs from true only where ss_diff_opts.identity_always says the
 *    database keeps them apart; a serial column is true. Also identity
 *    options (start and increment, defaults filled in), the generation
 *    expression (with same_expr) and stored, and the collation (none
 *    and ss_diff_opts.default_collation are one; names as fold_case
 *    says).
 *  - Comments of tables and columns, when the dialect keeps them
 *    (ss_diff_opts.comments): a set_comment for each that was added,
 *    changed or removed on a table and column of both sides; new tables
 *    and columns carry theirs. An empty comment is no comment (what
 *    PostgreSQL's COMMENT ... IS '' does).
 *  - Primary keys by their columns (not their names: a renamed table
 *    keeps its old TABLE_pkey, and foreign keys may need the key).
 *  - Unique constraints, indexes, foreign keys and checks by name; one
 *    that differs in any part is dropped and re-created (a pair, held
 *    together). A unique constraint and a unique index (without WHERE)
 *    of the same name and columns are the same thing, so an introspector
 *    may report either, unless ss_diff_opts.unique_constraints says the
 *    database keeps them apart (PostgreSQL: ON CONFLICT ON CONSTRAINT
 *    needs a constraint); an index with another method or options is
 *    never a constraint. Indexes compare their method, each entry's
 *    order, NULLS place and operator class, INCLUDE columns and NULLS
 *    NOT DISTINCT; unique constraints their INCLUDE columns, NULLS NOT
 *    DISTINCT and DEFERRABLE / INITIALLY DEFERRED. A unique constraint
 *    whose name the other side does not use matches one of the same
 *    columns (generated names drift with table and column renames);
 *    where unique_constraints, a rename_unique gives it the files'
 *    name (ALTER TABLE ... RENAME CONSTRAINT). Unnamed foreign keys and checks (SQLite)
 *    match by definition.
 *  - Foreign keys compare their referenced table and columns by the
 *    names they will have after the plan's renames, and MATCH FULL; a
 *    named key that differs only in DEFERRABLE / INITIALLY DEFERRED is
 *    one alter_foreign_key (an unnamed one is dropped and added).
 *    Checks compare NO INHERIT too.
 *  - SQLite's table options (STRICT, WITHOUT ROWID): one alter_table
 *    when either differs.
 *  - Names byte for byte, or (fold_case) ASCII letters alike whatever
 *    their case, as SQLite compares them. A table, column or index
 *    matched under another spelling takes the files' spelling: a table
 *    or column by a rename (never ambiguous), an index by a drop and a
 *    create (SQLite cannot rename one). Constraint names, which SQLite
 *    does not keep apart, only match.
 *  - Enums (when the dialect has enum types): values added and values
 *    dropped; a change of order alone is not a change. Without enum
 *    types (SQLite: TEXT with CHECK (col IN (...))), enums are not
 *    objects: an enum column's type is its list of values, and a changed
 *    list is an alter_column of its type. The introspector is expected to
 *    report such a column as SS_TYPE_ENUM with an enum in current->enums
 *    (any name) and not to report the CHECK itself.
 *  - Declared views (current->views are all managed: the caller turns
 *    undeclared ones into others first, ss_schema_unmanage_views()) by
 *    name: a view whose SQL (token for token, ss_sql_same_expr(); the
 *    dialect's prepare hook gives the desired SQL the database's form
 *    where they mean the same) or kind differs is dropped and created
 *    again (a pair); one the files do not name, or name with `drop:
 *    true`, is dropped; a new one is created. An unchanged view is
 *    re-created too (drop_view and create_view carry `because`) when
 *    breaks_views says a change of a table it mentions breaks it, or
 *    when a view it mentions is re-created or dropped.
 */
#include <stdbool.h>
#include <stddef.h>

#include "ss/err.h"
#include "ss/mem.h"
#include "ss/model.h"
#include "ss/plan.h"

/*
 * A rename answer (--rename, or the user's reply to a prompt):
 * table rename when column is NULL (table -> to), else a column rename
 * (table.column -> to). For a column, table may be the table's old or
 * new name.
 */
struct ss_rename {
	const char *table;
	const char *column;
	const char *to;
};

/*
 * Parses "users=people" or "users.email=user_email" (split at the first
 * '=', then the table at the first '.'); the strings are copied into a.
 */
int ss_rename_parse(const char *arg, struct ss_rename *out,
    struct ss_arena *a, struct ss_err *err);
/* The answer a candidate asks for (borrows the change's names). */
void ss_rename_of_change(const struct ss_change *c, struct ss_rename *out);

struct ss_diff_opts {
	/*
	 * Dialect comparisons: true when the database would store the two
	 * the same way, so that they are no change (SQLite keeps timestamp
	 * and text alike). NULL: exact model equality (ss_type_equal,
	 * ss_default_equal, strcmp).
	 */
	bool (*same_type)(const struct ss_type *desired,
	    const struct ss_type *current, void *ctx);
	bool (*same_default)(const struct ss_column *desired,
	    const struct ss_column *current, void *ctx);
	bool (*same_expr)(const char *desired, const char *current, void *ctx);
	void *ctx;		/* passed to the hooks */
	bool enum_types;	/* enums are types of their own (PostgreSQL) */
	bool forward_fks;	/* CREATE TABLE may reference a table not
				 * created yet (SQLite): no FK cycle to break */
	bool fold_case;		/* names that differ only in ASCII letter
				 * case are one name (SQLite) */
	bool affinity_types;	/* types are affinities (SQLite): a type
				 * change keeps every value the LOSSY count
				 * does not count (for ss_plan_classify) */
	bool comments;		/* the database keeps comments: compare them */
	bool identity_always;	/* autoincrement: always is not true */
	const struct ss_rename *renames;	/* answers: yes */
	size_t nrenames;
	const struct ss_rename *rejected;	/* answers: no (drop + add) */
	size_t nrejected;
	bool renames_first;	/* the answers are renames that statements
				 * made in order (a rollback's down sections):
				 * one onto a name the database has takes
				 * it, and the table or column there is
				 * gone (dropped, or renamed away first) */
	const struct ss_rename *gone;	/* with renames_first: tables (column
				 * NULL) and columns the statements dropped,
				 * in the database's names: never matched */
	size_t ngone;
	bool unique_constraints;	/* a unique constraint is not a unique
					 * index (PostgreSQL) */
	bool values_used;	/* the caller writes the enum values the
				 * plan adds, after it in its transaction
				 * (undo's refill): ss_plan.values_used */
	/* Collations. */
	const char *default_collation;	/* the name of the types' default
				 * collation (BINARY, "default"): the
				 * same as none; NULL if it has none */
	/*
	 * Declared views: whether change c of the plan so far (a table's)
	 * breaks the views that read its table, so that they must be
	 * dropped before it and created again after it (PostgreSQL: a
	 * column's type changes or a column goes; SQLite: the table is
	 * rebuilt or a column goes). NULL: no change breaks a view.
	 */
	bool (*breaks_views)(const struct ss_plan *p, const struct ss_change *c,
	    void *ctx);
};

/*
 * Diffs desired against current into out (initialised by the caller
 * with ss_plan_init()). Both schemas must outlive out. Fails only on a
 * programming error (-SS_EINTERNAL).
 */
int ss_diff(const struct ss_schema *desired, const struct ss_schema *current,
    const struct ss_diff_opts *opts, struct ss_plan *out, struct ss_err *err);

#endif
