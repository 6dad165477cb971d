/* view_sup.c: the supervisor's screen: tab bar, keys, prompts, the Log tab
 * (keyset pages of the log, a case with its history) and the Escalations and
 * Disagreements tabs with resolve. Reviewers, Model, Audit: view_sup_health.c. */
#include "docket/view_sup.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docket/clock.h"
#include "docket/keymap.h"
#include "docket/text.h"
#include "docket/theme.h"
#include "docket/view_queue.h"

/* Entries fetched per core page; the screen shows a window into it. */
#define SUP_PAGE 200
/* Seq values one fetch may pass over, so a rare filter never stalls. */
#define SUP_BUDGET 50000
/* Waiting cases fetched per keyset page of Escalations / Disagreements. */
#define SUP_ROWS_PAGE 200
/* The Log's count of new entries stops here ("1000+ new entries"). */
#define SUP_LIVE_MAX 1000

/* Drawing of the other tabs (view_sup_health.c). */
void sup_draw_reviewers(sup *c, screen *scr, int y0, int y1);
void sup_draw_model(sup *c, screen *scr, int y0, int y1);
void sup_draw_audit(sup *c, screen *scr, int y0, int y1);
void sup_load_stats(sup *c);
void sup_load_audit(sup *c, int verify); /* 0 no, 1 quick, 2 full */
/* An audit entry's detail in words ("name, phone"; nothing for others). */
void sup_detail_words(sup *c, const struct logq_entry *e, sbuf *out);

static const char *sup_key_name(int action, char *buf, size_t len);

static const char *const sup_tab_names[SUPT_NTABS] = {
	"Log", "Escalations", "Disagreements", "Reviewers", "Model", "Audit"};

static const struct {
	int key;
	const char *name, *help;
} sup_keys[] = {
	{0, NULL, NULL},
#define SUP_KEY(e, key, name, help) {key, name, help},
	SUP_ACTIONS(SUP_KEY)
#undef SUP_KEY
};

int sup_key_action(int key)
{
	switch (key) {
	case KEY_DK_DOWN: return SUP_DOWN;
	case KEY_DK_UP: return SUP_UP;
	case KEY_DK_PGDN: return SUP_PAGE_DOWN;
	case KEY_DK_PGUP: return SUP_PAGE_UP;
	case KEY_DK_HOME: return SUP_TOP;
	case KEY_DK_BACKSPACE: return SUP_CLOSE;
	case '\r': return SUP_OPEN;
	}
	for (int a = 1; a < SUP_COUNT; a++)
		if (sup_keys[a].key == key)
			return a;
	return SUP_NONE;
}

int sup_action_key(int action)
{
	return action > 0 && action < SUP_COUNT ? sup_keys[action].key : 0;
}

void sup_scrolled(sup *c, screen *scr, int y0, int y1, struct sup_scroll *s,
		  sup_lines_fn *fn)
{
	struct screen_lines l = {y0, y0, 0, 0}; /* count only */
	fn(c, scr, &l);
	s->total = l.n;
	s->rows = y1 > y0 ? y1 - y0 : 0;
	s->first = screen_scroll_clamp(s->first, s->total, s->rows);
	l = (struct screen_lines){y0, y1, s->first, 0};
	fn(c, scr, &l);
}

int sup_printf(screen *scr, int y, int x, int maxw, int role, int attrs,
	       const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return screen_put_cut(scr, y, x, maxw, role, attrs, buf, TEXT_NUL);
}

/* Scroll s by delta lines: stops at the top and, once drawn, at the end. */
static void sup_scroll_by(struct sup_scroll *s, int delta)
{
	long long first = (long long)s->first + delta;
	if (first > INT_MAX)
		first = INT_MAX;
	s->first = first < 0 ? 0 : (int)first;
	if (s->total >= 0)
		s->first = screen_scroll_clamp(s->first, s->total, s->rows);
}

/* The first entry of a list of n to show in rows rows so that sel is in
 * sight and the end stops at the bottom. */
static int sup_list_top(int top, int sel, int n, int rows)
{
	if (rows < 1)
		rows = 1;
	if (sel >= top + rows)
		top = sel - rows + 1;
	if (sel < top)
		top = sel;
	return screen_scroll_clamp(top, n, rows);
}

static void sup_status(sup *c, int role, const char *fmt, const char *arg)
{
	snprintf(c->status, sizeof c->status, fmt, arg);
	c->status_role = role;
}

/* ---- Log ---- */

static void sup_log_fetch(sup *c, int64_t before)
{
	dk_error err = {{0}};
	/* keep asking until entries come or the walk ends: each ask passes
	 * over at most SUP_BUDGET entries (a rare filter stays responsive
	 * because the loop is bounded by the log, not by OFFSET) */
	for (int i = 0; i < 64; i++) {
		if (logq_page(c->lq, before, SUP_PAGE, SUP_BUDGET, &c->page, &err)) {
			sup_status(c, THEME_ROLE_ERROR, "%s", err.msg);
			return;
		}
		if (c->page.n || c->page.at_end)
			break;
		before = c->page.next_before;
	}
	c->page_before = before;
}

static void sup_log_open(sup *c)
{
	dk_error err = {{0}};
	logq_close(c->lq);
	c->lq = NULL;
	logq_page_clear(&c->page);
	c->nstack = 0;
	c->sel = c->top = 0;
	int rc = logq_open(&c->lq, c->s, &c->lf, &err);
	if (rc) {
		sup_status(c, THEME_ROLE_ERROR, "%s", err.msg);
		/* fall back to the whole log */
		memset(&c->lf, 0, sizeof c->lf);
		c->filter_text[0] = '\0';
		if (logq_open(&c->lq, c->s, &c->lf, &err))
			return;
	}
	/* what is newer than this is new (an entry the page shows is not) */
	if (logq_head(c->s, &c->live_head, &err))
		c->live_head = 0; /* only the count of new entries is off */
	c->live_new = 0;
	sup_log_fetch(c, LOGQ_NEWEST);
	if (c->page.n && c->page.e[0].seq > c->live_head)
		c->live_head = c->page.e[0].seq;
}

/* When idle: count the entries matching the Log's filter appended since
 * the list was opened (others deciding), walking only the new part of the
 * log. Returns VIEW_REDRAW when the count changed. */
static int sup_live_poll(sup *c)
{
	if (c->tab != SUPT_LOG || !c->lq || c->detail)
		return VIEW_NONE;
	int64_t head;
	dk_error err = {{0}};
	if (logq_head(c->s, &head, &err) || head <= c->live_head)
		return VIEW_NONE;
	/* a query of its own: the list's walks the log as it was opened */
	struct logq_page p = {0};
	logq *q = NULL;
	int64_t n = 0, before = LOGQ_NEWEST;
	if (logq_open(&q, c->s, &c->lf, &err))
		return VIEW_NONE;
	while (n < SUP_LIVE_MAX) {
		int64_t top = before == LOGQ_NEWEST ? head : before - 1;
		if (top <= c->live_head ||
		    logq_page(q, before, SUP_PAGE, top - c->live_head, &p, &err))
			break;
		int older = 0;
		for (size_t i = 0; i < p.n; i++) {
			if (p.e[i].seq > c->live_head)
				n++;
			else
				older = 1;
		}
		if (older || p.at_end)
			break;
		before = p.next_before;
	}
	logq_close(q);
	logq_page_clear(&p);
	free(p.e);
	if (n > SUP_LIVE_MAX)
		n = SUP_LIVE_MAX;
	if (n == c->live_new)
		return VIEW_NONE;
	c->live_new = n;
	return VIEW_REDRAW;
}

/* Parse "reviewer=R action=A label=L model=M case=ID since=T until=T words"
 * into c->lf. Returns 0, or 1 with a status message. */
