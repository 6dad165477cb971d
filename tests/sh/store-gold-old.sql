-- A docket store as docket 4104b42 made it on SQLite (schema 10), for
-- t_gold_route.sh: gold cases routed the old way (every one "gold check",
-- its urgency drawn over [0, t), whatever its confidence), under a policy
-- whose JSON has no "gold_routing". Made at DOCKET_NOW=2026-06-01T09:00Z:
-- docket init; reviewer add sam --role supervisor; reviewer add ann;
-- import of this CSV as model m (default policy, threshold 0.8):
--   id,prediction,p:good,p:bad,gold,text
--   n1,good,0.62,0.38,,plain below the threshold
--   g1,good,0.60,0.40,bad,gold below the threshold
--   n2,good,0.58,0.42,,plain below the threshold
--   g2,good,0.97,0.03,good,gold confident
--   g3,bad,0.30,0.70,bad,gold decided before the change
--   n3,good,0.95,0.05,,plain confident
-- then (09:05Z) ann claimed g3 (docket next) and accepted it. sqlite3 .dump,
-- with the two pragmas .dump leaves out.
PRAGMA application_id = 1685021547;
PRAGMA user_version = 10;
PRAGMA journal_mode = WAL;
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE meta(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO meta VALUES('created_at','1780304400000');
INSERT INTO meta VALUES('created_by','root');
INSERT INTO meta VALUES('lease_token','1');
INSERT INTO meta VALUES('store_id','4f6f9b39c2fadf5d5a6395b97526e659');
CREATE TABLE reviewers(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('reviewer','supervisor')),
  added_at INTEGER NOT NULL,
  added_by TEXT NOT NULL
);
INSERT INTO reviewers VALUES(1,'root','supervisor',1780304400000,'root');
INSERT INTO reviewers VALUES(2,'sam','supervisor',1780304400000,'root');
INSERT INTO reviewers VALUES(3,'ann','reviewer',1780304400000,'root');
CREATE TABLE models(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  labels TEXT NOT NULL DEFAULT '[]',
  audit_salt TEXT NOT NULL,
  policy_version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);
