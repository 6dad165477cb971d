# Names, ids, reason codes, notes and arguments holding terminal commands
# (an OSC title sequence, a C1 CSI, a bidi override) never reach a terminal
# raw from any command: every one prints them as visible escapes. Files
# (log CSV and JSON Lines to a file, export) keep the exact bytes.
. "$DOCKET_TESTS/sh/lib.sh"

# ESC ] 0 ; PWNED BEL (retitles xterm), C1 CSI U+009B, RLO U+202E.
E=$(printf 'ev\033]0;PWNED\007il\302\23331m\342\200\256x')
BAD=$(printf 'nope\033]0;ERR\007\377')
R="r$E"
export E BAD R DOCKET

# inert FILE: no byte of FILE is one a terminal acts on: no C0 but LF, TAB
# and the CR of the pty's CRLF, no DEL, no C1, no bidi control, nothing that
# is not UTF-8.
inert() {
	python3 - "$1" <<'EOF' || fail "raw control characters reached the terminal: $(od -c "$1" | head -20)"
import sys, re
b = open(sys.argv[1], "rb").read().replace(b"\r\n", b"\n")
s = b.decode("utf-8")  # raises on invalid UTF-8
bad = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
m = bad.search(s)
if m:
    sys.exit("bad character U+%04X at %d" % (ord(m.group()), m.start()))
EOF
}

# tty CMD: run the shell command CMD with stdout and stderr on a terminal
# (script(1) gives it a pty); the terminal's bytes in tty.out, status in $rc.
tty() {
	set +e
	script -qec "$1" /dev/null >tty.out 2>&1
	rc=$?
	set -e
	out=$(cat tty.out)
	err=$out
}

# seen TEXT: the terminal showed TEXT (so a command that printed nothing
# cannot pass).
seen() {
	grep -qF -- "$1" tty.out || fail "the terminal did not show '$1': $(cat tty.out)"
}
VIS='ev\u001b]0;PWNED\u0007il\u009b31m\u202ex'

printf 'id,prediction,confidence,text,pii:name,city\n' >p.csv
printf 'c%s,good,0.5,hello %s,Ann %s,x%s\n' "$E" "$E" "$E" "$E" >>p.csv
printf 'c2,bad,0.4,plain,Bob,y\n' >>p.csv
printf 'c3,bad,0.3,plain,Cy,y\n' >>p.csv

tty '"$DOCKET" import s.db p.csv --model "m$E"'
[ "$rc" = 0 ] || fail "import: $out"
inert tty.out
seen "into m$VIS"
tty '"$DOCKET" reviewer add s.db "$R"'
[ "$rc" = 0 ] || fail "reviewer add: $out"
inert tty.out
seen "added r$VIS as reviewer"
run "$DOCKET" policy s.db --reasons="x$E,y"
expect_rc 0

# next on a terminal: the JSON's C1 and bidi characters shown as JSON escapes
tty '"$DOCKET" next s.db --reviewer "$R"'
[ "$rc" = 0 ] || fail "next: $out"
inert tty.out
seen '"reviewer":"r'"$VIS"'"'
id1=$(sql s.db "SELECT ext_id FROM cases WHERE state = 'held'")
export id1
tty '"$DOCKET" decide s.db "$id1" --reviewer "$R" --action escalate --reason "x$E" --note "n$E" --next'
[ "$rc" = 0 ] || fail "decide: $out"
inert tty.out
id2=$(sql s.db "SELECT ext_id FROM cases WHERE state = 'held'")
export id2
run "$DOCKET" decide s.db "$id2" --reviewer "$R" --action accept --note "n$E"
expect_rc 0

# Errors echo the bad id, reason code and name visibly.
tty '"$DOCKET" decide s.db "$BAD" --reviewer "$R" --action accept'
[ "$rc" = 1 ] || fail "decide on a bad id: $out"
inert tty.out
seen 'nope\u001b]0;ERR\u0007\xff'
tty '"$DOCKET" decide s.db "$id2" --reviewer "$R" --action skip --reason "$BAD"'
[ "$rc" != 0 ] || fail "a bad reason code was taken"
inert tty.out
tty '"$DOCKET" next s.db --reviewer "$BAD"'
inert tty.out
tty '"$DOCKET" queue s.db --model "$BAD"'
[ "$rc" = 1 ] || fail "queue --model bad: $out"
inert tty.out
seen 'nope\u001b]0;ERR\u0007\xff'
tty '"$DOCKET" "$BAD" s.db'
[ "$rc" = 2 ] || fail "unknown command: $out"
inert tty.out
seen "unknown command 'nope"
tty '"$DOCKET" log s.db --as "$BAD"'
inert tty.out
tty '"$DOCKET" stats s.db --format "$BAD"'
[ "$rc" = 2 ] || fail "stats --format bad: $out"
inert tty.out

