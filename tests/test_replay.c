/* test_replay.c: verify's replay of the log: an honest workflow replays
 * clean; a resolve or export by someone who was not a supervisor at that
 * entry, an entry from the future, an edited case row, a moved watermark and
 * a role changed outside docket are each found, naming the entry; a store
 * of an older docket gets an init entry after its legacy entries. */
#include "fixture.h"

#include <math.h>

#include "docket/audit.h"
#include "docket/clock.h"
#include "docket/export.h"
#include "docket/import.h"
#include "docket/policy.h"
#include "docket/queue.h"
#include "docket/replay.h"

#define T0 1767225600000LL /* 2026-01-01T00:00:00Z */

static const char csv[] =
	"id,prediction,confidence,p:yes,p:no,pii:name,gold\n"
	"a,yes,0.55,0.55,0.45,Ann Example,\n"
	"b,no,0.60,0.40,0.60,Bob Example,\n"
	"c,yes,0.95,0.95,0.05,Cy Example,\n"
	"d,no,0.52,0.48,0.52,Di Example,yes\n";

static void import_csv(struct fixture *f)
{
	dk_error err = {{0}};
	FILE *in = fmemopen((void *)csv, strlen(csv), "rb");
	assert_non_null(in);
	import_opts o;
	memset(&o, 0, sizeof o);
	o.model = "m";
	o.threshold = -1;
	import_result res;
	if (import_stream(f->s, in, "p.csv", &o, &res, &err) != DK_OK)
		fail_msg("import: %s", err.msg);
	fclose(in);
}

static int setup(void **state)
{
	clock_set_ms(T0); /* before the store's init entry */
	fixture_setup(state);
	struct fixture *f = *state;
	dk_error err = {{0}};
	import_csv(f);
	assert_int_equal(queue_reviewer_add(f->s, "ann", ROLE_REVIEWER,
					    dk_login_name(), &err), DK_OK);
	return 0;
}

static int teardown(void **state)
{
	clock_set_ms(-1);
	return fixture_teardown(state);
}

static void expect_ok(struct fixture *f, replay_report *rep)
{
	dk_error err = {{0}};
	if (replay_verify(f->s, rep, &err) != DK_OK)
		fail_msg("replay: %s", err.msg);
}

/* replay_verify fails at entry seq (0: a table row) saying want. */
static void expect_bad(struct fixture *f, int64_t seq, const char *want)
{
	dk_error err = {{0}};
	replay_report rep;
	assert_int_equal(replay_verify(f->s, &rep, &err), DK_ERR);
	if (!strstr(rep.problem, want))
		fail_msg("problem '%s' lacks '%s'", rep.problem, want);
	assert_string_equal(err.msg, rep.problem);
	assert_int_equal(rep.bad_seq, seq);
}

static int64_t case_id(struct fixture *f, const char *ext)
{
	int64_t id;
	dk_error err = {{0}};
	assert_int_equal(queue_find(f->s, ext, NULL, &id, &err), DK_OK);
	return id;
}

/* A correctly hashed entry, as anyone with the file could append. */
static int64_t forge(struct fixture *f, const audit_entry *e)
{
	dk_error err = {{0}};
	int64_t seq;
	assert_int_equal(store_begin_write(f->s, &err), DK_OK);
	assert_int_equal(audit_append(f->s, e, &seq, NULL, &err), DK_OK);
	assert_int_equal(store_commit(f->s, &err), DK_OK);
	return seq;
}

static void claim_decide(struct fixture *f, const char *who, const char *action,
			 const char *label, const char *reason)
{
	queue_case c;
	dk_error err = {{0}};
	if (queue_claim(f->s, who, NULL, &c, &err) != DK_OK)
		fail_msg("claim: %s", err.msg);
	queue_decision d = {.action = action, .label = label, .reason = reason,
			    .seconds = NAN};
	if (queue_decide(f->s, who, c.case_id, &d, NULL, &err) != DK_OK)
		fail_msg("decide: %s", err.msg);
	queue_case_free(&c);
}

