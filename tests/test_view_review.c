/* test_view_review.c: the reviewer's screen drawn into the screen model from
 * a fake source: tabular and text cases, highlighting, narrow and wide
 * screens, long and wide-character values, keys and what they decide. */
#include "fixture.h"

#include <time.h>

#include <locale.h>

#include "docket/config.h"
#include "docket/keymap.h"
#include "docket/policy.h"
#include "docket/screen.h"
#include "docket/text.h"
#include "docket/theme.h"
#include "docket/view_queue.h"
#include "docket/view_review.h"

/* A fake source: a list of cases to hand out, and a record of calls. */
struct fake {
	review_case *(*make)(int i);
	int next, total;
	int decided;
	char last_action[16], last_label[64], last_reason[64], last_note[256];
	int64_t last_case;
	int reveals, releases, undos;
	int fail_decide; /* 1: store error */
	unsigned lost;   /* bit id-100: carol holds that case now */
	int renews;
	int claim_cases;
	int64_t decided_ids[16];
	/* the log as recent() shows it: decisions and amends, oldest first */
	struct fake_ent {
		int64_t case_id;
		char action[16], label[64];
		int amended;
	} ents[32];
	int nents;
	int amends, fail_amend;
	char amend_action[16], amend_label[64], amend_reason[64], amend_note[256];
	int64_t amend_case;
};

static void fake_log(struct fake *f, int64_t case_id, const char *action,
		     const char *label)
{
	if (f->nents >= 32)
		return;
	struct fake_ent *e = &f->ents[f->nents++];
	memset(e, 0, sizeof *e);
	e->case_id = case_id;
	snprintf(e->action, sizeof e->action, "%s", action);
	snprintf(e->label, sizeof e->label, "%s", label ? label : "");
}

static review_case *tabular_case(int i)
{
	review_case *c = review_case_new();
	c->id = 100 + i;
	free(c->ext_id);
	char id[32];
	snprintf(id, sizeof id, "app-%05d", i + 1);
	c->ext_id = dk_xstrdup(id);
	free(c->model);
	c->model = dk_xstrdup("credit");
	free(c->model_version);
	c->model_version = dk_xstrdup("v1");
	free(c->route_reason);
	/* app-00005 a gold check no rule routes, app-00004 one its confidence
	 * routes (it reads as app-00001 to 00003 do) */
	c->route_reason = dk_xstrdup(i == 4   ? "gold check"
				     : i == 3 ? "gold check; confidence 0.67 < 0.80"
					      : "confidence 0.67 < 0.80");
	free(c->prediction);
	c->prediction = dk_xstrdup("good");
	c->confidence = 0.666331;
	review_case_add_prob(c, "good", 0.666331);
	review_case_add_prob(c, "bad", 0.333669);
	review_case_add_field(c, "Seniority", "9", 0);
	review_case_add_field(c, "Home", "rent", 0);
	review_case_add_field(c, "Income", "129", 0);
	review_case_add_field(c, "name", "Test Applicant 0001", 1);
	review_case_add_field(c, "phone", "(200) 555-0100", 1);
	review_case_add_attr(c, "Seniority", 0.0843);
	review_case_add_attr(c, "Price", -0.5142);
	review_case_add_attr(c, "Amount", 0.4459);
	review_case_add_attr(c, "Job", -0.4057);
	review_case_sort_attrs(c);
	c->token = 7;
	return c;
}

static review_case *text_case(int i)
{
	review_case *c = review_case_new();
	c->id = 200 + i;
	free(c->ext_id);
	c->ext_id = dk_xstrdup("rev-0001");
	free(c->model);
	c->model = dk_xstrdup("reviews");
	free(c->prediction);
	c->prediction = dk_xstrdup("great");
	c->confidence = 0.982911;
	review_case_add_prob(c, "great", 0.982911);
	review_case_add_prob(c, "other", 0.017089);
	review_case_add_field(c, "product", "B005GXFP60", 0);
	c->text = dk_xstrdup("These are the best tasting gummy fruits I have ever "
			     "eaten. Can't stop eating them and the flavors are "
			     "great. Not bad at all.");
	review_case_add_attr(c, "best", 1.1708);
	review_case_add_attr(c, "great", 0.8201);
	review_case_add_attr(c, "gummy", 0.084);
	review_case_add_attr(c, "bad", -0.662);
	review_case_sort_attrs(c);
	c->token = 9;
	return c;
}

static int fake_claim(void *ctx, review_case **out, dk_error *err)
{
	(void)err;
	struct fake *f = ctx;
	if (f->next >= f->total)
		return DK_EMPTY;
	*out = f->make(f->next++);
	return DK_OK;
}

static int fake_decide(void *ctx, review_case *c, const char *action,
		       const char *label, const char *reason, const char *note,
		       double seconds, dk_error *err)
{
	(void)seconds;
	struct fake *f = ctx;
	if (f->fail_decide == 1)
		return dk_fail(err, "store.db: database is locked");
	if (c->id >= 100 && c->id < 132 && (f->lost >> (c->id - 100) & 1)) {
		dk_fail(err, "case '%s' is held by carol, not alice: nothing "
			     "recorded", c->ext_id);
		return DK_EMPTY;
	}
	snprintf(f->last_action, sizeof f->last_action, "%s", action);
	snprintf(f->last_label, sizeof f->last_label, "%s", label ? label : "");
	snprintf(f->last_reason, sizeof f->last_reason, "%s", reason ? reason : "");
	snprintf(f->last_note, sizeof f->last_note, "%s", note ? note : "");
	f->last_case = c->id;
	if (f->decided < 16)
		f->decided_ids[f->decided] = c->id;
	f->decided++;
	fake_log(f, c->id, action, label ? label : c->prediction);
	return DK_OK;
}

static int fake_amend(void *ctx, int64_t case_id, const char *action,
		      const char *label, const char *reason, const char *note,
		      double seconds, dk_error *err)
{
	(void)seconds;
	struct fake *f = ctx;
	if (f->fail_amend)
		return dk_fail(err, "case '%lld' was resolved by sue (entry 9): "
				    "ask a supervisor", (long long)case_id);
	f->amends++;
	f->amend_case = case_id;
	snprintf(f->amend_action, sizeof f->amend_action, "%s", action);
	snprintf(f->amend_label, sizeof f->amend_label, "%s", label ? label : "");
	snprintf(f->amend_reason, sizeof f->amend_reason, "%s", reason ? reason : "");
	snprintf(f->amend_note, sizeof f->amend_note, "%s", note ? note : "");
	for (int i = f->nents - 1; i >= 0; i--)
		if (f->ents[i].case_id == case_id && !f->ents[i].amended) {
			f->ents[i].amended = 1;
			break;
		}
	fake_log(f, case_id, action, label);
	return DK_OK;
}

static int fake_undo(void *ctx, int64_t case_id, review_case **back,
		     dk_error *err)
{
	(void)case_id;
	(void)err;
	struct fake *f = ctx;
	if (!f->decided)
		return DK_EMPTY;
	f->undos++;
	*back = f->make((int)(f->decided_ids[f->decided - 1] % 100));
	f->decided--;
	if (f->nents)
		f->nents--;
	return DK_OK;
}

static int fake_reveal(void *ctx, review_case *c, dk_error *err)
{
	(void)c;
	(void)err;
	((struct fake *)ctx)->reveals++;
	return DK_OK;
}

static int fake_renew(void *ctx, review_case *c, dk_error *err)
{
	struct fake *f = ctx;
	f->renews++;
	if (c->id >= 100 && c->id < 132 && (f->lost >> (c->id - 100) & 1)) {
		dk_fail(err, "case '%s' is held by carol, not alice: nothing "
			     "recorded", c->ext_id);
		return DK_EMPTY;
	}
	return DK_OK;
}

static int fake_claim_case(void *ctx, int64_t case_id, review_case **out,
			   dk_error *err)
{
	struct fake *f = ctx;
	f->claim_cases++;
	if (case_id >= 100 && case_id < 132 && (f->lost >> (case_id - 100) & 1)) {
		dk_fail(err, "case %lld is held by carol", (long long)case_id);
		return DK_EMPTY;
	}
	*out = f->make((int)(case_id - 100));
	return DK_OK;
}

static int fake_release(void *ctx, int64_t *n, dk_error *err)
{
	(void)err;
	((struct fake *)ctx)->releases++;
	if (n)
		*n = 2;
	return DK_OK;
}

static int fake_recent(void *ctx, struct review_recent *out, size_t max,
		       size_t *n, dk_error *err)
{
	(void)err;
	struct fake *f = ctx;
	*n = 0;
	for (int i = f->nents - 1; i >= 0 && *n < max; i--) {
		struct review_recent *e = &out[(*n)++];
		memset(e, 0, sizeof *e);
		e->seq = i + 1;
		e->case_id = f->ents[i].case_id;
		snprintf(e->action, sizeof e->action, "%s", f->ents[i].action);
		snprintf(e->label, sizeof e->label, "%s", f->ents[i].label);
		e->amended = f->ents[i].amended;
	}
	return DK_OK;
}

