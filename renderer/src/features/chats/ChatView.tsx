import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { OversizeChoice } from '#shared/domain/chat.ts';
import type { ConversationId } from '#shared/domain/ids.ts';
import { setComposing } from '../../bridge/api.ts';
import { typingKey } from '../../store/typing-slice.ts';
import { actions } from '../../store/store.ts';
import { useApp } from '../../store/use-app.ts';
import { conversationName } from './conversation-model.ts';
import { startCall } from '../contacts/commands.ts';
import { deleteConversation, loadNewestPage, markRead, measureMessage, reloadConversations, sendMessage } from './commands.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Modal } from '../../components/Modal.tsx';
import { contactFor, shortAddress } from '../../lib/names.ts';
import { ContactForm } from '../contacts/ContactForm.tsx';
import { scheduleDelete } from '../undo/pending-deletes.ts';
import { BlockedBar, RequestBar } from './RequestBar.tsx';
import { isRequest } from './requests-model.ts';
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
  const [adding, setAdding] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const draft = useApp((s) => s.drafts[conversationId] ?? '');
  const name = useApp((s) => conversationName(s, conversationId));
  // "not in your contacts" until a contact has this address (the stored flag says how the chat began)
  const stranger = useApp((s) => conversation !== undefined && conversation.unknownSender && contactFor(s.contacts.byId, conversation.peer) === null);
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
          {conversation ? <div className="muted small">{conversation.peer}{stranger ? ' · not in your contacts' : ''}{conversation.blocked ? ' · blocked' : ''}</div> : null}
          <div className="muted small typing" aria-live="polite">{typing ? 'typing…' : ''}</div>
        </div>
        {stranger && !isRequest(conversation) ? (
          <button type="button" onClick={() => setAdding(true)}>
            Add to contacts
          </button>
        ) : null}
        {conversation ? (
          <button type="button" aria-expanded={securityOpen} onClick={() => setSecurityOpen((o) => !o)}>
            Security
          </button>
        ) : null}
        {conversation ? (
          <button type="button" className="danger" aria-label={`Delete conversation with ${title}`} onClick={() => setConfirmDelete(true)}>
            Delete conversation
          </button>
        ) : null}
        {conversation ? (
          <button type="button" aria-label={`Call ${title}`} onClick={() => void startCall(conversation.peer).then((r) => !r.ok && setProblem(r.error))}>
            Call
          </button>
        ) : null}
      </header>
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
      {conversation && adding ? (
        <Modal title="Add to contacts" onClose={() => setAdding(false)}>
          <ContactForm
            contact={null}
            inDialog
            // the name the sender gave (SIP display name), for the user to keep or change; never the bare address as a name
            prefill={{ displayName: title === shortAddress(conversation.peer) ? '' : title, address: conversation.peer }}
            onDone={(saved) => {
              setAdding(false);
              if (saved) void reloadConversations();
            }}
          />
        </Modal>
      ) : null}
      {conversation && confirmDelete ? (
        <ConfirmDialog
          title={`Delete the conversation with ${title}?`}
          confirm="Delete"
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() => {
            setConfirmDelete(false);
            actions().navigated('home');
            scheduleDelete({ kind: 'conversation', id: conversationId, label: `Conversation with ${title} deleted` }, () => deleteConversation(conversationId));
          }}
        >
          <p>All its messages are deleted from this computer. Your contact stays.</p>
        </ConfirmDialog>
      ) : null}
      {conversation ? <ConnectivityBanner accountId={conversation.accountId} /> : null}
      {conversation && securityOpen ? <ProtectionPanel conversationId={conversationId} accountId={conversation.accountId} peer={conversation.peer} /> : null}
      <MessageTimeline conversationId={conversationId} />
      {conversation && isRequest(conversation) ? (
        <RequestBar conversation={conversation} name={title} />
      ) : conversation?.blocked ? (
        <BlockedBar conversation={conversation} name={title} />
      ) : (
        <Composer
          onSend={onSend}
          withValidity
          autoFocus
          measure={measure}
          draft={draft}
          onDraft={(text) => actions().draftChanged(conversationId, text)}
          onComposing={(composing) => void setComposing({ conversationId, composing })}
        />
      )}
    </section>
  );
}