static void replay_verify__honest_workflow__agrees(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	const char *me = dk_login_name();
	policy p;
	assert_int_equal(policy_load(f->s, 1, &p, &err), DK_OK);
	p.threshold = 0.9;
	p.audit_rate = 0.5;
	assert_int_equal(policy_apply(f->s, 1, &p, me, NULL, &err), DK_OK);
	const char *codes[] = {"unsure", "other"};
	assert_int_equal(queue_set_reasons(f->s, codes, 2, me, &err), DK_OK);
	assert_int_equal(queue_set_auto_add(f->s, 1, me, &err), DK_OK);
	claim_decide(f, "ann", ACTION_ACCEPT, NULL, NULL);
	claim_decide(f, "zed", ACTION_ESCALATE, NULL, "unsure"); /* auto-added */
	assert_int_equal(queue_set_auto_add(f->s, 0, me, &err), DK_OK);
	assert_int_equal(queue_reviewer_set_role(f->s, "ann", ROLE_SUPERVISOR, me, &err),
			 DK_OK);
	struct export_opts o;
	export_opts_init(&o);
	char out[160];
	snprintf(out, sizeof out, "%s/e.csv", f->dir);
	o.out = out;
	o.since_last = "nightly";
	o.actor = "ann";
	struct export_result r;
	if (export_run(f->s, &o, &r, &err) != DK_OK)
		fail_msg("export: %s", err.msg);
	unlink(out);
	replay_report rep;
	expect_ok(f, &rep);
	assert_int_equal(rep.batches, 1);
	assert_int_equal(rep.cases, 4);
	assert_int_equal(rep.legacy_entries, 0);
	assert_int_equal(rep.entries,
			 fixture_int(f->s, "SELECT count(*) FROM decisions"));
	for (const char *const *a = (const char *const[]){ACTION_INIT, ACTION_IMPORT,
		     ACTION_POLICY, ACTION_REASONS, ACTION_AUTO_ADD, ACTION_ROLE,
		     ACTION_REVIEWER_ADD, ACTION_EXPORT, NULL}; *a; a++) {
		char sql[128];
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM decisions WHERE action = '%s'", *a);
		if (fixture_int(f->s, sql) < 1)
			fail_msg("no %s entry", *a);
	}
}

/* Roles are replayed as of each entry: a resolve by ann while she was a
 * reviewer stays an error after she becomes a supervisor. */
static void replay_verify__resolve_by_reviewer__role_at_that_entry(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	audit_entry e = {.reviewer = "ann", .case_id = case_id(f, "a"),
			 .action = ACTION_RESOLVE, .model_label = "yes",
			 .label = "no", .seconds = NAN};
	int64_t seq = forge(f, &e);
	assert_int_equal(queue_reviewer_set_role(f->s, "ann", ROLE_SUPERVISOR,
						 dk_login_name(), &err), DK_OK);
	expect_bad(f, seq, "resolve by 'ann', who was not a supervisor then");
}

static void replay_verify__export_by_unknown__refused(void **state)
{
	struct fixture *f = *state;
	audit_entry e = {.reviewer = "nobody", .action = ACTION_EXPORT,
			 .seconds = NAN, .detail = "{\"rows\":1}"};
	int64_t seq = forge(f, &e);
	expect_bad(f, seq, "export by 'nobody', who was not a reviewer of the store then");
}

static void replay_verify__future_and_falling_times__found(void **state)
{
	struct fixture *f = *state;
	audit_entry e = {.reviewer = "ann", .case_id = case_id(f, "a"),
			 .action = ACTION_REVEAL, .seconds = NAN, .detail = "{}"};
	clock_set_ms(T0 + 3600000);
	int64_t seq = forge(f, &e);
	clock_set_ms(T0 + 3600000 - REPLAY_SKEW_MS - 1);
	expect_bad(f, seq, "later than now");
	clock_set_ms(T0 + 3600000 - REPLAY_SKEW_MS);
	replay_report rep;
	expect_ok(f, &rep); /* within the skew */
	fixture_forge(f->s, "UPDATE decisions SET at = 5 WHERE seq = 3");
	expect_bad(f, 3, "times never fall");
}

