import { describe, expect, it } from 'vitest';
import { unreadLabel } from '../../../main/app/badge.ts';
import { addressFromArgv, addressFromLink, isSafeExternalUrl } from '../../../main/app/links.ts';
import { CONTENT_SECURITY_POLICY } from '../../../main/app/security.ts';

describe('external links', () => {
  it('opens only http(s) and mailto through the OS', () => {
    expect(isSafeExternalUrl('https://www.rfc-editor.org/rfc/rfc3428')).toBe(true);
    expect(isSafeExternalUrl('http://pbx.example.com/')).toBe(true);
    expect(isSafeExternalUrl('mailto:ops@example.com')).toBe(true);
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'sip:bob@example.com', 'not a url', 'data:text/html,x']) {
      expect(isSafeExternalUrl(bad)).toBe(false);
    }
  });
});

describe('sip:, sips: and im: links (protocol handler)', () => {
  it('turns a link into the address to chat with', () => {
    expect(addressFromLink('sip:bob@example.com')).toBe('sip:bob@example.com');
    expect(addressFromLink('SIPS:bob@example.com;transport=tls')).toBe('sips:bob@example.com;transport=tls');
    expect(addressFromLink('im:alice@example.com')).toBe('im:alice@example.com');
    expect(addressFromLink('sip://bob@example.com')).toBe('sip:bob@example.com');
    expect(addressFromLink('sip:bob%40x@example.com?subject=hi')).toBe('sip:bob%40x@example.com');
  });
  it('refuses what is not an address of ours', () => {
    for (const bad of ['http://example.com', 'sip:', 'sip:example.com', 'im:<script>@x', '--flag', 'tel:+15551234']) {
      expect(addressFromLink(bad)).toBeNull();
    }
  });
  it('finds the link among second-instance arguments', () => {
    expect(addressFromArgv(['/usr/bin/app', '--no-sandbox', 'sip:carol@example.test'])).toBe('sip:carol@example.test');
    expect(addressFromArgv(['/usr/bin/app', '.'])).toBeNull();
  });
});

describe('tray badge', () => {
  it('shows the unread count', () => {
    expect(unreadLabel(0)).toEqual({ tooltip: 'SIP Messenger', badge: '' });
    expect(unreadLabel(1).tooltip).toBe('SIP Messenger — 1 unread message');
    expect(unreadLabel(3).badge).toBe('3');
    expect(unreadLabel(250).badge).toBe('99+');
  });
});

describe('content security policy', () => {
  it('allows only the app itself to run scripts', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });
});

describe('dev-only content security policy', () => {
  it('relaxes only script-src (Fast Refresh preamble) and the dev server socket', async () => {
    const { devContentSecurityPolicy } = await import('../../../main/app/security.ts');
    const dev = devContentSecurityPolicy('http://localhost:5173');
    expect(dev).toContain("script-src 'self' 'unsafe-inline'");
    expect(dev).toContain("connect-src 'self' ws://localhost:5173");
    expect(dev).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  });
});
