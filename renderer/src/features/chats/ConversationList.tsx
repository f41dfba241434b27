import type { ReactNode } from 'react';
import { PresenceBadge } from '../../components/PresenceBadge.tsx';
import { AlertCircle, PhoneMissed } from 'lucide-react';
import type { ConversationId } from '#shared/domain/ids.ts';
import { Avatar } from '../../components/Avatar.tsx';
import { UnreadBadge } from '../../components/UnreadBadge.tsx';
import { canRetry } from '../../lib/delivery.ts';
import { shortWhen } from '../../lib/format.ts';
import { actions } from '../../store/store.ts';
import { useApp } from '../../store/use-app.ts';
import { callOutcome, callSummary } from '../calls/call-words.ts';
import { useShallow } from 'zustand/react/shallow';
import { callsOfConversation, conversationName } from './conversation-model.ts';
import { useHidden } from '../undo/usePending.ts';
import { mainConversationIds, requestIds } from './requests-model.ts';

function ConversationItem({ id, active }: { readonly id: string; readonly active: boolean }): ReactNode {
  const c = useApp((s) => s.conversations.byId[id]);
  const name = useApp((s) => conversationName(s, id));
  const lastCall = useApp((s) => callsOfConversation(s, id)[0] ?? null);
  const draft = useApp((s) => (s.drafts[id] ?? '').trim());
  if (!c) return null;
  const last = c.lastMessage;
  const failed = last !== null && last.direction === 'out' && canRetry(last.state);
  const callIsLatest = lastCall !== null && (last === null || lastCall.startedAt > last.createdAt);
  const missed = callIsLatest && callOutcome(lastCall) === 'missed';
  let preview: ReactNode = last ? `${last.direction === 'out' ? 'You: ' : ''}${last.body}` : 'No messages yet';
  if (callIsLatest) preview = callSummary(lastCall);
  if (failed && !callIsLatest) preview = <><AlertCircle className="icon-inline" aria-hidden="true" /> Not delivered: {last.body}</>;
  if (draft !== '' && !active) preview = <><em>Draft:</em> {draft}</>;
  const status = [c.unread > 0 ? `${c.unread} unread` : '', failed ? 'last message not delivered' : '', missed ? 'missed call' : '', draft && !active ? 'draft' : '']
    .filter((x) => x !== '')
    .join(', ');
  return (
    <li>
      <button
        type="button"
        className={`conversation ${active ? 'active' : ''} ${c.unread > 0 ? 'unread' : ''} ${failed ? 'failed' : ''}`}
        aria-current={active ? 'true' : undefined}
        onClick={() => actions().conversationOpened(id as ConversationId)}
      >
        {/* the name comes from what is shown (WCAG 2.5.3 label in name), with hidden words around it */}
        <span className="sr-only">Conversation with </span>
        <Avatar name={name} size="small" />
        <span className="conversation-main">
          <span className="conversation-top">
            <span className="conversation-title">
              {name}
              {status ? <span className="sr-only">, {status}</span> : null}
            </span>
            <PresenceBadge accountId={c.accountId} peer={c.peer} />
            <time className="conversation-time">{shortWhen(c.lastActivity)}</time>
          </span>
          <span className="conversation-bottom">
            <span className={`conversation-last ${failed && !callIsLatest ? 'bad-text' : ''} ${missed ? 'bad-text' : ''}`}>
              {missed ? <PhoneMissed className="icon-inline" aria-hidden="true" /> : null}
              {preview}
            </span>
            <UnreadBadge count={c.unread} hidden />
          </span>
        </span>
      </button>
    </li>
  );
}

/** Conversations, most recent activity first: name, last message or call, failures, drafts, unread count. */
/** "Message requests" above the list (issue 10): how many wait, opening the requests screen */
function RequestsEntry(): ReactNode {
  const count = useApp((s) => requestIds(s).length);
  const active = useApp((s) => s.screen === 'requests' || (s.screen === 'chat' && s.conversations.byId[s.openConversationId ?? '']?.unknownSender === true));
  if (count === 0) return null;
  return (
    <button
      type="button"
      className={`conversation requests-entry ${active ? 'active' : ''}`}
      aria-current={active ? 'page' : undefined}
      aria-label={`Message requests, ${count} waiting`}
      onClick={() => actions().navigated('requests')}
    >
      <span className="conversation-top">
        <span className="conversation-title">Message requests</span>
        <span className="badge badge-muted" aria-hidden="true">{count > 99 ? '99+' : count}</span>
      </span>
    </button>
  );
}

export function ConversationList(): ReactNode {
  const all = useApp(useShallow(mainConversationIds));
  const hidden = useHidden('conversation');
  const ids = hidden.size === 0 ? all : all.filter((id) => !hidden.has(id));
  const requests = useApp((s) => requestIds(s).length);
  // highlighted only while the chat is on screen (not while Search or Diagnostics is)
  const openId = useApp((s) => (s.screen === 'chat' ? s.openConversationId : null));
  const hasAccount = useApp((s) => s.accounts.ids.length > 0);
  if (ids.length === 0) {
    return (
      <>
      {requests > 0 ? <RequestsEntry /> : null}
      <p className="muted small">
        {hasAccount ? 'No conversations yet. Start one from Contacts.' : 'Your conversations will appear here.'}
      </p>
      </>
    );
  }
  return (
    <>
    <RequestsEntry />
    <ul className="conversation-list" aria-label="Conversation list">
      {ids.map((id) => <ConversationItem key={id} id={id} active={openId === id} />)}
    </ul>
    </>
  );
}
