/*
 * libpq, loaded when it is first needed (pq.h).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss/dialect.h"
#define SS_PQ_TABLE_ONLY
#include "pq.h"

struct ss_pq ss_pq;

/* The library to load: the soname libpq-dev links against. */
#define LIBPQ_SONAME "libpq.so.5"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;
/* Why loading failed, for every caller. */
static char why[512];

static void
load(void)
{
	const char *name = getenv("SCHEMASYNC_LIBPQ");
	struct ss_pq t;
	const char *e;
	void *h;
	size_t n;

	if (name == NULL || *name == '\0')
		name = LIBPQ_SONAME;
	h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		/* dlerror() starts with the name: the soname is said once,
		 * another path is kept. */
		e = dlerror();
		if (e == NULL)
			e = "unknown error";
		n = strlen(LIBPQ_SONAME);
		if (strncmp(e, LIBPQ_SONAME ": ", n + 2) == 0)
			e += n + 2;
		snprintf(why, sizeof why, "%s", e);
		return;
	}
	memset(&t, 0, sizeof t);
#define SS_PQ_RESOLVE(fn) \
	t.fn = (__typeof__(t.fn))dlsym(h, #fn); \
	if (t.fn == NULL) { \
		snprintf(why, sizeof why, "%s has no function %s", name, #fn); \
		dlclose(h); \
		return; \
	}
	SS_PQ_FNS(SS_PQ_RESOLVE)
#undef SS_PQ_RESOLVE
	/* The table is written once, before any reader can see loaded. */
	ss_pq = t;
	loaded = 1;
}

int
ss_pq_load(struct ss_err *err)
{
	pthread_once(&once, load);
	if (loaded)
		return 0;
	return ss_err_set(err, SS_EDB, "cannot load " LIBPQ_SONAME ": %s; "
	    "install libpq5", why);
}

int
ss_pg_libversion(void)
{
	if (ss_pq_load(NULL) < 0)
		return 0;
	return ss_pq.PQlibVersion();
}
