#!/usr/bin/env python3
"""check-tools.py: every external command the project's scripts run is
installed by tools/ensure-deps.sh for the target that runs it.

A fresh Debian (debootstrap --variant=minbase) has only the packages of
priority "required"; anything else a script calls must be in the
ensure-deps.sh list of the target that runs the script (build, test, ci,
bench), or the script fails there with "CMD: not found" (procps' pgrep
did, in t_review_sighup.sh).

How: find the words in command position in each script below (and in the
Makefile's recipes), leaving out shell builtins and keywords, functions
the scripts define, and paths into the project; look each one up in TOOLS
(command -> Debian package); and check that the package is in the
target's list (`tools/ensure-deps.sh --list TARGET`) or of priority
required. A command missing from TOOLS is an error too (add it with its
package). Where the command is installed here, TOOLS must agree with
`dpkg -S` (the package owning it, or a package that one depends on).

Usage: tests/check-tools.py [--self-test]; prints one line per problem,
exits 1 if any.
"""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# What runs each script, and so which ensure-deps.sh list must hold its
# tools ("base": runs before any package is installed).
SCOPES = [
    ("tools/ensure-deps.sh", "base"),
    (".ci/run", "ci"),
    ("tests/run-sh.sh", "test"),
    ("tests/run-tests.sh", "test"),
    ("tests/sh/*.sh", "test"),
    ("tests/torture/*.sh", "test"),
    ("fuzz/run.sh", "ci"),
    ("bench/*.sh", "bench"),
]

# Makefile rules: the list a rule's recipe needs is the one of the deps*
# rule among its prerequisites (followed through other rules); these are
# the deps rules and their lists.
DEPS_RULES = {"deps": "build", "deps-test": "test", "deps-ci": "ci",
              "deps-bench": "bench"}

# command -> the Debian package that provides it.
TOOLS = {
    # priority required (every Debian has them)
    "awk": "mawk", "basename": "coreutils", "bash": "bash",
    "cat": "coreutils", "chmod": "coreutils", "cksum": "coreutils",
    "cmp": "diffutils", "cp": "coreutils", "cut": "coreutils",
    "date": "coreutils", "dd": "coreutils", "df": "coreutils",
    "diff": "diffutils", "dirname": "coreutils", "dpkg": "dpkg",
    "dpkg-query": "dpkg", "du": "coreutils", "env": "coreutils",
    "expr": "coreutils", "fallocate": "util-linux", "find": "findutils",
    "grep": "grep", "gzip": "gzip", "head": "coreutils", "id": "coreutils",
    "install": "coreutils", "ln": "coreutils", "ls": "coreutils",
    "mkdir": "coreutils", "mkfifo": "coreutils", "mktemp": "coreutils",
    "mount": "mount", "mv": "coreutils", "nice": "coreutils",
    "nohup": "coreutils", "nproc": "coreutils", "od": "coreutils",
    "paste": "coreutils", "printf": "coreutils", "readlink": "coreutils",
    "realpath": "coreutils", "rm": "coreutils", "rmdir": "coreutils",
    "sed": "sed", "seq": "coreutils", "setsid": "util-linux",
    "sh": "dash", "sha256sum": "coreutils", "shuf": "coreutils",
    "sleep": "coreutils", "sort": "coreutils", "split": "coreutils",
    "stat": "coreutils", "stty": "coreutils", "sync": "coreutils",
    "tail": "coreutils", "tar": "tar", "tee": "coreutils",
    "timeout": "coreutils", "touch": "coreutils", "tr": "coreutils",
    "truncate": "coreutils", "umount": "mount", "uname": "coreutils",
    "uniq": "coreutils", "unshare": "util-linux", "wc": "coreutils",
    "which": "debianutils", "xargs": "findutils", "yes": "coreutils",
    "apt-get": "apt", "tput": "ncurses-bin", "hostname": "hostname",
    "getconf": "libc-bin", "tac": "coreutils", "comm": "coreutils",
    "fold": "coreutils", "md5sum": "coreutils", "tty": "coreutils",
    "chown": "coreutils", "whoami": "coreutils", "sum": "coreutils",
    "kill": "procps", "ps": "procps", "pgrep": "procps", "pkill": "procps",
    "free": "procps", "uptime": "procps", "vmstat": "procps",
    "top": "procps", "flock": "util-linux", "lscpu": "util-linux",
    "ldd": "libc-bin", "script": "bsdutils", "getent": "libc-bin",
    "chgrp": "coreutils", "su": "util-linux", "runuser": "util-linux",
    "setpriv": "util-linux", "groups": "coreutils",
    # build
    "make": "make", "cc": "gcc", "gcc": "gcc", "ar": "binutils",
    "pkg-config": "pkg-config", "git": "git",
    # test
    "sqlite3": "sqlite3", "tmux": "tmux", "python3": "python3",
    "chromium": "chromium", "pdfinfo": "poppler-utils", "pdftotext": "poppler-utils",
    "valgrind": "valgrind", "useradd": "passwd", "userdel": "passwd",
    "groupadd": "passwd", "groupdel": "passwd", "usermod": "passwd",
    "gpasswd": "passwd",
    "psql": "postgresql-client-common", "pg_ctl": "postgresql", "initdb": "postgresql",
    "pg_dump": "postgresql", "createdb": "postgresql", "createuser": "postgresql",
    # ci
    "clang": "clang",
    # bench
    "hyperfine": "hyperfine", "bc": "bc", "time": "time",
}

