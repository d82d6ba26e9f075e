// Which live events alert an agent, the suppression for the conversation on screen, the
// per-channel switches and the tab title's count (decide.ts).
import { describe, expect, it } from 'vitest';
import { type AlertPreferences, DEFAULT_ALERT_PREFERENCES } from '../../../../common/alerts';
import type { NoteDto } from '../../../../common/notes';
import { makeConversation, makeMessage, uuid } from '../../test/fixtures';
import {
  type AlertContext,
  addPending,
  alertFor,
  channelsFor,
  clearConversation,
  type Pending,
  settleConversation,
  titleCount,
  titleText,
} from './decide';

const me = uuid();
const colleague = uuid();
const away: AlertContext = { adminId: me, openConversationId: null, tabVisible: true };
const user = { displayName: 'Liam Patel', email: 'liam@example.com', phone: null };

const mine = makeConversation({ adminId: me, unreadCount: 1, user: { ...user } as never });
const userMessage = (conversation = mine) =>
  ({ type: 'message', message: makeMessage({ conversationId: conversation.id }), conversation }) as const;
const queued = makeConversation({ user: { ...user } as never });
const note = (overrides: Partial<NoteDto> = {}): NoteDto => ({
  id: uuid(),
  conversationId: mine.id,
  seq: 1,
  authorAdminId: colleague,
  authorName: 'Sofia Reyes',
  body: 'secret plan',
  mentions: [{ adminId: me, displayName: 'Marcus Lee' }],
  clientNoteId: null,
  createdAt: '2025-03-10T10:01:00.000Z',
  ...overrides,
});
const mention = (overrides: Partial<NoteDto> = {}) =>
  ({ type: 'mention', event: { note: note(overrides), userName: 'Liam Patel' } }) as const;

describe('alertFor: which events alert', () => {
  it("alerts for a user's message in my conversation, naming the user but never quoting the text", () => {
    const alert = alertFor(userMessage(), away);
    expect(alert).toMatchObject({ kind: 'message', conversationId: mine.id, title: 'New message from Liam Patel' });
    expect(JSON.stringify(alert)).not.toContain('Hello');
  });

  it("stays silent for my own or a colleague's reply, and for other agents' or unassigned conversations", () => {
    const reply = makeMessage({ conversationId: mine.id, senderType: 'admin', senderAdminId: colleague });
    expect(alertFor({ type: 'message', message: reply, conversation: mine }, away)).toBeNull();
    expect(alertFor(userMessage(makeConversation({ adminId: colleague })), away)).toBeNull();
    expect(alertFor(userMessage(makeConversation({ adminId: null })), away)).toBeNull();
    // Signed out meanwhile: nobody to alert.
    expect(alertFor(userMessage(), { ...away, adminId: null })).toBeNull();
  });

  it('alerts when a conversation enters the queue, once per stay in it', () => {
    const alert = alertFor({ type: 'queued', conversation: queued }, away);
    expect(alert).toMatchObject({ kind: 'queued', title: 'New conversation waiting' });
    expect(alert?.body).toBe('Liam Patel (driver) is waiting in the queue');
    const again = alertFor({ type: 'queued', conversation: { ...queued, queuedAt: '2025-03-10T11:00:00.000Z' } }, away);
    expect(again?.key).not.toBe(alert?.key);
    // Taken (or resolved) before the event arrived: nothing waits.
    expect(alertFor({ type: 'queued', conversation: { ...queued, adminId: colleague } }, away)).toBeNull();
    expect(alertFor({ type: 'queued', conversation: { ...queued, status: 'resolved' } }, away)).toBeNull();
  });

  it('alerts for a mention of me, without the note text', () => {
    const alert = alertFor(mention(), away);
    expect(alert).toMatchObject({
      kind: 'mention',
      title: 'Sofia Reyes mentioned you',
      text: "Sofia Reyes mentioned you in a note on Liam Patel's conversation",
    });
    expect(JSON.stringify(alert)).not.toContain('secret plan');
    // The server drops self-mentions; should one come anyway, it does not alert its writer.
    expect(alertFor(mention({ authorAdminId: me }), away)).toBeNull();
  });

  it('never alerts for the conversation on screen while the tab is visible; a hidden tab does alert', () => {
    const looking: AlertContext = { ...away, openConversationId: mine.id };
    expect(alertFor(userMessage(), looking)).toBeNull();
    expect(alertFor(mention(), looking)).toBeNull();
    expect(alertFor({ type: 'queued', conversation: queued }, { ...away, openConversationId: queued.id })).toBeNull();
    expect(alertFor(userMessage(), { ...looking, tabVisible: false })).not.toBeNull();
    // Another conversation on screen: this one still alerts.
    expect(alertFor(userMessage(), { ...away, openConversationId: queued.id })).not.toBeNull();
  });
});

describe('channels and the tab title', () => {
  const off = (kind: keyof AlertPreferences, channel: 'notification' | 'sound' | 'title'): AlertPreferences => ({
    ...DEFAULT_ALERT_PREFERENCES,
    [kind]: { ...DEFAULT_ALERT_PREFERENCES[kind], [channel]: false },
  });

  it('uses the switches of the alert kind only', () => {
    expect(channelsFor({ kind: 'message' }, DEFAULT_ALERT_PREFERENCES)).toEqual({
      notification: true,
      sound: true,
      title: true,
    });
    expect(channelsFor({ kind: 'queued' }, DEFAULT_ALERT_PREFERENCES).sound).toBe(false);
    const noMessageNotifications = off('message', 'notification');
    expect(channelsFor({ kind: 'message' }, noMessageNotifications).notification).toBe(false);
    expect(channelsFor({ kind: 'mention' }, noMessageNotifications).notification).toBe(true);
  });

  it('counts conversations with unread alerts whose kind counts in the title, and clears as the agent reads', () => {
    const first = alertFor(userMessage(), away);
    const second = alertFor(userMessage(), away); // another message, same conversation
    const waiting = alertFor({ type: 'queued', conversation: queued }, away);
    if (!first || !second || !waiting) throw new Error('expected alerts');
    let pending: Pending = [];
    for (const alert of [first, second, first, waiting]) pending = addPending(pending, alert);
    expect(pending).toHaveLength(3); // the repeat counted once
    expect(titleCount(pending, DEFAULT_ALERT_PREFERENCES)).toBe(2); // two conversations
    expect(titleText(2)).toBe('(2) Support chat');
    // A switched-off title channel does not count.
    expect(titleCount(pending, off('queued', 'title'))).toBe(1);

    // Someone took the queued one: it goes. My conversation read elsewhere: it goes too.
    pending = settleConversation(pending, { ...queued, adminId: colleague }, me);
    expect(titleCount(pending, DEFAULT_ALERT_PREFERENCES)).toBe(1);
    expect(settleConversation(pending, { ...mine, unreadCount: 1 }, me)).toBe(pending);
    expect(settleConversation(pending, { ...mine, unreadCount: 0 }, me)).toEqual([]);
    // Opening it reads it.
    pending = clearConversation(pending, mine.id);
    expect(titleCount(pending, DEFAULT_ALERT_PREFERENCES)).toBe(0);
    expect(titleText(0)).toBe('Support chat');
  });
});
