import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../../../common/auth';
import { ClientEvent, ServerEvent } from '../../../../common/realtime';
import type { AttachmentLimits } from '../../../../common/settings';
import type { ConversationDto } from '../../../../common/support';
import { AuthTestProvider } from '../../auth/AuthProvider';
import { Composer } from '../../chat/Composer';
import { SupportSocketProvider } from '../../chat/socket';
import { FakeSocket } from '../../test/fake-socket';
import { CONVERSATION_ID, makeConversation } from '../../test/fixtures';
import { forgetSendConfirmations, useConfirmSendToAssigned } from './confirm-send';
import { ConversationPresence, PresenceLine, presenceText } from './PresenceLine';

const sockets: FakeSocket[] = [];
vi.mock('socket.io-client', () => ({
  io: vi.fn(() => {
    const socket = new FakeSocket();
    sockets.push(socket);
    return socket;
  }),
}));

const marcus = { adminId: '00000000-0000-4000-8000-0000000000a1', displayName: 'Marcus Lee' };
const ana = { adminId: '00000000-0000-4000-8000-0000000000a2', displayName: 'Ana Silva' };
const li = { adminId: '00000000-0000-4000-8000-0000000000a3', displayName: 'Li Wei' };
const sofia = { adminId: '00000000-0000-4000-8000-0000000000a4', displayName: 'Sofia Reyes' };
const limits: AttachmentLimits = { maxAttachmentSizeMB: 10, allowedAttachmentTypes: ['image/png'] };

describe('the presence line', () => {
  it('names the colleagues who are here, and those typing a reply first', () => {
    expect(presenceText([], [])).toBe('');
    expect(presenceText([marcus], [])).toBe('Marcus Lee is also here');
    expect(presenceText([marcus, ana], [])).toBe('Marcus Lee and Ana Silva are also here');
    expect(presenceText([marcus, ana, li], [])).toBe('Marcus Lee, Ana Silva and Li Wei are also here');
    expect(presenceText([marcus, ana], [marcus])).toBe('Marcus Lee is typing a reply… · Ana Silva is also here');
    expect(presenceText([marcus], [marcus])).toBe('Marcus Lee is typing a reply…');
  });

  it('is a live region, empty and out of sight while you are alone', () => {
    const { rerender } = render(<PresenceLine viewers={[]} typing={[]} />);
    const line = screen.getByTestId('presence-line');
    expect(line).toHaveAttribute('aria-live', 'polite');
    expect(line).toHaveTextContent('');
    rerender(<PresenceLine viewers={[marcus]} typing={[marcus]} />);
    expect(line).toHaveTextContent('Marcus Lee is typing a reply…');
  });
});

function Harness({
  conversation,
  onSend,
  onUpload,
}: {
  conversation: ConversationDto;
  onSend: (body: string) => void;
  onUpload?: () => Promise<unknown>;
}) {
  const { confirm, dialog } = useConfirmSendToAssigned(conversation, marcus.adminId);
  return (
    <>
      <Composer onSend={onSend} onUpload={onUpload} limits={limits} confirmSend={confirm} />
      {dialog}
    </>
  );
}

const assignedTo = (agent: typeof sofia | null) =>
  makeConversation({ adminId: agent?.adminId ?? null, assignee: agent });

