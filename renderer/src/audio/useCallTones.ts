import { useEffect } from 'react';
import { useApp } from '../store/use-app.ts';
import { loadAudioPrefs } from './audio-prefs.ts';
import { playTone, type ToneKind } from './tones.ts';

/** which tone the calls ask for: a call for us rings; our outgoing call that rings at the far end gives ringback */
export function toneFor(states: readonly { readonly state: string; readonly direction: string; readonly waiting: boolean }[]): ToneKind | null {
  // a call waiting while another is up gets a discreet beep, never the ringtone over the conversation
  if (states.some((c) => c.state === 'incoming' && !c.waiting)) return 'ringtone';
  if (states.some((c) => c.state === 'incoming')) return 'waiting';
  if (states.some((c) => c.direction === 'out' && c.state === 'ringing')) return 'ringback';
  return null;
}

/** Mounted once in the shell: plays the ringtone on the ringer device, ringback on the speaker. */
export function useCallTones(): void {
  const kind = useApp((s) => toneFor(s.calls.ids.map((id) => s.calls.byId[id]).filter((c) => c !== undefined)));
  useEffect(() => {
    if (kind === null) return;
    const prefs = loadAudioPrefs();
    const tone = playTone(kind, kind === 'ringtone' ? prefs.ringer : prefs.speaker);
    return () => tone.stop();
  }, [kind]);
}
