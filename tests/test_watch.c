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
	ctx.args.debounce_ms = -1;
	ctx.config.debounce_ms = -1;
	cr_expect_eq(ss_watch_debounce_ms(&ctx), 20);
	ctx.config.debounce_ms = 75;
	cr_expect_eq(ss_watch_debounce_ms(&ctx), 75);
	ctx.args.debounce_ms = 0;
	cr_expect_eq(ss_watch_debounce_ms(&ctx), 0);
}
