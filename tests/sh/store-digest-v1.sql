-- A docket store as docket d305724 made it on SQLite (schema 11), for
-- t_gold_digest.sh: its import entries hold batch digests of the first
-- form (no "digest_form"; gold labels as stored). Made with:
-- import of gold.csv as model m (batch 1),
-- then of plain.csv (batch 2), then reviewer add ann:
--   gold.csv:  id,prediction,confidence,gold,text
--              c1,good,0.91,,fine
--              c2,bad,0.42,,unsure
--              c3,good,0.97,bad,confident
--              c4,bad,0.88,,fine
--              c5,good,0.55,,unsure
--   plain.csv: id,prediction,confidence,text
--              p1,good,0.93,fine
--              p2,bad,0.61,unsure
--              p3,good,0.99,confident
-- sqlite3 .dump, with the two pragmas .dump leaves out.
PRAGMA application_id = 1685021547;
PRAGMA user_version = 11;
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE meta(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO meta VALUES('created_at','1796065806628');
INSERT INTO meta VALUES('created_by','root');
INSERT INTO meta VALUES('store_id','eae4ae05d4d7c455da1542c0f189caf4');
CREATE TABLE reviewers(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('reviewer','supervisor')),
  added_at INTEGER NOT NULL,
  added_by TEXT NOT NULL
);
INSERT INTO reviewers VALUES(1,'root','supervisor',1796065806628,'root');
INSERT INTO reviewers VALUES(2,'ann','reviewer',1796065806723,'root');
CREATE TABLE models(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  labels TEXT NOT NULL DEFAULT '[]',
  audit_salt TEXT NOT NULL,
  policy_version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);
INSERT INTO models VALUES(1,'m','["good","bad"]','611981600db03635a5e3e6e39e587144',1,1796065806634);
CREATE TABLE policies(
  model_id INTEGER NOT NULL REFERENCES models(id),
  version INTEGER NOT NULL,
  policy TEXT NOT NULL,
  set_by TEXT NOT NULL,
  set_at INTEGER NOT NULL,
  PRIMARY KEY (model_id, version)
) WITHOUT ROWID;
INSERT INTO policies VALUES(1,1,'{"threshold":0.8,"label_thresholds":{},"margin":0,"entropy":0,"audit_rate":0,"double_rate":0,"gold_routing":"as-rule"}','root',1796065806634);
CREATE TABLE batches(
  id INTEGER PRIMARY KEY,
  model_id INTEGER NOT NULL REFERENCES models(id),
  model_version TEXT NOT NULL DEFAULT '',
  source_file TEXT NOT NULL,
  source_sha256 TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('csv','jsonl')),
  rows INTEGER NOT NULL,
  routed INTEGER NOT NULL,
  imported_by TEXT NOT NULL,
  imported_at INTEGER NOT NULL,
  forced INTEGER NOT NULL DEFAULT 0
