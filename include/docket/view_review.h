/* view_review.h: the reviewer's screen as data: the case shown (a plain
 * struct, so views can be drawn and tested without a store), the source of
 * cases and decisions it talks to (view_queue.h gives the real one over
 * queue.h), and the screen's state. Draws into the screen model only. */
#ifndef DOCKET_VIEW_REVIEW_H
#define DOCKET_VIEW_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "docket/config.h"
#include "docket/screen.h"
#include "docket/text_edit.h"
#include "docket/util.h"
#include "docket/view.h"
#include "docket/view_qlist.h"

struct review_field {
	char *name;  /* as in the input, without the pii: prefix */
	char *value;
	int pii;     /* masked until revealed */
};

struct review_prob {
	char *label;
	double p;    /* < 0 when the input gave no probability for it */
};

struct review_attr {
	char *name;
	double value; /* positive pushes toward the prediction */
};

/* One case as the screen shows it. Every pointer is owned by the struct
 * (review_case_free). */
typedef struct review_case {
	int64_t id;            /* the store's case id */
	char *ext_id;          /* the id as imported */
	char *model;
	char *model_version;   /* "" when none */
	char *route_reason;    /* why it was routed ("" when unknown) */
	char *prediction;
	double confidence;
	int64_t priority;           /* claim order: higher first */
	struct review_prob *probs;  /* the label set in order */
	size_t nprobs;
	struct review_field *fields; /* context fields in file order */
	size_t nfields;
	char *text;                 /* NULL when none */
	struct review_attr *attrs;  /* largest |value| first */
	size_t nattrs;
	int64_t token;              /* lease token; 0 when not held */
	int64_t expires;            /* lease expiry (ms) */
	int revealed;               /* pii fields shown */
	int64_t shown_ms;           /* when it first appeared (time spent) */
	/* Set when shown as one of the reviewer's past decisions. */
	int64_t seq;                /* 0: a case from the queue */
	char action[16];
	char label[128];
	int undone;
} review_case;

/* An empty case (all strings ""); review_case_free frees it. */
review_case *review_case_new(void);
void review_case_free(review_case *c);
/* Append a field / probability / attribution (strings copied). */
void review_case_add_field(review_case *c, const char *name, const char *value,
			   int pii);
void review_case_add_prob(review_case *c, const char *label, double p);
void review_case_add_attr(review_case *c, const char *name, double value);
/* Sort attributions largest |value| first (stable). */
void review_case_sort_attrs(review_case *c);
/* Index of label in the label set, or -1. */
int review_case_label_index(const review_case *c, const char *label);

/* The counts the header and the empty screen show. */
struct review_counts {
	int64_t queued;      /* waiting in the queue (all reviewers) */
	int64_t held_by_me;
	int64_t held_by_others;
	int64_t done_today;  /* this reviewer's decisions today */
	int64_t escalated;   /* waiting for a supervisor */
	int64_t disputed;
};

/* One of the reviewer's recent decisions (newest first). */
struct review_recent {
	int64_t seq;
	int64_t case_id;
	char action[16];
	char ext_id[128];
	char label[128];
	int undone;
	int amended;   /* replaced by a later amend (not shown by back) */
};

/* Where cases come from and decisions go. Functions return DK_OK, DK_EMPTY
 * (claim: nothing for this reviewer; decide and renew: the case is no
 * longer the reviewer's, its lease expired or another reviewer holds it,
 * nothing recorded, err says who holds it), DK_USAGE or DK_ERR with a
 * message in err. A decision call returns only once the decision is
 * committed. */
