/* fuzz_config.c: libFuzzer target for the config file (keys, reasons,
 * theme name) and theme file parsers: the first byte picks which, the rest
 * is the file. Either it applies or fails with "NAME:LINE: message"; the
 * result is always freeable and a failed theme keeps valid styles.
 * Build and run: make fuzz && build-fuzz/fuzz_config -max_total_time=60 fuzz/corpus/config */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "docket/config.h"
#include "docket/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	dk_error err = {{0}};
	int rc;
	if (data[0] & 1) {
		theme t;
		theme_default(&t);
		rc = theme_parse(&t, text, "f.theme", &err);
		for (int i = 0; i < THEME_NROLES; i++)
			if (!theme_role_name(i))
				abort();
		char buf[128];
		for (int i = 0; i < THEME_NROLES; i++)
			theme_attrs_text(t.style[i].attrs, buf, sizeof buf);
	} else {
		config c;
		config_init(&c);
		rc = config_parse(&c, text, "f.conf", &err);
		if (c.theme[sizeof c.theme - 1] != '\0')
			abort();
		config_free(&c);
	}
	if (rc != DK_OK && strncmp(err.msg, data[0] & 1 ? "f.theme:" : "f.conf:",
				   data[0] & 1 ? 8 : 7))
		abort(); /* every error names the file and line */
	free(text);
	return 0;
}
