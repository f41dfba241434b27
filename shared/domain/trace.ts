import type { AccountId, EpochMs } from './ids.ts';

/** One SIP message on the wire, for the diagnostics view (credentials redacted). */
export interface TraceEntryDto {
  readonly seq: number;
  readonly accountId: AccountId | null;
  readonly at: EpochMs;
  /** 'note': the app's own remark, e.g. a challenge it refused to answer (no wire message) */
  readonly direction: 'sent' | 'received' | 'note';
  readonly transport: string;
  readonly remote: string;
  readonly callId: string | null;
  /** "MESSAGE" / "200 OK": the start line summary */
  readonly summary: string;
  readonly text: string;
}

export interface SelfTestResult {
  readonly ok: boolean;
  readonly code: number | null;
  readonly explanation: string;
}
