#!/bin/sh
# install-setgid.sh BIN [yes|no] [GROUP]: the last step of `make install`.
# As root, makes BIN setgid to GROUP (default docket, a system group made
# if missing), so stores shared through that group (docket init --shared)
# are reachable only through docket (README: "Sharing a store on one host").
# Says what it did either way.
set -eu
bin=$1
want=${2:-yes}
group=${3:-docket}
if [ "$want" = no ]; then
	echo "installed $bin, not setgid (SETGID=no): only personal stores"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "installed $bin, not setgid (not root): only personal stores; to share"
	echo "  stores on this host, run 'make install' as root"
	exit 0
fi
if ! getent group "$group" >/dev/null; then
	groupadd --system "$group"
	echo "created system group $group"
fi
chown root:"$group" "$bin"
chmod 2755 "$bin"
echo "installed $bin setgid to group $group (mode 2755); put nobody in group"
echo "  $group: its stores are then reachable only through docket"
