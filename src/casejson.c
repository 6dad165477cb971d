/* casejson.c: stored case values (object, array in the batch's key
 * order, or numbers packed) back into the object text they were imported
 * as: the one decoder of the stored forms. */
#include "docket/casejson.h"

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

/* The packed form of a list of numbers (probabilities, attributions): a
 * '#', then each number's JSON text as 4-bit codes, two to a byte, high
 * first, numbers apart by code 0 (a trailing 0 pads an odd count). No
 * byte is 0: a 0 code follows or precedes a character's, never another
 * 0, as no number is empty. Half the bytes of the text, kept exactly. */
#define CJ_PACKED '#'
static const char cj_sym[16] = {0,   '0', '1', '2', '3', '4', '5', '6',
				'7', '8', '9', '.', '-', 'e', 'E', '+'};
static const unsigned char cj_code[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4,  ['4'] = 5,  ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10, ['.'] = 11, ['-'] = 12,
	['e'] = 13, ['E'] = 14, ['+'] = 15,
};

int casejson_pack(sbuf *out, const char *v, size_t n)
{
	sbuf_reset(out);
	if (n < 3 || v[0] != '[' || v[n - 1] != ']')
		return DK_ERR;
	/* room once (the import packs every row): '#', n - 2 codes, a NUL */
	size_t need = 1 + (n - 2 + 1) / 2 + 1;
	if (out->cap < need) {
		out->buf = dk_xrealloc(out->buf, need);
		out->cap = need;
	}
	unsigned char *o = (unsigned char *)out->buf;
	size_t len = 0, vlen = 0;
	unsigned hi = 0, half = 0;
	o[len++] = CJ_PACKED;
	for (size_t i = 1; i < n - 1; i++) {
		unsigned c;
		if (v[i] == ',') {
			if (!vlen)
				return DK_ERR; /* an empty value: not a number */
			c = 0;
			vlen = 0;
		} else {
			c = cj_code[(unsigned char)v[i]];
			if (!c || ++vlen > CASEJSON_NUM_MAX)
				return DK_ERR;
		}
		if (half)
			o[len++] = (unsigned char)(hi << 4 | c);
		else
			hi = c;
		half = !half;
	}
	if (!vlen)
		return DK_ERR;
	if (half)
		o[len++] = (unsigned char)(hi << 4);
	o[len] = '\0';
	out->len = len;
	return DK_OK;
}

int casejson_is_array(const char *v, size_t n)
{
	return v && n && (v[0] == '[' || v[0] == CJ_PACKED);
}

int casejson_is_packed(const char *v, size_t n)
{
	return v && n && v[0] == CJ_PACKED;
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
	it->packed = v && n && v[0] == CJ_PACKED;
	it->dec = NULL;
	it->dlen = it->dcap = 0;
	if (it->packed) {
		it->at = 0; /* in codes after the '#' */
		it->state = !k->text ? CJ_NOKEYS : n < 2 ? CJ_BAD : CJ_WALK;
		return;
	}
	it->at = n == 2 ? n : 1; /* at >= n: no value left */
	it->state = !k->text ? CJ_NOKEYS
		    : !v || n < 2 || v[0] != '[' || v[n - 1] != ']' ? CJ_BAD
								  : CJ_WALK;
}

void casejson_iter_keep(casejson_iter *it, char *dec, size_t cap)
{
	it->dec = dec;
	it->dlen = 0;
	it->dcap = cap;
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

/* The next value's text: 1; 0 when none is left; -1 when malformed. */
static inline int cj_next_value(casejson_iter *it, const char **val, size_t *vlen)
{
	if (it->packed) {
		/* locals, not it->: the writes to `to` could alias them */
		const unsigned char *b = (const unsigned char *)it->v + 1;
		size_t codes = (it->n - 1) * 2, len = 0, at = it->at;
		char *to = it->dec ? it->dec + it->dlen : it->num;
		size_t room = it->dec ? it->dcap - it->dlen : CASEJSON_NUM_MAX;
		if (room > CASEJSON_NUM_MAX)
			room = CASEJSON_NUM_MAX;
		if (at >= codes)
			return 0;
		/* a byte at a time: its high code (unless the value starts at
		 * its low one), then its low code; both characters at once
		 * where neither code ends the value */
		unsigned byte = b[at >> 1], c;
		int low = at & 1;
		while (at < codes) {
			if (!low) {
				byte = b[at >> 1];
				if ((byte >> 4) && (byte & 15u) && room - len >= 2) {
					to[len] = cj_sym[byte >> 4];
					to[len + 1] = cj_sym[byte & 15u];
					len += 2;
					at += 2;
					continue;
				}
				c = byte >> 4;
				at++;
				if (!c)
					break;
				if (len == room)
					return -1;
				to[len++] = cj_sym[c];
			}
			low = 0;
			c = byte & 15u;
			at++;
			if (!c)
				break;
			if (len == room)
				return -1;
			to[len++] = cj_sym[c];
		}
		it->at = at;
		if (!len)
			return -1;
		if (it->dec)
			it->dlen += len;
		*val = to;
		*vlen = len;
		return 1;
	}
	if (it->at >= it->n)
		return 0;
	size_t end = cj_value(it);
	if (!end)
		return -1;
	*val = it->v + it->at;
	*vlen = end - it->at;
	it->at = cj_after(it, end);
	return 1;
}

/* casejson_iter_next, inlined into casejson_expand (every case load
 * and verify's digest run it per value). */
static inline int cj_iter_next(casejson_iter *it, casejson_pair *p)
{
	if (it->state != CJ_WALK)
		return it->state == CJ_END ? 0 : -1;
	const char *val;
	size_t vlen;
	int r = cj_next_value(it, &val, &vlen);
	if (r == 0) {
		it->state = it->count == it->k->n ? CJ_END : CJ_COUNT;
		return it->state == CJ_END ? 0 : -1;
	}
	if (r == 1 && it->count == it->k->n) {
		/* more values than keys: count the rest for the message */
		do
			it->count++;
		while ((r = cj_next_value(it, &val, &vlen)) == 1);
	}
	if (r != 1) {
		it->state = r ? CJ_BAD : CJ_COUNT;
		return -1;
	}
	p->key = it->k->text + it->k->off[it->count];
	p->klen = it->k->klen[it->count];
	p->val = val;
	p->vlen = vlen;
	it->count++;
	return 1;
}

int casejson_iter_next(casejson_iter *it, casejson_pair *p)
{
	return cj_iter_next(it, p);
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
	size_t need = 2 * n + k->len + 2 * k->n + 3; /* packed: 2 a byte */
	if (out->cap < need) {
		out->buf = dk_xrealloc(out->buf, need);
		out->cap = need;
	}
	char *o = out->buf;
	size_t len = 0;
	o[len++] = '{';
	while ((r = cj_iter_next(&it, &p)) == 1) {
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
static int cj_obj_values(const char *v, size_t n, casejson_value_fn *fn, void *arg)
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

int casejson_values(const casejson_keys *k, const char *v, size_t n,
		    casejson_value_fn *fn, void *arg)
{
	if (!v)
		return DK_OK;
	if (!casejson_is_array(v, n))
		return cj_obj_values(v, n, fn, arg) ? -1 : DK_OK;
	casejson_iter it;
	casejson_pair p;
	int r;
	casejson_iter_start(&it, k, v, n);
	while ((r = casejson_iter_next(&it, &p)) == 1)
		fn(arg, p.val, p.vlen);
	return r ? -1 : DK_OK;
}
