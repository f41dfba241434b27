/**
 * The paging cursor: the (created_at, id) key of the oldest message of a page, as an opaque string.
 * The next page is everything strictly before that key (keyset pagination), so paging never skips or
 * repeats a message when new ones arrive meanwhile.
 */
export interface CursorKey {
  readonly createdAt: number;
  readonly id: number;
}

const PREFIX = 'k1.';

export function encodeCursor(key: CursorKey): string {
  return `${PREFIX}${key.createdAt.toString(36)}.${key.id.toString(36)}`;
}

/** Throws on a cursor this module did not make. */
export function decodeCursor(cursor: string): CursorKey {
  const m = /^k1\.(-?[0-9a-z]{1,12})\.([0-9a-z]{1,12})$/.exec(cursor);
  const createdAt = m?.[1] === undefined ? Number.NaN : parseInt(m[1], 36);
  const id = m?.[2] === undefined ? Number.NaN : parseInt(m[2], 36);
  if (!Number.isSafeInteger(createdAt) || !Number.isSafeInteger(id) || id < 1) {
    throw new Error('invalid paging cursor');
  }
  return { createdAt, id };
}
