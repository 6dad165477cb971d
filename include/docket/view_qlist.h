/* view_qlist.h: the reviewer's queue list, one key from the case screen:
 * the cases waiting for this reviewer in claim order, a page at a time,
 * with a filter; Enter picks one to claim. The list is read a page at a
 * time through the source (keyset paging), never the whole queue. */
#ifndef DOCKET_VIEW_QLIST_H
#define DOCKET_VIEW_QLIST_H

#include <stddef.h>
#include <stdint.h>

#include "docket/screen.h"
#include "docket/text_edit.h"
#include "docket/util.h"

/* Rows one read returns at most (a screen page). */
#define QLIST_MAX 64
/* Waiting cases one filtered read looks at, at most: a filter that
 * matches little goes on at the next key or idle turn, never stalls. */
#define QLIST_BUDGET 2000
/* Pages PgUp can go back through. */
#define QLIST_PAGES 256

/* A position in claim order (priority desc, urgency, id). */
struct qlist_key {
	int64_t priority;
	double urgency;
	int64_t id;
};

struct qlist_row {
	int64_t case_id;
	struct qlist_key key;
	char ext_id[96];
	char model[64];
	char prediction[64];
	char reason[64]; /* as a reviewer is shown it (policy_reason_shown) */
	double confidence;
	int64_t priority;
	int mine;        /* held by this reviewer already (next up) */
};

/* One read: rows after a position, matching a filter. */
struct qlist_page {
	struct qlist_row rows[QLIST_MAX];
	size_t n;
	int end;                  /* the queue's end was reached */
	struct qlist_key reached; /* the last case looked at */
	int any;                  /* reached is set */
	size_t looked;            /* cases looked at */
};

/* Whether a case matches filter: words, all of which must match, case
 * folded: "label:X" the prediction, "reason:X" the reason as shown,
 * "model:X" the model name (each a substring), any other word the id, the
 * prediction or context (the non-personal values, newline separated). */
int qlist_match(const char *filter, const struct qlist_row *row,
		const char *context);

/* 1 when filter has a plain word (so the source must read context). */
int qlist_filter_needs_context(const char *filter);

/* The list's state. */
typedef struct qlist {
	/* read up to max rows after *after (NULL: from the start) matching
	 * filter ("" : all) into *out, looking at most QLIST_BUDGET cases */
	int (*read)(void *ctx, const struct qlist_key *after, const char *filter,
		    size_t max, struct qlist_page *out, dk_error *err);
	void *ctx;
	struct qlist_page page;
	struct qlist_key starts[QLIST_PAGES]; /* where each page began */
	int npage;                /* the page shown (0: the first) */
	int sel;
	int rows;                 /* rows the last draw had */
	int more;                 /* a filtered read stopped at its budget */
	int reload;               /* the screen grew: read the page again */
	size_t looked;            /* cases the current page's reads looked at */
	char filter[256];         /* the filter applied */
	text_edit edit;           /* the filter being typed */
	int editing;
	int64_t chosen;           /* Enter: the case to claim (0: none) */
	char status[256];
} qlist;

/* Open the list at its first page. */
void qlist_open(qlist *q);
void qlist_free(qlist *q);
/* (Re)read the page shown. */
void qlist_load(qlist *q);
void qlist_draw(qlist *q, screen *scr);
/* A key: view_result bits; VIEW_QUIT: close the list (q->chosen set when a
 * case was picked). KEY_DK_IDLE continues a filtered read. */
int qlist_handle(qlist *q, int key);

#endif
