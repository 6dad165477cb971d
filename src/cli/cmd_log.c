/* cmd_log.c: `docket log STORE [filters]`: streams the decision log, newest
 * first, as a table, CSV or JSON Lines. */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "docket/clock.h"
#include "docket/logq.h"
#include "docket/report.h"
#include "docket/queue.h"
#include "docket/text.h"

static const char log_usage[] =
	"Usage: docket log STORE [--reviewer NAME] [--action A] [--model NAME]\n"
	"       [--label L] [--case ID] [--since T] [--until T] [--text WORDS]\n"
	"       [--limit N] [--format table|csv|jsonl] [--exact] [--as NAME]\n"
	"Print the decision log, newest first. Supervisors only.\n"
	"  --reviewer NAME   entries by this reviewer\n"
	"  --action A        init, accept, override, escalate, skip, undo,\n"
	"                    resolve, reveal, export, import, policy, reasons,\n"
	"                    role, reviewer-add, auto-add, report, anchor or\n"
	"                    reference\n"
	"  --model NAME      entries about this model's cases\n"
	"  --label L         entries whose human label is L (accept: the model's)\n"
	"  --case ID         entries about the case with this id (as imported)\n"
	"  --since T         at or after T (YYYY-MM-DD[THH:MM[:SS]][Z], UTC, or\n"
	"                    epoch seconds)\n"
	"  --until T         before T\n"
	"  --text WORDS      the note contains WORDS (ASCII case ignored)\n"
	"  --limit N         at most N entries\n"
	"  --format F        table (default), csv or jsonl; csv and jsonl carry\n"
	"                    seq, at, reviewer, id, model, action, model_label,\n"
	"                    label, reason, note, seconds, hash, ref_seq\n"
	"  --exact           csv: every cell as stored; by default a text cell\n"
	"                    starting with = + - @ TAB or CR (not a plain\n"
	"                    number) gets a ' before it, so a spreadsheet shows\n"
	"                    it instead of running it as a formula\n"
	"  --as NAME         act as this supervisor (default: your login name)\n";

