# report: usage, roles, the Markdown report's numbers against `docket stats
# --format json` for the same period, the audit entry (file, period,
# SHA-256, bytes), a period with no decisions, a model with one batch, no
# personal (pii:) value in either format, --out only to regular files.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/report_fixture.sh"

run "$DOCKET" report --help
expect_rc 0
expect_out "Usage: docket report STORE --model M --out FILE"
run "$DOCKET" report s.db --out r.md
expect_rc 2
expect_err "--model M is required"
run "$DOCKET" report s.db --model credit
expect_rc 2
expect_err "--out FILE is required"
run "$DOCKET" report s.db --model credit --out r.md --format pdf
expect_rc 2
expect_err "--format 'pdf': expected html or md"
run "$DOCKET" report s.db --model credit --out r.md --since 2026-03-05 --until 2026-03-01
expect_rc 2
expect_err "--until must be later than --since"

report_fixture s.db

run "$DOCKET" report s.db --model nope --out r.md
expect_rc 1
expect_err "no model named 'nope'"
[ ! -e r.md ] || fail "r.md written for an unknown model"
run "$DOCKET" report s.db --model credit --out r.md --as ann
expect_rc 1
expect_err "'ann' is not a supervisor"
[ ! -e r.md ] || fail "r.md written for a reviewer"

# --- the numbers: every key figure equals stats for the same period ---
period="--since 2026-03-01 --until 2026-03-05"
# shellcheck disable=SC2086
"$DOCKET" stats s.db --model credit $period --format json >stats.json
# shellcheck disable=SC2086
run "$DOCKET" report s.db --model credit $period --out r.md --format md
expect_rc 0
expect_out "wrote the report of credit to r.md"
python3 - r.md stats.json <<'PY'
import json, re, sys
md = open(sys.argv[1]).read()
st = json.load(open(sys.argv[2]))
rows = {
    "decisions": "Decisions", "reviewed": "Cases reviewed (final human label)",
    "override_rate": "Override rate", "escalate_rate": "Escalation rate",
    "unreviewed_error": "Error of unreviewed predictions",
    "audit_n": "Audit-sampled cases", "kappa": "Reviewer agreement (Fleiss' kappa)",
    "kappa_n": "  cases reviewed twice", "gold_accuracy": "Gold accuracy",
    "final_override_rate": "Final override rate (reviewed cases)",
    "unreviewed": "Cases left to the model (not reviewed)",
    "unreviewed_error_lower": "  lower end of its 95% interval",
    "unreviewed_error_upper": "  upper end of its 95% interval",
}
counts = {"decisions", "reviewed", "audit_n", "kappa_n", "unreviewed"}
bad = []
for key, label in rows.items():
    v = st[key]
    want = "too few" if v is None else ("%d" % v if key in counts else "%.3f" % v)
    m = re.search(r"^\| " + re.escape(label) + r" \| ([^|]*) \|", md, re.M)
    if not m:
        bad.append("no row %r" % label)
    elif m.group(1) != want:
        bad.append("%s: report %r, stats %r" % (key, m.group(1), want))
# the figures must be real ones on this store, not all 'too few'
for key in ("override_rate", "kappa", "unreviewed_error"):
    if st[key] is None:
        bad.append("fixture gives no %s" % key)
if bad:
    sys.exit("\n".join(bad))
PY
grep -q '^| 2026-03-02 | 24 | ' r.md || fail "day 2026-03-02: $(grep '^| 2026-03-0' r.md)"
grep -q '^| override | ambiguous | ' r.md || fail "reasons table"
grep -q '^| escalate | missing-context | ' r.md || fail "escalation reasons"
grep -q "^| ann | bob | " r.md || fail "kappa pair"
grep -q "^| 2 | .* | audit\\\\_rate 0 -&gt; 0.3; double\\\\_rate 0 -&gt; 0.5 |" r.md ||
	fail "policy change: $(grep '^| 2 |' r.md)"
# the model with one batch: its lineage
sha=$(sha256sum credit-part.csv | cut -d' ' -f1)
grep -q "^1 batch loaded in the period." r.md || fail "one batch"
grep -q "^| 1 | v3 | credit-part.csv | $sha | 300 | " r.md || fail "batch lineage"
# escalations resolved by the owner, with the wait
me=$(id -un)
grep -q "| escalation | missing-context | 2026-03-0.T..:..:..Z | 2026-03-04T16:00:00Z | $me | good | " r.md ||
	fail "a resolved escalation"
# newest first, open disputes among the rest (they were listed last once)
python3 - r.md <<'PY'
import sys
md = open(sys.argv[1]).read().split("**Escalations and disputes, newest first**")[1]
rows = [l.split(" | ") for l in md.split("\n\n")[1].splitlines()[2:]]
raised = [r[3] for r in rows]
kinds = {r[1] for r in rows}
if raised != sorted(raised, reverse=True):
    sys.exit("escalations not newest first: %s" % raised)
