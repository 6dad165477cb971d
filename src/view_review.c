/* view_review.c: the reviewer's screen as a view: its state, the keys
 * (decide, pick a label or reason, note, undo, back/forward, reveal, help),
 * prefetching and lease renewal. Talks to a review_source; draws nothing
 * itself outside the draw function. */
#include "docket/view_review.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "docket/keymap.h"
#include "docket/text.h"
#include "docket/theme.h"

/* Intervals are measured on the monotonic clock: DOCKET_NOW fixes the
 * wall clock in tests, and time spent on a case is real time. */
static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- cases ---- */

review_case *review_case_new(void)
{
	review_case *c = dk_xmalloc(sizeof *c);
	memset(c, 0, sizeof *c);
	c->ext_id = dk_xstrdup("");
	c->model = dk_xstrdup("");
	c->model_version = dk_xstrdup("");
	c->route_reason = dk_xstrdup("");
	c->prediction = dk_xstrdup("");
	return c;
}

void review_case_free(review_case *c)
{
	if (!c)
		return;
	free(c->ext_id);
	free(c->model);
	free(c->model_version);
	free(c->route_reason);
	free(c->prediction);
	free(c->text);
	for (size_t i = 0; i < c->nprobs; i++)
		free(c->probs[i].label);
	free(c->probs);
	for (size_t i = 0; i < c->nfields; i++) {
		free(c->fields[i].name);
		free(c->fields[i].value);
	}
	free(c->fields);
	for (size_t i = 0; i < c->nattrs; i++)
		free(c->attrs[i].name);
	free(c->attrs);
	free(c);
}

void review_case_add_field(review_case *c, const char *name, const char *value,
			   int pii)
{
	c->fields = dk_xrealloc(c->fields, sizeof *c->fields * (c->nfields + 1));
	c->fields[c->nfields].name = dk_xstrdup(name);
	c->fields[c->nfields].value = dk_xstrdup(value ? value : "");
	c->fields[c->nfields].pii = pii;
	c->nfields++;
}

void review_case_add_prob(review_case *c, const char *label, double p)
{
	c->probs = dk_xrealloc(c->probs, sizeof *c->probs * (c->nprobs + 1));
	c->probs[c->nprobs].label = dk_xstrdup(label);
	c->probs[c->nprobs].p = p;
	c->nprobs++;
}

void review_case_add_attr(review_case *c, const char *name, double value)
{
	c->attrs = dk_xrealloc(c->attrs, sizeof *c->attrs * (c->nattrs + 1));
	c->attrs[c->nattrs].name = dk_xstrdup(name);
	c->attrs[c->nattrs].value = value;
	c->nattrs++;
}

void review_case_sort_attrs(review_case *c)
{
	/* insertion sort: stable, and lists are short */
	for (size_t i = 1; i < c->nattrs; i++) {
		struct review_attr a = c->attrs[i];
		size_t j = i;
		while (j > 0 && fabs(c->attrs[j - 1].value) < fabs(a.value)) {
			c->attrs[j] = c->attrs[j - 1];
			j--;
		}
		c->attrs[j] = a;
	}
}

int review_case_label_index(const review_case *c, const char *label)
{
	for (size_t i = 0; i < c->nprobs; i++)
		if (!strcmp(c->probs[i].label, label))
			return (int)i;
	return -1;
}

/* ---- state ---- */

void review_status(review *r, int role, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->status, sizeof r->status, fmt, ap);
	va_end(ap);
	r->status_role = role;
}

void review_init(review *r, const review_source *src, const config *cfg,
		 const char *reviewer, const char *model,
		 const char *const *reasons, const char *const *texts,
		 size_t nreasons)
{
	memset(r, 0, sizeof *r);
	r->src = src;
	r->cfg = cfg;
	snprintf(r->reviewer, sizeof r->reviewer, "%s", reviewer);
	snprintf(r->model_filter, sizeof r->model_filter, "%s", model ? model : "");
	r->reasons = dk_xmalloc(sizeof *r->reasons * (nreasons + 1));
	r->reason_texts = dk_xmalloc(sizeof *r->reason_texts * (nreasons + 1));
	for (size_t i = 0; i < nreasons; i++) {
		r->reasons[i] = dk_xstrdup(reasons[i]);
		r->reason_texts[i] = dk_xstrdup(texts && texts[i] ? texts[i] : "");
	}
	r->reasons[nreasons] = r->reason_texts[nreasons] = NULL;
	r->nreasons = nreasons;
	r->status_role = THEME_ROLE_STATUS;
	r->help.keys = &cfg->keys;
	r->help.title = "docket review: keys";
	static const char *const notes[] = {
		"Pickers: Up/Down or a digit chooses, Enter picks, Esc cancels. "
		"Note: type, Enter keeps it (empty: no note), Esc cancels the edit.",
		"Search: / finds text in the case, then n/N step, Esc ends. "
		"Queue list: / filters (label: reason: model:), Enter claims.",
		"A decision is saved before the status line says so. "
		"Keys and reason codes: ~/.config/docket/config.",
		NULL,
	};
	r->help.notes = notes;
	r->last_key_ms = r->last_renew_ms = r->last_poll_ms = mono_ms();
	r->session_ms = r->last_key_ms;
	r->note_for_reason = -1;
	r->ql.read = src->list;
	r->ql.ctx = src->ctx;
}

static void review_load_counts(review *r)
{
	dk_error err = {{0}};
	if (r->src->counts(r->src->ctx, &r->counts, &err) == DK_OK)
		r->counts_ok = 1;
	else
		review_status(r, THEME_ROLE_ERROR, "%s", err.msg);
	r->counts_stale = 0;
	r->last_counts_ms = mono_ms();
}

/* Claim one case into the ahead list. Returns DK_OK, DK_EMPTY or DK_ERR. */
static int review_claim_one(review *r)
{
	if (r->nahead >= REVIEW_AHEAD_MAX)
		return DK_OK;
	review_case *c = NULL;
	dk_error err = {{0}};
	int rc = r->src->claim(r->src->ctx, &c, &err);
	if (rc == DK_OK) {
		r->ahead[r->nahead++] = c;
		r->empty = 0;
	} else if (rc == DK_EMPTY) {
		r->empty = 1;
	} else {
		review_status(r, THEME_ROLE_ERROR, "%s", err.msg);
	}
	return rc;
}

