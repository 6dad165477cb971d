/* import_json.c: a small RFC 8259 scanner that finds where JSON text goes
 * wrong and where an object's members are, for import's error messages
 * (SQLite parses the values; it does not say where a problem is). */
#include "docket/import.h"

#include <string.h>

#define JSCAN_MAX_DEPTH 1000

struct jscan {
	const char *s;
	size_t n, pos;
	const char *what; /* set on the first error */
};

static int jscan_fail(struct jscan *j, const char *what)
{
	if (!j->what)
		j->what = what;
	return 1;
}

static void jscan_ws(struct jscan *j)
{
	while (j->pos < j->n && (j->s[j->pos] == ' ' || j->s[j->pos] == '\t' ||
				 j->s[j->pos] == '\n' || j->s[j->pos] == '\r'))
		j->pos++;
}

static int jscan_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

static int jscan_string(struct jscan *j)
{
	size_t start = j->pos;
	j->pos++; /* opening quote */
	while (j->pos < j->n) {
		unsigned char c = (unsigned char)j->s[j->pos];
		if (c == '"') {
			j->pos++;
			return 0;
		}
		if (c < 0x20)
			return jscan_fail(j, "control character in a string "
					     "(write it as an escape like \\n)");
		if (c == '\\') {
			if (j->pos + 1 >= j->n)
				break;
			char e = j->s[j->pos + 1];
			if (e == 'u') {
				for (size_t k = 2; k < 6; k++)
					if (j->pos + k >= j->n ||
					    !jscan_hex(j->s[j->pos + k])) {
						j->pos += k;
						return jscan_fail(j, "bad \\u escape");
					}
				j->pos += 6;
				continue;
			}
			if (!strchr("\"\\/bfnrt", e) || e == '\0') {
				j->pos++;
				return jscan_fail(j, "bad escape in a string");
			}
			j->pos += 2;
			continue;
		}
		j->pos++;
	}
	/* Point at the quote that opens it, not past the end of the line. */
	j->pos = start;
	return jscan_fail(j, "unterminated string (no closing quote)");
}

static int jscan_digits(struct jscan *j)
{
	size_t start = j->pos;
	while (j->pos < j->n && j->s[j->pos] >= '0' && j->s[j->pos] <= '9')
		j->pos++;
	return j->pos == start;
}

/* A bad number: at the offending byte, or at its start when the line ends
 * first. */
static int jscan_bad_number(struct jscan *j, size_t start, const char *what)
{
	if (j->pos >= j->n)
		j->pos = start;
	return jscan_fail(j, what);
}

static int jscan_number(struct jscan *j)
{
	size_t start = j->pos;
	if (j->s[j->pos] == '-')
		j->pos++;
	if (j->pos < j->n && j->s[j->pos] == '0') {
		j->pos++;
	} else if (jscan_digits(j)) {
		return jscan_bad_number(j, start, "bad number");
	}
	if (j->pos < j->n && j->s[j->pos] == '.') {
		j->pos++;
		if (jscan_digits(j))
			return jscan_bad_number(j, start,
						"bad number (digits must follow '.')");
	}
	if (j->pos < j->n && (j->s[j->pos] == 'e' || j->s[j->pos] == 'E')) {
		j->pos++;
		if (j->pos < j->n && (j->s[j->pos] == '+' || j->s[j->pos] == '-'))
			j->pos++;
		if (jscan_digits(j))
			return jscan_bad_number(j, start,
						"bad number (digits must follow 'e')");
	}
	return 0;
}

static int jscan_value(struct jscan *j, int depth);