static int sup_parse_filter(sup *c, const char *text)
{
	struct logq_filter f = {0};
	char copy[256], words[256] = "";
	snprintf(copy, sizeof copy, "%s", text);
	char *save = NULL;
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(w, '=');
		const char **slot = NULL;
		if (eq) {
			*eq = '\0';
			if (!strcmp(w, "reviewer"))
				slot = &f.reviewer;
			else if (!strcmp(w, "action"))
				slot = &f.action;
			else if (!strcmp(w, "label"))
				slot = &f.label;
			else if (!strcmp(w, "model"))
				slot = &f.model;
			else if (!strcmp(w, "case") || !strcmp(w, "id"))
				slot = &f.case_id;
			else if (!strcmp(w, "since") || !strcmp(w, "until")) {
				int64_t ms;
				if (clock_parse(eq + 1, &ms)) {
					sup_status(c, THEME_ROLE_ERROR,
						   "filter: bad time '%s' (YYYY-MM-DD[THH:MM])",
						   eq + 1);
					return 1;
				}
				if (w[0] == 's')
					f.has_since = 1, f.since_ms = ms;
				else
					f.has_until = 1, f.until_ms = ms;
				continue;
			} else {
				sup_status(c, THEME_ROLE_ERROR,
					   "filter: unknown key '%s='; known: reviewer= "
					   "action= label= model= case= since= until=, "
					   "and words of the note", w);
				return 1;
			}
		}
		if (slot) {
			if (slot == &f.action && !logq_action_known(eq + 1)) {
				snprintf(c->status, sizeof c->status,
					 "filter: action '%s': expected one of %s",
					 eq + 1, logq_actions_text());
				c->status_role = THEME_ROLE_ERROR;
				return 1;
			}
			*slot = eq + 1;
			continue;
		}
		if (words[0])
			strncat(words, " ", sizeof words - strlen(words) - 1);
		strncat(words, w, sizeof words - strlen(words) - 1);
	}
	/* the pointers above point into copy: move it into the context */
	memcpy(c->filter_store, copy, sizeof copy);
	const char **slots[] = {&f.reviewer, &f.action, &f.label, &f.model, &f.case_id};
	for (size_t i = 0; i < 5; i++)
		if (*slots[i])
			*slots[i] = c->filter_store + (*slots[i] - copy);
	if (words[0]) {
		size_t used = strlen(text) + 1;
		if (used + strlen(words) + 1 <= sizeof c->filter_store) {
			/* words go after the split copy */
			char *dst = c->filter_store + used;
			memcpy(dst, words, strlen(words) + 1);
			f.text = dst;
		}
	}
	c->lf = f;
	snprintf(c->filter_text, sizeof c->filter_text, "%s", text);
	return 0;
}

static void sup_detail_open(sup *c, int64_t case_row)
{
	dk_error err = {{0}};
	if (c->dcase_ok)
		queue_case_free(&c->dcase);
	c->dcase_ok = 0;
	memset(&c->dcase, 0, sizeof c->dcase);
	review_case_free(c->rcase);
	c->rcase = NULL;
	logq_page_clear(&c->hist);
	if (!case_row) {
		sup_status(c, THEME_ROLE_ERROR, "%s", "this entry is not about a case");
		return;
	}
	if (queue_case_load_stored(c->s, case_row, &c->dcase, &err) != DK_OK) {
		sup_status(c, THEME_ROLE_ERROR, "%s", err.msg);
		return;
	}
	c->dcase_ok = 1;
	if (view_queue_case(c->s, &c->dcase, &c->rcase, &err) != DK_OK)
		sup_status(c, THEME_ROLE_ERROR, "%s", err.msg);
	if (logq_case_history(c->s, case_row, &c->hist, &err))
		sup_status(c, THEME_ROLE_ERROR, "%s", err.msg);
	c->detail = 1;
	c->detail_case = case_row;
	c->dscroll = (struct sup_scroll){0, -1, 0};
}

/* Move the Log selection by delta entries, fetching the next or the
 * previous keyset page at the edges. */
static void sup_log_move(sup *c, int delta)
{
	/* rows of entries: the screen less the tab bar, two heading lines,
	 * the status and the footer */
	int view = c->h - 5 > 1 ? c->h - 5 : 1;
	c->sel += delta;
	if (c->sel >= (int)c->page.n) {
		if (!c->page.at_end && c->page.n) {
			if (c->nstack == c->capstack) {
				c->capstack = c->capstack ? c->capstack * 2 : 16;
				c->stack = dk_xrealloc(c->stack, c->capstack * sizeof *c->stack);
			}
			c->stack[c->nstack++] = c->page_before;
			int64_t next = c->page.next_before;
			sup_log_fetch(c, next);
			c->sel = 0;
			c->top = 0;
			return;
		}
		c->sel = c->page.n ? (int)c->page.n - 1 : 0;
	}
	if (c->sel < 0) {
		if (c->nstack) {
			sup_log_fetch(c, c->stack[--c->nstack]);
			c->sel = c->page.n ? (int)c->page.n - 1 : 0;
			c->top = c->sel - view + 1 > 0 ? c->sel - view + 1 : 0;
			return;
		}
		c->sel = 0;
	}
	c->top = sup_list_top(c->top, c->sel, (int)c->page.n, view);
}

/* What an entry does to an earlier one, "amends #12" or "undoes #12", into
 * buf; NULL when it refers to none. An amend is a decision with ref_seq. */
static const char *sup_ref_text(const struct logq_entry *e, char *buf, size_t len)
{
	if (!e->ref_seq)
		return NULL;
	snprintf(buf, len, "%s #%lld",
		 e->action && !strcmp(e->action, ACTION_UNDO) ? "undoes" : "amends",
		 (long long)e->ref_seq);
	return buf;
}

/* The mark of an amendment in the log list (shown after its seq). */
#define SUP_AMEND_MARK "*"

static int sup_is_amend(const struct logq_entry *e)
{
	return e->ref_seq && !(e->action && !strcmp(e->action, ACTION_UNDO));
}

/* The Log list's columns: x and width of each; the last column takes
 * the rest of the line. Wide screens give reason and note a column each;
 * from 80 columns down they share the last one ("reason; note"). */
struct sup_log_cols {
	int seq, at, at_w, rev, rev_w, id, id_w, act, lab, lab_w, why, note;
};

static struct sup_log_cols sup_log_layout(int w)
{
	if (w >= 120)
		return (struct sup_log_cols){8, 10, 16, 28, 10, 40, 12, 54, 64, 17, 83, 99};
	return (struct sup_log_cols){7, 9, 11, 21, 8, 30, 10, 41, 50, 13, 64, -1};
}

