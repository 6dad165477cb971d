/* queue.c: reviewers and roles, claims under leases with fencing tokens,
 * decisions with their audit entries, undo, release, and the replay of a
 * case's log that gives its state (used by decide, undo and verify). */
#include "docket/queue.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "docket/audit.h"
#include "docket/casefeat.h"
#include "docket/casejson.h"
#include "docket/clock.h"

static const char *const queue_default_reasons[] = {
	"ambiguous",     "missing-context", "bad-input",     "out-of-scope",
	"policy-question", "label-set-gap", "needs-expert",  "conflict-of-interest",
	"other",         NULL,
};

static char *col_dup(db_stmt *st, int i)
{
	return db_col_type(st, i) == DB_NULL
		       ? NULL
		       : dk_xstrdup((const char *)db_col_text(st, i));
}

static void bind_opt(db_stmt *st, int i, const char *v)
{
	if (v)
		db_bind_text(st, i, v, -1, DB_STATIC);
	else
		db_bind_null(st, i);
}

/* Run a statement that returns no rows; DK_OK or a store error. */
static int queue_step_done(store *s, db_stmt *st, const char *what,
			   dk_error *err)
{
	int rc = db_step(st);
	store_done(st);
	return rc == DB_DONE ? DK_OK : store_fail(s, err, what);
}

/* A store-level audit entry by `by` with detail (JSON), inside the
 * caller's write transaction: who may do what, and the settings decisions
 * are checked against, are replayed from the log by `docket verify`. */
static int queue_audit(store *s, const char *by, const char *action,
		       const sbuf *detail, dk_error *err)
{
	audit_entry e = {.reviewer = by, .action = action, .seconds = NAN,
			 .detail = detail->buf};
	return audit_append(s, &e, NULL, NULL, err);
}

/* {"name":N,"role":R[,"auto":true]} or with old/new for a role change. */
static void queue_role_detail(sbuf *d, const char *name, const char *k1,
			      const char *v1, const char *k2, const char *v2)
{
	sbuf_adds(d, "{\"name\":");
	sbuf_add_json_str(d, name, strlen(name));
	sbuf_printf(d, ",\"%s\":", k1);
	sbuf_add_json_str(d, v1, strlen(v1));
	if (k2) {
		sbuf_printf(d, ",\"%s\":", k2);
		sbuf_add_json_str(d, v2, strlen(v2));
	}
}

/* ---- reviewers and roles ------------------------------------------- */

int queue_role(store *s, const char *name, const char **role_out,
	       int64_t *id_out, dk_error *err)
{
	db_stmt *st =
		store_stmt(s, "SELECT id, role FROM reviewers WHERE name = ?1", err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, name, -1, DB_STATIC);
	int step = db_step(st), rc = DK_EMPTY;
	if (step == DB_ROW) {
		if (id_out)
			*id_out = db_col_int64(st, 0);
		if (role_out)
			*role_out = strcmp((const char *)db_col_text(st, 1),
					   ROLE_SUPERVISOR)
					    ? ROLE_REVIEWER
					    : ROLE_SUPERVISOR;
		rc = DK_OK;
	} else if (step != DB_DONE) {
		rc = store_fail(s, err, "reading reviewers");
	}
	store_done(st);
	return rc;
}

static int queue_auto_add_on(store *s, int *on, dk_error *err)
{
	char *v;
	if (store_meta_get(s, QUEUE_META_AUTO_ADD, &v, err))
		return DK_ERR;
	*on = v && !strcmp(v, "on");
	free(v);
	return DK_OK;
}

static int queue_insert_reviewer(store *s, const char *name, const char *role,
				 const char *by, dk_error *err)
{
	/* The entry first: audit_append refuses outside a write transaction
	 * before anything is written, so a reviewer is never added without
	 * it. An auto-add is entered by the name itself (auto: true). */
	int is_auto = !strcmp(by, "auto");
	sbuf d = {0};
	queue_role_detail(&d, name, "role", role, NULL, NULL);
	sbuf_adds(&d, is_auto ? ",\"auto\":true}" : "}");
	int rc = queue_audit(s, is_auto ? name : by, ACTION_REVIEWER_ADD, &d, err);
	sbuf_free(&d);
	if (rc)
		return rc;
	db_stmt *st = store_stmt(
		s,
		"INSERT INTO reviewers(name, role, added_at, added_by)"
		" VALUES (?1, ?2, ?3, ?4)",
		err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, name, -1, DB_STATIC);
	db_bind_text(st, 2, role, -1, DB_STATIC);
	db_bind_int64(st, 3, clock_now_ms());
	db_bind_text(st, 4, by, -1, DB_STATIC);
	return queue_step_done(s, st, "adding a reviewer", err);
}

int queue_reviewer_id(store *s, const char *name, int64_t *id_out, dk_error *err)
{
	int rc = queue_role(s, name, NULL, id_out, err);
	if (rc != DK_EMPTY)
		return rc;
	int on;
	if (queue_auto_add_on(s, &on, err))
		return DK_ERR;
	if (!on)
		return dk_fail(err,
			       "%s: unknown reviewer '%s': a supervisor adds them "
			       "with 'docket reviewer add %s %s' (or lets anyone in "
			       "with 'docket reviewer auto-add %s on')",
			       store_path(s), name, store_path(s), name, store_path(s));
	if (queue_insert_reviewer(s, name, ROLE_REVIEWER, "auto", err))
		return DK_ERR;
	*id_out = store_last_id(s);
	return DK_OK;
}

/* DK_OK when by is a supervisor; otherwise a message saying what needs one. */
static int queue_need_supervisor(store *s, const char *by, const char *what,
				 dk_error *err)
{
	const char *role = NULL;
	int rc = queue_role(s, by, &role, NULL, err);
	if (rc == DK_ERR)
		return DK_ERR;
	if (rc == DK_EMPTY)
		return dk_fail(err, "%s: %s needs a supervisor; '%s' is not a "
				    "reviewer of this store",
			       store_path(s), what, by);
	if (strcmp(role, ROLE_SUPERVISOR))
		return dk_fail(err, "%s: %s needs a supervisor; '%s' is a reviewer",
			       store_path(s), what, by);
	return DK_OK;
}

/* On PostgreSQL a reviewer is an existing login role granted docket's
 * group role for role (pg_roles.c), in the transaction that records it;
 * the database says what its administrator must run when there is no
 * such role. */
static int queue_grant(store *s, const char *name, const char *role,
		       dk_error *err)
{
	if (store_engine(s) != STORE_POSTGRES)
		return DK_OK;
	db_stmt *st = store_stmt(s, "SELECT docket.grant_role(?1, ?2)", err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, name, -1, DB_STATIC);
	db_bind_text(st, 2, role, -1, DB_STATIC);
	int rc = db_step(st);
	store_done(st);
	return rc == DB_ROW ? DK_OK : store_fail(s, err, "granting the role");
}

static int queue_valid_role(const char *role, dk_error *err)
{
	if (strcmp(role, ROLE_REVIEWER) && strcmp(role, ROLE_SUPERVISOR)) {
		dk_fail(err, "role must be 'reviewer' or 'supervisor', not '%s'", role);
		return DK_USAGE;
	}
	return DK_OK;
}

int queue_reviewer_add(store *s, const char *name, const char *role,
		       const char *by, dk_error *err)
{
	int rc = queue_valid_role(role, err);
	if (rc)
		return rc;
	if (!name[0]) {
		dk_fail(err, "a reviewer's name cannot be empty");
		return DK_USAGE;
	}
	if (store_begin_write(s, err))
		return DK_ERR;
	if ((rc = queue_need_supervisor(s, by, "adding a reviewer", err)))
		goto out;
	rc = queue_role(s, name, NULL, NULL, err);
	if (rc == DK_OK) {
		rc = dk_fail(err, "%s: '%s' is already a reviewer (change a role "
				  "with 'docket reviewer role %s %s ROLE')",
			     store_path(s), name, store_path(s), name);
		goto out;
	}
	if (rc == DK_ERR)
		goto out;
	if ((rc = queue_insert_reviewer(s, name, role, by, err)) ||
	    (rc = queue_grant(s, name, role, err)))
		goto out;
	rc = store_commit(s, err);
out:
	store_rollback(s);
	return rc;
}

int queue_reviewer_set_role(store *s, const char *name, const char *role,
			    const char *by, dk_error *err)
{
	int rc = queue_valid_role(role, err);
	if (rc)
		return rc;
	if (store_begin_write(s, err))
		return DK_ERR;
	const char *cur = NULL;
	if ((rc = queue_need_supervisor(s, by, "changing a role", err)))
		goto out;
	rc = queue_role(s, name, &cur, NULL, err);
	if (rc == DK_EMPTY) {
		rc = dk_fail(err, "%s: unknown reviewer '%s'", store_path(s), name);
		goto out;
	}
	if (rc)
		goto out;
	if (!strcmp(cur, ROLE_SUPERVISOR) && !strcmp(role, ROLE_REVIEWER)) {
		db_stmt *st = store_stmt(
			s, "SELECT count(*) FROM reviewers WHERE role = 'supervisor'",
			err);
		if (!st) {
			rc = DK_ERR;
			goto out;
		}
		int64_t n = db_step(st) == DB_ROW ? db_col_int64(st, 0) : 0;
		store_done(st);
		if (n <= 1) {
			rc = dk_fail(err, "%s: '%s' is the only supervisor; make "
					  "someone else a supervisor first",
				     store_path(s), name);
			goto out;
		}
	}
	db_stmt *st =
		store_stmt(s, "UPDATE reviewers SET role = ?2 WHERE name = ?1", err);
	if (!st) {
		rc = DK_ERR;
		goto out;
	}
	db_bind_text(st, 1, name, -1, DB_STATIC);
	db_bind_text(st, 2, role, -1, DB_STATIC);
	if ((rc = queue_step_done(s, st, "changing a role", err)) ||
	    (rc = queue_grant(s, name, role, err)))
		goto out;
	sbuf d = {0};
	queue_role_detail(&d, name, "old", cur, "new", role);
	sbuf_addc(&d, '}');
	rc = queue_audit(s, by, ACTION_ROLE, &d, err);
	sbuf_free(&d);
	if (!rc)
		rc = store_commit(s, err);
out:
	store_rollback(s);
	return rc;
}

int queue_set_auto_add(store *s, int on, const char *by, dk_error *err)
{
	if (store_begin_write(s, err))
		return DK_ERR;
	int rc = queue_need_supervisor(s, by, "changing auto-add", err);
	if (!rc)
		rc = store_meta_set(s, QUEUE_META_AUTO_ADD, on ? "on" : "off", err);
	sbuf d = {0};
	sbuf_adds(&d, on ? "{\"on\":true}" : "{\"on\":false}");
	if (!rc)
		rc = queue_audit(s, by, ACTION_AUTO_ADD, &d, err);
	sbuf_free(&d);
	if (!rc)
		rc = store_commit(s, err);
	store_rollback(s);
	return rc;
}

/* ---- reason codes ---------------------------------------------------- */

int queue_reasons(store *s, char ***out, dk_error *err)
{
	size_t n = 0, cap = 16;
	*out = NULL;
	char *json;
	if (store_meta_get(s, QUEUE_META_REASONS, &json, err))
		return DK_ERR;
	char **r = dk_xmalloc(sizeof *r * cap);
	if (json) {
		db_stmt *st = store_stmt(
			s,
			"SELECT value FROM json_each(?1) WHERE type = 'text'"
			" AND json_type(?1) = 'array'",
			err);
		int rc = st ? DB_ROW : DB_ERROR;
		if (st) {
			db_bind_text(st, 1, json, -1, DB_STATIC);
			while ((rc = db_step(st)) == DB_ROW) {
				if (n + 1 >= cap)
					r = dk_xrealloc(r, sizeof *r * (cap *= 2));
				r[n++] = dk_xstrdup(
					(const char *)db_col_text(st, 0));
			}
			store_done(st);
		}
		free(json);
		if (rc != DB_DONE) {
			r[n] = NULL;
			queue_reasons_free(r);
			return st ? store_fail(s, err, "reading the reason codes")
				  : DK_ERR;
		}
	}
	if (n == 0)
		for (; queue_default_reasons[n]; n++) {
			if (n + 1 >= cap)
				r = dk_xrealloc(r, sizeof *r * (cap *= 2));
			r[n] = dk_xstrdup(queue_default_reasons[n]);
		}
	r[n] = NULL;
	*out = r;
	return DK_OK;
}

const char *const *queue_reason_defaults(void)
{
	return queue_default_reasons;
}

void queue_reasons_free(char **r)
{
	if (!r)
		return;
	for (char **p = r; *p; p++)
		free(*p);
	free(r);
}

int queue_set_reasons(store *s, const char *const *codes, size_t n,
		      const char *by, dk_error *err)
{
	if (n == 0) {
		dk_fail(err, "give at least one reason code");
		return DK_USAGE;
	}
	sbuf b = {0};
	sbuf_addc(&b, '[');
	for (size_t i = 0; i < n; i++) {
		if (!codes[i][0] || strpbrk(codes[i], " \t\n,")) {
			dk_fail(err, "reason code '%s': use a short word without "
				     "spaces or commas", codes[i]);
			sbuf_free(&b);
			return DK_USAGE;
		}
		if (i)
			sbuf_addc(&b, ',');
		sbuf_add_json_str(&b, codes[i], strlen(codes[i]));
	}
	sbuf_addc(&b, ']');
	int rc = store_begin_write(s, err);
	if (!rc)
		rc = queue_need_supervisor(s, by, "changing reason codes", err);
	if (!rc)
		rc = store_meta_set(s, QUEUE_META_REASONS, sbuf_str(&b), err);
	if (!rc) {
		sbuf d = {0};
		sbuf_printf(&d, "{\"codes\":%s}", sbuf_str(&b));
		rc = queue_audit(s, by, ACTION_REASONS, &d, err);
		sbuf_free(&d);
	}
	if (!rc)
		rc = store_commit(s, err);
	store_rollback(s);
	sbuf_free(&b);
	return rc;
}

