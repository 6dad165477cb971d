/* config.h: the reviewer's settings in layers: built in, then the user's
 * file ($DOCKET_CONFIG, else $XDG_CONFIG_HOME/docket/config, else
 * ~/.config/docket/config), then command-line flags set by the caller.
 *
 * The file is lines of:
 *   bind KEY ACTION      run ACTION on KEY (see keymap.h for names)
 *   unbind KEY           KEY does nothing
 *   reason CODE [TEXT]   a reason code offered for escalate and skip (the
 *                        first such line replaces the built-in list)
 *   theme NAME           the colour theme (themes/NAME.theme)
 *   mouse on|off         the wheel scrolls and a click on the footer acts
 *                        as the key (default on; "mouse = off" also reads)
 * `#` starts a comment. */
#ifndef DOCKET_CONFIG_H
#define DOCKET_CONFIG_H

#include <stddef.h>

#include "docket/keymap.h"
#include "docket/util.h"

struct config_reason {
	char *code;
	char *text; /* "" when the file gives none */
};

typedef struct config {
	keymap keys;
	struct config_reason *reasons;
	size_t nreasons;
	int reasons_from_file; /* 1 once a file set the list */
	char theme[64];        /* "" : default */
	int mouse;             /* 1: the screens take the mouse (default) */
	char path[4096];       /* the file read, "" when none */
} config;

/* Built-in settings: default keys, built-in reasons, default theme. Free
 * with config_free. */
void config_init(config *c);
void config_free(config *c);

/* The path of the user's config file into buf; returns buf, or NULL when
 * there is no HOME to find it under. */
const char *config_path(char *buf, size_t len);

/* Apply the file at path over c. A missing file returns DK_EMPTY and
 * changes nothing; errors return DK_ERR with "PATH:LINE: message". */
int config_load_file(config *c, const char *path, dk_error *err);

/* Apply the text of a config file (name for messages) over c. */
int config_parse(config *c, const char *text, const char *name, dk_error *err);

/* config_load_file on config_path(); DK_OK also when there is no file. */
int config_load_user(config *c, dk_error *err);

/* Replace the reason list (codes and texts are copied). */
void config_set_reasons(config *c, const char *const *codes,
			const char *const *texts, size_t n);

#endif
