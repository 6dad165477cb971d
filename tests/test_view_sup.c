/* test_view_sup.c: the supervisor's screen without a terminal: tabs drawn
 * into the screen model and read back as text, keys through the view's
 * handler (paging, filter, resolve), charts in UTF-8 and ASCII. */
#include "fixture.h"

#include <locale.h>
#include <regex.h>

#include "docket/anchor.h"
#include "docket/clock.h"
#include "docket/keymap.h"
#include "docket/text.h"
#include "docket/theme.h"
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
	/* open the entry: the case, its fields and history; a supervisor
	 * reads a gold check as gold, with the rule that would have routed it */
	fixture_exec(f->s, "UPDATE cases SET route_reason = 'gold check; confidence"
			   " 0.60 < 0.80' WHERE ext_id = 'c1'");
	view_sup.handle(&c, KEY_DK_ENTER);
	t = draw(&c, scr);
	must_have(t, "case c1  model credit");
	must_have(t, "routed: gold check; confidence 0.60 < 0.80");
	must_have(t, "Marital");
	must_have(t, "History of case c1: 2 entries, oldest first");
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
	view_sup.handle(&c, KEY_DK_CTRL('u')); /* the line, as a shell clears it */
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
	sup_count(f->s, "escalated", 1234);
	sup_exec(f->s, "COMMIT");
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

/* The Audit tab names the newest signed anchor, who signed it and how
 * many entries it does not cover yet. */
static void view_sup__audit_tab__latest_anchor(void **state)
{
	struct fixture *f = *state;
	for (int i = 0; i < 3; i++)
		append_export(f->s, DAY1 + i * 1000);
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(140, 30);
	keys(&c, "6");
	char *t = draw(&c, scr);
	must_have(t, "no signed anchor: 'docket anchor' signs the head");
	free(t);
	anchor_key k;
	anchor_key_generate(&k);
	sbuf line = {0};
	int64_t seq = 0;
	assert_int_equal(anchor_sign_head(f->s, &k, "sue", &line, &seq, &err), DK_OK);
	sbuf_free(&line);
	for (int i = 0; i < 2; i++)
		append_export(f->s, DAY2 + i * 1000);
	keys(&c, "6");
	t = draw(&c, scr);
	must_have(t, "latest anchor: entry 4, signed by sue; 2 entries after it");
	free(t);
	screen_free(scr);
	sup_done(&c);
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
	fixture_forge(f->s, "UPDATE decisions SET note = 'edited' WHERE seq = 2");
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
	fixture_forge(f->s, "UPDATE decisions SET note = 'edited' WHERE seq = 9");
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
		 "INSERT INTO meta(key, value) VALUES ('verified_seq', '6'),"
		 " ('verified_hash', '%s'), ('verified_at', '1')"
		 " ON CONFLICT (key) DO UPDATE SET value = excluded.value", hash);
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

static void must_lack(const char *text, const char *want)
{
	if (strstr(text, want))
		fail_msg("screen shows '%s':\n%s", want, text);
}

/* Rows 1 .. h-3 (between the tab bar and the status line) are blank. */
static int content_blank(const screen *scr)
{
	for (int y = 1; y < scr->h - 2; y++) {
		char *r = screen_row_text(scr, y);
		int blank = !r[0];
		free(r);
		if (!blank)
			return 0;
	}
	return 1;
}

/* The last non-blank content row's text (malloc'd), "" when none. */
static char *last_content_row(const screen *scr)
{
	for (int y = scr->h - 3; y >= 1; y--) {
		char *r = screen_row_text(scr, y);
		if (r[0])
			return r;
		free(r);
	}
	return dk_xstrdup("");
}

/* A long escalated case (70): 30 context fields and a text of many lines,
 * escalated by carol with a reason and a note, the newest log entry. */
static void long_escalation(store *s)
{
	sbuf ctx = {0};
	sbuf_adds(&ctx, "{");
	for (int i = 1; i <= 30; i++)
		sbuf_printf(&ctx, "%s\"Field%02d\":\"value %d\"", i > 1 ? "," : "", i, i);
	sbuf_adds(&ctx, "}");
	sup_case(s, 70, "good", 0.6, NULL, "confidence", sbuf_str(&ctx), "escalated", NULL, 0);
	sbuf_free(&ctx);
	sbuf text = {0};
	for (int i = 1; i <= 40; i++)
		sbuf_printf(&text, "Line %d of the applicant's letter.\n", i);
	sbuf_adds(&text, "The very last line.");
	dk_error err = {{0}};
	db_stmt *st = store_stmt(s, "UPDATE cases SET text = ?1 WHERE id = 70", &err);
	assert_non_null(st);
	db_bind_text(st, 1, sbuf_str(&text), -1, DB_STATIC);
	fixture_step_done(s, st, "setting the case's text");
	sbuf_free(&text);
	sup_decide(s, DAY2 + 300000, "carol", 70, "escalate", "good", NULL, 8.0, 0,
		   "income looks odd");
	sup_count(s, "escalated", 1);
}

/* Enter opens the case (as help says) in every tab with a list; r is what
 * resolves, from the list or from the open case. */
