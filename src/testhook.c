/* testhook.c: environment switches for tests, compiled in only by the
 * test build (DOCKET_TEST_HOOKS; see testhook.h and the Makefile). */
#include "docket/testhook.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *testhook_env(const char *name)
{
#ifdef DOCKET_TEST_HOOKS
	return getenv(name);
#else
	(void)name;
	return NULL;
#endif
}

int testhook_fault(const char *fault)
{
	const char *list = testhook_env("DOCKET_FAULT");
	size_t n = strlen(fault);
	while (list && *list) {
		const char *end = strchr(list, ',');
		size_t len = end ? (size_t)(end - list) : strlen(list);
		if (len == n && !strncmp(list, fault, n))
			return 1;
		list = end ? end + 1 : NULL;
	}
	return 0;
}

#ifdef DOCKET_TEST_HOOKS
/* DOCKET_RANDOM_SEED: libsodium's random bytes from a ChaCha20 stream
 * keyed by the seed, so two runs on the same input and clock (say, on the
 * two engines) make the same salts, store id and hashes. */
static unsigned char hook_key[crypto_stream_chacha20_KEYBYTES];
static uint64_t hook_block;

static const char *hook_rng_name(void)
{
	return "docket-test-seed";
}

static void hook_rng_buf(void *const buf, const size_t size)
{
	unsigned char nonce[crypto_stream_chacha20_NONCEBYTES] = {0};
	memcpy(nonce, &hook_block, sizeof hook_block < sizeof nonce ? sizeof hook_block
								  : sizeof nonce);
	hook_block++;
	crypto_stream_chacha20(buf, size, nonce, hook_key);
}

static uint32_t hook_rng_random(void)
{
	uint32_t v;
	hook_rng_buf(&v, sizeof v);
	return v;
}

static randombytes_implementation hook_rng = {
	.implementation_name = hook_rng_name,
	.random = hook_rng_random,
	.buf = hook_rng_buf,
};
#endif

void testhook_init(void)
{
#ifdef DOCKET_TEST_HOOKS
	const char *seed = getenv("DOCKET_RANDOM_SEED");
	if (!seed || !*seed)
		return;
	crypto_hash_sha256(hook_key, (const unsigned char *)seed, strlen(seed));
	randombytes_set_implementation(&hook_rng);
#endif
}
