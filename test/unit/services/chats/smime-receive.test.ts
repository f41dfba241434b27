import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncomingCommitter } from '../../../../main/services/chats/incoming-commit.ts';
import type { IncomingPagerMessage } from '../../../../main/services/chats/pager.ts';
import { receiveMessage, type ReceiveDeps } from '../../../../main/services/chats/receive.ts';
import { describeProtection, type MessageProtection } from '../../../../main/services/chats/smime-receive.ts';
import { generateIdentity, type Identity } from '../../../../main/security/certificate.ts';
import { ReplayGuard } from '../../../../main/security/replay-guard.ts';
import { protectMessage } from '../../../../main/security/smime-message.ts';
import { encodeTransfer } from '../../../../main/security/smime-transfer.ts';
import { TrustStore } from '../../../../main/security/trust-store.ts';
import { openStorage, type Storage } from '../../../../main/storage/storage.ts';
import { setup } from './harness.ts';

const NOW = Date.parse('2026-12-06T15:00:00Z');
const BOB = 'sip:bob@example.test';
let bob: Identity;
let alice: Identity;
let eve: Identity;
let storage: Storage;

beforeAll(async () => {
  [bob, alice, eve] = await Promise.all([generateIdentity(BOB), generateIdentity('sip:alice@example.test'), generateIdentity('sip:eve@evil.test')]);
  storage = await openStorage(':memory:');
}, 30_000);
afterAll(() => storage.close());

let seq = 0;
async function smimeFrom(sender: Identity, text: string, opts: { date?: Date; messageId?: string; encrypt?: boolean } = {}): Promise<IncomingPagerMessage> {
  seq++;
  const p = await protectMessage(
    { contentType: 'text/plain;charset=UTF-8', date: opts.date ?? new Date(NOW), messageId: opts.messageId ?? `m${String(seq)}@bob`, body: Buffer.from(text) },
    opts.encrypt === false ? 'sign' : 'sign+encrypt',
    sender,
    alice.certificate,
  );
  return { from: `"Bob" <${BOB}>`, fromDisplayName: 'Bob', contentType: p.contentType, body: Buffer.from(p.body), callId: `c${String(seq)}`, cseq: 1, date: null, expiresSeconds: null, dialog: null };
}

async function harness() {
  const s = await setup(storage, { now: NOW });
  const diagnostics: { event: string; detail: Record<string, unknown> }[] = [];
  const protections: MessageProtection[] = [];
  const trust = new TrustStore(() => NOW);
  const deps: ReceiveDeps = {
    commit: new IncomingCommitter({ store: (items) => storage.storeIncomingBatch(items), now: () => NOW }),
    emit: s.events.emit,
    now: () => NOW,
    onError: (m, e) => {
      throw new Error(`${m}: ${String(e)}`);
    },
    smime: {
      identity: () => Promise.resolve(alice),
      trust,
      replay: new ReplayGuard({ now: () => NOW }),
      diagnostics: (event, detail) => diagnostics.push({ event, detail }),
      onProtected: (_id, p) => protections.push(p),
    },
  };
  const bodies = () => s.events.of('chats:message-received').map((m) => m.body);
  return { s, deps, diagnostics, protections, trust, bodies };
}

