/**
 * An account's connectivity in words (issue 11): the chip in the sidebar and the accounts screen say
 * online / connecting… / offline — <cause>; the accounts screen and a conversation also say why, since
 * when and when the next try is, with "Try now".
 */
import { useState, type ReactNode } from 'react';
import type { AccountId } from '#shared/domain/ids.ts';
import { StatusDot } from '../../components/StatusDot.tsx';
import { connectivityView, conversationNotice, type ConnectivityView } from '../../lib/connectivity.ts';
import { useApp } from '../../store/use-app.ts';
import { useNow } from '../calls/useNow.ts';
import { reconnectAccount } from './commands.ts';

/** the account's view, ticking every second while a next try is counted down */
export function useConnectivity(accountId: AccountId): ConnectivityView {
  const connectivity = useApp((s) => s.connectivity[accountId]);
  const registration = useApp((s) => s.registrations[accountId]);
  const enabled = useApp((s) => s.accounts.byId[accountId]?.enabled ?? true);
  const now = useNow(connectivity?.state === 'offline' && connectivity.nextTryAt !== null);
  return connectivityView(connectivity, registration, enabled, now);
}

function TryNow({ accountId, label }: { readonly accountId: AccountId; readonly label: string }): ReactNode {
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <>
      <button type="button" className="link-button" aria-label={label} onClick={() => void reconnectAccount(accountId).then((r) => setProblem(r.ok ? null : r.error))}>
        Try now
      </button>
      {problem ? <span className="error-text" role="alert">{problem}</span> : null}
    </>
  );
}

/** the dot and the short words; with `detailed`, the reason, the next try and "Try now" under them */
export function ConnectivityStatus({ accountId, detailed = false }: { readonly accountId: AccountId; readonly detailed?: boolean }): ReactNode {
  const view = useConnectivity(accountId);
  return (
    <>
      <StatusDot tone={view.tone} text={view.text} />
      {detailed && view.detail !== null && view.tone !== 'off' ? (
        <p className="connectivity-detail muted small" role="status">
          {view.detail} {view.canTryNow ? <TryNow accountId={accountId} label="Try now to connect" /> : null}
        </p>
      ) : null}
    </>
  );
}

/** above a conversation whose account cannot send right now: messages wait, and until when */
export function ConnectivityBanner({ accountId }: { readonly accountId: AccountId }): ReactNode {
  const view = useConnectivity(accountId);
  const notice = conversationNotice(view);
  if (notice === null) return null;
  return (
    <div className={`connectivity-banner connectivity-${view.tone}`} role="status">
      <span>{notice}</span> {view.canTryNow ? <TryNow accountId={accountId} label="Try now to connect" /> : null}
    </div>
  );
}
