/* Tests for src/schemakeys.c: the one table of schema-file keys. */
#include <criterion/criterion.h>
#include <string.h>

#include "ss/schemakeys.h"

Test(schemakeys, find_by_place)
{
	cr_expect_eq(ss_skey_find(SS_KCTX_COLUMN, "type"), SS_KEY_COLUMN_TYPE);
	cr_expect_eq(ss_skey_find(SS_KCTX_TABLE, "primary_key"),
	    SS_KEY_TABLE_PRIMARY_KEY);
	cr_expect_eq(ss_skey_find(SS_KCTX_COLUMN, "primary_key"),
	    SS_KEY_COLUMN_PRIMARY_KEY);
	/* A key of another place is no key here. */
	cr_expect_eq(ss_skey_find(SS_KCTX_INDEX, "type"), SS_KEY_MAX);
	cr_expect_eq(ss_skey_find(SS_KCTX_FILE, "nope"), SS_KEY_MAX);
	cr_expect_str_eq(ss_skey_name(SS_KEY_FK_ON_DELETE), "on_delete");
	cr_expect_null(ss_skey_name(SS_KEY_MAX));
}

Test(schemakeys, names_of_a_place_in_table_order)
{
	const char *v[SS_KEY_MAX + 1];

	ss_skey_names(SS_KCTX_INDEX, v);
	cr_expect_str_eq(v[0], "columns");
	cr_expect_str_eq(v[1], "unique");
	cr_expect_str_eq(v[2], "where");
	cr_expect_str_eq(v[3], "using");
	cr_expect_str_eq(v[8], "initially_deferred");
	cr_expect_null(v[9]);
	ss_skey_names(SS_KCTX_ENTRY, v);
	cr_expect_str_eq(v[0], "column");
	cr_expect_str_eq(v[3], "nulls");
	cr_expect_null(v[4]);
	ss_skey_names(SS_KCTX_DEFAULT, v);
	cr_expect_str_eq(v[0], "sql");
	cr_expect_null(v[1]);
}
