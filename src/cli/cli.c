/* cli.c: helpers shared by the command implementations. */
#include "cli.h"

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

int cli_model_id(store *s, const char *name, int64_t *id)
{
	dk_error err = {{0}};
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM models WHERE name = ?1", &err);
	if (!st)
		return cli_fail(err.msg);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW && id)
		*id = sqlite3_column_int64(st, 0);
	store_done(st);
	if (step == SQLITE_ROW)
		return EXIT_OK;
	if (step != SQLITE_DONE) {
		store_fail(s, &err, "reading models");
		return cli_fail(err.msg);
	}
	/* Not a usage error: the command was well formed, the store lacks it.
	 * Only import and export take NAME@VERSION; say so when it was given. */
	fprintf(stderr, "docket: %s: no model named '%s' (%s; 'docket queue "
			"STORE' lists the models)\n",
		store_path(s), name,
		strchr(name, '@') ? "the version goes only with import and export"
				  : "import its predictions first");
	return EXIT_FAIL;
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
