# stats --by pii:FIELD shows personal values masked (table and JSON, text
# and numeric bins); --reveal shows them, after a 'reveal' entry naming the
# field and the command is in the audit chain.
. "$DOCKET_TESTS/sh/lib.sh"

python3 - <<'EOF'
with open("p.csv", "w") as f:
    f.write("id,prediction,confidence,pii:name,pii:age,city\n")
    for i in range(30):
        f.write("c%d,%s,0.5,%s,%d,Oslo\n" % (i, "good" if i % 2 else "bad",
                ["Ann Lee", "Bob Roy", "Cy Fox"][i % 3], 20 + i))
EOF
run "$DOCKET" import s.db p.csv --model m
expect_rc 0
for _ in 1 2 3 4 5 6 7 8 9; do
	run "$DOCKET" next s.db
	expect_rc 0
	id=$(echo "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/')
	run "$DOCKET" decide s.db "$id" --action accept
	expect_rc 0
done
reveals() { sql s.db "SELECT count(*) FROM decisions WHERE action = 'reveal'"; }
no_names() {
	for n in "Ann Lee" "Bob Roy" "Cy Fox"; do
		case "$out" in *"$n"*) fail "a personal value was shown: $out" ;; esac
	done
}

# masked: three distinct groups, no names, nothing recorded
run "$DOCKET" stats s.db --by pii:name
expect_rc 0
no_names
expect_out "override rate by pii:name"
[ "$(printf '%s\n' "$out" | grep -c '\(••••••••\|\*\*\*\*\*\*\*\*\) [123] ')" = 3 ] ||
	fail "want three masked groups: $out"
run "$DOCKET" stats s.db --by pii:name:1 --format json
expect_rc 0
no_names
expect_out '"masked":true'
run "$DOCKET" stats s.db --by pii:age:5 --format json
expect_rc 0
expect_out '"masked":true'
expect_out '"lo":null'
case "$out" in *'"key":"20-25"'*) fail "numeric bins of a pii field shown: $out" ;; esac
[ "$(reveals)" = 0 ] || fail "a masked figure recorded a reveal"
# not personal: values shown, no mask
run "$DOCKET" stats s.db --by city --format json
expect_out '"key":"Oslo"'
expect_out '"masked":false'

# --reveal: values shown, the reveal on record first
run "$DOCKET" stats s.db --by pii:name --reveal --as "$(sql s.db "SELECT name FROM reviewers WHERE role = 'supervisor'")"
expect_rc 0
expect_out "Ann Lee"
expect_out "Cy Fox"
[ "$(reveals)" = 1 ] || fail "the reveal was not recorded"
run "$DOCKET" log s.db --action reveal --format jsonl
expect_out '"detail":{"fields":["pii:name"],"command":"stats","model":null}'
run "$DOCKET" verify s.db
expect_rc 0

# --reveal needs a personal --by field; not a supervisor: nothing recorded
run "$DOCKET" stats s.db --reveal
expect_rc 2
expect_err "--reveal goes with --by pii:FIELD"
run "$DOCKET" stats s.db --by pii:name --reveal --as nobody
expect_rc 1
no_names
[ "$(reveals)" = 1 ] || fail "a refused reveal was recorded"
