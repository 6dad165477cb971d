/* theme.c: colour roles, the compiled-in themes, and the parser of
 * themes/NAME.theme files. */
#include "docket/theme.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "docket/screen.h"

static const char *const theme_role_names[THEME_NROLES] = {
#define THEME_NAME(e, name, help) name,
	THEME_ROLES(THEME_NAME)
#undef THEME_NAME
};

/* Kept identical to themes/default.theme and themes/mono.theme (a unit test
 * compares them). */
static const char theme_default_text[] =
	"normal     = default default\n"
	"header     = white blue bold\n"
	"title      = default default bold\n"
	"dim        = bright-black default\n"
	"field      = cyan default\n"
	"value      = default default\n"
	"masked     = yellow default\n"
	"rule       = blue default\n"
	"prediction = default default bold\n"
	"bar        = green default\n"
	"bar-empty  = bright-black default\n"
	"pos-strong = black green bold\n"
	"pos        = green default bold\n"
	"pos-weak   = green default\n"
	"neg-strong = white red bold\n"
	"neg        = red default bold\n"
	"neg-weak   = red default\n"
	"footer     = white blue\n"
	"footer-key = yellow blue bold\n"
	"status     = default default\n"
	"status-ok  = green default bold\n"
	"error      = white red bold\n"
	"selected   = black cyan\n"
	"dialog     = default default\n"
	"input      = default default underline\n"
	"key        = yellow default bold\n";

static const char theme_mono_text[] =
	"normal     = default default\n"
	"header     = default default reverse\n"
	"title      = default default bold\n"
	"dim        = default default dim\n"
	"field      = default default bold\n"
	"value      = default default\n"
	"masked     = default default dim\n"
	"rule       = default default\n"
	"prediction = default default bold\n"
	"bar        = default default\n"
	"bar-empty  = default default dim\n"
	"pos-strong = default default bold reverse\n"
	"pos        = default default bold\n"
	"pos-weak   = default default bold dim\n"
	"neg-strong = default default underline reverse\n"
	"neg        = default default underline\n"
	"neg-weak   = default default underline dim\n"
	"footer     = default default reverse\n"
	"footer-key = default default reverse bold\n"
	"status     = default default\n"
	"status-ok  = default default bold\n"
	"error      = default default bold reverse\n"
	"selected   = default default reverse\n"
	"dialog     = default default\n"
	"input      = default default underline\n"
	"key        = default default bold\n";

const char *theme_role_name(int role)
{
	return role >= 0 && role < THEME_NROLES ? theme_role_names[role] : NULL;
}

int theme_role_find(const char *name)
{
	for (int i = 0; i < THEME_NROLES; i++)
		if (!strcmp(theme_role_names[i], name))
			return i;
	return -1;
}

static void theme_blank(theme *t, const char *name)
{
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "%s", name);
	for (int i = 0; i < THEME_NROLES; i++)
		t->style[i].fg = t->style[i].bg = THEME_DEFAULT_COLOR;
}

void theme_default(theme *t)
{
	theme_blank(t, "default");
	if (theme_parse(t, theme_default_text, "default", NULL))
		abort(); /* the compiled-in text is tested */
}

void theme_mono(theme *t)
{
	theme_blank(t, "mono");
	if (theme_parse(t, theme_mono_text, "mono", NULL))
		abort();
}

static const char *const theme_color_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static int theme_color(const char *w, int16_t *out)
{
	if (!strcasecmp(w, "default") || !strcmp(w, "-")) {
		*out = THEME_DEFAULT_COLOR;
		return 0;
	}
	int bright = 0;
	if (!strncasecmp(w, "bright-", 7)) {
		bright = 8;
		w += 7;
	}
	for (int i = 0; i < 8; i++) {
		if (!strcasecmp(w, theme_color_names[i])) {
			*out = (int16_t)(i + bright);
			return 0;
		}
	}
	if (bright)
		return 1;
	char *end;
	errno = 0;
	long v = strtol(w, &end, 10);
	if (*w && !*end && !errno && v >= 0 && v <= 255) {
		*out = (int16_t)v;
		return 0;
	}
	return 1;
}

