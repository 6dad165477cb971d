/* fuzz_import_csv.c: libFuzzer target for importing CSV prediction files
 * (header, columns, values, routing, inserts); see fuzz_import.h. */
#define FUZZ_CSV 1
#define FUZZ_NAME "f.csv"
#include "fuzz_import.h"
