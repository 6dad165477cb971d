# The supervisor's screen under LANG=C (no UTF-8) in tmux, on the store of
# tests/sup_fixture.h plus an amendment and a reveal: every bar cell is
# drawn (no blank partial cell), missing values show '-', one entry is "1
# entry", the Audit tab says which fields a reveal showed (no JSON), the
# log marks the amendment, Enter opens an escalated case, and scrolling a
# small screen stops at the content's end.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"
. "$DOCKET_TESTS/sh/sup_fixture.sh"

command -v tmux >/dev/null || fail "tmux is needed"
run "$DOCKET" init s.db
expect_rc 0
sup_fixture s.db
# dave amends his override of c53 (entry 104); he then reveals its fields
sql s.db "INSERT INTO decisions(seq,at,reviewer,case_id,action,model_label,label,note,seconds,ref_seq,prev_hash,hash) VALUES(114,1767312900000,'dave',53,'accept','good','good','second look',3.0,104,'p','h114');
INSERT INTO decisions(seq,at,reviewer,case_id,action,model_label,detail,prev_hash,hash) VALUES(115,1767312960000,'dave',53,'reveal','good','{\"fields\":[\"pii:name\",\"pii:phone\"]}','p','h115');"

tmux_start 120 30 env LANG=C LC_ALL=C "'$DOCKET'" supervise s.db
wait_for "1 Log  2 Escalations"
# the Log: the amendment marked, the undo said, '-' for what is missing
wait_for "     114* 2026-01-02 00:15  dave        c53           accept    good > good        -               amends #104; second"
wait_for "     103  2026-01-02 00:01  carol       c52           undo      good > -           -               undoes #102"
# Reviewers: the 20 cells of each bar are all drawn
keys 4
wait_for "Fleiss' kappa"
for who in alice bob dave; do
	line=$(screen | grep "^$who ")
	bar=$(printf '%s' "$line" | cut -c30-49)
	printf '%s' "$bar" | grep -qx '[#+.]\{20\}' || fail "$who's bar is '$bar':
$(screen)"
done
# Model: 0.1 of 24 cells is 2.4: two full, the rest empty, none blank
keys 5
wait_for "  0.9-1.0          0.100    ##......................  1/10"
# Escalations: Enter opens the case, whose one entry is "1 entry"
keys 2
wait_for "1 case escalated"
keys Enter
wait_for "History of case c51: 1 entry, oldest first"
wait_for "escalate -"
wait_for "reason: unsure  note: ask a supervisor"
wait_for "model says good  0.600 ###"
# the bar in ASCII: #, then at most one +, then ., nothing else
screen | grep -Eq "model says good  0\.600 #+\+?\.+( |$)" ||
	fail "the bar is not ASCII: $(screen | grep 'model says')"
wait_for "Esc back  j/k scroll  r resolve"
case "$(screen)" in *"final label"*) fail "Enter resolved" ;; esac
keys Escape
wait_for "Enter open  r resolve"
# Audit: the reveal in words
keys 6
wait_for "     115 2026-01-02T00:16:00Z dave         c53          name, phone"
case "$(screen)" in *"{"*) fail "raw JSON on the Audit tab:
$(screen)" ;; esac

# A small screen: scrolling stops with the last line at the bottom.
$T resize-window -t t -x 80 -y 14
keys 5
wait_for "model credit (1 of 1)"
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do keys j; done
wait_for "f: override rate by a context field"
[ "$(screen | sed -n 12p)" = "f: override rate by a context field (e.g. Marital, Age or Age:10)" ] ||
	fail "the Model tab's end is not on the bottom row:
$(screen)"
keys k
wait_gone "f: override rate by a context field"
keys q
wait_exit
[ "$screen_rc" = 0 ] || fail "supervise exited $screen_rc"
