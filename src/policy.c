/* policy.c: routing policies: the rules, deterministic sampling, the stored
 * JSON form, and re-routing undecided cases when a policy changes. */
#include "docket/policy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "docket/audit.h"
#include "docket/casefeat.h"
#include "docket/casejson.h"
#include "docket/clock.h"

void policy_default(policy *p)
{
	memset(p, 0, sizeof *p);
	p->threshold = 0.8;
	p->gold_routing = POLICY_GOLD_SPREAD;
}

void policy_new(policy *p)
{
	policy_default(p);
	p->gold_routing = POLICY_GOLD_AS_RULE;
}

void policy_new_salt(char salt[33])
{
	unsigned char raw[16];
	if (sodium_init() < 0) {
		fputs("docket: libsodium failed to initialise\n", stderr);
		abort();
	}
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(salt, 33, raw, sizeof raw);
}

void policy_features_start(policy_feat *f)
{
	f->top = f->second = -1;
	f->h = 0;
	f->used = 0;
}

void policy_features_add(policy_feat *f, double v)
{
	if (isnan(v))
		return;
	f->used++;
	if (v > f->top) {
		f->second = f->top;
		f->top = v;
	} else if (v > f->second) {
		f->second = v;
	}
	if (v > 0)
		f->h -= v * log(v);
}

void policy_features_end(const policy_feat *f, double *margin, double *entropy)
{
	if (f->used < 2) {
		*margin = NAN;
		*entropy = NAN;
		return;
	}
	*margin = f->top - f->second;
	*entropy = f->h / log((double)f->used);
}

void policy_features(const double *p, size_t n, double *margin, double *entropy)
{
	policy_feat f;
	policy_features_start(&f);
	for (size_t i = 0; i < n; i++)
		policy_features_add(&f, p[i]);
	policy_features_end(&f, margin, entropy);
}

static void policy_len(crypto_hash_sha256_state *st, const char *v)
{
	size_t n = v ? strlen(v) : 0;
	unsigned char len[8];
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
	crypto_hash_sha256_update(st, len, 8);
	crypto_hash_sha256_update(st, (const unsigned char *)(v ? v : ""), n);
}

double policy_draw(const char *purpose, const char *salt, const char *ext_id)
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&st);
	policy_len(&st, purpose);
	policy_len(&st, salt);
	policy_len(&st, ext_id);
	crypto_hash_sha256_final(&st, h);
	uint64_t x = 0;
	for (int i = 0; i < 8; i++)
		x = (x << 8) | h[i];
	/* 53 bits: exactly representable, in [0,1). */
	return (double)(x >> 11) / 9007199254740992.0;
}

/* "a < b" (or >) with enough digits that the two numbers read differently.
 * b is a bound of the policy, the same for case after case: its text at
 * each precision is kept (per thread) instead of being formatted again for
 * every routed case, which was a third of routing's cost in the import
 * and in verify's check of every case. */
static void policy_cmp_text(char *out, size_t n, const char *code,
			    const char *label, double a, const char *op, double b)
{
	static _Thread_local double kept_b;
	static _Thread_local int kept;
	static _Thread_local char kept_y[18][32]; /* "" until made */
	if (!kept || memcmp(&kept_b, &b, sizeof b)) {
		kept_b = b;
		kept = 1;
		for (int prec = 0; prec < 18; prec++)
			kept_y[prec][0] = '\0';
	}
	char x[32];
	const char *y = "";
	for (int prec = 2; prec <= 17; prec++) {
		if (!kept_y[prec][0])
			snprintf(kept_y[prec], sizeof kept_y[prec], "%.*f", prec, b);
		y = kept_y[prec];
		snprintf(x, sizeof x, "%.*f", prec, a);
		if (strcmp(x, y))
			break;
	}
	if (label)
		snprintf(out, n, "%s %s %s %s (label %s)", code, x, op, y, label);
	else
		snprintf(out, n, "%s %s %s %s", code, x, op, y);
}

/* The rules but gold, into out's reason, text (at most POLICY_RULE_TEXT)
 * and urgency; returns the threshold that applies to the prediction. */
