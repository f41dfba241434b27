import { beforeAll, describe, expect, it } from 'vitest';
import { generateIdentity, type Identity } from '../../../main/security/certificate.ts';
import { ReplayGuard } from '../../../main/security/replay-guard.ts';
import { buildInnerEntity, OUTER_CONTENT_DISPOSITION, parseInnerEntity, smimeTypeOf } from '../../../main/security/smime-entity.ts';
import { openProtectedMessage, protectMessage, UnprotectError } from '../../../main/security/smime-message.ts';
import { TrustStore } from '../../../main/security/trust-store.ts';

const enc = new TextEncoder();
const ALICE = 'sip:alice@pbx.example.com';
const BOB = 'sip:bob@pbx.example.com';
const date = new Date('2026-12-06T15:00:00Z');
let alice: Identity;
let bob: Identity;
let mallory: Identity;

beforeAll(async () => {
  [alice, bob, mallory] = await Promise.all([generateIdentity(ALICE), generateIdentity(BOB), generateIdentity('sip:mallory@evil.example')]);
}, 30_000);

describe('inner entity', () => {
  it('carries Date and Message-ID and round-trips the body bytes', () => {
    const bytes = buildInnerEntity({ contentType: 'text/plain;charset=UTF-8', date, messageId: 'm1@alice', body: enc.encode('hi\r\n\r\nthere') });
    const e = parseInnerEntity(bytes);
    expect(e.date.getTime()).toBe(date.getTime());
    expect(e.messageId).toBe('m1@alice');
    expect(new TextDecoder().decode(e.body)).toBe('hi\r\n\r\nthere');
    expect(() => parseInnerEntity(enc.encode('Content-Type: text/plain\r\n\r\nno date'))).toThrow(/Date/);
    expect(() => buildInnerEntity({ contentType: 'text/plain\r\nX: y', date, body: new Uint8Array() })).toThrow();
  });

  it('reads the outer smime-type', () => {
    expect(smimeTypeOf('application/pkcs7-mime; smime-type="enveloped-data"; name=smime.p7m')).toBe('enveloped-data');
    expect(smimeTypeOf('text/plain')).toBeNull();
    expect(OUTER_CONTENT_DISPOSITION).toContain('handling=required');
  });
});

describe('protect → open', () => {
  const inner = { contentType: 'text/plain;charset=UTF-8', date, messageId: 'abc@alice', body: enc.encode('the secret') };

  it('sign+encrypt: bob decrypts and verifies alice; the wire holds no clear text; alice can read her own copy', async () => {
    const p = await protectMessage(inner, 'sign+encrypt', alice, bob.certificate);
    expect(p.contentType).toContain('smime-type=enveloped-data');
    expect(Buffer.from(p.body).includes('the secret')).toBe(false);
    const o = await openProtectedMessage(p.body, p.contentType, `"Alice" <${ALICE}>`, bob);
    expect(o).toMatchObject({ encrypted: true, signature: 'verified' });
    expect(new TextDecoder().decode(o.inner?.body)).toBe('the secret');
    expect(o.inner?.messageId).toBe('abc@alice');
    expect((await openProtectedMessage(p.body, p.contentType, ALICE, alice)).signature).toBe('verified');
  });

  it('sign only: verified; signer ≠ From is a sender mismatch; tampered content is kept but invalid', async () => {
    const p = await protectMessage(inner, 'sign', alice);
    expect((await openProtectedMessage(p.body, p.contentType, ALICE, bob)).signature).toBe('verified');
    expect((await openProtectedMessage(p.body, p.contentType, BOB, bob)).signature).toBe('sender-mismatch');
    const t = p.body.slice();
    const at = Buffer.from(t).indexOf('secret');
    t[at] = 0x53; // 's' → 'S'
    const o = await openProtectedMessage(t, p.contentType, ALICE, bob);
    expect(o.signature).toBe('invalid');
    expect(new TextDecoder().decode(o.inner?.body)).toBe('the Secret');
  });

  it('a message not for us is undecipherable (493), garbage is 400, a non-S/MIME type is 415', async () => {
    const p = await protectMessage(inner, 'sign+encrypt', alice, bob.certificate);
    await expect(openProtectedMessage(p.body, p.contentType, ALICE, mallory)).rejects.toMatchObject({ status: 493 });
    await expect(openProtectedMessage(enc.encode('garbage'), 'application/pkcs7-mime;smime-type=signed-data', ALICE, bob)).rejects.toBeInstanceOf(UnprotectError);
    await expect(openProtectedMessage(p.body, 'text/plain', ALICE, bob)).rejects.toMatchObject({ status: 415 });
  });
});

describe('replay guard', () => {
  it('rejects dates outside ±5 min (+Expires) and anything seen twice, bounded, surviving a restart', () => {
    let now = date.getTime();
    const g = new ReplayGuard({ now: () => now, maxEntries: 3 });
    const base = { signer: 'fp', date, digest: 'd1', messageId: 'm1' };
    expect(g.check(base)).toEqual({ ok: true });
    expect(g.check(base)).toMatchObject({ ok: false, status: 400, reason: 'Replayed Protected Message' });
    expect(g.check({ ...base, messageId: 'm2', date: new Date(now + 6 * 60_000) })).toMatchObject({ ok: false, reason: /Future/ });
    expect(g.check({ ...base, messageId: 'm3', date: new Date(now - 6 * 60_000) })).toMatchObject({ ok: false, reason: /Too Old/ });
    expect(g.check({ ...base, messageId: 'm3', date: new Date(now - 6 * 60_000), expires: 120 })).toEqual({ ok: true });
    const without = { signer: 'fp', date, digest: 'd9' };
    expect(g.check(without)).toEqual({ ok: true });
    expect(g.check(without)).toMatchObject({ ok: false });
    for (let i = 0; i < 10; i++) g.check({ ...base, messageId: `x${i}` });
    expect(g.size).toBeLessThanOrEqual(3);
    const restarted = new ReplayGuard({ now: () => now, maxEntries: 3 });
    restarted.restore(JSON.parse(JSON.stringify(g.snapshot())));
    expect(restarted.check({ ...base, messageId: 'x9' })).toMatchObject({ ok: false, reason: 'Replayed Protected Message' });
    now += 60_000;
  });
});

describe('trust store', () => {
  it('TOFU, verification by fingerprint, loud change until accepted', () => {
    const s = new TrustStore(() => 1);
    const a1 = new Uint8Array([1]);
    const a2 = new Uint8Array([2]);
    expect(s.observe('alice@pbx', a1, 'f1')).toBe('first-use');
    expect(s.observe('alice@pbx', a1, 'f1')).toBe('unverified');
    expect(s.markVerified('alice@pbx', 'wrong')).toBe(false);
    expect(s.markVerified('alice@pbx', 'f1')).toBe(true);
    expect(s.observe('alice@pbx', a1, 'f1')).toBe('verified');
    expect(s.observe('alice@pbx', a2, 'f2')).toBe('changed');
    expect(s.certificateFor('alice@pbx')).toBe(a1); // never encrypt to an unaccepted certificate
    expect(s.acceptChange('alice@pbx')).toBe(true);
    expect(s.observe('alice@pbx', a2, 'f2')).toBe('unverified');
    const t = new TrustStore();
    t.load(s.records());
    expect(t.get('alice@pbx')?.fingerprint).toBe('f2');
  });
});
