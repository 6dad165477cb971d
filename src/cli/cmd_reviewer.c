/* cmd_reviewer.c: `docket reviewer add|role|list|auto-add STORE ...`: who
 * may do what. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "docket/clock.h"
#include "docket/queue.h"

static const char reviewer_usage[] =
	"Usage: docket reviewer add STORE NAME [--role reviewer|supervisor] [--as NAME]\n"
	"       docket reviewer role STORE NAME reviewer|supervisor [--as NAME]\n"
	"       docket reviewer list STORE\n"
	"       docket reviewer auto-add STORE on|off [--as NAME]\n"
	"Reviewers decide cases; supervisors also resolve escalations and\n"
	"disagreements, set policies and manage reviewers. Whoever created the\n"
	"store is its first supervisor. A name that is not a reviewer is refused\n"
	"by next and decide, unless auto-add is on: then it is added as a\n"
	"reviewer the first time it claims or decides.\n"
	"On a PostgreSQL store a reviewer is the database role the connection\n"
	"acts as: add grants an existing login role the store's own group role\n"
	"(docket_reviewer_DB or docket_supervisor_DB, for the database DB), and\n"
	"role moves it to the other; the database administrator creates the\n"
	"login role (CREATE ROLE NAME LOGIN). --as is refused there: you are\n"
	"the role you logged in as (or set with SET ROLE). list ends there with\n"
	"the store's group roles, and any reviewer whose login role lacks its\n"
	"role's (the database refuses them).\n"
	"  --role ROLE  for add (default reviewer)\n"
	"  --as NAME    the supervisor doing it (default: your login name)\n";

/* The end of `reviewer list` on PostgreSQL, where the database decides
 * who may act: the store's own group roles, and every reviewer whose
 * login role lacks the one of its role (one that held only the cluster's
 * roles before the store had its own, a role missing, a grant the
 * administrator took back), whom the database refuses whatever the list
 * above says. (The schema's owner and superusers need no grant.) */
static int reviewer_list_pg(store *s, const char *path, sbuf *out, dk_error *err)
{
	db_stmt *st = store_stmt(
		s, "SELECT store_role('reviewer'), store_role('supervisor')", err);
	if (!st)
		return DK_ERR;
	if (db_step(st) == DB_ROW) {
		sbuf_adds(out, "group roles: ");
		cli_cell(out, (const char *)db_col_text(st, 0), 0);
		sbuf_adds(out, " (reviewers), ");
		cli_cell(out, (const char *)db_col_text(st, 1), 0);
		sbuf_adds(out, " (supervisors)\n");
	}
	if (store_done(st) != DB_OK)
		return store_fail(s, err, "reading the store's group roles");
	st = store_stmt(s, "SELECT r.name, r.role, store_role(r.role) FROM reviewers r"
			   " WHERE NOT EXISTS (SELECT 1 FROM pg_roles u"
			   " WHERE u.rolname = r.name AND (u.rolsuper OR u.oid ="
			   " (SELECT n.nspowner FROM pg_namespace n"
			   " WHERE n.nspname = 'docket') OR pg_has_role(u.oid,"
			   " to_regrole(quote_ident(store_role(r.role))), 'MEMBER')))"
			   " ORDER BY r.name", err);
	if (!st)
		return DK_ERR;
	while (db_step(st) == DB_ROW) {
		const char *name = (const char *)db_col_text(st, 0);
		const char *role = (const char *)db_col_text(st, 1);
		sbuf_adds(out, "not granted: ");
		cli_cell(out, name, 0);
		sbuf_adds(out, " lacks ");
		cli_cell(out, (const char *)db_col_text(st, 2), 0);
		sbuf_printf(out, ": the database refuses it as a %s (docket reviewer "
				 "role %s ", role, path);
		cli_cell(out, name, 0);
		sbuf_printf(out, " %s grants it)\n", role);
	}
	if (store_done(st) != DB_OK)
		return store_fail(s, err, "reading the reviewers' grants");
	return DK_OK;
}

