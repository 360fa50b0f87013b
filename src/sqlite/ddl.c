/*
 * SQLite DDL for the model (src/sqlite/ddl.h).
 *
 * The convention. Every CREATE statement schemasync writes for SQLite
 * follows these rules, and src/sqlite/introspect.c reads a database back
 * by inverting them, so that a database schemasync created introspects
 * to exactly the model that created it.
 *
 *  1. Identifiers are always double-quoted, with " doubled inside; string
 *     literals are single-quoted with ' doubled. No name or literal can
 *     end a statement early.
 *  2. CREATE TABLE is multi-line (it is what --dry-run shows): one column
 *     or table constraint per line, two-space indent, the closing ')' on
 *     its own line. CREATE INDEX is one line. No trailing ';'.
 *  3. Column types are written by storage class:
 *        smallint integer bigint                        -> INTEGER
 *        real double                                    -> REAL
 *        numeric(P,S) / decimal(P,S)                    -> NUMERIC
 *        boolean                                        -> INTEGER + CHECK
 *        text varchar(N) char(N) date time timestamp
 *        timestamptz uuid json jsonb                    -> TEXT
 *        bytea blob                                     -> BLOB
 *        enum E                                         -> TEXT + CHECK
 *        any other type                                 -> verbatim
 *  4. A column is "name" TYPE [NOT NULL] [PRIMARY KEY AUTOINCREMENT]
 *     [DEFAULT d] [GENERATED ALWAYS AS (expr) STORED|VIRTUAL]
 *     [COLLATE "name"] [CHECK (...)] [CONSTRAINT "E" CHECK (...)]:
 *      - NOT NULL for every non-nullable column;
 *      - PRIMARY KEY AUTOINCREMENT on the table's only primary key column
 *        when it is an integer with `autoincrement` (the table then has
 *        no table-level PRIMARY KEY);
 *      - boolean: an unnamed column CHECK ("c" IN (0, 1));
 *      - enum E: a column CHECK named after the enum,
 *        CONSTRAINT "E" CHECK ("c" IN ('v1', 'v2')), so introspection
 *        can rebuild the enum from the constraint's name and list.
 *  5. Defaults: a string literal -> 'text'; a number as written; a
 *     boolean -> 1 or 0; null -> NULL; { sql: X } -> (X), except a bare
 *     CURRENT_TIMESTAMP, CURRENT_DATE or CURRENT_TIME, written bare.
 *  6. Table constraints follow the columns in this order:
 *        CONSTRAINT "t_pkey" PRIMARY KEY ("a", "b")
 *        CONSTRAINT "name" UNIQUE ("a")
 *        CONSTRAINT "name" FOREIGN KEY ("a") REFERENCES "t" ("b")
 *            [ON DELETE x] [ON UPDATE y]       (only when not no action)
 *            [DEFERRABLE [INITIALLY DEFERRED]]
 *        CONSTRAINT "name" CHECK (expr)        (expr verbatim)
 *     and then the table options: ) [WITHOUT ROWID][,] [STRICT].
 *  7. CREATE [UNIQUE] INDEX "name" ON "t" (entries) [WHERE expr]: an
 *     entry that names a column of the table is quoted, any other entry
 *     is an expression and is written verbatim.
 *  8. An expression that holds a -- comment is followed by a newline, so
 *     the comment cannot swallow the ')' or ';' after it.
 *
 * Comparing types (ss_sqlite_same_type): SQLite keeps a column's
 * declared type only to derive its affinity, so two types are the same
 * when the text the convention would declare for the desired type has
 * the affinity of the current column's declared type: varchar(50), text
 * and timestamp are one; integer and bigint are one; text and integer
 * differ. On top of that:
 *  - boolean and enum are more than a storage class: each carries its
 *    CHECK. A boolean matches only a boolean (the CHECK is there), an
 *    enum only the enum of the same name (the differ compares the values
 *    through the schemas' enums); a boolean or enum never matches a
 *    plain INTEGER or TEXT column, nor the other way round, because the
 *    CHECK would have to be added or dropped.
 *  - A current column whose declared type is not the convention's own
 *    (a database schemasync did not create: TIMESTAMP, BOOL, bytea) is
 *    introspected as SS_TYPE_OTHER, verbatim. It matches a desired type
 *    of the same affinity, and also the desired builtin type that its
 *    text names (TIMESTAMP is `timestamp`, BOOL is `boolean`), so that
 *    pushing the files `pull` wrote for such a database changes nothing,
 *    even where the convention would have chosen another storage class.
 *
 * Comparing defaults (ss_sqlite_same_default): both defaults are rendered
 * by rule 5 and compared token for token, with one outer pair of
 * parentheses ignored: `default: true` equals an introspected 1, { sql:
 * "datetime('now')" } equals DEFAULT (datetime( 'now' )), 0 equals (0).
 * No default and DEFAULT NULL are the same to SQLite and so here. A
 * string '5' and a number 5 differ: they store different values.
 */
