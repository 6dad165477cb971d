/* view_queue.c: the review screen's source over the store (queue.h for
 * claims, decisions, amends, undo, renewals and counts; audit.h for reveal
 * entries), converting cases to the plain struct the views draw. */
#include "docket/view_queue.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docket/audit.h"
#include "docket/clock.h"
#include "docket/queue_walk.h"

/* Each member of a JSON object or array in order: key (NULL for arrays),
 * value as text, and whether it is a string. */
typedef void json_member_fn(void *arg, const char *key, const char *value,
			    double num, int type_is_number);

static int json_each_member(store *s, const char *json, json_member_fn *fn,
			    void *arg, dk_error *err)
{
	if (!json)
		return DK_OK;
	db_stmt *st = store_stmt(
		s, "SELECT key, value, type FROM json_each(?1)", err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, json, -1, DB_STATIC);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *key = db_col_type(st, 0) == DB_TEXT
					  ? (const char *)db_col_text(st, 0)
					  : NULL;
		const char *type = (const char *)db_col_text(st, 2);
		const char *val = (const char *)db_col_text(st, 1);
		int is_num = type && (!strcmp(type, "real") || !strcmp(type, "integer"));
		double num = is_num ? db_col_double(st, 1) : NAN;
		fn(arg, key, val ? val : "", num, is_num);
	}
	store_done(st);
	if (rc != DB_DONE)
		return store_fail(s, err, "reading a case's JSON");
	return DK_OK;
}

static void add_label(void *arg, const char *key, const char *value, double num,
		      int is_num)
{
	(void)key;
	(void)num;
	(void)is_num;
	review_case_add_prob(arg, value, -1);
}

static void set_prob(void *arg, const char *key, const char *value, double num,
		     int is_num)
{
	(void)value;
	review_case *c = arg;
	if (!key || !is_num)
		return;
	int i = review_case_label_index(c, key);
	if (i < 0) {
		review_case_add_prob(c, key, num);
		return;
	}
	c->probs[i].p = num;
}

static void add_field(void *arg, const char *key, const char *value, double num,
		      int is_num)
{
	(void)num;
	(void)is_num;
	if (!key)
		return;
	int pii = !strncmp(key, "pii:", 4);
	review_case_add_field(arg, pii ? key + 4 : key, value, pii);
}

static void add_attr(void *arg, const char *key, const char *value, double num,
		     int is_num)
{
	(void)value;
	if (key && is_num)
		review_case_add_attr(arg, key, num);
}

static void set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = dk_xstrdup(src ? src : "");
}

int view_queue_case(store *s, const queue_case *qc, review_case **out,
		    dk_error *err)
{
	review_case *c = review_case_new();
	c->id = qc->case_id;
	set_str(&c->ext_id, qc->ext_id);
	set_str(&c->model, qc->model);
	set_str(&c->model_version, qc->model_version);
	set_str(&c->route_reason, qc->route_reason);
	set_str(&c->prediction, qc->prediction);
	c->confidence = qc->confidence;
	c->priority = qc->priority;
	c->text = qc->text ? dk_xstrdup(qc->text) : NULL;
	c->token = qc->lease_token;
	c->expires = qc->lease_expires;
	if (json_each_member(s, qc->labels_json, add_label, c, err) ||
	    json_each_member(s, qc->probs_json, set_prob, c, err) ||
	    json_each_member(s, qc->context_json, add_field, c, err) ||
	    json_each_member(s, qc->attributions_json, add_attr, c, err)) {
		review_case_free(c);
		return DK_ERR;
	}
	int i = review_case_label_index(c, c->prediction);
	if (i < 0) {
		review_case_add_prob(c, c->prediction, c->confidence);
	} else if (c->probs[i].p < 0) {
		c->probs[i].p = c->confidence;
	}
	review_case_sort_attrs(c);
	*out = c;
	return DK_OK;
}

static int vq_convert(struct view_queue *q, queue_case *qc, review_case **out,
		      dk_error *err)
{
	int rc = view_queue_case(q->s, qc, out, err);
	queue_case_free(qc);
	return rc;
}

static int vq_claim(void *ctx, review_case **out, dk_error *err)
{
	struct view_queue *q = ctx;
	queue_case qc;
	memset(&qc, 0, sizeof qc);
	int rc = queue_claim(q->s, q->reviewer, q->model[0] ? q->model : NULL, &qc,
			     err);
	if (rc != DK_OK)
		return rc;
	return vq_convert(q, &qc, out, err);
}

