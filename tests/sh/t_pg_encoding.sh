# A store in a database whose encoding is not UTF-8 (a cluster made under
# the C locale is SQL_ASCII; LATIN1 by choice): docket's text goes as
# UTF-8 whatever the database's encoding, so what a reviewer writes reads
# back as written, the hash the database checks (entry_hash) is the one
# docket computed, and a character the database cannot hold is refused
# with PostgreSQL's words. Before, a LATIN1 store's session spoke
# LATIN1: docket's UTF-8 was stored as other characters (psql read
# "cafÃ©"), and once the database checked hashes (revision 13) it refused
# such an entry as a wrong hash.
. "$DOCKET_TESTS/sh/lib.sh"

pg_own_cluster
unset DOCKET_NOW
export PGUSER=postgres
psql -qX -v ON_ERROR_STOP=1 -d postgres -c "CREATE ROLE bob LOGIN" \
	-c "CREATE DATABASE la ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" \
	-c "CREATE DATABASE sa ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" >/dev/null
uri() { echo "postgresql:///$1?host=$PGHOST&port=$PGPORT&user=$2"; }
# decides DB NOTE: bob claims a case and escalates it with NOTE
decides() {
	run "$DOCKET" next "$(uri "$1" bob)" --model credit
	expect_rc 0
	id=$(printf '%s\n' "$out" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
	run "$DOCKET" decide "$(uri "$1" bob)" "$id" --action escalate --reason ambiguous \
		--note "$2" --seconds 2.5
}
for db in la sa; do
	run "$DOCKET" init "$(uri $db postgres)"
	expect_rc 0
	run "$DOCKET" import "$(uri $db postgres)" "$DOCKET_ROOT/sample-data/credit.csv" --model credit
	expect_rc 0
	run "$DOCKET" reviewer add "$(uri $db postgres)" bob
	expect_rc 0
	decides $db "café, naïve"
	expect_rc 0
	run "$DOCKET" log "$(uri $db postgres)" --format jsonl
	expect_rc 0
	expect_out '"note":"café, naïve"'
	# the database holds the characters, not other ones
	[ "$(PGCLIENTENCODING=UTF8 psql -qAtX -d $db -c "SELECT note FROM docket.decisions
		ORDER BY seq DESC LIMIT 1")" = "café, naïve" ] || fail "$db holds another note"
done
# LATIN1 holds no Japanese: refused, nothing written
n=$(psql -qAtX -d la -c "SELECT count(*) FROM docket.decisions")
decides la "日本語"
expect_rc 1
expect_err 'has no equivalent in encoding "LATIN1"'
[ "$(psql -qAtX -d la -c "SELECT count(*) FROM docket.decisions")" = "$n" ] || fail "a refused note left an entry"
# SQL_ASCII keeps the bytes as they are
decides sa "日本語 ✓"
expect_rc 0
run "$DOCKET" log "$(uri sa postgres)" --format jsonl
expect_out '"note":"日本語 ✓"'
for db in la sa; do
	run "$DOCKET" verify "$(uri $db postgres)"
	expect_rc 0
done
