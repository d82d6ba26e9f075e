// Snooze presets, computed in the agent's browser timezone: the server stores an instant, so
// "tomorrow 9:00" means 9:00 where the agent sits.
import type { ConversationPriority, ConversationStatus } from '../../../../common/support';

export type SnoozePreset = { key: string; label: string; until: Date };

const at = (base: Date, dayOffset: number, hour: number) => {
  const date = new Date(base);
  date.setDate(date.getDate() + dayOffset);
  date.setHours(hour, 0, 0, 0);
  return date;
};

const TONIGHT_HOUR = 20;
const MORNING_HOUR = 9;

/** 1 hour, tonight (20:00, while still ahead), tomorrow 9:00, next Monday 9:00. */
export function snoozePresets(now: Date = new Date()): SnoozePreset[] {
  const presets: SnoozePreset[] = [{ key: 'hour', label: 'In 1 hour', until: new Date(now.getTime() + 3600_000) }];
  const tonight = at(now, 0, TONIGHT_HOUR);
  if (tonight.getTime() - now.getTime() > 3600_000) presets.push({ key: 'tonight', label: 'Tonight', until: tonight });
  presets.push({ key: 'tomorrow', label: 'Tomorrow', until: at(now, 1, MORNING_HOUR) });
  // Monday is day 1; from Monday itself, the next one is a week on.
  const daysToMonday = ((8 - now.getDay()) % 7) + (now.getDay() === 1 ? 7 : 0);
  presets.push({ key: 'week', label: 'Next week', until: at(now, daysToMonday, MORNING_HOUR) });
  return presets;
}

/** "Tue 09:00", or "Tue 28 Nov 09:00" when more than six days away. */
export function formatSnoozeTime(until: Date | string, now: Date = new Date()): string {
  const date = typeof until === 'string' ? new Date(until) : until;
  const far = date.getTime() - now.getTime() > 6 * 86_400_000;
  return date.toLocaleString(undefined, {
    weekday: 'short',
    ...(far ? { day: 'numeric', month: 'short' } : {}),
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** The value of a datetime-local input for a local time (to the second). */
export function toLocalInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(
    date.getMinutes(),
  )}:${pad(date.getSeconds())}`;
}

export const STATUS_LABELS: Record<ConversationStatus, string> = {
  open: 'Open',
  pending: 'Pending',
  snoozed: 'Snoozed',
  resolved: 'Resolved',
};

export const PRIORITY_LABELS: Record<ConversationPriority, string> = {
  none: 'No priority',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  urgent: 'Urgent',
};
