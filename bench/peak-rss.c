/*
 * bench/peak-rss: the peak resident memory of one process. Not part of
 * schemasync; bench/run.sh compiles it into its temporary folder.
 *
 *   peak-rss FILE CMD [ARG...]
 *
 * Runs CMD (stdin, stdout and stderr inherited), waits for it and writes
 * its peak resident set size in KiB (getrusage's ru_maxrss of that one
 * child, from wait4) to FILE. Exits with CMD's exit status, 127 when it
 * could not be run, 128+N when it died of signal N.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct rusage ru;
	FILE *f;
	pid_t pid;
	int st;

	if (argc < 3) {
		fprintf(stderr, "usage: peak-rss FILE CMD [ARG...]\n");
		return 2;
	}
	if ((pid = fork()) < 0) {
		perror("peak-rss: fork");
		return 127;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) != pid) {
		perror("peak-rss: wait4");
		return 127;
	}
	if ((f = fopen(argv[1], "w")) == NULL || fprintf(f, "%ld\n", ru.ru_maxrss) < 0 ||
	    fclose(f) != 0) {
		perror(argv[1]);
		return 127;
	}
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}
