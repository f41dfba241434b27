import { useState, type FormEvent, type ReactNode } from 'react';
import type { SearchHit } from '#shared/domain/chat.ts';
import { Highlighted } from '../../components/Highlighted.tsx';
import { shortWhen } from '../../lib/format.ts';
import { actions } from '../../store/store.ts';
import { searchHistory } from '../chats/commands.ts';

/** Full-text search across the whole history (main's FTS index). */
export function SearchScreen(): ReactNode {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<readonly SearchHit[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [searched, setSearched] = useState('');
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (query.trim() === '') return;
    const r = await searchHistory(query.trim());
    if (r.ok) {
      setHits(r.value);
      setSearched(query.trim());
      setProblem(null);
    } else setProblem(r.error);
  };
  return (
    <section className="screen" aria-label="Search messages">
      <header className="screen-head">
        <h2>Search</h2>
      </header>
      <form className="inline-form" role="search" onSubmit={onSubmit}>
        <input type="search" autoFocus aria-label="Search all messages" placeholder="Search all messages (Ctrl+F)" value={query} onChange={(e) => setQuery(e.target.value)} />
        <button type="submit" className="primary">Search</button>
      </form>
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
      {hits === null ? <p className="muted">Type words from a message and press Enter.</p> : null}
      {hits !== null && hits.length === 0 ? <p className="muted">Nothing found for “{query}”.</p> : null}
      {hits && hits.length > 0 ? (
        <ul className="card-list" aria-label="Search results">
          {hits.map((h) => (
            <li key={h.message.id}>
              <button type="button" className="card hit" onClick={() => actions().searchHitOpened({ conversationId: h.message.conversationId, messageId: h.message.id, query: searched })}>
                <span className="hit-head"><strong>{h.conversationTitle}</strong><time>{shortWhen(h.message.createdAt)}</time></span>
                <span className="hit-snippet"><Highlighted text={h.snippet} query={searched} /></span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
