/*
 * Migration files (include/ss/migrate.h): listing, numbering, parsing
 * into statements, checksums.
 *
 * Design notes:
 *  1. Numbers are four digits and unique: two files with one number
 *     are never ordered by their names (two branches each adding 0005
 *     would then apply in an order neither branch tested); the listing
 *     refuses them and says how to renumber.
 *  2. A statement keeps the line it starts on, so that a failure names
 *     FILE:LINE. The splitter knows quotes, dollar quotes, comments and
 *     a trigger's BEGIN ... END (CASE ... END inside it too), which is
 *     all that decides where a `;` ends a statement in SQLite and
 *     PostgreSQL.
 *  3. The checksum covers the file's bytes, section markers and
 *     comments included: any edit after applying is seen. A CRLF is
 *     read as LF: a checkout that converts line endings edits nothing.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ss/buf.h"
#include "ss/migrate.h"
#include "ss/sqlparse.h"

void
ss_migrations_init(struct ss_migrations *m)
{
	memset(m, 0, sizeof *m);
}

void
ss_migrations_release(struct ss_migrations *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].id);
		free(m->v[i].file);
		free(m->v[i].path);
	}
	free(m->v);
	memset(m, 0, sizeof *m);
}

bool
ss_migration_file_name(const char *file, unsigned *number)
{
	size_t len = strlen(file), i;

	if (len < 4 + 1 + 1 + 4 || strcmp(file + len - 4, ".sql") != 0 ||
	    file[4] != '_')
		return false;
	for (i = 0; i < 4; i++)
		if (!isdigit((unsigned char)file[i]))
			return false;
	*number = (unsigned)atoi(file);
	return *number > 0;
}

bool
ss_migration_name_ok(const char *name)
{
	const char *p;

	if (*name == '\0')
		return false;
	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
			return false;
	return true;
}

void
ss_migrations_add(struct ss_migrations *m, const char *dir, const char *file)
{
	struct ss_migration *e;
	struct ss_buf b = SS_BUF_INIT;

	SS_ALLOC_GROW(m->v, m->n, m->alloc);
	e = &m->v[m->n++];
	memset(e, 0, sizeof *e);
	ss_migration_file_name(file, &e->number);
	e->file = ss_xstrdup(file);
	e->id = ss_xstrndup(file, strlen(file) - 4);
	ss_buf_addf(&b, "%s/%s", dir, file);
	e->path = ss_buf_detach(&b);
}

static int
by_number(const void *a, const void *b)
{
	const struct ss_migration *x = a, *y = b;

	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return strcmp(x->file, y->file);
}

int
ss_migrations_check(const char *dir, const struct ss_migrations *m,
    struct ss_err *err)
{
	size_t i, j;
	unsigned last;

	for (i = 1; i < m->n; i++) {
		if (m->v[i].number != m->v[i - 1].number)
			continue;
		for (j = i; j + 1 < m->n && m->v[j + 1].number ==
		    m->v[i].number; j++)
			;
		last = m->v[m->n - 1].number;
		return ss_err_set(err, SS_EUSAGE, "%s and %s share the number "
		    "%04u (two branches merged?); nothing runs out of order: "
		    "renumber yours to come last, made from the other's "
		    "snapshot: roll it back where it was applied, remove it "
		    "(rm %s/%s.sql %s/%s.snapshot.yaml) and run 'schemasync "
		    "generate --name %s' again (it becomes %04u_%s)",
		    m->v[i - 1].path, m->v[i].path, m->v[i].number, dir,
		    m->v[j].id, dir, m->v[j].id, m->v[j].id + 5, last + 1,
		    m->v[j].id + 5);
	}
	return 0;
}

int
ss_migrations_list(const char *dir, struct ss_migrations *out,
    struct ss_err *err)
{
	DIR *d;
	struct dirent *de;
	unsigned number;
	size_t len;
	int rc = 0;

	ss_migrations_init(out);
	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return 0;
		return ss_err_set(err, SS_EIO, "%s: cannot read the migrations "
		    "folder: %s", dir, strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 4 ||
		    strcmp(de->d_name + len - 4, ".sql") != 0)
			continue;
		if (!ss_migration_file_name(de->d_name, &number)) {
			rc = ss_err_set(err, SS_EUSAGE, "%s/%s: a migration is "
			    "named NNNN_name.sql, four digits from 0001",
			    dir, de->d_name);
			break;
		}
		ss_migrations_add(out, dir, de->d_name);
	}
	closedir(d);
	if (rc == 0 && out->n > 0)
		qsort(out->v, out->n, sizeof *out->v, by_number);
	if (rc == 0)
		rc = ss_migrations_check(dir, out, err);
	return rc;
}

char *
ss_migration_next(const char *dir, const struct ss_migrations *m,
    const char *name)
{
	struct ss_buf b = SS_BUF_INIT;

	ss_buf_addf(&b, "%s/%04u_%s.sql", dir, m->n == 0 ? 1u :
	    m->v[m->n - 1].number + 1, name);
	return ss_buf_detach(&b);
}

char *
ss_migration_snapshot_of(const char *sql_path)
{
	struct ss_buf b = SS_BUF_INIT;
	size_t len = strlen(sql_path);

	if (len >= 4 && strcmp(sql_path + len - 4, ".sql") == 0)
		len -= 4;
	ss_buf_add(&b, sql_path, len);
	ss_buf_adds(&b, ".snapshot.yaml");
	return ss_buf_detach(&b);
}

char *
ss_migration_snapshot_path(const struct ss_migration *m)
{
	return ss_migration_snapshot_of(m->path);
}

/* Parsing. */

