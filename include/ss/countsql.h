#ifndef SS_COUNTSQL_H
#define SS_COUNTSQL_H
/*
 * The SQL of the count requests (plan.h) whose form both dialects share:
 * rows, NULLs and non-NULLs, rows sharing a unique key's values, rows a
 * new check or foreign key would reject. Pure. LOSSY and ENUM_VALUE
 * depend on the dialect's types and are written by the dialect.
 *
 * A count whose SQL embeds the user's own expressions (a check, an index
 * predicate or expression) may fail on them; such kinds are "tolerant":
 * the dialect takes a failure as an unknown count (-1), which the
 * classifier treats conservatively.
 */
#include <stdbool.h>

#include "ss/buf.h"
#include "ss/plan.h"

struct ss_sql_names {
	void (*ident)(struct ss_buf *b, const char *name);	/* quoted */
	void (*term)(struct ss_buf *b, const char *entry);	/* index entry */
};

/* Appends the query to b; false (nothing appended) for LOSSY and
 * ENUM_VALUE. */
bool ss_count_sql(struct ss_buf *b, const struct ss_count_request *q,
    const struct ss_sql_names *n);
bool ss_count_tolerant(enum ss_count_kind kind);

#endif