static double policy_rules(const policy *p, const char *salt, const char *ext_id,
			   const char *prediction, double confidence,
			   double margin, double entropy, policy_decision *out)
{
	double t = p->threshold;
	const char *by_label = NULL;
	for (size_t i = 0; i < p->nlabels; i++)
		if (!strcmp(p->labels[i].label, prediction)) {
			t = p->labels[i].threshold;
			by_label = p->labels[i].label;
			break;
		}
	if (confidence < t) {
		out->reason = by_label ? ROUTE_LABEL : ROUTE_CONFIDENCE;
		policy_cmp_text(out->text, POLICY_RULE_TEXT, out->reason, by_label,
				confidence, "<", t);
	} else if (p->margin > 0 && !isnan(margin) && margin < p->margin) {
		out->reason = ROUTE_MARGIN;
		policy_cmp_text(out->text, POLICY_RULE_TEXT, out->reason, NULL,
				margin, "<", p->margin);
		out->urgency = margin;
	} else if (p->entropy > 0 && !isnan(entropy) && entropy > p->entropy) {
		out->reason = ROUTE_ENTROPY;
		policy_cmp_text(out->text, POLICY_RULE_TEXT, out->reason, NULL,
				entropy, ">", p->entropy);
	} else if (p->audit_rate > 0) {
		double d = policy_draw("audit", salt, ext_id);
		if (d < p->audit_rate) {
			/* The audit sample is interleaved with the uncertain
			 * cases (urgency uniform over [0, t)) so it is reviewed
			 * even when the queue is never emptied. */
			out->reason = ROUTE_AUDIT;
			snprintf(out->text, sizeof out->text, ROUTE_AUDIT_TEXT);
			out->urgency = d / p->audit_rate * (t > 0 ? t : 1);
		}
	}
	return t;
}

/* The reviews a routed case needs: 2 when drawn for a double review. */
static int policy_doubled(const policy *p, const char *salt, const char *ext_id)
{
	return p->double_rate > 0 && policy_draw("double", salt, ext_id) < p->double_rate
		       ? 2 : 1;
}

void policy_route(const policy *p, const char *salt, const char *ext_id,
		  const char *prediction, double confidence, double margin,
		  double entropy, const char *gold, policy_decision *out)
{
	out->state = CASE_AUTO;
	out->reason = NULL;
	out->text[0] = '\0';
	out->urgency = confidence;
	out->reviews_needed = 1;
	double t = policy_rules(p, salt, ext_id, prediction, confidence, margin,
				entropy, out);
	if (gold && gold[0]) {
		/* Reviewers see the confidence and know the rules, so a gold
		 * case a rule routes anyway reads and sorts as that rule's case
		 * (its text after ROUTE_GOLD_AS, which reviewers are not
		 * shown). The others are spread evenly over the uncertain part
		 * of the queue, as the audit sample is, rather than all first
		 * or all last. Under POLICY_GOLD_AS_RULE it is drawn for a
		 * double review as any routed case is (a spot check for two
		 * was else an audit sample); before, one reviewer. */
		int as_rule = p->gold_routing == POLICY_GOLD_AS_RULE;
		if (as_rule && out->reason && strcmp(out->reason, ROUTE_AUDIT)) {
			char rule[POLICY_RULE_TEXT];
			memcpy(rule, out->text, sizeof rule);
			snprintf(out->text, sizeof out->text, ROUTE_GOLD_AS "%s", rule);
		} else {
			snprintf(out->text, sizeof out->text, ROUTE_GOLD_TEXT);
			out->urgency = policy_draw("gold", salt, ext_id) * (t > 0 ? t : 1);
		}
		out->reason = ROUTE_GOLD;
		out->state = CASE_QUEUED;
		if (as_rule)
			out->reviews_needed = policy_doubled(p, salt, ext_id);
		return;
	}
	if (!out->reason)
		return;
	out->state = CASE_QUEUED;
	out->reviews_needed = policy_doubled(p, salt, ext_id);
}

static int policy_num(db_stmt *st, int col, const char *key, double *out,
		      dk_error *err)
{
	int t = db_col_type(st, col);
	if (t != DB_INTEGER && t != DB_FLOAT)
		return dk_fail(err, "policy: '%s' must be a number", key);
	*out = db_col_double(st, col);
	if (*out == 0)
		*out = 0; /* -0 would be written back as "-0" (fuzz_policy) */
	return DK_OK;
}

/* "gold_routing": its one value; a policy without the key routes gold as
 * versions before it did (policy_default). */
static int policy_gold_of(db_stmt *st, enum policy_gold *out, dk_error *err)
{
	const char *v = (const char *)db_col_text(st, 1);
	const char *type = (const char *)db_col_text(st, 2);
	if (!v || !type || strcmp(type, "text") || strcmp(v, "as-rule"))
		return dk_fail(err, "policy: 'gold_routing' must be \"as-rule\"");
	*out = POLICY_GOLD_AS_RULE;
	return DK_OK;
}

