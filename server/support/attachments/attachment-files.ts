// What an uploaded file is, decided from its bytes alone, and the safe copy that gets stored.
// The client's file name extension and Content-Type are never trusted.
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { ErrorCode } from '../../../common/errors.js';
import { IMAGE_MIME_TYPES, KNOWN_ATTACHMENT_TYPES } from '../../../common/settings.js';
import { AppError } from '../../errors.js';

const notAllowed = (message: string) => new AppError(415, ErrorCode.ATTACHMENT_TYPE_NOT_ALLOWED, message);

/** The detected MIME type, if it is a known safe type that the settings allow. */
export async function detectAllowedType(data: Buffer, allowedTypes: readonly string[]): Promise<string> {
  const detected = await fileTypeFromBuffer(data);
  const known = KNOWN_ATTACHMENT_TYPES.some((type) => type.mime === detected?.mime);
  if (!detected || !known || !allowedTypes.includes(detected.mime)) {
    const labels = KNOWN_ATTACHMENT_TYPES.filter((type) => allowedTypes.includes(type.mime)).map((type) => type.label);
    throw notAllowed(`This type of file can't be sent. Allowed: ${labels.join(', ')}.`);
  }
  return detected.mime;
}

export type PreparedFile = {
  data: Buffer;
  mime: string;
  thumbnail: Buffer | null;
  width: number | null;
  height: number | null;
};

const SHARP_FORMAT: Record<string, 'jpeg' | 'png' | 'webp' | 'gif'> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

/** Refuse images that would take too much memory to decode (decompression bombs). */
const MAX_INPUT_PIXELS = 50_000_000;
const THUMBNAIL_SIZE = 320;

/**
 * Images are decoded and encoded again: this drops every metadata block (EXIF with GPS position,
 * camera serials, XMP, comments) and anything appended to the pixels, and applies the EXIF
 * orientation first so that the photo still shows the right way up. Other files are kept as sent.
 */
export async function prepareFile(data: Buffer, mime: string): Promise<PreparedFile> {
  if (!IMAGE_MIME_TYPES.includes(mime)) return { data, mime, thumbnail: null, width: null, height: null };
  const format = SHARP_FORMAT[mime];
  try {
    const animated = mime === 'image/gif' || mime === 'image/webp';
    const source = () => sharp(data, { animated, limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
    const metadata = await source().metadata();
    if (metadata.format !== format) throw new Error(`content is ${metadata.format}, not ${format}`);
    // Animated images carry no EXIF orientation; rotating them frame by frame is not supported.
    const oriented = animated ? source() : source().rotate();
    const { data: clean, info } = await oriented.toFormat(format ?? 'jpeg').toBuffer({ resolveWithObject: true });
    const thumbnail = await sharp(data, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 78 })
      .toBuffer();
    const height = animated && info.pageHeight ? info.pageHeight : info.height;
    return { data: clean, mime, thumbnail, width: info.width, height };
  } catch {
    throw notAllowed('This image could not be read. Try another photo.');
  }
}
