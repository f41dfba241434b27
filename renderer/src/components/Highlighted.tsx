import type { ReactNode } from 'react';

/** the words of `query` (2+ characters each, case-insensitive) split out of `text`, as [text, isMatch] parts */
export function highlightParts(text: string, query: string): [string, boolean][] {
  const words = [...new Set(query.toLowerCase().split(/\s+/).map((w) => w.replace(/["*()^:]/g, '')).filter((w) => w.length >= 2))];
  if (words.length === 0) return [[text, false]];
  const lower = text.toLowerCase();
  const parts: [string, boolean][] = [];
  let at = 0;
  while (at < text.length) {
    let best = -1;
    let len = 0;
    for (const w of words) {
      const i = lower.indexOf(w, at);
      if (i >= 0 && (best < 0 || i < best || (i === best && w.length > len))) {
        best = i;
        len = w.length;
      }
    }
    if (best < 0) break;
    if (best > at) parts.push([text.slice(at, best), false]);
    parts.push([text.slice(best, best + len), true]);
    at = best + len;
  }
  if (at < text.length) parts.push([text.slice(at), false]);
  return parts;
}

/** text with the search words marked (<mark>, as text: never HTML) */
export function Highlighted({ text, query }: { readonly text: string; readonly query: string }): ReactNode {
  return (
    <>
      {highlightParts(text, query).map(([part, hit], i) => (hit ? <mark key={i}>{part}</mark> : <span key={i}>{part}</span>))}
    </>
  );
}
