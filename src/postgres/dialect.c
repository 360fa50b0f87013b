/*
 * The PostgreSQL dialect (include/ss/dialect.h).
 *
 * Design notes:
 *  1. Every change is one step of plain DDL (ALTER TABLE, CREATE/DROP
 *     INDEX, CREATE/ALTER/DROP TYPE), in the plan's order, all in one
 *     transaction. Names are unqualified: the connection's search_path
 *     is the managed schema (config postgres_schema) and nothing else,
 *     so every object is created, found and dropped there.
 *  2. The applying transaction takes pg_advisory_xact_lock(SS_PG_LOCK_KEY)
 *     first, so two pushes to one database queue, and sets lock_timeout
 *     (10 s unless the session has one already, e.g. from the URL's
 *     options) so a push waiting behind another transaction gives up
 *     and says what it was waiting for instead of hanging.
 *  3. Counts run in a scratch scope (a savepoint inside the applying
 *     transaction, BEGIN ... ROLLBACK outside), so a count that fails on
 *     a user's expression leaves the transaction usable; such a count is
 *     unknown (-1).
 *  4. Nothing derived from the URL is printed but through ss_url_mask(),
 *     and every libpq or server message is masked against the URL's
 *     password (ss_url_mask_message()). Server errors are their
 *     message, detail and hint, never their CONTEXT, which would name
 *     the helper functions above.
 *  5. The server's notices are kept by a notice receiver and handed
 *     out by pg_notices(), never printed by libpq. NOTICEs are off
 *     (client_min_messages = warning) unless the URL turns them on.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pq.h"

#include "ss/countsql.h"
#include "ss/dialect.h"
#include "ss/sqlparse.h"
#include "introspect.h"
#include "ddl.h"
#include "emit.h"
#include "expr.h"

/* The lock timeout a push uses unless the session sets one. */
#define LOCK_TIMEOUT "10s"

struct pg_conn {
	PGconn *pg;
	const struct ss_config *cfg;
	const char *schema;		/* the managed schema */
	char *display;			/* the URL, password masked */
	char *target;			/* the URL as given: what every message is masked against */
	struct ss_buf notices;		/* the server's notices not yet taken: severity, TAB, message, NUL each */
	char lock_timeout[32];		/* what the applying transaction uses */
	unsigned long queries;		/* catalog queries of the last introspection */
	unsigned long readings;		/* introspections on this connection */
	bool prepared;			/* introspection's statements are made */
};

#define CONN(c) ((struct pg_conn *)(void *)(c))

/* FNV-1a of "schemasync", as the bigint pg_advisory_xact_lock() takes. */
static long long
lock_key(void)
{
	const char *s = "schemasync";
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return (long long)(h & 0x7fffffffffffffffULL);
}

/* Comparison hooks. */

static bool
same_type(const struct ss_type *d, const struct ss_type *c, void *ctx)
{
	(void)ctx;
	return ss_pg_same_type(d, c);
}

static bool
same_default(const struct ss_column *d, const struct ss_column *c, void *ctx)
{
	(void)ctx;
	return ss_pg_same_default(d, c);
}

static bool
same_expr(const char *d, const char *c, void *ctx)
{
	(void)ctx;
	return ss_pg_same_expr(d, c);
}

static void
quote(struct ss_buf *b, const char *name)
{
	ss_pg_quote_ident(b, name);
}

/*
 * libpq's message without its trailing newline(s), masked: no password
 * of the URL, in any form, is ever printed (libpq quotes one it cannot
 * percent-decode).
 */
static void
pg_message(const struct pg_conn *c, struct ss_buf *b, const char *msg)
{
	char *m = ss_url_mask_message(msg != NULL ? msg : "", c->target);
	size_t n = strlen(m);

	while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
		n--;
	ss_buf_add(b, m, n);
	free(m);
}

/*
 * The server's message in one line, without the "ERROR:" libpq puts
 * before it and without its CONTEXT (which names schemasync's helper
 * functions): the message, then its detail and hint. libpq's own
 * errors (a connection lost) have no fields: its message, as it is.
 */
static void
server_message(const struct pg_conn *c, struct ss_buf *b, const PGresult *r,
    const char *fallback)
{
	const char *primary = r != NULL ?
	    PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *detail, *hint;
	struct ss_buf t = SS_BUF_INIT;

	if (primary == NULL) {
		pg_message(c, b, fallback);
		return;
	}
	detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
	hint = PQresultErrorField(r, PG_DIAG_MESSAGE_HINT);
	ss_buf_adds(&t, primary);
	if (detail != NULL)
		ss_buf_addf(&t, " (%s)", detail);
	if (hint != NULL)
		ss_buf_addf(&t, " (hint: %s)", hint);
	pg_message(c, b, t.s);
	ss_buf_release(&t);
}

/*
 * libpq's notice receiver: every notice and warning the server sends
 * (and libpq's own, such as a message that arrived while idle) is kept,
 * in one line and masked, for pg_notices(); libpq's default would print
 * it raw on stderr, in the middle of JSON output.
 */
static void
receive_notice(void *arg, const PGresult *r)
{
	struct pg_conn *c = arg;
	const char *sev = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
	struct ss_buf m = SS_BUF_INIT;
	size_t i;

	if (sev == NULL)
		sev = PQresultErrorField(r, PG_DIAG_SEVERITY);
	server_message(c, &m, r, PQresultErrorMessage(r));
	for (i = 0; i < m.len; i++)
		if (m.s[i] == '\n' || m.s[i] == '\t')
			m.s[i] = ' ';
	for (; sev != NULL && *sev; sev++)
		ss_buf_addc(&c->notices, (char)(*sev >= 'A' && *sev <= 'Z' ?
		    *sev - 'A' + 'a' : *sev));
	if (sev == NULL)
		ss_buf_adds(&c->notices, "notice");
	ss_buf_addc(&c->notices, '\t');
	ss_buf_add(&c->notices, m.s, m.len);
	ss_buf_addc(&c->notices, '\n');
	ss_buf_release(&m);
}

static void
pg_notices(struct ss_conn *conn, void (*fn)(void *, const char *,
    const char *), void *arg)
{
	struct pg_conn *c = CONN(conn);
	char *all, *line, *nl, *tab;

	if (c->notices.len == 0)
		return;
	all = ss_buf_detach(&c->notices);
	for (line = all; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		*nl = '\0';
		tab = strchr(line, '\t');
		*tab = '\0';
		fn(arg, line, tab + 1);
	}
	free(all);
}

/* Runs sql; on failure sets err to "WHAT: server message". */
static int
run(struct pg_conn *c, const char *sql, const char *what, struct ss_err *err)
{
	struct ss_buf m = SS_BUF_INIT;
	PGresult *r = PQexec(c->pg, sql);
	ExecStatusType st = PQresultStatus(r);
	int rc = 0;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		server_message(c, &m, r, PQerrorMessage(c->pg));
		rc = ss_err_set(err, SS_EDB, "%s: %s", what, m.s);
	}
	PQclear(r);
	ss_buf_release(&m);
	return rc;
}

