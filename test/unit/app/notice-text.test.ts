import { describe, expect, it } from 'vitest';
import type { CallDto } from '#shared/domain/call.ts';
import type { ContactDto } from '#shared/domain/contact.ts';
import { callNotice } from '../../../main/app/notice-text.ts';
import { clip, senderName } from '../../../main/services/notices/notice-text.ts';
import { conversation } from '../renderer/fixtures.ts';

const contacts: ContactDto[] = [{ id: 'k' as never, displayName: 'Bob Builder', address: 'sip:bob@example.test', note: '', createdAt: 0 as never, blocked: false }];

describe('notification words name the sender as the user named them (issue 16 item 4)', () => {
  it('a message: the contact name, else the conversation title, else the address; never "New message"', () => {
    const conv = conversation('c', 1, { peer: 'sip:bob@example.test;transport=udp', title: 'bob@example.test' });
    expect(senderName(conv, contacts)).toBe('Bob Builder');
    expect(senderName(conversation('d', 1, { peer: 'sip:carol@example.test', title: 'Carol' }), contacts)).toBe('Carol');
    expect(senderName(conversation('e', 1, { peer: 'sip:dan@example.test;transport=tcp', title: ' ' }), contacts)).toBe('dan@example.test');
  });
  it('long or multi-line bodies are flattened and clipped with an ellipsis', () => {
    expect(clip('a\n\nb   c')).toBe('a b c');
    const long = clip('x'.repeat(500));
    expect(long.length).toBe(200);
    expect(long.endsWith('…')).toBe(true);
  });
  it('a call: contact name, else SIP display name, else the address', () => {
    const call = { peer: 'sip:bob@example.test', peerName: 'bob-desk', state: 'incoming', connectedAt: null } as unknown as CallDto;
    expect(callNotice(call, contacts)).toEqual({ title: 'Incoming call', body: 'Bob Builder' });
    // issue 13: a call arriving while another is up is announced as waiting
    expect(callNotice({ ...call, waiting: true }, contacts)).toEqual({ title: 'Call waiting', body: 'Bob Builder' });
    expect(callNotice({ ...call, peer: 'sip:dan@example.test' }, contacts).body).toBe('bob-desk');
    expect(callNotice({ ...call, peer: 'sip:dan@example.test', peerName: '', state: 'ended' }, contacts)).toEqual({ title: 'Missed call', body: 'dan@example.test' });
  });
});
