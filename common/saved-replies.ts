// Wire contract of saved replies: texts leads prepare (SETTINGS_MANAGE) and agents insert from the
// composer by typing "/" and the shortcut. Bodies may hold variables, filled in per conversation by
// the server when an agent inserts the reply (POST .../saved-replies/:id/render).
import { z } from 'zod';

const Uuid = z.string().uuid();
const IsoDate = z.string().datetime({ offset: true });

export const SHORTCUT_MAX_LENGTH = 32;
export const TITLE_MAX_LENGTH = 80;
/** Shorter than a message, so that the filled-in text always fits one. */
export const SAVED_REPLY_BODY_MAX_LENGTH = 2000;
/** Lower-case letters, digits and single hyphens between them: "refund-late". */
export const SHORTCUT_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The variables a body may use, and what they become when the conversation has no value for them.
 * `order.number` ("#4821") disappears with the space before it when no order is linked.
 */
export const SAVED_REPLY_VARIABLES = {
  'user.firstName': { description: "The user's first name (a restaurant's name)", fallback: 'there' },
  'user.name': { description: "The user's full name (a restaurant's name)", fallback: 'there' },
  'agent.firstName': { description: 'Your first name', fallback: 'Support' },
  'agent.name': { description: 'Your display name', fallback: 'Support' },
  'order.number': { description: 'The linked order\'s number, e.g. "#4821"', fallback: '' },
} as const;
export type SavedReplyVariable = keyof typeof SAVED_REPLY_VARIABLES;
export const SAVED_REPLY_VARIABLE_NAMES = Object.keys(SAVED_REPLY_VARIABLES) as SavedReplyVariable[];

/** `{{ name }}`: a variable, spaces inside the braces allowed. */
export const VARIABLE_PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The variable names a body uses that are not in SAVED_REPLY_VARIABLES (each once, in order). */
export function unknownVariables(body: string): string[] {
  const unknown = new Set<string>();
  for (const match of body.matchAll(VARIABLE_PATTERN)) {
    const name = match[1] ?? '';
    if (!(name in SAVED_REPLY_VARIABLES)) unknown.add(name);
  }
  return [...unknown];
}

export const SavedReplyInput = z.object({
  shortcut: z
    .string({ error: 'Enter a shortcut.' })
    .trim()
    .toLowerCase()
    .min(2, 'The shortcut needs at least 2 characters.')
    .max(SHORTCUT_MAX_LENGTH, `The shortcut can be at most ${SHORTCUT_MAX_LENGTH} characters.`)
    .regex(SHORTCUT_PATTERN, 'Use letters, digits and hyphens only, e.g. refund-late.'),
  title: z
    .string({ error: 'Enter a title.' })
    .trim()
    .min(1, 'Enter a title.')
    .max(TITLE_MAX_LENGTH, `The title can be at most ${TITLE_MAX_LENGTH} characters.`),
  body: z
    .string({ error: 'Enter the reply.' })
    .trim()
    .min(1, 'Enter the reply.')
    .max(SAVED_REPLY_BODY_MAX_LENGTH, `The reply can be at most ${SAVED_REPLY_BODY_MAX_LENGTH} characters.`),
});
export type SavedReplyInput = z.input<typeof SavedReplyInput>;

export const SavedReplyDto = z.object({
  id: Uuid,
  /** Lower-case; unique. */
  shortcut: z.string(),
  title: z.string(),
  /** Plain text with {{variables}}, as the lead wrote it. */
  body: z.string(),
  createdByName: z.string().nullable(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type SavedReplyDto = z.infer<typeof SavedReplyDto>;

export const SavedRepliesQuery = z.object({
  /** A fragment of the shortcut or the title (case-insensitive); omitted: all. */
  search: z.string().trim().max(80).optional(),
});
export type SavedRepliesQuery = z.infer<typeof SavedRepliesQuery>;

export const SavedReplyList = z.object({ items: z.array(SavedReplyDto) });
export type SavedReplyList = z.infer<typeof SavedReplyList>;

export const SavedReplyIdParams = z.object({ savedReplyId: Uuid });

export const RenderSavedReplyRequest = z.object({ conversationId: Uuid });
export type RenderSavedReplyRequest = z.infer<typeof RenderSavedReplyRequest>;

export const RenderedSavedReply = z.object({
  /** The body with every variable filled in (or its fallback): ready for the composer. */
  text: z.string(),
  /** Variables that had no value in this conversation and took their fallback. */
  missing: z.array(z.string()),
});
export type RenderedSavedReply = z.infer<typeof RenderedSavedReply>;
