/**
 * The transaction layer's shared Timer J (timer-j-queue.ts, issue 18): every non-INVITE server
 * transaction in Completed over UDP ends when its own Timer J = 64*T1 fires (RFC 3261 §17.2.2), oldest
 * first, on one clock timer; the cap sheds from the same queue; a Completed transaction keeps answering
 * retransmissions with the very bytes it sent first.
 */
import { describe, expect, it } from 'vitest';
import { serializeMessage, type SipRequest } from '../../../../main/sip/message/index.ts';
import { TimerJQueue, type TimerJTransaction } from '../../../../main/sip/transaction/timer-j-queue.ts';
import { TransactionLayer } from '../../../../main/sip/transaction/transaction-layer.ts';
import type { ServerTransaction } from '../../../../main/sip/transaction/transaction-types.ts';
import type { Endpoint } from '../../../../main/sip/transport/types.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { LoopTransport } from '../../../support/loop-transport.ts';
import { makeRequest, responseTo, settle, UDP_PEER } from './fixtures.ts';

/** a LoopTransport that also sends serialized responses, recording their octets */
class BytesTransport extends LoopTransport {
  readonly bytes: Array<{ at: number; bytes: Buffer }> = [];
  readonly #clock: FakeClock;
  constructor(clock: FakeClock) {
    super({ clock });
    this.#clock = clock;
  }
  sendSerializedResponse(bytes: Buffer, destination: Endpoint): Promise<Endpoint> {
    this.bytes.push({ at: this.#clock.now(), bytes });
    return Promise.resolve(destination);
  }
}

function setup(options: { max?: number; answer?: boolean } = {}) {
  const clock = new FakeClock();
  const transport = new BytesTransport(clock);
  const requests: Array<{ request: SipRequest; tx: ServerTransaction }> = [];
  const terminated: Array<[number, string]> = [];
  const layer = new TransactionLayer({
    transport,
    clock,
    timers: { t1: 500 },
    ...(options.max !== undefined ? { serverCap: { max: options.max } } : {}),
    user: {
      onRequest: (request, tx) => {
        requests.push({ request, tx });
        tx.setUser({ onTerminated: () => terminated.push([clock.now(), request.callId]) });
        if (options.answer === true) tx.respond(responseTo(request, 200));
      },
      onAck: () => undefined,
    },
  });
  return { clock, transport, layer, requests, terminated };
}

const message = (n: number): string =>
  serializeMessage(makeRequest('MESSAGE', { branch: `z9hG4bK-j-${String(n)}`, callId: `j-${String(n)}` })).toString();

class Entry implements TimerJTransaction {
  state: 'Completed' | 'Terminated' = 'Completed';
  readonly name: string;
  readonly log: Array<[number, string]>;
  readonly clock: FakeClock;
  constructor(name: string, log: Array<[number, string]>, clock: FakeClock) {
    this.name = name;
    this.log = log;
    this.clock = clock;
  }
  timerJFired(): void {
    if (this.state !== 'Completed') return;
    this.state = 'Terminated';
    this.log.push([this.clock.now(), this.name]);
  }
  shed(): boolean {
    if (this.state !== 'Completed') return false;
    this.state = 'Terminated';
    this.log.push([this.clock.now(), `shed ${this.name}`]);
    return true;
  }
}

describe('TimerJQueue (RFC 3261 §17.2.2 Timer J, shared)', () => {
  it('fires each entry at its own instant, oldest first, with one clock timer at a time', () => {
    const clock = new FakeClock();
    const log: Array<[number, string]> = [];
    const queue = new TimerJQueue(clock, 32_000);
    queue.add(new Entry('a', log, clock));
    clock.advance(10);
    queue.add(new Entry('b', log, clock));
    queue.add(new Entry('c', log, clock));
    clock.advance(5);
    queue.add(new Entry('d', log, clock));
    expect(clock.pending()).toHaveLength(1);
    clock.advance(31_984);
    expect(log).toEqual([]);
    clock.advance(1);
    expect(log).toEqual([[32_000, 'a']]);
    expect(clock.pending()).toEqual([expect.objectContaining({ due: 32_010 })]);
    clock.runAll();
    expect(log).toEqual([[32_000, 'a'], [32_010, 'b'], [32_010, 'c'], [32_015, 'd']]);
    expect(queue.size).toBe(0);
    expect(clock.pending()).toEqual([]);
  });

  it('sheds the oldest still Completed, skips entries already ended, and a shed entry never fires', () => {
    const clock = new FakeClock();
    const log: Array<[number, string]> = [];
    const queue = new TimerJQueue(clock, 1000);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => new Entry(n, log, clock)) as [Entry, Entry, Entry];
    for (const e of [a, b, c]) queue.add(e);
    a.state = 'Terminated'; // e.g. a transport error ended it
    expect(queue.shedOldest()).toBe(true);
    expect(log).toEqual([[0, 'shed b']]);
    expect(queue.size).toBe(1);
    clock.runAll();
    expect(log).toEqual([[0, 'shed b'], [1000, 'c']]);
    expect(queue.shedOldest()).toBe(false);
  });

  it('an entry added while the due ones fire waits for its own Timer J', () => {
    const clock = new FakeClock();
    const log: Array<[number, string]> = [];
    const queue = new TimerJQueue(clock, 1000);
    const late = new Entry('late', log, clock);
    const first = new Entry('first', log, clock);
    first.timerJFired = () => {
      Entry.prototype.timerJFired.call(first);
      queue.add(late);
    };
    queue.add(first);
    clock.advance(1000);
    expect(clock.pending()).toEqual([expect.objectContaining({ due: 2000 })]);
    clock.runAll();
    expect(log).toEqual([[1000, 'first'], [2000, 'late']]);
  });

  it('dispose stops its timer', () => {
    const clock = new FakeClock();
    const queue = new TimerJQueue(clock, 1000);
    queue.add(new Entry('a', [], clock));
    queue.dispose();
    expect(clock.pending()).toEqual([]);
    expect(queue.size).toBe(0);
  });
});

describe('TransactionLayer with the shared Timer J', () => {
  it('answered MESSAGEs over UDP end at 64*T1 each, in order, on one clock timer', () => {
    const { clock, transport, layer, terminated } = setup({ answer: true });
    transport.inject(message(0), UDP_PEER);
    clock.advance(100);
    transport.inject(message(1), UDP_PEER);
    transport.inject(message(2), UDP_PEER);
    expect(clock.pending()).toHaveLength(1);
    clock.advance(31_899);
    expect(layer.serverTransactionCount).toBe(3);
    clock.advance(1);
    expect(terminated).toEqual([[32_000, 'j-0']]);
    expect(layer.serverTransactionCount).toBe(2);
    clock.advance(100);
    expect(terminated).toEqual([[32_000, 'j-0'], [32_100, 'j-1'], [32_100, 'j-2']]);
    expect(layer.serverTransactionCount).toBe(0);
    expect(clock.pending()).toEqual([]);
  });

  it('a retransmission in Completed gets the same response octets, until Timer J', async () => {
    const { clock, transport, requests } = setup();
    transport.inject(message(7), UDP_PEER);
    const { request, tx } = requests[0]!;
    clock.advance(5);
    tx.respond(responseTo(request, 200));
    clock.advance(1000);
    transport.inject(message(7), UDP_PEER);
    clock.advance(30_999);
    transport.inject(message(7), UDP_PEER);
    await settle();
    expect(transport.bytes.map((b) => b.at)).toEqual([5, 1005, 32_004]);
    expect(transport.bytes[1]!.bytes.equals(transport.bytes[0]!.bytes)).toBe(true);
    expect(transport.bytes[2]!.bytes.equals(transport.bytes[0]!.bytes)).toBe(true);
    expect(requests).toHaveLength(1);
    clock.advance(1);
    expect(tx.state).toBe('Terminated');
    // after Timer J the same request is a new one for the TU (§17.2.3: no transaction matches)
    transport.inject(message(7), UDP_PEER);
    expect(requests).toHaveLength(2);
  });

  it('a transaction shed at the cap leaves the queue: it ends once, and Timer J ends the rest', () => {
    const { clock, transport, layer, terminated } = setup({ max: 2, answer: true });
    for (let n = 0; n < 4; n++) transport.inject(message(n), UDP_PEER);
    expect(layer.serverCap.counters().shed).toBe(2);
    expect(terminated).toEqual([[0, 'j-0'], [0, 'j-1']]);
    clock.advance(32_000);
    expect(terminated).toEqual([[0, 'j-0'], [0, 'j-1'], [32_000, 'j-2'], [32_000, 'j-3']]);
    expect(layer.serverTransactionCount).toBe(0);
  });

  it('a Completed transaction ended by a transport error is not shed again: the next oldest is', () => {
    const { transport, layer, requests, terminated } = setup({ max: 2 });
    transport.inject(message(0), UDP_PEER);
    transport.inject(message(1), UDP_PEER);
    for (const { request, tx } of requests) tx.respond(responseTo(request, 200));
    requests[0]!.tx.transportError('ICMP port unreachable');
    transport.inject(message(2), UDP_PEER);
    transport.inject(message(3), UDP_PEER);
    expect(requests).toHaveLength(4);
    expect(layer.serverCap.counters()).toEqual({ refused: 0, dropped: 0, shed: 1 });
    expect(terminated.map(([, id]) => id)).toEqual(['j-0', 'j-1']);
  });

  it('dispose stops the shared Timer J', () => {
    const { clock, transport, layer } = setup({ answer: true });
    transport.inject(message(0), UDP_PEER);
    expect(clock.pending()).toHaveLength(1);
    layer.dispose();
    expect(clock.pending()).toEqual([]);
  });
});
