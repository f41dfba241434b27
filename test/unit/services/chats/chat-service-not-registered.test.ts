import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitingReason } from '../../../../main/services/chats/outbox.ts';
import { openStorage, type Storage } from '../../../../main/storage/storage.ts';
import type { SendOutcome } from '#shared/ipc/contract.ts';
import type { MessageDto } from '#shared/domain/chat.ts';
import { ScriptedPager, ok200, setup } from './harness.ts';

function only(outcome: SendOutcome): MessageDto {
  if (outcome.kind !== 'queued' || outcome.messages.length !== 1 || outcome.messages[0] === undefined) throw new Error('expected one');
  return outcome.messages[0];
}

describe('states that mean what they say: `sending` only while a request is on the wire', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage(':memory:');
  });
  afterAll(() => storage.close());

  it('while the account is not registered a message stays queued with the reason, never sending; it goes out on resume', async () => {
    const pager = new ScriptedPager();
    pager.auto = () => ok200;
    let registered = false;
    const retryAt = new Date(2026, 0, 1, 12, 4).getTime();
    pager.canSend = () => (registered ? { ready: true } : { ready: false, retryAt });
    const s = await setup(storage, { pager, now: new Date(2026, 0, 1, 12, 3, 30).getTime() });
    const bob = await s.conversation('sip:bob@example.test');
    const m = only(await s.service.send({ conversationId: bob.id, body: 'later', expiresInSeconds: null, oversize: null }));
    await s.service.idle();
    expect(pager.requests).toHaveLength(0);
    const states = s.events.of('chats:message-changed').filter((x) => x.id === m.id).map((x) => x.state);
    expect(states).not.toContain('sending');
    const queued = await storage.getMessage(m.id);
    expect(queued?.state).toBe('queued');
    expect(queued?.reason).toBe('waiting for the PBX — last tried 12:03, next try 12:04');

    registered = true;
    expect(await s.service.resume(s.accountId)).toBe(1);
    await s.service.idle();
    expect(pager.requests.map((r) => r.body.toString('utf8'))).toEqual(['later']);
    expect((await storage.getMessage(m.id))?.state).toBe('delivered');
  });

  it('words without a known next try', () => {
    expect(waitingReason(new Date(2026, 0, 1, 9, 5).getTime(), null)).toBe('waiting for the PBX — last tried 09:05');
  });
});
