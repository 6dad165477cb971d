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
	return jscan_fail(j, "unterminated string");
}

static int jscan_digits(struct jscan *j)
{
	size_t start = j->pos;
	while (j->pos < j->n && j->s[j->pos] >= '0' && j->s[j->pos] <= '9')
		j->pos++;
	return j->pos == start;
}

static int jscan_number(struct jscan *j)
{
	if (j->s[j->pos] == '-')
		j->pos++;
	if (j->pos < j->n && j->s[j->pos] == '0') {
		j->pos++;
	} else if (jscan_digits(j)) {
		return jscan_fail(j, "bad number");
	}
	if (j->pos < j->n && j->s[j->pos] == '.') {
		j->pos++;
		if (jscan_digits(j))
			return jscan_fail(j, "bad number (digits must follow '.')");
	}
	if (j->pos < j->n && (j->s[j->pos] == 'e' || j->s[j->pos] == 'E')) {
		j->pos++;
		if (j->pos < j->n && (j->s[j->pos] == '+' || j->s[j->pos] == '-'))
			j->pos++;
		if (jscan_digits(j))
			return jscan_fail(j, "bad number (digits must follow 'e')");
	}
	return 0;
}

static int jscan_value(struct jscan *j, int depth);

static int jscan_container(struct jscan *j, int depth, char close)
{
	if (depth >= JSCAN_MAX_DEPTH)
		return jscan_fail(j, "nested too deeply");
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
		if (j->pos >= j->n)
			return jscan_fail(j, close == '}' ? "unexpected end of line (no closing '}')"
							  : "unexpected end of line (no closing ']')");
		return jscan_fail(j, close == '}' ? "expected ',' or '}'"
						  : "expected ',' or ']'");
	}
}

static int jscan_value(struct jscan *j, int depth)
{
	jscan_ws(j);
	if (j->pos >= j->n)
		return jscan_fail(j, "unexpected end of line");
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
	return j.pos < n ? j.pos : n;
}

int import_json_member(const char *s, size_t n, size_t idx, size_t *key_off,
		       size_t *val_off)
{
	struct jscan j = {s, n, 0, NULL};
	jscan_ws(&j);
	if (j.pos >= n || s[j.pos] != '{')
		return 1;
	j.pos++;
	for (size_t i = 0;; i++) {
		jscan_ws(&j);
		if (j.pos >= n || s[j.pos] != '"')
			return 1;
		size_t k = j.pos;
		if (jscan_string(&j))
			return 1;
		jscan_ws(&j);
		if (j.pos >= n || s[j.pos] != ':')
			return 1;
		j.pos++;
		jscan_ws(&j);
		size_t v = j.pos;
		if (v >= n) /* a key with no value (found by fuzz/fuzz_jsonl.c) */
			return 1;
		if (i == idx) {
			*key_off = k;
			*val_off = v;
			return 0;
		}
		if (jscan_value(&j, 1))
			return 1;
		if (j.pos >= n || s[j.pos] != ',')
			return 1;
		j.pos++;
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
