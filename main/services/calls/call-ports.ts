/**
 * What the calls service needs from the world, injected: the SIP side of an account (its dialog UA,
 * dialog layer, Contact), the media (MediaSession in the app, the same in tests on 127.0.0.1), the audio
 * devices (the renderer's mic/speaker in the app; a WAV or tone source and a frame recorder in tests),
 * message storage for in-call chat, and the pager sender for the out-of-dialog fallback.
 */
import type { AccountId, CallId } from '#shared/domain/ids.ts';
import type { DialogLayer, DialogUserAgent } from '../../sip/dialog/index.ts';
import type { MediaStats, NegotiationResult, SessionDescription } from '../../media/index.ts';
import type { Storage } from '../../storage/storage.ts';

export interface CallAccount {
  readonly id: AccountId;
  /** our address of record, e.g. sip:alice@example.test */
  readonly aor: string;
  readonly displayName: string | null;
  readonly ua: DialogUserAgent;
  readonly layer: DialogLayer;
  /** our Contact header value (§8.1.1.8) */
  contact(): string;
  /** the address the media binds to and writes in SDP c= */
  readonly mediaAddress: string;
  /**
   * SRTP with SDES keys (RFC 4568) for this account's calls: required = RTP/SAVP only, offered = best
   * effort, off (or absent) = plain RTP. The keys travel in the SDP, so the glue turns it on only when
   * the signalling is TLS (sip-stack-calls.ts).
   */
  readonly srtp?: SrtpMode;
}

export type SrtpMode = 'off' | 'offered' | 'required';

export interface CallAccounts {
  /** the account to call from (null: the default one); throws ServiceError when there is none */
  resolve(accountId: AccountId | null): CallAccount;
}

/** The part of MediaSession the service uses (main/media/media-session.ts). */
export interface CallMedia {
  readonly localPort: number;
  start(local: SessionDescription, remote: SessionDescription): NegotiationResult;
  pushFrame(pcm: Int16Array): void;
  setMuted(muted: boolean): void;
  /** local hold: silence instead of the microphone while still sending (RFC 3264 §8.4 sendonly) */
  setHeld(held: boolean): void;
  sendDtmf(digits: string): boolean;
  stats(): MediaStats;
  /** true while media is SRTP-protected */
  readonly encrypted?: boolean;
  close(): Promise<void>;
}

export interface MediaOpenOptions {
  readonly bindAddress: string;
  readonly onAudio: (pcm: Int16Array) => void;
  /** no RTP/RTCP from the far end for the inactivity timeout while we expect media */
  readonly onInactive: () => void;
  /** a key the far end pressed (RFC 4733 telephone-event) */
  readonly onDtmf?: (digit: string) => void;
}

export type OpenMedia = (options: MediaOpenOptions) => Promise<CallMedia>;

/** One call's audio device pair: `push` takes 20 ms mic frames at the media session's rate (the app: 320 samples at 16 kHz). */
export interface CallAudio {
  play(pcm: Int16Array): void;
  close(): void;
}

export interface CallAudioPort {
  open(callId: CallId, push: (pcm: Int16Array) => void): CallAudio;
}

export type CallMessageStore = Pick<
  Storage,
  'getOrCreateConversation' | 'getConversation' | 'insertOutgoing' | 'insertIncoming' | 'updateMessageState'
>;

/** the call history (issue 16): an ended call is saved once; the stored ones are listed after a restart */
export type CallHistoryStore = Pick<Storage, 'listCallHistory' | 'saveEndedCall'>;
