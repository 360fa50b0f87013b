#ifndef SS_SQLPARSE_H
#define SS_SQLPARSE_H
/*
 * A tokenizer and a parser for SQLite's CREATE TABLE and CREATE INDEX
 * statements, as stored in sqlite_schema.sql. Introspection uses it for
 * what the pragmas do not say: constraint names, CHECK expressions,
 * AUTOINCREMENT, partial-index predicates, expression index entries.
 *
 * Invariants:
 *  1. Pure: no sqlite3 types, no I/O; everything the parser returns lives
 *     in the caller's arena, so releasing the arena frees it all.
 *  2. Identifiers are returned unquoted, in every quoting SQLite accepts:
 *     "x" (with "" inside), [x], `x` (with `` inside), and 'x' where an
 *     identifier is expected. Bare words keep their case.
 *  3. Expressions are returned verbatim, comments included, so a round
 *     trip through the emitter gives back the same bytes: CHECK's is the
 *     text inside its parentheses and WHERE's the text up to the end of
 *     the statement, both trimmed of white space; DEFAULT's and an
 *     index entry's run from their first token to their last.
 *  4. Malformed input is an error with a message (why), never a crash or
 *     a read past the end: the scanner stops at the length it is given.
 */
#include <stdbool.h>
#include <stddef.h>

#include "ss/buf.h"
#include "ss/mem.h"

enum ss_sqltok_kind {
	SS_TOK_END,		/* end of input (or of the scanned range) */
	SS_TOK_WORD,		/* a bare word: a keyword or an identifier */
	SS_TOK_QUOTED,		/* "x", [x] or `x`: an identifier */
	SS_TOK_STRING,		/* 'x' */
	SS_TOK_NUMBER,		/* 12, 1.5, .5e3, 0x1F */
	SS_TOK_BLOB,		/* x'00ff' */
	SS_TOK_VARIABLE,	/* ?, ?1, :a, @a, $a */
	SS_TOK_PUNCT,		/* an operator or punctuation mark */
	SS_TOK_ERROR		/* an unterminated quote, or a stray byte */
};

struct ss_sqltok {
	enum ss_sqltok_kind kind;
	const char *p;		/* first byte, inside the scanned text */
	size_t len;		/* bytes, quotes included */
};

struct ss_sqllex {
	const char *s;
	size_t len;
	size_t pos;		/* next byte to scan */
	bool saw_line_comment;	/* a -- comment was skipped so far */
};

void ss_sqllex_init(struct ss_sqllex *lx, const char *s, size_t len);
/* Skips white space and comments, then scans one token. */
void ss_sqllex_next(struct ss_sqllex *lx, struct ss_sqltok *t);

/* Whether t is the bare word w (case-insensitive) or the punctuation w. */
bool ss_sqltok_is(const struct ss_sqltok *t, const char *w);
/* The value of a WORD, QUOTED or STRING token: quotes removed and doubled
 * quote characters undoubled. Other tokens: their text. In the arena. */
char *ss_sqltok_value(struct ss_arena *a, const struct ss_sqltok *t);

/*
 * Whether two expressions are the same token for token: white space and
 * comments are ignored, bare words compare case-insensitively, and an
 * identifier compares by value whatever its quoting ("a" = [a] = a).
 * So 'karma >= 0' equals 'karma>=0 -- positive'.
 */
bool ss_sql_same_expr(const char *a, const char *b);
/*
 * Declared views. Whether query mentions the table or view name: a
 * bare word or a quoted identifier with that value, compared without
 * regard to ASCII letter case (so it may say yes for a name the query
 * does not read, never no for one it reads by name).
 */
bool ss_sql_mentions(const char *query, const char *name);
/*
 * The query of a CREATE [TEMP] VIEW [IF NOT EXISTS] name AS query
 * statement (SQLite's sqlite_schema.sql): 0 with *query in the arena
 * (trimmed, without a trailing ';'), *name the view's name unquoted and
 * *columns whether a column list follows the name; -1 with why.
 */
int ss_sqlp_create_view(struct ss_arena *a, const char *sql,
    const char **name, const char **query, bool *columns, struct ss_buf *why);
/* Whether text holds a -- comment: whoever appends to it must start a
 * new line first, or the comment would swallow what follows. */
bool ss_sql_has_line_comment(const char *text);
/* Whether s is exactly a decimal number, as YAML's core schema reads one:
 * [+-] digits [. digits] [e [+-] digits]. */
bool ss_sql_is_decimal(const char *s);
/* The inside of s when all of s is one parenthesised group ("(a) + (b)"
 * is not), trimmed; NULL otherwise. In the arena. */
char *ss_sql_unparen(struct ss_arena *a, const char *s);

/*
 * Verbatim fragments: SQL from the schema files that schemasync writes
 * into statements of its own (a { sql: } default, a check, an index's
 * where and expression entries, a type it does not know). A fragment
 * must stay one piece of the statement around it, so these check, for
 * every reading asked for, that it
 *  - has no ';' outside quotes and comments (it would end the statement),
 *  - opens every parenthesis it closes and closes every one it opens,
 *  - ends no string, quoted name, dollar-quoted string or comment
 *    unterminated, holds no NUL byte, and is not empty.
 * A reading is a database's own tokenizer, copied closely enough for
 * that: SQLite's ('...', "...", [...], `...`, $a(...) variables,
 * unnested comments) and PostgreSQL's ('...', E'...' with backslash
 * escapes, "...", $tag$...$tag$, nested comments), the latter both with
 * standard_conforming_strings on and off (when off, '...' takes
 * backslash escapes too). A fragment that only some reading accepts is
 * refused: the schema files do not say which database they are for.
 *
 * A -- comment is allowed in an expression; f->line_comment says so,
 * and whoever writes the fragment into a statement must end it with a
 * newline, or the comment would swallow what follows.
 */
