#!/bin/sh
# pg-store.sh: a PostgreSQL store of N generated cases for bench/pg.sh, the
# same as `docket migrate` of bench/make-store.sh's SQLite store of N cases
# would make, in a fraction of its time (migrate copies rows through the
# client: 227 s for 1M here, so about 40 minutes for 10M):
#   1. a skeleton SQLite store made as make-store.sh makes one (its models,
#      batches, counters and init entry, which lists the batches as
#      imported before import entries existed: `docket verify` then checks
#      their row counts), but with the cases only counted, not written;
#   2. `docket migrate` of the skeleton into the empty database;
#   3. the cases written by the server itself, by make-store.sh's formulas
#      (same ids, ext ids, labels, confidences, priorities, states, text),
#      with the personal field in case_pii (alone, PostgreSQL revision 8)
#      and masked in the context as migrate and import leave them, the queue's indexes built after the
#      rows (one sort each, not 10M random inserts), then VACUUM ANALYZE.
# Usage: DOCKET=build/docket bench/pg-store.sh URI N [MODELS]
#   URI names an empty database (the role in it owns the store); prints
#   "made URI: N cases in S s" on stderr.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
: "${DOCKET:=build/docket}"
uri=${1:?usage: pg-store.sh URI N [MODELS]}
n=${2:?usage: pg-store.sh URI N [MODELS]}
models=${3:-1}
start=$(date +%s.%N)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/docket-pgstore.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
skel="$tmp/skel.db"
"$DOCKET" init "$skel" >/dev/null
sh "$here/older-store.sh" "$skel"
# As make-store.sh, the cases counted instead of written (the formulas
# below are make-store.sh's: keep the two in step).
sqlite3 -batch "$skel" >/dev/null <<SQL
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
r AS (SELECT (i % $models) + 1 AS mid, ((i * 40503) / 7) % 100 AS roll FROM c)
INSERT INTO counters(model_id, state, n)
  SELECT mid, CASE WHEN roll < 30 THEN 'queued' ELSE 'auto' END, count(*)
  FROM r GROUP BY 1, 2;
UPDATE batches SET routed = (SELECT n FROM counters
  WHERE counters.model_id = batches.model_id AND state = 'queued');
COMMIT;
SQL
"$DOCKET" migrate "$skel" "$uri" >"$tmp/migrate.out" 2>&1 ||
	{ cat "$tmp/migrate.out" >&2; exit 1; }
# The rows, by the server. Numbers as SQLite computes them (doubles; a
# double's numeric has %.15g's digits, as SQLite's json_object prints,
# which puts an exponent on one below 1e-4). The indexes of cases that no constraint uses
# are dropped for the load and made again as they were.
PGOPTIONS='-c client_min_messages=warning' psql -qX -v ON_ERROR_STOP=1 -d "$uri" >/dev/null <<SQL
SET search_path = docket, pg_catalog;
SET maintenance_work_mem = '512MB';
BEGIN;
CREATE TEMP TABLE bench_idx AS SELECT indexname, indexdef FROM pg_indexes
  WHERE schemaname = 'docket' AND tablename IN ('cases', 'case_pii')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c
    WHERE c.conindid = format('docket.%I', indexname)::regclass);
DO \$\$
DECLARE i record;
BEGIN
  FOR i IN SELECT indexname FROM bench_idx LOOP
    EXECUTE format('DROP INDEX docket.%I', i.indexname);
  END LOOP;
END \$\$;
INSERT INTO cases(id, model_id, batch_id, ext_id, line, prediction, confidence,
                  margin, entropy, probs, attributions, context, text, priority,
                  state, route_reason, policy_version, urgency)
  SELECT i, mid, mid, 'c' || lpad(i::text, 9, '0'), i + 1,
         CASE WHEN i % 3 <> 0 THEN 'good' ELSE 'bad' END, conf,
         2 * conf - 1, 0.0,
         '{"good":' || conf::numeric || ',"bad":' || CASE WHEN 1 - conf < 1e-4
           THEN (1 - conf)::numeric::float8::text ELSE (1 - conf)::numeric::text END
           || '}',
         '{"Income":0.31,"Debt":-0.22,"Age":0.05}',
         '{"Income":' || (i % 300) || ',"Home":"rent","pii:name":"(masked)"}',
         'Applicant asks for a loan of ' || (i % 5000) || ' for a car.',
         CASE WHEN roll < 5 THEN 1 ELSE 0 END,
         CASE WHEN roll < 30 THEN 'queued' ELSE 'auto' END,
         CASE WHEN roll < 30 THEN 'confidence' END, 1, conf
  FROM (SELECT i, (i % $models) + 1 AS mid,
               0.5::float8 + ((i * 2654435761) % 500000)::float8 / 1000000.0::float8
                 AS conf,
               ((i * 40503) / 7) % 100 AS roll
        FROM generate_series(1::bigint, $n::bigint) AS g(i)) r;
INSERT INTO case_pii(case_id, context)
  SELECT i, '{"pii:name":"Applicant ' || i || '"}'
  FROM generate_series(1::bigint, $n::bigint) AS g(i);
SELECT setval(pg_get_serial_sequence('docket.cases', 'id'), $n);
DO \$\$
DECLARE i record;
BEGIN
  FOR i IN SELECT indexdef FROM bench_idx LOOP
    EXECUTE i.indexdef;
  END LOOP;
END \$\$;
COMMIT;
VACUUM ANALYZE;
SQL
got=$(psql -qAtX -d "$uri" -c "SELECT count(*) FROM docket.cases")
[ "$got" = "$n" ] || { echo "pg-store: $got cases, not $n" >&2; exit 1; }
echo "made $uri: $n cases in $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s" >&2
