/* term.c: the terminal layer: curses start and stop, painting the screen
 * model, keys, resize, and signals that only set flags. No other file calls
 * curses. */
#include "term.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "docket/identity.h"
#include "docket/keymap.h"
#include "docket/text.h"

static volatile sig_atomic_t term_sig;
static int term_active;
static int term_color_on;
static attr_t term_role_attr[THEME_NROLES];
static short term_role_pair[THEME_NROLES];
static SCREEN *term_screen;
static FILE *term_out, *term_in;
static const char *term_script;

static void term_on_signal(int sig)
{
	term_sig = sig;
}

int term_signal(void)
{
	return term_sig;
}

int term_colors(void)
{
	return term_color_on;
}

static attr_t term_attr_of(unsigned a)
{
	attr_t r = A_NORMAL;
	if (a & SCREEN_BOLD)
		r |= A_BOLD;
	if (a & SCREEN_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & SCREEN_REVERSE)
		r |= A_REVERSE;
	if (a & SCREEN_DIM)
		r |= A_DIM;
	if (a & SCREEN_ITALIC)
		r |= A_ITALIC;
	return r;
}

static void term_setup_colors(const theme *t, int mono)
{
	theme mono_theme;
	term_color_on = !mono && has_colors();
	if (!term_color_on) {
		theme_mono(&mono_theme);
		t = &mono_theme;
	}
	if (term_color_on) {
		start_color();
		use_default_colors();
	}
	for (int i = 0; i < THEME_NROLES; i++) {
		/* the style this terminal can show (theme_fit: 8-colour
		 * terminals get dim text for bright-black, never black) */
		struct theme_style st;
		theme_fit(&t->style[i], term_color_on ? COLORS : 0, &st);
		term_role_attr[i] = term_attr_of(st.attrs);
		term_role_pair[i] = 0;
		if (term_color_on && i + 1 < COLOR_PAIRS) {
			init_pair((short)(i + 1), st.fg, st.bg);
			term_role_pair[i] = (short)(i + 1);
		}
	}
}

int term_init(const struct term_opts *opts, char *err, size_t errlen)
{
	theme def;
	const theme *t = opts->theme;
	if (!t) {
		theme_default(&def);
		t = &def;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = term_on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a signal ends the wait for a key */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	term_script = opts->script;
	if (term_script) {
		term_out = fopen("/dev/null", "w");
		term_in = fopen("/dev/null", "r");
		const char *tn = getenv("TERM");
		term_screen = newterm(tn && *tn ? tn : "xterm-256color", term_out,
				      term_in);
	} else {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			snprintf(err, errlen,
				 "the review screen needs a terminal "
				 "(for scripts: docket next and docket decide)");
			return -1;
		}
		/* An installed setgid docket takes terminfo from the system
		 * only: holding the group, ncurses ignores TERMINFO,
		 * TERMINFO_DIRS and ~/.terminfo, as for any setgid program,
		 * and TERM is only a name (one with a '/' is refused). */
		int raised = identity_raise();
		term_screen = newterm(NULL, stdout, stdin);
		if (raised)
			identity_lower();
	}
	if (!term_screen) {
		snprintf(err, errlen, "cannot start the terminal (TERM=%s)",
			 getenv("TERM") ? getenv("TERM") : "");
		return -1;
	}
	set_term(term_screen);
	term_active = 1;
	atexit(term_done);
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	curs_set(0);
	if (opts->mouse) {
		/* clicks as soon as pressed (no wait to tell a double click) */
		mouseinterval(0);
		mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	}
	term_setup_colors(t, opts->mono);
	return 0;
}

void term_done(void)
{
	if (!term_active)
		return;
	term_active = 0;
	curs_set(1);
	endwin();
	if (term_screen) {
		delscreen(term_screen);
		term_screen = NULL;
	}
	if (term_out)
		fclose(term_out);
	if (term_in)
		fclose(term_in);
	term_out = term_in = NULL;
}

void term_size(int *w, int *h)
{
	int y, x;
	getmaxyx(stdscr, y, x);
	*w = x;
	*h = y;
}

