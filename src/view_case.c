/* view_case.c: draws the reviewer's screen into the screen model: header,
 * the case (context, text with highlighted tokens, prediction with its
 * confidence bar and class probabilities, attributions as signed bars),
 * status line and footer; and the empty-queue screen. */
#include "docket/view_review.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "docket/keymap.h"
#include "docket/policy.h"
#include "docket/text.h"
#include "docket/theme.h"

/* A scrolled region of the screen: logical lines from `scroll` appear at
 * rows y0..y0+h-1, columns x0..x0+w-1. */
struct pane {
	screen *scr;
	int y0, h, x0, w, scroll;
	int line; /* the next logical line */
};

static int pane_row(const struct pane *p, int line)
{
	int y = line - p->scroll;
	return y >= 0 && y < p->h ? p->y0 + y : -1;
}

/* Write at column col of the current line; returns columns written. */
static int pane_put(struct pane *p, int col, int maxw, int role, int attrs,
		    const char *s, size_t n)
{
	int room = p->w - col;
	if (room <= 0)
		return 0;
	if (maxw < 0 || maxw > room)
		maxw = room;
	return screen_put_cut(p->scr, pane_row(p, p->line), p->x0 + col, maxw,
			      role, attrs, s, n);
}

static void pane_rule(struct pane *p, const char *title)
{
	const struct text_glyphs *g = text_glyphs();
	int y = pane_row(p, p->line);
	if (y >= 0) {
		screen_fill(p->scr, y, p->x0, p->w, THEME_ROLE_RULE, 0, g->hline);
		int x = 2 < p->w ? 2 : 0;
		char buf[160];
		snprintf(buf, sizeof buf, " %s ", title);
		screen_put_cut(p->scr, y, p->x0 + x, p->w - x, THEME_ROLE_RULE,
			       SCREEN_BOLD, buf, TEXT_NUL);
	}
	p->line++;
}

/* Role for an attribution of value v when the largest is maxabs: colour by
 * sign, intensity by weight. */
static int weight_role(double v, double maxabs)
{
	double r = maxabs > 0 ? fabs(v) / maxabs : 0;
	int level = r >= 0.5 ? 2 : r >= 0.2 ? 1 : 0;
	static const int pos[] = {THEME_ROLE_POS_WEAK, THEME_ROLE_POS,
				  THEME_ROLE_POS_STRONG};
	static const int neg[] = {THEME_ROLE_NEG_WEAK, THEME_ROLE_NEG,
				  THEME_ROLE_NEG_STRONG};
	return v >= 0 ? pos[level] : neg[level];
}

static double max_abs_attr(const review_case *c)
{
	double m = 0;
	for (size_t i = 0; i < c->nattrs; i++)
		if (fabs(c->attrs[i].value) > m)
			m = fabs(c->attrs[i].value);
	return m;
}

/* name fitted into w columns: whole when it fits, else its head, an
 * ellipsis and its tail (feature names tend to differ at the end:
 * balance_2019, balance_2020). Into buf. */
static const char *fit_name(const char *name, int w, char *buf, size_t len)
{
	size_t n = strlen(name);
	if (text_width(name, n) <= w || w < 3) {
		snprintf(buf, len, "%s", name);
		return buf;
	}
	int headw = (w - 1) / 2, tailw = w - 1 - headw;
	size_t head = text_cut(name, n, headw, NULL);
	/* the shortest suffix at a cluster boundary that fits tailw */
	size_t tail = n;
	for (size_t at = head; at < n;) {
		if (text_width(name + at, n - at) <= tailw) {
			tail = at;
			break;
		}
		int cw;
		at += text_cluster(name + at, n - at, &cw);
	}
	snprintf(buf, len, "%.*s%s%s", (int)head, name, text_glyphs()->ellipsis,
		 name + tail);
	return buf;
}

/* The width from want up to cap at which no two of the n names read alike
 * once fitted (fit_name): long names that differ only in the middle get the
 * room that tells them apart. */