static int fake_load(void *ctx, int64_t case_id, review_case **out,
		     dk_error *err)
{
	(void)err;
	struct fake *f = ctx;
	*out = f->make((int)(case_id % 100));
	(*out)->token = 0;
	return DK_OK;
}

static int fake_counts(void *ctx, struct review_counts *out, dk_error *err)
{
	(void)err;
	struct fake *f = ctx;
	memset(out, 0, sizeof *out);
	out->queued = 2026 - f->next;
	out->done_today = f->decided;
	out->escalated = 3;
	return DK_OK;
}

struct world {
	struct fake f;
	review_source src;
	config cfg;
	review r;
	screen *scr;
};

static const char *const default_codes[] = {"unclear", "needs-expert"};

static struct world *world_new_reasons(review_case *(*make)(int), int total,
				       int w, int h, const char *const *codes,
				       size_t ncodes);

static struct world *world_new(review_case *(*make)(int), int total, int w,
			       int h)
{
	return world_new_reasons(make, total, w, h, default_codes, 2);
}

static struct world *world_new_reasons(review_case *(*make)(int), int total,
				       int w, int h, const char *const *codes,
				       size_t ncodes)
{
	struct world *wd = calloc(1, sizeof *wd);
	wd->f.make = make;
	wd->f.total = total;
	wd->src = (review_source){
		.ctx = &wd->f, .claim = fake_claim, .decide = fake_decide,
		.amend = fake_amend, .undo = fake_undo, .reveal = fake_reveal, .renew = fake_renew,
		.release = fake_release, .recent = fake_recent, .load = fake_load,
		.counts = fake_counts, .claim_case = fake_claim_case,
	};
	config_init(&wd->cfg);
	review_init(&wd->r, &wd->src, &wd->cfg, "alice", NULL, codes, NULL, ncodes);
	review_start(&wd->r);
	wd->scr = screen_new(w, h);
	return wd;
}

static void world_free(struct world *wd)
{
	review_done(&wd->r);
	config_free(&wd->cfg);
	screen_free(wd->scr);
	free(wd);
}

static char *world_draw(struct world *wd)
{
	screen_clear(wd->scr);
	view_review.draw(&wd->r, wd->scr);
	return screen_text(wd->scr);
}

static int world_key(struct world *wd, int key)
{
	int rc = view_review.handle(&wd->r, key);
	view_review.handle(&wd->r, KEY_DK_IDLE);
	return rc;
}

static int setup(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	text_set_utf8(1);
	return 0;
}

static void dump(const char *t)
{
	if (getenv("SHOW"))
		fputs(t, stderr);
}

static void view_review__draws__tabular_case(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 5, 100, 30);
	char *t = world_draw(wd);
	dump(t);
	assert_non_null(strstr(t, "credit@v1"));
	assert_non_null(strstr(t, "reviewer alice"));
	assert_non_null(strstr(t, "2,026 left"));
	assert_non_null(strstr(t, "case app-00001"));
	assert_non_null(strstr(t, "routed: confidence 0.67 < 0.80"));
	assert_non_null(strstr(t, "model says good  0.666"));
	assert_non_null(strstr(t, "Seniority"));
	/* personal fields masked, nothing of them on screen */
	assert_null(strstr(t, "Test Applicant"));
	assert_null(strstr(t, "555-0100"));
	assert_non_null(strstr(t, "••••••••"));
	/* attributions largest first: Price, Amount, Job, Seniority */
	char *price = strstr(t, "Price"), *amount = strstr(t, "Amount"),
	     *job = strstr(t, "Job");
	assert_non_null(price);
	assert_true(price < amount && amount < job);
	assert_non_null(strstr(t, "-0.5142"));
	assert_non_null(strstr(t, "+0.4459"));
	assert_non_null(strstr(t, "1-9 label"));
	assert_non_null(strstr(t, "? help"));
	free(t);
	world_free(wd);
}


/* The row of the screen holding needle, or -1. */
static int row_of(screen *scr, const char *needle)
{
	for (int y = 0; y < scr->h; y++) {
		char *row = screen_row_text(scr, y);
		int hit = strstr(row, needle) != NULL;
		free(row);
		if (hit)
			return y;
	}
	return -1;
}

/* The role of the cell where needle starts on its row. */
static int role_at(screen *scr, const char *needle)
{
	int y = row_of(scr, needle);
	assert_true(y >= 0);
	char *row = screen_row_text(scr, y);
	char *hit = strstr(row, needle);
	int col = text_width(row, (size_t)(hit - row));
	free(row);
	return screen_cell(scr, y, col)->role;
}

static void view_review__text_case__highlights_by_sign_and_weight(void **state)
{
	(void)state;
	struct world *wd = world_new(text_case, 3, 100, 30);
	char *t = world_draw(wd);
	dump(t);
	assert_non_null(strstr(t, "These are the best tasting gummy"));
	assert_non_null(strstr(t, "Attributions (+ toward great)"));
	/* best is the largest push toward: strong; gummy weak; bad away */
	assert_int_equal(role_at(wd->scr, "best tasting"), THEME_ROLE_POS_STRONG);
	assert_int_equal(role_at(wd->scr, "gummy fruits"), THEME_ROLE_POS_WEAK);
	assert_int_equal(role_at(wd->scr, "bad at all"), THEME_ROLE_NEG_STRONG);
	/* "Not" is no attribution: plain; "great." matched case-insensitively */
	assert_int_equal(role_at(wd->scr, "Not bad"), THEME_ROLE_NORMAL);
	assert_int_equal(role_at(wd->scr, "great. Not"), THEME_ROLE_POS_STRONG);
	free(t);
	world_free(wd);
}

static void view_review__narrow_screen__stacks_and_scrolls(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 3, 40, 12);
	char *t = world_draw(wd);
	dump(t);
	/* every line fits in 40 columns */
	for (int y = 0; y < 12; y++) {
		char *row = screen_row_text(wd->scr, y);
		assert_true(text_width(row, TEXT_NUL) <= 40);
		free(row);
	}
	/* one column, prediction first; the rest is below, marked */
	assert_non_null(strstr(t, "model says good"));
	assert_non_null(strstr(t, "more"));
	assert_null(strstr(t, "Seniority +0.0843"));
	free(t);
	/* paging down reaches the attributions */
	for (int i = 0; i < 10; i++)
		view_review.handle(&wd->r, KEY_DK_PGDN);
	t = world_draw(wd);
	dump(t);
	assert_non_null(strstr(t, "Seniority +0.0843"));
	free(t);
	world_free(wd);
}

static review_case *long_income_case(int i)
{
	review_case *c = tabular_case(i);
	free(c->fields[2].value);
	c->fields[2].value = dk_xstrdup("129 thousand a year before tax, says the file");
	return c;
}

/* On a narrow screen the "more" marker sits on the status row: the last
 * body row keeps its end, and a status message is cut to leave it room. */
static void view_review__more_marker__never_covers_the_case(void **state)
{
	(void)state;
	struct world *wd = world_new(long_income_case, 3, 40, 12);
	char *t = world_draw(wd);
	dump(t);
	free(t);
	int y = row_of(wd->scr, "Income");
	assert_int_equal(y, 9); /* the last body row */
	char *row = screen_row_text(wd->scr, y);
	assert_null(strstr(row, "more"));
	assert_non_null(strstr(row, "Income     129 thousand a year before"));
	free(row);
	row = screen_row_text(wd->scr, 10);
	assert_string_equal(row, "                           ↓ more below");
	free(row);
	/* with a status message: both show, the message cut before the marker */
	world_key(wd, 'r');
	t = world_draw(wd);
	dump(t);
	free(t);
	row = screen_row_text(wd->scr, 10);
	assert_non_null(strstr(row, " personal fields reveale…  ↓ more below"));
	assert_non_null(strstr(row, "↓ more"));
	free(row);
	/* at the end of the case there is no marker and the status has the row */
	for (int i = 0; i < 10; i++)
		view_review.handle(&wd->r, KEY_DK_PGDN);
	t = world_draw(wd);
	assert_null(strstr(t, "↓ more"));
	free(t);
	world_free(wd);
}

/* The label picker's box: the labels, one blank row, the hint, the border;
 * no spare row. */
