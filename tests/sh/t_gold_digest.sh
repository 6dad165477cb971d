# A batch's import digest, in the log every role reads, must not let a
# reviewer find its gold checks. Everything else in a case row a reviewer
# reads (on PostgreSQL: every column of cases but gold and route_reason),
# so with the first form (gold labels as stored) a script hashes a batch's
# rows with guessed gold labels until the digest matches; the second form
# (audit.h, README's import entry) keys each gold label by the model's
# audit salt, which reviewers may not read. The guesser below knows both
# forms as the README gives them; given the salt (a supervisor's read) it
# must find the gold check in the new form too, so that finding nothing
# without it is the keying's doing, not a wrong encoding.
. "$DOCKET_TESTS/sh/lib.sh"

# guess STORE [SALT]: for every import entry, the gold labels (none, or
# one or two cases, each with one of the batch's labels) whose rows hash
# to its digest: "batch B: none" or "batch B: ID=LABEL...", one line per
# match. Reads only what reviewers may read, and the salt when given.
guess() {
	python3 - "$@" <<'PY'
import hashlib, hmac, itertools, json, os, struct, sys
sys.path.insert(0, os.environ["DOCKET_TESTS"] + "/sh")
import storedb
store, salt = sys.argv[1], (sys.argv[2].encode() if len(sys.argv) > 2 else None)

def f(b):  # a field: 8-byte big-endian length (all ones: NULL), its bytes
    return b'\xff' * 8 if b is None else struct.pack('>Q', len(b)) + b

def t(v):
    return None if v is None else str(v).encode()

for (detail,) in storedb.rows(store, "SELECT detail FROM decisions WHERE action = 'import' ORDER BY seq"):
    d = json.loads(detail)
    form = d.get("digest_form", 1)
    rows = storedb.rows(store, "SELECT ext_id, line, prediction, confidence, probs, attributions,"
                        " CAST(context AS TEXT), text, priority FROM cases WHERE batch_id = %d"
                        " ORDER BY id" % d["batch"])
    labels = sorted({r[2] for r in rows})
    def row(r, gold):
        if gold is not None and form == 2:
            gold = hmac.new(salt, gold.encode(), hashlib.sha256).hexdigest() if salt else None
            if gold is None:
                return None  # not computable without the salt
        ext, line, pred, conf, probs, attrs, ctx, text, prio = r
        assert probs is None and attrs is None  # the rows here have none
        return (f(b'docket-case-v%d' % form) + f(struct.pack('>q', line)) +
                b''.join(f(t(v)) for v in (ext, pred, None, None, ctx, text, gold)) +
                f(struct.pack('>d', conf)) + f(None) + f(None) + f(struct.pack('>q', prio)))
    for k in (0, 1, 2):
        for cases in itertools.combinations(range(len(rows)), k):
            for golds in itertools.product(labels, repeat=k):
                g = dict(zip(cases, golds))
                enc = [row(r, g.get(i)) for i, r in enumerate(rows)]
                if None in enc:
                    continue
                if hashlib.sha256(b''.join(enc)).hexdigest() == d["digest"]:
                    print("batch %d: %s" % (d["batch"], " ".join(
                        "%s=%s" % (rows[i][0], g[i]) for i in cases) or "none"))
PY
}

# --- the first form: a store imported before it changed -------------------
# (tests/sh/store-digest-v1.sql says how it was made; on PostgreSQL it is
# moved there by docket migrate, history and all)
old_sqlite_store store-digest-v1.sql old.db
[ "$(sql old.db "SELECT count(*) FROM decisions WHERE detail LIKE '%digest_form%'")" = 0 ] ||
	fail "the fixture's entries name a digest form"
found=$(guess old.db)
[ "$found" = "batch 1: c3=bad
batch 2: none" ] || fail "the first form's digests: the guesser found '$found'"
run "$DOCKET" verify old.db
expect_rc 0
expect_out "2 batches match their import entries"

# --- the second form: the same rows imported now ------------------------
cat >gold.csv <<'EOF'
id,prediction,confidence,gold,text
c1,good,0.91,,fine
c2,bad,0.42,,unsure
c3,good,0.97,bad,confident
c4,bad,0.88,,fine
c5,good,0.55,,unsure
EOF
cat >plain.csv <<'EOF'
id,prediction,confidence,text
p1,good,0.93,fine
p2,bad,0.61,unsure
p3,good,0.99,confident
EOF
run "$DOCKET" import s.db gold.csv --model m
expect_rc 0
run "$DOCKET" import s.db plain.csv --model m
expect_rc 0
# without the salt: a batch without gold checks still reads as such, but
# nothing says which case of batch 1 is one, nor its label
found=$(guess s.db)
[ "$found" = "batch 2: none" ] || fail "without the salt the guesser found '$found'"
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE action = 'import' AND detail LIKE '%\"digest_form\":2%'")" = 2 ] ||
	fail "new import entries do not say their digest form: $(sql s.db "SELECT detail FROM decisions")"
# with it (as a supervisor reads it), the README's form gives the digests
salt=$(sql s.db "SELECT audit_salt FROM models WHERE name = 'm'")
found=$(guess s.db "$salt")
[ "$found" = "batch 1: c3=bad
batch 2: none" ] || fail "with the salt the guesser found '$found'"

run "$DOCKET" verify s.db
expect_rc 0
expect_out "2 batches match their import entries"

# a gold label edited, to another label or to none, or set on another
# case: its batch's digest (verify may name the routing first when the
# change re-routes the case, as before)
for change in "gold = 'good' WHERE ext_id = 'c3'" "gold = 'bad' WHERE ext_id = 'c1'"; do
	store_copy s.db e.db
	sql_forge e.db "UPDATE cases SET $change"
	run "$DOCKET" verify e.db
	expect_rc 1
	expect_err "batch 1 (gold.csv): its cases differ from what entry"
	store_rm e.db
done

# a migrated store keeps verifying (docket migrate copies the entries and
# the salt)
if [ "$test_engine" != postgres ]; then
	run "$DOCKET" migrate s.db m2.db
	expect_rc 0
	run "$DOCKET" verify m2.db
	expect_rc 0
	expect_out "2 batches match their import entries"
fi

# the form is part of the entry: one the log is rewritten to name (its
# chain re-hashed, as the store's owner could) is checked as named: an
# unknown one is refused; without the key, the first form's reading of
# these rows fails
for form in ',"digest_form":3' ''; do
	store_copy s.db f.db
	on_sqlite && sql f.db "DROP TRIGGER decisions_no_update"
	sql_forge f.db "UPDATE decisions SET detail = replace(detail, ',\"digest_form\":2', '$form')
		WHERE seq = (SELECT min(seq) FROM decisions WHERE action = 'import')"
	python3 "$DOCKET_TESTS/sh/audit_forge.py" f.db rehash
	run "$DOCKET" verify f.db
	expect_rc 1
	case $form in
	*3) expect_err "an import entry whose digest form this docket does not know" ;;
	*) expect_err "batch 1 (gold.csv): its cases differ from what entry" ;;
	esac
	store_rm f.db
done
