/* tui_review.c: starts the reviewer's screen: config, theme, reviewer,
 * reason codes, the terminal, the main loop, and giving back held cases
 * however it ends. Benchmarks drive it through DOCKET_BENCH_* variables. */
#include "tui.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "docket/config.h"
#include "docket/feedback.h"
#include "docket/queue.h"
#include "docket/text.h"
#include "docket/theme.h"
#include "docket/view_queue.h"
#include "docket/view_review.h"
#include "term.h"

const char *tui_find_near_binary(const char *name, char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	/* the source tree (build/docket), an install (bin/../share), and
	 * the test build beside the first (build/test/docket) */
	static const char *const rel[] = {"%s/%s", "%s/../%s",
					  "%s/../share/docket/%s", "%s/../../%s"};
	for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
		snprintf(buf, len, rel[i], exe, name);
		if (access(buf, R_OK) == 0)
			return buf;
	}
	return NULL;
}

static long tui_peak_rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmHWM:", 6))
			kb = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

static int tui_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* One line for bench/review.sh to read. */
static void tui_bench_report(const struct tui_stats *st, int decisions)
{
	double med = 0, p90 = 0, max = 0, sum = 0;
	if (st->nkeys) {
		dk_sort(st->key_ms, (size_t)st->nkeys, sizeof *st->key_ms,
		      tui_cmp_double);
		med = st->key_ms[st->nkeys / 2];
		p90 = st->key_ms[st->nkeys * 9 / 10];
		max = st->key_ms[st->nkeys - 1];
		for (int i = 0; i < st->nkeys; i++)
			sum += st->key_ms[i];
	}
	cli_eprintf(
		"bench first_frame_ms=%.3f frames=%d keys=%d decisions=%d "
		"key_median_ms=%.4f key_p90_ms=%.4f key_max_ms=%.4f "
		"key_total_ms=%.1f peak_rss_kb=%ld\n",
		st->first_frame_ms, st->frames, st->nkeys, decisions, med, p90, max,
		sum, tui_peak_rss_kb());
}

static void tui_theme_dirs(const char **dirs, char bufs[][4096])
{
	int n = 0;
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg == '/')
		snprintf(bufs[n], 4096, "%s/docket/themes", xdg), dirs[n] = bufs[n], n++;
	else if (home && *home)
		snprintf(bufs[n], 4096, "%s/.config/docket/themes", home),
			dirs[n] = bufs[n], n++;
	if (tui_find_near_binary("themes", bufs[n], 4096))
		dirs[n] = bufs[n], n++;
	dirs[n] = NULL;
}

int tui_theme_load(theme *th, const char *name, dk_error *err)
{
	const char *dirs[4];
	char dirbufs[3][4096];
	tui_theme_dirs(dirs, dirbufs);
	return theme_load(th, name, dirs, err);
}

/* The reviewer's row, made if new, in a write transaction of its own; run
 * again by the caller when the server picked it as a deadlock's victim
 * (store_retry). */
static int tui_reviewer_once(store *s, const char *reviewer, int64_t *rid,
			     dk_error *err)
{
	if (store_begin_write(s, err) || queue_reviewer_id(s, reviewer, rid, err) ||
	    store_commit(s, err)) {
		store_rollback(s);
		return DK_ERR;
	}
	return DK_OK;
}

