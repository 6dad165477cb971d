/* screen.c: the screen model views draw into: cells of text, role and
 * attributes, clipped by display width, readable back as plain text. */
#include "docket/screen.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docket/termsafe.h"
#include "docket/text.h"
#include "docket/util.h"
#include "docket/theme.h" /* screen_bar's empty role */

static void screen_blank(struct screen_cell *c)
{
	memset(c, 0, sizeof *c);
	c->ch[0] = ' ';
	c->width = 1;
}

screen *screen_new(int w, int h)
{
	screen *scr = dk_xmalloc(sizeof *scr);
	memset(scr, 0, sizeof *scr);
	screen_resize(scr, w, h);
	return scr;
}

void screen_free(screen *scr)
{
	if (!scr)
		return;
	free(scr->cells);
	free(scr);
}

void screen_resize(screen *scr, int w, int h)
{
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	if (w != scr->w || h != scr->h || !scr->cells) {
		free(scr->cells);
		scr->cells = dk_xmalloc(sizeof *scr->cells * (size_t)w * (size_t)h);
		scr->w = w;
		scr->h = h;
	}
	screen_clear(scr);
}

void screen_clear(screen *scr)
{
	for (int i = 0; i < scr->w * scr->h; i++)
		screen_blank(&scr->cells[i]);
	scr->cursor_y = scr->cursor_x = -1;
	scr->cut_silent = 0;
	scr->cut_y = -1;
}

struct screen_cell *screen_at(screen *scr, int y, int x)
{
	if (y < 0 || y >= scr->h || x < 0 || x >= scr->w)
		return NULL;
	return &scr->cells[y * scr->w + x];
}

const struct screen_cell *screen_cell(const screen *scr, int y, int x)
{
	if (y < 0 || y >= scr->h || x < 0 || x >= scr->w)
		return NULL;
	return &scr->cells[y * scr->w + x];
}

/* Overwriting half of a wide character blanks its other half. */
static void screen_unsplit(screen *scr, int y, int x)
{
	struct screen_cell *c = screen_at(scr, y, x);
	if (!c)
		return;
	if (c->width == 0) {
		struct screen_cell *left = screen_at(scr, y, x - 1);
		if (left)
			screen_blank(left);
	} else if (c->width == 2) {
		struct screen_cell *right = screen_at(scr, y, x + 1);
		if (right)
			screen_blank(right);
	}
}

int screen_put(screen *scr, int y, int x, int maxw, int role, int attrs,
	       const char *s, size_t n)
{
	if (y < 0 || y >= scr->h || x >= scr->w || !s)
		return 0;
	if (n == TEXT_NUL)
		n = strlen(s);
	int limit = scr->w - (x < 0 ? 0 : x);
	if (maxw >= 0 && maxw < limit)
		limit = maxw;
	int col = 0;
	size_t i = 0;
	while (i < n && col < limit) {
		int w;
		size_t l = text_cluster(s + i, n - i, &w);
		const char *src = s + i;
		size_t srclen = l;
		i += l;
		if (w == 0)
			continue; /* a stray zero-width character: nothing to show */
		if (col + w > limit)
			break;
		/* Controls, bidi controls and invalid bytes: termsafe's visible
		 * text, one ASCII character a cell (text_cluster gave its
		 * width). Nothing from the data reaches the terminal raw. */
		char vis[TERMSAFE_VIS_MAX];
		size_t vl;
		termsafe_unit(src, srclen, 0, vis, &vl);
		if (vl) {
			for (size_t k = 0; k < vl; k++)
				screen_put(scr, y, x + col + (int)k, 1, role, attrs,
					   vis + k, 1);
			col += (int)vl;
			continue;
		}
		uint32_t cp;
		text_decode(src, srclen, &cp);
		if (cp == 0xfffd || (!text_utf8() && cp >= 0x80)) {
			src = "?";
			srclen = 1;
		}
		int cx = x + col;
		if (cx >= 0) {
			screen_unsplit(scr, y, cx);
			if (w == 2)
				screen_unsplit(scr, y, cx + 1);
			struct screen_cell *c = screen_at(scr, y, cx);
			if (srclen >= sizeof c->ch) {
				/* too many combining marks: keep the whole
				 * characters that fit */
				size_t keep = 0, l2;
				while (keep < srclen &&
				       (l2 = text_decode(src + keep, srclen - keep,
							 &cp)) > 0 &&
				       keep + l2 < sizeof c->ch)
					keep += l2;
				srclen = keep;
			}
			memcpy(c->ch, src, srclen);
			c->ch[srclen] = '\0';
			c->width = (uint8_t)w;
			c->role = (uint8_t)role;
			c->attrs = (uint8_t)attrs;
			if (w == 2) {
				struct screen_cell *r = screen_at(scr, y, cx + 1);
				r->ch[0] = '\0';
				r->width = 0;
				r->role = (uint8_t)role;
				r->attrs = (uint8_t)attrs;
			}
		}
		col += w;
	}
	if (i < n && text_width(s + i, n - i) > 0) {
		scr->cut_silent++;
		scr->cut_y = y;
	}
	return col;
}

