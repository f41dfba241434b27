/**
 * One byte count (issue 16 item 7): `measure` returns the very number `send` asks the user about, and a
 * UDP account whose next hop may take TCP can send a long message whole (RFC 3261 §18.1.1) instead of
 * splitting it (RFC 3428 §8); one whose hop said transport=udp is never offered that.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PagerRequest } from '../../../../main/services/chats/pager.ts';
import { openStorage, type Storage } from '../../../../main/storage/storage.ts';
import { ok200, ScriptedPager, setup } from './harness.ts';

/** a UDP account whose proxy takes TCP for large requests (largeRequestsOverTcp), with a serializing size */
class StreamPager extends ScriptedPager {
  constructor() {
    super();
    this.largeRequestsOverTcp = true;
  }
  estimateRequestSize(request: PagerRequest): number {
    return 380 + String(request.body.length).length + request.body.length;
  }
}

describe('ChatService.measure and the "send whole over TCP" choice', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage(':memory:');
  });
  afterAll(() => storage.close());

  it('measure counts the whole request exactly as send does, and the parts a split makes', async () => {
    const pager = new StreamPager();
    pager.auto = () => ok200;
    const s = await setup(storage, { pager });
    const bob = await s.conversation('sip:bob@example.test');
    const text = 'word '.repeat(500);
    const measured = await s.service.measure(bob.id, text);
    const asked = await s.service.send({ conversationId: bob.id, body: text, expiresInSeconds: null, oversize: null });
    expect(asked.kind).toBe('needs-choice');
    if (asked.kind !== 'needs-choice') return;
    expect(measured).toEqual({ bytes: asked.bytes, limit: 1300, fits: false, canStream: true, parts: asked.parts });
    expect(measured.bytes).toBe(380 + 4 + 2500);
    const split = await s.service.send({ conversationId: bob.id, body: text, expiresInSeconds: null, oversize: 'split' });
    expect(split.kind === 'queued' && split.messages.length).toBe(measured.parts);
    // a short text fits in one
    expect(await s.service.measure(bob.id, 'hi')).toEqual({ bytes: 380 + 1 + 2, limit: 1300, fits: true, canStream: false, parts: 1 });
  });

  it('"stream" sends the text whole as ONE request (the stack puts it on TCP); nothing is split', async () => {
    const pager = new StreamPager();
    pager.auto = () => ok200;
    const s = await setup(storage, { pager });
    const bob = await s.conversation('sip:carol@example.test');
    const text = 'x'.repeat(2000);
    const outcome = await s.service.send({ conversationId: bob.id, body: text, expiresInSeconds: null, oversize: 'stream' });
    if (outcome.kind !== 'queued') throw new Error('expected queued');
    await s.service.idle();
    expect(outcome.messages).toHaveLength(1);
    expect(pager.requests).toHaveLength(1);
    expect(Buffer.from(pager.requests[0]?.body ?? []).toString('utf8')).toBe(text);
    expect(s.events.of('chats:message-changed').filter((m) => m.id === outcome.messages[0]?.id).at(-1)?.state).toBe('delivered');
  });

  it('an account whose hop said transport=udp is not offered TCP, and "stream" is refused without storing', async () => {
    const pager = new StreamPager();
    pager.largeRequestsOverTcp = false;
    const s = await setup(storage, { pager });
    const dave = await s.conversation('sip:dave@example.test');
    const text = 'y'.repeat(2000);
    expect((await s.service.measure(dave.id, text)).canStream).toBe(false);
    await expect(s.service.send({ conversationId: dave.id, body: text, expiresInSeconds: null, oversize: 'stream' })).rejects.toThrow(/split it instead/);
    expect(pager.requests).toHaveLength(0);
  });
});
