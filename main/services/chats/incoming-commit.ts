/**
 * Group commit for incoming MESSAGEs (main side). Messages that arrive together are stored together:
 * the first one after a quiet spell goes to the storage worker GATHER_MS later (so every datagram read
 * meanwhile joins it); while a batch is being committed the next arrivals wait and go as one batch when
 * it returns, or at once when a full batch is waiting (at most `maxInFlight` batches on their way, so the
 * worker never idles through a round trip). At low load that is one round trip per message; under load
 * the batches grow by themselves up to `maxBatch` and the cost per message (transaction, hand-off) falls.
 *
 * Each `submit` resolves with its own outcome only after the transaction holding it committed, so the
 * UAS's 200 (RFC 3428 §7) always means "stored": nothing answered is lost. A failed batch resolves
 * every message in it as an error (answered 500, the sender may retry), never as stored.
 *
 * Why batches stay small (issue 18): the answers of a batch leave together, and a burst of answers is
 * what overflows the sender's receive buffer. sipp's 128 KB socket buffer holds about 100 datagrams; with
 * batches of up to 256 it dropped 26-1,539 of our 200s per 10 s at 8,000-12,000/s (each one a
 * retransmission 500 ms later) while the storage worker idled 70-89 % of the time. Batches of at most
 * DEFAULT_MAX_BATCH, the next one sent as soon as the last returns, passed 12,000/s with none dropped.
 * Two batches on their way (maxInFlight 2) dropped more at the same rates: the worker then commits while
 * the main thread sends, and on two cores the sender loses its CPU to them.
 *
 * Overload (RFC 3261 §21.5.4, RFC 3428 §7): when the backlog would outgrow what can be committed within
 * `maxWaitMs` — a message already waiting that long, or `maxPending` messages queued — a new message is
 * refused at once (503 with Retry-After) instead of queueing: the queue and the answer delay stay
 * bounded, senders back off, and what is accepted keeps flowing at full speed past the knee.
 */
import type { ConversationDto, MessageDto } from '#shared/domain/chat.ts';
import type { IncomingBatchItem, IncomingBatchResult } from '../../storage/incoming-batch.ts';

export type CommitOutcome =
  | { readonly kind: 'inserted'; readonly message: MessageDto; readonly conversation: ConversationDto | null }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'overloaded'; readonly retryAfterSeconds: number };

/**
 * How long the first message after a quiet spell waits for company before its batch goes (like
 * PostgreSQL's commit_delay). Without it, at a few hundred to a thousand MESSAGE/s every datagram is its
 * own I/O turn and so its own transaction, hand-off and wake-up of the storage worker; 2 ms gathers
 * 2-4 of them and cut the worker's CPU per message by about a quarter at 500-1000/s (issue 18), for
 * 2 ms more before the 200 (T1 is 500 ms). Under heavier load the batches form anyway while one commits.
 */
export const GATHER_MS = 2;

/** most messages in one transaction, so most answers sent in one burst (see the module comment) */
export const DEFAULT_MAX_BATCH = 16;
/** batches sent to the storage worker and not answered yet (see the module comment for why one) */
export const DEFAULT_MAX_IN_FLIGHT = 1;

export interface IncomingCommitOptions {
  /** one worker round trip: stores the batch in one transaction (Storage.storeIncomingBatch) */
  readonly store: (items: readonly IncomingBatchItem[]) => Promise<IncomingBatchResult>;
  /** epoch ms (injectable clock) */
  readonly now: () => number;
  /** runs `fn` when the next batch should go; default after GATHER_MS (tests may pass a manual queue) */
  readonly defer?: (fn: () => void) => void;
  /** most messages in one transaction; default DEFAULT_MAX_BATCH */
  readonly maxBatch?: number;
  /** most batches sent to storage and not answered yet; default DEFAULT_MAX_IN_FLIGHT */
  readonly maxInFlight?: number;
  /** most messages waiting or being committed before new ones get 503; default 2000 */
  readonly maxPending?: number;
  /** a message waiting longer than this means the queue outgrows the disk: new ones get 503; default 2000 (a busy
   *  machine can stall the storage worker for a few hundred ms without any overload: never refuse a user for that) */
  readonly maxWaitMs?: number;
  /** Retry-After of the 503, seconds; default 1 */
  readonly retryAfterSeconds?: number;
}

interface Waiting {
  readonly item: IncomingBatchItem;
  readonly at: number;
  resolve(outcome: CommitOutcome): void;
}

export interface CommitStats {
  readonly batches: number;
  readonly committed: number;
  readonly largestBatch: number;
  readonly refused: number;
}

