# Every command that takes --model resolves it the same way (cli_model_id):
# an unknown model is a failure (exit 1), not a usage error, with one
# message naming the store and the model. The commands are found from
# their --help, so a new command with --model is covered or this fails.
. "$DOCKET_TESTS/sh/lib.sh"

printf 'id,prediction,confidence\nr1,yes,0.5\nr2,no,0.6\n' >p.csv
run "$DOCKET" import s.db p.csv --model m1
expect_rc 0

cmds=$("$DOCKET" --help | sed -n 's/^  \([a-z-]*\) .*/\1/p')
[ -n "$cmds" ] || fail "no commands in docket --help"
checked=0
for c in $cmds; do
	"$DOCKET" "$c" --help | grep -q -- '--model' || continue
	case $c in
	import) continue ;; # --model names the model to create
	decide) set -- s.db r1 --action accept ;;
	export) set -- s.db --out out.csv ;;
	report) set -- s.db --out out.html ;;
	init | verify | release | reviewer | demo | supervise) fail "$c: no invocation for --model here" ;;
	*) set -- s.db ;;
	esac
	# A TUI that gets past the check would wait for keys: stdin is empty
	# and timeout ends it, so a missing check fails rather than hangs.
	run timeout 10 "$DOCKET" "$c" "$@" --model nosuch </dev/null
	[ "$rc" -eq 1 ] || fail "$c --model nosuch: expected exit 1, got $rc
stderr: $err"
	expect_err_exact "docket: s.db: no model named 'nosuch' (import its predictions first; 'docket queue STORE' lists the models)"
	# ... and the known model gets past the check.
	[ "$c" = review ] && { checked=$((checked + 1)); continue; }
	run "$DOCKET" "$c" "$@" --model m1
	case "$err" in *"no model named"*) fail "$c --model m1: $err" ;; esac
	checked=$((checked + 1))
done
[ "$checked" -ge 8 ] || fail "only $checked commands take --model; expected 8 (queue, review, policy, next, decide, log, stats, export)"
[ ! -e out.csv ] || [ -s out.csv ] || fail "export left an empty file"
# A version where only a name goes says so.
run "$DOCKET" log s.db --model m1@v1
expect_rc 1
expect_err "no model named 'm1@v1' (the version goes only with import and export;"
