// The "?" dialog: every keyboard shortcut of the inbox (from the SHORTCUTS table). Modal: focus
// moves to Close on open and back to where it was on close; Escape or the backdrop closes it.
import { useId, useRef } from 'react';
import { createPortal } from 'react-dom';
import { CloseIcon } from '../../ui/icons';
import { useModalFocus } from '../../ui/use-modal-focus';
import { SHORTCUTS } from './shortcuts';

export function ShortcutsHelpDialog({ onClose }: { onClose: () => void }) {
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const onKeyDown = useModalFocus(panel, onClose);

  return createPortal(
    <div className="fixed inset-0 z-50 flex items-center justify-center p-4">
      <button
        type="button"
        aria-label="Close keyboard shortcuts"
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
        className="relative max-h-full w-full max-w-md overflow-y-auto rounded-xl bg-white shadow-xl"
      >
        <div className="flex items-center justify-between border-b border-gray-200 px-4 py-2">
          <h2 id={titleId} className="text-base font-semibold text-gray-900">
            Keyboard shortcuts
          </h2>
          <button
            data-autofocus
            type="button"
            onClick={onClose}
            aria-label="Close keyboard shortcuts"
            className="inline-flex h-11 w-11 items-center justify-center rounded-lg text-gray-600 hover:bg-gray-100"
          >
            <CloseIcon className="h-5 w-5" />
          </button>
        </div>
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Keys and what they do</caption>
          <thead className="sr-only">
            <tr>
              <th scope="col">Keys</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.command}>
                <td className="py-2.5 pr-3 pl-4 align-top whitespace-nowrap">
                  {shortcut.keys.map((key, index) => (
                    <span key={key}>
                      {index > 0 && <span className="px-1 text-gray-500">or</span>}
                      <kbd className="rounded border border-gray-300 bg-gray-50 px-1.5 py-0.5 font-mono text-xs text-gray-800">
                        {key}
                      </kbd>
                    </span>
                  ))}
                </td>
                <td className="py-2.5 pr-4 text-gray-700">{shortcut.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="border-t border-gray-200 px-4 py-3 text-xs text-gray-600">
          Shortcuts do nothing while you type in a field; press Esc to leave it.
        </p>
      </div>
    </div>,
    document.body,
  );
}
