-- CreateEnum
CREATE TYPE "Role" AS ENUM ('owner', 'admin', 'finance', 'engineer', 'viewer');

-- CreateTable
CREATE TABLE "organizations" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organizations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memberships" (
    "org_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("org_id","id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "org_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "token_hash" BYTEA NOT NULL,
    "scopes" TEXT[],
    "project_id" UUID,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("org_id","id")
);

-- CreateTable
CREATE TABLE "projects" (
    "org_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "projects_pkey" PRIMARY KEY ("org_id","id")
);

-- CreateTable
CREATE TABLE "workloads" (
    "org_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT,
    "description" TEXT,
    "annotations" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workloads_pkey" PRIMARY KEY ("org_id","id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "memberships_user_id_idx" ON "memberships"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "memberships_org_id_user_id_key" ON "memberships"("org_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_token_hash_key" ON "api_keys"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "projects_org_id_slug_key" ON "projects"("org_id", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "workloads_org_id_slug_key" ON "workloads"("org_id", "slug");

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_org_id_project_id_fkey" FOREIGN KEY ("org_id", "project_id") REFERENCES "projects"("org_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "projects" ADD CONSTRAINT "projects_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workloads" ADD CONSTRAINT "workloads_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security: a second wall behind the org filter of every repository.
-- The app's queries run as crossover_app (the pool does SET ROLE on connect),
-- a role RLS applies to; each tenant transaction sets app.org_id with
-- set_config(..., true). A query without it sees no tenant row at all.
DO $$ BEGIN
  CREATE ROLE crossover_app NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

GRANT USAGE ON SCHEMA public TO crossover_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO crossover_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO crossover_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO crossover_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO crossover_app;

-- NULLIF: an unset or empty app.org_id compares to NULL, so nothing matches.
CREATE FUNCTION crossover_current_org() RETURNS uuid
  LANGUAGE sql STABLE AS $$ SELECT NULLIF(current_setting('app.org_id', true), '')::uuid $$;

ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organizations USING (id = crossover_current_org()) WITH CHECK (id = crossover_current_org());

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memberships USING (org_id = crossover_current_org()) WITH CHECK (org_id = crossover_current_org());
ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys USING (org_id = crossover_current_org()) WITH CHECK (org_id = crossover_current_org());
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON projects USING (org_id = crossover_current_org()) WITH CHECK (org_id = crossover_current_org());
ALTER TABLE workloads ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON workloads USING (org_id = crossover_current_org()) WITH CHECK (org_id = crossover_current_org());

-- Authentication happens before the org is known. These two functions are the
-- only reads that cross tenants, and each returns just what authentication
-- needs. SECURITY DEFINER runs them as the migration owner, past RLS.
CREATE FUNCTION crossover_find_api_key(p_hash bytea)
  RETURNS TABLE (org_id uuid, id uuid, scopes text[], project_id uuid, revoked_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT k.org_id, k.id, k.scopes, k.project_id, k.revoked_at FROM api_keys k WHERE k.token_hash = p_hash
  $$;

CREATE FUNCTION crossover_user_memberships(p_user_id uuid)
  RETURNS TABLE (org_id uuid, id uuid, role "Role", created_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT m.org_id, m.id, m.role, m.created_at FROM memberships m WHERE m.user_id = p_user_id ORDER BY m.created_at
  $$;

REVOKE ALL ON FUNCTION crossover_find_api_key(bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION crossover_user_memberships(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crossover_find_api_key(bytea) TO crossover_app;
GRANT EXECUTE ON FUNCTION crossover_user_memberships(uuid) TO crossover_app;

-- Users are global, but a user is visible only to the orgs it belongs to.
-- Inserting is open (signup and invitations create users before their
-- membership exists; the app inserts without RETURNING for that reason).
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY user_insert ON users FOR INSERT WITH CHECK (true);
CREATE POLICY user_visible_to_org ON users FOR SELECT
  USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.org_id = crossover_current_org()));
CREATE POLICY user_update_in_org ON users FOR UPDATE
  USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.org_id = crossover_current_org()));

CREATE FUNCTION crossover_find_user_by_email(p_email text)
  RETURNS TABLE (id uuid, password_hash text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT u.id, u.password_hash FROM users u WHERE u.email = lower(p_email)
  $$;
REVOKE ALL ON FUNCTION crossover_find_user_by_email(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crossover_find_user_by_email(text) TO crossover_app;
