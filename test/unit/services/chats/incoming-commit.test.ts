import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BATCH, IncomingCommitter, type CommitOutcome } from '../../../../main/services/chats/incoming-commit.ts';
import type { IncomingPagerMessage } from '../../../../main/services/chats/pager.ts';
import type { IncomingBatchItem, IncomingBatchResult } from '../../../../main/storage/incoming-batch.ts';
import { openStorage, type Storage } from '../../../../main/storage/storage.ts';
import type { AccountId } from '#shared/domain/ids.ts';
import { setup } from './harness.ts';

let seq = 0;
function item(over: Partial<IncomingBatchItem> = {}): IncomingBatchItem {
  seq++;
  return {
    accountId: 'acc' as AccountId,
    peer: 'sip:bob@example.test',
    senderName: 'Bob',
    body: `m${String(seq)}`,
    contentType: 'text/plain',
    createdAt: 1000 + seq,
    expiresAt: null,
    dialogId: null,
    sipCallId: `c${String(seq)}`,
    cseq: 1,
    cpimMessageId: null,
    state: 'received',
    dateHeader: null,
    read: false,
    ...over,
  };
}

/** A store whose batches the test completes by hand, and a manual `defer` queue. */
function manual() {
  const calls: { items: readonly IncomingBatchItem[]; resolve: (r: IncomingBatchResult) => void; reject: (e: unknown) => void }[] = [];
  const deferred: (() => void)[] = [];
  const clock = { now: 0 };
  const store = (items: readonly IncomingBatchItem[]) =>
    new Promise<IncomingBatchResult>((resolve, reject) => {
      calls.push({ items, resolve, reject });
    });
  const turn = () => {
    for (const fn of deferred.splice(0)) fn();
  };
  return { calls, deferred, clock, store, turn, defer: (fn: () => void) => deferred.push(fn) };
}

