import { describe, expect, it } from 'vitest';
import type { AccountId, CallId } from '#shared/domain/ids.ts';
import { CallMessages, type CallChat } from '../../../../main/services/calls/call-messages.ts';
import type { CallMessageStore } from '../../../../main/services/calls/call-ports.ts';
import { parseMessage, type SipRequest } from '../../../../main/sip/message/index.ts';
import { buildIsComposing } from '../../../../main/sip/body/is-composing.ts';

function inDialogMessage(contentType: string, body: string): SipRequest {
  const bytes = Buffer.from(body, 'utf8');
  const head = [
    'MESSAGE sip:alice@127.0.0.1:5070 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bKtest1',
    'From: <sip:bob@example.test>;tag=b1',
    'To: <sip:alice@example.test>;tag=a1',
    'Call-ID: call-1@example.test',
    'CSeq: 3 MESSAGE',
    'Max-Forwards: 70',
    `Content-Type: ${contentType}`,
    `Content-Length: ${bytes.length}`,
    '',
    '',
  ].join('\r\n');
  return parseMessage(Buffer.concat([Buffer.from(head), bytes])) as SipRequest;
}

describe('in-call MESSAGE with application/im-iscomposing+xml (RFC 3994 in a dialog)', () => {
  const stored: unknown[] = [];
  const store = new Proxy({}, { get: () => (...args: unknown[]) => (stored.push(args), Promise.reject(new Error('must not store'))) }) as CallMessageStore;
  const call = { id: 'c1' as CallId, accountId: 'a1' as AccountId, peer: 'sip:bob@example.test', peerName: 'Bob', session: {} } as unknown as CallChat;

  it('is handed to the typing service and answered 200, never stored (was 415)', async () => {
    const seen: [string, string, string][] = [];
    const m = new CallMessages({ store, emit: () => undefined, pager: null, now: () => 0, composing: (a, p, b) => (seen.push([a, p, b.toString()]), 200) });
    const status = await m.receive(call, inDialogMessage('application/im-iscomposing+xml', buildIsComposing({ state: 'active', refresh: 120 })));
    expect(status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.[1]).toBe('sip:bob@example.test');
    expect(seen[0]?.[2]).toContain('<state>active</state>');
    expect(stored).toEqual([]);
  });

  it('a malformed document gets what the typing service says (400), other types still 415', async () => {
    const m = new CallMessages({ store, emit: () => undefined, pager: null, now: () => 0, composing: () => 400 });
    expect(await m.receive(call, inDialogMessage('application/im-iscomposing+xml', '<oops'))).toBe(400);
    expect(await m.receive(call, inDialogMessage('text/html', '<b>x</b>'))).toBe(415);
    expect(stored).toEqual([]);
  });
});
