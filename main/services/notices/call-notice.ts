/**
 * What the shell does for a call event (issue 10/16): an incoming call brings the window forward and is
 * notified; a call that rang and ended unanswered (not declined by the user) is notified as missed. With
 * settings → Notifications "Notify about incoming calls" off, nothing is notified, but an incoming call
 * still brings the window forward (the ringing panel is the call itself, not a notice).
 * Pure: the Electron shell (main/index.ts) acts on what `changed` returns.
 */
import type { CallDto } from '#shared/domain/call.ts';
import type { NotificationSettings } from '#shared/domain/notifications.ts';

export interface CallNoticeDecision {
  /** restore, show and flash the window */
  readonly bringForward: boolean;
  /** show a desktop notice (callNotice text) */
  readonly notify: boolean;
}

const NOTHING: CallNoticeDecision = { bringForward: false, notify: false };

export class CallNoticeGate {
  readonly #settings: () => Pick<NotificationSettings, 'calls'>;
  /** calls seen ringing, to tell a missed call from any other end (bounded by the calls alive) */
  readonly #ringing = new Set<string>();

  constructor(settings: () => Pick<NotificationSettings, 'calls'>) {
    this.#settings = settings;
  }

  changed(call: Pick<CallDto, 'id' | 'state' | 'connectedAt' | 'endReason'>): CallNoticeDecision {
    const wasRinging = this.#ringing.has(call.id);
    if (call.state === 'incoming') this.#ringing.add(call.id);
    else this.#ringing.delete(call.id);
    const missed = wasRinging && call.state === 'ended' && call.connectedAt === null && !/^declined/.test(call.endReason ?? '');
    const newlyIncoming = call.state === 'incoming' && !wasRinging;
    if (!newlyIncoming && !missed) return NOTHING;
    return { bringForward: newlyIncoming, notify: this.#settings().calls };
  }
}