int policy_from_json(store *s, const char *json, policy *out, dk_error *err)
{
	policy_default(out);
	db_stmt *st = store_stmt(
		s,
		"SELECT j.key, j.value, j.type FROM json_each(?1) j"
		" WHERE json_type(?1) = 'object'",
		err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, json, -1, DB_STATIC);
	int rc = DK_OK, step, n = 0;
	unsigned seen = 0;
	char *labels = NULL;
	while (rc == DK_OK && (step = db_step(st)) == DB_ROW) {
		const char *key = (const char *)db_col_text(st, 0);
		n++;
		/* A key given twice would silently take one of the values
		 * (found by fuzz/fuzz_policy.c: the second label_thresholds
		 * leaked the first). */
		static const char *const keys[] = {"threshold", "margin", "entropy",
						   "audit_rate", "double_rate",
						   "label_thresholds", "gold_routing"};
		for (unsigned k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			if (strcmp(key, keys[k]))
				continue;
			if (seen & (1u << k))
				rc = dk_fail(err, "policy: key '%s' given twice", key);
			seen |= 1u << k;
		}
		if (rc)
			break;
		if (!strcmp(key, "threshold"))
			rc = policy_num(st, 1, key, &out->threshold, err);
		else if (!strcmp(key, "margin"))
			rc = policy_num(st, 1, key, &out->margin, err);
		else if (!strcmp(key, "entropy"))
			rc = policy_num(st, 1, key, &out->entropy, err);
		else if (!strcmp(key, "audit_rate"))
			rc = policy_num(st, 1, key, &out->audit_rate, err);
		else if (!strcmp(key, "double_rate"))
			rc = policy_num(st, 1, key, &out->double_rate, err);
		else if (!strcmp(key, "label_thresholds"))
			labels = dk_xstrdup((const char *)db_col_text(st, 1));
		else if (!strcmp(key, "gold_routing"))
			rc = policy_gold_of(st, &out->gold_routing, err);
		else
			rc = dk_fail(err, "policy: unknown key '%s'", key);
	}
	store_done(st);
	if (rc == DK_OK && n == 0)
		rc = dk_fail(err, "policy: not a JSON object: %.80s", json);
	if (rc == DK_OK && labels) {
		st = store_stmt(s,
				"SELECT j.key, j.value, j.type FROM json_each(?1) j"
				" WHERE json_type(?1) = 'object'",
				err);
		if (!st) {
			free(labels);
			return DK_ERR;
		}
		db_bind_text(st, 1, labels, -1, DB_STATIC);
		/* JSON taken apart in memory: a failed read shows as no label */
		while (rc == DK_OK && db_step(st) == DB_ROW) {
			const char *label = (const char *)db_col_text(st, 0);
			if (out->nlabels == POLICY_MAX_LABELS ||
			    strlen(label) >= sizeof out->labels[0].label) {
				rc = dk_fail(err, "policy: too many or too long labels "
						  "in label_thresholds");
				break;
			}
			/* Twice would keep both, the first one winning; an
			 * empty label is no prediction (found by
			 * fuzz/fuzz_policy.c). */
			if (!label[0])
				rc = dk_fail(err, "policy: an empty label in "
						  "label_thresholds");
			for (size_t i = 0; i < out->nlabels && rc == DK_OK; i++)
				if (!strcmp(out->labels[i].label, label))
					rc = dk_fail(err, "policy: label '%s' given twice "
							  "in label_thresholds", label);
			if (rc)
				break;
			snprintf(out->labels[out->nlabels].label,
				 sizeof out->labels[0].label, "%s", label);
			rc = policy_num(st, 1, "label_thresholds",
					&out->labels[out->nlabels].threshold, err);
			out->nlabels++;
		}
		store_done(st);
	}
	free(labels);
	if (rc == DK_OK)
		rc = policy_check(out, err) ? DK_ERR : DK_OK;
	return rc;
}

void policy_to_json(const policy *p, sbuf *b)
{
	sbuf_adds(b, "{\"threshold\":");
	sbuf_add_json_num(b, p->threshold);
	sbuf_adds(b, ",\"label_thresholds\":{");
	for (size_t i = 0; i < p->nlabels; i++) {
		if (i)
			sbuf_addc(b, ',');
		sbuf_add_json_str(b, p->labels[i].label, strlen(p->labels[i].label));
		sbuf_addc(b, ':');
		sbuf_add_json_num(b, p->labels[i].threshold);
	}
	sbuf_adds(b, "},\"margin\":");
	sbuf_add_json_num(b, p->margin);
	sbuf_adds(b, ",\"entropy\":");
	sbuf_add_json_num(b, p->entropy);
	sbuf_adds(b, ",\"audit_rate\":");
	sbuf_add_json_num(b, p->audit_rate);
	sbuf_adds(b, ",\"double_rate\":");
	sbuf_add_json_num(b, p->double_rate);
	if (p->gold_routing == POLICY_GOLD_AS_RULE)
		sbuf_adds(b, ",\"gold_routing\":\"as-rule\"");
	sbuf_addc(b, '}');
}

