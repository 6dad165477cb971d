/* cmd_verify.c: `docket verify STORE [--expect-head SEQ:HASH]`: recomputes
 * the audit chain, checks case states against the log, prints the head. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "docket/anchor.h"
#include "docket/audit.h"
#include "docket/queue.h"
#include "docket/replay.h"
#include "docket/verifymark.h"

static const char verify_usage[] =
	"Usage: docket verify STORE [--expect-head SEQ:HASH] [--trust KEYFILE]...\n"
	"                           [--anchors FILE]\n"
	"Recompute the decision log's hash chain from the first entry; replay\n"
	"every entry (who held which role at each entry, policies, reason codes,\n"
	"export watermarks, times) and compare the store with it (reviewers,\n"
	"models, policies, watermarks, batches, and every case row: its batch's\n"
	"digest and row count, its routing under its policy); check that every\n"
	"case's state and final label agree with its log; check every signed\n"
	"anchor; print SEQ:HASH of the head as the last line. Keep that line\n"
	"somewhere else: given back with --expect-head it also proves that no\n"
	"entry was removed from, or rewritten at, the end of the log.\n"
	"On PostgreSQL a reviewer's verify reads what a reviewer may: the\n"
	"batches holding personal values or gold checks, and every case's\n"
	"routing (it needs the audit salt), are counted, not checked, and it\n"
	"says so; a supervisor's verify checks them.\n"
	"An intact chain's head is also recorded in a file of your state\n"
	"directory ($XDG_STATE_HOME/docket/verified/, by default\n"
	"~/.local/state/docket/verified/), never in the store, so that\n"
	"'docket supervise' can check only the entries appended since.\n"
	"Exit 0 when all is well; 1 naming the first bad entry, case or table\n"
	"row otherwise (when the chain itself is broken no head is printed).\n"
	"  --expect-head SEQ:HASH  a head printed by an earlier verify\n"
	"  --trust KEYFILE         a supervisor's public key (anchor.pub), kept\n"
	"                          outside the store; repeat for several. Every\n"
	"                          anchor entry must be signed by one of them\n"
	"                          and still match the chain, and there must be\n"
	"                          at least one anchor\n"
	"  --anchors FILE          lines printed by 'docket anchor' and kept\n"
	"                          elsewhere ('-': stdin); each must be signed by\n"
	"                          a trusted key and still stand in the chain\n";

/* The non-empty lines of path ("-": stdin) into *lines (malloc'd, each
 * malloc'd); *n of them. Returns 0, or -1 with errno set. */
static int verify_read_lines(const char *path, char ***lines, size_t *n)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f)
		return -1;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	while ((len = getline(&buf, &cap, f)) >= 0) {
		while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			buf[--len] = '\0';
		if (len == 0)
			continue;
		*lines = dk_xrealloc(*lines, (*n + 1) * sizeof **lines);
		(*lines)[(*n)++] = dk_xstrdup(buf);
	}
	free(buf);
	if (f != stdin)
		fclose(f);
	return 0;
}

/* The anchor checks of --trust/--anchors, after the chain itself passed.
 * Returns EXIT_OK or EXIT_FAIL (having said why). */
static int verify_anchors(store *s, const char *path, anchor_key *keys,
			  size_t nkeys, char **lines, size_t nlines)
{
	dk_error err = {{0}};
	anchor_report rep;
	if (anchor_verify(s, keys, nkeys, (const char *const *)lines, nlines,
			  &rep, &err)) {
		cli_eprintf("docket: %s: anchors: %s\n", path, rep.problem[0]
				? rep.problem : err.msg);
		return EXIT_FAIL;
	}
	if (rep.anchors == 0)
		cli_printf("anchors: none\n");
	else
		cli_printf("anchors: %" PRId64 " signed%s, the latest at entry %" PRId64
		       " with %" PRId64 " entries after it; %" PRId64
		       " kept lines found\n", rep.anchors,
		       nkeys ? " by trusted keys" : " (no --trust: signatures only)",
		       rep.latest_seq, rep.after_latest, rep.lines);
	return EXIT_OK;
}

