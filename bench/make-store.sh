#!/bin/sh
# make-store.sh: a generated store with N cases for benchmarks, made fast by
# SQL (a recursive CTE) into a store that `docket init` created, so the schema
# is the real one. Cases belong to MODELS models (credit, credit2, ...), 30%
# are queued (the rest auto), 5% have priority 1, and each carries probs,
# context, attributions and a short text like a real import.
#
# Usage: DOCKET=build/docket bench/make-store.sh STORE N [MODELS]
#   prints "made STORE: N cases in S s" on stderr.
# Reused by the review-screen, supervisor and export benchmarks.
set -eu
: "${DOCKET:=build/docket}"
store=${1:?usage: make-store.sh STORE N [MODELS]}
n=${2:?usage: make-store.sh STORE N [MODELS]}
models=${3:-1}
rm -f "$store" "$store-wal" "$store-shm"
"$DOCKET" init "$store" >/dev/null
# Cases made behind docket's back have no import entries: the store is
# made to look like one of an older docket (schema 1, no init entry), so
# that the next docket to open it appends an init entry listing these
# batches as imported before import entries existed (`docket verify`
# checks only their row counts).
sh "$(dirname "$0")/older-store.sh" "$store"
start=$(date +%s.%N)
# Bulk load without the WAL (one big transaction, no fsync), then back to
# WAL: the store ends up exactly as docket would open it.
sqlite3 -batch "$store" >/dev/null <<SQL
PRAGMA journal_mode=DELETE;
PRAGMA synchronous=OFF;
PRAGMA cache_size=-262144;
BEGIN;
WITH RECURSIVE m(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM m WHERE i < $models)
INSERT INTO models(id, name, labels, audit_salt, created_at)
  SELECT i, CASE i WHEN 1 THEN 'credit' ELSE 'credit' || i END,
         '["good","bad"]', lower(hex(randomblob(16))), 1700000000000 FROM m;
INSERT INTO batches(id, model_id, model_version, source_file, source_sha256,
                    format, rows, routed, imported_by, imported_at)
  SELECT id, id, 'v1', 'bench.csv', lower(hex(randomblob(32))), 'csv',
         $n / $models, 0, 'bench', 1700000000000 FROM models;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $n),
r AS (SELECT i, (i % $models) + 1 AS mid,
             0.5 + ((i * 2654435761) % 500000) / 1000000.0 AS conf,
             ((i * 40503) / 7) % 100 AS roll FROM c)
INSERT INTO cases(id, model_id, batch_id, ext_id, line, prediction, confidence,
                  margin, entropy, probs, attributions, context, text, priority,
                  state, route_reason, policy_version, urgency)
  SELECT i, mid, mid, printf('c%09d', i), i + 1,
         CASE WHEN i % 3 THEN 'good' ELSE 'bad' END, conf,
         2 * conf - 1, 0.0, json_object('good', conf, 'bad', 1 - conf),
         '{"Income":0.31,"Debt":-0.22,"Age":0.05}',
         json_object('Income', i % 300, 'Home', 'rent', 'pii:name', 'Applicant ' || i),
         'Applicant asks for a loan of ' || (i % 5000) || ' for a car.',
         CASE WHEN roll < 5 THEN 1 ELSE 0 END,
         CASE WHEN roll < 30 THEN 'queued' ELSE 'auto' END,
         CASE WHEN roll < 30 THEN 'confidence' END, 1, conf
  FROM r;
INSERT INTO counters(model_id, state, n)
  SELECT model_id, state, count(*) FROM cases GROUP BY model_id, state;
UPDATE batches SET routed = (SELECT n FROM counters
  WHERE counters.model_id = batches.model_id AND state = 'queued');
COMMIT;
PRAGMA journal_mode=WAL;
SQL
end=$(date +%s.%N)
echo "made $store: $n cases in $(echo "$end - $start" | bc) s" >&2