int policy_parse_unit(const char *text, double *out)
{
	double v;
	if (dk_parse_double(text, strlen(text), &v) || !(v >= 0 && v <= 1))
		return 1;
	*out = v == 0 ? 0 : v; /* no -0: it would be written back as "-0" */
	return 0;
}

int policy_set_label(policy *p, const char *arg, dk_error *err)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg) {
		dk_fail(err, "--label-threshold '%s': expected LABEL=X", arg);
		return DK_USAGE;
	}
	size_t len = (size_t)(eq - arg), k;
	for (k = 0; k < p->nlabels; k++)
		if (strlen(p->labels[k].label) == len && !memcmp(p->labels[k].label, arg, len))
			break;
	if (!eq[1]) { /* LABEL= removes it */
		if (k < p->nlabels)
			p->labels[k] = p->labels[--p->nlabels];
		return DK_OK;
	}
	double x;
	if (policy_parse_unit(eq + 1, &x)) {
		dk_fail(err, "--label-threshold '%s': expected a number between 0 and 1",
			arg);
		return DK_USAGE;
	}
	if (len >= sizeof p->labels[0].label) {
		dk_fail(err, "--label-threshold: label too long (at most %zu bytes)",
			sizeof p->labels[0].label - 1);
		return DK_USAGE;
	}
	if (k == p->nlabels) {
		if (p->nlabels == POLICY_MAX_LABELS) {
			dk_fail(err, "--label-threshold: too many labels (at most %d)",
				POLICY_MAX_LABELS);
			return DK_USAGE;
		}
		memcpy(p->labels[k].label, arg, len);
		p->labels[k].label[len] = '\0';
		p->nlabels++;
	}
	p->labels[k].threshold = x;
	return DK_OK;
}

static int policy_unit(double v, const char *name, dk_error *err)
{
	if (!(v >= 0 && v <= 1))
		return dk_fail(err, "policy: %s must be between 0 and 1 (got %g)",
			       name, v);
	return DK_OK;
}

int policy_check(const policy *p, dk_error *err)
{
	if (policy_unit(p->threshold, "threshold", err) ||
	    policy_unit(p->margin, "margin", err) ||
	    policy_unit(p->entropy, "entropy", err) ||
	    policy_unit(p->audit_rate, "audit rate", err) ||
	    policy_unit(p->double_rate, "double-review rate", err))
		return DK_USAGE;
	for (size_t i = 0; i < p->nlabels; i++) {
		char what[160];
		snprintf(what, sizeof what, "the threshold of label '%s'",
			 p->labels[i].label);
		if (policy_unit(p->labels[i].threshold, what, err))
			return DK_USAGE;
	}
	return DK_OK;
}

int policy_load(store *s, int64_t model_id, policy *out, dk_error *err)
{
	db_stmt *st = store_stmt(
		s,
		"SELECT m.policy_version, p.policy FROM models m"
		" LEFT JOIN policies p ON p.model_id = m.id"
		"  AND p.version = m.policy_version WHERE m.id = ?1",
		err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, model_id);
	int step = db_step(st);
	if (step != DB_ROW) {
		store_done(st);
		if (step == DB_DONE)
			return dk_fail(err, "%s: no model with id %lld", store_path(s),
				       (long long)model_id);
		return store_fail(s, err, "reading the policy");
	}
	int64_t version = db_col_int64(st, 0);
	char *json = db_col_type(st, 1) == DB_NULL
			     ? NULL
			     : dk_xstrdup((const char *)db_col_text(st, 1));
	store_done(st);
	int rc = DK_OK;
	if (json)
		rc = policy_from_json(s, json, out, err);
	else
		policy_default(out);
	free(json);
	out->version = version;
	return rc;
}

/* Store p as version of model_id (policies row set_by `by`) with its audit
 * entry by actor: the policy in force at each moment is in the log. */
