#ifndef SS_PQ_H
#define SS_PQ_H
/*
 * libpq, loaded when it is first needed. The binary is not linked with
 * libpq: it and the ~20 libraries it pulls in (ssl, crypto, krb5, ldap,
 * gnutls, ...) cost every run milliseconds and megabytes, SQLite runs
 * included. ss_pq_load() dlopen()s "libpq.so.5" (or what
 * SCHEMASYNC_LIBPQ names, a knob for tests and packagers) the first
 * time a PostgreSQL connection is made, and resolves every PQ* function
 * the code uses into one table, ss_pq.
 *
 * The files of src/postgres/ include this header instead of
 * <libpq-fe.h>: it includes <libpq-fe.h> for the types, then makes each
 * PQ* name below stand for its entry in the table, so call sites read
 * as plain libpq. A function used from now on is added to SS_PQ_FNS and
 * gets its #define at the end of this file (a forgotten one is a link
 * error: the binary has no libpq to resolve it in).
 */
#include <libpq-fe.h>

#include "ss/err.h"

#define SS_PQ_FNS(X) \
	X(PQclear) \
	X(PQconnectdbParams) \
	X(PQconninfoFree) \
	X(PQconninfoParse) \
	X(PQerrorMessage) \
	X(PQescapeIdentifier) \
	X(PQescapeLiteral) \
	X(PQexec) \
	X(PQexecParams) \
	X(PQfinish) \
	X(PQfreemem) \
	X(PQgetisnull) \
	X(PQgetvalue) \
	X(PQhost) \
	X(PQlibVersion) \
	X(PQnfields) \
	X(PQntuples) \
	X(PQport) \
	X(PQresultErrorField) \
	X(PQresultErrorMessage) \
	X(PQresultStatus) \
	X(PQserverVersion) \
	X(PQsetNoticeReceiver) \
	X(PQstatus) \
	X(PQtransactionStatus)

/* The prototypes come from <libpq-fe.h>: a pointer of each one's type. */
struct ss_pq {
#define SS_PQ_MEMBER(name) __typeof__(name) *name;
	SS_PQ_FNS(SS_PQ_MEMBER)
#undef SS_PQ_MEMBER
};

/* Filled by ss_pq_load(); all NULL before. */
extern struct ss_pq ss_pq;

/*
 * Loads libpq and fills ss_pq, once (later calls return at once with
 * the first outcome). On failure returns -SS_EDB: "cannot load
 * libpq.so.5: <why>; install libpq5". err may be NULL.
 */
int ss_pq_load(struct ss_err *err);

/* pq.c, which fills the table, sees the plain names. */
#ifndef SS_PQ_TABLE_ONLY
#define PQclear ss_pq.PQclear
#define PQconnectdbParams ss_pq.PQconnectdbParams
#define PQconninfoFree ss_pq.PQconninfoFree
#define PQconninfoParse ss_pq.PQconninfoParse
#define PQerrorMessage ss_pq.PQerrorMessage
#define PQescapeIdentifier ss_pq.PQescapeIdentifier
#define PQescapeLiteral ss_pq.PQescapeLiteral
#define PQexec ss_pq.PQexec
#define PQexecParams ss_pq.PQexecParams
#define PQfinish ss_pq.PQfinish
#define PQfreemem ss_pq.PQfreemem
#define PQgetisnull ss_pq.PQgetisnull
#define PQgetvalue ss_pq.PQgetvalue
#define PQhost ss_pq.PQhost
#define PQlibVersion ss_pq.PQlibVersion
#define PQnfields ss_pq.PQnfields
#define PQntuples ss_pq.PQntuples
#define PQport ss_pq.PQport
#define PQresultErrorField ss_pq.PQresultErrorField
#define PQresultErrorMessage ss_pq.PQresultErrorMessage
#define PQresultStatus ss_pq.PQresultStatus
#define PQserverVersion ss_pq.PQserverVersion
#define PQsetNoticeReceiver ss_pq.PQsetNoticeReceiver
#define PQstatus ss_pq.PQstatus
#define PQtransactionStatus ss_pq.PQtransactionStatus
#endif

#endif
