import { describe, expect, it } from 'vitest';
import { Publication, refreshDelaySeconds, type PublishRequest, type PublishResponse } from '../../../../main/sip/event/publication.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const ok = (etag: string, expires = 3600): PublishResponse => ({ status: 200, etag, expires, minExpires: null, retryAfter: null });
const status = (s: number, extra: Partial<PublishResponse> = {}): PublishResponse => ({ status: s, etag: null, expires: null, minExpires: null, retryAfter: null, ...extra });

/** a scripted ESC: answers each PUBLISH with the next response */
function harness(answers: PublishResponse[]) {
  const clock = new FakeClock(0);
  const sent: { at: number; request: PublishRequest }[] = [];
  const statuses: string[] = [];
  const unsupported: number[] = [];
  const publication = new Publication({
    clock,
    send: async (request) => {
      sent.push({ at: clock.now(), request });
      return answers.shift() ?? ok('etag-x');
    },
    onStatus: (s) => statuses.push(s),
    onUnsupported: (s) => unsupported.push(s),
  });
  const settle = () => new Promise((r) => setImmediate(r));
  return { clock, sent, statuses, unsupported, publication, settle };
}

describe('Publication (RFC 3903 EPA)', () => {
  it('§4.1 initial PUBLISH with the body; §4.2 refresh before expiry with SIP-If-Match and NO body', async () => {
    const h = harness([ok('e1', 600), ok('e2', 600)]);
    h.publication.publish('<open/>');
    await h.settle();
    expect(h.sent[0]?.request).toEqual({ body: '<open/>', ifMatch: null, expires: 3600 });
    h.clock.advance(refreshDelaySeconds(600) * 1000 - 1);
    await h.settle();
    expect(h.sent).toHaveLength(1);
    h.clock.advance(1);
    await h.settle();
    expect(h.sent[1]).toEqual({ at: 540_000, request: { body: null, ifMatch: 'e1', expires: 3600 } });
    // the next refresh uses the new entity-tag
    h.clock.advance(540_000);
    await h.settle();
    expect(h.sent[2]?.request.ifMatch).toBe('e2');
  });

  it('§4.3 a modify carries SIP-If-Match and the new body; an unchanged body sends nothing', async () => {
    const h = harness([ok('e1'), ok('e2')]);
    h.publication.publish('<a/>');
    await h.settle();
    h.publication.publish('<a/>');
    await h.settle();
    expect(h.sent).toHaveLength(1);
    h.publication.publish('<b/>');
    await h.settle();
    expect(h.sent[1]?.request).toEqual({ body: '<b/>', ifMatch: 'e1', expires: 3600 });
  });

  it('§6: a 412 (entity-tag unknown) starts again with an initial PUBLISH of the current state', async () => {
    const h = harness([ok('e1'), status(412), ok('e9')]);
    h.publication.publish('<a/>');
    await h.settle();
    h.publication.publish('<b/>');
    await h.settle();
    await h.settle();
    expect(h.sent.map((s) => s.request)).toEqual([
      { body: '<a/>', ifMatch: null, expires: 3600 },
      { body: '<b/>', ifMatch: 'e1', expires: 3600 },
      { body: '<b/>', ifMatch: null, expires: 3600 },
    ]);
    expect(h.publication.etag).toBe('e9');
  });

  it('423 retries with Min-Expires; 489 says unsupported once and never sends again', async () => {
    const h = harness([status(423, { minExpires: 7200 }), status(489)]);
    h.publication.publish('<a/>');
    await h.settle();
    await h.settle();
    expect(h.sent.map((s) => s.request.expires)).toEqual([3600, 7200]);
    expect(h.unsupported).toEqual([489]);
    h.publication.publish('<b/>');
    h.clock.advance(24 * 3600 * 1000);
    await h.settle();
    expect(h.sent).toHaveLength(2);
    expect(h.publication.status).toBe('unsupported');
  });

  it('failures back off 30 s, 60 s, 120 s … (or Retry-After), on the clock, never sooner', async () => {
    const h = harness([status(503), status(408), status(500, { retryAfter: 10 }), ok('e1')]);
    h.publication.publish('<a/>');
    await h.settle();
    for (const wait of [30_000, 60_000, 10_000]) {
      const before = h.sent.length;
      h.clock.advance(wait - 1);
      await h.settle();
      expect(h.sent).toHaveLength(before);
      h.clock.advance(1);
      await h.settle();
      expect(h.sent).toHaveLength(before + 1);
    }
    expect(h.publication.status).toBe('published');
    expect(h.sent.map((s) => s.at)).toEqual([0, 30_000, 90_000, 100_000]);
  });

  it('§4.4 remove sends Expires 0 with SIP-If-Match and stops the refresh timer', async () => {
    const h = harness([ok('e1')]);
    h.publication.publish('<a/>');
    await h.settle();
    await h.publication.remove();
    expect(h.sent[1]?.request).toEqual({ body: null, ifMatch: 'e1', expires: 0 });
    h.clock.advance(10 * 3600 * 1000);
    await h.settle();
    expect(h.sent).toHaveLength(2);
  });
});

describe('Publication.publishFinal (offline on quit)', () => {
  it('waits for the PUBLISH in flight, modifies with the entity-tag it returned, and re-publishes after a 412', async () => {
    const h = harness([ok('e1'), ok('e2'), status(412), ok('e3')]);
    h.publication.publish('<open/>');
    await h.settle();
    h.publication.publish('<away/>');
    // the modify is in flight (its answer brings e2) when the app quits
    await h.publication.publishFinal('<closed/>');
    expect(h.sent.map((s) => s.request)).toEqual([
      { body: '<open/>', ifMatch: null, expires: 3600 },
      { body: '<away/>', ifMatch: 'e1', expires: 3600 },
      { body: '<closed/>', ifMatch: 'e2', expires: 3600 },
      { body: '<closed/>', ifMatch: null, expires: 3600 },
    ]);
    h.clock.advance(24 * 3600_000);
    await h.settle();
    expect(h.sent).toHaveLength(4);
  });
});
