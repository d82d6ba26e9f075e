// A modal with the full-size image and a download link. Escape, the close button or a click
// outside closes it; focus stays inside while open and returns to the thumbnail afterwards.
import { type MouseEvent, useId, useRef } from 'react';
import { createPortal } from 'react-dom';
import { CloseIcon, DownloadIcon } from '../ui/icons';
import { useModalFocus } from '../ui/use-modal-focus';

export type ImagePreviewDialogProps = {
  fileName: string;
  src: string;
  downloadUrl: string;
  onClose: () => void;
  /** Called when the download link is used with URLs that may have run out. */
  onDownload?: (event: MouseEvent<HTMLAnchorElement>) => void;
};

export function ImagePreviewDialog({ fileName, src, downloadUrl, onClose, onDownload }: ImagePreviewDialogProps) {
  const titleId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const onKeyDown = useModalFocus(dialog, onClose);

  return createPortal(
    // biome-ignore lint/a11y/noStaticElementInteractions: the backdrop closes on click; Escape does the same by keyboard
    // biome-ignore lint/a11y/useKeyWithClickEvents: Escape is handled on the dialog itself
    <div
      className="fixed inset-0 z-50 flex items-center justify-center bg-gray-950/80 p-3 sm:p-8"
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div
        ref={dialog}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={onKeyDown}
        className="flex max-h-full w-full max-w-4xl flex-col overflow-hidden rounded-xl bg-white shadow-2xl"
      >
        <div className="flex items-center gap-2 border-b border-gray-200 px-3 py-2">
          <h2 id={titleId} className="min-w-0 flex-1 truncate text-sm font-medium text-gray-900">
            {fileName}
          </h2>
          <a
            href={downloadUrl}
            download={fileName}
            onClick={onDownload}
            className="inline-flex min-h-11 items-center gap-2 rounded-lg px-3 text-sm font-medium text-brand-700 hover:bg-brand-50"
          >
            <DownloadIcon className="h-5 w-5" />
            Download
          </a>
          <button
            data-autofocus
            type="button"
            onClick={onClose}
            aria-label="Close preview"
            className="inline-flex h-11 w-11 items-center justify-center rounded-lg text-gray-600 hover:bg-gray-100"
          >
            <CloseIcon className="h-5 w-5" />
          </button>
        </div>
        <div className="flex min-h-0 flex-1 items-center justify-center bg-gray-100">
          <img src={src} alt={fileName} className="max-h-[80vh] max-w-full object-contain" />
        </div>
      </div>
    </div>,
    document.body,
  );
}
