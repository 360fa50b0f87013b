/* Tests for src/url.c: URL forms and password masking. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "ss/url.h"

static void
parse_ok(const char *text, enum ss_url_kind kind, const char *target,
    const char *display)
{
	struct ss_err err = SS_ERR_INIT;
	struct ss_url u;

	cr_assert_eq(ss_url_parse(text, &u, &err), 0, "%s: %s", text, err.msg.s);
	cr_expect_eq(u.kind, kind, "%s", text);
	cr_expect_str_eq(u.target, target);
	cr_expect_str_eq(u.display, display);
	ss_url_release(&u);
	ss_err_release(&err);
}

Test(url, sqlite_forms)
{
	parse_ok("sqlite:dev.db", SS_URL_SQLITE, "dev.db", "sqlite:dev.db");
	parse_ok("sqlite://dev.db", SS_URL_SQLITE, "dev.db", "sqlite://dev.db");
	parse_ok("sqlite:///tmp/x.db", SS_URL_SQLITE, "/tmp/x.db", "sqlite:///tmp/x.db");
	parse_ok("sqlite::memory:", SS_URL_SQLITE, ":memory:", "sqlite::memory:");
	parse_ok("data/app.sqlite", SS_URL_SQLITE, "data/app.sqlite", "data/app.sqlite");
	parse_ok("app.sqlite3", SS_URL_SQLITE, "app.sqlite3", "app.sqlite3");
	parse_ok("x.db", SS_URL_SQLITE, "x.db", "x.db");
}

Test(url, postgres_forms_keep_target_and_mask_display)
{
	parse_ok("postgres://app:pw@h/db", SS_URL_POSTGRES,
	    "postgres://app:pw@h/db", "postgres://app:***@h/db");
	parse_ok("postgresql://h:5432/db", SS_URL_POSTGRES,
	    "postgresql://h:5432/db", "postgresql://h:5432/db");
	parse_ok("host=/tmp dbname=x", SS_URL_POSTGRES, "host=/tmp dbname=x",
	    "host=/tmp dbname=x");
	parse_ok("dbname=x password=secret user=u", SS_URL_POSTGRES,
	    "dbname=x password=secret user=u", "dbname=x password=*** user=u");
}

Test(url, mask_edge_cases)
{
	struct { const char *in, *out; } cases[] = {
		{ "postgres://u:p@ss@h/db", "postgres://u:***@h/db" },
		{ "postgres://u@h/db", "postgres://u@h/db" },
		{ "postgres://h/db?password=x&sslmode=require", "postgres://h/db?password=***&sslmode=require" },
		{ "postgres://h/db?sslmode=require&password=x", "postgres://h/db?sslmode=require&password=***" },
		{ "password = 'a b\\' c' host=h", "password = *** host=h" },
		{ "host=h mypassword=x", "host=h mypassword=x" },
		/* libpq decodes a parameter's name: this is the password. */
		{ "postgres:///d?user=u&passwo%72d=Top%20Secret&port=1",
		  "postgres:///d?user=u&passwo%72d=***&port=1" },
		{ "postgres:///d?%70assword=x", "postgres:///d?%70assword=***" },
		{ "postgres:///d?password_x=y", "postgres:///d?password_x=y" },
		/* Unquoted, a backslash takes the next character (a space). */
		{ "host=h password=Top\\ Secret user=u",
		  "host=h password=*** user=u" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *m = ss_url_mask(cases[i].in);
		cr_expect_str_eq(m, cases[i].out, "mask(%s)", cases[i].in);
		free(m);
	}
}

Test(url, rejects_unknown_and_empty)
{
	struct ss_err err = SS_ERR_INIT;
	struct ss_url u;

	cr_expect_eq(ss_url_parse("mysql://u:pw@h/db", &u, &err), -SS_EUSAGE);
	cr_expect(strstr(err.msg.s, "mysql://u:***@h/db") != NULL, "%s", err.msg.s);
	cr_expect(strstr(err.msg.s, "pw") == NULL, "%s", err.msg.s);
	cr_expect_eq(ss_url_parse("", &u, &err), -SS_EUSAGE);
	cr_expect_eq(ss_url_parse("sqlite:", &u, &err), -SS_EUSAGE);
	cr_expect_eq(ss_url_parse("notes.txt", &u, &err), -SS_EUSAGE);
	ss_err_release(&err);
}

/* libpq quotes a password it cannot percent-decode in its message. */
Test(url, mask_message_hides_every_form_of_the_password)
{
	struct { const char *msg, *target, *out; } cases[] = {
		{ "invalid percent-encoded token: \"100%real\"",
		  "postgresql://app:100%real@db.example/app",
		  "invalid percent-encoded token: \"***\"" },
		{ "invalid percent-encoded token: \"100%real\"",
		  "postgresql://app@/app?host=/x&password=100%real",
		  "invalid percent-encoded token: \"***\"" },
		{ "said 100%real and 100%25real",
		  "postgresql://app:100%25real@h/app",
		  "said *** and ***" },
		{ "password was p w", "host=h password='p w'",
		  "password was ***" },
		{ "quoted 'it''s' it's", "host=h password='it\\'s'",
		  "quoted 'it''s' ***" },
		{ "it is Top Secret", "host=h password=Top\\ Secret",
		  "it is ***" },
		{ "it is Top Secret", "postgres:///d?passwo%72d=Top%20Secret",
		  "it is ***" },
		{ "a bare secret42 here", "host=h password=secret42 user=u",
		  "a bare *** here" },
		/* Short: only where it stands alone. */
		{ "an abc in a word: abcdef, alone: \"abc\"",
		  "postgres://u:abc@h/db",
		  "an *** in a word: abcdef, alone: \"***\"" },
		/* A message that names the masked URL keeps its words. */
		{ "postgres://h/db?password=***: bad token \"zz%\"",
		  "postgres://h/db?password=zz%",
		  "postgres://h/db?password=***: bad token \"***\"" },
		{ "no target", NULL, "no target" },
		{ "nothing to hide", "postgres://u@h/db", "nothing to hide" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *m = ss_url_mask_message(cases[i].msg, cases[i].target);
		cr_expect_str_eq(m, cases[i].out, "mask_message(%s, %s)",
		    cases[i].msg, cases[i].target ? cases[i].target : "NULL");
		free(m);
	}
}
