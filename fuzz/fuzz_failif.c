/* fuzz_failif.c: libFuzzer target for the `stats --fail-if` expression
 * parser and evaluator. The input is the expression. Properties:
 *  - it parses, or fails with DK_USAGE, no result, and (for an expression
 *    of one line that fits the message) three lines: what is wrong, the
 *    expression, and a caret within it;
 *  - what parses evaluates to 0 or 1 under a lookup that knows some metrics
 *    and not others, and the same text wrapped as "(E)" and "not not (E)"
 *    parses too and evaluates the same, under both lookups. */
#include "fuzz_util.h"

#include "docket/failif.h"

static const char *const metrics[] = {"decisions", "override_rate",
				      "escalate_rate", "kappa",
				      "unreviewed_error", "unreviewed_error_upper"};
#define NMETRICS (sizeof metrics / sizeof metrics[0])

/* Known metrics get a value from their name; kappa is unknown. */
static int lookup(void *ctx, const char *name, double *v)
{
	(void)ctx;
	if (!strcmp(name, "kappa"))
		return 1;
	*v = (double)strlen(name) / 10.0;
	return 0;
}

/* Every metric known, the value picked by ctx. */
static int lookup_all(void *ctx, const char *name, double *v)
{
	*v = *(const double *)ctx * (double)strlen(name);
	return 0;
}

static int eval_both(const failif *f, double k, sbuf *unknown)
{
	int a = failif_eval(f, lookup, NULL, unknown);
	int b = failif_eval(f, lookup_all, &k, NULL);
	FUZZ_CHECK((a == 0 || a == 1) && (b == 0 || b == 1), "eval gave %d, %d", a, b);
	return a * 2 + b;
}

/* Characters (not bytes) in s[0..n). */
static size_t chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	size_t n = strlen(text);
	failif *f = NULL;
	dk_error err = {{0}};
	int rc = failif_parse(text, metrics, NMETRICS, &f, &err);
	if (rc == DK_OK) {
		FUZZ_CHECK(f, "parsed without a result");
		sbuf unknown = {0};
		double k = n ? (double)(unsigned char)text[0] / 200.0 : 0.5;
		int r = eval_both(f, k, &unknown);
		sbuf_free(&unknown);
		failif_free(f);
		static const char *const wraps[][2] = {{"(", ")"}, {"not not (", ")"}};
		for (size_t w = 0; w < 2; w++) {
			sbuf b = {0};
			sbuf_printf(&b, "%s%s%s", wraps[w][0], text, wraps[w][1]);
			failif *g = NULL;
			dk_error e2 = {{0}};
			/* Depth limits may refuse the wrapped form of a deeply
			 * nested expression; anything else must parse. */
			int rc2 = failif_parse(sbuf_str(&b), metrics, NMETRICS, &g, &e2);
			FUZZ_CHECK(rc2 == DK_OK || strstr(e2.msg, "nested too deeply"),
				   "'%s' parses, '%s' does not: %s", text, sbuf_str(&b), e2.msg);
			if (rc2 == DK_OK) {
				FUZZ_CHECK(eval_both(g, k, NULL) == r, "'%s' and '%s' evaluate apart",
					   text, sbuf_str(&b));
				failif_free(g);
			}
			sbuf_free(&b);
		}
	} else {
		FUZZ_CHECK(!f && err.msg[0] && rc == DK_USAGE, "rc %d, result %p, message '%s'",
			   rc, (void *)f, err.msg);
		if (n < 200 && !strpbrk(text, "\n\r")) {
			/* message \n "  " expression \n "  " spaces caret [~~~] */
			const char *l2 = strchr(err.msg, '\n');
			const char *l3 = l2 ? strchr(l2 + 1, '\n') : NULL;
			FUZZ_CHECK(l3 && !strchr(l3 + 1, '\n') && !strncmp(l2 + 1, "  ", 2) &&
					   (size_t)(l3 - l2 - 3) == n && !memcmp(l2 + 3, text, n),
				   "not three lines with the expression: %s", err.msg);
			const char *caret = strchr(l3 + 1, '^');
			FUZZ_CHECK(caret && !strncmp(l3 + 1, "  ", 2), "no caret: %s", err.msg);
			size_t col = chars(l3 + 3, (size_t)(caret - (l3 + 3)));
			size_t tail = strspn(caret + 1, "~");
			FUZZ_CHECK(caret[1 + tail] == '\0' && col + 1 + tail <= chars(text, n) + 1,
				   "caret past the expression: %s", err.msg);
		}
	}
	free(text);
	return 0;
}