static void view_review__label_picker__box_fits_its_rows(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 3, 100, 30);
	world_key(wd, 'o');
	char *t = world_draw(wd);
	dump(t);
	free(t);
	int top = row_of(wd->scr, "the right label");
	assert_true(top > 0);
	const char *want[] = {"1 good  0.666  (model)", "2 bad  0.334", "",
			      "a digit decides with the label beside it"};
	for (int i = 0; i < 4; i++) {
		char *row = screen_row_text(wd->scr, top + 1 + i);
		char *bar = strstr(row, "│");
		char *end = strrchr(row, '\x82'); /* the last byte of the closing │ */
		assert_non_null(bar);
		assert_true(end > bar + 3);
		if (want[i][0]) {
			assert_non_null(strstr(bar, want[i]));
		} else { /* blank between the borders */
			for (char *p = bar + strlen("│"); p < end - 2; p++)
				assert_int_equal(*p, ' ');
		}
		free(row);
	}
	/* the bottom border right after the hint */
	char *row = screen_row_text(wd->scr, top + 5);
	assert_non_null(strstr(row, "──────────"));
	assert_null(strstr(row, "│"));
	free(row);
	world_free(wd);
}

static review_case *long_case(int i)
{
	review_case *c = tabular_case(i);
	review_case_add_field(c, "住所", "東京都千代田区千代田一丁目一番一号 皇居外苑 "
				     "とても長い住所の例です", 0);
	review_case_add_field(c, "a-very-long-field-name-that-goes-on-and-on",
			      "x", 0);
	return c;
}

static void view_review__wide_characters__are_never_split(void **state)
{
	(void)state;
	int widths[] = {40, 57, 80, 81, 200};
	for (size_t k = 0; k < sizeof widths / sizeof widths[0]; k++) {
		struct world *wd = world_new(long_case, 2, widths[k], 40);
		char *t = world_draw(wd);
		dump(t);
		/* every cell that starts a wide character has its right half */
		for (int y = 0; y < wd->scr->h; y++)
			for (int x = 0; x < wd->scr->w; x++) {
				const struct screen_cell *c = screen_cell(wd->scr, y, x);
				if (c->width == 2)
					assert_int_equal(
						screen_cell(wd->scr, y, x + 1)->width, 0);
				if (c->width == 0)
					assert_int_equal(
						screen_cell(wd->scr, y, x - 1)->width, 2);
			}
		/* the long value wraps: its last words are on screen */
		assert_non_null(strstr(t, "住所"));
		assert_non_null(strstr(t, "例です"));
		free(t);
		world_free(wd);
	}
}

static review_case *close_call_case(int i)
{
	review_case *c = review_case_new();
	c->id = 300 + i;
	free(c->ext_id);
	c->ext_id = dk_xstrdup("close-1");
	free(c->prediction);
	c->prediction = dk_xstrdup("yes");
	c->confidence = 0.515;
	review_case_add_prob(c, "no", 0.485);
	review_case_add_prob(c, "yes", 0.515);
	review_case_add_prob(c, "maybe", 0.0);
	review_case_add_attr(c, "Big", 0.5142);
	review_case_add_attr(c, "Small", 0.0301);
	review_case_add_attr(c, "Tiny", 0.0022);
	review_case_add_attr(c, "Minus", -0.2);
	review_case_add_attr(c, "Wee", -0.0022);
	review_case_sort_attrs(c);
	c->token = 1;
	return c;
}

/* The length of the bar on the row holding needle, in eighths of a cell
 * (full cells count 8, a partial glyph its eighths). */
static int bar_eighths(screen *scr, const char *needle)
{
	int y = row_of(scr, needle);
	assert_true(y >= 0);
	char *row = screen_row_text(scr, y);
	const struct text_glyphs *g = text_glyphs();
	int n = 0;
	for (const char *p = strstr(row, needle); *p;) {
		if (!strncmp(p, g->bar, strlen(g->bar))) {
			n += 8;
			p += strlen(g->bar);
			continue;
		}
		int part = 0;
		for (int k = 1; k < 8; k++)
			if (g->bar_part[k][0] != ' ' &&
			    !strncmp(p, g->bar_part[k], strlen(g->bar_part[k])))
				part = k;
		n += part;
		p += part ? strlen(g->bar_part[part]) : 1;
	}
	free(row);
	return n;
}

/* A bar's length says its value and nothing else: at every width, rows of
 * the same section share one track, so a larger value never draws shorter
 * (the model's row included), equal values draw equal, and a value far
 * smaller than another never draws as long. */
static void view_review__bars__length_follows_value_on_every_row(void **state)
{
	(void)state;
	static const int widths[] = {40, 46, 50, 60, 70, 79, 80, 81, 100, 140};
	for (size_t k = 0; k < sizeof widths / sizeof widths[0]; k++) {
		struct world *wd = world_new(close_call_case, 1, widths[k], 40);
		char *t = world_draw(wd);
		dump(t);
		free(t);
		int yes = bar_eighths(wd->scr, "yes   0.515 ");
		int no = bar_eighths(wd->scr, "no    0.485 ");
		int maybe = bar_eighths(wd->scr, "maybe 0.000 ");
		int says = bar_eighths(wd->scr, "model says yes  0.515 ");
		if (yes <= no)
			fail_msg("%d wide: 0.515 draws %d/8, 0.485 draws %d/8",
				 widths[k], yes, no);
		assert_int_equal(maybe, 0);
		assert_true(says == yes || says == 0);
		/* attributions: |value| order is bar order; 0.0022 is not
		 * drawn like 0.0301 */
		const char *names[] = {"Big ", "Minus", "Small", "Tiny ", "Wee "};
		int len[5];
		for (int a = 0; a < 5; a++)
			len[a] = bar_eighths(wd->scr, names[a]);
		for (int a = 1; a < 5; a++)
			assert_true(len[a] <= len[a - 1]);
		assert_int_equal(len[3], len[4]); /* +0.0022 and -0.0022 */
		assert_true(len[3] < len[2] || len[2] == 0);
		assert_int_equal(len[3], 0);
		world_free(wd);
	}
}

static void view_review__accept__saves_then_says_so(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 5, 100, 30);
	wd->f.fail_decide = 1;
	assert_int_equal(world_key(wd, 'a'), VIEW_REDRAW);
	char *t = world_draw(wd);
	/* a failed save says so and keeps the case */
	assert_non_null(strstr(t, "not saved: store.db: database is locked"));
	assert_null(strstr(t, "saved: app"));
	assert_non_null(strstr(t, "case app-00001"));
	free(t);
	wd->f.fail_decide = 0;
	world_key(wd, 'a');
	assert_string_equal(wd->f.last_action, "accept");
	assert_int_equal(wd->f.last_case, 100);
	t = world_draw(wd);
	assert_non_null(strstr(t, "accept saved: app-00001 is good"));
	assert_non_null(strstr(t, "case app-00002"));
	free(t);
	/* a gold check never says so: one a rule routes reads as that rule */
	world_key(wd, 'a');
	world_key(wd, 'a');
	t = world_draw(wd);
	assert_non_null(strstr(t, "case app-00004  routed: confidence 0.67 < 0.80"));
	assert_null(strstr(t, "gold"));
	free(t);
	world_key(wd, 'a');
	t = world_draw(wd);
	assert_non_null(strstr(t, "case app-00005  routed: spot check"));
	assert_null(strstr(t, "gold"));
	free(t);
	world_free(wd);
}

static void view_review__digits__override_or_accept(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 5, 100, 30);
	world_key(wd, '2');
	assert_string_equal(wd->f.last_action, "override");
	assert_string_equal(wd->f.last_label, "bad");
	char *t = world_draw(wd);
	assert_non_null(strstr(t, "override saved: app-00001 → bad"));
	free(t);
	world_key(wd, '1'); /* the model's own label: an accept */
	assert_string_equal(wd->f.last_action, "accept");
	world_key(wd, '5');
	t = world_draw(wd);
	assert_non_null(strstr(t, "no label 5: this model has 2"));
	free(t);
	assert_int_equal(wd->f.decided, 2);
	/* the picker: o, Down, Enter */
	world_key(wd, 'o');
	t = world_draw(wd);
	assert_non_null(strstr(t, "the right label"));
	free(t);
	world_key(wd, KEY_DK_ENTER);
	assert_string_equal(wd->f.last_action, "override");
	assert_string_equal(wd->f.last_label, "bad");
	world_free(wd);
}

static void view_review__escalate_and_skip__ask_a_reason(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 5, 100, 30);
	world_key(wd, 'e');
	assert_int_equal(wd->f.decided, 0);
	char *t = world_draw(wd);
	assert_non_null(strstr(t, "escalate: why?"));
	assert_non_null(strstr(t, "2 needs-expert"));
	free(t);
	world_key(wd, KEY_DK_ESC);
	assert_int_equal(wd->f.decided, 0);
	world_key(wd, 'e');
	world_key(wd, '2');
	assert_string_equal(wd->f.last_action, "escalate");
	assert_string_equal(wd->f.last_reason, "needs-expert");
	world_key(wd, 's');
	world_key(wd, KEY_DK_DOWN);
	world_key(wd, KEY_DK_UP);
	world_key(wd, KEY_DK_ENTER);
	assert_string_equal(wd->f.last_action, "skip");
	assert_string_equal(wd->f.last_reason, "unclear");
	world_free(wd);
}