int screen_put_cut(screen *scr, int y, int x, int maxw, int role, int attrs,
		   const char *s, size_t n)
{
	if (n == TEXT_NUL)
		n = strlen(s);
	int limit = scr->w - (x < 0 ? 0 : x);
	if (maxw >= 0 && maxw < limit)
		limit = maxw;
	if (limit <= 0)
		return 0;
	if (text_width(s, n) <= limit)
		return screen_put(scr, y, x, limit, role, attrs, s, n);
	int used;
	size_t keep = text_cut(s, n, limit - 1, &used);
	int col = screen_put(scr, y, x, limit - 1, role, attrs, s, keep);
	col += screen_put(scr, y, x + col, 1, role, attrs,
			  text_glyphs()->ellipsis, TEXT_NUL);
	return col;
}

int screen_printf(screen *scr, int y, int x, int maxw, int role, int attrs,
		  const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return screen_put(scr, y, x, maxw, role, attrs, buf, TEXT_NUL);
}

void screen_fill(screen *scr, int y, int x, int count, int role, int attrs,
		 const char *glyph)
{
	size_t len = strlen(glyph);
	for (int i = 0; i < count; i++)
		screen_put(scr, y, x + i, 1, role, attrs, glyph, len);
}

void screen_paint_role(screen *scr, int y, int x, int count, int role,
		       int attrs)
{
	for (int i = 0; i < count; i++) {
		struct screen_cell *c = screen_at(scr, y, x + i);
		if (c) {
			c->role = (uint8_t)role;
			c->attrs = (uint8_t)attrs;
		}
	}
}

char *screen_row_text(const screen *scr, int y)
{
	sbuf b = {0};
	size_t keep = 0;
	for (int x = 0; x < scr->w; x++) {
		const struct screen_cell *c = screen_cell(scr, y, x);
		if (!c || c->width == 0)
			continue;
		sbuf_adds(&b, c->ch);
		if (strcmp(c->ch, " "))
			keep = b.len;
	}
	char *out = dk_xmalloc(keep + 1);
	memcpy(out, sbuf_str(&b), keep);
	out[keep] = '\0';
	sbuf_free(&b);
	return out;
}

char *screen_text(const screen *scr)
{
	sbuf b = {0};
	for (int y = 0; y < scr->h; y++) {
		char *row = screen_row_text(scr, y);
		sbuf_adds(&b, row);
		sbuf_addc(&b, '\n');
		free(row);
	}
	char *out = dk_xstrdup(sbuf_str(&b));
	sbuf_free(&b);
	return out;
}

char *screen_row_roles(const screen *scr, int y)
{
	char *out = dk_xmalloc((size_t)scr->w + 1);
	for (int x = 0; x < scr->w; x++) {
		const struct screen_cell *c = screen_cell(scr, y, x);
		out[x] = (char)('a' + (c ? c->role : 0));
	}
	out[scr->w] = '\0';
	return out;
}

const char *screen_or_missing(const char *s)
{
	return s && *s ? s : SCREEN_MISSING;
}

const char *screen_count(char *buf, size_t len, long long n, const char *one,
			 const char *many)
{
	snprintf(buf, len, "%lld %s", n, n == 1 ? one : many);
	return buf;
}

int screen_scroll_clamp(int first, int total, int rows)
{
	int max = total - (rows > 0 ? rows : 0);
	if (first > max)
		first = max;
	return first > 0 ? first : 0;
}

int screen_lines_next(struct screen_lines *l)
{
	if (l->n++ < l->first || l->y >= l->y1)
		return -1;
	return l->y++;
}

int screen_bar(screen *scr, int y, int x, int width, double value, int role)
{
	if (width <= 0 || isnan(value))
		return 0;
	if (value < 0)
		value = 0;
	if (value > 1)
		value = 1;
	const struct text_glyphs *g = text_glyphs();
	int eighths = (int)lround(value * width * 8);
	int full = eighths / 8, part = eighths % 8;
	screen_fill(scr, y, x, full, role, 0, g->bar);
	int used = full;
	/* a partial cell the glyphs cannot show (ASCII under half) is empty */
	if (part && used < width && strcmp(g->bar_part[part], g->bar_empty)) {
		screen_fill(scr, y, x + used, 1, role, 0, g->bar_part[part]);
		used++;
	}
	screen_fill(scr, y, x + used, width - used, THEME_ROLE_BAR_EMPTY, 0,
		    g->bar_empty);
	return width;
}
