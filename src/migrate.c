/* migrate.c: copies a whole SQLite store into a new, empty store (SQLite or
 * PostgreSQL): every table and column, ids and log seqs as they are, from
 * one read snapshot into one write transaction, in batches of rows per
 * INSERT on cached statements. */
#include "docket/migrate.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "docket/audit.h"
#include "docket/casejson.h"

/* The one list of what a store holds (schema version 6). Parents first:
 * the destination checks foreign keys row by row. A table or column added
 * to the schema must be added here too; migrate_check_source refuses a
 * source that has one this list lacks, and tests/test_migrate.c fails. */
const struct migrate_table migrate_tables[] = {
	{"meta", "key", "key:t value:t"},
	{"reviewers", "id", "id:i name:t role:t added_at:i added_by:t"},
	{"models", "id",
	 "id:i name:t labels:t audit_salt:t policy_version:i created_at:i"},
	{"policies", "model_id version",
	 "model_id:i version:i policy:t set_by:t set_at:i"},
	{"batches", "id",
	 "id:i model_id:i model_version:t source_file:t source_sha256:t "
	 "format:t rows:i routed:i imported_by:t imported_at:i forced:i "
	 "ctx_keys:t attr_keys:t prob_keys:t"},
	{"cases", "id",
	 "id:i model_id:i batch_id:i ext_id:t line:i prediction:t "
	 "confidence:r margin:r entropy:r probs:p attributions:p context:t "
	 "text:t gold:t priority:i state:t route_reason:t policy_version:i "
	 "urgency:r reviews_needed:i final_label:t final_seq:i decided_at:i"},
	{"counters", "model_id state", "model_id:i state:t n:i"},
	{"leases", "case_id",
	 "case_id:i reviewer_id:i token:i claimed_at:i expires_at:i"},
	/* By seq: the log's append-only trigger takes only seq = max + 1. */
	{"decisions", "seq",
	 "seq:i at:i reviewer:t case_id:i action:t model_label:t label:t "
	 "reason:t note:t seconds:r ref_seq:i detail:t prev_hash:t hash:t"},
	{"reviews", "case_id reviewer_id",
	 "case_id:i reviewer_id:i seq:i action:t label:t at:i"},
	{"exports", "name",
	 "name:t last_seq:i filters:t audit_seq:i at:i by:t"},
	{"reviewer_seen", "reviewer", "reviewer:t seq:i"},
	{"drift_summaries", "batch_id ref_batch",
	 "batch_id:i ref_batch:i policy_version:i rows:i computed_at:i"},
	{"drift_bins", "batch_id ref_batch field bin",
	 "batch_id:i ref_batch:i field:t kind:t bin:i label:t lo:r hi:r n:i"},
	{"drift_reference", "model_id", "model_id:i batch_id:i"},
	{"fair_batches", "batch_id field part",
	 "batch_id:i field:t part:i policy_version:i seq:i rows:i"},
	/* (no key: rows in the order of the counts they belong to) */
	{"fair_counts", "batch_id field part",
	 "batch_id:i field:t part:i value_kind:i value_num:r value_text:t "
	 "prediction:t final_label:t route:i policy_version:i n:i"},
};
const size_t migrate_ntables = sizeof migrate_tables / sizeof migrate_tables[0];

#define MIGRATE_MAX_COLS 32
/* Parameters per multi-row INSERT: well under SQLite's and PostgreSQL's
 * limits, and enough rows per statement that a round trip to a server
 * carries dozens of rows. */
#define MIGRATE_BATCH_PARAMS 960
#define MIGRATE_BATCH_ROWS 64

/* A table's columns and SQL, made once per process: statements are cached
 * by the address of their SQL text (store_stmt), so these texts must stay
 * put for as long as any store may hold them. */
struct migrate_sql {
	int ncols;
	char names[MIGRATE_MAX_COLS][32];
	char types[MIGRATE_MAX_COLS];
	int key_col;     /* the column of a one-column integer key, or -1 */
	int per;         /* rows per batch INSERT */
	char *select;    /* every row, in key order */
	char *count;
	char *probe;     /* is there any row */
	char *insert_batch[2]; /* [0]: SQLite, [1]: PostgreSQL */
	char *insert_one[2];
};

static struct migrate_sql migrate_sqls[sizeof migrate_tables /
				       sizeof migrate_tables[0]];

