/**
 * The outbox: delivers stored outgoing messages one at a time per Request-URI (RFC 3428 §8), records
 * each outcome (RFC 3428 §4, §7) and emits it. A message is in the outbox (state queued/sending in
 * storage) before anything is sent, so a restart loses nothing: `resume` re-sends what is left, in
 * creation order, each message at most once at a time however often resume is called.
 *
 * What the network lost is sent again on its own: a message that got no answer at all (Timer F, RFC 3261
 * §17.1.2.2) or hit a transport error (§8.1.3.1, §18.4) goes back to `queued` with "will retry" in its
 * reason, and goes out again when the account is online (resume) or after RETRY_AFTER_MS, with the same
 * Call-ID/CSeq/From tag (the receiver sees a retransmission), until its Expires (RFC 3428 §7) or 24 h
 * after it was written. A real final response (404, 486, 603…) is final. The user can cancel a waiting one.
 */
import type { ConversationDto, MessageDto, MessageState } from '#shared/domain/chat.ts';
import type { MessageStateExtra } from '../../storage/message-repository.ts';
import type { AccountId, MessageId } from '#shared/domain/ids.ts';
import type { Emit } from '../../ipc/event-bus.ts';
import type { Storage } from '../../storage/storage.ts';
import { DestinationQueues } from './destination-queues.ts';
import { deliveryResult } from './outcome.ts';
import { buildPagerRequest, requestSize, resolveTarget } from './outgoing-request.ts';
import type { PagerOutcome, PagerSender, PagerWireIds } from './pager.ts';
import { checkQueued, type RetryHold } from './outbox-check.ts';
import type { PeerFormats } from './peer-formats.ts';
import { PAGER_SIZE_LIMIT } from './split.ts';
import { afterUnsupported, outgoingProtection, protectPagerRequest, SENT_IN_CLEAR, type SendPlan, type SmimeSender } from './smime-send.ts';
import type { MessageProtectionDto } from '#shared/domain/security.ts';
import {
  DEFAULT_RESEND_VALIDITY_MS,
  lostByNetwork,
  QUICK_RETRY_AFTER_MS,
  RETRY_AFTER_MS,
  tooBigForUdp,
  tooBigProtected,
  waitingReason,
  willRetryReason,
  freshWireIds,
  type Attempt,
} from './outbox-policy.ts';

export { DEFAULT_RESEND_VALIDITY_MS, QUICK_RETRY_AFTER_MS, RETRY_AFTER_MS, waitingReason, WILL_RETRY } from './outbox-policy.ts';

export type OutboxStore = Pick<Storage, 'getStoredMessage' | 'updateMessageState' | 'beginSending' | 'finishSending' | 'pendingOutbox' | 'getConversation'>;

/** a message's state after a delivery, with its conversation when it was read in the same round trip */
interface Settled {
  readonly message: MessageDto | null;
  readonly conversation?: ConversationDto | null;
}

export interface OutboxOptions {
  readonly storage: OutboxStore;
  readonly sender: PagerSender;
  readonly emit: Emit;
  readonly now: () => number;
  readonly formats: PeerFormats;
  readonly onError: (message: string, error: unknown) => void;
  /** S/MIME (RFC 3428 §11.3): absent = every message goes out in clear */
  readonly smime?: SmimeSender;
  /** runs `fn` after `ms` (a retry of what the network lost); default setTimeout, unref'd */
  readonly schedule?: (fn: () => void, ms: number) => void;
}

/** one queue entry's delivery of a message: its ticket, and what a resume meanwhile must know */
interface Run {
  readonly ticket: number;
  account: AccountId | null;
  /** resume count when it went on the wire: a resume after that could not re-queue it */
  resumes: number;
  /** past the point of no return: marked sending, a request may be on the wire */
  onWire: boolean;
}

type Mode = 'off' | 'sign' | 'sign+encrypt';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const defaultSchedule = (fn: () => void, ms: number): void => {
  setTimeout(fn, ms).unref();
};