# Shell builtins and reserved words of dash and bash (never a package).
BUILTINS = set("""
. : [ [[ ]] alias bg break builtin cd command continue declare echo eval
exec exit export false fc fg getopts hash jobs kill let local printf pwd read
readonly return set shift source test times trap true type typeset ulimit
umask unalias unset wait
""".split())
KEYWORDS = set("if then else elif fi do done while until for in case esac "
               "function { } ! time select".split())
# Commands whose arguments hold another command, and their options that
# take a value.
WRAPPERS = {
    "env": {"-u", "--unset", "-C", "--chdir", "-S"},
    "nice": {"-n", "--adjustment"},
    "timeout": {"-s", "--signal", "-k", "--kill-after"},
    "exec": {"-a"}, "command": set(), "nohup": set(), "setsid": set(),
    "time": {"-f", "--format", "-o", "--output"},
    "xargs": {"-n", "-P", "-I", "-L", "-s", "-d", "-E", "-a"},
    "stdbuf": {"-i", "-o", "-e"},
    "valgrind": set(),
}
# Commands whose -c argument is a shell script.
SHELLS = {"sh", "bash", "dash"}
OPS = ("&&", "||", ";;", ";&", "|&", ";", "&", "|", "(", ")")


def _balanced(s, i, open_c, close_c):
    """The index just past the close_c matching s[i] == open_c."""
    depth = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "'" and open_c == "(":
            j = s.find("'", i + 1)
            i = len(s) if j < 0 else j + 1
            continue
        if c == '"':
            i = _dquote_end(s, i)
            continue
        if c == open_c:
            depth += 1
        elif c == close_c:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(s)


def _dquote_end(s, i):
    """The index just past the double-quoted string starting at s[i]."""
    i += 1
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == '"':
            return i + 1
        if c == "$" and s.startswith("$(", i):
            i = _balanced(s, i + 1, "(", ")")
            continue
        if c == "`":
            j = s.find("`", i + 1)
            i = len(s) if j < 0 else j + 1
            continue
        i += 1
    return len(s)


class Word:
    def __init__(self, text, literal, line):
        self.text, self.literal, self.line = text, literal, line


