/* test_queue.c: claim order, leases and fencing under a fixed clock, every
 * action and undo, double review, skip cool-down, roles, counters. */
#include "fixture.h"

#include <math.h>

#include "docket/audit.h"
#include "docket/clock.h"
#include "docket/policy.h"
#include "docket/queue.h"

#define T0 1700000000000LL

/* A store with reviewers ann, bob (reviewers) and sue (supervisor), a
 * model "m" with labels yes/no, and the clock fixed at T0. */
static int setup(void **state)
{
	clock_set_ms(T0); /* before the store's init entry: times never fall */
	fixture_setup(state);
	struct fixture *f = *state;
	dk_error err = {{0}};
	const char *me = dk_login_name();
	assert_int_equal(queue_reviewer_add(f->s, "ann", ROLE_REVIEWER, me, &err), DK_OK);
	assert_int_equal(queue_reviewer_add(f->s, "bob", ROLE_REVIEWER, me, &err), DK_OK);
	assert_int_equal(queue_reviewer_add(f->s, "sue", ROLE_SUPERVISOR, me, &err), DK_OK);
	fixture_model(f->s, "m", "[\"yes\",\"no\"]");
	fixture_log_reset(f->s); /* decisions are numbered from 1 below */
	return 0;
}

static int teardown(void **state)
{
	clock_set_ms(-1);
	return fixture_teardown(state);
}

static int64_t add(struct fixture *f, const char *id, int priority, double urgency)
{
	return fixture_case(f->s, 1, id, "yes", urgency, CASE_QUEUED, priority,
			    urgency, 1);
}

static char *claim(struct fixture *f, const char *who, int64_t *token)
{
	queue_case c;
	dk_error err = {{0}};
	int rc = queue_claim(f->s, who, NULL, &c, &err);
	if (rc == DK_EMPTY)
		return NULL;
	if (rc != DK_OK)
		fail_msg("claim: %s", err.msg);
	char *id = strdup(c.ext_id);
	if (token)
		*token = c.lease_token;
	queue_case_free(&c);
	return id;
}

static int decide(struct fixture *f, const char *who, const char *id,
		  const char *action, const char *label, const char *reason,
		  int64_t token, dk_error *err)
{
	int64_t cid;
	assert_int_equal(queue_find(f->s, id, NULL, &cid, err), DK_OK);
	queue_decision d = {.action = action, .label = label, .reason = reason,
			    .seconds = 2.5, .token = token};
	return queue_decide(f->s, who, cid, &d, NULL, err);
}

static int amend(struct fixture *f, const char *who, const char *id,
		 const char *action, const char *label, const char *reason,
		 queue_outcome *o, dk_error *err)
{
	int64_t cid;
	assert_int_equal(queue_find(f->s, id, NULL, &cid, err), DK_OK);
	queue_decision d = {.action = action, .label = label, .reason = reason,
			    .seconds = 1.5};
	return queue_amend(f->s, who, cid, &d, o, err);
}

static char *text_of(struct fixture *f, const char *sql)
{
	char *v = fixture_text(f->s, sql);
	return v ? v : strdup("(null)");
}

static void expect_text(struct fixture *f, const char *sql, const char *want)
{
	char *got = text_of(f, sql);
	if (strcmp(got, want))
		fail_msg("%s\n got:  %s\n want: %s", sql, got, want);
	free(got);
}

static void expect_claim(struct fixture *f, const char *who, const char *want)
{
	char *got = claim(f, who, NULL);
	if (!want) {
		if (got)
			fail_msg("%s claimed %s, expected nothing", who, got);
		return;
	}
	if (!got)
		fail_msg("%s claimed nothing, expected %s", who, want);
	assert_string_equal(got, want);
	free(got);
}

static const char *state_of(struct fixture *f, const char *id)
{
	static char buf[32];
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT state FROM cases WHERE ext_id = '%s'", id);
	char *v = fixture_text(f->s, sql);
	assert_non_null(v);
	snprintf(buf, sizeof buf, "%s", v);
	free(v);
	return buf;
}

static void verify_ok(struct fixture *f)
{
	audit_report rep;
	dk_error err = {{0}};
	if (audit_verify(f->s, NULL, &rep, &err) != DK_OK)
		fail_msg("verify: %s", err.msg);
	if (queue_check_states(f->s, NULL, &err) != DK_OK)
		fail_msg("states: %s", err.msg);
	fixture_check_counters(f->s);
}

static void queue_claim__takes__priority_then_urgency_then_id(void **state)
{
	struct fixture *f = *state;
	add(f, "low-unsure", 0, 0.1);
	add(f, "high-sure", 5, 0.9);
	add(f, "high-unsure-b", 5, 0.3);
	add(f, "high-unsure-a", 5, 0.3);
	expect_claim(f, "ann", "high-unsure-b"); /* same urgency: older id first */
	expect_claim(f, "ann", "high-unsure-a");
	expect_claim(f, "bob", "high-sure");
	expect_claim(f, "bob", "low-unsure");
	expect_claim(f, "bob", NULL);
	assert_string_equal(state_of(f, "low-unsure"), CASE_HELD);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM leases"), 4);
	fixture_check_counters(f->s);
}

static void queue_claim__model_filter__only_that_model(void **state)
{
	struct fixture *f = *state;
	int64_t m2 = fixture_model(f->s, "other", "[\"yes\",\"no\"]");
	add(f, "a", 9, 0.1);
	fixture_case(f->s, m2, "b", "yes", 0.5, CASE_QUEUED, 0, 0.5, 1);
	queue_case c;
	dk_error err = {{0}};
	assert_int_equal(queue_claim(f->s, "ann", "other", &c, &err), DK_OK);
	assert_string_equal(c.ext_id, "b");
	assert_string_equal(c.model, "other");
	queue_case_free(&c);
	assert_int_equal(queue_claim(f->s, "ann", "other", &c, &err), DK_EMPTY);
	assert_int_equal(queue_claim(f->s, "ann", "nosuch", &c, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "no model named 'nosuch'"));
}

static void queue_claim__plan__seeks_never_scans(void **state)
{
	struct fixture *f = *state;
	sbuf plan = {0};
	dk_error err = {{0}};
	fixture_plan_start(f->s);
	assert_int_equal(queue_explain(f->s, &plan, &err), DK_OK);
	fixture_plan_end(f->s);
	const char *p = sbuf_str(&plan);
	if (store_engine(f->s) == STORE_POSTGRES) {
		/* (PostgreSQL's claim is claim(), PL/pgSQL: what is explained
		 * here are the statements queue_explain names) */
		static const char *const big[] = {"cases", "leases", NULL};
		char line[200];
		if (fixture_pg_seq_scan(p, big, line, sizeof line))
			fail_msg("a claim scans: %s\n%s", line, p);
		sbuf_free(&plan);
		return;
	}
	/* Every access to cases and leases is a SEARCH on an index. */
	assert_null(strstr(p, "SCAN c\n"));
	assert_null(strstr(p, "SCAN q\n"));
	assert_null(strstr(p, "SCAN cases"));
	assert_null(strstr(p, "SCAN leases"));
	/* The one queue index, per model; over every model the one sort is
	 * of each model's first case (the models' scan: one row each). */
	assert_null(strstr(p, "cases_queue "));
	assert_non_null(strstr(p, "cases_queue_model"));
	assert_non_null(strstr(p, "SCAN m "));
	const char *t = strstr(p, "TEMP B-TREE");
	assert_non_null(t);
	assert_null(strstr(t + 1, "TEMP B-TREE"));
	assert_non_null(strstr(p, "leases_expiry"));
	sbuf_free(&plan);
}

