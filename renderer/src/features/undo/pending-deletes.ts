/**
 * Deleting with undo (issue 16 item 12), the way Gmail and Slack do it: a confirmed delete hides the item
 * at once and announces "… deleted · Undo"; the delete itself runs in main only after UNDO_MS (or when the
 * window goes away), so Undo simply brings the item back. Nothing is lost if the app quits in between:
 * the item is then still there.
 */
import { createStore } from 'zustand/vanilla';

export type PendingKind = 'contact' | 'conversation' | 'message';
/** how long Undo is offered */
export const UNDO_MS = 8000;

export interface PendingDelete {
  readonly key: string;
  readonly kind: PendingKind;
  readonly id: string;
  /** what the announcement says: "Contact Bob Builder deleted" */
  readonly label: string;
}

interface PendingState {
  readonly pending: readonly PendingDelete[];
  /** a delete main refused (the item is shown again) */
  readonly problem: string | null;
}

type Outcome = { readonly ok: boolean; readonly error?: string };

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}
const realTimers: Timers = {
  set: (fn, ms) => globalThis.setTimeout(fn, ms),
  clear: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

export const pendingStore = createStore<PendingState>(() => ({ pending: [], problem: null }));
const jobs = new Map<string, { readonly commit: () => Promise<Outcome>; readonly timer: unknown; readonly timers: Timers }>();

export const pendingKey = (kind: PendingKind, id: string) => `${kind}:${id}`;

/** Hides the item now and deletes it for real after UNDO_MS unless undone. */
export function scheduleDelete(item: Omit<PendingDelete, 'key'>, commit: () => Promise<Outcome>, timers: Timers = realTimers): string {
  const key = pendingKey(item.kind, item.id);
  if (jobs.has(key)) return key;
  const timer = timers.set(() => void commitDelete(key), UNDO_MS);
  jobs.set(key, { commit, timer, timers });
  pendingStore.setState((s) => ({ pending: [...s.pending, { ...item, key }], problem: null }));
  return key;
}

/** Brings the item back; false when it is already gone for real. */
export function undoDelete(key: string): boolean {
  const job = jobs.get(key);
  if (job === undefined) return false;
  job.timers.clear(job.timer);
  jobs.delete(key);
  pendingStore.setState((s) => ({ pending: s.pending.filter((p) => p.key !== key) }));
  return true;
}

/** Runs the delete now (the undo time is over, or the window closes). */
export async function commitDelete(key: string): Promise<void> {
  const job = jobs.get(key);
  if (job === undefined) return;
  job.timers.clear(job.timer);
  jobs.delete(key);
  const item = pendingStore.getState().pending.find((p) => p.key === key);
  let r: Outcome;
  try {
    r = await job.commit();
  } catch {
    r = { ok: false, error: 'The app did not answer.' };
  }
  pendingStore.setState((s) => ({
    pending: s.pending.filter((p) => p.key !== key),
    problem: r.ok ? s.problem : `Could not delete${item ? ` (${item.label.toLowerCase()})` : ''}: ${r.error ?? 'failed'}`,
  }));
}

/** every pending delete, now (the window is closing: what the user deleted stays deleted) */
export function commitAll(): Promise<void> {
  return Promise.all([...jobs.keys()].map((k) => commitDelete(k))).then(() => undefined);
}

/** ids of `kind` hidden while their delete waits */
export function hiddenIds(pending: readonly PendingDelete[], kind: PendingKind): ReadonlySet<string> {
  return new Set(pending.filter((p) => p.kind === kind).map((p) => p.id));
}

export function clearProblem(): void {
  pendingStore.setState({ problem: null });
}
