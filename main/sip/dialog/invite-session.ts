/**
 * One INVITE session (RFC 3261 §13-§15, RFC 3264) over a dialog (dialog.ts), how it is established: the
 * outgoing call (INVITE with offer and RFC 4028 Supported/Session-Expires, early dialog on 1xx, ACK for
 * every 2xx, a 422 retried with the larger Min-SE, CANCEL) and the incoming call (422 for a too small
 * session interval, 180, 200 with answer retransmitted until ACK, 486/603, the caller's CANCEL). What
 * it does within the dialog (hold, BYE, MESSAGE, UPDATE, refreshes) is invite-session-base.ts.
 */
import type { SipRequest, SipResponse } from '../message/index.ts';
import { DEFAULT_TIMER_CONFIG } from '../transaction/index.ts';
import { newTag } from '../ua/uac-request.ts';
import { Dialog } from './dialog.ts';
import { buildInitialInvite, type OutgoingInvite } from './initial-invite.ts';
import { InviteSessionBase } from './invite-session-base.ts';
import type { InviteSessionOptions, InviteSessionState, SessionEnd } from './invite-session-types.ts';
import { ServerInvite, warning } from './server-invite.ts';
import { SUPPORTED_TIMER } from './session-timer-usage.ts';
import type { UasTimerDecision } from './session-timer.ts';
import type { InviteHandle, ResponseChannel } from './user-agent-port.ts';

export class InviteSession<M> extends InviteSessionBase<M> {
  /** UAC: the handle to CANCEL the initial INVITE, the ACK of its 2xx */
  #inviteHandle: InviteHandle | null = null;
  #cancelRequested = false;
  #lastAck: SipRequest | null = null;
  /** UAS: our answer to their offer in the initial INVITE */
  #answerBody: string | null = null;
  /** UAC: what the initial INVITE was built from (a 422 makes us send it again, RFC 4028 §7.3) */
  #outgoing: OutgoingInvite | null = null;
  /** UAS: the RFC 4028 §9 decision for the initial INVITE, applied with our 2xx */
  #initialTimer: UasTimerDecision = { kind: 'none' };

  private constructor(options: InviteSessionOptions<M>, role: 'uac' | 'uas', state: InviteSessionState) {
    super(options, role, state);
  }

  /** §13.2.1: places a call: INVITE with our SDP offer */
  static invite<M>(options: InviteSessionOptions<M>, out: OutgoingInvite): InviteSession<M> {
    const s = new InviteSession<M>(options, 'uac', 'calling');
    s.#outgoing = out;
    s.#sendInitialInvite(buildInitialInvite(out, options.localContact, s.sdp.offer(), s.timers.requestHeaders()));
    return s;
  }

