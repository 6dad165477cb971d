/* drift.h: whether a model's inputs and outputs have shifted: one batch
 * against a reference batch (the model's first, or one a supervisor set),
 * per context field and for the model's confidence, predicted labels and
 * routing, as the Population Stability Index, and the same for every batch
 * in turn. Each batch's bins are computed once and kept in the store
 * (drift_bins); a batch never changes, so later runs only read them. */
#ifndef DOCKET_DRIFT_H
#define DOCKET_DRIFT_H

#include <stddef.h>
#include <stdint.h>

#include "docket/store.h"
#include "docket/util.h"

#define ACTION_REFERENCE "reference" /* audit entry: a reference batch set */

#define DRIFT_TOP 10          /* categorical: the reference's top values */
#define DRIFT_MIN_DISTINCT 11 /* numbers with fewer distinct values are
				 categories */
#define DRIFT_SAMPLE 100000   /* reference values kept to cut deciles */
#define DRIFT_MAX_FIELDS 256  /* context fields followed per model */
#define DRIFT_SMOOTH 0.5      /* added to every bin's count before PSI */
#define DRIFT_MODERATE 0.1    /* PSI bands: < 0.1 stable, */
#define DRIFT_SIGNIFICANT 0.2 /* 0.1-0.2 moderate, > 0.2 significant */

/* Field names of the model's outputs (context fields never start with @
 * in the store's drift tables: theirs are stored as is). */
#define DRIFT_CONFIDENCE "@confidence"
#define DRIFT_PREDICTION "@prediction"
#define DRIFT_ROUTED "@routed"
#define DRIFT_REASON "@reason"

enum drift_kind { DRIFT_NUMERIC, DRIFT_CATEGORICAL, DRIFT_NEWFIELD };
enum drift_presence { DRIFT_BOTH, DRIFT_NEW, DRIFT_GONE };

struct drift_bin {
	char label[72];   /* "<= 30.5", "30.5-41", "> 70", "married",
			     "(other)", "(missing)" */
	double lo, hi;    /* numeric bins: (lo, hi]; NaN for an open end
			     and for other bins */
	int64_t ref_n, n; /* cases in the bin: reference, batch */
};

struct drift_field {
	char *name;       /* as stored: context name, or DRIFT_* */
	int output;       /* 1: one of the model's outputs */
	enum drift_kind kind;
	enum drift_presence presence;
	struct drift_bin *bins;
	size_t nbins;
	double psi;
	double ref_missing, missing; /* shares of cases without the field */
	double *trend;    /* PSI of each report batch (nbatches) */
};

struct drift_batch {
	int64_t id, rows;
	int64_t imported_at;
	double psi_max;          /* over context fields; NaN with none */
	char psi_max_field[128];
	double psi_confidence;
	double routed_share;
	double missing_share_max;
	char missing_max_field[128];
};

struct drift_report {
	char *model;
	int64_t model_id;
	int64_t batch, ref;   /* batch ids */
	int ref_set;          /* the reference was set by a supervisor */
	int64_t rows, ref_rows;
	struct drift_field *fields; /* context fields by PSI (highest first),
				       then the outputs */
	size_t nfields;
	struct drift_batch *batches; /* every batch of the model, in order */
	size_t nbatches;
	size_t computed;      /* batches whose bins this run computed */
	/* The metrics (drift_metric_names), for the chosen batch: */
	double psi_max, psi_confidence, psi_prediction, psi_reason;
	double routed_share, routed_share_ref, missing_share_max;
	const char *psi_max_field, *missing_max_field; /* into fields */
	int64_t fields_new, fields_gone;
};

/* Compare batch (0: the model's latest) of model with against (0: the
 * reference set for the model, else its first batch); compute and keep
 * the bins of any batch that has none yet (each in its own write
 * transaction, after reading it in a read transaction). DK_USAGE when the
 * model or a batch does not exist (or is another model's). */
int drift_compute(store *s, const char *model, int64_t batch, int64_t against,
		  struct drift_report **out, dk_error *err);
void drift_free(struct drift_report *r);

/* Set batch as model's reference, by who, with an audit 'reference' entry
 * (detail {"model":M,"batch":B,"previous":P|null}) in the same write
 * transaction. DK_USAGE when the batch is not the model's. */
int drift_set_reference(store *s, const char *model, int64_t batch, const char *who,
			dk_error *err);

/* PSI of two count vectors over n bins, each count plus DRIFT_SMOOTH:
 * sum over bins of (c_i - r_i) ln(c_i / r_i) on the smoothed shares. 0
 * when either side is empty. */
double drift_psi(const int64_t *ref, const int64_t *cur, size_t n);

/* "stable", "moderate" or "significant" for a PSI (NaN: "-"). */
const char *drift_band(double psi);

/* The top-level number keys of `drift --format json`, the --fail-if
 * metrics. */
extern const char *const drift_metric_names[];
extern const size_t drift_metric_count;
int drift_metric(const struct drift_report *r, const char *name, double *v);

/* The field a metric's value comes from ("" when none), for messages. */
const char *drift_metric_field(const struct drift_report *r, const char *name);

void drift_format_json(const struct drift_report *r, sbuf *b);
void drift_format_table(const struct drift_report *r, sbuf *b);

/* The name to show for a field: outputs as "model confidence", ... */
const char *drift_field_title(const struct drift_field *f);

#endif
