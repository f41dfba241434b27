import { useState, type FormEvent, type ReactNode } from 'react';
import type { ContactDto } from '#shared/domain/contact.ts';
import { Field } from '../../components/Field.tsx';
import { saveContact } from './commands.ts';

const ADDRESS = /^(sips?|im):[^\s@]+@[^\s@]+$/;

/**
 * Add or edit a contact. `prefill` starts a new contact from what we know (an unknown sender's SIP display
 * name and address: issue 16 item 12 "Add to contacts" lets the user name them before saving);
 * `inDialog` leaves the heading to the dialog around it.
 */
export function ContactForm({
  contact,
  onDone,
  prefill,
  inDialog = false,
}: {
  readonly contact: ContactDto | null;
  readonly onDone: (saved: boolean) => void;
  readonly prefill?: { readonly displayName: string; readonly address: string };
  readonly inDialog?: boolean;
}): ReactNode {
  const [displayName, setDisplayName] = useState(contact?.displayName ?? prefill?.displayName ?? '');
  const [address, setAddress] = useState(contact?.address ?? prefill?.address ?? '');
  const [note, setNote] = useState(contact?.note ?? '');
  const [error, setError] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | null>(null);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const raw = address.trim();
    const normalized = /^(sips?|im):/.test(raw) ? raw : `sip:${raw}`;
    if (!ADDRESS.test(normalized)) {
      setError('An address looks like sip:bob@pbx.example.com.');
      return;
    }
    setError(undefined);
    const r = await saveContact({ id: contact?.id ?? null, displayName: displayName.trim(), address: normalized, note });
    if (r.ok) onDone(true);
    else setProblem(r.error);
  };
  return (
    <form className="form" aria-label={contact ? 'Edit contact' : 'Add contact'} onSubmit={onSubmit} noValidate>
      {inDialog ? null : <h2>{contact ? 'Edit contact' : 'Add contact'}</h2>}
      <Field label="Name" value={displayName} onChange={setDisplayName} autoFocus />
      <Field label="SIP address" value={address} onChange={setAddress} error={error} placeholder="sip:bob@pbx.example.com" />
      <Field label="Note" value={note} onChange={setNote} multiline />
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
      <div className="actions">
        <button type="submit" className="primary">Save</button>
        <button type="button" onClick={() => onDone(false)}>Cancel</button>
      </div>
    </form>
  );
}