typedef struct review_source {
	void *ctx;
	/* Claim the next case; *out is the caller's. */
	int (*claim)(void *ctx, review_case **out, dk_error *err);
	/* Record action (accept, override, escalate, skip) on c. */
	int (*decide)(void *ctx, review_case *c, const char *action,
		      const char *label, const char *reason, const char *note,
		      double seconds, dk_error *err);
	/* Amend the reviewer's decision in force on case_id to action
	 * (accept, override, escalate, skip) with label, reason and note: a
	 * new entry that replaces it (queue_amend). */
	int (*amend)(void *ctx, int64_t case_id, const char *action,
		     const char *label, const char *reason, const char *note,
		     double seconds, dk_error *err);
	/* Undo the reviewer's last decision (on case_id when not 0); *back
	 * gets the case, held again by the reviewer. */
	int (*undo)(void *ctx, int64_t case_id, review_case **back,
		    dk_error *err);
	/* Log that c's masked fields were shown to the reviewer. */
	int (*reveal)(void *ctx, review_case *c, dk_error *err);
	/* Extend the lease on c (updates c->expires). */
	int (*renew)(void *ctx, review_case *c, dk_error *err);
	/* Give back every case the reviewer holds. */
	int (*release)(void *ctx, int64_t *n, dk_error *err);
	/* Up to max recent decisions, newest first. */
	int (*recent)(void *ctx, struct review_recent *out, size_t max,
		      size_t *n, dk_error *err);
	/* Load a case by id, unclaimed; *out is the caller's. */
	int (*load)(void *ctx, int64_t case_id, review_case **out,
		    dk_error *err);
	int (*counts)(void *ctx, struct review_counts *out, dk_error *err);
	/* Claim the one case case_id (queue_claim_case): DK_EMPTY when
	 * another reviewer holds it (err says who), DK_ERR when it cannot be
	 * had (err says why). */
	int (*claim_case)(void *ctx, int64_t case_id, review_case **out,
			  dk_error *err);
	/* The queue list's read (struct qlist's read). */
	int (*list)(void *ctx, const struct qlist_key *after, const char *filter,
		    size_t max, struct qlist_page *out, dk_error *err);
} review_source;

/* The help screen: ctx is a struct view_help_ctx. When the keys do not
 * all fit, the footer says how many more and Down/Up scroll; any other key
 * closes it (the handler returns VIEW_QUIT meaning "close"). */
struct view_help_ctx {
	const keymap *keys;
	const char *title;
	const char *const *notes; /* NULL-terminated lines after the keys */
	int top;                  /* first entry shown (set 0 when opening) */
	int shown, total;         /* entries the last draw showed, and all */
};

enum review_mode {
	REVIEW_CASE,   /* a case from the queue (or none: the empty screen) */
	REVIEW_HISTORY /* one of the reviewer's past decisions */
};

enum review_overlay {
	REVIEW_NO_OVERLAY,
	REVIEW_HELP,
	REVIEW_PICK_LABEL,
	REVIEW_PICK_REASON,
	REVIEW_NOTE,
	REVIEW_QLIST,  /* the queue list */
	REVIEW_SEARCH, /* typing a search in the case */
};

/* A footer item as drawn: columns x0..x1-1 of the last row run action
 * (a mouse click there acts as the key). */
struct review_hit {
	int x0, x1, action;
};
#define REVIEW_HITS 16

/* Cases claimed ahead of the one on screen, so moving on is instant. */
#define REVIEW_PREFETCH 2
/* Room for prefetched cases plus cases an undo hands back. */
#define REVIEW_AHEAD_MAX 8
/* How many of the reviewer's decisions back/forward walks. */
#define REVIEW_HISTORY_MAX 50
/* Leases are renewed when the reviewer pressed a key within this long... */
#define REVIEW_ACTIVE_MS (5 * 60 * 1000)
/* ...at most this often. */
#define REVIEW_RENEW_MS (60 * 1000)
/* The empty screen looks for new cases this often. */
#define REVIEW_EMPTY_POLL_MS (5 * 1000)

/* The reviewer's screen. Fields are the views' to read; change it only
 * through the functions below and the view's handle. */
