import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PagerOutcome } from '../../../../main/services/chats/pager.ts';
import { openStorage, type Storage } from '../../../../main/storage/storage.ts';
import type { SendOutcome } from '#shared/ipc/contract.ts';
import type { MessageDto } from '#shared/domain/chat.ts';
import type { AccountId } from '#shared/domain/ids.ts';
import { ok200, setup } from './harness.ts';

function only(outcome: SendOutcome): MessageDto {
  if (outcome.kind !== 'queued' || outcome.messages.length !== 1 || outcome.messages[0] === undefined) throw new Error('expected one');
  return outcome.messages[0];
}

const timeout: PagerOutcome = { kind: 'timeout' };

describe('"Send now" for a message waiting in the outbox (issue 11)', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage(':memory:');
  });
  afterAll(() => storage.close());

  it('online: the waiting messages go out at once, in order, with the same request identity; no reconnect', async () => {
    const reconnects: AccountId[] = [];
    const s = await setup(storage, { connection: { isOnline: () => true, reconnect: (id) => void reconnects.push(id) } });
    const bob = await s.conversation('sip:bob@example.test');
    const a = only(await s.service.send({ conversationId: bob.id, body: 'a', expiresInSeconds: null, oversize: null }));
    const b = only(await s.service.send({ conversationId: bob.id, body: 'b', expiresInSeconds: null, oversize: null }));
    await s.pager.waitForRequests(1);
    s.pager.answer(0, timeout);
    await s.service.idle();
    expect((await storage.getMessage(a.id))?.reason).toMatch(/^will retry — /);
    s.pager.auto = () => ok200;
    // the user does not wait for the 30 s retry timer
    expect(await s.service.sendNow(b.id)).toMatchObject({ id: b.id, state: 'queued' });
    await s.service.idle();
    expect(s.pager.requests.map((r) => r.body.toString('utf8'))).toEqual(['a', 'a', 'b']);
    expect(s.pager.requests[1]?.wire).toEqual(s.pager.requests[0]?.wire);
    expect((await storage.getMessage(a.id))?.state).toBe('delivered');
    expect((await storage.getMessage(b.id))?.state).toBe('delivered');
    expect(reconnects).toEqual([]);
  });

  it('offline: the account is asked to register now and nothing is sent until it is online', async () => {
    const reconnects: AccountId[] = [];
    let online = true;
    const s = await setup(storage, { connection: { isOnline: () => online, reconnect: (id) => void reconnects.push(id) } });
    const bob = await s.conversation('sip:bob@example.test');
    const m = only(await s.service.send({ conversationId: bob.id, body: 'later', expiresInSeconds: null, oversize: null }));
    await s.pager.waitForRequests(1);
    s.pager.answer(0, timeout);
    await s.service.idle();
    online = false;
    await s.service.sendNow(m.id);
    await s.service.idle();
    expect(reconnects).toEqual([s.accountId]);
    expect(s.pager.requests).toHaveLength(1);
    expect((await storage.getMessage(m.id))?.state).toBe('queued');
  });

  it('only a waiting outgoing message can be sent now', async () => {
    const s = await setup(storage, { connection: { isOnline: () => true, reconnect: () => undefined } });
    const bob = await s.conversation('sip:bob@example.test');
    s.pager.auto = () => ok200;
    const m = only(await s.service.send({ conversationId: bob.id, body: 'done', expiresInSeconds: null, oversize: null }));
    await s.service.idle();
    await expect(s.service.sendNow(m.id)).rejects.toThrow(/Only a message waiting to be sent/);
    await expect(s.service.sendNow('nope' as MessageDto['id'])).rejects.toThrow(/no longer exists/);
  });
});
