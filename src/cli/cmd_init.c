/* cmd_init.c: `docket init STORE`: create an empty store. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

static const char init_usage[] =
	"Usage: docket init STORE\n"
	"Create an empty store at STORE (a new SQLite file, readable only by you).\n"
	"You become its first supervisor. `docket import` also creates a store.\n";

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h')
			return cli_help(init_usage);
		return cli_usage_error("init", "unknown option");
	}
	if (argc - optind != 1)
		return cli_usage_error("init", "expected one STORE path");
	store *s = cli_open_store(argv[optind], STORE_CREATE | STORE_MUST_BE_NEW);
	if (!s)
		return EXIT_FAIL;
	cli_printf("created %s (schema %d, supervisor %s)\n", argv[optind],
	       store_schema_version(s), dk_login_name());
	store_close(s);
	return EXIT_OK;
}
