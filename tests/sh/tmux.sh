# tmux.sh: drive the real screens in tmux for the t_review_* tests. Source
# after lib.sh. A private server (socket docket-test-PID, no config file),
# a fixed size, and a trap that kills the server however the test ends.
TMUX_SOCK="docket-test-$$"
T="tmux -L $TMUX_SOCK -f /dev/null"
trap '$T kill-server 2>/dev/null || true' EXIT INT TERM

# tmux_start W H CMD...: run CMD in a detached session of W x H. The pane
# stays after CMD exits so its last screen can be read; CMD's exit status
# goes to ./.screen-rc.
tmux_start() {
	w=$1 h=$2
	shift 2
	rm -f .screen-rc
	# The server (started by the first call, with the test's environment
	# as it is then) stays up with no session (exit-empty off): a test
	# that kills its session and starts another would otherwise race the
	# server's exit ("server exited unexpectedly"). The trap ends it.
	$T start-server \; set-option -g exit-empty off
	$T new-session -d -s t -x "$w" -y "$h" \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 $*; echo \$? > $PWD/.screen-rc; sleep 600"
}

# screen [-e]: the pane's text now (with -e: colour escapes too).
screen() {
	$T capture-pane -p -t t "$@"
}

# keys KEY...: send-keys (tmux key names: Enter, Escape, Left, C-c, ...).
keys() {
	$T send-keys -t t "$@"
}

# wait_for TEXT [SECONDS]: poll the screen until it shows TEXT (fixed
# string); fail with the screen after SECONDS (default 10).
wait_for() {
	limit=$(( ${2:-10} * 20 ))
	i=0
	while [ $i -lt $limit ]; do
		case "$(screen)" in *"$1"*) return 0 ;; esac
		sleep 0.05
		i=$((i + 1))
	done
	fail "screen never showed '$1'; it shows:
$(screen)"
}

# wait_gone TEXT [SECONDS]: poll until TEXT is no longer on screen.
wait_gone() {
	limit=$(( ${2:-10} * 20 ))
	i=0
	while [ $i -lt $limit ]; do
		case "$(screen)" in *"$1"*) ;; *) return 0 ;; esac
		sleep 0.05
		i=$((i + 1))
	done
	fail "screen still shows '$1':
$(screen)"
}

# wait_settled [SECONDS]: until the pane (colours too) stays the same for
# 0.3 s: a screen drawn in steps (a slow store under load) is read whole,
# where a fixed sleep read it half drawn.
wait_settled() {
	limit=$(( ${1:-10} * 5 ))
	i=0
	last=$(screen -e)
	while [ $i -lt $limit ]; do
		sleep 0.3
		now=$(screen -e)
		[ "$now" = "$last" ] && return 0
		last=$now
		i=$((i + 1))
	done
	fail "screen never settled; it shows:
$(screen)"
}

# wait_exit [SECONDS]: until the screen's command exited; sets $screen_rc.
wait_exit() {
	limit=$(( ${1:-10} * 20 ))
	i=0
	while [ $i -lt $limit ]; do
		if [ -s .screen-rc ]; then
			screen_rc=$(cat .screen-rc)
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	fail "the screen did not exit; it shows:
$(screen)"
}

# A small store of five credit-like cases, all routed (confidence < 0.8),
# in a known claim order (least confident first): c1 .. c5.
make_review_store() {
	cat > cases.csv <<'CSV'
id,prediction,confidence,p:good,p:bad,attr:Income,attr:Debt,Income,Debt,pii:name,pii:phone
c1,good,0.51,0.51,0.49,0.40,-0.10,129,0,Ann Example,(200) 555-0100
c2,bad,0.52,0.48,0.52,0.30,0.20,80,500,Bob Example,(200) 555-0101
c3,good,0.53,0.53,0.47,-0.20,0.50,200,10,Cat Example,(200) 555-0102
c4,bad,0.54,0.46,0.54,0.10,0.10,90,300,Dan Example,(200) 555-0103
c5,good,0.55,0.55,0.45,0.25,-0.05,150,0,Eve Example,(200) 555-0104
CSV
	run "$DOCKET" import "$1" cases.csv --model credit@v7
	expect_rc 0
	run "$DOCKET" reviewer add "$1" ann
	expect_rc 0
}
