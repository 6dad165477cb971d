#!/usr/bin/env python3
"""sql_statements.py FILE...: every SQL statement docket prepares, for the
check that each is accepted by the engines it runs on (tests/test_sqlcheck.c).

A statement is a C string literal (adjacent literals joined, macros expanded
by the preprocessor, so the SQL is the text the engine gets) that begins
with SELECT, INSERT, UPDATE, DELETE or WITH and is not a format string or a
piece given to sbuf_* to build a longer one. Printed one per line:

    ENGINE<TAB>FILE:LINE<TAB>SQL        (newlines in the SQL as spaces)

ENGINE is "both", or the one engine the statement is written for, read from
the code around it, the markings the code already uses:
  - a variable whose name ends in _pg is PostgreSQL's; one ending in _lite
    or _sqlite, or X when X_pg exists beside it, SQLite's;
  - a literal in a branch of `COND ? A : B` or of `if (COND) ... else ...`
    where COND tests store_engine(...) against STORE_POSTGRES or
    STORE_SQLITE, or a variable named pg (`int pg = store_engine(s) ==
    STORE_POSTGRES`), belongs to that branch's engine; an `if (COND)`
    whose body ends in a return gives the rest of the block to the other
    (E && X: the true branch is E's; E || X: the false one is the other's);
  - ENGINE_ONLY below: functions reached on one engine only through a call
    made in such a branch (a reader checks each entry there).
  - in src/engine/, a file's statements are its engine's: pg*.c
    PostgreSQL's, sqlite.c and lite_*.c SQLite's.
Usage: python3 sql_statements.py src/*.c src/cli/*.c src/engine/*.c"""
import os
import re
import subprocess
import sys

# (file, function): engine. Functions whose every caller runs them on one
# engine only, from a branch this script cannot see across calls.
ENGINE_ONLY = {
    # doctor on a PostgreSQL store (called for a URI only)
    ("src/cli/cmd_doctor.c", "doctor_pg"): "postgres",
    ("src/cli/cmd_doctor.c", "doctor_pg_replaced"): "postgres",
    ("src/cli/cmd_reviewer.c", "reviewer_list_pg"): "postgres",
    # PostgreSQL's import: personal values apart, ids drawn for COPY
    ("src/import.c", "imp_insert_pii"): "postgres",
    ("src/import.c", "imp_copy"): "postgres",
    # verify: whether this role may read case_pii
    ("src/replay.c", "rp_pii_readable"): "postgres",
    # verify: whether this role may read which cases are gold checks, and
    # the batches that hold some (for a role that may not)
    ("src/replay.c", "rp_gold_readable"): "postgres",
    ("src/replay.c", "rp_gold_batches"): "postgres",
    ("src/replay.c", "rp_cases_sql_pg"): "postgres",
    # the review screen's reveal: values the database hands over
    ("src/view_queue.c", "vq_pii_values"): "postgres",
    # a decision in one server call (decide(), engine/pg_roles.c)
    ("src/queue.c", "q_decide_pg"): "postgres",
    # a re-route's chunk in one statement (json_to_recordset)
    ("src/policy.c", "policy_update_pg"): "postgres",
}

SQL_START = re.compile(r'\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\s+\S')
LITERALS = re.compile(r'(?:"(?:[^"\\\n]|\\.)*"\s*)+')
ONE_LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
# calls whose string arguments are pieces or formats, not statements
PIECE_CALLS = {"sbuf_adds", "sbuf_add", "sbuf_printf", "snprintf", "printf",
               "fprintf", "dk_fail", "strstr", "strcmp", "strncmp"}

# Arrays of one statement per engine, indexed by the engine (their
# comments say so): the engine of each element in order.
ENGINE_ARRAYS = {
    # fair_counts.c: [0] SQLite, [1] PostgreSQL, [2] PostgreSQL, a pii: field
    "fc_sql_scored": ("sqlite", "postgres", "postgres"),
    "fc_sql_touched": ("sqlite", "postgres", "postgres"),
    "fc_sql_window": ("sqlite", "postgres", "postgres"),
    "fc_sql_all": ("sqlite", "postgres", "postgres"),
    # caselist.c: [0] the reason as stored, [1] as shown; one engine's
    "cl_sql_held_lite": ("sqlite", "sqlite"),
    "cl_sql_auto_lite": ("sqlite", "sqlite"),
    "cl_sql_held_pg": ("postgres", "postgres"),
    "cl_sql_auto_pg": ("postgres", "postgres"),
}


