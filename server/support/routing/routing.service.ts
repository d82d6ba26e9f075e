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
// (a new conversation, a socket, a resolve, a capacity), makes every decision in one statement
// (the SQL function support_routing_round) under one advisory lock, so processes never decide
// concurrently and the lock is never held across a round trip: presence, then the open
// conversations of agents who went offline back to the queue, then reopened conversations, then
// the queue (open and unassigned, oldest queuedAt first) to online agents with spare capacity,
// least loaded first, ties to whoever received one longest ago. Nothing waits in a timer only: a
// sweep derives everything from the database, so a missed trigger is caught by the next one.
import { randomUUID } from 'node:crypto';
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
import { isQueued, type SupportEvents } from '../support-events.js';
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

/** The SQL for "this admin may be routed to": holds SUPPORT_CHAT and the account is active (as in support_routing_round). */
const SUPPORT_AGENT = `'SUPPORT_CHAT' = ANY(r.permissions) AND u."isActive"`;

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

  /**
   * One decision round: support_routing_round() (migration 20261128084000_routing_round) does it
   * all in one statement under ROUTING_LOCK, in the order the header describes, and returns what
   * changed. One statement means the lock is never held across a round trip to this process.
   */
  async function sweep(): Promise<SweepResult> {
    // Snoozes that ended go back to open and reopenPending (workflow/), so the round below settles
    // them like a user's reopen. One conditional UPDATE: exactly once across processes. It needs no
    // setting, so it runs beside reading them (one wait for the database instead of two).
    const [settings, woken] = await Promise.all([deps.settings.getSupport(), wakeSnoozed(pool)]);
    const { rows } = await pool.query<{
      presence_changed: string[];
      changed_conversations: string[];
      lock_wait_ms: number;
      decide_ms: number;
    }>({
      name: 'routing-round',
      text: 'SELECT * FROM support_routing_round($1, $2, $3, $4)',
      values: [
        settings.agentOfflineGraceSeconds,
        settings.autoAssignAdmin,
        settings.maxOpenConversationsPerAgent,
        MAX_ASSIGNMENTS_PER_SWEEP,
      ],
    });
    const [round] = rows;
    const changedConversations = [...new Set([...woken, ...(round?.changed_conversations ?? [])])];
    const presenceChanged = (round?.presence_changed.length ?? 0) > 0;
    if (round && (changedConversations.length > 0 || presenceChanged)) {
      // Ids and timings only (bench/routing.ts reads these at LOG_LEVEL=debug).
      logger.debug(
        {
          routingSweep: { waitMs: round.lock_wait_ms, decideMs: round.decide_ms, changed: changedConversations.length },
        },
        'routing sweep',
      );
    }
    return { changedConversations, presenceChanged };
  }

  /** Publishes what a sweep changed: each conversation to both sides, and the team. */
  async function publish(result: SweepResult) {
    if (result.changedConversations.length > 0) {
      for (const view of await conversationViews(db, result.changedConversations)) {
        deps.events.publish('conversationUpdated', { conversation: view });
        // Returned (its agent went offline), reopened or woken with nobody to take it: queued.
        if (isQueued(view)) deps.events.publish('conversationQueued', { conversation: view });
      }
    }
    if (result.changedConversations.length > 0 || result.presenceChanged) teamChanged();
  }

  // Publishing reads the changed conversations' views: it runs behind the rounds, in their order,
  // and the next round does not wait for it (a caller of kick() needs the decision, not the event).
  let publishing: Promise<void> = Promise.resolve();
  function publishInOrder(result: SweepResult) {
    publishing = publishing
      .then(() => publish(result))
      .catch((error) => logFailure(error, 'publishing routing decisions'));
  }

  // One round at a time per process. A caller of kick() has committed its change, and needs a
  // round whose statement starts after that: the next one. Callers during a round share the one
  // that follows it.
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;

  function kick(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (next) return next;
    const run = () => {
      running = sweep()
        .then(publishInOrder)
        .finally(() => {
          running = null;
        });
      return running;
    };
    if (!running) return run();
    next = running
      .catch(() => {})
      .then(() => {
        next = null;
        return run();
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
      await publishing;
      await pool
        .query(
          `UPDATE "AgentConnection" SET "socketCount" = 0, "lastSeenAt" = now() WHERE "nodeId" = $1 AND "socketCount" > 0`,
          [nodeId],
        )
        .catch((error) => logFailure(error, 'closing the routing node'));
    },
  };
}
