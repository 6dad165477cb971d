/* fuzz_theme.c: libFuzzer target for theme files (theme_parse). The input
 * is the file. Properties:
 *  - a refusal says "f.theme:LINE: ..." with LINE a line of the file;
 *  - whatever happens, every style holds colours in -1..255 and known
 *    attribute bits only (a failed parse keeps valid styles);
 *  - an accepted file, written back as `role = fg bg attrs` lines, parses
 *    (over a different starting theme) to the same styles for every role. */
#include "fuzz_util.h"

#include "docket/screen.h"
#include "docket/theme.h"

#define ATTR_MASK (SCREEN_BOLD | SCREEN_DIM | SCREEN_UNDERLINE | SCREEN_REVERSE | SCREEN_ITALIC)

static void check_styles(const theme *t)
{
	for (int i = 0; i < THEME_NROLES; i++) {
		const struct theme_style *s = &t->style[i];
		FUZZ_CHECK(s->fg >= -1 && s->fg <= 255 && s->bg >= -1 && s->bg <= 255 &&
				   !(s->attrs & ~ATTR_MASK),
			   "role %s: fg %d bg %d attrs %#x", theme_role_name(i), s->fg, s->bg,
			   s->attrs);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	size_t n = strlen(text);
	dk_error err = {{0}};
	theme t;
	theme_default(&t);
	int rc = theme_parse(&t, text, "f.theme", &err);
	check_styles(&t);
	if (rc != DK_OK) {
		FUZZ_CHECK(rc == DK_ERR && fuzz_located(err.msg, "f.theme", fuzz_lines(text, n), NULL, NULL),
			   "refusal without f.theme:LINE: %s", err.msg);
	} else {
		sbuf b = {0};
		char attrs[128];
		for (int i = 0; i < THEME_NROLES; i++) {
			theme_attrs_text(t.style[i].attrs, attrs, sizeof attrs);
			sbuf_printf(&b, "%s = ", theme_role_name(i));
			if (t.style[i].fg < 0)
				sbuf_adds(&b, "default");
			else
				sbuf_printf(&b, "%d", t.style[i].fg);
			if (t.style[i].bg < 0)
				sbuf_adds(&b, " default");
			else
				sbuf_printf(&b, " %d", t.style[i].bg);
			sbuf_printf(&b, " %s\n", attrs);
		}
		theme u;
		theme_mono(&u);
		dk_error e2 = {{0}};
		FUZZ_CHECK(theme_parse(&u, sbuf_str(&b), "back", &e2) == DK_OK,
			   "written back does not parse: %s\n%s", e2.msg, sbuf_str(&b));
		for (int i = 0; i < THEME_NROLES; i++)
			FUZZ_CHECK(t.style[i].fg == u.style[i].fg && t.style[i].bg == u.style[i].bg &&
					   t.style[i].attrs == u.style[i].attrs,
				   "role %s differs after writing back", theme_role_name(i));
		sbuf_free(&b);
	}
	free(text);
	return 0;
}
