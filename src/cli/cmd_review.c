/* cmd_review.c: placeholder until `docket review` is built (see the open issues). */
#include <stdio.h>

#include "cli.h"

int cmd_review(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("docket review: not built yet\n", stderr);
	return EXIT_FAIL;
}
