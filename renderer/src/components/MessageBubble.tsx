/** One message. The body is rendered as TEXT (React escapes it); never as HTML. */
import type { ReactNode } from 'react';
import type { MessageDto } from '#shared/domain/chat.ts';
import { canRetry } from '../lib/delivery.ts';
import { isWaiting } from '../lib/connectivity.ts';
import { timeOfDay } from '../lib/format.ts';
import { DeliveryIcon } from './DeliveryIcon.tsx';
import { DeliveryWords } from './DeliveryWords.tsx';
import { Highlighted } from './Highlighted.tsx';

export interface MessageBubbleProps {
  readonly message: MessageDto;
  /** sent or received inside a call (RFC 3428 §2 in-dialog MESSAGE): marked so it reads as part of the call */
  readonly inCall?: boolean;
  /** a long message that arrived in this many numbered parts, shown joined */
  readonly parts?: number;
  /** words of a search to mark in the body (jump from a search hit) */
  readonly highlight?: string;
  readonly onRetry?: (message: MessageDto) => void;
  readonly onDelete?: (message: MessageDto) => void;
  readonly onCopy?: (message: MessageDto) => void;
  /** a message waiting in the outbox ("will retry", issue 11): go now instead of at the next try */
  readonly onSendNow?: (message: MessageDto) => void;
  /** a message waiting in the outbox is not sent after all */
  readonly onCancel?: (message: MessageDto) => void;
}

export function MessageBubble({ message, inCall = false, parts, highlight, onRetry, onDelete, onCopy, onSendNow, onCancel }: MessageBubbleProps): ReactNode {
  const mine = message.direction === 'out';
  const failed = mine && canRetry(message.state);
  const waiting = isWaiting(message);
  return (
    <article className={`bubble ${mine ? 'bubble-out' : 'bubble-in'} ${failed ? 'bubble-failed' : ''} ${inCall ? 'bubble-in-call' : ''}`} aria-label={`${mine ? 'Sent message' : 'Received message'}${inCall ? ' in the call' : ''}`}>
      {inCall ? <span className="bubble-call-mark">In the call</span> : null}
      <p className="bubble-body">{highlight ? <Highlighted text={message.body} query={highlight} /> : message.body}</p>
      {message.protection ? (
        // RFC 3428 §11.3: what the signature and encryption say, in plain words; a warning is never shown as trusted
        <p className={`bubble-protection ${message.protection.warning ? 'bubble-protection-warning' : ''}`} role={message.protection.warning ? 'alert' : undefined}>
          {message.protection.warning ? '⚠ ' : '🔒 '}
          {message.protection.summary}
        </p>
      ) : null}
      <footer className="bubble-meta">
        <span className="bubble-actions">
          {onCopy ? (
            <button type="button" className="link-button" aria-label="Copy message text" onClick={() => onCopy(message)}>
              Copy
            </button>
          ) : null}
        </span>
        {parts !== undefined && parts > 1 ? <span className="bubble-note">arrived in {parts} parts</span> : null}
        {message.sentOutOfDialog ? <span className="bubble-note">sent outside the call</span> : null}
        {message.state === 'expired' && !mine ? <span className="bubble-note">expired</span> : null}
        <time dateTime={new Date(message.createdAt).toISOString()}>{timeOfDay(message.createdAt)}</time>
        {mine ? <DeliveryIcon message={message} /> : null}
      </footer>
      {mine ? <DeliveryWords message={message} /> : null}
      {failed && (onRetry || onDelete) ? (
        <div className="bubble-failure-actions">
          {onRetry ? (
            <button type="button" aria-label="Retry sending" onClick={() => onRetry(message)}>
              Retry
            </button>
          ) : null}
          {onDelete ? (
            <button type="button" className="danger" aria-label="Delete message" onClick={() => onDelete(message)}>
              Delete
            </button>
          ) : null}
        </div>
      ) : null}
      {waiting && (onSendNow || onCancel) ? (
        <div className="bubble-failure-actions">
          {onSendNow ? (
            <button type="button" onClick={() => onSendNow(message)}>
              Send now
            </button>
          ) : null}
          {onCancel ? (
            <button type="button" aria-label="Cancel sending" onClick={() => onCancel(message)}>
              Cancel
            </button>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}
