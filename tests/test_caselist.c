/* test_caselist.c: `docket cases` in the core: each filter lists exactly
 * the matching cases, in the documented order, and every filtered listing
 * seeks an index rather than scanning cases. */
#include "fixture.h"

#include "docket/caselist.h"
#include "docket/queue.h"

struct seen {
	char ids[16][16];
	char states[16][12];
	int n;
};

static int collect(const struct caselist_row *r, void *ctx)
{
	struct seen *s = ctx;
	if (s->n < 16) {
		snprintf(s->ids[s->n], sizeof s->ids[0], "%s", r->ext_id);
		snprintf(s->states[s->n], sizeof s->states[0], "%s", r->state);
	}
	s->n++;
	return DK_OK;
}

static struct seen list(store *s, struct caselist_filter f)
{
	struct seen out = {0};
	dk_error err = {{0}};
	if (caselist_each(s, &f, collect, &out, &err) != DK_OK)
		fail_msg("caselist_each: %s", err.msg);
	return out;
}

/* Two models: m (queued q1..q3 with priorities, auto a1, escalated e1,
 * done d1 and d2 decided in reverse order) and n (queued n1). */
static void seed(store *s)
{
	int64_t m = fixture_model(s, "m", "[\"yes\",\"no\"]");
	fixture_case(s, m, "q1", "yes", 0.6, "queued", 0, 0.6, 1);
	fixture_case(s, m, "q2", "yes", 0.5, "queued", 2, 0.5, 1);
	fixture_case(s, m, "a1", "yes", 0.99, "auto", 0, 0.99, 1);
	fixture_case(s, m, "q3", "no", 0.55, "queued", 0, 0.55, 1);
	fixture_case(s, m, "e1", "no", 0.52, "escalated", 0, 0.52, 1);
	fixture_case(s, m, "d1", "no", 0.7, "done", 0, 0.7, 1);
	fixture_case(s, m, "d2", "no", 0.7, "done", 0, 0.7, 1);
	int64_t n = fixture_model(s, "n", "[\"yes\",\"no\"]");
	fixture_case(s, n, "n1", "no", 0.51, "queued", 0, 0.51, 1);
	dk_error err = {{0}};
	assert_int_equal(store_exec(s,
		"UPDATE cases SET final_label = 'no', final_seq = 2, decided_at = 5"
		" WHERE ext_id = 'd1';"
		"UPDATE cases SET final_label = 'yes', final_seq = 1, decided_at = 4"
		" WHERE ext_id = 'd2';"
		"UPDATE cases SET route_reason = 'audit sample' WHERE ext_id = 'q3';"
		"UPDATE cases SET route_reason = 'confidence 0.52 < 0.8' WHERE ext_id = 'e1';"
		"UPDATE batches SET imported_at = 1000 WHERE id = 2;", &err), DK_OK);
}

static void caselist_each__filters__list_exactly_in_order(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	struct seen s = list(f->s, (struct caselist_filter){0});
	assert_int_equal(s.n, 8); /* everything, by id */
	assert_string_equal(s.ids[0], "q1");
	assert_string_equal(s.ids[7], "n1");
	/* queued: claim order (priority, then urgency), across models */
	s = list(f->s, (struct caselist_filter){.state = CASE_QUEUED});
	assert_int_equal(s.n, 4);
	assert_string_equal(s.ids[0], "q2");
	assert_string_equal(s.ids[1], "n1");
	assert_string_equal(s.ids[2], "q3");
	assert_string_equal(s.ids[3], "q1");
	s = list(f->s, (struct caselist_filter){.state = CASE_QUEUED, .model = "m"});
	assert_int_equal(s.n, 3);
	s = list(f->s, (struct caselist_filter){.state = CASE_QUEUED, .limit = 2});
	assert_int_equal(s.n, 2);
	/* done: in the order they got their final label */
	s = list(f->s, (struct caselist_filter){.state = CASE_DONE});
	assert_int_equal(s.n, 2);
	assert_string_equal(s.ids[0], "d2");
	assert_string_equal(s.ids[1], "d1");
	s = list(f->s, (struct caselist_filter){.state = CASE_ESCALATED});
	assert_int_equal(s.n, 1);
	assert_string_equal(s.ids[0], "e1");
	s = list(f->s, (struct caselist_filter){.state = CASE_AUTO});
	assert_int_equal(s.n, 1);
	assert_string_equal(s.ids[0], "a1");
	/* reason codes match the first word, not a prefix of it */
	s = list(f->s, (struct caselist_filter){.reason = "audit"});
	assert_int_equal(s.n, 1);
	assert_string_equal(s.ids[0], "q3");
	s = list(f->s, (struct caselist_filter){.reason = "confidence"});
	assert_int_equal(s.n, 4); /* q1 q2 n1 (fixture) and e1 */
	s = list(f->s, (struct caselist_filter){.reason = "conf"});
	assert_int_equal(s.n, 0);
	/* imported since: only model n's batch */
	s = list(f->s, (struct caselist_filter){.has_since = 1, .since_ms = 1000});
	assert_int_equal(s.n, 1);
	assert_string_equal(s.ids[0], "n1");
}

