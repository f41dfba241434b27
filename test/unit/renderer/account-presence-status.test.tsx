/**
 * Under each account: presence unsupported (489) in words, or, where the PBX does presence, whether it
 * keeps the user's Allow/Block choices (RFC 5025 pres-rules over XCAP) or could not.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { AccountId } from '#shared/domain/ids.ts';
import { eventHandlers } from '../../../renderer/src/bridge/events.ts';
import { accountPresenceWords } from '../../../renderer/src/features/settings/PrivacySettings.tsx';
import { appStore, resetStore } from '../../../renderer/src/store/store.ts';

const a = 'acc-1' as AccountId;
const words = () => accountPresenceWords(appStore.getState().presenceSupport[a]);

describe('the account\'s presence status in words', () => {
  beforeEach(() => resetStore());

  it('nothing while unknown or merely supported; the authorization words once known; the 489 summary', () => {
    const h = eventHandlers(() => appStore.getState());
    expect(words()).toBeNull();
    h['presence:account-changed']({ accountId: a, support: 'supported', summary: null });
    expect(words()).toBeNull();
    h['presence:account-changed']({ accountId: a, support: 'supported', summary: null, authorization: 'the PBX decides who sees your status, with your Allow/Block choices' });
    expect(words()).toBe('the PBX decides who sees your status, with your Allow/Block choices');
    const failed = 'your Allow/Block choices could not be stored on the PBX (the XCAP server answered 403); it may show your status to anyone who asks';
    h['presence:account-changed']({ accountId: a, support: 'supported', summary: null, authorization: failed });
    expect(words()).toBe(failed);
    h['presence:account-changed']({ accountId: a, support: 'unsupported', summary: 'presence is not supported by the PBX (489)' });
    expect(words()).toBe('presence is not supported by the PBX (489)');
  });
});