/* The xterm palette as RGB: 0-15 the ANSI colours, 16-231 a 6x6x6 cube,
 * 232-255 greys. */
static void theme_rgb(int c, int rgb[3])
{
	static const unsigned char ansi[16][3] = {
		{0, 0, 0},       {205, 0, 0},   {0, 205, 0},   {205, 205, 0},
		{0, 0, 238},     {205, 0, 205}, {0, 205, 205}, {229, 229, 229},
		{127, 127, 127}, {255, 0, 0},   {0, 255, 0},   {255, 255, 0},
		{92, 92, 255},   {255, 0, 255}, {0, 255, 255}, {255, 255, 255},
	};
	static const int level[6] = {0, 95, 135, 175, 215, 255};
	if (c < 16) {
		for (int k = 0; k < 3; k++)
			rgb[k] = ansi[c][k];
	} else if (c < 232) {
		c -= 16;
		rgb[0] = level[c / 36];
		rgb[1] = level[c / 6 % 6];
		rgb[2] = level[c % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (c - 232);
	}
}

/* The nearest of the first n (at most 16) colours to palette colour c;
 * a grey only among the greys (black, white, bright-black, bright-white),
 * so it never turns into a hue. */
static int theme_nearest(int c, int n)
{
	int rgb[3], best = 0;
	long best_d = -1;
	theme_rgb(c, rgb);
	int grey = rgb[0] == rgb[1] && rgb[1] == rgb[2];
	for (int i = 0; i < n && i < 16; i++) {
		if (grey && i != 0 && i != 7 && i != 8 && i != 15)
			continue;
		int o[3];
		theme_rgb(i, o);
		long d = 0;
		for (int k = 0; k < 3; k++)
			d += (long)(rgb[k] - o[k]) * (rgb[k] - o[k]);
		if (best_d < 0 || d < best_d) {
			best_d = d;
			best = i;
		}
	}
	return best;
}

void theme_fit(const struct theme_style *in, int ncolors,
	       struct theme_style *out)
{
	*out = *in;
	if (ncolors <= 0) {
		out->fg = out->bg = THEME_DEFAULT_COLOR;
		return;
	}
	int16_t *c[2] = {&out->fg, &out->bg};
	for (int k = 0; k < 2; k++) {
		int v = *c[k];
		if (v < 0 || v < ncolors)
			continue;
		int near = theme_nearest(v, ncolors);
		int rgb[3];
		theme_rgb(v, rgb);
		int grey = rgb[0] == rgb[1] && rgb[1] == rgb[2];
		/* a muted grey text must stay muted text: black or white
		 * would vanish on one background or the other */
		if (k == 0 && grey && (near == 0 || near == 7 || near == 15)) {
			*c[k] = THEME_DEFAULT_COLOR;
			out->attrs |= SCREEN_DIM;
		} else {
			*c[k] = (int16_t)near;
		}
	}
	if (out->fg >= 0 && out->fg == out->bg)
		out->fg = out->bg == 0 ? 7 : 0;
}

static const struct {
	const char *name;
	unsigned bit;
} theme_attr_names[] = {
	{"bold", SCREEN_BOLD},           {"dim", SCREEN_DIM},
	{"underline", SCREEN_UNDERLINE}, {"reverse", SCREEN_REVERSE},
	{"italic", SCREEN_ITALIC},       {"none", 0},
};

static int theme_attr(const char *w, unsigned *out)
{
	for (size_t i = 0; i < sizeof theme_attr_names / sizeof theme_attr_names[0];
	     i++) {
		if (!strcasecmp(w, theme_attr_names[i].name)) {
			*out = theme_attr_names[i].bit;
			return 0;
		}
	}
	return 1;
}

void theme_attrs_text(unsigned attrs, char *buf, size_t len)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof theme_attr_names / sizeof theme_attr_names[0];
	     i++) {
		if (theme_attr_names[i].bit && (attrs & theme_attr_names[i].bit)) {
			int n = snprintf(buf + at, len - at, "%s%s", at ? " " : "",
					 theme_attr_names[i].name);
			if (n < 0 || (size_t)n >= len - at)
				break;
			at += (size_t)n;
		}
	}
	if (!at)
		snprintf(buf, len, "none");
}