#include <ctype.h>
#include <string.h>

#include "ddl.h"
#include "ss/sqlparse.h"

void
ss_sqlite_quote_ident(struct ss_buf *b, const char *name)
{
	ss_buf_addc(b, '"');
	for (; *name; name++) {
		if (*name == '"')
			ss_buf_addc(b, '"');
		ss_buf_addc(b, *name);
	}
	ss_buf_addc(b, '"');
}

void
ss_sqlite_quote_string(struct ss_buf *b, const char *text)
{
	ss_buf_addc(b, '\'');
	for (; *text; text++) {
		if (*text == '\'')
			ss_buf_addc(b, '\'');
		ss_buf_addc(b, *text);
	}
	ss_buf_addc(b, '\'');
}

const char *
ss_sqlite_type_name(const struct ss_type *t)
{
	switch (t->kind) {
	case SS_TYPE_SMALLINT:
	case SS_TYPE_INTEGER:
	case SS_TYPE_BIGINT:
	case SS_TYPE_BOOLEAN:
		return "INTEGER";
	case SS_TYPE_REAL:
	case SS_TYPE_DOUBLE:
		return "REAL";
	case SS_TYPE_NUMERIC:
		return "NUMERIC";
	case SS_TYPE_TEXT:
	case SS_TYPE_VARCHAR:
	case SS_TYPE_CHAR:
	case SS_TYPE_DATE:
	case SS_TYPE_TIME:
	case SS_TYPE_TIMESTAMP:
	case SS_TYPE_TIMESTAMPTZ:
	case SS_TYPE_UUID:
	case SS_TYPE_JSON:
	case SS_TYPE_JSONB:
	case SS_TYPE_ENUM:
		return "TEXT";
	case SS_TYPE_BYTES:
		return "BLOB";
	case SS_TYPE_OTHER:
		break;
	}
	return t->name != NULL ? t->name : "";
}

/* Whether s contains w, ignoring case (w is upper case). */
static bool
has(const char *s, const char *w)
{
	size_t n = strlen(w), i;

	for (; *s; s++) {
		for (i = 0; i < n; i++)
			if (toupper((unsigned char)s[i]) != w[i])
				break;
		if (i == n)
			return true;
	}
	return false;
}

const char *
ss_sqlite_affinity(const char *d)
{
	/* https://www.sqlite.org/datatype3.html, 3.1, in its order. */
	if (has(d, "INT"))
		return "INTEGER";
	if (has(d, "CHAR") || has(d, "CLOB") || has(d, "TEXT"))
		return "TEXT";
	if (has(d, "BLOB") || *d == '\0')
		return "BLOB";
	if (has(d, "REAL") || has(d, "FLOA") || has(d, "DOUB"))
		return "REAL";
	return "NUMERIC";
}

/* The one bare word of s, when s is CURRENT_TIMESTAMP/DATE/TIME alone. */
static bool
bare_current(const char *s, struct ss_sqltok *word)
{
	struct ss_sqllex lx;
	struct ss_sqltok t;

	ss_sqllex_init(&lx, s, strlen(s));
	ss_sqllex_next(&lx, word);
	if (!ss_sqltok_is(word, "CURRENT_TIMESTAMP") &&
	    !ss_sqltok_is(word, "CURRENT_DATE") &&
	    !ss_sqltok_is(word, "CURRENT_TIME"))
		return false;
	ss_sqllex_next(&lx, &t);
	return t.kind == SS_TOK_END;
}

/* Appends an expression, then a newline if a -- comment could eat what
 * follows it (convention 8). The loader ends such expressions with a
 * newline already; introspected ones need it added. */
static void
add_expr(struct ss_buf *b, const char *expr)
{
	size_t len = strlen(expr);

	ss_buf_adds(b, expr);
	if ((len == 0 || expr[len - 1] != '\n') &&
	    ss_sql_has_line_comment(expr))
		ss_buf_addc(b, '\n');
}

