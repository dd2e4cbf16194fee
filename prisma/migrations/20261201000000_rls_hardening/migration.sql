-- Row-level security hardening.
--
-- 1. Every SECURITY DEFINER function resolves names in public, then pg_temp last:
--    without pg_temp named, PostgreSQL searches the caller's temporary schema
--    first, where a session could plant a table or function of the same name.
DO $$
DECLARE f record;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public' AND p.prosecdef
  LOOP
    EXECUTE format('ALTER FUNCTION %s SET search_path = public, pg_temp', f.sig);
  END LOOP;
END $$;

-- 2. FORCE row-level security, so that even the tables' owner is filtered by the
--    tenant policies (a connection that forgot its role sees nothing, instead of
--    every org). The cross-tenant SECURITY DEFINER functions (authentication, the
--    sweeper, schedules) then run as crossover_definer, a role without login that
--    bypasses RLS by attribute. Creating a BYPASSRLS role needs a superuser: a
--    migration run by another role keeps RLS enabled but not forced, and says so.
DO $$
DECLARE
  t record;
  f record;
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    RAISE NOTICE 'not a superuser: crossover_definer not created, row-level security left enabled but not forced';
    RETURN;
  END IF;
  -- Roles are cluster-wide: another database's migration may create it at the same moment.
  BEGIN
    CREATE ROLE crossover_definer NOLOGIN BYPASSRLS;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  GRANT USAGE ON SCHEMA public TO crossover_definer;
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO crossover_definer;
  GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO crossover_definer;
  ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO crossover_definer;
  ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO crossover_definer;
  FOR f IN
    SELECT p.oid::regprocedure AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public' AND p.prosecdef
  LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO crossover_definer', f.sig);
  END LOOP;
  FOR t IN
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relrowsecurity
  LOOP
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t.relname);
  END LOOP;
END $$;