/* "col" quoted as an identifier (exports has a column named by). */
static void add_ident(sbuf *b, const char *name)
{
	sbuf_printf(b, "\"%s\"", name);
}

static void add_insert(sbuf *b, const struct migrate_table *t,
		       const struct migrate_sql *m, int rows, int pg)
{
	sbuf_adds(b, "INSERT INTO ");
	add_ident(b, t->name);
	sbuf_adds(b, "(");
	for (int i = 0; i < m->ncols; i++) {
		if (i)
			sbuf_adds(b, ", ");
		add_ident(b, m->names[i]);
	}
	/* PostgreSQL: the ids given are kept even where a column is an
	 * identity GENERATED ALWAYS (accepted, and without effect, on a table
	 * with no identity column). */
	sbuf_adds(b, pg ? ") OVERRIDING SYSTEM VALUE VALUES " : ") VALUES ");
	for (int r = 0; r < rows; r++) {
		sbuf_adds(b, r ? ", (" : "(");
		for (int i = 0; i < m->ncols; i++)
			sbuf_printf(b, "%s?%d", i ? ", " : "", r * m->ncols + i + 1);
		sbuf_adds(b, ")");
	}
	/* meta may hold a row an engine writes when it makes the schema
	 * (PostgreSQL's bookkeeping): the source's value stands, but for the
	 * store's group roles (pg_role_*, pg_roles.c), which are the
	 * destination's own: a source naming another store's would make
	 * that store's members this one's. */
	if (!strcmp(t->name, "meta"))
		sbuf_adds(b, " ON CONFLICT (\"key\") DO UPDATE SET"
			     " value = excluded.value"
			     " WHERE substr(meta.\"key\", 1, 7) <> 'pg_role'");
}

static char *sbuf_take(sbuf *b)
{
	char *s = dk_xstrdup(sbuf_str(b));
	sbuf_reset(b);
	return s;
}

/* Parse the table list into migrate_sqls, once. */
static const struct migrate_sql *migrate_sql_for(size_t ti)
{
	struct migrate_sql *m = &migrate_sqls[ti];
	if (m->select)
		return m;
	const struct migrate_table *t = &migrate_tables[ti];
	for (const char *p = t->cols; *p;) {
		while (*p == ' ')
			p++;
		const char *colon = strchr(p, ':');
		if (!*p || !colon || m->ncols == MIGRATE_MAX_COLS)
			break;
		snprintf(m->names[m->ncols], sizeof m->names[0], "%.*s",
			 (int)(colon - p), p);
		m->types[m->ncols++] = colon[1];
		p = colon + 2;
	}
	m->key_col = -1;
	if (!strchr(t->key, ' '))
		for (int i = 0; i < m->ncols; i++)
			if (!strcmp(m->names[i], t->key) && m->types[i] == 'i')
				m->key_col = i;
	m->per = MIGRATE_BATCH_PARAMS / m->ncols;
	if (m->per > MIGRATE_BATCH_ROWS)
		m->per = MIGRATE_BATCH_ROWS;
	if (m->per < 1)
		m->per = 1;

	sbuf b = {0};
	sbuf_adds(&b, "SELECT ");
	for (int i = 0; i < m->ncols; i++) {
		if (i)
			sbuf_adds(&b, ", ");
		add_ident(&b, m->names[i]);
	}
	sbuf_adds(&b, " FROM ");
	add_ident(&b, t->name);
	sbuf_adds(&b, " ORDER BY ");
	for (const char *k = t->key; *k;) {
		size_t n = strcspn(k, " ");
		sbuf_printf(&b, "%s\"%.*s\"", k == t->key ? "" : ", ", (int)n, k);
		k += n;
		while (*k == ' ')
			k++;
	}
	char *select = sbuf_take(&b);
	sbuf_adds(&b, "SELECT count(*) FROM ");
	add_ident(&b, t->name);
	m->count = sbuf_take(&b);
	sbuf_adds(&b, "SELECT 1 FROM ");
	add_ident(&b, t->name);
	sbuf_adds(&b, " LIMIT 1");
	m->probe = sbuf_take(&b);
	for (int pg = 0; pg < 2; pg++) {
		add_insert(&b, t, m, m->per, pg);
		m->insert_batch[pg] = sbuf_take(&b);
		add_insert(&b, t, m, 1, pg);
		m->insert_one[pg] = sbuf_take(&b);
	}
	sbuf_free(&b);
	m->select = select; /* last: marks the entry made */
	return m;
}

