/**
 * MESSAGE within a dialog (RFC 3428 §2, §4; RFC 3261 §12.2.1.1): built by the dialog (same Call-ID and
 * tags, the next local CSeq, its route set and remote target), and serialized: RFC 3428 §8 "a UAC MUST
 * NOT initiate a new MESSAGE transaction ... until the previous MESSAGE transaction has completed", so a
 * dialog never has two MESSAGEs pending. The CSeq is taken when the MESSAGE is actually sent, so the
 * wire order is the CSeq order.
 */
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { Dialog } from './dialog.ts';
import type { DialogUserAgent } from './user-agent-port.ts';

export type InDialogMessageOutcome =
  /** the final response to the MESSAGE that went out (`request` as sent: Call-ID, CSeq, Route ...) */
  | { readonly kind: 'response'; readonly response: SipResponse; readonly request: SipRequest }
  /** never sent: the dialog ended while it waited in the queue */
  | { readonly kind: 'dialog-ended'; readonly reason: string };

interface Queued {
  readonly body: Buffer;
  readonly contentType: string;
  readonly resolve: (outcome: InDialogMessageOutcome) => void;
}

export class InDialogMessageSender {
  readonly #dialog: Dialog;
  readonly #ua: DialogUserAgent;
  readonly #queue: Queued[] = [];
  readonly #onResponse: (response: SipResponse) => void;
  #inFlight = false;
  #closed: string | null = null;

  /** `onResponse` sees every final response (the session ends the dialog on 481/408, §12.2.1.2) */
  constructor(dialog: Dialog, ua: DialogUserAgent, onResponse: (response: SipResponse) => void = () => {}) {
    this.#dialog = dialog;
    this.#ua = ua;
    this.#onResponse = onResponse;
  }

  /** queued plus in flight */
  get pending(): number {
    return this.#queue.length + (this.#inFlight ? 1 : 0);
  }

  send(body: Buffer | string, contentType: string): Promise<InDialogMessageOutcome> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    return new Promise((resolve) => {
      if (this.#closed !== null) {
        resolve({ kind: 'dialog-ended', reason: this.#closed });
        return;
      }
      this.#queue.push({ body: bytes, contentType, resolve });
      this.#next();
    });
  }

  /** the dialog ended: what is still queued is never sent (the one in flight completes on its own) */
  close(reason: string): void {
    if (this.#closed !== null) return;
    this.#closed = reason;
    for (const q of this.#queue.splice(0)) q.resolve({ kind: 'dialog-ended', reason });
  }

  #next(): void {
    if (this.#inFlight || this.#closed !== null) return;
    const item = this.#queue.shift();
    if (item === undefined) return;
    if (this.#dialog.state !== 'confirmed') {
      item.resolve({ kind: 'dialog-ended', reason: 'the call is not connected' });
      this.#next();
      return;
    }
    this.#inFlight = true;
    const request = this.#dialog.createRequest('MESSAGE', { body: item.body, contentType: item.contentType });
    this.#ua.sendRequest(request).then(
      (response) => this.#done(item, { kind: 'response', response, request }),
      (error: unknown) => this.#done(item, { kind: 'dialog-ended', reason: error instanceof Error ? error.message : String(error) }),
    );
  }

  #done(item: Queued, outcome: InDialogMessageOutcome): void {
    this.#inFlight = false;
    if (outcome.kind === 'response') this.#onResponse(outcome.response);
    item.resolve(outcome);
    this.#next();
  }
}