void
ss_mig_file_init(struct ss_mig_file *f)
{
	memset(f, 0, sizeof *f);
	ss_arena_init(&f->arena);
}

void
ss_mig_file_release(struct ss_mig_file *f)
{
	ss_arena_release(&f->arena);
	memset(f, 0, sizeof *f);
}

enum section { BEFORE, UP, DOWN };

/* Whether the line at p is a section marker; which one. */
static bool
marker(const char *p, enum section *s)
{
	static const char up[] = "-- schemasync:up", down[] = "-- schemasync:down";
	const char *e;

	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, up, sizeof up - 1) == 0)
		e = p + sizeof up - 1, *s = UP;
	else if (strncmp(p, down, sizeof down - 1) == 0)
		e = p + sizeof down - 1, *s = DOWN;
	else
		return false;
	while (*e == ' ' || *e == '\t' || *e == '\r')
		e++;
	return *e == '\n' || *e == '\0';
}

/*
 * Whether the line at p looks like a section marker and is not one:
 * "-- schemasync: down", "--schemasync:Down", "-- schemasync:downn".
 * Read as a comment, such a line would put the down section's
 * statements into the up section, to run on migrate.
 */
static bool
near_marker(const char *p)
{
	enum section s;

	if (marker(p, &s))
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	if (p[0] != '-' || p[1] != '-')
		return false;
	for (p += 2; *p == ' ' || *p == '\t'; p++)
		;
	if (strncasecmp(p, "schemasync", 10) != 0)
		return false;
	for (p += 10; *p == ' ' || *p == '\t'; p++)
		;
	return *p == ':';
}

