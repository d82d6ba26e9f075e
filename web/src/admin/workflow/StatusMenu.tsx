// The conversation header's status menu: open, pending (waiting on the user), snooze until a
// preset or a chosen time (in the agent's timezone), resolve or reopen. The server decides; the
// answer updates the caches (api.ts), and the menu closes.
import {
  type FormEvent,
  type KeyboardEvent as ReactKeyboardEvent,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import type { ConversationDto, SetStatusRequest } from '../../../../common/support';
import { errorMessage } from '../../api/api-error';
import { Button } from '../../ui/Button';
import { ChevronRightIcon } from '../../ui/icons';
import { useShortcutCommand } from '../support-chat/shortcuts';
import { useSetStatus } from './api';
import { formatSnoozeTime, snoozePresets, toLocalInputValue } from './snooze';

const itemClass =
  'flex min-h-11 w-full items-center justify-between gap-3 rounded-md px-3 text-left text-sm text-gray-800 hover:bg-gray-100 focus-visible:bg-gray-100 disabled:text-gray-400';

export function StatusMenu({
  conversation,
  now,
}: {
  conversation: Pick<ConversationDto, 'id' | 'status'>;
  /** Fixed "now" for the presets (tests). */
  now?: Date;
}) {
  const [open, setOpen] = useState(false);
  const [view, setView] = useState<'main' | 'snooze' | 'custom'>('main');
  const [custom, setCustom] = useState('');
  const setStatus = useSetStatus(conversation.id);
  const root = useRef<HTMLDivElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const customId = useId();
  const { status } = conversation;
  // The s shortcut opens the menu on its snooze page.
  useShortcutCommand('snooze', () => {
    setOpen(true);
    setView('snooze');
    setStatus.reset();
  });

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !root.current?.contains(event.target as Node)) {
        // Escape from inside the menu gives focus back to its button (not to the page's top).
        if (event instanceof KeyboardEvent && root.current?.contains(document.activeElement)) {
          root.current.querySelector<HTMLElement>('button[aria-haspopup="menu"]')?.focus();
        }
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  // Keyboard: the first item takes focus when the menu (or its snooze page) opens; arrows move.
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus again when another page of the menu replaces this one
  useEffect(() => {
    if (open) menu.current?.querySelector<HTMLElement>('[role="menuitem"], input')?.focus();
  }, [open, view]);
  const onMenuKeyDown = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const items = Array.from(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    if (items.length === 0) return;
    event.preventDefault();
    const index = items.indexOf(document.activeElement as HTMLElement);
    const next = event.key === 'ArrowDown' ? index + 1 : index - 1;
    items[(next + items.length) % items.length]?.focus();
  };

  const choose = (request: SetStatusRequest) =>
    setStatus.mutate(request, {
      onSuccess: () => {
        setOpen(false);
        setView('main');
      },
    });
  const snoozeUntil = (until: Date) => choose({ status: 'snoozed', snoozedUntil: until.toISOString() });
  const submitCustom = (event: FormEvent) => {
    event.preventDefault();
    const until = new Date(custom);
    if (!Number.isNaN(until.getTime())) snoozeUntil(until);
  };

  return (
    <div ref={root} className="relative">
      <Button
        variant="secondary"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => {
          setOpen(!open);
          setView('main');
          setStatus.reset();
        }}
      >
        Status ▾
      </Button>
      {open && (
        <div
          ref={menu}
          id={menuId}
          role="menu"
          onKeyDown={onMenuKeyDown}
          aria-label={view === 'main' ? 'Change status' : 'Snooze until'}
          className="absolute right-0 z-20 mt-1 w-64 rounded-lg border border-gray-200 bg-white p-1 shadow-lg"
        >
          {view === 'main' && (
            <>
              {(status === 'pending' || status === 'snoozed') && (
                <MenuItem onClick={() => choose({ status: 'open' })}>Open now</MenuItem>
              )}
              {status !== 'pending' && (
                <MenuItem onClick={() => choose({ status: 'pending' })}>
                  Pending <span className="text-xs text-gray-500">waiting on the user</span>
                </MenuItem>
              )}
              <MenuItem onClick={() => setView('snooze')} aria-haspopup="menu">
                Snooze <ChevronRightIcon className="h-4 w-4 text-gray-500" />
              </MenuItem>
              {status === 'resolved' ? (
                <MenuItem onClick={() => choose({ status: 'open' })}>Reopen</MenuItem>
              ) : (
                <MenuItem onClick={() => choose({ status: 'resolved' })}>Resolve</MenuItem>
              )}
            </>
          )}
          {view === 'snooze' && (
            <>
              {snoozePresets(now).map((preset) => (
                <MenuItem key={preset.key} onClick={() => snoozeUntil(preset.until)}>
                  {preset.label}
                  <span className="text-xs text-gray-500">{formatSnoozeTime(preset.until, now)}</span>
                </MenuItem>
              ))}
              <MenuItem
                onClick={() => {
                  setCustom(toLocalInputValue(new Date((now ?? new Date()).getTime() + 3600_000)));
                  setView('custom');
                }}
              >
                Custom time…
              </MenuItem>
            </>
          )}
          {view === 'custom' && (
            <form onSubmit={submitCustom} className="space-y-2 p-2">
              <label htmlFor={customId} className="block text-xs font-medium text-gray-700">
                Snooze until (your time)
              </label>
              <input
                id={customId}
                type="datetime-local"
                step={1}
                required
                value={custom}
                onChange={(event) => setCustom(event.target.value)}
                className="min-h-11 w-full rounded-lg border border-gray-300 px-2 text-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30"
              />
              <Button type="submit" className="w-full" disabled={setStatus.isPending}>
                Snooze
              </Button>
            </form>
          )}
          {setStatus.isError && (
            <p role="alert" className="px-3 py-2 text-xs text-red-700">
              {errorMessage(setStatus.error, 'That did not work. Try again.')}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

function MenuItem(props: { onClick: () => void; children: ReactNode; 'aria-haspopup'?: 'menu' }) {
  return (
    <button type="button" role="menuitem" className={itemClass} {...props}>
      {props.children}
    </button>
  );
}
