import { useState, type ReactNode } from 'react';
import type { PrivacySettings as Privacy } from '#shared/domain/privacy.ts';
import type { AccountPresenceDto, PresenceMode } from '#shared/domain/presence.ts';
import { savePrivacy, setOwnPresence } from '../../bridge/api.ts';
import { actions } from '../../store/store.ts';
import { useApp } from '../../store/use-app.ts';
import { presenceWords } from '../../components/PresenceBadge.tsx';

const MODES: readonly { readonly value: PresenceMode; readonly label: string }[] = [
  { value: 'auto', label: 'Available (away when idle)' },
  { value: 'away', label: 'Away' },
  { value: 'busy', label: 'Busy' },
  { value: 'offline', label: 'Appear offline' },
];

/** Your status (RFC 3856 presence you publish) and the privacy choices: typing, read receipts, presence. */
export function PrivacySettings(): ReactNode {
  const privacy = useApp((s) => s.privacy);
  const own = useApp((s) => s.ownPresence);
  const [note, setNote] = useState(own?.note ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const save = async (next: Privacy) => {
    const r = await savePrivacy(next);
    if (r.ok) actions().privacyChanged(r.value);
    setProblem(r.ok ? null : r.error.message);
  };
  const setMode = async (mode: PresenceMode, text: string) => {
    const r = await setOwnPresence({ mode, note: text });
    if (r.ok) actions().ownPresenceChanged(r.value);
    setProblem(r.ok ? null : r.error.message);
  };
  const mode = own?.mode ?? 'auto';
  return (
    <section className="card privacy-settings" aria-label="Status and privacy">
      <h3>Your status</h3>
      <label>
        Status{' '}
        <select value={mode} onChange={(e) => void setMode(e.target.value as PresenceMode, note)}>
          {MODES.map((m) => (
            <option key={m.value} value={m.value}>{m.label}</option>
          ))}
        </select>
      </label>
      <label>
        Note{' '}
        <input value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} onBlur={() => void setMode(mode, note)} />
      </label>
      {own ? <p className="muted small">Others see: {presenceWords(own.availability, own.availability === 'offline' ? null : own.note || null)}</p> : null}
      <h3>Privacy</h3>
      <label>
        <input type="checkbox" checked={privacy.sendTyping} onChange={(e) => void save({ ...privacy, sendTyping: e.target.checked })} /> Show others when I am typing
      </label>
      <label>
        <input type="checkbox" checked={privacy.sendReadReceipts} onChange={(e) => void save({ ...privacy, sendReadReceipts: e.target.checked })} /> Send read receipts
      </label>
      <label>
        Share my status with{' '}
        <select value={privacy.sharePresence} onChange={(e) => void save({ ...privacy, sharePresence: e.target.value === 'nobody' ? 'nobody' : 'contacts' })}>
          <option value="contacts">my contacts</option>
          <option value="nobody">nobody</option>
        </select>
      </label>
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
    </section>
  );
}

/**
 * "presence is not supported by the PBX (489)", once, under the account; where the PBX does presence,
 * whether it keeps the user's Allow/Block choices (pres-rules) or could not
 */
export function AccountPresenceStatus({ accountId }: { readonly accountId: string }): ReactNode {
  const words = accountPresenceWords(useApp((s) => s.presenceSupport[accountId]));
  return words === null ? null : <div className="muted small">{words}</div>;
}

export function accountPresenceWords(support: AccountPresenceDto | undefined): string | null {
  if (support?.support === 'unsupported') return support.summary;
  if (support?.support === 'supported') return support.authorization ?? null;
  return null;
}