void
ss_sqlite_default_sql(struct ss_buf *b, const struct ss_default *d)
{
	struct ss_sqltok word;

	switch (d->kind) {
	case SS_DEFAULT_NONE:
		break;
	case SS_DEFAULT_NULL:
		ss_buf_adds(b, "NULL");
		break;
	case SS_DEFAULT_BOOL:
		ss_buf_adds(b, strcmp(d->value, "true") == 0 ? "1" : "0");
		break;
	case SS_DEFAULT_NUMBER:
		/* The loader only lets decimal numbers through; anything
		 * else is quoted rather than trusted. */
		if (ss_sql_is_decimal(d->value))
			ss_buf_adds(b, d->value);
		else
			ss_sqlite_quote_string(b, d->value);
		break;
	case SS_DEFAULT_STRING:
		ss_sqlite_quote_string(b, d->value);
		break;
	case SS_DEFAULT_SQL:
		if (bare_current(d->value, &word)) {
			ss_buf_add(b, word.p, word.len);
			break;
		}
		ss_buf_addc(b, '(');
		add_expr(b, d->value);
		ss_buf_addc(b, ')');
		break;
	}
}

void
ss_sqlite_default_parse(struct ss_arena *a, const char *text,
    struct ss_default *out)
{
	struct ss_sqllex lx;
	struct ss_sqltok t, t2, t3;
	struct ss_buf num = SS_BUF_INIT;
	char *inner;

	out->kind = SS_DEFAULT_NONE;
	out->value = NULL;
	if (text == NULL)
		return;
	ss_sqllex_init(&lx, text, strlen(text));
	ss_sqllex_next(&lx, &t);
	ss_sqllex_next(&lx, &t2);
	ss_sqllex_next(&lx, &t3);
	if (t2.kind == SS_TOK_END) {
		if (t.kind == SS_TOK_STRING) {
			out->kind = SS_DEFAULT_STRING;
			out->value = ss_sqltok_value(a, &t);
			return;
		}
		if (ss_sqltok_is(&t, "NULL")) {
			out->kind = SS_DEFAULT_NULL;
			return;
		}
		if (ss_sqltok_is(&t, "TRUE") || ss_sqltok_is(&t, "FALSE")) {
			out->kind = SS_DEFAULT_BOOL;
			out->value = ss_sqltok_is(&t, "TRUE") ? "true" : "false";
			return;
		}
		/* SQLite reads DEFAULT abc, "abc" and [abc] as the string
		 * 'abc' (a name cannot be a default); CURRENT_* stay SQL. */
		if ((t.kind == SS_TOK_QUOTED || t.kind == SS_TOK_WORD) &&
		    !ss_sqltok_is(&t, "CURRENT_TIMESTAMP") &&
		    !ss_sqltok_is(&t, "CURRENT_DATE") &&
		    !ss_sqltok_is(&t, "CURRENT_TIME")) {
			out->kind = SS_DEFAULT_STRING;
			out->value = ss_sqltok_value(a, &t);
			return;
		}
	}
	/* [+-] number, the sign kept, the space between dropped. */
	if ((ss_sqltok_is(&t, "-") || ss_sqltok_is(&t, "+")) &&
	    t2.kind == SS_TOK_NUMBER && t3.kind == SS_TOK_END) {
		ss_buf_add(&num, t.p, t.len);
		ss_buf_add(&num, t2.p, t2.len);
	} else if (t.kind == SS_TOK_NUMBER && t2.kind == SS_TOK_END)
		ss_buf_add(&num, t.p, t.len);
	if (num.len > 0 && ss_sql_is_decimal(num.s)) {
		out->kind = SS_DEFAULT_NUMBER;
		out->value = ss_arena_strdup(a, num.s);
		ss_buf_release(&num);
		return;
	}
	ss_buf_release(&num);
	out->kind = SS_DEFAULT_SQL;
	inner = ss_sql_unparen(a, text);
	if (inner != NULL)
		out->value = inner;
	else {
		/* Trimmed: from the first token to the end of the last. */
		const char *end = text + strlen(text);
		while (end > t.p && (end[-1] == ' ' || end[-1] == '\t' ||
		    end[-1] == '\n' || end[-1] == '\r'))
			end--;
		out->value = ss_arena_strndup(a, t.p, (size_t)(end - t.p));
	}
}

static bool
is_autoincrement_pk(const struct ss_table *t, const struct ss_column *c)
{
	return c->autoincrement && ss_type_is_integer(&c->type) &&
	    t->pk != NULL && t->pk->columns.n == 1 &&
	    strcmp(t->pk->columns.v[0].name, c->name) == 0;
}

