/**
 * Wires the dialog layer to the UA core (main/sip/ua/user-agent.ts): the DialogUserAgent port over
 * UserAgent.sendRequest/sendInvite/sendAck, and the UA's request, ACK, CANCEL and dialog-matcher hooks
 * into a DialogLayer. A pager-mode MESSAGE (no To tag) is left to `outOfDialogMessage`.
 */
import { createResponse } from '../message/index.ts';
import type { SipRequest } from '../message/index.ts';
import type { UserAgent } from '../ua/user-agent.ts';
import { synthesized503 } from '../ua/user-agent-failure.ts';
import type { DialogLayer } from './dialog-layer.ts';
import { DTMF_INFO_TYPES } from './info-dtmf.ts';
import type { RequestHandler } from '../ua/user-agent-options.ts';
import type { DialogUserAgent, InviteHandle, InviteHandlers } from './user-agent-port.ts';

type UaCore = Pick<UserAgent, 'sendRequest' | 'sendInvite' | 'sendAck'>;

export function dialogUserAgent(ua: UaCore): DialogUserAgent {
  return {
    sendRequest: (request, options) =>
      ua.sendRequest(request, options?.onProvisional !== undefined ? { onProvisional: options.onProvisional } : {}),
    sendInvite(request: SipRequest, handlers: InviteHandlers): InviteHandle {
      let cancelWanted = false;
      let handle: { cancel(): void } | null = null;
      ua.sendInvite(request, { onProvisional: (r) => handlers.onProvisional(r), onFinal: (r) => handlers.onFinal(r) }).then(
        (h) => {
          handle = h;
          if (cancelWanted) h.cancel();
        },
        (error: unknown) => {
          // §8.1.3.1: no route to the target is a 503 for the TU
          const reason = error instanceof Error ? error.message : String(error);
          handlers.onFinal(synthesized503(request, { kind: 'transport', protocol: 'udp', reason }));
        },
      );
      return {
        cancel: () => {
          cancelWanted = true;
          handle?.cancel();
        },
      };
    },
    sendAck: (ack) => {
      ua.sendAck(ack).catch(() => undefined);
    },
  };
}

type UaHooks = Pick<UserAgent, 'onRequest' | 'onAck' | 'onCancel' | 'setDialogMatcher'>;

/**
 * Registers the dialog layer with the UA: INVITE, BYE, UPDATE, in-dialog MESSAGE, ACK for 2xx, CANCELs the UA
 * answered (§9.2), and the §12.2.2 matcher. Returns the function that unregisters everything.
 */
export function attachDialogLayer(
  ua: UaHooks,
  layer: DialogLayer,
  /** a MESSAGE outside any dialog, e.g. `(r, tx, inbound) => void answerMessage(r, tx, inbound, receiver)` */
  outOfDialogMessage?: RequestHandler,
  // RFC 3428 §11.3 / RFC 8551 §3.2: S/MIME bodies reach the chat service, which opens them or answers 415 itself
  messageTypes: readonly string[] = ['text/plain', 'message/cpim', 'application/im-iscomposing+xml', 'application/pkcs7-mime', 'application/x-pkcs7-mime'],
  /** RFC 6665: SUBSCRIBE outside any dialog (a watcher of our presence); absent = 405 like before */
  outOfDialogSubscribe?: RequestHandler,
): () => void {
  const toLayer: RequestHandler = (request, tx, inbound) => {
    if (layer.receiveRequest(request, tx)) return;
    if (request.method === 'MESSAGE' && outOfDialogMessage !== undefined) outOfDialogMessage(request, tx, inbound);
    else if (request.method === 'SUBSCRIBE' && outOfDialogSubscribe !== undefined) outOfDialogSubscribe(request, tx, inbound);
    // RFC 6665 §4.1.3: a NOTIFY that matches no subscription is answered 481
    else if (request.method === 'NOTIFY') tx.respond(createResponse(request, 481));
    else tx.respond(createResponse(request, 405));
  };
  ua.setDialogMatcher((request) => layer.hasDialogFor(request));
  const off = [
    ua.onRequest('INVITE', toLayer),
    ua.onRequest('BYE', toLayer),
    // RFC 3311: UPDATE within a call (session refresh, RFC 4028; or a new offer)
    ua.onRequest('UPDATE', toLayer, { acceptedTypes: ['application/sdp'] }),
    // RFC 6086 INFO within a call: DTMF key presses (info-dtmf.ts)
    ua.onRequest('INFO', toLayer, { acceptedTypes: [...DTMF_INFO_TYPES] }),
    ua.onRequest('MESSAGE', toLayer, { acceptedTypes: messageTypes }),
    // RFC 6665 / RFC 3856: NOTIFY of our subscriptions; SUBSCRIBE of watchers (or refreshes of theirs)
    ua.onRequest('NOTIFY', toLayer),
    ...(outOfDialogSubscribe !== undefined ? [ua.onRequest('SUBSCRIBE', toLayer)] : []),
    ua.onAck((ack) => layer.receiveAck(ack)),
    ua.onCancel((invite) => layer.cancelled(invite)),
  ];
  return () => {
    ua.setDialogMatcher(undefined);
    for (const f of off) f();
  };
}
