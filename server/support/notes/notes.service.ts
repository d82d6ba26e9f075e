// Internal notes and @mentions: support admins write notes in a conversation for each other.
//
// The security property: a note never reaches the conversation's user. Notes live in their own
// table (SupportNote) and are written here only, never through the message write path
// (message-write-sql.ts): no SupportMessage row, no message seq, no unread counter, no
// lastMessageAt, no notification outbox row, no report trigger. Their own per-conversation seq
// (under an advisory lock) keeps the user's message seq gap-free. Every read here requires
// SUPPORT_CHAT, and the realtime layer sends `note:created` to the admins room only and
// `mention:created` to the mentioned agent's own room (admin:<adminId>) only.
//
// A note does not assign the conversation and does not count as a first response.
import {
  type CreateNoteRequest,
  MAX_NOTE_MENTIONS,
  type MentionPage,
  type MentionsRead,
  type NoteDto,
  type NotePage,
  type NotesQuery,
} from '../../../common/notes.js';
import { MAX_MESSAGE_LENGTH } from '../../../common/support.js';
import { type Db, Prisma } from '../../db/client.js';
import { errors } from '../../errors.js';
import { AuditAction, type AuditService } from '../../platform/audit/audit.service.js';
import type { Principal } from '../../platform/auth/principal.js';
import { conversationViews } from '../conversation-queries.js';
import { requireSupportAdmin } from '../policies.js';
import { toConversationDto } from '../presenters.js';
import { sanitizeMessageBody } from '../sanitize.js';
import type { SupportEvents } from '../support-events.js';

/** With the conversation id: serialises note numbering within one conversation. */
const NOTE_SEQ_LOCK = 'support:note-seq';

const noteInclude = {
  author: { select: { displayName: true } },
  mentions: { select: { adminId: true, admin: { select: { displayName: true } } }, orderBy: { createdAt: 'asc' } },
} as const satisfies Prisma.SupportNoteInclude;

type NoteRow = Prisma.SupportNoteGetPayload<{ include: typeof noteInclude }>;

export function toNoteDto(row: NoteRow): NoteDto {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    authorAdminId: row.authorAdminId,
    authorName: row.author?.displayName ?? null,
    body: row.body,
    mentions: row.mentions.map((mention) => ({ adminId: mention.adminId, displayName: mention.admin.displayName })),
    clientNoteId: row.clientNoteId,
    createdAt: row.createdAt.toISOString(),
  };
}

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

export type CreatedNote = { note: NoteDto; created: boolean };
export type NotesService = ReturnType<typeof createNotesService>;

