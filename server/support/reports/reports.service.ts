// Support reports over SupportConversationReport: one row of figures per conversation, kept up to
// date by database triggers (migrations 20261128071000_reports, 20261128081000_report_daily), so a
// report reads the period's rows (counts) and index ranges of their durations (exact percentiles),
// never their messages. Definitions and the reasons for this shape: replit.md#support-reports.

import type { PoolClient } from 'pg';
import type { UserType } from '../../../common/enums.js';
import type { ReportFigures, ReportQuery, SupportReport } from '../../../common/reports.js';
import { type Db, poolOf } from '../../db/client.js';
import type { Principal } from '../../platform/auth/principal.js';
import { requirePermission } from '../../platform/rbac/rbac.js';
import type { RoutingService } from '../routing/routing.service.js';

type Bounds = { from: string; to: string; start: Date; end: Date; edges: Date[] };
type FigureRow = Record<string, unknown>;

/** The filters other than the period ($3 userType, $4 adminId, $5 order-linked) on report rows `r`. */
const FILTERS = `($3::"UserType" IS NULL OR r."userType" = $3::"UserType")
    AND ($4::uuid IS NULL OR r."adminId" = $4::uuid)
    AND ($5::boolean IS NULL OR r."orderLinked" = $5::boolean)`;

/** The period's report rows after the filters ($1 start, $2 end). */
const PERIOD = `FROM "SupportConversationReport" r
  WHERE r."createdAt" >= $1 AND r."createdAt" < $2 AND ${FILTERS}`;

/**
 * Counts and sums: one pass over the period's rows into cells by day, agent, user type and each
 * counted attribute (status, reopened, resolved once, rating), counting rows and summing messages
 * per cell (hashing a row into its cell is cheaper than a dozen filtered counts per row); then the
 * cells, a few thousand at most, summed four ways. $6: the local midnights (see bounds).
 */
const COUNTS = `WITH cells AS (
    SELECT width_bucket(r."createdAt", $6::timestamptz[]) AS day, r."adminId", r."userType", r.status,
      r.reopens > 0 AS reopened, r.resolutions > 0 AS resolved_once, r.rating,
      count(*) AS n, sum(r."messageCount") AS messages
    ${PERIOD}
    GROUP BY 1, 2, 3, 4, 5, 6, 7)
  SELECT GROUPING(day, "adminId", "userType")::int AS grouping, day, "adminId", "userType"::text AS "userType",
    sum(n)::int AS created, COALESCE(sum(n) FILTER (WHERE status = 'resolved'), 0)::int AS resolved,
    COALESCE(sum(n) FILTER (WHERE reopened), 0)::float8 / NULLIF(sum(n) FILTER (WHERE resolved_once), 0) AS reopen_rate,
    sum(messages)::float8 / sum(n) AS messages,
    sum(n * rating)::float8 / NULLIF(sum(n) FILTER (WHERE rating IS NOT NULL), 0) AS csat_avg,
    COALESCE(sum(n) FILTER (WHERE rating IS NOT NULL), 0)::int AS csat_count,
    ARRAY[COALESCE(sum(n) FILTER (WHERE rating = 1), 0), COALESCE(sum(n) FILTER (WHERE rating = 2), 0),
          COALESCE(sum(n) FILTER (WHERE rating = 3), 0), COALESCE(sum(n) FILTER (WHERE rating = 4), 0),
          COALESCE(sum(n) FILTER (WHERE rating = 5), 0)]::int[] AS csat_dist
  FROM cells GROUP BY GROUPING SETS ((), (day), ("adminId"), ("userType"))`;

/** GROUPING(day, "adminId", "userType") of COUNTS: which grouping a row belongs to. */
const GROUP = { summary: 7, day: 3, agent: 5, userType: 6 } as const;

/**
 * Median and 90th percentile of both durations (exact: percentile_cont, one sort per duration) of
 * the report rows `r` a WHERE clause selects. Each group's rows are found by a range of one of the
 * report indexes, which hold the durations, so the group is read from the index alone and only its
 * own durations are sorted (no sort of the whole period by group first).
 */
const percentilesOf = (where: string) => `SELECT
    percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY r."firstResponseSeconds") AS frt,
    percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY r."resolutionSeconds") AS res
  FROM "SupportConversationReport" r WHERE ${where} AND ${FILTERS}`;
const IN_PERIOD = `r."createdAt" >= $1 AND r."createdAt" < $2`;

/** Percentiles of the whole period. */
const SUMMARY_PERCENTILES = percentilesOf(IN_PERIOD);

