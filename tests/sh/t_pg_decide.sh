# A decision on PostgreSQL is one server call, decide() (pg_roles.c),
# whose SQL builds part of the entry's hash input (the domain, seq, time and
# previous hash around the bytes audit.c sends): the same decisions with
# awkward values (unicode, quotes, backslashes, newlines, an empty and a
# missing note, huge and tiny seconds, a clock stepped back and one far
# ahead: a 15-digit time) give the same output, hashes and head on SQLite (hashed in C) and
# on PostgreSQL, and `verify` (which recomputes every hash in C) passes.
# Then decide() from psql: it runs as the schema's owner, so it must
# refuse what row-level security refuses on the same writes: a decision
# entered for another reviewer, on a case not held, under a lease that ran
# out, a resolve by a reviewer, a final label taken from another case's
# entry, a call by a role that is no reviewer; and take a reviewer's own
# decision on a case it holds. claim() and reclaim(), which run as their
# caller, take no lease for another reviewer and no live lease of one.
. "$DOCKET_TESTS/sh/lib.sh"

pgdir="$TMPDIR/pg"
trap '"$DOCKET_TESTS/pg/cluster.sh" stop "$pgdir" >/dev/null 2>&1 || true' EXIT
pg_start "$pgdir"
me=$(id -un)
psql -qX -v ON_ERROR_STOP=1 -d postgres <<SQL
CREATE ROLE "$me" LOGIN SUPERUSER;
CREATE ROLE alice LOGIN;
CREATE ROLE bob LOGIN;
CREATE ROLE nogroup LOGIN;
SQL
uri() { echo "postgresql:///postgres?host=$PGHOST&port=$PGPORT&user=$1"; }
PG=$(uri "$me")

nl='a
b'
notes_file="$PWD/notes"
# one awkward note a line (a line "-" is no note at all; the newline note
# is given apart)
cat >"$notes_file" <<'EOF'
é 日本語 🙂 ÿ
it's "quoted" \ back\slash \n not a newline %s %d
-

EOF
flow() { # flow STORE DIR
	store=$1
	dir=$2
	mkdir -p "$dir"
	n=0
	step() {
		n=$((n + 1))
		set +e
		"$@" >"$dir/$n.out" 2>"$dir/$n.err"
		printf "\nrc=%s\n" $? >>"$dir/$n.out"
		set -e
	}
	export DOCKET_NOW=2026-03-01T09:00:00Z DOCKET_RANDOM_SEED=t_pg_decide
	step "$DOCKET" init "$store"
	step "$DOCKET" import "$store" "$DOCKET_ROOT/sample-data/credit.csv" --model credit
	i=0
	# act seconds clock: a clock stepped back (the entry keeps the
	# latest time), then one far ahead
	while read -r act secs now; do
		i=$((i + 1))
		export DOCKET_NOW=$now
		step "$DOCKET" next "$store" --model credit
		id=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' "$dir/$n.out")
		note=$(sed -n "${i}p" "$notes_file")
		case $act in
		override) extra="--label $(sed -n 's/.*"prediction":"good".*/bad/p; s/.*"prediction":"bad".*/good/p' "$dir/$n.out")" ;;
		escalate | skip) extra="--reason ambiguous" ;;
		*) extra= ;;
		esac
		if [ $i = 5 ]; then
			step "$DOCKET" decide "$store" "$id" --action $act $extra --seconds "$secs" --note "$nl	tab"
		elif [ "$note" = - ]; then
			step "$DOCKET" decide "$store" "$id" --action $act $extra --seconds "$secs"
		else
			step "$DOCKET" decide "$store" "$id" --action $act $extra --seconds "$secs" --note "$note"
		fi
	done <<'EOF'
