import { useEffect, useRef, type ReactNode } from 'react';
import { Modal } from './Modal.tsx';

/**
 * "Delete Bob Builder?" before a destructive action (issue 16 item 12). Cancel has the focus, so Enter on
 * a dialog opened by mistake does no harm; Escape cancels (the native <dialog>).
 */
export function ConfirmDialog(props: {
  readonly title: string;
  readonly children?: ReactNode;
  /** the destructive button's words: "Delete", "Remove account" */
  readonly confirm: string;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}): ReactNode {
  const cancel = useRef<HTMLButtonElement>(null);
  // after the dialog opened (Modal's effect, a child's, runs first): showModal focused the first button
  useEffect(() => cancel.current?.focus(), []);
  return (
    <Modal title={props.title} onClose={props.onCancel}>
      {props.children}
      <div className="actions">
        <button type="button" className="danger-solid" onClick={props.onConfirm}>{props.confirm}</button>
        <button ref={cancel} type="button" onClick={props.onCancel}>Cancel</button>
      </div>
    </Modal>
  );
}
