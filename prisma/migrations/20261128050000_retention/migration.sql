-- AlterTable
ALTER TABLE "org_settings" ADD COLUMN     "retained_from" TIMESTAMPTZ(3);


-- Retention runs for every org that set it: org ids and settings only.
CREATE FUNCTION crossover_retention_settings()
  RETURNS TABLE (org_id uuid, retention_days int, retained_from timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT s.org_id, s.retention_days, s.retained_from FROM org_settings s WHERE s.retention_days IS NOT NULL
  $$;
REVOKE ALL ON FUNCTION crossover_retention_settings() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crossover_retention_settings() TO crossover_app;