static int policy_store_version(store *s, int64_t model_id, int64_t version,
				const policy *p, const char *by,
				const char *actor, dk_error *err)
{
	sbuf b = {0}, d = {0};
	policy_to_json(p, &b);
	int rc = DK_ERR;
	db_stmt *st = store_stmt(
		s,
		"INSERT INTO policies(model_id, version, policy, set_by, set_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5)",
		err);
	if (!st)
		goto out;
	db_bind_int64(st, 1, model_id);
	db_bind_int64(st, 2, version);
	db_bind_text(st, 3, sbuf_str(&b), -1, DB_STATIC);
	db_bind_text(st, 4, by, -1, DB_STATIC);
	db_bind_int64(st, 5, clock_now_ms());
	int step = db_step(st);
	store_done(st);
	if (step != DB_DONE) {
		store_fail(s, err, "storing the policy");
		goto out;
	}
	st = store_stmt(s, "SELECT name FROM models WHERE id = ?1", err);
	if (!st)
		goto out;
	db_bind_int64(st, 1, model_id);
	if (db_step(st) == DB_ROW) {
		const char *name = (const char *)db_col_text(st, 0);
		sbuf_adds(&d, "{\"model\":");
		sbuf_add_json_str(&d, name, strlen(name));
		sbuf_printf(&d, ",\"version\":%lld,\"policy\":%s}", (long long)version,
			    sbuf_str(&b));
	}
	if (store_done(st) != DB_OK || !d.len) {
		store_fail(s, err, "reading the model");
		goto out;
	}
	audit_entry e = {.reviewer = actor, .action = ACTION_POLICY,
			 .seconds = NAN, .detail = sbuf_str(&d)};
	rc = audit_append(s, &e, NULL, NULL, err);
out:
	sbuf_free(&b);
	sbuf_free(&d);
	return rc;
}

/* One undecided case read for re-routing. */
struct policy_row {
	int64_t id;
	char *ext_id, *prediction, *gold, *reason;
	double confidence, margin, entropy, urgency;
	int queued, reviews_needed;
	policy_decision d; /* how p routes it */
};

static double col_num_or_nan(db_stmt *st, int i)
{
	return db_col_type(st, i) == DB_NULL ? NAN
							 : db_col_double(st, i);
}

static char *col_dup(db_stmt *st, int i)
{
	return db_col_type(st, i) == DB_NULL
		       ? NULL
		       : dk_xstrdup((const char *)db_col_text(st, i));
}

#define POLICY_CHUNK 4096

/* One re-routed case of a chunk, as an element of the JSON array that
 * policy_update_pg sends: the urgency as a string, which reads back as
 * the same double and may be NaN (policy_same_urgency). */
static void policy_update_add(sbuf *b, int64_t id, const policy_decision *d)
{
	sbuf_addc(b, b->len ? ',' : '[');
	sbuf_printf(b, "{\"id\":%lld,\"state\":", (long long)id);
	sbuf_add_json_str(b, d->state, strlen(d->state));
	sbuf_adds(b, ",\"reason\":");
	if (d->reason)
		sbuf_add_json_str(b, d->text, strlen(d->text));
	else
		sbuf_adds(b, "null");
	if (isnan(d->urgency))
		sbuf_adds(b, ",\"urgency\":\"NaN\"");
	else if (isinf(d->urgency))
		sbuf_adds(b, d->urgency > 0 ? ",\"urgency\":\"Infinity\""
					    : ",\"urgency\":\"-Infinity\"");
	else
		sbuf_printf(b, ",\"urgency\":\"%.17g\"", d->urgency);
	sbuf_printf(b, ",\"rn\":%d}", d->reviews_needed);
}

/* SQLite: one re-routed case (in-process, a statement a case costs
 * little); *done is 1 when it was still queued or auto and is changed. */
static int policy_update_one(store *s, int64_t id, const policy_decision *d,
			     int64_t version, int *done, dk_error *err)
{
	db_stmt *up = store_stmt(s,
				 "UPDATE cases SET state = ?2, route_reason = ?3,"
				 " urgency = ?4, reviews_needed = ?5,"
				 " policy_version = ?6 WHERE id = ?1"
				 " AND state IN ('queued', 'auto') RETURNING id",
				 err);
	if (!up)
		return DK_ERR;
	db_bind_int64(up, 1, id);
	db_bind_text(up, 2, d->state, -1, DB_STATIC);
	if (d->reason)
		db_bind_text(up, 3, d->text, -1, DB_STATIC);
	db_bind_double(up, 4, d->urgency);
	db_bind_int(up, 5, d->reviews_needed);
	db_bind_int64(up, 6, version);
	int step = db_step(up);
	*done = step == DB_ROW;
	int rc = step == DB_ROW || step == DB_DONE
			 ? DK_OK
			 : store_fail(s, err, "re-routing a case");
	store_done(up);
	return rc;
}

