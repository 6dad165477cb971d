/* cmd_verify.c: `docket verify STORE [--expect-head SEQ:HASH]`: recomputes
 * the audit chain, checks case states against the log, prints the head. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>

#include "cli.h"
#include "docket/audit.h"
#include "docket/queue.h"
#include "docket/replay.h"
#include "docket/verifymark.h"

static const char verify_usage[] =
	"Usage: docket verify STORE [--expect-head SEQ:HASH]\n"
	"Recompute the decision log's hash chain from the first entry; replay\n"
	"every entry (who held which role at each entry, policies, reason codes,\n"
	"export watermarks, times) and compare the store with it (reviewers,\n"
	"models, policies, watermarks, batches, and every case row: its batch's\n"
	"digest and row count, its routing under its policy); check that every\n"
	"case's state and final label agree with its log; print SEQ:HASH of the\n"
	"head as the last line. Keep that line somewhere else: given back with\n"
	"--expect-head it also proves that no entry was removed from, or\n"
	"rewritten at, the end of the log.\n"
	"An intact chain's head is also recorded in a file of your state\n"
	"directory ($XDG_STATE_HOME/docket/verified/, by default\n"
	"~/.local/state/docket/verified/), never in the store, so that\n"
	"'docket supervise' can check only the entries appended since.\n"
	"Exit 0 when all is well; 1 naming the first bad entry, case or table\n"
	"row otherwise (when the chain itself is broken no head is printed).\n"
	"  --expect-head SEQ:HASH  a head printed by an earlier verify\n";

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"expect-head", required_argument, NULL, 'e'},
		{NULL, 0, NULL, 0}};
	const char *expect = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "he:", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(verify_usage);
		case 'e': expect = optarg; break;
		default: return cli_usage_error("verify", "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("verify", "expected one STORE path");
	const char *path = argv[optind];
	store *s = cli_open_store(path, 0);
	if (!s)
		return EXIT_FAIL;
	dk_error err = {{0}};
	audit_report rep;
	int rc = audit_verify(s, expect, &rep, &err);
	if (rc == DK_USAGE) {
		store_close(s);
		return cli_usage_error("verify", "%s", err.msg);
	}
	if (rc) {
		fprintf(stderr, "docket: %s: audit chain broken at entry %" PRId64
				": %s\n", path, rep.bad_seq, rep.problem);
		store_close(s);
		return EXIT_FAIL;
	}
	printf("chain: %" PRId64 " entries, intact\n", rep.entries);
	/* Remember it (verifymark.c), so the supervisor's Audit tab can
	 * check only what is appended after this head. */
	if (rep.head_seq > 0 &&
	    verifymark_record(s, rep.head_seq, rep.head_hash, 1, &err) != DK_OK)
		fprintf(stderr, "docket: %s: the chain is intact, but recording "
				"that failed: %s\n", path, err.msg);
	/* What the entries say happened against what the store holds:
	 * roles, policies, watermarks, batches and times (replay.c), then
	 * each case's decisions (queue.c). */
	replay_report rr;
	int bad = 0;
	if (replay_verify(s, &rr, &err)) {
		if (rr.bad_seq)
			fprintf(stderr, "docket: %s: replay of the log fails at entry "
					"%" PRId64 ": %s\n",
				path, rr.bad_seq, rr.problem);
		else
			fprintf(stderr, "docket: %s: the store disagrees with the log: "
					"%s\n",
				path, err.msg);
		bad = 1;
	} else {
		printf("replay: %" PRId64 " entries replayed: roles, policies, "
		       "reason codes, watermarks and times agree\n", rr.entries);
		if (rr.legacy_entries)
			printf("replay: entries 1 to %" PRId64 " were written by an "
			       "older docket, before the replay: their hashes are "
			       "checked, who wrote them is not\n",
			       rr.legacy_entries);
		printf("cases: %" PRId64 " rows, %" PRId64 " batches match their "
		       "import entries, routing agrees with the policies\n",
		       rr.cases, rr.batches);
		if (rr.legacy_batches)
			printf("cases: %" PRId64 " batches imported before import "
			       "entries existed: their rows are not covered (only "
			       "counted)\n",
			       rr.legacy_batches);
	}
	int64_t checked = 0;
	if (!bad && queue_check_states(s, &checked, &err)) {
		fprintf(stderr, "docket: %s: case states disagree with the log: %s\n",
			path, err.msg);
		bad = 1;
	} else if (!bad) {
		printf("cases: %" PRId64 " with decisions, states agree with the log\n",
		       checked);
	}
	rc = bad ? EXIT_FAIL : EXIT_OK;
	printf("%" PRId64 ":%s\n", rep.head_seq, rep.head_hash);
	store_close(s);
	return rc;
}
