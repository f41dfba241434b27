import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PagerOutcome } from '../../../../main/services/chats/pager.ts';
import { openStorage, type Storage } from '../../../../main/storage/storage.ts';
import { QUICK_RETRY_AFTER_MS } from '../../../../main/services/chats/outbox.ts';
import { ok200, setup } from './harness.ts';

const lost: PagerOutcome = { kind: 'transport-error', reason: 'connection reset by peer' };

describe('a resume while messages are queued or in flight keeps creation order (RFC 3428 §8, issue 11)', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage(':memory:');
  });
  afterAll(() => storage.close());

  for (const delayTurns of [0, 1, 2, 3, 5, 8, 13, 20]) {
    it(`the connection breaks under the first of six, the account is back ${String(delayTurns)} turns later: sent in order, nothing overtakes`, async () => {
      const s = await setup(storage);
      const bob = await s.conversation('sip:bob@example.test');
      const bodies = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5'];
      for (const body of bodies) await s.service.send({ conversationId: bob.id, body, expiresInSeconds: null, oversize: null });
      await s.pager.waitForRequests(1);
      s.pager.auto = () => ok200;
      s.pager.answer(0, lost);
      for (let i = 0; i < delayTurns; i++) await new Promise((r) => setImmediate(r));
      // registered again over a new connection: the outbox resumes
      await s.service.resume(s.accountId);
      await s.service.idle();
      // what the break cut goes out again on the quick timer (the account never went offline to resume it)
      expect(s.scheduled.map((x) => x.ms)).toContain(QUICK_RETRY_AFTER_MS);
      s.scheduled.splice(0).forEach((x) => x.fn());
      await s.pager.waitForRequests(bodies.length + 1);
      await s.service.idle();
      const sent = s.pager.requests.map((r) => r.body.toString('utf8'));
      const firsts = sent.filter((b, i) => sent.indexOf(b) === i);
      expect(firsts).toEqual(bodies);
      expect(sent.slice(0, 2)).toEqual(['m0', 'm0']);
      expect(s.events.of('chats:message-changed').filter((x) => x.state === 'delivered').map((x) => x.body)).toEqual(bodies);
    });
  }
});

describe('477 from the PBX (it could not pass the request on) is a loss, not an answer (issue 11)', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage(':memory:');
  });
  afterAll(() => storage.close());

  it('the message goes back to the outbox ("will retry") and out again in the same Call-ID one CSeq higher (the 477 ended that transaction); 404 stays failed', async () => {
    const s = await setup(storage);
    const bob = await s.conversation('sip:bob@example.test');
    const r = await s.service.send({ conversationId: bob.id, body: 'through', expiresInSeconds: null, oversize: null });
    const m = r.kind === 'queued' ? r.messages[0] : undefined;
    if (m === undefined) throw new Error('not queued');
    await s.pager.waitForRequests(1);
    s.pager.answer(0, { kind: 'response', status: 477, reason: 'Unfortunately error on sending to next hop occurred', accept: null });
    await s.service.idle();
    expect(await storage.getMessage(m.id)).toMatchObject({ state: 'queued', reason: "will retry — the PBX could not pass it on to the recipient's device (477)" });
    s.pager.auto = () => ok200;
    await s.service.resume(s.accountId);
    await s.service.idle();
    expect(await storage.getMessage(m.id)).toMatchObject({ state: 'delivered' });
    const w0 = s.pager.requests[0]?.wire;
    // a proxy still holding the answered transaction would re-send its 477 to a retransmission (§17.2.3)
    expect(s.pager.requests[1]?.wire).toEqual({ callId: w0?.callId, fromTag: w0?.fromTag, cseq: (w0?.cseq ?? 0) + 1 });
  });
});
