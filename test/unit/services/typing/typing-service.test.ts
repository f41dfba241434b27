import { describe, expect, it } from 'vitest';
import type { AccountId, ConversationId } from '#shared/domain/ids.ts';
import { buildIsComposing, parseIsComposing } from '../../../../main/sip/body/is-composing.ts';
import { TypingService } from '../../../../main/services/typing/typing-service.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const A = 'acc-1' as AccountId;
const C = 'conv-1' as ConversationId;
const BOB = 'sip:bob@example.test';

function kit(o: { accept?: readonly string[] | null; enabled?: boolean; inCall?: boolean; status?: number } = {}) {
  const clock = new FakeClock();
  const events: unknown[] = [];
  const pager: { peer: string; state: string }[] = [];
  const dialog: string[] = [];
  let probes = 0;
  let enabled = o.enabled ?? true;
  const svc = new TypingService({
    clock,
    emit: ((name: string, payload: unknown) => events.push([name, payload])) as never,
    conversation: async (id) => (id === C ? { accountId: A, peer: BOB } : null),
    sendPager: async (_a, peer, body, type) => {
      expect(type).toBe('application/im-iscomposing+xml');
      const p = parseIsComposing(body);
      pager.push({ peer, state: p.ok ? p.value.state : 'bad' });
      return o.status ?? 200;
    },
    sendInCall: () => (o.inCall ? async (body) => (dialog.push(body.toString()), 200) : null),
    probeAccept: async () => {
      probes++;
      return o.accept === undefined ? ['text/plain', 'application/im-iscomposing+xml'] : o.accept;
    },
    enabled: () => enabled,
  });
  const flush = () => new Promise((r) => setImmediate(r));
  return { clock, events, pager, dialog, svc, flush, probes: () => probes, setEnabled: (v: boolean) => (enabled = v) };
}

describe('typing service', () => {
  it('probes support once (OPTIONS Accept) and then sends active to a supporting peer', async () => {
    const k = kit();
    await k.svc.composing(C, true);
    await k.svc.composing(C, true);
    await k.flush();
    expect(k.probes()).toBe(1);
    expect(k.pager).toEqual([{ peer: BOB, state: 'active' }]);
  });

  it('MUST NOT send to a peer whose Accept lacks is-composing, nor to one that did not answer', async () => {
    for (const accept of [['text/plain'], null]) {
      const k = kit({ accept });
      await k.svc.composing(C, true);
      await k.flush();
      expect(k.pager).toEqual([]);
    }
  });

  it('MUST NOT send when the user turned it off', async () => {
    const k = kit({ enabled: false });
    await k.svc.composing(C, true);
    await k.flush();
    expect(k.pager).toEqual([]);
    expect(k.probes()).toBe(0);
  });

  it('a peer that sent us is-composing is known to support it without probing', async () => {
    const k = kit({ accept: null });
    expect(k.svc.receive(A, 'sip:bob@example.test', Buffer.from(buildIsComposing({ state: 'idle' })))).toBe(200);
    await k.svc.composing(C, true);
    await k.flush();
    expect(k.probes()).toBe(0);
    expect(k.pager).toEqual([{ peer: BOB, state: 'active' }]);
  });

  it('stops sending after a 415', async () => {
    const k = kit({ status: 415 });
    await k.svc.composing(C, true);
    await k.flush();
    k.clock.advance(15_000);
    await k.flush();
    expect(k.pager.map((p) => p.state)).toEqual(['active']);
    await k.svc.composing(C, true);
    await k.flush();
    expect(k.pager).toHaveLength(1);
  });

  it('goes in the dialog during a call with the peer', async () => {
    const k = kit({ inCall: true });
    await k.svc.composing(C, true);
    await k.flush();
    expect(k.pager).toEqual([]);
    expect(k.dialog[0]).toContain('<state>active</state>');
  });

  it('receiving: emits peer-typing true then false, answers 400 to garbage, nothing else', async () => {
    const k = kit();
    expect(k.svc.receive(A, 'sip:bob@example.test', Buffer.from('<isComposing>'))).toBe(400);
    expect(k.svc.receive(A, 'sip:bob@example.test', Buffer.from(buildIsComposing({ state: 'active', refresh: 90 })))).toBe(200);
    expect(k.svc.isTyping(A, BOB)).toBe(true);
    k.svc.messageReceived(A, 'sip:bob@example.test');
    expect(k.events).toEqual([
      ['chats:peer-typing-changed', { accountId: A, peer: BOB, typing: true }],
      ['chats:peer-typing-changed', { accountId: A, peer: BOB, typing: false }],
    ]);
  });

  it('sending the message is the implicit idle: no idle status follows', async () => {
    const k = kit();
    await k.svc.composing(C, true);
    k.svc.messageSent(A, BOB);
    k.clock.advance(30_000);
    await k.flush();
    expect(k.pager.map((p) => p.state)).toEqual(['active']);
  });
});
