import { describe, expect, it } from 'vitest';
import { parseMessage, SipParseError } from '../../../../main/sip/message/index.ts';
import { benchCorpus, capturedCorpora } from '../../../../bench/parser-corpus.ts';

/** every octet §25.1 forbids in a header section outside a quoted-pair: CTL but HT (CR and LF only as CRLF) */
const CTLS = [...Array.from({ length: 32 }, (_, i) => i).filter((c) => c !== 9), 0x7f];

/** real and hand-written messages that parse (test/fixtures/captures, bench/parser-corpus.ts) */
const messages = [...capturedCorpora().flatMap((c) => c.messages), ...benchCorpus.map((c) => c.data)];

function rejects(data: Buffer): boolean {
  try {
    parseMessage(data, { datagram: true });
    return false;
  } catch (e) {
    if (e instanceof SipParseError) return true;
    throw e;
  }
}

describe('control octets are rejected wherever the grammar forbids them (RFC 3261 §25.1, §7)', () => {
  // ~30,000 parses: the failures are collected and judged once (an expect per case, with its message built,
  // cost more than the parses); the timeout is a hang guard for a loaded machine under coverage, not a budget
  it('MUST reject a CTL inserted at any offset of the header section of any corpus message (each field scanner or the CTL scan)', () => {
    let tried = 0;
    const accepted: string[] = [];
    for (const data of messages) {
      expect(rejects(data)).toBe(false);
      const headEnd = data.indexOf('\r\n\r\n') + 2;
      for (let at = 0; at <= headEnd; at++) {
        const ctl = CTLS[(at * 7 + data.length) % CTLS.length] as number;
        // quoted-pair: "\" may precede any octet but CR and LF (RFC 4475 §3.1.1.4)
        if (at > 0 && data[at - 1] === 0x5c && ctl !== 10 && ctl !== 13) continue;
        const edited = Buffer.concat([data.subarray(0, at), Buffer.from([ctl]), data.subarray(at)]);
        if (!rejects(edited)) accepted.push(`0x${ctl.toString(16)} at ${String(at)} of ${data.toString('latin1', 0, data.indexOf('\r\n'))}`);
        tried++;
      }
    }
    expect(accepted).toEqual([]);
    expect(tried).toBeGreaterThan(20_000);
  }, 120_000);

  it('MUST reject DEL and a quoted-pair of CR or LF inside a quoted display name or parameter', () => {
    const msg = (from: string): Buffer =>
      Buffer.from(`MESSAGE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: ${from}\r\nTo: <sip:b@x>\r\nCall-ID: c\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n`, 'latin1');
    expect(rejects(msg('"A\\"b" <sip:a@x>;tag=1'))).toBe(false);
    expect(rejects(msg('"A\\\u0007b" <sip:a@x>;tag=1'))).toBe(false);
    for (const bad of ['"A\u007fb" <sip:a@x>;tag=1', '"A\\\rb" <sip:a@x>;tag=1', '"A\\\nb" <sip:a@x>;tag=1', '<sip:a@x>;tag=1;p="\u007f"']) {
      expect(rejects(msg(bad)), JSON.stringify(bad)).toBe(true);
    }
  });
});
