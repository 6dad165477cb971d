/* casefeat.c: a case's margin and entropy from its stored probabilities. */
#include "docket/casefeat.h"

#include <math.h>

#include "docket/policy.h"
#include "docket/util.h"

struct cf {
	policy_feat f;
	int bad;
};

/* One probability's JSON text into the features: a number, read back to
 * the double the import parsed (strtod's, which its text reads back as). */
static void cf_add(void *arg, const char *t, size_t n)
{
	struct cf *c = arg;
	double v;
	if (dk_parse_double(t, n, &v))
		c->bad = 1;
	else
		policy_features_add(&c->f, v);
}

int casefeat_get(const casejson_keys *k, const char *v, size_t n, double *margin,
		 double *entropy)
{
	struct cf c = {.bad = 0};
	policy_features_start(&c.f);
	*margin = *entropy = NAN;
	if (!v)
		return 0;
	if (casejson_values(k, v, n, cf_add, &c))
		c.bad = 1;
	if (c.bad)
		return -1;
	policy_features_end(&c.f, margin, entropy);
	return 1;
}
