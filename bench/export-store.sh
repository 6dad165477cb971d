#!/bin/sh
# export-store.sh: a generated store of N reviewed cases for the export
# benchmark, shaped like sample-data/credit.csv (13 context fields, 2 pii:
# fields, p:good/p:bad, 13 attributions), each with a final human label
# (80% accepts, 20% overrides, by two reviewers), its audit entry and its
# review. Made by SQL into a store that `docket init` created, so the schema
# is the real one. (The audit entries' hashes are placeholders: the export
# does not read them; do not run `docket verify` on this store.)
#
# Usage: DOCKET=build/docket bench/export-store.sh STORE N
set -eu
: "${DOCKET:=build/docket}"
store=${1:?usage: export-store.sh STORE N}
n=${2:?usage: export-store.sh STORE N}
rm -f "$store" "$store-wal" "$store-shm"
"$DOCKET" init "$store" >/dev/null
# As bench/make-store.sh: made to look like a store of an older docket
# (schema 1, no init entry), so the entries below can start at seq 1.
sh "$(dirname "$0")/older-store.sh" "$store"
start=$(date +%s.%N)
sqlite3 -batch "$store" >/dev/null <<SQL
PRAGMA journal_mode=DELETE;
PRAGMA synchronous=OFF;
PRAGMA cache_size=-262144;
BEGIN;
INSERT INTO models(id, name, labels, audit_salt, created_at)
  VALUES (1, 'credit', '["good","bad"]', 'salt', 1767225600000);
INSERT INTO batches(id, model_id, model_version, source_file, source_sha256,
                    format, rows, routed, imported_by, imported_at)
  VALUES (1, 1, 'v1', 'bench.csv', lower(hex(randomblob(32))), 'csv', $n, $n,
          'bench', 1767225600000);
INSERT INTO reviewers(name, role, added_at, added_by)
  VALUES ('ann', 'reviewer', 0, 'bench'), ('bob', 'reviewer', 0, 'bench');
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $n),
r AS (SELECT i, 0.5 + ((i * 7919 + 13) % 499993) / 1000000.0 AS conf,
             (i * 7127 + 11) % 100 AS roll FROM c)
INSERT INTO cases(id, model_id, batch_id, ext_id, line, prediction, confidence,
                  margin, entropy, probs, attributions, context, priority,
                  state, route_reason, policy_version, urgency, final_label,
                  final_seq, decided_at)
  SELECT i, 1, 1, printf('g-%07d', i), i + 1,
         CASE WHEN i % 3 THEN 'good' ELSE 'bad' END, round(conf, 6),
         2 * conf - 1, 0.0,
         json_object('good', round(conf, 6), 'bad', round(1 - conf, 6)),
         json_object('Seniority', round((i % 97 - 48) / 113.0, 4),
           'Home', round((i % 89 - 44) / 131.0, 4), 'Time', round((i % 83 - 41) / 97.0, 4),
           'Age', round((i % 79 - 39) / 89.0, 4), 'Marital', round((i % 73 - 36) / 151.0, 4),
           'Records', round((i % 71 - 35) / 61.0, 4), 'Job', round((i % 67 - 33) / 71.0, 4),
           'Expenses', round((i % 61 - 30) / 93.0, 4), 'Income', round((i % 59 - 29) / 47.0, 4),
           'Assets', round((i % 53 - 26) / 101.0, 4), 'Debt', round((i % 47 - 23) / 211.0, 4),
           'Amount', round((i % 43 - 21) / 37.0, 4), 'Price', round((i % 41 - 20) / 53.0, 4)),
         json_object('Seniority', '' || (i % 30), 'Home', CASE i % 4 WHEN 0 THEN 'rent'
           WHEN 1 THEN 'owner' WHEN 2 THEN 'parents' ELSE 'other' END,
           'Time', '' || (12 * (1 + i % 5)), 'Age', '' || (20 + i % 50),
           'Marital', CASE i % 3 WHEN 0 THEN 'married' WHEN 1 THEN 'single' ELSE 'widow' END,
           'Records', CASE WHEN i % 7 THEN 'no' ELSE 'yes' END,
           'Job', CASE i % 3 WHEN 0 THEN 'fixed' WHEN 1 THEN 'freelance' ELSE 'partime' END,
           'Expenses', '' || (35 + i % 100), 'Income', '' || (80 + i % 200),
           'Assets', '' || (i % 9000), 'Debt', '' || (i % 700),
           'Amount', '' || (500 + i % 1500), 'Price', '' || (800 + i % 2000),
           'pii:name', printf('Test Applicant %07d', i),
           'pii:phone', printf('(%03d) 555-01%02d', 200 + i % 700, i % 100)),
         0, 'done', 'confidence', 1, conf,
         CASE WHEN roll < 20 THEN (CASE WHEN i % 3 THEN 'bad' ELSE 'good' END)
              ELSE (CASE WHEN i % 3 THEN 'good' ELSE 'bad' END) END,
         i, 1767225600000 + i * 1000
  FROM r;
INSERT INTO decisions(seq, at, reviewer, case_id, action, model_label, label,
                      reason, seconds, prev_hash, hash)
  SELECT id, decided_at, CASE WHEN id % 2 THEN 'ann' ELSE 'bob' END, id,
         CASE WHEN final_label = prediction THEN 'accept' ELSE 'override' END,
         prediction, final_label,
         CASE WHEN final_label = prediction THEN NULL ELSE 'wrong_label' END,
         4.5, '0', '0'
  FROM cases;
INSERT INTO reviews(case_id, reviewer_id, seq, action, label, at)
  SELECT d.case_id, r.id, d.seq, d.action, d.label, d.at
  FROM decisions d JOIN reviewers r ON r.name = d.reviewer;
INSERT INTO counters(model_id, state, n) VALUES (1, 'done', $n);
COMMIT;
PRAGMA journal_mode=WAL;
SQL
end=$(date +%s.%N)
echo "made $store: $n reviewed cases in $(echo "$end - $start" | bc) s" >&2
