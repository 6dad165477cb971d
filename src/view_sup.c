/* view_sup.c: the supervisor's screen: tab bar, keys, prompts, the Log tab
 * (keyset pages of the log, a case with its history) and the Escalations and
 * Disagreements tabs with resolve. Reviewers, Model, Audit: view_sup_health.c. */
#include "docket/view_sup.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docket/clock.h"
#include "docket/keymap.h"
#include "docket/text.h"
#include "docket/theme.h"

/* Entries fetched per core page; the screen shows a window into it. */
#define SUP_PAGE 200
/* Seq values one fetch may pass over, so a rare filter never stalls. */
#define SUP_BUDGET 50000
/* Waiting cases fetched per keyset page of Escalations / Disagreements. */
#define SUP_ROWS_PAGE 200

/* Drawing of the other tabs (view_sup_health.c). */
void sup_draw_reviewers(sup *c, screen *scr, int y0, int y1);
void sup_draw_model(sup *c, screen *scr, int y0, int y1);
void sup_draw_audit(sup *c, screen *scr, int y0, int y1);
void sup_load_stats(sup *c);
void sup_load_audit(sup *c, int verify); /* 0 no, 1 quick, 2 full */
/* An audit entry's detail in words ("name, phone"; nothing for others). */
void sup_detail_words(sup *c, const struct logq_entry *e, sbuf *out);

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
	sup_log_fetch(c, LOGQ_NEWEST);
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
				*eq = '=';
			}
		}
		if (slot) {
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
	logq_page_clear(&c->hist);
	if (!case_row) {
		sup_status(c, THEME_ROLE_ERROR, "%s", "this entry is not about a case");
		return;
	}
	if (queue_case_load(c->s, case_row, &c->dcase, &err) != DK_OK) {
		sup_status(c, THEME_ROLE_ERROR, "%s", err.msg);
		return;
	}
	c->dcase_ok = 1;
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

static void sup_draw_log(sup *c, screen *scr, int y0, int y1)
{
	const struct text_glyphs *g = text_glyphs();
	char head[400];
	snprintf(head, sizeof head, "%s%s; %s marks an amendment  (head %lld)",
		 c->filter_text[0] ? "filter: " : "all decisions, newest first",
		 c->filter_text, SUP_AMEND_MARK, (long long)logq_head(c->s));
	screen_put_cut(scr, y0, 0, -1, THEME_ROLE_DIM, 0, head, TEXT_NUL);
	y0++;
	screen_printf(scr, y0, 0, -1, THEME_ROLE_RULE, SCREEN_BOLD,
		      "%8s  %-16s  %-10s  %-12s  %-8s  %-17s  %-14s  %s", "seq", "at (UTC)",
		      "reviewer", "id", "action", "model -> label", "reason", "note");
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
		if (!e->model_label && !e->label)
			snprintf(labels, sizeof labels, "%s", SCREEN_MISSING);
		else
			snprintf(labels, sizeof labels, "%s %s %s",
				 screen_or_missing(e->model_label), g->right,
				 screen_or_missing(e->label));
		int role = i == c->sel ? THEME_ROLE_SELECTED : THEME_ROLE_NORMAL;
		if (i == c->sel)
			screen_paint_role(scr, y, 0, scr->w, role, 0);
		screen_printf(scr, y, 0, 8, role, 0, "%8lld", (long long)e->seq);
		if (sup_is_amend(e))
			screen_put(scr, y, 8, 1, role, SCREEN_BOLD, SUP_AMEND_MARK, TEXT_NUL);
		screen_put(scr, y, 10, 18, role, 0, at, TEXT_NUL);
		screen_put_cut(scr, y, 28, 10, role, 0, e->reviewer, TEXT_NUL);
		screen_put_cut(scr, y, 40, 12, role, 0, screen_or_missing(e->ext_id), TEXT_NUL);
		int arole = role;
		if (i != c->sel && e->action) {
			if (!strcmp(e->action, "override"))
				arole = THEME_ROLE_NEG;
			else if (!strcmp(e->action, "escalate") || !strcmp(e->action, "resolve"))
				arole = THEME_ROLE_ERROR;
		}
		screen_put_cut(scr, y, 54, 8, arole, 0, e->action, TEXT_NUL);
		screen_put_cut(scr, y, 64, 17, role, 0, labels, TEXT_NUL);
		screen_put_cut(scr, y, 83, 14, role, 0, screen_or_missing(e->reason), TEXT_NUL);
		/* the note column leads with what the entry does to an earlier one */
		sbuf note = {0};
		if (sup_ref_text(e, ref, sizeof ref))
			sbuf_printf(&note, "%s%s", ref, e->note && *e->note ? "; " : "");
		if (e->note && *e->note)
			sbuf_adds(&note, e->note);
		screen_put_cut(scr, y, 99, -1, role, 0, screen_or_missing(sbuf_str(&note)),
			       TEXT_NUL);
		sbuf_free(&note);
	}
}

