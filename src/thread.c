/*
 * A thread started to run beside this one (include/ss/thread.h).
 */
#ifdef __linux__
#define _GNU_SOURCE	/* sched_getcpu(), the affinity calls */
#include <pthread.h>
#include <sched.h>
#endif
#include <string.h>

#include "ss/thread.h"

/* pthread_attr_setaffinity_np() is glibc's (musl and Bionic lack it). */
#if defined(__linux__) && defined(__GLIBC__)
_Static_assert(sizeof(cpu_set_t) <= sizeof(((struct ss_thread *)0)->cpus),
    "struct ss_thread: room for a cpu_set_t");
_Static_assert(_Alignof(cpu_set_t) <= _Alignof(unsigned long),
    "struct ss_thread: a cpu_set_t's alignment");

static void *
thread_main(void *arg)
{
	struct ss_thread *t = arg;

	t->first = sched_getcpu();
	/* Every CPU again: started apart, it may move from now on. */
	if (t->apart)
		(void)pthread_setaffinity_np(pthread_self(), sizeof(cpu_set_t),
		    (const cpu_set_t *)t->cpus);
	t->fn(t->arg);
	return NULL;
}

int
ss_thread_start(struct ss_thread *t, void (*fn)(void *), void *arg)
{
	cpu_set_t *cpus = (cpu_set_t *)t->cpus, other;
	pthread_attr_t attr;
	int rc;

	memset(t, 0, sizeof *t);
	t->fn = fn;
	t->arg = arg;
	t->first = -1;
	t->from = sched_getcpu();
	if (pthread_attr_init(&attr) != 0)
		return -1;
	/* Not on this CPU, where there is another this process may use. */
	if (t->from >= 0 && sched_getaffinity(0, sizeof *cpus, cpus) == 0 &&
	    CPU_ISSET(t->from, cpus) && CPU_COUNT(cpus) > 1) {
		other = *cpus;
		CPU_CLR(t->from, &other);
		t->apart = pthread_attr_setaffinity_np(&attr, sizeof other,
		    &other) == 0;
	}
	rc = pthread_create(&t->id, &attr, thread_main, t);
	if (rc != 0 && t->apart) {
		/* Refused for its CPUs (a cpuset that changed): as it comes. */
		t->apart = false;
		rc = pthread_create(&t->id, NULL, thread_main, t);
	}
	pthread_attr_destroy(&attr);
	return rc == 0 ? 0 : -1;
}

#else

static void
thread_main(void *arg)
{
	struct ss_thread *t = arg;

	t->fn(t->arg);
}

int
ss_thread_start(struct ss_thread *t, void (*fn)(void *), void *arg)
{
	memset(t, 0, sizeof *t);
	t->fn = fn;
	t->arg = arg;
	t->from = t->first = -1;
	return uv_thread_create(&t->id, thread_main, t) == 0 ? 0 : -1;
}

#endif

void
ss_thread_join(struct ss_thread *t)
{
	uv_thread_join(&t->id);
}
