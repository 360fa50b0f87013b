/*
 * The schema model (see include/ss/model.h).
 *
 * Design notes:
 *  1. Tables and enums are arrays of pointers plus a name map, so a
 *     pointer to a table stays valid while more are added. Columns,
 *     keys, indexes and the rest are plain arrays: nothing holds a
 *     pointer into them until the schema is complete.
 *  2. Type parsing folds case and white space, then looks the base name
 *     up in one table of spellings; parameters are parsed by hand so
 *     'varchar(abc)' is an error and not an "other" type.
 *  3. Generated names reproduce PostgreSQL's makeObjectName() and
 *     ChooseIndexNameAddition() so that a name the files leave out is
 *     the name the server gives, and the second push finds no change.
 */
#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ss/model.h"
#include "ss/util.h"

void
ss_schema_init(struct ss_schema *s)
{
	memset(s, 0, sizeof *s);
	ss_arena_init(&s->arena);
}

void
ss_schema_release(struct ss_schema *s)
{
	ss_map_release(&s->table_map);
	ss_map_release(&s->enum_map);
	ss_arena_release(&s->arena);
	memset(s, 0, sizeof *s);
}

struct ss_table *
ss_schema_add_table(struct ss_schema *s, const char *name)
{
	struct ss_table *t;

	if (ss_map_get(&s->table_map, name) != NULL)
		return NULL;
	t = ss_arena_alloc(&s->arena, sizeof *t);
	t->name = ss_arena_strdup(&s->arena, name);
	*SS_ARENA_PUSH(&s->arena, s->tables, s->ntables, s->atables) = t;
	ss_map_put(&s->table_map, t->name, t);
	return t;
}

struct ss_enum *
ss_schema_add_enum(struct ss_schema *s, const char *name)
{
	struct ss_enum *e;

	if (ss_map_get(&s->enum_map, name) != NULL)
		return NULL;
	e = ss_arena_alloc(&s->arena, sizeof *e);
	e->name = ss_arena_strdup(&s->arena, name);
	*SS_ARENA_PUSH(&s->arena, s->enums, s->nenums, s->aenums) = e;
	ss_map_put(&s->enum_map, e->name, e);
	return e;
}

struct ss_column *
ss_table_add_column(struct ss_schema *s, struct ss_table *t, const char *name)
{
	struct ss_column *c;

	c = SS_ARENA_PUSH(&s->arena, t->columns, t->ncolumns, t->acolumns);
	memset(c, 0, sizeof *c);
	c->name = ss_arena_strdup(&s->arena, name);
	c->nullable = true;
	c->type.len = c->type.scale = -1;
	return c;
}

#define ADD_ZEROED(s, v, n, a) __extension__ ({ \
	__typeof__(&(v)[0]) p_ = SS_ARENA_PUSH(&(s)->arena, v, n, a); \
	memset(p_, 0, sizeof *p_); \
	p_; })

struct ss_key *
ss_table_add_unique(struct ss_schema *s, struct ss_table *t)
{
	return ADD_ZEROED(s, t->uniques, t->nuniques, t->auniques);
}

struct ss_index *
ss_table_add_index(struct ss_schema *s, struct ss_table *t)
{
	return ADD_ZEROED(s, t->indexes, t->nindexes, t->aindexes);
}

struct ss_fk *
ss_table_add_fk(struct ss_schema *s, struct ss_table *t)
{
	return ADD_ZEROED(s, t->fks, t->nfks, t->afks);
}

struct ss_check *
ss_table_add_check(struct ss_schema *s, struct ss_table *t)
{
	return ADD_ZEROED(s, t->checks, t->nchecks, t->achecks);
}

struct ss_other *
ss_schema_add_other(struct ss_schema *s, const char *kind, const char *name)
{
	struct ss_other *o = ADD_ZEROED(s, s->others, s->nothers, s->aothers);

	o->kind = ss_arena_strdup(&s->arena, kind);
	o->name = ss_arena_strdup(&s->arena, name);
	return o;
}

/* Attributes that are not modelled. */
void
ss_schema_add_unmodelled(struct ss_schema *s, const char *table,
    const char *object, const char *what, const char *effect)
{
	struct ss_unmodelled *u = ADD_ZEROED(s, s->unmodelled, s->nunmodelled,
	    s->aunmodelled);

	u->table = table ? ss_arena_strdup(&s->arena, table) : NULL;
	u->object = ss_arena_strdup(&s->arena, object);
	u->what = ss_arena_strdup(&s->arena, what);
	u->effect = effect ? ss_arena_strdup(&s->arena, effect) : NULL;
}

