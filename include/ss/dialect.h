#ifndef SS_DIALECT_H
#define SS_DIALECT_H
/*
 * A dialect: everything that differs between SQLite and PostgreSQL,
 * chosen once from the database URL (ss_dialect_for()), as SQLite's
 * pager picks its getter once. Nothing downstream asks which database
 * it is talking to.
 *
 * The pure half (comparisons, emit) works on models and plans; the
 * other half talks to a connection. A connection is opaque here.
 *
 * A step is what emit makes of the plan: one or more statements that
 * carry out one or more changes (a SQLite rebuild carries out every
 * change of its table). Its SQL is what --dry-run prints and what runs.
 *
 * Where a dialect lives: src/<name>/, with its private headers beside
 * its files (src/sqlite/, src/postgres/); nothing outside the folder
 * includes them (the Makefile gives only the tests -Isrc). Its files
 * follow one naming: dialect.c (this table, the connection, counts,
 * transactions), introspect.c (the database -> struct ss_schema), ddl.c
 * (the model -> CREATE text), and whatever else it needs (expr.c,
 * db.c). A new dialect provides:
 *
 *   - a `const struct ss_dialect ss_dialect_<name>` below, with every
 *     member that is not marked optional: name and capabilities, the
 *     comparison hooks (NULL for exact equality), emit, quote_ident,
 *     connect/close, introspect (managed objects, the rest as others),
 *     count (every struct ss_count_request kind, -1 where it cannot
 *     tell), begin (a transaction that queues a second push),
 *     exec_step, commit, rollback, queries;
 *   - its URL scheme in src/url.c and its case in ss_dialect_for()
 *     (src/dialect.c), and its folder in the Makefile's DIALECTS;
 *   - end-to-end runs of the cases in tests/cli/cases (t-cases.sh's
 *     dialects), which every dialect must pass.
 *
 * Nothing else outside its folder changes: no code asks which dialect
 * it is talking to.
 */
#include <stdbool.h>
#include <stddef.h>

#include "ss/buf.h"
#include "ss/config.h"
#include "ss/diff.h"
#include "ss/err.h"
#include "ss/model.h"
#include "ss/plan.h"
#include "ss/url.h"

struct ss_conn;

struct ss_step {
	const char **sql;		/* statements, in order */
	size_t nsql, asql;
	struct ss_change **changes;	/* what it carries out */
	size_t nchanges, achanges;
	bool rebuild;			/* recreates its table (SQLite's rebuild;
					 * any dialect may): the plan announces it */
	void *priv;			/* the dialect's own data for exec */
};

struct ss_steps {
	struct ss_arena arena;
	struct ss_step **v;
	size_t n, alloc;
};

void ss_steps_init(struct ss_steps *s);
void ss_steps_release(struct ss_steps *s);
struct ss_step *ss_steps_add(struct ss_steps *s);
void ss_step_sql(struct ss_steps *s, struct ss_step *st, const char *sql);
void ss_step_change(struct ss_steps *s, struct ss_step *st,
    struct ss_change *c);

struct ss_dialect {
	const char *name;		/* "sqlite", "postgres" */
	bool enum_types;		/* enums are types of their own */
	bool forward_fks;		/* CREATE TABLE may name a later table */
	bool names_fold_case;		/* names that differ only in ASCII
					 * letter case are one name */
	bool affinity_types;		/* a column holds any value; a type
					 * change rewrites only what its LOSSY
					 * count counts, and keeps the rest */
	bool comments;			/* keeps table and column comments */
	bool identity_always;		/* has GENERATED ALWAYS (autoincrement:
					 * always), not only BY DEFAULT */

	/* Pure: comparisons for the differ (ss_diff_opts hooks). */
	bool (*same_type)(const struct ss_type *desired,
	    const struct ss_type *current, void *ctx);
	bool (*same_default)(const struct ss_column *desired,
	    const struct ss_column *current, void *ctx);
	bool (*same_expr)(const char *desired, const char *current, void *ctx);

