"""Statements whose failure would read as "no row" (t_code_rules).

After `if (... db_step(V) == DB_ROW ...` or `while (... db_step(V) == DB_ROW`,
the store_done(V) that ends the statement must be checked (store_done
returns the step's error): a bare `store_done(V);` means a failed read was
taken for an empty result -- a default, zero, "none", a shorter list. A
site where that is right says why in a comment containing "failed read
shows" on one of the three lines above the step (e.g. JSON taken apart in
memory, a screen's hint). Prints one line per offending site.
Usage: python3 unchecked_steps.py FILE..."""
import re
import sys

STEP = re.compile(r'(?:if|while) \(.*?\bdb_step\(([A-Za-z_>.-]+)\) == DB_ROW[) ]')

for path in sys.argv[1:]:
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    pending = {}
    for i, line in enumerate(lines):
        m = STEP.search(line)
        if m:
            if 'failed read shows' not in ' '.join(lines[max(0, i - 3):i + 1]):
                pending[m.group(1)] = i + 1
            continue
        for var in list(pending):
            if re.match(r'\s*store_done\(%s\);\s*$' % re.escape(var), line):
                print(f"{path}:{pending[var]}: the failure of this step reads "
                      f"as no row (store_done({var}) unchecked at line {i + 1})")
                del pending[var]
            elif f'store_done({var})' in line:
                del pending[var]