/** Percentiles of each local day ($6: day starts, $7: day ends). */
const DAY_PERCENTILES = `SELECT d.day::int, p.* FROM unnest($6::timestamptz[], $7::timestamptz[]) WITH ORDINALITY d(s, e, day)
  CROSS JOIN LATERAL (${percentilesOf(`r."createdAt" >= d.s AND r."createdAt" < d.e AND ${IN_PERIOD}`)}) p`;

/** Percentiles per agent (the unassigned as adminId null), and the agents' names. */
const AGENT_PERCENTILES = `SELECT a.id AS "adminId", a."displayName", p.*
  FROM "AdminProfile" a CROSS JOIN LATERAL (${percentilesOf(`r."adminId" = a.id AND ${IN_PERIOD}`)}) p
  WHERE $4::uuid IS NULL OR a.id = $4::uuid
  UNION ALL
  SELECT NULL, NULL, p.* FROM (${percentilesOf(`r."adminId" IS NULL AND ${IN_PERIOD}`)}) p`;

const USER_TYPE_PERCENTILES = `SELECT t::text AS "userType", p.*
  FROM unnest(enum_range(NULL::"UserType")) t CROSS JOIN LATERAL (${percentilesOf(`r."userType" = t AND ${IN_PERIOD}`)}) p`;

/** Sort memory of one report statement (see readTogether). */
const REPORT_WORK_MEM = '64MB';

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