/* One line of a case's history: seq, time, who, what, the label, reason
 * and note, what it does to an earlier entry, and what a reveal showed. */
static void sup_history_line(sup *c, const struct logq_entry *e, sbuf *out)
{
	char at[32], ref[64];
	clock_format_iso(e->at, at, sizeof at);
	sbuf_printf(out, "%5lld %s ", (long long)e->seq, at);
	logq_cell(out, e->reviewer, 10, 0);
	sbuf_addc(out, ' ');
	logq_cell(out, e->action, 8, 0);
	sbuf_printf(out, " %s", screen_or_missing(e->label));
	if (e->reason)
		sbuf_printf(out, "  reason: %s", e->reason);
	if (e->note)
		sbuf_printf(out, "  note: %s", e->note);
	if (sup_ref_text(e, ref, sizeof ref))
		sbuf_printf(out, "  %s", ref);
	if (e->action && !strcmp(e->action, ACTION_REVEAL)) {
		sbuf_adds(out, "  fields: ");
		sup_detail_words(c, e, out);
	}
}

/* The open case: what it is, its whole history oldest first (both sides
 * and every reason near the top), then the case as its reviewer saw it
 * (personal fields masked). */
static void sup_lines_case(sup *c, screen *scr, struct screen_lines *l)
{
	const struct text_glyphs *g = text_glyphs();
	const queue_case *k = &c->dcase;
	char n[64];
	int y;
	if ((y = screen_lines_next(l)) >= 0)
		screen_printf(scr, y, 0, -1, THEME_ROLE_TITLE, SCREEN_BOLD,
			      "case %s  model %s  state %s", k->ext_id, k->model, k->state);
	if ((y = screen_lines_next(l)) >= 0) {
		int x = screen_printf(scr, y, 0, -1, THEME_ROLE_NORMAL, 0, "prediction ");
		x += screen_put(scr, y, x, -1, THEME_ROLE_PREDICTION, SCREEN_BOLD,
				k->prediction, TEXT_NUL);
		x += screen_printf(scr, y, x, -1, THEME_ROLE_NORMAL, 0, "  %.2f ",
				   k->confidence);
		sup_bar(scr, y, x, 20, k->confidence);
		screen_printf(scr, y, x + 21, -1, THEME_ROLE_DIM, 0, "routed: %s",
			      screen_or_missing(k->route_reason));
	}
	if ((y = screen_lines_next(l)) >= 0)
		screen_printf(scr, y, 0, -1, THEME_ROLE_RULE, SCREEN_BOLD,
			      "history (%s, oldest first)",
			      screen_count(n, sizeof n, (long long)c->hist.n, "entry", "entries"));
	for (size_t i = 0; i < c->hist.n; i++) {
		if ((y = screen_lines_next(l)) < 0)
			continue;
		sbuf what = {0};
		sup_history_line(c, &c->hist.e[i], &what);
		screen_put_cut(scr, y, 2, -1, THEME_ROLE_NORMAL, 0, sbuf_str(&what), TEXT_NUL);
		sbuf_free(&what);
	}
	if ((y = screen_lines_next(l)) >= 0)
		screen_put(scr, y, 0, -1, THEME_ROLE_RULE, SCREEN_BOLD,
			   "as the reviewer saw it (personal fields masked)", TEXT_NUL);
	/* context fields, in input order, from the JSON object */
	int shown = 0;
	if (k->context_json) {
		sqlite3_stmt *st = store_stmt(c->s,
					      "SELECT key, CASE WHEN type IN ('object','array')"
					      " THEN json(value) ELSE value END"
					      " FROM json_each(?1)",
					      NULL);
		if (st) {
			sqlite3_bind_text(st, 1, k->context_json, -1, SQLITE_STATIC);
			while (sqlite3_step(st) == SQLITE_ROW) {
				const char *key = (const char *)sqlite3_column_text(st, 0);
				const char *val = (const char *)sqlite3_column_text(st, 1);
				shown++;
				if ((y = screen_lines_next(l)) < 0)
					continue;
				int pii = key && !strncmp(key, "pii:", 4);
				screen_printf(scr, y, 2, 20, THEME_ROLE_FIELD, 0, "%s",
					      pii ? key + 4 : key);
				if (pii) /* a fixed mask: not even the length shows */
					screen_fill(scr, y, 23, 8, THEME_ROLE_MASKED, 0, g->mask);
				else if (!val || !*val)
					screen_put(scr, y, 23, -1, THEME_ROLE_DIM, 0,
						   SCREEN_MISSING, TEXT_NUL);
				else
					screen_put_cut(scr, y, 23, -1, THEME_ROLE_VALUE, 0, val,
						       TEXT_NUL);
			}
			store_done(st);
		}
	}
	if (k->text && *k->text) {
		shown++;
		size_t len = strlen(k->text), off = 0;
		int width = scr->w - 4 > 10 ? scr->w - 4 : 10;
		while (off < len) {
			size_t next;
			size_t cut = text_wrap(k->text + off, len - off, width, &next);
			if ((y = screen_lines_next(l)) >= 0)
				screen_put(scr, y, 2, -1, THEME_ROLE_NORMAL, 0, k->text + off, cut);
			off += next ? next : len - off;
		}
	}
	if (!shown && (y = screen_lines_next(l)) >= 0)
		screen_put(scr, y, 2, -1, THEME_ROLE_DIM, 0, "none: no context field, no text",
			   TEXT_NUL);
}

