/* test_view_sup.c: the supervisor's screen without a terminal: tabs drawn
 * into the screen model and read back as text, keys through the view's
 * handler (paging, filter, resolve), charts in UTF-8 and ASCII. */
#include "fixture.h"

#include <locale.h>

#include "docket/clock.h"
#include "docket/keymap.h"
#include "docket/text.h"
#include "docket/view_sup.h"
#include "sup_fixture.h"

static char *draw(sup *c, screen *scr)
{
	screen_clear(scr);
	view_sup.draw(c, scr);
	return screen_text(scr);
}

static void keys(sup *c, const char *s)
{
	for (; *s; s++)
		view_sup.handle(c, *s == '\n' ? KEY_DK_ENTER : *s);
}

static void must_have(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("screen lacks '%s':\n%s", want, text);
}

static void view_sup__log_tab__newest_first_and_pages(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	text_set_utf8(1);
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(120, 30);
	char *t = draw(&c, scr);
	must_have(t, "1 Log  2 Escalations  3 Disagreements  4 Reviewers  5 Model  6 Audit");
	must_have(t, "(head 113)");
	char *row = screen_row_text(scr, 3);
	assert_non_null(strstr(row, "     113  2026-01-02 00:04  dave"));
	free(row);
	free(t);
	/* 250 steps down crosses the 200-entry core page: keyset continues */
	for (int i = 0; i < 112; i++)
		view_sup.handle(&c, KEY_DK_DOWN);
	t = draw(&c, scr);
	must_have(t, "       1  2026-01-01 00:00  alice");
	free(t);
	view_sup.handle(&c, KEY_DK_DOWN); /* at the end: stays */
	assert_int_equal(c.page.e[c.sel].seq, 1);
	/* open the entry: the case, its fields and history */
	view_sup.handle(&c, KEY_DK_ENTER);
	t = draw(&c, scr);
	must_have(t, "case c1  model credit");
	must_have(t, "Marital");
	must_have(t, "history (2 entries, oldest first)");
	free(t);
	view_sup.handle(&c, KEY_DK_ESC);
	/* filter */
	keys(&c, "/");
	keys(&c, "reviewer=carol\n");
	t = draw(&c, scr);
	must_have(t, "filter: reviewer=carol");
	must_have(t, "escalate");
	assert_int_equal(c.page.n, 3);
	free(t);
	keys(&c, "/");
	while (c.inlen)
		view_sup.handle(&c, KEY_DK_BACKSPACE);
	keys(&c, "since=nonsense\n");
	t = draw(&c, scr);
	must_have(t, "filter: bad time 'nonsense'");
	free(t);
	screen_free(scr);
	sup_done(&c);
}

static void view_sup__escalation__resolved_through_queue(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(120, 30);
	keys(&c, "2");
	char *t = draw(&c, scr);
	must_have(t, "1 case escalated");
	must_have(t, "c51");
	must_have(t, "reason: unsure  note: ask a supervisor");
	free(t);
	keys(&c, "r");
	t = draw(&c, scr);
	must_have(t, "final label: 1 good 2 bad");
	free(t);
	keys(&c, "2");
	keys(&c, "checked\n");
	t = draw(&c, scr);
	must_have(t, "resolved as bad");
	must_have(t, "0 cases escalated");
	free(t);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM cases WHERE id = 51"
				     " AND state = 'done' AND final_label = 'bad'"), 1);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM decisions WHERE"
				     " action = 'resolve' AND case_id = 51 AND note = 'checked'"), 1);
	keys(&c, "3");
	t = draw(&c, scr);
	must_have(t, "15 cases disputed");
	free(t);
	screen_free(scr);
	sup_done(&c);
}

/* More waiting cases than one page: keyset pages reach every one, in id
 * order, down and back up; the count is the maintained counter's. */