accept 0 2026-03-01T09:01:00Z
override 1e308 2026-03-01T09:02:00Z
escalate 5e-324 2026-03-01T09:05:00Z
skip 123456789.123456789 2026-03-01T09:04:00Z
accept 0.1 9999-12-31T23:59:58Z
EOF
	step "$DOCKET" log "$store" --format jsonl
	step "$DOCKET" verify "$store"
}
flow "$PWD/s.db" lite
flow "$PG" pg
for f in lite/*.out; do
	tail -n 1 "$f" | grep -qx 'rc=0' || fail "$f: $(cat "$f" "${f%.out}.err")"
done
norm() {
	sed -e "s|$PWD/s.db|STORE|g" -e "s|postgresql:///postgres?host=$PGHOST&port=$PGPORT&user=[a-z]*|STORE|g" "$1"
}
for f in lite/*.out lite/*.err; do
	g=pg/${f#lite/}
	if ! norm "$f" >a.txt || ! norm "$g" >b.txt || ! cmp -s a.txt b.txt; then
		diff a.txt b.txt | head -n 20 >&2
		fail "$f differs between SQLite and PostgreSQL"
	fi
done
# the values went in as given (a test that compares nothing would pass)
log=$(cat pg/*.out)
for want in '日本語 🙂' 'it'"'"'s \"quoted\" \\ back\\slash' '"note":""' '"note":"a\nb\ttab"' \
	'"seconds":1e+308' '"at":"9999-12-31T23:59:58'; do
	case "$log" in *"$want"*) ;; *) fail "the log lacks $want" ;; esac
done
# the entry made after the clock stepped back keeps the latest time
[ "$(grep -c '"at":"2026-03-01T09:05:00' pg/13.out)" = 2 ] || fail "time fell along the chain: $(cat pg/13.out)"
grep -Eq '^[0-9]+:[0-9a-f]{64}$' pg/14.out || fail "verify printed no head: $(cat pg/14.out)"

# ---- decide() from psql ----------------------------------------------------
# (a store of its own: the one above has an entry dated 9999)
unset DOCKET_NOW
psql -qX -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE b"
uri() { echo "postgresql:///b?host=$PGHOST&port=$PGPORT&user=$1"; }
PG=$(uri "$me")
"$DOCKET" init "$PG" >/dev/null
"$DOCKET" import "$PG" "$DOCKET_ROOT/sample-data/credit.csv" --model credit >/dev/null
"$DOCKET" reviewer add "$PG" alice >/dev/null
"$DOCKET" reviewer add "$PG" bob >/dev/null
"$DOCKET" next "$PG" --model credit >me.json
"$DOCKET" decide "$PG" "$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' me.json)" --action accept >/dev/null
sql() { # sql USER SQL: as USER in schema docket
	u=$1
	shift
	psql -qAtX -v ON_ERROR_STOP=1 -d b -U "$u" \
		-c "SET search_path = docket, pg_catalog" -c "$*"
}
refused() { # refused USER ERROR SQL
	u=$1
	want=$2
	shift 2
	set +e
	got=$(sql "$u" "$*" 2>&1)
	r=$?
	set -e
	[ $r -ne 0 ] || fail "$u was allowed: $*"
	case "$got" in *"$want"*) ;; *) fail "$u: $*
expected: $want
got: $got" ;; esac
}
# call WHO CASE [ACTION [STATE [FINAL_LABEL FINAL_SEQ DECIDED_AT [NOW]]]]:
# decide() entering WHO's decision on CASE
call() {
	echo "SELECT * FROM docket.decide('$1', $2, '${3:-accept}', 'good', 'good', NULL,"\
	     "NULL, NULL, '00', ${8:-now_ms()}, '${4:-done}', ${5:-'good'},"\
	     "${6:--1}, ${7:-NULL}, true)"
}
"$DOCKET" next "$(uri alice)" --model credit >alice.json
held=$(sql "$me" "SELECT l.case_id FROM leases l JOIN reviewers r ON r.id = l.reviewer_id WHERE r.name = 'alice'")
[ -n "$held" ] || fail "alice holds nothing"
other=$(sql "$me" "SELECT min(id) FROM cases WHERE state = 'queued'")
done_seq=$(sql "$me" "SELECT seq FROM decisions WHERE action = 'accept' ORDER BY seq LIMIT 1")
done_at=$(sql "$me" "SELECT at FROM decisions WHERE seq = $done_seq")
before=$(sql "$me" "SELECT count(*) FROM decisions")
refused alice "alice may not enter a decision for bob" "$(call bob "$held")"
refused alice "alice may not enter a decision for $me" "$(call "$me" "$held")"
refused bob "bob holds no live lease on case $held" "$(call bob "$held")"
refused alice "alice holds no live lease on case $other" "$(call alice "$other")"
refused alice "alice may not enter resolve entries" "$(call alice "$held" resolve)"
refused alice "cannot become done with final entry $done_seq" \
	"$(call alice "$held" accept done "'good'" "$done_seq" "$done_at")"
refused alice "cannot become held" "$(call alice "$held" skip held NULL NULL)"
refused alice "cannot become done" "$(call alice "$held" skip done)"
refused nogroup "permission denied for schema docket" \
	"$(call nogroup "$held" accept done "'good'" -1 NULL "$(date +%s)000")"
# a lease that ran out by the entry's time holds nothing
refused alice "alice holds no live lease on case $held" \
	"$(call alice "$held" accept done "'good'" -1 NULL "now_ms() + 3600000")"
[ "$(sql "$me" "SELECT count(*) FROM decisions")" = "$before" ] || fail "a refused call left an entry"
# alice's own decision on the case she holds goes in (rolled back here)
got=$(sql alice "BEGIN; $(call alice "$held"); ROLLBACK" 2>&1) || fail "alice's own decision was refused: $got"
[ "$(echo "$got" | cut -d'|' -f1)" = $((before + 1)) ] || fail "decide() returned $got"
# and through docket, with the chain intact
id=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' alice.json)
run "$DOCKET" decide "$(uri alice)" "$id" --action accept --note "ok"
expect_rc 0
expect_out '"action":"accept","state":"done"'
run "$DOCKET" verify "$PG"
expect_rc 0

# claim() and reclaim() run as their caller: a claim for another reviewer
# is refused by the lease's row-level security, a reclaim by docket's
# clock far ahead leaves a live lease of another reviewer alone, and a
# role that is no reviewer reaches neither.
refused alice "row-level security" \
	"SELECT * FROM docket.claim('bob', NULL, now_ms(), 1800000, now_ms() + 600000)"
refused nogroup "permission denied for schema docket" \
	"SELECT * FROM docket.claim('nogroup', NULL, $(date +%s)000, 1800000, $(date +%s)000)"
sql bob "SELECT claim_case FROM docket.claim('bob', NULL, now_ms(), 1800000, now_ms() + 600000)" >bob.claim
bobs=$(cat bob.claim)
[ -n "$bobs" ] || fail "bob's claim took nothing"
sql alice "SELECT docket.reclaim(now_ms() + 86400000)" >/dev/null
[ "$(sql "$me" "SELECT count(*) FROM leases l JOIN cases c ON c.id = l.case_id
	WHERE l.case_id = $bobs AND c.state = 'held'")" = 1 ] || fail "alice's reclaim took bob's live lease"