/* Tab goes forward through the tabs and Shift-Tab back, both round. */
static void view_sup__shift_tab__goes_back_through_tabs(void **state)
{
	struct fixture *f = *state;
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	assert_int_equal(c.tab, SUPT_LOG);
	view_sup.handle(&c, KEY_DK_BTAB);
	assert_int_equal(c.tab, SUPT_AUDIT);
	view_sup.handle(&c, KEY_DK_BTAB);
	assert_int_equal(c.tab, SUPT_MODEL);
	view_sup.handle(&c, '\t');
	view_sup.handle(&c, '\t');
	assert_int_equal(c.tab, SUPT_LOG);
	sup_done(&c);
}

static void view_sup__enter__opens_the_case_in_every_list_tab(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	text_set_utf8(1);
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(120, 30);
	const char *tabs[] = {"1", "2", "3"};
	const char *cases[] = {"case c62  model credit", "case c51  model credit",
			       "case c36  model credit"};
	for (int i = 0; i < 3; i++) {
		keys(&c, tabs[i]);
		view_sup.handle(&c, KEY_DK_ENTER);
		char *t = draw(&c, scr);
		must_have(t, cases[i]);
		must_have(t, "History of case ");
		must_have(t, "Esc back");
		must_lack(t, "final label:");
		free(t);
		view_sup.handle(&c, KEY_DK_ESC);
		t = draw(&c, scr);
		must_lack(t, "Esc back");
		free(t);
	}
	/* help says so */
	keys(&c, "?");
	char *t = draw(&c, scr);
	must_have(t, "Enter       Log, Escalations, Disagreements: open the selected case");
	must_have(t, "r           Escalations, Disagreements: resolve");
	free(t);
	keys(&c, "x");
	/* resolve from the open case: the list comes back without it */
	keys(&c, "2\n");
	keys(&c, "r");
	t = draw(&c, scr);
	must_have(t, "final label: 1 good 2 bad");
	free(t);
	keys(&c, "1checked\n");
	t = draw(&c, scr);
	must_have(t, "resolved as good");
	must_have(t, "0 cases escalated");
	free(t);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM cases WHERE id = 51"
				     " AND state = 'done' AND final_label = 'good'"), 1);
	screen_free(scr);
	sup_done(&c);
}

/* The case under the Escalations list shows the escalation's reason even
 * when the case is long; the opened case scrolls to its very end. */
static void view_sup__escalated_case__reason_in_sight_and_end_reachable(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	long_escalation(f->s);
	text_set_utf8(1);
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(100, 24);
	keys(&c, "2j");
	char *t = draw(&c, scr);
	must_have(t, "History of case c70: 1 entry");
	must_have(t, "reason: unsure  note: income looks odd");
	must_have(t, "Enter opens the whole case");
	free(t);
	keys(&c, "\n");
	for (int i = 0; i < 20; i++)
		view_sup.handle(&c, KEY_DK_PGDN), free(draw(&c, scr));
	t = draw(&c, scr);
	must_have(t, "The very last line.");
	free(t);
	screen_free(scr);
	sup_done(&c);
}

/* Every view and tab, pressed Down and PgDn many times: the content area is
 * never blank while there is content, scrolling stops with the content's
 * last line at the bottom, a key back up moves at once, and the top comes
 * back as it was. */
static void view_sup__scrolling__every_view_stops_at_its_end(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	long_escalation(f->s);
	text_set_utf8(1);
	/* key strings that reach each view; 1: a document (the whole of it
	 * shows on a tall screen), 0: a list (a selection moves) */
	const struct { const char *keys; int doc; } views[] = {
		{"1", 0}, {"1\n", 1}, {"2", 0}, {"2j\n", 1}, {"3", 0}, {"3\n", 1},
		{"4", 1}, {"5", 1}, {"6", 1}, {"?", 1}, {"5d", 1},
		{"5fMarital\npgood\n", 1},
	};
	const int downs[] = {KEY_DK_DOWN, 'j', KEY_DK_PGDN, ' '};
	for (size_t v = 0; v < sizeof views / sizeof views[0]; v++) {
		for (size_t d = 0; d < sizeof downs / sizeof downs[0]; d++) {
			sup c;
			dk_error err = {{0}};
			assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
			keys(&c, views[v].keys);
			/* the whole content, on a tall screen of the same width */
			screen *tall = screen_new(100, 400);
			free(draw(&c, tall));
			char *last = last_content_row(tall);
			int longer = 0; /* longer than the small screen's 11 rows */
			for (int y = 12; y < tall->h - 2 && !longer; y++) {
				char *r = screen_row_text(tall, y);
				longer = r[0] != '\0';
				free(r);
			}
			screen_free(tall);
			screen *scr = screen_new(100, 14);
			char *top = draw(&c, scr);
			for (int i = 0; i < 300; i++) {
				view_sup.handle(&c, downs[d]);
				free(draw(&c, scr));
				if (content_blank(scr))
					fail_msg("view '%s', key %d, step %d: blank:\n%s",
						 views[v].keys, downs[d], i, screen_text(scr));
			}
			char *t = draw(&c, scr);
			if (views[v].doc) {
				/* the end: the last line, on the bottom row when the
				 * content is longer than the screen */
				char *bottom = last_content_row(scr);
				char *row = screen_row_text(scr, scr->h - 3);
				if (strcmp(bottom, last) || (longer && strcmp(row, last)))
					fail_msg("view '%s': the end shows '%s', not '%s':\n%s",
						 views[v].keys, row, last, t);
				free(bottom);
				free(row);
				/* one key up moves at once, even after many downs
				 * with no frame between */
				for (int i = 0; i < 50; i++)
					view_sup.handle(&c, downs[d]);
				view_sup.handle(&c, KEY_DK_UP);
				free(draw(&c, scr));
				row = screen_row_text(scr, scr->h - 3);
				if (longer && !strcmp(row, last))
					fail_msg("view '%s': Up after the end did not move",
						 views[v].keys);
				free(row);
			}
			free(t);
			for (int i = 0; i < 300; i++)
				view_sup.handle(&c, i % 2 ? KEY_DK_UP : KEY_DK_PGUP);
			t = draw(&c, scr);
			if (strcmp(t, top))
				fail_msg("view '%s': back up shows\n%s\nnot\n%s", views[v].keys, t,
					 top);
			free(t);
			free(top);
			free(last);
			screen_free(scr);
			sup_done(&c);
		}
	}
}