static int distinct_width(const char *const *names, size_t n, int want, int cap)
{
	char a[256], b[256];
	for (int w = want; w < cap; w++) {
		int clash = 0;
		for (size_t i = 0; i < n && !clash; i++) {
			fit_name(names[i], w, a, sizeof a);
			for (size_t j = i + 1; j < n && !clash; j++)
				clash = strcmp(names[i], names[j]) &&
					!strcmp(a, fit_name(names[j], w, b, sizeof b));
		}
		if (!clash)
			return w;
	}
	return want > cap ? want : cap;
}

static const review_case *shown_case(const review *r)
{
	return r->mode == REVIEW_HISTORY ? r->hist_case : r->cur;
}

static void fmt_count(char *buf, size_t len, int64_t n)
{
	/* thousands separated by ',' so 10,000,000 reads at a glance */
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%lld", (long long)(n < 0 ? -n : n));
	size_t l = strlen(tmp), at = 0;
	if (n < 0 && at + 1 < len)
		buf[at++] = '-';
	for (size_t i = 0; i < l && at + 2 < len; i++) {
		if (i && (l - i) % 3 == 0)
			buf[at++] = ',';
		buf[at++] = tmp[i];
	}
	buf[at] = '\0';
}

static int64_t mono_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void draw_header(const review *r, screen *scr)
{
	const review_case *c = shown_case(r);
	screen_fill(scr, 0, 0, scr->w, THEME_ROLE_HEADER, 0, " ");
	char left[512], right[160], left_n[32], done_n[32];
	const char *model = c ? c->model : (r->model_filter[0] ? r->model_filter
							     : "all models");
	const char *ver = c && c->model_version[0] ? c->model_version : "";
	snprintf(left, sizeof left, " %s%s%s %s reviewer %s", model,
		 ver[0] ? "@" : "", ver, text_glyphs()->bullet, r->reviewer);
	right[0] = '\0';
	char pace[128], counts[160] = "";
	review_pace(r, mono_now_ms(), pace, sizeof pace);
	if (r->counts_ok) {
		fmt_count(left_n, sizeof left_n, r->counts.queued + r->counts.held_by_me);
		fmt_count(done_n, sizeof done_n, r->counts.done_today);
		snprintf(counts, sizeof counts, "%s left %s %s done today ", left_n,
			 text_glyphs()->bullet, done_n);
	}
	snprintf(right, sizeof right, "%s %s %s", pace, text_glyphs()->bullet,
		 counts);
	int rw = text_width(right, TEXT_NUL);
	int lw = scr->w - rw - 1;
	if (lw < scr->w / 2) { /* narrower: the pace gives way first */
		snprintf(right, sizeof right, "%s", counts);
		rw = text_width(right, TEXT_NUL);
		lw = scr->w - rw - 1;
	}
	if (lw < scr->w / 2) { /* narrow: the counts give way to the names */
		rw = 0;
		lw = scr->w;
	}
	screen_put_cut(scr, 0, 0, lw, THEME_ROLE_HEADER, 0, left, TEXT_NUL);
	if (rw)
		screen_put(scr, 0, scr->w - rw, rw, THEME_ROLE_HEADER, 0, right,
			   TEXT_NUL);
}

static void draw_title(const review *r, screen *scr)
{
	const review_case *c = shown_case(r);
	if (!c)
		return;
	int x = 1;
	x += screen_put(scr, 1, x, -1, THEME_ROLE_DIM, 0, "case ", TEXT_NUL);
	x += screen_put_cut(scr, 1, x, scr->w - x - 1, THEME_ROLE_TITLE, 0,
			    c->ext_id, TEXT_NUL);
	char buf[512];
	if (r->mode == REVIEW_HISTORY) {
		const char *arrow = text_glyphs()->right;
		if (c->label[0] && strcmp(c->action, "accept"))
			snprintf(buf, sizeof buf, "  your %s %s %s%s  (%zu of %zu back)",
				 c->action, arrow, c->label,
				 c->undone ? ", undone" : "", r->hist + 1,
				 r->nrecent);
		else
			snprintf(buf, sizeof buf, "  your %s%s  (%zu of %zu back)",
				 c->action, c->undone ? ", undone" : "",
				 r->hist + 1, r->nrecent);
		screen_put_cut(scr, 1, x, scr->w - x - 1, THEME_ROLE_STATUS_OK,
			       SCREEN_BOLD, buf, TEXT_NUL);
		return;
	}
	const char *why = policy_reason_shown(c->route_reason);
	if (c->priority) /* so the queue's order makes sense */
		x += screen_printf(scr, 1, x, scr->w - x - 1, THEME_ROLE_TITLE, 0,
				   "  priority %lld", (long long)c->priority);
	if (*why) {
		snprintf(buf, sizeof buf, "  routed: %s", why);
		screen_put_cut(scr, 1, x, scr->w - x - 1, THEME_ROLE_DIM, 0, buf,
			       TEXT_NUL);
	}
}

