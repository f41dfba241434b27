/** The call model the call bar and the call screen read: which calls are live, which one is in front. */
import type { CallDto } from '#shared/domain/call.ts';
import { sameAddress } from '../../lib/names.ts';
import { listOf } from '../../store/normalized.ts';
import type { AppState } from '../../store/types.ts';

export const isLive = (call: CallDto): boolean => call.state !== 'ended';

/** every call that rings or is up, oldest first (the order the user met them) */
export function liveCalls(state: Pick<AppState, 'calls'>): CallDto[] {
  return listOf(state.calls).filter(isLive).reverse();
}

export function liveCallWith(state: Pick<AppState, 'calls'>, peer: string): CallDto | null {
  return liveCalls(state).find((c) => sameAddress(c.peer, peer)) ?? null;
}

/**
 * The call in front: the focused one while it is live; else the live call that is neither held nor
 * ringing in (the one the user talks in), else any live call; null when no call is live. An ended call is
 * never in front of a live one (issue 16 item 1: a failed second call must not hide the live first one).
 */
export function callInFront(state: Pick<AppState, 'calls' | 'focusedCallId'>): CallDto | null {
  const live = liveCalls(state);
  const focused = state.focusedCallId === null ? undefined : state.calls.byId[state.focusedCallId];
  if (focused !== undefined && isLive(focused)) return focused;
  return live.find((c) => c.active) ?? live.find((c) => c.state !== 'held' && c.state !== 'incoming') ?? live[0] ?? null;
}

/** missed calls the user has not seen yet (badge on Calls; none while the Calls screen is open) */
export function unseenMissedCalls(state: Pick<AppState, 'calls' | 'missedSeenAt' | 'screen'>): number {
  if (state.screen === 'calls') return 0;
  let n = 0;
  for (const call of listOf(state.calls)) {
    if (call.state === 'ended' && call.direction === 'in' && call.connectedAt === null && !/^declined/.test(call.endReason ?? '') && (call.endedAt ?? call.startedAt) > state.missedSeenAt) n++;
  }
  return n;
}