void
ss_unmodelled_describe(struct ss_buf *b, const struct ss_unmodelled *u)
{
	ss_buf_addf(b, "%s: %s is not modelled", u->object, u->what);
	if (u->effect != NULL)
		ss_buf_addf(b, "; %s", u->effect);
}

/* Declared views. */

struct ss_view *
ss_schema_add_view(struct ss_schema *s, const char *name)
{
	struct ss_view *v;

	if (ss_schema_view(s, name) != NULL)
		return NULL;
	v = ss_arena_alloc(&s->arena, sizeof *v);
	memset(v, 0, sizeof *v);
	v->name = ss_arena_strdup(&s->arena, name);
	*SS_ARENA_PUSH(&s->arena, s->views, s->nviews, s->aviews) = v;
	return v;
}

struct ss_view *
ss_schema_view(const struct ss_schema *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nviews; i++)
		if (strcmp(s->views[i]->name, name) == 0)
			return s->views[i];
	return NULL;
}

static bool
same_name_icase(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		char x = *a, y = *b;
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return *a == *b;
}

void
ss_schema_unmanage_views(struct ss_schema *current,
    const struct ss_schema *declared, bool fold_case)
{
	struct ss_other *o, *tmp;
	size_t i, j, n = 0, before = current->nothers, k;
	bool named;

	for (i = 0; i < current->nviews; i++) {
		const struct ss_view *v = current->views[i];
		named = false;
		for (j = 0; j < declared->nviews && !named; j++)
			named = fold_case ? same_name_icase(v->name,
			    declared->views[j]->name) : strcmp(v->name,
			    declared->views[j]->name) == 0;
		if (named) {
			current->views[n++] = current->views[i];
			continue;
		}
		o = ss_schema_add_other(current, v->materialized ?
		    "materialized view" : "view", v->name);
		o->sql = v->sql;
	}
	current->nviews = n;
	/* The views first, as introspection met them before the rest. */
	k = current->nothers - before;
	if (k == 0 || before == 0)
		return;
	tmp = ss_xcalloc(current->nothers, sizeof *tmp);
	memcpy(tmp, current->others + before, k * sizeof *tmp);
	memcpy(tmp + k, current->others, before * sizeof *tmp);
	memcpy(current->others, tmp, current->nothers * sizeof *tmp);
	free(tmp);
}

void
ss_names_add(struct ss_schema *s, struct ss_names *l, const char *name,
    const struct ss_loc *loc)
{
	struct ss_name *n = SS_ARENA_PUSH(&s->arena, l->v, l->n, l->alloc);

	n->name = ss_arena_strdup(&s->arena, name);
	if (loc != NULL)
		n->loc = *loc;
	else
		memset(&n->loc, 0, sizeof n->loc);
}

void
ss_schema_filter_tables(struct ss_schema *s,
    bool (*keep)(const char *name, void *ctx), void *ctx)
{
	size_t i, n = 0;

	ss_map_release(&s->table_map);
	for (i = 0; i < s->ntables; i++) {
		if (keep(s->tables[i]->name, ctx)) {
			s->tables[n++] = s->tables[i];
			ss_map_put(&s->table_map, s->tables[i]->name, s->tables[i]);
		} else
			ss_schema_add_other(s, "ignored table", s->tables[i]->name);
	}
	s->ntables = n;
	/* What is not modelled of an ignored table is not ours to name. */
	for (i = n = 0; i < s->nunmodelled; i++)
		if (s->unmodelled[i].table == NULL ||
		    ss_map_get(&s->table_map, s->unmodelled[i].table) != NULL)
			s->unmodelled[n++] = s->unmodelled[i];
	s->nunmodelled = n;
}

struct ss_table *
ss_schema_table(const struct ss_schema *s, const char *name)
{
	return ss_map_get(&s->table_map, name);
}

struct ss_enum *
ss_schema_enum(const struct ss_schema *s, const char *name)
{
	return ss_map_get(&s->enum_map, name);
}

const struct ss_loc *
ss_column_loc(const struct ss_column *c, struct ss_pos p, struct ss_loc *out)
{
	out->file = p.line != 0 ? c->loc.file : NULL;
	out->line = p.line;
	out->col = p.col;
	return out;
}