if kinds != {"dispute", "escalation"} or not any(r[5] == "(open)" for r in rows):
    sys.exit("the fixture should have open and resolved escalations and disputes")
PY
# accountability: the export and the reveal of the period
grep -q "| $me | export | [0-9]* | format csv" r.md || fail "export listed"
grep -q "| $me | reveal | - | .*fields \\\\\[\"pii:name\"\\\\\]" r.md || fail "reveal listed: $(grep reveal r.md)"
grep -q "passed: [0-9]* entries intact" r.md || fail "verify result"
head=$(sql s.db "SELECT seq || ' ' || hash FROM decisions WHERE at < $(date -ud 2026-03-05 +%s)000 ORDER BY seq DESC LIMIT 1")
grep -q "^| Head at the period's end (entry) | ${head%% *} |" r.md || fail "head seq"
grep -q "^| Head hash (SHA-256) | ${head#* } |" r.md || fail "head hash"
# drift and the error over everything scored are docket drift's and stats'
if [ "$(sql s.db "SELECT count(*) FROM batches")" -gt 1 ]; then
	psi=$("$DOCKET" drift s.db --model credit --format json | python3 -c 'import json,sys; print("%.3f" % json.load(sys.stdin)["psi_max"])')
	grep -q "^| Largest input drift | $psi " r.md || fail "drift $psi: $(grep 'input drift' r.md)"
else
	grep -q "Input drift (PSI per batch) is not known: the model has one batch" r.md || fail "drift note"
fi

# --- the audit entry: file, period, format, SHA-256 and size of the file ---
run "$DOCKET" log s.db --action report --format jsonl
expect_rc 0
sha=$(sha256sum r.md | cut -d' ' -f1)
bytes=$(stat -c %s r.md)
expect_out "\"action\":\"report\""
detail=$(sql s.db "SELECT detail FROM decisions WHERE action = 'report' ORDER BY seq DESC LIMIT 1")
[ "$detail" = "{\"file\":\"$PWD/r.md\",\"model\":\"credit\",\"since\":\"2026-03-01T00:00:00Z\",\"until\":\"2026-03-05T00:00:00Z\",\"format\":\"md\",\"sha256\":\"$sha\",\"bytes\":$bytes}" ] ||
	fail "audit detail: $detail"
run "$DOCKET" verify s.db
expect_rc 0
[ "$(stat -c %a r.md)" = 600 ] || fail "report mode $(stat -c %a r.md)"

# --- no personal value in either format (the sample's pii: fields) ---
run "$DOCKET" report s.db --model credit --out r.html
expect_rc 0
for f in r.md r.html; do
	grep -q "Test Applicant" "$f" && fail "$f holds a pii:name value"
	grep -q "555-01" "$f" && fail "$f holds a pii:phone value"
done
grep -q "Test Applicant" credit-part.csv || fail "the fixture lost its pii values"
# self-contained: no URL, script, link or external reference
grep -Eiq "https?:|<script|<link|<img|@import|url\(" r.html && fail "r.html refers outside itself"
grep -q "<svg class=\"chart\"" r.html || fail "no chart in r.html"
grep -q '<td class="n" data-metric="override_rate">0.222</td>' r.html ||
	fail "override rate cell: $(grep -o 'data-metric="override_rate">[^<]*' r.html)"

# --- a period with no decisions ---
run "$DOCKET" report s.db --model credit --since 2027-01-01 --until 2027-02-01 --out empty.md --format md
expect_rc 0
grep -q "^| Decisions | 0 |" empty.md || fail "empty period decisions"
grep -q "^| Override rate | too few |" empty.md || fail "empty period override"
grep -q "^No decisions in the period." empty.md || fail "empty period note"
grep -q "^| No decisions in the period: review figures are empty. |" empty.md || fail "limit listed"
grep -q "^0 batches loaded in the period, and the last one loaded before it." empty.md ||
	fail "batches before"
grep -q "^| 1 | v3 | credit-part.csv | .* | no |" empty.md || fail "the batch before the period"

# --- a store with many exports: all counted, the newest 50 listed ---
i=0
while [ $i -lt 51 ]; do
	"$DOCKET" export s.db --out "many.csv" --model credit >/dev/null
	i=$((i + 1))
done
run "$DOCKET" report s.db --model credit --out many.md --format md
expect_rc 0
n=$(sql s.db "SELECT count(*) FROM decisions WHERE action = 'export'")
[ "$n" -ge 52 ] || fail "exports made: $n"
grep -q "^$n exports, 1 reveal of personal fields and [0-9]* reports in the period." many.md ||
	fail "export count $n: $(grep 'exports,' many.md)"
