/* test_export.c: export_run: columns, filters, final labels after undo and
 * resolve, --since-last watermarks, PII, the audit entry, failures. Stores
 * are built with rows written directly (decisions through audit_append, so
 * the chain is real); the shell tests drive the real commands. */
#include "fixture.h"

#include <limits.h>
#include <math.h>
#include <sys/stat.h>

#include <sodium.h>

#include "docket/audit.h"
#include "docket/clock.h"
#include "docket/export.h"

#define T0 1767225600000LL /* 2026-01-01T00:00:00Z */
#define HOUR 3600000LL

static void exec_sql(store *s, const char *sql)
{
	fixture_exec(s, sql);
}

/* A model "credit" (labels good, bad), one batch, reviewers ann and bob,
 * supervisor sue, and the login user (the store's first supervisor). */
static void seed(store *s)
{
	exec_sql(s,
		 "INSERT INTO models(id, name, labels, audit_salt, created_at)"
		 " VALUES (1, 'credit', '[\"good\",\"bad\"]', 's', 0),"
		 " (2, 'other', '[\"x\",\"y\"]', 's', 0);"
		 "INSERT INTO batches(id, model_id, model_version, source_file,"
		 " source_sha256, format, rows, routed, imported_by, imported_at)"
		 " VALUES (1, 1, 'v1', 'credit.csv', 'aaaa', 'csv', 0, 0, 'me', 1000),"
		 " (2, 2, '', 'other.jsonl', 'bbbb', 'jsonl', 0, 0, 'me', 2000);"
		 "INSERT INTO reviewers(name, role, added_at, added_by) VALUES"
		 " ('ann', 'reviewer', 0, 'x'), ('bob', 'reviewer', 0, 'x'),"
		 " ('sue', 'supervisor', 0, 'x');");
	fixture_ids_taken(s);
}

/* A queued case; returns its id. */
static int64_t add_case(store *s, int64_t model, const char *ext, const char *pred,
			double conf, const char *context, const char *probs,
			const char *attrs, const char *text)
{
	dk_error err = {{0}};
	db_stmt *st = store_stmt(s,
		"INSERT INTO cases(model_id, batch_id, ext_id, line, prediction,"
		" confidence, probs, attributions, context, text, state,"
		" policy_version, urgency) VALUES (?1, ?1, ?2, 2, ?3, ?4, ?5, ?6,"
		" coalesce(?7, '{}'), ?8, 'queued', 3, ?4)", &err);
	assert_non_null(st);
	db_bind_int64(st, 1, model);
	db_bind_text(st, 2, ext, -1, DB_STATIC);
	db_bind_text(st, 3, pred, -1, DB_STATIC);
	db_bind_double(st, 4, conf);
	db_bind_text(st, 5, probs, -1, DB_STATIC);
	db_bind_text(st, 6, attrs, -1, DB_STATIC);
	db_bind_text(st, 7, context, -1, DB_STATIC);
	db_bind_text(st, 8, text, -1, DB_STATIC);
	fixture_step_done(s, st, ext);
	return store_last_id(s);
}

static int64_t simple_case(store *s, const char *ext, const char *pred)
{
	return add_case(s, 1, ext, pred, 0.6, "{\"Age\":\"30\"}", NULL, NULL, NULL);
}

static void step_sql(store *s, const char *sql, int64_t a, int64_t b,
		     const char *t1, const char *t2, int64_t c)
{
	db_stmt *st = fixture_prepare(s, sql);
	db_bind_int64(st, 1, a);
	db_bind_int64(st, 2, b);
	if (t1)
		db_bind_text(st, 3, t1, -1, DB_STATIC);
	else
		db_bind_null(st, 3);
	if (t2)
		db_bind_text(st, 4, t2, -1, DB_STATIC);
	else
		db_bind_null(st, 4);
	db_bind_int64(st, 5, c);
	int rc = db_step(st);
	if (rc != DB_DONE) {
		dk_error err = {{0}};
		store_fail(s, &err, sql);
		fixture_finalize(st);
		fail_msg("%s", err.msg);
	}
	fixture_finalize(st);
}

static int64_t reviewer_id(store *s, const char *name)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT id FROM reviewers WHERE name = '%s'", name);
	return fixture_int(s, sql);
}

/* What the queue does on a decision, written directly: the audit entry, the
 * reviewer's review in force, and (final = 1) the case's final label.
 * label NULL means accept (the model's label). Returns the entry's seq. */
