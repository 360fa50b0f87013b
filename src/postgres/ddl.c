/*
 * PostgreSQL DDL from the model (src/postgres/ddl.h).
 *
 * Invariants:
 *  1. Every identifier goes through ss_pg_quote_ident() and every string
 *     value through ss_pg_quote_literal(); numbers are checked to be
 *     numbers before they are written bare. Only what the schema format
 *     defines as SQL is written verbatim.
 *  2. Output is a function of the model alone (golden tests compare it
 *     byte for byte).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ddl.h"
#include "expr.h"

void
ss_pg_quote_ident(struct ss_buf *b, const char *name)
{
	size_t i, n = ss_ident_len(name);

	ss_buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		if (name[i] == '"')
			ss_buf_addc(b, '"');
		ss_buf_addc(b, name[i]);
	}
	ss_buf_addc(b, '"');
}

void
ss_pg_quote_literal(struct ss_buf *b, const char *s)
{
	const char *p;

	if (strchr(s, '\\') != NULL)
		ss_buf_addc(b, 'E');
	ss_buf_addc(b, '\'');
	for (p = s; *p; p++) {
		if (*p == '\'' || *p == '\\')
			ss_buf_addc(b, *p);
		ss_buf_addc(b, *p);
	}
	ss_buf_addc(b, '\'');
}

void
ss_pg_type_sql(struct ss_buf *b, const struct ss_type *t)
{
	static const char *const names[] = {
		[SS_TYPE_SMALLINT] = "smallint", [SS_TYPE_INTEGER] = "integer",
		[SS_TYPE_BIGINT] = "bigint", [SS_TYPE_REAL] = "real",
		[SS_TYPE_DOUBLE] = "double precision",
		[SS_TYPE_NUMERIC] = "numeric", [SS_TYPE_BOOLEAN] = "boolean",
		[SS_TYPE_TEXT] = "text", [SS_TYPE_VARCHAR] = "varchar",
		[SS_TYPE_CHAR] = "char", [SS_TYPE_DATE] = "date",
		[SS_TYPE_TIME] = "time", [SS_TYPE_TIMESTAMP] = "timestamp",
		[SS_TYPE_TIMESTAMPTZ] = "timestamptz", [SS_TYPE_UUID] = "uuid",
		[SS_TYPE_JSON] = "json", [SS_TYPE_JSONB] = "jsonb",
		[SS_TYPE_BYTES] = "bytea",
	};

	switch (t->kind) {
	case SS_TYPE_ENUM:
		ss_pg_quote_ident(b, t->name);
		return;
	case SS_TYPE_OTHER:
		ss_buf_adds(b, t->name);
		return;
	default:
		break;
	}
	ss_buf_adds(b, names[t->kind]);
	if (t->len >= 0 && t->scale >= 0)
		ss_buf_addf(b, "(%d,%d)", t->len, t->scale);
	else if (t->len >= 0)
		ss_buf_addf(b, "(%d)", t->len);
}

/* A number as SQL accepts it bare: [+-]digits[.digits][e[+-]digits]. */
static int
is_sql_number(const char *s)
{
	int digits = 0;

	if (*s == '-' || *s == '+')
		s++;
	for (; isdigit((unsigned char)*s); s++)
		digits++;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			digits++;
	if (digits == 0)
		return 0;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!isdigit((unsigned char)*s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == '\0';
}

/*
 * Whether an SQL default can follow DEFAULT without parentheses: a
 * keyword (CURRENT_TIMESTAMP) or a function call (now(), f(a, b)).
 * Anything else is parenthesised, since DEFAULT takes a restricted
 * expression and a parenthesised one means the same.
 */
static int
is_simple_sql(const char *s)
{
	int depth = 0;

	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	while (isalnum((unsigned char)*s) || *s == '_')
		s++;
	if (*s == '\0')
		return 1;
	if (*s != '(')
		return 0;
	for (; *s; s++) {
		if (*s == '\'' || *s == '"')
			return 0;	/* literals may hold parentheses */
		if (*s == '(')
			depth++;
		else if (*s == ')' && --depth == 0)
			return s[1] == '\0';
	}
	return 0;
}

int
ss_pg_default_sql(struct ss_buf *b, const struct ss_column *c)
{
	if (c->autoincrement && ss_type_is_integer(&c->type))
		return 0;
	switch (c->def.kind) {
	case SS_DEFAULT_NONE:
		return 0;
	case SS_DEFAULT_NULL:
		ss_buf_adds(b, "NULL");
		return 1;
	case SS_DEFAULT_BOOL:
		ss_buf_adds(b, strcmp(c->def.value, "true") == 0 ?
		    "true" : "false");
		return 1;
	case SS_DEFAULT_NUMBER:
		if (is_sql_number(c->def.value))
			ss_buf_adds(b, c->def.value);
		else
			ss_pg_quote_literal(b, c->def.value);
		return 1;
	case SS_DEFAULT_STRING:
		ss_pg_quote_literal(b, c->def.value);
		return 1;
	case SS_DEFAULT_SQL:
		if (is_simple_sql(c->def.value))
			ss_buf_adds(b, c->def.value);
		else
			ss_buf_addf(b, "(%s)", c->def.value);
		return 1;
	}
	return 0;
}

void
ss_pg_identity_options(struct ss_buf *b, const struct ss_column *c)
{
	ss_buf_addf(b, "START WITH %lld INCREMENT BY %lld",
	    ss_identity_start(c), ss_identity_increment(c));
}

void
ss_pg_column_sql(struct ss_buf *b, const struct ss_column *c)
{
	ss_pg_quote_ident(b, c->name);
	ss_buf_addc(b, ' ');
	ss_pg_type_sql(b, &c->type);
	if (c->collation != NULL) {
		ss_buf_adds(b, " COLLATE ");
		ss_pg_quote_ident(b, c->collation);
	}
	if (c->autoincrement && ss_type_is_integer(&c->type)) {
		ss_buf_addf(b, " GENERATED %s AS IDENTITY", c->always ?
		    "ALWAYS" : "BY DEFAULT");
		if (!ss_identity_default(c)) {
			ss_buf_adds(b, " (");
			ss_pg_identity_options(b, c);
			ss_buf_addc(b, ')');
		}
	}
	if (c->generated != NULL)
		ss_buf_addf(b, " GENERATED ALWAYS AS (%s) STORED", c->generated);
	if (!c->nullable)
		ss_buf_adds(b, " NOT NULL");
	if (c->def.kind != SS_DEFAULT_NONE && c->def.kind != SS_DEFAULT_NULL &&
	    !(c->autoincrement && ss_type_is_integer(&c->type))) {
		ss_buf_adds(b, " DEFAULT ");
		ss_pg_default_sql(b, c);
	}
}

void
ss_pg_name_list(struct ss_buf *b, const struct ss_names *l)
{
	size_t i;

	ss_buf_addc(b, '(');
	for (i = 0; i < l->n; i++) {
		if (i > 0)
			ss_buf_adds(b, ", ");
		ss_pg_quote_ident(b, l->v[i].name);
	}
	ss_buf_addc(b, ')');
}

/* Length of entry without a trailing ASC/DESC/NULLS FIRST/NULLS LAST. */
static size_t
strip_order(const char *entry)
{
	static const char *const words[] = { "asc", "desc", "first", "last",
		"nulls", NULL };
	size_t n = strlen(entry), w, i;

	for (;;) {
		while (n > 0 && isspace((unsigned char)entry[n - 1]))
			n--;
		w = n;
		while (w > 0 && isalpha((unsigned char)entry[w - 1]))
			w--;
		if (w == 0 || !isspace((unsigned char)entry[w - 1]))
			return n;
		for (i = 0; words[i] != NULL; i++)
			if (strlen(words[i]) == n - w &&
			    strncasecmp(entry + w, words[i], n - w) == 0)
				break;
		if (words[i] == NULL)
			return n;
		n = w;
	}
}

void
ss_pg_index_entry_sql(struct ss_buf *b, const struct ss_table *t,
    const char *entry)
{
	size_t n, i;
	char *base;

	if (ss_table_column(t, entry) != NULL) {
		ss_pg_quote_ident(b, entry);
		return;
	}
	n = strip_order(entry);
	base = ss_xstrndup(entry, n);
	if (ss_table_column(t, base) != NULL)
		ss_pg_quote_ident(b, base);
	else {
		ss_buf_addc(b, '(');
		ss_buf_adds(b, base);
		ss_buf_addc(b, ')');
	}
	/* The order words, upper case, single spaces. */
	for (i = n; entry[i]; i++) {
		if (isspace((unsigned char)entry[i])) {
			if (b->s[b->len - 1] != ' ')
				ss_buf_addc(b, ' ');
		} else
			ss_buf_addc(b, (char)toupper((unsigned char)entry[i]));
	}
	free(base);
}

void
ss_pg_emit_create_enum(struct ss_buf *b, const struct ss_enum *e)
{
	size_t i;

	ss_buf_adds(b, "CREATE TYPE ");
	ss_pg_quote_ident(b, e->name);
	ss_buf_adds(b, " AS ENUM (");
	for (i = 0; i < e->values.n; i++) {
		if (i > 0)
			ss_buf_adds(b, ", ");
		ss_pg_quote_literal(b, e->values.v[i].name);
	}
	ss_buf_addc(b, ')');
}

void
ss_pg_emit_create_table(struct ss_buf *b, const struct ss_table *t)
{
	const char *sep = "\n    ";
	size_t i;

	ss_buf_adds(b, "CREATE TABLE ");
	ss_pg_quote_ident(b, t->name);
	ss_buf_adds(b, " (");
	for (i = 0; i < t->ncolumns; i++) {
		ss_buf_adds(b, sep);
		ss_pg_column_sql(b, &t->columns[i]);
		sep = ",\n    ";
	}
	if (t->pk != NULL) {
		ss_buf_adds(b, sep);
		ss_buf_adds(b, "CONSTRAINT ");
		ss_pg_quote_ident(b, t->pk->name);
		ss_buf_adds(b, " PRIMARY KEY ");
		ss_pg_name_list(b, &t->pk->columns);
		sep = ",\n    ";
	}
	for (i = 0; i < t->nuniques; i++) {
		ss_buf_adds(b, sep);
		ss_buf_adds(b, "CONSTRAINT ");
		ss_pg_quote_ident(b, t->uniques[i].name);
		ss_pg_unique_sql(b, &t->uniques[i]);
		sep = ",\n    ";
	}
	for (i = 0; i < t->nchecks; i++) {
		ss_buf_adds(b, sep);
		ss_buf_adds(b, "CONSTRAINT ");
		ss_pg_quote_ident(b, t->checks[i].name);
		ss_buf_addf(b, " CHECK (%s)", t->checks[i].expr);
		if (t->checks[i].no_inherit)
			ss_buf_adds(b, " NO INHERIT");
		sep = ",\n    ";
	}
	ss_buf_adds(b, "\n)");
}

/* Index methods and options; unique constraints as constraints. */
void
ss_pg_unique_sql(struct ss_buf *b, const struct ss_key *k)
{
	ss_buf_adds(b, k->nulls_not_distinct ? " UNIQUE NULLS NOT DISTINCT " :
	    " UNIQUE ");
	ss_pg_name_list(b, &k->columns);
	if (k->include.n > 0) {
		ss_buf_adds(b, " INCLUDE ");
		ss_pg_name_list(b, &k->include);
	}
	if (k->deferrable)
		ss_buf_adds(b, k->initially_deferred ? " DEFERRABLE INITIALLY "
		    "DEFERRED" : " DEFERRABLE");
}

void
ss_pg_emit_create_index(struct ss_buf *b, const struct ss_table *t,
    const struct ss_index *ix)
{
	const struct ss_index_key *k;
	size_t i;

	ss_buf_adds(b, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
	ss_pg_quote_ident(b, ix->name);
	ss_buf_adds(b, " ON ");
	ss_pg_quote_ident(b, t->name);
	/* A method and an operator class are names the loader checked
	 * (letters, digits, '_', '$', a '.'), written unquoted so that
	 * they fold as the server folds them. */
	if (ix->method != NULL)
		ss_buf_addf(b, " USING %s", ix->method);
	ss_buf_adds(b, " (");
	for (i = 0; i < ix->columns.n; i++) {
		if (i > 0)
			ss_buf_adds(b, ", ");
		ss_pg_index_entry_sql(b, t, ix->columns.v[i].name);
		k = ss_index_key(ix, i);
		if (k->opclass != NULL)
			ss_buf_addf(b, " %s", k->opclass);
		if (k->desc)
			ss_buf_adds(b, " DESC");
		if (k->nulls != SS_NULLS_DEFAULT)
			ss_buf_adds(b, k->nulls == SS_NULLS_FIRST ?
			    " NULLS FIRST" : " NULLS LAST");
	}
	ss_buf_addc(b, ')');
	if (ix->include.n > 0) {
		ss_buf_adds(b, " INCLUDE ");
		ss_pg_name_list(b, &ix->include);
	}
	if (ix->nulls_not_distinct)
		ss_buf_adds(b, " NULLS NOT DISTINCT");
	if (ix->where != NULL)
		ss_buf_addf(b, " WHERE %s", ix->where);
}

static const char *const action_sql[] = {
	[SS_FK_NO_ACTION] = "NO ACTION", [SS_FK_RESTRICT] = "RESTRICT",
	[SS_FK_CASCADE] = "CASCADE", [SS_FK_SET_NULL] = "SET NULL",
	[SS_FK_SET_DEFAULT] = "SET DEFAULT",
};

void
ss_pg_emit_add_fk(struct ss_buf *b, const struct ss_table *t,
    const struct ss_fk *fk)
{
	ss_buf_adds(b, "ALTER TABLE ");
	ss_pg_quote_ident(b, t->name);
	ss_buf_adds(b, " ADD CONSTRAINT ");
	ss_pg_quote_ident(b, fk->name);
	ss_buf_adds(b, " FOREIGN KEY ");
	ss_pg_name_list(b, &fk->columns);
	ss_buf_adds(b, " REFERENCES ");
	ss_pg_quote_ident(b, fk->ref_table);
	if (fk->ref_columns.n > 0) {
		ss_buf_addc(b, ' ');
		ss_pg_name_list(b, &fk->ref_columns);
	}
	if (fk->match_full)
		ss_buf_adds(b, " MATCH FULL");
	/* NO ACTION is the default; leaving it out keeps the SQL short. */
	if (fk->on_delete != SS_FK_NO_ACTION)
		ss_buf_addf(b, " ON DELETE %s", action_sql[fk->on_delete]);
	if (fk->on_update != SS_FK_NO_ACTION)
		ss_buf_addf(b, " ON UPDATE %s", action_sql[fk->on_update]);
	if (fk->deferrable)
		ss_pg_deferral_sql(b, fk);
}

void
ss_pg_deferral_sql(struct ss_buf *b, const struct ss_fk *fk)
{
	if (!fk->deferrable)
		ss_buf_adds(b, " NOT DEFERRABLE");
	else if (fk->initially_deferred)
		ss_buf_adds(b, " DEFERRABLE INITIALLY DEFERRED");
	else
		ss_buf_adds(b, " DEFERRABLE");
}

void
ss_pg_emit_comment_table(struct ss_buf *b, const struct ss_table *t)
{
	ss_buf_adds(b, "COMMENT ON TABLE ");
	ss_pg_quote_ident(b, t->name);
	ss_buf_adds(b, " IS ");
	if (t->comment != NULL)
		ss_pg_quote_literal(b, t->comment);
	else
		ss_buf_adds(b, "NULL");
}

void
ss_pg_emit_comment_column(struct ss_buf *b, const struct ss_table *t,
    const struct ss_column *c)
{
	ss_buf_adds(b, "COMMENT ON COLUMN ");
	ss_pg_quote_ident(b, t->name);
	ss_buf_addc(b, '.');
	ss_pg_quote_ident(b, c->name);
	ss_buf_adds(b, " IS ");
	if (c->comment != NULL)
		ss_pg_quote_literal(b, c->comment);
	else
		ss_buf_adds(b, "NULL");
}

static void
end(struct ss_buf *b)
{
	ss_buf_adds(b, ";\n");
}

void
ss_pg_emit_schema(struct ss_buf *b, const struct ss_schema *s)
{
	const struct ss_table *t;
	size_t i, j;

	for (i = 0; i < s->nenums; i++) {
		ss_pg_emit_create_enum(b, s->enums[i]);
		end(b);
	}
	for (i = 0; i < s->ntables; i++) {
		ss_pg_emit_create_table(b, s->tables[i]);
		end(b);
	}
	for (i = 0; i < s->ntables; i++) {
		t = s->tables[i];
		for (j = 0; j < t->nindexes; j++) {
			ss_pg_emit_create_index(b, t, &t->indexes[j]);
			end(b);
		}
	}
	for (i = 0; i < s->ntables; i++) {
		t = s->tables[i];
		for (j = 0; j < t->nfks; j++) {
			ss_pg_emit_add_fk(b, t, &t->fks[j]);
			end(b);
		}
	}
	for (i = 0; i < s->ntables; i++) {
		t = s->tables[i];
		if (t->comment != NULL) {
			ss_pg_emit_comment_table(b, t);
			end(b);
		}
		for (j = 0; j < t->ncolumns; j++) {
			if (t->columns[j].comment != NULL) {
				ss_pg_emit_comment_column(b, t, &t->columns[j]);
				end(b);
			}
		}
	}
}

bool
ss_pg_has_default(const struct ss_column *c)
{
	return c != NULL && c->def.kind != SS_DEFAULT_NONE &&
	    c->def.kind != SS_DEFAULT_NULL &&
	    !(c->autoincrement && ss_type_is_integer(&c->type));
}

bool
ss_pg_is_enum(const struct ss_type *t)
{
	return t != NULL && t->kind == SS_TYPE_ENUM;
}

void
ss_pg_using_expr(struct ss_buf *b, const char *col, const struct ss_type *from,
    const struct ss_type *to)
{
	ss_pg_quote_ident(b, col);
	if (ss_pg_is_enum(from) || ss_pg_is_enum(to))
		ss_buf_adds(b, "::text");
	ss_buf_adds(b, "::");
	ss_pg_type_sql(b, to);
}
