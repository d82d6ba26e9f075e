-- Full-text search over message and note bodies (the inbox search box).
--
-- A stored generated column holds each body's tsvector, with a GIN index. The text search
-- configuration is 'simple': lower-cased words, no stemming and no stop words. Users write in many
-- languages, often several in one conversation, and a language's stemmer applied to another
-- language's words gives surprises ('english' finds "organization" for "organ", makes the
-- Spanish "pedidos" "pedido", and drops "can", "will", "it");
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

-- The conversations whose messages or notes match a text query, each with its best ts_rank, for
-- the inbox search (server/support/conversation-queries.ts). Ranking reads every match, so a
-- query matching more than ranked_limit messages is "broad": the function then returns one row
-- with a null id and the search lists by newest activity instead. Words the column's statistics
-- (ANALYZE's most common lexemes) put in more than 1% of the messages are broad without reading
-- anything; otherwise at most ranked_limit + 1 matching messages are read. A rare word is never
-- called broad on the statistics alone: a lexeme they do not list is estimated at no more than
-- 0.5% of the rows. The queries are planned for their literal words (EXECUTE format), and the
-- caller's planner sees this function's small ROWS estimate, not the cost of ranking a common
-- word in a branch that will not run.
CREATE FUNCTION support_search_hits(q tsquery, ranked_limit integer)
RETURNS TABLE (id uuid, rank real)
LANGUAGE plpgsql VOLATILE ROWS 500 AS $$
DECLARE
  plan json;
  estimate double precision;
  total double precision;
BEGIN
  IF numnode(q) = 0 OR querytree(q) = 'T' THEN
    RETURN;
  END IF;
  EXECUTE format('EXPLAIN (FORMAT JSON) SELECT 1 FROM "SupportMessage" WHERE "searchVector" @@ %L::tsquery', q::text)
    INTO plan;
  estimate := (plan -> 0 -> 'Plan' ->> 'Plan Rows')::double precision;
  SELECT reltuples INTO total FROM pg_class WHERE oid = '"SupportMessage"'::regclass;
  IF estimate > greatest(10 * ranked_limit, 0.01 * total) THEN
    RETURN QUERY SELECT NULL::uuid, NULL::real;
    RETURN;
  END IF;
  RETURN QUERY EXECUTE format($query$
    WITH m AS MATERIALIZED (
      SELECT "conversationId" AS id, ts_rank("searchVector", %1$L::tsquery, 1) AS rank
      FROM "SupportMessage" WHERE "searchVector" @@ %1$L::tsquery
      LIMIT %2$s
    ), broad AS MATERIALIZED (
      SELECT count(*) > %3$s AS yes FROM m
    )
    SELECT NULL::uuid, NULL::real WHERE (SELECT yes FROM broad)
    UNION ALL
    SELECT x.id, max(x.rank) FROM (
      SELECT * FROM m
      UNION ALL
      SELECT "conversationId", ts_rank("searchVector", %1$L::tsquery, 1)
      FROM "SupportNote" WHERE "searchVector" @@ %1$L::tsquery
    ) x
    WHERE NOT (SELECT yes FROM broad)
    GROUP BY x.id
  $query$, q::text, ranked_limit + 1, ranked_limit);
END $$;