static int64_t decide_at(store *s, int64_t case_id, const char *who,
			 const char *action, const char *label, const char *reason,
			 int final, int64_t at)
{
	dk_error err = {{0}};
	char pred[64], sql[128];
	snprintf(sql, sizeof sql, "SELECT prediction FROM cases WHERE id = %lld",
		 (long long)case_id);
	char *p = fixture_text(s, sql);
	assert_non_null(p);
	snprintf(pred, sizeof pred, "%s", p);
	free(p);
	const char *lab = label ? label : pred;
	clock_set_ms(at);
	assert_int_equal(store_begin_write(s, &err), DK_OK);
	audit_entry e = {.reviewer = who, .case_id = case_id, .action = action,
			 .model_label = pred, .label = lab, .reason = reason,
			 .seconds = 4.0};
	int64_t seq;
	if (audit_append(s, &e, &seq, NULL, &err))
		fail_msg("%s", err.msg);
	step_sql(s, "INSERT INTO reviews(case_id, reviewer_id, seq,"
		    " action, label, at) VALUES (?1, ?2, ?5, ?3, ?4, ?5)"
		    " ON CONFLICT (case_id, reviewer_id) DO UPDATE SET seq = excluded.seq,"
		    " action = excluded.action, label = excluded.label, at = excluded.at",
		 case_id, reviewer_id(s, who), action, lab, seq);
	step_sql(s, final ? "UPDATE cases SET state = 'done', final_label = ?3,"
			    " final_seq = ?5, decided_at = ?2 WHERE id = ?1"
			  : "UPDATE cases SET state = 'queued' WHERE id = ?1"
			    " AND ?2 = ?2 AND ?3 = ?3 AND ?5 = ?5",
		 case_id, at, lab, NULL, seq);
	assert_int_equal(store_commit(s, &err), DK_OK);
	clock_set_ms(-1);
	return seq;
}

static int64_t decide(store *s, int64_t case_id, const char *who,
		      const char *action, const char *label)
{
	return decide_at(s, case_id, who, action, label, "r1", 1, T0);
}

/* Undo of who's decision: the review leaves, the case goes back to state. */
static void undo(store *s, int64_t case_id, const char *who, const char *state)
{
	dk_error err = {{0}};
	assert_int_equal(store_begin_write(s, &err), DK_OK);
	audit_entry e = {.reviewer = who, .case_id = case_id, .action = "undo",
			 .seconds = NAN};
	assert_int_equal(audit_append(s, &e, NULL, NULL, &err), DK_OK);
	step_sql(s, "DELETE FROM reviews WHERE case_id = ?1 AND reviewer_id = ?2",
		 case_id, reviewer_id(s, who), NULL, NULL, 0);
	step_sql(s, "UPDATE cases SET state = ?3, final_label = NULL,"
		    " final_seq = NULL, decided_at = NULL WHERE id = ?1 AND ?2 = ?2"
		    " AND ?5 = ?5", case_id, 0, state, NULL, 0);
	assert_int_equal(store_commit(s, &err), DK_OK);
}

static void set_state(store *s, int64_t case_id, const char *state)
{
	step_sql(s, "UPDATE cases SET state = ?3 WHERE id = ?1 AND ?2 = ?2 AND ?5 = ?5",
		 case_id, 0, state, NULL, 0);
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	sbuf b = {0};
	char tmp[4096];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0)
		sbuf_add(&b, tmp, n);
	fclose(fp);
	if (!b.buf)
		sbuf_adds(&b, "");
	return b.buf;
}

static void out_path(struct fixture *f, char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", f->dir, name);
}

/* Run an export as the login user (a supervisor); fails the test unless
 * it returns want. The file's text is returned (caller frees) or NULL. */
static char *run_export(struct fixture *f, struct export_opts *o, int want,
			struct export_result *r, dk_error *err)
{
	struct export_result rr;
	dk_error e = {{0}};
	if (!r)
		r = &rr;
	if (!err)
		err = &e;
	int rc = export_run(f->s, o, r, err);
	if (rc != want)
		fail_msg("export_run returned %d, want %d: %s", rc, want, err->msg);
	return rc == DK_OK ? slurp(o->out) : NULL;
}

/* The number of lines of text holding needle. */
static int count_lines_with(const char *text, const char *needle)
{
	int n = 0;
	const char *p = text;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char *line = strndup(p, len);
		if (strstr(line, needle))
			n++;
		free(line);
		if (!e)
			break;
		p = e + 1;
	}
	return n;
}

/* ------------------------------------------------------------------ */

static void export_csv__reviewed__writes_columns_quoting_and_lineage(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	int64_t a = add_case(f->s, 1, "app-1", "good", 0.666331,
			     "{\"Age\":\"30\",\"pii:name\":\"Ann, \\\"Al\\\"\","
			     "\"Home\":\" rent\",\"Debt\":0,\"Note\":\"caf\\u00e9\\nok\"}",
			     "{\"good\":0.666331,\"bad\":0.333669}",
			     "{\"Age\":0.0843,\"Home\":-0.381}", "said \"no\", then\nleft");
	simple_case(f->s, "app-2", "good"); /* queued: not exported */
	decide_at(f->s, a, "ann", "override", "bad", "wrong_label", 1,
		  T0 + 5 * HOUR + 7000);
	char p[256];
	out_path(f, p, sizeof p, "out.csv");
	struct export_opts o;
	export_opts_init(&o);
	o.out = p;
	struct export_result r;
	char *text = run_export(f, &o, DK_OK, &r, NULL);
	assert_string_equal(
		text,
		"id,prediction,confidence,human_label,override,action,reviewer,"
		"reason,decided_at,model,model_version,policy_version,source_file,"
		"source_sha256,text,Age,pii:name,Home,Debt,Note,p:good,p:bad,"
		"attr:Age,attr:Home\n"
		"app-1,good,0.666331,bad,1,override,ann,wrong_label,"
		"2026-01-01T05:00:07Z,credit,v1,3,credit.csv,aaaa,"
		"\"said \"\"no\"\", then\nleft\",30,\"Ann, \"\"Al\"\"\",\" rent\",0,"
		"\"caf\xc3\xa9\nok\",0.666331,0.333669,0.0843,-0.381\n");
	assert_int_equal(r.rows, 1);
	free(text);
}

