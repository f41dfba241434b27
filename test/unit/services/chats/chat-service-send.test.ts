import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCpim } from '../../../../main/sip/ua/cpim.ts';
import { openStorage, type Storage } from '../../../../main/storage/storage.ts';
import type { MessageDto } from '#shared/domain/chat.ts';
import type { SendOutcome } from '#shared/ipc/contract.ts';
import { ok200, response, setup, type Setup } from './harness.ts';

function queued(outcome: SendOutcome): readonly MessageDto[] {
  if (outcome.kind !== 'queued') throw new Error(`expected queued, got ${outcome.kind}`);
  return outcome.messages;
}

function only(outcome: SendOutcome): MessageDto {
  const [m, ...rest] = queued(outcome);
  if (m === undefined || rest.length > 0) throw new Error('expected exactly one message');
  return m;
}

describe('ChatService.send (RFC 3428 pager mode)', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage(':memory:');
  });
  afterAll(() => storage.close());

  const send = (s: Setup, conversationId: MessageDto['conversationId'], body: string, oversize: 'split' | 'cancel' | null = null) =>
    s.service.send({ conversationId, body, expiresInSeconds: null, oversize });

  describe('per-destination queues (§8)', () => {
    it('MUST NOT send a second MESSAGE to the same Request-URI before the first has a final response; another URI is not held', async () => {
      const s = await setup(storage);
      const bob = await s.conversation('sip:bob@example.test');
      const carol = await s.conversation('sip:carol@example.test');
      const b1 = only(await send(s, bob.id, 'first to bob'));
      const b2 = only(await send(s, bob.id, 'second to bob'));
      const c1 = only(await send(s, carol.id, 'to carol'));
      expect([b1.state, b2.state, c1.state]).toEqual(['queued', 'queued', 'queued']);

      await s.pager.waitForRequests(2);
      expect(s.pager.requests.map((r) => r.target)).toEqual(['sip:bob@example.test', 'sip:carol@example.test']);
      // carol completes while bob's first is still pending: bob's second must still wait
      s.pager.answer(1, ok200);
      await s.events.waitForState(c1.id, 'delivered');
      expect(s.pager.requests).toHaveLength(2);

      s.pager.answer(0, ok200);
      await s.pager.waitForRequests(3);
      expect(s.pager.text(2)).toBe('second to bob');
      // b1's final state is stored beside b2's send (issue 18), and announced once it is stored
      await s.events.waitForState(b1.id, 'delivered');
      s.pager.answer(2, ok200);
      await s.service.idle();
      const states = (await storage.pageMessages(bob.id, null, 10)).messages.map((m) => [m.body, m.state]);
      expect(states).toEqual([
        ['second to bob', 'delivered'],
        ['first to bob', 'delivered'],
      ]);
    });

    it('stores the message as queued before anything is sent, then sending, then the outcome', async () => {
      const s = await setup(storage);
      const bob = await s.conversation('sip:bob@example.test');
      const m = only(await send(s, bob.id, 'hello'));
      await s.pager.waitForRequests(1);
      expect((await storage.getMessage(m.id))?.state).toBe('sending');
      s.pager.answer(0, ok200);
      await s.service.idle();
      const seen = s.events.of('chats:message-changed').filter((x) => x.id === m.id).map((x) => x.state);
      expect(seen).toEqual(['queued', 'sending', 'delivered']);
      const stored = await storage.getMessage(m.id);
      expect(stored).toMatchObject({ state: 'delivered', code: 200, reason: null, sentAt: s.clock.now });
    });
  });

  describe('request content', () => {
    it('sends text/plain;charset=UTF-8 by default, with Date = creation time and Expires when asked (§7)', async () => {
      const s = await setup(storage);
      s.pager.auto = () => ok200;
      const bob = await s.conversation('sip:bob@example.test');
      await s.service.send({ conversationId: bob.id, body: 'grüße 👋', expiresInSeconds: 60, oversize: null });
      await s.service.idle();
      const r = s.pager.requests[0];
      expect(r?.contentType).toBe('text/plain;charset=UTF-8');
      expect(r?.body.equals(Buffer.from('grüße 👋', 'utf8'))).toBe(true);
      expect(r?.expiresSeconds).toBe(60);
      expect(r?.date.getTime()).toBe(s.clock.now);
      expect(r?.dialog).toBeNull();
    });

    it('MUST resolve an im: address to a SIP URI before sending (§5)', async () => {
      const s = await setup(storage);
      s.pager.auto = () => ok200;
      const conv = await s.conversation('im:dave@example.test');
      expect(conv.peer).toBe('im:dave@example.test');
      await send(s, conv.id, 'hi');
      await s.service.idle();
      expect(s.pager.requests[0]?.target).toBe('sip:dave@example.test');
    });

    it('wraps the text in message/cpim when the account enables CPIM (RFC 3862)', async () => {
      const s = await setup(storage, { cpim: true });
      s.pager.auto = () => ok200;
      const bob = await s.conversation('sip:bob@example.test');
      await send(s, bob.id, 'über');
      await s.service.idle();
      const r = s.pager.requests[0];
      expect(r?.contentType).toBe('message/cpim');
      const parsed = parseCpim(r?.body ?? Buffer.alloc(0));
      if (!parsed.ok) throw new Error(parsed.problem);
      expect(parsed.message.to[0]?.uri).toBe('sip:bob@example.test');
      expect(parsed.message.content.toString('utf8')).toBe('über');
      expect(parsed.message.messageId).toMatch(/^[0-9a-f-]{36}$/);
      expect(parsed.message.dateTime?.getTime()).toBe(s.clock.now);
    });

    it('after a 415 to CPIM, re-sends the same text as text/plain by itself and remembers the peer', async () => {
      const s = await setup(storage, { cpim: true });
      const bob = await s.conversation('sip:bob@example.test');
      const m = only(await send(s, bob.id, 'plain please'));
      await s.pager.waitForRequests(1);
      expect(s.pager.requests[0]?.contentType).toBe('message/cpim');
      s.pager.answer(0, response(415, 'Unsupported Media Type', ['text/plain']));
      await s.pager.waitForRequests(2);
      expect(s.pager.requests[1]?.contentType).toBe('text/plain;charset=UTF-8');
      expect(s.pager.text(1)).toBe('plain please');
      s.pager.answer(1, ok200);
      await s.service.idle();
      expect(await storage.getMessage(m.id)).toMatchObject({ state: 'delivered', code: 200 });

      s.pager.auto = () => ok200;
      await send(s, bob.id, 'next one');
      await s.service.idle();
      expect(s.pager.requests.map((r) => r.contentType)).toEqual(['message/cpim', 'text/plain;charset=UTF-8', 'text/plain;charset=UTF-8']);
      // another peer still gets CPIM
      const carol = await s.conversation('sip:carol@example.test');
      await send(s, carol.id, 'cpim for carol');
      await s.service.idle();
      expect(s.pager.requests[3]?.contentType).toBe('message/cpim');
    });

    it('a 415 to text/plain is a failure in words, not a loop', async () => {
      const s = await setup(storage);
      s.pager.auto = () => response(415, 'Unsupported Media Type', ['application/im-iscomposing+xml']);
      const bob = await s.conversation('sip:bob@example.test');
      const m = only(await send(s, bob.id, 'x'));
      await s.service.idle();
      expect(s.pager.requests).toHaveLength(1);
      expect(await storage.getMessage(m.id)).toMatchObject({
        state: 'failed',
        code: 415,
        reason: 'the recipient does not accept this kind of message (415)',
      });
    });
  });

  describe('outcomes (§4, §7)', () => {
    const cases: [string, Parameters<typeof response> | 'timeout' | 'transport' | 'not-registered', Partial<MessageDto>][] = [
      ['2xx → delivered', [200, 'OK'], { state: 'delivered', code: 200, reason: null }],
      ['202 → accepted (stored by a server, not yet delivered)', [202, 'Accepted'], { state: 'accepted', code: 202, reason: null }],
      ['404 → failed "no such user (404)"', [404, 'Not Found'], { state: 'failed', code: 404, reason: 'no such user (404)' }],
      ['405 → failed', [405, 'Method Not Allowed'], { state: 'failed', code: 405, reason: 'the PBX does not accept messages (405)' }],
      ['unknown 4xx keeps the reason phrase', [499, 'Odd'], { state: 'failed', code: 499, reason: 'refused by the PBX: "Odd" (499)' }],
      ['603 → refused', [603, 'Decline'], { state: 'refused', code: 603, reason: 'declined by the recipient (603)' }],
      ['timeout → back in the outbox, "will retry"', 'timeout', { state: 'queued', code: null, reason: 'will retry — no answer from the PBX (timeout)' }],
      ['transport error → back in the outbox, "will retry"', 'transport', { state: 'queued', code: null, reason: 'will retry — could not reach the PBX (connection refused)' }],
      ['not registered → stays queued until registration', 'not-registered', { state: 'queued', code: null, reason: expect.stringMatching(/^waiting for the PBX — last tried \d\d:\d\d$/) as unknown as string }],
    ];
    for (const [name, outcome, expected] of cases) {
      it(name, async () => {
        const s = await setup(storage);
        s.pager.auto = () =>
          outcome === 'timeout'
            ? { kind: 'timeout' }
            : outcome === 'transport'
              ? { kind: 'transport-error', reason: 'connection refused' }
              : outcome === 'not-registered'
                ? { kind: 'not-registered' }
                : response(...outcome);
        const bob = await s.conversation('sip:bob@example.test');
        const m = only(await send(s, bob.id, 'hi'));
        await s.service.idle();
        expect(await storage.getMessage(m.id)).toMatchObject(expected);
        const last = s.events.of('chats:message-changed').filter((x) => x.id === m.id).at(-1);
        expect(last).toMatchObject(expected);
        expect(s.events.of('chats:conversation-changed').at(-1)?.lastMessage).toMatchObject(expected);
      });
    }
  });

  it('a message sent while not registered goes out once the account registers again (resume)', async () => {
    const s = await setup(storage);
    s.pager.auto = () => ({ kind: 'not-registered' });
    const bob = await s.conversation('sip:bob@example.test');
    const m = only(await send(s, bob.id, 'hold on'));
    await s.service.idle();
    expect(await storage.getMessage(m.id)).toMatchObject({ state: 'queued' });
    s.pager.auto = () => response(200, 'OK');
    expect(await s.service.resume(bob.accountId)).toBe(1);
    await s.service.idle();
    expect(await storage.getMessage(m.id)).toMatchObject({ state: 'delivered', code: 200, reason: null });
  });

  it('a sender that rejects (a glue bug) fails the message visibly and reports the fault', async () => {
    const faults: string[] = [];
    const s = await setup(storage, { onError: (message) => faults.push(message) });
    s.pager.send = () => Promise.reject(new Error('boom'));
    const bob = await s.conversation('sip:bob@example.test');
    const m = only(await send(s, bob.id, 'hi'));
    await s.service.idle();
    expect(await storage.getMessage(m.id)).toMatchObject({ state: 'failed', reason: 'could not reach the PBX (internal error while sending)' });
    expect(faults).toEqual(['PagerSender.send rejected']);
  });

  describe('size (§8)', () => {
    const big = 'ä'.repeat(600); // 1200 octets of body: over 1300 with headers

    it('MUST NOT send an over-1300-byte request over UDP silently: asks for a choice, stores nothing', async () => {
      const s = await setup(storage);
      const bob = await s.conversation('sip:bob@example.test');
      const outcome = await send(s, bob.id, big);
      expect(outcome).toEqual({ kind: 'needs-choice', bytes: 1200 + 450, limit: 1300, fits: false, canStream: false, parts: 2 });
      await s.service.idle();
      expect(s.pager.requests).toHaveLength(0);
      expect((await storage.pageMessages(bob.id, null, 10)).total).toBe(0);
    });

    it('sends it whole when the route is congestion controlled (TCP/TLS)', async () => {
      const s = await setup(storage);
      s.pager.congestionControlled = true;
      s.pager.auto = () => ok200;
      const bob = await s.conversation('sip:bob@example.test');
      only(await send(s, bob.id, big));
      await s.service.idle();
      expect(s.pager.text(0)).toBe(big);
    });

    it('a big message queued for TCP is not sent if the route has become UDP by the time it goes out', async () => {
      const s = await setup(storage);
      s.pager.congestionControlled = true;
      const bob = await s.conversation('sip:bob@example.test');
      only(await send(s, bob.id, 'blocker'));
      const m = only(await send(s, bob.id, big));
      await s.pager.waitForRequests(1);
      s.pager.congestionControlled = false;
      s.pager.answer(0, ok200);
      await s.service.idle();
      expect(s.pager.requests).toHaveLength(1);
      expect(await storage.getMessage(m.id)).toMatchObject({ state: 'failed', code: null, reason: expect.stringMatching(/too large to send over UDP/) });
    });

    it('cancel sends and stores nothing', async () => {
      const s = await setup(storage);
      const bob = await s.conversation('sip:bob@example.test');
      expect(await send(s, bob.id, big, 'cancel')).toEqual({ kind: 'queued', messages: [] });
      await s.service.idle();
      expect(s.pager.requests).toHaveLength(0);
    });

    it('split sends numbered parts in order, each request within 1300 bytes (CPIM wrapping counted)', async () => {
      const s = await setup(storage, { cpim: true });
      s.pager.auto = () => ok200;
      const bob = await s.conversation('sip:bob@example.test');
      const text = '你好世界 🙂👍🏽 '.repeat(120);
      const parts = queued(await send(s, bob.id, text, 'split'));
      await s.service.idle();
      expect(parts.length).toBeGreaterThan(1);
      expect(s.pager.requests).toHaveLength(parts.length);
      const bodies = s.pager.requests.map((r) => {
        expect(r.body.length + 450).toBeLessThanOrEqual(1300);
        const p = parseCpim(r.body);
        if (!p.ok) throw new Error(p.problem);
        return p.message.content.toString('utf8');
      });
      const n = parts.length;
      bodies.forEach((b, i) => expect(b.startsWith(`(${String(i + 1)}/${String(n)}) `)).toBe(true));
      expect(bodies.map((b) => b.replace(/^\(\d+\/\d+\) /, '')).join('')).toBe(text);
      expect(parts.map((p) => p.body)).toEqual(bodies);
    });

    it('a message under the limit over UDP needs no choice', async () => {
      const s = await setup(storage);
      s.pager.auto = () => ok200;
      const bob = await s.conversation('sip:bob@example.test');
      expect(only(await send(s, bob.id, 'x'.repeat(850))).state).toBe('queued');
      await s.service.idle();
      expect(s.pager.requests).toHaveLength(1);
    });
  });
});
