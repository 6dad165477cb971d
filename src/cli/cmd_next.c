/* cmd_next.c: placeholder until `docket next` is built (see the open issues). */
#include <stdio.h>

#include "cli.h"

int cmd_next(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("docket next: not built yet\n", stderr);
	return EXIT_FAIL;
}
