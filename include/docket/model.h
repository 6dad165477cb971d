/* model.h: models: finding and creating them, their label sets and their
 * current routing policy (the JSON text; policy.c interprets it). */
#ifndef DOCKET_MODEL_H
#define DOCKET_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "docket/store.h"
#include "docket/util.h"

/* Most labels a model may have: a file without p: columns whose predictions
 * are free text (ids by mistake, say) is refused before it bloats the set. */
#define MODEL_MAX_LABELS 1000

/* A label set in order of first appearance. Zero-initialise. */
typedef struct model_labels {
	char **v;     /* NUL-terminated labels, owned */
	size_t *len;  /* their lengths */
	size_t n, cap;
} model_labels;

typedef struct model {
	int64_t id;
	char *name;          /* owned */
	char *audit_salt;    /* owned; NULL until model_read_salt */
	int64_t policy_version;
	char *policy;        /* JSON of policies(id, policy_version), owned */
	model_labels labels;
	size_t saved_labels; /* labels.n as stored in models.labels */
} model;

/* Look up the model called name. Returns DK_OK and fills *m (free with
 * model_free) but for its audit salt, DK_EMPTY when there is none, DK_ERR
 * on a store error. */
int model_find(store *s, const char *name, model *m, dk_error *err);

/* Read m's audit salt (m->audit_salt), for routing: on PostgreSQL only
 * supervisors may (the salt tells an audit sample from a gold check, which
 * reviewers are not told), so a reviewer's path never asks for it. */
int model_read_salt(store *s, model *m, dk_error *err);

/* Create the model called name with policy version 1 = policy_json, a fresh
 * random audit salt and an empty label set, inside the caller's write
 * transaction. Fills *m as model_find does. */
int model_create(store *s, const char *name, const char *policy_json, model *m,
		 dk_error *err);

/* Write m->labels to models.labels when labels were added since it was read
 * (call inside the caller's write transaction). */
int model_save_labels(store *s, model *m, dk_error *err);

/* Free what m owns (not m itself). Safe on a zeroed model. */
void model_free(model *m);

/* Index of the label s[0..n) in l, or -1. */
int model_label_index(const model_labels *l, const char *s, size_t n);

/* Add s[0..n) unless present; returns its index, or -1 when the set already
 * holds MODEL_MAX_LABELS labels. */
int model_label_add(model_labels *l, const char *s, size_t n);

/* Append l as a JSON array to out. */
void model_labels_json(const model_labels *l, sbuf *out);

void model_labels_free(model_labels *l);

#endif
