-- usage_events, smaller and partitioned (issue 14, "Storage" and "Partitioning"; the why is in docs/scaling.md).
--
-- 1. HASH partitions on org_id (16 of them). The primary key (org_id, event_id) contains the partition key, so it
--    stays one real unique index per partition, every (org, event id) lives in exactly one partition, and
--    INSERT ... ON CONFLICT (org_id, event_id) keeps its exactly-once meaning. org_id is also the key Citus would
--    distribute on. Every query names one org, so it touches one partition. Hash partitions are all created here:
--    nothing has to create future partitions.
-- 2. Only the indexes queries use (EXPLAIN of every query on the table, docs/scaling.md):
--      usage_events_pkey (org_id, event_id)     ingest's ON CONFLICT and duplicate probe, findOne, reprice updates
--      usage_events_org_id_ts_idx (org_id, ts)  newest-first list and its keyset, rollup hours, reprice pages,
--                                               retention
--      usage_events_org_id_workload_idx         list?workload=: rare and unknown workloads. It has no ts: btree
--                                               deduplication stores each (org, workload) once with its row
--                                               pointers, ~7 bytes an event where (org_id, workload, ts) took ~100
--      usage_events_unpriced_idx (org_id) WHERE unpriced   the unpriced-models report (empty while all is priced)
--    Dropped: (org_id, model_id, ts), used by no query (the model filters are `model_id = $x OR model = $x`), and
--    (org_id, workload, ts).
-- 3. content_hash keeps the first 16 bytes of the SHA-256 (src/ingestion/event-validator.ts computes the same
--    prefix). 128 bits: passing another event off as a duplicate of a given one takes ~2^128 work; an org could
--    make two of its own events collide in ~2^64, and only fool itself. Stored hashes are cut to the same prefix,
--    so an event stored before this migration and re-sent afterwards is still a duplicate. Processes of the
--    previous release must not ingest once this has run (they would store 32 bytes again): stop them first. There
--    is no CHECK on the length: Prisma 6.19's introspection (db pull) fails on any CHECK constraint.
-- 4. Columns in alignment order (the uuid, 8-byte, 4-byte, bool, then variable-length), so no padding sits between
--    them.
--
-- Writes to usage_events wait for this migration (the EXCLUSIVE lock below); reads go on until the swap. It
-- rewrites the table, so run it with ingest stopped on big installations (docs/scaling.md, "Migrating").

LOCK TABLE usage_events IN EXCLUSIVE MODE;

ALTER TABLE usage_events RENAME TO usage_events_old;
ALTER TABLE usage_events_old RENAME CONSTRAINT usage_events_pkey TO usage_events_old_pkey;
DROP INDEX usage_events_org_id_ts_idx;
DROP INDEX usage_events_org_id_workload_ts_idx;
DROP INDEX usage_events_org_id_model_id_ts_idx;

CREATE TABLE usage_events (
  org_id uuid NOT NULL,
  ts timestamptz(3) NOT NULL,
  received_at timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  input_tokens bigint NOT NULL,
  output_tokens bigint NOT NULL,
  cached_input_tokens bigint NOT NULL,
  cache_write_tokens bigint NOT NULL,
  reasoning_tokens bigint NOT NULL,
  -- Subsets of the counts above, NULL = 0 (a NULL takes no space but its bit).
  cache_write_1h_tokens bigint,
  audio_input_tokens bigint,
  image_input_tokens bigint,
  video_input_tokens bigint,
  cached_audio_input_tokens bigint,
  audio_output_tokens bigint,
  requests integer NOT NULL,
  latency_ms integer,
  unpriced boolean NOT NULL,
  event_id text NOT NULL,
  provider text NOT NULL,
  model text NOT NULL,
  model_id text NOT NULL,
  workload text NOT NULL,
  project text,
  environment text NOT NULL,
  status text NOT NULL,
  service_tier text NOT NULL DEFAULT 'default',
  usage_format text NOT NULL,
  price_version_id text,
  provider_cost_source text,
  client_cost_usd numeric(24,12),
  cost_usd numeric(24,12),
  tags jsonb NOT NULL DEFAULT '{}',
  content_hash bytea NOT NULL
) PARTITION BY HASH (org_id);

DO $$
BEGIN
  FOR i IN 0..15 LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF usage_events FOR VALUES WITH (MODULUS 16, REMAINDER %s)', 'usage_events_p' || lpad(i::text, 2, '0'), i);
  END LOOP;
END $$;

