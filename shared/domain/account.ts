import type { AccountId, EpochMs } from './ids.ts';

export type TransportKind = 'udp' | 'tcp' | 'tls';

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