static void sup_draw_log(sup *c, screen *scr, int y0, int y1)
{
	const struct text_glyphs *g = text_glyphs();
	struct sup_log_cols k = sup_log_layout(scr->w);
	sbuf head = {0};
	char n[64], kt[16];
	if (c->live_new)
		sbuf_printf(&head, "%s%s: %s shows them; ",
			    screen_count(n, sizeof n, c->live_new, "new entry", "new entries"),
			    c->live_new >= SUP_LIVE_MAX ? "+" : "",
			    sup_key_name(SUP_TOP, kt, sizeof kt));
	int hx = screen_put(scr, y0, 0, -1, THEME_ROLE_STATUS_OK, SCREEN_BOLD,
			    sbuf_str(&head), TEXT_NUL);
	sbuf_reset(&head);
	int64_t seq;
	dk_error err = {{0}};
	sbuf_printf(&head, "%s%s; %s marks an amendment  ",
		    c->filter_text[0] ? "filter: " : "all decisions, newest first",
		    c->filter_text, SUP_AMEND_MARK);
	if (logq_head(c->s, &seq, &err))
		sbuf_adds(&head, "(head unreadable)");
	else
		sbuf_printf(&head, "(head %lld)", (long long)seq);
	screen_put_cut(scr, y0, hx, -1, THEME_ROLE_DIM, 0, sbuf_str(&head), TEXT_NUL);
	sbuf_free(&head);
	y0++;
	screen_put(scr, y0, 0, -1, THEME_ROLE_RULE, SCREEN_BOLD, "seq", TEXT_NUL);
	screen_put(scr, y0, k.at, -1, THEME_ROLE_RULE, SCREEN_BOLD, "at (UTC)", TEXT_NUL);
	screen_put(scr, y0, k.rev, -1, THEME_ROLE_RULE, SCREEN_BOLD, "reviewer", TEXT_NUL);
	screen_put(scr, y0, k.id, -1, THEME_ROLE_RULE, SCREEN_BOLD, "id", TEXT_NUL);
	screen_put(scr, y0, k.act, -1, THEME_ROLE_RULE, SCREEN_BOLD, "action", TEXT_NUL);
	screen_put_cut(scr, y0, k.lab, k.lab_w, THEME_ROLE_RULE, SCREEN_BOLD,
		       k.lab_w < 14 ? "model->label" : "model -> label", TEXT_NUL);
	screen_put_cut(scr, y0, k.why, -1, THEME_ROLE_RULE, SCREEN_BOLD,
		       k.note < 0 ? "reason; note" : "reason", TEXT_NUL);
	if (k.note >= 0)
		screen_put_cut(scr, y0, k.note, -1, THEME_ROLE_RULE, SCREEN_BOLD, "note",
			       TEXT_NUL);
	y0++;
	if (!c->page.n) {
		screen_put(scr, y0, 2, -1, THEME_ROLE_DIM, 0,
			   c->filter_text[0] ? "no entry matches the filter"
					     : "the log is empty",
			   TEXT_NUL);
		return;
	}
	/* after a resize the selection stays in sight */
	int top = sup_list_top(c->top, c->sel, (int)c->page.n, y1 - y0);
	for (int i = top, y = y0; i < (int)c->page.n && y < y1; i++, y++) {
		const struct logq_entry *e = &c->page.e[i];
		char at[32], labels[160], ref[64];
		clock_format_iso(e->at, at, sizeof at);
		at[16] = '\0';
		at[10] = ' ';
		const char *at_shown = k.at_w < 16 ? at + 5 : at; /* MM-DD HH:MM */
		if (!e->model_label && !e->label)
			snprintf(labels, sizeof labels, "%s", SCREEN_MISSING);
		else
			snprintf(labels, sizeof labels, "%s %s %s",
				 screen_or_missing(e->model_label), g->right,
				 screen_or_missing(e->label));
		int role = i == c->sel ? THEME_ROLE_SELECTED : THEME_ROLE_NORMAL;
		if (i == c->sel)
			screen_paint_role(scr, y, 0, scr->w, role, 0);
		screen_printf(scr, y, 0, k.seq, role, 0, "%*lld", k.seq, (long long)e->seq);
		if (sup_is_amend(e))
			screen_put(scr, y, k.seq, 1, role, SCREEN_BOLD, SUP_AMEND_MARK, TEXT_NUL);
		screen_put_cut(scr, y, k.at, k.at_w, role, 0, at_shown, TEXT_NUL);
		screen_put_cut(scr, y, k.rev, k.rev_w, role, 0, e->reviewer, TEXT_NUL);
		screen_put_cut(scr, y, k.id, k.id_w, role, 0, screen_or_missing(e->ext_id),
			       TEXT_NUL);
		int arole = role;
		if (i != c->sel && e->action) {
			if (!strcmp(e->action, "override"))
				arole = THEME_ROLE_NEG;
			else if (!strcmp(e->action, "escalate") || !strcmp(e->action, "resolve"))
				arole = THEME_ROLE_ERROR;
		}
		screen_put_cut(scr, y, k.act, 8, arole, 0, e->action, TEXT_NUL);
		screen_put_cut(scr, y, k.lab, k.lab_w, role, 0, labels, TEXT_NUL);
		/* the note leads with what the entry does to an earlier one */
		sbuf note = {0};
		if (sup_ref_text(e, ref, sizeof ref))
			sbuf_printf(&note, "%s%s", ref, e->note && *e->note ? "; " : "");
		if (e->note && *e->note)
			sbuf_adds(&note, e->note);
		if (k.note >= 0) {
			screen_put_cut(scr, y, k.why, k.note - k.why - 2, role, 0,
				       screen_or_missing(e->reason), TEXT_NUL);
			screen_put_cut(scr, y, k.note, -1, role, 0,
				       screen_or_missing(sbuf_str(&note)), TEXT_NUL);
		} else {
			sbuf why = {0};
			sbuf_adds(&why, screen_or_missing(e->reason));
			if (note.len)
				sbuf_printf(&why, "; %s", sbuf_str(&note));
			screen_put_cut(scr, y, k.why, -1, role, 0, sbuf_str(&why), TEXT_NUL);
			sbuf_free(&why);
		}
		sbuf_free(&note);
	}
}

/* An entry of a case's history, in two lines: seq, time, who, what, the
 * label and what it does to an earlier entry ("amends #12"); then its
 * reason and note (and what a reveal showed), when it has any. */
static void sup_history_entry(sup *c, const struct logq_entry *e, sbuf *head,
			      sbuf *why)
{
	char at[32], ref[64];
	clock_format_iso(e->at, at, sizeof at);
	at[16] = '\0';
	at[10] = ' ';
	sbuf_printf(head, "%5lld%s %s ", (long long)e->seq,
		    sup_is_amend(e) ? SUP_AMEND_MARK : " ", at);
	logq_cell(head, e->reviewer, 10, 0);
	sbuf_addc(head, ' ');
	logq_cell(head, e->action, 8, 0);
	sbuf_printf(head, " %s", screen_or_missing(e->label));
	if (sup_ref_text(e, ref, sizeof ref))
		sbuf_printf(head, "  %s", ref);
	if (e->reason)
		sbuf_printf(why, "reason: %s", e->reason);
	if (e->note)
		sbuf_printf(why, "%snote: %s", why->len ? "  " : "", e->note);
	if (e->action && !strcmp(e->action, ACTION_REVEAL)) {
		sbuf_printf(why, "%sfields: ", why->len ? "  " : "");
		sup_detail_words(c, e, why);
	}
}

/* The open case's history, oldest first: every entry with its reason and
 * note, and which entry amended or undid which. */
static void sup_lines_history(sup *c, screen *scr, struct screen_lines *l)
{
	char n[64];
	int y;
	if ((y = screen_lines_next(l)) >= 0) {
		screen_fill(scr, y, 0, scr->w, THEME_ROLE_RULE, 0, text_glyphs()->hline);
		screen_printf(scr, y, 2, scr->w - 2, THEME_ROLE_RULE, SCREEN_BOLD,
			      " History of case %s: %s, oldest first; %s marks an "
			      "amendment ", c->dcase.ext_id,
			      screen_count(n, sizeof n, (long long)c->hist.n, "entry",
					   "entries"), SUP_AMEND_MARK);
	}
	for (size_t i = 0; i < c->hist.n; i++) {
		sbuf head = {0}, why = {0};
		sup_history_entry(c, &c->hist.e[i], &head, &why);
		if ((y = screen_lines_next(l)) >= 0)
			screen_put_cut(scr, y, 1, -1, THEME_ROLE_NORMAL, 0, sbuf_str(&head),
				       TEXT_NUL);
		if (why.len && (y = screen_lines_next(l)) >= 0)
			screen_put_cut(scr, y, 8, -1, THEME_ROLE_DIM, 0, sbuf_str(&why),
				       TEXT_NUL);
		sbuf_free(&head);
		sbuf_free(&why);
	}
}

/* The case pane's lines at width w (the review screen's layout, whole). */
static int sup_case_body_lines(sup *c, int w)
{
	if (!c->rcase)
		return 0;
	screen *tmp = screen_new(w, 1);
	int n = view_case_body(&c->rv, c->rcase, tmp, 0, 1 << 20, 0, 0);
	screen_free(tmp);
	return n;
}

/* The open case: a title, then the case as its reviewer saw it (the review
 * screen's own case pane: probabilities, attribution bars, highlighted
 * words, personal fields masked), then its history; one scrolled view
 * that stops at its end. */
