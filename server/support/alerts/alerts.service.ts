// Agents' alert preferences (SUPPORT_CHAT): for each kind of alert (a conversation entering the
// queue, a user's message in my conversation, a mention of me) whether the dashboard shows a
// browser notification, plays a sound and counts it in the tab title. Who is alerted is decided
// in the browser from the socket events the agent already receives (the server sends each agent
// only what they may see); the server keeps the switches, so they follow the agent to any browser.
//
// A personal preference, like a user's notification channels: not audited (it changes nothing
// anyone else sees). Identity comes from the token only; there is no way to name another agent.
import {
  ALERT_CHANNELS,
  ALERT_KINDS,
  type AlertChannel,
  type AlertKind,
  type AlertPreferences,
  DEFAULT_ALERT_PREFERENCES,
  type UpdateAlertPreferences,
} from '../../../common/alerts.js';
import type { Db, Prisma } from '../../db/client.js';
import type { Principal } from '../../platform/auth/principal.js';
import { requireSupportAdmin } from '../policies.js';

type Row = Prisma.AgentAlertPreferenceGetPayload<object>;
/** The column of one switch: queuedNotification, messageSound, mentionTitle, ... */
type Column = `${AlertKind}${Capitalize<AlertChannel>}`;

const column = (kind: AlertKind, channel: AlertChannel) =>
  `${kind}${channel[0]?.toUpperCase()}${channel.slice(1)}` as Column;

function toPreferences(row: Row | null): AlertPreferences {
  if (!row) return structuredClone(DEFAULT_ALERT_PREFERENCES);
  const result = structuredClone(DEFAULT_ALERT_PREFERENCES);
  for (const kind of ALERT_KINDS) {
    for (const channel of ALERT_CHANNELS) result[kind][channel] = row[column(kind, channel)];
  }
  return result;
}

export type AlertsService = ReturnType<typeof createAlertsService>;

export function createAlertsService(deps: { db: Db }) {
  const { db } = deps;
  return {
    async preferences(principal: Principal): Promise<AlertPreferences> {
      const admin = requireSupportAdmin(principal);
      return toPreferences(await db.agentAlertPreference.findUnique({ where: { adminId: admin.adminId } }));
    },

    /** Changes only the switches given; the others keep their value (or default). One upsert. */
    async updatePreferences(principal: Principal, changes: UpdateAlertPreferences): Promise<AlertPreferences> {
      const admin = requireSupportAdmin(principal);
      const data: Partial<Record<Column, boolean>> = {};
      for (const kind of ALERT_KINDS) {
        for (const channel of ALERT_CHANNELS) {
          const value = changes[kind]?.[channel];
          if (value !== undefined) data[column(kind, channel)] = value;
        }
      }
      const row = await db.agentAlertPreference.upsert({
        where: { adminId: admin.adminId },
        create: { adminId: admin.adminId, ...data },
        update: { ...data, updatedAt: new Date() },
      });
      return toPreferences(row);
    },
  };
}
