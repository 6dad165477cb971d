# export onto a full disk (a 64 KiB tmpfs): a clear error, no file under the
# final name, no temporary file left, nothing recorded; an earlier file under
# that name is left as it was.
. "$DOCKET_TESTS/sh/lib.sh"

mkdir small
if ! mount -t tmpfs -o size=64k tmpfs small 2>/dev/null; then
	echo "SKIP: cannot mount a tmpfs here (needs root and mount permission)"
	exit 0
fi
trap 'umount "$PWD/small" 2>/dev/null || true' EXIT

run "$DOCKET" import s.db "$DOCKET_ROOT/sample-data/credit.csv" --model credit
expect_rc 0
run "$DOCKET" export s.db --out small/all.csv --only all
expect_rc 1
expect_err_exact "docket: small/all.csv: No space left on device"
[ -z "$(ls -A small)" ] || fail "left behind on the full disk: $(ls -A small)"
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE action = 'export'")" = 0 ] ||
	fail "a failed export was recorded"

# A small export fits; a later one that does not leaves it untouched.
run "$DOCKET" export s.db --out small/all.csv --only all --model credit --until 2000-01-01
expect_rc 0
before=$(sha256sum small/all.csv)
run "$DOCKET" export s.db --out small/all.csv --only all
expect_rc 1
expect_err "No space left on device"
[ "$(sha256sum small/all.csv)" = "$before" ] || fail "earlier export changed"
[ "$(ls -A small)" = all.csv ] || fail "left behind: $(ls -A small)"
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE action = 'export'")" = 1 ] ||
	fail "failed export recorded"