/* Under a locale without UTF-8 no cell of a bar is blank: partial cells
 * show '+' (half or more) or the empty '.', on both bars of the screen. */
static void view_sup__ascii_bars__no_blank_cell(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	text_set_utf8(0);
	screen *scr = screen_new(10, 1);
	for (int e = 0; e <= 40; e++) { /* every eighth of a 5-cell bar */
		screen_clear(scr);
		sup_bar(scr, 0, 0, 5, e / 40.0);
		for (int x = 0; x < 5; x++) {
			const char *ch = screen_cell(scr, 0, x)->ch;
			if (!strchr("#+.", ch[0]) || ch[1])
				fail_msg("%d/40: cell %d is '%s'", e, x, ch);
		}
	}
	screen_free(scr);
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	scr = screen_new(120, 40);
	keys(&c, "4");
	free(draw(&c, scr));
	for (int y = 3; y <= 6; y++) /* alice, bob, dave: 20 cells */
		for (int x = 29; x < 49 && y != 5; x++) /* carol: too few, no bar */
			if (screen_cell(scr, y, x)->ch[0] == ' ')
				fail_msg("row %d: bar cell %d blank:\n%s", y, x, screen_text(scr));
	/* the opened case: the review screen's prediction bars */
	keys(&c, "2\n");
	char *t = draw(&c, scr);
	const char *bar = strstr(t, "model says good  0.600 ");
	if (!bar)
		fail_msg("no prediction line:\n%s", t);
	bar += strlen("model says good  0.600 ");
	for (int x = 0; x < 16; x++)
		if (!strchr("#+.", bar[x]))
			fail_msg("bar cell %d is '%c':\n%s", x, bar[x], t);
	free(t);
	text_set_utf8(1);
	screen_free(scr);
	sup_done(&c);
}

/* A missing value shows as '-' on the supervisor's screen as on the
 * reviewer's: an empty context field, no reason, no note, no label. */
static void view_sup__missing_values__one_convention(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	text_set_utf8(1);
	sup_case(f->s, 71, "good", 0.6, NULL, "confidence", "{\"Employer\":\"\",\"Age\":33}",
		 "escalated", NULL, 0);
	sup_decide(f->s, DAY2 + 400000, "carol", 71, "accept", "good", "good", 2.0, 0, NULL);
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(120, 30);
	free(draw(&c, scr));
	/* the newest row: reason and note columns */
	assert_string_equal(screen_cell(scr, 3, 83)->ch, "-");
	assert_string_equal(screen_cell(scr, 3, 99)->ch, "-");
	keys(&c, "\n");
	char *t = draw(&c, scr);
	must_have(t, " Employer  - ");
	must_have(t, " accept   good\n");
	free(t);
	keys(&c, "\x1b");
	keys(&c, "/");
	keys(&c, "reviewer=carol action=escalate\n");
	keys(&c, "\n");
	t = draw(&c, scr);
	must_have(t, " escalate -\n");
	free(t);
	screen_free(scr);
	sup_done(&c);
}

/* Counts read "1 entry", "2 entries": on a store with one of everything no
 * screen says "1 <plural>". */
static void view_sup__counts__one_is_singular_on_every_screen(void **state)
{
	struct fixture *f = *state;
	sup_seq = 0;
	sup_exec(f->s,
		 "INSERT INTO models(id, name, labels, audit_salt, created_at)"
		 " VALUES (1, 'credit', '[\"good\",\"bad\"]', 'x', 0);"
		 "INSERT INTO batches(id, model_id, source_file, source_sha256,"
		 " format, rows, routed, imported_by, imported_at)"
		 " VALUES (1, 1, 'f.csv', 'h', 'csv', 3, 3, 'me', 0);"
		 "INSERT INTO counters(model_id, state, n) VALUES (1, 'auto', 1);");
	sup_case(f->s, 1, "good", 0.6, NULL, "confidence", "{\"Age\":3}", "escalated", NULL, 0);
	sup_decide(f->s, DAY1, "carol", 1, "escalate", "good", NULL, 3.0, 0, "why");
	sup_case(f->s, 2, "good", 0.6, NULL, "confidence", "{}", "disputed", NULL, 0);
	sup_decide(f->s, DAY1 + 1000, "carol", 2, "accept", "good", "good", 3.0, 0, NULL);
	sup_decide(f->s, DAY1 + 2000, "dave", 2, "override", "good", "bad", 3.0, 0, NULL);
	sup_exec(f->s, "INSERT INTO counters(model_id, state, n)"
		       " SELECT model_id, state, count(*) FROM cases GROUP BY 1, 2");
	text_set_utf8(1);
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(140, 40);
	regex_t re;
	assert_int_equal(regcomp(&re, "(^|[^0-9.])1 [a-z]+(s|ies)([^a-z]|$)",
				 REG_EXTENDED | REG_NEWLINE), 0);
	const char *views[] = {"1", "1j\n", "2", "2\n", "3", "3\n", "4", "5", "6"};
	int seen_history = 0;
	for (size_t v = 0; v < sizeof views / sizeof views[0]; v++) {
		keys(&c, "\x1b");
		keys(&c, views[v]);
		char *t = draw(&c, scr);
		regmatch_t m;
		if (!regexec(&re, t, 1, &m, 0))
			fail_msg("view '%s' says '%.*s':\n%s", views[v],
				 (int)(m.rm_eo - m.rm_so), t + m.rm_so, t);
		seen_history += strstr(t, ": 1 entry, oldest first") != NULL;
		free(t);
	}
	assert_true(seen_history >= 2); /* the Log's case and the Escalation */
	keys(&c, "2");
	char *t = draw(&c, scr);
	must_have(t, "1 case escalated");
	free(t);
	regfree(&re);
	screen_free(scr);
	sup_done(&c);
}

