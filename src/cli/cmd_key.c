/* cmd_key.c: `docket key init|show`: a supervisor's Ed25519 signing key for
 * anchors, kept in their own config directory, never in a store. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "docket/anchor.h"

static const char key_usage[] =
	"Usage: docket key init [--key FILE] [--force]\n"
	"       docket key show [--key FILE]\n"
	"A supervisor's signing key for 'docket anchor'. init makes a new\n"
	"Ed25519 key pair: the secret key goes to FILE (default\n"
	"$XDG_CONFIG_HOME/docket/anchor.key, else ~/.config/docket/anchor.key),\n"
	"mode 0600, and never into a store; the public key goes beside it as\n"
	"anchor.pub and is printed. Keep a copy of the public key where the\n"
	"people who check the store can read it, and give it to\n"
	"'docket verify --trust'. show prints the public key again.\n"
	"  --key FILE  the secret key file\n"
	"  --force     replace an existing key (anchors it signed stay valid\n"
	"              only for verifiers that still trust the old public key)\n";

/* FILE.pub for a secret key file FILE (anchor.key -> anchor.pub). */
static void key_pub_path(const char *secret, char *buf, size_t len)
{
	size_t n = strlen(secret);
	if (n > 4 && !strcmp(secret + n - 4, ".key"))
		snprintf(buf, len, "%.*s.pub", (int)(n - 4), secret);
	else
		snprintf(buf, len, "%s.pub", secret);
}

int cmd_key(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"key", required_argument, NULL, 'k'},
		{"force", no_argument, NULL, 'f'},
		{NULL, 0, NULL, 0}};
	const char *path = NULL;
	int force = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hk:f", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(key_usage);
		case 'k': path = optarg; break;
		case 'f': force = 1; break;
		default: return cli_usage_error("key", "unknown option");
		}
	}
	if (argc - optind != 1 || (strcmp(argv[optind], "init") &&
				   strcmp(argv[optind], "show")))
		return cli_usage_error("key", "expected init or show");
	int init = !strcmp(argv[optind], "init");
	if (!init && force)
		return cli_usage_error("key", "--force is for init");
	char def[4096], pub[4200];
	if (!path && !(path = anchor_key_default_path(def, sizeof def, 1)))
		return cli_fail("neither XDG_CONFIG_HOME nor HOME is set: name "
				"the key file with --key");
	key_pub_path(path, pub, sizeof pub);
	dk_error err = {{0}};
	anchor_key k;
	if (init) {
		anchor_key_generate(&k);
		int rc = anchor_key_write(&k, path, pub, dk_login_name(), force, &err);
		sodium_memzero(&k, sizeof k);
		if (rc)
			return cli_fail(err.msg);
		anchor_key_read_public(pub, &k, &err);
		cli_eprintf("secret key: %s (keep it private)\n"
				"public key: %s\n", path, pub);
	} else if (anchor_key_read_secret(path, &k, &err)) {
		return cli_fail(err.msg);
	}
	sbuf line = {0};
	anchor_key_format_public(&k, dk_login_name(), &line);
	sodium_memzero(&k, sizeof k);
	cli_printf("%s\n", sbuf_str(&line));
	sbuf_free(&line);
	return EXIT_OK;
}
