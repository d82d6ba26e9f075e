// Wire contract of agents' alerts (support admins only): which alerts each agent wants, and how.
//
// Three kinds of alert: `queued` (a conversation entered the routing queue: open, unassigned,
// waiting), `message` (a user wrote in a conversation assigned to me), `mention` (a colleague
// @mentioned me in an internal note). Each has three channels: a browser `notification`, a short
// `sound` and the count in the tab `title`. Stored per agent on the server (AgentAlertPreference).
import { z } from 'zod';

export const ALERT_KINDS = ['queued', 'message', 'mention'] as const;
export const AlertKind = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKind>;

export const ALERT_CHANNELS = ['notification', 'sound', 'title'] as const;
export const AlertChannel = z.enum(ALERT_CHANNELS);
export type AlertChannel = z.infer<typeof AlertChannel>;

export const AlertChannels = z.object({ notification: z.boolean(), sound: z.boolean(), title: z.boolean() });
export type AlertChannels = z.infer<typeof AlertChannels>;

export const AlertPreferences = z.object({ queued: AlertChannels, message: AlertChannels, mention: AlertChannels });
export type AlertPreferences = z.infer<typeof AlertPreferences>;

/** Until an agent changes something: everything on, except a sound for every queued conversation (busy queues). */
export const DEFAULT_ALERT_PREFERENCES: AlertPreferences = {
  queued: { notification: true, sound: false, title: true },
  message: { notification: true, sound: true, title: true },
  mention: { notification: true, sound: true, title: true },
};

const ChannelChanges = z.strictObject({
  notification: z.boolean().optional(),
  sound: z.boolean().optional(),
  title: z.boolean().optional(),
});

/** PUT body: only the switches that change, e.g. `{ message: { sound: false } }`; at least one. */
export const UpdateAlertPreferences = z
  .strictObject({
    queued: ChannelChanges.optional(),
    message: ChannelChanges.optional(),
    mention: ChannelChanges.optional(),
  })
  .refine((changes) => Object.values(changes).some((kind) => kind && Object.keys(kind).length > 0), {
    message: 'Change at least one switch.',
  });
export type UpdateAlertPreferences = z.infer<typeof UpdateAlertPreferences>;
