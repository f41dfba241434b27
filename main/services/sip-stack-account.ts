/**
 * One account's SIP stack: its own transport layer (UDP socket + TCP/TLS connections, TLS trust from the
 * pinned certificate), a UserAgent and a Registration. Built from the account data and its password.
 */
import type { AccountDto } from '#shared/domain/account.ts';
import { ServerTransactionCap, settleWithin, type Clock, type ServerCapOptions, type TimerConfig } from '../sip/transaction/index.ts';
import { fingerprintOfPem, SipTransportLayer, SourceGuard, SourceRateLimit, type RateBudget } from '../sip/transport/index.ts';
import { trustRegisteredPath } from './registered-path.ts';
import type { TlsTrust, WireTraceEvent } from '../sip/transport/index.ts';
import { RealmBinding, Registration, UserAgent } from '../sip/ua/index.ts';
import type { BackoffOptions } from '../sip/ua/index.ts';

/** The account fields a stack is built from (AccountDto and AccountInput both fit). */
export type StackAccount = Pick<AccountDto, 'aor' | 'displayName' | 'authUser' | 'registrar' | 'outboundProxy' | 'transport' | 'port' | 'pinnedCertificate'> &
  Partial<Pick<AccountDto, 'realm' | 'extraRealms' | 'learnedRealm' | 'allowDirect'>>;

export interface StackTuning {
  readonly clock: Clock;
  /** local address the UDP socket binds (default 0.0.0.0: any) */
  readonly bindAddress?: string;
  readonly expires?: number;
  readonly backoff?: BackoffOptions;
  readonly timers?: Partial<TimerConfig>;
  readonly keepAliveIntervalMs?: number;
  readonly userAgentHeader?: string;
  readonly wallClock?: () => number;
  /** accept out-of-dialog requests from any source (peer-to-peer); default false: only the registered path */
  readonly allowDirect?: boolean;
  /** the cap on live server transactions (issue 10): size and Retry-After; default 2048, 5 s */
  readonly serverCap?: Pick<ServerCapOptions, 'max' | 'retryAfterSeconds'>;
  /** per-source rate budgets (issue 10): off the registered path default 20/s burst 40; the path unlimited */
  readonly rateLimit?: { readonly untrusted?: RateBudget; readonly trusted?: RateBudget | null };
}

/** how long closing an account waits for the registrar to confirm the un-REGISTER */
export const UNREGISTER_WAIT_MS = 3_000;

export interface AccountStack {
  readonly layer: SipTransportLayer;
  readonly ua: UserAgent;
  readonly registration: Registration;
  /** the source check at the transport edge: its drop counters are diagnostics */
  readonly sourceGuard: SourceGuard;
  /** the per-source rate limit at the transport edge: its drop counter is diagnostics */
  readonly rateLimit: SourceRateLimit;
  /** the cap on live server transactions: its 503 / drop counters are diagnostics */
  readonly serverCap: ServerTransactionCap;
  /** unregisters (waiting at most UNREGISTER_WAIT_MS for the answer) and closes everything */
  close(): Promise<void>;
}

/** The pinned certificate as TLS trust: that exact certificate, by SHA-256 fingerprint (tls-trust.ts). */
export function trustOf(pinnedCertificate: string | null): TlsTrust | undefined {
  if (pinnedCertificate === null || pinnedCertificate.trim() === '') return undefined;
  try {
    return { fingerprints256: [fingerprintOfPem(pinnedCertificate)], ca: [pinnedCertificate] };
  } catch {
    return undefined;
  }
}

/**
 * Where requests go: the outbound proxy when set; otherwise the registrar (host[:port]) with the account's
 * transport, so a PBX account works with just its server name (the common softphone behaviour).
 */
export function outboundProxyOf(account: StackAccount): string {
  if (account.outboundProxy !== null && account.outboundProxy.trim() !== '') return account.outboundProxy.trim();
  const host = account.registrar.trim().replace(/^sips?:/i, '');
  const withPort = account.port !== null && !/:\d+$/.test(host) ? `${host}:${account.port}` : host;
  return `sip:${withPort}${account.transport === 'udp' ? '' : `;transport=${account.transport}`}`;
}

export interface LocalPortMemory {
  readonly preferred: number | null;
  remember(port: number): void;
}

