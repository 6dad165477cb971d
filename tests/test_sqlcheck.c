/* test_sqlcheck.c: every SQL statement docket prepares (collected from
 * src/, src/cli/ and src/engine/ by tests/sh/sql_statements.py) is accepted by the engine the store
 * runs on: prepared, and planned, on a new store, never run. The unit run
 * on PostgreSQL (tests/run-tests.sh) makes this the same check on both
 * engines; a statement written for one engine only is checked on that one.
 * A statement only one engine refuses, behind a read whose failure reads
 * as "no row", is found here and not by luck in whichever test runs it. */
#include "fixture.h"

struct sqlcheck_stmt {
	char engine[16]; /* both, sqlite, postgres */
	char where[96];  /* FILE:LINE */
	char *sql;
};

static struct sqlcheck_stmt *stmts;
static size_t nstmts;

static int group_setup(void **state)
{
	(void)state;
	FILE *p = popen("python3 tests/sh/sql_statements.py src/*.c src/cli/*.c"
		       " src/engine/*.c", "r");
	if (!p)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, p)) > 0) {
		line[strcspn(line, "\n")] = '\0';
		char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (!t2)
			continue;
		*t1 = *t2 = '\0';
		stmts = realloc(stmts, (nstmts + 1) * sizeof *stmts);
		struct sqlcheck_stmt *st = &stmts[nstmts++];
		snprintf(st->engine, sizeof st->engine, "%s", line);
		snprintf(st->where, sizeof st->where, "%s", t1 + 1);
		st->sql = strdup(t2 + 1);
	}
	free(line);
	return pclose(p) == 0 && nstmts > 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < nstmts; i++)
		free(stmts[i].sql);
	free(stmts);
	return 0;
}

/* DK_OK when the store's engine prepares and plans sql; else err says why. */
static int prepare_only(store *s, const char *sql, dk_error *err)
{
	sbuf plan = {0};
	int rc = store_explain(s, sql, &plan, err);
	sbuf_free(&plan);
	return rc;
}

/* The parameter PostgreSQL could not type ("could not determine data type
 * of parameter $K"), or 0. */
static int untyped_param(const dk_error *err)
{
	const char *k = strstr(err->msg, "could not determine data type of parameter $");
	return k ? atoi(k + strlen("could not determine data type of parameter $")) : 0;
}

/* sql with each ?K outside quotes (not ?K0...) passed to f: the text put
 * in its place, or NULL to keep it. */
static char *sql_map_params(const char *sql, const char *(*f)(const char *at, int k,
							     const char **end, void *ctx),
			    void *ctx)
{
	sbuf b = {0};
	for (const char *p = sql; *p;) {
		if (*p == '\'' || *p == '"') {
			const char *q = strchr(p + 1, *p);
			q = q ? q + 1 : p + strlen(p);
			sbuf_add(&b, p, (size_t)(q - p));
			p = q;
			continue;
		}
		if (*p == '?' && p[1] >= '0' && p[1] <= '9') {
			const char *end = p + 1;
			int k = 0;
			while (*end >= '0' && *end <= '9')
				k = k * 10 + (*end++ - '0');
			const char *put = f(p, k, &end, ctx);
			if (put) {
				sbuf_adds(&b, put);
				p = end;
				continue;
			}
		}
		sbuf_addc(&b, *p++);
	}
	sbuf_addc(&b, '\0');
	return b.buf;
}

/* `?K IS NULL` -> FALSE, `?K IS NOT NULL` -> TRUE (pg.c's probe). */
static const char *drop_null_test(const char *at, int k, const char **end, void *ctx)
{
	(void)at, (void)k, (void)ctx;
	const char *q = *end;
	while (*q == ' ')
		q++;
	if (strncmp(q, "IS ", 3))
		return NULL;
	q += 3;
	int not = !strncmp(q, "NOT ", 4);
	q += not ? 4 : 0;
	if (strncmp(q, "NULL", 4) || (q[4] >= 'A' && q[4] <= 'Z'))
		return NULL;
	*end = q + 4;
	return not ? "TRUE" : "FALSE";
}

/* ?K -> CAST(?K AS TEXT) for the K in ctx. */
static const char *as_text(const char *at, int k, const char **end, void *ctx)
{
	static char buf[48];
	if (k != *(int *)ctx)
		return NULL;
	snprintf(buf, sizeof buf, "CAST(%.*s AS TEXT)", (int)(*end - at), at);
	return buf;
}

/* ?N -> ?N-1 for the N above the K in ctx (which the text no longer
 * uses). */
static const char *renumber(const char *at, int k, const char **end, void *ctx)
{
	static char buf[16];
	(void)at, (void)end;
	if (k <= *(int *)ctx)
		return NULL;
	snprintf(buf, sizeof buf, "?%d", k - 1);
	return buf;
}

/* 1 when the text uses ?k. */
static const char *find_param(const char *at, int k, const char **end, void *ctx)
{
	(void)at, (void)end;
	if (k == ((int *)ctx)[0])
		((int *)ctx)[1] = 1;
	return NULL;
}

static int uses_param(const char *sql, int k)
{
	int ctx[2] = {k, 0};
	free(sql_map_params(sql, find_param, ctx));
	return ctx[1];
}

