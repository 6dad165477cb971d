/* model.c: models rows: lookup, creation (salt, first policy), label sets. */
#include "docket/model.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "docket/clock.h"

int model_label_index(const model_labels *l, const char *s, size_t n)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->len[i] == n && !memcmp(l->v[i], s, n))
			return (int)i;
	return -1;
}

int model_label_add(model_labels *l, const char *s, size_t n)
{
	int i = model_label_index(l, s, n);
	if (i >= 0)
		return i;
	if (l->n >= MODEL_MAX_LABELS)
		return -1;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = dk_xrealloc(l->v, l->cap * sizeof *l->v);
		l->len = dk_xrealloc(l->len, l->cap * sizeof *l->len);
	}
	char *copy = dk_xmalloc(n + 1);
	memcpy(copy, s, n);
	copy[n] = '\0';
	l->v[l->n] = copy;
	l->len[l->n] = n;
	return (int)l->n++;
}

void model_labels_json(const model_labels *l, sbuf *out)
{
	sbuf_addc(out, '[');
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			sbuf_addc(out, ',');
		sbuf_add_json_str(out, l->v[i], l->len[i]);
	}
	sbuf_addc(out, ']');
}

void model_labels_free(model_labels *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->len);
	memset(l, 0, sizeof *l);
}

void model_free(model *m)
{
	if (!m)
		return;
	free(m->name);
	free(m->audit_salt);
	free(m->policy);
	model_labels_free(&m->labels);
	memset(m, 0, sizeof *m);
}

/* Fill m->labels from the JSON array text (json_each keeps array order). */
static int model_load_labels(store *s, model *m, const char *json, dk_error *err)
{
	db_stmt *st = store_stmt(
		s, "SELECT value FROM json_each(?1) WHERE type = 'text'", err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, json, -1, DB_STATIC);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		model_label_add(&m->labels, (const char *)db_col_text(st, 0),
				(size_t)db_col_bytes(st, 0));
	store_done(st);
	if (rc != DB_DONE)
		return store_fail(s, err, "reading a model's labels");
	m->saved_labels = m->labels.n;
	return DK_OK;
}

int model_find(store *s, const char *name, model *m, dk_error *err)
{
	memset(m, 0, sizeof *m);
	db_stmt *st = store_stmt(
		s,
		"SELECT m.id, m.labels, m.policy_version, p.policy"
		" FROM models m"
		" LEFT JOIN policies p ON p.model_id = m.id"
		"  AND p.version = m.policy_version"
		" WHERE m.name = ?1",
		err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, name, -1, DB_STATIC);
	int rc = db_step(st);
	if (rc == DB_DONE) {
		store_done(st);
		return DK_EMPTY;
	}
	if (rc != DB_ROW) {
		store_done(st);
		return store_fail(s, err, "looking up a model");
	}
	m->id = db_col_int64(st, 0);
	m->name = dk_xstrdup(name);
	char *labels = dk_xstrdup((const char *)db_col_text(st, 1));
	m->policy_version = db_col_int64(st, 2);
	const char *pol = (const char *)db_col_text(st, 3);
	m->policy = dk_xstrdup(pol ? pol : "{}");
	store_done(st);
	rc = model_load_labels(s, m, labels, err);
	free(labels);
	if (rc)
		model_free(m);
	return rc;
}

int model_read_salt(store *s, model *m, dk_error *err)
{
	db_stmt *st = store_stmt(s, "SELECT audit_salt FROM models WHERE id = ?1",
				 err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, m->id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		free(m->audit_salt);
		m->audit_salt = dk_xstrdup((const char *)db_col_text(st, 0));
	}
	store_done(st);
	return rc == DB_ROW ? DK_OK : store_fail(s, err, "reading a model's audit salt");
}

int model_create(store *s, const char *name, const char *policy_json, model *m,
		 dk_error *err)
{
	memset(m, 0, sizeof *m);
	if (sodium_init() < 0)
		return dk_fail(err, "libsodium cannot initialise");
	unsigned char salt[16];
	char hex[2 * sizeof salt + 1];
	randombytes_buf(salt, sizeof salt);
	sodium_bin2hex(hex, sizeof hex, salt, sizeof salt);
	int64_t now = clock_now_ms();
	db_stmt *st = store_stmt(
		s,
		"INSERT INTO models(name, labels, audit_salt, policy_version,"
		" created_at) VALUES (?1, '[]', ?2, 1, ?3)",
		err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, name, -1, DB_STATIC);
	db_bind_text(st, 2, hex, -1, DB_STATIC);
	db_bind_int64(st, 3, now);
	int rc = db_step(st);
	store_done(st);
	if (rc != DB_DONE)
		return store_fail(s, err, "creating a model");
	m->id = store_last_id(s);
	st = store_stmt(s,
			"INSERT INTO policies(model_id, version, policy, set_by,"
			" set_at) VALUES (?1, 1, ?2, ?3, ?4)",
			err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, m->id);
	db_bind_text(st, 2, policy_json, -1, DB_STATIC);
	db_bind_text(st, 3, dk_login_name(), -1, DB_STATIC);
	db_bind_int64(st, 4, now);
	rc = db_step(st);
	store_done(st);
	if (rc != DB_DONE)
		return store_fail(s, err, "creating a model's policy");
	m->name = dk_xstrdup(name);
	m->audit_salt = dk_xstrdup(hex);
	m->policy_version = 1;
	m->policy = dk_xstrdup(policy_json);
	return DK_OK;
}

int model_save_labels(store *s, model *m, dk_error *err)
{
	if (m->labels.n == m->saved_labels)
		return DK_OK;
	sbuf json = {0};
	model_labels_json(&m->labels, &json);
	db_stmt *st =
		store_stmt(s, "UPDATE models SET labels = ?2 WHERE id = ?1", err);
	if (!st) {
		sbuf_free(&json);
		return DK_ERR;
	}
	db_bind_int64(st, 1, m->id);
	db_bind_text(st, 2, sbuf_str(&json), (int)json.len, DB_STATIC);
	int rc = db_step(st);
	store_done(st);
	sbuf_free(&json);
	if (rc != DB_DONE)
		return store_fail(s, err, "saving a model's labels");
	m->saved_labels = m->labels.n;
	return DK_OK;
}