int tui_review(store *s, const struct tui_review_opts *o)
{
	int rc = EXIT_OK;
	dk_error err = {{0}};
	config cfg;
	config_init(&cfg);
	if (config_load_user(&cfg, &err)) {
		config_free(&cfg);
		return cli_fail(err.msg);
	}
	const char *reviewer = o->reviewer ? o->reviewer : dk_login_name();
	int64_t rid;
	int got, tries = 0;
	do
		got = tui_reviewer_once(s, reviewer, &rid, &err);
	while (got == DK_ERR && store_retry(s, &tries));
	if (got) {
		config_free(&cfg);
		return cli_fail(err.msg);
	}
	const char *bench_keys = getenv("DOCKET_BENCH_KEYS");
	const char *bench_first = getenv("DOCKET_BENCH_FIRST_FRAME");
	const char *bench_sync = getenv("DOCKET_BENCH_SYNC");
	int bench = (bench_keys && *bench_keys) || (bench_first && *bench_first);
	if (bench_sync && !strcmp(bench_sync, "normal") &&
	    store_set_durable(s, 0, &err)) {
		config_free(&cfg);
		return cli_fail(err.msg);
	}

	/* Theme: --theme, else the config's; NO_COLOR means monochrome. */
	theme th;
	char warn[sizeof err.msg] = "";
	const char *theme_name = o->theme ? o->theme : cfg.theme;
	if (tui_theme_load(&th, theme_name, &err))
		snprintf(warn, sizeof warn, "%s", err.msg);
	const char *nc = getenv("NO_COLOR");
	int mono = (nc && *nc) || !strcmp(th.name, "mono");

	char **reasons, **texts, *dropped;
	if (view_queue_reasons(s, &cfg, &reasons, &texts, &dropped, &err)) {
		config_free(&cfg);
		return cli_fail(err.msg);
	}
	size_t nreasons = 0;
	while (reasons[nreasons])
		nreasons++;

	text_set_utf8_from_locale();
	struct view_queue q;
	memset(&q, 0, sizeof q);
	q.s = s;
	snprintf(q.reviewer, sizeof q.reviewer, "%s", reviewer);
	snprintf(q.model, sizeof q.model, "%s", o->model ? o->model : "");
	review_source src;
	view_queue_source(&q, &src);

	struct term_opts to = {.theme = &th, .mono = mono, .mouse = cfg.mouse,
			       /* benchmarks paint to /dev/null */
			       .script = !bench ? NULL
				       : bench_keys && *bench_keys ? bench_keys
								   : "q"};
	review r;
	review_init(&r, &src, &cfg, reviewer, o->model,
		    (const char *const *)reasons, (const char *const *)texts,
		    nreasons);
	char terr[256];
	if (term_init(&to, terr, sizeof terr)) {
		review_done(&r);
		rc = cli_fail(terr);
		goto out_reasons;
	}
	if (o->case_id && review_take_case(&r, o->case_id, &err) != DK_OK) {
		/* the case asked for cannot be had: the terminal back, then why */
		term_done();
		review_done(&r);
		rc = cli_fail(err.msg);
		goto out_reasons;
	}
	review_start(&r);
	/* what became of this reviewer's escalations since their last start */
	sbuf heard = {0};
	if (feedback_take(s, reviewer, &heard, NULL, &err))
		review_status(&r, THEME_ROLE_ERROR, "%s", err.msg);
	else if (sbuf_str(&heard)[0] && !r.status[0])
		review_status(&r, THEME_ROLE_STATUS_OK, "%s", sbuf_str(&heard));
	sbuf_free(&heard);
	if (warn[0])
		review_status(&r, THEME_ROLE_ERROR, "%s", warn);
	else if (dropped)
		review_status(&r, THEME_ROLE_ERROR,
			      "config reason codes unknown to this store, not "
			      "offered: %s",
			      dropped);
	struct tui_stats stats;
	memset(&stats, 0, sizeof stats);
	int sig = tui_run(&view_review, &r, bench_first && *bench_first,
			  bench ? &stats : NULL);
	term_done();
	int decisions = r.counts_ok ? (int)r.counts.done_today : 0;
	int64_t back = 0;
	if (review_release(&r, &back, &err) != DK_OK) {
		cli_eprintf("docket: giving back held cases: %s\n", err.msg);
		rc = EXIT_FAIL;
	}
	if (sig) {
		/* a signal cannot ask, but it says what it dropped */
		const char *lost = review_unsaved(&r);
		cli_eprintf(
			"docket review: stopped by %s; every decision is saved; "
			"%lld held case%s given back%s%s\n",
			sig == SIGINT ? "Ctrl-C" : sig == SIGHUP ? "SIGHUP" : "SIGTERM",
			(long long)back, back == 1 ? "" : "s",
			lost ? "; dropped: " : "", lost ? lost : "");
		rc = EXIT_FAIL;
	}
	if (bench)
		tui_bench_report(&stats, decisions);
	free(stats.key_ms);
	review_done(&r);
out_reasons:
	queue_reasons_free(reasons);
	queue_reasons_free(texts);
	free(dropped);
	config_free(&cfg);
	return rc;
}