static void draw_fields(const review *r, const review_case *c, struct pane *p)
{
	if (!c->nfields)
		return;
	pane_rule(p, "Context");
	int nw = 0;
	for (size_t i = 0; i < c->nfields; i++) {
		int w = text_width(c->fields[i].name, TEXT_NUL);
		if (w > nw)
			nw = w;
	}
	if (nw > p->w / 3)
		nw = p->w / 3;
	if (nw > 24)
		nw = 24;
	const char **names = dk_xmalloc(sizeof *names * c->nfields);
	for (size_t i = 0; i < c->nfields; i++)
		names[i] = c->fields[i].name;
	nw = distinct_width(names, c->nfields, nw, p->w / 2);
	free(names);
	int vx = nw + 2, vw = p->w - vx;
	if (vw < 4) {
		vx = 0;
		vw = p->w;
	}
	for (size_t i = 0; i < c->nfields; i++) {
		const struct review_field *f = &c->fields[i];
		char fit[256];
		pane_put(p, 0, nw, THEME_ROLE_FIELD, 0,
			 fit_name(f->name, nw, fit, sizeof fit), TEXT_NUL);
		if (vx == 0)
			p->line++;
		if (f->pii && !c->revealed) {
			char mask[64] = "";
			for (int k = 0; k < 8; k++)
				strcat(mask, text_glyphs()->mask);
			int w = pane_put(p, vx, vw, THEME_ROLE_MASKED, 0, mask,
					 TEXT_NUL);
			/* a screen with no source of cases cannot reveal */
			pane_put(p, vx + w, vw - w, THEME_ROLE_DIM, 0,
				 r->src ? "  personal: r reveals (logged)"
					: "  personal", TEXT_NUL);
			p->line++;
			continue;
		}
		const char *v = f->value;
		size_t n = strlen(v);
		if (n == 0) {
			pane_put(p, vx, vw, THEME_ROLE_DIM, 0, SCREEN_MISSING, TEXT_NUL);
			p->line++;
			continue;
		}
		/* long values wrap under themselves */
		size_t at = 0;
		while (at < n) {
			size_t next;
			size_t len = text_wrap(v + at, n - at, vw, &next);
			pane_put(p, vx, vw, f->pii ? THEME_ROLE_MASKED : THEME_ROLE_VALUE,
				 0, v + at, len);
			p->line++;
			at += next;
		}
	}
}

/* Roles per byte of the text: letter runs named by an attribution get
 * that attribution's role. Returns malloc'd roles (caller frees). */
static unsigned char *text_roles(const review_case *c, size_t n,
				 const char *search)
{
	unsigned char *roles = dk_xmalloc(n + 1);
	memset(roles, THEME_ROLE_NORMAL, n + 1);
	double maxabs = max_abs_attr(c);
	size_t i = 0;
	while (i < n) {
		size_t run = text_letter_run(c->text, n, i);
		if (run == 0) {
			uint32_t cp;
			i += text_decode(c->text + i, n - i, &cp);
			continue;
		}
		for (size_t a = 0; a < c->nattrs; a++) {
			const char *name = c->attrs[a].name;
			if (text_equal_fold(c->text + i, run, name, strlen(name))) {
				memset(roles + i,
				       weight_role(c->attrs[a].value, maxabs), run);
				break;
			}
		}
		i += run;
	}
	/* matches of the search stand out */
	size_t sn = search ? strlen(search) : 0;
	for (size_t at = 0; sn && at + sn <= n; at++)
		if (!strncasecmp(c->text + at, search, sn))
			memset(roles + at, THEME_ROLE_SELECTED, sn);
	return roles;
}

