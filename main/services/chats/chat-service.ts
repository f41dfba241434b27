/**
 * The chat service: turns "the user sends a message" into a stored, serialized, honestly reported
 * delivery (RFC 3428 pager mode), and an incoming MESSAGE into one stored conversation entry.
 *
 * - send: stored as `queued` before anything goes out; the outbox delivers it (outbox.ts).
 * - size (RFC 3428 §8): a request over 1300 bytes on a route without congestion control is never sent
 *   silently; the caller must choose `split`, `stream` (this one MESSAGE over TCP, RFC 3261 §18.1.1, when
 *   the account's next hop may take TCP) or `cancel` (`needs-choice` asks for it; nothing is stored).
 *   `measure` counts the same whole request for the composer's counter.
 * - events: `chats:message-changed` for every state a message takes (including its creation, so the
 *   renderer can upsert), `chats:conversation-changed` after creation and after the final state,
 *   `chats:message-received` for a new incoming message, `chats:message-deleted` on delete.
 */
import { randomUUID } from 'node:crypto';
import { newCallId, newTag } from '../../sip/ua/index.ts';
import type { SendOutcome } from '#shared/ipc/contract.ts';
import type { AccountDto } from '#shared/domain/account.ts';
import type { ConversationDto, MessageDto, MessageSizeDto, OversizeChoice } from '#shared/domain/chat.ts';
import type { AccountId, ConversationId, MessageId } from '#shared/domain/ids.ts';
import type { Emit } from '../../ipc/event-bus.ts';
import { ServiceError } from '../../ipc/service-error.ts';
import type { Storage } from '../../storage/storage.ts';
import { normalizeContactAddress } from '../contacts.ts';
import { buildPagerRequest, requestSize, resolveTarget, type OutgoingText } from './outgoing-request.ts';
import { Outbox, type OutboxStore } from './outbox.ts';
import type { IncomingPagerMessage, PagerSender, ReceiveAnswer } from './pager.ts';
import { PeerFormats, TEXT_PLAIN } from './peer-formats.ts';
import { IncomingCommitter, type IncomingCommitOptions } from './incoming-commit.ts';
import { receiveMessage, type ReceiveDeps, type ReceiveStore } from './receive.ts';
import { PAGER_SIZE_LIMIT, splitForLimit } from './split.ts';
import type { SmimeSender } from './smime-send.ts';

export type ChatStore = OutboxStore &
  ReceiveStore &
  Pick<Storage, 'queueOutgoing' | 'sendContext' | 'openConversationFor' | 'deleteMessage' | 'deleteConversation'>;

export interface ChatServiceOptions {
  readonly storage: ChatStore;
  readonly sender: PagerSender;
  readonly emit: Emit;
  /** epoch ms; default Date.now */
  readonly now?: () => number;
  /** CPIM Message-IDs (RFC 5438 §6.3 syntax); default a random UUID */
  readonly newMessageId?: () => string;
  /** faults inside background delivery (never thrown to a caller); default console.error */
  readonly onError?: (message: string, error: unknown) => void;
  /** runs a re-send of what the network lost after `ms` (outbox.ts); default setTimeout, unref'd */
  readonly schedule?: (fn: () => void, ms: number) => void;
  /** S/MIME for incoming protected MESSAGEs (RFC 3428 §11.3); absent = they are refused with 415 */
  readonly smime?: ReceiveDeps['smime'];
  /** receipts (RFC 5438 IMDN): absent = none sent, incoming IMDNs refused with 415 */
  readonly receipts?: ReceiveDeps['receipts'];
  /** S/MIME for outgoing MESSAGEs per conversation setting (RFC 3428 §11.3); absent = clear text */
  readonly smimeSend?: SmimeSender;
  /**
   * whether an account can send now, and a way to make it try at once ("Send now", issue 11); absent =
   * always online (tests without a SIP stack)
   */
  readonly connection?: { isOnline(accountId: AccountId): boolean; reconnect(accountId: AccountId): void };
  /** group commit and overload bounds for incoming MESSAGEs (incoming-commit.ts defaults otherwise) */
  readonly incoming?: Omit<IncomingCommitOptions, 'store' | 'now'>;
  /** blocked senders (message-requests.ts): their MESSAGEs are answered 403 and not stored */
  readonly isBlocked?: (peer: string) => boolean;
}

