/*
 * The watcher (include/ss/watch.h), on libuv.
 *
 * Design notes:
 *  1. One loop, owned by struct watch, with: a uv_fs_event per watched
 *     folder, a debounce timer, a retry timer, two signal handles, and
 *     a uv_tty on stdin when questions may be asked. Each folder's
 *     handle lives in its struct dirwatch, which is freed only in the
 *     handle's close callback.
 *  2. A run is one job in the thread pool (uv_queue_work); the worker
 *     runs the engine and prints its report (run_job(); stdio locks
 *     each fputs, and the loop thread prints only while no job runs,
 *     but for the line that opens a run and the question's answers).
 *     The loop thread owns every other field; the job's fields are
 *     handed over at uv_queue_work() and back in the after-callback.
 *  3. States: idle, or busy (a job in the pool). A save while busy
 *     sets `dirty`; the after-callback then starts exactly one more
 *     run. A signal while busy sets `stopping`; the after-callback then
 *     closes everything, so the transaction in flight always ends on
 *     its own terms.
 *  4. Unreachable: after a run whose connection failed, later jobs first
 *     try to connect, quietly; the error is printed only once. When the
 *     connection succeeds the worker says so and runs the push. Between
 *     runs the connection is kept (warm caches, no connection set-up on
 *     the way from save to applied); each run first asks the dialect
 *     whether it still serves (reusable), else makes a new one.
 *  5. A question is the digest of the held plan; `y` runs a job with
 *     expect_digest set, so the plan applied is the plan that was shown
 *     (the engine compares inside the applying transaction). A new run
 *     drops the question. `y` answers the rename candidates shown yes
 *     and accepts the data loss shown, nothing else: candidates that
 *     compete for one name are not asked about, and the engine refuses a
 *     confirmation whose answers bring a destructive change that was
 *     not shown.
 *  6. Questions need stdin and stdout on a terminal, text output, and
 *     the foreground: a background job reading its terminal would be
 *     stopped.
 *  7. Preloading: a save starts loading the schema files in the pool at
 *     once, while the debounce runs, and while a run is still busy
 *     (the run before reads the database's model for the next one
 *     after its report, note 9: the two overlap); a run that starts
 *     with no save since the preload began takes the loaded schema
 *     instead of reading the files again (any later save makes it
 *     stale: the run then loads them itself). A run due while a
 *     preload is in the pool waits for it.
 *  8. Where the kernel will not watch a folder (inotify's limits are
 *     per user, and a busy machine runs out of them), or when
 *     SCHEMASYNC_WATCH_POLL=MS asks for it (network file systems send
 *     no events), a timer stats every schema file each POLL ms and
 *     counts a changed sum as a save; the files changed in the last two
 *     seconds are read too (look_file()): two saves of one size within
 *     one tick of the file times look the same to stat. Never a
 *     watcher that sees nothing.
 *  9. Introspection cache: after each run, once its report is out, the
 *     worker keeps the database's model with the dialect's fingerprint
 *     (SQLite's schema cookie, a digest of PostgreSQL's catalog row
 *     versions) read before it; the next run reads the fingerprint
 *     inside its transaction and introspects only when it differs. A
 *     schema change by anyone in between changes the fingerprint; the
 *     data-loss counts are queries of every run. A new connection, or a
 *     failed run, forgets the model.
 * 10. Memory: two pool threads (UV_THREADPOOL_SIZE=2, set before the
 *     pool starts), since no more than two jobs ever run at once (a run
 *     and a preload: a second preload waits for the first, a second
 *     run for the first); and one malloc arena (glibc's M_ARENA_MAX)
 *     for every thread. With libuv's four threads, each thread that ran a
 *     job kept an arena of its own holding a model's worth of freed
 *     memory: a 100-table watcher grew from 13 to 23 MB over its first
 *     saves. One arena is reused by every job: memory is flat from the
 *     first save on (tests/cli/t-watch-mem.sh).
 * 11. Prepared runs: a save that finds the watcher idle, with the
 *     connection kept and the files loaded without error (note 7),
 *     starts its run at once instead of when the debounce ends. The run
 *     does everything but COMMIT, then waits at the engine's gate
 *     (gate_wait()): the debounce ending opens it, and the run commits
 *     and reports; a save before then shuts it, and the run rolls back
 *     and prints nothing (superseded), and the next is prepared. So
 *     nothing is applied or printed before the debounce's quiet, as
 *     before, and a save is visible about a COMMIT after it, not a
 *     whole run. The transaction is held open while the debounce runs
 *     (a write lock on SQLite; the altered tables' locks on PostgreSQL),
 *     so runs are prepared only when the debounce is at most
 *     GATE_MAX_MS. A run that fails before its gate (its connection)
 *     has reported: it stands for its saves.
 */
#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <uv.h>

#include "ss/buf.h"
#include "ss/load.h"
#include "ss/mem.h"
#include "ss/present.h"
#include "ss/session.h"
#include "ss/walk.h"
#include "ss/watch.h"
#include "ss/undo.h"

#define DEFAULT_DEBOUNCE_MS 20
#define RETRY_FIRST_MS 1000
#define RETRY_MAX_MS 16000
#define MAX_NAMES_SHOWN 3
#define POLL_MS 250
#define GATE_MAX_MS 100

struct watch;

struct dirwatch {
	uv_fs_event_t h;
	struct watch *w;
	char *path;		/* the folder, as given or found (heap) */
	bool all;		/* a schema folder: every schema file and sub-folder counts */
	char **names;		/* and these names too: schema paths that are files
				 * here, and schema folders here (to see them replaced) */
	size_t nnames;
	dev_t dev;		/* the folder watched, to notice one replaced */
	ino_t ino;
};

enum job_kind {
	JOB_RUN,		/* a save, or the first push */
	JOB_RETRY,		/* the retry timer, while unreachable */
	JOB_CONFIRM		/* `y` to a question */
};

/* What a run did, for what the loop does next. */
struct job_result {
	size_t askable;		/* held destructive or ambiguous changes: a yes may apply them */
	bool reported;		/* the plan was printed (not an error, not stale) */
	bool stale;		/* JOB_CONFIRM: not the plan asked about; nothing applied */
	bool connect_failed;	/* the database could not be reached, or the
				 * connection broke mid-run */
	struct ss_buf digest;	/* the held changes as ss_engine_digest() lines
				 * (the whole plan when nothing ran) */
	struct ss_buf renames;	/* held rename candidates as --rename OLD=NEW, one a line */
};

struct job {
	enum job_kind kind;
	struct ss_engine_opts opts;
	struct job_result res;
	bool no_header;		/* text: no "DB: N files" line (after the first run) */
	bool have_since;
	struct timespec since;	/* the first save this run covers */
	bool probe;		/* unreachable: connect quietly first */
	bool probe_failed;	/* ...and it failed: nothing ran */
	int status;		/* the run's exit status */
	bool gated;		/* prepared while the debounce runs (note 11) */
	bool superseded;	/* ...and a save shut its gate: nothing applied
				 * or printed */
	struct ss_schema pre;	/* the preloaded files it took (note 7) */
	bool pre_ok;		/* ...and holds them */
	char *digest;		/* JOB_CONFIRM: the question's plan */
	char **renames;		/* JOB_CONFIRM: renames answered yes */
	size_t nrenames;
};

