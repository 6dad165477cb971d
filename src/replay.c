/* replay.c: the replay of the whole audit log for `docket verify` (roles,
 * policies, reason codes, watermarks, batches, times at each entry), the
 * comparison of the store's tables and case rows with it, and the init
 * entry the replay starts from. */
#include "docket/replay.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "docket/anchor.h"
#include "docket/audit.h"
#include "docket/casefeat.h"
#include "docket/casejson.h"
#include "docket/clock.h"
#include "docket/drift.h"
#include "docket/pii_merge.h"
#include "docket/policy.h"
#include "docket/queue.h"

/* ---- the replayed state ----------------------------------------------- */

struct rp_reviewer {
	char *name;
	int supervisor;
	int64_t seq; /* the entry that last set it */
};

struct rp_policy {
	int64_t version;
	char *json;
	int parsed; /* 0: not yet, 1: p holds it, -1: does not parse */
	policy p;
};

struct rp_model {
	char *name;
	char salt_sha256[65];
	char *salt;  /* models.audit_salt, once checked against salt_sha256 */
	int64_t id;  /* models.id, filled by the table comparison */
	int64_t version; /* the policy in force */
	struct rp_policy *pol;
	size_t npol;
	int64_t seq; /* the entry that created it */
};

struct rp_export {
	char *name;
	char *filters; /* JSON, or NULL when a legacy entry set it */
	int64_t last, audit_seq;
};

struct rp_batch {
	int64_t id, rows, routed, policy_version, seq;
	size_t model; /* index into rp.models */
	char *file;
	char sha256[65], digest[65];
	int form;     /* the digest's form (AUDIT_DIGEST_V1, _V2) */
	int legacy;   /* in the init snapshot: no digest */
	int pii;      /* PostgreSQL: has a case with a pii: field */
	int gold;     /* PostgreSQL, r->hidden: has a gold check */
	int64_t seen; /* case rows found */
	dk_sha256 st;
	/* its key lists (probs, attributions, context): the digest covers
	 * the objects its array-form rows expand to (casejson.h) */
	casejson_keys keys[3];
};

struct rp {
	store *s;
	replay_report *rep;
	dk_error *err;
	int started; /* the init entry was seen */
	/* PostgreSQL: the session may not read which cases are gold checks
	 * (a reviewer: cases.gold, cases.route_reason, models.audit_salt,
	 * pg_roles.c): the salt, the routing and the digests of batches
	 * with gold checks are not checked, but counted */
	int hidden;
	char store_id[65];
	int64_t last_at, now;
	struct rp_reviewer *rev;
	size_t nrev;
	struct rp_model *models;
	size_t nmodels;
	struct rp_export *exp;
	size_t nexp;
	struct rp_batch *batches;
	size_t nbatches;
	int auto_add;
	char *reasons; /* JSON array (json() form) or NULL: the defaults */
	/* The first case whose routing disagrees: reported after the batch
	 * digests, since an edited row is the likelier cause. */
	char route_problem[400];
	int64_t route_batch;
	sbuf obj[3]; /* a case's expanded probs, attributions, context */
};

/* The entry being replayed. detail is NULL when the entry has none. */
struct rp_entry {
	int64_t seq, at, case_id;
	int has_case;
	const char *reviewer, *action, *reason, *detail;
};

static int rp_bad(struct rp *r, int64_t seq, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int rp_bad(struct rp *r, int64_t seq, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->rep->problem, sizeof r->rep->problem, fmt, ap);
	va_end(ap);
	r->rep->bad_seq = seq;
	return dk_fail(r->err, "%s", r->rep->problem);
}

static int rp_route_bad(struct rp *r, const struct rp_batch *b, const char *fmt,
			...) __attribute__((format(printf, 3, 4)));

static int rp_route_bad(struct rp *r, const struct rp_batch *b, const char *fmt,
			...)
{
	if (r->route_problem[0])
		return DK_OK;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->route_problem, sizeof r->route_problem, fmt, ap);
	va_end(ap);
	r->route_batch = b->id;
	return DK_OK;
}

static void rp_free(struct rp *r)
{
	for (size_t i = 0; i < r->nrev; i++)
		free(r->rev[i].name);
	free(r->rev);
	for (size_t i = 0; i < r->nmodels; i++) {
		struct rp_model *m = &r->models[i];
		for (size_t k = 0; k < m->npol; k++)
			free(m->pol[k].json);
		free(m->pol);
		free(m->name);
		free(m->salt);
	}
	free(r->models);
	for (size_t i = 0; i < r->nexp; i++) {
		free(r->exp[i].name);
		free(r->exp[i].filters);
	}
	free(r->exp);
	for (size_t i = 0; i < r->nbatches; i++) {
		free(r->batches[i].file);
		for (int k = 0; k < 3; k++)
			casejson_keys_free(&r->batches[i].keys[k]);
	}
	free(r->batches);
	for (int k = 0; k < 3; k++)
		sbuf_free(&r->obj[k]);
	free(r->reasons);
}

static struct rp_reviewer *rp_reviewer(struct rp *r, const char *name)
{
	for (size_t i = 0; i < r->nrev; i++)
		if (!strcmp(r->rev[i].name, name))
			return &r->rev[i];
	return NULL;
}

static struct rp_reviewer *rp_reviewer_new(struct rp *r, const char *name)
{
	r->rev = dk_xrealloc(r->rev, sizeof *r->rev * (r->nrev + 1));
	struct rp_reviewer *v = &r->rev[r->nrev++];
	memset(v, 0, sizeof *v);
	v->name = dk_xstrdup(name);
	return v;
}

static struct rp_model *rp_model(struct rp *r, const char *name)
{
	for (size_t i = 0; i < r->nmodels; i++)
		if (!strcmp(r->models[i].name, name))
			return &r->models[i];
	return NULL;
}

static struct rp_policy *rp_policy_of(struct rp_model *m, int64_t version)
{
	for (size_t i = 0; i < m->npol; i++)
		if (m->pol[i].version == version)
			return &m->pol[i];
	return NULL;
}

static void rp_policy_add(struct rp_model *m, int64_t version, const char *json)
{
	m->pol = dk_xrealloc(m->pol, sizeof *m->pol * (m->npol + 1));
	struct rp_policy *p = &m->pol[m->npol++];
	memset(p, 0, sizeof *p);
	p->version = version;
	p->json = dk_xstrdup(json);
}

static struct rp_export *rp_export(struct rp *r, const char *name)
{
	for (size_t i = 0; i < r->nexp; i++)
		if (!strcmp(r->exp[i].name, name))
			return &r->exp[i];
	return NULL;
}

