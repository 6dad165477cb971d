/* casejson.c: stored case values (object, or array in the batch's key
 * order) back into the object text they were imported as. */
#include "docket/casejson.h"

#include "docket/policy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The bytes of a bare token (a number, true, false, null). */
static const unsigned char cj_bare[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['-'] = 1, ['+'] = 1,
	['.'] = 1, ['e'] = 1, ['E'] = 1, ['t'] = 1, ['r'] = 1, ['u'] = 1,
	['f'] = 1, ['a'] = 1, ['l'] = 1, ['s'] = 1, ['n'] = 1,
};

/* The end of the JSON scalar starting at s[i] (a string, or a bare token:
 * a number, true, false, null), or 0 when there is none; the caller checks
 * that a comma or the end follows. Only what the importer writes is
 * accepted: no whitespace, nothing nested. (Every reader of a case runs
 * this per value: memchr and a table, no per-byte strchr.) */
static size_t cj_scalar(const char *s, size_t i, size_t n)
{
	if (i >= n)
		return 0;
	if (s[i] == '"') {
		size_t j = i + 1;
		for (;;) {
			const char *q = j < n ? memchr(s + j, '"', n - j) : NULL;
			if (!q)
				return 0;
			size_t at = (size_t)(q - s), bs = 0;
			while (at - bs > i + 1 && s[at - bs - 1] == '\\')
				bs++;
			if (bs % 2 == 0)
				return at + 1; /* not escaped */
			j = at + 1;
		}
	}
	size_t j = i;
	while (j < n && cj_bare[(unsigned char)s[j]])
		j++;
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

/* Where a walk stands (casejson_iter.state). */
enum { CJ_WALK, CJ_END, CJ_BAD, CJ_COUNT, CJ_NOKEYS };

void casejson_iter_start(casejson_iter *it, const casejson_keys *k, const char *v,
			 size_t n)
{
	it->k = k;
	it->v = v;
	it->n = n;
	it->count = 0;
	it->at = n == 2 ? n : 1; /* at >= n: no value left */
	it->state = !k->text ? CJ_NOKEYS
		    : !v || n < 2 || v[0] != '[' || v[n - 1] != ']' ? CJ_BAD
								  : CJ_WALK;
}

/* After a value ending at v[end]: where the next starts (n: none left). */
static size_t cj_after(const casejson_iter *it, size_t end)
{
	return end == it->n - 1 ? it->n : end + 1;
}

/* The end of the value at it->at, or 0 when it is malformed. */
static size_t cj_value(const casejson_iter *it)
{
	size_t end = cj_scalar(it->v, it->at, it->n - 1);
	return end && (end == it->n - 1 || it->v[end] == ',') ? end : 0;
}

int casejson_iter_next(casejson_iter *it, casejson_pair *p)
{
	if (it->state != CJ_WALK)
		return it->state == CJ_END ? 0 : -1;
	if (it->at >= it->n) {
		it->state = it->count == it->k->n ? CJ_END : CJ_COUNT;
		return it->state == CJ_END ? 0 : -1;
	}
	size_t end = cj_value(it);
	if (end && it->count == it->k->n) {
		/* more values than keys: count the rest for the message */
		for (;;) {
			it->count++;
			it->at = cj_after(it, end);
			if (it->at >= it->n || !(end = cj_value(it)))
				break;
		}
		it->state = end ? CJ_COUNT : CJ_BAD;
		return -1;
	}
	if (!end) {
		it->state = CJ_BAD;
		return -1;
	}
	p->key = it->k->text + it->k->off[it->count];
	p->klen = it->k->klen[it->count];
	p->val = it->v + it->at;
	p->vlen = end - it->at;
	it->count++;
	it->at = cj_after(it, end);
	return 1;
}

int casejson_iter_error(const casejson_iter *it, const char *case_id,
			const char *what, dk_error *err)
{
	const char *id = case_id ? case_id : "?";
	if (it->state == CJ_NOKEYS)
		return dk_fail(err, "case %s: its %s in the store is a list of "
				    "values, and its batch has no key list",
			       id, what);
	if (it->state == CJ_COUNT)
		return dk_fail(err, "case %s: its %s in the store has %zu values, "
				    "its batch's key list %zu",
			       id, what, it->count, it->k->n);
	return dk_fail(err, "case %s: malformed %s JSON in the store", id, what);
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
	casejson_iter it;
	casejson_pair p;
	int r;
	casejson_iter_start(&it, k, v, n);
	/* The object is at most the values, the keys, a colon and a comma
	 * each, and the braces: room once, then plain copies. */
	size_t need = n + k->len + 2 * k->n + 3;
	if (out->cap < need) {
		out->buf = dk_xrealloc(out->buf, need);
		out->cap = need;
	}
	char *o = out->buf;
	size_t len = 0;
	o[len++] = '{';
	while ((r = casejson_iter_next(&it, &p)) == 1) {
		if (it.count > 1)
			o[len++] = ',';
		memcpy(o + len, p.key, p.klen);
		len += p.klen;
		o[len++] = ':';
		memcpy(o + len, p.val, p.vlen);
		len += p.vlen;
	}
	o[len++] = '}';
	o[len] = '\0';
	out->len = len;
	return r ? casejson_iter_error(&it, case_id, what, err) : DK_OK;
}

/* The values of a flat object v (n bytes) as the importer or a database
 * wrote it (spaces allowed between tokens), in order: fn(arg, start,
 * len) each. Returns -1 when v is not such an object. */
static int cj_obj_values(const char *v, size_t n, void (*fn)(void *, const char *, size_t),
			 void *arg)
{
	size_t i = 0;
#define CJ_WS() while (i < n && (v[i] == ' ' || v[i] == '\n' || v[i] == '\t' || v[i] == '\r')) i++
	CJ_WS();
	if (i >= n || v[i++] != '{')
		return -1;
	CJ_WS();
	if (i < n && v[i] == '}')
		return 0;
	for (;;) {
		CJ_WS();
		if (i >= n || v[i] != '"')
			return -1;
		size_t end = cj_scalar(v, i, n);
		if (!end)
			return -1;
		i = end;
		CJ_WS();
		if (i >= n || v[i++] != ':')
			return -1;
		CJ_WS();
		end = cj_scalar(v, i, n);
		if (!end)
			return -1;
		fn(arg, v + i, end - i);
		i = end;
		CJ_WS();
		if (i < n && v[i] == ',') {
			i++;
			continue;
		}
		return i < n && v[i] == '}' ? 0 : -1;
	}
#undef CJ_WS
}

struct cj_feat {
	policy_feat f;
	int bad;
};

/* One probability's JSON text into the features: a number, read back to
 * the double the import parsed (strtod's, which its text reads back as). */
static void cj_feat_add(void *arg, const char *t, size_t n)
{
	struct cj_feat *c = arg;
	double v;
	if (dk_parse_double(t, n, &v))
		c->bad = 1;
	else
		policy_features_add(&c->f, v);
}

int casejson_features(const casejson_keys *k, const char *v, size_t n,
		      double *margin, double *entropy)
{
	struct cj_feat c = {.bad = 0};
	policy_features_start(&c.f);
	*margin = *entropy = NAN;
	if (!v)
		return 0;
	if (casejson_is_array(v, n)) {
		casejson_iter it;
		casejson_pair p;
		int r;
		casejson_iter_start(&it, k, v, n);
		while ((r = casejson_iter_next(&it, &p)) == 1)
			cj_feat_add(&c, p.val, p.vlen);
		if (r)
			c.bad = 1;
	} else if (cj_obj_values(v, n, cj_feat_add, &c)) {
		c.bad = 1;
	}
	if (c.bad)
		return -1;
	policy_features_end(&c.f, margin, entropy);
	return 1;
}