/*
 * One poll: the sum of look() over the files; and, for the files
 * changed in the last two seconds, which they are and their bytes.
 * File times come from a coarse clock (a few milliseconds; seconds on
 * some file systems), so two saves of one size within one tick look
 * the same to stat, and a burst that ended so would never be run: the
 * bytes of the same recent files changing is a save too (a file
 * growing old, leaving the recent ones, is not).
 */
struct looking {
	uint64_t sum;
	uint64_t recent;	/* which files are recent */
	uint64_t bytes;		/* their bytes */
	struct timespec now;
};

struct watch {
	uv_loop_t loop;
	struct ss_ctx *ctx;
	const struct ss_watch_opts *o;	/* the command's options */
	long debounce_ms;
	uv_timer_t debounce;
	uv_timer_t retry;
	uv_signal_t sigint, sigterm;
	uv_tty_t tty;
	bool have_tty;		/* questions may be asked */
	struct ss_buf line;	/* what was typed so far */
	uv_work_t work;
	/* The gated job's gate (note 11): WAIT until the debounce ends
	 * (GO) or a save comes (SHUT); the worker waits on cv. */
	uv_mutex_t gate_mu;
	uv_cond_t gate_cv;
	enum { GATE_NONE, GATE_WAIT, GATE_GO, GATE_SHUT } gate;

	struct dirwatch **dirs;
	size_t ndirs, adirs;
	uv_timer_t poll;	/* polling, when the kernel will not watch */
	long poll_ms;		/* 0: not polling */
	struct looking looked;	/* what the schema files looked like */

	bool busy;		/* a job is in the thread pool */
	bool dirty;		/* a save came while busy: one more run */
	bool have_since;	/* since is set: saves not yet run */
	struct timespec since;	/* the first of those saves */
	char *names[MAX_NAMES_SHOWN]; /* the files saved, for the run's first line */
	size_t nnames, more;	/* ... and how many more */
	bool ready;		/* "watching" was said */
	bool stopping;		/* a signal came */
	bool unreachable;	/* the last run could not connect */
	long retry_ms;		/* the next retry's delay */
	bool asking;		/* a question is open */
	char *ask_digest;	/* the question's plan */
	char **ask_renames;	/* renames it would answer yes */
	size_t nask_renames;
	bool ask_data_loss;	/* it shows changes marked ! */
	struct job job;		/* the job in the pool, when busy */
	struct ss_conn *conn;	/* kept between runs (the job's while busy) */
	uv_work_t prework;	/* a preload (note 7) */
	bool preloading;	/* prework is in the pool; it owns pre */
	bool run_waits;		/* a run is due when the preload is done */
	bool pre_ok;		/* pre holds the files, loaded without error */
	unsigned long saves;	/* saves noted so far */
	unsigned long pre_saves; /* ...when the preload began */
	struct ss_schema pre;
	struct ss_icache icache; /* the database's model between runs, for
				  * the connection kept (note 9); the job's */
	struct ss_load_cache lcache;	/* files as read last (preloads only) */
};

static void start_run(struct watch *w, enum job_kind kind);
static void start_job(struct watch *w, enum job_kind kind, bool gated);
static bool gate_set(struct watch *w, int to);
static void opening_line(struct watch *w);
static void forget_names(struct watch *w);
static void job_init(struct watch *w, struct job *j, enum job_kind kind);
static void start_preload(struct watch *w);
static void prepare(struct watch *w);
static void start_polling(struct watch *w, long ms);

bool
ss_watch_is_schema_name(const char *name)
{
	return ss_walk_is_schema_name(name);
}

long
ss_watch_debounce_ms(const struct ss_ctx *ctx, long flag_ms)
{
	if (flag_ms >= 0)
		return flag_ms;
	if (ctx->config.debounce_ms >= 0)
		return ctx->config.debounce_ms;
	return DEFAULT_DEBOUNCE_MS;
}

static bool
json(const struct watch *w)
{
	return w->ctx->args.format == SS_FORMAT_JSON;
}

/* "12:03:04 " in dim on a terminal. */
static void
stamp(const struct watch *w, struct ss_buf *b)
{
	char t[16];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(t, sizeof t, "%H:%M:%S", &tm);
	ss_buf_addf(b, "%s%s%s ", w->ctx->color_out ? "\033[2m" : "", t,
	    w->ctx->color_out ? "\033[0m" : "");
}

