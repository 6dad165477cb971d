/* cmd_decide.c: placeholder until `docket decide` is built (see the open issues). */
#include <stdio.h>

#include "cli.h"

int cmd_decide(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("docket decide: not built yet\n", stderr);
	return EXIT_FAIL;
}
