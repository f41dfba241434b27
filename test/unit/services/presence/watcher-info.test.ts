/**
 * Watcher information (RFC 3857 / RFC 3858 §4.4) over a fake subscription port on the fake clock, the
 * pres-rules the watcher decisions become (RFC 5025), and where the XCAP requests may go.
 */
import { describe, expect, it } from 'vitest';
import type { NotifyEvent } from '../../../../main/sip/event/event-agent.ts';
import type { SubscribeResponse, SubscriptionPort } from '../../../../main/sip/event/subscription.ts';
import { WatcherInfo, type ServerWatcher } from '../../../../main/services/presence/watcher-info.ts';
import { PresRulesUpload } from '../../../../main/services/presence/pres-rules-upload.ts';
import { presRulesUrl, xcapRootFor } from '../../../../main/services/presence/xcap-client.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const ok: SubscribeResponse = { status: 200, expires: 3600, minExpires: null, retryAfter: null };
const active: NotifyEvent['state'] = { state: 'active', expires: 3600, reason: null, retryAfter: null };

const doc = (version: number, state: 'full' | 'partial', watchers: string) =>
  Buffer.from(`<?xml version="1.0"?><watcherinfo xmlns="urn:ietf:params:xml:ns:watcherinfo" version="${String(version)}" state="${state}">
  <watcher-list resource="sip:alice@example.test" package="presence">${watchers}</watcher-list></watcherinfo>`);
const w = (id: string, uri: string, status: string) => `<watcher id="${id}" event="subscribe" status="${status}">${uri}</watcher>`;

function rig() {
  const clock = new FakeClock(0);
  const calls: string[] = [];
  const port: SubscriptionPort = {
    subscribe: async () => (calls.push('subscribe'), ok),
    refresh: async (e) => (calls.push(`refresh ${String(e)}`), ok),
    drop: () => void calls.push('drop'),
  };
  const seen: (readonly ServerWatcher[])[] = [];
  const info = new WatcherInfo({ clock, port, onWatchers: (l) => seen.push(l) });
  const settle = () => new Promise((r) => setImmediate(r));
  return { clock, calls, seen, info, settle };
}

describe('watcher information (RFC 3858 §4.4)', () => {
  it('a full document gives the list; the next partial one is merged by id; terminated watchers leave', async () => {
    const r = rig();
    r.info.start();
    await r.settle();
    r.info.notified({ state: active, body: doc(0, 'full', w('a', 'sip:bob@example.test', 'pending')) });
    expect(r.seen.at(-1)).toEqual([{ uri: 'sip:bob@example.test', status: 'pending' }]);
    r.info.notified({ state: active, body: doc(1, 'partial', w('b', 'sip:carol@example.test', 'active')) });
    expect(r.seen.at(-1)).toEqual([
      { uri: 'sip:bob@example.test', status: 'pending' },
      { uri: 'sip:carol@example.test', status: 'active' },
    ]);
    r.info.notified({ state: active, body: doc(2, 'partial', w('a', 'sip:bob@example.test', 'terminated')) });
    expect(r.seen.at(-1)).toEqual([{ uri: 'sip:carol@example.test', status: 'active' }]);
    // the subscription heard its NOTIFYs: no Timer N drop, no new SUBSCRIBE
    r.clock.advance(120_000);
    await r.settle();
    expect(r.calls).toEqual(['subscribe']);
  });

  it('a partial document after a gap in versions MUST NOT be merged: a new subscription asks for the full state', async () => {
    const r = rig();
    r.info.start();
    await r.settle();
    r.info.notified({ state: active, body: doc(4, 'full', w('a', 'sip:bob@example.test', 'pending')) });
    const before = r.seen.length;
    r.info.notified({ state: active, body: doc(6, 'partial', w('b', 'sip:eve@example.test', 'active')) });
    await r.settle();
    expect(r.seen.length).toBe(before);
    expect(r.calls.filter((c) => c === 'subscribe')).toHaveLength(2);
    // an older full document (reordered) is ignored, a readable one after the new subscription is taken
    r.info.notified({ state: active, body: doc(0, 'full', w('c', 'sip:dave@example.test', 'pending')) });
    expect(r.seen.at(-1)).toEqual([{ uri: 'sip:dave@example.test', status: 'pending' }]);
  });

  it('an unreadable document changes nothing; the end of the subscription empties the list', async () => {
    const r = rig();
    r.info.start();
    await r.settle();
    r.info.notified({ state: active, body: doc(0, 'full', w('a', 'sip:bob@example.test', 'pending')) });
    r.info.notified({ state: active, body: Buffer.from('<watcherinfo version="1"') });
    r.info.notified({ state: active, body: Buffer.from('<!DOCTYPE x [<!ENTITY a "b">]><watcherinfo/>') });
    expect(r.seen).toHaveLength(1);
    r.info.notified({ state: { state: 'terminated', expires: null, reason: 'noresource', retryAfter: null }, body: null });
    expect(r.seen.at(-1)).toEqual([]);
  });
});

