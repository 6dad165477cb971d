# The real binary under valgrind's memcheck: a scripted review session in
# tmux (every decision key, a note in UTF-8, help, reveal, back and amend,
# resize down to "too small" and back, quit), a supervisor session (every
# tab, a resolve) and each command line path. Each run must report no
# invalid access, no uninitialised use, nothing definitely, indirectly or
# possibly lost; the only memory still reachable at exit is ncurses'
# terminfo cache, which the library keeps for the life of the process
# (and on PostgreSQL what libraries under libpq keep: tests/pg/libpq.supp
# suppresses exactly that; one command connects over TCP to reach it).
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"
# Under `make asan` the binary carries ASan's own allocator, which valgrind
# cannot run; the plain build's run of this test covers it.
if grep -aq __asan_init "$DOCKET"; then
	echo "SKIP: $DOCKET is built with ASan; valgrind runs the plain build"
	exit 0
fi
command -v valgrind >/dev/null ||
	fail "valgrind is needed (tools/ensure-deps.sh test installs it)"
export DOCKET_NOW=2026-01-02T03:04:05Z
VG="valgrind --leak-check=full --show-leak-kinds=all --track-origins=yes \
--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
--suppressions=$DOCKET_TESTS/pg/libpq.supp"
# under LOG: the words that run $DOCKET under valgrind, its log in LOG,
# for eval or a tmux command line (on PostgreSQL the suite's docket wrapper
# maps the store, then runs the real binary under them: DOCKET_PG_UNDER)
under() {
	if on_sqlite; then
		echo "$VG --log-file=$1"
	else
		echo "DOCKET_PG_UNDER='$VG --log-file=$1'"
	fi
}

# vg_check LOG: the log's summaries are clean; any still-reachable block
# was allocated inside ncurses or terminfo.
vg_check() {
	grep -q "ERROR SUMMARY: 0 errors" "$1" || fail "valgrind found errors in $1:
$(grep -v '^==[0-9]*== *$' "$1" | head -n 60)"
	for kind in "definitely lost" "indirectly lost" "possibly lost"; do
		if grep -q "$kind:" "$1" && ! grep -q "$kind: 0 bytes" "$1"; then
			fail "$1: $(grep "$kind:" "$1")"
		fi
	done
	# Each loss record is a block of lines; flag one whose stack has no
	# ncurses/terminfo frame.
	awk '/still reachable in loss record/ { if (rec != "" && !lib) bad = bad rec "\n"; rec = $0; lib = 0; next }
	     rec != "" && /libncursesw|libtinfo/ { lib = 1 }
	     rec != "" && /^==[0-9]*== *$/ { if (!lib) bad = bad rec "\n"; rec = "" }
	     END { if (rec != "" && !lib) bad = bad rec; printf "%s", bad }' "$1" >reach.bad
	[ ! -s reach.bad ] || fail "$1: memory still reachable outside ncurses:
$(cat reach.bad)"
}

# vg CMD...: run docket CMD under valgrind (its own log per run); sets $rc.
n=0
vg() {
	n=$((n + 1))
	rc=0
	eval "$(under "vg-cli-$n.log") \"\$DOCKET\" \"\$@\"" >out.txt 2>err.txt || rc=$?
	[ "$rc" != 99 ] || fail "valgrind errors in: docket $*
$(grep -v '^==[0-9]*== *$' "vg-cli-$n.log" | head -n 60)"
	vg_check "vg-cli-$n.log"
}

# ---- the review screen ------------------------------------------------------
make_review_store s.db
{ head -n 1 cases.csv
  echo 'c6,good,0.56,0.56,0.44,0.20,0.10,120,40,Fay Example,(200) 555-0105'; } >more.csv
run "$DOCKET" import s.db more.csv --model credit@v7
expect_rc 0

tmux_start 100 30 "DOCKET_NOW=$DOCKET_NOW" "$(under vg-review.log)" \
	"$DOCKET" review s.db --reviewer ann
