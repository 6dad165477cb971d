/* clock.h: the one source of "now", settable by tests through DOCKET_NOW
 * (honoured by the test build only: testhook.h). */
#ifndef DOCKET_CLOCK_H
#define DOCKET_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Milliseconds since the Unix epoch. In the test build (testhook.h), when
 * the environment variable DOCKET_NOW is set (epoch seconds, or ISO 8601 like 2026-01-02T03:04:05Z), that instant
 * is returned instead, so tests and screens are repeatable. */
int64_t clock_now_ms(void);

/* Set (ms >= 0) or clear (ms < 0) an in-process override; used by unit tests. */
void clock_set_ms(int64_t ms);

/* Format ms as ISO 8601 UTC with second precision ("2026-01-02T03:04:05Z")
 * into buf (at least 32 bytes). Returns buf. */
char *clock_format_iso(int64_t ms, char *buf, size_t len);

/* Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS][Z]" (UTC) or plain epoch seconds.
 * Returns 0 and sets *ms on success, 1 on malformed text. */
int clock_parse(const char *text, int64_t *ms);

#endif