describe('pres-rules upload (RFC 5025 over XCAP)', () => {
  it('PUTs the document only when it changed, one at a time, the last state winning', async () => {
    let rules = { allow: [] as string[], block: [] as string[] };
    const puts: string[] = [];
    let release: (() => void) | null = null;
    const upload = new PresRulesUpload({
      access: async () => ({ root: 'http://127.0.0.1:5060/xcap-root', aor: 'sip:alice@example.test', username: 'alice', password: 'x' }),
      rules: () => rules,
      put: async (_a, _u, body) => {
        puts.push(body);
        await new Promise<void>((r) => (release = r));
        return { status: 200, problem: null };
      },
    });
    const settle = () => new Promise((r) => setImmediate(r));
    upload.sync();
    await settle();
    rules = { allow: ['sip:bob@example.test'], block: [] };
    upload.sync();
    upload.sync();
    expect(puts).toHaveLength(1);
    release!();
    await settle();
    await settle();
    expect(puts).toHaveLength(2);
    expect(puts[1]).toContain('<cr:one id="sip:bob@example.test"/>');
    release!();
    await settle();
    upload.sync();
    await settle();
    expect(puts).toHaveLength(2);
  });

  it('a failure is said in words and not retried in a loop', async () => {
    let n = 0;
    const upload = new PresRulesUpload({
      access: async () => ({ root: 'http://127.0.0.1:5060/xcap-root', aor: 'sip:alice@example.test', username: 'alice', password: 'x' }),
      rules: () => ({ allow: [], block: [] }),
      put: async () => (n++, { status: 0, problem: 'XCAP server unreachable: connect ECONNREFUSED' }),
    });
    upload.sync();
    await new Promise((r) => setTimeout(r, 20));
    expect(n).toBe(1);
    expect(upload.problem).toMatch(/unreachable/);
    expect(upload.stored).toBeNull();
  });

  it('the XCAP root is the PBX the account names (outbound proxy, else registrar); https on the SIP TLS port for TLS accounts', () => {
    expect(xcapRootFor({ outboundProxy: 'sip:127.0.0.1:15060', registrar: 'example.test', transport: 'udp', port: null })).toBe('http://127.0.0.1:15060/xcap-root');
    expect(xcapRootFor({ outboundProxy: null, registrar: 'pbx.example.com', transport: 'tcp', port: null })).toBe('http://pbx.example.com:5060/xcap-root');
    expect(xcapRootFor({ outboundProxy: null, registrar: 'pbx.example.com:5080', transport: 'udp', port: null })).toBe('http://pbx.example.com:5080/xcap-root');
    expect(xcapRootFor({ outboundProxy: 'sip:pbx.example.com:5071;transport=tls', registrar: 'x', transport: 'tls', port: null })).toBe('https://pbx.example.com:5071/xcap-root');
    expect(xcapRootFor({ outboundProxy: null, registrar: 'pbx.example.com', transport: 'tls', port: null })).toBe('https://pbx.example.com:5061/xcap-root');
    expect(xcapRootFor({ outboundProxy: null, registrar: 'pbx.example.com', transport: 'tls', port: 15061 })).toBe('https://pbx.example.com:15061/xcap-root');
    expect(presRulesUrl({ root: 'http://127.0.0.1:15060/xcap-root/', aor: 'sip:alice@example.test' }).href).toBe(
      'http://127.0.0.1:15060/xcap-root/pres-rules/users/sip:alice@example.test/index',
    );
  });
});
