// Support settings (spec section 6): stored in the settings table, one row per key.
import { z } from 'zod';

/** Attachment types an admin may allow: detectable from their content and safe to serve. */
export const KNOWN_ATTACHMENT_TYPES = [
  { mime: 'image/jpeg', label: 'JPEG image', extensions: ['jpg', 'jpeg'] },
  { mime: 'image/png', label: 'PNG image', extensions: ['png'] },
  { mime: 'image/webp', label: 'WebP image', extensions: ['webp'] },
  { mime: 'image/gif', label: 'GIF image', extensions: ['gif'] },
  { mime: 'application/pdf', label: 'PDF document', extensions: ['pdf'] },
  {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    label: 'Word document (.docx)',
    extensions: ['docx'],
  },
  {
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    label: 'Excel workbook (.xlsx)',
    extensions: ['xlsx'],
  },
] as const;

export type AttachmentMimeType = (typeof KNOWN_ATTACHMENT_TYPES)[number]['mime'];
export const AttachmentMimeType = z.enum(
  KNOWN_ATTACHMENT_TYPES.map((type) => type.mime) as [AttachmentMimeType, ...AttachmentMimeType[]],
  { error: 'Choose from the listed file types.' },
);

export const IMAGE_MIME_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

export const MAX_ATTACHMENT_SIZE_MB_LIMIT = 50;

/** Open conversations one agent may hold, at most (the setting and a lead's override). */
export const MAX_AGENT_CAPACITY = 100;
/** Presence is refreshed every second: a shorter grace period would flap. */
export const MIN_OFFLINE_GRACE_SECONDS = 3;

export const SupportSettings = z.object({
  maxAttachmentSizeMB: z
    .number({ error: 'Enter a number of megabytes.' })
    .int('Use a whole number of megabytes.')
    .min(1, 'The limit must be at least 1 MB.')
    .max(MAX_ATTACHMENT_SIZE_MB_LIMIT, `The limit can be at most ${MAX_ATTACHMENT_SIZE_MB_LIMIT} MB.`),
  allowedAttachmentTypes: z
    .array(AttachmentMimeType, { error: 'Choose from the listed file types.' })
    .min(1, 'Allow at least one file type.')
    .refine((types) => new Set(types).size === types.length, 'Each file type may be listed once.'),
  autoAssignAdmin: z.boolean({ error: 'Choose on or off.' }),
  // Routing (defaults keep older clients that send only the fields above valid).
  maxOpenConversationsPerAgent: z
    .number({ error: 'Enter a number of conversations.' })
    .int('Use a whole number of conversations.')
    .min(1, 'An agent must be able to take at least 1 conversation.')
    .max(MAX_AGENT_CAPACITY, `The limit can be at most ${MAX_AGENT_CAPACITY} conversations.`)
    .default(5),
  agentOfflineGraceSeconds: z
    .number({ error: 'Enter a number of seconds.' })
    .int('Use a whole number of seconds.')
    .min(MIN_OFFLINE_GRACE_SECONDS, `The grace period must be at least ${MIN_OFFLINE_GRACE_SECONDS} seconds.`)
    .max(3600, 'The grace period can be at most 3600 seconds.')
    .default(60),
});
export type SupportSettings = z.infer<typeof SupportSettings>;

export const DEFAULT_SUPPORT_SETTINGS: SupportSettings = {
  maxAttachmentSizeMB: 10,
  allowedAttachmentTypes: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'],
  autoAssignAdmin: false,
  maxOpenConversationsPerAgent: 5,
  agentOfflineGraceSeconds: 60,
};

/** What every signed-in user may read, so that apps can check a file before uploading it. */
export const AttachmentLimits = SupportSettings.pick({ maxAttachmentSizeMB: true, allowedAttachmentTypes: true });
export type AttachmentLimits = z.infer<typeof AttachmentLimits>;
