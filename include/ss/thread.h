#ifndef SS_THREAD_H
#define SS_THREAD_H
/*
 * A thread started to run beside this one (loading the files while the
 * database is read, session.c).
 *
 * Linux puts a new thread on the CPU of the thread that made it and
 * moves it to an idle one only when it balances the load, up to a
 * scheduler tick later (4 ms at 250 Hz). Measured on a no-op push of 100
 * tables, half of the runs lost the overlap that way: the two halves ran
 * one after the other on one CPU while the other idled (6 ms or 10 ms,
 * bench/README.md). ss_thread_start() has the new thread start on
 * another CPU than this one, where there is another, and has it take
 * back every CPU it may use as it starts, so that the scheduler is free
 * again from then on. That needs glibc (pthread_attr_setaffinity_np);
 * elsewhere the thread starts as it comes.
 */
#include <stdbool.h>

#include <uv.h>

struct ss_thread {
	uv_thread_t id;
	void (*fn)(void *);
	void *arg;
	bool apart;	/* started on another CPU than its maker's */
	int from;	/* its maker's CPU, or -1 */
	int first;	/* the CPU it started on, or -1 */
	/* The CPUs it may use: a cpu_set_t (glibc), in longs for its
	 * alignment; unused elsewhere. */
	unsigned long cpus[128 / sizeof(unsigned long)];
};

/* Starts fn(arg) on t, a thread of its own; 0, or -1 if it could not. */
int ss_thread_start(struct ss_thread *t, void (*fn)(void *), void *arg);
void ss_thread_join(struct ss_thread *t);

#endif
