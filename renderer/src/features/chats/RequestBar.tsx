import { useState, type ReactNode } from 'react';
import type { ConversationDto } from '#shared/domain/chat.ts';
import { unblockAddress } from '../contacts/commands.ts';
import { actions } from '../../store/store.ts';
import { acceptRequest, blockRequest, deleteConversation } from './commands.ts';
import { Modal } from '../../components/Modal.tsx';
import { shortAddress } from '../../lib/names.ts';
import { ContactForm } from '../contacts/ContactForm.tsx';

/**
 * In place of the composer in a message request (issue 10; Signal's bar): the user decides first.
 * Accept opens the contact form prefilled with the name the sender gave (issue 16: never saved silently,
 * the user names them) and accepts once it is saved; Block refuses their later messages and deletes this
 * one; Delete removes the conversation (a later message opens a new request).
 */
export function RequestBar({ conversation, name }: { readonly conversation: ConversationDto; readonly name: string }): ReactNode {
  const [problem, setProblem] = useState<string | null>(null);
  const [confirmBlock, setConfirmBlock] = useState(false);
  const [naming, setNaming] = useState(false);
  const run = (p: Promise<{ ok: boolean; error?: string }>) => void p.then((r) => setProblem(r.ok ? null : (r.error ?? 'Failed.')));
  // the request is gone: back to the other requests
  const gone = (p: Promise<{ ok: boolean; error?: string }>) =>
    run(
      p.then((r) => {
        if (r.ok) actions().navigated('requests');
        return r;
      }),
    );
  return (
    <section className="request-bar" aria-label="Message request">
      <p>
        <strong>{name}</strong> ({conversation.peer}) is not in your contacts. Accept to add them and reply; until then their messages do not
        notify you.
      </p>
      {confirmBlock ? (
        <p role="alert">Block {name}? Their messages will be refused and not stored, and this conversation is deleted.</p>
      ) : null}
      <div className="actions">
        {confirmBlock ? (
          <>
            <button type="button" className="danger" onClick={() => gone(blockRequest(conversation.id, conversation.peer))}>
              Block {name}
            </button>
            <button type="button" onClick={() => setConfirmBlock(false)}>Cancel</button>
          </>
        ) : (
          <>
            <button type="button" className="primary" onClick={() => setNaming(true)}>Accept</button>
            <button type="button" className="danger" onClick={() => setConfirmBlock(true)}>Block</button>
            <button type="button" className="danger" onClick={() => gone(deleteConversation(conversation.id))}>Delete</button>
          </>
        )}
      </div>
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
      {naming ? (
        <Modal title="Add to contacts" onClose={() => setNaming(false)}>
          <ContactForm
            contact={null}
            inDialog
            // the name the sender gave (SIP display name), to keep or change; never the bare address as a name
            prefill={{ displayName: name === shortAddress(conversation.peer) ? '' : name, address: conversation.peer }}
            onDone={(saved) => {
              setNaming(false);
              if (saved) run(acceptRequest(conversation.id));
            }}
          />
        </Modal>
      ) : null}
    </section>
  );
}

/** In place of the composer when the peer is blocked: say so, offer Unblock. */
export function BlockedBar({ conversation, name }: { readonly conversation: ConversationDto; readonly name: string }): ReactNode {
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <section className="request-bar" aria-label="Blocked">
      <p>You blocked {name}. Their messages are refused and not stored.</p>
      <div className="actions">
        <button type="button" onClick={() => void unblockAddress(conversation.peer).then((r) => setProblem(r.ok ? null : r.error))}>
          Unblock
        </button>
      </div>
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
    </section>
  );
}