static const char *type_name(char t)
{
	return t == 'i' ? "INTEGER" : t == 'r' ? "REAL" : "TEXT"; /* t, p */
}

/* The SQLite source's own description of itself. Per-engine SQL: the
 * source of a migration is always an SQLite store. */
int migrate_check_source(store *src, dk_error *err)
{
	if (store_engine(src) != STORE_SQLITE)
		return dk_fail(err, "%s: migrate copies from an SQLite store only",
			       store_path(src));
	int rc = DK_ERR;
	db_stmt *st = store_stmt(
		src,
		"SELECT name FROM sqlite_schema WHERE type = 'table'"
		" AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
		err);
	if (!st)
		return DK_ERR;
	size_t found = 0;
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		const char *name = (const char *)db_col_text(st, 0);
		size_t i = 0;
		while (i < migrate_ntables && strcmp(migrate_tables[i].name, name))
			i++;
		if (i == migrate_ntables) {
			dk_fail(err, "%s: table %s is not one migrate knows how "
				     "to copy (this docket's migrate is behind "
				     "its schema)",
				store_path(src), name);
			goto out;
		}
		found++;
	}
	if (step != DB_DONE) {
		store_fail(src, err, "reading the schema");
		goto out;
	}
	store_done(st);
	st = NULL;
	if (found != migrate_ntables)
		for (size_t i = 0; i < migrate_ntables; i++) {
			/* A listed table the source lacks. */
			db_stmt *q = store_stmt(
				src,
				"SELECT 1 FROM sqlite_schema WHERE type = 'table'"
				" AND name = ?1",
				err);
			if (!q)
				return DK_ERR;
			db_bind_text(q, 1, migrate_tables[i].name, -1, DB_STATIC);
			int r = db_step(q);
			store_done(q);
			if (r != DB_ROW)
				return dk_fail(err, "%s: has no table %s: not a "
						    "whole docket store",
					       store_path(src),
					       migrate_tables[i].name);
		}
	for (size_t i = 0; i < migrate_ntables; i++) {
		const struct migrate_sql *m = migrate_sql_for(i);
		st = store_stmt(src,
				"SELECT name, upper(type) FROM pragma_table_info(?1)"
				" ORDER BY cid",
				err);
		if (!st)
			return DK_ERR;
		db_bind_text(st, 1, migrate_tables[i].name, -1, DB_STATIC);
		int n = 0;
		while ((step = db_step(st)) == DB_ROW) {
			const char *name = (const char *)db_col_text(st, 0);
			const char *type = (const char *)db_col_text(st, 1);
			int j = 0;
			while (j < m->ncols && strcmp(m->names[j], name))
				j++;
			if (j == m->ncols) {
				dk_fail(err, "%s: column %s.%s is not one migrate "
					     "knows how to copy (this docket's "
					     "migrate is behind its schema)",
					store_path(src), migrate_tables[i].name, name);
				goto out;
			}
			if (strcmp(type ? type : "", type_name(m->types[j]))) {
				dk_fail(err, "%s: column %s.%s is %s; migrate "
					     "copies it as %s",
					store_path(src), migrate_tables[i].name, name,
					type ? type : "untyped",
					type_name(m->types[j]));
				goto out;
			}
			n++;
		}
		if (step != DB_DONE) {
			store_fail(src, err, "reading the schema");
			goto out;
		}
		store_done(st);
		st = NULL;
		if (n != m->ncols)
			return dk_fail(err, "%s: table %s lacks columns migrate "
					    "copies: not a whole docket store",
				       store_path(src), migrate_tables[i].name);
	}
	rc = DK_OK;
out:
	store_done(st);
	return rc;
}

static const char *value_name(int type)
{
	switch (type) {
	case DB_INTEGER: return "an integer";
	case DB_FLOAT: return "a real";
	case DB_TEXT: return "text";
	default: return "a blob";
	}
}