static int
pg_select(struct ss_conn *conn, const char *sql,
    void (*fn)(void *, size_t, const char *const *), void *arg,
    struct ss_err *err)
{
	struct pg_conn *c = CONN(conn);
	struct ss_buf m = SS_BUF_INIT;
	PGresult *r = PQexec(c->pg, sql);
	const char **v;
	int i, j, nf, rc = 0;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		server_message(c, &m, r, PQerrorMessage(c->pg));
		rc = ss_err_set(err, SS_EDB, "%s", m.s);
		goto out;
	}
	nf = PQnfields(r);
	v = ss_xcalloc((size_t)nf + 1, sizeof *v);
	for (i = 0; i < PQntuples(r); i++) {
		for (j = 0; j < nf; j++)
			v[j] = PQgetisnull(r, i, j) ? NULL : PQgetvalue(r, i, j);
		fn(arg, (size_t)nf, v);
	}
	free(v);
out:
	PQclear(r);
	ss_buf_release(&m);
	return rc;
}

/*
 * The catalog fingerprint (the introspection cache of watch): for each
 * catalog introspection reads, how many visible row versions it has by
 * xmin, the transaction that made them. Every DDL statement inserts,
 * updates or deletes catalog rows, and an update is a new row version.
 * A transaction that committed after a fingerprint was read made none
 * of the row versions it saw, so a row version it adds brings an xmin
 * that was not there (even when its transaction began first), and one
 * it only removes lowers a count: either way the text changes. An
 * aborted change is never visible; VACUUM FREEZE may change the text
 * with the schema unchanged (one needless introspection). Rows made by
 * initdb (oids below 16384) are left out where they cannot be altered
 * without allow_system_table_mods, but namespaces are all in (public is
 * one of them). The flags PostgreSQL updates in place, without a new
 * xmin (pg_index's indisvalid, indisready, indislive), are counted by
 * value. Grouping needs no text a row: a third of the time of hashing
 * each row's identity and xmin (2.8 against 8.8 ms at 100 tables,
 * where pg_depend has 3,300 such rows). The groups are sorted before
 * they are hashed: the order a plan gives them in changes when the
 * catalogs' statistics do (autovacuum), and each change cost an
 * introspection with the schema unchanged.
 */
#define FP_GROUP(tag, from) \
	" SELECT '" tag "' || xmin || ':' || count(*) FROM pg_catalog." from \
	" GROUP BY xmin"
static const char fingerprint_sql[] =
    "SELECT md5(string_agg(v, ' ' ORDER BY v)) || ' ' || count(*) FROM ("
    FP_GROUP("n", "pg_namespace")
    " UNION ALL" FP_GROUP("c", "pg_class WHERE oid >= 16384")
    " UNION ALL" FP_GROUP("a", "pg_attribute WHERE attrelid >= 16384")
    " UNION ALL" FP_GROUP("d", "pg_attrdef")
    " UNION ALL" FP_GROUP("k", "pg_constraint WHERE oid >= 16384")
    " UNION ALL SELECT 'i' || xmin || ':' || indisvalid || indisready ||"
    "  indislive || ':' || count(*) FROM pg_catalog.pg_index"
    "  WHERE indexrelid >= 16384"
    "  GROUP BY xmin, indisvalid, indisready, indislive"
    " UNION ALL" FP_GROUP("t", "pg_type WHERE oid >= 16384")
    " UNION ALL" FP_GROUP("e", "pg_enum")
    " UNION ALL" FP_GROUP("m", "pg_description WHERE objoid >= 16384")
    " UNION ALL" FP_GROUP("p", "pg_depend WHERE objid >= 16384 OR "
	"refobjid >= 16384")
    " UNION ALL" FP_GROUP("s", "pg_sequence WHERE seqrelid >= 16384")
    " UNION ALL" FP_GROUP("r", "pg_trigger")
    " UNION ALL" FP_GROUP("w", "pg_rewrite WHERE oid >= 16384")
    " UNION ALL" FP_GROUP("f", "pg_proc WHERE oid >= 16384")
    " UNION ALL" FP_GROUP("h", "pg_inherits")
    " UNION ALL" FP_GROUP("x", "pg_extension")
    " UNION ALL" FP_GROUP("o", "pg_collation WHERE oid >= 16384")
    " UNION ALL" FP_GROUP("g", "pg_range WHERE rngtypid >= 16384")
    " UNION ALL" FP_GROUP("l", "pg_opclass WHERE oid >= 16384")
    " UNION ALL" FP_GROUP("u", "pg_am WHERE oid >= 16384")
    ") AS f(v)";

static int
pg_fingerprint(struct ss_conn *conn, struct ss_buf *out, struct ss_err *err)
{
	struct pg_conn *c = CONN(conn);
	struct ss_buf m = SS_BUF_INIT;
	PGresult *r = NULL;
	int rc = 0;

	/*
	 * A prepared statement of the session (watch reads it every run):
	 * planning the twenty-way UNION cost about half as much as running
	 * it. Looked for first, in the same transaction as its use, so a
	 * session that lost it (DISCARD ALL, a pooler's other backend)
	 * prepares it again instead of failing.
	 */
	r = PQexec(c->pg, "SELECT 1 FROM pg_catalog.pg_prepared_statements "
	    "WHERE name = 'ss_fingerprint'");
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		goto failed;
	if (PQntuples(r) == 0) {
		PQclear(r);
		r = PQprepare(c->pg, "ss_fingerprint", fingerprint_sql, 0, NULL);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			goto failed;
	}
	PQclear(r);
	r = PQexecPrepared(c->pg, "ss_fingerprint", 0, NULL, NULL, NULL, 0);
failed:
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		server_message(c, &m, r, PQerrorMessage(c->pg));
		rc = ss_err_set(err, SS_EDB, "reading the catalog's "
		    "fingerprint: %s", m.s);
	} else
		ss_buf_adds(out, PQgetvalue(r, 0, 0));
	PQclear(r);
	ss_buf_release(&m);
	return rc;
}

/* Connection. */

static bool
has_key(const PQconninfoOption *opts, const char *key)
{
	for (; opts != NULL && opts->keyword != NULL; opts++)
		if (strcmp(opts->keyword, key) == 0 && opts->val != NULL &&
		    opts->val[0] != '\0')
			return true;
	return false;
}

static int
pg_connect(const struct ss_url *url, const struct ss_config *cfg,
    struct ss_conn **out, struct ss_err *err)
{
	/* connect_timeout first: a value in the URL comes later and wins. */
	const char *keys[] = { "connect_timeout", "fallback_application_name",
		"dbname", NULL };
	const char *vals[] = { "5", "schemasync", url->target, NULL };
	struct ss_buf m = SS_BUF_INIT, sql = SS_BUF_INIT;
	PQconninfoOption *parsed;
	struct pg_conn *c;
	const char *host, *port;
	char *perr = NULL, *lit;
	PGresult *r;
	int rc = 0, skip;

