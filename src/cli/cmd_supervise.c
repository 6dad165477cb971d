/* cmd_supervise.c: placeholder until `docket supervise` is built (see the open issues). */
#include <stdio.h>

#include "cli.h"

int cmd_supervise(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("docket supervise: not built yet\n", stderr);
	return EXIT_FAIL;
}