static const char *const nine_codes[] = {
	"ambiguous",    "missing-context", "bad-input",
	"out-of-scope", "policy-question", "label-set-gap",
	"needs-expert", "conflict-of-interest", "other",
};

/* A model with twelve labels l00 .. l11, predicting l00. */
static review_case *many_labels_case(int i)
{
	review_case *c = tabular_case(i);
	for (size_t k = 0; k < c->nprobs; k++)
		free(c->probs[k].label);
	c->nprobs = 0;
	free(c->prediction);
	c->prediction = dk_xstrdup("l00");
	for (int k = 0; k < 12; k++) {
		char l[8];
		snprintf(l, sizeof l, "l%02d", k);
		review_case_add_prob(c, l, k ? 0.01 : 0.89);
	}
	return c;
}

/* The digit a picker shows beside reason k on screen, or 0. */
static int shown_digit(screen *scr, const char *code)
{
	for (int y = 0; y < scr->h; y++) {
		char *row = screen_row_text(scr, y);
		int d = 0;
		for (int k = 1; k <= 9 && !d; k++) {
			char want[128];
			snprintf(want, sizeof want, "│ %d %s ", k, code);
			if (strstr(row, want))
				d = k;
		}
		free(row);
		if (d)
			return d;
	}
	return 0;
}

/* In a scrolled reason list a digit picks the reason it is shown beside,
 * and a digit shown beside nothing picks nothing: at every height and
 * scroll position (the real loop draws after every key). */
static void view_review__picker_digits__pick_what_they_are_shown_beside(void **state)
{
	(void)state;
	for (int h = 12; h <= 18; h++) {
		for (int down = 0; down < 9; down++) {
			for (int d = 1; d <= 9; d++) {
				struct world *wd = world_new_reasons(
					tabular_case, 5, 50, h, nine_codes, 9);
				world_key(wd, 'e');
				free(world_draw(wd));
				for (int k = 0; k < down; k++) {
					world_key(wd, KEY_DK_DOWN);
					free(world_draw(wd));
				}
				const char *beside = NULL;
				for (int k = 0; k < 9; k++)
					if (shown_digit(wd->scr, nine_codes[k]) == d)
						beside = nine_codes[k];
				world_key(wd, '0' + d);
				if (beside && !strcmp(beside, "other")) {
					/* other asks for a note first */
					assert_int_equal(wd->f.decided, 0);
					assert_int_equal(wd->r.overlay, REVIEW_NOTE);
				} else if (beside) {
					assert_int_equal(wd->f.decided, 1);
					assert_string_equal(wd->f.last_reason, beside);
				} else {
					assert_int_equal(wd->f.decided, 0);
					/* it brought its reason into view, numbered */
					free(world_draw(wd));
					assert_int_equal(
						shown_digit(wd->scr, nine_codes[d - 1]), d);
				}
				world_free(wd);
			}
		}
	}
	/* the label picker (o) the same way: twelve labels, any height */
	for (int h = 12; h <= 18; h += 3) {
		for (int down = 0; down < 12; down += 4) {
			for (int d = 1; d <= 9; d++) {
				struct world *wd = world_new(many_labels_case, 3,
							     60, h);
				world_key(wd, 'o');
				free(world_draw(wd));
				for (int k = 0; k < down; k++) {
					world_key(wd, KEY_DK_DOWN);
					free(world_draw(wd));
				}
				const char *beside = NULL;
				for (size_t k = 0; k < wd->r.cur->nprobs; k++)
					if (shown_digit(wd->scr,
							wd->r.cur->probs[k].label) == d)
						beside = wd->r.cur->probs[k].label;
				char want[64] = "";
				if (beside)
					snprintf(want, sizeof want, "%s", beside);
				world_key(wd, '0' + d);
				if (!beside) {
					assert_int_equal(wd->f.decided, 0);
				} else {
					assert_int_equal(wd->f.decided, 1);
					assert_string_equal(!strcmp(wd->f.last_action,
								    "accept")
								    ? "l00"
								    : wd->f.last_label,
							    want);
				}
				world_free(wd);
			}
		}
	}
	/* the report: 50x14, e, Down x8, 1 does not pick missing-context */
	struct world *wd = world_new_reasons(tabular_case, 5, 50, 14, nine_codes, 9);
	world_key(wd, 'e');
	for (int k = 0; k < 8; k++) {
		free(world_draw(wd));
		world_key(wd, KEY_DK_DOWN);
	}
	free(world_draw(wd));
	world_key(wd, '1');
	assert_int_equal(wd->f.decided, 0);
	free(world_draw(wd));
	world_key(wd, '1');
	assert_string_equal(wd->f.last_reason, "ambiguous");
	world_free(wd);
}

static void view_review__note__goes_with_the_next_decision(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 5, 100, 30);
	world_key(wd, 'n');
	const char *typed = "naïve 日本";
	size_t i = 0, n = strlen(typed);
	while (i < n) {
		uint32_t cp;
		i += text_decode(typed + i, n - i, &cp);
		world_key(wd, (int)cp);
	}
	world_key(wd, KEY_DK_BACKSPACE);
	char *t = world_draw(wd);
	assert_non_null(strstr(t, "naïve 日"));
	assert_true(wd->scr->cursor_y >= 0); /* the cursor shows while typing */
	free(t);
	world_key(wd, KEY_DK_ENTER);
	t = world_draw(wd);
	assert_non_null(strstr(t, "note: naïve 日"));
	free(t);
	world_key(wd, 'a');
	assert_string_equal(wd->f.last_note, "naïve 日");
	world_key(wd, 'a');
	assert_string_equal(wd->f.last_note, "");
	world_free(wd);
}

static void world_type(struct world *wd, const char *typed)
{
	size_t i = 0, n = strlen(typed);
	while (i < n) {
		uint32_t cp;
		i += text_decode(typed + i, n - i, &cp);
		world_key(wd, (int)cp);
	}
}

/* The status after a note edit says what is kept, and the pane and the
 * next decision agree with it: Esc cancels the edit, never a kept note. */
static void view_review__note_escape__keeps_the_kept_note_and_says_so(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 5, 100, 30);
	world_key(wd, 'n');
	world_type(wd, "first");
	world_key(wd, KEY_DK_ENTER);
	world_key(wd, 'n');
	world_type(wd, " more");
	world_key(wd, KEY_DK_ESC);
	char *t = world_draw(wd);
	dump(t);
	assert_null(strstr(t, "dropped"));
	assert_non_null(strstr(t, "edit cancelled; note kept for the next decision: first"));
	assert_non_null(strstr(t, "note: first"));
	assert_null(strstr(t, "first more"));
	free(t);
	world_key(wd, 'a');
	assert_string_equal(wd->f.last_note, "first");
	/* a draft with nothing kept before: nothing is kept after */
	world_key(wd, 'n');
	world_type(wd, "second");
	world_key(wd, KEY_DK_ESC);
	t = world_draw(wd);
	assert_non_null(strstr(t, "edit cancelled; no note"));
	assert_null(strstr(t, "note: "));
	free(t);
	world_key(wd, 'a');
	assert_string_equal(wd->f.last_note, "");
	/* emptied and kept: no note, and the status says so */
	world_key(wd, 'n');
	world_type(wd, "third");
	world_key(wd, KEY_DK_ENTER);
	world_key(wd, 'n');
	world_key(wd, KEY_DK_CTRL('u'));
	world_key(wd, KEY_DK_ENTER);
	t = world_draw(wd);
	assert_non_null(strstr(t, "no note"));
	assert_null(strstr(t, "note: third"));
	free(t);
	world_key(wd, 'a');
	assert_string_equal(wd->f.last_note, "");
	world_free(wd);
}

/* Every way out asks once when a note would be lost: the quit key, and
 * the view's quit op (q on the "too small" screen) with a draft open. */
static void view_review__quit__names_a_note_at_stake(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 5, 100, 30);
	assert_int_equal(world_key(wd, 'q') & VIEW_QUIT, VIEW_QUIT);
	world_key(wd, 'n');
	world_type(wd, "keep me");
	world_key(wd, KEY_DK_ENTER);
	assert_int_equal(world_key(wd, 'q') & VIEW_QUIT, 0);
	char *t = world_draw(wd);
	assert_non_null(strstr(t, "the note kept for the next decision would be "
				  "lost: q again quits without it"));
	free(t);
	world_key(wd, 'j'); /* another key: the next q asks again */
	assert_int_equal(world_key(wd, 'q') & VIEW_QUIT, 0);
	assert_int_equal(world_key(wd, 'q') & VIEW_QUIT, VIEW_QUIT);
	world_free(wd);

	/* a draft in the editor, the terminal shrunk: q there asks too */
	wd = world_new(tabular_case, 5, 100, 30);
	world_key(wd, 'n');
	world_type(wd, "typed");
	const char *why = NULL;
	assert_int_equal(view_review.quit(&wd->r, &why) & VIEW_QUIT, 0);
	assert_string_equal(why, "the note being typed");
	screen *scr = screen_new(39, 11);
	struct view_small_ctx sc = {why};
	view_small.draw(&sc, scr);
	t = screen_text(scr);
	dump(t);
	/* wrapped to the width there is, nothing cut */
	assert_non_null(strstr(t, "the note being typed would be"));
	assert_non_null(strstr(t, "again quits without it"));
	assert_null(strstr(t, "…"));
	free(t);
	screen_free(scr);
	assert_int_equal(view_review.quit(&wd->r, &why) & VIEW_QUIT, VIEW_QUIT);
	world_free(wd);
}

