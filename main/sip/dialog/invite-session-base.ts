/**
 * What an INVITE session (RFC 3261 §13-§15) does once it has a dialog, for both roles: re-INVITE for
 * hold/resume (reinvite-client.ts), MESSAGE within the dialog (RFC 3428 §4), their BYE, re-INVITE and
 * UPDATE (in-dialog-offers.ts, RFC 3311), the ACK of our 2xx, RFC 4028 session timers
 * (session-timer-usage.ts: refresh by UPDATE or re-INVITE, BYE on expiry), 481/408 ending the dialog,
 * and the one way a session ends. invite-session.ts adds how a session is established.
 */
import { createResponse } from '../message/index.ts';
import type { SipRequest } from '../message/index.ts';
import { DEFAULT_TIMER_CONFIG } from '../transaction/index.ts';
import { newTag } from '../ua/uac-request.ts';
import type { Dialog } from './dialog.ts';
import type { DialogLayer, DialogUsage } from './dialog-layer.ts';
import { InDialogMessageSender, type InDialogMessageOutcome } from './in-dialog-message.ts';
import { dtmfOfInfo } from './info-dtmf.ts';
import { receiveReInvite, receiveUpdate, type OfferHost } from './in-dialog-offers.ts';
import type { InviteSessionEvents, InviteSessionOptions, InviteSessionState, SessionEnd } from './invite-session-types.ts';
import type { OfferAnswer } from './offer-answer.ts';
import { ReInviteClient } from './reinvite-client.ts';
import { ALLOW, ServerInvite } from './server-invite.ts';
import { SessionTimerUsage } from './session-timer-usage.ts';
import type { DialogUserAgent, ResponseChannel } from './user-agent-port.ts';

export abstract class InviteSessionBase<M> implements DialogUsage {
  readonly role: 'uac' | 'uas';
  readonly ua: DialogUserAgent;
  readonly sdp: OfferAnswer<M>;
  /** RFC 4028 session timers */
  readonly timers: SessionTimerUsage;
  protected readonly layer: DialogLayer;
  protected readonly options: InviteSessionOptions<M>;
  protected readonly events: InviteSessionEvents<M>;
  protected current: InviteSessionState;
  protected dialogRef: Dialog | null = null;
  protected messagesSender: InDialogMessageSender | null = null;
  protected reinviteClient: ReInviteClient<M> | null = null;
  /** UAC: the initial INVITE (the latest one after a 422 retry) */
  protected initialInvite: SipRequest | null = null;
  /** UAS: answering the initial INVITE and later re-INVITEs */
  protected uasInvite: ServerInvite | null = null;
  protected forgetPending: (() => void) | null = null;
  /** we offered in a 2xx; the answer comes in the ACK (§13.2.1 delayed offer) */
  protected awaitingAckAnswer = false;

  protected constructor(options: InviteSessionOptions<M>, role: 'uac' | 'uas', state: InviteSessionState) {
    this.role = role;
    this.ua = options.ua;
    this.layer = options.layer;
    this.options = options;
    this.events = options.events;
    this.sdp = options.sdp;
    this.current = state;
    this.timers = new SessionTimerUsage(options.clock, {
      sendUpdate: async (headers) => {
        const dialog = this.dialogRef;
        if (this.current !== 'confirmed' || dialog === null || dialog.state !== 'confirmed') return null;
        return this.ua.sendRequest(dialog.createRequest('UPDATE', { extraHeaders: headers })).catch(() => null);
      },
      sendReInvite: () => void this.setHold(this.sdp.hold),
      expired: () => {
        // RFC 4028 §10: no refresh in time: "send a BYE to terminate the session"
        if (this.current !== 'confirmed') return;
        this.sendBye();
        this.endSession({ by: 'network', status: null, reason: 'connection lost (the session was not refreshed)' });
      },
      dialogGone: (status) => this.dialogGone(status),
    }, options.sessionExpires);
  }

  get state(): InviteSessionState {
    return this.current;
  }
  get dialog(): Dialog | null {
    return this.dialogRef;
  }
  /** the INVITE that started the session (ours as UAC, theirs as UAS) */
  get initialRequest(): SipRequest | null {
    return this.initialInvite ?? this.uasInvite?.request ?? null;
  }

  /** §14.1 / RFC 3264 §8.4: re-INVITE with sendonly (hold) or sendrecv (resume); resolves true on 2xx */
  setHold(held: boolean): Promise<boolean> {
    const dialog = this.dialogRef;
    if (this.current !== 'confirmed' || dialog === null) return Promise.resolve(false);
    this.reinviteClient ??= new ReInviteClient({
      dialog,
      ua: this.ua,
      sdp: this.sdp,
      clock: this.options.clock,
      random: this.options.random ?? Math.random,
      ownsCallId: this.role === 'uac',
      onMedia: (m) => this.events.onMedia?.(m),
      onDialogGone: (status) => this.dialogGone(status),
      extraHeaders: () => this.timers.requestHeaders(),
      onFinal: (response) => this.timers.uacFinal(response),
    });
    return this.reinviteClient.send(held);
  }

  /** RFC 3428 §4: MESSAGE within the confirmed dialog, one at a time (in-dialog-message.ts) */
  sendMessage(body: Buffer | string, contentType: string): Promise<InDialogMessageOutcome> {
    const sender = this.messagesSender;
    if (sender === null) return Promise.resolve({ kind: 'dialog-ended', reason: 'the call is not connected' });
    return sender.send(body, contentType);
  }

