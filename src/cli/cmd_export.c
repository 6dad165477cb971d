/* cmd_export.c: `docket export STORE --out FILE`: corrections for
 * retraining, with lineage, recorded in the audit chain. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "docket/clock.h"
#include "docket/export.h"

static const char export_usage[] =
	"Usage: docket export STORE --out FILE [--format csv|jsonl]\n"
	"         [--only reviewed|overrides|all] [--model NAME[@VERSION]]\n"
	"         [--since TIME] [--until TIME] [--since-last NAME] [--drop-pii]\n"
	"         [--spreadsheet-safe] [--as NAME]\n"
	"Write the cases that have a final human label (after undos, double\n"
	"reviews and resolves), one row each, for retraining: id, prediction,\n"
	"confidence, human_label, override (0/1), action, reviewer, reason,\n"
	"decided_at, model, model_version, policy_version, source_file,\n"
	"source_sha256, then text, the context fields (pii: ones included unless\n"
	"--drop-pii), p:LABEL and attr:NAME under their input names. The file can be\n"
	"imported again as predictions. It is written to a temporary file beside\n"
	"FILE and renamed, so FILE is never partial; the export is an entry in the\n"
	"audit chain (who, filters, rows, SHA-256 of the file). Supervisors only.\n"
	"  --out FILE          the file to write (replaced if it exists; mode 0600);\n"
	"                      a regular file only: never a device, FIFO, socket,\n"
	"                      directory or symbolic link\n"
	"  --format F          csv (default; jsonl when FILE ends in .jsonl) or jsonl\n"
	"  --only W            reviewed (default): every case with a final label;\n"
	"                      overrides: final label differs from the prediction;\n"
	"                      all: every case, those without a final label with\n"
	"                      action 'unreviewed' and an empty human_label\n"
	"  --model NAME[@V]    only this model (and batch model version)\n"
	"  --since TIME        decided at or after TIME (2026-01-02[T03:04[:05]][Z],\n"
	"                      UTC, or epoch seconds); --only all: unreviewed cases\n"
	"                      by import time\n"
	"  --until TIME        decided before TIME\n"
	"  --since-last NAME   only cases that got their final label since the last\n"
	"                      export named NAME (a watermark per name, moved when\n"
	"                      this export is recorded): a nightly job takes each\n"
	"                      correction once; a case whose final label was\n"
	"                      withdrawn since (undo, amend to escalate or skip)\n"
	"                      gets a row with action withdrawn and no label.\n"
	"                      A name keeps its first filters.\n"
	"  --drop-pii          leave out every pii: field (no such columns at all)\n"
	"  --spreadsheet-safe  csv: a ' before every cell starting with = + - @\n"
	"                      TAB or CR that is not a plain number, so a\n"
	"                      spreadsheet cannot run it as a formula (default:\n"
	"                      cells exactly as stored, for retraining)\n"
	"  --as NAME           who exports (default: your login name)\n";

static volatile sig_atomic_t export_cancel;

static void export_on_signal(int sig)
{
	(void)sig;
	export_cancel = 1;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

int cmd_export(int argc, char **argv)
{
	enum { O_SINCE_LAST = 256, O_DROP_PII, O_AS, O_UNTIL, O_SHEET };
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"out", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'f'},
		{"only", required_argument, NULL, 'O'},
		{"model", required_argument, NULL, 'm'},
		{"since", required_argument, NULL, 's'},
		{"until", required_argument, NULL, O_UNTIL},
		{"since-last", required_argument, NULL, O_SINCE_LAST},
		{"drop-pii", no_argument, NULL, O_DROP_PII},
		{"as", required_argument, NULL, O_AS},
		{"spreadsheet-safe", no_argument, NULL, O_SHEET},
		{NULL, 0, NULL, 0}};
	struct export_opts o;
	export_opts_init(&o);
	const char *format = NULL, *model = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:f:O:m:s:", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(export_usage);
		case 'o': o.out = optarg; break;
		case 'f': format = optarg; break;
		case 'O':
			if (!strcmp(optarg, "reviewed"))
				o.only = EXPORT_REVIEWED;
			else if (!strcmp(optarg, "overrides"))
				o.only = EXPORT_OVERRIDES;
			else if (!strcmp(optarg, "all"))
				o.only = EXPORT_ALL;
			else
				return cli_usage_error("export",
						       "--only takes reviewed, "
						       "overrides or all, not '%s'",
						       optarg);
			break;
		case 'm': model = optarg; break;
		case 's':
			if (clock_parse(optarg, &o.since_ms))
				return cli_usage_error("export",
						       "--since: '%s' is not a time "
						       "(2026-01-02, 2026-01-02T03:04:05Z "
						       "or epoch seconds)",
						       optarg);
			break;
		case O_UNTIL:
			if (clock_parse(optarg, &o.until_ms))
				return cli_usage_error("export",
						       "--until: '%s' is not a time "
						       "(2026-01-02, 2026-01-02T03:04:05Z "
						       "or epoch seconds)",
						       optarg);
			break;
		case O_SINCE_LAST: o.since_last = optarg; break;
		case O_DROP_PII: o.drop_pii = 1; break;
		case O_AS: o.actor = optarg; break;
		case O_SHEET: o.spreadsheet_safe = 1; break;
		default: return cli_usage_error("export", "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("export", "expected one STORE path");
	if (!o.out || !o.out[0])
		return cli_usage_error("export", "--out FILE is required");
	if (!strcmp(o.out, "-"))
		return cli_usage_error("export",
				       "--out needs a file (it is written beside "
				       "and renamed), not standard output");
	if (format && !strcmp(format, "csv"))
		o.format = EXPORT_CSV;
	else if (format && !strcmp(format, "jsonl"))
		o.format = EXPORT_JSONL;
	else if (format)
		return cli_usage_error("export", "--format takes csv or jsonl, not '%s'",
				       format);
	else
		o.format = ends_with(o.out, ".jsonl") || ends_with(o.out, ".ndjson")
				   ? EXPORT_JSONL
				   : EXPORT_CSV;
	if (o.spreadsheet_safe && o.format != EXPORT_CSV)
		return cli_usage_error("export", "--spreadsheet-safe goes with "
						 "--format csv");
	if (o.since_last && o.only == EXPORT_ALL)
		return cli_usage_error("export", "--since-last takes corrections; "
						 "it cannot be combined with --only all");
	if (o.since_last && !o.since_last[0])
		return cli_usage_error("export", "--since-last needs a name");
	if (o.since_ms >= 0 && o.until_ms >= 0 && o.until_ms <= o.since_ms)
		return cli_usage_error("export", "--until must be later than --since");
	if (!o.actor || !o.actor[0])
		return cli_usage_error("export", "--as needs a name");
	char *model_owned = NULL;
	if (model) {
		const char *name, *version;
		if (cli_split_model(model, &model_owned, &name, &version)) {
			free(model_owned);
			return cli_usage_error("export", "--model needs a name");
		}
		o.model = name;
		o.model_version = version[0] ? version : NULL;
	}

	store *s = cli_open_store(argv[optind], 0);
	if (!s || cli_act_as(s, "--as", &o.actor) ||
	    (o.model && cli_model_id(s, o.model, NULL))) {
		store_close(s);
		free(model_owned);
		return EXIT_FAIL;
	}
	/* Ctrl-C, a hang-up or kill: stop at the next page and clean up. */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = export_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	o.cancel = &export_cancel;

	dk_error err = {{0}};
	struct export_result r = {0};
	int rc = export_run(s, &o, &r, &err);
	store_close(s);
	free(model_owned);
	if (rc == DK_USAGE) {
		return cli_fail(err.msg);
	}
	if (r.stale_removed)
		cli_eprintf("docket: removed %d temporary file%s left by an "
			"interrupted export to %s\n", r.stale_removed,
			r.stale_removed == 1 ? "" : "s", o.out);
	if (rc != DK_OK && rc != DK_UNSYNCED)
		return cli_fail(err.msg);
	char wd[64] = "";
	if (r.withdrawn)
		snprintf(wd, sizeof wd, ", %lld withdrawn", (long long)r.withdrawn);
	cli_printf("exported %lld row%s%s to %s (sha256 %s; audit entry %lld)\n",
	       (long long)r.rows, r.rows == 1 ? "" : "s", wd, o.out, r.sha256,
	       (long long)r.audit_seq);
	if (rc == DK_UNSYNCED) {
		cli_eprintf("docket: export recorded as audit entry %lld, but not "
				"yet known to be on disk: %s\n",
			(long long)r.audit_seq, err.msg);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
