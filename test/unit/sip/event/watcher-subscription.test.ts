import { describe, expect, it } from 'vitest';
import { WatcherSubscription } from '../../../../main/sip/event/watcher-subscription.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

interface Sent {
  readonly at: number;
  readonly state: string;
  readonly body: string | null;
  answer: (status: number) => void;
}

/** a notifier-side subscription over a port the test answers by hand (or at once with `auto`) */
function harness(opts: { initial?: 'pending' | 'active'; expires?: number; auto?: number | null } = {}) {
  const clock = new FakeClock(0);
  const sent: Sent[] = [];
  const ended: string[] = [];
  let closed = 0;
  let doc = 'doc-1';
  const auto = opts.auto === undefined ? 200 : opts.auto;
  const sub = new WatcherSubscription({
    clock,
    expires: opts.expires ?? 600,
    initial: opts.initial ?? 'pending',
    document: () => doc,
    onEnded: (r) => ended.push(r),
    port: {
      notify: (state, body) =>
        new Promise<number>((resolve) => {
          const s: Sent = { at: clock.now(), state, body, answer: resolve };
          sent.push(s);
          if (auto !== null) resolve(auto);
        }),
      close: () => void closed++,
    },
  });
  const settle = () => new Promise((res) => setImmediate(res));
  return { clock, sent, ended, sub, settle, closed: () => closed, setDoc: (d: string) => void (doc = d), states: () => sent.map((s) => s.state) };
}

describe('WatcherSubscription (RFC 6665 §4.2 notifier, RFC 3856 §6)', () => {
  it('§4.2.1.2: a pending subscription is told so at once, without any state (RFC 3856 §6.6); allowing it sends the document', async () => {
    const h = harness();
    h.sub.start();
    await h.settle();
    expect(h.sent.map((s) => [s.state, s.body])).toEqual([['pending;expires=600', null]]);
    h.clock.advance(100_000);
    h.sub.allow();
    await h.settle();
    expect(h.sent.map((s) => [s.state, s.body])).toEqual([['pending;expires=600', null], ['active;expires=500', 'doc-1']]);
    expect(h.sub.state).toBe('active');
  });

  it('block: terminated;reason=rejected without a body, then the dialog is forgotten once', async () => {
    const h = harness();
    h.sub.start();
    await h.settle();
    h.sub.reject();
    await h.settle();
    expect(h.states()).toEqual(['pending;expires=600', 'terminated;reason=rejected']);
    expect(h.sent[1]?.body).toBeNull();
    expect(h.ended).toEqual(['rejected']);
    expect(h.closed()).toBe(1);
    h.sub.allow();
    h.sub.changed();
    h.clock.advance(3600_000);
    await h.settle();
    expect(h.sent).toHaveLength(2);
  });

  it('§4.2.1.2: no refresh within the granted time → terminated;reason=timeout with the last state, exactly at expiry', async () => {
    const h = harness({ initial: 'active', expires: 600 });
    h.sub.start();
    await h.settle();
    h.clock.advance(599_999);
    await h.settle();
    expect(h.sent).toHaveLength(1);
    h.clock.advance(1);
    await h.settle();
    expect(h.sent.map((s) => [s.at, s.state, s.body])).toEqual([
      [0, 'active;expires=600', 'doc-1'],
      [600_000, 'terminated;reason=timeout', 'doc-1'],
    ]);
    expect(h.ended).toEqual(['timeout']);
  });

  it('a refresh moves the expiry and is answered by a NOTIFY at once; Expires: 0 unsubscribes (§4.2.1.4)', async () => {
    const h = harness({ initial: 'active', expires: 600 });
    h.sub.start();
    await h.settle();
    h.clock.advance(500_000);
    h.sub.refreshed(600);
    await h.settle();
    h.clock.advance(599_000);
    await h.settle();
    expect(h.states()).toEqual(['active;expires=600', 'active;expires=600']);
    expect(h.ended).toEqual([]);
    h.sub.refreshed(0);
    await h.settle();
    expect(h.states().at(-1)).toBe('terminated;reason=timeout');
    expect(h.ended).toEqual(['timeout']);
  });

  it('RFC 3856 §6.4: document changes reach an active watcher at most once per 5 s, only the newest one', async () => {
    const h = harness({ initial: 'active' });
    h.sub.start();
    await h.settle();
    h.clock.advance(1000);
    h.setDoc('doc-2');
    h.sub.changed();
    h.setDoc('doc-3');
    h.sub.changed();
    await h.settle();
    expect(h.sent).toHaveLength(1);
    h.clock.advance(3999);
    await h.settle();
    expect(h.sent).toHaveLength(1);
    h.clock.advance(1);
    await h.settle();
    expect(h.sent.map((s) => [s.at, s.body])).toEqual([[0, 'doc-1'], [5000, 'doc-3']]);
    // a pending watcher hears nothing of changes
    const p = harness();
    p.sub.start();
    await p.settle();
    p.clock.advance(10_000);
    p.sub.changed();
    await p.settle();
    expect(p.sent).toHaveLength(1);
  });

  it('one NOTIFY in flight: the next waits for its answer (the watcher sees them in CSeq order)', async () => {
    const h = harness({ initial: 'pending', auto: null });
    h.sub.start();
    h.sub.allow();
    await h.settle();
    expect(h.states()).toEqual(['pending;expires=600']);
    h.sent[0]!.answer(200);
    await h.settle();
    expect(h.states()).toEqual(['pending;expires=600', 'active;expires=600']);
  });

  it('§4.2.2: a NOTIFY answered 481 (or timed out) ends the subscription without another NOTIFY', async () => {
    for (const status of [481, 408]) {
      const h = harness({ initial: 'active', auto: status });
      h.sub.start();
      await h.settle();
      expect(h.ended).toEqual([status === 481 ? 'gone' : 'unreachable']);
      expect(h.closed()).toBe(1);
      h.clock.advance(3600_000);
      h.sub.changed();
      await h.settle();
      expect(h.sent).toHaveLength(1);
    }
  });

  it('close(deactivated) on quit: one final NOTIFY with the last document; resolves when it is answered', async () => {
    const h = harness({ initial: 'active', auto: null });
    h.sub.start();
    await h.settle();
    h.setDoc('offline');
    let done = false;
    const closing = h.sub.close('deactivated').then(() => void (done = true));
    h.sent[0]!.answer(200);
    await h.settle();
    expect(h.sent.map((s) => [s.state, s.body])).toEqual([['active;expires=600', 'doc-1'], ['terminated;reason=deactivated', 'offline']]);
    expect(done).toBe(false);
    h.sent[1]!.answer(200);
    await closing;
    expect(h.ended).toEqual(['deactivated']);
  });
});
