// One message: text and/or attachment, sender and time, and (for the viewer's own side) whether
// it was sent, read, or failed. Images show a thumbnail that opens a preview; other files show a
// card with name, size and a Download link. Signed URLs are refreshed before use when they expired.
import { type MouseEvent, useState } from 'react';
import { KNOWN_ATTACHMENT_TYPES } from '../../../common/settings';
import type { AttachmentDto } from '../../../common/support';
import { CheckIcon, DoubleCheckIcon, DownloadIcon, FileIcon } from '../ui/icons';
import { type RefreshUrls, urlsExpired, useAttachmentUrls } from './attachment-urls';
import type { ChatMessage } from './cache';
import { formatDateTime, formatFileSize, formatTime } from './format';
import { ImagePreviewDialog } from './ImagePreviewDialog';

export type MessageBubbleProps = {
  message: ChatMessage;
  /** The viewer's side wrote it: shown on the right, with sent/read ticks. */
  isOwn: boolean;
  senderLabel: string;
  onRefreshUrls?: RefreshUrls;
  /** Offered on an optimistic message that failed to send. */
  onRetry?: (message: ChatMessage) => void;
};

export function MessageBubble({ message, isOwn, senderLabel, onRefreshUrls, onRetry }: MessageBubbleProps) {
  const attachment = message.attachment;
  const hasText = Boolean(message.body?.trim());
  return (
    <div className={`flex w-full ${isOwn ? 'justify-end' : 'justify-start'}`} data-own={isOwn ? 'true' : 'false'}>
      <div className={`flex max-w-[85%] flex-col sm:max-w-[70%] ${isOwn ? 'items-end' : 'items-start'}`}>
        <div
          className={`overflow-hidden rounded-2xl text-sm shadow-sm ${
            isOwn
              ? 'rounded-br-md bg-brand-600 text-white'
              : 'rounded-bl-md border border-gray-200 bg-white text-gray-900'
          } ${message.pending === 'failed' ? 'opacity-70' : ''}`}
        >
          {attachment &&
            (attachment.isImage ? (
              <ImageAttachment attachment={attachment} onRefreshUrls={onRefreshUrls} />
            ) : (
              <FileAttachment attachment={attachment} isOwn={isOwn} onRefreshUrls={onRefreshUrls} />
            ))}
          {hasText && (
            <p className="whitespace-pre-wrap break-words px-3.5 py-2 [overflow-wrap:anywhere]">{message.body}</p>
          )}
        </div>
        <div className="mt-1 flex items-center gap-1.5 px-1 text-xs text-gray-500">
          <span className="font-medium text-gray-600">{senderLabel}</span>
          <span aria-hidden="true">·</span>
          <time dateTime={message.createdAt} title={formatDateTime(message.createdAt)}>
            {formatTime(message.createdAt)}
          </time>
          {isOwn && <DeliveryStatus message={message} onRetry={onRetry} />}
        </div>
      </div>
    </div>
  );
}

function DeliveryStatus({ message, onRetry }: { message: ChatMessage; onRetry?: (message: ChatMessage) => void }) {
  if (message.pending === 'sending') return <span className="italic">Sending…</span>;
  if (message.pending === 'failed') {
    return (
      <span className="flex items-center gap-1 text-red-600">
        Not sent
        {onRetry && (
          <button
            type="button"
            onClick={() => onRetry(message)}
            className="min-h-11 px-1 font-medium underline underline-offset-2"
          >
            Retry
          </button>
        )}
      </span>
    );
  }
  if (message.read) {
    return (
      <span
        className="inline-flex items-center text-brand-600"
        title={message.readAt ? `Read ${formatDateTime(message.readAt)}` : 'Read'}
      >
        <DoubleCheckIcon className="h-4 w-4" />
        <span className="sr-only">Read</span>
      </span>
    );
  }
  return (
    <span className="inline-flex items-center" title="Sent">
      <CheckIcon className="h-4 w-4" />
      <span className="sr-only">Sent</span>
    </span>
  );
}