/* A line of the watcher's own, text output only. */
static void
say(const struct watch *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
say(const struct watch *w, const char *fmt, ...)
{
	struct ss_buf b = SS_BUF_INIT;
	va_list ap;

	if (json(w))
		return;
	stamp(w, &b);
	va_start(ap, fmt);
	ss_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	ss_buf_addc(&b, '\n');
	fputs(b.s, stdout);
	fflush(stdout);
	ss_buf_release(&b);
}

static void
free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Splits "a\nb\n" into a heap vector. */
static char **
split_lines(const char *s, size_t *n)
{
	char **v = NULL;
	size_t alloc = 0;
	const char *nl;

	*n = 0;
	while (*s) {
		if ((nl = strchr(s, '\n')) == NULL)
			nl = s + strlen(s);
		SS_ALLOC_GROW(v, *n + 1, alloc);
		v[*n] = ss_xmalloc((size_t)(nl - s) + 1);
		memcpy(v[*n], s, (size_t)(nl - s));
		v[*n][nl - s] = '\0';
		(*n)++;
		s = *nl ? nl + 1 : nl;
	}
	return v;
}

static void
drop_question(struct watch *w)
{
	w->asking = false;
	free(w->ask_digest);
	w->ask_digest = NULL;
	free_strv(w->ask_renames, w->nask_renames);
	w->ask_renames = NULL;
	w->nask_renames = 0;
}

/* Folders. */

static char *
join(const char *dir, const char *name)
{
	struct ss_buf b = SS_BUF_INIT;

	ss_buf_addf(&b, "%s/%s", dir, name);
	return ss_buf_detach(&b);
}

static void
dir_closed(uv_handle_t *h)
{
	struct dirwatch *dw = h->data;

	free(dw->path);
	free_strv(dw->names, dw->nnames);
	free(dw);
}

static struct dirwatch *
find_dir(const struct watch *w, const char *path)
{
	size_t i;

	for (i = 0; i < w->ndirs; i++)
		if (strcmp(w->dirs[i]->path, path) == 0)
			return w->dirs[i];
	return NULL;
}

/* Whether path is under (or is) dir. */
static bool
under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Stops watching path and every folder under it. */
static void
drop_tree(struct watch *w, const char *path)
{
	size_t i = 0;

	while (i < w->ndirs) {
		struct dirwatch *dw = w->dirs[i];
		if (!dw->all || !under(dw->path, path)) {
			i++;
			continue;
		}
		w->dirs[i] = w->dirs[--w->ndirs];
		uv_fs_event_stop(&dw->h);
		uv_close((uv_handle_t *)&dw->h, dir_closed);
	}
}

static void on_fs_event(uv_fs_event_t *h, const char *name, int events,
    int status);

static bool
listed(const struct dirwatch *dw, const char *name)
{
	size_t i;

	for (i = 0; i < dw->nnames; i++)
		if (strcmp(dw->names[i], name) == 0)
			return true;
	return false;
}

/* Watches the folder path: all of it (name NULL), or the one name in it. */
static int
add_dir(struct watch *w, const char *path, const char *name)
{
	struct dirwatch *dw;
	struct stat st;
	int rc;

	if (w->poll_ms > 0)
		return 0;	/* the poll timer sees everything */
	if ((dw = find_dir(w, path)) == NULL) {
		if (stat(path, &st) < 0)
			return -errno;
		dw = ss_xcalloc(1, sizeof *dw);
	} else {
		goto have;
	}
	dw->w = w;
	dw->path = ss_xstrdup(path);
	dw->dev = st.st_dev;
	dw->ino = st.st_ino;
	uv_fs_event_init(&w->loop, &dw->h);
	dw->h.data = dw;
	if ((rc = uv_fs_event_start(&dw->h, on_fs_event, path, 0)) < 0) {
		uv_close((uv_handle_t *)&dw->h, dir_closed);
		if (rc != UV_EMFILE && rc != UV_ENOSPC && rc != UV_ENOMEM)
			return rc;
		/* The kernel's limit, not the folder: poll instead. */
		if (w->poll_ms == 0) {
			fprintf(stderr, "schemasync: warning: cannot watch "
			    "'%s': %s (inotify's limits, sysctl "
			    "fs.inotify.max_user_instances and "
			    "max_user_watches); polling every %d ms "
			    "instead\n", path, uv_strerror(rc), POLL_MS);
			start_polling(w, POLL_MS);
		}
		return 0;
	}
	SS_ALLOC_GROW(w->dirs, w->ndirs + 1, w->adirs);
	w->dirs[w->ndirs++] = dw;
have:
	if (name == NULL)
		dw->all = true;
	else if (!listed(dw, name)) {
		dw->names = ss_xrealloc(dw->names, (dw->nnames + 1) *
		    sizeof *dw->names);
		dw->names[dw->nnames++] = ss_xstrdup(name);
	}
	return 0;
}

struct adding {
	struct watch *w;
	size_t files;
};

/*
 * The folder already watched under another path, if any: path is a
 * symbolic link (to it, or back up the tree), and a folder is watched,
 * and entered, once. One whose path no longer leads to it does not
 * count. Only links are compared: a folder deleted and another made
 * may get the same inode number while the old watch is not yet
 * dropped, and the new one must be watched.
 */
static struct dirwatch *
find_same_dir(const struct watch *w, const char *path, const struct stat *st)
{
	struct stat now;
	size_t i;

	for (i = 0; i < w->ndirs; i++) {
		struct dirwatch *dw = w->dirs[i];
		if (dw->all && dw->dev == st->st_dev && dw->ino == st->st_ino &&
		    strcmp(dw->path, path) != 0 && stat(dw->path, &now) == 0 &&
		    now.st_dev == dw->dev && now.st_ino == dw->ino)
			return dw;
	}
	return NULL;
}

/* Watches a folder; only a watched folder is entered. */
static bool
watch_folder(struct watch *w, const char *path)
{
	struct stat st;
	int rc;

	if (w->poll_ms == 0 && find_dir(w, path) == NULL &&
	    lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	    stat(path, &st) == 0 && find_same_dir(w, path, &st) != NULL)
		return false;
	if ((rc = add_dir(w, path, NULL)) == 0)
		return true;
	if (rc != UV_ENOENT && rc != -ENOENT)
		fprintf(stderr, "schemasync: warning: cannot watch '%s': %s\n",
		    path, uv_strerror(rc));
	return false;
}

static bool
add_folder(void *arg, const char *path, const struct stat *st)
{
	struct adding *a = arg;

	(void)st;
	return watch_folder(a->w, path);
}

static void
add_file(void *arg, const char *path, const struct stat *st)
{
	struct adding *a = arg;

	(void)path;
	(void)st;
	a->files++;
}

/*
 * Watches path and every folder under it (the walk the loader makes:
 * each folder once, however many links lead to it). Returns how many
 * schema files it saw, so that a folder that arrives full is a save.
 */
static size_t
add_tree(struct watch *w, const char *path)
{
	struct adding a = { w, 0 };
	struct ss_walk wk;

	if (watch_folder(w, path)) {
		ss_walk_init(&wk);
		wk.folder = add_folder;
		wk.file = add_file;
		wk.arg = &a;
		(void)ss_walk_tree(&wk, path);
		ss_walk_release(&wk);
	}
	return a.files;
}

/* Saves. */

static void
on_debounce(uv_timer_t *t)
{
	struct watch *w = t->data;

	if (w->busy && w->job.gated && w->gate == GATE_WAIT) {
		/* Quiet for the debounce: the prepared run is the run. Its
		 * worker prints nothing until the gate opens. */
		opening_line(w);
		w->have_since = false;
		forget_names(w);
		(void)gate_set(w, GATE_GO);
		return;
	}
	start_run(w, JOB_RUN);
}

/* A schema file changed (path NULL: something did, we do not know what). */
static void
note_save(struct watch *w, const char *path)
{
	size_t i;

	if (w->stopping)
		return;
	w->saves++;
	if (w->busy && w->job.gated)
		(void)gate_set(w, GATE_SHUT);	/* prepared for older files */
	if (!w->preloading)
		start_preload(w);
	if (!w->have_since) {
		clock_gettime(CLOCK_MONOTONIC, &w->since);
		w->have_since = true;
	}
	if (path != NULL) {
		for (i = 0; i < w->nnames; i++)
			if (strcmp(w->names[i], path) == 0)
				break;
		if (i == w->nnames) {
			if (w->nnames < MAX_NAMES_SHOWN)
				w->names[w->nnames++] = ss_xstrdup(path);
			else
				w->more++;
		}
	}
	uv_timer_start(&w->debounce, on_debounce, (uint64_t)w->debounce_ms, 0);
}

/* Polling. */

/* 64-bit FNV-1a of n bytes, on from h. */
static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n-- > 0)
		h = (h ^ *c++) * UINT64_C(1099511628211);
	return h;
}

/* h and the bytes of the file at path (what a save wrote). */
static uint64_t
look_bytes(uint64_t h, const char *path)
{
	char buf[16384];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return h;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		h = fnv(h, buf, (size_t)n);
	close(fd);
	return h;
}