/* A new case on screen: its search and scroll start over. */
static void review_fresh_case(review *r)
{
	r->scroll = 0;
	r->search[0] = '\0';
	r->search_at = 0;
}

/* Move the first prefetched case (claiming one if none) onto the screen. */
static void review_advance(review *r)
{
	review_case_free(r->cur);
	r->cur = NULL;
	review_fresh_case(r);
	if (r->nahead == 0)
		review_claim_one(r);
	if (r->nahead > 0) {
		r->cur = r->ahead[0];
		memmove(&r->ahead[0], &r->ahead[1], sizeof r->ahead[0] * (r->nahead - 1));
		r->nahead--;
		r->cur->shown_ms = mono_ms();
	}
	r->want_prefetch = 1;
	r->counts_stale = 1;
}

/* Put c in front of the prefetched cases (an undo hands a case back). */
static void review_push_front(review *r, review_case *c)
{
	if (r->nahead == REVIEW_AHEAD_MAX) {
		/* cannot happen with REVIEW_PREFETCH well below the max; keep
		 * the lease (released on quit) but stop showing the last */
		review_case_free(r->ahead[--r->nahead]);
	}
	memmove(&r->ahead[1], &r->ahead[0], sizeof r->ahead[0] * r->nahead);
	r->ahead[0] = c;
	r->nahead++;
}

void review_start(review *r)
{
	review_load_counts(r);
	if (r->cur) /* a case asked for by id (review_take_case) */
		r->want_prefetch = 1;
	else
		review_advance(r);
	r->counts_stale = 0;
}

int review_take_case(review *r, int64_t case_id, dk_error *err)
{
	if (r->cur && r->cur->id == case_id) {
		/* on screen already (or under a past decision shown) */
		if (r->mode == REVIEW_HISTORY) {
			review_case_free(r->hist_case);
			r->hist_case = NULL;
			r->mode = REVIEW_CASE;
			review_fresh_case(r);
		}
		return DK_OK;
	}
	review_case *c = NULL;
	for (size_t i = 0; i < r->nahead; i++) {
		if (r->ahead[i]->id != case_id)
			continue;
		c = r->ahead[i];
		memmove(&r->ahead[i], &r->ahead[i + 1],
			sizeof r->ahead[0] * (r->nahead - i - 1));
		r->nahead--;
		break;
	}
	if (!c) {
		if (!r->src->claim_case)
			return dk_fail(err, "this screen cannot claim a case by id");
		int rc = r->src->claim_case(r->src->ctx, case_id, &c, err);
		if (rc != DK_OK)
			return rc;
	}
	if (r->mode == REVIEW_HISTORY) {
		review_case_free(r->hist_case);
		r->hist_case = NULL;
		r->mode = REVIEW_CASE;
	}
	if (r->cur)
		review_push_front(r, r->cur); /* still held: next in line */
	r->cur = c;
	r->cur->shown_ms = mono_ms();
	r->empty = 0;
	review_fresh_case(r);
	r->counts_stale = 1;
	return DK_OK;
}

int review_release(review *r, int64_t *n, dk_error *err)
{
	if (n)
		*n = 0;
	if (r->released)
		return DK_OK;
	r->released = 1;
	return r->src->release(r->src->ctx, n, err);
}

void review_done(review *r)
{
	review_case_free(r->cur);
	for (size_t i = 0; i < r->nahead; i++)
		review_case_free(r->ahead[i]);
	review_case_free(r->hist_case);
	for (size_t i = 0; i < r->nreasons; i++) {
		free(r->reasons[i]);
		free(r->reason_texts[i]);
	}
	free(r->reasons);
	free(r->reason_texts);
	free(r->note_pending);
	text_edit_free(&r->note);
	text_edit_free(&r->search_edit);
	qlist_free(&r->ql);
	free(r->text_offs);
	memset(r, 0, sizeof *r);
}

static review_case *review_shown(review *r)
{
	return r->mode == REVIEW_HISTORY ? r->hist_case : r->cur;
}

/* ---- history ---- */

static int review_is_decision(const char *action)
{
	return !strcmp(action, "accept") || !strcmp(action, "override") ||
	       !strcmp(action, "escalate") || !strcmp(action, "skip") ||
	       !strcmp(action, "resolve");
}

static int review_load_recent(review *r)
{
	dk_error err = {{0}};
	struct review_recent all[REVIEW_HISTORY_MAX];
	size_t n = 0;
	if (r->src->recent(r->src->ctx, all, REVIEW_HISTORY_MAX, &n, &err)) {
		review_status(r, THEME_ROLE_ERROR, "%s", err.msg);
		return DK_ERR;
	}
	r->nrecent = 0;
	/* a decision the reviewer amended since is shown as its amend */
	for (size_t i = 0; i < n; i++)
		if (review_is_decision(all[i].action) && !all[i].amended)
			r->recent[r->nrecent++] = all[i];
	return DK_OK;
}

static int review_show_history(review *r, size_t i)
{
	dk_error err = {{0}};
	review_case *c = NULL;
	if (r->src->load(r->src->ctx, r->recent[i].case_id, &c, &err)) {
		review_status(r, THEME_ROLE_ERROR, "%s", err.msg);
		return VIEW_REDRAW;
	}
	c->seq = r->recent[i].seq;
	snprintf(c->action, sizeof c->action, "%s", r->recent[i].action);
	snprintf(c->label, sizeof c->label, "%s", r->recent[i].label);
	c->undone = r->recent[i].undone;
	c->shown_ms = mono_ms();
	review_case_free(r->hist_case);
	r->hist_case = c;
	r->hist = i;
	r->mode = REVIEW_HISTORY;
	r->scroll = 0;
	if (c->undone)
		review_status(r, THEME_ROLE_STATUS, "undone: not in force");
	else
		review_status(r, THEME_ROLE_STATUS,
			      "deciding again amends it (a new entry)");
	return VIEW_REDRAW;
}

static int review_back(review *r)
{
	if (r->mode != REVIEW_HISTORY) {
		if (review_load_recent(r))
			return VIEW_REDRAW;
		if (r->nrecent == 0) {
			review_status(r, THEME_ROLE_STATUS, "no decisions of yours yet");
			return VIEW_REDRAW;
		}
		return review_show_history(r, 0);
	}
	if (r->hist + 1 >= r->nrecent) {
		review_status(r, THEME_ROLE_STATUS,
			      "that is the oldest of your last %zu decisions",
			      r->nrecent);
		return VIEW_REDRAW;
	}
	return review_show_history(r, r->hist + 1);
}

