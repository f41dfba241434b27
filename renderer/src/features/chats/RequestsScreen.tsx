import { useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ConversationId } from '#shared/domain/ids.ts';
import { Avatar } from '../../components/Avatar.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { shortWhen } from '../../lib/format.ts';
import { actions } from '../../store/store.ts';
import { useApp } from '../../store/use-app.ts';
import { unblockAddress } from '../contacts/commands.ts';
import { conversationName } from './conversation-model.ts';
import { requestIds } from './requests-model.ts';

function RequestItem({ id }: { readonly id: string }): ReactNode {
  const c = useApp((s) => s.conversations.byId[id]);
  const name = useApp((s) => conversationName(s, id));
  if (!c) return null;
  const last = c.lastMessage;
  return (
    <li>
      <button type="button" className="card request-card" aria-label={`Message request from ${name}, ${c.peer}`} onClick={() => actions().conversationOpened(id as ConversationId)}>
        <Avatar name={name} size="small" />
        <span className="conversation-main">
          <span className="conversation-top">
            <strong className="conversation-title">{name}</strong>
            <time className="conversation-time">{shortWhen(c.lastActivity)}</time>
          </span>
          <span className="muted small">{c.peer}</span>
          <span className="conversation-last">{last ? last.body : 'No messages'}</span>
        </span>
      </button>
    </li>
  );
}

/**
 * Message requests (issue 10; Signal's model): messages from people not in the contacts wait here, never
 * notified and not counted as unread, until the user accepts, blocks or deletes them. Blocked addresses
 * are listed below with Unblock.
 */
export function RequestsScreen(): ReactNode {
  const ids = useApp(useShallow(requestIds));
  const blocked = useApp((s) => s.blocked);
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <section className="screen" aria-label="Message requests">
      <header className="screen-head">
        <h2>Message requests</h2>
      </header>
      <p className="muted">
        Messages from people who are not in your contacts. They do not notify you until you accept. Open one to accept, block or delete it.
      </p>
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
      {ids.length === 0 ? (
        <EmptyState title="No message requests">When someone who is not in your contacts writes to you, their message waits here.</EmptyState>
      ) : (
        <ul className="card-list" aria-label="Message request list">
          {ids.map((id) => <RequestItem key={id} id={id} />)}
        </ul>
      )}
      {blocked.length > 0 ? (
        <>
          <h3>Blocked</h3>
          <ul className="card-list" aria-label="Blocked addresses">
            {blocked.map((b) => (
              <li key={b.address} className="card">
                <div>
                  <strong>{b.displayName ?? b.address.replace(/^(sips?|im):/, '')}</strong>
                  <div className="muted small">{b.address}</div>
                </div>
                <button type="button" aria-label={`Unblock ${b.displayName ?? b.address}`} onClick={() => void unblockAddress(b.address).then((r) => setProblem(r.ok ? null : r.error))}>
                  Unblock
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
