# lib.sh: assertions for the shell tests. Source it; every check that fails
# prints what was expected and what came, and exits the test.
set -u

fail() {
	echo "FAILED: $*" >&2
	exit 1
}

# run CMD...: run, keeping stdout in $out, stderr in $err, status in $rc.
run() {
	set +e
	"$@" >"$PWD/.out" 2>"$PWD/.err"
	rc=$?
	set -e
	out=$(cat "$PWD/.out")
	err=$(cat "$PWD/.err")
}

expect_rc() {
	[ "$rc" -eq "$1" ] || fail "expected exit $1, got $rc
stdout: $out
stderr: $err"
}

# expect_out TEXT / expect_err TEXT: the output contains TEXT (fixed string).
expect_out() {
	case "$out" in *"$1"*) ;; *) fail "stdout lacks '$1'
stdout: $out
stderr: $err" ;; esac
}
expect_err() {
	case "$err" in *"$1"*) ;; *) fail "stderr lacks '$1'
stderr: $err" ;; esac
}
expect_err_exact() {
	[ "$err" = "$1" ] || fail "stderr differs
expected: $1
got:      $err"
}

# sql STORE QUERY: one value from the store with the sqlite3 CLI.
sql() {
	sqlite3 -batch -noheader "$1" "$2"
}

# dump STORE: a text image of every table, to compare before and after.
dump() {
	sqlite3 -batch "$1" .dump
}

set -e
