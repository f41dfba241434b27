/**
 * Drafts per conversation (issue 16 item 10): what the user typed and did not send stays with its
 * conversation when they switch, and survives a restart (localStorage of the app's own origin; never
 * leaves the machine). Writes are bounded: at most MAX_DRAFTS drafts of at most MAX_DRAFT_CHARS each.
 */
import type { SliceCreator } from './types.ts';

export const DRAFTS_KEY = 'sip-messenger.drafts.v1';
const MAX_DRAFTS = 200;
const MAX_DRAFT_CHARS = 64 * 1024;

export interface DraftsSlice {
  /** draft text by conversation id (absent = empty) */
  readonly drafts: Readonly<Record<string, string>>;
  draftChanged(conversationId: string, text: string): void;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function loadDrafts(): Record<string, string> {
  const raw = storage()?.getItem(DRAFTS_KEY);
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string' && v !== '') out[k] = v.slice(0, MAX_DRAFT_CHARS);
    return out;
  } catch {
    return {};
  }
}

function saveDrafts(drafts: Readonly<Record<string, string>>): void {
  try {
    storage()?.setItem(DRAFTS_KEY, JSON.stringify(drafts));
  } catch {
    // storage full or unavailable: the draft still lives in memory for this session
  }
}

export const initialDrafts = { drafts: {} as Readonly<Record<string, string>> };

export const createDraftsSlice: SliceCreator<DraftsSlice> = (set) => ({
  drafts: loadDrafts(),
  draftChanged: (conversationId, text) =>
    set((s) => {
      const drafts = { ...s.drafts };
      if (text === '') delete drafts[conversationId];
      else drafts[conversationId] = text.slice(0, MAX_DRAFT_CHARS);
      const keys = Object.keys(drafts);
      for (const k of keys.slice(0, Math.max(0, keys.length - MAX_DRAFTS))) delete drafts[k];
      saveDrafts(drafts);
      return { drafts };
    }),
});