/* DK_OK when reason is one of the configured codes. */
static int queue_check_reason(store *s, const char *reason, dk_error *err)
{
	char **r;
	if (queue_reasons(s, &r, err))
		return DK_ERR;
	int ok = 0;
	for (char **p = r; *p && !ok; p++)
		ok = !strcmp(*p, reason);
	if (!ok) {
		sbuf b = {0};
		for (char **p = r; *p; p++)
			sbuf_printf(&b, "%s%s", p == r ? "" : ", ", *p);
		dk_fail(err, "unknown reason code '%s'; the codes are: %s", reason,
			sbuf_str(&b));
		sbuf_free(&b);
	}
	queue_reasons_free(r);
	return ok ? DK_OK : DK_USAGE;
}

/* ---- cases ------------------------------------------------------------ */

void queue_case_free(queue_case *c)
{
	if (!c)
		return;
	free(c->ext_id);
	free(c->model);
	free(c->model_version);
	free(c->labels_json);
	free(c->prediction);
	free(c->probs_json);
	free(c->context_json);
	free(c->attributions_json);
	free(c->text);
	free(c->route_reason);
	free(c->source_file);
	free(c->state);
	memset(c, 0, sizeof *c);
}

/* The columns of a case that queue_case_load reads (q_case_row), its state
 * given as STATE (a PostgreSQL claim reads its case in the statement that
 * claims it, where the row read is the one before the claim: 'held').
 * The route reason as reviewers are shown it (store.h): on PostgreSQL a
 * reviewer may not read which cases are gold checks. */
#define Q_CASE_COLS_R(STATE, REASON) \
	"c.id, c.ext_id, c.model_id, m.name, b.model_version," \
	" m.labels, c.prediction, c.confidence, c.margin, c.entropy," \
	" c.probs, c.context, c.attributions, c.text, " REASON "," \
	" c.policy_version, c.priority, b.source_file, b.imported_at," \
	" " STATE ", b.prob_keys, b.ctx_keys, b.attr_keys"
#define Q_CASE_COLS(STATE) Q_CASE_COLS_R(STATE, STORE_REASON_SHOWN("c"))

/* The case of Q_CASE_COLS read from st's row, from column at on, into out.
 * DK_OK, or DK_ERR with out freed. */
static int q_case_row(store *s, db_stmt *st, int at, queue_case *out,
		      dk_error *err)
{
	int bad = DK_OK;
	out->case_id = db_col_int64(st, at + 0);
	out->ext_id = col_dup(st, at + 1);
	out->model_id = db_col_int64(st, at + 2);
	out->model = col_dup(st, at + 3);
	out->model_version = col_dup(st, at + 4);
	out->labels_json = col_dup(st, at + 5);
	out->prediction = col_dup(st, at + 6);
	out->confidence = db_col_double(st, at + 7);
	out->margin = db_col_type(st, at + 8) == DB_NULL
			      ? NAN
			      : db_col_double(st, at + 8);
	out->entropy = db_col_type(st, at + 9) == DB_NULL
			       ? NAN
			       : db_col_double(st, at + 9);
	/* values stored in their batch's key order: the objects */
	static const char *const what[3] = {"probabilities", "context",
					    "attributions"};
	char **dst[3] = {&out->probs_json, &out->context_json,
			 &out->attributions_json};
	casejson_keys keys = {0};
	sbuf obj = {0};
	for (int i = 0; i < 3 && bad == DK_OK; i++) {
		const char *v = (const char *)db_col_text(st, at + 10 + i);
		const char *k = (const char *)db_col_text(st, at + 20 + i);
		size_t vn = v ? (size_t)db_col_bytes(st, at + 10 + i) : 0;
		if (casejson_keys_set(&keys, k,
				      k ? (size_t)db_col_bytes(st, at + 20 + i) : 0))
			bad = dk_fail(err, "%s: the batch of case %s: malformed "
					   "key list", store_path(s), out->ext_id);
		else if (casejson_expand(&keys, v, vn, &obj, out->ext_id, what[i],
					 err) == DK_ERR)
			bad = DK_ERR;
		/* not stored since schema 8: from the probabilities */
		else if (i == 0 && db_col_type(st, at + 8) == DB_NULL &&
			 db_col_type(st, at + 9) == DB_NULL &&
			 casefeat_get(&keys, v, vn, &out->margin,
				      &out->entropy) < 0)
			bad = dk_fail(err, "case %s: malformed probabilities "
					   "JSON in the store", out->ext_id);
		else if (v)
			*dst[i] = dk_xstrdup(sbuf_str(&obj));
	}
	casejson_keys_free(&keys);
	sbuf_free(&obj);
	out->text = col_dup(st, at + 13);
	out->route_reason = col_dup(st, at + 14);
	out->policy_version = db_col_int64(st, at + 15);
	out->priority = db_col_int64(st, at + 16);
	out->source_file = col_dup(st, at + 17);
	out->imported_at = db_col_int64(st, at + 18);
	out->state = col_dup(st, at + 19);
	if (!out->model_version)
		out->model_version = dk_xstrdup("");
	if (bad)
		queue_case_free(out);
	return bad;
}

#define Q_CASE_LOAD(REASON) \
	"SELECT " Q_CASE_COLS_R("c.state", REASON) \
	" FROM cases c JOIN models m ON m.id = c.model_id" \
	" JOIN batches b ON b.id = c.batch_id WHERE c.id = ?1"

/* queue_case_load and queue_case_load_stored: the reason as shown, or as
 * stored. */
static int q_case_load(store *s, int64_t case_id, int stored, queue_case *out,
		       dk_error *err)
{
	memset(out, 0, sizeof *out);
	db_stmt *st = store_stmt(s,
				 stored ? Q_CASE_LOAD("c.route_reason")
					: Q_CASE_LOAD(STORE_REASON_SHOWN("c")),
				 err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, case_id);
	int step = db_step(st), bad = DK_OK;
	if (step == DB_ROW)
		bad = q_case_row(s, st, 0, out, err);
	store_done(st);
	if (step == DB_ROW)
		return bad;
	if (step == DB_DONE)
		return dk_fail(err, "%s: no case with id %" PRId64, store_path(s),
			       case_id);
	return store_fail(s, err, "reading a case");
}

int queue_case_load(store *s, int64_t case_id, queue_case *out, dk_error *err)
{
	return q_case_load(s, case_id, 0, out, err);
}

int queue_case_load_stored(store *s, int64_t case_id, queue_case *out,
			   dk_error *err)
{
	return q_case_load(s, case_id, 1, out, err);
}

int queue_find(store *s, const char *ext_id, const char *model, int64_t *case_id,
	       dk_error *err)
{
	return queue_find_for(s, ext_id, model, NULL, case_id, err);
}

int queue_find_for(store *s, const char *ext_id, const char *model,
		   const char *holder, int64_t *case_id, dk_error *err)
{
	/* Few models: one seek of cases(model_id, ext_id) per model, and of
	 * leases by case id for who holds each. */
	db_stmt *st = store_stmt(
		s,
		"SELECT c.id, m.name, (SELECT r.name FROM leases l"
		"  JOIN reviewers r ON r.id = l.reviewer_id"
		"  WHERE l.case_id = c.id AND l.expires_at > ?3)"
		" FROM models m"
		" JOIN cases c ON c.model_id = m.id AND c.ext_id = ?1"
		" WHERE ?2 IS NULL OR m.name = ?2 ORDER BY m.name",
		err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, ext_id, -1, DB_STATIC);
	bind_opt(st, 2, model);
	db_bind_int64(st, 3, clock_now_ms());
	int n = 0, held = 0, step;
	int64_t held_id = 0;
	sbuf names = {0};
	while ((step = db_step(st)) == DB_ROW) {
		if (n++ == 0)
			*case_id = db_col_int64(st, 0);
		const char *by = (const char *)db_col_text(st, 2);
		if (holder && by && !strcmp(by, holder)) {
			held++;
			held_id = db_col_int64(st, 0);
		}
		sbuf_printf(&names, "%s%s", n > 1 ? ", " : "",
			    (const char *)db_col_text(st, 1));
	}
	store_done(st);
	int rc = DK_OK;
	if (step != DB_DONE)
		rc = store_fail(s, err, "finding a case");
	else if (n == 0 && model)
		rc = (dk_fail(err, "%s: no case '%s' in model '%s'", store_path(s),
			      ext_id, model), DK_EMPTY);
	else if (n == 0)
		rc = (dk_fail(err, "%s: no case '%s'", store_path(s), ext_id), DK_EMPTY);
	else if (n > 1 && held == 1)
		*case_id = held_id; /* the one the caller is working on */
	else if (n > 1)
		rc = dk_fail(err, "%s: case '%s' exists in models %s%s: pick one "
				  "with --model",
			     store_path(s), ext_id, sbuf_str(&names),
			     holder && held > 1 ? ", and you hold it in several" : "");
	sbuf_free(&names);
	return rc;
}

/* ---- replaying a case's log ------------------------------------------ */

struct q_entry {
	int64_t seq, at, ref_seq;
	char *reviewer;
	char action[16];
	char *label;
	int cancelled;   /* not in force: undone, or replaced by an amend */
};

struct q_log {
	struct q_entry *e;
	size_t n, cap;
};

static void q_log_clear(struct q_log *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->e[i].reviewer);
		free(l->e[i].label);
	}
	l->n = 0;
}

static void q_log_free(struct q_log *l)
{
	q_log_clear(l);
	free(l->e);
	memset(l, 0, sizeof *l);
}

/* Append the row (seq, at, reviewer, action, label, ref_seq) to l. */
static void q_log_add(struct q_log *l, db_stmt *st, int col)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->e = dk_xrealloc(l->e, sizeof *l->e * l->cap);
	}
	struct q_entry *e = &l->e[l->n++];
	memset(e, 0, sizeof *e);
	e->seq = db_col_int64(st, col);
	e->at = db_col_int64(st, col + 1);
	e->reviewer = col_dup(st, col + 2);
	if (!e->reviewer)
		e->reviewer = dk_xstrdup("");
	const char *a = (const char *)db_col_text(st, col + 3);
	snprintf(e->action, sizeof e->action, "%s", a ? a : "");
	e->label = col_dup(st, col + 4);
	e->ref_seq = db_col_int64(st, col + 5);
}

static int q_is_decision(const char *a)
{
	return !strcmp(a, ACTION_ACCEPT) || !strcmp(a, ACTION_OVERRIDE) ||
	       !strcmp(a, ACTION_ESCALATE) || !strcmp(a, ACTION_SKIP) ||
	       !strcmp(a, ACTION_RESOLVE);
}

/* What a case's log says about it. state is CASE_QUEUED for "open" (the
 * log cannot tell queued from held: claims are not logged). */
enum q_st { Q_OPEN, Q_ESCALATED, Q_DISPUTED, Q_DONE };

static const char *q_st_name(enum q_st st)
{
	switch (st) {
	case Q_ESCALATED: return CASE_ESCALATED;
	case Q_DISPUTED: return CASE_DISPUTED;
	case Q_DONE: return CASE_DONE;
	default: return CASE_QUEUED;
	}
}

struct q_state {
	enum q_st st;
	const char *final_label; /* points into the log */
	int64_t final_seq, decided_at;
	int64_t bad_seq;         /* an entry that does not fit; 0 when none */
	char problem[200];
};

/* Replay l (one case's entries in seq order) for a case that needs
 * reviews_needed agreeing reviews. First, in seq order, which decisions are
 * in force: an undo takes its ref_seq out of force; a decision with a
 * ref_seq is an amend and replaces its ref_seq (undoing the amend later
 * takes the amend out too: nothing comes back). Both must name a decision
 * of the same reviewer on this case in force at that point. Then the
 * decisions in force are evaluated in seq order (an amend where it stands
 * in the log). reveal/export entries are ignored. */
static void q_replay(struct q_log *l, int reviews_needed, struct q_state *q)
{
	memset(q, 0, sizeof *q);
	q->st = Q_OPEN;
	for (size_t i = 0; i < l->n; i++)
		l->e[i].cancelled = 0;
	for (size_t i = 0; i < l->n; i++) {
		struct q_entry *e = &l->e[i];
		int is_undo = !strcmp(e->action, ACTION_UNDO);
		if (!is_undo && !(q_is_decision(e->action) && e->ref_seq))
			continue;
		size_t k = i;
		for (size_t j = 0; j < i; j++)
			if (l->e[j].seq == e->ref_seq && q_is_decision(l->e[j].action) &&
			    !l->e[j].cancelled && !strcmp(l->e[j].reviewer, e->reviewer))
				k = j;
		if (k == i) {
			if (!q->bad_seq) {
				q->bad_seq = e->seq;
				snprintf(q->problem, sizeof q->problem,
					 "%s of entry %" PRId64 " which is not a "
					 "decision of %s on this case in force",
					 is_undo ? "undo" : "amend", e->ref_seq,
					 e->reviewer);
			}
			if (!is_undo)
				e->cancelled = 1; /* a stray amend counts for nothing */
			continue;
		}
		l->e[k].cancelled = 1;
	}
	const char *votes[2] = {NULL, NULL};
	const char *voters[2] = {NULL, NULL};
	int nvotes = 0;
	if (reviews_needed < 1)
		reviews_needed = 1;
	if (reviews_needed > 2)
		reviews_needed = 2;
	for (size_t i = 0; i < l->n; i++) {
		struct q_entry *e = &l->e[i];
		if (e->cancelled || !q_is_decision(e->action))
			continue;
		int is_resolve = !strcmp(e->action, ACTION_RESOLVE);
		int open = q->st == Q_OPEN;
		int waiting = q->st == Q_ESCALATED || q->st == Q_DISPUTED;
		if ((is_resolve && !waiting) || (!is_resolve && !open)) {
			if (!q->bad_seq) {
				q->bad_seq = e->seq;
				snprintf(q->problem, sizeof q->problem,
					 "%s on a case that was %s", e->action,
					 open ? "open" : q_st_name(q->st));
			}
			continue;
		}
		if (!strcmp(e->action, ACTION_ACCEPT) ||
		    !strcmp(e->action, ACTION_OVERRIDE)) {
			for (int k = 0; k < nvotes; k++)
				if (!strcmp(voters[k], e->reviewer) && !q->bad_seq) {
					q->bad_seq = e->seq;
					snprintf(q->problem, sizeof q->problem,
						 "a second review by the same "
						 "reviewer %s", e->reviewer);
				}
			if (nvotes < 2) {
				voters[nvotes] = e->reviewer;
				votes[nvotes++] = e->label ? e->label : "";
			}
			if (nvotes >= reviews_needed) {
				if (nvotes == 2 && strcmp(votes[0], votes[1])) {
					q->st = Q_DISPUTED;
				} else {
					q->st = Q_DONE;
					q->final_label = e->label;
					q->final_seq = e->seq;
					q->decided_at = e->at;
				}
			}
		} else if (!strcmp(e->action, ACTION_ESCALATE)) {
			q->st = Q_ESCALATED;
		} else if (is_resolve) {
			q->st = Q_DONE;
			q->final_label = e->label;
			q->final_seq = e->seq;
			q->decided_at = e->at;
		}
		/* skip: no change */
	}
}

