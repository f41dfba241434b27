/**
 * The UAC half of the UA core (RFC 3261 §8.1): sends a request through a client transaction to the
 * targets RFC 3263 gave (failing over to the next one on a transport error, RFC 3263 §4.3), with a fresh
 * Via branch per attempt (§8.1.1.7), and answers digest challenges once per challenge (§8.1.3.5, §22.2).
 */
import type { SipRequest, SipResponse, SipUri } from '../message/index.ts';
import type { TransactionLayer } from '../transaction/index.ts';
import { TargetResolutionError } from '../transport/index.ts';
import type { DnsResolver, Endpoint, TransportLayer, TransportProtocol } from '../transport/index.ts';
import type { Authenticator } from './credentials-authenticator.ts';
import type { AuthFailure } from './credentials-failure.ts';
import { localFailureOf, markLocalFailure, synthesized503 } from './user-agent-failure.ts';
import type { SendRequestOptions } from './user-agent-options.ts';
import { applySizeRule, nextHopUri, resolveNextHop } from './user-agent-targets.ts';
import { addVia, newBranch } from './uac-request.ts';

/** What the UAC functions need from the UserAgent. */
export interface UacCore {
  readonly transactions: TransactionLayer;
  readonly transport: TransportLayer;
  readonly authenticator: Authenticator;
  readonly outboundProxy: SipUri | null;
  readonly protocol: TransportProtocol;
  readonly resolver: DnsResolver;
  /** every authentication that ended without success (trace notes, issue 10) */
  reportAuthFailure(request: SipRequest, failure: AuthFailure): void;
  /** true once the UA is closed: its transactions are gone and no request goes out any more */
  readonly closed: boolean;
  /** `fn` runs when the UA closes; returns the unsubscribe function */
  onClose(fn: () => void): () => void;
}

export interface Attempt {
  readonly response: SipResponse;
  /** the request as sent (Via, CSeq, credentials) */
  readonly request: SipRequest;
  /** the endpoint the transaction used (with connectionId for streams) */
  readonly endpoint: Endpoint;
}

export type ResolvedTargets =
  | { readonly ok: true; readonly targets: readonly Endpoint[]; readonly hop: SipUri | null }
  | { readonly ok: false; readonly reason: string };

/** RFC 3263 §4 for this request (or the fixed destination). */
export async function targetsFor(core: UacCore, request: SipRequest, destination?: Endpoint): Promise<ResolvedTargets> {
  if (destination !== undefined) return { ok: true, targets: [destination], hop: null };
  try {
    const hop = nextHopUri(request, core.outboundProxy);
    return { ok: true, targets: await resolveNextHop(hop, core.protocol, core.resolver), hop };
  } catch (err) {
    if (err instanceof TargetResolutionError || err instanceof Error) return { ok: false, reason: err.message };
    return { ok: false, reason: String(err) };
  }
}

/**
 * A copy of `request` with a new top Via for `target` (§8.1.1.7: new branch; RFC 3581 rport). A kept
 * branch (`branchFor`) is used unless a live transaction of ours still holds it (then the request is a new
 * one to this UA: a fresh branch).
 */
export function withFreshVia(core: UacCore, request: SipRequest, target: Endpoint, branchFor?: SendRequestOptions['branchFor']): SipRequest {
  const copy = request.clone();
  copy.headers.remove('Via');
  const local = core.transport.localAddressFor(target);
  const kept = branchFor?.(request, target);
  const branch = kept !== undefined && !core.transactions.hasClient(kept, request.method) ? kept : newBranch();
  addVia(copy, { transport: target.protocol.toUpperCase(), host: local.host, port: local.port, branch, rport: true });
  return copy;
}

/**
 * One non-INVITE client transaction; resolves with the final (or synthesized 408/503) response. Closing
 * the UA drops its transactions without telling them (§17 has no "shutdown" event), so a send still
 * waiting then ends here as a local transport failure: nothing that awaits a request hangs on a closed
 * stack (quitting, an account rebuilt), and the message it carried stays unconfirmed, never delivered.
 */
