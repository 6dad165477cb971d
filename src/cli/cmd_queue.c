/* cmd_queue.c: `docket queue STORE`: counts by state from the maintained
 * counters, the oldest waiting case and live leases. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "docket/clock.h"
#include "docket/termsafe.h"

static const char queue_usage[] =
	"Usage: docket queue STORE [--model NAME] [--json]\n"
	"Show, per model, how many cases are in each state (queued, held,\n"
	"escalated, disputed, done, auto = not routed to review), when the oldest\n"
	"waiting case was imported, and the live leases per reviewer.\n"
	"  --model NAME   only this model\n"
	"  --json         one JSON object instead of a table\n";

static const char *const queue_states[] = {CASE_QUEUED, CASE_HELD,
					   CASE_ESCALATED, CASE_DISPUTED,
					   CASE_DONE, CASE_AUTO};
#define QUEUE_NSTATES (sizeof queue_states / sizeof queue_states[0])

struct queue_row {
	long long n[QUEUE_NSTATES];
	long long oldest_ms; /* -1: nothing waiting */
};

/* A failed read is an error: zeros would say the queue is empty. */
static int queue_fill(store *s, int64_t model_id, struct queue_row *row,
		      dk_error *err)
{
	memset(row, 0, sizeof *row);
	row->oldest_ms = -1;
	db_stmt *st = store_stmt(
		s, "SELECT state, n FROM counters WHERE model_id = ?1", err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, model_id);
	while (db_step(st) == DB_ROW) {
		const char *state = (const char *)db_col_text(st, 0);
		for (size_t i = 0; i < QUEUE_NSTATES; i++)
			if (!strcmp(state, queue_states[i]))
				row->n[i] = db_col_int64(st, 1);
	}
	if (store_done(st) != DB_OK)
		return store_fail(s, err, "reading the counters");
	/* One index seek per batch (cases_batch), never a scan of cases. */
	st = store_stmt(s,
			"SELECT min(b.imported_at) FROM batches b"
			" WHERE b.model_id = ?1 AND EXISTS (SELECT 1 FROM cases c"
			"  WHERE c.batch_id = b.id AND c.state = 'queued')",
			err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, model_id);
	if (db_step(st) == DB_ROW && db_col_type(st, 0) != DB_NULL)
		row->oldest_ms = db_col_int64(st, 0);
	if (store_done(st) != DB_OK)
		return store_fail(s, err, "reading the oldest waiting batch");
	return DK_OK;
}

int cmd_queue(int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
					     {"model", required_argument, NULL, 'm'},
					     {"json", no_argument, NULL, 'j'},
					     {NULL, 0, NULL, 0}};
	const char *model = NULL;
	int json = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hm:j", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(queue_usage);
		case 'm': model = optarg; break;
		case 'j': json = 1; break;
		default: return cli_usage_error("queue", "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("queue", "expected one STORE path");
	store *s = cli_open_store(argv[optind], 0);
	if (!s)
		return EXIT_FAIL;
	if (model && cli_model_id(s, model, NULL)) {
		store_close(s);
		return EXIT_FAIL;
	}
	dk_error err = {{0}};
	int rc = EXIT_OK, found = 0;
	int64_t now = clock_now_ms();
	if (store_begin_read(s, &err)) {
		rc = cli_fail(err.msg);
		goto out;
	}
	db_stmt *models = store_stmt(
		s, "SELECT id, name FROM models WHERE ?1 IS NULL OR name = ?1"
		   " ORDER BY name", &err);
	if (!models) {
		rc = cli_fail(err.msg);
		goto out;
	}
	db_bind_text(models, 1, model, -1, DB_STATIC);
	sbuf out = {0}, who = {0};
	if (json)
		sbuf_adds(&out, "{\"models\":[");
	else {
		cli_table_utf8();
		sbuf_printf(&out, "%-20s %9s %6s %9s %8s %9s %9s  %s\n", "model",
			    "queued", "held", "escalated", "disputed", "done",
			    "auto", "oldest waiting");
	}
	while (db_step(models) == DB_ROW) {
		struct queue_row row;
		char when[32] = "-";
		const char *name = (const char *)db_col_text(models, 1);
		if (queue_fill(s, db_col_int64(models, 0), &row, &err))
			break;
		if (row.oldest_ms >= 0)
			clock_format_iso(row.oldest_ms, when, sizeof when);
		if (json) {
			sbuf_adds(&out, found ? ",{\"model\":" : "{\"model\":");
			sbuf_add_json_str(&out, name, strlen(name));
			for (size_t i = 0; i < QUEUE_NSTATES; i++)
				sbuf_printf(&out, ",\"%s\":%lld", queue_states[i],
					    row.n[i]);
			if (row.oldest_ms >= 0)
				sbuf_printf(&out, ",\"oldest_waiting\":\"%s\"}", when);
			else
				sbuf_adds(&out, ",\"oldest_waiting\":null}");
		} else {
			cli_cell(&out, name, 20);
			sbuf_printf(&out, " %9lld %6lld %9lld %8lld %9lld %9lld  %s\n",
				    row.n[0], row.n[1], row.n[2], row.n[3],
				    row.n[4], row.n[5], when);
		}
		found++;
	}
	if (store_done(models) != DB_OK && !err.msg[0])
		store_fail(s, &err, "reading the models");
	if (err.msg[0]) {
		rc = cli_fail(err.msg);
		goto out_free;
	}
	if (model && !found) {
		sbuf_free(&out);
		cli_eprintf("docket: %s: no model named '%s'\n", argv[optind], model);
		rc = EXIT_FAIL;
		goto out;
	}
	/* Live leases: the leases table only holds claimed cases, so this is
	 * small whatever the store's size. */
	db_stmt *st = store_stmt(
		s, "SELECT r.name, count(*) FROM leases l"
		   " JOIN reviewers r ON r.id = l.reviewer_id"
		   " WHERE l.expires_at > ?1 GROUP BY r.name ORDER BY r.name", &err);
	if (!st) {
		rc = cli_fail(err.msg);
		goto out_free;
	}
	db_bind_int64(st, 1, now);
	long long live = 0;
	while (db_step(st) == DB_ROW) {
		const char *name = (const char *)db_col_text(st, 0);
		long long n = db_col_int64(st, 1);
		if (json) {
			sbuf_adds(&who, live ? "," : "");
			sbuf_add_json_str(&who, name, strlen(name));
			sbuf_printf(&who, ":%lld", n);
		} else {
			sbuf_adds(&who, live ? ", " : "");
			termsafe_add(&who, name, strlen(name), 0);
			sbuf_printf(&who, " %lld", n);
		}
		live += n;
	}
	if (store_done(st) != DB_OK) {
		store_fail(s, &err, "reading the leases");
		rc = cli_fail(err.msg);
		goto out_free;
	}
	/* The table's names went in made visible (cli_cell, termsafe_add);
	 * JSON is data, exact unless it goes to a terminal. */
	if (json)
		sbuf_printf(&out, "],\"live_leases\":%lld,\"leases_by_reviewer\":{%s}}\n",
			    live, sbuf_str(&who));
	else if (live)
		sbuf_printf(&out, "live leases: %lld (%s)\n", live, sbuf_str(&who));
	else
		sbuf_adds(&out, "live leases: 0\n");
	cli_write_data(out.buf, out.len);
out_free:
	sbuf_free(&out);
	sbuf_free(&who);
out:
	store_rollback(s);
	store_close(s);
	return rc;
}
