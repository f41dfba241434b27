import type { ReactNode } from 'react';

export function UnreadBadge({ count }: { readonly count: number }): ReactNode {
  if (count <= 0) return null;
  return (
    <span className="badge" aria-label={`${count} unread`}>
      {count > 99 ? '99+' : count}
    </span>
  );
}
