# A read-only store during import, decide and export: each fails with a
# message saying the store is read-only and why, nothing in the store
# changes (its bytes, earlier decisions, counts, leases), no export file is
# left, and once it is writable again the store verifies and the same
# commands work. As root (who ignores file modes) the store lives on a
# tmpfs remounted read-only, and is also seen through a read-only bind mount
# while another process has it open (its -wal and -shm exist); otherwise
# the store and its directory lose their write permission.
. "$DOCKET_TESTS/sh/lib.sh"
sqlite_only "a read-only store file, directory and -wal/-shm"

mkdir small
if [ "$(id -u)" = 0 ]; then
	if ! mount -t tmpfs -o size=16m tmpfs small 2>/dev/null; then
		echo "SKIP: root, but cannot mount a tmpfs here (no mount permission), and root ignores file modes"
		exit 0
	fi
	mode=mount
	trap 'set +e; touch "$PWD/release"; [ -z "${holder:-}" ] || wait $holder
		umount "$PWD/view" 2>/dev/null; umount "$PWD/small" 2>/dev/null; true' EXIT
else
	mode=chmod
	trap 'chmod -R u+w "$PWD/small" 2>/dev/null || true' EXIT
fi
S=small/s.db
fault_store $S # ann holds $held

# attempt STORE WHY: decide, import and export on the read-only STORE, each
# with its exact message; the store's bytes do not change.
attempt() {
	ro="the store is read-only ($2): docket needs to write to it and to its directory"
	before=$(sha256sum "$1" | cut -d' ' -f1)
	dump_before=$(dump "$1")
	run "$DOCKET" decide "$1" "$held" --reviewer ann --action override --label $other
	expect_rc 1
	expect_err_exact "docket: $1: $3: $ro"
	run "$DOCKET" import "$1" more.csv --model credit
	expect_rc 1
	expect_err_exact "docket: $1: $4: $ro"
	run "$DOCKET" export "$1" --out out.csv --only all
	expect_rc 1
	expect_err_exact "docket: $1: $5: $ro$6"
	[ ! -e out.csv ] || fail "a failed export left out.csv"
	[ -z "$(ls -A | grep '^\.out\.csv')" ] || fail "left behind: $(ls -A | grep '^\.out')"
	[ "$(sha256sum "$1" | cut -d' ' -f1)" = "$before" ] || fail "the store's file changed"
	[ "$(dump "$1")" = "$dump_before" ] || fail "the store changed"
}

[ ! -e $S-wal ] || fail "the store was left open"
if [ $mode = mount ]; then
	# ---- the file system read-only, the store closed -----------------
	mount -o remount,ro small || fail "cannot remount the tmpfs read-only"
	attempt $S "Read-only file system" "cannot open" "cannot open" "cannot open" ""
	mount -o remount,rw small
	fault_check $S

	# ---- open elsewhere (-wal, -shm there), seen read-only -----------
	# Another process keeps the store open, as a reviewer's screen would;
	# a second path to the same directory is read-only.
	rm -f release
	{ echo "SELECT count(*) FROM cases;"
	  while [ ! -e release ]; do sleep 0.05; done; } | sqlite3 $S >/dev/null &
	holder=$!
	while [ ! -e $S-shm ]; do sleep 0.05; done
	mkdir view
	mount --bind small view && mount -o remount,bind,ro view ||
		fail "cannot make a read-only bind mount"
	# (reading works here; each command fails at its first write)
	attempt view/s.db "Read-only file system" "appending to the decision log" \
		"creating the batch" "appending to the decision log" \
		" (export not recorded; out.csv removed)"
	umount view
	touch release
	wait $holder
	fault_check $S
else
	# ---- no write permission on the store and its directory -----------
	chmod a-w $S small
	attempt $S "Permission denied" "cannot open" "cannot open" "cannot open" ""
	chmod u+w $S small
	fault_check $S
fi

# Writable again: the same commands work.
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
