/* term.h: the terminal layer, the only code that calls curses: start and
 * stop the terminal, paint a screen model, read keys, and turn signals into
 * flags the main loop reads. */
#ifndef DOCKET_TERM_H
#define DOCKET_TERM_H

#include "docket/screen.h"
#include "docket/theme.h"

/* Options for term_init. */
struct term_opts {
	const theme *theme;   /* colours; NULL: the default theme */
	int mono;             /* 1: no colours (NO_COLOR, --theme mono) */
	int mouse;            /* 1: wheel and clicks come as keys */
	const char *script;   /* benchmarks: keys to read instead of the
				 terminal's (output goes to /dev/null) */
};

/* Start curses: signal handlers first (SIGINT, SIGTERM, SIGHUP only set a
 * flag), then the terminal in cbreak mode with keypad keys, colours from
 * the theme (monochrome when the terminal has none or opts->mono). Registers
 * term_done with atexit. Returns 0, or -1 with a message in err when there
 * is no usable terminal. */
int term_init(const struct term_opts *opts, char *err, size_t errlen);

/* Restore the terminal. Safe to call twice and before term_init. */
void term_done(void);

/* The terminal's size now. */
void term_size(int *w, int *h);

/* Copy scr to the terminal and show it. The only function that draws. */
void term_paint(const screen *scr);

/* The next key (keymap.h codes) within timeout_ms (< 0: wait), or
 * KEY_DK_IDLE when none came, KEY_DK_RESIZE after a resize, KEY_DK_NONE
 * when a signal interrupted the wait (check term_signal). */
int term_key(int timeout_ms);

/* The signal (SIGINT, SIGTERM, SIGHUP) that asked us to stop, or 0. */
int term_signal(void);

/* 1 when colours are in use. */
int term_colors(void);

#endif
