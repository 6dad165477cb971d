/* cmd_policy.c: placeholder until `docket policy` is built (see the open issues). */
#include <stdio.h>

#include "cli.h"

int cmd_policy(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("docket policy: not built yet\n", stderr);
	return EXIT_FAIL;
}