static int review_forward(review *r)
{
	if (r->mode != REVIEW_HISTORY) {
		review_status(r, THEME_ROLE_STATUS,
			      "this is the newest case; back goes to your decisions");
		return VIEW_REDRAW;
	}
	if (r->hist == 0) {
		review_case_free(r->hist_case);
		r->hist_case = NULL;
		r->mode = REVIEW_CASE;
		r->scroll = 0;
		review_status(r, THEME_ROLE_STATUS, "back to the queue");
		return VIEW_REDRAW;
	}
	return review_show_history(r, r->hist - 1);
}

/* ---- decisions ---- */

/* Drop the prefetched cases that are no longer the reviewer's (a lease
 * lost to time or to another reviewer): asked of the source, not guessed. */
static void review_check_ahead(review *r)
{
	for (size_t i = 0; i < r->nahead;) {
		dk_error err = {{0}};
		if (r->src->renew(r->src->ctx, r->ahead[i], &err) == DK_EMPTY) {
			review_case_free(r->ahead[i]);
			memmove(&r->ahead[i], &r->ahead[i + 1],
				sizeof r->ahead[0] * (r->nahead - i - 1));
			r->nahead--;
			r->want_prefetch = 1;
			continue;
		}
		i++;
	}
}

/* The case on screen is no longer the reviewer's (the source said so):
 * say so once, in the source's words (who holds it now), take it off the
 * screen, drop any prefetched case lost the same way, and move on. */
static void review_lost(review *r, const char *what, const char *msg)
{
	review_status(r, THEME_ROLE_ERROR, "%s%s; on to the next case", what, msg);
	review_check_ahead(r);
	review_advance(r);
	r->last_renew_ms = mono_ms();
}

/* "override → no", "accept", "skip (ambiguous)": a decision in words. */
static void review_describe(char *buf, size_t len, const char *action,
			    const char *label, const char *reason)
{
	if (label && label[0] && strcmp(action, "accept"))
		snprintf(buf, len, "%s %s %s", action, text_glyphs()->right, label);
	else if (reason && reason[0])
		snprintf(buf, len, "%s (%s)", action, reason);
	else
		snprintf(buf, len, "%s", action);
}

/* A decision key on one of the reviewer's past decisions amends it: a new
 * entry replacing it (the source's amend), on disk before the status line
 * says so. Then the screen goes back to the queue case. */
static int review_amend(review *r, const char *action, const char *label,
			const char *reason)
{
	review_case *h = r->hist_case;
	if (h->undone) {
		review_status(r, THEME_ROLE_ERROR,
			      "that decision was undone: nothing to amend");
		return VIEW_REDRAW;
	}
	double seconds = (double)(mono_ms() - h->shown_ms) / 1000.0;
	dk_error err = {{0}};
	if (r->src->amend(r->src->ctx, h->id, action, label, reason,
			  r->note_pending, seconds, &err) != DK_OK) {
		review_status(r, THEME_ROLE_ERROR, "not amended: %s", err.msg);
		return VIEW_REDRAW;
	}
	char was[200], now[200];
	review_describe(was, sizeof was, h->action, h->label, NULL);
	review_describe(now, sizeof now, action,
			!strcmp(action, "accept") ? h->prediction : label, reason);
	review_status(r, THEME_ROLE_STATUS_OK, "amend saved: %s %s (was %s)",
		      h->ext_id, now, was);
	free(r->note_pending);
	r->note_pending = NULL;
	review_case_free(r->hist_case);
	r->hist_case = NULL;
	r->mode = REVIEW_CASE;
	r->scroll = 0;
	r->nrecent = 0;
	r->counts_stale = 1;
	return VIEW_REDRAW;
}

static int review_decide(review *r, const char *action, const char *label,
			 const char *reason)
{
	if (r->mode == REVIEW_HISTORY)
		return review_amend(r, action, label, reason);
	review_case *c = r->cur;
	if (!c) {
		review_status(r, THEME_ROLE_STATUS, "no case to decide");
		return VIEW_REDRAW;
	}
	double seconds = (double)(mono_ms() - c->shown_ms) / 1000.0;
	dk_error err = {{0}};
	int rc = r->src->decide(r->src->ctx, c, action, label, reason,
				r->note_pending, seconds, &err);
	if (rc == DK_EMPTY) {
		review_lost(r, "not saved: ", err.msg);
		return VIEW_REDRAW;
	}
	if (rc != DK_OK) {
		review_status(r, THEME_ROLE_ERROR, "not saved: %s", err.msg);
		return VIEW_REDRAW;
	}
	/* Committed: only now does the status line say so. */
	r->session_decisions++;
	if (!strcmp(action, "override"))
		review_status(r, THEME_ROLE_STATUS_OK, "override saved: %s %s %s",
			      c->ext_id, text_glyphs()->right, label);
	else if (!strcmp(action, "accept"))
		review_status(r, THEME_ROLE_STATUS_OK, "accept saved: %s is %s",
			      c->ext_id, c->prediction);
	else
		review_status(r, THEME_ROLE_STATUS_OK, "%s saved: %s (%s)", action,
			      c->ext_id, reason ? reason : "");
	free(r->note_pending);
	r->note_pending = NULL;
	r->nrecent = 0;
	review_advance(r);
	return VIEW_REDRAW;
}

/* A label chosen by digit or picker: the model's label accepts. */
static int review_pick_label(review *r, size_t i)
{
	review_case *c = review_shown(r);
	if (!c)
		return VIEW_NONE;
	if (i >= c->nprobs) {
		review_status(r, THEME_ROLE_ERROR, "no label %zu: this model has %zu",
			      i + 1, c->nprobs);
		return VIEW_REDRAW;
	}
	char label[256];
	snprintf(label, sizeof label, "%s", c->probs[i].label);
	if (!strcmp(label, c->prediction))
		return review_decide(r, "accept", NULL, NULL);
	return review_decide(r, "override", label, NULL);
}

