# stats: --by on a text field shows its 24 most frequent values and
# "(other)" (as the README says), and --fail-if accepts exactly the
# top-level number keys of --format json, the list its error names.
. "$DOCKET_TESTS/sh/lib.sh"

# 31 cases, City v01 twice and v02 .. v30 once: the top 24 are v01 .. v24
# (ties by name), "(other)" holds v25 .. v30.
{
	echo 'id,prediction,confidence,City'
	echo 'a0,yes,0.5,v01'
	i=1
	while [ $i -le 30 ]; do
		printf 'a%d,yes,0.5,v%02d\n' $i $i
		i=$((i + 1))
	done
} >p.csv
run "$DOCKET" import s.db p.csv --model m1
expect_rc 0
run "$DOCKET" reviewer add s.db ann
expect_rc 0
line=$("$DOCKET" next s.db --reviewer ann | head -n 1)
while :; do
	id=$(echo "$line" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
	[ -n "$id" ] || break
	line=$("$DOCKET" decide s.db "$id" --reviewer ann --action accept --next | sed -n 2p)
done
[ "$(sql s.db "SELECT count(*) FROM cases WHERE state = 'done'")" = 31 ] ||
	fail "want 31 decided cases"

run "$DOCKET" stats s.db --by City --format json
expect_rc 0
groups=$(echo "$out" | python3 -c '
import json, sys
for g in json.load(sys.stdin)["models"][0]["by"]["groups"]:
    print(g["key"], g["n"])')
want=$( echo "v01 2"; i=2; while [ $i -le 24 ]; do printf 'v%02d 1\n' $i; i=$((i + 1)); done; echo "(other) 6")
[ "$groups" = "$want" ] || fail "--by City groups:
$groups
want:
$want"
run "$DOCKET" stats s.db --by City
expect_rc 0
expect_out "v24"
expect_out "(other)"

# --fail-if and the JSON: every top-level number (or null) key is a metric,
# and every metric the error lists is such a key.
run "$DOCKET" stats s.db --format json
expect_rc 0
keys=$(echo "$out" | python3 -c '
import json, sys
for k, v in json.load(sys.stdin).items():
    if v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)):
        print(k)')
[ "$(echo "$keys" | wc -l)" -ge 20 ] || fail "too few JSON keys: $keys"
for k in $keys; do
	run "$DOCKET" stats s.db --fail-if "$k >= 0"
	[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "--fail-if '$k >= 0' exit $rc: $err"
done
run "$DOCKET" stats s.db --fail-if 'frob > 1'
expect_rc 2
listed=$(echo "$err" | sed -n "s/.*number keys of 'docket stats --format json': //p" | tr -d ' ' | tr , '\n')
[ "$listed" = "$keys" ] || fail "--fail-if metrics differ from the JSON keys:
listed: $listed
json:   $keys"
# The non-number keys are not metrics.
for k in reviewers pairs models; do
	run "$DOCKET" stats s.db --fail-if "$k > 0"
	expect_rc 2
done
