/*
 * bench/watch-latency: save-to-applied latency and resident memory of
 * `schemasync watch`. Not part of schemasync; built by
 * `make bench`.
 *
 *   watch-latency SCHEMASYNC DB SCHEMA_DIR FILE A B SAVES [PAUSE_MS]
 *
 * Starts `SCHEMASYNC --db DB --schema SCHEMA_DIR --format json watch`,
 * waits for its `ready` event and the first sync, then SAVES times writes A or B (alternately)
 * to FILE the way editors do (write a temporary file, rename() it over)
 * and takes the time from just after the rename() to the watcher's
 * `applied` event, which it prints after COMMIT: by then the change is
 * visible to any other connection. Every 100 saves it reads the
 * watcher's VmRSS from /proc. Prints p50, p99 and max in ms, the p50 of
 * the saves of B and of A apart (the bench's B adds a column and A drops
 * it again: two costs, and the overall p50 falls between them), then
 * the RSS samples in KiB. Exits non-zero if the watcher dies, errs, or does
 * not answer a save within 10 s.
 *
 * PAUSE_MS (default 0) waits that long after each `applied` event
 * before the next save: 0 saves at once, while the watcher still reads
 * the next run's model after its report (back to back, the worst
 * case); a pause of a few hundred ms measures a watcher that was idle
 * when the save came, as it is between an editor's saves.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char line[1 << 24];	/* a first sync is one long line */
static size_t have;
static char buf[1 << 24];

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The next line from fd, waiting at most timeout_ms; NULL on timeout/EOF. */
static const char *
next_line(int fd, int timeout_ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char *nl;
	ssize_t n;

	for (;;) {
		if ((nl = memchr(buf, '\n', have)) != NULL) {
			size_t len = (size_t)(nl - buf);
			memcpy(line, buf, len);
			line[len] = '\0';
			memmove(buf, nl + 1, have - len - 1);
			have -= len + 1;
			return line;
		}
		if (poll(&p, 1, timeout_ms) <= 0)
			return NULL;
		n = read(fd, buf + have, sizeof buf - have - 1);
		if (n <= 0)
			return NULL;
		have += (size_t)n;
	}
}

static const char *
wait_event(int fd, const char *const *events)
{
	const char *l;
	size_t i;

	while ((l = next_line(fd, 10000)) != NULL) {
		if (strstr(l, "\"event\":\"error\"") != NULL ||
		    strstr(l, "\"event\":\"schema_error\"") != NULL) {
			fprintf(stderr, "watch-latency: the watcher said: %s\n", l);
			return NULL;
		}
		for (i = 0; events[i] != NULL; i++)
			if (strstr(l, events[i]) != NULL)
				return l;
	}
	fprintf(stderr, "watch-latency: no answer from the watcher in 10 s\n");
	return NULL;
}

static long
rss_kib(pid_t pid)
{
	char path[64], l[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(l, sizeof l, f) != NULL)
		if (sscanf(l, "VmRSS: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static int
save(const char *file, const char *text)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s.tmp~", file);
	if ((f = fopen(tmp, "w")) == NULL || fputs(text, f) < 0 || fclose(f) != 0)
		return -1;
	return rename(tmp, file);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0)
		return NULL;
	rewind(f);
	s = malloc((size_t)n + 1);
	if (s == NULL || fread(s, 1, (size_t)n, f) != (size_t)n)
		return NULL;
	s[n] = '\0';
	fclose(f);
	return s;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	static const char *const ready[] = { "\"event\":\"ready\"", NULL };
	static const char *const applied[] = { "\"event\":\"applied\"", NULL };
	static const char *const first[] = { "\"event\":\"applied\"",
		"\"event\":\"plan\"", "\"event\":\"held\"", NULL };
	char *a, *b;
	double *lat, *lat_b, *lat_a;
	int nb = 0, na = 0;
	int fds[2], saves, pause_ms, i, status = 0, st;
	pid_t pid;

	if (argc != 8 && argc != 9) {
		fprintf(stderr, "usage: watch-latency SCHEMASYNC DB SCHEMA_DIR "
		    "FILE A B SAVES [PAUSE_MS]\n");
		return 2;
	}
	saves = atoi(argv[7]);
	pause_ms = argc == 9 ? atoi(argv[8]) : 0;
	if ((a = slurp(argv[5])) == NULL || (b = slurp(argv[6])) == NULL ||
	    saves < 1) {
		fprintf(stderr, "watch-latency: cannot read %s or %s\n",
		    argv[5], argv[6]);
		return 2;
	}
	lat = calloc((size_t)saves, sizeof *lat);
	lat_b = calloc((size_t)saves, sizeof *lat_b);
	lat_a = calloc((size_t)saves, sizeof *lat_a);
	if (lat == NULL || lat_b == NULL || lat_a == NULL)
		return 2;
	if (save(argv[4], a) != 0 || pipe(fds) != 0)
		return 2;
	if ((pid = fork()) == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl(argv[1], argv[1], "--db", argv[2], "--schema", argv[3],
		    "--format", "json", "watch", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	/* ready comes before the first run; then the first sync. */
	if (wait_event(fds[0], ready) == NULL ||
	    wait_event(fds[0], first) == NULL) {
		status = 1;
		goto out;
	}
	printf("rss_kib 0 %ld\n", rss_kib(pid));
	for (i = 0; i < saves; i++) {
		double t0;
		if (pause_ms > 0) {
			struct timespec p = { pause_ms / 1000,
			    (long)(pause_ms % 1000) * 1000000L };
			while (nanosleep(&p, &p) != 0 && errno == EINTR)
				;
		}
		if (save(argv[4], i % 2 ? a : b) != 0) {
			fprintf(stderr, "watch-latency: cannot save: %s\n",
			    strerror(errno));
			status = 1;
			goto out;
		}
		t0 = now_ms();
		if (wait_event(fds[0], applied) == NULL) {
			status = 1;
			goto out;
		}
		lat[i] = now_ms() - t0;
		if (i % 2)
			lat_a[na++] = lat[i];
		else
			lat_b[nb++] = lat[i];
		if ((i + 1) % 100 == 0)
			printf("rss_kib %d %ld\n", i + 1, rss_kib(pid));
	}
	qsort(lat, (size_t)saves, sizeof *lat, cmp);
	qsort(lat_b, (size_t)nb, sizeof *lat_b, cmp);
	qsort(lat_a, (size_t)na, sizeof *lat_a, cmp);
	printf("latency_ms p50 %.1f p99 %.1f max %.1f saves %d "
	    "b_p50 %.1f a_p50 %.1f\n",
	    lat[saves / 2], lat[(saves * 99) / 100 < saves ?
	    (saves * 99) / 100 : saves - 1], lat[saves - 1], saves,
	    nb ? lat_b[nb / 2] : 0.0, na ? lat_a[na / 2] : 0.0);
out:
	/* Keep reading so a watcher blocked on a full pipe can exit. */
	kill(pid, SIGTERM);
	while (next_line(fds[0], 2000) != NULL)
		;
	waitpid(pid, &st, 0);
	free(lat);
	free(lat_b);
	free(lat_a);
	free(a);
	free(b);
	return status;
}
