/* casejson.c: stored case values (object, or array in the batch's key
 * order) back into the object text they were imported as. */
#include "docket/casejson.h"

#include <stdlib.h>
#include <string.h>

/* The end of the JSON scalar starting at s[i] (a string, or a bare token:
 * a number, true, false, null), or 0 when there is none. Only what the
 * importer writes is accepted: no whitespace, nothing nested. */
static size_t cj_scalar(const char *s, size_t i, size_t n)
{
	if (i >= n)
		return 0;
	if (s[i] == '"') {
		for (size_t j = i + 1; j < n; j++) {
			if (s[j] == '\\')
				j++;
			else if (s[j] == '"')
				return j + 1;
		}
		return 0;
	}
	size_t j = i;
	for (; j < n && s[j] != ',' && s[j] != ']'; j++)
		if (!strchr("+-.0123456789eEtrufalsn", s[j]) || !s[j])
			return 0;
	return j > i ? j : 0;
}

/* Walk the elements of array s (n bytes): fn(arg, i, start, len) for each.
 * Returns the count, or -1 when s is not an array of scalars (or of
 * strings, with strings set). */
typedef void cj_elem_fn(void *arg, size_t i, size_t start, size_t len);
static long cj_walk(const char *s, size_t n, int strings, cj_elem_fn *fn, void *arg)
{
	if (n < 2 || s[0] != '[' || s[n - 1] != ']')
		return -1;
	if (n == 2)
		return 0;
	size_t i = 1, count = 0;
	for (;;) {
		if (strings && s[i] != '"')
			return -1;
		size_t end = cj_scalar(s, i, n - 1);
		if (!end)
			return -1;
		if (fn)
			fn(arg, count, i, end - i);
		count++;
		if (end == n - 1)
			return (long)count;
		if (s[end] != ',')
			return -1;
		i = end + 1;
	}
}

static void cj_key(void *arg, size_t i, size_t start, size_t len)
{
	casejson_keys *k = arg;
	k->off[i] = start;
	k->klen[i] = len;
}

int casejson_keys_set(casejson_keys *k, const char *t, size_t n)
{
	if (!t) {
		free(k->text);
		k->text = NULL;
		k->len = k->n = 0;
		return DK_OK;
	}
	if (k->text && k->len == n && !memcmp(k->text, t, n))
		return DK_OK;
	long count = cj_walk(t, n, 1, NULL, NULL);
	if (count < 0) {
		casejson_keys_set(k, NULL, 0);
		return DK_ERR;
	}
	free(k->text);
	k->text = dk_xmalloc(n + 1);
	memcpy(k->text, t, n);
	k->text[n] = '\0';
	k->len = n;
	if ((size_t)count > k->cap) {
		k->cap = (size_t)count;
		k->off = dk_xrealloc(k->off, k->cap * sizeof *k->off);
		k->klen = dk_xrealloc(k->klen, k->cap * sizeof *k->klen);
	}
	k->n = (size_t)cj_walk(k->text, n, 1, cj_key, k);
	return DK_OK;
}

void casejson_keys_free(casejson_keys *k)
{
	free(k->text);
	free(k->off);
	free(k->klen);
	memset(k, 0, sizeof *k);
}

int casejson_is_array(const char *v, size_t n)
{
	return v && n && v[0] == '[';
}

struct cj_out {
	const casejson_keys *k;
	const char *v;
	sbuf *out;
	int bad;
};

static void cj_member(void *arg, size_t i, size_t start, size_t len)
{
	struct cj_out *o = arg;
	if (i >= o->k->n) {
		o->bad = 1;
		return;
	}
	if (i)
		sbuf_addc(o->out, ',');
	sbuf_add(o->out, o->k->text + o->k->off[i], o->k->klen[i]);
	sbuf_addc(o->out, ':');
	sbuf_add(o->out, o->v + start, len);
}

int casejson_expand(const casejson_keys *k, const char *v, size_t n, sbuf *out,
		    const char *case_id, const char *what, dk_error *err)
{
	sbuf_reset(out);
	if (!v)
		return DK_EMPTY;
	if (!casejson_is_array(v, n)) {
		sbuf_add(out, v, n);
		return DK_OK;
	}
	if (!k->text)
		return dk_fail(err, "case %s: its %s in the store is a list of "
				    "values, and its batch has no key list",
			       case_id ? case_id : "?", what);
	struct cj_out o = {.k = k, .v = v, .out = out};
	sbuf_addc(out, '{');
	long count = cj_walk(v, n, 0, cj_member, &o);
	sbuf_addc(out, '}');
	if (count < 0)
		return dk_fail(err, "case %s: malformed %s JSON in the store",
			       case_id ? case_id : "?", what);
	if (o.bad || (size_t)count != k->n)
		return dk_fail(err, "case %s: its %s in the store has %ld values, "
				    "its batch's key list %zu",
			       case_id ? case_id : "?", what, count, k->n);
	return DK_OK;
}
