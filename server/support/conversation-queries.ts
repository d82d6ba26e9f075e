// Conversation lists and single conversations as ConversationViews, in ONE SQL statement per
// page whatever its size: the user's profile (by userType), the assignee's name and the last
// message come from joins, and the keyset cursor follows the (lastMessageAt DESC, id DESC) index
// (or, for the inbox sorted by priority, the priority order).
import {
  type AdminConversationsQuery,
  ConversationPriority,
  type MessageType,
  type SenderType,
} from '../../common/support.js';
import { type Db, Prisma, poolOf } from '../db/client.js';
import { errors } from '../errors.js';
import {
  ORDER_SUMMARY_COLUMNS,
  ORDER_SUMMARY_JOINS,
  type OrderSummaryColumns,
  orderSummaryOf,
} from './order-summary-sql.js';
import type { ConversationColumns, ConversationUserColumns, ConversationView } from './presenters.js';
import {
  bestMatchColumns,
  bestMatchJoin,
  indexable,
  type MatchColumns,
  RANKED_MATCHES_LIMIT,
  searchCandidates,
  searchCondition,
  snippetOf,
  textQuery,
} from './search-sql.js';

type ViewRow = ConversationColumns &
  ConversationUserColumns &
  OrderSummaryColumns & {
    lastId: string | null;
    lastSenderType: SenderType | null;
    lastMessageType: MessageType | null;
    lastBody: string | null;
    lastFileName: string | null;
    lastCreatedAt: Date | null;
  } & Partial<MatchColumns>;

/**
 * The columns of a ConversationView for the conversations chosen by `conversations` (a query
 * returning SupportConversation rows). The choice is materialised first, so that the joins and the
 * last-message lookup run for the rows of one page only, never for every row the filters scan.
 */
function selectViews(
  conversations: Prisma.Sql,
  order: Prisma.Sql = ACTIVITY_ORDER,
  search?: { term: string },
): Prisma.Sql {
  return Prisma.sql`
  WITH chosen AS MATERIALIZED (${conversations})
  SELECT c.id, c."userId", c."userType", c."adminId", a."displayName" AS "assigneeName", c.status, c.subject,
         c."lastMessageAt", c."resolvedAt", c."snoozedUntil", c.priority, c."queuedAt", c."createdAt", c."updatedAt", c."unreadForAdmin", c."unreadForUser",
         u.email,
         COALESCE(dp."fullName", cp."fullName", rp.name) AS "displayName",
         COALESCE(dp.phone, cp.phone, rp.phone) AS phone,
         lm.id AS "lastId", lm."senderType" AS "lastSenderType", lm."messageType" AS "lastMessageType",
         lm.body AS "lastBody", la."fileName" AS "lastFileName", lm."createdAt" AS "lastCreatedAt",
         ${Prisma.raw(ORDER_SUMMARY_COLUMNS)}
         ${search ? Prisma.sql`, c."searchName", c."searchRank"` : Prisma.empty}
         ${search ? bestMatchColumns(search.term) : Prisma.empty}
  FROM chosen c
  JOIN "User" u ON u.id = c."userId"
  LEFT JOIN "DriverProfile" dp ON c."userType" = 'driver' AND dp."userId" = c."userId"
  LEFT JOIN "CustomerProfile" cp ON c."userType" = 'customer' AND cp."userId" = c."userId"
  LEFT JOIN "RestaurantProfile" rp ON c."userType" = 'restaurant' AND rp."userId" = c."userId"
  LEFT JOIN "AdminProfile" a ON a.id = c."adminId"
  LEFT JOIN LATERAL (
    SELECT m.id, m."senderType", m."messageType", m.body, m."attachmentId", m."createdAt"
    FROM "SupportMessage" m
    WHERE m."conversationId" = c.id
    ORDER BY m."createdAt" DESC
    LIMIT 1
  ) lm ON true
  LEFT JOIN "SupportAttachment" la ON la.id = lm."attachmentId"
  ${Prisma.raw(ORDER_SUMMARY_JOINS)}
  ${search ? bestMatchJoin(search.term) : Prisma.empty}
  ORDER BY ${order}`;
}