static void append_detail(store *s, const char *action, int64_t case_id, const char *detail)
{
	dk_error err = {{0}};
	audit_entry e = {.reviewer = "ann", .action = action, .case_id = case_id,
			 .seconds = NAN, .detail = detail};
	assert_int_equal(store_begin_write(s, &err), DK_OK);
	assert_int_equal(audit_append(s, &e, NULL, NULL, &err), DK_OK);
	assert_int_equal(store_commit(s, &err), DK_OK);
}

/* The Audit tab says in words what each reveal showed and each export
 * wrote: never raw JSON. */
static void view_sup__audit_tab__reveals_and_exports_in_words(void **state)
{
	struct fixture *f = *state;
	sup_exec(f->s,
		 "INSERT INTO models(id, name, labels, audit_salt, created_at)"
		 " VALUES (1, 'credit', '[\"good\",\"bad\"]', 'x', 0);"
		 "INSERT INTO batches(id, model_id, source_file, source_sha256,"
		 " format, rows, routed, imported_by, imported_at)"
		 " VALUES (1, 1, 'f.csv', 'h', 'csv', 1, 1, 'me', 0);");
	sup_case(f->s, 51, "good", 0.6, NULL, "confidence", "{}", "queued", NULL, 0);
	append_detail(f->s, "reveal", 51,
		      "{\"fields\":[\"pii:name\",\"pii:phone\"]}");
	append_detail(f->s, "export", 0,
		      "{\"file\":\"/tmp/out.csv\",\"format\":\"csv\",\"only\":\"decisions\","
		      "\"drop_pii\":false,\"rows\":12,\"sha256\":\"ab\",\"seq_from\":0,"
		      "\"seq_to\":3}");
	append_detail(f->s, "export", 0,
		      "{\"file\":\"/tmp/one.jsonl\",\"format\":\"jsonl\",\"rows\":1}");
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(120, 30);
	keys(&c, "6");
	char *t = draw(&c, scr);
	must_have(t, " ann          c51          name, phone\n");
	must_have(t, " ann          12 rows, csv, to /tmp/out.csv\n");
	must_have(t, " ann          1 row, jsonl, to /tmp/one.jsonl\n");
	must_lack(t, "{");
	must_lack(t, "pii:");
	free(t);
	/* the reveal in the case's history says the same */
	keys(&c, "1jj\n");
	t = draw(&c, scr);
	must_have(t, " ann        reveal   -\n");
	must_have(t, "        fields: name, phone\n");
	must_have(t, "model says good"); /* the case pane, even with no field */
	free(t);
	screen_free(scr);
	sup_done(&c);
}

/* The log list marks an amendment and says which entry it amends (and
 * which an undo undoes). */
static void view_sup__log_list__marks_amendments(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	/* dave amends his override of case 53 (entry 104) to accept */
	sup_decide(f->s, DAY2 + 500000, "dave", 53, "accept", "good", "good", 3.0, 104,
		   "second look");
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(140, 30);
	char *t = draw(&c, scr);
	must_have(t, "* marks an amendment");
	char *row = screen_row_text(scr, 3);
	if (strncmp(row, "     114* ", 10) || !strstr(row, "amends #104; second look"))
		fail_msg("the amend's row: '%s'", row);
	free(row);
	free(t);
	/* carol's undo (entry 103) of entry 102: no mark, but said */
	keys(&c, "/");
	keys(&c, "action=undo\n");
	free(draw(&c, scr));
	row = screen_row_text(scr, 3);
	if (strncmp(row, "     103  ", 10) || !strstr(row, "undoes #102"))
		fail_msg("the undo's row: '%s'", row);
	free(row);
	screen_free(scr);
	sup_done(&c);
}

/* Every key a footer shows works where it is shown (the footers and help
 * are drawn from the key table; this checks the handler agrees). */
/* A second batch of 40 cases: Age shifted far up, Marital gone, a new
 * Channel field; and an audit rate of 0.1 for the audit sample. */
