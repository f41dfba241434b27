/**
 * application/watcherinfo+xml (RFC 3858): who watches a resource, as the presence server tells the
 * presentity through the `presence.winfo` template package (RFC 3857).
 *
 * - §4.2 `watcherinfo` (version, state full | partial) holds `watcher-list`s (resource, package), each
 *   with `watcher`s: status pending | active | waiting | terminated, event (subscribe, approved, …), id,
 *   optional display-name; the element's text is the watcher's URI.
 * - §4.4 a `partial` document carries only the watchers that changed; the receiver merges by id and
 *   takes a document only when its version is the next one (else it resubscribes for a full state).
 * Parsing never throws; at most MAX_WATCHERS watchers are read from one document (the XML setup already
 * caps its size and depth).
 */
import { attribute, children, parseXml, textOf } from './xml.ts';

export const WATCHERINFO_CONTENT_TYPE = 'application/watcherinfo+xml';
export const WATCHERINFO_NAMESPACE = 'urn:ietf:params:xml:ns:watcherinfo';
export const MAX_WATCHERS = 1000;

export type WatcherStatus = 'pending' | 'active' | 'waiting' | 'terminated';

export interface WatcherEntry {
  readonly id: string;
  /** the watcher's URI (the element's text) */
  readonly uri: string;
  readonly status: WatcherStatus;
  /** what made the status (subscribe, approved, deactivated, probation, rejected, timeout, giveup, noresource) */
  readonly event: string | null;
  readonly displayName: string | null;
}

export interface WatcherList {
  readonly resource: string;
  readonly package: string;
  readonly watchers: readonly WatcherEntry[];
}

export interface WatcherInfo {
  readonly version: number;
  readonly state: 'full' | 'partial';
  readonly lists: readonly WatcherList[];
}

export type WatcherInfoParseResult = { readonly ok: true; readonly value: WatcherInfo } | { readonly ok: false; readonly problem: string };

const STATUSES: readonly WatcherStatus[] = ['pending', 'active', 'waiting', 'terminated'];

export function parseWatcherinfo(body: string | Buffer): WatcherInfoParseResult {
  const xml = parseXml(body);
  if (!xml.ok) return xml;
  if (xml.rootName !== 'watcherinfo') return { ok: false, problem: `root element is ${xml.rootName}, not watcherinfo` };
  if (xml.rootNamespace !== WATCHERINFO_NAMESPACE) return { ok: false, problem: 'watcherinfo is not in the RFC 3858 name space' };
  const versionText = attribute(xml.root, 'version') ?? '';
  // §4.2: version is a non-negative integer (bounded here to what a counter can reach)
  if (!/^\d{1,10}$/.test(versionText)) return { ok: false, problem: 'watcherinfo has no valid version (RFC 3858 §4.2)' };
  const state = attribute(xml.root, 'state');
  if (state !== 'full' && state !== 'partial') return { ok: false, problem: 'watcherinfo state is neither full nor partial' };
  const lists: WatcherList[] = [];
  let count = 0;
  for (const list of children(xml.root, 'watcher-list')) {
    const resource = attribute(list, 'resource');
    const pkg = attribute(list, 'package');
    if (resource === null || pkg === null) return { ok: false, problem: 'watcher-list without resource or package' };
    const watchers: WatcherEntry[] = [];
    for (const w of children(list, 'watcher')) {
      if (++count > MAX_WATCHERS) return { ok: false, problem: `more than ${MAX_WATCHERS} watchers` };
      const id = attribute(w, 'id');
      const status = attribute(w, 'status') as WatcherStatus | null;
      const uri = textOf(w).trim();
      if (id === null || status === null || !STATUSES.includes(status) || uri === '') {
        return { ok: false, problem: 'watcher without id, a known status or a URI (RFC 3858 §4.2)' };
      }
      watchers.push({ id, uri, status, event: attribute(w, 'event'), displayName: attribute(w, 'display-name') });
    }
    lists.push({ resource, package: pkg, watchers });
  }
  return { ok: true, value: { version: Number(versionText), state, lists } };
}
