/**
 * Read receipts (RFC 5438 display notifications): tells main which incoming messages of the open
 * conversation were on screen while the window had the focus and was visible. Main sends `displayed`
 * only to senders who asked for it and only while the user's "send read receipts" setting is on; it
 * reports each message at most once, and so does this hook (per mounted conversation).
 *
 * "On screen": the newest messages of the timeline — the ones the chat shows when it opens and when a
 * message arrives (the list is pinned to the bottom) — not older pages scrolled out of view.
 */
import { useEffect, useRef } from 'react';
import type { ConversationId, MessageId } from '#shared/domain/ids.ts';
import { messagesDisplayed } from '../../bridge/api.ts';
import { appStore } from '../../store/store.ts';

/** how many of the newest timeline entries count as visible */
export const VISIBLE_NEWEST = 30;

export function useDisplayedReceipts(conversationId: ConversationId): void {
  const reported = useRef(new Set<string>());
  useEffect(() => {
    reported.current = new Set();
    const report = () => {
      if (typeof document === 'undefined' || document.visibilityState !== 'visible' || !document.hasFocus()) return;
      const s = appStore.getState();
      const ids = s.timelines[conversationId]?.ids ?? [];
      const fresh: MessageId[] = [];
      for (const id of ids.slice(-VISIBLE_NEWEST)) {
        const m = s.messages[id];
        if (m === undefined || m.direction !== 'in' || reported.current.has(id)) continue;
        reported.current.add(id);
        fresh.push(m.id);
      }
      if (fresh.length > 0) void messagesDisplayed({ conversationId, messageIds: fresh });
    };
    report();
    const unsubscribe = appStore.subscribe((s, before) => {
      if (s.timelines[conversationId] !== before.timelines[conversationId]) report();
    });
    window.addEventListener('focus', report);
    document.addEventListener('visibilitychange', report);
    return () => {
      unsubscribe();
      window.removeEventListener('focus', report);
      document.removeEventListener('visibilitychange', report);
    };
  }, [conversationId]);
}
