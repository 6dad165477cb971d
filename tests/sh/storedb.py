"""storedb.rows(STORE, SQL): a query's rows (tuples) from a test's store:
the SQLite file, or under DOCKET_TEST_ENGINE=postgres the database that
tests/pg/run-sh-pg.sh maps the path to (psql, the rows as JSON so numbers
stay numbers and NULL stays None)."""
import hashlib
import json
import os
import sqlite3
import subprocess


def rows(store, sql):
    if os.environ.get("DOCKET_TEST_ENGINE") != "postgres":
        db = sqlite3.connect(store)
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()
    path = store if store.startswith("/") else os.path.join(os.getcwd(), store)
    name = "s_" + hashlib.md5(path.encode()).hexdigest()[:20]
    query = "SELECT coalesce(json_agg(t), '[]') FROM (%s) t" % sql
    env = dict(os.environ, PGOPTIONS="-c search_path=docket,pg_catalog")
    out = subprocess.run(["psql", "-qAtX", "-v", "ON_ERROR_STOP=1", "-d", name,
                          "-c", query], env=env, check=True,
                         capture_output=True, text=True).stdout
    return [tuple(r.values()) for r in json.loads(out)]


def case_dict(value, keys):
    """A case's context, probs or attributions (JSON text as stored) and its
    batch's key list for it (JSON text or None) as a dict: a case may hold
    just its values in the list's order (an array; src/casejson.c)."""
    if value is None:
        return None
    v = json.loads(value)
    if isinstance(v, list):
        return dict(zip(json.loads(keys), v))
    return v
