/* cmd_cases.c: `docket cases STORE [filters] [--format table|csv|jsonl]`:
 * lists cases with their state, holder, routing reason and final label, so
 * a script can find what waits without reading the store with sqlite3. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "docket/caselist.h"
#include "docket/clock.h"
#include "docket/logq.h"
#include "docket/policy.h"

static const char cases_usage[] =
	"Usage: docket cases STORE [--state S] [--model M] [--reviewer R]\n"
	"                          [--reason CODE] [--since T] [--limit N]\n"
	"                          [--format table|csv|jsonl] [--exact]\n"
	"                          [--as NAME]\n"
	"List cases: id, model, state, holder (with when the lease ends),\n"
	"routing reason, priority, prediction, confidence, final label and when\n"
	"it was given. Queued cases come in claim order, done cases in the order\n"
	"they got their final label, others in import order. Supervisors list\n"
	"any cases; a reviewer lists their own (--reviewer with their name),\n"
	"with reasons as 'docket next' prints them (gold is not shown), and\n"
	"--reason matches those: audit and gold both mean spot checks.\n"
	"  --state S          queued, held, escalated, disputed, done or auto\n"
	"  --model M          one model\n"
	"  --reviewer R       cases R holds or has a decision in force on\n"
	"  --reason CODE      routed for this reason: confidence,\n"
	"                     label-threshold, margin, entropy, audit or gold\n"
	"                     (a reviewer's: of the reason as shown to them)\n"
	"  --since T          imported at or after T (YYYY-MM-DD[THH:MM[:SS]][Z]\n"
	"                     or epoch seconds)\n"
	"  --limit N          at most N cases\n"
	"  --format F         table (default), csv or jsonl\n"
	"  --exact            csv: every cell as stored; by default a text cell\n"
	"                     a spreadsheet would run as a formula gets a '\n"
	"  --as NAME          who lists (default: your login name)\n";

static const char *const cases_fields[] = {
	"id", "model", "state", "holder", "lease_expires", "reason", "priority",
	"prediction", "confidence", "final_label", "decided_at", "batch",
	"imported_at"};
#define CASES_NFIELDS (sizeof cases_fields / sizeof cases_fields[0])

struct cases_out {
	enum logq_format fmt;
	sbuf b;
	int broken;     /* the reader went away */
};

/* v as JSON/CSV text: the shortest form that reads back equal. */
static const char *cases_num(double v, char *buf, size_t len)
{
	sbuf t = {0};
	sbuf_add_json_num(&t, v);
	snprintf(buf, len, "%s", sbuf_str(&t));
	sbuf_free(&t);
	return buf;
}

/* The row's fields as text, in cases_fields order; times ISO 8601. num[]
 * says which are numbers (JSON without quotes). NULL: none. */
static void cases_fields_of(const struct caselist_row *r, char bufs[4][40],
			    const char *v[CASES_NFIELDS], int num[CASES_NFIELDS])
{
	memset(num, 0, CASES_NFIELDS * sizeof *num);
	v[0] = r->ext_id;
	v[1] = r->model;
	v[2] = r->state;
	v[3] = r->holder;
	v[4] = r->holder ? clock_format_iso(r->lease_expires, bufs[0], 40) : NULL;
	v[5] = r->reason;
	snprintf(bufs[1], 40, "%lld", (long long)r->priority);
	v[6] = bufs[1], num[6] = 1;
	v[7] = r->prediction;
	v[8] = cases_num(r->confidence, bufs[2], 40), num[8] = 1;
	v[9] = r->final_label;
	v[10] = r->has_decided_at ? clock_format_iso(r->decided_at, bufs[3], 40) : NULL;
	v[11] = NULL; /* batch and imported_at: filled by the caller */
	v[12] = NULL;
}

/* The buffered text out: a table for a person (made visible), data
 * exact unless stdout is a terminal. */
static int cases_flush(struct cases_out *o)
{
	int rc = 0;
	if (o->fmt == LOGQ_TABLE)
		cli_printf("%s", sbuf_str(&o->b));
	else
		rc = cli_write_data(o->b.buf, o->b.len);
	sbuf_reset(&o->b);
	return rc;
}