	/* libpq is loaded with the first connection (pq.h). */
	if ((rc = ss_pq_load(err)) < 0)
		return rc;
	c = ss_xcalloc(1, sizeof *c);
	ss_buf_init(&c->notices);
	c->cfg = cfg;
	c->schema = cfg != NULL && cfg->postgres_schema != NULL ?
	    cfg->postgres_schema : "public";
	c->display = ss_url_mask(url->target);
	c->target = ss_xstrdup(url->target);
	parsed = PQconninfoParse(url->target, &perr);
	if (parsed == NULL) {
		pg_message(c, &m, perr);
		rc = ss_err_set(err, SS_EUSAGE, "%s: not a valid PostgreSQL "
		    "connection string: %s%s", url->display, m.s,
		    perr != NULL && strstr(perr, "percent-encoded") != NULL ?
		    " (write a '%' in a URL as %25)" : "");
		goto fail;
	}
	/* A timeout given otherwise is left alone: skip ours. */
	skip = has_key(parsed, "connect_timeout") ||
	    getenv("PGCONNECT_TIMEOUT") != NULL;
	PQconninfoFree(parsed);
	c->pg = PQconnectdbParams(keys + skip, vals + skip, 1);
	if (c->pg != NULL)
		PQsetNoticeReceiver(c->pg, receive_notice, c);
	if (c->pg == NULL || PQstatus(c->pg) != CONNECTION_OK) {
		host = c->pg != NULL ? PQhost(c->pg) : NULL;
		port = c->pg != NULL ? PQport(c->pg) : NULL;
		pg_message(c, &m, c->pg != NULL ? PQerrorMessage(c->pg) :
		    "out of memory");
		rc = ss_err_set(err, SS_EDB, "cannot connect to %s (host %s, "
		    "port %s): %s", url->display,
		    host != NULL && *host ? host : "default",
		    port != NULL && *port ? port : "default", m.s);
		goto fail;
	}
	/* Unqualified names mean the managed schema, and only it. */
	lit = PQescapeLiteral(c->pg, c->schema, strlen(c->schema));
	/* The server's NOTICEs about schemasync's own statements ("is not
	 * an identity column, skipping") say nothing to the user: from
	 * WARNING up, unless the URL's options set client_min_messages. */
	ss_buf_addf(&sql, "SELECT pg_catalog.set_config('search_path', "
	    "pg_catalog.quote_ident(%s), false), "
	    "pg_catalog.current_setting('lock_timeout'), "
	    "(SELECT pg_catalog.set_config(name, 'warning', false) "
	    "FROM pg_catalog.pg_settings WHERE name = 'client_min_messages' "
	    "AND source = 'default')", lit ? lit : "''");
	PQfreemem(lit);
	r = PQexec(c->pg, sql.s);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		server_message(c, &m, r, PQerrorMessage(c->pg));
		rc = ss_err_set(err, SS_EDB, "%s: setting search_path to "
		    "'%s': %s", url->display, c->schema, m.s);
		PQclear(r);
		goto fail;
	}
	snprintf(c->lock_timeout, sizeof c->lock_timeout, "%s",
	    strcmp(PQgetvalue(r, 0, 1), "0") == 0 ? LOCK_TIMEOUT :
	    PQgetvalue(r, 0, 1));
	PQclear(r);
	*out = (struct ss_conn *)(void *)c;
	goto out;
fail:
	if (c->pg != NULL)
		PQfinish(c->pg);
	free(c->display);
	free(c->target);
	ss_buf_release(&c->notices);
	free(c);
out:
	PQfreemem(perr);
	ss_buf_release(&m);
	ss_buf_release(&sql);
	return rc;
}

static void
pg_close(struct ss_conn *conn)
{
	PQfinish(CONN(conn)->pg);
	free(CONN(conn)->display);
	free(CONN(conn)->target);
	ss_buf_release(&CONN(conn)->notices);
	free(conn);
}

static int
pg_introspect(struct ss_conn *conn, struct ss_schema *out, struct ss_err *err)
{
	struct pg_conn *c = CONN(conn);
	unsigned long q0 = ss_pg_query_count();
	int r;

	/* Prepared from the second reading on: a command that reads once
	 * (push) would only pay for keeping the plans. */
	r = ss_pg_introspect(c->pg, c->schema, out, err,
	    c->readings++ > 0 ? &c->prepared : NULL);
	c->queries = ss_pg_query_count() - q0;
	return r;
}

static int
pg_queries(struct ss_conn *conn)
{
	return (int)CONN(conn)->queries;
}

/* The connection broke: the server went away or ended the session. */
static bool
pg_lost(struct ss_conn *conn)
{
	return PQstatus(CONN(conn)->pg) == CONNECTION_BAD;
}

/*
 * Kept for another run while open, idle, and answering: an empty query
 * (one round trip) notices a session the server ended meanwhile
 * (pg_terminate_backend, a restart); then a new connection is made.
 */
static bool
pg_reusable(struct ss_conn *conn)
{
	PGconn *pg = CONN(conn)->pg;
	PGresult *r;
	bool ok;

	if (PQstatus(pg) != CONNECTION_OK ||
	    PQtransactionStatus(pg) != PQTRANS_IDLE)
		return false;
	r = PQexec(pg, "");
	ok = PQresultStatus(r) == PGRES_EMPTY_QUERY &&
	    PQstatus(pg) == CONNECTION_OK;
	PQclear(r);
	return ok;
}

/* Counts. */

/* An index entry without a trailing ASC/DESC/NULLS FIRST/NULLS LAST. */
static void
entry_expr(struct ss_buf *b, const char *entry)
{
	static const char *const words[] = { "asc", "desc", "first", "last",
		"nulls", NULL };
	size_t n = strlen(entry), w, i;

	for (;;) {
		while (n > 0 && entry[n - 1] == ' ')
			n--;
		w = n;
		while (w > 0 && ((entry[w - 1] | 0x20) >= 'a' &&
		    (entry[w - 1] | 0x20) <= 'z'))
			w--;
		if (w == 0 || entry[w - 1] != ' ')
			break;
		for (i = 0; words[i] != NULL; i++)
			if (strlen(words[i]) == n - w &&
			    strncasecmp(entry + w, words[i], n - w) == 0)
				break;
		if (words[i] == NULL)
			break;
		n = w;
	}
	ss_buf_add(b, entry, n);
}

static bool
is_plain_ident(const char *s)
{
	if (*s == '\0' || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') ||
		    (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    (unsigned char)*s >= 0x80))
			return false;
	return true;
}

/* A column name quoted, an expression (order words dropped) in
 * parentheses. */
static void
term(struct ss_buf *b, const char *s)
{
	struct ss_buf e = SS_BUF_INIT;

	if (is_plain_ident(s)) {
		quote(b, s);
		return;
	}
	entry_expr(&e, s);
	if (is_plain_ident(e.s))
		quote(b, e.s);
	else
		ss_buf_addf(b, "(%s)", e.s);
	ss_buf_release(&e);
}

static const struct ss_sql_names names = { quote, term };

/* Opens a scratch scope: a savepoint in a transaction, else one. */
static int
scratch_open(struct pg_conn *c, bool *own, struct ss_err *err)
{
	struct ss_buf b = SS_BUF_INIT;
	char *lit;
	int rc;

	*own = PQtransactionStatus(c->pg) == PQTRANS_IDLE;
	if (!*own)
		return run(c, "SAVEPOINT ss_count", "counting what the plan "
		    "would change", err);
	/* Not READ ONLY: lossy_by_row() creates a temporary function.
	 * Everything is rolled back. A dry run waits for locks no longer
	 * than a push would. */
	lit = PQescapeLiteral(c->pg, c->lock_timeout, strlen(c->lock_timeout));
	ss_buf_addf(&b, "BEGIN; SELECT pg_catalog.set_config('lock_timeout', "
	    "%s, true)", lit != NULL ? lit : "'" LOCK_TIMEOUT "'");
	PQfreemem(lit);
	rc = run(c, b.s, "counting what the plan would change", err);
	ss_buf_release(&b);
	return rc;
}