static void draw_text(review *r, const review_case *c, struct pane *p)
{
	r->text_nlines = 0;
	if (!c->text)
		return;
	pane_rule(p, "Text");
	size_t n = strlen(c->text);
	unsigned char *roles = text_roles(c, n, r->search[0] ? r->search : NULL);
	size_t at = 0;
	r->text_line0 = p->line;
	r->text_pane_h = p->h;
	while (at < n) {
		/* where each line starts, for search to scroll to */
		if (r->text_nlines == r->text_cap) {
			r->text_cap = r->text_cap ? r->text_cap * 2 : 64;
			r->text_offs = dk_xrealloc(r->text_offs, sizeof *r->text_offs *
								 (size_t)r->text_cap);
		}
		r->text_offs[r->text_nlines++] = at;
		size_t next;
		size_t len = text_wrap(c->text + at, n - at, p->w, &next);
		int col = 0;
		size_t i = 0;
		while (i < len) {
			size_t j = i + 1;
			while (j < len && roles[at + j] == roles[at + i])
				j++;
			int role = roles[at + i];
			col += pane_put(p, col, -1, role, 0, c->text + at + i, j - i);
			i = j;
		}
		p->line++;
		at += next;
	}
	if (n && c->text[n - 1] == '\n')
		p->line++;
	free(roles);
}

/* How many units (1/units of a cell) a bar of value in [0,1] fills on a
 * track of w cells: proportional and rounded to the nearest unit, the one
 * rule for every bar, so equal values draw equal bars whatever the row and
 * a tiny value draws nothing rather than a cell it has not earned. */
static int bar_units(double value, int w, int units)
{
	if (!(value > 0) || w <= 0)
		return 0;
	if (value > 1)
		value = 1;
	return (int)lround(value * w * units);
}

/* A bar of value in [0,1] over a track of w cells, eighths where the glyphs
 * allow. Every bar of a section gets the same w (the caller's). */
static void draw_bar(struct pane *p, int col, int w, double value, int role)
{
	const struct text_glyphs *g = text_glyphs();
	int y = pane_row(p, p->line);
	if (w <= 0 || y < 0 || col + w > p->w)
		return;
	int eighths = bar_units(value, w, 8);
	int full = eighths / 8, part = eighths % 8;
	screen_fill(p->scr, y, p->x0 + col, full, role, 0, g->bar);
	if (part && full < w)
		screen_fill(p->scr, y, p->x0 + col + full, 1, role, 0,
			    g->bar_part[part]);
	int used = full + (part ? 1 : 0);
	screen_fill(p->scr, y, p->x0 + col + used, w - used, THEME_ROLE_BAR_EMPTY,
		    0, g->bar_empty);
}