static void view_sup__waiting_lists__keyset_pages_reach_every_case(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	sup_exec(f->s, "BEGIN");
	for (int i = 1001; i <= 2234; i++)
		sup_case(f->s, i, "good", 0.6, NULL, "confidence", "{}", "escalated",
			 NULL, 0);
	sup_exec(f->s, "UPDATE counters SET n = n + 1234 WHERE state = 'escalated';"
		       "COMMIT");
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(120, 30);
	keys(&c, "2");
	char *t = draw(&c, scr);
	must_have(t, "1235 cases escalated; at 1;");
	free(t);
	assert_int_equal(c.rows[c.rsel].case_row, 51);
	int64_t prev = 51;
	for (int i = 1; i < 1235; i++) {
		view_sup.handle(&c, i % 2 ? KEY_DK_DOWN : 'j');
		int64_t cur = c.rows[c.rsel].case_row;
		if (cur != (i == 1 ? 1001 : prev + 1))
			fail_msg("step %d: case %lld after %lld", i, (long long)cur,
				 (long long)prev);
		prev = cur;
	}
	t = draw(&c, scr);
	must_have(t, "1235 cases escalated; at 1235;");
	must_have(t, "c2234");
	free(t);
	view_sup.handle(&c, KEY_DK_DOWN); /* the last: stays */
	assert_int_equal(c.rows[c.rsel].case_row, 2234);
	/* back up across the pages, one by one */
	for (int i = 1233; i >= 0; i--) {
		view_sup.handle(&c, KEY_DK_UP);
		int64_t want = i == 0 ? 51 : 1000 + i;
		if (c.rows[c.rsel].case_row != want)
			fail_msg("up to %d: case %lld", i, (long long)c.rows[c.rsel].case_row);
	}
	/* a page down moves (30 - 4) / 3 cases: 200 reach the end */
	for (int i = 0; i < 200; i++)
		view_sup.handle(&c, KEY_DK_PGDN);
	t = draw(&c, scr);
	must_have(t, "1235 cases escalated; at 1235;");
	free(t);
	/* from the first, down to one on the fourth page, resolve it there: the
	 * count drops, the selection stays in place on the next case */
	keys(&c, "g");
	for (int i = 0; i < 700; i++)
		view_sup.handle(&c, KEY_DK_DOWN);
	assert_int_equal(c.rows[c.rsel].case_row, 1700);
	keys(&c, "r");
	keys(&c, "1");
	keys(&c, "ok\n");
	t = draw(&c, scr);
	must_have(t, "resolved as good");
	must_have(t, "1234 cases escalated; at 701;");
	free(t);
	assert_int_equal(c.rows[c.rsel].case_row, 1701);
	keys(&c, "3");
	t = draw(&c, scr);
	must_have(t, "15 cases disputed (double review disagreed); at 1;");
	free(t);
	screen_free(scr);
	sup_done(&c);
}

static void view_sup__health_tabs__figures_and_charts(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	text_set_utf8(1);
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(120, 40);
	keys(&c, "4");
	char *t = draw(&c, scr);
	must_have(t, "alice            50 0.500    ██████████░░░░░░░░░░  0.000       5.0 0.400    0.333    0.700");
	must_have(t, "carol             1 few(1)");
	must_have(t, "Fleiss' kappa 0.394 over 50 cases");
	must_have(t, "alice        with bob              50 shared  Cohen's kappa 0.400");
	free(t);
	keys(&c, "5");
	t = draw(&c, scr);
	must_have(t, "model credit (1 of 1): 45 reviewed, override rate 0.356");
	must_have(t, "95% Wilson 0.0179-0.4042; 100 predictions unreviewed");
	must_have(t, "  0.7-0.8          1.000    ████████████████████████  15/15");
	must_have(t, "override rate per day, 2026-01-01 to 2026-01-02");
	must_have(t, "  ▁▅");
	free(t);
	keys(&c, "f");
	keys(&c, "Age:20\n");
	t = draw(&c, scr);
	must_have(t, "override rate by Age (bins [lo, hi))");
	must_have(t, "  20-40            0.938");
	free(t);
	/* ASCII without a UTF-8 locale */
	text_set_utf8(0);
	t = draw(&c, scr);
	must_have(t, "  0.7-0.8          1.000    ########################  15/15");
	must_have(t, "  _=");
	free(t);
	text_set_utf8(1);
	keys(&c, "6");
	t = draw(&c, scr);
	must_have(t, "head: entry 113  h113");
	must_have(t, "never verified; 113 entries to check");
	must_have(t, "v or V verifies every entry now");
	free(t);
	keys(&c, "v");
	t = draw(&c, scr);
	must_have(t, "CHAIN BROKEN at entry 1 (full check)"); /* fake hashes */
	must_have(t, "never verified"); /* a broken chain is not recorded */
	free(t);
	screen_free(scr);
	sup_done(&c);
}

