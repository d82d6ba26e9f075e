// The SQL of the inbox search (conversation-queries.ts composes it into pages): the name, e-mail
// and phone match, the full-text query over message and note bodies, the candidate conversations
// with their sort keys, and the best-matching message or note with its marked headline.
import type { SenderType } from '../../common/support.js';
import { Prisma } from '../db/client.js';

/** The best-matching message or note of a search result (selectViews with a text query). */
export type MatchColumns = {
  matchKind: 'message' | 'note' | null;
  matchId: string | null;
  matchSender: SenderType | null;
  matchCreatedAt: Date | null;
  matchHeadline: string | null;
};

/**
 * ts_headline marks the matched words with these two control characters. Sanitising removes
 * control characters from every message and note body, and the query strips these two again, so
 * the only ones in a headline are ts_headline's; the server turns them into offsets.
 */
const MARK_START = '\u0001';
const MARK_STOP = '\u0002';
const HEADLINE_OPTIONS = `StartSel="${MARK_START}", StopSel="${MARK_STOP}", MaxWords=18, MinWords=6, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

/** The headline of the best match (ts_headline is costly: it runs for the page's rows only). */
export function bestMatchColumns(term: string): Prisma.Sql {
  return Prisma.sql`,
    bm.kind AS "matchKind", bm.id AS "matchId", bm.sender AS "matchSender", bm."createdAt" AS "matchCreatedAt",
    ts_headline('simple', translate(bm.body, ${`${MARK_START}${MARK_STOP}`}, ''), ${textQuery(term)},
                ${HEADLINE_OPTIONS}) AS "matchHeadline"`;
}

/**
 * A result's best-matching message or note: highest ts_rank, then newest. coalesce() keeps the
 * GIN index out of this lookup on purpose: the conversation's own rows (about twenty) come from
 * the (conversationId, ...) indexes, where the GIN index would return every match in the table.
 */
export function bestMatchJoin(term: string): Prisma.Sql {
  return Prisma.sql`
  LEFT JOIN LATERAL (
    SELECT x.* FROM (
      SELECT 'message' AS kind, m.id, m."senderType"::text AS sender, m."createdAt", m.body,
             ts_rank(m."searchVector", ${textQuery(term)}, 1) AS rank
      FROM "SupportMessage" m
      WHERE c."textMatch" AND m."conversationId" = c.id AND coalesce(m."searchVector", '') @@ ${textQuery(term)}
      UNION ALL
      SELECT 'note', n.id, NULL, n."createdAt", n.body, ts_rank(n."searchVector", ${textQuery(term)}, 1)
      FROM "SupportNote" n
      WHERE c."textMatch" AND n."conversationId" = c.id AND coalesce(n."searchVector", '') @@ ${textQuery(term)}
    ) x
    ORDER BY x.rank DESC, x."createdAt" DESC
    LIMIT 1
  ) bm ON true`;
}

/** A headline with ts_headline's markers -> one line of plain text and the marked ranges in it. */
export function snippetOf(headline: string): { snippet: string; highlights: [number, number][] } {
  const line = headline.replace(/\s+/g, ' ').trim();
  let snippet = '';
  let start = -1;
  const highlights: [number, number][] = [];
  for (const char of line) {
    if (char === MARK_START) start = snippet.length;
    else if (char === MARK_STOP) {
      if (start >= 0 && snippet.length > start) highlights.push([start, snippet.length]);
      start = -1;
    } else snippet += char;
  }
  return { snippet, highlights };
}

/**
 * Conversations whose user's name, e-mail or phone contains the term (SupportUserSearch, one row
 * per user kept by database triggers, trigram-indexed). A term that looks like a phone number is
 * matched on digits only, so "7700 900101" finds "+44 7700 900101".
 */
export function searchCondition(term: string): Prisma.Sql {
  const looksLikePhone = /^[\d\s()+.-]+$/.test(term) && /\d{3}/.test(term.replace(/\D/g, ''));
  const needle = (looksLikePhone ? term.replace(/\D/g, '') : term).toLowerCase();
  const pattern = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return Prisma.sql`EXISTS (SELECT 1 FROM "SupportUserSearch" s WHERE s."userId" = c."userId" AND s."searchText" ILIKE ${pattern})`;
}

/**
 * The term as a text query: web search syntax ("a phrase", -word, or), the 'simple' configuration
 * of the searchVector columns. Immutable, so the planner folds it into a constant (and estimates
 * the GIN lookups with the real words).
 */
export const textQuery = (term: string) => Prisma.sql`websearch_to_tsquery('simple', ${term})`;

/**
 * Whether the text query has a word the GIN index can look up: not for punctuation alone
 * ("'&|!:*") or negations alone ("-refund" would match nearly every message and read them all).
 * Folded into a constant too: false drops the text search from the plan.
 */
export const indexable = (term: string) =>
  Prisma.sql`(numnode(${textQuery(term)}) > 0 AND querytree(${textQuery(term)}) <> 'T')`;

/**
 * The conversations a search finds, with their sort keys: the name/e-mail/phone matches (trigram
 * index on SupportUserSearch) and the conversations with a matching message or note (GIN indexes on
 * searchVector), each conversation once with its best ts_rank. The search sorted by priority
 * reads them all; its cost grows with the number of matching messages (each one is ranked).
 */
export function searchCandidates(term: string): Prisma.Sql {
  return Prisma.sql`(
    WITH found AS (
      SELECT k.id, bool_or(k.name) AS name, max(k.rank)::float8 AS rank FROM (
        SELECT h."conversationId" AS id, false AS name, max(h.rank) AS rank FROM (
          SELECT m."conversationId", ts_rank(m."searchVector", ${textQuery(term)}, 1) AS rank
          FROM "SupportMessage" m WHERE ${indexable(term)} AND m."searchVector" @@ ${textQuery(term)}
          UNION ALL
          SELECT n."conversationId", ts_rank(n."searchVector", ${textQuery(term)}, 1)
          FROM "SupportNote" n WHERE ${indexable(term)} AND n."searchVector" @@ ${textQuery(term)}
        ) h GROUP BY h."conversationId"
        UNION ALL
        SELECT c.id, true, NULL FROM "SupportConversation" c WHERE ${searchCondition(term)}
      ) k GROUP BY k.id
    )
    SELECT c.*, f.name AS "searchName", CASE WHEN f.name THEN 0 ELSE f.rank END AS "searchRank",
           f.rank IS NOT NULL AS "textMatch"
    FROM found f JOIN "SupportConversation" c ON c.id = f.id
  )`;
}

/**
 * Above this many matching messages, ranking would read (and rank) every one of them: a word in
 * 2.5% of 2,000,000 messages took 0.8 s (p50, on a busy 2-core VM). Such searches list their conversations by
 * newest activity instead, walking the inbox index and stopping after a page (see replit.md,
 * "Performance"); each still shows its best-matching message.
 */
export const RANKED_MATCHES_LIMIT = 2000;
