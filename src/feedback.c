/* feedback.c: the reviewer's "N of your escalations were resolved" at the
 * start of a review session, from the log and reviewer_seen. */
#include "docket/feedback.h"

#include <stdio.h>
#include <string.h>

#include "docket/logq.h"
#include "docket/screen.h"

/* The seq who's last start saw, 0 when never. */
static int64_t feedback_seen(store *s, const char *who)
{
	db_stmt *st = store_stmt(s, "SELECT seq FROM reviewer_seen WHERE reviewer = ?1",
				      NULL);
	if (!st)
		return 0;
	db_bind_text(st, 1, who, -1, DB_STATIC);
	int64_t seq = db_step(st) == DB_ROW ? db_col_int64(st, 0) : 0;
	store_done(st);
	return seq;
}

static int feedback_take_once(store *s, const char *who, sbuf *out, int64_t *n,
			      dk_error *err)
{
	int64_t count = 0;
	sbuf items = {0};
	if (n)
		*n = 0;
	if (store_begin_write(s, err))
		return DK_ERR;
	int64_t seen = feedback_seen(s, who);
	/* resolves after the watermark: a range of decisions_action; each
	 * checks its case's own entries (decisions_case; the unary + keeps
	 * the planner off the action and reviewer indexes, which would walk
	 * every escalate in the log) for who's escalate */
	db_stmt *st = store_stmt(
		s,
		"SELECT c.ext_id, r.label, r.note, r.reviewer FROM decisions r"
		" JOIN cases c ON c.id = r.case_id"
		" WHERE r.action = 'resolve' AND r.seq > ?1"
		" AND EXISTS (SELECT 1 FROM decisions e WHERE e.case_id = r.case_id"
		"  AND e.seq < r.seq AND +e.action = 'escalate' AND +e.reviewer = ?2)"
		" ORDER BY r.seq",
		err);
	if (!st)
		goto fail;
	db_bind_int64(st, 1, seen);
	db_bind_text(st, 2, who, -1, DB_STATIC);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		count++;
		if (count > FEEDBACK_SHOWN)
			continue;
		const char *note = (const char *)db_col_text(st, 2);
		sbuf_printf(&items, "%s%s as %s by %s", count > 1 ? "; " : "",
			    (const char *)db_col_text(st, 0),
			    screen_or_missing((const char *)db_col_text(st, 1)),
			    (const char *)db_col_text(st, 3));
		if (note && *note)
			sbuf_printf(&items, " (note: %s)", note);
	}
	store_done(st);
	if (rc != DB_DONE) {
		dk_fail(err, "reading resolves of your escalations failed");
		goto fail;
	}
	st = store_stmt(s,
			"INSERT INTO reviewer_seen(reviewer, seq) VALUES (?1, ?2)"
			" ON CONFLICT (reviewer) DO UPDATE SET seq = excluded.seq",
			err);
	if (!st)
		goto fail;
	int64_t head;
	if (logq_head(s, &head, err))
		goto fail;
	db_bind_text(st, 1, who, -1, DB_STATIC);
	db_bind_int64(st, 2, head);
	rc = db_step(st);
	store_done(st);
	if (rc != DB_DONE) {
		dk_fail(err, "recording what you have seen failed");
		goto fail;
	}
	if (store_commit(s, err))
		goto fail;
	if (count) {
		sbuf_printf(out, "%lld of your escalations %s resolved: %s",
			    (long long)count, count == 1 ? "was" : "were",
			    sbuf_str(&items));
		if (count > FEEDBACK_SHOWN)
			sbuf_printf(out, "; and %lld more (docket log --action resolve)",
				    (long long)(count - FEEDBACK_SHOWN));
	}
	if (n)
		*n = count;
	sbuf_free(&items);
	return DK_OK;
fail:
	store_rollback(s);
	sbuf_free(&items);
	return DK_ERR;
}

int feedback_take(store *s, const char *who, sbuf *out, int64_t *n, dk_error *err)
{
	/* a deadlock's victim wrote nothing and added nothing to out: run
	 * again (store_retry) */
	int rc, tries = 0;
	do
		rc = feedback_take_once(s, who, out, n, err);
	while (rc == DK_ERR && store_retry(s, &tries));
	return rc;
}
