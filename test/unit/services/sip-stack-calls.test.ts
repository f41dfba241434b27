/** SRTP per account from the glue (issue 13): keys in SDP only over TLS signalling (RFC 4568 §8.3). */
import { describe, expect, it } from 'vitest';
import { srtpModeOf } from '../../../main/services/sip-stack-calls.ts';

describe('srtpModeOf', () => {
  it('requires SRTP on TLS accounts and keeps the keys off UDP and TCP', () => {
    expect(srtpModeOf({ transport: 'tls' })).toBe('required');
    expect(srtpModeOf({ transport: 'udp' })).toBe('off');
    expect(srtpModeOf({ transport: 'tcp' })).toBe('off');
  });
});
