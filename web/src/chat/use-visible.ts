import { type RefObject, useEffect, useRef } from 'react';

/**
 * Calls `onVisible` each time the element scrolls into view (an infinite-scroll sentinel).
 * `rootMargin` starts loading a little before the end is reached.
 */
export function useWhenVisible(
  ref: RefObject<Element | null>,
  onVisible: () => void,
  options: { enabled: boolean; rootMargin?: string },
) {
  const callback = useRef(onVisible);
  callback.current = onVisible;
  const { enabled, rootMargin = '200px' } = options;

  useEffect(() => {
    const element = ref.current;
    if (!enabled || !element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) callback.current();
      },
      { rootMargin },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, enabled, rootMargin]);
}
