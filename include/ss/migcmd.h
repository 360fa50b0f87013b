#ifndef SS_MIGCMD_H
#define SS_MIGCMD_H
/*
 * What generate, migrate, status and rollback share: the migrations
 * folder, snapshots, the journal, and a migration's SQL run in its own
 * transaction. (The files themselves: migrate.h.)
 */
#include <stdbool.h>

#include "ss/cli.h"
#include "ss/engine.h"
#include "ss/migrate.h"
#include "ss/model.h"

/* --dir, else the config's migrations.dir, else "migrations". */
const char *ss_mig_dir(const struct ss_ctx *ctx, const char *opt);

/*
 * Loads a snapshot into out (initialised here); path NULL: the empty
 * schema. A snapshot that does not load is an error naming it.
 */
int ss_mig_load_snapshot(const char *path, struct ss_schema *out,
    struct ss_err *err);

/* Writes text to path (replacing it), creating its folder. */
int ss_mig_write(const char *path, const char *text, struct ss_err *err);

/* A row of the journal. */
struct ss_journal_row {
	char *name;		/* "0001_init" */
	char *checksum;
	char *applied_at;
	long duration_ms;
};

struct ss_journal {
	struct ss_journal_row *v;
	size_t n, alloc;
	bool exists;		/* the table is there */
};

void ss_journal_release(struct ss_journal *j);
/*
 * Reads the journal (empty when the table is not there), and the
 * database's schema into cur when it is not NULL.
 */
int ss_journal_read(struct ss_engine *e, struct ss_journal *j,
    struct ss_schema *cur, struct ss_err *err);
const struct ss_journal_row *ss_journal_find(const struct ss_journal *j,
    const char *name);

/*
 * Runs stmts (a section) in one transaction with the dialect's locking,
 * then records (up) or removes (down) the journal row in it. On a
 * failing statement everything rolls back and err says FILE:LINE.
 * Once the lock is held the journal (j, as read before) is read again:
 * when another run applied m (up) or rolled it back (down) since,
 * nothing is run and SS_MIG_DONE_ELSEWHERE is returned.
 */
#define SS_MIG_DONE_ELSEWHERE 1

/* Whether file f, read with checksum sum, is the one applied as journal. */
bool ss_mig_applied_as(const struct ss_mig_file *f, const char *sum,
    const char *journal);
int ss_mig_run(struct ss_engine *e, const struct ss_journal *j,
    const struct ss_migration *m, const struct ss_mig_stmt *stmts, size_t n,
    bool up, const char *checksum, bool run, struct ss_err *err);

/*
 * Reads and parses a migration file; checksum of its bytes, each CRLF
 * read as LF (a checkout that converts line endings edits nothing), and
 * f->raw_sum of its bytes as they are, f->crlf_sum with CRLF line ends
 * (what a journal row written before line endings were normalized holds,
 * for the file as it is or with its line ends converted).
 */
int ss_mig_read(const struct ss_migration *m, struct ss_mig_file *f,
    char checksum[17], struct ss_err *err);

/*
 * A file generate wrote for another dialect than the database's is
 * refused (SS_EUSAGE; "nothing was " what): its types and statements
 * are that dialect's, and many run on the other with another meaning.
 */
int ss_mig_check_dialect(const struct ss_migration *m,
    const struct ss_mig_file *f, const struct ss_engine *e,
    const char *what, struct ss_err *err);

/* Connects for ctx's database (resolved first); 0 or an exit status. */
int ss_mig_connect(struct ss_ctx *ctx, struct ss_engine *e,
    struct ss_conn **conn);

/*
 * What migrate, status and rollback start from: connects (as
 * ss_mig_connect()), lists dir's migrations and reads the journal.
 * Returns 0, or the exit status to end with, its error printed. Call
 * ss_mig_close() either way; migs and j must be initialised.
 */
int ss_mig_open(struct ss_ctx *ctx, const char *dir, struct ss_engine *e,
    struct ss_conn **conn, struct ss_migrations *migs, struct ss_journal *j);
/* Releases what ss_mig_open() filled and closes the connection. */
void ss_mig_close(struct ss_engine *e, struct ss_conn *conn,
    struct ss_migrations *migs, struct ss_journal *j);

/*
 * JSON for the migration commands. ss_mig_json_entry() appends one
 * migration to b, a comma-separated list: {"id","file","statements"},
 * then "run" when run is not NULL ("true"/"false"), then its statements
 * as "sql" when with_sql. ss_mig_json_open() starts the run's object:
 * "{", or on a failure an "error" event with err's message (password
 * masked), so that the keys after it still say what was done.
 */
void ss_mig_json_entry(struct ss_buf *b, const struct ss_migration *m,
    const struct ss_mig_stmt *st, size_t n, const char *run, bool with_sql);
void ss_mig_json_open(struct ss_buf *b, const struct ss_ctx *ctx,
    const struct ss_err *err);

#endif
