/* cmd_stats.c: placeholder until `docket stats` is built (see the open issues). */
#include <stdio.h>

#include "cli.h"

int cmd_stats(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("docket stats: not built yet\n", stderr);
	return EXIT_FAIL;
}
