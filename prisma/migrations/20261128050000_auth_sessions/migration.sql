-- CreateTable
CREATE TABLE "AuthSession" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "userId" UUID NOT NULL,
    "generation" INTEGER NOT NULL DEFAULT 0,
    "rotatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "revokedReason" TEXT,

    CONSTRAINT "AuthSession_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuthSession_userId_idx" ON "AuthSession"("userId");

-- AddForeignKey
ALTER TABLE "AuthSession" ADD CONSTRAINT "AuthSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every server process LISTENs on "auth_changes" (server/realtime/account-changes.ts) and looks
-- the named sessions or accounts up again at once: open sockets of ended sessions and disabled
-- accounts are closed, admins who lost a permission leave its rooms. Triggers rather than
-- application code, so that changes made directly in the database reach the sockets too.
-- Payloads: {"users": [userId, ...]}, {"sessions": [sessionId, ...]} or {"all": true}.
-- NOTIFY is delivered on commit, and not at all after a rollback.

-- Disabling an account also ends its sessions (enabling it again does not bring them back).
CREATE FUNCTION auth_user_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW."isActive" = false AND OLD."isActive" = true THEN
    UPDATE "AuthSession" SET "revokedAt" = now(), "revokedReason" = 'account_disabled'
     WHERE "userId" = NEW.id AND "revokedAt" IS NULL;
  END IF;
  PERFORM pg_notify('auth_changes', json_build_object('users', json_build_array(OLD.id))::text);
  RETURN NULL;
END $$;

CREATE TRIGGER "User_auth_changed"
  AFTER UPDATE OF "isActive", "role" ON "User"
  FOR EACH ROW WHEN (OLD."isActive" IS DISTINCT FROM NEW."isActive" OR OLD."role" IS DISTINCT FROM NEW."role")
  EXECUTE FUNCTION auth_user_changed();
CREATE TRIGGER "User_auth_deleted" AFTER DELETE ON "User" FOR EACH ROW EXECUTE FUNCTION auth_user_changed();

CREATE FUNCTION auth_admin_profile_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('auth_changes', json_build_object('users', json_build_array(OLD."userId"))::text);
  RETURN NULL;
END $$;

CREATE TRIGGER "AdminProfile_auth_changed"
  AFTER UPDATE OF "roleId" ON "AdminProfile"
  FOR EACH ROW WHEN (OLD."roleId" IS DISTINCT FROM NEW."roleId")
  EXECUTE FUNCTION auth_admin_profile_changed();
CREATE TRIGGER "AdminProfile_auth_deleted" AFTER DELETE ON "AdminProfile" FOR EACH ROW EXECUTE FUNCTION auth_admin_profile_changed();

-- A role's admins by id while they fit in a NOTIFY payload (8000 bytes), else "look at everyone".
CREATE FUNCTION auth_admin_role_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  admins json;
BEGIN
  SELECT coalesce(json_agg("userId"), '[]'::json) INTO admins FROM "AdminProfile" WHERE "roleId" = NEW.id;
  IF json_array_length(admins) > 150 THEN
    PERFORM pg_notify('auth_changes', '{"all":true}');
  ELSE
    PERFORM pg_notify('auth_changes', json_build_object('users', admins)::text);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "AdminRole_auth_changed"
  AFTER UPDATE OF "permissions" ON "AdminRole"
  FOR EACH ROW WHEN (OLD."permissions" IS DISTINCT FROM NEW."permissions")
  EXECUTE FUNCTION auth_admin_role_changed();

CREATE FUNCTION auth_session_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('auth_changes', json_build_object('sessions', json_build_array(OLD.id))::text);
  RETURN NULL;
END $$;

CREATE TRIGGER "AuthSession_revoked"
  AFTER UPDATE OF "revokedAt" ON "AuthSession"
  FOR EACH ROW WHEN (OLD."revokedAt" IS NULL AND NEW."revokedAt" IS NOT NULL)
  EXECUTE FUNCTION auth_session_ended();
CREATE TRIGGER "AuthSession_deleted" AFTER DELETE ON "AuthSession" FOR EACH ROW EXECUTE FUNCTION auth_session_ended();