/* What path looks like: its name, and the stat fields a save changes. */
static uint64_t
look(const char *path, const struct stat *st)
{
	uint64_t h = fnv(UINT64_C(14695981039346656037), path, strlen(path));

	if (st == NULL)
		return h;
	h = fnv(h, &st->st_ino, sizeof st->st_ino);
	h = fnv(h, &st->st_size, sizeof st->st_size);
	h = fnv(h, &st->st_mtim, sizeof st->st_mtim);
	return fnv(h, &st->st_ctim, sizeof st->st_ctim);
}

/* A folder counts by its name and its schema files: its own times
 * change with every swap file an editor makes in it. */
static bool
look_folder(void *arg, const char *path, const struct stat *st)
{
	(void)st;
	((struct looking *)arg)->sum += look(path, NULL);
	return true;
}

static void
look_file(void *arg, const char *path, const struct stat *st)
{
	struct looking *lk = arg;
	uint64_t name = look(path, NULL);

	lk->sum += look(path, st);
	if (st->st_mtim.tv_sec >= lk->now.tv_sec - 2) {
		lk->recent += name;
		lk->bytes += look_bytes(name, path);
	}
}

/*
 * The sum of look() over path and every schema file and folder under
 * it: a sum, so that the order readdir() gives does not matter.
 */
static void
look_tree(struct looking *lk, const char *path)
{
	struct ss_walk wk;
	struct stat st;

	if (stat(path, &st) < 0) {
		lk->sum += look(path, NULL);
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		look_file(lk, path, &st);
		return;
	}
	lk->sum += look(path, NULL);
	ss_walk_init(&wk);
	wk.folder = look_folder;
	wk.file = look_file;
	wk.arg = lk;
	(void)ss_walk_tree(&wk, path);
	ss_walk_release(&wk);
}

static void
look_all(const struct watch *w, struct looking *lk)
{
	size_t i;

	memset(lk, 0, sizeof *lk);
	clock_gettime(CLOCK_REALTIME, &lk->now);
	for (i = 0; i < w->ctx->nschema_paths; i++)
		look_tree(lk, w->ctx->schema_paths[i]);
}

static void
on_poll(uv_timer_t *t)
{
	struct watch *w = t->data;
	struct looking now;

	look_all(w, &now);
	if (now.sum != w->looked.sum || (now.recent == w->looked.recent &&
	    now.bytes != w->looked.bytes))
		note_save(w, NULL);
	w->looked = now;
}

static void
start_polling(struct watch *w, long ms)
{
	w->poll_ms = ms;
	look_all(w, &w->looked);
	uv_timer_start(&w->poll, on_poll, (uint64_t)ms, (uint64_t)ms);
}

/* Watches every folder under the schema folders that is not watched. */
static void
rescan(struct watch *w)
{
	struct stat st;
	size_t i;

	for (i = 0; i < w->ctx->nschema_paths; i++) {
		const char *p = w->ctx->schema_paths[i];
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			add_tree(w, p);
	}
}

static void
on_fs_event(uv_fs_event_t *h, const char *name, int events, int status)
{
	struct dirwatch *dw = h->data;
	struct watch *w = dw->w;
	struct stat st;
	char *path;

	(void)events;
	if (w->stopping)
		return;
	if (status < 0 || name == NULL) {
		/* The kernel lost events: look again at everything. */
		rescan(w);
		note_save(w, NULL);
		return;
	}
	if (!listed(dw, name) && (!dw->all || name[0] == '.'))
		return;
	path = join(dw->path, name);
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		struct dirwatch *old = find_dir(w, path);
		if (old == NULL || old->dev != st.st_dev || old->ino != st.st_ino) {
			drop_tree(w, path);
			if (add_tree(w, path) > 0)
				note_save(w, path);
		}
	} else if (find_dir(w, path) != NULL) {
		/* A folder went (or was renamed away): its files with it. */
		drop_tree(w, path);
		note_save(w, path);
	} else if (listed(dw, name) || ss_watch_is_schema_name(name)) {
		note_save(w, path);
	}
	free(path);
}

/* Jobs. */

/* Connects and disconnects: is the database there? (Worker thread.) */
static bool
probe(const struct ss_ctx *ctx)
{
	const struct ss_dialect *dl = ss_dialect_for(&ctx->url);
	struct ss_err err = SS_ERR_INIT;
	struct ss_conn *conn = NULL;
	bool ok;

	if (dl == NULL)
		return true;	/* the run says why */
	ok = dl->connect(&ctx->url, &ctx->config, &conn, &err) == 0;
	if (ok)
		dl->close(conn);
	ss_err_release(&err);
	return ok;
}

/* Schema errors while the database is away: shown all the same. */
static void
check_files(const struct ss_ctx *ctx)
{
	struct ss_diags d = SS_DIAGS_INIT;
	struct ss_schema s;

	ss_schema_init(&s);
	if (ss_load_paths(&s, ctx->schema_paths, ctx->nschema_paths, &d) < 0)
		ss_print_diags(ctx, &d);
	ss_schema_release(&s);
	ss_diags_release(&d);
}

/* What the loop needs of a run that reported (the question's plan). */
static void
fill_result(struct job_result *res, const struct ss_engine *e)
{
	size_t i, j;

	res->reported = true;
	res->askable = 0;
	ss_engine_digest(e, &res->digest, e->applied);
	ss_buf_reset(&res->renames);
	for (i = 0; i < e->nplans; i++)
		for (j = 0; j < e->plans[i].n; j++) {
			const struct ss_change *c = e->plans[i].v[j];
			if (!c->held)
				continue;
			if (c->class == SS_CLASS_DESTRUCTIVE ||
			    c->class == SS_CLASS_AMBIGUOUS)
				res->askable++;
			if (c->candidate) {
				ss_change_rename_arg(&res->renames, c);
				ss_buf_addc(&res->renames, '\n');
			}
		}
}

/*
 * The engine's gate (note 11): waits for the debounce to end (true) or
 * a save (false). Worker thread; the loop thread alone sets w->gate.
 */
static bool
gate_wait(void *arg)
{
	struct watch *w = arg;
	bool go;

	uv_mutex_lock(&w->gate_mu);
	while (w->gate == GATE_WAIT)
		uv_cond_wait(&w->gate_cv, &w->gate_mu);
	go = w->gate == GATE_GO;
	uv_mutex_unlock(&w->gate_mu);
	return go;
}

static void
ignore_notice(void *arg, const char *severity, const char *message)
{
	(void)arg;
	(void)severity;
	(void)message;
}

/* A superseded run (note 11): what the database said of what it rolled
 * back is not said. */
static void
superseded(struct job *j, struct ss_session *s)
{
	j->superseded = true;
	if (s->conn != NULL && s->e.dl->notices != NULL)
		s->e.dl->notices(s->conn, ignore_notice, NULL);
}

