// A side panel over the page (the driver app's menu, the dashboard's user details): Escape or the
// backdrop closes it, focus moves into it on open and back to the opener on close.
import { type ReactNode, useId, useRef } from 'react';
import { createPortal } from 'react-dom';
import { CloseIcon } from './icons';
import { useModalFocus } from './use-modal-focus';

export function Drawer({
  title,
  onClose,
  children,
  side = 'left',
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  side?: 'left' | 'right';
}) {
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);

  const onKeyDown = useModalFocus(panel, onClose);

  return createPortal(
    <div className="fixed inset-0 z-40">
      <button
        type="button"
        aria-label={`Close ${title.toLowerCase()}`}
        tabIndex={-1}
        onClick={onClose}
        className="absolute inset-0 h-full w-full cursor-default bg-gray-900/40"
      />
      <div
        ref={panel}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={onKeyDown}
        className={`absolute inset-y-0 ${side === 'left' ? 'left-0' : 'right-0'} flex w-80 max-w-[85vw] flex-col bg-white shadow-xl`}
      >
        <div className="flex items-center justify-between border-b border-gray-200 px-4 py-2">
          <h2 id={titleId} className="text-base font-semibold text-gray-900">
            {title}
          </h2>
          <button
            type="button"
            onClick={onClose}
            aria-label={`Close ${title.toLowerCase()}`}
            className="inline-flex h-11 w-11 items-center justify-center rounded-lg text-gray-600 hover:bg-gray-100"
          >
            <CloseIcon className="h-5 w-5" />
          </button>
        </div>
        {children}
      </div>
    </div>,
    document.body,
  );
}
