import type { CallDto } from '#shared/domain/call.ts';
import { assertNever } from '#shared/ipc/result.ts';

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

export const isLive = (call: CallDto) => call.state !== 'ended';