static void export_jsonl__values_keep_their_json_types(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	int64_t a = add_case(f->s, 1, "app-1", "good", 0.1 + 0.2,
			     "{\"Age\":30,\"pii:phone\":\"555\",\"tags\":[1,{\"a\":\"}\"}]}",
			     "{\"good\":0.3,\"bad\":0.7}", NULL, NULL);
	decide(f->s, a, "ann", "accept", NULL);
	char p[256];
	out_path(f, p, sizeof p, "out.jsonl");
	struct export_opts o;
	export_opts_init(&o);
	o.out = p;
	o.format = EXPORT_JSONL;
	char *text = run_export(f, &o, DK_OK, NULL, NULL);
	assert_string_equal(
		text,
		"{\"id\":\"app-1\",\"prediction\":\"good\",\"confidence\":"
		"0.30000000000000004,\"human_label\":\"good\",\"override\":0,"
		"\"action\":\"accept\",\"reviewer\":\"ann\",\"reason\":\"r1\","
		"\"decided_at\":\"2026-01-01T00:00:00Z\",\"model\":\"credit\","
		"\"model_version\":\"v1\",\"policy_version\":3,\"source_file\":"
		"\"credit.csv\",\"source_sha256\":\"aaaa\",\"Age\":30,\"pii:phone\":"
		"\"555\",\"tags\":[1,{\"a\":\"}\"}],\"p:good\":0.3,\"p:bad\":0.7}\n");
	free(text);
}

static void export__overrides__only_labels_that_differ(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	decide(f->s, simple_case(f->s, "c1", "good"), "ann", "accept", NULL);
	decide(f->s, simple_case(f->s, "c2", "good"), "ann", "override", "bad");
	decide(f->s, simple_case(f->s, "c3", "bad"), "bob", "override", "good");
	/* An override to the model's own label is no override. */
	decide(f->s, simple_case(f->s, "c4", "bad"), "bob", "override", "bad");
	char p[256];
	out_path(f, p, sizeof p, "o.csv");
	struct export_opts o;
	export_opts_init(&o);
	o.out = p;
	o.only = EXPORT_OVERRIDES;
	struct export_result r;
	char *text = run_export(f, &o, DK_OK, &r, NULL);
	assert_int_equal(r.rows, 2);
	assert_int_equal(count_lines_with(text, "c2,good,0.6,bad,1,override,ann"), 1);
	assert_int_equal(count_lines_with(text, "c3,bad,0.6,good,1,override,bob"), 1);
	assert_int_equal(count_lines_with(text, "c1,"), 0);
	assert_int_equal(count_lines_with(text, "c4,"), 0);
	free(text);
	o.only = EXPORT_REVIEWED;
	text = run_export(f, &o, DK_OK, &r, NULL);
	assert_int_equal(r.rows, 4);
	assert_int_equal(count_lines_with(text, "c4,bad,0.6,bad,0,override,bob"), 1);
	free(text);
}

static void export__all__marks_unreviewed_with_empty_label(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	decide(f->s, simple_case(f->s, "c1", "good"), "ann", "override", "bad");
	simple_case(f->s, "c2", "bad");                     /* queued */
	int64_t c3 = simple_case(f->s, "c3", "good");
	set_state(f->s, c3, CASE_AUTO);                     /* never routed */
	int64_t c4 = simple_case(f->s, "c4", "good");
	decide_at(f->s, c4, "ann", "escalate", NULL, "unsure", 0, T0);
	set_state(f->s, c4, CASE_ESCALATED);
	char p[256];
	out_path(f, p, sizeof p, "all.csv");
	struct export_opts o;
	export_opts_init(&o);
	o.out = p;
	o.only = EXPORT_ALL;
	struct export_result r;
	char *text = run_export(f, &o, DK_OK, &r, NULL);
	assert_int_equal(r.rows, 4);
	assert_int_equal(count_lines_with(text, "c1,good,0.6,bad,1,override,ann,r1,"), 1);
	assert_int_equal(count_lines_with(text, "c2,bad,0.6,,0,unreviewed,,,,credit,"), 1);
	assert_int_equal(count_lines_with(text, "c3,good,0.6,,0,unreviewed,,,,credit,"), 1);
	assert_int_equal(count_lines_with(text, "c4,good,0.6,,0,unreviewed,,,,credit,"), 1);
	free(text);
}

