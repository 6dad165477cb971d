/* test_casejson.c: stored case values back into the objects they were
 * imported as: objects pass through, arrays get their batch's keys, and a
 * value that does not fit its key list is an error naming the case. */
#include "fixture.h"

#include "docket/casejson.h"

static void keys(casejson_keys *k, const char *t)
{
	assert_int_equal(casejson_keys_set(k, t, t ? strlen(t) : 0), DK_OK);
}

static int expand(const casejson_keys *k, const char *v, sbuf *out, dk_error *err)
{
	return casejson_expand(k, v, v ? strlen(v) : 0, out, "c-7", "context", err);
}

static void casejson_expand__object__passes_through(void **state)
{
	(void)state;
	casejson_keys k = {0};
	sbuf out = {0};
	dk_error err = {{0}};
	keys(&k, "[\"a\"]");
	const char *obj = "{\"x\":\"1\",\"y\":2}";
	assert_int_equal(expand(&k, obj, &out, &err), DK_OK);
	assert_string_equal(sbuf_str(&out), obj);
	assert_int_equal(expand(&k, "{}", &out, &err), DK_OK);
	assert_string_equal(sbuf_str(&out), "{}");
	/* NULL stays NULL */
	assert_int_equal(expand(&k, NULL, &out, &err), DK_EMPTY);
	assert_int_equal(out.len, 0);
	sbuf_free(&out);
	casejson_keys_free(&k);
}

static void casejson_expand__array__gets_keys_in_order(void **state)
{
	(void)state;
	casejson_keys k = {0};
	sbuf out = {0};
	dk_error err = {{0}};
	/* keys with escapes keep their JSON text; values are copied as
	 * written (number text, strings with escapes, true/false/null) */
	keys(&k, "[\"Age\",\"q\\\"uote\",\"pii:name\",\"n\",\"b\",\"z\"]");
	assert_int_equal(expand(&k, "[\"50\",-0.1230,\"A, \\\"B\\\" ]\",1e5,true,null]",
				&out, &err),
			 DK_OK);
	assert_string_equal(sbuf_str(&out),
			    "{\"Age\":\"50\",\"q\\\"uote\":-0.1230,"
			    "\"pii:name\":\"A, \\\"B\\\" ]\",\"n\":1e5,\"b\":true,"
			    "\"z\":null}");
	keys(&k, "[]");
	assert_int_equal(expand(&k, "[]", &out, &err), DK_OK);
	assert_string_equal(sbuf_str(&out), "{}");
	sbuf_free(&out);
	casejson_keys_free(&k);
}

static void casejson_expand__mismatch__names_the_case(void **state)
{
	(void)state;
	casejson_keys k = {0};
	sbuf out = {0};
	dk_error err = {{0}};
	keys(&k, "[\"a\",\"b\"]");
	assert_int_equal(expand(&k, "[1]", &out, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "case c-7"));
	assert_non_null(strstr(err.msg, "1 values"));
	assert_int_equal(expand(&k, "[1,2,3]", &out, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "case c-7"));
	static const char *const bad[] = {"[1,2", "[1,,2]", "[1, 2]", "[\"a,2]",
					  "[[1],2]", "[{},2]", "[1,2]x", "[",
					  "[1,]", "[,2]", "[1,2,]", "[1,2,3,]"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err.msg[0] = '\0';
		assert_int_equal(expand(&k, bad[i], &out, &err), DK_ERR);
		assert_non_null(strstr(err.msg, "case c-7: malformed context"));
	}
	/* an array where the batch has no list */
	casejson_keys none = {0};
	assert_int_equal(expand(&none, "[1,2]", &out, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "case c-7"));
	sbuf_free(&out);
	casejson_keys_free(&k);
}

