#ifndef SS_POSTGRES_EMIT_H
#define SS_POSTGRES_EMIT_H
/*
 * PostgreSQL: the plan as steps of SQL, in the plan's order (the
 * dialect's emit hook, include/ss/dialect.h). Pure: no connection.
 * The statements a change needs are in the design notes of emit.c.
 */
#include "ss/err.h"
#include "ss/plan.h"

int ss_pg_emit(const struct ss_plan *p, struct ss_steps *out,
    struct ss_err *err);

/* Whether the plan uses value v of enum ename in its transaction (a
 * default, a check, an index predicate), which ADD VALUE cannot serve:
 * the enum is then recreated first (emit.c, note 2). */
bool ss_pg_enum_value_used(const struct ss_plan *p, const char *ename,
    const char *v);

#endif
