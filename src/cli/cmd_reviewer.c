/* cmd_reviewer.c: placeholder until `docket reviewer` is built (see the open issues). */
#include <stdio.h>

#include "cli.h"

int cmd_reviewer(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("docket reviewer: not built yet\n", stderr);
	return EXIT_FAIL;
}
