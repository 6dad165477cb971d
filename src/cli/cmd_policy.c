/* cmd_policy.c: `docket policy STORE --model NAME [...]`: shows or sets a
 * model's routing policy (re-routing undecided cases), and the store's
 * reason codes. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "docket/clock.h"
#include "docket/policy.h"
#include "docket/queue.h"

static const char policy_usage[] =
	"Usage: docket policy STORE --model NAME [--threshold X]\n"
	"       [--label-threshold LABEL=X]... [--margin X] [--entropy X]\n"
	"       [--audit-rate X] [--double-rate X] [--as NAME] [--json]\n"
	"       docket policy STORE --reasons [CODE,CODE,...] [--as NAME]\n"
	"Show a model's routing policy, or set parts of it: the others keep\n"
	"their values, the result is stored as a new version, and cases nobody\n"
	"has decided yet (queued or auto, no decision in the log) are routed\n"
	"again under it in the same transaction. Held, escalated, disputed and\n"
	"done cases, and any case with a decision, are left alone.\n"
	"Rules, all numbers in [0,1], 0 turns a rule off:\n"
	"  --threshold X           review when confidence < X (default 0.8)\n"
	"  --label-threshold L=X   for predictions of label L (one of the\n"
	"                          model's labels) use X instead; L= (empty X)\n"
	"                          removes it; repeatable\n"
	"  --margin X              review when top-two p: margin < X\n"
	"  --entropy X             review when normalised p: entropy > X\n"
	"  --audit-rate X          review a share X of the confident cases,\n"
	"                          drawn from a hash of the id and the model's salt\n"
	"  --double-rate X         a share X of routed cases gets two reviewers\n"
	"Gold cases are always routed, to one reviewer; one a rule would route\n"
	"anyway reads and sorts as that rule's case. Setting needs a supervisor:\n"
	"  --as NAME               who sets it (default: your login name)\n"
	"  --json                  show as one JSON object\n"
	"  --reasons [LIST]        show the reason codes reviewers pick from, or\n"
	"                          set them: --reasons a,b or --reasons=a,b\n";

enum { OPT_THRESHOLD = 256, OPT_LABEL, OPT_MARGIN, OPT_ENTROPY, OPT_AUDIT,
       OPT_DOUBLE, OPT_AS, OPT_JSON, OPT_REASONS };

static int policy_show_reasons(store *s, const char *set, const char *as)
{
	dk_error err = {{0}};
	if (set) {
		char *copy = dk_xstrdup(set);
		const char *codes[256];
		size_t n = 0;
		for (char *save = NULL, *t = strtok_r(copy, ",", &save); t && n < 256;
		     t = strtok_r(NULL, ",", &save))
			codes[n++] = t;
		int rc = queue_set_reasons(s, codes, n, as, &err);
		free(copy);
		if (rc == DK_USAGE)
			return cli_usage_error("policy", "%s", err.msg);
		if (rc)
			return cli_fail(err.msg);
	}
	char **r;
	if (queue_reasons(s, &r, &err))
		return cli_fail(err.msg);
	for (char **p = r; *p; p++)
		cli_printf("%s\n", *p);
	queue_reasons_free(r);
	return EXIT_OK;
}

static int policy_num_arg(const char *opt, const char *arg, double *out)
{
	if (policy_parse_unit(arg, out))
		return cli_usage_error("policy", "%s '%s': expected a number between "
				       "0 and 1", opt, arg);
	return 0;
}

/* A --label-threshold names one of the model's labels: a threshold for a
 * label the model never predicts is a typo that would otherwise be stored
 * silently. Returns EXIT_OK, or prints why not and returns EXIT_FAIL. */
static int policy_check_label(store *s, int64_t mid, const char *model,
			      const char *arg)
{
	dk_error err = {{0}};
	size_t len = (size_t)(strchr(arg, '=') - arg);
	db_stmt *st = store_stmt(
		s,
		"SELECT m.labels, EXISTS (SELECT 1 FROM json_each(m.labels) j"
		" WHERE j.value = ?2) FROM models m WHERE m.id = ?1",
		&err);
	if (!st)
		return cli_fail(err.msg);
	db_bind_int64(st, 1, mid);
	db_bind_text(st, 2, arg, (int)len, DB_STATIC);
	int rc = EXIT_FAIL;
	if (db_step(st) != DB_ROW) {
		store_fail(s, &err, "reading the model's labels");
		cli_fail(err.msg);
	} else if (db_col_int(st, 1)) {
		rc = EXIT_OK;
	} else {
		cli_eprintf("docket: %s: --label-threshold '%s': model '%s' has "
				"no label '%.*s' (its labels: %s)\n",
			store_path(s), arg, model, (int)len, arg,
			(const char *)db_col_text(st, 0));
	}
	store_done(st);
	return rc;
}

