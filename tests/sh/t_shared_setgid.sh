# A store shared on one host, attacked as in issue 12: real users made
# with useradd, docket installed setgid to a group nobody is in, the store
# made by `docket init --shared`. Each reviewer's way around docket is tried
# and refused (acting as someone else with --as/--reviewer, LOGNAME/USER,
# DOCKET_NOW, reading the store with sqlite3, importing or configuring from
# a file only the group can read, exporting into the group's directory), the
# honest paths work, and `docket doctor` names what is wrong with a set-up
# and passes once it is fixed. Needs root (useradd, chgrp, setgid).
. "$DOCKET_TESTS/sh/lib.sh"
sqlite_only "the store file's modes in a setgid directory shared by OS users"

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root to make users (useradd) and install docket setgid"
	exit 77
fi
for t in useradd userdel groupdel gpasswd runuser sqlite3; do
	command -v $t >/dev/null || fail "$t is missing (tools/ensure-deps.sh test installs it)"
done

G=dkg$$ A=dka$$ B=dkb$$ S=dks$$
base=$(mktemp -d /tmp/docket-shared-XXXXXX)
trap 'set +e; for u in $A $B $S; do userdel $u 2>/dev/null; done
	groupdel $G 2>/dev/null; rm -rf "$base"' EXIT
chmod 0755 "$base"
mkdir "$base/bin" "$base/home"
for u in $A $B $S; do
	useradd -M -d "$base/home/$u" -s /bin/sh $u
	mkdir "$base/home/$u"
	chown $u "$base/home/$u"
done

