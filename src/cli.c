/*
 * Option parsing, help text and shared output (include/ss/cli.h).
 *
 * The parser is table-driven rather than getopt_long() so that one
 * description gives parsing, --help and suggestions for typos, and so
 * global options may stand before or after the command.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ss/cli.h"
#include "ss/mem.h"
#include "ss/util.h"

#define GLOBAL(i, n, sh, metavar, h) \
	{ .name = (n), .short_name = (sh), .arg = (metavar), .help = (h), \
	  .type = SS_OPT_GLOBAL, .id = (i) }

const struct ss_opt ss_global_opts[] = {
	GLOBAL(SS_OPT_DB, "db", 0, "URL", "database: sqlite:PATH, FILE.db, postgres://..."),
	GLOBAL(SS_OPT_SCHEMA, "schema", 0, "PATH", "schema file or folder (repeatable; default: schemas/)"),
	GLOBAL(SS_OPT_CONFIG, "config", 0, "FILE", "config file (default: ./schemasync.yaml if present)"),
	GLOBAL(SS_OPT_FORMAT, "format", 0, "text|json", "output format (default: text)"),
	GLOBAL(SS_OPT_COLOR, "color", 0, "auto|always|never", "colour (default: auto; honours NO_COLOR)"),
	GLOBAL(SS_OPT_QUIET, "quiet", 'q', NULL, "print less"),
	GLOBAL(SS_OPT_VERBOSE, "verbose", 'v', NULL, "print more (SQL, objects left alone)"),
	GLOBAL(SS_OPT_HELP, "help", 'h', NULL, "show help and exit"),
	GLOBAL(SS_OPT_VERSION, "version", 0, NULL, "show the version and exit"),
	SS_OPT_END_
};

const struct ss_cmd *
ss_cmd_find(const char *name)
{
	size_t i;

	for (i = 0; ss_cmd_table[i] != NULL; i++)
		if (strcmp(ss_cmd_table[i]->name, name) == 0)
			return ss_cmd_table[i];
	return NULL;
}

static const struct ss_opt *
find_opt(const struct ss_opt *table, const char *name, size_t len, char sh)
{
	for (; table != NULL && table->name != NULL; table++) {
		if (sh != 0 ? table->short_name == sh :
		    strlen(table->name) == len &&
		    strncmp(table->name, name, len) == 0)
			return table;
	}
	return NULL;
}

static void
push_str(const char ***v, size_t *n, const char *s)
{
	*v = ss_xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = s;
}

int
ss_opt_rename(const struct ss_opt *o, const char *val, struct ss_err *err)
{
	if (strchr(val, '=') == NULL || val[0] == '=' ||
	    val[strlen(val) - 1] == '=')
		return ss_err_set(err, SS_EUSAGE, "invalid value '%s' for --%s "
		    "(expected OLD=NEW, e.g. users=people or "
		    "users.email=user_email)", val, o->name);
	ss_strv_push(o->value, val);
	return 0;
}

static int
set_global(struct ss_args *a, const struct ss_opt *o, const char *val,
    struct ss_err *err)
{
	switch (o->id) {
	case SS_OPT_DB:
		a->db = val;
		break;
	case SS_OPT_SCHEMA:
		push_str(&a->schemas, &a->nschemas, val);
		break;
	case SS_OPT_CONFIG:
		a->config = val;
		break;
	case SS_OPT_FORMAT:
		if (strcmp(val, "text") == 0)
			a->format = SS_FORMAT_TEXT;
		else if (strcmp(val, "json") == 0)
			a->format = SS_FORMAT_JSON;
		else
			return ss_err_set(err, SS_EUSAGE, "invalid value '%s' "
			    "for --format (expected text or json)", val);
		break;
	case SS_OPT_COLOR:
		if (strcmp(val, "auto") == 0)
			a->color = SS_COLOR_AUTO;
		else if (strcmp(val, "always") == 0)
			a->color = SS_COLOR_ALWAYS;
		else if (strcmp(val, "never") == 0)
			a->color = SS_COLOR_NEVER;
		else
			return ss_err_set(err, SS_EUSAGE, "invalid value '%s' "
			    "for --color (expected auto, always or never)", val);
		break;
	case SS_OPT_QUIET:
		a->verbosity = -1;
		break;
	case SS_OPT_VERBOSE:
		if (a->verbosity < 0)
			a->verbosity = 0;
		a->verbosity++;
		break;
	case SS_OPT_HELP:
		a->help = true;
		break;
	case SS_OPT_VERSION:
		a->version = true;
		break;
	}
	return 0;
}

static int
set_opt(struct ss_args *a, const struct ss_opt *o, const char *val,
    struct ss_err *err)
{
	char *end;
	long ms;

	switch (o->type) {
	case SS_OPT_GLOBAL:
		return set_global(a, o, val, err);
	case SS_OPT_FLAG:
		*(bool *)o->value = true;
		break;
	case SS_OPT_STRING:
		*(const char **)o->value = val;
		break;
	case SS_OPT_LIST:
		ss_strv_push(o->value, val);
		break;
	case SS_OPT_MS:
		ms = strtol(val, &end, 10);
		if (*val == '\0' || *end != '\0' || ms < 0 || ms > 60000)
			return ss_err_set(err, SS_EUSAGE, "invalid value '%s' "
			    "for --%s (expected milliseconds, 0 to 60000)",
			    val, o->name);
		*(long *)o->value = ms;
		break;
	case SS_OPT_PARSE:
		return o->parse(o, val, err);
	}
	return 0;
}

void
ss_opts_reset(const struct ss_opt *o)
{
	for (; o != NULL && o->name != NULL; o++) {
		switch (o->type) {
		case SS_OPT_GLOBAL:
			break;
		case SS_OPT_FLAG:
			*(bool *)o->value = false;
			break;
		case SS_OPT_STRING:
			*(const char **)o->value = NULL;
			break;
		case SS_OPT_LIST:
			ss_strv_release(o->value);
			break;
		case SS_OPT_MS:
			*(long *)o->value = -1;
			break;
		case SS_OPT_PARSE:
			if (o->parse == ss_opt_rename)
				ss_strv_release(o->value);
			else
				memset(o->value, 0, o->size);
			break;
		}
	}
}

void
ss_strv_push(struct ss_strv *v, const char *s)
{
	push_str(&v->v, &v->n, s);
}

void
ss_strv_release(struct ss_strv *v)
{
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

/* "unknown option '--dryrun' (did you mean '--dry-run'?)" */
static int
unknown_option(const char *arg, const struct ss_cmd *cmd, struct ss_err *err)
{
	const char *names[64], *hint;
	size_t n = 0, len;
	const struct ss_opt *o;
	char word[64];

	if (arg[1] != '-') {
		return ss_err_set(err, SS_EUSAGE, "unknown option '%s'%s%s", arg,
		    cmd ? " for " : "", cmd ? cmd->name : "");
	}
	len = strcspn(arg + 2, "=");
	snprintf(word, sizeof word, "%.*s", (int)len, arg + 2);
	for (o = ss_global_opts; o->name != NULL && n < 63; o++)
		names[n++] = o->name;
	for (o = cmd ? cmd->opts : NULL; o != NULL && o->name != NULL && n < 63; o++)
		names[n++] = o->name;
	names[n] = NULL;
	hint = ss_suggest(word, names);
	if (hint != NULL)
		return ss_err_set(err, SS_EUSAGE, "unknown option '--%s'%s%s "
		    "(did you mean '--%s'?)", word, cmd ? " for " : "",
		    cmd ? cmd->name : "", hint);
	return ss_err_set(err, SS_EUSAGE, "unknown option '--%s'%s%s", word,
	    cmd ? " for " : "", cmd ? cmd->name : "");
}

