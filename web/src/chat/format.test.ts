import { describe, expect, it } from 'vitest';
import { formatDayLabel, formatFileSize, formatRelativeTime, initials } from './format';

const now = new Date(2025, 2, 10, 12, 0); // Monday 10 March 2025, 12:00 local time

describe('format', () => {
  it('gives compact relative times for list rows', () => {
    expect(formatRelativeTime(new Date(2025, 2, 10, 11, 59, 30).toISOString(), now, 'en')).toBe('now');
    expect(formatRelativeTime(new Date(2025, 2, 10, 11, 55).toISOString(), now, 'en')).toBe('5 min. ago');
    expect(formatRelativeTime(new Date(2025, 2, 9, 18, 0).toISOString(), now, 'en')).toBe('Yesterday');
    expect(formatRelativeTime(new Date(2025, 2, 6, 9, 0).toISOString(), now, 'en')).toBe('Thu');
    expect(formatRelativeTime(new Date(2025, 0, 2, 9, 0).toISOString(), now, 'en')).toBe('Jan 2');
    expect(formatRelativeTime(new Date(2024, 0, 2, 9, 0).toISOString(), now, 'en')).toBe('Jan 2, 2024');
  });

  it('labels days for separators', () => {
    expect(formatDayLabel(new Date(2025, 2, 10, 8, 0).toISOString(), now, 'en')).toBe('Today');
    expect(formatDayLabel(new Date(2025, 2, 9, 8, 0).toISOString(), now, 'en')).toBe('Yesterday');
    expect(formatDayLabel(new Date(2025, 2, 7, 8, 0).toISOString(), now, 'en')).toBe('Friday, March 7');
  });

  it('formats sizes and initials', () => {
    expect(formatFileSize(512)).toBe('512 B');
    expect(formatFileSize(1536)).toBe('1.5 KB');
    expect(formatFileSize(25 * 1024 * 1024)).toBe('25 MB');
    expect(initials('Dana van Driver')).toBe('DD');
    expect(initials('  ')).toBe('?');
  });
});