/* After a refused decision or renewal: 1 when c is no longer this
 * reviewer's under its lease (expired, reclaimed, or someone else's),
 * read from the lease row, never guessed from the message. */
static int vq_lost(struct view_queue *q, const review_case *c)
{
	dk_error e;
	db_stmt *st = store_stmt(
		q->s,
		"SELECT l.token, l.expires_at, r.name FROM (SELECT 1) AS one"
		" LEFT JOIN leases l ON l.case_id = ?1"
		" LEFT JOIN reviewers r ON r.id = l.reviewer_id",
		&e);
	if (!st)
		return 0;
	db_bind_int64(st, 1, c->id);
	int lost = 0;
	/* The screen stays on the case, and the decision's own lease check
	 * refuses it with its message: a failed read shows as not lost (a
	 * statement PostgreSQL refused did that: t_review_lease, both engines) */
	if (db_step(st) == DB_ROW) {
		const char *name = (const char *)db_col_text(st, 2);
		lost = db_col_type(st, 0) == DB_NULL ||
		       db_col_int64(st, 0) != c->token ||
		       db_col_int64(st, 1) <= clock_now_ms() || !name ||
		       strcmp(name, q->reviewer);
	}
	store_done(st);
	return lost;
}

static int vq_decide(void *ctx, review_case *c, const char *action,
		     const char *label, const char *reason, const char *note,
		     double seconds, dk_error *err)
{
	struct view_queue *q = ctx;
	queue_decision d = {
		.action = action,
		.label = label,
		.reason = reason,
		.note = note,
		.seconds = seconds,
		.token = c->token,
	};
	int rc = queue_decide(q->s, q->reviewer, c->id, &d, NULL, err);
	return rc == DK_ERR && vq_lost(q, c) ? DK_EMPTY : rc;
}

static int vq_amend(void *ctx, int64_t case_id, const char *action,
		    const char *label, const char *reason, const char *note,
		    double seconds, dk_error *err)
{
	struct view_queue *q = ctx;
	queue_decision d = {
		.action = action,
		.label = label,
		.reason = reason,
		.note = note,
		.seconds = seconds,
	};
	return queue_amend(q->s, q->reviewer, case_id, &d, NULL, err);
}

static int vq_undo(void *ctx, int64_t case_id, review_case **back,
		   dk_error *err)
{
	struct view_queue *q = ctx;
	queue_case qc;
	memset(&qc, 0, sizeof qc);
	int rc = queue_undo(q->s, q->reviewer, case_id, &qc, NULL, err);
	if (rc != DK_OK) {
		queue_case_free(&qc);
		return rc;
	}
	return vq_convert(q, &qc, back, err);
}

/* PostgreSQL keeps personal values where reviewers cannot read them
 * (case_pii, pg_roles.c): the database hands them over only once the
 * reveal entry is committed. */
static int vq_pii_values(store *s, review_case *c, dk_error *err)
{
	db_stmt *st = store_stmt(s, "SELECT key, value FROM docket.pii_fields(?1)",
				 err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, c->id);
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		const char *k = (const char *)db_col_text(st, 0);
		const char *v = (const char *)db_col_text(st, 1);
		for (size_t i = 0; k && i < c->nfields; i++) {
			struct review_field *f = &c->fields[i];
			if (f->pii && !strncmp(k, "pii:", 4) && !strcmp(f->name, k + 4)) {
				free(f->value);
				f->value = dk_xstrdup(v ? v : "");
			}
		}
	}
	store_done(st);
	return step == DB_DONE ? DK_OK
			       : store_fail(s, err, "reading the personal fields");
}

/* A reveal is an audit entry naming the fields shown, committed before
 * the screen shows them. */
static int vq_reveal_once(struct view_queue *q, review_case *c, dk_error *err)
{
	sbuf detail = {0};
	sbuf_adds(&detail, "{\"fields\":[");
	int n = 0;
	for (size_t i = 0; i < c->nfields; i++) {
		if (!c->fields[i].pii)
			continue;
		char name[512];
		snprintf(name, sizeof name, "pii:%s", c->fields[i].name);
		if (n++)
			sbuf_addc(&detail, ',');
		sbuf_add_json_str(&detail, name, strlen(name));
	}
	sbuf_adds(&detail, "]}");
	audit_entry e = {
		.reviewer = q->reviewer,
		.case_id = c->id,
		.action = ACTION_REVEAL,
		.model_label = c->prediction,
		.seconds = NAN,
		.detail = sbuf_str(&detail),
	};
	int rc = store_begin_write(q->s, err);
	if (rc == DK_OK)
		rc = audit_append(q->s, &e, NULL, NULL, err);
	if (rc == DK_OK)
		rc = store_commit(q->s, err);
	else
		store_rollback(q->s);
	sbuf_free(&detail);
	return rc;
}

