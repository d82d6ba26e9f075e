// Routing: who answers a conversation (see replit.md, "Routing").
//
// Presence. Every server process has a node id and a heartbeat row (SupportNodeHeartbeat),
// refreshed every second, and one AgentConnection row per agent with support sockets on it (the
// socket count, and when the last one closed). An agent is connected while some row counts sockets
// on a process whose heartbeat is fresher than the grace period, or closed its last socket less
// than the grace period ago: a reload or a network blip changes nothing, and a crashed process's
// sockets stop counting once its heartbeat is older than the grace period. The effective status
// (AdminProfile.presence) is the chosen availability while connected, else offline.
//
// Decisions. One sweep, run by every process every second and at once when something changes
// (a new conversation, a socket, a resolve, a capacity), makes every decision in one transaction
// under one advisory lock, so processes never decide concurrently: presence, then the open
// conversations of agents who went offline back to the queue, then reopened conversations, then
// the queue (open and unassigned, oldest queuedAt first) to online agents with spare capacity,
// least loaded first, ties to whoever received one longest ago. Nothing waits in a timer only: a
// sweep derives everything from the database, so a missed trigger is caught by the next one.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { AgentAvailability, TeamAgent, TeamSnapshot } from '../../../common/routing.js';
import { isDatabaseUnavailable, reportDatabaseFault } from '../../db/availability.js';
import { type Db, Prisma, poolOf } from '../../db/client.js';
import { errors } from '../../errors.js';
import { AuditAction, type AuditService } from '../../platform/audit/audit.service.js';
import type { AdminPrincipal, Principal } from '../../platform/auth/principal.js';
import { hasPermission, requirePermission } from '../../platform/rbac/rbac.js';
import type { SettingsService } from '../../platform/settings/settings.service.js';
import { conversationViews } from '../conversation-queries.js';
import { createKeyedQueue } from '../keyed-queue.js';
import { requireSupportAdmin } from '../policies.js';
import type { SupportEvents } from '../support-events.js';
import { wakeSnoozed } from '../workflow/workflow.service.js';

/** Serialises every assignment decision across processes (the sweep and manual assignment). */
export const ROUTING_LOCK = 'support:auto-assign';
export const SWEEP_INTERVAL_MS = 1000;
/** Conversations assigned by one sweep, at most (the next sweep goes on). */
const MAX_ASSIGNMENTS_PER_SWEEP = 500;
/** Team snapshots go out at most this often per process (a burst of changes makes one). */
const TEAM_PUBLISH_DELAY_MS = 100;
/** Heartbeats of processes gone this long are deleted, with their connection rows. */
const STALE_NODE_SECONDS = 3600;

export type AssignReason = 'auto' | 'manual' | 'requeued' | 'reopened';

/** The SQL for "this admin may be routed to": holds SUPPORT_CHAT and the account is active. */
const SUPPORT_AGENT = `'SUPPORT_CHAT' = ANY(r.permissions) AND u."isActive"`;

type Candidate = { id: string; open: number; capacity: number; lastAssignedAt: Date | null };

/** Least loaded first, then the one who received a conversation longest ago, then by id. */
const byRoutingOrder = (a: Candidate, b: Candidate) =>
  a.open - b.open ||
  (a.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY) -
    (b.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY) ||
  (a.id < b.id ? -1 : 1);

export type RoutingService = ReturnType<typeof createRoutingService>;