export class Outbox {
  readonly #o: OutboxOptions;
  readonly #queues: DestinationQueues;
  /** messages queued or being sent by this process: a second enqueue of one of them is a no-op */
  readonly #active = new Set<MessageId>();
  /**
   * messages the user chose to send whole over TCP although the account is on UDP (RFC 3261 §18.1.1: the
   * stack sends a request over 1300 bytes over TCP); kept for this run only: after a restart such a
   * message fails "too large" and the user chooses again (Retry after splitting, or a TCP account)
   */
  readonly #stream = new Set<MessageId>();
  /** outcomes still being stored/announced after their destination queue moved on */
  readonly #finishing = new Set<Promise<void>>();
  /**
   * account|destination pairs with a message waiting to be re-sent: later messages to the same place wait
   * behind it (RFC 3428 §8 order) until resume() — online again, or the retry timer — sends them in order
   */
  readonly #retryHold = new Map<string, RetryHold>();
  /**
   * The queue entry that may deliver each message: `resume` puts waiting messages back in creation order
   * with a new ticket, and an older entry of the same message further up the queue then does nothing. So
   * a message put back after a lost connection never goes behind newer ones already queued (RFC 3428 §8).
   */
  readonly #tickets = new Map<MessageId, number>();
  #nextTicket = 0;
  /** messages on the wire (marked sending) until their outcome is stored: they cannot be re-queued */
  readonly #onWire = new Set<MessageId>();
  readonly #peerOf = new Map<MessageId, string>();
  /** the account each queued message belongs to, when the caller said (issue 18: no read before the wire) */
  readonly #accountOf = new Map<MessageId, AccountId>();
  /** how many times resume ran: a delivery that overlapped one re-runs it when it ends waiting */
  #resumes = 0;
  /** no more resumes (the storage is about to close): a retry timer that fires later does nothing */
  #closed = false;

  constructor(options: OutboxOptions) {
    this.#o = options;
    this.#queues = new DestinationQueues((e) => options.onError('chat delivery failed', e));
  }

  /**
   * Queues `id` for delivery to `peer`, unless it is already queued here. Call it in the same turn as
   * the storage call that made the message queued, so a concurrent `resume` cannot queue it twice.
   */
  enqueue(id: MessageId, peer: string, accountId?: AccountId): boolean {
    if (this.#active.has(id)) return false;
    this.#queue(id, peer, accountId);
    return true;
  }

  /** `id` may go whole over TCP (the user's choice for a message over 1300 bytes) */
  allowStream(id: MessageId): void {
    this.#stream.add(id);
  }

  #queue(id: MessageId, peer: string, accountId: AccountId | undefined): void {
    this.#active.add(id);
    this.#peerOf.set(id, peer);
    if (accountId !== undefined) this.#accountOf.set(id, accountId);
    const ticket = ++this.#nextTicket;
    this.#tickets.set(id, ticket);
    this.#queues.enqueue(resolveTarget(peer).toLowerCase(), () => (this.#tickets.get(id) === ticket ? this.#run(id, ticket) : Promise.resolve()));
  }

  isActive(id: MessageId): boolean {
    return this.#active.has(id);
  }

