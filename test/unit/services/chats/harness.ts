/**
 * Test support for the chat service (not a test file): a scripted PagerSender — the seam the SIP glue
 * implements, answered by the test instead of a network — an event recorder, and a service over real
 * storage with a fresh account per test.
 */
import { ChatService, type ChatServiceOptions } from '../../../../main/services/chats/chat-service.ts';
import type { PagerOutcome, PagerRequest, PagerSender } from '../../../../main/services/chats/pager.ts';
import { ContactsService } from '../../../../main/services/contacts.ts';
import type { Storage } from '../../../../main/storage/storage.ts';
import type { ConversationDto } from '#shared/domain/chat.ts';
import type { AccountId } from '#shared/domain/ids.ts';
import type { EventMap, EventName } from '#shared/ipc/contract.ts';
import { accountRecord } from '../../storage/fixtures.ts';

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export const ok200: PagerOutcome = { kind: 'response', status: 200, reason: 'OK', accept: null };
export const response = (status: number, reason: string, accept: readonly string[] | null = null): PagerOutcome => ({
  kind: 'response',
  status,
  reason,
  accept,
});

/** Each send() waits until the test answers it, unless `auto` answers at once. */
export class ScriptedPager implements PagerSender {
  readonly requests: PagerRequest[] = [];
  readonly #answers: Deferred<PagerOutcome>[] = [];
  readonly #waiters: { count: number; d: Deferred<void> }[] = [];
  congestionControlled = false;
  auto: ((request: PagerRequest) => PagerOutcome) | null = null;
  canSend?: PagerSender['canSend'];

  send(request: PagerRequest): Promise<PagerOutcome> {
    this.requests.push(request);
    const d = deferred<PagerOutcome>();
    this.#answers.push(d);
    for (const w of this.#waiters) if (this.requests.length >= w.count) w.d.resolve();
    if (this.auto !== null) d.resolve(this.auto(request));
    return d.promise;
  }

  isCongestionControlled(): boolean {
    return this.congestionControlled;
  }

  /** RFC 3261 §18.1.1: a UDP account whose proxy also takes TCP (not pinned to transport=udp) */
  largeRequestsOverTcp = false;

  largeRequestsCongestionControlled(): boolean {
    return this.congestionControlled || this.largeRequestsOverTcp;
  }

  answer(index: number, outcome: PagerOutcome): void {
    const d = this.#answers[index];
    if (d === undefined) throw new Error(`no request #${String(index)} to answer`);
    d.resolve(outcome);
  }

  /** Resolves once send() has been called `count` times in all. */
  waitForRequests(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    const d = deferred<void>();
    this.#waiters.push({ count, d });
    return d.promise;
  }

  text(index: number): string {
    const r = this.requests[index];
    if (r === undefined) throw new Error(`no request #${String(index)}`);
    return r.body.toString('utf8');
  }
}

export type Emitted = { [E in EventName]: { event: E; payload: EventMap[E] } }[EventName];

export class EventLog {
  readonly all: Emitted[] = [];
  readonly #waiters: { match: (e: Emitted) => boolean; d: Deferred<Emitted> }[] = [];

  readonly emit = <E extends EventName>(event: E, payload: EventMap[E]): void => {
    const e = { event, payload } as Emitted;
    this.all.push(e);
    for (const w of this.#waiters) if (w.match(e)) w.d.resolve(e);
  };

  of<E extends EventName>(event: E): EventMap[E][] {
    return this.all.filter((e) => e.event === event).map((e) => e.payload as EventMap[E]);
  }

  /** Resolves with the first event (already emitted or future) that matches. */
  waitFor(match: (e: Emitted) => boolean): Promise<Emitted> {
    const seen = this.all.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    const d = deferred<Emitted>();
    this.#waiters.push({ match, d });
    return d.promise;
  }

  /** The message reaching `state` (by message-changed). */
  waitForState(messageId: string, state: string): Promise<Emitted> {
    return this.waitFor((e) => e.event === 'chats:message-changed' && e.payload.id === messageId && e.payload.state === state);
  }
}

let accountSeq = 0;

export interface Setup {
  readonly service: ChatService;
  readonly pager: ScriptedPager;
  readonly events: EventLog;
  readonly accountId: AccountId;
  readonly contacts: ContactsService;
  conversation(peer: string): Promise<ConversationDto>;
  clock: { now: number };
  /** re-sends the outbox planned (what the network lost); run them by hand */
  readonly scheduled: { readonly fn: () => void; readonly ms: number }[];
}

/** A fresh account (its own conversations) on shared storage, and a ChatService over it. */
export async function setup(
  storage: Storage,
  options: {
    cpim?: boolean;
    pager?: ScriptedPager;
    accountId?: AccountId;
    now?: number;
    onError?: (message: string, error: unknown) => void;
    smime?: ChatServiceOptions['smime'];
    incoming?: ChatServiceOptions['incoming'];
    connection?: ChatServiceOptions['connection'];
    isBlocked?: ChatServiceOptions['isBlocked'];
  } = {},
): Promise<Setup> {
  const events = new EventLog();
  const pager = options.pager ?? new ScriptedPager();
  let accountId = options.accountId;
  if (accountId === undefined) {
    accountSeq++;
    accountId = `acc-${String(process.pid)}-${String(accountSeq)}` as AccountId;
    await storage.saveAccount(
      accountRecord({ id: accountId, aor: `sip:alice${String(accountSeq)}@example.test`, cpim: options.cpim ?? false }),
    );
  }
  const contacts = new ContactsService({ storage, emit: events.emit, now: () => 1_000 });
  const clock = { now: options.now ?? 1_700_000_000_000 };
  const scheduled: { fn: () => void; ms: number }[] = [];
  const service = new ChatService({
    schedule: (fn, ms) => void scheduled.push({ fn, ms }),
    storage,
    sender: pager,
    emit: events.emit,
    now: () => clock.now,
    smime: options.smime,
    ...(options.incoming ? { incoming: options.incoming } : {}),
    ...(options.connection ? { connection: options.connection } : {}),
    ...(options.isBlocked ? { isBlocked: options.isBlocked } : {}),
    onError:
      options.onError ??
      ((message, error) => {
        throw new Error(`unexpected fault: ${message}: ${String(error)}`);
      }),
  });
  const id = accountId;
  return {
    service,
    pager,
    events,
    accountId: id,
    contacts,
    clock,
    scheduled,
    conversation: (peer) => service.openConversation(id, peer),
  };
}