static void draw_prediction(const review *r, const review_case *c,
			    struct pane *p)
{
	pane_rule(p, "Prediction");
	char buf[256];
	int lw = 0;
	for (size_t i = 0; i < c->nprobs; i++) {
		int w = text_width(c->probs[i].label, TEXT_NUL);
		if (w > lw)
			lw = w;
	}
	if (lw > p->w / 3)
		lw = p->w / 3;
	/* One track width for every bar here: a probability row is key (4),
	 * label, a space, "0.515 " (6), the track, " model" (6) on every row
	 * alike, so a bar's length says its value and nothing else. */
	int track = p->w - (4 + lw + 1 + 6) - 6;
	if (track > 60) /* grows with the pane, to a length still read at once */
		track = 60;
	snprintf(buf, sizeof buf, "  %.3f ", c->confidence);
	/* the "model says" row's bar has the same track when it fits there */
	int mcol = text_width("model says ", TEXT_NUL) +
		   text_width(c->prediction, TEXT_NUL) + text_width(buf, TEXT_NUL);
	if (p->w - mcol >= 8 && track > p->w - mcol)
		track = p->w - mcol;
	if (track < 0)
		track = 0;
	int col = pane_put(p, 0, -1, THEME_ROLE_DIM, 0, "model says ", TEXT_NUL);
	col += pane_put(p, col, -1, THEME_ROLE_PREDICTION, 0, c->prediction,
			TEXT_NUL);
	col += pane_put(p, col, -1, THEME_ROLE_NORMAL, 0, buf, TEXT_NUL);
	if (col + track <= p->w) /* no room for the whole track: no bar */
		draw_bar(p, col, track, c->confidence, THEME_ROLE_BAR);
	p->line++;
	for (size_t i = 0; i < c->nprobs; i++) {
		const struct review_prob *pr = &c->probs[i];
		int key[1];
		char kname[32] = "";
		if (i < 9 && keymap_keys(&r->cfg->keys, ACT_LABEL_1 + (int)i, key, 1))
			keymap_key_name(key[0], kname, sizeof kname);
		int is_pred = !strcmp(pr->label, c->prediction);
		col = 0;
		snprintf(buf, sizeof buf, "%3s ", kname);
		col += pane_put(p, col, 4, THEME_ROLE_KEY, 0, buf, TEXT_NUL);
		pane_put(p, col, lw, is_pred ? THEME_ROLE_PREDICTION : THEME_ROLE_NORMAL,
			 0, pr->label, TEXT_NUL);
		col += lw + 1;
		if (pr->p >= 0)
			snprintf(buf, sizeof buf, "%.3f ", pr->p);
		else
			snprintf(buf, sizeof buf, "  ?   ");
		col += pane_put(p, col, -1, THEME_ROLE_NORMAL, 0, buf, TEXT_NUL);
		if (pr->p >= 0)
			draw_bar(p, col, track, pr->p, THEME_ROLE_BAR);
		col += track;
		if (is_pred)
			pane_put(p, col, -1, THEME_ROLE_DIM, 0, " model", TEXT_NUL);
		p->line++;
	}
	/* the note the next decision (or amend) carries, whatever is shown */
	if (r->note_pending) {
		col = pane_put(p, 0, -1, THEME_ROLE_DIM, 0, "note: ", TEXT_NUL);
		pane_put(p, col, -1, THEME_ROLE_INPUT, 0, r->note_pending, TEXT_NUL);
		p->line++;
	}
}

/* Attributions as bars around an axis: away from the prediction to the
 * left, toward it to the right. max_lines limits the rows (-1: all). */
static void draw_attrs(const review_case *c, struct pane *p, int max_lines)
{
	if (!c->nattrs)
		return;
	char title[160];
	snprintf(title, sizeof title, "Attributions (+ toward %s)", c->prediction);
	pane_rule(p, title);
	if (max_lines >= 0)
		max_lines--;
	double maxabs = max_abs_attr(c);
	int nw = 0;
	for (size_t i = 0; i < c->nattrs; i++) {
		int w = text_width(c->attrs[i].name, TEXT_NUL);
		if (w > nw)
			nw = w;
	}
	if (nw > p->w / 3)
		nw = p->w / 3;
	const char **names = dk_xmalloc(sizeof *names * c->nattrs);
	for (size_t i = 0; i < c->nattrs; i++)
		names[i] = c->attrs[i].name;
	nw = distinct_width(names, c->nattrs, nw, p->w / 2);
	free(names);
	int vw = 8; /* "+0.4459 " */
	int half = (p->w - nw - 1 - vw - 1) / 2;
	if (half > 30)
		half = 30;
	const struct text_glyphs *g = text_glyphs();
	size_t shown = c->nattrs;
	if (max_lines >= 0 && (size_t)max_lines < c->nattrs)
		shown = max_lines > 1 ? (size_t)max_lines - 1 : 0;
	for (size_t i = 0; i < shown; i++) {
		const struct review_attr *a = &c->attrs[i];
		int role = weight_role(a->value, maxabs);
		char buf[32];
		char fit[256];
		pane_put(p, 0, nw, THEME_ROLE_FIELD, 0,
			 fit_name(a->name, nw, fit, sizeof fit), TEXT_NUL);
		int col = nw + 1;
		snprintf(buf, sizeof buf, "%+.4f", a->value);
		pane_put(p, col, vw, role, 0, buf, TEXT_NUL);
		col += vw;
		int y = pane_row(p, p->line);
		if (half > 0 && y >= 0) {
			/* whole cells (partial glyphs lean left, which a bar
			 * growing left from the axis cannot use), by the same
			 * rounding as every other bar */
			int len = bar_units(maxabs > 0 ? fabs(a->value) / maxabs : 0,
					    half, 1);
			int axis = p->x0 + col + half;
			if (a->value < 0)
				screen_fill(p->scr, y, axis - len, len, role, 0, g->bar);
			screen_fill(p->scr, y, axis, 1, THEME_ROLE_RULE, 0, g->vline);
			if (a->value > 0)
				screen_fill(p->scr, y, axis + 1, len, role, 0, g->bar);
		}
		p->line++;
	}
	if (shown < c->nattrs) {
		char buf[64];
		snprintf(buf, sizeof buf, "%s %zu more (scroll)", g->ellipsis,
			 c->nattrs - shown);
		pane_put(p, 0, -1, THEME_ROLE_DIM, 0, buf, TEXT_NUL);
		p->line++;
	}
}

