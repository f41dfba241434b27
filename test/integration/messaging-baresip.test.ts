/**
 * Interop of pager mode (RFC 3428) with baresip 1.0 through Kamailio (407 on every MESSAGE): our app
 * instance (alice) and baresip (bob) message each other both ways. baresip shows a received MESSAGE only in
 * its log (`sip:alice@example.test: "TEXT"`), and its `/message` command sends to its contact (alice).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDto } from '#shared/domain/account.ts';
import type { Baresip } from '../support/baresip.ts';
import { startBaresipOnFreePorts } from '../support/baresip-ports.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { accountInput, send, startApp, storedWith, waitFinal, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

let kamailio: RunningKamailio;
let sipPort = 0;
let alice: App;
let aliceAccount: AccountDto;
let bob: Baresip;

beforeAll(async () => {
  ({ kamailio, sipPort } = await startKamailioOnFreePorts(23_900, 100));
  // ports with retry on collision: ready once baresip's own PID owns them (baresip-ports.ts); not SIP + 1
  // for the control port: baresip binds that one itself
  bob = await startBaresipOnFreePorts(() => {
    const base = 24_400 + 4 * Math.floor(Math.random() * 40);
    return {
      user: 'bob',
      password: 'bob-secret',
      proxyPort: sipPort,
      sipPort: base,
      ctrlPort: base + 2,
      rtpPort: 26_000 + 100 * Math.floor(Math.random() * 30),
      contact: 'sip:alice@example.test',
    };
  });
  alice = await startApp();
  aliceAccount = await alice.call('accounts:save', accountInput({ user: 'alice', sipPort }));
  await waitRegistered(alice, aliceAccount.id);
}, 40_000);

afterAll(async () => {
  await alice?.services.dispose();
  await bob?.stop();
  await kamailio?.stop();
}, 30_000);

describe('pager mode with baresip through Kamailio (RFC 3428)', () => {
  it('our MESSAGE MUST reach baresip with its UTF-8 text intact and end "delivered"', async () => {
    const text = `hello baresip — ünïcödé ✓ ${String(Date.now())}`;
    const [m] = await send(alice, 'bob@example.test', text);
    expect(await waitFinal(alice, m!.id)).toMatchObject({ state: 'delivered', code: 200 });
    await waitFor(() => bob.log().includes(`sip:alice@example.test: "${text}"`), 'baresip to log the message', 10_000);
    // exactly once (a retransmission would not show twice, a second MESSAGE would)
    expect(bob.log().split(`"${text}"`).length - 1).toBe(1);
  });

  it('baresip\'s MESSAGE MUST be stored once at alice, from sip:bob@example.test', async () => {
    const text = `hello alice from baresip ${String(Date.now())}`;
    // the menu command on baresip's stdin: through support/baresip.ts's ctrl_tcp client `message` got no response
    // within its 5 s here (hangup does), while stdin works as the peer kit documents
    bob.stdin(`/message ${text}`);
    await waitFor(() => alice.of('chats:message-received').some((m) => m.body === text), 'alice got it', 20_000);
    // proof that anything baresip sent before (a retransmission, a second copy) has been handled: a later
    // MESSAGE from baresip has arrived and been stored
    const marker = `and then this one ${String(Date.now())}`;
    bob.stdin(`/message ${marker}`);
    await waitFor(() => alice.of('chats:message-received').some((m) => m.body === marker), 'the later message', 20_000);
    const stored = await storedWith(alice, 'sip:bob@example.test');
    expect(stored.bodies.filter((b) => b === text)).toHaveLength(1);
    const received = alice.of('chats:message-received').filter((m) => m.body === text);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ direction: 'in', state: 'received' });
    // our 2xx to baresip: no Contact, no body (RFC 3428 §7)
    const trace = await alice.call('diagnostics:list-trace', { accountId: aliceAccount.id, callId: null, limit: 5000 });
    const inbound = trace.find((t) => t.direction === 'received' && t.summary === 'MESSAGE' && t.text.includes(text));
    const ok = trace.find((t) => t.direction === 'sent' && t.summary.startsWith('200') && t.callId === inbound?.callId);
    expect(ok?.text).toMatch(/\r\nContent-Length: 0\r\n\r\n$/);
    expect(ok?.text).not.toMatch(/\r\nContact:/i);
  });
});