static void replay_verify__case_row_edited__batch_digest(void **state)
{
	struct fixture *f = *state;
	if (store_engine(f->s) == STORE_POSTGRES) {
		/* (the personal value is kept apart, in case_pii) */
		fixture_exec(f->s, "UPDATE case_pii SET context = '{\"pii:name\":\"X\"}'"
			     " WHERE case_id = (SELECT id FROM cases WHERE ext_id = 'c')");
		expect_bad(f, 2, "batch 1 (p.csv): its cases differ from what entry 2 imported");
		return;
	}
	dk_error err = {{0}};
	/* (the context is stored as its values in the batch's key order) */
	assert_int_equal(fixture_int(f->s, "SELECT context = '[\"Cy Example\"]'"
					   " FROM cases WHERE ext_id = 'c'"), 1);
	assert_int_equal(store_exec(f->s, "UPDATE cases SET context = '[\"X\"]'"
				    " WHERE ext_id = 'c'", &err),
			 DK_OK);
	expect_bad(f, 2, "batch 1 (p.csv): its cases differ from what entry 2 imported");
}

/* The key lists are part of what the digest covers: the values read back
 * under another name are an edit too. An array that does not fit its list
 * is named. A store whose cases hold objects (a docket before the key
 * lists) verifies as it did. */
static void replay_verify__key_list_edited__batch_digest(void **state)
{
	fixture_sqlite_only("key lists and cases as arrays are SQLite's form (PostgreSQL"
			    " keeps objects)");
	struct fixture *f = *state;
	dk_error err = {{0}};
	replay_report rep;
	expect_ok(f, &rep);
	assert_int_equal(store_exec(f->s, "UPDATE batches SET ctx_keys = '[\"name\"]'",
				    &err), DK_OK);
	expect_bad(f, 2, "batch 1 (p.csv): its cases differ from what entry 2 imported");
	assert_int_equal(store_exec(f->s, "UPDATE batches SET ctx_keys = '[\"pii:name\"]';"
				    "UPDATE batches SET prob_keys = '[\"no\",\"yes\"]'",
				    &err), DK_OK);
	expect_bad(f, 2, "batch 1 (p.csv): its cases differ from what entry 2 imported");
	assert_int_equal(store_exec(f->s, "UPDATE batches SET prob_keys = '[\"yes\",\"no\"]';"
				    "UPDATE cases SET probs = '[0.4]' WHERE ext_id = 'b'",
				    &err), DK_OK);
	expect_bad(f, 2, "batch 1 (p.csv): case b: its probabilities in the store has "
			 "1 values, its batch's key list 2");
	assert_int_equal(store_exec(f->s, "UPDATE cases SET probs = '[0.40,0.60]'"
				    " WHERE ext_id = 'b';"
				    "UPDATE batches SET ctx_keys = 'pii:name'", &err), DK_OK);
	expect_bad(f, 2, "batch 1: its key list is malformed (edited)");
	/* the objects, as an older docket stored them: the same digest */
	assert_int_equal(store_exec(f->s,
		"UPDATE cases SET context = json_object('pii:name', context ->> '$[0]');"
		"UPDATE cases SET probs = '{\"yes\":0.40,\"no\":0.60}' WHERE ext_id = 'b';"
		"UPDATE cases SET probs = '{\"yes\":0.55,\"no\":0.45}' WHERE ext_id = 'a';"
		"UPDATE cases SET probs = '{\"yes\":0.95,\"no\":0.05}' WHERE ext_id = 'c';"
		"UPDATE cases SET probs = '{\"yes\":0.48,\"no\":0.52}' WHERE ext_id = 'd';"
		"UPDATE batches SET ctx_keys = NULL, prob_keys = NULL", &err), DK_OK);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM cases"
					   " WHERE context LIKE '{%' AND probs LIKE '{%'"), 4);
	expect_ok(f, &rep);
}