static bool
word_at(const char *p, const char *start, const char *w)
{
	size_t n = strlen(w);

	if (p > start && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
		return false;
	return strncasecmp(p, w, n) == 0 && !isalnum((unsigned char)p[n]) &&
	    p[n] != '_';
}

/* Whether the statement so far (code only) starts CREATE [TEMP] TRIGGER. */
static bool
is_trigger(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	if (strncasecmp(s, "create", 6) != 0)
		return false;
	s += 6;
	while (isspace((unsigned char)*s))
		s++;
	if (strncasecmp(s, "temporary", 9) == 0)
		s += 9;
	else if (strncasecmp(s, "temp", 4) == 0)
		s += 4;
	while (isspace((unsigned char)*s))
		s++;
	return strncasecmp(s, "trigger", 7) == 0;
}

static void
finish(struct ss_mig_file *f, enum section sec, struct ss_buf *stmt,
    int line)
{
	struct ss_mig_stmt *st;
	size_t len = stmt->len;

	while (len > 0 && isspace((unsigned char)stmt->s[len - 1]))
		len--;
	if (len > 0 && line > 0) {
		if (sec == DOWN)
			st = SS_ARENA_PUSH(&f->arena, f->down, f->ndown,
			    f->adown);
		else
			st = SS_ARENA_PUSH(&f->arena, f->up, f->nup, f->aup);
		st->sql = ss_arena_strndup(&f->arena, stmt->s, len);
		st->line = line;
	}
	ss_buf_reset(stmt);
}

/*
 * One token of code at p (not a comment, space or ';'): a quoted string
 * (E'...' with its backslash escapes) or identifier, a $tag$ body, a
 * word, or one character. Returns where
 * it ends; counts the lines it spans. Words go to code, so that a
 * CREATE TRIGGER's BEGIN/CASE ... END nest in *depth.
 */
static const char *
code_token(const char *p, int *line, struct ss_buf *code, int *depth)
{
	const char *q = p, *e, *end;
	/* PostgreSQL's E'...': a backslash escapes the next character. */
	bool esc = (*p == 'E' || *p == 'e') && p[1] == '\'';

	if (esc)
		p++;
	if (*p == '\'' || *p == '"' || *p == '`') {
		char quote = *p++;
		while (*p != '\0') {
			if ((*p == quote && p[1] == quote) ||
			    (esc && *p == '\\' && p[1] != '\0')) {
				if (p[1] == '\n')
					(*line)++;
				p += 2;
				continue;
			}
			if (*p == '\n')
				(*line)++;
			if (*p++ == quote)
				break;
		}
	} else if (*p == '$' && (e = strchr(p + 1, '$')) != NULL &&
	    strspn(p + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789")
	    == (size_t)(e - p - 1) && !(e == p + 1 ? false :
	    isdigit((unsigned char)p[1]))) {
		/* $tag$ ... $tag$ (not $1, a parameter). */
		size_t tl = (size_t)(e - p + 1);
		char *tag = ss_xstrndup(p, tl);
		end = strstr(e + 1, tag);
		free(tag);
		end = end ? end + tl : e + 1 + strlen(e + 1);
		for (p = e + 1; p < end; p++)
			if (*p == '\n')
				(*line)++;
	} else if (isalpha((unsigned char)*p) || *p == '_') {
		while (isalnum((unsigned char)*p) || *p == '_' || *p == '$')
			p++;
		ss_buf_add(code, q, (size_t)(p - q));
		ss_buf_addc(code, ' ');
		/* Only inside CREATE TRIGGER do words nest. */
		if (is_trigger(code->s)) {
			if (word_at(q, q, "begin") || word_at(q, q, "case"))
				(*depth)++;
			else if (word_at(q, q, "end") && *depth > 0)
				(*depth)--;
		}
	} else
		p++;
	return p;
}

/* The dialect generate wrote the file for, from its first line. */
static void
header_dialect(const char *text, struct ss_mig_file *f)
{
	static const char by[] = ", written by 'schemasync generate' for ";
	size_t eol = strcspn(text, "\r\n");
	const char *p;

	f->dialect = NULL;
	if (strncmp(text, "-- ", 3) != 0 || (p = strstr(text, by)) == NULL ||
	    p > text + eol)
		return;
	p += sizeof by - 1;
	f->dialect = ss_arena_strndup(&f->arena, p, eol - (size_t)(p - text));
}

int
ss_migration_parse(const char *file, const char *text,
    struct ss_mig_file *f, struct ss_err *err)
{
	struct ss_buf stmt = SS_BUF_INIT, code = SS_BUF_INIT;
	struct ss_loc loc = { file, 0, 1 };
	enum section sec = BEFORE, s2;
	const char *p = text, *q;
	int line = 1, start = 0, depth = 0, rc = 0;
	bool bol = true;

	header_dialect(text, f);
	while (*p) {
		if (bol && marker(p, &s2)) {
			/* A marker ends the statement it interrupts. */
			finish(f, sec, &stmt, start);
			ss_buf_reset(&code);
			start = depth = 0;
			if ((s2 == UP && f->has_up) || (s2 == DOWN && f->has_down) ||
			    (s2 == DOWN && !f->has_up)) {
				loc.line = line;
				rc = ss_err_setloc(err, SS_EUSAGE, &loc, "'-- "
				    "schemasync:%s' is %s", s2 == UP ? "up" :
				    "down", s2 == DOWN && !f->has_up ? "before "
				    "'-- schemasync:up'" : "there twice");
				goto out;
			}
			if (s2 == UP)
				f->has_up = true;
			else
				f->has_down = true;
			sec = s2;
			while (*p && *p != '\n')
				p++;
			continue;
		}
		if (bol && near_marker(p)) {
			loc.line = line;
			rc = ss_err_setloc(err, SS_EUSAGE, &loc, "'%.*s' is not "
			    "a section marker: write '-- schemasync:up' or "
			    "'-- schemasync:down' exactly, on a line of its own",
			    (int)strcspn(p, "\r\n"), p);
			goto out;
		}
		bol = false;
		if (*p == '\n') {
			line++;
			bol = true;
			if (start)
				ss_buf_addc(&stmt, '\n');
			p++;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			if (start)
				ss_buf_addc(&stmt, *p);
			p++;
			continue;
		}
		if (p[0] == '-' && p[1] == '-') {
			q = p;
			while (*p && *p != '\n')
				p++;
			if (start)
				ss_buf_add(&stmt, q, (size_t)(p - q));
			continue;
		}
		if (p[0] == '/' && p[1] == '*') {
			q = p;
			p += 2;
			while (*p && !(p[0] == '*' && p[1] == '/')) {
				if (*p == '\n')
					line++;
				p++;
			}
			if (*p)
				p += 2;
			if (start)
				ss_buf_add(&stmt, q, (size_t)(p - q));
			continue;
		}
		/* Code. */
		if (sec == BEFORE) {
			loc.line = line;
			rc = ss_err_setloc(err, SS_EUSAGE, &loc, "SQL before "
			    "'-- schemasync:up': a migration's statements go "
			    "in its up and down sections");
			goto out;
		}
		if (!start)
			start = line;
		if (*p == ';' && depth == 0) {
			finish(f, sec, &stmt, start);
			ss_buf_reset(&code);
			start = 0;
			p++;
			continue;
		}
		q = p;
		p = code_token(p, &line, &code, &depth);
		ss_buf_add(&stmt, q, (size_t)(p - q));
	}
	finish(f, sec, &stmt, start);
	if (!f->has_up) {
		loc.line = 1;
		rc = ss_err_setloc(err, SS_EUSAGE, &loc, "no '-- schemasync:up' "
		    "line: a migration has an up section and a down section");
	}
out:
	ss_buf_release(&stmt);
	ss_buf_release(&code);
	return rc;
}

uint64_t
ss_fnv1a64(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

void
ss_checksum_hex(const void *data, size_t len, char out[17])
{
	snprintf(out, 17, "%016llx", (unsigned long long)ss_fnv1a64(data, len));
}

#define FNV_STEP(h, c) ((h) = ((h) ^ (unsigned char)(c)) * 0x100000001b3ULL)

void
ss_checksum_text_hex(const char *text, size_t len, char out[17],
    bool crlf)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
			continue;
		if (crlf && text[i] == '\n')
			FNV_STEP(h, '\r');
		FNV_STEP(h, text[i]);
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* Renames (migrate.h). */

/* A column of a table the run touched: where its data is now. */
struct mig_col {
	const char *origin;	/* its name before the run; NULL: added */
	const char *name;	/* its name now; NULL: dropped */
};

struct ss_mig_table {
	const char *origin;	/* its name before the run; NULL: created */
	const char *name;	/* its name now; NULL: dropped */
	bool copy;		/* created, and filled from origin */
	struct mig_col *cols;
	size_t ncols, acols;
};

void
ss_mig_renames_init(struct ss_mig_renames *r)
{
	memset(r, 0, sizeof *r);
	ss_arena_init(&r->arena);
}

void
ss_mig_renames_release(struct ss_mig_renames *r)
{
	ss_arena_release(&r->arena);
	memset(r, 0, sizeof *r);
}

/* A name token's value: a bare word in lower case when lower. */
static char *
name_value(struct ss_mig_renames *r, const struct ss_sqltok *t, bool lower)
{
	char *name = ss_sqltok_value(&r->arena, t), *p;

	if (lower && t->kind == SS_TOK_WORD)
		for (p = name; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	return name;
}

/* A name, the last part of a qualified one; NULL when t is none. */
static char *
rename_name(struct ss_mig_renames *r, struct ss_sqllex *lx,
    struct ss_sqltok *t, bool lower)
{
	char *name;

	if (t->kind != SS_TOK_WORD && t->kind != SS_TOK_QUOTED)
		return NULL;
	name = name_value(r, t, lower);
	ss_sqllex_next(lx, t);
	while (ss_sqltok_is(t, ".")) {
		ss_sqllex_next(lx, t);
		if (t->kind != SS_TOK_WORD && t->kind != SS_TOK_QUOTED)
			return NULL;
		name = name_value(r, t, lower);
		ss_sqllex_next(lx, t);
	}
	return name;
}

static bool
same_name(const struct ss_mig_renames *r, const char *a, const char *b)
{
	return a != NULL && b != NULL &&
	    (r->icase ? strcasecmp(a, b) : strcmp(a, b)) == 0;
}

/*
 * The table named name now: the newest of that name, else the one of
 * that name before the run if the run has not moved it (taken in now);
 * NULL when the name was left (renamed away, dropped).
 */
static struct ss_mig_table *
table_now(struct ss_mig_renames *r, const char *name)
{
	struct ss_mig_table *t;
	size_t i;

	for (i = r->nt; i-- > 0;)
		if (same_name(r, r->t[i].name, name))
			return &r->t[i];
	for (i = 0; i < r->nt; i++)
		if (!r->t[i].copy && same_name(r, r->t[i].origin, name))
			return NULL;
	t = SS_ARENA_PUSH(&r->arena, r->t, r->nt, r->at);
	memset(t, 0, sizeof *t);
	t->origin = t->name = name;
	return t;
}

/* Column name of t now, as table_now() finds a table. */
static struct mig_col *
col_now(struct ss_mig_renames *r, struct ss_mig_table *t, const char *name)
{
	struct mig_col *c;
	size_t i;

	for (i = t->ncols; i-- > 0;)
		if (same_name(r, t->cols[i].name, name))
			return &t->cols[i];
	for (i = 0; i < t->ncols; i++)
		if (same_name(r, t->cols[i].origin, name))
			return NULL;
	c = SS_ARENA_PUSH(&r->arena, t->cols, t->ncols, t->acols);
	c->origin = c->name = name;
	return c;
}

static struct ss_mig_table *
table_new(struct ss_mig_renames *r, const char *name)
{
	struct ss_mig_table *t = SS_ARENA_PUSH(&r->arena, r->t, r->nt, r->at);

	memset(t, 0, sizeof *t);
	t->name = name;
	return t;
}

/* Skips to the next top-level ',' or the end; false at the end. */
static bool
next_action(struct ss_sqllex *lx, struct ss_sqltok *t)
{
	int depth = 0;

	for (; t->kind != SS_TOK_END && t->kind != SS_TOK_ERROR;
	    ss_sqllex_next(lx, t)) {
		if (ss_sqltok_is(t, "("))
			depth++;
		else if (ss_sqltok_is(t, ")"))
			depth--;
		else if (depth == 0 && ss_sqltok_is(t, ",")) {
			ss_sqllex_next(lx, t);
			return true;
		}
	}
	return false;
}

/* Skips "IF [NOT] EXISTS". */
static void
if_exists(struct ss_sqllex *lx, struct ss_sqltok *t)
{
	if (!ss_sqltok_is(t, "IF"))
		return;
	ss_sqllex_next(lx, t);
	if (ss_sqltok_is(t, "NOT"))
		ss_sqllex_next(lx, t);
	if (ss_sqltok_is(t, "EXISTS"))
		ss_sqllex_next(lx, t);
}

/* The actions of ALTER TABLE name, after its name. */
static void
alter_table(struct ss_mig_renames *r, struct ss_sqllex *lx,
    struct ss_sqltok *t, const char *table, bool lower)
{
	struct ss_mig_table *tb = table_now(r, table);
	struct mig_col *c;
	char *col = NULL, *to;
	bool drop;

	if (tb == NULL)
		return;
	if (ss_sqltok_is(t, "RENAME")) {
		ss_sqllex_next(lx, t);
		if (ss_sqltok_is(t, "COLUMN"))
			ss_sqllex_next(lx, t);
		if (!ss_sqltok_is(t, "TO") &&
		    (col = rename_name(r, lx, t, lower)) == NULL)
			return;
		if (!ss_sqltok_is(t, "TO"))
			return;
		ss_sqllex_next(lx, t);
		if ((to = rename_name(r, lx, t, lower)) == NULL ||
		    t->kind != SS_TOK_END)
			return;
		if (col == NULL)
			tb->name = to;
		else if ((c = col_now(r, tb, col)) != NULL)
			c->name = to;
		return;
	}
	do {
		drop = ss_sqltok_is(t, "DROP");
		if (!drop && !ss_sqltok_is(t, "ADD"))
			continue;
		ss_sqllex_next(lx, t);
		if (ss_sqltok_is(t, "COLUMN"))
			ss_sqllex_next(lx, t);
		else if (ss_sqltok_is(t, "CONSTRAINT") ||
		    ss_sqltok_is(t, "PRIMARY") || ss_sqltok_is(t, "UNIQUE") ||
		    ss_sqltok_is(t, "CHECK") || ss_sqltok_is(t, "FOREIGN") ||
		    ss_sqltok_is(t, "EXCLUDE"))
			continue;
		if_exists(lx, t);
		if ((col = rename_name(r, lx, t, lower)) == NULL)
			continue;
		if (!drop) {
			c = SS_ARENA_PUSH(&r->arena, tb->cols, tb->ncols,
			    tb->acols);
			c->origin = NULL;
			c->name = col;
		} else if ((c = col_now(r, tb, col)) != NULL)
			c->name = NULL;
	} while (next_action(lx, t));
}

void
ss_mig_renames_add(struct ss_mig_renames *r, const char *sql, bool lower)
{
	struct ss_mig_table *to, *from;
	struct ss_sqllex lx;
	struct ss_sqltok t;
	char *name;
	size_t at, i;
	int depth = 0;

	r->icase = !lower;
	ss_sqllex_init(&lx, sql, strlen(sql));
	ss_sqllex_next(&lx, &t);
	if (ss_sqltok_is(&t, "ALTER")) {
		ss_sqllex_next(&lx, &t);
		if (!ss_sqltok_is(&t, "TABLE"))
			return;
		ss_sqllex_next(&lx, &t);
		if_exists(&lx, &t);
		if (ss_sqltok_is(&t, "ONLY"))
			ss_sqllex_next(&lx, &t);
		if ((name = rename_name(r, &lx, &t, lower)) == NULL)
			return;
		if (ss_sqltok_is(&t, "*"))
			ss_sqllex_next(&lx, &t);
		alter_table(r, &lx, &t, name, lower);
	} else if (ss_sqltok_is(&t, "DROP")) {
		ss_sqllex_next(&lx, &t);
		if (!ss_sqltok_is(&t, "TABLE"))
			return;
		ss_sqllex_next(&lx, &t);
		if_exists(&lx, &t);
		do {
			if ((name = rename_name(r, &lx, &t, lower)) != NULL &&
			    (to = table_now(r, name)) != NULL)
				to->name = NULL;
		} while (next_action(&lx, &t));
	} else if (ss_sqltok_is(&t, "CREATE")) {
		do
			ss_sqllex_next(&lx, &t);
		while (t.kind == SS_TOK_WORD && !ss_sqltok_is(&t, "TABLE") &&
		    !ss_sqltok_is(&t, "AS"));
		if (!ss_sqltok_is(&t, "TABLE"))
			return;
		ss_sqllex_next(&lx, &t);
		if_exists(&lx, &t);
		if ((name = rename_name(r, &lx, &t, lower)) != NULL)
			(void)table_new(r, name);
	} else if (ss_sqltok_is(&t, "INSERT")) {
		/* INSERT INTO new ... SELECT ... FROM old: a copy. */
		ss_sqllex_next(&lx, &t);
		if (!ss_sqltok_is(&t, "INTO"))
			return;
		ss_sqllex_next(&lx, &t);
		if ((name = rename_name(r, &lx, &t, lower)) == NULL ||
		    (to = table_now(r, name)) == NULL || to->origin != NULL)
			return;
		for (; t.kind != SS_TOK_END && t.kind != SS_TOK_ERROR;
		    ss_sqllex_next(&lx, &t)) {
			if (ss_sqltok_is(&t, "("))
				depth++;
			else if (ss_sqltok_is(&t, ")"))
				depth--;
			else if (depth == 0 && ss_sqltok_is(&t, "FROM"))
				break;
		}
		if (!ss_sqltok_is(&t, "FROM"))
			return;
		ss_sqllex_next(&lx, &t);
		at = (size_t)(to - r->t);	/* table_now() may move r->t */
		if ((name = rename_name(r, &lx, &t, lower)) == NULL ||
		    (from = table_now(r, name)) == NULL || from->origin == NULL)
			return;
		/* Its columns are the old table's, by name: so are their
		 * renames and drops so far. */
		r->t[at].origin = from->origin;
		r->t[at].copy = true;
		r->t[at].ncols = 0;
		for (i = 0; i < from->ncols; i++)
			*(struct mig_col *)SS_ARENA_PUSH(&r->arena, r->t[at].cols,
			    r->t[at].ncols, r->t[at].acols) = from->cols[i];
	}
}

static void
add_result(struct ss_mig_renames *r, bool gone, const char *table,
    const char *column, const char *to)
{
	struct ss_rename *e = gone ?
	    SS_ARENA_PUSH(&r->arena, r->gone, r->ngone, r->agone) :
	    SS_ARENA_PUSH(&r->arena, r->v, r->n, r->alloc);

	e->table = table;
	e->column = column;
	e->to = to;
}

void
ss_mig_renames_finish(struct ss_mig_renames *r)
{
	const struct ss_mig_table *h, *tb;
	size_t i, j, k;

	r->n = r->ngone = 0;
	for (i = 0; i < r->nt; i++) {
		tb = &r->t[i];
		if (tb->origin == NULL || tb->copy)
			continue;
		/* What holds its data: itself, else a copy that is left. */
		h = tb->name != NULL ? tb : NULL;
		for (j = 0; h == NULL && j < r->nt; j++)
			if (r->t[j].copy && r->t[j].name != NULL &&
			    strcmp(r->t[j].origin, tb->origin) == 0)
				h = &r->t[j];
		if (h == NULL) {
			add_result(r, true, tb->origin, NULL, NULL);
			continue;
		}
		if (!same_name(r, h->name, tb->origin))
			add_result(r, false, tb->origin, NULL, h->name);
		/* A copy has the columns it was made with, by name. */
		for (k = 0; k < h->ncols; k++) {
			const struct mig_col *c = &h->cols[k];
			if (c->origin == NULL)
				continue;
			if (c->name == NULL)
				add_result(r, true, tb->origin, c->origin, NULL);
			else if (!same_name(r, c->name, c->origin))
				add_result(r, false, tb->origin, c->origin,
				    c->name);
		}
	}
}