int theme_parse(theme *t, const char *text, const char *name, dk_error *err)
{
	int lineno = 0;
	const char *p = text;
	char line[512];
	int got;
	while ((got = dk_next_line(&p, line, sizeof line, &lineno)) != 0) {
		if (got < 0)
			return dk_fail(err, "%s:%d: line too long", name, lineno);
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		int has_eq = strchr(line, '=') != NULL;
		char *words[8];
		int nw = 0;
		char *save = NULL;
		for (char *w = strtok_r(line, " \t\r=", &save); w;
		     w = strtok_r(NULL, " \t\r=", &save)) {
			if (nw == 8)
				return dk_fail(err, "%s:%d: too many words", name,
					       lineno);
			words[nw++] = w;
		}
		if (nw == 0)
			continue;
		/* the '=' must be there: `role = fg ...` */
		if (!has_eq)
			return dk_fail(err, "%s:%d: expected 'role = fg bg attrs'",
				       name, lineno);
		int role = theme_role_find(words[0]);
		if (role < 0)
			return dk_fail(err, "%s:%d: unknown role '%s'", name,
				       lineno, words[0]);
		if (nw < 2)
			return dk_fail(err, "%s:%d: %s: missing colour", name,
				       lineno, words[0]);
		struct theme_style st = {THEME_DEFAULT_COLOR, THEME_DEFAULT_COLOR, 0};
		if (theme_color(words[1], &st.fg))
			return dk_fail(err, "%s:%d: %s: unknown colour '%s'", name,
				       lineno, words[0], words[1]);
		int i = 2;
		if (nw > 2 && !theme_color(words[2], &st.bg))
			i = 3;
		for (; i < nw; i++) {
			unsigned bit;
			if (theme_attr(words[i], &bit))
				return dk_fail(err,
					       "%s:%d: %s: unknown colour or "
					       "attribute '%s'",
					       name, lineno, words[0], words[i]);
			st.attrs |= (uint8_t)bit;
		}
		t->style[role] = st;
	}
	return DK_OK;
}

int theme_load_file(theme *t, const char *path, dk_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return dk_fail(err, "%s: %s", path, strerror(errno));
	sbuf b = {0};
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		sbuf_add(&b, buf, n);
		if (b.len > 1 << 20) {
			fclose(f);
			sbuf_free(&b);
			return dk_fail(err, "%s: too big for a theme", path);
		}
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		sbuf_free(&b);
		return dk_fail(err, "%s: read error", path);
	}
	int rc = theme_parse(t, sbuf_str(&b), path, err);
	sbuf_free(&b);
	return rc;
}

int theme_load(theme *t, const char *name, const char *const *dirs,
	       dk_error *err)
{
	theme_default(t);
	if (!name || !*name)
		return DK_OK;
	theme tmp;
	if (strchr(name, '/')) {
		theme_default(&tmp);
		if (theme_load_file(&tmp, name, err))
			return DK_ERR;
		*t = tmp;
		return DK_OK;
	}
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
		      *c == '.'))
			return dk_fail(err, "theme '%s': not a theme name; using "
					    "the default theme", name);
	for (size_t i = 0; dirs && dirs[i]; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s.theme", dirs[i], name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		fclose(f);
		/* Roles a file leaves out keep the default theme's style. */
		theme_default(&tmp);
		if (theme_load_file(&tmp, path, err)) {
			char msg[sizeof err->msg];
			snprintf(msg, sizeof msg, "%s", err->msg);
			return dk_fail(err, "%s; using the default theme", msg);
		}
		snprintf(tmp.name, sizeof tmp.name, "%s", name);
		*t = tmp;
		return DK_OK;
	}
	if (!strcmp(name, "default"))
		return DK_OK;
	if (!strcmp(name, "mono")) {
		theme_mono(t);
		return DK_OK;
	}
	return dk_fail(err, "unknown theme '%s'; using the default theme", name);
}