export class IncomingCommitter {
  readonly #store: IncomingCommitOptions['store'];
  readonly #now: () => number;
  readonly #defer: (fn: () => void) => void;
  readonly #maxBatch: number;
  readonly #maxInFlight: number;
  readonly #maxPending: number;
  readonly #maxWaitMs: number;
  readonly #retryAfter: number;
  /** FIFO of waiting messages; `#head` is the index of the oldest (no O(n) shift per batch) */
  #queue: Waiting[] = [];
  #head = 0;
  /** messages in the batches on their way */
  #inFlight = 0;
  #batchesInFlight = 0;
  #scheduled = false;
  #stats = { batches: 0, committed: 0, largestBatch: 0, refused: 0 };

  constructor(o: IncomingCommitOptions) {
    this.#store = o.store;
    this.#now = o.now;
    this.#defer = o.defer ?? ((fn) => setTimeout(fn, GATHER_MS));
    this.#maxBatch = Math.max(1, o.maxBatch ?? DEFAULT_MAX_BATCH);
    this.#maxInFlight = Math.max(1, o.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
    this.#maxPending = Math.max(1, o.maxPending ?? 2000);
    this.#maxWaitMs = o.maxWaitMs ?? 2000;
    this.#retryAfter = Math.max(1, Math.ceil(o.retryAfterSeconds ?? 1));
  }

  get stats(): CommitStats {
    return { ...this.#stats };
  }

  /** messages waiting or being committed */
  get pending(): number {
    return this.#queue.length - this.#head + this.#inFlight;
  }

  submit(item: IncomingBatchItem): Promise<CommitOutcome> {
    const now = this.#now();
    const oldest = this.#queue[this.#head];
    if (this.pending >= this.#maxPending || (oldest !== undefined && now - oldest.at > this.#maxWaitMs)) {
      this.#stats.refused++;
      return Promise.resolve({ kind: 'overloaded', retryAfterSeconds: this.#retryAfter });
    }
    return new Promise<CommitOutcome>((resolve) => {
      this.#queue.push({ item, at: now, resolve });
      this.#schedule();
    });
  }

  get #waiting(): number {
    return this.#queue.length - this.#head;
  }

  #schedule(): void {
    if (this.#batchesInFlight === 0) {
      // a quiet spell ends: gather what arrives in the next GATHER_MS into the same batch
      if (this.#scheduled) return;
      this.#scheduled = true;
      this.#defer(() => {
        this.#scheduled = false;
        this.#send();
      });
      return;
    }
    // batches are on their way: the waiting ones go when one returns, or now if a full batch is waiting
    if (this.#waiting >= this.#maxBatch) this.#send();
  }

  /** sends the waiting messages as batches, while there is room on the way */
  #send(): void {
    while (this.#waiting > 0 && this.#batchesInFlight < this.#maxInFlight) void this.#flush();
  }

  async #flush(): Promise<void> {
    const batch = this.#queue.slice(this.#head, this.#head + this.#maxBatch);
    if (batch.length === 0) return;
    this.#head += batch.length;
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 4096) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    this.#inFlight += batch.length;
    this.#batchesInFlight++;
    this.#stats.batches++;
    this.#stats.largestBatch = Math.max(this.#stats.largestBatch, batch.length);
    let result: IncomingBatchResult | null = null;
    let failure: unknown = null;
    try {
      result = await this.#store(batch.map((w) => w.item));
      if (result.outcomes.length !== batch.length) throw new Error('storage answered a different number of messages');
    } catch (e) {
      failure = e ?? new Error('not stored');
    }
    this.#inFlight -= batch.length;
    this.#batchesInFlight--;
    // the next batch goes before this one's answers, so the worker has it while the 200s are sent
    this.#send();
    if (failure !== null || result === null) {
      for (const w of batch) w.resolve({ kind: 'error', error: failure });
    } else {
      this.#settle(batch, result);
    }
  }

  #settle(batch: readonly Waiting[], result: IncomingBatchResult): void {
    // the conversation goes with the LAST new message of it in this batch: one conversation event per batch
    const lastOf = new Map<string, number>();
    result.outcomes.forEach((o, i) => {
      if (o.kind === 'inserted') lastOf.set(o.message.conversationId, i);
    });
    const conversations = new Map(result.conversations.map((c) => [c.id as string, c]));
    batch.forEach((w, i) => {
      const o = result.outcomes[i];
      if (o === undefined || o.kind === 'error') {
        w.resolve({ kind: 'error', error: new Error(o?.message ?? 'not stored') });
      } else if (o.kind === 'duplicate') {
        w.resolve({ kind: 'duplicate' });
      } else {
        this.#stats.committed++;
        const id = o.message.conversationId;
        w.resolve({ kind: 'inserted', message: o.message, conversation: lastOf.get(id) === i ? (conversations.get(id) ?? null) : null });
      }
    });
  }
}
