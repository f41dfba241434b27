/**
 * S/MIME end to end (RFC 3428 §11.3, RFC 8551, RFC 5652) between whole app instances (createAppServices +
 * IPC router) through a real Kamailio: signed+encrypted over TCP and TLS; a UDP-registered recipient gets
 * the large protected request from Kamailio, and its own protected reply (over 1300 bytes) goes to the same
 * proxy over TCP (RFC 3261 §18.1.1); a UDP account pinned to transport=udp refuses it before sending with the
 * real size (RFC 3428 §8); tshark on loopback shows no clear text; msilo (202) stores the base64 body and
 * replays it intact to the recipient once registered; the captured UDP datagram replayed to the recipient
 * is refused with 400 (RFC 3428 §11.2) and recorded in diagnostics.
 */
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDto, TransportKind } from '#shared/domain/account.ts';
import type { MessageDto } from '#shared/domain/chat.ts';
import { createTestSecretStore, type SecretStore } from '../../main/services/secret-store.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { accountInput, headerBlock, headerValue, send, startApp, waitFinal, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startCapture, type Capture } from '../support/tshark.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

const BASE = 29_000;
const SPAN = 200;
let kamailio: RunningKamailio;
let sipPort = 0;
let capture: Capture;

interface Peer {
  app: App;
  account: AccountDto;
  secrets: SecretStore;
}

async function peer(user: string, transport: TransportKind, reuse?: Peer): Promise<Peer> {
  const secrets = reuse?.secrets ?? createTestSecretStore();
  const app = await startApp({ secrets, ...(reuse ? { dataDir: reuse.app.dataDir } : {}) });
  const account = reuse
    ? reuse.account
    : await app.call('accounts:save', accountInput({ user, sipPort, transport, certPem: kamailio.certPem }));
  await waitRegistered(app, account.id);
  if (!reuse) await app.call('security:generate-identity', { accountId: account.id, kind: 'rsa-2048' });
  return { app, account, secrets };
}

async function received(p: Peer, text: string): Promise<MessageDto> {
  await waitFor(() => p.app.of('chats:message-received').some((m) => m.body === text), `${p.account.aor} stored "${text}"`, 20_000);
  const m = p.app.of('chats:message-received').find((x) => x.body === text);
  if (!m) throw new Error('vanished');
  return m;
}

async function sentMessage(p: Peer, text: string): Promise<string> {
  const trace = await p.app.call('diagnostics:list-trace', { accountId: p.account.id, callId: null, limit: 5000 });
  const m = [...trace].reverse().find((t) => t.direction === 'sent' && t.summary === 'MESSAGE' && headerValue(t.text, 'Proxy-Authorization') !== undefined && t.text.includes('pkcs7-mime'));
  if (!m) throw new Error(`no protected MESSAGE sent by ${p.account.aor} for "${text}"`);
  return m.text;
}

const sizes: Record<string, number> = {};

/** octets on the wire: the trace text decodes the binary body as UTF-8, so count headers + Content-Length */
function wireSize(text: string): number {
  return Buffer.byteLength(headerBlock(text), 'utf8') + 4 + Number(headerValue(text, 'Content-Length', 'l'));
}

beforeAll(async () => {
  ({ kamailio, sipPort } = await startKamailioOnFreePorts(BASE, SPAN));
  capture = await startCapture(`portrange ${String(BASE)}-${String(BASE + SPAN + 1)}`);
}, 40_000);

afterAll(async () => {
  await capture?.stop().catch(() => undefined);
  capture?.remove();
  await kamailio?.stop();
  console.info('S/MIME request sizes through Kamailio (bytes, whole MESSAGE incl. headers):', sizes);
}, 30_000);

