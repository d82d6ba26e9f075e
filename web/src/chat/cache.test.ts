import { describe, expect, it } from 'vitest';
import type { ReadReceipt } from '../../../common/support';
import { CONVERSATION_ID, makeConversation, makeMessage } from '../test/fixtures';
import {
  applyReadReceipt,
  type ChatMessage,
  type ConversationListData,
  flattenConversations,
  matchesFilters,
  mergeMessages,
  newestUnreadFromOtherSide,
  upsertConversation,
} from './cache';

const at = (minute: number) => `2025-03-10T10:${String(minute).padStart(2, '0')}:00.000Z`;

describe('mergeMessages', () => {
  it('keeps one copy of a message that arrives twice (HTTP answer and socket event)', () => {
    const message = makeMessage({ createdAt: at(1) });
    const merged = mergeMessages(mergeMessages([], [message]), [{ ...message }]);
    expect(merged).toHaveLength(1);
    expect(merged[0]?.id).toBe(message.id);
  });

  it('replaces an optimistic message with the stored one carrying the same clientMessageId', () => {
    const optimistic: ChatMessage = {
      ...makeMessage({ id: 'local-abc12345', clientMessageId: 'abc12345', createdAt: at(5) }),
      pending: 'sending',
    };
    const stored = makeMessage({ clientMessageId: 'abc12345', createdAt: at(4) });
    const merged = mergeMessages([optimistic], [stored]);
    expect(merged).toEqual([stored]);
    expect(merged[0]?.pending).toBeUndefined();
  });

  it('never lets a late optimistic copy replace the stored message', () => {
    const stored = makeMessage({ clientMessageId: 'abc12345', createdAt: at(4) });
    const optimistic: ChatMessage = { ...stored, id: 'local-abc12345', pending: 'failed' };
    expect(mergeMessages([stored], [optimistic])).toEqual([stored]);
  });

  it('orders by createdAt whatever order messages arrive in', () => {
    const third = makeMessage({ createdAt: at(3), body: 'third' });
    const first = makeMessage({ createdAt: at(1), body: 'first' });
    const second = makeMessage({ createdAt: at(2), body: 'second' });
    const merged = mergeMessages([third], [first, second]);
    expect(merged.map((message) => message.body)).toEqual(['first', 'second', 'third']);
  });

  it('does not turn a read message back to unread when an older copy arrives', () => {
    const message = makeMessage({ senderType: 'admin', createdAt: at(1) });
    const read = { ...message, read: true, readAt: at(2) };
    const merged = mergeMessages([read], [message]);
    expect(merged[0]?.read).toBe(true);
  });
});

describe('applyReadReceipt', () => {
  const receipt = (overrides: Partial<ReadReceipt> = {}): ReadReceipt => ({
    conversationId: CONVERSATION_ID,
    readerType: 'user',
    upToMessageId: '00000000-0000-4000-8000-ffffffffffff',
    upToCreatedAt: at(2),
    readAt: at(9),
    markedCount: 2,
    unreadCount: 0,
    ...overrides,
  });

  it("marks the other side's messages up to the watermark as read, and nothing after it", () => {
    const early = makeMessage({ senderType: 'admin', createdAt: at(1) });
    const atMark = makeMessage({ senderType: 'admin', createdAt: at(2) });
    const later = makeMessage({ senderType: 'admin', createdAt: at(3) });
    const result = applyReadReceipt([early, atMark, later], receipt());
    expect(result.map((message) => message.read)).toEqual([true, true, false]);
    expect(result[0]?.readAt).toBe(at(9));
  });

  it("leaves the reader's own messages alone", () => {
    const own = makeMessage({ senderType: 'user', createdAt: at(1) });
    expect(applyReadReceipt([own], receipt())[0]?.read).toBe(false);
  });

  it('returns the same array when nothing changed (no needless re-render)', () => {
    const messages = [makeMessage({ senderType: 'user', createdAt: at(1) })];
    expect(applyReadReceipt(messages, receipt())).toBe(messages);
  });
});

