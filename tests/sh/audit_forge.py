#!/usr/bin/env python3
"""audit_forge.py: what an attacker with the store file and the audit.h
description can do (on PostgreSQL: the schema's owner, with psql): get
past the log's triggers, then re-hash the chain from an entry on (after
editing it), or append a correctly hashed entry.

  audit_forge.py STORE rehash
  audit_forge.py STORE append REVIEWER ACTION [key=value ...]
      keys: case_id, label, model_label, reason, note, detail, at (ms)
"""
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import storedb  # noqa: E402

COLS = ["seq", "at", "reviewer", "case_id", "action", "model_label", "label",
        "reason", "note", "seconds", "ref_seq", "detail", "prev_hash"]


def field(v):
    if v is None:
        return b"\xff" * 8
    if isinstance(v, float):
        v = "%.17g" % v
    if isinstance(v, int):
        v = str(v)
    b = v.encode()
    return len(b).to_bytes(8, "big") + b


def entry_hash(row):
    enc = field("docket-audit-v1") + b"".join(field(row[c]) for c in COLS)
    return hashlib.sha256(enc).hexdigest()


def untrigger():
    """The triggers dropped (SQLite; on PostgreSQL storedb.forge writes
    with them off)."""
    if os.environ.get("DOCKET_TEST_ENGINE") == "postgres":
        return []
    return [("DROP TRIGGER IF EXISTS " + t, ())
            for t in ("decisions_no_update", "decisions_no_delete",
                      "decisions_append_only")]


def rehash(store):
    prev = "0" * 64
    rows = storedb.rows(store, "SELECT " + ",".join(COLS) +
                        " FROM decisions ORDER BY seq")
    out = []
    for r in rows:
        row = dict(zip(COLS, r))
        row["prev_hash"] = prev
        h = entry_hash(row)
        out.append(("UPDATE decisions SET prev_hash = ?, hash = ? WHERE seq = ?",
                    (prev, h, row["seq"])))
        prev = h
    return out


def append(store, reviewer, action, kv):
    seq, at, prev = storedb.rows(
        store, "SELECT seq, at, hash FROM decisions ORDER BY seq DESC LIMIT 1")[0]
    row = dict.fromkeys(COLS)
    row.update(seq=seq + 1, at=at, reviewer=reviewer, action=action,
               prev_hash=prev)
    for k, v in kv.items():
        row[k] = int(v) if k in ("case_id", "at", "ref_seq") else v
    h = entry_hash(row)
    return [("INSERT INTO decisions(" + ",".join(COLS) + ", hash) VALUES (" +
             ",".join("?" * (len(COLS) + 1)) + ")",
             [row[c] for c in COLS] + [h])]


def main():
    store = sys.argv[1]
    if sys.argv[2] == "rehash":
        writes = rehash(store)
    else:
        kv = dict(a.split("=", 1) for a in sys.argv[5:])
        writes = append(store, sys.argv[3], sys.argv[4], kv)
    storedb.forge(store, untrigger() + writes)


main()