static void
scratch_close(struct pg_conn *c, bool own)
{
	PGresult *r = PQexec(c->pg, own ? "ROLLBACK" :
	    "ROLLBACK TO SAVEPOINT ss_count; RELEASE SAVEPOINT ss_count");

	PQclear(r);
}

/*
 * Runs a count query inside the scratch scope: 0 with *n, or -1 with
 * the server's message in why and its SQLSTATE in state (6 bytes).
 */
static int
count_query(struct pg_conn *c, const char *sql, long *n, struct ss_buf *why,
    char *state)
{
	PGresult *r = PQexec(c->pg, sql);
	const char *st;
	int rc = -1;

	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		*n = strtol(PQgetvalue(r, 0, 0), NULL, 10);
		rc = 0;
	} else {
		st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		if (state != NULL)
			snprintf(state, 6, "%s", st != NULL ? st : "");
		if (why != NULL)
			server_message(c, why, r, PQerrorMessage(c->pg));
	}
	PQclear(r);
	return rc;
}

/*
 * The LOSSY count as one query. round_trip: a value is kept when it
 * casts to the new type and back to an equal value (numeric 1.00 to
 * integer and back is 1, a timestamp to timestamptz and back is the
 * same); otherwise (types without equality, such as json) when its
 * text is the same after the cast.
 */
static void
lossy_sql(struct ss_buf *b, const struct ss_count_request *q, bool round_trip)
{
	size_t i;

	ss_buf_adds(b, "SELECT count(*) FROM ");
	quote(b, q->table);
	ss_buf_adds(b, " WHERE ");
	quote(b, q->column);
	ss_buf_adds(b, " IS NOT NULL AND ");
	/* Rows left out are not cast at all: a CASE, as WHERE may cast
	 * before it filters, and a value that fails would fail it all. */
	if (q->unless != NULL)
		ss_buf_addf(b, "CASE WHEN %s THEN false ELSE ", q->unless);
	if (q->to_enum != NULL) {
		/* The enum may not exist yet: compare with its values. */
		quote(b, q->column);
		ss_buf_adds(b, "::text NOT IN (");
		for (i = 0; i < q->to_enum->values.n; i++) {
			if (i)
				ss_buf_adds(b, ", ");
			ss_pg_quote_literal(b, q->to_enum->values.v[i].name);
		}
		if (q->to_enum->values.n == 0)
			ss_buf_adds(b, "NULL");
		ss_buf_addc(b, ')');
	} else if (round_trip) {
		ss_buf_adds(b, "(");
		ss_pg_using_expr(b, q->column, q->from, q->to);
		ss_buf_adds(b, ss_pg_is_enum(q->from) || ss_pg_is_enum(q->to) ?
		    ")::text::" : ")::");
		ss_pg_type_sql(b, q->from);
		ss_buf_adds(b, " IS DISTINCT FROM ");
		quote(b, q->column);
	} else {
		ss_buf_adds(b, "(");
		ss_pg_using_expr(b, q->column, q->from, q->to);
		ss_buf_adds(b, ")::text IS DISTINCT FROM ");
		quote(b, q->column);
		ss_buf_adds(b, "::text");
	}
	if (q->unless != NULL)
		ss_buf_adds(b, " END");
}

/*
 * Values that do not survive a cast, row by row: for when the cast of
 * the whole column fails. The function lives in pg_temp and goes with
 * the scratch scope; it says 0 for a value kept, 1 for one the cast
 * changes (cut, rounded), 2 for one the cast refuses (which the
 * conversion makes NULL). *n counts 1 and 2, *failing 2.
 */
static int
lossy_by_row(struct pg_conn *c, const struct ss_count_request *q, long *n,
    long *failing)
{
	struct ss_buf b = SS_BUF_INIT, cast = SS_BUF_INIT;
	struct ss_err e = SS_ERR_INIT;
	PGresult *r;
	int rc;

	ss_buf_adds(&cast, "SELECT (($1)");
	if (ss_pg_is_enum(q->from))
		ss_buf_adds(&cast, "::text");
	ss_buf_adds(&cast, "::");
	ss_pg_type_sql(&cast, q->to);
	ss_buf_adds(&cast, ")::text");
	ss_buf_adds(&b, "CREATE FUNCTION pg_temp.ss_lossy(v anyelement) "
	    "RETURNS integer LANGUAGE plpgsql AS $ss_f$ DECLARE r text; "
	    "BEGIN EXECUTE ");
	ss_pg_quote_literal(&b, cast.s);
	ss_buf_adds(&b, " INTO r USING v; RETURN CASE WHEN r IS DISTINCT FROM "
	    "v::text THEN 1 ELSE 0 END; "
	    "EXCEPTION WHEN OTHERS THEN RETURN 2; END $ss_f$");
	if (strstr(cast.s, "$ss_f$") != NULL ||
	    run(c, b.s, "counting values a cast changes", &e) < 0) {
		rc = -1;
		goto out;
	}
	ss_buf_reset(&b);
	ss_buf_adds(&b, "SELECT count(*), count(*) FILTER (WHERE k = 2) FROM "
	    "(SELECT pg_temp.ss_lossy(");
	quote(&b, q->column);
	ss_buf_adds(&b, ") AS k FROM ");
	quote(&b, q->table);
	ss_buf_adds(&b, " WHERE ");
	quote(&b, q->column);
	ss_buf_adds(&b, " IS NOT NULL");
	if (q->unless != NULL)
		ss_buf_addf(&b, " AND NOT (%s)", q->unless);
	ss_buf_adds(&b, ") AS s WHERE k > 0");
	r = PQexec(c->pg, b.s);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		*n = strtol(PQgetvalue(r, 0, 0), NULL, 10);
		*failing = strtol(PQgetvalue(r, 0, 1), NULL, 10);
		rc = 0;
	} else
		rc = -1;
	PQclear(r);
out:
	ss_err_release(&e);
	ss_buf_release(&b);
	ss_buf_release(&cast);
	return rc;
}

