import type { ReactNode } from 'react';
import { Modal } from '../../components/Modal.tsx';

/** RFC 3428 §8: a pager-mode MESSAGE over 1300 bytes without a congestion-controlled transport. */
export function OversizeDialog(props: { readonly bytes: number; readonly limit: number; readonly onSplit: () => void; readonly onCancel: () => void }): ReactNode {
  const parts = Math.max(2, Math.ceil(props.bytes / props.limit));
  return (
    <Modal title="This message is too long to send in one piece" onClose={props.onCancel}>
      <p>
        It is {props.bytes} bytes; the connection to your server only carries {props.limit} bytes per message.
      </p>
      <div className="actions">
        <button type="button" className="primary" autoFocus onClick={props.onSplit}>
          Split into {parts} parts
        </button>
        <button type="button" onClick={props.onCancel}>Cancel</button>
      </div>
    </Modal>
  );
}
