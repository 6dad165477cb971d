-- A docket store as docket 120be0e made it on PostgreSQL (revision 7:
-- case_pii holds each case's whole context), for t_pg_rev8_upgrade.sh and
-- t_pg_floor_upgrade.sh:
-- init by postgres in database old7, sam supervisor, alice reviewer
-- (docket reviewer add), the first 30 cases of sample-data/credit.csv
-- imported by sam as credit30.csv, app-00003 accepted and app-00023
-- overridden (good) by alice, then `docket export --only all` by sam
-- (store-rev7-export.csv, that binary's output). pg_dump --schema=docket;
-- the test makes the roles first.
--
-- PostgreSQL database dump
--

\restrict 99N3V0MkbF7zje75y8B7eEEpnJukdAT7WVWGY2mUSbsUVsGfNN49EbuUgbWW2zA

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: docket; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA docket;


ALTER SCHEMA docket OWNER TO postgres;

--
-- Name: batches_keys_once(); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.batches_keys_once() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF (old.ctx_keys IS NOT NULL AND new.ctx_keys IS DISTINCT FROM old.ctx_keys)
    OR (old.attr_keys IS NOT NULL
      AND new.attr_keys IS DISTINCT FROM old.attr_keys)
    OR (old.prob_keys IS NOT NULL
      AND new.prob_keys IS DISTINCT FROM old.prob_keys)
  THEN
    RAISE EXCEPTION 'a batch''s key lists never change once set'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN new;
END $$;


ALTER FUNCTION docket.batches_keys_once() OWNER TO postgres;

--
-- Name: caller_role(); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.caller_role() RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN RETURN coalesce(nullif(current_setting('role'), 'none'),
    session_user::text);
END $$;


ALTER FUNCTION docket.caller_role() OWNER TO postgres;

--
-- Name: case_pii_refs(); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.case_pii_refs() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_pii n
      WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = n.case_id))
  THEN
    RAISE EXCEPTION 'personal values name a case that does not exist'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;


ALTER FUNCTION docket.case_pii_refs() OWNER TO postgres;

--
-- Name: cases_count_delete(); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.cases_count_delete() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  PERFORM counter_add(old.model_id, old.state, -1, pg_backend_pid() % 64);
  RETURN NULL;
END $$;


ALTER FUNCTION docket.cases_count_delete() OWNER TO postgres;

--
-- Name: cases_count_state(); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.cases_count_state() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE k integer := pg_backend_pid() % 64;
  o text := CASE old.state WHEN 'held' THEN '0' WHEN 'queued' THEN '1'
    ELSE '2' || old.state END COLLATE "C";
  n text := CASE new.state WHEN 'held' THEN '0' WHEN 'queued' THEN '1'
    ELSE '2' || new.state END COLLATE "C";
BEGIN
  IF o < n THEN
    PERFORM counter_add(old.model_id, old.state, -1, k);
  END IF;
  PERFORM counter_add(new.model_id, new.state, 1, k);
  IF o > n THEN
    PERFORM counter_add(old.model_id, old.state, -1, k);
  END IF;
  RETURN NULL;
END $$;


ALTER FUNCTION docket.cases_count_state() OWNER TO postgres;

--
-- Name: cases_guard(); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.cases_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE same boolean := (new.final_label, new.final_seq, new.decided_at)
  IS NOT DISTINCT FROM (old.final_label, old.final_seq, old.decided_at);
BEGIN
  IF NOT only_reviewer() OR (same AND new.state = old.state)
     OR (same AND old.state = 'queued' AND new.state = 'held')
     OR (same AND old.state = 'held' AND new.state = 'queued'
         AND NOT EXISTS (SELECT 1 FROM leases l JOIN reviewers r
           ON r.id = l.reviewer_id WHERE l.case_id = old.id
           AND r.name <> current_user AND l.expires_at > now_ms()))
     OR (entered_now(old.id) AND CASE WHEN new.final_seq IS NULL
         THEN new.final_label IS NULL AND new.decided_at IS NULL
         ELSE EXISTS (SELECT 1 FROM decisions d WHERE d.seq = new.final_seq
           AND d.case_id = old.id AND d.label = new.final_label
           AND d.at = new.decided_at
           AND d.action IN ('accept','override','resolve')) END) THEN
    RETURN new;
  END IF;
  RAISE EXCEPTION 'docket: % may not change case % directly: a reviewer changes a case only by claiming it or by a decision on it', current_user, old.id USING ERRCODE = 'insufficient_privilege';
END $$;


ALTER FUNCTION docket.cases_guard() OWNER TO postgres;

--
-- Name: cases_held_leased(); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.cases_held_leased() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF only_reviewer() AND EXISTS (SELECT 1 FROM cases c
       WHERE c.id = new.id AND c.state = 'held')
     AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.case_id = new.id) THEN
    RAISE EXCEPTION 'docket: case % is held without a lease', new.id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END $$;


ALTER FUNCTION docket.cases_held_leased() OWNER TO postgres;

--
-- Name: cases_refs(); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.cases_refs() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF EXISTS (SELECT 1
      FROM (SELECT DISTINCT model_id, batch_id FROM new_cases) n
      WHERE NOT EXISTS (SELECT 1 FROM batches b WHERE b.id = n.batch_id)
      OR NOT EXISTS (SELECT 1 FROM models m WHERE m.id = n.model_id))
  THEN
    RAISE EXCEPTION 'a case names a model or batch that does not exist'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;


ALTER FUNCTION docket.cases_refs() OWNER TO postgres;

--
-- Name: chain_head(); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.chain_head() RETURNS TABLE(seq bigint, hash text, at bigint)
    LANGUAGE plpgsql
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(1684234091, 3);
  RETURN QUERY SELECT d.seq, CAST(d.hash AS text), d.at FROM decisions d
    ORDER BY d.seq DESC LIMIT 1;
END $$;


ALTER FUNCTION docket.chain_head() OWNER TO postgres;

--
-- Name: claim(text, text, bigint, bigint, bigint); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.claim(p_reviewer text, p_model text, p_now bigint, p_cooldown_ms bigint, p_expires bigint) RETURNS TABLE(claim_reviewer bigint, claim_model bigint, claim_case bigint, claim_token bigint)
    LANGUAGE plpgsql ROWS 1
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE rid bigint; mid bigint := 0; c bigint; t bigint; v text;
  since bigint;
BEGIN
  SELECT r.id INTO rid FROM reviewers r WHERE r.name = p_reviewer;
  IF p_model IS NOT NULL THEN
    SELECT m.id INTO mid FROM models m WHERE m.name = p_model;
  END IF;
  IF rid IS NULL OR mid IS NULL THEN
    RETURN QUERY SELECT rid, mid, NULL::bigint, NULL::bigint;
    RETURN;
  END IF;
  SELECT m.value INTO v FROM meta m WHERE m.key = 'skip_cooldown_s';
  since := p_now - CASE WHEN v ~ '^[+]?[0-9]{1,15}$'
    THEN CAST(v AS bigint) * 1000 ELSE p_cooldown_ms END;
  PERFORM reclaim(p_now);
  IF mid = 0 THEN
    UPDATE cases x SET state = 'held' WHERE x.id = (SELECT b.id FROM models m CROSS JOIN LATERAL  (SELECT q.id, q.priority, q.urgency FROM cases q   WHERE q.model_id = m.id AND q.state = 'queued' AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.case_id = q.id AND r.reviewer_id = rid AND (r.action <> 'skip' OR r.at > since))   ORDER BY q.priority DESC, q.urgency, q.id LIMIT 1   FOR UPDATE SKIP LOCKED) b  ORDER BY b.priority DESC, b.urgency, b.id LIMIT 1) RETURNING x.id INTO c;
  ELSE
    UPDATE cases x SET state = 'held' WHERE x.id = (SELECT q.id FROM cases q WHERE q.model_id = mid  AND q.state = 'queued' AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.case_id = q.id AND r.reviewer_id = rid AND (r.action <> 'skip' OR r.at > since))  ORDER BY q.priority DESC, q.urgency, q.id LIMIT 1  FOR UPDATE SKIP LOCKED) RETURNING x.id INTO c;
  END IF;
  IF c IS NOT NULL THEN
    INSERT INTO leases AS l(case_id, reviewer_id, token, claimed_at,
        expires_at)
      VALUES (c, rid, nextval('lease_tokens') + coalesce((SELECT
        CAST(m.value AS bigint) FROM meta m WHERE m.key = 'lease_token'), 0),
        p_now, p_expires)
      RETURNING l.token INTO t;
  END IF;
  RETURN QUERY SELECT rid, mid, c, t;
END $_$;


ALTER FUNCTION docket.claim(p_reviewer text, p_model text, p_now bigint, p_cooldown_ms bigint, p_expires bigint) OWNER TO postgres;