/* The command's own option of o's name, else o itself. */
static const struct ss_opt *
command_opt(const struct ss_cmd *cmd, const struct ss_opt *o)
{
	const struct ss_opt *own;

	own = find_opt(cmd->opts, o->name, strlen(o->name), 0);
	return own != NULL ? own : o;
}

static int
unknown_command(const char *name, struct ss_err *err)
{
	const char *names[32], *hint;
	size_t n;

	for (n = 0; ss_cmd_table[n] != NULL && n < 31; n++)
		names[n] = ss_cmd_table[n]->name;
	names[n] = NULL;
	hint = ss_suggest(name, names);
	if (hint != NULL)
		return ss_err_set(err, SS_EUSAGE, "unknown command '%s' (did "
		    "you mean '%s'?)", name, hint);
	return ss_err_set(err, SS_EUSAGE, "unknown command '%s'", name);
}

int
ss_args_parse(int argc, char **argv, struct ss_args *a,
    const struct ss_cmd **cmdp, struct ss_err *err)
{
	const struct ss_cmd *cmd = NULL;
	const struct ss_opt *o, *held = NULL;
	const char *arg, *val, *eq, *held_val = NULL;
	bool only_positional = false;
	int i, r;
	size_t len;

	memset(a, 0, sizeof *a);
	for (i = 0; i < argc; i++) {
		arg = argv[i];
		if (only_positional || arg[0] != '-' || arg[1] == '\0') {
			if (cmd == NULL) {
				if ((cmd = ss_cmd_find(arg)) == NULL)
					return unknown_command(arg, err);
				ss_opts_reset(cmd->opts);
				if (held != NULL && (r = set_opt(a, command_opt(cmd,
				    held), held_val, err)) < 0)
					return r;
			} else
				push_str(&a->positional, &a->npositional, arg);
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_positional = true;
			continue;
		}
		if (arg[1] == '-') {
			eq = strchr(arg + 2, '=');
			len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
			o = cmd ? find_opt(cmd->opts, arg + 2, len, 0) : NULL;
			if (o == NULL)
				o = find_opt(ss_global_opts, arg + 2, len, 0);
			if (o == NULL)
				return unknown_option(arg, cmd, err);
			if (o->arg == NULL) {
				if (eq != NULL)
					return ss_err_set(err, SS_EUSAGE,
					    "option '--%s' takes no value",
					    o->name);
				val = NULL;
			} else if (eq != NULL)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else
				return ss_err_set(err, SS_EUSAGE, "option "
				    "'--%s' needs a value (%s)", o->name, o->arg);
			if ((r = set_opt(a, o, val, err)) < 0) {
				if (cmd != NULL || held != NULL)
					return r;
				/* Before the command: see cli.h. */
				ss_err_release(err);
				held = o;
				held_val = val;
			}
			continue;
		}
		/* Short flags, possibly bundled: -qv */
		for (arg++; *arg; arg++) {
			o = find_opt(ss_global_opts, NULL, 0, *arg);
			if (o == NULL && cmd != NULL)
				o = find_opt(cmd->opts, NULL, 0, *arg);
			if (o == NULL || o->arg != NULL) {
				char bad[3] = { '-', *arg, '\0' };
				return unknown_option(bad, cmd, err);
			}
			if ((r = set_opt(a, o, NULL, err)) < 0)
				return r;
		}
	}
	if (held != NULL && cmd == NULL)
		return set_opt(a, held, held_val, err);
	*cmdp = cmd;
	return 0;
}