def lex(src, line0=1):
    """Tokens of a shell script: Word, operator strings, "\\n"; and the
    command substitutions found inside words as (text, line) to scan."""
    toks, subs = [], []
    i, n, line = 0, len(src), line0
    heredocs = []
    cur, literal, start_line = None, True, line

    def end_word():
        nonlocal cur, literal
        if cur is not None:
            toks.append(Word(cur, literal, start_line))
        cur, literal = None, True

    while i < n:
        c = src[i]
        if c == "\\" and i + 1 < n and src[i + 1] == "\n":
            i += 2
            line += 1
            continue
        if c == "\n":
            end_word()
            toks.append("\n")
            i += 1
            line += 1
            for delim, strip in heredocs:  # skip the bodies
                while i < n:
                    j = src.find("\n", i)
                    j = n if j < 0 else j
                    body = src[i:j]
                    i = j + 1
                    line += 1
                    if (body.lstrip("\t") if strip else body) == delim:
                        break
            heredocs = []
            continue
        if c in " \t":
            end_word()
            i += 1
            continue
        if c == "#" and cur is None:
            j = src.find("\n", i)
            i = n if j < 0 else j
            continue
        if c in "<>":
            # a redirection: digits before it are an fd; after it comes
            # a file name (or &N), never a command
            if cur is not None and cur.isdigit():
                cur = None
            end_word()
            m = re.match(r"<<<|<<-?|<>|>>|>\||[<>]&?|&>>?", src[i:])
            op = m.group(0)
            i += len(op)
            if op.startswith("<<") and op != "<<<":
                m2 = re.match(r"\s*(['\"]?)([^\s'\";|&<>()]+)\1", src[i:])
                if m2:
                    heredocs.append((m2.group(2), op == "<<-"))
                    i += len(m2.group(0))
                continue
            m2 = re.match(r"\s*(\d+|-)(?![^\s;|&<>()])", src[i:]) \
                if op.endswith("&") else None
            if m2:
                i += len(m2.group(0))
                continue
            toks.append("REDIR")
            continue
        if c == "&" and src.startswith("&>", i):
            end_word()
            i += 2 + (src.startswith(">", i + 2))
            toks.append("REDIR")
            continue
        if cur is None and c in ";&|()":
            for op in OPS:
                if src.startswith(op, i):
                    toks.append(op)
                    i += len(op)
                    break
            continue
        if c in ";&|()":  # ends the word; the operator comes next
            end_word()
            continue
        # part of a word
        if cur is None:
            cur, start_line = "", line
        if c == "'":
            j = src.find("'", i + 1)
            j = n if j < 0 else j
            cur += src[i + 1:j]
            line += src.count("\n", i, j)
            i = j + 1
            continue
        if c == '"':
            j = _dquote_end(src, i)
            inner = src[i + 1:j - 1]
            for m in re.finditer(r"\$\(", inner):
                if not inner.startswith("$((", m.start()):
                    e = _balanced(inner, m.start() + 1, "(", ")")
                    subs.append((inner[m.start() + 2:e - 1],
                                 line + inner.count("\n", 0, m.start())))
            if "$" in inner or "`" in inner:
                literal = False
            cur += inner
            line += src.count("\n", i, j)
            i = j
            continue
        if c == "$":
            literal = False
            if src.startswith("$((", i):
                j = _balanced(src, i + 1, "(", ")")
            elif src.startswith("$(", i):
                j = _balanced(src, i + 1, "(", ")")
                subs.append((src[i + 2:j - 1], line))
            elif src.startswith("${", i):
                j = _balanced(src, i + 1, "{", "}")
            else:
                m = re.match(r"\$([A-Za-z_]\w*|.)", src[i:])
                j = i + len(m.group(0))
            cur += src[i:j]
            line += src.count("\n", i, j)
            i = j
            continue
        if c == "`":
            j = src.find("`", i + 1)
            j = n if j < 0 else j
            subs.append((src[i + 1:j], line))
            literal = False
            cur += src[i:j + 1]
            i = j + 1
            continue
        if c == "\\":
            cur += src[i + 1:i + 2]
            i += 2
            continue
        cur += c
        i += 1
    end_word()
    return toks, subs


