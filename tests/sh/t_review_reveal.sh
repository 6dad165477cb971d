# Personal fields are masked until revealed; a reveal is an audit entry
# (who, which case, which fields) in the hash chain, and verify stays clean.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"
export DOCKET_NOW=2026-01-02T03:04:05Z
make_review_store s.db

tmux_start 100 30 "DOCKET_NOW=$DOCKET_NOW" "$DOCKET" review s.db --reviewer ann
wait_for "case c1"
out=$(screen)
expect_out "name    ••••••••  personal: r reveals (logged)"
case "$out" in *"Ann Example"*|*"555-0100"*) fail "personal field shown before reveal" ;; esac
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE case_id IS NOT NULL")" = 0 ] || fail "entries before reveal"

keys r
wait_for "Ann Example"
wait_for "(200) 555-0100"
wait_for "personal fields revealed (logged)"
got=$(sql s.db "SELECT d.reviewer || ' ' || d.action || ' ' || c.ext_id || ' ' || d.detail FROM decisions d JOIN cases c ON c.id = d.case_id")
[ "$got" = 'ann reveal c1 {"fields":["pii:name","pii:phone"]}' ] || fail "reveal entry: $got"

# the next case is masked again
keys a
wait_for "case c2"
case "$(screen)" in *"Bob Example"*) fail "next case not masked" ;; esac
# colour: the masked value has its own role (yellow in the default theme)
screen -e | grep -q "$(printf '\033')\[33m••" || fail "masked value not coloured:
$(screen -e | grep name)"
keys q
wait_exit
run "$DOCKET" verify s.db
expect_rc 0
