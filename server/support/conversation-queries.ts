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
import { type Db, Prisma } from '../db/client.js';
import { errors } from '../errors.js';
import {
  ORDER_SUMMARY_COLUMNS,
  ORDER_SUMMARY_JOINS,
  type OrderSummaryColumns,
  orderSummaryOf,
} from './order-summary-sql.js';
import type { ConversationColumns, ConversationUserColumns, ConversationView } from './presenters.js';

type ViewRow = ConversationColumns &
  ConversationUserColumns &
  OrderSummaryColumns & {
    lastId: string | null;
    lastSenderType: SenderType | null;
    lastMessageType: MessageType | null;
    lastBody: string | null;
    lastFileName: string | null;
    lastCreatedAt: Date | null;
  };

/**
 * The columns of a ConversationView for the conversations chosen by `conversations` (a query
 * returning SupportConversation rows). The choice is materialised first, so that the joins and the
 * last-message lookup run for the rows of one page only, never for every row the filters scan.
 */
function selectViews(conversations: Prisma.Sql, order: Prisma.Sql = ACTIVITY_ORDER): Prisma.Sql {
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

async function page(
  db: Db,
  conditions: Prisma.Sql[],
  cursor: string | undefined,
  limit: number,
  keyset: Keyset = BY_ACTIVITY,
) {
  const where = [...conditions];
  if (cursor) where.push(keyset.after(cursor));
  const rows = await db.$queryRaw<ViewRow[]>(
    selectViews(
      Prisma.sql`
      SELECT * FROM "SupportConversation" c
      WHERE ${where.length ? Prisma.join(where, ' AND ') : Prisma.sql`true`}
      ORDER BY ${keyset.order}
      LIMIT ${limit + 1}`,
      keyset.order,
    ),
  );
  const views = rows.slice(0, limit).map(toView);
  const last = views.at(-1);
  return { views, nextCursor: rows.length > limit && last ? keyset.cursorOf(last) : null };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Conversations whose user's name, e-mail or phone contains the term (searchText, kept by database
 * triggers, trigram-indexed). A term that looks like a phone number is matched on digits only, so
 * "7700 900101" finds "+44 7700 900101".
 */
function searchCondition(term: string): Prisma.Sql {
  const looksLikePhone = /^[\d\s()+.-]+$/.test(term) && /\d{3}/.test(term.replace(/\D/g, ''));
  const needle = (looksLikePhone ? term.replace(/\D/g, '') : term).toLowerCase();
  const pattern = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return Prisma.sql`c."searchText" ILIKE ${pattern}`;
}

export function adminConversationPage(
  db: Db,
  adminId: string,
  query: AdminConversationsQuery,
): Promise<ConversationPageResult> {
  const conditions: Prisma.Sql[] = [];
  const term = query.search?.trim();
  if (term) {
    conditions.push(
      UUID.test(term) ? Prisma.sql`(c.id = ${term}::uuid OR c."userId" = ${term}::uuid)` : searchCondition(term),
    );
  }
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
  const rows = await db.$queryRaw<ViewRow[]>(
    selectViews(Prisma.sql`SELECT * FROM "SupportConversation" WHERE id = ${conversationId}::uuid`),
  );
  return rows[0] ? toView(rows[0]) : null;
}

/** Every conversation about the order (with any of its parties), newest activity first. */
export function orderConversationPage(db: Db, orderId: string, limit: number): Promise<ConversationPageResult> {
  return page(db, [Prisma.sql`c."orderId" = ${orderId}::uuid`], undefined, limit);
}

/** Several conversations' views in one query (routing publishes what one decision changed). */
export async function conversationViews(db: Db, conversationIds: readonly string[]): Promise<ConversationView[]> {
  // An id that is not a uuid names no conversation (and must not fail the others' cast).
  const ids = conversationIds.filter((id) => UUID.test(id));
  if (ids.length === 0) return [];
  const rows = await db.$queryRaw<ViewRow[]>(
    selectViews(Prisma.sql`SELECT * FROM "SupportConversation" WHERE id = ANY(${ids}::uuid[])`),
  );
  return rows.map(toView);
}