static int review_undo(review *r)
{
	dk_error err = {{0}};
	review_case *back = NULL;
	int rc = r->src->undo(r->src->ctx, 0, &back, &err);
	if (rc == DK_EMPTY) {
		review_status(r, THEME_ROLE_STATUS, "nothing to undo");
		return VIEW_REDRAW;
	}
	if (rc != DK_OK) {
		review_status(r, THEME_ROLE_ERROR, "not undone: %s", err.msg);
		return VIEW_REDRAW;
	}
	if (r->mode == REVIEW_HISTORY) {
		review_case_free(r->hist_case);
		r->hist_case = NULL;
		r->mode = REVIEW_CASE;
	}
	if (r->cur)
		review_push_front(r, r->cur);
	r->cur = back;
	r->cur->shown_ms = mono_ms();
	r->scroll = 0;
	r->nrecent = 0;
	r->counts_stale = 1;
	review_status(r, THEME_ROLE_STATUS_OK, "undone: %s is back for you to decide",
		      back->ext_id);
	return VIEW_REDRAW;
}

static int review_reveal(review *r)
{
	review_case *c = review_shown(r);
	int any = 0;
	for (size_t i = 0; c && i < c->nfields; i++)
		any |= c->fields[i].pii;
	if (!any) {
		review_status(r, THEME_ROLE_STATUS, "nothing masked on this case");
		return VIEW_REDRAW;
	}
	if (c->revealed)
		return VIEW_NONE;
	dk_error err = {{0}};
	if (r->src->reveal(r->src->ctx, c, &err)) {
		review_status(r, THEME_ROLE_ERROR, "not revealed: %s", err.msg);
		return VIEW_REDRAW;
	}
	c->revealed = 1;
	review_status(r, THEME_ROLE_STATUS, "personal fields revealed (logged)");
	return VIEW_REDRAW;
}

/* ---- idle work ---- */

static int review_renew_all(review *r)
{
	int changed = VIEW_NONE;
	dk_error err = {{0}};
	int rc = r->cur && r->cur->token
			 ? r->src->renew(r->src->ctx, r->cur, &err) : DK_OK;
	if (rc == DK_EMPTY) {
		review_lost(r, "", err.msg);
		changed = VIEW_REDRAW;
	} else {
		if (rc != DK_OK) { /* a store error: the lease may be fine */
			review_status(r, THEME_ROLE_ERROR, "lease not renewed: %s",
				      err.msg);
			changed = VIEW_REDRAW;
		}
		review_check_ahead(r);
	}
	r->last_renew_ms = mono_ms();
	return changed;
}

static int review_idle(review *r)
{
	int64_t now = mono_ms();
	int changed = VIEW_NONE;
	if (r->want_prefetch) {
		r->want_prefetch = 0;
		while (r->nahead < REVIEW_PREFETCH && !r->empty)
			if (review_claim_one(r) != DK_OK)
				break;
		if (!r->cur && r->nahead) {
			review_advance(r);
			changed = VIEW_REDRAW;
		}
	}
	if (r->counts_stale || now - r->last_counts_ms >= REVIEW_EMPTY_POLL_MS) {
		review_load_counts(r);
		changed = VIEW_REDRAW;
	}
	if (now - r->last_key_ms < REVIEW_ACTIVE_MS &&
	    now - r->last_renew_ms >= REVIEW_RENEW_MS)
		changed |= review_renew_all(r);
	const review_case *sc = r->mode == REVIEW_HISTORY ? r->hist_case : r->cur;
	if (sc && r->overlay == REVIEW_NO_OVERLAY &&
	    (int)((now - sc->shown_ms) / 1000) != r->shown_secs)
		changed |= VIEW_REDRAW; /* the time on this case ticks */
	if (r->overlay == REVIEW_QLIST)
		changed |= qlist_handle(&r->ql, KEY_DK_IDLE) & VIEW_REDRAW;
	if (!r->cur && now - r->last_poll_ms >= REVIEW_EMPTY_POLL_MS) {
		r->last_poll_ms = now;
		r->empty = 0;
		review_advance(r);
		changed = VIEW_REDRAW;
	}
	return changed;
}

/* ---- pace ---- */

void review_pace(const review *r, int64_t now_ms, char *buf, size_t len)
{
	const review_case *c = r->mode == REVIEW_HISTORY ? r->hist_case : r->cur;
	const char *dash = text_utf8() ? "\u2014" : "-";
	size_t at = 0;
	buf[0] = '\0';
	if (c) {
		int64_t s = (now_ms - c->shown_ms) / 1000;
		if (s < 0)
			s = 0;
		at += (size_t)snprintf(buf, len, "%lld:%02lld on case  ",
				       (long long)(s / 60), (long long)(s % 60));
	}
	if (at >= len)
		return;
	/* a rate from one decision says nothing: wait for two */
	double elapsed_h = (double)(now_ms - r->session_ms) / 3600000.0;
	if (r->session_decisions < 2 || elapsed_h <= 0) {
		snprintf(buf + at, len - at, "%s/h", dash);
		return;
	}
	double rate = r->session_decisions / elapsed_h;
	int n = snprintf(buf + at, len - at, "%.0f/h", rate);
	if (n < 0 || (size_t)n >= len - at || !r->counts_ok)
		return;
	at += (size_t)n;
	int64_t left = r->counts.queued + r->counts.held_by_me;
	int64_t mins = (int64_t)((double)left / rate * 60.0 + 0.5);
	if (left <= 0)
		snprintf(buf + at, len - at, "  queue empty");
	else if (mins < 60)
		snprintf(buf + at, len - at, "  ~%lldm to empty", (long long)mins);
	else
		snprintf(buf + at, len - at, "  ~%lldh%02lldm to empty",
			 (long long)(mins / 60), (long long)(mins % 60));
}

/* ---- overlays ---- */

static size_t pick_count(review *r)
{
	if (r->overlay == REVIEW_PICK_REASON)
		return r->nreasons;
	review_case *c = review_shown(r);
	return c ? c->nprobs : 0;
}