static void monitor_batch(store *s)
{
	char sql[1024];
	snprintf(sql, sizeof sql,
		 "INSERT INTO policies(model_id, version, policy, set_by, set_at)"
		 " VALUES (1, 1, '{\"threshold\":0.8,\"audit_rate\":0.1}', 'x', 0);"
		 "INSERT INTO batches(id, model_id, source_file, source_sha256,"
		 " format, rows, routed, imported_by, imported_at)"
		 " VALUES (2, 1, 'g.csv', 'h2', 'csv', 40, 0, 'me', 1);"
		 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)"
		 " INSERT INTO cases(id, model_id, batch_id, ext_id, line, prediction,"
		 " confidence, context, state, policy_version, urgency)"
		 " SELECT 100 + i, 1, 2, 'n' || i, i + 1, 'good', 0.9,"
		 " %s('Age', 200 + i, 'Channel', 'web'), 'auto', 1, 0.9 FROM n;",
		 /* (json_object is SQLite's; PostgreSQL's json_build_object) */
		 store_engine(s) == STORE_POSTGRES ? "json_build_object" : "json_object");
	sup_exec(s, sql);
}

static void view_sup__model_drift__fields_by_psi_with_sparklines(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	monitor_batch(f->s);
	text_set_utf8(1);
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(120, 40);
	keys(&c, "5d");
	char *t = draw(&c, scr);
	must_have(t, "drift of model credit: batch 2 (40 cases) against batch 1 "
		     "(the first batch, 62 cases)");
	must_have(t, "field                     PSI band");
	must_have(t, "new field");
	must_have(t, "field gone");
	must_have(t, "model confidence");
	/* context fields by PSI, highest first, each with its sparkline:
	 * batch 1 against itself (0; a gap for Channel, which it lacks), then
	 * batch 2 (saturated) */
	double last = INFINITY;
	int rows = 0;
	for (int y = 0; y < scr->h; y++) {
		char *r = screen_row_text(scr, y);
		char name[32];
		double psi;
		if (sscanf(r, "%31s %lf", name, &psi) == 2 && strstr(r, "significant") &&
		    strcmp(name, "model") && strstr(r, "█ ")) {
			assert_true(psi <= last);
			last = psi;
			rows++;
		}
		free(r);
	}
	if (rows != 3) /* Age, Channel, Marital */
		fail_msg("want 3 context fields with sparklines, got %d:\n%s", rows, t);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM drift_summaries"), 2);
	free(t);
	/* the same figures as docket drift computes */
	struct drift_report *r = NULL;
	assert_int_equal(drift_compute(f->s, "credit", 0, 0, &r, &err), DK_OK);
	char want[64];
	snprintf(want, sizeof want, "%8.4f", r->psi_max);
	t = draw(&c, scr);
	must_have(t, want);
	drift_free(r);
	free(t);
	/* ASCII sparklines without UTF-8 */
	text_set_utf8(0);
	t = draw(&c, scr);
	must_have(t, "_#");
	free(t);
	text_set_utf8(1);
	/* d again: back to the figures */
	keys(&c, "d");
	t = draw(&c, scr);
	must_have(t, "model credit (1 of 1)");
	free(t);
	screen_free(scr);
	sup_done(&c);
}

/* f and p regroup the loaded figures alone (stats_regroup): the result
 * is what a whole stats run with the same field and label gives. */
static void view_sup__fairness_regroup__same_as_stats(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	monitor_batch(f->s);
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	keys(&c, "5fMarital\npgood\n");
	assert_non_null(c.st);
	assert_true(c.st->models[0].has_fair);
	struct stats_opts o;
	stats_opts_init(&o);
	o.by = "Marital";
	o.positive = "good";
	struct stats *st = NULL;
	assert_int_equal(stats_compute(f->s, &o, &st, &err), DK_OK);
	sbuf a = {0}, b = {0};
	stats_format_json(c.st, &a);
	stats_format_json(st, &b);
	assert_string_equal(sbuf_str(&a), sbuf_str(&b));
	sbuf_free(&a);
	sbuf_free(&b);
	stats_free(st);
	sup_done(&c);
}

static void view_sup__model_fairness__groups_rates_and_flags(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	monitor_batch(f->s);
	text_set_utf8(1);
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(120, 60);
	/* no field yet: p says so */
	keys(&c, "5p");
	char *t = draw(&c, scr);
	must_have(t, "fairness: choose a field with f first");
	free(t);
	keys(&c, "fMarital\np");
	t = draw(&c, scr);
	must_have(t, "fairness: positive label:");
	free(t);
	keys(&c, "good\n");
	t = draw(&c, scr);
	must_have(t, "fairness of model credit by Marital, positive label good, "
		     "reference group married");
	must_have(t, "married              (reference) 25 scored");
	must_have(t, "single               25 scored");
	must_have(t, "(missing)");
	must_have(t, "x1.00");
	/* every flag the figures raise is marked on its line, and only those */
	const struct stats_model *m = &c.st->models[0];
	assert_true(m->has_fair);
	int flagged = 0, marks = 0;
	for (size_t g = 0; g < m->ngroups; g++)
		for (int k = 0; k < STATS_FAIR_N; k++)
			flagged += m->fair[g].flag[k];
	regex_t re; /* a ratio, then the flag mark */
	assert_int_equal(regcomp(&re, "x[0-9]+\\.[0-9][0-9] *!", REG_EXTENDED), 0);
	for (int y = 0; y < scr->h; y++) {
		char *r = screen_row_text(scr, y);
		marks += regexec(&re, r, 0, NULL, 0) == 0;
		free(r);
	}
	regfree(&re);
	assert_true(flagged > 0);
	if (marks != flagged)
		fail_msg("%d flags, %d marked:\n%s", flagged, marks, t);
	free(t);
	keys(&c, "p");
	t = draw(&c, scr);
	must_have(t, "model credit (1 of 1)");
	free(t);
	screen_free(scr);
	sup_done(&c);
}

