# sup_fixture.sh: sup_fixture STORE builds, with SQL, the same small store as
# tests/sup_fixture.h (see the figures worked out there): model credit,
# cases 1-50 double-reviewed by alice and bob, carol's escalate and undone
# accept, dave's audit sample of 10 with one override.
sup_fixture() {
	# a log built by hand from seq 1: the store's init entry goes (its
	# trigger is put back as it was; on PostgreSQL the superuser's session
	# runs without the store's triggers)
	if [ "${DOCKET_TEST_ENGINE:-}" = postgres ]; then
		# the reviewers are login roles granted the store's reviewer
		# role, as `reviewer add` leaves them (login roles are the
		# cluster's: made once)
		{ echo "SET client_min_messages = error;"
		  echo "SET session_replication_role = replica; DELETE FROM decisions;"
		  for r in alice bob carol dave; do
			echo "DO \$\$ BEGIN CREATE ROLE $r LOGIN;"
			echo "EXCEPTION WHEN duplicate_object THEN NULL; END \$\$;"
			echo "SELECT grant_role('$r', 'reviewer');"
		  done
		  # counters is a view there, whose insert trigger does not
		  # fire in replica mode: the counts go into its shard table
		  sup_fixture_sql | sed 's/INSERT INTO counters(/INSERT INTO counter_shards(/'
		} | sql_in "$1"
		return
	fi
	trigger=$(sqlite3 -batch -noheader "$1" \
		"SELECT sql || ';' FROM sqlite_schema WHERE name = 'decisions_no_delete'")
	sqlite3 -batch "$1" "DROP TRIGGER decisions_no_delete; DELETE FROM decisions; $trigger"
	sup_fixture_sql | sqlite3 -batch "$1"
}

# sup_fixture_sql: the fixture's rows as SQL both engines take.
sup_fixture_sql() {
	echo "BEGIN;"
	echo "INSERT INTO models(id,name,labels,audit_salt,created_at) VALUES(1,'credit','[\"good\",\"bad\"]','x',0);"
	echo "INSERT INTO batches(id,model_id,source_file,source_sha256,format,rows,routed,imported_by,imported_at) VALUES(1,1,'f.csv','h','csv',62,62,'me',0);"
	echo "INSERT INTO reviewers(name,role,added_at,added_by) VALUES('alice','reviewer',0,'x'),('bob','reviewer',0,'x'),('carol','reviewer',0,'x'),('dave','reviewer',0,'x');"
	echo "INSERT INTO counters(model_id,state,n) VALUES(1,'auto',100);"
	day1=1767225600000
	day2=$((day1 + 86400000))
	seq=0
	i=1
	while [ $i -le 50 ]; do
		if [ $i -le 20 ] || { [ $i -ge 36 ] && [ $i -le 40 ]; }; then a=good; else a=bad; fi
		if [ $i -le 20 ] || [ $i -ge 41 ]; then b=good; else b=bad; fi
		if [ $i -le 20 ]; then conf=0.55; day=$day1; else conf=0.75; day=$day2; fi
		at=$((day + 1000 * i))
		if [ $i -ge 36 ]; then gold="'good'"; else gold=NULL; fi
		if [ $((i % 2)) = 1 ]; then mar=married; else mar=single; fi
		if [ $i -le 35 ]; then
			fin="'$a',1,$at"; state=done
		else
			fin="NULL,NULL,NULL"; state=disputed
		fi
		echo "INSERT INTO cases(id,model_id,batch_id,ext_id,line,prediction,confidence,context,gold,state,route_reason,policy_version,urgency,final_label,final_seq,decided_at) VALUES($i,1,1,'c$i',$((i+1)),'good',$conf,'{\"Age\":$i,\"Marital\":\"$mar\"}',$gold,'$state','confidence',1,$conf,$fin);"
		if [ $a = good ]; then act=accept; else act=override; fi
		if [ $i -le 10 ]; then secs=1.0; else secs=5.0; fi
		note=NULL
		[ $i = 7 ] && note="'Looked at Income'"
		seq=$((seq + 1))
		echo "INSERT INTO decisions(seq,at,reviewer,case_id,action,model_label,label,note,seconds,prev_hash,hash) VALUES($seq,$at,'alice',$i,'$act','good','$a',$note,$secs,'p','h$seq');"
		if [ $b = good ]; then act=accept; else act=override; fi
		seq=$((seq + 1))
		echo "INSERT INTO decisions(seq,at,reviewer,case_id,action,model_label,label,seconds,prev_hash,hash) VALUES($seq,$((at + 500)),'bob',$i,'$act','good','$b',4.0,'p','h$seq');"
		i=$((i + 1))
	done
	echo "INSERT INTO cases(id,model_id,batch_id,ext_id,line,prediction,confidence,state,route_reason,policy_version,urgency) VALUES(51,1,1,'c51',52,'good',0.6,'escalated','confidence',1,0.6),(52,1,1,'c52',53,'good',0.6,'queued','confidence',1,0.6);"
	echo "INSERT INTO decisions(seq,at,reviewer,case_id,action,model_label,reason,note,seconds,prev_hash,hash) VALUES(101,$((day2 + 100000)),'carol',51,'escalate','good','unsure','ask a supervisor',10.0,'p','h101');"
	echo "INSERT INTO decisions(seq,at,reviewer,case_id,action,model_label,label,seconds,prev_hash,hash) VALUES(102,$((day2 + 101000)),'carol',52,'accept','good','good',2.0,'p','h102');"
	echo "INSERT INTO decisions(seq,at,reviewer,case_id,action,model_label,ref_seq,prev_hash,hash) VALUES(103,$((day2 + 102000)),'carol',52,'undo','good',102,'p','h103');"
	seq=103
	i=53
	while [ $i -le 62 ]; do
		at=$((day2 + 200000 + 1000 * i))
		if [ $i = 53 ]; then l=bad; act=override; else l=good; act=accept; fi
		echo "INSERT INTO cases(id,model_id,batch_id,ext_id,line,prediction,confidence,state,route_reason,policy_version,urgency,final_label,final_seq,decided_at) VALUES($i,1,1,'c$i',$((i+1)),'good',0.95,'done','audit sample',1,0.95,'$l',1,$at);"
		seq=$((seq + 1))
		echo "INSERT INTO decisions(seq,at,reviewer,case_id,action,model_label,label,seconds,prev_hash,hash) VALUES($seq,$at,'dave',$i,'$act','good','$l',4.0,'p','h$seq');"
		i=$((i + 1))
	done
	echo "INSERT INTO counters(model_id,state,n) SELECT model_id,state,count(*) FROM cases GROUP BY model_id,state;"
	echo "COMMIT;"
}
