/* csvread.h: a streaming RFC 4180 CSV reader on libcsv that hands over whole
 * records with the line each starts on; memory is bounded by the longest
 * record, never by the file. */
#ifndef DOCKET_CSVREAD_H
#define DOCKET_CSVREAD_H

#include <stddef.h>
#include <stdint.h>

/* Longest field and longest record accepted (bytes). Past this the reader
 * stops with an error instead of growing without bound. */
#define CSVREAD_MAX_RECORD (16u << 20)

/* One field of a record: bytes and length (may contain NUL bytes; always
 * followed by a NUL terminator that is not part of len). */
typedef struct csvread_field {
	const char *p;
	size_t len;
} csvread_field;

/* Called once per record. fields are valid only during the call. line is
 * the 1-based line on which the record starts. Return 0 to go on, nonzero to
 * stop reading (csvread_feed/finish then return that value). */
typedef int csvread_record_fn(void *ctx, const csvread_field *fields,
			      size_t nfields, int64_t line);

typedef struct csvread csvread;

/* A reader calling fn(ctx, ...) for each record. Free with csvread_free. */
csvread *csvread_new(csvread_record_fn *fn, void *ctx);
void csvread_free(csvread *r);

/* Feed the next len bytes of the file (any split; a leading UTF-8 BOM at the
 * very start is skipped). Returns 0; a nonzero value returned by the record
 * function; or -1 on a syntax error, described by csvread_error. */
int csvread_feed(csvread *r, const char *buf, size_t len);

/* End of input: delivers a last record without a line end, and reports an
 * unterminated quoted field. Returns as csvread_feed. */
int csvread_finish(csvread *r);

/* After -1: what is wrong (static text), the line of the record and the
 * 1-based number of the field where it is. */
const char *csvread_error(const csvread *r, int64_t *line, size_t *field);

/* Lines seen so far (a last line without a line end counts). */
int64_t csvread_lines(const csvread *r);

/* Records delivered so far. */
int64_t csvread_records(const csvread *r);

#endif
