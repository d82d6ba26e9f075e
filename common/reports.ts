// Support reports: the query (period, filters, the viewer's timezone) and the figures returned.
import { z } from 'zod';
import { UserType } from './enums.js';
import { TeamSnapshot } from './routing.js';

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};
const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD.');

export const REPORT_PERIODS = ['today', '7d', '30d', 'custom'] as const;
/** The longest custom period (days): keeps every report query to a bounded scan. */
export const MAX_REPORT_DAYS = 366;

export const ReportQuery = z
  .object({
    period: z.enum(REPORT_PERIODS).default('7d'),
    /** Custom period: first and last local day, inclusive. */
    from: LocalDate.optional(),
    to: LocalDate.optional(),
    /** The viewer's IANA timezone: "today" and the day buckets are days there. */
    tz: z.string().max(64).refine(isTimeZone, 'Unknown timezone.').default('UTC'),
    userType: UserType.optional(),
    adminId: z.string().uuid().optional(),
    order: z.enum(['linked', 'unlinked']).optional(),
  })
  .refine((q) => q.period !== 'custom' || (q.from && q.to), {
    message: 'A custom period needs from and to.',
    path: ['from'],
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to.', path: ['to'] })
  .refine((q) => !q.from || !q.to || (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_REPORT_DAYS, {
    message: `At most ${MAX_REPORT_DAYS} days.`,
    path: ['to'],
  });
export type ReportQuery = z.infer<typeof ReportQuery>;

/** Durations are seconds; null where no conversation of the group has one. */
export const ReportFigures = z.object({
  created: z.number().int(),
  resolved: z.number().int(),
  firstResponseMedianSeconds: z.number().nullable(),
  firstResponseP90Seconds: z.number().nullable(),
  resolutionMedianSeconds: z.number().nullable(),
  resolutionP90Seconds: z.number().nullable(),
  /** Reopened at least once / resolved at least once (0..1). */
  reopenRate: z.number().nullable(),
  messagesPerConversation: z.number().nullable(),
  csatAverage: z.number().nullable(),
  csatCount: z.number().int(),
  /** Number of conversations rated 1, 2, 3, 4, 5 (index 0 is 1 star). */
  csatDistribution: z.array(z.number().int()).length(5),
});
export type ReportFigures = z.infer<typeof ReportFigures>;

export const SupportReport = z.object({
  period: z.object({ from: z.string(), to: z.string(), start: z.string(), end: z.string(), tz: z.string() }),
  summary: ReportFigures,
  byDay: z.array(ReportFigures.extend({ day: z.string() })),
  byAgent: z.array(ReportFigures.extend({ adminId: z.string().nullable(), displayName: z.string().nullable() })),
  byUserType: z.array(ReportFigures.extend({ userType: UserType })),
  live: TeamSnapshot,
});
export type SupportReport = z.infer<typeof SupportReport>;
