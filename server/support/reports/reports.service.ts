// Support reports over SupportConversationReport: one row of figures per conversation, kept up to
// date by database triggers (migration 20261128071000_reports), so that a report is one indexed
// scan of the period's conversations and never walks their messages. Definitions: replit.md.

import type { PoolClient } from 'pg';
import type { ReportFigures, ReportQuery, SupportReport } from '../../../common/reports.js';
import { type Db, poolOf } from '../../db/client.js';
import type { Principal } from '../../platform/auth/principal.js';
import { requirePermission } from '../../platform/rbac/rbac.js';
import type { RoutingService } from '../routing/routing.service.js';

type Bounds = { from: string; to: string; start: Date; end: Date };
type FigureRow = Record<string, unknown>;

/** The period's conversations after the filters ($1 start, $2 end, $3 userType, $4 adminId, $5 order-linked). */
const BASE = `base AS (
  SELECT r."conversationId", r."userType", r."adminId", r.status, r."createdAt", r."firstResponseAt",
         r."firstResolvedAt", r."lastResolvedAt", r."orderLinked", r.resolutions, r.reopens, r."messageCount", r.rating,
         EXTRACT(EPOCH FROM r."firstResponseAt" - r."createdAt")::float8 AS first_response_s,
         EXTRACT(EPOCH FROM r."firstResolvedAt" - r."createdAt")::float8 AS resolution_s
  FROM "SupportConversationReport" r
  WHERE r."createdAt" >= $1 AND r."createdAt" < $2
    AND ($3::"UserType" IS NULL OR r."userType" = $3::"UserType")
    AND ($4::uuid IS NULL OR r."adminId" = $4::uuid)
    AND ($5::boolean IS NULL OR r."orderLinked" = $5::boolean))`;

// One sort per duration gives both percentiles (the array form of percentile_cont).
const FIGURES = `count(*)::int AS created,
  count(*) FILTER (WHERE status = 'resolved')::int AS resolved,
  percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY first_response_s) AS frt,
  percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY resolution_s) AS res,
  (count(*) FILTER (WHERE reopens > 0))::float8 / NULLIF(count(*) FILTER (WHERE resolutions > 0), 0) AS reopen_rate,
  avg("messageCount")::float8 AS messages,
  avg(rating)::float8 AS csat_avg,
  count(rating)::int AS csat_count,
  ARRAY[count(*) FILTER (WHERE rating = 1), count(*) FILTER (WHERE rating = 2), count(*) FILTER (WHERE rating = 3),
        count(*) FILTER (WHERE rating = 4), count(*) FILTER (WHERE rating = 5)]::int[] AS csat_dist`;

/** Sort memory of one report query (see withSortMemory). */
const REPORT_WORK_MEM = '64MB';

/** GROUPING(day, "adminId", "userType"): which grouping set a row of the one report scan belongs to. */
const GROUP = { summary: 7, day: 3, agent: 5, userType: 6 } as const;

/** Every local day from `from` to `to` (YYYY-MM-DD, inclusive). */
function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

const round = (value: unknown, digits = 1) =>
  value === null || value === undefined ? null : Number(Number(value).toFixed(digits));

function figures(row: FigureRow | undefined): ReportFigures {
  return {
    created: Number(row?.created ?? 0),
    resolved: Number(row?.resolved ?? 0),
    firstResponseMedianSeconds: round((row?.frt as number[] | null)?.[0]),
    firstResponseP90Seconds: round((row?.frt as number[] | null)?.[1]),
    resolutionMedianSeconds: round((row?.res as number[] | null)?.[0]),
    resolutionP90Seconds: round((row?.res as number[] | null)?.[1]),
    reopenRate: round(row?.reopen_rate, 4),
    messagesPerConversation: round(row?.messages, 2),
    csatAverage: round(row?.csat_avg, 2),
    csatCount: Number(row?.csat_count ?? 0),
    csatDistribution: (row?.csat_dist as number[] | undefined) ?? [0, 0, 0, 0, 0],
  };
}