--
-- Name: context_full(bigint, text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.context_full(c bigint, ctx text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN RETURN coalesce((SELECT p.context FROM case_pii p WHERE p.case_id = c),
    ctx);
END $$;


ALTER FUNCTION docket.context_full(c bigint, ctx text) OWNER TO postgres;

--
-- Name: counter_add(bigint, text, bigint, integer); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.counter_add(m bigint, st text, d bigint, k integer) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  INSERT INTO counter_shards AS c(model_id, state, shard, n)
    VALUES (m, st, k, d)
    ON CONFLICT (model_id, state, shard) DO UPDATE SET n = c.n + d;
END $$;


ALTER FUNCTION docket.counter_add(m bigint, st text, d bigint, k integer) OWNER TO postgres;

--
-- Name: counters_insert(); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.counters_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  PERFORM counter_add(new.model_id, new.state, new.n, 0);
  RETURN new;
END $$;


ALTER FUNCTION docket.counters_insert() OWNER TO postgres;

--
-- Name: decide(text, bigint, text, text, text, text, double precision, text, text, bigint, bigint, text, text, text, bigint, bigint, boolean); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.decide(p_reviewer text, p_case bigint, p_action text, p_label text, p_reason text, p_note text, p_seconds double precision, p_head text, p_tail text, p_now bigint, p_token bigint, p_reasons text, p_state text, p_final_label text, p_final_seq bigint, p_decided_at bigint, p_end_lease boolean) RETURNS TABLE(entry_seq bigint, entry_at bigint, entry_hash text, entry_state text)
    LANGUAGE plpgsql SECURITY DEFINER ROWS 1
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
  s bigint; a bigint; prev text; hx text; lease_end bigint;
  me text := caller_role();
  fast boolean := p_state IS NULL;
  code text := CASE WHEN p_state IS NULL THEN '23514' ELSE '42501' END;
  st text := p_state; fl text := p_final_label; fs bigint := p_final_seq;
  fa bigint := p_decided_at; lbl text := p_label; pred text;
  labels text; cst text; rn integer; holder text; tok bigint;
  f_end bigint; v text; codes text[]; votes bigint; first_vote text;
  bypass boolean := EXISTS (SELECT 1 FROM pg_roles r
    WHERE r.rolname = me AND (r.rolsuper OR r.rolbypassrls))
    OR me = (SELECT r.rolname FROM pg_class c JOIN pg_roles r
      ON r.oid = c.relowner WHERE c.oid = 'decisions'::regclass);
  sup boolean := bypass
    OR pg_has_role(me, store_role('supervisor'), 'USAGE');
BEGIN
  IF NOT bypass AND p_reviewer IS DISTINCT FROM me THEN
    RAISE EXCEPTION 'docket: % may not enter a decision for %',
      me, p_reviewer USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT sup AND p_action NOT IN ('accept', 'override', 'escalate', 'skip') THEN
    RAISE EXCEPTION 'docket: % may not enter % entries', me,
      p_action USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF fast AND p_action NOT IN ('accept', 'override', 'escalate', 'skip') THEN
    RAISE EXCEPTION 'docket: % is not a plain decision', p_action
      USING ERRCODE = code;
  END IF;
  SELECT l.expires_at, l.token, r.name INTO f_end, tok, holder
    FROM leases l LEFT JOIN reviewers r ON r.id = l.reviewer_id
    WHERE l.case_id = p_case FOR UPDATE OF l;
  SELECT c.prediction, c.state, c.reviews_needed, m.labels
    INTO pred, cst, rn, labels FROM cases c JOIN models m ON m.id = c.model_id
    WHERE c.id = p_case FOR UPDATE OF c;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'docket: no case %', p_case USING ERRCODE = code;
  END IF;
  IF fast AND (holder IS DISTINCT FROM p_reviewer OR NOT f_end > p_now
      OR (p_token <> 0 AND tok IS DISTINCT FROM p_token)
      OR cst <> 'held') THEN
    RAISE EXCEPTION 'docket: % holds no live lease on case % (token %)',
      p_reviewer, p_case, p_token USING ERRCODE = code;
  END IF;
  SELECT l.expires_at INTO lease_end FROM leases l JOIN reviewers r
    ON r.id = l.reviewer_id WHERE l.case_id = p_case
    AND r.name = me;
  IF NOT sup AND NOT coalesce(lease_end > p_now, false) THEN
    RAISE EXCEPTION 'docket: % holds no live lease on case %',
      me, p_case USING ERRCODE = code;
  END IF;
  IF p_action = 'accept' THEN
    IF p_label IS DISTINCT FROM pred AND p_label IS NOT NULL THEN
      RAISE EXCEPTION 'docket: accept keeps the model''s label %', pred
        USING ERRCODE = code;
    END IF;
    lbl := pred;
  ELSIF p_action IN ('override', 'resolve') THEN
    IF p_label IS NULL OR (p_action = 'override' AND p_label = pred)
       OR NOT (pg_catalog.json_array_length(coalesce(labels, '[]')::json) = 0
         OR EXISTS (SELECT 1 FROM json_array_elements_text(labels::json) e
           WHERE e = p_label)) THEN
      RAISE EXCEPTION 'docket: % with label % on case %', p_action,
        p_label, p_case USING ERRCODE = code;
    END IF;
  ELSIF p_label IS NOT NULL THEN
    RAISE EXCEPTION 'docket: % takes no label', p_action USING ERRCODE = code;
  END IF;
  IF fast AND p_reason IS NOT NULL THEN
    SELECT m.value INTO v FROM meta m WHERE m.key = 'reason_codes';
    BEGIN
      IF json_typeof(v::json) = 'array' THEN
        codes := ARRAY(SELECT e #>> '{}' FROM json_array_elements(v::json) e
          WHERE json_typeof(e) = 'string');
      END IF;
    EXCEPTION WHEN others THEN
      RAISE EXCEPTION 'docket: the reason codes do not read'
        USING ERRCODE = code;
    END;
    IF coalesce(cardinality(codes), 0) = 0 THEN
      codes := ARRAY(SELECT json_array_elements_text(p_reasons::json));
    END IF;
    IF NOT coalesce(p_reason = ANY(codes), false) THEN
      RAISE EXCEPTION 'docket: unknown reason code %', p_reason
        USING ERRCODE = code;
    END IF;
  END IF;
  IF fast THEN
    IF EXISTS (SELECT 1 FROM decisions d WHERE d.case_id = p_case
        AND (d.ref_seq IS NOT NULL
          OR d.action IN ('undo', 'escalate', 'resolve'))) THEN
      RAISE EXCEPTION 'docket: case % has a log replayed the long way',
        p_case USING ERRCODE = code;
    END IF;
    rn := least(greatest(rn, 1), 2);
    SELECT count(*), (array_agg(coalesce(d.label, '') ORDER BY d.seq))[1]
      INTO votes, first_vote FROM decisions d WHERE d.case_id = p_case
      AND d.action IN ('accept', 'override');
    IF votes >= rn THEN
      RAISE EXCEPTION 'docket: case % has its reviews', p_case
        USING ERRCODE = code;
    END IF;
    st := 'queued';
    IF p_action = 'escalate' THEN
      st := 'escalated';
    ELSIF p_action IN ('accept', 'override') AND votes + 1 >= rn THEN
      IF votes = 1 AND first_vote <> lbl THEN
        st := 'disputed';
      ELSE
        st := 'done'; fl := lbl; fs := -1;
      END IF;
    END IF;
  END IF;
  IF st NOT IN ('queued', 'escalated', 'disputed', 'done')
     OR (fs IS NULL AND (fl IS NOT NULL OR fa IS NOT NULL))
     OR (fs = -1 AND (p_action NOT IN ('accept', 'override',
         'resolve') OR fl IS DISTINCT FROM lbl))
     OR (fs <> -1 AND NOT EXISTS (SELECT 1 FROM decisions d
         WHERE d.seq = fs AND d.case_id = p_case
         AND d.label = fl AND d.at = fa
         AND d.action IN ('accept', 'override', 'resolve'))) THEN
    RAISE EXCEPTION 'docket: case % cannot become % with final entry %',
      p_case, st, fs USING ERRCODE = code;
  END IF;
  IF fast OR p_end_lease THEN
    DELETE FROM leases l WHERE l.case_id = p_case;
  END IF;
  IF fs = -1 THEN
    UPDATE cases c SET state = st WHERE c.id = p_case;
  ELSE
    UPDATE cases c SET state = st, final_label = fl, final_seq = fs,
        decided_at = fa WHERE c.id = p_case;
  END IF;
  PERFORM pg_advisory_xact_lock(1684234091, 3);
  SELECT d.seq, d.at, CAST(d.hash AS text) INTO s, a, prev
    FROM decisions d ORDER BY d.seq DESC LIMIT 1;
  s := coalesce(s, 0) + 1;
  a := greatest(coalesce(a, 0), p_now);
  prev := coalesce(prev, repeat('0', 64));
  IF NOT sup AND lease_end <= a THEN
    RAISE EXCEPTION 'docket: the lease of % on case % ran out before the log''s latest entry', me, p_case
      USING ERRCODE = code;
  END IF;
  hx := encode(sha256(
    int8send(octet_length('docket-audit-v1')::bigint)
    || convert_to('docket-audit-v1', 'UTF8')
    || int8send(octet_length(s::text)::bigint) || convert_to(s::text, 'UTF8')
    || int8send(octet_length(a::text)::bigint) || convert_to(a::text, 'UTF8')
    || decode(p_head, 'hex')
    || int8send(octet_length(convert_to(pred, 'UTF8'))::bigint)
    || convert_to(pred, 'UTF8')
    || CASE WHEN lbl IS NULL THEN '\xffffffffffffffff'::bytea
      ELSE int8send(octet_length(convert_to(lbl, 'UTF8'))::bigint)
        || convert_to(lbl, 'UTF8') END
    || decode(p_tail, 'hex')
    || int8send(octet_length(prev)::bigint) || convert_to(prev, 'UTF8')),
    'hex');
  INSERT INTO decisions(seq, at, reviewer, case_id, action, model_label,
      label, reason, note, seconds, prev_hash, hash)
    VALUES (s, a, p_reviewer, p_case, p_action, pred, lbl,
      p_reason, p_note, p_seconds, prev, hx);
  IF fs = -1 THEN
    UPDATE cases c SET final_label = fl, final_seq = s, decided_at = a
      WHERE c.id = p_case;
  END IF;
  INSERT INTO reviews AS v(case_id, reviewer_id, seq, action, label, at)
    SELECT p_case, r.id, s, p_action, lbl, a FROM reviewers r
    WHERE r.name = p_reviewer
    ON CONFLICT (case_id, reviewer_id) DO UPDATE SET seq = excluded.seq,
      action = excluded.action, label = excluded.label, at = excluded.at;
  RETURN QUERY SELECT s, a, hx, st;
END $$;


ALTER FUNCTION docket.decide(p_reviewer text, p_case bigint, p_action text, p_label text, p_reason text, p_note text, p_seconds double precision, p_head text, p_tail text, p_now bigint, p_token bigint, p_reasons text, p_state text, p_final_label text, p_final_seq bigint, p_decided_at bigint, p_end_lease boolean) OWNER TO postgres;

--
-- Name: decisions_append_only(); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.decisions_append_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF TG_OP <> 'INSERT' OR new.seq IS DISTINCT FROM
     coalesce((SELECT max(seq) FROM decisions), 0) + 1 THEN
    RAISE EXCEPTION 'the decision log is append-only'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN new;
END $$;


ALTER FUNCTION docket.decisions_append_only() OWNER TO postgres;

--
-- Name: dk_concat_step(text, text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.dk_concat_step(acc text, v text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  SELECT dk_concat_step(acc, v, ',')
$$;


ALTER FUNCTION docket.dk_concat_step(acc text, v text) OWNER TO postgres;

--
-- Name: dk_concat_step(text, text, text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.dk_concat_step(acc text, v text, sep text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v
    ELSE acc || coalesce(sep, '') || v END
$$;


ALTER FUNCTION docket.dk_concat_step(acc text, v text, sep text) OWNER TO postgres;

--
-- Name: dk_int_eq_json(bigint, json); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.dk_int_eq_json(a bigint, b json) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
  SELECT pg_catalog.json_typeof(b) = 'number' AND b::text::numeric = a
$$;


ALTER FUNCTION docket.dk_int_eq_json(a bigint, b json) OWNER TO postgres;

--
-- Name: dk_json_arrow(text, text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.dk_json_arrow(t text, p text) RETURNS json
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $_$
  SELECT t::json #> CASE WHEN p LIKE '$%' THEN dk_json_path(p)
    ELSE ARRAY[p] END
$_$;


ALTER FUNCTION docket.dk_json_arrow(t text, p text) OWNER TO postgres;

--
-- Name: dk_json_atom(json); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.dk_json_atom(v json) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  SELECT CASE pg_catalog.json_typeof(v)
    WHEN 'string' THEN v #>> '{}'
    WHEN 'number' THEN v::text
    WHEN 'boolean' THEN CASE WHEN v::text = 'true' THEN '1' ELSE '0' END
    ELSE NULL END
$$;


ALTER FUNCTION docket.dk_json_atom(v json) OWNER TO postgres;

--
-- Name: dk_json_eq_int(json, bigint); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.dk_json_eq_int(a json, b bigint) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
  SELECT pg_catalog.json_typeof(a) = 'number' AND a::text::numeric = b
$$;


ALTER FUNCTION docket.dk_json_eq_int(a json, b bigint) OWNER TO postgres;

--
-- Name: dk_json_eq_text(json, text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.dk_json_eq_text(a json, b text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
  SELECT pg_catalog.json_typeof(a) = 'string' AND (a #>> '{}') = b
$$;


ALTER FUNCTION docket.dk_json_eq_text(a json, b text) OWNER TO postgres;

--
-- Name: dk_json_min(text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.dk_json_min(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
  SELECT regexp_replace(t, '("(?:[^"\\]|\\.)*")|\s+', '\1', 'g')
$$;


ALTER FUNCTION docket.dk_json_min(t text) OWNER TO postgres;

--
-- Name: dk_json_path(text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.dk_json_path(p text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  SELECT coalesce(array_agg(coalesce(m[2], btrim(m[1], '"')) ORDER BY o),
    '{}') FROM regexp_matches(substr(p, 2),
      '\.("[^"]*"|[^.\[]+)|\[(\d+)\]', 'g') WITH ORDINALITY AS t(m, o)
$$;


ALTER FUNCTION docket.dk_json_path(p text) OWNER TO postgres;

--
-- Name: dk_json_type(json); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.dk_json_type(v json) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $_$
  SELECT CASE pg_catalog.json_typeof(v)
    WHEN 'string' THEN 'text'
    WHEN 'number' THEN CASE WHEN v::text ~ '^-?[0-9]+$' THEN 'integer'
      ELSE 'real' END
    WHEN 'boolean' THEN v::text
    ELSE pg_catalog.json_typeof(v) END
$_$;


ALTER FUNCTION docket.dk_json_type(v json) OWNER TO postgres;

--
-- Name: entered_now(bigint); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.entered_now(c bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN RETURN EXISTS (SELECT 1 FROM decisions d WHERE d.case_id = c
    AND d.reviewer = current_user
    AND d.xmin = pg_current_xact_id_if_assigned()::xid);
END $$;


ALTER FUNCTION docket.entered_now(c bigint) OWNER TO postgres;

--
-- Name: fast_known(boolean); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.fast_known(ok boolean) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF NOT ok THEN
    RAISE EXCEPTION 'docket: the claim names no known model or reviewer'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN true;
END $$;


ALTER FUNCTION docket.fast_known(ok boolean) OWNER TO postgres;

--
-- Name: grant_role(text, text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.grant_role(who text, r text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE login boolean; other text := store_role(CASE r
  WHEN 'supervisor' THEN 'reviewer' ELSE 'supervisor' END);
BEGIN
  IF r NOT IN ('reviewer', 'supervisor') THEN
    RAISE EXCEPTION 'docket: no role %', r;
  END IF;
  SELECT rolcanlogin INTO login FROM pg_roles WHERE rolname = who;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'there is no PostgreSQL role %: the database administrator creates it with CREATE ROLE % LOGIN; (and a password, or a pg_hba.conf line for peer or certificate authentication), then run this again', quote_ident(who), quote_ident(who)
      USING ERRCODE = 'undefined_object';
  END IF;
  IF NOT login THEN
    RAISE EXCEPTION 'the PostgreSQL role % cannot log in: the database administrator runs ALTER ROLE % LOGIN; then run this again', quote_ident(who), quote_ident(who)
      USING ERRCODE = 'undefined_object';
  END IF;
  BEGIN
    EXECUTE format('GRANT %I TO %I', store_role(r), who);
  EXCEPTION WHEN insufficient_privilege THEN
    RAISE EXCEPTION 'the store''s owner % may not grant %: the database administrator runs GRANT % TO %; (or gives % CREATEROLE)', current_user, quote_ident(store_role(r)), quote_ident(store_role(r)), quote_ident(who), current_user
      USING ERRCODE = 'insufficient_privilege';
  END;
  IF EXISTS (SELECT 1 FROM pg_auth_members m
       WHERE m.roleid = to_regrole(quote_ident(other))
       AND m.member = to_regrole(quote_ident(who))) THEN
    EXECUTE format('REVOKE %I FROM %I', other, who);
  END IF;
END $$;


ALTER FUNCTION docket.grant_role(who text, r text) OWNER TO postgres;

--
-- Name: hold_case(bigint, bigint); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.hold_case(p_case bigint, p_now bigint) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  PERFORM 1 FROM leases l JOIN reviewers r ON r.id = l.reviewer_id
    WHERE l.case_id = p_case AND r.name = caller_role()
    AND l.expires_at > p_now FOR UPDATE OF l;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  PERFORM 1 FROM cases c WHERE c.id = p_case FOR UPDATE;
  RETURN true;
END $$;


ALTER FUNCTION docket.hold_case(p_case bigint, p_now bigint) OWNER TO postgres;

--
-- Name: holds_lease(bigint, bigint); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.holds_lease(c bigint, at bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN RETURN EXISTS (SELECT 1 FROM leases l JOIN reviewers r
    ON r.id = l.reviewer_id WHERE l.case_id = c
    AND r.name = current_user AND l.expires_at > at);
END $$;


ALTER FUNCTION docket.holds_lease(c bigint, at bigint) OWNER TO postgres;

--
-- Name: instr(text, text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.instr(a text, b text) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
  SELECT strpos(a, b)
$$;


ALTER FUNCTION docket.instr(a text, b text) OWNER TO postgres;

--
-- Name: json(json); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.json(j json) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
  SELECT dk_json_min(j::text)
$$;


ALTER FUNCTION docket.json(j json) OWNER TO postgres;

--
-- Name: json(text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.json(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
  SELECT dk_json_min(t::json::text)
$$;


ALTER FUNCTION docket.json(t text) OWNER TO postgres;

--
-- Name: json_array_length(text, text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.json_array_length(t text, p text DEFAULT '$'::text) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  SELECT CASE WHEN pg_catalog.json_typeof(t::json #> dk_json_path(p)) = 'array'
    THEN pg_catalog.json_array_length(t::json #> dk_json_path(p))
    WHEN t::json #> dk_json_path(p) IS NOT NULL THEN 0 END
$$;


ALTER FUNCTION docket.json_array_length(t text, p text) OWNER TO postgres;

--
-- Name: json_each(json, text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.json_each(t json, p text DEFAULT '$'::text) RETURNS TABLE(key text, value json, type text, atom text, id bigint)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  SELECT * FROM json_each(t::text, p)
$$;


ALTER FUNCTION docket.json_each(t json, p text) OWNER TO postgres;

--
-- Name: json_each(text, text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.json_each(t text, p text DEFAULT '$'::text) RETURNS TABLE(key text, value json, type text, atom text, id bigint)
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
DECLARE j json := t::json #> dk_json_path(p);
BEGIN
  IF pg_catalog.json_typeof(j) = 'array' THEN
    RETURN QUERY SELECT (e.o - 1)::text, e.v, dk_json_type(e.v),
      dk_json_atom(e.v), e.o
      FROM pg_catalog.json_array_elements(j) WITH ORDINALITY AS e(v, o);
  ELSIF pg_catalog.json_typeof(j) = 'object' THEN
    RETURN QUERY SELECT e.k, e.v, dk_json_type(e.v),
      dk_json_atom(e.v), e.o
      FROM pg_catalog.json_each(j) WITH ORDINALITY AS e(k, v, o);
  END IF;
END $$;


ALTER FUNCTION docket.json_each(t text, p text) OWNER TO postgres;

--
-- Name: json_extract(json, text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.json_extract(t json, p text) RETURNS json
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  SELECT t #> dk_json_path(p)
$$;


ALTER FUNCTION docket.json_extract(t json, p text) OWNER TO postgres;

--
-- Name: json_extract(text, text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.json_extract(t text, p text) RETURNS json
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  SELECT t::json #> dk_json_path(p)
$$;


ALTER FUNCTION docket.json_extract(t text, p text) OWNER TO postgres;

--
-- Name: json_type(text, text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.json_type(t text, p text DEFAULT '$'::text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  SELECT dk_json_type(t::json #> dk_json_path(p))
$$;


ALTER FUNCTION docket.json_type(t text, p text) OWNER TO postgres;

--
-- Name: json_valid(text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.json_valid(t text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
BEGIN
  IF t IS NULL THEN RETURN NULL; END IF;
  PERFORM t::json;
  RETURN true;
EXCEPTION WHEN others THEN
  RETURN false;
END $$;


ALTER FUNCTION docket.json_valid(t text) OWNER TO postgres;

--
-- Name: leases_guard(); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.leases_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF only_reviewer() AND old.reviewer_id IS DISTINCT FROM my_reviewer_id()
     AND old.expires_at > now_ms() THEN
    RAISE EXCEPTION 'docket: % may not take away the live lease of another reviewer (case %)', current_user, old.case_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN old;
END $$;


ALTER FUNCTION docket.leases_guard() OWNER TO postgres;

--
-- Name: links(bigint, text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.links(s bigint, prev text) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN RETURN prev = coalesce((SELECT d.hash FROM decisions d WHERE d.seq = s - 1),
    repeat('0', 64));
END $$;


ALTER FUNCTION docket.links(s bigint, prev text) OWNER TO postgres;

--
-- Name: mask_pii(text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.mask_pii(ctx text) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    RETURN (SELECT COALESCE((('{'::text || string_agg((((to_json(e.key))::text || ':'::text) || CASE WHEN (e.key ~~ 'pii:%'::text) THEN '"(masked)"'::text ELSE (e.value)::text END), ','::text ORDER BY e.n)) || '}'::text), '{}'::text) AS "coalesce" FROM json_each((mask_pii.ctx)::json) WITH ORDINALITY e(key, value, n));


ALTER FUNCTION docket.mask_pii(ctx text) OWNER TO postgres;

--
-- Name: my_reviewer_id(); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.my_reviewer_id() RETURNS bigint
    LANGUAGE plpgsql STABLE
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN RETURN (SELECT id FROM reviewers WHERE name = current_user);
END $$;


ALTER FUNCTION docket.my_reviewer_id() OWNER TO postgres;

--
-- Name: now_ms(); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.now_ms() RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN RETURN floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint;
END $$;


ALTER FUNCTION docket.now_ms() OWNER TO postgres;

--
-- Name: only_reviewer(); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.only_reviewer() RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN RETURN pg_has_role(current_user, 'docket_reviewer_old7', 'USAGE')
    AND NOT pg_has_role(current_user, 'docket_supervisor_old7', 'USAGE');
END $$;


ALTER FUNCTION docket.only_reviewer() OWNER TO postgres;

--
-- Name: pii_fields(bigint); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.pii_fields(c bigint) RETURNS TABLE(key text, value text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'docket: personal fields are read outside a transaction that writes (commit the reveal entry first)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM decisions d WHERE d.case_id = c
       AND d.action = 'reveal' AND d.reviewer = caller_role()) THEN
    RAISE EXCEPTION 'docket: % has no reveal entry on case %: reveal it in docket (the reveal is logged)', caller_role(), c
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY SELECT j.key::text, j.value FROM case_pii p,
    json_each_text(p.context::json) j WHERE p.case_id = c
    AND j.key LIKE 'pii:%';
END $$;


ALTER FUNCTION docket.pii_fields(c bigint) OWNER TO postgres;

--
-- Name: reclaim(bigint); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.reclaim(p_now bigint) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
  WITH gone AS (DELETE FROM leases l WHERE l.expires_at <= p_now
    AND (l.expires_at <= now_ms() OR NOT only_reviewer()
      OR l.reviewer_id = my_reviewer_id()) RETURNING l.case_id)
  UPDATE cases x SET state = 'queued' WHERE x.state = 'held'
    AND x.id IN (SELECT g.case_id FROM gone g);
END $$;


ALTER FUNCTION docket.reclaim(p_now bigint) OWNER TO postgres;

--
-- Name: reviewer_may_append(text, bigint, bigint, text, bigint); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.reviewer_may_append(a text, c bigint, ref bigint, detail text, at bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN RETURN at >= coalesce((SELECT max(d.at) FROM decisions d), 0) AND CASE
    WHEN a IN ('accept','override','escalate','skip') AND ref IS NULL
      THEN holds_lease(c, at)
    WHEN a IN ('accept','override','escalate','skip','undo')
      THEN EXISTS (SELECT 1 FROM decisions d WHERE d.seq = ref
        AND d.case_id = c AND d.reviewer = current_user
        AND d.action <> 'resolve')
    WHEN a = 'reveal' THEN c IS NOT NULL AND (holds_lease(c, at)
      OR EXISTS (SELECT 1 FROM decisions d WHERE d.case_id = c
        AND d.reviewer = current_user
        AND d.action IN ('accept','override','escalate','skip')))
    WHEN a = 'report' THEN c IS NULL
    WHEN a = 'reviewer-add' THEN c IS NULL
      AND (detail::json ->> 'name') = current_user
      AND (detail::json ->> 'role') = 'reviewer'
      AND (detail::json ->> 'auto') = 'true'
      AND EXISTS (SELECT 1 FROM meta WHERE key = 'auto_add_reviewers'
        AND value = 'on')
    ELSE false END;
END $$;


ALTER FUNCTION docket.reviewer_may_append(a text, c bigint, ref bigint, detail text, at bigint) OWNER TO postgres;

--
-- Name: split_pii(); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.split_pii() RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE n bigint;
BEGIN
  INSERT INTO case_pii(case_id, context)
    SELECT c.id, c.context FROM cases c
    WHERE c.context LIKE '%"pii:%' AND NOT EXISTS
      (SELECT 1 FROM case_pii p WHERE p.case_id = c.id)
      AND EXISTS (SELECT 1 FROM json_object_keys(c.context::json) k
        WHERE k LIKE 'pii:%');
  GET DIAGNOSTICS n = ROW_COUNT;
  UPDATE cases c SET context = mask_pii(c.context) FROM case_pii p
    WHERE p.case_id = c.id AND c.context = p.context;
  RETURN n;
END $$;


ALTER FUNCTION docket.split_pii() OWNER TO postgres;

--
-- Name: store_role(text); Type: FUNCTION; Schema: docket; Owner: postgres
--

CREATE FUNCTION docket.store_role(kind text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO 'docket', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN RETURN (SELECT m.value FROM meta m WHERE m.key = 'pg_role_' || kind);
END $$;


ALTER FUNCTION docket.store_role(kind text) OWNER TO postgres;

--
-- Name: group_concat(text); Type: AGGREGATE; Schema: docket; Owner: postgres
--

CREATE AGGREGATE docket.group_concat(text) (
    SFUNC = docket.dk_concat_step,
    STYPE = text
);


ALTER AGGREGATE docket.group_concat(text) OWNER TO postgres;

--
-- Name: group_concat(text, text); Type: AGGREGATE; Schema: docket; Owner: postgres
--

CREATE AGGREGATE docket.group_concat(text, text) (
    SFUNC = docket.dk_concat_step,
    STYPE = text
);


ALTER AGGREGATE docket.group_concat(text, text) OWNER TO postgres;

--
-- Name: ->>; Type: OPERATOR; Schema: docket; Owner: postgres
--

CREATE OPERATOR docket.->> (
    FUNCTION = docket.dk_json_arrow,
    LEFTARG = text,
    RIGHTARG = text
);


ALTER OPERATOR docket.->> (text, text) OWNER TO postgres;

--
-- Name: =; Type: OPERATOR; Schema: docket; Owner: postgres
--

CREATE OPERATOR docket.= (
    FUNCTION = docket.dk_int_eq_json,
    LEFTARG = bigint,
    RIGHTARG = json
);


ALTER OPERATOR docket.= (bigint, json) OWNER TO postgres;

--
-- Name: =; Type: OPERATOR; Schema: docket; Owner: postgres
--

CREATE OPERATOR docket.= (
    FUNCTION = docket.dk_json_eq_int,
    LEFTARG = json,
    RIGHTARG = bigint
);


ALTER OPERATOR docket.= (json, bigint) OWNER TO postgres;

--
-- Name: =; Type: OPERATOR; Schema: docket; Owner: postgres
--

CREATE OPERATOR docket.= (
    FUNCTION = docket.dk_json_eq_text,
    LEFTARG = json,
    RIGHTARG = text
);


ALTER OPERATOR docket.= (json, text) OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: batches; Type: TABLE; Schema: docket; Owner: postgres
--

CREATE TABLE docket.batches (
    id bigint NOT NULL,
    model_id bigint NOT NULL,
    model_version text DEFAULT ''::text NOT NULL COLLATE pg_catalog."C",
    source_file text NOT NULL COLLATE pg_catalog."C",
    source_sha256 text NOT NULL COLLATE pg_catalog."C",
    format text NOT NULL COLLATE pg_catalog."C",
    rows bigint NOT NULL,
    routed bigint NOT NULL,
    imported_by text NOT NULL COLLATE pg_catalog."C",
    imported_at bigint NOT NULL,
    forced bigint DEFAULT 0 NOT NULL,
    ctx_keys text COLLATE pg_catalog."C",
    attr_keys text COLLATE pg_catalog."C",
    prob_keys text COLLATE pg_catalog."C",
    CONSTRAINT batches_format_check CHECK ((format = ANY (ARRAY['csv'::text, 'jsonl'::text])))
);


ALTER TABLE docket.batches OWNER TO postgres;

--
-- Name: batches_id_seq; Type: SEQUENCE; Schema: docket; Owner: postgres
--

ALTER TABLE docket.batches ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME docket.batches_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: case_pii; Type: TABLE; Schema: docket; Owner: postgres
--

CREATE TABLE docket.case_pii (
    case_id bigint NOT NULL,
    context text NOT NULL COLLATE pg_catalog."C"
);


ALTER TABLE docket.case_pii OWNER TO postgres;

--
-- Name: cases; Type: TABLE; Schema: docket; Owner: postgres
--

CREATE TABLE docket.cases (
    id bigint NOT NULL,
    model_id bigint NOT NULL,
    batch_id bigint NOT NULL,
    ext_id text NOT NULL COLLATE pg_catalog."C",
    line bigint NOT NULL,
    prediction text NOT NULL COLLATE pg_catalog."C",
    confidence double precision NOT NULL,
    margin double precision,
    entropy double precision,
    probs text COLLATE pg_catalog."C",
    attributions text COLLATE pg_catalog."C",
    context text DEFAULT '{}'::text NOT NULL COLLATE pg_catalog."C",
    text text COLLATE pg_catalog."C",
    gold text COLLATE pg_catalog."C",
    priority bigint DEFAULT 0 NOT NULL,
    state text NOT NULL COLLATE pg_catalog."C",
    route_reason text COLLATE pg_catalog."C",
    policy_version bigint NOT NULL,
    urgency double precision NOT NULL,
    reviews_needed bigint DEFAULT 1 NOT NULL,
    final_label text COLLATE pg_catalog."C",
    final_seq bigint,
    decided_at bigint,
    CONSTRAINT cases_state_check CHECK ((state = ANY (ARRAY['auto'::text, 'queued'::text, 'held'::text, 'escalated'::text, 'disputed'::text, 'done'::text])))
);


ALTER TABLE docket.cases OWNER TO postgres;

--
-- Name: cases_id_seq; Type: SEQUENCE; Schema: docket; Owner: postgres
--

ALTER TABLE docket.cases ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME docket.cases_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: counter_shards; Type: TABLE; Schema: docket; Owner: postgres
--

CREATE TABLE docket.counter_shards (
    model_id bigint NOT NULL,
    state text NOT NULL COLLATE pg_catalog."C",
    shard integer DEFAULT 0 NOT NULL,
    n bigint DEFAULT 0 NOT NULL
);


ALTER TABLE docket.counter_shards OWNER TO postgres;

--
-- Name: counters; Type: VIEW; Schema: docket; Owner: postgres
--

CREATE VIEW docket.counters AS
 SELECT counter_shards.model_id,
    counter_shards.state,
    (sum(counter_shards.n))::bigint AS n
   FROM docket.counter_shards
  GROUP BY counter_shards.model_id, counter_shards.state;


ALTER TABLE docket.counters OWNER TO postgres;

--
-- Name: decisions; Type: TABLE; Schema: docket; Owner: postgres
--

CREATE TABLE docket.decisions (
    seq bigint NOT NULL,
    at bigint NOT NULL,
    reviewer text NOT NULL COLLATE pg_catalog."C",
    case_id bigint,
    action text NOT NULL COLLATE pg_catalog."C",
    model_label text COLLATE pg_catalog."C",
    label text COLLATE pg_catalog."C",
    reason text COLLATE pg_catalog."C",
    note text COLLATE pg_catalog."C",
    seconds double precision,
    ref_seq bigint,
    detail text COLLATE pg_catalog."C",
    prev_hash text NOT NULL COLLATE pg_catalog."C",
    hash text NOT NULL COLLATE pg_catalog."C"
);


ALTER TABLE docket.decisions OWNER TO postgres;

--
-- Name: drift_bins; Type: TABLE; Schema: docket; Owner: postgres
--

CREATE TABLE docket.drift_bins (
    batch_id bigint NOT NULL,
    ref_batch bigint NOT NULL,
    field text NOT NULL COLLATE pg_catalog."C",
    kind text NOT NULL COLLATE pg_catalog."C",
    bin bigint NOT NULL,
    label text NOT NULL COLLATE pg_catalog."C",
    lo double precision,
    hi double precision,
    n bigint NOT NULL
);


ALTER TABLE docket.drift_bins OWNER TO postgres;

--
-- Name: drift_reference; Type: TABLE; Schema: docket; Owner: postgres
--

CREATE TABLE docket.drift_reference (
    model_id bigint NOT NULL,
    batch_id bigint NOT NULL
);


ALTER TABLE docket.drift_reference OWNER TO postgres;

--
-- Name: drift_summaries; Type: TABLE; Schema: docket; Owner: postgres
--

CREATE TABLE docket.drift_summaries (
    batch_id bigint NOT NULL,
    ref_batch bigint NOT NULL,
    policy_version bigint NOT NULL,
    rows bigint NOT NULL,
    computed_at bigint NOT NULL
);


ALTER TABLE docket.drift_summaries OWNER TO postgres;

--
-- Name: exports; Type: TABLE; Schema: docket; Owner: postgres
--

CREATE TABLE docket.exports (
    name text NOT NULL COLLATE pg_catalog."C",
    last_seq bigint NOT NULL,
    filters text NOT NULL COLLATE pg_catalog."C",
    audit_seq bigint NOT NULL,
    at bigint NOT NULL,
    by text NOT NULL COLLATE pg_catalog."C"
);


ALTER TABLE docket.exports OWNER TO postgres;

--
-- Name: fair_batches; Type: TABLE; Schema: docket; Owner: postgres
--

CREATE TABLE docket.fair_batches (
    batch_id bigint NOT NULL,
    field text NOT NULL COLLATE pg_catalog."C",
    part bigint NOT NULL,
    policy_version bigint NOT NULL,
    seq bigint NOT NULL,
    rows bigint NOT NULL
);


ALTER TABLE docket.fair_batches OWNER TO postgres;

--
-- Name: fair_counts; Type: TABLE; Schema: docket; Owner: postgres
--

CREATE TABLE docket.fair_counts (
    batch_id bigint NOT NULL,
    field text NOT NULL COLLATE pg_catalog."C",
    part bigint NOT NULL,
    value_kind bigint NOT NULL,
    value_num double precision,
    value_text text COLLATE pg_catalog."C",
    prediction text NOT NULL COLLATE pg_catalog."C",
    final_label text COLLATE pg_catalog."C",
    route bigint NOT NULL,
    policy_version bigint NOT NULL,
    n bigint NOT NULL
);


ALTER TABLE docket.fair_counts OWNER TO postgres;

--
-- Name: lease_tokens; Type: SEQUENCE; Schema: docket; Owner: postgres
--

CREATE SEQUENCE docket.lease_tokens
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE docket.lease_tokens OWNER TO postgres;

--
-- Name: leases; Type: TABLE; Schema: docket; Owner: postgres
--

CREATE TABLE docket.leases (
    case_id bigint NOT NULL,
    reviewer_id bigint NOT NULL,
    token bigint NOT NULL,
    claimed_at bigint NOT NULL,
    expires_at bigint NOT NULL
);


ALTER TABLE docket.leases OWNER TO postgres;

--
-- Name: meta; Type: TABLE; Schema: docket; Owner: postgres
--

CREATE TABLE docket.meta (
    key text NOT NULL COLLATE pg_catalog."C",
    value text NOT NULL COLLATE pg_catalog."C"
);


ALTER TABLE docket.meta OWNER TO postgres;

--
-- Name: models; Type: TABLE; Schema: docket; Owner: postgres
--

CREATE TABLE docket.models (
    id bigint NOT NULL,
    name text NOT NULL COLLATE pg_catalog."C",
    labels text DEFAULT '[]'::text NOT NULL COLLATE pg_catalog."C",
    audit_salt text NOT NULL COLLATE pg_catalog."C",
    policy_version bigint DEFAULT 1 NOT NULL,
    created_at bigint NOT NULL
);


ALTER TABLE docket.models OWNER TO postgres;

--
-- Name: models_id_seq; Type: SEQUENCE; Schema: docket; Owner: postgres
--

ALTER TABLE docket.models ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME docket.models_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: policies; Type: TABLE; Schema: docket; Owner: postgres
--

CREATE TABLE docket.policies (
    model_id bigint NOT NULL,
    version bigint NOT NULL,
    policy text NOT NULL COLLATE pg_catalog."C",
    set_by text NOT NULL COLLATE pg_catalog."C",
    set_at bigint NOT NULL
);


ALTER TABLE docket.policies OWNER TO postgres;

--
-- Name: reviewer_seen; Type: TABLE; Schema: docket; Owner: postgres
--

CREATE TABLE docket.reviewer_seen (
    reviewer text NOT NULL COLLATE pg_catalog."C",
    seq bigint NOT NULL
);


ALTER TABLE docket.reviewer_seen OWNER TO postgres;

--
-- Name: reviewers; Type: TABLE; Schema: docket; Owner: postgres
--

CREATE TABLE docket.reviewers (
    id bigint NOT NULL,
    name text NOT NULL COLLATE pg_catalog."C",
    role text NOT NULL COLLATE pg_catalog."C",
    added_at bigint NOT NULL,
    added_by text NOT NULL COLLATE pg_catalog."C",
    CONSTRAINT reviewers_role_check CHECK ((role = ANY (ARRAY['reviewer'::text, 'supervisor'::text])))
);


ALTER TABLE docket.reviewers OWNER TO postgres;

--
-- Name: reviewers_id_seq; Type: SEQUENCE; Schema: docket; Owner: postgres
--

ALTER TABLE docket.reviewers ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME docket.reviewers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: reviews; Type: TABLE; Schema: docket; Owner: postgres
--

CREATE TABLE docket.reviews (
    case_id bigint NOT NULL,
    reviewer_id bigint NOT NULL,
    seq bigint NOT NULL,
    action text NOT NULL COLLATE pg_catalog."C",
    label text COLLATE pg_catalog."C",
    at bigint NOT NULL
);


ALTER TABLE docket.reviews OWNER TO postgres;

--
-- Data for Name: batches; Type: TABLE DATA; Schema: docket; Owner: postgres
--

COPY docket.batches (id, model_id, model_version, source_file, source_sha256, format, rows, routed, imported_by, imported_at, forced, ctx_keys, attr_keys, prob_keys) FROM stdin;
1	1		credit30.csv	5f943d2066d9a023d17f1fec902956a0d2dbc6b4a444ba774329cfa1698abbe3	csv	30	12	sam	1796042496158	0	["Seniority","Home","Time","Age","Marital","Records","Job","Expenses","Income","Assets","Debt","Amount","Price","pii:name","pii:phone"]	["Seniority","Home","Time","Age","Marital","Records","Job","Expenses","Income","Assets","Debt","Amount","Price"]	["good","bad"]
\.


--
-- Data for Name: case_pii; Type: TABLE DATA; Schema: docket; Owner: postgres
--

COPY docket.case_pii (case_id, context) FROM stdin;
1	{"Seniority":"9","Home":"rent","Time":"60","Age":"30","Marital":"married","Records":"no","Job":"freelance","Expenses":"73","Income":"129","Assets":"0","Debt":"0","Amount":"800","Price":"846","pii:name":"Test Applicant 0001","pii:phone":"(200) 555-0100"}
2	{"Seniority":"17","Home":"rent","Time":"60","Age":"58","Marital":"widow","Records":"no","Job":"fixed","Expenses":"48","Income":"131","Assets":"0","Debt":"0","Amount":"1000","Price":"1658","pii:name":"Test Applicant 0002","pii:phone":"(237) 555-0101"}
3	{"Seniority":"10","Home":"owner","Time":"36","Age":"46","Marital":"married","Records":"yes","Job":"freelance","Expenses":"90","Income":"200","Assets":"3000","Debt":"0","Amount":"2000","Price":"2985","pii:name":"Test Applicant 0003","pii:phone":"(274) 555-0102"}
4	{"Seniority":"0","Home":"rent","Time":"60","Age":"24","Marital":"single","Records":"no","Job":"fixed","Expenses":"63","Income":"182","Assets":"2500","Debt":"0","Amount":"900","Price":"1325","pii:name":"Test Applicant 0004","pii:phone":"(311) 555-0103"}
5	{"Seniority":"0","Home":"rent","Time":"36","Age":"26","Marital":"single","Records":"no","Job":"fixed","Expenses":"46","Income":"107","Assets":"0","Debt":"0","Amount":"310","Price":"910","pii:name":"Test Applicant 0005","pii:phone":"(348) 555-0104"}
6	{"Seniority":"1","Home":"owner","Time":"60","Age":"36","Marital":"married","Records":"no","Job":"fixed","Expenses":"75","Income":"214","Assets":"3500","Debt":"0","Amount":"650","Price":"1645","pii:name":"Test Applicant 0006","pii:phone":"(385) 555-0105"}
7	{"Seniority":"29","Home":"owner","Time":"60","Age":"44","Marital":"married","Records":"no","Job":"fixed","Expenses":"75","Income":"125","Assets":"10000","Debt":"0","Amount":"1600","Price":"1800","pii:name":"Test Applicant 0007","pii:phone":"(422) 555-0106"}
8	{"Seniority":"9","Home":"parents","Time":"12","Age":"27","Marital":"single","Records":"no","Job":"fixed","Expenses":"35","Income":"80","Assets":"0","Debt":"0","Amount":"200","Price":"1093","pii:name":"Test Applicant 0008","pii:phone":"(459) 555-0107"}
9	{"Seniority":"0","Home":"owner","Time":"60","Age":"32","Marital":"married","Records":"no","Job":"freelance","Expenses":"90","Income":"107","Assets":"15000","Debt":"0","Amount":"1200","Price":"1957","pii:name":"Test Applicant 0009","pii:phone":"(496) 555-0108"}
10	{"Seniority":"0","Home":"parents","Time":"48","Age":"41","Marital":"married","Records":"no","Job":"partime","Expenses":"90","Income":"80","Assets":"0","Debt":"0","Amount":"1200","Price":"1468","pii:name":"Test Applicant 0010","pii:phone":"(533) 555-0109"}
11	{"Seniority":"6","Home":"owner","Time":"48","Age":"34","Marital":"married","Records":"no","Job":"freelance","Expenses":"60","Income":"125","Assets":"4000","Debt":"0","Amount":"1150","Price":"1577","pii:name":"Test Applicant 0011","pii:phone":"(570) 555-0110"}
12	{"Seniority":"7","Home":"owner","Time":"36","Age":"29","Marital":"married","Records":"no","Job":"fixed","Expenses":"60","Income":"121","Assets":"3000","Debt":"0","Amount":"650","Price":"915","pii:name":"Test Applicant 0012","pii:phone":"(607) 555-0111"}
13	{"Seniority":"8","Home":"owner","Time":"60","Age":"30","Marital":"married","Records":"no","Job":"fixed","Expenses":"75","Income":"199","Assets":"5000","Debt":"2500","Amount":"1500","Price":"1650","pii:name":"Test Applicant 0013","pii:phone":"(644) 555-0112"}
14	{"Seniority":"19","Home":"priv","Time":"36","Age":"37","Marital":"married","Records":"no","Job":"fixed","Expenses":"75","Income":"170","Assets":"3500","Debt":"260","Amount":"600","Price":"940","pii:name":"Test Applicant 0014","pii:phone":"(681) 555-0113"}
15	{"Seniority":"0","Home":"other","Time":"18","Age":"21","Marital":"single","Records":"yes","Job":"partime","Expenses":"35","Income":"50","Assets":"0","Debt":"0","Amount":"400","Price":"500","pii:name":"Test Applicant 0015","pii:phone":"(718) 555-0114"}
16	{"Seniority":"0","Home":"owner","Time":"24","Age":"68","Marital":"married","Records":"no","Job":"fixed","Expenses":"75","Income":"131","Assets":"4162","Debt":"0","Amount":"900","Price":"1186","pii:name":"Test Applicant 0016","pii:phone":"(755) 555-0115"}
17	{"Seniority":"15","Home":"priv","Time":"24","Age":"52","Marital":"single","Records":"no","Job":"freelance","Expenses":"35","Income":"330","Assets":"16500","Debt":"0","Amount":"1500","Price":"2201","pii:name":"Test Applicant 0017","pii:phone":"(792) 555-0116"}
18	{"Seniority":"33","Home":"rent","Time":"24","Age":"68","Marital":"married","Records":"no","Job":"freelance","Expenses":"65","Income":"200","Assets":"5000","Debt":"2000","Amount":"600","Price":"1350","pii:name":"Test Applicant 0018","pii:phone":"(829) 555-0117"}
19	{"Seniority":"0","Home":"ignore","Time":"48","Age":"36","Marital":"married","Records":"no","Job":"partime","Expenses":"45","Income":"130","Assets":"750","Debt":"0","Amount":"1100","Price":"1511","pii:name":"Test Applicant 0019","pii:phone":"(866) 555-0118"}
20	{"Seniority":"1","Home":"parents","Time":"60","Age":"31","Marital":"single","Records":"no","Job":"fixed","Expenses":"35","Income":"137","Assets":"0","Debt":"0","Amount":"1250","Price":"1253","pii:name":"Test Applicant 0020","pii:phone":"(903) 555-0119"}
21	{"Seniority":"2","Home":"rent","Time":"60","Age":"25","Marital":"single","Records":"no","Job":"fixed","Expenses":"46","Income":"107","Assets":"0","Debt":"0","Amount":"1500","Price":"2189","pii:name":"Test Applicant 0021","pii:phone":"(940) 555-0120"}
22	{"Seniority":"5","Home":"owner","Time":"60","Age":"22","Marital":"single","Records":"no","Job":"fixed","Expenses":"45","Income":"324","Assets":"10000","Debt":"0","Amount":"1100","Price":"1159","pii:name":"Test Applicant 0022","pii:phone":"(977) 555-0121"}
23	{"Seniority":"1","Home":"owner","Time":"60","Age":"45","Marital":"married","Records":"no","Job":"partime","Expenses":"105","Income":"112","Assets":"2000","Debt":"500","Amount":"600","Price":"1332","pii:name":"Test Applicant 0023","pii:phone":"(214) 555-0122"}
24	{"Seniority":"27","Home":"rent","Time":"60","Age":"41","Marital":"married","Records":"no","Job":"fixed","Expenses":"74","Income":"140","Assets":"0","Debt":"0","Amount":"950","Price":"1497","pii:name":"Test Applicant 0024","pii:phone":"(251) 555-0123"}
25	{"Seniority":"26","Home":"owner","Time":"60","Age":"51","Marital":"married","Records":"no","Job":"fixed","Expenses":"45","Income":"143","Assets":"3500","Debt":"0","Amount":"1350","Price":"1357","pii:name":"Test Applicant 0025","pii:phone":"(288) 555-0124"}
26	{"Seniority":"12","Home":"owner","Time":"36","Age":"54","Marital":"married","Records":"no","Job":"fixed","Expenses":"60","Income":"130","Assets":"4000","Debt":"0","Amount":"700","Price":"2100","pii:name":"Test Applicant 0026","pii:phone":"(325) 555-0125"}
27	{"Seniority":"19","Home":"owner","Time":"60","Age":"43","Marital":"single","Records":"no","Job":"fixed","Expenses":"75","Income":"180","Assets":"4000","Debt":"0","Amount":"1000","Price":"1070","pii:name":"Test Applicant 0027","pii:phone":"(362) 555-0126"}
28	{"Seniority":"15","Home":"owner","Time":"36","Age":"43","Marital":"married","Records":"no","Job":"fixed","Expenses":"75","Income":"251","Assets":"4000","Debt":"0","Amount":"1800","Price":"2557","pii:name":"Test Applicant 0028","pii:phone":"(399) 555-0127"}
29	{"Seniority":"3","Home":"owner","Time":"24","Age":"23","Marital":"married","Records":"no","Job":"fixed","Expenses":"75","Income":"85","Assets":"5000","Debt":"0","Amount":"600","Price":"1600","pii:name":"Test Applicant 0029","pii:phone":"(436) 555-0128"}
30	{"Seniority":"0","Home":"","Time":"48","Age":"37","Marital":"single","Records":"no","Job":"","Expenses":"35","Income":"","Assets":"","Debt":"","Amount":"1500","Price":"1850","pii:name":"Test Applicant 0030","pii:phone":"(473) 555-0129"}
\.


--
-- Data for Name: cases; Type: TABLE DATA; Schema: docket; Owner: postgres
--

COPY docket.cases (id, model_id, batch_id, ext_id, line, prediction, confidence, margin, entropy, probs, attributions, context, text, gold, priority, state, route_reason, policy_version, urgency, reviews_needed, final_label, final_seq, decided_at) FROM stdin;
1	1	1	app-00001	2	good	0.666331	\N	\N	[0.666331,0.333669]	[0.0843,-0.3810,0.0157,0.0774,0.1394,0.3040,-0.4057,-0.2620,-0.0790,-0.1367,0.0470,0.4459,-0.5142]	{"Seniority":"9","Home":"rent","Time":"60","Age":"30","Marital":"married","Records":"no","Job":"freelance","Expenses":"73","Income":"129","Assets":"0","Debt":"0","Amount":"800","Price":"846","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	queued	confidence 0.67 < 0.80	1	0.666331	1	\N	\N	\N
2	1	1	app-00002	3	good	0.856573	\N	\N	[0.856573,0.143427]	[0.7564,-0.4571,0.0096,-0.2771,-0.4092,0.2947,0.3343,0.0905,-0.0664,-0.1388,0.0426,0.0762,0.1770]	{"Seniority":"17","Home":"rent","Time":"60","Age":"58","Marital":"widow","Records":"no","Job":"fixed","Expenses":"48","Income":"131","Assets":"0","Debt":"0","Amount":"1000","Price":"1658","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	auto	\N	1	0.856573	1	\N	\N	\N
4	1	1	app-00004	5	good	0.74872	\N	\N	[0.748720,0.251280]	[-0.6770,-0.4571,0.0096,0.1754,-0.2977,0.2947,0.3343,-0.0905,0.3244,-0.0746,0.0426,0.2775,-0.1244]	{"Seniority":"0","Home":"rent","Time":"60","Age":"24","Marital":"single","Records":"no","Job":"fixed","Expenses":"63","Income":"182","Assets":"2500","Debt":"0","Amount":"900","Price":"1325","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	queued	confidence 0.75 < 0.80	1	0.74872	1	\N	\N	\N
5	1	1	app-00005	6	good	0.805976	\N	\N	[0.805976,0.194024]	[-0.6737,-0.3754,0.0080,0.1141,-0.3410,0.3229,0.3442,0.1531,-0.2515,-0.2176,0.0570,1.3773,-0.4763]	{"Seniority":"0","Home":"rent","Time":"36","Age":"26","Marital":"single","Records":"no","Job":"fixed","Expenses":"46","Income":"107","Assets":"0","Debt":"0","Amount":"310","Price":"910","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	auto	\N	1	0.805976	1	\N	\N	\N
6	1	1	app-00006	7	good	0.957322	\N	\N	[0.957322,0.042678]	[-0.5521,0.3069,-0.0477,0.0117,0.1243,0.3119,0.3530,-0.2819,0.6173,-0.0532,0.0515,0.7261,0.1734]	{"Seniority":"1","Home":"owner","Time":"60","Age":"36","Marital":"married","Records":"no","Job":"fixed","Expenses":"75","Income":"214","Assets":"3500","Debt":"0","Amount":"650","Price":"1645","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	auto	\N	1	0.957322	1	\N	\N	\N
7	1	1	app-00007	8	good	0.959755	\N	\N	[0.959755,0.040245]	[1.7829,0.3050,0.0157,-0.0779,0.1394,0.3040,0.3512,-0.2920,-0.1084,0.1258,0.0470,-1.0622,0.2848]	{"Seniority":"29","Home":"owner","Time":"60","Age":"44","Marital":"married","Records":"no","Job":"fixed","Expenses":"75","Income":"125","Assets":"10000","Debt":"0","Amount":"1600","Price":"1800","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	auto	\N	1	0.959755	1	\N	\N	\N
8	1	1	app-00008	9	good	0.956077	\N	\N	[0.956077,0.043923]	[0.0774,0.1312,0.1082,0.0508,-0.2971,0.2900,0.3653,0.2984,-0.4061,-0.1273,0.0548,1.5091,-0.3144]	{"Seniority":"9","Home":"parents","Time":"12","Age":"27","Marital":"single","Records":"no","Job":"fixed","Expenses":"35","Income":"80","Assets":"0","Debt":"0","Amount":"200","Price":"1093","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	auto	\N	1	0.956077	1	\N	\N	\N
9	1	1	app-00009	10	good	0.669689	\N	\N	[0.669689,0.330311]	[-0.6207,0.3146,-0.0434,0.0258,0.1435,0.2900,-0.4306,-0.4924,-0.2242,0.2244,0.0548,-0.2862,0.4111]	{"Seniority":"0","Home":"owner","Time":"60","Age":"32","Marital":"married","Records":"no","Job":"freelance","Expenses":"90","Income":"107","Assets":"15000","Debt":"0","Amount":"1200","Price":"1957","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	queued	confidence 0.67 < 0.80	1	0.669689	1	\N	\N	\N
10	1	1	app-00010	11	bad	0.771975	\N	\N	[0.228025,0.771975]	[0.6770,-0.1082,-0.0012,0.0509,-0.1377,-0.2947,1.0969,0.4162,0.4572,0.1388,-0.0426,0.3265,-0.0050]	{"Seniority":"0","Home":"parents","Time":"48","Age":"41","Marital":"married","Records":"no","Job":"partime","Expenses":"90","Income":"80","Assets":"0","Debt":"0","Amount":"1200","Price":"1468","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	queued	confidence 0.77 < 0.80	1	0.771975	1	\N	\N	\N
11	1	1	app-00011	12	good	0.788061	\N	\N	[0.788061,0.211939]	[-0.1711,0.3242,0.0012,0.0423,0.1377,0.2947,-0.3880,-0.0543,-0.1124,-0.0360,0.0426,-0.2258,0.1037]	{"Seniority":"6","Home":"owner","Time":"48","Age":"34","Marital":"married","Records":"no","Job":"freelance","Expenses":"60","Income":"125","Assets":"4000","Debt":"0","Amount":"1150","Price":"1577","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	queued	confidence 0.79 < 0.80	1	0.788061	1	\N	\N	\N
12	1	1	app-00012	13	good	0.924788	\N	\N	[0.924788,0.075212]	[-0.0722,0.3069,0.0374,0.0991,0.1243,0.3119,0.3530,-0.0662,-0.1537,-0.0672,0.0515,0.7261,-0.5110]	{"Seniority":"7","Home":"owner","Time":"36","Age":"29","Marital":"married","Records":"no","Job":"fixed","Expenses":"60","Income":"121","Assets":"3000","Debt":"0","Amount":"650","Price":"915","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	auto	\N	1	0.924788	1	\N	\N	\N
13	1	1	app-00013	14	good	0.849028	\N	\N	[0.849028,0.150972]	[-0.0024,0.3242,0.0096,0.0955,0.1377,0.2947,0.3343,-0.2352,0.4547,-0.0103,-0.2696,-0.9304,0.1698]	{"Seniority":"8","Home":"owner","Time":"60","Age":"30","Marital":"married","Records":"no","Job":"fixed","Expenses":"75","Income":"199","Assets":"5000","Debt":"2500","Amount":"1500","Price":"1650","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	auto	\N	1	0.849028	1	\N	\N	\N
14	1	1	app-00014	15	good	0.954954	\N	\N	[0.954954,0.045046]	[0.9250,-0.3544,-0.0072,0.0024,0.1377,0.2947,0.3343,-0.2352,0.2325,-0.0489,0.0101,0.8814,-0.4729]	{"Seniority":"19","Home":"priv","Time":"36","Age":"37","Marital":"married","Records":"no","Job":"fixed","Expenses":"75","Income":"170","Assets":"3500","Debt":"260","Amount":"600","Price":"940","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	auto	\N	1	0.954954	1	\N	\N	\N
15	1	1	app-00015	16	bad	0.943602	\N	\N	[0.056398,0.943602]	[0.6737,0.6340,-0.0216,-0.1652,0.3410,1.5006,1.1227,-0.3280,0.6620,0.2176,-0.0570,-1.2081,0.8287]	{"Seniority":"0","Home":"other","Time":"18","Age":"21","Marital":"single","Records":"yes","Job":"partime","Expenses":"35","Income":"50","Assets":"0","Debt":"0","Amount":"400","Price":"500","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	auto	\N	1	0.943602	1	\N	\N	\N
16	1	1	app-00016	17	good	0.761516	\N	\N	[0.761516,0.238484]	[-0.6737,0.2857,0.0170,-0.3154,0.1493,0.3229,0.3442,-0.3081,-0.0787,-0.0516,0.0570,0.2684,-0.2390]	{"Seniority":"0","Home":"owner","Time":"24","Age":"68","Marital":"married","Records":"no","Job":"fixed","Expenses":"75","Income":"131","Assets":"4162","Debt":"0","Amount":"900","Price":"1186","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	queued	confidence 0.76 < 0.80	1	0.761516	1	\N	\N	\N
17	1	1	app-00017	18	good	0.946065	\N	\N	[0.946065,0.053935]	[0.5908,-0.4878,0.0170,-0.1518,-0.3410,0.3229,-0.4228,0.3280,1.3544,0.4406,0.0570,-0.8593,0.6334]	{"Seniority":"15","Home":"priv","Time":"24","Age":"52","Marital":"single","Records":"no","Job":"freelance","Expenses":"35","Income":"330","Assets":"16500","Debt":"0","Amount":"1500","Price":"2201","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	auto	\N	1	0.946065	1	\N	\N	\N
18	1	1	app-00018	19	good	0.973108	\N	\N	[0.973108,0.026892]	[2.1083,-0.3754,0.0170,-0.3154,0.1493,0.3229,-0.4228,-0.1491,0.4182,-0.0182,-0.2634,0.8322,-0.0981]	{"Seniority":"33","Home":"rent","Time":"24","Age":"68","Marital":"married","Records":"no","Job":"freelance","Expenses":"65","Income":"200","Assets":"5000","Debt":"2000","Amount":"600","Price":"1350","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	auto	\N	1	0.973108	1	\N	\N	\N
19	1	1	app-00019	20	bad	0.595843	\N	\N	[0.404157,0.595843]	[0.6737,0.3430,0.0011,-0.0118,-0.1493,-0.3229,1.1227,-0.1690,0.0859,0.1877,-0.0570,0.1075,-0.0403]	{"Seniority":"0","Home":"ignore","Time":"48","Age":"36","Marital":"married","Records":"no","Job":"partime","Expenses":"45","Income":"130","Assets":"750","Debt":"0","Amount":"1100","Price":"1511","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	queued	confidence 0.60 < 0.80	1	0.595843	1	\N	\N	\N
20	1	1	app-00020	21	good	0.728189	\N	\N	[0.728189,0.271811]	[-0.5951,0.1248,0.0157,0.0663,-0.2620,0.3040,0.3512,0.3096,-0.0200,-0.1367,0.0470,-0.4024,-0.1733]	{"Seniority":"1","Home":"parents","Time":"60","Age":"31","Marital":"single","Records":"no","Job":"fixed","Expenses":"35","Income":"137","Assets":"0","Debt":"0","Amount":"1250","Price":"1253","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	queued	confidence 0.73 < 0.80	1	0.728189	1	\N	\N	\N
21	1	1	app-00021	22	good	0.635816	\N	\N	[0.635816,0.364184]	[-0.5102,-0.3810,0.0157,0.1329,-0.2620,0.3040,0.3512,0.1442,-0.2411,-0.1367,0.0470,-0.8737,0.6106]	{"Seniority":"2","Home":"rent","Time":"60","Age":"25","Marital":"single","Records":"no","Job":"fixed","Expenses":"46","Income":"107","Assets":"0","Debt":"0","Amount":"1500","Price":"2189","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	queued	confidence 0.64 < 0.80	1	0.635816	1	\N	\N	\N
22	1	1	app-00022	23	good	0.952628	\N	\N	[0.952628,0.047372]	[-0.2329,0.3146,-0.0434,0.0758,-0.2971,0.2900,0.3653,0.1546,1.2378,0.1072,0.0548,-0.1067,-0.2589]	{"Seniority":"5","Home":"owner","Time":"60","Age":"22","Marital":"single","Records":"no","Job":"fixed","Expenses":"45","Income":"324","Assets":"10000","Debt":"0","Amount":"1100","Price":"1159","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	auto	\N	1	0.952628	1	\N	\N	\N
24	1	1	app-00024	25	good	0.953014	\N	\N	[0.953014,0.046986]	[1.4735,-0.3908,-0.0434,-0.0192,0.1435,0.2900,0.3653,-0.2623,-0.0019,-0.1273,0.0548,0.1626,0.0249]	{"Seniority":"27","Home":"rent","Time":"60","Age":"41","Marital":"married","Records":"no","Job":"fixed","Expenses":"74","Income":"140","Assets":"0","Debt":"0","Amount":"950","Price":"1497","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	auto	\N	1	0.953014	1	\N	\N	\N
25	1	1	app-00025	26	good	0.96343	\N	\N	[0.963430,0.036570]	[1.3959,0.3146,-0.0434,-0.0692,0.1435,0.2900,0.3653,0.1546,0.0183,-0.0452,0.0548,-0.5555,-0.0927]	{"Seniority":"26","Home":"owner","Time":"60","Age":"51","Marital":"married","Records":"no","Job":"fixed","Expenses":"45","Income":"143","Assets":"3500","Debt":"0","Amount":"1350","Price":"1357","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	auto	\N	1	0.96343	1	\N	\N	\N
26	1	1	app-00026	27	good	0.975712	\N	\N	[0.975712,0.024288]	[0.3379,0.2857,0.0080,-0.1723,0.1493,0.3229,0.3442,-0.0696,-0.0859,-0.0581,0.0570,0.6443,0.5466]	{"Seniority":"12","Home":"owner","Time":"36","Age":"54","Marital":"married","Records":"no","Job":"fixed","Expenses":"60","Income":"130","Assets":"4000","Debt":"0","Amount":"700","Price":"2100","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	auto	\N	1	0.975712	1	\N	\N	\N
27	1	1	app-00027	28	good	0.928224	\N	\N	[0.928224,0.071776]	[0.9280,0.2857,-0.0101,-0.0598,-0.3410,0.3229,0.3442,-0.3081,0.2742,-0.0581,0.0570,0.0804,-0.3388]	{"Seniority":"19","Home":"owner","Time":"60","Age":"43","Marital":"single","Records":"no","Job":"fixed","Expenses":"75","Income":"180","Assets":"4000","Debt":"0","Amount":"1000","Price":"1070","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	auto	\N	1	0.928224	1	\N	\N	\N
28	1	1	app-00028	29	good	0.953878	\N	\N	[0.953878,0.046122]	[0.5878,0.3242,-0.0072,-0.0775,0.1377,0.2947,0.3343,-0.2352,0.8532,-0.0360,0.0426,-1.5344,0.9908]	{"Seniority":"15","Home":"owner","Time":"36","Age":"43","Marital":"married","Records":"no","Job":"fixed","Expenses":"75","Income":"251","Assets":"4000","Debt":"0","Amount":"1800","Price":"2557","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	auto	\N	1	0.953878	1	\N	\N	\N
29	1	1	app-00029	30	good	0.929461	\N	\N	[0.929461,0.070539]	[-0.4240,0.3242,-0.0157,0.1887,0.1377,0.2947,0.3343,-0.2352,-0.4189,-0.0103,0.0426,0.8814,0.1245]	{"Seniority":"3","Home":"owner","Time":"24","Age":"23","Marital":"married","Records":"no","Job":"fixed","Expenses":"75","Income":"85","Assets":"5000","Debt":"0","Amount":"600","Price":"1600","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	auto	\N	1	0.929461	1	\N	\N	\N
30	1	1	app-00030	31	bad	0.765362	\N	\N	[0.234638,0.765362]	[0.6207,0.9358,0.0055,-0.0008,0.2971,-0.2900,0.6396,-0.2984,0.1097,0.0546,-0.0548,0.8248,-0.3213]	{"Seniority":"0","Home":"","Time":"48","Age":"37","Marital":"single","Records":"no","Job":"","Expenses":"35","Income":"","Assets":"","Debt":"","Amount":"1500","Price":"1850","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	queued	confidence 0.77 < 0.80	1	0.765362	1	\N	\N	\N
3	1	1	app-00003	4	bad	0.613327	\N	\N	[0.386673,0.613327]	[-0.1662,-0.3242,0.0072,0.1174,-0.1377,1.3993,0.3880,0.4162,-0.4624,0.0617,-0.0426,1.9370,-1.3782]	{"Seniority":"10","Home":"owner","Time":"36","Age":"46","Marital":"married","Records":"yes","Job":"freelance","Expenses":"90","Income":"200","Assets":"3000","Debt":"0","Amount":"2000","Price":"2985","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	1	done	confidence 0.61 < 0.80	1	0.613327	1	bad	5	1796042496206
23	1	1	app-00023	24	bad	0.526078	\N	\N	[0.473922,0.526078]	[0.5894,-0.2857,0.0101,0.0802,-0.1493,-0.3229,1.1227,0.7853,0.2155,0.1378,0.0231,-0.8322,0.1136]	{"Seniority":"1","Home":"owner","Time":"60","Age":"45","Marital":"married","Records":"no","Job":"partime","Expenses":"105","Income":"112","Assets":"2000","Debt":"500","Amount":"600","Price":"1332","pii:name":"(masked)","pii:phone":"(masked)"}	\N	\N	0	done	confidence 0.53 < 0.80	1	0.526078	1	good	6	1796042496251
\.


--
-- Data for Name: counter_shards; Type: TABLE DATA; Schema: docket; Owner: postgres
--

COPY docket.counter_shards (model_id, state, shard, n) FROM stdin;
1	queued	0	12
1	auto	0	18
1	held	7	1
1	queued	7	-1
1	held	27	-1
1	done	27	1
1	held	49	1
1	queued	49	-1
1	held	57	-1
1	done	57	1
\.


--
-- Data for Name: decisions; Type: TABLE DATA; Schema: docket; Owner: postgres
--

COPY docket.decisions (seq, at, reviewer, case_id, action, model_label, label, reason, note, seconds, ref_seq, detail, prev_hash, hash) FROM stdin;
1	1796042496093	postgres	\N	init	\N	\N	\N	\N	\N	\N	{"store_id":"a9601a1aa62d1a28e274ccc21d99f84d","legacy_entries":0,"reviewers":[{"name":"postgres","role":"supervisor"}],"auto_add":false,"reasons":null,"exports":[],"batches":[],"models":[]}	0000000000000000000000000000000000000000000000000000000000000000	db3242007047ccf509f47042fa8ba2dbf41f31ff41e5d688434032f9db15a13f
2	1796042496113	postgres	\N	reviewer-add	\N	\N	\N	\N	\N	\N	{"name":"sam","role":"supervisor"}	db3242007047ccf509f47042fa8ba2dbf41f31ff41e5d688434032f9db15a13f	fcb7784d1259c17a58671e632fde8d45fc97ab2f92fd0e09cb8851a88fb716e0
3	1796042496136	sam	\N	reviewer-add	\N	\N	\N	\N	\N	\N	{"name":"alice","role":"reviewer"}	fcb7784d1259c17a58671e632fde8d45fc97ab2f92fd0e09cb8851a88fb716e0	37cd7ba7f3e6e9d0d88fc06c96bad16d8cead66e0ed311b1598199b07e20727e
4	1796042496165	sam	\N	import	\N	\N	\N	\N	\N	\N	{"batch":1,"model":"credit","model_version":"","file":"credit30.csv","format":"csv","sha256":"5f943d2066d9a023d17f1fec902956a0d2dbc6b4a444ba774329cfa1698abbe3","rows":30,"routed":12,"policy_version":1,"digest":"02402360e380f1f2a9d034603d8baac5a9af18bcda373d8816e26b7a4c2bb9f5","salt_sha256":"07d1f9f0afecff504bbfb9efd918821dfad78e3e6594a1f36807161a22ec48ba","policy":{"threshold":0.8,"label_thresholds":{},"margin":0,"entropy":0,"audit_rate":0,"double_rate":0}}	37cd7ba7f3e6e9d0d88fc06c96bad16d8cead66e0ed311b1598199b07e20727e	e814cbacb937bb89b20ce786f04035a58bc5f5d4cf88016c77891f3e2c8f26fd
5	1796042496206	alice	3	accept	bad	bad	\N	\N	\N	\N	\N	e814cbacb937bb89b20ce786f04035a58bc5f5d4cf88016c77891f3e2c8f26fd	1c2d96fa6b6cb82fc6eb3c0a45002d771b592b485ee6688dc3fd3884b6b82209
6	1796042496251	alice	23	override	bad	good	\N	\N	\N	\N	\N	1c2d96fa6b6cb82fc6eb3c0a45002d771b592b485ee6688dc3fd3884b6b82209	3e2da789332d822e039a8badce8f3ab979cd66d7aa4ddfbe8b093f19089f51c7
7	1796042496280	sam	\N	export	\N	\N	\N	\N	\N	\N	{"file":"/tmp/pgimp2-fix/export-rev7.csv","format":"csv","only":"all","model":null,"model_version":null,"since":null,"until":null,"since_last":null,"drop_pii":false,"rows":30,"sha256":"704416a75b34ade218f01a21041f5fcee4e3cea7795ff947c4de0741f2303d6c","case_from":0,"case_to":30}	3e2da789332d822e039a8badce8f3ab979cd66d7aa4ddfbe8b093f19089f51c7	2fb4ae099fd625a2c99f0ed14ad401d86ad4045b32b95eeef8038d7973e4f0ac
\.


--
-- Data for Name: drift_bins; Type: TABLE DATA; Schema: docket; Owner: postgres
--

COPY docket.drift_bins (batch_id, ref_batch, field, kind, bin, label, lo, hi, n) FROM stdin;
\.


--
-- Data for Name: drift_reference; Type: TABLE DATA; Schema: docket; Owner: postgres
--

COPY docket.drift_reference (model_id, batch_id) FROM stdin;
\.


--
-- Data for Name: drift_summaries; Type: TABLE DATA; Schema: docket; Owner: postgres
--

COPY docket.drift_summaries (batch_id, ref_batch, policy_version, rows, computed_at) FROM stdin;
\.


--
-- Data for Name: exports; Type: TABLE DATA; Schema: docket; Owner: postgres
--

COPY docket.exports (name, last_seq, filters, audit_seq, at, by) FROM stdin;
\.


--
-- Data for Name: fair_batches; Type: TABLE DATA; Schema: docket; Owner: postgres
--

COPY docket.fair_batches (batch_id, field, part, policy_version, seq, rows) FROM stdin;
\.


--
-- Data for Name: fair_counts; Type: TABLE DATA; Schema: docket; Owner: postgres
--

COPY docket.fair_counts (batch_id, field, part, value_kind, value_num, value_text, prediction, final_label, route, policy_version, n) FROM stdin;
\.


--
-- Data for Name: leases; Type: TABLE DATA; Schema: docket; Owner: postgres
--

COPY docket.leases (case_id, reviewer_id, token, claimed_at, expires_at) FROM stdin;
\.


--
-- Data for Name: meta; Type: TABLE DATA; Schema: docket; Owner: postgres
--

COPY docket.meta (key, value) FROM stdin;
pg_revision	7
schema_version	10
pg_role_reviewer	docket_reviewer_old7
pg_role_supervisor	docket_supervisor_old7
created_at	1796042496090
created_by	postgres
store_id	a9601a1aa62d1a28e274ccc21d99f84d
\.


--
-- Data for Name: models; Type: TABLE DATA; Schema: docket; Owner: postgres
--

COPY docket.models (id, name, labels, audit_salt, policy_version, created_at) FROM stdin;
1	credit	["good","bad"]	debd244dadb50f6ad7c384704940a5a3	1	1796042496155
\.


--
-- Data for Name: policies; Type: TABLE DATA; Schema: docket; Owner: postgres
--

COPY docket.policies (model_id, version, policy, set_by, set_at) FROM stdin;
1	1	{"threshold":0.8,"label_thresholds":{},"margin":0,"entropy":0,"audit_rate":0,"double_rate":0}	sam	1796042496155
\.


--
-- Data for Name: reviewer_seen; Type: TABLE DATA; Schema: docket; Owner: postgres
--

COPY docket.reviewer_seen (reviewer, seq) FROM stdin;
\.


--
-- Data for Name: reviewers; Type: TABLE DATA; Schema: docket; Owner: postgres
--

COPY docket.reviewers (id, name, role, added_at, added_by) FROM stdin;
1	postgres	supervisor	1796042496090	postgres
2	sam	supervisor	1796042496114	postgres
3	alice	reviewer	1796042496137	sam
\.


--
-- Data for Name: reviews; Type: TABLE DATA; Schema: docket; Owner: postgres
--

COPY docket.reviews (case_id, reviewer_id, seq, action, label, at) FROM stdin;
3	3	5	accept	bad	1796042496206
23	3	6	override	good	1796042496251
\.


--
-- Name: batches_id_seq; Type: SEQUENCE SET; Schema: docket; Owner: postgres
--

SELECT pg_catalog.setval('docket.batches_id_seq', 1, true);


--
-- Name: cases_id_seq; Type: SEQUENCE SET; Schema: docket; Owner: postgres
--

SELECT pg_catalog.setval('docket.cases_id_seq', 30, true);


--
-- Name: lease_tokens; Type: SEQUENCE SET; Schema: docket; Owner: postgres
--

SELECT pg_catalog.setval('docket.lease_tokens', 2, true);


--
-- Name: models_id_seq; Type: SEQUENCE SET; Schema: docket; Owner: postgres
--

SELECT pg_catalog.setval('docket.models_id_seq', 1, true);


--
-- Name: reviewers_id_seq; Type: SEQUENCE SET; Schema: docket; Owner: postgres
--

SELECT pg_catalog.setval('docket.reviewers_id_seq', 3, true);


--
-- Name: batches batches_pkey; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.batches
    ADD CONSTRAINT batches_pkey PRIMARY KEY (id);


--
-- Name: case_pii case_pii_pkey; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.case_pii
    ADD CONSTRAINT case_pii_pkey PRIMARY KEY (case_id);


--
-- Name: cases cases_model_id_ext_id_key; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.cases
    ADD CONSTRAINT cases_model_id_ext_id_key UNIQUE (model_id, ext_id);


--
-- Name: cases cases_pkey; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.cases
    ADD CONSTRAINT cases_pkey PRIMARY KEY (id);


--
-- Name: counter_shards counter_shards_pkey; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.counter_shards
    ADD CONSTRAINT counter_shards_pkey PRIMARY KEY (model_id, state, shard);


--
-- Name: decisions decisions_pkey; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.decisions
    ADD CONSTRAINT decisions_pkey PRIMARY KEY (seq);


--
-- Name: drift_bins drift_bins_pkey; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.drift_bins
    ADD CONSTRAINT drift_bins_pkey PRIMARY KEY (batch_id, ref_batch, field, bin);


--
-- Name: drift_reference drift_reference_pkey; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.drift_reference
    ADD CONSTRAINT drift_reference_pkey PRIMARY KEY (model_id);


--
-- Name: drift_summaries drift_summaries_pkey; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.drift_summaries
    ADD CONSTRAINT drift_summaries_pkey PRIMARY KEY (batch_id, ref_batch);


--
-- Name: exports exports_pkey; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.exports
    ADD CONSTRAINT exports_pkey PRIMARY KEY (name);


--
-- Name: fair_batches fair_batches_pkey; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.fair_batches
    ADD CONSTRAINT fair_batches_pkey PRIMARY KEY (batch_id, field, part);


--
-- Name: leases leases_pkey; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.leases
    ADD CONSTRAINT leases_pkey PRIMARY KEY (case_id);


--
-- Name: meta meta_pkey; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.meta
    ADD CONSTRAINT meta_pkey PRIMARY KEY (key);


--
-- Name: models models_name_key; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.models
    ADD CONSTRAINT models_name_key UNIQUE (name);


--
-- Name: models models_pkey; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.models
    ADD CONSTRAINT models_pkey PRIMARY KEY (id);


--
-- Name: policies policies_pkey; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.policies
    ADD CONSTRAINT policies_pkey PRIMARY KEY (model_id, version);


--
-- Name: reviewer_seen reviewer_seen_pkey; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.reviewer_seen
    ADD CONSTRAINT reviewer_seen_pkey PRIMARY KEY (reviewer);


--
-- Name: reviewers reviewers_name_key; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.reviewers
    ADD CONSTRAINT reviewers_name_key UNIQUE (name);


--
-- Name: reviewers reviewers_pkey; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.reviewers
    ADD CONSTRAINT reviewers_pkey PRIMARY KEY (id);


--
-- Name: reviews reviews_pkey; Type: CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.reviews
    ADD CONSTRAINT reviews_pkey PRIMARY KEY (case_id, reviewer_id);


--
-- Name: batches_model; Type: INDEX; Schema: docket; Owner: postgres
--

CREATE INDEX batches_model ON docket.batches USING btree (model_id, id);


--
-- Name: batches_sha256; Type: INDEX; Schema: docket; Owner: postgres
--

CREATE INDEX batches_sha256 ON docket.batches USING btree (source_sha256);


--
-- Name: cases_auto_version; Type: INDEX; Schema: docket; Owner: postgres
--

CREATE INDEX cases_auto_version ON docket.cases USING btree (model_id, policy_version) WHERE (state = 'auto'::text);


--
-- Name: cases_batch; Type: INDEX; Schema: docket; Owner: postgres
--

CREATE INDEX cases_batch ON docket.cases USING btree (batch_id, state);


--
-- Name: cases_final; Type: INDEX; Schema: docket; Owner: postgres
--

CREATE INDEX cases_final ON docket.cases USING btree (final_seq) WHERE (final_seq IS NOT NULL);


--
-- Name: cases_gold; Type: INDEX; Schema: docket; Owner: postgres
--

CREATE INDEX cases_gold ON docket.cases USING btree (id, gold) WHERE (gold IS NOT NULL);


--
-- Name: cases_queue_model; Type: INDEX; Schema: docket; Owner: postgres
--

CREATE INDEX cases_queue_model ON docket.cases USING btree (model_id, priority DESC, urgency, id) WHERE (state = 'queued'::text);


--
-- Name: cases_reviewed; Type: INDEX; Schema: docket; Owner: postgres
--

CREATE INDEX cases_reviewed ON docket.cases USING btree (model_id, decided_at, prediction, final_label, confidence, route_reason, final_seq) WHERE (final_seq IS NOT NULL);


--
-- Name: cases_waiting; Type: INDEX; Schema: docket; Owner: postgres
--

CREATE INDEX cases_waiting ON docket.cases USING btree (state, id) WHERE ((state = 'escalated'::text) OR (state = 'disputed'::text));


--
-- Name: decisions_action; Type: INDEX; Schema: docket; Owner: postgres
--

CREATE INDEX decisions_action ON docket.decisions USING btree (action, seq);


--
-- Name: decisions_at; Type: INDEX; Schema: docket; Owner: postgres
--

CREATE INDEX decisions_at ON docket.decisions USING btree (at);


--
-- Name: decisions_case; Type: INDEX; Schema: docket; Owner: postgres
--

CREATE INDEX decisions_case ON docket.decisions USING btree (case_id, seq);


--
-- Name: decisions_ref; Type: INDEX; Schema: docket; Owner: postgres
--

CREATE INDEX decisions_ref ON docket.decisions USING btree (ref_seq) WHERE (ref_seq IS NOT NULL);


--
-- Name: decisions_reviewer; Type: INDEX; Schema: docket; Owner: postgres
--

CREATE INDEX decisions_reviewer ON docket.decisions USING btree (reviewer, seq);


--
-- Name: fair_counts_batch; Type: INDEX; Schema: docket; Owner: postgres
--

CREATE INDEX fair_counts_batch ON docket.fair_counts USING btree (batch_id, field, part);


--
-- Name: leases_expiry; Type: INDEX; Schema: docket; Owner: postgres
--

CREATE INDEX leases_expiry ON docket.leases USING btree (expires_at);


--
-- Name: leases_reviewer; Type: INDEX; Schema: docket; Owner: postgres
--

CREATE INDEX leases_reviewer ON docket.leases USING btree (reviewer_id);


--
-- Name: reviews_reviewer; Type: INDEX; Schema: docket; Owner: postgres
--

CREATE INDEX reviews_reviewer ON docket.reviews USING btree (reviewer_id, at);


--
-- Name: batches batches_keys_once; Type: TRIGGER; Schema: docket; Owner: postgres
--

CREATE TRIGGER batches_keys_once BEFORE UPDATE OF ctx_keys, attr_keys, prob_keys ON docket.batches FOR EACH ROW EXECUTE FUNCTION docket.batches_keys_once();


--
-- Name: case_pii case_pii_refs; Type: TRIGGER; Schema: docket; Owner: postgres
--

CREATE TRIGGER case_pii_refs AFTER INSERT ON docket.case_pii REFERENCING NEW TABLE AS new_pii FOR EACH STATEMENT EXECUTE FUNCTION docket.case_pii_refs();


--
-- Name: cases cases_count_delete; Type: TRIGGER; Schema: docket; Owner: postgres
--

CREATE TRIGGER cases_count_delete AFTER DELETE ON docket.cases FOR EACH ROW EXECUTE FUNCTION docket.cases_count_delete();


--
-- Name: cases cases_count_state; Type: TRIGGER; Schema: docket; Owner: postgres
--

CREATE TRIGGER cases_count_state AFTER UPDATE OF state ON docket.cases FOR EACH ROW WHEN ((old.state IS DISTINCT FROM new.state)) EXECUTE FUNCTION docket.cases_count_state();


--
-- Name: cases cases_guard; Type: TRIGGER; Schema: docket; Owner: postgres
--

CREATE TRIGGER cases_guard BEFORE UPDATE ON docket.cases FOR EACH ROW EXECUTE FUNCTION docket.cases_guard();


--
-- Name: cases cases_held_leased; Type: TRIGGER; Schema: docket; Owner: postgres
--

CREATE CONSTRAINT TRIGGER cases_held_leased AFTER UPDATE OF state ON docket.cases DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ((new.state = 'held'::text)) EXECUTE FUNCTION docket.cases_held_leased();


--
-- Name: cases cases_refs; Type: TRIGGER; Schema: docket; Owner: postgres
--

CREATE TRIGGER cases_refs AFTER INSERT ON docket.cases REFERENCING NEW TABLE AS new_cases FOR EACH STATEMENT EXECUTE FUNCTION docket.cases_refs();


--
-- Name: counters counters_insert; Type: TRIGGER; Schema: docket; Owner: postgres
--

CREATE TRIGGER counters_insert INSTEAD OF INSERT ON docket.counters FOR EACH ROW EXECUTE FUNCTION docket.counters_insert();


--
-- Name: decisions decisions_append_only; Type: TRIGGER; Schema: docket; Owner: postgres
--

CREATE TRIGGER decisions_append_only BEFORE INSERT ON docket.decisions FOR EACH ROW EXECUTE FUNCTION docket.decisions_append_only();


--
-- Name: decisions decisions_no_delete; Type: TRIGGER; Schema: docket; Owner: postgres
--

CREATE TRIGGER decisions_no_delete BEFORE DELETE ON docket.decisions FOR EACH ROW EXECUTE FUNCTION docket.decisions_append_only();


--
-- Name: decisions decisions_no_truncate; Type: TRIGGER; Schema: docket; Owner: postgres
--

CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON docket.decisions FOR EACH STATEMENT EXECUTE FUNCTION docket.decisions_append_only();


--
-- Name: decisions decisions_no_update; Type: TRIGGER; Schema: docket; Owner: postgres
--

CREATE TRIGGER decisions_no_update BEFORE UPDATE ON docket.decisions FOR EACH ROW EXECUTE FUNCTION docket.decisions_append_only();


--
-- Name: leases leases_guard; Type: TRIGGER; Schema: docket; Owner: postgres
--

CREATE TRIGGER leases_guard BEFORE DELETE ON docket.leases FOR EACH ROW EXECUTE FUNCTION docket.leases_guard();


--
-- Name: batches batches_model_id_fkey; Type: FK CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.batches
    ADD CONSTRAINT batches_model_id_fkey FOREIGN KEY (model_id) REFERENCES docket.models(id);


--
-- Name: counter_shards counter_shards_model_id_fkey; Type: FK CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.counter_shards
    ADD CONSTRAINT counter_shards_model_id_fkey FOREIGN KEY (model_id) REFERENCES docket.models(id);


--
-- Name: decisions decisions_case_id_fkey; Type: FK CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.decisions
    ADD CONSTRAINT decisions_case_id_fkey FOREIGN KEY (case_id) REFERENCES docket.cases(id);


--
-- Name: drift_reference drift_reference_batch_id_fkey; Type: FK CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.drift_reference
    ADD CONSTRAINT drift_reference_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES docket.batches(id);


--
-- Name: drift_reference drift_reference_model_id_fkey; Type: FK CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.drift_reference
    ADD CONSTRAINT drift_reference_model_id_fkey FOREIGN KEY (model_id) REFERENCES docket.models(id);


--
-- Name: drift_summaries drift_summaries_batch_id_fkey; Type: FK CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.drift_summaries
    ADD CONSTRAINT drift_summaries_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES docket.batches(id);


--
-- Name: drift_summaries drift_summaries_ref_batch_fkey; Type: FK CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.drift_summaries
    ADD CONSTRAINT drift_summaries_ref_batch_fkey FOREIGN KEY (ref_batch) REFERENCES docket.batches(id);


--
-- Name: fair_batches fair_batches_batch_id_fkey; Type: FK CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.fair_batches
    ADD CONSTRAINT fair_batches_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES docket.batches(id);


--
-- Name: leases leases_case_id_fkey; Type: FK CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.leases
    ADD CONSTRAINT leases_case_id_fkey FOREIGN KEY (case_id) REFERENCES docket.cases(id);


--
-- Name: leases leases_reviewer_id_fkey; Type: FK CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.leases
    ADD CONSTRAINT leases_reviewer_id_fkey FOREIGN KEY (reviewer_id) REFERENCES docket.reviewers(id);


--
-- Name: policies policies_model_id_fkey; Type: FK CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.policies
    ADD CONSTRAINT policies_model_id_fkey FOREIGN KEY (model_id) REFERENCES docket.models(id);


--
-- Name: reviews reviews_case_id_fkey; Type: FK CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.reviews
    ADD CONSTRAINT reviews_case_id_fkey FOREIGN KEY (case_id) REFERENCES docket.cases(id);


--
-- Name: reviews reviews_reviewer_id_fkey; Type: FK CONSTRAINT; Schema: docket; Owner: postgres
--

ALTER TABLE ONLY docket.reviews
    ADD CONSTRAINT reviews_reviewer_id_fkey FOREIGN KEY (reviewer_id) REFERENCES docket.reviewers(id);


--
-- Name: reviewers auto_add; Type: POLICY; Schema: docket; Owner: postgres
--

CREATE POLICY auto_add ON docket.reviewers FOR INSERT TO docket_reviewer_old7 WITH CHECK (((name = CURRENT_USER) AND (role = 'reviewer'::text) AND (added_by = 'auto'::text) AND (EXISTS ( SELECT 1
   FROM docket.meta
  WHERE ((meta.key = 'auto_add_reviewers'::text) AND (meta.value = 'on'::text))))));


--
-- Name: decisions; Type: ROW SECURITY; Schema: docket; Owner: postgres
--

ALTER TABLE docket.decisions ENABLE ROW LEVEL SECURITY;

--
-- Name: reviews follow_log; Type: POLICY; Schema: docket; Owner: postgres
--

CREATE POLICY follow_log ON docket.reviews TO docket_reviewer_old7 USING (docket.entered_now(case_id)) WITH CHECK (docket.entered_now(case_id));


--
-- Name: leases give_back; Type: POLICY; Schema: docket; Owner: postgres
--

CREATE POLICY give_back ON docket.leases FOR DELETE TO docket_reviewer_old7 USING (true);


--
-- Name: leases; Type: ROW SECURITY; Schema: docket; Owner: postgres
--

ALTER TABLE docket.leases ENABLE ROW LEVEL SECURITY;

--
-- Name: meta; Type: ROW SECURITY; Schema: docket; Owner: postgres
--

ALTER TABLE docket.meta ENABLE ROW LEVEL SECURITY;

--
-- Name: reviewer_seen own; Type: POLICY; Schema: docket; Owner: postgres
--

CREATE POLICY own ON docket.reviewer_seen TO docket_reviewer_old7, docket_supervisor_old7 USING (true) WITH CHECK ((reviewer = CURRENT_USER));


--
-- Name: decisions read; Type: POLICY; Schema: docket; Owner: postgres
--

CREATE POLICY read ON docket.decisions FOR SELECT USING (true);


--
-- Name: leases read; Type: POLICY; Schema: docket; Owner: postgres
--

CREATE POLICY read ON docket.leases FOR SELECT USING (true);


--
-- Name: meta read; Type: POLICY; Schema: docket; Owner: postgres
--

CREATE POLICY read ON docket.meta FOR SELECT USING (true);


--
-- Name: reviewer_seen read; Type: POLICY; Schema: docket; Owner: postgres
--

CREATE POLICY read ON docket.reviewer_seen FOR SELECT USING (true);


--
-- Name: reviewers read; Type: POLICY; Schema: docket; Owner: postgres
--

CREATE POLICY read ON docket.reviewers FOR SELECT USING (true);


--
-- Name: reviews read; Type: POLICY; Schema: docket; Owner: postgres
--

CREATE POLICY read ON docket.reviews FOR SELECT USING (true);


--
-- Name: leases renew; Type: POLICY; Schema: docket; Owner: postgres
--

CREATE POLICY renew ON docket.leases FOR UPDATE TO docket_reviewer_old7 USING (true) WITH CHECK ((reviewer_id = docket.my_reviewer_id()));


--
-- Name: decisions reviewer_append; Type: POLICY; Schema: docket; Owner: postgres
--

CREATE POLICY reviewer_append ON docket.decisions FOR INSERT TO docket_reviewer_old7 WITH CHECK (((reviewer = CURRENT_USER) AND docket.links(seq, prev_hash) AND docket.reviewer_may_append(action, case_id, ref_seq, detail, at)));


--
-- Name: reviewer_seen; Type: ROW SECURITY; Schema: docket; Owner: postgres
--

ALTER TABLE docket.reviewer_seen ENABLE ROW LEVEL SECURITY;

--
-- Name: reviewers; Type: ROW SECURITY; Schema: docket; Owner: postgres
--

ALTER TABLE docket.reviewers ENABLE ROW LEVEL SECURITY;

--
-- Name: reviews; Type: ROW SECURITY; Schema: docket; Owner: postgres
--

ALTER TABLE docket.reviews ENABLE ROW LEVEL SECURITY;

--
-- Name: leases supervisor; Type: POLICY; Schema: docket; Owner: postgres
--

CREATE POLICY supervisor ON docket.leases TO docket_supervisor_old7 USING (true) WITH CHECK (true);


--
-- Name: meta supervisor; Type: POLICY; Schema: docket; Owner: postgres
--

CREATE POLICY supervisor ON docket.meta TO docket_supervisor_old7 USING ((key <> ALL (ARRAY['schema_version'::text, 'pg_revision'::text, 'pg_role_reviewer'::text, 'pg_role_supervisor'::text, 'pg_roles_replaced'::text]))) WITH CHECK ((key <> ALL (ARRAY['schema_version'::text, 'pg_revision'::text, 'pg_role_reviewer'::text, 'pg_role_supervisor'::text, 'pg_roles_replaced'::text])));


--
-- Name: reviewers supervisor; Type: POLICY; Schema: docket; Owner: postgres
--

CREATE POLICY supervisor ON docket.reviewers TO docket_supervisor_old7 USING (true) WITH CHECK (true);


--
-- Name: reviews supervisor; Type: POLICY; Schema: docket; Owner: postgres
--

CREATE POLICY supervisor ON docket.reviews TO docket_supervisor_old7 USING (true) WITH CHECK (true);


--
-- Name: decisions supervisor_append; Type: POLICY; Schema: docket; Owner: postgres
--

CREATE POLICY supervisor_append ON docket.decisions FOR INSERT TO docket_supervisor_old7 WITH CHECK (((reviewer = CURRENT_USER) AND docket.links(seq, prev_hash)));


--
-- Name: leases take; Type: POLICY; Schema: docket; Owner: postgres
--

CREATE POLICY take ON docket.leases FOR INSERT TO docket_reviewer_old7 WITH CHECK (((reviewer_id = docket.my_reviewer_id()) AND (EXISTS ( SELECT 1
   FROM docket.cases c
  WHERE ((c.id = leases.case_id) AND (c.state = 'held'::text))))));


--
-- Name: SCHEMA docket; Type: ACL; Schema: -; Owner: postgres
--

GRANT USAGE ON SCHEMA docket TO docket_reviewer_old7;
GRANT USAGE ON SCHEMA docket TO docket_supervisor_old7;


--
-- Name: FUNCTION batches_keys_once(); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.batches_keys_once() FROM PUBLIC;
GRANT ALL ON FUNCTION docket.batches_keys_once() TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.batches_keys_once() TO docket_supervisor_old7;


--
-- Name: FUNCTION caller_role(); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.caller_role() FROM PUBLIC;
GRANT ALL ON FUNCTION docket.caller_role() TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.caller_role() TO docket_supervisor_old7;


--
-- Name: FUNCTION case_pii_refs(); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.case_pii_refs() FROM PUBLIC;
GRANT ALL ON FUNCTION docket.case_pii_refs() TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.case_pii_refs() TO docket_supervisor_old7;


--
-- Name: FUNCTION cases_count_delete(); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.cases_count_delete() FROM PUBLIC;
GRANT ALL ON FUNCTION docket.cases_count_delete() TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.cases_count_delete() TO docket_supervisor_old7;


--
-- Name: FUNCTION cases_count_state(); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.cases_count_state() FROM PUBLIC;
GRANT ALL ON FUNCTION docket.cases_count_state() TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.cases_count_state() TO docket_supervisor_old7;


--
-- Name: FUNCTION cases_guard(); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.cases_guard() FROM PUBLIC;
GRANT ALL ON FUNCTION docket.cases_guard() TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.cases_guard() TO docket_supervisor_old7;


--
-- Name: FUNCTION cases_held_leased(); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.cases_held_leased() FROM PUBLIC;
GRANT ALL ON FUNCTION docket.cases_held_leased() TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.cases_held_leased() TO docket_supervisor_old7;


--
-- Name: FUNCTION cases_refs(); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.cases_refs() FROM PUBLIC;
GRANT ALL ON FUNCTION docket.cases_refs() TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.cases_refs() TO docket_supervisor_old7;


--
-- Name: FUNCTION chain_head(); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.chain_head() FROM PUBLIC;
GRANT ALL ON FUNCTION docket.chain_head() TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.chain_head() TO docket_supervisor_old7;


--
-- Name: FUNCTION claim(p_reviewer text, p_model text, p_now bigint, p_cooldown_ms bigint, p_expires bigint); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.claim(p_reviewer text, p_model text, p_now bigint, p_cooldown_ms bigint, p_expires bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.claim(p_reviewer text, p_model text, p_now bigint, p_cooldown_ms bigint, p_expires bigint) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.claim(p_reviewer text, p_model text, p_now bigint, p_cooldown_ms bigint, p_expires bigint) TO docket_supervisor_old7;


--
-- Name: FUNCTION context_full(c bigint, ctx text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.context_full(c bigint, ctx text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.context_full(c bigint, ctx text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.context_full(c bigint, ctx text) TO docket_supervisor_old7;


--
-- Name: FUNCTION counter_add(m bigint, st text, d bigint, k integer); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.counter_add(m bigint, st text, d bigint, k integer) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.counter_add(m bigint, st text, d bigint, k integer) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.counter_add(m bigint, st text, d bigint, k integer) TO docket_supervisor_old7;


--
-- Name: FUNCTION counters_insert(); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.counters_insert() FROM PUBLIC;
GRANT ALL ON FUNCTION docket.counters_insert() TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.counters_insert() TO docket_supervisor_old7;


--
-- Name: FUNCTION decide(p_reviewer text, p_case bigint, p_action text, p_label text, p_reason text, p_note text, p_seconds double precision, p_head text, p_tail text, p_now bigint, p_token bigint, p_reasons text, p_state text, p_final_label text, p_final_seq bigint, p_decided_at bigint, p_end_lease boolean); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.decide(p_reviewer text, p_case bigint, p_action text, p_label text, p_reason text, p_note text, p_seconds double precision, p_head text, p_tail text, p_now bigint, p_token bigint, p_reasons text, p_state text, p_final_label text, p_final_seq bigint, p_decided_at bigint, p_end_lease boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.decide(p_reviewer text, p_case bigint, p_action text, p_label text, p_reason text, p_note text, p_seconds double precision, p_head text, p_tail text, p_now bigint, p_token bigint, p_reasons text, p_state text, p_final_label text, p_final_seq bigint, p_decided_at bigint, p_end_lease boolean) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.decide(p_reviewer text, p_case bigint, p_action text, p_label text, p_reason text, p_note text, p_seconds double precision, p_head text, p_tail text, p_now bigint, p_token bigint, p_reasons text, p_state text, p_final_label text, p_final_seq bigint, p_decided_at bigint, p_end_lease boolean) TO docket_supervisor_old7;


--
-- Name: FUNCTION decisions_append_only(); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.decisions_append_only() FROM PUBLIC;
GRANT ALL ON FUNCTION docket.decisions_append_only() TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.decisions_append_only() TO docket_supervisor_old7;


--
-- Name: FUNCTION dk_concat_step(acc text, v text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.dk_concat_step(acc text, v text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.dk_concat_step(acc text, v text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.dk_concat_step(acc text, v text) TO docket_supervisor_old7;


--
-- Name: FUNCTION dk_concat_step(acc text, v text, sep text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.dk_concat_step(acc text, v text, sep text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.dk_concat_step(acc text, v text, sep text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.dk_concat_step(acc text, v text, sep text) TO docket_supervisor_old7;


--
-- Name: FUNCTION dk_int_eq_json(a bigint, b json); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.dk_int_eq_json(a bigint, b json) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.dk_int_eq_json(a bigint, b json) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.dk_int_eq_json(a bigint, b json) TO docket_supervisor_old7;


--
-- Name: FUNCTION dk_json_arrow(t text, p text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.dk_json_arrow(t text, p text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.dk_json_arrow(t text, p text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.dk_json_arrow(t text, p text) TO docket_supervisor_old7;


--
-- Name: FUNCTION dk_json_atom(v json); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.dk_json_atom(v json) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.dk_json_atom(v json) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.dk_json_atom(v json) TO docket_supervisor_old7;


--
-- Name: FUNCTION dk_json_eq_int(a json, b bigint); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.dk_json_eq_int(a json, b bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.dk_json_eq_int(a json, b bigint) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.dk_json_eq_int(a json, b bigint) TO docket_supervisor_old7;


--
-- Name: FUNCTION dk_json_eq_text(a json, b text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.dk_json_eq_text(a json, b text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.dk_json_eq_text(a json, b text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.dk_json_eq_text(a json, b text) TO docket_supervisor_old7;


--
-- Name: FUNCTION dk_json_min(t text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.dk_json_min(t text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.dk_json_min(t text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.dk_json_min(t text) TO docket_supervisor_old7;


--
-- Name: FUNCTION dk_json_path(p text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.dk_json_path(p text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.dk_json_path(p text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.dk_json_path(p text) TO docket_supervisor_old7;


--
-- Name: FUNCTION dk_json_type(v json); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.dk_json_type(v json) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.dk_json_type(v json) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.dk_json_type(v json) TO docket_supervisor_old7;


--
-- Name: FUNCTION entered_now(c bigint); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.entered_now(c bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.entered_now(c bigint) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.entered_now(c bigint) TO docket_supervisor_old7;


--
-- Name: FUNCTION fast_known(ok boolean); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.fast_known(ok boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.fast_known(ok boolean) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.fast_known(ok boolean) TO docket_supervisor_old7;


--
-- Name: FUNCTION grant_role(who text, r text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.grant_role(who text, r text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.grant_role(who text, r text) TO docket_supervisor_old7;


--
-- Name: FUNCTION hold_case(p_case bigint, p_now bigint); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.hold_case(p_case bigint, p_now bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.hold_case(p_case bigint, p_now bigint) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.hold_case(p_case bigint, p_now bigint) TO docket_supervisor_old7;


--
-- Name: FUNCTION holds_lease(c bigint, at bigint); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.holds_lease(c bigint, at bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.holds_lease(c bigint, at bigint) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.holds_lease(c bigint, at bigint) TO docket_supervisor_old7;


--
-- Name: FUNCTION instr(a text, b text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.instr(a text, b text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.instr(a text, b text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.instr(a text, b text) TO docket_supervisor_old7;


--
-- Name: FUNCTION json(j json); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.json(j json) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.json(j json) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.json(j json) TO docket_supervisor_old7;


--
-- Name: FUNCTION json(t text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.json(t text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.json(t text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.json(t text) TO docket_supervisor_old7;


--
-- Name: FUNCTION json_array_length(t text, p text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.json_array_length(t text, p text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.json_array_length(t text, p text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.json_array_length(t text, p text) TO docket_supervisor_old7;


--
-- Name: FUNCTION json_each(t json, p text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.json_each(t json, p text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.json_each(t json, p text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.json_each(t json, p text) TO docket_supervisor_old7;


--
-- Name: FUNCTION json_each(t text, p text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.json_each(t text, p text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.json_each(t text, p text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.json_each(t text, p text) TO docket_supervisor_old7;


--
-- Name: FUNCTION json_extract(t json, p text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.json_extract(t json, p text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.json_extract(t json, p text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.json_extract(t json, p text) TO docket_supervisor_old7;


--
-- Name: FUNCTION json_extract(t text, p text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.json_extract(t text, p text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.json_extract(t text, p text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.json_extract(t text, p text) TO docket_supervisor_old7;


--
-- Name: FUNCTION json_type(t text, p text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.json_type(t text, p text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.json_type(t text, p text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.json_type(t text, p text) TO docket_supervisor_old7;


--
-- Name: FUNCTION json_valid(t text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.json_valid(t text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.json_valid(t text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.json_valid(t text) TO docket_supervisor_old7;


--
-- Name: FUNCTION leases_guard(); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.leases_guard() FROM PUBLIC;
GRANT ALL ON FUNCTION docket.leases_guard() TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.leases_guard() TO docket_supervisor_old7;


--
-- Name: FUNCTION links(s bigint, prev text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.links(s bigint, prev text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.links(s bigint, prev text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.links(s bigint, prev text) TO docket_supervisor_old7;


--
-- Name: FUNCTION mask_pii(ctx text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.mask_pii(ctx text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.mask_pii(ctx text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.mask_pii(ctx text) TO docket_supervisor_old7;


--
-- Name: FUNCTION my_reviewer_id(); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.my_reviewer_id() FROM PUBLIC;
GRANT ALL ON FUNCTION docket.my_reviewer_id() TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.my_reviewer_id() TO docket_supervisor_old7;


--
-- Name: FUNCTION now_ms(); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.now_ms() FROM PUBLIC;
GRANT ALL ON FUNCTION docket.now_ms() TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.now_ms() TO docket_supervisor_old7;


--
-- Name: FUNCTION only_reviewer(); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.only_reviewer() FROM PUBLIC;
GRANT ALL ON FUNCTION docket.only_reviewer() TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.only_reviewer() TO docket_supervisor_old7;


--
-- Name: FUNCTION pii_fields(c bigint); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.pii_fields(c bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.pii_fields(c bigint) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.pii_fields(c bigint) TO docket_supervisor_old7;


--
-- Name: FUNCTION reclaim(p_now bigint); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.reclaim(p_now bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.reclaim(p_now bigint) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.reclaim(p_now bigint) TO docket_supervisor_old7;


--
-- Name: FUNCTION reviewer_may_append(a text, c bigint, ref bigint, detail text, at bigint); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.reviewer_may_append(a text, c bigint, ref bigint, detail text, at bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.reviewer_may_append(a text, c bigint, ref bigint, detail text, at bigint) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.reviewer_may_append(a text, c bigint, ref bigint, detail text, at bigint) TO docket_supervisor_old7;


--
-- Name: FUNCTION split_pii(); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.split_pii() FROM PUBLIC;


--
-- Name: FUNCTION store_role(kind text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.store_role(kind text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.store_role(kind text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.store_role(kind text) TO docket_supervisor_old7;


--
-- Name: FUNCTION group_concat(text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.group_concat(text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.group_concat(text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.group_concat(text) TO docket_supervisor_old7;


--
-- Name: FUNCTION group_concat(text, text); Type: ACL; Schema: docket; Owner: postgres
--

REVOKE ALL ON FUNCTION docket.group_concat(text, text) FROM PUBLIC;
GRANT ALL ON FUNCTION docket.group_concat(text, text) TO docket_reviewer_old7;
GRANT ALL ON FUNCTION docket.group_concat(text, text) TO docket_supervisor_old7;


--
-- Name: TABLE batches; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT ON TABLE docket.batches TO docket_reviewer_old7;
GRANT SELECT,INSERT ON TABLE docket.batches TO docket_supervisor_old7;


--
-- Name: COLUMN batches.source_sha256; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(source_sha256) ON TABLE docket.batches TO docket_supervisor_old7;


--
-- Name: COLUMN batches.rows; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(rows) ON TABLE docket.batches TO docket_supervisor_old7;


--
-- Name: COLUMN batches.routed; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(routed) ON TABLE docket.batches TO docket_supervisor_old7;


--
-- Name: COLUMN batches.ctx_keys; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(ctx_keys) ON TABLE docket.batches TO docket_supervisor_old7;


--
-- Name: COLUMN batches.attr_keys; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(attr_keys) ON TABLE docket.batches TO docket_supervisor_old7;


--
-- Name: COLUMN batches.prob_keys; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(prob_keys) ON TABLE docket.batches TO docket_supervisor_old7;


--
-- Name: SEQUENCE batches_id_seq; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT,USAGE ON SEQUENCE docket.batches_id_seq TO docket_reviewer_old7;
GRANT SELECT,USAGE ON SEQUENCE docket.batches_id_seq TO docket_supervisor_old7;


--
-- Name: TABLE case_pii; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT,INSERT ON TABLE docket.case_pii TO docket_supervisor_old7;


--
-- Name: TABLE cases; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT ON TABLE docket.cases TO docket_reviewer_old7;
GRANT SELECT,INSERT ON TABLE docket.cases TO docket_supervisor_old7;


--
-- Name: COLUMN cases.state; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(state) ON TABLE docket.cases TO docket_reviewer_old7;
GRANT UPDATE(state) ON TABLE docket.cases TO docket_supervisor_old7;


--
-- Name: COLUMN cases.route_reason; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(route_reason) ON TABLE docket.cases TO docket_supervisor_old7;


--
-- Name: COLUMN cases.policy_version; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(policy_version) ON TABLE docket.cases TO docket_supervisor_old7;


--
-- Name: COLUMN cases.urgency; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(urgency) ON TABLE docket.cases TO docket_supervisor_old7;


--
-- Name: COLUMN cases.reviews_needed; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(reviews_needed) ON TABLE docket.cases TO docket_supervisor_old7;


--
-- Name: COLUMN cases.final_label; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(final_label) ON TABLE docket.cases TO docket_reviewer_old7;
GRANT UPDATE(final_label) ON TABLE docket.cases TO docket_supervisor_old7;


--
-- Name: COLUMN cases.final_seq; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(final_seq) ON TABLE docket.cases TO docket_reviewer_old7;
GRANT UPDATE(final_seq) ON TABLE docket.cases TO docket_supervisor_old7;


--
-- Name: COLUMN cases.decided_at; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(decided_at) ON TABLE docket.cases TO docket_reviewer_old7;
GRANT UPDATE(decided_at) ON TABLE docket.cases TO docket_supervisor_old7;


--
-- Name: SEQUENCE cases_id_seq; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT,USAGE ON SEQUENCE docket.cases_id_seq TO docket_reviewer_old7;
GRANT SELECT,USAGE ON SEQUENCE docket.cases_id_seq TO docket_supervisor_old7;


--
-- Name: TABLE counters; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT ON TABLE docket.counters TO docket_reviewer_old7;
GRANT SELECT,INSERT ON TABLE docket.counters TO docket_supervisor_old7;


--
-- Name: COLUMN counters.n; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(n) ON TABLE docket.counters TO docket_supervisor_old7;


--
-- Name: TABLE decisions; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT,INSERT ON TABLE docket.decisions TO docket_reviewer_old7;
GRANT SELECT,INSERT ON TABLE docket.decisions TO docket_supervisor_old7;


--
-- Name: TABLE drift_bins; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT ON TABLE docket.drift_bins TO docket_reviewer_old7;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE docket.drift_bins TO docket_supervisor_old7;


--
-- Name: TABLE drift_reference; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT ON TABLE docket.drift_reference TO docket_reviewer_old7;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE docket.drift_reference TO docket_supervisor_old7;


--
-- Name: TABLE drift_summaries; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT ON TABLE docket.drift_summaries TO docket_reviewer_old7;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE docket.drift_summaries TO docket_supervisor_old7;


--
-- Name: TABLE exports; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT ON TABLE docket.exports TO docket_reviewer_old7;
GRANT SELECT,INSERT ON TABLE docket.exports TO docket_supervisor_old7;


--
-- Name: COLUMN exports.last_seq; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(last_seq) ON TABLE docket.exports TO docket_supervisor_old7;


--
-- Name: COLUMN exports.audit_seq; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(audit_seq) ON TABLE docket.exports TO docket_supervisor_old7;


--
-- Name: COLUMN exports.at; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(at) ON TABLE docket.exports TO docket_supervisor_old7;


--
-- Name: COLUMN exports.by; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(by) ON TABLE docket.exports TO docket_supervisor_old7;


--
-- Name: TABLE fair_batches; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT ON TABLE docket.fair_batches TO docket_reviewer_old7;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE docket.fair_batches TO docket_supervisor_old7;


--
-- Name: TABLE fair_counts; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT ON TABLE docket.fair_counts TO docket_reviewer_old7;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE docket.fair_counts TO docket_supervisor_old7;


--
-- Name: SEQUENCE lease_tokens; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT,USAGE ON SEQUENCE docket.lease_tokens TO docket_reviewer_old7;
GRANT SELECT,USAGE ON SEQUENCE docket.lease_tokens TO docket_supervisor_old7;


--
-- Name: TABLE leases; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT,INSERT,DELETE ON TABLE docket.leases TO docket_reviewer_old7;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE docket.leases TO docket_supervisor_old7;


--
-- Name: COLUMN leases.expires_at; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(expires_at) ON TABLE docket.leases TO docket_reviewer_old7;


--
-- Name: TABLE meta; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT ON TABLE docket.meta TO docket_reviewer_old7;
GRANT SELECT,INSERT ON TABLE docket.meta TO docket_supervisor_old7;


--
-- Name: COLUMN meta.value; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(value) ON TABLE docket.meta TO docket_supervisor_old7;


--
-- Name: TABLE models; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT ON TABLE docket.models TO docket_reviewer_old7;
GRANT SELECT,INSERT ON TABLE docket.models TO docket_supervisor_old7;


--
-- Name: COLUMN models.labels; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(labels) ON TABLE docket.models TO docket_supervisor_old7;


--
-- Name: COLUMN models.policy_version; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(policy_version) ON TABLE docket.models TO docket_supervisor_old7;


--
-- Name: SEQUENCE models_id_seq; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT,USAGE ON SEQUENCE docket.models_id_seq TO docket_reviewer_old7;
GRANT SELECT,USAGE ON SEQUENCE docket.models_id_seq TO docket_supervisor_old7;


--
-- Name: TABLE policies; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT ON TABLE docket.policies TO docket_reviewer_old7;
GRANT SELECT,INSERT ON TABLE docket.policies TO docket_supervisor_old7;


--
-- Name: TABLE reviewer_seen; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT,INSERT ON TABLE docket.reviewer_seen TO docket_reviewer_old7;
GRANT SELECT,INSERT ON TABLE docket.reviewer_seen TO docket_supervisor_old7;


--
-- Name: COLUMN reviewer_seen.seq; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(seq) ON TABLE docket.reviewer_seen TO docket_reviewer_old7;
GRANT UPDATE(seq) ON TABLE docket.reviewer_seen TO docket_supervisor_old7;


--
-- Name: TABLE reviewers; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT,INSERT ON TABLE docket.reviewers TO docket_reviewer_old7;
GRANT SELECT,INSERT ON TABLE docket.reviewers TO docket_supervisor_old7;


--
-- Name: COLUMN reviewers.role; Type: ACL; Schema: docket; Owner: postgres
--

GRANT UPDATE(role) ON TABLE docket.reviewers TO docket_supervisor_old7;


--
-- Name: SEQUENCE reviewers_id_seq; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT,USAGE ON SEQUENCE docket.reviewers_id_seq TO docket_reviewer_old7;
GRANT SELECT,USAGE ON SEQUENCE docket.reviewers_id_seq TO docket_supervisor_old7;


--
-- Name: TABLE reviews; Type: ACL; Schema: docket; Owner: postgres
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE docket.reviews TO docket_reviewer_old7;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE docket.reviews TO docket_supervisor_old7;


--
-- PostgreSQL database dump complete
--

\unrestrict 99N3V0MkbF7zje75y8B7eEEpnJukdAT7WVWGY2mUSbsUVsGfNN49EbuUgbWW2zA

