# The review screen in tmux: accept, override, escalate, skip and undo,
# each checked in the store afterwards; quitting gives back held cases.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"
export DOCKET_NOW=2026-01-02T03:04:05Z
make_review_store s.db

tmux_start 100 30 "DOCKET_NOW=$DOCKET_NOW" "$DOCKET" review s.db --reviewer ann
wait_for "case c1"
out=$(screen)
expect_out "credit@v7"
expect_out "reviewer ann"
expect_out "5 left"
expect_out "model says good  0.510"
expect_out "a accept"

keys a
wait_for "accept saved: c1 is good"
wait_for "case c2"
keys 1                  # c2 was predicted bad: label 1 (good) overrides
wait_for "override saved: c2 → good"
wait_for "case c3"
keys e
wait_for "escalate: why?"
keys 2
wait_for "escalate saved: c3 (missing-context)"
wait_for "case c4"
keys s
wait_for "skip: why?"
keys Down Enter
wait_for "skip saved: c4 (missing-context)"
wait_for "case c5"
keys u                  # undo the skip: c4 is back on screen
wait_for "undone: c4 is back"
wait_for "case c4"
keys n
wait_for "note (Enter keeps"
keys -l "naïve café"
keys Enter
wait_for "note: naïve café"
keys a
wait_for "accept saved: c4 is bad"
wait_for "case c5"
wait_for "4 done today"
keys q
wait_exit
[ "$screen_rc" = 0 ] || fail "review exited $screen_rc"

got=$(sql s.db "SELECT c.ext_id || ':' || d.action || ':' || coalesce(d.label,'') || ':' || coalesce(d.reason,'') || ':' || coalesce(d.note,'')
  FROM decisions d JOIN cases c ON c.id = d.case_id ORDER BY d.seq" | paste -sd' ')
want="c1:accept:good:: c2:override:good:: c3:escalate::missing-context: c4:skip::missing-context: c4:undo::: c4:accept:bad::naïve café"
[ "$got" = "$want" ] || fail "decisions:
got:  $got
want: $want"
[ "$(sql s.db "SELECT state FROM cases WHERE ext_id = 'c3'")" = escalated ] || fail "c3 not escalated"
[ "$(sql s.db "SELECT final_label FROM cases WHERE ext_id = 'c2'")" = good ] || fail "c2 label"
# quitting gave back c5 (on screen); nothing is held
[ "$(sql s.db "SELECT count(*) FROM leases")" = 0 ] || fail "leases left after quit"
[ "$(sql s.db "SELECT state FROM cases WHERE ext_id = 'c5'")" = queued ] || fail "c5 not back in the queue"
run "$DOCKET" verify s.db
expect_rc 0
