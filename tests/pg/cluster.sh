#!/bin/sh
# cluster.sh: a throwaway PostgreSQL cluster for the tests and benchmarks.
#
#   tests/pg/cluster.sh start DIR   initdb into DIR/data, start a server on a
#                                   free port with its socket in DIR, print
#                                   the environment to use it (PGHOST, PGPORT,
#                                   PGUSER, DOCKET_PG_BIN, DOCKET_PG_URI)
#   tests/pg/cluster.sh stop DIR    stop it (fast) and remove DIR
#   tests/pg/cluster.sh kill DIR    kill -9 the server (crash tests)
#   tests/pg/cluster.sh restart DIR start it again on the same port
#
# The server never runs as root (PostgreSQL refuses to): as root the cluster
# belongs to the unprivileged user `nobody`. Authentication is trust over the
# private socket and 127.0.0.1 only (the tests log in as each role in turn);
# the superuser is `postgres`. fsync stays on, as a real server's would, so
# a kill -9 test means what it says; with DOCKET_PG_NOSYNC=1 in the
# environment of start it is off (and what only protects against a crash
# with it), for the unit tests on PostgreSQL, which never stop the server
# and make a store anew for each test: a third of their time went to
# syncing the schema's WAL.
set -eu
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|kill|restart DIR" >&2; exit 2; }

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] && [ -x "$bin/initdb" ] || {
	echo "cluster.sh: no PostgreSQL server found: install postgresql" >&2; exit 77; }

# DIR absolute: the server's tools run from / (as_owner).
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac

# (from /: the caller's directory may be one nobody cannot enter, as a
# test's is, and initdb, pg_ctl and postgres each said so on stderr)
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		(cd / && setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@")
	else
		"$@"
	fi
}

start_server() {
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-p $(cat "$dir/port") -k $dir -c listen_addresses=127.0.0.1" \
		start >/dev/null || {
		echo "cluster.sh: the server did not start; its log:" >&2
		cat "$dir/server.log" >&2
		exit 1
	}
}

case $cmd in
start)
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown nobody:nogroup "$dir"
	chmod 0755 "$dir"
	as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
		--locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2; exit 1; }
	# A free port: the kernel picks one, we give it to the server.
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	echo "$port" | as_owner tee "$dir/port" >/dev/null
	cat >>"$dir/data/postgresql.conf" <<CONF
max_connections = 200
shared_buffers = 128MB
synchronous_commit = on
unix_socket_permissions = 0777
log_min_messages = warning
CONF
	if [ "${DOCKET_PG_NOSYNC:-0}" = 1 ]; then
		printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n' \
			>>"$dir/data/postgresql.conf"
	fi
	start_server
	cat <<ENV
PGHOST=$dir
PGPORT=$port
PGUSER=postgres
DOCKET_PG_BIN=$bin
DOCKET_PG_URI=postgresql:///postgres?host=$dir&port=$port&user=postgres
ENV
	;;
restart)
	start_server
	;;
kill)
	pid=$(head -1 "$dir/data/postmaster.pid")
	# The postmaster's children go with it once they see it gone; a
	# restart before they (and the postmaster, until it is reaped) have
	# gone is refused ("another server might be running"). Once it is
	# dead they are no longer its children: name them first.
	kids=$(pgrep -P "$pid" 2>/dev/null | tr '\n' ' ' || true)
	kill -9 "$pid"
	for _ in $(seq 100); do
		alive=
		for p in $pid $kids; do
			kill -0 "$p" 2>/dev/null && alive=1
		done
		[ -n "$alive" ] || break
		sleep 0.1
	done
	;;
stop)
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: $0 start|stop|kill|restart DIR" >&2
	exit 2
	;;
esac
