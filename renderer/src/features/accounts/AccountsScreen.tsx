import type { ReactNode } from 'react';
import { AccountPresenceStatus, PrivacySettings } from '../settings/PrivacySettings.tsx';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ConnectivityStatus } from './ConnectivityStatus.tsx';
import { listOf } from '../../store/normalized.ts';
import { actions } from '../../store/store.ts';
import { useApp } from '../../store/use-app.ts';
import { AccountForm } from './AccountForm.tsx';

export function AccountsScreen(): ReactNode {
  const accounts = useApp(useShallow((s) => listOf(s.accounts)));
  const form = useApp((s) => s.accountForm);
  const editing = form !== null && form !== 'new' ? accounts.find((a) => a.id === form) ?? null : null;
  if (form !== null) return <AccountForm key={form} account={editing} onDone={() => actions().accountFormClosed()} />;
  if (accounts.length === 0) {
    return (
      <EmptyState
        title="Add your PBX account to start"
        action={<button type="button" className="primary" onClick={() => actions().accountFormOpened(null)}>Add account</button>}
      >
        Enter the SIP address and password from your phone system to send messages and make calls.
      </EmptyState>
    );
  }
  return (
    <section className="screen" aria-label="Accounts">
      <header className="screen-head">
        <h2>Accounts</h2>
        <button type="button" className="primary" onClick={() => actions().accountFormOpened(null)}>Add account</button>
      </header>
      <ul className="card-list">
        {accounts.map((a) => {
          return (
            <li key={a.id} className="card">
              <div>
                <strong>{a.displayName || a.aor}</strong>
                <div className="muted">{a.aor} · {a.transport.toUpperCase()}</div>
                <ConnectivityStatus accountId={a.id} detailed />
                <AccountPresenceStatus accountId={a.id} />
              </div>
              <button type="button" onClick={() => actions().accountFormOpened(a.id)} aria-label={`Edit account ${a.aor}`}>Edit</button>
            </li>
          );
        })}
      </ul>
      <PrivacySettings />
    </section>
  );
}
