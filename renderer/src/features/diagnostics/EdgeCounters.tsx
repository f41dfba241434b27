import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AccountEdgeCountersDto, EdgeDiagnosticsDto } from '#shared/domain/trace.ts';
import { listOf } from '../../store/normalized.ts';
import { useApp } from '../../store/use-app.ts';
import { loadEdgeCounters } from './commands.ts';

const n = (value: number): string => value.toLocaleString();

function AccountCounters({ name, c }: { readonly name: string; readonly c: AccountEdgeCountersDto }): ReactNode {
  return (
    <section aria-label={`Protection counters for ${name}`}>
      <h4>{name}</h4>
      <dl className="counter-list">
        <dt>Requests not from your PBX, ignored</dt>
        <dd>{n(c.offPathDropped)} from {n(c.offPathSources)} {c.offPathSources === 1 ? 'sender' : 'senders'}</dd>
        <dt>Messages ignored because a sender sent too fast</dt>
        <dd>{n(c.rateLimited)}</dd>
        <dt>Requests from your PBX turned away while busy (“try again later”, 503)</dt>
        <dd>{n(c.overloadRefused)}</dd>
        <dt>Requests from elsewhere ignored while busy</dt>
        <dd>{n(c.overloadDropped)}</dd>
        <dt>Requests being handled now</dt>
        <dd>{n(c.liveServerTransactions)} of at most {n(c.serverTransactionCap)}</dd>
      </dl>
    </section>
  );
}

/**
 * Issue 10: what the SIP edge turned away and how few notifications the messages cost, as plain numbers
 * with words. Read on opening and on Refresh (counters are cheap; no event per drop).
 */
export function EdgeCounters(): ReactNode {
  const accounts = useApp(useShallow((s) => listOf(s.accounts)));
  const [counters, setCounters] = useState<EdgeDiagnosticsDto | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const show = useCallback((r: Awaited<ReturnType<typeof loadEdgeCounters>>) => {
    if (r.ok) {
      setCounters(r.value);
      setProblem(null);
    } else setProblem(r.error);
  }, []);
  const refresh = () => void loadEdgeCounters().then(show);
  useEffect(() => {
    let live = true;
    void loadEdgeCounters().then((r) => {
      if (live) show(r);
    });
    return () => {
      live = false;
    };
  }, [show]);
  const nameOf = (id: string) => {
    const a = accounts.find((x) => x.id === id);
    return a ? a.displayName || a.aor : 'Account';
  };
  const notes = counters?.notifications;
  return (
    <div className="edge-counters">
      <button type="button" onClick={refresh}>Refresh counters</button>
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
      {counters === null ? null : counters.accounts.length === 0 ? (
        <p className="muted">No account is connected, so nothing has reached the app.</p>
      ) : (
        counters.accounts.map((c) => <AccountCounters key={c.accountId} name={nameOf(c.accountId)} c={c} />)
      )}
      {notes ? (
        <p>
          {n(notes.messages)} incoming {notes.messages === 1 ? 'message' : 'messages'} led to {n(notes.notices)}{' '}
          {notes.notices === 1 ? 'notification' : 'notifications'} ({n(notes.requests)} from people not in your contacts,{' '}
          {n(notes.whileFocused)} while the app was in front).
        </p>
      ) : null}
    </div>
  );
}
