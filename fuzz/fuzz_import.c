/* fuzz_import.c: libFuzzer target for the import readers: the first byte
 * picks CSV or JSON Lines, the rest is the file. Each input is imported in
 * full (validation, JSON building, routing, inserts) into one store and
 * rolled back (dry run), and the JSON position helpers run on it too.
 * Build and run: make fuzz && build-fuzz/fuzz_import -max_total_time=60 fuzz/corpus/import */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "docket/import.h"
#include "docket/store.h"

static store *fuzz_store;

static void fuzz_open(void)
{
	char dir[] = "/tmp/docket-fuzz-XXXXXX";
	char path[64];
	dk_error err = {{0}};
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof path, "%s/s.db", dir);
	if (store_open(&fuzz_store, path, STORE_CREATE, &err) != DK_OK) {
		fprintf(stderr, "%s\n", err.msg);
		abort();
	}
	/* Speed over durability: every import is rolled back anyway. */
	store_set_durable(fuzz_store, 0, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!fuzz_store)
		fuzz_open();
	if (size < 1)
		return 0;
	enum import_format fmt = data[0] & 1 ? IMPORT_JSONL : IMPORT_CSV;
	const char *text = (const char *)data + 1;
	size_t n = size - 1;

	const char *what;
	size_t at = import_json_error(text, n, &what);
	if (at > n || (what == NULL && at != n))
		abort();
	size_t k, v;
	for (size_t i = 0; i < 4; i++)
		if (!import_json_member(text, n, i, &k, &v) && (k >= n || v > n))
			abort();
	if (import_json_nul_escape(text, n) > n)
		abort();

	/* fmemopen wants a nonzero size; an empty file is /dev/null. */
	FILE *in = n ? fmemopen((void *)text, n, "rb") : fopen("/dev/null", "rb");
	if (!in)
		return 0;
	import_opts o;
	memset(&o, 0, sizeof o);
	o.model = "fuzz";
	o.threshold = -1;
	o.format = fmt;
	o.dry_run = 1;
	o.force = 1;
	import_result res;
	dk_error err = {{0}};
	int rc = import_stream(fuzz_store, in, fmt == IMPORT_CSV ? "f.csv" : "f.jsonl",
			       &o, &res, &err);
	fclose(in);
	if (rc == DK_OK && res.rows < 1)
		abort(); /* an import with no rows must be an error */
	if (rc != DK_OK && !err.msg[0])
		abort(); /* every failure says why */
	return 0;
}
