/**
 * The pager-mode size rule (RFC 3428 §8): outside a media session a MESSAGE request MUST NOT exceed
 * 1300 bytes unless the first hop is congestion controlled (TCP/TLS). Too-big text can be split into
 * numbered parts "(1/3) ...", each of whose request fits the limit.
 */

/** RFC 3428 §8 */
export const PAGER_SIZE_LIMIT = 1300;

/**
 * Octets allowed for the start line and headers when the sender gives no estimate: a MESSAGE with Via
 * (branch, rport), From/To with tags and display names, Call-ID, CSeq, Max-Forwards, Content-Type,
 * Content-Length, Date, Expires, User-Agent runs to ~350 bytes; a Proxy-Authorization after a 407 adds
 * ~250 more for long URIs. 450 is generous for the common case; the glue should give a real estimate.
 */
export const HEADER_ALLOWANCE = 450;

/** Splits `text` into consecutive pieces of at most `maxBytes` UTF-8 octets each. */
function pieces(text: string, maxBytes: number): string[] {
  if (maxBytes < 8) throw new Error(`splitText: budget of ${String(maxBytes)} bytes is too small`);
  // grapheme clusters: an emoji with modifiers or a letter with combining marks stays whole
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const units: string[] = [];
  for (const { segment } of segmenter.segment(text)) {
    if (Buffer.byteLength(segment, 'utf8') <= maxBytes) units.push(segment);
    else units.push(...segment); // a pathological cluster: fall back to code points (never mid-sequence)
  }
  const parts: string[] = [];
  let current: string[] = [];
  let bytes = 0;
  let lastSpace = -1; // index in `current` just after the last whitespace unit
  for (const unit of units) {
    const n = Buffer.byteLength(unit, 'utf8');
    if (bytes + n > maxBytes && current.length > 0) {
      // prefer to break after whitespace, unless that leaves the part less than half full
      const cut = lastSpace > 0 && lastSpace >= current.length / 2 ? lastSpace : current.length;
      parts.push(current.slice(0, cut).join(''));
      current = current.slice(cut);
      // what is left holds no whitespace (the cut was after the last one) or nothing at all
      bytes = Buffer.byteLength(current.join(''), 'utf8');
      lastSpace = -1;
    }
    current.push(unit);
    bytes += n;
    if (/^\s+$/u.test(unit)) lastSpace = current.length;
  }
  if (current.length > 0) parts.push(current.join(''));
  return parts;
}

const prefix = (i: number, n: number): string => `(${String(i)}/${String(n)}) `;

/**
 * Splits `text` into numbered parts "(i/n) ..." such that `fits(part)` holds for each. `overhead(n)`
 * is the request size of a part with an empty text (headers + wrapping), linear in the text bytes.
 * The texts without their prefixes concatenate back to `text`.
 */
export function splitForLimit(text: string, limit: number, overhead: number): string[] {
  let digits = 1;
  for (;;) {
    const budget = limit - overhead - Buffer.byteLength(prefix(10 ** digits - 1, 10 ** digits - 1), 'utf8');
    const texts = pieces(text, budget);
    if (String(texts.length).length <= digits) return texts.map((t, i) => prefix(i + 1, texts.length) + t);
    digits = String(texts.length).length;
  }
}