/* The footer: the main keys from the live key table, as many as fit; help
 * always shows. */
static void draw_footer(review *r, screen *scr)
{
	int y = scr->h - 1;
	r->foot_y = y;
	r->nhits = 0;
	screen_fill(scr, y, 0, scr->w, THEME_ROLE_FOOTER, 0, " ");
	const review_case *c = shown_case(r);
	static const struct {
		int action;
		const char *label;
	} items[] = {
		{ACT_ACCEPT, "accept"},     {ACT_LABEL_1, "label"},
		{ACT_OVERRIDE, "override"}, {ACT_ESCALATE, "escalate"},
		{ACT_SKIP, "skip"},         {ACT_UNDO, "undo"},
		{ACT_NOTE, "note"},         {ACT_REVEAL, "reveal"},
		{ACT_BACK, "back"},         {ACT_FORWARD, "fwd"},
		{ACT_QUIT, "quit"},
	};
	const keymap *km = &r->cfg->keys;
	char help[64] = "";
	int hk[1];
	if (keymap_keys(km, ACT_HELP, hk, 1)) {
		char kn[32];
		snprintf(help, sizeof help, "%s help ",
			 keymap_key_name(hk[0], kn, sizeof kn));
	}
	int limit = scr->w - text_width(help, TEXT_NUL);
	int x = 1;
	for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
		int act = items[i].action;
		if (!c && act != ACT_BACK && act != ACT_QUIT && act != ACT_UNDO)
			continue;
		if (act == ACT_REVEAL) {
			int any = 0;
			for (size_t f = 0; c && f < c->nfields; f++)
				any |= c->fields[f].pii;
			if (!any || c->revealed)
				continue;
		}
		int keys[1];
		if (!keymap_keys(km, act, keys, 1))
			continue;
		char kn[32];
		keymap_key_name(keys[0], kn, sizeof kn);
		if (act == ACT_LABEL_1) {
			int k9[1];
			if (keys[0] == '1' && keymap_keys(km, ACT_LABEL_9, k9, 1) &&
			    k9[0] == '9')
				snprintf(kn, sizeof kn, "1-9");
		}
		int need = text_width(kn, TEXT_NUL) + 1 +
			   text_width(items[i].label, TEXT_NUL) + 2;
		if (x + need > limit)
			break;
		/* a click on the item acts as its key; not the digits' item,
		 * which stands for nine keys */
		if (act != ACT_LABEL_1 && r->nhits < REVIEW_HITS)
			r->hits[r->nhits++] = (struct review_hit){x, x + need - 2, act};
		x += screen_put(scr, y, x, -1, THEME_ROLE_FOOTER_KEY, 0, kn, TEXT_NUL);
		x += screen_put(scr, y, x, -1, THEME_ROLE_FOOTER, 0, " ", 1);
		x += screen_put(scr, y, x, -1, THEME_ROLE_FOOTER, 0, items[i].label,
				TEXT_NUL);
		x += 2;
	}
	if (help[0]) {
		int hw = text_width(help, TEXT_NUL);
		int hx = scr->w - hw;
		if (r->nhits < REVIEW_HITS)
			r->hits[r->nhits++] = (struct review_hit){hx, scr->w, ACT_HELP};
		size_t sp = strcspn(help, " ");
		int kw = screen_put(scr, y, hx, -1, THEME_ROLE_FOOTER_KEY, 0, help, sp);
		screen_put(scr, y, hx + kw, -1, THEME_ROLE_FOOTER, 0, help + sp,
			   TEXT_NUL);
	}
}

