/**
 * Conversations and messages use SQLite integer keys (AUTOINCREMENT: never reused after a delete);
 * they travel as decimal strings in the branded id types. Ids that are not a key we could have made
 * simply match nothing.
 */
export function toRowId(id: string): number | null {
  if (!/^[1-9][0-9]{0,14}$/.test(id)) return null;
  return Number(id);
}

export function fromRowId<T extends string>(id: number): T {
  return String(id) as T;
}
