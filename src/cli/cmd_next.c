/* cmd_next.c: `docket next STORE --reviewer R [--model M]`: claims the next
 * case under a lease and prints it as one JSON object for scripts. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "docket/clock.h"
#include "docket/policy.h"
#include "docket/queue.h"

static const char next_usage[] =
	"Usage: docket next STORE [--reviewer NAME] [--model NAME]\n"
	"Claim the next case for a reviewer (priority, then uncertainty, then\n"
	"age) under a 10-minute lease and print it as one JSON object on one\n"
	"line: id, model, model_version, prediction, confidence, margin,\n"
	"entropy, reason (why it was routed: an audit sample or a gold check no\n"
	"rule routes reads \"spot check\", a gold check a rule routes reads as\n"
	"that rule), policy_version, priority, labels,\n"
	"probs, context (pii: fields masked), attributions, text, source_file,\n"
	"lease {token, expires}. Pass the token to 'docket decide --token'.\n"
	"When nothing is waiting for this reviewer it prints\n"
	"{\"empty\":true,...} and exits 0.\n"
	"  --reviewer NAME  who claims (default: your login name)\n"
	"  --model NAME     only cases of this model\n";

static void next_json_raw(sbuf *b, const char *key, const char *json)
{
	sbuf_printf(b, ",\"%s\":%s", key, json ? json : "null");
}

static void next_json_str(sbuf *b, const char *key, const char *v)
{
	sbuf_printf(b, ",\"%s\":", key);
	if (v)
		sbuf_add_json_str(b, v, strlen(v));
	else
		sbuf_adds(b, "null");
}

static void next_json_num(sbuf *b, const char *key, double v)
{
	sbuf_printf(b, ",\"%s\":", key);
	sbuf_add_json_num(b, v); /* NaN prints null */
}

/* Margin and entropy are computed from the imported probabilities: 12
 * significant digits keep all they mean and drop the float noise of the
 * subtraction (0.463928, not 0.46392799999999995). */
static void next_json_derived(sbuf *b, const char *key, double v)
{
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%.12g", v);
	next_json_num(b, key, isfinite(v) ? strtod(tmp, NULL) : v);
}

/* The context with every pii: field's value masked: scripts see which
 * personal fields exist, never their values. (SQLite's json_each gives
 * true and false as 1 and 0: json(type) puts them back. The prefix is
 * compared exactly, as the importer reads it: LIKE is blind to case on
 * SQLite, so 'PII:x', a plain field, was masked there.) */
static int next_masked_context(store *s, const char *context, char **out,
			       dk_error *err)
{
	/* PostgreSQL's json_object_agg, minified as SQLite writes it
	 * (dk_json_min: src/engine/pg_schema.c). */
	static const char sql_lite[] =
		"SELECT json_group_object(key, CASE WHEN substr(key, 1, 4) = 'pii:'"
		" THEN '(masked)' WHEN type IN ('true', 'false') THEN json(type)"
		" ELSE value END) FROM json_each(?1)";
	static const char sql_pg[] =
		"SELECT dk_json_min(coalesce(json_object_agg(key, CASE WHEN substr(key,"
		" 1, 4) = 'pii:' THEN to_json(text '(masked)') ELSE value END),"
		" '{}')::text)"
		" FROM json_each(?1)";
	*out = NULL;
	db_stmt *st = store_stmt(
		s, store_engine(s) == STORE_POSTGRES ? sql_pg : sql_lite, err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, context ? context : "{}", -1, DB_STATIC);
	if (db_step(st) == DB_ROW && db_col_text(st, 0))
		*out = dk_xstrdup((const char *)db_col_text(st, 0));
	/* a failed read must not print the case with its context left out */
	if (store_done(st) != DB_OK)
		return store_fail(s, err, "masking the context");
	if (!*out) /* an empty context: json_group_object gives NULL */
		*out = dk_xstrdup("{}");
	return DK_OK;
}

int next_print(store *s, const char *reviewer, const char *model,
	       const queue_case *qc, dk_error *err)
{
	sbuf b = {0};
	if (!qc) {
		queue_counts n;
		/* the counts are for people: the empty answer stands without */
		dk_error cerr = {{0}};
		sbuf_adds(&b, "{\"empty\":true");
		next_json_str(&b, "reviewer", reviewer);
		next_json_str(&b, "model", model);
		if (queue_counts_get(s, reviewer, model, &n, &cerr) == DK_OK)
			sbuf_printf(&b, ",\"queued\":%lld,\"held_by_me\":%lld",
				    (long long)n.queued, (long long)n.held_by_me);
		sbuf_adds(&b, "}");
	} else {
		char when[32];
		char *ctx;
		if (next_masked_context(s, qc->context_json, &ctx, err))
			return DK_ERR;
		sbuf_adds(&b, "{\"id\":");
		sbuf_add_json_str(&b, qc->ext_id, strlen(qc->ext_id));
		next_json_str(&b, "model", qc->model);
		next_json_str(&b, "model_version", qc->model_version);
		next_json_str(&b, "prediction", qc->prediction);
		next_json_num(&b, "confidence", qc->confidence);
		next_json_derived(&b, "margin", qc->margin);
		next_json_derived(&b, "entropy", qc->entropy);
		next_json_str(&b, "reason", policy_reason_shown(qc->route_reason));
		sbuf_printf(&b, ",\"policy_version\":%lld,\"priority\":%lld",
			    (long long)qc->policy_version, (long long)qc->priority);
		next_json_raw(&b, "labels", qc->labels_json);
		next_json_raw(&b, "probs", qc->probs_json);
		next_json_raw(&b, "context", ctx);
		next_json_raw(&b, "attributions", qc->attributions_json);
		next_json_str(&b, "text", qc->text);
		next_json_str(&b, "source_file", qc->source_file);
		next_json_str(&b, "reviewer", reviewer);
		sbuf_printf(&b, ",\"lease\":{\"token\":%lld,\"expires\":\"%s\"}}",
			    (long long)qc->lease_token,
			    clock_format_iso(qc->lease_expires, when, sizeof when));
		free(ctx);
	}
	sbuf_addc(&b, '\n');
	cli_write_data(b.buf, b.len);
	sbuf_free(&b);
	return DK_OK;
}

int cmd_next(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"reviewer", required_argument, NULL, 'r'},
		{"model", required_argument, NULL, 'm'},
		{NULL, 0, NULL, 0}};
	const char *reviewer = dk_login_name(), *model = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hr:m:", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(next_usage);
		case 'r': reviewer = optarg; break;
		case 'm': model = optarg; break;
		default: return cli_usage_error("next", "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("next", "expected one STORE path");
	store *s = cli_open_store(argv[optind], 0);
	if (!s)
		return EXIT_FAIL;
	if (cli_act_as(s, "--reviewer", &reviewer) ||
	    (model && cli_model_id(s, model, NULL))) {
		store_close(s);
		return EXIT_FAIL;
	}
	dk_error err = {{0}};
	queue_case qc;
	int rc = queue_claim(s, reviewer, model, &qc, &err);
	if (rc == DK_OK || rc == DK_EMPTY) {
		rc = next_print(s, reviewer, model, rc == DK_OK ? &qc : NULL, &err)
			     ? cli_fail(err.msg)
			     : EXIT_OK;
		queue_case_free(&qc);
	} else {
		rc = cli_fail(err.msg);
	}
	store_close(s);
	return rc;
}