static void append_export(store *s, int64_t at)
{
	dk_error err = {{0}};
	audit_entry e = {.reviewer = "ann", .action = "export", .seconds = NAN};
	clock_set_ms(at);
	assert_int_equal(store_begin_write(s, &err), DK_OK);
	assert_int_equal(audit_append(s, &e, NULL, NULL, &err), DK_OK);
	assert_int_equal(store_commit(s, &err), DK_OK);
	clock_set_ms(-1);
}

/* The Audit tab remembers how far the chain was verified: v checks only
 * the entries since, V every entry; intact results move the record. */
static void view_sup__audit_tab__quick_check_from_verified_head(void **state)
{
	struct fixture *f = *state;
	for (int i = 0; i < 5; i++)
		append_export(f->s, DAY1 + i * 1000);
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(140, 30);
	keys(&c, "6");
	char *t = draw(&c, scr);
	must_have(t, "never verified; 5 entries to check");
	must_have(t, "v or V verifies every entry now");
	free(t);
	clock_set_ms(DAY2);
	keys(&c, "v"); /* nothing on record: every entry */
	clock_set_ms(-1);
	t = draw(&c, scr);
	must_have(t, "chain intact: verified every entry (5), up to entry 5");
	must_have(t, "verified up to entry 5 at 2026-01-02T00:00:00Z; 0 entries since "
		     "(every entry last re-checked: 2026-01-02T00:00:00Z)");
	free(t);
	struct verifymark m;
	assert_int_equal(verifymark_get(f->s, &m, &err), DK_OK);
	assert_int_equal(m.seq, 5);
	for (int i = 5; i < 8; i++)
		append_export(f->s, DAY2 + i * 1000);
	keys(&c, "6");
	t = draw(&c, scr);
	must_have(t, "verified up to entry 5 at 2026-01-02T00:00:00Z; 3 entries since");
	must_have(t, "v checks the entries since then; V re-verifies every entry");
	free(t);
	/* an old entry edited: the quick check does not re-read it, V does */
	sup_exec(f->s, "DROP TRIGGER decisions_no_update;"
		       "UPDATE decisions SET note = 'edited' WHERE seq = 2");
	clock_set_ms(DAY2 + 60000);
	keys(&c, "v");
	clock_set_ms(-1);
	t = draw(&c, scr);
	must_have(t, "new entries intact: 3 after the verified head chain to it, up to entry 8");
	must_have(t, "verified up to entry 8 at 2026-01-02T00:01:00Z; 0 entries since "
		     "(every entry last re-checked: 2026-01-02T00:00:00Z)");
	free(t);
	keys(&c, "V");
	t = draw(&c, scr);
	must_have(t, "CHAIN BROKEN at entry 2 (full check)");
	must_have(t, "content does not match its hash");
	must_have(t, "verified up to entry 8 at 2026-01-02T00:01:00Z");
	free(t);
	/* a new entry edited: the quick check finds it */
	append_export(f->s, DAY2 + 9000);
	sup_exec(f->s, "UPDATE decisions SET note = 'edited' WHERE seq = 9");
	keys(&c, "v");
	t = draw(&c, scr);
	must_have(t, "CHAIN BROKEN at entry 9 (quick check)");
	free(t);
	assert_int_equal(verifymark_get(f->s, &m, &err), DK_OK);
	assert_int_equal(m.seq, 8);
	screen_free(scr);
	sup_done(&c);
}

