/* import.h: loading prediction files (CSV, JSON Lines) into the store as
 * one batch in one transaction, routing each case as it goes. */
#ifndef DOCKET_IMPORT_H
#define DOCKET_IMPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "docket/store.h"
#include "docket/util.h"

/* Tolerances (documented in README, "Importing predictions"). */
#define IMPORT_SUM_TOLERANCE 1e-3  /* |sum of p: - 1| */
#define IMPORT_CONF_TOLERANCE 1e-3 /* |confidence - p:PREDICTION| */

enum import_format {
	IMPORT_AUTO = 0, /* from the file name: .csv, .jsonl or .ndjson */
	IMPORT_CSV,
	IMPORT_JSONL,
};

typedef struct import_opts {
	const char *model;    /* model name (required) */
	const char *version;  /* model version for the batch; NULL or "" */
	double threshold;     /* a new model's threshold; < 0: the default
	                       * policy's. An existing model must match. */
	int force;            /* import even when this file was imported before */
	enum import_format format;
	int dry_run;          /* validate everything, then roll back */
	size_t read_size;     /* bytes per read of the input; 0: 256 KiB (tests
	                       * and fuzz/ use small ones, so that lines and
	                       * records straddle reads) */
	int cache_kib;        /* SQLite's page cache for the import (KiB);
	                       * 0: 24 MiB (tests use a small one) */
} import_opts;

typedef struct import_result {
	int64_t batch_id;
	int64_t rows;
	int64_t routed;       /* cases queued for review */
	char sha256[65];      /* of the file's bytes, lowercase hex */
	enum import_format format;
	int located;          /* the error is "FILE:LINE:COLUMN: ..." about the input */
} import_result;

/* The format a file name implies, or IMPORT_AUTO when the extension is none
 * of .csv, .jsonl, .ndjson (case-insensitive). */
enum import_format import_format_from_name(const char *name);

/* "csv" or "jsonl". */
const char *import_format_name(enum import_format f);

/* Import the file at path (named path in messages and in the batch's
 * lineage). Everything happens in one write transaction: on failure
 * nothing is left in the store. Returns DK_OK and fills *res, or DK_ERR with
 * the message in err (res->located says whether it has the form
 * "FILE:LINE:COLUMN: what is wrong"). */
int import_file(store *s, const char *path, const import_opts *o,
		import_result *res, dk_error *err);

/* The same from an open stream, named name (format: o->format, or from
 * name). Does not close in. */
int import_stream(store *s, FILE *in, const char *name, const import_opts *o,
		  import_result *res, dk_error *err);

/* JSON helpers for messages (import_json.c), on text SQLite's json_valid
 * rejected or accepted:
 * import_json_error: the 0-based byte offset of the first RFC 8259 syntax
 * error in s[0..n), or n when there is none; *what gets a static text. */
size_t import_json_error(const char *s, size_t n, const char **what);

/* The 0-based byte offsets of the key and the value of member idx (0-based,
 * in text order) of the top-level object in s[0..n). Returns 0, or 1 when s
 * is not an object with that many members. */
int import_json_member(const char *s, size_t n, size_t idx, size_t *key_off,
		       size_t *val_off);

/* A member of a JSON object as written: offsets and lengths in bytes. */
typedef struct import_json_span {
	size_t idx;              /* 0-based, in text order */
	size_t key_off, key_len; /* the key with its quotes */
	size_t val_off, val_len; /* the value (a string with its quotes) */
	int key_ok, val_ok;      /* key, value scanned as valid JSON (else
	                          * the length runs to the end of the text) */
	int in_key;              /* import_json_locate: the byte is in the key */
} import_json_span;

/* Member idx of the top-level object in s[0..n), with a value that scans.
 * Returns 0 and fills *m, or 1. */
int import_json_span_of(const char *s, size_t n, size_t idx, import_json_span *m);

/* The member of the top-level object in s[0..n) whose key or value holds
 * byte off (where a member does not scan, everything from its start on is
 * its own). Returns 0 and fills *m, or 1 when off is in no member: outside
 * the object, between members, or s is not an object. */
int import_json_locate(const char *s, size_t n, size_t off, import_json_span *m);

/* Append the text of a JSON string's contents s[0..n) (between its
 * quotes) to out, escapes decoded (a lone surrogate as U+FFFD, a broken
 * escape as written). */
void import_json_unquote(const char *s, size_t n, sbuf *out);

/* The 0-based offset of the first \u0000 escape inside a string of the JSON
 * text s[0..n), or n. (SQLite would cut the string there.) */
size_t import_json_nul_escape(const char *s, size_t n);

#endif