/* Load case_id's log into l (decisions_case index). */
static int q_log_load(store *s, int64_t case_id, struct q_log *l, dk_error *err)
{
	q_log_clear(l);
	db_stmt *st = store_stmt(
		s,
		"SELECT seq, at, reviewer, action, label, ref_seq FROM decisions"
		" WHERE case_id = ?1 ORDER BY seq",
		err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, case_id);
	int step;
	while ((step = db_step(st)) == DB_ROW)
		q_log_add(l, st, 0);
	store_done(st);
	return step == DB_DONE ? DK_OK : store_fail(s, err, "reading a case's log");
}

int queue_final_at(store *s, int64_t case_id, int reviews_needed, int64_t seq,
		   char **label, int64_t *decided_at, dk_error *err)
{
	struct q_log l = {0};
	struct q_state q;
	*label = NULL;
	*decided_at = 0;
	int rc = q_log_load(s, case_id, &l, err);
	if (rc == DK_OK) {
		size_t n = 0; /* the entries up to seq (the log is in seq order) */
		while (n < l.n && l.e[n].seq <= seq)
			n++;
		size_t all = l.n;
		l.n = n;
		q_replay(&l, reviews_needed, &q);
		if (q.st == Q_DONE) {
			*label = dk_xstrdup(q.final_label ? q.final_label : "");
			*decided_at = q.decided_at;
		}
		l.n = all;
	}
	q_log_free(&l);
	return rc;
}

/* Make the cases row and the reviews rows of case_id agree with its log.
 * An open case gets open_state (queued, or held when the caller gives it a
 * lease). *state_out (may be NULL) gets the resulting state. */
static int q_apply(store *s, int64_t case_id, int reviews_needed,
		   const char *open_state, const char **state_out, dk_error *err)
{
	struct q_log l = {0};
	struct q_state q;
	int rc = q_log_load(s, case_id, &l, err);
	if (rc)
		goto out;
	q_replay(&l, reviews_needed, &q);
	const char *state = q.st == Q_OPEN ? open_state : q_st_name(q.st);
	db_stmt *st = store_stmt(
		s,
		"UPDATE cases SET state = ?2, final_label = ?3, final_seq = ?4,"
		" decided_at = ?5 WHERE id = ?1",
		err);
	if (!st) {
		rc = DK_ERR;
		goto out;
	}
	db_bind_int64(st, 1, case_id);
	db_bind_text(st, 2, state, -1, DB_STATIC);
	bind_opt(st, 3, q.final_label);
	if (q.final_seq) {
		db_bind_int64(st, 4, q.final_seq);
		db_bind_int64(st, 5, q.decided_at);
	}
	if ((rc = queue_step_done(s, st, "updating a case", err)))
		goto out;
	st = store_stmt(s, "DELETE FROM reviews WHERE case_id = ?1", err);
	if (!st) {
		rc = DK_ERR;
		goto out;
	}
	db_bind_int64(st, 1, case_id);
	if ((rc = queue_step_done(s, st, "updating reviews", err)))
		goto out;
	/* Each reviewer's latest decision in force; later rows replace
	 * earlier ones (the same reviewer skipped, then decided). */
	for (size_t i = 0; i < l.n; i++) {
		struct q_entry *e = &l.e[i];
		if (e->cancelled || !q_is_decision(e->action))
			continue;
		st = store_stmt(
			s,
			"INSERT INTO reviews(case_id, reviewer_id, seq, action, label, at)"
			" SELECT ?1, id, ?2, ?3, ?4, ?5 FROM reviewers WHERE name = ?6"
			" ON CONFLICT (case_id, reviewer_id) DO UPDATE SET"
			" seq = excluded.seq, action = excluded.action,"
			" label = excluded.label, at = excluded.at",
			err);
		if (!st) {
			rc = DK_ERR;
			goto out;
		}
		db_bind_int64(st, 1, case_id);
		db_bind_int64(st, 2, e->seq);
		db_bind_text(st, 3, e->action, -1, DB_STATIC);
		bind_opt(st, 4, e->label);
		db_bind_int64(st, 5, e->at);
		db_bind_text(st, 6, e->reviewer, -1, DB_STATIC);
		if ((rc = queue_step_done(s, st, "updating reviews", err)))
			goto out;
	}
	if (state_out)
		*state_out = state;
out:
	q_log_free(&l);
	return rc;
}

/* The statements on the claim path, kept here so queue_explain can show
 * their plans. The first queued case in order this reviewer may take: the
 * walk of the queue index and the reviews check are both seeks. The one
 * queue index is per model (cases_queue_model): over every model, each
 * model's first such case is found by a walk of its part of the index,
 * and the best of those (one row per model: models are few) is taken, so
 * the order is claim order over all models as with one index over all. */
#define Q_CLAIM_MAY_TAKE(c) \
	"  AND NOT EXISTS (SELECT 1 FROM reviews r" \
	"   WHERE r.case_id = " c ".id AND r.reviewer_id = ?1" \
	"   AND (r.action <> 'skip' OR r.at > ?2))"
static const char queue_sql_claim[] =
	"UPDATE cases SET state = 'held' WHERE id ="
	" (SELECT c.id FROM models m CROSS JOIN cases c ON c.id ="
	"  (SELECT q.id FROM cases q INDEXED BY cases_queue_model"
	"   WHERE q.model_id = m.id AND q.state = 'queued'"
	Q_CLAIM_MAY_TAKE("q")
	"   ORDER BY q.priority DESC, q.urgency, q.id LIMIT 1)"
	"  ORDER BY c.priority DESC, c.urgency, c.id LIMIT 1)"
	" RETURNING id";
static const char queue_sql_claim_model[] =
	"UPDATE cases SET state = 'held' WHERE id ="
	" (SELECT c.id FROM cases c INDEXED BY cases_queue_model"
	"  WHERE c.model_id = ?3 AND c.state = 'queued'"
	Q_CLAIM_MAY_TAKE("c")
	"  ORDER BY c.priority DESC, c.urgency, c.id LIMIT 1)"
	" RETURNING id";
/* PostgreSQL: the same walk of the same partial indexes, skipping a case
 * another claim has locked (it is theirs) instead of waiting for it, with
 * the reviewer's and model's lookups, the cool-down, the reclaim and the
 * lease, in one call (claim(), engine/pg_roles.c): with its BEGIN and
 * COMMIT one round trip. */
static const char queue_sql_claim_pg[] =
	"SELECT claim_reviewer, claim_model, claim_case, claim_token"
	" FROM claim(?1, ?2, ?3, ?4, ?5)";
/* Cases whose lease ran out go back to the queue (leases_expiry). */
static const char queue_sql_reclaim[] =
	"UPDATE cases SET state = 'queued' WHERE state = 'held' AND id IN"
	" (SELECT case_id FROM leases WHERE expires_at <= ?1)";
static const char queue_sql_reclaim_leases[] =
	"DELETE FROM leases WHERE expires_at <= ?1";

/* PostgreSQL: claims run beside other writers (engine pg.c), so the
 * leases are taken first: a lease two claimers both find expired goes
 * back once, by the one whose DELETE removed it, and a decision that
 * locked its lease (queue_check_lease) is never reclaimed under it. A
 * reviewer role may take away another's lease only once it has run out by
 * the server's clock (leases_guard, pg_roles.c), which may be behind
 * docket's: such a lease is left for later, not an error failing the
 * claim. One statement, reclaim() (pg_roles.c), which claim() calls too. */
static const char queue_sql_reclaim_pg[] = "SELECT reclaim(?1)";

int queue_explain(store *s, sbuf *out, dk_error *err)
{
	int pg = store_engine(s) == STORE_POSTGRES;
	const char *const sql[] = {pg ? queue_sql_reclaim_pg : queue_sql_reclaim,
				   pg ? queue_sql_claim_pg : queue_sql_reclaim_leases,
				   queue_sql_claim, queue_sql_claim_model};
	for (size_t i = 0; i < (pg ? 2 : sizeof sql / sizeof sql[0]); i++) {
		sbuf_printf(out, "-- %s\n", sql[i]);
		if (store_explain(s, sql[i], out, err))
			return DK_ERR;
	}
	return DK_OK;
}

/* The fields of a case that decide and undo need. */
struct q_case {
	char *ext_id, *prediction, *labels, *state;
	int reviews_needed;
};

static void q_case_free(struct q_case *c)
{
	free(c->ext_id);
	free(c->prediction);
	free(c->labels);
	free(c->state);
}

/* PostgreSQL: decide, undo, amend and renew change a case without the
 * store's writer lock between them (decisions: store_begin_write_rows), so
 * the case's lease and then the case itself are locked as they are read,
 * to the end of the transaction: whatever changes the case next reads it
 * after this one's commit. Lease first, as a claim's reclaim
 * (queue_sql_reclaim_pg) takes them, so the two never wait on each other
 * in a cycle; a claim's reclaim then cannot take the lease meanwhile. */
static const char q_case_sql[] =
	"SELECT c.ext_id, c.prediction, m.labels, c.state, c.reviews_needed"
	" FROM cases c JOIN models m ON m.id = c.model_id WHERE c.id = ?1";
static const char q_case_sql_pg[] =
	"SELECT c.ext_id, c.prediction, m.labels, c.state, c.reviews_needed"
	" FROM cases c JOIN models m ON m.id = c.model_id WHERE c.id = ?1"
	" FOR UPDATE OF c";

static int q_case_get(store *s, int64_t case_id, struct q_case *c, dk_error *err)
{
	memset(c, 0, sizeof *c);
	int pg = store_engine(s) == STORE_POSTGRES;
	if (pg) {
		db_stmt *lk = store_stmt(
			s, "SELECT 1 FROM leases WHERE case_id = ?1 FOR UPDATE", err);
		if (!lk)
			return DK_ERR;
		db_bind_int64(lk, 1, case_id);
		int step = db_step(lk);
		store_done(lk);
		if (step != DB_ROW && step != DB_DONE)
			return store_fail(s, err, "reading a lease");
	}
	db_stmt *st = store_stmt(s, pg ? q_case_sql_pg : q_case_sql, err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, case_id);
	int step = db_step(st);
	if (step == DB_ROW) {
		c->ext_id = col_dup(st, 0);
		c->prediction = col_dup(st, 1);
		c->labels = col_dup(st, 2);
		c->state = col_dup(st, 3);
		c->reviews_needed = db_col_int(st, 4);
	}
	store_done(st);
	if (step == DB_ROW)
		return DK_OK;
	if (step == DB_DONE)
		return dk_fail(err, "%s: no case with id %" PRId64, store_path(s),
			       case_id);
	return store_fail(s, err, "reading a case");
}

/* ---- leases ------------------------------------------------------------ */

/* The skip cool-down in ms: the store's setting, or the default. */
int queue_cooldown_ms(store *s, int64_t *ms, dk_error *err)
{
	char *v;
	if (store_meta_get(s, QUEUE_META_COOLDOWN, &v, err))
		return DK_ERR;
	int64_t secs;
	*ms = QUEUE_SKIP_COOLDOWN_MS;
	if (v && !dk_parse_int64(v, strlen(v), &secs) && secs >= 0)
		*ms = secs * 1000;
	free(v);
	return DK_OK;
}

/* Cases whose lease ran out go back to the queue (leases_expiry: a seek). */
static int queue_reclaim_expired(store *s, int64_t now, dk_error *err)
{
	if (store_engine(s) == STORE_POSTGRES) {
		db_stmt *st = store_stmt(s, queue_sql_reclaim_pg, err);
		if (!st)
			return DK_ERR;
		db_bind_int64(st, 1, now);
		int step = db_step(st);
		if (step == DB_ROW)
			step = db_step(st);
		store_done(st);
		return step == DB_DONE ? DK_OK
				       : store_fail(s, err, "reclaiming expired leases");
	}
	db_stmt *st = store_stmt(s, queue_sql_reclaim, err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, now);
	if (queue_step_done(s, st, "reclaiming expired leases", err))
		return DK_ERR;
	st = store_stmt(s, queue_sql_reclaim_leases, err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, now);
	return queue_step_done(s, st, "reclaiming expired leases", err);
}

/* Give case_id to reviewer_id under a new lease (token from a counter in
 * meta, or on PostgreSQL a sequence above it, so tokens only grow). */
