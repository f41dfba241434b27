/** Shared builders for the transaction tests: requests as a UA would send them, recording TUs. */
import { createResponse, SipRequest } from '../../../../main/sip/message/index.ts';
import type { SipResponse } from '../../../../main/sip/message/index.ts';
import type { Endpoint } from '../../../../main/sip/transport/types.ts';
import type {
  ClientTransactionUser,
  ServerTransactionUser,
} from '../../../../main/sip/transaction/transaction-user.ts';
import type { FakeClock } from '../../../support/fake-clock.ts';

export const UDP_PEER: Endpoint = { protocol: 'udp', address: '192.0.2.10', port: 5060 };
export const TCP_PEER: Endpoint = { protocol: 'tcp', address: '192.0.2.10', port: 5060, connectionId: 'c-1' };

export interface RequestSpec {
  readonly branch?: string;
  readonly transport?: 'UDP' | 'TCP';
  readonly sentBy?: string;
  readonly cseq?: number;
  readonly cseqMethod?: string;
  readonly callId?: string;
  readonly fromTag?: string;
  readonly toTag?: string;
  readonly uri?: string;
  readonly rport?: boolean;
  readonly route?: string;
}

export function makeRequest(method: string, spec: RequestSpec = {}): SipRequest {
  const branch = spec.branch ?? 'z9hG4bK-test-1';
  const via = `SIP/2.0/${spec.transport ?? 'UDP'} ${spec.sentBy ?? '192.0.2.1:5060'}${branch === '' ? '' : `;branch=${branch}`}${spec.rport === true ? ';rport' : ''}`;
  const headers: Array<[string, string]> = [['Via', via]];
  if (spec.route !== undefined) headers.push(['Route', spec.route]);
  headers.push(
    ['Max-Forwards', '70'],
    ['From', `<sip:alice@example.com>;tag=${spec.fromTag ?? 'from-1'}`],
    ['To', `<sip:bob@example.com>${spec.toTag === undefined ? '' : `;tag=${spec.toTag}`}`],
    ['Call-ID', spec.callId ?? 'call-1@192.0.2.1'],
    ['CSeq', `${spec.cseq ?? 1} ${spec.cseqMethod ?? method}`],
  );
  return new SipRequest({ method, uri: spec.uri ?? 'sip:bob@example.com', headers });
}

export function responseTo(request: SipRequest, status: number, toTag = 'to-1'): SipResponse {
  return createResponse(request, status, undefined, status === 100 ? {} : { toTag });
}

export type ClientEvent =
  | { readonly at: number; readonly kind: 'response'; readonly status: number }
  | { readonly at: number; readonly kind: 'timeout'; readonly status: number }
  | { readonly at: number; readonly kind: 'transport-error'; readonly status: number; readonly reason: string }
  | { readonly at: number; readonly kind: 'terminated' };

/** A ClientTransactionUser that records what it is told, with the clock time. */
export class RecordingClientUser implements ClientTransactionUser {
  readonly events: ClientEvent[] = [];
  readonly responses: SipResponse[] = [];
  readonly #clock: FakeClock;

  constructor(clock: FakeClock) {
    this.#clock = clock;
  }

  onResponse(response: SipResponse): void {
    this.responses.push(response);
    this.events.push({ at: this.#clock.now(), kind: 'response', status: response.status });
  }

  onTimeout(response: SipResponse): void {
    this.responses.push(response);
    this.events.push({ at: this.#clock.now(), kind: 'timeout', status: response.status });
  }

  onTransportError(response: SipResponse, reason: string): void {
    this.responses.push(response);
    this.events.push({ at: this.#clock.now(), kind: 'transport-error', status: response.status, reason });
  }

  onTerminated(): void {
    this.events.push({ at: this.#clock.now(), kind: 'terminated' });
  }
}

export type ServerEvent =
  | { readonly at: number; readonly kind: 'timeout' | 'terminated' }
  | { readonly at: number; readonly kind: 'transport-error'; readonly reason: string };

export class RecordingServerUser implements ServerTransactionUser {
  readonly events: ServerEvent[] = [];
  readonly #clock: FakeClock;

  constructor(clock: FakeClock) {
    this.#clock = clock;
  }

  onTimeout(): void {
    this.events.push({ at: this.#clock.now(), kind: 'timeout' });
  }

  onTransportError(reason: string): void {
    this.events.push({ at: this.#clock.now(), kind: 'transport-error', reason });
  }

  onTerminated(): void {
    this.events.push({ at: this.#clock.now(), kind: 'terminated' });
  }
}

/** Lets rejected/resolved transport promises settle (send failures are reported asynchronously). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
