/**
 * The dialog layer (RFC 3261 §12.2.2): matches requests carrying a To tag to a dialog by Call-ID + tags,
 * answers 481 when there is none and 500 when the CSeq is out of order, routes ACKs for 2xx (§13.3.1.4)
 * and CANCELs (§9.2) to the INVITE session they belong to, and hands new INVITEs to whoever takes calls.
 */
import { createResponse } from '../message/index.ts';
import type { SipRequest } from '../message/index.ts';
import type { Dialog } from './dialog.ts';
import { dialogIdKey, dialogIdOfIncomingRequest } from './dialog-id.ts';
import type { ResponseChannel } from './user-agent-port.ts';

/** A user of a dialog: the INVITE session (calls) - the thing the dialog layer dispatches to. */
export interface DialogUsage {
  /** a request within the dialog, after the §12.2.2 CSeq check; the usage MUST answer it */
  onRequest(request: SipRequest, channel: ResponseChannel): void;
  /** the ACK for our 2xx (§13.3.1.4) */
  onAck(ack: SipRequest): void;
}

/** A server INVITE not yet answered with a final response, so that a CANCEL can find it (§9.2). */
export interface PendingInvite {
  /** the CANCEL matched; the usage answers the INVITE with 487 */
  onCancel(cancel: SipRequest): void;
}

export interface DialogLayerOptions {
  /** an INVITE without To tag: a new call (§13.3.1). The handler MUST answer it. */
  readonly onIncomingInvite: (request: SipRequest, channel: ResponseChannel) => void;
}

function pendingKey(request: SipRequest): string {
  // §9.2: the CANCEL matches the INVITE's Call-ID, From tag, CSeq number and top Via branch
  return `${request.callId}|${request.fromTag ?? ''}|${request.cseq.seq}|${request.topVia?.branch ?? ''}`;
}

export class DialogLayer {
  readonly #dialogs = new Map<string, { readonly dialog: Dialog; readonly usage: DialogUsage }>();
  readonly #pending = new Map<string, PendingInvite>();
  /** RFC 6665 §4.1.2.4: a NOTIFY may arrive before the 2xx to our SUBSCRIBE, i.e. before the dialog exists */
  readonly #early = new Set<(request: SipRequest, channel: ResponseChannel | null) => boolean>();
  readonly #onIncomingInvite: DialogLayerOptions['onIncomingInvite'];

  constructor(options: DialogLayerOptions) {
    this.#onIncomingInvite = options.onIncomingInvite;
  }

  add(dialog: Dialog, usage: DialogUsage): void {
    this.#dialogs.set(dialog.key, { dialog, usage });
  }

  remove(dialog: Dialog): void {
    if (this.#dialogs.get(dialog.key)?.dialog === dialog) this.#dialogs.delete(dialog.key);
  }

  get(key: string): Dialog | undefined {
    return this.#dialogs.get(key)?.dialog;
  }

  get size(): number {
    return this.#dialogs.size;
  }

  /**
   * A claim on requests for a dialog that does not exist yet (a subscription's NOTIFY racing the 2xx,
   * RFC 6665 §4.1.2.4). `claim(request, null)` only asks; with a channel it must answer. Returns the
   * function that withdraws the claim.
   */
  addEarlyClaim(claim: (request: SipRequest, channel: ResponseChannel | null) => boolean): () => void {
    this.#early.add(claim);
    return () => this.#early.delete(claim);
  }

  /** registers an unanswered server INVITE; returns the function that forgets it */
  addPendingInvite(invite: SipRequest, pending: PendingInvite): () => void {
    const key = pendingKey(invite);
    this.#pending.set(key, pending);
    return () => {
      if (this.#pending.get(key) === pending) this.#pending.delete(key);
    };
  }

  /**
   * A request from the UA core. Returns false when it is not the dialog layer's (a request without To
   * tag other than INVITE/CANCEL: e.g. a pager-mode MESSAGE for the chat UAS); true when answered here.
   */
  receiveRequest(request: SipRequest, channel: ResponseChannel): boolean {
    if (request.method === 'ACK') {
      this.receiveAck(request);
      return true;
    }
    if (request.method === 'CANCEL') {
      this.#receiveCancel(request, channel);
      return true;
    }
    const id = dialogIdOfIncomingRequest(request);
    if (id === null) {
      if (request.method !== 'INVITE') return false;
      this.#onIncomingInvite(request, channel);
      return true;
    }
    const entry = this.#dialogs.get(dialogIdKey(id));
    if (entry === undefined) {
      for (const claim of this.#early) {
        if (claim(request, null)) {
          claim(request, channel);
          return true;
        }
      }
      // §12.2.2: "If the UAS wishes to reject the request because it does not wish to recreate the dialog,
      // it MUST respond to the request with a 481 (Call/Transaction Does Not Exist) status code"
      channel.respond(createResponse(request, 481));
      return true;
    }
    const check = entry.dialog.checkRemoteCSeq(request);
    if (!check.ok) {
      channel.respond(createResponse(request, check.status, check.reason));
      return true;
    }
    entry.usage.onRequest(request, channel);
    return true;
  }

  /** §12.2.2: does a request with a To tag belong to one of our dialogs (the UA core answers 481 if not) */
  hasDialogFor(request: SipRequest): boolean {
    const id = dialogIdOfIncomingRequest(request);
    if (id === null) return false;
    if (this.#dialogs.has(dialogIdKey(id))) return true;
    for (const claim of this.#early) if (claim(request, null)) return true;
    return false;
  }

  /** The UA core already answered a CANCEL (200) and the INVITE (487), §9.2: tell the session. */
  cancelled(invite: SipRequest): void {
    const key = pendingKey(invite);
    const pending = this.#pending.get(key);
    if (pending === undefined) return;
    this.#pending.delete(key);
    pending.onCancel(invite);
  }

  /** An ACK outside any transaction: the ACK for a 2xx (§13.3.1.4). Unknown ones are dropped (§17.2.3). */
  receiveAck(ack: SipRequest): void {
    const id = dialogIdOfIncomingRequest(ack);
    if (id === null) return;
    this.#dialogs.get(dialogIdKey(id))?.usage.onAck(ack);
  }

  #receiveCancel(cancel: SipRequest, channel: ResponseChannel): void {
    const pending = this.#pending.get(pendingKey(cancel));
    if (pending === undefined) {
      // §9.2: "If the UAS did not find a matching transaction for the CANCEL ... it SHOULD respond to the
      // CANCEL with a 481 (Call Leg/Transaction Does Not Exist)."
      channel.respond(createResponse(cancel, 481));
      return;
    }
    // §9.2: the CANCEL itself is answered 200; the INVITE gets 487 from the usage
    channel.respond(createResponse(cancel, 200));
    this.#pending.delete(pendingKey(cancel));
    pending.onCancel(cancel);
  }
}
