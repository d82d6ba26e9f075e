/** Count of unread messages; nothing when there are none. "99+" past 99. */
export function UnreadBadge({ count, label }: { count: number; label?: string }) {
  if (count <= 0) return null;
  return (
    <span className="inline-flex h-5 min-w-5 items-center justify-center rounded-full bg-brand-600 px-1.5 text-xs font-semibold text-white">
      <span aria-hidden="true">{count > 99 ? '99+' : count}</span>
      <span className="sr-only">{label ?? `${count} unread ${count === 1 ? 'message' : 'messages'}`}</span>
    </span>
  );
}
