import type { Result } from '#shared/ipc/result.ts';

/** What a command tells the screen: done (with a value) or the plain-words error to show. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export async function outcome<T>(pending: Promise<Result<T>>, onValue?: (value: T) => void): Promise<Outcome<T>> {
  const r = await pending;
  if (!r.ok) return { ok: false, error: r.error.message || `Failed (${r.error.code}).` };
  onValue?.(r.value);
  return { ok: true, value: r.value };
}