python3 - many.md <<'PY'
import sys
md = open(sys.argv[1]).read().split("**Exports, reveals and reports in the period, newest first**")[1]
rows = md.split("\n\n")[1].splitlines()[2:]
seqs = [int(r.split(" | ")[0].strip("| ")) for r in rows]
if len(rows) != 50 or seqs != sorted(seqs, reverse=True):
    sys.exit("want the 50 newest, newest first: %s" % seqs)
PY
grep -q "^The 50 newest are listed" many.md || fail "listing note"
[ "$(stat -c %s many.md)" -lt 40000 ] || fail "many.md is $(stat -c %s many.md) bytes"

# --- batches before the period: only the newest, the one in force ---
sed -n '1p;400,404p' "$DOCKET_ROOT/sample-data/credit.csv" >more.csv
run "$DOCKET" import s.db more.csv --model credit@v4
expect_rc 0
run "$DOCKET" report s.db --model credit --since 2027-01-01 --out later.md --format md
expect_rc 0
grep -q "^0 batches loaded in the period, and the last one loaded before it." later.md ||
	fail "batches before"
grep -q "^| 2 | v4 | more.csv | " later.md || fail "batch 2 listed: $(grep '^| [0-9] | v' later.md)"
grep -q "^| 1 | v3 | " later.md && fail "batch 1 listed, though batch 2 came after it"

# --- drift that could not be computed is said so, not called "one batch" ---
sql_forge s.db "ALTER TABLE drift_bins RENAME TO drift_bins_gone"
run "$DOCKET" report s.db --model credit --out nodrift.md --format md
expect_rc 0
grep -q "Input drift (PSI per batch) is not known: computing it failed (.*drift.*bins" nodrift.md ||
	fail "failed drift: $(grep -i 'input drift' nodrift.md)"
grep -q "Input drift is not known: computing it failed" nodrift.md || fail "drift section"
grep -q "one batch" nodrift.md && fail "a failed drift called one batch"
sql_forge s.db "ALTER TABLE drift_bins_gone RENAME TO drift_bins"

# --- --out: a regular file only, never the store ---
run "$DOCKET" report s.db --model credit --out /dev/null
expect_rc 2
expect_err "character device"
if on_sqlite; then # (on PostgreSQL no file is the store)
	run "$DOCKET" report s.db --model credit --out s.db
	expect_rc 2
	expect_err "that is the store"
fi
ln -s r.md link.md
run "$DOCKET" report s.db --model credit --out link.md --format md
expect_rc 2
expect_err "symbolic link"
[ -z "$(find . -name '.*.tmp-*')" ] || fail "temporary file left"

# --- a rewritten entry: the report says the chain is broken, and act ---
if on_sqlite; then
	sqlite3 s.db "DROP TRIGGER decisions_no_update; UPDATE decisions SET note = 'rewritten' WHERE seq = 5"
else
	sql_forge s.db "UPDATE decisions SET note = 'rewritten' WHERE seq = 5"
fi
run "$DOCKET" report s.db --model credit --out broken.md --format md
expect_rc 0
grep -q "^| Audit chain | BROKEN | act | " broken.md || fail "summary: $(grep 'Audit chain' broken.md)"
grep -q "^| docket verify (whole chain, at the report's time) | FAILED: .*entry 5" broken.md ||
	fail "verify row: $(grep 'docket verify' broken.md)"
exit 0

# fairness: the report's largest disparity is the stats ratio farthest
# from 1 (over everything scored), with its verdict; a personal field is
# refused
run "$DOCKET" report s.db --model credit --out f.md --format md --by Home --positive good
expect_rc 0
"$DOCKET" stats s.db --model credit --by Home --positive good --format json >fair.json
python3 - fair.json f.md <<'PY'
import json, math, re, sys
st = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
ratios = [st[k] for k in ("tpr_ratio_min", "fpr_ratio_max", "ppr_ratio_min",
          "error_ratio_max", "precision_ratio_min") if st.get(k)]
m = re.search(r"^\| Largest subgroup disparity \| ([0-9.]+) \((\w+), ", text, re.M)
if not ratios:
    sys.exit(0 if re.search(r"^\| Largest subgroup disparity \| not known", text, re.M)
             else "no ratios, but the report shows one")
want = max(ratios, key=lambda x: abs(math.log(x)))
if not m or abs(float(m.group(1)) - want) > 0.005:
    sys.exit("largest disparity %s, stats says %.2f" % (m and m.group(1), want))
PY
grep -q "^\*\*Rates by group\*\*" f.md || fail "no fairness table"
run "$DOCKET" report s.db --model credit --out p.md --by pii:name --positive good
expect_rc 2
expect_err "never go into a report"
[ ! -e p.md ] || fail "a report by a personal field was written"