function ImageAttachment({ attachment, onRefreshUrls }: { attachment: AttachmentDto; onRefreshUrls?: RefreshUrls }) {
  const { urls, refresh, ensureFresh } = useAttachmentUrls(attachment, onRefreshUrls);
  const [open, setOpen] = useState(false);
  const [failed, setFailed] = useState(false);
  const [retried, setRetried] = useState(false);
  const width = attachment.imageWidth ?? 4;
  const height = attachment.imageHeight ?? 3;

  const openPreview = async () => {
    try {
      await ensureFresh();
      setOpen(true);
    } catch {
      setFailed(true);
    }
  };

  // An image URL that ran out while on screen: fetch fresh URLs once, then give up quietly.
  const onError = () => {
    if (retried || !onRefreshUrls) {
      setFailed(true);
      return;
    }
    setRetried(true);
    refresh().catch(() => setFailed(true));
  };

  const onDownload = async (event: MouseEvent<HTMLAnchorElement>) => {
    if (!urlsExpired(urls)) return;
    event.preventDefault();
    const fresh = await ensureFresh();
    window.location.assign(fresh.downloadUrl);
  };

  return (
    <>
      <button
        type="button"
        onClick={openPreview}
        aria-label={`Open image ${attachment.fileName}`}
        className="block w-64 max-w-full bg-gray-100"
        style={{ aspectRatio: `${width} / ${height}`, maxHeight: '20rem' }}
      >
        {failed ? (
          <span className="flex h-full items-center justify-center p-4 text-xs text-gray-500">Image unavailable</span>
        ) : (
          <img
            src={urls.thumbnailUrl ?? urls.viewUrl}
            alt={attachment.fileName}
            loading="lazy"
            onError={onError}
            className="h-full w-full object-cover"
          />
        )}
      </button>
      {open && (
        <ImagePreviewDialog
          fileName={attachment.fileName}
          src={urls.viewUrl}
          downloadUrl={urls.downloadUrl}
          onDownload={onDownload}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}

function typeLabel(fileType: string): string {
  const known = KNOWN_ATTACHMENT_TYPES.find((type) => type.mime === fileType);
  return known ? (known.extensions[0] ?? '').toUpperCase() : 'File';
}

function FileAttachment({
  attachment,
  isOwn,
  onRefreshUrls,
}: {
  attachment: AttachmentDto;
  isOwn: boolean;
  onRefreshUrls?: RefreshUrls;
}) {
  const { urls, ensureFresh } = useAttachmentUrls(attachment, onRefreshUrls);
  const canView = attachment.fileType === 'application/pdf';

  const onDownload = async (event: MouseEvent<HTMLAnchorElement>) => {
    if (!urlsExpired(urls)) return;
    event.preventDefault();
    const fresh = await ensureFresh();
    window.location.assign(fresh.downloadUrl);
  };

  const onView = async (event: MouseEvent<HTMLAnchorElement>) => {
    if (!urlsExpired(urls)) return;
    event.preventDefault();
    // Open the tab now, while the click still allows pop-ups, and point it at the fresh URL.
    const tab = window.open('about:blank', '_blank');
    if (tab) tab.opener = null;
    const fresh = await ensureFresh();
    if (tab) tab.location.href = fresh.viewUrl;
    else window.location.assign(fresh.viewUrl);
  };

  const link = `inline-flex min-h-11 items-center gap-1.5 rounded-lg px-3 text-sm font-medium ${
    isOwn ? 'bg-white/15 text-white hover:bg-white/25' : 'bg-gray-100 text-gray-800 hover:bg-gray-200'
  }`;
  return (
    <div className="flex w-72 max-w-full flex-col gap-2 p-3">
      <div className="flex min-w-0 items-center gap-3">
        <span
          className={`flex h-10 w-10 shrink-0 items-center justify-center rounded-lg ${
            isOwn ? 'bg-white/15' : 'bg-brand-50 text-brand-700'
          }`}
        >
          <FileIcon className="h-5 w-5" />
        </span>
        <span className="min-w-0">
          <span className="block truncate font-medium" title={attachment.fileName}>
            {attachment.fileName}
          </span>
          <span className={`block text-xs ${isOwn ? 'text-white/80' : 'text-gray-500'}`}>
            {typeLabel(attachment.fileType)} · {formatFileSize(attachment.fileSize)}
          </span>
        </span>
      </div>
      <div className="flex gap-2">
        {canView && (
          <a href={urls.viewUrl} target="_blank" rel="noopener noreferrer" onClick={onView} className={link}>
            Open
          </a>
        )}
        <a
          href={urls.downloadUrl}
          download={attachment.fileName}
          onClick={onDownload}
          className={link}
          aria-label={`Download ${attachment.fileName}`}
        >
          <DownloadIcon className="h-4 w-4" />
          Download
        </a>
      </div>
    </div>
  );
}
