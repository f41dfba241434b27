import { useEffect, useId, useRef, type ReactNode } from 'react';

/** A modal dialog (native <dialog>: focus trap, Escape closes, inert background). */
export function Modal(props: { readonly title: string; readonly onClose: () => void; readonly children: ReactNode }): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} className="modal" aria-labelledby={titleId} onCancel={(e) => { e.preventDefault(); props.onClose(); }}>
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}