typedef struct review {
	const review_source *src;
	const config *cfg;
	char reviewer[128];
	char model_filter[128];     /* "" : all models */
	char **reasons;             /* reason codes offered (owned) */
	char **reason_texts;        /* descriptions, "" when none (owned) */
	size_t nreasons;
	struct review_counts counts;
	int counts_ok;
	review_case *cur;           /* the queue case on screen, or NULL */
	review_case *ahead[REVIEW_AHEAD_MAX];
	size_t nahead;
	int empty;                  /* the queue had nothing for us */
	int mode;                   /* enum review_mode */
	struct review_recent recent[REVIEW_HISTORY_MAX];
	size_t nrecent;
	size_t hist;                /* index into recent while in history */
	review_case *hist_case;
	int overlay;                /* enum review_overlay */
	int pick_sel;               /* selected line in a picker */
	int pick_top;               /* first line shown in a picker */
	int pick_rows;              /* lines the last draw showed */
	int pending;                /* the action a reason is picked for */
	text_edit note;             /* the draft being typed (kept only by
				     * Enter; Esc leaves note_pending as
				     * it was) */
	size_t note_start;
	char *note_pending;         /* the note the next decision carries:
				     * the one source of truth the pane
				     * shows, the status names and the
				     * decision saves */
	int quit_armed;             /* quit asked once with a note at stake */
	int scroll;                 /* first body line shown */
	int body_lines;             /* lines the last draw had (for paging) */
	int body_h;                 /* rows the body had */
	char status[512];
	int status_role;
	int64_t last_key_ms;
	int64_t last_renew_ms;
	int64_t last_poll_ms;
	int64_t last_counts_ms;
	int counts_stale;           /* reload counts when idle */
	int want_prefetch;          /* claim ahead when idle */
	int released;               /* review_release ran */
	struct view_help_ctx help;
	int draws;                  /* frames drawn (tests, benchmarks) */
	/* the queue list */
	qlist ql;
	/* pace: this session's decisions and when it began */
	int64_t session_ms;
	int session_decisions;
	int shown_secs;             /* seconds on the case the header shows */
	/* "other" needs a note: the reason waiting for one (-1: none) */
	int note_for_reason;
	/* search in the case's text */
	text_edit search_edit;
	char search[128];           /* the term searched ("" : none) */
	size_t search_at;           /* byte offset of the match shown */
	size_t *text_offs;          /* where each drawn text line starts */
	int text_nlines, text_cap;
	int text_line0;             /* body line of the text's first line */
	int text_pane_h;            /* rows the text's pane had */
	/* the footer as drawn, for the mouse */
	struct review_hit hits[REVIEW_HITS];
	int nhits;
	int foot_y;
} review;

/* Set up r over src for reviewer (model: "" or NULL for all), offering
 * reasons (n codes with optional texts). Claims nothing yet: call
 * review_start. Free with review_done. */
void review_init(review *r, const review_source *src, const config *cfg,
		 const char *reviewer, const char *model,
		 const char *const *reasons, const char *const *texts,
		 size_t nreasons);

/* Load counts and claim the first cases. A store error goes to the status
 * line. */
void review_start(review *r);

/* Give back every held case (quitting, or on a signal). Safe twice. Returns
 * the source's status; *n gets how many cases went back. */
int review_release(review *r, int64_t *n, dk_error *err);

void review_done(review *r);

/* Show case_id now: from the prefetched cases when held already, else
 * claimed through the source (claim_case). The case on screen stays held,
 * next in line. Returns DK_OK, or DK_EMPTY/DK_ERR with err saying who
 * holds it or why not (the screen is unchanged). */
int review_take_case(review *r, int64_t case_id, dk_error *err);

/* The action a mouse click at (y, x) runs on the last frame drawn (a
 * footer item), or ACT_NONE. */
int review_click_action(const review *r, int y, int x);

/* The pace the header shows, as text into buf: "3:05 on case", "12/h",
 * "~2h10m to empty" ("—" until two decisions). */
void review_pace(const review *r, int64_t now_ms, char *buf, size_t len);

/* What leaving now would lose, as words ("the note being typed"), or NULL:
 * a note typed or kept that no decision has carried yet. The quit key and
 * the "too small" screen's q ask once over it; a signal names it. */
const char *review_unsaved(const review *r);

/* Set the status line (printf style). role is a THEME_ROLE_*. */
void review_status(review *r, int role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Drawing pieces (view_case.c), exposed for tests. */
void view_case_draw(review *r, screen *scr);
void view_empty_draw(const review *r, screen *scr);
/* The case as the reviewer sees it (context with personal fields masked,
 * text with the attributed words highlighted, the prediction with its
 * probability bars, attributions as signed bars), laid out for scr->w, in
 * rows top..top+h-1 from logical line scroll; other screens that show a
 * case as its reviewer saw it (the supervisor's) draw it with this. r
 * gives the key table (r->cfg) and the pending note; r->src NULL means no
 * reveal is offered. fit = 1 (the review screen) cuts the attributions to
 * the rows left; 0 draws every line, for a caller that scrolls the body
 * within a longer view. Returns the body's lines. */
int view_case_body(review *r, const review_case *c, screen *scr, int top,
		   int h, int scroll, int fit);

/* The review screen: ctx is a review. */
extern const view_ops view_review;

/* The help screen (ctx: struct view_help_ctx). */
extern const view_ops view_help;

#endif
