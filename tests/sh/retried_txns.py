"""retried_txns.py FILE...: the functions that begin a write transaction
and are not run again when the server picks them as a deadlock's victim
(store_retry), one line each. For queue.c: its claims and decisions are
the transactions many reviewers run at once, locking cases and leases
without the store's writer lock, with sessions outside docket too.

A function there that begins a write transaction (store_begin_write*, or
q_begin_decision) must be a *_once function whose only caller loops on
store_retry, or be named below with the reason it needs no loop."""
import re
import sys

# name: why a failure there needs no second run
EXEMPT = {
    # writer-lock transactions on reviewers and settings: no case rows
    "queue_reviewer_add", "queue_reviewer_set_role", "queue_set_auto_add",
    "queue_set_reasons",
    # best effort: a lease left behind expires
    "queue_release_case",
    # a victim falls back to the long way, which is retried
    "q_decide_fast_pg",
    # the helper that begins the transaction for its callers
    "q_begin_decision",
}

FUNC = re.compile(r"^(?:static )?int\s+(\w+)\((.*?)\)\n\{\n(.*?)^\}\n",
                  re.S | re.M)
BEGINS = re.compile(r"\b(store_begin_write\w*|q_begin_decision)\(")


def main(paths):
    bad = []
    for path in paths:
        text = open(path, encoding="utf-8").read()
        funcs = {m.group(1): m.group(3) for m in FUNC.finditer(text)}
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
