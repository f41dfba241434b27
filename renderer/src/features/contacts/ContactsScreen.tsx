import { useMemo, useState, type ReactNode } from 'react';
import { PresenceBadge } from '../../components/PresenceBadge.tsx';
import type { ContactDto } from '#shared/domain/contact.ts';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState } from '../../components/EmptyState.tsx';
import { listOf } from '../../store/normalized.ts';
import { useApp } from '../../store/use-app.ts';
import { blockAddress, removeContact, startCall, startChat, unblockAddress } from './commands.ts';
import { ContactForm } from './ContactForm.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { scheduleDelete } from '../undo/pending-deletes.ts';
import { useHidden } from '../undo/usePending.ts';
import { WatcherRequests } from '../settings/WatcherRequests.tsx';

export function ContactsScreen(): ReactNode {
  const all = useApp(useShallow((s) => listOf(s.contacts)));
  const hidden = useHidden('contact');
  const contacts = useMemo(() => (hidden.size === 0 ? all : all.filter((c) => !hidden.has(c.id))), [all, hidden]);
  const [confirming, setConfirming] = useState<ContactDto | null>(null);
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<ContactDto | 'new' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [address, setAddress] = useState('');
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q === '' ? contacts : contacts.filter((c) => c.displayName.toLowerCase().includes(q) || c.address.toLowerCase().includes(q));
  }, [contacts, query]);
  const report = async (p: Promise<{ ok: boolean; error?: string }>) => {
    const r = await p;
    setProblem(r.ok ? null : r.error ?? 'Failed.');
  };
  const normalizedAddress = () => (/^(sips?|im):/.test(address.trim()) ? address.trim() : `sip:${address.trim()}`);

  if (editing !== null) return <ContactForm contact={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />;
  return (
    <section className="screen" aria-label="Contacts">
      <header className="screen-head">
        <h2>Contacts</h2>
        <button type="button" className="primary" onClick={() => setEditing('new')}>Add contact</button>
      </header>
      <form className="inline-form" aria-label="Chat or call an address" onSubmit={(e) => { e.preventDefault(); if (address.trim()) void report(startChat(normalizedAddress())); }}>
        <input aria-label="SIP address to chat with or call" placeholder="sip:bob@pbx.example.com" value={address} onChange={(e) => setAddress(e.target.value)} />
        <button type="submit" disabled={!address.trim()}>Chat</button>
        <button type="button" disabled={!address.trim()} onClick={() => void report(startCall(normalizedAddress()))}>Call</button>
      </form>
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
      <WatcherRequests />
      {contacts.length === 0 ? (
        <EmptyState title="No contacts yet">Add the people you write to, or type an address above to start a chat.</EmptyState>
      ) : (
        <>
          <input type="search" className="search-input" aria-label="Search contacts" placeholder="Search contacts" value={query} onChange={(e) => setQuery(e.target.value)} />
          <ul className="card-list" aria-label="Contact list">
            {shown.map((c) => (
              <li key={c.id} className="card">
                <div>
                  <strong>{c.displayName || c.address}</strong>
                  {c.blocked ? <span className="badge badge-muted contact-blocked">Blocked</span> : null}
                  <div className="muted">{c.address}</div>
                  <PresenceBadge accountId={null} peer={c.address} />
                  {c.note ? <div className="muted small">{c.note}</div> : null}
                </div>
                <div className="actions">
                  <button type="button" aria-label={`Chat with ${c.displayName || c.address}`} onClick={() => void report(startChat(c.address))}>Chat</button>
                  <button type="button" aria-label={`Call ${c.displayName || c.address}`} onClick={() => void report(startCall(c.address))}>Call</button>
                  <button type="button" aria-label={`Edit ${c.displayName || c.address}`} onClick={() => setEditing(c)}>Edit</button>
                  {c.blocked ? (
                    <button type="button" aria-label={`Unblock ${c.displayName || c.address}`} onClick={() => void report(unblockAddress(c.address))}>Unblock</button>
                  ) : (
                    <button type="button" className="danger" aria-label={`Block ${c.displayName || c.address}`} onClick={() => void report(blockAddress(c.address))}>Block</button>
                  )}
                  <button type="button" className="danger" aria-label={`Delete ${c.displayName || c.address}`} onClick={() => setConfirming(c)}>Delete</button>
                </div>
              </li>
            ))}
            {shown.length === 0 ? <li className="muted">No contact matches “{query}”.</li> : null}
          </ul>
        </>
      )}
      {confirming ? (
        <ConfirmDialog
          title={`Delete ${confirming.displayName || confirming.address}?`}
          confirm="Delete"
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            const c = confirming;
            setConfirming(null);
            scheduleDelete({ kind: 'contact', id: c.id, label: `Contact ${c.displayName || c.address} deleted` }, () => removeContact(c.id));
          }}
        >
          <p>Your conversations with them stay; they show the address instead of the name.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
