import type { ReactNode } from 'react';
import { EmptyState } from '../../components/EmptyState.tsx';
import { actions } from '../../store/store.ts';
import { useApp } from '../../store/use-app.ts';

/** What a new user sees first: the next step, in words. */
export function Home(): ReactNode {
  const hasAccount = useApp((s) => s.accounts.ids.length > 0);
  if (!hasAccount) {
    return (
      <EmptyState
        title="Add your PBX account to start"
        action={
          <button type="button" className="primary" onClick={() => actions().accountFormOpened(null)}>
            Add account
          </button>
        }
      >
        You need the SIP address, user name and password your company's phone system (PBX) gave you.
      </EmptyState>
    );
  }
  return (
    <EmptyState
      title="Pick a conversation"
      action={
        <button type="button" className="primary" onClick={() => actions().navigated('contacts')}>
          Open contacts
        </button>
      }
    >
      Choose a conversation on the left, or start a chat or call from your contacts.
    </EmptyState>
  );
}
