/* policy.h: a model's routing policy (versioned JSON in the policies table):
 * which predictions go to a person, why, in what order, and by how many. */
#ifndef DOCKET_POLICY_H
#define DOCKET_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "docket/store.h"
#include "docket/util.h"

/* Route reasons, as stored in cases.route_reason and shown to reviewers.
 * A case that no rule routes is left in state auto with reason NULL. */
#define ROUTE_GOLD "gold"               /* a gold check (always routed) */
#define ROUTE_CONFIDENCE "confidence"   /* confidence < threshold */
#define ROUTE_LABEL "label-threshold"   /* confidence < its label's threshold */
#define ROUTE_MARGIN "margin"           /* top-two p: margin < margin */
#define ROUTE_ENTROPY "entropy"         /* normalised entropy > entropy */
#define ROUTE_AUDIT "audit"             /* confident, drawn for the audit sample */

/* The stored texts of a gold check and an audit sample, and the start of a
 * gold check a rule would have routed anyway ("gold check; confidence
 * 0.41 < 0.60"): the rule's own text follows it. */
#define ROUTE_GOLD_TEXT "gold check"
#define ROUTE_AUDIT_TEXT "audit sample"
#define ROUTE_GOLD_AS "gold check; "
/* What a reviewer reads for a gold check or an audit sample. */
#define ROUTE_SPOT_TEXT "spot check"

/* How a policy version routes gold cases, as its JSON records it
 * ("gold_routing"): versions from before it was recorded hold no key. */
enum policy_gold {
	/* (no key) urgency drawn over [0, t), reason "gold check" */
	POLICY_GOLD_SPREAD = 0,
	/* "as-rule": as the case would be routed without its gold label when
	 * a rule (not the audit draw) routes it, else as POLICY_GOLD_SPREAD */
	POLICY_GOLD_AS_RULE = 1,
};

/* A rule's routing text is at most this long (with its NUL); a gold check
 * a rule routes is ROUTE_GOLD_AS then that text. */
#define POLICY_RULE_TEXT 160

#define POLICY_MAX_LABELS 64

/* One version of a model's policy. Rules that are off hold 0 (margin,
 * entropy, rates) so a default policy is "confidence < 0.8, nothing else". */
typedef struct policy {
	int64_t version;    /* policies.version; 0 = built-in default, not stored */
	double threshold;   /* route when confidence < threshold; [0,1] */
	double margin;      /* route when margin < margin (needs p:); 0 = off */
	double entropy;     /* route when entropy > entropy (needs p:); 0 = off */
	double audit_rate;  /* share of otherwise unrouted cases sent to review */
	double double_rate; /* share of routed cases that need two reviewers */
	enum policy_gold gold_routing; /* POLICY_GOLD_SPREAD when not recorded */
	size_t nlabels;     /* per-label thresholds, replacing `threshold` for
			     * predictions of that label */
	struct {
		char label[128];
		double threshold;
	} labels[POLICY_MAX_LABELS];
} policy;

/* What policy_route decided for one prediction. reason points to one of the
 * ROUTE_* literals (static) or is NULL when the case is not routed. */
typedef struct policy_decision {
	const char *state;  /* CASE_QUEUED or CASE_AUTO (static) */
	const char *reason; /* ROUTE_* or NULL */
	char text[sizeof ROUTE_GOLD_AS - 1 + POLICY_RULE_TEXT];
			    /* what cases.route_reason stores: the ROUTE_* code
			     * first, then the figures ("confidence 0.53 <
			     * 0.8", "margin 0.04 < 0.1", "gold check",
			     * "gold check; confidence 0.41 < 0.60", "audit
			     * sample"); "" when not routed */
	double urgency;     /* queue order within a priority: lower first */
	int reviews_needed; /* 1, or 2 for a double review */
} policy_decision;

/* The routing reason as a reviewer may see it (screen, `docket next`, the
 * queue list, `docket cases`), so reviewers cannot tell which cases are
 * gold: "gold check; X" reads X (the rule that would have routed it
 * anyway), "gold check" and "audit sample" both read "spot check", other
 * reasons as stored (store.h's STORE_REASON_SHOWN_OF is the same in SQL).
 * Returns reason itself, a pointer into it, or a static string; "" for
 * NULL. */
const char *policy_reason_shown(const char *reason);

/* The built-in default policy (version 0, from before policies were
 * stored): threshold 0.8, other rules off, gold spread (POLICY_GOLD_SPREAD).
 * policy_new is a new model's first policy: the same with gold routed as
 * a rule would route it (POLICY_GOLD_AS_RULE). */
void policy_default(policy *p);
void policy_new(policy *p);

/* Margin (top probability minus second) and entropy of a probability vector
 * p[0..n), normalised to [0,1] by log(n) (0 when n < 2). Import uses this so
 * the stored margin/entropy columns mean what the policy rules expect.
 * NaN entries are ignored; returns NaN margin/entropy when n < 2. */