/* PostgreSQL: what a re-route moved between queued and auto, counted in
 * C (policy_update_pg) and added to the counters once, at its end. The
 * counters' per-row trigger skips a case whose policy version changes
 * with its state (pg_schema.c, revision 9): a row trigger adding to one
 * counter row again and again in one transaction leaves a version of it
 * each time, which the next one walks: 2048 changed states took 0.6 s,
 * 32768 took 46 s, 65536 took 165 s. */
struct policy_moves {
	int64_t queued, automatic; /* the change in each state's count */
};

/* 1 when urgencies a and b are the same, a NaN the same as a NaN, as
 * PostgreSQL's float equality has it (the store's "unchanged"). No route
 * gives a NaN from a case docket stored (a margin route needs a margin),
 * but a confidence set to 'NaN' in SQL on PostgreSQL does (SQLite holds
 * no NaN: it stores NULL, which the columns refuse); with ==, such a case
 * counted as changed by every re-route. */
static int policy_same_urgency(double a, double b)
{
	return a == b || (isnan(a) && isnan(b));
}

/* What re-routing r (as r->d) changed, added to rr and mv; was_queued:
 * its state when it was changed. Only cases the UPDATE changed are
 * counted: on PostgreSQL a case read for the chunk may be claimed before
 * the UPDATE locks it, and is left alone. */
static void policy_count(policy_reroute *rr, struct policy_moves *mv,
			 const struct policy_row *r, int was_queued)
{
	const policy_decision *d = &r->d;
	int now_queued = !strcmp(d->state, CASE_QUEUED);
	int same_reason = (!d->reason && !r->reason) ||
			  (d->reason && r->reason && !strcmp(d->text, r->reason));
	rr->examined++;
	if (now_queued && !was_queued)
		rr->queued++;
	if (!now_queued && was_queued)
		rr->unrouted++;
	if (now_queued != was_queued || !same_reason ||
	    !policy_same_urgency(d->urgency, r->urgency) ||
	    d->reviews_needed != r->reviews_needed)
		rr->changed++;
	if (now_queued != was_queued) {
		mv->queued += now_queued ? 1 : -1;
		mv->automatic += now_queued ? -1 : 1;
	}
}

static int policy_row_cmp(const void *key, const void *elem)
{
	int64_t id = *(const int64_t *)key;
	int64_t rid = ((const struct policy_row *)elem)->id;
	return id < rid ? -1 : id > rid;
}

/* PostgreSQL: a chunk's re-routed cases (rows[0..n), in id order) in one
 * statement. One UPDATE a case, as on SQLite, is a round trip each: a
 * re-route of 200k cases took 72 to 115 s, of 1M more than 10 minutes.
 * Only cases still queued or auto are changed, locked first: a reviewer
 * may claim one of the chunk after it was read (claims do not take the
 * store's writer lock), and it stays held. The cases it changed, as the
 * UPDATE returns them, are counted (policy_count). */
static int policy_update_pg(store *s, sbuf *b, int64_t version,
			    struct policy_row *rows, int n, policy_reroute *rr,
			    struct policy_moves *mv, dk_error *err)
{
	if (!b->len)
		return DK_OK;
	sbuf_addc(b, ']');
	db_stmt *up = store_stmt(
		s,
		"WITH v AS (SELECT * FROM json_to_recordset(CAST(?1 AS json))"
		"  AS v(id bigint, state text, reason text,"
		"  urgency double precision, rn integer)),"
		" o AS (SELECT c.id, c.state FROM cases c JOIN v ON v.id = c.id"
		"  WHERE c.state IN ('queued', 'auto') FOR UPDATE OF c)"
		" UPDATE cases c SET state = v.state, route_reason = v.reason,"
		"  urgency = v.urgency, reviews_needed = v.rn, policy_version = ?2"
		"  FROM v, o WHERE c.id = v.id AND o.id = v.id"
		"  RETURNING c.id, o.state = 'queued'",
		err);
	if (!up)
		return DK_ERR;
	db_bind_text(up, 1, b->buf, (int)b->len, DB_STATIC);
	db_bind_int64(up, 2, version);
	int step;
	while ((step = db_step(up)) == DB_ROW) {
		int64_t id = db_col_int64(up, 0);
		const struct policy_row *r =
			bsearch(&id, rows, (size_t)n, sizeof *rows, policy_row_cmp);
		if (r)
			policy_count(rr, mv, r, db_col_int(up, 1));
	}
	int rc = step == DB_DONE ? DK_OK : store_fail(s, err, "re-routing cases");
	store_done(up);
	sbuf_reset(b);
	return rc;
}