/* Cases into PostgreSQL take the form an import there writes: a case's
 * probabilities and attributions stored in its batch's key order
 * (casejson.h) stay in it, as JSON text (SQLite's packed form is not
 * UTF-8, which a PostgreSQL text column holds only); its context is
 * copied as the object it expands to (case_pii and mask_pii work on
 * objects). The source's key lists of the batch last looked up, and the
 * value as bound. */
struct mg_expand {
	int64_t batch;
	casejson_keys keys[3]; /* probs, attributions, context */
	sbuf obj;
};

static const char *const mg_json_cols[3] = {"probs", "attributions", "context"};

/* One value of a case's array into x->obj (casejson_values). */
static void mg_array_add(void *arg, const char *text, size_t len)
{
	sbuf *o = arg;
	sbuf_addc(o, o->len ? ',' : '[');
	sbuf_add(o, text, len);
}

/* Column i of the cases row in sel as bound for PostgreSQL: *v (*n bytes)
 * the array as JSON text (probabilities, attributions) or the object
 * (context) when it is in the array form. */
static int mg_expand_col(store *src, db_stmt *sel, const struct migrate_sql *m,
			 int i, struct mg_expand *x, const char **v, int *n,
			 dk_error *err)
{
	int j = 0;
	while (j < 3 && strcmp(m->names[i], mg_json_cols[j]))
		j++;
	if (j == 3 || !casejson_is_array(*v, (size_t)*n))
		return DK_OK;
	int bcol = 0, idcol = 0;
	for (int k = 0; k < m->ncols; k++) {
		if (!strcmp(m->names[k], "batch_id"))
			bcol = k;
		if (!strcmp(m->names[k], "ext_id"))
			idcol = k;
	}
	int64_t batch = db_col_int64(sel, bcol);
	if (batch != x->batch) {
		db_stmt *q = store_stmt(src, "SELECT prob_keys, attr_keys, ctx_keys"
					" FROM batches WHERE id = ?1", err);
		if (!q)
			return DK_ERR;
		db_bind_int64(q, 1, batch);
		int rc = db_step(q) == DB_ROW ? DK_OK : DK_ERR;
		for (int k = 0; k < 3 && !rc; k++) {
			const char *t = (const char *)db_col_text(q, k);
			rc = casejson_keys_set(&x->keys[k], t,
					       t ? (size_t)db_col_bytes(q, k) : 0);
		}
		store_done(q);
		if (rc)
			return dk_fail(err, "%s: batch %" PRId64 ": its key lists "
					    "cannot be read; the store is damaged",
				       store_path(src), batch);
		x->batch = batch;
	}
	if (j < 2) {
		if (!casejson_is_packed(*v, (size_t)*n))
			return DK_OK; /* JSON text already */
		sbuf_reset(&x->obj);
		if (casejson_values(&x->keys[j], *v, (size_t)*n, mg_array_add,
				    &x->obj) ||
		    !x->obj.len)
			return dk_fail(err, "%s: case %s: its %s in the store do "
					    "not fit its batch's key list; the "
					    "store is damaged",
				       store_path(src),
				       (const char *)db_col_text(sel, idcol),
				       m->names[i]);
		sbuf_addc(&x->obj, ']');
	} else if (casejson_expand(&x->keys[j], *v, (size_t)*n, &x->obj,
				   (const char *)db_col_text(sel, idcol),
				   m->names[i], err)) {
		return DK_ERR;
	}
	*v = x->obj.buf;
	*n = (int)x->obj.len;
	return DK_OK;
}

/* Bind the source's current row to parameters off+1.. of ins, each as the
 * type the schema gives its column, so both engines get the same types on
 * every row. A value of another type (which a store docket wrote never
 * holds) is refused rather than converted. x: a cases row into
 * PostgreSQL (mg_expand_col), else NULL. */
