/* cmd_demo.c: `docket demo`: a store made from sample-data/ (credit
 * applications and food reviews), opened in the review screen. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "docket/import.h"
#include "docket/queue.h"
#include "tui.h"

static const char demo_usage[] =
	"Usage: docket demo [--reset] [--reviewer NAME] [--theme NAME] [--path]\n"
	"Open the review screen on a demo store made from the sample data: 4,454\n"
	"credit applications (model 'credit', tabular, with personal fields) and\n"
	"1,000 food reviews (model 'reviews', text with highlighted words).\n"
	"The store is kept at $XDG_DATA_HOME/docket/demo.db (default\n"
	"~/.local/share/docket/demo.db), so your decisions stay between runs and\n"
	"the other commands work on it ('docket log', 'docket stats', ...).\n"
	"The sample data is found in $DOCKET_SAMPLE_DATA, else next to the\n"
	"binary (sample-data/, ../sample-data/, ../share/docket/sample-data/,\n"
	"../../sample-data/ for the test build).\n"
	"  --reset          start again from a fresh demo store\n"
	"  --reviewer NAME  review as NAME (default: your login name)\n"
	"  --theme NAME     colour theme (see 'docket review --help')\n"
	"  --path           print the demo store's path (creating it) and exit\n";

static int demo_mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(path, 0700);
		*p = '/';
		if (rc && errno != EEXIST)
			return -1;
	}
	if (mkdir(path, 0700) && errno != EEXIST)
		return -1;
	return 0;
}

static int demo_store_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	char dir[4000];
	if (xdg && *xdg == '/')
		snprintf(dir, sizeof dir, "%s/docket", xdg);
	else if (home && *home)
		snprintf(dir, sizeof dir, "%s/.local/share/docket", home);
	else
		return -1;
	if (demo_mkdirs(dir)) {
		cli_eprintf("docket: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	snprintf(buf, len, "%s/demo.db", dir);
	return 0;
}

static void demo_unlink(const char *path)
{
	char p[4200];
	const char *suffix[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
}

/* Build the demo store at tmp, then move it to path, so an interrupted
 * build never leaves a half-made demo store. */
static int demo_build(const char *path, const char *reviewer)
{
	char data[4096], file[4200], tmp[4200];
	const char *env = getenv("DOCKET_SAMPLE_DATA");
	if (env && *env)
		snprintf(data, sizeof data, "%s", env);
	else if (!tui_find_near_binary("sample-data", data, sizeof data)) {
		cli_eprintf(
			"docket: cannot find the sample data next to the binary; "
			"set DOCKET_SAMPLE_DATA to the sample-data directory\n");
		return -1;
	}
	snprintf(tmp, sizeof tmp, "%s.new", path);
	demo_unlink(tmp);
	store *s = cli_open_store(tmp, STORE_CREATE | STORE_MUST_BE_NEW);
	if (!s)
		return -1;
	static const struct {
		const char *file, *model, *version;
	} parts[] = {
		{"credit.csv", "credit", "sample"},
		{"reviews.jsonl", "reviews", "sample"},
	};
	dk_error err = {{0}};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		import_opts o = {.model = parts[i].model, .version = parts[i].version,
				 .threshold = -1};
		import_result res;
		snprintf(file, sizeof file, "%s/%s", data, parts[i].file);
		if (import_file(s, file, &o, &res, &err)) {
			cli_fail(err.msg);
			goto fail;
		}
	}
	/* Anyone may try the demo under any name. */
	if (queue_set_auto_add(s, 1, dk_login_name(), &err)) {
		cli_fail(err.msg);
		goto fail;
	}
	(void)reviewer;
	store_close(s);
	if (rename(tmp, path)) {
		cli_eprintf("docket: %s: %s\n", path, strerror(errno));
		demo_unlink(tmp);
		return -1;
	}
	return 0;
fail:
	store_close(s);
	demo_unlink(tmp);
	return -1;
}

int cmd_demo(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"reset", no_argument, NULL, 'R'},
		{"reviewer", required_argument, NULL, 'r'},
		{"theme", required_argument, NULL, 't'},
		{"path", no_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	struct tui_review_opts o = {0};
	int reset = 0, only_path = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hRr:t:p", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(demo_usage);
		case 'R': reset = 1; break;
		case 'r': o.reviewer = optarg; break;
		case 't': o.theme = optarg; break;
		case 'p': only_path = 1; break;
		default: return cli_usage_error("demo", "unknown option");
		}
	}
	if (argc != optind)
		return cli_usage_error("demo", "takes no STORE: it keeps its own");
	char path[4096];
	if (demo_store_path(path, sizeof path))
		return cli_fail("no place for the demo store: set HOME or XDG_DATA_HOME");
	if (reset)
		demo_unlink(path);
	if (access(path, F_OK) != 0) {
		cli_eprintf("docket: making the demo store %s ...\n", path);
		if (demo_build(path, o.reviewer))
			return EXIT_FAIL;
	}
	if (only_path) {
		cli_printf("%s\n", path);
		return EXIT_OK;
	}
	store *s = cli_open_store(path, 0);
	if (!s)
		return EXIT_FAIL;
	if (cli_act_as(s, "--reviewer", &o.reviewer)) {
		store_close(s);
		return EXIT_FAIL;
	}
	int rc = tui_review(s, &o);
	store_close(s);
	if (rc == EXIT_OK)
		cli_eprintf("docket: demo store kept at %s ('docket log %s')\n",
			path, path);
	return rc;
}
