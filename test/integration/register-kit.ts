/** Helpers for the UA/registration integration tests: a real SipTransportLayer + UserAgent per account. */
import { execFileSync } from 'node:child_process';
import type { TimerConfig } from '../../main/sip/transaction/index.ts';
import { systemClock } from '../../main/sip/transaction/index.ts';
import { SipTransportLayer } from '../../main/sip/transport/index.ts';
import type { TlsTrust, TransportProtocol, WireTraceEvent } from '../../main/sip/transport/index.ts';
import { RealmBinding, Registration, UserAgent } from '../../main/sip/ua/index.ts';
import type { RegistrationStatus } from '../../main/sip/ua/index.ts';
import { startKamailio, type KamailioOptions, type RunningKamailio } from '../support/kamailio.ts';
import { requirePeer, waitFor } from '../support/peers.ts';

export interface Account {
  readonly layer: SipTransportLayer;
  readonly ua: UserAgent;
  readonly registration: Registration;
  readonly trace: WireTraceEvent[];
  readonly states: RegistrationStatus[];
  close(): Promise<void>;
}

export interface AccountSpec {
  readonly user: string;
  readonly password: string;
  readonly protocol: TransportProtocol;
  readonly sipPort: number;
  readonly tlsPort?: number;
  readonly trust?: TlsTrust;
  readonly backoffMs?: number;
  readonly expires?: number;
  readonly timers?: Partial<TimerConfig>;
}

export async function makeAccount(spec: AccountSpec): Promise<Account> {
  const trace: WireTraceEvent[] = [];
  const layer = await SipTransportLayer.create({
    listen: [{ protocol: 'udp', address: '127.0.0.1', port: 0 }],
    ...(spec.trust !== undefined ? { tlsTrust: () => spec.trust } : {}),
    onTrace: (e) => trace.push(e),
  });
  const port = spec.protocol === 'tls' ? (spec.tlsPort ?? spec.sipPort + 1) : spec.sipPort;
  const ua = new UserAgent({
    transport: layer,
    clock: systemClock,
    aor: `sip:${spec.user}@example.test`,
    displayName: spec.user,
    authUser: spec.user,
    password: spec.password,
    outboundProxy: `sip:127.0.0.1:${port}${spec.protocol === 'udp' ? '' : `;transport=${spec.protocol}`}`,
    transportProtocol: spec.protocol,
    registrar: 'example.test',
    // RFC 4028: the dialog layer runs session timers, so `Require: timer` is understood (§8.2.2.3)
    supportedExtensions: ['timer'],
    realms: new RealmBinding({ configured: 'example.test' }),
    ...(spec.timers !== undefined ? { timers: spec.timers } : {}),
  });
  const registration = new Registration({
    ua,
    expires: spec.expires ?? 120,
    backoff: { initialMs: spec.backoffMs ?? 5_000, maxMs: (spec.backoffMs ?? 5_000) * 4, jitter: 0 },
  });
  const states: RegistrationStatus[] = [];
  registration.onStatus((s) => states.push(s));
  return {
    layer,
    ua,
    registration,
    trace,
    states,
    close: async () => {
      await registration.stop();
      registration.dispose();
      ua.close();
      await layer.close();
    },
  };
}

/** waits until the registration leaves 'registering' (registered or failed) */
export async function settled(account: Account, timeoutMs = 10_000): Promise<RegistrationStatus> {
  await waitFor(() => account.registration.status.state === 'registered' || account.registration.status.state === 'failed', 'registration outcome', timeoutMs);
  return account.registration.status;
}

/**
 * Kamailio on sipPort (UDP/TCP) and sipPort + 1 (TLS) chosen at random in [base, base + span), retried on
 * a collision; with `secondHop` also on sipPort + 2 (UDP), the inner of two record-routing hops.
 */
export async function startKamailioOnFreePorts(
  base: number,
  span: number,
  options: {
    readonly secondHop?: boolean;
    readonly presence?: KamailioOptions['presence'];
    readonly rtpengineNgPort?: number;
    readonly tm?: KamailioOptions['tm'];
  } = {},
): Promise<{ kamailio: RunningKamailio; sipPort: number; secondHopPort: number | null }> {
  requirePeer('kamailio');
  const step = options.secondHop === true ? 3 : 2;
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    const sipPort = base + step * Math.floor(Math.random() * (span / step));
    const secondHopPort = options.secondHop === true ? sipPort + 2 : null;
    try {
      const kamailio = await startKamailio({
        sipPort,
        tlsPort: sipPort + 1,
        ...(secondHopPort !== null ? { secondHopPort } : {}),
        ...(options.presence !== undefined ? { presence: options.presence } : {}),
        ...(options.rtpengineNgPort !== undefined ? { rtpengineNgPort: options.rtpengineNgPort } : {}),
        ...(options.tm !== undefined ? { tm: options.tm } : {}),
      });
      return { kamailio, sipPort, secondHopPort };
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/** AORs Kamailio holds (kamcmd ul.dump) */
export function registeredContacts(kamailio: RunningKamailio): string {
  // throws when kamcmd fails: an empty answer must never pass for "no contacts"
  const dump = execFileSync('/usr/sbin/kamcmd', ['-s', `unix:${kamailio.runDir}/kamailio_ctl`, 'ul.dump'], { encoding: 'utf8', timeout: 5_000 });
  if (!dump.includes('Domains') && !dump.includes('Domain')) throw new Error(`unexpected kamcmd ul.dump output: ${dump.slice(0, 200)}`);
  return dump;
}

/** SIP messages (not keep-alives) in a trace, as text */
export function wireMessages(trace: readonly WireTraceEvent[], direction: 'in' | 'out'): string[] {
  return trace.filter((e) => e.kind === 'message' && e.direction === direction).map((e) => e.raw.toString('utf8'));
}