static int vq_reveal(void *ctx, review_case *c, dk_error *err)
{
	struct view_queue *q = ctx;
	/* it waits for the chain lock holding the writer lock: a session
	 * holding the one and asking for the other (t_pg_retry) makes it a
	 * deadlock's victim, which wrote nothing and showed nothing: run
	 * again (store_retry) */
	int rc, tries = 0;
	do
		rc = vq_reveal_once(q, c, err);
	while (rc == DK_ERR && store_retry(q->s, &tries));
	if (rc == DK_OK && store_engine(q->s) == STORE_POSTGRES)
		rc = vq_pii_values(q->s, c, err);
	return rc;
}

static int vq_renew(void *ctx, review_case *c, dk_error *err)
{
	struct view_queue *q = ctx;
	if (!c->token)
		return DK_OK;
	int rc = queue_renew(q->s, q->reviewer, c->id, c->token, &c->expires, err);
	return rc == DK_ERR && vq_lost(q, c) ? DK_EMPTY : rc;
}

static int vq_release(void *ctx, int64_t *n, dk_error *err)
{
	struct view_queue *q = ctx;
	return queue_release(q->s, q->reviewer, n, err);
}

static int vq_recent(void *ctx, struct review_recent *out, size_t max,
		     size_t *n, dk_error *err)
{
	struct view_queue *q = ctx;
	queue_recent_entry ents[REVIEW_HISTORY_MAX];
	if (max > REVIEW_HISTORY_MAX)
		max = REVIEW_HISTORY_MAX;
	size_t got = 0;
	int rc = queue_recent(q->s, q->reviewer, ents, max, &got, err);
	if (rc != DK_OK)
		return rc;
	for (size_t i = 0; i < got; i++) {
		memset(&out[i], 0, sizeof out[i]);
		out[i].seq = ents[i].seq;
		out[i].case_id = ents[i].case_id;
		snprintf(out[i].action, sizeof out[i].action, "%s", ents[i].action);
		snprintf(out[i].ext_id, sizeof out[i].ext_id, "%s", ents[i].ext_id);
		snprintf(out[i].label, sizeof out[i].label, "%s", ents[i].label);
		out[i].undone = ents[i].undone;
		out[i].amended = ents[i].amended;
	}
	*n = got;
	return DK_OK;
}

static int vq_load(void *ctx, int64_t case_id, review_case **out, dk_error *err)
{
	struct view_queue *q = ctx;
	queue_case qc;
	memset(&qc, 0, sizeof qc);
	int rc = queue_case_load(q->s, case_id, &qc, err);
	if (rc != DK_OK) {
		queue_case_free(&qc);
		return rc;
	}
	return vq_convert(q, &qc, out, err);
}

static int vq_claim_case(void *ctx, int64_t case_id, review_case **out,
			 dk_error *err)
{
	struct view_queue *q = ctx;
	queue_case qc;
	memset(&qc, 0, sizeof qc);
	int rc = queue_claim_case(q->s, q->reviewer, case_id,
				  q->model[0] ? q->model : NULL, &qc, err);
	if (rc != DK_OK)
		return rc;
	return vq_convert(q, &qc, out, err);
}

/* The queue list reads the queue in claim order from a position (keyset),
 * as queue_walk.h merges it from each model's part of the queue index:
 * per model two seeks, the rest of the position's priority, then the lower
 * priorities. The reviews check is queue_claim's. The context column
 * (non-personal values only: a filter must not find masked text) is read
 * only when the filter needs it. Columns: queue_walk's three, then ours. */
/* The reason as a reviewer is shown it (store.h): gold checks and audit
 * samples both read "spot check", so neither the list nor its filter can
 * tell a reviewer which is which (and on PostgreSQL a reviewer may not
 * read cases.route_reason). */
#define VQ_LIST_REASON "coalesce(" STORE_REASON_SHOWN("c") ", ''), "
#define VQ_LIST_COLS \
	"SELECT c.priority, c.urgency, c.id, c.ext_id, m.name, c.prediction," \
	" c.confidence, " VQ_LIST_REASON
