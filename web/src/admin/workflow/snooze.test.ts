import { describe, expect, it } from 'vitest';
import { snoozePresets, toLocalInputValue } from './snooze';

// Local times: the presets follow the browser's timezone, whatever it is.
const local = (y: number, m: number, d: number, h: number, min = 0) => new Date(y, m - 1, d, h, min);

describe('snooze presets', () => {
  it('on a Wednesday afternoon: in 1 hour, tonight 20:00, tomorrow 9:00, next Monday 9:00', () => {
    const now = local(2026, 11, 25, 14, 30); // a Wednesday
    const presets = Object.fromEntries(snoozePresets(now).map((p) => [p.key, p.until]));
    expect(presets).toEqual({
      hour: local(2026, 11, 25, 15, 30),
      tonight: local(2026, 11, 25, 20),
      tomorrow: local(2026, 11, 26, 9),
      week: local(2026, 11, 30, 9),
    });
  });

  it('late in the evening there is no "tonight"; on a Monday "next week" is seven days on', () => {
    const mondayEvening = local(2026, 11, 30, 19, 30);
    const presets = snoozePresets(mondayEvening);
    expect(presets.map((p) => p.key)).toEqual(['hour', 'tomorrow', 'week']);
    expect(presets.find((p) => p.key === 'week')?.until).toEqual(local(2026, 12, 7, 9));
  });

  it('on a Sunday, next week is the next day', () => {
    expect(snoozePresets(local(2026, 11, 29, 10)).find((p) => p.key === 'week')?.until).toEqual(local(2026, 11, 30, 9));
  });

  it('formats a local time for a datetime-local input, to the second', () => {
    expect(toLocalInputValue(new Date(2026, 0, 5, 7, 8, 9))).toBe('2026-01-05T07:08:09');
  });
});
