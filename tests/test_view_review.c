/* test_view_review.c: the reviewer's screen drawn into the screen model from
 * a fake source: tabular and text cases, highlighting, narrow and wide
 * screens, long and wide-character values, keys and what they decide. */
#include "fixture.h"

#include <locale.h>

#include "docket/config.h"
#include "docket/keymap.h"
#include "docket/screen.h"
#include "docket/text.h"
#include "docket/theme.h"
#include "docket/view_review.h"

/* A fake source: a list of cases to hand out, and a record of calls. */
struct fake {
	review_case *(*make)(int i);
	int next, total;
	int decided;
	char last_action[16], last_label[64], last_reason[64], last_note[256];
	int64_t last_case;
	int reveals, releases, undos;
	int fail_decide; /* 1: store error, 2: lease lost */
	int64_t decided_ids[16];
};

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
	c->route_reason = dk_xstrdup("confidence");
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
	if (f->fail_decide == 2)
		return dk_fail(err, "case %s: your lease expired", c->ext_id);
	snprintf(f->last_action, sizeof f->last_action, "%s", action);
	snprintf(f->last_label, sizeof f->last_label, "%s", label ? label : "");
	snprintf(f->last_reason, sizeof f->last_reason, "%s", reason ? reason : "");
	snprintf(f->last_note, sizeof f->last_note, "%s", note ? note : "");
	f->last_case = c->id;
	if (f->decided < 16)
		f->decided_ids[f->decided] = c->id;
	f->decided++;
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
	(void)ctx;
	(void)c;
	(void)err;
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
	for (int i = f->decided - 1; i >= 0 && *n < max; i--) {
		struct review_recent *e = &out[(*n)++];
		memset(e, 0, sizeof *e);
		e->seq = i + 1;
		e->case_id = f->decided_ids[i];
		snprintf(e->action, sizeof e->action, "accept");
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

static struct world *world_new(review_case *(*make)(int), int total, int w,
			       int h)
{
	struct world *wd = calloc(1, sizeof *wd);
	wd->f.make = make;
	wd->f.total = total;
	wd->src = (review_source){
		.ctx = &wd->f, .claim = fake_claim, .decide = fake_decide,
		.undo = fake_undo, .reveal = fake_reveal, .renew = fake_renew,
		.release = fake_release, .recent = fake_recent, .load = fake_load,
		.counts = fake_counts,
	};
	config_init(&wd->cfg);
	const char *codes[] = {"unclear", "needs-expert"};
	review_init(&wd->r, &wd->src, &wd->cfg, "alice", NULL, codes, NULL, 2);
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
	assert_non_null(strstr(t, "2,021 left"));
	assert_non_null(strstr(t, "case app-00001"));
	assert_non_null(strstr(t, "routed: low confidence"));
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(view_review__draws__tabular_case),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