/* Shared by log, stats and supervise: only supervisors read the desk. */
int cli_require_supervisor(store *s, const char *cmd, const char *name)
{
	dk_error err = {{0}};
	int r = logq_is_supervisor(s, name, &err);
	if (r < 0)
		return cli_fail(err.msg);
	if (r == 0) {
		cli_eprintf(
			"docket %s: '%s' is not a supervisor of %s "
			"(a supervisor can run 'docket reviewer add %s %s "
			"--role supervisor')\n",
			cmd, name, store_path(s), store_path(s), name);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cli_parse_time(const char *cmd, const char *opt, const char *text,
		   int64_t *ms)
{
	if (clock_parse(text, ms))
		return cli_usage_error(cmd,
				       "%s '%s': expected YYYY-MM-DD, "
				       "YYYY-MM-DDTHH:MM[:SS][Z] or epoch seconds",
				       opt, text);
	return EXIT_OK;
}

/* The table's text is the store's UTF-8, written as it is, and lined up by
 * the width a UTF-8 terminal gives it (wide CJK two columns, combining marks
 * none), whatever locale cron or a pipe runs us in. */
void cli_table_utf8(void)
{
	if (!text_set_utf8_from_locale()) {
		if (!setlocale(LC_CTYPE, "C.UTF-8"))
			setlocale(LC_CTYPE, "en_US.UTF-8");
		text_set_utf8(1);
	}
}

int cmd_log(int argc, char **argv)
{
	enum { O_REVIEWER = 256, O_ACTION, O_MODEL, O_LABEL, O_CASE, O_SINCE,
	       O_UNTIL, O_TEXT, O_LIMIT, O_FORMAT, O_AS, O_EXACT };
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"reviewer", required_argument, NULL, O_REVIEWER},
		{"action", required_argument, NULL, O_ACTION},
		{"model", required_argument, NULL, O_MODEL},
		{"label", required_argument, NULL, O_LABEL},
		{"case", required_argument, NULL, O_CASE},
		{"since", required_argument, NULL, O_SINCE},
		{"until", required_argument, NULL, O_UNTIL},
		{"text", required_argument, NULL, O_TEXT},
		{"limit", required_argument, NULL, O_LIMIT},
		{"format", required_argument, NULL, O_FORMAT},
		{"as", required_argument, NULL, O_AS},
		{"exact", no_argument, NULL, O_EXACT},
		{NULL, 0, NULL, 0}};
	struct logq_filter f = {0};
	int exact = 0;
	enum logq_format fmt = LOGQ_TABLE;
	const char *as = dk_login_name();
	int64_t limit = -1;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(log_usage);
		case O_REVIEWER: f.reviewer = optarg; break;
		case O_ACTION:
			if (!logq_action_known(optarg))
				return cli_usage_error("log", "--action '%s': expected one of %s",
						       optarg, logq_actions_text());
			f.action = optarg;
			break;
		case O_MODEL: f.model = optarg; break;
		case O_LABEL: f.label = optarg; break;
		case O_CASE: f.case_id = optarg; break;
		case O_TEXT: f.text = optarg; break;
		case O_AS: as = optarg; break;
		case O_EXACT: exact = 1; break;
		case O_SINCE:
			if (cli_parse_time("log", "--since", optarg, &f.since_ms))
				return EXIT_USAGE;
			f.has_since = 1;
			break;
		case O_UNTIL:
			if (cli_parse_time("log", "--until", optarg, &f.until_ms))
				return EXIT_USAGE;
			f.has_until = 1;
			break;
		case O_LIMIT:
			if (dk_parse_int64(optarg, strlen(optarg), &limit) || limit < 0)
				return cli_usage_error("log", "--limit '%s': expected a "
						       "count of entries", optarg);
			break;
		case O_FORMAT:
			if (logq_format_parse(optarg, &fmt))
				return cli_usage_error("log", "--format '%s': expected "
						       "table, csv or jsonl", optarg);
			break;
		default: return cli_usage_error("log", "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("log", "expected one STORE path");
	if (exact && fmt != LOGQ_CSV)
		return cli_usage_error("log", "--exact goes with --format csv");
	if (exact)
		fmt = LOGQ_CSV_EXACT;
	store *s = cli_open_store(argv[optind], 0);
	if (!s)
		return EXIT_FAIL;
	int rc = cli_act_as(s, "--as", &as);
	if (!rc)
		rc = cli_require_supervisor(s, "log", as);
	if (!rc && f.model)
		rc = cli_model_id(s, f.model, NULL);
	if (rc) {
		store_close(s);
		return rc;
	}
	dk_error err = {{0}};
	logq *q = NULL;
	struct logq_page page = {0};
	sbuf out = {0};
	/* One read transaction: the listing is one consistent snapshot even
	 * while reviewers keep appending. */
	if (store_begin_read(s, &err)) {
		rc = cli_fail(err.msg);
		goto out;
	}
	int orc = logq_open(&q, s, &f, &err);
	if (orc) {
		rc = orc == DK_USAGE ? cli_usage_error("log", "%s", err.msg)
				     : cli_fail(err.msg);
		goto out;
	}
	if (fmt == LOGQ_TABLE)
		cli_table_utf8();
	logq_format_header(&out, fmt);
	int64_t before = LOGQ_NEWEST, shown = 0;
	for (;;) {
		size_t want = 1000;
		if (limit >= 0 && (int64_t)want > limit - shown)
			want = (size_t)(limit - shown);
		if (want == 0)
			break;
		if (logq_page(q, before, want, 0, &page, &err)) {
			rc = cli_fail(err.msg);
			goto out;
		}
		for (size_t i = 0; i < page.n; i++)
			logq_format_entry(&out, fmt, &page.e[i]);
		shown += (int64_t)page.n;
		/* exact for files and pipes, made visible on a terminal */
		if (out.len && cli_write_data(out.buf, out.len))
			break; /* reader went away (| head): stop quietly */
		sbuf_reset(&out);
		if (page.at_end || page.n == 0)
			break;
		before = page.next_before;
	}
	if (out.len)
		cli_write_data(out.buf, out.len);
	if (fflush(stdout) != 0 && !ferror(stdout))
		rc = cli_fail("writing the log failed");
out:
	logq_page_clear(&page);
	free(page.e);
	sbuf_free(&out);
	logq_close(q);
	store_rollback(s);
	store_close(s);
	return rc;
}