describe('sending into a colleague’s conversation', () => {
  afterEach(() => forgetSendConfirmations());

  it('asks first; Cancel keeps the text; once confirmed it does not ask again', async () => {
    const onSend = vi.fn();
    render(<Harness conversation={assignedTo(sofia)} onSend={onSend} />);
    const input = screen.getByRole('textbox', { name: 'Message' });
    await userEvent.type(input, 'I can help too{Enter}');

    let dialog = screen.getByRole('alertdialog', {
      name: 'Sofia Reyes is assigned to this conversation. Send anyway?',
    });
    expect(within(dialog).getByRole('button', { name: 'Send anyway' })).toHaveFocus();
    expect(onSend).not.toHaveBeenCalled();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(onSend).not.toHaveBeenCalled();
    expect(input).toHaveValue('I can help too');

    await userEvent.type(input, '{Enter}');
    dialog = screen.getByRole('alertdialog');
    await userEvent.keyboard('{Enter}'); // the confirming button has focus
    expect(onSend).toHaveBeenCalledWith('I can help too');
    expect(input).toHaveValue('');

    await userEvent.type(input, 'And one more{Enter}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(onSend).toHaveBeenLastCalledWith('And one more');
  });

  it('Escape answers no', async () => {
    const onSend = vi.fn();
    render(<Harness conversation={assignedTo(sofia)} onSend={onSend} />);
    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), 'Hello{Enter}');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(onSend).not.toHaveBeenCalled();
  });

  it('asks before a file too, and uploads only when confirmed', async () => {
    const onUpload = vi.fn(async () => ({}));
    render(<Harness conversation={assignedTo(sofia)} onSend={vi.fn()} onUpload={onUpload} />);
    const file = new File([new Uint8Array(10)], 'receipt.png', { type: 'image/png' });
    await userEvent.upload(screen.getByTestId('composer-file-input'), file);
    await userEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Cancel' }));
    expect(onUpload).not.toHaveBeenCalled();
    await userEvent.upload(screen.getByTestId('composer-file-input'), file);
    await userEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Send anyway' }));
    expect(onUpload).toHaveBeenCalledTimes(1);
  });

  it('does not ask when the conversation is unassigned or yours', async () => {
    const onSend = vi.fn();
    const { unmount } = render(<Harness conversation={assignedTo(null)} onSend={onSend} />);
    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), 'Unassigned{Enter}');
    unmount();
    render(<Harness conversation={assignedTo(marcus)} onSend={onSend} />);
    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), 'Mine{Enter}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(onSend.mock.calls).toEqual([['Unassigned'], ['Mine']]);
  });
});

describe('the presence line, live', () => {
  const me: Me = {
    kind: 'admin',
    userId: 'u1',
    adminId: marcus.adminId,
    permissions: ['SUPPORT_CHAT'],
    displayName: 'Marcus Lee',
  };

  it('announces the open conversation, lists colleagues and their typing, never yourself or the user', () => {
    const { unmount } = render(
      <QueryClientProvider client={new QueryClient()}>
        <AuthTestProvider value={{ session: null, me, login: vi.fn(), logout: vi.fn() }}>
          <SupportSocketProvider>
            <ConversationPresence conversationId={CONVERSATION_ID} ownAdminId={marcus.adminId} />
          </SupportSocketProvider>
        </AuthTestProvider>
      </QueryClientProvider>,
    );
    const socket = sockets[sockets.length - 1] as FakeSocket;
    socket.connected = true;
    socket.serverSends('connect');
    const start = socket.emit.mock.calls.find(([event]) => event === ClientEvent.VIEWING_START);
    expect(start?.[1]).toEqual({ conversationId: CONVERSATION_ID });
    act(() => start?.[2]({ ok: true, viewers: [marcus, sofia] }));
    const line = screen.getByTestId('presence-line');
    expect(line.textContent).toBe('Sofia Reyes is also here');

    const typing = (who: { adminId?: string; name: string | null; senderType: 'admin' | 'user' }) =>
      socket.serverSends(ServerEvent.TYPING, { conversationId: CONVERSATION_ID, isTyping: true, ...who });
    typing({ senderType: 'admin', name: 'Marcus Lee', adminId: marcus.adminId }); // my other tab
    typing({ senderType: 'user', name: null });
    expect(line.textContent).toBe('Sofia Reyes is also here');
    typing({ senderType: 'admin', name: 'Sofia Reyes', adminId: sofia.adminId });
    expect(line.textContent).toBe('Sofia Reyes is typing a reply…');

    socket.serverSends(ServerEvent.VIEWERS_UPDATED, { conversationId: CONVERSATION_ID, viewers: [marcus, ana, sofia] });
    expect(line.textContent).toBe('Sofia Reyes is typing a reply… · Ana Silva is also here');
    socket.serverSends(ServerEvent.VIEWERS_UPDATED, { conversationId: 'another', viewers: [marcus] });
    expect(line.textContent).toBe('Sofia Reyes is typing a reply… · Ana Silva is also here');

    unmount();
    expect(socket.emit).toHaveBeenCalledWith(ClientEvent.VIEWING_STOP, { conversationId: CONVERSATION_ID });
  });
});
