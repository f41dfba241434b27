import type { ReactNode } from 'react';
import type { MessageDto } from '#shared/domain/chat.ts';
import { deliveryView } from '../lib/delivery.ts';
import { timeOfDay } from '../lib/format.ts';
import { useNow } from '../features/calls/useNow.ts';
import { queuedWords } from '../lib/connectivity.ts';

/** after this long "sending" says what it waits for (RFC 3261 §17.1.2.2: a UDP request can take 32 s) */
export const LONG_SENDING_MS = 4000;

/** the words under an outgoing bubble when they matter (issue 16 item 6): failures, long waits */
export function deliveryWords(message: Pick<MessageDto, 'state' | 'reason' | 'code' | 'createdAt' | 'sentAt'>, now: number): string | null {
  switch (message.state) {
    case 'failed':
    case 'refused':
      return `Not delivered: ${deliveryView(message).text.replace(/^(failed|refused): /, '')}`;
    case 'queued':
      // issue 11: "Will retry — no answer (408)" / "Waiting to send: waiting for the PBX — last tried 12:03, next try 12:04"
      return queuedWords(message.reason);
    case 'sending': {
      const since = message.sentAt ?? message.createdAt;
      if (now - since < LONG_SENDING_MS) return null;
      return `Still sending since ${timeOfDay(since)}: waiting for the server to answer (it retries for up to 32 seconds)`;
    }
    case 'needs-choice':
      return 'Not sent: too long for one message — choose how to send it';
    default:
      return null;
  }
}

export function DeliveryWords({ message }: { readonly message: MessageDto }): ReactNode {
  const ticking = message.state === 'sending';
  const now = useNow(ticking);
  const words = deliveryWords(message, now);
  if (words === null) return null;
  const bad = message.state === 'failed' || message.state === 'refused' || message.state === 'needs-choice';
  return (
    <p className={`delivery-words ${bad ? 'bad-text' : 'muted'}`} role={bad ? 'alert' : 'status'}>
      {words}
    </p>
  );
}