# Tables and summaries (with a live lease of R's).
run "$DOCKET" next s.db --reviewer "$R"
expect_rc 0
tty '"$DOCKET" queue s.db'
[ "$rc" = 0 ] || fail "queue: $out"
inert tty.out
seen "m$VIS"
seen "r$VIS 1"
tty '"$DOCKET" queue s.db --json'
inert tty.out
tty '"$DOCKET" reviewer list s.db'
[ "$rc" = 0 ] || fail "reviewer list: $out"
inert tty.out
seen "r$VIS"
tty '"$DOCKET" policy s.db --model "m$E"'
[ "$rc" = 0 ] || fail "policy: $out"
inert tty.out
seen "model m$VIS"
tty '"$DOCKET" policy s.db --reasons'
inert tty.out
seen "x$VIS"
for f in table csv jsonl; do
	tty "\"\$DOCKET\" log s.db --format $f"
	[ "$rc" = 0 ] || fail "log --format $f: $out"
	inert tty.out
	seen 'nev\u001b]0;PWNED'
done
tty '"$DOCKET" stats s.db --by city'
[ "$rc" = 0 ] || fail "stats: $out"
inert tty.out
seen "model m$VIS"
seen 'rev\u001b]0;P~'
tty '"$DOCKET" stats s.db --by "c$E"'
inert tty.out
tty '"$DOCKET" stats s.db --format json --by city'
[ "$rc" = 0 ] || fail "stats json: $out"
inert tty.out
tty '"$DOCKET" export s.db --only all --out "o$E.csv"'
[ "$rc" = 0 ] || fail "export: $out"
inert tty.out
seen "to o$VIS.csv"
tty '"$DOCKET" verify s.db'
inert tty.out

# The review screen draws through the screen model: curses sends its own
# escapes, but none from the data (no OSC title, no C1, no RLO), and the
# names and text show visibly.
run "$DOCKET" release s.db --reviewer "$R"
(sleep 2; printf q) | timeout 20 script -qec 'TERM=xterm "$DOCKET" review s.db --reviewer "$R"' /dev/null >screen.out 2>&1 ||
	fail "the review screen did not quit: $(cat screen.out)"
python3 - <<'EOF' || fail "data reached the terminal raw from the review screen"
b = open("screen.out", "rb").read()
assert b"u001b]0;PWNED" in b, b
for raw in (b"\x1b]0;PWNED", b"\xc2\x9b", "\u202e".encode()):
    assert raw not in b, raw
EOF

# Files keep the data exactly.
"$DOCKET" log s.db --format csv >log.csv
grep -qF "n$E" log.csv || fail "log CSV to a file lost the note's bytes"
"$DOCKET" log s.db --format jsonl >log.jsonl
python3 - "$E" <<'EOF' || fail "log JSON Lines to a file changed the note"
import sys, json
want = "n" + sys.argv[1]
notes = [json.loads(l)["note"] for l in open("log.jsonl", encoding="utf-8")]
assert want in notes, notes
EOF
grep -qF "c$E" "o$E.csv" || fail "the export lost the id's bytes"
grep -qF "Ann $E" "o$E.csv" || fail "the export lost the pii field's bytes"
"$DOCKET" queue s.db --json >queue.json
python3 - "$E" <<'EOF' || fail "queue --json to a file changed the model's name"
import sys, json
assert json.load(open("queue.json", encoding="utf-8"))["models"][0]["model"] == "m" + sys.argv[1]
EOF

# The class: no command prints past the helpers (cli_printf, cli_eprintf,
# cli_write_data), which make text visible on its way to a terminal.
cd "$DOCKET_ROOT/src/cli"
raw=$(grep -nE '(^|[^_a-z])(printf|fprintf|vfprintf|fputs|puts|fwrite|putchar|perror)\(' *.c |
	grep -v '^cli\.c:' | grep -vE '^main\.c:.*(fprintf\(out|printf\("docket %s\\n", DOCKET_VERSION)' || true)
[ -z "$raw" ] || fail "printing around cli_printf/cli_eprintf/cli_write_data:
$raw"