static int bind_row(store *src, db_stmt *sel, db_stmt *ins, int off,
		    const struct migrate_table *t, const struct migrate_sql *m,
		    int64_t row, struct mg_expand *x, dk_error *err)
{
	for (int i = 0; i < m->ncols; i++) {
		int type = db_col_type(sel, i);
		int p = off + i + 1;
		if (type == DB_NULL) {
			db_bind_null(ins, p);
			continue;
		}
		int ok = (m->types[i] == 'i' && type == DB_INTEGER) ||
			 (m->types[i] == 'r' && (type == DB_FLOAT || type == DB_INTEGER)) ||
			 (m->types[i] == 't' && type == DB_TEXT) ||
			 (m->types[i] == 'p' && (type == DB_TEXT ||
						 (type == DB_BLOB &&
						  casejson_is_packed((const char *)db_col_text(sel, i),
								     (size_t)db_col_bytes(sel, i)))));
		if (!ok)
			return dk_fail(err, "%s: %s.%s holds %s where the schema "
					    "says %s (in the row after %" PRId64
					    " copied); the store is damaged",
				       store_path(src), t->name, m->names[i],
				       value_name(type), type_name(m->types[i]),
				       row);
		switch (m->types[i]) {
		case 'i': db_bind_int64(ins, p, db_col_int64(sel, i)); break;
		case 'r': db_bind_double(ins, p, db_col_double(sel, i)); break;
		default: {
			const char *v = (const char *)db_col_text(sel, i);
			int n = db_col_bytes(sel, i);
			if (x && mg_expand_col(src, sel, m, i, x, &v, &n, err))
				return DK_ERR;
			casejson_bind(ins, p, v, (size_t)n, DB_TRANSIENT);
		}
		}
	}
	return DK_OK;
}

static int64_t count_rows(store *s, const char *sql, dk_error *err)
{
	db_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return -1;
	int64_t n = db_step(st) == DB_ROW ? db_col_int64(st, 0) : -1;
	store_done(st);
	if (n < 0)
		store_fail(s, err, "counting rows");
	return n;
}

/* Every table of dst but meta (see add_insert) must be empty. */
static int check_empty(store *dst, dk_error *err)
{
	for (size_t i = 0; i < migrate_ntables; i++) {
		const struct migrate_sql *m = migrate_sql_for(i);
		if (!strcmp(migrate_tables[i].name, "meta"))
			continue;
		db_stmt *st = store_stmt(dst, m->probe, err);
		if (!st)
			return DK_ERR;
		int step = db_step(st);
		store_done(st);
		if (step == DB_ROW)
			return dk_fail(err, "%s: not empty (table %s has rows): "
					    "migrate fills only a new store",
				       store_path(dst), migrate_tables[i].name);
		if (step != DB_DONE)
			return store_fail(dst, err, "reading the destination");
	}
	return DK_OK;
}

/* On PostgreSQL an integer key may draw from a sequence: move it past the
 * ids copied, so the next row inserted gets a new one. (NULL, harmlessly,
 * for a column with no sequence.) */
static int bump_sequence(store *dst, const struct migrate_table *t,
			 int64_t max, dk_error *err)
{
	if (store_engine(dst) != STORE_POSTGRES || max <= 0)
		return DK_OK;
	db_stmt *st = store_stmt(
		dst, "SELECT setval(pg_get_serial_sequence(?1, ?2), ?3)", err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, t->name, -1, DB_STATIC);
	db_bind_text(st, 2, t->key, -1, DB_STATIC);
	db_bind_int64(st, 3, max);
	int step = db_step(st);
	store_done(st);
	return step == DB_ROW || step == DB_DONE
		       ? DK_OK
		       : store_fail(dst, err, "moving an id sequence");
}

/* On PostgreSQL reviewers may not read personal fields: the cases' pii:
 * values move to case_pii, where only a reveal reads them, and the cases
 * keep masked ones (pg_roles.c), as an import into PostgreSQL does. */
static int split_personal(store *dst, dk_error *err)
{
	if (store_engine(dst) != STORE_POSTGRES)
		return DK_OK;
	db_stmt *st = store_stmt(dst, "SELECT split_pii()", err);
	if (!st)
		return DK_ERR;
	int step = db_step(st);
	store_done(st);
	return step == DB_ROW ? DK_OK
			      : store_fail(dst, err, "moving personal fields out of reach");
}