enum ss_sqlread {
	SS_SQLREAD_SQLITE = 1 << 0,
	SS_SQLREAD_PG = 1 << 1,		/* both settings of standard_conforming_strings */
	SS_SQLREAD_ALL = SS_SQLREAD_SQLITE | SS_SQLREAD_PG
};

struct ss_sqlfrag {
	size_t off;		/* on error: the byte the problem starts at */
	bool line_comment;	/* some reading sees a -- comment */
};

/*
 * 0 when s[0..len) is one balanced expression for every reading in
 * `readings`; -1 with f->off and a message in why ("';' outside quotes
 * would end the statement") otherwise.
 */
int ss_sql_check_expr(const char *s, size_t len, unsigned readings,
    struct ss_sqlfrag *f, struct ss_buf *why);
/*
 * The same for a type: names (double precision, public.citext,
 * "MyType"), optionally followed by parenthesised parameters that
 * are expressions (numeric(10, 2), geometry(Point, 4326)) and by
 * array brackets (text[], int[3][3]). No comments, no strings or
 * operators outside the parentheses, and none of the words of a column
 * constraint (NOT, NULL, DEFAULT, PRIMARY, REFERENCES, ...).
 */
int ss_sql_check_type(const char *s, size_t len, unsigned readings,
    struct ss_sqlfrag *f, struct ss_buf *why);

/* Parsed statements. Lists are arena arrays: v[0..n). */

struct ss_sqlp_names {
	char **v;
	size_t n, alloc;
};

enum ss_sqlp_action {
	SS_SQLP_NO_ACTION,	/* also when no ON clause was written */
	SS_SQLP_RESTRICT,
	SS_SQLP_CASCADE,
	SS_SQLP_SET_NULL,
	SS_SQLP_SET_DEFAULT
};

struct ss_sqlp_fk {
	const char *name;		/* CONSTRAINT name, or NULL */
	struct ss_sqlp_names columns;	/* for a column's REFERENCES: that column */
	const char *ref_table;
	struct ss_sqlp_names ref_columns; /* empty: the referenced primary key */
	enum ss_sqlp_action on_delete;
	enum ss_sqlp_action on_update;
	/* Deferrable foreign keys; MATCH, which SQLite ignores. */
	bool deferrable;	/* DEFERRABLE (INITIALLY DEFERRED implies it) */
	bool initially_deferred;
	const char *match;	/* MATCH's word as written ("FULL"), or NULL */
};

struct ss_sqlp_check {
	const char *name;	/* CONSTRAINT name, or NULL */
	const char *expr;	/* the text inside CHECK ( ... ), trimmed */
};

/* A PRIMARY KEY or UNIQUE constraint. */
struct ss_sqlp_key {
	const char *name;	/* CONSTRAINT name, or NULL */
	struct ss_sqlp_names columns;
	bool autoincrement;	/* PRIMARY KEY ... AUTOINCREMENT */
	bool from_column;	/* written on a column */
};

struct ss_sqlp_column {
	const char *name;
	const char *type;	/* declared type, verbatim; "" when none */
	bool not_null;
	bool primary_key;	/* a column PRIMARY KEY (also in table->pk) */
	bool pk_desc;		/* PRIMARY KEY DESC on the column: an INTEGER
				 * column is then no rowid alias */
	bool autoincrement;
	bool unique;		/* a column UNIQUE (also in table->uniques) */
	bool generated;		/* GENERATED ALWAYS AS / AS (...) */
	const char *default_expr; /* DEFAULT's text, verbatim, or NULL */
	const char *collate;	/* COLLATE name, or NULL */
	struct ss_sqlp_check *checks;	/* column-level CHECKs, in order */
	size_t nchecks, achecks;
	const char *generated_expr; /* generated: the expression, verbatim */
	bool stored;		/* generated: STORED (else VIRTUAL) */
};

struct ss_sqlp_table {
	const char *name;
	bool is_virtual;	/* CREATE VIRTUAL TABLE */
	const char *module;	/* USING module, for a virtual table */
	struct ss_sqlp_column *columns;
	size_t ncolumns, acolumns;
	struct ss_sqlp_key *pk;	/* column or table PRIMARY KEY, or NULL */
	/* UNIQUE constraints, column ones at their column, in source order. */
	struct ss_sqlp_key *uniques;
	size_t nuniques, auniques;
	struct ss_sqlp_check *checks;	/* table-level CHECKs */
	size_t nchecks, achecks;
	/* FOREIGN KEYs and columns' REFERENCES, in source order. */
	struct ss_sqlp_fk *fks;
	size_t nfks, afks;
	bool without_rowid;
	bool strict;
	/* Clauses the parser reads past and the model has no place for,
	 * each as SQL says it ("ON CONFLICT REPLACE"), in source order. */
	struct ss_sqlp_names skipped;
};

struct ss_sqlp_entry {
	const char *text;	/* the entry, verbatim */
	const char *column;	/* when the entry is one name alone, its value */
};

struct ss_sqlp_index {
	const char *name;
	const char *table;
	bool unique;
	struct ss_sqlp_entry *entries;
	size_t nentries, aentries;
	const char *where;	/* the partial-index predicate, or NULL */
};

/*
 * Parse one statement (a trailing ';' and comments are allowed). Return 0
 * with *out filled, or -1 with a message in why ("expected ')' after
 * column list at offset 42").
 */
int ss_sqlp_create_table(struct ss_arena *a, const char *sql,
    struct ss_sqlp_table *out, struct ss_buf *why);
int ss_sqlp_create_index(struct ss_arena *a, const char *sql,
    struct ss_sqlp_index *out, struct ss_buf *why);

#endif
