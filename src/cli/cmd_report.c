/* cmd_report.c: `docket report STORE --model M --out FILE`: one file (HTML
 * or Markdown) with a model's figures for a period, recorded in the audit
 * chain like an export. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "docket/report.h"

static const char report_usage[] =
	"Usage: docket report STORE --model M --out FILE [--format html|md]\n"
	"       [--since T] [--until T] [--by FIELD --positive L [--reference V]]\n"
	"       [--min-n N] [--as NAME]\n"
	"One file for the people who sign off on a model: a summary, the batches\n"
	"and their lineage, the routing policies in force, review volume, rates,\n"
	"reasons, agreement and escalations, confusion and calibration, the error\n"
	"estimates, the audit chain's head and whether it verifies, and the\n"
	"exports and reveals of the period. HTML is one self-contained page\n"
	"(charts as inline SVG, nothing fetched) that prints a section per page;\n"
	"Markdown has the same content with tables. No personal (pii:) field is\n"
	"read. The report is recorded in the audit chain (file, period, SHA-256).\n"
	"Supervisors only.\n"
	"  --model M          the model (required)\n"
	"  --out FILE         the file to write (required; a regular file)\n"
	"  --format F         html (default) or md\n"
	"  --since T, --until T  the period [T, T) (default: all time)\n"
	"  --by FIELD         with --positive: fairness by the groups of this\n"
	"                     context field (not a pii: field) in the report\n"
	"  --positive L       the positive label of the fairness rates\n"
	"  --reference V      the group the others are compared with (default:\n"
	"                     the largest)\n"
	"  --min-n N          figures behind fewer than N cases show as 'too few'\n"
	"                     (default 10)\n"
	"  --as NAME          act as this supervisor (default: your login name)\n";

int cmd_report(int argc, char **argv)
{
	enum { O_MODEL = 256, O_OUT, O_FORMAT, O_SINCE, O_UNTIL, O_MIN_N, O_AS,
	       O_BY, O_POSITIVE, O_REFERENCE };
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"model", required_argument, NULL, O_MODEL},
		{"out", required_argument, NULL, O_OUT},
		{"format", required_argument, NULL, O_FORMAT},
		{"since", required_argument, NULL, O_SINCE},
		{"until", required_argument, NULL, O_UNTIL},
		{"min-n", required_argument, NULL, O_MIN_N},
		{"by", required_argument, NULL, O_BY},
		{"positive", required_argument, NULL, O_POSITIVE},
		{"reference", required_argument, NULL, O_REFERENCE},
		{"as", required_argument, NULL, O_AS},
		{NULL, 0, NULL, 0}};
	struct report_opts o;
	report_opts_init(&o);
	const char *as = dk_login_name(), *out = NULL;
	enum report_format fmt = REPORT_HTML;
	int c, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(report_usage);
		case O_MODEL: o.model = optarg; break;
		case O_OUT: out = optarg; break;
		case O_FORMAT:
			if (!strcmp(optarg, "html"))
				fmt = REPORT_HTML;
			else if (!strcmp(optarg, "md"))
				fmt = REPORT_MD;
			else
				return cli_usage_error("report", "--format '%s': expected "
								 "html or md",
						       optarg);
			break;
		case O_SINCE:
			if ((rc = cli_parse_time("report", "--since", optarg, &o.since_ms)))
				return rc;
			o.has_since = 1;
			break;
		case O_UNTIL:
			if ((rc = cli_parse_time("report", "--until", optarg, &o.until_ms)))
				return rc;
			o.has_until = 1;
			break;
		case O_MIN_N:
			if (dk_parse_int64(optarg, strlen(optarg), &o.min_n) || o.min_n < 1)
				return cli_usage_error("report", "--min-n '%s': expected a "
								 "count of at least 1",
						       optarg);
			break;
		case O_AS: as = optarg; break;
		case O_BY: o.by = optarg; break;
		case O_POSITIVE: o.positive = optarg; break;
		case O_REFERENCE: o.reference = optarg; break;
		default: return cli_usage_error("report", "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("report", "expected one STORE path");
	if (!o.model)
		return cli_usage_error("report", "--model M is required");
	if (!out)
		return cli_usage_error("report", "--out FILE is required");
	if (o.has_since && o.has_until && o.until_ms <= o.since_ms)
		return cli_usage_error("report", "--until must be later than --since");
	if (!o.by != !o.positive || (o.reference && !o.by))
		return cli_usage_error("report", "--by and --positive go together "
				       "(and --reference with them)");
	/* a report leaves the terminal: no personal field's values in it */
	if (o.by && !strncmp(o.by, "pii:", 4))
		return cli_usage_error("report", "--by %s: a personal field's values "
				       "never go into a report", o.by);

	store *s = cli_open_store(argv[optind], 0);
	if (!s)
		return EXIT_FAIL;
	rc = cli_act_as(s, "--as", &as);
	if (!rc)
		rc = cli_require_supervisor(s, "report", as);
	if (!rc)
		rc = cli_model_id(s, o.model, NULL);
	if (!rc) {
		dk_error err = {{0}};
		struct report *r = NULL;
		int b = report_build(s, &o, &r, &err);
		if (b == DK_USAGE)
			rc = cli_usage_error("report", "%s", err.msg);
		else if (b)
			rc = cli_fail(err.msg);
		else {
			sbuf text = {0};
			if (fmt == REPORT_HTML)
				report_html(r, &text);
			else
				report_md(r, &text);
			struct report_result res;
			int w = report_write(s, r, fmt, out, as, &text, &res, &err);
			if (w == DK_USAGE)
				rc = cli_usage_error("report", "%s", err.msg);
			else if (w != DK_OK && w != DK_UNSYNCED)
				rc = cli_fail(err.msg);
			else {
				cli_printf("wrote the report of %s to %s (%lld bytes, sha256 "
					   "%s; audit entry %lld)\n",
					   r->model, out, (long long)res.bytes, res.sha256,
					   (long long)res.audit_seq);
				if (w == DK_UNSYNCED) {
					cli_eprintf("docket: report recorded as audit entry "
						    "%lld, but not yet known to be on disk: "
						    "%s\n",
						    (long long)res.audit_seq, err.msg);
					rc = EXIT_FAIL;
				}
			}
			sbuf_free(&text);
		}
		report_free(r);
	}
	store_close(s);
	return rc;
}
