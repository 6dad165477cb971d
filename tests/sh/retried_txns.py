"""retried_txns.py FILE...: the functions that begin a write transaction
and are not run again when the server picks them as a deadlock's victim
(store_retry), one line each.

PostgreSQL picks the victim among the transactions of a cycle, and a
cycle may hold any session: claims and decisions lock cases, leases and
the chain lock without the store's writer lock, and sessions outside
docket lock what they like. A victim was rolled back whole: so every
write transaction whose re-run is safe (nothing sent to the user or
written to a file before its commit, or the file already in place being
the one it records) is run again.

A function that begins a write transaction (store_begin_write*,
store_begin_bulk, or q_begin_decision) must be a *_once function whose
only caller loops on store_retry, or be named below with the reason it
needs no loop. A call to one outside any function it can read is
reported too, so a new form of definition cannot hide one."""
import re
import sys

# name: why a failure there needs no second run
EXEMPT = {
    # queue.c: writer-lock transactions on reviewers and settings, no
    # case rows
    "queue_reviewer_add", "queue_reviewer_set_role", "queue_set_auto_add",
    "queue_set_reasons",
    # queue.c: best effort: a lease left behind expires
    "queue_release_case",
    # queue.c: a victim falls back to the long way, which is retried
    "q_decide_fast_pg",
    # queue.c: the helper that begins the transaction for its callers
    "q_begin_decision",
    # fair_counts.c: best effort, failure silent: the counts not kept are
    # counted again by the next look
    "faircount_save",
    # import.c: its input is read once as it streams (stdin may be a
    # pipe): it cannot run again; a victim rolls back whole and says so,
    # nothing imported
    "import_stream",
    # migrate.c: the destination must be empty (check_empty): no claim or
    # decision has a row to lock there before the copy commits
    "migrate_copy",
    # engine/sqlite.c: SQLite's writers wait their turn; store_retry never
    # retries there
    "lite_migrate",
}

FUNC = re.compile(r"^(?:static )?(?:const )?(?:struct \w+ |enum \w+ |unsigned )?"
                  r"\w+[ *]+(\w+)\(([^;{]*?)\)\n\{\n(.*?)^\}\n",
                  re.S | re.M)
BEGINS = re.compile(r"\b(store_begin_write\w*|store_begin_bulk|q_begin_decision)\(")
# a call is indented; a definition's name starts its line
CALL = re.compile(r"^[ \t].*?\b(?:store_begin_write\w*|store_begin_bulk|"
                  r"q_begin_decision)\(", re.M)


def uncomment(text):
    """text with its /* */ comments blanked, its lines kept"""
    return re.sub(r"/\*.*?\*/",
                  lambda m: re.sub(r"[^\n]", " ", m.group(0)), text,
                  flags=re.S)


def main(paths):
    bad = []
    for path in paths:
        text = uncomment(open(path, encoding="utf-8").read())
        funcs = {m.group(1): m.group(3) for m in FUNC.finditer(text)}
        seen = sum(len(CALL.findall(b)) for b in funcs.values())
        if seen != len(CALL.findall(text)):
            bad.append(f"{path}: a write transaction begins outside a "
                       "function this check reads")
        for name, body in funcs.items():
            if not BEGINS.search(body) or name in EXEMPT:
                continue
            if not name.endswith("_once"):
                bad.append(f"{path}: {name} begins a write transaction "
                           "outside a store_retry loop")
                continue
            callers = [n for n, b in funcs.items()
                       if re.search(r"\b%s\(" % name, b)]
            if len(callers) != 1 or "store_retry(" not in funcs[callers[0]]:
                bad.append(f"{path}: {name} is not run by exactly one caller "
                           "looping on store_retry")
    print("\n".join(bad))


main(sys.argv[1:])
