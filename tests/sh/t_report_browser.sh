# report --format html in a real browser: Debian's Chromium, headless, the
# network off, loads the report: no console errors, the key numbers in the
# rendered page equal `docket stats --format json` for the same period, a
# screenshot, and a PDF with each of the 7 sections starting on a page of
# its own.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/report_fixture.sh"

if ! command -v chromium >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1; then
	echo "SKIP: chromium or poppler-utils not installed (tools/ensure-deps.sh test)"
	exit 77
fi

report_fixture s.db
period="--since 2026-03-01 --until 2026-03-05"
# shellcheck disable=SC2086
"$DOCKET" stats s.db --model credit $period --format json >stats.json
# shellcheck disable=SC2086
run "$DOCKET" report s.db --model credit $period --out report.html
expect_rc 0
# the second guard on the network: the page refers to nothing outside it
grep -Eiq "https?:|<script|<link|<img|@import|url\(" report.html &&
	fail "report.html refers outside itself"

# Chromium, headless, its own profile, the network pointed at a closed port.
# (the profile in the test's directory: nothing left in TMPDIR)
browser() {
	prof=$(mktemp -d "$PWD/profile.XXXXXX")
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$prof" --proxy-server=127.0.0.1:9 \
		--enable-logging=stderr --v=0 "$@"
}
url="file://$PWD/report.html"
browser --dump-dom "$url" >dom.html 2>dom.log || fail "chromium --dump-dom: $(tail -5 dom.log)"
browser --window-size=1000,1400 --screenshot="$PWD/shot.png" "$url" >/dev/null 2>shot.log ||
	fail "chromium --screenshot: $(tail -5 shot.log)"
browser --print-to-pdf="$PWD/report.pdf" --no-pdf-header-footer "$url" >/dev/null 2>pdf.log ||
	fail "chromium --print-to-pdf: $(tail -5 pdf.log)"
# console messages and uncaught errors are logged as CONSOLE(...) lines
if grep -Eih "uncaught|CONSOLE\(|net::ERR" dom.log shot.log pdf.log; then
	fail "console errors while loading the report"
fi
[ "$(od -An -c -N4 shot.png | tr -d ' ')" = "211PNG" ] || fail "no PNG screenshot"
[ "$(stat -c %s shot.png)" -gt 20000 ] || fail "screenshot too small: blank page?"

# the numbers the browser rendered (the DOM after layout) against stats
python3 - dom.html stats.json <<'PY'
import html, json, re, sys
dom = open(sys.argv[1]).read()
st = json.load(open(sys.argv[2]))
counts = {"decisions", "reviewed", "audit_n", "kappa_n", "unreviewed"}
got = {}
for m in re.finditer(r'data-metric="([a-z_]+)">([^<]*)<', dom):
    got.setdefault(m.group(1), set()).add(html.unescape(m.group(2)))
want_keys = ["decisions", "reviewed", "override_rate", "escalate_rate",
             "unreviewed_error", "unreviewed_error_lower", "unreviewed_error_upper",
             "audit_n", "kappa", "kappa_n", "gold_accuracy", "final_override_rate",
             "unreviewed"]
bad = []
for k in want_keys:
    v = st[k]
    want = "too few" if v is None else ("%d" % v if k in counts else "%.3f" % v)
    if k not in got:
        bad.append("no cell for " + k)
    elif got[k] != {want}:
        bad.append("%s: page %s, stats %s" % (k, sorted(got[k]), want))
if bad:
    sys.exit("\n".join(bad))
PY

# the PDF: a page per section or more, each section starting a page
pages=$(pdfinfo report.pdf | sed -n 's/^Pages: *//p')
[ "$pages" -ge 7 ] || fail "PDF has $pages pages, want one per section (7) or more"
prev=0
for sec in "1. Summary" "2. The model" "3. Review" "4. Model quality" \
	"5. Drift and fairness" "6. Accountability" "7. How the figures"; do
	p=1
	while [ "$p" -le "$pages" ]; do
		pdftotext -f "$p" -l "$p" report.pdf page.txt
		first=$(grep -v '^[[:space:]]*$' page.txt | head -n 3)
		case "$first" in *"$sec"*) break ;; esac
		p=$((p + 1))
	done
	[ "$p" -le "$pages" ] || fail "no page starts with section '$sec'"
	[ "$p" -gt "$prev" ] || fail "section '$sec' does not start a new page"
	prev=$p
done
# the summary as a reader of the PDF sees it: each figure beside its value
pdftotext -layout -f 1 -l 1 report.pdf summary.txt
python3 - summary.txt stats.json <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
st = json.load(open(sys.argv[2]))
rows = {"decisions": "Decisions", "reviewed": "Cases reviewed (final human label)",
        "override_rate": "Override rate", "escalate_rate": "Escalation rate",
        "unreviewed_error": "Error of unreviewed predictions",
        "audit_n": "Audit-sampled cases", "kappa": "Reviewer agreement (Fleiss' kappa)",
        "kappa_n": "cases reviewed twice", "gold_accuracy": "Gold accuracy"}
counts = {"decisions", "reviewed", "audit_n", "kappa_n"}
bad = []
for k, label in rows.items():
    v = st[k]
    want = "too few" if v is None else ("%d" % v if k in counts else "%.3f" % v)
    if not re.search(r"^\s*" + re.escape(label) + r"\s+" + re.escape(want) + r"\s", text, re.M):
        bad.append("%s: PDF lacks '%s  %s'" % (k, label, want))
if bad:
    sys.exit("\n".join(bad) + "\n" + text)
PY
# what the report cannot say is all there, and no word lies off its page
pdftotext report.pdf all.txt
pdftotext -bbox report.pdf bbox.html
python3 - dom.html all.txt bbox.html <<'PY'
import html, re, sys
dom = open(sys.argv[1]).read()
pdf = " ".join(open(sys.argv[2]).read().split())
cells = re.findall(r'<table class="list">.*?</table>', dom, re.S)
limits = [html.unescape(c) for t in cells for c in re.findall(r"<td>([^<]*)</td>", t)]
if len(limits) < 3:
    sys.exit("limits table has %d rows" % len(limits))
for l in limits:
    if " ".join(l.split()) not in pdf:
        sys.exit("not in the PDF: %s" % l)
w = h = 0
for line in open(sys.argv[3]):
    m = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line)
    if m:
        w, h = float(m.group(1)), float(m.group(2))
    m = re.search(r'xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)', line)
    if m and (float(m.group(1)) < 0 or float(m.group(2)) < 0 or
              float(m.group(3)) > w or float(m.group(4)) > h):
        sys.exit("word off its page: %s" % line.strip())
PY
exit 0
