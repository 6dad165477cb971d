# The review screen in tmux: back walks to an older decision and a label key
# amends it (a new entry replacing it, not an undo); the store, verify and
# the case's final label follow.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"
export DOCKET_NOW=2026-01-02T03:04:05Z
make_review_store s.db

tmux_start 100 30 "DOCKET_NOW=$DOCKET_NOW" "$DOCKET" review s.db --reviewer ann
wait_for "case c1"
keys a
wait_for "accept saved: c1 is good"
wait_for "case c2"
keys a
wait_for "accept saved: c2 is bad"
wait_for "case c3"
keys a
wait_for "accept saved: c3 is good"
wait_for "case c4"
# two back: c2, which is not the latest decision
keys '['
wait_for "case c3  your accept  (1 of 3 back)"
keys '['
wait_for "case c2  your accept  (2 of 3 back)"
wait_for "deciding again amends it"
keys 1                  # c2 was predicted bad: label 1 (good) overrides
wait_for "amend saved: c2 override → good (was accept)"
wait_for "case c4"
# back again: the amend is the newest, the replaced accept is gone
keys '['
wait_for "case c2  your override → good  (1 of 3 back)"
keys ']'
wait_for "back to the queue"
keys q
wait_exit
[ "$screen_rc" = 0 ] || fail "review exited $screen_rc"

got=$(sql s.db "SELECT d.seq || ':' || c.ext_id || ':' || d.action || ':' || coalesce(d.label,'') || ':' || coalesce(CAST(d.ref_seq AS TEXT),'')
  FROM decisions d JOIN cases c ON c.id = d.case_id ORDER BY d.seq" | paste -sd' ')
# (entries 1-3: the store's init entry, the import, the reviewer added)
want="4:c1:accept:good: 5:c2:accept:bad: 6:c3:accept:good: 7:c2:override:good:5"
[ "$got" = "$want" ] || fail "decisions:
got:  $got
want: $want"
[ "$(sql s.db "SELECT state || ' ' || final_label || ' ' || final_seq FROM cases WHERE ext_id = 'c2'")" = "done good 7" ] || fail "c2 not amended"
run "$DOCKET" verify s.db
expect_rc 0
