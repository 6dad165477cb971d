"""text_utf8.py STORE: read every row of every table of an SQLite store
with Python's sqlite3 module, as a team's own scripts (or pandas) would:
TEXT values must decode as UTF-8. Prints each table that does not read,
with the module's message, and exits 1; prints the tables and rows read
and exits 0 when all do."""
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1])
tables = [r[0] for r in db.execute(
    "SELECT name FROM sqlite_schema WHERE type = 'table'"
    " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")]
bad = 0
rows = 0
for t in tables:
    try:
        rows += len(db.execute('SELECT * FROM "%s"' % t).fetchall())
    except sqlite3.Error as e:  # OperationalError: could not decode
        print("%s: %s" % (t, e))
        bad += 1
if bad:
    sys.exit(1)
print("%d tables, %d rows" % (len(tables), rows))
