# The supervisor's screen in tmux on a store made with the real commands:
# each tab draws, the Log opens a case with its history, an escalation is
# resolved with a label and a note, then the store and the chain are checked.
. "$DOCKET_TESTS/sh/lib.sh"

command -v tmux >/dev/null || fail "tmux is needed"
sock="docket-test-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null || true' EXIT

# screen_has TEXT: poll the pane until TEXT shows (3 s at most).
screen_has() {
	i=0
	while [ $i -lt 60 ]; do
		tm capture-pane -p -t t >"$PWD/.pane" 2>/dev/null || true
		grep -qF -- "$1" "$PWD/.pane" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	fail "screen lacks '$1':
$(cat "$PWD/.pane")"
}

run "$DOCKET" init s.db
expect_rc 0
me=$(sql s.db "SELECT name FROM reviewers WHERE role = 'supervisor'")
printf 'id,prediction,p:good,p:bad,Marital,pii:name\n' >p.csv
for i in 1 2 3 4 5 6; do
	printf 'a%d,good,0.%d,0.%d,%s,Person %d\n' $i $((60 + i)) $((40 - i)) single $i >>p.csv
done
"$DOCKET" import s.db p.csv --model credit --threshold 0.9 >/dev/null
"$DOCKET" policy s.db --model credit --double-rate 1 >/dev/null
"$DOCKET" reviewer add s.db alice >/dev/null
"$DOCKET" reviewer add s.db bob >/dev/null
# alice: escalates her first case, accepts the rest; bob overrides what
# alice accepted, so those double reviews disagree.
first=1
while :; do
	id=$("$DOCKET" next s.db --reviewer alice | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
	[ -n "$id" ] || break
	if [ $first = 1 ]; then
		"$DOCKET" decide s.db "$id" --reviewer alice --action escalate \
			--reason needs-expert --note "income looks odd" --seconds 9 >/dev/null
		esc=$id
		first=0
	else
		"$DOCKET" decide s.db "$id" --reviewer alice --action accept --seconds 4 >/dev/null
	fi
done
while :; do
	id=$("$DOCKET" next s.db --reviewer bob | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
	[ -n "$id" ] || break
	"$DOCKET" decide s.db "$id" --reviewer bob --action override --label bad \
		--reason other --seconds 6 >/dev/null
done
[ "$(sql s.db "SELECT count(*) FROM cases WHERE state = 'disputed'")" = 5 ] ||
	fail "want 5 disputed cases"

# Only supervisors get the screen.
run "$DOCKET" supervise s.db --as alice
expect_rc 1
expect_err "'alice' is not a supervisor"

# A verification on record: the Audit tab then checks only what follows it.
# The record is kept in the user's state directory, not in the store.
# (A fixed clock later than every entry: verify refuses entries dated in
# its future.)
export DOCKET_NOW=2036-03-04T05:06:07Z
run "$DOCKET" verify s.db
expect_rc 0
unset DOCKET_NOW
[ -z "$(sql s.db "SELECT value FROM meta WHERE key LIKE 'verified%'")" ] ||
	fail "verify recorded its check in the store"
mark=$(cat "$HOME"/.local/state/docket/verified/*)
vseq=${mark%% *}
[ "$vseq" = "$(sql s.db "SELECT max(seq) FROM decisions")" ] || fail "verify recorded '$vseq'"
[ "$(echo "$mark" | cut -d' ' -f1-2 | tr ' ' :)" = "$(echo "$out" | tail -n 1)" ] ||
	fail "verify recorded another hash than its head"
[ "$(echo "$mark" | cut -d' ' -f3)" = 2088219967000 ] || fail "verified at: $mark"

tm new-session -d -s t -x 120 -y 32 \
	"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color '$DOCKET' supervise s.db; echo \$? >exited; sleep 30"
# Log: newest first, bob's override on top.
screen_has "1 Log  2 Escalations"
screen_has "bob         a"
screen_has "override  good → bad"
# Open the entry: the case with its history, the personal field masked.
tm send-keys -t t Enter
screen_has ": 2 entries, oldest first"
screen_has "model says good  0.6"
screen_has "name     ••••••••  personal"
screen_has "alice      accept"
tm capture-pane -p -t t | grep -q "Person" && fail "personal field shown unmasked"
tm send-keys -t t Escape
# Filter the log.
tm send-keys -t t /
tm send-keys -t t -l "reviewer=alice action=escalate"
tm send-keys -t t Enter
screen_has "filter: reviewer=alice action=escalate"
screen_has "needs-expert"
tm capture-pane -p -t t | grep -q "bob  " && fail "filter let bob's entries through"

# Escalations: both sides and the reason; Enter opens the case (it does
# not resolve), r resolves it from there.
tm send-keys -t t 2
screen_has "1 case escalated"
screen_has "income looks odd"
tm send-keys -t t Enter
screen_has "case $esc  model credit  state escalated"
screen_has "Esc back  j/k scroll  r resolve"
tm capture-pane -p -t t | grep -q "final label" && fail "Enter resolved"
tm send-keys -t t r
screen_has "final label: 1 good 2 bad"
tm send-keys -t t 2
screen_has "note (Enter saves):"
tm send-keys -t t -l "checked the payslip"
tm send-keys -t t Enter
screen_has "resolved as bad"
screen_has "0 cases escalated"
screen_has "Enter open  r resolve"

tm send-keys -t t 3
screen_has "5 cases disputed"
tm send-keys -t t 4
screen_has "Fleiss' kappa"
screen_has "alice"
screen_has "bob"
tm send-keys -t t 5
screen_has "model credit (1 of 1)"
screen_has "confusion: rows the model's label"
tm send-keys -t t f
tm send-keys -t t -l "Marital"
tm send-keys -t t Enter
screen_has "override rate by Marital"
tm send-keys -t t 6
screen_has "head: entry $((vseq + 1))"
screen_has "verified up to entry $vseq at 2036-03-04T05:06:07Z; 1 entry since"
tm send-keys -t t v
screen_has "new entries intact: 1 after the verified head chain to it, up to entry $((vseq + 1))"
screen_has "verified up to entry $((vseq + 1)) at"
tm send-keys -t t V
screen_has "chain intact: verified every entry ($((vseq + 1)))"
tm send-keys -t t q
# Wait for the process itself to end (the screen clears before the store
# is closed).
i=0
while [ ! -s exited ]; do
	sleep 0.05
	i=$((i + 1))
	[ $i -lt 100 ] || fail "q did not quit"
done
[ "$(cat exited)" = 0 ] || fail "supervise exited $(cat exited)"

# The store: the escalated case is done with the supervisor's label; the
# resolve entry carries the note; the chain verifies.
[ "$(sql s.db "SELECT state || ' ' || final_label FROM cases WHERE ext_id = '$esc'")" = "done bad" ] ||
	fail "case $esc not resolved: $(sql s.db "SELECT state, final_label FROM cases WHERE ext_id = '$esc'")"
[ "$(sql s.db "SELECT reviewer || '|' || action || '|' || label || '|' || note FROM decisions ORDER BY seq DESC LIMIT 1")" = "$me|resolve|bad|checked the payslip" ] ||
	fail "last entry: $(sql s.db "SELECT * FROM decisions ORDER BY seq DESC LIMIT 1")"
run "$DOCKET" verify s.db
expect_rc 0
run "$DOCKET" log s.db --action resolve --format csv
expect_out ",$me,$esc,credit,resolve,good,bad,,checked the payslip,"
