import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { Phone, PhoneOff } from 'lucide-react';
import { useShallow } from 'zustand/react/shallow';
import type { CallDto } from '#shared/domain/call.ts';
import type { CallId } from '#shared/domain/ids.ts';
import { Avatar } from '../../components/Avatar.tsx';
import { listOf } from '../../store/normalized.ts';
import { useApp } from '../../store/use-app.ts';
import { answerCall, declineCall } from './commands.ts';
import { ANSWER_KEYS, DECLINE_KEYS, callForKeys, incomingCommandForKey } from './incoming-keys.ts';
import { useCallPeerName } from './usePeerName.ts';

type Report = (r: { readonly ok: boolean; readonly error?: string }) => void;

function IncomingCall({ call, first, report }: { readonly call: CallDto; readonly first: boolean; readonly report: Report }): ReactNode {
  const name = useCallPeerName(call);
  const answer = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // the panel takes focus when the call starts ringing (the window came forward in main)
    if (first) answer.current?.focus();
  }, [first]);
  return (
    <div className="incoming-call" role="group" aria-label={`Call from ${name}`}>
      <Avatar name={name} />
      <div className="incoming-text">
        <strong className="incoming-name">{name}</strong>
        <span className="muted small">
          {call.waiting ? 'Call waiting: answering puts your current call on hold' : 'is calling you'}
        </span>
      </div>
      <div className="incoming-actions">
        <button
          ref={answer}
          type="button"
          className="ok-solid icon-button"
          aria-keyshortcuts={ANSWER_KEYS}
          aria-label={call.waiting ? `Answer and hold current call: ${name}` : `Answer call from ${name}`}
          onClick={() => void answerCall(call.id as CallId).then(report)}
        >
          <Phone aria-hidden="true" /> Answer
        </button>
        <button
          type="button"
          className="danger-solid icon-button"
          aria-keyshortcuts={DECLINE_KEYS}
          aria-label={`Decline call from ${name}`}
          onClick={() => void declineCall(call.id as CallId).then(report)}
        >
          <PhoneOff aria-hidden="true" /> Decline
        </button>
      </div>
    </div>
  );
}

/**
 * The incoming call panel (issue 16 item 8): every ringing call with the caller named as the contact is
 * named, a green Answer and a red Decline; it takes focus when a call starts ringing and gives it back to
 * where the user was when the ringing stops; Ctrl+Shift+A / Ctrl+Shift+D answer and decline from anywhere.
 */
export function IncomingCalls(): ReactNode {
  const incoming = useApp(useShallow((s) => listOf(s.calls).filter((c) => c.state === 'incoming')));
  const [problem, setProblem] = useState<string | null>(null);
  const titleId = useId();
  const ringing = incoming.length > 0;
  const before = useRef<Element | null>(null);
  const report: Report = (r) => setProblem(r.ok ? null : r.error ?? 'That did not work.');

  // a layout effect: it runs before the Answer button takes focus (a passive effect in a child)
  useLayoutEffect(() => {
    if (!ringing) return;
    before.current = document.activeElement;
    return () => {
      // the user's focus goes back where it was (a draft, a field) unless they moved it meanwhile
      const back = before.current;
      const active = document.activeElement;
      if (back instanceof HTMLElement && back.isConnected && (active === null || active === document.body || !active.isConnected)) back.focus();
    };
  }, [ringing]);

  const target = callForKeys(incoming);
  useEffect(() => {
    if (target === null) return;
    const onKey = (e: KeyboardEvent) => {
      const command = incomingCommandForKey(e);
      if (command === null) return;
      e.preventDefault();
      void (command === 'answer' ? answerCall(target.id as CallId) : declineCall(target.id as CallId)).then(report);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [target]);

  if (!ringing) return null;
  return (
    <section className="incoming" role="alertdialog" aria-modal="false" aria-labelledby={titleId}>
      <h2 id={titleId} className="incoming-title">{incoming.length > 1 ? `${incoming.length} incoming calls` : 'Incoming call'}</h2>
      {incoming.map((c, i) => (
        <IncomingCall key={c.id} call={c} first={i === 0} report={report} />
      ))}
      <p className="muted small incoming-hint">
        <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>A</kbd> answers, <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>D</kbd> declines
      </p>
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
    </section>
  );
}
