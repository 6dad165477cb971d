/* cmd_decide.c: `docket decide STORE CASE --action A ...`: records one
 * decision (with its audit entry) without the screen, for scripts. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "docket/clock.h"
#include "docket/queue.h"

static const char decide_usage[] =
	"Usage: docket decide STORE CASE --action ACTION [--reviewer NAME]\n"
	"       [--label L] [--reason CODE] [--note TEXT] [--seconds S]\n"
	"       [--model NAME] [--token T] [--amend] [--next]\n"
	"Record a decision on case CASE (its id as imported). The decision and\n"
	"its audit entry are on disk (fsync'd) before this returns;\n"
	"it prints one JSON line: seq, hash, id, action, state (and amends).\n"
	"Actions:\n"
	"  accept     the model's label is right\n"
	"  override   the right label is --label L\n"
	"  escalate   to a supervisor; --reason required\n"
	"  skip       back to the queue (not to you for 30 minutes); --reason\n"
	"  undo       reverse your last decision (it must be on CASE); the\n"
	"             case comes back to you under a new lease\n"
	"  resolve    supervisor's final --label L on an escalated or disputed case\n"
	"accept, override, escalate and skip need your live lease from\n"
	"'docket next'; --token makes sure it is that claim's lease (fencing).\n"
	"  --amend          change your decision in force on CASE, however old,\n"
	"                   to this one (no lease needed): a new entry that\n"
	"                   replaces it; the case is recomputed (a new final\n"
	"                   label; a double review compared again; escalate\n"
	"                   sends it to a supervisor, skip back to the queue).\n"
	"                   Refused once a supervisor resolved the case, or when\n"
	"                   nothing would change. 'undo' takes an amend back.\n"
	"  --reviewer NAME  who decides (default: your login name)\n"
	"  --reason CODE    one of the store's reason codes (see 'docket policy\n"
	"                   STORE --reasons' to list or set them)\n"
	"  --note TEXT      free text\n"
	"  --seconds S      time spent on the case\n"
	"  --model NAME     which model's CASE, when two models share the id\n"
	"                   (not needed when you hold exactly one of them)\n"
	"  --next           decide and move on: in the same transaction, claim\n"
	"                   your next case (as 'docket next' would, from\n"
	"                   CASE's model when --model is given) and print it\n"
	"                   as 'docket next' does, on a second line (or its\n"
	"                   {\"empty\":true,...} object). If the decision is\n"
	"                   refused nothing is claimed. Not with undo or --amend.\n";

int cmd_decide(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"reviewer", required_argument, NULL, 'r'},
		{"action", required_argument, NULL, 'a'},
		{"label", required_argument, NULL, 'l'},
		{"reason", required_argument, NULL, 'R'},
		{"note", required_argument, NULL, 'n'},
		{"seconds", required_argument, NULL, 's'},
		{"model", required_argument, NULL, 'm'},
		{"token", required_argument, NULL, 't'},
		{"amend", no_argument, NULL, 'A'},
		{"next", no_argument, NULL, 'N'},
		{NULL, 0, NULL, 0}};
	const char *reviewer = dk_login_name(), *model = NULL;
	queue_decision d = {.seconds = NAN};
	int c, amend = 0, next = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hr:a:l:R:n:s:m:t:", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(decide_usage);
		case 'r': reviewer = optarg; break;
		case 'a': d.action = optarg; break;
		case 'l': d.label = optarg; break;
		case 'R': d.reason = optarg; break;
		case 'n': d.note = optarg; break;
		case 'm': model = optarg; break;
		case 'A': amend = 1; break;
		case 'N': next = 1; break;
		case 's':
			if (dk_parse_double(optarg, strlen(optarg), &d.seconds) ||
			    d.seconds < 0)
				return cli_usage_error("decide", "--seconds '%s': expected "
						       "a number of seconds >= 0", optarg);
			break;
		case 't':
			if (dk_parse_int64(optarg, strlen(optarg), &d.token) ||
			    d.token <= 0)
				return cli_usage_error("decide", "--token '%s': expected "
						       "the lease token from 'docket next'",
						       optarg);
			break;
		default: return cli_usage_error("decide", "unknown option");
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("decide", "expected STORE and CASE");
	if (!d.action)
		return cli_usage_error("decide", "--action is required (accept, "
				       "override, escalate, skip, undo, resolve)");
	static const char *const actions[] = {ACTION_ACCEPT, ACTION_OVERRIDE,
		ACTION_ESCALATE, ACTION_SKIP, ACTION_UNDO, ACTION_RESOLVE};
	int known = 0;
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		known |= !strcmp(d.action, actions[i]);
	if (!known)
		return cli_usage_error("decide", "unknown action '%s' (accept, override, "
				       "escalate, skip, undo, resolve)", d.action);
	if (amend && !strcmp(d.action, ACTION_UNDO))
		return cli_usage_error("decide", "--amend takes the new decision's "
				       "action (accept, override, escalate, skip, "
				       "resolve); undo takes an amend back by itself");
	if (next && (amend || !strcmp(d.action, ACTION_UNDO)))
		return cli_usage_error("decide", "--next goes with a new decision "
				       "(accept, override, escalate, skip, resolve), "
				       "not with undo or --amend");
	if (amend && d.token)
		return cli_usage_error("decide", "--amend needs no lease: drop --token");
	const char *ext = argv[optind + 1];
	store *s = cli_open_store(argv[optind], 0);
	if (!s)
		return EXIT_FAIL;
	if (cli_act_as(s, "--reviewer", &reviewer) ||
	    (model && cli_model_id(s, model, NULL))) {
		store_close(s);
		return EXIT_FAIL;
	}
	dk_error err = {{0}};
	int64_t case_id = 0;
	queue_outcome o = {0};
	queue_case back = {0}, nc = {0};
	int next_rc = DK_EMPTY;
	int rc = queue_find_for(s, ext, model, reviewer, &case_id, &err);
	if (rc == DK_OK) {
		if (!strcmp(d.action, ACTION_UNDO))
			rc = queue_undo(s, reviewer, case_id, &back, &o, &err);
		else if (amend)
			rc = queue_amend(s, reviewer, case_id, &d, &o, &err);
		else if (next) {
			rc = queue_decide_next(s, reviewer, case_id, &d, model, &o,
					       &nc, &err);
			if (rc == DK_OK || rc == DK_EMPTY) {
				next_rc = rc;
				rc = DK_OK;
			} else if (rc == DK_ERR && o.seq) {
				/* Recorded, but the next case could not be read:
				 * print the decision, then fail. */
				next_rc = DK_ERR;
				rc = DK_OK;
			}
		}
		else
			rc = queue_decide(s, reviewer, case_id, &d, &o, &err);
	}
	/* Committed but the sync failed: the entry stands (a retry would be
	 * refused), so print it like any recorded decision, then say what is
	 * in doubt and what to do. */
	int unsynced = rc == DK_UNSYNCED && o.seq;
	if (unsynced)
		rc = DK_OK;
	if (rc == DK_USAGE) {
		rc = cli_usage_error("decide", "%s", err.msg);
	} else if (rc != DK_OK) {
		rc = cli_fail(err.msg);
	} else {
		sbuf b = {0};
		sbuf_printf(&b, "{\"seq\":%lld,\"hash\":\"%s\",\"id\":", (long long)o.seq,
			    o.hash);
		sbuf_add_json_str(&b, ext, strlen(ext));
		sbuf_printf(&b, ",\"action\":\"%s\",\"state\":\"%s\"", d.action, o.state);
		if (amend)
			sbuf_printf(&b, ",\"amends\":%lld", (long long)o.ref_seq);
		if (back.lease_token) {
			char when[32];
			sbuf_printf(&b, ",\"lease\":{\"token\":%lld,\"expires\":\"%s\"}",
				    (long long)back.lease_token,
				    clock_format_iso(back.lease_expires, when, sizeof when));
		}
		sbuf_adds(&b, "}\n");
		cli_write_data(b.buf, b.len);
		sbuf_free(&b);
		rc = EXIT_OK;
		if (unsynced) {
			cli_eprintf("docket: decision recorded as entry %lld, but not yet "
				"known to be on disk: %s\n"
				"It stands: the log and other reviewers see it, and "
				"deciding case '%s' again is refused as already "
				"recorded. Once the disk is sound, check it is there "
				"with 'docket log %s --case %s' and run 'docket "
				"verify %s'; if the machine stopped before the disk "
				"caught up, it is not in the log and the case needs "
				"deciding again.\n",
				(long long)o.seq, err.msg, ext, argv[optind], ext,
				argv[optind]);
			rc = EXIT_FAIL;
		} else if (next && next_rc == DK_ERR)
			rc = cli_fail(err.msg);
		else if (next &&
			 next_print(s, reviewer, model, next_rc == DK_OK ? &nc : NULL,
				    &err))
			rc = cli_fail(err.msg);
	}
	queue_case_free(&nc);
	queue_case_free(&back);
	store_close(s);
	return rc;
}