static void view_review__undo__brings_the_case_back(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 5, 100, 30);
	world_key(wd, 'a');
	world_key(wd, 'u');
	assert_int_equal(wd->f.undos, 1);
	char *t = world_draw(wd);
	assert_non_null(strstr(t, "undone: app-00001 is back"));
	assert_non_null(strstr(t, "case app-00001"));
	free(t);
	/* deciding it again, then the one that was on screen comes next */
	world_key(wd, '2');
	t = world_draw(wd);
	assert_non_null(strstr(t, "case app-00002"));
	free(t);
	world_free(wd);
}

/* The screen's case and the two claimed ahead were taken by carol (their
 * leases ran out): the first decision says so once, naming her, and the
 * screen moves to a case that is still the reviewer's, whose first
 * decision is saved. */
static void view_review__lease_lost__moves_on_and_says_so(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 8, 100, 30);
	view_review.handle(&wd->r, KEY_DK_IDLE); /* claims ahead */
	assert_int_equal(wd->r.nahead, 2); /* app-00002 and 3 claimed ahead */
	wd->f.lost = 0x7; /* 100, 101, 102 */
	world_key(wd, 'a');
	assert_int_equal(wd->f.decided, 0);
	char *t = world_draw(wd);
	dump(t);
	assert_non_null(strstr(t, "not saved: case 'app-00001' is held by carol"));
	assert_null(strstr(t, "returned to the queue"));
	assert_non_null(strstr(t, "case app-00004"));
	free(t);
	world_key(wd, 'a');
	assert_int_equal(wd->f.decided, 1);
	assert_int_equal(wd->f.last_case, 103);
	world_free(wd);

	/* found by the lease renewal while idle: the same, in carol's name */
	wd = world_new(tabular_case, 8, 100, 30);
	view_review.handle(&wd->r, KEY_DK_IDLE);
	wd->f.lost = 0x1;
	wd->r.last_renew_ms -= REVIEW_RENEW_MS;
	view_review.handle(&wd->r, KEY_DK_IDLE);
	t = world_draw(wd);
	dump(t);
	assert_non_null(strstr(t, "case 'app-00001' is held by carol"));
	assert_null(strstr(t, "returned to the queue"));
	assert_non_null(strstr(t, "case app-00002"));
	free(t);
	world_key(wd, 'a');
	assert_int_equal(wd->f.last_case, 101);
	world_free(wd);
}

static void view_review__reveal__logs_then_shows(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 5, 100, 30);
	world_key(wd, 'r');
	assert_int_equal(wd->f.reveals, 1);
	char *t = world_draw(wd);
	assert_non_null(strstr(t, "Test Applicant 0001"));
	assert_non_null(strstr(t, "(200) 555-0100"));
	free(t);
	world_free(wd);
}

static void view_review__back_forward__walk_own_decisions(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 5, 100, 30);
	world_key(wd, 'a');
	world_key(wd, 'a');
	world_key(wd, '[');
	char *t = world_draw(wd);
	assert_non_null(strstr(t, "case app-00002  your accept  (1 of 2 back)"));
	free(t);
	world_key(wd, '[');
	t = world_draw(wd);
	assert_non_null(strstr(t, "case app-00001  your accept  (2 of 2 back)"));
	free(t);
	world_key(wd, ']');
	world_key(wd, ']');
	t = world_draw(wd);
	assert_non_null(strstr(t, "case app-00003"));
	free(t);
	world_free(wd);
}

static void view_review__back__amends_any_recent_decision(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 5, 100, 30);
	world_key(wd, 'a');
	world_key(wd, 'a');
	world_key(wd, 'a');
	/* two back: app-00002, not the latest decision */
	world_key(wd, '[');
	world_key(wd, '[');
	char *t = world_draw(wd);
	assert_non_null(strstr(t, "case app-00002  your accept  (2 of 3 back)"));
	assert_non_null(strstr(t, "deciding again amends it (a new entry)"));
	free(t);
	/* a note, then label 2 (bad): an amend of that decision, nothing
	 * decided or undone */
	world_key(wd, 'n');
	world_key(wd, 'x');
	world_key(wd, KEY_DK_ENTER);
	t = world_draw(wd); /* the note the amend will carry shows */
	assert_non_null(strstr(t, "note: x"));
	free(t);
	world_key(wd, '2');
	assert_int_equal(wd->f.amends, 1);
	assert_int_equal(wd->f.amend_case, 101);
	assert_string_equal(wd->f.amend_action, "override");
	assert_string_equal(wd->f.amend_label, "bad");
	assert_string_equal(wd->f.amend_note, "x");
	assert_int_equal(wd->f.decided, 3);
	assert_int_equal(wd->f.undos, 0);
	t = world_draw(wd);
	assert_non_null(strstr(t, "amend saved: app-00002 override → bad (was accept)"));
	assert_non_null(strstr(t, "case app-00004")); /* back to the queue case */
	free(t);
	/* back now shows the amend first, and the replaced accept no more */
	world_key(wd, '[');
	t = world_draw(wd);
	assert_non_null(strstr(t, "case app-00002  your override → bad  (1 of 3 back)"));
	free(t);
	world_key(wd, '[');
	world_key(wd, '[');
	t = world_draw(wd);
	assert_non_null(strstr(t, "case app-00001  your accept  (3 of 3 back)"));
	free(t);
	/* escalate from history asks a reason, then amends */
	world_key(wd, 'e');
	world_key(wd, '2');
	assert_int_equal(wd->f.amends, 2);
	assert_int_equal(wd->f.amend_case, 100);
	assert_string_equal(wd->f.amend_action, "escalate");
	assert_string_equal(wd->f.amend_reason, "needs-expert");
	assert_string_equal(wd->f.amend_note, ""); /* the note went with the first */
	t = world_draw(wd);
	assert_non_null(strstr(t, "amend saved: app-00001 escalate (needs-expert) (was accept)"));
	free(t);
	/* a refusal is shown and nothing moves */
	wd->f.fail_amend = 1;
	world_key(wd, '[');
	world_key(wd, 'a');
	t = world_draw(wd);
	assert_non_null(strstr(t, "not amended: case '100' was resolved by sue"));
	assert_non_null(strstr(t, "(1 of 3 back)"));
	free(t);
	assert_int_equal(wd->f.amends, 2);
	world_free(wd);
}

static void view_review__help__shows_rebound_keys(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 5, 100, 30);
	keymap_bind(&wd->cfg.keys, 'y', ACT_ACCEPT);
	keymap_bind(&wd->cfg.keys, 'a', ACT_NONE);
	world_key(wd, '?');
	char *t = world_draw(wd);
	dump(t);
	assert_non_null(strstr(t, "y           accept the model's label"));
	assert_null(strstr(t, "a           accept"));
	assert_non_null(strstr(t, "1-9"));
	free(t);
	world_key(wd, 'x'); /* any key closes help and does nothing else */
	assert_int_equal(wd->f.decided, 0);
	t = world_draw(wd);
	assert_non_null(strstr(t, "y accept"));
	free(t);
	world_free(wd);
}

/* Help at any size shows every key, page by page: a list cut short says
 * how many more there are, and Down reaches them all. */
static void view_help__cut_list__says_more_and_scrolls_to_all(void **state)
{
	(void)state;
	static const int sizes[][2] = {{40, 12}, {60, 16}, {80, 24}, {99, 20},
				       {100, 14}, {120, 40}};
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		struct world *wd = world_new(tabular_case, 2, sizes[k][0],
					     sizes[k][1]);
		world_key(wd, '?');
		int seen[ACT_COUNT] = {0};
		for (int page = 0; page < 40; page++) {
			char *t = world_draw(wd);
			dump(t);
			for (int a = 1; a < ACT_COUNT; a++) {
				/* the start of the help text, cut or not */
				char want[24];
				snprintf(want, sizeof want, "%.14s",
					 keymap_action_help(a));
				if (strstr(t, want))
					seen[a] = 1;
			}
			if (strstr(t, "pick label 1-9"))
				seen[ACT_ACCEPT + 2] = 1;
			char *foot = screen_row_text(wd->scr, wd->scr->h - 1);
			int more = strstr(foot, "more") != NULL;
			free(foot);
			free(t);
			if (!more)
				break;
			/* a key that scrolls keeps help open */
			world_key(wd, KEY_DK_DOWN);
			assert_int_equal(wd->r.overlay, REVIEW_HELP);
		}
		for (int a = 1; a < ACT_COUNT; a++) {
			if (a >= ACT_LABEL_1 && a <= ACT_LABEL_9)
				continue;
			if (!seen[a])
				fail_msg("%dx%d: help never shows '%s'", sizes[k][0],
					 sizes[k][1], keymap_action_name(a));
		}
		assert_true(seen[ACT_ACCEPT + 2]);
		char *t = world_draw(wd);
		char *foot = screen_row_text(wd->scr, wd->scr->h - 1);
		assert_non_null(strstr(foot, "close"));
		free(foot);
		free(t);
		world_key(wd, 'x');
		assert_int_equal(wd->r.overlay, REVIEW_NO_OVERLAY);
		world_free(wd);
	}
}

