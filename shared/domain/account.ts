import type { AccountId, EpochMs } from './ids.ts';

export type TransportKind = 'udp' | 'tcp' | 'tls';

/**
 * SRTP for the account's calls (RFC 3711, keys by SDES in the SDP, RFC 4568): off = plain RTP; offered =
 * encrypted when the other side takes it, plain otherwise; required = encrypted or no call.
 */
export type SrtpSetting = 'off' | 'offered' | 'required';

/** the default when none is chosen: required on TLS accounts, offered otherwise (issue 13) */
export function defaultSrtpSetting(transport: TransportKind): SrtpSetting {
  return transport === 'tls' ? 'required' : 'offered';
}

/** An account as the renderer sees it: never carries the password. */
export interface AccountDto {
  readonly id: AccountId;
  /** address of record, e.g. sip:alice@example.test */
  readonly aor: string;
  readonly displayName: string;
  readonly authUser: string;
  /** registrar / SIP domain, e.g. example.test or pbx.example.com:5060 */
  readonly registrar: string;
  /** optional outbound proxy URI, e.g. sip:127.0.0.1:15060;transport=tcp */
  readonly outboundProxy: string | null;
  readonly transport: TransportKind;
  readonly port: number | null;
  readonly cpim: boolean;
  /** PEM of a certificate the user chose to trust for this account (TLS pinning) */
  readonly pinnedCertificate: string | null;
  readonly enabled: boolean;
  readonly hasPassword: boolean;
  /**
   * The digest realm our password answers (RFC 3261 §22): the configured one, else `learnedRealm` (from the
   * registrar's first successful challenge). A challenge from any other realm is not answered.
   */
  readonly realm: string | null;
  /** further realms the password may answer (an outbound proxy with its own realm) */
  readonly extraRealms: readonly string[];
  /** the realm the registrar used in its first successful challenge (learned and stored; null = not yet) */
  readonly learnedRealm: string | null;
  /** accept out-of-dialog requests from any source (peer-to-peer), not only the registered path; default false */
  readonly allowDirect: boolean;
  /** SRTP for calls (defaultSrtpSetting when never chosen) */
  readonly srtp: SrtpSetting;
  /**
   * allow SDES keys in the SDP over UDP/TCP signalling, where anyone on the path can read them (RFC 4568
   * §8.3); default false: on UDP/TCP calls then stay plain RTP
   */
  readonly srtpOverInsecure: boolean;
}

/**
 * Where a new password goes: keyring (the default when the OS has one), session (memory only, asked again
 * at next start), obscured (store it although the OS has no keyring: Linux basic_text, the user agreed).
 */
export type PasswordStorage = 'keyring' | 'session' | 'obscured';

/** What the account form sends; `password` null = keep the stored one. */
export interface AccountInput {
  readonly id: AccountId | null;
  readonly aor: string;
  readonly displayName: string;
  readonly authUser: string;
  readonly password: string | null;
  readonly registrar: string;
  readonly outboundProxy: string | null;
  readonly transport: TransportKind;
  readonly port: number | null;
  readonly cpim: boolean;
  readonly pinnedCertificate: string | null;
  readonly enabled: boolean;
  /** configured digest realm; null/absent = learn it from the registrar's first successful challenge */
  readonly realm?: string | null;
  /** extra realms the password may answer; absent = none */
  readonly extraRealms?: readonly string[];
  /** absent = false: only the registered path may send us requests */
  readonly allowDirect?: boolean;
  /** absent/null = defaultSrtpSetting(transport) */
  readonly srtp?: SrtpSetting | null;
  /** absent = false */
  readonly srtpOverInsecure?: boolean;
  /** null/absent = keyring when there is one; otherwise the save is refused with a code saying why */
  readonly passwordStorage?: PasswordStorage | null;
}

export type RegistrationState =
  | { readonly state: 'unregistered' }
  | { readonly state: 'registering' }
  | { readonly state: 'registered'; readonly until: EpochMs }
  | { readonly state: 'failed'; readonly code: number | null; readonly reason: string; readonly retryAt: EpochMs | null };

export interface RegistrationDto {
  readonly accountId: AccountId;
  readonly registration: RegistrationState;
}

export interface RegistrationTestResult {
  readonly ok: boolean;
  readonly code: number | null;
  /** plain words: "registered", "wrong password (403)", "certificate not trusted" ... */
  readonly summary: string;
}