static void sup_draw_case(sup *c, screen *scr, int y0, int y1)
{
	struct sup_scroll *s = &c->dscroll;
	const queue_case *k = &c->dcase;
	int body = sup_case_body_lines(c, scr->w);
	struct screen_lines l = {y0, y0, 0, 0};
	sup_lines_history(c, scr, &l);
	s->total = 1 + body + l.n;
	s->rows = y1 > y0 ? y1 - y0 : 0;
	s->first = screen_scroll_clamp(s->first, s->total, s->rows);
	int first = s->first, rows = s->rows;
	if (first == 0 && rows > 0) {
		sbuf t = {0};
		sbuf_printf(&t, "case %s  model %s%s%s  state %s  routed: %s", k->ext_id,
			    k->model, k->model_version && *k->model_version ? "@" : "",
			    k->model_version ? k->model_version : "", k->state,
			    screen_or_missing(k->route_reason));
		screen_put_cut(scr, y0, 0, -1, THEME_ROLE_TITLE, SCREEN_BOLD, sbuf_str(&t),
			       TEXT_NUL);
		sbuf_free(&t);
	}
	int a = first > 1 ? first : 1;
	int b = 1 + body < first + rows ? 1 + body : first + rows;
	if (b > a)
		view_case_body(&c->rv, c->rcase, scr, y0 + a - first, b - a, a - 1, 0);
	int hy = y0 + (1 + body - first > 0 ? 1 + body - first : 0);
	int skip = first - (1 + body) > 0 ? first - (1 + body) : 0;
	if (hy < y1) {
		l = (struct screen_lines){hy, y1, skip, 0};
		sup_lines_history(c, scr, &l);
	}
}

/* ---- Escalations and Disagreements ---- */

/* The tab's count of waiting cases, from the maintained counters (one row
 * per model and state: never a count over cases). */
static int64_t sup_rows_count(sup *c, const char *state)
{
	db_stmt *st = store_stmt(
		c->s, "SELECT coalesce(sum(n), 0) FROM counters WHERE state = ?1", NULL);
	if (!st)
		return 0;
	db_bind_text(st, 1, state, -1, DB_STATIC);
	int64_t n = db_step(st) == DB_ROW ? db_col_int64(st, 0) : 0;
	store_done(st);
	return n;
}

/* Fill c->rows with the page of waiting cases whose id is above after: a
 * seek in cases_waiting and a walk of at most SUP_ROWS_PAGE + 1 entries
 * (the extra one only tells whether more follow). */
static void sup_rows_fetch(sup *c, int64_t after)
{
	const char *state = c->tab == SUPT_ESC ? CASE_ESCALATED : CASE_DISPUTED;
	c->nrows = 0;
	c->rows_after = after;
	c->rows_at_end = 1;
	dk_error err = {{0}};
	/* cases_waiting: only the escalated and disputed cases are in it */
	/* the filter: each case's own entries (decisions_case) */
	db_stmt *st = store_stmt(
		c->s,
		"SELECT c.id, c.ext_id, m.name, c.prediction,"
		" (SELECT max(d.at) FROM decisions d WHERE d.case_id = c.id),"
		" (SELECT d.reason FROM decisions d WHERE d.case_id = c.id"
		"  AND d.reason IS NOT NULL ORDER BY d.seq DESC LIMIT 1)"
		" FROM cases c JOIN models m ON m.id = c.model_id"
		" WHERE (c.state = 'escalated' OR c.state = 'disputed')"
		" AND c.state = ?1 AND c.id > ?2"
		" AND (?4 IS NULL OR m.name = ?4)"
		" AND (?5 IS NULL OR EXISTS (SELECT 1 FROM decisions d"
		"  WHERE d.case_id = c.id AND d.reason = ?5))"
		" AND (?6 IS NULL OR (SELECT max(d.at) FROM decisions d"
		"  WHERE d.case_id = c.id) <= ?6)"
		" ORDER BY c.id LIMIT ?3",
		&err);
	if (!st) {
		sup_status(c, THEME_ROLE_ERROR, "%s", err.msg);
		return;
	}
	db_bind_text(st, 1, state, -1, DB_STATIC);
	db_bind_int64(st, 2, after);
	db_bind_int(st, 3, SUP_ROWS_PAGE + 1);
	if (c->rf.model[0])
		db_bind_text(st, 4, c->rf.model, -1, DB_STATIC);
	if (c->rf.reason[0])
		db_bind_text(st, 5, c->rf.reason, -1, DB_STATIC);
	if (c->rf.min_age_ms > 0)
		db_bind_int64(st, 6, clock_now_ms() - c->rf.min_age_ms);
	if (!c->rows)
		c->rows = dk_xmalloc(SUP_ROWS_PAGE * sizeof *c->rows);
	while (db_step(st) == DB_ROW) {
		if (c->nrows == SUP_ROWS_PAGE) {
			c->rows_at_end = 0;
			break;
		}
		struct sup_row *r = &c->rows[c->nrows++];
		r->case_row = db_col_int64(st, 0);
		snprintf(r->ext_id, sizeof r->ext_id, "%s", db_col_text(st, 1));
		snprintf(r->model, sizeof r->model, "%s", db_col_text(st, 2));
		snprintf(r->prediction, sizeof r->prediction, "%s",
			 db_col_text(st, 3));
		r->since = db_col_int64(st, 4);
		snprintf(r->reason, sizeof r->reason, "%s",
			 db_col_type(st, 5) == DB_NULL
				 ? "" : (const char *)db_col_text(st, 5));
	}
	/* a list cut short by a failed read says so */
	if (store_done(st) != DB_OK) {
		store_fail(c->s, &err, "reading the waiting cases");
		sup_status(c, THEME_ROLE_ERROR, "%s", err.msg);
	}
}

/* Open the selected case (its sides and reasons show under the list). */
static void sup_rows_show(sup *c)
{
	if (c->rsel >= (int)c->nrows)
		c->rsel = c->nrows ? (int)c->nrows - 1 : 0;
	if (c->rsel < 0)
		c->rsel = 0;
	if (c->nrows)
		sup_detail_open(c, c->rows[c->rsel].case_row);
	c->detail = 0; /* the list shows the selected case's sides below */
}

/* Reload the tab: its count, and the current page again (from its start,
 * so a resolved case leaves it); top = 1 goes back to the first page. */
static void sup_rows_load(sup *c, int top)
{
	const char *state = c->tab == SUPT_ESC ? CASE_ESCALATED : CASE_DISPUTED;
	c->nwaiting = sup_rows_count(c, state);
	if (top) {
		c->nrstack = 0;
		c->rows_base = 0;
		c->rows_after = 0;
		c->rsel = c->rtop = 0;
	}
	sup_rows_fetch(c, c->rows_after);
	/* the page emptied (its last cases resolved): step back a page */
	while (!c->nrows && c->nrstack) {
		struct sup_rows_mark m = c->rstack[--c->nrstack];
		c->rows_base = m.base;
		sup_rows_fetch(c, m.after);
		c->rsel = (int)c->nrows - 1;
	}
	sup_rows_show(c);
}

/* Move the selection by delta cases, fetching the next or the previous
 * keyset page at the edges of the current one. */
static void sup_rows_move(sup *c, int delta)
{
	c->rsel += delta;
	if (c->rsel >= (int)c->nrows && !c->rows_at_end && c->nrows) {
		if (c->nrstack == c->caprstack) {
			c->caprstack = c->caprstack ? c->caprstack * 2 : 16;
			c->rstack = dk_xrealloc(c->rstack, c->caprstack * sizeof *c->rstack);
		}
		c->rstack[c->nrstack++] = (struct sup_rows_mark){c->rows_after, c->rows_base};
		int over = c->rsel - (int)c->nrows;
		c->rows_base += (int64_t)c->nrows;
		sup_rows_fetch(c, c->rows[c->nrows - 1].case_row);
		c->rsel = over;
		c->rtop = 0;
	} else if (c->rsel < 0 && c->nrstack) {
		int over = c->rsel;
		struct sup_rows_mark m = c->rstack[--c->nrstack];
		c->rows_base = m.base;
		sup_rows_fetch(c, m.after);
		c->rsel = (int)c->nrows + over;
		c->rtop = c->rsel;
	}
	sup_rows_show(c);
}

