/* casejson.h: a case's context, attributions or probabilities as the store
 * holds them (a JSON object, or a JSON array of the values in the order of
 * its batch's key list) back into the object text the case was imported
 * with. Every reader of those columns goes through casejson_expand. */
#ifndef DOCKET_CASEJSON_H
#define DOCKET_CASEJSON_H

#include <stddef.h>

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
typedef struct casejson_iter {
	const casejson_keys *k;
	const char *v;
	size_t n;
	size_t at;    /* the next value starts at v[at] */
	size_t count; /* values taken so far */
	int state;    /* CJ_* in casejson.c */
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

/* The margin and entropy of a case from its stored probabilities v (n
 * bytes, either form; k its batch's probability key list), as the import
 * computed them to route it (policy_features over the values in order).
 * A store of schema 8 keeps them only there; readers call this when both
 * columns are NULL (a stored one, of an older store, is read as before). v NULL: both NaN, and 0 returned (no features);
 * 1 when v holds probabilities; -1 when v is malformed (both NaN). */
int casejson_features(const casejson_keys *k, const char *v, size_t n,
		      double *margin, double *entropy);

/* 1 when stored value v (n bytes) is in the array form. */
int casejson_is_array(const char *v, size_t n);

#endif
