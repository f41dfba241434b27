import { sliceTrimmed } from './chars.ts';
import type { HeaderField } from './types.ts';

/** Compact forms (RFC 3261 §7.3.3, §20; RFC 3265, 3515, 3892, 3841, 4028, 4474). */
const COMPACT: Record<string, string> = {
  i: 'call-id', f: 'from', t: 'to', v: 'via', m: 'contact', l: 'content-length', c: 'content-type',
  k: 'supported', s: 'subject', e: 'content-encoding', o: 'event', u: 'allow-events', r: 'refer-to',
  b: 'referred-by', x: 'session-expires', y: 'identity', n: 'identity-info', a: 'accept-contact',
  j: 'reject-contact', d: 'request-disposition',
};

/**
 * Headers whose values may be combined with commas (§7.3.1): getAll() splits these.
 * WWW-Authenticate & co. are not here: their values contain commas.
 */
const LIST = new Set([
  'via', 'contact', 'route', 'record-route', 'path', 'service-route', 'accept', 'accept-encoding',
  'accept-language', 'allow', 'allow-events', 'supported', 'require', 'proxy-require', 'unsupported',
  'content-encoding', 'content-language', 'warning', 'alert-info', 'call-info', 'error-info',
  'in-reply-to', 'reply-to', 'accept-contact', 'reject-contact', 'request-disposition', 'reason',
  'p-asserted-identity', 'p-preferred-identity', 'history-info', 'security-client', 'security-server',
  'security-verify', 'privacy',
]);

/** Lower-cased full header name; compact forms expanded. */
export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  if (lower.length === 1) return COMPACT[lower] ?? lower;
  return lower;
}

export function isListHeader(name: string): boolean {
  return LIST.has(canonicalHeaderName(name));
}

/** Splits at top-level commas: not inside quotes, <> or after a backslash in quotes. */
export function splitTopLevel(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuote) {
      if (c === 92) i++;
      else if (c === 34) inQuote = false;
    } else if (c === 34) inQuote = true;
    else if (c === 60) inAngle = true;
    else if (c === 62) inAngle = false;
    else if (c === 44 && !inAngle) {
      out.push(sliceTrimmed(value, start, i));
      start = i + 1;
    }
  }
  out.push(sliceTrimmed(value, start, value.length));
  return out.filter((v) => v.length > 0);
}

export type HeaderInput = readonly (readonly [string, string])[] | readonly HeaderField[];

interface Entry {
  readonly name: string;
  readonly value: string;
  /** canonical (lower-case, compact expanded) name */
  readonly key: string;
}

/**
 * Ordered raw header fields (§7.3). Unknown headers are kept verbatim and in order, so a proxy-style
 * round trip loses nothing. Lookups match names case-insensitively, compact forms included.
 * Typed values parsed from fields are cached here and dropped on any change.
 */
export class HeaderList implements Iterable<HeaderField> {
  private entries: Entry[];
  private cache: Map<string, unknown> | null = null;

  constructor(init?: HeaderInput) {
    this.entries = [];
    if (init) for (const h of init) this.append(...fieldOf(h));
  }

  /** @internal parser fast path: takes already-canonicalised entries */
  static fromParsed(names: string[], values: string[], keys: string[]): HeaderList {
    const list = new HeaderList();
    const entries: Entry[] = new Array<Entry>(names.length);
    for (let i = 0; i < names.length; i++) entries[i] = { name: names[i] ?? '', value: values[i] ?? '', key: keys[i] ?? '' };
    list.entries = entries;
    return list;
  }

  get size(): number {
    return this.entries.length;
  }

  /** First raw value of the named header, or null. */
  get(name: string): string | null {
    const key = canonicalHeaderName(name);
    for (const e of this.entries) if (e.key === key) return e.value;
    return null;
  }

  /** @internal lookup by an already canonical key */
  getKey(key: string): string | null {
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      if (e !== undefined && e.key === key) return e.value;
    }
    return null;
  }

  /** Raw values of every field with this name; list headers (§7.3.1) are split at top-level commas. */
  getAll(name: string): string[] {
    const key = canonicalHeaderName(name);
    const split = LIST.has(key);
    const out: string[] = [];
    for (const e of this.entries) {
      if (e.key !== key) continue;
      if (split) for (const v of splitTopLevel(e.value)) out.push(v);
      else out.push(e.value);
    }
    return out;
  }

  /** @internal raw field values (unsplit) by canonical key */
  fieldsOf(key: string): string[] {
    const out: string[] = [];
    for (const e of this.entries) if (e.key === key) out.push(e.value);
    return out;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  /** Replaces every field of this name by one field, at the position of the first (else appended). */
  set(name: string, value: string): this {
    const key = canonicalHeaderName(name);
    const idx = this.entries.findIndex((e) => e.key === key);
    const entry: Entry = { name, value, key };
    if (idx < 0) this.entries.push(entry);
    else {
      const next: Entry[] = [];
      this.entries.forEach((e, i) => {
        if (i === idx) next.push(entry);
        else if (e.key !== key) next.push(e);
      });
      this.entries = next;
    }
    this.changed();
    return this;
  }

  append(name: string, value: string): this {
    this.entries.push({ name, value, key: canonicalHeaderName(name) });
    this.changed();
    return this;
  }

  /** Inserts before the first field of the same name (e.g. a new top Via, §16.6 step 8), else first. */
  prepend(name: string, value: string): this {
    const key = canonicalHeaderName(name);
    const idx = this.entries.findIndex((e) => e.key === key);
    this.entries.splice(idx < 0 ? 0 : idx, 0, { name, value, key });
    this.changed();
    return this;
  }

  /** Removes every field of this name; returns how many were removed. */
  remove(name: string): number {
    const key = canonicalHeaderName(name);
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.key !== key);
    if (this.entries.length !== before) this.changed();
    return before - this.entries.length;
  }

  /** Removes the first value of a list header (e.g. the top Via, §18.1.2); returns it or null. */
  shift(name: string): string | null {
    const key = canonicalHeaderName(name);
    const idx = this.entries.findIndex((e) => e.key === key);
    const e = this.entries[idx];
    if (e === undefined) return null;
    const parts = LIST.has(key) ? splitTopLevel(e.value) : [e.value];
    const first = parts.shift() ?? null;
    if (parts.length === 0) this.entries.splice(idx, 1);
    else this.entries[idx] = { name: e.name, value: parts.join(', '), key };
    this.changed();
    return first;
  }

  *[Symbol.iterator](): Iterator<HeaderField> {
    for (const e of this.entries) yield { name: e.name, value: e.value };
  }

  toArray(): HeaderField[] {
    return this.entries.map((e) => ({ name: e.name, value: e.value }));
  }

  /** @internal entries for the serializer */
  raw(): readonly Entry[] {
    return this.entries;
  }

  clone(): HeaderList {
    const list = new HeaderList();
    list.entries = this.entries.slice();
    return list;
  }

  /** @internal typed-value cache, valid until the next change */
  cached<T>(key: string, compute: () => T): T {
    let cache = this.cache;
    if (cache === null) cache = this.cache = new Map();
    if (cache.has(key)) return cache.get(key) as T;
    const v = compute();
    cache.set(key, v);
    return v;
  }

  /** @internal */
  prime(key: string, value: unknown): void {
    if (this.cache === null) this.cache = new Map();
    this.cache.set(key, value);
  }

  private changed(): void {
    this.cache = null;
  }
}

function fieldOf(h: readonly [string, string] | HeaderField): [string, string] {
  return Array.isArray(h) ? [h[0], h[1]] : [(h as HeaderField).name, (h as HeaderField).value];
}