static void replay_verify__queued_set_auto__routing(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	assert_int_equal(store_exec(f->s, "UPDATE cases SET state = 'auto'"
				    " WHERE ext_id = 'a'", &err), DK_OK);
	expect_bad(f, 0, "case m/a is 'auto', but policy version 1 sends it to review");
}

static void replay_verify__tables_changed_outside_docket__found(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	assert_int_equal(store_exec(f->s, "UPDATE reviewers SET role = 'supervisor'"
				    " WHERE name = 'ann'", &err), DK_OK);
	expect_bad(f, 3, "reviewer 'ann' is supervisor in the reviewers table but "
			 "the log made them reviewer (entry 3)");
	assert_int_equal(store_exec(f->s, store_engine(f->s) == STORE_POSTGRES
		? "UPDATE reviewers SET role = 'reviewer' WHERE name = 'ann';"
		  "UPDATE policies SET policy = jsonb_set(policy::jsonb,"
		  " '{threshold}', '0.1')::text"
		: "UPDATE reviewers SET role = 'reviewer' WHERE name = 'ann';"
		  "UPDATE policies SET policy = json_set(policy,"
		  " '$.threshold', 0.1)", &err), DK_OK);
	expect_bad(f, 0, "policy version 1 of model m was edited");
}

/* A store of a docket before the replay: schema 1, entries but no init
 * entry. Opening it appends the init entry after them; verify checks the
 * chain of the old entries, replays from the init entry, and counts the
 * old batch's rows without a digest. */
static void replay_init__older_store__legacy_entries(void **state)
{
	fixture_sqlite_only("an older docket's store is an SQLite file (a PostgreSQL"
			    " store begins at schema 6)");
	struct fixture *f = *state;
	dk_error err = {{0}};
	fixture_log_reset(f->s);
	audit_entry e = {.reviewer = "ann", .case_id = case_id(f, "a"),
			 .action = ACTION_REVEAL, .seconds = NAN, .detail = "{}"};
	forge(f, &e);
	forge(f, &e);
	assert_int_equal(store_exec(f->s, "DELETE FROM meta WHERE key = 'store_id';"
				    "PRAGMA user_version = 1", &err), DK_OK);
	store_close(f->s);
	assert_int_equal(store_open(&f->s, f->path, 0, &err), DK_OK);
	assert_int_equal(store_schema_version(f->s), STORE_SCHEMA_VERSION);
	assert_int_equal(fixture_int(f->s, "SELECT seq FROM decisions WHERE action = 'init'"),
			 3);
	replay_report rep;
	expect_ok(f, &rep);
	assert_int_equal(rep.legacy_entries, 2);
	assert_int_equal(rep.legacy_batches, 1);
	assert_int_equal(rep.batches, 0);
	assert_int_equal(rep.entries, 1);
	/* the old batch's rows are counted */
	assert_int_equal(store_exec(f->s, "DELETE FROM cases WHERE ext_id = 'd'", &err),
			 DK_OK);
	expect_bad(f, 3, "batch 1 (imported before import entries existed): entry 3 "
			 "imported 4 rows, the store holds 3: cases were deleted");
}

static void replay_verify__new_action_before_init__refused(void **state)
{
	struct fixture *f = *state;
	fixture_log_reset(f->s);
	audit_entry e = {.reviewer = "ann", .action = ACTION_ROLE, .seconds = NAN,
			 .detail = "{}"};
	forge(f, &e);
	expect_bad(f, 1, "a role entry before the store's init entry");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(replay_verify__honest_workflow__agrees),
		T(replay_verify__resolve_by_reviewer__role_at_that_entry),
		T(replay_verify__export_by_unknown__refused),
		T(replay_verify__future_and_falling_times__found),
		T(replay_verify__case_row_edited__batch_digest),
		T(replay_verify__key_list_edited__batch_digest),
		T(replay_verify__queued_set_auto__routing),
		T(replay_verify__tables_changed_outside_docket__found),
		T(replay_init__older_store__legacy_entries),
		T(replay_verify__new_action_before_init__refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
