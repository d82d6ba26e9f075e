-- DropIndex
DROP INDEX "CustomerProfile_fullName_trgm_idx";

-- DropIndex
DROP INDEX "CustomerProfile_phone_trgm_idx";

-- DropIndex
DROP INDEX "DriverProfile_fullName_trgm_idx";

-- DropIndex
DROP INDEX "DriverProfile_phone_trgm_idx";

-- DropIndex
DROP INDEX "RestaurantProfile_contactName_trgm_idx";

-- DropIndex
DROP INDEX "RestaurantProfile_name_trgm_idx";

-- DropIndex
DROP INDEX "RestaurantProfile_phone_trgm_idx";

-- DropIndex
DROP INDEX "User_email_trgm_idx";

-- AlterTable
ALTER TABLE "SupportConversation" ADD COLUMN     "searchText" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE INDEX "SupportConversation_searchText_trgm_idx" ON "SupportConversation" USING GIN ("searchText" gin_trgm_ops);

-- The search text of a user: name(s), e-mail and phone, the phone also as digits only, lower-cased.
CREATE FUNCTION support_user_search_text(p_user_id uuid) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT lower(concat_ws(' ',
    u.email,
    dp."fullName", dp.phone, regexp_replace(dp.phone, '\D', '', 'g'),
    cp."fullName", cp.phone, regexp_replace(cp.phone, '\D', '', 'g'),
    rp.name, rp."contactName", rp.phone, regexp_replace(rp.phone, '\D', '', 'g')))
  FROM "User" u
  LEFT JOIN "DriverProfile" dp ON dp."userId" = u.id
  LEFT JOIN "CustomerProfile" cp ON cp."userId" = u.id
  LEFT JOIN "RestaurantProfile" rp ON rp."userId" = u.id
  WHERE u.id = p_user_id
$$;

-- A new conversation takes its user's search text.
CREATE FUNCTION support_conversation_set_search_text() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchText" := coalesce(support_user_search_text(NEW."userId"), '');
  RETURN NEW;
END $$;

CREATE TRIGGER support_conversation_search_text
BEFORE INSERT OR UPDATE OF "userId" ON "SupportConversation"
FOR EACH ROW EXECUTE FUNCTION support_conversation_set_search_text();

-- When a user's e-mail or profile changes (here or in the host platform), their conversations follow.
-- TG_ARGV[0] names the column that holds the user id in the changed table.
CREATE FUNCTION support_refresh_search_text() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  changed_user uuid := (to_jsonb(NEW) ->> TG_ARGV[0])::uuid;
BEGIN
  UPDATE "SupportConversation"
  SET "searchText" = coalesce(support_user_search_text(changed_user), '')
  WHERE "userId" = changed_user;
  RETURN NULL;
END $$;

CREATE TRIGGER support_search_text_user AFTER UPDATE OF email ON "User"
FOR EACH ROW EXECUTE FUNCTION support_refresh_search_text('id');
CREATE TRIGGER support_search_text_driver AFTER INSERT OR UPDATE OF "fullName", phone ON "DriverProfile"
FOR EACH ROW EXECUTE FUNCTION support_refresh_search_text('userId');
CREATE TRIGGER support_search_text_customer AFTER INSERT OR UPDATE OF "fullName", phone ON "CustomerProfile"
FOR EACH ROW EXECUTE FUNCTION support_refresh_search_text('userId');
CREATE TRIGGER support_search_text_restaurant AFTER INSERT OR UPDATE OF name, "contactName", phone ON "RestaurantProfile"
FOR EACH ROW EXECUTE FUNCTION support_refresh_search_text('userId');

-- Existing conversations.
UPDATE "SupportConversation" SET "searchText" = coalesce(support_user_search_text("userId"), '');
