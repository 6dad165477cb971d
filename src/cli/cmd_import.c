/* cmd_import.c: `docket import STORE FILE --model NAME[@VERSION]`: one
 * prediction file into the store as one batch, routed as it loads. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "docket/import.h"

static const char import_usage[] =
	"Usage: docket import STORE FILE --model NAME[@VERSION] [--threshold X]\n"
	"       [--format csv|jsonl] [--force]\n"
	"Load a prediction file (CSV or JSON Lines, columns named as in the\n"
	"README) into STORE, creating the store if it does not exist. The whole\n"
	"file is one transaction: on any error nothing is stored, and the error\n"
	"is printed as FILE:LINE:COLUMN: what is wrong. Cases whose confidence is\n"
	"below the model's threshold, and gold cases, are routed to review.\n"
	"  --model NAME[@VERSION]  the model that made the predictions (created\n"
	"                          on first import); VERSION is recorded with\n"
	"                          the batch\n"
	"  --threshold X           routing threshold in [0,1] for a new model\n"
	"                          (default 0.8); an existing model keeps its\n"
	"                          policy ('docket policy' changes it)\n"
	"  --format csv|jsonl      the file's format (default: from its name:\n"
	"                          .csv, .jsonl or .ndjson)\n"
	"  --force                 import a file whose SHA-256 matches an\n"
	"                          earlier batch\n";

/* Remove a store this command created, so a failed import leaves no file. */
static void import_remove_store(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char p[4096];
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"model", required_argument, NULL, 'm'},
		{"threshold", required_argument, NULL, 't'},
		{"format", required_argument, NULL, 'f'},
		{"force", no_argument, NULL, 'F'},
		{NULL, 0, NULL, 0}};
	import_opts o;
	memset(&o, 0, sizeof o);
	o.threshold = -1;
	const char *model_arg = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hm:t:f:F", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(import_usage);
		case 'm': model_arg = optarg; break;
		case 't':
			if (dk_parse_double(optarg, strlen(optarg), &o.threshold) ||
			    o.threshold < 0 || o.threshold > 1)
				return cli_usage_error("import",
						       "--threshold wants a number in "
						       "[0,1], not '%s'", optarg);
			break;
		case 'f':
			if (!strcmp(optarg, "csv"))
				o.format = IMPORT_CSV;
			else if (!strcmp(optarg, "jsonl") || !strcmp(optarg, "ndjson"))
				o.format = IMPORT_JSONL;
			else
				return cli_usage_error("import",
						       "--format is csv or jsonl, not '%s'",
						       optarg);
			break;
		case 'F': o.force = 1; break;
		default: return cli_usage_error("import", "unknown option");
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("import", "expected STORE and FILE");
	if (!model_arg)
		return cli_usage_error("import", "--model NAME is required");
	const char *path = argv[optind], *file = argv[optind + 1];
	char *owned = NULL;
	const char *name, *version;
	if (cli_split_model(model_arg, &owned, &name, &version)) {
		free(owned);
		return cli_usage_error("import", "--model needs a name before '@'");
	}
	o.model = name;
	o.version = version;
	if (o.format == IMPORT_AUTO && import_format_from_name(file) == IMPORT_AUTO) {
		free(owned);
		return cli_usage_error("import",
				       "cannot tell the format of '%s' from its name: "
				       "use --format csv or --format jsonl", file);
	}
	/* Open the input first: a missing file must not create a store. */
	FILE *in = fopen(file, "rb");
	if (!in) {
		cli_eprintf("docket: %s: cannot open: %s\n", file, strerror(errno));
		free(owned);
		return EXIT_FAIL;
	}
	struct stat sb;
	int created = stat(path, &sb) != 0;
	store *s = cli_open_store(path, STORE_CREATE);
	if (!s) {
		fclose(in);
		free(owned);
		return EXIT_FAIL;
	}
	import_result res;
	dk_error err = {{0}};
	int rc = import_stream(s, in, file, &o, &res, &err);
	fclose(in);
	store_close(s);
	if (rc) {
		if (res.located)
			cli_eprintf("%s\n", err.msg);
		else
			cli_fail(err.msg);
		if (created)
			import_remove_store(path);
		free(owned);
		return EXIT_FAIL;
	}
	cli_printf("imported %lld case%s from %s into %s%s%s: %lld routed to review "
	       "(batch %lld)\n",
	       (long long)res.rows, res.rows == 1 ? "" : "s", file, name,
	       version[0] ? "@" : "", version, (long long)res.routed,
	       (long long)res.batch_id);
	free(owned);
	return EXIT_OK;
}
