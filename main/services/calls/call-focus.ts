/**
 * One call in focus (issue 13): which call has the microphone and the speaker, which calls must be put
 * on hold before another one talks, and whether two addresses are the same person. Pure helpers for
 * calls-service.ts.
 */
import type { CallDto } from '#shared/domain/call.ts';
import type { CallId } from '#shared/domain/ids.ts';
import { isSipUri, parseUri } from '../../sip/message/index.ts';

/** `sip:Bob@Example.test;transport=tcp` and `bob@example.test` are the same person: user@host, case-folded host */
export function addressKey(address: string): string {
  const text = /^[a-z][a-z0-9+.-]*:/i.test(address) ? address : `sip:${address}`;
  try {
    const uri = parseUri(text);
    if (!isSipUri(uri)) return text.toLowerCase();
    return `${uri.user ?? ''}@${uri.host.toLowerCase()}`;
  } catch {
    return text.toLowerCase();
  }
}

export const isLive = (call: CallDto): boolean => call.state !== 'ended';

/** the live call with this person, if any ("Call" on a contact already in a call brings it forward) */
export function liveCallWith(calls: readonly CallDto[], accountId: string, peer: string): CallDto | null {
  const key = addressKey(peer);
  return calls.find((c) => isLive(c) && c.accountId === accountId && addressKey(c.peer) === key) ?? null;
}

/** the connected calls that must go on hold before `except` talks (answer, place, resume = swap) */
export function callsToHold(calls: readonly CallDto[], except: CallId | null): CallDto[] {
  return calls.filter((c) => c.id !== except && c.state === 'connected');
}

/**
 * An incoming call is "waiting" when the user is already in a call (one up, held, or being placed) as it
 * arrives: it is announced as waiting, never rung like a first call.
 */
export function arrivesWaiting(calls: readonly CallDto[], incoming: CallId): boolean {
  return calls.some((c) => c.id !== incoming && isLive(c) && c.state !== 'incoming');
}
