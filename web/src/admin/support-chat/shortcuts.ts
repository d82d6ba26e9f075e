// Keyboard shortcuts of the support inbox. One table (SHORTCUTS: the help dialog and replit.md list
// it), one matcher (commandFor) and two hooks: useInboxShortcuts listens on the document in the
// support chat page; components deeper down (the composer modes, the header's Resolve, the status
// menu) act on a command with useShortcutCommand, so the page needs no handle on their state.
// Shortcuts never fire while the agent types in a field (only Escape, which leaves the field), nor
// with Ctrl or Cmd (the browser's own), nor inside a modal dialog (it has its own keys).
import { useEffect, useRef } from 'react';

export type ShortcutCommand =
  | 'next'
  | 'previous'
  | 'focusComposer'
  | 'toggleNote'
  | 'resolve'
  | 'snooze'
  | 'help'
  | 'leaveField';

export const SHORTCUTS: readonly { command: ShortcutCommand; keys: readonly string[]; description: string }[] = [
  { command: 'next', keys: ['j', 'Alt+↓'], description: 'Next conversation in the list' },
  { command: 'previous', keys: ['k', 'Alt+↑'], description: 'Previous conversation in the list' },
  { command: 'focusComposer', keys: ['r'], description: 'Write in the composer (reply or note)' },
  { command: 'toggleNote', keys: ['n'], description: 'Switch between reply and internal note' },
  { command: 'resolve', keys: ['Shift+R'], description: 'Resolve the conversation' },
  { command: 'snooze', keys: ['s'], description: 'Snooze: open the snooze menu' },
  { command: 'help', keys: ['?'], description: 'Show these shortcuts' },
  { command: 'leaveField', keys: ['Esc'], description: 'Leave a text field, so that shortcuts work again' },
];

const TEXT_INPUT_TYPES = new Set([
  'text',
  'search',
  'email',
  'tel',
  'url',
  'password',
  'number',
  'date',
  'datetime-local',
  'time',
  'month',
  'week',
]);

/** Is the agent typing here? (A key there is text, not a shortcut.) */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.closest('[contenteditable=""], [contenteditable="true"]')) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && TEXT_INPUT_TYPES.has(target.type);
}

type KeyEventLike = Pick<
  KeyboardEvent,
  'key' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'defaultPrevented' | 'isComposing' | 'target'
>;

/** The command a key press means here, or null (not a shortcut, or the agent is typing). */
export function commandFor(event: KeyEventLike): ShortcutCommand | null {
  if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey) return null;
  const typing = isTypingTarget(event.target);
  if (event.key === 'Escape') return typing ? 'leaveField' : null;
  if (typing) return null;
  if (event.target instanceof Element && event.target.closest('[aria-modal="true"]')) return null;
  if (event.altKey) {
    if (event.key === 'ArrowDown') return 'next';
    if (event.key === 'ArrowUp') return 'previous';
    return null;
  }
  switch (event.key) {
    case 'j':
      return 'next';
    case 'k':
      return 'previous';
    case 'r':
      return 'focusComposer';
    case 'R':
      return event.shiftKey ? 'resolve' : null;
    case 'n':
      return 'toggleNote';
    case 's':
      return 'snooze';
    case '?':
      return 'help';
    default:
      return null;
  }
}

const EVENT_NAME = 'support-shortcut';

/** Hands a command to the component that acts on it (useShortcutCommand). */
export function dispatchShortcut(command: ShortcutCommand) {
  window.dispatchEvent(new CustomEvent<ShortcutCommand>(EVENT_NAME, { detail: command }));
}

/** Runs `action` when the command is dispatched (while this component is mounted). */
export function useShortcutCommand(command: ShortcutCommand, action: () => void) {
  const latest = useRef(action);
  latest.current = action;
  useEffect(() => {
    const listener = (event: Event) => {
      if ((event as CustomEvent<ShortcutCommand>).detail === command) latest.current();
    };
    window.addEventListener(EVENT_NAME, listener);
    return () => window.removeEventListener(EVENT_NAME, listener);
  }, [command]);
}

/**
 * Listens for the shortcuts on the document. A command with a handler here runs it; any other
 * command is dispatched to the components (useShortcutCommand).
 */
export function useInboxShortcuts(handlers: Partial<Record<ShortcutCommand, () => void>>, enabled = true) {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      const command = commandFor(event);
      if (!command) return;
      event.preventDefault();
      const handler = latest.current[command];
      if (handler) handler();
      else dispatchShortcut(command);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}