/* 1 when the LABEL of arg ("LABEL=X") already has a threshold in p (then
 * "LABEL=" may remove it even if the model no longer has the label). */
static int policy_has_label(const policy *p, const char *arg)
{
	size_t len = (size_t)(strchr(arg, '=') - arg);
	for (size_t k = 0; k < p->nlabels; k++)
		if (strlen(p->labels[k].label) == len &&
		    !memcmp(p->labels[k].label, arg, len))
			return 1;
	return 0;
}

static void policy_print(const char *model, const policy *p, const char *set_by,
			 int64_t set_at)
{
	char when[32] = "-";
	if (set_at > 0)
		clock_format_iso(set_at, when, sizeof when);
	cli_printf("model %s: policy version %" PRId64 " (set by %s at %s)\n", model,
	       p->version, set_by ? set_by : "default", when);
	cli_printf("  threshold        %g\n", p->threshold);
	for (size_t i = 0; i < p->nlabels; i++)
		cli_printf("  threshold %-6s %g\n", p->labels[i].label, p->labels[i].threshold);
	if (p->margin > 0)
		cli_printf("  margin           %g\n", p->margin);
	else
		cli_printf("  margin           off\n");
	if (p->entropy > 0)
		cli_printf("  entropy          %g\n", p->entropy);
	else
		cli_printf("  entropy          off\n");
	cli_printf("  audit rate       %g\n", p->audit_rate);
	cli_printf("  double rate      %g\n", p->double_rate);
}

