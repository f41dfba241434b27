/**
 * The PagerSender's size estimate (RFC 3428 §8 is checked against it): it MUST NOT be below the request
 * the UA really sends, which carries every cached credential pre-emptively (RFC 3261 §22.3): a
 * Proxy-Authorization and, for the registrar's domain, the REGISTER's Authorization too. The real-peer
 * proof (test/integration/messaging-size.test.ts) caught a 1408-byte "≤ 1300" part that the UA then moved
 * to TCP (§18.1.1) because the old estimate counted one credentials header only.
 */
import { describe, expect, it } from 'vitest';
import { serializeMessage } from '../../../main/sip/message/index.ts';
import type { PagerRequest } from '../../../main/services/chats/pager.ts';
import { createPagerSender } from '../../../main/services/sip-stack-pager.ts';
import type { AccountId } from '#shared/domain/ids.ts';
import { flush, lastRequest, makeKit, PROXY_CHALLENGE, reply, sentRequests, WWW_CHALLENGE } from '../sip/ua/user-agent-kit.ts';

const request = (text: string): PagerRequest => ({
  accountId: 'acc-1' as AccountId,
  target: 'sip:bob@example.test',
  body: Buffer.from(text),
  contentType: 'text/plain;charset=UTF-8',
  expiresSeconds: null,
  date: new Date(1_700_000_000_000),
  dialog: null,
});

describe('PagerSender.estimateRequestSize (RFC 3428 §8, RFC 3261 §22.3)', () => {
  it('MUST cover a request that carries cached Proxy-Authorization and Authorization, without being far off', async () => {
    const kit = makeKit();
    const pager = createPagerSender(() => kit.ua);
    // learn a proxy realm (407) and a WWW realm for example.test (401), as after REGISTER + first MESSAGE
    const first = pager.send(request('one'));
    await flush();
    reply(kit.loop, lastRequest(kit.loop, 'MESSAGE'), 407, [PROXY_CHALLENGE]);
    await flush();
    reply(kit.loop, lastRequest(kit.loop, 'MESSAGE'), 401, [WWW_CHALLENGE]);
    await flush();
    reply(kit.loop, lastRequest(kit.loop, 'MESSAGE'), 200);
    expect(await first).toMatchObject({ kind: 'response', status: 200 });

    const text = 'x'.repeat(700);
    const estimate = pager.estimateRequestSize?.(request(text)) ?? 0;
    const before = sentRequests(kit.loop, 'MESSAGE').length;
    const third = pager.send(request(text));
    await flush();
    const sent = sentRequests(kit.loop, 'MESSAGE');
    expect(sent).toHaveLength(before + 1);
    const wire = serializeMessage(lastRequest(kit.loop, 'MESSAGE').message);
    expect(wire.toString()).toMatch(/\r\nProxy-Authorization: Digest /);
    expect(wire.toString()).toMatch(/\r\nAuthorization: Digest /);
    expect(estimate).toBeGreaterThanOrEqual(wire.length);
    expect(estimate - wire.length).toBeLessThan(250);
    reply(kit.loop, lastRequest(kit.loop, 'MESSAGE'), 200);
    await third;
  });

  it('with nothing cached yet it MUST still count a likely Proxy-Authorization (most PBXs answer 407)', () => {
    const kit = makeKit();
    const pager = createPagerSender(() => kit.ua);
    const r = request('y'.repeat(500));
    const estimate = pager.estimateRequestSize?.(r) ?? 0;
    expect(estimate).toBeGreaterThanOrEqual(r.body.length + 300 + 300);
  });
});
