# export --out writes a regular file (new or existing) only: a device, a
# FIFO, a directory, a socket or any symbolic link is refused with a clear
# message, left as it was, and no export is recorded.
. "$DOCKET_TESTS/sh/lib.sh"

run "$DOCKET" import s.db "$DOCKET_ROOT/sample-data/credit.csv" --model credit
expect_rc 0
exports() { sql s.db "SELECT count(*) FROM decisions WHERE action = 'export'"; }

echo keep >kept.csv
mkdir dir
mkfifo fifo
ln -s kept.csv link-to-file.csv
ln -s /dev/null link-to-null.csv
ln -s fifo link-to-fifo.csv
ln -s dir link-to-dir
ln -s missing.csv dangling.csv
python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind("sock")'

# refused OUT KIND: the export fails naming OUT and what it is.
refused() {
	before=$(exports)
	run "$DOCKET" export s.db --only all --out "$1"
	expect_rc 1
	expect_err "docket: $1: is $2; --out writes only regular files"
	[ "$(exports)" = "$before" ] || fail "a refused export to $1 was recorded"
	[ -z "$(ls -A . | grep '\.tmp-')" ] || fail "a temporary file was left: $(ls -A)"
}

refused fifo "a FIFO"
[ -p fifo ] || fail "the FIFO was replaced"
refused dir "a directory"
[ -d dir ] && [ -z "$(ls -A dir)" ] || fail "the directory changed"
refused sock "a socket"
[ -S sock ] || fail "the socket was replaced"
for l in link-to-file.csv link-to-null.csv link-to-fifo.csv link-to-dir dangling.csv; do
	target=$(readlink "$l")
	refused "$l" "a symbolic link"
	[ -L "$l" ] && [ "$(readlink "$l")" = "$target" ] || fail "$l was replaced"
done
[ "$(cat kept.csv)" = keep ] || fail "the file behind the link was written"
[ ! -e missing.csv ] || fail "the dangling link was followed"

# The system's own device nodes and /dev/stdout (a link). Only tested
# without root: as root, a regression would replace them for the machine.
if [ "$(id -u)" != 0 ]; then
	refused /dev/null "a character device"
	refused /dev/stdout "a symbolic link"
fi

# A regular file, new or existing, is written.
run "$DOCKET" export s.db --only all --out kept.csv
expect_rc 0
[ "$(head -c 3 kept.csv)" = "id," ] || fail "the existing file was not replaced"
run "$DOCKET" export s.db --only all --out new.csv
expect_rc 0
[ -f new.csv ] && [ ! -L new.csv ] || fail "new.csv not written"