describe('receiving S/MIME MESSAGEs (RFC 3428 §11.3)', () => {
  it('decrypts and verifies; TOFU then "verified" after the fingerprint check; text stored, never the CMS', async () => {
    const h = await harness();
    expect(await receiveMessage(h.deps, h.s.accountId, await smimeFrom(bob, 'top secret'))).toEqual({ status: 200 });
    expect(h.bodies()).toEqual(['top secret']);
    expect(h.protections[0]).toMatchObject({ encrypted: true, signature: 'verified', trust: 'first-use', signer: 'bob@example.test' });
    expect(describeProtection(h.protections[0]!)).toBe('signed by bob@example.test (not verified yet) · encrypted');
    h.trust.markVerified('bob@example.test', h.protections[0]!.fingerprint!);
    await receiveMessage(h.deps, h.s.accountId, await smimeFrom(bob, 'again'));
    expect(describeProtection(h.protections[1]!)).toBe('signed by bob@example.test ✓ verified · encrypted');
  });

  it('a replayed capture and a stale Date are answered 400 with a reason and recorded in diagnostics', async () => {
    const h = await harness();
    const m = await smimeFrom(bob, 'pay 100');
    expect(await receiveMessage(h.deps, h.s.accountId, m)).toEqual({ status: 200 });
    // the same bytes again under a new Call-ID (a capture replayed by someone on the path)
    expect(await receiveMessage(h.deps, h.s.accountId, { ...m, callId: 'replayed' })).toEqual({ status: 400, reason: 'Replayed Protected Message' });
    const old = await smimeFrom(bob, 'old', { date: new Date(NOW - 10 * 60_000) });
    expect(await receiveMessage(h.deps, h.s.accountId, old)).toMatchObject({ status: 400, reason: /Too Old/ });
    expect(h.diagnostics.filter((d) => d.event === 'smime-replay')).toHaveLength(2);
    expect(h.bodies()).toEqual(['pay 100']);
  });

  it('a message signed by someone else than From is kept and flagged; a changed certificate is announced', async () => {
    const h = await harness();
    await receiveMessage(h.deps, h.s.accountId, await smimeFrom(eve, 'I am Bob'));
    expect(h.protections[0]).toMatchObject({ signature: 'sender-mismatch', trust: null });
    expect(describeProtection(h.protections[0]!)).toMatch(/sender mismatch/);
    await receiveMessage(h.deps, h.s.accountId, await smimeFrom(bob, 'hi'));
    const bob2 = await generateIdentity(BOB);
    await receiveMessage(h.deps, h.s.accountId, await smimeFrom(bob2, 'new phone'));
    expect(h.protections[2]).toMatchObject({ signature: 'verified', trust: 'changed' });
    expect(describeProtection(h.protections[2]!)).toMatch(/NEW certificate/);
    expect(h.bodies()).toEqual(['I am Bob', 'hi', 'new phone']);
  });

  it('ChatService.receive takes the smime option: protected text stored, protection reported', async () => {
    const h = await harness();
    const s = await setup(storage, { now: NOW, smime: h.deps.smime });
    expect(await s.service.receive(s.accountId, await smimeFrom(bob, 'via the service'))).toEqual({ status: 200 });
    expect(s.events.of('chats:message-received').map((m) => m.body)).toEqual(['via the service']);
    expect(h.protections[0]).toMatchObject({ encrypted: true, signature: 'verified' });
  });

  it('a body we cannot decrypt is 493 Undecipherable; without S/MIME configured it stays 415', async () => {
    const h = await harness();
    const notForUs = await protectMessage({ contentType: 'text/plain', date: new Date(NOW), body: Buffer.from('x') }, 'sign+encrypt', bob, eve.certificate);
    const m = { ...(await smimeFrom(bob, 'x')), body: Buffer.from(notForUs.body) };
    expect(await receiveMessage(h.deps, h.s.accountId, m)).toEqual({ status: 493, reason: 'Undecipherable' });
    const { smime: _unused, ...plain } = h.deps;
    expect((await receiveMessage(plain, h.s.accountId, m)).status).toBe(415);
  });

  it('binary and base64 bodies are both accepted (RFC 8551 §3.1.3), also base64 whose header a store-and-forward server dropped', async () => {
    const h = await harness();
    const binary = await smimeFrom(bob, 'binary body');
    expect(await receiveMessage(h.deps, h.s.accountId, binary)).toEqual({ status: 200 });
    const b64 = await smimeFrom(bob, 'base64 body');
    const encoded = Buffer.from(encodeTransfer(b64.body));
    expect(await receiveMessage(h.deps, h.s.accountId, { ...b64, body: encoded, contentTransferEncoding: 'base64' })).toEqual({ status: 200 });
    const dropped = await smimeFrom(bob, 'header dropped by msilo');
    expect(await receiveMessage(h.deps, h.s.accountId, { ...dropped, body: Buffer.from(encodeTransfer(dropped.body)) })).toEqual({ status: 200 });
    expect(h.bodies()).toEqual(['binary body', 'base64 body', 'header dropped by msilo']);
    expect(h.protections.every((p) => p.signature === 'verified' && p.encrypted)).toBe(true);
    // a damaged base64 body, or an encoding we do not know, is refused with 400 and recorded, never shown
    const bad = await smimeFrom(bob, 'never shown');
    const cut = encoded.subarray(0, encoded.length - 3);
    expect(await receiveMessage(h.deps, h.s.accountId, { ...bad, body: cut, contentTransferEncoding: 'base64' })).toEqual({ status: 400, reason: 'Malformed S/MIME Body' });
    expect(await receiveMessage(h.deps, h.s.accountId, { ...bad, contentTransferEncoding: 'quoted-printable' })).toEqual({ status: 400, reason: 'Malformed S/MIME Body' });
    expect(h.diagnostics.filter((d) => d.event === 'smime-rejected')).toHaveLength(2);
    expect(h.bodies()).toHaveLength(3);
  });
});
