# Signed anchors against someone who can write the store: a forged entry
# before an anchor, a full re-hash, a cut tail that drops an anchor, every
# anchor removed, an anchor signed with the attacker's own key: each passes
# the plain chain check (the attacker re-hashed it) and fails
# `verify --trust` (with the kept lines for the cut tail). Keys: made by
# `key init` 0600 in the user's config dir, never overwritten, refused when
# others can read them; only supervisors anchor.
. "$DOCKET_TESTS/sh/lib.sh"
S=$DOCKET_ROOT/sample-data
K=$XDG_CONFIG_HOME/docket
"$DOCKET" import s.db "$S/credit.csv" --model credit >/dev/null
"$DOCKET" reviewer add s.db ann >/dev/null
decide() { # decide N: ann accepts N cases
	for _ in $(seq "$1"); do
		id=$("$DOCKET" next s.db --reviewer ann | sed 's/^{"id":"\([^"]*\)".*/\1/')
		"$DOCKET" decide s.db "$id" --reviewer ann --action accept >/dev/null
	done
}
decide 3

# a key: secret 0600 in the config dir, public beside it, never overwritten
run "$DOCKET" key init
expect_rc 0
expect_out "docket-ed25519 "
pub_line=$out
[ "$(stat -c %a "$K/anchor.key")" = 600 ] || fail "secret key mode $(stat -c %a "$K/anchor.key")"
[ "$(cat "$K/anchor.pub")" = "$pub_line" ] || fail "anchor.pub differs from the printed key"
dump s.db | grep -q "$(sed -n 's/^docket-ed25519-secret \(.\{16\}\).*/\1/p' "$K/anchor.key")" \
	&& fail "the secret key is in the store"
run "$DOCKET" key init
expect_rc 1
expect_err "already exists"
run "$DOCKET" key show
expect_rc 0
[ "$out" = "$pub_line" ] || fail "key show: $out"

# only a supervisor anchors
run "$DOCKET" anchor s.db --as ann
expect_rc 1
expect_err "not a supervisor"

# two anchors, kept outside the store; h1/a1 and h2/a2: the heads they
# sign and their own entries (the store's own entries come first: init,
# import, reviewer-add)
maxseq() { sql "${1:-s.db}" "SELECT max(seq) FROM decisions"; }
h1=$(maxseq)
a1=$((h1 + 1))
run "$DOCKET" anchor s.db
expect_rc 0
expect_err "anchored the head as entry $a1"
echo "$out" >kept
case "$out" in "docket-anchor-v1 store="*" seq=$h1 hash="*" sig="*" by=root") ;;
*) fail "kept line: $out" ;; esac
decide 2
h2=$(maxseq)
a2=$((h2 + 1))
"$DOCKET" anchor s.db >>kept
store_copy s.db at7.db
decide 1
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE action = 'anchor'")" = 2 ] || fail "anchor entries"
run "$DOCKET" verify s.db --trust "$K/anchor.pub" --anchors kept
expect_rc 0
expect_out "anchors: 2 signed by trusted keys, the latest at entry $a2 with 1 entries after it; 2 kept lines found"
# without --trust the signatures are still checked
run "$DOCKET" verify s.db
expect_rc 0
expect_out "anchors: 2 signed (no --trust: signatures only)"

# untrigger COPY [FROM]: a copy of FROM (s.db) whose log the owner may
# rewrite with sql_forge (SQLite: its triggers dropped; PostgreSQL:
# sql_forge writes with the triggers off)
untrigger() {
	store_copy "${2:-s.db}" "$1"
	if on_sqlite; then
		sqlite3 "$1" "DROP TRIGGER decisions_no_update; DROP TRIGGER decisions_no_delete;
			DROP TRIGGER decisions_append_only;"
	fi
}
rehash() { python3 "$DOCKET_TESTS/sh/rehash_chain.py" "$1"; }

