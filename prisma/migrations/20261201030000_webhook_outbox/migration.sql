-- Webhook deliveries become an outbox. The delivery row (status 'pending') is
-- the truth and the BullMQ job only carries the nudge: a crash or a Redis blip
-- between the row's commit and the enqueue no longer loses the alert, because a
-- periodic sweep re-queues pending deliveries that nothing has touched for a
-- grace period. updated_at is that clock: set when the row is recorded, when an
-- attempt starts or ends, and when the sweep claims the row.
ALTER TABLE webhook_deliveries ADD COLUMN updated_at timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
CREATE INDEX webhook_deliveries_status_updated_at_idx ON webhook_deliveries (status, updated_at);

-- The sweep spans orgs: a narrow cross-tenant claim of (org_id, id, attempts)
-- only, through this function. It takes at most p_per_org rows of any one org,
-- in rounds (every org's oldest first), so one org's backlog never starves the
-- others, and at most p_limit in all. Claiming moves updated_at to now(), so a
-- concurrent sweep (another replica) skips the row: its UPDATE waits for the
-- row lock, then re-checks updated_at and finds it fresh. The next pass looks at
-- other rows instead of the same oldest ones whose jobs are merely still queued.
CREATE FUNCTION crossover_claim_stale_webhook_deliveries(p_older_than timestamptz, p_limit int, p_per_org int)
  RETURNS TABLE (org_id uuid, id uuid, attempts int)
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH picked AS (
      SELECT r.org_id, r.id FROM (
        SELECT d.org_id, d.id, d.updated_at, row_number() OVER (PARTITION BY d.org_id ORDER BY d.updated_at, d.id) AS rank
          FROM webhook_deliveries d
         WHERE d.status = 'pending' AND d.updated_at <= p_older_than
      ) r
      WHERE r.rank <= p_per_org
      ORDER BY r.rank, r.updated_at
      LIMIT p_limit
    )
    UPDATE webhook_deliveries w SET updated_at = now()
      FROM picked p
     WHERE w.org_id = p.org_id AND w.id = p.id AND w.status = 'pending' AND w.updated_at <= p_older_than
    RETURNING w.org_id, w.id, w.attempts
  $$;
REVOKE ALL ON FUNCTION crossover_claim_stale_webhook_deliveries(timestamptz, int, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crossover_claim_stale_webhook_deliveries(timestamptz, int, int) TO crossover_app;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'crossover_definer') AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    ALTER FUNCTION crossover_claim_stale_webhook_deliveries(timestamptz, int, int) OWNER TO crossover_definer;
  END IF;
END $$;