wait_for "case c1" 60
keys '?'
wait_for "docket review: keys" 30
keys x
wait_gone "docket review: keys" 30
keys r                      # reveal the personal fields (an audit entry)
wait_for "Ann Example" 30
keys a
wait_for "accept saved: c1 is good" 30
wait_for "case c2" 30
keys 1                      # c2 was predicted bad: override to good
wait_for "override saved: c2 → good" 30
wait_for "case c3" 30
keys e
wait_for "escalate: why?" 30
keys 2
wait_for "escalate saved: c3" 30
wait_for "case c4" 30
keys s
wait_for "skip: why?" 30
keys Down Enter
wait_for "skip saved: c4" 30
wait_for "case c5" 30
keys u                      # undo the skip: c4 is back
wait_for "undone: c4 is back" 30
wait_for "case c4" 30
keys n
wait_for "note (Enter keeps" 30
keys -l "naïve café 日本"
keys BSpace Enter
wait_for "note: naïve café 日" 30
keys a
wait_for "accept saved: c4 is bad" 30
wait_for "case c5" 30
keys '['                    # back to c4's accept, then amend it to good
wait_for "case c4  your accept" 30
keys 1
wait_for "amend saved: c4 override → good (was accept)" 30
wait_for "case c5" 30
$T resize-window -t t -x 30 -y 8
wait_for "terminal too small" 30
$T resize-window -t t -x 100 -y 30
wait_for "Prediction" 30
keys a
wait_for "accept saved: c5 is good" 30
keys q
wait_exit 60
[ "$screen_rc" = 0 ] || fail "review under valgrind exited $screen_rc:
$(grep -v '^==[0-9]*== *$' vg-review.log | head -n 60)"
vg_check vg-review.log
got=$(sql s.db "SELECT c.ext_id || ':' || d.action || ':' || coalesce(d.label, '')
  FROM decisions d JOIN cases c ON c.id = d.case_id ORDER BY d.seq" | paste -sd' ')
want="c1:reveal: c1:accept:good c2:override:good c3:escalate: c4:skip: c4:undo: c4:accept:bad c4:override:good c5:accept:good"
[ "$got" = "$want" ] || fail "decisions:
got:  $got
want: $want"

# ---- the supervisor's screen -----------------------------------------------
me=$(sql s.db "SELECT name FROM reviewers WHERE role = 'supervisor'")
[ -n "$me" ] || fail "no supervisor in the store"
run "$DOCKET" verify s.db
expect_rc 0
# The same pane runs the next command (killing the session would end the
# tmux server, and a new one could race the old one's exit).
rm -f .screen-rc
$T resize-window -t t -x 120 -y 32
$T respawn-pane -k -t t "env LANG=C.UTF-8 LC_ALL=C.UTF-8 $(under vg-supervise.log) \
$DOCKET supervise s.db; echo \$? > $PWD/.screen-rc; sleep 600"
wait_for "1 Log  2 Escalations" 60
keys Enter
wait_for "History of case" 30
keys Escape
keys 2
wait_for "1 case escalated" 30
keys r
wait_for "final label: 1 good 2 bad" 30
keys 2
wait_for "note (Enter saves):" 30
keys -l "checked"
keys Enter
wait_for "0 cases escalated" 30
keys 3
wait_for "disputed" 30
keys 4
wait_for "ann" 30
keys 5
wait_for "model credit" 30
keys d
wait_for "drift of model credit" 60
keys d
keys f
keys -l "Income"
keys Enter
keys p
keys -l "good"
keys Enter
wait_for "fairness of model credit by Income" 60
keys 6
wait_for "head: entry" 30
keys V
wait_for "chain intact" 30
keys q
wait_exit 60
[ "$screen_rc" = 0 ] || fail "supervise under valgrind exited $screen_rc"
vg_check vg-supervise.log
[ "$(sql s.db "SELECT state || ' ' || final_label FROM cases WHERE ext_id = 'c3'")" = "done bad" ] ||
	fail "c3 not resolved as bad: $(sql s.db "SELECT state, final_label FROM cases WHERE ext_id = 'c3'")"

# ---- command line paths ----------------------------------------------------
vg import s.db "$DOCKET_ROOT/sample-data/reviews.jsonl" --model reviews
[ "$rc" = 0 ] || fail "import exited $rc: $(cat err.txt)"
vg import s.db "$DOCKET_TESTS/broken/$(ls "$DOCKET_TESTS/broken" | grep -v '\.expect$' | head -n 1)" --model credit@v7
[ "$rc" = 1 ] || fail "a broken import exited $rc"
vg next s.db --reviewer ann --model reviews
[ "$rc" = 0 ] || fail "next exited $rc: $(cat err.txt)"
id=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' out.txt)
[ -n "$id" ] || fail "next printed no case: $(cat out.txt)"
case "$(cat out.txt)" in *'"prediction":"great"'*) other=other ;; *) other=great ;; esac
vg decide s.db "$id" --reviewer ann --action override --label $other --model reviews --next
[ "$rc" = 0 ] || fail "decide --next exited $rc: $(cat err.txt)"
vg release s.db --reviewer ann
vg queue s.db
[ "$rc" = 0 ] || fail "queue exited $rc: $(cat err.txt)"
vg policy s.db --model reviews --threshold 0.9
[ "$rc" = 0 ] || fail "policy exited $rc: $(cat err.txt)"
vg log s.db --format jsonl
[ "$rc" = 0 ] || fail "log exited $rc: $(cat err.txt)"
vg stats s.db --by Income --fail-if "override_rate > 0.99 or kappa < 0.6"
[ "$rc" = 0 ] || [ "$rc" = 3 ] || fail "stats exited $rc: $(cat err.txt)"
vg stats s.db --by Income --positive good --format json --fail-if "tpr_ratio_min < 0.8"
[ "$rc" = 0 ] || [ "$rc" = 3 ] || fail "stats --positive exited $rc: $(cat err.txt)"
vg drift s.db --model credit --fail-if "psi_max > 0.2"
[ "$rc" = 0 ] || [ "$rc" = 3 ] || fail "drift exited $rc: $(cat err.txt)"
vg drift s.db --model credit --set-reference --batch 1
[ "$rc" = 0 ] || fail "drift --set-reference exited $rc: $(cat err.txt)"
vg stats s.db --fail-if "override_rate >"
[ "$rc" = 2 ] || fail "a bad --fail-if exited $rc"
# over TCP, as a team's server is reached (libpq then tries GSSAPI first)
if ! on_sqlite; then
	vg queue "postgresql://$PGUSER@127.0.0.1:$PGPORT/$(pg_store_db s.db)"
	[ "$rc" = 0 ] || fail "queue over TCP exited $rc: $(cat err.txt)"
	grep -q "suppressed: [1-9]" "vg-cli-$n.log" ||
		fail "over TCP nothing was suppressed: is libpq.supp still needed?"
fi
# (on PostgreSQL export reads the context with its personal values put
# back, by statements of its own: checked on both engines alike, nothing
# of docket's own still reachable at exit)
vg export s.db --out all.csv --only all
[ "$rc" = 0 ] || fail "export exited $rc: $(cat err.txt)"
vg export s.db --out all.jsonl --format jsonl --only reviewed --drop-pii
[ "$rc" = 0 ] || fail "export jsonl exited $rc: $(cat err.txt)"
vg verify s.db
[ "$rc" = 0 ] || fail "verify exited $rc: $(cat err.txt)"
