// Saved replies: leads (SETTINGS_MANAGE) keep a list of prepared texts; agents (SUPPORT_CHAT) list
// them and insert one from the composer, rendered here for one conversation: the variables are
// filled from that conversation's user and order and from the agent asking.
//
// Shortcuts are stored lower-cased (the input schema lower-cases them), so the plain unique index
// makes "Refund-Late" and "refund-late" the same shortcut. Unknown variables are refused when a
// reply is saved, so rendering never meets one. Changes are audited (ids, shortcut, lengths: never
// the text). No socket event: the composer's picker fetches the list each time it opens.
import { ErrorCode } from '../../../common/errors.js';
import {
  type RenderedSavedReply,
  SAVED_REPLY_VARIABLES,
  type SavedRepliesQuery,
  type SavedReplyDto,
  SavedReplyInput,
  type SavedReplyVariable,
  unknownVariables,
  VARIABLE_PATTERN,
} from '../../../common/saved-replies.js';
import { type Db, Prisma } from '../../db/client.js';
import { AppError, errors } from '../../errors.js';
import { AuditAction, type AuditService } from '../../platform/audit/audit.service.js';
import type { AdminPrincipal, Principal } from '../../platform/auth/principal.js';
import { hasPermission, requirePermission } from '../../platform/rbac/rbac.js';
import { conversationView } from '../conversation-queries.js';
import { assertConversationAccess, requireSupportAdmin } from '../policies.js';

/** More than any team keeps; the list is one page. */
const MAX_LISTED = 500;

const include = { createdBy: { select: { displayName: true } } } as const satisfies Prisma.SupportSavedReplyInclude;
type Row = Prisma.SupportSavedReplyGetPayload<{ include: typeof include }>;

