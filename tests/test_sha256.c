/* test_sha256.c: docket's SHA-256 against the standard's examples and
 * against libsodium's, with the CPU's SHA instructions and without. */
#include "fixture.h"

#include <sodium.h>

#include "docket/sha256.h"

static void hex(const unsigned char *h, char *out)
{
	sodium_bin2hex(out, 65, h, DK_SHA256_BYTES);
}

static void digest(const void *p, size_t n, char *out)
{
	dk_sha256 s;
	unsigned char h[DK_SHA256_BYTES];
	dk_sha256_init(&s);
	dk_sha256_update(&s, p, n);
	dk_sha256_final(&s, h);
	hex(h, out);
}

/* FIPS 180-4 examples (NIST's "abc" and two-block messages, empty). */
static void check_vectors(void)
{
	char out[65];
	digest("", 0, out);
	assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	digest("abc", 3, out);
	assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	digest(two, strlen(two), out);
	assert_string_equal(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* Every length from 0 to 300 (each padding case: 55, 56, 63, 64 bytes in
 * the last block), fed whole and in uneven pieces, equals libsodium's. */
static void check_against_sodium(void)
{
	unsigned char data[1000];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 131 + (i >> 3));
	for (size_t n = 0; n <= 300; n++) {
		unsigned char want[DK_SHA256_BYTES], got[DK_SHA256_BYTES];
		crypto_hash_sha256(want, data, n);
		for (size_t piece = 1; piece <= 70; piece += 23) {
			dk_sha256 s;
			dk_sha256_init(&s);
			for (size_t off = 0; off < n; off += piece)
				dk_sha256_update(&s, data + off, n - off < piece ? n - off : piece);
			dk_sha256_final(&s, got);
			assert_memory_equal(got, want, sizeof want);
		}
	}
	/* a long input mostly in whole blocks, odd-sized pieces around them */
	unsigned char want[DK_SHA256_BYTES], got[DK_SHA256_BYTES];
	crypto_hash_sha256(want, data, sizeof data);
	dk_sha256 s;
	dk_sha256_init(&s);
	dk_sha256_update(&s, data, 7);
	dk_sha256_update(&s, data + 7, 900);
	dk_sha256_update(&s, data + 907, sizeof data - 907);
	dk_sha256_final(&s, got);
	assert_memory_equal(got, want, sizeof want);
}

static void dk_sha256__fast_path__equals_standard_and_sodium(void **state)
{
	(void)state;
	/* where the kernel lists the SHA extensions, they are used */
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];
	int listed = 0;
	while (f && fgets(line, sizeof line, f))
		listed |= strstr(line, " sha_ni") != NULL;
	if (f)
		fclose(f);
	int fast = dk_sha256_portable(0);
	if (listed)
		assert_int_equal(fast, 1);
	check_vectors();
	check_against_sodium();
}

static void dk_sha256__portable_path__equals_standard_and_sodium(void **state)
{
	(void)state;
	assert_int_equal(dk_sha256_portable(1), 0);
	check_vectors();
	check_against_sodium();
	dk_sha256_portable(0);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dk_sha256__fast_path__equals_standard_and_sodium),
		cmocka_unit_test(dk_sha256__portable_path__equals_standard_and_sodium),
	};
	return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
