# storm_worker.sh: one reviewer of the storm in crash_storm.sh, deciding as
# fast as it can until the file "stop" appears (or it is killed): next, then
# accept / override / escalate / skip, about a third of them with
# `decide --next` (the next claim from the same command), and now and then
# an undo of what it just decided (not of a skip; the case comes back under
# a new lease and is decided again). Each docket command runs in the background so the
# killer can find it (cur.NAME holds its pid while it runs). A decision is
# acknowledged (a line in acked.NAME.csv) only after docket returned
# success, as a reviewer's script would report it. A docket killed by -9
# (exit 137) is taken as the tool crashing: the worker drops the case it
# held (its lease will expire) and goes on. Any other failure ends the
# worker with the message in err.NAME.
# Usage: sh storm_worker.sh STORE NAME SEED
set -u
store=$1 r=$2
KIND=storm-worker
# (lib.sh's rng, without its banner)
rng_seed() { RNG=$(( (($1 % 2147483648) * 48271 + 12345) % 2147483648 )); }
rnd() {
	RNG=$(( (RNG * 1103515245 + 12345) % 2147483648 ))
	R=$(( (RNG >> 8) % $1 ))
}
rng_seed "$3"

# dk ARGS...: run docket; rc, out (stdout) set; stderr in errout.NAME.
dk() {
	"$DOCKET" "$@" >"out.$r" 2>"errout.$r" &
	echo $! >"cur.$r"
	wait $! 2>/dev/null
	rc=$?
	: >"cur.$r"
	out=$(cat "out.$r")
}
die() {
	echo "$r: docket $1 failed (exit $rc): $(cat "errout.$r")" >>"err.$r"
	exit 1
}
ack() { # OUTPUT ACTION ID
	a_seq=${1#*\"seq\":}
	a_seq=${a_seq%%,*}
	a_hash=${1#*\"hash\":\"}
	a_hash=${a_hash%%\"*}
	echo "$a_seq,$a_hash,$2,$r,$3" >>"acked.$r.csv"
}
# take JSON: id, model, tok from a claim `docket next` printed
take() {
	id=${1#\{\"id\":\"}
	id=${id%%\"*}
	model=${1#*\"model\":\"}
	model=${model%%\"*}
	tok=${1#*\"token\":}
	tok=${tok%%[!0-9]*}
	pred=${1#*\"prediction\":\"}
	pred=${pred%%\"*}
}

id=
while [ ! -e stop ]; do
	if [ -z "$id" ]; then
		dk next "$store" --reviewer "$r"
		case $rc in 0) ;; 137) echo >>"killed.$r"; continue ;; *) die next ;; esac
		case $out in *'"empty":true'*) sleep 0.05; continue ;; esac
		take "$out"
	fi
	rnd 100
	if [ "$R" -lt 45 ]; then set -- accept
	elif [ "$R" -lt 65 ]; then
		# the other label of the two
		case $pred in good) l=bad ;; *) l=good ;; esac
		set -- override --label "$l"
	elif [ "$R" -lt 77 ]; then set -- escalate --reason needs-expert
	else set -- skip --reason ambiguous
	fi
	action=$1
	shift
	rnd 100
	if [ "$R" -lt 35 ]; then
		dk decide "$store" "$id" --model "$model" --reviewer "$r" --action "$action" \
			"$@" --token "$tok" --seconds 1.5 --next
		case $rc in 0) ;; 137) echo >>"killed.$r"; id=; continue ;; *) die "decide --next" ;; esac
		ack "$(echo "$out" | head -n 1)" "$action" "$id"
		out=$(echo "$out" | sed -n 2p)
		case $out in
		'{"id":'*) take "$out" ;;
		*) id= ;;
		esac
		continue
	fi
	dk decide "$store" "$id" --model "$model" --reviewer "$r" --action "$action" \
		"$@" --token "$tok" --seconds 2
	case $rc in 0) ;; 137) echo >>"killed.$r"; id=; continue ;; *) die decide ;; esac
	ack "$out" "$action" "$id"
	rnd 100
	# Take it back (not a skip: the case is in the queue again, and may
	# be someone else's by now): the case returns to this reviewer, under
	# a new lease, to decide again.
	if [ "$R" -lt 15 ] && [ "$action" != skip ]; then
		dk decide "$store" "$id" --model "$model" --reviewer "$r" --action undo
		case $rc in 0) ;; 137) echo >>"killed.$r"; id=; continue ;; *) die undo ;; esac
		ack "$out" undo "$id"
		tok=${out#*\"token\":}
		tok=${tok%%[!0-9]*}
		continue
	fi
	id=
done
exit 0
