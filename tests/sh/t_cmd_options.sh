# Option values the commands check: `policy --reasons LIST` in every
# spelling (an optional argument written as a separate word), a
# --label-threshold for a label the model lacks, and `log --action` against
# the actions the log holds.
. "$DOCKET_TESTS/sh/lib.sh"

printf 'id,prediction,p:yes,p:no\nr1,yes,0.6,0.4\nr2,no,0.3,0.7\nr3,yes,0.55,0.45\n' >p.csv
run "$DOCKET" import s.db p.csv --model m1
expect_rc 0

# --reasons: listing, and setting as the README writes it (a separate word),
# with =, before the STORE and among other options.
run "$DOCKET" policy s.db --reasons
expect_rc 0
expect_out "needs-expert"
run "$DOCKET" policy --reasons s.db
expect_rc 0
expect_out "needs-expert"
run "$DOCKET" policy s.db --reasons a,b
expect_rc 0
[ "$out" = "a
b" ] || fail "policy s.db --reasons a,b printed: $out"
run "$DOCKET" policy s.db --reasons=c,d
expect_rc 0
[ "$out" = "c
d" ] || fail "--reasons=c,d printed: $out"
me=$(sql s.db "SELECT name FROM reviewers WHERE role = 'supervisor'")
run "$DOCKET" policy --reasons e,f s.db --as "$me"
expect_rc 0
[ "$out" = "e
f" ] || fail "--reasons e,f before STORE printed: $out"
run "$DOCKET" policy s.db --reasons g,h --as "$me"
expect_rc 0
[ "$out" = "g
h" ] || fail "--reasons g,h --as printed: $out"
# Three words are still one too many.
run "$DOCKET" policy s.db --reasons a,b extra
expect_rc 2
expect_err "expected one STORE path"

# --label-threshold: a label the model lacks fails (exit 1) and changes
# nothing; one it has is set; a malformed one is a usage error.
before=$(sql s.db "SELECT policy_version FROM models")
run "$DOCKET" policy s.db --model m1 --label-threshold nolabel=0.5
expect_rc 1
expect_err "model 'm1' has no label 'nolabel' (its labels: [\"yes\",\"no\"])"
[ "$(sql s.db "SELECT policy_version FROM models")" = "$before" ] ||
	fail "a refused --label-threshold made a new policy version"
run "$DOCKET" policy s.db --model m1 --label-threshold yes=0.7
expect_rc 0
expect_out "threshold yes    0.7"
run "$DOCKET" policy s.db --model m1 --label-threshold yes=
expect_rc 0
case "$out" in *"threshold yes"*) fail "yes= did not remove it: $out" ;; esac
run "$DOCKET" policy s.db --model m1 --label-threshold nolabel
expect_rc 2

# log --action: every action the log holds is accepted (and finds its
# entries); anything else is a usage error, not an empty listing.
run "$DOCKET" reviewer add s.db ann
expect_rc 0
id=$("$DOCKET" next s.db --reviewer ann | sed 's/^{"id":"\([^"]*\)".*/\1/')
"$DOCKET" decide s.db "$id" --reviewer ann --action accept >/dev/null
"$DOCKET" decide s.db "$id" --reviewer ann --action undo >/dev/null
"$DOCKET" decide s.db "$id" --reviewer ann --action escalate --reason g >/dev/null
"$DOCKET" decide s.db "$id" --action resolve --label no >/dev/null
id=$("$DOCKET" next s.db --reviewer ann | sed 's/^{"id":"\([^"]*\)".*/\1/')
"$DOCKET" decide s.db "$id" --reviewer ann --action override --label no >/dev/null
id=$("$DOCKET" next s.db --reviewer ann | sed 's/^{"id":"\([^"]*\)".*/\1/')
"$DOCKET" decide s.db "$id" --reviewer ann --action skip --reason h >/dev/null
"$DOCKET" export s.db --out out.csv >/dev/null
for a in $(sql s.db "SELECT DISTINCT action FROM decisions ORDER BY 1") \
	accept override escalate skip undo resolve reveal export; do
	run "$DOCKET" log s.db --action "$a" --format csv
	expect_rc 0
	n=$(sql s.db "SELECT count(*) FROM decisions WHERE action = '$a'")
	[ "$(echo "$out" | tail -n +2 | grep -c .)" = "$n" ] ||
		fail "log --action $a: want $n entries, got: $out"
done
[ "$(sql s.db "SELECT count(DISTINCT action) FROM decisions")" -ge 7 ] ||
	fail "the store should hold seven kinds of action"
run "$DOCKET" log s.db --action frob
expect_rc 2
expect_err "--action 'frob': expected one of init, accept, override"

# the actions --action knows (the replay's one list) are each named in
# log --help, the man page and the README's log row
run "$DOCKET" log s.db --action nosuch
expect_rc 2
acts=$(printf '%s\n' "$err" | sed -n "s/.*expected one of //p" | tr -d ',')
[ -n "$acts" ] || fail "no action list in: $err"
help=$("$DOCKET" log --help | tr -d '\n' | tr -s ' ')
man=$(tr -d '\\' <"$DOCKET_ROOT/docs/docket.1" | tr '\n' ' ')
row=$(grep '^| `docket log ' "$DOCKET_ROOT/README.md")
for a in $acts; do
	case "$help" in *"$a"*) ;; *) fail "log --help does not name the action $a" ;; esac
	case "$man" in *"$a"*) ;; *) fail "the man page does not name the action $a" ;; esac
	case "$row" in *"$a"*) ;; *) fail "the README's log row does not name the action $a" ;; esac
done
