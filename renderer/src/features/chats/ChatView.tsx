import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { OversizeChoice } from '#shared/domain/chat.ts';
import type { ConversationId } from '#shared/domain/ids.ts';
import { setComposing } from '../../bridge/api.ts';
import { typingKey } from '../../store/typing-slice.ts';
import { actions } from '../../store/store.ts';
import { useApp } from '../../store/use-app.ts';
import { conversationName } from './conversation-model.ts';
import { startCall } from '../contacts/commands.ts';
import { addSenderToContacts, loadNewestPage, markRead, measureMessage, sendMessage } from './commands.ts';
import { Composer, type SendResult } from './Composer.tsx';
import { MessageTimeline } from './MessageTimeline.tsx';
import { ProtectionPanel } from '../security/ProtectionPanel.tsx';
import { useDisplayedReceipts } from './useDisplayedReceipts.ts';
import { PresenceBadge } from '../../components/PresenceBadge.tsx';
import { ConnectivityBanner } from '../accounts/ConnectivityStatus.tsx';

export function ChatView({ conversationId: id }: { readonly conversationId: string }): ReactNode {
  const conversationId = id as ConversationId;
  const conversation = useApp((s) => s.conversations.byId[conversationId]);
  const unread = conversation?.unread ?? 0;
  const typing = useApp((s) => (conversation ? typingKey(conversation.accountId, conversation.peer) in s.typingPeers : false));
  const [problem, setProblem] = useState<string | null>(null);
  const [securityOpen, setSecurityOpen] = useState(false);
  const draft = useApp((s) => s.drafts[conversationId] ?? '');
  const name = useApp((s) => conversationName(s, conversationId));
  useEffect(() => {
    void loadNewestPage(conversationId).then((r) => !r.ok && setProblem(r.error));
  }, [conversationId]);
  useEffect(() => {
    if (unread > 0) void markRead(conversationId);
  }, [conversationId, unread]);
  useDisplayedReceipts(conversationId);

  const onSend = async (body: string, oversize: OversizeChoice | null, expiresInSeconds: number | null): Promise<SendResult> => {
    const r = await sendMessage(conversationId, body, oversize, expiresInSeconds);
    if (!r.ok) return { ok: false, error: r.error };
    if (r.value.kind === 'needs-choice') {
      const { kind: _, ...size } = r.value;
      return { ok: false, needsChoice: size };
    }
    return { ok: true };
  };
  const measure = useCallback((body: string) => measureMessage(conversationId, body), [conversationId]);
  const title = name;
  return (
    <section className="chat" aria-label={`Chat with ${title}`}>
      <header className="screen-head">
        <div>
          <h2>{title}</h2>
          {conversation ? <PresenceBadge accountId={conversation.accountId} peer={conversation.peer} /> : null}
          {conversation ? <div className="muted small">{conversation.peer}{conversation.unknownSender ? ' · not in your contacts' : ''}</div> : null}
          <div className="muted small typing" aria-live="polite">{typing ? 'typing…' : ''}</div>
        </div>
        {conversation?.unknownSender ? (
          <button type="button" onClick={() => void addSenderToContacts(title, conversation.peer).then((r) => !r.ok && setProblem(r.error))}>
            Add to contacts
          </button>
        ) : null}
        {conversation ? (
          <button type="button" aria-expanded={securityOpen} onClick={() => setSecurityOpen((o) => !o)}>
            Security
          </button>
        ) : null}
        {conversation ? (
          <button type="button" aria-label={`Call ${title}`} onClick={() => void startCall(conversation.peer).then((r) => !r.ok && setProblem(r.error))}>
            Call
          </button>
        ) : null}
      </header>
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
      {conversation ? <ConnectivityBanner accountId={conversation.accountId} /> : null}
      {conversation && securityOpen ? <ProtectionPanel conversationId={conversationId} accountId={conversation.accountId} /> : null}
      <MessageTimeline conversationId={conversationId} />
      <Composer
        onSend={onSend}
        withValidity
        autoFocus
        measure={measure}
        draft={draft}
        onDraft={(text) => actions().draftChanged(conversationId, text)}
        onComposing={(composing) => void setComposing({ conversationId, composing })}
      />
    </section>
  );
}
