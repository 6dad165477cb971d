# The supervisor's desk at 80x24 in tmux, on a store made with the real
# commands: the tab bar and the Log's reason and note columns fit; the
# filter line edits like a shell prompt and refuses an unknown key; the Log
# says "1 new entry" when a reviewer decides meanwhile and g shows it; the
# Escalations tab filters by reason and age; Enter opens the case as its
# reviewer saw it (probability and attribution bars, the personal field
# masked) then its history; r resolves with a note; the store says so.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"

run "$DOCKET" init s.db
expect_rc 0
printf 'id,prediction,p:good,p:bad,attr:salary,attr:debt,text,pii:name\n' >p.csv
for i in 1 2 3; do
	printf 'a%d,good,0.6%d,0.3%d,0.4,-0.2,My salary is fine but the debt is not.,Person %d\n' \
		$i $i $((10 - i)) $i >>p.csv
done
run "$DOCKET" import s.db p.csv --model credit --threshold 0.9
expect_rc 0
"$DOCKET" reviewer add s.db alice >/dev/null
"$DOCKET" reviewer add s.db bob >/dev/null
id=$("$DOCKET" next s.db --reviewer alice | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
run "$DOCKET" decide s.db "$id" --reviewer alice --action escalate --reason needs-expert \
	--note "income looks odd"
expect_rc 0
esc=$id

tmux_start 80 24 "$DOCKET" supervise s.db
wait_for " 1 Log  2 Escalations  3 Disagreements  4 Reviewers  5 Model  6 Audit"
wait_for "reason; note"
wait_for "escalate good → -      needs-expert; i…"
for row in $(seq 1 24); do
	line=$(screen | sed -n "${row}p")
	[ "$(printf '%s' "$line" | LC_ALL=C.UTF-8 wc -m)" -le 80 ] || fail "row $row is wider than 80"
done

# the filter line: Home and Right move, a typed 'e' goes in place
keys /
wait_for "filter:"
keys -l "reviewr=alice"
keys Home Right Right Right Right Right Right
keys -l e
keys Enter
wait_for "filter: reviewer=alice;"
# an unknown key is refused, naming the known ones; the line stays
keys /
keys C-u
keys -l "who=alice"
keys Enter
wait_for "filter: unknown key 'who='; known: reviewer= action="
keys C-w
keys -l "action=escalate"
keys Enter
wait_for "filter: action=escalate;"
wait_gone "unknown key"
# back to the whole log, then bob decides meanwhile: 1 new entry, g shows it
keys /
keys C-u Enter
wait_for "all decisions, newest first"
id2=$("$DOCKET" next s.db --reviewer bob | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
run "$DOCKET" decide s.db "$id2" --reviewer bob --action accept
expect_rc 0
wait_for "1 new entry: g shows them"
keys g
wait_gone "new entry"
wait_for "bob      $id2"

# Escalations: filter by reason and by age
keys 2
wait_for "1 case escalated"
keys /
keys -l "reason=needs-expert"
keys Enter
wait_for "filter: reason=needs-expert"
wait_for "needs-expert"
keys /
keys C-u
keys -l "age=1d"
keys Enter
wait_for "nothing waiting matches the filter"
keys /
keys C-u Enter
wait_for "$esc"
# Enter: the case as alice saw it, then its history
keys Enter
wait_for "case $esc  model credit  state escalated"
wait_for "model says good  0.61"
wait_for "Attributions (+ toward good)"
wait_for "name  ••••••••  personal"
case "$(screen)" in *"Person 1"*) fail "the personal field shows" ;; esac
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do keys j; done
wait_for "History of case $esc: 1 entry"
wait_for "reason: needs-expert  note: income looks odd"
# r resolves it with a note back to alice
keys r
wait_for "final label: 1 good 2 bad"
keys 2
wait_for "note (Enter saves):"
keys -l "debt checked"
keys Enter
wait_for "resolved as bad"
keys q
wait_exit
[ "$screen_rc" = 0 ] || fail "supervise exited $screen_rc"
[ "$(sql s.db "SELECT c.state || '|' || c.final_label || '|' || d.note FROM cases c JOIN decisions d ON d.seq = c.final_seq WHERE c.ext_id = '$esc'")" = "done|bad|debt checked" ] ||
	fail "the resolve is not in the store"
run "$DOCKET" verify s.db
expect_rc 0
