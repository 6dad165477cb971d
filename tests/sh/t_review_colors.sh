# TERM=xterm has 8 colours: muted text (the routing reason, "model says",
# the empty part of the bars) must not be black (SGR 30) on the terminal's
# own background, where a dark screen hides it; it shows dimmed instead.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"
export DOCKET_NOW=2026-01-02T03:04:05Z
make_review_store s.db
[ "$(TERM=xterm tput colors)" = 8 ] || fail "TERM=xterm is not 8 colours here"

tmux_start 100 30 "TERM=xterm DOCKET_NOW=$DOCKET_NOW" "$DOCKET" review s.db --reviewer ann
for term in xterm xterm-256color; do
	if [ $term != xterm ]; then
		# a new screen in the same pane: restarting the server races
		rm -f .screen-rc
		$T respawn-pane -k -t t "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=$term \
			DOCKET_NOW=$DOCKET_NOW $DOCKET review s.db --reviewer ann; \
			echo \$? > $PWD/.screen-rc; sleep 600"
	fi
	wait_for "case c1"
	wait_settled
	out=$(screen -e)
	# text drawn black (SGR 30) on the default background, found by
	# following the SGR state along each line
	black=$(printf '%s\n' "$out" | python3 -c '
import re, sys
for line in sys.stdin:
    fg = bg = None
    for part in re.split(r"(\x1b\[[0-9;]*m)", line.rstrip("\n")):
        if part.startswith("\x1b["):
            codes = [int(c) if c else 0 for c in part[2:-1].split(";")]
            for c in codes:
                if c == 0: fg = bg = None
                elif 30 <= c <= 37 or 90 <= c <= 97: fg = c
                elif c == 39: fg = None
                elif 40 <= c <= 47 or 100 <= c <= 107: bg = c
                elif c == 49: bg = None
                elif c in (38, 48): break  # 256 colours: not black-on-default
        elif fg == 30 and bg is None and part.strip():
            print(repr(part))
')
	[ -z "$black" ] || fail "$term: black text on the default background: $black"
	line=$(printf '%s\n' "$out" | grep 'routed:')
	case "$line" in *routed:*) ;; *) fail "$term: no routing reason:
$out" ;; esac
	keys q
	wait_exit
done
