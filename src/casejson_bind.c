/* casejson_bind.c: a stored case value bound to a statement in the SQL
 * type its form needs (apart from casejson.c, which the sqlite3 CLI's
 * docket_obj links alone, without the statement layer). */
#include "docket/casejson.h"

int casejson_bind(db_stmt *st, int i, const char *v, size_t n, int copy)
{
	if (!v)
		return db_bind_null(st, i);
	if (casejson_is_packed(v, n))
		return db_bind_blob(st, i, v, (int)n, copy);
	return db_bind_text(st, i, v, (int)n, copy);
}
