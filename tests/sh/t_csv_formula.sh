# Formula-like cells (=cmd|..., @SUM(...), =HYPERLINK(...), +, -, TAB, CR)
# get a single quote in `log --format csv` by default (--exact keeps them),
# and in `export` only with --spreadsheet-safe (exact by default, for
# retraining). Plain numbers such as -0.5 are never touched.
. "$DOCKET_TESTS/sh/lib.sh"

# ids, a text and context fields that spreadsheets would run
cat >p.csv <<'EOF'
id,prediction,confidence,text,city,delta
"=cmd|' /C calc'!A0",good,0.5,@SUM(1+1),"=HYPERLINK(""http://x"",""click"")",-0.5
+41,bad,0.4,plain,-x,7
EOF
run "$DOCKET" import s.db p.csv --model credit
expect_rc 0
me=$(sql s.db "SELECT name FROM reviewers WHERE role = 'supervisor'")
for _ in 1 2; do
	run "$DOCKET" next s.db --reviewer "$me"
	expect_rc 0
	id=$(sql s.db "SELECT ext_id FROM cases WHERE state = 'held'")
	case "$id" in =*) note='=HYPERLINK("http://evil","x")' ;; *) note="$(printf '\tTAB') and -0.5" ;; esac
	run "$DOCKET" decide s.db "$id" --reviewer "$me" --action accept --note "$note"
	expect_rc 0
done

# cell FILE ROW COLUMN: one cell of a CSV file (row 1 is the first data row).
cell() {
	python3 - "$@" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
ids = {r["id"].lstrip("'"): r for r in rows}
sys.stdout.write(ids[sys.argv[2]][sys.argv[3]])
EOF
}
expect_cell() {
	got=$(cell "$1" "$2" "$3")
	[ "$got" = "$4" ] || fail "$1: $2's $3: want [$4], got [$got]"
}

# log --format csv: guarded by default
"$DOCKET" log s.db --format csv >log.csv
expect_cell log.csv "=cmd|' /C calc'!A0" id "'=cmd|' /C calc'!A0"
expect_cell log.csv "=cmd|' /C calc'!A0" note "'=HYPERLINK(\"http://evil\",\"x\")"
expect_cell log.csv "+41" id "+41" # a plain number
expect_cell log.csv "+41" note "'$(printf '\t')TAB and -0.5"
expect_cell log.csv "+41" seconds ""
# --exact: as stored
"$DOCKET" log s.db --format csv --exact >exact.csv
expect_cell exact.csv "=cmd|' /C calc'!A0" id "=cmd|' /C calc'!A0"
expect_cell exact.csv "=cmd|' /C calc'!A0" note '=HYPERLINK("http://evil","x")'
run "$DOCKET" log s.db --exact
expect_rc 2
expect_err "--exact goes with --format csv"
# JSON Lines is data for programs: never changed
"$DOCKET" log s.db --format jsonl >log.jsonl
grep -qF '"note":"=HYPERLINK(\"http://evil\",\"x\")"' log.jsonl || fail "jsonl changed"

# export: exact by default
run "$DOCKET" export s.db --out plain.csv
expect_rc 0
expect_cell plain.csv "=cmd|' /C calc'!A0" id "=cmd|' /C calc'!A0"
expect_cell plain.csv "=cmd|' /C calc'!A0" text "@SUM(1+1)"
expect_cell plain.csv "=cmd|' /C calc'!A0" city '=HYPERLINK("http://x","click")'
# --spreadsheet-safe: text cells guarded, numbers (-0.5, +41) kept
run "$DOCKET" export s.db --out safe.csv --spreadsheet-safe
expect_rc 0
expect_cell safe.csv "=cmd|' /C calc'!A0" id "'=cmd|' /C calc'!A0"
expect_cell safe.csv "=cmd|' /C calc'!A0" text "'@SUM(1+1)"
expect_cell safe.csv "=cmd|' /C calc'!A0" city "'=HYPERLINK(\"http://x\",\"click\")"
expect_cell safe.csv "=cmd|' /C calc'!A0" delta "-0.5"
expect_cell safe.csv "+41" id "+41"
expect_cell safe.csv "+41" city "'-x"
expect_cell safe.csv "+41" confidence "0.4"
# no cell of the safe file starts a formula
python3 - <<'EOF' || fail "a formula-like cell in safe.csv"
import csv, re
num = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
for row in csv.reader(open("safe.csv", newline="", encoding="utf-8")):
    for c in row:
        assert not (c[:1] in ("=", "+", "-", "@", "\t", "\r") and not num.match(c)), c
EOF
run "$DOCKET" log s.db --action export --format jsonl
expect_out '"spreadsheet_safe":true'
run "$DOCKET" export s.db --out safe.jsonl --spreadsheet-safe
expect_rc 2
expect_err "--spreadsheet-safe goes with --format csv"