export function createRoutingService(deps: {
  db: Db;
  audit: AuditService;
  settings: SettingsService;
  events: SupportEvents;
  logger: Logger;
}) {
  const { db, logger } = deps;
  const pool = poolOf(db);
  const nodeId = randomUUID();
  const socketCounts = new Map<string, number>();
  const perAdmin = createKeyedQueue();
  let stopped = false;
  let ticker: ReturnType<typeof setInterval> | undefined;
  let ticks = 0;

  // ---------------------------------------------------------------------------------------------
  // Presence: this process's heartbeat and its support sockets per agent
  // ---------------------------------------------------------------------------------------------

  async function heartbeat() {
    await pool.query(
      `INSERT INTO "SupportNodeHeartbeat" ("nodeId", "seenAt") VALUES ($1, now())
       ON CONFLICT ("nodeId") DO UPDATE SET "seenAt" = now()`,
      [nodeId],
    );
    if (ticks++ % 60 === 0) {
      await pool.query(
        `WITH gone AS (DELETE FROM "SupportNodeHeartbeat" WHERE "seenAt" < now() - make_interval(secs => $1) RETURNING "nodeId")
         DELETE FROM "AgentConnection" WHERE "nodeId" IN (SELECT "nodeId" FROM gone)`,
        [STALE_NODE_SECONDS],
      );
    }
  }

  /** Writes this process's current socket count for the agent (in order, per agent). */
  function recordSockets(adminId: string) {
    return perAdmin(adminId, async () => {
      if (stopped) return;
      await pool.query(
        `INSERT INTO "AgentConnection" ("adminId", "nodeId", "socketCount", "lastSeenAt") VALUES ($1, $2, $3, now())
         ON CONFLICT ("adminId", "nodeId") DO UPDATE SET "socketCount" = EXCLUDED."socketCount", "lastSeenAt" = now()`,
        [adminId, nodeId, socketCounts.get(adminId) ?? 0],
      );
    });
  }

  /** A support socket opened (support admins only count); returns the function for its close. */
  function socketOpened(principal: Principal): (() => void) | undefined {
    if (!hasPermission(principal, 'SUPPORT_CHAT')) return undefined;
    const { adminId } = principal;
    socketCounts.set(adminId, (socketCounts.get(adminId) ?? 0) + 1);
    recordSockets(adminId)
      .then(() => kick())
      .catch((error) => logFailure(error, 'recording a support socket'));
    return () => {
      const left = (socketCounts.get(adminId) ?? 1) - 1;
      if (left > 0) socketCounts.set(adminId, left);
      else socketCounts.delete(adminId);
      // No kick: the grace period runs from now, and the sweeps notice when it ends.
      recordSockets(adminId).catch((error) => logFailure(error, 'recording a closed support socket'));
    };
  }

  function logFailure(error: unknown, what: string) {
    if (isDatabaseUnavailable(error)) reportDatabaseFault(logger, what, error);
    else logger.error({ err: error }, `${what} failed`);
  }

  // ---------------------------------------------------------------------------------------------
  // The sweep
  // ---------------------------------------------------------------------------------------------

  type SweepResult = { changedConversations: string[]; presenceChanged: boolean };

  async function sweep(): Promise<SweepResult> {
    const started = performance.now();
    const settings = await deps.settings.getSupport();
    const client = await pool.connect();
    const changed = new Set<string>();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [ROUTING_LOCK]);
      // From here on the sweep reads: a change committed from now on needs the next sweep.
      runningJoinable = false;
      const locked = performance.now();

      // 1. Presence.
      const { rows: presence } = await client.query<{ id: string; after: AgentAvailability }>({
        name: 'routing-presence',
        text: `WITH seen AS (
                 SELECT c."adminId",
                        max(CASE WHEN c."socketCount" > 0 THEN n."seenAt" ELSE c."lastSeenAt" END) AS at
                 FROM "AgentConnection" c LEFT JOIN "SupportNodeHeartbeat" n ON n."nodeId" = c."nodeId"
                 GROUP BY c."adminId"
               ), computed AS (
                 SELECT a.id, a.presence AS before,
                        CASE WHEN s.at > now() - make_interval(secs => $1) THEN a.availability
                             ELSE 'offline'::"AgentAvailability" END AS after
                 FROM "AdminProfile" a LEFT JOIN seen s ON s."adminId" = a.id
               )
               UPDATE "AdminProfile" a SET presence = computed.after
               FROM computed WHERE a.id = computed.id AND computed.before <> computed.after
               RETURNING a.id, computed.after`,
        values: [settings.agentOfflineGraceSeconds],
      });

      if (settings.autoAssignAdmin) {
        // 2. The open conversations of agents who went offline wait in the queue again.
        const wentOffline = presence.filter((p) => p.after === 'offline').map((p) => p.id);
        if (wentOffline.length > 0) {
          const { rows } = await client.query<{ id: string }>(
            `UPDATE "SupportConversation" SET "adminId" = NULL, "queuedAt" = now(), "queueReason" = 'requeued', "updatedAt" = now()
             WHERE status = 'open' AND "adminId" = ANY($1::uuid[]) RETURNING id`,
            [wentOffline],
          );
          for (const row of rows) changed.add(row.id);
        }
      }

      for (const id of await wakeSnoozed(client)) changed.add(id); // 2b. Snoozes that ended (workflow/).
      // 3. Reopened by the user: the previous agent keeps it only if online with spare capacity.
      const { rows: reopened } = await client.query<{
        id: string;
        adminId: string | null;
        keep: boolean;
      }>({
        name: 'routing-reopened',
        text: `SELECT c.id, c."adminId",
                      (a.presence = 'online' AND
                       (SELECT count(*) FROM "SupportConversation" o WHERE o."adminId" = a.id AND o.status = 'open' AND o.id <> c.id)
                         < COALESCE(a."maxOpenConversations", $1)) IS TRUE AS keep
               FROM "SupportConversation" c LEFT JOIN "AdminProfile" a ON a.id = c."adminId"
               WHERE c."reopenPending" FOR UPDATE OF c`,
        values: [settings.maxOpenConversationsPerAgent],
      });
      for (const row of reopened) {
        const requeue = settings.autoAssignAdmin && !row.keep;
        await client.query(
          requeue
            ? `UPDATE "SupportConversation" SET "reopenPending" = false, "adminId" = NULL, "queuedAt" = now(),
                 "queueReason" = 'auto', "updatedAt" = now() WHERE id = $1`
            : `UPDATE "SupportConversation" SET "reopenPending" = false WHERE id = $1`,
          [row.id],
        );
        if (requeue) changed.add(row.id);
        else if (settings.autoAssignAdmin && row.adminId) {
          await insertAudit(client, [{ conversationId: row.id, adminId: row.adminId, reason: 'reopened' }]);
        }
      }

      // 4. The queue, oldest first, to online agents with spare capacity.
      if (settings.autoAssignAdmin) {
        for (const id of await drainQueue(client, settings.maxOpenConversationsPerAgent)) changed.add(id);
      }
      await client.query('COMMIT');
      if (changed.size > 0 || presence.length > 0) {
        // Ids and timings only (bench/routing.ts reads these at LOG_LEVEL=debug).
        logger.debug(
          {
            routingSweep: { waitMs: locked - started, decideMs: performance.now() - locked, changed: changed.size },
          },
          'routing sweep',
        );
      }
      return { changedConversations: [...changed], presenceChanged: presence.length > 0 };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async function drainQueue(pg: PoolClient, defaultCapacity: number) {
    const { rows: agents } = await pg.query<Candidate>({
      name: 'routing-candidates',
      text: `SELECT a.id, a."lastAssignedAt", COALESCE(a."maxOpenConversations", $1)::int AS capacity,
                    (SELECT count(*)::int FROM "SupportConversation" c WHERE c."adminId" = a.id AND c.status = 'open') AS open
             FROM "AdminProfile" a JOIN "AdminRole" r ON r.id = a."roleId" JOIN "User" u ON u.id = a."userId"
             WHERE a.presence = 'online' AND ${SUPPORT_AGENT}`,
      values: [defaultCapacity],
    });
    const spare = agents.reduce((sum, agent) => sum + Math.max(0, agent.capacity - agent.open), 0);
    if (spare === 0) return [];
    const { rows: queue } = await pg.query<{ id: string; queueReason: string }>({
      name: 'routing-queue',
      text: `SELECT id, "queueReason" FROM "SupportConversation" WHERE status = 'open' AND "adminId" IS NULL
             ORDER BY "queuedAt", id LIMIT $1`,
      values: [Math.min(spare, MAX_ASSIGNMENTS_PER_SWEEP)],
    });
    if (queue.length === 0) return [];
    const started = Date.now();
    const decisions = queue.flatMap((item, index) => {
      const chosen = agents.filter((agent) => agent.open < agent.capacity).sort(byRoutingOrder)[0];
      if (!chosen) return [];
      chosen.open += 1;
      // Later decisions of one sweep count as later (the round-robin tie-break).
      chosen.lastAssignedAt = new Date(started + index);
      const reason: AssignReason = item.queueReason === 'requeued' ? 'requeued' : 'auto';
      return [{ conversationId: item.id, adminId: chosen.id, assignedAt: chosen.lastAssignedAt, reason }];
    });
    const { rows } = await pg.query<{ id: string }>({
      name: 'routing-assign',
      text: `WITH input AS (
               SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS t(conversation_id, admin_id, assigned_at)
             ), assigned AS (
               UPDATE "SupportConversation" c SET "adminId" = i.admin_id, "updatedAt" = now()
               FROM input i WHERE c.id = i.conversation_id AND c."adminId" IS NULL AND c.status = 'open'
               RETURNING c.id
             ), touched AS (
               UPDATE "AdminProfile" a SET "lastAssignedAt" = latest.at
               FROM (SELECT i.admin_id, max(i.assigned_at) AS at FROM input i JOIN assigned ON assigned.id = i.conversation_id
                     GROUP BY i.admin_id) latest
               WHERE a.id = latest.admin_id
             )
             SELECT id FROM assigned`,
      values: [
        decisions.map((d) => d.conversationId),
        decisions.map((d) => d.adminId),
        decisions.map((d) => d.assignedAt),
      ],
    });
    const done = new Set(rows.map((row) => row.id));
    await insertAudit(
      pg,
      decisions.filter((d) => done.has(d.conversationId)),
    );
    return [...done];
  }

  /** SUPPORT_CONVERSATION_ASSIGNED records for decisions of the sweep (actor: system). */
  async function insertAudit(
    client: PoolClient,
    decisions: { conversationId: string; adminId: string; reason: AssignReason }[],
  ) {
    if (decisions.length === 0) return;
    const records = decisions.map((d) =>
      deps.audit.prepare(
        AuditAction.SUPPORT_CONVERSATION_ASSIGNED,
        'system',
        { type: 'SupportConversation', id: d.conversationId },
        {
          conversationId: d.conversationId,
          adminId: d.adminId,
          previousAdminId: null,
          autoAssigned: true,
          reason: d.reason,
        },
      ),
    );
    await client.query({
      name: 'routing-audit',
      text: `INSERT INTO "AuditLog" (action, "actorType", "actorId", "targetType", "targetId", metadata)
             SELECT $1, 'system', NULL, 'SupportConversation', t.target_id, t.metadata
             FROM unnest($2::text[], $3::jsonb[]) AS t(target_id, metadata)`,
      values: [
        AuditAction.SUPPORT_CONVERSATION_ASSIGNED,
        records.map((r) => r.targetId),
        records.map((r) => JSON.stringify(r.metadata)),
      ],
    });
  }

  /** Publishes what a sweep changed: each conversation to both sides, and the team. */
  async function publish(result: SweepResult) {
    if (result.changedConversations.length > 0) {
      for (const view of await conversationViews(db, result.changedConversations)) {
        deps.events.publish('conversationUpdated', { conversation: view });
      }
    }
    if (result.changedConversations.length > 0 || result.presenceChanged) teamChanged();
  }

  // One sweep at a time per process. Every caller of kick() waits for a sweep that reads the
  // database after its call, so it sees the caller's change: the running one while it still waits
  // for the lock (it reads only after), else one more right after it.
  let running: Promise<void> | null = null;
  let runningJoinable = false;
  let next: Promise<void> | null = null;

  function kick(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running && runningJoinable) return running;
    if (next) return next;
    const run = async () => {
      runningJoinable = true;
      const result = await sweep();
      await publish(result);
    };
    if (!running) {
      running = run().finally(() => {
        running = null;
      });
      return running;
    }
    next = running
      .catch(() => {})
      .then(() => {
        next = null;
        running = run().finally(() => {
          running = null;
        });
        return running;
      });
    return next;
  }

  // ---------------------------------------------------------------------------------------------
  // The team at a glance
  // ---------------------------------------------------------------------------------------------

  async function snapshot(): Promise<TeamSnapshot> {
    const { maxOpenConversationsPerAgent } = await deps.settings.getSupport();
    const [agents, queue] = await Promise.all([
      db.$queryRaw<(TeamAgent & { capacity: number })[]>`
        SELECT a.id AS "adminId", a."displayName", a.presence::text AS status, a.availability::text AS chosen,
               COALESCE(a."maxOpenConversations", ${maxOpenConversationsPerAgent})::int AS capacity,
               a."maxOpenConversations" IS NOT NULL AS "capacityOverridden",
               (SELECT count(*)::int FROM "SupportConversation" c WHERE c."adminId" = a.id AND c.status = 'open') AS open
        FROM "AdminProfile" a JOIN "AdminRole" r ON r.id = a."roleId" JOIN "User" u ON u.id = a."userId"
        WHERE ${Prisma.raw(SUPPORT_AGENT)}
        ORDER BY a."displayName", a.id`,
      db.$queryRaw<{ length: number; oldest: Date | null; at: Date }[]>`
        SELECT count(*)::int AS length, min("queuedAt") AS oldest, now() AS at
        FROM "SupportConversation" WHERE status = 'open' AND "adminId" IS NULL`,
    ]);
    const [waiting] = queue;
    return {
      agents,
      queue: { length: waiting?.length ?? 0, oldestQueuedAt: waiting?.oldest?.toISOString() ?? null },
      at: (waiting?.at ?? new Date()).toISOString(),
    };
  }

  let teamTimer: ReturnType<typeof setTimeout> | undefined;
  /** Something that the team strip shows changed: publish a snapshot soon (coalesced). */
  function teamChanged() {
    if (teamTimer || stopped) return;
    teamTimer = setTimeout(() => {
      teamTimer = undefined;
      snapshot()
        .then((team) => deps.events.publish('teamUpdated', { team }))
        .catch((error) => logFailure(error, 'publishing the team'));
    }, TEAM_PUBLISH_DELAY_MS);
  }

  /** For manual assignment, inside its transaction and under ROUTING_LOCK: may this agent take more? */
  async function agentState(tx: Prisma.TransactionClient, adminId: string) {
    const { maxOpenConversationsPerAgent } = await deps.settings.getSupport();
    const [row] = await tx.$queryRaw<{ presence: AgentAvailability; open: number; capacity: number }[]>`
      SELECT a.presence::text AS presence, COALESCE(a."maxOpenConversations", ${maxOpenConversationsPerAgent})::int AS capacity,
             (SELECT count(*)::int FROM "SupportConversation" c WHERE c."adminId" = a.id AND c.status = 'open') AS open
      FROM "AdminProfile" a WHERE a.id = ${adminId}::uuid`;
    return row;
  }

  async function requireRoutableAgent(adminId: string) {
    const [agent] = await db.$queryRaw<{ id: string }[]>`
      SELECT a.id FROM "AdminProfile" a JOIN "AdminRole" r ON r.id = a."roleId" JOIN "User" u ON u.id = a."userId"
      WHERE a.id = ${adminId}::uuid AND ${Prisma.raw(SUPPORT_AGENT)}`;
    if (!agent) throw errors.notFound('Support agent');
  }

  return {
    nodeId,
    kick,
    teamChanged,
    /** The team and the queue now, unauthorised: for callers that authorised already (reports). */
    snapshot,
    socketOpened,
    agentState,
    lockDecisions: (tx: Prisma.TransactionClient) =>
      tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${ROUTING_LOCK}))`,

    async team(principal: Principal): Promise<TeamSnapshot> {
      requireSupportAdmin(principal);
      return snapshot();
    },

    /** The agent's own availability; the effective status follows at once if connected. */
    async setAvailability(principal: Principal, availability: AgentAvailability): Promise<TeamAgent> {
      const admin = requireSupportAdmin(principal);
      await db.adminProfile.update({ where: { id: admin.adminId }, data: { availability } });
      await kick();
      teamChanged();
      const me = (await snapshot()).agents.find((agent) => agent.adminId === admin.adminId);
      if (!me) throw errors.notFound('Support agent');
      return me;
    },

    /** A lead (SETTINGS_MANAGE) overrides one agent's capacity; null restores the setting. */
    async setCapacity(principal: Principal, adminId: string, maxOpenConversations: number | null): Promise<TeamAgent> {
      const lead: AdminPrincipal = requirePermission(principal, 'SETTINGS_MANAGE');
      await requireRoutableAgent(adminId);
      await db.$transaction(async (tx) => {
        await tx.adminProfile.update({ where: { id: adminId }, data: { maxOpenConversations } });
        await deps.audit.log(
          AuditAction.SUPPORT_AGENT_CAPACITY_SET,
          lead,
          { type: 'AdminProfile', id: adminId },
          { adminId, maxOpenConversations },
          tx,
        );
      });
      await kick();
      teamChanged();
      const agent = (await snapshot()).agents.find((a) => a.adminId === adminId);
      if (!agent) throw errors.notFound('Support agent');
      return agent;
    },

    /** Starts the heartbeat and the periodic sweep (every process runs both). */
    async start() {
      await heartbeat();
      ticker = setInterval(() => {
        heartbeat()
          .then(() => kick())
          .catch((error) => logFailure(error, 'routing sweep'));
      }, SWEEP_INTERVAL_MS);
      ticker.unref();
    },

    /** A clean stop: this process's sockets stop counting from now (the grace period applies). */
    async stop() {
      stopped = true;
      clearInterval(ticker);
      clearTimeout(teamTimer);
      await running?.catch(() => {});
      await pool
        .query(
          `UPDATE "AgentConnection" SET "socketCount" = 0, "lastSeenAt" = now() WHERE "nodeId" = $1 AND "socketCount" > 0`,
          [nodeId],
        )
        .catch((error) => logFailure(error, 'closing the routing node'));
    },
  };
}