static const char *
nonempty_env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

int
ss_resolve_db(struct ss_ctx *ctx, struct ss_err *err)
{
	const char *src;
	int r;

	if ((src = ctx->args.db) == NULL &&
	    (src = nonempty_env("SCHEMASYNC_DATABASE_URL")) == NULL &&
	    (src = nonempty_env("DATABASE_URL")) == NULL &&
	    (src = ctx->config.database) == NULL)
		return ss_err_set(err, SS_EUSAGE, "no database given: pass "
		    "--db URL (e.g. --db sqlite:dev.db), set "
		    "SCHEMASYNC_DATABASE_URL or DATABASE_URL, or add "
		    "'database:' to schemasync.yaml");
	if ((r = ss_url_parse(src, &ctx->url, err)) < 0)
		return r;
	ctx->have_url = true;
	return 0;
}

void
ss_args_release(struct ss_args *a)
{
	free(a->schemas);
	free(a->positional);
	memset(a, 0, sizeof *a);
}

static void
print_opts(FILE *fp, const struct ss_opt *o)
{
	char left[64];

	for (; o != NULL && o->name != NULL; o++) {
		if (o->short_name)
			snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name,
			    o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", o->name,
			    o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(fp, "  %-30s %s\n", left, o->help);
	}
}

void
ss_usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: schemasync [GLOBAL OPTIONS] COMMAND [OPTIONS]\n\n"
	    "Keeps a database in step with the YAML schema files under "
	    "schemas/.\n\nCommands:\n");
	for (i = 0; ss_cmd_table[i] != NULL; i++)
		fprintf(fp, "  %-8s  %s\n", ss_cmd_table[i]->name,
		    ss_cmd_table[i]->summary);
	fprintf(fp, "\nGlobal options:\n");
	print_opts(fp, ss_global_opts);
	fprintf(fp, "\nThe database comes from --db, SCHEMASYNC_DATABASE_URL, "
	    "DATABASE_URL or the\nconfig file's 'database', first to last.\n"
	    "\nExit status: 0 success, 1 database or runtime error, 2 usage "
	    "or schema error,\n3 blocked (data loss not confirmed), 4 "
	    "differences found (--exit-code).\n"
	    "\nRun 'schemasync help COMMAND' for a command's options.\n");
}

void
ss_cmd_usage(FILE *fp, const struct ss_cmd *cmd)
{
	fprintf(fp, "usage: schemasync [GLOBAL OPTIONS] %s\n\n%s\n", cmd->usage,
	    cmd->summary);
	if (cmd->description != NULL)
		fprintf(fp, "\n%s\n", cmd->description);
	if (cmd->opts != NULL && cmd->opts[0].name != NULL) {
		fprintf(fp, "\nOptions:\n");
		print_opts(fp, cmd->opts);
	}
	fprintf(fp, "\nGlobal options:\n");
	print_opts(fp, ss_global_opts);
}

bool
ss_color_enabled(enum ss_color_mode mode, int fd)
{
	const char *e;

	if (mode == SS_COLOR_ALWAYS)
		return true;
	if (mode == SS_COLOR_NEVER)
		return false;
	if ((e = getenv("NO_COLOR")) != NULL && *e != '\0')
		return false;
	if ((e = getenv("TERM")) != NULL && strcmp(e, "dumb") == 0)
		return false;
	return isatty(fd);
}