static int pick_choose(review *r, size_t i)
{
	int overlay = r->overlay;
	r->overlay = REVIEW_NO_OVERLAY;
	if (overlay == REVIEW_PICK_LABEL)
		return review_pick_label(r, i);
	const char *action = r->pending == ACT_ESCALATE ? "escalate" : "skip";
	if (!strcmp(r->reasons[i], "other") && !r->note_pending) {
		/* "other" says nothing by itself: a note first */
		r->note_for_reason = (int)i;
		text_edit_set(&r->note, NULL);
		r->note_start = 0;
		r->overlay = REVIEW_NOTE;
		review_status(r, THEME_ROLE_STATUS,
			      "%s (other): say why in a note; Enter saves, Esc cancels",
			      action);
		return VIEW_REDRAW;
	}
	return review_decide(r, action, NULL, r->reasons[i]);
}

/* The number a picker shows beside item i, and the only item that digit
 * picks: one mapping for drawing and keys. 0: no number. */
static int pick_number(size_t i)
{
	return i < 9 ? (int)i + 1 : 0;
}

static int pick_visible(const review *r, size_t i)
{
	return (int)i >= r->pick_top && (int)i < r->pick_top + r->pick_rows;
}

static int pick_handle(review *r, int key)
{
	size_t n = pick_count(r);
	if (key == KEY_DK_ESC || key == 'q' || key == KEY_DK_CTRL('g')) {
		r->overlay = REVIEW_NO_OVERLAY;
		review_status(r, THEME_ROLE_STATUS, "cancelled");
		return VIEW_REDRAW;
	}
	if (key == KEY_DK_ENTER || key == '\r')
		return n ? pick_choose(r, (size_t)r->pick_sel) : VIEW_NONE;
	if (key >= '1' && key <= '9') {
		/* a digit picks the item it is shown beside; one whose item
		 * is scrolled out of sight only brings it into view */
		for (size_t i = 0; i < n; i++) {
			if (pick_number(i) != key - '0')
				continue;
			if (pick_visible(r, i))
				return pick_choose(r, i);
			r->pick_sel = (int)i;
			return VIEW_REDRAW;
		}
		return VIEW_NONE;
	}
	int sel = r->pick_sel;
	if (key == KEY_DK_DOWN || key == 'j' || key == KEY_DK_TAB ||
	    key == KEY_DK_WHEEL_DOWN)
		sel++;
	else if (key == KEY_DK_UP || key == 'k' || key == KEY_DK_BTAB ||
		 key == KEY_DK_WHEEL_UP)
		sel--;
	else if (key == KEY_DK_PGDN)
		sel += 9;
	else if (key == KEY_DK_PGUP)
		sel -= 9;
	else if (key == KEY_DK_HOME || key == 'g')
		sel = 0;
	else if (key == KEY_DK_END || key == 'G')
		sel = (int)n - 1;
	else {
		char kn[32];
		review_status(r, THEME_ROLE_STATUS,
			      "%s does nothing in this list (Esc cancels)",
			      keymap_key_name(key, kn, sizeof kn));
		return VIEW_REDRAW;
	}
	if (sel >= (int)n)
		sel = (int)n - 1;
	if (sel < 0)
		sel = 0;
	r->pick_sel = sel;
	return VIEW_REDRAW;
}

/* What the status says after a note edit ends, read back from what is
 * kept (note_pending), never from what the editor held: the screen cannot
 * say "dropped" while a note is kept. */
static void review_note_said(review *r, const char *how)
{
	if (r->note_pending)
		review_status(r, THEME_ROLE_STATUS,
			      "%snote kept for the next decision: %s", how,
			      r->note_pending);
	else
		review_status(r, THEME_ROLE_STATUS, "%sno note", how);
}

static int note_handle(review *r, int key)
{
	if (key == KEY_DK_ESC || key == KEY_DK_CTRL('g')) {
		/* the draft goes; the note kept before the edit stays */
		r->overlay = REVIEW_NO_OVERLAY;
		text_edit_set(&r->note, NULL);
		if (r->note_for_reason >= 0) {
			r->note_for_reason = -1;
			review_status(r, THEME_ROLE_STATUS,
				      "cancelled: nothing saved (other needs a note)");
			return VIEW_REDRAW;
		}
		review_note_said(r, "edit cancelled; ");
		return VIEW_REDRAW;
	}
	if ((key == KEY_DK_ENTER || key == '\r') && r->note_for_reason >= 0) {
		const char *t = text_edit_str(&r->note);
		if (!t[strspn(t, " \t")]) {
			review_status(r, THEME_ROLE_ERROR,
				      "other needs a note: type why, or Esc cancels");
			return VIEW_REDRAW;
		}
		int i = r->note_for_reason;
		r->note_for_reason = -1;
		r->overlay = REVIEW_NO_OVERLAY;
		free(r->note_pending);
		r->note_pending = dk_xstrdup(t);
		text_edit_set(&r->note, NULL);
		return review_decide(r, r->pending == ACT_ESCALATE ? "escalate" : "skip",
				     NULL, r->reasons[i]);
	}
	if (key == KEY_DK_ENTER || key == '\r') {
		r->overlay = REVIEW_NO_OVERLAY;
		free(r->note_pending);
		r->note_pending = NULL;
		const char *t = text_edit_str(&r->note);
		if (t[strspn(t, " \t")])
			r->note_pending = dk_xstrdup(t);
		text_edit_set(&r->note, NULL);
		review_note_said(r, "");
		return VIEW_REDRAW;
	}
	return text_edit_key(&r->note, key) ? VIEW_REDRAW : VIEW_NONE;
}

const char *review_unsaved(const review *r)
{
	if (r->overlay == REVIEW_NOTE) {
		const char *t = text_edit_str(&r->note);
		const char *kept = r->note_pending ? r->note_pending : "";
		if (strcmp(t, kept))
			return "the note being typed";
	}
	return r->note_pending ? "the note kept for the next decision" : NULL;
}

/* The one quit path (the quit key, and q on the "too small" screen): a
 * note at stake is named once, and the next ask leaves. */
static int review_quit(void *ctx, const char **why)
{
	review *r = ctx;
	const char *lost = review_unsaved(r);
	if (!lost || r->quit_armed)
		return VIEW_QUIT;
	r->quit_armed = 1;
	*why = lost;
	char kn[32] = "q";
	int k[1];
	if (keymap_keys(&r->cfg->keys, ACT_QUIT, k, 1))
		keymap_key_name(k[0], kn, sizeof kn);
	review_status(r, THEME_ROLE_ERROR,
		      "%s would be lost: %s again quits without it", lost, kn);
	return VIEW_REDRAW;
}