/** One group's figures from its COUNTS row and its percentiles row. */
function figures(row: FigureRow | undefined, durations: FigureRow | undefined): ReportFigures {
  return {
    created: Number(row?.created ?? 0),
    resolved: Number(row?.resolved ?? 0),
    firstResponseMedianSeconds: round((durations?.frt as number[] | null)?.[0]),
    firstResponseP90Seconds: round((durations?.frt as number[] | null)?.[1]),
    resolutionMedianSeconds: round((durations?.res as number[] | null)?.[0]),
    resolutionP90Seconds: round((durations?.res as number[] | null)?.[1]),
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

// Each CSV line is written by PostgreSQL (one text value per row): no row objects or Date parsing in Node.
const csvText = (expr: string) => `COALESCE((${expr})::text, '')`;
const csvTime = (expr: string) => `COALESCE(to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '')`;
/** RFC 4180 quoting: only the agent's display name can hold a comma, a quote or a line break. */
const csvQuoted = (expr: string) =>
  `CASE WHEN ${expr} ~ '[",\r\n]' THEN '"' || replace(${expr}, '"', '""') || '"' ELSE COALESCE(${expr}, '') END`;
const CSV_CELLS = [
  csvText('r."conversationId"'),
  csvText('r."userType"'),
  csvText('r."orderLinked"'),
  csvText('r."adminId"'),
  csvQuoted('a."displayName"'),
  csvText('r.status'),
  csvTime('r."createdAt"'),
  csvTime('r."firstResponseAt"'),
  csvTime('r."firstResolvedAt"'),
  csvTime('r."lastResolvedAt"'),
  csvText('round(r."firstResponseSeconds"::numeric, 3)'),
  csvText('round(r."resolutionSeconds"::numeric, 3)'),
  csvText('r.reopens'),
  csvText('r."messageCount"'),
  csvText('r.rating'),
];
/** CSV rows per cursor fetch: ~0.5 MB per chunk written to the response. */
const CSV_BATCH = 5000;

export type ReportsService = ReturnType<typeof createReportsService>;

export function createReportsService(deps: { db: Db; routing: RoutingService }) {
  const pool = poolOf(deps.db);
  // One report at a time per process: each holds several pool connections at once (readTogether),
  // and two reports each waiting for the other's connections must not starve the pool.
  let reportQueue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(run: () => Promise<T>): Promise<T> => {
    const result = reportQueue.then(run, run);
    reportQueue = result.catch(() => undefined);
    return result;
  };

  /**
   * Runs read-only statements at once, each on its own connection, over ONE snapshot (exported by
   * the first, imported by the others), so that the summary, the days, the agents and the user
   * types of one report agree with each other. A 30-day report sorts ~100k rows per grouping (by
   * group, then by each duration for the percentiles); on separate connections PostgreSQL uses the
   * machine's cores for them, and the larger work_mem keeps those sorts in memory. It takes at most
   * one connection fewer than the pool has (DATABASE_POOL_SIZE); with fewer connections than
   * statements, statements share a connection and run one after the other on it.
   */
  async function readTogether<T extends unknown[]>(
    statements: { [K in keyof T]: (client: PoolClient) => Promise<T[K]> },
  ) {
    const connections = Math.max(1, Math.min(statements.length, (pool.options.max ?? 10) - 1));
    const clients: PoolClient[] = [];
    try {
      while (clients.length < connections) clients.push(await pool.connect());
      const begin = `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`;
      const [first, ...rest] = clients as [PoolClient, ...PoolClient[]];
      // One round trip each (several statements in one simple query).
      const opened = (await first.query(
        `${begin}; SET LOCAL work_mem = '${REPORT_WORK_MEM}'; SELECT pg_export_snapshot() AS id`,
      )) as unknown as { rows: { id: string }[] }[];
      const snapshot = String(opened[2]?.rows[0]?.id).replace(/[^0-9A-F-]/gi, '');
      await Promise.all(
        rest.map((client) =>
          client.query(`${begin}; SET TRANSACTION SNAPSHOT '${snapshot}'; SET LOCAL work_mem = '${REPORT_WORK_MEM}'`),
        ),
      );
      // A shared connection runs its statements one after the other (each waits for the one before).
      const turns: Promise<unknown>[] = clients.map(() => Promise.resolve());
      const results = await Promise.all(
        statements.map((statement, i) => {
          const slot = i % clients.length;
          const run = (turns[slot] as Promise<unknown>).then(() => statement(clients[slot] as PoolClient));
          turns[slot] = run.catch(() => undefined);
          return run;
        }),
      );
      await Promise.all(clients.map((client) => client.query('COMMIT')));
      return results as T;
    } catch (error) {
      await Promise.all(clients.map((client) => client.query('ROLLBACK').catch(() => undefined)));
      throw error;
    } finally {
      for (const client of clients) client.release();
    }
  }

  /**
   * The period as local days in the viewer's timezone, its instants [start, end), and the instants
   * of every local midnight from start to end (day n of the period is [edges[n-1], edges[n]): a
   * row's day is then a binary search among them, not a timezone conversion per row).
   */
  async function bounds(query: ReportQuery): Promise<Bounds> {
    const days = { today: 1, '7d': 7, '30d': 30, custom: 0 }[query.period];
    const { rows } = await pool.query<Bounds>(
      `WITH d AS (
         SELECT COALESCE($2::date, (now() AT TIME ZONE $1)::date - ($4::int - 1)) AS from_day,
                COALESCE($3::date, (now() AT TIME ZONE $1)::date) AS to_day)
       SELECT to_char(from_day, 'YYYY-MM-DD') AS "from", to_char(to_day, 'YYYY-MM-DD') AS "to",
              from_day::timestamp AT TIME ZONE $1 AS start, (to_day + 1)::timestamp AT TIME ZONE $1 AS "end",
              ARRAY(SELECT day::timestamp AT TIME ZONE $1 FROM generate_series(from_day, to_day + 1, interval '1 day') day
                    ORDER BY day) AS edges
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
    const rows = async (client: PoolClient, sql: string, values: unknown[]) => (await client.query(sql, values)).rows;
    // Counts, the period's percentiles, the days', the agents' and user types': at once.
    const [counts, [summary], days, [agents, userTypes]] = await oneAtATime(() =>
      readTogether<[FigureRow[], FigureRow[], FigureRow[], [FigureRow[], FigureRow[]]]>([
        (client) => rows(client, COUNTS, [...params, b.edges]),
        (client) => rows(client, SUMMARY_PERCENTILES, params),
        (client) => rows(client, DAY_PERCENTILES, [...params, b.edges.slice(0, -1), b.edges.slice(1)]),
        async (client) => [
          await rows(client, AGENT_PERCENTILES, params),
          await rows(client, USER_TYPE_PERCENTILES, params),
        ],
      ]),
    );
    const of = (grouping: number) => counts.filter((row) => row.grouping === grouping);
    const dayCounts = new Map(of(GROUP.day).map((row) => [Number(row.day), row]));
    const dayDurations = new Map(days.map((row) => [Number(row.day), row]));
    const agentDurations = new Map(agents.map((row) => [row.adminId as string | null, row]));
    const typeDurations = new Map(userTypes.map((row) => [row.userType as string, row]));
    return {
      bounds: b,
      summary: figures(of(GROUP.summary)[0], summary),
      byDay: daysBetween(b.from, b.to).map((day, i) => ({
        day,
        ...figures(dayCounts.get(i + 1), dayDurations.get(i + 1)),
      })),
      byAgent: of(GROUP.agent)
        .map((row) => {
          const adminId = (row.adminId as string | null) ?? null;
          const durations = agentDurations.get(adminId);
          return {
            adminId,
            displayName: (durations?.displayName as string | null) ?? null,
            ...figures(row, durations),
          };
        })
        .sort((x, y) => y.created - x.created || (x.displayName ?? '~').localeCompare(y.displayName ?? '~')),
      byUserType: of(GROUP.userType)
        .sort((x, y) => String(x.userType).localeCompare(String(y.userType)))
        .map((row) => ({
          userType: row.userType as UserType,
          ...figures(row, typeDurations.get(row.userType as string)),
        })),
    };
  }

  /**
   * The CSV lines of the period, oldest first, read through a cursor in batches (the creation-time
   * index gives the order, so nothing is sorted or held whole): the response starts at once and
   * the server's memory does not grow with the period.
   */
  async function* csvLines(b: Bounds, query: ReportQuery): AsyncGenerator<string> {
    const client = await pool.connect();
    let failed: unknown;
    let open = true;
    try {
      // A download that stops reading holds this connection; PostgreSQL ends it after a minute idle.
      await client.query(`BEGIN READ ONLY; SET LOCAL idle_in_transaction_session_timeout = '60s'`);
      await client.query(
        `DECLARE report_csv NO SCROLL CURSOR FOR
         SELECT concat_ws(',', ${CSV_CELLS.join(', ')}) AS line
         FROM "SupportConversationReport" r LEFT JOIN "AdminProfile" a ON a.id = r."adminId"
         WHERE r."createdAt" >= $1 AND r."createdAt" < $2 AND ${FILTERS}
         ORDER BY r."createdAt", r."conversationId"`,
        filterParams(b, query),
      );
      yield `${CSV_COLUMNS.join(',')}\r\n`;
      for (;;) {
        const { rows } = await client.query<{ line: string }>(`FETCH ${CSV_BATCH} FROM report_csv`);
        if (rows.length > 0) yield `${rows.map((row) => row.line).join('\r\n')}\r\n`;
        if (rows.length < CSV_BATCH) break;
      }
      await client.query('COMMIT');
      open = false;
    } catch (error) {
      failed = error;
      throw error;
    } finally {
      // Also when the download is abandoned (the generator is returned early): the transaction and
      // its cursor end with the session's ROLLBACK; a connection that failed is not reused.
      if (open && !failed) await client.query('ROLLBACK').catch(() => undefined);
      client.release(failed instanceof Error ? failed : undefined);
    }
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
    async csv(principal: Principal, query: ReportQuery): Promise<{ filename: string; lines: AsyncGenerator<string> }> {
      requirePermission(principal, 'SUPPORT_REPORTS');
      const b = await bounds(query);
      return { filename: `support-report-${b.from}-to-${b.to}.csv`, lines: csvLines(b, query) };
    },

    /**
     * The figures computed from scratch from what the conversations, messages, ratings and audit log
     * hold: a test compares them with the trigger-maintained rows. The resolution times come from the
     * audit log here, whose entry is written a moment after the conversation's resolvedAt: compare them
     * within a second.
     */
    async recomputeFromScratch() {
      const { rows } = await pool.query(`
        SELECT c.id AS "conversationId", c."userType"::text AS "userType", c."adminId", c."orderId" IS NOT NULL AS "orderLinked",
          c.status::text AS status, c."createdAt", m."firstResponseAt",
          date_part('epoch', m."firstResponseAt" - c."createdAt") AS "firstResponseSeconds",
          a.first_resolved AS "firstResolvedAt", a.last_resolved AS "lastResolvedAt",
          date_part('epoch', a.first_resolved - c."createdAt") AS "resolutionSeconds",
          COALESCE(a.resolutions, 0) AS resolutions,
          GREATEST(COALESCE(a.resolutions, 0) - CASE WHEN c.status = 'resolved' THEN 1 ELSE 0 END, 0) AS reopens,
          COALESCE(m."messageCount", 0) AS "messageCount",
          (SELECT r.rating FROM "ConversationRating" r WHERE r."conversationId" = c.id ORDER BY r."resolvedAt" DESC LIMIT 1) AS rating
        FROM "SupportConversation" c
        LEFT JOIN LATERAL (
          SELECT count(*)::int AS "messageCount", min(m."createdAt") FILTER (WHERE m."senderType" = 'admin') AS "firstResponseAt"
          FROM "SupportMessage" m WHERE m."conversationId" = c.id
        ) m ON true
        LEFT JOIN LATERAL (
          SELECT count(*)::int AS resolutions, min(l."createdAt") AS first_resolved, max(l."createdAt") AS last_resolved
          FROM "AuditLog" l
          WHERE l."targetType" = 'SupportConversation' AND l."targetId" = c.id::text AND l.action = 'SUPPORT_CONVERSATION_RESOLVED'
        ) a ON true
        ORDER BY c.id`);
      return rows;
    },

    async maintained() {
      const { rows } = await pool.query(`
        SELECT "conversationId", "userType"::text AS "userType", "adminId", "orderLinked", status::text AS status, "createdAt",
          "firstResponseAt", "firstResponseSeconds", "firstResolvedAt", "lastResolvedAt", "resolutionSeconds",
          resolutions, reopens, "messageCount", rating
        FROM "SupportConversationReport" ORDER BY "conversationId"`);
      return rows;
    },
  };
}
