/**
 * One INVITE session (RFC 3261 §13-§15, RFC 3264) over a dialog (dialog.ts): the outgoing call (INVITE
 * with offer, early dialog on 1xx, ACK for every 2xx, CANCEL), the incoming call (180, 200 with answer
 * retransmitted until ACK, 486/603, the caller's CANCEL), BYE both ways, re-INVITE for hold/resume with
 * 491 glare handling, 481/408 ending the dialog, and MESSAGE within the dialog (RFC 3428 §4).
 */
import { createResponse } from '../message/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import { DEFAULT_TIMER_CONFIG } from '../transaction/index.ts';
import { newTag } from '../ua/uac-request.ts';
import { Dialog } from './dialog.ts';
import type { DialogLayer, DialogUsage } from './dialog-layer.ts';
import { InDialogMessageSender, type InDialogMessageOutcome } from './in-dialog-message.ts';
import { buildInitialInvite, type OutgoingInvite } from './initial-invite.ts';
import type { InviteSessionEvents, InviteSessionOptions, InviteSessionState, SessionEnd } from './invite-session-types.ts';
import { ReInviteClient } from './reinvite-client.ts';
import { ALLOW, ServerInvite, warning } from './server-invite.ts';
import type { OfferAnswer } from './offer-answer.ts';
import type { DialogUserAgent, InviteHandle, ResponseChannel } from './user-agent-port.ts';

export class InviteSession<M> implements DialogUsage {
  readonly role: 'uac' | 'uas';
  readonly ua: DialogUserAgent;
  readonly sdp: OfferAnswer<M>;
  readonly #layer: DialogLayer;
  readonly #options: InviteSessionOptions<M>;
  readonly #events: InviteSessionEvents<M>;
  #state: InviteSessionState;
  #dialog: Dialog | null = null;
  #messages: InDialogMessageSender | null = null;
  #reinvite: ReInviteClient<M> | null = null;
  /** UAC: the initial INVITE, its handle, the ACK of its 2xx */
  #invite: SipRequest | null = null;
  #inviteHandle: InviteHandle | null = null;
  #cancelRequested = false;
  #lastAck: SipRequest | null = null;
  /** UAS: answering the initial INVITE and later re-INVITEs */
  #server: ServerInvite | null = null;
  #forgetPending: (() => void) | null = null;
  #answerBody: string | null = null;
  /** we offered in a 2xx; the answer comes in the ACK (§13.2.1 delayed offer) */
  #awaitingAckAnswer = false;

  private constructor(options: InviteSessionOptions<M>, role: 'uac' | 'uas', state: InviteSessionState) {
    this.role = role;
    this.ua = options.ua;
    this.#layer = options.layer;
    this.#options = options;
    this.#events = options.events;
    this.sdp = options.sdp;
    this.#state = state;
  }

  get state(): InviteSessionState {
    return this.#state;
  }
  get dialog(): Dialog | null {
    return this.#dialog;
  }
  /** the INVITE that started the session (ours as UAC, theirs as UAS) */
  get initialRequest(): SipRequest | null {
    return this.#invite ?? this.#server?.request ?? null;
  }

