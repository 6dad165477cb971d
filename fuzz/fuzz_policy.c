/* fuzz_policy.c: libFuzzer target for routing policies: the stored JSON
 * (policy_from_json) and the `docket policy` option values
 * (policy_parse_unit for --threshold and the other rules, policy_set_label
 * for --label-threshold LABEL=X). Byte 0 picks: even, the rest is policy
 * JSON; odd, the rest is lines "OPTION VALUE" applied one by one to a
 * stored policy. Properties:
 *  - a refusal says why, and a refused option leaves the policy as it was;
 *  - what parses (or results from the options) passes policy_check, has
 *    distinct, non-empty labels, and written back with policy_to_json parses
 *    to the same JSON (nothing lost or invented);
 *  - an accepted --label-threshold L=X leaves L with threshold X (L= removes
 *    L), and an accepted rule value is in [0,1];
 *  - policy_route runs on it and routes to a known state;
 *  - a gold case is queued, under "gold_routing":"as-rule" for as many
 *    reviewers as the same case routed without its gold label (else one),
 *    reads to a reviewer (policy_reason_shown) as that case when a rule
 *    routes it, and sorts as it does; else reads "spot check" with an
 *    urgency in [0, t). */
#include "fuzz_util.h"

#include <math.h>

#include "docket/policy.h"

static void check_policy(store *s, const policy *p)
{
	dk_error err = {{0}};
	FUZZ_CHECK(policy_check(p, &err) == DK_OK, "policy fails its check: %s", err.msg);
	FUZZ_CHECK(p->nlabels <= POLICY_MAX_LABELS, "%zu labels", p->nlabels);
	for (size_t i = 0; i < p->nlabels; i++) {
		FUZZ_CHECK(p->labels[i].label[0], "label %zu is empty", i);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(p->labels[i].label, p->labels[j].label),
				   "label '%s' twice", p->labels[i].label);
	}
	sbuf a = {0}, b = {0};
	policy_to_json(p, &a);
	policy q;
	FUZZ_CHECK(policy_from_json(s, sbuf_str(&a), &q, &err) == DK_OK,
		   "written policy does not parse: %s\n%s", sbuf_str(&a), err.msg);
	policy_to_json(&q, &b);
	FUZZ_CHECK(!strcmp(sbuf_str(&a), sbuf_str(&b)), "round trip differs:\n%s\n%s",
		   sbuf_str(&a), sbuf_str(&b));
	sbuf_free(&a);
	sbuf_free(&b);
	policy_decision d;
	const char *label = p->nlabels ? p->labels[0].label : "good";
	policy_route(p, "salt", "id-1", label, 0.7, 0.4, 0.6, NULL, &d);
	FUZZ_CHECK(d.state && (!strcmp(d.state, CASE_QUEUED) || !strcmp(d.state, CASE_AUTO)),
		   "routed to %s", d.state ? d.state : "NULL");
	FUZZ_CHECK(d.reviews_needed == 1 || d.reviews_needed == 2, "reviews %d",
		   d.reviews_needed);
	for (int k = 0; k < 3; k++) {
		static const double conf[] = {0.7, 0.05, 0.999};
		policy_decision n, g;
		policy_route(p, "salt", "id-2", label, conf[k], 0.4, 0.6, NULL, &n);
		policy_route(p, "salt", "id-2", label, conf[k], 0.4, 0.6, "x", &g);
		const char *shown = policy_reason_shown(g.text);
		int want = p->gold_routing != POLICY_GOLD_AS_RULE ? 1
			   : policy_draw("double", "salt", "id-2") < p->double_rate ? 2 : 1;
		FUZZ_CHECK(!strcmp(g.state, CASE_QUEUED) && g.reviews_needed == want &&
				   !strncmp(g.text, ROUTE_GOLD_TEXT, strlen(ROUTE_GOLD_TEXT)),
			   "gold routed as %s, '%s', %d", g.state, g.text, g.reviews_needed);
		if (n.reason)
			FUZZ_CHECK(g.reviews_needed == n.reviews_needed ||
					   p->gold_routing != POLICY_GOLD_AS_RULE,
				   "gold for %d reviewers, the same case for %d",
				   g.reviews_needed, n.reviews_needed);
		if (p->gold_routing == POLICY_GOLD_AS_RULE && n.reason &&
		    strcmp(n.reason, ROUTE_AUDIT))
			FUZZ_CHECK(!strcmp(shown, n.text) && g.urgency == n.urgency,
				   "gold reads '%s' (%g), the same case without it '%s' (%g)",
				   shown, g.urgency, n.text, n.urgency);
		else
			FUZZ_CHECK(!strcmp(shown, ROUTE_SPOT_TEXT) && g.urgency >= 0 &&
					   g.urgency < 1,
				   "gold reads '%s' (%g)", shown, g.urgency);
	}
}

static const policy *find_label(const policy *p, const char *label, size_t len, size_t *k)
{
	for (*k = 0; *k < p->nlabels; ++*k)
		if (strlen(p->labels[*k].label) == len && !memcmp(p->labels[*k].label, label, len))
			return p;
	return NULL;
}

static void options(store *s, char *text)
{
	policy p;
	dk_error err = {{0}};
	FUZZ_CHECK(policy_from_json(s, "{\"threshold\":0.8,\"label_thresholds\":"
				       "{\"bad\":0.9,\"maybe\":0.5},\"margin\":0.1}",
				    &p, &err) == DK_OK, "%s", err.msg);
	for (char *save = NULL, *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');
		if (!sp)
			continue;
		*sp = '\0';
		const char *opt = line, *val = sp + 1;
		policy before = p;
		if (!strcmp(opt, "label")) {
			memset(&err, 0, sizeof err);
			int rc = policy_set_label(&p, val, &err);
			if (rc != DK_OK) {
				FUZZ_CHECK(rc == DK_USAGE && err.msg[0], "rc %d without a message", rc);
				FUZZ_CHECK(!memcmp(&before, &p, sizeof p),
					   "refused --label-threshold '%s' changed the policy", val);
				continue;
			}
			const char *eq = strchr(val, '=');
			size_t k;
			int found = find_label(&p, val, (size_t)(eq - val), &k) != NULL;
			if (!eq[1]) {
				FUZZ_CHECK(!found, "'%s' did not remove the label", val);
			} else {
				double x;
				FUZZ_CHECK(!policy_parse_unit(eq + 1, &x) && found &&
						   p.labels[k].threshold == x,
					   "'%s' did not set the label", val);
			}
		} else {
			double x = -1;
			if (policy_parse_unit(val, &x))
				continue;
			FUZZ_CHECK(x >= 0 && x <= 1 && !signbit(x), "value '%s' read as %g", val, x);
			if (!strcmp(opt, "threshold"))
				p.threshold = x;
			else if (!strcmp(opt, "margin"))
				p.margin = x;
			else if (!strcmp(opt, "entropy"))
				p.entropy = x;
			else if (!strcmp(opt, "audit-rate"))
				p.audit_rate = x;
			else if (!strcmp(opt, "double-rate"))
				p.double_rate = x;
		}
		check_policy(s, &p);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	store *s = fuzz_store();
	if (size < 1)
		return 0;
	char *text = fuzz_text(data + 1, size - 1);
	if (data[0] & 1) {
		options(s, text);
	} else {
		policy p;
		dk_error err = {{0}};
		memset(&p, 0xa5, sizeof p); /* parse must set what it reports */
		if (policy_from_json(s, text, &p, &err) == DK_OK)
			check_policy(s, &p);
		else
			FUZZ_CHECK(err.msg[0], "a refusal without a message");
	}
	free(text);
	return 0;
}