/* A box in the middle of the screen with want_h rows of want_w columns
 * inside its border (cut to fit); returns that inner rectangle, every row
 * of which is the caller's. */
static void draw_box(screen *scr, int want_w, int want_h, const char *title,
		     int *iy, int *ix, int *iw, int *ih)
{
	int w = want_w + 4, h = want_h + 2;
	if (w > scr->w - 2)
		w = scr->w - 2;
	if (h > scr->h - 2)
		h = scr->h - 2;
	if (w < 10)
		w = scr->w;
	int y = (scr->h - h) / 2, x = (scr->w - w) / 2;
	const struct text_glyphs *g = text_glyphs();
	for (int row = 0; row < h; row++) {
		screen_fill(scr, y + row, x, w, THEME_ROLE_DIALOG, 0, " ");
		screen_put(scr, y + row, x, 1, THEME_ROLE_RULE, 0, g->vline, TEXT_NUL);
		screen_put(scr, y + row, x + w - 1, 1, THEME_ROLE_RULE, 0, g->vline,
			   TEXT_NUL);
	}
	screen_fill(scr, y, x, w, THEME_ROLE_RULE, 0, g->hline);
	screen_fill(scr, y + h - 1, x, w, THEME_ROLE_RULE, 0, g->hline);
	char t[160];
	snprintf(t, sizeof t, " %s ", title);
	screen_put_cut(scr, y, x + 2, w - 4, THEME_ROLE_RULE, SCREEN_BOLD, t,
		       TEXT_NUL);
	*iy = y + 1;
	*ix = x + 2;
	*iw = w - 4;
	*ih = h - 2;
}

static void pick_draw(review *r, screen *scr)
{
	size_t n = pick_count(r);
	review_case *c = review_shown(r);
	const char *title = r->overlay == REVIEW_PICK_LABEL ? "the right label"
			    : r->pending == ACT_ESCALATE   ? "escalate: why?"
							   : "skip: why?";
	int want_w = 36;
	for (size_t i = 0; i < n; i++) {
		const char *s = r->overlay == REVIEW_PICK_LABEL ? c->probs[i].label
								: r->reasons[i];
		int w = text_width(s, TEXT_NUL) + 16;
		if (r->overlay == REVIEW_PICK_REASON)
			w += text_width(r->reason_texts[i], TEXT_NUL) + 2;
		if (w > want_w)
			want_w = w;
	}
	const char *hint = r->overlay == REVIEW_PICK_LABEL
				   ? "a digit decides with the label beside it; "
				     "Enter the highlighted; Esc cancels"
				   : "a digit saves with the reason beside it; "
				     "Enter the highlighted; Esc cancels";
	if (text_width(hint, TEXT_NUL) > want_w)
		want_w = text_width(hint, TEXT_NUL);
	/* the choices, a blank row, the hint */
	int y, x, w, h;
	draw_box(scr, want_w, (int)n + 2, title, &y, &x, &w, &h);
	int rows = h - 2;
	if (rows < 1)
		rows = 1;
	if (r->pick_sel < r->pick_top)
		r->pick_top = r->pick_sel;
	if (r->pick_sel >= r->pick_top + rows)
		r->pick_top = r->pick_sel - rows + 1;
	r->pick_rows = rows;
	for (int row = 0; row < rows && (size_t)(r->pick_top + row) < n; row++) {
		size_t i = (size_t)(r->pick_top + row);
		int sel = (int)i == r->pick_sel;
		int role = sel ? THEME_ROLE_SELECTED : THEME_ROLE_DIALOG;
		screen_fill(scr, y + row, x, w, role, 0, " ");
		char buf[512];
		if (pick_number(i))
			snprintf(buf, sizeof buf, "%d ", pick_number(i));
		else
			snprintf(buf, sizeof buf, "  ");
		int col = screen_put(scr, y + row, x, w, sel ? role : THEME_ROLE_KEY, 0,
				     buf, TEXT_NUL);
		if (r->overlay == REVIEW_PICK_LABEL) {
			const struct review_prob *p = &c->probs[i];
			if (p->p >= 0)
				snprintf(buf, sizeof buf, "%s  %.3f%s", p->label, p->p,
					 strcmp(p->label, c->prediction) ? ""
									  : "  (model)");
			else
				snprintf(buf, sizeof buf, "%s%s", p->label,
					 strcmp(p->label, c->prediction) ? ""
									  : "  (model)");
			screen_put_cut(scr, y + row, x + col, w - col, role, 0, buf,
				       TEXT_NUL);
		} else {
			col += screen_put_cut(scr, y + row, x + col, w - col, role,
					      SCREEN_BOLD, r->reasons[i], TEXT_NUL);
			if (r->reason_texts[i][0])
				screen_put_cut(scr, y + row, x + col + 2,
					       w - col - 2, role, 0,
					       r->reason_texts[i], TEXT_NUL);
		}
	}
	screen_put_cut(scr, y + h - 1, x, w, THEME_ROLE_DIM, 0, hint, TEXT_NUL);
}

static void note_draw(review *r, screen *scr)
{
	int y, x, w, h;
	draw_box(scr, scr->w, 1,
		 r->note_for_reason >= 0
			 ? "why \"other\"? (Enter saves the decision, Esc cancels)"
			 : "note (Enter keeps, Esc cancels the edit)",
		 &y, &x, &w, &h);
	int col = text_edit_view(&r->note, w, &r->note_start);
	const char *s = text_edit_str(&r->note) + r->note_start;
	screen_fill(scr, y, x, w, THEME_ROLE_INPUT, 0, " ");
	screen_put(scr, y, x, w, THEME_ROLE_INPUT, 0, s, TEXT_NUL);
	scr->cursor_y = y;
	scr->cursor_x = x + col;
}

/* ---- the view ---- */

/* ---- search in the text ---- */

/* The offset of a match of term in text after (dir 1) or before (dir -1)
 * from, ASCII case folded, or -1. */
static long search_find(const char *text, const char *term, long from, int dir)
{
	size_t n = strlen(term), tn = strlen(text);
	if (!n || n > tn)
		return -1;
	for (long at = from; at >= 0 && (size_t)at + n <= tn; at += dir) {
		size_t k = 0;
		while (k < n && tolower((unsigned char)text[at + k]) ==
					tolower((unsigned char)term[k]))
			k++;
		if (k == n)
			return at;
	}
	return -1;
}

