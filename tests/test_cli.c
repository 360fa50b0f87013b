/* Tests for src/cli.c: argument parsing against the real command table. */
#include <criterion/criterion.h>

#include <string.h>

#include "ss/cli.h"
#include "ss/diagram.h"

/* The variable a command's option --name sets (the command's own). */
static void *
var(const struct ss_cmd *cmd, const char *name)
{
	const struct ss_opt *o;

	for (o = cmd->opts; o->name != NULL; o++)
		if (strcmp(o->name, name) == 0)
			return o->value;
	cr_assert_fail("%s has no option --%s", cmd->name, name);
	return NULL;
}

static int
parse(const char *const *argv, int argc, struct ss_args *a,
    const struct ss_cmd **cmd, struct ss_err *err)
{
	return ss_args_parse(argc, (char **)argv, a, cmd, err);
}

Test(cli, globals_before_and_after_the_command)
{
	const char *argv[] = { "--db", "sqlite:a.db", "-qv", "push", "--dry-run",
		"--schema", "s1", "--schema=s2", "--rename", "a=b",
		"--format=json", "--", "x" };
	struct ss_err err = SS_ERR_INIT;
	const struct ss_cmd *cmd;
	struct ss_args a;

	cr_assert_eq(parse(argv, 13, &a, &cmd, &err), 0, "%s", err.msg.s);
	cr_expect_str_eq(cmd->name, "push");
	cr_expect_str_eq(a.db, "sqlite:a.db");
	cr_expect(*(bool *)var(cmd, "dry-run"));
	cr_expect_eq(a.nschemas, 2);
	cr_expect_str_eq(a.schemas[1], "s2");
	cr_expect_eq(((struct ss_strv *)var(cmd, "rename"))->n, 1);
	cr_expect_eq(a.format, SS_FORMAT_JSON);
	cr_expect_eq(a.verbosity, 1);
	cr_expect_eq(a.npositional, 1);
	cr_expect_str_eq(a.positional[0], "x");
	ss_args_release(&a);
	ss_err_release(&err);
}

