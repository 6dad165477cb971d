/* pii_merge.c: the imported context of a case, from its masked context
 * and its personal values (pii_merge.h). A walk over the raw text, not a
 * parse and a print, so that verify digests the bytes the import hashed:
 * PostgreSQL's JSON functions would spell some keys differently. */
#include <string.h>

#include "docket/pii_merge.h"

static size_t pm_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

/* The end of the string at s[i] ('"'), past its closing quote; 0: none. */
static size_t pm_string(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return 0;
}

/* The end of the value at s[i]; 0: none. Containers are walked through
 * (import's contexts hold none, a hand-made one might). */
static size_t pm_value(const char *s, size_t n, size_t i)
{
	if (i >= n)
		return 0;
	if (s[i] == '"')
		return pm_string(s, n, i);
	size_t depth = 0, start = i;
	while (i < n) {
		char c = s[i];
		if (c == '"') {
			if (!depth || !(i = pm_string(s, n, i)))
				return 0;
			continue;
		}
		if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']' || c == ',') {
			if (!depth)
				break;
			if (c != ',')
				depth--;
		} else if (!depth && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
			break;
		}
		i++;
	}
	return depth || i == start ? 0 : i;
}

/* The next member's value in the object p from *j (just past its '{' or
 * a member): [*vs, return). 0: no member left or malformed. */
static size_t pm_next(const char *p, size_t pn, size_t *j, size_t *vs)
{
	size_t i = pm_ws(p, pn, *j);
	if (i < pn && p[i] == ',')
		i = pm_ws(p, pn, i + 1);
	if (i >= pn || p[i] != '"' || !(i = pm_string(p, pn, i)))
		return 0;
	i = pm_ws(p, pn, i);
	if (i >= pn || p[i] != ':')
		return 0;
	*vs = i = pm_ws(p, pn, i + 1);
	if (!(i = pm_value(p, pn, i)))
		return 0;
	*j = i;
	return i;
}

int pii_merge(sbuf *out, const char *m, size_t n, const char *p, size_t pn)
{
	sbuf_reset(out);
	size_t i = pm_ws(m, n, 0), j = pm_ws(p, pn, 0);
	if (i >= n || m[i] != '{' || j >= pn || p[j] != '{')
		goto bad;
	j++;
	sbuf_add(out, m, ++i);
	for (;;) {
		size_t k = pm_ws(m, n, i);
		if (k < n && m[k] == '}')
			break;
		if (k >= n || m[k] != '"')
			goto bad;
		size_t ke = pm_string(m, n, k);
		if (!ke)
			goto bad;
		int pii = ke - k > 6 && !memcmp(m + k, "\"pii:", 5);
		size_t v = pm_ws(m, n, ke);
		if (v >= n || m[v] != ':')
			goto bad;
		v = pm_ws(m, n, v + 1);
		size_t ve = pm_value(m, n, v);
		if (!ve)
			goto bad;
		sbuf_add(out, m + i, v - i); /* up to the value */
		if (pii) {
			size_t vs, pe = pm_next(p, pn, &j, &vs);
			if (!pe)
				goto bad;
			sbuf_add(out, p + vs, pe - vs);
		} else {
			sbuf_add(out, m + v, ve - v);
		}
		i = pm_ws(m, n, ve);
		if (i < n && m[i] == ',') {
			sbuf_add(out, m + ve, i + 1 - ve);
			i++;
		} else if (i >= n || m[i] != '}') {
			goto bad;
		} else {
			sbuf_add(out, m + ve, i - ve);
		}
	}
	/* every personal value placed */
	j = pm_ws(p, pn, j);
	if (j >= pn || p[j] != '}' || pm_ws(p, pn, j + 1) != pn)
		goto bad;
	sbuf_add(out, m + i, n - i);
	return DK_OK;
bad:
	sbuf_reset(out);
	sbuf_add(out, m, n);
	return DK_ERR;
}
