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

pg_own_cluster
psql -qX -v ON_ERROR_STOP=1 -d postgres <<SQL
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

# ---- two reviews a case: decide()'s own state against queue.c's replay ----
# On PostgreSQL a plain decision works out the case's state in decide()
# (the fast way) where the log is plain, and in queue.c's replay where it
# is not (an undo, a resolve); on SQLite always the replay. The same
# steps must print the same on both: agreeing reviews (done), differing
# ones (disputed), a resolve, an escalation, an undo and reviews after
# it, decide --next (the claim in the same statement), a skip, and the
# cases' states and verify (which replays every case's log) at the end.
# five cases, all routed to review, every one to two reviewers
printf '%s\n' 'id,prediction,confidence,p:good,p:bad' 't1,good,0.61,0.61,0.39' \
	't2,bad,0.59,0.41,0.59' 't3,good,0.57,0.57,0.43' 't4,bad,0.55,0.45,0.55' \
	't5,good,0.53,0.53,0.47' >two.csv
two_flow() { # two_flow STORE ALICE_STORE ALICE_OPT DIR
	store=$1
	alice=$2
	alice_opt=$3
	dir=$4
	mkdir -p "$dir"
	n=0
	step() {
		n=$((n + 1))
		set +e
		"$@" >"$dir/$n.out" 2>"$dir/$n.err"
		printf "\nrc=%s\n" $? >>"$dir/$n.out"
		set -e
	}
	idof() { sed -n "${1:-1}"'s/^{"id":"\([^"]*\)".*/\1/p' "$dir/$n.out"; }
	other() { sed -n '1s/.*"prediction":"good".*/bad/p; 1s/.*"prediction":"bad".*/good/p' "$dir/$n.out"; }
	export DOCKET_NOW=2026-03-01T09:00:00Z DOCKET_RANDOM_SEED=t_pg_decide
	step "$DOCKET" init "$store"
	step "$DOCKET" import "$store" two.csv --model two
	step "$DOCKET" policy "$store" --model two --double-rate 1
	step "$DOCKET" reviewer add "$store" alice
	export DOCKET_NOW=2026-03-01T09:01:00Z
	# the first reviews: an accept, an override, an escalation (with the
	# next claim in its statement), an accept undone and made again (the
	# long way on PostgreSQL: the log has an undo), a skip
	step "$DOCKET" next "$store"
	step "$DOCKET" decide "$store" "$(idof)" --action accept
	step "$DOCKET" next "$store"
	b=$(idof)
	lb=$(other)
	step "$DOCKET" decide "$store" "$b" --action override --label "$lb" --note no
	step "$DOCKET" next "$store"
	step "$DOCKET" decide "$store" "$(idof)" --action escalate --reason ambiguous --next
	d=$(idof 2)
	step "$DOCKET" decide "$store" "$d" --action accept
	step "$DOCKET" decide "$store" "$d" --action undo
	step "$DOCKET" decide "$store" "$d" --action accept --seconds 3
	step "$DOCKET" next "$store"
	step "$DOCKET" decide "$store" "$(idof)" --action skip --reason ambiguous
	# the second reviews, each with the next claim: agreeing (done),
	# differing (disputed), after an undo, after a skip
	step "$DOCKET" next "$alice" $alice_opt
	for k in 1 2 3 4; do
		step "$DOCKET" decide "$alice" "$(idof $((k == 1 ? 1 : 2)))" $alice_opt --action accept --next
	done
	step "$DOCKET" decide "$store" "$b" --action resolve --label "$lb"
	step "$DOCKET" cases "$store" --format csv
	step "$DOCKET" log "$store" --format jsonl
	step "$DOCKET" verify "$store"
	unset DOCKET_NOW DOCKET_RANDOM_SEED
}
two_flow "$PWD/two.db" "$PWD/two.db" "--reviewer alice" lite2
psql -qX -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE two"
two_flow "postgresql:///two?host=$PGHOST&port=$PGPORT&user=$me" \
	"postgresql:///two?host=$PGHOST&port=$PGPORT&user=alice" "" pg2
for f in lite2/*.out; do
	tail -n 1 "$f" | grep -qx 'rc=0' || fail "$f: $(cat "$f" "${f%.out}.err")"
done
# Lease tokens only grow on both engines, but on PostgreSQL a fast
# decide --next that is refused (the long way then takes it) has drawn its
# claim's token already (the claim runs before the decision, revision 7;
# a sequence is not rolled back): the tokens are compared apart, as
# growing, and the rest byte for byte.
i=1
: >tokens.txt
while [ -f "pg2/$i.out" ]; do
	grep -o '"token":[0-9]*' "pg2/$i.out" | cut -d: -f2 >>tokens.txt
	i=$((i + 1))
done
[ "$(wc -l <tokens.txt)" -ge 5 ] || fail "the two-review flow printed few tokens"
sort -n -c -u tokens.txt 2>/dev/null || fail "lease tokens did not grow: $(tr '\n' ' ' <tokens.txt)"
for f in lite2/*.out lite2/*.err; do
	g=pg2/${f#lite2/}
	if ! sed -e "s|$PWD/two.db|STORE|g" -e 's/"token":[0-9]*/"token":T/g' "$f" >a.txt ||
		! sed -e "s|postgresql:///two?host=$PGHOST&port=$PGPORT&user=[a-z]*|STORE|g" \
			-e 's/"token":[0-9]*/"token":T/g' "$g" >b.txt ||
		! cmp -s a.txt b.txt; then
		diff a.txt b.txt | head -n 20 >&2
		fail "$f differs between SQLite and PostgreSQL"
	fi