/** Newest activity first: the (lastMessageAt DESC, id DESC) index serves it. */
const ACTIVITY_ORDER = Prisma.sql`c."lastMessageAt" DESC, c.id DESC`;
/**
 * Highest priority first (the enum's order is the rank), then the longest without activity. No
 * index serves it: an index holding lastMessageAt gets an entry on every message, so this view
 * reads the rows its filters select (e.g. every open conversation) and keeps the top of them
 * (see replit.md, "Performance").
 */
const PRIORITY_ORDER = Prisma.sql`c.priority DESC, c."lastMessageAt" ASC, c.id ASC`;

function toView(row: ViewRow): ConversationView {
  return {
    id: row.id,
    userId: row.userId,
    userType: row.userType,
    adminId: row.adminId,
    assigneeName: row.assigneeName,
    status: row.status,
    subject: row.subject,
    lastMessageAt: row.lastMessageAt,
    resolvedAt: row.resolvedAt,
    snoozedUntil: row.snoozedUntil,
    priority: row.priority,
    queuedAt: row.queuedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    unreadForAdmin: row.unreadForAdmin,
    unreadForUser: row.unreadForUser,
    lastMessage:
      row.lastId && row.lastSenderType && row.lastMessageType && row.lastCreatedAt
        ? {
            id: row.lastId,
            senderType: row.lastSenderType,
            messageType: row.lastMessageType,
            body: row.lastBody,
            fileName: row.lastFileName,
            createdAt: row.lastCreatedAt,
          }
        : null,
    order: orderSummaryOf(row),
    ...(row.matchId && row.matchKind && row.matchCreatedAt
      ? {
          match: {
            kind: row.matchKind,
            id: row.matchId,
            senderType: row.matchKind === 'message' ? (row.matchSender ?? null) : null,
            createdAt: row.matchCreatedAt.toISOString(),
            ...snippetOf(row.matchHeadline ?? ''),
          },
        }
      : {}),
    user: {
      userId: row.userId,
      userType: row.userType,
      displayName: row.displayName ?? '',
      email: row.email,
      phone: row.phone ?? '',
    },
  };
}

/** Opaque keyset cursor: the last row's (lastMessageAt, id). */
export function encodeCursor(view: { lastMessageAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([view.lastMessageAt.toISOString(), view.id])).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const date = new Date(at);
    if (Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error('bad cursor');
    return { at: date, id };
  } catch {
    throw errors.validation('The cursor is not valid.', { fieldErrors: { cursor: ['Not a cursor from this API.'] } });
  }
}

/** Keyset cursor of the priority sort: the last row's (priority, lastMessageAt, id). */
function encodePriorityCursor(view: { priority: string; lastMessageAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify(['p', view.priority, view.lastMessageAt.toISOString(), view.id])).toString(
    'base64url',
  );
}

