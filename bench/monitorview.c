/* monitorview.c: times the supervisor's Model tab views of issue 14
 * through the core, as the screen runs them: the Model tab's figures
 * (stats), then d (the Drift view: drift_compute reading the kept bins),
 * then f with a field and p with a positive label (the Fairness view:
 * the groups and figures alone, stats_regroup, from the counts kept per
 * batch). Each is the key's handling plus one
 * frame drawn into a 120x40 screen model. Prints one "name ms" line each.
 * Usage: monitorview STORE FIELD LABEL */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "docket/keymap.h"
#include "docket/store.h"
#include "docket/util.h"
#include "docket/view_sup.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Type s into the view (\n is Enter) and draw a frame; the ms it took. */
static double keys(sup *c, screen *scr, const char *s)
{
	double t0 = now_ms();
	for (; *s; s++)
		view_sup.handle(c, *s == '\n' ? KEY_DK_ENTER : *s);
	screen_clear(scr);
	view_sup.draw(c, scr);
	return now_ms() - t0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: monitorview STORE FIELD LABEL\n");
		return 2;
	}
	store *s = NULL;
	dk_error err = {{0}};
	if (store_open(&s, argv[1], 0, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	sup c;
	if (sup_init(&c, s, dk_login_name(), &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	screen *scr = screen_new(120, 40);
	char by[256], pos[256];
	snprintf(by, sizeof by, "f%s\n", argv[2]);
	snprintf(pos, sizeof pos, "p%s\n", argv[3]);
	printf("model_tab %.1f\n", keys(&c, scr, "5"));
	printf("drift_view %.1f\n", keys(&c, scr, "d"));
	printf("drift_view_again %.1f\n", keys(&c, scr, "dd"));
	keys(&c, scr, "d");
	printf("by_field %.1f\n", keys(&c, scr, by));
	printf("fairness_view %.1f\n", keys(&c, scr, pos));
	/* the view shows figures: a time of nothing drawn would mislead */
	if (!c.st || !c.st->nmodels || !c.st->models[0].has_fair ||
	    !c.st->models[0].ngroups) {
		fprintf(stderr, "monitorview: no fairness figures drawn\n");
		return 1;
	}
	printf("fairness_groups %zu\n", c.st->models[0].ngroups);
	screen_free(scr);
	sup_done(&c);
	store_close(s);
	return 0;
}