/* The status line; room is the columns it may take (the "more" marker
 * has the right end of the row when the case goes on below). */
static void draw_status(const review *r, screen *scr, int room)
{
	if (r->status[0] && room > 0)
		screen_put_cut(scr, scr->h - 2, 1, room, r->status_role, 0,
			       r->status, TEXT_NUL);
}

/* The case body between the title and the status line. Wide screens get
 * two columns: context and text scroll on the left; on the right the
 * prediction stays in view while the attributions under it scroll. Narrow
 * ones one column: the prediction stays at the top (when it takes at most
 * half the rows), the rest scrolls under it. With h 0 nothing is drawn
 * and the lengths are only counted. Returns the most the body can scroll
 * (*maxs) through the lines drawn. */
struct body_len {
	int scrolled; /* lines of the longest scrolling pane */
	int rows;     /* rows that pane has */
};

static struct body_len draw_body(review *r, const review_case *c, screen *scr,
				 int h, int scroll)
{
	int top = 2, full_h = scr->h - 4;
	struct body_len len = {0, full_h};
	if (scr->w >= 80) {
		int lw = (scr->w - 1) * 11 / 20;
		struct pane left = {scr, top, h, 1, lw - 2, scroll, 0};
		for (int y = 0; h && y < h; y++)
			screen_put(scr, top + y, lw, 1, THEME_ROLE_RULE, 0,
				   text_glyphs()->vline, TEXT_NUL);
		draw_fields(r, c, &left);
		if (left.line && c->text)
			left.line++;
		draw_text(r, c, &left);
		/* the prediction: fixed */
		struct pane pred = {scr, top, h, lw + 2, scr->w - lw - 3, 0, 0};
		draw_prediction(r, c, &pred);
		pred.line++;
		int ah = full_h - pred.line;
		if (ah < 1)
			ah = 1;
		struct pane attrs = {scr, top + pred.line, h ? ah : 0, lw + 2,
				     scr->w - lw - 3, 0, 0};
		/* the attributions scroll with the left, up to their end */
		struct pane count = attrs;
		count.h = 0;
		draw_attrs(c, &count, -1);
		int amax = count.line - ah > 0 ? count.line - ah : 0;
		attrs.scroll = scroll < amax ? scroll : amax;
		if (h)
			draw_attrs(c, &attrs, -1);
		int lmax = left.line - full_h > 0 ? left.line - full_h : 0;
		if (lmax >= amax) {
			len.scrolled = left.line;
			len.rows = full_h;
		} else {
			len.scrolled = count.line;
			len.rows = ah;
		}
		return len;
	}
	/* narrow: the prediction pinned when it fits in half the rows */
	struct pane pred = {scr, top, 0, 1, scr->w - 2, 0, 0};
	draw_prediction(r, c, &pred);
	int ph = pred.line + 1;
	if (ph > full_h / 2)
		ph = 0; /* too tall to pin: everything scrolls */
	if (ph && h) {
		pred.h = ph;
		pred.line = 0;
		draw_prediction(r, c, &pred);
	}
	int rh = full_h - ph;
	struct pane p = {scr, top + ph, h ? rh : 0, 1, scr->w - 2, scroll, 0};
	if (!ph)
		draw_prediction(r, c, &p);
	draw_fields(r, c, &p);
	draw_text(r, c, &p);
	draw_attrs(c, &p, -1);
	len.scrolled = p.line;
	len.rows = rh;
	return len;
}

/* The case as the review screen draws it, for the supervisor's opened
 * case: from row top, h rows, every pane scrolled by scroll together (fit
 * 0: the attributions are never cut to the rows left). Returns the lines
 * the body takes. */
