import { describe, expect, it } from 'vitest';
import type { CallDto } from '#shared/domain/call.ts';
import type { ContactDto } from '#shared/domain/contact.ts';
import type { AccountId, CallId, ContactId } from '#shared/domain/ids.ts';
import { addressKey, initials, peerName, sameAddress } from '../../../renderer/src/lib/names.ts';
import { callInFront, liveCallWith } from '../../../renderer/src/features/calls/call-model.ts';
import { callOutcome, callSummary } from '../../../renderer/src/features/calls/call-words.ts';
import { normalize } from '../../../renderer/src/store/normalized.ts';

const contact = (name: string, address: string): ContactDto => ({ id: address as ContactId, displayName: name, address, note: '', createdAt: 0 as never, blocked: false });
const contacts = { a: contact('Bob Builder', 'sip:bob@example.test') };
function call(id: string, over: Partial<CallDto> = {}): CallDto {
  return {
    id: id as CallId, accountId: 'a' as AccountId, direction: 'in', peer: 'sip:bob@example.test', peerName: '', state: 'connected', muted: false,
    onHold: false, remoteHold: false, waiting: false, active: false, encrypted: false, codec: null, wideband: false, dtmfReceived: '', startedAt: 10 as never, connectedAt: 20 as never, endedAt: null, endReason: null, ...over,
  };
}

describe('names (issue 16 item 4): contact name, else SIP display name, else the address', () => {
  it('addresses compare without scheme/params; the host is case-insensitive, the user is not (RFC 3261 §19.1.4)', () => {
    expect(sameAddress('sip:bob@EXAMPLE.test;transport=udp', '<sips:bob@example.test>')).toBe(true);
    expect(sameAddress('sip:Bob@example.test', 'sip:bob@example.test')).toBe(false);
    expect(addressKey('sip:200@pbx.example.com:5060?subject=x')).toBe('200@pbx.example.com:5060');
  });
  it('the contact wins over the SIP display name, which wins over the address', () => {
    expect(peerName(contacts, 'sip:bob@example.test;ob', 'bob-phone')).toBe('Bob Builder');
    expect(peerName(contacts, 'sip:carol@example.test', 'Carol C.')).toBe('Carol C.');
    expect(peerName(contacts, 'sip:carol@example.test', '  ')).toBe('carol@example.test');
  });
  it('initials for avatars', () => {
    expect(initials('Bob Builder')).toBe('BB');
    expect(initials('carol@example.test')).toBe('C');
    expect(initials('')).toBe('?');
  });
});

describe('call model: a live call is never hidden by an ended one (issue 16 item 1)', () => {
  it('the focused call is in front only while live; else the one the user talks in, not a held or ringing one', () => {
    const calls = normalize([call('held', { state: 'held', startedAt: 1 as never }), call('talk', { startedAt: 2 as never, peer: 'sip:carol@example.test' }), call('failed', { state: 'ended', startedAt: 3 as never, peer: 'sip:x@y' })], (c) => c.id);
    expect(callInFront({ calls, focusedCallId: 'failed' })?.id).toBe('talk');
    expect(callInFront({ calls, focusedCallId: 'held' })?.id).toBe('held');
    expect(callInFront({ calls: normalize([call('f', { state: 'ended' })], (c) => c.id), focusedCallId: 'f' })).toBeNull();
    expect(liveCallWith({ calls }, 'sip:x@y')).toBeNull();
    expect(liveCallWith({ calls }, 'sip:bob@example.test')?.id).toBe('held');
  });
  it('history words: durations, missed, declined, not answered', () => {
    expect(callSummary(call('a', { state: 'ended', direction: 'out', connectedAt: 0 as never, endedAt: 352_000 as never }))).toBe('Outgoing call · 5:52');
    expect(callSummary(call('b', { state: 'ended', connectedAt: null, endedAt: 5 as never, endReason: 'cancelled (487)' }))).toBe('Missed call');
    expect(callOutcome(call('c', { state: 'ended', connectedAt: null, endReason: 'declined (603)' }))).toBe('declined');
    expect(callSummary(call('d', { state: 'ended', direction: 'out', connectedAt: null, endReason: 'busy (486)' }))).toBe('Call not answered: busy (486)');
    expect(callSummary(call('e', { state: 'ended', direction: 'out', connectedAt: null, endReason: 'cancelled' }))).toBe('Cancelled call');
  });
});

describe('call tones follow the call model (issue 16 item 8)', () => {
  it('a call for us rings, a waiting call beeps softly, our ringing outgoing call gives ringback, else silence', async () => {
    const { toneFor } = await import('../../../renderer/src/audio/useCallTones.ts');
    expect(toneFor([{ state: 'incoming', direction: 'in', waiting: false }])).toBe('ringtone');
    expect(toneFor([{ state: 'connected', direction: 'out', waiting: false }, { state: 'incoming', direction: 'in', waiting: true }])).toBe('waiting');
    expect(toneFor([{ state: 'ringing', direction: 'out', waiting: false }])).toBe('ringback');
    expect(toneFor([{ state: 'dialing', direction: 'out', waiting: false }, { state: 'connected', direction: 'in', waiting: false }])).toBeNull();
  });
});
