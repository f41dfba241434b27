import type { CallDto } from '#shared/domain/call.ts';
import { assertNever } from '#shared/ipc/result.ts';
import { duration } from '../../lib/format.ts';

export function callStateWords(call: CallDto): string {
  switch (call.state) {
    case 'dialing':
      return 'calling…';
    case 'ringing':
      return 'ringing…';
    case 'incoming':
      return 'incoming call';
    case 'connected':
      return call.remoteHold ? 'on hold by the other side' : 'connected';
    case 'held':
      return 'on hold';
    case 'ended':
      return call.endReason ? `ended: ${call.endReason}` : 'ended';
    default:
      return assertNever(call.state);
  }
}

export type CallOutcome = 'outgoing' | 'incoming' | 'missed' | 'declined' | 'unanswered' | 'live';

/** what a finished call was, as a history reads it (issue 16 items 3 and 5) */
export function callOutcome(call: CallDto): CallOutcome {
  if (call.state !== 'ended') return 'live';
  if (call.connectedAt !== null) return call.direction === 'in' ? 'incoming' : 'outgoing';
  if (call.direction === 'out') return 'unanswered';
  return /^declined/.test(call.endReason ?? '') ? 'declined' : 'missed';
}

export const isMissed = (call: CallDto): boolean => callOutcome(call) === 'missed';

/** "Outgoing call · 5:52", "Missed call", "Call not answered: busy (486)" */
export function callSummary(call: CallDto): string {
  const talk = call.connectedAt !== null && call.endedAt !== null ? duration(call.endedAt - call.connectedAt) : null;
  const outcome = callOutcome(call);
  switch (outcome) {
    case 'outgoing':
      return `Outgoing call · ${talk ?? '0:00'}`;
    case 'incoming':
      return `Incoming call · ${talk ?? '0:00'}`;
    case 'missed':
      return 'Missed call';
    case 'declined':
      return 'Declined call';
    case 'unanswered':
      return call.endReason && call.endReason !== 'cancelled' ? `Call not answered: ${call.endReason}` : 'Cancelled call';
    case 'live':
      return callStateWords(call);
    default:
      return assertNever(outcome);
  }
}
