# A reason list taller than the screen scrolls; a digit picks the reason
# it is shown beside, never one scrolled out of sight. At 50x14 the list
# of nine shows eight: after Down x8, 1 (ambiguous, scrolled away) only
# brings it back; the next 1 picks it. 9 on the unscrolled list shows
# "other" before it can pick it.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"
export DOCKET_NOW=2026-01-02T03:04:05Z
make_review_store s.db

tmux_start 50 14 "DOCKET_NOW=$DOCKET_NOW" "$DOCKET" review s.db --reviewer ann
wait_for "case c1"
keys e
wait_for "escalate: why?"
case "$(screen)" in *"9 other"*) fail "all nine fit: the test needs a scrolled list" ;; esac
keys Down Down Down Down Down Down Down Down
wait_for "9 other"
keys 1
wait_for "1 ambiguous"
sleep 0.2
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE case_id IS NOT NULL")" = 0 ] || fail "1 picked a reason not on screen"
keys 1
wait_for "escalate saved: c1 (ambiguous)"

wait_for "case c2"
keys s
wait_for "skip: why?"
keys 9
wait_for "9 other"
sleep 0.2
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE case_id IS NOT NULL")" = 1 ] || fail "9 picked a reason not on screen"
keys 9
# "other" says nothing by itself: it asks for a note, and an empty one is
# not enough
wait_for 'why "other"?'
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE case_id IS NOT NULL")" = 1 ] || fail "other saved without a note"
keys Enter
wait_for "other needs a note"
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE case_id IS NOT NULL")" = 1 ] || fail "other saved with an empty note"
keys -l "scan is cut off"
keys Enter
wait_for "skip saved: c2 (other)"
[ "$(sql s.db "SELECT d.reason || ':' || d.note FROM decisions d JOIN cases c ON c.id = d.case_id WHERE c.ext_id = 'c2'")" = "other:scan is cut off" ] ||
	fail "c2's reason and note are not other: scan is cut off"

# help at 60x16 says more keys are below, and Down shows them
keys '?'
wait_for "docket review: keys"
$T resize-window -t t -x 60 -y 16
wait_for "more (Down)"
case "$(screen)" in *"give back held cases and quit"*) fail "quit fits: the test needs a cut list" ;; esac
keys End
wait_for "give back held cases and quit"
keys Home
wait_for "accept the model's label"
keys x
wait_gone "docket review: keys"
keys q
wait_exit
got=$(sql s.db "SELECT c.ext_id || ':' || d.action || ':' || d.reason
  FROM decisions d JOIN cases c ON c.id = d.case_id ORDER BY d.seq" | paste -sd' ')
[ "$got" = "c1:escalate:ambiguous c2:skip:other" ] || fail "decisions: $got"