static int queue_lease(store *s, int64_t case_id, int64_t reviewer_id,
		       int64_t now, int64_t *token, int64_t *expires, dk_error *err)
{
	*expires = now + QUEUE_LEASE_MS;
	/* PostgreSQL: the meta row is a base, a sequence the rest, so that
	 * claims do not wait for each other on one row (pg_schema.c); the
	 * token is drawn by the lease's insert. */
	if (store_engine(s) == STORE_POSTGRES) {
		db_stmt *pst = store_stmt(
			s,
			"INSERT INTO leases(case_id, reviewer_id, token, claimed_at,"
			" expires_at) VALUES (?1, ?2, nextval('lease_tokens') +"
			" coalesce((SELECT CAST(value AS BIGINT) FROM meta"
			" WHERE key = 'lease_token'), 0), ?3, ?4) RETURNING token",
			err);
		if (!pst)
			return DK_ERR;
		db_bind_int64(pst, 1, case_id);
		db_bind_int64(pst, 2, reviewer_id);
		db_bind_int64(pst, 3, now);
		db_bind_int64(pst, 4, *expires);
		int step = db_step(pst);
		*token = db_col_int64(pst, 0);
		if (step == DB_ROW)
			step = db_step(pst);
		store_done(pst);
		return step == DB_DONE ? DK_OK : store_fail(s, err, "taking a lease");
	}
	db_stmt *st = store_stmt(
		s,
		"INSERT INTO meta(key, value) VALUES ('lease_token', '1')"
		" ON CONFLICT (key) DO UPDATE SET value = CAST(meta.value AS BIGINT) + 1"
		" RETURNING CAST(value AS BIGINT)",
		err);
	if (!st)
		return DK_ERR;
	int step = db_step(st);
	*token = db_col_int64(st, 0);
	if (step == DB_ROW)
		step = db_step(st);
	store_done(st);
	if (step != DB_DONE)
		return store_fail(s, err, "issuing a lease token");
	st = store_stmt(s,
			"INSERT INTO leases(case_id, reviewer_id, token, claimed_at,"
			" expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
			err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, case_id);
	db_bind_int64(st, 2, reviewer_id);
	db_bind_int64(st, 3, *token);
	db_bind_int64(st, 4, now);
	db_bind_int64(st, 5, *expires);
	return queue_step_done(s, st, "taking a lease", err);
}

static int queue_model_id(store *s, const char *model, int64_t *id, dk_error *err)
{
	db_stmt *st = store_stmt(s, "SELECT id FROM models WHERE name = ?1", err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, model, -1, DB_STATIC);
	int step = db_step(st);
	if (step == DB_ROW)
		*id = db_col_int64(st, 0);
	store_done(st);
	if (step == DB_ROW)
		return DK_OK;
	if (step == DB_DONE)
		return dk_fail(err, "%s: no model named '%s'", store_path(s), model);
	return store_fail(s, err, "reading models");
}

/* Give back case_id claimed under token when its claim cannot be
 * completed (best effort: otherwise its lease expires). */
static void queue_release_case(store *s, int64_t case_id, int64_t token)
{
	if (store_begin_write_relaxed(s, NULL))
		return;
	if (store_engine(s) == STORE_POSTGRES) { /* leases first: see reclaim */
		db_stmt *pst = store_stmt(
			s,
			"WITH gone AS (DELETE FROM leases WHERE case_id = ?1 AND token = ?2"
			" RETURNING case_id) UPDATE cases SET state = 'queued'"
			" WHERE state = 'held' AND id IN (SELECT case_id FROM gone)",
			NULL);
		if (pst) {
			db_bind_int64(pst, 1, case_id);
			db_bind_int64(pst, 2, token);
			if (db_step(pst) == DB_DONE) {
				store_done(pst);
				store_commit(s, NULL);
			}
			store_done(pst);
		}
		store_rollback(s);
		return;
	}
	db_stmt *st = store_stmt(
		s,
		"UPDATE cases SET state = 'queued' WHERE id = ?1 AND state = 'held'"
		" AND EXISTS (SELECT 1 FROM leases WHERE case_id = ?1 AND token = ?2)",
		NULL);
	int ok = st != NULL;
	if (ok) {
		db_bind_int64(st, 1, case_id);
		db_bind_int64(st, 2, token);
		ok = db_step(st) == DB_DONE;
		store_done(st);
	}
	if (ok)
		st = store_stmt(s, "DELETE FROM leases WHERE case_id = ?1 AND token = ?2",
				NULL);
	if (ok && st) {
		db_bind_int64(st, 1, case_id);
		db_bind_int64(st, 2, token);
		ok = db_step(st) == DB_DONE;
		store_done(st);
	}
	if (ok && st)
		store_commit(s, NULL);
	store_rollback(s);
}

/* claim()'s arguments, as queue_sql_claim_pg and queue_sql_claim_read_pg
 * take them first */
static void q_bind_claim_pg(db_stmt *st, const char *reviewer,
			    const char *model, int64_t now, int64_t expires)
{
	db_bind_text(st, 1, reviewer, -1, DB_STATIC);
	bind_opt(st, 2, model);
	db_bind_int64(st, 3, now);
	db_bind_int64(st, 4, QUEUE_SKIP_COOLDOWN_MS);
	db_bind_int64(st, 5, expires);
}

/* claim()'s row: the reviewer's and model's ids (-1 when unknown: nothing
 * was done), the case claimed (0: none) and its lease token */
static void q_claim_cols_pg(db_stmt *st, int64_t *rid, int64_t *mid,
			    int64_t *case_id, int64_t *token)
{
	*rid = db_col_type(st, 0) == DB_NULL ? -1 : db_col_int64(st, 0);
	*mid = db_col_type(st, 1) == DB_NULL ? -1 : db_col_int64(st, 1);
	*case_id = db_col_int64(st, 2);
	*token = db_col_int64(st, 3);
}

/* PostgreSQL: the claim of reviewer (model: NULL for any) in one call,
 * claim() (engine/pg_roles.c), committed with it when commit is set
 * (store_step_commit: with its BEGIN, one round trip). *rid gets the
 * reviewer's id and *mid the model's (0: any), -1 when unknown (then
 * nothing was done); *case_id 0 when no case is available. Returns
 * DK_OK, or as store_step_commit with commit set. */
static int q_claim_pg(store *s, const char *reviewer, const char *model,
		      int64_t now, int commit, int64_t *rid, int64_t *mid,
		      int64_t *case_id, int64_t *token, int64_t *expires,
		      dk_error *err)
{
	*case_id = 0;
	*expires = now + QUEUE_LEASE_MS;
	db_stmt *st = store_stmt(s, queue_sql_claim_pg, err);
	if (!st)
		return DK_ERR;
	q_bind_claim_pg(st, reviewer, model, now, *expires);
	int step, rc = DK_OK;
	if (commit)
		rc = store_step_commit(st, &step, err);
	else
		step = db_step(st);
	if (step == DB_ROW) {
		q_claim_cols_pg(st, rid, mid, case_id, token);
		step = db_step(st);
	}
	store_done(st);
	if (!commit && step != DB_DONE)
		rc = store_fail(s, err, "claiming a case");
	return rc;
}

/* The steps of a claim, inside a write transaction the caller opened:
 * release expired leases, then take the first queued case in order that
 * reviewer rid (named reviewer) may have (never one they decided, nor one
 * they skipped within the cool-down), restricted to model mid (named
 * model) when not 0, mark it held and lease it. *case_id gets 0 when
 * nothing is available (still DK_OK: the reclaim stands). Used by
 * queue_claim and queue_decide_next. */
static int q_claim_in_tx(store *s, const char *reviewer, const char *model,
			 int64_t rid, int64_t mid, int64_t now, int64_t *case_id,
			 int64_t *token, int64_t *expires, dk_error *err)
{
	*case_id = 0;
	if (store_engine(s) == STORE_POSTGRES) /* rid and mid are known */
		return q_claim_pg(s, reviewer, model, now, 0, &rid, &mid, case_id,
				  token, expires, err);
	int64_t cool;
	if (queue_cooldown_ms(s, &cool, err) || queue_reclaim_expired(s, now, err))
		return DK_ERR;
	/* Both the walk of the queue index and the reviews check are seeks. */
	db_stmt *st = mid ? store_stmt(s, queue_sql_claim_model, err)
			  : store_stmt(s, queue_sql_claim, err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, rid);
	db_bind_int64(st, 2, now - cool);
	if (mid)
		db_bind_int64(st, 3, mid);
	int64_t id = 0;
	int step = db_step(st);
	if (step == DB_ROW) {
		id = db_col_int64(st, 0);
		step = db_step(st);
	}
	store_done(st);
	if (step != DB_DONE)
		return store_fail(s, err, "claiming a case");
	if (!id)
		return DK_OK;
	if (queue_lease(s, id, rid, now, token, expires, err))
		return DK_ERR;
	*case_id = id;
	return DK_OK;
}

/* After the claim of case_id under token has committed: read its data
 * outside the write lock (it never changes after import, and the case is
 * ours now) into out. On failure the case is given back. */
static int q_claim_load(store *s, int64_t case_id, int64_t token,
			int64_t expires, queue_case *out, dk_error *err)
{
	if (queue_case_load(s, case_id, out, err)) {
		queue_release_case(s, case_id, token);
		return DK_ERR;
	}
	out->lease_token = token;
	out->lease_expires = expires;
	return DK_OK;
}

/* PostgreSQL: queue_claim's claim (as q_claim_pg) and the read of the case
 * it takes in one statement, with its BEGIN and COMMIT one round trip. The
 * case's row read is the one the statement's snapshot holds, from before
 * the claim (its state given as held); a case that came in after that
 * snapshot (an import committed in between) is not in it: *loaded is 0 and
 * the caller reads it apart. Returns as store_step_commit; DK_ERR when the
 * row read does not decode (the case is given back). */
static const char queue_sql_claim_read_pg[] =
	"SELECT k.claim_reviewer, k.claim_model, k.claim_case, k.claim_token, "
	Q_CASE_COLS("'held'")
	" FROM claim(?1, ?2, ?3, ?4, ?5) k LEFT JOIN cases c ON c.id = k.claim_case"
	" LEFT JOIN models m ON m.id = c.model_id"
	" LEFT JOIN batches b ON b.id = c.batch_id";

static int q_claim_read_pg(store *s, const char *reviewer, const char *model,
			   int64_t now, int64_t *rid, int64_t *mid,
			   int64_t *case_id, int64_t *token, int64_t *expires,
			   queue_case *out, int *loaded, dk_error *err)
{
	*case_id = 0;
	*loaded = 0;
	*expires = now + QUEUE_LEASE_MS;
	db_stmt *st = store_stmt(s, queue_sql_claim_read_pg, err);
	if (!st)
		return DK_ERR;
	q_bind_claim_pg(st, reviewer, model, now, *expires);
	int step, bad = DK_OK;
	int rc = store_step_commit(st, &step, err);
	if (step == DB_ROW) {
		q_claim_cols_pg(st, rid, mid, case_id, token);
		if (!rc && *case_id && db_col_type(st, 4) != DB_NULL) {
			bad = q_case_row(s, st, 4, out, err);
			*loaded = bad == DK_OK;
		}
	}
	store_done(st);
	if (bad) {
		queue_release_case(s, *case_id, *token);
		return DK_ERR;
	}
	return rc;
}

static int q_claim_once(store *s, const char *reviewer, const char *model,
			queue_case *out, dk_error *err)
{
	memset(out, 0, sizeof *out);
	int64_t now = clock_now_ms(), rid = 0, mid = 0, case_id = 0;
	int64_t token = 0, expires = 0;
	int rc;
	/* Relaxed: a claim lost to a power failure only puts the case back in
	 * the queue (store.h). */
	if (store_engine(s) == STORE_POSTGRES) {
		/* one round trip; an unknown reviewer or model (which did
		 * nothing) goes the long way, which says why or adds them */
		if (store_begin_write_relaxed(s, err))
			return DK_ERR;
		int loaded;
		rc = q_claim_read_pg(s, reviewer, model, now, &rid, &mid, &case_id,
				     &token, &expires, out, &loaded, err);
		store_rollback(s);
		if (!rc && loaded) {
			out->lease_token = token;
			out->lease_expires = expires;
			return DK_OK;
		}
		if (!rc && rid >= 0 && mid >= 0) {
			rc = case_id ? q_claim_load(s, case_id, token, expires, out, err)
				     : DK_EMPTY;
			if (rc != DK_OK)
				queue_case_free(out);
			return rc;
		}
		if (rc)
			return rc;
		rid = mid = 0;
	}
	if (store_begin_write_relaxed(s, err))
		return DK_ERR;
	rc = queue_reviewer_id(s, reviewer, &rid, err);
	if (!rc && model)
		rc = queue_model_id(s, model, &mid, err);
	if (!rc)
		rc = q_claim_in_tx(s, reviewer, model, rid, mid, now, &case_id, &token,
				   &expires, err);
	if (!rc)
		rc = store_commit(s, err); /* with nothing claimed: the reclaim */
	if (!rc && !case_id)
		rc = DK_EMPTY;
	if (!rc)
		rc = q_claim_load(s, case_id, token, expires, out, err);
	store_rollback(s);
	if (rc != DK_OK)
		queue_case_free(out);
	return rc;
}

int queue_claim(store *s, const char *reviewer, const char *model,
		queue_case *out, dk_error *err)
{
	/* A claim, renewal, release, decision, undo or amend locks cases
	 * and leases that other sessions lock too: when the server picks
	 * one as a deadlock's victim, nothing of it was written, and it
	 * runs again (store_retry; tests/sh/retried_txns.py checks each
	 * of them) */
	int rc, tries = 0;
	do
		rc = q_claim_once(s, reviewer, model, out, err);
	while (rc == DK_ERR && store_retry(s, &tries));
	return rc;
}

/* The steps of claiming one named case, inside the caller's write
 * transaction, by queue_claim's rules: waiting in the queue, of model mid
 * when not 0, never one the reviewer decided, nor one they skipped within
 * the cool-down. A case the reviewer holds already keeps its lease. Every
 * read is a primary-key seek. DK_EMPTY: another reviewer holds it (err
 * names them). */
