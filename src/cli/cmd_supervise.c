/* cmd_supervise.c: `docket supervise STORE`: the supervisor's screen (the
 * views in view_sup*.c, run by the shared terminal layer and main loop). */
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "docket/text.h"
#include "docket/theme.h"
#include "docket/view_sup.h"
#include "term.h"
#include "tui.h"

static const char supervise_usage[] =
	"Usage: docket supervise STORE [--as NAME] [--theme NAME]\n"
	"The supervisor's screen. Tabs (keys 1-6, Tab cycles):\n"
	"  1 Log            every decision, newest first; / filters (reviewer=,\n"
	"                   action=, label=, model=, case=, since=, until= and\n"
	"                   words of the note); Enter opens the case as its\n"
	"                   reviewer saw it, with its whole history; g shows\n"
	"                   entries added since (\"N new entries\")\n"
	"  2 Escalations    escalated cases with both sides and reasons;\n"
	"  3 Disagreements  double reviews that disagreed; / filters (model=,\n"
	"                   reason=, age=2h); Enter opens one, r resolves it\n"
	"                   with a final label and a note (the reviewer who\n"
	"                   escalated sees it when their next review starts)\n"
	"  4 Reviewers      decisions, override and escalate rates, median\n"
	"                   seconds, fast accepts, gold accuracy, agreement, kappas\n"
	"  5 Model          confusion, override rate by confidence, per day, by a\n"
	"                   context field (f), unreviewed error (Wilson interval)\n"
	"  6 Audit          the chain's head, verification (v), exports, reveals\n"
	"? shows every key. Supervisors only.\n"
	"  --as NAME     act as this supervisor (default: your login name)\n"
	"  --theme NAME  colours from themes/NAME.theme (default, light,\n"
	"                high-contrast, mono, or a path), as for 'docket review';\n"
	"                NO_COLOR=1 gives monochrome\n";

int cmd_supervise(int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
					     {"as", required_argument, NULL, 'a'},
					     {"theme", required_argument, NULL, 't'},
					     {NULL, 0, NULL, 0}};
	const char *as = dk_login_name(), *theme_name = "default";
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(supervise_usage);
		case 'a': as = optarg; break;
		case 't': theme_name = optarg; break;
		default: return cli_usage_error("supervise", "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("supervise", "expected one STORE path");
	store *s = cli_open_store(argv[optind], 0);
	if (!s)
		return EXIT_FAIL;
	int rc = cli_act_as(s, "--as", &as);
	if (!rc)
		rc = cli_require_supervisor(s, "supervise", as);
	if (rc) {
		store_close(s);
		return rc;
	}
	theme th;
	dk_error err = {{0}};
	char warn[sizeof err.msg] = "";
	if (tui_theme_load(&th, theme_name, &err))
		snprintf(warn, sizeof warn, "%s", err.msg);
	const char *nc = getenv("NO_COLOR");
	int mono = (nc && *nc) || !strcmp(th.name, "mono");
	text_set_utf8_from_locale();
	sup ctx;
	if (sup_init(&ctx, s, as, &err)) {
		store_close(s);
		return cli_fail(err.msg);
	}
	if (warn[0]) {
		snprintf(ctx.status, sizeof ctx.status, "%s", warn);
		ctx.status_role = THEME_ROLE_ERROR;
	}
	struct term_opts to = {.theme = &th, .mono = mono};
	char terr[256];
	if (term_init(&to, terr, sizeof terr)) {
		sup_done(&ctx);
		store_close(s);
		return cli_fail(terr);
	}
	int sig = tui_run(&view_sup, &ctx, 0, NULL);
	term_done();
	if (sig) {
		cli_eprintf("docket supervise: stopped by %s; every resolution is saved\n",
			sig == SIGINT ? "Ctrl-C" : sig == SIGHUP ? "SIGHUP" : "SIGTERM");
		rc = EXIT_FAIL;
	}
	sup_done(&ctx);
	store_close(s);
	return rc;
}
