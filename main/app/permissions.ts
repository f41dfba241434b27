/**
 * Permission decisions for the window's session (Electron security checklist #5 "handle session
 * permission requests"). Nothing in the app needs any permission except the microphone, and only for a
 * call: capture is granted to our own window's top frame, showing our own page, asking for audio only,
 * and only while a call is ringing or up. Pure (no `electron` import): main/app/security.ts wires it.
 */
import type { CallState } from '#shared/domain/call.ts';

export interface PermissionAsk {
  /** Electron's permission name ('media', 'notifications', 'geolocation', …) */
  readonly permission: string;
  /** the request's `details.mediaTypes` ('audio' | 'video'); the check's `details.mediaType` as one entry */
  readonly mediaTypes: readonly string[];
  /** the asking webContents is our window's */
  readonly fromOurWindow: boolean;
  /** the asking frame is the top frame (details.isMainFrame) */
  readonly isMainFrame: boolean;
  /** details.requestingUrl: the page that asks */
  readonly requestingUrl: string;
}

function ourAudioAsk(ask: PermissionAsk, isAppUrl: (url: string) => boolean): boolean {
  return (
    ask.permission === 'media' &&
    ask.mediaTypes.length > 0 &&
    ask.mediaTypes.every((t) => t === 'audio') &&
    ask.fromOurWindow &&
    ask.isMainFrame &&
    isAppUrl(ask.requestingUrl)
  );
}

/** setPermissionRequestHandler: the microphone, for our page, while a call rings or is up; nothing else. */
export function allowPermissionRequest(ask: PermissionAsk, isAppUrl: (url: string) => boolean, callInProgress: boolean): boolean {
  return callInProgress && ourAudioAsk(ask, isAppUrl);
}

/**
 * setPermissionCheckHandler (navigator.permissions, device labels): "is the microphone allowed?" is
 * answered yes for our page only (so Settings can name the audio devices); capture itself still goes
 * through allowPermissionRequest. An 'unknown' media type is what Chromium asks when listing devices.
 */
export function allowPermissionCheck(ask: PermissionAsk, isAppUrl: (url: string) => boolean): boolean {
  const types = ask.mediaTypes.map((t) => (t === 'unknown' ? 'audio' : t));
  return ourAudioAsk({ ...ask, mediaTypes: types }, isAppUrl);
}

/** A call is "ringing or up" in every state before it ends (dialing, ringing, incoming, connected, held). */
export class CallsInProgress {
  readonly #live = new Set<string>();

  update(call: { readonly id: string; readonly state: CallState }): void {
    if (call.state === 'ended') this.#live.delete(call.id);
    else this.#live.add(call.id);
  }

  get any(): boolean {
    return this.#live.size > 0;
  }
}
