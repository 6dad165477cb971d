# Rules of the code that a compiler does not check, each once the cause of
# a bug: every sort goes through dk_sort (qsort of an empty list with a
# NULL array is undefined behaviour: the report hit it).
. "$DOCKET_TESTS/sh/lib.sh"
cd "$DOCKET_ROOT"
raw=$(grep -n '[^_a-z]qsort(' src/*.c src/cli/*.c | grep -v '^src/util.c:' || true)
[ -z "$raw" ] || fail "qsort outside dk_sort (util.c):
$raw"
echo ok
