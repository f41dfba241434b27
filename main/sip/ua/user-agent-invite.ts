/**
 * INVITE as a UAC (RFC 3261 §13.2, §9.1, RFC 6026): one InviteClientTransaction per attempt; a 401/407
 * is answered once per challenge with a new INVITE (§22.2); every 2xx the transaction passes up (also
 * retransmissions and forks, RFC 6026 §8.4) goes to `onFinal` — the dialog layer ACKs each (§13.2.2.4).
 * CANCEL (§9.1) waits for a provisional response: "a CANCEL MUST NOT be sent ... until a provisional
 * response has been received".
 */
import { SipRequest } from '../message/index.ts';
import type { SipResponse } from '../message/index.ts';
import type { ClientTransaction } from '../transaction/index.ts';
import type { Endpoint } from '../transport/index.ts';
import { markLocalFailure } from './user-agent-failure.ts';
import type { InviteHandle, InviteOptions } from './user-agent-options.ts';
import { applySizeRule } from './user-agent-targets.ts';
import { targetsFor, withFreshVia, type UacCore } from './user-agent-uac.ts';

/** §9.1: the CANCEL for an INVITE: same Request-URI, Call-ID, To, From, CSeq number, Route and top Via. */
export function buildCancel(invite: SipRequest): SipRequest {
  const headers: [string, string][] = [];
  const topVia = invite.headers.getAll('Via')[0];
  if (topVia !== undefined) headers.push(['Via', topVia]);
  headers.push(['Max-Forwards', '70']);
  for (const r of invite.headers.getAll('Route')) headers.push(['Route', r]);
  headers.push(['To', invite.headers.get('To') ?? '']);
  headers.push(['From', invite.headers.get('From') ?? '']);
  headers.push(['Call-ID', invite.callId]);
  headers.push(['CSeq', `${invite.cseq.seq} CANCEL`]);
  return new SipRequest({ method: 'CANCEL', uri: invite.uriText, headers });
}

export async function sendInvite(core: UacCore, invite: SipRequest, options: InviteOptions): Promise<InviteHandle> {
  const resolved = await targetsFor(core, invite, options.destination);
  if (!resolved.ok) {
    throw new Error(`INVITE: no route (${resolved.reason})`);
  }
  const first = resolved.targets[0];
  if (first === undefined) throw new Error('INVITE: no target');
  const destination: Endpoint = resolved.hop === null ? first : applySizeRule(withFreshVia(core, invite, first), first, resolved.targets, resolved.hop);

  let cancelWanted = false;
  let provisionalSeen = false;
  let cancelled = false;
  let finalSeen = false;
  let current = invite.clone();
  core.authenticator.applyCached(current);
  let sent = withFreshVia(core, current, destination);
  let tx: ClientTransaction;

  const sendCancel = (): void => {
    if (cancelled || finalSeen) return;
    cancelled = true;
    const cancel = buildCancel(sent);
    // §9.1: the CANCEL goes where the INVITE went; its response is of no further interest
    core.transactions.sendNonInvite(cancel, tx.endpoint, { onResponse: () => undefined, onTimeout: () => undefined, onTransportError: () => undefined });
  };

  const start = (): void => {
    const request = sent;
    tx = core.transactions.sendInvite(request, destination, {
      onResponse: (response: SipResponse) => {
        if (response.status < 200) {
          provisionalSeen = true;
          options.onProvisional?.(response);
          if (cancelWanted) sendCancel();
          return;
        }
        if ((response.status === 401 || response.status === 407) && !cancelWanted && !finalSeen) {
          const outcome = core.authenticator.respondToChallenge(request, response, () => request.cseq.seq + 1);
          if (outcome.kind === 'retry') {
            current = outcome.request;
            sent = withFreshVia(core, current, destination);
            provisionalSeen = false;
            start();
            return;
          }
          core.reportAuthFailure(request, outcome.failure);
          options.onAuthFailure?.(outcome.failure);
        }
        finalSeen = finalSeen || response.status >= 300;
        options.onFinal(response);
      },
      onTimeout: (response) => {
        finalSeen = true;
        options.onFinal(markLocalFailure(response, { kind: 'timeout', protocol: destination.protocol, reason: 'no response (timeout)' }));
      },
      onTransportError: (response, reason) => {
        finalSeen = true;
        options.onFinal(markLocalFailure(response, { kind: 'transport', protocol: destination.protocol, reason }));
      },
    });
  };
  start();

  return {
    cancel: () => {
      cancelWanted = true;
      if (provisionalSeen) sendCancel();
    },
    get transaction() {
      return tx;
    },
    get request() {
      return sent;
    },
    destination,
  };
}