static int
pg_count(struct ss_conn *conn, struct ss_count_request *q, struct ss_err *err)
{
	struct pg_conn *c = CONN(conn);
	struct ss_buf b = SS_BUF_INIT, why = SS_BUF_INIT;
	char state[6] = "";
	bool tolerant = ss_count_tolerant(q->kind), own;
	long n = -1, f = 0;
	int rc = 0;

	switch (q->kind) {
	case SS_COUNT_LOSSY:
		tolerant = true;
		lossy_sql(&b, q, true);
		break;
	case SS_COUNT_ENUM_VALUE:
		ss_buf_adds(&b, "SELECT count(*) FROM ");
		quote(&b, q->table);
		ss_buf_adds(&b, " WHERE ");
		quote(&b, q->column);
		ss_buf_adds(&b, "::text = ");
		ss_pg_quote_literal(&b, q->value);
		break;
	case SS_COUNT_ENUM_IN_ARRAY:
		ss_buf_adds(&b, "SELECT count(*) FROM ");
		quote(&b, q->table);
		ss_buf_adds(&b, " WHERE ");
		ss_pg_quote_literal(&b, q->value);
		ss_buf_adds(&b, " = ANY (CAST(");
		quote(&b, q->column);
		ss_buf_adds(&b, " AS text[]))");
		break;
	default:	/* the kinds every dialect writes alike */
		ss_count_sql(&b, q, &names);
		break;
	}
	if ((rc = scratch_open(c, &own, err)) < 0)
		goto out;
	if (count_query(c, b.s, &n, &why, state) == 0) {
		q->count = n;
		/* Every value cast; into an enum, one not among its values
		 * is refused. */
		if (q->kind == SS_COUNT_LOSSY)
			q->failing = q->to_enum != NULL ? n : 0;
	} else if (strcmp(state, "55P03") == 0)
		rc = ss_err_set(err, SS_EDB, "waited %s for a lock on '%s' "
		    "that another session holds (a long transaction?) and gave "
		    "up, while counting what the plan would change; nothing "
		    "was applied", c->lock_timeout, q->table);
	else if (q->kind == SS_COUNT_LOSSY) {
		/* No equality for the type: compare text. Some value does
		 * not cast: count them one by one. */
		scratch_close(c, own);
		if ((rc = scratch_open(c, &own, err)) < 0)
			goto out;
		ss_buf_reset(&b);
		lossy_sql(&b, q, false);
		if (count_query(c, b.s, &n, NULL, state) == 0) {
			q->count = n;
			q->failing = 0;
		} else {
			/* 42846: no cast from the one type to the other
			 * (bigint to uuid); every value is refused. */
			q->no_cast = strcmp(state, "42846") == 0;
			scratch_close(c, own);
			if ((rc = scratch_open(c, &own, err)) < 0)
				goto out;
			q->count = lossy_by_row(c, q, &n, &f) == 0 ? n : -1;
			q->failing = q->count >= 0 ? f : -1;
		}
	} else if (tolerant)
		q->count = -1;
	else
		rc = ss_err_set(err, SS_EDB, "counting what the plan would "
		    "change in '%s': %s", q->table, why.s);
	scratch_close(c, own);
out:
	ss_buf_release(&b);
	ss_buf_release(&why);
	return rc;
}

/* The applying transaction. */

static int
pg_begin(struct ss_conn *conn, struct ss_err *err)
{
	/* What each statement of the batch below does, for its error. */
	static const char *const what[] = { "starting the transaction",
		"setting lock_timeout", NULL, NULL };
	struct pg_conn *c = CONN(conn);
	struct ss_buf sql = SS_BUF_INIT, m = SS_BUF_INIT;
	const char *state;
	char *lit, *slit;
	PGresult *r;
	ExecStatusType st;
	bool missing = false;
	size_t i = 0;
	int rc = 0;

	/*
	 * BEGIN, lock_timeout, schemasync's advisory lock and whether the
	 * managed schema (postgres_schema) exists yet: one round trip, each
	 * statement's answer read on its own, the rest skipped by the
	 * server after an error.
	 */
	lit = PQescapeLiteral(c->pg, c->lock_timeout, strlen(c->lock_timeout));
	slit = PQescapeLiteral(c->pg, c->schema, strlen(c->schema));
	ss_buf_addf(&sql, "BEGIN; SELECT pg_catalog.set_config('lock_timeout', "
	    "%s, true); SELECT pg_catalog.pg_advisory_xact_lock(%lld); "
	    "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = %s",
	    lit ? lit : "'10s'", lock_key(), slit ? slit : "'public'");
	PQfreemem(lit);
	PQfreemem(slit);
	if (!PQsendQuery(c->pg, sql.s)) {
		server_message(c, &m, NULL, PQerrorMessage(c->pg));
		rc = ss_err_set(err, SS_EDB, "%s: %s", what[0], m.s);
		goto out;
	}
	while ((r = PQgetResult(c->pg)) != NULL) {
		st = PQresultStatus(r);
		if (rc == 0 && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
			server_message(c, &m, r, PQresultErrorMessage(r));
			state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
			if (i < 2)
				rc = ss_err_set(err, SS_EDB, "%s: %s", what[i],
				    m.s);
			else if (i == 2 && state != NULL &&
			    strcmp(state, "55P03") == 0)
				rc = ss_err_set(err, SS_EDB, "waited %s for "
				    "another schemasync push to %s to finish "
				    "(advisory lock %lld) and gave up; nothing "
				    "was applied", c->lock_timeout, c->display,
				    lock_key());
			else if (i == 2)
				rc = ss_err_set(err, SS_EDB, "taking "
				    "schemasync's advisory lock: %s", m.s);
		} else if (i == 3 && st == PGRES_TUPLES_OK)
			missing = PQntuples(r) == 0;
		PQclear(r);
		i++;
	}
	if (rc == 0 && missing) {
		ss_buf_reset(&sql);
		lit = PQescapeIdentifier(c->pg, c->schema, strlen(c->schema));
		ss_buf_addf(&sql, "CREATE SCHEMA %s", lit ? lit : "public");
		PQfreemem(lit);
		rc = run(c, sql.s, "creating the managed schema", err);
	}
out:
	ss_buf_release(&sql);
	ss_buf_release(&m);
	return rc;
}

static int
pg_commit(struct ss_conn *conn, struct ss_err *err)
{
	return run(CONN(conn), "COMMIT", "committing", err);
}

static void
pg_rollback(struct ss_conn *conn)
{
	PGresult *r;

	if (PQtransactionStatus(CONN(conn)->pg) == PQTRANS_IDLE)
		return;
	r = PQexec(CONN(conn)->pg, "ROLLBACK");
	PQclear(r);
}

static int
pg_exec_step(struct ss_conn *conn, const struct ss_step *st,
    struct ss_err *err)
{
	struct pg_conn *c = CONN(conn);
	struct ss_buf m = SS_BUF_INIT, d = SS_BUF_INIT;
	const char *state;
	PGresult *r;
	ExecStatusType s;
	size_t i;
	int rc = 0;

	for (i = 0; i < st->nsql && rc == 0; i++) {
		if (strncmp(st->sql[i], "--", 2) == 0)
			continue;
		r = PQexec(c->pg, st->sql[i]);
		s = PQresultStatus(r);
		if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
			state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
			ss_buf_reset(&m);
			server_message(c, &m, r, PQerrorMessage(c->pg));
			if (state != NULL && strcmp(state, "55P03") == 0)
				rc = ss_err_set(err, SS_EDB, "waited %s for a "
				    "lock another session holds (a long "
				    "transaction?) and gave up, while running: "
				    "%s; nothing was applied", c->lock_timeout,
				    st->sql[i]);
			else if (st->nchanges == 0)
				/* A statement of a migration file: the
				 * caller names the file and line. */
				rc = ss_err_set(err, SS_EDB, "%s", m.s);
			else {
				/* The change, not the statement: that may
				 * name schemasync's helper functions. */
				ss_buf_reset(&d);
				if (st->nchanges > 0)
					ss_change_describe(&d, st->changes[0]);
				rc = ss_err_set(err, SS_EDB, "%s, while "
				    "applying '%s'; nothing was applied%s",
				    m.s, d.s, state != NULL &&
				    strcmp(state, "0A000") == 0 &&
				    strstr(m.s, "used by a view or rule") !=
				    NULL ?
				    /* schemasync leaves undeclared views
				     * alone: it does not drop one to change
				     * what it reads. */
				    " (the view is not declared in the schema "
				    "files: declare it under 'views:' and "
				    "schemasync drops and re-creates it around "
				    "the change; or drop the view, push, then "
				    "create it again)" : state != NULL &&
				    strcmp(state, "2BP01") == 0 &&
				    st->changes[0]->op == SS_OP_DROP_VIEW ?
				    /* A declared view that an undeclared
				     * one reads: never dropped with it. */
				    " (a view the schema files do not declare "
				    "reads it: declare that view under 'views:' "
				    "too, or drop it by hand)" : "");
			}
		}
		PQclear(r);
	}
	ss_buf_release(&m);
	ss_buf_release(&d);
	return rc;
}