function runTransaction(core: UacCore, request: SipRequest, destination: Endpoint, options: SendRequestOptions): Promise<Attempt> {
  const closed = (): Attempt => ({
    response: synthesized503(request, { kind: 'transport', protocol: destination.protocol, reason: 'the SIP stack was closed' }),
    request,
    endpoint: destination,
  });
  if (core.closed) return Promise.resolve(closed());
  return new Promise((resolve) => {
    let endpoint = destination;
    const offClose = core.onClose(() => resolve(closed()));
    const settle = (attempt: Attempt): void => {
      offClose();
      resolve(attempt);
    };
    const tx = core.transactions.sendRequest(request, destination, {
      onResponse: (response) => {
        if (response.status < 200) {
          options.onProvisional?.(response);
          return;
        }
        settle({ response, request, endpoint: tx.endpoint });
      },
      onTimeout: (response) => {
        settle({ response: markLocalFailure(response, { kind: 'timeout', protocol: destination.protocol, reason: 'no response (timeout)' }), request, endpoint });
      },
      onTransportError: (response, reason) => {
        endpoint = tx.endpoint;
        settle({ response: markLocalFailure(response, { kind: 'transport', protocol: destination.protocol, reason }), request, endpoint });
      },
    });
  });
}

/** Sends to the targets in order; moves on only after a transport error (RFC 3263 §4.3). */
async function sendWithFailover(core: UacCore, request: SipRequest, options: SendRequestOptions): Promise<Attempt> {
  const resolved = await targetsFor(core, request, options.destination);
  if (!resolved.ok) {
    return {
      response: synthesized503(request, { kind: 'resolution', protocol: null, reason: resolved.reason }),
      request,
      endpoint: { protocol: core.protocol, address: '', port: 0 },
    };
  }
  const { targets, hop } = resolved;
  let last: Attempt | null = null;
  for (const [i, target] of targets.entries()) {
    let attempt = withFreshVia(core, request, target, options.branchFor);
    const destination = hop === null ? target : applySizeRule(attempt, target, targets, hop);
    if (destination !== target) attempt = withFreshVia(core, request, destination, options.branchFor);
    options.prepare?.(attempt, destination);
    last = await runTransaction(core, attempt, destination, options);
    const failedOnTransport = localFailureOf(last.response)?.kind === 'transport';
    if (!failedOnTransport || i === targets.length - 1) break;
  }
  if (last === null) throw new Error('sendWithFailover: no target');
  return last;
}

/**
 * §8.1.3.5 / §22.2: a 401/407 is answered once per challenge with a new CSeq; the retry goes through
 * the same steps (targets, Via). Resolves with the last final response and the request that got it.
 */
export async function sendWithAuth(core: UacCore, request: SipRequest, options: SendRequestOptions): Promise<Attempt> {
  let current = request.clone();
  if (options.noAuth !== true) core.authenticator.applyCached(current);
  for (;;) {
    const attempt = await sendWithFailover(core, current, options);
    const { response } = attempt;
    if ((response.status === 401 || response.status === 407) && options.noAuth !== true) {
      const seq = current.cseq.seq;
      const outcome = core.authenticator.respondToChallenge(attempt.request, response, options.nextCSeq ?? (() => seq + 1));
      if (outcome.kind === 'retry') {
        current = outcome.request;
        continue;
      }
      core.reportAuthFailure(attempt.request, outcome.failure);
      options.onAuthFailure?.(outcome.failure);
      return attempt;
    }
    const refused = core.authenticator.checkFinalResponse(attempt.request, response);
    if (refused !== null) {
      core.reportAuthFailure(attempt.request, refused);
      options.onAuthFailure?.(refused);
    }
    options.onFlow?.(attempt.endpoint);
    return attempt;
  }
}
