# Rules of the code that a compiler does not check, each once the cause of
# a bug or the shape the architecture depends on:
# - every sort goes through dk_sort (qsort of an empty list with a NULL
#   array is undefined behaviour: the report hit it);
# - only the engines in src/engine/ talk to a database library: modules use
#   store.h and db.h, so the same code runs on SQLite and PostgreSQL (the
#   importer's private in-memory SQLite, a JSON parser, is the one
#   exception, and names itself);
# - a failed read is never taken for "no row": after a step tested against
#   DB_ROW, store_done's result is checked (unchecked_steps.py);
# - a personal field is one whose name starts with exactly "pii:", as the
#   importer reads it: SQL outside src/engine/ compares the prefix with
#   substr(..., 1, 4) = 'pii:', never LIKE, which is blind to case on SQLite
#   (`next` masked a plain 'PII:note' there, and drift left it out);
# - a write transaction the server picks as a deadlock's victim is run
#   again, not reported as failed (store_retry; retried_txns.py): the
#   long way of a decision had no retry and failed under load, and a
#   re-route, signing, export's record and the others said "deadlock
#   detected".
. "$DOCKET_TESTS/sh/lib.sh"
cd "$DOCKET_ROOT"
raw=$(grep -n '[^_a-z]qsort(' src/*.c src/cli/*.c | grep -v '^src/util.c:' || true)
[ -z "$raw" ] || fail "qsort outside dk_sort (util.c):
$raw"
eng=$(grep -nE '\b(sqlite3_[a-z0-9_]+|SQLITE_[A-Z_]+|PQ[a-z][A-Za-z]+|PGresult|PGconn)\b|<(sqlite3|libpq-fe)\.h>' \
	src/*.c src/cli/*.c include/docket/*.h |
	grep -v '^include/docket/store_sqlite\.h:' | grep -v '"SQLITE_TMPDIR"' |
	grep -v '^src/cli/cmd_migrate\.c:.*SQLITE_PATH' | # the placeholder
	grep -vE '^src/import\.c:.*(jdb|jeach|JSON parser|SQLITE_(OPEN_|OK|ROW|DONE|STATIC)|sqlite3_(column|step|reset|bind_text|errmsg))' || true)
[ -z "$eng" ] || fail "a database library used outside src/engine/ (use store.h and db.h):
$eng"
like=$(grep -niE "like +'pii" src/*.c src/cli/*.c || true)
[ -z "$like" ] || fail "pii: compared with LIKE (any case on SQLite); use substr(KEY, 1, 4) = 'pii:':
$like"
unchecked=$(python3 "$DOCKET_TESTS/sh/unchecked_steps.py" src/*.c src/cli/*.c)
[ -z "$unchecked" ] || fail "a failed read taken for no row (check store_done, or say in a
comment why 'a failed read shows as' something):
$unchecked"
unretried=$(python3 "$DOCKET_TESTS/sh/retried_txns.py" src/*.c src/cli/*.c src/engine/*.c)
[ -z "$unretried" ] || fail "a write transaction is not retried as a deadlock's victim
(make it a *_once function run by a store_retry loop, or say why not):
$unretried"
echo ok
