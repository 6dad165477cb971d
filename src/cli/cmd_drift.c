/* cmd_drift.c: `docket drift STORE --model M`: whether a batch's inputs and
 * the model's outputs have shifted against a reference batch (PSI per
 * field, and for every batch in turn), as text or JSON, with --fail-if for
 * cron; --set-reference marks a batch as the model's reference. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "docket/drift.h"
#include "docket/failif.h"

static const char drift_usage[] =
	"Usage: docket drift STORE --model M [--batch B] [--against REF]\n"
	"       [--format table|json] [--fail-if EXPR] [--as NAME]\n"
	"       docket drift STORE --model M --set-reference --batch B [--as NAME]\n"
	"Compare one batch of a model's predictions (the latest by default)\n"
	"with a reference batch (the one set with --set-reference, else the\n"
	"model's first): for every context field (pii: fields left out) and for\n"
	"the model's confidence, predicted labels, routing and route reasons,\n"
	"the Population Stability Index (< 0.1 stable, 0.1-0.2 moderate,\n"
	"> 0.2 significant; half a case added to every bin), the share of\n"
	"missing values, fields new or gone; and the same figures for every\n"
	"batch in turn. Numbers are cut on the reference's deciles, other\n"
	"values into its 10 most frequent, (other) and (missing). Each batch's\n"
	"bins are computed once and kept in the store. Supervisors only.\n"
	"  --model M          the model\n"
	"  --batch B          the batch to compare (a batch id, as import prints)\n"
	"  --against REF      compare with batch REF instead of the reference\n"
	"  --set-reference    make --batch B the model's reference (recorded in\n"
	"                     the audit chain)\n"
	"  --format F         table (default) or json\n"
	"  --fail-if EXPR     exit 3 when EXPR holds, e.g.\n"
	"                     'psi_max > 0.2 or routed_share > 0.5'; metrics are\n"
	"                     the top-level number keys of --format json\n"
	"  --as NAME          act as this supervisor (default: your login name)\n";

struct drift_ctx {
	const struct drift_report *r;
	sbuf *seen; /* the metrics the condition read, with their fields */
};

static int drift_lookup(void *ctx, const char *name, double *v)
{
	struct drift_ctx *c = ctx;
	int rc = drift_metric(c->r, name, v);
	const char *field = drift_metric_field(c->r, name);
	if (!rc && field[0]) {
		sbuf_printf(c->seen, "%s%s %.4g on field '%s'", c->seen->len ? "; " : "",
			    name, *v, field);
	}
	return rc;
}

static int drift_parse_batch(const char *opt, const char *arg, int64_t *out)
{
	if (dk_parse_int64(arg, strlen(arg), out) || *out < 1)
		return cli_usage_error("drift", "%s '%s': expected a batch id", opt, arg);
	return EXIT_OK;
}

int cmd_drift(int argc, char **argv)
{
	enum { O_MODEL = 256, O_BATCH, O_AGAINST, O_SET_REF, O_FORMAT, O_FAIL_IF, O_AS };
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"model", required_argument, NULL, O_MODEL},
		{"batch", required_argument, NULL, O_BATCH},
		{"against", required_argument, NULL, O_AGAINST},
		{"set-reference", no_argument, NULL, O_SET_REF},
		{"format", required_argument, NULL, O_FORMAT},
		{"fail-if", required_argument, NULL, O_FAIL_IF},
		{"as", required_argument, NULL, O_AS},
		{NULL, 0, NULL, 0}};
	const char *model = NULL, *as = dk_login_name(), *fail_if = NULL;
	int64_t batch = 0, against = 0;
	int json = 0, set_ref = 0, c, rc = EXIT_OK;
	failif *cond = NULL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(drift_usage);
		case O_MODEL: model = optarg; break;
		case O_BATCH:
			if ((rc = drift_parse_batch("--batch", optarg, &batch)))
				return rc;
			break;
		case O_AGAINST:
			if ((rc = drift_parse_batch("--against", optarg, &against)))
				return rc;
			break;
		case O_SET_REF: set_ref = 1; break;
		case O_FORMAT:
			if (!strcmp(optarg, "json"))
				json = 1;
			else if (!strcmp(optarg, "table"))
				json = 0;
			else
				return cli_usage_error("drift", "--format '%s': expected table "
						       "or json", optarg);
			break;
		case O_FAIL_IF: fail_if = optarg; break;
		case O_AS: as = optarg; break;
		default: return cli_usage_error("drift", "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("drift", "expected one STORE path");
	if (!model)
		return cli_usage_error("drift", "--model is required");
	if (set_ref && !batch)
		return cli_usage_error("drift", "--set-reference needs --batch B");
	if (set_ref && (against || fail_if || json))
		return cli_usage_error("drift", "--set-reference goes with --model, "
				       "--batch and --as only");
	if (fail_if) {
		dk_error err = {{0}};
		if (failif_parse(fail_if, drift_metric_names, drift_metric_count, &cond,
				 &err))
			return cli_usage_error("drift", "--fail-if: %s", err.msg);
	}
	store *s = cli_open_store(argv[optind], 0);
	if (!s) {
		failif_free(cond);
		return EXIT_FAIL;
	}
	rc = cli_act_as(s, "--as", &as);
	if (!rc)
		rc = cli_require_supervisor(s, "drift", as);
	if (!rc)
		rc = cli_model_id(s, model, NULL);
	dk_error err = {{0}};
	if (!rc && set_ref) {
		int r = drift_set_reference(s, model, batch, as, &err);
		if (r == DK_USAGE)
			rc = cli_usage_error("drift", "%s", err.msg);
		else if (r)
			rc = cli_fail(err.msg);
		else
			cli_printf("batch %lld is now the reference of model %s\n",
				   (long long)batch, model);
	} else if (!rc) {
		struct drift_report *r = NULL;
		int d = drift_compute(s, model, batch, against, &r, &err);
		if (d == DK_USAGE)
			rc = cli_usage_error("drift", "%s", err.msg);
		else if (d)
			rc = cli_fail(err.msg);
		else {
			sbuf out = {0};
			if (json)
				drift_format_json(r, &out);
			else
				drift_format_table(r, &out);
			cli_write_data(out.buf, out.len);
			sbuf_free(&out);
			if (cond) {
				sbuf unknown = {0}, seen = {0};
				struct drift_ctx ctx = {r, &seen};
				if (failif_eval(cond, drift_lookup, &ctx, &unknown)) {
					cli_eprintf("docket drift: condition holds: %s%s%s%s\n",
						    fail_if, seen.len ? " (" : "",
						    sbuf_str(&seen), seen.len ? ")" : "");
					rc = EXIT_CONDITION;
				}
				if (unknown.len)
					cli_eprintf("docket drift: no figure for %s: those "
						    "comparisons do not hold\n",
						    sbuf_str(&unknown));
				sbuf_free(&unknown);
				sbuf_free(&seen);
			}
			if (fflush(stdout) != 0)
				rc = cli_fail("writing the figures failed");
		}
		drift_free(r);
	}
	store_close(s);
	failif_free(cond);
	return rc;
}