void
ss_sqlite_column_def(struct ss_buf *b, const struct ss_schema *s,
    const struct ss_table *t, const struct ss_column *c)
{
	const struct ss_enum *e;
	size_t i;

	ss_sqlite_quote_ident(b, c->name);
	if (*ss_sqlite_type_name(&c->type) != '\0') {
		ss_buf_addc(b, ' ');
		ss_buf_adds(b, ss_sqlite_type_name(&c->type));
	}
	if (!c->nullable)
		ss_buf_adds(b, " NOT NULL");
	if (is_autoincrement_pk(t, c))
		ss_buf_adds(b, " PRIMARY KEY AUTOINCREMENT");
	if (c->def.kind != SS_DEFAULT_NONE) {
		ss_buf_adds(b, " DEFAULT ");
		ss_sqlite_default_sql(b, &c->def);
	}
	if (c->generated != NULL) {
		ss_buf_adds(b, " GENERATED ALWAYS AS (");
		add_expr(b, c->generated);
		ss_buf_adds(b, c->stored ? ") STORED" : ") VIRTUAL");
	}
	if (c->collation != NULL) {
		ss_buf_adds(b, " COLLATE ");
		ss_sqlite_quote_ident(b, c->collation);
	}
	if (c->type.kind == SS_TYPE_BOOLEAN) {
		ss_buf_adds(b, " CHECK (");
		ss_sqlite_quote_ident(b, c->name);
		ss_buf_adds(b, " IN (0, 1))");
	}
	if (c->type.kind == SS_TYPE_ENUM &&
	    (e = ss_schema_enum(s, c->type.name)) != NULL) {
		ss_buf_adds(b, " CONSTRAINT ");
		ss_sqlite_quote_ident(b, e->name);
		ss_buf_adds(b, " CHECK (");
		ss_sqlite_quote_ident(b, c->name);
		ss_buf_adds(b, " IN (");
		for (i = 0; i < e->values.n; i++) {
			if (i > 0)
				ss_buf_adds(b, ", ");
			ss_sqlite_quote_string(b, e->values.v[i].name);
		}
		ss_buf_adds(b, "))");
	}
}

static void
column_list(struct ss_buf *b, const struct ss_names *l)
{
	size_t i;

	ss_buf_addc(b, '(');
	for (i = 0; i < l->n; i++) {
		if (i > 0)
			ss_buf_adds(b, ", ");
		ss_sqlite_quote_ident(b, l->v[i].name);
	}
	ss_buf_addc(b, ')');
}

static const char *const action_sql[] = { "NO ACTION", "RESTRICT",
	"CASCADE", "SET NULL", "SET DEFAULT" };

void
ss_sqlite_create_table(struct ss_buf *b, const struct ss_schema *s,
    const struct ss_table *t)
{
	const char *sep = "\n  ";
	bool pk_on_column = false;
	size_t i;

	ss_buf_adds(b, "CREATE TABLE ");
	ss_sqlite_quote_ident(b, t->name);
	ss_buf_adds(b, " (");
	for (i = 0; i < t->ncolumns; i++) {
		ss_buf_adds(b, sep);
		sep = ",\n  ";
		ss_sqlite_column_def(b, s, t, &t->columns[i]);
		if (is_autoincrement_pk(t, &t->columns[i]))
			pk_on_column = true;
	}
	if (t->pk != NULL && !pk_on_column) {
		ss_buf_adds(b, sep);
		ss_buf_adds(b, "CONSTRAINT ");
		ss_sqlite_quote_ident(b, t->pk->name);
		ss_buf_adds(b, " PRIMARY KEY ");
		column_list(b, &t->pk->columns);
	}
	for (i = 0; i < t->nuniques; i++) {
		ss_buf_adds(b, sep);
		ss_buf_adds(b, "CONSTRAINT ");
		ss_sqlite_quote_ident(b, t->uniques[i].name);
		ss_buf_adds(b, " UNIQUE ");
		column_list(b, &t->uniques[i].columns);
	}
	for (i = 0; i < t->nfks; i++) {
		const struct ss_fk *fk = &t->fks[i];
		ss_buf_adds(b, sep);
		ss_buf_adds(b, "CONSTRAINT ");
		ss_sqlite_quote_ident(b, fk->name);
		ss_buf_adds(b, " FOREIGN KEY ");
		column_list(b, &fk->columns);
		ss_buf_adds(b, " REFERENCES ");
		ss_sqlite_quote_ident(b, fk->ref_table);
		ss_buf_addc(b, ' ');
		column_list(b, &fk->ref_columns);
		if (fk->on_delete != SS_FK_NO_ACTION)
			ss_buf_addf(b, " ON DELETE %s", action_sql[fk->on_delete]);
		if (fk->on_update != SS_FK_NO_ACTION)
			ss_buf_addf(b, " ON UPDATE %s", action_sql[fk->on_update]);
		if (fk->initially_deferred)
			ss_buf_adds(b, " DEFERRABLE INITIALLY DEFERRED");
		else if (fk->deferrable)
			ss_buf_adds(b, " DEFERRABLE");
	}
	for (i = 0; i < t->nchecks; i++) {
		ss_buf_adds(b, sep);
		ss_buf_adds(b, "CONSTRAINT ");
		ss_sqlite_quote_ident(b, t->checks[i].name);
		ss_buf_adds(b, " CHECK (");
		add_expr(b, t->checks[i].expr);
		ss_buf_addc(b, ')');
	}
	ss_buf_adds(b, "\n)");
	if (t->without_rowid)
		ss_buf_adds(b, " WITHOUT ROWID");
	if (t->strict)
		ss_buf_adds(b, t->without_rowid ? ", STRICT" : " STRICT");
}

