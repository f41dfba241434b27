import { describe, expect, it } from 'vitest';
import { buildIsComposing, parseIsComposing } from '../../../../main/sip/body/is-composing.ts';

// RFC 3994 §7 examples (the active indication with a refresh, and the idle one with lastactive)
const RFC_ACTIVE = `<?xml version="1.0" encoding="UTF-8"?>
<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="urn:ietf:params:xml:ns:im-composing iscomposing.xsd">
  <state>active</state>
  <contenttype>text/plain</contenttype>
  <refresh>90</refresh>
</isComposing>`;

const RFC_IDLE = `<?xml version="1.0" encoding="UTF-8"?>
<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="urn:ietf:params:xml:ns:im-composing iscomposing.xsd">
  <state>idle</state>
  <lastactive>2003-01-27T10:43:00Z</lastactive>
  <contenttype>audio</contenttype>
</isComposing>`;

describe('is-composing (RFC 3994 §4)', () => {
  it('parses the RFC active example', () => {
    expect(parseIsComposing(RFC_ACTIVE)).toEqual({ ok: true, value: { state: 'active', lastActive: null, contentType: 'text/plain', refresh: 90 } });
  });

  it('parses the RFC idle example with lastactive', () => {
    const r = parseIsComposing(RFC_IDLE);
    expect(r.ok && r.value.state).toBe('idle');
    expect(r.ok && r.value.lastActive?.toISOString()).toBe('2003-01-27T10:43:00.000Z');
    expect(r.ok && r.value.contentType).toBe('audio');
  });

  it('round-trips what we build (refresh only when active, §3.2)', () => {
    const active = parseIsComposing(buildIsComposing({ state: 'active', contentType: 'text/plain', refresh: 120 }));
    expect(active).toEqual({ ok: true, value: { state: 'active', lastActive: null, contentType: 'text/plain', refresh: 120 } });
    const idleXml = buildIsComposing({ state: 'idle', refresh: 120, lastActive: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) });
    expect(idleXml).not.toContain('refresh');
    const idle = parseIsComposing(idleXml);
    expect(idle.ok && idle.value.lastActive?.getTime()).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
  });

  it('MUST have a state of active or idle', () => {
    expect(parseIsComposing(RFC_ACTIVE.replace('>active<', '>typing<')).ok).toBe(false);
    expect(parseIsComposing(RFC_ACTIVE.replace('<state>active</state>', '')).ok).toBe(false);
  });

  it('refuses other roots, other name spaces and bad numbers', () => {
    expect(parseIsComposing(RFC_ACTIVE.replace('urn:ietf:params:xml:ns:im-iscomposing', 'urn:x')).ok).toBe(false);
    expect(parseIsComposing('<imdn xmlns="urn:ietf:params:xml:ns:im-iscomposing"><state>idle</state></imdn>').ok).toBe(false);
    expect(parseIsComposing(RFC_ACTIVE.replace('>90<', '>-5<')).ok).toBe(false);
    expect(parseIsComposing(RFC_IDLE.replace('2003-01-27T10:43:00Z', 'yesterday')).ok).toBe(false);
  });

  it('bounds a huge refresh a peer sends', () => {
    const r = parseIsComposing(RFC_ACTIVE.replace('>90<', '>999999999<'));
    expect(r.ok && r.value.refresh).toBe(86_400);
  });
});
