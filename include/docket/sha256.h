/* sha256.h: streaming SHA-256 (FIPS 180-4) for the hot paths that hash
 * hundreds of megabytes: an import's file and row digest, verify's replay
 * of it. Uses the CPU's SHA instructions where it has them (x86-64 SHA-NI:
 * about five times libsodium's portable code), portable C elsewhere. The
 * result is the same SHA-256 either way. */
#ifndef DOCKET_SHA256_H
#define DOCKET_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define DK_SHA256_BYTES 32

typedef struct dk_sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed so far */
	unsigned char buf[64];
	size_t nbuf;  /* bytes waiting in buf */
} dk_sha256;

void dk_sha256_init(dk_sha256 *s);
void dk_sha256_update(dk_sha256 *s, const void *p, size_t n);
void dk_sha256_final(dk_sha256 *s, unsigned char out[DK_SHA256_BYTES]);

/* Tests: 1 forces the portable code even on a CPU with SHA instructions,
 * 0 puts the choice back. Returns 1 if the SHA instructions are in use
 * (after the call). */
int dk_sha256_portable(int force);

#endif
