-- Invitations that must be accepted: adding a member no longer attaches whatever
-- account registered that email first (emails are not verified, so that account
-- may belong to anyone). The inviter gets a one-time, expiring token and delivers
-- it; accepting proves the account (its password) or creates it.
CREATE TABLE invitations (
  org_id      uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  email       text NOT NULL,
  role        "Role" NOT NULL,
  token_hash  bytea NOT NULL,
  invited_by  uuid,
  expires_at  timestamptz(3) NOT NULL,
  accepted_at timestamptz(3),
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id)
);
CREATE UNIQUE INDEX invitations_token_hash_key ON invitations (token_hash);
CREATE INDEX invitations_org_id_email_idx ON invitations (org_id, email);

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invitations USING (org_id = crossover_current_org()) WITH CHECK (org_id = crossover_current_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON invitations TO crossover_app;

-- Accepting happens before the org is known: the one cross-tenant read, by token hash only.
CREATE FUNCTION crossover_find_invitation(p_hash bytea)
  RETURNS TABLE (org_id uuid, id uuid, email text, role "Role", expires_at timestamptz, accepted_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT i.org_id, i.id, i.email, i.role, i.expires_at, i.accepted_at FROM invitations i WHERE i.token_hash = p_hash
  $$;
REVOKE ALL ON FUNCTION crossover_find_invitation(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crossover_find_invitation(bytea) TO crossover_app;

-- A password change revokes the access tokens issued before it.
ALTER TABLE users ADD COLUMN password_changed_at timestamptz(3);

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'crossover_definer') AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON invitations TO crossover_definer;
    ALTER FUNCTION crossover_find_invitation(bytea) OWNER TO crossover_definer;
  END IF;
END $$;