void policy_features(const double *p, size_t n, double *margin, double *entropy);

/* The same, one probability at a time (policy_features is these three):
 * readers that compute the features from a stored case's probabilities
 * (casejson_features) get the very doubles the import routed with. */
typedef struct policy_feat {
	double top, second, h;
	size_t used;
} policy_feat;
void policy_features_start(policy_feat *f);
void policy_features_add(policy_feat *f, double v);
void policy_features_end(const policy_feat *f, double *margin, double *entropy);

/* Route one prediction. Pure and cheap (no store access): import calls it per
 * row with a policy loaded once per import. salt is the model's audit_salt;
 * ext_id the case id as imported (the audit and double-review draws are a
 * SHA-256 of salt and ext_id, so the same case always draws the same way).
 * margin and entropy are NaN when the row had no p: columns; gold is NULL
 * when the row has no gold label. Rules in order: gold, label threshold (or
 * overall threshold), margin, entropy, audit sample. A gold case is always
 * queued for one reviewer; under POLICY_GOLD_AS_RULE a case that a rule
 * (not the audit draw) would route without its gold label keeps that rule's
 * text (after ROUTE_GOLD_AS) and urgency, so it reads and sorts as that
 * case would; otherwise it reads "gold check", its urgency drawn uniform
 * over [0, t) as an audit sample's is. */
void policy_route(const policy *p, const char *salt, const char *ext_id,
		  const char *prediction, double confidence, double margin,
		  double entropy, const char *gold, policy_decision *out);

/* The deterministic draw in [0,1) used for sampling: SHA-256 over
 * (purpose, salt, ext_id), length-prefixed. purpose is "audit" or "double". */
double policy_draw(const char *purpose, const char *salt, const char *ext_id);

/* A fresh random per-model audit salt (32 hex digits + NUL) for
 * models.audit_salt, from libsodium's randombytes. */
void policy_new_salt(char salt[33]);

/* Parse a policy from its stored JSON (as written by policy_to_json).
 * Unknown keys are refused so a typo cannot silently turn a rule off.
 * Uses the store's SQLite JSON functions. No "gold_routing" key is
 * POLICY_GOLD_SPREAD (how versions before it routed gold); its one value is
 * "as-rule". Returns DK_OK or DK_ERR. */
int policy_from_json(store *s, const char *json, policy *out, dk_error *err);

/* Append p as one JSON object to b (keys: threshold, label_thresholds,
 * margin, entropy, audit_rate, double_rate, and "gold_routing":"as-rule"
 * under POLICY_GOLD_AS_RULE only: a policy from before it keeps its JSON). */
void policy_to_json(const policy *p, sbuf *b);

/* A rule's value as `docket policy` takes it (--threshold X and the like):
 * a plain number in [0,1]. Returns 0 and sets *out, or 1. */
int policy_parse_unit(const char *text, double *out);

/* Apply one `--label-threshold LABEL=X` to p: X sets LABEL's threshold
 * (adding the label), an empty X removes it. Returns DK_OK, or DK_USAGE
 * with a message (no '=', an empty or too long label, X not in [0,1], too
 * many labels); p is unchanged then. */
int policy_set_label(policy *p, const char *arg, dk_error *err);

/* Check ranges (all in [0,1]); DK_USAGE with a message naming the field. */
int policy_check(const policy *p, dk_error *err);

/* Load the current policy of model_id (models.policy_version) into out;
 * the built-in default when the model has no stored policy. */
int policy_load(store *s, int64_t model_id, policy *out, dk_error *err);

/* Counts of what a policy_apply re-route changed: of the cases it wrote,
 * not those it read (on PostgreSQL a case claimed after the re-route read
 * it is left alone, and not counted). */
typedef struct policy_reroute {
	int64_t examined;  /* undecided cases re-routed */
	int64_t queued;    /* auto -> queued */
	int64_t unrouted;  /* queued -> auto */
	int64_t changed;   /* any routing field changed (incl. the two above) */
} policy_reroute;

/* Store p as the next version of model_id's policy, set by `by` (who must be
 * a supervisor; checked by the caller through queue_role), and re-route the
 * model's undecided cases (state queued or auto with no decision in the
 * log; held, escalated, disputed, done and any case with a decision are
 * never touched), all in one write transaction. The new version routes
 * gold as POLICY_GOLD_AS_RULE, whatever p held. Counters stay right (the
 * state trigger). p->version is set to the new version. Reports changes in
 * *rr (may be NULL). This reads every case of the model: it is a batch
 * command, not an interactive path. */
int policy_apply(store *s, int64_t model_id, policy *p, const char *by,
		 policy_reroute *rr, dk_error *err);

#endif
