/** CallDto (shared/domain/call.ts) from an INVITE session's state, and end reasons in plain words. */
import type { CallState } from '#shared/domain/call.ts';
import type { InviteSessionState, SessionEnd } from '../../sip/dialog/index.ts';

export function callStateOf(state: InviteSessionState, onHold: boolean): CallState {
  switch (state) {
    case 'calling':
      return 'dialing';
    case 'early':
      return 'ringing';
    case 'incoming':
      return 'incoming';
    case 'confirmed':
      return onHold ? 'held' : 'connected';
    case 'terminated':
      return 'ended';
  }
}

const WORDS: Record<number, string> = {
  404: 'not found',
  408: 'no answer',
  480: 'not available',
  486: 'busy',
  487: 'cancelled',
  488: 'no common audio format',
  503: 'could not reach the other side',
  600: 'busy everywhere',
  603: 'declined',
};

/** "hung up", "busy (486)", "declined (603)" ... */
export function endReasonOf(end: SessionEnd): string {
  if (end.status === null) return end.reason;
  if (end.by === 'local' && end.status === 487) return 'cancelled';
  const words = WORDS[end.status] ?? end.reason.toLowerCase();
  return `${words} (${end.status})`;
}
