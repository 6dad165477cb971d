/* fuzz_jsonl.c: libFuzzer target for importing JSON Lines prediction files
 * (the line reader across reads, SQLite's json_each, the JSON position
 * helpers for messages, validation); see fuzz_import.h. */
#define FUZZ_CSV 0
#define FUZZ_NAME "f.jsonl"
#include "fuzz_import.h"