int view_case_body(review *r, const review_case *c, screen *scr, int top,
		   int h, int scroll, int fit)
{
	if (h < 1)
		return 0;
	if (scr->w >= 80) {
		int lw = (scr->w - 1) * 11 / 20;
		struct pane left = {scr, top, h, 1, lw - 2, scroll, 0};
		struct pane right = {scr, top, h, lw + 2, scr->w - lw - 3, scroll, 0};
		for (int y = 0; y < h && top + y < scr->h; y++)
			screen_put(scr, top + y, lw, 1, THEME_ROLE_RULE, 0,
				   text_glyphs()->vline, TEXT_NUL);
		draw_fields(r, c, &left);
		if (left.line && c->text)
			left.line++;
		draw_text(r, c, &left);
		draw_prediction(r, c, &right);
		right.line++;
		/* the attributions take the rows left, the rest scroll */
		int rows = h - right.line + scroll;
		draw_attrs(c, &right, left.line > h || !fit ? -1 : rows);
		return left.line > right.line ? left.line : right.line;
	}
	struct pane p = {scr, top, h, 1, scr->w - 2, scroll, 0};
	draw_prediction(r, c, &p);
	draw_fields(r, c, &p);
	draw_text(r, c, &p);
	draw_attrs(c, &p, -1);
	return p.line;
}

void view_case_draw(review *r, screen *scr)
{
	const review_case *c = shown_case(r);
	int room = scr->w - 2;
	draw_header(r, scr);
	if (!c) {
		view_empty_draw(r, scr);
	} else {
		draw_title(r, scr);
		int h = scr->h - 4;
		if (h < 1)
			h = 1;
		/* count first, so a scroll left over from a taller screen
		 * starts from the last full page */
		struct body_len len = draw_body(r, c, scr, 0, 0);
		int maxs = len.scrolled - len.rows > 0 ? len.scrolled - len.rows : 0;
		int scroll = r->scroll < maxs ? r->scroll : maxs;
		if (scroll < 0)
			scroll = 0;
		draw_body(r, c, scr, h, scroll);
		r->body_lines = maxs + h;
		r->body_h = h;
		r->scroll = scroll;
		/* The marker goes on the status row, never over the case. */
		int above = scroll > 0, below = scroll < maxs;
		if (above || below) {
			const struct text_glyphs *g = text_glyphs();
			char more[64];
			if (above && below)
				snprintf(more, sizeof more, "%s%s more above and below",
					 g->up, g->down);
			else if (above)
				snprintf(more, sizeof more, "%s more above", g->up);
			else
				snprintf(more, sizeof more, "%s more below", g->down);
			int w = text_width(more, TEXT_NUL);
			screen_put(scr, scr->h - 2, scr->w - w - 1, w, THEME_ROLE_DIM,
				   SCREEN_REVERSE, more, TEXT_NUL);
			room = scr->w - w - 4;
		}
	}
	draw_status(r, scr, room);
	draw_footer(r, scr);
}

void view_empty_draw(const review *r, screen *scr)
{
	int y = 3, x = 3;
	char n[32], buf[256];
	screen_put_cut(scr, y++, x, scr->w - x - 1, THEME_ROLE_TITLE, 0,
		       "Nothing in your queue right now.", TEXT_NUL);
	y++;
	if (r->counts_ok) {
		const struct review_counts *k = &r->counts;
		struct {
			int64_t n;
			const char *what;
		} rows[] = {
			{k->escalated, "escalated: waiting for a supervisor"},
			{k->disputed, "double reviews that disagree: for a supervisor"},
			{k->held_by_others, "held by other reviewers"},
			{k->queued, "queued for other reviewers (you decided or skipped "
				    "them)"},
		};
		int any = 0;
		for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
			any |= rows[i].n > 0;
		screen_put_cut(scr, y++, x, scr->w - x - 1, THEME_ROLE_NORMAL, 0,
			       any ? "Waiting on others:" : "Nothing is waiting on "
							    "anyone.",
			       TEXT_NUL);
		for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
			if (rows[i].n <= 0)
				continue;
			fmt_count(n, sizeof n, rows[i].n);
			snprintf(buf, sizeof buf, "%9s  %s", n, rows[i].what);
			screen_put_cut(scr, y++, x, scr->w - x - 1, THEME_ROLE_NORMAL,
				       0, buf, TEXT_NUL);
		}
		y++;
	}
	snprintf(buf, sizeof buf, "Looking for new cases every %d seconds.",
		 REVIEW_EMPTY_POLL_MS / 1000);
	screen_put_cut(scr, y++, x, scr->w - x - 1, THEME_ROLE_DIM, 0, buf,
		       TEXT_NUL);
}