/*
 * Before diffing: expressions the pure normaliser cannot match with
 * what the server stores (constants folded with type knowledge, such as
 * '2020-01-01' on a timestamp column, '24 hours' on an interval one)
 * are sent to the server (ss_pg_server_canon(), two round trips for
 * all of them), and where its stored form equals the database's, the
 * desired model takes that form: the same meaning, so no change.
 * Only objects present on both sides are asked about. A server that
 * cannot answer (no TEMP privilege, a bad expression) changes nothing.
 */
struct canon {
	struct ss_pg_canon_req *reqs;
	size_t n, alloc;
	struct ss_column **cols;	/* the desired column, or NULL */
	const struct ss_column **ccols;	/* the current column */
	const char ***exprs;		/* the desired expression to replace */
	const char **cur;		/* the current expression */
	size_t a2;
};

static void
canon_add(struct canon *K, const struct ss_table *t, struct ss_column *col,
    const struct ss_column *ccol, const char **expr, const char *text,
    const char *cur)
{
	if (K->n == K->alloc) {
		K->alloc = K->alloc ? 2 * K->alloc : 16;
		K->reqs = ss_xrealloc(K->reqs, K->alloc * sizeof *K->reqs);
		K->cols = ss_xrealloc(K->cols, K->alloc * sizeof *K->cols);
		K->ccols = ss_xrealloc(K->ccols, K->alloc * sizeof *K->ccols);
		K->exprs = ss_xrealloc(K->exprs, K->alloc * sizeof *K->exprs);
		K->cur = ss_xrealloc(K->cur, K->alloc * sizeof *K->cur);
	}
	memset(&K->reqs[K->n], 0, sizeof K->reqs[K->n]);
	K->reqs[K->n].table = t;
	K->reqs[K->n].column = col != NULL ? col->name : NULL;
	K->reqs[K->n].expr = text;
	K->cols[K->n] = col;
	K->ccols[K->n] = ccol;
	K->exprs[K->n] = expr;
	K->cur[K->n] = cur;
	K->n++;
}

/*
 * A declared expression (*expr) against the database's (cur): the same
 * as the normaliser reads them, it takes the database's text, so that
 * the differ compares equal strings and does not normalise both again;
 * else the server is asked (canon_add()).
 */
static void
same_or_canon(struct canon *K, struct ss_schema *desired,
    const struct ss_table *dt, const char **expr, const char *cur)
{
	if (strcmp(*expr, cur) == 0)
		return;
	if (ss_pg_same_expr(*expr, cur))
		*expr = ss_arena_strdup(&desired->arena, cur);
	else
		canon_add(K, dt, NULL, NULL, expr, *expr, cur);
}

static const struct ss_column *
current_column(const struct ss_table *ct, const struct ss_column *dc)
{
	const struct ss_column *c = ss_table_column(ct, dc->name);

	if (c == NULL && dc->renamed_from != NULL)
		c = ss_table_column(ct, dc->renamed_from);
	return c;
}

/*
 * Names as the server keeps them: it cuts identifiers to 63 bytes
 * (NAMEDATALEN - 1), so a longer name in the files would never match
 * what introspection reads, and every push would drop and re-create
 * the table. Every name of the desired model is cut the same way, and
 * the schema's lookup maps are rebuilt.
 */
static void
cut(struct ss_schema *s, const char **name)
{
	size_t n;

	if (*name == NULL || (n = ss_ident_len(*name)) == strlen(*name))
		return;
	*name = ss_arena_strndup(&s->arena, *name, n);
}

static void
cut_list(struct ss_schema *s, struct ss_names *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		cut(s, &l->v[i].name);
}

static void
cut_names(struct ss_schema *s)
{
	struct ss_table *t;
	size_t i, j;
	bool any = false;

	for (i = 0; i < s->ntables && !any; i++)
		any = ss_ident_len(s->tables[i]->name) !=
		    strlen(s->tables[i]->name);
	for (i = 0; i < s->nenums && !any; i++)
		any = ss_ident_len(s->enums[i]->name) !=
		    strlen(s->enums[i]->name);
	for (i = 0; i < s->ntables; i++) {
		t = s->tables[i];
		cut(s, &t->name);
		cut(s, &t->renamed_from);
		for (j = 0; j < t->ncolumns; j++) {
			struct ss_column *c = &t->columns[j];
			const char *before = c->name;
			size_t k;
			cut(s, &c->name);
			cut(s, &c->renamed_from);
			if (c->type.kind == SS_TYPE_ENUM)
				cut(s, &c->type.name);
			if (c->name == before)
				continue;
			/* Index entries that name the column. */
			for (k = 0; k < t->nindexes; k++) {
				size_t e;
				for (e = 0; e < t->indexes[k].columns.n; e++)
					if (strcmp(t->indexes[k].columns.v[e].name,
					    before) == 0)
						t->indexes[k].columns.v[e].name =
						    c->name;
			}
		}
		if (t->pk != NULL) {
			cut(s, &t->pk->name);
			cut_list(s, &t->pk->columns);
		}
		for (j = 0; j < t->nuniques; j++) {
			cut(s, &t->uniques[j].name);
			cut_list(s, &t->uniques[j].columns);
		}
		for (j = 0; j < t->nindexes; j++)
			cut(s, &t->indexes[j].name);
		for (j = 0; j < t->nfks; j++) {
			cut(s, &t->fks[j].name);
			cut(s, &t->fks[j].ref_table);
			cut_list(s, &t->fks[j].columns);
			cut_list(s, &t->fks[j].ref_columns);
		}
		for (j = 0; j < t->nchecks; j++)
			cut(s, &t->checks[j].name);
	}
	for (i = 0; i < s->nenums; i++)
		cut(s, &s->enums[i]->name);
	for (i = 0; i < s->nviews; i++)	/* declared views */
		cut(s, &s->views[i]->name);
	if (!any)
		return;
	ss_map_release(&s->table_map);
	for (i = 0; i < s->ntables; i++)
		ss_map_put(&s->table_map, s->tables[i]->name, s->tables[i]);
	ss_map_release(&s->enum_map);
	for (i = 0; i < s->nenums; i++)
		ss_map_put(&s->enum_map, s->enums[i]->name, s->enums[i]);
}

/*
 * Index methods and options: what the server keeps as the default is
 * written as the default, so that it is no change. NULLS LAST on an
 * ascending entry (FIRST on a descending one) is PostgreSQL's own, and
 * an operator class that is the default of its type is kept as none.
 */