/* A key's name from the live table ("Enter", "r"), into buf (16 bytes). */
static const char *sup_key_name(int action, char *buf, size_t len)
{
	return keymap_key_name(sup_action_key(action), buf, len);
}

static void sup_draw_rows(sup *c, screen *scr, int y0, int y1)
{
	const char *what = c->tab == SUPT_ESC ? "escalated" : "disputed (double review disagreed)";
	char n[64], ko[16], kr[16];
	sbuf head = {0};
	sbuf_printf(&head, "%s %s", screen_count(n, sizeof n, c->nwaiting, "case", "cases"),
		    what);
	if (c->rows_filter_text[0])
		sbuf_printf(&head, "; filter: %s", c->rows_filter_text);
	if (c->nrows)
		sbuf_printf(&head, "; at %lld", (long long)(c->rows_base + c->rsel + 1));
	sbuf_printf(&head, "; %s opens, %s resolves the selected one",
		    sup_key_name(SUP_OPEN, ko, sizeof ko),
		    sup_key_name(SUP_RESOLVE, kr, sizeof kr));
	screen_put_cut(scr, y0++, 0, -1, THEME_ROLE_DIM, 0, sbuf_str(&head), TEXT_NUL);
	sbuf_free(&head);
	if (!c->nrows) {
		screen_put(scr, y0 + 1, 2, -1, THEME_ROLE_DIM, 0,
			   c->rows_filter_text[0] ? "nothing waiting matches the filter"
						  : "nothing waiting", TEXT_NUL);
		return;
	}
	screen_put_cut(scr, y0++, 0, -1, THEME_ROLE_RULE, SCREEN_BOLD,
		       "  id             model      model says  waiting since     reason",
		       TEXT_NUL);
	int list = (y1 - y0) / 3;
	if (list < 3)
		list = 3;
	c->rtop = sup_list_top(c->rtop, c->rsel, (int)c->nrows, list);
	int y = y0;
	for (int i = c->rtop; i < (int)c->nrows && y < y0 + list; i++, y++) {
		const struct sup_row *r = &c->rows[i];
		int role = i == c->rsel ? THEME_ROLE_SELECTED : THEME_ROLE_NORMAL;
		if (i == c->rsel)
			screen_paint_role(scr, y, 0, scr->w, role, 0);
		char at[32] = SCREEN_MISSING;
		if (r->since) {
			clock_format_iso(r->since, at, sizeof at);
			at[16] = '\0';
			at[10] = ' ';
		}
		sbuf line = {0};
		sbuf_adds(&line, "  ");
		logq_cell(&line, r->ext_id, 14, 0);
		sbuf_addc(&line, ' ');
		logq_cell(&line, r->model, 10, 0);
		sbuf_addc(&line, ' ');
		logq_cell(&line, r->prediction, 11, 0);
		sbuf_printf(&line, " %-16s  %s", at, screen_or_missing(r->reason));
		screen_put_cut(scr, y, 0, -1, role, 0, sbuf_str(&line), TEXT_NUL);
		sbuf_free(&line);
	}
	/* the selected case's history below (both sides and their reasons);
	 * the whole case, as its reviewer saw it, is one key away */
	y = y0 + list;
	if (!c->dcase_ok || c->detail_case != c->rows[c->rsel].case_row || y >= y1)
		return;
	int rows = y1 - y - 1; /* the last row says what Enter shows */
	struct screen_lines l = {y, y, 0, 0};
	sup_lines_history(c, scr, &l);
	int total = l.n;
	l = (struct screen_lines){y, y + rows, 0, 0};
	sup_lines_history(c, scr, &l);
	sbuf more = {0};
	if (total > rows)
		sbuf_printf(&more, "%s more: ",
			    screen_count(n, sizeof n, total - rows, "line", "lines"));
	sbuf_printf(&more, "%s opens the whole case as its reviewer saw it", ko);
	screen_put_cut(scr, y + (total < rows ? total : rows), 2, -1, THEME_ROLE_DIM, 0,
		       sbuf_str(&more), TEXT_NUL);
	sbuf_free(&more);
}

static void sup_labels_load(sup *c, int64_t case_row)
{
	for (size_t i = 0; i < c->nlabels; i++)
		free(c->labels[i]);
	free(c->labels);
	c->labels = NULL;
	c->nlabels = 0;
	dk_error err = {{0}};
	db_stmt *st = store_stmt(c->s,
				      "SELECT j.value FROM cases c JOIN models m"
				      " ON m.id = c.model_id, json_each(m.labels) j"
				      " WHERE c.id = ?1",
				      &err);
	if (!st) {
		sup_status(c, THEME_ROLE_ERROR, "%s", err.msg);
		return;
	}
	db_bind_int64(st, 1, case_row);
	while (db_step(st) == DB_ROW) {
		c->labels = dk_xrealloc(c->labels, (c->nlabels + 1) * sizeof *c->labels);
		c->labels[c->nlabels++] = dk_xstrdup((const char *)db_col_text(st, 0));
	}
	if (store_done(st) != DB_OK) {
		store_fail(c->s, &err, "reading the model's labels");
		sup_status(c, THEME_ROLE_ERROR, "%s", err.msg);
	}
}

/* Ask for the final label of case_row (then a note, then resolve). */
static void sup_resolve_start(sup *c, int64_t case_row)
{
	c->resolve_case = case_row;
	c->resolve_started = clock_now_ms();
	sup_labels_load(c, case_row);
	c->prompt = SUP_PROMPT_LABEL;
}

static void sup_resolve(sup *c)
{
	queue_decision d = {0};
	d.action = ACTION_RESOLVE;
	d.label = c->resolve_label;
	const char *note = text_edit_str(&c->edit);
	d.note = *note ? note : NULL;
	d.seconds = (double)(clock_now_ms() - c->resolve_started) / 1000.0;
	queue_outcome out;
	dk_error err = {{0}};
	if (queue_decide(c->s, c->who, c->resolve_case, &d, &out, &err) != DK_OK) {
		sup_status(c, THEME_ROLE_ERROR, "%s", err.msg);
		return;
	}
	char msg[256];
	snprintf(msg, sizeof msg, "resolved as %s (entry %lld, case now %s)",
		 c->resolve_label, (long long)out.seq, out.state);
	sup_status(c, THEME_ROLE_STATUS_OK, "%s", msg);
	sup_rows_load(c, 0);
}

/* ---- prompts and filters ---- */

/* Start typing at the bottom line, from text (NULL: empty). */
static void sup_prompt_open(sup *c, enum sup_prompt p, const char *text)
{
	c->prompt = p;
	text_edit_set(&c->edit, text);
	c->edit.max = 255; /* what filter_text and by hold */
	c->edit_start = 0;
}

/* "30m", "2h", "3d" (or seconds "90s") into ms. Returns 0 or 1. */
static int sup_parse_age(const char *v, int64_t *ms)
{
	char *end;
	long long n = strtoll(v, &end, 10);
	if (end == v || n < 0 || n > 100000 || !end[0] || end[1])
		return 1;
	int64_t unit = end[0] == 's' ? 1000 : end[0] == 'm' ? 60000
		       : end[0] == 'h' ? 3600000 : end[0] == 'd' ? 86400000 : 0;
	if (!unit)
		return 1;
	*ms = (int64_t)n * unit;
	return 0;
}

#define SUP_ROWS_KEYS "model= reason= age= (30m, 2h, 3d: waiting at least)"