static void view_review__empty_queue__says_what_waits(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 0, 100, 30);
	char *t = world_draw(wd);
	dump(t);
	assert_non_null(strstr(t, "Nothing in your queue right now."));
	assert_non_null(strstr(t, "3  escalated: waiting for a supervisor"));
	assert_non_null(strstr(t, "Looking for new cases every 5 seconds."));
	free(t);
	/* new work arrives: the next poll shows it */
	wd->f.total = 1;
	wd->r.last_poll_ms -= REVIEW_EMPTY_POLL_MS;
	view_review.handle(&wd->r, KEY_DK_IDLE);
	t = world_draw(wd);
	assert_non_null(strstr(t, "case app-00001"));
	free(t);
	world_free(wd);
}

static void view_small__says__size_needed(void **state)
{
	(void)state;
	screen *scr = screen_new(30, 8);
	view_small.draw(NULL, scr);
	char *t = screen_text(scr);
	assert_non_null(strstr(t, "terminal too small"));
	assert_non_null(strstr(t, "need 40x12, have 30x8"));
	free(t);
	screen_free(scr);
}

/* ---- issue 16: the desk as reviewers live in it ---- */

static review_case *long_text_case(int i)
{
	review_case *c = text_case(i);
	sbuf t = {0};
	for (int k = 1; k <= 200; k++) {
		sbuf_printf(&t, "Line %d of a long review says little. ", k);
		if (k == 150)
			sbuf_adds(&t, "The needle is here. ");
	}
	free(c->text);
	c->text = dk_xstrdup(sbuf_str(&t));
	sbuf_free(&t);
	return c;
}

static char *status_of(struct world *wd)
{
	free(world_draw(wd));
	return screen_row_text(wd->scr, wd->scr->h - 2);
}

/* A long text scrolls inside its pane; the prediction stays where it was,
 * and the status row says there is more above and below. */
static void view_review__long_text__prediction_stays_in_view(void **state)
{
	(void)state;
	struct world *wd = world_new(long_text_case, 2, 100, 24);
	free(world_draw(wd));
	int pred = row_of(wd->scr, "model says great");
	assert_true(pred > 0);
	char *st = screen_row_text(wd->scr, 22);
	assert_non_null(strstr(st, "more below"));
	free(st);
	world_key(wd, KEY_DK_PGDN);
	free(world_draw(wd));
	world_key(wd, KEY_DK_PGDN);
	char *t = world_draw(wd);
	dump(t);
	assert_int_equal(row_of(wd->scr, "model says great"), pred);
	assert_null(strstr(t, "Line 1 of")); /* the text did scroll */
	free(t);
	st = screen_row_text(wd->scr, 22);
	assert_non_null(strstr(st, "more above and below"));
	free(st);
	/* G to the bottom, g back to the top */
	world_key(wd, 'G');
	t = world_draw(wd);
	assert_non_null(strstr(t, "Line 200 of"));
	assert_int_equal(row_of(wd->scr, "model says great"), pred);
	free(t);
	st = screen_row_text(wd->scr, 22);
	assert_non_null(strstr(st, "more above"));
	assert_null(strstr(st, "below"));
	free(st);
	world_key(wd, 'g');
	t = world_draw(wd);
	assert_non_null(strstr(t, "Line 1 of"));
	free(t);
	world_free(wd);
}

static void type(struct world *wd, const char *s)
{
	while (*s)
		world_key(wd, (unsigned char)*s++);
}

/* / finds text and scrolls to it; n and N step while a search is on (n is
 * the note key otherwise); Esc ends the search. */
static void view_review__search__scrolls_to_the_match(void **state)
{
	(void)state;
	struct world *wd = world_new(long_text_case, 2, 100, 24);
	free(world_draw(wd));
	assert_int_equal(row_of(wd->scr, "needle"), -1);
	world_key(wd, '/');
	assert_int_equal(wd->r.overlay, REVIEW_SEARCH);
	type(wd, "NEEDLE");
	world_key(wd, KEY_DK_ENTER);
	char *st = status_of(wd);
	assert_non_null(strstr(st, "NEEDLE: n next, N previous, Esc ends"));
	free(st);
	int y = row_of(wd->scr, "needle");
	assert_true(y >= 2);
	/* the match is marked */
	char *roles = screen_row_roles(wd->scr, y);
	char *row = screen_row_text(wd->scr, y);
	assert_non_null(strchr(roles, 'a' + THEME_ROLE_SELECTED));
	free(roles);
	free(row);
	world_key(wd, 'n'); /* the only match: wraps to itself */
	assert_int_equal(wd->r.overlay, REVIEW_NO_OVERLAY);
	st = status_of(wd);
	assert_non_null(strstr(st, "wrapped"));
	free(st);
	world_key(wd, KEY_DK_ESC);
	world_key(wd, 'n');
	assert_int_equal(wd->r.overlay, REVIEW_NOTE);
	world_free(wd);
}

/* A key with no action says so on the status line. */
static void view_review__unknown_key__says_so(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 3, 100, 30);
	world_key(wd, 'z');
	char *st = status_of(wd);
	assert_non_null(strstr(st, "z does nothing here (? for help)"));
	free(st);
	world_key(wd, KEY_DK_F1 + 4);
	st = status_of(wd);
	assert_non_null(strstr(st, "F5 does nothing here (? for help)"));
	free(st);
	assert_int_equal(wd->f.decided, 0);
	world_free(wd);
}

/* A click on a footer item acts as its key; on the digits' item (nine
 * keys) or off the footer, nothing. The wheel scrolls. */
static void view_review__mouse__footer_click_acts_as_the_key(void **state)
{
	(void)state;
	struct world *wd = world_new(long_text_case, 3, 100, 24);
	free(world_draw(wd));
	char *foot = screen_row_text(wd->scr, 23);
	char *at = strstr(foot, "a accept");
	assert_non_null(at);
	int ax = (int)(at - foot);
	char *lab = strstr(foot, "1-9 label");
	assert_non_null(lab);
	int lx = (int)(lab - foot);
	char *help = strstr(foot, "? help");
	assert_non_null(help);
	free(foot);
	assert_int_equal(review_click_action(&wd->r, 23, ax + 3), ACT_ACCEPT);
	assert_int_equal(review_click_action(&wd->r, 23, lx + 1), ACT_NONE);
	assert_int_equal(review_click_action(&wd->r, 5, ax), ACT_NONE);
	/* the wheel scrolls the text */
	world_key(wd, KEY_DK_WHEEL_DOWN);
	assert_int_equal(wd->r.scroll, 3);
	world_key(wd, KEY_DK_WHEEL_UP);
	assert_int_equal(wd->r.scroll, 0);
	/* a click off the footer does nothing */
	world_key(wd, KEY_DK_CLICK(5, ax));
	assert_int_equal(wd->f.decided, 0);
	world_key(wd, KEY_DK_CLICK(23, lx));
	assert_int_equal(wd->f.decided, 0);
	/* on accept: accepts */
	world_key(wd, KEY_DK_CLICK(23, ax));
	assert_int_equal(wd->f.decided, 1);
	assert_string_equal(wd->f.last_action, "accept");
	/* on help: help */
	free(world_draw(wd));
	foot = screen_row_text(wd->scr, 23);
	int hx = (int)(strstr(foot, "? help") - foot);
	free(foot);
	world_key(wd, KEY_DK_CLICK(23, hx));
	assert_int_equal(wd->r.overlay, REVIEW_HELP);
	world_free(wd);
}

/* The pace: time on the case, the session's rate once there are two
 * decisions, and the time to empty the queue at that rate. */