function toDto(row: Row): SavedReplyDto {
  return {
    id: row.id,
    shortcut: row.shortcut,
    title: row.title,
    body: row.body,
    createdByName: row.createdBy?.displayName ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

const shortcutTaken = (shortcut: string) =>
  new AppError(409, ErrorCode.SAVED_REPLY_SHORTCUT_TAKEN, `Another saved reply already uses /${shortcut}.`, {
    fieldErrors: { shortcut: ['Another saved reply already uses this shortcut.'] },
  });

/** The input, validated again (the service may be called without the route) and checked for variables. */
function checkedInput(input: SavedReplyInput) {
  const parsed = SavedReplyInput.parse(input);
  const unknown = unknownVariables(parsed.body);
  if (unknown.length > 0) {
    const list = unknown.map((name) => `{{${name}}}`).join(', ');
    throw new AppError(400, ErrorCode.SAVED_REPLY_UNKNOWN_VARIABLE, `Unknown variable: ${list}.`, {
      variables: unknown,
      fieldErrors: { body: [`Unknown variable: ${list}. Use one of the listed variables.`] },
    });
  }
  return parsed;
}

/** The first word of a person's name; a restaurant's name is not split. */
function firstNameOf(name: string, userType: string): string {
  const trimmed = name.trim();
  if (userType === 'restaurant') return trimmed;
  return trimmed.split(/\s+/)[0] ?? '';
}

/**
 * Fills the variables of `body`. A variable without a value takes its fallback; an empty fallback
 * (order.number without an order) also takes the space before it, so no double space is left.
 */
export function fillVariables(
  body: string,
  values: Partial<Record<SavedReplyVariable, string>>,
): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const text = body.replace(new RegExp(` ?${VARIABLE_PATTERN.source}`, 'g'), (whole, name: string) => {
    const space = whole.startsWith(' ') ? ' ' : '';
    const variable = name as SavedReplyVariable;
    const value = values[variable]?.trim();
    if (value) return space + value;
    missing.add(variable);
    const fallback = SAVED_REPLY_VARIABLES[variable]?.fallback ?? '';
    return fallback ? space + fallback : '';
  });
  return { text, missing: [...missing] };
}

export type SavedRepliesService = ReturnType<typeof createSavedRepliesService>;

export function createSavedRepliesService(deps: { db: Db; audit: AuditService }) {
  const { db, audit } = deps;

  /** Agents pick from the list; leads manage it (a lead without SUPPORT_CHAT still sees it). */
  function requireReader(principal: Principal): AdminPrincipal {
    if (hasPermission(principal, 'SETTINGS_MANAGE')) return principal;
    return requireSupportAdmin(principal);
  }

  const manager = (principal: Principal) => requirePermission(principal, 'SETTINGS_MANAGE');

  return {
    async list(principal: Principal, query: SavedRepliesQuery): Promise<SavedReplyDto[]> {
      requireReader(principal);
      const search = query.search?.trim();
      const rows = await db.supportSavedReply.findMany({
        where: search
          ? {
              OR: [
                { shortcut: { contains: search, mode: 'insensitive' } },
                { title: { contains: search, mode: 'insensitive' } },
              ],
            }
          : {},
        orderBy: { shortcut: 'asc' },
        take: MAX_LISTED,
        include,
      });
      return rows.map(toDto);
    },

    async create(principal: Principal, input: SavedReplyInput): Promise<SavedReplyDto> {
      const lead = manager(principal);
      const data = checkedInput(input);
      try {
        const row = await db.$transaction(async (tx) => {
          const created = await tx.supportSavedReply.create({
            data: { ...data, createdByAdminId: lead.adminId },
            include,
          });
          await audit.log(
            AuditAction.SAVED_REPLY_CREATED,
            principal,
            { type: 'SupportSavedReply', id: created.id },
            { savedReplyId: created.id, shortcut: created.shortcut, bodyLength: created.body.length },
            tx,
          );
          return created;
        });
        return toDto(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw shortcutTaken(data.shortcut);
        throw error;
      }
    },

    async update(principal: Principal, savedReplyId: string, input: SavedReplyInput): Promise<SavedReplyDto> {
      manager(principal);
      const data = checkedInput(input);
      try {
        const row = await db.$transaction(async (tx) => {
          const [current] = await tx.$queryRaw<{ shortcut: string; title: string; body: string }[]>`
            SELECT shortcut, title, body FROM "SupportSavedReply" WHERE id = ${savedReplyId}::uuid FOR UPDATE`;
          if (!current) throw errors.notFound('Saved reply');
          const changedKeys = (['shortcut', 'title', 'body'] as const).filter((key) => current[key] !== data[key]);
          const updated = await tx.supportSavedReply.update({ where: { id: savedReplyId }, data, include });
          if (changedKeys.length > 0) {
            await audit.log(
              AuditAction.SAVED_REPLY_UPDATED,
              principal,
              { type: 'SupportSavedReply', id: savedReplyId },
              { savedReplyId, shortcut: updated.shortcut, bodyLength: updated.body.length, changedKeys },
              tx,
            );
          }
          return updated;
        });
        return toDto(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw shortcutTaken(data.shortcut);
        throw error;
      }
    },

    async remove(principal: Principal, savedReplyId: string): Promise<void> {
      manager(principal);
      await db.$transaction(async (tx) => {
        const [deleted] = await tx.$queryRaw<{ shortcut: string }[]>`
          DELETE FROM "SupportSavedReply" WHERE id = ${savedReplyId}::uuid RETURNING shortcut`;
        if (!deleted) throw errors.notFound('Saved reply');
        await audit.log(
          AuditAction.SAVED_REPLY_DELETED,
          principal,
          { type: 'SupportSavedReply', id: savedReplyId },
          { savedReplyId, shortcut: deleted.shortcut },
          tx,
        );
      });
    },

    /**
     * The reply's text for one conversation (SUPPORT_CHAT): the conversation's user and linked order
     * and the agent asking. 404 for an unknown reply or a conversation the agent may not see.
     */
    async render(principal: Principal, savedReplyId: string, conversationId: string): Promise<RenderedSavedReply> {
      const agent = requireSupportAdmin(principal);
      const [reply, view, profile] = await Promise.all([
        db.supportSavedReply.findUnique({ where: { id: savedReplyId }, select: { body: true } }),
        conversationView(db, conversationId),
        db.adminProfile.findUnique({ where: { id: agent.adminId }, select: { displayName: true } }),
      ]);
      assertConversationAccess(principal, view);
      if (!reply) throw errors.notFound('Saved reply');
      const userName = view.user.displayName;
      const agentName = profile?.displayName ?? '';
      return fillVariables(reply.body, {
        'user.firstName': firstNameOf(userName, view.userType),
        'user.name': userName,
        'agent.firstName': firstNameOf(agentName, 'admin'),
        'agent.name': agentName,
        'order.number': view.order ? `#${view.order.number}` : '',
      });
    },
  };
}
