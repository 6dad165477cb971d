/* cmd_verify.c: placeholder until `docket verify` is built (see the open issues). */
#include <stdio.h>

#include "cli.h"

int cmd_verify(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("docket verify: not built yet\n", stderr);
	return EXIT_FAIL;
}
