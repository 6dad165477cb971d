/* cmd_export.c: placeholder until `docket export` is built (see the open issues). */
#include <stdio.h>

#include "cli.h"

int cmd_export(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("docket export: not built yet\n", stderr);
	return EXIT_FAIL;
}