static void view_review__pace__rate_after_two_decisions(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 5, 120, 30);
	char buf[160];
	int64_t t0 = wd->r.session_ms;
	wd->r.cur->shown_ms = t0;
	review_pace(&wd->r, t0 + 65000, buf, sizeof buf);
	assert_string_equal(buf, "1:05 on case  \u2014/h");
	wd->r.session_decisions = 1;
	review_pace(&wd->r, t0 + 65000, buf, sizeof buf);
	assert_non_null(strstr(buf, "\u2014/h")); /* one decision: no rate */
	wd->r.session_decisions = 2;
	wd->r.counts.queued = 5;
	wd->r.counts.held_by_me = 1;
	/* 2 decisions in 6 minutes: 20/h; 6 left: ~18 minutes */
	review_pace(&wd->r, t0 + 6 * 60000, buf, sizeof buf);
	assert_string_equal(buf, "6:00 on case  20/h  ~18m to empty");
	wd->r.counts.queued = 99;
	review_pace(&wd->r, t0 + 6 * 60000, buf, sizeof buf);
	assert_string_equal(buf, "6:00 on case  20/h  ~5h00m to empty");
	/* and the header shows it: the screen reads the monotonic clock, so
	 * the session and the case are put that far back on it (a session
	 * begun a few ms ago has a rate too wide for the header) */
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	int64_t mono = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	wd->r.session_ms = mono - 6 * 60000;
	wd->r.cur->shown_ms = mono - 60000;
	wd->r.counts.queued = 5; /* "~18m", so it fits beside the names */
	free(world_draw(wd));
	char *h = screen_row_text(wd->scr, 0);
	if (!strstr(h, "1:00 on case  20/h  ~18m to empty"))
		fail_msg("header: %s", h);
	free(h);
	world_free(wd);
}

static review_case *priority_case(int i)
{
	review_case *c = tabular_case(i);
	c->priority = i == 0 ? 3 : 0;
	return c;
}

/* Priority shows when it is not 0. */
static void view_review__priority__shown_when_not_zero(void **state)
{
	(void)state;
	struct world *wd = world_new(priority_case, 2, 100, 30);
	char *t = world_draw(wd);
	char *title = screen_row_text(wd->scr, 1);
	assert_non_null(strstr(title, "case app-00001  priority 3"));
	free(title);
	free(t);
	world_key(wd, 'a');
	free(world_draw(wd));
	title = screen_row_text(wd->scr, 1);
	assert_non_null(strstr(title, "app-00002"));
	assert_null(strstr(title, "priority"));
	free(title);
	world_free(wd);
}

static review_case *long_names_case(int i)
{
	review_case *c = tabular_case(i);
	review_case_add_attr(c, "customer_account_balance_in_dollars_2019", 0.3);
	review_case_add_attr(c, "customer_account_balance_in_dollars_2020", -0.2);
	review_case_sort_attrs(c);
	return c;
}

/* Long feature names that differ at the end are not cut to look alike;
 * wider screens give bars more room. */
static void view_review__wide__names_apart_and_bars_grow(void **state)
{
	(void)state;
	int last = 0;
	for (int w = 80; w <= 200; w += 60) {
		struct world *wd = world_new(long_names_case, 2, w, 30);
		char *t = world_draw(wd);
		dump(t);
		int y19 = row_of(wd->scr, "2019"), y20 = row_of(wd->scr, "2020");
		assert_true(y19 > 0 && y20 > 0 && y19 != y20);
		/* the confidence bar's cells */
		int y = row_of(wd->scr, "model says good");
		char *row = screen_row_text(wd->scr, y);
		int cells = 0;
		for (const char *p = row; (p = strstr(p, "░")) != NULL; p++)
			cells++;
		for (const char *p = row; (p = strstr(p, "█")) != NULL; p++)
			cells++;
		free(row);
		assert_true(cells > last);
		last = cells;
		free(t);
		world_free(wd);
	}
}

/* The picker's hint says what a digit does. */
static void view_review__picker_hint__says_what_a_digit_does(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 3, 100, 30);
	world_key(wd, 'e');
	char *t = world_draw(wd);
	assert_non_null(strstr(t, "a digit saves with the reason beside it"));
	free(t);
	world_key(wd, KEY_DK_ESC);
	world_key(wd, 'o');
	t = world_draw(wd);
	assert_non_null(strstr(t, "a digit decides with the label beside it"));
	free(t);
	world_free(wd);
}

/* The queue list's filter: label:, reason:, model: and plain words in the
 * id, prediction and context; gold and audit both read "spot check", so
 * the filter cannot tell them apart. */
static void view_qlist__filter__words_and_spot_checks(void **state)
{
	(void)state;
	struct qlist_row gold = {0}, audit = {0}, conf = {0};
	snprintf(gold.ext_id, sizeof gold.ext_id, "g-1");
	snprintf(gold.prediction, sizeof gold.prediction, "good");
	snprintf(gold.model, sizeof gold.model, "credit");
	snprintf(gold.reason, sizeof gold.reason, "%s",
		 policy_reason_shown(ROUTE_GOLD " check"));
	audit = gold;
	snprintf(audit.ext_id, sizeof audit.ext_id, "a-1");
	snprintf(audit.reason, sizeof audit.reason, "%s",
		 policy_reason_shown(ROUTE_AUDIT " sample"));
	conf = gold;
	snprintf(conf.ext_id, sizeof conf.ext_id, "c-1");
	snprintf(conf.prediction, sizeof conf.prediction, "bad");
	snprintf(conf.reason, sizeof conf.reason, "confidence 0.51 < 0.80");
	assert_true(qlist_match("reason:spot", &gold, NULL));
	assert_true(qlist_match("reason:spot", &audit, NULL));
	assert_false(qlist_match("reason:gold", &gold, NULL));
	assert_false(qlist_match("reason:audit", &audit, NULL));
	assert_true(qlist_match("reason:confidence", &conf, NULL));
	assert_true(qlist_match("label:BAD", &conf, NULL));
	assert_false(qlist_match("label:bad", &gold, NULL));
	assert_true(qlist_match("model:cred label:good", &gold, NULL));
	assert_false(qlist_match("model:other", &gold, NULL));
	assert_true(qlist_match("c-1", &conf, NULL));
	assert_true(qlist_match("rent", &conf, "9\nrent\n129"));
	assert_false(qlist_match("rent", &conf, NULL));
	assert_false(qlist_match("rent label:good", &conf, "rent"));
	assert_true(qlist_match("", &conf, NULL));
	assert_false(qlist_filter_needs_context("label:x reason:y model:z"));
	assert_true(qlist_filter_needs_context("label:x rent"));
}

/* The queue list over a real store: claim order, keyset pages that
 * neither repeat nor skip, the reviewer's held case first, a reason filter
 * that cannot tell gold from audit, and no statement that scans. */
