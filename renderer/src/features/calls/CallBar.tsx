import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Maximize2, Mic, MicOff, PhoneOff } from 'lucide-react';
import type { CallDto } from '#shared/domain/call.ts';
import type { CallId } from '#shared/domain/ids.ts';
import { duration } from '../../lib/format.ts';
import { actions } from '../../store/store.ts';
import { useApp } from '../../store/use-app.ts';
import { callInFront, liveCalls } from './call-model.ts';
import { callStateWords } from './call-words.ts';
import { hangUp, setMuted } from './commands.ts';
import { useCallPeerName } from './usePeerName.ts';
import { useNow } from './useNow.ts';

function CallBarRow({ call }: { readonly call: CallDto }): ReactNode {
  const id = call.id as CallId;
  const name = useCallPeerName(call);
  const now = useNow(call.connectedAt !== null);
  const talking = call.connectedAt !== null ? duration(now - call.connectedAt) : null;
  const incoming = call.state === 'incoming';
  return (
    <div className={`call-bar-row state-${call.state}`} role="group" aria-label={`Call with ${name}`}>
      <span className="call-bar-dot" aria-hidden="true" />
      <span className="call-bar-name">{name}</span>
      <span className="call-bar-state">
        {callStateWords(call)}
        {talking !== null ? <span className="call-timer" aria-label="Call duration"> · {talking}</span> : null}
      </span>
      <span className="call-bar-actions">
        {!incoming ? (
          <button type="button" className="icon-button" aria-pressed={call.muted} aria-label={call.muted ? 'Unmute' : 'Mute'} title={call.muted ? 'Unmute' : 'Mute'} onClick={() => void setMuted(id, !call.muted)}>
            {call.muted ? <MicOff aria-hidden="true" /> : <Mic aria-hidden="true" />}
            <span className="label">{call.muted ? 'Muted' : 'Mute'}</span>
          </button>
        ) : null}
        <button type="button" className="icon-button" onClick={() => actions().callFocused(id)}>
          <Maximize2 aria-hidden="true" />
          <span className="label">Return to call</span>
        </button>
        {!incoming ? (
          <button type="button" className="icon-button danger" aria-label={`Hang up ${name}`} onClick={() => void hangUp(id)}>
            <PhoneOff aria-hidden="true" />
            <span className="label">Hang up</span>
          </button>
        ) : null}
      </span>
    </div>
  );
}

/**
 * The persistent call bar (issue 16 item 1): on every screen while a call rings or is up, except where the
 * call screen already shows that very call. Driven by the call model, so navigation cannot lose a call.
 */
export function CallBar(): ReactNode {
  const calls = useApp(useShallow((s) => liveCalls(s)));
  const shownId = useApp((s) => (s.screen === 'calls' ? (callInFront(s)?.id ?? null) : null));
  // a ringing incoming call has its own panel (IncomingCalls) on every screen
  const rows = calls.filter((c) => c.id !== shownId && c.state !== 'incoming');
  if (rows.length === 0) return null;
  return (
    <section className="call-bar" aria-label="Ongoing calls">
      {rows.map((c) => <CallBarRow key={c.id} call={c} />)}
    </section>
  );
}
