/* fuzz_casejson.c: libFuzzer target for casejson_expand, which every reader
 * of a case's context, attributions and probabilities runs on what the
 * store holds (an edited store may hold anything). The input is a key list,
 * a newline, then a stored value. Properties:
 *  - no read or write out of bounds (ASan), whatever the bytes;
 *  - an object passes through unchanged;
 *  - an expanded array is an object of the list's keys, in order, of the
 *    array's length plus the keys' and a colon each; when no element is a
 *    string (so none can hold a key's text), taking the keys out again
 *    gives back the array;
 *  - a packed value (numbers, '#') that expands packs again to itself
 *    (casejson_pack of its values, walked with casejson_iter). */
#include "fuzz_util.h"

#include "docket/casejson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	const char *nl = memchr(d, '\n', size);
	size_t kn = nl ? (size_t)(nl - d) : size;
	const char *v = nl ? nl + 1 : "";
	size_t vn = nl ? size - kn - 1 : 0;
	casejson_keys k = {0};
	sbuf out = {0}, back = {0};
	dk_error err;
	if (casejson_keys_set(&k, d, kn) == DK_OK &&
	    casejson_expand(&k, v, vn, &out, "c", "context", &err) == DK_OK) {
		if (vn && v[0] == '#') {
			casejson_iter it;
			casejson_pair p;
			sbuf_addc(&back, '[');
			casejson_iter_start(&it, &k, v, vn);
			while (casejson_iter_next(&it, &p) == 1) {
				if (back.len > 1)
					sbuf_addc(&back, ',');
				sbuf_add(&back, p.val, p.vlen);
			}
			sbuf_addc(&back, ']');
			sbuf repacked = {0};
			int rc = casejson_pack(&repacked, back.buf, back.len);
			FUZZ_CHECK((k.n == 0 && vn == 1) ||
					   (rc == DK_OK && repacked.len == vn &&
					    !memcmp(repacked.buf, v, vn)),
				   "packed %s again differs", sbuf_str(&back));
			sbuf_free(&repacked);
		} else if (!casejson_is_array(v, vn)) {
			FUZZ_CHECK(out.len == vn && !memcmp(out.buf, v, vn),
				   "an object changed");
		} else {
			/* the keys out again: '{' KEY ':' VALUE (',' KEY ':' VALUE)* '}' */
			FUZZ_CHECK(out.len >= 2 && out.buf[0] == '{' &&
					   out.buf[out.len - 1] == '}',
				   "not braced: %s", sbuf_str(&out));
			size_t keys = 0;
			for (size_t i = 0; i < k.n; i++)
				keys += k.klen[i] + 1;
			FUZZ_CHECK(out.len == vn + keys,
				   "length %zu, want %zu: %s", out.len, vn + keys,
				   sbuf_str(&out));
			if (memchr(v, '"', vn))
				goto out;
			size_t at = 1;
			sbuf_addc(&back, '[');
			for (size_t i = 0; i < k.n; i++) {
				const char *key = k.text + k.off[i];
				FUZZ_CHECK(at + k.klen[i] + 1 <= out.len &&
						   !memcmp(out.buf + at, key, k.klen[i]) &&
						   out.buf[at + k.klen[i]] == ':',
					   "key %zu not where it belongs: %s", i,
					   sbuf_str(&out));
				at += k.klen[i] + 1;
				/* the value runs to the next ",KEY:" or the end */
				size_t end = out.len - 1;
				if (i + 1 < k.n) {
					const char *nk = k.text + k.off[i + 1];
					size_t e = at;
					for (; e + k.klen[i + 1] + 1 < out.len; e++)
						if (out.buf[e] == ',' &&
						    !memcmp(out.buf + e + 1, nk, k.klen[i + 1]) &&
						    out.buf[e + 1 + k.klen[i + 1]] == ':')
							break;
					end = e;
				}
				if (i)
					sbuf_addc(&back, ',');
				sbuf_add(&back, out.buf + at, end - at);
				at = end + (i + 1 < k.n);
			}
			sbuf_addc(&back, ']');
			FUZZ_CHECK(back.len == vn && !memcmp(back.buf, v, vn),
				   "keys out again: %s, stored %.*s", sbuf_str(&back),
				   (int)vn, v);
		}
	}
out:
	casejson_keys_free(&k);
	sbuf_free(&out);
	sbuf_free(&back);
	return 0;
}
