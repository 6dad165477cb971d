/* fuzz_failif.c: libFuzzer target for the `stats --fail-if` expression
 * parser and evaluator: any text either parses (and evaluates under a
 * lookup that knows some metrics and not others) or fails with a message
 * of three lines (message, the expression, a caret).
 * Build and run: make fuzz && build-fuzz/fuzz_failif -max_total_time=60 fuzz/corpus/failif */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "docket/failif.h"

static const char *const metrics[] = {"decisions", "override_rate",
				      "escalate_rate", "kappa",
				      "unreviewed_error", "unreviewed_error_upper"};

/* Known metrics get a value from their name; kappa is unknown. */
static int lookup(void *ctx, const char *name, double *v)
{
	(void)ctx;
	if (!strcmp(name, "kappa"))
		return 1;
	*v = (double)strlen(name) / 10.0;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	failif *f = NULL;
	dk_error err = {{0}};
	int rc = failif_parse(text, metrics, sizeof metrics / sizeof metrics[0], &f, &err);
	if (rc == DK_OK) {
		if (!f)
			abort();
		sbuf unknown = {0};
		int holds = failif_eval(f, lookup, NULL, &unknown);
		if (holds != 0 && holds != 1)
			abort();
		sbuf_free(&unknown);
		failif_free(f);
	} else {
		if (f || !err.msg[0])
			abort(); /* a failure says why, and returns nothing */
		if (rc != DK_USAGE)
			abort();
	}
	free(text);
	return 0;
}
