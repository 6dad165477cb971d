/* text.c: UTF-8 decoding, display width (wcwidth), cutting and wrapping, and
 * the Unicode or ASCII glyphs screens draw with. */
#include "docket/text.h"

#include "docket/termsafe.h"

#include <langinfo.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>
#include <wctype.h>

static int text_utf8_on = 1;

size_t text_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (n == 0) {
		*cp = 0;
		return 0;
	}
	unsigned char c = u[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	uint32_t v, min;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2; v = c & 0x1f; min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3; v = c & 0x0f; min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4; v = c & 0x07; min = 0x10000;
	} else {
		goto bad;
	}
	if (n < len)
		goto bad;
	for (size_t i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			goto bad;
		v = (v << 6) | (u[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		goto bad;
	*cp = v;
	return len;
bad:
	*cp = 0xfffd;
	return 1;
}

size_t text_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp >= 0xd800 && cp <= 0xdfff)
		cp = 0xfffd;
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	if (cp > 0x10ffff)
		return text_encode(0xfffd, out);
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

int text_cp_width(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f)
		return 1;
	if (cp < 0x7f)
		return 1;
	if (!text_utf8_on)
		return 1;
	int w = wcwidth((wchar_t)cp);
	if (w >= 0)
		return w > 2 ? 2 : w;
	/* Unassigned or non-printable in this locale: shown as one
	 * replacement character. */
	return 1;
}

size_t text_cluster(const char *s, size_t n, int *width)
{
	if (n == 0) {
		if (width)
			*width = 0;
		return 0;
	}
	unsigned char b = (unsigned char)s[0];
	size_t len = 1;
	int w = 1;
	if (b < 0x20 || b >= 0x7f) {
		uint32_t cp;
		len = text_decode(s, n, &cp);
		/* A control, bidi control or invalid byte is shown by termsafe's
		 * replacement (\u001b, \xff, ...): it is a cluster of its own,
		 * as wide as that text, so widths and cuts match what is drawn. */
		size_t vl = termsafe_vis_width(cp, len);
		if (vl) {
			if (width)
				*width = (int)vl;
			return len;
		}
		w = text_cp_width(cp);
	}
	/* Zero-width characters (never ASCII) after a base join its cluster;
	 * a leading zero-width character stands alone (width 0). Controls
	 * never join. */
	if (text_utf8_on) {
		while (len < n && (unsigned char)s[len] >= 0x80) {
			uint32_t next;
			size_t l = text_decode(s + len, n - len, &next);
			if (text_cp_width(next) != 0 || termsafe_vis_width(next, l))
				break;
			len += l;
		}
	}
	if (width)
		*width = w;
	return len;
}

int text_width(const char *s, size_t n)
{
	if (n == TEXT_NUL)
		n = strlen(s);
	int total = 0;
	size_t i = 0;
	while (i < n) {
		int w;
		i += text_cluster(s + i, n - i, &w);
		total += w;
	}
	return total;
}

size_t text_cut(const char *s, size_t n, int maxw, int *used)
{
	if (n == TEXT_NUL)
		n = strlen(s);
	int total = 0;
	size_t i = 0;
	while (i < n) {
		int w;
		size_t l = text_cluster(s + i, n - i, &w);
		if (total + w > maxw)
			break;
		total += w;
		i += l;
	}
	if (used)
		*used = total;
	return i;
}

size_t text_wrap(const char *s, size_t n, int width, size_t *next)
{
	if (n == TEXT_NUL)
		n = strlen(s);
	if (width < 1)
		width = 1;
	int col = 0;
	size_t i = 0;
	size_t brk = 0, brk_next = 0; /* last break opportunity */
	int have_brk = 0;
	while (i < n) {
		if (s[i] == '\n') {
			*next = i + 1;
			return i;
		}
		int w;
		size_t l = text_cluster(s + i, n - i, &w);
		if (s[i] == ' ' || s[i] == '\t') {
			/* Break before this run of spaces; the next line starts
			 * after it. */
			size_t j = i;
			while (j < n && (s[j] == ' ' || s[j] == '\t'))
				j++;
			brk = i;
			brk_next = j;
			have_brk = 1;
			if (col + (int)(j - i) > width) {
				*next = j < n && s[j] == '\n' ? j + 1 : j;
				return i;
			}
			col += (int)(j - i);
			i = j;
			continue;
		}
		if (col + w > width) {
			if (have_brk) {
				*next = brk_next;
				return brk;
			}
			if (i == 0) /* a cluster wider than the line: show it */
				i = l;
			*next = i;
			return i;
		}
		col += w;
		i += l;
	}
	*next = n;
	return n;
}

int text_wrap_count(const char *s, size_t n, int width)
{
	if (n == TEXT_NUL)
		n = strlen(s);
	int lines = 0;
	size_t at = 0;
	while (at < n) {
		size_t next;
		text_wrap(s + at, n - at, width, &next);
		at += next;
		lines++;
	}
	if (n > 0 && s[n - 1] == '\n')
		lines++;
	return lines;
}

void text_set_utf8(int on)
{
	text_utf8_on = on != 0;
}

int text_utf8(void)
{
	return text_utf8_on;
}

int text_set_utf8_from_locale(void)
{
	const char *cs = nl_langinfo(CODESET);
	text_utf8_on = cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
	return text_utf8_on;
}

static const struct text_glyphs text_glyphs_utf8 = {
	.bar = "\u2588",
	.bar_part = {" ", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b",
		     "\u258a", "\u2589"},
	.bar_empty = "\u2591",
	.hline = "\u2500",
	.vline = "\u2502",
	.ellipsis = "\u2026",
	.mask = "\u2022",
	.left = "\u2190",
	.right = "\u2192",
	.up = "\u2191",
	.down = "\u2193",
	.bullet = "\u00b7",
	.spark = {"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586",
		  "\u2587", "\u2588"},
};

static const struct text_glyphs text_glyphs_ascii = {
	.bar = "#",
	/* no eighths: under half a cell looks empty, half or more is '+' */
	.bar_part = {".", ".", ".", ".", "+", "+", "+", "+"},
	.bar_empty = ".",
	.hline = "-",
	.vline = "|",
	.ellipsis = "~",
	.mask = "*",
	.left = "<",
	.right = ">",
	.up = "^",
	.down = "v",
	.bullet = "-",
	.spark = {"_", ".", ":", "-", "=", "+", "*", "#"},
};

const struct text_glyphs *text_glyphs(void)
{
	return text_utf8_on ? &text_glyphs_utf8 : &text_glyphs_ascii;
}

static int text_is_letter(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
	return iswalpha((wint_t)cp) != 0;
}

size_t text_letter_run(const char *s, size_t n, size_t i)
{
	size_t j = i;
	while (j < n) {
		uint32_t cp;
		size_t l = text_decode(s + j, n - j, &cp);
		if (!text_is_letter(cp))
			break;
		j += l;
	}
	return j - i;
}

int text_equal_fold(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;
	while (i < an && j < bn) {
		uint32_t ca, cb;
		i += text_decode(a + i, an - i, &ca);
		j += text_decode(b + j, bn - j, &cb);
		if (ca != cb && towlower((wint_t)ca) != towlower((wint_t)cb))
			return 0;
	}
	return i == an && j == bn;
}