/* PostgreSQL: mv added to model_id's counters, queued first (the order
 * every transaction locks the counter rows in: pg_schema.c). */
static int policy_count_moves(store *s, int64_t model_id,
			      const struct policy_moves *mv, dk_error *err)
{
	if (mv->queued && store_counter_add(s, model_id, CASE_QUEUED, mv->queued, err))
		return DK_ERR;
	if (mv->automatic &&
	    store_counter_add(s, model_id, CASE_AUTO, mv->automatic, err))
		return DK_ERR;
	return DK_OK;
}

/* Re-route model_id's undecided cases with p, in chunks of ids so no
 * statement reads the table while another writes it. */
static int policy_reroute_cases(store *s, int64_t model_id, const policy *p,
				const char *salt, policy_reroute *rr, dk_error *err)
{
	struct policy_row *rows = dk_xmalloc(sizeof *rows * POLICY_CHUNK);
	casejson_keys keys = {0};
	int64_t last = 0;
	int rc = DK_OK;
	int pg = store_engine(s) == STORE_POSTGRES;
	sbuf batch = {0}; /* policy_update_add */
	struct policy_moves mv = {0};
	for (;;) {
		db_stmt *st = store_stmt(
			s,
			"SELECT id, ext_id, prediction, confidence, margin, entropy,"
			" gold, state = 'queued', route_reason, urgency, reviews_needed,"
			" probs, (SELECT prob_keys FROM batches b"
			"  WHERE b.id = cases.batch_id)"
			" FROM cases WHERE model_id = ?1 AND id > ?2"
			" AND state IN ('queued', 'auto')"
			" AND NOT EXISTS (SELECT 1 FROM decisions d"
			"  WHERE d.case_id = cases.id)"
			" ORDER BY id LIMIT ?3",
			err);
		if (!st) {
			rc = DK_ERR;
			break;
		}
		db_bind_int64(st, 1, model_id);
		db_bind_int64(st, 2, last);
		db_bind_int(st, 3, POLICY_CHUNK);
		int n = 0, step, bad = 0;
		while (!bad && (step = db_step(st)) == DB_ROW) {
			struct policy_row *r = &rows[n++];
			r->id = db_col_int64(st, 0);
			r->ext_id = col_dup(st, 1);
			r->prediction = col_dup(st, 2);
			r->confidence = db_col_double(st, 3);
			r->margin = col_num_or_nan(st, 4);
			r->entropy = col_num_or_nan(st, 5);
			r->gold = col_dup(st, 6);
			r->queued = db_col_int(st, 7);
			r->reason = col_dup(st, 8);
			r->urgency = db_col_double(st, 9);
			r->reviews_needed = db_col_int(st, 10);
			/* not stored since schema 8: from the probabilities */
			const char *pv = (const char *)db_col_text(st, 11);
			const char *pk = (const char *)db_col_text(st, 12);
			if (db_col_type(st, 4) == DB_NULL && db_col_type(st, 5) == DB_NULL &&
			    (casejson_keys_set(&keys, pk, pk ? (size_t)db_col_bytes(st, 12) : 0) ||
			     casefeat_get(&keys, pv, pv ? (size_t)db_col_bytes(st, 11) : 0,
					       &r->margin, &r->entropy) < 0))
				bad = 1;
		}
		store_done(st);
		if (bad)
			rc = dk_fail(err, "%s: case %s: malformed probabilities JSON "
					  "in the store",
				     store_path(s), rows[n - 1].ext_id);
		else if (step != DB_DONE)
			rc = store_fail(s, err, "reading cases to re-route");
		for (int i = 0; i < n && rc == DK_OK; i++) {
			struct policy_row *r = &rows[i];
			policy_route(p, salt, r->ext_id, r->prediction,
				     r->confidence, r->margin, r->entropy,
				     r->gold, &r->d);
			int done = 0;
			if (pg)
				policy_update_add(&batch, r->id, &r->d);
			else if (!(rc = policy_update_one(s, r->id, &r->d,
							  p->version, &done, err)) &&
				 done)
				policy_count(rr, &mv, r, r->queued);
		}
		if (rc == DK_OK && pg)
			rc = policy_update_pg(s, &batch, p->version, rows, n, rr,
					      &mv, err);
		if (n)
			last = rows[n - 1].id;
		for (int i = 0; i < n; i++) {
			free(rows[i].ext_id);
			free(rows[i].prediction);
			free(rows[i].gold);
			free(rows[i].reason);
		}
		if (rc != DK_OK || n < POLICY_CHUNK)
			break;
	}
	if (rc == DK_OK && pg)
		rc = policy_count_moves(s, model_id, &mv, err);
	sbuf_free(&batch);
	casejson_keys_free(&keys);
	free(rows);
	return rc;
}