struct ss_pos
ss_pos_of(struct ss_loc l)
{
	struct ss_pos p = { l.line, l.col };

	return p;
}

struct ss_column *
ss_table_column(const struct ss_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncolumns; i++)
		if (strcmp(t->columns[i].name, name) == 0)
			return &t->columns[i];
	return NULL;
}

struct ss_column *
ss_table_column_icase(const struct ss_table *t, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < t->ncolumns; i++)
		if (ss_streq_icase(t->columns[i].name, name))
			return &t->columns[i];
	return NULL;
}

bool
ss_names_has(const struct ss_names *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return true;
	return false;
}

bool
ss_names_equal(const struct ss_names *a, const struct ss_names *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, b->v[i].name) != 0)
			return false;
	return true;
}

bool
ss_names_same_set(const struct ss_names *a, const struct ss_names *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (!ss_names_has(b, a->v[i].name))
			return false;
	return true;
}

/* Types. */

/* Which parameters a base takes: none, a length, precision and scale,
 * or fractional-seconds precision (0 to 6, PostgreSQL's range). */
enum param { P_NONE, P_LEN, P_PREC, P_FRAC };

static const struct {
	const char *spelling;	/* lower case, single spaces */
	enum ss_type_kind kind;
	enum param param;
} type_spellings[] = {
	{ "smallint", SS_TYPE_SMALLINT, P_NONE },
	{ "int2", SS_TYPE_SMALLINT, P_NONE },
	{ "integer", SS_TYPE_INTEGER, P_NONE },
	{ "int", SS_TYPE_INTEGER, P_NONE },
	{ "int4", SS_TYPE_INTEGER, P_NONE },
	{ "bigint", SS_TYPE_BIGINT, P_NONE },
	{ "int8", SS_TYPE_BIGINT, P_NONE },
	{ "real", SS_TYPE_REAL, P_NONE },
	{ "float4", SS_TYPE_REAL, P_NONE },
	{ "double", SS_TYPE_DOUBLE, P_NONE },
	{ "double precision", SS_TYPE_DOUBLE, P_NONE },
	{ "float8", SS_TYPE_DOUBLE, P_NONE },
	{ "float", SS_TYPE_DOUBLE, P_NONE },
	{ "numeric", SS_TYPE_NUMERIC, P_PREC },
	{ "decimal", SS_TYPE_NUMERIC, P_PREC },
	{ "boolean", SS_TYPE_BOOLEAN, P_NONE },
	{ "bool", SS_TYPE_BOOLEAN, P_NONE },
	{ "text", SS_TYPE_TEXT, P_NONE },
	{ "varchar", SS_TYPE_VARCHAR, P_LEN },
	{ "character varying", SS_TYPE_VARCHAR, P_LEN },
	{ "char", SS_TYPE_CHAR, P_LEN },
	{ "character", SS_TYPE_CHAR, P_LEN },
	{ "date", SS_TYPE_DATE, P_NONE },
	{ "time", SS_TYPE_TIME, P_FRAC },
	{ "time without time zone", SS_TYPE_TIME, P_FRAC },
	{ "timestamp", SS_TYPE_TIMESTAMP, P_FRAC },
	{ "timestamp without time zone", SS_TYPE_TIMESTAMP, P_FRAC },
	{ "timestamptz", SS_TYPE_TIMESTAMPTZ, P_FRAC },
	{ "timestamp with time zone", SS_TYPE_TIMESTAMPTZ, P_FRAC },
	{ "uuid", SS_TYPE_UUID, P_NONE },
	{ "json", SS_TYPE_JSON, P_NONE },
	{ "jsonb", SS_TYPE_JSONB, P_NONE },
	{ "bytea", SS_TYPE_BYTES, P_NONE },
	{ "blob", SS_TYPE_BYTES, P_NONE },
};

/* Indexed by enum ss_type_kind; ENUM and OTHER print their name. */
static const char *const canonical[] = {
	"smallint", "integer", "bigint", "real", "double", "numeric",
	"boolean", "text", "varchar", "char", "date", "time", "timestamp",
	"timestamptz", "uuid", "json", "jsonb", "bytea", NULL, NULL
};

