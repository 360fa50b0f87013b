/* Tests for src/watch.c's pure parts; the watcher itself is driven
 * through the real binary by tests/cli/t-watch*.sh. */
#include <criterion/criterion.h>
#include <string.h>

#include "ss/watch.h"

Test(watch, schema_names)
{
	static const char *const yes[] = {
		"app.yaml", "app.yml", "a.b.yaml", "x.yaml.yaml",
	};
	static const char *const no[] = {
		"", ".yaml", ".app.yaml", ".app.yaml.swp", "app.yaml~",
		"app.yaml.tmp", "app.yaml___jb_tmp___", "4913", "app.json",
		"yaml", "app.YAML", ".#app.yaml", "#app.yaml#x", "app.yml.bak",
	};
	size_t i;

	for (i = 0; i < sizeof yes / sizeof *yes; i++)
		cr_expect(ss_watch_is_schema_name(yes[i]), "%s", yes[i]);
	for (i = 0; i < sizeof no / sizeof *no; i++)
		cr_expect(!ss_watch_is_schema_name(no[i]), "%s", no[i]);
}

Test(watch, debounce_precedence)
{
	struct ss_ctx ctx;

	memset(&ctx, 0, sizeof ctx);
	ctx.config.debounce_ms = -1;
	cr_expect_eq(ss_watch_debounce_ms(&ctx, -1), 20);
	ctx.config.debounce_ms = 75;
	cr_expect_eq(ss_watch_debounce_ms(&ctx, -1), 75);
	cr_expect_eq(ss_watch_debounce_ms(&ctx, 0), 0);
}

Test(watch, renames_compete)
{
	static const char *const ok[] = { "u.name=legacy", "u.bio=about", "users=people" };
	static const char *const same_target[] = { "u.name=legacy", "u.bio=legacy" };
	static const char *const same_source[] = { "u.name=legacy", "u.name=old" };
	static const char *const tables[] = { "a=c", "b=c" };
	static const char *const other_tables[] = { "a.x=y", "b.x=y" };

	cr_expect(!ss_watch_renames_compete(ok, 3));
	cr_expect(!ss_watch_renames_compete(ok, 0));
	cr_expect(ss_watch_renames_compete(same_target, 2));
	cr_expect(ss_watch_renames_compete(same_source, 2));
	cr_expect(ss_watch_renames_compete(tables, 2));
	cr_expect(!ss_watch_renames_compete(other_tables, 2));
}