static int q_claim_case_in_tx(store *s, int64_t rid, int64_t mid,
			      int64_t case_id, int64_t now, int64_t *token,
			      int64_t *expires, dk_error *err)
{
	db_stmt *st = store_stmt(
		s,
		"SELECT c.ext_id, c.state, c.model_id, l.reviewer_id, r.name,"
		" l.token, l.expires_at, v.action, v.at"
		" FROM cases c LEFT JOIN leases l ON l.case_id = c.id"
		" LEFT JOIN reviewers r ON r.id = l.reviewer_id"
		" LEFT JOIN reviews v ON v.case_id = c.id AND v.reviewer_id = ?2"
		" WHERE c.id = ?1",
		err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, case_id);
	db_bind_int64(st, 2, rid);
	int step = db_step(st);
	if (step != DB_ROW) {
		store_done(st);
		if (step == DB_DONE)
			return dk_fail(err, "%s: no case with id %" PRId64,
				       store_path(s), case_id);
		return store_fail(s, err, "reading a case");
	}
	char *ext = col_dup(st, 0), *state = col_dup(st, 1), *holder = col_dup(st, 4);
	char *did = col_dup(st, 7);
	int64_t model = db_col_int64(st, 2);
	int64_t holder_id = db_col_int64(st, 3);
	int64_t at = db_col_int64(st, 8);
	*token = db_col_int64(st, 5);
	*expires = db_col_int64(st, 6);
	store_done(st);
	int64_t cool = 0;
	int rc = DK_OK;
	if (mid && model != mid)
		rc = dk_fail(err, "%s is not a case of this model", ext);
	else if (!strcmp(state, "held") && holder_id == rid)
		rc = DK_OK; /* ours already: keep the lease */
	else if (!strcmp(state, "held")) {
		dk_fail(err, "%s is held by %s", ext, holder ? holder : "someone");
		rc = DK_EMPTY;
	}
	else if (strcmp(state, "queued"))
		rc = dk_fail(err, "%s is not waiting for review (%s)", ext, state);
	else if (did && strcmp(did, ACTION_SKIP))
		rc = dk_fail(err, "%s: you decided it already", ext);
	else if (did && queue_cooldown_ms(s, &cool, err))
		rc = DK_ERR;
	else if (did && at > now - cool)
		rc = dk_fail(err, "%s: you skipped it; it comes back to you after the "
			     "cool-down", ext);
	if (rc == DK_OK && strcmp(state, "held")) {
		st = store_stmt(s,
				"UPDATE cases SET state = 'held' WHERE id = ?1"
				" AND state = 'queued'",
				err);
		if (!st)
			rc = DK_ERR;
		else {
			db_bind_int64(st, 1, case_id);
			rc = queue_step_done(s, st, "claiming a case", err);
		}
		/* PostgreSQL: another claim may have taken it since the read */
		if (!rc && store_changes(s) != 1) {
			dk_fail(err, "%s was just claimed by someone else", ext);
			rc = DK_EMPTY;
		}
		if (!rc)
			rc = queue_lease(s, case_id, rid, now, token, expires, err);
	}
	free(ext);
	free(state);
	free(holder);
	free(did);
	return rc;
}

static int q_claim_case_once(store *s, const char *reviewer, int64_t case_id,
			     const char *model, queue_case *out, dk_error *err)
{
	memset(out, 0, sizeof *out);
	int64_t now = clock_now_ms(), rid = 0, mid = 0, token = 0, expires = 0;
	if (store_begin_write_relaxed(s, err))
		return DK_ERR;
	int rc = queue_reviewer_id(s, reviewer, &rid, err);
	if (!rc && model)
		rc = queue_model_id(s, model, &mid, err);
	if (!rc)
		rc = queue_reclaim_expired(s, now, err);
	if (!rc)
		rc = q_claim_case_in_tx(s, rid, mid, case_id, now, &token, &expires,
					err);
	if (!rc)
		rc = store_commit(s, err);
	if (!rc)
		rc = q_claim_load(s, case_id, token, expires, out, err);
	store_rollback(s);
	if (rc != DK_OK)
		queue_case_free(out);
	return rc;
}

int queue_claim_case(store *s, const char *reviewer, int64_t case_id,
		     const char *model, queue_case *out, dk_error *err)
{
	int rc, tries = 0;
	do
		rc = q_claim_case_once(s, reviewer, case_id, model, out, err);
	while (rc == DK_ERR && store_retry(s, &tries));
	return rc;
}

/* Check that reviewer rid holds a live lease on case_id (under token when
 * token != 0). DK_OK, or DK_ERR with a message saying what happened. The
 * caller read the case with q_case_get, which on PostgreSQL locked its
 * lease to the end of the transaction. */
static int queue_check_lease(store *s, int64_t rid, const char *reviewer,
			     int64_t case_id, const char *ext_id, int64_t token,
			     int64_t now, dk_error *err)
{
	db_stmt *st = store_stmt(
		s,
		"SELECT l.reviewer_id, l.token, l.expires_at, r.name,"
		" (SELECT state FROM cases WHERE id = ?1)"
		" FROM (SELECT 1) AS one LEFT JOIN leases l ON l.case_id = ?1"
		" LEFT JOIN reviewers r ON r.id = l.reviewer_id",
		err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, case_id);
	if (db_step(st) != DB_ROW) {
		store_done(st);
		return store_fail(s, err, "reading a lease");
	}
	int has = db_col_type(st, 0) != DB_NULL;
	int64_t holder = db_col_int64(st, 0);
	int64_t cur = db_col_int64(st, 1);
	int64_t exp = db_col_int64(st, 2);
	char *name = col_dup(st, 3);
	char *state = col_dup(st, 4);
	store_done(st);
	char when[32];
	int rc = DK_OK;
	int64_t last = 0;
	char *last_by = NULL, *last_action = NULL;
	if (!has && state && strcmp(state, CASE_QUEUED)) {
		/* A retry of a decision that went through (its sync failed, say,
		 * or the answer was lost) is told so, not told to claim again. */
		db_stmt *d = store_stmt(
			s,
			"SELECT seq, reviewer, action, at FROM decisions"
			" WHERE case_id = ?1 ORDER BY seq DESC LIMIT 1",
			err);
		if (!d) {
			rc = DK_ERR;
		} else {
			db_bind_int64(d, 1, case_id);
			if (db_step(d) == DB_ROW) {
				last = db_col_int64(d, 0);
				last_by = col_dup(d, 1);
				last_action = col_dup(d, 2);
				clock_format_iso(db_col_int64(d, 3), when,
						 sizeof when);
			}
			if (store_done(d) != DB_OK)
				rc = store_fail(s, err,
						"reading the case's last decision");
		}
	}
	if (rc)
		; /* err says why the case could not be read */
	else if (!has && last)
		rc = dk_fail(err, "case '%s' is %s: its last decision, %s's %s, is "
				  "already recorded as entry %" PRId64 " (%s); "
				  "nothing recorded again ('docket log %s --case %s' "
				  "shows it)",
			     ext_id, state, last_by, last_action, last, when,
			     store_path(s), ext_id);
	else if (!has)
		rc = dk_fail(err, "case '%s' is not held by %s (it is %s): claim it "
				  "with 'docket next' first; a lease that expired "
				  "went back to the queue",
			     ext_id, reviewer, state ? state : "gone");
	else if (holder != rid)
		rc = dk_fail(err, "case '%s' is held by %s, not %s: nothing recorded",
			     ext_id, name ? name : "someone else", reviewer);
	else if (exp <= now)
		rc = dk_fail(err, "%s's lease on case '%s' expired at %s: nothing "
				  "recorded; claim it again with 'docket next'",
			     reviewer, ext_id, clock_format_iso(exp, when, sizeof when));
	else if (token && token != cur)
		rc = dk_fail(err, "lease token %" PRId64 " for case '%s' is stale "
				  "(the current lease is %" PRId64 "): this comes from "
				  "an earlier claim; nothing recorded",
			     token, ext_id, cur);
	free(last_by);
	free(last_action);
	free(name);
	free(state);
	return rc;
}

static int q_renew_once(store *s, const char *reviewer, int64_t case_id,
			int64_t token, int64_t *expires, dk_error *err)
{
	int64_t now = clock_now_ms(), rid;
	if (store_begin_write_relaxed(s, err))
		return DK_ERR;
	struct q_case c = {0};
	int rc = queue_role(s, reviewer, NULL, &rid, err);
	if (rc == DK_EMPTY)
		rc = dk_fail(err, "%s: unknown reviewer '%s'", store_path(s), reviewer);
	if (!rc)
		rc = q_case_get(s, case_id, &c, err);
	if (!rc)
		rc = queue_check_lease(s, rid, reviewer, case_id, c.ext_id, token,
				       now, err);
	q_case_free(&c);
	if (!rc) {
		db_stmt *st = store_stmt(
			s,
			"UPDATE leases SET expires_at = ?3 WHERE case_id = ?1"
			" AND reviewer_id = ?2",
			err);
		if (!st) {
			rc = DK_ERR;
		} else {
			db_bind_int64(st, 1, case_id);
			db_bind_int64(st, 2, rid);
			db_bind_int64(st, 3, now + QUEUE_LEASE_MS);
			rc = queue_step_done(s, st, "renewing a lease", err);
		}
	}
	if (!rc)
		rc = store_commit(s, err);
	store_rollback(s);
	if (!rc && expires)
		*expires = now + QUEUE_LEASE_MS;
	return rc;
}

int queue_renew(store *s, const char *reviewer, int64_t case_id, int64_t token,
		int64_t *expires, dk_error *err)
{
	int rc, tries = 0;
	do
		rc = q_renew_once(s, reviewer, case_id, token, expires, err);
	while (rc == DK_ERR && store_retry(s, &tries));
	return rc;
}

static int q_release_once(store *s, const char *reviewer, int64_t *n,
			  dk_error *err)
{
	int64_t rid, count = 0;
	if (store_begin_write_relaxed(s, err)) /* lost: leases expire */
		return DK_ERR;
	int rc = queue_role(s, reviewer, NULL, &rid, err);
	if (rc == DK_EMPTY) {
		rc = DK_OK; /* an unknown reviewer holds nothing */
		goto out;
	}
	if (rc)
		goto out;
	if (store_engine(s) == STORE_POSTGRES) { /* leases first: see reclaim */
		db_stmt *pst = store_stmt(
			s,
			"WITH gone AS (DELETE FROM leases WHERE reviewer_id = ?1"
			" RETURNING case_id) UPDATE cases SET state = 'queued'"
			" WHERE state = 'held' AND id IN (SELECT case_id FROM gone)",
			err);
		if (!pst) {
			rc = DK_ERR;
			goto out;
		}
		db_bind_int64(pst, 1, rid);
		if ((rc = queue_step_done(s, pst, "releasing cases", err)))
			goto out;
		count = store_changes(s);
		rc = store_commit(s, err);
		goto out;
	}
	db_stmt *st = store_stmt(
		s,
		"UPDATE cases SET state = 'queued' WHERE state = 'held' AND id IN"
		" (SELECT case_id FROM leases WHERE reviewer_id = ?1)",
		err);
	if (!st) {
		rc = DK_ERR;
		goto out;
	}
	db_bind_int64(st, 1, rid);
	if ((rc = queue_step_done(s, st, "releasing cases", err)))
		goto out;
	count = store_changes(s);
	st = store_stmt(s, "DELETE FROM leases WHERE reviewer_id = ?1", err);
	if (!st) {
		rc = DK_ERR;
		goto out;
	}
	db_bind_int64(st, 1, rid);
	if ((rc = queue_step_done(s, st, "releasing cases", err)))
		goto out;
	rc = store_commit(s, err);
out:
	store_rollback(s);
	if (n)
		*n = rc ? 0 : count;
	return rc;
}

int queue_release(store *s, const char *reviewer, int64_t *n, dk_error *err)
{
	int rc, tries = 0;
	do
		rc = q_release_once(s, reviewer, n, err);
	while (rc == DK_ERR && store_retry(s, &tries));
	return rc;
}

/* ---- decisions ----------------------------------------------------------- */

/* 1 when label is in the JSON array labels (an empty set accepts any), 0
 * when not, -1 when the store could not tell (err says why: a lost
 * connection is not a label unknown). */
static int queue_label_known(store *s, const char *labels, const char *label,
			     dk_error *err)
{
	db_stmt *st = store_stmt(
		s,
		"SELECT json_array_length(?1),"
		" EXISTS (SELECT 1 FROM json_each(?1) WHERE value = ?2)",
		err);
	if (!st)
		return -1;
	db_bind_text(st, 1, labels ? labels : "[]", -1, DB_STATIC);
	db_bind_text(st, 2, label, -1, DB_STATIC);
	int ok = -1;
	if (db_step(st) == DB_ROW)
		ok = db_col_int(st, 0) == 0 || db_col_int(st, 1);
	if (store_done(st) != DB_OK || ok < 0) {
		store_fail(s, err, "reading the model's labels");
		ok = -1;
	}
	return ok;
}

static int queue_delete_lease(store *s, int64_t case_id, dk_error *err)
{
	db_stmt *st = store_stmt(s, "DELETE FROM leases WHERE case_id = ?1", err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, case_id);
	return queue_step_done(s, st, "ending a lease", err);
}

/* The checks of d that need no transaction: a known action, a label for
 * override and resolve (and none for escalate and skip), a reason code for
 * escalate and skip, seconds >= 0. DK_OK or DK_USAGE with a message. The
 * reason's code is checked against the store's list only with
 * check_reason (PostgreSQL's one-call decision checks it in decide()). */
static int q_check_decision(store *s, const queue_decision *d, int check_reason,
			    dk_error *err)
{
	const char *a = d->action ? d->action : "";
	int is_resolve = !strcmp(a, ACTION_RESOLVE);
	if (!q_is_decision(a)) {
		dk_fail(err, "unknown action '%s': use accept, override, escalate, "
			     "skip, resolve (undo has its own call)", a);
		return DK_USAGE;
	}
	int needs_label = !strcmp(a, ACTION_OVERRIDE) || is_resolve;
	if (needs_label && (!d->label || !d->label[0])) {
		dk_fail(err, "%s needs a label", a);
		return DK_USAGE;
	}
	if (!needs_label && d->label && strcmp(a, ACTION_ACCEPT)) {
		dk_fail(err, "%s takes no label", a);
		return DK_USAGE;
	}
	if ((!strcmp(a, ACTION_ESCALATE) || !strcmp(a, ACTION_SKIP)) &&
	    (!d->reason || !d->reason[0])) {
		dk_fail(err, "%s needs a reason code", a);
		return DK_USAGE;
	}
	if (!isnan(d->seconds) && !(d->seconds >= 0)) {
		dk_fail(err, "seconds must be 0 or more");
		return DK_USAGE;
	}
	if (d->reason && check_reason)
		return queue_check_reason(s, d->reason, err);
	return DK_OK;
}

