// Client-side checks of a file against the support settings, so a person learns at once that a
// file is too big or of a type support does not accept (the server checks again, by content).

import type { AttachmentLimits } from '../../../common/settings';
import { IMAGE_MIME_TYPES, KNOWN_ATTACHMENT_TYPES } from '../../../common/settings';
import { formatFileSize } from './format';

const MB = 1024 * 1024;

/** The file's type: the browser's MIME type, or one derived from its extension when the browser gave none. */
export function fileTypeOf(file: File): string {
  if (file.type) return file.type.toLowerCase();
  const extension = file.name.split('.').pop()?.toLowerCase() ?? '';
  return KNOWN_ATTACHMENT_TYPES.find((type) => (type.extensions as readonly string[]).includes(extension))?.mime ?? '';
}

/** "JPEG, PNG or PDF" */
export function describeAllowedTypes(allowed: readonly string[]): string {
  const names = allowed.map((mime) => {
    const known = KNOWN_ATTACHMENT_TYPES.find((type) => type.mime === mime);
    return known ? (known.extensions[0] ?? mime).toUpperCase() : mime;
  });
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/**
 * The file input's `accept`: "image/*" when any image type is allowed (so phones offer the
 * camera and the gallery), plus every other allowed MIME type and its extensions.
 */
export function acceptAttribute(allowed: readonly string[]): string {
  const parts: string[] = [];
  if (allowed.some((mime) => IMAGE_MIME_TYPES.includes(mime))) parts.push('image/*');
  for (const mime of allowed) {
    if (IMAGE_MIME_TYPES.includes(mime)) continue;
    parts.push(mime);
    const known = KNOWN_ATTACHMENT_TYPES.find((type) => type.mime === mime);
    for (const extension of known?.extensions ?? []) parts.push(`.${extension}`);
  }
  return parts.join(',');
}

export type FileCheck = { ok: true } | { ok: false; message: string };

export function checkAttachment(file: File, limits: AttachmentLimits): FileCheck {
  if (file.size === 0) return { ok: false, message: `"${file.name}" is empty.` };
  const type = fileTypeOf(file);
  if (!(limits.allowedAttachmentTypes as readonly string[]).includes(type)) {
    return {
      ok: false,
      message: `"${file.name}" can't be sent: only ${describeAllowedTypes(limits.allowedAttachmentTypes)} files are allowed.`,
    };
  }
  if (file.size > limits.maxAttachmentSizeMB * MB) {
    return {
      ok: false,
      message: `"${file.name}" is ${formatFileSize(file.size)}; files can be at most ${limits.maxAttachmentSizeMB} MB.`,
    };
  }
  return { ok: true };
}