def scan(src, line0=1):
    """(commands, functions, assignments): the words in command position
    as (name, line), literal or a lone "$VAR"; the names of the functions
    defined; {VAR: first words of the values assigned to it}."""
    toks, subs = lex(src, line0)
    cmds, funcs, assigns = [], set(), {}
    cmd_pos = True
    after_cmd = None      # the command whose arguments follow
    wrap_skip = False     # the next word is a wrapper option's value
    case_stack = []       # True while reading case patterns
    for_words = False     # in `for x in ...`: words are not commands
    expect_case_word = False
    k = 0
    while k < len(toks):
        t = toks[k]
        if t == "REDIR":
            k += 2  # the file name
            continue
        if isinstance(t, str):
            for_words = False
            if t in (";;", ";&") and case_stack:
                case_stack[-1] = True
            elif t == ")" and case_stack and case_stack[-1]:
                case_stack[-1] = False
            elif t == "|" and case_stack and case_stack[-1]:
                pass
            cmd_pos, after_cmd, wrap_skip = True, None, False
            k += 1
            continue
        w = t.text
        if case_stack and case_stack[-1]:
            if w == "esac":
                case_stack.pop()
                cmd_pos = False
            k += 1
            continue
        if expect_case_word:
            expect_case_word = False
            k += 1
            if k < len(toks) and isinstance(toks[k], Word) and toks[k].text == "in":
                case_stack.append(True)
                k += 1
            continue
        if for_words:
            k += 1
            continue
        if after_cmd is not None:
            name = after_cmd
            if name in SHELLS and w == "-c" and k + 1 < len(toks) \
                    and isinstance(toks[k + 1], Word):
                c2, f2, a2 = scan(toks[k + 1].text, toks[k + 1].line)
                cmds += c2
                funcs |= f2
                merge(assigns, a2)
                after_cmd = None
                k += 2
                continue
            if name in WRAPPERS:
                if wrap_skip:
                    wrap_skip = False
                elif w.startswith("-"):
                    wrap_skip = w in WRAPPERS[name]
                elif name == "env" and re.match(r"[A-Za-z_]\w*=", w):
                    pass
                elif name == "timeout" and re.match(r"[\d.]+[smhd]?$", w):
                    pass
                else:
                    after_cmd = None
                    cmd_pos = True
                    continue  # w is the wrapped command
            k += 1
            continue
        if not cmd_pos:
            k += 1
            continue
        # command position
        m = re.match(r"([A-Za-z_]\w*)\+?=(.*)", w, re.S)
        if m:
            # an assignment; a command kept in a variable (T="tmux -L x",
            # run as $T) is looked up where the variable is run
            first = m.group(2).split()
            if first:
                assigns.setdefault(m.group(1), set()).add(first[0])
            k += 1
            continue
        if w in KEYWORDS and t.literal:
            if w == "case":
                expect_case_word = True
            elif w in ("for", "select"):
                for_words = True
            elif w == "function" and k + 1 < len(toks):
                funcs.add(toks[k + 1].text)
                k += 1
            elif w == "esac" and case_stack:
                case_stack.pop()
            k += 1
            continue
        if k + 2 < len(toks) and toks[k + 1] == "(" and toks[k + 2] == ")":
            funcs.add(w)
            k += 3
            continue
        cmd_pos = False
        m = re.fullmatch(r"\$\{?([A-Za-z_]\w*)\}?|\$\{([A-Za-z_]\w*):?-([^}]*)\}", w)
        if m:
            # $VAR, "$VAR", ${VAR:-default}
            cmds.append(("$" + (m.group(1) or m.group(2)), t.line))
            if m.group(3):
                cmds.append((m.group(3), t.line))
            after_cmd = m.group(3)
            k += 1
            continue
        if not t.literal or not w:
            k += 1
            continue
        if w.startswith("/"):
            if re.match(r"/(usr/)?s?bin/[^/]+$", w):
                w = os.path.basename(w)
            else:
                k += 1
                continue
        elif "/" in w:
            k += 1
            continue
        cmds.append((w, t.line))
        after_cmd = w
        k += 1
    for text, line in subs:
        c2, f2, a2 = scan(text, line)
        cmds += c2
        funcs |= f2
        merge(assigns, a2)
    return cmds, funcs, assigns