int sup_rows_filter_parse(const char *text, struct sup_rows_filter *out,
			  char *msg, size_t len)
{
	struct sup_rows_filter f;
	memset(&f, 0, sizeof f);
	char copy[256];
	snprintf(copy, sizeof copy, "%s", text);
	char *save = NULL;
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(w, '=');
		if (!eq) {
			snprintf(msg, len, "filter: '%s' is not KEY=VALUE; known here: %s",
				 w, SUP_ROWS_KEYS);
			return 1;
		}
		*eq = '\0';
		const char *v = eq + 1;
		if (!strcmp(w, "model")) {
			snprintf(f.model, sizeof f.model, "%s", v);
		} else if (!strcmp(w, "reason")) {
			snprintf(f.reason, sizeof f.reason, "%s", v);
		} else if (!strcmp(w, "age")) {
			if (sup_parse_age(v, &f.min_age_ms)) {
				snprintf(msg, len, "filter: bad age '%s' (30m, 2h, 3d)", v);
				return 1;
			}
		} else {
			snprintf(msg, len, "filter: unknown key '%s='; known here: %s", w,
				 SUP_ROWS_KEYS);
			return 1;
		}
	}
	*out = f;
	return 0;
}

/* ---- frame ---- */

void sup_set_tab(sup *c, enum sup_tab t)
{
	c->tab = t;
	c->detail = 0;
	c->status[0] = '\0';
	switch (t) {
	case SUPT_LOG:
		if (!c->lq)
			sup_log_open(c);
		break;
	case SUPT_ESC:
	case SUPT_DIS:
		sup_rows_load(c, 1);
		break;
	case SUPT_REV:
	case SUPT_MODEL:
		if (!c->st)
			sup_load_stats(c);
		if (t == SUPT_MODEL && c->model_view == SUP_MV_DRIFT && !c->drift)
			sup_load_drift(c);
		break;
	case SUPT_AUDIT: sup_load_audit(c, 0); break;
	case SUPT_NTABS: break;
	}
}

int sup_init(sup *c, store *s, const char *who, dk_error *err)
{
	memset(c, 0, sizeof *c);
	c->s = s;
	c->h = 24;
	c->w = 80;
	snprintf(c->who, sizeof c->who, "%s", who);
	c->dscroll.total = -1;
	config_init(&c->cfg);
	c->rv.cfg = &c->cfg; /* no source: the case pane offers no reveal */
	for (int t = 0; t < SUPT_NTABS; t++)
		c->tscroll[t].total = -1;
	sup_set_tab(c, SUPT_LOG);
	if (!c->lq)
		return dk_fail(err, "%s", c->status);
	return DK_OK;
}

void sup_done(sup *c)
{
	drift_free(c->drift);
	logq_close(c->lq);
	logq_page_clear(&c->page);
	free(c->page.e);
	logq_page_clear(&c->hist);
	free(c->hist.e);
	logq_page_clear(&c->exports);
	free(c->exports.e);
	logq_page_clear(&c->reveals);
	free(c->reveals.e);
	if (c->dcase_ok)
		queue_case_free(&c->dcase);
	review_case_free(c->rcase);
	free(c->rv.text_offs); /* the case pane's line starts (view_case.c) */
	text_edit_free(&c->edit);
	config_free(&c->cfg);
	free(c->stack);
	free(c->rows);
	free(c->rstack);
	for (size_t i = 0; i < c->nlabels; i++)
		free(c->labels[i]);
	free(c->labels);
	stats_free(c->st);
	memset(c, 0, sizeof *c);
}

/* A line per action of the key table: its key and what it does. */
static void sup_lines_help(sup *c, screen *scr, struct screen_lines *l)
{
	(void)c;
	for (int a = 1; a < SUP_COUNT; a++) {
		int y = screen_lines_next(l);
		if (y < 0)
			continue;
		char kn[16];
		keymap_key_name(sup_keys[a].key, kn, sizeof kn);
		screen_put(scr, y, 2, 10, THEME_ROLE_KEY, SCREEN_BOLD, kn, TEXT_NUL);
		screen_put_cut(scr, y, 14, -1, THEME_ROLE_NORMAL, 0, sup_keys[a].help,
			       TEXT_NUL);
	}
}

/* Help: every key, scrolling on a short terminal. */
static void sup_draw_help(sup *c, screen *scr)
{
	char kd[16], ku[16];
	screen_put(scr, 0, 0, -1, THEME_ROLE_HEADER, SCREEN_BOLD,
		   "docket supervise: keys", TEXT_NUL);
	sup_scrolled(c, scr, 2, scr->h - 2, &c->hscroll, sup_lines_help);
	screen_paint_role(scr, scr->h - 1, 0, scr->w, THEME_ROLE_FOOTER, 0);
	screen_printf(scr, scr->h - 1, 0, -1, THEME_ROLE_FOOTER, 0,
		      "%s/%s scroll  any other key closes",
		      sup_key_name(SUP_DOWN, kd, sizeof kd), sup_key_name(SUP_UP, ku, sizeof ku));
}

/* A footer's keys: actions, so the key shown is the live table's; b, when
 * set, joins a second key ("j/k") or ends a range of them ("1-6"). */
struct sup_hint {
	int a, b;
	const char *what;
};

#define SUP_HINT_TABS {SUP_TAB_LOG, SUP_TAB_AUDIT, "tabs"}
#define SUP_HINT_END {SUP_HELP, 0, "help"}, {SUP_QUIT, 0, "quit"}, {0, 0, NULL}

static const struct sup_hint *sup_hints(const sup *c)
{
	static const struct sup_hint log[] = {
		SUP_HINT_TABS, {SUP_DOWN, SUP_UP, "move"}, {SUP_OPEN, 0, "open"},
		{SUP_FILTER, 0, "filter"}, {SUP_TOP, 0, "newest"}, SUP_HINT_END};
	static const struct sup_hint rows[] = {
		SUP_HINT_TABS, {SUP_DOWN, SUP_UP, "move"}, {SUP_OPEN, 0, "open"},
		{SUP_RESOLVE, 0, "resolve"}, {SUP_TOP, 0, "first"}, SUP_HINT_END};
	static const struct sup_hint rev[] = {
		SUP_HINT_TABS, {SUP_DOWN, SUP_UP, "scroll"}, {SUP_RELOAD, 0, "reload"},
		SUP_HINT_END};
	static const struct sup_hint model[] = {
		SUP_HINT_TABS, {SUP_DOWN, SUP_UP, "scroll"}, {SUP_NEXT_MODEL, 0, "next model"},
		{SUP_BY, 0, "by field"}, {SUP_DRIFT, 0, "drift"}, {SUP_FAIRNESS, 0, "fairness"},
		{SUP_RELOAD, 0, "reload"}, SUP_HINT_END};
	static const struct sup_hint audit[] = {
		SUP_HINT_TABS, {SUP_DOWN, SUP_UP, "scroll"},
		{SUP_VERIFY, 0, "check new entries"}, {SUP_VERIFY_ALL, 0, "verify every entry"},
		SUP_HINT_END};
	static const struct sup_hint open_log[] = {
		{SUP_CLOSE, 0, "back"}, {SUP_DOWN, SUP_UP, "scroll"}, SUP_HINT_END};
	static const struct sup_hint open_rows[] = {
		{SUP_CLOSE, 0, "back"}, {SUP_DOWN, SUP_UP, "scroll"},
		{SUP_RESOLVE, 0, "resolve"}, SUP_HINT_END};
	int waiting = c->tab == SUPT_ESC || c->tab == SUPT_DIS;
	if (c->detail)
		return waiting ? open_rows : open_log;
	switch (c->tab) {
	case SUPT_LOG: return log;
	case SUPT_ESC: case SUPT_DIS: return rows;
	case SUPT_REV: return rev;
	case SUPT_MODEL: return model;
	default: return audit;
	}
}

/* The footer text of hints: "1-6 tabs  j/k move  Enter open ...". */
static void sup_footer(const struct sup_hint *h, sbuf *out)
{
	for (; h->a; h++) {
		char k1[16], k2[16];
		if (sbuf_str(out)[0])
			sbuf_adds(out, "  ");
		sup_key_name(h->a, k1, sizeof k1);
		if (h->b)
			sbuf_printf(out, "%s%s%s %s", k1, h->b == SUP_TAB_AUDIT ? "-" : "/",
				    sup_key_name(h->b, k2, sizeof k2), h->what);
		else
			sbuf_printf(out, "%s %s", k1, h->what);
	}
}