/* One run: apply what is safe, hold the rest, report. (Worker thread.) */
static int
run_job(struct watch *w, struct job *j)
{
	struct ss_session s;
	struct ss_report r;
	struct ss_buf why = SS_BUF_INIT;
	enum ss_outcome out;
	int status;

	status = ss_session_open(&s, w->ctx, j->pre_ok ? &j->pre : NULL,
	    &w->conn, j->have_since ? &j->since : NULL, w->o->answers);
	j->res.connect_failed = s.connect_failed;
	if (status != 0 || !s.reused)
		ss_icache_forget(&w->icache);	/* another connection */
	if (status != 0)
		goto out;
	s.e.icache = &w->icache;
	if (j->gated) {
		s.e.gate = gate_wait;
		s.e.gate_arg = w;
	}
	if (!w->o->no_undo)
		ss_undo_attach(&s.e, "watch", w->ctx->config.undo_keep);
	s.json_events = true;
	memset(&r, 0, sizeof r);
	r.sql = w->ctx->args.verbosity > 0;
	r.no_header = j->no_header;
	r.json_event = true;
	if (ss_engine_apply(&s.e, &j->opts, &out) < 0) {
		ss_icache_forget(&w->icache);
		/* Superseded, the next run tells; but a connection that
		 * broke is an outage, said now (the retry timer follows):
		 * the next run would wait on a new one, unknowing. */
		if (j->gated && !gate_wait(w) && !(s.conn != NULL &&
		    s.e.dl->lost != NULL && s.e.dl->lost(s.conn))) {
			superseded(j, &s);
			goto out;
		}
		status = ss_session_fail(&s, &r);
		j->res.connect_failed = s.connect_failed;
		goto out;
	}
	if (out == SS_OUTCOME_SUPERSEDED ||
	    (out != SS_OUTCOME_APPLIED && j->gated && !gate_wait(w))) {
		/* Rolled back, or nothing to commit: silent either way. */
		superseded(j, &s);
		(void)ss_engine_keep_current(&s.e);
		goto out;
	}
	if (out == SS_OUTCOME_STALE) {
		j->res.stale = true;
		status = 3;
		goto out;
	}
	r.status = out == SS_OUTCOME_HELD || out == SS_OUTCOME_REFUSED ||
	    (out == SS_OUTCOME_APPLIED && ss_engine_held(&s.e) > 0) ? 3 : 0;
	if (out == SS_OUTCOME_REFUSED)
		ss_buf_adds(&why, s.e.err.msg.s);
	else if (r.status == 3 && !ss_present_why(&why, &s.e, j->opts.accept,
	    json(w) ? SS_ADVICE_JSON : SS_ADVICE_WATCH) && !s.e.applied)
		ss_buf_adds(&why, "changes are held");
	r.why = why.len > 0 ? why.s : NULL;
	r.elapsed_ms = ss_session_elapsed(&s);
	status = ss_session_report(&s, &r);
	fill_result(&j->res, &s.e);
	/*
	 * The report is out: what the next run needs is read now, off
	 * the way from a save to its changes (note 9). The reader the
	 * report woke first: Linux wakes a pipe's reader on the writer's
	 * processor, where it waited up to a time slice (2-3 ms) behind
	 * this reading.
	 */
	(void)sched_yield();
	(void)ss_engine_keep_current(&s.e);
out:
	ss_session_close(&s, &w->conn);
	ss_buf_release(&why);
	return status;
}

static void
work(uv_work_t *req)
{
	struct watch *w = req->data;
	struct job *j = &w->job;
	struct ss_ctx *ctx = w->ctx;

	if (j->probe) {
		if (!probe(ctx)) {
			j->probe_failed = true;
			if (j->kind == JOB_RUN)
				check_files(ctx);
			return;
		}
		if (json(w)) {
			struct ss_buf b = SS_BUF_INIT;
			ss_buf_adds(&b, "{\"event\":\"ready\",\"database\":");
			ss_json_string(&b, ctx->url.display);
			ss_buf_adds(&b, ",\"reconnected\":true}\n");
			fputs(b.s, stdout);
			fflush(stdout);
			ss_buf_release(&b);
		} else {
			say(w, "%s is reachable again", ctx->url.display);
		}
	}
	j->status = run_job(w, j);
}

static void
clear_job(struct job *j)
{
	ss_buf_release(&j->res.digest);
	ss_buf_release(&j->res.renames);
	ss_schema_release(&j->pre);
	free(j->digest);
	free_strv(j->renames, j->nrenames);
	memset(j, 0, sizeof *j);
}

