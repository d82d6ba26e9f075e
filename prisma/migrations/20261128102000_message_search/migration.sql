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

-- Whether a text query matches so many messages that ranking them all would be slow (the inbox
-- search then lists by newest activity instead: server/support/conversation-queries.ts). Words
-- the column's statistics (ANALYZE's most common lexemes) put in more than 1% of the messages
-- are broad without reading anything; otherwise the matches are counted, up to ranked_limit + 1.
-- A rare word is never called broad on the statistics alone: a lexeme they do not list is
-- estimated at no more than 0.5% of the rows.
CREATE FUNCTION support_message_search_is_broad(q tsquery, ranked_limit integer) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  plan json;
  estimate double precision;
  total double precision;
  found integer;
BEGIN
  IF numnode(q) = 0 OR querytree(q) = 'T' THEN
    RETURN false;
  END IF;
  EXECUTE format('EXPLAIN (FORMAT JSON) SELECT 1 FROM "SupportMessage" WHERE "searchVector" @@ %L::tsquery', q::text)
    INTO plan;
  estimate := (plan -> 0 -> 'Plan' ->> 'Plan Rows')::double precision;
  SELECT reltuples INTO total FROM pg_class WHERE oid = '"SupportMessage"'::regclass;
  IF estimate > greatest(10 * ranked_limit, 0.01 * total) THEN
    RETURN true;
  END IF;
  -- The query as a literal (not a parameter), so that it is planned for these words.
  EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM "SupportMessage" WHERE "searchVector" @@ %L::tsquery LIMIT %s) x',
                 q::text, ranked_limit + 1)
    INTO found;
  RETURN found > ranked_limit;
END $$;
