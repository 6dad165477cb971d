/* view_sup.h: the supervisor's screen (`docket supervise`): tabs Log,
 * Escalations, Disagreements, Reviewers, Model and Audit, drawn into the
 * screen model; the terminal layer runs it with tui_run. The terminal layer paints it. */
#ifndef DOCKET_VIEW_SUP_H
#define DOCKET_VIEW_SUP_H

#include <stddef.h>
#include <stdint.h>

#include "docket/audit.h"
#include "docket/drift.h"
#include "docket/keymap.h"
#include "docket/logq.h"
#include "docket/queue.h"
#include "docket/screen.h"
#include "docket/stats.h"
#include "docket/store.h"
#include "docket/text_edit.h"
#include "docket/verifymark.h"
#include "docket/view.h"
#include "docket/view_review.h"

/* X(ENUM, key, "name", "help") for the supervisor's keys, in help order.
 * The flat key table is built from it; help and every footer are drawn
 * from that table, so a key shown is the key that works. */
#define SUP_ACTIONS(X) \
	X(TAB_LOG, '1', "log", "Log: every decision, newest first") \
	X(TAB_ESC, '2', "escalations", "Escalations waiting for you") \
	X(TAB_DIS, '3', "disagreements", "Disagreements of double reviews") \
	X(TAB_REV, '4', "reviewers", "Reviewers: volume, rates, agreement") \
	X(TAB_MODEL, '5', "model", "Model: confusion, calibration, drift") \
	X(TAB_AUDIT, '6', "audit", "Audit: chain state, exports, reveals") \
	X(NEXT_TAB, '\t', "next-tab", "the next tab") \
	X(PREV_TAB, KEY_DK_BTAB, "prev-tab", "the tab before (Shift-Tab)") \
	X(DOWN, 'j', "down", "move down, or scroll down a line (also Down)") \
	X(UP, 'k', "up", "move up, or scroll up a line (also Up)") \
	X(PAGE_DOWN, ' ', "page-down", "a page down (also PgDn)") \
	X(PAGE_UP, 'b', "page-up", "a page up (also PgUp)") \
	X(TOP, 'g', "top", "back to the newest entry (and the new ones), the " \
			   "first case, the top (also Home)") \
	X(OPEN, KEY_DK_ENTER, "open", "Log, Escalations, Disagreements: open " \
				      "the selected case with its history") \
	X(CLOSE, KEY_DK_ESC, "close", "close the open case (also Backspace)") \
	X(FILTER, '/', "filter", "filter. Log: reviewer= action= label= "      \
				 "model= case= since= until= and words; "      \
				 "Escalations, Disagreements: model= reason= " \
				 "age= (waiting at least: 30m, 2h, 3d)")       \
	X(RESOLVE, 'r', "resolve", "Escalations, Disagreements: resolve the " \
				   "selected or open case: a final label, "    \
				   "then a note") \
	X(BY, 'f', "by-field", "Model: override rate by a context field") \
	X(NEXT_MODEL, 'm', "next-model", "Model: the next model") \
	X(DRIFT, 'd', "drift", "Model: drift of the latest batch against the " \
			       "reference, by field (again: back)")         \
	X(FAIRNESS, 'p', "fairness", "Model: fairness by the field of f, for "  \
				     "a positive label (asks it; again: back)") \
	X(VERIFY, 'v', "verify", "Audit: check the entries since the last "     \
				 "verification (all when never verified)")     \
	X(VERIFY_ALL, 'V', "verify-all", "Audit: re-verify every entry now") \
	X(RELOAD, 'R', "reload", "reload the figures") \
	X(HELP, '?', "help", "this help; any key closes it") \
	X(QUIT, 'q', "quit", "quit")

enum sup_action {
	SUP_NONE = 0,
#define SUP_ENUM(e, key, name, help) SUP_##e,
	SUP_ACTIONS(SUP_ENUM)
#undef SUP_ENUM
	SUP_COUNT
};

enum sup_tab { SUPT_LOG, SUPT_ESC, SUPT_DIS, SUPT_REV, SUPT_MODEL, SUPT_AUDIT, SUPT_NTABS };

/* A waiting case on the Escalations / Disagreements tabs. */
struct sup_row {
	int64_t case_row;
	char ext_id[64];
	char model[64];
	char prediction[64];
	char reason[64]; /* of its newest entry with one */
	int64_t since; /* ms of its newest decision */
};

/* The filter of the Escalations and Disagreements tabs ("" / 0: any). */
struct sup_rows_filter {
	char model[128];
	char reason[128];
	int64_t min_age_ms; /* waiting at least this long */
};

/* A scrolled view: the first line shown, and the content's length and the
 * area's rows at the last draw (total -1: not drawn yet), so keys stop at
 * the end as the drawing does (screen_scroll_clamp). */
struct sup_scroll {
	int first, total, rows;
};

/* Text being typed at the bottom line. */
enum sup_prompt { SUP_PROMPT_NONE, SUP_PROMPT_FILTER, SUP_PROMPT_LABEL,
		  SUP_PROMPT_NOTE, SUP_PROMPT_BY, SUP_PROMPT_POSITIVE };

/* What the Model tab shows (view_sup_monitor.c: drift and fairness). */
enum sup_model_view { SUP_MV_FIGURES, SUP_MV_DRIFT, SUP_MV_FAIRNESS };

