/**
 * application/pidf+xml (RFC 3863) with the RPID activities of RFC 4480 and the data model of RFC 4479:
 * what a contact's presence looks like on the wire, reduced to what a messenger shows.
 *
 * - §4.1.1/§4.1.4: `presence` (entity) holds `tuple`s, each with `status/basic` open | closed and notes.
 * - RFC 4479 §3.3 / RFC 4480 §3.2: a `dm:person` with `rpid:activities` (away, busy, on-the-phone, …).
 * - RFC 3863 §4.1.4 example: `im:im` status values (busy, away) from the pidf:im name space.
 * Several tuples: the presentity is reachable if any tuple is open (the most available one wins).
 * Parsing never throws; prefixes are free (the XML setup strips them).
 */
import { attribute, buildXml, child, childText, children, parseXml, textOf, type XmlElement } from './xml.ts';

export const PIDF_CONTENT_TYPE = 'application/pidf+xml';
export const PIDF_NAMESPACE = 'urn:ietf:params:xml:ns:pidf';
export const RPID_NAMESPACE = 'urn:ietf:params:xml:ns:pidf:rpid';
export const DATA_MODEL_NAMESPACE = 'urn:ietf:params:xml:ns:pidf:data-model';

/** what the UI shows: a dot and a word */
export type Availability = 'available' | 'away' | 'busy' | 'in-call' | 'offline';

export interface Presence {
  readonly entity: string;
  readonly availability: Availability;
  readonly note: string | null;
}

export type PidfParseResult = { readonly ok: true; readonly value: Presence } | { readonly ok: false; readonly problem: string };

const MAX_NOTE = 500;

const ACTIVITY_TO_AVAILABILITY: Readonly<Record<string, Availability>> = {
  away: 'away',
  vacation: 'away',
  sleeping: 'away',
  busy: 'busy',
  'in-transit': 'busy',
  meeting: 'busy',
  'on-the-phone': 'in-call',
};

export function parsePidf(body: string | Buffer): PidfParseResult {
  const xml = parseXml(body);
  if (!xml.ok) return xml;
  if (xml.rootName !== 'presence') return { ok: false, problem: `root element is ${xml.rootName}, not presence` };
  if (xml.rootNamespace !== PIDF_NAMESPACE) return { ok: false, problem: 'presence is not in the RFC 3863 name space' };
  const entity = attribute(xml.root, 'entity');
  if (entity === null || entity === '') return { ok: false, problem: 'presence has no entity (RFC 3863 §4.1.2)' };
  const tuples = children(xml.root, 'tuple');
  const open = tuples.some((t) => childText(child(t, 'status'), 'basic')?.toLowerCase() === 'open');
  let availability: Availability = open ? 'available' : 'offline';
  if (open) availability = activityOf(xml.root, tuples) ?? 'available';
  const note = firstNote(xml.root, tuples);
  return { ok: true, value: { entity, availability, note } };
}

function activityOf(root: XmlElement, tuples: readonly XmlElement[]): Availability | null {
  // RFC 4480 §3.2 activities on the person (the usual place) or on a tuple's status
  const holders = [...children(root, 'person'), ...tuples.map((t) => child(t, 'status')).filter((s): s is XmlElement => s !== undefined), ...tuples];
  for (const holder of holders) {
    for (const activities of children(holder, 'activities')) {
      for (const name of Object.keys(activities)) {
        const a = ACTIVITY_TO_AVAILABILITY[name];
        if (a) return a;
      }
    }
  }
  // RFC 3863 §4.1.4 example: <im:im>busy</im:im>
  for (const t of tuples) {
    const im = childText(child(t, 'status'), 'im')?.toLowerCase();
    if (im && ACTIVITY_TO_AVAILABILITY[im]) return ACTIVITY_TO_AVAILABILITY[im];
  }
  return null;
}

function firstNote(root: XmlElement, tuples: readonly XmlElement[]): string | null {
  const candidates = [
    ...children(root, 'note'),
    ...children(root, 'person').flatMap((p) => children(p, 'note')),
    ...tuples.flatMap((t) => children(t, 'note')),
  ];
  for (const c of candidates) {
    const text = textOf(c).trim();
    if (text) return text.slice(0, MAX_NOTE);
  }
  return null;
}

const AVAILABILITY_TO_ACTIVITY: Readonly<Record<Availability, string | null>> = {
  available: null,
  away: 'away',
  busy: 'busy',
  'in-call': 'on-the-phone',
  offline: null,
};

export interface BuildPidfOptions {
  readonly entity: string;
  readonly availability: Availability;
  readonly note?: string | null;
  /** tuple id (RFC 3863 §4.1.4: an xs:ID, stable across publications) */
  readonly tupleId?: string;
}

/** our own state as a PIDF document for PUBLISH (RFC 3903) or NOTIFY (RFC 3856 §6) */
export function buildPidf(options: BuildPidfOptions): string {
  const open = options.availability !== 'offline';
  const note = options.note ? options.note.slice(0, MAX_NOTE) : null;
  const tuple: Record<string, unknown> = { '@_id': options.tupleId ?? 't1', status: { basic: open ? 'open' : 'closed' } };
  if (note) tuple['note'] = note;
  const root: Record<string, unknown> = {
    '@_xmlns': PIDF_NAMESPACE,
    '@_xmlns:dm': DATA_MODEL_NAMESPACE,
    '@_xmlns:rpid': RPID_NAMESPACE,
    '@_entity': options.entity,
    tuple,
  };
  const activity = AVAILABILITY_TO_ACTIVITY[options.availability];
  if (activity || note) {
    const person: Record<string, unknown> = { '@_id': 'p1' };
    if (activity) person['rpid:activities'] = { [`rpid:${activity}`]: '' };
    if (note) person['dm:note'] = note;
    root['dm:person'] = person;
  }
  return buildXml('presence', root);
}