export const CSV_COLUMNS = [
  'conversationId',
  'userType',
  'orderLinked',
  'agentId',
  'agentName',
  'status',
  'createdAt',
  'firstResponseAt',
  'firstResolvedAt',
  'lastResolvedAt',
  'firstResponseSeconds',
  'resolutionSeconds',
  'reopens',
  'messageCount',
  'rating',
] as const;

// The CSV is written by PostgreSQL (one text value): no row objects or Date parsing in Node.
const csvText = (expr: string) => `COALESCE((${expr})::text, '')`;
const csvTime = (expr: string) => `COALESCE(to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '')`;
/** RFC 4180 quoting: only the agent's display name can hold a comma, a quote or a line break. */
const csvQuoted = (expr: string) =>
  `CASE WHEN ${expr} ~ '[",\r\n]' THEN '"' || replace(${expr}, '"', '""') || '"' ELSE COALESCE(${expr}, '') END`;
const CSV_CELLS = [
  csvText('base."conversationId"'),
  csvText('base."userType"'),
  csvText('base."orderLinked"'),
  csvText('base."adminId"'),
  csvQuoted('a."displayName"'),
  csvText('base.status'),
  csvTime('base."createdAt"'),
  csvTime('base."firstResponseAt"'),
  csvTime('base."firstResolvedAt"'),
  csvTime('base."lastResolvedAt"'),
  csvText('round(base.first_response_s::numeric, 3)'),
  csvText('round(base.resolution_s::numeric, 3)'),
  csvText('base.reopens'),
  csvText('base."messageCount"'),
  csvText('base.rating'),
];

export type ReportsService = ReturnType<typeof createReportsService>;

