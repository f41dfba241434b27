import type { ReactNode } from 'react';
import { PhoneIncoming, PhoneMissed, PhoneOutgoing } from 'lucide-react';
import type { CallDto } from '#shared/domain/call.ts';
import type { CallId } from '#shared/domain/ids.ts';
import { timeOfDay } from '../../lib/format.ts';
import { actions } from '../../store/store.ts';
import { callOutcome, callSummary } from '../calls/call-words.ts';
import { placeCall } from '../calls/commands.ts';

/** A call in the conversation's timeline (issue 16 items 3, 5): "Outgoing call · 5:52", "Missed call" + Call back. */
export function CallRow({ call, messagesInCall, name }: { readonly call: CallDto; readonly messagesInCall: number; readonly name: string }): ReactNode {
  const outcome = callOutcome(call);
  const Icon = outcome === 'missed' ? PhoneMissed : call.direction === 'in' ? PhoneIncoming : PhoneOutgoing;
  const summary = callSummary(call);
  return (
    <div className={`call-row ${outcome === 'missed' ? 'missed' : ''}`} role="group" aria-label={`${summary} at ${timeOfDay(call.startedAt)}`}>
      <Icon className="icon" aria-hidden="true" />
      <span className="call-row-text">
        <strong>{summary}</strong>
        <span className="muted small">
          {timeOfDay(call.startedAt)}
          {messagesInCall > 0 ? ` · ${messagesInCall} message${messagesInCall === 1 ? '' : 's'} in this call (marked below)` : ''}
        </span>
      </span>
      {outcome === 'live' ? (
        <button type="button" onClick={() => actions().callFocused(call.id as CallId)}>Return to call</button>
      ) : (
        <button type="button" aria-label={`Call ${name} back`} onClick={() => void placeCall(call.peer)}>Call back</button>
      )}
    </div>
  );
}