static void export__model_filter__takes_one_model_and_version(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	decide(f->s, simple_case(f->s, "c1", "good"), "ann", "accept", NULL);
	int64_t x = add_case(f->s, 2, "x1", "x", 0.5, "{\"w\":\"1\"}", NULL, NULL, NULL);
	decide(f->s, x, "ann", "override", "y");
	char p[256];
	out_path(f, p, sizeof p, "m.csv");
	struct export_opts o;
	export_opts_init(&o);
	o.out = p;
	o.model = "other";
	struct export_result r;
	char *text = run_export(f, &o, DK_OK, &r, NULL);
	assert_int_equal(r.rows, 1);
	/* The header carries only the fields of the rows taken. */
	assert_non_null(strstr(text, "source_sha256,w\nx1,x,0.5,y,1,"));
	free(text);
	o.model = "credit";
	o.model_version = "v2";
	text = run_export(f, &o, DK_OK, &r, NULL);
	assert_int_equal(r.rows, 0);
	assert_string_equal(text, "id,prediction,confidence,human_label,override,"
				  "action,reviewer,reason,decided_at,model,"
				  "model_version,policy_version,source_file,"
				  "source_sha256\n");
	free(text);
	o.model_version = "v1";
	text = run_export(f, &o, DK_OK, &r, NULL);
	assert_int_equal(r.rows, 1);
	free(text);
	dk_error err;
	o.model = "nosuch";
	o.model_version = NULL;
	unlink(p);
	run_export(f, &o, DK_USAGE, NULL, &err);
	assert_non_null(strstr(err.msg, "no model named 'nosuch'"));
	assert_int_equal(access(p, F_OK), -1);
}

static void export__since_until__filter_on_decided_time(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	decide_at(f->s, simple_case(f->s, "early", "good"), "ann", "accept", NULL,
		  "r1", 1, T0);
	decide_at(f->s, simple_case(f->s, "mid", "good"), "ann", "accept", NULL,
		  "r1", 1, T0 + 2 * HOUR);
	decide_at(f->s, simple_case(f->s, "late", "good"), "ann", "accept", NULL,
		  "r1", 1, T0 + 4 * HOUR);
	char p[256];
	out_path(f, p, sizeof p, "t.csv");
	struct export_opts o;
	export_opts_init(&o);
	o.out = p;
	o.since_ms = T0 + 2 * HOUR; /* inclusive */
	struct export_result r;
	char *text = run_export(f, &o, DK_OK, &r, NULL);
	assert_int_equal(r.rows, 2);
	assert_int_equal(count_lines_with(text, "early,"), 0);
	free(text);
	o.since_ms = -1;
	o.until_ms = T0 + 2 * HOUR; /* exclusive */
	text = run_export(f, &o, DK_OK, &r, NULL);
	assert_int_equal(r.rows, 1);
	assert_int_equal(count_lines_with(text, "early,"), 1);
	free(text);
	o.since_ms = T0 + 1;
	o.until_ms = T0 + 4 * HOUR;
	text = run_export(f, &o, DK_OK, &r, NULL);
	assert_int_equal(r.rows, 1);
	assert_int_equal(count_lines_with(text, "mid,"), 1);
	free(text);
}

static void export__undo__drops_then_new_decision_counts(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	int64_t c = simple_case(f->s, "c1", "good");
	decide(f->s, c, "ann", "override", "bad");
	undo(f->s, c, "ann", CASE_HELD);
	char p[256];
	out_path(f, p, sizeof p, "u.csv");
	struct export_opts o;
	export_opts_init(&o);
	o.out = p;
	struct export_result r;
	char *text = run_export(f, &o, DK_OK, &r, NULL);
	assert_int_equal(r.rows, 0);
	free(text);
	decide(f->s, c, "ann", "accept", NULL);
	text = run_export(f, &o, DK_OK, &r, NULL);
	assert_int_equal(r.rows, 1);
	assert_int_equal(count_lines_with(text, "c1,good,0.6,good,0,accept,ann,"), 1);
	free(text);
}

