/* cmd_stats.c: `docket stats STORE`: reviewer and model health as text or
 * JSON, and --fail-if conditions for cron (exit 3 when they hold). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "docket/failif.h"
#include "docket/stats.h"

static const char stats_usage[] =
	"Usage: docket stats STORE [--model M] [--by FIELD[:WIDTH]] [--reveal] [--since T]\n"
	"       [--until T] [--fast SECONDS] [--min-n N] [--format table|json]\n"
	"       [--fail-if EXPR] [--positive LABEL] [--reference VALUE] [--as NAME]\n"
	"Override and escalate rates, time per case, fast accepts, gold accuracy\n"
	"and agreement per reviewer (Cohen's kappa per pair, Fleiss' kappa\n"
	"overall); per model the confusion of model vs final human label, the\n"
	"override rate by confidence bin, by day and by a context field, and the\n"
	"error rate of unreviewed predictions estimated from the audit sample\n"
	"(95% Wilson interval), and the model's error estimated over everything\n"
	"it scored (error_all: Horvitz-Thompson over the routing design; see\n"
	"the README). Supervisors only.\n"
	"  --model M          one model\n"
	"  --by FIELD[:WIDTH] override rate by a context field; numeric fields are\n"
	"                     cut into bins [lo, hi) of WIDTH (default: a round\n"
	"                     width giving about 8 bins; at most 8 distinct\n"
	"                     numbers without WIDTH: a group per value); a text\n"
	"                     field: its 24 most frequent values and (other)\n"
	"  --positive LABEL   with --by: fairness per group: cases scored, share\n"
	"                     routed, reviewed, error rate, and for LABEL the\n"
	"                     true- and false-positive rates, positive-prediction\n"
	"                     rate and precision, each on the reviewed cases and\n"
	"                     estimated over everything scored (95% intervals),\n"
	"                     with its ratio to a reference group (flagged outside\n"
	"                     0.8-1.25)\n"
	"  --reference VALUE  with --positive: the reference group (default: the\n"
	"                     largest)\n"
	"  --since T, --until T  decisions (and final labels) in [T, T)\n"
	"  --fast SECONDS     an accept faster than this is not a plausible read\n"
	"                     (default 3)\n"
	"  --min-n N          figures behind fewer than N cases show as 'too few'\n"
	"                     (JSON null) (default 10)\n"
	"  --format F         table (default) or json\n"
	"  --fail-if EXPR     exit 3 when EXPR holds, e.g.\n"
	"                     'override_rate > 0.2 or kappa < 0.6'; metrics are\n"
	"                     the top-level number keys of --format json;\n"
	"                     comparisons with an unknown (too few) figure do\n"
	"                     not hold\n"
	"  --reveal           with --by pii:FIELD: show the personal values\n"
	"                     (masked otherwise); the reveal is recorded in the\n"
	"                     audit chain first\n"
	"  --as NAME          act as this supervisor (default: your login name)\n";

static int stats_lookup(void *ctx, const char *name, double *v)
{
	return stats_metric(ctx, name, v);
}

int cmd_stats(int argc, char **argv)
{
	enum { O_MODEL = 256, O_BY, O_SINCE, O_UNTIL, O_FAST, O_MIN_N, O_FORMAT,
	       O_FAIL_IF, O_AS, O_REVEAL, O_POSITIVE, O_REFERENCE };
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"model", required_argument, NULL, O_MODEL},
		{"by", required_argument, NULL, O_BY},
		{"since", required_argument, NULL, O_SINCE},
		{"until", required_argument, NULL, O_UNTIL},
		{"fast", required_argument, NULL, O_FAST},
		{"min-n", required_argument, NULL, O_MIN_N},
		{"format", required_argument, NULL, O_FORMAT},
		{"fail-if", required_argument, NULL, O_FAIL_IF},
		{"as", required_argument, NULL, O_AS},
		{"reveal", no_argument, NULL, O_REVEAL},
		{"positive", required_argument, NULL, O_POSITIVE},
		{"reference", required_argument, NULL, O_REFERENCE},
		{NULL, 0, NULL, 0}};
	struct stats_opts o;
	stats_opts_init(&o);
	const char *as = dk_login_name(), *fail_if = NULL;
	char *by = NULL;
	int json = 0, c, rc;
	failif *cond = NULL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': free(by); return cli_help(stats_usage);
		case O_MODEL: o.model = optarg; break;
		case O_BY: {
			free(by);
			by = dk_xstrdup(optarg);
			char *colon = strrchr(by, ':');
			/* the ':' of "pii:NAME" is part of the name */
			if (colon && stats_is_pii(by) && colon == by + 3)
				colon = NULL;
			if (colon) {
				*colon = '\0';
				if (dk_parse_double(colon + 1, strlen(colon + 1), &o.by_width) ||
				    o.by_width <= 0) {
					rc = cli_usage_error("stats", "--by '%s': the bin width "
							     "after ':' must be a positive number",
							     optarg);
					goto usage;
				}
			}
			if (!*by) {
				rc = cli_usage_error("stats", "--by needs a field name");
				goto usage;
			}
			o.by = by;
			break;
		}
		case O_SINCE:
			if ((rc = cli_parse_time("stats", "--since", optarg, &o.since_ms)))
				goto usage;
			o.has_since = 1;
			break;
		case O_UNTIL:
			if ((rc = cli_parse_time("stats", "--until", optarg, &o.until_ms)))
				goto usage;
			o.has_until = 1;
			break;
		case O_FAST:
			if (dk_parse_double(optarg, strlen(optarg), &o.fast_secs) ||
			    o.fast_secs < 0) {
				rc = cli_usage_error("stats", "--fast '%s': expected seconds",
						     optarg);
				goto usage;
			}
			break;
		case O_MIN_N:
			if (dk_parse_int64(optarg, strlen(optarg), &o.min_n) || o.min_n < 1) {
				rc = cli_usage_error("stats", "--min-n '%s': expected a count "
						     "of at least 1", optarg);
				goto usage;
			}
			break;
		case O_FORMAT:
			if (!strcmp(optarg, "json"))
				json = 1;
			else if (!strcmp(optarg, "table"))
				json = 0;
			else {
				rc = cli_usage_error("stats", "--format '%s': expected table "
						     "or json", optarg);
				goto usage;
			}
			break;
		case O_FAIL_IF: fail_if = optarg; break;
		case O_AS: as = optarg; break;
		case O_REVEAL: o.reveal = 1; break;
		case O_POSITIVE: o.positive = optarg; break;
		case O_REFERENCE: o.reference = optarg; break;
		default: rc = cli_usage_error("stats", "unknown option"); goto usage;
		}
	}
	if (argc - optind != 1) {
		rc = cli_usage_error("stats", "expected one STORE path");
		goto usage;
	}
	if (o.positive && !o.by) {
		rc = cli_usage_error("stats", "--positive goes with --by FIELD");
		goto usage;
	}
	if (o.reference && !o.positive) {
		rc = cli_usage_error("stats", "--reference goes with --positive");
		goto usage;
	}
	if (o.reveal && !stats_is_pii(o.by)) {
		rc = cli_usage_error("stats", "--reveal goes with --by pii:FIELD");
		goto usage;
	}
	/* A malformed condition is found before the store is read. */
	if (fail_if) {
		dk_error err = {{0}};
		if (failif_parse(fail_if, stats_metric_names, stats_metric_count, &cond,
				 &err)) {
			rc = cli_usage_error("stats", "--fail-if: %s", err.msg);
			goto usage;
		}
	}
	store *s = cli_open_store(argv[optind], 0);
	if (!s) {
		rc = EXIT_FAIL;
		goto usage;
	}
	rc = cli_act_as(s, "--as", &as);
	if (!rc)
		rc = cli_require_supervisor(s, "stats", as);
	if (!rc && o.model)
		rc = cli_model_id(s, o.model, NULL);
	if (!rc) {
		dk_error err = {{0}};
		struct stats *st = NULL;
		int r = stats_compute(s, &o, &st, &err);
		if (r == DK_USAGE)
			rc = cli_usage_error("stats", "%s", err.msg);
		else if (r)
			rc = cli_fail(err.msg);
		/* the reveal is on record before any value is shown */
		else if (o.reveal && stats_record_reveal(s, as, &o, &err))
			rc = cli_fail(err.msg);
		else {
			sbuf out = {0};
			if (json)
				stats_format_json(st, &out);
			else {
				cli_table_utf8();
				stats_format_table(st, &out);
			}
			cli_write_data(out.buf, out.len);
			sbuf_free(&out);
			if (cond) {
				sbuf unknown = {0};
				if (failif_eval(cond, stats_lookup, st, &unknown)) {
					cli_eprintf("docket stats: condition holds: %s\n",
						fail_if);
					rc = EXIT_CONDITION;
				}
				if (unknown.len)
					cli_eprintf(
						"docket stats: too few cases for %s: "
						"those comparisons do not hold\n",
						sbuf_str(&unknown));
				sbuf_free(&unknown);
			}
			if (fflush(stdout) != 0)
				rc = cli_fail("writing the figures failed");
		}
		stats_free(st);
	}
	store_close(s);
usage:
	failif_free(cond);
	free(by);
	return rc;
}
