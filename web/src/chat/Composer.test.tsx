import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { AttachmentLimits } from '../../../common/settings';
import { MAX_MESSAGE_LENGTH } from '../../../common/support';
import { ApiError } from '../api/api-error';
import { Composer } from './Composer';

const limits: AttachmentLimits = {
  maxAttachmentSizeMB: 1,
  allowedAttachmentTypes: ['image/jpeg', 'image/png', 'application/pdf'],
};

const fileOf = (name: string, type: string, bytes: number) => new File([new Uint8Array(bytes)], name, { type });

describe('Composer', () => {
  it('sends the trimmed text on Enter and clears the box', async () => {
    const onSend = vi.fn();
    render(<Composer onSend={onSend} />);
    const box = screen.getByRole('textbox', { name: 'Message' });
    await userEvent.type(box, '  Where is my order?  {Enter}');
    expect(onSend).toHaveBeenCalledWith('Where is my order?');
    expect(box).toHaveValue('');
  });

  it('adds a new line on Shift+Enter instead of sending', async () => {
    const onSend = vi.fn();
    render(<Composer onSend={onSend} />);
    const box = screen.getByRole('textbox', { name: 'Message' });
    await userEvent.type(box, 'line one{Shift>}{Enter}{/Shift}line two');
    expect(onSend).not.toHaveBeenCalled();
    expect(box).toHaveValue('line one\nline two');
    await userEvent.click(screen.getByRole('button', { name: 'Send message' }));
    expect(onSend).toHaveBeenCalledWith('line one\nline two');
  });

  it('does not send an empty or blank message', async () => {
    const onSend = vi.fn();
    render(<Composer onSend={onSend} />);
    const send = screen.getByRole('button', { name: 'Send message' });
    expect(send).toBeDisabled();
    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), '   {Enter}');
    expect(onSend).not.toHaveBeenCalled();
    expect(send).toBeDisabled();
  });

  it('shows a counter near the length limit and refuses text over it', () => {
    const onSend = vi.fn();
    render(<Composer onSend={onSend} />);
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'a'.repeat(MAX_MESSAGE_LENGTH - 10) } });
    expect(screen.getByText(`${MAX_MESSAGE_LENGTH - 10} / ${MAX_MESSAGE_LENGTH}`)).toBeInTheDocument();
    fireEvent.change(box, { target: { value: 'a'.repeat(MAX_MESSAGE_LENGTH + 5) } });
    expect(screen.getByText('5 characters over the limit')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send message' })).toBeDisabled();
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
  });

  it('refuses a file that is too large before uploading it', async () => {
    const onUpload = vi.fn();
    render(<Composer onSend={() => {}} onUpload={onUpload} limits={limits} />);
    await userEvent.upload(screen.getByTestId('composer-file-input'), fileOf('big.jpg', 'image/jpeg', 2 * 1024 * 1024));
    expect(screen.getByRole('alert')).toHaveTextContent('"big.jpg" is 2.0 MB; files can be at most 1 MB.');
    expect(onUpload).not.toHaveBeenCalled();
  });

  it('refuses a file of a type that is not allowed before uploading it', async () => {
    const onUpload = vi.fn();
    render(<Composer onSend={() => {}} onUpload={onUpload} limits={limits} />);
    const input = screen.getByTestId('composer-file-input');
    // Skip the input's accept filter: a drop or a paste bypasses it as well.
    await userEvent.upload(input, fileOf('notes.txt', 'text/plain', 10), { applyAccept: false });
    expect(screen.getByRole('alert')).toHaveTextContent('only JPG, PNG or PDF files are allowed');
    expect(onUpload).not.toHaveBeenCalled();
  });

  it('lets phones offer the camera and gallery through the accept list', () => {
    render(<Composer onSend={() => {}} onUpload={vi.fn()} limits={limits} />);
    expect(screen.getByTestId('composer-file-input')).toHaveAttribute('accept', 'image/*,application/pdf,.pdf');
  });

  it('uploads an allowed file with a progress bar', async () => {
    let progress: (fraction: number) => void = () => {};
    let finish: () => void = () => {};
    const onUpload = vi.fn(
      (_file: File, options: { onProgress: (fraction: number) => void }) =>
        new Promise<void>((resolve) => {
          progress = options.onProgress;
          finish = resolve;
        }),
    );
    render(<Composer onSend={() => {}} onUpload={onUpload} limits={limits} />);
    const file = fileOf('photo.png', 'image/png', 2048);
    await userEvent.upload(screen.getByTestId('composer-file-input'), file);
    expect(onUpload).toHaveBeenCalledWith(file, expect.objectContaining({ signal: expect.any(AbortSignal) }));

    progress(0.4);
    const bar = await screen.findByRole('progressbar', { name: 'Uploading photo.png' });
    await waitFor(() => expect(bar).toHaveAttribute('value', '40'));
    finish();
    await waitFor(() => expect(screen.queryByRole('progressbar')).not.toBeInTheDocument());
  });

  it("shows the server's message when it refuses the file", async () => {
    const onUpload = vi
      .fn()
      .mockRejectedValue(
        new ApiError(415, 'ATTACHMENT_TYPE_NOT_ALLOWED', 'This file type is not allowed. Allowed: JPEG, PNG, PDF.'),
      );
    render(<Composer onSend={() => {}} onUpload={onUpload} limits={limits} />);
    await userEvent.upload(screen.getByTestId('composer-file-input'), fileOf('fake.pdf', 'application/pdf', 100));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This file type is not allowed. Allowed: JPEG, PNG, PDF.',
    );
  });

  it('accepts a file dropped on the drop target', async () => {
    const onUpload = vi.fn().mockResolvedValue(undefined);
    render(<Composer onSend={() => {}} onUpload={onUpload} limits={limits} />);
    const form = screen.getByRole('textbox', { name: 'Message' }).closest('form') as HTMLFormElement;
    const file = fileOf('scan.pdf', 'application/pdf', 500);
    const dataTransfer = { types: ['Files'], files: [file], dropEffect: 'none' };
    fireEvent.dragEnter(form, { dataTransfer });
    expect(screen.getByText('Drop the file to send it')).toBeInTheDocument();
    fireEvent.drop(form, { dataTransfer });
    await waitFor(() => expect(onUpload).toHaveBeenCalledWith(file, expect.anything()));
  });

  it('reports typing start once while typing and stop after sending', async () => {
    const onTypingStart = vi.fn();
    const onTypingStop = vi.fn();
    render(<Composer onSend={() => {}} onTypingStart={onTypingStart} onTypingStop={onTypingStop} />);
    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), 'hello');
    expect(onTypingStart).toHaveBeenCalledTimes(1);
    expect(onTypingStop).not.toHaveBeenCalled();
    await userEvent.keyboard('{Enter}');
    expect(onTypingStop).toHaveBeenCalledTimes(1);
  });

  it('shows the reason instead of the box when disabled with a reason', () => {
    render(<Composer onSend={() => {}} disabled disabledReason="This conversation is resolved." />);
    expect(screen.getByText('This conversation is resolved.')).toBeInTheDocument();
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument();
  });
});