/* The label d records on case c (accept: the model's; override, resolve:
 * one of the model's labels, an override not the model's own; escalate,
 * skip: none). *label points into d or c. DK_OK or DK_USAGE. */
static int q_decision_label(store *s, const struct q_case *c,
			    const queue_decision *d, const char **label,
			    dk_error *err)
{
	const char *a = d->action;
	*label = d->label;
	if (!strcmp(a, ACTION_ACCEPT)) {
		if (d->label && strcmp(d->label, c->prediction)) {
			dk_fail(err, "accept keeps the model's label '%s'; to "
				     "record '%s' use override",
				c->prediction, d->label);
			return DK_USAGE;
		}
		*label = c->prediction;
		return DK_OK;
	}
	if (strcmp(a, ACTION_OVERRIDE) && strcmp(a, ACTION_RESOLVE))
		return DK_OK;
	int known = queue_label_known(s, c->labels, *label, err);
	if (known < 0)
		return DK_ERR;
	if (!known) {
		dk_fail(err, "label '%s' is not one of the model's labels %s", *label,
			c->labels ? c->labels : "[]");
		return DK_USAGE;
	}
	if (!strcmp(a, ACTION_OVERRIDE) && !strcmp(*label, c->prediction)) {
		dk_fail(err, "'%s' is the model's own label: use accept", *label);
		return DK_USAGE;
	}
	return DK_OK;
}

/* PostgreSQL: decide() (engine/pg_roles.c), the long way (the state
 * given, ?13..?16) and the fast way (?13 NULL: decide() checks the lease,
 * label and reason and works out the state, or refuses with
 * check_violation, writing nothing). The entry's model label, and an
 * accept's label, are the case's prediction, which the server puts into
 * the hash between the parts the client encodes (audit_middle_split_hex). */
#define Q_DECIDE_PG \
	"decide(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14," \
	" ?15, ?16, ?17 <> 0)"
static const char q_sql_decide_pg[] =
	"SELECT entry_seq, entry_hash, entry_state FROM " Q_DECIDE_PG;
/* The fast `decide --next`: the claim of the next case (claim(), as
 * q_claim_pg) and the read of the case it takes (as
 * queue_sql_claim_read_pg, which says what that read sees), then the
 * decision, in one statement: the claim first, before decide() takes the
 * chain lock (revision 7), so its holder never waits for a case another
 * decider has locked (at 64 clients that closed a deadlock: the holder,
 * claiming under the lock, waited on a case whose decider waited for the
 * lock). Before the claim, hold_case() locks the lease and case being
 * decided (pg_roles.c says why); decide() runs in the claim's row, and
 * the claim in hold_case()'s (LATERAL; OFFSET 0 keeps the planner from
 * reordering them). The case being decided is held, so
 * the claim's walk, over queued cases, never takes it; if its lease ran
 * out, the claim's reclaim may queue it and the walk take it, and the
 * statement fails (fast_known) as a refused decision does. Either way
 * nothing is left behind: the claim and the decision are one statement.
 * A model or reviewer claim() does not know fails the whole, as the fast
 * way refuses, and the long way says why. */
static const char q_sql_decide_next_pg[] =
	"SELECT d.entry_seq, d.entry_hash, d.entry_state, k.claim_case,"
	" k.claim_token, " Q_CASE_COLS("'held'") " FROM hold_case(?2, ?10) h"
	" CROSS JOIN LATERAL (SELECT * FROM claim(?1, ?18, ?10, ?19, ?20)"
	"  WHERE h IS NOT NULL OFFSET 0) k"
	" CROSS JOIN LATERAL (SELECT * FROM " Q_DECIDE_PG
	"  WHERE fast_known(k.claim_reviewer IS NOT NULL"
	"   AND k.claim_model IS NOT NULL AND k.claim_case IS DISTINCT FROM ?2)"
	"  OFFSET 0) d"
	" LEFT JOIN cases c ON c.id = k.claim_case"
	" LEFT JOIN models m ON m.id = c.model_id"
	" LEFT JOIN batches b ON b.id = c.batch_id";

/* The state names decide() returns, as the constants out->state holds. */
static const char *q_state_const(const char *st)
{
	static const char *const names[] = {CASE_QUEUED, CASE_ESCALATED,
					    CASE_DISPUTED, CASE_DONE};
	for (size_t i = 0; st && i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(st, names[i]))
			return names[i];
	return CASE_QUEUED;
}

/* Bind decide()'s parameters ?1..?12 and ?17 for entry e on case_id:
 * the label the client gives (NULL: the case's prediction for an accept),
 * the hash's parts around the labels, and for the fast way the lease
 * token and the built-in reason codes. head, tail and reasons hold the
 * text until the statement is done. */
static void q_bind_decide_pg(db_stmt *st, const audit_entry *e, const char *label,
			     int64_t now, int64_t token, int end_lease, sbuf *head,
			     sbuf *tail, sbuf *reasons)
{
	audit_middle_split_hex(e, head, tail);
	sbuf_addc(reasons, '[');
	for (size_t i = 0; queue_default_reasons[i]; i++) {
		if (i)
			sbuf_addc(reasons, ',');
		sbuf_add_json_str(reasons, queue_default_reasons[i],
				  strlen(queue_default_reasons[i]));
	}
	sbuf_addc(reasons, ']');
	db_bind_text(st, 1, e->reviewer, -1, DB_STATIC);
	db_bind_int64(st, 2, e->case_id);
	db_bind_text(st, 3, e->action, -1, DB_STATIC);
	bind_opt(st, 4, label);
	bind_opt(st, 5, e->reason);
	bind_opt(st, 6, e->note);
	if (isnan(e->seconds))
		db_bind_null(st, 7);
	else
		db_bind_double(st, 7, e->seconds);
	db_bind_text(st, 8, sbuf_str(head), -1, DB_STATIC);
	db_bind_text(st, 9, sbuf_str(tail), -1, DB_STATIC);
	db_bind_int64(st, 10, now);
	db_bind_int64(st, 11, token);
	db_bind_text(st, 12, sbuf_str(reasons), -1, DB_STATIC);
	db_bind_int64(st, 17, end_lease);
}

/* PostgreSQL: the writes of decision e on case_id in one call, the long
 * way (decide() above), committed in the same exchange when commit is set
 * (store_step_commit): nothing between the chain lock and the commit waits
 * on this process. The case's state comes from replaying its log with e
 * appended, as q_apply would after the append; the entry's seq and time are
 * the server's, so e stands in with the largest seq (it is the last), and a
 * final seq that is e's is sent as -1. Its reviewer's review is e itself
 * (an entry without ref_seq takes no other out of force). Returns as
 * store_step_commit with commit set, else DK_OK or DK_ERR. */
static int q_decide_pg(store *s, int64_t case_id, int reviews_needed,
		       const audit_entry *e, int end_lease, int64_t now, int commit,
		       queue_outcome *out, dk_error *err)
{
	struct q_log l = {0};
	struct q_state q;
	sbuf head = {0}, tail = {0}, reasons = {0};
	int rc = q_log_load(s, case_id, &l, err);
	if (rc)
		goto out;
	if (l.n == l.cap) {
		l.cap = l.cap ? l.cap * 2 : 8;
		l.e = dk_xrealloc(l.e, sizeof *l.e * l.cap);
	}
	struct q_entry *ne = &l.e[l.n++];
	memset(ne, 0, sizeof *ne);
	ne->seq = INT64_MAX;
	ne->at = INT64_MAX;
	ne->reviewer = dk_xstrdup(e->reviewer);
	snprintf(ne->action, sizeof ne->action, "%s", e->action);
	ne->label = e->label ? dk_xstrdup(e->label) : NULL;
	q_replay(&l, reviews_needed, &q);
	db_stmt *st = store_stmt(s, q_sql_decide_pg, err);
	if (!st) {
		rc = DK_ERR;
		goto out;
	}
	const char *state = q.st == Q_OPEN ? CASE_QUEUED : q_st_name(q.st);
	q_bind_decide_pg(st, e, e->label, now, 0, end_lease, &head, &tail,
			 &reasons);
	db_bind_text(st, 13, state, -1, DB_STATIC);
	bind_opt(st, 14, q.final_label);
	if (q.final_seq) {
		int is_e = q.final_seq == INT64_MAX;
		db_bind_int64(st, 15, is_e ? -1 : q.final_seq);
		db_bind_int64(st, 16, is_e ? -1 : q.decided_at);
	} else {
		db_bind_null(st, 15);
		db_bind_null(st, 16);
	}
	int step;
	rc = commit ? store_step_commit(st, &step, err) : DK_OK;
	if (!commit)
		step = db_step(st);
	if (step == DB_ROW) {
		out->seq = db_col_int64(st, 0);
		snprintf(out->hash, sizeof out->hash, "%s",
			 (const char *)db_col_text(st, 1));
		out->state = state;
		out->ref_seq = 0;
	}
	store_done(st);
	if (!commit && step != DB_ROW)
		rc = store_fail(s, err, "appending to the decision log");
out:
	sbuf_free(&head);
	sbuf_free(&tail);
	sbuf_free(&reasons);
	q_log_free(&l);
	return rc;
}

/* PostgreSQL, a plain decision d (not resolve) by reviewer on case_id in
 * one round trip: its BEGIN, decide()'s fast way and the COMMIT (and with
 * next, the claim of the next case: *next_id, 0 when none) in one
 * pipeline. *fast is 0 when decide() refused the fast way (nothing was
 * written: the caller takes the long way, which says why or replays the
 * case's log itself). Returns DK_OK, or as store_step_commit. */
static int q_decide_fast_pg(store *s, const char *reviewer, int64_t case_id,
			    const queue_decision *d, int64_t now, int next,
			    const char *model, int *fast, queue_outcome *out,
			    int64_t *next_id, int64_t *token, queue_case *next_case,
			    int *loaded, dk_error *err)
{
	*fast = 0;
	if (loaded)
		*loaded = 0;
	audit_entry e = {
		.reviewer = reviewer,
		.case_id = case_id,
		.action = d->action,
		.reason = d->reason,
		.note = d->note,
		.seconds = d->seconds,
	};
	sbuf head = {0}, tail = {0}, reasons = {0};
	if (store_begin_write_rows(s, err))
		return DK_ERR;
	int rc = DK_ERR;
	db_stmt *st = store_stmt(s, next ? q_sql_decide_next_pg : q_sql_decide_pg,
				 err);
	if (!st)
		goto out;
	q_bind_decide_pg(st, &e, d->label, now, d->token, 1, &head, &tail,
			 &reasons);
	for (int i = 13; i <= 16; i++)
		db_bind_null(st, i);
	if (next) {
		bind_opt(st, 18, model);
		db_bind_int64(st, 19, QUEUE_SKIP_COOLDOWN_MS);
		db_bind_int64(st, 20, now + QUEUE_LEASE_MS);
	}
	int step;
	rc = store_step_commit(st, &step, err);
	if (step == DB_ROW) {
		out->seq = db_col_int64(st, 0);
		snprintf(out->hash, sizeof out->hash, "%s",
			 (const char *)db_col_text(st, 1));
		out->state = q_state_const((const char *)db_col_text(st, 2));
		out->ref_seq = 0;
		if (next) {
			*next_id = db_col_int64(st, 3);
			*token = db_col_int64(st, 4);
		}
		/* the next case's row (when the statement's snapshot had it) */
		if (next && !rc && *next_id && db_col_type(st, 5) != DB_NULL &&
		    !q_case_row(s, st, 5, next_case, err))
			*loaded = 1;
	}
	store_done(st);
	/* refused the fast way, or chosen as a deadlock's victim (a session
	 * outside docket holding the chain lock and then asking for the case:
	 * t_pg_decide_deadlock): rolled back, nothing written, and the long
	 * way takes it */
	*fast = step != DB_CONSTRAINT && step != DB_BUSY;
	if (!*fast)
		rc = DK_OK;
out:
	store_rollback(s);
	sbuf_free(&head);
	sbuf_free(&tail);
	sbuf_free(&reasons);
	return rc;
}

/* The steps of a decision, inside a write transaction the caller opened
 * (store_begin_write: durable): reviewer rid decides case_id as d says
 * (the checks of queue_decide), with its audit entry; out gets what it
 * did. Any failure leaves the transaction for the caller to roll back.
 * With commit set, on PostgreSQL the transaction is committed with the
 * decision's writes (q_decide_pg), and *committed says so. With nx set
 * (decide --next, PostgreSQL), the next case of nx->model is claimed
 * before the decision's writes (q_claim_pg): nx gets its ids, case (0:
 * none), token and lease end. */
struct q_next {
	const char *model;
	int64_t rid, mid, id, token, expires;
};

