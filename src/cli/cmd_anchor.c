/* cmd_anchor.c: `docket anchor STORE`: a supervisor signs the audit chain's
 * head; the signature goes into the chain and one line goes to stdout, to
 * be kept outside the store. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>

#include "cli.h"
#include "docket/anchor.h"

static const char anchor_usage[] =
	"Usage: docket anchor STORE [--key FILE] [--as NAME]\n"
	"Sign the audit chain's head (the store's id, the head's seq and hash,\n"
	"the time, your name) with your key from 'docket key init', and append\n"
	"the signature to the chain as an 'anchor' entry (supervisors only).\n"
	"Prints one line to keep somewhere the store's users cannot write (cron\n"
	"can mail it): 'docket verify --trust PUBKEY --anchors FILE' then fails\n"
	"if the log before an anchor was rewritten, or an anchor in FILE was\n"
	"cut from the log.\n"
	"  --key FILE  the secret key (default: the one 'docket key init' made)\n"
	"  --as NAME   the supervisor signing (default: your login name)\n";

int cmd_anchor(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"key", required_argument, NULL, 'k'},
		{"as", required_argument, NULL, 'a'},
		{NULL, 0, NULL, 0}};
	const char *path = NULL, *as = dk_login_name();
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hk:a:", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(anchor_usage);
		case 'k': path = optarg; break;
		case 'a': as = optarg; break;
		default: return cli_usage_error("anchor", "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("anchor", "expected one STORE path");
	char def[4096];
	if (!path && !(path = anchor_key_default_path(def, sizeof def, 1)))
		return cli_fail("neither XDG_CONFIG_HOME nor HOME is set: name "
				"the key file with --key");
	dk_error err = {{0}};
	anchor_key k;
	if (anchor_key_read_secret(path, &k, &err)) {
		cli_eprintf("docket anchor: %s (make a key with 'docket key "
				"init')\n", err.msg);
		return EXIT_FAIL;
	}
	store *s = cli_open_store(argv[optind], 0);
	if (!s) {
		sodium_memzero(&k, sizeof k);
		return EXIT_FAIL;
	}
	int rc = cli_act_as(s, "--as", &as);
	if (!rc)
		rc = cli_require_supervisor(s, "anchor", as);
	sbuf line = {0};
	int64_t seq = 0;
	if (!rc && anchor_sign_head(s, &k, as, &line, &seq, &err))
		rc = cli_fail(err.msg);
	sodium_memzero(&k, sizeof k);
	if (!rc) {
		cli_eprintf("anchored the head as entry %" PRId64 "\n", seq);
		cli_printf("%s\n", sbuf_str(&line));
	}
	sbuf_free(&line);
	store_close(s);
	return rc;
}
