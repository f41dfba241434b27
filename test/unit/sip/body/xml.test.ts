import { describe, expect, it } from 'vitest';
import { MAX_XML_BYTES, parseXml } from '../../../../main/sip/body/xml.ts';

describe('safe XML setup (one parser for every network body)', () => {
  it('refuses a DTD: the billion-laughs entity expansion never runs', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`;
    const r = parseXml(laughs);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(/DTD/);
  });

  it('refuses an external entity (XXE) declaration', () => {
    const r = parseXml(`<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>`);
    expect(r.ok).toBe(false);
  });

  it('leaves an undeclared entity as text, never resolves it', () => {
    const r = parseXml('<a>&xxe;</a>');
    expect(r.ok && JSON.stringify(r.root)).toContain('&xxe;');
  });

  it('decodes only the predefined XML entities', () => {
    const r = parseXml('<a><b>x &amp; y &lt;z&gt;</b></a>');
    expect(r.ok && r.root['b']).toEqual(['x & y <z>']);
  });

  it('refuses bodies over the size cap', () => {
    const big = `<a>${'x'.repeat(MAX_XML_BYTES)}</a>`;
    const r = parseXml(big);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(/exceeds/);
  });

  it('refuses deep nesting', () => {
    const deep = `${'<a>'.repeat(200)}${'</a>'.repeat(200)}`;
    expect(parseXml(deep).ok).toBe(false);
  });

  it('refuses malformed XML and garbage without throwing', () => {
    for (const bad of ['<a><b></a>', '', 'hello', '<a>', '<a></a><b></b>', '\u0000\u0001', Buffer.from([0xff, 0xfe, 0x00])]) {
      expect(parseXml(bad).ok).toBe(false);
    }
  });

  it('reports the root namespace whatever the prefix', () => {
    const r = parseXml('<p:presence xmlns:p="urn:ietf:params:xml:ns:pidf" entity="pres:a@b"/>');
    expect(r.ok && r.rootName).toBe('presence');
    expect(r.ok && r.rootNamespace).toBe('urn:ietf:params:xml:ns:pidf');
  });
});
