# 32 reviewers claiming and deciding at once on one PostgreSQL store over
# TCP (issue 13, "Concurrency and durability"), each a login role added
# with `docket reviewer add` and a process looping `docket next` and
# `docket decide` (accept, override, escalate) until the queue is empty:
# no client sees an error; no case is held twice at any moment (sampled
# while the storm runs, and from the claims and the log after); every
# decision a client was told was recorded is in the log, and nothing else
# is; the counters equal a recount; verify passes.
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/pg_storm.sh"

storm_store 32 600
sampler held.bad &
storm c
touch stop.sampler
wait

# Every client ran to the end without an error.
for r in $names; do
	[ ! -e "c/$r.rc" ] || fail "$r: $(cat "c/$r.rc"): $(cat "c/$r.err")"
	[ ! -e "c/$r.err" ] || fail "$r printed: $(cat "c/$r.err")"
done
[ "$(cat c/*.claims | wc -l)" -ge "$queued" ] || fail "fewer claims than queued cases"
# The storm was a storm: most reviewers decided something.
[ "$(ls c/*.acks | wc -l)" -ge 24 ] || fail "only $(ls c/*.acks | wc -l) reviewers decided"

# Nothing held twice: never a held case without its lease, a lease on a
# case not held, or a reviewer with two cases, at any sampled moment...
[ "$(wc -l <samples)" -ge 10 ] || fail "only $(wc -l <samples) samples"
[ ! -s held.bad ] || fail "sampled holds out of order (held without lease, lease not held, two per reviewer): $(sort held.bad | uniq -c)"
# ... nor from the claims and the log.
check_no_double_hold c/*.claims

# Nothing lost, nothing extra: the decisions acknowledged are the log's.
cat c/*.acks | sort >acks
log_decisions >logged
cmp -s acks logged || {
	diff acks logged | head -n 10 >&2
	fail "the acknowledged decisions ($(wc -l <acks)) differ from the log's ($(wc -l <logged))"
}
# Every claim was decided once, by its claimer.
[ "$(cat c/*.claims | wc -l)" = "$(wc -l <acks)" ] || fail "claims and decisions differ"

# The queue is empty, no lease is left, every queued case has its end.
[ "$(q "SELECT count(*) FROM cases WHERE state IN ('queued', 'held')")" = 0 ] ||
	fail "cases left: $(q "SELECT state, count(*) FROM cases GROUP BY 1")"
[ "$(q "SELECT count(*) FROM leases")" = 0 ] || fail "leases left"
[ "$(q "SELECT count(*) FROM cases WHERE state IN ('done', 'escalated', 'disputed')")" = "$queued" ] ||
	fail "not every queued case decided"
check_store