static void caselist_each__reviewer__held_and_decided(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	dk_error err = {{0}};
	assert_int_equal(queue_reviewer_add(f->s, "ann", ROLE_REVIEWER, dk_login_name(),
					    &err), DK_OK);
	queue_case qc = {0};
	assert_int_equal(queue_claim(f->s, "ann", NULL, &qc, &err), DK_OK);
	assert_string_equal(qc.ext_id, "q2");
	queue_case_free(&qc);
	struct seen s = list(f->s, (struct caselist_filter){.reviewer = "ann"});
	assert_int_equal(s.n, 1);
	assert_string_equal(s.ids[0], "q2");
	assert_string_equal(s.states[0], "held");
	s = list(f->s, (struct caselist_filter){.state = CASE_HELD});
	assert_int_equal(s.n, 1);
	/* an unknown reviewer or model is an error naming it */
	struct caselist_filter bad = {.reviewer = "bob"};
	struct seen none = {0};
	assert_int_equal(caselist_each(f->s, &bad, collect, &none, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "no reviewer 'bob'"));
	bad = (struct caselist_filter){.model = "zz"};
	assert_int_equal(caselist_each(f->s, &bad, collect, &none, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "no model 'zz'"));
	bad = (struct caselist_filter){.state = "gone"};
	assert_int_equal(caselist_each(f->s, &bad, collect, &none, &err), DK_USAGE);
	/* a listing never writes, even with auto-add on */
	assert_int_equal(queue_set_auto_add(f->s, 1, dk_login_name(), &err), DK_OK);
	bad = (struct caselist_filter){.reviewer = "carl"};
	assert_int_equal(caselist_each(f->s, &bad, collect, &none, &err), DK_ERR);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM reviewers WHERE name = 'carl'"), 0);
}

/* A plan step that reads all of cases: "SCAN c" with no partial index
 * (walking cases_queue_model or cases_waiting reads only the cases in
 * them). */
static int scans_cases(const char *plan)
{
	for (const char *p = plan; (p = strstr(p, "SCAN c")); p++) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		char line[200];
		snprintf(line, sizeof line, "%.*s", (int)n, p);
		if (!strstr(line, "cases_queue") && !strstr(line, "cases_waiting") &&
		    !strstr(line, "cases_final"))
			return 1;
	}
	return 0;
}

static void caselist_explain__filtered__never_scans_cases(void **state)
{
	struct fixture *f = *state;
	const char *states[] = {CASE_QUEUED, CASE_HELD, CASE_ESCALATED,
				CASE_DISPUTED, CASE_DONE, CASE_AUTO};
	dk_error err = {{0}};
	if (store_engine(f->s) == STORE_POSTGRES) {
		/* no Seq Scan with them priced out (fixture_plan_start) */
		static const char *const big[] = {"cases", "leases", "reviews", NULL};
		char line[200];
		fixture_plan_start(f->s);
		for (size_t i = 0; i <= sizeof states / sizeof *states; i++) {
			sbuf plan = {0};
			struct caselist_filter fl = {.state = i < 6 ? states[i] : NULL,
						     .reviewer = i < 6 ? NULL : "ann"};
			assert_int_equal(caselist_explain(f->s, &fl, &plan, &err), DK_OK);
			if (fixture_pg_seq_scan(sbuf_str(&plan), big, line, sizeof line))
				fail_msg("filter %zu scans: %s\n%s", i, line, sbuf_str(&plan));
			sbuf_free(&plan);
		}
		fixture_plan_end(f->s);
		return;
	}
	for (size_t i = 0; i < sizeof states / sizeof *states; i++) {
		sbuf plan = {0};
		struct caselist_filter fl = {.state = states[i]};
		assert_int_equal(caselist_explain(f->s, &fl, &plan, &err), DK_OK);
		if (scans_cases(sbuf_str(&plan)))
			fail_msg("--state %s scans cases:\n%s", states[i], sbuf_str(&plan));
		/* the queue is merged from its index's walks, never sorted */
		if (!strcmp(states[i], CASE_QUEUED) &&
		    (strstr(sbuf_str(&plan), "TEMP B-TREE FOR ORDER BY") ||
		     !strstr(sbuf_str(&plan), "cases_queue_model")))
			fail_msg("--state queued sorts:\n%s", sbuf_str(&plan));
		sbuf_free(&plan);
	}
	sbuf plan = {0};
	struct caselist_filter fl = {.reviewer = "ann"};
	assert_int_equal(caselist_explain(f->s, &fl, &plan, &err), DK_OK);
	if (scans_cases(sbuf_str(&plan)))
		fail_msg("--reviewer scans cases:\n%s", sbuf_str(&plan));
	sbuf_free(&plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
		T(caselist_each__filters__list_exactly_in_order),
		T(caselist_each__reviewer__held_and_decided),
		T(caselist_explain__filtered__never_scans_cases),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
