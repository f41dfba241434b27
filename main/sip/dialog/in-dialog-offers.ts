/**
 * Their re-INVITE (RFC 3261 §14.2) and UPDATE (RFC 3311 §5.2) within a confirmed dialog, as UAS: both
 * are target refresh requests and RFC 4028 session refreshes (§9: 422 when the interval is too small,
 * else Session-Expires in the 2xx and the timer restarts). An offer in either is answered from our
 * OfferAnswer; an offer that crosses one of ours gets 491 (§14.2, RFC 3311 §5.2).
 */
import { createResponse } from '../message/index.ts';
import type { SipRequest } from '../message/index.ts';
import type { Dialog } from './dialog.ts';
import type { OfferAnswer } from './offer-answer.ts';
import { SDP_TYPE } from './offer-answer.ts';
import { ALLOW, type ServerInvite, warning } from './server-invite.ts';
import { SUPPORTED_TIMER, type SessionTimerUsage } from './session-timer-usage.ts';
import type { ResponseChannel } from './user-agent-port.ts';

export interface OfferHost<M> {
  readonly dialog: Dialog | null;
  readonly sdp: OfferAnswer<M>;
  readonly timers: SessionTimerUsage;
  readonly localContact: string;
  /** our re-INVITE has no final response yet */
  readonly reinviteInProgress: boolean;
  /** the UAS side of INVITEs (made on first use) */
  server(): ServerInvite;
  /** we offered in a 2xx and wait for the answer in the ACK (§13.2.1) */
  awaitingAckAnswer: boolean;
  onMedia(media: M): void;
}

function minSeRefusal(minSe: number): [string, string][] {
  return [['Min-SE', String(minSe)]];
}

/** §14.2: a re-INVITE; answered 2xx (with our answer, or our offer when theirs is delayed) until ACK */
export function receiveReInvite<M>(host: OfferHost<M>, request: SipRequest, channel: ResponseChannel): void {
  const server = host.server();
  // §14.2: "A UAS that receives an INVITE on a dialog while an INVITE it had sent on that dialog is in
  // progress MUST return a 491 (Request Pending)"; likewise while our 2xx to the previous one is un-ACKed
  if (host.reinviteInProgress || server.awaitingAck) {
    channel.respond(createResponse(request, 491));
    return;
  }
  const timer = host.timers.uasDecide(request);
  server.use(request, channel);
  if (timer.kind === 'too-small') {
    // RFC 4028 §9: 422 Session Interval Too Small with our Min-SE; the session stays as it was
    server.respond(422, { headers: minSeRefusal(timer.minSe) });
    return;
  }
  // §12.2.2: a target refresh request replaces the remote target
  host.dialog?.refreshTarget(request);
  const extra = timer.kind === 'timer' ? [SUPPORTED_TIMER, ...timer.headers] : [SUPPORTED_TIMER];
  if (request.body.length === 0) {
    host.awaitingAckAnswer = true;
    server.accept(host.sdp.offer(), extra);
    host.timers.uasAnswered(timer);
    return;
  }
  const answer = host.sdp.answer(request.body.toString('utf8'));
  if (!answer.ok) {
    // §14.2: the session stays as it was; the re-INVITE is refused with why
    server.respond(answer.status, { headers: [warning(answer.reason)] });
    return;
  }
  host.awaitingAckAnswer = false;
  server.accept(answer.body, extra);
  host.timers.uasAnswered(timer);
  host.onMedia(answer.media);
}

/**
 * RFC 3311 §5.2: UPDATE within the confirmed dialog. Without a body it only refreshes the session
 * (RFC 4028); with an SDP offer it changes the media at once (no ACK). "If the UAS ... has sent an
 * offer ... and not yet received an answer, it MUST reject the UPDATE with a 491" (and 500 with
 * Retry-After when it received an offer it has not answered: our answers are immediate, so never).
 */
export function receiveUpdate<M>(host: OfferHost<M>, request: SipRequest, channel: ResponseChannel): void {
  const hasOffer = request.body.length > 0;
  if (hasOffer && (host.reinviteInProgress || host.awaitingAckAnswer)) {
    channel.respond(createResponse(request, 491));
    return;
  }
  const timer = host.timers.uasDecide(request);
  if (timer.kind === 'too-small') {
    channel.respond(createResponse(request, 422, undefined, minSeRefusal(timer.minSe)));
    return;
  }
  const headers: [string, string][] = [['Contact', host.localContact], ['Allow', ALLOW], SUPPORTED_TIMER];
  if (timer.kind === 'timer') headers.push(...timer.headers);
  if (!hasOffer) {
    host.dialog?.refreshTarget(request);
    channel.respond(createResponse(request, 200, undefined, headers));
    host.timers.uasAnswered(timer);
    return;
  }
  const answer = host.sdp.answer(request.body.toString('utf8'));
  if (!answer.ok) {
    channel.respond(createResponse(request, answer.status, undefined, [warning(answer.reason)]));
    return;
  }
  host.dialog?.refreshTarget(request);
  headers.push(['Content-Type', SDP_TYPE]);
  channel.respond(createResponse(request, 200, undefined, { headers, body: answer.body }));
  host.timers.uasAnswered(timer);
  host.onMedia(answer.media);
}
