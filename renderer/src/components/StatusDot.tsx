import type { ReactNode } from 'react';

/** A coloured dot with its meaning in words next to it (colour is never the only signal). */
export function StatusDot({ tone, text }: { readonly tone: string; readonly text: string }): ReactNode {
  return (
    <span className="status">
      <span className={`dot dot-${tone}`} aria-hidden="true" />
      <span className="status-text">{text}</span>
    </span>
  );
}
