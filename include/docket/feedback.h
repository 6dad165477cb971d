/* feedback.h: what a reviewer hears back about their escalations: at the
 * start of `docket review`, the supervisor resolves of cases they escalated
 * since their previous start (the store keeps the log seq each reviewer's
 * last start saw, table reviewer_seen). */
#ifndef DOCKET_FEEDBACK_H
#define DOCKET_FEEDBACK_H

#include <stdint.h>

#include "docket/store.h"
#include "docket/util.h"

/* Resolves shown by name in the message; the rest are counted. */
#define FEEDBACK_SHOWN 5

/* For reviewer who: count the resolve entries after who's last-seen seq
 * (all of them the first time) on cases who escalated before the resolve,
 * write "N of your escalations were resolved: c17 as spam (note: ...), ..."
 * into out (nothing when N is 0), and record the log's head as seen, in
 * one write transaction. *n (may be NULL) gets N. Returns DK_OK or DK_ERR
 * (nothing recorded). */
int feedback_take(store *s, const char *who, sbuf *out, int64_t *n,
		  dk_error *err);

#endif