/* A context stored as an array (casejson.h): element N's key is the Nth
 * of its batch's list. (CAST: PostgreSQL's json_extract gives json, which
 * a CASE cannot mix with text; its cases hold objects, never arrays.) */
#define VQ_LIST_CTX \
	"(SELECT group_concat(j.atom, '\n') FROM batches b, json_each(c.context) j" \
	" WHERE b.id = c.batch_id AND substr(CASE WHEN substr(c.context, 1, 1) = '['" \
	" THEN CAST(json_extract(b.ctx_keys, '$[' || j.key || ']') AS TEXT)" \
	" ELSE j.key END, 1, 4) <> 'pii:')"
#define VQ_LIST_WHERE \
	" FROM cases c INDEXED BY cases_queue_model JOIN models m ON m.id = c.model_id" \
	" WHERE c.model_id = ?7 AND c.state = 'queued'" \
	" AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.case_id = c.id" \
	"  AND r.reviewer_id = ?1 AND (r.action <> 'skip' OR r.at > ?2))"
#define VQ_LIST_SAME " AND c.priority = ?3 AND (c.urgency, c.id) > (?4, ?5)"
#define VQ_LIST_LOWER " AND c.priority < ?3"
#define VQ_LIST_ORDER " ORDER BY c.priority DESC, c.urgency, c.id LIMIT ?6"
#define VQ_LIST_SQL(ctxcol, range) \
	VQ_LIST_COLS ctxcol VQ_LIST_WHERE range VQ_LIST_ORDER

static const char *const vq_list_sql[2][2] = {
	/* [context][lower] */
	{VQ_LIST_SQL("NULL", VQ_LIST_SAME), VQ_LIST_SQL("NULL", VQ_LIST_LOWER)},
	{VQ_LIST_SQL(VQ_LIST_CTX, VQ_LIST_SAME),
	 VQ_LIST_SQL(VQ_LIST_CTX, VQ_LIST_LOWER)},
};

static void vq_copy(char *dst, size_t len, db_stmt *st, int col)
{
	const char *v = (const char *)db_col_text(st, col);
	snprintf(dst, len, "%s", v ? v : "");
}

/* A row of the walk: the list's row and, when the filter needs it, the
 * case's context (owned). */
struct vq_walk_row {
	struct qlist_row row;
	char *context;
};

struct vq_walk {
	int64_t rid, since;
	int ctxcol;
};

static void vq_walk_bind(db_stmt *st, int64_t mid, const struct queue_walk_key *at,
			 int same, int64_t limit, void *ctx)
{
	const struct vq_walk *w = ctx;
	db_bind_int64(st, 1, w->rid);
	db_bind_int64(st, 2, w->since);
	db_bind_int64(st, 3, at->priority);
	if (same) {
		db_bind_double(st, 4, at->urgency);
		db_bind_int64(st, 5, at->id);
	}
	db_bind_int64(st, 6, limit);
	db_bind_int64(st, 7, mid);
}

static void vq_walk_take(db_stmt *st, void *out, void *ctx)
{
	const struct vq_walk *w = ctx;
	struct vq_walk_row *r = out;
	memset(r, 0, sizeof *r);
	struct qlist_row *row = &r->row;
	row->key.priority = row->priority = db_col_int64(st, 0);
	row->key.urgency = db_col_double(st, 1);
	row->case_id = row->key.id = db_col_int64(st, 2);
	vq_copy(row->ext_id, sizeof row->ext_id, st, 3);
	vq_copy(row->model, sizeof row->model, st, 4);
	vq_copy(row->prediction, sizeof row->prediction, st, 5);
	row->confidence = db_col_double(st, 6);
	vq_copy(row->reason, sizeof row->reason, st, 7);
	const char *c = w->ctxcol ? (const char *)db_col_text(st, 8) : NULL;
	r->context = c ? dk_xstrdup(c) : NULL;
}

static void vq_walk_drop(void *row, void *ctx)
{
	(void)ctx;
	free(((struct vq_walk_row *)row)->context);
}

/* The queue's cases after at (NULL: from the start) into out until max
 * match the filter; every case looked at counts against *budget, and
 * out->end says the queue's end was reached. */