static int verify_store(const char *path, const char *expect, anchor_key *keys,
			size_t nkeys, char **lines, size_t nlines);

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"expect-head", required_argument, NULL, 'e'},
		{"trust", required_argument, NULL, 't'},
		{"anchors", required_argument, NULL, 'A'},
		{NULL, 0, NULL, 0}};
	const char *expect = NULL, *anchors = NULL;
	anchor_key *keys = NULL;
	size_t nkeys = 0, nlines = 0;
	char **lines = NULL;
	dk_error err = {{0}};
	int c, rc = EXIT_OK;
	optind = 1;
	while (rc == EXIT_OK &&
	       (c = getopt_long(argc, argv, "he:t:A:", opts, NULL)) != -1) {
		switch (c) {
		case 'h': rc = cli_help(verify_usage); goto done;
		case 'e': expect = optarg; break;
		case 't':
			keys = dk_xrealloc(keys, (nkeys + 1) * sizeof *keys);
			if (anchor_key_read_public(optarg, &keys[nkeys++], &err))
				rc = cli_fail(err.msg);
			break;
		case 'A': anchors = optarg; break;
		default: rc = cli_usage_error("verify", "unknown option"); break;
		}
	}
	if (rc != EXIT_OK)
		goto done;
	if (argc - optind != 1) {
		rc = cli_usage_error("verify", "expected one STORE path");
		goto done;
	}
	if (anchors && verify_read_lines(anchors, &lines, &nlines)) {
		cli_eprintf("docket: %s: cannot read: %s\n", anchors,
			strerror(errno));
		rc = EXIT_FAIL;
		goto done;
	}
	rc = verify_store(argv[optind], expect, keys, nkeys, lines, nlines);
done:
	for (size_t i = 0; i < nlines; i++)
		free(lines[i]);
	free(lines);
	free(keys);
	return rc;
}

static int verify_store(const char *path, const char *expect, anchor_key *keys,
			size_t nkeys, char **lines, size_t nlines)
{
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
	/* Remember it (verifymark.c), so the supervisor's Audit tab can
	 * check only what is appended after this head. */
	if (rep.head_seq > 0 &&
	    verifymark_record(s, rep.head_seq, rep.head_hash, 1, &err) != DK_OK)
		cli_eprintf("docket: %s: the chain is intact, but recording "
			    "that failed: %s\n", path, err.msg);
	/* What the entries say happened against what the store holds:
	 * roles, policies, watermarks, batches and times (replay.c), then
	 * each case's decisions (queue.c), then the signed anchors. */
	replay_report rr;
	int bad = 0;
	if (replay_verify(s, &rr, &err)) {
		if (rr.bad_seq)
			cli_eprintf("docket: %s: replay of the log fails at entry "
				    "%" PRId64 ": %s\n",
				    path, rr.bad_seq, rr.problem);
		else
			cli_eprintf("docket: %s: the store disagrees with the log: "
				    "%s\n",
				    path, err.msg);
		bad = 1;
	} else {
		cli_printf("replay: %" PRId64 " entries replayed: roles, policies, "
			   "reason codes, watermarks and times agree\n", rr.entries);
		if (rr.legacy_entries)
			cli_printf("replay: entries 1 to %" PRId64 " were written by an "
				   "older docket, before the replay: their hashes are "
				   "checked, who wrote them is not\n",
				   rr.legacy_entries);
		cli_printf("cases: %" PRId64 " rows, %" PRId64 " batches match their "
			   "import entries%s\n",
			   rr.cases, rr.batches,
			   rr.unrouted ? "" : ", routing agrees with the policies");
		if (rr.legacy_batches)
			cli_printf("cases: %" PRId64 " batches imported before import "
				   "entries existed: their rows are not covered (only "
				   "counted)\n",
				   rr.legacy_batches);
		if (rr.masked_batches)
			cli_printf("cases: %" PRId64 " batches hold personal values "
				   "only supervisors may read: their rows are counted; "
				   "a supervisor's verify checks them\n",
				   rr.masked_batches);
		if (rr.gold_batches)
			cli_printf("cases: %" PRId64 " batches hold gold checks "
				   "only supervisors may read: their rows are counted; "
				   "a supervisor's verify checks them\n",
				   rr.gold_batches);
		if (rr.unrouted)
			cli_printf("cases: the routing of %" PRId64 " cases needs the "
				   "models' audit salt, which only supervisors may "
				   "read: it is not checked; a supervisor's verify "
				   "checks it\n",
				   rr.unrouted);
	}
	int64_t checked = 0;
	if (!bad && queue_check_states(s, &checked, &err)) {
		cli_eprintf("docket: %s: case states disagree with the log: %s\n",
			    path, err.msg);
		bad = 1;
	} else if (!bad) {
		cli_printf("cases: %" PRId64 " with decisions, states agree with the log\n",
			   checked);
	}
	if (verify_anchors(s, path, keys, nkeys, lines, nlines))
		bad = 1;
	rc = bad ? EXIT_FAIL : EXIT_OK;
	cli_printf("%" PRId64 ":%s\n", rep.head_seq, rep.head_hash);
	store_close(s);
	return rc;
}
