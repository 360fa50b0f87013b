/* Tests for src/thread.c: a thread started beside this one. */
#ifdef __linux__
#define _GNU_SOURCE	/* the affinity calls */
#include <sched.h>
#endif
#include <criterion/criterion.h>

#include "ss/thread.h"

#if defined(__linux__) && defined(__GLIBC__)
/* The thread's own CPUs, read as its work starts. */
static void
read_cpus(void *arg)
{
	cpu_set_t *cpus = arg;

	cr_assert_eq(sched_getaffinity(0, sizeof *cpus, cpus), 0);
}

/*
 * Where this process may use more than one CPU, the thread starts on
 * another than its maker's (which Linux would otherwise share with it
 * until a scheduler tick), and its work runs free of that: on every CPU
 * the process may use.
 */
Test(thread, starts_on_another_cpu_then_runs_free)
{
	cpu_set_t mine, its;
	struct ss_thread t;

	cr_assert_eq(sched_getaffinity(0, sizeof mine, &mine), 0);
	CPU_ZERO(&its);
	cr_assert_eq(ss_thread_start(&t, read_cpus, &its), 0);
	ss_thread_join(&t);
	cr_assert(CPU_EQUAL(&mine, &its), "the work runs on every CPU: %d "
	    "of %d", CPU_COUNT(&its), CPU_COUNT(&mine));
	cr_assert_geq(t.first, 0);
	if (CPU_COUNT(&mine) > 1) {
		cr_assert(t.apart);
		cr_assert_neq(t.first, t.from, "started on its maker's CPU %d",
		    t.from);
	} else {
		cr_assert(!t.apart, "one CPU: nowhere else to start");
		cr_assert_eq(t.first, t.from);
	}
}

/* Limited to one CPU (a cpuset, taskset -c 0): it starts there. */
Test(thread, one_cpu_starts_where_it_can)
{
	cpu_set_t mine, one, its;
	struct ss_thread t;
	int cpu;

	cr_assert_eq(sched_getaffinity(0, sizeof mine, &mine), 0);
	for (cpu = 0; !CPU_ISSET(cpu, &mine); cpu++)
		;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	cr_assert_eq(sched_setaffinity(0, sizeof one, &one), 0);
	cr_assert_eq(ss_thread_start(&t, read_cpus, &its), 0);
	ss_thread_join(&t);
	cr_assert_eq(sched_setaffinity(0, sizeof mine, &mine), 0);
	cr_assert(!t.apart);
	cr_assert_eq(t.first, cpu);
	cr_assert(CPU_EQUAL(&one, &its));
}
#endif

static void
add_one(void *arg)
{
	++*(int *)arg;
}

/* The work runs once, and is done when the join returns. */
Test(thread, runs_the_work_once)
{
	struct ss_thread t;
	int n = 0;

	cr_assert_eq(ss_thread_start(&t, add_one, &n), 0);
	ss_thread_join(&t);
	cr_assert_eq(n, 1);
}
