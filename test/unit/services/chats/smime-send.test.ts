import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountId } from '#shared/domain/ids.ts';
import type { PagerRequest } from '../../../../main/services/chats/pager.ts';
import { decodeTransfer } from '../../../../main/security/smime-transfer.ts';
import { afterUnsupported, effectiveProtection, protectPagerRequest } from '../../../../main/services/chats/smime-send.ts';
import { generateIdentity, type Identity } from '../../../../main/security/certificate.ts';
import { openProtectedMessage } from '../../../../main/security/smime-message.ts';

let alice: Identity;
let bob: Identity;
beforeAll(async () => {
  [alice, bob] = await Promise.all([generateIdentity('sip:alice@example.test'), generateIdentity('sip:bob@example.test')]);
}, 30_000);

describe('S/MIME sending policy', () => {
  it('defaults to sign+encrypt only with the peer certificate and S/MIME enabled', () => {
    const none = { setting: null, required: false };
    expect(effectiveProtection(none, true, true)).toBe('sign+encrypt');
    expect(effectiveProtection(none, true, false)).toBe('sign');
    expect(effectiveProtection(none, false, true)).toBe('off');
    expect(effectiveProtection({ setting: 'off', required: false }, true, true)).toBe('off');
    expect(effectiveProtection({ setting: 'sign', required: false }, true, true)).toBe('sign');
  });

  it('415: falls back to clear text only when not required', () => {
    expect(afterUnsupported('sign+encrypt', { setting: null, required: false }, ['text/plain'])).toEqual({ retryWith: 'off' });
    expect(afterUnsupported('sign+encrypt', { setting: 'sign+encrypt', required: true }, ['text/plain'])).toHaveProperty('fail');
    expect(afterUnsupported('sign', { setting: 'sign', required: false }, ['application/pkcs7-mime'])).toHaveProperty('fail');
  });

  it('the protected request carries the real (grown) size and opens to the same text with the Date signed', async () => {
    const request: PagerRequest = {
      accountId: 'a' as AccountId,
      target: 'sip:bob@example.test',
      body: Buffer.from('hello Bob'),
      contentType: 'text/plain;charset=UTF-8',
      expiresSeconds: null,
      date: new Date('2026-12-06T15:00:00Z'),
      dialog: null,
    };
    const p = await protectPagerRequest(request, 'sign+encrypt', alice, bob.certificate, 'm1@alice');
    expect(p.contentDisposition).toBe('attachment;handling=required;filename=smime.p7m');
    // RFC 8551 §3.1.3: base64 in 76-character lines, no NUL for a store-and-forward server to cut at
    expect(p.contentTransferEncoding).toBe('base64');
    expect(p.body.includes(0)).toBe(false);
    expect(p.body.toString('latin1').split('\r\n').every((l) => l.length <= 76 && /^[A-Za-z0-9+/=]+$/.test(l))).toBe(true);
    expect(p.body.length).toBeGreaterThan(request.body.length * 50); // two certificates' worth of CMS
    expect(p.body.includes('hello Bob')).toBe(false);
    const o = await openProtectedMessage(decodeTransfer(p.body, p.contentTransferEncoding), p.contentType, 'sip:alice@example.test', bob);
    expect(o.signature).toBe('verified');
    expect(o.inner?.date.toISOString()).toBe('2026-12-06T15:00:00.000Z');
    expect(Buffer.from(o.inner?.body ?? []).toString()).toBe('hello Bob');
  });
});
