/* test_outfile.c: --out files are regular files only: outfile_check on the
 * name (lstat) and outfile_open on the opened descriptor refuse devices,
 * FIFOs, directories and symbolic links, and leave them as they were. */
#include "fixture.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "docket/outfile.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/docket-outfile-XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chdir(dir), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void outfile__regular_or_new__is_allowed(void **state)
{
	(void)state;
	dk_error err = {{0}};
	struct outfile_target t;
	assert_int_equal(outfile_check("new.csv", &t, &err), DK_OK);
	assert_false(t.exists);
	write_file("old.csv", "old text");
	assert_int_equal(outfile_check("old.csv", &t, &err), DK_OK);
	assert_true(t.exists);
	int fd = outfile_open("old.csv", 0600, &err);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "new", 3), 3);
	close(fd);
	char buf[16] = "";
	FILE *f = fopen("old.csv", "r");
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	assert_string_equal(buf, "new"); /* truncated, then written */
	fd = outfile_open("fresh.csv", 0600, &err);
	assert_true(fd >= 0);
	close(fd);
}

static void outfile__devices_fifos_dirs_links__are_refused(void **state)
{
	(void)state;
	dk_error err = {{0}};
	write_file("target.csv", "keep");
	assert_int_equal(mkfifo("fifo", 0600), 0);
	assert_int_equal(mkdir("dir", 0700), 0);
	assert_int_equal(symlink("target.csv", "link.csv"), 0);
	assert_int_equal(symlink("/dev/null", "null.csv"), 0);
	const struct {
		const char *path, *kind;
	} cases[] = {
		{"/dev/null", "is a character device"},
		{"fifo", "is a FIFO"},
		{"dir", "is a directory"},
		{"link.csv", "is a symbolic link"},
		{"null.csv", "is a symbolic link"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&err, 0, sizeof err);
		struct outfile_target t;
		assert_int_equal(outfile_check(cases[i].path, &t, &err), DK_USAGE);
		assert_non_null(strstr(err.msg, cases[i].kind));
		memset(&err, 0, sizeof err);
		/* the descriptor check: O_NOFOLLOW, then fstat, no waiting for a
		 * FIFO's reader, nothing truncated */
		assert_int_equal(outfile_open(cases[i].path, 0600, &err), -1);
		assert_non_null(strstr(err.msg, cases[i].kind));
	}
	struct stat st;
	assert_int_equal(lstat("fifo", &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(lstat("link.csv", &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(stat("target.csv", &st), 0);
	assert_int_equal(st.st_size, 4);
}

/* The name changes between the check and the rename: a link planted where
 * nothing was, or where the checked file was, is not replaced. */
static void outfile_replace__changed_target__is_refused(void **state)
{
	(void)state;
	dk_error err = {{0}};
	struct outfile_target t;
	/* nothing there, then a link appears */
	assert_int_equal(outfile_check("a.csv", &t, &err), DK_OK);
	write_file("a.tmp", "export");
	assert_int_equal(symlink("/dev/null", "a.csv"), 0);
	assert_int_equal(outfile_replace("a.tmp", "a.csv", &t, &err), DK_USAGE);
	assert_non_null(strstr(err.msg, "a.csv: changed while"));
	struct stat st;
	assert_int_equal(lstat("a.csv", &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	/* a regular file there, swapped for a link */
	write_file("b.csv", "old");
	assert_int_equal(outfile_check("b.csv", &t, &err), DK_OK);
	assert_int_equal(unlink("b.csv"), 0);
	assert_int_equal(symlink("/dev/null", "b.csv"), 0);
	assert_int_equal(outfile_replace("a.tmp", "b.csv", &t, &err), DK_USAGE);
	assert_int_equal(lstat("b.csv", &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	/* a regular file there, replaced by another regular file */
	assert_int_equal(unlink("b.csv"), 0);
	write_file("b.csv", "old");
	assert_int_equal(outfile_check("b.csv", &t, &err), DK_OK);
	write_file("c.csv", "other");
	assert_int_equal(rename("c.csv", "b.csv"), 0);
	assert_int_equal(outfile_replace("a.tmp", "b.csv", &t, &err), DK_USAGE);
	/* unchanged: replaced */
	assert_int_equal(outfile_check("b.csv", &t, &err), DK_OK);
	assert_int_equal(outfile_replace("a.tmp", "b.csv", &t, &err), DK_OK);
	assert_int_equal(stat("b.csv", &st), 0);
	assert_int_equal(st.st_size, 6);
	assert_int_equal(access("a.tmp", F_OK), -1);
	/* new, and still nothing there */
	write_file("d.tmp", "export");
	assert_int_equal(outfile_check("d.csv", &t, &err), DK_OK);
	assert_int_equal(outfile_replace("d.tmp", "d.csv", &t, &err), DK_OK);
	assert_int_equal(stat("d.csv", &st), 0);
	assert_true(S_ISREG(st.st_mode));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(outfile__regular_or_new__is_allowed),
		cmocka_unit_test(outfile__devices_fifos_dirs_links__are_refused),
		cmocka_unit_test(outfile_replace__changed_target__is_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
