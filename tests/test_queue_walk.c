/* test_queue_walk.c: the queue in claim order over several models, merged
 * from walks of each model's part of the one queue index: the same order
 * as a sort of the whole queue, whatever the chunk, from any position;
 * claims over every model take cases in that order too. */
#include "fixture.h"

#include "docket/clock.h"
#include "docket/queue.h"
#include "docket/queue_walk.h"

#define NMODELS 4
#define NCASES 300

static const char qw_same[] =
	"SELECT c.priority, c.urgency, c.id FROM cases c INDEXED BY cases_queue_model"
	" WHERE c.model_id = ?1 AND c.state = 'queued' AND c.priority = ?2"
	" AND (c.urgency, c.id) > (?3, ?4)"
	" ORDER BY c.priority DESC, c.urgency, c.id LIMIT ?5";
static const char qw_lower[] =
	"SELECT c.priority, c.urgency, c.id FROM cases c INDEXED BY cases_queue_model"
	" WHERE c.model_id = ?1 AND c.state = 'queued' AND c.priority < ?2"
	" ORDER BY c.priority DESC, c.urgency, c.id LIMIT ?5";

static int binds;

static void qw_bind(db_stmt *st, int64_t mid, const struct queue_walk_key *at,
		    int same, int64_t limit, void *ctx)
{
	(void)ctx;
	binds++;
	db_bind_int64(st, 1, mid);
	db_bind_int64(st, 2, at->priority);
	if (same) {
		db_bind_double(st, 3, at->urgency);
		db_bind_int64(st, 4, at->id);
	}
	db_bind_int64(st, 5, limit);
}

static void qw_take(db_stmt *st, void *row, void *ctx)
{
	(void)ctx;
	*(int64_t *)row = db_col_int64(st, 2);
}

/* A queue of NCASES over NMODELS models (and one model with nothing
 * queued), with few priorities and urgencies, so ties across models are
 * decided by id, and some cases in other states. */
static void fill(struct fixture *f)
{
	int64_t mid[NMODELS];
	char name[16], id[16];
	for (int m = 0; m < NMODELS; m++) {
		snprintf(name, sizeof name, "m%d", m);
		mid[m] = fixture_model(f->s, name, "[\"yes\",\"no\"]");
	}
	fixture_model(f->s, "empty", "[\"yes\",\"no\"]");
	uint32_t r = 12345;
	for (int i = 0; i < NCASES; i++) {
		r = r * 1103515245u + 12345u;
		int m = (int)(r >> 16) % NMODELS;
		int prio = (int)(r >> 20) % 3 - 1;
		double urg = (double)((r >> 24) % 4) / 8;
		snprintf(id, sizeof id, "c%d", i);
		fixture_case(f->s, mid[m], id, "yes", 0.5,
			     i % 7 == 3 ? CASE_AUTO : CASE_QUEUED, prio, urg, 1);
	}
}

/* The queue as a sort of all of it gives it: case ids into ids. */
static size_t sorted(struct fixture *f, int64_t model_id, int64_t *ids)
{
	db_stmt *st = fixture_prepare(f->s,
		"SELECT id FROM cases NOT INDEXED WHERE state = 'queued'"
		" AND (?1 = 0 OR model_id = ?1)"
		" ORDER BY priority DESC, urgency, id");
	db_bind_int64(st, 1, model_id);
	size_t n = 0;
	while (db_step(st) == DB_ROW)
		ids[n++] = db_col_int64(st, 0);
	fixture_finalize(st);
	return n;
}

static size_t walk(struct fixture *f, int64_t model_id, size_t chunk,
		   const struct queue_walk_key *after, int64_t *ids)
{
	const struct queue_walk_ops ops = {
		.sql_same = qw_same, .sql_lower = qw_lower, .bind = qw_bind,
		.take = qw_take, .row_size = sizeof(int64_t), .chunk = chunk,
	};
	dk_error err = {{0}};
	queue_walk *w;
	assert_int_equal(queue_walk_open(&w, f->s, &ops, model_id, after, &err), DK_OK);
	size_t n = 0;
	int rc;
	while ((rc = queue_walk_next(w, &ids[n], NULL, &err)) == DK_OK)
		n++;
	assert_int_equal(rc, DK_EMPTY);
	queue_walk_close(w);
	return n;
}

