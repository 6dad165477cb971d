/* cmd_demo.c: placeholder until `docket demo` is built (see the open issues). */
#include <stdio.h>

#include "cli.h"

int cmd_demo(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("docket demo: not built yet\n", stderr);
	return EXIT_FAIL;
}
