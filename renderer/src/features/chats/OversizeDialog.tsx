import type { ReactNode } from 'react';
import type { MessageSizeDto } from '#shared/domain/chat.ts';
import { Modal } from '../../components/Modal.tsx';

/**
 * RFC 3428 §8: a pager-mode MESSAGE over 1300 bytes without a congestion-controlled transport. The same
 * count as the composer's counter (main's), and the choices: send it whole over TCP (RFC 3261 §18.1.1,
 * when the account's next hop may take TCP), split it into numbered parts our receiver joins, or cancel.
 */
export function OversizeDialog(props: {
  readonly size: MessageSizeDto;
  readonly onSplit: () => void;
  readonly onStream: () => void;
  readonly onCancel: () => void;
}): ReactNode {
  const { bytes, limit, parts, canStream } = props.size;
  return (
    <Modal title="This message is too long to send in one piece" onClose={props.onCancel}>
      <p>
        It is {bytes} bytes; a message over UDP carries at most {limit} bytes.
        {canStream ? ' It can go whole over a TCP connection to your server instead.' : ''}
      </p>
      <div className="actions">
        {canStream ? (
          <button type="button" className="primary" autoFocus onClick={props.onStream}>
            Send whole over TCP
          </button>
        ) : null}
        <button type="button" className={canStream ? '' : 'primary'} autoFocus={!canStream} onClick={props.onSplit}>
          Split into {parts} parts
        </button>
        <button type="button" onClick={props.onCancel}>Cancel</button>
      </div>
    </Modal>
  );
}