int cmd_reviewer(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"role", required_argument, NULL, 'r'},
		{"as", required_argument, NULL, 'a'},
		{NULL, 0, NULL, 0}};
	const char *role = ROLE_REVIEWER, *as = dk_login_name();
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hr:a:", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(reviewer_usage);
		case 'r': role = optarg; break;
		case 'a': as = optarg; break;
		default: return cli_usage_error("reviewer", "unknown option");
		}
	}
	int nargs = argc - optind;
	char **a = argv + optind;
	if (nargs < 2)
		return cli_usage_error("reviewer", "expected add, role, list or "
				       "auto-add, then STORE");
	const char *sub = a[0];
	int want = !strcmp(sub, "add") ? 3 : !strcmp(sub, "role") ? 4
		 : !strcmp(sub, "list") ? 2 : !strcmp(sub, "auto-add") ? 3 : -1;
	if (want < 0)
		return cli_usage_error("reviewer", "unknown subcommand '%s'", sub);
	if (nargs != want)
		return cli_usage_error("reviewer", "wrong number of arguments for '%s'",
				       sub);
	if (!strcmp(sub, "auto-add") && strcmp(a[2], "on") && strcmp(a[2], "off"))
		return cli_usage_error("reviewer", "auto-add takes on or off");
	store *s = cli_open_store(a[1], 0);
	if (!s)
		return EXIT_FAIL;
	if (cli_act_as(s, "--as", &as)) {
		store_close(s);
		return EXIT_FAIL;
	}
	dk_error err = {{0}};
	int rc = DK_OK;
	if (!strcmp(sub, "add")) {
		rc = queue_reviewer_add(s, a[2], role, as, &err);
		if (!rc)
			cli_printf("added %s as %s\n", a[2], role);
	} else if (!strcmp(sub, "role")) {
		rc = queue_reviewer_set_role(s, a[2], a[3], as, &err);
		if (!rc)
			cli_printf("%s is now %s\n", a[2], a[3]);
	} else if (!strcmp(sub, "auto-add")) {
		rc = queue_set_auto_add(s, !strcmp(a[2], "on"), as, &err);
		if (!rc)
			cli_printf("auto-add %s\n", a[2]);
	} else {
		db_stmt *st = store_stmt(
			s, "SELECT name, role, added_at, added_by FROM reviewers"
			   " ORDER BY name", &err);
		if (!st) {
			rc = DK_ERR;
		} else {
			/* names made visible and lined up by display width */
			cli_table_utf8();
			sbuf out = {0};
			sbuf_printf(&out, "%-20s %-10s %-20s %s\n", "name", "role",
				    "added", "by");
			int step;
			while ((step = db_step(st)) == DB_ROW) {
				char when[32];
				cli_cell(&out, (const char *)db_col_text(st, 0), 20);
				sbuf_addc(&out, ' ');
				cli_cell(&out, (const char *)db_col_text(st, 1), 10);
				sbuf_printf(&out, " %-20s ",
					    clock_format_iso(db_col_int64(st, 2),
							     when, sizeof when));
				cli_cell(&out, (const char *)db_col_text(st, 3), 0);
				sbuf_addc(&out, '\n');
			}
			store_done(st);
			char *v = NULL;
			rc = step != DB_DONE
				     ? store_fail(s, &err, "listing the reviewers")
				     : store_meta_get(s, QUEUE_META_AUTO_ADD, &v, &err);
			sbuf_printf(&out, "auto-add: %s\n",
				    v && !strcmp(v, "on") ? "on" : "off");
			free(v);
			if (!rc && store_engine(s) == STORE_POSTGRES)
				rc = reviewer_list_pg(s, a[1], &out, &err);
			if (!rc)
				cli_write_data(out.buf, out.len);
			sbuf_free(&out);
		}
	}
	store_close(s);
	if (rc == DK_USAGE)
		return cli_usage_error("reviewer", "%s", err.msg);
	return rc ? cli_fail(err.msg) : EXIT_OK;
}