static void
close_handle(uv_handle_t *h)
{
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

/* Closes every handle; the loop then ends. */
static void
shut_down(struct watch *w)
{
	size_t i;

	uv_timer_stop(&w->debounce);
	uv_timer_stop(&w->retry);
	uv_timer_stop(&w->poll);
	close_handle((uv_handle_t *)&w->debounce);
	close_handle((uv_handle_t *)&w->retry);
	close_handle((uv_handle_t *)&w->poll);
	close_handle((uv_handle_t *)&w->sigint);
	close_handle((uv_handle_t *)&w->sigterm);
	if (w->have_tty) {
		uv_read_stop((uv_stream_t *)&w->tty);
		close_handle((uv_handle_t *)&w->tty);
	}
	for (i = 0; i < w->ndirs; i++) {
		uv_fs_event_stop(&w->dirs[i]->h);
		uv_close((uv_handle_t *)&w->dirs[i]->h, dir_closed);
	}
	w->ndirs = 0;
}

static void
on_retry(uv_timer_t *t)
{
	struct watch *w = t->data;

	/* A run in flight will tell; otherwise try now. */
	if (!w->busy && w->unreachable)
		start_run(w, JOB_RETRY);
}

static void
schedule_retry(struct watch *w)
{
	uv_timer_start(&w->retry, on_retry, (uint64_t)w->retry_ms, 0);
	if (w->retry_ms < RETRY_MAX_MS)
		w->retry_ms *= 2;
}

/* "users.email=mail" -> source "users.email", target "users.mail". */
static void
rename_ends(const char *arg, struct ss_buf *from, struct ss_buf *to)
{
	const char *eq = strchr(arg, '='), *dot;

	ss_buf_reset(from);
	ss_buf_reset(to);
	if (eq == NULL)
		return;
	ss_buf_add(from, arg, (size_t)(eq - arg));
	dot = memchr(arg, '.', (size_t)(eq - arg));
	if (dot != NULL)
		ss_buf_add(to, arg, (size_t)(dot - arg) + 1);
	ss_buf_adds(to, eq + 1);
}

bool
ss_watch_renames_compete(const char *const *v, size_t n)
{
	struct ss_buf f1 = SS_BUF_INIT, t1 = SS_BUF_INIT;
	struct ss_buf f2 = SS_BUF_INIT, t2 = SS_BUF_INIT;
	bool compete = false;
	size_t i, k;

	for (i = 0; i < n && !compete; i++) {
		rename_ends(v[i], &f1, &t1);
		for (k = i + 1; k < n && !compete; k++) {
			rename_ends(v[k], &f2, &t2);
			compete = strcmp(f1.s, f2.s) == 0 ||
			    strcmp(t1.s, t2.s) == 0;
		}
	}
	ss_buf_release(&f1);
	ss_buf_release(&t1);
	ss_buf_release(&f2);
	ss_buf_release(&t2);
	return compete;
}

/*
 * Opens a question about the held changes. `y` answers every rename
 * candidate yes and accepts the data loss shown; candidates that
 * compete for one column or table cannot all be yes, so then they are
 * left to renamed_from / --rename and only the data loss is asked.
 */
static void
ask(struct watch *w, const struct job_result *res)
{
	size_t nrenames, ndestructive;
	char **renames;

	renames = split_lines(res->renames.s, &nrenames);
	ndestructive = res->askable - nrenames;
	if (ss_watch_renames_compete((const char *const *)renames, nrenames)) {
		say(w, "several renames compete for one name: answer them "
		    "with renamed_from or --rename");
		free_strv(renames, nrenames);
		renames = NULL;
		nrenames = 0;
		if (ndestructive == 0)
			return;
	}
	w->asking = true;
	w->ask_digest = ss_xstrdup(res->digest.s);
	w->ask_renames = renames;
	w->nask_renames = nrenames;
	w->ask_data_loss = ndestructive > 0;
	printf("apply the held change%s marked %s? [y/N] ",
	    nrenames + ndestructive == 1 ? "" : "s",
	    nrenames == 0 ? "! (data will be lost)" :
	    ndestructive == 0 ? "? (renamed as shown)" :
	    "! and ? (renamed as shown, data lost)");
	fflush(stdout);
}

/* JSON: the watcher is set up; runs come next. */
static void
json_ready(struct watch *w)
{
	struct ss_buf b = SS_BUF_INIT;
	size_t i, nfolders = 0;

	for (i = 0; i < w->ndirs; i++)
		nfolders += w->dirs[i]->all;
	ss_buf_adds(&b, "{\"event\":\"ready\",\"database\":");
	ss_json_string(&b, w->ctx->url.display);
	ss_buf_addf(&b, ",\"folders\":%zu,\"debounce_ms\":%ld", nfolders,
	    w->debounce_ms);
	if (w->poll_ms > 0)
		ss_buf_addf(&b, ",\"poll_ms\":%ld", w->poll_ms);
	ss_buf_adds(&b, "}\n");
	fputs(b.s, stdout);
	fflush(stdout);
	ss_buf_release(&b);
}

static void
after_work(uv_work_t *req, int status)
{
	struct watch *w = req->data;
	struct job *j = &w->job;
	bool want_ask = false;

	(void)status;
	w->busy = false;
	if (j->gated) {
		if (w->gate == GATE_WAIT) {
			/* It failed before its gate, and said so: it stands
			 * for its saves (note 11). */
			uv_timer_stop(&w->debounce);
			w->have_since = false;
			forget_names(w);
		}
		w->gate = GATE_NONE;
	}
	if (j->superseded)
		goto next;
	if (j->probe_failed) {
		if (j->kind == JOB_RUN)
			say(w, "%s is still unreachable; it will be synced when "
			    "it is back", w->ctx->url.display);
		schedule_retry(w);
	} else if (j->res.connect_failed) {
		if (!w->unreachable) {
			w->unreachable = true;
			w->retry_ms = RETRY_FIRST_MS;
			say(w, "watching on; retrying on the next save and "
			    "every few seconds");
		}
		schedule_retry(w);
	} else {
		if (w->unreachable) {
			w->unreachable = false;
			uv_timer_stop(&w->retry);
		}
		if (j->kind == JOB_CONFIRM && j->res.stale) {
			say(w, "the plan changed since the question; nothing "
			    "was applied, planning again");
			w->dirty = true;
			if (!w->have_since) {
				clock_gettime(CLOCK_MONOTONIC, &w->since);
				w->have_since = true;
			}
		} else if (j->status == 2 && !json(w)) {
			say(w, "nothing applied; waiting for the next save");
		} else if (j->res.reported && j->res.askable > 0 &&
		    w->have_tty && !w->dirty && !w->stopping) {
			want_ask = true;
		}
	}
	if (!w->ready) {
		size_t i, nfolders = 0;

		for (i = 0; i < w->ndirs; i++)
			nfolders += w->dirs[i]->all;
		w->ready = true;
		if (json(w)) {
			/* said before the first run (json_ready()) */
		} else if (!w->stopping && w->ctx->args.verbosity >= 0 &&
		    w->poll_ms > 0) {
			say(w, "polling the schema files every %ld ms for saves "
			    "(debounce %ld ms); Ctrl-C stops", w->poll_ms,
			    w->debounce_ms);
		} else if (!w->stopping && w->ctx->args.verbosity >= 0) {
			say(w, "watching %zu folder%s for saves (debounce %ld ms); "
			    "Ctrl-C stops", nfolders, nfolders == 1 ? "" : "s",
			    w->debounce_ms);
		}
	}
	/* The question last: nothing is printed after it until answered. */
	if (want_ask)
		ask(w, &j->res);
next:
	clear_job(j);
	if (w->stopping) {
		shut_down(w);
		return;
	}
	if (w->dirty) {
		w->dirty = false;
		/* From lcache; the run waits for it. A save may have started
		 * one already (note_save()): never two at once, they share
		 * pre and lcache. */
		if (!w->preloading)
			start_preload(w);
		start_run(w, JOB_RUN);
	} else {
		prepare(w);
	}
}

/*
 * Starts a save's run while its debounce runs (note 11), when the
 * files are loaded for the latest save and the connection is kept.
 */
static void
prepare(struct watch *w)
{
	if (!w->busy && !w->preloading && !w->stopping && !w->unreachable &&
	    !w->run_waits && w->pre_ok && w->pre_saves == w->saves &&
	    w->conn != NULL && w->debounce_ms > 0 &&
	    w->debounce_ms <= GATE_MAX_MS &&
	    uv_is_active((uv_handle_t *)&w->debounce))
		start_job(w, JOB_RUN, true);
}

/*
 * The loop thread's side of the gate: from WAIT to GO or SHUT, waking
 * the worker. False when it was not waiting.
 */
static bool
gate_set(struct watch *w, int to)
{
	bool was;

	uv_mutex_lock(&w->gate_mu);
	if ((was = w->gate == GATE_WAIT)) {
		w->gate = to;
		uv_cond_signal(&w->gate_cv);
	}
	uv_mutex_unlock(&w->gate_mu);
	return was;
}

/* The line that opens a run's block: what was saved. */
static void
opening_line(struct watch *w)
{
	struct ss_buf b = SS_BUF_INIT;
	size_t i, shown = 0;
	int pass;

	if (json(w) || w->ctx->args.verbosity < 0 || w->nnames + w->more == 0)
		return;
	stamp(w, &b);
	/* Saved files, then the ones that are gone. */
	for (pass = 0; pass < 2; pass++) {
		size_t n = 0;
		for (i = 0; i < w->nnames; i++) {
			struct stat st;
			if ((stat(w->names[i], &st) == 0) != (pass == 0))
				continue;
			ss_buf_addf(&b, "%s%s", n++ ? ", " : pass && shown ?
			    "; " : "", w->names[i]);
		}
		if (pass == 0 && w->more > 0)
			ss_buf_addf(&b, "%s%zu more", n++ ? " and " : "", w->more);
		if (n > 0)
			ss_buf_adds(&b, pass == 0 ? " changed" : " deleted");
		shown += n;
	}
	ss_buf_addc(&b, '\n');
	fputs(b.s, stdout);
	fflush(stdout);
	ss_buf_release(&b);
}

static void
forget_names(struct watch *w)
{
	size_t i;

	for (i = 0; i < w->nnames; i++)
		free(w->names[i]);
	w->nnames = 0;
	w->more = 0;
}

/* Preloading (note 7). */

static void
preload_work(uv_work_t *req)
{
	struct watch *w = req->data;
	struct ss_diags d = SS_DIAGS_INIT;

	w->pre_ok = ss_load_paths_cached(&w->pre, w->ctx->schema_paths,
	    w->ctx->nschema_paths, &d, &w->lcache) == 0;
	ss_diags_release(&d);
}

static void
after_preload(uv_work_t *req, int status)
{
	struct watch *w = req->data;

	(void)status;
	w->preloading = false;
	if (w->stopping) {
		w->pre_ok = false;
		ss_schema_release(&w->pre);
		return;
	}
	if (w->run_waits) {
		w->run_waits = false;
		start_run(w, JOB_RUN);
	} else if (w->pre_saves != w->saves) {
		start_preload(w);	/* a save came meanwhile */
	} else {
		prepare(w);
	}
}

static void
start_preload(struct watch *w)
{
	w->pre_ok = false;
	ss_schema_release(&w->pre);
	ss_schema_init(&w->pre);
	w->pre_saves = w->saves;
	w->preloading = true;
	w->prework.data = w;
	uv_queue_work(&w->loop, &w->prework, preload_work, after_preload);
}

static void
start_run(struct watch *w, enum job_kind kind)
{
	start_job(w, kind, false);
}

/* A job; gated: a prepared run, waiting for the debounce (note 11). */
static void
start_job(struct watch *w, enum job_kind kind, bool gated)
{
	struct job *j = &w->job;

	if (w->stopping)
		return;
	if (w->busy) {
		if (kind == JOB_RUN)
			w->dirty = true;
		return;
	}
	if (kind == JOB_RUN && w->preloading) {
		uv_timer_stop(&w->debounce);
		w->run_waits = true;	/* after_preload() starts it */
		return;
	}
	if (w->asking) {
		/* A new plan replaces the question. */
		if (!json(w))
			printf("\n");
		drop_question(w);
	}
	job_init(w, j, kind);
	j->no_header = w->ready;
	if (kind == JOB_RUN && w->have_since) {
		j->since = w->since;
		j->have_since = true;
		if (!gated)
			opening_line(w);	/* else when the gate opens */
	}
	if (!w->preloading) {	/* else the preload owns pre */
		if (kind == JOB_RUN && w->pre_ok && w->pre_saves == w->saves) {
			j->pre = w->pre;
			ss_schema_init(&w->pre);
			j->pre_ok = true;
		}
		ss_schema_release(&w->pre);
		w->pre_ok = false;
	}
	if (gated) {
		j->gated = true;
		w->gate = GATE_WAIT;	/* no worker yet: no lock */
	} else {
		if (kind == JOB_RUN) {
			w->have_since = false;
			forget_names(w);
		}
		uv_timer_stop(&w->debounce);
	}
	w->busy = true;
	w->work.data = w;
	uv_queue_work(&w->loop, &w->work, work, after_work);
}

static void
job_init(struct watch *w, struct job *j, enum job_kind kind)
{
	ss_buf_init(&j->res.digest);
	ss_buf_init(&j->res.renames);
	j->kind = kind;
	j->probe = w->unreachable;
	j->opts.partial = true;
	j->opts.accept = SS_ACCEPT(SS_CLASS_SAFE);
	if (w->o->accept_data_loss)
		j->opts.accept |= SS_ACCEPT(SS_CLASS_DESTRUCTIVE);
	j->opts.literal = w->o->accept_data_loss;
}

static void
confirm(struct watch *w)
{
	struct job *j = &w->job;

	job_init(w, j, JOB_CONFIRM);
	j->digest = w->ask_digest;
	j->renames = w->ask_renames;
	j->nrenames = w->nask_renames;
	w->ask_digest = NULL;
	w->ask_renames = NULL;
	w->nask_renames = 0;
	w->asking = false;
	if (w->ask_data_loss)
		j->opts.accept |= SS_ACCEPT(SS_CLASS_DESTRUCTIVE);
	j->no_header = true;
	j->opts.expect_digest = j->digest;
	j->opts.confirm_renames = (const char *const *)j->renames;
	j->opts.nconfirm_renames = j->nrenames;
	say(w, "applying the held changes");
	w->busy = true;
	w->work.data = w;
	uv_queue_work(&w->loop, &w->work, work, after_work);
}

/* The terminal. */

static void
alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	(void)h;
	buf->base = ss_xmalloc(suggested);
	buf->len = suggested;
}