  /** §13.2.1: places a call: INVITE with our SDP offer */
  static invite<M>(options: InviteSessionOptions<M>, out: OutgoingInvite): InviteSession<M> {
    const s = new InviteSession<M>(options, 'uac', 'calling');
    const request = buildInitialInvite(out, options.localContact, s.sdp.offer());
    s.#invite = request;
    s.#inviteHandle = options.ua.sendInvite(request, {
      onProvisional: (r) => s.#uacProvisional(r),
      onFinal: (r) => s.#uacFinal(r),
    });
    return s;
  }

  /**
   * §13.3.1: an INVITE arrived. An offer we cannot take is answered 488 with a Warning saying why
   * (RFC 3264 §6) and the session is born terminated; otherwise it waits in `incoming` for ring/accept/reject.
   */
  static incoming<M>(options: InviteSessionOptions<M>, request: SipRequest, channel: ResponseChannel): InviteSession<M> {
    const s = new InviteSession<M>(options, 'uas', 'incoming');
    const server = new ServerInvite(newTag(), options.localContact, options.clock, options.timers ?? DEFAULT_TIMER_CONFIG, () => s.#noAck());
    server.use(request, channel);
    s.#server = server;
    if (request.body.length > 0) {
      const answer = s.sdp.answer(request.body.toString('utf8'));
      if (!answer.ok) {
        server.respond(answer.status, { headers: [warning(answer.reason)] });
        s.#end({ by: 'local', status: answer.status, reason: answer.reason });
        return s;
      }
      s.#answerBody = answer.body;
    }
    s.#forgetPending = options.layer.addPendingInvite(request, {
      onCancel: () => {
        server.respond(487);
        s.#end({ by: 'remote', status: 487, reason: 'the caller cancelled' });
      },
    });
    return s;
  }

  // ---- UAS: answering the initial INVITE -------------------------------------------------------

  /** §13.3.1.1: 180 Ringing with our To tag, which makes the early dialog */
  ring(): void {
    if (this.#state !== 'incoming' || this.#server === null) return;
    this.#ensureUasDialog('early');
    this.#server.respond(180, { headers: [['Contact', this.#options.localContact]] });
  }

  /** §13.3.1.4: 200 with the SDP answer (or our offer, when theirs is delayed), retransmitted until ACK */
  accept(): boolean {
    const server = this.#server;
    if (this.#state !== 'incoming' || server === null) return false;
    const dialog = this.#ensureUasDialog('confirmed');
    if (dialog === null) return false;
    dialog.confirm();
    this.#forgetPending?.();
    const delayed = this.#answerBody === null;
    this.#awaitingAckAnswer = delayed;
    server.accept(this.#answerBody ?? this.sdp.offer());
    this.#setState('confirmed');
    const media = this.sdp.current;
    if (!delayed && media !== null) this.#events.onMedia?.(media);
    return true;
  }

  /** §13.3.1.3: 486 Busy Here, 603 Decline ... */
  reject(status = 603, reason?: string): void {
    if (this.#state !== 'incoming') return;
    this.#server?.respond(status, reason === undefined ? {} : { reason });
    this.#end({ by: 'local', status, reason: reason ?? (status === 486 ? 'busy' : 'declined') });
  }

  // ---- both roles -------------------------------------------------------------------------------

  /** ends the session whatever its state: CANCEL (calling/early), 603 (incoming) or BYE (confirmed) */
  hangUp(reason = 'hung up', by: SessionEnd['by'] = 'local'): void {
    switch (this.#state) {
      case 'calling':
      case 'early':
        // §9.1: CANCEL; the 487 (or a racing 2xx, then ACK + BYE) ends it
        this.#cancelRequested = true;
        this.#inviteHandle?.cancel();
        return;
      case 'incoming':
        this.reject(603);
        return;
      case 'confirmed':
        this.#sendBye();
        this.#end({ by, status: null, reason });
        return;
      case 'terminated':
        return;
    }
  }

  /** §14.1 / RFC 3264 §8.4: re-INVITE with sendonly (hold) or sendrecv (resume); resolves true on 2xx */
  setHold(held: boolean): Promise<boolean> {
    const dialog = this.#dialog;
    if (this.#state !== 'confirmed' || dialog === null) return Promise.resolve(false);
    this.#reinvite ??= new ReInviteClient({
      dialog,
      ua: this.ua,
      sdp: this.sdp,
      clock: this.#options.clock,
      random: this.#options.random ?? Math.random,
      ownsCallId: this.role === 'uac',
      onMedia: (m) => this.#events.onMedia?.(m),
      onDialogGone: (status) => this.#dialogGone(status),
    });
    return this.#reinvite.send(held);
  }

  /** RFC 3428 §4: MESSAGE within the confirmed dialog, one at a time (in-dialog-message.ts) */
  sendMessage(body: Buffer | string, contentType: string): Promise<InDialogMessageOutcome> {
    const sender = this.#messages;
    if (sender === null) return Promise.resolve({ kind: 'dialog-ended', reason: 'the call is not connected' });
    return sender.send(body, contentType);
  }

  get pendingMessages(): number {
    return this.#messages?.pending ?? 0;
  }

  // ---- DialogUsage: requests within the dialog --------------------------------------------------

  onRequest(request: SipRequest, channel: ResponseChannel): void {
    switch (request.method) {
      case 'BYE':
        // §15.1.2: "the UAS MUST generate a 2xx response to the BYE, and MUST pass that to the server transaction"
        channel.respond(createResponse(request, 200));
        this.#end({ by: 'remote', status: null, reason: 'the other side hung up' });
        return;
      case 'INVITE':
        this.#receiveReInvite(request, channel);
        return;
      case 'MESSAGE':
        void this.#receiveMessage(request, channel);
        return;
      case 'OPTIONS':
        channel.respond(createResponse(request, 200, undefined, [['Allow', ALLOW]]));
        return;
      default:
        // §8.2.1: a method we do not support within this dialog
        channel.respond(createResponse(request, 405, undefined, [['Allow', ALLOW]]));
    }
  }

  /** §13.3.1.4: the ACK stops the 2xx retransmissions; after a delayed offer it carries the answer */
  onAck(ack: SipRequest): void {
    if (this.#server === null || !this.#server.takeAck(ack) || !this.#awaitingAckAnswer) return;
    this.#awaitingAckAnswer = false;
    const applied = this.sdp.applyAnswer(ack.body.toString('utf8'));
    if (applied.ok) this.#events.onMedia?.(applied.media);
    else if (this.#state === 'confirmed' && this.#invite === null && this.#reinvite === null) {
      // RFC 3264 §5 / §13.2.1: an ACK without a usable answer to our offer leaves no session: BYE
      this.#sendBye();
      this.#end({ by: 'local', status: 488, reason: applied.reason });
    }
  }

  // ---- internals ----------------------------------------------------------------------------------

  #uacProvisional(response: SipResponse): void {
    const invite = this.#invite;
    if (invite === null || (this.#state !== 'calling' && this.#state !== 'early')) return;
    if (response.status > 100 && response.toTag !== null && this.#dialog === null) {
      // §12.1.2 / §13.2.2.1: a 1xx with a To tag creates an early dialog
      const dialog = Dialog.asUac(invite, response, this.#options.localContact);
      if (dialog !== null) this.#adoptDialog(dialog);
      this.#setState('early');
    }
    if (response.status > 100) this.#events.onProgress?.(response);
  }

  #uacFinal(response: SipResponse): void {
    const invite = this.#invite;
    if (invite === null) return;
    if (response.status >= 300 || response.status < 200) {
      // a non-2xx after we are connected (another fork, a late synthesized failure) changes nothing
      if (this.#state === 'confirmed') return;
      const cancelled = this.#cancelRequested && response.status === 487;
      const byNetwork = response.status === 408 || response.status === 503;
      this.#end(
        cancelled
          ? { by: 'local', status: 487, reason: 'cancelled' }
          : { by: byNetwork ? 'network' : 'remote', status: response.status, reason: response.reason },
      );
      return;
    }
    // §13.2.2.4: "The UAC core MUST generate an ACK request for each 2xx received from the transaction layer"
    const current = this.#dialog;
    const sameDialog = current !== null && current.id.remoteTag === response.toTag;
    if (sameDialog && current.state !== 'early' && this.#lastAck !== null) {
      this.ua.sendAck(this.#lastAck);
      return;
    }
    const dialog = sameDialog ? current : Dialog.asUac(invite, response, this.#options.localContact);
    if (dialog === null) return;
    if (current !== null && current !== dialog) {
      if (current.state === 'confirmed' || this.#state === 'terminated') {
        // §13.2.2.4: a 2xx from another fork after we are connected: ACK it and BYE that dialog
        this.ua.sendAck(dialog.createAck(response.cseq.seq));
        void this.ua.sendRequest(dialog.createRequest('BYE')).catch(() => undefined);
        return;
      }
      this.#layer.remove(current);
      current.terminate();
      this.#dialog = null;
    }
    dialog.confirm(response);
    if (this.#dialog !== dialog) this.#adoptDialog(dialog);
    this.#lastAck = dialog.createAck(response.cseq.seq);
    this.ua.sendAck(this.#lastAck);
    if (this.#state === 'terminated' || this.#cancelRequested) {
      // our CANCEL lost the race with the 2xx (§9.1): the call is up, so hang it up with BYE
      this.#sendBye();
      this.#end({ by: 'local', status: null, reason: 'cancelled' });
      return;
    }
    const applied = this.sdp.applyAnswer(response.body.toString('utf8'));
    this.#setState('confirmed');
    if (!applied.ok) {
      this.#sendBye();
      this.#end({ by: 'local', status: 488, reason: applied.reason });
      return;
    }
    this.#events.onMedia?.(applied.media);
  }

  #adoptDialog(dialog: Dialog): void {
    this.#dialog = dialog;
    this.#layer.add(dialog, this);
    this.#messages = new InDialogMessageSender(dialog, this.ua, (r) => {
      // §12.2.1.2: "If the response for a request within a dialog is a 481 ... or a 408 ..., the UAC
      // SHOULD terminate the dialog."
      if (r.status === 481 || r.status === 408) this.#dialogGone(r.status);
    });
  }

  #ensureUasDialog(state: 'early' | 'confirmed'): Dialog | null {
    if (this.#dialog !== null) return this.#dialog;
    const request = this.#server?.request;
    if (request === null || request === undefined || this.#server === null) return null;
    const dialog = Dialog.asUas(request, this.#server.localTag, this.#options.localContact, state);
    if (dialog !== null) this.#adoptDialog(dialog);
    return dialog;
  }

  #receiveReInvite(request: SipRequest, channel: ResponseChannel): void {
    const server = (this.#server ??= new ServerInvite(
      this.#dialog?.id.localTag ?? newTag(),
      this.#options.localContact,
      this.#options.clock,
      this.#options.timers ?? DEFAULT_TIMER_CONFIG,
      () => this.#noAck(),
    ));
    // §14.2: "A UAS that receives an INVITE on a dialog while an INVITE it had sent on that dialog is in
    // progress MUST return a 491 (Request Pending)"; likewise while our 2xx to the previous one is un-ACKed
    if (this.#reinvite?.inProgress === true || server.awaitingAck) {
      channel.respond(createResponse(request, 491));
      return;
    }
    // §12.2.2: a target refresh request replaces the remote target
    this.#dialog?.refreshTarget(request);
    server.use(request, channel);
    if (request.body.length === 0) {
      this.#awaitingAckAnswer = true;
      server.accept(this.sdp.offer());
      return;
    }
    const answer = this.sdp.answer(request.body.toString('utf8'));
    if (!answer.ok) {
      // §14.2: the session stays as it was; the re-INVITE is refused with why
      server.respond(answer.status, { headers: [warning(answer.reason)] });
      return;
    }
    this.#awaitingAckAnswer = false;
    server.accept(answer.body);
    this.#events.onMedia?.(answer.media);
  }

  async #receiveMessage(request: SipRequest, channel: ResponseChannel): Promise<void> {
    let status: number;
    try {
      status = (await this.#events.onMessage?.(request)) ?? 200;
    } catch {
      status = 500;
    }
    channel.respond(createResponse(request, status));
  }

  #sendBye(): void {
    const dialog = this.#dialog;
    if (dialog === null || dialog.state === 'terminated') return;
    // §15.1.1: BYE within the dialog; its response changes nothing here
    void this.ua.sendRequest(dialog.createRequest('BYE')).catch(() => undefined);
  }

  /** 2xx retransmitted for 64*T1 without ACK (§13.3.1.4): "the session SHOULD be terminated" with BYE */
  #noAck(): void {
    if (this.#state !== 'confirmed') return;
    this.#sendBye();
    this.#end({ by: 'network', status: 408, reason: 'no ACK for our 200 OK' });
  }

  /** §12.2.1.2 / §14.1: a 481 or 408 to a request within the dialog ends it (BYE only after 408) */
  #dialogGone(status: number): void {
    if (this.#state === 'terminated') return;
    if (status === 408) this.#sendBye();
    this.#end({ by: 'network', status, reason: status === 481 ? 'the other side no longer knows this call' : 'the other side stopped answering' });
  }

  #setState(state: InviteSessionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#events.onState?.(state);
  }

  #end(end: SessionEnd): void {
    if (this.#state === 'terminated') return;
    this.#server?.stop();
    this.#forgetPending?.();
    this.#reinvite?.dispose();
    const dialog = this.#dialog;
    if (dialog !== null) {
      dialog.terminate();
      this.#layer.remove(dialog);
    }
    this.#messages?.close(end.reason);
    this.#setState('terminated');
    this.#events.onTerminated?.(end);
  }
}
