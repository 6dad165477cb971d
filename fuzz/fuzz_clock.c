/* fuzz_clock.c: libFuzzer target for clock_parse (DOCKET_NOW, --since,
 * --until): any text parses or is refused; what parses as an ISO date
 * formats back to a time that parses to the same instant.
 * Build and run: make fuzz && build-fuzz/fuzz_clock -max_total_time=60 fuzz/corpus/clock */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "docket/clock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	int64_t ms = 0;
	if (clock_parse(text, &ms) == 0) {
		char iso[64];
		int64_t back = -1;
		/* clock_format_iso writes whole seconds; compare at that grain */
		if (clock_format_iso(ms, iso, sizeof iso) && clock_parse(iso, &back) == 0 &&
		    back / 1000 != ms / 1000 && ms >= 0)
			abort();
	}
	free(text);
	return 0;
}
