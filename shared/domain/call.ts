import type { AccountId, CallId, EpochMs } from './ids.ts';

export type CallDirection = 'in' | 'out';
export type CallState = 'dialing' | 'ringing' | 'incoming' | 'connected' | 'held' | 'ended';

export interface CallDto {
  readonly id: CallId;
  readonly accountId: AccountId;
  readonly direction: CallDirection;
  readonly peer: string;
  readonly peerName: string;
  readonly state: CallState;
  readonly muted: boolean;
  /** local hold (we sent sendonly/inactive) */
  readonly onHold: boolean;
  /** the far end put us on hold */
  readonly remoteHold: boolean;
  /** an incoming call that arrived while another call was up: announced as waiting, not rung (call waiting) */
  readonly waiting: boolean;
  /** this call has the microphone and the speaker (one call in focus; false while held or ringing) */
  readonly active: boolean;
  /** media is SRTP-protected (RFC 3711, keys by SDES): the call screen shows a lock */
  readonly encrypted: boolean;
  /** the audio codec both sides agreed on, in words ("G.722", "G.711 µ-law"), null before media */
  readonly codec: string | null;
  /** wideband audio (G.722, 16 kHz sampling, 50-7000 Hz): the call screen says "HD" */
  readonly wideband: boolean;
  /** keys the far end pressed in this call, oldest first (RFC 4733 telephone-events or SIP INFO), the last 32 */
  readonly dtmfReceived: string;
  readonly startedAt: EpochMs;
  readonly connectedAt: EpochMs | null;
  readonly endedAt: EpochMs | null;
  /** plain words when ended: "hung up", "busy (486)", "declined (603)" ... */
  readonly endReason: string | null;
}
