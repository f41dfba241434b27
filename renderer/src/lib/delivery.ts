/** Delivery states in plain words (RFC 3428 §4/§7: 200 = delivered, 202 = accepted for later delivery). */
import type { MessageDto, MessageReceipt, MessageState } from '#shared/domain/chat.ts';
import { reasonWithCode } from './reason.ts';
import { assertNever } from '#shared/ipc/result.ts';

export interface DeliveryView {
  /** a short symbol shown next to the time */
  readonly icon: string;
  /** tooltip / accessible text */
  readonly text: string;
  readonly tone: 'pending' | 'ok' | 'read' | 'warn' | 'bad' | 'none';
}

/**
 * ✓ sent (accepted by the server, 202), ✓✓ delivered to the device (200, or the recipient's delivery
 * receipt), filled ✓✓ read (the recipient's display receipt, RFC 5438).
 */
export function deliveryView(message: Pick<MessageDto, 'state' | 'reason' | 'code'> & { readonly receipt?: MessageReceipt }): DeliveryView {
  const state: MessageState = message.state;
  if ((state === 'delivered' || state === 'accepted') && message.receipt === 'read') return { icon: '✓✓', text: 'read', tone: 'read' };
  if (state === 'accepted' && message.receipt === 'delivered') return { icon: '✓✓', text: 'delivered to the device', tone: 'ok' };
  switch (state) {
    case 'queued':
      // the outbox says why it waits ("waiting for the PBX — last tried 12:03, next try 12:04")
      return { icon: '◷', text: message.reason ?? 'waiting to be sent', tone: 'pending' };
    case 'sending':
      return { icon: '↑', text: 'sending', tone: 'pending' };
    case 'delivered':
      return { icon: '✓✓', text: 'delivered to the device', tone: 'ok' };
    case 'accepted':
      return { icon: '✓', text: 'accepted by the server, not yet delivered', tone: 'warn' };
    case 'failed':
      return { icon: '!', text: `failed: ${reasonOf(message)}`, tone: 'bad' };
    case 'refused':
      return { icon: '⊘', text: `refused: ${reasonOf(message)}`, tone: 'bad' };
    case 'expired':
      return { icon: '⌛', text: 'expired', tone: 'warn' };
    case 'needs-choice':
      return { icon: '?', text: 'too long to send in one piece: choose what to do', tone: 'warn' };
    case 'received':
      return { icon: '', text: 'received', tone: 'none' };
    default:
      return assertNever(state);
  }
}

function reasonOf(m: Pick<MessageDto, 'reason' | 'code'>): string {
  return reasonWithCode(m.reason, m.code);
}

/** failed and refused messages can be retried or deleted */
export function canRetry(state: MessageState): boolean {
  return state === 'failed' || state === 'refused' || state === 'needs-choice';
}
