/* text_edit.h: a one-line UTF-8 text editor (the reviewer's note): insert,
 * delete and move by character cluster, never by byte. */
#ifndef DOCKET_TEXT_EDIT_H
#define DOCKET_TEXT_EDIT_H

#include <stddef.h>

#include "docket/util.h"

typedef struct text_edit {
	sbuf buf;
	size_t cursor; /* byte offset, always at a cluster boundary */
	size_t max;    /* most bytes accepted (0: 4096) */
} text_edit;

/* Replace the text (NULL: empty) and put the cursor at its end. */
void text_edit_set(text_edit *e, const char *s);
void text_edit_free(text_edit *e);
/* The text; owned by e. */
const char *text_edit_str(const text_edit *e);

/* Apply an editing key (keymap.h codes): a character inserts it; Backspace,
 * Delete, Left, Right, Home/C-a, End/C-e, C-u (kill to start), C-k (kill to
 * end), C-w (kill the word before). Returns 1 when the key was an editing
 * key, 0 otherwise (Enter, Esc and the like are for the caller). */
int text_edit_key(text_edit *e, int key);

/* For drawing in width columns: the byte offset the visible part starts at
 * so the cursor shows (*start, kept between calls for steady scrolling), and
 * the cursor's column within it (returned). */
int text_edit_view(const text_edit *e, int width, size_t *start);

#endif
