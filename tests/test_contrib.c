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