static int q_decide_in_tx(store *s, const char *reviewer, int64_t rid,
			  int64_t case_id, const queue_decision *d, int64_t now,
			  int commit, int *committed, struct q_next *nx,
			  queue_outcome *out, dk_error *err)
{
	*committed = 0;
	const char *a = d->action;
	int is_resolve = !strcmp(a, ACTION_RESOLVE);
	struct q_case c = {0};
	int rc = q_case_get(s, case_id, &c, err);
	if (rc)
		goto out;
	const char *label;
	if ((rc = q_decision_label(s, &c, d, &label, err)))
		goto out;
	if (is_resolve) {
		if ((rc = queue_need_supervisor(s, reviewer, "resolve", err)))
			goto out;
		if (strcmp(c.state, CASE_ESCALATED) && strcmp(c.state, CASE_DISPUTED)) {
			rc = dk_fail(err, "case '%s' is %s: only escalated or "
					  "disputed cases are resolved",
				     c.ext_id, c.state);
			goto out;
		}
	} else if ((rc = queue_check_lease(s, rid, reviewer, case_id, c.ext_id,
					   d->token, now, err))) {
		goto out;
	}
	audit_entry e = {
		.reviewer = reviewer,
		.case_id = case_id,
		.action = a,
		.model_label = c.prediction,
		.label = label,
		.reason = d->reason,
		.note = d->note,
		.seconds = d->seconds,
	};
	if (store_engine(s) == STORE_POSTGRES) {
		/* decide --next: the next claim before decide() takes the chain
		 * lock (the fast way's order, q_sql_decide_next_pg); the case
		 * being decided is held under a lease live at now (checked
		 * above), so neither the claim's reclaim nor its walk takes it */
		if (nx && (rc = q_claim_pg(s, reviewer, nx->model, now, 0, &nx->rid,
					   &nx->mid, &nx->id, &nx->token,
					   &nx->expires, err)))
			goto out;
		rc = q_decide_pg(s, case_id, c.reviews_needed, &e, !is_resolve, now,
				 commit, out, err);
		*committed = commit;
		goto out;
	}
	if ((rc = audit_append(s, &e, &out->seq, out->hash, err)))
		goto out;
	if (!is_resolve && (rc = queue_delete_lease(s, case_id, err)))
		goto out;
	if ((rc = q_apply(s, case_id, c.reviews_needed, CASE_QUEUED, &out->state,
			  err)))
		goto out;
	out->ref_seq = 0;
out:
	q_case_free(&c);
	return rc;
}

/* The transaction of decision d: a decision on a held case locks its
 * lease and case (q_case_get) and needs no store-wide writer lock; a
 * resolve (of a case no lease guards) takes it. */
static int q_begin_decision(store *s, const queue_decision *d, dk_error *err)
{
	return strcmp(d->action, ACTION_RESOLVE) ? store_begin_write_rows(s, err)
						 : store_begin_write(s, err);
}

/* PostgreSQL takes a plain decision (not a resolve) in one round trip
 * first (q_decide_fast_pg); SQLite, and PostgreSQL when that refuses, the
 * long way. */
static int q_fast_pg(store *s, const queue_decision *d)
{
	return store_engine(s) == STORE_POSTGRES && strcmp(d->action, ACTION_RESOLVE);
}

static int q_decide_once(store *s, const char *reviewer, int64_t case_id,
			 const queue_decision *d, queue_outcome *out,
			 dk_error *err)
{
	int fast = q_fast_pg(s, d);
	int rc = q_check_decision(s, d, !fast, err);
	if (rc)
		return rc;
	int64_t now = clock_now_ms(), rid;
	queue_outcome o = {0};
	if (fast) {
		rc = q_decide_fast_pg(s, reviewer, case_id, d, now, 0, NULL, &fast,
				      &o, NULL, NULL, NULL, NULL, err);
		if ((!rc || rc == DK_UNSYNCED) && fast && out)
			*out = o;
		if (fast)
			return rc;
		if ((rc = q_check_decision(s, d, 1, err)))
			return rc;
	}
	if (q_begin_decision(s, d, err))
		return DK_ERR;
	int committed = 0;
	rc = queue_reviewer_id(s, reviewer, &rid, err);
	if (!rc)
		rc = q_decide_in_tx(s, reviewer, rid, case_id, d, now, 1,
				    &committed, NULL, &o, err);
	if (!rc && !committed)
		rc = store_commit(s, err);
	if ((!rc || rc == DK_UNSYNCED) && out)
		*out = o;
	store_rollback(s);
	return rc;
}

int queue_decide(store *s, const char *reviewer, int64_t case_id,
		 const queue_decision *d, queue_outcome *out, dk_error *err)
{
	int rc, tries = 0;
	do
		rc = q_decide_once(s, reviewer, case_id, d, out, err);
	while (rc == DK_ERR && store_retry(s, &tries));
	return rc;
}

static int q_decide_next_once(store *s, const char *reviewer, int64_t case_id,
			      const queue_decision *d, const char *model,
			      queue_outcome *out, queue_case *next,
			      dk_error *err)
{
	memset(next, 0, sizeof *next);
	if (out)
		memset(out, 0, sizeof *out);
	int fast = q_fast_pg(s, d);
	int rc = q_check_decision(s, d, !fast, err);
	if (rc)
		return rc;
	int64_t now = clock_now_ms(), rid = 0, mid = 0, next_id = 0;
	int64_t token = 0, expires = now + QUEUE_LEASE_MS;
	queue_outcome o = {0};
	/* PostgreSQL: the decision and the next claim in one statement, with
	 * its BEGIN and COMMIT one round trip (the chain lock is held for the
	 * server's time only) */
	int loaded = 0;
	if (fast)
		rc = q_decide_fast_pg(s, reviewer, case_id, d, now, 1, model, &fast,
				      &o, &next_id, &token, next, &loaded, err);
	if (!fast && !(rc = q_check_decision(s, d, 1, err))) {
		/* Durable: the decision is on disk before store_commit
		 * returns (the claim rides along in the same sync). */
		if (q_begin_decision(s, d, err))
			return DK_ERR;
		rc = queue_reviewer_id(s, reviewer, &rid, err);
		if (!rc && model)
			rc = queue_model_id(s, model, &mid, err);
		int committed, pg = store_engine(s) == STORE_POSTGRES;
		/* PostgreSQL: the claim before the decision's chain lock, and
		 * the decision sent with the COMMIT (q_decide_in_tx) */
		struct q_next nx = {.model = model, .rid = rid, .mid = mid};
		if (!rc)
			rc = q_decide_in_tx(s, reviewer, rid, case_id, d, now, pg,
					    &committed, pg ? &nx : NULL, &o, err);
		if (pg) {
			next_id = nx.id;
			token = nx.token;
			expires = nx.expires;
		} else if (!rc) {
			rc = q_claim_in_tx(s, reviewer, model, rid, mid, now,
					   &next_id, &token, &expires, err);
		}
		if (!rc && !pg)
			rc = store_commit(s, err);
		store_rollback(s);
	}
	if (rc == DK_UNSYNCED && out)
		*out = o;
	if (rc)
		return rc;
	if (out)
		*out = o;
	if (!next_id)
		return DK_EMPTY;
	if (loaded) {
		next->lease_token = token;
		next->lease_expires = expires;
		return DK_OK;
	}
	if (q_claim_load(s, next_id, token, expires, next, err)) {
		queue_case_free(next);
		/* The decision stands: say so, so nobody decides it again. */
		if (err) {
			dk_error e2 = *err;
			dk_fail(err, "decision recorded (entry %" PRId64 "), but "
				     "reading the next case failed: %s",
				o.seq, e2.msg);
		}
		return DK_ERR;
	}
	return DK_OK;
}

int queue_decide_next(store *s, const char *reviewer, int64_t case_id,
		      const queue_decision *d, const char *model,
		      queue_outcome *out, queue_case *next, dk_error *err)
{
	int rc, tries = 0;
	do
		rc = q_decide_next_once(s, reviewer, case_id, d, model, out, next, err);
	while (rc == DK_ERR && store_retry(s, &tries));
	return rc;
}

static int q_undo_once(store *s, const char *reviewer, int64_t case_id,
		       queue_case *back, queue_outcome *out, dk_error *err)
{
	if (back)
		memset(back, 0, sizeof *back);
	int64_t now = clock_now_ms(), rid, target = 0, target_case = 0;
	char action[16] = "";
	struct q_case c = {0};
	struct q_log l = {0};
	if (store_begin_write(s, err))
		return DK_ERR;
	int rc = queue_reviewer_id(s, reviewer, &rid, err);
	if (rc)
		goto out;
	/* The reviewer's latest decision not yet undone or amended (so in
	 * force): a walk back over decisions(reviewer, seq), each step
	 * checking decisions_ref. */
	db_stmt *st = store_stmt(
		s,
		"SELECT d.seq, d.case_id, d.action FROM decisions d"
		" WHERE d.reviewer = ?1 AND d.action IN"
		" ('accept','override','escalate','skip','resolve')"
		" AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.ref_seq = d.seq)"
		" ORDER BY d.seq DESC LIMIT 1",
		err);
	if (!st) {
		rc = DK_ERR;
		goto out;
	}
	db_bind_text(st, 1, reviewer, -1, DB_STATIC);
	if (db_step(st) == DB_ROW) {
		target = db_col_int64(st, 0);
		target_case = db_col_int64(st, 1);
		snprintf(action, sizeof action, "%s", db_col_text(st, 2));
	}
	if (store_done(st) != DB_OK) {
		rc = store_fail(s, err, "reading the last decision");
		goto out;
	}
	if (!target) {
		rc = dk_fail(err, "%s has no decision to undo", reviewer);
		rc = DK_EMPTY;
		goto out;
	}
	if ((rc = q_case_get(s, target_case, &c, err)))
		goto out;
	if (case_id && case_id != target_case) {
		rc = dk_fail(err, "%s's last decision (entry %" PRId64 ", %s) is on "
				  "case '%s', not this one: undo goes back one "
				  "decision at a time",
			     reviewer, target, action, c.ext_id);
		goto out;
	}
	if ((rc = q_log_load(s, target_case, &l, err)))
		goto out;
	struct q_state q;
	q_replay(&l, c.reviews_needed, &q);
	for (size_t i = 0; i < l.n; i++) {
		struct q_entry *e = &l.e[i];
		if (e->seq > target && !e->cancelled && q_is_decision(e->action) &&
		    strcmp(e->reviewer, reviewer)) {
			rc = dk_fail(err, "case '%s' has been decided since by %s "
					  "(entry %" PRId64 ", %s): ask a supervisor",
				     c.ext_id, e->reviewer, e->seq, e->action);
			goto out;
		}
	}
	/* Someone else holding it now keeps it; an expired lease is theirs no
	 * more. */
	st = store_stmt(s,
			"SELECT r.name, l.expires_at > ?2, l.reviewer_id FROM leases l"
			" JOIN reviewers r ON r.id = l.reviewer_id WHERE l.case_id = ?1",
			err);
	if (!st) {
		rc = DK_ERR;
		goto out;
	}
	db_bind_int64(st, 1, target_case);
	db_bind_int64(st, 2, now);
	if (db_step(st) == DB_ROW && db_col_int(st, 1) &&
	    db_col_int64(st, 2) != rid)
		rc = dk_fail(err, "case '%s' is held by %s now: undo it when they "
				  "are done, or ask a supervisor",
			     c.ext_id, db_col_text(st, 0));
	if (store_done(st) != DB_OK)
		rc = store_fail(s, err, "reading the case's lease");
	if (rc)
		goto out;
	if ((rc = queue_delete_lease(s, target_case, err)))
		goto out;
	audit_entry e = {
		.reviewer = reviewer,
		.case_id = target_case,
		.action = ACTION_UNDO,
		.model_label = c.prediction,
		.seconds = NAN,
		.ref_seq = target,
	};
	int64_t seq;
	char hash[65];
	const char *state;
	if ((rc = audit_append(s, &e, &seq, hash, err)))
		goto out;
	if ((rc = q_apply(s, target_case, c.reviews_needed, CASE_HELD, &state, err)))
		goto out;
	int64_t token = 0, expires = 0;
	if (!strcmp(state, CASE_HELD) &&
	    (rc = queue_lease(s, target_case, rid, now, &token, &expires, err)))
		goto out;
	if (back) {
		if ((rc = queue_case_load(s, target_case, back, err)))
			goto out;
		back->lease_token = token;
		back->lease_expires = expires;
	}
	/* DK_UNSYNCED: recorded all the same; the caller says so. */
	if ((rc = store_commit(s, err)) && rc != DK_UNSYNCED)
		goto out;
	if (out) {
		out->seq = seq;
		memcpy(out->hash, hash, 65);
		out->state = state;
		out->ref_seq = target;
	}
out:
	store_rollback(s);
	q_log_free(&l);
	q_case_free(&c);
	if (rc && rc != DK_UNSYNCED && back)
		queue_case_free(back);
	return rc;
}

int queue_undo(store *s, const char *reviewer, int64_t case_id, queue_case *back,
	       queue_outcome *out, dk_error *err)
{
	int rc, tries = 0;
	do
		rc = q_undo_once(s, reviewer, case_id, back, out, err);
	while (rc == DK_ERR && store_retry(s, &tries));
	return rc;
}

