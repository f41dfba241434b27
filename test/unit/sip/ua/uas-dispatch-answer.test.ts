/**
 * Issue 18: the UAS dispatcher keeps its Allow list between requests (rebuilt when handlers change), and
 * answerMessage answers from the receiver's verdict without an async frame: these tests pin what it
 * answers (RFC 3261 §8.2.1 405 with Allow, RFC 3428 §7 MESSAGE responses) in every case.
 */
import { describe, expect, it } from 'vitest';
import { parseMessage, type SipRequest, type SipResponse } from '../../../../main/sip/message/index.ts';
import type { ServerTransaction } from '../../../../main/sip/transaction/index.ts';
import type { InboundMessage } from '../../../../main/sip/transport/index.ts';
import { answerMessage, MergedRequestTable, type MessageAnswer } from '../../../../main/sip/ua/index.ts';
import { UasDispatcher } from '../../../../main/sip/ua/user-agent-uas.ts';

let n = 0;
function request(method: string, toTag = ''): SipRequest {
  n++;
  const body = method === 'MESSAGE' ? 'hi' : '';
  return parseMessage(Buffer.from(
    `${method} sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-d${n}\r\nMax-Forwards: 70\r\n` +
    `From: "Al" <sip:alice@127.0.0.1>;tag=f${n}\r\nTo: <sip:bob@127.0.0.1>${toTag}\r\nCall-ID: call-${n}\r\nCSeq: 1 ${method}\r\n` +
    `${body ? 'Content-Type: text/plain\r\n' : ''}Content-Length: ${body.length}\r\n\r\n${body}`,
  )) as SipRequest;
}

function fakeTx(): ServerTransaction & { sent: SipResponse[] } {
  const sent: SipResponse[] = [];
  return {
    sent,
    get lastResponse() {
      return sent.at(-1);
    },
    respond(r: SipResponse) {
      sent.push(r);
    },
  } as unknown as ServerTransaction & { sent: SipResponse[] };
}

const inbound = {} as InboundMessage;
const clock = { now: () => 0, setTimeout: () => ({ cancel: () => undefined }) };

function dispatcher(): UasDispatcher {
  return new UasDispatcher({
    transactions: () => { throw new Error('no CANCEL here'); },
    transport: {} as never,
    merged: new MergedRequestTable(clock as never),
    supportedExtensions: [],
    dialogExists: () => undefined,
    onCancelled: () => undefined,
    onHandlerError: (e) => { throw e; },
  });
}

describe('UasDispatcher Allow list (RFC 3261 §8.2.1, §20.5)', () => {
  it('follows handlers registered and removed after requests were dispatched', () => {
    const d = dispatcher();
    const off = d.register('MESSAGE', (_r, tx) => tx.respond(undefined as never));
    const tx1 = fakeTx();
    d.dispatch(request('INFO'), tx1, inbound);
    expect(tx1.sent[0]?.status).toBe(405);
    expect(tx1.sent[0]?.headers.get('Allow')).toBe('MESSAGE, ACK, CANCEL, OPTIONS');

    const offInfo = d.register('INFO', (r, tx) => tx.respond({ status: 299 } as never));
    expect(d.allowedMethods()).toEqual(['MESSAGE', 'INFO', 'ACK', 'CANCEL', 'OPTIONS']);
    const tx2 = fakeTx();
    d.dispatch(request('INFO'), tx2, inbound);
    expect(tx2.sent[0]?.status).toBe(299);

    offInfo();
    off();
    const tx3 = fakeTx();
    d.dispatch(request('MESSAGE'), tx3, inbound);
    expect(tx3.sent[0]?.status).toBe(405);
    expect(tx3.sent[0]?.headers.get('Allow')).toBe('ACK, CANCEL, OPTIONS');
  });

  it('hands out a copy: changing it does not change what the next 405 lists', () => {
    const d = dispatcher();
    d.register('MESSAGE', () => undefined);
    d.allowedMethods().push('BOGUS');
    const tx = fakeTx();
    d.dispatch(request('INFO'), tx, inbound);
    expect(tx.sent[0]?.headers.get('Allow')).toBe('MESSAGE, ACK, CANCEL, OPTIONS');
  });
});

describe('answerMessage (RFC 3428 §7)', () => {
  async function answer(receiver: () => Promise<MessageAnswer>, toTag = ''): Promise<SipResponse> {
    const tx = fakeTx();
    await answerMessage(request('MESSAGE', toTag), tx, inbound, receiver);
    expect(tx.sent.length).toBe(1);
    return tx.sent[0] as SipResponse;
  }

  it('200 with a new To tag, no body, no Contact, no extra header', async () => {
    const r = await answer(() => Promise.resolve({ status: 200 }));
    expect([r.status, r.reason, r.body.length, r.headers.get('Contact'), r.headers.get('Accept')]).toEqual([200, 'OK', 0, null, null]);
    expect(r.toTag).toMatch(/^[0-9a-f]{16}$/);
  });

  it('keeps the To tag of a request inside a dialog', async () => {
    expect((await answer(() => Promise.resolve({ status: 200 }), ';tag=dlg1')).toTag).toBe('dlg1');
  });

  it('415 lists Accept; 503 carries Retry-After; a reason is kept', async () => {
    const r415 = await answer(() => Promise.resolve({ status: 415, accept: ['text/plain', 'message/cpim'] }));
    expect(r415.headers.get('Accept')).toBe('text/plain, message/cpim');
    const r503 = await answer(() => Promise.resolve({ status: 503, reason: 'Busy', retryAfterSeconds: 1.7 }));
    expect([r503.reason, r503.headers.get('Retry-After')]).toEqual(['Busy', '1']);
  });

  it('500 when the receiver rejects, and when it throws before returning a promise', async () => {
    expect((await answer(() => Promise.reject(new Error('x')))).status).toBe(500);
    const r = await answer(() => {
      throw new Error('sync');
    });
    expect([r.status, r.reason]).toEqual([500, 'Server Internal Error']);
  });
});