/* ---- Escalations and Disagreements ---- */

/* The tab's count of waiting cases, from the maintained counters (one row
 * per model and state: never a count over cases). */
static int64_t sup_rows_count(sup *c, const char *state)
{
	sqlite3_stmt *st = store_stmt(
		c->s, "SELECT coalesce(sum(n), 0) FROM counters WHERE state = ?1", NULL);
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
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
	/* cases_waiting: only the escalated and disputed cases are in it */
	sqlite3_stmt *st = store_stmt(
		c->s,
		"SELECT c.id, c.ext_id, m.name, c.prediction,"
		" (SELECT max(d.at) FROM decisions d WHERE d.case_id = c.id)"
		" FROM cases c JOIN models m ON m.id = c.model_id"
		" WHERE (c.state = 'escalated' OR c.state = 'disputed')"
		" AND c.state = ?1 AND c.id > ?2 ORDER BY c.id LIMIT ?3",
		NULL);
	if (!st)
		return;
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int(st, 3, SUP_ROWS_PAGE + 1);
	if (!c->rows)
		c->rows = dk_xmalloc(SUP_ROWS_PAGE * sizeof *c->rows);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (c->nrows == SUP_ROWS_PAGE) {
			c->rows_at_end = 0;
			break;
		}
		struct sup_row *r = &c->rows[c->nrows++];
		r->case_row = sqlite3_column_int64(st, 0);
		snprintf(r->ext_id, sizeof r->ext_id, "%s", sqlite3_column_text(st, 1));
		snprintf(r->model, sizeof r->model, "%s", sqlite3_column_text(st, 2));
		snprintf(r->prediction, sizeof r->prediction, "%s",
			 sqlite3_column_text(st, 3));
		r->since = sqlite3_column_int64(st, 4);
	}
	store_done(st);
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
	char where[64] = "", n[64], ko[16], kr[16];
	if (c->nrows)
		snprintf(where, sizeof where, "; at %lld", (long long)(c->rows_base + c->rsel + 1));
	screen_printf(scr, y0++, 0, -1, THEME_ROLE_DIM, 0,
		      "%s %s%s; %s opens, %s resolves the selected one",
		      screen_count(n, sizeof n, c->nwaiting, "case", "cases"), what, where,
		      sup_key_name(SUP_OPEN, ko, sizeof ko),
		      sup_key_name(SUP_RESOLVE, kr, sizeof kr));
	if (!c->nrows) {
		screen_put(scr, y0 + 1, 2, -1, THEME_ROLE_DIM, 0, "nothing waiting", TEXT_NUL);
		return;
	}
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
		if (r->since)
			clock_format_iso(r->since, at, sizeof at);
		sbuf line = {0};
		sbuf_adds(&line, "  ");
		logq_cell(&line, r->ext_id, 16, 0);
		sbuf_addc(&line, ' ');
		logq_cell(&line, r->model, 12, 0);
		sbuf_adds(&line, " model says ");
		logq_cell(&line, r->prediction, 10, 0);
		sbuf_printf(&line, " since %s", at);
		screen_put_cut(scr, y, 0, -1, role, 0, sbuf_str(&line), TEXT_NUL);
		sbuf_free(&line);
	}
	/* the selected case below, from its top (its history, both sides and
	 * their reasons, come first); what does not fit is one key away */
	y = y0 + list;
	screen_fill(scr, y++, 0, scr->w, THEME_ROLE_RULE, 0, text_glyphs()->hline);
	if (!c->dcase_ok || c->detail_case != c->rows[c->rsel].case_row || y >= y1)
		return;
	struct screen_lines l = {y, y, 0, 0};
	sup_lines_case(c, scr, &l);
	int rows = y1 - y, cut = l.n > rows;
	l = (struct screen_lines){y, cut ? y1 - 1 : y1, 0, 0};
	sup_lines_case(c, scr, &l);
	if (cut)
		screen_printf(scr, y1 - 1, 2, -1, THEME_ROLE_DIM, 0,
			      "%s more: %s opens the whole case",
			      screen_count(n, sizeof n, l.n - (rows - 1), "line", "lines"), ko);
}

