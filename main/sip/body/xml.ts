/**
 * The one XML setup for bodies from the network (PIDF RFC 3863, is-composing RFC 3994, IMDN RFC 5438).
 *
 * Every byte of these bodies may come from an attacker, so before fast-xml-parser sees anything:
 * - a size cap (MAX_XML_BYTES) bounds what one body can cost;
 * - a DOCTYPE (and with it every DTD, internal entity and external entity) is refused outright: none of
 *   the three formats uses one (RFC 3863 §4, RFC 3994 §4, RFC 5438 §7 are plain schemas), so the
 *   "billion laughs" and XXE attacks have nothing to stand on;
 * - the document must be well-formed (XMLValidator) and nest at most MAX_DEPTH elements.
 * Only the five predefined XML entities and character references are decoded (XML 1.0 §4.6), never
 * HTML entities. Parsing never throws: it returns `{ ok: false, problem }`.
 *
 * Namespace prefixes are removed (`rpid:activities` → `activities`), so a peer's choice of prefix does
 * not matter; callers check the root element's default namespace with `rootNamespace`.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

export const MAX_XML_BYTES = 64 * 1024;
export const MAX_DEPTH = 32;
export const ATTR = '@_';
export const TEXT = '#text';

/** a parsed element: attributes under `@_name`, text under `#text`, children by local name (arrays) */
export interface XmlElement {
  readonly [key: string]: unknown;
}

export type XmlParseResult =
  | { readonly ok: true; readonly rootName: string; readonly root: XmlElement; readonly rootNamespace: string | null }
  | { readonly ok: false; readonly problem: string };

const DOCTYPE = /<!DOCTYPE|<!ENTITY|<!ELEMENT|<!ATTLIST/i;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  textNodeName: TEXT,
  removeNSPrefix: true,
  // every element is an array, so a repeated <tuple> or <note> never changes the shape
  isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  htmlEntities: false,
  processEntities: { enabled: true, maxEntityCount: 0, maxEntitySize: 0, maxTotalExpansions: 10_000 },
  allowBooleanAttributes: false,
  maxNestedTags: MAX_DEPTH,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
});

/** parse a network XML body safely; the root element is returned with its local name */
export function parseXml(input: string | Buffer): XmlParseResult {
  const byteLength = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (byteLength > MAX_XML_BYTES) return { ok: false, problem: `XML body of ${byteLength} bytes exceeds ${MAX_XML_BYTES}` };
  const text = typeof input === 'string' ? input : input.toString('utf8');
  if (DOCTYPE.test(text)) return { ok: false, problem: 'DTD and entity declarations are refused' };
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) return { ok: false, problem: `malformed XML: ${valid.err.msg} (line ${valid.err.line})` };
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text) as Record<string, unknown>;
  } catch (error) {
    return { ok: false, problem: `malformed XML: ${error instanceof Error ? error.message : String(error)}` };
  }
  const names = Object.keys(doc).filter((k) => !k.startsWith('?'));
  if (names.length !== 1) return { ok: false, problem: 'XML must have exactly one root element' };
  const rootName = names[0] as string;
  const list = doc[rootName];
  const root = Array.isArray(list) ? (list[0] as unknown) : list;
  const element: XmlElement = typeof root === 'object' && root !== null ? (root as XmlElement) : { [TEXT]: String(root ?? '') };
  return { ok: true, rootName, root: element, rootNamespace: defaultNamespaceOf(text, rootName) };
}

/**
 * The namespace of the root element: its default `xmlns`, or the `xmlns:p` bound to its prefix.
 * Read from the start tag because prefix removal drops xmlns attributes.
 */
function defaultNamespaceOf(text: string, localName: string): string | null {
  const start = new RegExp(`<(?:([A-Za-z_][\\w.-]*):)?${localName}[\\s>/]`).exec(text);
  if (!start) return null;
  const end = text.indexOf('>', start.index);
  const tag = text.slice(start.index, end < 0 ? undefined : end);
  const prefix = start[1];
  const attr = prefix ? `xmlns:${prefix}` : 'xmlns';
  const m = new RegExp(`\\s${attr.replace('.', '\\.')}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/** children with this local name */
export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  const value = element?.[name];
  if (!Array.isArray(value)) return [];
  return value.map((v: unknown) => (typeof v === 'object' && v !== null ? (v as XmlElement) : { [TEXT]: v === undefined || v === null ? '' : String(v) }));
}

export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return children(element, name)[0];
}

/** the text content of an element ('' when it has none) */
export function textOf(element: XmlElement | undefined): string {
  const value = element?.[TEXT];
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value as number);
}

export function childText(element: XmlElement | undefined, name: string): string | null {
  const c = child(element, name);
  return c === undefined ? null : textOf(c);
}

export function attribute(element: XmlElement | undefined, name: string): string | null {
  const value = element?.[`${ATTR}${name}`];
  return typeof value === 'string' ? value : null;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  textNodeName: TEXT,
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  processEntities: true,
});

/** build a document: `<?xml version="1.0" encoding="UTF-8"?>` + the root; text and attributes escaped */
export function buildXml(rootName: string, root: Record<string, unknown>): string {
  const body = builder.build({ [rootName]: root }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}