	/*
	 * Optional, pure: what the files ask that this database cannot
	 * keep (SQLite: autoincrement on a column that is not the table's
	 * INTEGER PRIMARY KEY), as errors at their place in the files,
	 * added to d. Returns how many it added; push, diff and watch then
	 * stop with exit 2, touching nothing. `check` needs no database,
	 * so it does not ask this.
	 */
	size_t (*check)(const struct ss_schema *desired, struct ss_diags *d);
	/*
	 * Optional, pure: spells the files' types as this database reads
	 * them, before anything compares or writes them (PostgreSQL: an
	 * array of an enum the files declare, Mood[], as "Mood"[], since
	 * the bare name would fold to mood). ss_dialect_check() calls it.
	 */
	void (*spell)(struct ss_schema *desired);

	/* Pure: the plan's changes that are not held -> steps. Every
	 * change is carried out by exactly one step. */
	int (*emit)(const struct ss_plan *plan, struct ss_steps *out,
	    struct ss_err *err);
	void (*quote_ident)(struct ss_buf *b, const char *name);

	int (*connect)(const struct ss_url *url, const struct ss_config *cfg,
	    struct ss_conn **out, struct ss_err *err);
	void (*close)(struct ss_conn *conn);
	/* Managed objects into out; unmanaged ones as out->others. */
	int (*introspect)(struct ss_conn *conn, struct ss_schema *out,
	    struct ss_err *err);
	/* Fills req->count. */
	int (*count)(struct ss_conn *conn, struct ss_count_request *req,
	    struct ss_err *err);
	/* The applying transaction: BEGIN IMMEDIATE / BEGIN + advisory lock. */
	int (*begin)(struct ss_conn *conn, struct ss_err *err);
	int (*exec_step)(struct ss_conn *conn, const struct ss_step *st,
	    struct ss_err *err);
	int (*commit)(struct ss_conn *conn, struct ss_err *err);
	void (*rollback)(struct ss_conn *conn);
	/* How many statements introspection ran (for --verbose). */
	int (*queries)(struct ss_conn *conn);
	/*
	 * Optional, after the counts (in the applying transaction when
	 * there is one): fills the rows of the changes whose SQL depends
	 * on how many rows their table holds (SQLite: a rebuild of a small
	 * table copies through a temporary table). Never called without a
	 * database: the SQL is then the one for any size.
	 */
	int (*measure)(struct ss_conn *conn, struct ss_plan *plan,
	    struct ss_err *err);
	/*
	 * Optional, after introspection and before diffing: rewrites
	 * desired's defaults and expressions that the database stores in
	 * another form into that form, where they mean the same (so they
	 * are no change). May be called again on the same schemas.
	 */
	int (*prepare)(struct ss_conn *conn, struct ss_schema *desired,
	    const struct ss_schema *current, struct ss_err *err);
	/*
	 * Optional, after a failure: the connection itself broke (the
	 * server went away or ended the session), so the database was
	 * unreachable rather than the push wrong.
	 */
	bool (*lost)(struct ss_conn *conn);
	/*
	 * Optional: whether a connection kept from an earlier run (watch)
	 * may serve another: still open, idle, and to the same database.
	 * Without it a connection is never kept.
	 */
	bool (*reusable)(struct ss_conn *conn);
	/*
	 * Optional: hands what the database said besides results since
	 * the last call (PostgreSQL's warnings: an event trigger's RAISE
	 * WARNING, a session about to be ended) to fn, oldest first, and
	 * forgets it. severity is lower case ("warning", "notice");
	 * message is one line, without the severity, password masked.
	 */
	void (*notices)(struct ss_conn *conn, void (*fn)(void *arg,
	    const char *severity, const char *message), void *arg);
	/*
	 * Runs a query that returns rows (the migration journal, undo's
	 * store) and hands each row to fn, its values as text (NULL for
	 * NULL), in order. An error is the database's message alone: the
	 * caller says what it was reading.
	 */
	int (*select)(struct ss_conn *conn, const char *sql,
	    void (*fn)(void *arg, size_t n, const char *const *v), void *arg,
	    struct ss_err *err);

