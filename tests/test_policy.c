/* test_policy.c: each routing rule, deterministic sampling, the stored JSON
 * form, and re-routing undecided cases when a policy changes. */
#include "fixture.h"

#include <math.h>

#include "docket/clock.h"
#include "docket/policy.h"
#include "docket/queue.h"

static policy_decision route(const policy *p, const char *id, const char *pred,
			     double conf, double margin, double entropy,
			     const char *gold)
{
	policy_decision d;
	policy_route(p, "salt", id, pred, conf, margin, entropy, gold, &d);
	return d;
}

static void policy_route__confidence_below_threshold__queued(void **state)
{
	(void)state;
	policy p;
	policy_default(&p);
	policy_decision d = route(&p, "a", "yes", 0.79, NAN, NAN, NULL);
	assert_string_equal(d.state, CASE_QUEUED);
	assert_string_equal(d.reason, ROUTE_CONFIDENCE);
	assert_string_equal(d.text, "confidence 0.79 < 0.80");
	assert_true(d.urgency == 0.79);
	assert_int_equal(d.reviews_needed, 1);
	d = route(&p, "a", "yes", 0.8, NAN, NAN, NULL);
	assert_string_equal(d.state, CASE_AUTO);
	assert_null(d.reason);
}

static void policy_route__label_threshold__replaces_overall(void **state)
{
	(void)state;
	policy p;
	policy_default(&p);
	p.nlabels = 1;
	snprintf(p.labels[0].label, sizeof p.labels[0].label, "fraud");
	p.labels[0].threshold = 0.95;
	policy_decision d = route(&p, "a", "fraud", 0.9, NAN, NAN, NULL);
	assert_string_equal(d.reason, ROUTE_LABEL);
	assert_string_equal(d.text, "label-threshold 0.90 < 0.95 (label fraud)");
	d = route(&p, "a", "ok", 0.9, NAN, NAN, NULL);
	assert_string_equal(d.state, CASE_AUTO);
	p.labels[0].threshold = 0.5; /* a lower bar for a label works too */
	d = route(&p, "a", "fraud", 0.6, NAN, NAN, NULL);
	assert_string_equal(d.state, CASE_AUTO);
}

/* The route text gives each number as many digits as tell it from the
 * bound, whichever bound (per label, overall, margin, entropy) the case
 * before it was compared with, and a bound that differs in its last bit
 * only (routing keeps each bound's text between cases). */
static void policy_route__text__each_bound_its_own_digits(void **state)
{
	(void)state;
	policy p;
	policy_default(&p);
	p.threshold = 0.8;
	p.margin = 0.25;
	p.entropy = 0.75;
	p.nlabels = 2;
	snprintf(p.labels[0].label, sizeof p.labels[0].label, "fraud");
	p.labels[0].threshold = 0.95;
	snprintf(p.labels[1].label, sizeof p.labels[1].label, "fine");
	p.labels[1].threshold = 0.7;
	for (int round = 0; round < 2; round++) {
		policy_decision d = route(&p, "a", "fraud", 0.9, NAN, NAN, NULL);
		assert_string_equal(d.text, "label-threshold 0.90 < 0.95 (label fraud)");
		d = route(&p, "a", "fine", 0.69999, NAN, NAN, NULL);
		assert_string_equal(d.text, "label-threshold 0.69999 < 0.70000 (label fine)");
		d = route(&p, "a", "fraud", 0.949, NAN, NAN, NULL);
		assert_string_equal(d.text, "label-threshold 0.949 < 0.950 (label fraud)");
		d = route(&p, "a", "other", 0.79, NAN, NAN, NULL);
		assert_string_equal(d.text, "confidence 0.79 < 0.80");
		d = route(&p, "a", "other", 0.85, 0.2499, 0.1, NULL);
		assert_string_equal(d.text, "margin 0.2499 < 0.2500");
		d = route(&p, "a", "other", 0.85, 0.5, 0.751, NULL);
		assert_string_equal(d.text, "entropy 0.751 > 0.750");
		d = route(&p, "a", "other", 0.7999999999999999, NAN, NAN, NULL);
		assert_string_equal(d.text, "confidence 0.7999999999999999 < 0.8000000000000000");
	}
	/* a bound one bit above the last: its own text */
	p.threshold = nextafter(0.8, 1);
	policy_decision d = route(&p, "a", "other", 0.8, NAN, NAN, NULL);
	assert_string_equal(d.text, "confidence 0.8000000000000000 < 0.8000000000000002");
}

