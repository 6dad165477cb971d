/* fuzz_pii_merge.c: libFuzzer target for pii_merge, which puts a
 * PostgreSQL case's personal values back into its masked context by a walk
 * over the raw text (verify digests the result). The first byte picks:
 *  - even: the rest is a masked context and a case_pii object, split at
 *    the first newline (none: "{}"). Properties: no read past either; a
 *    refusal gives back the masked context unchanged;
 *  - odd: the rest describes a context (members split by 0x1e, key and
 *    value by 0x1f; a member's first byte says whether it is personal,
 *    whether its value is a number, and where blanks go), from which the
 *    target writes the imported object, the masked one ("(masked)" for
 *    each pii: value) and the case_pii one (the pii: members, in order).
 *    Property: the merge gives back the imported object byte for byte. */
#include "fuzz_util.h"

#include "docket/pii_merge.h"
#include "docket/util.h"

/* One member of the odd mode's context into each object it belongs to. */
static void add_member(sbuf *o, sbuf *m, sbuf *p, const char *d, size_t n)
{
	unsigned f = n ? (unsigned char)d[0] : 0;
	if (n)
		d++, n--;
	const char *sep = memchr(d, 0x1f, n);
	size_t kn = sep ? (size_t)(sep - d) : n;
	const char *v = sep ? sep + 1 : d + n;
	size_t vn = sep ? n - kn - 1 : 0;
	int pii = f & 1, num = f & 2;
	const char *blank = (f & 4) ? " " : "";
	sbuf key = {0}, val = {0};
	sbuf_adds(&key, pii ? "pii:" : "k");
	sbuf_add(&key, d, kn);
	if (pii && !kn)
		sbuf_addc(&key, 'x'); /* the import refuses a bare "pii:" */
	if (num) {
		sbuf_adds(&val, "-");
		for (size_t i = 0; i < vn && i < 12; i++)
			sbuf_addc(&val, (char)('0' + (unsigned char)v[i] % 10));
		if (val.len == 1)
			sbuf_addc(&val, '0');
	} else {
		sbuf_add_json_str(&val, v, vn);
	}
	sbuf *objs[3] = {o, m, pii ? p : NULL};
	for (int k = 0; k < 3; k++) {
		if (!objs[k])
			continue;
		sbuf *b = objs[k];
		if (b->len > 1)
			sbuf_printf(b, ",%s", blank);
		sbuf_add_json_str(b, key.buf, key.len);
		sbuf_printf(b, "%s:%s", blank, blank);
		if (k == 1 && pii)
			sbuf_adds(b, "\"(masked)\"");
		else
			sbuf_add(b, val.buf, val.len);
	}
	sbuf_free(&key);
	sbuf_free(&val);
}

static void structured(const char *d, size_t n)
{
	sbuf o = {0}, m = {0}, p = {0}, out = {0};
	sbuf_addc(&o, '{');
	sbuf_addc(&m, '{');
	sbuf_addc(&p, '{');
	while (n) {
		const char *end = memchr(d, 0x1e, n);
		size_t len = end ? (size_t)(end - d) : n;
		add_member(&o, &m, &p, d, len);
		d += len;
		n -= len;
		if (end)
			d++, n--;
	}
	sbuf_addc(&o, '}');
	sbuf_addc(&m, '}');
	sbuf_addc(&p, '}');
	int rc = pii_merge(&out, m.buf, m.len, p.buf, p.len);
	FUZZ_CHECK(rc == DK_OK, "refused a context it split itself: %s | %s", m.buf, p.buf);
	FUZZ_CHECK(out.len == o.len && !memcmp(out.buf, o.buf, o.len),
		   "merged\n%.*s\nnot the imported\n%s", (int)out.len, out.buf, o.buf);
	sbuf_free(&o);
	sbuf_free(&m);
	sbuf_free(&p);
	sbuf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	/* copies of exactly their length, so ASan sees a read past them */
	const char *d = (const char *)data + 1;
	size_t n = size - 1;
	if (data[0] & 1) {
		structured(d, n);
		return 0;
	}
	const char *nl = memchr(d, '\n', n);
	size_t mn = nl ? (size_t)(nl - d) : n;
	size_t pn = nl ? n - mn - 1 : 2;
	char *m = malloc(mn ? mn : 1), *p = malloc(pn ? pn : 1);
	if (!m || !p)
		abort();
	memcpy(m, d, mn);
	memcpy(p, nl ? nl + 1 : "{}", pn);
	sbuf out = {0};
	if (pii_merge(&out, m, mn, p, pn) != DK_OK)
		FUZZ_CHECK(out.len == mn && !memcmp(out.buf, m, mn),
			   "a refusal changed the masked context");
	sbuf_free(&out);
	free(m);
	free(p);
	return 0;
}
