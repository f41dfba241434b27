/**
 * Messages typed in a call's chat (RFC 3428 §2/§4): stored with the call id and the dialog id, sent as
 * MESSAGE within the call's dialog (serialized by the session), shown in the call's chat and in the
 * contact's conversation. A 405/501 to the in-dialog MESSAGE re-sends it out of dialog (pager mode) and
 * marks it so; a message the call ended before it could go is marked failed with what happened.
 */
import type { MessageDto } from '#shared/domain/chat.ts';
import type { AccountId, CallId } from '#shared/domain/ids.ts';
import type { Emit } from '../../ipc/event-bus.ts';
import type { SipRequest } from '../../sip/message/index.ts';
import type { PagerOutcome, PagerSender } from '../chats/pager.ts';
import type { CallMessageStore } from './call-ports.ts';
import type { CallSession } from './session-sdp.ts';

export const TEXT_PLAIN_UTF8 = 'text/plain;charset=UTF-8';

export interface CallChat {
  readonly id: CallId;
  readonly accountId: AccountId;
  readonly peer: string;
  readonly peerName: string;
  readonly session: CallSession;
}

export interface CallMessagesOptions {
  readonly store: CallMessageStore;
  readonly emit: Emit;
  readonly pager: PagerSender | null;
  readonly now: () => number;
  /** an in-dialog application/im-iscomposing+xml (RFC 3994): never stored; returns the status */
  readonly composing?: ((accountId: AccountId, peer: string, body: Buffer) => number) | undefined;
}

type Final = { readonly state: 'delivered' | 'failed' | 'refused' | 'accepted'; readonly code: number | null; readonly reason: string | null };

function finalOf(status: number, reason: string): Final {
  if (status === 202) return { state: 'accepted', code: status, reason: null };
  if (status < 300) return { state: 'delivered', code: status, reason: null };
  return { state: status >= 600 ? 'refused' : 'failed', code: status, reason: `${reason} (${status})` };
}

function pagerFinal(o: PagerOutcome): Final {
  switch (o.kind) {
    case 'response':
      return finalOf(o.status, o.reason);
    case 'timeout':
      return { state: 'failed', code: 408, reason: 'no answer (timeout)' };
    case 'transport-error':
      return { state: 'failed', code: null, reason: o.reason };
    case 'not-registered':
      return { state: 'failed', code: null, reason: 'not registered' };
    case 'auth-refused':
      return { state: 'failed', code: o.status, reason: o.reason };
  }
}

export class CallMessages {
  readonly #o: CallMessagesOptions;

  constructor(options: CallMessagesOptions) {
    this.#o = options;
  }

  async #conversation(call: CallChat) {
    return this.#o.store.getOrCreateConversation(call.accountId, call.peer, {
      title: call.peerName || call.peer.replace(/^sips?:/i, ''),
      unknownSender: false,
      createdAt: this.#o.now(),
    });
  }

  /** stores the message as `sending` and returns it; delivery continues in the background */
  async send(call: CallChat, body: string, onError: (e: unknown) => void): Promise<MessageDto> {
    const dialog = call.session.dialog;
    const conversation = await this.#conversation(call);
    const stored = await this.#o.store.insertOutgoing({
      conversationId: conversation.id,
      body,
      contentType: TEXT_PLAIN_UTF8,
      createdAt: this.#o.now(),
      expiresAt: null,
      callId: call.id,
      dialogId: dialog?.key ?? null,
      sipCallId: dialog?.id.callId ?? null,
      cseq: null,
      cpimMessageId: null,
      state: 'sending',
    });
    this.#o.emit('chats:message-changed', stored);
    void this.#deliver(call, stored, body).catch(onError);
    return stored;
  }

  async #deliver(call: CallChat, stored: MessageDto, body: string): Promise<void> {
    const date = new Date(this.#o.now());
    const outcome = await call.session.sendMessage(body, TEXT_PLAIN_UTF8);
    if (outcome.kind === 'dialog-ended') {
      // the user sees what happened: never sent, and why
      await this.#finish(stored, { state: 'failed', code: null, reason: `not sent: the call ended (${outcome.reason})` }, {});
      return;
    }
    const { response, request } = outcome;
    const wire = { sipCallId: request.callId, cseq: request.cseq.seq };
    if ((response.status === 405 || response.status === 501) && this.#o.pager !== null) {
      // the far end does not take MESSAGE inside the dialog: send it as a pager-mode MESSAGE instead
      const pagerOutcome = await this.#o.pager.send({
        accountId: call.accountId,
        target: call.peer,
        body: Buffer.from(body, 'utf8'),
        contentType: TEXT_PLAIN_UTF8,
        expiresSeconds: null,
        date,
        dialog: null,
      });
      await this.#finish(stored, pagerFinal(pagerOutcome), { sentOutOfDialog: true });
      return;
    }
    await this.#finish(stored, finalOf(response.status, response.reason), wire);
  }

  async #finish(stored: MessageDto, f: Final, extra: { sipCallId?: string; cseq?: number; sentOutOfDialog?: boolean }): Promise<void> {
    const sentAt = f.state === 'delivered' || f.state === 'accepted' ? this.#o.now() : null;
    const updated = await this.#o.store.updateMessageState(stored.id, f.state, f.code, f.reason, sentAt, extra);
    if (updated === null) return;
    this.#o.emit('chats:message-changed', updated);
    const conversation = await this.#o.store.getConversation(updated.conversationId);
    if (conversation !== null) this.#o.emit('chats:conversation-changed', conversation);
  }

  /** an in-dialog MESSAGE from the far end: stored with the call and dialog ids; 200 once stored */
  async receive(call: CallChat, request: SipRequest): Promise<number> {
    if (request.body.length === 0) return 200;
    const type = request.contentType;
    const media = type === null ? null : `${type.type}/${type.subtype}`.toLowerCase();
    if (media === 'application/im-iscomposing+xml' && this.#o.composing) return this.#o.composing(call.accountId, call.peer, request.body);
    if (media !== null && media !== 'text/plain') return 415;
    const conversation = await this.#conversation(call);
    const dialog = call.session.dialog;
    const result = await this.#o.store.insertIncoming({
      conversationId: conversation.id,
      body: request.body.toString('utf8'),
      contentType: 'text/plain',
      createdAt: this.#o.now(),
      expiresAt: null,
      callId: call.id,
      dialogId: dialog?.key ?? null,
      sipCallId: request.callId,
      cseq: request.cseq.seq,
      sipFromTag: request.fromTag,
      cpimMessageId: null,
      state: 'received',
      dateHeader: request.date,
      read: false,
    });
    if ('duplicate' in result) return 200;
    this.#o.emit('chats:message-received', result.inserted);
    const updated = await this.#o.store.getConversation(conversation.id);
    if (updated !== null) this.#o.emit('chats:conversation-changed', updated);
    return 200;
  }
}