/* On PostgreSQL a claim is one call of claim(), whose own plan is a
 * function's scan: the plan shown is of the statements inside it too,
 * its walk over every model and over one, each from the model's floor
 * and locking the case it takes (LockRows: FOR UPDATE SKIP LOCKED),
 * through the same queue index where
 * the planner picks an index (this table is small: bench/pg.sh times the
 * claims at 1M and 10M). */
static void queue_claim__plan_pg__shows_claims_walk(void **state)
{
	if (!fixture_on_pg())
		skip();
	struct fixture *f = *state;
	sbuf plan = {0};
	dk_error err = {{0}};
	assert_int_equal(queue_explain(f->s, &plan, &err), DK_OK);
	const char *p = sbuf_str(&plan);
	const char *all = strstr(p, "-- inside claim(): UPDATE cases x SET state = 'held'"
				    " WHERE x.id = (SELECT b.id FROM models m");
	assert_non_null(all);
	const char *one = strstr(all + 1, "-- inside claim(): UPDATE cases x SET"
					  " state = 'held' WHERE x.id = (SELECT b.id FROM"
					  " queue_floor_of(?3) f");
	assert_non_null(one);
	/* both walk from the model's floor (engine/pg_floor.c) */
	assert_non_null(strstr(all, "queue_floor_of(m.id) f"));
	const char *lock = strstr(all, "LockRows");
	assert_non_null(lock);
	assert_true(lock < one);
	assert_non_null(strstr(one, "LockRows"));
	assert_non_null(strstr(all, "Update on cases x"));
	assert_non_null(strstr(one, "Update on cases x"));
	assert_null(strstr(p, "cases_queue "));
	sbuf_free(&plan);
}

static void queue_claim__expired_lease__goes_back_to_queue(void **state)
{
	struct fixture *f = *state;
	add(f, "a", 0, 0.1);
	expect_claim(f, "ann", "a");
	expect_claim(f, "bob", NULL); /* held */
	clock_set_ms(T0 + QUEUE_LEASE_MS - 1);
	expect_claim(f, "bob", NULL); /* still held */
	clock_set_ms(T0 + QUEUE_LEASE_MS);
	expect_claim(f, "bob", "a"); /* reclaimed, never lost */
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM leases"), 1);
	assert_int_equal(fixture_int(f->s, "SELECT reviewer_id FROM leases"),
			 fixture_int(f->s, "SELECT id FROM reviewers WHERE name='bob'"));
	fixture_check_counters(f->s);
}

static void queue_decide__expired_lease__refused_with_message(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	add(f, "a", 0, 0.1);
	expect_claim(f, "ann", "a");
	clock_set_ms(T0 + QUEUE_LEASE_MS + 5);
	assert_int_equal(decide(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "lease on case 'a' expired"));
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM decisions"), 0);
}

static void queue_decide__stale_token__fenced(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	int64_t t1, t2;
	add(f, "a", 0, 0.1);
	free(claim(f, "ann", &t1));
	clock_set_ms(T0 + QUEUE_LEASE_MS);
	free(claim(f, "ann", &t2)); /* the same case again, new lease */
	assert_true(t2 > t1);
	assert_int_equal(decide(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, t1, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "stale"));
	assert_int_equal(decide(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, t2, &err), DK_OK);
	assert_string_equal(state_of(f, "a"), CASE_DONE);
	verify_ok(f);
}

static void queue_decide__other_holder__refused(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	add(f, "a", 0, 0.1);
	expect_claim(f, "ann", "a");
	assert_int_equal(decide(f, "bob", "a", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "held by ann, not bob"));
	add(f, "b", 0, 0.2);
	assert_int_equal(decide(f, "bob", "b", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "not held by bob"));
}

static void queue_decide__accept_and_override__done_with_label(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	add(f, "a", 0, 0.1);
	add(f, "b", 0, 0.2);
	expect_claim(f, "ann", "a");
	expect_claim(f, "ann", "b");
	assert_int_equal(decide(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_OK);
	assert_int_equal(decide(f, "ann", "b", ACTION_OVERRIDE, "maybe", NULL, 0, &err),
			 DK_USAGE);
	assert_non_null(strstr(err.msg, "not one of the model's labels"));
	assert_int_equal(decide(f, "ann", "b", ACTION_OVERRIDE, "yes", NULL, 0, &err),
			 DK_USAGE);
	assert_non_null(strstr(err.msg, "use accept"));
	assert_int_equal(decide(f, "ann", "b", ACTION_OVERRIDE, "no", "bogus", 0, &err),
			 DK_USAGE);
	assert_non_null(strstr(err.msg, "unknown reason code 'bogus'"));
	assert_int_equal(decide(f, "ann", "b", ACTION_OVERRIDE, "no", "ambiguous", 0,
				&err), DK_OK);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM cases WHERE"
			 " ext_id='a' AND state='done' AND final_label='yes'"
			 " AND final_seq=1 AND decided_at IS NOT NULL"), 1);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM cases WHERE"
			 " ext_id='b' AND final_label='no' AND final_seq=2"), 1);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM decisions WHERE"
			 " seq=2 AND action='override' AND model_label='yes' AND"
			 " label='no' AND reason='ambiguous' AND seconds=2.5"
			 " AND reviewer='ann'"), 1);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM leases"), 0);
	verify_ok(f);
}

static void queue_decide__escalate_then_resolve__supervisor_only(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	add(f, "a", 0, 0.1);
	expect_claim(f, "ann", "a");
	assert_int_equal(decide(f, "ann", "a", ACTION_ESCALATE, NULL, NULL, 0, &err),
			 DK_USAGE);
	assert_non_null(strstr(err.msg, "needs a reason"));
	assert_int_equal(decide(f, "ann", "a", ACTION_ESCALATE, NULL, "needs-expert", 0,
				&err), DK_OK);
	assert_string_equal(state_of(f, "a"), CASE_ESCALATED);
	expect_claim(f, "bob", NULL); /* escalated cases are not in the queue */
	assert_int_equal(decide(f, "bob", "a", ACTION_RESOLVE, "no", NULL, 0, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "needs a supervisor"));
	assert_int_equal(decide(f, "sue", "a", ACTION_RESOLVE, NULL, NULL, 0, &err),
			 DK_USAGE);
	assert_int_equal(decide(f, "sue", "a", ACTION_RESOLVE, "no", NULL, 0, &err), DK_OK);
	assert_string_equal(state_of(f, "a"), CASE_DONE);
	assert_int_equal(fixture_int(f->s, "SELECT final_seq FROM cases WHERE ext_id='a'"), 2);
	assert_int_equal(decide(f, "sue", "a", ACTION_RESOLVE, "yes", NULL, 0, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "only escalated or disputed"));
	verify_ok(f);
}