def preprocess(path):
    """The file's own lines after the preprocessor, with their line
    numbers."""
    flags = subprocess.run(
        ["pkg-config", "--cflags", "ncursesw", "sqlite3", "libpq", "libsodium"],
        capture_output=True, text=True, check=True).stdout.split()
    cc = os.environ.get("CC", "cc")
    out = subprocess.run([cc, "-E", "-std=c11", "-D_GNU_SOURCE", "-Iinclude",
                          *flags, path], capture_output=True, text=True,
                         check=True).stdout
    lines, numbers, cur, n = [], [], None, 0
    for line in out.split("\n"):
        m = re.match(r'# (\d+) "([^"]*)"', line)
        if m:
            cur, n = m.group(2), int(m.group(1))
            continue
        if cur == path:
            lines.append(line)
            numbers.append(n)
        n += 1
    return "\n".join(lines), numbers


def unescape(s):
    return re.sub(r'\\(.)', lambda m: {"n": " ", "t": " "}.get(m.group(1), m.group(1)), s)


def branches(cond):
    """The engines of a condition's true and false branches (None: both):
    an engine test E alone gives (E, the other); E && X gives (E, None),
    E || X (None, the other)."""
    e = cond_engine(cond)
    o = {"postgres": "sqlite", "sqlite": "postgres"}.get(e)
    if "&&" in cond and "||" in cond:
        return None, None
    if "&&" in cond:
        return e, None
    if "||" in cond:
        return None, o
    return e, o


def cond_engine(cond):
    """The engine an engine test in a condition selects when true, or
    None."""
    c = re.sub(r'\s+', ' ', cond)
    if re.search(r'!= ?STORE_POSTGRES|== ?STORE_SQLITE|(^|[^\w])!\s*pg\b', c):
        return "sqlite"
    if re.search(r'== ?STORE_POSTGRES|!= ?STORE_SQLITE|(^|[^\w.>])pg\b', c):
        return "postgres"
    return None


def skip_literal(text, i):
    """Index just past the string or char literal starting at i."""
    q = text[i]
    i += 1
    while i < len(text) and text[i] != q:
        i += 2 if text[i] == "\\" else 1
    return i + 1


def matching(text, i, open_c, close_c):
    """Index of the bracket closing the one at i."""
    depth = 0
    while i < len(text):
        c = text[i]
        if c in "\"'":
            i = skip_literal(text, i)
            continue
        if c == open_c:
            depth += 1
        elif c == close_c:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len(text)


def statement_end(text, i):
    """Index of the `;` ending the statement starting at i (its blocks and
    parentheses skipped)."""
    while i < len(text):
        c = text[i]
        if c in "\"'":
            i = skip_literal(text, i)
            continue
        if c == "(":
            i = matching(text, i, "(", ")")
        elif c == "{":
            return matching(text, i, "{", "}")
        elif c == ";":
            return i
        i += 1
    return len(text)


def regions(text):
    """(start, end, engine) spans of code that runs on one engine only."""
    spans = []
    for m in re.finditer(r'\b(if)\s*\(', text):
        open_i = m.end() - 1
        close_i = matching(text, open_i, "(", ")")
        e, o = branches(text[open_i + 1:close_i])
        if not e and not o:
            continue
        j = close_i + 1
        while j < len(text) and text[j].isspace():
            j += 1
        end = statement_end(text, j)
        if e:
            spans.append((j, end + 1, e))
        body = text[j:end + 1].strip()
        # (a body that ends in a return or goto never falls through)
        ends_out = re.search(r'(^|[;{}])\s*(return|goto)\b[^;]*;\s*\}?$', body)
        k = end + 1
        while k < len(text) and text[k].isspace():
            k += 1
        if text.startswith("else", k):
            k2 = k + 4
            while k2 < len(text) and text[k2].isspace():
                k2 += 1
            if o:
                spans.append((k2, statement_end(text, k2) + 1, o))
        elif ends_out and o:
            # the rest of the enclosing block is the other engine's
            depth, r = 0, end + 1
            while r < len(text):
                c = text[r]
                if c in "\"'":
                    r = skip_literal(text, r)
                    continue
                if c == "{":
                    depth += 1
                elif c == "}":
                    if depth == 0:
                        break
                    depth -= 1
                r += 1
            spans.append((end + 1, r, o))
    return spans


