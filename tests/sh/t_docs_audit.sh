# The README's description of an audit entry's canonical encoding is
# enough to recompute every hash: this test reads the decisions table
# (Python, through storedb.py) and builds each entry's encoding exactly as the
# README's "Audit chain" paragraph says (nothing from src/audit.c), over a
# store with every kind of field: NULLs, notes in UTF-8, seconds, an undo's
# ref_seq, a reveal-free export with JSON detail.
. "$DOCKET_TESTS/sh/lib.sh"

printf 'id,prediction,p:yes,p:no\nr1,yes,0.6,0.4\nr2,no,0.3,0.7\nr3,yes,0.55,0.45\n' >p.csv
run "$DOCKET" import s.db p.csv --model m1
expect_rc 0
run "$DOCKET" reviewer add s.db ann
expect_rc 0
claim() { "$DOCKET" next s.db --reviewer ann | sed 's/^{"id":"\([^"]*\)".*/\1/'; }
id=$(claim)
"$DOCKET" decide s.db "$id" --reviewer ann --action accept --seconds 4 >/dev/null
"$DOCKET" decide s.db "$id" --reviewer ann --action undo >/dev/null
"$DOCKET" decide s.db "$id" --reviewer ann --action override --label no \
	--note "naïve café — 改" --seconds 0.1 >/dev/null
id=$(claim)
"$DOCKET" decide s.db "$id" --reviewer ann --action escalate --reason needs-expert \
	--seconds 2.5 >/dev/null
"$DOCKET" decide s.db "$id" --action resolve --label yes >/dev/null
"$DOCKET" export s.db --out out.csv >/dev/null
[ "$(sql s.db "SELECT count(*) FROM decisions")" -ge 6 ] || fail "too few entries"
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE seconds IS NULL")" -ge 1 ] || fail "no NULL seconds"
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE ref_seq IS NOT NULL")" -ge 1 ] || fail "no ref_seq"
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE case_id IS NULL")" -ge 1 ] || fail "no store-level entry"

python3 - s.db <<'PY' || fail "the README's encoding does not give the stored hashes"
import hashlib, os, struct, sys
sys.path.insert(0, os.environ["DOCKET_TESTS"] + "/sh")
import storedb

FIELDS = ['seq', 'at', 'reviewer', 'case_id', 'action', 'model_label', 'label',
          'reason', 'note', 'seconds', 'ref_seq', 'detail', 'prev_hash']

def field(v):
    # an 8-byte big-endian byte count and the bytes; NULL: all ones, no bytes
    if v is None:
        return b'\xff' * 8
    if isinstance(v, bool):
        raise TypeError(v)
    if isinstance(v, int):
        b = str(v).encode()            # integers: decimal text
    elif isinstance(v, float):
        b = ('%.17g' % v).encode()     # seconds: C's %.17g
    else:
        b = v.encode('utf-8')          # text: its UTF-8 bytes
    return struct.pack('>Q', len(b)) + b

rows = storedb.rows(sys.argv[1], 'SELECT %s, hash FROM decisions ORDER BY seq' % ', '.join(FIELDS))
prev = '0' * 64
bad = 0
for r in rows:
    d = dict(zip(FIELDS + ['hash'], r))
    enc = field('docket-audit-v1') + b''.join(field(d[f]) for f in FIELDS)
    h = hashlib.sha256(enc).hexdigest()
    if d['prev_hash'] != prev:
        print('entry %d: prev_hash is not the previous hash' % d['seq'], file=sys.stderr)
        bad += 1
    if h != d['hash']:
        print('entry %d: README encoding gives %s, stored %s' % (d['seq'], h, d['hash']),
              file=sys.stderr)
        bad += 1
    prev = d['hash']
print('%d entries recomputed' % len(rows))
sys.exit(1 if bad or not rows else 0)
PY
