/* casejson.h: a case's context, attributions or probabilities as the store
 * holds them (a JSON object, a JSON array of the values in the order of
 * its batch's key list, or such a list of numbers packed) back into the
 * object text the case was imported with. Every reader of those columns
 * goes through casejson_expand or casejson_iter. */
#ifndef DOCKET_CASEJSON_H
#define DOCKET_CASEJSON_H

#include <stddef.h>

#include "docket/db.h"
#include "docket/util.h"

/* A batch's key list for one column (batches.ctx_keys, attr_keys,
 * prob_keys): a JSON array of strings. Zero-initialise; free with
 * casejson_keys_free. */
typedef struct casejson_keys {
	char *text;  /* the list as stored; owned; NULL: the batch has none */
	size_t len;
	size_t n;    /* keys */
	size_t *off; /* key i is the JSON string text (quotes included) */
	size_t *klen; /*   text[off[i] .. off[i] + klen[i]) */
	size_t cap;
} casejson_keys;

/* Make k the key list in t (n bytes; t NULL: no list). Parses only when t
 * differs from the list k holds, so a reader may call it for every row.
 * Returns DK_OK, or DK_ERR (k then holds no list) when t is not a JSON
 * array of strings. */
int casejson_keys_set(casejson_keys *k, const char *t, size_t n);
void casejson_keys_free(casejson_keys *k);

/* A walk over the (key, value) pairs of a stored value in the array form,
 * in its batch's key order: the one decoder of that form, used by
 * casejson_expand and by readers that take the pairs one by one (the
 * export). Set up with casejson_iter_start; the iterator borrows k and v. */
#define CASEJSON_NUM_MAX 48 /* the longest number the packed form holds */
typedef struct casejson_iter {
	const casejson_keys *k;
	const char *v;
	size_t n;
	size_t at;    /* the next value starts at v[at] (packed: code at) */
	size_t count; /* values taken so far */
	int state;    /* CJ_* in casejson.c */
	int packed;   /* v is in the packed form (casejson_pack) */
	char num[CASEJSON_NUM_MAX]; /* packed: the value's text */
	char *dec;    /* casejson_iter_keep's buffer, or NULL */
	size_t dlen, dcap;
} casejson_iter;

/* One pair: key is the key's JSON string text, quotes included (klen
 * bytes); val the value's JSON text as imported (vlen bytes). Both point
 * into the key list and the stored value. */
typedef struct casejson_pair {
	const char *key;
	size_t klen;
	const char *val;
	size_t vlen;
} casejson_pair;

/* Walk stored value v (n bytes, the array form: casejson_is_array) with
 * the key list k. */
void casejson_iter_start(casejson_iter *it, const casejson_keys *k, const char *v,
			 size_t n);

/* Keep every value of the walk readable until the walk ends: a packed
 * value is decoded into dec (cap bytes; 2 * n are enough for a stored
 * value of n bytes), not into the iterator, where the next overwrites it. */
void casejson_iter_keep(casejson_iter *it, char *dec, size_t cap);

/* The next pair into *p: 1; 0 after the last pair, when the values matched
 * the keys one for one; -1 when v is malformed, has another count of
 * values than k has keys, or k holds no list: casejson_iter_error then
 * says which. */
int casejson_iter_next(casejson_iter *it, casejson_pair *p);

/* The error of a walk that returned -1, as casejson_expand words it
 * (case_id and what name the case and the column). Returns DK_ERR. */
int casejson_iter_error(const casejson_iter *it, const char *case_id,
			const char *what, dk_error *err);

/* The object text of stored value v (n bytes) into out (reset first): an
 * object is copied as it is; an array gets the keys of k, in order, byte
 * for byte as the importer wrote the object. Returns DK_OK; DK_EMPTY when
 * v is NULL (out empty); DK_ERR when v is an array that is malformed or
 * whose length is not k's (err: "case ID: its WHAT in the store ...").
 * case_id and what only name the case in the message. */
int casejson_expand(const casejson_keys *k, const char *v, size_t n, sbuf *out,
		    const char *case_id, const char *what, dk_error *err);

/* Each value of stored value v (n bytes; any form: an object as the
 * importer or a database wrote it, the array or packed form with key list
 * k) in order: fn(arg, text, len) with its JSON text, which lasts only
 * for the call. Returns DK_OK; -1 when v is malformed (fn may have had
 * some values). v NULL: no values. */
typedef void casejson_value_fn(void *arg, const char *text, size_t len);
int casejson_values(const casejson_keys *k, const char *v, size_t n,
		    casejson_value_fn *fn, void *arg);

/* The packed form of array v (n bytes; the array form of a list of JSON
 * numbers, as the importer writes it) into out (reset first): half its
 * size, decoded by casejson_iter to the same text. SQLite stores the
 * probabilities and attributions this way (schema 8), as BLOBs (schema 9:
 * its bytes are not UTF-8; bind with casejson_bind). Returns DK_OK, or
 * DK_ERR when v is not a non-empty list of numbers of at most
 * CASEJSON_NUM_MAX characters (then store v itself). */
int casejson_pack(sbuf *out, const char *v, size_t n);

/* 1 when stored value v (n bytes) is in the array form or the packed form
 * (values in the order of the batch's key list). */
int casejson_is_array(const char *v, size_t n);

/* 1 when stored value v (n bytes) is in the packed form. */
int casejson_is_packed(const char *v, size_t n);

/* Bind stored value v (n bytes; NULL: SQL NULL) to parameter i of st: the
 * packed form as a blob, every other form as text, so that no TEXT value
 * in the store is anything but UTF-8. copy as db_bind_text's. */
int casejson_bind(db_stmt *st, int i, const char *v, size_t n, int copy);

#endif
