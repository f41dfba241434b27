import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseCpim } from '../../../../main/sip/ua/cpim.ts';
import { openStorage, type Storage } from '../../../../main/storage/storage.ts';
import type { MessageDto } from '#shared/domain/chat.ts';
import type { SendOutcome } from '#shared/ipc/contract.ts';
import { tempDir } from '../../storage/fixtures.ts';
import { ScriptedPager, ok200, response, setup } from './harness.ts';

function only(outcome: SendOutcome): MessageDto {
  if (outcome.kind !== 'queued' || outcome.messages.length !== 1 || outcome.messages[0] === undefined) {
    throw new Error('expected one queued message');
  }
  return outcome.messages[0];
}

function cpim(body: Buffer | undefined): { id: string | null; text: string } {
  const p = parseCpim(body ?? Buffer.alloc(0));
  if (!p.ok) throw new Error(p.problem);
  return { id: p.message.messageId, text: p.message.content.toString('utf8') };
}

describe('ChatService outbox (durable, RFC 3428 §8 ordering)', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  describe('after a restart', () => {
    let storage: Storage | null = null;
    afterEach(async () => {
      await storage?.close();
      storage = null;
    });

    it('resume() re-sends messages left queued/sending, in creation order, once each, with the same CPIM Message-ID', async () => {
      const file = tmp.file('restart.db');
      storage = await openStorage(file);
      // first run: the PBX never answers the first message; the second waits behind it
      const before = await setup(storage, { cpim: true });
      const bob = await before.conversation('sip:bob@example.test');
      const m1 = only(await before.service.send({ conversationId: bob.id, body: 'one', expiresInSeconds: null, oversize: null }));
      const m2 = only(await before.service.send({ conversationId: bob.id, body: 'two', expiresInSeconds: null, oversize: null }));
      await before.pager.waitForRequests(1);
      const firstId = cpim(before.pager.requests[0]?.body).id;
      expect(firstId).not.toBeNull();
      expect((await storage.getMessage(m1.id))?.state).toBe('sending');
      expect((await storage.getMessage(m2.id))?.state).toBe('queued');
      await storage.close(); // the app quits with one message in flight and one queued

      storage = await openStorage(file);
      const pager = new ScriptedPager();
      pager.auto = () => ok200;
      const after = await setup(storage, { accountId: before.accountId, pager });
      await after.service.idle();
      expect(pager.requests).toHaveLength(0); // nothing goes out before resume (registration)

      const [a, b] = await Promise.all([after.service.resume(after.accountId), after.service.resume(after.accountId)]);
      expect(a + b).toBe(2);
      await after.service.idle();
      expect(await after.service.resume(after.accountId)).toBe(0);
      await after.service.idle();

      const resent = pager.requests.map((r) => cpim(r.body));
      expect(resent.map((r) => r.text)).toEqual(['one', 'two']);
      expect(resent[0]?.id).toBe(firstId);
      expect(resent[1]?.id).not.toBe(firstId);
      expect((await storage.getMessage(m1.id))?.state).toBe('delivered');
      expect((await storage.getMessage(m2.id))?.state).toBe('delivered');
    });
  });

  describe('on one storage', () => {
    let storage: Storage;
    beforeAll(async () => {
      storage = await openStorage(':memory:');
    });
    afterAll(() => storage.close());

    it('resume() while a message is being sent does not send it a second time', async () => {
      const s = await setup(storage);
      const bob = await s.conversation('sip:bob@example.test');
      const m = only(await s.service.send({ conversationId: bob.id, body: 'once', expiresInSeconds: null, oversize: null }));
      await s.pager.waitForRequests(1);
      expect(await s.service.resume(s.accountId)).toBe(0);
      expect(await s.service.resume(s.accountId)).toBe(0);
      s.pager.answer(0, ok200);
      await s.service.idle();
      expect(s.pager.requests).toHaveLength(1);
      expect((await storage.getMessage(m.id))?.state).toBe('delivered');
    });

    it('retry puts a failed message back in the queue (failed → queued → sending → outcome)', async () => {
      const s = await setup(storage);
      const bob = await s.conversation('sip:bob@example.test');
      s.pager.auto = () => response(480, 'Temporarily Unavailable');
      const m = only(await s.service.send({ conversationId: bob.id, body: 'again', expiresInSeconds: null, oversize: null }));
      await s.service.idle();
      expect(await storage.getMessage(m.id)).toMatchObject({ state: 'failed', reason: 'the recipient is not available (480)' });
      s.pager.auto = () => ok200;
      const retried = await s.service.retry(m.id);
      expect(retried).toMatchObject({ state: 'queued', code: null, reason: null });
      await s.service.idle();
      expect(await storage.getMessage(m.id)).toMatchObject({ state: 'delivered', code: 200 });
      expect(s.pager.requests.map((r) => r.body.toString())).toEqual(['again', 'again']);
      await expect(s.service.retry(m.id)).rejects.toMatchObject({ code: 'invalid-state' });
    });

    it('a message deleted while queued is never sent', async () => {
      const s = await setup(storage);
      const bob = await s.conversation('sip:bob@example.test');
      only(await s.service.send({ conversationId: bob.id, body: 'first', expiresInSeconds: null, oversize: null }));
      const second = only(await s.service.send({ conversationId: bob.id, body: 'oops', expiresInSeconds: null, oversize: null }));
      await s.pager.waitForRequests(1);
      await s.service.delete(second.id);
      expect(s.events.of('chats:message-deleted')).toEqual([{ id: second.id, conversationId: bob.id }]);
      s.pager.answer(0, ok200);
      await s.service.idle();
      expect(s.pager.requests.map((r) => r.body.toString())).toEqual(['first']);
      await expect(s.service.delete(second.id)).rejects.toMatchObject({ code: 'not-found' });
    });

    it('a queued message past its Expires is not sent (RFC 3428 §7) and fails in words', async () => {
      const s = await setup(storage);
      const bob = await s.conversation('sip:bob@example.test');
      only(await s.service.send({ conversationId: bob.id, body: 'blocker', expiresInSeconds: null, oversize: null }));
      const late = only(await s.service.send({ conversationId: bob.id, body: 'soon stale', expiresInSeconds: 30, oversize: null }));
      await s.pager.waitForRequests(1);
      s.clock.now += 30_000;
      s.pager.answer(0, ok200);
      await s.service.idle();
      expect(s.pager.requests).toHaveLength(1);
      expect(await storage.getMessage(late.id)).toMatchObject({ state: 'failed', reason: 'expired before it could be sent' });
    });
  });
});