void
ss_sqlite_create_index(struct ss_buf *b, const struct ss_table *t,
    const struct ss_index *ix)
{
	size_t i;

	ss_buf_adds(b, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
	ss_sqlite_quote_ident(b, ix->name);
	ss_buf_adds(b, " ON ");
	ss_sqlite_quote_ident(b, t->name);
	ss_buf_adds(b, " (");
	for (i = 0; i < ix->columns.n; i++) {
		const char *e = ix->columns.v[i].name;
		if (i > 0)
			ss_buf_adds(b, ", ");
		if (ss_table_column(t, e) != NULL)
			ss_sqlite_quote_ident(b, e);
		else
			add_expr(b, e);
		/* Index methods and options: SQLite has the order only
		 * (the dialect's check refuses the others). */
		if (ss_index_key(ix, i)->desc)
			ss_buf_adds(b, " DESC");
	}
	ss_buf_addc(b, ')');
	if (ix->where != NULL) {
		ss_buf_adds(b, " WHERE ");
		add_expr(b, ix->where);
	}
}

/* The builtin kind that the text of an SS_TYPE_OTHER names, if any. */
static enum ss_type_kind
named_kind(const struct ss_type *t)
{
	struct ss_schema tmp;
	struct ss_buf why = SS_BUF_INIT;
	struct ss_type parsed;
	enum ss_type_kind k = SS_TYPE_OTHER;

	if (t->kind != SS_TYPE_OTHER || t->name == NULL)
		return t->kind;
	ss_schema_init(&tmp);
	if (ss_type_parse(&tmp, t->name, &parsed, &why) == 0)
		k = parsed.kind;
	ss_schema_release(&tmp);
	ss_buf_release(&why);
	return k;
}

bool
ss_sqlite_same_type(const struct ss_type *d, const struct ss_type *c)
{
	enum ss_type_kind named;

	if (d->kind == SS_TYPE_ENUM || c->kind == SS_TYPE_ENUM)
		return d->kind == c->kind && strcmp(d->name, c->name) == 0;
	named = named_kind(c);
	if (d->kind == SS_TYPE_BOOLEAN)
		return named == SS_TYPE_BOOLEAN;
	if (c->kind == SS_TYPE_BOOLEAN)
		return false;
	if (strcmp(ss_sqlite_affinity(ss_sqlite_type_name(d)),
	    ss_sqlite_affinity(ss_sqlite_type_name(c))) == 0)
		return true;
	return d->kind != SS_TYPE_OTHER && named == d->kind;
}

/* The default's SQL, NULL for none, with one outer (...) taken off. */
static char *
default_key(struct ss_arena *a, const struct ss_default *d)
{
	struct ss_buf b = SS_BUF_INIT;
	char *r, *inner;

	if (d->kind == SS_DEFAULT_NONE)
		ss_buf_adds(&b, "NULL");
	else
		ss_sqlite_default_sql(&b, d);
	r = ss_arena_strdup(a, b.s);
	ss_buf_release(&b);
	inner = ss_sql_unparen(a, r);
	return inner != NULL ? inner : r;
}

bool
ss_sqlite_same_default(const struct ss_column *desired,
    const struct ss_column *current)
{
	struct ss_arena a = SS_ARENA_INIT;
	bool same;

	/* The same kind and text render the same SQL, which is the same
	 * token for token: no need to render (most columns of a no-op
	 * push, and every column without a default). */
	if (ss_default_equal(&desired->def, &current->def))
		return true;
	same = ss_sql_same_expr(default_key(&a, &desired->def),
	    default_key(&a, &current->def));
	ss_arena_release(&a);
	return same;
}
