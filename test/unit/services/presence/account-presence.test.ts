/**
 * AccountPresence over a fake event agent on the fake clock: each NOTIFY of a contact's subscription
 * reaches the RFC 6665 subscription machine, not only the UI (Timer N, §4.1.2.4; terminated reasons, §4.1.3).
 */
import { describe, expect, it } from 'vitest';
import type { NotifyEvent } from '../../../../main/sip/event/event-agent.ts';
import type { SubscribeResponse, SubscriptionPort } from '../../../../main/sip/event/subscription.ts';
import { AccountPresence, type PeerState } from '../../../../main/services/presence/account-presence.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const BOB = 'sip:bob@example.test';
const PIDF = Buffer.from('<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:bob@example.test"><tuple id="t"><status><basic>open</basic></status></tuple></presence>');
const ok: SubscribeResponse = { status: 200, expires: 3600, minExpires: null, retryAfter: null };

function rig() {
  const clock = new FakeClock(0);
  const calls: string[] = [];
  let notify: ((e: NotifyEvent) => void) | null = null;
  const port: SubscriptionPort = {
    subscribe: async () => (calls.push('subscribe'), ok),
    refresh: async (expires) => (calls.push(`refresh ${String(expires)}`), ok),
    drop: () => void calls.push('drop'),
  };
  const seen: PeerState[] = [];
  const presence = new AccountPresence({
    clock,
    agent: {
      publish: async () => ({ status: 200, etag: 'e', expires: 3600, minExpires: null, retryAfter: null }),
      subscriptionPort: (_target, onNotify) => ((notify = onNotify), port),
    },
    onPeer: (_peer, s) => seen.push(s),
    onUnsupported: () => undefined,
    onSupported: () => undefined,
  });
  const settle = () => new Promise((r) => setImmediate(r));
  const deliver = (state: NotifyEvent['state'], body: Buffer | null) => notify?.({ state, body });
  return { clock, calls, seen, presence, settle, deliver };
}

describe('AccountPresence: NOTIFYs drive the subscription (RFC 6665)', () => {
  it('a NOTIFY after the 2xx MUST stop Timer N: the dialog is kept, refreshed before expiry, not dropped after 32 s', async () => {
    const r = rig();
    r.presence.watch([BOB]);
    await r.settle();
    r.deliver({ state: 'active', expires: 3600, reason: null, retryAfter: null }, PIDF);
    expect(r.seen.at(-1)).toMatchObject({ availability: 'available', subscription: 'active' });
    r.clock.advance(120_000);
    await r.settle();
    // without it: Timer N fired at 32 s, dropped the dialog, and subscribed anew after a 30 s back-off
    expect(r.calls).toEqual(['subscribe']);
    r.clock.advance(3_600_000);
    await r.settle();
    expect(r.calls.filter((c) => c === 'subscribe')).toHaveLength(1);
    expect(r.calls).toContain('refresh 3600');
  });

  it('terminated;reason=deactivated MUST make a new subscription at once (§4.1.3)', async () => {
    const r = rig();
    r.presence.watch([BOB]);
    await r.settle();
    r.deliver({ state: 'active', expires: 3600, reason: null, retryAfter: null }, PIDF);
    r.deliver({ state: 'terminated', expires: null, reason: 'deactivated', retryAfter: null }, null);
    r.clock.advance(0);
    await r.settle();
    expect(r.calls.filter((c) => c === 'subscribe')).toHaveLength(2);
  });
});