const dup = (n: number): IncomingBatchResult => ({ outcomes: Array.from({ length: n }, () => ({ kind: 'duplicate' as const })), conversations: [] });
const settled = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('group commit of incoming MESSAGEs (RFC 3428 §7: 200 only once stored)', () => {
  it('messages that arrive in the same turn MUST go to storage as one batch, in arrival order', async () => {
    const m = manual();
    const c = new IncomingCommitter({ store: m.store, now: () => m.clock.now, defer: m.defer });
    const first = [item(), item(), item()];
    const answers = first.map((i) => c.submit(i));
    expect(m.calls).toHaveLength(0);
    m.turn();
    expect(m.calls).toHaveLength(1);
    expect(m.calls[0]?.items.map((i) => i.body)).toEqual(first.map((i) => i.body));

    // arrivals while the batch commits wait for it, then go together
    const later = [item(), item()];
    const laterAnswers = later.map((i) => c.submit(i));
    m.turn();
    expect(m.calls).toHaveLength(1);
    m.calls[0]?.resolve(dup(3));
    expect(await Promise.all(answers)).toEqual([{ kind: 'duplicate' }, { kind: 'duplicate' }, { kind: 'duplicate' }]);
    m.turn();
    expect(m.calls).toHaveLength(2);
    expect(m.calls[1]?.items.map((i) => i.body)).toEqual(later.map((i) => i.body));
    m.calls[1]?.resolve(dup(2));
    await Promise.all(laterAnswers);
    expect(c.pending).toBe(0);
    expect(c.stats).toMatchObject({ batches: 2, largestBatch: 3 });
  });

  it('MUST NOT answer any message of a batch before its transaction returned; a failed commit answers none as stored', async () => {
    const m = manual();
    const c = new IncomingCommitter({ store: m.store, now: () => m.clock.now, defer: m.defer });
    const outcomes: CommitOutcome[] = [];
    const answers = [item(), item()].map((i) => c.submit(i).then((o) => outcomes.push(o)));
    m.turn();
    await settled();
    expect(outcomes).toEqual([]);
    m.calls[0]?.reject(new Error('disk I/O error'));
    await Promise.all(answers);
    expect(outcomes.map((o) => o.kind)).toEqual(['error', 'error']);
    // and it keeps serving
    const next = c.submit(item());
    m.turn();
    m.calls[1]?.resolve(dup(1));
    expect(await next).toEqual({ kind: 'duplicate' });
  });

  it('a storage answer with the wrong number of outcomes is an error for every message, never a 200', async () => {
    const m = manual();
    const c = new IncomingCommitter({ store: m.store, now: () => m.clock.now, defer: m.defer });
    const answers = [item(), item()].map((i) => c.submit(i));
    m.turn();
    m.calls[0]?.resolve(dup(1));
    expect((await Promise.all(answers)).map((o) => o.kind)).toEqual(['error', 'error']);
  });

  it('batches are capped at maxBatch; the rest follow in order', async () => {
    const m = manual();
    const c = new IncomingCommitter({ store: m.store, now: () => m.clock.now, defer: m.defer, maxBatch: 2 });
    const items = [item(), item(), item(), item(), item()];
    const answers = items.map((i) => c.submit(i));
    const order: string[][] = [];
    for (let round = 0; round < 3; round++) {
      m.turn();
      const call = m.calls[round];
      if (call === undefined) throw new Error(`no batch ${String(round)}`);
      order.push(call.items.map((i) => i.body));
      call.resolve(dup(call.items.length));
      await settled();
    }
    await Promise.all(answers);
    expect(order).toEqual([[items[0]?.body, items[1]?.body], [items[2]?.body, items[3]?.body], [items[4]?.body]]);
  });

  it('a backlog goes on at once when a batch returns: no gather delay between full batches', async () => {
    const m = manual();
    const c = new IncomingCommitter({ store: m.store, now: () => m.clock.now, defer: m.defer, maxBatch: 2 });
    const answers = [item(), item(), item(), item(), item()].map((i) => c.submit(i));
    m.turn();
    expect(m.calls.map((x) => x.items.length)).toEqual([2]);
    m.calls[0]?.resolve(dup(2));
    await settled();
    // no m.turn(): the next batch left as the first one returned
    expect(m.calls.map((x) => x.items.length)).toEqual([2, 2]);
    m.calls[1]?.resolve(dup(2));
    await settled();
    expect(m.calls.map((x) => x.items.length)).toEqual([2, 2, 1]);
    m.calls[2]?.resolve(dup(1));
    await Promise.all(answers);
    expect(m.deferred).toHaveLength(0);
    expect(c.pending).toBe(0);
  });

  it('a burst MUST be cut into batches of at most DEFAULT_MAX_BATCH (the answers of a batch leave together)', async () => {
    const m = manual();
    const c = new IncomingCommitter({ store: m.store, now: () => m.clock.now, defer: m.defer });
    const answers = Array.from({ length: DEFAULT_MAX_BATCH * 2 + 3 }, () => c.submit(item()));
    m.turn();
    for (let i = 0; i < 3; i++) {
      const call = m.calls[i];
      if (call === undefined) throw new Error(`no batch ${String(i)}`);
      call.resolve(dup(call.items.length));
      await settled();
    }
    await Promise.all(answers);
    expect(m.calls.map((x) => x.items.length)).toEqual([DEFAULT_MAX_BATCH, DEFAULT_MAX_BATCH, 3]);
  });

  it('maxInFlight 2: a full batch waiting goes while one commits, never more than two on their way', async () => {
    const m = manual();
    const c = new IncomingCommitter({ store: m.store, now: () => m.clock.now, defer: m.defer, maxBatch: 2, maxInFlight: 2 });
    const first = c.submit(item());
    m.turn();
    expect(m.calls).toHaveLength(1);
    // one waiting: not a full batch, it waits for the one on its way
    const rest = [c.submit(item())];
    expect(m.calls).toHaveLength(1);
    // a full batch is waiting: it goes at once
    rest.push(c.submit(item()));
    expect(m.calls.map((x) => x.items.length)).toEqual([1, 2]);
    // two on their way: the next full batch waits
    rest.push(c.submit(item()), c.submit(item()));
    expect(m.calls).toHaveLength(2);
    m.calls[0]?.resolve(dup(1));
    await first;
    expect(m.calls.map((x) => x.items.length)).toEqual([1, 2, 2]);
    m.calls[1]?.resolve(dup(2));
    m.calls[2]?.resolve(dup(2));
    await Promise.all(rest);
    expect(c.pending).toBe(0);
  });

  it('overload: past maxPending a new message MUST get 503 with Retry-After at once, without queueing', async () => {
    const m = manual();
    const c = new IncomingCommitter({ store: m.store, now: () => m.clock.now, defer: m.defer, maxPending: 3, retryAfterSeconds: 2 });
    const accepted = [item(), item(), item()].map((i) => c.submit(i));
    expect(await c.submit(item())).toEqual({ kind: 'overloaded', retryAfterSeconds: 2 });
    expect(c.pending).toBe(3);
    m.turn();
    m.calls[0]?.resolve(dup(3));
    await Promise.all(accepted);
    // room again
    const after = c.submit(item());
    m.turn();
    m.calls[1]?.resolve(dup(1));
    expect(await after).toEqual({ kind: 'duplicate' });
    expect(c.stats.refused).toBe(1);
  });

  it('overload: while the oldest waiting message has waited longer than maxWaitMs, new ones get 503', async () => {
    const m = manual();
    const c = new IncomingCommitter({ store: m.store, now: () => m.clock.now, defer: m.defer, maxWaitMs: 100 });
    const inFlight = c.submit(item());
    m.turn();
    const waiting = c.submit(item());
    m.clock.now = 100;
    // waited exactly maxWaitMs: still accepted
    const atLimit = c.submit(item());
    expect(c.pending).toBe(3);
    m.clock.now = 250;
    expect(await c.submit(item())).toMatchObject({ kind: 'overloaded', retryAfterSeconds: 1 });
    m.calls[0]?.resolve(dup(1));
    await inFlight;
    m.turn();
    expect(m.calls[1]?.items).toHaveLength(2);
    m.calls[1]?.resolve(dup(2));
    expect(await Promise.all([waiting, atLimit])).toEqual([{ kind: 'duplicate' }, { kind: 'duplicate' }]);
    expect(c.stats.refused).toBe(1);
  });
});

