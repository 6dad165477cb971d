/* screen.h: the screen model: a grid of cells (one character cluster, a
 * colour role and attributes each) that views draw into and the terminal
 * layer paints. Tests read it back as plain text. No terminal code here. */
#ifndef DOCKET_SCREEN_H
#define DOCKET_SCREEN_H

#include <stddef.h>
#include <stdint.h>

/* Attributes a cell adds to its role's own (theme.h gives each role some). */
enum screen_attr {
	SCREEN_BOLD = 1 << 0,
	SCREEN_UNDERLINE = 1 << 1,
	SCREEN_REVERSE = 1 << 2,
	SCREEN_DIM = 1 << 3,
	SCREEN_ITALIC = 1 << 4,
};

/* One cell. ch holds a NUL-terminated UTF-8 cluster; width is 1 or 2 for a
 * cell that starts a character, 0 for the right half of a wide one. */
struct screen_cell {
	char ch[16];
	uint8_t width;
	uint8_t role;  /* a THEME_ROLE_* value */
	uint8_t attrs; /* screen_attr bits */
};

typedef struct screen {
	int w, h;
	struct screen_cell *cells; /* h rows of w cells */
	int cursor_y, cursor_x;    /* where the terminal cursor goes; -1: hidden */
	/* Writes whose text did not fit and lost its end with no mark
	 * (screen_put; screen_put_cut marks its cuts), and the row of the last
	 * one: tests check a view cuts nothing unseen. screen_clear zeroes. */
	int cut_silent, cut_y;
} screen;

/* A w x h screen of blanks (w, h clamped to >= 1). Free with screen_free. */
screen *screen_new(int w, int h);
void screen_free(screen *scr);

/* Change the size; the content is cleared. */
void screen_resize(screen *scr, int w, int h);

/* Fill with blanks of role 0 (normal) and hide the cursor. */
void screen_clear(screen *scr);

/* The cell at (y, x), or NULL outside the screen. */
struct screen_cell *screen_at(screen *scr, int y, int x);
const struct screen_cell *screen_cell(const screen *scr, int y, int x);

/* Write s[0..n) (n may be TEXT_NUL) at row y from column x, at most maxw
 * columns (maxw < 0: to the right edge), in role with attrs. Text is clipped
 * by display width, never splitting a character; a wide character that does
 * not fit whole is left out. A tab is shown as a space; other control
 * characters, bidi controls and invalid UTF-8 as termsafe.h's visible text
 * (\u001b, \xff), never raw; U+FFFD, and without UTF-8 output
 * (text_set_utf8(0)) every non-ASCII character, as '?'. Returns the columns
 * written. */
int screen_put(screen *scr, int y, int x, int maxw, int role, int attrs,
	       const char *s, size_t n);

/* As screen_put, but when s does not fit its end is replaced by the
 * ellipsis glyph so the cut shows. */
int screen_put_cut(screen *scr, int y, int x, int maxw, int role, int attrs,
		   const char *s, size_t n);

/* printf into the screen (clipped as screen_put). */
int screen_printf(screen *scr, int y, int x, int maxw, int role, int attrs,
		  const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Repeat glyph (one cluster of width 1) count times from (y, x). */
void screen_fill(screen *scr, int y, int x, int count, int role, int attrs,
		 const char *glyph);

/* Set role and attrs of count cells from (y, x), keeping their text. */
void screen_paint_role(screen *scr, int y, int x, int count, int role,
		       int attrs);

/* Row y as text, trailing blanks removed. Returns malloc'd text (caller
 * frees). */
char *screen_row_text(const screen *scr, int y);

/* The whole screen as text: one line per row ending in '\n', trailing
 * blanks removed. Returns malloc'd text (caller frees). */
char *screen_text(const screen *scr);

/* Row y as roles: one character per column, 'a' + role (so tests can check
 * where a colour falls). Returns malloc'd text (caller frees). */
char *screen_row_roles(const screen *scr, int y);

/* ---- shared by every view, so screens cannot disagree ---- */

/* The text screens show for a missing value (NULL or empty), in
 * THEME_ROLE_DIM: one convention for the review and supervise screens. */
#define SCREEN_MISSING "-"

/* s, or SCREEN_MISSING when s is NULL or "". */
const char *screen_or_missing(const char *s);

/* "1 entry", "3 entries": n and the noun that fits it (one or many) into
 * buf. Returns buf. */
const char *screen_count(char *buf, size_t len, long long n, const char *one,
			 const char *many);

/* The first line to show of total lines in an area of rows rows, clamped
 * so that scrolling stops with the last line at the bottom:
 * [0, max(0, total - rows)]. */
int screen_scroll_clamp(int first, int total, int rows);

/* The lines of a scrolled area from row y to row y1 (exclusive): a view
 * asks screen_lines_next for each logical line in turn and draws it at the
 * row returned, or skips it on -1 (above first, or below the area). n
 * counts every line asked for: after drawing it is the content's length.
 * With y1 == y nothing is drawn and only n is counted. */
struct screen_lines {
	int y, y1, first, n;
};
int screen_lines_next(struct screen_lines *l);

/* A horizontal bar of value in [0,1] over width cells from (y, x): full
 * cells in role, then one partial cell, then the rest in bar-empty. The
 * glyphs are text_glyphs()'s: eighths in UTF-8, '#', '+' and '.' in ASCII,
 * so no cell of a bar is ever blank. NaN draws nothing. Returns width (0
 * when nothing is drawn). */
int screen_bar(screen *scr, int y, int x, int width, double value, int role);

#endif
