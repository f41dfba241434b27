import type { ReactNode } from 'react';

/** Tells a person what this place is for and what to do next. */
export function EmptyState(props: { readonly title: string; readonly children?: ReactNode; readonly action?: ReactNode }): ReactNode {
  return (
    <section className="empty-state" aria-label={props.title}>
      <h2>{props.title}</h2>
      {props.children ? <p>{props.children}</p> : null}
      {props.action ?? null}
    </section>
  );
}
