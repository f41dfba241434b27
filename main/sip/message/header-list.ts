import { equalsIgnoreCase } from './chars.ts';
import { KNOWN_KEYS, LIST_HEADERS, canonicalHeaderName, splitTopLevel } from './header-names.ts';
import type { CSeq, HeaderField, MediaType, NameAddr, Via } from './types.ts';

export { canonicalHeaderName, isListHeader, splitTopLevel } from './header-names.ts';

export type HeaderInput = readonly (readonly [string, string])[] | readonly HeaderField[];

/** the spelling most messages use for the names a response copies (RFC 3261 §20): no new string for them */
const USUAL_SPELLING: ReadonlyMap<string, string> = new Map([
  ['via', 'Via'], ['from', 'From'], ['to', 'To'], ['call-id', 'Call-ID'], ['cseq', 'CSeq'], ['timestamp', 'Timestamp'],
]);

export interface Entry {
  readonly name: string;
  readonly value: string;
  /** canonical (lower-case, compact expanded) name */
  readonly key: string;
}

/**
 * Typed values of the header fields every layer reads, built by the parser while it validates them
 * (one scan: RFC 3261 §8.2, §17.1.3, §17.2.3) or on first access; `undefined` = not built yet.
 * Plain fields rather than a Map: these are read for every message.
 */
export class HotValues {
  topVia: Via | null | undefined = undefined;
  from: NameAddr | null | undefined = undefined;
  to: NameAddr | null | undefined = undefined;
  callId: string | null | undefined = undefined;
  cseq: CSeq | null | undefined = undefined;
  contact: NameAddr[] | '*' | undefined = undefined;
  contentType: MediaType | null | undefined = undefined;
  contentLength: number | null | undefined = undefined;
  maxForwards: number | null | undefined = undefined;
}

/**
 * Ordered raw header fields (§7.3). Unknown headers are kept verbatim and in order, so a proxy-style
 * round trip loses nothing. Lookups match names case-insensitively, compact forms included.
 * Typed values parsed from fields are cached here and dropped on any change.
 */
export class HeaderList implements Iterable<HeaderField> {
  /** null while the list is still the parser's offsets (materialised on first general access) */
  private entries: Entry[] | null;
  private cache: Map<string, unknown> | null = null;
  private hotValues: HotValues | null = null;
  /** parsed form: the header section, 4 offsets a field (name start/end, value start/end), known keys */
  private src = '';
  private pos: readonly number[] = NO_POS;
  private keys: readonly (string | null)[] = NO_KEYS;
  /** unfolded values (§7.3.1) where a field had continuation lines */
  private over: readonly (string | null)[] | null = null;

  constructor(init?: HeaderInput) {
    this.entries = [];
    if (init) for (const h of init) this.append(...fieldOf(h));
  }

  /**
   * @internal parser fast path: the fields of `src` by offsets; `keys[i]` is the canonical name when
   * known (knownHeaderKey), else null. Entry objects are only built when something needs them.
   */
  static fromSource(src: string, pos: readonly number[], keys: readonly (string | null)[], over: readonly (string | null)[] | null): HeaderList {
    const list = new HeaderList();
    list.entries = null;
    list.src = src;
    list.pos = pos;
    list.keys = keys;
    list.over = over;
    return list;
  }

  private valueAt(i: number): string {
    const o = this.over?.[i];
    if (o !== undefined && o !== null) return o;
    return this.src.slice(this.pos[4 * i + 2], this.pos[4 * i + 3]);
  }

  private list(): Entry[] {
    if (this.entries !== null) return this.entries;
    const n = this.keys.length;
    const entries = new Array<Entry>(n);
    for (let i = 0; i < n; i++) {
      const name = this.src.slice(this.pos[4 * i], this.pos[4 * i + 1]);
      entries[i] = { name, value: this.valueAt(i), key: this.keys[i] ?? canonicalHeaderName(name) };
    }
    this.entries = entries;
    this.src = '';
    this.pos = NO_POS;
    this.keys = NO_KEYS;
    this.over = null;
    return entries;
  }

  get size(): number {
    return this.entries === null ? this.keys.length : this.entries.length;
  }

  /** First raw value of the named header, or null. */
  get(name: string): string | null {
    return this.getKey(canonicalHeaderName(name));
  }