export function createReportsService(deps: { db: Db; routing: RoutingService }) {
  const pool = poolOf(deps.db);

  /**
   * A 30-day report sorts ~100k rows several ways (grouping sets, percentiles): with the default
   * work_mem (4 MB) those sorts spill to disk. This transaction may use more, for its sorts only.
   */
  async function withSortMemory<T>(run: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query(`BEGIN READ ONLY`);
      await client.query(`SET LOCAL work_mem = '${REPORT_WORK_MEM}'`);
      const result = await run(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** The period as local days in the viewer's timezone, and its instants [start, end). */
  async function bounds(query: ReportQuery): Promise<Bounds> {
    const days = { today: 1, '7d': 7, '30d': 30, custom: 0 }[query.period];
    const { rows } = await pool.query<{ from: string; to: string; start: Date; end: Date }>(
      `WITH d AS (
         SELECT COALESCE($2::date, (now() AT TIME ZONE $1)::date - ($4::int - 1)) AS from_day,
                COALESCE($3::date, (now() AT TIME ZONE $1)::date) AS to_day)
       SELECT to_char(from_day, 'YYYY-MM-DD') AS "from", to_char(to_day, 'YYYY-MM-DD') AS "to",
              from_day::timestamp AT TIME ZONE $1 AS start, (to_day + 1)::timestamp AT TIME ZONE $1 AS "end"
       FROM d`,
      [query.tz, query.period === 'custom' ? query.from : null, query.period === 'custom' ? query.to : null, days],
    );
    return rows[0] as Bounds;
  }

  const filterParams = (b: Bounds, q: ReportQuery) => [
    b.start,
    b.end,
    q.userType ?? null,
    q.adminId ?? null,
    q.order === undefined ? null : q.order === 'linked',
  ];

  async function report(query: ReportQuery) {
    const b = await bounds(query);
    const params = filterParams(b, query);
    // One scan of the period, grouped four ways at once.
    const { rows } = await withSortMemory((client) =>
      client.query(
        `WITH ${BASE}
       SELECT f.*, a."displayName" FROM (
         SELECT GROUPING(day, "adminId", "userType")::int AS grouping, to_char(day, 'YYYY-MM-DD') AS day,
                "adminId", "userType"::text AS "userType", ${FIGURES}
         FROM (SELECT *, ("createdAt" AT TIME ZONE $6)::date AS day FROM base) b
         GROUP BY GROUPING SETS ((), (day), ("adminId"), ("userType"))
       ) f LEFT JOIN "AdminProfile" a ON a.id = f."adminId"`,
        [...params, query.tz],
      ),
    );
    const of = (grouping: number) => rows.filter((row) => row.grouping === grouping);
    const byDay = new Map(of(GROUP.day).map((row) => [row.day as string, row]));
    return {
      bounds: b,
      summary: figures(of(GROUP.summary)[0]),
      byDay: daysBetween(b.from, b.to).map((day) => ({ day, ...figures(byDay.get(day)) })),
      byAgent: of(GROUP.agent)
        .sort(
          (x, y) => y.created - x.created || String(x.displayName ?? '~').localeCompare(String(y.displayName ?? '~')),
        )
        .map((row) => ({
          adminId: (row.adminId as string | null) ?? null,
          displayName: (row.displayName as string | null) ?? null,
          ...figures(row),
        })),
      byUserType: of(GROUP.userType)
        .sort((x, y) => String(x.userType).localeCompare(String(y.userType)))
        .map((row) => ({ userType: row.userType, ...figures(row) })),
    };
  }

  return {
    async report(principal: Principal, query: ReportQuery): Promise<SupportReport> {
      requirePermission(principal, 'SUPPORT_REPORTS');
      const [result, live] = await Promise.all([report(query), deps.routing.snapshot()]);
      const { bounds: b, ...rest } = result;
      return {
        period: { from: b.from, to: b.to, start: b.start.toISOString(), end: b.end.toISOString(), tz: query.tz },
        ...rest,
        live,
      };
    },

    /** The period's conversations, one CSV row each: ids, types, times, agent, status, rating; no text. */
    async csv(principal: Principal, query: ReportQuery): Promise<{ filename: string; body: string }> {
      requirePermission(principal, 'SUPPORT_REPORTS');
      const b = await bounds(query);
      const { rows } = await withSortMemory((client) =>
        client.query<{ body: string | null }>(
          `WITH ${BASE}
         SELECT string_agg(concat_ws(',', ${CSV_CELLS.join(', ')}), E'\r\n' ORDER BY base."createdAt", base."conversationId") AS body
         FROM base LEFT JOIN "AdminProfile" a ON a.id = base."adminId"`,
          filterParams(b, query),
        ),
      );
      const body = rows[0]?.body;
      return {
        filename: `support-report-${b.from}-to-${b.to}.csv`,
        body: `${CSV_COLUMNS.join(',')}\r\n${body ? `${body}\r\n` : ''}`,
      };
    },

    /**
     * The figures computed from scratch from what the conversations, messages and audit log hold
     * (the migration's backfill): a test compares them with the trigger-maintained rows.
     */
    async recomputeFromScratch() {
      const { rows } = await pool.query(`
        SELECT c.id AS "conversationId", c."userType"::text AS "userType", c."adminId", c."orderId" IS NOT NULL AS "orderLinked",
          c.status::text AS status, c."createdAt",
          (SELECT min(m."createdAt") FROM "SupportMessage" m WHERE m."conversationId" = c.id AND m."senderType" = 'admin') AS "firstResponseAt",
          COALESCE(a.resolutions, 0) AS resolutions,
          GREATEST(COALESCE(a.resolutions, 0) - CASE WHEN c.status = 'resolved' THEN 1 ELSE 0 END, 0) AS reopens,
          (SELECT count(*)::int FROM "SupportMessage" m WHERE m."conversationId" = c.id) AS "messageCount",
          (SELECT r.rating FROM "ConversationRating" r WHERE r."conversationId" = c.id ORDER BY r."resolvedAt" DESC LIMIT 1) AS rating
        FROM "SupportConversation" c
        LEFT JOIN LATERAL (
          SELECT count(*)::int AS resolutions FROM "AuditLog" l
          WHERE l."targetType" = 'SupportConversation' AND l."targetId" = c.id::text AND l.action = 'SUPPORT_CONVERSATION_RESOLVED'
        ) a ON true
        ORDER BY c.id`);
      return rows;
    },

    async maintained() {
      const { rows } = await pool.query(`
        SELECT "conversationId", "userType"::text AS "userType", "adminId", "orderLinked", status::text AS status, "createdAt",
          "firstResponseAt", resolutions, reopens, "messageCount", rating
        FROM "SupportConversationReport" ORDER BY "conversationId"`);
      return rows;
    },
  };
}
