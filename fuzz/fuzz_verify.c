/* fuzz_verify.c: libFuzzer target for `docket verify` on a corrupted log.
 * A store with a short chain is made once (its append-only triggers
 * dropped, as an attacker with the sqlite3 shell would). Each input picks
 * an entry, a column and a new value (text, integer, real, blob or NULL),
 * writes it, runs audit_verify, and puts the old value back. verify must
 * never crash, and must fail (naming an entry at or before the one
 * changed) whenever the value as verify reads it, text, changed; and
 * must pass when nothing changed (same text, same storage type; the same
 * text in another type, an integer written as a blob, may be reported).
 * Run: make fuzz FUZZ_TARGETS=verify */
#include "fuzz_util.h"

#include "docket/audit.h"

#define ENTRIES 6

static store *fs;

static const char *const columns[] = {
	"at", "reviewer", "case_id", "action", "model_label", "label", "reason",
	"note", "seconds", "ref_seq", "detail", "prev_hash", "hash",
};
#define NCOLS (sizeof columns / sizeof columns[0])

static void setup(void)
{
	dk_error err = {{0}};
	fs = fuzz_store();
	for (int i = 0; i < ENTRIES; i++) {
		audit_entry e = {
			.reviewer = i % 2 ? "ann" : "bob",
			.action = "reveal",
			.model_label = i % 3 ? "good" : NULL,
			.label = "bad",
			.reason = "other",
			.note = i == 2 ? "a note, with ünïcode" : NULL,
			.seconds = i == 4 ? 0.1 : 12.5,
			.ref_seq = i == 5 ? 3 : 0,
			.detail = "{\"fields\":[\"pii:name\"]}",
		};
		if (store_begin_write(fs, &err) || audit_append(fs, &e, NULL, NULL, &err) ||
		    store_commit(fs, &err)) {
			fprintf(stderr, "%s\n", err.msg);
			abort();
		}
	}
	if (store_exec(fs, "DROP TRIGGER decisions_no_update;", &err))
		abort();
}

/* The column's value as text, all its bytes (NUL-terminated copy in
 * *out, length in *len); *out NULL for SQL NULL. *type gets its storage
 * type. */
static void column_text(int seq, const char *col, char **out, int *len, int *type)
{
	char sql[128];
	snprintf(sql, sizeof sql,
		 "SELECT CAST(%s AS TEXT), typeof(%s) FROM decisions WHERE seq = ?1", col, col);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_sqlite_db(fs), sql, -1, &st, NULL) != SQLITE_OK)
		abort();
	sqlite3_bind_int(st, 1, seq);
	*out = NULL;
	*len = 0;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		const unsigned char *v = sqlite3_column_text(st, 0);
		*len = sqlite3_column_bytes(st, 0);
		*out = malloc((size_t)*len + 1);
		memcpy(*out, v, (size_t)*len);
		(*out)[*len] = '\0';
	}
	*type = sqlite3_column_bytes(st, 1) ? sqlite3_column_text(st, 1)[0] : 0;
	sqlite3_finalize(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!fs)
		setup();
	if (size < 3)
		return 0;
	int seq = data[0] % ENTRIES + 1;
	const char *col = columns[data[1] % NCOLS];
	int kind = data[2] % 5;
	const uint8_t *v = data + 3;
	size_t n = size - 3;

	char sql[160];
	snprintf(sql, sizeof sql, "SELECT %s FROM decisions WHERE seq = ?1", col);
	sqlite3_stmt *get, *set;
	if (sqlite3_prepare_v2(store_sqlite_db(fs), sql, -1, &get, NULL) != SQLITE_OK)
		abort();
	sqlite3_bind_int(get, 1, seq);
	if (sqlite3_step(get) != SQLITE_ROW)
		abort();
	sqlite3_value *old = sqlite3_value_dup(sqlite3_column_value(get, 0));
	sqlite3_finalize(get);
	char *before, *after;
	int blen, alen, btype, atype;
	column_text(seq, col, &before, &blen, &btype);

	snprintf(sql, sizeof sql, "UPDATE decisions SET %s = ?2 WHERE seq = ?1", col);
	if (sqlite3_prepare_v2(store_sqlite_db(fs), sql, -1, &set, NULL) != SQLITE_OK)
		abort();
	sqlite3_bind_int(set, 1, seq);
	int64_t iv = 0;
	memcpy(&iv, v, n < 8 ? n : 8);
	double dv;
	memcpy(&dv, &iv, sizeof dv);
	switch (kind) {
	case 0: sqlite3_bind_text(set, 2, (const char *)v, (int)n, SQLITE_TRANSIENT); break;
	case 1: sqlite3_bind_int64(set, 2, iv); break;
	case 2: sqlite3_bind_double(set, 2, dv); break;
	case 3: sqlite3_bind_blob(set, 2, v, (int)n, SQLITE_TRANSIENT); break;
	default: sqlite3_bind_null(set, 2); break;
	}
	int changed_ok = sqlite3_step(set) == SQLITE_DONE; /* NOT NULL may refuse */
	sqlite3_reset(set);
	column_text(seq, col, &after, &alen, &atype);

	audit_report rep;
	dk_error err = {{0}};
	int rc = audit_verify(fs, NULL, &rep, &err);
	int differs = changed_ok && (before == NULL) != (after == NULL);
	if (changed_ok && before && after)
		differs = blen != alen || memcmp(before, after, (size_t)blen) != 0;
	if (differs && rc == DK_OK) {
		fprintf(stderr, "verify passed after %s of entry %d changed:\n%s\n->\n%s\n",
			col, seq, before ? before : "NULL", after ? after : "NULL");
		abort();
	}
	if (rc != DK_OK && (rep.bad_seq < 1 || rep.bad_seq > seq + 1 || !rep.problem[0]))
		abort();
	/* Same text in another storage type (the integer 3 as the blob '3')
	 * is an edit verify may report ("hiding bytes from its hash"). */
	if (!differs && (!changed_ok || atype == btype) && rc != DK_OK) {
		fprintf(stderr, "verify failed with nothing changed: %s\n", rep.problem);
		abort();
	}

	sqlite3_bind_value(set, 2, old);
	if (changed_ok && sqlite3_step(set) != SQLITE_DONE)
		abort();
	sqlite3_finalize(set);
	sqlite3_value_free(old);
	free(before);
	free(after);
	return 0;
}