static void export__resolve__supervisor_label_and_agreeing_reviewer(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	/* Double review that disagreed: ann says bad, bob says good; sue
	 * resolves bad. */
	int64_t c = simple_case(f->s, "d1", "good");
	decide_at(f->s, c, "ann", "override", "bad", "r1", 0, T0);
	decide_at(f->s, c, "bob", "accept", NULL, "r1", 0, T0 + 1000);
	set_state(f->s, c, CASE_DISPUTED);
	decide_at(f->s, c, "sue", "resolve", "bad", "policy", 1, T0 + 2000);
	/* Escalation resolved: the escalating reviewer gave no label. */
	int64_t e = simple_case(f->s, "e1", "bad");
	decide_at(f->s, e, "bob", "escalate", NULL, "unsure", 0, T0);
	set_state(f->s, e, CASE_ESCALATED);
	decide_at(f->s, e, "sue", "resolve", "good", "fraud", 1, T0 + 3000);
	/* Double review that agreed: both reviewers. */
	int64_t g = simple_case(f->s, "g1", "good");
	decide_at(f->s, g, "bob", "override", "bad", "r2", 0, T0);
	decide_at(f->s, g, "ann", "override", "bad", "r3", 1, T0 + 4000);
	char p[256];
	out_path(f, p, sizeof p, "r.csv");
	struct export_opts o;
	export_opts_init(&o);
	o.out = p;
	struct export_result r;
	char *text = run_export(f, &o, DK_OK, &r, NULL);
	assert_int_equal(r.rows, 3);
	assert_int_equal(count_lines_with(text, "d1,good,0.6,bad,1,resolve,ann;sue,policy,"
						"2026-01-01T00:00:02Z"), 1);
	assert_int_equal(count_lines_with(text, "e1,bad,0.6,good,1,resolve,sue,fraud,"), 1);
	assert_int_equal(count_lines_with(text, "g1,good,0.6,bad,1,override,bob;ann,r3,"), 1);
	free(text);
	/* Undo of the resolve: back to disputed, out of the export. */
	undo(f->s, c, "sue", CASE_DISPUTED);
	text = run_export(f, &o, DK_OK, &r, NULL);
	assert_int_equal(r.rows, 2);
	assert_int_equal(count_lines_with(text, "d1,"), 0);
	free(text);
}

static char *export_named(struct fixture *f, const char *name, int64_t *rows)
{
	char p[256];
	out_path(f, p, sizeof p, "n.csv");
	struct export_opts o;
	export_opts_init(&o);
	o.out = p;
	o.since_last = name;
	struct export_result r;
	char *text = run_export(f, &o, DK_OK, &r, NULL);
	*rows = r.rows;
	return text;
}

static void export_since_last__takes_each_correction_once(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	int64_t c1 = simple_case(f->s, "c1", "good");
	int64_t c2 = simple_case(f->s, "c2", "good");
	int64_t c3 = simple_case(f->s, "c3", "good");
	int64_t c4 = simple_case(f->s, "c4", "good");
	decide(f->s, c1, "ann", "override", "bad");
	decide(f->s, c2, "ann", "accept", NULL);
	int64_t rows;
	char *t = export_named(f, "nightly", &rows);
	assert_int_equal(rows, 2);
	assert_int_equal(count_lines_with(t, "c1,"), 1);
	assert_int_equal(count_lines_with(t, "c2,"), 1);
	free(t);
	/* Second night: c3 decided; c1 corrected (undo, new label). */
	decide(f->s, c3, "bob", "override", "bad");
	undo(f->s, c1, "ann", CASE_HELD);
	decide(f->s, c1, "ann", "accept", NULL);
	t = export_named(f, "nightly", &rows);
	assert_int_equal(rows, 2);
	assert_int_equal(count_lines_with(t, "c3,good,0.6,bad,"), 1);
	assert_int_equal(count_lines_with(t, "c1,good,0.6,good,0,accept,"), 1);
	assert_int_equal(count_lines_with(t, "c2,"), 0);
	free(t);
	/* Third night: only c4. Another name starts from the beginning. */
	decide(f->s, c4, "bob", "accept", NULL);
	t = export_named(f, "nightly", &rows);
	assert_int_equal(rows, 1);
	assert_int_equal(count_lines_with(t, "c4,"), 1);
	free(t);
	t = export_named(f, "nightly", &rows);
	assert_int_equal(rows, 0);
	free(t);
	t = export_named(f, "weekly", &rows);
	assert_int_equal(rows, 4);
	free(t);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM exports"), 2);
	/* The watermark covers every final label taken, and stops below the
	 * export's own audit entry. */
	assert_int_equal(fixture_int(f->s, "SELECT last_seq >= (SELECT max(final_seq)"
					   " FROM cases) AND last_seq < audit_seq"
					   " FROM exports WHERE name = 'nightly'"), 1);
}

/* A final label taken by the last export and withdrawn since (undone, or
 * sent to a supervisor) gets a "withdrawn" row with no label, once; a
 * name that takes overrides only withdraws only what it took. */
