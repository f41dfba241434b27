import { describe, expect, it } from 'vitest';
import { deliveryResult, describeStatus } from '../../../../main/services/chats/outcome.ts';

describe('deliveryResult (RFC 3428 §4, §7)', () => {
  it('202 is "accepted" (stored by a server), other 2xx "delivered"', () => {
    expect(deliveryResult({ kind: 'response', status: 202, reason: 'Accepted', accept: null }).state).toBe('accepted');
    expect(deliveryResult({ kind: 'response', status: 204, reason: 'No Content', accept: null }).state).toBe('delivered');
  });

  it('6xx is "refused", 3xx-5xx "failed", with words and the code', () => {
    expect(deliveryResult({ kind: 'response', status: 606, reason: 'Not Acceptable', accept: null })).toEqual({
      state: 'refused',
      code: 606,
      reason: 'not acceptable to the recipient (606)',
    });
    expect(deliveryResult({ kind: 'response', status: 302, reason: 'Moved', accept: null })).toEqual({
      state: 'failed',
      code: 302,
      reason: 'the PBX redirected the message elsewhere (302)',
    });
  });

  it('an unknown code keeps a cleaned reason phrase', () => {
    expect(describeStatus(599, 'Weird\r\nInjected')).toBe('server error: "Weird  Injected" (599)');
    expect(describeStatus(699, '')).toBe('refused (699)');
  });

  it('a provisional response is a programmer fault of the sender glue', () => {
    expect(() => deliveryResult({ kind: 'response', status: 180, reason: 'Ringing', accept: null })).toThrow(/provisional/);
  });
});