Test(cli, errors)
{
	struct { const char *argv[4]; int argc; const char *msg; } cases[] = {
		{ { "pus" }, 1, "unknown command 'pus' (did you mean 'push'?)" },
		{ { "frobnicate" }, 1, "unknown command 'frobnicate'" },
		{ { "push", "--acept-data-loss" }, 2, "unknown option '--acept-data-loss' for push (did you mean '--accept-data-loss'?)" },
		{ { "check", "--dry-run" }, 2, "unknown option '--dry-run' for check" },
		{ { "--verbos" }, 1, "unknown option '--verbos' (did you mean '--verbose'?)" },
		{ { "push", "-x" }, 2, "unknown option '-x' for push" },
		{ { "watch", "--debounce", "-5" }, 3, "invalid value '-5' for --debounce (expected milliseconds, 0 to 60000)" },
		{ { "push", "--dry-run=yes" }, 2, "option '--dry-run' takes no value" },
		{ { "push", "--rename", "=x" }, 3, "invalid value '=x' for --rename (expected OLD=NEW, e.g. users=people or users.email=user_email)" },
		{ { "--format", "dot", "check" }, 3, "invalid value 'dot' for --format (expected text or json)" },
		{ { "check", "--format", "dot" }, 3, "invalid value 'dot' for --format (expected text or json)" },
		{ { "--format", "dot" }, 2, "invalid value 'dot' for --format (expected text or json)" },
		{ { "diagram", "--format", "json" }, 3, "invalid value 'json' for --format (expected mermaid or dot)" },
		{ { "--format", "svg", "diagram" }, 3, "invalid value 'svg' for --format (expected mermaid or dot)" },
		{ { "diagram", "--from", "file" }, 3, "invalid value 'file' for --from (expected files or db)" },
		{ { "push", "--from", "db" }, 3, "unknown option '--from' for push" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ss_err err = SS_ERR_INIT;
		const struct ss_cmd *cmd = NULL;
		struct ss_args a;
		cr_expect_eq(parse(cases[i].argv, cases[i].argc, &a, &cmd, &err),
		    -SS_EUSAGE, "case %zu", i);
		cr_expect_str_eq(err.msg.s, cases[i].msg);
		ss_args_release(&a);
		ss_err_release(&err);
	}
}

Test(cli, every_command_is_in_the_table_with_help)
{
	size_t i;

	for (i = 0; ss_cmd_table[i] != NULL; i++) {
		cr_expect_not_null(ss_cmd_table[i]->summary);
		cr_expect_not_null(ss_cmd_table[i]->usage);
		cr_expect_not_null(ss_cmd_table[i]->exec);
		cr_expect_eq(ss_cmd_find(ss_cmd_table[i]->name), ss_cmd_table[i]);
	}
	cr_expect_eq(i, 12);	/* push … diagram, generate, migrate, status, rollback, undo, help */
}

/* diagram's own --format mermaid|dot beside the global text|json. */
Test(cli, a_command_option_of_a_global_name)
{
	struct {
		const char *argv[5];
		int argc;
		enum ss_format format;
		int diagram_format;
	} cases[] = {
		{ { "diagram" }, 1, SS_FORMAT_TEXT, SS_DIAGRAM_MERMAID },
		{ { "diagram", "--format", "dot" }, 3, SS_FORMAT_TEXT, SS_DIAGRAM_DOT },
		{ { "diagram", "--format=dot" }, 2, SS_FORMAT_TEXT, SS_DIAGRAM_DOT },
		{ { "--format", "dot", "diagram" }, 3, SS_FORMAT_TEXT, SS_DIAGRAM_DOT },
		{ { "--format", "json", "diagram" }, 3, SS_FORMAT_JSON, SS_DIAGRAM_MERMAID },
		{ { "--format", "json", "diagram", "--format", "dot" }, 5, SS_FORMAT_JSON, SS_DIAGRAM_DOT },
		{ { "--format", "dot", "diagram", "--format", "mermaid" }, 5, SS_FORMAT_TEXT, SS_DIAGRAM_MERMAID },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ss_err err = SS_ERR_INIT;
		const struct ss_cmd *cmd = NULL;
		struct ss_args a;
		cr_expect_eq(parse(cases[i].argv, cases[i].argc, &a, &cmd, &err),
		    0, "case %zu: %s", i, err.msg.s);
		cr_expect_str_eq(cmd ? cmd->name : "", "diagram", "case %zu", i);
		cr_expect_eq(a.format, cases[i].format, "case %zu", i);
		cr_expect_eq(*(int *)var(cmd, "format"), cases[i].diagram_format,
		    "case %zu", i);
		ss_args_release(&a);
		ss_err_release(&err);
	}
}

Test(cli, diagram_from)
{
	const char *argv[] = { "diagram", "--from", "db" };
	struct ss_err err = SS_ERR_INIT;
	const struct ss_cmd *cmd;
	struct ss_args a;

	cr_assert_eq(parse(argv, 3, &a, &cmd, &err), 0, "%s", err.msg.s);
	cr_expect_str_eq(*(const char **)var(cmd, "from"), "db");
	ss_args_release(&a);
	ss_err_release(&err);
}

/* A command's variables start from zero at every parse (one process may
 * parse more than once: tests, and no state leaks between commands). */
Test(cli, command_options_start_from_zero)
{
	const char *argv1[] = { "push", "--dry-run", "--rename", "a=b" };
	const char *argv2[] = { "push" };
	struct ss_err err = SS_ERR_INIT;
	const struct ss_cmd *cmd;
	struct ss_args a;

	cr_assert_eq(parse(argv1, 4, &a, &cmd, &err), 0, "%s", err.msg.s);
	ss_args_release(&a);
	cr_assert_eq(parse(argv2, 1, &a, &cmd, &err), 0, "%s", err.msg.s);
	cr_expect(!*(bool *)var(cmd, "dry-run"));
	cr_expect_eq(((struct ss_strv *)var(cmd, "rename"))->n, 0);
	ss_args_release(&a);
	ss_opts_reset(cmd->opts);
	ss_err_release(&err);
}

static char *
json_of(const char *s)
{
	struct ss_buf b = SS_BUF_INIT;

	ss_json_string(&b, s);
	return ss_buf_detach(&b);
}

#define JSON_IS(in, want) do { \
	char *got_ = json_of(in); \
	cr_expect_str_eq(got_, want, "for %s", #in); \
	free(got_); \
} while (0)

/* Every JSON string is valid UTF-8 and valid JSON, whatever the bytes. */
Test(cli, json_string_escapes)
{
	JSON_IS("plain", "\"plain\"");
	JSON_IS("a\"b\\c", "\"a\\\"b\\\\c\"");
	JSON_IS("\n\r\t\b\f\x01\x1f\x7f", "\"\\n\\r\\t\\u0008\\u000c\\u0001\\u001f\\u007f\"");
	/* Well-formed UTF-8 is kept as it is: é, €, 😀. */
	JSON_IS("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	/* U+2028 and U+2029 end lines in JavaScript: escaped. */
	JSON_IS("a\xe2\x80\xa8" "b\xe2\x80\xa9", "\"a\\u2028b\\u2029\"");
}

Test(cli, json_string_invalid_utf8)
{
	/* A lone byte, a lone continuation, a truncated sequence at the end. */
	JSON_IS("a\xff" "b", "\"a\\ufffdb\"");
	JSON_IS("\x80", "\"\\ufffd\"");
	JSON_IS("x\xc3", "\"x\\ufffd\"");
	JSON_IS("\xe2\x82", "\"\\ufffd\\ufffd\"");
	/* A truncated sequence followed by ASCII keeps the ASCII. */
	JSON_IS("\xe2\x82z", "\"\\ufffd\\ufffdz\"");
	/* Overlong forms, surrogates, above U+10FFFF, C0/C1, F5..FF. */
	JSON_IS("\xc0\xaf", "\"\\ufffd\\ufffd\"");
	JSON_IS("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"");
	JSON_IS("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
	JSON_IS("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	JSON_IS("\xf8\x88\x80\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
	/* The last valid ones at each edge stay. */
	JSON_IS("\xed\x9f\xbf\xf4\x8f\xbf\xbf", "\"\xed\x9f\xbf\xf4\x8f\xbf\xbf\"");
}
