/* casefeat.h: a case's margin and entropy from its stored probabilities,
 * as routing computed them at import. A store of schema 8 keeps them
 * nowhere else (SQLite); every reader of them goes through casefeat_get. */
#ifndef DOCKET_CASEFEAT_H
#define DOCKET_CASEFEAT_H

#include <stddef.h>

#include "docket/casejson.h"

/* The margin and entropy of the probabilities stored as v (n bytes, any
 * form; k its batch's probability key list): policy_features over the
 * values in order, each read back to the double the import parsed. v
 * NULL: both NaN, and 0 returned (no probabilities); 1 when v holds
 * probabilities; -1 when v is malformed (both NaN). Readers call this when
 * both stored columns are NULL (an older store's stored ones are read as
 * before). */
int casefeat_get(const casejson_keys *k, const char *v, size_t n, double *margin,
		 double *entropy);

#endif
