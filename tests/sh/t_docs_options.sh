# Every command's options agree across its parser, its --help, the man
# page and the README's command table. For each command in `docket --help`:
#  - the option table in src/cli/cmd_CMD.c is the truth;
#  - the Usage synopsis of --help names exactly those options, and every
#    option line of --help ("  --opt ...") is one of them;
#  - the command's subsection of docs/docket.1 names each of them, and its
#    .SS synopsis names no other;
#  - the command's rows of the README's command table name exactly them.
. "$DOCKET_TESTS/sh/lib.sh"

for c in $("$DOCKET" --help | sed -n 's/^  \([a-z-]*\) .*/\1/p'); do
	"$DOCKET" "$c" --help >"help.$c" || fail "docket $c --help exited $?"
done
ls help.* >/dev/null 2>&1 || fail "no commands in docket --help"

python3 - "$DOCKET_ROOT" <<'PY' || fail "options disagree (above)"
import glob, os, re, sys

root = sys.argv[1]
OPT = re.compile(r'--[a-z][a-z-]*')
man = open(os.path.join(root, 'docs/docket.1')).read()
readme = open(os.path.join(root, 'README.md')).read()
problems = []

def man_section(cmd):
    """The .SS line and body of cmd's subsection, options unescaped."""
    lines = man.splitlines()
    for i, l in enumerate(lines):
        if l.startswith('.SS "' + cmd + ' ') or l.startswith('.SS "' + cmd + '"'):
            body = []
            for m in lines[i + 1:]:
                if m.startswith('.SS') or m.startswith('.SH'):
                    break
                body.append(m)
            un = lambda t: t.replace('\\-', '-')
            return un(l), un('\n'.join(body))
    return None, None

def readme_rows(cmd):
    m = re.search(r'^## Commands\n(.*?)^## ', readme, re.S | re.M)
    rows = []
    for l in m.group(1).splitlines():
        if l.startswith('| `docket ' + cmd + ' ') or l.startswith('| `docket ' + cmd + '`'):
            cell = re.split(r'(?<!\\)\|', l)[1]
            rows.append(cell)
    return rows

for hf in sorted(glob.glob('help.*')):
    cmd = hf[len('help.'):]
    src = open(os.path.join(root, 'src/cli/cmd_%s.c' % cmd)).read()
    parser = {'--' + n for n in re.findall(
        r'\{\s*"([a-z][a-z-]*)",\s*(?:no|required|optional)_argument', src)} - {'--help'}
    text = open(hf).read().splitlines()
    usage, desc = set(), set()
    in_usage = True
    for l in text:
        if in_usage and (l.startswith('Usage:') or l.startswith(' ')):
            usage |= set(OPT.findall(l))
            continue
        in_usage = False
        if re.match(r'^ {2,}--', l):
            head = re.split(r'\s{2,}', l.strip())[0]
            desc |= set(OPT.findall(head))
    def diff(what, want, got):
        if got - want:
            problems.append('%s: %s names %s, which the parser lacks'
                            % (cmd, what, ' '.join(sorted(got - want))))
        if want - got:
            problems.append('%s: %s lacks %s' % (cmd, what, ' '.join(sorted(want - got))))
    diff('--help Usage', parser, usage)
    if desc - parser:
        problems.append('%s: --help describes %s, which the parser lacks'
                        % (cmd, ' '.join(sorted(desc - parser))))
    ss, body = man_section(cmd)
    if ss is None:
        problems.append('%s: no .SS subsection in docs/docket.1' % cmd)
    else:
        inman = set(OPT.findall(ss)) | set(OPT.findall(body))
        if parser - inman:
            problems.append('%s: docs/docket.1 lacks %s'
                            % (cmd, ' '.join(sorted(parser - inman))))
        if set(OPT.findall(ss)) - parser:
            problems.append('%s: docs/docket.1 synopsis names %s, which the parser lacks'
                            % (cmd, ' '.join(sorted(set(OPT.findall(ss)) - parser))))
    rows = readme_rows(cmd)
    if not rows:
        problems.append('%s: no row in the README command table' % cmd)
    else:
        diff('the README command table', parser,
             set(o for r in rows for o in OPT.findall(r)))

for p in problems:
    print('FAILED:', p, file=sys.stderr)
print('%d commands checked' % len(glob.glob('help.*')))
sys.exit(1 if problems else 0)
PY
