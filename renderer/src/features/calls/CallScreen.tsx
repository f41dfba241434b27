import { useMemo, useState, type ReactNode } from 'react';
import { PresenceBadge } from '../../components/PresenceBadge.tsx';
import { Grid3x3, Lock, Mic, MicOff, Pause, PhoneOff, Play } from 'lucide-react';
import type { CallDto } from '#shared/domain/call.ts';
import type { CallId } from '#shared/domain/ids.ts';
import { Avatar } from '../../components/Avatar.tsx';
import { DialPad } from '../../components/DialPad.tsx';
import { MessageBubble } from '../../components/MessageBubble.tsx';
import { duration } from '../../lib/format.ts';
import { shortAddress } from '../../lib/names.ts';
import { useApp } from '../../store/use-app.ts';
import { Composer } from '../chats/Composer.tsx';
import { callStateWords } from './call-words.ts';
import { OtherLiveCalls } from './CallsScreen.tsx';
import { hangUp, sendDtmf, sendInCallMessage, setHeld, setMuted } from './commands.ts';
import { useCallPeerName } from './usePeerName.ts';
import { useNow } from './useNow.ts';

/** One live call: timer, mute, hold, keypad (DTMF), hang up, and the in-call chat beside it. */
export function CallScreen({ call }: { readonly call: CallDto }): ReactNode {
  const id = call.id as CallId;
  const live = call.state !== 'ended';
  const name = useCallPeerName(call);
  const now = useNow(live && call.connectedAt !== null);
  const [keypad, setKeypad] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const messages = useApp((s) => s.messages);
  const chat = useMemo(() => Object.values(messages).filter((m) => m.callId === call.id).sort((a, b) => a.createdAt - b.createdAt), [messages, call.id]);
  const report = (r: { ok: boolean; error?: string }) => setProblem(r.ok ? null : r.error ?? 'Failed.');
  const elapsed = call.connectedAt === null ? null : duration((call.endedAt ?? now) - call.connectedAt);
  const address = shortAddress(call.peer);
  return (
    <section className="call-layout" aria-label={`Call with ${name}`}>
      <div className="call-panel">
        <OtherLiveCalls current={id} />
        <Avatar name={name} size="large" />
        <h2>{name}</h2>
        {address !== name ? <p className="muted">{address}</p> : null}
        <PresenceBadge accountId={call.accountId} peer={call.peer} />
        <p className="call-state" role="status">
          {callStateWords(call)}
          {elapsed !== null ? <span className="call-timer" aria-label="Call duration"> · {elapsed}</span> : null}
        </p>
        {call.encrypted && live ? (
          <p className="call-encrypted muted">
            <Lock aria-hidden="true" size="1em" /> Audio encrypted (SRTP)
          </p>
        ) : null}
        {call.codec !== null && live ? (
          <p className="call-codec muted" aria-label={call.wideband ? `HD voice, ${call.codec}` : `Audio codec ${call.codec}`}>
            {call.wideband ? <span className="call-hd">HD</span> : null} {call.codec}
          </p>
        ) : null}
        {problem ? <p className="error-text" role="alert">{problem}</p> : null}
        {call.dtmfReceived !== '' ? (
          <p className="muted" aria-live="polite">
            Keys pressed by {name}: <span className="mono" aria-label="Keys received">{call.dtmfReceived}</span>
          </p>
        ) : null}
        {live ? (
          <div className="call-controls">
            <button type="button" className={`toggle ${call.muted ? 'on' : ''}`} aria-pressed={call.muted} onClick={() => void setMuted(id, !call.muted).then(report)}>
              {call.muted ? <MicOff aria-hidden="true" /> : <Mic aria-hidden="true" />}
              {call.muted ? 'Unmute' : 'Mute'}
            </button>
            <button type="button" className={`toggle ${call.onHold ? 'on' : ''}`} aria-pressed={call.onHold} onClick={() => void setHeld(id, !call.onHold).then(report)}>
              {call.onHold ? <Play aria-hidden="true" /> : <Pause aria-hidden="true" />}
              {call.onHold ? 'Resume' : 'Hold'}
            </button>
            <button type="button" className={`toggle ${keypad ? 'on' : ''}`} aria-pressed={keypad} onClick={() => setKeypad((k) => !k)}>
              <Grid3x3 aria-hidden="true" />
              Keypad
            </button>
            <button type="button" className="danger-solid" onClick={() => void hangUp(id).then(report)}>
              <PhoneOff aria-hidden="true" />
              Hang up
            </button>
          </div>
        ) : null}
        {live && keypad ? <DialPad label="In-call keypad" onKey={(k) => void sendDtmf(id, k).then(report)} /> : null}
      </div>
      <aside className="call-chat" aria-label="In-call chat">
        <h3>Chat with {name} during this call</h3>
        <div className="call-chat-list">
          {chat.length === 0 ? <p className="muted small">Messages sent during the call appear here and stay in your conversation with {name}, marked as sent in this call.</p> : null}
          {chat.map((m) => <MessageBubble key={m.id} message={m} />)}
        </div>
        {live ? (
          <Composer
            label="Write a message in the call"
            placeholder="Message during the call"
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