int cmd_policy(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"model", required_argument, NULL, 'm'},
		{"threshold", required_argument, NULL, OPT_THRESHOLD},
		{"label-threshold", required_argument, NULL, OPT_LABEL},
		{"margin", required_argument, NULL, OPT_MARGIN},
		{"entropy", required_argument, NULL, OPT_ENTROPY},
		{"audit-rate", required_argument, NULL, OPT_AUDIT},
		{"double-rate", required_argument, NULL, OPT_DOUBLE},
		{"as", required_argument, NULL, OPT_AS},
		{"json", no_argument, NULL, OPT_JSON},
		{"reasons", optional_argument, NULL, OPT_REASONS},
		{NULL, 0, NULL, 0}};
	const char *model = NULL, *as = dk_login_name(), *reasons_set = NULL;
	const char *reasons_word = NULL; /* the word after a bare --reasons */
	int json = 0, reasons = 0, nset = 0, c;
	double threshold = -1, margin = -1, entropy = -1, audit = -1, dbl = -1;
	const char *label_args[POLICY_MAX_LABELS];
	size_t nlabel_args = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hm:", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(policy_usage);
		case 'm': model = optarg; break;
		case OPT_THRESHOLD:
			if (policy_num_arg("--threshold", optarg, &threshold))
				return EXIT_USAGE;
			nset++;
			break;
		case OPT_MARGIN:
			if (policy_num_arg("--margin", optarg, &margin))
				return EXIT_USAGE;
			nset++;
			break;
		case OPT_ENTROPY:
			if (policy_num_arg("--entropy", optarg, &entropy))
				return EXIT_USAGE;
			nset++;
			break;
		case OPT_AUDIT:
			if (policy_num_arg("--audit-rate", optarg, &audit))
				return EXIT_USAGE;
			nset++;
			break;
		case OPT_DOUBLE:
			if (policy_num_arg("--double-rate", optarg, &dbl))
				return EXIT_USAGE;
			nset++;
			break;
		case OPT_LABEL:
			if (!strchr(optarg, '=') || optarg[0] == '=')
				return cli_usage_error("policy", "--label-threshold '%s': "
						       "expected LABEL=X", optarg);
			if (nlabel_args == POLICY_MAX_LABELS)
				return cli_usage_error("policy", "too many --label-threshold");
			label_args[nlabel_args++] = optarg;
			nset++;
			break;
		case OPT_AS: as = optarg; break;
		case OPT_JSON: json = 1; break;
		case OPT_REASONS:
			reasons = 1;
			reasons_set = optarg;
			/* getopt gives an optional argument only as --reasons=LIST;
			 * remember the next word, which may be the list written
			 * apart (the documented `--reasons a,b`) or the STORE. */
			if (!optarg && optind < argc && argv[optind][0] != '-')
				reasons_word = argv[optind];
			break;
		default: return cli_usage_error("policy", "unknown option");
		}
	}
	/* `policy STORE --reasons LIST`: two words are left, and the one that
	 * followed --reasons is the list (getopt keeps their order). With one
	 * word left it is the STORE and --reasons lists. */
	if (reasons_word && argc - optind == 2 &&
	    (argv[optind] == reasons_word || argv[optind + 1] == reasons_word)) {
		reasons_set = reasons_word;
		if (argv[optind] == reasons_word)
			argv[optind] = argv[optind + 1];
		argc--;
	}
	if (argc - optind != 1)
		return cli_usage_error("policy", "expected one STORE path");
	if (!reasons && !model)
		return cli_usage_error("policy", "--model is required");
	if (reasons && (model || nset))
		return cli_usage_error("policy", "--reasons goes alone");
	/* Check label thresholds before touching the store. */
	for (size_t i = 0; i < nlabel_args; i++) {
		const char *v = strchr(label_args[i], '=') + 1;
		double x;
		if (*v && policy_num_arg("--label-threshold", v, &x))
			return EXIT_USAGE;
	}
	store *s = cli_open_store(argv[optind], 0);
	if (!s)
		return EXIT_FAIL;
	if (cli_act_as(s, "--as", &as)) {
		store_close(s);
		return EXIT_FAIL;
	}
	if (reasons) {
		int r = policy_show_reasons(s, reasons_set, as);
		store_close(s);
		return r;
	}
	dk_error err = {{0}};
	int rc = EXIT_OK;
	int64_t mid = 0, set_at = 0;
	char *set_by = NULL;
	policy p;
	if (cli_model_id(s, model, &mid)) {
		rc = EXIT_FAIL;
		goto out;
	}
	db_stmt *st = store_stmt(
		s,
		"SELECT p.set_by, p.set_at FROM models m LEFT JOIN policies p"
		" ON p.model_id = m.id AND p.version = m.policy_version"
		" WHERE m.name = ?1",
		&err);
	if (!st) {
		rc = cli_fail(err.msg);
		goto out;
	}
	db_bind_text(st, 1, model, -1, DB_STATIC);
	if (db_step(st) == DB_ROW) {
		if (db_col_type(st, 0) != DB_NULL)
			set_by = dk_xstrdup((const char *)db_col_text(st, 0));
		set_at = db_col_int64(st, 1);
	}
	if (store_done(st) != DB_OK) {
		store_fail(s, &err, "reading the policy");
		rc = cli_fail(err.msg);
		goto out;
	}
	if (policy_load(s, mid, &p, &err)) {
		rc = cli_fail(err.msg);
		goto out;
	}
	if (nset) {
		if (threshold >= 0)
			p.threshold = threshold;
		if (margin >= 0)
			p.margin = margin;
		if (entropy >= 0)
			p.entropy = entropy;
		if (audit >= 0)
			p.audit_rate = audit;
		if (dbl >= 0)
			p.double_rate = dbl;
		for (size_t i = 0; i < nlabel_args; i++) {
			if (!policy_has_label(&p, label_args[i]) &&
			    policy_check_label(s, mid, model, label_args[i])) {
				rc = EXIT_FAIL;
				goto out;
			}
			if (policy_set_label(&p, label_args[i], &err)) {
				rc = cli_usage_error("policy", "%s", err.msg);
				goto out;
			}
		}
		const char *role = NULL;
		int r = queue_role(s, as, &role, NULL, &err);
		if (r == DK_ERR) {
			rc = cli_fail(err.msg);
			goto out;
		}
		if (r == DK_EMPTY || strcmp(role, ROLE_SUPERVISOR)) {
			cli_eprintf("docket: %s: setting a policy needs a supervisor; "
					"'%s' is %s\n", argv[optind], as,
				r == DK_EMPTY ? "not a reviewer of this store"
					      : "a reviewer");
			rc = EXIT_FAIL;
			goto out;
		}
		policy_reroute rr;
		r = policy_apply(s, mid, &p, as, &rr, &err);
		if (r == DK_USAGE) {
			rc = cli_usage_error("policy", "%s", err.msg);
			goto out;
		}
		if (r) {
			rc = cli_fail(err.msg);
			goto out;
		}
		free(set_by);
		set_by = dk_xstrdup(as);
		set_at = clock_now_ms();
		if (!json)
			cli_printf("re-routed %" PRId64 " undecided cases: %" PRId64
			       " newly queued, %" PRId64 " no longer routed, %" PRId64
			       " changed\n",
			       rr.examined, rr.queued, rr.unrouted, rr.changed);
	}
	if (json) {
		sbuf b = {0};
		sbuf_adds(&b, "{\"model\":");
		sbuf_add_json_str(&b, model, strlen(model));
		sbuf_printf(&b, ",\"version\":%" PRId64 ",\"policy\":", p.version);
		policy_to_json(&p, &b);
		sbuf_adds(&b, "}\n");
		cli_write_data(b.buf, b.len);
		sbuf_free(&b);
	} else {
		policy_print(model, &p, set_by, set_at);
	}
out:
	free(set_by);
	store_close(s);
	return rc;
}
