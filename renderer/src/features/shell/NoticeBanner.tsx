import type { ReactNode } from 'react';
import { actions } from '../../store/store.ts';
import { useApp } from '../../store/use-app.ts';

export function NoticeBanner(): ReactNode {
  const notice = useApp((s) => s.notice);
  if (notice === null) return null;
  return (
    <div className="notice" role="status">
      <span>{notice}</span>
      <button type="button" className="link-button" aria-label="Dismiss notice" onClick={() => actions().noticeDismissed()}>
        Dismiss
      </button>
    </div>
  );
}