/* The tab bar: "supervise WHO" and the tabs when they fit; else the
 * tabs first and WHO in what is left (cut with a mark); on a narrow
 * screen the tabs' short names, then their numbers only. */
static void sup_draw_tabs(sup *c, screen *scr)
{
	static const char *const shortn[SUPT_NTABS] = {"Log", "Esc", "Dis", "Rev",
						       "Model", "Audit"};
	screen_paint_role(scr, 0, 0, scr->w, THEME_ROLE_HEADER, 0);
	char label[SUPT_NTABS][32];
	int form, tabs_w = 0;
	for (form = 0; form < 3; form++) {
		tabs_w = 0;
		for (int t = 0; t < SUPT_NTABS; t++) {
			if (form == 2)
				snprintf(label[t], sizeof label[t], " %d ", t + 1);
			else
				snprintf(label[t], sizeof label[t], " %d %s ", t + 1,
					 form ? shortn[t] : sup_tab_names[t]);
			tabs_w += text_width(label[t], TEXT_NUL);
		}
		if (tabs_w <= scr->w)
			break;
	}
	sbuf who = {0};
	sbuf_printf(&who, "supervise %s ", c->who);
	int x = 0, whow = text_width(sbuf_str(&who), TEXT_NUL);
	if (whow + tabs_w <= scr->w)
		x = screen_put(scr, 0, 0, -1, THEME_ROLE_HEADER, SCREEN_BOLD, sbuf_str(&who),
			       TEXT_NUL);
	for (int t = 0; t < SUPT_NTABS; t++)
		x += screen_put_cut(scr, 0, x, -1,
				    t == (int)c->tab ? THEME_ROLE_SELECTED : THEME_ROLE_HEADER,
				    t == (int)c->tab ? SCREEN_BOLD : 0, label[t], TEXT_NUL);
	if (whow + tabs_w > scr->w && x + 2 < scr->w)
		screen_put_cut(scr, 0, x + 1, -1, THEME_ROLE_HEADER, 0, c->who, TEXT_NUL);
	sbuf_free(&who);
}

static void sup_draw(void *ctx, screen *scr)
{
	sup *c = ctx;
	c->h = scr->h;
	c->w = scr->w;
	if (c->help) {
		sup_draw_help(c, scr);
		return;
	}
	/* tab bar */
	sup_draw_tabs(c, scr);
	int y1 = scr->h - 2;
	if (c->detail)
		sup_draw_case(c, scr, 1, y1);
	else if (c->tab == SUPT_LOG)
		sup_draw_log(c, scr, 1, y1);
	else if (c->tab == SUPT_ESC || c->tab == SUPT_DIS)
		sup_draw_rows(c, scr, 1, y1);
	else if (c->tab == SUPT_REV)
		sup_draw_reviewers(c, scr, 1, y1);
	else if (c->tab == SUPT_MODEL && c->model_view == SUP_MV_DRIFT)
		sup_draw_drift(c, scr, 1, y1);
	else if (c->tab == SUPT_MODEL && c->model_view == SUP_MV_FAIRNESS)
		sup_draw_fairness(c, scr, 1, y1);
	else if (c->tab == SUPT_MODEL)
		sup_draw_model(c, scr, 1, y1);
	else
		sup_draw_audit(c, scr, 1, y1);
	/* status, then the prompt or the keys */
	if (c->status[0])
		screen_put_cut(scr, scr->h - 2, 0, -1, c->status_role, 0, c->status, TEXT_NUL);
	int fy = scr->h - 1;
	screen_paint_role(scr, fy, 0, scr->w, THEME_ROLE_FOOTER, 0);
	if (c->prompt == SUP_PROMPT_LABEL) {
		int px = screen_put(scr, fy, 0, -1, THEME_ROLE_DIALOG, SCREEN_BOLD,
				    "final label:", TEXT_NUL);
		for (size_t i = 0; i < c->nlabels && i < 9; i++)
			px += screen_printf(scr, fy, px, -1, THEME_ROLE_DIALOG, 0, " %zu %s",
					    i + 1, c->labels[i]);
		screen_put(scr, fy, px, -1, THEME_ROLE_DIM, 0, "  (Esc cancels)", TEXT_NUL);
	} else if (c->prompt != SUP_PROMPT_NONE) {
		const char *p = c->prompt == SUP_PROMPT_FILTER ? "filter: "
				: c->prompt == SUP_PROMPT_BY   ? "override rate by field: "
				: c->prompt == SUP_PROMPT_POSITIVE ? "fairness: positive label: "
							       : "note (Enter saves): ";
		int px = screen_put(scr, fy, 0, -1, THEME_ROLE_DIALOG, SCREEN_BOLD, p, TEXT_NUL);
		/* the part around the cursor shows; a cut end is marked */
		int room = scr->w - px;
		int cx = text_edit_view(&c->edit, room, &c->edit_start);
		screen_put_cut(scr, fy, px, room, THEME_ROLE_INPUT, 0,
			       text_edit_str(&c->edit) + c->edit_start, TEXT_NUL);
		scr->cursor_y = fy;
		scr->cursor_x = px + cx;
	} else {
		sbuf keys = {0};
		sup_footer(sup_hints(c), &keys);
		screen_put_cut(scr, fy, 0, -1, THEME_ROLE_FOOTER, 0, sbuf_str(&keys), TEXT_NUL);
		sbuf_free(&keys);
	}
}

/* A key while typing. Returns view_result bits. */
static int sup_prompt_key(sup *c, int key)
{
	if (c->prompt == SUP_PROMPT_LABEL) {
		if (key == KEY_DK_ESC) {
			c->prompt = SUP_PROMPT_NONE;
			sup_status(c, THEME_ROLE_STATUS, "%s", "not resolved");
			return VIEW_REDRAW;
		}
		if (key >= '1' && key <= '9' && (size_t)(key - '1') < c->nlabels) {
			snprintf(c->resolve_label, sizeof c->resolve_label, "%s",
				 c->labels[key - '1']);
			sup_prompt_open(c, SUP_PROMPT_NOTE, NULL);
		}
		return VIEW_REDRAW;
	}
	if (key == KEY_DK_ESC) {
		c->prompt = SUP_PROMPT_NONE;
		return VIEW_REDRAW;
	}
	if (key == KEY_DK_ENTER || key == '\r') {
		const char *text = text_edit_str(&c->edit);
		switch (c->prompt) {
		case SUP_PROMPT_FILTER: {
			/* a bad filter keeps the line for mending; a good
			 * one clears the error it left */
			char msg[300];
			if (c->tab == SUPT_LOG) {
				if (sup_parse_filter(c, text))
					return VIEW_REDRAW;
			} else if (sup_rows_filter_parse(text, &c->rf, msg, sizeof msg)) {
				sup_status(c, THEME_ROLE_ERROR, "%s", msg);
				return VIEW_REDRAW;
			}
			c->prompt = SUP_PROMPT_NONE;
			c->status[0] = '\0';
			if (c->tab == SUPT_LOG) {
				sup_log_open(c);
			} else {
				snprintf(c->rows_filter_text, sizeof c->rows_filter_text, "%s",
					 text);
				sup_rows_load(c, 1);
			}
			break;
		}
		case SUP_PROMPT_NOTE:
			c->prompt = SUP_PROMPT_NONE;
			sup_resolve(c);
			break;
		case SUP_PROMPT_POSITIVE:
			c->prompt = SUP_PROMPT_NONE;
			snprintf(c->positive, sizeof c->positive, "%.127s", text);
			c->model_view = c->positive[0] ? SUP_MV_FAIRNESS : SUP_MV_FIGURES;
			c->tscroll[SUPT_MODEL].first = 0;
			sup_load_fairness(c);
			break;
		case SUP_PROMPT_BY:
			c->prompt = SUP_PROMPT_NONE;
			snprintf(c->by, sizeof c->by, "%s", text);
			sup_load_fairness(c);
			break;
		default: c->prompt = SUP_PROMPT_NONE; break;
		}
		return VIEW_RELOAD;
	}
	/* Left/Right, Home/End, C-a/C-e, C-u, C-w, C-k and the rest: a shell
	 * prompt's editing, by whole character */
	text_edit_key(&c->edit, key);
	return VIEW_REDRAW;
}

