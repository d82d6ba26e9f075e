/**
 * "Anna is typing…" with animated dots. Always rendered (empty when nobody types) so that screen
 * readers announce changes of the live region.
 */
export function TypingIndicator({ names }: { names: readonly string[] }) {
  const text =
    names.length === 0
      ? ''
      : names.length === 1
        ? `${names[0]} is typing…`
        : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} are typing…`;
  return (
    <div aria-live="polite" className="min-h-6 px-4 py-1 text-xs text-gray-500">
      {text && (
        <span className="inline-flex items-center gap-2">
          <span aria-hidden="true" className="inline-flex gap-0.5">
            {[0, 1, 2].map((dot) => (
              <span
                key={dot}
                className="animate-typing-dot h-1.5 w-1.5 rounded-full bg-gray-400"
                style={{ animationDelay: `${dot * 0.15}s` }}
              />
            ))}
          </span>
          {text}
        </span>
      )}
    </div>
  );
}