static void policy_route__margin_and_entropy__only_with_probs(void **state)
{
	(void)state;
	policy p;
	policy_default(&p);
	p.threshold = 0.5;
	p.margin = 0.2;
	policy_decision d = route(&p, "a", "x", 0.55, 0.1, 0.99, NULL);
	assert_string_equal(d.reason, ROUTE_MARGIN);
	assert_true(d.urgency == 0.1); /* ordered by margin */
	d = route(&p, "a", "x", 0.55, NAN, NAN, NULL); /* no p: columns */
	assert_string_equal(d.state, CASE_AUTO);
	p.margin = 0;
	p.entropy = 0.9;
	d = route(&p, "a", "x", 0.55, 0.1, 0.95, NULL);
	assert_string_equal(d.reason, ROUTE_ENTROPY);
	d = route(&p, "a", "x", 0.55, 0.1, 0.85, NULL);
	assert_string_equal(d.state, CASE_AUTO);
}

static void policy_route__gold__always_routed(void **state)
{
	(void)state;
	policy p;
	policy_default(&p);
	p.threshold = 0;
	policy_decision d = route(&p, "g", "yes", 0.99, NAN, NAN, "no");
	assert_string_equal(d.state, CASE_QUEUED);
	assert_string_equal(d.reason, ROUTE_GOLD);
	d = route(&p, "g", "yes", 0.99, NAN, NAN, "");
	assert_string_equal(d.state, CASE_AUTO);
}

/* A gold case a rule would route anyway reads (after the prefix reviewers
 * are not shown) and sorts as that rule's case: each rule; drawn for two
 * reviewers as that case is. */
static void policy_route__gold_as_rule__reads_and_sorts_as_its_rule(void **state)
{
	(void)state;
	policy p;
	policy_new(&p);
	p.threshold = 0.6;
	p.double_rate = 1;
	policy_decision d = route(&p, "g", "yes", 0.41, NAN, NAN, "no");
	assert_string_equal(d.state, CASE_QUEUED);
	assert_string_equal(d.reason, ROUTE_GOLD);
	assert_string_equal(d.text, "gold check; confidence 0.41 < 0.60");
	assert_true(d.urgency == 0.41);
	assert_int_equal(d.reviews_needed, 2);
	assert_string_equal(policy_reason_shown(d.text), "confidence 0.41 < 0.60");
	p.nlabels = 1;
	snprintf(p.labels[0].label, sizeof p.labels[0].label, "yes");
	p.labels[0].threshold = 0.95;
	d = route(&p, "g", "yes", 0.9, NAN, NAN, "no");
	assert_string_equal(d.text, "gold check; label-threshold 0.90 < 0.95 (label yes)");
	assert_true(d.urgency == 0.9);
	p.nlabels = 0;
	p.margin = 0.2;
	d = route(&p, "g", "yes", 0.7, 0.15, 0.5, "no");
	assert_string_equal(d.text, "gold check; margin 0.15 < 0.20");
	assert_true(d.urgency == 0.15);
	p.margin = 0;
	p.entropy = 0.4;
	d = route(&p, "g", "yes", 0.7, 0.5, 0.45, "no");
	assert_string_equal(d.text, "gold check; entropy 0.45 > 0.40");
	assert_true(d.urgency == 0.7);
	p.double_rate = 0;
	d = route(&p, "g", "yes", 0.7, 0.5, 0.45, "no");
	assert_int_equal(d.reviews_needed, 1);
}

/* A gold case no rule routes (left to the model, or drawn for the audit
 * sample) reads "gold check" and is spread over [0, t) by its own draw, as
 * every gold case was under a policy from before gold_routing. */
