#!/usr/bin/env python3
"""audit_forge.py: what an attacker with the store file and the audit.h
description can do: drop the log's triggers, then re-hash the chain from
an entry on (after editing it), or append a correctly hashed entry.

  audit_forge.py STORE rehash
  audit_forge.py STORE append REVIEWER ACTION [key=value ...]
      keys: case_id, label, model_label, reason, note, detail, at (ms)
"""
import hashlib
import sqlite3
import sys

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


def untrigger(db):
    for t in ("decisions_no_update", "decisions_no_delete",
              "decisions_append_only"):
        db.execute("DROP TRIGGER IF EXISTS " + t)


def rehash(db):
    prev = "0" * 64
    rows = db.execute("SELECT " + ",".join(COLS) +
                      " FROM decisions ORDER BY seq").fetchall()
    for r in rows:
        row = dict(zip(COLS, r))
        row["prev_hash"] = prev
        h = entry_hash(row)
        db.execute("UPDATE decisions SET prev_hash = ?, hash = ? WHERE seq = ?",
                   (prev, h, row["seq"]))
        prev = h


def append(db, reviewer, action, kv):
    seq, at, prev = db.execute(
        "SELECT seq, at, hash FROM decisions ORDER BY seq DESC LIMIT 1").fetchone()
    row = dict.fromkeys(COLS)
    row.update(seq=seq + 1, at=at, reviewer=reviewer, action=action,
               prev_hash=prev)
    for k, v in kv.items():
        row[k] = int(v) if k in ("case_id", "at", "ref_seq") else v
    h = entry_hash(row)
    db.execute("INSERT INTO decisions(" + ",".join(COLS) + ", hash) VALUES (" +
               ",".join("?" * (len(COLS) + 1)) + ")",
               [row[c] for c in COLS] + [h])


def main():
    db = sqlite3.connect(sys.argv[1])
    untrigger(db)
    if sys.argv[2] == "rehash":
        rehash(db)
    else:
        kv = dict(a.split("=", 1) for a in sys.argv[5:])
        append(db, sys.argv[3], sys.argv[4], kv)
    db.commit()


main()
