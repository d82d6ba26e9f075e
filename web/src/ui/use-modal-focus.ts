// Keyboard and focus for a modal panel (dialogs, drawers): on open, focus goes to the element marked
// `data-autofocus` (else the first link or button); Tab and Shift+Tab cycle through the panel's
// links and buttons; Escape closes it (and goes no further); on close, focus returns to the opener.
import { type KeyboardEvent, type RefObject, useEffect } from 'react';

const FOCUSABLE = 'a[href], button';

export function useModalFocus(panel: RefObject<HTMLElement | null>, onEscape: () => void) {
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const root = panel.current;
    (root?.querySelector<HTMLElement>('[data-autofocus]') ?? root?.querySelector<HTMLElement>(FOCUSABLE))?.focus();
    return () => opener?.focus?.();
  }, [panel]);

  return (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onEscape();
      return;
    }
    if (event.key !== 'Tab') return;
    const focusable = Array.from(panel.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? []);
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  };
}
