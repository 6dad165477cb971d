/* cmd_log.c: placeholder until `docket log` is built (see the open issues). */
#include <stdio.h>

#include "cli.h"

int cmd_log(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("docket log: not built yet\n", stderr);
	return EXIT_FAIL;
}
