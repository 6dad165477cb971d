/* termsafe.c: control characters, bidi controls and invalid UTF-8 made
 * visible for the terminal (see termsafe.h for the forms). */
#include "docket/termsafe.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "docket/text.h"

/* Explicit bidi formatting: embeddings, overrides, isolates and the marks.
 * They reorder the text around them, so a name could make a line read as
 * something else. */
static int termsafe_bidi(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

size_t termsafe_vis_width(uint32_t cp, size_t len)
{
	if (cp >= 0x20 && cp < 0x7f)
		return 0;
	if (cp == 0xfffd)
		return len == 1 ? 4 : 0; /* \xff, or a real U+FFFD */
	if (cp == '\t')
		return 1;
	if (cp == '\n' || cp == '\r')
		return 2;
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || termsafe_bidi(cp))
		return 6;
	return 0;
}

size_t termsafe_unit(const char *s, size_t n, unsigned flags,
		     char vis[TERMSAFE_VIS_MAX], size_t *vislen)
{
	*vislen = 0;
	vis[0] = '\0';
	if (n == 0)
		return 0;
	unsigned char b = (unsigned char)s[0];
	if (b >= 0x20 && b < 0x7f)
		return 1; /* printable ASCII: most text, no decoding */
	uint32_t cp;
	size_t len = text_decode(s, n, &cp);
	/* one classifier: termsafe_vis_width says what is replaced */
	if (!termsafe_vis_width(cp, len) ||
	    ((flags & TERMSAFE_LINES) && (cp == '\t' || cp == '\n')))
		return len;
	const char *fixed = cp == '\t' ? " " : cp == '\n' ? "\\n"
			  : cp == '\r' ? "\\r" : NULL;
	int w;
	if (fixed)
		w = snprintf(vis, TERMSAFE_VIS_MAX, "%s", fixed);
	else if (cp == 0xfffd) /* not UTF-8: the byte itself */
		w = snprintf(vis, TERMSAFE_VIS_MAX, "\\x%02x", b);
	else
		w = snprintf(vis, TERMSAFE_VIS_MAX, "\\u%04x", (unsigned)cp);
	*vislen = (size_t)w;
	return len;
}

size_t termsafe_scan(const char *s, size_t n, unsigned flags)
{
	size_t i = 0;
	while (i < n) {
		unsigned char b = (unsigned char)s[i];
		/* plain printable ASCII: the common case, no decoding */
		if (b >= 0x20 && b < 0x7f) {
			i++;
			continue;
		}
		char vis[TERMSAFE_VIS_MAX];
		size_t vl, l = termsafe_unit(s + i, n - i, flags, vis, &vl);
		if (vl)
			return i;
		i += l;
	}
	return n;
}

void termsafe_add(sbuf *out, const char *s, size_t n, unsigned flags)
{
	if (!s)
		return;
	if (n == TEXT_NUL)
		n = strlen(s);
	size_t i = 0;
	while (i < n) {
		size_t ok = termsafe_scan(s + i, n - i, flags);
		sbuf_add(out, s + i, ok);
		i += ok;
		if (i >= n)
			break;
		char vis[TERMSAFE_VIS_MAX];
		size_t vl;
		i += termsafe_unit(s + i, n - i, flags, vis, &vl);
		sbuf_add(out, vis, vl);
	}
}

const char *termsafe_str(const char *s, sbuf *tmp, unsigned flags)
{
	if (!s)
		return "";
	size_t n = strlen(s);
	if (termsafe_scan(s, n, flags) == n)
		return s;
	sbuf_reset(tmp);
	termsafe_add(tmp, s, n, flags);
	return sbuf_str(tmp);
}