static int jscan_container(struct jscan *j, int depth, char close)
{
	if (depth >= JSCAN_MAX_DEPTH)
		return jscan_fail(j, "nested too deeply");
	size_t start = j->pos;
	j->pos++; /* opening bracket */
	jscan_ws(j);
	if (j->pos < j->n && j->s[j->pos] == close) {
		j->pos++;
		return 0;
	}
	for (;;) {
		if (close == '}') {
			jscan_ws(j);
			if (j->pos >= j->n || j->s[j->pos] != '"')
				return jscan_fail(j, "expected a key in double quotes");
			if (jscan_string(j))
				return 1;
			jscan_ws(j);
			if (j->pos >= j->n || j->s[j->pos] != ':')
				return jscan_fail(j, "expected ':' after a key");
			j->pos++;
		}
		if (jscan_value(j, depth + 1))
			return 1;
		if (j->pos < j->n && j->s[j->pos] == ',') {
			j->pos++;
			continue;
		}
		if (j->pos < j->n && j->s[j->pos] == close) {
			j->pos++;
			return 0;
		}
		if (j->pos >= j->n) {
			j->pos = start; /* the bracket left open */
			return jscan_fail(j, close == '}' ? "unexpected end of line (no closing '}')"
							  : "unexpected end of line (no closing ']')");
		}
		return jscan_fail(j, close == '}' ? "expected ',' or '}'"
						  : "expected ',' or ']'");
	}
}

static int jscan_value(struct jscan *j, int depth)
{
	jscan_ws(j);
	if (j->pos >= j->n)
		return jscan_fail(j, "unexpected end of line (a value is missing)");
	char c = j->s[j->pos];
	int rc;
	if (c == '{')
		rc = jscan_container(j, depth, '}');
	else if (c == '[')
		rc = jscan_container(j, depth, ']');
	else if (c == '"')
		rc = jscan_string(j);
	else if (c == '-' || (c >= '0' && c <= '9'))
		rc = jscan_number(j);
	else if (j->n - j->pos >= 4 && !memcmp(j->s + j->pos, "true", 4)) {
		j->pos += 4;
		rc = 0;
	} else if (j->n - j->pos >= 5 && !memcmp(j->s + j->pos, "false", 5)) {
		j->pos += 5;
		rc = 0;
	} else if (j->n - j->pos >= 4 && !memcmp(j->s + j->pos, "null", 4)) {
		j->pos += 4;
		rc = 0;
	} else
		rc = jscan_fail(j, "unexpected character");
	if (rc)
		return rc;
	jscan_ws(j);
	return 0;
}

size_t import_json_error(const char *s, size_t n, const char **what)
{
	struct jscan j = {s, n, 0, NULL};
	if (!jscan_value(&j, 0) && j.pos < n)
		jscan_fail(&j, "unexpected text after the JSON value");
	if (what)
		*what = j.what;
	if (!j.what)
		return n;
	/* An error found at the end of the line is shown on its last byte
	 * that is not a space (what is left open points at its opening
	 * itself), so the column is always inside the line. */
	if (j.pos >= n) {
		j.pos = n ? n - 1 : 0;
		while (j.pos > 0 && (s[j.pos] == ' ' || s[j.pos] == '\t' ||
				     s[j.pos] == '\r' || s[j.pos] == '\n'))
			j.pos--;
	}
	return j.pos;
}

/* The value of a member ends before the spaces after it. */
static size_t jscan_trim_end(const struct jscan *j, size_t from)
{
	size_t e = j->pos;
	while (e > from && (j->s[e - 1] == ' ' || j->s[e - 1] == '\t' ||
			    j->s[e - 1] == '\r' || j->s[e - 1] == '\n'))
		e--;
	return e;
}

#define JSCAN_NONE ((size_t)-1)

/* Walk the members of the top-level object in s[0..n) until member idx, or
 * the member whose key or value holds byte off (JSCAN_NONE: not that way).
 * A member whose key or value does not scan ends the walk: it is the one
 * sought when off lies at or after its start (the first syntax error of a
 * text is inside it), or when it is member idx and its key scanned
 * (m->val_ok says whether its value did). Returns 0 and fills *m, or 1. */