const char *const ss_type_names[] = {
	"smallint", "integer", "bigint", "real", "double", "numeric",
	"decimal", "boolean", "text", "varchar", "char", "date", "time",
	"timestamp", "timestamptz", "uuid", "json", "jsonb", "bytea", "blob",
	NULL
};

/* Reads a decimal number of at most 9 digits at *p; -1 if none. */
static int
read_int(const char **p)
{
	const char *s = *p;
	long v = 0;
	int n = 0;

	while (*s == ' ')
		s++;
	while (isdigit((unsigned char)*s) && n < 9) {
		v = v * 10 + (*s++ - '0');
		n++;
	}
	if (n == 0 || isdigit((unsigned char)*s))
		return -1;
	while (*s == ' ')
		s++;
	*p = s;
	return (int)v;
}

int
ss_type_parse(struct ss_schema *s, const char *text, struct ss_type *t,
    struct ss_buf *why)
{
	struct ss_buf norm = SS_BUF_INIT;
	const char *p, *params;
	size_t i, baselen;
	int r = 0;

	t->kind = SS_TYPE_OTHER;
	t->len = t->scale = -1;
	t->name = NULL;

	/* Fold case and runs of white space. */
	for (p = text; *p; p++) {
		if (isspace((unsigned char)*p)) {
			if (norm.len > 0 && norm.s[norm.len - 1] != ' ')
				ss_buf_addc(&norm, ' ');
		} else
			ss_buf_addc(&norm, (char)tolower((unsigned char)*p));
	}
	while (norm.len > 0 && norm.s[norm.len - 1] == ' ')
		ss_buf_truncate(&norm, norm.len - 1);

	/*
	 * PostgreSQL writes the precision inside the name:
	 * "timestamp(3) with time zone". Move it to the end, where the
	 * parameters of every other spelling are.
	 */
	if ((params = strchr(norm.s, '(')) != NULL &&
	    (p = strchr(params, ')')) != NULL && p[1] == ' ') {
		struct ss_buf moved = SS_BUF_INIT;
		ss_buf_add(&moved, norm.s, (size_t)(params - norm.s));
		ss_buf_adds(&moved, p + 1);
		ss_buf_add(&moved, params, (size_t)(p - params) + 1);
		ss_buf_release(&norm);
		norm = moved;
	}

	params = strchr(norm.s, '(');
	baselen = params ? (size_t)(params - norm.s) : norm.len;
	while (baselen > 0 && norm.s[baselen - 1] == ' ')
		baselen--;

	for (i = 0; i < sizeof type_spellings / sizeof type_spellings[0]; i++) {
		if (strlen(type_spellings[i].spelling) == baselen &&
		    memcmp(type_spellings[i].spelling, norm.s, baselen) == 0)
			break;
	}
	if (i == sizeof type_spellings / sizeof type_spellings[0]) {
		/* Not a builtin: verbatim, as written (trimmed). */
		while (isspace((unsigned char)*text))
			text++;
		t->name = ss_arena_strdup(&s->arena, text);
		i = strlen(t->name);
		while (i > 0 && isspace((unsigned char)t->name[i - 1]))
			((char *)t->name)[--i] = '\0';
		goto out;
	}
	t->kind = type_spellings[i].kind;
	if (params == NULL) {
		if (t->kind == SS_TYPE_CHAR)
			t->len = 1;	/* as PostgreSQL: char is char(1) */
		goto out;
	}

	p = params + 1;
	switch (type_spellings[i].param) {
	case P_NONE:
		ss_buf_addf(why, "type '%.*s' takes no parameters",
		    (int)baselen, norm.s);
		r = -1;
		goto out;
	case P_LEN:
		t->len = read_int(&p);
		if (t->len < 1 || *p != ')' || p[1] != '\0') {
			ss_buf_addf(why, "malformed type '%s': expected a "
			    "length such as %s(255)", text,
			    type_spellings[i].spelling);
			r = -1;
			goto out;
		}
		break;
	case P_PREC:
		t->len = read_int(&p);
		if (t->len >= 1 && *p == ',') {
			p++;
			t->scale = read_int(&p);
		}
		if (t->len < 1 || t->len > 1000 || *p != ')' || p[1] != '\0' ||
		    (t->scale != -1 && t->scale > t->len) ||
		    (strchr(params, ',') != NULL && t->scale < 0)) {
			ss_buf_addf(why, "malformed type '%s': expected "
			    "%s(P) or %s(P,S) with 1 <= P <= 1000 and "
			    "0 <= S <= P", text, type_spellings[i].spelling,
			    type_spellings[i].spelling);
			r = -1;
			goto out;
		}
		break;
	case P_FRAC:
		t->len = read_int(&p);
		if (t->len < 0 || t->len > 6 || *p != ')' || p[1] != '\0') {
			ss_buf_addf(why, "malformed type '%s': expected "
			    "%s(N), fractional-seconds precision 0 to 6", text,
			    type_spellings[i].spelling);
			r = -1;
			goto out;
		}
		break;
	}
out:
	ss_buf_release(&norm);
	return r;
}

