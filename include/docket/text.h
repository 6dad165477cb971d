/* text.h: display width, cutting and wrapping of UTF-8 text for the screens,
 * and the glyphs they draw with (Unicode, or ASCII when the locale is not
 * UTF-8). Widths come from wcwidth(3); nothing here counts bytes as columns. */
#ifndef DOCKET_TEXT_H
#define DOCKET_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Pass as a length to mean "up to the NUL". */
#define TEXT_NUL ((size_t)-1)

/* Decode one code point from s[0..n). Returns the bytes consumed (1..4, and
 * 0 only when n is 0); an invalid or truncated sequence consumes one byte and
 * gives U+FFFD. */
size_t text_decode(const char *s, size_t n, uint32_t *cp);

/* Encode cp as UTF-8 into out (at least 4 bytes). Returns the bytes written. */
size_t text_encode(uint32_t cp, char *out);

/* Columns cp takes: 0 for combining marks and other zero-width characters,
 * 2 for wide (CJK, most emoji), else 1. Control characters count 1 (screens
 * show them as a replacement). When UTF-8 output is off (text_set_utf8(0))
 * every non-ASCII character counts 1, since it is shown as one '?'. */
int text_cp_width(uint32_t cp);

/* The length in bytes of the character cluster at s (a base character and
 * the zero-width characters that follow it); its width in *width (may be
 * NULL). A control character, bidi control or invalid byte is a cluster of
 * its own as wide as the visible text termsafe.h shows for it (a tab: 1).
 * Returns 0 only when n is 0. */
size_t text_cluster(const char *s, size_t n, int *width);

/* Display width of s[0..n) (n may be TEXT_NUL). */
int text_width(const char *s, size_t n);

/* The length in bytes of the longest prefix of s[0..n) whose width is at most
 * maxw, never splitting a cluster; its width in *used (may be NULL). */
size_t text_cut(const char *s, size_t n, int maxw, int *used);

/* One line of s[0..n) wrapped to width columns: returns the bytes of the line
 * (without a trailing newline or the spaces at the break) and sets *next to
 * the offset where the following line starts (n when done). Breaks after
 * spaces where it can, inside a word longer than the width otherwise, and
 * always at '\n'. width < 1 is treated as 1. */
size_t text_wrap(const char *s, size_t n, int width, size_t *next);

/* Count the lines text_wrap makes of s[0..n) at width. */
int text_wrap_count(const char *s, size_t n, int width);

/* Glyph mode: on (the default) draws Unicode block and line glyphs; off
 * draws ASCII and shows non-ASCII text as '?'. Set from the locale once at
 * start (text_set_utf8_from_locale) or explicitly by tests. */
void text_set_utf8(int on);
int text_utf8(void);
/* Turns the mode on when nl_langinfo(CODESET) is UTF-8. Returns the mode. */
int text_set_utf8_from_locale(void);

/* Glyphs for the current mode. Strings are static. */
struct text_glyphs {
	const char *bar;        /* a full bar cell */
	const char *bar_part[8];/* bar cells 0/8 .. 7/8 full ([0] unused); one
				 * equal to bar_empty looks empty */
	const char *bar_empty;  /* the unfilled part of a confidence bar */
	const char *hline;      /* horizontal rule */
	const char *vline;      /* vertical rule */
	const char *ellipsis;   /* marks cut text (width 1) */
	const char *mask;       /* one masked character */
	const char *left;       /* arrows for history / scrolling */
	const char *right;
	const char *up;
	const char *down;
	const char *bullet;
	const char *spark[8];   /* sparkline heights, lowest first */
};
const struct text_glyphs *text_glyphs(void);

/* Case-insensitive search for the ASCII word (a maximal run of letters, as
 * sample-data/README.md defines attribution tokens) starting at s[i]: returns
 * the byte length of the letter run at s[i] (0 if s[i] does not start one).
 * A run is a maximal sequence of letters (iswalpha), at least one. */
size_t text_letter_run(const char *s, size_t n, size_t i);

/* 1 if a[0..an) equals b[0..bn) ignoring case (towlower per code point). */
int text_equal_fold(const char *a, size_t an, const char *b, size_t bn);

#endif
