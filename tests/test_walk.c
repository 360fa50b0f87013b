/*
 * Tests for the schema folder walk (src/walk.c) on real folders under
 * mkdtemp(): each folder and file once whatever links lead to them
 * (cycles included), the plain spelling kept over a link's, and byte
 * order within a folder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "ss/buf.h"
#include "ss/walk.h"

static char ROOT[64];
static struct ss_buf SEEN;	/* "D path\n" and "F path\n", relative to ROOT */
static int ERRORS;

static void
setup(void)
{
	strcpy(ROOT, "/tmp/ss-walk-XXXXXX");
	cr_assert_not_null(mkdtemp(ROOT));
	cr_assert_eq(chdir(ROOT), 0);
	ss_buf_init(&SEEN);
	ERRORS = 0;
}

static void
teardown(void)
{
	char cmd[128];

	ss_buf_release(&SEEN);
	if (chdir("/") == 0) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", ROOT);
		(void)system(cmd);
	}
}

TestSuite(walk, .init = setup, .fini = teardown, .timeout = 60);

static bool
on_folder(void *arg, const char *path, const struct stat *st)
{
	(void)arg;
	cr_assert(S_ISDIR(st->st_mode));
	ss_buf_addf(&SEEN, "D %s\n", path);
	return true;
}

static void
on_file(void *arg, const char *path, const struct stat *st)
{
	(void)arg;
	cr_assert(S_ISREG(st->st_mode));
	ss_buf_addf(&SEEN, "F %s\n", path);
}

static void
on_error(void *arg, const char *path, int errnum)
{
	(void)arg;
	(void)path;
	(void)errnum;
	ERRORS++;
}

static void
touch(const char *path)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	fputs("tables: {}\n", f);
	fclose(f);
}

static void
walk(const char *root)
{
	struct ss_walk wk;

	ss_walk_init(&wk);
	wk.folder = on_folder;
	wk.file = on_file;
	wk.error = on_error;
	(void)ss_walk_tree(&wk, root);
	ss_walk_release(&wk);
}

/* Two links back to the folder itself: each branch doubled the work at
 * every level, which never ended. */
Test(walk, links_back_up_are_not_followed)
{
	mkdir("s", 0777);
	touch("s/a.yaml");
	cr_assert_eq(symlink(".", "s/l1"), 0);
	cr_assert_eq(symlink(".", "s/l2"), 0);
	mkdir("s/sub", 0777);
	touch("s/sub/b.yml");
	cr_assert_eq(symlink("..", "s/sub/up"), 0);
	walk("s");
	cr_expect_str_eq(SEEN.s, "F s/a.yaml\nD s/sub\nF s/sub/b.yml\n");
	cr_expect_eq(ERRORS, 0);
}

/* A folder and a file reached directly and through links: once each,
 * under the plain path, even where the link sorts first. */
Test(walk, plain_path_wins_over_links)
{
	mkdir("s", 0777);
	mkdir("s/real", 0777);
	touch("s/real/x.yaml");
	cr_assert_eq(symlink("real", "s/alias"), 0);
	cr_assert_eq(symlink("real/x.yaml", "s/a.yaml"), 0);
	cr_assert_eq(symlink("../outside", "s/ext"), 0);
	mkdir("outside", 0777);
	touch("outside/o.yaml");
	walk("s");
	cr_expect_str_eq(SEEN.s, "D s/real\nF s/real/x.yaml\nD s/ext\n"
	    "F s/ext/o.yaml\n");
}

/* Many links to one another: bounded, each folder once. */
Test(walk, a_web_of_links_is_bounded)
{
	char p[64], t[64];
	int i, j;

	mkdir("s", 0777);
	for (i = 0; i < 8; i++) {
		snprintf(p, sizeof p, "s/d%d", i);
		mkdir(p, 0777);
		snprintf(p, sizeof p, "s/d%d/f.yaml", i);
		touch(p);
	}
	for (i = 0; i < 8; i++)
		for (j = 0; j < 8; j++) {
			snprintf(p, sizeof p, "s/d%d/to%d", i, j);
			snprintf(t, sizeof t, "../d%d", j);
			cr_assert_eq(symlink(t, p), 0);
		}
	walk("s");
	for (i = 0; i < 8; i++) {
		snprintf(p, sizeof p, "D s/d%d\n", i);
		cr_expect_not_null(strstr(SEEN.s, p), "%s in\n%s", p, SEEN.s);
		snprintf(p, sizeof p, "F s/d%d/f.yaml\n", i);
		cr_expect_not_null(strstr(SEEN.s, p), "%s in\n%s", p, SEEN.s);
	}
	cr_expect_eq(SEEN.len, 8 * strlen("D s/d0\nF s/d0/f.yaml\n"), "%s",
	    SEEN.s);
}

/* Names in byte order; dot names, other files and dangling links
 * skipped; one walk state across roots reads a root given twice once. */
Test(walk, order_filter_and_roots_given_twice)
{
	struct ss_walk wk;

	mkdir("s", 0777);
	touch("s/b.yaml");
	touch("s/a.yml");
	touch("s/B.yaml");
	touch("s/.hidden.yaml");
	touch("s/notes.txt");
	mkdir("s/.git", 0777);
	touch("s/.git/x.yaml");
	cr_assert_eq(symlink("gone.yaml", "s/dangling.yaml"), 0);
	ss_walk_init(&wk);
	wk.folder = on_folder;
	wk.file = on_file;
	wk.error = on_error;
	cr_expect(ss_walk_tree(&wk, "s"));
	cr_expect(ss_walk_tree(&wk, "s/"));
	cr_expect(!ss_walk_tree(&wk, "nowhere"));
	ss_walk_release(&wk);
	cr_expect_str_eq(SEEN.s, "F s/B.yaml\nF s/a.yml\nF s/b.yaml\n");
	cr_expect_eq(ERRORS, 1);
}

Test(walk, mark)
{
	struct ss_walk wk;
	struct stat st;
	int i;

	ss_walk_init(&wk);
	memset(&st, 0, sizeof st);
	for (i = 0; i < 1000; i++) {
		st.st_dev = (dev_t)(i % 3);
		st.st_ino = (ino_t)i;
		cr_assert(ss_walk_mark(&wk, &st));
	}
	for (i = 0; i < 1000; i++) {
		st.st_dev = (dev_t)(i % 3);
		st.st_ino = (ino_t)i;
		cr_assert(!ss_walk_mark(&wk, &st));
	}
	st.st_dev = 1;
	st.st_ino = 0;
	cr_expect(ss_walk_mark(&wk, &st));
	ss_walk_release(&wk);
}
