import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { MessageProtectionDto } from '#shared/domain/security.ts';
import { MessageBubble } from '../../../renderer/src/components/MessageBubble.tsx';
import { message } from './fixtures.ts';

const base: MessageProtectionDto = { encrypted: true, signature: 'verified', trust: 'verified', signer: 'sip:bob@x', fingerprint: null, summary: 'signed by bob@x ✓ verified · encrypted', warning: false };

describe('MessageBubble protection state (RFC 3428 §11.3)', () => {
  it('a verified message shows its plain words, not as an alert', () => {
    const html = renderToStaticMarkup(createElement(MessageBubble, { message: message('m1', 1, { protection: base }) }));
    expect(html).toContain('signed by bob@x ✓ verified · encrypted');
    expect(html).not.toContain('role="alert"');
  });

  it('a tampered or mismatched message is flagged as an alert, never as trusted', () => {
    const bad = { ...base, signature: 'invalid' as const, trust: null, summary: 'signature invalid: the message was altered · encrypted', warning: true };
    const html = renderToStaticMarkup(createElement(MessageBubble, { message: message('m1', 1, { protection: bad }) }));
    expect(html).toContain('role="alert"');
    expect(html).toContain('⚠ signature invalid');
    expect(html).not.toContain('🔒');
  });

  it('a clear-text message has no protection line', () => {
    expect(renderToStaticMarkup(createElement(MessageBubble, { message: message('m1', 1) }))).not.toContain('bubble-protection');
  });
});
