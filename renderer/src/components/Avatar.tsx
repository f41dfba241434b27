import type { ReactNode } from 'react';
import { initials } from '../lib/names.ts';

/** A round avatar with the person's initials; its colour derives from the name (stable, AA contrast). */
export function Avatar({ name, size = 'normal' }: { readonly name: string; readonly size?: 'small' | 'normal' | 'large' }): ReactNode {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return (
    <span className={`avatar avatar-${size} avatar-hue-${hash % 6}`} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
