-- CreateTable
CREATE TABLE "digests" (
    "org_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "period" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "markdown" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "digests_pkey" PRIMARY KEY ("org_id","id")
);

-- CreateIndex
CREATE INDEX "digests_org_id_created_at_idx" ON "digests"("org_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "digests_org_id_period_key" ON "digests"("org_id", "period");


ALTER TABLE digests ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON digests USING (org_id = crossover_current_org()) WITH CHECK (org_id = crossover_current_org());

-- The worker registers every org's digest schedule at boot: org ids and
-- their digest settings only, through this function.
CREATE FUNCTION crossover_digest_schedules()
  RETURNS TABLE (org_id uuid, timezone text, digest jsonb)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT o.id, o.timezone, coalesce(s.digest, '{}'::jsonb) FROM organizations o LEFT JOIN org_settings s ON s.org_id = o.id
  $$;
REVOKE ALL ON FUNCTION crossover_digest_schedules() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crossover_digest_schedules() TO crossover_app;
