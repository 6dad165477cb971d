/* test_pii_merge.c: a PostgreSQL case's context put back together from
 * its masked context and its pii: members: the bytes the import hashed,
 * whatever the keys' spelling, and an error when the two do not pair up. */
#include "fixture.h"

#include "docket/pii_merge.h"

static int merge(sbuf *out, const char *m, const char *p)
{
	return pii_merge(out, m, strlen(m), p, strlen(p));
}

static void pii_merge__values__back_in_their_places(void **state)
{
	(void)state;
	sbuf out = {0};
	assert_int_equal(merge(&out, "{\"Home\":\"rent\",\"pii:name\":\"(masked)\","
				     "\"Age\":30,\"pii:phone\":\"(masked)\"}",
			       "{\"pii:name\":\"Test A\",\"pii:phone\":\"(200) 555\"}"),
			 DK_OK);
	assert_string_equal(sbuf_str(&out), "{\"Home\":\"rent\",\"pii:name\":\"Test A\","
					    "\"Age\":30,\"pii:phone\":\"(200) 555\"}");
	/* the first member and the last, numbers, null, escapes kept as
	 * they are (PostgreSQL's JSON would spell \u0008 as \b) */
	assert_int_equal(merge(&out, "{\"pii:a\\u0008\\\"\":\"(masked)\",\"x\":\"a,}\\\"b\","
				     "\"pii:n\":\"(masked)\"}",
			       "{\"pii:a\\b\\\"\":\"K\\u00f6ln\\t\\\\\",\"pii:n\":-1.5e3}"),
			 DK_OK);
	assert_string_equal(sbuf_str(&out), "{\"pii:a\\u0008\\\"\":\"K\\u00f6ln\\t\\\\\","
					    "\"x\":\"a,}\\\"b\",\"pii:n\":-1.5e3}");
	/* a value that reads "(masked)" of a field that is not pii: stays */
	assert_int_equal(merge(&out, "{\"note\":\"(masked)\",\"pii:e\":\"(masked)\"}",
			       "{\"pii:e\":null}"),
			 DK_OK);
	assert_string_equal(sbuf_str(&out), "{\"note\":\"(masked)\",\"pii:e\":null}");
	/* a key that only starts like one ("pii" alone) is not personal */
	assert_int_equal(merge(&out, "{\"pii\":\"(masked)\"}", "{}"), DK_OK);
	assert_string_equal(sbuf_str(&out), "{\"pii\":\"(masked)\"}");
	/* nothing personal */
	assert_int_equal(merge(&out, "{}", "{}"), DK_OK);
	assert_string_equal(sbuf_str(&out), "{}");
	sbuf_free(&out);
}

static void pii_merge__not_pairing_up__is_an_error(void **state)
{
	(void)state;
	sbuf out = {0};
	const char *m = "{\"a\":1,\"pii:x\":\"(masked)\"}";
	const char *no[][2] = {
		{m, "{}"},                                 /* a value missing */
		{m, "{\"pii:x\":1,\"pii:y\":2}"},          /* one too many */
		{m, "[1]"},                                /* not an object */
		{m, "{\"pii:x\":}"},                       /* malformed */
		{"{\"a\":1,\"pii:x\"}", "{\"pii:x\":1}"},  /* masked malformed */
		{"{\"a\":1,\"pii:x\":\"(masked)\"", "{\"pii:x\":1}"}, /* cut */
		{"", "{}"},
	};
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
		assert_int_equal(merge(&out, no[i][0], no[i][1]), DK_ERR);
		/* out: the masked context as it was */
		assert_string_equal(sbuf_str(&out), no[i][0]);
	}
	sbuf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pii_merge__values__back_in_their_places),
		cmocka_unit_test(pii_merge__not_pairing_up__is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