-- Rows in (org, time) order: an org's hour or day is then a few adjacent pages. Indexes are built after the load
-- (sorted builds: packed leaves, faster than maintaining them row by row).
SET LOCAL work_mem = '64MB';
SET LOCAL maintenance_work_mem = '256MB';
INSERT INTO usage_events (org_id, ts, received_at, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,
    cache_write_1h_tokens, audio_input_tokens, image_input_tokens, video_input_tokens, cached_audio_input_tokens, audio_output_tokens,
    requests, latency_ms, unpriced, event_id, provider, model, model_id, workload, project, environment, status, service_tier, usage_format,
    price_version_id, provider_cost_source, client_cost_usd, cost_usd, tags, content_hash)
SELECT org_id, ts, received_at, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,
       cache_write_1h_tokens, audio_input_tokens, image_input_tokens, video_input_tokens, cached_audio_input_tokens, audio_output_tokens,
       requests, latency_ms, unpriced, event_id, provider, model, model_id, workload, project, environment, status, service_tier, usage_format,
       price_version_id, provider_cost_source, client_cost_usd, cost_usd, tags, substring(content_hash FROM 1 FOR 16)
  FROM usage_events_old
 ORDER BY org_id, ts;

ALTER TABLE usage_events ADD CONSTRAINT usage_events_pkey PRIMARY KEY (org_id, event_id);
CREATE INDEX usage_events_org_id_ts_idx ON usage_events (org_id, ts DESC);
CREATE INDEX usage_events_org_id_workload_idx ON usage_events (org_id, workload);
CREATE INDEX usage_events_unpriced_idx ON usage_events (org_id) WHERE unpriced;

-- The new table and each partition get exactly the old table's owner, grants, row-level security (enabled, and
-- forced where the RLS hardening migration could force it) and policies. The partitions need them too: a query
-- naming a partition directly is checked against the partition's own grants and policies, not the parent's.
DO $$
DECLARE
  old_rel oid := 'usage_events_old'::regclass;
  old pg_class%ROWTYPE;
  t regclass;
  g record;
  p record;
BEGIN
  SELECT * INTO old FROM pg_class WHERE oid = old_rel;
  FOR t IN SELECT 'usage_events'::regclass UNION ALL SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'usage_events'::regclass
  LOOP
    IF (SELECT relowner FROM pg_class WHERE oid = t) <> old.relowner THEN
      EXECUTE format('ALTER TABLE %s OWNER TO %I', t, pg_get_userbyid(old.relowner));
    END IF;
    -- What default privileges gave the new relation goes first, then the old grants are copied one by one.
    FOR g IN SELECT DISTINCT a.grantee FROM pg_class c, aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
              WHERE c.oid = t AND a.grantee <> c.relowner
    LOOP
      EXECUTE format('REVOKE ALL ON %s FROM %s', t, CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END);
    END LOOP;
    FOR g IN SELECT a.grantee, a.privilege_type, a.is_grantable FROM aclexplode(coalesce(old.relacl, acldefault('r', old.relowner))) a
              WHERE a.grantee <> old.relowner
    LOOP
      EXECUTE format('GRANT %s ON %s TO %s%s', g.privilege_type, t,
        CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END,
        CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
    END LOOP;
    IF old.relrowsecurity THEN EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t); END IF;
    IF old.relforcerowsecurity THEN EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t); END IF;
    FOR p IN SELECT pol.polname, pol.polpermissive, pol.polcmd, pol.polroles,
                    pg_get_expr(pol.polqual, pol.polrelid) AS qual, pg_get_expr(pol.polwithcheck, pol.polrelid) AS with_check
               FROM pg_policy pol WHERE pol.polrelid = old_rel
    LOOP
      EXECUTE format('CREATE POLICY %I ON %s AS %s FOR %s TO %s%s%s', p.polname, t,
        CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
        CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
        CASE WHEN p.polroles = '{0}' THEN 'PUBLIC'
             ELSE (SELECT string_agg(quote_ident(pg_get_userbyid(r)), ', ') FROM unnest(p.polroles) r) END,
        CASE WHEN p.qual IS NULL THEN '' ELSE format(' USING (%s)', p.qual) END,
        CASE WHEN p.with_check IS NULL THEN '' ELSE format(' WITH CHECK (%s)', p.with_check) END);
    END LOOP;
  END LOOP;
END $$;

DROP TABLE usage_events_old;

-- Plans right from the first query: the parent's statistics cover all partitions.
ANALYZE usage_events;
