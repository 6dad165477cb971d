/* theme.h: colour roles and themes. Views draw in roles, never colours; a
 * theme maps each role to a foreground, background and attributes, read
 * from themes/NAME.theme files of `role = fg bg attrs` lines. */
#ifndef DOCKET_THEME_H
#define DOCKET_THEME_H

#include <stdint.h>

#include "docket/util.h"

/* X(ENUM, "name in theme files", "what it colours") */
#define THEME_ROLES(X) \
	X(NORMAL, "normal", "plain text") \
	X(HEADER, "header", "the top line: model, reviewer, counts") \
	X(TITLE, "title", "the case id line") \
	X(DIM, "dim", "secondary text: routing reason, hints") \
	X(FIELD, "field", "context field names") \
	X(VALUE, "value", "context field values") \
	X(MASKED, "masked", "masked personal fields") \
	X(RULE, "rule", "section rules and their titles") \
	X(PREDICTION, "prediction", "the predicted label") \
	X(BAR, "bar", "the filled part of the confidence bar") \
	X(BAR_EMPTY, "bar-empty", "the empty part of the confidence bar") \
	X(POS_STRONG, "pos-strong", "a strong push toward the prediction") \
	X(POS, "pos", "a push toward the prediction") \
	X(POS_WEAK, "pos-weak", "a weak push toward the prediction") \
	X(NEG_STRONG, "neg-strong", "a strong push away from the prediction") \
	X(NEG, "neg", "a push away from the prediction") \
	X(NEG_WEAK, "neg-weak", "a weak push away from the prediction") \
	X(FOOTER, "footer", "the key line at the bottom") \
	X(FOOTER_KEY, "footer-key", "key names in the footer") \
	X(STATUS, "status", "the status line") \
	X(STATUS_OK, "status-ok", "a decision saved") \
	X(ERROR, "error", "errors and warnings") \
	X(SELECTED, "selected", "the selected line in a list") \
	X(DIALOG, "dialog", "pickers, prompts and the note editor") \
	X(INPUT, "input", "text being typed") \
	X(KEY, "key", "key names in help")

enum theme_role {
#define THEME_ENUM(e, name, help) THEME_ROLE_##e,
	THEME_ROLES(THEME_ENUM)
#undef THEME_ENUM
	THEME_NROLES
};

/* Colours: THEME_DEFAULT_COLOR is the terminal's own; 0-7 the ANSI colours
 * (black red green yellow blue magenta cyan white), 8-15 their bright forms,
 * up to 255 the xterm palette. Attributes are screen_attr bits. */
#define THEME_DEFAULT_COLOR (-1)

struct theme_style {
	int16_t fg, bg;
	uint8_t attrs;
};

typedef struct theme {
	char name[64];
	struct theme_style style[THEME_NROLES];
} theme;

/* The role's name in theme files; NULL when out of range. */
const char *theme_role_name(int role);
/* The role with that name, or -1. */
int theme_role_find(const char *name);

/* The compiled-in default theme (identical to themes/default.theme). */
void theme_default(theme *t);

/* The compiled-in monochrome theme: attributes only, no colours (used for
 * NO_COLOR and terminals without colour; identical to themes/mono.theme). */
void theme_mono(theme *t);

/* Parse theme text (name is used in messages) over t: lines are
 * `role = fg [bg [attr...]]`, `#` starts a comment, attrs are bold dim
 * underline reverse italic or none, colours are default, a name (black red
 * green yellow blue magenta cyan white, bright-NAME) or 0-255. Roles not
 * mentioned keep their value in t. Returns DK_OK, or DK_ERR with
 * "NAME:LINE: message" in err. */
int theme_parse(theme *t, const char *text, const char *name, dk_error *err);

/* Load the file at path over t (see theme_parse). */
int theme_load_file(theme *t, const char *path, dk_error *err);

/* Find and load theme NAME: a path when it contains '/', else NAME.theme in
 * each directory of the NULL-terminated list dirs in turn. "default" and
 * "mono" are also known without a file. On failure t holds the default
 * theme, and err says why (a warning for the caller to show); returns
 * DK_ERR. */
int theme_load(theme *t, const char *name, const char *const *dirs,
	       dk_error *err);

/* The style a terminal with ncolors colours (8, 16, 256...; 0 or less:
 * none) can show for in, into *out: a colour it has stays; the 256
 * palette falls to the nearest colour it has; a grey it cannot show as a
 * grey (bright-black on 8 colours, the palette's greys) is the terminal's
 * own foreground, dimmed, never black or white, which vanish on a dark or
 * light background; a foreground equal to its background is made to
 * contrast. */
void theme_fit(const struct theme_style *in, int ncolors,
	       struct theme_style *out);

/* Write the attributes of a style as words ("bold underline", or "none")
 * into buf. */
void theme_attrs_text(unsigned attrs, char *buf, size_t len);

#endif
