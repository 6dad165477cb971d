/* cmd_review.c: `docket review STORE`: the reviewer's screen. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "docket/queue.h"
#include "tui.h"

static const char review_usage[] =
	"Usage: docket review STORE [--reviewer NAME] [--model NAME] [--case ID]\n"
	"                    [--theme NAME]\n"
	"The reviewer's screen: claims cases from the queue one at a time and\n"
	"records each decision (on disk before the screen says so). Press ? for\n"
	"the keys. Quitting, Ctrl-C, SIGTERM and a dropped connection (SIGHUP)\n"
	"give back the cases you hold and keep every decision.\n"
	"  --reviewer NAME  who is reviewing (default: your login name); must be\n"
	"                   a reviewer of the store ('docket reviewer add')\n"
	"  --model NAME     only cases of this model\n"
	"  --case ID        open the case with this id first (claimed by the\n"
	"                   queue's rules; says who holds it when taken)\n"
	"  --theme NAME     colours from themes/NAME.theme (default, light,\n"
	"                   high-contrast, mono, or a path); NO_COLOR=1 gives\n"
	"                   monochrome\n"
	"Keys, reason codes and the theme can be set in ~/.config/docket/config\n"
	"($XDG_CONFIG_HOME/docket/config; DOCKET_CONFIG names another file):\n"
	"  bind KEY ACTION / unbind KEY / reason CODE [TEXT] / theme NAME /\n"
	"  mouse off (the wheel scrolls, a click on the footer acts as its key)\n"
	"l lists the cases waiting for you: / filters (label: reason: model:),\n"
	"Enter claims one.\n";

int cmd_review(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"reviewer", required_argument, NULL, 'r'},
		{"model", required_argument, NULL, 'm'},
		{"theme", required_argument, NULL, 't'},
		{"case", required_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	struct tui_review_opts o = {0};
	const char *case_ext = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hr:m:t:c:", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(review_usage);
		case 'r': o.reviewer = optarg; break;
		case 'm': o.model = optarg; break;
		case 't': o.theme = optarg; break;
		case 'c': case_ext = optarg; break;
		default: return cli_usage_error("review", "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("review", "expected one STORE path");
	if (o.reviewer && !*o.reviewer)
		return cli_usage_error("review", "--reviewer: empty name");
	store *s = cli_open_store(argv[optind], 0);
	if (!s)
		return EXIT_FAIL;
	if (cli_act_as(s, "--reviewer", &o.reviewer) ||
	    (o.model && cli_model_id(s, o.model, NULL))) {
		store_close(s);
		return EXIT_FAIL;
	}
	dk_error err = {{0}};
	if (case_ext && queue_find(s, case_ext, o.model, &o.case_id, &err)) {
		store_close(s);
		return cli_fail(err.msg);
	}
	int rc = tui_review(s, &o);
	store_close(s);
	return rc;
}