static void sup_labels_load(sup *c, int64_t case_row)
{
	for (size_t i = 0; i < c->nlabels; i++)
		free(c->labels[i]);
	free(c->labels);
	c->labels = NULL;
	c->nlabels = 0;
	sqlite3_stmt *st = store_stmt(c->s,
				      "SELECT j.value FROM cases c JOIN models m"
				      " ON m.id = c.model_id, json_each(m.labels) j"
				      " WHERE c.id = ?1",
				      NULL);
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, case_row);
	while (sqlite3_step(st) == SQLITE_ROW) {
		c->labels = dk_xrealloc(c->labels, (c->nlabels + 1) * sizeof *c->labels);
		c->labels[c->nlabels++] = dk_xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	store_done(st);
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
	d.note = c->inlen ? c->input : NULL;
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
	screen_paint_role(scr, 0, 0, scr->w, THEME_ROLE_HEADER, 0);
	int x = screen_printf(scr, 0, 0, -1, THEME_ROLE_HEADER, SCREEN_BOLD,
			      "supervise %s ", c->who);
	for (int t = 0; t < SUPT_NTABS; t++) {
		char label[32];
		snprintf(label, sizeof label, " %d %s ", t + 1, sup_tab_names[t]);
		x += screen_put(scr, 0, x, -1,
				t == (int)c->tab ? THEME_ROLE_SELECTED : THEME_ROLE_HEADER,
				t == (int)c->tab ? SCREEN_BOLD : 0, label, TEXT_NUL);
	}
	int y1 = scr->h - 2;
	if (c->detail)
		sup_scrolled(c, scr, 1, y1, &c->dscroll, sup_lines_case);
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
		/* the end of long input stays visible */
		int room = scr->w - px - 1, w = text_width(c->input, c->inlen);
		size_t from = 0;
		while (w > room && from < c->inlen) {
			int cw;
			size_t n = text_cluster(c->input + from, c->inlen - from, &cw);
			from += n;
			w -= cw;
		}
		int iw = screen_put(scr, fy, px, -1, THEME_ROLE_INPUT, 0, c->input + from,
				    c->inlen - from);
		scr->cursor_y = fy;
		scr->cursor_x = px + iw;
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
			c->prompt = SUP_PROMPT_NOTE;
			c->inlen = 0;
			c->input[0] = '\0';
		}
		return VIEW_REDRAW;
	}
	if (key == KEY_DK_ESC) {
		c->prompt = SUP_PROMPT_NONE;
		return VIEW_REDRAW;
	}
	if (key == KEY_DK_BACKSPACE || key == 127 || key == 8) {
		/* remove one whole character */
		while (c->inlen && (c->input[c->inlen - 1] & 0xC0) == 0x80)
			c->inlen--;
		if (c->inlen)
			c->inlen--;
		c->input[c->inlen] = '\0';
		return VIEW_REDRAW;
	}
	if (key == KEY_DK_ENTER || key == '\r') {
		enum sup_prompt p = c->prompt;
		c->prompt = SUP_PROMPT_NONE;
		if (p == SUP_PROMPT_FILTER) {
			if (!sup_parse_filter(c, c->input))
				sup_log_open(c);
		} else if (p == SUP_PROMPT_NOTE) {
			sup_resolve(c);
		} else if (p == SUP_PROMPT_POSITIVE) {
			snprintf(c->positive, sizeof c->positive, "%.127s", c->input);
			c->model_view = c->positive[0] ? SUP_MV_FAIRNESS : SUP_MV_FIGURES;
			c->tscroll[SUPT_MODEL].first = 0;
			stats_free(c->st);
			c->st = NULL;
			sup_load_stats(c);
		} else if (p == SUP_PROMPT_BY) {
			snprintf(c->by, sizeof c->by, "%s", c->input);
			stats_free(c->st);
			c->st = NULL;
			sup_load_stats(c);
		}
		return VIEW_RELOAD;
	}
	if (key >= 0x20 && key < KEY_DK_BASE && key != 0x7f) {
		char enc[4];
		size_t n = text_encode((uint32_t)key, enc);
		if (c->inlen + n < sizeof c->input) {
			memcpy(c->input + c->inlen, enc, n);
			c->inlen += n;
			c->input[c->inlen] = '\0';
		}
	}
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
	if (key == KEY_DK_IDLE || key == KEY_DK_NONE)
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
			c->prompt = SUP_PROMPT_FILTER;
			snprintf(c->input, sizeof c->input, "%s", c->filter_text);
			c->inlen = strlen(c->input);
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
			c->prompt = SUP_PROMPT_POSITIVE;
			snprintf(c->input, sizeof c->input, "%s", c->positive);
			c->inlen = strlen(c->input);
			return VIEW_REDRAW;
		}
		if (a == SUP_BY) {
			c->prompt = SUP_PROMPT_BY;
			snprintf(c->input, sizeof c->input, "%s", c->by);
			c->inlen = strlen(c->input);
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
