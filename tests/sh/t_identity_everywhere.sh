# The class of "--as/--reviewer taken on trust": every command that takes
# a name to act as resolves it through cli_act_as (identity_act_as), which
# refuses another person's name on a store the caller does not own. A new
# command with --as or --reviewer and no cli_act_as fails here; the
# behaviour itself is tried with real users in t_shared_setgid.sh.
. "$DOCKET_TESTS/sh/lib.sh"
cd "$DOCKET_ROOT/src/cli"
missing=""
for f in cmd_*.c; do
	grep -q '{"as",\|{"reviewer",' "$f" || continue
	grep -q 'cli_act_as(' "$f" || missing="$missing $f"
done
[ -z "$missing" ] || fail "these take --as/--reviewer without cli_act_as:$missing"
# and every command that --help says takes them is among those files
for cmd in $("$DOCKET" --help | sed -n 's/^  \([a-z-]*\) .*/\1/p'); do
	h=$("$DOCKET" "$cmd" --help 2>/dev/null || true)
	case "$h" in *--as*|*--reviewer*) ;; *) continue ;; esac
	[ -f "cmd_$cmd.c" ] || fail "$cmd: --help names --as/--reviewer but there is no cmd_$cmd.c"
	grep -q 'cli_act_as(' "cmd_$cmd.c" || fail "$cmd takes --as/--reviewer without cli_act_as"
done
echo ok