export function createNotesService(deps: { db: Db; audit: AuditService; events: SupportEvents }) {
  const { db, audit, events } = deps;

  /** 404 unless the conversation exists (the caller is a support admin: every conversation is theirs). */
  async function requireConversation(conversationId: string) {
    const conversation = await db.supportConversation.findUnique({
      where: { id: conversationId },
      select: { id: true },
    });
    if (!conversation) throw errors.notFound('Conversation');
  }

  /** A retried note (same clientNoteId) by the same agent; another agent's id is a conflict. */
  async function findRetry(conversationId: string, clientNoteId: string, adminId: string) {
    const existing = await db.supportNote.findUnique({
      where: { conversationId_clientNoteId: { conversationId, clientNoteId } },
      include: noteInclude,
    });
    if (existing && existing.authorAdminId !== adminId) {
      throw errors.conflict('This note id was already used by another agent.');
    }
    return existing;
  }

  /** The mentioned agents, each an active admin holding SUPPORT_CHAT; the writer is left out. */
  async function validMentions(ids: readonly string[], writerAdminId: string): Promise<string[]> {
    const wanted = [...new Set(ids)].filter((id) => id !== writerAdminId).slice(0, MAX_NOTE_MENTIONS);
    if (wanted.length === 0) return [];
    const agents = await db.adminProfile.findMany({
      where: { id: { in: wanted }, role: { permissions: { has: 'SUPPORT_CHAT' } }, user: { isActive: true } },
      select: { id: true },
    });
    if (agents.length !== wanted.length) {
      throw errors.validation('Only support agents can be mentioned.', {
        fieldErrors: { mentionAdminIds: ['Not a support agent.'] },
      });
    }
    return wanted;
  }

  async function userNameOf(conversationId: string): Promise<string> {
    const [view] = await conversationViews(db, [conversationId]);
    return view?.user.displayName ?? 'a user';
  }

  async function publish(note: NoteDto, mentionedAdminIds: string[]) {
    const userName = mentionedAdminIds.length > 0 ? await userNameOf(note.conversationId) : '';
    events.publish('noteCreated', { note, mentionedAdminIds, userName });
  }

  return {
    /** A conversation's notes, oldest first (SUPPORT_CHAT). */
    async listNotes(principal: Principal, conversationId: string, query: NotesQuery): Promise<NotePage> {
      requireSupportAdmin(principal);
      await requireConversation(conversationId);
      const rows = await db.supportNote.findMany({
        where: { conversationId, ...(query.afterSeq !== undefined ? { seq: { gt: query.afterSeq } } : {}) },
        orderBy: { seq: 'asc' },
        take: query.limit + 1,
        include: noteInclude,
      });
      return { items: rows.slice(0, query.limit).map(toNoteDto), hasMore: rows.length > query.limit };
    },

    /**
     * Writes a note (SUPPORT_CHAT) with its mentions and audit record in one transaction; a retry
     * with the same clientNoteId returns the stored note (published again: the writer's process may
     * have died before publishing). Mention alerts go out for new notes only.
     */
    async createNote(principal: Principal, conversationId: string, input: CreateNoteRequest): Promise<CreatedNote> {
      const admin = requireSupportAdmin(principal);
      const body = sanitizeMessageBody(input.body, MAX_MESSAGE_LENGTH);
      await requireConversation(conversationId);
      const clientNoteId = input.clientNoteId ?? null;
      const retried = async () => {
        const existing = clientNoteId ? await findRetry(conversationId, clientNoteId, admin.adminId) : null;
        if (!existing) return null;
        const note = toNoteDto(existing);
        await publish(note, []);
        return { note, created: false };
      };
      const earlier = await retried();
      if (earlier) return earlier;
      const mentioned = await validMentions(input.mentionAdminIds ?? [], admin.adminId);

      let row: NoteRow;
      try {
        row = await db.$transaction(async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${NOTE_SEQ_LOCK}), hashtext(${conversationId}))`;
          const [last] = await tx.$queryRaw<{ seq: number }[]>`
            SELECT COALESCE(max(seq), 0)::int AS seq FROM "SupportNote" WHERE "conversationId" = ${conversationId}::uuid`;
          const created = await tx.supportNote.create({
            data: {
              conversationId,
              authorAdminId: admin.adminId,
              body,
              clientNoteId,
              seq: (last?.seq ?? 0) + 1,
              mentions: { create: mentioned.map((adminId) => ({ adminId })) },
            },
            include: noteInclude,
          });
          await audit.log(
            AuditAction.SUPPORT_NOTE_CREATED,
            principal,
            { type: 'SupportNote', id: created.id },
            { conversationId, noteId: created.id, bodyLength: body.length, mentionedAdminIds: mentioned },
            tx,
          );
          return created;
        });
      } catch (error) {
        // Two copies of one retry at once: the unique index lets one in; the other returns it.
        if (clientNoteId && isUniqueViolation(error)) {
          const again = await retried();
          if (again) return again;
        }
        throw error;
      }
      const note = toNoteDto(row);
      await publish(note, mentioned);
      return { note, created: true };
    },

    /**
     * The "Mentions" view: conversations whose notes mention the caller, unread mentions first,
     * then by the newest mention; with the caller's unread total (the badge).
     */
    async listMentions(principal: Principal, query: { limit: number }): Promise<MentionPage> {
      const admin = requireSupportAdmin(principal);
      type Row = { conversationId: string; unread: number; lastAt: Date; lastNoteId: string; total: number };
      const rows = await db.$queryRaw<Row[]>`
        WITH mine AS (
          SELECT n."conversationId", n.id AS "noteId", m."createdAt", m."readAt"
          FROM "SupportNoteMention" m JOIN "SupportNote" n ON n.id = m."noteId"
          WHERE m."adminId" = ${admin.adminId}::uuid
        ), per AS (
          SELECT "conversationId",
                 count(*) FILTER (WHERE "readAt" IS NULL)::int AS unread,
                 max("createdAt") AS "lastAt",
                 (array_agg("noteId" ORDER BY "createdAt" DESC))[1] AS "lastNoteId"
          FROM mine GROUP BY "conversationId"
        )
        SELECT per.*, (SELECT count(*) FILTER (WHERE "readAt" IS NULL) FROM mine)::int AS total
        FROM per ORDER BY (unread > 0) DESC, "lastAt" DESC, "conversationId"
        LIMIT ${query.limit + 1}`;
      const shown = rows.slice(0, query.limit);
      const [views, notes] = await Promise.all([
        conversationViews(
          db,
          shown.map((row) => row.conversationId),
        ),
        db.supportNote.findMany({ where: { id: { in: shown.map((row) => row.lastNoteId) } }, include: noteInclude }),
      ]);
      const viewById = new Map(views.map((view) => [view.id, view]));
      const noteById = new Map(notes.map((note) => [note.id, note]));
      const items = shown.flatMap((row) => {
        const view = viewById.get(row.conversationId);
        const note = noteById.get(row.lastNoteId);
        if (!view || !note) return [];
        return [
          {
            conversation: toConversationDto(view, 'admin'),
            unreadMentions: row.unread,
            lastMentionAt: row.lastAt.toISOString(),
            lastNote: toNoteDto(note),
          },
        ];
      });
      const unreadMentions = rows[0]?.total ?? 0;
      return { items, hasMore: rows.length > query.limit, unreadMentions };
    },

    /** Opening a conversation reads the caller's mentions in it (SUPPORT_CHAT). */
    async markMentionsRead(principal: Principal, conversationId: string): Promise<MentionsRead> {
      const admin = requireSupportAdmin(principal);
      await requireConversation(conversationId);
      const marked = await db.$executeRaw`
        UPDATE "SupportNoteMention" m SET "readAt" = now()
        FROM "SupportNote" n
        WHERE n.id = m."noteId" AND n."conversationId" = ${conversationId}::uuid
          AND m."adminId" = ${admin.adminId}::uuid AND m."readAt" IS NULL`;
      return { conversationId, marked, unreadMentions: await unreadCount(admin.adminId) };
    },
  };

  async function unreadCount(adminId: string): Promise<number> {
    return db.supportNoteMention.count({ where: { adminId, readAt: null } });
  }
}
