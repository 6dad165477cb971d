/* cmd_import.c: placeholder until `docket import` is built (see the open issues). */
#include <stdio.h>

#include "cli.h"

int cmd_import(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("docket import: not built yet\n", stderr);
	return EXIT_FAIL;
}