/* Someone with write access rewrites the whole log into a valid chain and
 * writes a record of its new head where the record used to be kept (meta):
 * the Audit tab's quick check starts from the record it keeps itself, out
 * of the store, and finds the rewrite. */
static void view_sup__audit_tab__rewritten_chain__meta_cannot_vouch(void **state)
{
	struct fixture *f = *state;
	for (int i = 0; i < 4; i++)
		append_export(f->s, DAY1 + i * 1000);
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(140, 30);
	keys(&c, "6");
	keys(&c, "V");
	char *t = draw(&c, scr);
	must_have(t, "chain intact: verified every entry (4)");
	free(t);
	/* the rewrite: a new, correctly hashed chain of 6 entries */
	fixture_log_reset(f->s);
	for (int i = 0; i < 6; i++)
		append_export(f->s, DAY1 + i * 2000);
	int64_t head;
	char hash[65], sql[256];
	assert_int_equal(audit_head(f->s, &head, hash, &err), DK_OK);
	snprintf(sql, sizeof sql,
		 "INSERT OR REPLACE INTO meta(key, value) VALUES ('verified_seq', '6'),"
		 " ('verified_hash', '%s'), ('verified_at', '1')", hash);
	sup_exec(f->s, sql);
	keys(&c, "v");
	t = draw(&c, scr);
	must_have(t, "CHAIN BROKEN at entry 4 (quick check)");
	must_have(t, "is not the verified");
	free(t);
	screen_free(scr);
	sup_done(&c);
}

/* Wide names line up on the screens too (display width, never bytes). */
static void view_sup__wide_names__line_up(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8")); /* wcwidth */
	text_set_utf8(1);
	sup_decide(f->s, DAY2 + 900000, "\u5c71\u7530\u592a\u90ce", 51, "skip", "good",
		   NULL, 3.0, 0, NULL);
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(120, 40);
	keys(&c, "4");
	char *t = draw(&c, scr);
	/* 8 columns of name in the 12-column cell, then " %6lld" */
	must_have(t, "\n\u5c71\u7530\u592a\u90ce          1 ");
	must_have(t, "\ncarol             1 ");
	free(t);
	/* the escalated case's history: the name in a 10-column cell */
	keys(&c, "2");
	t = draw(&c, scr);
	must_have(t, " \u5c71\u7530\u592a\u90ce   skip     ");
	must_have(t, " carol      escalate ");
	free(t);
	screen_free(scr);
	sup_done(&c);
}

static void sup_bar__eighths_and_ascii(void **state)
{
	(void)state;
	screen *scr = screen_new(20, 2);
	text_set_utf8(1);
	sup_bar(scr, 0, 0, 4, 0.5625); /* 18 eighths: 2 full, a quarter */
	char *r = screen_row_text(scr, 0);
	assert_string_equal(r, "██▎░");
	free(r);
	text_set_utf8(0);
	sup_bar(scr, 1, 0, 4, 0.5625);
	r = screen_row_text(scr, 1);
	assert_string_equal(r, "## .");
	free(r);
	text_set_utf8(1);
	screen_free(scr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(view_sup__log_tab__newest_first_and_pages,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__escalation__resolved_through_queue,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__waiting_lists__keyset_pages_reach_every_case,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__health_tabs__figures_and_charts,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__audit_tab__quick_check_from_verified_head,
						fixture_setup_no_log, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__audit_tab__rewritten_chain__meta_cannot_vouch,
						fixture_setup_no_log, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__wide_names__line_up,
						fixture_setup, fixture_teardown),
		cmocka_unit_test(sup_bar__eighths_and_ascii),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
