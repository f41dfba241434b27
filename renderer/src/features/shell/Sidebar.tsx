import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { listOf } from '../../store/normalized.ts';
import { actions } from '../../store/store.ts';
import type { Screen } from '../../store/ui-slice.ts';
import { useApp } from '../../store/use-app.ts';
import type { AccountDto } from '#shared/domain/account.ts';
import { useConnectivity, ConnectivityStatus } from '../accounts/ConnectivityStatus.tsx';
import { unseenMissedCalls } from '../calls/call-model.ts';
import { ConversationList } from '../chats/ConversationList.tsx';

const NAV: readonly { readonly screen: Screen; readonly label: string; readonly shortcut: string }[] = [
  { screen: 'contacts', label: 'Contacts', shortcut: 'Alt+2' },
  { screen: 'calls', label: 'Calls', shortcut: 'Alt+3' },
  { screen: 'search', label: 'Search', shortcut: 'Control+F' },
  { screen: 'accounts', label: 'Accounts', shortcut: 'Alt+4' },
  { screen: 'diagnostics', label: 'Diagnostics', shortcut: 'Alt+5' },
  { screen: 'settings', label: 'Settings', shortcut: 'Alt+6' },
];

/** the account's name with its connectivity in words (online / connecting… / offline — PBX unreachable) */
function AccountChip({ account: a }: { readonly account: AccountDto }): ReactNode {
  const view = useConnectivity(a.id);
  // the name comes from what is shown (WCAG 2.5.3 label in name), with hidden words around it:
  // "Account Alice: offline. PBX unreachable"
  return (
    <button type="button" className="account-chip" onClick={() => actions().accountFormOpened(a.id)} title={view.detail ?? undefined}>
      <span className="sr-only">Account </span>
      <span className="account-name">
        {a.displayName || a.aor}
        <span className="sr-only">:</span>
      </span>
      <ConnectivityStatus accountId={a.id} />
      {view.detail !== null && view.tone === 'bad' ? <span className="sr-only">. {view.detail}</span> : null}
    </button>
  );
}

function AccountsSummary(): ReactNode {
  const accounts = useApp(useShallow((s) => listOf(s.accounts)));
  if (accounts.length === 0) {
    return (
      <button type="button" className="primary wide" onClick={() => actions().accountFormOpened(null)}>
        Add account
      </button>
    );
  }
  return (
    <ul className="account-list" aria-label="Accounts">
      {accounts.map((a) => (
        <li key={a.id}>
          <AccountChip account={a} />
        </li>
      ))}
    </ul>
  );
}

function MissedBadge(): ReactNode {
  const missed = useApp((s) => unseenMissedCalls(s));
  if (missed === 0) return null;
  return (
    <span className="badge badge-bad" aria-label={`${missed} missed`}>
      {missed}
    </span>
  );
}

export function Sidebar(): ReactNode {
  const screen = useApp((s) => s.screen);
  return (
    <aside className="sidebar" aria-label="Sidebar">
      <header className="sidebar-head">
        <h1 className="app-title">SIP Messenger</h1>
      </header>
      <section className="sidebar-section" aria-label="Your accounts">
        <AccountsSummary />
      </section>
      <nav className="sidebar-nav" aria-label="Main">
        {NAV.map((n) => (
          <button
            key={n.screen}
            type="button"
            className={`nav-item ${screen === n.screen ? 'active' : ''}`}
            aria-current={screen === n.screen ? 'page' : undefined}
            aria-keyshortcuts={n.shortcut}
            title={`${n.label} (${n.shortcut})`}
            onClick={() => actions().navigated(n.screen)}
          >
            {n.label}
            {n.screen === 'calls' ? <MissedBadge /> : null}
          </button>
        ))}
      </nav>
      <section className="sidebar-section grow" aria-label="Conversations">
        <h2 className="section-title">Conversations</h2>
        <ConversationList />
      </section>
    </aside>
  );
}
