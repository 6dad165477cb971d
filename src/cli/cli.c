/* cli.c: helpers shared by the command implementations. */
#include "cli.h"

#include "docket/identity.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "docket/termsafe.h"
#include "docket/text.h"

/* Messages carry names, ids and reasons from the data and the command
 * line: the whole text goes through termsafe on its way out, so none of it
 * can drive the terminal. */
/* Any length: a table of thousands of rows goes out in one call (a fixed
 * buffer here once cut `docket cases` off at 32 KB, mid-line, exit 0). */
static void cli_vwrite(FILE *f, const char *fmt, va_list ap)
{
	char small[4096];
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	char *text = small;
	if (n >= (int)sizeof small) {
		text = dk_xmalloc((size_t)n + 1);
		vsnprintf(text, (size_t)n + 1, fmt, again);
	}
	va_end(again);
	sbuf b = {0};
	termsafe_add(&b, text, n > 0 ? (size_t)n : 0, TERMSAFE_LINES);
	fwrite(b.buf ? b.buf : "", 1, b.len, f);
	sbuf_free(&b);
	if (text != small)
		free(text);
}

void cli_eprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cli_vwrite(stderr, fmt, ap);
	va_end(ap);
}

void cli_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cli_vwrite(stdout, fmt, ap);
	va_end(ap);
}

int cli_write_data(const char *s, size_t n)
{
	static int tty = -1;
	if (tty < 0)
		tty = isatty(STDOUT_FILENO);
	if (!tty || termsafe_scan(s, n, TERMSAFE_LINES) == n)
		return fwrite(s, 1, n, stdout) == n ? 0 : -1;
	sbuf b = {0};
	termsafe_add(&b, s, n, TERMSAFE_LINES);
	int rc = fwrite(b.buf, 1, b.len, stdout) == b.len ? 0 : -1;
	sbuf_free(&b);
	return rc;
}

void cli_cell(sbuf *b, const char *s, int width)
{
	size_t at = b->len;
	termsafe_add(b, s ? s : "", TEXT_NUL, 0);
	for (int w = text_width(b->buf + at, b->len - at); w < width; w++)
		sbuf_addc(b, ' ');
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	cli_eprintf("docket %s: %s\nTry 'docket %s --help'.\n", cmd, buf, cmd);
	return EXIT_USAGE;
}

int cli_fail(const char *msg)
{
	cli_eprintf("docket: %s\n", msg);
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
	/* On PostgreSQL the reviewer is the role the session logged in as. */
	if (store_engine(s) == STORE_POSTGRES) {
		db_stmt *st = store_stmt(s, "SELECT current_user", &err);
		int ok = st && db_step(st) == DB_ROW;
		if (ok)
			dk_login_set((const char *)db_col_text(st, 0));
		store_done(st);
		if (!ok) {
			if (st)
				store_fail(s, &err, "reading the session's role");
			store_close(s);
			cli_fail(err.msg);
			return NULL;
		}
	}
	return s;
}

int cli_model_id(store *s, const char *name, int64_t *id)
{
	dk_error err = {{0}};
	db_stmt *st = store_stmt(s, "SELECT id FROM models WHERE name = ?1", &err);
	if (!st)
		return cli_fail(err.msg);
	db_bind_text(st, 1, name, -1, DB_STATIC);
	int step = db_step(st);
	if (step == DB_ROW && id)
		*id = db_col_int64(st, 0);
	store_done(st);
	if (step == DB_ROW)
		return EXIT_OK;
	if (step != DB_DONE) {
		store_fail(s, &err, "reading models");
		return cli_fail(err.msg);
	}
	/* Not a usage error: the command was well formed, the store lacks it.
	 * Only import and export take NAME@VERSION; say so when it was given. */
	cli_eprintf("docket: %s: no model named '%s' (%s; 'docket queue "
			"STORE' lists the models)\n",
		store_path(s), name,
		strchr(name, '@') ? "the version goes only with import and export"
				  : "import its predictions first");
	return EXIT_FAIL;
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