def merge(assigns, more):
    for var, words in more.items():
        assigns.setdefault(var, set()).update(words)


def resolve(cmds, assigns):
    """cmds with each "$VAR" replaced by the commands assigned to VAR
    (those that are names, not paths or expansions)."""
    out = []
    for c, where in cmds:
        if not c.startswith("$"):
            out.append((c, where))
            continue
        for w in sorted(assigns.get(c[1:], ())):
            if re.fullmatch(r"[A-Za-z_][\w.+-]*", w):
                out.append((w, where))
            elif re.fullmatch(r"/(usr/)?s?bin/[^/]+", w):
                out.append((os.path.basename(w), where))
    return out


def make_rules():
    """{rule: (prerequisites, [(recipe line, line number)])} from make's
    own database (-p), with variables in the prerequisites expanded."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    out = subprocess.run(["make", "-C", ROOT, "-pqR", "--no-print-directory",
                          "-f", "Makefile", "__no_such_target__"],
                         capture_output=True, text=True, env=env).stdout
    rules, cur = {}, None
    for ln in out.split("\n"):
        if ln.startswith("\t") and cur is not None:
            rules[cur][1].append(ln[1:])
            continue
        m = re.match(r"^([^\s#:=][^:=]*?):(?!=)\s*(.*)$", ln)
        if m and not ln.startswith("#"):
            names = m.group(1).split()
            prereqs = m.group(2).replace("|", " ").split()
            cur = names[0]
            for nm in names:
                rules.setdefault(nm, ([], []))[0].extend(prereqs)
            continue
        if not ln.strip() or ln.startswith("# "):
            if not ln.strip():
                cur = None
    return rules


def match_rules(rules, target):
    """The rules that apply to target: its own, and the pattern rules it
    matches (make merges their prerequisites)."""
    found = [target] if target in rules else []
    for r in rules:
        if "%" in r and r != target:
            pre, suf = r.split("%", 1)
            if target.startswith(pre) and target.endswith(suf) \
                    and len(target) >= len(pre) + len(suf):
                found.append(r)
    return found


def rule_scope(rules, name, seen=None):
    """The deps list a rule's recipe can rely on: the widest deps* rule
    among its prerequisites, followed through other rules."""
    order = ["base", "build", "test", "ci", "bench"]
    seen = seen or set()
    if name in DEPS_RULES:
        return DEPS_RULES[name]
    if name in seen:
        return "base"
    seen.add(name)
    best = "base"
    for p in rules.get(name, ([], []))[0]:
        for r in [p] if p in DEPS_RULES else match_rules(rules, p):
            s = rule_scope(rules, r, seen)
            if order.index(s) > order.index(best):
                best = s
    return best


def makefile_commands():
    """(command, "Makefile:RULE", scope) for each recipe line of the
    Makefile's own rules."""
    rules = make_rules()
    found = []
    for name, (_, recipe) in rules.items():
        if not recipe or name.startswith("."):
            continue
        scope = rule_scope(rules, name)
        text = "\n".join(recipe)
        text = re.sub(r"^[@+-]+", "", text, flags=re.M)
        text = text.replace("$(MAKE)", "make").replace("$(CC)", "cc")
        text = text.replace("$$", "$")
        # other make variables and functions: not literal
        text = re.sub(r"\$[({][^)}]*[)}]|\$[@<^*?]", "$X", text)
        cmds, funcs, assigns = scan(text)
        for c, _ in resolve(cmds, assigns):
            if c not in BUILTINS and c not in funcs:
                found.append((c, "Makefile: rule " + name, scope))
    return found


