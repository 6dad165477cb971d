/* termsafe.h: the one function that makes text safe to show on a terminal:
 * control characters, bidi controls and invalid UTF-8 become visible
 * escapes, so data (names, ids, notes, reasons) can neither send terminal
 * commands nor reorder what a reader sees. Files keep data exactly; this is
 * only for what reaches a person's terminal. */
#ifndef DOCKET_TERMSAFE_H
#define DOCKET_TERMSAFE_H

#include <stddef.h>
#include <stdint.h>

#include "docket/util.h"

/* What is shown instead:
 *   TAB, LF, CR                  \t \n \r  (TAB and LF kept with TERMSAFE_LINES)
 *   other C0 (U+0000-U+001F), DEL \u001b, \u007f
 *   C1 (U+0080-U+009F)           \u009b
 *   bidi controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069)
 *                                \u202e
 *   a byte that is not UTF-8     \xff  (each such byte)
 * The code point forms are also JSON's escapes, so JSON text shown this way
 * stays JSON. A backslash in the data is shown as it is. */

/* Flags. */
enum {
	/* Keep LF and TAB as they are (messages and line-based output); without
	 * it (a table cell, a screen cell) LF is \n and TAB one space. */
	TERMSAFE_LINES = 1 << 0,
};

/* The longest replacement (\u202e), with its NUL. */
#define TERMSAFE_VIS_MAX 8

/* Look at the unit (one character, or one invalid byte) at s[0..n), n > 0.
 * Returns the bytes it takes. When it must be shown otherwise, writes the
 * NUL-terminated ASCII replacement into vis and its length into *vislen;
 * else sets *vislen to 0. */
size_t termsafe_unit(const char *s, size_t n, unsigned flags,
		     char vis[TERMSAFE_VIS_MAX], size_t *vislen);

/* The width (in ASCII characters) of what termsafe_unit shows, without
 * flags, for the character cp that text_decode read in len bytes (an
 * invalid byte: U+FFFD in 1 byte); 0 when it is shown as it is. For code
 * that has decoded already (text.h's widths). */
size_t termsafe_vis_width(uint32_t cp, size_t len);

/* The offset of the first unit of s[0..n) that needs a replacement, or n
 * when s can be shown as it is. */
size_t termsafe_scan(const char *s, size_t n, unsigned flags);

/* Append s[0..n) (n may be TEXT_NUL from text.h; s NULL appends nothing)
 * to out with every unit that needs it replaced. */
void termsafe_add(sbuf *out, const char *s, size_t n, unsigned flags);

/* s (NULL: "") as it can be shown: s itself when nothing needs replacing,
 * else the replaced text held in tmp (reset first). Valid while s and tmp
 * are. */
const char *termsafe_str(const char *s, sbuf *tmp, unsigned flags);

#endif
