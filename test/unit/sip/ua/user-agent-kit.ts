/** Shared setup for the UA core / registration unit tests: a UserAgent over the loop transport on a fake clock. */
import { createResponse } from '../../../../main/sip/message/index.ts';
import type { SipRequest, SipResponse } from '../../../../main/sip/message/index.ts';
import type { Endpoint, TransportProtocol } from '../../../../main/sip/transport/index.ts';
import { RealmBinding, UserAgent } from '../../../../main/sip/ua/index.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { LoopTransport, type SentRecord } from '../../../support/loop-transport.ts';

export const CONTACT_USER = 'c0ntact-t0ken';
export const PROXY: Endpoint = { protocol: 'udp', address: '127.0.0.1', port: 15060 };

export interface Kit {
  readonly clock: FakeClock;
  readonly loop: LoopTransport;
  readonly ua: UserAgent;
}

export function makeKit(options: { protocol?: TransportProtocol; password?: string; realms?: RealmBinding } = {}): Kit {
  const clock = new FakeClock(1_000);
  const loop = new LoopTransport({ clock, local: { host: '127.0.0.1', port: 40000 } });
  const protocol = options.protocol ?? 'udp';
  const ua = new UserAgent({
    transport: loop,
    clock,
    aor: 'sip:alice@example.test',
    displayName: 'Alice',
    authUser: 'alice',
    password: options.password ?? 'alice-secret',
    outboundProxy: `sip:127.0.0.1:15060${protocol === 'udp' ? '' : `;transport=${protocol}`}`,
    transportProtocol: protocol,
    registrar: 'example.test',
    // the PBX's realm, as an account that registered once has it (issue 10 realm binding)
    realms: options.realms ?? new RealmBinding({ configured: 'example.test' }),
    // the Contact's user part (issue 10: random by default; fixed here so tests can address us)
    contactUser: CONTACT_USER,
  });
  return { clock, loop, ua };
}

/** lets promise chains (target resolution, auth retry) run */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((r) => setImmediate(r));
}

export function sentRequests(loop: LoopTransport, method?: string): SentRecord[] {
  return loop.sent.filter((s) => s.message.kind === 'request' && (method === undefined || (s.message as SipRequest).method === method));
}

export function lastRequest(loop: LoopTransport, method?: string): SentRecord & { message: SipRequest } {
  const all = sentRequests(loop, method);
  const last = all[all.length - 1];
  if (last === undefined) throw new Error(`no ${method ?? ''} request sent`);
  return last as SentRecord & { message: SipRequest };
}

/** Answers a sent request as the far end would, from where it was sent. */
export function reply(loop: LoopTransport, record: SentRecord, status: number, headers: [string, string][] = [], reason?: string): SipResponse {
  const request = record.message as SipRequest;
  const response = createResponse(request, status, reason, { toTag: status === 100 ? undefined : 'far1', headers });
  loop.inject(response, record.destination);
  return response;
}

export const WWW_CHALLENGE: [string, string] = ['WWW-Authenticate', 'Digest realm="example.test", nonce="n1", qop="auth"'];
export const PROXY_CHALLENGE: [string, string] = ['Proxy-Authenticate', 'Digest realm="example.test", nonce="p1", qop="auth"'];