, ctx_keys TEXT, attr_keys TEXT, prob_keys TEXT);
INSERT INTO batches VALUES(1,1,'','gold.csv','a3788a512d8c85533dcd6971913f6cf7705e25b5353da8bdf5ca871f6b7c6171','csv',5,3,'root',1796065806634,0,NULL,NULL,NULL);
INSERT INTO batches VALUES(2,1,'','plain.csv','2967be06df94f7d7dc8817ab9dd1110f89d9c4c9a862f7e52a5972e89d710e0e','csv',3,1,'root',1796065806680,0,NULL,NULL,NULL);
CREATE TABLE cases(
  id INTEGER PRIMARY KEY,
  model_id INTEGER NOT NULL REFERENCES models(id),
  batch_id INTEGER NOT NULL REFERENCES batches(id),
  ext_id TEXT NOT NULL,
  line INTEGER NOT NULL,
  prediction TEXT NOT NULL,
  confidence REAL NOT NULL,
  margin REAL,
  entropy REAL,
  probs TEXT,
  attributions TEXT,
  context TEXT NOT NULL DEFAULT '{}',
  text TEXT,
  gold TEXT,
  priority INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL CHECK (state = 'auto' OR state = 'queued' OR state = 'held'
    OR state = 'escalated' OR state = 'disputed' OR state = 'done'),
  route_reason TEXT,
  policy_version INTEGER NOT NULL,
  urgency REAL NOT NULL,
  reviews_needed INTEGER NOT NULL DEFAULT 1,
  final_label TEXT,
  final_seq INTEGER,
  decided_at INTEGER,
  UNIQUE (model_id, ext_id)
);
INSERT INTO cases VALUES(1,1,1,'c1',2,'good',0.91000000000000003108,NULL,NULL,NULL,NULL,'{}','fine',NULL,0,'auto',NULL,1,0.91000000000000003108,1,NULL,NULL,NULL);
INSERT INTO cases VALUES(2,1,1,'c2',3,'bad',0.41999999999999998445,NULL,NULL,NULL,NULL,'{}','unsure',NULL,0,'queued','confidence 0.42 < 0.80',1,0.41999999999999998445,1,NULL,NULL,NULL);
INSERT INTO cases VALUES(3,1,1,'c3',4,'good',0.96999999999999997335,NULL,NULL,NULL,NULL,'{}','confident','bad',0,'queued','gold check',1,0.1128939964311433397,1,NULL,NULL,NULL);
INSERT INTO cases VALUES(4,1,1,'c4',5,'bad',0.88000000000000000444,NULL,NULL,NULL,NULL,'{}','fine',NULL,0,'auto',NULL,1,0.88000000000000000444,1,NULL,NULL,NULL);
INSERT INTO cases VALUES(5,1,1,'c5',6,'good',0.5500000000000000444,NULL,NULL,NULL,NULL,'{}','unsure',NULL,0,'queued','confidence 0.55 < 0.80',1,0.5500000000000000444,1,NULL,NULL,NULL);
INSERT INTO cases VALUES(6,1,2,'p1',2,'good',0.93000000000000004884,NULL,NULL,NULL,NULL,'{}','fine',NULL,0,'auto',NULL,1,0.93000000000000004884,1,NULL,NULL,NULL);
INSERT INTO cases VALUES(7,1,2,'p2',3,'bad',0.60999999999999998667,NULL,NULL,NULL,NULL,'{}','unsure',NULL,0,'queued','confidence 0.61 < 0.80',1,0.60999999999999998667,1,NULL,NULL,NULL);
INSERT INTO cases VALUES(8,1,2,'p3',4,'good',0.98999999999999999111,NULL,NULL,NULL,NULL,'{}','confident',NULL,0,'auto',NULL,1,0.98999999999999999111,1,NULL,NULL,NULL);
CREATE TABLE counters(
  model_id INTEGER NOT NULL REFERENCES models(id),
  state TEXT NOT NULL,
  n INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (model_id, state)
) WITHOUT ROWID;
INSERT INTO counters VALUES(1,'auto',4);
INSERT INTO counters VALUES(1,'queued',4);
CREATE TABLE leases(
  case_id INTEGER PRIMARY KEY REFERENCES cases(id),
  reviewer_id INTEGER NOT NULL REFERENCES reviewers(id),
  token INTEGER NOT NULL,
  claimed_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE decisions(
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  reviewer TEXT NOT NULL,
  case_id INTEGER REFERENCES cases(id),
  action TEXT NOT NULL,
  model_label TEXT,
  label TEXT,
  reason TEXT,
  note TEXT,
  seconds REAL,
  ref_seq INTEGER,
  detail TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO decisions VALUES(1,1796065806628,'root',NULL,'init',NULL,NULL,NULL,NULL,NULL,NULL,'{"store_id":"eae4ae05d4d7c455da1542c0f189caf4","legacy_entries":0,"reviewers":[{"name":"root","role":"supervisor"}],"auto_add":false,"reasons":null,"exports":[],"batches":[],"models":[]}','0000000000000000000000000000000000000000000000000000000000000000','412169f780dbaf889694a4a8731db247d0b1df29ba21cac453834485601d94e1');
INSERT INTO decisions VALUES(2,1796065806635,'root',NULL,'import',NULL,NULL,NULL,NULL,NULL,NULL,'{"batch":1,"model":"m","model_version":"","file":"gold.csv","format":"csv","sha256":"a3788a512d8c85533dcd6971913f6cf7705e25b5353da8bdf5ca871f6b7c6171","rows":5,"routed":3,"policy_version":1,"digest":"b746b132f2cf9f1dc55fdf0f656792476d93d519037455080f790d331e4d3c22","salt_sha256":"f4b3cfd9e971f6ee6aef4b3ef22e105b2ad1de410a5249d3e46fd717069a0c23","policy":{"threshold":0.8,"label_thresholds":{},"margin":0,"entropy":0,"audit_rate":0,"double_rate":0,"gold_routing":"as-rule"}}','412169f780dbaf889694a4a8731db247d0b1df29ba21cac453834485601d94e1','c80dc01ee1c5cbb28a80d65b723f534e989fae92d566aff5550f1afe4fd785f6');
INSERT INTO decisions VALUES(3,1796065806682,'root',NULL,'import',NULL,NULL,NULL,NULL,NULL,NULL,'{"batch":2,"model":"m","model_version":"","file":"plain.csv","format":"csv","sha256":"2967be06df94f7d7dc8817ab9dd1110f89d9c4c9a862f7e52a5972e89d710e0e","rows":3,"routed":1,"policy_version":1,"digest":"ed0ebb8df7acfe1bf806a4e7d3b23edbe4aa3d5eaa963e4e68637453c4cb9a32"}','c80dc01ee1c5cbb28a80d65b723f534e989fae92d566aff5550f1afe4fd785f6','3fc59d2df5b0629aebfdccb3ff85f04edb6a6f671ba0c5d57c89d3f7157019e0');
INSERT INTO decisions VALUES(4,1796065806722,'root',NULL,'reviewer-add',NULL,NULL,NULL,NULL,NULL,NULL,'{"name":"ann","role":"reviewer"}','3fc59d2df5b0629aebfdccb3ff85f04edb6a6f671ba0c5d57c89d3f7157019e0','65f0e802ec0106c3c34737a2b7290097dc57314ec6540fd7ce5c5b7c497b7125');
CREATE TABLE reviews(
  case_id INTEGER NOT NULL REFERENCES cases(id),
  reviewer_id INTEGER NOT NULL REFERENCES reviewers(id),
  seq INTEGER NOT NULL,
  action TEXT NOT NULL,
  label TEXT,
  at INTEGER NOT NULL,
  PRIMARY KEY (case_id, reviewer_id)
) WITHOUT ROWID;
CREATE TABLE exports(
  name TEXT PRIMARY KEY,
  last_seq INTEGER NOT NULL,
  filters TEXT NOT NULL,
  audit_seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  by TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE reviewer_seen(
  reviewer TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE drift_summaries(
  batch_id INTEGER NOT NULL REFERENCES batches(id),
  ref_batch INTEGER NOT NULL REFERENCES batches(id),
  policy_version INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  computed_at INTEGER NOT NULL,
  PRIMARY KEY (batch_id, ref_batch)
) WITHOUT ROWID;
CREATE TABLE drift_bins(
  batch_id INTEGER NOT NULL,
  ref_batch INTEGER NOT NULL,
  field TEXT NOT NULL,
  kind TEXT NOT NULL,
  bin INTEGER NOT NULL,
  label TEXT NOT NULL,
  lo REAL,
  hi REAL,
  n INTEGER NOT NULL,
  PRIMARY KEY (batch_id, ref_batch, field, bin)
) WITHOUT ROWID;
CREATE TABLE drift_reference(
  model_id INTEGER PRIMARY KEY REFERENCES models(id),
  batch_id INTEGER NOT NULL REFERENCES batches(id)
);
CREATE TABLE fair_batches(
  batch_id INTEGER NOT NULL REFERENCES batches(id),
  field TEXT NOT NULL,
  part INTEGER NOT NULL,
  policy_version INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  PRIMARY KEY (batch_id, field, part)
) WITHOUT ROWID;
CREATE TABLE fair_counts(
  batch_id INTEGER NOT NULL,
  field TEXT NOT NULL,
  part INTEGER NOT NULL,
  value_kind INTEGER NOT NULL,
  value_num REAL,
  value_text TEXT,
  prediction TEXT NOT NULL,
  final_label TEXT,
  route INTEGER NOT NULL,
  policy_version INTEGER NOT NULL,
  n INTEGER NOT NULL
);
CREATE INDEX batches_sha256 ON batches(source_sha256);
CREATE INDEX cases_batch ON cases(batch_id, state);
CREATE TRIGGER cases_count_state AFTER UPDATE OF state ON cases
  WHEN old.state IS NOT new.state BEGIN
  UPDATE counters SET n = n - 1
    WHERE model_id = old.model_id AND state = old.state;
  INSERT INTO counters(model_id, state, n) VALUES (new.model_id, new.state, 1)
    ON CONFLICT (model_id, state) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER cases_count_delete AFTER DELETE ON cases BEGIN
  UPDATE counters SET n = n - 1
    WHERE model_id = old.model_id AND state = old.state;
END;
CREATE INDEX leases_expiry ON leases(expires_at);
CREATE INDEX leases_reviewer ON leases(reviewer_id);
CREATE INDEX cases_final ON cases(final_seq) WHERE final_seq IS NOT NULL;
CREATE INDEX decisions_case ON decisions(case_id, seq);
CREATE INDEX decisions_reviewer ON decisions(reviewer, seq);
CREATE INDEX decisions_action ON decisions(action, seq);
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions BEGIN
  SELECT RAISE(ABORT, 'the decision log is append-only');
END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions BEGIN
  SELECT RAISE(ABORT, 'the decision log is append-only');
END;
CREATE INDEX reviews_reviewer ON reviews(reviewer_id, at);
CREATE INDEX cases_queue_model ON cases(model_id, priority DESC, urgency, id)
  WHERE state = 'queued';
CREATE INDEX decisions_ref ON decisions(ref_seq) WHERE ref_seq IS NOT NULL;
CREATE TRIGGER decisions_append_only BEFORE INSERT ON decisions
  WHEN new.seq IS NOT coalesce((SELECT max(seq) FROM decisions), 0) + 1
  BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
CREATE INDEX decisions_at ON decisions(at);
CREATE INDEX cases_gold ON cases(id, gold) WHERE gold IS NOT NULL;
CREATE INDEX cases_reviewed ON cases(model_id, decided_at, prediction,
  final_label, confidence, route_reason, final_seq)
  WHERE final_seq IS NOT NULL;
CREATE INDEX cases_waiting ON cases(state, id)
  WHERE state = 'escalated' OR state = 'disputed';
CREATE INDEX cases_auto_version ON cases(model_id, policy_version)
  WHERE state = 'auto';
CREATE INDEX fair_counts_batch ON fair_counts(batch_id, field, part);
CREATE INDEX batches_model ON batches(model_id, id);
CREATE VIEW case_reasons AS SELECT id AS case_id,
  CASE WHEN route_reason LIKE 'gold check; %' THEN substr(route_reason, 13) WHEN route_reason IN ('gold check', 'audit sample') THEN 'spot check' ELSE route_reason END AS reason FROM cases;
COMMIT;