/** the reason of a message the user cancelled before it went out */
export const CANCELLED = 'not sent: cancelled';

export interface SendRequest {
  readonly conversationId: ConversationId;
  readonly body: string;
  readonly expiresInSeconds: number | null;
  readonly oversize: OversizeChoice | null;
}

export class ChatService {
  readonly #storage: ChatStore;
  readonly #sender: PagerSender;
  readonly #emit: Emit;
  readonly #now: () => number;
  readonly #newMessageId: () => string;
  readonly #onError: (message: string, error: unknown) => void;
  readonly #formats = new PeerFormats();
  readonly #outbox: Outbox;
  readonly #smime: ReceiveDeps['smime'];
  readonly #receipts: ReceiveDeps['receipts'];
  readonly #incoming: IncomingCommitter;
  readonly #connection: ChatServiceOptions['connection'];
  readonly #isBlocked: ((peer: string) => boolean) | undefined;
  /** what receive needs, built once (issue 18: no object per incoming MESSAGE) */
  readonly #receiveDeps: ReceiveDeps;

  constructor(o: ChatServiceOptions) {
    this.#smime = o.smime;
    this.#isBlocked = o.isBlocked;
    this.#receipts = o.receipts;
    this.#connection = o.connection;
    this.#storage = o.storage;
    this.#sender = o.sender;
    this.#emit = o.emit;
    this.#now = o.now ?? Date.now;
    this.#newMessageId = o.newMessageId ?? randomUUID;
    this.#onError = o.onError ?? ((message, error) => console.error(message, error));
    this.#incoming = new IncomingCommitter({ store: (items) => o.storage.storeIncomingBatch(items), now: this.#now, ...o.incoming });
    this.#receiveDeps = {
      commit: this.#incoming,
      emit: this.#emit,
      now: this.#now,
      onError: this.#onError,
      smime: this.#smime,
      receipts: this.#receipts,
      ...(this.#isBlocked ? { isBlocked: this.#isBlocked } : {}),
    };
    this.#outbox = new Outbox({
      storage: o.storage,
      sender: o.sender,
      emit: o.emit,
      now: this.#now,
      formats: this.#formats,
      onError: this.#onError,
      ...(o.smimeSend ? { smime: o.smimeSend } : {}),
      ...(o.schedule ? { schedule: o.schedule } : {}),
    });
  }

  /** The conversation with `peer` (sip:, sips:, im: or user@host) on the account (default: the first enabled). */
  async openConversation(accountId: AccountId | null, peer: string): Promise<ConversationDto> {
    const uri = normalizeContactAddress(peer).uri;
    // one round trip: the account, the contact's name, the conversation (issue 18)
    const opened = await this.#storage.openConversationFor(accountId, uri, this.#now());
    if (opened.kind === 'no-such-account') throw new ServiceError('not-found', 'That account no longer exists.');
    if (opened.kind === 'no-account') throw new ServiceError('no-account', 'Add your PBX account first.');
    this.#emit('chats:conversation-changed', opened.conversation);
    return opened.conversation;
  }

  /** The whole request's size for `body` in this conversation, counted exactly as `send` counts it. */
  async measure(conversationId: ConversationId, body: string): Promise<MessageSizeDto> {
    const { conversation, account } = await this.#sendContext(conversationId);
    return this.#sizing(conversation, account, body, this.#now(), null).size;
  }

  /** the conversation and its account, in one round trip (issue 18) */
  async #sendContext(conversationId: ConversationId): Promise<{ conversation: ConversationDto; account: AccountDto }> {
    const context = await this.#storage.sendContext(conversationId);
    if (context === null) throw new ServiceError('not-found', 'That conversation no longer exists.');
    if (context.account === null) throw new ServiceError('not-found', 'That account no longer exists.');
    return { conversation: context.conversation, account: context.account };
  }

  #sizing(conversation: ConversationDto, account: AccountDto, body: string, createdAt: number, expiresAt: number | null) {
    const target = resolveTarget(conversation.peer);
    const useCpim = this.#formats.useCpim(account.id, target, account.cpim);
    const text = (t: string): OutgoingText => ({ text: t, createdAt, expiresAt, cpimMessageId: this.#newMessageId() });
    const size = (t: OutgoingText): number => requestSize(this.#sender, buildPagerRequest(account, target, t, useCpim));
    const whole = text(body);
    const bytes = size(whole);
    // RFC 3428 §8: over 1300 bytes only on a congestion-controlled first hop (TCP/TLS)
    const fits = bytes <= PAGER_SIZE_LIMIT || this.#sender.isCongestionControlled(account.id, target);
    const split = (): OutgoingText[] => {
      // The overhead measured with an empty text is a lower bound only: the sender's real estimate is
      // not linear in the text (Content-Length grows by digits, CPIM wrapping). Re-split with the
      // excess added until every part fits.
      let overhead = size(text(''));
      for (let round = 0; ; round++) {
        const parts = splitForLimit(body, PAGER_SIZE_LIMIT, overhead).map(text);
        const excess = Math.max(...parts.map((p) => size(p) - PAGER_SIZE_LIMIT));
        if (excess <= 0) return parts;
        if (round >= 4) throw new Error(`split part exceeds ${String(PAGER_SIZE_LIMIT)} bytes by ${String(excess)}`);
        overhead += excess;
      }
    };
    const canStream = !fits && this.#sender.largeRequestsCongestionControlled?.(account.id, target) === true;
    const sizeDto: MessageSizeDto = { bytes, limit: PAGER_SIZE_LIMIT, fits, canStream, parts: fits || body === '' ? 1 : split().length };
    return { whole, split, size: sizeDto };
  }

  async send(request: SendRequest): Promise<SendOutcome> {
    const { conversation, account } = await this.#sendContext(request.conversationId);
    if (request.body.trim() === '') throw new ServiceError('invalid-input', 'The message is empty.');
    const createdAt = this.#now();
    const expiresAt = request.expiresInSeconds === null ? null : createdAt + request.expiresInSeconds * 1000;
    const sizing = this.#sizing(conversation, account, request.body, createdAt, expiresAt);

    let parts: OutgoingText[] = [sizing.whole];
    let stream = false;
    if (!sizing.size.fits) {
      if (request.oversize === null) return { kind: 'needs-choice', ...sizing.size };
      if (request.oversize === 'cancel') return { kind: 'queued', messages: [] };
      if (request.oversize === 'stream') {
        if (!sizing.size.canStream) throw new ServiceError('invalid-state', 'This account can only send it over UDP: split it instead.');
        stream = true;
      } else parts = sizing.split();
    }

    // every part stored in one transaction and the conversation read after them: one round trip (issue 18)
    const queued = await this.#storage.queueOutgoing(
      parts.map((part) => ({
        conversationId: conversation.id,
        body: part.text,
        contentType: TEXT_PLAIN,
        createdAt,
        expiresAt,
        callId: null,
        dialogId: null,
        sipCallId: null,
        cseq: null,
        cpimMessageId: part.cpimMessageId,
        state: 'queued' as const,
      })),
    );
    const messages = [...queued.messages];
    for (const stored of messages) {
      // same turn as the insert: a concurrent resume() cannot queue it a second time
      if (stream) this.#outbox.allowStream(stored.id);
      this.#outbox.enqueue(stored.id, conversation.peer, conversation.accountId);
      this.#emit('chats:message-changed', stored);
    }
    if (queued.conversation !== null) this.#emit('chats:conversation-changed', queued.conversation);
    return { kind: 'queued', messages };
  }

  /** A failed message goes back to the outbox (failed → queued). */
  async retry(id: MessageId): Promise<MessageDto> {
    const stored = await this.#storage.getStoredMessage(id);
    if (stored === null || stored.message.direction !== 'out') throw new ServiceError('not-found', 'That message no longer exists.');
    if (stored.message.state !== 'failed' || this.#outbox.isActive(id)) {
      throw new ServiceError('invalid-state', 'Only a message that could not be sent can be sent again.');
    }
    // a deliberately new attempt is a new request (RFC 3261 §8.1.1.4, §17.2.3): a new Call-ID, From tag and
    // CSeq, so no server takes it for a retransmission of the failed one and answers with the old failure
    // (a re-send of what the network lost keeps them instead: outbox.ts). The CPIM Message-ID stays: it
    // names the message end to end (RFC 3862 §5.1).
    const fresh = { sipCallId: newCallId(), cseq: 1, sipFromTag: newTag() };
    const queued = await this.#storage.updateMessageState(id, 'queued', null, null, null, fresh);
    if (queued === null) throw new ServiceError('not-found', 'That message no longer exists.');
    this.#outbox.enqueue(id, stored.peer, stored.accountId);
    this.#emit('chats:message-changed', queued);
    return queued;
  }

  /**
   * The user gives up on a message still waiting in the outbox (queued, e.g. "will retry"): it is marked
   * failed ("cancelled") and never sent. One on the wire right now cannot be called back.
   */
  async cancel(id: MessageId): Promise<MessageDto> {
    const stored = await this.#storage.getStoredMessage(id);
    if (stored === null || stored.message.direction !== 'out') throw new ServiceError('not-found', 'That message no longer exists.');
    if (stored.message.state !== 'queued') {
      throw new ServiceError('invalid-state', stored.message.state === 'sending' ? 'It is being sent right now.' : 'Only a message waiting to be sent can be cancelled.');
    }
    const cancelled = await this.#storage.updateMessageState(id, 'failed', null, CANCELLED, null);
    if (cancelled === null) throw new ServiceError('not-found', 'That message no longer exists.');
    this.#emit('chats:message-changed', cancelled);
    await this.#emitConversation(cancelled.conversationId);
    return cancelled;
  }

  /**
   * The user does not want to wait for the next automatic try of a message in the outbox: while the
   * account is online its waiting messages go out now, oldest first (RFC 3428 §8 order, the same request
   * identity); while offline the account registers again at once and they go out when it is back.
   */
  async sendNow(id: MessageId): Promise<MessageDto> {
    const stored = await this.#storage.getStoredMessage(id);
    if (stored === null || stored.message.direction !== 'out') throw new ServiceError('not-found', 'That message no longer exists.');
    if (stored.message.state !== 'queued') {
      throw new ServiceError('invalid-state', stored.message.state === 'sending' ? 'It is being sent right now.' : 'Only a message waiting to be sent can be sent now.');
    }
    if (this.#connection === undefined || this.#connection.isOnline(stored.accountId)) await this.#outbox.resume(stored.accountId);
    else this.#connection.reconnect(stored.accountId);
    return stored.message;
  }

  /** Deletes a message (a queued one is then skipped by the outbox). */
  async delete(id: MessageId): Promise<void> {
    const deleted = await this.#storage.deleteMessage(id);
    if (deleted === null) throw new ServiceError('not-found', 'That message no longer exists.');
    this.#emit('chats:message-deleted', deleted);
    await this.#emitConversation(deleted.conversationId);
  }

  /** Deletes a conversation with its messages (queued ones are then skipped by the outbox, as for delete). */
  async deleteConversation(id: ConversationId): Promise<void> {
    if (!(await this.#storage.deleteConversation(id))) throw new ServiceError('not-found', 'That conversation no longer exists.');
  }

  /** Call when the account becomes registered: re-sends its queued/sending messages once, oldest first. */
  resume(accountId: AccountId): Promise<number> {
    return this.#outbox.resume(accountId);
  }

  /** For the MESSAGE UAS: store (once) and then answer with the returned status. */
  receive(accountId: AccountId, incoming: IncomingPagerMessage): Promise<ReceiveAnswer> {
    return receiveMessage(this.#receiveDeps, accountId, incoming);
  }

  /** Group-commit figures for incoming MESSAGEs (benchmarks, diagnostics). */
  get incomingStats(): IncomingCommitter['stats'] {
    return this.#incoming.stats;
  }

  /** Shutdown: no more automatic re-sends (retry timers that fire later do nothing). */
  close(): void {
    this.#outbox.close();
  }

  /** Resolves when no message is queued or in flight (tests, shutdown). */
  idle(): Promise<void> {
    return this.#outbox.idle();
  }

  async #emitConversation(id: ConversationId): Promise<void> {
    const conversation = await this.#storage.getConversation(id);
    if (conversation !== null) this.#emit('chats:conversation-changed', conversation);
  }
}
