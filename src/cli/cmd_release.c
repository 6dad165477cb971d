/* cmd_release.c: `docket release STORE --reviewer R`: gives back every case
 * the reviewer holds. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "docket/queue.h"

static const char release_usage[] =
	"Usage: docket release STORE [--reviewer NAME]\n"
	"Give back every case NAME holds (leases end; the cases return to the\n"
	"queue). Prints how many. The review screen does this when it quits.\n"
	"  --reviewer NAME  whose cases (default: your login name)\n";

int cmd_release(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"reviewer", required_argument, NULL, 'r'},
		{NULL, 0, NULL, 0}};
	const char *reviewer = dk_login_name();
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hr:", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(release_usage);
		case 'r': reviewer = optarg; break;
		default: return cli_usage_error("release", "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("release", "expected one STORE path");
	store *s = cli_open_store(argv[optind], 0);
	if (!s)
		return EXIT_FAIL;
	if (cli_act_as(s, "--reviewer", &reviewer)) {
		store_close(s);
		return EXIT_FAIL;
	}
	dk_error err = {{0}};
	int64_t n = 0;
	int rc = queue_release(s, reviewer, &n, &err);
	if (rc)
		rc = cli_fail(err.msg);
	else
		cli_printf("released %lld case%s held by %s\n", (long long)n,
		       n == 1 ? "" : "s", reviewer);
	store_close(s);
	return rc;
}
