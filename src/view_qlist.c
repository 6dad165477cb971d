/* view_qlist.c: the reviewer's queue list: a page of waiting cases in
 * claim order, read through the source with keyset paging; a filter read
 * within a budget per key; Enter picks the selected case. */
#include "docket/view_qlist.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docket/keymap.h"
#include "docket/text.h"
#include "docket/theme.h"
#include "docket/view.h"

/* ---- filter ---- */

/* needle (n bytes) in hay, ASCII case folded. */
static int ci_contains(const char *hay, const char *needle, size_t n)
{
	if (!n)
		return 1;
	for (const char *h = hay; *h; h++) {
		size_t i = 0;
		while (i < n && h[i] &&
		       tolower((unsigned char)h[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

static int word_has_prefix(const char *w, size_t n, const char *pre)
{
	size_t l = strlen(pre);
	return n >= l && !strncasecmp(w, pre, l);
}

int qlist_filter_needs_context(const char *filter)
{
	const char *p = filter;
	while (*p) {
		p += strspn(p, " \t");
		size_t n = strcspn(p, " \t");
		if (n && !word_has_prefix(p, n, "label:") &&
		    !word_has_prefix(p, n, "reason:") && !word_has_prefix(p, n, "model:"))
			return 1;
		p += n;
	}
	return 0;
}

int qlist_match(const char *filter, const struct qlist_row *row,
		const char *context)
{
	const char *p = filter;
	while (*p) {
		p += strspn(p, " \t");
		size_t n = strcspn(p, " \t");
		if (!n)
			break;
		int ok;
		if (word_has_prefix(p, n, "label:"))
			ok = ci_contains(row->prediction, p + 6, n - 6);
		else if (word_has_prefix(p, n, "reason:"))
			ok = ci_contains(row->reason, p + 7, n - 7);
		else if (word_has_prefix(p, n, "model:"))
			ok = ci_contains(row->model, p + 6, n - 6);
		else
			ok = ci_contains(row->ext_id, p, n) ||
			     ci_contains(row->prediction, p, n) ||
			     (context && ci_contains(context, p, n));
		if (!ok)
			return 0;
		p += n;
	}
	return 1;
}

/* ---- reading ---- */

void qlist_open(qlist *q)
{
	q->npage = 0;
	q->sel = 0;
	q->editing = 0;
	q->chosen = 0;
	q->status[0] = '\0';
	if (q->rows <= 0)
		q->rows = 20;
	qlist_load(q);
}

void qlist_free(qlist *q)
{
	text_edit_free(&q->edit);
}

static size_t qlist_want(const qlist *q)
{
	return q->rows > QLIST_MAX ? QLIST_MAX : q->rows > 0 ? (size_t)q->rows : 1;
}

/* One read after *after, appended to the page. */
static void qlist_read_more(qlist *q, const struct qlist_key *after)
{
	struct qlist_page *got = dk_xmalloc(sizeof *got);
	memset(got, 0, sizeof *got);
	dk_error err = {{0}};
	size_t want = qlist_want(q) - q->page.n;
	if (q->read(q->ctx, after, q->filter, want, got, &err)) {
		snprintf(q->status, sizeof q->status, "%.200s", err.msg);
		q->more = 0;
		free(got);
		return;
	}
	for (size_t i = 0; i < got->n && q->page.n < QLIST_MAX; i++)
		q->page.rows[q->page.n++] = got->rows[i];
	q->page.end = got->end;
	if (got->any) {
		q->page.reached = got->reached;
		q->page.any = 1;
	}
	q->looked += got->looked;
	/* a filter that found less than a page before its budget ran out
	 * goes on at the next turn */
	q->more = !got->end && q->page.n < qlist_want(q);
	free(got);
}

void qlist_load(qlist *q)
{
	q->reload = 0;
	memset(&q->page, 0, sizeof q->page);
	q->looked = 0;
	q->more = 0;
	qlist_read_more(q, q->npage ? &q->starts[q->npage] : NULL);
	if (q->sel >= (int)q->page.n)
		q->sel = q->page.n ? (int)q->page.n - 1 : 0;
}

static void qlist_continue(qlist *q)
{
	struct qlist_key at = q->page.reached;
	qlist_read_more(q, q->page.any ? &at : NULL);
}

/* ---- drawing ---- */

static void qlist_put_row(screen *scr, int y, const struct qlist_row *r,
			  int role, int w)
{
	char buf[512], prio[32] = "";
	if (r->priority)
		snprintf(prio, sizeof prio, "%lld", (long long)r->priority);
	snprintf(buf, sizeof buf, "%-16.16s %-12.12s %-12.12s %5.3f  %-22.22s %4s%s",
		 r->ext_id, r->model, r->prediction, r->confidence, r->reason, prio,
		 r->mine ? "  held by you" : "");
	screen_fill(scr, y, 0, w, role, 0, " ");
	screen_put_cut(scr, y, 1, w - 2, role, 0, buf, TEXT_NUL);
}

void qlist_draw(qlist *q, screen *scr)
{
	char buf[512];
	screen_fill(scr, 0, 0, scr->w, THEME_ROLE_HEADER, 0, " ");
	snprintf(buf, sizeof buf, " Queue: waiting for you, in claim order (page %d)",
		 q->npage + 1);
	screen_put_cut(scr, 0, 0, scr->w, THEME_ROLE_HEADER, 0, buf, TEXT_NUL);
	int y = 1;
	if (q->editing || q->filter[0]) {
		int x = screen_put(scr, y, 1, -1, THEME_ROLE_DIM, 0, "filter / ",
				   TEXT_NUL);
		if (q->editing) {
			size_t start = 0;
			int col = text_edit_view(&q->edit, scr->w - x - 2, &start);
			screen_put_cut(scr, y, 1 + x, scr->w - x - 2, THEME_ROLE_INPUT, 0,
				       text_edit_str(&q->edit) + start, TEXT_NUL);
			scr->cursor_y = y;
			scr->cursor_x = 1 + x + col;
		} else {
			screen_put_cut(scr, y, 1 + x, scr->w - x - 2, THEME_ROLE_INPUT, 0,
				       q->filter, TEXT_NUL);
		}
	}
	y++;
	snprintf(buf, sizeof buf, "%-16s %-12s %-12s %5s  %-22s %4s", "id", "model",
		 "prediction", "conf", "routed", "prio");
	screen_put_cut(scr, y++, 1, scr->w - 2, THEME_ROLE_RULE, SCREEN_BOLD, buf,
		       TEXT_NUL);
	int rows = scr->h - y - 2;
	if (rows < 1)
		rows = 1;
	if (rows != q->rows) {
		/* a taller screen: the next idle turn reads the page again
		 * with room for more (drawing reads nothing) */
		q->reload |= rows > q->rows && !q->page.end;
		q->rows = rows;
	}
	for (int i = 0; i < rows && i < (int)q->page.n; i++)
		qlist_put_row(scr, y + i, &q->page.rows[i],
			      i == q->sel ? THEME_ROLE_SELECTED : THEME_ROLE_NORMAL,
			      scr->w);
	if (!q->page.n && !q->more)
		screen_put_cut(scr, y, 1, scr->w - 2, THEME_ROLE_DIM, 0,
			       q->filter[0] ? "no waiting case matches the filter"
					    : "no case is waiting for you",
			       TEXT_NUL);
	const char *st = q->status;
	if (!st[0] && q->more) {
		snprintf(buf, sizeof buf, "looked at %zu waiting cases so far; "
			 "looking further", q->looked);
		st = buf;
	} else if (!st[0] && q->page.end && q->page.n) {
		st = "end of the queue";
	}
	screen_put_cut(scr, scr->h - 2, 1, scr->w - 2, THEME_ROLE_STATUS, 0, st,
		       TEXT_NUL);
	screen_fill(scr, scr->h - 1, 0, scr->w, THEME_ROLE_FOOTER, 0, " ");
	screen_put_cut(scr, scr->h - 1, 1, scr->w - 2, THEME_ROLE_FOOTER, 0,
		       q->editing ? "Enter applies the filter  Esc cancels"
				  : "Enter claims  / filter (label: reason: model:)"
				    "  PgUp/PgDn pages  g first page  G last row  Esc back",
		       TEXT_NUL);
}

/* ---- keys ---- */

static int qlist_edit_key(qlist *q, int key)
{
	if (key == KEY_DK_ESC || key == KEY_DK_CTRL('g')) {
		q->editing = 0;
		return VIEW_REDRAW;
	}
	if (key == KEY_DK_ENTER || key == '\r') {
		q->editing = 0;
		snprintf(q->filter, sizeof q->filter, "%s", text_edit_str(&q->edit));
		q->npage = 0;
		q->sel = 0;
		q->status[0] = '\0';
		qlist_load(q);
		return VIEW_REDRAW;
	}
	return text_edit_key(&q->edit, key) ? VIEW_REDRAW : VIEW_NONE;
}

static int qlist_next_page(qlist *q)
{
	if (q->page.end && q->page.n <= qlist_want(q)) {
		q->sel = q->page.n ? (int)q->page.n - 1 : 0;
		snprintf(q->status, sizeof q->status, "end of the queue");
		return VIEW_REDRAW;
	}
	if (!q->page.n || q->npage + 1 >= QLIST_PAGES)
		return VIEW_NONE;
	/* the next page starts after the last case this one shows (or
	 * looked at, when a filter matched none) */
	q->starts[q->npage + 1] = q->page.rows[q->page.n - 1].key;
	q->npage++;
	q->sel = 0;
	qlist_load(q);
	return VIEW_REDRAW;
}

int qlist_handle(qlist *q, int key)
{
	if (key == KEY_DK_IDLE) {
		if (q->reload) {
			q->reload = 0;
			qlist_load(q);
			return VIEW_REDRAW;
		}
		if (!q->more)
			return VIEW_NONE;
		qlist_continue(q);
		return VIEW_REDRAW;
	}
	if (q->editing)
		return qlist_edit_key(q, key);
	q->status[0] = '\0';
	int n = (int)q->page.n;
	switch (key) {
	case KEY_DK_ESC:
	case 'q':
	case KEY_DK_CTRL('g'):
		q->chosen = 0;
		return VIEW_QUIT;
	case KEY_DK_ENTER:
	case '\r':
		if (!n)
			return VIEW_NONE;
		q->chosen = q->page.rows[q->sel].case_id;
		return VIEW_QUIT;
	case '/':
		q->editing = 1;
		text_edit_set(&q->edit, q->filter);
		return VIEW_REDRAW;
	case KEY_DK_DOWN:
	case 'j':
		if (q->sel + 1 < n) {
			q->sel++;
			return VIEW_REDRAW;
		}
		return q->sel + 1 >= q->rows ? qlist_next_page(q) : VIEW_NONE;
	case KEY_DK_UP:
	case 'k':
		if (q->sel > 0) {
			q->sel--;
			return VIEW_REDRAW;
		}
		if (!q->npage)
			return VIEW_NONE;
		q->npage--;
		qlist_load(q);
		q->sel = q->page.n ? (int)q->page.n - 1 : 0;
		return VIEW_REDRAW;
	case KEY_DK_PGDN:
	case ' ':
		return qlist_next_page(q);
	case KEY_DK_PGUP:
		if (!q->npage) {
			q->sel = 0;
			return VIEW_REDRAW;
		}
		q->npage--;
		q->sel = 0;
		qlist_load(q);
		return VIEW_REDRAW;
	case KEY_DK_HOME:
	case 'g':
		q->npage = 0;
		q->sel = 0;
		qlist_load(q);
		return VIEW_REDRAW;
	case KEY_DK_END:
	case 'G':
		q->sel = n ? n - 1 : 0;
		return VIEW_REDRAW;
	default: {
		char kn[32];
		snprintf(q->status, sizeof q->status,
			 "%s does nothing here (Esc goes back)",
			 keymap_key_name(key, kn, sizeof kn));
		return VIEW_REDRAW;
	}
	}
}
