import { useState, type KeyboardEvent, type ReactNode } from 'react';
import type { OversizeChoice } from '../../../../shared/domain/chat.ts';
import { COUNTER_FROM, PAGER_LIMIT, utf8Bytes } from '../../lib/utf8.ts';
import { OversizeDialog } from './OversizeDialog.tsx';

export interface SendResult {
  readonly ok: boolean;
  readonly error?: string;
  /** main asked for a choice (too big for one pager-mode MESSAGE) */
  readonly needsChoice?: { readonly bytes: number; readonly limit: number };
}

/** Enter sends, Shift+Enter starts a new line; a UTF-8 byte counter appears near the 1300-byte limit. */
export function Composer(props: { readonly onSend: (body: string, oversize: OversizeChoice | null) => Promise<SendResult>; readonly label?: string }): ReactNode {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [choice, setChoice] = useState<{ bytes: number; limit: number } | null>(null);
  const bytes = utf8Bytes(text);

  const send = async (oversize: OversizeChoice | null) => {
    if (text.trim() === '') return;
    const r = await props.onSend(text, oversize);
    if (r.needsChoice) {
      setChoice(r.needsChoice);
      return;
    }
    setChoice(null);
    if (r.ok) {
      setText('');
      setProblem(null);
    } else setProblem(r.error ?? 'The message was not sent.');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send(null);
    }
  };
  return (
    <form className="composer" aria-label={props.label ?? 'Write a message'} onSubmit={(e) => { e.preventDefault(); void send(null); }}>
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
      <div className="composer-row">
        <textarea
          aria-label="Message text"
          placeholder="Write a message — Enter sends, Shift+Enter for a new line"
          rows={2}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="primary" disabled={text.trim() === ''} aria-label="Send message">Send</button>
      </div>
      {bytes >= COUNTER_FROM ? (
        <small className={`byte-counter ${bytes > PAGER_LIMIT ? 'over' : ''}`} aria-live="polite">
          {bytes} / {PAGER_LIMIT} bytes{bytes > PAGER_LIMIT ? ' — will need to be split or sent over TCP/TLS' : ''}
        </small>
      ) : null}
      {choice ? (
        <OversizeDialog bytes={choice.bytes} limit={choice.limit} onSplit={() => void send('split')} onCancel={() => setChoice(null)} />
      ) : null}
    </form>
  );
}
