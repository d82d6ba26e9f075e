import { describe, expect, it } from 'vitest';
import { acceptAttribute, checkAttachment, describeAllowedTypes, fileTypeOf } from './attachment-rules';

const file = (name: string, type: string, bytes: number) => new File([new Uint8Array(bytes)], name, { type });

describe('attachment rules', () => {
  const limits = { maxAttachmentSizeMB: 2, allowedAttachmentTypes: ['image/png' as const, 'application/pdf' as const] };

  it('accepts an allowed file within the size limit', () => {
    expect(checkAttachment(file('a.png', 'image/png', 1000), limits)).toEqual({ ok: true });
  });

  it('refuses empty, oversized and disallowed files with a clear message', () => {
    expect(checkAttachment(file('a.png', 'image/png', 0), limits)).toEqual({ ok: false, message: '"a.png" is empty.' });
    expect(checkAttachment(file('a.png', 'image/png', 3 * 1024 * 1024), limits)).toMatchObject({
      ok: false,
      message: expect.stringContaining('at most 2 MB'),
    });
    expect(checkAttachment(file('a.gif', 'image/gif', 10), limits)).toMatchObject({
      ok: false,
      message: expect.stringContaining('only PNG or PDF files are allowed'),
    });
  });

  it('derives a type from the extension when the browser gives none', () => {
    expect(fileTypeOf(file('scan.PDF', '', 10))).toBe('application/pdf');
    expect(fileTypeOf(file('unknown.xyz', '', 10))).toBe('');
  });

  it('builds the accept list and the human list of types', () => {
    expect(acceptAttribute(['image/jpeg', 'image/png', 'application/pdf'])).toBe('image/*,application/pdf,.pdf');
    expect(acceptAttribute(['application/pdf'])).toBe('application/pdf,.pdf');
    expect(describeAllowedTypes(['image/jpeg', 'image/png', 'application/pdf'])).toBe('JPG, PNG or PDF');
  });
});
