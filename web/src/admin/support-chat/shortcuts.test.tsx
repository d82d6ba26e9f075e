import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ShortcutsHelpDialog } from './ShortcutsHelpDialog';
import { commandFor, SHORTCUTS, type ShortcutCommand, useInboxShortcuts, useShortcutCommand } from './shortcuts';

function Harness({
  handlers,
  onSnooze,
}: {
  handlers: Partial<Record<ShortcutCommand, () => void>>;
  onSnooze: () => void;
}) {
  useInboxShortcuts(handlers);
  return (
    <div>
      <SnoozeListener onSnooze={onSnooze} />
      <input aria-label="Search" type="search" />
      <textarea aria-label="Reply" />
      <div data-testid="editor" contentEditable suppressContentEditableWarning>
        text
      </div>
      <input aria-label="Unread only" type="checkbox" />
      <button type="button">Row</button>
    </div>
  );
}

function SnoozeListener({ onSnooze }: { onSnooze: () => void }) {
  useShortcutCommand('snooze', onSnooze);
  return null;
}

function setup() {
  const handlers = { next: vi.fn(), previous: vi.fn(), help: vi.fn(), leaveField: vi.fn() };
  const onSnooze = vi.fn();
  render(<Harness handlers={handlers} onSnooze={onSnooze} />);
  return { handlers, onSnooze };
}

describe('inbox shortcuts', () => {
  it('fire outside text fields, and hand commands without a handler to the components', () => {
    const { handlers, onSnooze } = setup();
    fireEvent.keyDown(document.body, { key: 'j' });
    fireEvent.keyDown(screen.getByRole('button', { name: 'Row' }), { key: 'k' });
    fireEvent.keyDown(screen.getByRole('checkbox', { name: 'Unread only' }), { key: 'ArrowDown', altKey: true });
    fireEvent.keyDown(document.body, { key: '?', shiftKey: true });
    fireEvent.keyDown(document.body, { key: 's' });
    expect(handlers.next).toHaveBeenCalledTimes(2);
    expect(handlers.previous).toHaveBeenCalledTimes(1);
    expect(handlers.help).toHaveBeenCalledTimes(1);
    expect(onSnooze).toHaveBeenCalledTimes(1);
  });

  it('do not fire while typing in an input, a textarea or a contenteditable, except Escape', async () => {
    const { handlers, onSnooze } = setup();
    const reply = screen.getByRole('textbox', { name: 'Reply' });
    await userEvent.type(reply, 'jk?s');
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'j');
    fireEvent.keyDown(screen.getByTestId('editor'), { key: 'j' });
    fireEvent.keyDown(reply, { key: 'ArrowDown', altKey: true });
    expect(reply).toHaveValue('jk?s');
    expect(handlers.next).not.toHaveBeenCalled();
    expect(handlers.previous).not.toHaveBeenCalled();
    expect(handlers.help).not.toHaveBeenCalled();
    expect(onSnooze).not.toHaveBeenCalled();

    fireEvent.keyDown(reply, { key: 'Escape' });
    expect(handlers.leaveField).toHaveBeenCalledTimes(1);
  });

  it('leave Ctrl / Cmd combinations, handled keys and other keys alone', () => {
    const base = { altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, defaultPrevented: false };
    const at = { ...base, isComposing: false, target: document.body };
    expect(commandFor({ ...at, key: 'r' })).toBe('focusComposer');
    expect(commandFor({ ...at, key: 'R', shiftKey: true })).toBe('resolve');
    expect(commandFor({ ...at, key: 'n' })).toBe('toggleNote');
    expect(commandFor({ ...at, key: 'r', ctrlKey: true })).toBeNull();
    expect(commandFor({ ...at, key: 'r', metaKey: true })).toBeNull();
    expect(commandFor({ ...at, key: 'j', defaultPrevented: true })).toBeNull();
    expect(commandFor({ ...at, key: 'x' })).toBeNull();
    expect(commandFor({ ...at, key: 'Escape' })).toBeNull();
  });

  it('the help dialog lists every shortcut and closes with Escape', async () => {
    const onClose = vi.fn();
    render(<ShortcutsHelpDialog onClose={onClose} />);
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const shortcut of SHORTCUTS) expect(dialog).toHaveTextContent(shortcut.description);
    expect(within(dialog).getByRole('button', { name: 'Close keyboard shortcuts' })).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalled();
  });
});