static int policy_apply_once(store *s, int64_t model_id, policy *p,
			     const char *by, policy_reroute *rr, dk_error *err)
{
	memset(rr, 0, sizeof *rr);
	if (store_begin_write(s, err))
		return DK_ERR;
	policy cur;
	char *salt = NULL;
	int rc = policy_load(s, model_id, &cur, err);
	if (rc)
		goto fail;
	db_stmt *st = store_stmt(
		s,
		"SELECT m.audit_salt, (SELECT max(version) FROM policies"
		"  WHERE model_id = m.id),"
		" EXISTS (SELECT 1 FROM policies WHERE model_id = m.id"
		"  AND version = m.policy_version)"
		" FROM models m WHERE m.id = ?1",
		err);
	if (!st) {
		rc = DK_ERR;
		goto fail;
	}
	db_bind_int64(st, 1, model_id);
	int64_t maxv = 0;
	int stored = 0;
	if (db_step(st) == DB_ROW) {
		salt = col_dup(st, 0);
		maxv = db_col_int64(st, 1);
		stored = db_col_int(st, 2);
	}
	if (store_done(st) != DB_OK) {
		free(salt);
		salt = NULL;
	}
	if (!salt) {
		rc = store_fail(s, err, "reading the model");
		goto fail;
	}
	if (cur.version > maxv)
		maxv = cur.version;
	p->version = maxv + 1;
	/* The cases first, the log's entries last: on PostgreSQL an entry
	 * takes the chain lock, held to the commit, and every decision waits
	 * for it (a re-route of 100k cases held it for 12 to 28 s); and a
	 * re-route waiting, under the lock, for a case a decider had just
	 * claimed while that decider waited for the lock would close a
	 * cycle. */
	if ((rc = policy_reroute_cases(s, model_id, p, salt, rr, err)))
		goto fail;
	/* The version cases were routed by so far is kept on record even when
	 * it was the built-in default. */
	if (!stored &&
	    (rc = policy_store_version(s, model_id, cur.version, &cur, "default",
				       by, err)))
		goto fail;
	if ((rc = policy_store_version(s, model_id, p->version, p, by, by, err)))
		goto fail;
	st = store_stmt(s, "UPDATE models SET policy_version = ?2 WHERE id = ?1",
			err);
	if (!st) {
		rc = DK_ERR;
		goto fail;
	}
	db_bind_int64(st, 1, model_id);
	db_bind_int64(st, 2, p->version);
	if (db_step(st) != DB_DONE) {
		store_done(st);
		rc = store_fail(s, err, "updating the model");
		goto fail;
	}
	store_done(st);
	if ((rc = store_commit(s, err)))
		goto fail;
	free(salt);
	return DK_OK;
fail:
	store_rollback(s);
	free(salt);
	return rc ? rc : DK_ERR;
}

int policy_apply(store *s, int64_t model_id, policy *p, const char *by,
		 policy_reroute *rr, dk_error *err)
{
	policy_reroute local;
	if (!rr)
		rr = &local;
	memset(rr, 0, sizeof *rr);
	if (policy_check(p, err))
		return DK_USAGE;
	/* Every new version routes gold the current way: the versions before
	 * it keep theirs, so verify re-derives their cases as they were. */
	p->gold_routing = POLICY_GOLD_AS_RULE;
	/* The re-route locks cases that claims and decisions lock too, and
	 * sessions outside docket may hold them in any order: the server may
	 * pick it as a deadlock's victim, rolled back whole, nothing printed
	 * yet. It runs again, reading afresh (store_retry). */
	int rc, tries = 0;
	do
		rc = policy_apply_once(s, model_id, p, by, rr, err);
	while (rc == DK_ERR && store_retry(s, &tries));
	return rc;
}

/* (store.h's STORE_REASON_SHOWN_OF is the same mapping in SQL, which
 * reviewers read on both engines: test_policy and test_queue compare the
 * two on every form) */
const char *policy_reason_shown(const char *reason)
{
	if (!reason)
		return "";
	if (!strncmp(reason, ROUTE_GOLD_AS, strlen(ROUTE_GOLD_AS)))
		return reason + strlen(ROUTE_GOLD_AS);
	if (!strcmp(reason, ROUTE_GOLD_TEXT) || !strcmp(reason, ROUTE_AUDIT_TEXT))
		return ROUTE_SPOT_TEXT;
	return reason;
}