describe('S/MIME between two apps through Kamailio (RFC 3428 §11.3)', () => {
  let alice: Peer;
  let bob: Peer;
  let carol: Peer;
  let aliceTls: Peer | null = null;

  beforeAll(async () => {
    alice = await peer('alice', 'tcp');
    bob = await peer('bob', 'tcp');
    carol = await peer('carol', 'udp');
    // Alice got Bob's and Carol's certificates out of band (exported PEM); Bob and Carol learn Alice's on first use
    for (const other of [bob, carol]) {
      const { pem } = await other.app.call('security:export-certificate', { accountId: other.account.id });
      await alice.app.call('security:import-contact-certificate', { address: other.account.aor, pem });
    }
  }, 60_000);

  afterAll(async () => {
    for (const p of [alice, bob, carol, aliceTls]) await p?.app.services.dispose();
  }, 30_000);

  it('TCP both ways: signed and encrypted, verified against From, Content-Disposition on the wire, the real size shown', async () => {
    const secret = `tcp secret for bob ${String(Date.now())}`;
    const [m] = await send(alice.app, 'bob@example.test', secret);
    const final = await waitFinal(alice.app, m!.id);
    expect(final).toMatchObject({ state: 'delivered', protection: { encrypted: true, summary: 'signed by you · encrypted' } });
    const atBob = await received(bob, secret);
    expect(atBob.protection).toMatchObject({ encrypted: true, signature: 'verified', trust: 'first-use', warning: false });
    expect(atBob.protection?.summary).toBe('signed by alice@example.test (not verified yet) · encrypted');
    const wire = await sentMessage(alice, secret);
    expect(headerValue(wire, 'Content-Type', 'c')).toBe('application/pkcs7-mime;smime-type=enveloped-data;name=smime.p7m');
    expect(headerValue(wire, 'Content-Disposition')).toBe('attachment;handling=required;filename=smime.p7m');
    expect(wire.includes(secret)).toBe(false);
    sizes['tcp alice→bob'] = wireSize(wire);
    sizes['tcp body'] = Number(headerValue(wire, 'Content-Length', 'l'));
    expect(sizes['tcp body']).toBeGreaterThan(1300);

    // Bob now holds Alice's certificate: his reply is encrypted by default
    const reply = `tcp reply to alice ${String(Date.now())}`;
    const [r] = await send(bob.app, 'alice@example.test', reply);
    expect(await waitFinal(bob.app, r!.id)).toMatchObject({ state: 'delivered', protection: { encrypted: true } });
    expect((await received(alice, reply)).protection).toMatchObject({ encrypted: true, signature: 'verified', trust: 'unverified' });

    // Bob compares the safety number and marks Alice verified: the next bubble says so
    const [cert] = await bob.app.call('security:list-contact-certificates', null);
    expect(cert).toMatchObject({ address: 'alice@example.test', level: 'unverified' });
    await bob.app.call('security:mark-verified', { address: cert!.address, fingerprint: cert!.fingerprint });
    const again = `verified now ${String(Date.now())}`;
    await send(alice.app, 'bob@example.test', again);
    expect((await received(bob, again)).protection?.summary).toBe('signed by alice@example.test ✓ verified · encrypted');
  }, 60_000);

  it('TLS: signed and encrypted, delivered and verified', async () => {
    aliceTls = await peer('alice', 'tls');
    const { pem } = await bob.app.call('security:export-certificate', { accountId: bob.account.id });
    await aliceTls.app.call('security:import-contact-certificate', { address: bob.account.aor, pem });
    const secret = `tls secret ${String(Date.now())}`;
    const [m] = await send(aliceTls.app, 'bob@example.test', secret);
    expect(await waitFinal(aliceTls.app, m!.id)).toMatchObject({ state: 'delivered', protection: { encrypted: true } });
    const atBob = await received(bob, secret);
    // a second Alice identity (another device, another key): the loud changed-certificate state, never trusted silently
    expect(atBob.protection).toMatchObject({ encrypted: true, signature: 'verified', trust: 'changed', warning: true });
    expect(atBob.protection?.summary).toContain('NEW certificate');
    sizes['tls alice→bob'] = wireSize(await sentMessage(aliceTls, secret));
  }, 60_000);

  it('UDP: Carol (registered over UDP) receives the large protected request from Kamailio; her protected reply (over 1300 bytes) goes to the same proxy over TCP (RFC 3261 §18.1.1), never fragmented', async () => {
    const secret = `udp secret for carol ${String(Date.now())}`;
    const [m] = await send(alice.app, 'carol@example.test', secret);
    expect(await waitFinal(alice.app, m!.id)).toMatchObject({ state: 'delivered' });
    expect((await received(carol, secret)).protection).toMatchObject({ encrypted: true, signature: 'verified' });
    const reply = `carol reply over tcp ${String(Date.now())}`;
    const [r] = await send(carol.app, 'alice@example.test', reply);
    expect(await waitFinal(carol.app, r!.id)).toMatchObject({ state: 'delivered', protection: { encrypted: true } });
    expect((await received(alice, reply)).protection).toMatchObject({ encrypted: true, signature: 'verified' });
    const trace = await carol.app.call('diagnostics:list-trace', { accountId: carol.account.id, callId: null, limit: 5000 });
    const sent = trace.filter((t) => t.direction === 'sent' && t.summary === 'MESSAGE');
    expect(sent.length).toBeGreaterThan(0);
    // every MESSAGE carol sent went over TCP (Via and transport), none as a UDP datagram
    for (const t of sent) {
      expect(t.transport.toLowerCase()).toBe('tcp');
      expect(headerValue(t.text, 'Via', 'v')).toMatch(/^SIP\/2\.0\/TCP /);
    }
    sizes['udp account carol→alice over TCP'] = wireSize(sent[sent.length - 1]!.text);
    expect(sizes['udp account carol→alice over TCP']).toBeGreaterThan(1300);
  }, 60_000);

  it('UDP pinned (proxy transport=udp): the protected message is refused before sending with its real size and a clear reason', async () => {
    const secrets = createTestSecretStore();
    const app = await startApp({ secrets });
    try {
      const input = accountInput({ user: 'carol', sipPort, transport: 'udp' });
      const account = await app.call('accounts:save', { ...input, outboundProxy: `${input.outboundProxy ?? ''};transport=udp` });
      await waitRegistered(app, account.id);
      await app.call('security:generate-identity', { accountId: account.id, kind: 'rsa-2048' });
      const [m] = await send(app, 'alice@example.test', 'pinned to udp');
      const failed = await waitFinal(app, m!.id);
      expect(failed.state).toBe('failed');
      expect(failed.reason).toMatch(/^not sent: \d+ bytes once protected, over the 1300-byte UDP limit/);
      const bytes = Number(/not sent: (\d+) bytes/.exec(failed.reason ?? '')?.[1]);
      expect(bytes).toBeGreaterThan(1300);
      sizes['udp pinned carol→alice (refused)'] = bytes;
      // nothing went out, in clear or otherwise
      const trace = await app.call('diagnostics:list-trace', { accountId: account.id, callId: null, limit: 5000 });
      expect(trace.some((t) => t.direction === 'sent' && t.summary === 'MESSAGE')).toBe(false);
    } finally {
      await app.services.dispose();
    }
  }, 60_000);

  // Kamailio's msilo over db_text keeps the body as a C string: a binary CMS body (DER) was cut at its first
  // NUL octet. We send base64 (RFC 8551 §3.1.3, smime-transfer.ts), which msilo keeps whole; msilo does not keep
  // the Content-Transfer-Encoding header, and the receiver recognises the base64 body without it.
  it('msilo: Bob offline, the protected message is stored (202); when Bob registers it is replayed whole, decrypted and verified', async () => {
    await bob.app.services.dispose();
    const secret = `stored secret ${String(Date.now())}`;
    const [m] = await send(alice.app, 'bob@example.test', secret);
    expect(await waitFinal(alice.app, m!.id)).toMatchObject({ state: 'accepted', code: 202 });
    const sentText = await sentMessage(alice, secret);
    expect(headerValue(sentText, 'Content-Transfer-Encoding')).toBe('base64');
    const sentBody = Number(headerValue(sentText, 'Content-Length', 'l'));
    bob = await peer('bob', 'tcp', bob); // same data folder and keychain: same identity
    const atBob = await received(bob, secret);
    expect(atBob.protection).toMatchObject({ encrypted: true, signature: 'verified', warning: false });
    expect(atBob.protection?.summary).toBe('signed by alice@example.test ✓ verified · encrypted');
    const trace = await bob.app.call('diagnostics:list-trace', { accountId: bob.account.id, callId: null, limit: 5000 });
    const arrived = trace.find((t) => t.direction === 'received' && t.summary === 'MESSAGE' && t.text.includes('pkcs7-mime'));
    sizes['msilo stored+replayed body (sent)'] = sentBody;
    sizes['msilo stored+replayed body (received)'] = Number(headerValue(arrived?.text ?? '', 'Content-Length', 'l'));
    expect(sizes['msilo stored+replayed body (received)']).toBeGreaterThanOrEqual(sentBody);
    expect((await bob.app.call('security:list-diagnostics', null)).some((d) => d.event === 'smime-rejected')).toBe(false);
  }, 60_000);

  it('the wire (tshark) holds no clear text; a captured UDP MESSAGE replayed to Carol is refused with 400 and recorded', async () => {
    const pcap = await capture.stop();
    expect(pcap.length).toBeGreaterThan(1000);
    expect(pcap.includes('application/pkcs7-mime')).toBe(true);
    for (const clear of ['tcp secret for bob', 'tcp reply to alice', 'udp secret for carol', 'carol reply over tcp', 'stored secret', 'verified now']) {
      expect(pcap.includes(clear), clear).toBe(false);
    }
    const datagrams = await capture.udpPayloads();
    // Kamailio forwards to carol's registered Contact (its user part is her unguessable token), so find her in To
    const toCarol = datagrams.find((d) => {
      const text = d.payload.toString('latin1');
      return text.startsWith('MESSAGE sip:') && /\r\n(To|t)[ \t]*:[^\r\n]*sip:carol@example\.test/i.test(text.slice(0, text.indexOf('\r\n\r\n')));
    });
    if (!toCarol) throw new Error('no MESSAGE to carol in the capture');
    sizes['udp kamailio→carol datagram'] = toCarol.payload.length;
    const attacker = createSocket('udp4');
    await new Promise<void>((resolve) => attacker.bind(0, '127.0.0.1', () => resolve()));
    // a new branch (RFC 3261 §17.2.3): not a retransmission the server transaction would absorb, but a replay
    // and a new Call-ID (§8.2.2.2: the same From tag/Call-ID/CSeq would be a merged request, 482): neither is signed
    const replayed = Buffer.from(
      toCarol.payload.toString('latin1').replace('branch=z9hG4bK', 'branch=z9hG4bKreplay').replace(/\r\nCall-ID: /i, '\r\nCall-ID: replay-'),
      'latin1',
    );
    await new Promise<void>((resolve, reject) => attacker.send(replayed, toCarol.dst, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    attacker.close();
    let answer: string | undefined;
    await waitFor(() => {
      void carol.app.call('diagnostics:list-trace', { accountId: carol.account.id, callId: null, limit: 5000 }).then((t) => {
        answer = t.find((e) => e.direction === 'sent' && e.summary.startsWith('400'))?.summary;
      });
      return answer !== undefined;
    }, 'carol answered 400', 15_000).catch(async (e: unknown) => {
      const t = await carol.app.call('diagnostics:list-trace', { accountId: carol.account.id, callId: null, limit: 5000 });
      console.info('CAROLTRACE', t.slice(-6).map((x) => `${x.direction} ${x.remote} ${x.summary} ${x.text.slice(0, 300)}`).join('\n----\n'));
      console.info('REPLAYED', replayed.subarray(0, 400).toString('latin1'), 'to', toCarol.dst);
      throw e;
    });
    expect(answer).toBe('400 Replayed Protected Message');
    const diagnostics = await carol.app.call('security:list-diagnostics', null);
    expect(diagnostics.some((d) => d.event === 'smime-replay' && d.detail.includes('Replayed Protected Message'))).toBe(true);
    // still one message at Carol
    expect(carol.app.of('chats:message-received').filter((m) => m.body.startsWith('udp secret for carol'))).toHaveLength(1);
  }, 60_000);
});
