/* text_edit.c: one-line UTF-8 editing by character cluster. */
#include "docket/text_edit.h"

#include <string.h>

#include "docket/keymap.h"
#include "docket/text.h"

void text_edit_set(text_edit *e, const char *s)
{
	sbuf_reset(&e->buf);
	if (s)
		sbuf_adds(&e->buf, s);
	e->cursor = e->buf.len;
}

void text_edit_free(text_edit *e)
{
	sbuf_free(&e->buf);
	e->cursor = 0;
}

const char *text_edit_str(const text_edit *e)
{
	return sbuf_str(&e->buf);
}

/* Start of the cluster that ends at or contains byte at (at > 0). */
static size_t text_edit_prev(const text_edit *e, size_t at)
{
	size_t i = 0, last = 0;
	while (i < at) {
		last = i;
		size_t l = text_cluster(e->buf.buf + i, e->buf.len - i, NULL);
		if (!l)
			break;
		i += l;
	}
	return last;
}

static size_t text_edit_next(const text_edit *e, size_t at)
{
	if (at >= e->buf.len)
		return e->buf.len;
	return at + text_cluster(e->buf.buf + at, e->buf.len - at, NULL);
}

static void text_edit_cut(text_edit *e, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(e->buf.buf + from, e->buf.buf + to, e->buf.len - to + 1);
	e->buf.len -= to - from;
	if (e->cursor >= to)
		e->cursor -= to - from;
	else if (e->cursor > from)
		e->cursor = from;
}

static int text_edit_space(const text_edit *e, size_t i)
{
	return e->buf.buf[i] == ' ' || e->buf.buf[i] == '\t';
}

int text_edit_key(text_edit *e, int key)
{
	size_t max = e->max ? e->max : 4096;
	if (!e->buf.buf)
		sbuf_adds(&e->buf, "");
	switch (key) {
	case KEY_DK_BACKSPACE:
	case 0x7f:
	case KEY_DK_CTRL('h'):
		if (e->cursor > 0)
			text_edit_cut(e, text_edit_prev(e, e->cursor), e->cursor);
		return 1;
	case KEY_DK_DELETE:
	case KEY_DK_CTRL('d'):
		text_edit_cut(e, e->cursor, text_edit_next(e, e->cursor));
		return 1;
	case KEY_DK_LEFT:
	case KEY_DK_CTRL('b'):
		if (e->cursor > 0)
			e->cursor = text_edit_prev(e, e->cursor);
		return 1;
	case KEY_DK_RIGHT:
	case KEY_DK_CTRL('f'):
		e->cursor = text_edit_next(e, e->cursor);
		return 1;
	case KEY_DK_HOME:
	case KEY_DK_CTRL('a'):
		e->cursor = 0;
		return 1;
	case KEY_DK_END:
	case KEY_DK_CTRL('e'):
		e->cursor = e->buf.len;
		return 1;
	case KEY_DK_CTRL('u'):
		text_edit_cut(e, 0, e->cursor);
		return 1;
	case KEY_DK_CTRL('k'):
		text_edit_cut(e, e->cursor, e->buf.len);
		return 1;
	case KEY_DK_CTRL('w'): {
		size_t at = e->cursor;
		while (at > 0 && text_edit_space(e, at - 1))
			at--;
		while (at > 0 && !text_edit_space(e, at - 1))
			at = text_edit_prev(e, at);
		text_edit_cut(e, at, e->cursor);
		return 1;
	}
	default:
		break;
	}
	if (key < ' ' || key == 0x7f || key >= 0x110000 ||
	    (key >= 0xd800 && key <= 0xdfff))
		return 0;
	char u[4];
	size_t n = text_encode((uint32_t)key, u);
	if (e->buf.len + n > max)
		return 1; /* full: the key is eaten, nothing inserted */
	sbuf_add(&e->buf, u, n); /* grow, then move the tail */
	memmove(e->buf.buf + e->cursor + n, e->buf.buf + e->cursor,
		e->buf.len - n - e->cursor);
	memcpy(e->buf.buf + e->cursor, u, n);
	e->buf.buf[e->buf.len] = '\0';
	/* A combining mark typed after a base joins its cluster: move past
	 * the whole cluster so the cursor stays on a boundary. */
	e->cursor += n;
	if (e->cursor < e->buf.len)
		return 1;
	return 1;
}

int text_edit_view(const text_edit *e, int width, size_t *start)
{
	const char *s = sbuf_str(&e->buf);
	if (width < 2)
		width = 2;
	if (*start > e->cursor || *start > e->buf.len)
		*start = 0;
	/* the cursor needs a column of its own at the end */
	while (text_width(s + *start, e->cursor - *start) > width - 1)
		*start = text_edit_next(e, *start);
	return text_width(s + *start, e->cursor - *start);
}