static void policy_route__gold_spread__when_no_rule_or_old_policy(void **state)
{
	(void)state;
	policy p;
	policy_new(&p);
	p.threshold = 0.6;
	double spread = policy_draw("gold", "salt", "g") * 0.6;
	policy_decision d = route(&p, "g", "yes", 0.9, NAN, NAN, "no");
	assert_string_equal(d.state, CASE_QUEUED);
	assert_string_equal(d.text, "gold check");
	assert_true(d.urgency == spread);
	assert_string_equal(policy_reason_shown(d.text), "spot check");
	p.audit_rate = 1; /* drawn for the audit sample: still spread */
	d = route(&p, "g", "yes", 0.9, NAN, NAN, "no");
	assert_string_equal(d.text, "gold check");
	assert_true(d.urgency == spread);
	policy_default(&p); /* the old routing: every gold case spread, for
			      * one reviewer whatever the double rate */
	p.threshold = 0.6;
	p.double_rate = 1;
	assert_int_equal(p.gold_routing, POLICY_GOLD_SPREAD);
	d = route(&p, "g", "yes", 0.41, NAN, NAN, "no");
	assert_string_equal(d.text, "gold check");
	assert_true(d.urgency == spread);
	assert_int_equal(d.reviews_needed, 1);
}

/* Over many cases and policies: what a reviewer reads of a gold case and
 * where it sorts are those of the same case without its gold label, or
 * those of an audit sample ("spot check", urgency in [0, t)). */
static void policy_route__gold_reads_as_without_gold__sweep(void **state)
{
	(void)state;
	policy p;
	policy_new(&p);
	char id[32];
	for (int i = 0; i < 4000; i++) {
		snprintf(id, sizeof id, "c%d", i);
		p.threshold = (i % 7) / 7.0;
		p.margin = (i % 3) * 0.1;
		p.entropy = (i % 5) * 0.2;
		p.audit_rate = (i % 4) * 0.25;
		p.double_rate = (i % 6) * 0.2;
		double conf = (i * 37 % 100) / 100.0, m = (i * 53 % 100) / 100.0;
		double h = (i * 71 % 100) / 100.0;
		policy_decision g = route(&p, id, "yes", conf, m, h, "no");
		policy_decision n = route(&p, id, "yes", conf, m, h, NULL);
		assert_string_equal(g.state, CASE_QUEUED);
		/* drawn for two reviewers as the case is when routed (a spot
		 * check for two would else be an audit sample) */
		int two = policy_draw("double", "salt", id) < p.double_rate;
		assert_int_equal(g.reviews_needed, two ? 2 : 1);
		if (n.reason)
			assert_int_equal(g.reviews_needed, n.reviews_needed);
		assert_non_null(strstr(g.text, "gold check")); /* supervisors */
		if (n.reason && strcmp(n.reason, ROUTE_AUDIT)) {
			assert_string_equal(policy_reason_shown(g.text), n.text);
			assert_true(g.urgency == n.urgency);
		} else {
			assert_string_equal(policy_reason_shown(g.text), "spot check");
			assert_true(g.urgency >= 0 && g.urgency < (p.threshold > 0 ? p.threshold : 1));
		}
	}
}

/* What reviewers read of each stored reason, in C and in the SQL that
 * PostgreSQL's reviewer views use: the same, byte for byte. */
static void policy_reason_shown__c_and_sql_agree(void **state)
{
	struct fixture *f = *state;
	static const char *const cases[][2] = {
		{"gold check; confidence 0.41 < 0.60", "confidence 0.41 < 0.60"},
		{"gold check; label-threshold 0.90 < 0.95 (label ja, née)",
		 "label-threshold 0.90 < 0.95 (label ja, née)"},
		{"gold check", "spot check"},
		{"audit sample", "spot check"},
		{"confidence 0.53 < 0.80", "confidence 0.53 < 0.80"},
		{"margin 0.04 < 0.10", "margin 0.04 < 0.10"},
		{"gold check; ", ""},
		{"gold check;", "gold check;"},
		{"gold checks", "gold checks"},
		{"audit samples", "audit samples"},
		{"spot check", "spot check"},
	};
	dk_error err = {{0}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_string_equal(policy_reason_shown(cases[i][0]), cases[i][1]);
		db_stmt *st = store_stmt(f->s, "SELECT " STORE_REASON_SHOWN_OF("?1"), &err);
		assert_non_null(st);
		db_bind_text(st, 1, cases[i][0], -1, DB_STATIC);
		assert_int_equal(db_step(st), DB_ROW);
		assert_string_equal((const char *)db_col_text(st, 0), cases[i][1]);
		store_done(st);
		/* what a reviewer's view already mapped (PostgreSQL) reads the
		 * same when C maps it again */
		if (i < 6)
			assert_string_equal(policy_reason_shown(cases[i][1]), cases[i][1]);
	}
	assert_string_equal(policy_reason_shown(NULL), "");
}