static struct rp_batch *rp_batch(struct rp *r, int64_t id)
{
	size_t lo = 0, hi = r->nbatches;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->batches[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->nbatches && r->batches[lo].id == id ? &r->batches[lo] : NULL;
}

/* A new batch; ids only grow (batches are never deleted). NULL when id is
 * not above the last. */
static struct rp_batch *rp_batch_new(struct rp *r, int64_t id)
{
	if (r->nbatches && r->batches[r->nbatches - 1].id >= id)
		return NULL;
	r->batches = dk_xrealloc(r->batches, sizeof *r->batches * (r->nbatches + 1));
	struct rp_batch *b = &r->batches[r->nbatches++];
	memset(b, 0, sizeof *b);
	b->id = id;
	dk_sha256_init(&b->st);
	return b;
}

/* ---- reading entry details (SQLite's JSON functions) ------------------- */

/* The value at path in json: *type gets json_type ("null" when missing or
 * when json is not JSON); returns a malloc'd copy of the value (JSON text
 * for objects and arrays) or NULL. */
static char *rp_jget(struct rp *r, const char *json, const char *path,
		     char *type, size_t tlen)
{
	snprintf(type, tlen, "null");
	if (!json)
		return NULL;
	db_stmt *st = store_stmt(
		r->s,
		"SELECT CASE WHEN json_valid(?1) THEN json_extract(?1, ?2) END,"
		" CASE WHEN json_valid(?1) THEN json_type(?1, ?2) END",
		NULL);
	if (!st)
		return NULL;
	db_bind_text(st, 1, json, -1, DB_STATIC);
	db_bind_text(st, 2, path, -1, DB_STATIC);
	char *v = NULL;
	/* JSON taken apart in memory, not read from the store: a
	 * failed read shows as a missing member, which the replay reports */
	if (db_step(st) == DB_ROW) {
		if (db_col_type(st, 1) != DB_NULL)
			snprintf(type, tlen, "%s", db_col_text(st, 1));
		if (db_col_type(st, 0) != DB_NULL)
			v = dk_xstrdup((const char *)db_col_text(st, 0));
	}
	store_done(st);
	return v;
}

/* A text member; NULL when missing or not text. Caller frees. */
static char *rp_jstr(struct rp *r, const char *json, const char *path)
{
	char t[16];
	char *v = rp_jget(r, json, path, t, sizeof t);
	if (v && strcmp(t, "text")) {
		free(v);
		v = NULL;
	}
	return v;
}

/* An object or array member as JSON text; NULL when missing. */
static char *rp_jjson(struct rp *r, const char *json, const char *path)
{
	char t[16];
	char *v = rp_jget(r, json, path, t, sizeof t);
	if (v && strcmp(t, "object") && strcmp(t, "array")) {
		free(v);
		v = NULL;
	}
	return v;
}

/* An integer member: 0 and *out, or 1 when missing or not an integer. */
static int rp_jint(struct rp *r, const char *json, const char *path, int64_t *out)
{
	char t[16];
	char *v = rp_jget(r, json, path, t, sizeof t);
	int rc = 1;
	if (v && !strcmp(t, "integer") && !dk_parse_int64(v, strlen(v), out))
		rc = 0;
	free(v);
	return rc;
}

/* A boolean member: 1 true, 0 false, -1 missing or not a boolean. */
static int rp_jbool(struct rp *r, const char *json, const char *path)
{
	char t[16];
	free(rp_jget(r, json, path, t, sizeof t));
	return !strcmp(t, "true") ? 1 : !strcmp(t, "false") ? 0 : -1;
}

/* 1 when a and b are the same JSON (compared in SQLite's json() form). */
static int rp_json_same(struct rp *r, const char *a, const char *b)
{
	if (!a || !b)
		return !a && !b;
	db_stmt *st = store_stmt(
		r->s,
		"SELECT json_valid(?1) AND json_valid(?2) AND json(?1) = json(?2)",
		NULL);
	if (!st)
		return 0;
	db_bind_text(st, 1, a, -1, DB_STATIC);
	db_bind_text(st, 2, b, -1, DB_STATIC);
	int same = db_step(st) == DB_ROW && db_col_int(st, 0);
	store_done(st);
	return same;
}

/* ---- the action table -------------------------------------------------- */

/* Who may write an entry, as of that entry. */
enum rp_who { RP_ANYONE, RP_REVIEWER, RP_SUPERVISOR };

typedef int (*rp_apply_fn)(struct rp *r, const struct rp_entry *e);

static int rp_init_entry(struct rp *r, const struct rp_entry *e);
static int rp_decision(struct rp *r, const struct rp_entry *e);
static int rp_case_entry(struct rp *r, const struct rp_entry *e);
static int rp_reveal(struct rp *r, const struct rp_entry *e);
static int rp_export_entry(struct rp *r, const struct rp_entry *e);
static int rp_import(struct rp *r, const struct rp_entry *e);
static int rp_policy_entry(struct rp *r, const struct rp_entry *e);
static int rp_reasons_entry(struct rp *r, const struct rp_entry *e);
static int rp_role(struct rp *r, const struct rp_entry *e);
static int rp_reviewer_add(struct rp *r, const struct rp_entry *e);
static int rp_auto_add(struct rp *r, const struct rp_entry *e);
static int rp_store_level(struct rp *r, const struct rp_entry *e);

/* Every action the log may hold. A new action (a signed anchor, say) is one
 * row here and one function. legacy: written by a docket before the replay
 * existed too (other actions before the init entry are an error). */
static const struct rp_action {
	const char *name;
	enum rp_who who;
	int legacy;
	rp_apply_fn apply;
} rp_actions[] = {
	{ACTION_INIT, RP_ANYONE, 0, rp_init_entry},
	{ACTION_ACCEPT, RP_REVIEWER, 1, rp_decision},
	{ACTION_OVERRIDE, RP_REVIEWER, 1, rp_decision},
	{ACTION_ESCALATE, RP_REVIEWER, 1, rp_decision},
	{ACTION_SKIP, RP_REVIEWER, 1, rp_decision},
	{ACTION_UNDO, RP_REVIEWER, 1, rp_decision},
	{ACTION_RESOLVE, RP_SUPERVISOR, 1, rp_decision},
	{ACTION_REVEAL, RP_REVIEWER, 1, rp_reveal},
	{ACTION_EXPORT, RP_SUPERVISOR, 1, rp_export_entry},
	{ACTION_IMPORT, RP_ANYONE, 0, rp_import},
	{ACTION_POLICY, RP_SUPERVISOR, 0, rp_policy_entry},
	{ACTION_REASONS, RP_SUPERVISOR, 0, rp_reasons_entry},
	{ACTION_ROLE, RP_SUPERVISOR, 0, rp_role},
	/* who: the function checks (an auto-add is by the name itself) */
	{ACTION_REVIEWER_ADD, RP_ANYONE, 0, rp_reviewer_add},
	{ACTION_AUTO_ADD, RP_SUPERVISOR, 0, rp_auto_add},
	{ACTION_REPORT, RP_REVIEWER, 0, rp_store_level},
	/* the signature itself: anchor_verify (verify --trust) */
	{ACTION_ANCHOR, RP_SUPERVISOR, 0, rp_store_level},
	/* drift --set-reference: which batch drift compares against */
	{ACTION_REFERENCE, RP_SUPERVISOR, 0, rp_store_level},
};

static const struct rp_action *rp_action(const char *name)
{
	for (size_t i = 0; i < sizeof rp_actions / sizeof rp_actions[0]; i++)
		if (!strcmp(rp_actions[i].name, name))
			return &rp_actions[i];
	return NULL;
}

int replay_action_known(const char *name)
{
	return rp_action(name) != NULL;
}

const char *replay_actions_text(void)
{
	static char text[512];
	if (!text[0]) {
		size_t n = 0;
		for (size_t i = 0; i < sizeof rp_actions / sizeof rp_actions[0]; i++)
			n += (size_t)snprintf(text + n, sizeof text - n, "%s%s",
					      i ? ", " : "", rp_actions[i].name);
	}
	return text;
}

/* ---- the actions ------------------------------------------------------- */

static int rp_store_level(struct rp *r, const struct rp_entry *e)
{
	if (e->has_case)
		return rp_bad(r, e->seq, "entry %" PRId64 ": a %s entry names a case",
			      e->seq, e->action);
	return DK_OK;
}

static int rp_case_entry(struct rp *r, const struct rp_entry *e)
{
	if (!e->has_case)
		return rp_bad(r, e->seq, "entry %" PRId64 ": a %s entry without a case",
			      e->seq, e->action);
	return DK_OK;
}

/* A reveal is of a case's fields on the review screen, or of a personal
 * field's values in figures (`stats --by pii:F --reveal`), which only a
 * supervisor can ask for: that one names no case. */
static int rp_reveal(struct rp *r, const struct rp_entry *e)
{
	if (e->has_case)
		return DK_OK;
	struct rp_reviewer *v = rp_reviewer(r, e->reviewer);
	if (!v || !v->supervisor)
		return rp_bad(r, e->seq, "entry %" PRId64 ": a reveal of figures "
				       "by '%s', who was not a supervisor then",
			      e->seq, e->reviewer);
	return DK_OK;
}

/* 1 when code is one of the reason codes in force. */
static int rp_reason_known(struct rp *r, const char *code)
{
	if (!r->reasons) {
		int ok = 0;
		for (const char *const *p = queue_reason_defaults(); *p && !ok; p++)
			ok = !strcmp(*p, code);
		return ok;
	}
	db_stmt *st = store_stmt(
		r->s, "SELECT EXISTS (SELECT 1 FROM json_each(?1) WHERE value = ?2)",
		NULL);
	if (!st)
		return 0;
	db_bind_text(st, 1, r->reasons, -1, DB_STATIC);
	db_bind_text(st, 2, code, -1, DB_STATIC);
	int ok = db_step(st) == DB_ROW && db_col_int(st, 0);
	store_done(st);
	return ok;
}

/* A decision: its case and reason code (the state machine of each case is
 * queue_check_states'). */
static int rp_decision(struct rp *r, const struct rp_entry *e)
{
	if (rp_case_entry(r, e))
		return DK_ERR;
	if (e->reason && strcmp(e->action, ACTION_UNDO) && !rp_reason_known(r, e->reason))
		return rp_bad(r, e->seq,
			      "entry %" PRId64 ": %s with reason '%s', which was not "
			      "a reason code then",
			      e->seq, e->action, e->reason);
	return DK_OK;
}

static int rp_role_name(const char *role)
{
	return !strcmp(role, ROLE_SUPERVISOR) ? 1 : !strcmp(role, ROLE_REVIEWER) ? 0 : -1;
}

static int rp_reviewer_add(struct rp *r, const struct rp_entry *e)
{
	char *name = rp_jstr(r, e->detail, "$.name");
	char *role = rp_jstr(r, e->detail, "$.role");
	int is_auto = rp_jbool(r, e->detail, "$.auto") == 1;
	int rc = DK_OK;
	if (rp_store_level(r, e)) {
		rc = DK_ERR;
	} else if (!name || !role || rp_role_name(role) < 0) {
		rc = rp_bad(r, e->seq, "entry %" PRId64 ": reviewer-add without a "
				       "name and a role",
			    e->seq);
	} else if (rp_reviewer(r, name)) {
		rc = rp_bad(r, e->seq, "entry %" PRId64 ": adds '%s', who was "
				       "already a reviewer",
			    e->seq, name);
	} else if (is_auto && (strcmp(e->reviewer, name) || !r->auto_add ||
			       rp_role_name(role) != 0)) {
		rc = rp_bad(r, e->seq, "entry %" PRId64 ": '%s' added %s as %s by "
				       "auto-add, but auto-add was %s then",
			    e->seq, e->reviewer, name, role,
			    r->auto_add ? "on only for a name adding itself as a "
					  "reviewer" : "off");
	} else if (!is_auto) {
		struct rp_reviewer *by = rp_reviewer(r, e->reviewer);
		if (!by || !by->supervisor)
			rc = rp_bad(r, e->seq, "entry %" PRId64 ": '%s' added "
					       "reviewer '%s' but was not a "
					       "supervisor then",
				    e->seq, e->reviewer, name);
	}
	if (!rc) {
		struct rp_reviewer *v = rp_reviewer_new(r, name);
		v->supervisor = rp_role_name(role);
		v->seq = e->seq;
	}
	free(name);
	free(role);
	return rc;
}

static int rp_role(struct rp *r, const struct rp_entry *e)
{
	char *name = rp_jstr(r, e->detail, "$.name");
	char *old = rp_jstr(r, e->detail, "$.old");
	char *new_role = rp_jstr(r, e->detail, "$.new");
	struct rp_reviewer *v = name ? rp_reviewer(r, name) : NULL;
	int rc = DK_OK;
	if (rp_store_level(r, e))
		rc = DK_ERR;
	else if (!name || !old || !new_role || rp_role_name(new_role) < 0)
		rc = rp_bad(r, e->seq, "entry %" PRId64 ": role change without a "
				       "name, an old and a new role",
			    e->seq);
	else if (!v)
		rc = rp_bad(r, e->seq, "entry %" PRId64 ": changes the role of '%s', "
				       "who was not a reviewer then",
			    e->seq, name);
	else if (rp_role_name(old) != v->supervisor)
		rc = rp_bad(r, e->seq, "entry %" PRId64 ": says '%s' was %s, but the "
				       "log made them %s (entry %" PRId64 ")",
			    e->seq, name, old,
			    v->supervisor ? ROLE_SUPERVISOR : ROLE_REVIEWER, v->seq);
	if (!rc) {
		v->supervisor = rp_role_name(new_role);
		v->seq = e->seq;
	}
	free(name);
	free(old);
	free(new_role);
	return rc;
}

static int rp_auto_add(struct rp *r, const struct rp_entry *e)
{
	int on = rp_jbool(r, e->detail, "$.on");
	if (rp_store_level(r, e))
		return DK_ERR;
	if (on < 0)
		return rp_bad(r, e->seq, "entry %" PRId64 ": auto-add without on",
			      e->seq);
	r->auto_add = on;
	return DK_OK;
}

static int rp_reasons_entry(struct rp *r, const struct rp_entry *e)
{
	char *codes = rp_jjson(r, e->detail, "$.codes");
	if (rp_store_level(r, e) ||
	    (!codes && rp_bad(r, e->seq, "entry %" PRId64 ": reasons without codes",
			      e->seq))) {
		free(codes);
		return DK_ERR;
	}
	free(r->reasons);
	r->reasons = codes;
	return DK_OK;
}

static int rp_policy_entry(struct rp *r, const struct rp_entry *e)
{
	char *name = rp_jstr(r, e->detail, "$.model");
	char *pol = rp_jjson(r, e->detail, "$.policy");
	int64_t version = 0;
	int rc = DK_OK;
	struct rp_model *m = name ? rp_model(r, name) : NULL;
	if (rp_store_level(r, e))
		rc = DK_ERR;
	else if (!name || !pol || rp_jint(r, e->detail, "$.version", &version) ||
		 version < 1)
		rc = rp_bad(r, e->seq, "entry %" PRId64 ": policy without a model, "
				       "a version and the policy",
			    e->seq);
	else if (!m)
		rc = rp_bad(r, e->seq, "entry %" PRId64 ": a policy for model '%s', "
				       "which no import had created",
			    e->seq, name);
	else if (rp_policy_of(m, version))
		rc = rp_bad(r, e->seq, "entry %" PRId64 ": sets version %" PRId64
				       " of model %s's policy a second time",
			    e->seq, version, name);
	if (!rc) {
		rp_policy_add(m, version, pol);
		m->version = version;
	}
	free(name);
	free(pol);
	return rc;
}

static int rp_import(struct rp *r, const struct rp_entry *e)
{
	char *name = rp_jstr(r, e->detail, "$.model");
	char *file = rp_jstr(r, e->detail, "$.file");
	char *sha = rp_jstr(r, e->detail, "$.sha256");
	char *digest = rp_jstr(r, e->detail, "$.digest");
	char *salt = rp_jstr(r, e->detail, "$.salt_sha256");
	char *pol = rp_jjson(r, e->detail, "$.policy");
	int64_t id = 0, rows = 0, routed = 0, pv = 0, form = AUDIT_DIGEST_V1;
	int rc = DK_OK;
	struct rp_model *m = name ? rp_model(r, name) : NULL;
	if (rp_store_level(r, e)) {
		rc = DK_ERR;
		goto out;
	}
	/* absent: the first form, as imports wrote before form 2 */
	char t[16];
	free(rp_jget(r, e->detail, "$.digest_form", t, sizeof t));
	if (strcmp(t, "null") &&
	    (rp_jint(r, e->detail, "$.digest_form", &form) ||
	     (form != AUDIT_DIGEST_V1 && form != AUDIT_DIGEST_V2))) {
		rc = rp_bad(r, e->seq, "entry %" PRId64 ": an import entry whose "
				       "digest form this docket does not know",
			    e->seq);
		goto out;
	}
	if (!name || !file || !sha || !digest || strlen(sha) != 64 ||
	    strlen(digest) != 64 || rp_jint(r, e->detail, "$.batch", &id) ||
	    rp_jint(r, e->detail, "$.rows", &rows) ||
	    rp_jint(r, e->detail, "$.routed", &routed) ||
	    rp_jint(r, e->detail, "$.policy_version", &pv)) {
		rc = rp_bad(r, e->seq, "entry %" PRId64 ": an import entry without "
				       "its batch, model, file, sha256, rows, "
				       "routed, policy version or digest",
			    e->seq);
		goto out;
	}
	if (salt && pol) { /* this import created the model */
		if (m) {
			rc = rp_bad(r, e->seq, "entry %" PRId64 ": creates model '%s', "
					       "which existed already",
				    e->seq, name);
			goto out;
		}
		r->models = dk_xrealloc(r->models, sizeof *r->models * (r->nmodels + 1));
		m = &r->models[r->nmodels++];
		memset(m, 0, sizeof *m);
		m->name = dk_xstrdup(name);
		snprintf(m->salt_sha256, sizeof m->salt_sha256, "%s", salt);
		m->seq = e->seq;
		m->version = pv;
		rp_policy_add(m, pv, pol);
	} else if (!m) {
		rc = rp_bad(r, e->seq, "entry %" PRId64 ": imports into model '%s', "
				       "which no earlier entry created",
			    e->seq, name);
		goto out;
	} else if (pv != m->version) {
		rc = rp_bad(r, e->seq, "entry %" PRId64 ": routed by version %" PRId64
				       " of model %s's policy, but version %" PRId64
				       " was in force",
			    e->seq, pv, name, m->version);
		goto out;
	}
	struct rp_batch *b = rp_batch_new(r, id);
	if (!b) {
		rc = rp_bad(r, e->seq, "entry %" PRId64 ": batch %" PRId64 " is not "
				       "after the batches before it",
			    e->seq, id);
		goto out;
	}
	b->rows = rows;
	b->routed = routed;
	b->policy_version = pv;
	b->seq = e->seq;
	b->model = (size_t)(m - r->models);
	b->file = file;
	file = NULL;
	snprintf(b->sha256, sizeof b->sha256, "%s", sha);
	snprintf(b->digest, sizeof b->digest, "%s", digest);
	b->form = (int)form;
out:
	free(name);
	free(file);
	free(sha);
	free(digest);
	free(salt);
	free(pol);
	return rc;
}

static int rp_export_entry(struct rp *r, const struct rp_entry *e)
{
	if (rp_store_level(r, e))
		return DK_ERR;
	char *name = rp_jstr(r, e->detail, "$.since_last");
	if (!name)
		return DK_OK; /* a plain export moves no watermark */
	char *filters = rp_jjson(r, e->detail, "$.watermark.filters");
	int64_t from = 0, to = 0;
	int rc = DK_OK;
	struct rp_export *x = rp_export(r, name);
	if (rp_jint(r, e->detail, "$.seq_from", &from) ||
	    rp_jint(r, e->detail, "$.seq_to", &to) || to < from || to >= e->seq)
		rc = rp_bad(r, e->seq, "entry %" PRId64 ": export '%s' without a "
				       "valid range of entries",
			    e->seq, name);
	else if (from != (x ? x->last : 0))
		rc = rp_bad(r, e->seq, "entry %" PRId64 ": export '%s' took entries "
				       "after %" PRId64 ", but its watermark was at "
				       "%" PRId64 " (entry %" PRId64 "): the "
				       "watermark was moved outside docket",
			    e->seq, name, from, x ? x->last : 0,
			    x ? x->audit_seq : 0);
	else if (x && x->filters && filters && !rp_json_same(r, x->filters, filters))
		rc = rp_bad(r, e->seq, "entry %" PRId64 ": export '%s' ran with "
				       "filters %s, but the name was taken with %s",
			    e->seq, name, filters, x->filters);
	if (!rc) {
		if (!x) {
			r->exp = dk_xrealloc(r->exp, sizeof *r->exp * (r->nexp + 1));
			x = &r->exp[r->nexp++];
			memset(x, 0, sizeof *x);
			x->name = dk_xstrdup(name);
		}
		if (!x->filters && filters) {
			x->filters = filters;
			filters = NULL;
		}
		x->last = to;
		x->audit_seq = e->seq;
	}
	free(name);
	free(filters);
	return rc;
}

/* The init entry: the state the replay starts from. */
static int rp_init_entry(struct rp *r, const struct rp_entry *e)
{
	int64_t legacy = -1;
	char *id = rp_jstr(r, e->detail, "$.store_id");
	if (rp_store_level(r, e)) {
		free(id);
		return DK_ERR;
	}
	if (r->started || !id || strlen(id) > 64 ||
	    rp_jint(r, e->detail, "$.legacy_entries", &legacy) ||
	    legacy != e->seq - 1) {
		free(id);
		return rp_bad(r, e->seq,
			      "entry %" PRId64 ": %s init entry (a store has one, "
			      "after the entries of the docket that made it, if "
			      "older)",
			      e->seq, r->started ? "a second" : "a malformed");
	}
	snprintf(r->store_id, sizeof r->store_id, "%s", id);
	free(id);
	r->started = 1;
	r->auto_add = rp_jbool(r, e->detail, "$.auto_add") == 1;
	r->reasons = rp_jjson(r, e->detail, "$.reasons");
	/* Each array, element by element: json_each on a statement of its
	 * own per level (the models' policies are a level below). */
	db_stmt *st = store_stmt(
		r->s, "SELECT value FROM json_each(?1, ?2) ORDER BY id", r->err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, e->detail, -1, DB_STATIC);
	db_bind_text(st, 2, "$.reviewers", -1, DB_STATIC);
	int rc = DK_OK;
	while (!rc && db_step(st) == DB_ROW) {
		const char *v = (const char *)db_col_text(st, 0);
		char *name = rp_jstr(r, v, "$.name");
		char *role = rp_jstr(r, v, "$.role");
		if (!name || !role || rp_role_name(role) < 0 || rp_reviewer(r, name))
			rc = rp_bad(r, e->seq, "entry %" PRId64 ": init lists a "
					       "reviewer without a name and a role, "
					       "or twice",
				    e->seq);
		else {
			struct rp_reviewer *rv = rp_reviewer_new(r, name);
			rv->supervisor = rp_role_name(role);
			rv->seq = e->seq;
		}
		free(name);
		free(role);
	}
	if (store_done(st) != DB_OK && !rc)
		rc = store_fail(r->s, r->err, "reading the store to check it");
	db_bind_text(st, 1, e->detail, -1, DB_STATIC);
	db_bind_text(st, 2, "$.exports", -1, DB_STATIC);
	while (!rc && db_step(st) == DB_ROW) {
		const char *v = (const char *)db_col_text(st, 0);
		char *name = rp_jstr(r, v, "$.name");
		int64_t last, aseq;
		if (!name || rp_jint(r, v, "$.last_seq", &last) ||
		    rp_jint(r, v, "$.audit_seq", &aseq) || rp_export(r, name)) {
			rc = rp_bad(r, e->seq, "entry %" PRId64 ": init lists an "
					       "export without a name and its seqs",
				    e->seq);
		} else {
			r->exp = dk_xrealloc(r->exp, sizeof *r->exp * (r->nexp + 1));
			struct rp_export *x = &r->exp[r->nexp++];
			memset(x, 0, sizeof *x);
			x->name = name;
			name = NULL;
			x->filters = rp_jjson(r, v, "$.filters");
			x->last = last;
			x->audit_seq = aseq;
		}
		free(name);
	}
	if (store_done(st) != DB_OK && !rc)
		rc = store_fail(r->s, r->err, "reading the store to check it");
	db_bind_text(st, 1, e->detail, -1, DB_STATIC);
	db_bind_text(st, 2, "$.models", -1, DB_STATIC);
	while (!rc && db_step(st) == DB_ROW) {
		const char *v = (const char *)db_col_text(st, 0);
		char *name = rp_jstr(r, v, "$.name");
		char *salt = rp_jstr(r, v, "$.salt_sha256");
		int64_t version;
		if (!name || !salt || rp_jint(r, v, "$.policy_version", &version) ||
		    rp_model(r, name)) {
			rc = rp_bad(r, e->seq, "entry %" PRId64 ": init lists a model "
					       "without a name, salt and policy "
					       "version",
				    e->seq);
		} else {
			r->models = dk_xrealloc(r->models,
						sizeof *r->models * (r->nmodels + 1));
			struct rp_model *m = &r->models[r->nmodels++];
			memset(m, 0, sizeof *m);
			m->name = name;
			name = NULL;
			snprintf(m->salt_sha256, sizeof m->salt_sha256, "%s", salt);
			m->version = version;
			m->seq = e->seq;
			db_stmt *ps = store_stmt(
				r->s,
				"SELECT json_extract(value, '$.version'),"
				" json_extract(value, '$.policy')"
				" FROM json_each(?1, '$.policies')",
				r->err);
			if (!ps) {
				rc = DK_ERR;
			} else {
				db_bind_text(ps, 1, v, -1, DB_TRANSIENT);
				while (db_step(ps) == DB_ROW)
					if (db_col_type(ps, 1) != DB_NULL)
						rp_policy_add(m, db_col_int64(ps, 0),
							      (const char *)
								      db_col_text(ps, 1));
				if (store_done(ps) != DB_OK)
					rc = store_fail(r->s, r->err,
							"reading an entry's policies");
			}
		}
		free(name);
		free(salt);
	}
	if (store_done(st) != DB_OK && !rc)
		rc = store_fail(r->s, r->err, "reading the store to check it");
	/* batches: [id, rows] in id order, imported before import entries */
	static const char batches_lite[] =
		"SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]')"
		" FROM json_each(?1, '$.batches') ORDER BY 1";
	static const char batches_pg[] = /* json has no order */
		"SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]')"
		" FROM json_each(?1, '$.batches')"
		" ORDER BY json_extract(value, '$[0]')::text::numeric";
	db_stmt *bs = store_stmt(
		r->s, store_engine(r->s) == STORE_POSTGRES ? batches_pg : batches_lite,
		r->err);
	if (!bs)
		return DK_ERR;
	db_bind_text(bs, 1, e->detail, -1, DB_STATIC);
	while (!rc && db_step(bs) == DB_ROW) {
		struct rp_batch *b = rp_batch_new(r, db_col_int64(bs, 0));
		if (!b) {
			rc = rp_bad(r, e->seq, "entry %" PRId64 ": init lists a batch "
					       "twice", e->seq);
			break;
		}
		b->rows = db_col_int64(bs, 1);
		b->legacy = 1;
		b->seq = e->seq;
		b->model = SIZE_MAX;
		r->rep->legacy_batches++;
	}
	if (store_done(bs) != DB_OK && !rc)
		rc = store_fail(r->s, r->err, "reading the store to check it");
	return rc;
}

/* ---- the walk ------------------------------------------------------------ */

static const char *rp_col(db_stmt *st, int i)
{
	return db_col_type(st, i) == DB_NULL
		       ? NULL
		       : (const char *)db_col_text(st, i);
}

static int rp_entry(struct rp *r, const struct rp_entry *e)
{
	char when[32], now[32];
	if (e->at > r->now + REPLAY_SKEW_MS)
		return rp_bad(r, e->seq, "entry %" PRId64 ": dated %s, later than "
				       "now (%s): a clock far ahead, or a forged "
				       "entry",
			      e->seq, clock_format_iso(e->at, when, sizeof when),
			      clock_format_iso(r->now, now, sizeof now));
	const struct rp_action *a = rp_action(e->action);
	if (!a)
		return rp_bad(r, e->seq, "entry %" PRId64 ": unknown action '%s'",
			      e->seq, e->action);
	if (!r->started && !a->legacy && strcmp(e->action, ACTION_INIT))
		return rp_bad(r, e->seq, "entry %" PRId64 ": a %s entry before the "
				       "store's init entry",
			      e->seq, e->action);
	if (!r->started && strcmp(e->action, ACTION_INIT)) {
		r->rep->legacy_entries++;
		return DK_OK; /* legacy: the chain covers it, the replay cannot */
	}
	r->rep->entries++;
	if (r->started && e->at < r->last_at)
		return rp_bad(r, e->seq, "entry %" PRId64 ": dated %s, before the "
				       "entry ahead of it (%s): times never fall "
				       "along the log",
			      e->seq, clock_format_iso(e->at, when, sizeof when),
			      clock_format_iso(r->last_at, now, sizeof now));
	r->last_at = e->at;
	if (a->who != RP_ANYONE) {
		struct rp_reviewer *v = rp_reviewer(r, e->reviewer);
		if (!v)
			return rp_bad(r, e->seq, "entry %" PRId64 ": %s by '%s', who "
					       "was not a reviewer of the store then",
				      e->seq, e->action, e->reviewer);
		if (a->who == RP_SUPERVISOR && !v->supervisor)
			return rp_bad(r, e->seq, "entry %" PRId64 ": %s by '%s', who "
					       "was not a supervisor then (role "
					       "from entry %" PRId64 ")",
				      e->seq, e->action, e->reviewer, v->seq);
	}
	return a->apply(r, e);
}

static int rp_walk(struct rp *r)
{
	db_stmt *st = store_stmt(
		r->s,
		"SELECT seq, at, reviewer, case_id, action, reason, detail"
		" FROM decisions ORDER BY seq",
		r->err);
	if (!st)
		return DK_ERR;
	int rc = DK_OK, step;
	while ((step = db_step(st)) == DB_ROW) {
		struct rp_entry e = {
			.seq = db_col_int64(st, 0),
			.at = db_col_int64(st, 1),
			.reviewer = rp_col(st, 2),
			.has_case = db_col_type(st, 3) != DB_NULL,
			.case_id = db_col_int64(st, 3),
			.action = rp_col(st, 4),
			.reason = rp_col(st, 5),
			.detail = rp_col(st, 6),
		};
		if (!e.reviewer)
			e.reviewer = "";
		if (!e.action)
			e.action = "";
		if ((rc = rp_entry(r, &e)))
			break;
	}
	if (!rc && step != DB_DONE)
		rc = store_fail(r->s, r->err, "reading the decision log");
	store_done(st);
	return rc;
}

/* ---- the store against the replay ------------------------------------- */

static int rp_check_meta(struct rp *r)
{
	char *id = NULL, *add = NULL, *reasons = NULL;
	int rc = DK_OK;
	/* a setting that cannot be read is an error, not a tampered store */
	if (store_meta_get(r->s, "store_id", &id, r->err) ||
	    store_meta_get(r->s, QUEUE_META_AUTO_ADD, &add, r->err) ||
	    store_meta_get(r->s, QUEUE_META_REASONS, &reasons, r->err))
		rc = DK_ERR;
	int on = add && !strcmp(add, "on");
	if (rc)
		goto out;
	if (!id || strcmp(id, r->store_id))
		rc = rp_bad(r, 0, "meta store_id is '%s' but the init entry gives "
				  "'%s'",
			    id ? id : "", r->store_id);
	else if (on != r->auto_add)
		rc = rp_bad(r, 0, "auto-add is %s in the store but the log leaves it "
				  "%s",
			    on ? "on" : "off", r->auto_add ? "on" : "off");
	else if (!rp_json_same(r, reasons, r->reasons))
		rc = rp_bad(r, 0, "the reason codes are %s in the store but the log "
				  "gives %s",
			    reasons ? reasons : "the defaults",
			    r->reasons ? r->reasons : "the defaults");
out:
	free(id);
	free(add);
	free(reasons);
	return rc;
}

static int rp_check_reviewers(struct rp *r)
{
	db_stmt *st = store_stmt(r->s, "SELECT name, role FROM reviewers", r->err);
	if (!st)
		return DK_ERR;
	int rc = DK_OK;
	size_t n = 0;
	while (!rc && db_step(st) == DB_ROW) {
		const char *name = rp_col(st, 0), *role = rp_col(st, 1);
		struct rp_reviewer *v = name ? rp_reviewer(r, name) : NULL;
		n++;
		if (!v)
			rc = rp_bad(r, 0, "reviewer '%s' (%s) is in the reviewers table "
					  "but no entry added them",
				    name ? name : "", role ? role : "");
		else if (!role || rp_role_name(role) != v->supervisor)
			rc = rp_bad(r, v->seq, "reviewer '%s' is %s in the reviewers "
					       "table but the log made them %s "
					       "(entry %" PRId64 ")",
				    name, role ? role : "", v->supervisor
					? ROLE_SUPERVISOR : ROLE_REVIEWER, v->seq);
	}
	if (store_done(st) != DB_OK && !rc)
		rc = store_fail(r->s, r->err, "reading the store to check it");
	if (!rc && n != r->nrev)
		for (size_t i = 0; i < r->nrev && !rc; i++) {
			const char *role = NULL;
			if (queue_role(r->s, r->rev[i].name, &role, NULL, NULL) != DK_OK)
				rc = rp_bad(r, r->rev[i].seq,
					    "reviewer '%s' was added by entry %" PRId64
					    " but is not in the reviewers table",
					    r->rev[i].name, r->rev[i].seq);
		}
	return rc;
}

/* Models (name, salt, policy version) and every policies row. */
static int rp_check_models(struct rp *r)
{
	db_stmt *st = store_stmt(
		r->s,
		r->hidden ? "SELECT id, name, NULL, policy_version FROM models"
			  : "SELECT id, name, audit_salt, policy_version FROM models",
		r->err);
	if (!st)
		return DK_ERR;
	int rc = DK_OK;
	size_t n = 0;
	while (!rc && db_step(st) == DB_ROW) {
		const char *name = rp_col(st, 1), *salt = rp_col(st, 2);
		struct rp_model *m = name ? rp_model(r, name) : NULL;
		char h[65] = "";
		n++;
		if (salt)
			audit_sha256_hex(salt, strlen(salt), h);
		if (!m) {
			rc = rp_bad(r, 0, "model '%s' is in the store but no import "
					  "entry created it",
				    name ? name : "");
		} else if (!r->hidden && strcmp(h, m->salt_sha256)) {
			rc = rp_bad(r, m->seq, "model %s: its audit salt is not the one "
					       "entry %" PRId64 " created (the audit "
					       "sample would be drawn differently)",
				    name, m->seq);
		} else if (db_col_int64(st, 3) != m->version) {
			rc = rp_bad(r, 0, "model %s: policy version %lld is in force in "
					  "the store but the log gives %" PRId64,
				    name, (long long)db_col_int64(st, 3),
				    m->version);
		} else {
			m->id = db_col_int64(st, 0);
			free(m->salt);
			m->salt = salt ? dk_xstrdup(salt) : NULL;
		}
	}
	if (store_done(st) != DB_OK && !rc)
		rc = store_fail(r->s, r->err, "reading the store to check it");
	if (!rc && n != r->nmodels)
		for (size_t i = 0; i < r->nmodels && !rc; i++)
			if (!r->models[i].id)
				rc = rp_bad(r, r->models[i].seq, "model %s (entry %" PRId64
								 ") is not in the store",
					    r->models[i].name, r->models[i].seq);
	if (rc)
		return rc;
	st = store_stmt(r->s,
			"SELECT m.name, p.version, p.policy FROM policies p"
			" LEFT JOIN models m ON m.id = p.model_id",
			r->err);
	if (!st)
		return DK_ERR;
	size_t np = 0;
	while (!rc && db_step(st) == DB_ROW) {
		const char *name = rp_col(st, 0);
		int64_t v = db_col_int64(st, 1);
		struct rp_model *m = name ? rp_model(r, name) : NULL;
		struct rp_policy *p = m ? rp_policy_of(m, v) : NULL;
		np++;
		if (!p)
			rc = rp_bad(r, 0, "policy version %" PRId64 " of model '%s' is "
					  "in the store but no entry set it",
				    v, name ? name : "?");
		else if (!rp_json_same(r, p->json, rp_col(st, 2)))
			rc = rp_bad(r, 0, "policy version %" PRId64 " of model %s was "
					  "edited: the store holds %s, the log %s",
				    v, name, rp_col(st, 2) ? rp_col(st, 2) : "",
				    p->json);
	}
	if (store_done(st) != DB_OK && !rc)
		rc = store_fail(r->s, r->err, "reading the store to check it");
	size_t want = 0;
	for (size_t i = 0; i < r->nmodels; i++)
		want += r->models[i].npol;
	if (!rc && np != want)
		rc = rp_bad(r, 0, "the store holds %zu policy versions, the log sets "
				  "%zu: one was removed",
			    np, want);
	return rc;
}

static int rp_check_exports(struct rp *r)
{
	db_stmt *st = store_stmt(
		r->s, "SELECT name, last_seq, filters, audit_seq FROM exports", r->err);
	if (!st)
		return DK_ERR;
	int rc = DK_OK;
	size_t n = 0;
	while (!rc && db_step(st) == DB_ROW) {
		const char *name = rp_col(st, 0);
		struct rp_export *x = name ? rp_export(r, name) : NULL;
		int64_t last = db_col_int64(st, 1);
		n++;
		if (!x)
			rc = rp_bad(r, 0, "export watermark '%s' is in the store but no "
					  "export entry moved it",
				    name ? name : "");
		else if (last != x->last || db_col_int64(st, 3) != x->audit_seq)
			rc = rp_bad(r, x->audit_seq,
				    "export watermark '%s' is at %lld (entry %lld) in "
				    "the store, but its last export (entry %" PRId64
				    ") left it at %" PRId64 ": a --since-last export "
				    "would skip or repeat corrections",
				    name, (long long)last,
				    (long long)db_col_int64(st, 3), x->audit_seq,
				    x->last);
		else if (x->filters && !rp_json_same(r, x->filters, rp_col(st, 2)))
			rc = rp_bad(r, x->audit_seq, "export '%s' keeps filters %s in "
						     "the store, but was taken with %s",
				    name, rp_col(st, 2) ? rp_col(st, 2) : "", x->filters);
	}
	if (store_done(st) != DB_OK && !rc)
		rc = store_fail(r->s, r->err, "reading the store to check it");
	if (!rc && n != r->nexp)
		rc = rp_bad(r, 0, "the store holds %zu export watermarks, the log "
				  "moved %zu: one was removed",
			    n, r->nexp);
	return rc;
}

static int rp_check_batches(struct rp *r)
{
	db_stmt *st = store_stmt(
		r->s,
		"SELECT b.id, m.name, b.source_file, b.source_sha256, b.rows, b.routed,"
		" b.prob_keys, b.attr_keys, b.ctx_keys"
		" FROM batches b LEFT JOIN models m ON m.id = b.model_id ORDER BY b.id",
		r->err);
	if (!st)
		return DK_ERR;
	int rc = DK_OK;
	size_t n = 0;
	while (!rc && db_step(st) == DB_ROW) {
		int64_t id = db_col_int64(st, 0);
		struct rp_batch *b = rp_batch(r, id);
		const char *model = rp_col(st, 1), *file = rp_col(st, 2),
			   *sha = rp_col(st, 3);
		n++;
		if (!b) {
			rc = rp_bad(r, 0, "batch %" PRId64 " is in the store but no "
					  "import entry made it",
				    id);
		} else if (db_col_int64(st, 4) != b->rows) {
			rc = rp_bad(r, b->seq, "batch %" PRId64 ": %lld rows in the "
					       "batches table, %" PRId64 " by entry "
					       "%" PRId64,
				    id, (long long)db_col_int64(st, 4), b->rows,
				    b->seq);
		} else if (!b->legacy &&
			   (!model || strcmp(model, r->models[b->model].name) ||
			    !file || strcmp(file, b->file) || !sha ||
			    strcmp(sha, b->sha256) ||
			    db_col_int64(st, 5) != b->routed)) {
			rc = rp_bad(r, b->seq, "batch %" PRId64 ": its model, file, "
					       "sha256 or routed count differ from "
					       "its import entry %" PRId64,
				    id, b->seq);
		}
		for (int k = 0; !rc && b && k < 3; k++) {
			const char *t = rp_col(st, 6 + k);
			if (casejson_keys_set(&b->keys[k], t,
					      t ? (size_t)db_col_bytes(st, 6 + k) : 0))
				rc = rp_bad(r, b->seq, "batch %" PRId64 ": its key list "
						       "is malformed (edited)",
					    id);
		}
	}
	if (store_done(st) != DB_OK && !rc)
		rc = store_fail(r->s, r->err, "reading the store to check it");
	if (!rc && n != r->nbatches)
		rc = rp_bad(r, 0, "the store holds %zu batches, the log imported "
				  "%zu: one was removed",
			    n, r->nbatches);
	return rc;
}

static struct rp_model *rp_model_by_id(struct rp *r, int64_t id)
{
	for (size_t i = 0; i < r->nmodels; i++)
		if (r->models[i].id == id)
			return &r->models[i];
	return NULL;
}

static double rp_num(db_stmt *st, int i)
{
	return db_col_type(st, i) == DB_NULL ? NAN
							 : db_col_double(st, i);
}

/* One case row: its batch's digest and count, and its routing. */
enum {
	C_ID, C_BATCH, C_MODEL, C_EXT, C_LINE, C_PRED, C_CONF, C_MARGIN,
	C_ENTROPY, C_PROBS, C_ATTRS, C_CTX, C_TEXT, C_GOLD, C_PRIO, C_STATE,
	C_REASON, C_POLICY, C_URGENCY, C_NEEDED, C_PII
};

static int rp_case(struct rp *r, db_stmt *st, struct rp_batch **cache)
{
	int64_t id = db_col_int64(st, C_ID);
	int64_t bid = db_col_int64(st, C_BATCH);
	const char *ext = rp_col(st, C_EXT);
	struct rp_batch *b = *cache && (*cache)->id == bid ? *cache : rp_batch(r, bid);
	*cache = b;
	if (!ext)
		ext = "";
	if (!b)
		return rp_bad(r, 0, "case '%s' (id %" PRId64 ") is in batch %" PRId64
				    ", which no import made",
			      ext, id, bid);
	struct rp_model *m = rp_model_by_id(r, db_col_int64(st, C_MODEL));
	if (!m || (!b->legacy && m != &r->models[b->model]))
		return rp_bad(r, b->seq, "case '%s' (id %" PRId64 ") is not in the "
					 "model its batch %" PRId64 " was imported for",
			      ext, id, bid);
	b->seen++;
	double margin = rp_num(st, C_MARGIN), entropy = rp_num(st, C_ENTROPY);
	if (!b->legacy) {
		static const int cols[AUDIT_CASE_TEXTS] = {C_EXT,   C_PRED, C_PROBS,
							   C_ATTRS, C_CTX,  C_TEXT,
							   C_GOLD};
		audit_case k = {
			.line = db_col_int64(st, C_LINE),
			.priority = db_col_int64(st, C_PRIO),
			.confidence = db_col_double(st, C_CONF),
			/* the import's: whether the case came with
			 * probabilities (a lone one has a NULL margin) */
			.has_features = db_col_type(st, C_PROBS) != DB_NULL,
			.margin = rp_num(st, C_MARGIN),
			.entropy = rp_num(st, C_ENTROPY),
		};
		for (int i = 0; i < AUDIT_CASE_TEXTS; i++) {
			k.v[i] = rp_col(st, cols[i]);
			k.len[i] = k.v[i] ? db_col_bytes(st, cols[i]) : -1;
		}
		/* PostgreSQL: the personal values back in their places */
		const char *pii = rp_col(st, C_PII);
		if (pii && k.v[4]) {
			sbuf *o = &r->obj[2];
			if (pii_merge(o, k.v[4], (size_t)k.len[4], pii,
				      (size_t)db_col_bytes(st, C_PII)))
				return rp_bad(r, b->seq, "batch %" PRId64 " (%s): case "
						       "%s: its personal values do not "
						       "fit its context (edited)",
					      b->id, b->file, ext);
			k.v[4] = o->buf;
			k.len[4] = (int)o->len;
		}
		const char *pv = k.v[2]; /* the probabilities as stored */
		size_t pn = pv ? (size_t)k.len[2] : 0;
		/* probs, attributions, context: as objects (casejson.h) */
		static const char *const what[3] = {"probabilities",
						    "attributions", "context"};
		for (int i = 2; i <= 4; i++) {
			dk_error e;
			sbuf *o = &r->obj[i - 2];
			if (!casejson_is_array(k.v[i], k.v[i] ? (size_t)k.len[i] : 0))
				continue;
			if (casejson_expand(&b->keys[i - 2], k.v[i], (size_t)k.len[i],
					    o, ext, what[i - 2], &e))
				return rp_bad(r, b->seq, "batch %" PRId64 " (%s): %s "
						       "(its values or key list were "
						       "edited)",
					      b->id, b->file, e.msg);
			k.v[i] = o->buf;
			k.len[i] = (int)o->len;
		}
		/* not stored since schema 8: as the import computed them */
		if (db_col_type(st, C_MARGIN) == DB_NULL &&
		    db_col_type(st, C_ENTROPY) == DB_NULL &&
		    casefeat_get(&b->keys[0], pv, pn, &k.margin, &k.entropy) < 0)
			return rp_bad(r, b->seq, "batch %" PRId64 " (%s): case %s: "
					       "malformed probabilities JSON in the store "
					       "(edited)",
				      b->id, b->file, ext);
		margin = k.margin;
		entropy = k.entropy;
		/* form 2 keys gold labels by the salt: a session that may
		 * not read it reads no gold label either (r->hidden) */
		audit_case_digest(&b->st, &k, b->form, m->salt);
	}
	/* Routing: what the policy the case records gives for its data. A
	 * batch from before import entries is not covered: its model's
	 * policies may not all be on record (the built-in default was not
	 * stored), nor what routed it. */
	if (b->legacy)
		return DK_OK;
	/* (a session that may not read the audit salt: not checked) */
	if (r->hidden) {
		r->rep->unrouted++;
		return DK_OK;
	}
	/* Routing: what the policy the case records gives for its data. */
	int64_t pv = db_col_int64(st, C_POLICY);
	struct rp_policy *p = rp_policy_of(m, pv);
	const char *state = rp_col(st, C_STATE), *reason = rp_col(st, C_REASON);
	if (!state)
		state = "";
	if (!p || pv > m->version || (!b->legacy && pv < b->policy_version))
		return rp_bad(r, b->seq, "case %s/%s: routed by policy version %" PRId64
					 ", which was never in force for it",
			      m->name, ext, pv);
	if (!p->parsed) {
		dk_error perr = {{0}};
		p->parsed = policy_from_json(r->s, p->json, &p->p, &perr) ? -1 : 1;
	}
	if (p->parsed < 0)
		return rp_bad(r, 0, "model %s: policy version %" PRId64 " does not "
				    "parse",
			      m->name, pv);
	policy_decision d;
	const char *gold = rp_col(st, C_GOLD);
	policy_route(&p->p, m->salt, ext, rp_col(st, C_PRED) ? rp_col(st, C_PRED) : "",
		     db_col_double(st, C_CONF), margin, entropy, gold, &d);
	int is_auto = !strcmp(state, CASE_AUTO);
	if ((strcmp(d.state, CASE_AUTO) == 0) != is_auto)
		return rp_route_bad(r, b, "case %s/%s is '%s', but policy version %" PRId64
				    " %s",
			      m->name, ext, state, pv,
			      is_auto ? "sends it to review" : "leaves it out of review");
	if (is_auto && pv != m->version)
		return rp_route_bad(r, b, "case %s/%s is out of review under policy version "
				    "%" PRId64 ", but version %" PRId64 " is in force "
				    "(changing a policy re-routes every such case)",
			      m->name, ext, pv, m->version);
	if ((reason == NULL) != (d.reason == NULL) || (reason && strcmp(reason, d.text)) ||
	    db_col_double(st, C_URGENCY) != d.urgency ||
	    db_col_int(st, C_NEEDED) != d.reviews_needed)
		return rp_route_bad(r, b, "case %s/%s: its routing (reason '%s', urgency, "
				    "reviews needed %d) is not what policy version "
				    "%" PRId64 " gives ('%s', %d)",
			      m->name, ext, reason ? reason : "", db_col_int(st, C_NEEDED),
			      pv, d.reason ? d.text : "", d.reviews_needed);
	return DK_OK;
}

/* The case rows as imported. On PostgreSQL personal values live apart
 * (case_pii, src/engine/pg_roles.c): the digests cover them, so they are
 * read beside the context, for a session that may read them, and put
 * back into it (pii_merge); for one that may not (a reviewer), the rows
 * are read masked and the batches with a pii: field are only counted
 * (rep->masked_batches). Nor may a reviewer read which cases are gold
 * checks (r->hidden): its rows are read without gold labels and route
 * reasons, and the batches that hold gold checks (the view batch_golds,
 * which says how many, not which) are only counted (rep->gold_batches). */
#define RP_CASES_SQL(gold, reason, pii, from)                                  \
	"SELECT id, batch_id, model_id, ext_id, line, prediction, confidence,"  \
	" margin, entropy, probs, attributions, c.context, text, " gold ","     \
	" priority, state, " reason ", policy_version, urgency,"                \
	" reviews_needed, " pii " FROM cases c" from " ORDER BY id"
#define RP_PII_JOIN " LEFT JOIN docket.case_pii p ON p.case_id = c.id"

static int rp_pii_readable(struct rp *r)
{
	db_stmt *st = store_stmt(
		r->s, "SELECT has_table_privilege('docket.case_pii', 'SELECT')", NULL);
	int yes = st && db_step(st) == DB_ROW && db_col_int(st, 0);
	store_done(st);
	return yes;
}

/* 1 when the session may read which cases are gold checks (revision
 * 14's column privileges: supervisors). */
static int rp_gold_readable(struct rp *r)
{
	db_stmt *st = store_stmt(
		r->s,
		"SELECT has_column_privilege('docket.cases', 'gold', 'SELECT')"
		" AND has_column_privilege('docket.cases', 'route_reason', 'SELECT')"
		" AND has_column_privilege('docket.models', 'audit_salt', 'SELECT')",
		NULL);
	int yes = st && db_step(st) == DB_ROW && db_col_int(st, 0);
	store_done(st);
	return yes;
}

/* The batches holding gold checks, for a session that may not read them. */
static int rp_gold_batches(struct rp *r)
{
	db_stmt *st = store_stmt(r->s, "SELECT batch_id FROM batch_golds", r->err);
	if (!st)
		return DK_ERR;
	while (db_step(st) == DB_ROW) {
		struct rp_batch *b = rp_batch(r, db_col_int64(st, 0));
		if (b)
			b->gold = 1;
	}
	if (store_done(st) != DB_OK)
		return store_fail(r->s, r->err, "reading which batches hold gold checks");
	return DK_OK;
}

/* PostgreSQL's statement of the case rows, for a session that may (or
 * may not: masked) read personal values, and that may not (hidden) read
 * which cases are gold checks. */
static const char *rp_cases_sql_pg(int masked, int hidden)
{
	static const char *const sql[2][2] = {
		/* [hidden][masked] */
		{RP_CASES_SQL("gold", "route_reason", "p.context", RP_PII_JOIN),
		 RP_CASES_SQL("gold", "route_reason", "NULL", "")},
		{RP_CASES_SQL("NULL", "NULL", "p.context", RP_PII_JOIN),
		 RP_CASES_SQL("NULL", "NULL", "NULL", "")},
	};
	return sql[hidden != 0][masked != 0];
}

static int rp_check_cases(struct rp *r)
{
	int masked = 0;
	if (store_engine(r->s) == STORE_POSTGRES)
		masked = !rp_pii_readable(r);
	if (r->hidden && rp_gold_batches(r))
		return DK_ERR;
	db_stmt *st = store_stmt(
		r->s,
		store_engine(r->s) == STORE_POSTGRES
			? rp_cases_sql_pg(masked, r->hidden)
			: RP_CASES_SQL("gold", "route_reason", "NULL", ""),
		r->err);
	if (!st)
		return DK_ERR;
	int rc = DK_OK, step;
	struct rp_batch *cache = NULL;
	while ((step = db_step(st)) == DB_ROW) {
		r->rep->cases++;
		if ((rc = rp_case(r, st, &cache)))
			break;
		const char *ctx = (const char *)db_col_text(st, C_CTX);
		if (masked && cache && ctx && strstr(ctx, "\"pii:"))
			cache->pii = 1;
	}
	if (!rc && step != DB_DONE)
		rc = store_fail(r->s, r->err, "reading cases");
	store_done(st);
	for (size_t i = 0; i < r->nbatches && !rc; i++) {
		struct rp_batch *b = &r->batches[i];
		if (b->seen != b->rows) {
			rc = rp_bad(r, b->seq, "batch %" PRId64 " (%s): entry %" PRId64
					       " imported %" PRId64 " rows, the store "
					       "holds %" PRId64 ": cases were %s",
				    b->id, b->file ? b->file : "imported before import "
							     "entries existed",
				    b->seq, b->rows, b->seen,
				    b->seen < b->rows ? "deleted" : "added");
			break;
		}
		if (b->legacy)
			continue;
		if (b->pii || b->gold) {
			r->rep->masked_batches += b->pii;
			r->rep->gold_batches += b->gold;
			continue;
		}
		unsigned char h[DK_SHA256_BYTES];
		char hex[65];
		dk_sha256_final(&b->st, h);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		if (strcmp(hex, b->digest))
			rc = rp_bad(r, b->seq, "batch %" PRId64 " (%s): its cases differ "
					       "from what entry %" PRId64 " imported (a "
					       "prediction, confidence, probability, "
					       "context or personal field, text or "
					       "gold label was edited)%s%s",
				    b->id, b->file, b->seq,
				    r->route_batch == b->id ? "; first sign: " : "",
				    r->route_batch == b->id ? r->route_problem : "");
		r->rep->batches++;
	}
	if (!rc && r->route_problem[0])
		rc = rp_bad(r, 0, "%s", r->route_problem);
	return rc;
}

int replay_verify(store *s, replay_report *rep, dk_error *err)
{
	memset(rep, 0, sizeof *rep);
	if (sodium_init() < 0)
		return dk_fail(err, "libsodium cannot initialise");
	struct rp r = {.s = s, .rep = rep, .err = err, .now = clock_now_ms()};
	if (store_begin_read(s, err))
		return DK_ERR;
	int rc = rp_walk(&r);
	if (!rc && !r.started)
		goto out; /* no init entry: nothing to compare with */
	r.hidden = store_engine(s) == STORE_POSTGRES && !rp_gold_readable(&r);
	if (!rc)
		rc = rp_check_meta(&r);
	if (!rc)
		rc = rp_check_reviewers(&r);
	if (!rc)
		rc = rp_check_models(&r);
	if (!rc)
		rc = rp_check_exports(&r);
	if (!rc)
		rc = rp_check_batches(&r);
	if (!rc)
		rc = rp_check_cases(&r);
out:
	store_rollback(s);
	rp_free(&r);
	return rc;
}

/* ---- the init entry ---------------------------------------------------- */

int replay_init(store *s, dk_error *err)
{
	if (sodium_init() < 0)
		return dk_fail(err, "libsodium cannot initialise");
	unsigned char raw[16];
	char id[33];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(id, sizeof id, raw, sizeof raw);
	int64_t head;
	char hash[65];
	if (audit_head(s, &head, hash, err))
		return DK_ERR;
	sbuf d = {0};
	int rc = DK_ERR;
	/* The same JSON from both engines: PostgreSQL's builders, minified
	 * as SQLite writes it (dk_json_min, pg_schema.c). */
	static const char init_lite[] =
		"SELECT json_object("
		" 'reviewers', (SELECT json_group_array(json_object('name', name,"
		"   'role', role)) FROM (SELECT name, role FROM reviewers ORDER BY id)),"
		" 'auto_add', json(CASE WHEN (SELECT value FROM meta"
		"   WHERE key = 'auto_add_reviewers') = 'on' THEN 'true' ELSE 'false' END),"
		" 'reasons', (SELECT json(value) FROM meta"
		"   WHERE key = 'reason_codes' AND json_valid(value)),"
		" 'exports', (SELECT json_group_array(json_object('name', name,"
		"   'last_seq', last_seq, 'audit_seq', audit_seq, 'filters',"
		"   CASE WHEN json_valid(filters) THEN json(filters) END))"
		"   FROM exports),"
		" 'batches', (SELECT json_group_array(json_array(id, rows))"
		"   FROM (SELECT id, rows FROM batches ORDER BY id)))";
	static const char init_pg[] =
		"SELECT dk_json_min(json_build_object("
		" 'reviewers', (SELECT coalesce(json_agg(json_build_object('name', name,"
		"   'role', role) ORDER BY id), '[]') FROM reviewers),"
		" 'auto_add', (SELECT value FROM meta"
		"   WHERE key = 'auto_add_reviewers') IS NOT DISTINCT FROM 'on',"
		" 'reasons', (SELECT value::json FROM meta"
		"   WHERE key = 'reason_codes' AND json_valid(value)),"
		" 'exports', (SELECT coalesce(json_agg(json_build_object('name', name,"
		"   'last_seq', last_seq, 'audit_seq', audit_seq, 'filters',"
		"   CASE WHEN json_valid(filters) THEN filters::json END)), '[]')"
		"   FROM exports),"
		" 'batches', (SELECT coalesce(json_agg(json_build_array(id, rows)"
		"   ORDER BY id), '[]') FROM batches))::text)";
	db_stmt *st = store_stmt(
		s, store_engine(s) == STORE_POSTGRES ? init_pg : init_lite, err);
	if (!st)
		goto out;
	if (db_step(st) != DB_ROW) {
		store_done(st);
		store_fail(s, err, "reading the store for its init entry");
		goto out;
	}
	const char *obj = (const char *)db_col_text(st, 0);
	sbuf_printf(&d, "{\"store_id\":\"%s\",\"legacy_entries\":%" PRId64 ",", id,
		    head);
	sbuf_add(&d, obj + 1, strlen(obj) - 2); /* the members, without {} */
	store_done(st);
	sbuf_adds(&d, ",\"models\":[");
	static const char models_lite[] =
		"SELECT m.name, m.audit_salt, m.policy_version,"
		" (SELECT json_group_array(json_object('version', version, 'policy',"
		"   json(policy))) FROM (SELECT version, policy FROM policies"
		"   WHERE model_id = m.id AND json_valid(policy) ORDER BY version))"
		" FROM models m ORDER BY m.id";
	static const char models_pg[] =
		"SELECT m.name, m.audit_salt, m.policy_version,"
		" (SELECT dk_json_min(coalesce(json_agg(json_build_object("
		"   'version', version, 'policy', policy::json) ORDER BY version),"
		"   '[]')::text) FROM policies"
		"   WHERE model_id = m.id AND json_valid(policy))"
		" FROM models m ORDER BY m.id";
	st = store_stmt(
		s, store_engine(s) == STORE_POSTGRES ? models_pg : models_lite, err);
	if (!st)
		goto out;
	int n = 0, step;
	while ((step = db_step(st)) == DB_ROW) {
		const char *name = (const char *)db_col_text(st, 0);
		const char *salt = (const char *)db_col_text(st, 1);
		char h[65];
		audit_sha256_hex(salt ? salt : "", salt ? strlen(salt) : 0, h);
		sbuf_adds(&d, n++ ? ",{\"name\":" : "{\"name\":");
		sbuf_add_json_str(&d, name, strlen(name));
		sbuf_printf(&d, ",\"salt_sha256\":\"%s\",\"policy_version\":%lld,"
				"\"policies\":%s}",
			    h, (long long)db_col_int64(st, 2),
			    (const char *)db_col_text(st, 3));
	}
	store_done(st);
	if (step != DB_DONE) {
		store_fail(s, err, "reading models for the init entry");
		goto out;
	}
	sbuf_adds(&d, "]}");
	if (store_meta_set(s, "store_id", id, err))
		goto out;
	audit_entry e = {.reviewer = dk_login_name(), .action = ACTION_INIT,
			 .seconds = NAN, .detail = sbuf_str(&d)};
	rc = audit_append(s, &e, NULL, NULL, err);
out:
	sbuf_free(&d);
	return rc;
}