done
# (a test that compares nothing would pass: the states were reached)
for want in '"state":"done"' '"state":"disputed"' '"state":"escalated"' '"action":"undo"'; do
	cat pg2/*.out | grep -q "$want" || fail "the two-review flow never printed $want"
done

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
sql() { u=$1; shift; pg_as "$u" b "$*"; } # sql USER SQL: as USER in schema docket
refused() { u=$1; want=$2; shift 2; pg_refused "$u" b "$want" "$*"; } # USER ERROR SQL
"$DOCKET" next "$(uri alice)" --model credit >alice.json
held=$(sql "$me" "SELECT l.case_id FROM leases l JOIN reviewers r ON r.id = l.reviewer_id WHERE r.name = 'alice'")
[ -n "$held" ] || fail "alice holds nothing"
pred=$(sql "$me" "SELECT prediction FROM cases WHERE id = $held")
token=$(sql "$me" "SELECT token FROM leases WHERE case_id = $held")
# call WHO CASE [ACTION [STATE [FINAL_LABEL FINAL_SEQ DECIDED_AT [NOW]]]]:
# decide() entering WHO's decision on CASE, the state given (the long way;
# an accept's label is the case's prediction)
call() {
	echo "SELECT * FROM docket.decide('$1', $2, '${3:-accept}', NULL, NULL, NULL,"\
	     "NULL, $(pg_mid_head "$1" "$2" "${3:-accept}"), $(pg_mid_tail NULL),"\
	     "${8:-now_ms()}, 0, NULL, '${4:-done}', ${5:-"'$pred'"},"\
	     "${6:--1}, ${7:-NULL}, true)"
}
# fast WHO CASE [ACTION [LABEL [REASON [NOW [TOKEN]]]]]: decide()'s fast
# way (no state given: it checks the lease, label and reason and works out
# the state itself)
fast() {
	echo "SELECT * FROM docket.decide('$1', $2, '${3:-accept}', ${4:-NULL},"\
	     "${5:-NULL}, NULL, NULL, $(pg_mid_head "$1" "$2" "${3:-accept}"),"\
	     "$(pg_mid_tail "${5:-NULL}"), ${6:-now_ms()}, ${7:-0},"\
	     "'[\"ambiguous\"]', NULL, NULL, NULL, NULL, true)"
}
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
# the fast way refuses the same, and what queue.c checks before the long
# way: another's lease token, an accept's label not the prediction, an
# override's label not the model's, a reason that is no code
refused alice "alice may not enter a decision for bob" "$(fast bob "$held")"
refused bob "bob holds no live lease on case $held" "$(fast bob "$held")"
refused alice "alice holds no live lease on case $other" "$(fast alice "$other")"
refused alice "alice holds no live lease on case $held" \
	"$(fast alice "$held" accept NULL NULL "now_ms() + 3600000")"
refused alice "alice holds no live lease on case $held (token $((token + 1)))" \
	"$(fast alice "$held" accept NULL NULL "now_ms()" $((token + 1)))"
refused alice "alice may not enter resolve entries" "$(fast alice "$held" resolve "'$pred'")"
refused alice "accept keeps the model's label $pred" "$(fast alice "$held" accept "'x$pred'")"
refused alice "override with label nolabel" "$(fast alice "$held" override "'nolabel'")"
refused alice "override with label $pred" "$(fast alice "$held" override "'$pred'")"
refused alice "escalate takes no label" "$(fast alice "$held" escalate "'$pred'" "'ambiguous'")"
refused alice "unknown reason code nocode" "$(fast alice "$held" escalate NULL "'nocode'")"
[ "$(sql "$me" "SELECT count(*) FROM decisions")" = "$before" ] || fail "a refused call left an entry"
got=$(sql alice "BEGIN; $(fast alice "$held" escalate NULL "'ambiguous'" "now_ms()" "$token"); ROLLBACK" 2>&1) ||
	fail "alice's own escalation was refused: $got"
[ "$(echo "$got" | cut -d'|' -f1,4)" = "$((before + 1))|escalated" ] || fail "decide() returned $got"
# the same with bytes that are not its fields' (no reason in them): its
# hash would not be the entry's, and verify would stop there for good
refused alice "the entry's hash is not that of its fields" \
	"SELECT * FROM docket.decide('alice', $held, 'escalate', NULL, 'ambiguous',
	NULL, NULL, $(pg_mid_head alice "$held" escalate), $(pg_mid_tail NULL), now_ms(),
	$token, '[\"ambiguous\"]', NULL, NULL, NULL, NULL, true)"
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