static void policy_route__audit_sample__deterministic_at_rate(void **state)
{
	(void)state;
	policy p;
	policy_default(&p);
	p.audit_rate = 0.1;
	int hits = 0;
	char id[32];
	for (int i = 0; i < 20000; i++) {
		snprintf(id, sizeof id, "case-%d", i);
		policy_decision d = route(&p, id, "yes", 0.99, NAN, NAN, NULL);
		policy_decision again = route(&p, id, "yes", 0.99, NAN, NAN, NULL);
		assert_string_equal(d.state, again.state); /* same id, same draw */
		if (d.reason) {
			assert_string_equal(d.reason, ROUTE_AUDIT);
			assert_true(d.urgency >= 0 && d.urgency < p.threshold);
			hits++;
		}
	}
	/* 10% of 20000 = 2000; binomial sd ~ 42 */
	assert_in_range(hits, 1800, 2200);
	/* the salt changes which cases are drawn */
	assert_true(policy_draw("audit", "s1", "x") != policy_draw("audit", "s2", "x"));
	assert_true(policy_draw("audit", "s", "x") != policy_draw("double", "s", "x"));
	assert_true(policy_draw("audit", "s", "x") == policy_draw("audit", "s", "x"));
}

static void policy_route__double_rate__two_reviewers(void **state)
{
	(void)state;
	policy p;
	policy_default(&p);
	p.double_rate = 1;
	assert_int_equal(route(&p, "a", "y", 0.1, NAN, NAN, NULL).reviews_needed, 2);
	assert_int_equal(route(&p, "a", "y", 0.9, NAN, NAN, NULL).reviews_needed, 1);
	p.double_rate = 0.5;
	int two = 0;
	char id[32];
	for (int i = 0; i < 2000; i++) {
		snprintf(id, sizeof id, "%d", i);
		two += route(&p, id, "y", 0.1, NAN, NAN, NULL).reviews_needed == 2;
	}
	assert_in_range(two, 900, 1100);
}

static void policy_features__margin_and_normalised_entropy(void **state)
{
	(void)state;
	double m, h;
	double p1[] = {0.5, 0.5};
	policy_features(p1, 2, &m, &h);
	assert_true(fabs(m) < 1e-12 && fabs(h - 1) < 1e-12);
	double p2[] = {0.7, 0.2, 0.1};
	policy_features(p2, 3, &m, &h);
	assert_true(fabs(m - 0.5) < 1e-12);
	double want = -(0.7 * log(0.7) + 0.2 * log(0.2) + 0.1 * log(0.1)) / log(3);
	assert_true(fabs(h - want) < 1e-12);
	double p3[] = {1};
	policy_features(p3, 1, &m, &h);
	assert_true(isnan(m) && isnan(h));
}