static void queue_decide__skip__cool_down_for_that_reviewer_only(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	add(f, "a", 0, 0.1);
	add(f, "b", 0, 0.2);
	expect_claim(f, "ann", "a");
	assert_int_equal(decide(f, "ann", "a", ACTION_SKIP, NULL, "missing-context", 0,
				&err), DK_OK);
	assert_string_equal(state_of(f, "a"), CASE_QUEUED);
	expect_claim(f, "ann", "b"); /* not a again right away */
	expect_claim(f, "bob", "a"); /* others get it at once */
	queue_release(f->s, "bob", NULL, &err);
	queue_release(f->s, "ann", NULL, &err);
	clock_set_ms(T0 + QUEUE_SKIP_COOLDOWN_MS - 1);
	expect_claim(f, "ann", "b");
	queue_release(f->s, "ann", NULL, &err);
	clock_set_ms(T0 + QUEUE_SKIP_COOLDOWN_MS + 1);
	expect_claim(f, "ann", "a"); /* after the cool-down */
	verify_ok(f);
}

static void queue_decide__double_review__blind_two_people_agree(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	fixture_case(f->s, 1, "d", "yes", 0.4, CASE_QUEUED, 0, 0.4, 2);
	expect_claim(f, "ann", "d");
	assert_int_equal(decide(f, "ann", "d", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_OK);
	assert_string_equal(state_of(f, "d"), CASE_QUEUED); /* needs a second */
	expect_claim(f, "ann", NULL);                      /* never to ann again */
	expect_claim(f, "bob", "d");
	assert_int_equal(decide(f, "bob", "d", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_OK);
	assert_string_equal(state_of(f, "d"), CASE_DONE);
	assert_int_equal(fixture_int(f->s, "SELECT final_seq FROM cases"), 2);
	verify_ok(f);
}

static void queue_decide__double_review_disagreement__disputed(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	fixture_case(f->s, 1, "d", "yes", 0.4, CASE_QUEUED, 0, 0.4, 2);
	expect_claim(f, "ann", "d");
	assert_int_equal(decide(f, "ann", "d", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_OK);
	expect_claim(f, "bob", "d");
	assert_int_equal(decide(f, "bob", "d", ACTION_OVERRIDE, "no", NULL, 0, &err), DK_OK);
	assert_string_equal(state_of(f, "d"), CASE_DISPUTED);
	assert_int_equal(fixture_int(f->s, "SELECT final_label IS NULL FROM cases"), 1);
	assert_int_equal(decide(f, "sue", "d", ACTION_RESOLVE, "no", NULL, 0, &err), DK_OK);
	assert_string_equal(state_of(f, "d"), CASE_DONE);
	verify_ok(f);
}

static void queue_undo__accept__case_back_to_reviewer_held(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	add(f, "a", 0, 0.1);
	expect_claim(f, "ann", "a");
	assert_int_equal(decide(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_OK);
	queue_case back;
	queue_outcome o;
	assert_int_equal(queue_undo(f->s, "ann", 0, &back, &o, &err), DK_OK);
	assert_string_equal(back.ext_id, "a");
	assert_true(back.lease_token > 0);
	assert_string_equal(o.state, CASE_HELD);
	assert_int_equal(o.seq, 2);
	assert_string_equal(state_of(f, "a"), CASE_HELD);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM cases WHERE"
			 " final_label IS NULL AND final_seq IS NULL"), 1);
	assert_int_equal(fixture_int(f->s, "SELECT ref_seq FROM decisions WHERE"
			 " action='undo'"), 1);
	/* the log keeps the accept: nothing is deleted */
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM decisions"), 2);
	/* and the case can be decided again under the new lease */
	assert_int_equal(decide(f, "ann", "a", ACTION_OVERRIDE, "no", NULL,
				back.lease_token, &err), DK_OK);
	queue_case_free(&back);
	/* nothing left to undo after undoing the override and... the accept
	 * was undone already, so a second undo finds nothing */
	assert_int_equal(queue_undo(f->s, "ann", 0, NULL, NULL, &err), DK_OK);
	assert_int_equal(queue_undo(f->s, "ann", 0, NULL, NULL, &err), DK_EMPTY);
	verify_ok(f);
}

static void queue_undo__after_another_decided__refused(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	fixture_case(f->s, 1, "d", "yes", 0.4, CASE_QUEUED, 0, 0.4, 2);
	expect_claim(f, "ann", "d");
	assert_int_equal(decide(f, "ann", "d", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_OK);
	expect_claim(f, "bob", "d");
	/* bob holds it: ann cannot take it back */
	assert_int_equal(queue_undo(f->s, "ann", 0, NULL, NULL, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "held by bob"));
	assert_int_equal(decide(f, "bob", "d", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_OK);
	assert_int_equal(queue_undo(f->s, "ann", 0, NULL, NULL, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "decided since by bob"));
	/* bob can undo his own: the case goes back to bob, still one review */
	assert_int_equal(queue_undo(f->s, "bob", 0, NULL, NULL, &err), DK_OK);
	assert_string_equal(state_of(f, "d"), CASE_HELD);
	verify_ok(f);
}

static void queue_undo__escalate_and_resolve(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	add(f, "a", 0, 0.1);
	expect_claim(f, "ann", "a");
	assert_int_equal(decide(f, "ann", "a", ACTION_ESCALATE, NULL, "other", 0, &err),
			 DK_OK);
	assert_int_equal(decide(f, "sue", "a", ACTION_RESOLVE, "no", NULL, 0, &err), DK_OK);
	/* ann's escalate has been decided on since by sue */
	assert_int_equal(queue_undo(f->s, "ann", 0, NULL, NULL, &err), DK_ERR);
	queue_outcome o;
	assert_int_equal(queue_undo(f->s, "sue", 0, NULL, &o, &err), DK_OK);
	assert_string_equal(o.state, CASE_ESCALATED); /* back for a supervisor */
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM leases"), 0);
	assert_int_equal(queue_undo(f->s, "ann", 0, NULL, &o, &err), DK_OK);
	assert_string_equal(o.state, CASE_HELD);
	verify_ok(f);
}

static void queue_undo__wrong_case__refused(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	int64_t a = add(f, "a", 0, 0.1);
	add(f, "b", 0, 0.2);
	expect_claim(f, "ann", "a");
	expect_claim(f, "ann", "b");
	assert_int_equal(decide(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_OK);
	assert_int_equal(decide(f, "ann", "b", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_OK);
	assert_int_equal(queue_undo(f->s, "ann", a, NULL, NULL, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "is on case 'b'"));
}

static void queue_release__returns_held_cases(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	add(f, "a", 0, 0.1);
	add(f, "b", 0, 0.2);
	expect_claim(f, "ann", "a");
	expect_claim(f, "ann", "b");
	int64_t n = 0;
	assert_int_equal(queue_release(f->s, "ann", &n, &err), DK_OK);
	assert_int_equal(n, 2);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM leases"), 0);
	expect_claim(f, "bob", "a");
	fixture_check_counters(f->s);
}

static void queue_renew__extends_live_lease_only(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	int64_t tok, exp;
	int64_t id = add(f, "a", 0, 0.1);
	free(claim(f, "ann", &tok));
	clock_set_ms(T0 + QUEUE_LEASE_MS - 10);
	assert_int_equal(queue_renew(f->s, "ann", id, tok, &exp, &err), DK_OK);
	assert_int_equal(exp, T0 + 2 * QUEUE_LEASE_MS - 10);
	clock_set_ms(T0 + QUEUE_LEASE_MS + 10);
	expect_claim(f, "bob", NULL); /* renewed: still ann's */
	assert_int_equal(queue_renew(f->s, "bob", id, tok, &exp, &err), DK_ERR);
	clock_set_ms(T0 + 3 * QUEUE_LEASE_MS);
	assert_int_equal(queue_renew(f->s, "ann", id, tok, &exp, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "expired"));
}

static void queue_roles__unknown_reviewer__refused_or_auto_added(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	queue_case c;
	add(f, "a", 0, 0.1);
	assert_int_equal(queue_claim(f->s, "zed", NULL, &c, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "unknown reviewer 'zed'"));
	assert_non_null(strstr(err.msg, "docket reviewer add"));
	assert_int_equal(queue_set_auto_add(f->s, 1, "ann", &err), DK_ERR);
	assert_non_null(strstr(err.msg, "needs a supervisor"));
	assert_int_equal(queue_set_auto_add(f->s, 1, "sue", &err), DK_OK);
	assert_int_equal(queue_claim(f->s, "zed", NULL, &c, &err), DK_OK);
	queue_case_free(&c);
	const char *role;
	assert_int_equal(queue_role(f->s, "zed", &role, NULL, &err), DK_OK);
	assert_string_equal(role, ROLE_REVIEWER);
}

static void queue_roles__changes_need_a_supervisor(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	const char *me = dk_login_name();
	assert_int_equal(queue_reviewer_add(f->s, "x", ROLE_REVIEWER, "ann", &err), DK_ERR);
	assert_non_null(strstr(err.msg, "needs a supervisor; 'ann' is a reviewer"));
	assert_int_equal(queue_reviewer_add(f->s, "ann", ROLE_REVIEWER, me, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "already a reviewer"));
	assert_int_equal(queue_reviewer_add(f->s, "x", "boss", me, &err), DK_USAGE);
	assert_int_equal(queue_reviewer_set_role(f->s, "ann", ROLE_SUPERVISOR, "bob", &err),
			 DK_ERR);
	assert_int_equal(queue_reviewer_set_role(f->s, "ann", ROLE_SUPERVISOR, "sue", &err),
			 DK_OK);
	/* demote everyone but one; the last supervisor stays */
	assert_int_equal(queue_reviewer_set_role(f->s, "sue", ROLE_REVIEWER, "ann", &err), DK_OK);
	assert_int_equal(queue_reviewer_set_role(f->s, me, ROLE_REVIEWER, "ann", &err), DK_OK);
	assert_int_equal(queue_reviewer_set_role(f->s, "ann", ROLE_REVIEWER, "ann", &err),
			 DK_ERR);
	assert_non_null(strstr(err.msg, "only supervisor"));
}

static void queue_reasons__defaults_then_configured(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	char **r;
	assert_int_equal(queue_reasons(f->s, &r, &err), DK_OK);
	assert_string_equal(r[0], "ambiguous");
	queue_reasons_free(r);
	const char *codes[] = {"fraud", "typo"};
	assert_int_equal(queue_set_reasons(f->s, codes, 2, "ann", &err), DK_ERR);
	assert_int_equal(queue_set_reasons(f->s, codes, 2, "sue", &err), DK_OK);
	assert_int_equal(queue_reasons(f->s, &r, &err), DK_OK);
	assert_string_equal(r[0], "fraud");
	assert_string_equal(r[1], "typo");
	assert_null(r[2]);
	queue_reasons_free(r);
	add(f, "a", 0, 0.1);
	expect_claim(f, "ann", "a");
	assert_int_equal(decide(f, "ann", "a", ACTION_SKIP, NULL, "ambiguous", 0, &err),
			 DK_USAGE);
	assert_int_equal(decide(f, "ann", "a", ACTION_SKIP, NULL, "typo", 0, &err), DK_OK);
}

/* An unreadable list is an error: the defaults would let a reviewer pick a
 * code the store's list does not have. */
static void queue_reasons__unreadable__error_not_defaults(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	fixture_exec(f->s, "ALTER TABLE meta RENAME TO meta_gone");
	char **r = (char **)&err;
	assert_int_equal(queue_reasons(f->s, &r, &err), DK_ERR);
	assert_null(r);
	int64_t ms = -1;
	assert_int_equal(queue_cooldown_ms(f->s, &ms, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "meta"));
}

static void queue_recent_and_counts__reflect_decisions(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	add(f, "a", 0, 0.1);
	add(f, "b", 0, 0.2);
	add(f, "c", 0, 0.3);
	expect_claim(f, "ann", "a");
	expect_claim(f, "ann", "b");
	assert_int_equal(decide(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_OK);
	assert_int_equal(decide(f, "ann", "b", ACTION_OVERRIDE, "no", NULL, 0, &err), DK_OK);
	assert_int_equal(queue_undo(f->s, "ann", 0, NULL, NULL, &err), DK_OK);
	queue_recent_entry e[8];
	size_t n;
	assert_int_equal(queue_recent(f->s, "ann", e, 8, &n, &err), DK_OK);
	assert_int_equal(n, 2);
	assert_string_equal(e[0].ext_id, "b");
	assert_int_equal(e[0].undone, 1);
	assert_string_equal(e[1].action, "accept");
	assert_int_equal(e[1].undone, 0);
	queue_counts qc;
	assert_int_equal(queue_counts_get(f->s, "ann", NULL, &qc, &err), DK_OK);
	assert_int_equal(qc.queued, 1);
	assert_int_equal(qc.held_by_me, 1); /* b came back */
	assert_int_equal(qc.done_today, 1);
	assert_int_equal(qc.held, 1);
	expect_claim(f, "bob", "c");
	assert_int_equal(queue_counts_get(f->s, "ann", NULL, &qc, &err), DK_OK);
	assert_int_equal(qc.queued, 0);
	assert_int_equal(qc.held_by_me, 1);
	assert_int_equal(qc.held, 2); /* ann's b and bob's c */
}

static void queue_find__ambiguous_id__names_models(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	int64_t m2 = fixture_model(f->s, "other", "[]");
	add(f, "same", 0, 0.1);
	fixture_case(f->s, m2, "same", "yes", 0.5, CASE_QUEUED, 0, 0.5, 1);
	int64_t id;
	assert_int_equal(queue_find(f->s, "same", NULL, &id, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "exists in models m, other"));
	assert_int_equal(queue_find(f->s, "same", "other", &id, &err), DK_OK);
	assert_int_equal(queue_find(f->s, "nope", NULL, &id, &err), DK_EMPTY);
}

static void queue_check_states__tampered_state__found(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	add(f, "a", 0, 0.1);
	add(f, "b", 0, 0.1);
	expect_claim(f, "ann", "a");
	assert_int_equal(decide(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_OK);
	verify_ok(f);
	assert_int_equal(store_exec(f->s, "UPDATE cases SET final_label='no'"
				    " WHERE ext_id='a'", &err), DK_OK);
	assert_int_equal(queue_check_states(f->s, NULL, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "case m/a has final label 'no'"));
	assert_int_equal(store_exec(f->s, "UPDATE cases SET final_label='yes'"
				    " WHERE ext_id='a'; UPDATE cases SET state='done'"
				    " WHERE ext_id='b'", &err), DK_OK);
	assert_int_equal(queue_check_states(f->s, NULL, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "case 'b'"));
	assert_non_null(strstr(err.msg, "no entry"));
}

static void queue_amend__older_decision__new_entry_new_final_label(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	queue_outcome o;
	add(f, "a", 0, 0.1);
	add(f, "b", 0, 0.2);
	expect_claim(f, "ann", "a");
	expect_claim(f, "ann", "b");
	assert_int_equal(decide(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_OK);
	assert_int_equal(decide(f, "ann", "b", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_OK);
	/* a is not ann's latest decision: it is amended all the same */
	clock_set_ms(T0 + 5000);
	assert_int_equal(amend(f, "ann", "a", ACTION_OVERRIDE, "no", NULL, &o, &err),
			 DK_OK);
	assert_int_equal(o.seq, 3);
	assert_int_equal(o.ref_seq, 1);
	assert_string_equal(o.state, CASE_DONE);
	expect_text(f, "SELECT final_label || ' ' || final_seq || ' ' || decided_at"
		       " FROM cases WHERE ext_id = 'a'",
		    "no 3 1700000005000");
	/* the log keeps the accept; the amend points at it */
	expect_text(f, "SELECT group_concat(seq || ':' || action || ':' ||"
		       " coalesce(CAST(ref_seq AS TEXT), '-'), ' ') FROM decisions",
		    "1:accept:- 2:accept:- 3:override:1");
	/* ann's decision in force on a is the override */
	expect_text(f, "SELECT action || ' ' || label || ' ' || seq FROM reviews v"
		       " JOIN cases c ON c.id = v.case_id WHERE c.ext_id = 'a'",
		    "override no 3");
	/* amend the amend; then nothing left to change */
	assert_int_equal(amend(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, &o, &err), DK_OK);
	assert_int_equal(o.ref_seq, 3);
	expect_text(f, "SELECT final_label FROM cases WHERE ext_id = 'a'", "yes");
	assert_int_equal(amend(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, &o, &err),
			 DK_USAGE);
	assert_non_null(strstr(err.msg, "nothing to amend"));
	/* the same checks as deciding */
	assert_int_equal(amend(f, "ann", "a", ACTION_OVERRIDE, "maybe", NULL, &o, &err),
			 DK_USAGE);
	assert_non_null(strstr(err.msg, "not one of the model's labels"));
	assert_int_equal(amend(f, "ann", "a", ACTION_OVERRIDE, "yes", NULL, &o, &err),
			 DK_USAGE);
	assert_int_equal(amend(f, "ann", "a", ACTION_ESCALATE, NULL, NULL, &o, &err),
			 DK_USAGE);
	/* only one's own decision in force */
	assert_int_equal(amend(f, "bob", "a", ACTION_ACCEPT, NULL, NULL, &o, &err),
			 DK_EMPTY);
	assert_non_null(strstr(err.msg, "bob has no decision in force on case 'a'"));
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM decisions"), 4);
	/* recent: the amended entries are marked, the amend names its entry */
	queue_recent_entry e[8];
	size_t n;
	assert_int_equal(queue_recent(f->s, "ann", e, 8, &n, &err), DK_OK);
	assert_int_equal(n, 4);
	assert_int_equal(e[0].seq, 4);
	assert_int_equal(e[0].amended, 0);
	assert_int_equal(e[0].ref_seq, 3);
	assert_int_equal(e[1].amended, 1);
	assert_int_equal(e[2].amended, 0); /* b */
	assert_int_equal(e[3].amended, 1);
	verify_ok(f);
}

static void queue_amend__double_review__agreement_evaluated_again(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	queue_outcome o;
	fixture_case(f->s, 1, "d", "yes", 0.4, CASE_QUEUED, 0, 0.4, 2);
	expect_claim(f, "ann", "d");
	assert_int_equal(decide(f, "ann", "d", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_OK);
	/* the first review amended while bob holds the case: still open, still
	 * bob's, and bob never sees ann's label */
	expect_claim(f, "bob", "d");
	assert_int_equal(amend(f, "ann", "d", ACTION_OVERRIDE, "no", NULL, &o, &err),
			 DK_OK);
	assert_string_equal(o.state, CASE_HELD);
	assert_int_equal(decide(f, "bob", "d", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_OK);
	assert_string_equal(state_of(f, "d"), CASE_DISPUTED);
	/* ann comes round to bob's label: they agree, the case is done */
	assert_int_equal(amend(f, "ann", "d", ACTION_ACCEPT, NULL, NULL, &o, &err), DK_OK);
	assert_string_equal(o.state, CASE_DONE);
	expect_text(f, "SELECT final_label || ' ' || final_seq FROM cases", "yes 4");
	/* bob changes his mind: disputed again, no final label */
	assert_int_equal(amend(f, "bob", "d", ACTION_OVERRIDE, "no", NULL, &o, &err),
			 DK_OK);
	assert_string_equal(o.state, CASE_DISPUTED);
	assert_int_equal(fixture_int(f->s, "SELECT final_label IS NULL AND final_seq"
				     " IS NULL FROM cases"), 1);
	/* the export's reviewers: both reviews in force, nothing else */
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM reviews"), 2);
	verify_ok(f);
	/* a supervisor resolves: the reviewers' decisions are final now */
	assert_int_equal(decide(f, "sue", "d", ACTION_RESOLVE, "no", NULL, 0, &err), DK_OK);
	assert_int_equal(amend(f, "ann", "d", ACTION_OVERRIDE, "no", NULL, &o, &err),
			 DK_ERR);
	assert_non_null(strstr(err.msg, "resolved by sue"));
	assert_non_null(strstr(err.msg, "ask a supervisor"));
	/* sue amends her resolve, with a resolve only */
	assert_int_equal(amend(f, "sue", "d", ACTION_ACCEPT, NULL, NULL, &o, &err),
			 DK_USAGE);
	assert_non_null(strstr(err.msg, "amend it with another resolve"));
	assert_int_equal(amend(f, "sue", "d", ACTION_RESOLVE, "yes", NULL, &o, &err),
			 DK_OK);
	expect_text(f, "SELECT state || ' ' || final_label FROM cases", "done yes");
	verify_ok(f);
}

static void queue_amend__escalate_and_skip__move_the_case(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	queue_outcome o;
	add(f, "a", 0, 0.1);
	add(f, "b", 0, 0.2);
	add(f, "c", 0, 0.3);
	expect_claim(f, "ann", "a");
	assert_int_equal(decide(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_OK);
	/* accept -> escalate: to a supervisor, no final label */
	assert_int_equal(amend(f, "ann", "a", ACTION_ESCALATE, NULL, "ambiguous", &o,
			       &err), DK_OK);
	assert_string_equal(o.state, CASE_ESCALATED);
	assert_int_equal(fixture_int(f->s, "SELECT final_seq IS NULL FROM cases"
				     " WHERE ext_id = 'a'"), 1);
	/* escalate -> skip: back in the queue, not to ann (cool-down) */
	assert_int_equal(amend(f, "ann", "a", ACTION_SKIP, NULL, "other", &o, &err),
			 DK_OK);
	assert_string_equal(o.state, CASE_QUEUED);
	expect_claim(f, "ann", "b");
	/* skip -> accept while nobody holds it: done */
	assert_int_equal(amend(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, &o, &err), DK_OK);
	assert_string_equal(o.state, CASE_DONE);
	/* b: ann skips, bob takes it: ann's amend would decide it under bob */
	assert_int_equal(decide(f, "ann", "b", ACTION_SKIP, NULL, "other", 0, &err), DK_OK);
	expect_claim(f, "bob", "b");
	assert_int_equal(amend(f, "ann", "b", ACTION_ACCEPT, NULL, NULL, &o, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "held by bob"));
	/* bob decides it: ann's skip cannot become a second decision */
	assert_int_equal(decide(f, "bob", "b", ACTION_OVERRIDE, "no", NULL, 0, &err), DK_OK);
	assert_int_equal(amend(f, "ann", "b", ACTION_ACCEPT, NULL, NULL, &o, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "cannot take that amendment"));
	expect_text(f, "SELECT state || ' ' || final_label FROM cases WHERE ext_id = 'b'",
		    "done no");
	/* refused amends record nothing */
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM decisions"), 6);
	verify_ok(f);
}

static void queue_undo__of_amend__case_back_to_reviewer(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	queue_outcome o;
	add(f, "a", 0, 0.1);
	expect_claim(f, "ann", "a");
	assert_int_equal(decide(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_OK);
	assert_int_equal(amend(f, "ann", "a", ACTION_OVERRIDE, "no", NULL, &o, &err),
			 DK_OK);
	queue_case back;
	assert_int_equal(queue_undo(f->s, "ann", 0, &back, &o, &err), DK_OK);
	assert_int_equal(o.ref_seq, 2); /* the amend */
	assert_string_equal(o.state, CASE_HELD);
	assert_true(back.lease_token > 0);
	/* neither the amend nor the accept it replaced is in force */
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM cases WHERE"
				     " final_label IS NULL AND final_seq IS NULL"), 1);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM reviews"), 0);
	/* nothing more to undo or amend; deciding again gives a new final entry */
	assert_int_equal(queue_undo(f->s, "ann", 0, NULL, NULL, &err), DK_EMPTY);
	assert_int_equal(amend(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, &o, &err),
			 DK_EMPTY);
	assert_int_equal(decide(f, "ann", "a", ACTION_ACCEPT, NULL, NULL,
				back.lease_token, &err), DK_OK);
	queue_case_free(&back);
	expect_text(f, "SELECT final_label || ' ' || final_seq FROM cases", "yes 4");
	verify_ok(f);
}

static void queue_check_states__stray_amend__found(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	add(f, "a", 0, 0.1);
	expect_claim(f, "ann", "a");
	assert_int_equal(decide(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, 0, &err), DK_OK);
	verify_ok(f);
	/* an "amend" by bob of ann's entry, written past the queue */
	int64_t cid;
	assert_int_equal(queue_find(f->s, "a", NULL, &cid, &err), DK_OK);
	audit_entry e = {.reviewer = "bob", .case_id = cid, .action = ACTION_OVERRIDE,
			 .model_label = "yes", .label = "no", .seconds = NAN,
			 .ref_seq = 1};
	assert_int_equal(store_begin_write(f->s, &err), DK_OK);
	assert_int_equal(audit_append(f->s, &e, NULL, NULL, &err), DK_OK);
	assert_int_equal(store_commit(f->s, &err), DK_OK);
	assert_int_equal(queue_check_states(f->s, NULL, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "amend of entry 1 which is not a decision of "
				   "bob"));
}

/* decide_next: decide on id as who, then claim; *next_id gets the claimed
 * case's id (malloc'd) or NULL on DK_EMPTY/failure. */
static int decide_next(struct fixture *f, const char *who, const char *id,
		       const char *action, const char *label, const char *reason,
		       int64_t token, const char *model, queue_outcome *o,
		       char **next_id, int64_t *next_token, dk_error *err)
{
	int64_t cid;
	assert_int_equal(queue_find(f->s, id, NULL, &cid, err), DK_OK);
	queue_decision d = {.action = action, .label = label, .reason = reason,
			    .seconds = 2.5, .token = token};
	queue_case nc;
	int rc = queue_decide_next(f->s, who, cid, &d, model, o, &nc, err);
	*next_id = rc == DK_OK ? strdup(nc.ext_id) : NULL;
	if (next_token)
		*next_token = nc.lease_token;
	if (rc != DK_OK)
		assert_null(nc.ext_id); /* nothing handed back */
	else
		assert_string_equal(nc.state, CASE_HELD);
	queue_case_free(&nc);
	return rc;
}

static int64_t leases_of(struct fixture *f, const char *who)
{
	char sql[160];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM leases l JOIN reviewers r"
		 " ON r.id = l.reviewer_id WHERE r.name = '%s'", who);
	return fixture_int(f->s, sql);
}

static void queue_decide_next__accept__claims_next_in_order(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	queue_outcome o;
	char *next;
	int64_t t1, t2;
	add(f, "a", 0, 0.1);
	add(f, "b", 0, 0.2);
	add(f, "c", 0, 0.3);
	free(claim(f, "ann", &t1));  /* a */
	expect_claim(f, "bob", "b"); /* held by bob: never ann's next */
	assert_int_equal(decide_next(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, t1,
				     NULL, &o, &next, &t2, &err), DK_OK);
	assert_string_equal(next, "c");
	free(next);
	assert_true(t2 > t1);
	assert_int_equal(o.seq, 1);
	assert_string_equal(o.state, CASE_DONE);
	assert_int_equal(strlen(o.hash), 64);
	assert_string_equal(state_of(f, "a"), CASE_DONE);
	assert_string_equal(state_of(f, "c"), CASE_HELD);
	assert_int_equal(leases_of(f, "ann"), 1);
	assert_int_equal(fixture_int(f->s, "SELECT token FROM leases WHERE case_id ="
					   " (SELECT id FROM cases WHERE ext_id = 'c')"),
			 t2);
	/* the next case's lease is live: it can be decided under its token */
	assert_int_equal(decide(f, "ann", "c", ACTION_ACCEPT, NULL, NULL, t2, &err),
			 DK_OK);
	verify_ok(f);
}

static void queue_decide_next__skip_and_double_review__never_the_same_case(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	queue_outcome o;
	char *next;
	int64_t t;
	fixture_case(f->s, 1, "d", "yes", 0.4, CASE_QUEUED, 9, 0.4, 2); /* first */
	add(f, "a", 5, 0.1);
	add(f, "b", 0, 0.2);
	free(claim(f, "ann", &t));
	/* the first of two reviews puts d back in the queue, but not for ann */
	assert_int_equal(decide_next(f, "ann", "d", ACTION_ACCEPT, NULL, NULL, t,
				     NULL, &o, &next, &t, &err), DK_OK);
	assert_string_equal(o.state, CASE_QUEUED);
	assert_string_equal(next, "a");
	free(next);
	/* a skip puts a back in the queue, cooling down for ann only */
	assert_int_equal(decide_next(f, "ann", "a", ACTION_SKIP, NULL, "other", t,
				     NULL, &o, &next, &t, &err), DK_OK);
	assert_string_equal(o.state, CASE_QUEUED);
	assert_string_equal(next, "b");
	free(next);
	assert_int_equal(decide_next(f, "ann", "b", ACTION_ACCEPT, NULL, NULL, t,
				     NULL, &o, &next, &t, &err), DK_EMPTY);
	assert_null(next);
	expect_claim(f, "bob", "d"); /* the second review, for someone else */
	verify_ok(f);
}

static void queue_decide_next__refused_decision__nothing_claimed(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	queue_outcome o;
	char *next;
	add(f, "a", 0, 0.1);
	add(f, "b", 0, 0.2);
	expect_claim(f, "ann", "a");
	/* a bad label */
	assert_int_equal(decide_next(f, "ann", "a", ACTION_OVERRIDE, "maybe", NULL, 0,
				     NULL, &o, &next, NULL, &err), DK_USAGE);
	assert_non_null(strstr(err.msg, "not one of the model's labels"));
	assert_int_equal(o.seq, 0);
	/* not the holder */
	assert_int_equal(decide_next(f, "bob", "a", ACTION_ACCEPT, NULL, NULL, 0,
				     NULL, &o, &next, NULL, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "held by ann, not bob"));
	/* an unknown model filter refuses the whole step */
	assert_int_equal(decide_next(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, 0,
				     "nosuch", &o, &next, NULL, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "no model named 'nosuch'"));
	assert_int_equal(o.seq, 0);
	/* nothing recorded, nothing claimed */
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM decisions"), 0);
	assert_string_equal(state_of(f, "a"), CASE_HELD);
	assert_string_equal(state_of(f, "b"), CASE_QUEUED);
	assert_int_equal(leases_of(f, "ann"), 1);
	assert_int_equal(leases_of(f, "bob"), 0);
	fixture_check_counters(f->s);
}

static void queue_decide_next__empty_queue__decision_still_committed(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	queue_outcome o;
	char *next;
	add(f, "a", 0, 0.1);
	expect_claim(f, "ann", "a");
	assert_int_equal(decide_next(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, 0,
				     NULL, &o, &next, NULL, &err), DK_EMPTY);
	assert_null(next);
	assert_int_equal(o.seq, 1);
	assert_string_equal(o.state, CASE_DONE);
	assert_string_equal(state_of(f, "a"), CASE_DONE);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM decisions"), 1);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM leases"), 0);
	verify_ok(f);
}

static void queue_decide_next__stale_or_expired_lease__fenced(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	queue_outcome o;
	char *next;
	int64_t t1, t2;
	add(f, "a", 0, 0.1);
	free(claim(f, "ann", &t1));
	clock_set_ms(T0 + QUEUE_LEASE_MS);
	free(claim(f, "ann", &t2)); /* a again, under a new lease */
	add(f, "b", 0, 0.2);
	assert_int_equal(decide_next(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, t1,
				     NULL, &o, &next, NULL, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "stale"));
	assert_string_equal(state_of(f, "b"), CASE_QUEUED);
	/* the lease runs out: refused, and the reclaim is not committed with it */
	clock_set_ms(T0 + 2 * QUEUE_LEASE_MS + 1);
	assert_int_equal(decide_next(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, t2,
				     NULL, &o, &next, NULL, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "expired"));
	assert_string_equal(state_of(f, "b"), CASE_QUEUED);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM decisions"), 0);
	/* bob reclaims a through the ordinary claim; ann's old token is dead */
	expect_claim(f, "bob", "a");
	assert_int_equal(decide_next(f, "ann", "a", ACTION_ACCEPT, NULL, NULL, t2,
				     NULL, &o, &next, NULL, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "held by bob, not ann"));
	assert_int_equal(leases_of(f, "ann"), 0);
	fixture_check_counters(f->s);
}

static void queue_decide_next__model_filter__only_that_model(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	queue_outcome o;
	char *next;
	int64_t m2 = fixture_model(f->s, "other", "[\"yes\",\"no\"]");
	fixture_case(f->s, m2, "x", "yes", 0.5, CASE_QUEUED, 0, 0.5, 1);
	add(f, "a", 0, 0.1);
	add(f, "b", 9, 0.1); /* first in the whole queue */
	fixture_case(f->s, m2, "y", "no", 0.5, CASE_QUEUED, 0, 0.6, 1);
	queue_case c;
	assert_int_equal(queue_claim(f->s, "ann", "other", &c, &err), DK_OK);
	assert_string_equal(c.ext_id, "x");
	queue_case_free(&c);
	assert_int_equal(decide_next(f, "ann", "x", ACTION_ACCEPT, NULL, NULL, 0,
				     "other", &o, &next, NULL, &err), DK_OK);
	assert_string_equal(next, "y");
	free(next);
	assert_int_equal(decide_next(f, "ann", "y", ACTION_ACCEPT, NULL, NULL, 0,
				     "other", &o, &next, NULL, &err), DK_EMPTY);
	assert_string_equal(state_of(f, "b"), CASE_QUEUED);
	verify_ok(f);
}

static int claim_case(struct fixture *f, const char *who, const char *id,
		      int64_t *token, dk_error *err)
{
	int64_t cid;
	assert_int_equal(queue_find(f->s, id, NULL, &cid, err), DK_OK);
	queue_case c;
	int rc = queue_claim_case(f->s, who, cid, NULL, &c, err);
	if (rc == DK_OK) {
		assert_string_equal(c.ext_id, id);
		assert_string_equal(c.state, CASE_HELD);
		if (token)
			*token = c.lease_token;
		queue_case_free(&c);
	}
	return rc;
}

/* Claiming one named case: by claim's rules, with a lease and a fencing
 * token, and a refusal that says who holds it or why not. */
static void queue_claim_case__rules_of_claim__lease_and_holder(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	add(f, "a", 0, 0.1);
	add(f, "b", 0, 0.2);
	add(f, "c", 0, 0.3);
	int64_t t1 = 0, t2 = 0;
	/* not the first in order: the one asked for */
	assert_int_equal(claim_case(f, "ann", "c", &t1, &err), DK_OK);
	assert_true(t1 > 0);
	assert_string_equal(state_of(f, "c"), CASE_HELD);
	/* held: bob is told who holds it */
	assert_int_equal(claim_case(f, "bob", "c", NULL, &err), DK_EMPTY);
	assert_non_null(strstr(err.msg, "held by ann"));
	/* ann asking again keeps her lease */
	assert_int_equal(claim_case(f, "ann", "c", &t2, &err), DK_OK);
	assert_int_equal(t2, t1);
	/* the queue claim does not hand the held case out */
	expect_claim(f, "bob", "a");
	/* decided by ann: never hers again, even after an undo would not matter */
	assert_int_equal(decide(f, "ann", "c", ACTION_ACCEPT, NULL, NULL, t1, &err),
			 DK_OK);
	assert_int_equal(claim_case(f, "ann", "c", NULL, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "not waiting"));
	/* skipped by ann: cool-down for her, bob may take it at once */
	assert_int_equal(claim_case(f, "ann", "b", &t1, &err), DK_OK);
	assert_int_equal(decide(f, "ann", "b", ACTION_SKIP, NULL, "ambiguous", t1,
				&err), DK_OK);
	assert_int_equal(claim_case(f, "ann", "b", NULL, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "cool-down"));
	assert_int_equal(claim_case(f, "bob", "b", &t2, &err), DK_OK);
	assert_true(t2 > t1);
	/* an expired lease is reclaimed first: the case is free again */
	clock_set_ms(T0 + QUEUE_LEASE_MS + 1);
	assert_int_equal(claim_case(f, "ann", "a", NULL, &err), DK_OK);
	/* a wrong model is refused */
	int64_t cid;
	assert_int_equal(queue_find(f->s, "a", NULL, &cid, &err), DK_OK);
	queue_case c;
	fixture_model(f->s, "m2", "[\"x\"]");
	assert_int_equal(queue_claim_case(f->s, "ann", cid, "m2", &c, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "not a case of this model"));
	verify_ok(f);
}

/* The route reason a reviewer reads (the view case_reasons: store.h's SQL,
 * which PostgreSQL's reviewers read in place of cases.route_reason) is
 * policy_reason_shown's in C, on every form docket stores: through the
 * view, a case's load, and a claim's read of its case (one statement with
 * the claim on PostgreSQL). Gold checks and audit samples both read "spot
 * check"; a gold case routed as a rule would route it reads the rule. */
static void queue_case_reason__every_form__as_policy_reason_shown(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	static const char *const forms[] = {
		NULL, "", "gold check", "audit sample",
		"gold check; confidence 0.41 < 0.60",
		"gold check; label-threshold yes 0.41 < 0.50",
		"gold check; margin 0.04 < 0.10", "gold check; entropy 0.95 > 0.90",
		"confidence 0.53 < 0.80", "label-threshold no 0.53 < 0.70",
		"margin 0.04 < 0.10", "entropy 0.95 > 0.90",
		/* near misses: as stored, in both */
		"gold check;", "gold checks", "audit samples", "spot check",
	};
	size_t n = sizeof forms / sizeof *forms;
	for (size_t i = 0; i < n; i++) {
		char ext[16];
		snprintf(ext, sizeof ext, "r%zu", i);
		/* each one first in the queue when it is added (its id looked
		 * up: on PostgreSQL the insert's trigger draws from a sequence
		 * of its own, which lastval() then gives) */
		int64_t id;
		add(f, ext, (int)i + 1, 0.5);
		assert_int_equal(queue_find(f->s, ext, NULL, &id, &err), DK_OK);
		db_stmt *st = store_stmt(
			f->s, "UPDATE cases SET route_reason = ?2 WHERE id = ?1", &err);
		assert_non_null(st);
		db_bind_int64(st, 1, id);
		if (forms[i])
			db_bind_text(st, 2, forms[i], -1, DB_STATIC);
		else
			db_bind_null(st, 2);
		fixture_step_done(f->s, st, "setting a route reason");
		const char *want = policy_reason_shown(forms[i]);
		st = store_stmt(f->s, "SELECT reason FROM case_reasons"
				      " WHERE case_id = ?1", &err);
		assert_non_null(st);
		db_bind_int64(st, 1, id);
		assert_int_equal(db_step(st), DB_ROW);
		const char *got = (const char *)db_col_text(st, 0);
		if (strcmp(got ? got : "", want))
			fail_msg("'%s': the view reads '%s', C '%s'",
				 forms[i] ? forms[i] : "(null)", got ? got : "(null)",
				 want);
		store_done(st);
		queue_case c;
		assert_int_equal(queue_case_load(f->s, id, &c, &err), DK_OK);
		assert_string_equal(c.route_reason ? c.route_reason : "", want);
		queue_case_free(&c);
		assert_int_equal(queue_claim(f->s, "ann", NULL, &c, &err), DK_OK);
		if (c.case_id != id)
			fail_msg("form %zu: claimed %lld, not %lld", i,
				 (long long)c.case_id, (long long)id);
		assert_string_equal(c.route_reason ? c.route_reason : "", want);
		queue_case_free(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(queue_claim__takes__priority_then_urgency_then_id),
		T(queue_claim__model_filter__only_that_model),
		T(queue_claim__plan__seeks_never_scans),
		T(queue_claim__plan_pg__shows_claims_walk),
		T(queue_claim__expired_lease__goes_back_to_queue),
		T(queue_decide__expired_lease__refused_with_message),
		T(queue_decide__stale_token__fenced),
		T(queue_decide__other_holder__refused),
		T(queue_decide__accept_and_override__done_with_label),
		T(queue_decide__escalate_then_resolve__supervisor_only),
		T(queue_decide__skip__cool_down_for_that_reviewer_only),
		T(queue_decide__double_review__blind_two_people_agree),
		T(queue_decide__double_review_disagreement__disputed),
		T(queue_undo__accept__case_back_to_reviewer_held),
		T(queue_undo__after_another_decided__refused),
		T(queue_undo__escalate_and_resolve),
		T(queue_undo__wrong_case__refused),
		T(queue_release__returns_held_cases),
		T(queue_renew__extends_live_lease_only),
		T(queue_roles__unknown_reviewer__refused_or_auto_added),
		T(queue_roles__changes_need_a_supervisor),
		T(queue_reasons__defaults_then_configured),
		T(queue_reasons__unreadable__error_not_defaults),
		T(queue_recent_and_counts__reflect_decisions),
		T(queue_find__ambiguous_id__names_models),
		T(queue_check_states__tampered_state__found),
		T(queue_amend__older_decision__new_entry_new_final_label),
		T(queue_amend__double_review__agreement_evaluated_again),
		T(queue_amend__escalate_and_skip__move_the_case),
		T(queue_undo__of_amend__case_back_to_reviewer),
		T(queue_check_states__stray_amend__found),
		T(queue_decide_next__accept__claims_next_in_order),
		T(queue_decide_next__skip_and_double_review__never_the_same_case),
		T(queue_decide_next__refused_decision__nothing_claimed),
		T(queue_decide_next__empty_queue__decision_still_committed),
		T(queue_decide_next__stale_or_expired_lease__fenced),
		T(queue_decide_next__model_filter__only_that_model),
		T(queue_claim_case__rules_of_claim__lease_and_holder),
		T(queue_case_reason__every_form__as_policy_reason_shown),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