typedef struct sup {
	store *s;
	char who[128];
	enum sup_tab tab;
	int help;
	struct sup_scroll hscroll; /* the help's */
	int h, w; /* the size of the last frame (for paging) */
	char status[1100];
	int status_role;
	/* prompt: a line editor (text_edit.h), drawn from edit_start */
	enum sup_prompt prompt;
	text_edit edit;
	size_t edit_start;
	/* Log: a page of entries (keyset), and the cursors of the pages above */
	char filter_text[256];
	char filter_store[512]; /* filter_text split into NUL-ended words */
	struct logq_filter lf;
	logq *lq;
	struct logq_page page;
	int64_t page_before;
	int64_t *stack;
	size_t nstack, capstack;
	int sel, top;
	/* Live: the head when the list was opened, and how many entries
	 * matching the filter came after it (polled when idle) */
	int64_t live_head;
	int64_t live_new;
	/* the open case */
	int detail;
	int64_t detail_case;
	queue_case dcase;
	int dcase_ok;
	review_case *rcase; /* dcase as the review screen draws it */
	config cfg;         /* defaults: the label keys the case pane shows */
	review rv;          /* what the case pane needs of a review screen */
	struct logq_page hist;
	struct sup_scroll dscroll;
	/* Escalations / Disagreements: a keyset page of the waiting cases by
	 * id (rows), the cursors of the pages above it (rstack), and the
	 * tab's count from the maintained counters */
	struct sup_row *rows;
	size_t nrows;
	int rsel, rtop;
	int64_t rows_after;   /* the page holds waiting cases with id > this */
	int rows_at_end;      /* no waiting case after the page */
	int64_t rows_base;    /* waiting cases before the page (for "N of M") */
	struct sup_rows_mark { int64_t after, base; } *rstack;
	size_t nrstack, caprstack;
	int64_t nwaiting;     /* counters: cases in the tab's state */
	struct sup_rows_filter rf;
	char rows_filter_text[256];
	char **labels; /* the model labels for resolve */
	size_t nlabels;
	int64_t resolve_case;
	char resolve_label[128];
	int64_t resolve_started; /* ms, for the seconds of the decision */
	/* Reviewers / Model */
	struct stats *st;
	char by[300];       /* what was typed: FIELD or FIELD:WIDTH */
	char by_field[300]; /* FIELD: the stats keep a pointer to it */
	size_t model_i;
	enum sup_model_view model_view;
	char positive[128];           /* fairness: the positive label */
	struct drift_report *drift;   /* the drift view's, of model_i */
	struct sup_scroll tscroll[SUPT_NTABS]; /* Reviewers, Model, Audit */
	/* Audit */
	int64_t head_seq;
	char head_hash[65];
	struct verifymark mark; /* the last verification on record */
	int verified;    /* this session: 0 not yet, 1 intact, -1 broken */
	int verify_full; /* the last check this session read every entry */
	audit_report rep;
	struct logq_page exports, reveals;
	int64_t anchor_seq;   /* the newest signed anchor entry, 0 if none */
	int64_t anchor_after; /* entries appended after it */
	char anchor_by[64];   /* who signed it */
} sup;

/* Set up the screen's state for supervisor who on s (borrowed; must
 * outlive ctx) and load the Log tab. Returns DK_OK or DK_ERR. */
int sup_init(sup *ctx, store *s, const char *who, dk_error *err);
/* Free what ctx holds (not the store). */
void sup_done(sup *ctx);

/* Parse a filter of the Escalations and Disagreements tabs ("model=M
 * reason=R age=2h") into *f. Returns 0, or 1 with a message in msg (len
 * bytes) naming the known keys. */
int sup_rows_filter_parse(const char *text, struct sup_rows_filter *f,
			  char *msg, size_t len);

/* Switch to tab t and load its data. */
void sup_set_tab(sup *ctx, enum sup_tab t);

/* The action of a key (Down/Up/PgDn/PgUp/Home/Backspace/CR are fixed
 * extras), and the key of an action (0 when out of range). */
int sup_key_action(int key);
int sup_action_key(int action);

extern const view_ops view_sup;

/* A view's logical lines, drawn at the rows screen_lines_next gives. */
typedef void sup_lines_fn(sup *c, screen *scr, struct screen_lines *l);

/* Draw fn's lines into rows y0..y1 (exclusive) scrolled by s: counts them
 * first, so that s->first is clamped (the end stops at the bottom row)
 * and s keeps the length for the keys. Every scrolled view goes through
 * here. */
void sup_scrolled(sup *c, screen *scr, int y0, int y1, struct sup_scroll *s,
		  sup_lines_fn *fn);

/* printf into the screen as screen_put_cut: text that does not fit ends
 * in the ellipsis, so no cut goes unseen. */
int sup_printf(screen *scr, int y, int x, int maxw, int role, int attrs,
	       const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* The Model tab's Drift and Fairness views (view_sup_monitor.c). */
void sup_load_drift(sup *c);
/* The f field (FIELD or FIELD:WIDTH) into c->by_field: the field, or NULL
 * when none is chosen; *width gets the bin width (0: automatic). */
const char *sup_by_field(sup *c, double *width);
/* After f or p: the --by groups and fairness figures again, alone (from
 * the counts kept per batch), or the whole Model tab when not loaded. */
void sup_load_fairness(sup *c);
void sup_draw_drift(sup *c, screen *scr, int y0, int y1);
void sup_draw_fairness(sup *c, screen *scr, int y0, int y1);

/* Charts (view_sup_chart.c). */

/* A horizontal bar of value in [0,1] over width cells in the bar role
 * (screen_bar: eighths in UTF-8, '#', '+' and '.' in ASCII). NaN draws
 * nothing. Returns the columns used (width). */
int sup_bar(screen *scr, int y, int x, int width, double value);

/* A sparkline of n values in [0,1] (NaN: a gap) from (y, x), one cell
 * each: eight heights of text_glyphs()->spark. */
void sup_spark(screen *scr, int y, int x, const double *v, size_t n);

#endif
