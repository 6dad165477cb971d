/* casejson_sql.c: an SQLite extension for the shell tests (loaded by
 * tests/sh/lib.sh's sql): docket_obj(VALUE, KEYS) is a case's stored
 * context, probabilities or attributions (VALUE, any form) with its
 * batch's key list (KEYS) as the object it was imported as, by
 * casejson_expand itself, so a test that reads the store with the sqlite3
 * CLI sees what docket's readers see, and no second decoder is written. */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include <stdlib.h>

#include "docket/casejson.h"

static void docket_obj(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *v = (const char *)sqlite3_value_text(argv[0]);
	size_t vn = (size_t)sqlite3_value_bytes(argv[0]);
	const char *k = (const char *)sqlite3_value_text(argv[1]);
	size_t kn = (size_t)sqlite3_value_bytes(argv[1]);
	casejson_keys keys = {0};
	sbuf out = {0};
	dk_error err = {{0}};
	if (!v)
		sqlite3_result_null(ctx);
	else if (casejson_keys_set(&keys, k, kn))
		sqlite3_result_error(ctx, "docket_obj: malformed key list", -1);
	else if (casejson_expand(&keys, v, vn, &out, "?", "value", &err))
		sqlite3_result_error(ctx, err.msg, -1);
	else
		sqlite3_result_text(ctx, out.buf, (int)out.len, SQLITE_TRANSIENT);
	sbuf_free(&out);
	casejson_keys_free(&keys);
}

int sqlite3_casejsonsql_init(sqlite3 *db, char **msg, const sqlite3_api_routines *api);
int sqlite3_casejsonsql_init(sqlite3 *db, char **msg, const sqlite3_api_routines *api)
{
	(void)msg;
	SQLITE_EXTENSION_INIT2(api);
	return sqlite3_create_function(db, "docket_obj", 2,
				       SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				       docket_obj, NULL, NULL);
}
