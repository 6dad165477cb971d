/* testhook.h: switches that only the test build of docket honours.
 *
 * src/testhook.c is compiled twice: into the core library without
 * DOCKET_TEST_HOOKS (every hook is off: what `make` and `make install`
 * produce), and with it into the test binary build/test/docket that the
 * shell tests run. So DOCKET_NOW and DOCKET_FAULT can never steer an
 * installed docket. */
#ifndef DOCKET_TESTHOOK_H
#define DOCKET_TESTHOOK_H

/* The value of environment variable name in a test build, else NULL. */
const char *testhook_env(const char *name);

/* 1 when DOCKET_FAULT (comma-separated) names fault in a test build. */
int testhook_fault(const char *fault);

/* Call first thing in main: in a test build with DOCKET_RANDOM_SEED set,
 * random bytes (salts, ids) come from a stream seeded by it. */
void testhook_init(void);

#endif
