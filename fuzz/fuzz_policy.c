/* fuzz_policy.c: libFuzzer target for the stored policy JSON parser: any
 * text is refused with a message or parses to a policy that, written back
 * with policy_to_json, parses again to the same JSON (nothing lost or
 * invented); policy_check and policy_route run on what parsed.
 * Build and run: make fuzz && build-fuzz/fuzz_policy -max_total_time=60 fuzz/corpus/policy */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "docket/policy.h"
#include "docket/store.h"

static store *fuzz_store;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dk_error err = {{0}};
	if (!fuzz_store) {
		char dir[] = "/tmp/docket-fuzz-XXXXXX", path[64];
		if (!mkdtemp(dir))
			abort();
		snprintf(path, sizeof path, "%s/s.db", dir);
		if (store_open(&fuzz_store, path, STORE_CREATE, &err))
			abort();
	}
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	policy p;
	memset(&p, 0xa5, sizeof p); /* parse must set what it reports */
	if (policy_from_json(fuzz_store, text, &p, &err) == DK_OK) {
		sbuf a = {0}, b = {0};
		policy_to_json(&p, &a);
		policy q;
		if (policy_from_json(fuzz_store, a.buf, &q, &err) != DK_OK) {
			fprintf(stderr, "written policy does not parse: %s\n%s\n",
				a.buf, err.msg);
			abort();
		}
		policy_to_json(&q, &b);
		if (strcmp(a.buf, b.buf)) {
			fprintf(stderr, "round trip differs:\n%s\n%s\n", a.buf, b.buf);
			abort();
		}
		if (policy_check(&p, &err) == DK_OK) {
			policy_decision d;
			policy_route(&p, "salt", "id-1", "good", 0.7, 0.4, 0.6, NULL, &d);
			if (!d.state)
				abort();
		}
		sbuf_free(&a);
		sbuf_free(&b);
	} else if (!err.msg[0]) {
		abort(); /* a refusal says why */
	}
	free(text);
	return 0;
}
