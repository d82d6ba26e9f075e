import { useCallback, useEffect, useRef, useState } from 'react';
import type { AttachmentDto, AttachmentUrls } from '../../../common/support';

/** Gets fresh signed URLs for an attachment (GET /api/support/attachments/:id/urls). */
export type RefreshUrls = (attachmentId: string) => Promise<AttachmentUrls>;

/** URLs this close to expiry are refreshed before use: a download may take a moment to start. */
const EXPIRY_MARGIN_MS = 15_000;

export function urlsExpired(urls: Pick<AttachmentUrls, 'urlsExpireAt'>, now = Date.now()): boolean {
  return Date.parse(urls.urlsExpireAt) - now < EXPIRY_MARGIN_MS;
}

/**
 * The attachment's signed URLs, refreshed on demand: `ensureFresh()` before opening or
 * downloading, `refresh()` when an image failed to load (its URL ran out while on screen).
 */
export function useAttachmentUrls(attachment: AttachmentDto, onRefreshUrls?: RefreshUrls) {
  const [urls, setUrls] = useState<AttachmentUrls>(attachment);
  const pending = useRef<Promise<AttachmentUrls> | null>(null);

  // A newer copy of the message (e.g. from the server) brings newer URLs.
  useEffect(() => {
    setUrls((current) =>
      Date.parse(attachment.urlsExpireAt) > Date.parse(current.urlsExpireAt) ? attachment : current,
    );
  }, [attachment]);

  const refresh = useCallback(async (): Promise<AttachmentUrls> => {
    if (!onRefreshUrls) return urls;
    pending.current ??= onRefreshUrls(attachment.id).finally(() => {
      pending.current = null;
    });
    const fresh = await pending.current;
    setUrls(fresh);
    return fresh;
  }, [attachment.id, onRefreshUrls, urls]);

  const ensureFresh = useCallback(async () => (urlsExpired(urls) ? refresh() : urls), [urls, refresh]);

  return { urls, refresh, ensureFresh };
}
