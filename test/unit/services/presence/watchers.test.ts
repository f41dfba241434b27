/**
 * Watcher authorization (RFC 3856 §6.6) over the real notifier dialog (RFC 6665 §4.2) and dialog layer:
 * a fake UA answers every NOTIFY 200 and records it; time is a fake clock.
 */
import { describe, expect, it } from 'vitest';
import type { AccountId } from '#shared/domain/ids.ts';
import { DialogLayer } from '../../../../main/sip/dialog/dialog-layer.ts';
import { PRESENCE } from '../../../../main/sip/event/event-agent.ts';
import { acceptSubscribe, PRESENCE_EXPIRES } from '../../../../main/sip/event/notifier-dialog.ts';
import { parseMessage, type SipRequest, type SipResponse } from '../../../../main/sip/message/index.ts';
import { MAX_PER_WATCHER, WatcherService, type WatcherStore } from '../../../../main/services/presence/watchers.ts';
import { peerKey } from '../../../../main/services/typing/typing-service.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { answer, Channel, incomingInvite } from '../../sip/dialog/fake-ua.ts';

const ACCOUNT = 'acc-1' as AccountId;
const BOB = 'sip:bob@example.test';

function memoryStore(): WatcherStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getSetting: async (k) => data.get(k) ?? null, setSetting: async (k, v) => void data.set(k, v) };
}

async function rig(store = memoryStore(), contacts: string[] = [BOB]) {
  const clock = new FakeClock(0);
  const notifies: SipRequest[] = [];
  const events: unknown[] = [];
  let tag = 0;
  const ua = {
    sendRequest: async (r: SipRequest): Promise<SipResponse> => {
      notifies.push(r);
      return answer(r, 200);
    },
    newTag: () => `ours${String(++tag)}`,
    contact: () => '<sip:token@127.0.0.1:5060>',
  };
  const layer = new DialogLayer({ onIncomingInvite: () => undefined });
  let doc = '<presence>open</presence>';
  const service = await WatcherService.open({
    clock,
    emit: ((name: string, payload: unknown) => void events.push([name, payload])) as never,
    store,
    agentOf: () => ({ accept: (req, ch, exp) => acceptSubscribe(ua, layer, PRESENCE, req, ch, exp, PRESENCE_EXPIRES) }),
    documentOf: () => doc,
    normalize: peerKey,
  });
  service.contactsChanged(contacts);
  const settle = () => new Promise((res) => setImmediate(res));
  let call = 0;
  /** an initial SUBSCRIBE from `from` (as the PBX relays it: Record-Route, Via) */
  const subscribe = async (opts: { from?: string; headers?: string[] } = {}) => {
    const callId = `sub-${String(++call)}`;
    const req = incomingInvite({ method: 'SUBSCRIBE', body: '', callId, headers: opts.headers ?? ['Event: presence', 'Expires: 600', 'Accept: application/pidf+xml'] });
    const ch = new Channel();
    service.handle(ACCOUNT, opts.from === undefined ? req : from(req, opts.from), ch);
    await settle();
    return { ch, callId, response: ch.responses[0] };
  };
  /** a request within the subscription dialog (refresh / unsubscribe) */
  const inDialog = async (callId: string, toTag: string, cseq: number, headers: string[]) => {
    const req = incomingInvite({ method: 'SUBSCRIBE', body: '', callId, cseq, toTag, headers });
    const ch = new Channel();
    layer.receiveRequest(req, ch);
    await settle();
    return ch;
  };
  const states = () => notifies.map((n) => n.headers.get('Subscription-State'));
  return { clock, service, notifies, events, subscribe, inDialog, settle, states, setDoc: (d: string) => void (doc = d), layer, store };
}

