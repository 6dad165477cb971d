# kill -9 in the middle of an import, of a next/decide loop and of an
# export: the store opens, passes integrity_check and `docket verify`, holds
# no part of an unfinished import, has every acknowledged decision in its
# log, and gives a dead reviewer's case back after the lease expires.
. "$DOCKET_TESTS/sh/lib.sh"
S=$DOCKET_ROOT/sample-data
me=$(id -un)

# check_store STORE: what must hold after any crash.
check_store() {
	[ "$(sql "$1" "PRAGMA integrity_check")" = ok ] || fail "integrity_check failed"
	[ "$(sql "$1" "PRAGMA foreign_key_check" | wc -l)" = 0 ] ||
		fail "foreign key violations"
	# the maintained counters equal the real counts
	bad=$(sql "$1" "SELECT count(*) FROM (
		SELECT model_id, state, count(*) AS n FROM cases GROUP BY 1, 2) r
		FULL JOIN (SELECT model_id, state, n FROM counters WHERE n <> 0) c
		USING (model_id, state) WHERE r.n IS NOT c.n")
	[ "$bad" = 0 ] || fail "counters differ from the real counts: $(sql "$1" \
		"SELECT model_id, state, n FROM counters")"
	run "$DOCKET" verify "$1"
	expect_rc 0
}

# ---- import ----------------------------------------------------------------
# 200,000 rows take a few seconds to import: kills land in the middle.
python3 "$DOCKET_ROOT/tools/gen_predictions.py" --rows 200000 --seed 7 \
	--out big.csv
run "$DOCKET" import s.db "$S/credit.csv" --model credit
expect_rc 0
base=$(sql s.db "SELECT count(*) FROM cases")
midway=0
for delay in 0.3 1 2; do
	"$DOCKET" import s.db big.csv --model credit >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	if [ "$(sql s.db "SELECT count(*) FROM batches WHERE source_file LIKE '%big.csv'")" = 0 ]; then
		midway=$((midway + 1))
		# nothing of the killed import: no cases, no batch, no counts
		[ "$(sql s.db "SELECT count(*) FROM cases")" = "$base" ] ||
			fail "a killed import left $(($(sql s.db "SELECT count(*) FROM cases") - base)) cases"
	else
		break # finished before the kill (a slow machine would not get here)
	fi
	check_store s.db
done
[ "$midway" -gt 0 ] || fail "no import was killed midway; the test proved nothing"
# the same file imports whole afterwards (the killed attempts left no trace
# that would make it a duplicate)
if [ "$(sql s.db "SELECT count(*) FROM batches WHERE source_file LIKE '%big.csv'")" = 0 ]; then
	run "$DOCKET" import s.db big.csv --model credit
	expect_rc 0
	expect_out "imported 200000 cases"
fi
[ "$(sql s.db "SELECT count(*) FROM cases")" = $((base + 200000)) ] ||
	fail "after the crashes the import is not whole"
check_store s.db

# ---- next/decide -----------------------------------------------------------
# A reviewer's script loops next + decide and prints each decision after
# `docket decide` returned: those are acknowledged. The loop is killed
# (-9, its whole process group) at some moment; every acknowledged
# decision must be in the log.
run "$DOCKET" reviewer add s.db ann
run "$DOCKET" reviewer add s.db bob
cat >loop.sh <<'EOF'
echo $$ >loop.pid # the process group to kill (setsid made this shell its leader)
while :; do
	id=$("$DOCKET" next s.db --reviewer ann --model credit |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])') || exit 1
	"$DOCKET" decide s.db "$id" --reviewer ann --action accept --model credit \
		>/dev/null || exit 1
	echo "$id" >>acked
done
EOF
: >acked
for delay in 0.7 1.3 1.9; do
	rm -f loop.pid
	setsid sh loop.sh &
	pid=$!
	sleep $delay
	[ -s loop.pid ] || fail "the loop did not start"
	group=$(cat loop.pid)
	kill -9 -"$group" || fail "could not kill the loop"
	wait $pid 2>/dev/null || true
	while kill -0 -"$group" 2>/dev/null; do sleep 0.05; done
	check_store s.db
