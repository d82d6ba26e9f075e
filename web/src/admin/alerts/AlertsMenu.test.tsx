// The Alerts menu: the switches show the server's values and save one change at a time; browser
// notification permission is asked only when the button is clicked, never on render.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_ALERT_PREFERENCES } from '../../../../common/alerts';
import { mockFetch } from '../../test/fetch-mock';
import { AlertsMenu } from './AlertsMenu';

function fakeNotification(permission: NotificationPermission) {
  const fake = {
    permission,
    requestPermission: vi.fn(async () => {
      fake.permission = 'granted';
      return 'granted' as const;
    }),
  };
  vi.stubGlobal('Notification', fake);
  return fake.requestPermission;
}

function renderMenu() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <AlertsMenu />
    </QueryClientProvider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('AlertsMenu', () => {
  it("shows the agent's switches and saves a change as just that switch", async () => {
    fakeNotification('granted');
    const saved = { ...DEFAULT_ALERT_PREFERENCES, message: { notification: true, sound: false, title: true } };
    const calls = mockFetch({ status: 200, body: DEFAULT_ALERT_PREFERENCES }, { status: 200, body: saved });
    renderMenu();
    await userEvent.click(screen.getByRole('button', { name: 'Alerts' }));
    const sound = await screen.findByRole('checkbox', { name: 'Message in my conversation: Sound' });
    expect(sound).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'New in the queue: Sound' })).not.toBeChecked();
    expect(screen.getByText('Browser notifications are on in this browser.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Enable browser notifications' })).not.toBeInTheDocument();

    await userEvent.click(sound);
    expect(sound).not.toBeChecked();
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]).toMatchObject({
      method: 'PUT',
      url: '/api/admin/support/alert-preferences',
      body: { message: { sound: false } },
    });
  });

  it('puts a switch back when the server refuses the change', async () => {
    fakeNotification('granted');
    mockFetch(
      { status: 200, body: DEFAULT_ALERT_PREFERENCES },
      { status: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'No' } } },
    );
    renderMenu();
    await userEvent.click(screen.getByRole('button', { name: 'Alerts' }));
    const title = await screen.findByRole('checkbox', { name: 'Mention of me: Tab title' });
    await userEvent.click(title);
    expect(await screen.findByRole('alert')).toHaveTextContent('That change was not saved');
    expect(title).toBeChecked();
  });

  it('asks for notification permission only when the button is clicked', async () => {
    const requestPermission = fakeNotification('default');
    mockFetch({ status: 200, body: DEFAULT_ALERT_PREFERENCES });
    renderMenu();
    await userEvent.click(screen.getByRole('button', { name: 'Alerts' }));
    await screen.findByRole('checkbox', { name: 'New in the queue: Notify' });
    expect(requestPermission).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Enable browser notifications' }));
    expect(requestPermission).toHaveBeenCalledTimes(1);
    expect(await screen.findByText('Browser notifications are on in this browser.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Enable browser notifications' })).not.toBeInTheDocument();
  });

  it('says when notifications are blocked or impossible, without a button', async () => {
    fakeNotification('denied');
    mockFetch({ status: 200, body: DEFAULT_ALERT_PREFERENCES });
    renderMenu();
    await userEvent.click(screen.getByRole('button', { name: 'Alerts' }));
    expect(screen.getByTestId('notification-permission')).toHaveTextContent('blocked');
    expect(screen.queryByRole('button', { name: 'Enable browser notifications' })).not.toBeInTheDocument();
  });
});