static void export_since_last__withdrawn_rows(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	int64_t c1 = simple_case(f->s, "c1", "good");
	int64_t c2 = simple_case(f->s, "c2", "good");
	int64_t c3 = simple_case(f->s, "c3", "good");
	decide(f->s, c1, "ann", "override", "bad");
	decide(f->s, c2, "ann", "accept", NULL);
	decide(f->s, c3, "bob", "accept", NULL);
	char p[256];
	out_path(f, p, sizeof p, "o.csv");
	struct export_opts o;
	export_opts_init(&o);
	o.out = p;
	o.since_last = "ov";
	o.only = EXPORT_OVERRIDES;
	struct export_result r;
	char *t = run_export(f, &o, DK_OK, &r, NULL);
	assert_int_equal(r.rows, 1);
	free(t);
	int64_t rows;
	free(export_named(f, "all", &rows));
	assert_int_equal(rows, 3);
	/* c1 and c2 undone; c3 escalated by an amend (its log says so) */
	undo(f->s, c1, "ann", CASE_QUEUED);
	undo(f->s, c2, "ann", CASE_QUEUED);
	decide_at(f->s, c3, "bob", "escalate", NULL, "r1", 0, T0);
	set_state(f->s, c3, CASE_ESCALATED);
	t = export_named(f, "all", &rows);
	assert_int_equal(rows, 3);
	assert_int_equal(count_lines_with(t, "c1,good,0.6,,0,withdrawn,,,,credit,v1,3,"), 1);
	assert_int_equal(count_lines_with(t, "c2,good,0.6,,0,withdrawn,"), 1);
	assert_int_equal(count_lines_with(t, "c3,good,0.6,,0,withdrawn,"), 1);
	free(t);
	t = run_export(f, &o, DK_OK, &r, NULL);
	assert_int_equal(r.rows, 1);
	assert_int_equal(r.withdrawn, 1);
	assert_int_equal(count_lines_with(t, "c1,good,0.6,,0,withdrawn,"), 1);
	free(t);
	/* told once */
	free(export_named(f, "all", &rows));
	assert_int_equal(rows, 0);
}

static void export_since_last__keeps_the_filters_of_its_name(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	decide(f->s, simple_case(f->s, "c1", "good"), "ann", "override", "bad");
	char p[256];
	out_path(f, p, sizeof p, "k.csv");
	struct export_opts o;
	export_opts_init(&o);
	o.out = p;
	o.since_last = "n";
	o.only = EXPORT_OVERRIDES;
	free(run_export(f, &o, DK_OK, NULL, NULL));
	o.only = EXPORT_REVIEWED;
	dk_error err;
	run_export(f, &o, DK_USAGE, NULL, &err);
	assert_non_null(strstr(err.msg, "export 'n' was taken with the filters"));
	o.only = EXPORT_ALL;
	run_export(f, &o, DK_USAGE, NULL, &err);
	assert_non_null(strstr(err.msg, "cannot be combined with --only all"));
}

static void export__drop_pii__no_pii_column_or_key(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	int64_t c = add_case(f->s, 1, "c1", "good", 0.6,
			     "{\"pii:name\":\"Ann Smith\",\"Age\":\"30\","
			     "\"pii:phone\":\"555-0100\"}", NULL, NULL, NULL);
	decide(f->s, c, "ann", "accept", NULL);
	char p[256];
	out_path(f, p, sizeof p, "d.csv");
	struct export_opts o;
	export_opts_init(&o);
	o.out = p;
	o.drop_pii = 1;
	char *text = run_export(f, &o, DK_OK, NULL, NULL);
	assert_null(strstr(text, "pii:"));
	assert_null(strstr(text, "Ann Smith"));
	assert_null(strstr(text, "555-0100"));
	assert_non_null(strstr(text, "source_sha256,Age\n"));
	free(text);
	o.format = EXPORT_JSONL;
	text = run_export(f, &o, DK_OK, NULL, NULL);
	assert_null(strstr(text, "pii:"));
	assert_null(strstr(text, "Ann Smith"));
	assert_non_null(strstr(text, "\"Age\":\"30\"}"));
	free(text);
	o.drop_pii = 0;
	text = run_export(f, &o, DK_OK, NULL, NULL);
	assert_non_null(strstr(text, "\"pii:name\":\"Ann Smith\""));
	free(text);
}

static void export__audit_entry__records_file_filters_rows_sha256(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	decide(f->s, simple_case(f->s, "c1", "good"), "ann", "override", "bad");
	decide(f->s, simple_case(f->s, "c2", "good"), "ann", "accept", NULL);
	char p[256];
	out_path(f, p, sizeof p, "a.csv");
	struct export_opts o;
	export_opts_init(&o);
	o.out = p;
	o.actor = "sue";
	o.only = EXPORT_OVERRIDES;
	o.since_last = "ml";
	struct export_result r;
	char *text = run_export(f, &o, DK_OK, &r, NULL);
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[65];
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	assert_string_equal(hex, r.sha256);
	free(text);
	dk_error serr = {{0}};
	db_stmt *st = store_stmt(f->s,
		"SELECT reviewer, case_id IS NULL, detail ->> '$.sha256',"
		" detail ->> '$.rows', detail ->> '$.only',"
		" detail ->> '$.since_last', detail ->> '$.file'"
		" FROM decisions WHERE seq = ?1 AND action = 'export'", &serr);
	assert_non_null(st);
	db_bind_int64(st, 1, r.audit_seq);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal((const char *)db_col_text(st, 0), "sue");
	assert_int_equal(db_col_int(st, 1), 1);
	assert_string_equal((const char *)db_col_text(st, 2), r.sha256);
	assert_int_equal(db_col_int(st, 3), 1);
	assert_string_equal((const char *)db_col_text(st, 4), "overrides");
	assert_string_equal((const char *)db_col_text(st, 5), "ml");
	char real[PATH_MAX];
	assert_non_null(realpath(p, real));
	assert_string_equal((const char *)db_col_text(st, 6), real);
	store_done(st);
	assert_int_equal(fixture_int(f->s, "SELECT audit_seq FROM exports"), r.audit_seq);
	audit_report rep;
	dk_error err = {{0}};
	assert_int_equal(audit_verify(f->s, NULL, &rep, &err), DK_OK);
}

