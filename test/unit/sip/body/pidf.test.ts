import { describe, expect, it } from 'vitest';
import { buildPidf, parsePidf, type Availability } from '../../../../main/sip/body/pidf.ts';

// RFC 3863 §4.1.4 / §6 example: two tuples, im:im busy, notes in two languages, a presence note
const RFC_3863 = `<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf"
    xmlns:im="urn:ietf:params:xml:ns:pidf:im"
    xmlns:myex="http://id.example.com/presence/"
    entity="pres:someone@example.com">
  <tuple id="bs35r9">
    <status>
      <basic>open</basic>
      <im:im>busy</im:im>
      <myex:location>home</myex:location>
    </status>
    <contact priority="0.8">im:someone@mobilecarrier.net</contact>
    <note xml:lang="en">Don't Disturb Please!</note>
    <note xml:lang="fr">Ne derangez pas, s'il vous plait</note>
    <timestamp>2001-10-27T16:49:29Z</timestamp>
  </tuple>
  <tuple id="eg92n8">
    <status>
      <basic>open</basic>
    </status>
    <contact priority="1.0">mailto:someone@example.com</contact>
  </tuple>
  <note>I'll be in Tokyo next week</note>
</presence>`;

// RFC 4480 §3.2-style document with prefixed PIDF elements (what some servers send)
const RPID_ON_THE_PHONE = `<?xml version="1.0" encoding="UTF-8"?>
<p:presence xmlns:p="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
  xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:bob@example.com">
  <p:tuple id="t8"><p:status><p:basic>open</p:basic></p:status></p:tuple>
  <dm:person id="p1"><rpid:activities><rpid:on-the-phone/></rpid:activities></dm:person>
</p:presence>`;

describe('PIDF (RFC 3863) with RPID activities (RFC 4480)', () => {
  it('parses the RFC 3863 example: open + im:im busy, the presence note first', () => {
    expect(parsePidf(RFC_3863)).toEqual({ ok: true, value: { entity: 'pres:someone@example.com', availability: 'busy', note: "I'll be in Tokyo next week" } });
  });

  it('closed everywhere is offline', () => {
    const closed = RFC_3863.replaceAll('<basic>open</basic>', '<basic>closed</basic>');
    expect(parsePidf(closed).ok && (parsePidf(closed) as { value: { availability: string } }).value.availability).toBe('offline');
  });

  it('reads rpid activities on a dm:person whatever the prefixes', () => {
    const r = parsePidf(RPID_ON_THE_PHONE);
    expect(r.ok && r.value).toEqual({ entity: 'sip:bob@example.com', availability: 'in-call', note: null });
  });

  it.each<Availability>(['available', 'away', 'busy', 'in-call', 'offline'])('round-trips %s with a note', (availability) => {
    const xml = buildPidf({ entity: 'sip:alice@example.com', availability, note: 'Back at 3 & <soon>' });
    expect(parsePidf(xml)).toEqual({ ok: true, value: { entity: 'sip:alice@example.com', availability, note: 'Back at 3 & <soon>' } });
  });

  it('builds basic open/closed and rpid activities the way RFC 4480 names them', () => {
    expect(buildPidf({ entity: 'sip:a@x', availability: 'in-call' })).toContain('<rpid:on-the-phone/>');
    expect(buildPidf({ entity: 'sip:a@x', availability: 'offline' })).toContain('<basic>closed</basic>');
    expect(buildPidf({ entity: 'sip:a@x', availability: 'available' })).not.toContain('activities');
  });

  it('refuses documents without an entity, in another name space, or of another kind', () => {
    expect(parsePidf(RFC_3863.replace('entity="pres:someone@example.com"', '')).ok).toBe(false);
    expect(parsePidf(RFC_3863.replace('xmlns="urn:ietf:params:xml:ns:pidf"', 'xmlns="urn:x"')).ok).toBe(false);
    expect(parsePidf('<isComposing xmlns="urn:ietf:params:xml:ns:pidf"/>').ok).toBe(false);
  });

  it('bounds a long note', () => {
    const r = parsePidf(buildPidf({ entity: 'sip:a@x', availability: 'away', note: 'n'.repeat(10_000) }));
    expect(r.ok && r.value.note?.length).toBe(500);
  });
});
