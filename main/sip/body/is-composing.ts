/**
 * application/im-iscomposing+xml (RFC 3994): "the peer is typing" status messages.
 *
 * §4 (XML document): root `isComposing` in `urn:ietf:params:xml:ns:im-iscomposing` with `state`
 * (`active` | `idle`, required), and optional `lastactive` (date-time), `contenttype` and `refresh`
 * (seconds, only meaningful when active). Parsing never throws; unknown elements are ignored (§4
 * allows extensions in other name spaces).
 */
import { buildXml, childText, parseXml } from './xml.ts';

export const IS_COMPOSING_CONTENT_TYPE = 'application/im-iscomposing+xml';
export const IS_COMPOSING_NAMESPACE = 'urn:ietf:params:xml:ns:im-iscomposing';

export type ComposingState = 'active' | 'idle';

export interface IsComposing {
  readonly state: ComposingState;
  readonly lastActive: Date | null;
  readonly contentType: string | null;
  /** seconds; §3.2: the sender's promise to refresh "active" within this interval */
  readonly refresh: number | null;
}

export type IsComposingParseResult = { readonly ok: true; readonly value: IsComposing } | { readonly ok: false; readonly problem: string };

/** §3.2: refresh values below this are not useful; we bound what a peer can make us wait */
const MAX_REFRESH_SECONDS = 24 * 60 * 60;

export function parseIsComposing(body: string | Buffer): IsComposingParseResult {
  const xml = parseXml(body);
  if (!xml.ok) return xml;
  if (xml.rootName !== 'isComposing') return { ok: false, problem: `root element is ${xml.rootName}, not isComposing` };
  if (xml.rootNamespace !== IS_COMPOSING_NAMESPACE) return { ok: false, problem: 'isComposing is not in the RFC 3994 name space' };
  const state = childText(xml.root, 'state');
  if (state !== 'active' && state !== 'idle') return { ok: false, problem: 'state must be active or idle (RFC 3994 §4)' };
  const lastactive = childText(xml.root, 'lastactive');
  let lastActive: Date | null = null;
  if (lastactive !== null) {
    const t = Date.parse(lastactive);
    if (Number.isNaN(t)) return { ok: false, problem: 'lastactive is not a date-time' };
    lastActive = new Date(t);
  }
  const refreshText = childText(xml.root, 'refresh');
  let refresh: number | null = null;
  if (refreshText !== null) {
    if (!/^\d{1,9}$/.test(refreshText) || Number(refreshText) < 1) return { ok: false, problem: 'refresh must be a positive integer' };
    refresh = Math.min(Number(refreshText), MAX_REFRESH_SECONDS);
  }
  const contentType = childText(xml.root, 'contenttype');
  return { ok: true, value: { state, lastActive, contentType: contentType === '' ? null : contentType, refresh } };
}

export interface BuildIsComposingOptions {
  readonly state: ComposingState;
  readonly lastActive?: Date;
  readonly contentType?: string;
  /** seconds; only sent with state active (§3.2) */
  readonly refresh?: number;
}

export function buildIsComposing(options: BuildIsComposingOptions): string {
  const root: Record<string, unknown> = { '@_xmlns': IS_COMPOSING_NAMESPACE, state: options.state };
  if (options.lastActive) root['lastactive'] = options.lastActive.toISOString();
  if (options.contentType) root['contenttype'] = options.contentType;
  if (options.state === 'active' && options.refresh !== undefined) root['refresh'] = String(Math.max(1, Math.round(options.refresh)));
  return buildXml('isComposing', root);
}
