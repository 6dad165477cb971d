/* failif.h: the condition language of `docket stats --fail-if`:
 * comparisons `metric OP number` joined by and/or/not with parentheses. */
#ifndef DOCKET_FAILIF_H
#define DOCKET_FAILIF_H

#include <stddef.h>

#include "docket/util.h"

/* Grammar (keywords and metric names are case-sensitive):
 *   expr  := term { ("or" | "||") term }
 *   term  := unary { ("and" | "&&") unary }
 *   unary := ("not" | "!") unary | "(" expr ")" | NAME OP NUMBER
 *   OP    := "<" | "<=" | ">" | ">=" | "==" | "=" | "!="
 * NAME is one of the metric names given to failif_parse. */
typedef struct failif failif;

/* Parse text, accepting only the nmetrics names in metrics (borrowed for
 * the life of the result). On success *out owns the parsed condition (free
 * with failif_free). A malformed expression returns DK_USAGE with err
 * holding a message, the expression and a caret under the bad token, on
 * three lines. */
int failif_parse(const char *text, const char *const *metrics, size_t nmetrics,
		 failif **out, dk_error *err);

void failif_free(failif *f);

/* How evaluation reads a metric: returns 0 and sets *v, or 1 when the
 * figure is unknown (too few cases behind it). */
typedef int failif_lookup_fn(void *ctx, const char *name, double *v);

/* Evaluate f in three-valued logic: a comparison with an unknown figure
 * is unknown, `not unknown` is unknown, `false and unknown` is false,
 * `true or unknown` is true. The condition holds only when it is true: a
 * cron job alerts on evidence, not on missing data. Each unknown metric's
 * name is appended to unknown (if not NULL), separated by ", ". Returns 1
 * when the condition holds, 0 when it is false or unknown. */
int failif_eval(const failif *f, failif_lookup_fn *lookup, void *ctx,
		sbuf *unknown);

#endif