def ternary_engine(text, i):
    """The engine of a literal at i that is a branch of `COND ? A : B`
    with an engine test for COND, or None."""
    depth, j, colon = 0, i - 1, False
    while j >= 0:
        c = text[j]
        if c in ")]":
            depth += 1
        elif c in "([":
            if depth == 0:
                return None
            depth -= 1
        elif depth == 0 and c in ";{}":
            return None
        elif depth == 0 and c == ":":
            colon = True
        elif depth == 0 and c == "?":
            k, d2 = j - 1, 0
            while k >= 0:
                c2 = text[k]
                if c2 in ")]":
                    d2 += 1
                elif c2 in "([":
                    if d2 == 0:
                        break
                    d2 -= 1
                elif d2 == 0 and (c2 in ",;{}" or text.startswith("return", k) or
                                  (c2 == "=" and text[k - 1] not in "=!<>" and
                                   text[k + 1] != "=")):
                    break
                k -= 1
            e, o = branches(text[k + 1:j])
            return o if colon else e
        j -= 1
    return None


def enclosing_call(text, i):
    """The name of the function called with the literal at i among its
    arguments, or None."""
    depth, j = 0, i - 1
    while j >= 0:
        c = text[j]
        if c == ")":
            depth += 1
        elif c == "(":
            if depth == 0:
                m = re.search(r'(\w+)\s*$', text[max(0, j - 60):j])
                return m.group(1) if m else None
            depth -= 1
        elif c in ";{}" and depth == 0:
            return None
        j -= 1
    return None


def array_engine(text, i):
    """The engine of a literal that is an element of an ENGINE_ARRAYS
    array: its place among the array's elements."""
    j = text.rfind("{", 0, i)
    m = re.search(r'\b(\w+)\s*\[[^\]]*\]\s*=\s*$', text[max(0, j - 120):j])
    if not m or m.group(1) not in ENGINE_ARRAYS:
        return None
    # count the elements before i: commas at depth 0, outside literals
    n, depth, k = 0, 0, j + 1
    while k < i:
        c = text[k]
        if c in "\"'":
            k = skip_literal(text, k)
            continue
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "," and depth == 0:
            n += 1
        k += 1
    return ENGINE_ARRAYS[m.group(1)][n]


def name_engine(text, i, names):
    """The engine of a literal initialising a variable named for one."""
    m = re.search(r'\b(\w+)\s*\[\s*\]\s*=\s*$|\b(\w+)\s*=\s*$', text[max(0, i - 200):i])
    if not m:
        return None
    name = m.group(1) or m.group(2)
    if name.endswith("_pg"):
        return "postgres"
    if name.endswith("_lite") or name.endswith("_sqlite") or name + "_pg" in names:
        return "sqlite"
    return None


def function_at(text, i):
    """The name of the function whose body holds i (a definition at the
    file's top level), or None."""
    best = None
    for m in re.finditer(r'^\w[\w \*]*?\b(\w+)\s*\([^;{]*\)\s*\{', text[:i], re.M):
        best = (m.group(1), m.end() - 1)
    if best and matching(text, best[1], "{", "}") > i:
        return best[0]
    return None


def main():
    for path in sys.argv[1:]:
        text, numbers = preprocess(path)
        names = set(re.findall(r'\b(\w+)\s*\[\s*\]\s*=', text))
        spans = regions(text)
        line_starts = [0]
        for k, ch in enumerate(text):
            if ch == "\n":
                line_starts.append(k + 1)
        for m in LITERALS.finditer(text):
            sql = unescape("".join(ONE_LITERAL.findall(m.group(0))))
            if not SQL_START.match(sql) or re.search(r'%[-0-9.]*[sdilu]', sql):
                continue
            if enclosing_call(text, m.start()) in PIECE_CALLS:
                continue
            e = (ternary_engine(text, m.start()) or array_engine(text, m.start()) or
                 name_engine(text, m.start(), names))
            if not e:
                inner = [s for s in spans if s[0] <= m.start() < s[1]]
                if inner:
                    e = max(inner, key=lambda s: s[0])[2]
            if not e:
                e = ENGINE_ONLY.get((path, function_at(text, m.start())))
            if path.startswith("src/engine/"):
                base = os.path.basename(path)
                e = "postgres" if base.startswith("pg") else "sqlite"
            line = numbers[sum(1 for s in line_starts if s <= m.start()) - 1]
            print("%s\t%s:%d\t%s" % (e or "both", path, line,
                                     re.sub(r'\s+', ' ', sql).strip()))


main()
