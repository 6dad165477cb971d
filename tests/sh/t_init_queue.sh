# init makes a private store; queue reads counters; usage errors exit 2.
. "$DOCKET_TESTS/sh/lib.sh"

run "$DOCKET" --version
expect_rc 0
expect_out "docket "

run "$DOCKET" --help
expect_rc 0
expect_out "import"

run "$DOCKET" frobnicate
expect_rc 2
expect_err "unknown command 'frobnicate'"

run "$DOCKET" init s.db
expect_rc 0
! on_sqlite || [ "$(stat -c %a s.db)" = 600 ] || fail "store mode is $(stat -c %a s.db), want 600"
! on_sqlite || [ "$(sql s.db 'PRAGMA journal_mode')" = wal ] || fail "not WAL"
[ "$(sql s.db "SELECT role FROM reviewers")" = supervisor ] || fail "no supervisor"

run "$DOCKET" init s.db
expect_rc 1
expect_err "s.db: already exists"

run "$DOCKET" init
expect_rc 2
expect_err "docket init: expected one STORE path"

run "$DOCKET" queue nope.db
expect_rc 1
expect_no_store nope.db

run "$DOCKET" queue s.db
expect_rc 0
expect_out "live leases: 0"

# Counters drive the figures: seed a model with cases by hand.
sql s.db "INSERT INTO models(id,name,audit_salt,created_at) VALUES(1,'credit','x',0);
INSERT INTO batches(id,model_id,source_file,source_sha256,format,rows,routed,imported_by,imported_at)
 VALUES(1,1,'f.csv','h','csv',3,2,'me',1700000000000);
INSERT INTO cases(model_id,batch_id,ext_id,line,prediction,confidence,state,policy_version,urgency)
 VALUES(1,1,'a',2,'good',0.5,'queued',1,0.5),(1,1,'b',3,'good',0.6,'queued',1,0.6),(1,1,'c',4,'good',0.9,'auto',1,0.9);
INSERT INTO counters VALUES(1,'queued',2),(1,'auto',1);"
run "$DOCKET" queue s.db --json
expect_rc 0
expect_out '"model":"credit","queued":2,"held":0'
expect_out '"auto":1,"oldest_waiting":"2023-11-14T22:13:20Z"'

run "$DOCKET" queue s.db --model nosuch
expect_rc 1
expect_err "no model named 'nosuch'"