  /** @internal lookup by an already canonical key */
  getKey(key: string): string | null {
    if (this.entries === null && KNOWN_KEYS.has(key)) {
      const keys = this.keys;
      for (let i = 0; i < keys.length; i++) if (keys[i] === key) return this.valueAt(i);
      return null;
    }
    if (this.entries === null) return this.unknownKey(key);
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      if (e !== undefined && e.key === key) return e.value;
    }
    return null;
  }

  /**
   * An unknown name (e.g. Content-Transfer-Encoding) is only ever a field whose key is null: its name
   * compared as written, without building every entry (issue 18).
   */
  private unknownKey(key: string): string | null {
    const keys = this.keys;
    const pos = this.pos;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === null && equalsIgnoreCase(this.src, pos[4 * i] as number, pos[4 * i + 1] as number, key)) return this.valueAt(i);
    }
    return null;
  }

  /** Raw values of every field with this name; list headers (§7.3.1) are split at top-level commas. */
  getAll(name: string): string[] {
    const key = canonicalHeaderName(name);
    const split = LIST_HEADERS.has(key);
    const out: string[] = [];
    for (const e of this.list()) {
      if (e.key !== key) continue;
      if (split) for (const v of splitTopLevel(e.value)) out.push(v);
      else out.push(e.value);
    }
    return out;
  }

  /** @internal raw field values (unsplit) by canonical key */
  fieldsOf(key: string): string[] {
    const out: string[] = [];
    if (this.entries === null && KNOWN_KEYS.has(key)) {
      const keys = this.keys;
      for (let i = 0; i < keys.length; i++) if (keys[i] === key) out.push(this.valueAt(i));
      return out;
    }
    for (const e of this.list()) if (e.key === key) out.push(e.value);
    return out;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  /** Replaces every field of this name by one field, at the position of the first (else appended). */
  set(name: string, value: string): this {
    const key = canonicalHeaderName(name);
    const idx = this.list().findIndex((e) => e.key === key);
    const entry: Entry = { name, value, key };
    if (idx < 0) this.list().push(entry);
    else {
      const next: Entry[] = [];
      this.list().forEach((e, i) => {
        if (i === idx) next.push(entry);
        else if (e.key !== key) next.push(e);
      });
      this.entries = next;
    }
    this.changed();
    return this;
  }

  append(name: string, value: string): this {
    this.list().push({ name, value, key: canonicalHeaderName(name) });
    this.changed();
    return this;
  }

  /** Inserts before the first field of the same name (e.g. a new top Via, §16.6 step 8), else first. */
  prepend(name: string, value: string): this {
    const key = canonicalHeaderName(name);
    const idx = this.list().findIndex((e) => e.key === key);
    this.list().splice(idx < 0 ? 0 : idx, 0, { name, value, key });
    this.changed();
    return this;
  }

  /** Removes every field of this name; returns how many were removed. */
  remove(name: string): number {
    const key = canonicalHeaderName(name);
    const before = this.list().length;
    this.entries = this.list().filter((e) => e.key !== key);
    if (this.entries.length !== before) this.changed();
    return before - this.entries.length;
  }

  /** Removes the first value of a list header (e.g. the top Via, §18.1.2); returns it or null. */
  shift(name: string): string | null {
    const key = canonicalHeaderName(name);
    const idx = this.list().findIndex((e) => e.key === key);
    const e = this.list()[idx];
    if (e === undefined) return null;
    const parts = LIST_HEADERS.has(key) ? splitTopLevel(e.value) : [e.value];
    const first = parts.shift() ?? null;
    if (parts.length === 0) this.list().splice(idx, 1);
    else this.list()[idx] = { name: e.name, value: parts.join(', '), key };
    this.changed();
    return first;
  }

  *[Symbol.iterator](): Iterator<HeaderField> {
    for (const e of this.list()) yield { name: e.name, value: e.value };
  }

  toArray(): HeaderField[] {
    return this.list().map((e) => ({ name: e.name, value: e.value }));
  }

  /** @internal number of fields; with keyAt/nameAt/valueOf, reads the fields without building entries */
  count(): number {
    return this.entries === null ? this.keys.length : this.entries.length;
  }

  /** @internal canonical name of field i */
  keyAt(i: number): string {
    if (this.entries !== null) return (this.entries[i] as Entry).key;
    return this.keys[i] ?? canonicalHeaderName(this.nameAt(i));
  }

  /** @internal name of field i as written (the usual spelling of a common name is a shared string) */
  nameAt(i: number): string {
    if (this.entries !== null) return (this.entries[i] as Entry).name;
    const from = this.pos[4 * i] as number;
    const to = this.pos[4 * i + 1] as number;
    const usual = USUAL_SPELLING.get(this.keys[i] ?? '');
    if (usual !== undefined && to - from === usual.length && this.src.startsWith(usual, from)) return usual;
    return this.src.slice(from, to);
  }

  /** @internal value of field i (unfolded) */
  valueOf(i: number): string {
    if (this.entries !== null) return (this.entries[i] as Entry).value;
    return this.valueAt(i);
  }

  /** @internal a list holding these entries (name, value and canonical key each), e.g. a response's copied fields */
  static ofEntries(entries: Entry[]): HeaderList {
    const list = new HeaderList();
    list.entries = entries;
    return list;
  }

  /** @internal entries for the serializer */
  raw(): readonly Entry[] {
    return this.list();
  }

  clone(): HeaderList {
    const list = new HeaderList();
    list.entries = this.list().slice();
    return list;
  }

  /** @internal typed-value cache, valid until the next change */
  cached<T>(key: string, compute: (h: HeaderList) => T): T {
    let cache = this.cache;
    if (cache === null) cache = this.cache = new Map();
    const hit = cache.get(key);
    if (hit !== undefined || cache.has(key)) return hit as T;
    const v = compute(this);
    cache.set(key, v);
    return v;
  }

  /** @internal the hot typed values (HotValues), valid until the next change */
  hot(): HotValues {
    let h = this.hotValues;
    if (h === null) h = this.hotValues = new HotValues();
    return h;
  }

  /** @internal the parser's values, built while validating */
  prime(values: HotValues): void {
    this.hotValues = values;
  }

  private changed(): void {
    this.cache = null;
    this.hotValues = null;
  }
}

const NO_POS: readonly number[] = [];
const NO_KEYS: readonly (string | null)[] = [];

function fieldOf(h: readonly [string, string] | HeaderField): [string, string] {
  return Array.isArray(h) ? [h[0], h[1]] : [(h as HeaderField).name, (h as HeaderField).value];
}
