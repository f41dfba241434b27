import { describe, expect, it } from 'vitest';
import { connectivityChanged, connectivityOf } from '../../../main/services/connectivity.ts';
import type { AccountId } from '#shared/domain/ids.ts';

const A = 'acc-1' as AccountId;

describe('connectivity from the registration state (issue 11)', () => {
  it('registered = online, registering = connecting, failed = offline with cause, reason and next try', () => {
    expect(connectivityOf(A, { state: 'registered', until: 9 }, null, 100)).toEqual({
      accountId: A, state: 'online', cause: null, reason: null, since: 100, nextTryAt: null,
    });
    expect(connectivityOf(A, { state: 'registering' }, null, 100)).toMatchObject({ state: 'connecting', cause: null });
    expect(
      connectivityOf(A, { state: 'failed', code: null, reason: 'PBX unreachable over UDP (ICMP port unreachable)', retryAt: 4_100, cause: 'unreachable' }, null, 100),
    ).toEqual({ accountId: A, state: 'offline', cause: 'unreachable', reason: 'PBX unreachable over UDP (ICMP port unreachable)', since: 100, nextTryAt: 4_100 });
    expect(connectivityOf(A, { state: 'unregistered' }, null, 100)).toMatchObject({ state: 'offline', cause: 'disabled' });
  });

  it('keeps `since` while offline for the same cause across new tries, and starts it anew on a change', () => {
    const first = connectivityOf(A, { state: 'failed', code: null, reason: 'r', retryAt: 10, cause: 'refused' }, null, 100);
    const again = connectivityOf(A, { state: 'failed', code: null, reason: 'r', retryAt: 20, cause: 'refused' }, first, 200);
    expect(again.since).toBe(100);
    expect(connectivityChanged(first, again)).toBe(true);
    expect(connectivityChanged(again, connectivityOf(A, { state: 'failed', code: null, reason: 'r', retryAt: 20, cause: 'refused' }, again, 300))).toBe(false);
    const other = connectivityOf(A, { state: 'failed', code: 408, reason: 'x', retryAt: 30, cause: 'no-answer' }, again, 300);
    expect(other.since).toBe(300);
    expect(connectivityOf(A, { state: 'registered', until: 1 }, other, 400).since).toBe(400);
  });

  it('a new try while offline stays offline ("trying again now"), keeping the cause and since; from online it is connecting', () => {
    const down = connectivityOf(A, { state: 'failed', code: null, reason: 'ICMP', retryAt: 4_000, cause: 'unreachable' }, null, 100);
    const trying = connectivityOf(A, { state: 'registering' }, down, 4_000);
    expect(trying).toEqual({ accountId: A, state: 'offline', cause: 'unreachable', reason: 'ICMP', since: 100, nextTryAt: 4_000 });
    const again = connectivityOf(A, { state: 'failed', code: null, reason: 'ICMP', retryAt: 8_000, cause: 'unreachable' }, trying, 4_100);
    expect(again.since).toBe(100);
    expect(connectivityOf(A, { state: 'registered', until: 1 }, again, 8_100)).toMatchObject({ state: 'online', since: 8_100 });
    const online = connectivityOf(A, { state: 'registered', until: 1 }, null, 1);
    expect(connectivityOf(A, { state: 'registering' }, online, 2)).toMatchObject({ state: 'connecting', cause: null });
    const disabled = connectivityOf(A, { state: 'unregistered' }, null, 1);
    expect(connectivityOf(A, { state: 'registering' }, disabled, 2)).toMatchObject({ state: 'connecting' });
  });
});