/** the same SUBSCRIBE from another watcher, through the parser as off the wire */
function from(req: SipRequest, address: string): SipRequest {
  const lines = ['SUBSCRIBE sip:alice@127.0.0.1:5060 SIP/2.0'];
  for (const h of req.headers) lines.push(h.name.toLowerCase() === 'from' ? `From: <${address}>;tag=${req.callId}` : `${h.name}: ${h.value}`);
  return parseMessage(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`)) as SipRequest;
}

describe('WatcherService: who may watch our presence (RFC 3856 §6.6, RFC 6665 §4.2)', () => {
  it('a contact with no decision: 200 (not 202, §8.3.1), NOTIFY pending without state, and a request for the user', async () => {
    const r = await rig();
    const { response } = await r.subscribe();
    expect(response?.status).toBe(200);
    expect(response?.headers.get('Expires')).toBe('600');
    expect(response?.headers.get('Contact')).toBe('<sip:token@127.0.0.1:5060>');
    expect(response?.headers.get('Record-Route')).toBe('<sip:10.0.0.1;lr>');
    expect(response?.to.params.get('tag')).toBe('ours1');
    expect(r.states()).toEqual(['pending;expires=600']);
    const n = r.notifies[0]!;
    expect(n.headers.get('Event')).toBe('presence');
    expect(n.headers.get('Contact')).toBe('<sip:token@127.0.0.1:5060>');
    expect(n.headers.get('Route')).toBe('<sip:10.0.0.1;lr>');
    expect(n.body.length).toBe(0);
    expect(r.service.list()).toEqual([{ address: BOB, decision: 'pending', watching: 1 }]);
    expect(r.events.at(-1)).toEqual(['presence:watchers-changed', [{ address: BOB, decision: 'pending', watching: 1 }]]);
  });

  it('Allow: the live subscription turns active with our PIDF; the decision is stored and holds after a restart', async () => {
    const store = memoryStore();
    const r = await rig(store);
    await r.subscribe();
    await r.service.decide(BOB, 'allow');
    await r.settle();
    expect(r.states()).toEqual(['pending;expires=600', 'active;expires=600']);
    expect(r.notifies[1]!.headers.get('Content-Type')).toBe('application/pidf+xml');
    expect(r.notifies[1]!.body.toString()).toBe('<presence>open</presence>');
    expect(r.service.list()).toEqual([{ address: BOB, decision: 'allow', watching: 1 }]);
    // a new process with the same settings: bob is active at once
    const again = await rig(store);
    await again.subscribe();
    expect(again.states()).toEqual(['active;expires=600']);
  });

  it('Block: terminated;reason=rejected at once, and every later SUBSCRIBE from bob ends the same way', async () => {
    const r = await rig();
    await r.subscribe();
    await r.service.decide(BOB, 'block');
    await r.settle();
    expect(r.states()).toEqual(['pending;expires=600', 'terminated;reason=rejected']);
    expect(r.notifies[1]!.body.length).toBe(0);
    await r.subscribe();
    expect(r.states().slice(2)).toEqual(['terminated;reason=rejected']);
    expect(r.service.list()).toEqual([{ address: BOB, decision: 'block', watching: 0 }]);
  });

  it('a stranger stays pending and never becomes a request; allowing the address alone does not make it active', async () => {
    const r = await rig();
    await r.subscribe({ from: 'sip:mallory@example.test' });
    expect(r.states()).toEqual(['pending;expires=600']);
    expect(r.service.list()).toEqual([]);
    await r.service.decide('sip:mallory@example.test', 'allow');
    await r.settle();
    expect(r.states()).toEqual(['pending;expires=600']);
    // the user adds mallory as a contact: now allowed and a contact → active
    r.service.contactsChanged([BOB, 'sip:mallory@example.test']);
    await r.settle();
    expect(r.states()).toEqual(['pending;expires=600', 'active;expires=600']);
  });

  it('refresh within the dialog (§4.2.1.2): 200 with the granted Expires and a NOTIFY; Expires: 0 ends it (timeout)', async () => {
    const r = await rig();
    await r.service.decide(BOB, 'allow');
    const { callId } = await r.subscribe();
    r.clock.advance(100_000);
    const ch = await r.inDialog(callId, 'ours1', 2, ['Event: presence', 'Expires: 300']);
    expect(ch.statuses).toEqual([200]);
    expect(ch.responses[0]!.headers.get('Expires')).toBe('300');
    expect(r.states()).toEqual(['active;expires=600', 'active;expires=300']);
    const brief = await r.inDialog(callId, 'ours1', 3, ['Event: presence', 'Expires: 5']);
    expect(brief.statuses).toEqual([423]);
    expect(brief.responses[0]!.headers.get('Min-Expires')).toBe('60');
    const bye = await r.inDialog(callId, 'ours1', 4, ['Event: presence', 'Expires: 0']);
    expect(bye.statuses).toEqual([200]);
    expect(r.states().at(-1)).toBe('terminated;reason=timeout');
    // the dialog is gone: another refresh gets 481 (RFC 3261 §12.2.2)
    const late = await r.inDialog(callId, 'ours1', 5, ['Event: presence', 'Expires: 600']);
    expect(late.statuses).toEqual([481]);
    expect(r.service.list()).toEqual([{ address: BOB, decision: 'allow', watching: 0 }]);
  });

  it('no refresh: the subscription expires on time with terminated;reason=timeout', async () => {
    const r = await rig();
    await r.service.decide(BOB, 'allow');
    await r.subscribe();
    r.clock.advance(600_000);
    await r.settle();
    expect(r.states()).toEqual(['active;expires=600', 'terminated;reason=timeout']);
    expect(r.service.list()[0]?.watching).toBe(0);
  });

  it('our state changes reach allowed watchers (rate-limited, RFC 3856 §6.4), never pending ones', async () => {
    const r = await rig(memoryStore(), [BOB, 'sip:carol@example.test']);
    await r.service.decide(BOB, 'allow');
    await r.subscribe();
    await r.subscribe({ from: 'sip:carol@example.test' });
    r.clock.advance(6000);
    r.setDoc('<presence>away</presence>');
    r.service.documentChanged();
    await r.settle();
    const bodies = r.notifies.map((n) => n.body.toString());
    expect(bodies).toEqual(['<presence>open</presence>', '', '<presence>away</presence>']);
  });

  it('rejects what it does not serve: 489 other events, 406 without PIDF, 423 too brief; bounds each watcher (503)', async () => {
    const r = await rig();
    expect((await r.subscribe({ headers: ['Event: dialog', 'Expires: 600'] })).response?.status).toBe(489);
    expect((await r.subscribe({ headers: ['Event: presence', 'Accept: text/plain'] })).response?.status).toBe(406);
    const brief = (await r.subscribe({ headers: ['Event: presence', 'Expires: 10'] })).response;
    expect([brief?.status, brief?.headers.get('Min-Expires')]).toEqual([423, '60']);
    expect(r.notifies).toHaveLength(0);
    for (let i = 0; i < MAX_PER_WATCHER; i++) expect((await r.subscribe()).response?.status).toBe(200);
    expect((await r.subscribe()).response?.status).toBe(503);
  });

  it('a contact removed from the list: its subscription ends deactivated (it comes back pending, as a stranger)', async () => {
    const r = await rig();
    await r.service.decide(BOB, 'allow');
    await r.subscribe();
    r.service.contactsChanged([]);
    await r.settle();
    expect(r.states()).toEqual(['active;expires=600', 'terminated;reason=deactivated']);
  });

  it('a damaged stored value means no decisions, never a crash', async () => {
    const store = memoryStore();
    store.data.set('presence-watchers', '{not json');
    const r = await rig(store);
    await r.subscribe();
    expect(r.states()).toEqual(['pending;expires=600']);
  });

  it('watchers at the PBX (RFC 3858): a pending contact is a request, a stranger is not; decisions become pres-rules (RFC 5025)', async () => {
    const r = await rig(memoryStore(), [BOB, 'sip:carol@example.test']);
    r.service.serverWatchersChanged(ACCOUNT, [
      { uri: 'sip:bob@example.test', status: 'pending' },
      { uri: 'sip:mallory@example.test', status: 'waiting' },
      { uri: 'sip:carol@example.test', status: 'active' },
    ]);
    expect(r.service.list()).toEqual([{ address: BOB, decision: 'pending', watching: 0 }]);
    expect(r.events.at(-1)).toEqual(['presence:watchers-changed', [{ address: BOB, decision: 'pending', watching: 0 }]]);
    expect(r.service.presRules()).toEqual({ allow: [], block: [] });
    await r.service.decide(BOB, 'allow');
    await r.service.decide('sip:mallory@example.test', 'allow'); // not a contact: never allowed
    await r.service.decide('sip:eve@example.test', 'block');
    expect(r.service.presRules()).toEqual({ allow: [BOB], block: ['sip:eve@example.test'] });
    r.service.serverWatchersChanged(ACCOUNT, [{ uri: 'sip:bob@example.test', status: 'active' }]);
    expect(r.service.list().find((w) => w.address === BOB)).toEqual({ address: BOB, decision: 'allow', watching: 1 });
    // a contact removed: out of the allow rule
    r.service.contactsChanged(['sip:carol@example.test']);
    expect(r.service.presRules().allow).toEqual([]);
  });
});