/**
 * The account's UDP socket on the port it had before (a restart, a crash), else on any free one. The same
 * port keeps the Via sent-by of a re-sent MESSAGE the same — with its Call-ID, CSeq and branch that makes it
 * a retransmission a proxy matches to its transaction (RFC 3261 §17.2.3: branch, sent-by, method) — and the
 * proxy's answer, sent back to the source of the first copy (RFC 3581 rport), reaches the new process.
 * The registered Contact stays the same too.
 */
export async function bindLayer(preferred: number | null, create: (port: number) => Promise<SipTransportLayer>): Promise<SipTransportLayer> {
  if (preferred !== null && preferred > 0 && preferred < 65_536) {
    try {
      return await create(preferred);
    } catch {
      // taken by another program (or not allowed): any port will do
    }
  }
  return create(0);
}

export async function createAccountStack(
  account: StackAccount,
  password: string,
  tuning: StackTuning,
  onTrace: (event: WireTraceEvent) => void,
  /** the registrar's realm was learned (first successful challenge): the caller stores it (issue 10) */
  onRealmLearned?: (realm: string) => void,
  /** the UDP port this account bound last time (kept across restarts, see `bindLayer`) and where to keep the new one */
  localPort?: LocalPortMemory,
): Promise<AccountStack> {
  const trust = trustOf(account.pinnedCertificate);
  const sourceGuard = new SourceGuard({ allowDirect: tuning.allowDirect ?? account.allowDirect ?? false });
  const realms = new RealmBinding({
    configured: account.realm ?? null,
    learned: account.learnedRealm ?? null,
    extra: account.extraRealms ?? [],
    ...(onRealmLearned !== undefined ? { onLearned: onRealmLearned } : {}),
  });
  const rateLimit = new SourceRateLimit({ clock: tuning.clock, ...tuning.rateLimit });
  const serverCap = new ServerTransactionCap({ ...tuning.serverCap, fromRegisteredPath: (source) => sourceGuard.isTrusted(source.address) });
  await trustRegisteredPath(sourceGuard, [account.registrar, outboundProxyOf(account)]);
  const layer = await bindLayer(localPort?.preferred ?? null, (port) =>
    SipTransportLayer.create({
      sourceGuard,
      rateLimit,
      clock: tuning.clock,
      listen: [{ protocol: 'udp', address: tuning.bindAddress ?? '0.0.0.0', port }],
      ...(trust !== undefined ? { tlsTrust: () => trust } : {}),
      // RFC 3261 §18.4: a PBX that is down is known from ICMP at once (udp-reachability.ts)
      icmpProbe: true,
      onTrace,
    }),
  );
  const bound = layer.listening().find((l) => l.protocol === 'udp')?.port;
  if (bound !== undefined && bound !== localPort?.preferred) localPort?.remember(bound);
  let ua: UserAgent;
  try {
    ua = new UserAgent({
      transport: layer,
      clock: tuning.clock,
      aor: account.aor,
      displayName: account.displayName === '' ? null : account.displayName,
      authUser: account.authUser,
      password,
      realms,
      outboundProxy: outboundProxyOf(account),
      transportProtocol: account.transport,
      registrar: account.registrar.replace(/^sips?:/i, '').replace(/:\d+$/, ''),
      // RFC 4028: the dialog layer runs session timers, so `Require: timer` is understood (§8.2.2.3)
      supportedExtensions: ['timer'],
      ...(trust !== undefined ? { tlsTrust: trust } : {}),
      ...(tuning.timers !== undefined ? { timers: tuning.timers } : {}),
      serverCap,
      ...(tuning.userAgentHeader !== undefined ? { userAgentHeader: tuning.userAgentHeader } : {}),
    });
  } catch (err) {
    await layer.close();
    throw err;
  }
  const registration = new Registration({
    ua,
    ...(tuning.expires !== undefined ? { expires: tuning.expires } : {}),
    ...(tuning.backoff !== undefined ? { backoff: tuning.backoff } : {}),
    ...(tuning.keepAliveIntervalMs !== undefined ? { keepAliveIntervalMs: tuning.keepAliveIntervalMs } : {}),
    ...(tuning.wallClock !== undefined ? { wallClock: tuning.wallClock } : {}),
  });
  let closed = false;
  return {
    layer,
    ua,
    registration,
    sourceGuard,
    rateLimit,
    serverCap,
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        // quitting never waits out Timer F for a PBX that is gone (RFC 3261 §10.2.2 is a courtesy)
        await settleWithin(tuning.clock, UNREGISTER_WAIT_MS, registration.stop());
      } finally {
        registration.dispose();
        ua.close();
        await layer.close();
      }
    },
  };
}