function decodePriorityCursor(cursor: string): { priority: ConversationPriority; at: Date; id: string } {
  try {
    const [tag, priority, at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as string[];
    const date = new Date(at ?? '');
    const rank = ConversationPriority.safeParse(priority);
    if (tag !== 'p' || !rank.success || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/i.test(id ?? '')) {
      throw new Error('bad cursor');
    }
    return { priority: rank.data, at: date, id: id as string };
  } catch {
    throw errors.validation('The cursor is not valid.', { fieldErrors: { cursor: ['Not a cursor from this API.'] } });
  }
}

export type ConversationPageResult = { views: ConversationView[]; nextCursor: string | null };

/** A sort order and its keyset cursor: the condition "after this cursor" and the cursor of a row. */
type Keyset = {
  order: Prisma.Sql;
  after: (cursor: string) => Prisma.Sql;
  cursorOf: (view: ConversationView) => string;
};

const BY_ACTIVITY: Keyset = {
  order: ACTIVITY_ORDER,
  after: (cursor) => {
    const { at, id } = decodeCursor(cursor);
    return Prisma.sql`(c."lastMessageAt", c.id) < (${at}, ${id}::uuid)`;
  },
  cursorOf: encodeCursor,
};

const BY_PRIORITY: Keyset = {
  order: PRIORITY_ORDER,
  after: (cursor) => {
    const { priority, at, id } = decodePriorityCursor(cursor);
    return Prisma.sql`(c.priority < ${priority}::"SupportConversationPriority" OR
      (c.priority = ${priority}::"SupportConversationPriority" AND (c."lastMessageAt", c.id) > (${at}, ${id}::uuid)))`;
  },
  cursorOf: encodePriorityCursor,
};

/**
 * Search results, best first: conversations whose user's name, e-mail or phone matches (newest
 * activity first, as before full-text search), then those whose messages or notes match, by
 * their best ts_rank, then newest activity. One order, all descending, so one row comparison
 * pages it.
 */
const SEARCH_ORDER = Prisma.sql`c."searchName" DESC, c."searchRank" DESC, c."lastMessageAt" DESC, c.id DESC`;

function encodeSearchCursor(view: ConversationView & { searchName?: boolean; searchRank?: number }): string {
  return Buffer.from(
    JSON.stringify(['s', view.searchName ? 1 : 0, view.searchRank ?? 0, view.lastMessageAt.toISOString(), view.id]),
  ).toString('base64url');
}

function decodeSearchCursor(cursor: string): { name: boolean; rank: number; at: Date; id: string } {
  try {
    const [tag, name, rank, at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    const date = new Date(typeof at === 'string' ? at : '');
    if (
      tag !== 's' ||
      (name !== 0 && name !== 1) ||
      typeof rank !== 'number' ||
      !Number.isFinite(rank) ||
      Number.isNaN(date.getTime()) ||
      typeof id !== 'string' ||
      !/^[0-9a-f-]{36}$/i.test(id)
    ) {
      throw new Error('bad cursor');
    }
    return { name: name === 1, rank, at: date, id };
  } catch {
    throw errors.validation('The cursor is not valid.', { fieldErrors: { cursor: ['Not a cursor from this API.'] } });
  }
}

const BY_RELEVANCE: Keyset = {
  order: SEARCH_ORDER,
  after: (cursor) => {
    const { name, rank, at, id } = decodeSearchCursor(cursor);
    return Prisma.sql`(c."searchName", c."searchRank", c."lastMessageAt", c.id) < (${name}, ${rank}::float8, ${at}, ${id}::uuid)`;
  },
  cursorOf: (view) => encodeSearchCursor(view),
};

async function page(
  db: Db,
  conditions: Prisma.Sql[],
  cursor: string | undefined,
  limit: number,
  keyset: Keyset = BY_ACTIVITY,
  search?: { term: string; select?: Prisma.Sql },
) {
  const where = [...conditions];
  if (cursor) where.push(keyset.after(cursor));
  const rows = await db.$queryRaw<(ViewRow & { searchName?: boolean; searchRank?: number })[]>(
    selectViews(
      search?.select ??
        Prisma.sql`
      SELECT * FROM ${search ? searchCandidates(search.term) : Prisma.sql`"SupportConversation"`} c
      WHERE ${where.length ? Prisma.join(where, ' AND ') : Prisma.sql`true`}
      ORDER BY ${keyset.order}
      LIMIT ${limit + 1}`,
      keyset.order,
      search,
    ),
  );
  const views = rows.slice(0, limit).map(toView);
  const lastRow = rows[limit - 1];
  const last = views.at(-1);
  return {
    views,
    nextCursor:
      rows.length > limit && last
        ? keyset.cursorOf({
            ...last,
            searchName: lastRow?.searchName,
            searchRank: lastRow?.searchRank,
          } as ConversationView)
        : null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A search page in one statement. support_search_hits() (migration 20261128102000_message_search)
 * returns the conversations with a matching message or note and their best rank, or a single row
 * with a null id when the query is broad (the column statistics say the word is common, or more
 * than RANKED_MATCHES_LIMIT messages match). That chooses the branches; the others' One-Time
 * Filter is false, so they never run:
 * - few matches: the name, e-mail or phone matches, newest activity first (the planner picks the
 *   trigram index or the inbox walk by how common the text is, as for the name search before:
 *   forcing the trigram index made a one-letter search read every conversation, 100 ms), then
 *   the other conversations with a matching message or note, by their best ts_rank, then newest
 *   activity;
 * - many matches: the inbox walk (newest activity first) keeping the conversations whose name
 *   matches or that have a matching message or note, to the page's end. Its rows have
 *   searchName false and searchRank 0, so the same order and cursor serve every branch.
 */
function searchSelection(term: string, conditions: Prisma.Sql[], cursor: string | undefined, limit: number) {
  const after = cursor ? decodeSearchCursor(cursor) : null;
  const few = Prisma.sql`NOT (SELECT many FROM match_count)`;
  const names = [...conditions, few, searchCondition(term)];
  const texts = [...conditions, few, Prisma.sql`NOT (${searchCondition(term)})`];
  const walked = [...conditions, Prisma.sql`(SELECT many FROM match_count)`];
  walked.push(Prisma.sql`(${searchCondition(term)} OR mh.hit OR nh.hit)`);
  if (after?.name) names.push(Prisma.sql`(c."lastMessageAt", c.id) < (${after.at}, ${after.id}::uuid)`);
  if (after && !after.name) {
    names.push(Prisma.sql`false`);
    texts.push(
      Prisma.sql`(h.rank::float8, c."lastMessageAt", c.id) < (${after.rank}::float8, ${after.at}, ${after.id}::uuid)`,
    );
    // A cursor from the ranked branch (the count crossed the limit between two pages) starts at the top.
    if (after.rank === 0) walked.push(Prisma.sql`(c."lastMessageAt", c.id) < (${after.at}, ${after.id}::uuid)`);
  }
  const q = textQuery(term);
  // LIMIT 1 keeps these per-conversation lookups per row (through the conversationId indexes,
  // coalesce() keeping the GIN index out): as EXISTS, the planner may hash every match instead.
  const hitIn = (table: string) => Prisma.sql`
    LEFT JOIN LATERAL (
      SELECT true AS hit FROM ${Prisma.raw(`"${table}"`)} x
      WHERE x."conversationId" = c.id AND coalesce(x."searchVector", '') @@ ${q} LIMIT 1
    ) ${Prisma.raw(table === 'SupportMessage' ? 'mh' : 'nh')} ON true`;
  return Prisma.sql`
    WITH hits AS MATERIALIZED (
      SELECT * FROM support_search_hits(${q}, ${RANKED_MATCHES_LIMIT}::int)
    ), match_count AS MATERIALIZED (
      SELECT EXISTS (SELECT 1 FROM hits WHERE id IS NULL) AS many
    )
    SELECT * FROM (
      (SELECT c.*, true AS "searchName", 0::float8 AS "searchRank", ${indexable(term)} AS "textMatch"
       FROM "SupportConversation" c
       WHERE ${Prisma.join(names, ' AND ')}
       ORDER BY ${ACTIVITY_ORDER} LIMIT ${limit + 1})
      UNION ALL
      (SELECT c.*, false, h.rank::float8, true
       FROM hits h
       JOIN "SupportConversation" c ON c.id = h.id
       WHERE ${Prisma.join(texts, ' AND ')}
       ORDER BY h.rank DESC, c."lastMessageAt" DESC, c.id DESC LIMIT ${limit + 1})
      UNION ALL
      (SELECT c.*, false, 0::float8, true
       FROM "SupportConversation" c
       ${hitIn('SupportMessage')}
       ${hitIn('SupportNote')}
       WHERE ${Prisma.join(walked, ' AND ')}
       ORDER BY ${ACTIVITY_ORDER} LIMIT ${limit + 1})
    ) c
    ORDER BY ${SEARCH_ORDER}
    LIMIT ${limit + 1}`;
}

export function adminConversationPage(
  db: Db,
  adminId: string,
  query: AdminConversationsQuery,
): Promise<ConversationPageResult> {
  const conditions: Prisma.Sql[] = [];
  const term = query.search?.trim();
  const textSearch = term && !UUID.test(term) ? term : null;
  if (term && !textSearch) conditions.push(Prisma.sql`(c.id = ${term}::uuid OR c."userId" = ${term}::uuid)`);
  if (query.userType) conditions.push(Prisma.sql`c."userType" = ${query.userType}::"UserType"`);
  if (query.status) conditions.push(Prisma.sql`c.status = ${query.status}::"SupportConversationStatus"`);
  if (query.priority) conditions.push(Prisma.sql`c.priority = ${query.priority}::"SupportConversationPriority"`);
  if (query.assigned === 'me') conditions.push(Prisma.sql`c."adminId" = ${adminId}::uuid`);
  if (query.assigned === 'unassigned') conditions.push(Prisma.sql`c."adminId" IS NULL`);
  if (query.unreadOnly) conditions.push(Prisma.sql`c."unreadForAdmin" > 0`);
  if (query.orderNumber !== undefined) {
    // An order's conversations together: found through the (orderId, lastMessageAt) index.
    conditions.push(Prisma.sql`c."orderId" = (SELECT id FROM "Order" WHERE number = ${query.orderNumber})`);
  }
  if (textSearch) {
    // The name, e-mail and phone match or the messages' and notes' words do; the filters apply
    // to both. With sort=priority the priority order stays, else the best match comes first.
    if (query.sort === 'priority') {
      return page(db, conditions, query.cursor, query.limit, BY_PRIORITY, { term: textSearch });
    }
    const select = searchSelection(textSearch, conditions, query.cursor, query.limit);
    return page(db, conditions, query.cursor, query.limit, BY_RELEVANCE, { term: textSearch, select });
  }
  return page(db, conditions, query.cursor, query.limit, query.sort === 'priority' ? BY_PRIORITY : BY_ACTIVITY);
}

export function userConversationPage(
  db: Db,
  userId: string,
  options: { cursor?: string | undefined; limit: number; excludeId?: string },
): Promise<ConversationPageResult> {
  const conditions = [Prisma.sql`c."userId" = ${userId}::uuid`];
  if (options.excludeId) conditions.push(Prisma.sql`c.id <> ${options.excludeId}::uuid`);
  return page(db, conditions, options.cursor, options.limit);
}

export async function conversationView(db: Db, conversationId: string): Promise<ConversationView | null> {
  const [view] = await conversationViews(db, [conversationId]);
  return view ?? null;
}

/** Every conversation about the order (with any of its parties), newest activity first. */
export function orderConversationPage(db: Db, orderId: string, limit: number): Promise<ConversationPageResult> {
  return page(db, [Prisma.sql`c."orderId" = ${orderId}::uuid`], undefined, limit);
}

/**
 * Conversations' views by id, as named statements on the pool: the events of every creation,
 * assignment and routing decision read them, and planning the ten joins (about 2 ms) cost more
 * than running them. Prepared, a connection plans one once, where PostgreSQL finds the generic
 * plan as cheap as one for the values: for "= $1", not for "= ANY($1)" (see principal.ts).
 */
const viewsWhere = (name: string, condition: Prisma.Sql) => ({
  name,
  text: selectViews(Prisma.sql`SELECT * FROM "SupportConversation" WHERE ${condition}`).text,
});
const ONE_VIEW = viewsWhere('support-conversation-view', Prisma.sql`id = ${''}::uuid`);
const MANY_VIEWS = viewsWhere('support-conversation-views', Prisma.sql`id = ANY(${[]}::uuid[])`);

/** Several conversations' views in one query (routing publishes what one decision changed). */
export async function conversationViews(db: Db, conversationIds: readonly string[]): Promise<ConversationView[]> {
  // An id that is not a uuid names no conversation (and must not fail the others' cast).
  const ids = conversationIds.filter((id) => UUID.test(id));
  if (ids.length === 0) return [];
  const query = ids.length === 1 ? { ...ONE_VIEW, values: ids } : { ...MANY_VIEWS, values: [ids] };
  const { rows } = await poolOf(db).query<ViewRow>(query);
  return rows.map(toView);
}
