// Sanitising of everything users type (spec section 7: "All messages sanitized").
// Message bodies and subjects are plain text: no HTML survives, in any encoding, while ordinary
// text such as "a < b", "<3" or "5'10\"" is kept as typed. Clients must still render it as text.
import path from 'node:path';
import { decodeHTML } from 'entities';
import sanitizeHtml from 'sanitize-html';
import { ErrorCode } from '../../common/errors.js';
import { KNOWN_ATTACHMENT_TYPES } from '../../common/settings.js';
import { AppError, errors } from '../errors.js';

/** C0/C1 controls except tab and newline. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/**
 * Characters that hide or reorder text (zero-width space, word joiners, BOM, bidi embeddings,
 * overrides and isolates), used to spoof what a message or file name says. Zero-width joiners
 * stay: emoji sequences and some scripts need them.
 */
const INVISIBLE_CHARACTERS = /[\u200B\u2060-\u2064\uFEFF\u202A-\u202E\u2066-\u2069]/g;
/**
 * Half of a surrogate pair with no other half: not text. PostgreSQL would store U+FFFD for it
 * while the response echoed it, so it becomes U+FFFD here, once (String#toWellFormed, ES2024).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/**
 * Something a reader can see: not white space, not a format or control character, not a
 * default-ignorable one (joiners, fillers, variation selectors alone display nothing).
 */
const VISIBLE_CHARACTER = /[^\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
/** Anything a browser could read as the start of a tag, comment or processing instruction. */
const TAG_START = /<[A-Za-z!/?]/;

function stripTags(text: string): string {
  return sanitizeHtml(text, { allowedTags: [], allowedAttributes: {}, disallowedTagsMode: 'discard' });
}

/**
 * Removes markup until none is left: sanitize-html escapes the text it keeps, and decoding that
 * may reveal a tag that was entity-encoded (`&lt;script&gt;`), so strip and decode repeat.
 */
function toPlainText(text: string): string {
  // Without "<" there is no tag and without "&" no entity: the text is already plain (most
  // messages; the HTML parser was a measurable part of a send's CPU).
  if (!/[<&]/.test(text)) return text;
  let current = text;
  for (let round = 0; round < 5; round++) {
    const next = decodeHTML(stripTags(current));
    if (next === current && !TAG_START.test(next)) return next;
    current = next;
  }
  // Pathological nesting: drop every "<" that could still open a tag.
  return current.replace(/<(?=[A-Za-z!/?])/g, '');
}

/** True when the text shows nothing: only spaces, joiners and other invisible characters. */
export function isInvisible(text: string): boolean {
  return !VISIBLE_CHARACTER.test(text);
}

export function cleanText(raw: string): string {
  const normalised = raw
    .replace(LONE_SURROGATE, '\uFFFD')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL_CHARACTERS, '')
    .replace(INVISIBLE_CHARACTERS, '');
  return toPlainText(normalised)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A message body ready to store; throws MESSAGE_EMPTY / MESSAGE_TOO_LONG. */
export function sanitizeMessageBody(raw: string, maxLength: number): string {
  const body = cleanText(raw);
  if (isInvisible(body)) throw new AppError(400, ErrorCode.MESSAGE_EMPTY, 'Write a message first.');
  if (body.length > maxLength) {
    throw new AppError(400, ErrorCode.MESSAGE_TOO_LONG, `Messages can be at most ${maxLength} characters long.`);
  }
  return body;
}

/** A one-line subject, or null when nothing is left of it. */
export function sanitizeSubject(raw: string | undefined, maxLength: number): string | null {
  if (raw === undefined) return null;
  const subject = cleanText(raw).replace(/\s+/g, ' ');
  if (subject.length > maxLength) {
    throw errors.validation(`The topic can be at most ${maxLength} characters long.`, {
      fieldErrors: { subject: [`At most ${maxLength} characters.`] },
    });
  }
  return isInvisible(subject) ? null : subject;
}

const MAX_FILE_NAME_LENGTH = 100;

/**
 * A file name fit for display and for Content-Disposition: the last path segment only, no
 * control or invisible characters, no characters that are special in file systems, limited in
 * length, and with an extension that matches the type detected from the content.
 */
export function sanitizeFileName(raw: string, detectedMime: string): string {
  const type = KNOWN_ATTACHMENT_TYPES.find((known) => known.mime === detectedMime);
  const base = path.win32.basename(path.posix.basename(raw.normalize('NFC')));
  let name = cleanText(base)
    .replace(/[\n\t]/g, ' ')
    .replace(/[<>:"/\\|?*]/g, '_')
    // Nothing but an extension left (".png"): give it a name rather than turning it into "png".
    .replace(/^\.(?=[^.]+$)/, 'attachment.')
    .replace(/^[.\s]+|[.\s]+$/g, '');
  const extension = path.extname(name).slice(1).toLowerCase();
  if (type && !(type.extensions as readonly string[]).includes(extension)) {
    name = `${name || 'attachment'}.${type.extensions[0]}`;
  }
  const stem = name.slice(0, name.length - path.extname(name).length) || 'attachment';
  const ext = path.extname(name);
  return `${stem.slice(0, MAX_FILE_NAME_LENGTH - ext.length)}${ext}`;
}
