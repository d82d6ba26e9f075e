// Routing (see replit.md, "Routing"): agent availability, the team at a glance, capacity overrides.
import { z } from 'zod';
import { MAX_AGENT_CAPACITY } from './settings.js';

/** online: takes new chats; away: working, takes none; offline: not working. */
export const AgentAvailability = z.enum(['online', 'away', 'offline'], {
  error: 'Choose online, away or offline.',
});
export type AgentAvailability = z.infer<typeof AgentAvailability>;

export const SetAvailabilityBody = z.object({ availability: AgentAvailability });
export type SetAvailabilityBody = z.infer<typeof SetAvailabilityBody>;

export const AgentCapacityBody = z.object({
  /** null: the maxOpenConversationsPerAgent setting applies. */
  maxOpenConversations: z
    .number({ error: 'Enter a number of conversations, or null for the default.' })
    .int('Use a whole number of conversations.')
    .min(1, 'An agent must be able to take at least 1 conversation.')
    .max(MAX_AGENT_CAPACITY, `The limit can be at most ${MAX_AGENT_CAPACITY} conversations.`)
    .nullable(),
});
export type AgentCapacityBody = z.infer<typeof AgentCapacityBody>;

export const TeamAgent = z.object({
  adminId: z.string().uuid(),
  displayName: z.string(),
  /** The effective status: offline while no support socket is connected (after the grace period). */
  status: AgentAvailability,
  /** The status the agent chose last; restored when they connect again. */
  chosen: AgentAvailability,
  open: z.number().int(),
  capacity: z.number().int(),
  /** True when a lead set this agent's capacity (else the setting applies). */
  capacityOverridden: z.boolean(),
});
export type TeamAgent = z.infer<typeof TeamAgent>;

export const TeamSnapshot = z.object({
  agents: z.array(TeamAgent),
  queue: z.object({ length: z.number().int(), oldestQueuedAt: z.string().nullable() }),
  /** The server's clock when the snapshot was taken, for waiting times. */
  at: z.string(),
});
export type TeamSnapshot = z.infer<typeof TeamSnapshot>;
