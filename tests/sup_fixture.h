/* sup_fixture.h: a small store built row by row for the supervisor's
 * tests (stats, log, screens), with figures worked out by hand. */
#ifndef DOCKET_TEST_SUP_FIXTURE_H
#define DOCKET_TEST_SUP_FIXTURE_H

#include <math.h>

#include "fixture.h"

#define DAY1 1767225600000LL /* 2026-01-01T00:00:00Z */
#define DAY2 (DAY1 + 86400000LL)

static inline void sup_exec(store *s, const char *sql)
{
	fixture_exec(s, sql);
}

/* Insert one case (id = row id) with its final label (NULL: none). */
static inline void sup_case(store *s, int id, const char *pred, double conf,
		     const char *gold, const char *reason, const char *context,
		     const char *state, const char *final, long long decided_at)
{
	dk_error err = {{0}};
	db_stmt *st = store_stmt(s,
		"INSERT INTO cases(id, model_id, batch_id, ext_id, line, prediction,"
		" confidence, context, gold, state, route_reason, policy_version,"
		" urgency, final_label, final_seq, decided_at)"
		" VALUES (?1, 1, 1, 'c' || ?1, ?1 + 1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?3,"
		" ?8, ?9, ?10)", &err);
	assert_non_null(st);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, pred, -1, DB_STATIC);
	db_bind_double(st, 3, conf);
	db_bind_text(st, 4, context, -1, DB_STATIC);
	db_bind_text(st, 5, gold, -1, DB_STATIC);
	db_bind_text(st, 6, state, -1, DB_STATIC);
	db_bind_text(st, 7, reason, -1, DB_STATIC);
	if (final) {
		db_bind_text(st, 8, final, -1, DB_STATIC);
		db_bind_int(st, 9, 1);
		db_bind_int64(st, 10, decided_at);
	} else {
		db_bind_null(st, 8);
		db_bind_null(st, 9);
		db_bind_null(st, 10);
	}
	fixture_step_done(s, st, "insert case");
}

static long long sup_seq;


/* Append one decision (hashes are not checked by stats). */
static inline void sup_decide(store *s, long long at, const char *who, int case_id,
		       const char *action, const char *model_label,
		       const char *label, double secs, long long ref, const char *note)
{
	dk_error err = {{0}};
	db_stmt *st = store_stmt(s,
		"INSERT INTO decisions(seq, at, reviewer, case_id, action, model_label,"
		" label, reason, note, seconds, ref_seq, prev_hash, hash)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'p', ?12)", &err);
	assert_non_null(st);
	char hash[32];
	++sup_seq;
	snprintf(hash, sizeof hash, "h%lld", sup_seq);
	db_bind_int64(st, 1, sup_seq);
	db_bind_int64(st, 2, at);
	db_bind_text(st, 3, who, -1, DB_STATIC);
	if (case_id)
		db_bind_int(st, 4, case_id);
	else
		db_bind_null(st, 4);
	db_bind_text(st, 5, action, -1, DB_STATIC);
	db_bind_text(st, 6, model_label, -1, DB_STATIC);
	db_bind_text(st, 7, label, -1, DB_STATIC);
	if (!strcmp(action, "escalate") || !strcmp(action, "skip"))
		db_bind_text(st, 8, "unsure", -1, DB_STATIC);
	else
		db_bind_null(st, 8);
	db_bind_text(st, 9, note, -1, DB_STATIC);
	if (!isnan(secs))
		db_bind_double(st, 10, secs);
	else
		db_bind_null(st, 10);
	if (ref)
		db_bind_int64(st, 11, ref);
	else
		db_bind_null(st, 11);
	db_bind_text(st, 12, hash, -1, DB_STATIC);
	fixture_step_done(s, st, "insert decision");
}

/* n more cases of model 1 in state in the maintained counts (the cases
 * were inserted directly). */
static inline void sup_count(store *s, const char *state, int n)
{
	dk_error err = {{0}};
	if (store_counter_add(s, 1, state, n, &err))
		fail_msg("counting %s: %s", state, err.msg);
}