static void export__only_supervisors_may_export(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	decide(f->s, simple_case(f->s, "c1", "good"), "ann", "accept", NULL);
	char p[256];
	out_path(f, p, sizeof p, "s.csv");
	struct export_opts o;
	export_opts_init(&o);
	o.out = p;
	o.actor = "ann";
	dk_error err;
	run_export(f, &o, DK_USAGE, NULL, &err);
	assert_non_null(strstr(err.msg, "'ann' is a reviewer; only supervisors may export"));
	o.actor = "mallory";
	run_export(f, &o, DK_USAGE, NULL, &err);
	assert_non_null(strstr(err.msg, "'mallory' is not a reviewer of this store"));
	assert_int_equal(access(p, F_OK), -1);
	assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM decisions"
					   " WHERE action = 'export'"), 0);
}

static int dir_entries(const char *dir)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "ls -A '%s' | grep -vc '^store.db'", dir);
	FILE *p = popen(cmd, "r");
	int n = -1;
	if (p) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

static void export__failures__leave_no_file_and_no_entry(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	decide(f->s, simple_case(f->s, "c1", "good"), "ann", "accept", NULL);
	char p[256];
	out_path(f, p, sizeof p, "nodir/x.csv");
	struct export_opts o;
	export_opts_init(&o);
	o.out = p;
	dk_error err;
	run_export(f, &o, DK_ERR, NULL, &err);
	assert_non_null(strstr(err.msg, "x.csv: No such file or directory"));
	/* The target is a directory: refused before anything is written
	 * (outfile_check), no temp file made. */
	out_path(f, p, sizeof p, "adir");
	assert_int_equal(mkdir(p, 0700), 0);
	run_export(f, &o, DK_USAGE, NULL, &err);
	assert_non_null(strstr(err.msg, "adir: is a directory"));
	rmdir(p);
	assert_int_equal(dir_entries(f->dir), 0);
	/* Writing over the store is refused (a store that is a file). */
	if (store_engine(f->s) == STORE_SQLITE) {
		o.out = f->path;
		run_export(f, &o, DK_USAGE, NULL, &err);
		assert_non_null(strstr(err.msg, "that is the store"));
		assert_int_equal(fixture_int(f->s, "SELECT count(*) FROM decisions"
						   " WHERE action = 'export'"), 0);
	}
	/* A cancelled export (Ctrl-C) cleans up too. */
	volatile sig_atomic_t stop = 1;
	out_path(f, p, sizeof p, "c.csv");
	o.out = p;
	o.cancel = &stop;
	run_export(f, &o, DK_ERR, NULL, &err);
	assert_non_null(strstr(err.msg, "interrupted"));
	assert_int_equal(dir_entries(f->dir), 0);
}

static void export__pages__one_row_pages_give_the_same_file(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	char id[16];
	for (int i = 0; i < 25; i++) {
		snprintf(id, sizeof id, "c%02d", i);
		int64_t c = add_case(f->s, 1, id, "good", 0.5,
				     i % 3 ? "{\"a\":\"1\"}" : "{\"b\":\"2\"}", NULL,
				     i % 4 ? NULL : "{\"w\":1}", NULL);
		if (i % 5)
			decide(f->s, c, i % 2 ? "ann" : "bob",
			       i % 3 ? "accept" : "override", i % 3 ? NULL : "bad");
	}
	for (int fmt = 0; fmt < 2; fmt++) {
		for (int only = 0; only < 3; only++) {
			char p1[256], p2[256];
			out_path(f, p1, sizeof p1, "p1");
			out_path(f, p2, sizeof p2, "p2");
			struct export_opts o;
			export_opts_init(&o);
			o.format = fmt ? EXPORT_JSONL : EXPORT_CSV;
			o.only = (enum export_only)only;
			o.out = p1;
			struct export_result r1, r2;
			char *a = run_export(f, &o, DK_OK, &r1, NULL);
			o.out = p2;
			o.page_rows = 1;
			char *b = run_export(f, &o, DK_OK, &r2, NULL);
			assert_string_equal(a, b);
			assert_int_equal(r1.rows, only == 0 ? 20 : only == 1 ? 7 : 25);
			assert_int_equal(r1.rows, r2.rows);
			free(a);
			free(b);
		}
	}
}

