-- The admin search's text (a user's names, e-mail and phone) moves from each conversation row to
-- one row per user, and the GIN indexes that every message writes keep their pending lists small.
--
-- Why: every message moves its conversation's lastMessageAt, an indexed column, so the row update
-- is never HOT and adds an entry to every index of SupportConversation, the trigram GIN on
-- searchText included: about 60 trigrams per message for text that never changed. A GIN index
-- gathers new entries in a pending list (fastupdate) and the write that finds the list over
-- gin_pending_list_limit (4 MB by default) merges it into the index, alone: measured on the
-- 2-core VM, one conversation update in 2,000 took 23–45 ms instead of 0.1 ms, and one message
-- insert in 4,000 up to 130 ms (the searchVector index). A message waiting behind such a write is
-- the send-to-delivery p99.
CREATE TABLE "SupportUserSearch" (
    "userId" UUID NOT NULL,
    "searchText" TEXT NOT NULL,

    CONSTRAINT "SupportUserSearch_pkey" PRIMARY KEY ("userId")
);

ALTER TABLE "SupportUserSearch" ADD CONSTRAINT "SupportUserSearch_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The users who have a conversation (the only ones the search can find).
INSERT INTO "SupportUserSearch" ("userId", "searchText")
SELECT u."userId", coalesce(support_user_search_text(u."userId"), '')
FROM (SELECT DISTINCT "userId" FROM "SupportConversation") u;

CREATE INDEX "SupportUserSearch_searchText_trgm_idx" ON "SupportUserSearch" USING GIN ("searchText" gin_trgm_ops);

DROP TRIGGER support_conversation_search_text ON "SupportConversation";
DROP FUNCTION support_conversation_set_search_text();
DROP INDEX "SupportConversation_searchText_trgm_idx";
ALTER TABLE "SupportConversation" DROP COLUMN "searchText";

-- A user's first conversation gives them a search row.
CREATE FUNCTION support_user_search_on_conversation() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "SupportUserSearch" ("userId", "searchText")
  VALUES (NEW."userId", coalesce(support_user_search_text(NEW."userId"), ''))
  ON CONFLICT ("userId") DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER support_user_search_on_conversation
AFTER INSERT OR UPDATE OF "userId" ON "SupportConversation"
FOR EACH ROW EXECUTE FUNCTION support_user_search_on_conversation();

-- When a user's e-mail or profile changes (here or in the host platform), their search row follows.
-- TG_ARGV[0] names the column that holds the user id in the changed table.
CREATE OR REPLACE FUNCTION support_refresh_search_text() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  changed_user uuid := (to_jsonb(NEW) ->> TG_ARGV[0])::uuid;
BEGIN
  UPDATE "SupportUserSearch"
  SET "searchText" = coalesce(support_user_search_text(changed_user), '')
  WHERE "userId" = changed_user;
  RETURN NULL;
END $$;

-- Small pending lists: a write that merges one costs about a millisecond, not tens of them, and
-- the inserts keep most of fastupdate's saving (the limit is in kB; 64 is the least).
ALTER INDEX "SupportMessage_searchVector_idx" SET (gin_pending_list_limit = 128);
ALTER INDEX "SupportNote_searchVector_idx" SET (gin_pending_list_limit = 128);
ALTER INDEX "SupportUserSearch_searchText_trgm_idx" SET (gin_pending_list_limit = 128);