/* PostgreSQL types a statement's parameters from its text; docket's engine
 * (pg.c) prepares it on the first step, from the types of the values bound
 * then, and a parameter bound NULL, which the server cannot type from
 * `?K IS NULL OR col = ?K`, from a probe: the statement with its IS NULL
 * tests taken out, described; what that leaves untyped is text. Unbound,
 * the check does the same: it checks the probe when the statement's own
 * text leaves a parameter untyped (so a statement is taken as accepted
 * when its probe is: what the engine's typed prepare then adds is only
 * those types). */
static int prepare_as_engine(store *s, const char *sql, dk_error *err)
{
	int rc = prepare_only(s, sql, err);
	if (rc == DK_OK || store_engine(s) != STORE_POSTGRES || !untyped_param(err))
		return rc;
	char *probe = sql_map_params(sql, drop_null_test, NULL);
	for (int tries = 0; tries < 20; tries++) {
		rc = prepare_only(s, probe, err);
		int k = untyped_param(err);
		if (rc == DK_OK || !k)
			break;
		/* (one the text does not use, the engine binds as text: it
		 * types nothing, and the ones after it move down) */
		char *typed = sql_map_params(probe, uses_param(probe, k) ? as_text : renumber,
					     &k);
		free(probe);
		probe = typed;
	}
	free(probe);
	return rc;
}

/* PostgreSQL: the total cost of sql's plan (its first line's
 * "cost=A..B"), or -1 when it did not plan as written. */
static double plan_cost(store *s, const char *sql)
{
	sbuf plan = {0};
	dk_error err = {{0}};
	double cost = -1;
	if (store_explain(s, sql, &plan, &err) == DK_OK) {
		const char *c = strstr(sbuf_str(&plan), "cost=");
		c = c ? strstr(c, "..") : NULL;
		if (c)
			cost = atof(c + 2);
	}
	sbuf_free(&plan);
	return cost;
}

/* PostgreSQL JIT-compiles a statement planned above jit_above_cost
 * (100000) at every run: on a new, empty store no statement should cost
 * that much, and one that does owes it to an estimate, not to data (a
 * set-returning function is taken as 1000 rows: decide --next's
 * statement, decide() then claim() for each row, cost 274093 and 15 ms of
 * JIT a decision until both were declared ROWS 1). */
#define SQLCHECK_JIT_ABOVE 100000.0

static void sqlcheck__every_statement__accepted_by_its_engines(void **state)
{
	struct fixture *f = *state;
	const char *mine = fixture_on_pg() ? "postgres" : "sqlite";
	size_t checked = 0, refused = 0, costly = 0;
	for (size_t i = 0; i < nstmts; i++) {
		if (strcmp(stmts[i].engine, "both") && strcmp(stmts[i].engine, mine))
			continue;
		dk_error err = {{0}};
		checked++;
		if (prepare_as_engine(f->s, stmts[i].sql, &err) != DK_OK) {
			refused++;
			print_error("%s: %s\n    %s\n", stmts[i].where, err.msg,
				    stmts[i].sql);
			continue;
		}
		double cost = fixture_on_pg() ? plan_cost(f->s, stmts[i].sql) : -1;
		if (cost > SQLCHECK_JIT_ABOVE) {
			costly++;
			print_error("%s: planned at cost %.0f on an empty store, past"
				    " jit_above_cost\n    %s\n",
				    stmts[i].where, cost, stmts[i].sql);
		}
	}
	print_message("%zu statements checked on %s\n", checked, mine);
	/* (a few hundred: the script found them, or the check checks nothing) */
	assert_true(checked > 150);
	if (refused)
		fail_msg("%zu of %zu statements refused on %s (above)", refused,
			 checked, mine);
	if (costly)
		fail_msg("%zu of %zu statements planned past jit_above_cost on %s"
			 " (above)", costly, checked, mine);
}

/* The check finds the two statements only PostgreSQL refused, which were
 * found last only because a test happened to run them (the review
 * screen's lease check, the queue list's held cases). */
static void sqlcheck__old_postgres_only_errors__refused(void **state)
{
	struct fixture *f = *state;
	if (!fixture_on_pg()) {
		print_message("PostgreSQL only: SQLite accepts both\n");
		skip();
	}
	dk_error err = {{0}};
	/* a subquery in FROM without an alias (view_queue.c before 984da12) */
	assert_int_equal(prepare_only(f->s,
		"SELECT l.token, l.expires_at, r.name FROM (SELECT 1)"
		" LEFT JOIN leases l ON l.case_id = ?1"
		" LEFT JOIN reviewers r ON r.id = l.reviewer_id", &err), DK_ERR);
	assert_non_null(strstr(err.msg, "alias"));
	/* a CASE mixing json and text (view_queue.c before 3f1f2e3) */
	assert_int_equal(prepare_only(f->s,
		"SELECT 1 FROM cases c JOIN batches b ON b.id = c.batch_id,"
		" json_each(c.context) j WHERE CASE WHEN b.ctx_keys IS NOT NULL"
		" THEN json_extract(b.ctx_keys, '$[' || j.key || ']') ELSE j.key END"
		" NOT LIKE 'pii:%'", &err), DK_ERR);
	assert_non_null(strstr(err.msg, "CASE types"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			sqlcheck__every_statement__accepted_by_its_engines,
			fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(
			sqlcheck__old_postgres_only_errors__refused,
			fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
