/**
 * Turns what a person typed into an FTS5 MATCH expression that cannot be FTS syntax: every term
 * becomes a quoted string (internal quotes doubled, https://sqlite.org/fts5.html §3.1) with a prefix
 * star, and the terms are ANDed. `NEAR(`, `OR`, `-x`, `col:` and stray quotes are searched as text.
 * Returns null when nothing searchable is left.
 */
const MAX_TERMS = 16;

export function ftsMatchExpression(query: string): string | null {
  const terms = query
    .split(/\s+/u)
    // the unicode61 tokenizer drops punctuation; a term made only of it would match nothing useful
    .filter((t) => /[\p{L}\p{N}]/u.test(t))
    .slice(0, MAX_TERMS);
  if (terms.length === 0) return null;
  return terms.map((t) => `"${t.replaceAll('"', '""')}"*`).join(' ');
}
