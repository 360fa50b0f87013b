/* Tests for src/util.c: suggestions and string predicates. */
#include <criterion/criterion.h>

#include "ss/err.h"
#include "ss/util.h"

Test(util, suggest_the_close_one_only)
{
	static const char *const keys[] = { "nullable", "type", "default",
		"unique", NULL };

	cr_expect_str_eq(ss_suggest("nulable", keys), "nullable");
	cr_expect_str_eq(ss_suggest("TYPE", keys), "type", "case-insensitive");
	cr_expect_str_eq(ss_suggest("defualt", keys), "default", "a swap is one edit");
	cr_expect_null(ss_suggest("zzzzzz", keys), "nothing close: no guess");
}

Test(util, edit_distance)
{
	cr_expect_eq(ss_edit_distance("", ""), 0);
	cr_expect_eq(ss_edit_distance("abc", "abc"), 0);
	cr_expect_eq(ss_edit_distance("abc", "abd"), 1);
	cr_expect_eq(ss_edit_distance("abc", "acb"), 1);
	cr_expect_eq(ss_edit_distance("abc", ""), 3);
}

Test(util, predicates)
{
	cr_expect(ss_streq_icase("Users", "uSERS"));
	cr_expect(!ss_streq_icase("users", "user"));
	cr_expect(ss_ends_with("a.yaml", ".yaml"));
	cr_expect(!ss_ends_with("yaml", ".yaml"));
	cr_expect(ss_is_decimal("-12"));
	cr_expect(ss_is_decimal("3.5"));
	cr_expect(ss_is_decimal(".5"));
	cr_expect(ss_is_decimal("1e10"));
	cr_expect(!ss_is_decimal("0x1F"));
	cr_expect(!ss_is_decimal("1_000"));
	cr_expect(!ss_is_decimal(""));
	cr_expect(ss_line_in("a\nb\nc\n", "b\n"));
	cr_expect(!ss_line_in("ab\nc\n", "b\n"), "a whole line, not a tail");
}

/* An error set from its own message keeps it (a prefix added). */
Test(util, error_set_from_its_own_message)
{
	struct ss_err err = SS_ERR_INIT;

	ss_err_set(&err, SS_EDB, "operator does not exist: integer = text");
	ss_err_set(&err, SS_EDB, "undo store: %s", err.msg.s);
	cr_expect_str_eq(err.msg.s,
	    "undo store: operator does not exist: integer = text");
	cr_expect_eq(err.code, SS_EDB);
	ss_err_release(&err);
}
