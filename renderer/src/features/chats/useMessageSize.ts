/**
 * The composer's byte counter (issue 16 item 7): one count everywhere, the whole MESSAGE request as main's
 * sender counts it (start line, headers, a likely Proxy-Authorization, body; RFC 3428 §8), asked for once
 * the text itself nears the limit and shown from COUNTER_FROM bytes on.
 */
import { useEffect, useState } from 'react';
import type { MessageSizeDto } from '#shared/domain/chat.ts';
import { utf8Bytes } from '../../lib/utf8.ts';

/** the counter shows from this request size on */
export const COUNTER_FROM = 1000;
/** below this many text bytes the request cannot reach COUNTER_FROM (headers are at least ~300 bytes): no need to ask */
export const MEASURE_FROM = 500;
/** wait this long after the last keystroke before asking main */
const SETTLE_MS = 150;

/** what the counter says */
export function sizeWords(size: MessageSizeDto): string {
  const count = `${String(size.bytes)} / ${String(size.limit)} bytes`;
  if (size.fits) return size.bytes > size.limit ? `${count} (sent whole: your connection is TCP/TLS)` : count;
  const parts = `split into ${String(size.parts)} parts`;
  return `${count}: too long for one message; ${size.canStream ? `send it whole over TCP or ${parts}` : `it can be ${parts}`}`;
}

/** the same draft being edited: the two texts start alike (a new message or a pasted replacement does not) */
export const sameDraft = (measured: string, now: string): boolean => measured === now || (measured.slice(0, 32) === now.slice(0, 32) && Math.abs(measured.length - now.length) < 200);

/** whether the counter is shown for this size */
export const showCounter = (size: MessageSizeDto | null): size is MessageSizeDto => size !== null && size.bytes >= COUNTER_FROM;

/** the measured size of `text` when the counter should show, else null */
export function useMessageSize(text: string, measure: ((body: string) => Promise<MessageSizeDto | null>) | undefined): MessageSizeDto | null {
  const [measured, setMeasured] = useState<{ readonly text: string; readonly size: MessageSizeDto } | null>(null);
  const worth = measure !== undefined && utf8Bytes(text) >= MEASURE_FROM;
  useEffect(() => {
    if (!worth) return;
    let live = true;
    const t = window.setTimeout(() => {
      void measure(text).then((size) => {
        if (live && size !== null) setMeasured({ text, size });
      });
    }, SETTLE_MS);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [text, worth, measure]);
  // while the user edits the same draft, the last count stays on screen until the new one arrives (no
  // flicker at each keystroke); a count for another text (the previous message, a replaced draft) never shows
  if (!worth || measured === null || !sameDraft(measured.text, text)) return null;
  return showCounter(measured.size) ? measured.size : null;
}