static void
index_defaults(PGconn *pg, struct ss_schema *desired)
{
	struct ss_buf arr = SS_BUF_INIT;
	const char *values[1];
	struct ss_index *ix;
	struct ss_index_key *k;
	PGresult *r;
	size_t i, j, e;
	int row;

	for (i = 0; i < desired->ntables; i++)
		for (j = 0; j < desired->tables[i]->nindexes; j++) {
			ix = &desired->tables[i]->indexes[j];
			ss_index_nulls_normalize(ix, true);
			for (e = 0; ix->keys != NULL && e < ix->columns.n; e++) {
				if (ix->keys[e].opclass == NULL)
					continue;
				/* Names are words (the loader's check): no
				 * quoting needed inside the array literal. */
				ss_buf_adds(&arr, arr.len ? "," : "{");
				ss_buf_adds(&arr, ix->keys[e].opclass);
			}
		}
	if (arr.len == 0)
		goto out;
	ss_buf_addc(&arr, '}');
	values[0] = arr.s;
	r = PQexecParams(pg, "SELECT o.opcname, a.amname FROM "
	    "pg_catalog.pg_opclass o JOIN pg_catalog.pg_am a ON "
	    "a.oid = o.opcmethod WHERE o.opcdefault AND "
	    "o.opcname::pg_catalog.text = ANY ($1::pg_catalog.text[])", 1, NULL,
	    values, NULL, NULL, 0);
	if (PQresultStatus(r) == PGRES_TUPLES_OK)
		for (i = 0; i < desired->ntables; i++)
			for (j = 0; j < desired->tables[i]->nindexes; j++) {
				ix = &desired->tables[i]->indexes[j];
				for (e = 0; ix->keys != NULL &&
				    e < ix->columns.n; e++) {
					k = &ix->keys[e];
					for (row = 0; k->opclass != NULL &&
					    row < PQntuples(r); row++)
						if (strcmp(PQgetvalue(r, row, 0),
						    k->opclass) == 0 &&
						    strcmp(PQgetvalue(r, row, 1),
						    ix->method ? ix->method :
						    "btree") == 0)
							k->opclass = NULL;
				}
			}
	PQclear(r);
out:
	ss_buf_release(&arr);
}

/*
 * Declared views. The server keeps a view as a parse tree and gives
 * back its own text (pg_get_viewdef(): every column qualified, joins
 * parenthesised, casts spelled out), nothing like what the files say,
 * so the texts cannot be compared, and no normaliser of ours could
 * agree with the server's on every query. Instead the server is asked:
 * each declared query whose text differs from its view's is created as
 * a temporary view (pg_temp, rolled back: nothing is left behind) and
 * read back the same way introspection reads views, and that text is
 * compared (view->canon). A query the server refuses now (it reads a
 * column the plan adds) has no canon and differs, so the view is
 * re-created, which is what such a change needs anyway; a server
 * without the TEMP privilege answers nothing, and views are re-created
 * at every push there, never left wrong.
 */
static int
canon_views(struct pg_conn *c, struct ss_schema *desired,
    const struct ss_schema *current)
{
	struct ss_err e = SS_ERR_INIT;
	const char **q = NULL, **got = NULL;
	struct ss_view **vs = NULL;
	const struct ss_view *cv;
	size_t i, n = 0;

	q = ss_xcalloc(desired->nviews + 1, sizeof *q);
	got = ss_xcalloc(desired->nviews + 1, sizeof *got);
	vs = ss_xcalloc(desired->nviews + 1, sizeof *vs);
	for (i = 0; i < desired->nviews; i++) {
		struct ss_view *dv = desired->views[i];
		dv->canon = NULL;
		if (dv->drop || dv->sql == NULL ||
		    (cv = ss_schema_view(current, dv->name)) == NULL ||
		    cv->sql == NULL || ss_sql_same_expr(dv->sql, cv->sql))
			continue;
		vs[n] = dv;
		q[n++] = dv->sql;
	}
	if (n > 0 && ss_pg_view_canon(c->pg, c->schema, q, n, got,
	    &desired->arena, &e) == 0)
		for (i = 0; i < n; i++)
			vs[i]->canon = got[i];
	ss_err_release(&e);
	free(q);
	free(got);
	free(vs);
	return 0;
}

static int
pg_prepare(struct ss_conn *conn, struct ss_schema *desired,
    const struct ss_schema *current, struct ss_err *err)
{
	struct canon K;
	struct ss_err e = SS_ERR_INIT;
	struct ss_buf b = SS_BUF_INIT;
	struct ss_table *dt;
	const struct ss_table *ct;
	size_t i, j, k;

	(void)err;
	memset(&K, 0, sizeof K);
	cut_names(desired);
	index_defaults(CONN(conn)->pg, desired);
	for (i = 0; i < desired->ntables; i++) {
		dt = desired->tables[i];
		ct = ss_schema_table(current, dt->name);
		if (ct == NULL && dt->renamed_from != NULL)
			ct = ss_schema_table(current, dt->renamed_from);
		if (ct == NULL)
			continue;
		for (j = 0; j < dt->ncolumns; j++) {
			struct ss_column *dc = &dt->columns[j];
			const struct ss_column *cc = current_column(ct, dc);
			if (cc == NULL || !ss_pg_has_default(dc) || !ss_pg_has_default(cc) ||
			    ss_pg_same_default(dc, cc))
				continue;
			ss_buf_reset(&b);
			ss_pg_default_sql(&b, dc);
			canon_add(&K, dt, dc, cc, NULL,
			    ss_arena_strdup(&desired->arena, b.s), NULL);
		}
		for (j = 0; j < dt->nchecks; j++)
			for (k = 0; k < ct->nchecks; k++)
				if (strcmp(dt->checks[j].name, ct->checks[k].name)
				    == 0)
					same_or_canon(&K, desired, dt,
					    &dt->checks[j].expr,
					    ct->checks[k].expr);
		for (j = 0; j < dt->nindexes; j++)
			for (k = 0; k < ct->nindexes; k++)
				if (dt->indexes[j].where != NULL &&
				    ct->indexes[k].where != NULL &&
				    strcmp(dt->indexes[j].name,
				    ct->indexes[k].name) == 0)
					same_or_canon(&K, desired, dt,
					    &dt->indexes[j].where,
					    ct->indexes[k].where);
	}
	if (K.n > 0 && ss_pg_server_canon(CONN(conn)->pg, desired, K.reqs,
	    K.n, &desired->arena, &e) == 0) {
		for (i = 0; i < K.n; i++) {
			const char *st = K.reqs[i].stored;
			if (st == NULL)
				continue;
			if (K.cols[i] != NULL) {
				struct ss_column tmp = *K.cols[i];
				ss_pg_default_parse(desired, st, &tmp.def);
				if (ss_pg_same_default(&tmp, K.ccols[i]))
					K.cols[i]->def = tmp.def;
			} else if (ss_pg_same_expr(st, K.cur[i]))
				*K.exprs[i] = st;
		}
	}
	ss_err_release(&e);
	ss_buf_release(&b);
	free(K.reqs);
	free(K.cols);
	free(K.ccols);
	free(K.exprs);
	free(K.cur);
	return canon_views(CONN(conn), desired, current);
}

/*
 * Declared views: the server refuses to change the type of a column a
 * view reads, or to drop one; views over such a table are dropped
 * first and created again after.
 */