  /** Re-sends the account's queued/sending messages, oldest first (call when it becomes registered). */
  async resume(accountId: AccountId): Promise<number> {
    if (this.#closed) return 0;
    this.#resumes++;
    const firstNew = this.#nextTicket + 1;
    const pending = await this.#o.storage.pendingOutbox(accountId);
    // a hold ends here unless the message that set it is still settling: its own end re-runs resume
    for (const [key, hold] of [...this.#retryHold]) {
      if (key.startsWith(`${accountId}|`) && !this.#onWire.has(hold.holder)) this.#retryHold.delete(key);
    }
    let queued = 0;
    const listed = new Set<MessageId>();
    for (const p of pending) {
      listed.add(p.message.id);
      if (this.#onWire.has(p.message.id)) continue;
      // waiting, or queued behind newer ones: to the tail in creation order (its old entry goes stale)
      if (!this.#active.has(p.message.id)) queued++;
      this.#queue(p.message.id, p.peer, accountId);
    }
    // messages queued while the list was read are newer than all of it: they go after it, in their order
    const later = [...this.#tickets].filter(([id, t]) => t >= firstNew && !listed.has(id) && !this.#onWire.has(id)).sort((x, y) => x[1] - y[1]);
    for (const [id] of later) {
      const peer = this.#peerOf.get(id);
      if (peer !== undefined) this.#queue(id, peer, this.#accountOf.get(id));
    }
    return queued;
  }

  /** Stops resuming (shutdown); what is queued stays in storage for the next start. */
  close(): void {
    this.#closed = true;
  }

  /** Resolves when nothing is queued or in flight. */
  async idle(): Promise<void> {
    await this.#queues.idle();
    while (this.#finishing.size > 0) await Promise.all([...this.#finishing]);
  }

  /**
   * The destination's queue moves on as soon as this message has its final response (RFC 3428 §8 asks
   * no more): storing that outcome and announcing it run beside the next request instead of before it.
   */
  #run(id: MessageId, ticket: number): Promise<void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const run: Run = { ticket, account: null, resumes: 0, onWire: false };
    const rest = (async () => {
      let final: Settled | null;
      try {
        final = await this.#deliver(id, release, run);
      } finally {
        // the final state is stored before the id leaves #active, so `resume` can never pick it up again;
        // a run that resume made stale leaves the message to its newer queue entry
        if (this.#tickets.get(id) === ticket) {
          this.#active.delete(id);
          this.#tickets.delete(id);
          this.#peerOf.delete(id);
          this.#accountOf.delete(id);
        }
        if (run.onWire) this.#onWire.delete(id);
        release();
      }
      const message = final?.message ?? null;
      if (message === null) return;
      this.#o.emit('chats:message-changed', message);
      // the final state and the conversation after it come from one worker call (finishSending, issue 18)
      const conversation = final?.conversation !== undefined ? final.conversation : await this.#o.storage.getConversation(message.conversationId);
      if (conversation !== null) this.#o.emit('chats:conversation-changed', conversation);
    })();
    const tracked = rest.catch((e: unknown) => this.#o.onError('chat delivery failed', e)).finally(() => this.#finishing.delete(tracked));
    this.#finishing.add(tracked);
    return released;
  }

  /** Sends one message; returns it in its final state, or null when there was nothing to do. */
  async #deliver(id: MessageId, answered: () => void, run: Run): Promise<Settled | null> {
    const settle = (state: MessageState, code: number | null, reason: string | null, extra?: MessageStateExtra): Promise<Settled> =>
      this.#o.storage.finishSending(id, state, code, reason, extra);
    const { storage, now } = this.#o;
    // resume re-queued it meanwhile (in creation order): that newer entry delivers it, not this one
    if (this.#tickets.get(id) !== run.ticket) return null;
    // issue 18: queued here with its account, nothing holding its destination, the account able to send:
    // straight to beginSending (one storage round trip before the wire); else it is read and checked first
    const known = this.#accountOf.get(id);
    const queuedPeer = this.#peerOf.get(id);
    let accountId: AccountId;
    if (known !== undefined && queuedPeer !== undefined && this.#free(known, queuedPeer)) accountId = known;
    else {
      const checked = await checkQueued(
        { storage, now, sender: this.#o.sender, retryHold: this.#retryHold, current: () => this.#tickets.get(id) === run.ticket },
        id,
        run,
      );
      if (!('go' in checked)) return { message: checked.result };
      accountId = checked.go;
    }
    run.account = accountId;
    // The request's identity (Call-ID, CSeq, From tag, CPIM Message-ID) is stored in the same UPDATE that
    // marks it sending, before the first transmission; a re-send after a restart reuses it, so every
    // receiver sees a retransmission of the same request, not a second message (RFC 3261 §17.2.3).
    // That worker call also reads the account and the S/MIME rows the plan is decided from.
    run.onWire = true;
    run.resumes = this.#resumes;
    this.#onWire.add(id);
    const started = await storage.beginSending(id, accountId, now(), freshWireIds());
    if (started.kind === 'gone') return null;
    if (started.kind === 'expired') return { message: started.message };
    const { stored, cpimMessageId } = started;
    const m = stored.message;
    let wire: PagerWireIds = started.wire;
    this.#o.emit('chats:message-changed', started.message);
    const target = resolveTarget(stored.peer);
    const holdKey = `${accountId}|${target.toLowerCase()}`;
    const account = started.account;
    if (account === null) return settle('failed', null, 'its account no longer exists');
    const plan: SendPlan = this.#o.smime
      ? await this.#o.smime.planFrom({ accountId, aor: account.aor, peer: stored.peer, protection: started.protection, identity: started.identity })
      : { mode: 'off', required: false };

    const text = { text: m.body, createdAt: m.createdAt, expiresAt: m.expiresAt, cpimMessageId };
    // RFC 3428 §11.3: when the user made protection required and we cannot apply it, nothing goes out in clear
    if (plan.mode === 'blocked') return settle('failed', null, `not sent: ${plan.reason}`);
    let protection: MessageProtectionDto | undefined;
    const attempt = async (useCpim: boolean, mode: Mode): Promise<Attempt> => {
      let request = buildPagerRequest(account, target, { ...text, wire }, useCpim);
      if (mode !== 'off' && plan.mode !== 'off') {
        try {
          // the signed inner entity carries its own Date and Message-ID (RFC 3428 §11.2 replay protection)
          request = await protectPagerRequest(request, mode, plan.me, plan.peerCertificate, cpimMessageId);
        } catch (e) {
          this.#o.onError('protecting a message failed', e);
          return { local: { state: 'failed', code: null, reason: 'could not protect the message (S/MIME)' } };
        }
        protection = outgoingProtection(mode, plan.signer);
      } else if (plan.mode !== 'off') protection = SENT_IN_CLEAR;
      const size = requestSize(this.#o.sender, request);
      // RFC 3428 §8: never over 1300 bytes on a transport without congestion control. A protected message
      // cannot be split below it; from a UDP account it goes over TCP to the same proxy (RFC 3261 §18.1.1,
      // the stack switches), unless that proxy is pinned to UDP: then it is refused here, never fragmented.
      // A clear-text one goes whole over TCP only when the user chose so (`allowStream`), else it was split.
      if (!this.#o.sender.isCongestionControlled(account.id, target) && size > PAGER_SIZE_LIMIT) {
        const overTcp = this.#o.sender.largeRequestsCongestionControlled?.(account.id, target) === true;
        if (mode === 'off' && !(overTcp && this.#stream.has(id))) return { local: tooBigForUdp };
        if (mode !== 'off' && !overTcp) return { local: tooBigProtected(size) };
      }
      try {
        return { outcome: await this.#o.sender.send(request) };
      } catch (e) {
        // the seam must not reject; if it does, the message fails visibly instead of hanging in 'sending'
        this.#o.onError('PagerSender.send rejected', e);
        return { local: { state: 'failed', code: null, reason: 'could not reach the PBX (internal error while sending)' } };
      }
    };
    // a different body is a new request: one higher than the CSeq the 415 answered (a 401/407 retry may
    // already have taken the next one), in the same Call-ID (RFC 3261 §8.1.3.5), stored first
    const nextCSeq = async (answered: number | undefined) => {
      wire = { ...wire, cseq: Math.max(wire.cseq, answered ?? wire.cseq) + 1 };
      await storage.updateMessageState(id, 'sending', null, null, null, { cseq: wire.cseq });
    };
    const refused = (r: Attempt): r is { outcome: Extract<PagerOutcome, { kind: 'response' }> } =>
      'outcome' in r && r.outcome.kind === 'response' && r.outcome.status === 415;

    let mode: Mode = plan.mode;
    const cpim = this.#o.formats.useCpim(account.id, target, account.cpim);
    let result = await attempt(cpim, mode);
    if (refused(result) && mode !== 'off' && plan.mode !== 'off') {
      // RFC 3428 §11.3 / RFC 3261 §23.2: the peer cannot read application/pkcs7-mime
      const decision = afterUnsupported(mode, { setting: mode, required: plan.required }, result.outcome.accept);
      if ('fail' in decision) {
        return settle('failed', 415, decision.fail, protection ? { protection } : {});
      }
      mode = 'off';
      await nextCSeq(result.outcome.cseq);
      result = await attempt(cpim, mode);
    }
    if (refused(result)) {
      this.#o.formats.remember(account.id, target, result.outcome.accept);
      // the peer refused CPIM: send the same text as text/plain, and keep doing so for this peer
      if (cpim && !this.#o.formats.useCpim(account.id, target, account.cpim)) {
        await nextCSeq(result.outcome.cseq);
        result = await attempt(false, mode);
      }
    }
    const validUntil = m.expiresAt ?? m.createdAt + DEFAULT_RESEND_VALIDITY_MS;
    const resend = lostByNetwork(result) && now() < validUntil;
    // held before the queue moves on: the next message to this destination must not overtake it
    const notRegistered = 'outcome' in result && result.outcome.kind === 'not-registered';
    if (resend || notRegistered) this.#retryHold.set(holdKey, { holder: id, waiting: notRegistered });
    // a final response (or a local verdict): the next MESSAGE to this destination may go now
    answered();
    // the account came back while this one was out: no registration will resume it, a quick timer does
    const missedResume = this.#resumes !== run.resumes;
    const schedule = (ms: number) =>
      (this.#o.schedule ?? defaultSchedule)(() => void this.resume(account.id).catch((e: unknown) => this.#o.onError('resend failed', e)), ms);
    // the next MESSAGE to this destination is on the critical path (its beginSending), this outcome's commit
    // is not: it goes to the storage worker one event-loop turn later, behind the next one's (issue 18)
    await nextTurn();
    if (notRegistered) {
      // not sent at all: it stays in the outbox and goes out when the account is registered again (resume)
      if (missedResume) schedule(QUICK_RETRY_AFTER_MS);
      return settle('queued', null, waitingReason(now(), null));
    }
    const final = 'local' in result ? result.local : deliveryResult(result.outcome);
    if (resend) {
      // the network lost it: back to the outbox, same request identity, out again when online. Lost
      // without an answer (timeout, broken connection): the same CSeq, so the re-send is a retransmission
      // of the same transaction (its branch is derived from Call-ID, From tag and CSeq, message-uac.ts
      // keptBranch) and a proxy still holding it answers it from there. Answered (477, the PBX could not
      // pass it on): that transaction is over, the next try is a new request in the same Call-ID, one CSeq
      // higher than the answered one (RFC 3261 §8.1.3.5, §17.2.3), or the proxy would re-send the 477.
      const answered = 'outcome' in result && result.outcome.kind === 'response' ? result.outcome : null;
      const next = answered === null ? {} : { cseq: Math.max(wire.cseq, answered.cseq ?? wire.cseq) + 1 };
      const waiting = await settle('queued', null, willRetryReason(final), next);
      const quick = missedResume || ('outcome' in result && result.outcome.kind !== 'timeout');
      schedule(quick ? QUICK_RETRY_AFTER_MS : RETRY_AFTER_MS);
      return waiting;
    }
    return settle(final.state, final.code, final.reason, protection ? { protection } : {});
  }

  /** nothing holds the destination and the account can send now */
  #free(accountId: AccountId, peer: string): boolean {
    if (this.#retryHold.has(`${accountId}|${resolveTarget(peer).toLowerCase()}`)) return false;
    return (this.#o.sender.canSend?.(accountId) ?? { ready: true }).ready;
  }
}
