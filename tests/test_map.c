/* Tests for src/map.c: the name map, through growth and replacement. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ss/map.h"

Test(map, put_get_replace_and_grow)
{
	struct ss_map m = SS_MAP_INIT;
	static char keys[1000][8];
	size_t i;

	cr_expect_null(ss_map_get(&m, "absent"), "an empty map has nothing");
	for (i = 0; i < 1000; i++) {
		snprintf(keys[i], sizeof keys[i], "k%zu", i);
		cr_expect_null(ss_map_put(&m, keys[i], keys[i]));
	}
	cr_expect_eq(m.n, 1000);
	cr_expect_eq(m.cap & (m.cap - 1), 0, "the capacity is a power of two");
	cr_expect_gt(m.cap, m.n, "it grew before it filled");
	for (i = 0; i < 1000; i++)
		cr_expect_eq(ss_map_get(&m, keys[i]), keys[i], "%s", keys[i]);
	/* Replacing returns the old value and keeps the count. */
	cr_expect_eq(ss_map_put(&m, "k7", (void *)"new"), keys[7]);
	cr_expect_str_eq(ss_map_get(&m, "k7"), "new");
	cr_expect_eq(m.n, 1000);
	cr_expect_null(ss_map_get(&m, "k1000"));
	ss_map_release(&m);
	cr_expect_null(ss_map_get(&m, "k1"), "released: empty again");
}

Test(map, hash_is_stable_and_spreads)
{
	cr_expect_eq(ss_hash_str("users"), ss_hash_str("users"));
	cr_expect_neq(ss_hash_str("users"), ss_hash_str("user"));
	cr_expect_neq(ss_hash_str("ab"), ss_hash_str("ba"));
}