def deps_lists():
    lists = {"base": set()}
    for target in ("build", "test", "ci", "bench"):
        r = subprocess.run([os.path.join(ROOT, "tools/ensure-deps.sh"),
                            "--list", target], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("check-tools: tools/ensure-deps.sh --list %s failed: %s"
                     % (target, r.stderr.strip()))
        lists[target] = set(r.stdout.split())
    return lists


def dpkg(args):
    """dpkg-query's output (it exits 1 when some of several names are not
    found, and prints the others: keep them)."""
    r = subprocess.run(["dpkg-query"] + args, capture_output=True, text=True)
    return r.stdout


def system_path(cmd):
    """The file a fresh Debian would run for cmd (the system directories
    only: a copy elsewhere on this machine's PATH, a pyenv shim say, is not
    what a fresh machine has), or None."""
    for d in ("/usr/sbin", "/usr/bin", "/sbin", "/bin"):
        p = os.path.join(d, cmd)
        if os.access(p, os.X_OK) and not os.path.isdir(p):
            return p
    return None


def path_variants(path):
    """path, its target, and their /bin <-> /usr/bin twins (merged /usr:
    dpkg knows each file under the name its package ships)."""
    tries = [path, os.path.realpath(path)]
    for p in list(tries):
        for a, b in (("/usr/bin/", "/bin/"), ("/usr/sbin/", "/sbin/")):
            if p.startswith(a):
                tries.append(b + p[len(a):])
            elif p.startswith(b):
                tries.append(a + p[len(b):])
    return tries


def owners(cmds):
    """{cmd: package owning the file a fresh Debian runs for it, "?" if
    that file is from no package, None if not installed}, with one
    dpkg-query call."""
    paths = {c: system_path(c) for c in cmds}
    tries = {c: path_variants(p) for c, p in paths.items() if p}
    owner_of = {}
    allp = sorted({p for t in tries.values() for p in t})
    for ln in dpkg(["-S"] + allp).split("\n") if allp else []:
        m = re.match(r"([^\s:,]+)(?:, [^:]*)?(?::\S+)?: (/.*)$", ln)
        if m and not ln.startswith("diversion by"):
            owner_of.setdefault(m.group(2), m.group(1))
    out = {}
    for c in cmds:
        if not paths[c]:
            out[c] = None
            continue
        out[c] = next((owner_of[p] for p in tries[c] if p in owner_of), "?")
    return out


def packages(pkgs):
    """{package: (priority, installed, {packages it depends on})}."""
    info = {}
    fmt = "${Package}\t${Priority}\t${Status}\t${Depends}, ${Pre-Depends}\n"
    for ln in dpkg(["-W", "-f=" + fmt] + sorted(pkgs)).split("\n"):
        f = ln.split("\t")
        if len(f) == 4:
            deps = {re.split(r"[\s:(]", d.strip())[0]
                    for d in re.split(r"[,|]", f[3]) if d.strip()}
            info[f[0]] = (f[1], "install ok installed" in f[2], deps)
    return info


def check(uses, lists):
    """Problems (strings) for uses: (command, where, scope)."""
    problems = []
    known = {c for c, _, _ in uses if c in TOOLS}
    own = owners(known)
    info = packages({TOOLS[c] for c in known})
    for cmd in sorted(known):
        pkg, o = TOOLS[cmd], own[cmd]
        if o == "?":
            problems.append("%s: no Debian package installed here provides "
                            "%s" % (cmd, system_path(cmd)))
        elif o and o != pkg and o not in info.get(pkg, ("", 0, set()))[2]:
            problems.append("tests/check-tools.py: TOOLS says '%s' is in "
                            "package %s, but dpkg says %s" % (cmd, pkg, o))
    for cmd, where, scope in uses:
        pkg = TOOLS.get(cmd)
        if pkg is None:
            problems.append("%s: runs '%s', which is not in TOOLS of "
                            "tests/check-tools.py (add it with its Debian "
                            "package, and the package to tools/ensure-deps.sh)"
                            % (where, cmd))
            continue
        prio, installed, _ = info.get(pkg, ("", False, set()))
        if pkg in lists[scope] or (prio == "required" and installed):
            continue
        problems.append("%s: runs '%s' (package %s), which tools/ensure-deps.sh "
                        "does not install for '%s'" % (where, cmd, pkg, scope))
    return problems


def script_uses():
    """(command, FILE:LINE, scope) for every command the scripts run. A
    function or a variable defined in one file counts in all (the tests
    source lib.sh and tmux.sh)."""
    uses, funcs, assigns = [], set(), {}
    for pattern, scope in SCOPES:
        for path in sorted(glob.glob(os.path.join(ROOT, pattern))):
            rel = os.path.relpath(path, ROOT)
            cmds, f, a = scan(open(path).read())
            funcs |= f
            merge(assigns, a)
            uses += [(c, "%s:%d" % (rel, ln), scope) for c, ln in cmds]
    uses = [(c, w, s) for (c, w), s in
            ((r, s) for c, w, s in uses for r in resolve([(c, w)], assigns))]
    return [u for u in uses if u[0] not in BUILTINS and u[0] not in funcs]


def self_test():
    """The scanner finds commands where they are and nowhere else."""
    src = r'''
f() { pgrep -f x; }     # pgrep; "not here" in a comment: tmux
a=$(tmux ls | wc -l) && timeout 5 env A=1 sqlite3 db "select 1" >out 2>&1
echo "tmux is words in a string $(python3 -c 1)" > valgrind
case $x in tmux|bc) hyperfine x ;; *) : ;; esac
for w in clang gcc; do nice -n 5 bc </dev/null; done
sh -c 'setsid sleep 1'
cat <<EOF
git in a heredoc
EOF
VG="valgrind -q"; /usr/bin/time -f %e ls; x="gcc make"
$VG docket; T="tmux -L s"; "$T" new; echo $x; ${CC:-cc} -v
'''
    cmds, funcs, assigns = scan(src)
    got = sorted({c for c, _ in resolve(cmds, assigns)
                  if c not in BUILTINS and c not in funcs})
    want = sorted("pgrep tmux wc timeout env sqlite3 python3 hyperfine nice "
                  "bc sh setsid sleep cat valgrind time ls cc".split())
    if got != want or funcs != {"f"}:
        print("check-tools self-test: got %s funcs %s, want %s"
              % (got, sorted(funcs), want))
        return 1
    # a recipe relies on the deps rule among its prerequisites, followed
    # through rules and pattern rules
    rules = {"asan": (["deps-ci", "x"], ["clang"]), "x": (["build/a.o"], []),
             "build/%.o": (["deps"], []), "lib": (["build/a.o"], []),
             "loose": (["lib", "nothing"], [])}
    scopes = [rule_scope(rules, r) for r in ("asan", "lib", "loose", "x")]
    if scopes != ["ci", "build", "build", "build"]:
        print("check-tools self-test: rule scopes %s" % scopes)
        return 1
    # pgrep needs procps listed: it is not of priority required
    lists = {"test": {"sqlite3"}, "base": set()}
    bad = check([("pgrep", "t.sh:1", "test"), ("sed", "t.sh:2", "test")], lists)
    lists["test"].add("procps")
    good = check([("pgrep", "t.sh:1", "test"), ("sed", "t.sh:2", "test")], lists)
    if len(bad) != 1 or "pgrep" not in bad[0] or good:
        print("check-tools self-test: check() said %s, then %s" % (bad, good))
        return 1
    print("check-tools self-test: ok")
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    lists = deps_lists()
    uses = script_uses() + makefile_commands()
    problems = check(uses, lists)
    for p in problems:
        print(p)
    if problems:
        print("check-tools: %d problem(s): a fresh Debian would say "
              "'not found'" % len(problems))
        return 1
    print("check-tools: %d commands in %d uses, all installed by "
          "tools/ensure-deps.sh" % (len({u[0] for u in uses}), len(uses)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