/* 1 when a and b are both NULL or equal strings. */
static int q_same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static int q_amend_once(store *s, const char *reviewer, int64_t case_id,
			const queue_decision *d, queue_outcome *out,
			dk_error *err)
{
	int rc = q_check_decision(s, d, 1, err);
	if (rc)
		return rc;
	const char *a = d->action;
	int64_t now = clock_now_ms(), rid;
	struct q_case c = {0};
	struct q_log l = {0};
	char *holder = NULL;
	int64_t holder_id = 0;
	int live = 0;
	if (store_begin_write(s, err))
		return DK_ERR;
	if ((rc = queue_reviewer_id(s, reviewer, &rid, err)) ||
	    (rc = q_case_get(s, case_id, &c, err)))
		goto out;
	const char *label;
	if ((rc = q_decision_label(s, &c, d, &label, err)))
		goto out;
	/* The reviewer's decision in force on the case: their latest entry
	 * the replay keeps in force. */
	if ((rc = q_log_load(s, case_id, &l, err)))
		goto out;
	struct q_state q;
	q_replay(&l, c.reviews_needed, &q);
	struct q_entry *target = NULL;
	for (size_t i = 0; i < l.n; i++)
		if (!l.e[i].cancelled && q_is_decision(l.e[i].action) &&
		    !strcmp(l.e[i].reviewer, reviewer))
			target = &l.e[i];
	if (!target) {
		dk_fail(err, "%s has no decision in force on case '%s' to amend",
			reviewer, c.ext_id);
		rc = DK_EMPTY;
		goto out;
	}
	int64_t ref = target->seq;
	int was_resolve = !strcmp(target->action, ACTION_RESOLVE);
	if (was_resolve != !strcmp(a, ACTION_RESOLVE)) {
		dk_fail(err, was_resolve
				     ? "%s's decision on case '%s' is a resolve: "
				       "amend it with another resolve"
				     : "%s's decision on case '%s' is a review: "
				       "amend it with accept, override, escalate "
				       "or skip (a supervisor resolves)",
			reviewer, c.ext_id);
		rc = DK_USAGE;
		goto out;
	}
	if (was_resolve && (rc = queue_need_supervisor(s, reviewer, "resolve", err)))
		goto out;
	/* A supervisor's resolve in force is the last word on the case. */
	for (size_t i = 0; i < l.n; i++)
		if (!was_resolve && !l.e[i].cancelled &&
		    !strcmp(l.e[i].action, ACTION_RESOLVE)) {
			rc = dk_fail(err, "case '%s' was resolved by %s (entry %" PRId64
					  "): a reviewer's decision on it can no "
					  "longer be amended; ask a supervisor",
				     c.ext_id, l.e[i].reviewer, l.e[i].seq);
			goto out;
		}
	/* Nothing to amend when nothing would change. */
	db_stmt *st = store_stmt(
		s, "SELECT action, label, reason, note FROM decisions WHERE seq = ?1",
		err);
	if (!st) {
		rc = DK_ERR;
		goto out;
	}
	db_bind_int64(st, 1, ref);
	int same = 0;
	if (db_step(st) == DB_ROW)
		same = !strcmp((const char *)db_col_text(st, 0), a) &&
		       q_same((const char *)db_col_text(st, 1), label) &&
		       q_same((const char *)db_col_text(st, 2), d->reason) &&
		       q_same((const char *)db_col_text(st, 3), d->note);
	if (store_done(st) != DB_OK) {
		rc = store_fail(s, err, "reading the decision");
		goto out;
	}
	if (same) {
		dk_fail(err, "%s's decision on case '%s' (entry %" PRId64 ") is "
			     "already %s%s%s: nothing to amend",
			reviewer, c.ext_id, ref, a, label ? " " : "",
			label ? label : "");
		rc = DK_USAGE;
		goto out;
	}
	/* Who holds the case now (a second reviewer of a double review, or
	 * the reviewer again after a skip's cool-down). */
	st = store_stmt(s,
			"SELECT r.name, l.reviewer_id, l.expires_at > ?2 FROM leases l"
			" JOIN reviewers r ON r.id = l.reviewer_id WHERE l.case_id = ?1",
			err);
	if (!st) {
		rc = DK_ERR;
		goto out;
	}
	db_bind_int64(st, 1, case_id);
	db_bind_int64(st, 2, now);
	int has_lease = db_step(st) == DB_ROW;
	if (has_lease) {
		holder = col_dup(st, 0);
		holder_id = db_col_int64(st, 1);
		live = db_col_int(st, 2);
	}
	store_done(st);
	audit_entry e = {
		.reviewer = reviewer,
		.case_id = case_id,
		.action = a,
		.model_label = c.prediction,
		.label = label,
		.reason = d->reason,
		.note = d->note,
		.seconds = d->seconds,
		.ref_seq = ref,
	};
	int64_t seq;
	char hash[65];
	const char *state;
	if ((rc = audit_append(s, &e, &seq, hash, err)))
		goto out;
	/* Replay with the amend in place: it must fit what others did on
	 * the case since (a skip amended to a decision on a case someone
	 * else has finished does not). */
	if ((rc = q_log_load(s, case_id, &l, err)))
		goto out;
	q_replay(&l, c.reviews_needed, &q);
	if (q.bad_seq >= ref) {
		rc = dk_fail(err, "case '%s' cannot take that amendment: with what "
				  "was decided on it since, the log would have %s "
				  "(entry %" PRId64 "); nothing recorded",
			     c.ext_id, q.problem, q.bad_seq);
		goto out;
	}
	if (q.st != Q_OPEN && has_lease) {
		/* The case is decided now: an expired lease (or the reviewer's
		 * own) ends; someone else's live one is theirs to finish. */
		if (live && holder_id != rid) {
			rc = dk_fail(err, "case '%s' is held by %s now: that "
					  "amendment would decide it under them; "
					  "amend it when they are done",
				     c.ext_id, holder ? holder : "someone else");
			goto out;
		}
		if ((rc = queue_delete_lease(s, case_id, err)))
			goto out;
		has_lease = 0;
	}
	if ((rc = q_apply(s, case_id, c.reviews_needed,
			  has_lease ? CASE_HELD : CASE_QUEUED, &state, err)) ||
	    ((rc = store_commit(s, err)) && rc != DK_UNSYNCED))
		goto out;
	if (out) {
		out->seq = seq;
		memcpy(out->hash, hash, 65);
		out->state = state;
		out->ref_seq = ref;
	}
out:
	store_rollback(s);
	free(holder);
	q_log_free(&l);
	q_case_free(&c);
	return rc;
}

int queue_amend(store *s, const char *reviewer, int64_t case_id,
		const queue_decision *d, queue_outcome *out, dk_error *err)
{
	int rc, tries = 0;
	do
		rc = q_amend_once(s, reviewer, case_id, d, out, err);
	while (rc == DK_ERR && store_retry(s, &tries));
	return rc;
}

/* ---- the reviewer's view: recent decisions and counts ---------------- */

int queue_recent(store *s, const char *reviewer, queue_recent_entry *out,
		 size_t max, size_t *n, dk_error *err)
{
	*n = 0;
	db_stmt *st = store_stmt(
		s,
		"SELECT d.seq, d.case_id, d.at, d.action, c.ext_id, d.label,"
		" EXISTS (SELECT 1 FROM decisions u WHERE u.ref_seq = d.seq"
		"  AND u.action = 'undo'),"
		" EXISTS (SELECT 1 FROM decisions a WHERE a.ref_seq = d.seq"
		"  AND a.action <> 'undo'),"
		" coalesce(d.ref_seq, 0)"
		" FROM decisions d JOIN cases c ON c.id = d.case_id"
		" WHERE d.reviewer = ?1 AND d.action IN"
		" ('accept','override','escalate','skip','resolve')"
		" ORDER BY d.seq DESC LIMIT ?2",
		err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, reviewer, -1, DB_STATIC);
	db_bind_int64(st, 2, (int64_t)max);
	int step;
	while ((step = db_step(st)) == DB_ROW && *n < max) {
		queue_recent_entry *e = &out[(*n)++];
		memset(e, 0, sizeof *e);
		e->seq = db_col_int64(st, 0);
		e->case_id = db_col_int64(st, 1);
		e->at = db_col_int64(st, 2);
		snprintf(e->action, sizeof e->action, "%s", db_col_text(st, 3));
		snprintf(e->ext_id, sizeof e->ext_id, "%s", db_col_text(st, 4));
		if (db_col_type(st, 5) != DB_NULL)
			snprintf(e->label, sizeof e->label, "%s",
				 db_col_text(st, 5));
		e->undone = db_col_int(st, 6);
		e->amended = db_col_int(st, 7);
		e->ref_seq = db_col_int64(st, 8);
	}
	store_done(st);
	return step == DB_DONE || step == DB_ROW
		       ? DK_OK
		       : store_fail(s, err, "reading recent decisions");
}

static int64_t queue_local_midnight(int64_t now)
{
	time_t t = (time_t)(now / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

int queue_counts_get(store *s, const char *reviewer, const char *model,
		     queue_counts *out, dk_error *err)
{
	memset(out, 0, sizeof *out);
	int64_t now = clock_now_ms(), rid = 0;
	if (store_begin_read(s, err))
		return DK_ERR;
	int rc = DK_OK;
	db_stmt *st = store_stmt(
		s,
		"SELECT c.state, sum(c.n) FROM counters c JOIN models m"
		" ON m.id = c.model_id WHERE (?1 IS NULL OR m.name = ?1)"
		" AND c.state IN ('queued', 'held', 'escalated', 'disputed')"
		" GROUP BY c.state",
		err);
	if (!st) {
		rc = DK_ERR;
		goto out;
	}
	bind_opt(st, 1, model);
	while (db_step(st) == DB_ROW) {
		const char *state = (const char *)db_col_text(st, 0);
		int64_t n = db_col_int64(st, 1);
		if (!strcmp(state, CASE_QUEUED))
			out->queued = n;
		else if (!strcmp(state, CASE_HELD))
			out->held = n;
		else if (!strcmp(state, CASE_ESCALATED))
			out->escalated = n;
		else
			out->disputed = n;
	}
	if (store_done(st) != DB_OK) {
		rc = store_fail(s, err, "reading the counters");
		goto out;
	}
	if (queue_role(s, reviewer, NULL, &rid, err) != DK_OK)
		goto out; /* unknown: holds nothing, decided nothing */
	st = store_stmt(s,
			"SELECT (SELECT count(*) FROM leases WHERE reviewer_id = ?1"
			"  AND expires_at > ?2),"
			" (SELECT count(*) FROM reviews WHERE reviewer_id = ?1"
			"  AND at >= ?3 AND action <> 'skip')",
			err);
	if (!st) {
		rc = DK_ERR;
		goto out;
	}
	db_bind_int64(st, 1, rid);
	db_bind_int64(st, 2, now);
	db_bind_int64(st, 3, queue_local_midnight(now));
	if (db_step(st) == DB_ROW) {
		out->held_by_me = db_col_int64(st, 0);
		out->done_today = db_col_int64(st, 1);
	}
	if (store_done(st) != DB_OK)
		rc = store_fail(s, err, "reading the reviewer's counts");
out:
	store_rollback(s);
	return rc;
}

/* ---- consistency of states with the log ------------------------------ */

static int queue_check_one(store *s, int64_t case_id, struct q_log *l,
			   dk_error *err)
{
	db_stmt *st = store_stmt(
		s,
		"SELECT c.ext_id, m.name, c.state, c.final_label, c.final_seq,"
		" c.reviews_needed, c.decided_at FROM cases c"
		" JOIN models m ON m.id = c.model_id WHERE c.id = ?1",
		err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, case_id);
	int64_t last = l->n ? l->e[l->n - 1].seq : 0;
	if (db_step(st) != DB_ROW) {
		store_done(st);
		return dk_fail(err, "entry %" PRId64 ": names case id %" PRId64
				    " which is not in the store",
			       last, case_id);
	}
	char *ext = col_dup(st, 0), *model = col_dup(st, 1);
	char *state = col_dup(st, 2), *label = col_dup(st, 3);
	int64_t final_seq = db_col_int64(st, 4);
	int needed = db_col_int(st, 5);
	int64_t decided_at = db_col_int64(st, 6);
	store_done(st);
	struct q_state q;
	q_replay(l, needed, &q);
	int rc = DK_OK;
	int open_ok = q.st == Q_OPEN &&
		      (!strcmp(state, CASE_QUEUED) || !strcmp(state, CASE_HELD));
	if (q.bad_seq)
		rc = dk_fail(err, "entry %" PRId64 ": case %s/%s: %s", q.bad_seq,
			     model, ext, q.problem);
	else if (!open_ok && strcmp(state, q_st_name(q.st)))
		rc = dk_fail(err, "entry %" PRId64 ": case %s/%s is '%s' but its "
				  "log (last entry %" PRId64 ") leaves it '%s'",
			     last, model, ext, state, last,
			     q.st == Q_OPEN ? "open" : q_st_name(q.st));
	else if (final_seq != q.final_seq ||
		 (label == NULL) != (q.final_label == NULL) ||
		 (label && strcmp(label, q.final_label)))
		rc = dk_fail(err, "entry %" PRId64 ": case %s/%s has final label "
				  "'%s' (entry %" PRId64 ") but its log gives '%s' "
				  "(entry %" PRId64 ")",
			     last, model, ext, label ? label : "", final_seq,
			     q.final_label ? q.final_label : "", q.final_seq);
	else if (decided_at != q.decided_at)
		/* exports by --since/--until select on it */
		rc = dk_fail(err, "entry %" PRId64 ": case %s/%s was decided at %"
				  PRId64 " by the cases table but at %" PRId64
				  " by its log",
			     q.final_seq, model, ext, decided_at, q.decided_at);
	free(ext);
	free(model);
	free(state);
	free(label);
	return rc;
}

int queue_check_states(store *s, int64_t *checked, dk_error *err)
{
	int64_t n = 0;
	if (store_begin_read(s, err))
		return DK_ERR;
	struct q_log l = {0};
	int rc = DK_OK, step;
	int64_t cur = 0;
	/* In case order over decisions_case; each case replayed once. */
	db_stmt *st = store_stmt(
		s,
		"SELECT case_id, seq, at, reviewer, action, label, ref_seq"
		" FROM decisions WHERE case_id IS NOT NULL ORDER BY case_id, seq",
		err);
	if (!st) {
		rc = DK_ERR;
		goto out;
	}
	/* The checks read cases through other statements while this one
	 * walks the log: both only read, inside one read transaction. */
	while ((step = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int64(st, 0);
		if (id != cur && l.n) {
			n++;
			if ((rc = queue_check_one(s, cur, &l, err)))
				break;
			q_log_clear(&l);
		}
		cur = id;
		q_log_add(&l, st, 1);
	}
	if (rc == DK_OK && step != DB_DONE)
		rc = store_fail(s, err, "reading the decision log");
	store_done(st);
	if (rc == DK_OK && l.n) {
		n++;
		rc = queue_check_one(s, cur, &l, err);
	}
	if (rc)
		goto out;
	/* Decided states need a log: a covering scan of cases_batch(batch_id,
	 * state), not of the table. */
	st = store_stmt(
		s,
		"SELECT c.id, c.ext_id, c.state FROM cases c"
		" WHERE c.state IN ('done','escalated','disputed')"
		" AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.case_id = c.id)"
		" LIMIT 1",
		err);
	if (!st) {
		rc = DK_ERR;
		goto out;
	}
	if (db_step(st) == DB_ROW)
		rc = dk_fail(err, "case '%s' (id %lld) is '%s' but the log has no "
				  "entry for it",
			     db_col_text(st, 1),
			     (long long)db_col_int64(st, 0),
			     db_col_text(st, 2));
	if (store_done(st) != DB_OK && rc == DK_OK)
		rc = store_fail(s, err, "checking the states against the log");
out:
	store_rollback(s);
	q_log_free(&l);
	if (checked)
		*checked = n;
	return rc;
}