static void view_queue_list__store__pages_filters_and_seeks(void **state)
{
	(void)state;
	struct fixture *f = fixture_new();
	dk_error err = {{0}};
	assert_int_equal(queue_reviewer_add(f->s, "ann", ROLE_REVIEWER,
					    dk_login_name(), &err), DK_OK);
	int64_t mid = fixture_model(f->s, "m", "[\"yes\",\"no\"]");
	char id[16];
	for (int i = 0; i < 30; i++) {
		snprintf(id, sizeof id, "k%02d", i);
		/* two priorities, urgencies out of id order */
		fixture_case(f->s, mid, id, i % 3 ? "yes" : "no", 0.5, CASE_QUEUED,
			     i < 5 ? 2 : 0, (double)((i * 7) % 4), 1); /* ties */
	}
	fixture_exec(f->s,
		"UPDATE cases SET route_reason = 'gold check' WHERE ext_id = 'k10';"
		"UPDATE cases SET route_reason = 'audit sample' WHERE ext_id = 'k11';"
		"UPDATE cases SET route_reason = 'gold check; confidence 0.50 < 0.80'"
		" WHERE ext_id = 'k12';"
		"UPDATE cases SET route_reason = 'confidence 0.50 < 0.80'"
		" WHERE ext_id = 'k13';");
	struct view_queue vq = {.s = f->s};
	snprintf(vq.reviewer, sizeof vq.reviewer, "ann");
	review_source src;
	view_queue_source(&vq, &src);
	/* ann holds the first in order: it heads the list, marked */
	review_case *held = NULL;
	assert_int_equal(src.claim(src.ctx, &held, &err), DK_OK);
	struct qlist_page *pg = calloc(1, sizeof *pg);
	assert_int_equal(src.list(src.ctx, NULL, "", 7, pg, &err), DK_OK);
	assert_int_equal(pg->n, 7);
	assert_true(pg->rows[0].mine);
	assert_int_equal(pg->rows[0].case_id, held->id);
	/* all pages: every case once, in claim order */
	char seen[30] = {0};
	int total = 0;
	struct qlist_key prev = {INT64_MAX, -1, 0}, at;
	int first = 1;
	for (;;) {
		for (size_t i = 0; i < pg->n; i++) {
			const struct qlist_key *k = &pg->rows[i].key;
			int n = atoi(pg->rows[i].ext_id + 1);
			assert_false(seen[n]);
			seen[n] = 1;
			total++;
			assert_true(k->priority < prev.priority ||
				    (k->priority == prev.priority &&
				     (k->urgency > prev.urgency ||
				      (k->urgency == prev.urgency && k->id > prev.id))));
			prev = *k;
		}
		if (pg->end || !pg->n)
			break;
		at = pg->rows[pg->n - 1].key;
		first = 0;
		assert_int_equal(src.list(src.ctx, &at, "", 7, pg, &err), DK_OK);
	}
	(void)first;
	assert_int_equal(total, 30);
	/* reason: gold and audit read alike */
	assert_int_equal(src.list(src.ctx, NULL, "reason:gold", 30, pg, &err), DK_OK);
	assert_int_equal(pg->n, 0);
	assert_int_equal(src.list(src.ctx, NULL, "reason:audit", 30, pg, &err), DK_OK);
	assert_int_equal(pg->n, 0);
	assert_int_equal(src.list(src.ctx, NULL, "reason:spot", 30, pg, &err), DK_OK);
	assert_int_equal(pg->n, 2);
	assert_true(pg->end);
	/* a gold check a rule routes reads, and filters, as that rule's case */
	assert_int_equal(src.list(src.ctx, NULL, "reason:0.50", 30, pg, &err), DK_OK);
	assert_int_equal(pg->n, 2);
	for (size_t i = 0; i < pg->n; i++)
		assert_string_equal(pg->rows[i].reason, "confidence 0.50 < 0.80");
	assert_int_equal(src.list(src.ctx, NULL, "reason:check", 30, pg, &err), DK_OK);
	assert_int_equal(pg->n, 2); /* the two spot checks */
	/* a plain word reads the context: every case has f=v */
	assert_int_equal(src.list(src.ctx, NULL, "v label:no", 30, pg, &err), DK_OK);
	assert_int_equal(pg->n, 10);
	/* cases holding their values in their batch's key order (casejson.h):
	 * the filter finds their values, never a pii: field's (SQLite's
	 * form: cases on PostgreSQL hold objects) */
	if (store_engine(f->s) == STORE_SQLITE) {
		fixture_exec(f->s,
			"UPDATE batches SET ctx_keys = '[\"pii:who\",\"f\"]';"
			"UPDATE cases SET context = '[\"Zed\",\"w\"]' WHERE ext_id < 'k05';");
		assert_int_equal(src.list(src.ctx, NULL, "zed", 30, pg, &err), DK_OK);
		assert_int_equal(pg->n, 0);
		assert_int_equal(src.list(src.ctx, NULL, "w", 30, pg, &err), DK_OK);
		assert_int_equal(pg->n, 5); /* k00..k04 (k00 held by ann, first) */
		assert_int_equal(src.list(src.ctx, NULL, "v label:no", 30, pg, &err),
				 DK_OK);
		assert_int_equal(pg->n, 8);
	}
	/* Enter's claim: another reviewer's case says who holds it */
	assert_int_equal(queue_reviewer_add(f->s, "bob", ROLE_REVIEWER,
					    dk_login_name(), &err), DK_OK);
	review_case *c = NULL;
	assert_int_equal(src.claim_case(src.ctx, pg->rows[0].case_id, &c, &err), DK_OK);
	snprintf(vq.reviewer, sizeof vq.reviewer, "bob");
	review_case *c2 = NULL;
	assert_int_equal(src.claim_case(src.ctx, c->id, &c2, &err), DK_EMPTY);
	assert_non_null(strstr(err.msg, "held by ann"));
	review_case_free(c);
	review_case_free(held);
	/* no step of the list's reads scans a table (on PostgreSQL too:
	 * fixture_plan_start) */
	sbuf plan = {0};
	fixture_plan_start(f->s);
	if (view_queue_explain(f->s, &plan, &err) != DK_OK)
		fail_msg("%s", err.msg);
	fixture_plan_end(f->s);
	const char *p = sbuf_str(&plan);
	static const char *const big[] = {"cases", "leases", NULL};
	char line[200];
	if (store_engine(f->s) == STORE_POSTGRES
		    ? fixture_pg_seq_scan(p, big, line, sizeof line) != NULL
		    : strstr(p, "SCAN c") || strstr(p, "SCAN l") || strstr(p, "SCAN cases"))
		fail_msg("the queue list scans:\n%s", p);
	if (!strstr(p, "cases_queue_model"))
		fail_msg("the queue list does not walk cases_queue_model:\n%s", p);
	dump(p);
	sbuf_free(&plan);
	free(pg);
	fixture_free(f);
}

/* Taking a case by id (the queue list's Enter, --case): a prefetched one
 * comes from the cases held, another is claimed; the case shown before is
 * next in line; one held by someone else leaves the screen as it was. */
static void view_review__take_case__held_claimed_or_refused(void **state)
{
	(void)state;
	struct world *wd = world_new(tabular_case, 8, 100, 30);
	view_review.handle(&wd->r, KEY_DK_IDLE); /* claims ahead */
	assert_int_equal(wd->r.cur->id, 100);
	assert_true(wd->r.nahead >= 2);
	int64_t ahead1 = wd->r.ahead[1]->id;
	dk_error err = {{0}};
	assert_int_equal(review_take_case(&wd->r, ahead1, &err), DK_OK);
	assert_int_equal(wd->r.cur->id, ahead1);
	assert_int_equal(wd->f.claim_cases, 0); /* held already: no claim */
	assert_int_equal(wd->r.ahead[0]->id, 100);
	assert_int_equal(review_take_case(&wd->r, 106, &err), DK_OK);
	assert_int_equal(wd->f.claim_cases, 1);
	assert_int_equal(wd->r.cur->id, 106);
	assert_int_equal(wd->r.ahead[0]->id, ahead1);
	/* the one on screen: nothing to claim */
	assert_int_equal(review_take_case(&wd->r, 106, &err), DK_OK);
	assert_int_equal(wd->f.claim_cases, 1);
	wd->f.lost = 1u << 7;
	assert_int_equal(review_take_case(&wd->r, 107, &err), DK_EMPTY);
	assert_non_null(strstr(err.msg, "held by carol"));
	assert_int_equal(wd->r.cur->id, 106);
	/* deciding goes on with the case shown before */
	world_key(wd, 'a');
	assert_int_equal(wd->f.last_case, 106);
	assert_int_equal(wd->r.cur->id, ahead1);
	world_free(wd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(view_review__draws__tabular_case),
		cmocka_unit_test(view_review__long_text__prediction_stays_in_view),
		cmocka_unit_test(view_review__search__scrolls_to_the_match),
		cmocka_unit_test(view_review__unknown_key__says_so),
		cmocka_unit_test(view_review__mouse__footer_click_acts_as_the_key),
		cmocka_unit_test(view_review__pace__rate_after_two_decisions),
		cmocka_unit_test(view_review__priority__shown_when_not_zero),
		cmocka_unit_test(view_review__wide__names_apart_and_bars_grow),
		cmocka_unit_test(view_review__picker_hint__says_what_a_digit_does),
		cmocka_unit_test(view_qlist__filter__words_and_spot_checks),
		cmocka_unit_test(view_review__take_case__held_claimed_or_refused),
		cmocka_unit_test(view_queue_list__store__pages_filters_and_seeks),
		cmocka_unit_test(view_review__text_case__highlights_by_sign_and_weight),
		cmocka_unit_test(view_review__narrow_screen__stacks_and_scrolls),
		cmocka_unit_test(view_review__more_marker__never_covers_the_case),
		cmocka_unit_test(view_review__label_picker__box_fits_its_rows),
		cmocka_unit_test(view_review__wide_characters__are_never_split),
		cmocka_unit_test(view_review__bars__length_follows_value_on_every_row),
		cmocka_unit_test(view_review__accept__saves_then_says_so),
		cmocka_unit_test(view_review__digits__override_or_accept),
		cmocka_unit_test(view_review__escalate_and_skip__ask_a_reason),
		cmocka_unit_test(view_review__picker_digits__pick_what_they_are_shown_beside),
		cmocka_unit_test(view_review__note__goes_with_the_next_decision),
		cmocka_unit_test(view_review__note_escape__keeps_the_kept_note_and_says_so),
		cmocka_unit_test(view_review__quit__names_a_note_at_stake),
		cmocka_unit_test(view_review__undo__brings_the_case_back),
		cmocka_unit_test(view_review__lease_lost__moves_on_and_says_so),
		cmocka_unit_test(view_review__reveal__logs_then_shows),
		cmocka_unit_test(view_review__back_forward__walk_own_decisions),
		cmocka_unit_test(view_review__back__amends_any_recent_decision),
		cmocka_unit_test(view_review__help__shows_rebound_keys),
		cmocka_unit_test(view_help__cut_list__says_more_and_scrolls_to_all),
		cmocka_unit_test(view_review__empty_queue__says_what_waits),
		cmocka_unit_test(view_small__says__size_needed),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
