/* fuzz_termsafe.c: libFuzzer target for termsafe_add and the screen model's
 * text put, the one place data is made fit for a terminal. The input is the
 * text (any bytes). Properties:
 *  - the output (table/screen mode, and line mode) is valid UTF-8 with no
 *    C0 control (line mode: but LF and TAB), no DEL, no C1 and no bidi
 *    control: nothing a terminal acts on;
 *  - text that needs nothing replaced comes out byte for byte;
 *  - the output is as wide as text_width says the input is (tables and
 *    screens line up with what is drawn);
 *  - every cell screen_put fills holds such inert text. */
#include "fuzz_util.h"

#include <locale.h>

#include "docket/screen.h"
#include "docket/termsafe.h"
#include "docket/text.h"

static void inert(const char *s, size_t n, int lines)
{
	FUZZ_CHECK(dk_utf8_valid(s, n), "not UTF-8 out");
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t l = text_decode(s + i, n - i, &cp);
		int ok_ctl = lines && (cp == '\n' || cp == '\t');
		FUZZ_CHECK(ok_ctl || !(cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)),
			   "control U+%04X out at %zu", (unsigned)cp, i);
		FUZZ_CHECK(!(cp == 0x061c || cp == 0x200e || cp == 0x200f ||
			     (cp >= 0x202a && cp <= 0x202e) ||
			     (cp >= 0x2066 && cp <= 0x2069)),
			   "bidi U+%04X out at %zu", (unsigned)cp, i);
		i += l;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	if (!init) {
		setlocale(LC_ALL, "C.UTF-8");
		text_set_utf8(1);
		init = 1;
	}
	const char *s = (const char *)data;
	for (unsigned flags = 0; flags <= TERMSAFE_LINES; flags += TERMSAFE_LINES) {
		sbuf b = {0};
		sbuf_adds(&b, ""); /* a buffer even for empty output */
		termsafe_add(&b, s, size, flags);
		inert(b.buf, b.len, flags == TERMSAFE_LINES);
		if (termsafe_scan(s, size, flags) == size)
			FUZZ_CHECK(b.len == size && !memcmp(b.buf, s, size),
				   "clean text changed");
		if (!flags)
			FUZZ_CHECK(text_width(s, size) == text_width(b.buf, b.len),
				   "width %d in, %d shown", text_width(s, size),
				   text_width(b.buf, b.len));
		sbuf_free(&b);
	}
	screen *scr = screen_new(80, 2);
	screen_put(scr, 0, 0, -1, 0, 0, s, size);
	screen_put_cut(scr, 1, 3, 40, 0, 0, s, size);
	for (int y = 0; y < scr->h; y++)
		for (int x = 0; x < scr->w; x++) {
			const char *ch = screen_cell(scr, y, x)->ch;
			inert(ch, strlen(ch), 0);
		}
	screen_free(scr);
	return 0;
}