void
ss_type_format(struct ss_buf *b, const struct ss_type *t)
{
	if (t->kind == SS_TYPE_ENUM || t->kind == SS_TYPE_OTHER) {
		ss_buf_adds(b, t->name);
		return;
	}
	ss_buf_adds(b, canonical[t->kind]);
	if (t->len >= 0 && t->scale >= 0)
		ss_buf_addf(b, "(%d,%d)", t->len, t->scale);
	else if (t->len >= 0)
		ss_buf_addf(b, "(%d)", t->len);
}

bool
ss_type_equal(const struct ss_type *a, const struct ss_type *b)
{
	if (a->kind != b->kind || a->len != b->len || a->scale != b->scale)
		return false;
	if (a->kind == SS_TYPE_ENUM || a->kind == SS_TYPE_OTHER)
		return strcmp(a->name, b->name) == 0;
	return true;
}

size_t
ss_type_array_suffix(const char *s, size_t n)
{
	size_t i;

	if (n < 2 || s[n - 1] != ']')
		return n;
	for (i = n - 1; i > 0 && isdigit((unsigned char)s[i - 1]); i--)
		;
	return i > 0 && s[i - 1] == '[' ? i - 1 : n;
}

bool
ss_type_uses_enum(const struct ss_type *t, const char *e)
{
	const char *n = t->name, *p;
	size_t len = strlen(e), end, k;

	if (t->kind == SS_TYPE_ENUM)
		return strcmp(n, e) == 0;
	if (t->kind != SS_TYPE_OTHER || n == NULL)
		return false;
	/* An array of it, of any number of dimensions. */
	end = strlen(n);
	while ((k = ss_type_array_suffix(n, end)) < end)
		end = k;
	if (end == strlen(n))
		return false;
	if (end == len && strncmp(n, e, len) == 0)
		return true;
	/* "E"[]: quoted, '"' doubled. */
	if (*n != '"')
		return false;
	p = n + 1;
	for (; *e; e++, p++) {
		if (*p != *e || (*e == '"' && *++p != '"'))
			return false;
	}
	return *p == '"' && (size_t)(p - n) == end - 1;
}

bool
ss_type_is_integer(const struct ss_type *t)
{
	return t->kind == SS_TYPE_SMALLINT || t->kind == SS_TYPE_INTEGER ||
	    t->kind == SS_TYPE_BIGINT;
}

bool
ss_default_equal(const struct ss_default *a, const struct ss_default *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->value == NULL || b->value == NULL)
		return a->value == b->value;
	return strcmp(a->value, b->value) == 0;
}

const char *const ss_fk_action_names[] = {
	"no action", "restrict", "cascade", "set null", "set default", NULL
};

const char *
ss_fk_action_name(enum ss_fk_action a)
{
	return ss_fk_action_names[a];
}

int
ss_fk_action_parse(const char *s)
{
	char buf[32];
	size_t i, n = 0;

	/* Accept "set null", "SET NULL", "set_null" alike. */
	for (; *s && n < sizeof buf - 1; s++)
		buf[n++] = *s == '_' ? ' ' : (char)tolower((unsigned char)*s);
	buf[n] = '\0';
	if (*s)
		return -1;
	for (i = 0; ss_fk_action_names[i] != NULL; i++)
		if (strcmp(buf, ss_fk_action_names[i]) == 0)
			return (int)i;
	return -1;
}

