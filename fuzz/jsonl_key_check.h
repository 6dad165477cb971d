/* jsonl_key_check.h: the rule that a JSON Lines import message names the
 * key it is about, as CSV messages name their column. Checked on every
 * refusal by fuzz/fuzz_import.h (fuzz_jsonl) and on every file of
 * tests/broken/ by tests/test_import.c. Include after docket/import.h. */
#ifndef DOCKET_JSONL_KEY_CHECK_H
#define DOCKET_JSONL_KEY_CHECK_H

#include <string.h>

#include "docket/util.h"

/* text[0..n) is the file, msg "…:LINE:COL: REST" its refusal (LINE and
 * COL parsed by the caller, rest is REST). The rule: COL lies inside line
 * LINE (when the file has that line); when byte COL of it lies in a member's
 * value, REST starts with "KEY: " (or "p: " for a key "p:…", the messages
 * about all p: values); when it lies in a key, REST says "key". Returns
 * NULL when msg keeps it, else what is wrong; *in_member says whether COL
 * was in a member. */
static inline const char *jsonl_key_check(const char *text, size_t n, long line,
					  long col, const char *rest, int *in_member)
{
	*in_member = 0;
	size_t at = 0;
	for (long l = 1; l < line; l++) {
		const char *nl = at < n ? memchr(text + at, '\n', n - at) : NULL;
		if (!nl)
			return NULL; /* about a line past the end: nothing to find */
		at = (size_t)(nl - text) + 1;
	}
	if (at >= n)
		return NULL;
	const char *s = text + at;
	const char *nl = memchr(s, '\n', n - at);
	size_t len = nl ? (size_t)(nl - s) : n - at;
	if (line == 1 && len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		s += 3, len -= 3;
	if (len && s[len - 1] == '\r')
		len--;
	if (col < 1 || (size_t)col > (len ? len : 1))
		return "the column is outside the line";
	import_json_span m;
	if (import_json_locate(s, len, (size_t)col - 1, &m) || !m.key_ok)
		return NULL;
	*in_member = 1;
	if (m.in_key)
		return strstr(rest, "key ") ? NULL : "a message at a key does not say \"key\"";
	sbuf key = {0};
	import_json_unquote(s + m.key_off + 1, m.key_len - 2, &key);
	int plain = dk_utf8_valid(key.buf ? key.buf : "", key.len);
	for (size_t i = 0; i < key.len; i++)
		plain &= (unsigned char)key.buf[i] >= 0x20;
	int ok = !plain ||
		 (!strncmp(rest, sbuf_str(&key), key.len) && !strncmp(rest + key.len, ": ", 2)) ||
		 (key.len >= 2 && !memcmp(key.buf, "p:", 2) && !strncmp(rest, "p: ", 3));
	sbuf_free(&key);
	return ok ? NULL : "a message at a value does not start with its key";
}

#endif
