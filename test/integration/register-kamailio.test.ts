/**
 * Registration (RFC 3261 §10) against a real Kamailio registrar over UDP, TCP and TLS, with digest auth,
 * a wrong password, an untrusted and then pinned self-signed certificate, unregister on stop, and
 * re-registration after Kamailio restarts. Kamailio missing = failure, never a skip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKamailio, type RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { makeAccount, registeredContacts, settled, startKamailioOnFreePorts, wireMessages, type Account } from './register-kit.ts';

let kamailio: RunningKamailio;
let sipPort = 0;
const open: Account[] = [];

beforeAll(async () => {
  ({ kamailio, sipPort } = await startKamailioOnFreePorts(21_000, 332));
}, 30_000);

afterAll(async () => {
  for (const a of open.splice(0)) await a.close().catch(() => undefined);
  await kamailio?.stop();
}, 30_000);

async function account(spec: Omit<Parameters<typeof makeAccount>[0], 'sipPort'>): Promise<Account> {
  const a = await makeAccount({ ...spec, sipPort });
  open.push(a);
  return a;
}

describe('Registration with Kamailio (RFC 3261 §10.2)', () => {
  it.each(['udp', 'tcp'] as const)('registers alice over %s after the 401 digest challenge, and unregisters on stop', async (protocol) => {
    const alice = await account({ user: 'alice', password: 'alice-secret', protocol });
    alice.registration.start();
    const status = await settled(alice);
    expect(status.state).toBe('registered');
    if (status.state === 'registered') expect(status.until).toBeGreaterThan(Date.now() + 100_000);
    const contact = alice.registration.contact ?? '';
    // issue 10: the Contact's user part is an unguessable token, not the AOR's user
    expect(contact).toMatch(protocol === 'udp' ? /^<sip:[A-Za-z0-9_-]{22}@127\.0\.0\.1:\d+>$/ : /;transport=tcp>$/);
    expect(contact).toContain(`sip:${alice.ua.contactUser}@`);
    const port = /@127\.0\.0\.1:(\d+)/.exec(contact)?.[1];
    expect(registeredContacts(kamailio)).toContain(`127.0.0.1:${port ?? 'none'}`);
    // two transactions (the challenged one, then the one with credentials); on a busy machine UDP
    // may retransmit a copy of either (Timer E, §17.1.2.2), which carries the same branch
    const sent = wireMessages(alice.trace, 'out').filter((m) => m.startsWith('REGISTER'));
    const branches = [...new Set(sent.map((m) => /;branch=([^;,\s]+)/.exec(m)?.[1]))];
    expect(branches).toHaveLength(2);
    expect(sent.filter((m) => m.includes(`;branch=${String(branches[0])}`)).every((m) => !m.includes('\r\nAuthorization: '))).toBe(true);
    expect(sent.filter((m) => m.includes(`;branch=${String(branches[1])}`)).every((m) => /\r\nAuthorization: Digest /.test(m))).toBe(true);
    await alice.registration.stop();
    expect(alice.registration.status).toEqual({ state: 'unregistered' });
    expect(wireMessages(alice.trace, 'out').at(-1)).toMatch(/\r\nExpires: 0\r\n/);
    expect(registeredContacts(kamailio)).not.toContain(`127.0.0.1:${port ?? 'none'}`);
  });

  it('registers over TLS with the self-signed certificate pinned by fingerprint', async () => {
    const alice = await account({ user: 'alice', password: 'alice-secret', protocol: 'tls', trust: { fingerprints256: [kamailio.certFingerprint256] } });
    alice.registration.start();
    expect((await settled(alice)).state).toBe('registered');
    expect(alice.registration.contact).toMatch(/;transport=tls>$/);
    await alice.registration.stop();
  });

  it('fails over TLS with "certificate not trusted" when the certificate is not pinned, and succeeds once pinned', async () => {
    const untrusted = await account({ user: 'alice', password: 'alice-secret', protocol: 'tls' });
    untrusted.registration.start();
    const status = await settled(untrusted);
    expect(status).toMatchObject({ state: 'failed', reason: expect.stringContaining('certificate not trusted') });
    await untrusted.registration.stop();
    const pinned = await account({ user: 'alice', password: 'alice-secret', protocol: 'tls', trust: { ca: [kamailio.certPem] } });
    pinned.registration.start();
    expect((await settled(pinned)).state).toBe('registered');
    await pinned.registration.stop();
  });

  it('a wrong password ends in failed with code 401 and "wrong password"', async () => {
    const alice = await account({ user: 'alice', password: 'not-the-password', protocol: 'udp' });
    alice.registration.start();
    const status = await settled(alice);
    expect(status).toEqual({ state: 'failed', code: 401, reason: 'wrong password (401)', retryAt: null, cause: 'auth' });
  });

  it('re-registers by itself after Kamailio restarts (TCP connection lost, backoff 300 ms)', async () => {
    const alice = await account({ user: 'alice', password: 'alice-secret', protocol: 'tcp', backoffMs: 300 });
    alice.registration.start();
    expect((await settled(alice)).state).toBe('registered');
    const registersBefore = wireMessages(alice.trace, 'out').filter((m) => m.startsWith('REGISTER')).length;
    await kamailio.stop();
    await waitFor(() => alice.registration.status.state === 'failed', 'the lost connection to be noticed', 5_000);
    expect(alice.registration.status).toMatchObject({ state: 'failed', reason: expect.stringContaining('connection to the PBX lost') });
    kamailio = await startKamailio({ sipPort, tlsPort: sipPort + 1 });
    await waitFor(() => alice.registration.status.state === 'registered', 're-registration', 15_000);
    expect(wireMessages(alice.trace, 'out').filter((m) => m.startsWith('REGISTER')).length).toBeGreaterThan(registersBefore);
    expect(registeredContacts(kamailio)).toContain('alice');
  }, 30_000);
});
