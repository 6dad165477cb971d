# A store on a full disk (a small tmpfs filled up), during import, decide
# and export: each fails with a message naming the store and the full disk,
# nothing in the store changes (earlier decisions, counts, leases), no
# export file is left, and once space is freed the store verifies and the
# same commands work. Twice: with the store closed (opening it needs room
# for its -shm file) and with the store open in another process (its -wal
# and -shm exist; the write fails when it commits).
. "$DOCKET_TESTS/sh/lib.sh"
sqlite_only "a full disk under the store's file and its -wal/-shm (tmpfs quota)"

mkdir small
if ! mount -t tmpfs -o size=16m tmpfs small 2>/dev/null; then
	echo "SKIP: cannot mount a tmpfs here (needs root and mount permission)"
	exit 0
fi
trap 'set +e; touch "$PWD/release"; [ -z "${holder:-}" ] || wait $holder
	umount "$PWD/small" 2>/dev/null; true' EXIT
S=small/s.db
fault_store $S # ann holds $held, to decide while the disk is full

fill() { dd if=/dev/zero of=small/fill bs=4k 2>/dev/null || true; }
# hold_open: another process keeps the store open (as a reviewer's screen
# would), so its -wal and -shm files exist; release_open lets it go.
hold_open() {
	rm -f release
	{ echo "SELECT count(*) FROM cases;"
	  while [ ! -e release ]; do sleep 0.05; done; } | sqlite3 $S >/dev/null &
	holder=$!
	while [ ! -e $S-shm ]; do sleep 0.05; done
}
release_open() { touch release; wait $holder; }

# attempt MSG_DECIDE MSG_IMPORT MSG_EXPORT: the three commands on the full
# disk, each with its exact message (the import's a pattern); nothing changes.
attempt() {
	before=$(dump $S)
	run "$DOCKET" decide $S "$held" --reviewer ann --action override --label $other
	expect_rc 1
	expect_err_exact "$1"
	run "$DOCKET" import $S more.csv --model credit
	expect_rc 1
	# (the step an import is at when the disk fills varies: "inserting a
	# case", "committing", ...)
	case "$err" in
	$2) ;;
	*) fail "import's message is not '$2': $err" ;;
	esac
	[ "$(echo "$err" | wc -l)" = 1 ] || fail "import's message is not one line: $err"
	run "$DOCKET" export $S --out out.csv --only all
	expect_rc 1
	expect_err_exact "$3"
	[ ! -e out.csv ] || fail "a failed export left out.csv"
	[ -z "$(ls -A | grep '^\.out\.csv')" ] || fail "left behind: $(ls -A | grep '^\.out')"
	[ "$(dump $S)" = "$before" ] || fail "the store changed"
}

# ---- the store closed: opening it needs room for its -shm file ----------
[ ! -e $S-wal ] || fail "the store was left open"
fill
m="docket: $S: cannot open: No space left on device"
attempt "$m" "$m" "$m"
rm small/fill
fault_check $S

# ---- the store open elsewhere: the write fails at its commit -----------
hold_open
fill
attempt "docket: $S: committing: No space left on device" \
	"docket: $S: *: No space left on device" \
	"docket: $S: committing: No space left on device (export not recorded; out.csv removed)"
release_open
rm small/fill
fault_check $S

# With room again, the same commands work.
run "$DOCKET" decide $S "$held" --reviewer ann --action override --label $other
expect_rc 0
run "$DOCKET" import $S more.csv --model credit
expect_rc 0
expect_out "imported 5000 cases"
run "$DOCKET" export $S --out out.csv --only all
expect_rc 0
expect_out "exported 9454 rows"
run "$DOCKET" verify $S
expect_rc 0

# A new store on a full disk: the message, and no store file left behind.
fill
run "$DOCKET" import small/new.db more.csv --model credit
expect_rc 1
expect_err "docket: small/new.db: "
expect_err "No space left on device"
[ -z "$(ls small | grep new.db)" ] || fail "a failed import left $(ls small | grep new.db)"
rm small/fill