	/* Introspection cache (watch). */
	/*
	 * Optional: a text, into out, that changes whenever anything
	 * introspect reads may have changed (SQLite: the schema cookie;
	 * PostgreSQL: a digest of the catalog rows' versions). Two equal
	 * texts prove the schema did not change in between; a change may
	 * give a new text without a schema change (a needless
	 * introspection), never the reverse. Without it nothing is cached.
	 */
	int (*fingerprint)(struct ss_conn *conn, struct ss_buf *out,
	    struct ss_err *err);
	bool unique_constraints;	/* a unique constraint is not a unique
					 * index (ss_diff_opts) */
	/* Collations. */
	const char *default_collation;	/* the name of the default collation,
					 * the same as none (BINARY, "default") */
	/* Undo points (undo.h). */
	/* Optional: the schema that holds the undo store, created when
	 * missing; NULL: the store's tables live in the main database. */
	const char *undo_schema;
	/* Optional: a query of one column v, at most one row: the counter
	 * of table's autoincrement column now (the last value it handed
	 * out, NULL or no row when none), kept with a dropped table. */
	void (*undo_counter)(struct ss_buf *b, const char *table,
	    const char *column);
	/* Optional: statement i (from 0) of those that move that counter,
	 * once undo put the rows back, past them and past the value kept
	 * in the store table kept (a qualified, quoted name with column v;
	 * NULL when none was kept); false when there is no statement i. */
	bool (*undo_reseed)(struct ss_buf *b, size_t i, const char *table,
	    const char *column, const char *kept);
	/* Optional: a string literal for s (NULL: '' with quotes doubled,
	 * which is all SQLite has). */
	void (*quote_literal)(struct ss_buf *b, const char *s);
	/* Optional, pure: ss_diff_opts.breaks_views (declared views). */
	bool (*breaks_views)(const struct ss_plan *p, const struct ss_change *c,
	    void *ctx);
	/*
	 * Loading while introspecting (engine.h, desired_ready). Optional:
	 * begin as begin does when the lock is free now, without waiting;
	 * 1, with nothing begun and err untouched, when another
	 * transaction holds it (the caller then waits with begin).
	 */
	int (*try_begin)(struct ss_conn *conn, struct ss_err *err);
};

extern const struct ss_dialect ss_dialect_sqlite;
extern const struct ss_dialect ss_dialect_postgres;

/*
 * libpq's version (PQlibVersion(), e.g. 150018), loading libpq if it is
 * not yet loaded (the binary does not link it: src/postgres/pq.h), or 0
 * when it cannot be loaded.
 */
int ss_pg_libversion(void);

/*
 * Reads the database through dl->introspect and leaves out the tables
 * the config's ignore_tables matches (they become "ignored table"
 * others): the one way push, diff, pull and watch read a database.
 * The migration journal (SS_JOURNAL_TABLE, migrate.h) is always left
 * out, and not reported as ignored either.
 */
int ss_introspect(const struct ss_dialect *dl, struct ss_conn *conn,
    const struct ss_config *cfg, struct ss_schema *out, struct ss_err *err);
/* The same; *journal says whether the journal table is there. */
int ss_introspect_journal(const struct ss_dialect *dl, struct ss_conn *conn,
    const struct ss_config *cfg, struct ss_schema *out, bool *journal,
    struct ss_err *err);

/*
 * The files as loaded, made ready for dl: spell, then check (both
 * optional). Returns check's count of errors added to d.
 */
size_t ss_dialect_check(const struct ss_dialect *dl, struct ss_schema *desired,
    struct ss_diags *d);

/* The dialect of url, or NULL when this build has none for it. */
const struct ss_dialect *ss_dialect_for(const struct ss_url *url);

#endif