static void view_sup__footer__every_key_shown_works(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	const char *where[] = {"1", "1\n", "2", "2\n", "3", "3\n", "4", "5", "6", "5d"};
	for (size_t w = 0; w < sizeof where / sizeof where[0]; w++) {
		sup c;
		dk_error err = {{0}};
		assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
		screen *scr = screen_new(120, 30);
		keys(&c, where[w]);
		free(draw(&c, scr));
		char *footer = screen_row_text(scr, scr->h - 1);
		sup_done(&c);
		int items = 0;
		/* items are "KEYS what" separated by two spaces */
		for (char *save = NULL, *item = strtok_r(footer, " ", &save); item;
		     item = strtok_r(NULL, " ", &save)) {
			char keyspec[32];
			snprintf(keyspec, sizeof keyspec, "%s", item);
			/* skip the words of the item */
			while (save && *save && save[0] != ' ')
				strtok_r(NULL, " ", &save);
			int k[2] = {-1, -1};
			char *sep = strpbrk(keyspec + 1, "-/");
			if (sep) {
				*sep = '\0';
				k[1] = keymap_key_parse(sep + 1);
			}
			k[0] = keymap_key_parse(keyspec);
			for (int i = 0; i < 2; i++) {
				if (i == 1 && !sep)
					break;
				if (k[i] < 0)
					fail_msg("'%s': footer key '%s' unknown", where[w], item);
				assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
				keys(&c, where[w]);
				free(draw(&c, scr));
				if (view_sup.handle(&c, k[i]) == VIEW_NONE)
					fail_msg("'%s': footer key %d does nothing", where[w], k[i]);
				sup_done(&c);
			}
			items++;
		}
		if (items < 4)
			fail_msg("'%s': footer has %d keys", where[w], items);
		free(footer);
		screen_free(scr);
	}
}

/* A case with everything the reviewer sees: probabilities, attributions,
 * a text with attributed words, a personal field; escalated by carol, then
 * her escalate amended (so the history shows which entry amended which). */
static void rich_escalation(store *s)
{
	sup_case(s, 80, "good", 0.7, NULL, "confidence",
		 "{\"Income\":\"129\",\"pii:name\":\"Ann Example\"}", "escalated", NULL, 0);
	sup_exec(s, "UPDATE cases SET probs = '{\"good\":0.7,\"bad\":0.3}',"
		    " attributions = '{\"salary\":0.4,\"debt\":-0.2}',"
		    " text = 'My salary is fine but the debt is not.' WHERE id = 80");
	sup_count(s, "escalated", 1);
	sup_decide(s, DAY2 + 500000, "carol", 80, "escalate", "good", NULL, 8.0, 0,
		   "first try");
	sup_decide(s, DAY2 + 501000, "carol", 80, "escalate", "good", NULL, 8.0, sup_seq,
		   "salary unclear");
}

/* The opened case is the review screen's own case pane, cell for cell
 * (probability bars, attribution bars, highlighted words, the personal
 * field masked), then the history with each entry's reason and note and
 * which entry amended which; it is the same from every tab. */
static void view_sup__open_case__the_reviewers_pane_then_history(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	rich_escalation(f->s);
	text_set_utf8(1);
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(120, 40);
	const char *opens[] = {"1\n", "2j\n"}; /* the newest entry; the 2nd escalation */
	for (int o = 0; o < 2; o++) {
		keys(&c, "\x1b");
		keys(&c, opens[o]);
		char *t = draw(&c, scr);
		must_have(t, "case c80  model credit  state escalated");
		must_have(t, "model says good  0.700");
		must_have(t, "Attributions (+ toward good)");
		must_have(t, "My salary is fine but the debt is not.");
		must_lack(t, "Ann Example");
		must_lack(t, "reveals"); /* the supervisor cannot reveal here */
		must_have(t, "History of case c80: 2 entries, oldest first");
		must_have(t, "reason: unsure  note: first try");
		must_have(t, "reason: unsure  note: salary unclear");
		char amends[128];
		snprintf(amends, sizeof amends, "* 2026-01-02 00:08 carol      escalate -  amends #%lld",
			 sup_seq - 1);
		must_have(t, amends);
		/* the pane, drawn by the review screen's own function, is the
		 * same cell for cell (text and colour roles) */
		screen *ref = screen_new(120, 40);
		int lines = view_case_body(&c.rv, c.rcase, ref, 2, 30, 0, 0);
		assert_true(lines > 5);
		for (int y = 2; y < 2 + lines; y++) {
			char *a = screen_row_text(scr, y), *b = screen_row_text(ref, y);
			char *ra = screen_row_roles(scr, y), *rb = screen_row_roles(ref, y);
			if (strcmp(a, b) || strcmp(ra, rb))
				fail_msg("row %d differs:\n%s\n%s\n%s\n%s", y, a, b, ra, rb);
			free(a), free(b), free(ra), free(rb);
		}
		/* the attributed words are highlighted in the text */
		for (int y = 2; y < 2 + lines; y++) {
			char *row = screen_row_text(scr, y);
			char *at = strstr(row, "salary is");
			if (at) {
				const struct screen_cell *cell =
					screen_cell(scr, y, text_width(row, (size_t)(at - row)));
				assert_int_not_equal(cell->role, THEME_ROLE_NORMAL);
			}
			free(row);
		}
		screen_free(ref);
		free(t);
	}
	screen_free(scr);
	sup_done(&c);
}