INSERT INTO models VALUES(1,'m','["good","bad"]','3fd44705ffc854c92e7ef15f395dd643',1,1780304400000);
CREATE TABLE policies(
  model_id INTEGER NOT NULL REFERENCES models(id),
  version INTEGER NOT NULL,
  policy TEXT NOT NULL,
  set_by TEXT NOT NULL,
  set_at INTEGER NOT NULL,
  PRIMARY KEY (model_id, version)
) WITHOUT ROWID;
INSERT INTO policies VALUES(1,1,'{"threshold":0.8,"label_thresholds":{},"margin":0,"entropy":0,"audit_rate":0,"double_rate":0}','root',1780304400000);
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
INSERT INTO batches VALUES(1,1,'','old-gold.csv','4570c4963534cbe5c1bbaf3e87f4caec4eaadaa25b1f80d317e085e0ceacc52f','csv',6,5,'root',1780304400000,0,NULL,NULL,'["good","bad"]');
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
INSERT INTO cases VALUES(1,1,1,'n1',2,'good',0.61999999999999999555,NULL,NULL,X'231b7301b490',NULL,'{}','plain below the threshold',NULL,0,'queued','confidence 0.62 < 0.80',1,0.61999999999999999555,1,NULL,NULL,NULL);
INSERT INTO cases VALUES(2,1,1,'g1',3,'good',0.59999999999999997779,NULL,NULL,X'231b7101b510',NULL,'{}','gold below the threshold','bad',0,'queued','gold check',1,0.76732341571410567215,1,NULL,NULL,NULL);
INSERT INTO cases VALUES(3,1,1,'n2',4,'good',0.57999999999999996003,NULL,NULL,X'231b6901b530',NULL,'{}','plain below the threshold',NULL,0,'queued','confidence 0.58 < 0.80',1,0.57999999999999996003,1,NULL,NULL,NULL);
INSERT INTO cases VALUES(4,1,1,'g2',5,'good',0.96999999999999997335,NULL,NULL,X'231ba801b140',NULL,'{}','gold confident','good',0,'queued','gold check',1,0.77890890945167168268,1,NULL,NULL,NULL);
INSERT INTO cases VALUES(5,1,1,'g3',6,'bad',0.69999999999999995559,NULL,NULL,X'231b4101b810',NULL,'{}','gold decided before the change','bad',0,'done','gold check',1,0.31608867261316464514,1,'bad',5,1780304700000);
INSERT INTO cases VALUES(6,1,1,'n3',7,'good',0.94999999999999995559,NULL,NULL,X'231ba601b160',NULL,'{}','plain confident',NULL,0,'auto',NULL,1,0.94999999999999995559,1,NULL,NULL,NULL);
CREATE TABLE counters(
  model_id INTEGER NOT NULL REFERENCES models(id),
  state TEXT NOT NULL,
  n INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (model_id, state)
) WITHOUT ROWID;
INSERT INTO counters VALUES(1,'auto',1);
INSERT INTO counters VALUES(1,'done',1);
INSERT INTO counters VALUES(1,'held',0);
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
INSERT INTO decisions VALUES(1,1780304400000,'root',NULL,'init',NULL,NULL,NULL,NULL,NULL,NULL,'{"store_id":"4f6f9b39c2fadf5d5a6395b97526e659","legacy_entries":0,"reviewers":[{"name":"root","role":"supervisor"}],"auto_add":false,"reasons":null,"exports":[],"batches":[],"models":[]}','0000000000000000000000000000000000000000000000000000000000000000','fac8121ba17564883925bf77ebcefc05774c5460dafe2c7213c9dc12c0f943b4');
INSERT INTO decisions VALUES(2,1780304400000,'root',NULL,'reviewer-add',NULL,NULL,NULL,NULL,NULL,NULL,'{"name":"sam","role":"supervisor"}','fac8121ba17564883925bf77ebcefc05774c5460dafe2c7213c9dc12c0f943b4','d97dde27073cb618bdb89e843132855bfe07c1673d580a1b3327641602820a0b');
INSERT INTO decisions VALUES(3,1780304400000,'root',NULL,'reviewer-add',NULL,NULL,NULL,NULL,NULL,NULL,'{"name":"ann","role":"reviewer"}','d97dde27073cb618bdb89e843132855bfe07c1673d580a1b3327641602820a0b','0e81c64716ac6bfaf630275e363e9e71cf3642de5c45b33af4ab279382cb5c97');
INSERT INTO decisions VALUES(4,1780304400000,'root',NULL,'import',NULL,NULL,NULL,NULL,NULL,NULL,'{"batch":1,"model":"m","model_version":"","file":"old-gold.csv","format":"csv","sha256":"4570c4963534cbe5c1bbaf3e87f4caec4eaadaa25b1f80d317e085e0ceacc52f","rows":6,"routed":5,"policy_version":1,"digest":"f5e1d601003690cb7cf1ef11cf4d194fe4e4e726f8efef65a344b80d4f03d8c7","salt_sha256":"0d84f7e0ef861770a8b8a89a2a186efe51de5d96d70f32d7fbd057b83246af9e","policy":{"threshold":0.8,"label_thresholds":{},"margin":0,"entropy":0,"audit_rate":0,"double_rate":0}}','0e81c64716ac6bfaf630275e363e9e71cf3642de5c45b33af4ab279382cb5c97','516bbb38b3bff9270d7b370cc158a6997353e7e4219ed33f2e6fd14a82229274');
INSERT INTO decisions VALUES(5,1780304700000,'ann',5,'accept','bad','bad',NULL,NULL,NULL,NULL,NULL,'516bbb38b3bff9270d7b370cc158a6997353e7e4219ed33f2e6fd14a82229274','890adc1e28dab87080e1a9ce870913820b95894801fb1aa22a91057059bcde75');
CREATE TABLE reviews(
  case_id INTEGER NOT NULL REFERENCES cases(id),
  reviewer_id INTEGER NOT NULL REFERENCES reviewers(id),
  seq INTEGER NOT NULL,
  action TEXT NOT NULL,
  label TEXT,
  at INTEGER NOT NULL,
  PRIMARY KEY (case_id, reviewer_id)
) WITHOUT ROWID;
INSERT INTO reviews VALUES(5,3,5,'accept','bad',1780304700000);
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
COMMIT;
