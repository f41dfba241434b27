/**
 * Pager mode (RFC 3428) between whole app instances (createAppServices + IPC router) through a real
 * Kamailio that challenges every MESSAGE with 407: both ways over UDP, TCP and TLS (pinned certificate).
 * The wire trace (diagnostics:list-trace) shows the 407 answered, no Contact in the MESSAGE or its 2xx and
 * no body in the 2xx (RFC 3428 §4, §7). Forking: bob registered from two instances gets the message in
 * each, alice sees one "delivered" (RFC 3261 §16.7: the proxy forwards the first 2xx only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDto, TransportKind } from '#shared/domain/account.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { accountInput, headerBlock, headerValue, send, startApp, storedWith, waitFinal, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

let kamailio: RunningKamailio;
let sipPort = 0;

beforeAll(async () => {
  ({ kamailio, sipPort } = await startKamailioOnFreePorts(23_000, 300));
}, 30_000);

afterAll(async () => {
  await kamailio?.stop();
}, 30_000);

async function appWith(user: string, transport: TransportKind): Promise<{ app: App; account: AccountDto }> {
  const app = await startApp();
  const account = await app.call('accounts:save', accountInput({ user, sipPort, transport, certPem: kamailio.certPem }));
  await waitRegistered(app, account.id);
  return { app, account };
}

describe.each(['udp', 'tcp', 'tls'] as const)('app ↔ app through Kamailio over %s (RFC 3428 pager mode)', (transport) => {
  let alice: { app: App; account: AccountDto };
  let bob: { app: App; account: AccountDto };

  beforeAll(async () => {
    alice = await appWith('alice', transport);
    bob = await appWith('bob', transport);
  }, 40_000);

  afterAll(async () => {
    await alice?.app.services.dispose();
    await bob?.app.services.dispose();
  }, 30_000);

  it.each([
    ['alice', 'bob'],
    ['bob', 'alice'],
  ] as const)('%s → %s: credentials for the proxy given (after its 407 or pre-emptively), delivered (200); MESSAGE and 2xx MUST carry no Contact, the 2xx no body', async (fromName, toName) => {
    const from = fromName === 'alice' ? alice : bob;
    const to = toName === 'alice' ? alice : bob;
    const text = `${fromName} → ${toName} over ${transport} ✓ ${String(Date.now())}`;
    const [sent] = await send(from.app, `${toName}@example.test`, text);
    expect((await waitFinal(from.app, sent!.id)).state).toBe('delivered');
    await waitFor(() => to.app.of('chats:message-received').some((m) => m.body === text), 'the recipient stored it');
    expect((await storedWith(to.app, `sip:${fromName}@example.test`)).bodies.filter((b) => b === text)).toHaveLength(1);

    const senderTrace = await from.app.call('diagnostics:list-trace', { accountId: from.account.id, callId: null, limit: 5000 });
    const requests = senderTrace.filter((t) => t.direction === 'sent' && t.summary === 'MESSAGE' && t.text.includes(text));
    // The proxy's 407 is answered with the account's credentials. Once a 407 for the realm was answered
    // (the app's presence PUBLISH/SUBSCRIBE after registration), later requests carry them pre-emptively
    // (RFC 3261 §22.3) and Kamailio takes the MESSAGE at once; before that, the first try gets the 407.
    expect(requests.length === 1 || requests.length === 2).toBe(true);
    expect(requests.every((t) => t.transport === transport.toUpperCase())).toBe(true);
    expect(headerValue(requests.at(-1)!.text, 'Proxy-Authorization')).toMatch(/^Digest /);
    const callIds = new Set(requests.map((r) => r.callId));
    if (requests.length === 2) {
      expect(headerValue(requests[0]!.text, 'Proxy-Authorization')).toBeUndefined();
      expect(senderTrace.some((t) => t.direction === 'received' && t.summary.startsWith('407') && callIds.has(t.callId))).toBe(true);
    } else {
      // the pre-emptive credentials came from a 407 this account answered earlier, in the same realm
      expect(senderTrace.some((t) => t.direction === 'received' && t.summary.startsWith('407') && t.text.includes('realm="example.test"'))).toBe(true);
    }
    const okAtSender = senderTrace.filter((t) => t.direction === 'received' && t.summary.startsWith('200') && callIds.has(t.callId));
    expect(okAtSender.length).toBeGreaterThanOrEqual(1);

    const recipientTrace = await to.app.call('diagnostics:list-trace', { accountId: to.account.id, callId: null, limit: 5000 });
    const arrived = recipientTrace.find((t) => t.direction === 'received' && t.summary === 'MESSAGE' && t.text.includes(text));
    expect(arrived).toBeDefined();
    const okFromRecipient = recipientTrace.filter((t) => t.direction === 'sent' && t.summary.startsWith('200') && t.callId === arrived?.callId);
    expect(okFromRecipient.length).toBeGreaterThanOrEqual(1);

    for (const m of [...requests, arrived!]) expect(headerBlock(m.text)).not.toMatch(/\r\n(Contact|m)[ \t]*:/i);
    for (const r of [...okAtSender, ...okFromRecipient]) {
      expect(headerBlock(r.text)).not.toMatch(/\r\n(Contact|m)[ \t]*:/i);
      expect(headerValue(r.text, 'Content-Length', 'l')).toBe('0');
      expect(r.text.endsWith('\r\n\r\n')).toBe(true);
    }
  });
});

describe('forking: bob registered from two app instances (RFC 3261 §16.7, RFC 3428 §4)', () => {
  it('alice\'s message MUST be stored once in EACH bob instance and once at alice as delivered', async () => {
    const alice = await appWith('alice', 'udp');
    const bob1 = await appWith('bob', 'udp');
    const bob2 = await appWith('bob', 'tcp');
    try {
      const text = `forked hello ${String(Date.now())}`;
      const [sent] = await send(alice.app, 'bob@example.test', text);
      expect((await waitFinal(alice.app, sent!.id)).state).toBe('delivered');
      for (const bob of [bob1, bob2]) {
        await waitFor(() => bob.app.of('chats:message-received').some((m) => m.body === text), 'each bob stored it');
      }
      // instead of a guessed window for a late copy: a second MESSAGE sent after the first was delivered
      // has reached both instances, so anything of the first still on its way was handled before it
      const later = `and a second one ${String(Date.now())}`;
      const [second] = await send(alice.app, 'bob@example.test', later);
      expect((await waitFinal(alice.app, second!.id)).state).toBe('delivered');
      for (const bob of [bob1, bob2]) {
        await waitFor(() => bob.app.of('chats:message-received').some((m) => m.body === later), 'each bob stored the second');
      }
      for (const bob of [bob1, bob2]) {
        const stored = await storedWith(bob.app, 'sip:alice@example.test');
        expect(stored.bodies.filter((b) => b === text)).toEqual([text]);
        expect(stored.total).toBe(2);
      }
      const atAlice = await storedWith(alice.app, 'sip:bob@example.test');
      expect(atAlice.bodies.filter((b) => b === text)).toEqual([text]);
      const states = alice.app.of('chats:message-changed').filter((m) => m.id === sent!.id).map((m) => m.state);
      expect(states.filter((s) => s === 'delivered')).toHaveLength(1);
    } finally {
      for (const a of [alice, bob1, bob2]) await a.app.services.dispose();
    }
  }, 60_000);
});
