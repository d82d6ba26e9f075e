import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SupportSettings } from '../../../../common/settings';
import { mockFetch } from '../../test/fetch-mock';
import { type SettingsSection, SupportSettingsPage } from './SupportSettingsPage';

const current: SupportSettings = {
  maxAttachmentSizeMB: 10,
  allowedAttachmentTypes: ['image/jpeg', 'application/pdf'],
  autoAssignAdmin: false,
  maxOpenConversationsPerAgent: 5,
  agentOfflineGraceSeconds: 60,
};

function renderPage(section: SettingsSection = 'support') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <SupportSettingsPage section={section} />
    </QueryClientProvider>,
  );
}

const sizeInput = () => screen.getByLabelText('Maximum attachment size');

afterEach(() => vi.unstubAllGlobals());

describe('SupportSettingsPage', () => {
  it('loads the settings into the form', async () => {
    mockFetch({ status: 200, body: current });
    renderPage();
    expect(await screen.findByLabelText('Maximum attachment size')).toHaveValue(10);
    expect(screen.getByRole('checkbox', { name: /JPEG image/ })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: /PNG image/ })).not.toBeChecked();
    expect(screen.getByRole('checkbox', { name: /PDF document/ })).toBeChecked();
    // Routing has its own tab.
    expect(screen.queryByRole('switch')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Open conversations per agent')).not.toBeInTheDocument();
  });

  it('shows and saves the routing fields on the Routing tab, sending the file fields back as loaded', async () => {
    const calls = mockFetch(
      { status: 200, body: current },
      { status: 200, body: { ...current, autoAssignAdmin: true, maxOpenConversationsPerAgent: 8 } },
    );
    renderPage('routing');
    const auto = await screen.findByRole('switch', { name: 'Assign new conversations automatically' });
    expect(auto).toHaveAttribute('aria-checked', 'false');
    expect(screen.queryByLabelText('Maximum attachment size')).not.toBeInTheDocument();
    await userEvent.click(auto);
    await userEvent.clear(screen.getByLabelText('Open conversations per agent'));
    await userEvent.type(screen.getByLabelText('Open conversations per agent'), '8');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByText('Settings saved.')).toBeInTheDocument();
    expect(calls[1]).toMatchObject({
      url: '/api/admin/settings/support',
      method: 'PUT',
      body: { ...current, autoAssignAdmin: true, maxOpenConversationsPerAgent: 8 },
    });
  });

  it('saves with PUT and confirms', async () => {
    const calls = mockFetch(
      { status: 200, body: current },
      { status: 200, body: { ...current, maxAttachmentSizeMB: 25 } },
    );
    renderPage();
    await userEvent.clear(await screen.findByLabelText('Maximum attachment size'));
    await userEvent.type(sizeInput(), '25');
    await userEvent.click(screen.getByRole('checkbox', { name: /PNG image/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByText('Settings saved.')).toBeInTheDocument();
    expect(calls[1]).toMatchObject({
      url: '/api/admin/settings/support',
      method: 'PUT',
      body: {
        maxAttachmentSizeMB: 25,
        allowedAttachmentTypes: ['image/jpeg', 'application/pdf', 'image/png'],
        autoAssignAdmin: false,
        maxOpenConversationsPerAgent: 5,
      },
    });
  });

  it('checks the form with the shared schema before saving', async () => {
    const calls = mockFetch({ status: 200, body: current });
    renderPage();
    await userEvent.clear(await screen.findByLabelText('Maximum attachment size'));
    await userEvent.type(sizeInput(), '0');
    await userEvent.click(screen.getByRole('checkbox', { name: /JPEG image/ }));
    await userEvent.click(screen.getByRole('checkbox', { name: /PDF document/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(screen.getByText('The limit must be at least 1 MB.')).toBeInTheDocument();
    expect(sizeInput()).toHaveAttribute('aria-invalid', 'true');
    expect(sizeInput()).toHaveFocus();
    expect(screen.getByText('Allow at least one file type.')).toBeInTheDocument();
    expect(calls).toHaveLength(1);

    await userEvent.clear(sizeInput());
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(screen.getByText('Enter a number of megabytes.')).toBeInTheDocument();
    expect(calls).toHaveLength(1);
  });

  it('shows server field errors sent as { fieldErrors } next to their fields', async () => {
    mockFetch(
      { status: 200, body: current },
      {
        status: 400,
        body: {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'The request is not valid.',
            details: {
              fieldErrors: {
                maxAttachmentSizeMB: ['Too large for this storage.'],
                'allowedAttachmentTypes.1': ['Not available here.'],
              },
            },
          },
        },
      },
    );
    renderPage();
    await userEvent.click(await screen.findByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Too large for this storage.')).toBeInTheDocument();
    expect(sizeInput()).toHaveAccessibleDescription(/Too large for this storage\./);
    const types = screen.getByRole('group', { name: 'Allowed file types' });
    expect(within(types).getByText('Not available here.')).toBeInTheDocument();
  });

  it('shows server field errors sent as a list of { path, message }', async () => {
    mockFetch(
      { status: 200, body: current },
      {
        status: 400,
        body: {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'The request is not valid.',
            details: [{ path: ['autoAssignAdmin'], message: 'No support agent can take conversations.' }],
          },
        },
      },
    );
    renderPage('routing');
    await userEvent.click(await screen.findByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('No support agent can take conversations.')).toBeInTheDocument();
    expect(screen.queryByText('Settings saved.')).not.toBeInTheDocument();
  });

  it("shows an error about the other tab's field as a general error", async () => {
    mockFetch(
      { status: 200, body: current },
      {
        status: 400,
        body: {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'The request is not valid.',
            details: [{ path: ['autoAssignAdmin'], message: 'No support agent can take conversations.' }],
          },
        },
      },
    );
    renderPage('support');
    await userEvent.click(await screen.findByRole('button', { name: 'Save changes' }));
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent('No support agent can take conversations.'),
    );
  });

  it('shows a general error that names no field', async () => {
    mockFetch(
      { status: 200, body: current },
      { status: 403, body: { error: { code: 'FORBIDDEN', message: 'You do not have permission to do this.' } } },
    );
    renderPage();
    await userEvent.click(await screen.findByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('You do not have permission to do this.'));
  });
});