/* At 80x24 every tab, the open case, help and the prompts fit or are cut
 * with a visible mark: nothing is lost past the edge unseen. */
static void view_sup__80x24__nothing_cut_unmarked(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	rich_escalation(f->s);
	long_escalation(f->s);
	sup_decide(f->s, DAY2 + 600000, "a-reviewer-with-a-long-name", 62, "override", "good",
		   "bad", 3.0, 0, "a note long enough to run well past the right edge of an "
		   "eighty column terminal");
	text_set_utf8(1);
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, "a-supervisor-with-a-long-login-name", &err),
			 DK_OK);
	screen *scr = screen_new(80, 24);
	const char *views[] = {"1", "1\n", "2", "2\n", "2j", "3", "3\n", "4", "5", "6",
			       "?", "2r", "2/"};
	for (size_t v = 0; v < sizeof views / sizeof views[0]; v++) {
		keys(&c, "\x1b");
		keys(&c, "x\x1b"); /* closes help */
		keys(&c, views[v]);
		char *t = draw(&c, scr);
		if (scr->cut_silent)
			fail_msg("view '%s': %d cut(s) with no mark, the last on row %d:\n%s",
				 views[v], scr->cut_silent, scr->cut_y, t);
		free(t);
	}
	/* the Log shows the reason and the note at 80 columns */
	keys(&c, "\x1b" "1");
	char *t = draw(&c, scr);
	must_have(t, "reason; note");
	must_have(t, "good \u2192 bad    -; a note long");
	must_have(t, "unsure; amends");
	free(t);
	screen_free(scr);
	sup_done(&c);
}

/* The filter line edits like a shell prompt, refuses an unknown key or
 * action naming the known ones (keeping the line to mend), and a filter
 * that works clears the error. */
static void view_sup__filter_line__edits_and_refuses(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	text_set_utf8(1);
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(120, 30);
	keys(&c, "/");
	keys(&c, "reviewr=carol");
	/* Home, two Rights, insert the missing 'e' */
	view_sup.handle(&c, KEY_DK_HOME);
	for (int i = 0; i < 6; i++)
		view_sup.handle(&c, KEY_DK_RIGHT);
	keys(&c, "e");
	assert_string_equal(text_edit_str(&c.edit), "reviewer=carol");
	/* End, a word, C-w takes it back; C-a then C-k empties */
	view_sup.handle(&c, KEY_DK_END);
	keys(&c, " zzz");
	view_sup.handle(&c, KEY_DK_CTRL('w'));
	assert_string_equal(text_edit_str(&c.edit), "reviewer=carol ");
	view_sup.handle(&c, KEY_DK_LEFT);
	view_sup.handle(&c, KEY_DK_CTRL('k'));
	assert_string_equal(text_edit_str(&c.edit), "reviewer=carol");
	char *t = draw(&c, scr);
	must_have(t, "filter: reviewer=carol");
	assert_int_equal(scr->cursor_x, (int)strlen("filter: reviewer=carol"));
	free(t);
	view_sup.handle(&c, KEY_DK_CTRL('u'));
	assert_string_equal(text_edit_str(&c.edit), "");
	/* an unknown key: refused, named, the line kept */
	keys(&c, "who=carol\n");
	t = draw(&c, scr);
	must_have(t, "filter: unknown key 'who='; known: reviewer= action= label= model= "
		     "case= since= until=");
	assert_int_equal(c.prompt, SUP_PROMPT_FILTER);
	assert_string_equal(text_edit_str(&c.edit), "who=carol");
	free(t);
	view_sup.handle(&c, KEY_DK_CTRL('u'));
	keys(&c, "action=escalated\n");
	t = draw(&c, scr);
	must_have(t, "filter: action 'escalated': expected one of init, accept, "
		     "override, escalate, skip, undo, resolve");
	free(t);
	view_sup.handle(&c, KEY_DK_BACKSPACE);
	keys(&c, "\n");
	t = draw(&c, scr);
	must_lack(t, "expected one of");
	must_have(t, "filter: action=escalate");
	assert_int_equal(c.prompt, SUP_PROMPT_NONE);
	assert_int_equal(c.page.n, 1);
	free(t);
	screen_free(scr);
	sup_done(&c);
}