static void policy_json__round_trips_and_refuses_unknown_keys(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	policy p, q;
	policy_default(&p);
	p.threshold = 0.7;
	p.margin = 0.15;
	p.audit_rate = 0.02;
	p.nlabels = 1;
	snprintf(p.labels[0].label, sizeof p.labels[0].label, "b\"ad");
	p.labels[0].threshold = 0.9;
	sbuf b = {0};
	policy_to_json(&p, &b);
	assert_int_equal(policy_from_json(f->s, sbuf_str(&b), &q, &err), DK_OK);
	assert_true(q.threshold == 0.7 && q.margin == 0.15 && q.audit_rate == 0.02);
	assert_int_equal(q.nlabels, 1);
	assert_string_equal(q.labels[0].label, "b\"ad");
	sbuf_free(&b);
	assert_int_equal(policy_from_json(f->s, "{\"treshold\":0.5}", &q, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "unknown key 'treshold'"));
	assert_int_equal(policy_from_json(f->s, "{\"threshold\":2}", &q, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "threshold must be between 0 and 1"));
	assert_int_equal(policy_from_json(f->s, "[1]", &q, &err), DK_ERR);
	assert_int_equal(policy_from_json(f->s, "{\"margin\":\"x\"}", &q, &err), DK_ERR);
	assert_int_equal(policy_from_json(f->s, "{\"label_thresholds\":{\"a\":0.1},"
						"\"label_thresholds\":{\"b\":0.2}}",
					  &q, &err),
			 DK_ERR);
	assert_non_null(strstr(err.msg, "key 'label_thresholds' given twice"));
	/* gold routing: recorded by a new policy, absent from an old one */
	assert_int_equal(q.gold_routing, POLICY_GOLD_SPREAD);
	policy_new(&p);
	assert_int_equal(p.gold_routing, POLICY_GOLD_AS_RULE);
	policy_to_json(&p, &b);
	assert_non_null(strstr(sbuf_str(&b), ",\"gold_routing\":\"as-rule\"}"));
	assert_int_equal(policy_from_json(f->s, sbuf_str(&b), &q, &err), DK_OK);
	assert_int_equal(q.gold_routing, POLICY_GOLD_AS_RULE);
	sbuf_free(&b);
	assert_int_equal(policy_from_json(f->s, "{\"threshold\":0.5}", &q, &err), DK_OK);
	assert_int_equal(q.gold_routing, POLICY_GOLD_SPREAD);
	policy_to_json(&q, &b);
	assert_null(strstr(sbuf_str(&b), "gold_routing"));
	sbuf_free(&b);
	static const char *const bad[] = {
		"{\"gold_routing\":\"spread\"}", "{\"gold_routing\":1}",
		"{\"gold_routing\":[\"as-rule\"]}", "{\"gold_routing\":null}"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(policy_from_json(f->s, bad[i], &q, &err), DK_ERR);
		assert_non_null(strstr(err.msg, "'gold_routing' must be \"as-rule\""));
	}
	assert_int_equal(policy_from_json(f->s, "{\"gold_routing\":\"as-rule\","
						"\"gold_routing\":\"as-rule\"}",
					  &q, &err),
			 DK_ERR);
	assert_non_null(strstr(err.msg, "key 'gold_routing' given twice"));
}