# a forged override inserted before the first anchor, chain re-hashed
untrigger forge.db
sql_forge forge.db "UPDATE decisions SET seq = seq + 100 WHERE seq >= $h1;
INSERT INTO decisions(seq, at, reviewer, case_id, action, model_label, label, prev_hash, hash)
  SELECT $h1, at, 'bob', case_id, 'override', model_label, 'bad', '', '' FROM decisions WHERE seq = $h1 + 100;
UPDATE decisions SET seq = seq - 100 + 1 WHERE seq >= 100 + $h1;"
rehash forge.db
run "$DOCKET" verify forge.db
expect_out "chain: $(maxseq forge.db) entries, intact"
expect_rc 1
expect_err "anchor at entry $((a1 + 1)) signs entry $h1, not the one before it"
run "$DOCKET" verify forge.db --trust "$K/anchor.pub"
expect_rc 1

# an edited entry, chain re-hashed (anchor entries kept as they were)
untrigger edit.db
sql_forge edit.db "UPDATE decisions SET note = 'fine' WHERE seq = $((h1 - 1))"
rehash edit.db
run "$DOCKET" verify edit.db --trust "$K/anchor.pub"
expect_rc 1
expect_err "entry $h1 is not the one anchor $a1 signed"
expect_err "rewritten"

# the tail cut to remove the second anchor: only the kept line finds it
untrigger cut.db at7.db
sql_forge cut.db "DELETE FROM decisions WHERE seq = $a2"
run "$DOCKET" verify cut.db --trust "$K/anchor.pub"
expect_rc 0
run "$DOCKET" verify cut.db --trust "$K/anchor.pub" --anchors kept
expect_rc 1
expect_err "kept anchor line 2 signs entry $h2, which the log no longer holds as signed"

# every anchor removed and the chain re-hashed
# (renumbered, with the cases' pointers into the log moved along)
untrigger none.db
sql_forge none.db "DELETE FROM decisions WHERE action = 'anchor';
CREATE TEMP TABLE m AS SELECT seq AS old, row_number() OVER (ORDER BY seq) AS new FROM decisions;
UPDATE decisions SET seq = -(SELECT new FROM m WHERE old = seq);
UPDATE decisions SET seq = -seq;
UPDATE cases SET final_seq = (SELECT new FROM m WHERE old = final_seq) WHERE final_seq IS NOT NULL;"
rehash none.db
run "$DOCKET" verify none.db
expect_rc 0
run "$DOCKET" verify none.db --trust "$K/anchor.pub"
expect_rc 1
expect_err "the log holds no anchor"

# an anchor signed with the attacker's own key (on a copy they own)
store_copy s.db own.db
XDG_CONFIG_HOME=$PWD/mallory "$DOCKET" key init >/dev/null 2>&1
XDG_CONFIG_HOME=$PWD/mallory "$DOCKET" anchor own.db >/dev/null
run "$DOCKET" verify own.db
expect_rc 0
run "$DOCKET" verify own.db --trust "$K/anchor.pub"
expect_rc 1
expect_err "anchor at entry $(maxseq own.db): it is signed by key"
expect_err "not among the trusted keys"
run "$DOCKET" verify own.db --trust "$K/anchor.pub" --trust mallory/docket/anchor.pub
expect_rc 0

# a kept line with one digit of its hash changed is refused
sed '1s/hash=\(.\)/hash=X/' kept >bad-kept
run "$DOCKET" verify s.db --trust "$K/anchor.pub" --anchors bad-kept
expect_rc 1
expect_err "kept anchor line 1"

# a secret key others can read is refused, and nothing is appended
chmod 644 "$K/anchor.key"
before=$(sql s.db "SELECT max(seq) FROM decisions")
run "$DOCKET" anchor s.db
expect_rc 1
expect_err "chmod 600"
[ "$(sql s.db "SELECT max(seq) FROM decisions")" = "$before" ] || fail "appended"
echo ok
