import { beforeEach, describe, expect, it } from 'vitest';
import { deliveryView } from '../../../renderer/src/lib/delivery.ts';
import { presenceWords } from '../../../renderer/src/components/PresenceBadge.tsx';
import { eventHandlers } from '../../../renderer/src/bridge/events.ts';
import { actions, appStore, resetStore } from '../../../renderer/src/store/store.ts';
import { presenceKey } from '../../../renderer/src/store/presence-slice.ts';
import type { AccountId } from '#shared/domain/ids.ts';

describe('receipt ticks (RFC 5438)', () => {
  it('✓ accepted by the server, ✓✓ delivered, filled ✓✓ read — each with words for the accessible label', () => {
    expect(deliveryView({ state: 'accepted', reason: null, code: 202, receipt: null })).toEqual({ icon: '✓', text: 'accepted by the server, not yet delivered', tone: 'warn' });
    expect(deliveryView({ state: 'delivered', reason: null, code: 200, receipt: null })).toEqual({ icon: '✓✓', text: 'delivered to the device', tone: 'ok' });
    // a 202 message whose delivery receipt came: delivered (code stays 202)
    expect(deliveryView({ state: 'delivered', reason: null, code: 202, receipt: 'delivered' }).text).toBe('delivered to the device');
    expect(deliveryView({ state: 'accepted', reason: null, code: 202, receipt: 'delivered' }).text).toBe('delivered to the device');
    expect(deliveryView({ state: 'delivered', reason: null, code: 200, receipt: 'read' })).toEqual({ icon: '✓✓', text: 'read', tone: 'read' });
    expect(deliveryView({ state: 'failed', reason: 'no such user (404)', code: 404, receipt: null }).tone).toBe('bad');
  });
});

describe('presence in the store (RFC 3856)', () => {
  beforeEach(() => resetStore());
  const a = 'acc-1' as AccountId;

  it('events land per account and peer; the snapshot replaces; words say the note', () => {
    const h = eventHandlers(() => appStore.getState());
    h['presence:peer-changed']({ accountId: a, peer: 'sip:bob@example.test', availability: 'busy', note: 'in a meeting', subscription: 'active' });
    expect(appStore.getState().peerPresence[presenceKey(a, 'sip:bob@example.test')]?.availability).toBe('busy');
    h['presence:account-changed']({ accountId: a, support: 'unsupported', summary: 'presence is not supported by the PBX (489)' });
    expect(appStore.getState().presenceSupport[a]?.support).toBe('unsupported');
    actions().presenceLoaded({ own: { mode: 'auto', note: '', availability: 'available' }, peers: [], accounts: [] });
    expect(appStore.getState().peerPresence).toEqual({});
    expect(presenceWords('in-call', null)).toBe('in a call');
    expect(presenceWords('away', 'back at 3')).toBe('away — back at 3');
  });
});
