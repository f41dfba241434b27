import { describe, expect, it } from 'vitest';
import { MAX_WATCHERS, parseWatcherinfo } from '../../../../main/sip/body/watcherinfo.ts';
import { buildPresRules } from '../../../../main/sip/body/pres-rules.ts';
import { parseXml } from '../../../../main/sip/body/xml.ts';

// RFC 3858 §5: the example document
const RFC_3858 = `<?xml version="1.0"?>
<watcherinfo xmlns="urn:ietf:params:xml:ns:watcherinfo"
             version="0" state="full">
  <watcher-list resource="sip:professor@example.net" package="presence">
    <watcher status="active"
             id="8ajksjda7s"
             duration-subscribed="509"
             event="approved" >sip:userA@example.net</watcher>
    <watcher status="pending"
             id="hh8juja87s997-ass7"
             display-name="Mr. Subscriber"
             event="subscribe">sip:userB@example.org</watcher>
  </watcher-list>
</watcherinfo>`;

// what Kamailio 5.6 (presence + presence_xml) sends for a pending watcher, as captured in the XCAP test
const KAMAILIO = `<?xml version="1.0"?>
<watcherinfo xmlns="urn:ietf:params:xml:ns:watcherinfo" version="1" state="partial">
  <watcher-list resource="sip:alice@example.test" package="presence">
    <watcher id="0x7f1" event="subscribe" status="pending">sip:bob@example.test</watcher>
  </watcher-list>
</watcherinfo>`;

describe('watcherinfo (RFC 3858)', () => {
  it('reads the RFC 3858 §5 example: one list, an active and a pending watcher', () => {
    const r = parseWatcherinfo(RFC_3858);
    expect(r).toEqual({
      ok: true,
      value: {
        version: 0,
        state: 'full',
        lists: [
          {
            resource: 'sip:professor@example.net',
            package: 'presence',
            watchers: [
              { id: '8ajksjda7s', uri: 'sip:userA@example.net', status: 'active', event: 'approved', displayName: null },
              { id: 'hh8juja87s997-ass7', uri: 'sip:userB@example.org', status: 'pending', event: 'subscribe', displayName: 'Mr. Subscriber' },
            ],
          },
        ],
      },
    });
  });

  it('reads a partial document (§4.4) with a prefixed name space all the same', () => {
    const r = parseWatcherinfo(KAMAILIO);
    expect(r.ok && r.value.state).toBe('partial');
    expect(r.ok && r.value.lists[0]?.watchers[0]).toMatchObject({ uri: 'sip:bob@example.test', status: 'pending' });
    const prefixed = RFC_3858.replace(/<(\/?)watcher/g, '<$1w:watcher').replace('xmlns=', 'xmlns:w=');
    expect(parseWatcherinfo(prefixed).ok).toBe(true);
  });

  it('MUST refuse what is not a watcherinfo document of RFC 3858', () => {
    expect(parseWatcherinfo(RFC_3858.replace('urn:ietf:params:xml:ns:watcherinfo', 'urn:x'))).toMatchObject({ ok: false });
    expect(parseWatcherinfo(RFC_3858.replace('version="0"', 'version="-1"'))).toMatchObject({ ok: false });
    expect(parseWatcherinfo(RFC_3858.replace('state="full"', 'state="some"'))).toMatchObject({ ok: false });
    expect(parseWatcherinfo(RFC_3858.replace('status="pending"', 'status="maybe"'))).toMatchObject({ ok: false });
    expect(parseWatcherinfo(RFC_3858.replace('>sip:userA@example.net<', '><'))).toMatchObject({ ok: false });
    expect(parseWatcherinfo('<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"/>')).toMatchObject({ ok: false });
  });

  it('MUST NOT expand entities or read a DTD (billion laughs), and bounds the number of watchers', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>${RFC_3858.replace('<?xml version="1.0"?>', '').replace('sip:userA@example.net', '&b;')}`;
    expect(parseWatcherinfo(laughs)).toMatchObject({ ok: false });
    const many = Array.from({ length: MAX_WATCHERS + 1 }, (_, i) => `<watcher id="w${String(i)}" status="pending">sip:u${String(i)}@x.test</watcher>`).join('');
    const big = `<watcherinfo xmlns="urn:ietf:params:xml:ns:watcherinfo" version="1" state="full"><watcher-list resource="sip:a@x.test" package="presence">${many}</watcher-list></watcherinfo>`;
    expect(parseWatcherinfo(big)).toMatchObject({ ok: false });
  });
});

describe('pres-rules (RFC 5025 over RFC 4745)', () => {
  it('builds an allow rule with every transformation and a block rule, escaped, in the right name spaces', () => {
    const doc = buildPresRules({ allow: ['sip:bob@example.test', 'sip:x"&<@example.test'], block: ['sip:eve@example.test'] });
    const xml = parseXml(doc);
    expect(xml.ok && xml.rootName).toBe('ruleset');
    expect(xml.ok && xml.rootNamespace).toBe('urn:ietf:params:xml:ns:common-policy');
    expect(doc).toContain('xmlns="urn:ietf:params:xml:ns:pres-rules"');
    expect(doc).toContain('<cr:one id="sip:bob@example.test"/>');
    expect(doc).toContain('<cr:one id="sip:x&quot;&amp;&lt;@example.test"/>');
    expect(doc).toMatch(/<cr:rule id="allow">[\s\S]*<sub-handling>allow<\/sub-handling>[\s\S]*<provide-all-attributes\/>[\s\S]*<\/cr:rule>/);
    expect(doc).toMatch(/<cr:rule id="block">[\s\S]*<cr:one id="sip:eve@example.test"\/>[\s\S]*<sub-handling>block<\/sub-handling>\s*<\/cr:actions>\s*<\/cr:rule>/);
  });

  it('nothing decided: an empty ruleset (every watcher pending)', () => {
    const doc = buildPresRules({ allow: [], block: [] });
    expect(doc).not.toContain('<cr:rule ');
    expect(parseXml(doc).ok).toBe(true);
  });
});
