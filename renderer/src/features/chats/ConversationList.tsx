import type { ReactNode } from 'react';
import type { ConversationId } from '#shared/domain/ids.ts';
import { UnreadBadge } from '../../components/UnreadBadge.tsx';
import { shortWhen } from '../../lib/format.ts';
import { actions } from '../../store/store.ts';
import { useApp } from '../../store/use-app.ts';

/** Conversations, most recent activity first, with the last message, its time and the unread count. */
export function ConversationList(): ReactNode {
  const conversations = useApp((s) => s.conversations);
  // highlighted only while the chat is on screen (not while Search or Diagnostics is)
  const openId = useApp((s) => (s.screen === 'chat' ? s.openConversationId : null));
  const hasAccount = useApp((s) => s.accounts.ids.length > 0);
  if (conversations.ids.length === 0) {
    return (
      <p className="muted small">
        {hasAccount ? 'No conversations yet. Start one from Contacts.' : 'Your conversations will appear here.'}
      </p>
    );
  }
  return (
    <ul className="conversation-list" aria-label="Conversation list">
      {conversations.ids.map((id) => {
        const c = conversations.byId[id];
        if (!c) return null;
        const last = c.lastMessage;
        return (
          <li key={id}>
            <button
              type="button"
              className={`conversation ${openId === id ? 'active' : ''} ${c.unread > 0 ? 'unread' : ''}`}
              aria-current={openId === id ? 'true' : undefined}
              aria-label={`Conversation with ${c.title}${c.unread > 0 ? `, ${c.unread} unread` : ''}`}
              onClick={() => actions().conversationOpened(id as ConversationId)}
            >
              <span className="conversation-top">
                <span className="conversation-title">{c.title}</span>
                <time className="conversation-time">{shortWhen(c.lastActivity)}</time>
              </span>
              <span className="conversation-bottom">
                <span className="conversation-last">{last ? `${last.direction === 'out' ? 'You: ' : ''}${last.body}` : 'No messages yet'}</span>
                <UnreadBadge count={c.unread} />
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
