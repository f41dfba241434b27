import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { CallDto } from '#shared/domain/call.ts';
import type { CallId } from '#shared/domain/ids.ts';
import { DialPad } from '../../components/DialPad.tsx';
import { MessageBubble } from '../../components/MessageBubble.tsx';
import { duration } from '../../lib/format.ts';
import { useApp } from '../../store/use-app.ts';
import { Composer } from '../chats/Composer.tsx';
import { callStateWords } from './call-words.ts';
import { hangUp, sendDtmf, sendInCallMessage, setHeld, setMuted } from './commands.ts';

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, [active]);
  return now;
}

/** One live call: timer, mute, hold, keypad (DTMF), hang up, and the in-call chat beside it. */
export function CallScreen({ call }: { readonly call: CallDto }): ReactNode {
  const id = call.id as CallId;
  const live = call.state !== 'ended';
  const now = useNow(live && call.connectedAt !== null);
  const [keypad, setKeypad] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const messages = useApp((s) => s.messages);
  const chat = useMemo(() => Object.values(messages).filter((m) => m.callId === call.id).sort((a, b) => a.createdAt - b.createdAt), [messages, call.id]);
  const report = (r: { ok: boolean; error?: string }) => setProblem(r.ok ? null : r.error ?? 'Failed.');
  const elapsed = call.connectedAt === null ? null : duration((call.endedAt ?? now) - call.connectedAt);
  return (
    <section className="call-layout" aria-label={`Call with ${call.peerName || call.peer}`}>
      <div className="call-panel">
        <h2>{call.peerName || call.peer}</h2>
        <p className="muted">{call.peer}</p>
        <p className="call-state" role="status">
          {callStateWords(call)}
          {elapsed !== null ? <span className="call-timer" aria-label="Call duration"> · {elapsed}</span> : null}
        </p>
        {problem ? <p className="error-text" role="alert">{problem}</p> : null}
        {live ? (
          <div className="call-controls">
            <button type="button" aria-pressed={call.muted} onClick={() => void setMuted(id, !call.muted).then(report)}>{call.muted ? 'Unmute' : 'Mute'}</button>
            <button type="button" aria-pressed={call.onHold} onClick={() => void setHeld(id, !call.onHold).then(report)}>{call.onHold ? 'Resume' : 'Hold'}</button>
            <button type="button" aria-pressed={keypad} onClick={() => setKeypad((k) => !k)}>Keypad</button>
            <button type="button" className="danger" onClick={() => void hangUp(id).then(report)}>Hang up</button>
          </div>
        ) : null}
        {live && keypad ? <DialPad label="In-call keypad" onKey={(k) => void sendDtmf(id, k).then(report)} /> : null}
      </div>
      <aside className="call-chat" aria-label="In-call chat">
        <h3>Chat</h3>
        <div className="call-chat-list">
          {chat.length === 0 ? <p className="muted small">Messages sent during the call appear here.</p> : null}
          {chat.map((m) => <MessageBubble key={m.id} message={m} />)}
        </div>
        {live ? (
          <Composer
            label="Write a message in the call"
            onSend={async (body) => {
              const r = await sendInCallMessage(id, body);
              return r.ok ? { ok: true } : { ok: false, error: r.error };
            }}
          />
        ) : null}
      </aside>
    </section>
  );
}