  get pendingMessages(): number {
    return this.messagesSender?.pending ?? 0;
  }

  // ---- DialogUsage: requests within the dialog --------------------------------------------------

  onRequest(request: SipRequest, channel: ResponseChannel): void {
    switch (request.method) {
      case 'BYE':
        // §15.1.2: "the UAS MUST generate a 2xx response to the BYE, and MUST pass that to the server transaction"
        channel.respond(createResponse(request, 200));
        this.endSession({ by: 'remote', status: null, reason: 'the other side hung up' });
        return;
      case 'INVITE':
        receiveReInvite(this.offerHost(), request, channel);
        return;
      case 'UPDATE':
        receiveUpdate(this.offerHost(), request, channel);
        return;
      case 'MESSAGE':
        void this.receiveMessage(request, channel);
        return;
      case 'INFO': {
        // RFC 6086: INFO within the dialog; a DTMF body (info-dtmf.ts) is a key press; an empty one (a
        // keep-alive) is fine. Unknown body types never get here (415 from the UA core's Accept check).
        const ct = request.contentType;
        const digit = ct === null ? null : dtmfOfInfo(`${ct.type}/${ct.subtype}`, request.body.toString('utf8'));
        if (request.body.length > 0 && digit === null) {
          channel.respond(createResponse(request, 400, 'No DTMF key in the INFO body'));
          return;
        }
        channel.respond(createResponse(request, 200));
        if (digit !== null) this.events.onDtmf?.(digit);
        return;
      }
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
    if (this.uasInvite === null || !this.uasInvite.takeAck(ack) || !this.awaitingAckAnswer) return;
    this.awaitingAckAnswer = false;
    const applied = this.sdp.applyAnswer(ack.body.toString('utf8'));
    if (applied.ok) this.events.onMedia?.(applied.media);
    else if (this.current === 'confirmed' && this.initialInvite === null && this.reinviteClient === null) {
      // RFC 3264 §5 / §13.2.1: an ACK without a usable answer to our offer leaves no session: BYE
      this.sendBye();
      this.endSession({ by: 'local', status: 488, reason: applied.reason });
    }
  }

  // ---- internals ----------------------------------------------------------------------------------

  protected adoptDialog(dialog: Dialog): void {
    this.dialogRef = dialog;
    this.layer.add(dialog, this);
    this.messagesSender = new InDialogMessageSender(dialog, this.ua, (r) => {
      // §12.2.1.2: "If the response for a request within a dialog is a 481 ... or a 408 ..., the UAC
      // SHOULD terminate the dialog."
      if (r.status === 481 || r.status === 408) this.dialogGone(r.status);
    });
  }

  protected offerHost(): OfferHost<M> {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the host reads and writes this session's state
    const session = this;
    return {
      dialog: this.dialogRef,
      sdp: this.sdp,
      timers: this.timers,
      localContact: this.options.localContact,
      reinviteInProgress: this.reinviteClient?.inProgress === true,
      server: () => this.uasServer(),
      get awaitingAckAnswer() {
        return session.awaitingAckAnswer;
      },
      set awaitingAckAnswer(v: boolean) {
        session.awaitingAckAnswer = v;
      },
      onMedia: (m) => this.events.onMedia?.(m),
    };
  }

  protected uasServer(): ServerInvite {
    return (this.uasInvite ??= new ServerInvite(
      this.dialogRef?.id.localTag ?? newTag(),
      this.options.localContact,
      this.options.clock,
      this.options.timers ?? DEFAULT_TIMER_CONFIG,
      () => this.noAck(),
    ));
  }

  protected async receiveMessage(request: SipRequest, channel: ResponseChannel): Promise<void> {
    let status: number;
    try {
      status = (await this.events.onMessage?.(request)) ?? 200;
    } catch {
      status = 500;
    }
    channel.respond(createResponse(request, status));
  }

  protected sendBye(): void {
    const dialog = this.dialogRef;
    if (dialog === null || dialog.state === 'terminated') return;
    // §15.1.1: BYE within the dialog; its response changes nothing here
    void this.ua.sendRequest(dialog.createRequest('BYE')).catch(() => undefined);
  }

  /** 2xx retransmitted for 64*T1 without ACK (§13.3.1.4): "the session SHOULD be terminated" with BYE */
  protected noAck(): void {
    if (this.current !== 'confirmed') return;
    this.sendBye();
    this.endSession({ by: 'network', status: 408, reason: 'no ACK for our 200 OK' });
  }

  /** §12.2.1.2 / §14.1: a 481 or 408 to a request within the dialog ends it (BYE only after 408) */
  protected dialogGone(status: number): void {
    if (this.current === 'terminated') return;
    if (status === 408) this.sendBye();
    this.endSession({ by: 'network', status, reason: status === 481 ? 'the other side no longer knows this call' : 'the other side stopped answering' });
  }

  protected setState(state: InviteSessionState): void {
    if (this.current === state) return;
    this.current = state;
    this.events.onState?.(state);
  }

  protected endSession(end: SessionEnd): void {
    if (this.current === 'terminated') return;
    this.uasInvite?.stop();
    this.timers.stop();
    this.forgetPending?.();
    this.reinviteClient?.dispose();
    const dialog = this.dialogRef;
    if (dialog !== null) {
      dialog.terminate();
      this.layer.remove(dialog);
    }
    this.messagesSender?.close(end.reason);
    this.setState('terminated');
    this.events.onTerminated?.(end);
  }
}
