/* cmd_release.c: placeholder until `docket release` is built (see the open issues). */
#include <stdio.h>

#include "cli.h"

int cmd_release(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("docket release: not built yet\n", stderr);
	return EXIT_FAIL;
}
