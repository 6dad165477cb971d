/* pii_merge.h: a PostgreSQL case's context as imported, from the masked
 * context cases holds and the pii: members case_pii holds apart from it
 * (src/engine/pg_roles.c). */
#ifndef DOCKET_PII_MERGE_H
#define DOCKET_PII_MERGE_H

#include <stddef.h>

#include "docket/util.h"

/* The masked object m (n bytes) with the value of each of its pii:
 * members replaced, in order, by the value of the next member of the
 * object p (pn bytes), into out (reset first). Every other byte is m's and
 * the values are p's bytes, so the result is the imported context byte for
 * byte. Returns DK_OK, or DK_ERR when either is not a JSON object or their
 * pii: members do not pair up (an edited store: out is then m). */
int pii_merge(sbuf *out, const char *m, size_t n, const char *p, size_t pn);

#endif
