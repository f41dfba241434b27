import { describe, expect, it } from 'vitest';
import { Subscription, type SubscribeResponse } from '../../../../main/sip/event/subscription.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const r = (status: number, extra: Partial<SubscribeResponse> = {}): SubscribeResponse => ({ status, expires: null, minExpires: null, retryAfter: null, ...extra });

function harness(answers: { subscribe?: SubscribeResponse[]; refresh?: SubscribeResponse[] } = {}) {
  const clock = new FakeClock(0);
  const calls: { at: number; kind: 'subscribe' | 'refresh' | 'drop'; expires?: number }[] = [];
  const statuses: string[] = [];
  const unsupported: number[] = [];
  const subs = answers.subscribe ?? [];
  const refs = answers.refresh ?? [];
  const s = new Subscription({
    clock,
    timerNMs: 32_000,
    port: {
      subscribe: async (expires) => {
        calls.push({ at: clock.now(), kind: 'subscribe', expires });
        return subs.shift() ?? r(200, { expires: 600 });
      },
      refresh: async (expires) => {
        calls.push({ at: clock.now(), kind: 'refresh', expires });
        return refs.shift() ?? r(200, { expires: 600 });
      },
      drop: () => calls.push({ at: clock.now(), kind: 'drop' }),
    },
    onStatus: (x) => statuses.push(x),
    onUnsupported: (x) => unsupported.push(x),
  });
  const settle = () => new Promise((res) => setImmediate(res));
  const subscribes = () => calls.filter((c) => c.kind === 'subscribe').map((c) => c.at);
  return { clock, calls, statuses, unsupported, s, settle, subscribes };
}

describe('Subscription (RFC 6665 subscriber)', () => {
  it('§4.1.2.2 refreshes within the dialog before the granted Expires runs out (not the one asked for)', async () => {
    const h = harness({ subscribe: [r(200, { expires: 600 })] });
    h.s.start();
    await h.settle();
    h.s.notified({ state: 'active', expires: 600, reason: null, retryAfter: null });
    expect(h.s.status).toBe('active');
    h.clock.advance(539_999);
    await h.settle();
    expect(h.calls.filter((c) => c.kind === 'refresh')).toHaveLength(0);
    h.clock.advance(1);
    await h.settle();
    expect(h.calls.filter((c) => c.kind === 'refresh')).toEqual([{ at: 540_000, kind: 'refresh', expires: 3600 }]);
  });

  it('403/603 are final (rejected); 404 is not (a relayed SUBSCRIBE to a UA not registered now): back-off', async () => {
    const h = harness({ subscribe: [r(404), r(200, { expires: 600 })] });
    h.s.start();
    await h.settle();
    expect(h.s.status).toBe('retrying');
    h.clock.advance(30_000);
    await h.settle();
    expect(h.subscribes()).toEqual([0, 30_000]);
    const x = harness({ subscribe: [r(603)] });
    x.s.start();
    await x.settle();
    expect(x.s.status).toBe('rejected');
    x.clock.advance(24 * 3600_000);
    await x.settle();
    expect(x.subscribes()).toEqual([0]);
  });

  it('§4.1.2.4 Timer N: no NOTIFY within 64*T1 after the 2xx → the subscription failed, retried after back-off', async () => {
    const h = harness();
    h.s.start();
    await h.settle();
    h.clock.advance(32_000);
    await h.settle();
    expect(h.s.status).toBe('retrying');
    h.clock.advance(30_000);
    await h.settle();
    expect(h.subscribes()).toEqual([0, 62_000]);
  });

  it('§4.1.3 terminated: deactivated/timeout re-subscribe at once; probation after retry-after; rejected never again', async () => {
    const h = harness();
    h.s.start();
    await h.settle();
    h.s.notified({ state: 'terminated', expires: null, reason: 'deactivated', retryAfter: null });
    h.clock.advance(0);
    await h.settle();
    expect(h.subscribes()).toEqual([0, 0]);
    h.s.notified({ state: 'terminated', expires: null, reason: 'probation', retryAfter: 90 });
    h.clock.advance(89_999);
    await h.settle();
    expect(h.subscribes()).toHaveLength(2);
    h.clock.advance(1);
    await h.settle();
    expect(h.subscribes()).toEqual([0, 0, 90_000]);
    h.s.notified({ state: 'terminated', expires: null, reason: 'rejected', retryAfter: null });
    h.clock.advance(24 * 3600_000);
    await h.settle();
    expect(h.subscribes()).toHaveLength(3);
    expect(h.s.status).toBe('rejected');
  });

  it('489 / 405 say unsupported once and stop; 481 on a refresh makes a new subscription (§4.1.2.2)', async () => {
    const h = harness({ subscribe: [r(489)] });
    h.s.start();
    await h.settle();
    expect(h.unsupported).toEqual([489]);
    h.clock.advance(24 * 3600_000);
    await h.settle();
    expect(h.subscribes()).toEqual([0]);

    const g = harness({ subscribe: [r(200, { expires: 120 })], refresh: [r(481)] });
    g.s.start();
    await g.settle();
    g.s.notified({ state: 'active', expires: 120, reason: null, retryAfter: null });
    g.clock.advance(60_000);
    await g.settle();
    await g.settle();
    expect(g.calls.map((c) => [c.kind, c.at])).toEqual([
      ['subscribe', 0],
      ['refresh', 60_000],
      ['drop', 60_000],
      ['subscribe', 60_000],
    ]);
  });

  it('back-off doubles on failures (30, 60, 120 s) and restart() after re-registration subscribes at once', async () => {
    const h = harness({ subscribe: [r(503), r(408), r(500)] });
    h.s.start();
    await h.settle();
    h.clock.advance(30_000);
    await h.settle();
    h.clock.advance(60_000);
    await h.settle();
    expect(h.subscribes()).toEqual([0, 30_000, 90_000]);
    h.s.restart();
    await h.settle();
    expect(h.subscribes()).toEqual([0, 30_000, 90_000, 90_000]);
  });

  it('stop() unsubscribes with Expires 0 within the dialog (§4.1.2.3)', async () => {
    const h = harness();
    h.s.start();
    await h.settle();
    await h.s.stop();
    expect(h.calls.filter((c) => c.kind === 'refresh')).toEqual([{ at: 0, kind: 'refresh', expires: 0 }]);
    expect(h.s.status).toBe('terminated');
  });
});
