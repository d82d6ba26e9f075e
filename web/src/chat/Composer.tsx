// Writing a message: Enter sends, Shift+Enter adds a line, the length limit shows as a counter
// near the end. Files come from the attachment button (camera or gallery on phones), a drop on
// the chat, or a paste; each is checked against the support settings before any upload starts.
import {
  type ChangeEvent,
  type ClipboardEvent,
  type FormEvent,
  type KeyboardEvent,
  type RefObject,
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import type { AttachmentLimits } from '../../../common/settings';
import { MAX_MESSAGE_LENGTH } from '../../../common/support';
import { ApiError, errorMessage } from '../api/api-error';
import { CloseIcon, PaperclipIcon, SendIcon } from '../ui/icons';
import { acceptAttribute, checkAttachment } from './attachment-rules';
import { type SlashCommands, useSlashCommands } from './slash-commands';

export type UploadOptions = { onProgress: (fraction: number) => void; signal: AbortSignal };

export type ComposerProps = {
  /** Called with the trimmed text; the composer clears at once (sending is shown in the thread). */
  onSend: (body: string) => void;
  /** Uploads one file; rejects with an ApiError on failure. Omitted: no attachment button. */
  onUpload?: (file: File, options: UploadOptions) => Promise<unknown>;
  /** The support settings' limits; attachments are disabled until they are known. */
  limits?: AttachmentLimits;
  onTypingStart?: () => void;
  onTypingStop?: () => void;
  disabled?: boolean;
  /** Shown instead of the input when disabled (e.g. "This conversation is resolved."). */
  disabledReason?: string;
  placeholder?: string;
  /** Element that accepts dropped files (e.g. the whole chat panel); default: the composer. */
  dropTargetRef?: RefObject<HTMLElement | null>;
  autoFocus?: boolean;
  /**
   * Asked before a message or file goes out (e.g. "Sofia is assigned to this conversation. Send
   * anyway?"); false keeps the text and sends nothing.
   */
  confirmSend?: () => boolean | Promise<boolean>;
  /** "/" opens these (the admins' saved replies); omitted: "/" is just a character. */
  slashCommands?: SlashCommands;
};

/** Typing start is re-sent this often while typing, so the other side's indicator stays on. */
const TYPING_REPEAT_MS = 4000;
/** No keystroke for this long means the person stopped typing. */
const TYPING_IDLE_MS = 3000;
/** The counter appears this close to the limit. */
const COUNTER_FROM = MAX_MESSAGE_LENGTH - 200;

type Upload = { fileName: string; progress: number; controller: AbortController };

export function Composer({
  onSend,
  onUpload,
  limits,
  onTypingStart,
  onTypingStop,
  disabled = false,
  disabledReason,
  placeholder = 'Write a message…',
  dropTargetRef,
  autoFocus = false,
  confirmSend,
  slashCommands,
}: ComposerProps) {
  const [text, setText] = useState('');
  const [upload, setUpload] = useState<Upload | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const counterId = useId();
  const errorId = useId();
  const slash = useSlashCommands({ source: slashCommands, textarea, setText });

  // --- typing start/stop, throttled ---------------------------------------------------------
  const typing = useRef({ active: false, lastStart: 0, idle: undefined as ReturnType<typeof setTimeout> | undefined });
  const typingCallbacks = useRef({ onTypingStart, onTypingStop });
  typingCallbacks.current = { onTypingStart, onTypingStop };

  const stopTyping = useCallback(() => {
    clearTimeout(typing.current.idle);
    if (!typing.current.active) return;
    typing.current.active = false;
    typingCallbacks.current.onTypingStop?.();
  }, []);

  const noteTyping = () => {
    const now = Date.now();
    if (!typing.current.active || now - typing.current.lastStart > TYPING_REPEAT_MS) {
      typing.current.active = true;
      typing.current.lastStart = now;
      typingCallbacks.current.onTypingStart?.();
    }
    clearTimeout(typing.current.idle);
    typing.current.idle = setTimeout(stopTyping, TYPING_IDLE_MS);
  };

  useEffect(() => stopTyping, [stopTyping]);

  // --- text -----------------------------------------------------------------------------------
  const trimmed = text.trim();
  const tooLong = trimmed.length > MAX_MESSAGE_LENGTH;
  const canSend = !disabled && trimmed.length > 0 && !tooLong;

  const deliver = (body: string) => {
    onSend(body);
    setText('');
    stopTyping();
    textarea.current?.focus();
  };

  const send = () => {
    if (!canSend) return;
    // No question to ask: send at once (in the same event, as before).
    const confirmed = confirmSend?.() ?? true;
    if (confirmed === true) return deliver(trimmed);
    if (confirmed === false) return;
    const body = trimmed;
    void confirmed.then((yes) => (yes ? deliver(body) : textarea.current?.focus()));
  };

  const onChange = (event: ChangeEvent<HTMLTextAreaElement>) => {
    setText(event.target.value);
    if (slash.enabled)
      slash.autocomplete.update(event.target.value, event.target.selectionStart ?? event.target.value.length);
    if (event.target.value.trim()) noteTyping();
    else stopTyping();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (slash.autocomplete.onKeyDown(event)) return;
    // Not while an input method is composing (Enter then picks a candidate).
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  // Grow with the text up to a few lines, then scroll.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measure whenever the text changes
  useEffect(() => {
    const element = textarea.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, 160)}px`;
  }, [text]);

  // --- files ----------------------------------------------------------------------------------
  const attachEnabled = Boolean(onUpload && limits) && !disabled;

  const uploadFiles = useCallback(
    async (files: readonly File[]) => {
      if (!onUpload || !limits || files.length === 0) return;
      setFileError(null);
      const refused: string[] = [];
      const accepted = files.filter((file) => {
        const check = checkAttachment(file, limits);
        if (!check.ok) refused.push(check.message);
        return check.ok;
      });
      if (refused.length > 0) setFileError(refused.join(' '));
      if (accepted.length > 0 && confirmSend && !(await confirmSend())) return;
      for (const file of accepted) {
        const controller = new AbortController();
        setUpload({ fileName: file.name, progress: 0, controller });
        try {
          await onUpload(file, {
            signal: controller.signal,
            onProgress: (progress) => setUpload((current) => (current ? { ...current, progress } : current)),
          });
        } catch (error) {
          if (error instanceof ApiError && error.code === 'ABORTED') break;
          // The server's own words for ATTACHMENT_TOO_LARGE, ATTACHMENT_TYPE_NOT_ALLOWED and the like.
          setFileError(errorMessage(error, `"${file.name}" could not be sent.`));
          break;
        } finally {
          setUpload(null);
        }
      }
    },
    [onUpload, limits, confirmSend],
  );

  const onFileChosen = (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    event.target.value = ''; // choosing the same file again must fire change again
    void uploadFiles(files);
  };

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = Array.from(event.clipboardData.files);
    if (files.length === 0 || !attachEnabled) return;
    event.preventDefault();
    void uploadFiles(files);
  };

  // Drag and drop onto the drop target (the chat panel, or the composer itself).
  useEffect(() => {
    const target = dropTargetRef?.current ?? form.current;
    if (!target || !attachEnabled) return;
    let depth = 0;
    const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');
    const setActive = (active: boolean) => {
      setDragging(active);
      if (active) target.dataset.dropActive = 'true';
      else delete target.dataset.dropActive;
    };
    const onDragEnter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth += 1;
      setActive(true);
    };
    const onDragOver = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const onDragLeave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setActive(false);
    };
    const onDrop = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth = 0;
      setActive(false);
      void uploadFiles(Array.from(event.dataTransfer?.files ?? []));
    };
    target.addEventListener('dragenter', onDragEnter);
    target.addEventListener('dragover', onDragOver);
    target.addEventListener('dragleave', onDragLeave);
    target.addEventListener('drop', onDrop);
    return () => {
      target.removeEventListener('dragenter', onDragEnter);
      target.removeEventListener('dragover', onDragOver);
      target.removeEventListener('dragleave', onDragLeave);
      target.removeEventListener('drop', onDrop);
      delete target.dataset.dropActive;
    };
  }, [dropTargetRef, attachEnabled, uploadFiles]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };

  if (disabled && disabledReason) {
    return (
      <div className="border-t border-gray-200 bg-gray-50 px-4 py-4 text-center text-sm text-gray-600">
        {disabledReason}
      </div>
    );
  }

  const describedBy = [fileError ? errorId : null, trimmed.length >= COUNTER_FROM ? counterId : null]
    .filter(Boolean)
    .join(' ');

  return (
    <form
      ref={form}
      onSubmit={onSubmit}
      className={`relative border-t border-gray-200 bg-white px-3 pt-2 pb-[max(0.5rem,env(safe-area-inset-bottom))] ${
        dragging ? 'bg-brand-50' : ''
      }`}
    >
      {dragging && (
        <p className="mb-2 rounded-lg border-2 border-dashed border-brand-500 p-3 text-center text-sm font-medium text-brand-700">
          Drop the file to send it
        </p>
      )}
      {upload && (
        <div className="mb-2 flex items-center gap-3 rounded-lg bg-gray-50 px-3 py-2 text-sm">
          <span className="min-w-0 flex-1">
            <span className="block truncate text-gray-700">Uploading {upload.fileName}</span>
            <progress
              className="mt-1 h-1.5 w-full overflow-hidden rounded-full [&::-moz-progress-bar]:bg-brand-600 [&::-webkit-progress-bar]:bg-gray-200 [&::-webkit-progress-value]:bg-brand-600"
              max={100}
              value={Math.round(upload.progress * 100)}
              aria-label={`Uploading ${upload.fileName}`}
            />
          </span>
          <button
            type="button"
            onClick={() => upload.controller.abort()}
            className="inline-flex h-11 w-11 items-center justify-center rounded-lg text-gray-500 hover:bg-gray-200"
            aria-label="Cancel upload"
          >
            <CloseIcon className="h-5 w-5" />
          </button>
        </div>
      )}
      {slash.list}
      {slash.status}
      {fileError && (
        <p id={errorId} role="alert" className="mb-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
          {fileError}
        </p>
      )}
      <div className="flex items-end gap-2">
        {onUpload && (
          <>
            <input
              ref={fileInput}
              type="file"
              className="sr-only"
              tabIndex={-1}
              accept={limits ? acceptAttribute(limits.allowedAttachmentTypes) : undefined}
              onChange={onFileChosen}
              disabled={!attachEnabled}
              aria-hidden="true"
              data-testid="composer-file-input"
              multiple
            />
            <button
              type="button"
              onClick={() => fileInput.current?.click()}
              disabled={!attachEnabled || upload !== null}
              className="inline-flex h-11 w-11 shrink-0 items-center justify-center rounded-full text-gray-600 hover:bg-gray-100 disabled:text-gray-300"
              aria-label="Attach a photo or file"
              title="Attach a photo or file"
            >
              <PaperclipIcon className="h-5 w-5" />
            </button>
          </>
        )}
        <label htmlFor={inputId} className="sr-only">
          Message
        </label>
        <textarea
          id={inputId}
          ref={textarea}
          rows={1}
          value={text}
          onChange={onChange}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onBlur={() => {
            stopTyping();
            slash.autocomplete.close();
          }}
          placeholder={placeholder}
          disabled={disabled}
          // biome-ignore lint/a11y/noAutofocus: opening a chat is a request to write in it
          autoFocus={autoFocus}
          aria-invalid={tooLong || undefined}
          aria-describedby={describedBy || undefined}
          {...(slash.enabled ? slash.autocomplete.comboboxProps : {})}
          className="max-h-40 min-h-11 min-w-0 flex-1 resize-none rounded-2xl border border-gray-300 bg-white px-4 py-2.5 text-base text-gray-900 placeholder:text-gray-400 focus:border-brand-500 focus:outline-none focus-visible:outline-2 focus-visible:outline-offset-0 sm:text-sm"
        />
        <button
          type="submit"
          disabled={!canSend}
          className="inline-flex h-11 w-11 shrink-0 items-center justify-center rounded-full bg-brand-600 text-white hover:bg-brand-700 disabled:bg-gray-200 disabled:text-gray-400"
          aria-label="Send message"
        >
          <SendIcon className="h-5 w-5" />
        </button>
      </div>
      <div className="flex min-h-5 items-center justify-between px-1 pt-1 text-xs text-gray-500">
        <span className="hidden sm:inline">
          Enter to send · Shift+Enter for a new line{slash.enabled ? ' · / for saved replies' : ''}
        </span>
        {trimmed.length >= COUNTER_FROM && (
          <span id={counterId} className={`ml-auto ${tooLong ? 'font-medium text-red-600' : 'text-gray-500'}`}>
            {tooLong
              ? `${trimmed.length - MAX_MESSAGE_LENGTH} characters over the limit`
              : `${trimmed.length} / ${MAX_MESSAGE_LENGTH}`}
          </span>
        )}
      </div>
    </form>
  );
}
