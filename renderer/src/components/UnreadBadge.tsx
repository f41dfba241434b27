import type { ReactNode } from 'react';

/** `hidden`: the words are said elsewhere (in a button's name, next to what they describe) */
export function UnreadBadge({ count, hidden = false }: { readonly count: number; readonly hidden?: boolean }): ReactNode {
  if (count <= 0) return null;
  return (
    <span className="badge" aria-label={hidden ? undefined : `${count} unread`} aria-hidden={hidden || undefined}>
      {count > 99 ? '99+' : count}
    </span>
  );
}
