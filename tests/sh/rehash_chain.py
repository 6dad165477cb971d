#!/usr/bin/env python3
"""rehash_chain.py STORE: what an attacker with the file does after editing
the log: recompute every entry's prev_hash and hash in seq order (the
canonical encoding of include/docket/audit.h), so the chain is consistent
again. The tests use it to show what only anchors (or --expect-head) catch.
Run with the triggers dropped (on PostgreSQL: written with them off)."""
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import storedb  # noqa: E402

FIELDS = ["seq", "at", "reviewer", "case_id", "action", "model_label", "label",
          "reason", "note", "seconds", "ref_seq", "detail"]


def enc(v):
    if v is None:
        return b"\xff" * 8
    if isinstance(v, float):
        v = "%.17g" % v
    b = str(v).encode() if not isinstance(v, bytes) else v
    return len(b).to_bytes(8, "big") + b


def main():
    prev = "0" * 64
    rows = storedb.rows(sys.argv[1], "SELECT %s FROM decisions ORDER BY seq"
                        % ",".join(FIELDS))
    updates = []
    for r in rows:
        data = enc("docket-audit-v1") + b"".join(enc(v) for v in r) + enc(prev)
        h = hashlib.sha256(data).hexdigest()
        updates.append(("UPDATE decisions SET prev_hash = ?, hash = ? WHERE seq = ?",
                        (prev, h, r[0])))
        prev = h
    storedb.forge(sys.argv[1], updates)


main()