static void
on_line(struct watch *w, const char *line)
{
	if (!w->asking) {
		if (*line != '\0')
			say(w, "nothing to answer (a question comes with "
			    "held changes)");
		return;
	}
	if ((line[0] == 'y' || line[0] == 'Y') && !w->busy) {
		confirm(w);
		return;
	}
	drop_question(w);
	say(w, "not applied; the held changes wait for the next save");
}

static void
on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct watch *w = s->data;
	ssize_t i;

	if (n < 0) {
		/* End of input, or the terminal lost (in the background): no
		 * more answers; watching goes on. */
		uv_read_stop(s);
		if (w->asking) {
			drop_question(w);
			printf("\n");
		}
		if (n != UV_EOF)
			say(w, "no more questions (%s); held changes wait for a "
			    "save or --accept-data-loss", uv_strerror((int)n));
		w->have_tty = false;
		close_handle((uv_handle_t *)s);
	}
	for (i = 0; i < n; i++) {
		if (buf->base[i] != '\n' && buf->base[i] != '\r') {
			ss_buf_addc(&w->line, buf->base[i]);
			continue;
		}
		on_line(w, w->line.s);
		ss_buf_reset(&w->line);
	}
	free(buf->base);
}

/* Signals. */

static void
on_signal(uv_signal_t *h, int signum)
{
	struct watch *w = h->data;

	(void)signum;
	if (w->stopping) {
		if (w->busy)
			say(w, "still finishing the run in flight; its "
			    "transaction ends on its own");
		return;
	}
	w->stopping = true;
	if (w->asking) {
		drop_question(w);
		if (!json(w))
			printf("\n");
	}
	if (w->busy && w->job.gated && gate_set(w, GATE_SHUT)) {
		/* Prepared for a debounce that will not end. */
		say(w, "stopping; the run being prepared is rolled back");
		return;
	}
	if (w->busy) {
		say(w, "stopping after the run in flight");
		return;	/* after_work() shuts down */
	}
	shut_down(w);
}