static int vq_list_walk(struct view_queue *q, const struct vq_walk *wk,
			int64_t mid, const struct qlist_key *at,
			const char *filter, size_t max, size_t *budget,
			struct qlist_page *out, dk_error *err)
{
	int filtered = filter[0] != '\0';
	/* unfiltered: exactly the rows wanted, per model at most */
	size_t chunk = filtered ? QLIST_MAX : max - out->n;
	const struct queue_walk_ops ops = {
		.sql_same = vq_list_sql[wk->ctxcol][0],
		.sql_lower = vq_list_sql[wk->ctxcol][1],
		.bind = vq_walk_bind, .take = vq_walk_take, .drop = vq_walk_drop,
		.row_size = sizeof(struct vq_walk_row), .chunk = chunk,
		.ctx = (void *)wk,
	};
	struct queue_walk_key from;
	if (at)
		from = (struct queue_walk_key){at->priority, at->urgency, at->id};
	queue_walk *w;
	if (queue_walk_open(&w, q->s, &ops, mid, at ? &from : NULL, err))
		return DK_ERR;
	int rc = DK_OK;
	while (out->n < max && *budget > 0) {
		struct vq_walk_row r;
		rc = queue_walk_next(w, &r, NULL, err);
		if (rc == DK_EMPTY) {
			out->end = 1;
			rc = DK_OK;
			break;
		}
		if (rc)
			break;
		(*budget)--;
		out->reached = r.row.key;
		out->any = 1;
		out->looked++;
		if (!filtered || qlist_match(filter, &r.row, r.context))
			out->rows[out->n++] = r.row;
		free(r.context);
	}
	queue_walk_close(w);
	return rc;
}

static const char vq_list_mine_sql[] =
	"SELECT c.id, c.priority, c.urgency, c.ext_id, m.name, c.prediction,"
	" c.confidence, " VQ_LIST_REASON VQ_LIST_CTX
	" FROM leases l INDEXED BY leases_reviewer JOIN cases c ON c.id = l.case_id"
	" JOIN models m ON m.id = c.model_id"
	" WHERE l.reviewer_id = ?1 AND l.expires_at > ?2"
	" AND (?3 = 0 OR c.model_id = ?3)"
	" ORDER BY c.priority DESC, c.urgency, c.id";

int view_queue_explain(store *s, sbuf *out, dk_error *err)
{
	const char *const *all = &vq_list_sql[0][0];
	for (size_t i = 0; i < 4; i++) {
		sbuf_printf(out, "-- %s\n", all[i]);
		if (store_explain(s, all[i], out, err))
			return DK_ERR;
	}
	sbuf_printf(out, "-- %s\n", vq_list_mine_sql);
	return store_explain(s, vq_list_mine_sql, out, err);
}

/* The cases this reviewer holds (the one on screen and those claimed
 * ahead) head the first page: they are the next up, and no longer in the
 * queue's index. A seek on leases_reviewer. */
static int vq_list_mine(struct view_queue *q, int64_t rid, int64_t mid,
			const char *filter, int ctxcol, size_t max,
			struct qlist_page *out, dk_error *err)
{
	db_stmt *st = store_stmt(q->s, vq_list_mine_sql, err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, rid);
	db_bind_int64(st, 2, clock_now_ms());
	db_bind_int64(st, 3, mid);
	int rc;
	while (out->n < max && (rc = db_step(st)) == DB_ROW) {
		struct qlist_row row;
		memset(&row, 0, sizeof row);
		row.case_id = row.key.id = db_col_int64(st, 0);
		row.key.priority = row.priority = db_col_int64(st, 1);
		row.key.urgency = db_col_double(st, 2);
		vq_copy(row.ext_id, sizeof row.ext_id, st, 3);
		vq_copy(row.model, sizeof row.model, st, 4);
		vq_copy(row.prediction, sizeof row.prediction, st, 5);
		row.confidence = db_col_double(st, 6);
		vq_copy(row.reason, sizeof row.reason, st, 7);
		row.mine = 1;
		if (!filter[0] ||
		    qlist_match(filter, &row,
				ctxcol ? (const char *)db_col_text(st, 8) : NULL))
			out->rows[out->n++] = row;
	}
	/* a list cut short by a failed read is an error, not fewer cases */
	if (store_done(st) != DB_OK)
		return store_fail(q->s, err, "listing the cases you hold");
	(void)rc;
	return DK_OK;
}