/* Copy table ti; *copied gets its rows. */
static int copy_table(store *src, store *dst, size_t ti,
		      migrate_progress_fn *progress, void *arg, int64_t *copied,
		      dk_error *err)
{
	const struct migrate_table *t = &migrate_tables[ti];
	const struct migrate_sql *m = migrate_sql_for(ti);
	*copied = 0;
	int64_t total = count_rows(src, m->count, err);
	if (total < 0)
		return DK_ERR;
	/* Whole batches first, then the rest one row at a time: the rows are
	 * bound as they are read, so how many go in batches is known from the
	 * count taken in the same snapshot. */
	int64_t in_batches = total - total % m->per;
	int pg = store_engine(dst) == STORE_POSTGRES;
	db_stmt *sel = store_stmt(src, m->select, err);
	db_stmt *batch = sel ? store_stmt(dst, m->insert_batch[pg], err) : NULL;
	db_stmt *one = batch ? store_stmt(dst, m->insert_one[pg], err) : NULL;
	if (!one) {
		store_done(sel);
		store_done(batch);
		return DK_ERR;
	}
	int rc = DK_ERR, step;
	int64_t n = 0, max = 0;
	int filled = 0;
	struct mg_expand x = {.batch = -1};
	while ((step = db_step(sel)) == DB_ROW) {
		if (n == total) {
			dk_fail(err, "%s: %s changed while being read",
				store_path(src), t->name);
			goto out;
		}
		int in_batch = n < in_batches;
		db_stmt *ins = in_batch ? batch : one;
		if (bind_row(src, sel, ins, in_batch ? filled * m->ncols : 0, t, m,
			     n, pg && !strcmp(t->name, "cases") ? &x : NULL, err))
			goto out;
		if (m->key_col >= 0)
			max = db_col_int64(sel, m->key_col);
		n++;
		if (in_batch && ++filled < m->per)
			continue;
		filled = 0;
		if (db_step(ins) != DB_DONE) {
			char what[96];
			snprintf(what, sizeof what, "copying %s", t->name);
			store_fail(dst, err, what);
			goto out;
		}
		db_reset(ins);
		if (progress && (n % 4096 < (int64_t)m->per || n == total) &&
		    progress(arg, t->name, n, 0)) {
			dk_fail(err, "interrupted while copying %s", t->name);
			goto out;
		}
	}
	if (step != DB_DONE) {
		store_fail(src, err, "reading the source");
		goto out;
	}
	if (n != total) {
		dk_fail(err, "%s: %s changed while being read", store_path(src),
			t->name);
		goto out;
	}
	if (m->key_col >= 0 && bump_sequence(dst, t, max, err))
		goto out;
	*copied = n;
	if (progress && progress(arg, t->name, n, 1)) {
		dk_fail(err, "interrupted after copying %s", t->name);
		goto out;
	}
	rc = DK_OK;
out:
	store_done(sel);
	store_done(batch);
	store_done(one);
	for (int k = 0; k < 3; k++)
		casejson_keys_free(&x.keys[k]);
	sbuf_free(&x.obj);
	return rc;
}

int migrate_copy(store *src, store *dst, migrate_progress_fn *progress,
		 void *arg, migrate_result *res, dk_error *err)
{
	memset(res, 0, sizeof *res);
	if (migrate_ntables > sizeof res->rows / sizeof res->rows[0])
		return dk_fail(err, "migrate: too many tables");
	if (migrate_check_source(src, err))
		return DK_ERR;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = DK_ERR, reading = 0, writing = 0;
	if (store_begin_read(src, err))
		return DK_ERR;
	reading = 1;
	if (audit_head(src, &res->src_seq, res->src_hash, err))
		goto out;
	if (store_begin_write(dst, err))
		goto out;
	writing = 1;
	if (check_empty(dst, err))
		goto out;
	for (size_t i = 0; i < migrate_ntables; i++)
		if (copy_table(src, dst, i, progress, arg, &res->rows[i], err))
			goto out;
	if (split_personal(dst, err))
		goto out;
	if (audit_head(dst, &res->dst_seq, res->dst_hash, err))
		goto out;
	if (res->dst_seq != res->src_seq || strcmp(res->dst_hash, res->src_hash)) {
		dk_fail(err, "%s: the copy's head %" PRId64 ":%s differs from "
			     "the source's %" PRId64 ":%s; nothing was written",
			store_path(dst), res->dst_seq, res->dst_hash, res->src_seq,
			res->src_hash);
		goto out;
	}
	writing = 0;
	if (store_commit(dst, err))
		goto out;
	rc = DK_OK;
out:
	if (writing)
		store_rollback(dst);
	if (reading)
		store_rollback(src); /* a read: nothing to keep */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	res->seconds = (double)(t1.tv_sec - t0.tv_sec) +
		       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return rc;
}
