// Files in conversations: uploads and their signed links. The type comes from the content
// (attachment-files.ts), images are re-encoded with a thumbnail, the files go to the documents
// store, and the message is written through the support service's one message path (sendOnce and
// insertMessage: the same rules, idempotency and events as every other message).
import { ErrorCode } from '../../../common/errors.js';
import { AttachmentLimits } from '../../../common/settings.js';
import type { AttachmentUrls, SenderType } from '../../../common/support.js';
import type { Db, Prisma } from '../../db/client.js';
import { AppError } from '../../errors.js';
import type { Principal } from '../../platform/auth/principal.js';
import type { DocumentsService } from '../../platform/documents/documents.service.js';
import type { SettingsService } from '../../platform/settings/settings.service.js';
import { assertConversationAccess, senderTypeOf } from '../policies.js';
import { attachmentUrls, type MessageRow } from '../presenters.js';
import { sanitizeFileName } from '../sanitize.js';
import type { SentMessage } from '../support.service.js';
import { detectAllowedType, prepareFile } from './attachment-files.js';

export type UploadedFile = { data: Buffer; fileName: string; clientMessageId?: string | undefined };

/** The support service's message path, which an attachment's message goes through. */
export type AttachmentMessages = {
  /** The conversation, if the principal may see it (404 / 403 otherwise). */
  accessibleConversation(principal: Principal, conversationId: string): Promise<unknown>;
  findByClientId(conversationId: string, clientMessageId: string, senderType: SenderType): Promise<MessageRow | null>;
  /** Publishes a message a retry found already stored. */
  republish(row: MessageRow): Promise<SentMessage>;
  /** Runs a message-creating transaction once per client message id. */
  sendOnce(
    principal: Principal,
    conversationId: string,
    clientMessageId: string | undefined,
    write: (tx: Prisma.TransactionClient) => Promise<MessageRow>,
  ): Promise<SentMessage>;
  /** Writes one message inside the caller's transaction. */
  insertMessage(
    tx: Prisma.TransactionClient,
    principal: Principal,
    conversationId: string,
    message: {
      messageType: 'image' | 'file';
      body: null;
      attachmentId: string;
      clientMessageId: string | null;
      auditMetadata: Record<string, string | number>;
    },
  ): Promise<MessageRow>;
};

export function createAttachmentsService(deps: {
  db: Db;
  documents: DocumentsService;
  settings: SettingsService;
  messages: AttachmentMessages;
}) {
  const { db, documents, messages } = deps;

  /** Checks access and returns the upload limits, before the upload is read. */
  async function prepareUpload(principal: Principal, conversationId: string) {
    await messages.accessibleConversation(principal, conversationId);
    return deps.settings.getSupport();
  }

  return {
    prepareUpload,

    /**
     * Spec: uploadAttachment(conversationId, file). The type comes from the content; images are
     * re-encoded (no EXIF/GPS) with a thumbnail; files go to the documents store, and the
     * SupportAttachment row and its message are written in one transaction. If that fails, the
     * stored files are removed again.
     */
    async uploadAttachment(principal: Principal, conversationId: string, file: UploadedFile): Promise<SentMessage> {
      const settings = await prepareUpload(principal, conversationId);
      if (file.data.length === 0) throw new AppError(400, ErrorCode.ATTACHMENT_EMPTY, 'The file is empty.');
      if (file.data.length > settings.maxAttachmentSizeMB * 1024 * 1024) {
        throw new AppError(
          413,
          ErrorCode.ATTACHMENT_TOO_LARGE,
          `Files can be at most ${settings.maxAttachmentSizeMB} MB.`,
        );
      }
      if (file.clientMessageId) {
        const existing = await messages.findByClientId(conversationId, file.clientMessageId, senderTypeOf(principal));
        if (existing) return messages.republish(existing);
      }
      const mime = await detectAllowedType(file.data, settings.allowedAttachmentTypes);
      const prepared = await prepareFile(file.data, mime);
      const fileName = sanitizeFileName(file.fileName, mime);
      const original = await documents.store(prepared.data, { contentType: mime, fileName });
      const thumbnail = prepared.thumbnail
        ? await documents.store(prepared.thumbnail, {
            contentType: 'image/webp',
            fileName: `thumbnail-${fileName}.webp`,
          })
        : null;
      try {
        return await messages
          .sendOnce(principal, conversationId, file.clientMessageId, async (tx) => {
            const attachment = await tx.supportAttachment.create({
              data: {
                conversationId,
                fileName,
                fileType: mime,
                fileSize: original.size,
                secureStoragePath: original.key,
                thumbnailStoragePath: thumbnail?.key ?? null,
                imageWidth: prepared.width,
                imageHeight: prepared.height,
              },
            });
            return messages.insertMessage(tx, principal, conversationId, {
              messageType: prepared.thumbnail ? 'image' : 'file',
              body: null,
              attachmentId: attachment.id,
              clientMessageId: file.clientMessageId ?? null,
              auditMetadata: { attachmentId: attachment.id, fileType: mime, fileSize: original.size },
            });
          })
          .then(async (sent) => {
            if (!sent.created) await removeStored();
            return sent;
          });
      } catch (error) {
        await removeStored();
        throw error;
      }

      async function removeStored() {
        await documents.remove(original.key);
        if (thumbnail) await documents.remove(thumbnail.key);
      }
    },

    async attachmentUrls(principal: Principal, attachmentId: string): Promise<AttachmentUrls> {
      const attachment = await db.supportAttachment.findUnique({
        where: { id: attachmentId },
        include: { conversation: { select: { userId: true } } },
      });
      assertConversationAccess(principal, attachment ? attachment.conversation : null);
      return attachmentUrls(attachment as NonNullable<typeof attachment>, documents);
    },

    /** What apps check before uploading; any signed-in principal may read it. */
    async attachmentLimits(): Promise<AttachmentLimits> {
      return AttachmentLimits.parse(await deps.settings.getSupport());
    },
  };
}
