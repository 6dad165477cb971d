/* cli.c: helpers shared by the command implementations. */
#include "cli.h"

#include "docket/identity.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "docket %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'docket %s --help'.\n", cmd);
	return EXIT_USAGE;
}

int cli_fail(const char *msg)
{
	fprintf(stderr, "docket: %s\n", msg);
	return EXIT_FAIL;
}

int cli_help(const char *text)
{
	fputs(text, stdout);
	return EXIT_OK;
}

store *cli_open_store(const char *path, unsigned flags)
{
	store *s = NULL;
	dk_error err = {{0}};
	if (store_open(&s, path, flags, &err) != DK_OK) {
		cli_fail(err.msg);
		return NULL;
	}
	return s;
}

int cli_act_as(store *s, const char *opt, const char **name)
{
	dk_error err = {{0}};
	if (identity_act_as(store_path(s), opt, *name, name, &err) == DK_OK)
		return EXIT_OK;
	return cli_fail(err.msg);
}

int cli_split_model(const char *arg, char **owned, const char **name,
		    const char **version)
{
	char *copy = dk_xstrdup(arg);
	char *at = strrchr(copy, '@');
	*version = "";
	if (at) {
		*at = '\0';
		*version = at + 1;
	}
	*owned = copy;
	*name = copy;
	return copy[0] == '\0';
}
