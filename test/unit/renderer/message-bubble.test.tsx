import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MessageBubble } from '../../../renderer/src/components/MessageBubble.tsx';
import { message } from './fixtures.ts';

describe('MessageBubble renders the body as text, never as HTML', () => {
  it('an HTML body is escaped (no element, no event handler attribute)', () => {
    const body = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const html = renderToStaticMarkup(createElement(MessageBubble, { message: message('m1', 1, { body }) }));
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
  });

  it('a failed outgoing message shows its reason as tooltip and offers retry and delete', () => {
    const m = message('m1', 1, { direction: 'out', state: 'failed', code: 408, reason: 'no answer' });
    const html = renderToStaticMarkup(createElement(MessageBubble, { message: m, onRetry: () => {}, onDelete: () => {} }));
    expect(html).toContain('title="failed: no answer (408)"');
    expect(html).toContain('aria-label="Retry sending"');
    expect(html).toContain('aria-label="Delete message"');
  });

  it('a delivered message has no retry', () => {
    const m = message('m1', 1, { direction: 'out', state: 'delivered', code: 200 });
    const html = renderToStaticMarkup(createElement(MessageBubble, { message: m, onRetry: () => {} }));
    expect(html).toContain('title="delivered to the device"');
    expect(html).not.toContain('Retry');
  });
});