static void policy_apply__reroutes_only_undecided_cases(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	store *s = f->s;
	const char *me = dk_login_name();
	clock_set_ms(1700000000000LL);
	int64_t mid = fixture_model(s, "m", "[\"yes\",\"no\"]");
	/* under the default 0.8: */
	fixture_case(s, mid, "q-low", "yes", 0.5, CASE_QUEUED, 0, 0.5, 1);
	fixture_case(s, mid, "q-mid", "yes", 0.75, CASE_QUEUED, 0, 0.75, 1);
	fixture_case(s, mid, "auto-hi", "yes", 0.85, CASE_AUTO, 0, 0.85, 1);
	fixture_case(s, mid, "held", "yes", 0.76, CASE_QUEUED, 9, 0.76, 1);
	fixture_case(s, mid, "decided", "yes", 0.77, CASE_QUEUED, 8, 0.77, 1);
	queue_case c;
	assert_int_equal(queue_claim(s, me, NULL, &c, &err), DK_OK); /* held */
	assert_string_equal(c.ext_id, "held");
	queue_case_free(&c);
	assert_int_equal(queue_claim(s, me, NULL, &c, &err), DK_OK);
	assert_string_equal(c.ext_id, "decided");
	queue_decision d = {.action = ACTION_SKIP, .reason = "other", .seconds = NAN};
	assert_int_equal(queue_decide(s, me, c.case_id, &d, NULL, &err), DK_OK);
	queue_case_free(&c);

	/* a gold case as the built-in default (from before gold_routing)
	 * routed it: spread, whatever its confidence */
	fixture_case(s, mid, "g-low", "yes", 0.5, CASE_QUEUED, 0, 0.3, 1);
	fixture_exec(s, "UPDATE cases SET gold = 'no', route_reason = 'gold check'"
			" WHERE ext_id = 'g-low'");

	policy p;
	assert_int_equal(policy_load(s, mid, &p, &err), DK_OK);
	assert_int_equal(p.version, 1);
	assert_int_equal(p.gold_routing, POLICY_GOLD_SPREAD);
	p.threshold = 0.9;
	policy_reroute rr;
	assert_int_equal(policy_apply(s, mid, &p, me, &rr, &err), DK_OK);
	assert_int_equal(p.version, 2);
	assert_int_equal(rr.examined, 4); /* q-low, q-mid, auto-hi, g-low */
	assert_int_equal(rr.queued, 1);
	/* the new version routes gold as its rule would; the old one is kept
	 * on record as it routed */
	assert_int_equal(p.gold_routing, POLICY_GOLD_AS_RULE);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM cases WHERE ext_id ="
				     " 'g-low' AND state = 'queued' AND urgency = 0.5"
				     " AND route_reason = 'gold check; confidence 0.50 < 0.90'"
				     " AND reviews_needed = 1"), 1);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM policies WHERE"
				     " version = 2 AND policy LIKE '%\"gold_routing\":\"as-rule\"%'"), 1);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM policies WHERE"
				     " version = 1 AND policy NOT LIKE '%gold_routing%'"), 1);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM cases WHERE ext_id ="
				     " 'auto-hi' AND state = 'queued' AND policy_version = 2"
				     " AND route_reason = 'confidence 0.85 < 0.90'"), 1);
	assert_int_equal(fixture_int(s, "SELECT policy_version FROM cases WHERE"
				     " ext_id = 'held'"), 1);
	assert_int_equal(fixture_int(s, "SELECT state = 'held' FROM cases WHERE"
				     " ext_id = 'held'"), 1);
	assert_int_equal(fixture_int(s, "SELECT policy_version FROM cases WHERE"
				     " ext_id = 'decided'"), 1);
	fixture_check_counters(s);

	p.threshold = 0.6;
	assert_int_equal(policy_apply(s, mid, &p, me, &rr, &err), DK_OK);
	assert_int_equal(p.version, 3);
	assert_int_equal(rr.unrouted, 2); /* q-mid, auto-hi */
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM cases WHERE state ="
				     " 'queued'"), 3); /* q-low, g-low, the skipped one */
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM cases WHERE ext_id ="
				     " 'g-low' AND route_reason = 'gold check; confidence"
				     " 0.50 < 0.60'"), 1);
	fixture_check_counters(s);
	/* every version is on record, the default one included */
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM policies"), 3);
	assert_int_equal(fixture_int(s, "SELECT policy_version FROM models"), 3);
	policy back;
	assert_int_equal(policy_load(s, mid, &back, &err), DK_OK);
	assert_true(back.threshold == 0.6 && back.version == 3);
	p.threshold = 0.4; /* no rule routes g-low now: spread again */
	assert_int_equal(policy_apply(s, mid, &p, me, &rr, &err), DK_OK);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM cases WHERE ext_id ="
				     " 'g-low' AND state = 'queued' AND route_reason ="
				     " 'gold check' AND urgency < 0.4"), 1);
	p.threshold = 1.5;
	assert_int_equal(policy_apply(s, mid, &p, me, &rr, &err), DK_USAGE);
	assert_int_equal(fixture_int(s, "SELECT policy_version FROM models"), 4);
	clock_set_ms(-1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(policy_route__confidence_below_threshold__queued),
		cmocka_unit_test(policy_route__label_threshold__replaces_overall),
		cmocka_unit_test(policy_route__text__each_bound_its_own_digits),
		cmocka_unit_test(policy_route__margin_and_entropy__only_with_probs),
		cmocka_unit_test(policy_route__gold__always_routed),
		cmocka_unit_test(policy_route__gold_as_rule__reads_and_sorts_as_its_rule),
		cmocka_unit_test(policy_route__gold_spread__when_no_rule_or_old_policy),
		cmocka_unit_test(policy_route__gold_reads_as_without_gold__sweep),
		cmocka_unit_test_setup_teardown(policy_reason_shown__c_and_sql_agree,
						fixture_setup, fixture_teardown),
		cmocka_unit_test(policy_route__audit_sample__deterministic_at_rate),
		cmocka_unit_test(policy_route__double_rate__two_reviewers),
		cmocka_unit_test(policy_features__margin_and_normalised_entropy),
		cmocka_unit_test_setup_teardown(policy_json__round_trips_and_refuses_unknown_keys,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(policy_apply__reroutes_only_undecided_cases,
						fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