  #sendInitialInvite(request: SipRequest): void {
    this.initialInvite = request;
    this.#inviteHandle = this.ua.sendInvite(request, {
      onProvisional: (r) => {
        if (this.initialInvite === request) this.#uacProvisional(r);
      },
      onFinal: (r) => {
        if (this.initialInvite === request) this.#uacFinal(r);
      },
    });
  }

  /**
   * §13.3.1: an INVITE arrived. An offer we cannot take is answered 488 with a Warning saying why
   * (RFC 3264 §6) and the session is born terminated; otherwise it waits in `incoming` for ring/accept/reject.
   */
  static incoming<M>(options: InviteSessionOptions<M>, request: SipRequest, channel: ResponseChannel): InviteSession<M> {
    const s = new InviteSession<M>(options, 'uas', 'incoming');
    const server = new ServerInvite(newTag(), options.localContact, options.clock, options.timers ?? DEFAULT_TIMER_CONFIG, () => s.noAck());
    server.use(request, channel);
    s.uasInvite = server;
    const timer = s.timers.uasDecide(request);
    if (timer.kind === 'too-small') {
      // RFC 4028 §9: 422 (Session Interval Too Small) with our Min-SE; the caller retries
      server.respond(422, { headers: [['Min-SE', String(timer.minSe)]] });
      s.endSession({ by: 'local', status: 422, reason: 'session interval too small' });
      return s;
    }
    s.#initialTimer = timer;
    if (request.body.length > 0) {
      const answer = s.sdp.answer(request.body.toString('utf8'));
      if (!answer.ok) {
        server.respond(answer.status, { headers: [warning(answer.reason)] });
        s.endSession({ by: 'local', status: answer.status, reason: answer.reason });
        return s;
      }
      s.#answerBody = answer.body;
    }
    s.forgetPending = options.layer.addPendingInvite(request, {
      onCancel: () => {
        server.respond(487);
        s.endSession({ by: 'remote', status: 487, reason: 'the caller cancelled' });
      },
    });
    return s;
  }

  // ---- UAS: answering the initial INVITE -------------------------------------------------------

  /** §13.3.1.1: 180 Ringing with our To tag, which makes the early dialog */
  ring(): void {
    if (this.current !== 'incoming' || this.uasInvite === null) return;
    this.#ensureUasDialog('early');
    this.uasInvite.respond(180, { headers: [['Contact', this.options.localContact]] });
  }

  /** §13.3.1.4: 200 with the SDP answer (or our offer, when theirs is delayed), retransmitted until ACK */
  accept(): boolean {
    const server = this.uasInvite;
    if (this.current !== 'incoming' || server === null) return false;
    const dialog = this.#ensureUasDialog('confirmed');
    if (dialog === null) return false;
    dialog.confirm();
    this.forgetPending?.();
    const delayed = this.#answerBody === null;
    this.awaitingAckAnswer = delayed;
    const timer = this.#initialTimer;
    server.accept(this.#answerBody ?? this.sdp.offer(), timer.kind === 'timer' ? [SUPPORTED_TIMER, ...timer.headers] : [SUPPORTED_TIMER]);
    this.timers.uasAnswered(timer);
    this.setState('confirmed');
    const media = this.sdp.current;
    if (!delayed && media !== null) this.events.onMedia?.(media);
    return true;
  }

  /** §13.3.1.3: 486 Busy Here, 603 Decline ... */
  reject(status = 603, reason?: string): void {
    if (this.current !== 'incoming') return;
    this.uasInvite?.respond(status, reason === undefined ? {} : { reason });
    this.endSession({ by: 'local', status, reason: reason ?? (status === 486 ? 'busy' : 'declined') });
  }

  // ---- both roles -------------------------------------------------------------------------------

  /** ends the session whatever its state: CANCEL (calling/early), 603 (incoming) or BYE (confirmed) */
  hangUp(reason = 'hung up', by: SessionEnd['by'] = 'local'): void {
    switch (this.current) {
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
        this.sendBye();
        this.endSession({ by, status: null, reason });
        return;
      case 'terminated':
        return;
    }
  }

  // ---- establishing ------------------------------------------------------------------------------

  #uacProvisional(response: SipResponse): void {
    const invite = this.initialInvite;
    if (invite === null || (this.current !== 'calling' && this.current !== 'early')) return;
    if (response.status > 100 && response.toTag !== null && this.dialogRef === null) {
      // §12.1.2 / §13.2.2.1: a 1xx with a To tag creates an early dialog
      const dialog = Dialog.asUac(invite, response, this.options.localContact);
      if (dialog !== null) this.adoptDialog(dialog);
      this.setState('early');
    }
    if (response.status > 100) this.events.onProgress?.(response);
  }

  #uacFinal(response: SipResponse): void {
    const invite = this.initialInvite;
    if (invite === null) return;
    if (response.status >= 300 || response.status < 200) {
      // a non-2xx after we are connected (another fork, a late synthesized failure) changes nothing
      if (this.current === 'confirmed') return;
      if (response.status === 422 && !this.#cancelRequested && this.#retryAfter422(invite, response)) return;
      const cancelled = this.#cancelRequested && response.status === 487;
      const byNetwork = response.status === 408 || response.status === 503;
      this.endSession(
        cancelled
          ? { by: 'local', status: 487, reason: 'cancelled' }
          : { by: byNetwork ? 'network' : 'remote', status: response.status, reason: response.reason },
      );
      return;
    }
    // §13.2.2.4: "The UAC core MUST generate an ACK request for each 2xx received from the transaction layer"
    const current = this.dialogRef;
    const sameDialog = current !== null && current.id.remoteTag === response.toTag;
    if (sameDialog && current.state !== 'early' && this.#lastAck !== null) {
      this.ua.sendAck(this.#lastAck);
      return;
    }
    const dialog = sameDialog ? current : Dialog.asUac(invite, response, this.options.localContact);
    if (dialog === null) return;
    if (current !== null && current !== dialog) {
      if (current.state === 'confirmed' || this.current === 'terminated') {
        // §13.2.2.4: a 2xx from another fork after we are connected: ACK it and BYE that dialog
        this.ua.sendAck(dialog.createAck(response.cseq.seq));
        void this.ua.sendRequest(dialog.createRequest('BYE')).catch(() => undefined);
        return;
      }
      this.layer.remove(current);
      current.terminate();
      this.dialogRef = null;
    }
    dialog.confirm(response);
    if (this.dialogRef !== dialog) this.adoptDialog(dialog);
    this.#lastAck = dialog.createAck(response.cseq.seq);
    this.ua.sendAck(this.#lastAck);
    if (this.current === 'terminated' || this.#cancelRequested) {
      // our CANCEL lost the race with the 2xx (§9.1): the call is up, so hang it up with BYE
      this.sendBye();
      this.endSession({ by: 'local', status: null, reason: 'cancelled' });
      return;
    }
    const applied = this.sdp.applyAnswer(response.body.toString('utf8'));
    this.setState('confirmed');
    if (!applied.ok) {
      this.sendBye();
      this.endSession({ by: 'local', status: 488, reason: applied.reason });
      return;
    }
    this.timers.uacFinal(response);
    this.events.onMedia?.(applied.media);
  }

  /**
   * RFC 4028 §7.3: after a 422 the UAC "MAY retry the INVITE" with Session-Expires and Min-SE at least
   * the 422's Min-SE: same Call-ID, From tag and To, the next CSeq (§8.1.3.5 as for 401/407), same offer.
   */
  #retryAfter422(invite: SipRequest, response: SipResponse): boolean {
    const out = this.#outgoing;
    if (out === null || this.timers.uacFinal(response) !== 'retry') return false;
    const early = this.dialogRef;
    if (early !== null) {
      this.layer.remove(early);
      early.terminate();
      this.dialogRef = null;
      this.messagesSender = null;
    }
    const retry = buildInitialInvite({ ...out, callId: invite.callId }, this.options.localContact, invite.body.toString('utf8'), this.timers.requestHeaders(), {
      localTag: invite.fromTag ?? newTag(),
      cseq: response.cseq.seq + 1,
    });
    this.setState('calling');
    this.#sendInitialInvite(retry);
    return true;
  }

  #ensureUasDialog(state: 'early' | 'confirmed'): Dialog | null {
    if (this.dialogRef !== null) return this.dialogRef;
    const request = this.uasInvite?.request;
    if (request === null || request === undefined || this.uasInvite === null) return null;
    const dialog = Dialog.asUas(request, this.uasInvite.localTag, this.options.localContact, state);
    if (dialog !== null) this.adoptDialog(dialog);
    return dialog;
  }
}