/* The fixture, worked out by hand (model "credit", all predictions good):
 *  cases 1-50 double-reviewed by alice (A) and bob (B):
 *    1-20 both good, 21-35 both bad, 36-40 A good B bad, 41-50 A bad B good
 *    -> Wikipedia's Cohen example: po 0.7, pe 0.5, kappa 0.4;
 *       Fleiss over the same 50 cases: (0.7 - 0.505) / 0.495 = 0.3939...
 *    gold "good" on 36-50: alice right 5/15, bob 10/15
 *    final labels only on 1-35 (agreed; 36-50 are disputed):
 *      1-20 good, conf 0.55, day 1; 21-35 bad, conf 0.75, day 2
 *    alice: seconds 1.0 on cases 1-10, else 5.0 -> fast accepts 10/25,
 *      median 5.0; bob: 4.0 everywhere -> median 4.0
 *    context Age = case number, Marital married (odd) / single (even)
 *  case 51: carol escalates (10 s); case 52: carol accepts (2 s) then undoes
 *  cases 53-62: audit sample, conf 0.95, dave: 9 accepts, 1 override (4 s),
 *    final labels on day 2, no context
 *  100 cases left to the model (counters auto = 100); counters of the
 *  other states count the rows above. */
static inline void sup_fixture(store *s)
{
	sup_seq = 0;
	/* A log built by hand from seq 1: the store's init entry goes. */
	fixture_log_reset(s);
	sup_exec(s,
		 "INSERT INTO models(id, name, labels, audit_salt, created_at)"
		 " VALUES (1, 'credit', '[\"good\",\"bad\"]', 'x', 0);"
		 "INSERT INTO batches(id, model_id, source_file, source_sha256,"
		 " format, rows, routed, imported_by, imported_at)"
		 " VALUES (1, 1, 'f.csv', 'h', 'csv', 62, 62, 'me', 0);"
		 "INSERT INTO reviewers(name, role, added_at, added_by) VALUES"
		 " ('alice', 'reviewer', 0, 'x'), ('bob', 'reviewer', 0, 'x'),"
		 " ('carol', 'reviewer', 0, 'x'), ('dave', 'reviewer', 0, 'x');"
		 "INSERT INTO counters(model_id, state, n) VALUES (1, 'auto', 100);");
	for (int i = 1; i <= 50; i++) {
		const char *a = (i <= 20 || (i >= 36 && i <= 40)) ? "good" : "bad";
		const char *b = (i <= 20 || i >= 41) ? "good" : "bad";
		const char *fin = i <= 35 ? a : NULL;
		char ctx[96];
		snprintf(ctx, sizeof ctx, "{\"Age\":%d,\"Marital\":\"%s\"}", i,
			 i % 2 ? "married" : "single");
		sup_case(s, i, "good", i <= 20 ? 0.55 : 0.75, i >= 36 ? "good" : NULL,
			 "confidence", ctx, fin ? "done" : "disputed", fin,
			 i <= 20 ? DAY1 + 1000 * i : DAY2 + 1000 * i);
		long long at = (i <= 20 ? DAY1 : DAY2) + 1000 * i;
		sup_decide(s, at, "alice", i, strcmp(a, "good") ? "override" : "accept",
			   "good", a, i <= 10 ? 1.0 : 5.0, 0, i == 7 ? "Looked at Income" : NULL);
		sup_decide(s, at + 500, "bob", i, strcmp(b, "good") ? "override" : "accept",
			   "good", b, 4.0, 0, NULL);
	}
	sup_case(s, 51, "good", 0.6, NULL, "confidence", "{}", "escalated", NULL, 0);
	sup_decide(s, DAY2 + 100000, "carol", 51, "escalate", "good", NULL, 10.0, 0,
		   "ask a supervisor");
	sup_case(s, 52, "good", 0.6, NULL, "confidence", "{}", "queued", NULL, 0);
	sup_decide(s, DAY2 + 101000, "carol", 52, "accept", "good", "good", 2.0, 0, NULL);
	long long undone = sup_seq;
	sup_decide(s, DAY2 + 102000, "carol", 52, "undo", "good", NULL, NAN, undone, NULL);
	for (int i = 53; i <= 62; i++) {
		const char *l = i == 53 ? "bad" : "good";
		sup_case(s, i, "good", 0.95, NULL, "audit", "{}", "done", l,
			 DAY2 + 200000 + 1000 * i);
		sup_decide(s, DAY2 + 200000 + 1000 * i, "dave", i,
			   i == 53 ? "override" : "accept", "good", l, 4.0, 0, NULL);
	}
	/* the maintained counts of cases per state (importers add these) */
	sup_exec(s, "INSERT INTO counters(model_id, state, n)"
		    " SELECT model_id, state, count(*) FROM cases GROUP BY model_id, state");
	fixture_ids_taken(s);
}

#endif
