/* util.h: small shared helpers: error messages, growable strings, JSON escaping. */
#ifndef DOCKET_UTIL_H
#define DOCKET_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Status codes returned by core functions. DK_OK is 0; anything else is a
 * failure whose message is in the caller's dk_error. */
enum dk_status {
	DK_OK = 0,
	DK_ERR = 1,       /* any failure; message in dk_error */
	DK_USAGE = 2,     /* bad arguments from the user */
	DK_EMPTY = 3,     /* nothing to do: empty queue, no such row */
	DK_UNSYNCED = 4,  /* committed, but syncing it to disk failed: the
			   * change stands, and may be lost if the machine
			   * stops before the disk catches up (store_commit) */
};

/* A message for the user, filled by the function that failed. */
typedef struct dk_error {
	char msg[1024];
} dk_error;

/* Set err->msg (printf style). Safe with err == NULL. Returns DK_ERR so a
 * caller can write `return dk_fail(err, ...)`. */
int dk_fail(dk_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A growable NUL-terminated byte string. Zero-initialise; free with sbuf_free. */
typedef struct sbuf {
	char *buf;
	size_t len;
	size_t cap;
} sbuf;

void sbuf_free(sbuf *b);
void sbuf_reset(sbuf *b);                 /* len = 0, keeps memory */
void sbuf_add(sbuf *b, const char *s, size_t n);
void sbuf_adds(sbuf *b, const char *s);
void sbuf_addc(sbuf *b, char c);
void sbuf_printf(sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append s (n bytes, UTF-8) as a JSON string literal with quotes. */
void sbuf_add_json_str(sbuf *b, const char *s, size_t n);
/* Append a double as a JSON number (shortest text that reads back equal). */
void sbuf_add_json_num(sbuf *b, double v);
/* Returns the string (never NULL; "" when empty). Owned by b. */
const char *sbuf_str(const sbuf *b);

/* Allocation that aborts with a message on failure: out of memory is not a
 * condition docket tries to survive. */
void *dk_xmalloc(size_t n);
void *dk_xrealloc(void *p, size_t n);
char *dk_xstrdup(const char *s);

/* The login name of the process's real user (getpwuid(getuid())), never
 * taken from the environment; "uid-N" without a passwd entry. Static.
 * On a PostgreSQL store the name is the database role the connection
 * logged in as instead (dk_login_set, called once it is known). */
const char *dk_login_name(void);

/* Make dk_login_name return name from now on (the session's role on a
 * PostgreSQL store: identity comes from the database there). */
void dk_login_set(const char *name);

/* Line-by-line reading of a text held in memory (config and theme files).
 * Copies the line at *p, without its '\n', into buf (NUL-terminated),
 * advances *p past it and counts it in *lineno. Returns 1 for a line, 0 at
 * the end of the text, -1 when the line does not fit in len - 1 bytes. */
int dk_next_line(const char **p, char *buf, size_t len, int *lineno);

/* 1 if s[0..n) is valid UTF-8 (no overlongs, no surrogates, max U+10FFFF). */
int dk_utf8_valid(const char *s, size_t n);

/* Parse a whole string as a finite double. Returns 0 on success; 1 when the
 * text is not a number, has trailing junk, or is NaN/infinite. */
int dk_parse_double(const char *s, size_t n, double *out);
/* qsort, except that n 0 does nothing: qsort's base must not be NULL even
 * then (UBSan says so), and an empty list often has no array at all. Every
 * sort goes through this. */
void dk_sort(void *base, size_t n, size_t size,
	     int (*cmp)(const void *, const void *));

/* Parse a whole string as a 64-bit integer (decimal, optional sign). */
int dk_parse_int64(const char *s, size_t n, int64_t *out);

/* 1 when a spreadsheet would take the CSV cell s[0..n) for a formula: it
 * starts with '=', '+', '-', '@', TAB or CR (OWASP's list) and is not a
 * plain decimal number such as -0.5 or +1e3. Writers that guard such cells
 * put a single quote (') before them. */
int dk_csv_formula_like(const char *s, size_t n);
/* A set of byte strings numbered in the order they were first added (the
 * duplicate-name checks of import; any name-to-index table). The bytes are
 * copied in and found by offset, so nothing points into memory that grows.
 * Zero-initialise; free with dk_strset_free. Adding and finding take
 * constant time on average (FNV-1a, open addressing). */
typedef struct dk_strset {
	sbuf bytes;          /* every string, each followed by a NUL */
	struct dk_strset_ent *ent;
	size_t n, ent_cap;
	size_t *slots;       /* entry index + 1; 0 = empty; nslots a power of 2 */
	size_t nslots;
} dk_strset;

/* Add s[0..n) unless it is there. Returns its index (0-based, in order of
 * first addition); *added (may be NULL) says whether it was new. */
size_t dk_strset_add(dk_strset *set, const char *s, size_t n, int *added);
/* The index of s[0..n), or (size_t)-1. */
size_t dk_strset_find(const dk_strset *set, const char *s, size_t n);
/* String i (NUL-terminated; *n its length, may be NULL). Valid until the
 * next add, reset or free. */
const char *dk_strset_str(const dk_strset *set, size_t i, size_t *n);
/* Strings in the set. */
size_t dk_strset_count(const dk_strset *set);
/* Empty the set, keeping its memory (time: the strings it held). */
void dk_strset_reset(dk_strset *set);
void dk_strset_free(dk_strset *set);

#endif