done
n=$(wc -l <acked)
[ "$n" -gt 0 ] || fail "no decision was acknowledged before the kills"
while read -r id; do
	[ "$(sql s.db "SELECT count(*) FROM decisions d JOIN cases c ON c.id = d.case_id
		WHERE c.ext_id = '$id' AND d.action = 'accept' AND d.reviewer = 'ann'")" = 1 ] ||
		fail "acknowledged decision on $id is not in the log"
done <acked
# Each kill may have left ann holding a case (killed between next and
# decide), as a reviewer who died would; make sure there is one.
if [ "$(sql s.db "SELECT count(*) FROM leases")" = 0 ]; then
	run "$DOCKET" next s.db --reviewer ann --model credit
	expect_rc 0
fi
held=$(sql s.db "SELECT c.ext_id FROM leases l JOIN cases c ON c.id = l.case_id
	JOIN reviewers r ON r.id = l.reviewer_id WHERE r.name = 'ann'")
[ -n "$held" ] || fail "ann holds nothing"
[ "$(sql s.db "SELECT count(*) FROM leases")" = "$(echo "$held" | wc -l)" ] ||
	fail "someone other than ann holds a case"
first=$(sql s.db "SELECT min(expires_at) FROM leases")
last=$(sql s.db "SELECT max(expires_at) FROM leases")
at() { python3 -c "import datetime; print(datetime.datetime.fromtimestamp(
	$1 / 1000, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))"; }
# before the leases end bob gets none of ann's cases; after, they are back
export DOCKET_NOW=$(at $((first - 1000)))
run "$DOCKET" next s.db --reviewer bob --model credit
expect_rc 0
for id in $held; do
	case "$out" in *"\"id\":\"$id\""*) fail "bob got $id while ann's lease was live" ;; esac
done
run "$DOCKET" release s.db --reviewer bob
expect_rc 0
export DOCKET_NOW=$(at $((last + 1000)))
run "$DOCKET" next s.db --reviewer bob --model credit
expect_rc 0
got=$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
echo "$held" | grep -qx "$got" || fail "bob got $got, not one of ann's expired cases ($held)"
[ "$(sql s.db "SELECT count(*) FROM leases l JOIN reviewers r ON r.id = l.reviewer_id
	WHERE r.name = 'ann'")" = 0 ] || fail "ann still holds cases after expiry"
for id in $held; do
	[ "$id" = "$got" ] && continue
	[ "$(sql s.db "SELECT state FROM cases WHERE ext_id = '$id'")" = queued ] ||
		fail "$id did not go back to the queue"
done
run "$DOCKET" decide s.db "$got" --reviewer ann --action accept --model credit
expect_rc 1
expect_err "held by bob"
run "$DOCKET" decide s.db "$got" --reviewer bob --action accept --model credit
expect_rc 0
unset DOCKET_NOW
check_store s.db

# ---- export ----------------------------------------------------------------
# All 200,000+ cases (--only all) so the export runs a while; a killed
# export leaves no file under its name and no audit entry.
exports0=$(sql s.db "SELECT count(*) FROM decisions WHERE action = 'export'")
killed=0
finished=0
for delay in 0.02 0.1 0.3; do
	"$DOCKET" export s.db --out out.csv --only all >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	if [ -e out.csv ]; then
		finished=$((finished + 1))
		[ "$(sql s.db "SELECT json_extract(detail, '\$.sha256') FROM decisions
		  WHERE action = 'export' ORDER BY seq DESC LIMIT 1")" = \
		  "$(sha256sum out.csv | cut -d' ' -f1)" ] ||
			fail "out.csv is not the recorded export"
		rm out.csv
	else
		killed=$((killed + 1))
	fi
	rm -f .out.csv.tmp-*
	check_store s.db
done
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE action = 'export'")" = \
	$((exports0 + finished)) ] || fail "an export that did not finish was recorded"
[ "$killed" -gt 0 ] || fail "no export was killed midway; the test proved nothing"