describe('group commit over the real storage worker', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage(':memory:');
  });
  afterAll(() => storage.close());

  function pager(from: string, n: number): IncomingPagerMessage {
    return { from, fromDisplayName: null, contentType: 'text/plain', body: Buffer.from(`${from} #${String(n)}`), callId: `${from}-${String(n)}`, cseq: 1, date: null, expiresSeconds: null, dialog: null };
  }

  it('a burst is stored in few transactions, in arrival order, once each; one conversation event per conversation per batch', async () => {
    const s = await setup(storage);
    const peers = ['sip:a@example.test', 'sip:b@example.test', 'sip:c@example.test'];
    const burst = Array.from({ length: 300 }, (_, i) => pager(peers[i % 3] ?? '', i));
    // a retransmitted copy in the same burst (same Call-ID and CSeq): 200 again, stored once
    burst.push(pager(peers[0] ?? '', 0));
    const answers = await Promise.all(burst.map((m) => s.service.receive(s.accountId, m)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const received = s.events.of('chats:message-received');
    expect(received.map((m) => m.body)).toEqual(burst.slice(0, 300).map((m) => m.body.toString()));
    const ids = received.map((m) => Number(m.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    // full batches (the last one partly): a burst costs one transaction per DEFAULT_MAX_BATCH messages, not one each
    expect(s.service.incomingStats.batches).toBeLessThanOrEqual(Math.ceil(burst.length / DEFAULT_MAX_BATCH) + 1);
    expect(s.service.incomingStats.largestBatch).toBe(DEFAULT_MAX_BATCH);
    expect(s.service.incomingStats.committed).toBe(300);
    const changed = s.events.of('chats:conversation-changed');
    expect(changed.length).toBeLessThanOrEqual(3 * s.service.incomingStats.batches);
    // the last event of each conversation carries its final state
    for (const peer of peers) {
      const last = changed.filter((c) => c.peer === peer).at(-1);
      expect(last?.unread).toBe(100);
      expect(last?.lastMessage?.body).toBe(`${peer} #${String(297 + peers.indexOf(peer))}`);
    }
  });

  it('each stored message comes back exactly as storage reads it; a new sender gets one conversation per batch', async () => {
    const s = await setup(storage);
    const protection = { encrypted: true, signature: 'verified' as const, trust: null, signer: 'sip:p@example.test', fingerprint: null, summary: 'signed', warning: false };
    const r = await storage.storeIncomingBatch([
      item({ accountId: s.accountId, peer: 'sip:new1@example.test', senderName: 'New One', body: 'plain', dateHeader: 5, expiresAt: 99_000 }),
      item({ accountId: s.accountId, peer: 'sip:new1@example.test', body: 'protected', protection, state: 'expired', read: true }),
      item({ accountId: s.accountId, peer: 'sips:new1@EXAMPLE.test', body: 'same peer, other spelling', sipCallId: null, cseq: null }),
      item({ accountId: s.accountId, peer: 'sip:new2@example.test', senderName: null, body: 'second sender', dialogId: 'd;1;2', cpimMessageId: '<x@y>' }),
    ]);
    expect(r.outcomes.map((o) => o.kind)).toEqual(['inserted', 'inserted', 'inserted', 'inserted']);
    for (const o of r.outcomes) {
      if (o.kind !== 'inserted') continue;
      expect(o.message).toEqual(await storage.getMessage(o.message.id));
    }
    const [a, b, c, d] = r.outcomes.map((o) => (o.kind === 'inserted' ? o.message.conversationId : null));
    expect(new Set([a, b, c]).size).toBe(1);
    expect(d).not.toBe(a);
    const conversations = await storage.listConversations();
    const first = conversations.find((x) => x.id === a);
    expect(first).toMatchObject({ peer: 'sip:new1@example.test', title: 'New One', unknownSender: true, unread: 2 });
    expect(conversations.find((x) => x.id === d)).toMatchObject({ title: 'new2@example.test', unknownSender: true, unread: 1 });
    expect(r.conversations.map((x) => x.id).sort()).toEqual([a, d].sort());
  });

  it('a message that cannot be stored costs only its own 500; the rest of its batch is stored', async () => {
    const s = await setup(storage);
    const errors: string[] = [];
    const good = storage.storeIncomingBatch([
      item({ accountId: s.accountId, body: 'first' }),
      item({ accountId: 'no-such-account' as AccountId, body: 'orphan' }),
      item({ accountId: s.accountId, body: 'third' }),
    ]);
    const r = await good;
    for (const o of r.outcomes) if (o.kind === 'error') errors.push(o.message);
    expect(r.outcomes.map((o) => o.kind)).toEqual(['inserted', 'error', 'inserted']);
    expect(errors[0]).toMatch(/FOREIGN KEY/i);
    expect(r.conversations).toHaveLength(1);
    expect(r.conversations[0]?.unread).toBe(2);
  });
});

describe('ChatService.receive under overload', () => {
  it('answers 503 with Retry-After (nothing stored) once the backlog is at its bound, and 200 again after it drained', async () => {
    const storage = await openStorage(':memory:');
    try {
      const s = await setup(storage, { incoming: { maxPending: 5, retryAfterSeconds: 3 } });
      const msg = (n: number): IncomingPagerMessage => ({ from: 'sip:x@example.test', fromDisplayName: null, contentType: 'text/plain', body: Buffer.from(`o${String(n)}`), callId: `o${String(n)}`, cseq: 1, date: null, expiresSeconds: null, dialog: null });
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => s.service.receive(s.accountId, msg(i))));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 503, 503, 503]);
      expect(answers[5]).toEqual({ status: 503, reason: 'Busy storing messages', retryAfterSeconds: 3 });
      expect(s.events.of('chats:message-received').map((m) => m.body)).toEqual(['o0', 'o1', 'o2', 'o3', 'o4']);
      expect((await s.service.receive(s.accountId, msg(5))).status).toBe(200);
    } finally {
      await storage.close();
    }
  });
});