static void export__context_named_like_a_column__is_renamed(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	int64_t c = add_case(f->s, 1, "c1", "good", 0.6,
			     "{\"human_label\":\"bad\",\"model\":\"m0\",\"x\":\"1\"}",
			     NULL, NULL, NULL);
	decide(f->s, c, "ann", "accept", NULL);
	char p[256];
	out_path(f, p, sizeof p, "c.csv");
	struct export_opts o;
	export_opts_init(&o);
	o.out = p;
	char *text = run_export(f, &o, DK_OK, NULL, NULL);
	assert_non_null(strstr(text, "source_sha256,context:human_label,context:model,x\n"));
	free(text);
	o.format = EXPORT_JSONL;
	text = run_export(f, &o, DK_OK, NULL, NULL);
	assert_non_null(strstr(text, "\"context:human_label\":\"bad\",\"context:model\":\"m0\""));
	free(text);
}

static void export_explain__pages_are_index_ranges(void **state)
{
	struct fixture *f = *state;
	sbuf plan = {0};
	dk_error err = {{0}};
	fixture_plan_start(f->s);
	assert_int_equal(export_explain(f->s, &plan, &err), DK_OK);
	fixture_plan_end(f->s);
	const char *p = sbuf_str(&plan);
	/* Seven statements, each with its plan; no full scan of cases. */
	int n = 0;
	for (const char *q = p; (q = strstr(q, "-- SELECT")); q++)
		n++;
	assert_int_equal(n, 7);
	if (store_engine(f->s) == STORE_POSTGRES) {
		static const char *const big[] = {"cases", "decisions", NULL};
		char line[200];
		if (fixture_pg_seq_scan(p, big, line, sizeof line))
			fail_msg("an export scans: %s\n%s", line, p);
		sbuf_free(&plan);
		return;
	}
	/* the withdrawn cases: ranges of the log by action, then by id */
	assert_non_null(strstr(p, "SEARCH d USING INDEX decisions_action (action=? AND seq>? AND seq<?)"));
	assert_non_null(strstr(p, "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)"));
	assert_non_null(strstr(p, "SEARCH c USING INDEX cases_final (final_seq>? AND final_seq<?)"));
	assert_non_null(strstr(p, "SEARCH c USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"));
	assert_null(strstr(p, "SCAN c"));
	assert_null(strstr(p, "SCAN cases"));
	sbuf_free(&plan);
}

static void export__escaped_keys_and_all_time_filter(void **state)
{
	struct fixture *f = *state;
	seed(f->s);
	int64_t a = add_case(f->s, 1, "c1", "good", 0.6,
			     "{\"na\\\"me\":\"x\",\"caf\\u00e9\":\"y\"}", NULL, NULL, NULL);
	decide_at(f->s, a, "ann", "accept", NULL, "r1", 1, T0 + 10 * HOUR);
	simple_case(f->s, "c2", "good"); /* undecided: batch imported at 1000 ms */
	char p[256];
	out_path(f, p, sizeof p, "e.csv");
	struct export_opts o;
	export_opts_init(&o);
	o.out = p;
	char *text = run_export(f, &o, DK_OK, NULL, NULL);
	assert_non_null(strstr(text, "source_sha256,\"na\"\"me\",caf\xc3\xa9\n"));
	free(text);
	o.format = EXPORT_JSONL;
	text = run_export(f, &o, DK_OK, NULL, NULL);
	assert_non_null(strstr(text, "\"na\\\"me\":\"x\",\"caf\\u00e9\":\"y\"}"));
	free(text);
	/* --only all: decided cases by decision time, the rest by import time. */
	o.format = EXPORT_CSV;
	o.only = EXPORT_ALL;
	struct export_result r;
	o.since_ms = T0;
	text = run_export(f, &o, DK_OK, &r, NULL);
	assert_int_equal(r.rows, 1);
	assert_int_equal(count_lines_with(text, "c1,"), 1);
	free(text);
	o.since_ms = -1;
	o.until_ms = T0;
	text = run_export(f, &o, DK_OK, &r, NULL);
	assert_int_equal(r.rows, 1);
	assert_int_equal(count_lines_with(text, "c2,good,0.6,,0,unreviewed,"), 1);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
		T(export_csv__reviewed__writes_columns_quoting_and_lineage),
		T(export_jsonl__values_keep_their_json_types),
		T(export__overrides__only_labels_that_differ),
		T(export__all__marks_unreviewed_with_empty_label),
		T(export__model_filter__takes_one_model_and_version),
		T(export__since_until__filter_on_decided_time),
		T(export__undo__drops_then_new_decision_counts),
		T(export__resolve__supervisor_label_and_agreeing_reviewer),
		T(export_since_last__takes_each_correction_once),
		T(export_since_last__withdrawn_rows),
		T(export_since_last__keeps_the_filters_of_its_name),
		T(export__drop_pii__no_pii_column_or_key),
		T(export__audit_entry__records_file_filters_rows_sha256),
		T(export__only_supervisors_may_export),
		T(export__failures__leave_no_file_and_no_entry),
		T(export__pages__one_row_pages_give_the_same_file),
		T(export__context_named_like_a_column__is_renamed),
		T(export_explain__pages_are_index_ranges),
		T(export__escaped_keys_and_all_time_filter),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