describe('newestUnreadFromOtherSide', () => {
  it('finds the newest unread message of the other side, or nothing when it is read', () => {
    const unread = makeMessage({ senderType: 'admin', createdAt: at(1) });
    const own = makeMessage({ senderType: 'user', createdAt: at(2) });
    expect(newestUnreadFromOtherSide([unread, own], 'user')?.id).toBe(unread.id);
    expect(newestUnreadFromOtherSide([{ ...unread, read: true }, own], 'user')).toBeUndefined();
  });
});

describe('conversation lists', () => {
  const list = (...pages: ReturnType<typeof makeConversation>[][]): ConversationListData => ({
    pages: pages.map((items, index) => ({ items, nextCursor: index < pages.length - 1 ? `c${index}` : null })),
    pageParams: pages.map((_, index) => (index === 0 ? null : `c${index - 1}`)),
  });

  it('moves a conversation with a new message to the top and replaces its old copy', () => {
    const a = makeConversation({ lastMessageAt: at(5) });
    const b = makeConversation({ lastMessageAt: at(4) });
    const c = makeConversation({ lastMessageAt: at(3) });
    const updated = { ...c, lastMessageAt: at(8), updatedAt: at(8), unreadCount: 1 };
    const result = upsertConversation(list([a, b], [c]), updated, { matches: true, mayInsert: true });
    expect(flattenConversations(result).map((item) => item.id)).toEqual([c.id, a.id, b.id]);
    expect(flattenConversations(result)[0]?.unreadCount).toBe(1);
  });

  it('ignores an update older than the copy it has', () => {
    const a = makeConversation({ updatedAt: at(9), unreadCount: 0 });
    const stale = { ...a, updatedAt: at(1), unreadCount: 3 };
    const data = list([a]);
    expect(upsertConversation(data, stale, { matches: true, mayInsert: true })).toBe(data);
  });

  it('removes a conversation that no longer matches the filters, and does not insert into search results', () => {
    const a = makeConversation();
    expect(
      flattenConversations(
        upsertConversation(list([a]), { ...a, updatedAt: at(30) }, { matches: false, mayInsert: true }),
      ),
    ).toEqual([]);
    const other = makeConversation();
    const data = list([a]);
    expect(upsertConversation(data, other, { matches: true, mayInsert: false })).toBe(data);
  });

  it('checks the filters an admin list can check on the client', () => {
    const conversation = makeConversation({ userType: 'customer', status: 'open', adminId: null, unreadCount: 0 });
    expect(matchesFilters(conversation, { userType: 'customer' }, null)).toBe(true);
    expect(matchesFilters(conversation, { userType: 'driver' }, null)).toBe(false);
    expect(matchesFilters(conversation, { status: 'resolved' }, null)).toBe(false);
    expect(matchesFilters(conversation, { assigned: 'unassigned' }, null)).toBe(true);
    expect(matchesFilters(conversation, { assigned: 'me' }, 'someone')).toBe(false);
    expect(matchesFilters(conversation, { unreadOnly: true }, null)).toBe(false);
    expect(matchesFilters(conversation, { status: 'snoozed' }, null)).toBe(false);
    expect(matchesFilters({ ...conversation, priority: 'high' }, { priority: 'high' }, null)).toBe(true);
    expect(matchesFilters(conversation, { priority: 'high' }, null)).toBe(false);
  });

  it('keeps a priority-sorted list in its order: highest first, then the longest without activity', () => {
    const urgent = makeConversation({ priority: 'urgent', lastMessageAt: at(9) });
    const lowOld = makeConversation({ priority: 'low', lastMessageAt: at(1) });
    const lowNew = makeConversation({ priority: 'low', lastMessageAt: at(5) });
    const raised = { ...lowNew, priority: 'high' as const, updatedAt: at(20) };
    const options = { matches: true, mayInsert: true, sort: 'priority' as const };
    const result = upsertConversation(list([urgent, lowOld, lowNew]), raised, options);
    expect(flattenConversations(result).map((item) => item.id)).toEqual([urgent.id, lowNew.id, lowOld.id]);
    // New activity does not move a row to the top of this order.
    const answered = { ...lowOld, lastMessageAt: at(30), updatedAt: at(30) };
    expect(flattenConversations(upsertConversation(result, answered, options)).map((item) => item.id)).toEqual([
      urgent.id,
      lowNew.id,
      lowOld.id,
    ]);
  });
});
