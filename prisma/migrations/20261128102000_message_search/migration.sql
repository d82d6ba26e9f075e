-- Full-text search over message and note bodies (the inbox search box).
--
-- A stored generated column holds each body's tsvector, with a GIN index. The text search
-- configuration is 'simple': lower-cased words, no stemming and no stop words. Users write in many
-- languages, often several in one conversation, and a language's stemmer applied to another
-- language's words gives surprises ('english' turns "news" into "new" and drops "the", "will");
-- 'simple' finds what was typed, in any script that has word boundaries. The cost: no stemming, so
-- "refund" does not find "refunded" (websearch syntax has no prefix operator).
--
-- Adding a stored generated column rewrites the table under an ACCESS EXCLUSIVE lock (see
-- replit.md, "Migration steps").
ALTER TABLE "SupportMessage"
  ADD COLUMN "searchVector" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, coalesce(body, ''))) STORED;

CREATE INDEX "SupportMessage_searchVector_idx" ON "SupportMessage" USING GIN ("searchVector");

ALTER TABLE "SupportNote"
  ADD COLUMN "searchVector" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, body)) STORED;

CREATE INDEX "SupportNote_searchVector_idx" ON "SupportNote" USING GIN ("searchVector");
