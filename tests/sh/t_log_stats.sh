# docket log and docket stats on a store built by hand: filters, formats,
# figures, --fail-if exit codes and messages, role checks.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/sup_fixture.sh"

run "$DOCKET" init s.db
expect_rc 0
sup_fixture s.db
me=$(sql s.db "SELECT name FROM reviewers WHERE role = 'supervisor'")

# --- log ---
run "$DOCKET" log s.db --format jsonl
expect_rc 0
[ "$(printf '%s\n' "$out" | wc -l)" = 113 ] || fail "want 113 entries"
first=$(printf '%s\n' "$out" | head -n 1)
case "$first" in '{"seq":113,"at":"2026-01-02T00:04:22Z","reviewer":"dave","id":"c62","model":"credit","action":"accept","model_label":"good","label":"good","reason":null,"note":null,"seconds":4,"hash":"h113"'*) ;;
*) fail "first entry: $first" ;; esac

run "$DOCKET" log s.db --reviewer alice --action override --format csv
expect_rc 0
[ "$(printf '%s\n' "$out" | wc -l)" = 26 ] || fail "want header + 25: $out"
expect_out "seq,at,reviewer,id,model,action,model_label,label,reason,note,seconds,hash,ref_seq"
expect_out "99,2026-01-02T00:00:50Z,alice,c50,credit,override,good,bad,,,5.0,h99,"

run "$DOCKET" log s.db --case c7
expect_rc 0
expect_out "Looked at Income"
[ "$(printf '%s\n' "$out" | wc -l)" = 3 ] || fail "want header + 2: $out"

run "$DOCKET" log s.db --text income --format csv
expect_rc 0
expect_out "13,2026-01-01T00:00:07Z,alice,c7,credit,accept,good,good,,Looked at Income,1.0,h13,"

run "$DOCKET" log s.db --label bad --since 2026-01-02 --until 2026-01-03 --format jsonl
expect_rc 0
[ "$(printf '%s\n' "$out" | wc -l)" = 46 ] || fail "bad labels on day 2: $(printf '%s\n' "$out" | wc -l)"

run "$DOCKET" log s.db --until 2026-01-02 --limit 5 --format jsonl
expect_rc 0
[ "$(printf '%s\n' "$out" | wc -l)" = 5 ] || fail "limit"
expect_out '"seq":40,'

run "$DOCKET" log s.db --action undo --format jsonl
expect_out '"ref_seq":102'

run "$DOCKET" log s.db --model nope
expect_rc 1
expect_err "no model named 'nope'"
run "$DOCKET" log s.db --since yesterday
expect_rc 2
expect_err "--since 'yesterday': expected YYYY-MM-DD"
run "$DOCKET" log s.db --format xml
expect_rc 2
expect_err "--format 'xml'"

# Only supervisors read the desk.
run "$DOCKET" log s.db --as alice
expect_rc 1
expect_err "'alice' is not a supervisor of s.db"
run "$DOCKET" stats s.db --as alice
expect_rc 1
expect_err "'alice' is not a supervisor"
run "$DOCKET" log s.db --as nobody
expect_rc 1
make_supervisor s.db alice
run "$DOCKET" log s.db --as alice --limit 1
expect_rc 0

# --- stats ---
run "$DOCKET" stats s.db --format json
expect_rc 0
expect_out '"decisions":111,'
expect_out '"override_rate":0.4144144144144144,'
expect_out '"kappa":0.39393939393939'
expect_out '"kappa_n":50,"kappa_min":0.4,'
expect_out '"unreviewed":100,"audit_n":10,"unreviewed_error":0.1,'
expect_out '"unreviewed_error_upper":0.40415002679'
expect_out '{"a":"alice","b":"bob","n":50,"agreement":0.7,"kappa":0.4}'
expect_out '"confusion":[[29,16],[0,0]]'

run "$DOCKET" stats s.db
expect_rc 0
expect_out "Fleiss' kappa         0.394 (n=50)"
expect_out "alice          bob                 50      0.700  0.400"
expect_out "0.7-0.8                  1.000 (15/15)"
expect_out "2026-01-02               0.640 (16/25)"

run "$DOCKET" stats s.db --by Age:20
expect_rc 0
expect_out "override rate by Age (bins [lo, hi))"
expect_out "20-40                    0.938 (15/16)"
run "$DOCKET" stats s.db --by Marital --format json
expect_out '{"key":"married","n":18,"overrides":8,"override_rate":0.4444444444444444}'

# --fail-if: 3 when the condition holds, 0 when not, 2 when malformed.
run "$DOCKET" stats s.db --fail-if 'override_rate > 0.4'
expect_rc 3
expect_err "condition holds: override_rate > 0.4"
run "$DOCKET" stats s.db --fail-if 'override_rate > 0.5 or kappa < 0.3'
expect_rc 0
run "$DOCKET" stats s.db --fail-if '(kappa < 0.5 and decisions >= 100) or unreviewed_error_upper > 0.5'
expect_rc 3
run "$DOCKET" stats s.db --min-n 60 --fail-if 'kappa < 0.6'
expect_rc 0
expect_err "too few cases for kappa"
run "$DOCKET" stats s.db --fail-if 'kappa < 0,6'
expect_rc 2
expect_err "expected 'and', 'or' or the end, found ','"
expect_err "  kappa < 0,6
           ^"
run "$DOCKET" stats s.db --fail-if 'kapa < 0.6'
expect_rc 2
expect_err "unknown metric 'kapa'"
run "$DOCKET" stats s.db --by
expect_rc 2
run "$DOCKET" stats s.db --by Age:0
expect_rc 2
expect_err "bin width"
run "$DOCKET" stats s.db --model nope
expect_rc 1
expect_err "no model named 'nope'"
run "$DOCKET" stats s.db --help
expect_rc 0
expect_out "--fail-if EXPR"

# --- the table lines up by display width (wide CJK, combining marks) ---
run "$DOCKET" init w.db
expect_rc 0
sup_fixture w.db
long=""
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25; do
	long="$long字字"
done
zoe=$(printf 'Zoe\314\210') # e and U+0308 COMBINING DIAERESIS
sql_forge w.db "INSERT INTO decisions(seq,at,reviewer,case_id,action,model_label,label,note,seconds,prev_hash,hash) VALUES
 (114,1767312000000,'山田太郎',1,'accept','good','good','備考です',1.0,'p','h114'),
 (115,1767312001000,'$zoe',1,'accept','good','good','$long',1.0,'p','h115')"
for loc in C C.UTF-8; do
	run env LC_ALL=$loc "$DOCKET" log w.db --limit 3
	expect_rc 0
	# 山田太郎 is 8 columns of a 12-column cell, Zoë (with U+0308) 3: the id
	# column starts 2 + 4 and 2 + 9 spaces after them, as after "dave".
	expect_out "  山田太郎      c1              credit      accept    good -> good"
	expect_out "  $zoe           c1              credit      accept"
	expect_out "  dave          c62             credit      accept"
	expect_out "備考です"
	# 50 columns of note in a 40-column cell: 19 wide characters and "~"
	line=$(printf '%s\n' "$out" | grep "$zoe")
	case "$line" in *"  字字字字字字字字字字字字字字字字字字字~") ;;
	*) fail "note cut by width ($loc): $line" ;; esac
done
# docket stats' table too: 8 columns of name in a 14-column cell, " %9d"
run env LC_ALL=C "$DOCKET" stats w.db
expect_rc 0
expect_out "
山田太郎               1  "
expect_out "
$zoe                    1  "
