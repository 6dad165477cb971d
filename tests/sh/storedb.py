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


def forge(store, statements):
    """Run statements ([(sql, params)], ? placeholders) in one transaction
    as the store's owner could, past docket: on SQLite with its triggers
    already dropped by the caller; on PostgreSQL as its superuser with the
    triggers off (session_replication_role, as lib.sh's sql_forge)."""
    if os.environ.get("DOCKET_TEST_ENGINE") != "postgres":
        db = sqlite3.connect(store)
        try:
            for sql, params in statements:
                db.execute(sql, params)
            db.commit()
        finally:
            db.close()
        return
    def lit(v):
        if v is None:
            return "NULL"
        if isinstance(v, (int, float)):
            return repr(v)
        return "'" + str(v).replace("'", "''") + "'"
    script = ["BEGIN;"]
    for sql, params in statements:
        parts = sql.split("?")
        assert len(parts) == len(params) + 1, sql
        script.append(parts[0] + "".join(lit(v) + p for v, p in zip(params, parts[1:])) + ";")
    script.append("COMMIT;")
    path = store if store.startswith("/") else os.path.join(os.getcwd(), store)
    name = "s_" + hashlib.md5(path.encode()).hexdigest()[:20]
    env = dict(os.environ, PGOPTIONS="-c search_path=docket,pg_catalog"
               " -c session_replication_role=replica")
    subprocess.run(["psql", "-qAtX", "-v", "ON_ERROR_STOP=1", "-d", name, "-f", "-"],
                   env=env, check=True, input="\n".join(script), text=True,
                   capture_output=True)


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
