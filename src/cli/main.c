/* main.c: `docket COMMAND STORE ...`: finds the command and runs it. */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "docket/identity.h"
#include "docket/testhook.h"

#ifndef DOCKET_VERSION
#define DOCKET_VERSION "unknown"
#endif

struct cli_command {
	const char *name;
	cli_command_fn *run;
	const char *summary;
};

/* In the order `docket --help` lists them: the order of a day's work. */
static const struct cli_command cli_commands[] = {
	{"init", cmd_init, "create an empty store"},
	{"import", cmd_import, "load predictions (CSV or JSON Lines) and route them"},
	{"policy", cmd_policy, "show or set a model's routing policy"},
	{"queue", cmd_queue, "counts by state, oldest waiting, live leases"},
	{"review", cmd_review, "the reviewer's screen"},
	{"next", cmd_next, "claim the next case and print it as JSON"},
	{"decide", cmd_decide, "record a decision on a claimed case"},
	{"release", cmd_release, "give back the cases a reviewer holds"},
	{"supervise", cmd_supervise, "the supervisor's screen"},
	{"log", cmd_log, "the decision log"},
	{"cases", cmd_cases, "list cases by state, holder, reason (for scripts)"},
	{"stats", cmd_stats, "override rates, agreement, calibration"},
	{"drift", cmd_drift, "whether a batch's inputs and outputs have shifted"},
	{"export", cmd_export, "corrections for retraining"},
	{"report", cmd_report, "one HTML or Markdown file on a model for sign-off"},
	{"verify", cmd_verify, "check the audit chain and print its head"},
	{"reviewer", cmd_reviewer, "add reviewers and set roles"},
	{"key", cmd_key, "make or show a supervisor's signing key"},
	{"anchor", cmd_anchor, "sign the audit chain's head"},
	{"migrate", cmd_migrate, "copy a whole store into PostgreSQL or a new file"},
	{"demo", cmd_demo, "a store made from the sample data, in the review screen"},
	{"doctor", cmd_doctor, "say what is wrong with a store's set-up"},
};

static void main_usage(FILE *out)
{
	fprintf(out,
		"Usage: docket COMMAND STORE [ARGUMENTS] [OPTIONS]\n"
		"Review desk for uncertain machine-learning predictions.\n\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof cli_commands / sizeof cli_commands[0]; i++)
		fprintf(out, "  %-10s %s\n", cli_commands[i].name,
			cli_commands[i].summary);
	fprintf(out,
		"\nSTORE is a SQLite file, or a PostgreSQL URI (postgresql://host/dbname,\n"
		"with libpq's parameters; PG* variables and ~/.pgpass are honoured).\n"
		"'docket COMMAND --help' describes a command.\n"
		"Exit status: 0 success, 1 failure, 2 usage error, "
		"3 a --fail-if condition holds (stats, drift).\n");
}

/* A sanitized build (make asan) run setgid by someone else: LeakSanitizer
 * looks for leaks by ptrace, which such a process refuses (as it must),
 * and would fail the run. Leaks are looked for in every other run. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DOCKET_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define DOCKET_ASAN 1
#endif
#ifdef DOCKET_ASAN
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return getegid() != getgid() || geteuid() != getuid() ? "detect_leaks=0" : "";
}
#endif

int main(int argc, char **argv)
{
	/* First of all: an installed setgid docket gives up its group (only
	 * store.c takes it back, for the store) and its caller's levers. */
	testhook_init();
	if (identity_init()) {
		cli_eprintf("docket: cannot drop the group privilege; stopping\n");
		return EXIT_FAIL;
	}
	setlocale(LC_ALL, "");
	if (argc < 2) {
		main_usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		main_usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("docket %s\n", DOCKET_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof cli_commands / sizeof cli_commands[0]; i++)
		if (!strcmp(argv[1], cli_commands[i].name))
			return cli_commands[i].run(argc - 1, argv + 1);
	cli_eprintf("docket: unknown command '%s'\nTry 'docket --help'.\n", argv[1]);
	return EXIT_USAGE;
}
