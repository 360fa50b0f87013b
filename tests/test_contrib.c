/*
 * contrib/schemasync.schema.json must stay strict JSON (editors' YAML
 * language servers refuse anything else) and every "$ref" in it must
 * name one of its "definitions". A small RFC 8259 checker lives here so
 * that the build needs no JSON library and no Python.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ss/buf.h"
#include "ss/load.h"
#include "ss/schemakeys.h"

struct json {
	const char *p;
	int depth;
	bool in_definitions;	/* reading the keys of the top "definitions" */
	struct ss_buf defs;	/* "\nname\n" for each definition */
	struct ss_buf refs;	/* each "$ref" value, one a line */
	struct ss_buf str;	/* the last string read */
};

static bool value(struct json *j);

static void
ws(struct json *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static bool
string(struct json *j)
{
	int i;

	ss_buf_reset(&j->str);
	if (*j->p++ != '"')
		return false;
	for (;;) {
		unsigned char c = (unsigned char)*j->p++;
		if (c == '"')
			return true;
		if (c < 0x20)
			return false;	/* also the end of the text */
		if (c != '\\') {
			ss_buf_addc(&j->str, (char)c);
			continue;
		}
		c = (unsigned char)*j->p++;
		if (c == 'u') {
			for (i = 0; i < 4; i++)
				if (!isxdigit((unsigned char)*j->p++))
					return false;
		} else if (strchr("\"\\/bfnrt", c) == NULL || c == '\0')
			return false;
		ss_buf_addc(&j->str, '?');
	}
}

static bool
digits(struct json *j)
{
	if (!isdigit((unsigned char)*j->p))
		return false;
	while (isdigit((unsigned char)*j->p))
		j->p++;
	return true;
}

static bool
number(struct json *j)
{
	if (*j->p == '-')
		j->p++;
	if (*j->p == '0')
		j->p++;
	else if (!digits(j))
		return false;
	if (*j->p == '.') {
		j->p++;
		if (!digits(j))
			return false;
	}
	if (*j->p == 'e' || *j->p == 'E') {
		j->p++;
		if (*j->p == '+' || *j->p == '-')
			j->p++;
		if (!digits(j))
			return false;
	}
	return true;
}

static bool
literal(struct json *j, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(j->p, word, n) != 0)
		return false;
	j->p += n;
	return true;
}

static bool
object(struct json *j)
{
	bool defs = false, is_ref;

	j->p++;
	ws(j);
	if (*j->p == '}') {
		j->p++;
		return true;
	}
	for (;;) {
		ws(j);
		if (!string(j))
			return false;
		if (j->in_definitions)
			ss_buf_addf(&j->defs, "\n%s\n", j->str.s);
		is_ref = strcmp(j->str.s, "$ref") == 0;
		defs = j->depth == 1 && strcmp(j->str.s, "definitions") == 0;
		ws(j);
		if (*j->p++ != ':')
			return false;
		ws(j);
		if (is_ref && *j->p == '"') {
			if (!string(j))
				return false;
			ss_buf_addf(&j->refs, "%s\n", j->str.s);
		} else {
			bool saved = j->in_definitions;
			j->in_definitions = defs;
			if (!value(j))
				return false;
			j->in_definitions = saved;
		}
		ws(j);
		if (*j->p == '}') {
			j->p++;
			return true;
		}
		if (*j->p++ != ',')
			return false;
	}
}

static bool
array(struct json *j)
{
	j->p++;
	ws(j);
	if (*j->p == ']') {
		j->p++;
		return true;
	}
	for (;;) {
		if (!value(j))
			return false;
		ws(j);
		if (*j->p == ']') {
			j->p++;
			return true;
		}
		if (*j->p++ != ',')
			return false;
	}
}

static bool
value(struct json *j)
{
	bool ok;

	ws(j);
	if (++j->depth > 64)
		return false;
	switch (*j->p) {
	case '{':
		ok = object(j);
		break;
	case '[':
		ok = array(j);
		break;
	case '"':
		ok = string(j);
		break;
	case 't':
		ok = literal(j, "true");
		break;
	case 'f':
		ok = literal(j, "false");
		break;
	case 'n':
		ok = literal(j, "null");
		break;
	default:
		ok = number(j);
		break;
	}
	j->depth--;
	return ok;
}

static int
line_of(const char *text, const char *at)
{
	int line = 1;

	for (; text < at; text++)
		line += *text == '\n';
	return line;
}

Test(contrib, json_schema_is_well_formed)
{
	struct json j = { NULL, 0, false, SS_BUF_INIT, SS_BUF_INIT, SS_BUF_INIT };
	struct ss_err err = SS_ERR_INIT;
	struct ss_buf want = SS_BUF_INIT;
	const char *path = "contrib/schemasync.schema.json";
	char *text, *ref, *save = NULL;
	size_t len;
	bool ok;

	cr_assert_eq(ss_read_file(path, &text, &len, &err), 0, "%s", err.msg.s);
	cr_assert_eq(strlen(text), len, "%s holds a NUL byte", path);
	j.p = text;
	ws(&j);
	cr_assert_eq(*j.p, '{', "%s: not a JSON object", path);
	ok = value(&j);
	ws(&j);
	cr_assert(ok && *j.p == '\0', "%s:%d: not well-formed JSON", path,
	    line_of(text, j.p));

	cr_assert_gt(j.refs.len, 0);
	for (ref = strtok_r(j.refs.s, "\n", &save); ref != NULL;
	    ref = strtok_r(NULL, "\n", &save)) {
		cr_assert(strncmp(ref, "#/definitions/", 14) == 0,
		    "unexpected $ref '%s'", ref);
		ss_buf_reset(&want);
		ss_buf_addf(&want, "\n%s\n", ref + 14);
		cr_assert_not_null(strstr(j.defs.s, want.s),
		    "$ref '%s' names no definition", ref);
	}
	ss_buf_release(&want);
	ss_buf_release(&j.defs);
	ss_buf_release(&j.refs);
	ss_buf_release(&j.str);
	ss_err_release(&err);
	free(text);
}

