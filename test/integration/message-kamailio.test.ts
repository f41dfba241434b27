/**
 * Pager-mode MESSAGE (RFC 3428) between two of our UAs through Kamailio, which challenges every MESSAGE
 * with a 407 (proxy auth): alice → bob and bob → alice, over UDP and over TCP (Kamailio delivers over
 * the connection bob registered on). The wire shows no Contact in MESSAGE or its 2xx, and no body in
 * the 2xx (RFC 3428 §4, §7).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleMessages, sendPagerMessage } from '../../main/sip/ua/index.ts';
import type { IncomingMessage } from '../../main/sip/ua/index.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { makeAccount, settled, startKamailioOnFreePorts, wireMessages, type Account } from './register-kit.ts';

let kamailio: RunningKamailio;
let sipPort = 0;
const open: Account[] = [];

beforeAll(async () => {
  ({ kamailio, sipPort } = await startKamailioOnFreePorts(21_334, 332));
}, 30_000);

afterAll(async () => {
  for (const a of open.splice(0)) await a.close().catch(() => undefined);
  await kamailio?.stop();
}, 30_000);

function headerBlock(text: string): string {
  return text.slice(0, text.indexOf('\r\n\r\n'));
}

function contentLength(text: string): string | undefined {
  return /\r\n(?:Content-Length|l)\s*:\s*(\d+)/i.exec(headerBlock(text))?.[1];
}

describe.each(['udp', 'tcp'] as const)('MESSAGE through Kamailio over %s (RFC 3428)', (protocol) => {
  let alice: Account;
  let bob: Account;
  const inbox = { alice: [] as IncomingMessage[], bob: [] as IncomingMessage[] };

  beforeAll(async () => {
    alice = await makeAccount({ user: 'alice', password: 'alice-secret', protocol, sipPort });
    bob = await makeAccount({ user: 'bob', password: 'bob-secret', protocol, sipPort });
    open.push(alice, bob);
    handleMessages(alice.ua, (m) => (inbox.alice.push(m), Promise.resolve({ status: 200 })));
    handleMessages(bob.ua, (m) => (inbox.bob.push(m), Promise.resolve({ status: 200 })));
    alice.registration.start();
    bob.registration.start();
    expect((await settled(alice)).state).toBe('registered');
    expect((await settled(bob)).state).toBe('registered');
  }, 20_000);

  afterAll(async () => {
    await alice.registration.stop();
    await bob.registration.stop();
  });

  it.each([
    ['alice', 'bob'],
    ['bob', 'alice'],
  ] as const)('%s → %s: 407 answered once, 200 back, delivered with Date, no Contact anywhere, no body in the 2xx', async (fromName, toName) => {
    const from = fromName === 'alice' ? alice : bob;
    const to = toName === 'alice' ? alice : bob;
    const text = `hello ${toName} from ${fromName} over ${protocol} ✓`;
    const date = new Date(Math.floor(Date.now() / 1000) * 1000);
    const response = await sendPagerMessage(from.ua, { target: `im:${toName}@example.test`, body: Buffer.from(text), contentType: 'text/plain;charset=UTF-8', expiresSeconds: 3600, date });
    expect(response.status).toBe(200);
    const got = inbox[toName].at(-1);
    expect(got?.body.toString('utf8')).toBe(text);
    expect(got?.from).toBe(`sip:${fromName}@example.test`);
    expect(got?.date?.getTime()).toBe(date.getTime());
    expect(got?.expiresSeconds).toBe(3600);

    const sent = wireMessages(from.trace, 'out').filter((m) => m.startsWith('MESSAGE ') && m.includes(text));
    expect(sent).toHaveLength(2);
    expect(sent[0]).not.toMatch(/\r\nProxy-Authorization:/);
    expect(sent[1]).toMatch(/\r\nProxy-Authorization: Digest /);
    const challenge = wireMessages(from.trace, 'in').find((m) => m.startsWith('SIP/2.0 407') && m.includes(got?.callId ?? '#'));
    expect(challenge).toBeDefined();
    for (const m of sent) expect(headerBlock(m)).not.toMatch(/\r\n(Contact|m)\s*:/i);
    const answers = wireMessages(to.trace, 'out').filter((m) => m.startsWith('SIP/2.0 200') && m.includes(got?.callId ?? '#'));
    expect(answers.length).toBeGreaterThanOrEqual(1);
    for (const a of answers) {
      expect(headerBlock(a)).not.toMatch(/\r\n(Contact|m)\s*:/i);
      expect(contentLength(a)).toBe('0');
      expect(a.endsWith('\r\n\r\n')).toBe(true);
    }
  });
});