void term_paint(const screen *scr)
{
	int rows = scr->h < LINES ? scr->h : LINES;
	int cols = scr->w < COLS ? scr->w : COLS;
	for (int y = 0; y < rows; y++) {
		for (int x = 0; x < cols; x++) {
			const struct screen_cell *c = screen_cell(scr, y, x);
			if (c->width == 0)
				continue;
			wchar_t wch[CCHARW_MAX + 1];
			int n = 0;
			size_t i = 0, len = strlen(c->ch);
			while (i < len && n < CCHARW_MAX) {
				uint32_t cp;
				i += text_decode(c->ch + i, len - i, &cp);
				wch[n++] = (wchar_t)cp;
			}
			if (n == 0)
				wch[n++] = L' ';
			wch[n] = L'\0';
			int role = c->role < THEME_NROLES ? c->role : 0;
			attr_t a = term_role_attr[role] | term_attr_of(c->attrs);
			cchar_t cc;
			setcchar(&cc, wch, a, term_role_pair[role], NULL);
			mvadd_wch(y, x, &cc);
		}
	}
	if (scr->cursor_y >= 0 && scr->cursor_x >= 0) {
		move(scr->cursor_y, scr->cursor_x);
		curs_set(1);
	} else {
		curs_set(0);
	}
	refresh();
}

static int term_map_key(int code)
{
	switch (code) {
	case KEY_UP: return KEY_DK_UP;
	case KEY_DOWN: return KEY_DK_DOWN;
	case KEY_LEFT: return KEY_DK_LEFT;
	case KEY_RIGHT: return KEY_DK_RIGHT;
	case KEY_PPAGE: return KEY_DK_PGUP;
	case KEY_NPAGE: return KEY_DK_PGDN;
	case KEY_HOME: return KEY_DK_HOME;
	case KEY_END: return KEY_DK_END;
	case KEY_BACKSPACE: return KEY_DK_BACKSPACE;
	case KEY_DC: return KEY_DK_DELETE;
	case KEY_IC: return KEY_DK_INSERT;
	case KEY_ENTER: return KEY_DK_ENTER;
	case KEY_RESIZE: return KEY_DK_RESIZE;
	case KEY_BTAB: return KEY_DK_BTAB;
	case KEY_MOUSE: {
		MEVENT ev;
		if (getmouse(&ev) != OK)
			return KEY_DK_NONE;
		if (ev.bstate & BUTTON4_PRESSED)
			return KEY_DK_WHEEL_UP;
		if (ev.bstate & BUTTON5_PRESSED)
			return KEY_DK_WHEEL_DOWN;
		if ((ev.bstate & BUTTON1_PRESSED) && ev.y >= 0 && ev.y < 4096 &&
		    ev.x >= 0 && ev.x < 4096)
			return KEY_DK_CLICK(ev.y, ev.x);
		return KEY_DK_NONE;
	}
	default:
		if (code >= KEY_F(1) && code <= KEY_F(12))
			return KEY_DK_F1 + code - KEY_F(1);
		return KEY_DK_NONE;
	}
}

/* Benchmarks: keys from a script; each call takes the next. */
static int term_script_key(void)
{
	if (!*term_script)
		return 'q';
	uint32_t cp;
	size_t n = text_decode(term_script, strlen(term_script), &cp);
	term_script += n;
	return (int)cp;
}

int term_key(int timeout_ms)
{
	if (term_sig)
		return KEY_DK_NONE;
	if (term_script)
		return timeout_ms == 0 ? KEY_DK_IDLE : term_script_key();
	timeout(timeout_ms);
	wint_t wch;
	int rc = get_wch(&wch);
	if (term_sig)
		return KEY_DK_NONE;
	if (rc == ERR)
		return KEY_DK_IDLE;
	if (rc == KEY_CODE_YES)
		return term_map_key((int)wch);
	if (wch == '\r')
		return KEY_DK_ENTER;
	if (wch == 0x7f || wch == 8)
		return KEY_DK_BACKSPACE;
	return (int)wch;
}
