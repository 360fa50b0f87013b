/*
 * Count queries both dialects share (include/ss/countsql.h).
 */
#include "ss/countsql.h"

bool
ss_count_tolerant(enum ss_count_kind kind)
{
	return kind == SS_COUNT_DUPLICATES || kind == SS_COUNT_CHECK ||
	    kind == SS_COUNT_FK;
}

static void
from(struct ss_buf *b, const struct ss_count_request *q,
    const struct ss_sql_names *n)
{
	ss_buf_adds(b, "SELECT count(*) FROM ");
	n->ident(b, q->table);
}

bool
ss_count_sql(struct ss_buf *b, const struct ss_count_request *q,
    const struct ss_sql_names *n)
{
	size_t i;

	switch (q->kind) {
	case SS_COUNT_ROWS:
		from(b, q, n);
		return true;
	case SS_COUNT_NONNULL:
	case SS_COUNT_NULLS:
		from(b, q, n);
		ss_buf_adds(b, " WHERE ");
		n->ident(b, q->column);
		ss_buf_adds(b, q->kind == SS_COUNT_NULLS ? " IS NULL" :
		    " IS NOT NULL");
		return true;
	case SS_COUNT_DUPLICATES:
		/* Rows, not groups: the plan says how many rows. */
		ss_buf_adds(b, "SELECT coalesce(sum(n), 0) FROM (SELECT "
		    "count(*) AS n FROM ");
		n->ident(b, q->table);
		ss_buf_adds(b, " WHERE ");
		for (i = 0; i < q->ncolumns; i++) {
			if (i)
				ss_buf_adds(b, " AND ");
			n->term(b, q->columns[i]);
			ss_buf_adds(b, " IS NOT NULL");
		}
		if (q->where != NULL)
			ss_buf_addf(b, " AND (%s)", q->where);
		ss_buf_adds(b, " GROUP BY ");
		for (i = 0; i < q->ncolumns; i++) {
			if (i)
				ss_buf_adds(b, ", ");
			n->term(b, q->columns[i]);
		}
		ss_buf_adds(b, " HAVING count(*) > 1");
		if (q->having != NULL)
			ss_buf_addf(b, " AND %s", q->having);
		ss_buf_adds(b, ") AS d");
		return true;
	case SS_COUNT_CHECK:
		from(b, q, n);
		ss_buf_addf(b, " WHERE NOT (%s)", q->expr);
		return true;
	case SS_COUNT_FK:
		from(b, q, n);
		ss_buf_adds(b, " AS c WHERE ");
		for (i = 0; i < q->ncolumns; i++) {
			ss_buf_adds(b, "c.");
			n->ident(b, q->columns[i]);
			ss_buf_adds(b, " IS NOT NULL AND ");
		}
		ss_buf_adds(b, "NOT EXISTS (SELECT 1 FROM ");
		n->ident(b, q->ref_table);
		ss_buf_adds(b, " AS p WHERE ");
		for (i = 0; i < q->ncolumns; i++) {
			if (i)
				ss_buf_adds(b, " AND ");
			ss_buf_adds(b, "p.");
			n->ident(b, q->ref_columns[i]);
			ss_buf_adds(b, " = c.");
			n->ident(b, q->columns[i]);
		}
		ss_buf_adds(b, ")");
		return true;
	case SS_COUNT_LOSSY:
	case SS_COUNT_ENUM_VALUE:
	case SS_COUNT_STRICT:
	case SS_COUNT_ENUM_IN_ARRAY:
		break;
	}
	return false;
}
