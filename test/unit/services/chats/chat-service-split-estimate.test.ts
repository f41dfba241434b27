/**
 * Split against a sender whose size estimate is not linear in the body (as the real SIP glue's is:
 * Content-Length grows by a digit, CPIM wraps): every part MUST still fit 1300 bytes (RFC 3428 §8).
 * Found by the real-peer proof test/integration/messaging-size.test.ts (send threw "split part of 1302
 * bytes exceeds 1300").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PagerRequest } from '../../../../main/services/chats/pager.ts';
import { openStorage, type Storage } from '../../../../main/storage/storage.ts';
import { ok200, ScriptedPager, setup } from './harness.ts';

/** headers of 380 bytes, plus the Content-Length digits of the body, like a serialized request */
class SerializingPager extends ScriptedPager {
  estimateRequestSize(request: PagerRequest): number {
    return 380 + String(request.body.length).length + request.body.length;
  }
}

describe('ChatService.send split with a non-linear size estimate (RFC 3428 §8)', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage(':memory:');
  });
  afterAll(() => storage.close());

  it.each([false, true])('cpim=%s: every part MUST be within 1300 bytes by the sender\'s own estimate', async (cpim) => {
    const pager = new SerializingPager();
    pager.auto = () => ok200;
    const s = await setup(storage, { cpim, pager });
    const bob = await s.conversation('sip:bob@example.test');
    // no whitespace: every part is filled to the byte, so a 2-byte underestimate shows
    const text = 'x'.repeat(3000);
    const outcome = await s.service.send({ conversationId: bob.id, body: text, expiresInSeconds: null, oversize: 'split' });
    if (outcome.kind !== 'queued') throw new Error('expected queued');
    await s.service.idle();
    expect(outcome.messages.length).toBeGreaterThan(2);
    expect(pager.requests).toHaveLength(outcome.messages.length);
    for (const r of pager.requests) expect(pager.estimateRequestSize(r)).toBeLessThanOrEqual(1300);
    // and the parts are still nearly full (the correction is a few bytes, not a halving)
    expect(Math.max(...pager.requests.map((r) => pager.estimateRequestSize(r)))).toBeGreaterThan(1250);
    expect(outcome.messages.map((m) => m.body.replace(/^\(\d+\/\d+\) /, '')).join('')).toBe(text);
  });
});