# as USER CMD...: run as USER in their home, with nothing of root's. The
# users run only what is under $base (the build tree may be where they
# cannot reach, as under /root on a fresh machine).
as() {
	u=$1
	shift
	for a in "$@"; do
		case "$a" in "$DOCKET_ROOT"/*) fail "as $u: $a is in the build tree" ;; esac
	done
	run runuser -u "$u" -- env -i HOME="$base/home/$u" PATH=/usr/bin:/bin \
		sh -c 'cd "$HOME" && exec "$@"' sh "$@"
}

# The shared store, made as a team lead would (as root).
STORE=$base/srv/store.db
DK=$base/bin/docket
run "$DOCKET" init --shared "$STORE" --group $G
expect_rc 0
expect_out "created system group $G"
expect_out "owner root, group $G, mode 0660"
[ "$(stat -c '%a %U %G' "$base/srv")" = "2770 root $G" ] || fail "directory: $(stat -c '%a %U %G' "$base/srv")"
[ "$(stat -c '%a %U %G' "$STORE")" = "660 root $G" ] || fail "store: $(stat -c '%a %U %G' "$STORE")"
# docket as installed (the build without test hooks), setgid to the group
# below; the users run only this copy (the build tree may be where they
# cannot reach, as under /root on a fresh machine).
cp "$DOCKET_PLAIN" "$DK"
# `docket init --shared` is root's alone.
as $A "$DK" init --shared "$base/home/$A/x.db"
expect_rc 1
expect_err "run it as root"
run "$DK" doctor "$STORE"
expect_rc 1
expect_out "is not setgid to group $G"
# What `make install` does as root.
run "$DOCKET_ROOT/tools/install-setgid.sh" "$DK" yes $G
expect_rc 0
expect_out "installed $DK setgid to group $G (mode 2755)"
[ "$(stat -c '%a %U %G' "$DK")" = "2755 root $G" ] || fail "binary: $(stat -c '%a %U %G' "$DK")"
run "$DK" doctor "$STORE"
expect_rc 0
expect_out "ok: $STORE is shared through group $G"

# The team: root (who made the store) adds them.
run "$DK" import "$STORE" "$DOCKET_ROOT/sample-data/credit.csv" --model credit
expect_rc 0
run "$DK" reviewer add "$STORE" $A
expect_rc 0
run "$DK" reviewer add "$STORE" $B
expect_rc 0
run "$DK" reviewer add "$STORE" $S --role supervisor
expect_rc 0
before=$(dump "$STORE")

# refused CMD...: as reviewer A the command is refused for acting under
# another name, and the store does not change.
refused() {
	as $A "$DK" "$@"
	expect_rc 1
	expect_err "you are $A, and only the owner of $STORE may act under another name"
	[ "$(dump "$STORE")" = "$before" ] || fail "the store changed: $*"
}
refused export "$STORE" --out all.csv --only all --as $S
refused reviewer role "$STORE" $S reviewer --as $S
refused reviewer add "$STORE" $A --role supervisor --as $S
refused reviewer add "$STORE" mallory --role supervisor --as $S
refused reviewer auto-add "$STORE" on --as $S
refused policy "$STORE" --model credit --threshold 0 --as $S
refused policy "$STORE" --reasons=x,y --as $S
refused log "$STORE" --as $S
refused stats "$STORE" --as $S
refused next "$STORE" --reviewer $B
refused release "$STORE" --reviewer $B
refused decide "$STORE" 1 --action accept --reviewer $B
refused decide "$STORE" 1 --action resolve --label good --reviewer $S
refused supervise "$STORE" --as $S
refused review "$STORE" --reviewer $B
[ ! -e "$base/home/$A/all.csv" ] || fail "an export was written"

# The environment does not name anyone: A is A whatever LOGNAME and USER say.
run runuser -u $A -- env -i HOME="$base/home/$A" LOGNAME=$S USER=$S "$DK" log "$STORE"
expect_rc 1
expect_err "'$A'"
[ "$(dump "$STORE")" = "$before" ] || fail "the store changed: log as LOGNAME"

# Without docket the store is out of reach: not readable, not listable.
as $A sqlite3 "$STORE" "SELECT name, role FROM reviewers"
[ "$rc" -ne 0 ] || fail "sqlite3 read the store: $out"
expect_err "unable to open database"
as $A sqlite3 "$STORE" "UPDATE reviewers SET role = 'supervisor'"
[ "$rc" -ne 0 ] || fail "sqlite3 wrote the store"
as $A cat "$STORE"
expect_rc 1
expect_err "Permission denied"
as $A ls "$base/srv"
[ "$rc" -ne 0 ] || fail "the group's directory was listed"

# Files docket opens for the user are opened with the user's rights: a file
# only the group can read is neither imported nor read as a config, and
# nothing is written into the group's directory.
printf 'id,prediction,confidence,pii:ssn\nx1,good,0.5,123-45-6789\n' >"$base/srv/secret.csv"
printf 'secret-config-line\n' >"$base/srv/secret.conf"
chgrp $G "$base/srv/secret.csv" "$base/srv/secret.conf"
chmod 0640 "$base/srv/secret.csv" "$base/srv/secret.conf"
as $A "$DK" import "$STORE" "$base/srv/secret.csv" --model leak
expect_rc 1
expect_err "Permission denied"
[ "$(dump "$STORE")" = "$before" ] || fail "the store changed: import"
run runuser -u $A -- env -i HOME="$base/home/$A" DOCKET_CONFIG="$base/srv/secret.conf" \
	TERM=xterm "$DK" review "$STORE"
expect_rc 1
expect_err "secret.conf: Permission denied"
case "$err" in *secret-config-line*) fail "the config's text leaked: $err" ;; esac
as $S "$DK" export "$STORE" --out "$base/srv/out.csv" --only all
expect_rc 1
[ ! -e "$base/srv/out.csv" ] || fail "export wrote into the group's directory"
[ "$(dump "$STORE")" = "$before" ] || fail "the store changed: export"
# A new store is made with the user's rights: none in the group's directory
# (a planted store.db-wal would let its maker rewrite the store).
as $A "$DK" init "$STORE-wal"
expect_rc 1
[ ! -e "$STORE-wal" ] || fail "a reviewer made $STORE-wal"

# The honest paths: each reviewer works as themselves.
as $A "$DK" next "$STORE"
expect_rc 0
expect_out "\"reviewer\":\"$A\""
id1=$(echo "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/')
# DOCKET_NOW is the test build's alone: the installed docket ignores it, so
# nobody outlives someone else's lease or dates an entry 2099.
run runuser -u $A -- env -i HOME="$base/home/$A" DOCKET_NOW=2099-01-01T00:00:00Z \
	"$DK" decide "$STORE" "$id1" --action accept
expect_rc 0
at=$(sql "$STORE" "SELECT at FROM decisions ORDER BY seq DESC LIMIT 1")
now=$((($(date +%s) + 1) * 1000))
[ "$at" -le "$now" ] && [ "$at" -gt $((now - 600000)) ] || fail "the entry is dated $at, not now ($now)"
[ "$(sql "$STORE" "SELECT reviewer FROM decisions ORDER BY seq DESC LIMIT 1")" = $A ] ||
	fail "the decision is not A's"
as $B "$DK" next "$STORE"
expect_rc 0
id2=$(echo "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/')
run runuser -u $A -- env -i HOME="$base/home/$A" DOCKET_NOW=2099-01-01T00:00:00Z \
	"$DK" next "$STORE"
expect_rc 0
case "$out" in *"\"id\":\"$id2\""*) fail "A took B's live lease" ;; esac
as $S "$DK" log "$STORE" --format csv
expect_rc 0
expect_out ",$A,$id1,"
as $S "$DK" export "$STORE" --out "$base/home/$S/c.csv"
expect_rc 0
[ "$(stat -c %U "$base/home/$S/c.csv")" = $S ] || fail "export file not the supervisor's"
as $A "$DK" export "$STORE" --out c.csv
expect_rc 1
expect_err "only supervisors may export"
run "$DK" verify "$STORE"
expect_rc 0

# Terminfo comes from the system only: a reviewer's own entry (in
# ~/.terminfo, or named by TERMINFO) is not read by the setgid docket,
# whose screen starts with the system's.
runuser -u $A -- sh -c 'cd && infocmp xterm | sed "s/^xterm|/dkfake|/" >fake.src &&
	tic -o "$HOME/.terminfo" fake.src'
[ -e "$base/home/$A/.terminfo/d/dkfake" ] || fail "tic made no entry"
for v in HOME TERMINFO; do
	run runuser -u $A -- env -i HOME="$base/home/$A" TERM=dkfake \
		$([ $v = TERMINFO ] && echo TERMINFO="$base/home/$A/.terminfo") \
		timeout 20 script -qec "$DK review $STORE" /dev/null
	expect_out "cannot start the terminal (TERM=dkfake)"
done
printf q | runuser -u $A -- env -i HOME="$base/home/$A" TERM=xterm \
	timeout 20 script -qec "$DK review $STORE" /dev/null >screen.txt 2>&1 ||
	fail "the review screen did not start: $(cat screen.txt)"
grep -q "reviewer $A" screen.txt || fail "no review screen: $(cat screen.txt)"

# The -wal and -shm a reviewer's docket creates get the group and 0660, so
# the next person is not locked out.
python3 "$DOCKET_ROOT/tools/gen_predictions.py" --rows 200000 --seed 5 --out "$base/home/$A/big.csv"
chown $A "$base/home/$A/big.csv"
runuser -u $A -- env -i HOME="$base/home/$A" "$DK" import "$STORE" "$base/home/$A/big.csv" \
	--model big >/dev/null 2>&1 &
imp=$!
i=0
while [ ! -e "$STORE-wal" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
wal=$(stat -c '%a %U %G' "$STORE-wal" 2>/dev/null || echo gone)
shm=$(stat -c '%a %U %G' "$STORE-shm" 2>/dev/null || echo gone)
wait $imp || fail "A's import failed"
[ "$wal" = "660 $A $G" ] || fail "-wal made by A: $wal"
[ "$shm" = "660 $A $G" ] || fail "-shm made by A: $shm"
run "$DK" doctor "$STORE"
expect_rc 0

# doctor names each broken part of a set-up and the fix.
: >"$STORE-wal"
chown $B:$B "$STORE-wal"
chmod 0600 "$STORE-wal"
as $A "$DK" queue "$STORE"
expect_rc 1
run "$DK" doctor "$STORE"
expect_rc 1
expect_out "$STORE-wal belongs to group $B, not $G"
expect_out "fix: chgrp $G '$STORE-wal' && chmod 0660 '$STORE-wal'"
chgrp $G "$STORE-wal" && chmod 0660 "$STORE-wal"
as $A "$DK" queue "$STORE"
expect_rc 0
gpasswd -a $B $G >/dev/null
run "$DK" doctor "$STORE"
expect_rc 1
expect_out "$B is in group $G"
expect_out "fix: gpasswd -d $B $G"
gpasswd -d $B $G >/dev/null
chmod 0775 "$base/srv"
run "$DK" doctor "$STORE"
expect_rc 1
expect_out "fix: chgrp $G '$base/srv' && chmod 2770 '$base/srv'"
chmod 2770 "$base/srv"
run "$DK" doctor "$STORE"
expect_rc 0

# The installed build ignores DOCKET_NOW even where nothing is setgid; the
# test build honours it.
run "$DOCKET_PLAIN" init plain.db
expect_rc 0
DOCKET_NOW=2099-01-01T00:00:00Z "$DOCKET_PLAIN" reviewer add plain.db p1 >/dev/null
DOCKET_NOW=2099-01-01T00:00:00Z "$DOCKET" reviewer add plain.db p2 >/dev/null
[ "$(sql plain.db "SELECT added_at < 4000000000000 FROM reviewers WHERE name = 'p1'")" = 1 ] ||
	fail "the installed build took DOCKET_NOW"
[ "$(sql plain.db "SELECT added_at FROM reviewers WHERE name = 'p2'")" = 4070908800000 ] ||
	fail "the test build ignored DOCKET_NOW"

# On a store the caller owns outright (a personal store), --reviewer and
# --as stay: that owner can change the file any way they like anyway.
as $A "$DK" init mine.db
expect_rc 0
as $A "$DK" reviewer add mine.db $B
expect_rc 0
cp "$DOCKET_ROOT/sample-data/credit.csv" "$base/credit.csv"
chmod 644 "$base/credit.csv"
as $A "$DK" import mine.db "$base/credit.csv" --model credit
expect_rc 0
as $A "$DK" next mine.db --reviewer $B
expect_rc 0
expect_out "\"reviewer\":\"$B\""
# ... but not on someone else's personal store they can write (the attack's
# 0660 set-up): there the owner is not the caller.
chmod 0666 "$base/home/$A/mine.db"
chmod 0777 "$base/home/$A"
as $B "$DK" log "$base/home/$A/mine.db" --as $A
expect_rc 1
expect_err "you are $B, and only the owner of"
# doctor on that set-up: the owner's own group, open to everyone.
run "$DK" doctor "$base/home/$A/mine.db"
expect_rc 1
expect_out "mine.db can be read or changed by everyone (mode 0666)"
expect_out "is open to group $(id -gn $A), the primary group of its owner $A"
echo "shared store: every bypass refused"