/* Bytes of s[0..n) that end on a UTF-8 character boundary (pg_mbcliplen). */
static size_t
clip_utf8(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

char *
ss_make_object_name(struct ss_arena *a, const char *name1, const char *name2,
    const char *label)
{
	size_t overhead = 0, avail, n1, n2;
	struct ss_buf b = SS_BUF_INIT;
	char *r;

	n1 = strlen(name1);
	n2 = name2 ? strlen(name2) : 0;
	if (name2)
		overhead++;	/* the separating underscore */
	if (label)
		overhead += strlen(label) + 1;
	avail = SS_MAX_IDENT > overhead ? SS_MAX_IDENT - overhead : 0;
	while (n1 + n2 > avail) {
		if (n1 > n2)
			n1--;
		else
			n2--;
	}
	n1 = clip_utf8(name1, n1);
	ss_buf_add(&b, name1, n1);
	if (name2) {
		n2 = clip_utf8(name2, n2);
		ss_buf_addc(&b, '_');
		ss_buf_add(&b, name2, n2);
	}
	if (label) {
		ss_buf_addc(&b, '_');
		ss_buf_adds(&b, label);
	}
	r = ss_arena_strndup(a, b.s, b.len);
	ss_buf_release(&b);
	return r;
}

bool
ss_table_is_key(const struct ss_table *t, const struct ss_names *cols)
{
	size_t j;

	if (t->pk != NULL && ss_names_same_set(&t->pk->columns, cols))
		return true;
	for (j = 0; j < t->nuniques; j++)
		if (ss_names_same_set(&t->uniques[j].columns, cols))
			return true;
	for (j = 0; j < t->nindexes; j++)
		if (t->indexes[j].unique && t->indexes[j].where == NULL &&
		    ss_names_same_set(&t->indexes[j].columns, cols))
			return true;
	return false;
}

char *
ss_choose_object_name(struct ss_arena *a, const char *name1,
    const char *name2, const char *label,
    bool (*taken)(const char *name, void *arg), void *arg)
{
	char mod[32];
	char *name;
	int pass = 0;

	name = ss_make_object_name(a, name1, name2, label);
	while (taken(name, arg)) {
		snprintf(mod, sizeof mod, "%s%d", label, ++pass);
		name = ss_make_object_name(a, name1, name2, mod);
	}
	return name;
}

char *
ss_names_addition(struct ss_arena *a, const struct ss_names *l)
{
	struct ss_buf b = SS_BUF_INIT;
	size_t i;
	char *r;

	for (i = 0; i < l->n; i++) {
		size_t len = strlen(l->v[i].name);
		if (i > 0)
			ss_buf_addc(&b, '_');
		ss_buf_add(&b, l->v[i].name, len < SS_MAX_IDENT ? len : SS_MAX_IDENT);
		if (b.len >= SS_MAX_IDENT + 1)
			break;
	}
	r = ss_arena_strndup(a, b.s, b.len);
	ss_buf_release(&b);
	return r;
}

void
ss_schema_others_summary(struct ss_buf *b, const struct ss_schema *s)
{
	const char *kind;
	size_t i, j, n, k = 0;

	for (i = 0; i < s->nothers; i++) {
		kind = s->others[i].kind;
		for (j = 0; j < i; j++)
			if (strcmp(s->others[j].kind, kind) == 0)
				break;
		if (j < i)
			continue;	/* kind counted already */
		for (n = 0, j = i; j < s->nothers; j++)
			n += strcmp(s->others[j].kind, kind) == 0;
		ss_buf_addf(b, "%s%zu %s%s", k++ ? ", " : "", n, kind,
		    n == 1 ? "" : ss_ends_with(kind, "x") ||
		    ss_ends_with(kind, "s") ? "es" : "s");
	}
}

size_t
ss_ident_len(const char *name)
{
	size_t n = strlen(name);

	if (n <= SS_MAX_IDENT)
		return n;
	n = SS_MAX_IDENT;
	while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* Room for n columns in all (perf). */
void
ss_table_reserve_columns(struct ss_schema *s, struct ss_table *t, size_t n)
{
	struct ss_column *v;

	if (n <= t->acolumns)
		return;
	v = ss_arena_alloc(&s->arena, n * sizeof *v);
	if (t->ncolumns > 0)
		memcpy(v, t->columns, t->ncolumns * sizeof *v);
	t->columns = v;
	t->acolumns = n;
}

/* Index methods and options. */

static const struct ss_index_key default_key = { false, SS_NULLS_DEFAULT,
	NULL, false };

const struct ss_index_key *
ss_index_key(const struct ss_index *ix, size_t i)
{
	return ix->keys != NULL && i < ix->columns.n ? &ix->keys[i] :
	    &default_key;
}

struct ss_index_key *
ss_index_key_set(struct ss_schema *s, struct ss_index *ix, size_t i)
{
	size_t j;

	assert(i < ix->columns.n);
	if (ix->keys == NULL) {
		/* The arena hands out zeroed memory: every key the default. */
		ix->keys = ss_arena_alloc(&s->arena,
		    ix->columns.n * sizeof *ix->keys);
		for (j = 0; j < ix->columns.n; j++)
			ix->keys[j] = default_key;
	}
	return &ix->keys[i];
}

bool
ss_index_key_plain(const struct ss_index *ix, size_t i)
{
	const struct ss_index_key *k = ss_index_key(ix, i);

	return !k->desc && k->nulls == SS_NULLS_DEFAULT && k->opclass == NULL;
}

/* Operator classes without case; "public.x" is "x" (introspection
 * leaves out the schema that is on the search path). */
static bool
same_opclass(const char *a, const char *b)
{
	const char *da, *db;
	size_t i;

	if (a == NULL || b == NULL)
		return a == b;
	da = strchr(a, '.');
	db = strchr(b, '.');
	if (da != NULL && db == NULL)
		a = da + 1;
	else if (db != NULL && da == NULL)
		b = db + 1;
	for (i = 0; a[i] && b[i]; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return false;
	return a[i] == b[i];
}

bool
ss_index_keys_equal(const struct ss_index *a, const struct ss_index *b)
{
	const struct ss_index_key *x, *y;
	size_t i;

	if (a->columns.n != b->columns.n)
		return false;
	for (i = 0; i < a->columns.n; i++) {
		x = ss_index_key(a, i);
		y = ss_index_key(b, i);
		if (x->desc != y->desc || x->nulls != y->nulls ||
		    !same_opclass(x->opclass, y->opclass))
			return false;
	}
	return true;
}

/* Whether the word of length n before end is w, after white space. */
static bool
last_word(const char *entry, size_t end, const char *w, size_t *start)
{
	size_t n = strlen(w), i;

	if (end < n + 1)
		return false;
	for (i = 0; i < n; i++)
		if (tolower((unsigned char)entry[end - n + i]) != w[i])
			return false;
	if (!isspace((unsigned char)entry[end - n - 1]))
		return false;
	*start = end - n - 1;
	while (*start > 0 && isspace((unsigned char)entry[*start - 1]))
		(*start)--;
	return true;
}

size_t
ss_index_entry_split(const char *entry, bool *desc, enum ss_nulls *nulls)
{
	size_t n = strlen(entry), m;

	*desc = false;
	*nulls = SS_NULLS_DEFAULT;
	while (n > 0 && isspace((unsigned char)entry[n - 1]))
		n--;
	if (last_word(entry, n, "first", &m) && last_word(entry, m, "nulls",
	    &m)) {
		*nulls = SS_NULLS_FIRST;
		n = m;
	} else if (last_word(entry, n, "last", &m) && last_word(entry, m,
	    "nulls", &m)) {
		*nulls = SS_NULLS_LAST;
		n = m;
	}
	if (last_word(entry, n, "desc", &m)) {
		*desc = true;
		n = m;
	} else if (last_word(entry, n, "asc", &m))
		n = m;
	return n;
}

void
ss_index_nulls_normalize(struct ss_index *ix, bool asc_nulls_last)
{
	enum ss_nulls natural;
	size_t i;

	for (i = 0; ix->keys != NULL && i < ix->columns.n; i++) {
		natural = ix->keys[i].desc == asc_nulls_last ? SS_NULLS_FIRST :
		    SS_NULLS_LAST;
		if (ix->keys[i].nulls == natural)
			ix->keys[i].nulls = SS_NULLS_DEFAULT;
	}
}

/* Identity options (model.h). */

long long
ss_identity_increment(const struct ss_column *c)
{
	return c->increment != 0 ? c->increment : 1;
}

long long
ss_identity_start(const struct ss_column *c)
{
	if (c->has_start)
		return c->start;
	return ss_identity_increment(c) > 0 ? 1 : -1;
}

bool
ss_identity_equal(const struct ss_column *a, const struct ss_column *b)
{
	return ss_identity_start(a) == ss_identity_start(b) &&
	    ss_identity_increment(a) == ss_identity_increment(b);
}

bool
ss_identity_default(const struct ss_column *c)
{
	return ss_identity_increment(c) == 1 && ss_identity_start(c) == 1;
}
