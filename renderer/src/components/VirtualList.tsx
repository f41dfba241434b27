/**
 * A small virtual list: only the rows in view (plus overscan) are in the DOM. Heights start as estimates
 * and are replaced by measured ones (ResizeObserver). Offsets are set through the CSSOM (React's style
 * prop), which the strict CSP allows. Keeps the view anchored when older rows are prepended, and can
 * follow the bottom (chat).
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';

export interface VirtualListProps<T> {
  readonly items: readonly T[];
  readonly getKey: (item: T) => string;
  readonly estimateHeight: (item: T) => number;
  readonly renderItem: (item: T) => ReactNode;
  /** pixels rendered beyond the viewport on each side */
  readonly overscan?: number;
  /** start at the bottom and follow new rows while the user is at the bottom */
  readonly stickToBottom?: boolean;
  /** called when the view comes near the top (load older rows) */
  readonly onNearStart?: () => void;
  readonly label: string;
  readonly className?: string;
  /** bring this row into the middle of the view (once per new key), e.g. a search hit */
  readonly scrollToKey?: string | null;
}

const NEAR_EDGE = 300;

/** first index i with offsets[i + 1] > y (the row containing y) */
function rowAt(offsets: Float64Array, count: number, y: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((offsets[mid + 1] ?? 0) <= y) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, Math.max(0, count - 1));
}

export function VirtualList<T>(props: VirtualListProps<T>): ReactNode {
  const { items, getKey, estimateHeight, renderItem, overscan = 600, stickToBottom = false, onNearStart, label } = props;
  const scroller = useRef<HTMLDivElement>(null);
  /** measured heights by row key (a new map on every measurement batch) */
  const [heights, setHeights] = useState<ReadonlyMap<string, number>>(() => new Map());
  const [view, setView] = useState({ top: 0, height: 800 });
  const atBottom = useRef(stickToBottom);
  const anchor = useRef<{ readonly key: string; readonly delta: number } | null>(null);

  const keys = useMemo(() => items.map(getKey), [items, getKey]);
  const offsets = useMemo(() => {
    const o = new Float64Array(items.length + 1);
    for (let i = 0; i < items.length; i++) {
      o[i + 1] = (o[i] ?? 0) + (heights.get(keys[i] ?? '') ?? estimateHeight(items[i] as T));
    }
    return o;
  }, [items, keys, estimateHeight, heights]);
  const total = offsets[items.length] ?? 0;
  const keyIndex = useMemo(() => new Map(keys.map((k, i) => [k, i])), [keys]);
  const scrolledTo = useRef<string | null>(null);

  // the latest layout, for event handlers (written after render, read only in handlers)
  const layout = useRef({ keys, offsets });
  useLayoutEffect(() => {
    layout.current = { keys, offsets };
  }, [keys, offsets]);

  /** the row at the top of the view and how far into it the view starts */
  const captureAnchor = useCallback((el: HTMLElement) => {
    const { keys: k, offsets: o } = layout.current;
    if (k.length === 0) {
      anchor.current = null;
      return;
    }
    const i = rowAt(o, k.length, el.scrollTop);
    const key = k[i];
    anchor.current = key === undefined ? null : { key, delta: el.scrollTop - (o[i] ?? 0) };
  }, []);

  // one observer for all rows; the layout effect below keeps the anchor row in place when heights change
  const [observer] = useState(() =>
    typeof ResizeObserver === 'undefined'
      ? null
      : new ResizeObserver((entries) => {
          setHeights((previous) => {
            let next: Map<string, number> | null = null;
            for (const entry of entries) {
              const key = (entry.target as HTMLElement).dataset.key;
              if (key === undefined) continue;
              const h = entry.borderBoxSize[0]?.blockSize ?? (entry.target as HTMLElement).offsetHeight;
              if (h === 0 || (next ?? previous).get(key) === h) continue;
              next ??= new Map(previous);
              next.set(key, h);
            }
            return next ?? previous;
          });
        }),
  );
  useEffect(() => () => observer?.disconnect(), [observer]);

  const measure = useCallback(
    (el: HTMLDivElement | null) => {
      if (el && observer) observer.observe(el);
    },
    [observer],
  );

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 32;
    captureAnchor(el);
    setView({ top: el.scrollTop, height: el.clientHeight });
    if (el.scrollTop < NEAR_EDGE) onNearStart?.();
  };

  // anchoring: when rows are added above or measured, the row at the top of the view stays where it was;
  // a list that follows the bottom stays at the bottom while the user is there
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const target = props.scrollToKey ?? null;
    const targetIndex = target === null ? undefined : keyIndex.get(target);
    // the row went away (the newest page replaced the loaded ones): scroll again when it is back
    if (targetIndex === undefined) scrolledTo.current = null;
    if (target !== null && targetIndex !== undefined && scrolledTo.current !== target) {
      scrolledTo.current = target;
      atBottom.current = false;
      el.scrollTop = Math.max(0, (offsets[targetIndex] ?? 0) - el.clientHeight / 3);
    } else if (stickToBottom && atBottom.current) el.scrollTop = el.scrollHeight;
    else if (anchor.current) {
      const k = keyIndex.get(anchor.current.key);
      const want = k === undefined ? null : (offsets[k] ?? 0) + anchor.current.delta;
      if (want !== null && Math.abs(want - el.scrollTop) > 0.5) el.scrollTop = want;
    }
    layout.current = { keys, offsets };
    captureAnchor(el);
    setView((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
    if (el.scrollTop < NEAR_EDGE && keys.length > 0) onNearStart?.();
  }, [keys, keyIndex, offsets, stickToBottom, onNearStart, captureAnchor, props.scrollToKey]);

  const count = items.length;
  const first = count === 0 ? 0 : rowAt(offsets, count, Math.max(0, view.top - overscan));
  const last = count === 0 ? -1 : rowAt(offsets, count, view.top + view.height + overscan);
  const rows: ReactNode[] = [];
  for (let i = first; i <= last; i++) {
    const key = keys[i] ?? String(i);
    rows.push(
      <div key={key} data-key={key} ref={measure} className="vlist-row" style={{ transform: `translateY(${offsets[i] ?? 0}px)` }}>
        {renderItem(items[i] as T)}
      </div>,
    );
  }
  return (
    <div ref={scroller} className={`vlist ${props.className ?? ''}`} onScroll={onScroll} tabIndex={0} role="region" aria-label={label}>
      <div className="vlist-inner" style={{ height: `${total}px` }}>
        {rows}
      </div>
    </div>
  );
}
