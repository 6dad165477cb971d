/* cli.h: the command-line layer: one function per `docket COMMAND`, and the
 * few helpers they share (usage errors, opening the store). */
#ifndef DOCKET_CLI_H
#define DOCKET_CLI_H

#include "docket/store.h"

/* Exit statuses fixed by DESIGN.md. */
enum cli_exit {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
	EXIT_CONDITION = 3, /* stats --fail-if: the condition holds */
};

/* Each command gets argv starting at its own name (argv[0] = "import") and
 * returns the process exit status. */
typedef int cli_command_fn(int argc, char **argv);

cli_command_fn cmd_init, cmd_import, cmd_policy, cmd_queue, cmd_review,
	cmd_next, cmd_decide, cmd_release, cmd_supervise, cmd_log, cmd_stats,
	cmd_export, cmd_verify, cmd_reviewer, cmd_demo, cmd_key, cmd_anchor,
	cmd_cases, cmd_doctor, cmd_drift, cmd_report, cmd_migrate;

/* Print a claimed case as `docket next` does, one JSON line on stdout; qc
 * NULL prints the queue-empty object for reviewer (and model, may be NULL).
 * Shared by next and `decide --next`. DK_ERR (nothing printed) when the
 * case's context cannot be read. */
struct queue_case;
int next_print(store *s, const char *reviewer, const char *model,
	       const struct queue_case *qc, dk_error *err);

/* Print "docket CMD: message" and a hint to use --help on stderr; returns
 * EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print "docket: message" on stderr; returns EXIT_FAIL. */
int cli_fail(const char *msg);

/* Everything docket prints for a person goes through termsafe.h: control
 * characters, bidi controls and invalid UTF-8 from names, ids, notes and
 * arguments are shown as visible escapes (\u001b), never sent raw.
 *  cli_eprintf: a message on stderr (printf style; the whole text);
 *  cli_printf: a line for a person on stdout (summaries, tables);
 *  cli_write_data: output meant for scripts and files (CSV, JSON Lines,
 *    JSON): written exactly when stdout is not a terminal, made visible
 *    when it is. Returns 0, or -1 when the write failed;
 *  cli_cell: append s to b made visible and padded with spaces to width
 *    display columns (never cut: for tables whose names must show whole).
 * No command prints with printf/fprintf directly (t_terminal_safe.sh). */
void cli_eprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_write_data(const char *s, size_t n);
void cli_cell(sbuf *b, const char *s, int width);

/* Print text (a command's usage) on stdout and return EXIT_OK. */
int cli_help(const char *text);

/* Open the store for a command; on failure print the message and return
 * NULL. flags as for store_open. */
store *cli_open_store(const char *path, unsigned flags);

/* Look up the model named name in s for a --model option (every command
 * resolves --model through this, so all agree): on success sets *id (may be
 * NULL) and returns EXIT_OK; when there is no such model prints "docket:
 * STORE: no model named 'NAME' ..." and returns EXIT_FAIL (the command was
 * well formed: not a usage error); EXIT_FAIL on a store error too. */
int cli_model_id(store *s, const char *name, int64_t *id);
/* Every command that acts for someone resolves who here, after opening
 * the store: *name is what --as/--reviewer said, or the caller's login
 * name. Another person's name is refused (message printed, EXIT_FAIL)
 * unless the caller owns the store outright (identity_act_as); on success
 * *name is the name to act as. */
int cli_act_as(store *s, const char *opt, const char **name);

/* Parse "--model NAME[@VERSION]" text: *name and *version point into a
 * malloc'd copy returned through *owned (caller frees). version is "" when
 * absent. Returns 0, or 1 when the name is empty. */
int cli_split_model(const char *arg, char **owned, const char **name,
		    const char **version);

/* Exit EXIT_OK when the reviewer named name is a supervisor of s; else
 * print why not (naming cmd) and return EXIT_FAIL. (cmd_log.c) */
int cli_require_supervisor(store *s, const char *cmd, const char *name);

/* Parse a time option (clock_parse); on bad text print a usage error naming
 * cmd and opt and return EXIT_USAGE. (cmd_log.c) */
int cli_parse_time(const char *cmd, const char *opt, const char *text,
		   int64_t *ms);

/* Text tables (log, stats) measure the store's UTF-8 text as a UTF-8
 * terminal shows it, whatever the locale: turns text.h's UTF-8 widths on
 * and, when LC_CTYPE is not UTF-8, switches it to C.UTF-8. (cmd_log.c) */
void cli_table_utf8(void);

#endif
