/**
 * PresenceService and the PBX's watcher authorization (RFC 3857 winfo, RFC 5025 pres-rules over XCAP),
 * over a fake agent on the fake clock: the user's decisions go to the PBX only where the PBX gives us
 * watcher information; where it answers the winfo SUBSCRIBE 489 (it relays SUBSCRIBEs to our own UA,
 * which authorizes), nothing is sent and nothing is claimed.
 */
import { describe, expect, it } from 'vitest';
import type { AccountId } from '#shared/domain/ids.ts';
import type { NotifyEvent } from '../../../../main/sip/event/event-agent.ts';
import type { SubscribeResponse, SubscriptionPort } from '../../../../main/sip/event/subscription.ts';
import type { PresenceAgent } from '../../../../main/services/presence/account-presence.ts';
import { PresenceService } from '../../../../main/services/presence/presence-service.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const ACCOUNT = 'acc-1' as AccountId;
const WINFO = Buffer.from('<watcherinfo xmlns="urn:ietf:params:xml:ns:watcherinfo" version="0" state="full"><watcher-list resource="sip:alice@example.test" package="presence"/></watcherinfo>');

function rig(winfoStatus: number) {
  const clock = new FakeClock(0);
  const events: [string, unknown][] = [];
  let xcapAsked = 0;
  let winfoNotify: ((e: NotifyEvent) => void) | null = null;
  const port = (status: number): SubscriptionPort => ({
    subscribe: async (): Promise<SubscribeResponse> => ({ status, expires: 3600, minExpires: null, retryAfter: null }),
    refresh: async () => ({ status: 200, expires: 3600, minExpires: null, retryAfter: null }),
    drop: () => undefined,
  });
  const agent: PresenceAgent = {
    publish: async () => ({ status: 200, etag: 'e1', expires: 3600, minExpires: null, retryAfter: null }),
    subscriptionPort: () => port(200),
    winfoPort: (onNotify) => ((winfoNotify = onNotify), port(winfoStatus)),
    xcapAccess: async () => (xcapAsked++, null),
  };
  const service = new PresenceService({
    clock,
    emit: ((name: string, payload: unknown) => void events.push([name, payload])) as never,
    aorOf: () => 'sip:alice@example.test',
    agentOf: () => agent,
    contacts: async () => [],
    sharesPresence: () => true,
    presRules: () => ({ allow: ['sip:bob@example.test'], block: [] }),
  });
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  return { service, events, settle, xcap: () => xcapAsked, notifyWinfo: () => winfoNotify?.({ state: { state: 'active', expires: 3600, reason: null, retryAfter: null }, body: WINFO }) };
}

describe('PresenceService: pres-rules go to the PBX only where it keeps watcher information', () => {
  it('winfo active: the rules are sent then, and again when the decisions change', async () => {
    const r = rig(200);
    r.service.registrationChanged(ACCOUNT, true);
    await r.settle();
    r.notifyWinfo();
    await r.settle();
    expect(r.xcap()).toBe(1);
    r.service.presRulesChanged();
    await r.settle();
    expect(r.xcap()).toBe(2);
  });

  it('winfo answered 489 (our own UA is the notifier): a decision sends nothing to the PBX', async () => {
    const r = rig(489);
    r.service.registrationChanged(ACCOUNT, true);
    await r.settle();
    r.service.presRulesChanged();
    await r.settle();
    expect(r.xcap()).toBe(0);
    expect(r.events.filter(([n]) => n === 'presence:account-changed').map(([, p]) => p)).toEqual([{ accountId: ACCOUNT, support: 'supported', summary: null }]);
  });
});
