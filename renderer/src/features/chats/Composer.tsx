import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { MessageSizeDto, OversizeChoice } from '#shared/domain/chat.ts';
import { OversizeDialog } from './OversizeDialog.tsx';
import { sizeWords, useMessageSize } from './useMessageSize.ts';

export interface SendResult {
  readonly ok: boolean;
  readonly error?: string;
  /** main asked for a choice (too big for one pager-mode MESSAGE) */
  readonly needsChoice?: MessageSizeDto;
}

/** RFC 3428 §7 / RFC 3261 §20.19: how long a message stays worth delivering (Expires), chosen per message */
const VALIDITY: readonly { readonly label: string; readonly seconds: number | null }[] = [
  { label: 'No time limit', seconds: null },
  { label: '1 hour', seconds: 3600 },
  { label: '1 day', seconds: 86_400 },
  { label: '1 week', seconds: 604_800 },
];

/** main's idle timer is 15 s (RFC 3994 §3.2): a keystroke report every 5 s keeps it honest */
const COMPOSING_EVERY_MS = 5000;

/**
 * Enter sends, Shift+Enter starts a new line. Near the 1300-byte limit (RFC 3428 §8) a counter shows the
 * whole request's size as main's sender counts it (`measure`: the same number the long-message dialog
 * shows); in a call (a media session, where the pager limit does not apply) there is no counter.
 */
export function Composer(props: {
  readonly onSend: (body: string, oversize: OversizeChoice | null, expiresInSeconds: number | null) => Promise<SendResult>;
  readonly label?: string;
  /** short enough for one line at 900 px: the key hints live in the title */
  readonly placeholder?: string;
  /** offer a validity (Expires) choice: pager-mode messages only */
  readonly withValidity?: boolean;
  /** "typing…" for the peer: true at most every COMPOSING_EVERY_MS while text is in the box, false when emptied */
  readonly onComposing?: (composing: boolean) => void;
  /** the conversation's draft (kept by the store across switches and restarts); absent = local text */
  readonly draft?: string;
  readonly onDraft?: (text: string) => void;
  /** focus the text box when shown (opening a chat puts the cursor where the user will type) */
  readonly autoFocus?: boolean;
  /** the whole request's size for a text (main's count); absent = no counter */
  readonly measure?: (body: string) => Promise<MessageSizeDto | null>;
}): ReactNode {
  const [localText, setLocalText] = useState('');
  const text = props.draft ?? localText;
  const setText = props.onDraft ?? setLocalText;
  const [validity, setValidity] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const [choice, setChoice] = useState<MessageSizeDto | null>(null);
  const size = useMessageSize(text, props.measure);
  const lastComposing = useRef(0);
  const edited = (next: string) => {
    setText(next);
    if (!props.onComposing) return;
    if (next.trim() === '') {
      if (lastComposing.current !== 0) props.onComposing(false);
      lastComposing.current = 0;
      return;
    }
    const now = Date.now();
    if (now - lastComposing.current >= COMPOSING_EVERY_MS) {
      lastComposing.current = now;
      props.onComposing(true);
    }
  };

  const send = async (oversize: OversizeChoice | null) => {
    if (text.trim() === '') return;
    const r = await props.onSend(text, oversize, VALIDITY[validity]?.seconds ?? null);
    if (r.needsChoice) {
      setChoice(r.needsChoice);
      return;
    }
    setChoice(null);
    if (r.ok) {
      setText('');
      lastComposing.current = 0;
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
          placeholder={props.placeholder ?? 'Write a message'}
          title="Enter sends, Shift+Enter starts a new line"
          rows={2}
          autoFocus={props.autoFocus}
          value={text}
          onChange={(e) => edited(e.target.value)}
          onKeyDown={onKeyDown}
        />
        {props.withValidity ? (
          <select aria-label="Message valid for" title="How long the message stays worth delivering (SIP Expires)" value={validity} onChange={(e) => setValidity(Number(e.target.value))}>
            {VALIDITY.map((v, i) => <option key={v.label} value={i}>{v.label}</option>)}
          </select>
        ) : null}
        <button type="submit" className="primary" disabled={text.trim() === ''} aria-label="Send message">Send</button>
      </div>
      {size !== null ? (
        <small className={`byte-counter ${size.fits ? '' : 'over'}`} aria-live="polite" aria-label="Message size">
          {sizeWords(size)}
        </small>
      ) : null}
      {choice ? (
        <OversizeDialog
          size={choice}
          onSplit={() => void send('split')}
          onStream={() => void send('stream')}
          onCancel={() => setChoice(null)}
        />
      ) : null}
    </form>
  );
}