static void queue_walk__models_merged__claim_order_any_chunk(void **state)
{
	struct fixture *f = *state;
	fill(f);
	static int64_t want[NCASES], got[NCASES];
	size_t n = sorted(f, 0, want);
	assert_true(n > NCASES / 2);
	const size_t chunks[] = {1, 2, 7, 64, 1000};
	for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
		assert_int_equal(walk(f, 0, chunks[c], NULL, got), n);
		assert_memory_equal(got, want, n * sizeof *got);
	}
	/* one model alone */
	size_t n1 = sorted(f, 2, want);
	assert_int_equal(walk(f, 2, 3, NULL, got), n1);
	assert_memory_equal(got, want, n1 * sizeof *got);
	/* from a position: the rest of the order after it */
	n = sorted(f, 0, want);
	for (size_t at = 0; at < n; at += 37) {
		db_stmt *st = fixture_prepare(f->s,
			"SELECT priority, urgency FROM cases WHERE id = ?1");
		db_bind_int64(st, 1, want[at]);
		assert_int_equal(db_step(st), DB_ROW);
		struct queue_walk_key k = {db_col_int64(st, 0), db_col_double(st, 1),
					   want[at]};
		fixture_finalize(st);
		size_t m = walk(f, 0, 5, &k, got);
		assert_int_equal(m, n - at - 1);
		assert_memory_equal(got, want + at + 1, m * sizeof *got);
	}
}

/* Reads stay per chunk: a walk of 10 rows of a big queue reads a chunk per
 * model, not the queue. */
static void queue_walk__reads_ahead_a_chunk_per_model_only(void **state)
{
	struct fixture *f = *state;
	fill(f);
	const struct queue_walk_ops ops = {
		.sql_same = qw_same, .sql_lower = qw_lower, .bind = qw_bind,
		.take = qw_take, .row_size = sizeof(int64_t), .chunk = 4,
	};
	dk_error err = {{0}};
	queue_walk *w;
	binds = 0;
	assert_int_equal(queue_walk_open(&w, f->s, &ops, 0, NULL, &err), DK_OK);
	int64_t id;
	for (int i = 0; i < 10; i++)
		assert_int_equal(queue_walk_next(w, &id, NULL, &err), DK_OK);
	queue_walk_close(w);
	/* (each model: its first chunk, and at most three more for 10 rows,
	 * each perhaps a same-priority read that ran out) */
	assert_true(binds <= (NMODELS + 1) * 2 + 3 * 2);
}

/* queue_claim over every model takes the cases in the order of a sort of
 * the whole queue (priority, urgency, id over all models), as the one
 * index over all models gave it. */
static void queue_claim__every_model__old_order(void **state)
{
	struct fixture *f = *state;
	fill(f);
	static int64_t want[NCASES];
	size_t n = sorted(f, 0, want);
	dk_error err = {{0}};
	clock_set_ms(1700000000000);
	assert_int_equal(queue_reviewer_add(f->s, "ann", ROLE_REVIEWER,
					    dk_login_name(), &err), DK_OK);
	for (size_t i = 0; i < n; i++) {
		queue_case c;
		assert_int_equal(queue_claim(f->s, "ann", NULL, &c, &err), DK_OK);
		if (c.case_id != want[i])
			fail_msg("claim %zu: case %lld, want %lld", i,
				 (long long)c.case_id, (long long)want[i]);
		queue_case_free(&c);
	}
	queue_case c;
	assert_int_equal(queue_claim(f->s, "ann", NULL, &c, &err), DK_EMPTY);
	clock_set_ms(-1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			queue_walk__models_merged__claim_order_any_chunk,
			fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
			queue_walk__reads_ahead_a_chunk_per_model_only,
			fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(queue_claim__every_model__old_order,
						fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