/* Scroll so the line holding the match at r->search_at shows (lines as
 * the last draw laid the text out). */
static void search_show(review *r)
{
	int line = -1;
	for (int k = 0; k < r->text_nlines; k++)
		if (r->text_offs[k] <= r->search_at)
			line = k;
	if (line < 0)
		return;
	int body = r->text_line0 + line;
	int h = r->text_pane_h > 0 ? r->text_pane_h : r->body_h;
	if (body < r->scroll || body >= r->scroll + h)
		r->scroll = body > 1 ? body - 1 : 0;
}

/* Find the next (dir 1) or previous (dir -1) match and show it. */
static int search_step(review *r, int dir, int first)
{
	review_case *c = review_shown(r);
	if (!c || !c->text) {
		review_status(r, THEME_ROLE_STATUS, "this case has no text to search");
		return VIEW_REDRAW;
	}
	long from = first ? 0 : (long)r->search_at + dir;
	long at = search_find(c->text, r->search, from, dir);
	int wrapped = 0;
	if (at < 0) { /* wrap around, as less does with a note */
		at = search_find(c->text, r->search,
				 dir > 0 ? 0 : (long)strlen(c->text) - 1, dir);
		wrapped = 1;
	}
	if (at < 0) {
		review_status(r, THEME_ROLE_ERROR, "not found: %s", r->search);
		r->search[0] = '\0';
		return VIEW_REDRAW;
	}
	r->search_at = (size_t)at;
	search_show(r);
	review_status(r, THEME_ROLE_STATUS, "%s%s: n next, N previous, Esc ends",
		      wrapped && !first ? "wrapped; " : "", r->search);
	return VIEW_REDRAW;
}

static int search_handle(review *r, int key)
{
	if (key == KEY_DK_ESC || key == KEY_DK_CTRL('g')) {
		r->overlay = REVIEW_NO_OVERLAY;
		review_status(r, THEME_ROLE_STATUS, "search cancelled");
		return VIEW_REDRAW;
	}
	if (key == KEY_DK_ENTER || key == '\r') {
		r->overlay = REVIEW_NO_OVERLAY;
		snprintf(r->search, sizeof r->search, "%s",
			 text_edit_str(&r->search_edit));
		if (!r->search[0])
			return VIEW_REDRAW;
		return search_step(r, 1, 1);
	}
	return text_edit_key(&r->search_edit, key) ? VIEW_REDRAW : VIEW_NONE;
}

static void search_draw(review *r, screen *scr)
{
	int y, x, w, h;
	draw_box(scr, scr->w, 1, "find in the text (Enter finds, Esc cancels)", &y,
		 &x, &w, &h);
	size_t start = 0;
	int col = text_edit_view(&r->search_edit, w, &start);
	screen_fill(scr, y, x, w, THEME_ROLE_INPUT, 0, " ");
	screen_put(scr, y, x, w, THEME_ROLE_INPUT, 0,
		   text_edit_str(&r->search_edit) + start, TEXT_NUL);
	scr->cursor_y = y;
	scr->cursor_x = x + col;
}

/* ---- the view ---- */

static void review_draw(void *ctx, screen *scr)
{
	review *r = ctx;
	r->draws++;
	if (r->overlay == REVIEW_HELP) {
		view_help.draw(&r->help, scr);
		return;
	}
	if (r->overlay == REVIEW_QLIST) {
		qlist_draw(&r->ql, scr);
		return;
	}
	const review_case *c = review_shown(r);
	if (c)
		r->shown_secs = (int)((mono_ms() - c->shown_ms) / 1000);
	view_case_draw(r, scr);
	if (r->overlay == REVIEW_PICK_LABEL || r->overlay == REVIEW_PICK_REASON)
		pick_draw(r, scr);
	else if (r->overlay == REVIEW_NOTE)
		note_draw(r, scr);
	else if (r->overlay == REVIEW_SEARCH)
		search_draw(r, scr);
}

static int review_scroll(review *r, int by)
{
	int max = r->body_lines - r->body_h;
	int s = r->scroll + by;
	if (s > max)
		s = max;
	if (s < 0)
		s = 0;
	if (s == r->scroll)
		return VIEW_NONE;
	r->scroll = s;
	return VIEW_REDRAW;
}

static void review_open_picker(review *r, int overlay, int pending)
{
	r->overlay = overlay;
	r->pending = pending;
	r->pick_sel = 0;
	r->pick_top = 0;
	r->pick_rows = (int)pick_count(r); /* until a draw says how many fit */
	if (overlay == REVIEW_PICK_LABEL) {
		/* start on the model's label's first alternative */
		review_case *c = review_shown(r);
		int i = review_case_label_index(c, c->prediction);
		r->pick_sel = i == 0 && c->nprobs > 1 ? 1 : 0;
	}
}

int review_click_action(const review *r, int y, int x)
{
	if (y != r->foot_y)
		return ACT_NONE;
	for (int i = 0; i < r->nhits; i++)
		if (x >= r->hits[i].x0 && x < r->hits[i].x1)
			return r->hits[i].action;
	return ACT_NONE;
}

/* The queue list's answer: a case picked is claimed (or the list says
 * who holds it and stays open). */
static int review_qlist_key(review *r, int key)
{
	if (key == KEY_DK_WHEEL_UP)
		key = KEY_DK_UP;
	else if (key == KEY_DK_WHEEL_DOWN)
		key = KEY_DK_DOWN;
	if (KEY_DK_IS_CLICK(key))
		return VIEW_NONE;
	int res = qlist_handle(&r->ql, key);
	if (!(res & VIEW_QUIT))
		return res;
	r->overlay = REVIEW_NO_OVERLAY;
	if (!r->ql.chosen)
		return VIEW_REDRAW;
	dk_error err = {{0}};
	int rc = review_take_case(r, r->ql.chosen, &err);
	if (rc != DK_OK) {
		/* taken meanwhile, or not ours to have: say so, stay */
		r->overlay = REVIEW_QLIST;
		qlist_load(&r->ql);
		snprintf(r->ql.status, sizeof r->ql.status, "not claimed: %.200s",
			 err.msg);
		return VIEW_REDRAW;
	}
	review_status(r, THEME_ROLE_STATUS_OK, "%s is yours now (from the queue)",
		      r->cur->ext_id);
	return VIEW_REDRAW;
}

