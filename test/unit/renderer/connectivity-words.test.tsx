/**
 * Issue 11 in the UI: an account's connectivity and a waiting message in words (never only a glyph or a
 * colour): offline with the cause, since when and the next try; "Will retry — <reason>" with Send now
 * and Cancel under a message the network lost.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ConnectivityDto } from '#shared/domain/connectivity.ts';
import type { EpochMs } from '#shared/domain/ids.ts';
import { MessageBubble } from '../../../renderer/src/components/MessageBubble.tsx';
import { deliveryWords } from '../../../renderer/src/components/DeliveryWords.tsx';
import { causeWords, connectivityView, conversationNotice, isWaiting, nextTryWords, queuedWords } from '../../../renderer/src/lib/connectivity.ts';
import { timeOfDay } from '../../../renderer/src/lib/format.ts';
import { accountId, message } from './fixtures.ts';

const NOW = Date.UTC(2026, 11, 6, 12, 3, 0);
const offline = (over: Partial<ConnectivityDto> = {}): ConnectivityDto => ({
  accountId,
  state: 'offline',
  cause: 'unreachable',
  reason: 'PBX unreachable over UDP (ICMP port unreachable: nothing listens on the PBX port)',
  since: (NOW - 5_000) as EpochMs,
  nextTryAt: (NOW + 8_000) as EpochMs,
  ...over,
});

describe('connectivity in words', () => {
  it('offline says the cause, since when, the full reason and the next try, and offers Try now', () => {
    const v = connectivityView(offline(), undefined, true, NOW);
    expect(v.text).toBe('offline — PBX unreachable');
    expect(v.tone).toBe('bad');
    expect(v.detail).toBe(
      `Offline since ${timeOfDay(NOW - 5_000)}: PBX unreachable over UDP (ICMP port unreachable: nothing listens on the PBX port) — next try at ${timeOfDay(NOW + 8_000)} (in 8 s).`,
    );
    expect(v.waiting).toBe(true);
    expect(v.canTryNow).toBe(true);
    expect(conversationNotice(v)).toBe(`${v.detail ?? ''} Messages you send wait here and go out when the PBX is back.`);
  });

  it('every cause has its own words', () => {
    const causes = ['dns', 'refused', 'unreachable', 'tls', 'no-answer', 'auth', 'connection-lost', 'rejected', 'server-error'] as const;
    const words = causes.map((c) => causeWords(c));
    expect(new Set(words).size).toBe(causes.length);
    for (const c of causes) expect(connectivityView(offline({ cause: c, reason: null }), undefined, true, NOW).text).toBe(`offline — ${causeWords(c)}`);
  });

  it('the next try counts down, then says it is trying; none planned says nothing', () => {
    expect(nextTryWords(NOW + 90_000, NOW)).toBe(`next try at ${timeOfDay(NOW + 90_000)} (in 90 s)`);
    expect(nextTryWords(NOW + 600_000, NOW)).toBe(`next try at ${timeOfDay(NOW + 600_000)} (in 10 min)`);
    expect(nextTryWords(NOW - 1, NOW)).toBe('trying again now');
    expect(nextTryWords(null, NOW)).toBeNull();
    expect(connectivityView(offline({ nextTryAt: null }), undefined, true, NOW).detail).toBe(
      `Offline since ${timeOfDay(NOW - 5_000)}: PBX unreachable over UDP (ICMP port unreachable: nothing listens on the PBX port).`,
    );
  });

  it('online has no notice; connecting says messages wait; a disabled account says so and offers no Try now', () => {
    const on = connectivityView({ ...offline(), state: 'online', cause: null, reason: null, nextTryAt: null }, undefined, true, NOW);
    expect(on).toMatchObject({ text: 'online', tone: 'ok', waiting: false });
    expect(conversationNotice(on)).toBeNull();
    const connecting = connectivityView({ ...offline(), state: 'connecting', cause: null, reason: null, nextTryAt: null }, undefined, true, NOW);
    expect(connecting.text).toBe('connecting…');
    expect(conversationNotice(connecting)).toMatch(/^Connecting to the PBX… Messages you send wait here/);
    const off = connectivityView(offline(), undefined, false, NOW);
    expect(off).toMatchObject({ text: 'disabled', canTryNow: false });
    expect(conversationNotice(off)).toBe('The account is turned off: nothing is sent or received.');
  });

  it('without a connectivity report the registration state is shown', () => {
    expect(connectivityView(undefined, { state: 'registered', until: 1 as EpochMs }, true, NOW)).toMatchObject({ text: 'online', waiting: false });
    expect(connectivityView(undefined, { state: 'failed', reason: 'forbidden', code: 403, retryAt: null }, true, NOW)).toMatchObject({
      text: 'failed: forbidden (403)',
      waiting: true,
    });
  });
});

describe('a message waiting in the outbox, in words', () => {
  const lost = message('m1', NOW, { direction: 'out', state: 'queued', reason: 'will retry — no answer from the PBX (408)' });
  const waiting = message('m2', NOW, { direction: 'out', state: 'queued', reason: 'waiting for the PBX — last tried 12:03, next try 12:04' });
  const fresh = message('m3', NOW, { direction: 'out', state: 'queued', reason: null });

  it('"Will retry — <reason>" for one the network lost, "Waiting to send: <reason>" otherwise', () => {
    expect(queuedWords(lost.reason)).toBe('Will retry — no answer from the PBX (408)');
    expect(deliveryWords(lost, NOW)).toBe('Will retry — no answer from the PBX (408)');
    expect(deliveryWords(waiting, NOW)).toBe('Waiting to send: waiting for the PBX — last tried 12:03, next try 12:04');
    expect(deliveryWords(fresh, NOW)).toBe('Waiting to send');
  });

  it('a waiting message offers Send now and Cancel in words; one about to go out and a sent one do not', () => {
    const html = renderToStaticMarkup(createElement(MessageBubble, { message: lost, onSendNow: () => {}, onCancel: () => {} }));
    expect(html).toContain('Will retry — no answer from the PBX (408)');
    expect(html).toContain('>Send now</button>');
    expect(html).toContain('aria-label="Cancel sending"');
    expect(html).toContain('role="status"');
    expect(isWaiting(fresh)).toBe(false);
    const freshHtml = renderToStaticMarkup(createElement(MessageBubble, { message: fresh, onSendNow: () => {}, onCancel: () => {} }));
    expect(freshHtml).not.toContain('Send now');
    const sent = message('m4', NOW, { direction: 'out', state: 'delivered', code: 200 });
    expect(renderToStaticMarkup(createElement(MessageBubble, { message: sent, onSendNow: () => {}, onCancel: () => {} }))).not.toContain('Cancel');
    const incoming = message('m5', NOW, { state: 'queued', reason: 'x' });
    expect(isWaiting(incoming)).toBe(false);
  });
});
