import { describe, expect, it } from 'vitest';
import { parseMessage, SipParseError, StreamFramer } from '../../../../main/sip/message/index.ts';

const msg = (body: string, id = 'c1'): Buffer =>
  Buffer.from(`MESSAGE sip:b@x SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: ${id}\r\nCSeq: 1 MESSAGE\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);

describe('StreamFramer (RFC 3261 §18.3, RFC 5626 §3.5.1)', () => {
  it('reassembles a message split across chunks at every offset', () => {
    const whole = msg('héllo');
    for (let cut = 1; cut < whole.length; cut++) {
      const f = new StreamFramer({ maxMessageSize: 4096 });
      const items = [...f.push(whole.subarray(0, cut)), ...f.push(whole.subarray(cut))];
      expect(items.length).toBe(1);
      const it0 = items[0];
      expect(it0?.kind === 'message' && it0.data.equals(whole)).toBe(true);
    }
  });

  it('cuts two messages out of one chunk by Content-Length', () => {
    const f = new StreamFramer({ maxMessageSize: 4096 });
    const items = f.push(Buffer.concat([msg('one', 'a'), msg('two', 'b')]));
    expect(items.map((i) => (i.kind === 'message' ? parseMessage(i.data, { datagram: false }).callId : i.kind))).toEqual(['a', 'b']);
  });

  it('reports CRLFCRLF as ping and a lone CRLF as pong between messages', () => {
    const f = new StreamFramer({ maxMessageSize: 4096 });
    expect(f.push(Buffer.from('\r\n\r\n')).map((i) => i.kind)).toEqual(['ping']);
    expect(f.push(Buffer.concat([Buffer.from('\r\n'), msg('x')])).map((i) => i.kind)).toEqual(['pong', 'message']);
  });

  it('MUST fail (caller closes) on an oversize message or a missing Content-Length', () => {
    expect(() => new StreamFramer({ maxMessageSize: 100 }).push(msg('x'.repeat(200)))).toThrow(SipParseError);
    expect(() => new StreamFramer({ maxMessageSize: 64 }).push(Buffer.from('A'.repeat(65)))).toThrow(SipParseError);
    const noLength = Buffer.from('MESSAGE sip:b@x SIP/2.0\r\nCall-ID: x\r\n\r\nbody');
    expect(() => new StreamFramer({ maxMessageSize: 4096 }).push(noLength)).toThrow(/Content-Length/);
  });
});