static int cases_row(const struct caselist_row *r, void *ctx)
{
	struct cases_out *o = ctx;
	char bufs[4][40], batch[24], imported[40];
	const char *v[CASES_NFIELDS];
	int num[CASES_NFIELDS];
	cases_fields_of(r, bufs, v, num);
	snprintf(batch, sizeof batch, "%lld", (long long)r->batch_id);
	v[11] = batch, num[11] = 1;
	v[12] = clock_format_iso(r->imported_at, imported, sizeof imported);
	switch (o->fmt) {
	case LOGQ_TABLE: {
		char holder[80] = "";
		if (r->holder)
			snprintf(holder, sizeof holder, "%s%s", r->holder,
				 r->lease_live ? "" : " (lapsed)");
		logq_cell(&o->b, v[0], 14, 0);
		sbuf_adds(&o->b, "  ");
		logq_cell(&o->b, v[1], 10, 0);
		sbuf_adds(&o->b, "  ");
		logq_cell(&o->b, v[2], 9, 0);
		sbuf_adds(&o->b, "  ");
		logq_cell(&o->b, holder, 12, 0);
		sbuf_adds(&o->b, "  ");
		logq_cell(&o->b, v[5], 16, 0);
		sbuf_adds(&o->b, "  ");
		logq_cell(&o->b, v[6], 3, 1);
		sbuf_adds(&o->b, "  ");
		logq_cell(&o->b, v[7], 10, 0);
		sbuf_printf(&o->b, "  %5.3f  ", r->confidence);
		logq_cell(&o->b, v[9] ? v[9] : "-", 10, 0);
		sbuf_addc(&o->b, '\n');
		break;
	}
	case LOGQ_CSV:
	case LOGQ_CSV_EXACT:
		for (size_t i = 0; i < CASES_NFIELDS; i++) {
			if (i)
				sbuf_addc(&o->b, ',');
			logq_csv_field(&o->b, v[i], o->fmt == LOGQ_CSV && !num[i]);
		}
		sbuf_addc(&o->b, '\n');
		break;
	case LOGQ_JSONL:
		sbuf_addc(&o->b, '{');
		for (size_t i = 0; i < CASES_NFIELDS; i++) {
			sbuf_printf(&o->b, "%s\"%s\":", i ? "," : "", cases_fields[i]);
			if (!v[i])
				sbuf_adds(&o->b, "null");
			else if (num[i])
				sbuf_adds(&o->b, v[i]);
			else
				sbuf_add_json_str(&o->b, v[i], strlen(v[i]));
		}
		sbuf_adds(&o->b, "}\n");
		break;
	}
	if (o->b.len >= 1 << 16) {
		if (cases_flush(o))
			o->broken = 1;
		sbuf_reset(&o->b);
	}
	return o->broken ? DK_EMPTY : DK_OK; /* | head: stop quietly */
}