/*
 * The keys of the object at path ("properties" or
 * "definitions.column_long.properties") in JSON text, as "\nkey\n"
 * lines. Only as much JSON as the schema file uses: objects, arrays,
 * strings without escapes that matter here, numbers and words.
 */
static const char *skip_value(const char *p);

static const char *
skip_string(const char *p)
{
	for (p++; *p != '\0' && *p != '"'; p++)
		if (*p == '\\' && p[1] != '\0')
			p++;
	return *p == '"' ? p + 1 : p;
}

static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
	    *p == ',' || *p == ':')
		p++;
	return p;
}

static const char *
skip_value(const char *p)
{
	int depth = 0;

	p = skip_ws(p);
	if (*p == '"')
		return skip_string(p);
	if (*p != '{' && *p != '[') {
		while (*p != '\0' && strchr(",}] \t\r\n", *p) == NULL)
			p++;
		return p;
	}
	do {
		if (*p == '"')
			p = skip_string(p) - 1;
		else if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
			depth--;
		p++;
	} while (depth > 0 && *p != '\0');
	return p;
}

static void
object_keys(const char *p, const char *path, struct ss_buf *out)
{
	const char *dot = strchr(path, '.'), *k;
	size_t want = dot ? (size_t)(dot - path) : strlen(path);

	p = skip_ws(p);
	if (*p++ != '{')
		return;
	for (;;) {
		p = skip_ws(p);
		if (*p != '"')
			return;
		k = p + 1;
		p = skip_string(p);
		if ((size_t)(p - 1 - k) == want && strncmp(k, path, want) == 0) {
			if (dot != NULL) {
				object_keys(p, dot + 1, out);
				return;
			}
			/* The object itself: its keys. */
			p = skip_ws(p);
			if (*p++ != '{')
				return;
			for (;;) {
				p = skip_ws(p);
				if (*p != '"')
					return;
				k = p + 1;
				p = skip_string(p);
				ss_buf_addf(out, "\n%.*s\n", (int)(p - 1 - k), k);
				p = skip_value(p);
			}
		}
		p = skip_value(p);
	}
}

/* Whether "\nname\n" (name of n bytes) is in b. */
static bool
ss_buf_has_line(const struct ss_buf *b, const char *name, size_t n)
{
	const char *p;

	for (p = b->s; (p = strstr(p, "\n")) != NULL; p++)
		if (strncmp(p + 1, name, n) == 0 && p[1 + n] == '\n')
			return true;
	return false;
}

/* The JSON Schema offers exactly the keys the loader reads, everywhere. */
Test(contrib, json_schema_has_the_keys_of_the_key_table)
{
	static const struct { enum ss_key_ctx ctx; const char *path; } where[] = {
		{ SS_KCTX_FILE, "properties" },
		{ SS_KCTX_TABLE, "definitions.table.properties" },
		{ SS_KCTX_COLUMN, "definitions.column_long.properties" },
		{ SS_KCTX_INDEX, "definitions.index.properties" },
		{ SS_KCTX_FK, "definitions.foreign_key.properties" },
		{ SS_KCTX_CHECK, "definitions.check.properties" },
		{ SS_KCTX_ENTRY, "definitions.index_entry.properties" },
		/* Generated columns and identity options. */
		{ SS_KCTX_GENERATED, "definitions.generated.properties" },
		{ SS_KCTX_AUTOINCREMENT, "definitions.autoincrement.properties" },
		{ SS_KCTX_VIEW, "definitions.view_long.properties" },
	};
	struct ss_err err = SS_ERR_INIT;
	struct ss_buf got = SS_BUF_INIT, want = SS_BUF_INIT;
	const char *names[SS_KEY_MAX + 1];
	char *text;
	size_t len, i, j;

	cr_assert_eq(ss_read_file("contrib/schemasync.schema.json", &text,
	    &len, &err), 0, "%s", err.msg.s);
	for (i = 0; i < sizeof where / sizeof where[0]; i++) {
		ss_buf_reset(&got);
		ss_buf_reset(&want);
		object_keys(text, where[i].path, &got);
		ss_skey_names(where[i].ctx, names);
		for (j = 0; names[j] != NULL; j++) {
			ss_buf_addf(&want, "\n%s\n", names[j]);
			cr_expect_not_null(strstr(got.s, want.s + want.len -
			    strlen(names[j]) - 2), "%s: the JSON Schema lacks "
			    "'%s'", where[i].path, names[j]);
		}
		/* And nothing the loader would refuse ("<<" is YAML's merge). */
		for (j = 0; j < got.len; j++) {
			const char *k = got.s + j + 1, *e;
			if (got.s[j] != '\n' || *k == '\0' || *k == '\n')
				continue;
			e = strchr(k, '\n');
			if ((size_t)(e - k) == 2 && strncmp(k, "<<", 2) == 0)
				continue;
			cr_expect(ss_buf_has_line(&want, k, (size_t)(e - k)),
			    "%s: the JSON Schema offers '%.*s', which the "
			    "loader refuses", where[i].path, (int)(e - k), k);
			j = (size_t)(e - got.s) - 1;
		}
	}
	ss_buf_release(&got);
	ss_buf_release(&want);
	ss_err_release(&err);
	free(text);
}
