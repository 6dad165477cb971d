# `docket next` prints a case's context as imported, its personal fields
# masked: JSON true and false stay true and false (SQLite's json_each gave
# them as 1 and 0), and only fields named with the exact prefix pii: are
# personal, as the importer reads them ('PII:note' is a plain field; it was
# masked on SQLite alone, whose LIKE is blind to case).
. "$DOCKET_TESTS/sh/lib.sh"
cat >p.jsonl <<'J'
{"id":"a1","prediction":"good","confidence":0.55,"flag":true,"off":false,"none":null,"PII:note":"plain","pii:name":"Ann Example","n":2}
J
run "$DOCKET" import s.db p.jsonl --model m
expect_rc 0
run "$DOCKET" next s.db
expect_rc 0
expect_out '"context":{"flag":true,"off":false,"none":null,"PII:note":"plain","pii:name":"(masked)","n":2}'
# drift reads the same fields: PII:note is one, pii:name is not
cat >q.jsonl <<'J'
{"id":"b1","prediction":"good","confidence":0.95,"flag":false,"off":true,"none":null,"PII:note":"other","pii:name":"Bo Example","n":3}
J
run "$DOCKET" import s.db q.jsonl --model m
expect_rc 0
run "$DOCKET" drift s.db --model m --format json
expect_rc 0
expect_out '"PII:note"'
case "$out" in *'"pii:name"'*) fail "drift compared a personal field: $out" ;; esac
echo ok