int cmd_cases(int argc, char **argv)
{
	enum { O_STATE = 256, O_MODEL, O_REVIEWER, O_REASON, O_SINCE, O_LIMIT,
	       O_FORMAT, O_EXACT, O_AS };
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"state", required_argument, NULL, O_STATE},
		{"model", required_argument, NULL, O_MODEL},
		{"reviewer", required_argument, NULL, O_REVIEWER},
		{"reason", required_argument, NULL, O_REASON},
		{"since", required_argument, NULL, O_SINCE},
		{"limit", required_argument, NULL, O_LIMIT},
		{"format", required_argument, NULL, O_FORMAT},
		{"exact", no_argument, NULL, O_EXACT},
		{"as", required_argument, NULL, O_AS},
		{NULL, 0, NULL, 0}};
	struct caselist_filter f = {0};
	struct cases_out o = {.fmt = LOGQ_TABLE};
	const char *as = dk_login_name();
	int c, exact = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(cases_usage);
		case O_STATE: f.state = optarg; break;
		case O_MODEL: f.model = optarg; break;
		case O_REVIEWER: f.reviewer = optarg; break;
		case O_REASON: f.reason = optarg; break;
		case O_AS: as = optarg; break;
		case O_EXACT: exact = 1; break;
		case O_SINCE:
			if (cli_parse_time("cases", "--since", optarg, &f.since_ms))
				return EXIT_USAGE;
			f.has_since = 1;
			break;
		case O_LIMIT:
			if (dk_parse_int64(optarg, strlen(optarg), &f.limit) ||
			    f.limit <= 0)
				return cli_usage_error("cases", "--limit '%s': expected "
						       "a count of cases", optarg);
			break;
		case O_FORMAT:
			if (logq_format_parse(optarg, &o.fmt))
				return cli_usage_error("cases", "--format '%s': expected "
						       "table, csv or jsonl", optarg);
			break;
		default: return cli_usage_error("cases", "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("cases", "expected one STORE path");
	if (exact && o.fmt != LOGQ_CSV)
		return cli_usage_error("cases", "--exact goes with --format csv");
	if (exact)
		o.fmt = LOGQ_CSV_EXACT;
	static const char *const states[] = {"queued", "held", "escalated",
					     "disputed", "done", "auto"};
	static const char *const reasons[] = {ROUTE_CONFIDENCE, ROUTE_LABEL,
					      ROUTE_MARGIN, ROUTE_ENTROPY,
					      ROUTE_AUDIT, ROUTE_GOLD};
	int known = !f.state;
	for (size_t i = 0; !known && i < sizeof states / sizeof *states; i++)
		known = !strcmp(f.state, states[i]);
	if (!known)
		return cli_usage_error("cases", "--state '%s': expected queued, held, "
				       "escalated, disputed, done or auto", f.state);
	known = !f.reason;
	for (size_t i = 0; !known && i < sizeof reasons / sizeof *reasons; i++)
		known = !strcmp(f.reason, reasons[i]);
	if (!known)
		return cli_usage_error("cases", "--reason '%s': expected confidence, "
				       "label-threshold, margin, entropy, audit or "
				       "gold", f.reason);
	store *s = cli_open_store(argv[optind], 0);
	if (!s)
		return EXIT_FAIL;
	/* A reviewer may list their own cases; anything wider is a
	 * supervisor's view of everyone's work. */
	if (cli_act_as(s, "--as", &as)) {
		store_close(s);
		return EXIT_FAIL;
	}
	dk_error err = {{0}};
	int sup = logq_is_supervisor(s, as, &err);
	if (sup < 0) {
		store_close(s);
		return cli_fail(err.msg);
	}
	/* else gold checks read as spot checks, as on screen, and the
	 * reason filter matches the reason so shown, where audit and gold
	 * both read "spot check" */
	f.shown = !sup;
	if (f.shown && f.reason &&
	    (!strcmp(f.reason, ROUTE_AUDIT) || !strcmp(f.reason, ROUTE_GOLD)))
		f.reason = "spot";
	/* A reviewer may list their own cases (gold checks hidden, as on
	 * screen): a script of theirs can see what they hold. */
	int rc = sup || (f.reviewer && !strcmp(f.reviewer, as))
			 ? EXIT_OK : cli_require_supervisor(s, "cases", as);
	if (!rc && f.model)
		rc = cli_model_id(s, f.model, NULL);
	if (rc) {
		store_close(s);
		return rc;
	}
	if (o.fmt == LOGQ_TABLE) {
		cli_table_utf8();
		sbuf_printf(&o.b, "%-14s  %-10s  %-9s  %-12s  %-16s  %3s  %-10s  %5s  %s\n",
			    "id", "model", "state", "holder", "reason", "pri",
			    "prediction", "conf", "final");
	} else if (o.fmt == LOGQ_CSV || o.fmt == LOGQ_CSV_EXACT) {
		for (size_t i = 0; i < CASES_NFIELDS; i++)
			sbuf_printf(&o.b, "%s%s", i ? "," : "", cases_fields[i]);
		sbuf_addc(&o.b, '\n');
	}
	int crc = caselist_each(s, &f, cases_row, &o, &err);
	if (crc == DK_ERR) {
		rc = cli_fail(err.msg);
		sbuf_reset(&o.b); /* no header for a listing that failed */
	}
	if (!o.broken && o.b.len)
		cases_flush(&o);
	if (!o.broken && fflush(stdout) != 0)
		rc = cli_fail("writing the list failed");
	sbuf_free(&o.b);
	store_close(s);
	return rc;
}
