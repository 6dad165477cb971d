/* cmd_verify.c: `docket verify STORE [--expect-head SEQ:HASH]`: recomputes
 * the audit chain, checks case states against the log, prints the head. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>

#include "cli.h"
#include "docket/audit.h"
#include "docket/queue.h"
#include "docket/verifymark.h"

static const char verify_usage[] =
	"Usage: docket verify STORE [--expect-head SEQ:HASH]\n"
	"Recompute the decision log's hash chain from the first entry, check\n"
	"that every case's state and final label agree with its log, and print\n"
	"SEQ:HASH of the head as the last line. Keep that line somewhere else:\n"
	"given back with --expect-head it also proves that no entry was removed\n"
	"from, or rewritten at, the end of the log.\n"
	"An intact chain's head is also recorded in the store (meta keys\n"
	"verified_seq, verified_hash, verified_at, verified_full_at), so that\n"
	"'docket supervise' can check only the entries appended since.\n"
	"Exit 0 when all is well; 1 naming the first bad entry otherwise (when\n"
	"the chain itself is broken no head is printed).\n"
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
		cli_eprintf("docket: %s: audit chain broken at entry %" PRId64
				": %s\n", path, rep.bad_seq, rep.problem);
		store_close(s);
		return EXIT_FAIL;
	}
	cli_printf("chain: %" PRId64 " entries, intact\n", rep.entries);
	/* Remember it (meta verified_*), so the supervisor's Audit tab can
	 * check only what is appended after this head. */
	if (rep.head_seq > 0 &&
	    verifymark_record(s, rep.head_seq, rep.head_hash, 1, &err) != DK_OK)
		cli_eprintf("docket: %s: the chain is intact, but recording "
				"that failed: %s\n", path, err.msg);
	int64_t checked = 0;
	rc = queue_check_states(s, &checked, &err);
	if (rc) {
		cli_eprintf("docket: %s: case states disagree with the log: %s\n",
			path, err.msg);
		rc = EXIT_FAIL;
	} else {
		cli_printf("cases: %" PRId64 " with decisions, states agree with the log\n",
		       checked);
	}
	cli_printf("%" PRId64 ":%s\n", rep.head_seq, rep.head_hash);
	store_close(s);
	return rc;
}