/* A scroll key on s; page is the area's rows. Returns 1 if a was one. */
static int sup_scroll_key(struct sup_scroll *s, int a, int page)
{
	if (s->rows > 1)
		page = s->rows - 1; /* a line of the last page stays in sight */
	switch (a) {
	case SUP_DOWN: sup_scroll_by(s, 1); return 1;
	case SUP_UP: sup_scroll_by(s, -1); return 1;
	case SUP_PAGE_DOWN: sup_scroll_by(s, page); return 1;
	case SUP_PAGE_UP: sup_scroll_by(s, -page); return 1;
	case SUP_TOP: s->first = 0; return 1;
	default: return 0;
	}
}

/* A key on the open case. */
static int sup_detail_key(sup *c, int a, int page)
{
	if (a == SUP_CLOSE) {
		c->detail = 0;
		return VIEW_REDRAW;
	}
	if (sup_scroll_key(&c->dscroll, a, page))
		return VIEW_REDRAW;
	if (a == SUP_RESOLVE && (c->tab == SUPT_ESC || c->tab == SUPT_DIS)) {
		sup_resolve_start(c, c->detail_case);
		return VIEW_REDRAW;
	}
	return VIEW_NONE;
}

static int sup_handle(void *ctx, int key)
{
	sup *c = ctx;
	if (key == KEY_DK_IDLE)
		return c->prompt == SUP_PROMPT_NONE && !c->help ? sup_live_poll(c)
								 : VIEW_NONE;
	if (key == KEY_DK_NONE)
		return VIEW_NONE;
	if (key == KEY_DK_RESIZE)
		return VIEW_REDRAW;
	int a = sup_key_action(key);
	int page = c->h - 4 > 1 ? c->h - 4 : 1;
	if (c->help) {
		if (!sup_scroll_key(&c->hscroll, a, page))
			c->help = 0;
		return VIEW_REDRAW;
	}
	if (c->prompt != SUP_PROMPT_NONE)
		return sup_prompt_key(c, key);
	switch (a) {
	case SUP_QUIT: return VIEW_QUIT;
	case SUP_HELP:
		c->help = 1;
		c->hscroll = (struct sup_scroll){0, -1, 0};
		return VIEW_REDRAW;
	case SUP_TAB_LOG: case SUP_TAB_ESC: case SUP_TAB_DIS:
	case SUP_TAB_REV: case SUP_TAB_MODEL: case SUP_TAB_AUDIT:
		sup_set_tab(c, (enum sup_tab)(a - SUP_TAB_LOG));
		return VIEW_RELOAD;
	case SUP_NEXT_TAB:
		sup_set_tab(c, (enum sup_tab)((c->tab + 1) % SUPT_NTABS));
		return VIEW_RELOAD;
	case SUP_PREV_TAB:
		sup_set_tab(c, (enum sup_tab)((c->tab + SUPT_NTABS - 1) % SUPT_NTABS));
		return VIEW_RELOAD;
	case SUP_RELOAD:
		if (c->tab == SUPT_REV || c->tab == SUPT_MODEL) {
			stats_free(c->st);
			c->st = NULL;
			drift_free(c->drift);
			c->drift = NULL;
		}
		if (c->tab == SUPT_LOG)
			sup_log_open(c);
		else if (c->tab == SUPT_ESC || c->tab == SUPT_DIS)
			sup_rows_load(c, 0);
		else
			sup_set_tab(c, c->tab);
		return VIEW_RELOAD;
	default: break;
	}
	if (c->detail)
		return sup_detail_key(c, a, page);
	switch (c->tab) {
	case SUPT_LOG:
		switch (a) {
		case SUP_DOWN: sup_log_move(c, 1); return VIEW_REDRAW;
		case SUP_UP: sup_log_move(c, -1); return VIEW_REDRAW;
		case SUP_PAGE_DOWN: sup_log_move(c, page); return VIEW_REDRAW;
		case SUP_PAGE_UP: sup_log_move(c, -page); return VIEW_REDRAW;
		case SUP_TOP: sup_log_open(c); return VIEW_RELOAD;
		case SUP_OPEN:
			if (c->page.n)
				sup_detail_open(c, c->page.e[c->sel].case_row);
			return VIEW_REDRAW;
		case SUP_FILTER:
			sup_prompt_open(c, SUP_PROMPT_FILTER, c->filter_text);
			return VIEW_REDRAW;
		default: return VIEW_NONE;
		}
	case SUPT_ESC:
	case SUPT_DIS:
		switch (a) {
		case SUP_DOWN: case SUP_UP: case SUP_PAGE_DOWN: case SUP_PAGE_UP:
			sup_rows_move(c, a == SUP_DOWN ? 1 : a == SUP_UP ? -1
					 : a == SUP_PAGE_DOWN ? page / 3 : -page / 3);
			return VIEW_REDRAW;
		case SUP_TOP:
			sup_rows_load(c, 1);
			return VIEW_REDRAW;
		case SUP_OPEN: /* the selected case, whole, scrolling */
			if (!c->nrows || !c->dcase_ok)
				return VIEW_NONE;
			c->detail = 1;
			c->dscroll = (struct sup_scroll){0, -1, 0};
			return VIEW_REDRAW;
		case SUP_RESOLVE:
			if (!c->nrows)
				return VIEW_NONE;
			sup_resolve_start(c, c->rows[c->rsel].case_row);
			return VIEW_REDRAW;
		case SUP_FILTER:
			sup_prompt_open(c, SUP_PROMPT_FILTER, c->rows_filter_text);
			return VIEW_REDRAW;
		default: return VIEW_NONE;
		}
	case SUPT_MODEL:
		if (a == SUP_NEXT_MODEL && c->st && c->st->nmodels) {
			c->model_i = (c->model_i + 1) % c->st->nmodels;
			c->tscroll[SUPT_MODEL].first = 0;
			drift_free(c->drift);
			c->drift = NULL;
			if (c->model_view == SUP_MV_DRIFT)
				sup_load_drift(c);
			return VIEW_REDRAW;
		}
		if (a == SUP_DRIFT) {
			c->tscroll[SUPT_MODEL].first = 0;
			c->model_view = c->model_view == SUP_MV_DRIFT ? SUP_MV_FIGURES
								     : SUP_MV_DRIFT;
			if (c->model_view == SUP_MV_DRIFT && !c->drift)
				sup_load_drift(c);
			return VIEW_REDRAW;
		}
		if (a == SUP_FAIRNESS) {
			c->tscroll[SUPT_MODEL].first = 0;
			if (c->model_view == SUP_MV_FAIRNESS) {
				c->model_view = SUP_MV_FIGURES;
				return VIEW_REDRAW;
			}
			if (!c->by[0]) {
				sup_status(c, THEME_ROLE_STATUS, "%s",
					   "fairness: choose a field with f first");
				return VIEW_REDRAW;
			}
			sup_prompt_open(c, SUP_PROMPT_POSITIVE, c->positive);
			return VIEW_REDRAW;
		}
		if (a == SUP_BY) {
			sup_prompt_open(c, SUP_PROMPT_BY, c->by);
			return VIEW_REDRAW;
		}
		break;
	case SUPT_AUDIT:
		if (a == SUP_VERIFY || a == SUP_VERIFY_ALL) {
			sup_load_audit(c, a == SUP_VERIFY ? 1 : 2);
			return VIEW_RELOAD;
		}
		break;
	case SUPT_REV:
	case SUPT_NTABS: break;
	}
	/* Reviewers, Model, Audit scroll */
	if (c->tab < SUPT_NTABS && sup_scroll_key(&c->tscroll[c->tab], a, page))
		return VIEW_REDRAW;
	return VIEW_NONE;
}

const view_ops view_sup = {
	.name = "supervise",
	.draw = sup_draw,
	.handle = sup_handle,
};