static bool
breaks_views(const struct ss_plan *p, const struct ss_change *c, void *ctx)
{
	(void)ctx;
	/* An enum's recreation converts the columns that use it: for a
	 * removed value, a new order, a new value used at once. */
	return c->op == SS_OP_DROP_COLUMN || (c->op == SS_OP_ALTER_COLUMN &&
	    (c->alter & SS_ALTER_TYPE)) || c->op == SS_OP_DROP_ENUM_VALUE ||
	    c->op == SS_OP_REORDER_ENUM || (c->op == SS_OP_ADD_ENUM_VALUE &&
	    ss_pg_enum_value_used(p, c->d_enum->name, c->object));
}

/*
 * What PostgreSQL cannot keep: SQLite's table options, which PostgreSQL
 * has no words for, and a generated column that is not STORED (VIRTUAL
 * came with PostgreSQL 18; this check runs before connecting, so it
 * cannot ask the server's version).
 */
static size_t
pg_check(const struct ss_schema *s, struct ss_diags *d)
{
	const struct ss_table *t;
	const struct ss_column *c;
	struct ss_loc at;
	size_t i, j, n = 0;

	for (i = 0; i < s->ntables; i++) {
		t = s->tables[i];
		if (t->strict) {
			ss_diag_add(d, SS_SEV_ERROR, &t->strict_loc, "'strict' "
			    "on table '%s' is SQLite's: PostgreSQL columns "
			    "always keep their types", t->name);
			n++;
		}
		if (t->without_rowid) {
			ss_diag_add(d, SS_SEV_ERROR, &t->without_rowid_loc,
			    "'without_rowid' on table '%s' is SQLite's: "
			    "PostgreSQL tables have no rowid", t->name);
			n++;
		}
		for (j = 0; j < t->ncolumns; j++) {
			c = &t->columns[j];
			if (c->generated == NULL || c->stored)
				continue;
			ss_diag_add(d, SS_SEV_ERROR,
			    ss_column_loc(c, c->generated_loc, &at),
			    "generated column '%s' is virtual, which PostgreSQL "
			    "has only from version 18: write 'stored: true'",
			    c->name);
			n++;
		}
	}
	return n;
}

/*
 * An array of an enum the files declare, written with its bare name
 * (Mood[], as a Prisma user writes it): quoted, as the enum itself is
 * everywhere ("Mood"[]), so PostgreSQL neither folds it to mood[] nor
 * reads a keyword (order[]); the comparison unquotes what the catalog
 * leaves bare (canon_type()).
 */
static void
pg_spell(struct ss_schema *s)
{
	struct ss_buf b = SS_BUF_INIT;
	struct ss_type *ty;
	size_t i, j, end, k, n;

	for (i = 0; i < s->ntables; i++)
		for (j = 0; j < s->tables[i]->ncolumns; j++) {
			ty = &s->tables[i]->columns[j].type;
			if (ty->kind != SS_TYPE_OTHER || ty->name == NULL)
				continue;
			n = end = strlen(ty->name);
			while ((k = ss_type_array_suffix(ty->name, end)) < end)
				end = k;
			if (end == n || end == 0)
				continue;
			for (k = 0; k < s->nenums; k++)
				if (strlen(s->enums[k]->name) == end &&
				    strncmp(s->enums[k]->name, ty->name, end) == 0)
					break;
			if (k == s->nenums)
				continue;
			ss_buf_reset(&b);
			ss_pg_quote_ident(&b, s->enums[k]->name);
			ss_buf_adds(&b, ty->name + end);
			ty->name = ss_arena_strdup(&s->arena, b.s);
		}
	ss_buf_release(&b);
}

/* The sequence of table.column, as a regclass (NULL: none). */
static void
serial_sequence(struct ss_buf *b, const char *table, const char *column)
{
	struct ss_buf q = SS_BUF_INIT;

	quote(&q, table);
	ss_buf_adds(b, "CAST(pg_get_serial_sequence(");
	ss_pg_quote_literal(b, q.s);
	ss_buf_adds(b, ", ");
	ss_pg_quote_literal(b, column);
	ss_buf_adds(b, ") AS regclass)");
	ss_buf_release(&q);
}

/* Undo (dialect.h): the sequence's last value, NULL when never used. */
static void
pg_undo_counter(struct ss_buf *b, const char *table, const char *column)
{
	ss_buf_adds(b, "SELECT pg_sequence_last_value(");
	serial_sequence(b, table, column);
	ss_buf_adds(b, ") AS v");
}

/* Undo (dialect.h): the sequence past the rows and the kept value. */
static bool
pg_undo_reseed(struct ss_buf *b, size_t i, const char *table,
    const char *column, const char *kept)
{
	if (i > 0)
		return false;
	ss_buf_adds(b, "SELECT setval(");
	serial_sequence(b, table, column);
	ss_buf_adds(b, ", m) FROM (SELECT GREATEST(MAX(");
	quote(b, column);
	ss_buf_adds(b, ")");
	if (kept != NULL)
		ss_buf_addf(b, ", (SELECT MAX(v) FROM %s)", kept);
	ss_buf_adds(b, ") AS m FROM ");
	quote(b, table);
	ss_buf_adds(b, ") AS x WHERE m IS NOT NULL");
	return true;
}

/*
 * Loading while introspecting (dialect.h, try_begin): pg_begin when no
 * other push holds the advisory lock now. The session-level hold that
 * asks keeps it until pg_begin has the transaction's own (a session
 * is always granted a lock it holds), then goes.
 */
static int
pg_try_begin(struct ss_conn *conn, struct ss_err *err)
{
	struct pg_conn *c = CONN(conn);
	char sql[96];
	PGresult *r;
	bool got;
	int rc;

	snprintf(sql, sizeof sql, "SELECT pg_catalog.pg_try_advisory_lock"
	    "(%lld)", lock_key());
	r = PQexec(c->pg, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return pg_begin(conn, err);	/* which says what is wrong */
	}
	got = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	if (!got)
		return 1;
	rc = pg_begin(conn, err);
	if (PQstatus(c->pg) != CONNECTION_OK)
		return rc;
	if (PQtransactionStatus(c->pg) == PQTRANS_INERROR)
		PQclear(PQexec(c->pg, "ROLLBACK"));
	snprintf(sql, sizeof sql, "SELECT pg_catalog.pg_advisory_unlock"
	    "(%lld)", lock_key());
	PQclear(PQexec(c->pg, sql));
	return rc;
}

const struct ss_dialect ss_dialect_postgres = {
	.name = "postgres",
	.enum_types = true,
	.forward_fks = false,
	.names_fold_case = false,	/* quoted names keep their case */
	.comments = true,
	.identity_always = true,
	.default_collation = "default",
	.check = pg_check,
	.spell = pg_spell,
	.same_type = same_type,
	.same_default = same_default,
	.same_expr = same_expr,
	.emit = ss_pg_emit,
	.quote_ident = quote,
	.connect = pg_connect,
	.close = pg_close,
	.introspect = pg_introspect,
	.count = pg_count,
	.begin = pg_begin,
	.exec_step = pg_exec_step,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.queries = pg_queries,
	.prepare = pg_prepare,
	.lost = pg_lost,
	.reusable = pg_reusable,
	.notices = pg_notices,
	.select = pg_select,
	.fingerprint = pg_fingerprint,
	.unique_constraints = true,
	/* Undo points. */
	.undo_schema = "schemasync_undo",
	.undo_counter = pg_undo_counter,
	.undo_reseed = pg_undo_reseed,
	.quote_literal = ss_pg_quote_literal,
	.breaks_views = breaks_views,
	.try_begin = pg_try_begin,
};
