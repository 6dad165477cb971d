# Every form in the README's command table works as written: each row's
# command alone, then with each of its bracketed options in turn (and each
# alternative of A|B), with the placeholders filled in, on a real store.
# A command-line form the parser refuses (a usage error, exit 2) fails the
# test, whatever the option: `policy STORE --reasons a,b` was documented
# and refused once. The screens (review, supervise, demo) must get past
# their parsing to "needs a terminal".
. "$DOCKET_TESTS/sh/lib.sh"

{
	echo 'id,prediction,p:good,p:bad,City,pii:name'
	i=1
	while [ $i -le 80 ]; do
		echo "c$i,good,0.6,0.4,town$((i % 3)),Person $i"
		i=$((i + 1))
	done
} >cases.csv
run "$DOCKET" init s.db
expect_rc 0
run "$DOCKET" import s.db cases.csv --model credit@v1
expect_rc 0
me=$(sql s.db "SELECT name FROM reviewers WHERE role = 'supervisor'")
run "$DOCKET" reviewer add s.db ann
expect_rc 0
# an anchor signed with k.key, its public key k.pub and its kept line
run "$DOCKET" key init --key k.key
expect_rc 0
id=$("$DOCKET" next s.db --reviewer ann | sed 's/^{"id":"\([^"]*\)".*/\1/')
run "$DOCKET" decide s.db "$id" --reviewer ann --action accept
expect_rc 0
run "$DOCKET" anchor s.db --key k.key
expect_rc 0
echo "$out" >kept.txt

python3 - "$DOCKET" "$DOCKET_ROOT/README.md" "$me" <<'PY' || fail "a documented form failed (above)"
import itertools, json, os, re, subprocess, sys

docket, readme, me = sys.argv[1:4]
text = open(readme).read()
table = re.search(r'^## Commands\n(.*?)^## ', text, re.S | re.M).group(1)
forms = []
for line in table.splitlines():
    if not line.startswith('| `docket '):
        continue
    cell = re.split(r'(?<!\\)\|', line)[1].replace('\\|', '|')
    for f in re.findall(r'`([^`]*)`', cell):
        forms.append(f if f.startswith('docket ') else 'docket ' + f)
if len(forms) < 18:
    sys.exit('only %d forms in the README command table' % len(forms))

def split(form):
    """The fixed words and the bracketed groups of a form (nested [] kept)."""
    fixed, groups, depth, cur = [], [], 0, ''
    for ch in form + ' ':
        if ch == '[' and (depth or not cur):   # a group starts a word
            depth += 1
        if depth:
            cur += ch
        elif ch == ' ':
            if cur:
                fixed.append(cur)
            cur = ''
        else:
            cur += ch
        if ch == ']' and depth:
            depth -= 1
            if depth == 0:
                groups.append(cur[1:-1])
                fixed.append(None)   # where the group went
                cur = ''
    return fixed, groups

counter = itertools.count(1)

def run(argv):
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr

def claim():
    rc, out, err = run([docket, 'next', 's.db', '--reviewer', me, '--model', 'credit'])
    j = json.loads(out.splitlines()[0])
    if j.get('empty'):
        sys.exit('the queue ran dry')
    return j['id'], str(j['lease']['token'])

def head():
    rc, out, err = run([docket, 'verify', 's.db'])
    return out.splitlines()[-1]

def variants(group):
    """A group's word lists: alternatives A|B each, and a nested optional
    part left out and put in."""
    inner = re.match(r'(.*?)\s+\[(.*)\]$', group)
    if inner:
        return [inner.group(1).split(), (inner.group(1) + ' ' + inner.group(2)).split()]
    words = group.split()
    out = []
    alts = [w.split('|') for w in words]
    for i in range(max(len(a) for a in alts)):
        out.append([a[min(i, len(a) - 1)] for a in alts])
    return out