static void casejson_keys_set__not_strings__is_an_error(void **state)
{
	(void)state;
	casejson_keys k = {0};
	static const char *const bad[] = {"[1]", "{\"a\":1}", "[\"a\",2]", "", "[\"a\""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(casejson_keys_set(&k, bad[i], strlen(bad[i])), DK_ERR);
	assert_null(k.text);
	/* set again with the same text: kept; with another: replaced */
	keys(&k, "[\"a\"]");
	const char *held = k.text;
	keys(&k, "[\"a\"]");
	assert_ptr_equal(k.text, held);
	keys(&k, "[\"a\",\"b\"]");
	assert_int_equal(k.n, 2);
	casejson_keys_free(&k);
}

/* Walk v with k: "KEY=VALUE;" per pair into out; the last result. */
static int walk(const casejson_keys *k, const char *v, sbuf *out)
{
	casejson_iter it;
	casejson_pair p;
	int r;
	sbuf_reset(out);
	casejson_iter_start(&it, k, v, strlen(v));
	while ((r = casejson_iter_next(&it, &p)) == 1)
		sbuf_printf(out, "%.*s=%.*s;", (int)p.klen, p.key, (int)p.vlen, p.val);
	/* after the end or an error, it stays there */
	assert_int_equal(casejson_iter_next(&it, &p), r);
	return r;
}

static void casejson_iter__pairs__in_key_order_as_stored(void **state)
{
	(void)state;
	casejson_keys k = {0};
	sbuf out = {0};
	dk_error err = {{0}};
	keys(&k, "[\"a\",\"b\\\\c\",\"d\"]");
	assert_int_equal(walk(&k, "[\"x,y\",-1.50,null]", &out), 0);
	assert_string_equal(sbuf_str(&out), "\"a\"=\"x,y\";\"b\\\\c\"=-1.50;\"d\"=null;");
	/* too few values: the pairs there are, then the count */
	assert_int_equal(walk(&k, "[1,2]", &out), -1);
	assert_string_equal(sbuf_str(&out), "\"a\"=1;\"b\\\\c\"=2;");
	casejson_iter it;
	casejson_pair p;
	casejson_iter_start(&it, &k, "[1,2,3,4,5]", 11);
	for (int i = 0; i < 3; i++)
		assert_int_equal(casejson_iter_next(&it, &p), 1);
	assert_int_equal(casejson_iter_next(&it, &p), -1);
	assert_int_equal(casejson_iter_error(&it, "c-9", "attributions", &err), DK_ERR);
	assert_string_equal(err.msg, "case c-9: its attributions in the store has 5 "
				     "values, its batch's key list 3");
	/* more values than keys, and a malformed one among them */
	assert_int_equal(walk(&k, "[1,2,3,4,x]", &out), -1);
	casejson_iter_start(&it, &k, "[1,2,3,4,x]", 11);
	while (casejson_iter_next(&it, &p) == 1)
		;
	casejson_iter_error(&it, "c-9", "context", &err);
	assert_string_equal(err.msg, "case c-9: malformed context JSON in the store");
	keys(&k, "[]");
	assert_int_equal(walk(&k, "[]", &out), 0);
	assert_int_equal(out.len, 0);
	sbuf_free(&out);
	casejson_keys_free(&k);
}

/* Numbers packed (probabilities, attributions; schema 8): half the bytes,
 * read back as the text imported, whatever its form (exponents, signs,
 * trailing zeros); anything else is left as it is. */
static void casejson_pack__numbers__half_size_same_text(void **state)
{
	(void)state;
	casejson_keys k = {0};
	sbuf packed = {0}, out = {0};
	dk_error err = {{0}};
	keys(&k, "[\"a\",\"b\",\"c\",\"d\"]");
	const char *arr = "[-0.1230,1E+5,0.50,2e-7]";
	assert_int_equal(casejson_pack(&packed, arr, strlen(arr)), DK_OK);
	assert_int_equal(packed.buf[0], '#');
	assert_int_equal(packed.len, 1 + (strlen(arr) - 2 + 1) / 2);
	assert_null(memchr(packed.buf, '\0', packed.len));
	assert_int_equal(casejson_is_array(packed.buf, packed.len), 1);
	assert_int_equal(casejson_expand(&k, packed.buf, packed.len, &out, "c", "x", &err),
			 DK_OK);
	assert_string_equal(sbuf_str(&out), "{\"a\":-0.1230,\"b\":1E+5,\"c\":0.50,"
					    "\"d\":2e-7}");
	/* kept: every value stays readable to the end of the walk */
	char dec[64];
	casejson_iter it;
	casejson_pair p[4];
	casejson_iter_start(&it, &k, packed.buf, packed.len);
	casejson_iter_keep(&it, dec, sizeof dec);
	for (int i = 0; i < 4; i++)
		assert_int_equal(casejson_iter_next(&it, &p[i]), 1);
	assert_int_equal(casejson_iter_next(&it, &p[0]), 0);
	assert_int_equal(p[1].vlen, 4);
	assert_memory_equal(p[1].val, "1E+5", 4);
	/* too few values for the keys, or a damaged one: named */
	keys(&k, "[\"a\",\"b\",\"c\",\"d\",\"e\"]");
	assert_int_equal(casejson_expand(&k, packed.buf, packed.len, &out, "c", "x", &err),
			 DK_ERR);
	assert_non_null(strstr(err.msg, "has 4 values, its batch's key list 5"));
	assert_int_equal(casejson_expand(&k, "#\x20\x02", 3, &out, "c", "x", &err), DK_ERR);
	assert_non_null(strstr(err.msg, "malformed x JSON"));
	/* not numbers, none, or a number too long: not packed */
	static const char *const no[] = {"[\"a\"]", "[]", "[1,,2]", "[true]", "[1,null]",
					 "{\"a\":1}",
					 "[1.00000000000000000000000000000000000000000000001]"};
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		assert_int_equal(casejson_pack(&packed, no[i], strlen(no[i])), DK_ERR);
	sbuf_free(&packed);
	sbuf_free(&out);
	casejson_keys_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(casejson_expand__object__passes_through),
		cmocka_unit_test(casejson_expand__array__gets_keys_in_order),
		cmocka_unit_test(casejson_expand__mismatch__names_the_case),
		cmocka_unit_test(casejson_keys_set__not_strings__is_an_error),
		cmocka_unit_test(casejson_iter__pairs__in_key_order_as_stored),
		cmocka_unit_test(casejson_pack__numbers__half_size_same_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