/*
 * Splits a path into its folder and its last name ("schemas/" ->
 * "." and "schemas"). The name is NULL when there is none to watch
 * for ("/", ".", "..").
 */
static void
split_path(const char *p, char **dir, char **name)
{
	char *d = ss_xstrdup(p), *slash;
	size_t n = strlen(d);

	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	*name = NULL;
	if ((slash = strrchr(d, '/')) == NULL) {
		*name = ss_xstrdup(d);
		strcpy(d, ".");
	} else {
		*name = ss_xstrdup(slash + 1);
		if (slash == d)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	if (**name == '\0' || strcmp(*name, ".") == 0 ||
	    strcmp(*name, "..") == 0) {
		free(*name);
		*name = NULL;
	}
	*dir = d;
}

/*
 * The folders of every schema path: a folder and all under it, and the
 * folder it is in, for that one name, so that a schema folder deleted
 * and made again (a branch switch) is noticed. A file is watched through
 * its folder, since editors replace files. Returns 0 or an exit status.
 */
static int
watch_paths(struct watch *w)
{
	const struct ss_ctx *ctx = w->ctx;
	struct stat st;
	char *dir, *name;
	size_t i;
	int rc = 0;

	for (i = 0; i < ctx->nschema_paths; i++) {
		const char *p = ctx->schema_paths[i];
		if (stat(p, &st) < 0) {
			fprintf(stderr, "schemasync: error: cannot watch '%s': "
			    "%s\n", p, strerror(errno));
			return 2;
		}
		split_path(p, &dir, &name);
		if (S_ISDIR(st.st_mode)) {
			add_tree(w, p);
			if (name != NULL)
				(void)add_dir(w, dir, name);
		} else if (name == NULL ||
		    (rc = add_dir(w, dir, name)) < 0) {
			fprintf(stderr, "schemasync: error: cannot watch '%s': "
			    "%s\n", p, uv_strerror(rc));
			rc = 2;
		}
		free(dir);
		free(name);
		if (rc != 0)
			return 2;
	}
	return 0;
}

/* SCHEMASYNC_WATCH_POLL: 0 when not set, -1 when not a number of ms. */
static long
poll_env(void)
{
	const char *v = getenv("SCHEMASYNC_WATCH_POLL");
	char *end;
	long ms;

	if (v == NULL || *v == '\0')
		return 0;
	errno = 0;
	ms = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || ms < 10 || ms > 60000)
		return -1;
	return ms;
}

int
ss_watch_run(struct ss_ctx *ctx, const struct ss_watch_opts *o)
{
	struct watch *w;
	long poll_ms;
	int status = 0, rc;

	if ((poll_ms = poll_env()) < 0) {
		fprintf(stderr, "schemasync: error: SCHEMASYNC_WATCH_POLL: "
		    "'%s' is not a number of milliseconds from 10 to 60000\n",
		    getenv("SCHEMASYNC_WATCH_POLL"));
		return 2;
	}

	/* Note 10: libuv reads it when the first job starts the pool. */
	(void)setenv("UV_THREADPOOL_SIZE", "2", 1);
#ifdef M_ARENA_MAX
	(void)mallopt(M_ARENA_MAX, 1);
#endif
	w = ss_xcalloc(1, sizeof *w);
	ss_icache_init(&w->icache);
	w->ctx = ctx;
	w->o = o;
	w->debounce_ms = ss_watch_debounce_ms(ctx, o->debounce_ms);
	ss_buf_init(&w->line);
	if (uv_mutex_init(&w->gate_mu) < 0) {
		fprintf(stderr, "schemasync: error: cannot make a lock\n");
		free(w);
		return 1;
	}
	if (uv_cond_init(&w->gate_cv) < 0) {
		fprintf(stderr, "schemasync: error: cannot make a lock\n");
		uv_mutex_destroy(&w->gate_mu);
		free(w);
		return 1;
	}
	if ((rc = uv_loop_init(&w->loop)) < 0) {
		fprintf(stderr, "schemasync: error: starting the event loop: "
		    "%s\n", uv_strerror(rc));
		uv_cond_destroy(&w->gate_cv);
		uv_mutex_destroy(&w->gate_mu);
		free(w);
		return 1;
	}
	uv_timer_init(&w->loop, &w->debounce);
	uv_timer_init(&w->loop, &w->retry);
	uv_timer_init(&w->loop, &w->poll);
	w->debounce.data = w->retry.data = w->poll.data = w;
	uv_signal_init(&w->loop, &w->sigint);
	uv_signal_init(&w->loop, &w->sigterm);
	w->sigint.data = w->sigterm.data = w;
	uv_signal_start(&w->sigint, on_signal, SIGINT);
	uv_signal_start(&w->sigterm, on_signal, SIGTERM);
	/*
	 * Questions only in the foreground: a background job that reads
	 * its terminal is stopped (SIGTTIN). Ignoring SIGTTIN makes such a
	 * read fail instead (moved to the background later), and the
	 * watcher then stops asking.
	 */
	if (ctx->stdin_tty && !json(w) && tcgetpgrp(STDIN_FILENO) == getpgrp() &&
	    uv_tty_init(&w->loop, &w->tty, STDIN_FILENO, 1) == 0) {
		signal(SIGTTIN, SIG_IGN);
		w->have_tty = true;
		w->tty.data = w;
		uv_read_start((uv_stream_t *)&w->tty, alloc_cb, on_read);
	}
	if (poll_ms > 0)
		start_polling(w, poll_ms);
	if ((status = watch_paths(w)) != 0) {
		shut_down(w);
	} else {
		/* Push once; saves from now on are caught. */
		if (json(w))
			json_ready(w);
		if (!w->preloading)	/* the first run takes it: fills lcache */
			start_preload(w);
		start_run(w, JOB_RUN);
	}
	uv_run(&w->loop, UV_RUN_DEFAULT);
	if ((rc = uv_loop_close(&w->loop)) < 0)
		fprintf(stderr, "schemasync: warning: closing the event loop: "
		    "%s\n", uv_strerror(rc));
	ss_session_drop(ctx, &w->conn);
	ss_icache_release(&w->icache);
	ss_schema_release(&w->pre);
	ss_load_cache_release(&w->lcache);
	drop_question(w);
	forget_names(w);
	free(w->dirs);
	ss_buf_release(&w->line);
	uv_cond_destroy(&w->gate_cv);
	uv_mutex_destroy(&w->gate_mu);
	free(w);
	fflush(stdout);
	return status;
}