static int vq_list(void *ctx, const struct qlist_key *after, const char *filter,
		   size_t max, struct qlist_page *out, dk_error *err)
{
	struct view_queue *q = ctx;
	memset(out, 0, sizeof *out);
	if (max > QLIST_MAX)
		max = QLIST_MAX;
	int64_t rid = 0, mid = 0;
	if (queue_role(q->s, q->reviewer, NULL, &rid, err) != DK_OK)
		return DK_ERR;
	if (q->model[0]) {
		db_stmt *st = store_stmt(q->s, "SELECT id FROM models WHERE name = ?1",
					      err);
		if (!st)
			return DK_ERR;
		db_bind_text(st, 1, q->model, -1, DB_STATIC);
		int step = db_step(st);
		if (step == DB_ROW)
			mid = db_col_int64(st, 0);
		store_done(st);
		/* a failed lookup is an error, not "every model" */
		if (step != DB_ROW && step != DB_DONE)
			return store_fail(q->s, err, "reading the model");
	}
	int64_t cool; /* the skip cool-down, as queue_claim reads it */
	if (queue_cooldown_ms(q->s, &cool, err))
		return DK_ERR;
	int64_t since = clock_now_ms() - cool;
	int ctxcol = qlist_filter_needs_context(filter);
	size_t budget = QLIST_BUDGET;
	if (!after && vq_list_mine(q, rid, mid, filter, ctxcol, max, out, err))
		return DK_ERR;
	if (out->n >= max)
		return DK_OK;
	const struct vq_walk wk = {rid, since, ctxcol};
	return vq_list_walk(q, &wk, mid, after, filter, max, &budget, out, err);
}

static int vq_counts(void *ctx, struct review_counts *out, dk_error *err)
{
	struct view_queue *q = ctx;
	queue_counts qc;
	const char *model = q->model[0] ? q->model : NULL;
	int rc = queue_counts_get(q->s, q->reviewer, model, &qc, err);
	if (rc != DK_OK)
		return rc;
	memset(out, 0, sizeof *out);
	out->queued = qc.queued;
	out->held_by_me = qc.held_by_me;
	out->done_today = qc.done_today;
	out->escalated = qc.escalated;
	out->disputed = qc.disputed;
	/* qc.held counts leases that expired but were not reclaimed yet */
	out->held_by_others = qc.held - qc.held_by_me;
	if (out->held_by_others < 0)
		out->held_by_others = 0;
	return DK_OK;
}

void view_queue_source(struct view_queue *q, review_source *src)
{
	*src = (review_source){
		.ctx = q,
		.claim = vq_claim,
		.decide = vq_decide,
		.amend = vq_amend,
		.undo = vq_undo,
		.reveal = vq_reveal,
		.renew = vq_renew,
		.release = vq_release,
		.recent = vq_recent,
		.load = vq_load,
		.counts = vq_counts,
		.claim_case = vq_claim_case,
		.list = vq_list,
	};
}

int view_queue_reasons(store *s, const config *cfg, char ***codes_out,
		       char ***texts, char **dropped, dk_error *err)
{
	char **known;
	*codes_out = *texts = NULL;
	*dropped = NULL;
	if (queue_reasons(s, &known, err))
		return DK_ERR;
	size_t nknown = 0;
	while (known[nknown])
		nknown++;
	size_t n = cfg->reasons_from_file ? cfg->nreasons : nknown;
	char **codes = dk_xmalloc(sizeof *codes * (n + 1));
	char **descr = dk_xmalloc(sizeof *descr * (n + 1));
	size_t k = 0;
	sbuf bad = {0};
	if (cfg->reasons_from_file) {
		for (size_t i = 0; i < cfg->nreasons; i++) {
			int ok = 0;
			for (size_t j = 0; j < nknown; j++)
				ok |= !strcmp(known[j], cfg->reasons[i].code);
			if (!ok) {
				sbuf_printf(&bad, "%s%s", bad.len ? ", " : "",
					    cfg->reasons[i].code);
				continue;
			}
			codes[k] = dk_xstrdup(cfg->reasons[i].code);
			descr[k++] = dk_xstrdup(cfg->reasons[i].text);
		}
	} else {
		for (size_t j = 0; j < nknown; j++) {
			const char *text = "";
			for (size_t i = 0; i < cfg->nreasons; i++)
				if (!strcmp(cfg->reasons[i].code, known[j]))
					text = cfg->reasons[i].text;
			codes[k] = dk_xstrdup(known[j]);
			descr[k++] = dk_xstrdup(text);
		}
	}
	codes[k] = descr[k] = NULL;
	if (bad.len)
		*dropped = dk_xstrdup(sbuf_str(&bad));
	sbuf_free(&bad);
	queue_reasons_free(known);
	*texts = descr;
	*codes_out = codes;
	return DK_OK;
}