/* Escalations and Disagreements filter by model, reason and age. */
static void view_sup__waiting_filter__model_reason_age(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	rich_escalation(f->s); /* c80: reason unsure, at DAY2 + 501 s */
	sup_case(f->s, 81, "good", 0.6, NULL, "confidence", "{}", "escalated", NULL, 0);
	sup_count(f->s, "escalated", 1);
	char sql[300];
	snprintf(sql, sizeof sql, "INSERT INTO decisions(seq, at, reviewer, case_id, action,"
		 " model_label, reason, prev_hash, hash) VALUES (%lld, %lld, 'dave', 81,"
		 " 'escalate', 'good', 'needs-expert', 'p', 'h')", ++sup_seq,
		 DAY2 + 86400000);
	sup_exec(f->s, sql);
	text_set_utf8(1);
	clock_set_ms(DAY2 + 86400000 + 3600000); /* an hour after c81's */
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(120, 30);
	keys(&c, "2");
	assert_int_equal(c.nrows, 3);
	keys(&c, "/reason=needs-expert\n");
	char *t = draw(&c, scr);
	must_have(t, "3 cases escalated; filter: reason=needs-expert");
	must_have(t, "c81");
	must_have(t, "needs-expert");
	must_lack(t, "c51 ");
	free(t);
	assert_int_equal(c.nrows, 1);
	view_sup.handle(&c, KEY_DK_CTRL('u'));
	keys(&c, "/");
	view_sup.handle(&c, KEY_DK_CTRL('u'));
	keys(&c, "age=2h\n");
	assert_int_equal(c.nrows, 2); /* c51 and c80: a day old */
	keys(&c, "/");
	view_sup.handle(&c, KEY_DK_CTRL('u'));
	keys(&c, "model=credit age=2h reason=unsure\n");
	assert_int_equal(c.nrows, 2);
	keys(&c, "/");
	view_sup.handle(&c, KEY_DK_CTRL('u'));
	keys(&c, "model=nope\n");
	assert_int_equal(c.nrows, 0);
	t = draw(&c, scr);
	must_have(t, "nothing waiting matches the filter");
	free(t);
	keys(&c, "/");
	view_sup.handle(&c, KEY_DK_CTRL('u'));
	keys(&c, "reviewer=carol\n");
	t = draw(&c, scr);
	must_have(t, "filter: unknown key 'reviewer='; known here: model= reason= age=");
	free(t);
	keys(&c, "\x1b");
	keys(&c, "/");
	view_sup.handle(&c, KEY_DK_CTRL('u'));
	keys(&c, "age=soon\n");
	t = draw(&c, scr);
	must_have(t, "filter: bad age 'soon'");
	free(t);
	clock_set_ms(-1);
	screen_free(scr);
	sup_done(&c);
}

/* Others decide while the Log is open: when idle it says how many new
 * entries match, and g shows them. */
static void view_sup__log_live__new_entries_and_g(void **state)
{
	struct fixture *f = *state;
	sup_fixture(f->s);
	text_set_utf8(1);
	sup c;
	dk_error err = {{0}};
	assert_int_equal(sup_init(&c, f->s, dk_login_name(), &err), DK_OK);
	screen *scr = screen_new(120, 30);
	assert_int_equal(view_sup.handle(&c, KEY_DK_IDLE), VIEW_NONE);
	char *t = draw(&c, scr);
	must_lack(t, "new entr");
	free(t);
	sup_decide(f->s, DAY2 + 700000, "alice", 62, "override", "good", "bad", 3.0, 0, NULL);
	sup_decide(f->s, DAY2 + 701000, "bob", 61, "accept", "good", "good", 3.0, 0, NULL);
	assert_int_equal(view_sup.handle(&c, KEY_DK_IDLE), VIEW_REDRAW);
	t = draw(&c, scr);
	must_have(t, "2 new entries: g shows them");
	free(t);
	/* a filter counts only its own */
	keys(&c, "/reviewer=alice\n");
	sup_decide(f->s, DAY2 + 702000, "bob", 60, "accept", "good", "good", 3.0, 0, NULL);
	sup_decide(f->s, DAY2 + 703000, "alice", 60, "accept", "good", "good", 3.0, 0, NULL);
	view_sup.handle(&c, KEY_DK_IDLE);
	t = draw(&c, scr);
	must_have(t, "1 new entry: g shows them");
	free(t);
	keys(&c, "g");
	t = draw(&c, scr);
	must_lack(t, "new entr");
	free(t);
	assert_int_equal(c.page.e[0].seq, sup_seq);
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
	assert_string_equal(r, "##.."); /* a quarter cell looks empty */
	free(r);
	sup_bar(scr, 1, 0, 4, 0.625); /* half a cell or more: '+' */
	r = screen_row_text(scr, 1);
	assert_string_equal(r, "##+.");
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
		cmocka_unit_test_setup_teardown(view_sup__audit_tab__latest_anchor,
						fixture_setup_no_log, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__audit_tab__quick_check_from_verified_head,
						fixture_setup_no_log, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__audit_tab__rewritten_chain__meta_cannot_vouch,
						fixture_setup_no_log, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__wide_names__line_up,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__shift_tab__goes_back_through_tabs,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__enter__opens_the_case_in_every_list_tab,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__escalated_case__reason_in_sight_and_end_reachable,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__scrolling__every_view_stops_at_its_end,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__ascii_bars__no_blank_cell,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__missing_values__one_convention,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__counts__one_is_singular_on_every_screen,
						fixture_setup_no_log, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__audit_tab__reveals_and_exports_in_words,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__log_list__marks_amendments,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__model_drift__fields_by_psi_with_sparklines,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__fairness_regroup__same_as_stats,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__model_fairness__groups_rates_and_flags,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__footer__every_key_shown_works,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__open_case__the_reviewers_pane_then_history,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__80x24__nothing_cut_unmarked,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__filter_line__edits_and_refuses,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__waiting_filter__model_reason_age,
						fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(view_sup__log_live__new_entries_and_g,
						fixture_setup, fixture_teardown),
		cmocka_unit_test(sup_bar__eighths_and_ascii),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