static int review_act(review *r, int action, int key);

static int review_handle(void *ctx, int key)
{
	review *r = ctx;
	if (key == KEY_DK_IDLE)
		return review_idle(r);
	if (key == KEY_DK_RESIZE || key == KEY_DK_NONE)
		return VIEW_REDRAW;
	r->last_key_ms = mono_ms();
	int action = ACT_NONE;
	if (r->overlay == REVIEW_NO_OVERLAY) {
		if (KEY_DK_IS_CLICK(key)) {
			/* a click on a footer item acts as its key; elsewhere
			 * nothing */
			action = review_click_action(r, KEY_DK_CLICK_Y(key),
						     KEY_DK_CLICK_X(key));
			if (action == ACT_NONE)
				return VIEW_NONE;
		} else if (key == KEY_DK_WHEEL_DOWN || key == KEY_DK_WHEEL_UP) {
			return review_scroll(r, key == KEY_DK_WHEEL_DOWN ? 3 : -3);
		} else {
			action = keymap_lookup(&r->cfg->keys, key);
		}
	}
	if (action != ACT_QUIT)
		r->quit_armed = 0; /* any other key: ask again next time */
	switch (r->overlay) {
	case REVIEW_HELP:
		if (view_help.handle(&r->help, key) & VIEW_QUIT)
			r->overlay = REVIEW_NO_OVERLAY;
		return VIEW_REDRAW;
	case REVIEW_PICK_LABEL:
	case REVIEW_PICK_REASON:
		return pick_handle(r, key);
	case REVIEW_NOTE:
		return note_handle(r, key);
	case REVIEW_SEARCH:
		return search_handle(r, key);
	case REVIEW_QLIST:
		return review_qlist_key(r, key);
	default:
		break;
	}
	/* while a search is on, n and N step through its matches (n is the
	 * note key otherwise); Esc ends it */
	if (r->search[0] && (key == 'n' || key == 'N'))
		return search_step(r, key == 'n' ? 1 : -1, 0);
	if (r->search[0] && key == KEY_DK_ESC) {
		r->search[0] = '\0';
		review_status(r, THEME_ROLE_STATUS, "search ended");
		return VIEW_REDRAW;
	}
	return review_act(r, action, key);
}

static int review_act(review *r, int action, int key)
{
	review_case *c = review_shown(r);
	if (!c && action != ACT_QUIT && action != ACT_HELP && action != ACT_UNDO &&
	    action != ACT_BACK && action != ACT_FORWARD && action != ACT_REFRESH &&
	    action != ACT_QUEUE_LIST && action != ACT_NONE) {
		review_status(r, THEME_ROLE_STATUS, "no case on screen");
		return VIEW_REDRAW;
	}
	switch (action) {
	case ACT_QUIT: {
		const char *why = NULL;
		return review_quit(r, &why);
	}
	case ACT_HELP:
		r->overlay = REVIEW_HELP;
		r->help.top = 0;
		return VIEW_REDRAW;
	case ACT_ACCEPT:
		return review_decide(r, "accept", NULL, NULL);
	case ACT_OVERRIDE:
		if (!c->nprobs) {
			review_status(r, THEME_ROLE_ERROR,
				      "this model has no label set to pick from");
			return VIEW_REDRAW;
		}
		review_open_picker(r, REVIEW_PICK_LABEL, ACT_OVERRIDE);
		return VIEW_REDRAW;
	case ACT_ESCALATE:
	case ACT_SKIP:
		if (!r->nreasons) {
			review_status(r, THEME_ROLE_ERROR, "no reason codes configured");
			return VIEW_REDRAW;
		}
		review_open_picker(r, REVIEW_PICK_REASON, action);
		return VIEW_REDRAW;
	case ACT_NOTE:
		text_edit_set(&r->note, r->note_pending);
		r->note_start = 0;
		r->note_for_reason = -1;
		r->overlay = REVIEW_NOTE;
		return VIEW_REDRAW;
	case ACT_UNDO:
		return review_undo(r);
	case ACT_BACK:
		return review_back(r);
	case ACT_FORWARD:
		return review_forward(r);
	case ACT_REVEAL:
		return review_reveal(r);
	case ACT_SCROLL_DOWN:
		return review_scroll(r, 1);
	case ACT_SCROLL_UP:
		return review_scroll(r, -1);
	case ACT_PAGE_DOWN:
		return review_scroll(r, r->body_h > 2 ? r->body_h - 1 : 1);
	case ACT_PAGE_UP:
		return review_scroll(r, -(r->body_h > 2 ? r->body_h - 1 : 1));
	case ACT_TOP:
		return review_scroll(r, -r->scroll);
	case ACT_BOTTOM:
		return review_scroll(r, r->body_lines);
	case ACT_SEARCH:
		text_edit_set(&r->search_edit, r->search);
		r->overlay = REVIEW_SEARCH;
		return VIEW_REDRAW;
	case ACT_QUEUE_LIST:
		if (!r->src->list) {
			review_status(r, THEME_ROLE_STATUS, "no queue list here");
			return VIEW_REDRAW;
		}
		r->overlay = REVIEW_QLIST;
		qlist_open(&r->ql);
		return VIEW_REDRAW;
	case ACT_REFRESH:
		review_load_counts(r);
		if (!r->cur) {
			r->empty = 0;
			review_advance(r);
		}
		return VIEW_RELOAD | VIEW_REDRAW;
	case ACT_NONE: {
		/* a key with no action says so, rather than nothing */
		char kn[32], hn[32] = "?";
		int hk[1];
		if (keymap_keys(&r->cfg->keys, ACT_HELP, hk, 1))
			keymap_key_name(hk[0], hn, sizeof hn);
		review_status(r, THEME_ROLE_STATUS, "%s does nothing here (%s for help)",
			      keymap_key_name(key, kn, sizeof kn), hn);
		return VIEW_REDRAW;
	}
	default:
		if (action >= ACT_LABEL_1 && action <= ACT_LABEL_9)
			return review_pick_label(r, (size_t)(action - ACT_LABEL_1));
		return VIEW_NONE;
	}
}

const view_ops view_review = {
	.name = "review",
	.draw = review_draw,
	.handle = review_handle,
	.quit = review_quit,
};
