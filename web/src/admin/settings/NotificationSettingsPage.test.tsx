import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FailedNotification, FailedNotifications } from '../../../../common/notifications';
import { CONVERSATION_ID, uuid } from '../../test/fixtures';
import { describeErrorCode, NotificationSettingsPage } from './NotificationSettingsPage';

const emailFailure: FailedNotification = {
  id: uuid(),
  conversationId: CONVERSATION_ID,
  userId: uuid(),
  channels: ['email'],
  deliveredChannels: [],
  attempts: 8,
  lastError: 'EMAIL_550',
  createdAt: '2026-11-27T09:00:00.000Z',
  failedAt: '2026-11-27T15:00:00.000Z',
};
const pushFailure: FailedNotification = {
  ...emailFailure,
  id: uuid(),
  conversationId: uuid(),
  channels: ['push'],
  deliveredChannels: ['email'],
  attempts: 3,
  lastError: 'PUSH_503',
};

type Call = { method: string; path: string; body: unknown };

/** A small fake of the notification endpoints: the failed list shrinks as items are retried or dismissed. */
function fakeApi(items: FailedNotification[]) {
  const calls: Call[] = [];
  let failed = [...items];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input);
    const method = init?.method ?? 'GET';
    calls.push({ method, path, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
    const json = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
    if (path === '/api/admin/notifications/settings') {
      return json(200, method === 'PUT' ? calls.at(-1)?.body : { delaySeconds: 120, includePreview: false });
    }
    if (path === '/api/admin/notifications/failed') {
      return json(200, { items: failed, total: failed.length } satisfies FailedNotifications);
    }
    const action = /^\/api\/admin\/notifications\/failed\/([^/]+)\/(retry|dismiss)$/.exec(path);
    if (action && method === 'POST') {
      failed = failed.filter((item) => item.id !== action[1]);
      return json(200, { id: action[1], outcome: action[2] === 'retry' ? 'requeued' : 'dismissed' });
    }
    return json(404, { error: { code: 'NOT_FOUND', message: 'Not found.' } });
  });
  return calls;
}

function renderPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <NotificationSettingsPage />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('NotificationSettingsPage', () => {
  it('lists failed notifications with channel, attempts, error and a link to the conversation', async () => {
    fakeApi([emailFailure, pushFailure]);
    renderPage();
    const list = await screen.findByRole('list');
    const [first, second] = within(list).getAllByRole('listitem');
    expect(first).toHaveTextContent('E-mail');
    expect(first).toHaveTextContent('8 attempts');
    expect(first).toHaveTextContent('EMAIL_550 the mail server refused it');
    expect(within(first as HTMLElement).getByRole('link', { name: 'Open conversation' })).toHaveAttribute(
      'href',
      `/admin/support-chat/${CONVERSATION_ID}`,
    );
    expect(second).toHaveTextContent('Push');
    expect(second).toHaveTextContent('PUSH_503 the push service answered 503');
    expect(second).toHaveTextContent('delivered by e-mail');
  });

  it('Retry and Dismiss call the API for that item and the list follows', async () => {
    const calls = fakeApi([emailFailure, pushFailure]);
    renderPage();
    const list = await screen.findByRole('list');
    const [first] = within(list).getAllByRole('listitem');
    await userEvent.click(within(first as HTMLElement).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText(/Queued again/)).toBeInTheDocument();
    expect(calls).toContainEqual({
      method: 'POST',
      path: `/api/admin/notifications/failed/${emailFailure.id}/retry`,
      body: undefined,
    });
    await vi.waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(1));

    await userEvent.click(within(list).getByRole('button', { name: 'Dismiss' }));
    expect(await screen.findByText(/No failed notifications/)).toBeInTheDocument();
    expect(screen.getByText('Dismissed. It will not be sent.')).toBeInTheDocument();
    expect(calls.filter((call) => call.method === 'POST').map((call) => call.path)).toEqual([
      `/api/admin/notifications/failed/${emailFailure.id}/retry`,
      `/api/admin/notifications/failed/${pushFailure.id}/dismiss`,
    ]);
  });

  it('saves the delay and preview settings, checked with the shared schema first', async () => {
    const calls = fakeApi([]);
    renderPage();
    const delay = await screen.findByLabelText('Notify after');
    expect(delay).toHaveValue(120);
    expect(screen.getByText(/\(2 minutes\)/)).toBeInTheDocument();

    await userEvent.clear(delay);
    await userEvent.type(delay, '-5');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(screen.getByText('Use 0 seconds or more.')).toBeInTheDocument();
    expect(delay).toHaveAttribute('aria-invalid', 'true');
    expect(calls.filter((call) => call.method === 'PUT')).toHaveLength(0);

    await userEvent.clear(delay);
    await userEvent.type(delay, '300');
    await userEvent.click(screen.getByRole('switch', { name: 'Quote the reply' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Settings saved.')).toBeInTheDocument();
    expect(calls.filter((call) => call.method === 'PUT')).toEqual([
      {
        method: 'PUT',
        path: '/api/admin/notifications/settings',
        body: { delaySeconds: 300, includePreview: true },
      },
    ]);
  });

  it('explains error codes in a few words', () => {
    expect(describeErrorCode('EMAIL_451')).toBe('the mail server asked to try later');
    expect(describeErrorCode('EMAIL_ECONNECTION')).toBe('the mail server could not be reached');
    expect(describeErrorCode('PUSH_403')).toBe('the push service refused the server’s keys');
    expect(describeErrorCode('PUSH_FAILED')).toBe('the push service could not be reached');
  });
});
