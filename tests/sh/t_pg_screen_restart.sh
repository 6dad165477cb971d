# The review screen when its PostgreSQL server restarts mid-session: a
# decision acknowledged on the screen ("saved") before the restart is in
# the store after it; the key pressed while the server is gone is not
# saved, and the screen says so; the screen then carries on or exits
# cleanly, saying what was saved; nothing is lost.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"
pgdir="$TMPDIR/pg"
trap '$T kill-server 2>/dev/null || true; "$DOCKET_TESTS/pg/cluster.sh" stop "$pgdir" >/dev/null 2>&1' EXIT INT TERM
pg_start "$pgdir"
export PGUSER=postgres
psql -qX -d postgres -c "CREATE DATABASE d" -c "CREATE ROLE ann LOGIN"
U="postgresql:///d?host=$PGHOST&port=$PGPORT"
make_review_store "$U&user=postgres"
q() {
	PGOPTIONS='-c search_path=docket,pg_catalog' psql -qAtX -d d -c "$1"
}

# (wide: the status line names the store by its long URI)
tmux_start 200 30 "'$DOCKET'" review "'$U&user=ann'"
wait_for "case c1" 20
keys a
wait_for "accept saved: c1"
wait_for "case c2"

# A restart between two decisions: the screen's next decision opens a new
# session and is saved, as if nothing had happened. (A claim commits
# without waiting for the disk, as on SQLite: a crash may lose a lease,
# never a decision. The WAL writer has it on disk within 200 ms: the
# leases of c2 and c3, claimed ahead, survive the kill.)
sleep 1
"$DOCKET_TESTS/pg/cluster.sh" kill "$pgdir"
"$DOCKET_TESTS/pg/cluster.sh" restart "$pgdir"
keys a
wait_for "accept saved: c2" 20
wait_for "case c3"

# The server down when a key is pressed: not saved, and the screen says
# so (and stays); once it is back, the same key saves.
"$DOCKET_TESTS/pg/cluster.sh" kill "$pgdir"
keys a
wait_for "not saved" 20
expect_lost=$(screen)
case "$expect_lost" in *"lost the connection to the database"*) ;;
*) fail "the refusal does not say the connection was lost: $expect_lost" ;; esac
case "$expect_lost" in *"case c3"*) ;; *) fail "the screen left c3: $expect_lost" ;; esac
"$DOCKET_TESTS/pg/cluster.sh" restart "$pgdir"
keys a
wait_for "accept saved: c3" 20
keys q
wait_exit 20
[ "$screen_rc" = 0 ] || fail "review exited $screen_rc: $(screen)"

# Every decision the screen acknowledged is in the store, once; the chain
# verifies.
[ "$(q "SELECT string_agg(c.ext_id || ':' || d.reviewer || ':' || d.action, ' ' ORDER BY d.seq)
  FROM decisions d JOIN cases c ON c.id = d.case_id")" = "c1:ann:accept c2:ann:accept c3:ann:accept" ] ||
	fail "decisions: $(q "SELECT seq, case_id, reviewer, action FROM decisions")"
run "$DOCKET" verify "$U&user=postgres"
expect_rc 0
expect_out "intact"
