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

/**
 * What the SIP edge turned away for one running account (issue 10, "bounded cost"), since it started.
 * Plain counts for the diagnostics view.
 */
export interface AccountEdgeCountersDto {
  readonly accountId: AccountId;
  /** requests dropped unanswered because they did not come from the registered path (the PBX) */
  readonly offPathDropped: number;
  /** distinct sources of those (bounded count) */
  readonly offPathSources: number;
  /** messages dropped because their source sent faster than its rate budget */
  readonly rateLimited: number;
  /** requests answered 503 (Retry-After) because too many requests were still being worked on */
  readonly overloadRefused: number;
  /** requests over that cap dropped unanswered (not from the registered path) */
  readonly overloadDropped: number;
  /** answered transactions ended before Timer J to make room (no message lost) */
  readonly overloadShed: number;
  /** live server transactions now, and the cap */
  readonly liveServerTransactions: number;
  readonly serverTransactionCap: number;
}

/** Message notifications since the app started: how many messages, how few notices (coalesced). */
export interface NotificationCountersDto {
  /** incoming messages seen */
  readonly messages: number;
  /** notices shown for them */
  readonly notices: number;
  /** messages that arrived while the window had focus (no notice) */
  readonly whileFocused: number;
  /** messages from people not in the contacts (message requests: counted, never shown one by one) */
  readonly requests: number;
}

export interface EdgeDiagnosticsDto {
  readonly accounts: readonly AccountEdgeCountersDto[];
  readonly notifications: NotificationCountersDto;
}