failures = []
tried = 0
for form in forms:
    fixed, groups = split(form)
    cmd = fixed[1]
    cases = [None] + [(g, v) for g in range(len(groups)) for v in variants(groups[g])]
    for case in cases:
        words = []
        for w in fixed[1:]:
            if w is None or w == '...':   # "[--opt X]..." may repeat
                continue
            words.extend(w.split('|')[:1] if '|' in w and not w.startswith('--') else [w])
        if case:
            words += case[1]
        n = next(counter)
        # fill in the placeholders, in context
        ctx = {}
        if cmd == 'decide':
            ctx['CASE'], ctx['T'] = claim()
        argv, prev = [docket], None
        for w in words:
            v = w
            if w == 'STORE' and cmd == 'init':
                v = 'new%d.db' % n
            elif w == 'STORE':
                v = 's.db'
            elif w == 'SQLITE_PATH':
                v = 's.db'
            elif w == 'DEST':
                v = 'migrated%d.db' % n
            elif w == 'FILE' and prev == '--out':
                v = 'out%d.csv' % n
            elif w == 'FILE' and prev == '--anchors':
                v = 'kept.txt'
            elif w == 'FILE' and prev == '--key':
                v = 'key%d.key' % n if 'init' in words else 'k.key'
            elif w == 'KEYFILE':
                v = "k.pub"
            elif w == 'FILE':
                v = 'imp%d.csv' % n
                with open(v, 'w') as f:
                    if 'jsonl' in words:
                        for i in range(3):
                            f.write('{"id":"i%d-%d","prediction":"good","confidence":0.5}\n'
                                    % (n, i))
                    else:
                        f.write('id,prediction,confidence\n')
                        for i in range(3):
                            f.write('i%d-%d,good,0.5\n' % (n, i))
            elif w == 'NAME[@VERSION]':
                v = 'imp%d@v1' % n
            elif w in ('M', 'M[@V]'):
                v = 'credit' if w == 'M' else 'credit@v1'
            elif w == 'NAME' and cmd == 'reviewer':
                v = 'ann' if 'role' in words else 'new%d' % n
            elif w == 'NAME':
                v = 'mark%d' % n      # --since-last NAME
            elif w == 'G':
                v = 'root'
            elif w == 'ROLE':
                v = 'reviewer'
            elif w in ('R',):
                v = me
            elif w == 'X':
                v = '0.8' if prev == '--threshold' else '0'
            elif w == 'L=X':
                v = 'good=0.7'
            elif w == 'CASE':
                v = ctx['CASE']
            elif w == 'T' and prev == '--theme':
                v = 'light'
            elif w == 'T' and prev == '--token':
                v = ctx['T']
            elif w == 'T':
                v = '2020-01-01' if prev == '--since' else '2100-01-01'
            elif w == 'A':
                v = 'accept'
            elif w == 'L':
                v = 'bad'
            elif w == 'C':
                v = 'other'
            elif w == 'N' and prev == '--note':
                v = 'a note'
            elif w == 'N':
                v = '5'
            elif w == 'S' and prev == '--state':
                v = 'queued'
            elif w == 'S':
                v = '3'
            elif w == 'W':
                v = 'note'
            elif w == 'ID':
                v = 'c1'
            elif w == 'FIELD[:WIDTH]':
                v = 'City'
            elif w == 'FIELD':
                v = 'City'
            elif w == 'V' and prev == '--reference':
                v = 'town1'
            elif w == 'VALUE':
                v = 'town1'          # stats --reference: a City value
            elif w in ('B', 'REF'):
                v = '1'              # drift: the first batch
            elif w == 'EXPR':
                v = 'psi_max < 0' if cmd == 'drift' else 'decisions < 0'
            elif w == 'SEQ:HASH':
                v = head()
            elif w == 'CODE' and prev == '--reason':
                v = 'confidence'
            elif w == 'CODE,...':
                v = 'ambiguous,other,needs-expert'
            elif re.fullmatch(r'[A-Z][A-Z_:@\[\],.=]*', w):
                failures.append('%s: no value for placeholder %s' % (form, w))
            argv.append(v)
            prev = w
        # options that go with another: the other too
        if '--reference' in argv and '--positive' not in argv:
            argv += ['--positive', 'good']
        if '--positive' in argv and '--by' not in argv:
            argv += ['--by', 'City']
        needs = {'--exact': ['--format', 'csv'], '--reveal': ['--by', 'pii:name'],
                 '--shared': ['--group', 'root'],   # no new system group
                 '--anchors': ['--trust', 'k.pub']}
        for opt, more in needs.items():
            if opt in argv and more[0] not in argv:
                argv += more
        # decide: the action fits the option tried
        if cmd == 'decide':
            i = argv.index('--action') + 1
            if '--label' in argv:
                argv[i] = 'override'
            if '--reason' in argv:
                argv[i] = 'escalate'
            if '--amend' in argv:   # amend an override back to accept
                rc, out, err = run([docket, 'decide', 's.db', ctx['CASE'], '--reviewer',
                                    me, '--action', 'override', '--label', 'bad'])
        # On PostgreSQL: init --shared and migrate's source are about
        # the SQLite file; doctor's problem there is the harness's login
        # (a superuser: t_pg_doctor checks what it says).
        if os.environ.get('DOCKET_TEST_ENGINE') == 'postgres' and (
                cmd in ('migrate', 'doctor') or '--shared' in argv):
            continue
        tried += 1
        rc, out, err = run(argv)
        shown = ' '.join(argv[1:])
        print('exit %d: docket %s' % (rc, shown))
        if cmd in ('review', 'supervise') or (cmd == 'demo' and '--path' not in argv):
            ok = rc == 1 and 'needs a terminal' in err
        else:
            ok = rc == 0
        if not ok:
            failures.append('docket %s: exit %d: %s' % (shown, rc, err.strip()))
for f in failures:
    print('FAILED:', f, file=sys.stderr)
print('%d forms tried' % tried)
sys.exit(1 if failures else 0)
PY