/*
 * The length of the well-formed UTF-8 sequence at s (Unicode's table 3-7:
 * no overlong forms, no surrogates, nothing above U+10FFFF), or 0.
 */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;	/* the NUL ends a short sequence here too */
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

/*
 * Always valid JSON, in valid UTF-8, whatever the bytes: a path or a
 * server message may hold anything. Each byte that does not start a
 * well-formed UTF-8 sequence becomes U+FFFD; control characters, and
 * U+2028 and U+2029 (line ends to JavaScript), are escaped.
 */
void
ss_json_string(struct ss_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	ss_buf_addc(b, '"');
	while (*p) {
		unsigned char c = *p;
		switch (c) {
		case '"':
			ss_buf_adds(b, "\\\"");
			break;
		case '\\':
			ss_buf_adds(b, "\\\\");
			break;
		case '\n':
			ss_buf_adds(b, "\\n");
			break;
		case '\r':
			ss_buf_adds(b, "\\r");
			break;
		case '\t':
			ss_buf_adds(b, "\\t");
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				ss_buf_addf(b, "\\u%04x", c);
				break;
			}
			if ((n = utf8_len(p)) == 0) {
				ss_buf_adds(b, "\\ufffd");
				break;
			}
			if (n == 3 && c == 0xe2 && p[1] == 0x80 &&
			    (p[2] == 0xa8 || p[2] == 0xa9))
				ss_buf_addf(b, "\\u%04x", 0x2000 + (p[2] - 0x80));
			else
				ss_buf_add(b, p, n);
			p += n;
			continue;
		}
		p++;
	}
	ss_buf_addc(b, '"');
}

void
ss_json_diags(struct ss_buf *b, const struct ss_diags *d)
{
	static const char *sev[] = { "error", "warning", "note" };
	size_t i;

	ss_buf_adds(b, "[");
	for (i = 0; i < d->n; i++) {
		const struct ss_diag *dg = &d->v[i];
		ss_buf_adds(b, i ? ",{" : "{");
		ss_buf_adds(b, "\"file\":");
		if (dg->loc.file)
			ss_json_string(b, dg->loc.file);
		else
			ss_buf_adds(b, "null");
		ss_buf_addf(b, ",\"line\":%d,\"column\":%d,\"severity\":\"%s\","
		    "\"message\":", dg->loc.line, dg->loc.col, sev[dg->sev]);
		ss_json_string(b, dg->msg);
		ss_buf_adds(b, "}");
	}
	ss_buf_adds(b, "]");
}

void
ss_print_diags(const struct ss_ctx *ctx, const struct ss_diags *d)
{
	struct ss_buf b = SS_BUF_INIT;
	size_t i;

	if (ctx->args.format == SS_FORMAT_JSON) {
		ss_buf_adds(&b, "{\"event\":\"schema_error\",\"diagnostics\":");
		ss_json_diags(&b, d);
		ss_buf_addf(&b, ",\"exit\":%d}\n", ss_err_exit_status(SS_ESCHEMA));
		fputs(b.s, stdout);
		fflush(stdout);
	} else {
		for (i = 0; i < d->n; i++) {
			ss_buf_reset(&b);
			ss_diag_format(&b, &d->v[i], ctx->color_err);
			fprintf(stderr, "%s\n", b.s);
		}
		if (d->errors > 1)
			fprintf(stderr, "%zu errors\n", d->errors);
	}
	ss_buf_release(&b);
}

void
ss_print_error(const struct ss_ctx *ctx, const struct ss_err *err)
{
	struct ss_buf b = SS_BUF_INIT;
	struct ss_diag dg;
	/* No password is ever printed, not even one a message quotes. */
	char *msg = ss_url_mask_message(err->msg.s, ctx != NULL &&
	    ctx->have_url ? ctx->url.target : NULL);

	dg.sev = SS_SEV_ERROR;
	dg.loc = err->loc;
	dg.msg = msg;
	if (ctx != NULL && ctx->args.format == SS_FORMAT_JSON) {
		ss_buf_adds(&b, "{\"event\":\"error\",\"error\":");
		ss_json_string(&b, msg);
		ss_buf_addf(&b, ",\"exit\":%d}\n", ss_err_exit_status(err->code));
		fputs(b.s, stdout);
		fflush(stdout);
	} else {
		if (dg.loc.file == NULL)
			ss_buf_adds(&b, "schemasync: ");
		ss_diag_format(&b, &dg, ctx != NULL && ctx->color_err);
		fprintf(stderr, "%s\n", b.s);
	}
	ss_buf_release(&b);
	free(msg);
}