static int jscan_walk(const char *s, size_t n, size_t idx, size_t off,
		      import_json_span *m)
{
	struct jscan j = {s, n, 0, NULL};
	memset(m, 0, sizeof *m);
	jscan_ws(&j);
	if (j.pos >= n || s[j.pos] != '{')
		return 1;
	j.pos++;
	for (size_t i = 0;; i++) {
		jscan_ws(&j);
		if (j.pos >= n || s[j.pos] != '"' || off < j.pos)
			return 1;
		memset(m, 0, sizeof *m);
		m->idx = i;
		m->key_off = j.pos;
		if (jscan_string(&j)) {
			m->key_len = n - m->key_off;
			m->val_off = n;
			m->in_key = 1;
			return off == JSCAN_NONE;
		}
		m->key_ok = 1;
		m->key_len = j.pos - m->key_off;
		if (off < j.pos) {
			m->val_off = j.pos;
			m->in_key = 1;
			return 0;
		}
		jscan_ws(&j);
		if (j.pos >= n || s[j.pos] != ':')
			return 1;
		j.pos++;
		jscan_ws(&j);
		m->val_off = j.pos;
		if (m->val_off >= n) /* a key with no value (found by fuzz/fuzz_jsonl.c) */
			return 1;
		if (off < m->val_off)
			return 1;
		if (jscan_value(&j, 1)) {
			m->val_len = n - m->val_off;
			return !(i == idx || off != JSCAN_NONE);
		}
		m->val_len = jscan_trim_end(&j, m->val_off) - m->val_off;
		m->val_ok = 1;
		if (i == idx || off < m->val_off + m->val_len)
			return 0;
		if (j.pos >= n || s[j.pos] != ',')
			return 1;
		j.pos++;
	}
}

int import_json_member(const char *s, size_t n, size_t idx, size_t *key_off,
		       size_t *val_off)
{
	import_json_span m;
	if (jscan_walk(s, n, idx, JSCAN_NONE, &m))
		return 1;
	*key_off = m.key_off;
	*val_off = m.val_off;
	return 0;
}

int import_json_span_of(const char *s, size_t n, size_t idx, import_json_span *m)
{
	return jscan_walk(s, n, idx, JSCAN_NONE, m) || !m->val_ok;
}

int import_json_locate(const char *s, size_t n, size_t off, import_json_span *m)
{
	if (off >= n)
		return 1;
	return jscan_walk(s, n, JSCAN_NONE, off, m);
}

/* The value of hex digits s[0..4) (checked by the caller). */
static unsigned jscan_hex4(const char *s)
{
	unsigned v = 0;
	for (int k = 0; k < 4; k++) {
		char c = s[k];
		v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

static void jscan_put_utf8(sbuf *out, unsigned cp)
{
	char b[4];
	size_t len;
	if (cp < 0x80) {
		b[0] = (char)cp, len = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3F)), len = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12), b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F)), len = 3;
	} else {
		b[0] = (char)(0xF0 | cp >> 18), b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3F)), b[3] = (char)(0x80 | (cp & 0x3F));
		len = 4;
	}
	sbuf_add(out, b, len);
}

void import_json_unquote(const char *s, size_t n, sbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 >= n) {
			sbuf_addc(out, s[i]);
			continue;
		}
		char e = s[++i];
		const char *simple = strchr("\"\\/bfnrt", e);
		if (simple && e) {
			sbuf_addc(out, "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"]);
			continue;
		}
		if (e != 'u' || i + 5 > n || !jscan_hex(s[i + 1]) || !jscan_hex(s[i + 2]) ||
		    !jscan_hex(s[i + 3]) || !jscan_hex(s[i + 4])) {
			sbuf_addc(out, '\\'); /* not an escape: as written */
			sbuf_addc(out, e);
			continue;
		}
		unsigned cp = jscan_hex4(s + i + 1);
		i += 4;
		if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < n && s[i + 1] == '\\' &&
		    s[i + 2] == 'u' && jscan_hex(s[i + 3]) && jscan_hex(s[i + 4]) &&
		    jscan_hex(s[i + 5]) && jscan_hex(s[i + 6])) {
			unsigned lo = jscan_hex4(s + i + 3);
			if (lo >= 0xDC00 && lo < 0xE000) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i += 6;
			}
		}
		if (cp >= 0xD800 && cp < 0xE000)
			cp = 0xFFFD; /* a lone surrogate */
		jscan_put_utf8(out, cp);
	}
}

size_t import_json_nul_escape(const char *s, size_t n)
{
	int in_string = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"') {
			in_string = !in_string;
		} else if (in_string && s[i] == '\\' && i + 1 < n) {
			if (s[i + 1] == 'u' && i + 6 <= n && !memcmp(s + i + 2, "0000", 4))
				return i;
			i++; /* skip the escaped character */
		}
	}
	return n;
}
